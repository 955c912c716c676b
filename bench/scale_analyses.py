"""stockbook's analyses on the ingested store (Ibis tables over Parquet, run by DuckDB within its memory limit).

The library functions are called unchanged on the store's tables; only per-SKU results, breaks and receipt
lots reach pandas. Used by ``bench/scale.py``'s ``analyses`` phase.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from stockbook import abc, aging, classes, ledger, replenish, turnover
from stockbook import schema as sch
from stockbook.engine import to_pandas


def run_all(st, *, as_of: str) -> dict[str, object]:
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=364)
    led, sales = st.table("ledger"), st.table("sales")
    products = sch.conform(to_pandas(st.table("products")), sch.PRODUCTS)

    # reconciliation: every row's identity and chain, the breaks valued at cost, flows per class and day
    recon = ledger.reconcile(led)
    breaks = to_pandas(ledger.ledger_breaks(recon, products=products))
    flows = to_pandas(ledger.flow_summary(recon))

    # ABC on revenue over the year, XYZ on 26 weeks of demand
    ranked = classes.abc_classify(
        classes.sku_measures(sales, products=products, start=start, end=end)
    )
    xyz = abc.xyz_classify(
        abc.weekly_demand(sales, start=end - pd.Timedelta(weeks=26) + pd.Timedelta(days=1), end=end)
    )

    # turnover per SKU over the year
    turns = turnover.turnover_table(led, products=products, start=start, end=end)

    # aging: units on hand at FBA given to the newest receipts first, then age buckets
    on_hand = ledger.balances_at(led, as_of=end)
    on_hand = on_hand.groupby("sku", as_index=False)["units"].sum()
    lots = to_pandas(
        led.filter(led.receipts > 0)
        .group_by(["sku", "period_start"])
        .aggregate(units=led.receipts.sum())
        .rename(date="period_start")
    )
    first = to_pandas(led.aggregate(first=led.period_start.min()))["first"].iloc[0]
    buckets = aging.bucket_units(
        aging.fifo_allocate(on_hand, lots, opening_date=first - pd.Timedelta(days=1)), as_of=end
    )

    # replenishment: rate and its spread over 90 days, safety stock and reorder point at a 95 % cycle level
    recent = sales.filter(sales.date > end - pd.Timedelta(days=90))
    spread = to_pandas(
        recent.group_by("sku").aggregate(sigma_d=recent.units.std(), days=recent.date.nunique())
    )
    rates = turnover.trailing_units(sales, as_of=end).merge(spread, on="sku", how="left")
    d = rates["units_t90"].to_numpy(dtype=float) / 90
    lead = 45.0
    ss = replenish.safety_stock(
        d,
        rates["sigma_d"].fillna(0).to_numpy(dtype=float),
        lead,
        7.0,
        replenish.z_for(np.full(len(d), 0.95)),
    )
    rop = replenish.reorder_point(d, lead, ss)
    return {
        "breaks": len(breaks),
        "flow_rows": len(flows),
        "a_skus": int((ranked["abc_class"] == "A").sum()),
        "xyz_skus": len(xyz),
        "turnover_skus": len(turns),
        "aged_181_plus": int(
            buckets[
                [
                    c
                    for c in buckets.columns
                    if c.startswith("inv_age_") and not c.startswith(("inv_age_0", "inv_age_91"))
                ]
            ]
            .to_numpy()
            .sum()
        ),
        "reorder_points": int(np.isfinite(rop).sum()),
    }
