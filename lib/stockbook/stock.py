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

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from stockbook import fees as fee_tables
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

__all__ = [
    "sales_from_snapshot",
    "fba_snapshot",
    "selling_classes",
    "sells_from_warehouse",
    "sales_span",
    "days_covered",
    "products",
    "ledger_unit_costs",
    "DemandMatrix",
    "demand_matrix",
    "in_stock_rate",
    "demand_rates",
    "cover",
    "open_purchase_orders",
    "blended_rate",
    "croston_sba",
    "Cumulative",
    "on_order",
    "prices",
    "products_in",
    "balances_at",
    "in_transit_at",
    "in_transit_ledger",
    "positions",
    "shipment_lines",
    "sold",
    "sales_from_ledger",
    "stock_ledger",
    "unit_costs",
    "available",
]


def _shipments(shipments: TableLike) -> pd.DataFrame:
    return (
        sch.conform(shipments, sch.SHIPMENTS)
        if isinstance(shipments, pd.DataFrame)
        else to_pandas(shipments)
    )


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
    closed = (
        s["status"]
        .astype("string")
        .str.upper()
        .fillna("")
        .isin(["CLOSED", "RECEIVED", "DELIVERED"])
    )
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
    out = pd.DataFrame(
        {
            "sku": s["sku"],
            "destination": s["destination"].fillna(""),
            "units": units.astype("int64"),
        }
    )
    out = out.loc[out["units"] > 0].groupby(["sku", "destination"], as_index=False)["units"].sum()
    return out.sort_values(["sku", "destination"], ignore_index=True)


def in_transit_ledger(
    shipments: TableLike, *, months: pd.DatetimeIndex | None = None, location: str = "IN-TRANSIT"
) -> pd.DataFrame:
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
        return sch.conform(pd.DataFrame(), sch.LEDGER, keep_extra=False).drop(
            columns=["source_file", "source_line"]
        )
    starts = pd.DatetimeIndex(months).to_period("M").to_timestamp()
    ends = starts + pd.offsets.MonthEnd(0)
    n, m = len(s), len(starts)
    ship = s["ship_date"].to_numpy()[:, None]
    closed = s["closed_on"].to_numpy()[:, None]
    shipped = s["units_shipped"].to_numpy(dtype=float)[:, None]
    rest = np.where(
        s["closed_on"].isna().to_numpy()[:, None],
        (s["units_shipped"] - s["units_received"].fillna(0))
        .clip(lower=0)
        .to_numpy(dtype=float)[:, None],
        shipped,
    )
    got = s["units_received"].fillna(0).to_numpy(dtype=float)[:, None]

    def position(
        day: np.ndarray,
    ) -> np.ndarray:  # lines x days: units in transit at the end of each day
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
    frame = pd.DataFrame(
        {
            "sku": np.repeat(s["sku"].to_numpy(), m),
            "month": np.tile(np.arange(m), n),
            "starting": start_pos.ravel(),
            "receipts": receipts.ravel(),
            "outbound": outbound.ravel(),
            "lost": lost.ravel(),
            "ending": end_pos.ravel(),
        }
    )
    g = frame.groupby(["sku", "month"], as_index=False).sum()
    g = g.loc[(g[["starting", "receipts", "outbound", "lost", "ending"]] != 0).any(axis=1)]
    g["period_start"] = starts[g["month"].to_numpy()]
    g["period_end"] = ends[g["month"].to_numpy()]
    g["location"], g["location_class"], g["disposition"] = location, "in_transit", "SELLABLE"
    return (
        sch.conform(g.drop(columns="month"), sch.LEDGER, keep_extra=False)
        .drop(columns=["source_file", "source_line"])
        .sort_values(["sku", "period_start"], ignore_index=True)
    )


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
        transit = in_transit_ledger(
            data["shipments"], months=pd.date_range(first.replace(day=1), end, freq="MS")
        )
        if len(transit):
            led = union_all(led, as_table(transit, sch.LEDGER))
    return led.filter(led.period_start <= ibis.timestamp(end))


def sku_marketplaces(data, *, skus=None) -> pd.Series:
    """Each SKU's marketplace: the one most of its FBA ledger rows name, else its sales rows (a SKU sold on
    two marketplaces takes the one with more rows; SKUs whose rows name none are left out). With ``skus``,
    the sales are read only when the ledger leaves one of those SKUs unplaced.

    >>> class D:
    ...     tables = {"ledger": pd.DataFrame({"sku": ["A", "A", "B"], "location_class": "fba",
    ...                                       "marketplace": ["US", "US", "UK"]})}
    ...     def has(self, t): return t in self.tables
    ...     def __getitem__(self, t): return self.tables[t]
    >>> sku_marketplaces(D()).to_dict()
    {'A': 'US', 'B': 'UK'}
    """
    parts = []
    for name in ("ledger", "sales"):
        if not data.has(name) or "marketplace" not in data[name].columns:
            continue
        frame = data[name]
        if isinstance(frame, pd.DataFrame) and not frame["marketplace"].notna().any():
            continue  # no row names a marketplace
        if (
            parts and name == "sales"
        ):  # the sales decide only for SKUs the FBA ledger does not place
            placed = set(parts[0]["sku"].dropna())
            wanted = (
                skus
                if skus is not None
                else (frame["sku"].dropna().unique() if isinstance(frame, pd.DataFrame) else None)
            )
            if wanted is not None and set(wanted) <= placed:
                continue
        t = as_table(frame, sch.TABLES[name])
        if name == "ledger":
            t = t.filter(t.location_class == "fba")
        t = t.filter(t.marketplace.notnull())
        parts.append(
            to_pandas(t.group_by(["sku", "marketplace"]).aggregate(n=t.count())).assign(
                rank=len(parts)
            )
        )
    if not parts:
        return pd.Series(dtype="string")
    g = pd.concat(parts, ignore_index=True).sort_values(
        ["sku", "rank", "n", "marketplace"], ascending=[True, True, False, True]
    )
    return (
        g.drop_duplicates("sku")
        .set_index("sku")["marketplace"]
        .astype("string")
        .rename("marketplace")
    )


#: where a product's title and ASIN are read, first source first: the SKU master, then Amazon's reports
CATALOG_SOURCES: tuple[str, ...] = (
    "products",
    "fba_inventory",
    "restock",
    "reimbursements",
    "ledger",
)


def catalog(data) -> pd.DataFrame:
    """One row per SKU with its ``title`` and ``asin`` (``fnsku`` when known), each taken from the first
    source in ``CATALOG_SOURCES`` that gives it: what a table shows beside a SKU.

    >>> class D:
    ...     tables = {"products": pd.DataFrame({"sku": ["A", "B"], "title": ["Mug", None], "asin": [None, "B02"]}),
    ...               "fba_inventory": pd.DataFrame({"sku": ["A", "B"], "title": ["Mug (FBA)", "Bowl"],
    ...                                              "asin": ["B01", "B0X"]})}
    ...     def has(self, t): return t in self.tables
    ...     def __getitem__(self, t): return self.tables[t]
    >>> catalog(D()).values.tolist()
    [['A', 'Mug', 'B01', <NA>], ['B', 'Bowl', 'B02', <NA>]]
    """
    parts = []
    for rank, name in enumerate(CATALOG_SOURCES):
        if not data.has(name):
            continue
        cols = [c for c in ("sku", "title", "asin", "fnsku") if c in data[name].columns]
        if cols == ["sku"] or "sku" not in cols:
            continue
        if (
            name == "products"
        ):  # the SKU master as every analysis reads it: a SKU listed twice keeps its first
            got = sch.products_by_sku(data[name])[cols[1:]].reset_index()
        else:  # a SKU shown with two titles or ASINs in one report takes the first in sort order, every run
            got = to_pandas(
                as_table(data[name], sch.TABLES[name]).select(*cols).distinct(), order_by=cols
            )
        parts.append(got.assign(rank=rank))
    out = pd.DataFrame({c: pd.Series(dtype="string") for c in ("sku", "title", "asin", "fnsku")})
    if not parts:
        return out
    g = pd.concat(parts, ignore_index=True).sort_values(["sku", "rank"], kind="stable")
    for c in ("title", "asin", "fnsku"):
        if c not in g.columns:
            g[c] = pd.NA
        g[c] = g[c].astype("string").str.strip().replace("", pd.NA)
    first = g.groupby("sku", sort=True)[["title", "asin", "fnsku"]].first()
    return first.reset_index().astype("string")


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


