"""The stock layer: how many units are where on any day, what sold, and what a unit cost.

Every analysis asks the same questions — reconciliation, turnover, aging and
replenishment alike — and each answer is computed here, once, by one rule:

**On hand** at a location on day *d* is the reported ending of the last ledger
period that ends on or before *d* (:func:`balances_at`). A daily ledger gives
the position of the day itself; a monthly one the last month end.

**In transit** on day *d* (:func:`in_transit_at`), per shipment line:

* not yet shipped (``ship_date > d``): nothing;
* closed by *d* — received on or before *d*, or marked ``CLOSED`` with no received
  date and an ETA (else a ship date) on or before *d*: nothing (what never arrived is
  an inbound loss, :func:`shipment_lines`, not stock on the way);
* otherwise, a line that closes later: all its units (they arrive when it closes);
* and a line still open: ``units_shipped − units_received`` (a shipment received in part
  has the rest still on its way).

A position combines the two on the **same day**: stock in transit is taken on the
day the on-hand figure is true (the last FBA ledger date on or before *d*), so a
shipment received after a month-end balance is counted once, in transit, and one
received before it once, at FBA (:func:`positions`).

**Available** is Amazon's: sellable units at FBA (disposition ``SELLABLE``);
unsellable units are stock but not available (Amazon, *FBA Inventory report*:
"available: units that can be picked, packed and shipped"; *Inventory Performance
Index*: sell-through = units shipped in the trailing 90 days ÷ average *available*
units). Weeks of cover is on sellable + inbound.

**Sold** is the sales export where there is one, else the ledger's customer
shipments (:func:`sold`). **Unit cost** is the SKU master's (:func:`unit_costs`).

>>> ship = pd.DataFrame({"shipment_id": ["S1", "S2", "S3", "S4"], "sku": "A", "units_shipped": [100, 50, 300, 40],
...     "units_received": [100, None, 200, None], "mode": "sea",
...     "ship_date": pd.to_datetime(["2026-09-20", "2026-10-05", "2026-09-01", "2026-08-01"]),
...     "eta": pd.to_datetime([None, None, None, "2026-09-01"]),
...     "received_date": pd.to_datetime(["2026-10-10", None, None, None]),
...     "status": ["CLOSED", "SHIPPED", "RECEIVING", "CLOSED"]})
>>> in_transit_at(ship, as_of="2026-10-25")[["sku", "units"]].values.tolist()  # S2 (50) + S3's rest (100)
[['A', 150]]
>>> in_transit_at(ship, as_of="2026-10-01")["units"].tolist()  # S1 (100) on its way, S3's rest (100)
[200]
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from stockbook import schema as sch
from stockbook.engine import (
    TableLike,
    as_table,
    column_min,
    conform_table,
    last_by,
    to_pandas,
    union_all,
)

__all__ = ["balances_at", "in_transit_at", "in_transit_ledger", "positions", "shipment_lines", "sold",
           "sales_from_ledger", "stock_ledger", "unit_costs", "available"]


def _shipments(shipments: TableLike) -> pd.DataFrame:
    return sch.conform(shipments, sch.SHIPMENTS) if isinstance(shipments, pd.DataFrame) else to_pandas(shipments)


def shipment_lines(shipments: TableLike) -> pd.DataFrame:
    """Each shipment line with the day it closed (``closed_on``; NaT while open) by the module's rule.

    ``closed_on`` is the received date; for a line marked CLOSED without one, its ETA, else its ship date.

    >>> s = pd.DataFrame({"shipment_id": ["S1", "S2"], "sku": "A", "units_shipped": [10, 5], "mode": "sea",
    ...     "ship_date": pd.to_datetime(["2026-09-01", "2026-09-02"]), "eta": pd.to_datetime(["2026-10-01", None]),
    ...     "received_date": pd.NaT, "status": ["CLOSED", "WORKING"]})
    >>> shipment_lines(s)["closed_on"].dt.strftime("%Y-%m-%d").tolist()
    ['2026-10-01', nan]
    """
    s = _shipments(shipments)
    closed = s["status"].astype("string").str.upper().fillna("").isin(["CLOSED", "RECEIVED", "DELIVERED"])
    fallback = s["eta"].fillna(s["ship_date"]).where(closed)
    s["closed_on"] = s["received_date"].fillna(fallback).astype("datetime64[s]")
    return s


def in_transit_at(shipments: TableLike, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Units on their way per SKU (and destination) on day ``as_of`` (module text): sku, destination, units."""
    s = shipment_lines(shipments)
    d = pd.Timestamp(as_of)
    moving = (s["ship_date"] <= d) & ~(s["closed_on"] <= d)
    rest = (s["units_shipped"] - s["units_received"].fillna(0)).clip(lower=0)
    units = rest.where(s["closed_on"].isna(), s["units_shipped"]).where(moving, 0)
    out = pd.DataFrame({"sku": s["sku"], "destination": s["destination"].fillna(""), "units": units.astype("int64")})
    out = out.loc[out["units"] > 0].groupby(["sku", "destination"], as_index=False)["units"].sum()
    return out.sort_values(["sku", "destination"], ignore_index=True)


