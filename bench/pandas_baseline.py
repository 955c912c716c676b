"""The baseline a seller's analyst would write: pandas, reading the CSV exports, the same analyses.

Plain, idiomatic pandas (vectorised groupbys, no Python loops over rows), as in a typical notebook:
read everything, then reconcile, ABC/XYZ, turnover, FIFO aging and reorder points. Used by
``bench/scale.py``'s ``pandas`` phase; its answers are checked against stockbook's on the same data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def run_all(folder: Path, *, as_of: str) -> dict[str, object]:
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=364)
    led = pd.read_csv(folder / "amazon" / "Inventory_Ledger_Daily.txt", sep="\t")
    led["date"] = pd.to_datetime(led["Date"], format="%m/%d/%Y")
    sales = pd.read_csv(folder / "sales" / "sales_daily.csv", parse_dates=["Date"])
    master = pd.read_csv(folder / "master" / "sku_master.csv")
    cost = master.set_index("SKU")["Unit Cost"]

    # reconciliation
    flows = [
        "Receipts",
        "Customer Shipments",
        "Customer Returns",
        "Vendor Returns",
        "Warehouse Transfer In/Out",
        "Found",
        "Lost",
        "Damaged",
        "Disposed",
        "Other Events",
    ]
    led = led.sort_values(["MSKU", "Location", "Disposition", "date"])
    led["computed"] = led["Starting Warehouse Balance"] + led[flows].sum(axis=1)
    led["break"] = led["Ending Warehouse Balance"] - led["computed"]
    prev = led.groupby(["MSKU", "Location", "Disposition"])["Ending Warehouse Balance"].shift()
    led["chain"] = (led["Starting Warehouse Balance"] - prev).fillna(0)
    breaks = led.loc[(led["break"] != 0) | (led["chain"] != 0)].copy()
    breaks["value"] = (breaks["break"] + breaks["chain"]) * breaks["MSKU"].map(cost)
    flow_rows = led.groupby("date")[
        ["Starting Warehouse Balance", *flows, "Ending Warehouse Balance"]
    ].sum()

    # ABC on revenue, XYZ on 26 weeks
    window = sales.loc[(sales["Date"] >= start) & (sales["Date"] <= end)]
    rev = window.groupby("SKU")["Revenue"].sum().sort_values(ascending=False)
    share_before = (rev.cumsum() - rev) / rev.sum()
    abc = pd.Series(
        np.where(share_before < 0.8, "A", np.where(share_before < 0.95, "B", "C")), index=rev.index
    )
    recent = sales.loc[sales["Date"] > end - pd.Timedelta(weeks=26)]
    weekly = (
        recent.groupby(["SKU", pd.Grouper(key="Date", freq="7D")])["Units Sold"]
        .sum()
        .unstack(fill_value=0)
    )
    cv = weekly.std(axis=1, ddof=0) / weekly.mean(axis=1)
    xyz = pd.cut(cv.fillna(np.inf), [-np.inf, 0.5, 1.0, np.inf], labels=["X", "Y", "Z"])

    # turnover per SKU over the year: COGS / average stock value
    year = led.loc[(led["date"] >= start) & (led["date"] <= end)]
    avg_units = year.groupby("MSKU")["Ending Warehouse Balance"].sum() / ((end - start).days + 1)
    cogs = -year.groupby("MSKU")["Customer Shipments"].sum() * cost.reindex(avg_units.index)
    turns = cogs / (avg_units * cost.reindex(avg_units.index))

    # FIFO aging: on hand to the newest receipts first
    last = led.loc[led["date"] == led.loc[led["date"] <= end, "date"].max()]
    on_hand = last.groupby("MSKU")["Ending Warehouse Balance"].sum()
    lots = led.loc[led["Receipts"] > 0].groupby(["MSKU", "date"], as_index=False)["Receipts"].sum()
    lots = lots.sort_values(["MSKU", "date"], ascending=[True, False])
    newer = lots.groupby("MSKU")["Receipts"].cumsum() - lots["Receipts"]
    lots["units"] = np.clip(lots["MSKU"].map(on_hand).to_numpy() - newer, 0, lots["Receipts"])
    lots["age"] = (end - lots["date"]).dt.days
    aged = int(lots.loc[lots["age"] > 180, "units"].sum())

    # reorder points: 90-day rate and spread, 45-day lead time, 95 % cycle service
    last90 = sales.loc[sales["Date"] > end - pd.Timedelta(days=90)]
    d = last90.groupby("SKU")["Units Sold"].sum() / 90
    sd = last90.groupby("SKU")["Units Sold"].std()
    ss = 1.645 * np.sqrt(45 * sd**2 + d**2 * 7.0**2)
    rop = d * 45 + ss
    return {
        "breaks": len(breaks),
        "flow_rows": len(flow_rows),
        "a_skus": int((abc == "A").sum()),
        "xyz_skus": int(xyz.notna().sum()),
        "turnover_skus": int(turns.notna().sum()),
        "aged_181_plus": aged,
        "reorder_points": int(np.isfinite(rop).sum()),
    }
