"""Aging and clearance: how old is the stock, what will it cost to keep, and what to do with each aged SKU.

**FIFO ages without Amazon's report.** Amazon ages inventory first in, first out
across its whole network: whatever physical unit ships, the oldest received unit
is the one that leaves the books. So the units on hand are the *newest* receipts:
walk each SKU's receipt lots from the newest back and give each lot
``min(units, on_hand − units already given to newer lots)``. Units on hand
beyond everything received in the data are *opening stock* of unknown age; they
are dated the day before the data starts (``opening_date``), a lower bound on
their age. Receipt lots come from the shipments file (day received, units
received) — or, without one, from the ledger's receipts, dated on the first day
of their period (an upper bound on age within the month).

**Projection.** Units sell oldest first at the expected daily rate (the stock
layer's ``demand_rates``: in-stock days only, the 7/30/90-day blend or Croston–SBA,
the rate the purchase plan starts from), so a selling SKU can still pay the surcharge on its
oldest lot. For each lot and each future date, ``remaining = clip(cum_from_oldest
− sold_by_then, 0, units)``. Storage is priced per calendar month on each SKU's
units on hand mid-month (rounded per SKU, as Amazon charges it, not per lot); the
aged inventory surcharge on each lot's remaining units at every 15th
(:mod:`stockbook.fees`).

**Keep or clear** (SKUs holding units older than ``age_threshold_days``). Each
option is valued over the horizon for the SKU's whole FBA stock, money in minus
money out, the unit cost being sunk in every case::

    value = units sold × (price × (1 − referral) − fulfilment fee) − storage − surcharges
            + units left at the horizon × their liquidation value + cash from the cleared units

``keep`` sells at the current price and rate; ``discount`` cuts the price and
lifts demand; ``outlet`` is a two-week Outlet deal (≥ 20 % off, needs ≥ 90 days
in stock and more than 10 units); ``liquidate``, ``remove`` (fee + freight, then
resold elsewhere at a share of price), ``dispose`` (fee) and ``donate`` (fee,
less the tax value) clear the aged units now and keep the rest. The
recommendation is the option of highest value (ties go to keep).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import ibis
import numpy as np
import pandas as pd

from stockbook import fees as fee
from stockbook import schema as sch
from stockbook.engine import TableLike, as_table, column_min, has_values, row_count, to_pandas
from stockbook.money import rates_for, restate
from stockbook.stock import (
    average_inventory,
    balances_at,
    demand_matrix,
    demand_rates,
    products_in,
    sold,
    stock_ledger,
    unit_fees,
)
from stockbook.stock import products as stock_products

OPTIONS = ("keep", "discount", "outlet", "liquidate", "remove", "dispose", "donate")
CLEAR_OPTIONS = ("liquidate", "remove", "dispose", "donate")
#: age at which each surcharge tier starts (for "days until the next tier")
TIER_STARTS = (181, 211, 241, 271, 301, 331, 366, 456)


# ---------------------------------------------------------------------------- FIFO ages


def receipt_lots(
    *,
    shipments: pd.DataFrame | None = None,
    ledger: TableLike | None = None,
    receipts: pd.DataFrame | None = None,
    location_class: str = "fba",
    as_of: str | pd.Timestamp,
) -> pd.DataFrame:
    """Dated receipt lots (sku, date, units, source) for one location class, up to ``as_of``.

    FBA: the shipments file's received lots, else the ledger's receipts per period. Domestic: the
    purchase receipts, else the ledger's receipts per period.
    """
    as_of = pd.Timestamp(as_of)
    cols = ["sku", "date", "units", "source"]
    if location_class in ("fba", "third_party") and shipments is not None and len(shipments):
        s = shipments.loc[
            shipments["received_date"].notna() & (shipments["received_date"] <= as_of)
        ]
        units = s["units_received"].fillna(s["units_shipped"])
        out = pd.DataFrame(
            {"sku": s["sku"], "date": s["received_date"], "units": units, "source": "shipment"}
        )
    elif location_class == "domestic" and receipts is not None and len(receipts):
        r = receipts.loc[receipts["date"] <= as_of]
        out = pd.DataFrame(
            {"sku": r["sku"], "date": r["date"], "units": r["units"], "source": "purchase receipt"}
        )
    elif ledger is not None:
        t = as_table(ledger, sch.LEDGER)
        t = t.filter(
            (t.location_class == location_class)
            & (t.period_start <= ibis.timestamp(as_of))
            & (t.receipts.fill_null(0) > 0)
        )
        led = to_pandas(
            t.select("sku", "period_start", "receipts", "source_file", "source_line"),
            order_by=["source_file", "source_line", "sku", "period_start"],
        )
        out = pd.DataFrame(
            {
                "sku": led["sku"],
                "date": led["period_start"],
                "units": led["receipts"],
                "source": "ledger receipts (dated at period start)",
            }
        )
    else:
        out = pd.DataFrame({c: [] for c in cols})
    out = out.loc[out["units"].fillna(0) > 0]
    return sch.conform(
        out,
        sch.TableSchema(
            "lots",
            (
                sch.Column("sku", "id", True, ""),
                sch.Column("date", "date", True, ""),
                sch.Column("units", "units", True, ""),
                sch.Column("source", "text", False, ""),
            ),
            key=("sku", "date"),
        ),
    )


def fifo_allocate(
    on_hand: pd.DataFrame, lots: pd.DataFrame, *, opening_date: str | pd.Timestamp
) -> pd.DataFrame:
    """Give each SKU's units on hand to its newest lots first (see the module text).

    ``on_hand``: sku, units. ``lots``: sku, date, units. Returns sku, date, units, source — one row
    per lot still (partly) on hand, plus an ``opening`` lot dated ``opening_date`` for units beyond
    all receipts. The allocated units of each SKU sum to its units on hand.

    >>> on_hand = pd.DataFrame({"sku": ["A", "B"], "units": [130, 5]})
    >>> lots = pd.DataFrame({"sku": ["A", "A", "A"], "date": pd.to_datetime(["2026-01-10", "2026-05-01",
    ...     "2026-09-01"]), "units": [100, 100, 50]})
    >>> fifo_allocate(on_hand, lots, opening_date="2025-12-31")[["sku", "date", "units"]].astype(str).values.tolist()
    [['A', '2026-05-01', '80'], ['A', '2026-09-01', '50'], ['B', '2025-12-31', '5']]
    """
    oh = on_hand.groupby("sku", as_index=False)["units"].sum()  # sorted by SKU
    oh = oh.loc[oh["units"] > 0].reset_index(drop=True)
    have = oh["units"].to_numpy(dtype=np.int64)
    # each lot's SKU as its position in ``oh`` (one hash lookup; the position sorts as the SKU does), so the
    # sorts and groupings below are over integers, not strings
    pos = pd.Index(oh["sku"]).get_indexer(lots["sku"])
    lo = lots.loc[pos >= 0].copy()
    lo["_pos"] = pos[pos >= 0]
    lo["units"] = lo["units"].astype("int64")
    if "source" not in lo:
        lo["source"] = "receipt"
    lo = lo.sort_values(["_pos", "date"], ascending=[True, False], kind="stable")
    newer = lo.groupby("_pos")["units"].cumsum() - lo["units"]
    lo["units"] = np.clip(have[lo["_pos"].to_numpy()] - newer, 0, lo["units"])
    lo = lo.loc[lo["units"] > 0]
    rest = have - np.bincount(
        lo["_pos"].to_numpy(), weights=lo["units"].to_numpy(), minlength=len(oh)
    ).astype(np.int64)
    left = np.flatnonzero(rest > 0)
    opening = pd.DataFrame(
        {
            "sku": oh["sku"].iloc[left].to_numpy(),
            "date": pd.Timestamp(opening_date),
            "units": rest[left],
            "source": "opening stock (age unknown; at least this old)",
            "_pos": left,
        }
    )
    out = pd.concat([lo[["sku", "date", "units", "source", "_pos"]], opening], ignore_index=True)
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[s]")
    out["units"] = out["units"].astype("int64")
    return out.sort_values(["_pos", "date"], ignore_index=True).drop(columns="_pos")


def bucket_units(
    lots: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    buckets: dict[str, tuple[int, int | None]] | None = None,
) -> pd.DataFrame:
    """Units per SKU in each age bucket at ``as_of`` (age = days since the lot was received).

    >>> lots = pd.DataFrame({"sku": ["A", "A"], "date": pd.to_datetime(["2026-10-01", "2026-01-01"]),
    ...                      "units": [5, 7]})
    >>> [int(v) for v in bucket_units(lots, as_of="2026-10-31").iloc[0, 1:6]]  # 30 and 303 days old
    [5, 0, 0, 7, 0]
    """
    buckets = buckets or sch.AGE_BUCKETS
    age = (pd.Timestamp(as_of) - pd.to_datetime(lots["date"])).dt.days.to_numpy()
    out = pd.DataFrame({"sku": lots["sku"].to_numpy()})
    for name, (lo, hi) in buckets.items():
        inside = (age >= lo) & (age <= (hi if hi is not None else np.inf))
        out[name] = np.where(inside, lots["units"].to_numpy(), 0)
    return out.groupby("sku", as_index=False).sum().astype({n: "int64" for n in buckets})


#: the FBA Inventory report's two sets of age buckets: the coarse ones every download has, the finer
#: ones of newer downloads (91–180 is in both)
COARSE_BUCKETS = (
    "inv_age_0_to_90_days",
    "inv_age_91_to_180_days",
    "inv_age_181_to_270_days",
    "inv_age_271_to_365_days",
    "inv_age_365_plus_days",
)
FINE_BUCKETS = (
    "inv_age_0_to_30_days",
    "inv_age_31_to_60_days",
    "inv_age_61_to_90_days",
    "inv_age_91_to_180_days",
    "inv_age_181_to_330_days",
    "inv_age_331_to_365_days",
    "inv_age_366_to_455_days",
    "inv_age_456_plus_days",
)


def _bucket_totals(report: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    cols = [c for c in names if c in report]
    return (
        report[cols].fillna(0).astype("int64").sum(axis=1)
        if cols
        else pd.Series(0, index=report.index)
    )


def lots_from_report(report: pd.DataFrame) -> pd.DataFrame:
    """Lots from the FBA Inventory report's age buckets, each dated at its bucket's middle age.

    Per row, the set of buckets that holds the units is used: the finer buckets where they hold at least
    as many units as the coarse ones, else the coarse ones (a download may fill ``inv-age-365-plus-days``
    and leave ``366-to-455`` and ``456-plus`` empty: those units must not vanish).

    >>> r = pd.DataFrame({"snapshot_date": pd.Timestamp("2026-10-31"), "sku": ["A"], "inv_age_0_to_90_days": [32],
    ...     "inv_age_0_to_30_days": [32], "inv_age_365_plus_days": [200], "inv_age_366_to_455_days": [None],
    ...     "inv_age_456_plus_days": [None]})
    >>> lots_from_report(r)[["units", "source"]].values.tolist()
    [[200, 'report bucket inv_age_365_plus_days'], [32, 'report bucket inv_age_0_to_90_days']]
    """
    fine = _bucket_totals(report, FINE_BUCKETS)
    coarse = _bucket_totals(report, COARSE_BUCKETS)
    use_fine = (fine >= coarse) & (fine > 0)
    spec = {**sch.AGE_BUCKETS, **sch.FINE_AGE_BUCKETS}
    parts = []
    for names, rows in ((FINE_BUCKETS, use_fine), (COARSE_BUCKETS, ~use_fine)):
        r = report.loc[rows]
        for b in names:
            if b not in r:
                continue
            lo, hi = spec[b]
            mid = (lo + hi) / 2 if hi is not None else lo + 45
            parts.append(
                pd.DataFrame(
                    {
                        "sku": r["sku"],
                        "date": r["snapshot_date"] - pd.to_timedelta(round(mid), unit="D"),
                        "units": r[b].fillna(0).astype("int64"),
                        "source": f"report bucket {b}",
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            {
                "sku": pd.Series(dtype="string"),
                "date": pd.Series(dtype="datetime64[s]"),
                "units": pd.Series(dtype="int64"),
                "source": pd.Series(dtype="string"),
            }
        )
    out = pd.concat(parts, ignore_index=True)
    return out.loc[out["units"] > 0].sort_values(["sku", "date"], ignore_index=True)


def date_opening_lots(fifo: pd.DataFrame, report_lots: pd.DataFrame) -> pd.DataFrame:
    """FIFO lots with each SKU's opening lot (stock older than the data, :func:`fifo_allocate`) dated by
    Amazon's report instead: its units take the report's oldest lots of the SKU, oldest first, among the
    lots the report dates no later than ``slack_days`` after the opening date (a bucket's middle age is
    an estimate); units the report does not age so old stay at the opening date, a lower bound.

    >>> fifo = pd.DataFrame({"sku": ["A", "A"], "date": pd.to_datetime(["2025-07-31", "2026-09-01"]),
    ...     "units": [250, 40], "source": ["opening stock (age unknown; at least this old)", "receipt"]})
    >>> rep = pd.DataFrame({"sku": ["A", "A", "A"], "date": pd.to_datetime(["2025-06-01", "2025-08-20",
    ...     "2026-09-15"]), "units": [200, 30, 60], "source": "report"})
    >>> date_opening_lots(fifo, rep)[["date", "units"]].astype(str).values.tolist()
    [['2025-06-01', '200'], ['2025-07-31', '20'], ['2025-08-20', '30'], ['2026-09-01', '40']]
    """
    slack_days = 45
    is_open = fifo["source"].astype("string").str.startswith("opening").fillna(False).to_numpy()
    opening = fifo.loc[is_open, ["sku", "units"]].groupby("sku")["units"].sum()
    if not len(opening) or not len(report_lots):
        return fifo
    opened = pd.Timestamp(fifo.loc[is_open, "date"].min())
    r = report_lots.loc[
        report_lots["sku"].isin(opening.index)
        & (report_lots["date"] <= opened + pd.Timedelta(days=slack_days))
    ]
    r = r.sort_values(["sku", "date"], kind="stable")
    before = r.groupby("sku")["units"].cumsum() - r["units"]
    r = r.assign(
        units=np.clip(
            r["sku"].map(opening).to_numpy() - before.to_numpy(), 0, r["units"].to_numpy()
        )
    )
    r = r.loc[r["units"] > 0].assign(source="opening stock, dated by Amazon's FBA Inventory report")
    left = opening - r.groupby("sku")["units"].sum().reindex(opening.index, fill_value=0)
    rest = (
        fifo.loc[is_open]
        .drop_duplicates("sku")
        .set_index("sku")
        .loc[left.index[left > 0]]
        .assign(units=left[left > 0])
        .reset_index()
    )
    out = pd.concat([fifo.loc[~is_open], r[fifo.columns], rest[fifo.columns]], ignore_index=True)
    out["units"] = out["units"].astype("int64")
    return out.sort_values(["sku", "date"], ignore_index=True)


#: cubic feet per unit of the FBA Inventory report's ``volume-unit-measurement``
_CUBIC_FEET = {
    "cubic feet": 1.0,
    "cubic foot": 1.0,
    "cubic_feet": 1.0,
    "cubic meters": 35.3147,
    "cubic meter": 35.3147,
    "cubic centimeters": 35.3147e-6,
}


def with_report_volumes(products: pd.DataFrame, report: pd.DataFrame | None) -> pd.DataFrame:
    """The SKU master (by SKU) with each unit's volume, size tier and price taken from Amazon's FBA Inventory
    report where the master has none, and SKUs only the report knows added; ``volume_known`` says which
    SKUs have a volume at all (storage and surcharges of the others cannot be projected: not silently 0).

    >>> p = pd.DataFrame({"cubic_feet": [None], "size_tier": [None], "price": [None], "category": [None]},
    ...                  index=pd.Index(["A"], name="sku"))
    >>> r = pd.DataFrame({"sku": ["A", "B"], "item_volume": [0.02, 0.5], "volume_unit_measurement": ["cubic meters",
    ...     "cubic feet"], "storage_type": ["Standard", "Standard"], "your_price": [9.99, None]})
    >>> with_report_volumes(p, r)[["cubic_feet", "volume_known"]].round(4).values.tolist()
    [[0.7063, True], [0.5, True]]
    """
    out = products.copy()
    if report is not None and len(report) and "item_volume" in report:
        r = report.drop_duplicates("sku").set_index("sku")
        unit = r.get("volume_unit_measurement", pd.Series("cubic feet", index=r.index)).astype(
            "string"
        )
        factor = unit.str.strip().str.lower().map(_CUBIC_FEET).astype("float64").fillna(1.0)
        vol = (r["item_volume"].astype("float64") * factor).rename("cubic_feet")
        out = out.reindex(out.index.union(r.index))
        out["cubic_feet"] = out["cubic_feet"].astype("float64").fillna(vol)
        if "your_price" in r:
            out["price"] = out["price"].astype("float64").fillna(r["your_price"].astype("float64"))
    out["volume_known"] = out["cubic_feet"].astype("float64").fillna(0) > 0
    return out


def report_totals(report: pd.DataFrame) -> pd.DataFrame:
    """Per SKU: the units the report's buckets hold (the set :func:`lots_from_report` uses) against its own
    on-hand figures (available + reserved): a difference means units the ages do not cover.

    >>> r = pd.DataFrame({"sku": ["A"], "available": [232], "reserved_quantity": [0], "inv_age_0_to_90_days": [32],
    ...     "inv_age_365_plus_days": [200]})
    >>> report_totals(r)[["bucket_units", "on_hand", "difference"]].values.tolist()
    [[232, 232, 0]]
    """
    units = np.maximum(_bucket_totals(report, FINE_BUCKETS), _bucket_totals(report, COARSE_BUCKETS))
    on_hand = report["available"].fillna(0).astype("int64") + (
        report["reserved_quantity"].fillna(0).astype("int64")
        if "reserved_quantity" in report
        else 0
    )
    out = (
        pd.DataFrame(
            {
                "sku": report["sku"].to_numpy(),
                "bucket_units": units.to_numpy(),
                "on_hand": on_hand.to_numpy(),
            }
        )
        .groupby("sku", as_index=False)
        .sum()
    )
    out["difference"] = out["bucket_units"] - out["on_hand"]
    return out


# ---------------------------------------------------------------------------- projection


def project_remaining(lots: pd.DataFrame, sold_by: pd.DataFrame) -> pd.DataFrame:
    """Units left of each lot at each future date when sales take the oldest first.

    ``sold_by``: sku, date, sold (cumulative units sold from now to that date). Returns one row
    per lot and date with ``remaining`` (:func:`remaining_units`).

    >>> lots = pd.DataFrame({"sku": "A", "date": pd.to_datetime(["2026-01-01", "2026-06-01"]), "units": [10, 10]})
    >>> sold = pd.DataFrame({"sku": "A", "date": pd.to_datetime(["2026-11-15"]), "sold": [14]})
    >>> project_remaining(lots, sold)["remaining"].tolist()
    [0, 6]
    """
    lo = lots.sort_values(["sku", "date"], kind="stable").rename(columns={"date": "lot_date"})
    lo = lo.assign(cum=lo.groupby("sku")["units"].cumsum())
    m = lo.merge(sold_by.rename(columns={"date": "at"}), on="sku", how="inner")
    m["remaining"] = remaining_units(
        cum=m["cum"].to_numpy(), units=m["units"].to_numpy(), sold=m["sold"].to_numpy()
    )
    return m.drop(columns=["cum"]).reset_index(drop=True)


def remaining_units(*, cum: np.ndarray, units: np.ndarray, sold: np.ndarray) -> np.ndarray:
    """What is left of a lot once ``sold`` units have gone oldest first: ``clip(cum − sold, 0, units)``.

    ``cum`` is the SKU's units up to and including this lot, oldest first. Arrays broadcast, so a
    column of lots against a row of dates gives a lots × dates matrix.

    >>> remaining_units(cum=np.array([[10], [20]]), units=np.array([[10], [10]]), sold=np.array([[0, 14, 25]]))
    array([[10,  0,  0],
           [10,  6,  0]])
    """
    return np.round(np.clip(np.asarray(cum) - np.asarray(sold), 0, np.asarray(units)), 0).astype(
        "int64"
    )


def _sold_matrix(
    rate: np.ndarray, days: np.ndarray, *, lift: float = 0.0, lift_days: float | None = None
) -> np.ndarray:
    """Cumulative expected sales, SKUs × dates: rate × days, with an optional lift (for ``lift_days``)."""
    r = np.asarray(rate, dtype=float)[:, None]
    days = np.asarray(days, dtype=float)
    if lift_days is None:
        return r * (1 + lift) * days[None, :]
    return (
        r * (1 + lift) * np.minimum(days, lift_days)[None, :]
        + r * np.clip(days - lift_days, 0, None)[None, :]
    )


def _snapshots(as_of: pd.Timestamp, horizon_days: int) -> pd.DatetimeIndex:
    """The 15ths in (as_of, as_of + horizon]."""
    end = as_of + pd.Timedelta(days=horizon_days)
    days = pd.date_range(as_of + pd.Timedelta(days=1), end, freq="D")
    return days[days.day == 15]


def _months(as_of: pd.Timestamp, horizon_days: int) -> pd.DataFrame:
    """Calendar months touching (as_of, as_of + horizon]: mid-month date and the share of the month inside."""
    end = as_of + pd.Timedelta(days=horizon_days)
    rows = []
    for m in pd.period_range(as_of + pd.Timedelta(days=1), end, freq="M"):
        lo = max(m.start_time, as_of + pd.Timedelta(days=1))
        hi = min(m.end_time.normalize(), end)
        inside = (hi - lo).days + 1
        rows.append(
            {"month": m.start_time, "mid": lo + (hi - lo) / 2, "share": inside / m.days_in_month}
        )
    return pd.DataFrame(rows)


def project_fees(
    lots: pd.DataFrame,
    rates: pd.DataFrame,
    products: pd.DataFrame,
    tables: fee.FeeTables,
    *,
    as_of: str | pd.Timestamp,
    horizon_days: int,
    lift: float = 0.0,
    lift_days: float | None = None,
) -> pd.DataFrame:
    """Per SKU over the horizon: storage fees, surcharges, units sold and units left.

    ``rates``: sku, rate (expected units per day). ``products``: sku, cubic_feet, size_tier.
    Each lot's units left at each date are one lots × dates matrix (:func:`remaining_units`, sales
    taking the oldest lot first). Storage is charged per SKU on its units left mid-month,
    ``round(units × cubic feet × the month's rate, 2) × share of the month in the horizon``; the
    surcharge on each lot's units left at every 15th, by the lot's age, summed per SKU.

    >>> t = fee.load_fee_tables()
    >>> lots = pd.DataFrame({"sku": ["A", "A"], "date": pd.to_datetime(["2026-01-20", "2026-10-01"]),
    ...                      "units": [10, 10]})
    >>> p = pd.DataFrame({"sku": ["A"], "cubic_feet": [0.5], "size_tier": ["standard"]})
    >>> out = project_fees(lots, pd.DataFrame({"sku": ["A"], "rate": [0.5]}), p, t, as_of="2026-10-31",
    ...                    horizon_days=30)
    >>> out[["sku", "stock", "sold", "left"]].values.tolist()
    [['A', 20, 15, 5]]
    """
    as_of = pd.Timestamp(as_of)
    skus = pd.DataFrame({"sku": lots["sku"].unique()})
    code = pd.Index(skus["sku"]).get_indexer(lots["sku"])
    k = len(skus)
    # lots oldest first within each SKU (ties keep their order), and each lot's running total
    lot_date = pd.to_datetime(lots["date"]).to_numpy(dtype="datetime64[s]")
    order = np.lexsort((lot_date, code))
    code, lot_date = code[order], lot_date[order]
    units = lots["units"].to_numpy(dtype="int64")[order]
    run = np.cumsum(units)
    first = np.r_[0, np.flatnonzero(np.diff(code)) + 1] if len(code) else np.zeros(0, dtype=int)
    cum = run - np.repeat(run[first] - units[first], np.diff(np.r_[first, len(code)]))

    rate = rates.drop_duplicates("sku", keep="last").set_index("sku")["rate"].reindex(skus["sku"])
    prod = sch.products_by_sku(products).reindex(skus["sku"])
    cubic_feet = prod["cubic_feet"].astype("float64").fillna(0).to_numpy()
    category = prod["category"].astype("string").fillna("").to_numpy(dtype=object)
    months = _months(as_of, horizon_days)
    snaps = _snapshots(as_of, horizon_days)
    end = as_of + pd.Timedelta(days=horizon_days)
    mids = list(months["mid"].dt.normalize()) if len(months) else []
    dates = pd.DatetimeIndex(sorted(set(mids) | set(snaps) | {end}))
    sold = _sold_matrix(
        rate.fillna(0.0).to_numpy(dtype=float),
        np.asarray((dates - as_of).days),
        lift=lift,
        lift_days=lift_days,
    )
    left = remaining_units(cum=cum[:, None], units=units[:, None], sold=sold[code])  # lots × dates
    col = {d: j for j, d in enumerate(dates)}

    # storage is charged per SKU on its units on hand (Amazon: per FNSKU, not per lot)
    storage = np.zeros(k)
    for month, mid, share in zip(
        months.get("month", []), mids, months.get("share", []), strict=True
    ):
        on_hand = np.bincount(code, weights=left[:, col[mid]], minlength=k)
        storage += (
            fee.monthly_storage_fee(
                tables,
                month=[month] * k,
                units=on_hand,
                cubic_feet=cubic_feet,
                size_tier=prod["size_tier"].to_numpy(),
            )
            * share
        )
    # the surcharge per lot, by its age; lots younger than the first tier, or sold out, pay nothing
    surcharge = np.zeros(k)
    youngest_charged = tables.surcharge["min_age_days"].min()
    for snap in snaps:
        age = (np.datetime64(snap, "s") - lot_date).astype("timedelta64[D]").astype("int64")
        due = np.flatnonzero((age >= youngest_charged) & (left[:, col[snap]] > 0))
        ais = fee.aged_surcharge(
            tables,
            snapshot=snap,
            age_days=age[due],
            units=left[due, col[snap]],
            cubic_feet=cubic_feet[code[due]],
            category=category[code[due]],
        )
        surcharge += np.bincount(code[due], weights=ais["amount"].to_numpy(), minlength=k)
    out = skus.copy()
    out["storage"] = storage.round(2)
    out["surcharge"] = surcharge.round(2)
    out["stock"] = np.bincount(code, weights=units, minlength=k).astype("int64")
    out["left"] = np.bincount(code, weights=left[:, col[end]], minlength=k).astype("int64")
    out["sold"] = out["stock"] - out["left"]
    out["fees"] = (out["storage"] + out["surcharge"]).round(2)
    return out


def next_tier(
    lots: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    within_days: int = 30,
    starts: Sequence[int] = TIER_STARTS,
) -> pd.DataFrame:
    """Per SKU: days until its first units cross into the next surcharge tier (tiers starting at ``starts``
    days: the US's by default, the marketplace's table's in :func:`aging_pack`), and the units crossing
    within ``within_days`` (before any sales).

    >>> lots = pd.DataFrame({"sku": ["A"], "date": pd.to_datetime(["2025-11-10"]), "units": [5]})
    >>> next_tier(lots, as_of="2026-05-01").values.tolist(), next_tier(lots, as_of="2026-05-01", starts=[366]
    ...     ).values.tolist()  # 172 days old: the US's 181-day tier in 9 days, the UK's 366 in 194
    ([['A', 9.0, 5]], [['A', 194.0, 0]])
    """
    age = (pd.Timestamp(as_of) - pd.to_datetime(lots["date"])).dt.days.to_numpy()
    starts = np.sort(np.asarray(starts, dtype=int))
    k = np.searchsorted(starts, age, side="right")
    days = np.where(k < len(starts), starts[np.clip(k, 0, len(starts) - 1)] - age, np.nan)
    d = pd.DataFrame(
        {"sku": lots["sku"].to_numpy(), "days": days, "units": lots["units"].to_numpy()}
    )
    g = d.groupby("sku").agg(days_to_next_tier=("days", "min"))
    g["units_crossing_30d"] = d.loc[d["days"] <= within_days].groupby("sku")["units"].sum()
    g["units_crossing_30d"] = g["units_crossing_30d"].fillna(0).astype("int64")
    return g.reset_index()


# ---------------------------------------------------------------------------- keep or clear


@dataclass(frozen=True)
class ClearanceTerms:
    """The money assumptions of keep-or-clear; every one is a notebook parameter."""

    horizon_days: int = 90
    age_threshold_days: int = 180
    discount: float = 0.20  # price cut of the discount option
    discount_lift: float = 0.50  # extra demand the cut brings (+50 %)
    outlet_discount: float = 0.20  # Outlet deals need at least 20 % off
    outlet_lift: float = 2.0  # extra demand while the deal runs (+200 %)
    outlet_days: int = 14  # an Outlet deal is featured about two weeks
    referral_rate: float = 0.15  # Amazon referral fee on the selling price
    fulfilment_fee_standard: float = (
        3.50  # fee per unit, standard size, where the fee table cannot price a SKU (UNCONFIRMED)
    )
    fulfilment_fee_large_bulky: float = 9.50  # per unit, large bulky, likewise (UNCONFIRMED)
    recovery_rate: float | None = (
        None  # liquidation recovery share of price; None = the fee table's
    )
    removal_freight_per_unit: float = 0.60  # freight from the removal centre to your warehouse
    removed_resale_rate: float = (
        0.30  # share of price a removed unit fetches elsewhere (UNCONFIRMED)
    )
    donation_tax_rate: float = 0.21  # tax value of a donation, as a share of unit cost
    fee_currency: str = "USD"  # the currency of the fulfilment fees and the removal freight

    #: money parameters and the field holding each one's currency (restated by ``money.restate``)
    MONEY = {
        "fulfilment_fee_standard": "fee_currency",
        "fulfilment_fee_large_bulky": "fee_currency",
        "removal_freight_per_unit": "fee_currency",
    }

    @classmethod
    def from_parameters(cls, **params: float) -> ClearanceTerms:
        """The terms from notebook 04's parameters: a negative ``recovery_rate`` means the fee table's, and an
        Outlet discount is at least the 20 % Amazon requires; parameters that are not terms are ignored.

        >>> t = ClearanceTerms.from_parameters(recovery_rate=-1.0, outlet_discount=0.1, horizon_days=60, lang="en")
        >>> (t.recovery_rate, t.outlet_discount, t.horizon_days)
        (None, 0.2, 60)
        """
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in params.items() if k in names}
        if kw.get("recovery_rate") is not None and kw["recovery_rate"] < 0:
            kw["recovery_rate"] = None
        if "outlet_discount" in kw:
            kw["outlet_discount"] = max(kw["outlet_discount"], 0.2)
        return cls(**kw)


#: the columns of :func:`keep_or_clear`'s table, in order (also when no SKU is aged)
ACTION_COLUMNS: tuple[str, ...] = (
    "sku",
    "stock_units",
    "aged_units",
    "oldest_age_days",
    "daily_rate",
    "price",
    "recommended_action",
    *(f"value_{o}" for o in OPTIONS),
    "fees_keep",
    "fees_if_cleared",
    "units_sold_keep",
    "gain_vs_keep",
    "fees_avoided",
    "cash_from_clearing",
)


def keep_or_clear(
    lots: pd.DataFrame,
    rates: pd.DataFrame,
    products: pd.DataFrame,
    tables: fee.FeeTables,
    *,
    as_of: str | pd.Timestamp,
    terms: ClearanceTerms = ClearanceTerms(),
    unit: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The net value of every option for each SKU with units older than the threshold (module text).

    ``lots``: the FBA lots on hand (sku, date, units); ``rates``: sku, rate (units/day);
    ``products``: sku, price, unit_cost, cubic_feet, size_tier, weight_lb; ``unit`` (indexed by sku):
    ``vat_rate`` and ``fulfilment_fee`` per SKU (:func:`stockbook.stock.unit_fees`), the size class's fee
    parameter where a SKU's is unknown.
    """
    as_of = pd.Timestamp(as_of)
    t = terms
    age = (as_of - pd.to_datetime(lots["date"])).dt.days
    aged_lots = lots.loc[age >= t.age_threshold_days]
    skus = sorted(aged_lots["sku"].unique())
    if not skus:  # nothing aged: the same columns, no rows
        return pd.DataFrame(
            {
                c: pd.Series(dtype="string" if c in ("sku", "recommended_action") else "float64")
                for c in ACTION_COLUMNS
            }
        )
    mine = lots.loc[lots["sku"].isin(skus)]
    young = mine.loc[(as_of - pd.to_datetime(mine["date"])).dt.days < t.age_threshold_days]
    p = sch.products_by_sku(products).reindex(skus)
    p["size_tier"] = p["size_tier"].fillna("standard")
    price = p["price"].astype("float64").fillna(0).to_numpy()
    bulky = fee.size_class(p["size_tier"].to_numpy()) == "large_bulky"
    fulfil = np.where(bulky, t.fulfilment_fee_large_bulky, t.fulfilment_fee_standard)
    # each SKU's own fee and VAT where known (stock.unit_fees), the size class's fee parameter elsewhere
    vat = np.zeros(len(p))
    if unit is not None and len(unit):
        u = unit[~unit.index.duplicated()].reindex(p.index)
        fulfil = u["fulfilment_fee"].astype("float64").fillna(pd.Series(fulfil, index=p.index))
        fulfil = fulfil.to_numpy(dtype=float)
        vat = u["vat_rate"].astype("float64").fillna(0.0).to_numpy(dtype=float)

    def proceeds(
        pr,
    ):  # cash per unit sold at price pr: net of VAT, referral on the gross price, the fee
        return fee.net_per_unit(
            pr, vat_rate=vat, referral_rate=t.referral_rate, fulfilment_fee=fulfil
        )

    salvage = fee.liquidation_value(
        tables,
        date=as_of,
        units=np.ones(len(skus)),
        price=price,
        size_tier=p["size_tier"].to_numpy(),
        recovery_rate=t.recovery_rate,
    )
    salvage = np.clip(salvage, 0, None)
    kw = {"as_of": as_of, "horizon_days": t.horizon_days}
    prod = p.reset_index()

    def scenario(lot_set, **extra):
        r = project_fees(lot_set, rates, prod, tables, **kw, **extra).set_index("sku").reindex(skus)
        return r.fillna(0)

    keep = scenario(mine)
    disc = scenario(mine, lift=t.discount_lift)
    outl = scenario(mine, lift=t.outlet_lift, lift_days=t.outlet_days)
    rest = scenario(young) if len(young) else keep * 0
    q = aged_lots.groupby("sku")["units"].sum().reindex(skus).to_numpy(dtype=float)
    oldest = (
        (as_of - pd.to_datetime(mine.groupby("sku")["date"].min())).dt.days.reindex(skus).to_numpy()
    )

    def value(s, unit_price):
        return (
            s["sold"].to_numpy() * proceeds(unit_price)
            - s["fees"].to_numpy()
            + s["left"].to_numpy() * salvage
        )

    removal = fee.removal_fee(
        tables,
        date=as_of,
        weight_lb=p["weight_lb"].fillna(1.0).to_numpy(),
        size_tier=p["size_tier"].to_numpy(),
    )
    base_rest = value(rest, price)
    v = {
        "keep": value(keep, price),
        "discount": value(disc, price * (1 - t.discount)),
        "outlet": np.where(
            (oldest >= 90) & (keep["stock"].to_numpy() > 10),
            # outlet price for the deal's units, full price afterwards: split the units
            _outlet_value(outl, keep, t, price, proceeds, salvage),
            np.nan,
        ),
        "liquidate": base_rest
        + fee.liquidation_value(
            tables,
            date=as_of,
            units=q,
            price=price,
            size_tier=p["size_tier"].to_numpy(),
            recovery_rate=t.recovery_rate,
        ),
        "remove": base_rest
        + q * (price * t.removed_resale_rate - removal - t.removal_freight_per_unit),
        "dispose": base_rest - q * removal,
        "donate": base_rest
        - q * removal
        + q * p["unit_cost"].astype("float64").fillna(0).to_numpy() * t.donation_tax_rate,
    }
    vals = np.column_stack([v[o] for o in OPTIONS])
    best = np.nanargmax(np.where(np.isnan(vals), -np.inf, np.round(vals, 2)), axis=1)
    out = pd.DataFrame(
        {
            "sku": pd.array(skus, dtype="string"),
            "stock_units": keep["stock"].to_numpy().astype("int64"),
            "aged_units": q.astype("int64"),
            "oldest_age_days": oldest,
            "daily_rate": rates.set_index("sku")["rate"]
            .reindex(skus)
            .fillna(0)
            .round(3)
            .to_numpy(),
            "price": price,
            "recommended_action": np.asarray(OPTIONS)[best],
            **{f"value_{o}": np.round(v[o], 2) for o in OPTIONS},
            "fees_keep": keep["fees"].to_numpy(),
            "fees_if_cleared": rest["fees"].to_numpy(),
            "units_sold_keep": keep["sold"].to_numpy().astype("int64"),
        }
    )
    chosen = vals[np.arange(len(skus)), best]
    out["gain_vs_keep"] = np.round(chosen - v["keep"], 2)
    is_clear = np.isin(out["recommended_action"], CLEAR_OPTIONS)
    out["fees_avoided"] = np.where(is_clear, out["fees_keep"] - out["fees_if_cleared"], 0.0).round(
        2
    )
    clear_cash = np.select(
        [out["recommended_action"] == o for o in CLEAR_OPTIONS],
        [v[o] - base_rest for o in CLEAR_OPTIONS],
        0.0,
    )
    out["cash_from_clearing"] = np.round(clear_cash, 2)
    return out.sort_values(
        ["gain_vs_keep", "fees_keep", "sku"], ascending=[False, False, True], ignore_index=True
    )


def _outlet_value(outl, keep, t: ClearanceTerms, price, proceeds, salvage):
    """Outlet: units sold during the deal at the outlet price, the rest of the horizon at full price."""
    # the deal sells (1 + lift) × rate for outlet_days; compare with keep to split deal and normal units
    deal_share = np.where(
        outl["sold"].to_numpy() > 0,
        np.minimum(
            1.0,
            (1 + t.outlet_lift)
            * t.outlet_days
            / ((1 + t.outlet_lift) * t.outlet_days + max(t.horizon_days - t.outlet_days, 0)),
        ),
        0.0,
    )
    sold = outl["sold"].to_numpy()
    per_unit = deal_share * proceeds(price * (1 - t.outlet_discount)) + (1 - deal_share) * proceeds(
        price
    )
    return sold * per_unit - outl["fees"].to_numpy() + outl["left"].to_numpy() * salvage


def expected_rate(
    sales: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    windows: tuple[int, ...] = (7, 30, 90),
    weights: tuple[float, ...] = (0.2, 0.5, 0.3),
) -> pd.DataFrame:
    """Expected units per day per SKU: the stock layer's demand estimator (``stock.demand_rates``: in-stock
    days only, the 7/30/90-day blend, Croston–SBA for intermittent SKUs), the same rate the purchase plan
    starts from.

    >>> s = pd.DataFrame({"date": pd.date_range("2026-08-03", "2026-10-31"), "sku": "A", "units": 2})
    >>> expected_rate(s, as_of="2026-10-31")["rate"].tolist()
    [2.0]
    """
    m = demand_matrix(
        sales, as_of=as_of, days=2 * max(windows) + 1
    )  # the window's first day has its eve
    return demand_rates(m, windows=windows, weights=weights)[["sku", "rate"]]


def _fba_sellable(ledger: TableLike):
    """The ledger's sellable FBA rows (the stock that is aged and charged storage)."""
    t = as_table(ledger, sch.LEDGER)
    return t.filter((t.location_class == "fba") & (t.disposition == "SELLABLE"))


def _stock_days(sales: TableLike, *, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per SKU: the daily FBA stock of the sales export (``available``) summed over ``[start, end]``."""
    s = as_table(sales, sch.SALES)
    s = s.filter((s.date >= ibis.timestamp(start)) & (s.date <= ibis.timestamp(end)))
    out = to_pandas(s.group_by("sku").aggregate(units=s.available.sum()), order_by=["sku"])
    out["units"] = out["units"].fillna(0)
    return out


# ---------------------------------------------------------------------------- the notebook's pack


def _total(s: pd.Series) -> float:
    """A money column's sum to the cent (0.0 for an empty table, whatever its dtype).

    >>> _total(pd.Series([], dtype="string")), _total(pd.Series([1.005, 2.0]))
    (0.0, 3.0)
    """
    return round(float(pd.to_numeric(s, errors="coerce").astype("float64").sum()), 2)


@dataclass
class AgingResult:
    """Everything notebook 04 shows."""

    as_of: pd.Timestamp
    lots: pd.DataFrame  # FBA lots on hand (FIFO)
    buckets: pd.DataFrame  # units and value per SKU per age bucket
    age_source: str
    report_check: pd.DataFrame  # FIFO vs Amazon's report, per SKU (empty without the report)
    projection: pd.DataFrame  # per SKU: next month storage, next surcharge, hold 30/60/90
    actions: pd.DataFrame  # keep-or-clear, the report table
    charged_check: pd.DataFrame  # projected vs charged surcharge at the last snapshot in the data
    domestic: pd.DataFrame  # domestic warehouse age buckets (FIFO on purchase receipts)
    fee_files: dict[str, str]
    storage_check: pd.DataFrame  # projected vs charged monthly storage fee, last month in the data
    currency: str = ""  # of every money column (fees converted from each marketplace's own)
    notes: list[str] = field(
        default_factory=list
    )  # fee tables missing for a marketplace, marketplaces skipped

    def by_marketplace(self) -> pd.DataFrame:
        """Per marketplace: FBA units, units aged 181+ days, next month's storage, the surcharge over 90 days,
        SKUs to clear and the cash from clearing them, in the report's currency."""
        b, p, a = self.buckets, self.projection, self.actions
        if "marketplace" not in b:
            return pd.DataFrame(
                columns=["marketplace", "fba_units", "aged_units_181_plus", "currency"]
            )
        aged = ["inv_age_181_to_270_days", "inv_age_271_to_365_days", "inv_age_365_plus_days"]
        out = pd.DataFrame(
            {
                "fba_units": b.groupby("marketplace")[list(sch.AGE_BUCKETS)].sum().sum(axis=1),
                "aged_units_181_plus": b.groupby("marketplace")[aged].sum().sum(axis=1),
                "stock_value": b.groupby("marketplace")["value"].sum(),
                "storage_fee_next_month": p.groupby("marketplace")["storage_next_month"].sum(),
                "surcharge_exposure_90d": p.groupby("marketplace")["surcharge_90d"].sum(),
                "skus_to_clear": a.loc[a["recommended_action"].isin(CLEAR_OPTIONS)]
                .groupby("marketplace")
                .size()
                if len(a)
                else pd.Series(dtype="int64"),
                "cash_from_clearing": a.groupby("marketplace")["cash_from_clearing"].sum()
                if len(a)
                else pd.Series(dtype="float64"),
            }
        ).fillna(0)
        for c in ("fba_units", "aged_units_181_plus", "skus_to_clear"):
            out[c] = out[c].astype("int64")
        out = out.round(2).rename_axis("marketplace").reset_index()
        out["currency"] = self.currency
        return out.sort_values(
            ["stock_value", "marketplace"], ascending=[False, True], ignore_index=True
        )

    def headlines(self) -> dict[str, object]:
        b = self.buckets
        aged = ["inv_age_181_to_270_days", "inv_age_271_to_365_days", "inv_age_365_plus_days"]
        p = self.projection
        a = self.actions
        clear = a.loc[a["recommended_action"].isin(CLEAR_OPTIONS)] if len(a) else a
        return {
            "fba_units": int(b[list(sch.AGE_BUCKETS)].to_numpy().sum()),
            "aged_units_181_plus": int(b[aged].to_numpy().sum()),
            "storage_fee_next_month": _total(p["storage_next_month"]),
            "surcharge_exposure_90d": _total(p["surcharge_90d"]),
            "skus_to_clear": int(len(clear)),
            "cash_from_clearing": _total(a["cash_from_clearing"]) if len(a) else 0.0,
            "fees_avoided": _total(a["fees_avoided"]) if len(a) else 0.0,
            "skus_volume_unknown": int((~p["volume_known"]).sum()) if "volume_known" in p else 0,
        }


def aging_pack(
    data,
    *,
    as_of: str,
    terms: ClearanceTerms = ClearanceTerms(),
    fee_dir: str | None = None,
    currency: str | None,
    marketplaces: Sequence[str] | None = None,
) -> AgingResult:
    """Run notebook 04's analysis on a loaded data folder (:class:`stockbook.io.Dataset`), per marketplace.

    Each marketplace's stock is aged and charged by its own fee tables (:func:`stockbook.fees.for_marketplace`),
    converted to ``currency`` at ``as_of``'s rate; costs and prices are taken in ``currency`` at the same rate
    (``stock.products_in``). ``marketplaces``: the ones to show (default: every one the data names, most rows
    first); rows naming no marketplace (the domestic warehouse) belong to the first. Every table of the result
    has a ``marketplace`` column; the headlines add the marketplaces up."""
    as_of_ts = pd.Timestamp(as_of)
    tables = fee.load_fee_tables(override_dir=fee_dir)
    found = data.marketplaces() if hasattr(data, "marketplaces") else []
    chosen = list(marketplaces) if marketplaces else (found or ["US"])
    rates = rates_for(data) if currency else None
    terms = restate(terms, to=currency, on=as_of_ts, rates=rates)
    parts: list[tuple[str, AgingResult]] = []
    notes: list[str] = []
    for mp in chosen:
        sub = (
            data.only_marketplace(mp, main=mp == chosen[0])
            if hasattr(data, "only_marketplace")
            else data
        )
        own = fee.fee_currency(tables, mp)
        if own is None:
            notes.append(
                f"{mp}: no fee tables for this marketplace; its fees are not projected (add rows for "
                f"{mp} to data/fees/*.csv or a fee folder)"
            )
        rate = 1.0
        if currency and own and own != currency:
            rate = float(rates.convert([1.0], [own], currency, dates=[as_of_ts]).amounts.iloc[0])
        t = fee.for_marketplace(tables, mp, currency=currency or own, rate=rate)
        if own is not None and fee.missing_tables(t):
            notes.append(
                f"{mp}: no {', '.join(fee.missing_tables(t))} table — those fees are not projected and "
                f"options needing them are not offered"
            )
        try:
            one = _aging_one(
                sub, as_of_ts=as_of_ts, terms=terms, tables=t, currency=currency, rates=rates
            )
            for check in (
                one.storage_check,
                one.charged_check,
            ):  # Amazon's charges, in the marketplace's currency
                if len(check) and rate != 1.0:
                    check["charged"] = (check["charged"] * rate).round(2)
                    check["difference"] = (check["projected"] - check["charged"]).round(2)
            parts.append((mp, one))
        except ValueError as e:
            if len(chosen) == 1:
                raise
            notes.append(f"{mp}: not aged ({e})")
    if not parts:
        raise ValueError("aging needs Amazon's FBA Inventory report or an Amazon Inventory Ledger")
    first = parts[0][1]
    frames = {}
    for f in fields(AgingResult):
        v = getattr(first, f.name)
        if isinstance(v, pd.DataFrame):
            got = [
                getattr(r, f.name).assign(marketplace=mp)
                for mp, r in parts
                if len(getattr(r, f.name))
            ]
            df = (
                pd.concat(got, ignore_index=True)
                if got
                else v.assign(marketplace=pd.Series(dtype="string"))
            )
            frames[f.name] = df[["marketplace", *[c for c in df.columns if c != "marketplace"]]]
    source = (
        "; ".join(f"{mp}: {r.age_source}" for mp, r in parts)
        if len(parts) > 1
        else first.age_source
    )
    return AgingResult(
        as_of=as_of_ts,
        **frames,
        age_source=source,
        fee_files=first.fee_files,
        currency=currency or first.currency,
        notes=notes,
    )


def _aging_one(
    data,
    *,
    as_of_ts: pd.Timestamp,
    terms: ClearanceTerms,
    tables: fee.FeeTables,
    currency: str | None,
    rates,
) -> AgingResult:
    """One marketplace's aging (its data, its fee tables)."""
    raw = stock_products(data, as_of=as_of_ts)
    products = products_in(raw, currency=currency, on=as_of_ts, rates=rates)
    # each SKU's fulfilment fee and VAT in this marketplace (stock.unit_fees), for the clearance proceeds
    if currency and raw is not None and products is not None and tables.marketplace:
        idx = sch.products_by_sku(raw).index
        unit = unit_fees(
            data,
            raw,
            pd.Series(tables.marketplace, index=idx[~idx.duplicated()], dtype="string"),
            as_of=as_of_ts,
            currency=currency,
            rates=rates,
        )
    else:
        unit = None
    led = stock_ledger(data, period_end=as_of_ts) if data.has("ledger") else None
    report = data["fba_inventory"] if data.has("fba_inventory") else None
    if report is not None and len(report):
        report = report.loc[report["snapshot_date"] <= as_of_ts]
        report = report.loc[report["snapshot_date"] == report["snapshot_date"].max()]
    first = column_min(led, "period_start") if led is not None else None
    opening = first - pd.Timedelta(days=1) if first is not None else as_of_ts
    fifo_lots, fifo_source = None, ""
    if led is not None and row_count(led.filter(led.location_class == "fba")):
        # only sellable stock is aged (unfulfillable units are not charged storage surcharges)
        on_hand = balances_at(_fba_sellable(led), as_of=as_of_ts)
        lots_in = receipt_lots(
            shipments=data["shipments"] if data.has("shipments") else None,
            ledger=led,
            location_class="fba",
            as_of=as_of_ts,
        )
        fifo_lots = fifo_allocate(on_hand[["sku", "units"]], lots_in, opening_date=opening)
        fifo_source = (
            "FIFO over "
            + (lots_in["source"].iloc[0] if len(lots_in) else "opening balances")
            + " lots"
        )
    if report is not None and len(report):
        # Amazon's own ages are the authority; FIFO from the ledger is shown beside them (``report_check``),
        # with the stock older than the ledger dated by the report
        lots = lots_from_report(report)
        if fifo_lots is not None:
            fifo_lots = date_opening_lots(fifo_lots, lots)
        snap = pd.Timestamp(report["snapshot_date"].iloc[0])
        source = f"Amazon's FBA Inventory report of {snap:%Y-%m-%d} (Amazon's own age buckets)"
    elif fifo_lots is not None:
        lots, source = fifo_lots, fifo_source
    else:
        raise ValueError("aging needs Amazon's FBA Inventory report or an Amazon Inventory Ledger")
    prod = with_report_volumes(sch.products_by_sku(products), report)
    cost = prod["unit_cost"]
    buckets = bucket_units(
        lots, as_of=as_of_ts, buckets={**sch.AGE_BUCKETS, **sch.FINE_AGE_BUCKETS}
    )
    buckets["units"] = buckets[list(sch.AGE_BUCKETS)].sum(axis=1)
    buckets["unit_cost"] = buckets["sku"].map(cost).astype("float64")
    buckets["value"] = (buckets["units"] * buckets["unit_cost"]).round(2)

    check = pd.DataFrame()
    if report is not None and len(report) and fifo_lots is not None:
        snap = report["snapshot_date"].iloc[0]
        fifo_then = bucket_units(fifo_lots, as_of=snap)
        cols = list(sch.AGE_BUCKETS)
        r = report.groupby("sku")[cols].sum()
        f = fifo_then.set_index("sku")[cols].reindex(r.index).fillna(0).astype("int64")
        diff = (f - r.astype("int64")).abs().sum(axis=1)
        check = pd.DataFrame(
            {
                "sku": r.index,
                "report_units": r.sum(axis=1).to_numpy(),
                "fifo_units": f.sum(axis=1).to_numpy(),
                "units_in_other_buckets": diff.to_numpy() // 2,
            }
        )
        check["agrees"] = check["units_in_other_buckets"] == 0
    if report is not None and len(report):  # the report's buckets against its own on-hand figures
        totals = report_totals(report).rename(columns={"difference": "buckets_minus_on_hand"})
        check = (
            totals.assign(agrees=True)
            if not len(check)
            else check.merge(totals, on="sku", how="outer")
        )
        check["agrees"] = check["agrees"].fillna(True).astype(bool) & (
            check["buckets_minus_on_hand"].fillna(0) == 0
        )

    sales, _ = sold(data)
    rates = expected_rate(sales, as_of=as_of_ts)
    prod = prod.reset_index()
    proj = pd.DataFrame({"sku": lots["sku"].unique()})
    proj["volume_known"] = (
        proj["sku"].map(prod.set_index("sku")["volume_known"]).fillna(False).astype(bool)
    )
    for h in (30, 60, 90):
        f = project_fees(lots, rates, prod, tables, as_of=as_of_ts, horizon_days=h).set_index("sku")
        proj[f"hold_cost_{h}d"] = proj["sku"].map(f["fees"]).fillna(0)
        if h == 90:
            proj["surcharge_90d"] = proj["sku"].map(f["surcharge"]).fillna(0)
    nxt = (as_of_ts + pd.offsets.MonthBegin(1)).normalize()
    nm = project_fees(
        lots,
        rates,
        prod,
        tables,
        as_of=nxt - pd.Timedelta(days=1),
        horizon_days=(nxt + pd.offsets.MonthEnd(0) - nxt).days + 1,
    ).set_index("sku")
    proj["storage_next_month"] = proj["sku"].map(nm["storage"]).fillna(0)
    snap = _snapshots(as_of_ts, 31)[0]
    sn = project_fees(
        lots, rates, prod, tables, as_of=as_of_ts, horizon_days=(snap - as_of_ts).days
    )
    proj["surcharge_next"] = proj["sku"].map(sn.set_index("sku")["surcharge"]).fillna(0)
    proj = proj.merge(
        next_tier(
            lots,
            as_of=as_of_ts,
            starts=sorted(tables.surcharge["min_age_days"].astype(int).unique()) or TIER_STARTS,
        ),
        on="sku",
        how="left",
    )
    proj = proj.sort_values(["hold_cost_90d", "sku"], ascending=[False, True], ignore_index=True)

    actions = keep_or_clear(lots, rates, prod, tables, as_of=as_of_ts, terms=terms, unit=unit)
    # also with no aged SKU: the list keeps its columns
    actions = actions.merge(buckets[["sku", *sch.AGE_BUCKETS]], on="sku", how="left").merge(
        proj[["sku", "storage_next_month", "surcharge_next"]].rename(
            columns={"storage_next_month": "storage_fee_next_month"}
        ),
        on="sku",
        how="left",
    )
    first = [
        "sku",
        *sch.AGE_BUCKETS,
        "storage_fee_next_month",
        "surcharge_next",
        "recommended_action",
    ]
    actions = actions[first + [c for c in actions.columns if c not in first]]

    charged = pd.DataFrame()
    if data.has("surcharges"):
        sc = data["surcharges"]
        last = sc["snapshot_date"].max()
        got = sc.loc[sc["snapshot_date"] == last].groupby("sku")["amount_charged"].sum()
        lots_then = (
            _lots_at(data, led, last, opening, lots if report is not None and len(report) else None)
            if led is not None
            else (lots if report is not None and len(report) else None)
        )
        if lots_then is not None:
            ais = fee.aged_surcharge(
                tables,
                snapshot=last,
                age_days=(last - lots_then["date"]).dt.days,
                units=lots_then["units"],
                cubic_feet=lots_then["sku"].map(prod.set_index("sku")["cubic_feet"]).fillna(0),
                category=lots_then["sku"].map(prod.set_index("sku")["category"]),
            )
            proj_then = (
                pd.Series(ais["amount"].to_numpy(), index=lots_then["sku"].to_numpy())
                .groupby(level=0)
                .sum()
            )
            idx = got.index.union(proj_then[proj_then > 0].index)
            charged = pd.DataFrame(
                {
                    "sku": idx,
                    "charged": got.reindex(idx).fillna(0).to_numpy(),
                    "projected": proj_then.reindex(idx).fillna(0).round(2).to_numpy(),
                }
            )
            charged["difference"] = (charged["projected"] - charged["charged"]).round(2)
            charged.insert(0, "snapshot_date", last)
            charged = charged.sort_values(
                ["difference", "sku"],
                key=lambda s: s.abs() if s.name == "difference" else s,
                ascending=[False, True],
                ignore_index=True,
            )

    domestic = pd.DataFrame()
    if led is not None and row_count(led.filter(led.location_class == "domestic")):
        dom = balances_at(led.filter(led.location_class == "domestic"), as_of=as_of_ts)
        dl = receipt_lots(
            receipts=data["receipts"] if data.has("receipts") else None,
            ledger=led,
            location_class="domestic",
            as_of=as_of_ts,
        )
        dlots = fifo_allocate(dom[["sku", "units"]], dl, opening_date=opening)
        domestic = bucket_units(dlots, as_of=as_of_ts)
        domestic["units"] = domestic[list(sch.AGE_BUCKETS)].sum(axis=1)
    storage = pd.DataFrame()
    if data.has("storage_fees"):
        sales_stock = (
            data["sales"] if data.has("sales") and has_values(data["sales"], "available") else None
        )
        storage = storage_check(
            data["storage_fees"],
            products=products,
            tables=tables,
            daily_stock=sales_stock,
            ledger=led,
        )
    return AgingResult(
        as_of_ts,
        lots,
        buckets,
        source,
        check,
        proj,
        actions,
        charged,
        domestic,
        tables.files,
        storage,
        tables.currency,
    )


def storage_check(
    storage_fees: pd.DataFrame,
    *,
    products: pd.DataFrame,
    tables: fee.FeeTables,
    daily_stock: TableLike | None = None,
    ledger: TableLike | None = None,
) -> pd.DataFrame:
    """Amazon's monthly storage fee for the last month in its report against our projection of it.

    Projection = average units on hand that month × cubic feet × the month's rate (:mod:`stockbook.fees`).
    The average comes from the daily FBA stock of the sales export when it has one (days without a row
    count as 0), else from the ledger's SELLABLE FBA balances (:func:`stockbook.stock.average_inventory`).
    Amazon reports by FNSKU; the SKU master maps it to the SKU.
    """
    month = storage_fees["month_of_charge"].max()
    end = month + pd.offsets.MonthEnd(0)
    rep = storage_fees.loc[storage_fees["month_of_charge"] == month]
    charged = rep.groupby("fnsku")["estimated_monthly_storage_fee"].sum()
    prod = sch.products_by_sku(products).reset_index()
    sku_of = prod.dropna(subset=["fnsku"]).drop_duplicates("fnsku").set_index("fnsku")["sku"]
    if daily_stock is not None:
        avg = (
            _stock_days(daily_stock, start=month, end=end)
            .set_index("sku")["units"]
            .astype("float64")
            / end.day
        )
    elif ledger is not None:
        avg = average_inventory(_fba_sellable(ledger), start=month, end=end).set_index("sku")[
            "avg_units"
        ]
    else:
        avg = pd.Series(dtype="float64")
    out = pd.DataFrame(
        {"fnsku": charged.index, "sku": charged.index.map(sku_of), "charged": charged.to_numpy()}
    )
    p = prod.set_index("sku")
    units = out["sku"].map(avg).astype("float64").fillna(0).to_numpy()
    out["avg_units_projected"] = np.round(units, 2)
    out["projected"] = fee.monthly_storage_fee(
        tables,
        month=[month] * len(out),
        units=units,
        cubic_feet=out["sku"].map(p["cubic_feet"]).astype("float64").fillna(0).to_numpy(),
        size_tier=out["sku"].map(p["size_tier"]).fillna("standard").to_numpy(),
    )
    out["difference"] = (out["projected"] - out["charged"]).round(2)
    out.insert(0, "month_of_charge", month)
    order = out["difference"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def _lots_at(
    data,
    led: TableLike,
    when: pd.Timestamp,
    opening: pd.Timestamp,
    report_lots: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """FIFO lots at an earlier date, from the daily FBA stock in the sales export when it has one; stock older
    than the data dated by Amazon's report where there is one (:func:`date_opening_lots`)."""
    if data.has("sales") and has_values(data["sales"], "available"):
        on_hand = _stock_days(data["sales"], start=when, end=when)
    else:  # the ledger's balance at the end of the period containing the date
        on_hand = balances_at(_fba_sellable(led), as_of=when + pd.offsets.MonthEnd(0))[
            ["sku", "units"]
        ]
    lots_in = receipt_lots(
        shipments=data["shipments"] if data.has("shipments") else None,
        ledger=led,
        location_class="fba",
        as_of=when,
    )
    lots = fifo_allocate(on_hand, lots_in, opening_date=opening)
    return date_opening_lots(lots, report_lots) if report_lots is not None else lots