def in_transit_ledger(shipments: TableLike, *, months: pd.DatetimeIndex | None = None,
                      location: str = "IN-TRANSIT") -> pd.DataFrame:
    """A monthly ledger of stock in transit: each month's ending is :func:`in_transit_at` its last day.

    Per SKU and month: ``receipts`` = units shipped that month (entering transit), ``outbound`` = −units
    that arrived, ``lost`` = −the shortfall of lines that closed short; ``starting`` and ``ending`` are
    the in-transit positions at the month's start and end by the one rule, so the month adds up.
    """
    s = shipment_lines(shipments)
    if months is None and len(s):
        lo = s["ship_date"].min()
        hi = pd.concat([s["ship_date"], s["closed_on"]]).max()
        months = pd.date_range(lo.to_period("M").to_timestamp(), hi, freq="MS")
    if months is None or not len(months) or not len(s):
        return sch.conform(pd.DataFrame(), sch.LEDGER, keep_extra=False).drop(columns=["source_file", "source_line"])
    starts = pd.DatetimeIndex(months).to_period("M").to_timestamp()
    ends = starts + pd.offsets.MonthEnd(0)
    n, m = len(s), len(starts)
    ship = s["ship_date"].to_numpy()[:, None]
    closed = s["closed_on"].to_numpy()[:, None]
    shipped = s["units_shipped"].to_numpy(dtype=float)[:, None]
    rest = np.where(s["closed_on"].isna().to_numpy()[:, None],
                    (s["units_shipped"] - s["units_received"].fillna(0)).clip(lower=0).to_numpy(dtype=float)[:, None],
                    shipped)
    got = s["units_received"].fillna(0).to_numpy(dtype=float)[:, None]

    def position(day: np.ndarray) -> np.ndarray:  # lines x days: units in transit at the end of each day
        return np.where((ship <= day) & ~(closed <= day), rest, 0.0)

    end_pos = position(ends.to_numpy()[None, :])
    start_pos = position((starts - pd.Timedelta(days=1)).to_numpy()[None, :])
    in_month = lambda col: (col >= starts.to_numpy()[None, :]) & (col <= ends.to_numpy()[None, :])  # noqa: E731
    receipts = np.where(in_month(ship), shipped, 0.0)
    closing = in_month(closed)
    outbound = -np.where(closing, got, 0.0)
    lost = -np.where(closing, shipped - got, 0.0)
    # a line received in part before it closes: its received units left transit already (the rule's rest)
    adjust = end_pos - start_pos - receipts - outbound - lost
    outbound = outbound + np.minimum(adjust, 0)
    lost = lost + np.maximum(adjust, 0)
    frame = pd.DataFrame({
        "sku": np.repeat(s["sku"].to_numpy(), m), "month": np.tile(np.arange(m), n),
        "starting": start_pos.ravel(), "receipts": receipts.ravel(), "outbound": outbound.ravel(),
        "lost": lost.ravel(), "ending": end_pos.ravel()})
    g = frame.groupby(["sku", "month"], as_index=False).sum()
    g = g.loc[(g[["starting", "receipts", "outbound", "lost", "ending"]] != 0).any(axis=1)]
    g["period_start"] = starts[g["month"].to_numpy()]
    g["period_end"] = ends[g["month"].to_numpy()]
    g["location"], g["location_class"], g["disposition"] = location, "in_transit", "SELLABLE"
    return sch.conform(g.drop(columns="month"), sch.LEDGER, keep_extra=False).drop(
        columns=["source_file", "source_line"]).sort_values(["sku", "period_start"], ignore_index=True)