def _last_endings(
    ledger: TableLike, *, as_of: str | pd.Timestamp, by_disposition: bool
) -> pd.DataFrame:
    t = as_table(ledger, sch.LEDGER)
    t = t.filter((t.period_end <= ibis.timestamp(pd.Timestamp(as_of))) & t.ending.notnull())
    # the last row per group by max_by: one pass, no sort of every row
    last = t.group_by(["sku", "location", "disposition"]).aggregate(
        location_class=last_by(t.location_class, t.period_end),
        ending=last_by(t.ending, t.period_end),
        on=t.period_end.max(),
    )
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
        b = b.groupby(["sku", "location_class", "disposition"], as_index=False).agg(
            units=("units", "sum"), on=("on", "max")
        )
        parts.append(b)
        fba = b.loc[b["location_class"] == "fba", "on"]
        if len(fba):
            fba_day = min(pd.Timestamp(fba.max()), as_of)
    snap = None
    if data.has("fba_inventory") and not data.has(
        "ledger:fba"
    ):  # Amazon's stock from its report or an ERP's list
        snap = fba_snapshot(data["fba_inventory"], as_of=as_of)
        if len(snap):
            fba_day = min(pd.Timestamp(snap["on"].max()), as_of)
            parts.append(snap.loc[snap["location_class"] == "fba"])
    # in transit: the seller's shipments for the SKUs they record; for the others (a marketplace the shipments
    # file does not cover, or no shipments file) the inbound Amazon's FBA Inventory report states
    shipped_skus: set[str] = set()
    if data.has("shipments"):
        lines = in_transit_at(data["shipments"], as_of=fba_day)
        t = lines.groupby("sku", as_index=False)["units"].sum()
        parts.append(t.assign(location_class="in_transit", disposition="SELLABLE", on=fba_day))
        shipped_skus = set(shipment_lines(data["shipments"])["sku"].astype(str))
    if data.has("fba_inventory"):
        if snap is None:
            snap = fba_snapshot(data["fba_inventory"], as_of=as_of)
        moving = snap.loc[snap["location_class"] == "in_transit"]
        parts.append(moving.loc[~moving["sku"].astype(str).isin(shipped_skus)])
    if not parts:
        return pd.DataFrame(
            {
                "sku": pd.Series(dtype="string"),
                "location_class": pd.Series(dtype="string"),
                "disposition": pd.Series(dtype="string"),
                "units": pd.Series(dtype="int64"),
                "on": pd.Series(dtype="datetime64[s]"),
            }
        )
    out = pd.concat(parts, ignore_index=True)
    out["units"] = out["units"].astype("int64")
    out["on"] = pd.to_datetime(out["on"]).astype("datetime64[s]")
    out["sku"] = out["sku"].astype("string")
    return out.sort_values(["sku", "location_class", "disposition"], ignore_index=True)


