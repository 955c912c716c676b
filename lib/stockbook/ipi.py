"""The Inventory Performance Index's components, per marketplace and month (notebook 03).

Amazon scores FBA inventory with its Inventory Performance Index (IPI) but does not publish the
formula; it names what moves it (Seller Central help, "Inventory Performance Index": excess
inventory, sell-through, stranded inventory and in-stock rate). stockbook shows those components,
computed from the seller's own data, and how each moved by month — not an invented score.

``excess_units``     FBA available units beyond ``excess_days`` of supply at the trailing 30-day
                     sales rate (a parameter: Amazon calls excess the units that cost more to keep
                     than to reduce; its own estimate, the FBA Inventory report's
                     ``estimated-excess-quantity``, is shown beside where the report is there).
``sell_through``     units shipped in the trailing 90 days ÷ average available (sellable FBA) units
                     over those days (Amazon's definition).
``in_stock_rate``    over replenishable SKUs (sold in the last 90 days), the share of the last 30
                     days they had FBA stock (the daily stock of the sales export, or a daily ledger).
``stranded_units``   sellable units on listings Amazon cannot sell (the Stranded Inventory report's
                     ``fulfillable-qty``, its latest day), and ``stranded_share`` of the FBA available
                     units; blank without the report.

>>> days = pd.date_range("2026-08-03", "2026-10-31")
>>> sales = pd.DataFrame({"date": days, "sku": "A", "units": 2, "available": [0] * 10 + [30] * 80})
>>> in_stock_rate(sales, as_of="2026-10-31")  # sold out for 10 days, 80 days before: in stock all last month
1.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stockbook import schema as sch
from stockbook.engine import TableLike, as_table, to_pandas
from stockbook.money import rates_for
from stockbook.stock import (
    available,
    average_inventory,
    products_in,
    sku_marketplaces,
    sold,
    trailing_units,
    unit_costs,
)
from stockbook.stock import products as stock_products

#: days of supply beyond which available units count as excess (a parameter; Amazon does not publish its own)
EXCESS_DAYS = 90


def _by_market(df: pd.DataFrame) -> pd.Series:
    m = df["marketplace"] if "marketplace" in df else pd.Series(pd.NA, index=df.index)
    return m.astype("string").fillna("all")


def in_stock_days(sales: TableLike, *, as_of, days: int = 30) -> pd.DataFrame:
    """Per replenishable SKU (sold in the last 90 days): its days in the last ``days`` and those it had FBA
    stock (the sales export's ``available``); empty without daily stock figures."""
    as_of = pd.Timestamp(as_of)
    t = as_table(sales, sch.SALES)
    s = to_pandas(
        t.filter(t.date > pd.Timestamp(as_of - pd.Timedelta(days=90))).select(
            "sku", "date", "units", "available"
        )
    )
    if not len(s) or s["available"].isna().all():
        return pd.DataFrame(
            {
                "sku": pd.Series(dtype="string"),
                "sku_days": pd.Series(dtype="int64"),
                "in_stock_days": pd.Series(dtype="int64"),
            }
        )
    sold_skus = s.loc[s["units"] > 0, "sku"].unique()
    last = s.loc[(s["date"] > as_of - pd.Timedelta(days=days)) & s["sku"].isin(sold_skus)]
    last = last.assign(stocked=(last["available"].fillna(0) > 0).astype("int64"))
    return last.groupby("sku", as_index=False).agg(
        sku_days=("date", "size"), in_stock_days=("stocked", "sum")
    )


def in_stock_rate(sales: TableLike, *, as_of, days: int = 30) -> float:
    """The share of the last ``days`` days that replenishable SKUs had FBA stock (NaN without stock figures)."""
    d = in_stock_days(sales, as_of=as_of, days=days)
    return (
        round(float(d["in_stock_days"].sum() / d["sku_days"].sum()), 4) if len(d) else float("nan")
    )


def ipi_components(
    data, *, as_of, excess_days: int = EXCESS_DAYS, currency: str | None = None, months: int = 6
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(components per marketplace on ``as_of``, the same per month over the last ``months``). Excess value is
    at cost in ``currency`` (the SKU master's costs converted at ``as_of``'s rate; None: as the master writes
    them)."""
    as_of = pd.Timestamp(as_of)
    products = products_in(
        stock_products(data, as_of=as_of),
        currency=currency,
        on=as_of,
        rates=rates_for(data) if currency else None,
    )
    cost = unit_costs(products) if products is not None else pd.Series(dtype="float64")
    rows, trend = [], []
    for end in [*(as_of - pd.offsets.MonthEnd(k) for k in range(months - 1, 0, -1)), as_of]:
        end = pd.Timestamp(end)
        snap = _components(data, as_of=end, excess_days=excess_days, cost=cost)
        trend.append(snap.assign(month=end.strftime("%Y-%m")))
        if end == as_of:
            rows.append(snap)
    now = rows[0]
    if data.has("fba_inventory"):
        rep = data["fba_inventory"]
        rep = rep.loc[rep["snapshot_date"] == rep["snapshot_date"].max()].assign(
            marketplace=lambda r: _by_market(r)
        )
        amazon = rep.groupby("marketplace")["estimated_excess_quantity"].sum(min_count=1)
        now["amazon_excess_units"] = now["marketplace"].map(amazon)
    now["excess_value"] = now["excess_value"].round(2)
    now["currency"] = currency or ""
    now["stranded_units"] = pd.NA
    now["stranded_share"] = np.nan
    if data.has("stranded"):
        st = data["stranded"]
        st = st.assign(
            marketplace=st["marketplace"]
            .astype("string")
            .fillna(now["marketplace"].iloc[0] if len(now) == 1 else "all")
        )
        units = st.groupby("marketplace")["units"].sum()
        now["stranded_units"] = now["marketplace"].map(units).fillna(0).astype("int64")
        with np.errstate(divide="ignore", invalid="ignore"):
            now["stranded_share"] = np.where(
                now["available"] > 0, now["stranded_units"] / now["available"], np.nan
            ).round(4)
    t = pd.concat(trend, ignore_index=True)
    return now.reset_index(drop=True), t[["month", *[c for c in t.columns if c != "month"]]]


def _components(data, *, as_of: pd.Timestamp, excess_days: int, cost: pd.Series) -> pd.DataFrame:
    sales, _ = sold(data)
    trail = trailing_units(sales, as_of=as_of, windows=(30, 90))
    avail = available(data, as_of=as_of)
    market = sku_marketplaces(data)
    df = avail.merge(trail, on="sku", how="outer")
    for c in ("available", "units_t30", "units_t90"):
        df[c] = pd.to_numeric(df[c]).fillna(0)
    df["marketplace"] = df["sku"].map(market).astype("string").fillna("all")
    rate = df["units_t30"] / 30
    df["excess_units"] = np.maximum(df["available"] - np.ceil(rate * excess_days), 0)
    df["excess_value"] = df["excess_units"] * pd.to_numeric(
        df["sku"].map(cost), errors="coerce"
    ).fillna(0)
    avg = pd.Series(dtype="float64")
    if data.has("ledger"):
        led = data["ledger"]
        t = as_table(led, sch.LEDGER)
        avg = average_inventory(
            t.filter((t.location_class == "fba") & (t.disposition == "SELLABLE")),
            start=as_of - pd.Timedelta(days=89),
            end=as_of,
        ).set_index("sku")["avg_units"]
    df["avg_available_90d"] = pd.to_numeric(df["sku"].map(avg), errors="coerce").fillna(0)
    g = df.groupby("marketplace").agg(
        available=("available", "sum"),
        excess_units=("excess_units", "sum"),
        excess_value=("excess_value", "sum"),
        units_t90=("units_t90", "sum"),
        avg_available_90d=("avg_available_90d", "sum"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        g["excess_share"] = np.where(
            g["available"] > 0, g["excess_units"] / g["available"], np.nan
        ).round(4)
        g["sell_through"] = np.where(
            g["avg_available_90d"] > 0, g["units_t90"] / g["avg_available_90d"], np.nan
        ).round(3)
    if data.has("sales"):
        ins = in_stock_days(sales, as_of=as_of).assign(
            marketplace=lambda x: x["sku"].map(market).astype("string").fillna("all")
        )
        k = ins.groupby("marketplace")[["sku_days", "in_stock_days"]].sum()
        g["in_stock_rate"] = (k["in_stock_days"] / k["sku_days"]).reindex(g.index).round(4)
    else:
        g["in_stock_rate"] = np.nan
    g = g.reset_index()
    g["excess_units"] = g["excess_units"].astype("int64")
    g["available"] = g["available"].astype("int64")
    return g[
        [
            "marketplace",
            "available",
            "excess_units",
            "excess_share",
            "excess_value",
            "units_t90",
            "avg_available_90d",
            "sell_through",
            "in_stock_rate",
        ]
    ]


def headlines(now: pd.DataFrame, trend: pd.DataFrame) -> dict[str, object]:
    """The components for the report index, for the whole business, each with its change since last month.

    >>> t = pd.DataFrame({"month": ["2026-09", "2026-10"], "available": [100, 100], "excess_units": [20, 10],
    ...     "units_t90": [90, 120], "avg_available_90d": [100.0, 100.0], "in_stock_rate": [0.9, 0.95],
    ...     "marketplace": "US"})
    >>> headlines(t.iloc[[1]], t)["ipi_sell_through"], headlines(t.iloc[[1]], t)["ipi_sell_through_change"]
    (1.2, 0.3)
    """

    def whole(df: pd.DataFrame) -> dict[str, float]:
        avail, avg = df["available"].sum(), df["avg_available_90d"].sum()
        return {
            "excess": round(float(df["excess_units"].sum() / avail), 4) if avail else float("nan"),
            "sell": round(float(df["units_t90"].sum() / avg), 3) if avg else float("nan"),
            "in_stock": round(float(df["in_stock_rate"].mean()), 4)
            if df["in_stock_rate"].notna().any()
            else float("nan"),
        }

    last = whole(now)
    months = sorted(trend["month"].unique())
    prev = whole(trend.loc[trend["month"] == months[-2]]) if len(months) > 1 else last
    out = {
        "ipi_excess_share": last["excess"],
        "ipi_sell_through": last["sell"],
        "ipi_in_stock_rate": last["in_stock"],
    }
    out |= {
        f"{k}_change": round(out[k] - prev[p], 4)
        for k, p in (
            ("ipi_excess_share", "excess"),
            ("ipi_sell_through", "sell"),
            ("ipi_in_stock_rate", "in_stock"),
        )
    }
    return out