def stock_ledger(data, *, period_end: str | pd.Timestamp) -> ir.Table:
    """Every location's ledger in one engine table: the ledgers read, plus stock in transit from shipments.

    Rows that start after ``period_end`` are left out. This is the table the balances of turnover,
    ABC capital and aging come from. It stays lazy (Ibis), so a large ledger is never brought into
    pandas; ``to_pandas`` it when it is small.
    """
    end = pd.Timestamp(period_end)
    led = conform_table(as_table(data["ledger"], sch.LEDGER), sch.LEDGER)
    if data.has("shipments"):
        first = column_min(led, "period_start") if data.has("ledger") else None
        first = pd.Timestamp(first) if first is not None else end.replace(day=1)
        transit = in_transit_ledger(data["shipments"], months=pd.date_range(first.replace(day=1), end, freq="MS"))
        if len(transit):
            led = union_all(led, as_table(transit, sch.LEDGER))
    return led.filter(led.period_start <= ibis.timestamp(end))


def balances_at(ledger: TableLike, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Units on hand per SKU, location class and location at ``as_of``: the reported ending of the
    last period of each SKU × location × disposition that ends on or before ``as_of`` (and has one).

    >>> df = pd.DataFrame({"period_start": ["2026-09-01", "2026-10-01"], "period_end": ["2026-09-30", "2026-10-31"],
    ...     "sku": "A", "location": "US", "location_class": "fba", "disposition": "SELLABLE",
    ...     "starting": [10, 11], "ending": [11, 7]})
    >>> balances_at(df, as_of="2026-10-31")[["sku", "location_class", "units"]].values.tolist()
    [['A', 'fba', 7]]
    """
    return _last_endings(ledger, as_of=as_of, by_disposition=False)


def _last_endings(ledger: TableLike, *, as_of: str | pd.Timestamp, by_disposition: bool) -> pd.DataFrame:
    t = as_table(ledger, sch.LEDGER)
    t = t.filter((t.period_end <= ibis.timestamp(pd.Timestamp(as_of))) & t.ending.notnull())
    # the last row per group by max_by: one pass, no sort of every row
    last = t.group_by(["sku", "location", "disposition"]).aggregate(
        location_class=last_by(t.location_class, t.period_end), ending=last_by(t.ending, t.period_end),
        on=t.period_end.max())
    keys = ["sku", "location_class", "location"] + (["disposition"] if by_disposition else [])
    g = last.group_by(keys).aggregate(units=last.ending.sum(), on=last.on.max())
    out = to_pandas(g, order_by=keys)
    return out if by_disposition else out.drop(columns="on")


def positions(data, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Units per SKU, location class and disposition on ``as_of``, with the day each figure is true on.

    Columns: sku, location_class (domestic, fba, third_party, in_transit), disposition, units, on. Stock
    in transit is taken on the day of the last FBA ledger position on or before ``as_of`` (the module's
    same-day rule), or ``as_of`` itself without an FBA ledger.
    """
    as_of = pd.Timestamp(as_of)
    parts = []
    fba_day = as_of
    if data.has("ledger"):
        led = conform_table(as_table(data["ledger"], sch.LEDGER), sch.LEDGER)
        led = led.filter(led.location_class != "in_transit")
        b = _last_endings(led, as_of=as_of, by_disposition=True)
        b = b.groupby(["sku", "location_class", "disposition"], as_index=False).agg(units=("units", "sum"),
                                                                                   on=("on", "max"))
        parts.append(b)
        fba = b.loc[b["location_class"] == "fba", "on"]
        if len(fba):
            fba_day = min(pd.Timestamp(fba.max()), as_of)
    if data.has("shipments"):
        t = in_transit_at(data["shipments"], as_of=fba_day).groupby("sku", as_index=False)["units"].sum()
        parts.append(t.assign(location_class="in_transit", disposition="SELLABLE", on=fba_day))
    if not parts:
        return pd.DataFrame({"sku": pd.Series(dtype="string"), "location_class": pd.Series(dtype="string"),
                             "disposition": pd.Series(dtype="string"), "units": pd.Series(dtype="int64"),
                             "on": pd.Series(dtype="datetime64[s]")})
    out = pd.concat(parts, ignore_index=True)
    out["units"] = out["units"].astype("int64")
    out["on"] = pd.to_datetime(out["on"]).astype("datetime64[s]")
    out["sku"] = out["sku"].astype("string")
    return out.sort_values(["sku", "location_class", "disposition"], ignore_index=True)


def available(data, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Per SKU on ``as_of``: ``available`` (FBA sellable), ``unsellable`` (FBA, other dispositions),
    ``inbound`` (in transit), ``domestic`` and ``third_party`` (all dispositions): the one "available"
    every notebook shows.

    >>> class D:  # a data folder with a ledger only
    ...     def has(self, t): return t == "ledger"
    ...     def __getitem__(self, t): return pd.DataFrame({"period_start": ["2026-10-01"] * 3,
    ...         "period_end": ["2026-10-31"] * 3, "sku": "A", "location": ["US", "US", "SZ"],
    ...         "location_class": ["fba", "fba", "domestic"], "disposition": ["SELLABLE", "DEFECTIVE", "SELLABLE"],
    ...         "starting": 0, "ending": [7, 2, 40]})
    >>> available(D(), as_of="2026-10-31").iloc[0][["available", "unsellable", "domestic"]].astype(int).tolist()
    [7, 2, 40]
    """
    p = positions(data, as_of=as_of)
    sellable = p["disposition"].str.upper() == "SELLABLE"
    col = np.select([(p["location_class"] == "fba") & sellable, p["location_class"] == "fba",
                     p["location_class"] == "in_transit", p["location_class"] == "domestic"],
                    ["available", "unsellable", "inbound", "domestic"], "third_party")
    wide = p.assign(col=col).pivot_table(index="sku", columns="col", values="units", aggfunc="sum", fill_value=0)
    for c in ("available", "unsellable", "inbound", "domestic", "third_party"):
        if c not in wide:
            wide[c] = 0
    out = wide[["available", "unsellable", "inbound", "domestic", "third_party"]].astype("int64").reset_index()
    out.columns.name = None
    return out


def sales_from_ledger(ledger: TableLike, products: pd.DataFrame | None) -> ir.Table:
    """A sales table (in the engine) from the ledger's customer shipments when no sales export exists.

    Units are the shipped units of each period (dated at the period's end); revenue is units ×
    the master's price. Coarser than real sales: weekly variability needs a daily ledger.

    >>> led = pd.DataFrame({"period_start": ["2026-10-01"] * 2, "period_end": ["2026-10-31"] * 2, "sku": "A",
    ...     "location": ["US", "WH"], "location_class": ["fba", "domestic"], "disposition": "SELLABLE",
    ...     "starting": 9, "customer_shipments": [-4, -2], "ending": 5})
    >>> to_pandas(sales_from_ledger(led, pd.DataFrame({"sku": ["A"], "price": [2.5]})))[["sku", "units", "revenue"]
    ...     ].values.tolist()
    [['A', 4, 10.0]]
    """
    t = as_table(ledger, sch.LEDGER)
    t = t.filter(t.location_class.isin(["fba", "third_party"]) & t.sku.notnull())
    g = t.group_by(["sku", "period_end"]).aggregate(units=(-t.customer_shipments.fill_null(0)).sum())
    g = g.rename(date="period_end")
    if products is not None and len(products):
        p = as_table(products, sch.PRODUCTS)
        price = p.group_by("sku").aggregate(price=p.price.max())
        g = g.left_join(price, "sku").drop("sku_right")
        g = g.mutate(revenue=(g.units.cast("float64") * g.price).round(2)).drop("price")
    return conform_table(g, sch.SALES)


def sold(data) -> tuple[TableLike, str]:
    """What sold: the sales export where there is one, else the ledger's customer shipments; and which."""
    if data.has("sales"):
        return data["sales"], "sales export (daily)"
    return sales_from_ledger(data["ledger"], data["products"]), "ledger customer shipments (per period)"


def unit_costs(products: pd.DataFrame | None) -> pd.Series:
    """The SKU master's unit cost per SKU (float; NaN where unknown), indexed by SKU.

    >>> unit_costs(pd.DataFrame({"sku": ["A", "B"], "unit_cost": [2.5, None]})).tolist()
    [2.5, nan]
    """
    return sch.products_by_sku(products)["unit_cost"].astype("float64")