def fba_snapshot(report: TableLike, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Positions from the last FBA stock snapshot on or before ``as_of`` (Amazon's FBA Inventory report or an
    ERP's FBA stock list), for a folder without an FBA ledger: ``available`` as FBA SELLABLE, unfulfillable units
    as UNSELLABLE, and units shipped or being received as in transit. Columns as :func:`positions`.

    >>> r = pd.DataFrame({"snapshot_date": pd.to_datetime(["2026-10-31"] * 2), "sku": ["A", "B"],
    ...                   "available": [120, 0], "unfulfillable_quantity": [2, 0], "inbound_shipped": [60, 40],
    ...                   "inbound_received": [20, 0]})
    >>> fba_snapshot(r, as_of="2026-10-31")[["sku", "location_class", "disposition", "units"]].values.tolist()
    [['A', 'fba', 'SELLABLE', 120], ['A', 'fba', 'UNSELLABLE', 2], ['A', 'in_transit', 'SELLABLE', 80], ['B', 'in_transit', 'SELLABLE', 40]]
    """
    r = (
        sch.conform(report, sch.FBA_INVENTORY)
        if isinstance(report, pd.DataFrame)
        else to_pandas(report)
    )
    r = r.loc[r["snapshot_date"] <= pd.Timestamp(as_of)]
    if not len(r):
        return pd.DataFrame(columns=["sku", "location_class", "disposition", "units", "on"])
    r = r.loc[r["snapshot_date"] == r.groupby("sku")["snapshot_date"].transform("max")]
    g = (
        r.groupby("sku")
        .agg(
            on=("snapshot_date", "max"),
            sellable=("available", "sum"),
            unsellable=("unfulfillable_quantity", "sum"),
            shipped=("inbound_shipped", "sum"),
            receiving=("inbound_received", "sum"),
        )
        .reset_index()
    )
    g["moving"] = g["shipped"].fillna(0) + g["receiving"].fillna(0)
    parts = [
        g.assign(location_class=cls, disposition=disp, units=g[col].fillna(0))
        for col, cls, disp in (
            ("sellable", "fba", "SELLABLE"),
            ("unsellable", "fba", "UNSELLABLE"),
            ("moving", "in_transit", "SELLABLE"),
        )
    ]
    out = pd.concat(parts, ignore_index=True)
    out = out.loc[out["units"] != 0, ["sku", "location_class", "disposition", "units", "on"]]
    out["units"] = out["units"].astype("int64")
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
    col = np.select(
        [
            (p["location_class"] == "fba") & sellable,
            p["location_class"] == "fba",
            p["location_class"] == "in_transit",
            p["location_class"] == "domestic",
        ],
        ["available", "unsellable", "inbound", "domestic"],
        "third_party",
    )
    wide = p.assign(col=col).pivot_table(
        index="sku", columns="col", values="units", aggfunc="sum", fill_value=0
    )
    for c in ("available", "unsellable", "inbound", "domestic", "third_party"):
        if c not in wide:
            wide[c] = 0
    out = (
        wide[["available", "unsellable", "inbound", "domestic", "third_party"]]
        .astype("int64")
        .reset_index()
    )
    out.columns.name = None
    return out


def open_purchase_orders(
    purchase_orders: pd.DataFrame | None, *, as_of: str | pd.Timestamp
) -> pd.DataFrame:
    """The purchase order lines open on ``as_of`` (placed by then, not DRAFT, CLOSED or CANCELLED, units still
    to come), each with ``units_open = units_ordered − units_received``; every column of the table kept.

    >>> po = pd.DataFrame({"po_number": ["P1", "P2"], "sku": "A", "units_ordered": [100, 50],
    ...     "units_received": [40, 50], "order_date": pd.to_datetime(["2026-10-01", "2026-10-02"])})
    >>> open_purchase_orders(po, as_of="2026-10-31")[["po_number", "units_open"]].values.tolist()
    [['P1', 60]]
    """
    if purchase_orders is None or not len(purchase_orders):
        return pd.DataFrame(
            {"sku": pd.Series(dtype="string"), "units_open": pd.Series(dtype="int64")}
        )
    po = purchase_orders.copy()
    for c in ("supplier", "expected_date", "units_received", "status"):
        if c not in po:
            po[c] = pd.NA
    received = pd.to_numeric(po["units_received"], errors="coerce").fillna(0)
    po["units_open"] = (
        (pd.to_numeric(po["units_ordered"], errors="coerce").fillna(0) - received)
        .clip(lower=0)
        .round()
        .astype("int64")
    )
    status = po["status"].astype("string").str.upper()
    placed = pd.to_datetime(
        po["order_date"]
    )  # no order date in the export: placed (the reader said so)
    live = (
        (placed.isna() | (placed <= pd.Timestamp(as_of)))
        & ~status.isin(["DRAFT", "CLOSED", "CANCELLED"]).fillna(False)
        & (po["units_open"] > 0)
    )
    out = po.loc[live].copy()
    out["sku"] = out["sku"].astype("string")
    out["expected_date"] = pd.to_datetime(out["expected_date"])
    return out.reset_index(drop=True)


def on_order(purchase_orders: pd.DataFrame | None, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Units ordered from suppliers and not yet received, per SKU, on ``as_of``: orders placed on or before
    the day, ``units_ordered − units_received`` (never below 0), unless DRAFT, CLOSED or CANCELLED. Columns: sku,
    on_order, open_orders, next_expected (the earliest expected date of an open order).

    >>> po = pd.DataFrame({"po_number": ["P1", "P2", "P3", "P4"], "sku": ["A", "A", "A", "B"],
    ...     "units_ordered": [100, 50, 80, 10], "units_received": [40, None, 0, 10],
    ...     "order_date": pd.to_datetime(["2026-10-01", "2026-10-20", "2026-11-05", "2026-09-01"]),
    ...     "status": ["PARTIAL", None, "OPEN", "CLOSED"]})
    >>> on_order(po, as_of="2026-10-31")[["sku", "on_order", "open_orders"]].values.tolist()  # 60 + 50; P3 later
    [['A', 110, 2]]
    """
    cols = {
        "sku": pd.Series(dtype="string"),
        "on_order": pd.Series(dtype="int64"),
        "open_orders": pd.Series(dtype="int64"),
        "next_expected": pd.Series(dtype="datetime64[s]"),
    }
    t = open_purchase_orders(purchase_orders, as_of=as_of)
    if not len(t):
        return pd.DataFrame(cols)
    t = t.rename(columns={"units_open": "left", "expected_date": "expected"})
    g = t.groupby("sku").agg(
        on_order=("left", "sum"), open_orders=("left", "size"), next_expected=("expected", "min")
    )
    g["on_order"] = g["on_order"].round().astype("int64")
    g["open_orders"] = g["open_orders"].astype("int64")
    g["next_expected"] = g["next_expected"].astype("datetime64[s]")
    return g.reset_index()


#: the ledger classes where stock is sold to customers: Amazon's and an overseas warehouse's shipments are sales;
#: a domestic warehouse's are sales only when the seller has no such ledger (a shop that sells from it)
SELLING_CLASSES: tuple[str, ...] = ("fba", "third_party")


def sells_from_warehouse(data) -> bool:
    """Whether the seller's stock meets customers at its own warehouse: the data holds no stock at Amazon or
    abroad (no FBA or overseas-warehouse ledger, no FBA Inventory or Restock report, no shipments). Cover, the
    plan and the sales read from the ledger then take the warehouse as the selling node.

    >>> class D:
    ...     def __init__(self, *t): self.t = t
    ...     def has(self, name): return name in self.t
    >>> sells_from_warehouse(D("ledger:domestic", "products")), sells_from_warehouse(D("ledger:fba"))
    (True, False)
    """
    return not any(
        data.has(t)
        for t in (
            "ledger:fba",
            "ledger:third_party",
            "ledger:in_transit",
            "fba_inventory",
            "shipments",
            "restock",
        )
    )


def selling_classes(ledger: TableLike) -> list[str]:
    """The ledger classes whose customer shipments are sales: Amazon's and an overseas warehouse's
    (``SELLING_CLASSES``) when the ledger has rows of them, else the domestic warehouse's (a shop that sells from
    it). The one rule for the sales read from a ledger and for the self-checks that recount them.

    >>> selling_classes(pd.DataFrame({"location_class": ["domestic", "fba"]})), selling_classes(
    ...     pd.DataFrame({"location_class": ["domestic"]}))
    (['fba', 'third_party'], ['domestic'])
    """
    t = as_table(ledger)
    hit = t.filter(t.location_class.isin(SELLING_CLASSES))
    return list(SELLING_CLASSES) if int(hit.limit(1).count().execute()) else ["domestic"]


def sales_from_ledger(ledger: TableLike, products: pd.DataFrame | None) -> ir.Table:
    """A sales table (in the engine) from the ledger's sales outflows when no sales export exists.

    Units are each period's customer shipments (买家货件, 销售数量, 订单发货 …), dated at the period's end with
    ``period_days`` = the period's length, so a month's sales fall evenly on its days. They are read from the
    ledgers of the classes where stock meets customers (``SELLING_CLASSES``), or, when the seller has none, from
    the domestic warehouse's (a shop that sells from it). Revenue is what the ledger states the sales brought in
    (``sales_amount``: 销售总额) in the ledger's currency, where it states both; else units × the master's price, in
    the price's currency; else unknown — never a number in an assumed currency.

    >>> led = pd.DataFrame({"period_start": ["2026-10-01"] * 2, "period_end": ["2026-10-31"] * 2, "sku": "A",
    ...     "location": ["US", "WH"], "location_class": ["fba", "domestic"], "disposition": "SELLABLE",
    ...     "starting": 9, "customer_shipments": [-4, -2], "ending": 5})
    >>> to_pandas(sales_from_ledger(led, pd.DataFrame({"sku": ["A"], "price": [2.5], "currency": ["USD"]}))
    ...     )[["sku", "units", "revenue", "currency", "period_days"]].values.tolist()
    [['A', 4, 10.0, 'USD', 31]]
    >>> shop = led.assign(location_class="domestic", sales_amount=[80.0, 20.0], currency="CNY")
    >>> to_pandas(sales_from_ledger(shop, None))[["units", "revenue", "currency"]].values.tolist()
    [[6, 100.0, 'CNY']]
    """
    t = conform_table(as_table(ledger, sch.LEDGER), sch.LEDGER)
    t = t.filter(t.location_class.isin(selling_classes(t)) & t.sku.notnull())
    known = t.sales_amount.notnull() & t.currency.notnull()
    g = t.group_by(["sku", "period_start", "period_end", "marketplace"]).aggregate(
        units=(-t.customer_shipments.fill_null(0)).sum(),
        stated=t.sales_amount.sum(where=known),
        stated_ccy=t.currency.max(where=known),
        stated_rows=known.sum(),
        rows=t.count(),
    )
    g = g.mutate(
        date=g.period_end,
        period_days=g.period_end.cast("date").delta(g.period_start.cast("date"), unit="day") + 1,
    )
    if products is not None and len(products):
        p = sch.products_by_sku(products)[["price", "price_currency", "currency"]].reset_index()
        p["price_currency"] = p["price_currency"].fillna(p["currency"])
        price = as_table(p[["sku", "price", "price_currency"]])
        g = g.left_join(price, "sku").drop("sku_right")
    else:
        g = g.mutate(price=ibis.null("float64"), price_currency=ibis.null("string"))
    whole = g.stated_rows == g.rows  # every row of the SKU's period states its money and currency
    by_price = g.price.notnull() & g.price_currency.notnull()
    g = g.mutate(
        revenue=ibis.cases(
            (whole, g.stated),
            (by_price, (g.units.cast("float64") * g.price).round(2)),
            else_=ibis.null("float64"),
        ),
        currency=ibis.cases(
            (whole, g.stated_ccy), (by_price, g.price_currency), else_=ibis.null("string")
        ),
    )
    return conform_table(
        g.select("date", "sku", "units", "revenue", "currency", "marketplace", "period_days"),
        sch.SALES,
    )


#: the trailing windows of units shipped an FBA stock snapshot states (Amazon's units-shipped-t7 … t90)
SHIPPED_WINDOWS: tuple[int, ...] = (7, 30, 60, 90)


def sales_from_snapshot(report: TableLike) -> pd.DataFrame:
    """A sales table from the units shipped that an FBA stock snapshot states (Amazon's FBA Inventory report's
    units-shipped-t7 … t90, an ERP list's 7日销量 / 30日销量), for a folder with no sales export and no FBA ledger.
    Each SKU's last snapshot is cut into windows that do not overlap — the last 7 days, the 23 before them …
    — each spread over its own days (``period_days``), so the demand blend still sees the recent rate.

    >>> r = pd.DataFrame({"snapshot_date": pd.to_datetime(["2026-10-31"]), "sku": ["A"], "available": [9],
    ...                   "units_shipped_t7": [14], "units_shipped_t30": [62]})
    >>> sales_from_snapshot(r)[["date", "units", "period_days"]].astype(str).values.tolist()
    [['2026-10-24', '48', '23'], ['2026-10-31', '14', '7']]
    """
    r = (
        sch.conform(report, sch.FBA_INVENTORY)
        if isinstance(report, pd.DataFrame)
        else to_pandas(report)
    )
    r = r.loc[r["snapshot_date"] == r.groupby("sku")["snapshot_date"].transform("max")]
    windows = [w for w in SHIPPED_WINDOWS if r[f"units_shipped_t{w}"].notna().any()]
    rows, before = [], 0
    for w in windows:
        total = r[f"units_shipped_t{w}"].astype("Float64")
        g = pd.DataFrame(
            {
                "sku": r["sku"],
                "date": r["snapshot_date"] - pd.Timedelta(days=before),
                "units": (
                    total - (r[f"units_shipped_t{before}"].astype("Float64") if before else 0)
                )
                .clip(lower=0)
                .round(),
                "period_days": w - before,
                "marketplace": r["marketplace"],
            }
        )
        rows.append(g.loc[g["units"].notna()])
        before = w
    out = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame({"sku": [], "date": [], "units": []})
    )
    return sch.conform(out, sch.SALES, keep_extra=False).sort_values(
        ["sku", "date"], ignore_index=True
    )


def _states_shipped(report: TableLike) -> bool:
    cols = [
        f"units_shipped_t{w}" for w in SHIPPED_WINDOWS if f"units_shipped_t{w}" in report.columns
    ]
    if not cols:
        return False
    if isinstance(report, pd.DataFrame):
        return bool(report[cols].notna().any().any())
    return bool(to_pandas(report.aggregate(n=sum(report[c].count() for c in cols)))["n"].iloc[0])


def sold(data) -> tuple[TableLike, str]:
    """What sold, and where it was read: the sales export; else the ledger's sales outflows (Amazon's or an
    overseas warehouse's, or the warehouse's own when the seller sells from it); else the units shipped an FBA
    stock snapshot states; else the warehouse ledger's outflows (the only sales the data holds)."""
    if data.has("sales"):
        return data["sales"], "sales export (daily)"
    led = data["ledger"] if data.has("ledger") else None
    abroad = led is not None and selling_classes(led) != ["domestic"]
    if led is not None and (abroad or sells_from_warehouse(data)):
        where = (
            "Amazon's / the overseas warehouse's ledger"
            if abroad
            else "the warehouse ledger (进销存)"
        )
        return sales_from_ledger(
            led, data["products"]
        ), f"the sales outflows of {where} (per period)"
    if data.has("fba_inventory") and _states_shipped(data["fba_inventory"]):
        return sales_from_snapshot(
            data["fba_inventory"]
        ), "the units shipped the FBA stock report states (t7 … t90)"
    if led is not None:
        return sales_from_ledger(
            led, data["products"]
        ), "the sales outflows of the warehouse ledger (进销存) (per period)"
    return sch.SALES.empty(), "no sales export and no ledger"


def sales_span(sales: TableLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day the sales data covers (a period row covers its ``period_days``); NaT when empty.

    >>> sales_span(pd.DataFrame({"date": pd.to_datetime(["2022-02-28", "2022-04-30"]), "sku": "A", "units": 1,
    ...                          "period_days": [28, 30]}))
    (Timestamp('2022-02-01 00:00:00'), Timestamp('2022-04-30 00:00:00'))
    """
    t = as_table(sales, sch.SALES)
    days = t.period_days.fill_null(1) if "period_days" in t.columns else ibis.literal(1)
    first = (
        t.date.cast("date") - (ibis.greatest(days, 1) - 1).cast("int64").as_interval("D")
    ).min()
    got = to_pandas(t.aggregate(first=first, last=t.date.max()))
    return pd.Timestamp(got["first"].iloc[0]), pd.Timestamp(got["last"].iloc[0])


def days_covered(sales: TableLike, *, start: str | pd.Timestamp, end: str | pd.Timestamp) -> int:
    """How many of the days ``start`` … ``end`` the sales data covers: a "no sale in 90 days" is only said of the
    days the data holds (three monthly 进销存 are 89 days, not a year of no sales).

    >>> s = pd.DataFrame({"date": pd.to_datetime(["2022-04-30"]), "sku": "A", "units": 1, "period_days": [89]})
    >>> days_covered(s, start="2021-05-01", end="2022-04-30"), days_covered(s, start="2022-04-01", end="2022-04-30")
    (89, 30)
    """
    first, last = sales_span(sales)
    if pd.isna(first):
        return 0
    lo, hi = max(first, pd.Timestamp(start)), min(last, pd.Timestamp(end))
    return max(int((hi - lo).days) + 1, 0)


def ledger_unit_costs(ledger: TableLike, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Each SKU's unit cost as its ledger states it: the value of its last ending balance over its units
    (截止库存总额 ÷ 截止库存数量), or the ledger's own unit cost (成本单价), from the last period ending on or before
    ``as_of`` that has stock and a currency. Columns: sku, unit_cost, cost_currency, cost_date.

    >>> led = pd.DataFrame({"period_start": ["2022-03-01", "2022-04-01"], "period_end": ["2022-03-31", "2022-04-30"],
    ...     "sku": "A", "location": "WH", "location_class": "domestic", "disposition": "SELLABLE",
    ...     "starting": [0, 10], "ending": [10, 4], "ending_value": [30.0, 14.0], "currency": "CNY"})
    >>> ledger_unit_costs(led, as_of="2022-04-30")[["sku", "unit_cost", "cost_currency"]].values.tolist()
    [['A', 3.5, 'CNY']]
    """
    t = conform_table(as_table(ledger, sch.LEDGER), sch.LEDGER)
    cost = ibis.cases(
        (t.ledger_unit_cost.notnull(), t.ledger_unit_cost),
        ((t.ending > 0) & t.ending_value.notnull(), t.ending_value / t.ending.cast("float64")),
        else_=ibis.null("float64"),
    )
    t = t.mutate(cost=cost).filter(
        lambda x: (
            x.cost.notnull()
            & (x.cost >= 0)
            & x.currency.notnull()
            & (x.period_end <= ibis.timestamp(pd.Timestamp(as_of)))
        )
    )
    g = t.group_by("sku").aggregate(
        unit_cost=last_by(t.cost, t.period_end),
        cost_currency=last_by(t.currency, t.period_end),
        cost_date=t.period_end.max(),
    )
    out = to_pandas(g, order_by=["sku"])
    out["unit_cost"] = out["unit_cost"].astype("float64").round(sch.MONEY_DECIMALS)
    return out


def products(data, *, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame | None:
    """The SKU master as the analyses read it: the master's rows, with each SKU's unit cost from its ledger's
    values (:func:`ledger_unit_costs`) where the master has none, and ledger SKUs the master lacks added with
    that cost; ``cost_source`` says where each cost came from. None when neither gives a SKU a cost or a row.

    >>> class D:
    ...     tables = {"products": pd.DataFrame({"sku": ["A", "B"], "unit_cost": [2.0, None], "cost_currency": "USD"}),
    ...               "ledger": pd.DataFrame({"period_start": ["2022-04-01"], "period_end": ["2022-04-30"], "sku": "B",
    ...                   "location": "WH", "location_class": "domestic", "disposition": "SELLABLE", "starting": 0,
    ...                   "ending": 4, "ending_value": 14.0, "currency": "CNY"})}
    ...     def has(self, t): return t in self.tables
    ...     def __getitem__(self, t): return self.tables[t]
    >>> products(D(), as_of="2022-04-30")[["sku", "unit_cost", "cost_currency", "cost_source"]].values.tolist()
    [['A', 2.0, 'USD', 'SKU master'], ['B', 3.5, 'CNY', 'ledger value ÷ units, 2022-04-30']]
    """
    master = data["products"] if data.has("products") else None
    led = data["ledger"] if data.has("ledger") else None
    money = led is not None and all(c in led.columns for c in ("ending_value", "currency"))
    if led is not None and money and as_of is not None:
        derived = ledger_unit_costs(led, as_of=as_of)
    else:
        derived = pd.DataFrame({"sku": pd.Series(dtype="string")})
    if master is None and not len(derived):
        return None
    p = sch.conform(
        master if master is not None else pd.DataFrame({"sku": pd.Series(dtype="string")}),
        sch.PRODUCTS,
    )
    p["cost_source"] = pd.Series(
        np.where(p["unit_cost"].notna(), "SKU master", None), index=p.index, dtype="string"
    )
    if not len(derived):
        return p
    d = derived.set_index("sku")
    missing = p["unit_cost"].isna() & p["sku"].isin(d.index)
    at = p.loc[missing, "sku"]
    p.loc[missing, "unit_cost"] = at.map(d["unit_cost"]).to_numpy()
    p.loc[missing, "cost_currency"] = at.map(d["cost_currency"]).to_numpy()
    p.loc[missing, "cost_source"] = (
        "ledger value ÷ units, " + at.map(d["cost_date"]).dt.strftime("%Y-%m-%d")
    ).to_numpy()
    extra = d.loc[~d.index.isin(p["sku"])].reset_index()
    if len(extra):
        extra = extra.assign(
            cost_source="ledger value ÷ units, " + extra["cost_date"].dt.strftime("%Y-%m-%d")
        )
        p = pd.concat(
            [p, sch.conform(extra.drop(columns="cost_date"), sch.PRODUCTS)], ignore_index=True
        )
    return p.sort_values("sku", kind="stable", ignore_index=True)


def unit_costs(
    products: pd.DataFrame | None, *, currency: str | None = None, on=None, rates=None
) -> pd.Series:
    """The SKU master's unit cost per SKU (float; NaN where unknown), indexed by SKU; with ``currency``, each
    converted from its cost currency (采购成本 in CNY …) at the rate of ``on`` (``money.Rates``). A cost whose
    file states no currency (no 币种 column, no unit in its header, no line in the folder's currencies file) is
    unknown: NaN, never taken to be ``currency``.

    >>> unit_costs(pd.DataFrame({"sku": ["A", "B"], "unit_cost": [2.5, None]})).tolist()
    [2.5, nan]
    >>> from stockbook.money import Rates
    >>> p = pd.DataFrame({"sku": ["A", "B"], "unit_cost": [71.0, 2.0], "cost_currency": ["CNY", None]})
    >>> unit_costs(p, currency="USD", on="2026-10-30", rates=Rates.ecb()).round(4).tolist()  # 71 × 1.1172 / 7.4326
    [10.6721, nan]
    """
    return _in_currency(
        products, "unit_cost", "cost_currency", currency=currency, on=on, rates=rates
    )


def prices(
    products: pd.DataFrame | None, *, currency: str | None = None, on=None, rates=None
) -> pd.Series:
    """The SKU master's price per SKU, converted like :func:`unit_costs` from its price currency."""
    return _in_currency(products, "price", "price_currency", currency=currency, on=on, rates=rates)


def products_in(
    products: pd.DataFrame | None, *, currency: str | None, on, rates
) -> pd.DataFrame | None:
    """The SKU master (one row per SKU) with ``unit_cost`` and ``price`` in ``currency`` at the rate of ``on``:
    what the turnover, aging and replenishment notebooks value stock and margins with.

    >>> from stockbook.money import Rates
    >>> p = pd.DataFrame({"sku": ["A"], "unit_cost": [71.0], "price": [20.0], "cost_currency": ["CNY"],
    ...                   "price_currency": ["USD"]})
    >>> products_in(p, currency="USD", on="2026-10-30", rates=Rates.ecb())[["unit_cost", "price"]].round(2
    ...     ).values.tolist()
    [[10.67, 20.0]]
    """
    if products is None or currency is None:
        return products
    out = sch.products_by_sku(products)
    out["unit_cost"] = unit_costs(products, currency=currency, on=on, rates=rates)
    out["price"] = prices(products, currency=currency, on=on, rates=rates)
    out["cost_currency"] = out["price_currency"] = out["currency"] = currency
    return out.reset_index()


def unit_fees(
    data, products: pd.DataFrame, destination: pd.Series, *, as_of, currency: str, rates
) -> pd.DataFrame:
    """Per SKU, the VAT rate of its marketplace's prices and its FBA fulfilment fee in ``currency`` on
    ``as_of`` (:func:`stockbook.fee_tables.fulfilment_fees`): the size tier Amazon's storage fee report states for its
    FNSKU, else the SKU master's; the shipping weight from the master's weight and volume; the price band from
    the master's price in the fee table's currency."""
    p = sch.products_by_sku(products).reindex(destination.index)
    tier = p["size_tier"].astype("string") if "size_tier" in p else pd.Series(pd.NA, index=p.index)
    if data.has("storage_fees") and "fnsku" in p:
        st = data["storage_fees"]
        if "size_tier" in st.columns:
            by_fnsku = st.dropna(subset=["fnsku", "size_tier"]).drop_duplicates(
                "fnsku", keep="last"
            )
            amazon = p["fnsku"].map(by_fnsku.set_index("fnsku")["size_tier"])
            tier = amazon.astype("string").fillna(tier)
    table = fee_tables.load_fee_table("fulfilment_fees.csv")
    market = destination.astype("string")
    table_ccy = market.map(
        table.drop_duplicates("marketplace").set_index("marketplace")["currency"]
    )
    price = pd.Series(np.nan, index=p.index)
    for ccy in table_ccy.dropna().unique():  # one pass per currency, not per SKU
        at = (table_ccy == ccy).fillna(False).to_numpy(dtype=bool)
        price[at] = prices(products, currency=ccy, on=as_of, rates=rates).reindex(p.index)[at]
    f = fee_tables.fulfilment_fees(
        table,
        marketplace=market.to_numpy(dtype=object),
        size_tier=tier.to_numpy(dtype=object),
        weight_lb=p["weight_lb"].to_numpy(dtype=object),
        cubic_feet=p["cubic_feet"].to_numpy(dtype=object),
        price=price.to_numpy(dtype=float),
        on=as_of,
    )
    known = f["fee"].notna().to_numpy()
    fee = np.full(len(f), np.nan)
    if known.any():
        fee[known] = rates.convert(
            f.loc[known, "fee"],
            f.loc[known, "currency"],
            currency,
            dates=[as_of] * int(known.sum()),
        ).amounts.to_numpy()
    out = f[["fee_tier", "shipping_weight_lb", "fee_table", "fee_note"]].set_index(p.index)
    out.insert(0, "fulfilment_fee", fee)
    # the marketplace's standard rate, or the SKU's own where the master states one (a reduced rate; 5 is 5 %)
    standard = fee_tables.vat_rates(
        fee_tables.load_fee_table("vat_rates.csv"), marketplace=market, on=as_of
    )
    own = p["vat_rate"].astype("Float64") if "vat_rate" in p else pd.Series(pd.NA, index=p.index)
    own = own.where(own <= 1, own / 100).to_numpy(dtype=float, na_value=np.nan)
    out.insert(0, "vat_rate", np.where(np.isnan(own), standard, own))
    return out


def _in_currency(products, value: str, unit: str, *, currency, on, rates) -> pd.Series:
    p = sch.products_by_sku(products)
    v = p[value].astype("float64")
    if currency is None or not len(p):
        return v
    from_ccy = p[unit].astype("string").fillna(p["currency"].astype("string"))
    stated = (
        from_ccy.notna()
    )  # an amount whose file states no currency is unknown, never the reporting currency's
    if (from_ccy[stated] == currency).all():
        return v.where(stated)
    got = rates.convert(
        v.fillna(0).to_numpy(),
        from_ccy.fillna(currency).to_numpy(),
        currency,
        dates=[pd.Timestamp(on)] * len(v),
    )
    return pd.Series(got.amounts.to_numpy(), index=v.index).where(v.notna() & stated)


# ---------------------------------------------------------------------------- what sold, day by day


@dataclass
class DemandMatrix:
    """Units sold (SKU × day) and whether each day was in stock."""

    skus: pd.Index
    dates: pd.DatetimeIndex
    units: np.ndarray  # float, skus × days
    in_stock: np.ndarray  # bool, skus × days
    stock_known: bool  # False when the source had no daily stock (every day counts as in stock)


def demand_matrix(
    sales: TableLike, *, as_of: str | pd.Timestamp, days: int = 400, skus: list[str] | None = None
) -> DemandMatrix:
    """Pivot the sales table into a SKU × day matrix over the ``days`` ending on ``as_of``.

    A day counts as in stock (its sales are demand) when the sales say the SKU had stock that day
    (``available``, or a sale), or, without stock figures, every day the data covers. Days before the
    data's first day or after its last are not in stock: unknown, so they are left out of every rate.
    A row that covers a period (``period_days``: a ledger month's sales) spreads its units evenly over it.

    >>> month = pd.DataFrame({"date": pd.to_datetime(["2026-09-30", "2026-10-31"]), "sku": "A", "units": [30, 62],
    ...                       "period_days": [30, 31]})
    >>> m = demand_matrix(month, as_of="2026-10-31", days=61)
    >>> m.units[0, [0, -1]].tolist(), int(m.in_stock.sum()), round(float(m.units.sum()), 6)
    ([1.0, 2.0], 61, 92.0)

    >>> s = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03"]), "sku": "A",
    ...                   "units": [4, 0, 6], "available": [0, 0, 3]})
    >>> m = demand_matrix(s, as_of="2026-10-03", days=3)
    >>> m.units.tolist(), m.in_stock.tolist()
    ([[4.0, 0.0, 6.0]], [[True, False, True]])
    """
    as_of = pd.Timestamp(as_of)
    dates = pd.date_range(as_of - pd.Timedelta(days=days - 1), as_of, freq="D")
    got = _sales_window(sales, start=dates[0], end=as_of)
    first, last, has_stock, names = got["first"], got["last"], got["has_stock"], got["names"]
    all_skus = pd.Index(sorted(set(names) | set(skus or [])), name="sku")
    r = all_skus.get_indexer(names)[got["codes"]]
    c = got["day"]
    span = got["span"]
    cells = len(all_skus) * len(dates)
    if (
        span > 1
    ).any():  # a period's sales (a ledger month) fall evenly on its days: a difference array per SKU
        n_days = len(dates)
        lo, hi = np.clip(c - span + 1, 0, n_days), np.clip(c + 1, 0, n_days)
        rate = got["units"] / span
        width = n_days + 1
        diff = np.bincount(
            r * width + lo, weights=rate, minlength=len(all_skus) * width
        ) - np.bincount(r * width + hi, weights=rate, minlength=len(all_skus) * width)
        units = np.round(np.cumsum(diff.reshape(len(all_skus), width), axis=1)[:, :n_days], 9)
        inside = c < n_days
        r, c, flat_units = r[inside], c[inside], None
        stock = got["available"][inside]
    else:
        flat_units = got["units"]
        stock = got["available"]
    flat = r * len(dates) + c
    if flat_units is not None:
        units = np.bincount(flat, weights=flat_units, minlength=cells).reshape(
            len(all_skus), len(dates)
        )
    if len(flat) and np.bincount(flat, minlength=cells).max() > 1:
        # two rows for one SKU and day: the stock figure read last (file rank, then line) is the day's
        order = np.argsort(
            got["reading_order"]()[: len(flat)]
            if flat_units is not None
            else got["reading_order"]()[got["day"] < len(dates)],
            kind="stable",
        )
        flat, stock = flat[order], stock[order]
    known = bool(has_stock and np.isfinite(stock).any())
    if known:
        avail = np.full(cells, np.nan)
        avail[flat] = stock
        avail = avail.reshape(len(all_skus), len(dates))
        # the day starts with the day before's end balance; the first day (or after a gap): end balance + sold
        in_stock = units > 0
        prev = avail[:, :-1]
        in_stock[:, 1:] |= np.where(np.isnan(prev), (avail[:, 1:] + units[:, 1:]) > 0, prev > 0)
        in_stock[:, 0] |= (avail[:, 0] + units[:, 0]) > 0
    else:
        in_stock = np.ones_like(units, dtype=bool)
    # days the data does not cover are unknown, not days without sales (a month of orders is not a year
    # of zeros before it)
    if pd.notna(first):
        in_stock &= np.asarray((dates >= first.normalize()) & (dates <= last.normalize()))[None, :]
    return DemandMatrix(all_skus, dates, units, in_stock, bool(known))


def _sales_window(sales: TableLike, *, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, object]:
    """The sales rows dated ``start`` … ``end`` as arrays: SKU codes and names, day numbers from ``start``,
    units, stock (NaN where not given), a function giving each row's reading order (file rank, then line),
    and the first and last date of the whole table. A pandas frame is read with NumPy (no copy to an
    engine); an Ibis table sends only the window's columns back, through Arrow."""
    if isinstance(sales, pd.DataFrame):
        # only the columns the matrix reads, each cast to its canonical type (a no-op when it has it)
        df = pd.DataFrame(
            {
                c: sch.cast(sales[c], sch.SALES[c].dtype)
                for c in (
                    "date",
                    "sku",
                    "units",
                    "available",
                    "period_days",
                    "source_file",
                    "source_line",
                )
                if c in sales
            }
        )
        d = df["date"].to_numpy(dtype="datetime64[s]")
        span = (
            df["period_days"].fillna(1).clip(lower=1).to_numpy(dtype=np.int64)
            if "period_days" in df
            else np.ones(len(df), dtype=np.int64)
        )
        begins = d - span.astype("timedelta64[D]").astype(
            "timedelta64[s]"
        )  # the day before the row's first
        known_date = ~np.isnat(d)
        first = (
            pd.Timestamp(begins[known_date].min()) + pd.Timedelta(days=1)
            if known_date.any()
            else pd.NaT
        )
        last = pd.Timestamp(d[known_date].max()) if known_date.any() else pd.NaT
        sel = (
            known_date
            & (d >= np.datetime64(start, "s"))
            & (begins < np.datetime64(end, "s"))
            & df["sku"].notna().to_numpy()
        )
        every = bool(
            sel.all()
        )  # the usual case: the table holds just the window (no copy to select it)
        codes, uniques = pd.factorize(df["sku"] if every else df["sku"][sel])
        has_stock = "available" in sales.columns

        def column(name: str, na: float) -> np.ndarray:
            if name not in df:
                return np.full(int(sel.sum()), na)
            v = df[name].to_numpy(dtype=float, na_value=na)
            return v if every else v[sel]

        def reading_order() -> np.ndarray:
            if "source_file" not in df:
                return np.arange(int(sel.sum()), dtype=np.int64)
            files = df["source_file"].astype("string")
            rank = files.map({f: i for i, f in enumerate(sorted(files.dropna().unique()))})
            key = (rank.astype("Float64").fillna(-1).to_numpy(dtype=np.int64) << 32) + (
                df["source_line"].fillna(0) if "source_line" in df else pd.Series(0, index=df.index)
            ).to_numpy(dtype=np.int64)
            return key if every else key[sel]

        return {
            "first": first,
            "last": last,
            "has_stock": has_stock,
            "names": list(uniques),
            "codes": np.asarray(codes, dtype=np.int64),
            "day": ((d[sel] - np.datetime64(start, "s")) // np.timedelta64(1, "D")).astype(
                np.int64
            ),
            "units": column("units", 0.0),
            "available": column("available", np.nan),
            "span": span if every else span[sel],
            "reading_order": reading_order,
        }
    whole = as_table(sales, sch.SALES)
    days = whole.period_days.fill_null(1) if "period_days" in whole.columns else ibis.literal(1)
    whole = whole.mutate(_span=ibis.greatest(days, 1).cast("int64"))
    begins = whole.date.cast("date") - whole._span.as_interval(
        "D"
    )  # the day before the row's first
    whole = whole.mutate(_begins=begins.cast("timestamp"))
    span = to_pandas(whole.aggregate(first=whole._begins.min(), last=whole.date.max()))
    span["first"] = (
        pd.Timestamp(span["first"].iloc[0]) + pd.Timedelta(days=1)
        if span["first"].notna().all()
        else pd.NaT
    )
    t = whole.filter(
        (whole.date >= ibis.timestamp(start))
        & (whole._begins < ibis.timestamp(end))
        & whole.sku.notnull()
    )
    has_stock = "available" in t.columns
    files = (
        sorted(
            f
            for f in t.select("source_file").distinct().to_pyarrow().column(0).to_pylist()
            if f is not None
        )
        if "source_file" in t.columns
        else []
    )
    rank = (
        t.source_file.cases(*[(f, i) for i, f in enumerate(files)], else_=-1)
        if files
        else ibis.literal(-1)
    )
    got = t.select(
        sku=t.sku,
        day=t.date.cast("date").delta(ibis.date(start.date()), unit="day"),
        units=t.units.cast("float64").fill_null(0),
        available=t.available.cast("float64") if has_stock else ibis.null("float64"),
        file=rank,
        line=t.source_line.fill_null(0) if "source_line" in t.columns else ibis.literal(0),
        span=t._span,
    ).to_pyarrow()
    codes = got.column("sku").combine_chunks().dictionary_encode()

    def reading_order() -> np.ndarray:
        return (got.column("file").to_numpy().astype(np.int64) << 32) + got.column(
            "line"
        ).to_numpy().astype(np.int64)

    return {
        "first": pd.Timestamp(span["first"].iloc[0]),
        "last": pd.Timestamp(span["last"].iloc[0]),
        "has_stock": has_stock,
        "names": codes.dictionary.to_pylist(),
        "codes": codes.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        "day": got.column("day").to_numpy().astype(np.int64),
        "units": got.column("units").to_numpy(),
        "available": got.column("available").to_numpy(zero_copy_only=False).astype(float),
        "span": got.column("span").to_numpy().astype(np.int64),
        "reading_order": reading_order,
    }


def in_stock_rate(
    units: np.ndarray, in_stock: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean units per in-stock day over the last ``window`` days, and the number of in-stock days.

    >>> in_stock_rate(np.array([[10., 0, 0, 10]]), np.array([[True, False, False, True]]), 4)
    (array([10.]), array([2]))
    """
    u = units[:, -window:]
    k = in_stock[:, -window:]
    n = k.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, (u * k).sum(axis=1) / np.maximum(n, 1), np.nan)
    return rate, n


def blended_rate(
    units: np.ndarray,
    in_stock: np.ndarray,
    *,
    windows: tuple[int, ...] = (7, 30, 90),
    weights: tuple[float, ...] = (0.2, 0.5, 0.3),
) -> np.ndarray:
    """Weighted blend of in-stock rates over ``windows``; windows without in-stock days drop out.

    >>> u = np.array([[2.0] * 83 + [8.0] * 7])
    >>> round(float(blended_rate(u, u >= 0)[0]), 3)  # 0.2 × 8 + 0.5 × (23 × 2 + 7 × 8) / 30 + 0.3 × 222 / 90
    4.04
    """
    cum = Cumulative.of(units, in_stock)
    return cum.blend(units.shape[1], windows=windows, weights=weights)


def demand_sd(units: np.ndarray, in_stock: np.ndarray, window: int = 90) -> np.ndarray:
    """Standard deviation of daily units over in-stock days in the window (0 with fewer than 2).

    >>> demand_sd(np.array([[1.0, 3.0, 1.0, 3.0]]), np.ones((1, 4), bool)).round(3).tolist()
    [1.155]
    """
    u = units[:, -window:]
    k = in_stock[:, -window:]
    n = k.sum(axis=1)
    mean = np.where(n > 0, (u * k).sum(axis=1) / np.maximum(n, 1), 0.0)
    var = np.where(n > 1, (((u - mean[:, None]) ** 2) * k).sum(axis=1) / np.maximum(n - 1, 1), 0.0)
    return np.sqrt(var)


def average_demand_interval(
    units: np.ndarray, in_stock: np.ndarray, window: int = 90
) -> np.ndarray:
    """In-stock days per day with demand (ADI); ``inf`` when nothing sold.

    >>> average_demand_interval(np.array([[0, 0, 3.0, 0, 0, 3]]), np.ones((1, 6), bool)).tolist()
    [3.0]
    """
    k = in_stock[:, -window:]
    nz = ((units[:, -window:] > 0) & k).sum(axis=1)
    with np.errstate(divide="ignore"):
        return np.where(nz > 0, k.sum(axis=1) / np.maximum(nz, 1), np.inf)


def croston_sba(
    units: np.ndarray,
    in_stock: np.ndarray,
    *,
    alpha: float = 0.1,
    record_at: np.ndarray | None = None,
) -> np.ndarray:
    """SBA (Syntetos–Boylan) forecast of units per day, vectorised over SKUs; stock-out days are skipped.

    Sizes ``z`` and intervals ``p`` are smoothed at each demand: ``z += α(d − z)``, ``p += α(q − p)``
    with ``q`` the in-stock days since the previous demand; forecast ``(1 − α/2) · z / p``. With
    ``record_at`` (column numbers), the forecast made from the data before each of those columns too
    (SKUs × columns): the rolling origins' forecasts in the same pass.

    >>> u = np.array([[0, 0, 4, 0, 0, 4, 0, 0, 4, 0, 0, 4.0]])
    >>> round(float(croston_sba(u, u >= 0, alpha=0.2)[0]), 3)  # size 4 every 3 days: 0.9 × 4/3
    1.2
    >>> croston_sba(u, u >= 0, alpha=0.2, record_at=np.array([3, 12]))[1].round(3).tolist()
    [[1.2, 1.2]]
    """
    n_sku, n_day = units.shape
    z = np.full(n_sku, np.nan)
    p = np.full(n_sku, np.nan)
    q = np.zeros(n_sku)
    at = {} if record_at is None else {int(c): j for j, c in enumerate(record_at)}
    recorded = np.zeros((n_sku, len(at)))

    def now() -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(np.isnan(z), 0.0, (1 - alpha / 2) * z / np.where(p > 0, p, 1))

    for t in range(n_day):  # time steps; each step is vectorised over SKUs
        if t in at:
            recorded[:, at[t]] = now()
        k = in_stock[:, t]
        q = q + k
        d = units[:, t]
        hit = k & (d > 0)
        first = hit & np.isnan(z)
        z = np.where(first, d, np.where(hit, z + alpha * (d - z), z))
        p = np.where(first, q, np.where(hit, p + alpha * (q - p), p))
        q = np.where(hit, 0, q)
    if n_day in at:
        recorded[:, at[n_day]] = now()
    return now() if record_at is None else (now(), recorded)


@dataclass(frozen=True)
class Cumulative:
    """Cumulative in-stock units and in-stock days per row (SKU or group), so that any window's rate
    is two subtractions: ``units[a:b] = cu[b] − cu[a]``. Stored day-major (days + 1 rows × SKUs), so a
    day's sums for every SKU are one contiguous read."""

    cu: np.ndarray  # (days + 1) × SKUs
    ck: np.ndarray

    @classmethod
    def of(cls, units: np.ndarray, in_stock: np.ndarray) -> Cumulative:
        n, t = units.shape
        cu = np.zeros((t + 1, n))
        ck = np.zeros((t + 1, n))
        np.cumsum(np.ascontiguousarray(np.where(in_stock, units, 0.0).T), axis=0, out=cu[1:])
        np.cumsum(np.ascontiguousarray(in_stock.T), axis=0, dtype=float, out=ck[1:])
        return cls(cu, ck)

    def window(self, end: int, length: int) -> tuple[np.ndarray, np.ndarray]:
        """In-stock units and days over the ``length`` columns before column ``end`` (exclusive)."""
        last = self.cu.shape[0] - 1
        b = min(max(end, 0), last)
        a = min(max(end - length, 0), last)
        return self.cu[b] - self.cu[a], self.ck[b] - self.ck[a]

    def rate(self, end: int, length: int) -> np.ndarray:
        u, k = self.window(end, length)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(k > 0, u / np.where(k > 0, k, 1), np.nan)

    def blend(
        self, end: int, *, windows: tuple[int, ...], weights: tuple[float, ...]
    ) -> np.ndarray:
        """The blended in-stock rate on the day before column ``end`` (0 where no window has stock)."""
        if len(windows) != len(weights):
            raise ValueError("windows and weights must have the same length")
        rates = np.column_stack([self.rate(end, w) for w in windows])
        w = np.where(
            np.isnan(rates), 0.0, np.broadcast_to(np.asarray(weights, dtype=float), rates.shape)
        )
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                total > 0,
                (np.nan_to_num(rates) * w).sum(axis=1) / np.where(total > 0, total, 1),
                0.0,
            )


def demand_rates(
    m: DemandMatrix,
    *,
    windows: tuple[int, ...] = (7, 30, 90),
    weights: tuple[float, ...] = (0.2, 0.5, 0.3),
    adi_cutoff: float = 1.32,
    alpha: float = 0.1,
) -> pd.DataFrame:
    """Expected units per day per SKU, the one demand estimator every analysis uses: the blend of in-stock
    rates over ``windows`` (stock-out days left out), or Croston–SBA for intermittent SKUs (ADI above
    ``adi_cutoff``, Syntetos & Boylan). Columns: sku, rate, method.

    >>> u = np.array([[2.0] * 90, [0, 0, 0, 6.0] * 22 + [0, 0]])
    >>> m = DemandMatrix(pd.Index(["A", "B"]), pd.date_range("2026-08-03", periods=90), u, u >= 0, True)
    >>> demand_rates(m)[["rate", "method"]].values.tolist()  # B: 6 every 4 days, (1 − 0.1/2) × 6/4
    [[2.0, 'blend'], [1.425, 'croston_sba']]
    """
    look = max(windows)
    blend = blended_rate(m.units, m.in_stock, windows=windows, weights=weights)
    adi = average_demand_interval(m.units, m.in_stock, look)
    lumpy = np.isfinite(adi) & (adi > adi_cutoff)
    rate = blend.copy()
    if lumpy.any():
        rate[lumpy] = croston_sba(
            m.units[lumpy, -look * 2 :], m.in_stock[lumpy, -look * 2 :], alpha=alpha
        )
    return pd.DataFrame(
        {
            "sku": pd.array(m.skus, dtype="string"),
            "rate": rate.round(4),
            "method": np.where(lumpy, "croston_sba", "blend"),
        }
    )


# ---------------------------------------------------------------------------- stock over a window, cover

#: Amazon's guidance is 30–60 days of supply (≈ 4.3–8.6 weeks); "4–8 weeks" is the seeds' rule of thumb
COVER_BAND_WEEKS = (4.0, 8.0)


def window_sums(
    t, *, start: pd.Timestamp, end: pd.Timestamp, by: tuple[str, ...], monthly: bool
) -> pd.DataFrame:
    """Per ``by`` (and month): unit-days and value-days of stock, units sold net of returns, and COGS
    (``t`` is a ledger with a ``unit_cost`` column).

    Both sides are prorated the same way: a ledger row counts for the days it has inside the window,
    its stock as its balance on each of them (a day's ending; a longer row's mean of opening and
    closing) and its sales as the same share of the row's sales (a month's sales fall evenly on its
    days). So a 90-day window that starts on 3 August counts 29/31 of August's sales and stock alike,
    and a 365-day window in a leap year drops no month.

    >>> led = pd.DataFrame({"period_start": pd.to_datetime(["2026-08-01", "2026-09-01"]),
    ...     "period_end": pd.to_datetime(["2026-08-31", "2026-09-30"]), "sku": "A", "location": "US",
    ...     "location_class": "fba", "disposition": "SELLABLE", "starting": [31, 31],
    ...     "customer_shipments": [-31, -30], "receipts": [31, 30], "ending": [31, 31], "unit_cost": 1.0})
    >>> window_sums(as_table(sch.conform(led, sch.LEDGER)), start=pd.Timestamp("2026-08-17"),
    ...     end=pd.Timestamp("2026-09-30"), by=("sku",),
    ...     monthly=False)[["unit_days", "sold_units"]].values.tolist()
    [[1395.0, 45.0]]
    """
    t = t.filter((t.period_end >= ibis.timestamp(start)) & (t.period_start <= ibis.timestamp(end)))
    lo = ibis.greatest(t.period_start, ibis.timestamp(start)).cast("date")
    hi = ibis.least(t.period_end, ibis.timestamp(end)).cast("date")
    overlap = hi.delta(lo, unit="day") + 1
    one_day = t.period_start.cast("date") == t.period_end.cast("date")
    level = ibis.cases(
        (one_day, t.ending.cast("float64")), else_=(t.starting + t.ending).cast("float64") / 2
    )
    length = t.period_end.cast("date").delta(t.period_start.cast("date"), unit="day") + 1
    share = overlap.cast("float64") / length.cast("float64")  # the row's days inside the window
    sold = -(t.customer_shipments.fill_null(0) + t.customer_returns.fill_null(0)).cast("float64")
    t = t.mutate(
        unit_days=level * overlap,
        value_days=level * overlap * t.unit_cost,
        sold=sold * share,
        month=t.period_start.strftime("%Y-%m"),
    )
    keys = [*by, "month"] if monthly else list(by)
    g = t.group_by(keys).aggregate(
        unit_days=t.unit_days.sum(),
        value_days=t.value_days.sum(),
        sold_units=t.sold.sum(),
        cogs=(t.sold * t.unit_cost).sum(),
    )
    out = to_pandas(g, order_by=keys)
    for c in ("unit_days", "value_days", "cogs"):
        out[c] = out[c].astype("float64")
    return out


def average_inventory(
    ledger: TableLike,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    by: tuple[str, ...] = ("sku",),
) -> pd.DataFrame:
    """Time-weighted average units on hand over ``[start, end]`` per ``by`` (see the module text).

    >>> days = pd.date_range("2026-06-01", periods=30)
    >>> daily = pd.DataFrame({"period_start": days, "period_end": days, "sku": "A", "location": "US",
    ...     "location_class": "fba", "disposition": "SELLABLE",
    ...     "starting": [10_000] * 6 + [0] * 24, "ending": [10_000] * 5 + [0] * 25})
    >>> average_inventory(daily, start="2026-06-01", end="2026-06-30")["avg_units"].round(2).tolist()
    [1666.67]
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    t = as_table(ledger, sch.LEDGER).mutate(unit_cost=ibis.literal(0.0))
    out = window_sums(t, start=start, end=end, by=by, monthly=False)
    out["avg_units"] = out["unit_days"] / ((end - start).days + 1)
    return out[[*by, "avg_units"]]


def trailing_units(
    sales: TableLike,
    *,
    as_of: str | pd.Timestamp,
    windows: tuple[int, ...] = (7, 30, 60, 90),
) -> pd.DataFrame:
    """Units sold per SKU in each trailing window ending on ``as_of`` (columns ``units_t7`` …) and the
    date of the last sale."""
    as_of = pd.Timestamp(as_of)
    t = as_table(sales, sch.SALES)
    t = t.filter(t.date <= ibis.timestamp(as_of))
    aggs = {
        f"units_t{w}": t.units.sum(where=t.date > ibis.timestamp(as_of - pd.Timedelta(days=w)))
        for w in windows
    }
    g = t.group_by("sku").aggregate(**aggs, last_sale=t.date.max(where=t.units > 0))
    out = to_pandas(g, order_by=["sku"])
    for w in windows:
        out[f"units_t{w}"] = out[f"units_t{w}"].fillna(0)
    return out


def weeks_of_cover(stock_units, units_sold, days: int):
    """Stock over average weekly sales in the trailing ``days``; NaN when nothing sold.

    >>> float(weeks_of_cover(100, 400, 28)), float(weeks_of_cover(5, 0, 30))
    (1.0, nan)
    """
    weekly = np.asarray(units_sold, dtype=float) / (days / 7)
    stock = np.asarray(stock_units, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(weekly > 0, stock / np.where(weekly > 0, weekly, 1), np.nan)


def cover(
    units, rate_per_day, *, unit_cost=None, band: tuple[float, float] = COVER_BAND_WEEKS
) -> pd.DataFrame:
    """Over- and under-covered stock, one definition for every notebook: weeks of cover = units at Amazon
    and on their way over the expected weekly sales (``demand_rates``: in-stock days only), its status
    against the band, and the money outside it: ``excess_units = units − band_high × 7 × rate`` (stock
    beyond the band's top, tied up) and ``short_units = band_low × 7 × rate − units``, each valued at cost.

    >>> cover([100, 10, 60, 5], [1.0, 1.0, 1.0, 0.0], unit_cost=[2.0, 2.0, 2.0, 2.0]).round(2).values.tolist()
    [[14.29, 'over', 44.0, 88.0, 0.0, 0.0], [1.43, 'under', 0.0, 0.0, 18.0, 36.0], [8.57, 'over', 4.0, 8.0, 0.0, 0.0], [nan, 'no sales', 5.0, 10.0, 0.0, 0.0]]
    """
    u = np.asarray(units, dtype=float)
    r = np.asarray(rate_per_day, dtype=float)
    cost = np.ones_like(u) * np.nan if unit_cost is None else np.asarray(unit_cost, dtype=float)
    weeks = weeks_of_cover(u, r * 7, 7).round(2)  # the status of the number shown
    status = cover_status(weeks, band=band)
    excess = np.where(status == "no sales", u, np.clip(u - band[1] * 7 * r, 0, None))
    short = np.where(status == "under", np.clip(band[0] * 7 * r - u, 0, None), 0.0)
    return pd.DataFrame(
        {
            "weeks_of_cover": weeks.round(2),
            "cover_status": status,
            "excess_units": excess.round(1),
            "excess_value": (excess * cost).round(2),
            "short_units": short.round(1),
            "short_value": (short * cost).round(2),
        }
    )


def cover_status(weeks, *, band: tuple[float, float] = COVER_BAND_WEEKS) -> np.ndarray:
    """'under', 'in band', 'over' or 'no sales' for each weeks-of-cover value.

    >>> cover_status([2.0, 5.0, 12.0, float("nan")]).tolist()
    ['under', 'in band', 'over', 'no sales']
    """
    w = np.asarray(weeks, dtype=float)
    return np.select(
        [np.isnan(w), w < band[0], w > band[1]], ["no sales", "under", "over"], "in band"
    )
