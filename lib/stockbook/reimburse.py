"""What Amazon owes: a reimbursement audit from the ledger, the Reimbursements report, returns and refunds.

Amazon owes the seller for units it loses or damages in its warehouses, inbound units it never receives,
and refunds for items the customer never sent back (Amazon's FBA lost and damaged inventory reimbursement
policy, Seller Central help G200213130). Since 2024 it pays most of them itself, some below the rule's
value, and reverses some when a lost unit is found; the rest only when the seller files a case in time
(``data/fees/claim_windows.csv``: dated, sourced windows per kind and marketplace).

**Warehouse losses, matched as Amazon matches them.** The ledger's adjustments (the detail view's by day
where the seller downloaded it, else the summary's monthly totals dated the first of their month, the
earliest the event can have been) carry Amazon's reason codes: M (misplaced: the summary's Lost) is
reconciled by F (found) and by Lost_Warehouse payments; E, 6, 7, H, K, U (moved to warehouse-damaged: the
summary's Damaged) are never found, and are reconciled by Damaged_Warehouse payments only. A found unit
counts against the oldest misplaced unit reported on or before its day; payments against the oldest
losses of their kind left unfound; a reversal is set against the reimbursement it names
(``original-reimbursement-id``, else its type)::

    for each loss event:  units = found + reimbursed + owed            (every unit in exactly one state)
    owed                  = wait (younger than ``wait_days``) + open + not yet open + expired
    found_not_reversed    = max(found_counted + paid − misplaced, 0)    (paid = reimbursed − justified reversals)
    wrongful_reversal     = max(reversed − found, 0)                    (a reversal with no unit found)

**Inbound.** Per closed shipment line, units shipped − units received, less the Lost_Inbound units
reimbursed for the SKU (oldest shortfall first), the window counted from the delivery date where the
shipments file gives one (Amazon's rule), else from the day receiving closed (said in the notes).

**Customer returns.** A refund (from the seller's transaction export) with no return of that order and
SKU in the returns report, and no CustomerReturn reimbursement of the order, is owed once the return
window has passed (60 days in the US) and until its claim closes. A return put back as damaged by the
carrier or the warehouse (CARRIER_DAMAGED, DAMAGED / WAREHOUSE_DAMAGED) is owed less what Amazon paid for
that order; DISTRIBUTOR_DAMAGED is the seller's own damage (received so from the seller) and not claimed.

**Valuation** (``data/fees/reimbursement_valuation.csv``, dated and sourced): units lost before a customer
order (warehouse, inbound) at the seller's manufacturing cost from the rule's date (US 2025-03-10), at the
estimated proceeds of a sale before it; customer-return cases at the estimated proceeds::

    estimated proceeds = ASP ÷ (1 + VAT) − referral × ASP − fulfilment fee(SKU)

(ASP: the seller's average selling price over ``price_days``; VAT of the SKU's marketplace, the master's
reduced rate where it states one; the fulfilment fee from the dated fee tables, ``fulfilment_fee`` where the
tables cannot price the SKU). A wrongful reversal is valued at the money reversed. **Below value**: a
reimbursement paid below its rule's value by more than ``tolerance`` is underpaid by the difference × units
paid in cash.

Money is in the reporting currency: reimbursements converted from their own currency at their approval
day's rate, costs and prices at the audit day's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

from stockbook import fees as fee
from stockbook import schema as sch
from stockbook.engine import is_lazy, to_pandas
from stockbook.money import rates_for, restate
from stockbook.stock import (
    available,
    balances_at,
    prices,
    products_in,
    shipment_lines,
    sku_marketplaces,
    stock_ledger,
    unit_costs,
    unit_fees,
)
from stockbook.stock import products as stock_products

#: the Reimbursements report's reasons for units misplaced (lost) or damaged in a warehouse
LOST_REASONS = ("lost_warehouse",)
DAMAGED_REASONS = ("damaged_warehouse",)
WAREHOUSE_REASONS = LOST_REASONS + DAMAGED_REASONS
INBOUND_REASONS = ("lost_inbound", "damaged_inbound")
RETURN_REASONS = ("customerreturn", "customerserviceissue", "general_adjustment_return")
REVERSAL_REASONS = ("reimbursement_reversal",)
#: customer-return reasons that are the warehouse's error: the wrong or an extra item sent, damaged by the
#: fulfilment centre (codes as the returns report writes them, from public parsers: UNCONFIRMED against
#: Amazon's table, which was not read; DIFFERENT_PRODUCT may also be a seller's labelling error)
WAREHOUSE_ERROR_REASONS = ("WRONG_ITEM", "DIFFERENT_PRODUCT", "EXTRA_ITEM", "DAMAGED_BY_FC")
#: the carrier's and the delivery's complaints: shown apart from the warehouse's errors
DELIVERY_REASONS = (
    "DAMAGED_BY_CARRIER",
    "MISSED_ESTIMATED_DELIVERY",
    "NEVER_ARRIVED",
    "UNDELIVERABLE_CARRIER_MISS_SORTED",
    "UNDELIVERABLE_FAILED_DELIVERY_ATTEMPTS",
    "UNDELIVERABLE_INSUFFICIENT_ADDRESS",
    "UNDELIVERABLE_REFUSED",
    "UNDELIVERABLE_UNKNOWN",
)
#: returns Amazon reimburses, by the returns report's detailed-disposition: damaged by the carrier or in the
#: warehouse (the returns report writes DAMAGED, the ledger WAREHOUSE_DAMAGED). Amazon help 200372710 (AU)
#: and 200453320 (JP): DISTRIBUTOR_DAMAGED is "received from the seller in damaged condition", not paid.
FAULT_DISPOSITIONS = ("CARRIER_DAMAGED", "DAMAGED", "WAREHOUSE_DAMAGED")
UNSELLABLE_RETURNS = ("CUSTOMER_DAMAGED", "DEFECTIVE", "DISTRIBUTOR_DAMAGED")
#: return reasons saying a different item came back than was sold (public parsers: UNCONFIRMED); Amazon's
#: customer-return page asks for photos, the LPN label and the invoice to claim one
MISMATCH_REASONS = ("SWITCHEROO",)
#: replacement reasons after which the customer sends the original back (Amazon help 200453300's codes:
#: 2 defective, 3 damaged in shipping, 4 shipped wrong item, 10 damaged by the fulfilment centre's handling;
#: as text in some exports); lost parcels (1, 6), missing items (5) and the rest expect no return
RETURN_EXPECTED_REPLACEMENTS = ("2", "3", "4", "10", "DEFECTIVE", "DAMAGED", "WRONG_ITEM")

ClaimKindName = Literal[
    "warehouse lost or damaged",
    "wrongful reversal",
    "inbound shortfall",
    "refund without return",
    "carrier damaged return",
    "underpaid reimbursement",
    "removal shortfall",
    "disposed without an order",
    "fee overcharge",
    "returned item mismatch",
    "replacement not returned",
    "refund above the order",
]
#: a case's status: ``wait`` (younger than the waiting period: Amazon reimburses or finds these itself),
#: ``open``, ``not yet open`` (its window opens later), ``expired``
ClaimStatus = Literal["wait", "open", "not yet open", "expired"]

CLAIM_COLUMNS = (
    "kind",
    "marketplace",
    "sku",
    "fnsku",
    "reference",
    "event_date",
    "units",
    "value_per_unit",
    "value",
    "currency",
    "basis",
    "deadline",
    "status",
    "evidence",
    "case_text",
)


@dataclass(frozen=True)
class ClaimTerms:
    """The money assumptions of the audit; every one is a notebook parameter."""

    referral_rate: float = 0.15  # Amazon's referral fee on the (VAT-inclusive) price
    #: fulfilment fee per unit for a SKU the dated fee tables cannot price (no dimensions, a marketplace
    #: without a table); 0 = none: its estimated proceeds are before the fee (said in the notes)
    fulfilment_fee: float = 0.0
    price_days: int = 90  # window of the average selling price before the audit day
    tolerance: float = 0.05  # a reimbursement more than this share below its value is underpaid
    fee_currency: str = "USD"  # the currency of fulfilment_fee
    #: days after a loss before a case is worth filing: Amazon reimburses or finds most lost units itself
    #: (automatic since 2024-11-01 in the US, Seller Forums news 6605eede) and "may take up to 45 days";
    #: the older rule asked sellers to wait 30 days (help GEV4254LJJ9BAEG). UNCONFIRMED as a current rule.
    wait_days: int = 30

    #: money parameters and the field holding each one's currency (restated by ``money.restate``)
    MONEY = {"fulfilment_fee": "fee_currency"}


# ---------------------------------------------------------------------------- the pieces


def _frame(t) -> pd.DataFrame:
    """A table as pandas (a large table read lazily is collected: the audit's inputs are a few columns)."""
    return to_pandas(t) if is_lazy(t) else t


def _norm_reason(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower().fillna("")


def loss_events(ledger: pd.DataFrame, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units lost or damaged in Amazon's care, and units found, per SKU, marketplace and day.

    From the detail view's adjustments (flows lost, damaged, found) for the months it covers whole, else
    from the summary's monthly flows dated the first day of their month.

    >>> led = pd.DataFrame({"period_start": pd.to_datetime(["2026-09-01", "2026-10-01"]), "sku": "A",
    ...                     "marketplace": "US", "location_class": "fba", "lost": [-3, -1], "damaged": [0, -2],
    ...                     "found": [1, 0]})
    >>> loss_events(led)[["date", "kind", "units"]].astype(str).values.tolist()
    [['2026-09-01', 'found', '1'], ['2026-09-01', 'lost', '3'], ['2026-10-01', 'damaged', '2'], ['2026-10-01', 'lost', '1']]
    """
    led = ledger.loc[ledger["location_class"] == "fba"] if "location_class" in ledger else ledger
    covered: set[str] = set()
    parts = []
    if events is not None and len(events) and "flow" in events:
        ev = events.loc[events["flow"].isin(["lost", "damaged", "found"])]
        months = events["date"].dt.to_period("M")
        span = events.groupby(months)["date"].agg(["min", "max"])
        whole = span.index[
            (span["min"].dt.day <= 3) & (span["max"].dt.days_in_month - span["max"].dt.day <= 2)
        ]
        covered = {str(m) for m in whole}
        ev = ev.loc[ev["date"].dt.to_period("M").astype(str).isin(covered)]
        parts.append(
            pd.DataFrame(
                {
                    "sku": ev["sku"].astype("string"),
                    "fnsku": ev["fnsku"].astype("string"),
                    "marketplace": ev["marketplace"].astype("string")
                    if "marketplace" in ev
                    else pd.NA,
                    "date": ev["date"].dt.normalize(),
                    "kind": ev["flow"].astype("string"),
                    "units": ev["quantity"].astype("int64").abs(),
                    "reference": ev["reference_id"].astype("string")
                    if "reference_id" in ev
                    else pd.NA,
                    "source": "detail",
                }
            )
        )
    month = led["period_start"].dt.to_period("M").astype(str)
    summ = led.loc[~month.isin(covered)]
    for kind in ("lost", "damaged", "found"):
        if kind not in summ:
            continue
        u = pd.to_numeric(summ[kind], errors="coerce").fillna(0).astype("int64").abs()
        hit = u > 0
        parts.append(
            pd.DataFrame(
                {
                    "sku": summ.loc[hit, "sku"].astype("string"),
                    "fnsku": summ.loc[hit, "fnsku"].astype("string") if "fnsku" in summ else pd.NA,
                    "marketplace": summ.loc[hit, "marketplace"].astype("string")
                    if "marketplace" in summ
                    else pd.NA,
                    "date": summ.loc[hit, "period_start"].dt.normalize(),
                    "kind": kind,
                    "units": u[hit],
                    "reference": pd.NA,
                    "source": "summary",
                }
            )
        )
    out = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame(
            columns=["sku", "fnsku", "marketplace", "date", "kind", "units", "reference", "source"]
        )
    )
    out["marketplace"] = out["marketplace"].astype("string")
    out["units"] = pd.to_numeric(out["units"]).astype("int64")
    out["date"] = pd.to_datetime(out["date"])
    g = out.groupby(["sku", "marketplace", "date", "kind"], dropna=False, as_index=False).agg(
        fnsku=("fnsku", "first"),
        units=("units", "sum"),
        reference=("reference", "first"),
        source=("source", "first"),
    )
    return g.sort_values(["date", "sku", "kind"], ignore_index=True)


def _reversed_reason(r: pd.DataFrame) -> pd.Series:
    """Per row: the reason of the reimbursement a reversal takes back (the row its
    ``original_reimbursement_id`` names, else its ``original_reimbursement_type``; "" when it says neither)."""
    reason = _norm_reason(r["reason"])
    by_id = (
        pd.Series(reason.to_numpy(), index=r["reimbursement_id"].astype("string"))
        .loc[lambda x: ~x.isin(REVERSAL_REASONS)]
        .groupby(level=0)
        .first()
        if "reimbursement_id" in r
        else pd.Series(dtype="string")
    )
    named = (
        r["original_reimbursement_id"].astype("string").map(by_id)
        if "original_reimbursement_id" in r
        else pd.Series(pd.NA, index=r.index, dtype="string")
    )
    typed = (
        _norm_reason(r["original_reimbursement_type"])
        if "original_reimbursement_type" in r
        else pd.Series("", index=r.index)
    )
    return named.astype("string").fillna(typed.replace("", pd.NA)).fillna("")


def reimbursed(
    reimbursements: pd.DataFrame, reasons: tuple[str, ...], *, unnamed_reversals: bool = True
) -> pd.DataFrame:
    """Per SKU and marketplace: units reimbursed (cash + inventory) for ``reasons`` and units reversed, each
    reversal set against the reimbursement it names (``unnamed_reversals``: also those naming none).

    >>> r = pd.DataFrame({"sku": ["A", "A", "A"], "marketplace": "US", "reason": ["Lost_Warehouse",
    ...                   "Reimbursement_Reversal", "CustomerReturn"], "quantity_total": [5, -2, 1]})
    >>> reimbursed(r, WAREHOUSE_REASONS)[["sku", "reimbursed_units", "reversed_units"]].values.tolist()
    [['A', 5, 2]]
    """
    r = reimbursements.assign(reason_key=_norm_reason(reimbursements["reason"]))
    qty = pd.to_numeric(r["quantity_total"], errors="coerce").fillna(0).astype("int64")
    orig = _reversed_reason(r)
    is_rev = r["reason_key"].isin(REVERSAL_REASONS)
    rev_here = is_rev & (orig.isin(reasons) | ((orig == "") & unnamed_reversals))
    r = r.assign(
        paid=np.where(r["reason_key"].isin(reasons), qty.clip(lower=0), 0),
        rev=np.where(rev_here, qty.abs(), 0),
    )
    mp = r["marketplace"] if "marketplace" in r else pd.Series(pd.NA, index=r.index)
    g = (
        r.assign(marketplace=mp.astype("string"))
        .groupby(["sku", "marketplace"], dropna=False, as_index=False)
        .agg(reimbursed_units=("paid", "sum"), reversed_units=("rev", "sum"))
    )
    g = g.loc[(g["reimbursed_units"] > 0) | (g["reversed_units"] > 0)]
    return g.astype({"reimbursed_units": "int64", "reversed_units": "int64"}).reset_index(drop=True)


def warehouse_payments(reimbursements: pd.DataFrame) -> pd.DataFrame:
    """Per SKU, marketplace and kind of loss: units reimbursed and reversed — ``lost`` (Lost_Warehouse, and
    reversals naming no reimbursement) and ``damaged`` (Damaged_Warehouse), each reversal set against the
    reimbursement it names.

    >>> r = pd.DataFrame({"sku": "A", "marketplace": "US", "reimbursement_id": ["1", "2", "3"],
    ...     "reason": ["Lost_Warehouse", "Damaged_Warehouse", "Reimbursement_Reversal"],
    ...     "quantity_total": [5, 2, -1], "original_reimbursement_id": [None, None, "2"]})
    >>> warehouse_payments(r)[["kind", "reimbursed_units", "reversed_units"]].values.tolist()
    [['lost', 5, 0], ['damaged', 2, 1]]
    """
    return pd.concat(
        [
            reimbursed(reimbursements, LOST_REASONS).assign(kind="lost"),
            reimbursed(reimbursements, DAMAGED_REASONS, unnamed_reversals=False).assign(
                kind="damaged"
            ),
        ],
        ignore_index=True,
    )


def warehouse_audit(
    losses: pd.DataFrame,
    paid: pd.DataFrame,
    *,
    as_of,
    windows: pd.DataFrame,
    wait_days: int = ClaimTerms.wait_days,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per SKU: the identity's terms; per loss event: units found, reimbursed and owed, with its window).

    Misplaced units (``lost``) are matched to units found on or after them, oldest first, then to
    Lost_Warehouse payments; damaged units only to Damaged_Warehouse payments (``paid``: sku, marketplace,
    kind, reimbursed_units, reversed_units; :func:`warehouse_payments`). Owed units younger than
    ``wait_days`` wait (Amazon reimburses or finds them itself).

    >>> L = pd.DataFrame({"sku": "A", "marketplace": "US", "fnsku": "X1", "reference": None, "source": "detail",
    ...                   "date": pd.to_datetime(["2026-08-05", "2026-10-10"]), "kind": ["found", "damaged"],
    ...                   "units": [1, 1]})
    >>> # a unit found in August does not make good a unit damaged in October: that one is owed
    >>> per_sku, ev = warehouse_audit(L, pd.DataFrame(), as_of="2026-11-20", windows=fee.load_claim_windows())
    >>> per_sku[["lost_units", "found_counted", "found_beyond", "open_units"]].values.tolist()
    [[1, 0, 1, 1]]
    """
    key = ["sku", "marketplace"]
    ev = losses.loc[losses["kind"].isin(["lost", "damaged", "found"])].copy()
    ev["marketplace"] = ev["marketplace"].astype("string").fillna("")
    ev["units"] = ev["units"].astype("int64")
    ev["_found_last"] = (ev["kind"] == "found").astype("int8")  # on one day, a loss before its find
    ev = ev.sort_values([*key, "date", "_found_last"], kind="stable", ignore_index=True)
    gid = ev.groupby(key, sort=False).ngroup().to_numpy()
    is_m = (ev["kind"] == "lost").to_numpy()
    is_f = (ev["kind"] == "found").to_numpy()
    units = ev["units"].to_numpy()
    m = pd.Series(np.where(is_m, units, 0))
    f = pd.Series(np.where(is_f, units, 0))
    cm = m.groupby(gid).cumsum()
    # found units with no misplaced unit before them, so far: the running maximum of found − misplaced
    beyond_run = (f.groupby(gid).cumsum() - cm).groupby(gid).cummax().clip(lower=0)
    beyond_end = beyond_run.groupby(gid).transform("last")
    matched = f.groupby(gid).transform("sum") - beyond_end  # found units matched to a loss
    ev["found"] = np.where(is_m, np.clip(matched - (cm - m), 0, units), 0).astype("int64")

    p = (
        paid.copy()
        if len(paid)
        else pd.DataFrame(columns=[*key, "kind", "reimbursed_units", "reversed_units"])
    )
    p["marketplace"] = p["marketplace"].astype("string").fillna("")
    found_total = ev.loc[is_f].groupby(key)["units"].sum().rename("found_units").reset_index()
    p = p.merge(found_total, on=key, how="left")
    p["found_units"] = p["found_units"].fillna(0).astype("int64")
    justified = np.where(
        p["kind"] == "lost", np.minimum(p["reversed_units"].astype("int64"), p["found_units"]), 0
    )
    p["net_paid"] = (p["reimbursed_units"].astype("int64") - justified).clip(lower=0)
    p["wrongful"] = (p["reversed_units"].astype("int64") - justified).astype("int64")

    loss = ev.loc[~is_f].reset_index(drop=True)
    loss = loss.merge(p[[*key, "kind", "net_paid"]], on=[*key, "kind"], how="left")
    loss["net_paid"] = loss["net_paid"].fillna(0).astype("int64")
    remaining = loss["units"] - loss["found"]
    before = (
        remaining.groupby([loss["sku"], loss["marketplace"], loss["kind"]]).cumsum() - remaining
    )
    loss["reimbursed"] = np.clip(loss["net_paid"] - before, 0, remaining).astype("int64")
    loss["owed"] = (remaining - loss["reimbursed"]).astype("int64")
    due = _deadlines(
        windows,
        kind="warehouse_lost_damaged",
        dates=loss["date"],
        marketplace=loss["marketplace"].replace("", pd.NA),
        as_of=as_of,
    )
    young = (pd.Timestamp(as_of) - loss["date"]).dt.days < wait_days
    due["status"] = np.where(young & (due["status"] != "expired"), "wait", due["status"])
    loss = pd.concat([loss.drop(columns=["net_paid", "_found_last"]), due], axis=1)
    loss.loc[loss["owed"] == 0, "status"] = pd.NA

    by = loss.groupby(key, sort=False)
    per = by.agg(
        fnsku=("fnsku", "first"),
        lost_units=("units", "sum"),
        found_counted=("found", "sum"),
        reimbursed_counted=("reimbursed", "sum"),
    )
    # a SKU with payments or reversals and no loss in the data has its row too (a reversal of nothing found)
    keys = (
        per.index.union(pd.MultiIndex.from_frame(p[key].drop_duplicates())) if len(p) else per.index
    )
    per = per.reindex(keys).reset_index()
    per[["lost_units", "found_counted", "reimbursed_counted"]] = (
        per[["lost_units", "found_counted", "reimbursed_counted"]].fillna(0).astype("int64")
    )
    kinds = loss.pivot_table(index=key, columns="kind", values="units", aggfunc="sum", fill_value=0)
    owed = loss.pivot_table(index=key, columns="status", values="owed", aggfunc="sum", fill_value=0)
    idx = pd.MultiIndex.from_frame(per[key])

    def take(frame, col):
        return (
            frame[col].reindex(idx).fillna(0).to_numpy(dtype="int64")
            if col in frame
            else np.zeros(len(per), dtype="int64")
        )

    per["misplaced_units"] = take(kinds, "lost")
    per["damaged_units"] = take(kinds, "damaged")
    per["waiting_units"] = take(owed, "wait")
    per["open_units"] = take(owed, "open") + take(owed, "not yet open")
    per["expired_units"] = take(owed, "expired")
    ft = found_total.set_index(key)
    per["found_units"] = take(ft, "found_units")
    per["found_beyond"] = per["found_units"] - per["found_counted"]
    pl = p.loc[p["kind"] == "lost"].set_index(key)
    pk = p.groupby(key)[["reimbursed_units", "reversed_units", "wrongful"]].sum()
    per["reimbursed_units"] = take(pk, "reimbursed_units")
    per["reversed_units"] = take(pk, "reversed_units")
    per["reversal_without_found"] = take(pk, "wrongful")
    per["found_not_reversed"] = (
        (per["found_counted"] + take(pl, "net_paid") - per["misplaced_units"])
        .clip(lower=0)
        .astype("int64")
    )
    per["marketplace"] = per["marketplace"].replace("", pd.NA)
    loss["marketplace"] = loss["marketplace"].replace("", pd.NA)
    return per, loss


def _deadlines(
    windows: pd.DataFrame, *, kind: fee.ClaimKind, dates: pd.Series, marketplace: pd.Series, as_of
) -> pd.DataFrame:
    """:func:`stockbook.fees.claim_deadlines` for rows of several marketplaces (one call per marketplace)."""
    out = pd.DataFrame(index=dates.index, columns=["first_day", "last_day", "status", "rule"])
    mp = marketplace.astype("string").fillna("US")
    for m in mp.unique():  # a handful of marketplaces, vectorised over rows
        rows = mp == m
        got = fee.claim_deadlines(
            windows, kind=kind, event_dates=dates[rows], marketplace=m, as_of=as_of
        )
        out.loc[rows, :] = got.to_numpy()
    out["first_day"] = pd.to_datetime(out["first_day"])
    out["last_day"] = pd.to_datetime(out["last_day"])
    return out


def inbound_audit(
    shipments: pd.DataFrame, paid: pd.DataFrame, *, as_of, windows: pd.DataFrame
) -> pd.DataFrame:
    """Per closed shipment line short of units: the shortfall, the Lost_Inbound units reimbursed for the SKU
    (oldest shortfall first) and the units still owed, with the claim window counted from the day the carrier
    delivered it (``delivered_date``, Amazon's rule), else from the day receiving closed (``window_from`` says
    which). Units the same shipment received over on another SKU (:func:`inbound_pairs`) are not a loss:
    Amazon refuses them as received under the other SKU, so they leave the shortfall (``received_as_other``)
    and are listed for investigation instead.

    >>> s = pd.DataFrame({"shipment_id": ["S1", "S2", "S2"], "sku": ["A", "A", "B"], "units_shipped": [100, 50, 20],
    ...                   "units_received": [90, 44, 23], "received_date": pd.to_datetime(["2026-09-20",
    ...                   "2026-10-01", "2026-10-01"])})
    >>> paid = pd.DataFrame({"sku": ["A"], "marketplace": [pd.NA], "reimbursed_units": [12], "reversed_units": [0]})
    >>> inbound_audit(s, paid, as_of="2026-10-31", windows=fee.load_claim_windows())[
    ...     ["shipment_id", "received_as_other", "shortfall", "reimbursed", "owed"]].values.tolist()
    [['S1', 0, 10, 10, 0], ['S2', 3, 3, 2, 1]]
    """
    s = shipments.loc[shipments["received_date"].notna()].copy()
    pairs = inbound_pairs(s.assign(closed_on=s["received_date"]))
    other = (
        pairs["units"]
        .groupby([pairs["shipment_id"].astype(str), pairs["short_sku"].astype(str)])
        .sum()
        if len(pairs)
        else pd.Series(dtype="int64")
    )
    at = pd.MultiIndex.from_arrays([s["shipment_id"].astype(str), s["sku"].astype(str)])
    s["received_as_other"] = (
        pd.Series(other.reindex(at).to_numpy(), index=s.index).fillna(0).astype("int64")
    )
    s["shortfall"] = (s["units_shipped"] - s["units_received"] - s["received_as_other"]).astype(
        "int64"
    )
    s = s.loc[s["shortfall"] > 0].sort_values(
        ["sku", "received_date", "shipment_id"], ignore_index=True
    )
    by_sku = (
        paid.groupby("sku")["reimbursed_units"].sum() - paid.groupby("sku")["reversed_units"].sum()
        if len(paid)
        else pd.Series(dtype="int64")
    )
    before = s.groupby("sku")["shortfall"].cumsum() - s["shortfall"]
    pool = s["sku"].map(by_sku).fillna(0).astype("int64")
    s["reimbursed"] = np.clip(pool - before, 0, s["shortfall"]).astype("int64")
    s["owed"] = (s["shortfall"] - s["reimbursed"]).astype("int64")
    mp = s["marketplace"] if "marketplace" in s else pd.Series(pd.NA, index=s.index, dtype="string")
    s["marketplace"] = mp.astype("string")
    delivered = s["delivered_date"] if "delivered_date" in s else pd.Series(pd.NaT, index=s.index)
    s["window_from"] = np.where(delivered.notna(), "delivered", "closed")
    s["window_date"] = pd.to_datetime(delivered).fillna(s["received_date"])
    due = _deadlines(
        windows,
        kind="inbound_shortfall",
        dates=s["window_date"],
        marketplace=s["marketplace"],
        as_of=as_of,
    )
    s = s.rename(
        columns={"status": "shipment_status"}
    )  # the claim's status replaces the shipment's
    return pd.concat([s, due], axis=1)


def refund_audit(
    refunds: pd.DataFrame,
    returns: pd.DataFrame,
    reimbursements: pd.DataFrame,
    *,
    as_of,
    windows: pd.DataFrame,
) -> pd.DataFrame:
    """Refunds with no return of the order and SKU and no CustomerReturn reimbursement of the order: the units
    refunded minus returned minus reimbursed, with the window counted from the refund.

    >>> f = pd.DataFrame({"date": pd.to_datetime(["2026-07-20", "2026-07-21"]), "order_id": ["O1", "O2"],
    ...                   "sku": "A", "quantity": [1, 2], "marketplace": "US"})
    >>> r = pd.DataFrame({"order_id": ["O2"], "sku": ["A"], "quantity": [2]})
    >>> e = pd.DataFrame({"order_id": [], "reason": [], "quantity_total": []})
    >>> refund_audit(f, r, e, as_of="2026-10-31", windows=fee.load_claim_windows())[
    ...     ["order_id", "owed", "status"]].values.tolist()
    [['O1', 1, 'open']]
    """
    refunds = _of_kind(refunds, "refund")
    f = refunds.groupby(["order_id", "sku"], as_index=False, dropna=False).agg(
        date=("date", "min"),
        refunded=("quantity", "sum"),
        marketplace=("marketplace", "first") if "marketplace" in refunds else ("sku", "size"),
    )
    back = (
        returns.groupby(["order_id", "sku"], as_index=False)["quantity"]
        .sum()
        .rename(columns={"quantity": "returned"})
        if len(returns)
        else pd.DataFrame(columns=["order_id", "sku", "returned"])
    )
    f = f.merge(back, on=["order_id", "sku"], how="left")
    f["returned"] = pd.to_numeric(f["returned"]).fillna(0).astype("int64")
    rr = (
        reimbursements.assign(reason_key=_norm_reason(reimbursements["reason"]))
        if len(reimbursements)
        else reimbursements
    )
    paid = (
        rr.loc[rr["reason_key"].isin(RETURN_REASONS)].groupby("order_id")["quantity_total"].sum()
        if len(rr)
        else pd.Series(dtype="int64")
    )
    f["reimbursed"] = f["order_id"].map(paid).fillna(0).astype("int64")
    f["owed"] = (
        (f["refunded"].abs() - f["returned"] - f["reimbursed"]).clip(lower=0).astype("int64")
    )
    f = f.loc[f["owed"] > 0].reset_index(drop=True)
    f["marketplace"] = f["marketplace"].astype("string") if "marketplace" in refunds else pd.NA
    due = _deadlines(
        windows,
        kind="customer_return",
        dates=f["date"],
        marketplace=f["marketplace"].astype("string"),
        as_of=as_of,
    )
    return pd.concat([f, due], axis=1)


def damaged_returns(returns: pd.DataFrame, reimbursements: pd.DataFrame) -> pd.DataFrame:
    """Returns put back as damaged by the carrier or the warehouse (:data:`FAULT_DISPOSITIONS`), less the units
    Amazon reimbursed for the same order and SKU (any reason but a reversal): the units still owed.

    >>> ret = pd.DataFrame({"date": pd.to_datetime(["2026-09-01"] * 3), "order_id": ["O1", "O2", "O3"], "sku": "A",
    ...     "fnsku": "X", "quantity": 1, "disposition": ["CARRIER_DAMAGED", "DISTRIBUTOR_DAMAGED", "DAMAGED"],
    ...     "location": "MDW2", "marketplace": "US"})
    >>> paid = pd.DataFrame({"order_id": ["O3"], "sku": ["A"], "reason": ["CustomerReturn"], "quantity_total": [1]})
    >>> damaged_returns(ret, paid)[["order_id", "owed"]].values.tolist()
    [['O1', 1]]
    """
    cols = [
        "date",
        "order_id",
        "sku",
        "fnsku",
        "quantity",
        "disposition",
        "location",
        "marketplace",
    ]
    if not len(returns) or "disposition" not in returns:
        return pd.DataFrame(columns=[*cols, "reimbursed", "owed"])
    bad = returns.loc[
        returns["disposition"].astype("string").str.upper().isin(FAULT_DISPOSITIONS)
    ].reset_index(drop=True)
    bad = bad.assign(**{c: pd.NA for c in cols if c not in bad})[cols]
    return _net_of_paid(bad, reimbursements)


def average_prices(
    sales: pd.DataFrame,
    products: pd.DataFrame | None,
    *,
    currency: str | None,
    rates,
    as_of,
    days: int,
) -> pd.Series:
    """Per SKU: the seller's average selling price (revenue ÷ units, each sale converted at its day's rate)
    over the ``days`` before ``as_of``, else the SKU master's price; as the customer paid it (VAT included
    where the marketplace's prices include it). A sale whose file states no currency has no known price.

    >>> s = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-02"]), "sku": "A", "units": [1, 3],
    ...                   "revenue": [10.0, 36.0], "currency": "USD"})
    >>> average_prices(s, None, currency="USD", rates=None, as_of="2026-10-31", days=90).tolist()
    [11.5]
    """
    as_of = pd.Timestamp(as_of)
    s = sales.loc[(sales["date"] > as_of - pd.Timedelta(days=days)) & (sales["date"] <= as_of)]
    s = s.loc[s["revenue"].notna() & (s["units"] > 0)]
    if currency and "currency" in s:
        s = s.loc[s["currency"].notna()]
    revenue = s["revenue"].astype("float64")
    if currency and len(s) and "currency" in s:
        ccy = s["currency"].astype("string")
        if (ccy != currency).any():
            revenue = _in_currency(revenue, ccy, to=currency, dates=s["date"], rates=rates)
    asp = revenue.groupby(s["sku"]).sum() / s.groupby("sku")["units"].sum()
    listed = prices(products) if products is not None else pd.Series(dtype="float64")
    return asp.combine_first(listed.astype("float64"))


def estimated_proceeds(
    asp: pd.Series, *, vat_rate, fulfilment_fee, referral_rate: float
) -> pd.Series:
    """What a sale would have left the seller, per unit (never below 0): the price net of VAT, less the referral
    fee on the VAT-inclusive price and the fulfilment fee (``fees.net_per_unit``).

    >>> estimated_proceeds(pd.Series({"A": 24.0}), vat_rate=0.2, fulfilment_fee=3.0, referral_rate=0.15).tolist()
    [13.4]
    """
    net = fee.net_per_unit(
        asp.to_numpy(dtype=float),
        vat_rate=vat_rate,
        referral_rate=referral_rate,
        fulfilment_fee=fulfilment_fee,
    )
    return pd.Series(np.clip(net, 0, None), index=asp.index).round(2)


def unit_values(
    data,
    products: pd.DataFrame | None,
    sales: pd.DataFrame,
    *,
    as_of,
    currency: str | None,
    rates,
    terms,
) -> pd.DataFrame:
    """Per SKU, in ``currency``: the two values a case can be worth — ``manufacturing_cost`` (the SKU master's
    unit cost) and ``estimated_proceeds`` (:func:`estimated_proceeds` of the average price, with the SKU's VAT
    and fulfilment fee, ``stock.unit_fees``) — and what they were built from."""
    asp = average_prices(
        sales, products, currency=currency, rates=rates, as_of=as_of, days=terms.price_days
    )
    skus = asp.index.union(sch.products_by_sku(products).index if products is not None else [])
    out = pd.DataFrame(index=pd.Index(skus, name="sku"))
    out["price"] = asp.reindex(out.index)
    out["vat_rate"] = 0.0
    out["fulfilment_fee"] = np.nan
    out["fee_tier"] = pd.Series(pd.NA, index=out.index, dtype="string")
    market = sku_marketplaces(data).reindex(out.index).astype("string")
    if products is not None and currency and rates is not None and len(out):
        f = unit_fees(data, products, market, as_of=as_of, currency=currency, rates=rates)
        out["vat_rate"] = f["vat_rate"].fillna(0.0)
        out["fulfilment_fee"] = f["fulfilment_fee"]
        out["fee_tier"] = f["fee_tier"].astype("string")
    out["fee_known"] = out["fulfilment_fee"].notna()
    out["fulfilment_fee"] = out["fulfilment_fee"].fillna(terms.fulfilment_fee)
    out["estimated_proceeds"] = estimated_proceeds(
        out["price"],
        vat_rate=out["vat_rate"].to_numpy(),
        fulfilment_fee=out["fulfilment_fee"].to_numpy(),
        referral_rate=terms.referral_rate,
    ).where(out["price"].notna())
    out["manufacturing_cost"] = (
        unit_costs(products).reindex(out.index).astype("float64").round(2)
        if products is not None
        else np.nan
    )
    master = (
        sch.products_by_sku(products).reindex(out.index)
        if products is not None
        else pd.DataFrame(index=out.index)
    )
    out["weight_lb"] = (
        pd.to_numeric(master["weight_lb"], errors="coerce").astype("float64")
        if "weight_lb" in master
        else np.nan
    )
    out["size_tier"] = (
        master["size_tier"].astype("string")
        if "size_tier" in master
        else pd.Series(pd.NA, index=out.index, dtype="string")
    )
    out["marketplace"] = market
    return out


def case_values(
    cases: pd.DataFrame, values: pd.DataFrame, table: pd.DataFrame, *, case: fee.ValuationCase
) -> pd.DataFrame:
    """Per case (sku, marketplace, event_date): the basis the rule in force on its date values it by and the
    value per unit on that basis (NaN where the SKU's cost or price is unknown).

    >>> v = pd.DataFrame({"manufacturing_cost": [3.10], "estimated_proceeds": [6.90]}, index=["A"])
    >>> c = pd.DataFrame({"sku": ["A", "A"], "marketplace": "US",
    ...                   "event_date": pd.to_datetime(["2025-01-10", "2026-09-30"])})
    >>> case_values(c, v, fee.load_fee_table("reimbursement_valuation.csv"), case="pre_order_loss").values.tolist()
    [['estimated_proceeds', 6.9], ['manufacturing_cost', 3.1]]
    """
    basis = fee.valuation_basis(
        table, case=case, marketplace=cases["marketplace"], dates=cases["event_date"]
    )
    per = pd.Series(np.nan, index=cases.index, dtype="float64")
    for b in basis["basis"].dropna().unique():  # two bases, vectorised over rows
        at = (basis["basis"] == b).to_numpy(dtype=bool)
        per[at] = cases.loc[at, "sku"].map(values[b]).astype("float64").to_numpy()
    return pd.DataFrame(
        {"basis": basis["basis"].to_numpy(), "value_per_unit": per.round(2).to_numpy()},
        index=cases.index,
    )


def underpaid(
    reimbursements: pd.DataFrame, values: pd.DataFrame, table: pd.DataFrame, *, terms: ClaimTerms
) -> pd.DataFrame:
    """Reimbursements paid in cash below the value their rule gave on the approval day by more than the
    tolerance: warehouse and inbound losses by the pre-order rule (manufacturing cost since 2025 in the US),
    customer returns at the estimated proceeds.

    >>> v = pd.DataFrame({"manufacturing_cost": [3.10, 3.10], "estimated_proceeds": [6.90, 6.90]}, index=["A", "B"])
    >>> r = pd.DataFrame({"sku": ["A", "B"], "marketplace": "US", "reason": ["Lost_Warehouse", "CustomerReturn"],
    ...                   "approval_date": pd.to_datetime("2026-09-30"), "quantity_cash": [1, 2],
    ...                   "amount_in_currency": [2.76, 13.80]})
    >>> underpaid(r, v, fee.load_fee_table("reimbursement_valuation.csv"), terms=ClaimTerms())[
    ...     ["sku", "basis", "fair_value", "shortfall"]].values.tolist()
    [['A', 'manufacturing_cost', 3.1, 0.34]]
    """
    reason = _norm_reason(reimbursements["reason"])
    qty = (
        pd.to_numeric(reimbursements["quantity_cash"], errors="coerce").astype("float64").fillna(0)
    )
    parts = []
    for case, reasons in (
        ("pre_order_loss", WAREHOUSE_REASONS + INBOUND_REASONS),
        ("customer_return", RETURN_REASONS),
    ):
        r = reimbursements.loc[reason.isin(reasons) & (qty > 0)]
        if not len(r):
            continue
        mp = r["marketplace"] if "marketplace" in r else pd.Series(pd.NA, index=r.index)
        v = case_values(
            pd.DataFrame({"sku": r["sku"], "marketplace": mp, "event_date": r["approval_date"]}),
            values,
            table,
            case=case,
        )
        q = qty[r.index]
        per_unit = r["amount_in_currency"].astype("float64") / q
        value = v["value_per_unit"].astype("float64")
        short = (per_unit < value * (1 - terms.tolerance)).fillna(False).to_numpy(dtype=bool)
        parts.append(
            r.loc[short].assign(
                paid_per_unit=per_unit[short].round(2),
                basis=v.loc[short, "basis"],
                fair_value=v.loc[short, "value_per_unit"],
                shortfall=((v.loc[short, "value_per_unit"] - per_unit[short]) * q[short]).round(2),
            )
        )
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else reimbursements.iloc[:0].assign(paid_per_unit=[], basis=[], fair_value=[], shortfall=[])
    )


# ---------------------------------------------------------------------------- removals, disposals, fees, pairs


def _units(df: pd.DataFrame, col: str) -> pd.Series:
    return (
        pd.to_numeric(df[col], errors="coerce").fillna(0).astype("int64")
        if col in df
        else pd.Series(0, index=df.index, dtype="int64")
    )


def removal_audit(
    orders: pd.DataFrame, shipments: pd.DataFrame | None, *, as_of, windows: pd.DataFrame
) -> pd.DataFrame:
    """Removal order lines Amazon completed with units unaccounted for, per order and SKU:

        short     = requested − cancelled − disposed − shipped − in process      (a completed order only)
        unshipped = shipped (order detail) − shipped in the shipment detail's packages   (Return orders)
        owed      = short + unshipped

    with the claim window for removals (``removal_lost``) from the order's last update. Without the
    shipment detail, ``unshipped`` is not checked (``carried`` is null).

    >>> o = pd.DataFrame({"order_id": ["R1", "R2"], "sku": ["A", "B"], "order_type": "Return",
    ...     "order_status": "Completed", "requested": [10, 4], "cancelled": 0, "disposed": 0, "shipped": [7, 4],
    ...     "in_process": 0, "request_date": pd.Timestamp("2026-09-01"),
    ...     "last_updated_date": pd.Timestamp("2026-09-20")})
    >>> s = pd.DataFrame({"order_id": ["R1", "R2"], "sku": ["A", "B"], "shipped": [7, 2]})
    >>> removal_audit(o, s, as_of="2026-10-31", windows=fee.load_claim_windows())[
    ...     ["order_id", "short", "unshipped", "owed", "status"]].values.tolist()
    [['R1', 3, 0, 3, 'open'], ['R2', 0, 2, 2, 'open']]
    """
    key = ["order_id", "sku"]
    o = orders.copy()
    for c in ("requested", "cancelled", "disposed", "shipped", "in_process"):
        o[c] = _units(o, c)
    mp = o["marketplace"] if "marketplace" in o else pd.Series(pd.NA, index=o.index)
    o = (
        o.assign(marketplace=mp.astype("string"))
        .groupby(key, as_index=False, dropna=False)
        .agg(
            fnsku=("fnsku", "first") if "fnsku" in o else ("sku", "first"),
            order_type=("order_type", "first"),
            order_status=("order_status", "first") if "order_status" in o else ("sku", "size"),
            requested=("requested", "sum"),
            cancelled=("cancelled", "sum"),
            disposed=("disposed", "sum"),
            shipped=("shipped", "sum"),
            in_process=("in_process", "sum"),
            request_date=("request_date", "min"),
            last_updated_date=("last_updated_date", "max")
            if "last_updated_date" in o
            else ("request_date", "max"),
            marketplace=("marketplace", "first"),
        )
    )
    done = o["order_status"].astype("string").str.upper().str.strip().eq("COMPLETED").fillna(False)
    o["short"] = (
        (o["requested"] - o["cancelled"] - o["disposed"] - o["shipped"] - o["in_process"])
        .clip(lower=0)
        .where(done, 0)
        .astype("int64")
    )
    if shipments is not None and len(shipments):
        carried = (
            _units(shipments, "shipped")
            .groupby([shipments["order_id"].astype(str), shipments["sku"].astype(str)])
            .sum()
        )
        at = pd.MultiIndex.from_frame(o[key].astype(str))
        o["carried"] = pd.Series(carried.reindex(at).fillna(0).to_numpy(), index=o.index).astype(
            "int64"
        )
        is_return = (
            o["order_type"].astype("string").str.upper().str.startswith("RETURN").fillna(False)
        )
        o["unshipped"] = (o["shipped"] - o["carried"]).clip(lower=0).where(done & is_return, 0)
    else:
        o["carried"] = pd.array([pd.NA] * len(o), dtype="Int64")
        o["unshipped"] = 0
    o["unshipped"] = o["unshipped"].astype("int64")
    o["owed"] = (o["short"] + o["unshipped"]).astype("int64")
    o = o.loc[o["owed"] > 0].reset_index(drop=True)
    o["event_date"] = pd.to_datetime(o["last_updated_date"]).fillna(o["request_date"])
    due = _deadlines(
        windows,
        kind="removal_lost",
        dates=o["event_date"],
        marketplace=o["marketplace"],
        as_of=as_of,
    )
    return pd.concat([o, due], axis=1)


def disposals_without_order(ledger: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Units the FBA ledger disposed of beyond what the seller's disposal orders (manual or the automated
    unfulfillable setting: both are orders in the Removal Order Detail report) disposed, per SKU, over the
    months the removal report covers:

        beyond = ledger disposed − ordered disposed          (listed where > 0)

    >>> led = pd.DataFrame({"period_start": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
    ...     "location_class": "fba", "sku": "A", "marketplace": "US", "disposed": [-4, -3, -2]})
    >>> o = pd.DataFrame({"sku": ["A"], "order_type": ["Disposal"], "disposed": [3],
    ...                   "request_date": pd.to_datetime(["2026-09-05"])})
    >>> disposals_without_order(led, o)[["sku", "ledger_disposed", "ordered_disposed", "beyond"]].values.tolist()
    [['A', 5, 3, 2]]
    """
    cols = ["sku", "marketplace", "ledger_disposed", "ordered_disposed", "beyond", "event_date"]
    if "disposed" not in ledger or not len(orders):
        return pd.DataFrame(columns=cols)
    since = pd.Timestamp(orders["request_date"].min()).to_period("M").start_time
    led = ledger.loc[(ledger["location_class"] == "fba") & (ledger["period_start"] >= since)]
    units = pd.to_numeric(led["disposed"], errors="coerce").fillna(0).abs().astype("int64")
    led = led.assign(units=units).loc[units > 0]
    mp = led["marketplace"] if "marketplace" in led else pd.Series(pd.NA, index=led.index)
    g = (
        led.assign(marketplace=mp.astype("string"))
        .groupby("sku", as_index=False)
        .agg(
            marketplace=("marketplace", "first"),
            ledger_disposed=("units", "sum"),
            event_date=("period_start", "max"),
        )
    )
    is_disposal = (
        orders["order_type"].astype("string").str.upper().str.startswith("DISPOS").fillna(False)
    )
    ordered = _units(orders, "disposed").where(is_disposal, 0).groupby(orders["sku"]).sum()
    g["ordered_disposed"] = g["sku"].map(ordered).fillna(0).astype("int64")
    g["beyond"] = (g["ledger_disposed"] - g["ordered_disposed"]).clip(lower=0).astype("int64")
    return g.loc[g["beyond"] > 0, cols].reset_index(drop=True)


#: Amazon's fee preview size tiers (UsLargeStandardSize …) -> the fee tables' names
def _tier_key(s: pd.Series) -> pd.Series:
    return (
        s.astype("string")
        .str.lower()
        .str.replace(r"^(us|uk|eu)", "", regex=True)
        .str.replace(r"[^a-z]", "", regex=True)
    )


def fee_overcharges(
    preview: pd.DataFrame,
    values: pd.DataFrame,
    sold: pd.Series,
    *,
    currency: str | None,
    rates,
    as_of,
    tolerance: float,
) -> pd.DataFrame:
    """SKUs whose fulfilment fee in Amazon's Fee Preview report is above the fee the dated tables give for the
    SKU master's weight and size by more than ``tolerance`` (and 0.05): Amazon likely measured it bigger or
    heavier — ask for a re-measurement and for the overcharge on the units sold (``sold``: units per SKU over
    the price window).

        overcharge per unit = Amazon's fee − the tables' fee;   value = overcharge × units sold

    >>> pv = pd.DataFrame({"sku": ["A", "B"], "store": "US", "fulfilment_fee": [6.08, 4.05], "currency": "USD",
    ...                    "weight": [2.4, 0.18], "weight_unit": "pounds", "size_tier": "UsLargeStandardSize"})
    >>> v = pd.DataFrame({"fulfilment_fee": [4.75, 4.05], "fee_known": True, "weight_lb": [1.2, 0.18],
    ...                   "size_tier": "large_standard", "marketplace": "US"}, index=["A", "B"])
    >>> fee_overcharges(pv, v, pd.Series({"A": 30}), currency="USD", rates=None, as_of="2026-10-31",
    ...                 tolerance=0.05)[["sku", "amazon_fee", "table_fee", "overcharge", "units", "value"]].values.tolist()
    [['A', 6.08, 4.75, 1.33, 30, 39.9]]
    """
    cols = [
        "marketplace",
        "sku",
        "amazon_fee",
        "table_fee",
        "overcharge",
        "units",
        "value",
        "amazon_weight_lb",
        "master_weight_lb",
        "amazon_size_tier",
        "master_size_tier",
    ]
    p = preview.loc[pd.to_numeric(preview["fulfilment_fee"], errors="coerce").notna()].copy()
    if not len(p):
        return pd.DataFrame(columns=cols)
    store = p["store"] if "store" in p else pd.Series(pd.NA, index=p.index)
    mp = p["marketplace"] if "marketplace" in p else pd.Series(pd.NA, index=p.index)
    p["marketplace"] = mp.astype("string").fillna(store.astype("string").str.upper())
    amazon = p["fulfilment_fee"].astype("float64")
    if currency and rates is not None and "currency" in p:
        ccy = p["currency"].astype("string").fillna(currency)
        if (ccy != currency).any():
            amazon = _in_currency(
                amazon, ccy, to=currency, dates=[pd.Timestamp(as_of)] * len(p), rates=rates
            )
    v = values.reindex(p["sku"])
    # only a SKU whose table fee is known, in the marketplace the values are for
    # (a marketplace or a SKU either side does not know is no match, never an error)
    mine = pd.Series(v["marketplace"].to_numpy(), dtype="string")
    theirs = pd.Series(p["marketplace"].to_numpy(), dtype="string")
    known = pd.Series(v["fee_known"].to_numpy(), dtype="boolean").fillna(False)
    same = (mine.eq(theirs).fillna(False) & known).to_numpy(dtype=bool)
    table = pd.to_numeric(v["fulfilment_fee"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    over = amazon.to_numpy() - table
    hit = same & (over > np.maximum(tolerance * table, 0.05))
    unit = p["weight_unit"].astype("string").str.lower().str.strip() if "weight_unit" in p else None
    per_lb = (
        unit.map(
            {
                "pounds": 1.0,
                "pound": 1.0,
                "lb": 1.0,
                "lbs": 1.0,
                "ounces": 1 / 16,
                "oz": 1 / 16,
                "grams": 0.00220462262185,
                "g": 0.00220462262185,
                "kilograms": 2.20462262185,
                "kg": 2.20462262185,
            }
        )
        if unit is not None
        else pd.Series(np.nan, index=p.index)
    )
    weight = pd.to_numeric(p["weight"], errors="coerce") if "weight" in p else np.nan
    units = p["sku"].map(sold).fillna(0).astype("int64").to_numpy()
    out = pd.DataFrame(
        {
            "marketplace": p["marketplace"].to_numpy(),
            "sku": p["sku"].to_numpy(),
            "amazon_fee": amazon.round(2).to_numpy(),
            "table_fee": np.round(table, 2),
            "overcharge": np.round(over, 2),
            "units": units,
            "value": np.round(np.round(over, 2) * units, 2),
            "amazon_weight_lb": (weight * per_lb).round(2).to_numpy(dtype=float),
            "master_weight_lb": v["weight_lb"].astype("float64").round(2).to_numpy(),
            "amazon_size_tier": p["size_tier"].astype("string").to_numpy()
            if "size_tier" in p
            else pd.NA,
            "master_size_tier": v["size_tier"].astype("string").to_numpy(),
        }
    )
    return out.loc[hit].reset_index(drop=True)[cols]


def returned_mismatches(returns: pd.DataFrame, reimbursements: pd.DataFrame) -> pd.DataFrame:
    """Returns Amazon recorded as a different item than the one sold (:data:`MISMATCH_REASONS`), less what it
    paid for the order and SKU: a claim with photos, the LPN label and the invoice.

    >>> ret = pd.DataFrame({"date": pd.to_datetime(["2026-08-01", "2026-08-02"]), "order_id": ["O1", "O2"],
    ...     "sku": "A", "quantity": 1, "reason": ["SWITCHEROO", "UNWANTED_ITEM"], "disposition": "CUSTOMER_DAMAGED"})
    >>> returned_mismatches(ret, pd.DataFrame())[["order_id", "owed"]].values.tolist()
    [['O1', 1]]
    """
    if not len(returns) or "reason" not in returns:
        return pd.DataFrame(columns=["date", "order_id", "sku", "quantity", "reimbursed", "owed"])
    hit = (
        returns["reason"]
        .astype("string")
        .str.upper()
        .str.strip()
        .isin(MISMATCH_REASONS)
        .fillna(False)
    )
    return _net_of_paid(returns.loc[hit].reset_index(drop=True), reimbursements)


def _net_of_paid(rows: pd.DataFrame, reimbursements: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (returns: order_id, sku, date, quantity) less the units Amazon reimbursed for the same order and
    SKU (any reason but a reversal), each order's payment covering its rows in order of their day."""
    r = reimbursements
    if len(r) and "order_id" in r:
        r = r.loc[~_norm_reason(r["reason"]).isin(REVERSAL_REASONS) & r["order_id"].notna()]
        paid = (
            pd.to_numeric(r["quantity_total"], errors="coerce")
            .fillna(0)
            .groupby([r["order_id"].astype(str), r["sku"].astype(str)])
            .sum()
        )
    else:
        paid = pd.Series(dtype="float64")
    out = rows.sort_values(["order_id", "sku", "date"], kind="stable", ignore_index=True)
    at = pd.MultiIndex.from_frame(out[["order_id", "sku"]].astype(str))
    pool = pd.Series(paid.reindex(at).fillna(0).to_numpy(), index=out.index).astype("int64")
    q = pd.to_numeric(out["quantity"]).astype("int64")
    before = q.groupby([out["order_id"], out["sku"]]).cumsum() - q
    out["reimbursed"] = np.clip(pool - before, 0, q).astype("int64")
    out["owed"] = (q - out["reimbursed"]).astype("int64")
    return out.loc[out["owed"] > 0].reset_index(drop=True)


def replacements_not_returned(
    replacements: pd.DataFrame,
    returns: pd.DataFrame,
    reimbursements: pd.DataFrame,
    *,
    as_of,
    return_days: int = 45,
) -> pd.DataFrame:
    """Free replacements sent for an item the customer was to send back (:data:`RETURN_EXPECTED_REPLACEMENTS`)
    whose original order has, ``return_days`` later (the customer's 30 days plus transit and receiving), no return
    of the SKU in the returns report and no reimbursement: the unit is owed.

    >>> rep = pd.DataFrame({"date": pd.to_datetime(["2026-07-01", "2026-07-02", "2026-07-03", "2026-10-20"]),
    ...     "sku": "A", "quantity": 1, "reason": ["2", "6", "3", "2"], "order_id": ["N1", "N2", "N3", "N4"],
    ...     "original_order_id": ["O1", "O2", "O3", "O4"]})
    >>> back = pd.DataFrame({"order_id": ["O3"], "sku": ["A"], "quantity": [1]})
    >>> replacements_not_returned(rep, back, pd.DataFrame(), as_of="2026-10-31")[
    ...     ["original_order_id", "owed"]].values.tolist()
    [['O1', 1]]
    """
    cols = [
        "date",
        "sku",
        "quantity",
        "reason",
        "order_id",
        "original_order_id",
        "returned",
        "owed",
    ]
    r = replacements.loc[
        replacements["reason"]
        .astype("string")
        .str.upper()
        .str.strip()
        .isin(RETURN_EXPECTED_REPLACEMENTS)
        .fillna(False)
        & (replacements["date"] <= pd.Timestamp(as_of) - pd.Timedelta(days=return_days))
    ]
    if not len(r):
        return pd.DataFrame(columns=cols)
    r = r.groupby(["original_order_id", "sku"], as_index=False).agg(
        date=("date", "min"),
        quantity=("quantity", "sum"),
        reason=("reason", "first"),
        order_id=("order_id", "first") if "order_id" in r else ("sku", "first"),
        **({"marketplace": ("marketplace", "first")} if "marketplace" in r else {}),
    )
    back = (
        _units(returns, "quantity")
        .groupby([returns["order_id"].astype(str), returns["sku"].astype(str)])
        .sum()
        if len(returns)
        else pd.Series(dtype="int64")
    )
    at = pd.MultiIndex.from_frame(r[["original_order_id", "sku"]].astype(str))
    r["returned"] = pd.Series(back.reindex(at).fillna(0).to_numpy(), index=r.index).astype("int64")
    r["quantity"] = _units(r, "quantity")
    left = r.assign(
        quantity=(r["quantity"] - r["returned"]).clip(lower=0), order_id_orig=r["order_id"]
    )
    left = left.loc[left["quantity"] > 0].assign(order_id=left["original_order_id"])
    owed = _net_of_paid(left, reimbursements)
    owed["order_id"] = owed.pop("order_id_orig")
    return owed[[c for c in [*cols, "reimbursed", "marketplace"] if c in owed]]


def _in_currency(amount: pd.Series, currency: pd.Series, *, to: str, dates, rates) -> pd.Series:
    """``amount`` (each row in its ``currency``) in ``to`` at each row's date's rate, on ``amount``'s index.

    >>> from stockbook.money import Rates
    >>> r = Rates.ecb(pd.DataFrame({"date": pd.to_datetime(["2026-10-01"]), "currency": ["GBP"], "base": ["USD"],
    ...                             "rate": [1.25], "source": "mine"}))
    >>> _in_currency(pd.Series([10.0]), pd.Series(["GBP"]), to="USD", dates=["2026-10-01"], rates=r).tolist()
    [12.5]
    """
    got = rates.convert(amount.to_numpy(dtype=float), currency.to_numpy(), to, dates=dates)
    return pd.Series(got.amounts.to_numpy(), index=amount.index)


def _of_kind(rows: pd.DataFrame, kind: Literal["refund", "order"]) -> pd.DataFrame:
    """The Payments report's rows of one kind (a table without ``kind`` holds refunds only).

    >>> _of_kind(pd.DataFrame({"kind": ["refund", "order"], "amount": [-5.0, 9.0]}), "order")["amount"].tolist()
    [9.0]
    """
    if "kind" not in rows:
        return rows if kind == "refund" else rows.iloc[0:0]
    return rows.loc[rows["kind"].astype("string").fillna("refund").eq(kind)]


def refunds_above_order(rows: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
    """Refunds larger than what the order was sold for: the excess is money to ask back. What it was sold for
    is the item price of the order's rows in the Payments report itself (``kind`` = order, its product
    sales), else the order-level sales read (an orders report); the refund is its product sales given back
    (else its total). Orders found in neither are not checked.

        excess = |refunded| − sold           (listed where above 0.01)

    >>> f = pd.DataFrame({"date": pd.to_datetime(["2026-09-01", "2026-09-02", "2026-08-20"]),
    ...                   "order_id": ["O1", "O2", "O1"], "sku": "A", "kind": ["refund", "refund", "order"],
    ...                   "product_sales": [-30.0, -10.0, 20.0], "amount": [-28.0, -9.0, 15.0], "quantity": 1})
    >>> s = pd.DataFrame({"order_id": ["O2"], "sku": "A", "revenue": [10.0], "units": 1})
    >>> refunds_above_order(f, s)[["order_id", "refunded", "sold", "excess"]].values.tolist()
    [['O1', 30.0, 20.0, 10.0]]
    """
    cols = ["date", "order_id", "sku", "refunded", "sold", "excess", "currency"]
    refunds, orders = _of_kind(rows, "refund"), _of_kind(rows, "order")
    if "product_sales" in orders:
        orders = orders.loc[orders["product_sales"].notna()]
        paid = orders.assign(revenue=orders["product_sales"])[["order_id", "sku", "revenue"]]
    else:
        paid = pd.DataFrame(columns=["order_id", "sku", "revenue"])
    if "order_id" in sales and len(sales):
        s = sales.loc[sales["order_id"].notna() & sales["revenue"].notna()]
        paid = pd.concat([paid, s.loc[~s["order_id"].isin(paid["order_id"])]], ignore_index=True)
    if not len(refunds) or not len(paid):
        return pd.DataFrame(columns=cols)
    sold = (
        paid["revenue"]
        .astype("float64")
        .groupby([paid["order_id"].astype(str), paid["sku"].astype(str)])
        .sum()
    )
    given = (
        refunds["product_sales"].astype("float64")
        if "product_sales" in refunds
        else pd.Series(np.nan, index=refunds.index)
    )
    if "amount" in refunds:
        given = given.fillna(refunds["amount"].astype("float64"))
    f = refunds.assign(refunded=given).loc[given.notna()]
    ccy = f["currency"] if "currency" in f else pd.Series(pd.NA, index=f.index, dtype="string")
    f = (
        f.assign(currency=ccy)
        .groupby(["order_id", "sku"], as_index=False)
        .agg(
            date=("date", "min"),
            refunded=("refunded", "sum"),
            currency=("currency", "first"),
            **({"marketplace": ("marketplace", "first")} if "marketplace" in f else {}),
        )
    )
    f["refunded"] = f["refunded"].abs()
    at = pd.MultiIndex.from_frame(f[["order_id", "sku"]].astype(str))
    f["sold"] = sold.reindex(at).to_numpy()
    f["excess"] = (f["refunded"] - f["sold"]).round(2)
    return f.loc[f["sold"].notna() & (f["excess"] > 0.01)].reset_index(drop=True)


def inbound_pairs(lines: pd.DataFrame) -> pd.DataFrame:
    """Shipments with one SKU short and another over: units likely received as the other SKU (a labelling or
    receiving error): investigate with Amazon before claiming the shortfall. ``units`` = min(short, over)
    within the shipment.

    >>> s = pd.DataFrame({"shipment_id": ["S1", "S1", "S2"], "sku": ["A", "B", "C"], "units_shipped": [50, 30, 20],
    ...                   "units_received": [45, 34, 18], "closed_on": pd.Timestamp("2026-10-01")})
    >>> inbound_pairs(s)[["shipment_id", "short_sku", "over_sku", "units"]].values.tolist()
    [['S1', 'A', 'B', 4]]
    """
    cols = ["shipment_id", "short_sku", "short_units", "over_sku", "over_units", "units"]
    s = lines.loc[lines["closed_on"].notna()] if "closed_on" in lines else lines
    diff = _units(s, "units_received") - _units(s, "units_shipped")
    s = s.assign(diff=diff)
    short = s.loc[s["diff"] < 0, ["shipment_id", "sku", "diff"]].rename(
        columns={"sku": "short_sku", "diff": "short_units"}
    )
    over = s.loc[s["diff"] > 0, ["shipment_id", "sku", "diff"]].rename(
        columns={"sku": "over_sku", "diff": "over_units"}
    )
    j = short.merge(over, on="shipment_id")
    if not len(j):
        return pd.DataFrame(columns=cols)
    j["short_units"] = -j["short_units"]
    j["units"] = np.minimum(j["short_units"], j["over_units"]).astype("int64")
    return j[cols].sort_values(["shipment_id", "short_sku", "over_sku"], ignore_index=True)


# ---------------------------------------------------------------------------- warehouse errors


def warehouse_error_rates(
    ledger: pd.DataFrame,
    *,
    returns: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    book: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per month (and marketplace): FBA units lost, damaged and (from returns) sent wrong, per 1,000 units
    handled; the carrier's and the delivery's complaints apart; and for the seller's warehouse, units counted
    different from the book per 1,000 units counted.

    ``fba_errors_per_1000 = (lost + damaged + wrong-item returns) ÷ handled × 1000``, where handled = units
    received + units shipped to customers + units returned (the ledger's Receipts, Customer Shipments and
    Customer Returns, as absolute numbers). Wrong-item returns and ``delivery_complaints`` (late, never
    arrived, damaged by the carrier, undeliverable) are counted only for a marketplace whose returns report was
    read (``returns_read``); elsewhere the rate is lost and damaged alone and the complaints unknown.
    ``count_error_rate = Σ|counted − book| ÷ Σ book × 1000``.

    >>> led = pd.DataFrame({"period_start": pd.to_datetime(["2026-10-01"] * 2), "location_class": "fba",
    ...                     "marketplace": ["US", "UK"], "receipts": [600, 100], "customer_shipments": [-380, -100],
    ...                     "customer_returns": [20, 0], "lost": [-2, -1], "damaged": [-1, 0]})
    >>> ret = pd.DataFrame({"date": pd.to_datetime(["2026-10-03", "2026-10-04"]), "marketplace": "US",
    ...                     "reason": ["MISSED_ESTIMATED_DELIVERY", "DAMAGED_BY_FC"], "quantity": [4, 1]})
    >>> warehouse_error_rates(led, returns=ret)[["marketplace", "error_units", "fba_errors_per_1000",
    ...     "delivery_complaints"]].values.tolist()
    [['UK', 1, 5.0, <NA>], ['US', 4, 4.0, 4]]
    """
    led = ledger.loc[ledger["location_class"] == "fba"].copy()
    led["month"] = led["period_start"].dt.strftime("%Y-%m")
    led["marketplace"] = (
        (led["marketplace"] if "marketplace" in led else pd.Series(pd.NA, index=led.index))
        .astype("string")
        .fillna("")
    )

    def col(c):
        return pd.to_numeric(led[c], errors="coerce").fillna(0).abs() if c in led else 0

    led["handled_units"] = col("receipts") + col("customer_shipments") + col("customer_returns")
    led["error_units"] = col("lost") + col("damaged")
    g = led.groupby(["month", "marketplace"], as_index=False)[
        ["handled_units", "error_units"]
    ].sum()
    g["returns_read"] = False
    g["delivery_complaints"] = pd.array([pd.NA] * len(g), dtype="Int64")
    if returns is not None and len(returns) and "reason" in returns:
        mp = (
            (
                returns["marketplace"]
                if "marketplace" in returns
                else pd.Series(pd.NA, index=returns.index)
            )
            .astype("string")
            .fillna("")
        )
        reason = returns["reason"].astype("string").str.upper()
        q = pd.to_numeric(returns["quantity"], errors="coerce").fillna(0)
        w = (
            pd.DataFrame(
                {
                    "month": returns["date"].dt.strftime("%Y-%m"),
                    "marketplace": mp,
                    "wrong": q.where(reason.isin(WAREHOUSE_ERROR_REASONS), 0),
                    "delivery": q.where(reason.isin(DELIVERY_REASONS), 0),
                }
            )
            .groupby(["month", "marketplace"], as_index=False)
            .sum()
        )
        g = g.merge(w, on=["month", "marketplace"], how="left")
        read = g["marketplace"].isin(set(mp))
        g["returns_read"] = read
        g["error_units"] = g["error_units"] + g.pop("wrong").fillna(0).where(read, 0).astype(
            "int64"
        )
        g["delivery_complaints"] = (
            g.pop("delivery").fillna(0).astype("int64").astype("Int64").where(read, pd.NA)
        )
    g["handled_units"] = g["handled_units"].astype("int64")
    g["error_units"] = g["error_units"].astype("int64")
    g["fba_errors_per_1000"] = np.where(
        g["handled_units"] > 0, g["error_units"] / g["handled_units"] * 1000, np.nan
    ).round(2)
    if counts is not None and len(counts) and book is not None:
        c = counts.assign(month=counts["date"].dt.strftime("%Y-%m"))
        diff = c["difference"].abs().groupby(c["month"]).sum() if "difference" in c else None
        base = c.groupby("month")["book_units"].sum() if "book_units" in c else None
        if diff is not None and base is not None:
            g["count_errors_per_1000"] = g["month"].map((diff / base * 1000).round(2))
    cols = [
        "month",
        "marketplace",
        "handled_units",
        "error_units",
        "fba_errors_per_1000",
        "delivery_complaints",
        "returns_read",
    ]
    return g[cols + [c for c in g.columns if c not in cols]].sort_values(
        ["month", "marketplace"], ignore_index=True
    )


def error_rates_by_centre(events: pd.DataFrame) -> pd.DataFrame:
    """Per month and fulfilment centre, from the ledger's detail view: units lost or damaged per 1,000 units the
    centre handled (received, shipped to customers, returned).

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2026-10-02"] * 3), "location": ["MDW2", "MDW2", "MDW2"],
    ...                    "flow": ["receipts", "customer_shipments", "lost"], "quantity": [300, -200, -2]})
    >>> error_rates_by_centre(ev)[["location", "handled_units", "error_units", "errors_per_1000"]].values.tolist()
    [['MDW2', 500, 2, 4.0]]
    """
    cols = ["month", "location", "handled_units", "error_units", "errors_per_1000"]
    if events is None or not len(events) or "location" not in events:
        return pd.DataFrame(columns=cols)
    q = events["quantity"].astype("int64").abs()
    handled = q.where(
        events["flow"].isin(["receipts", "customer_shipments", "customer_returns"]), 0
    )
    errors = q.where(events["flow"].isin(["lost", "damaged"]), 0)
    g = (
        pd.DataFrame(
            {
                "month": events["date"].dt.strftime("%Y-%m"),
                "location": events["location"].astype("string"),
                "handled_units": handled,
                "error_units": errors,
            }
        )
        .groupby(["month", "location"], as_index=False)
        .sum()
    )
    g["errors_per_1000"] = np.where(
        g["handled_units"] > 0, g["error_units"] / g["handled_units"] * 1000, np.nan
    ).round(2)
    return g[cols].sort_values(
        ["month", "errors_per_1000"], ascending=[True, False], ignore_index=True
    )


def count_error_rates(counts: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    """The seller's own warehouse: per count month, units counted different from the book per 1,000 units of
    book, ``Σ|counted − book| ÷ Σ book × 1000`` (``book``: date, sku, book_units on each count day).

    >>> c = pd.DataFrame({"date": pd.to_datetime(["2026-10-31", "2026-10-31"]), "sku": ["A", "B"], "units": [96, 50]})
    >>> b = pd.DataFrame({"date": pd.to_datetime(["2026-10-31", "2026-10-31"]), "sku": ["A", "B"],
    ...                   "book_units": [100, 50]})
    >>> count_error_rates(c, b).values.tolist()
    [['2026-10', 150, 4, 26.67]]
    """
    j = counts.merge(book, on=["date", "sku"], how="outer")
    j["units"] = pd.to_numeric(j["units"]).fillna(0)
    j["book_units"] = pd.to_numeric(j["book_units"]).fillna(0)
    j["month"] = j["date"].dt.strftime("%Y-%m")
    g = (
        j.assign(diff=(j["units"] - j["book_units"]).abs())
        .groupby("month", as_index=False)
        .agg(book_units=("book_units", "sum"), differing_units=("diff", "sum"))
    )
    g["count_errors_per_1000"] = np.where(
        g["book_units"] > 0, g["differing_units"] / g["book_units"] * 1000, np.nan
    ).round(2)
    return g.astype({"book_units": "int64", "differing_units": "int64"})


# ---------------------------------------------------------------------------- unsellable units


def unsellable_options(
    units: pd.DataFrame,
    values: pd.DataFrame,
    tables: fee.FeeTables,
    grade_and_resell: pd.DataFrame,
    *,
    as_of,
    currency: str | None,
    rates,
    referral_rate: float,
    removed_resale_rate: float = 0.3,
) -> pd.DataFrame:
    """Per SKU with unsellable units at Amazon now (``units``: sku, unsellable): the money of each way out.

    ``grade_and_resell`` = units × (used price ÷ (1 + VAT) − referral × used price − fulfilment fee − Grade and
    Resell's processing fee), the used price being the new price × the table's used-price share (only where
    the marketplace's table has a fee: by invitation or enrolment, customer returns only); ``remove`` = units ×
    (price × ``removed_resale_rate`` (UNCONFIRMED: what a removed unit sells for elsewhere) − removal fee);
    ``dispose`` = − units × disposal fee.
    """
    cols = ["marketplace", "sku", "units", "grade_and_resell", "remove", "dispose", "best_option"]
    u = units.loc[units["unsellable"] > 0, ["sku", "unsellable"]].reset_index(drop=True)
    if not len(u):
        return pd.DataFrame(columns=cols)
    v = values.reindex(u["sku"])
    price = pd.to_numeric(v["price"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    weight = v["weight_lb"].astype("float64").fillna(1.0).to_numpy()
    fee_unit = fee.removal_fee(
        tables, date=as_of, weight_lb=weight, size_tier=v["size_tier"].fillna("standard").to_numpy()
    )
    gr = fee.grade_and_resell_fees(
        grade_and_resell, marketplace=v["marketplace"], fee_tier=v["fee_tier"], on=as_of
    )
    gr_fee = gr["fee"].to_numpy(dtype=float, copy=True)
    known = ~np.isnan(gr_fee)
    if currency and rates is not None and known.any():
        gr_fee[known] = rates.convert(
            gr_fee[known],
            gr.loc[known, "currency"].to_numpy(),
            currency,
            dates=[as_of] * int(known.sum()),
        ).amounts.to_numpy()
    used = price * gr["used_price_share"].to_numpy(dtype=float)
    q = u["unsellable"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "marketplace": v["marketplace"].to_numpy(),
            "sku": u["sku"].to_numpy(),
            "units": u["unsellable"].astype("int64").to_numpy(),
            "grade_and_resell": q
            * (
                fee.net_per_unit(
                    used,
                    vat_rate=v["vat_rate"].to_numpy(dtype=float),
                    referral_rate=referral_rate,
                    fulfilment_fee=v["fulfilment_fee"].to_numpy(dtype=float),
                )
                - gr_fee
            ),
            "remove": q * (price * removed_resale_rate - fee_unit),
            "dispose": -q * fee_unit,
        }
    )
    opts = ["grade_and_resell", "remove", "dispose"]
    out[opts] = out[opts].round(2)
    m = out[opts].to_numpy(dtype=float)
    best = np.where(
        np.isnan(m).all(axis=1), -1, np.nanargmax(np.where(np.isnan(m), -np.inf, m), axis=1)
    )
    out["best_option"] = np.where(best >= 0, np.asarray(opts)[best.clip(0)], "unknown")
    return out[cols].sort_values(["units", "sku"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------- the notebook's pack


@dataclass
class ReimbursementResult:
    """Everything notebook 06 shows."""

    as_of: pd.Timestamp
    currency: str
    per_sku: (
        pd.DataFrame
    )  # warehouse losses per SKU: lost = found + reimbursed + waiting + open + expired
    claims: pd.DataFrame  # cases to file now, later, or to wait on; largest money first
    expired: pd.DataFrame  # cases past their window, with the money lost
    found_not_reversed: (
        pd.DataFrame
    )  # units found after they were reimbursed (Amazon may take it back)
    inbound: pd.DataFrame
    refunds: pd.DataFrame
    underpaid: pd.DataFrame
    unsellable: pd.DataFrame  # unsellable units at Amazon now: the money of each way out
    error_rates: pd.DataFrame
    reimbursed_this_month: float
    inputs: dict[str, bool]
    notes: list[str]
    error_rates_by_centre: (
        pd.DataFrame
    )  # per month and fulfilment centre (the detail view's months)
    count_error_rates: pd.DataFrame  # the seller's warehouse: counted vs book per 1,000 units
    events: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # every loss event and its units' states
    values: pd.DataFrame = field(default_factory=pd.DataFrame)  # per SKU: cost, proceeds, fee, VAT
    removals: pd.DataFrame = field(default_factory=pd.DataFrame)  # removal order lines short
    disposals: pd.DataFrame = field(default_factory=pd.DataFrame)  # disposed beyond the orders
    fee_overcharges: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # Amazon's fee above the tables'
    inbound_pairs: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # short and over in one shipment

    def headlines(self) -> dict[str, object]:
        c = self.claims
        now = c.loc[c["status"] == "open"] if len(c) else c
        wait = c.loc[c["status"] == "wait"] if len(c) else c
        return {
            "claims_to_file": int(len(now)),
            "recoverable_now": round(float(now["value"].sum()), 2) if len(now) else 0.0,
            "claims_opening_later": int((c["status"] == "not yet open").sum()) if len(c) else 0,
            "claims_waiting": int(len(wait)),
            "reimbursed_this_month": round(self.reimbursed_this_month, 2),
            "lost_to_expired_windows": round(float(self.expired["value"].sum()), 2)
            if len(self.expired)
            else 0.0,
        }


def _case_text(kind: str, df: pd.DataFrame) -> pd.Series:
    """Case-ready English text from the evidence."""
    head = {
        "warehouse lost or damaged": "Units of this FNSKU were reported lost or damaged in your fulfillment center "
        "and have been neither found nor reimbursed.",
        "wrongful reversal": "A reimbursement for this FNSKU was reversed, but no unit was found or returned to "
        "inventory.",
        "inbound shortfall": "Fewer units were received than shipped in this closed shipment.",
        "refund without return": "The customer was refunded, but the item was not returned to inventory.",
        "carrier damaged return": "A customer return was received damaged by the carrier or in your facility.",
        "underpaid reimbursement": "This reimbursement was paid below the value your reimbursement policy gives.",
        "removal shortfall": "Units of this removal order were neither shipped, disposed of nor cancelled, or "
        "were shipped without a package carrying them.",
        "disposed without an order": "Units of this FNSKU were disposed of without a disposal order from me.",
        "fee overcharge": "The FBA fulfillment fee charged for this FNSKU is above its fee for the dimensions and "
        "weight of the product; please re-measure it and refund the difference.",
        "returned item mismatch": "The customer returned a different item than the one sold.",
        "replacement not returned": "A replacement was sent for this order and the original item was not "
        "returned.",
        "refund above the order": "The customer was refunded more than the order was sold for.",
    }[kind]
    return (
        head
        + " SKU "
        + df["sku"].astype(str)
        + ", FNSKU "
        + df["fnsku"].astype("string").fillna("—")
        + "; "
        + df["evidence"].astype(str)
        + ". Please reimburse "
        + df["units"].astype(str)
        + " unit(s)."
    )


def _cases(kind: ClaimKindName, **cols) -> pd.DataFrame:
    df = pd.DataFrame(cols)
    df.insert(0, "kind", kind)
    return df[[c for c in CLAIM_COLUMNS if c in df.columns]]


def _valued(
    df: pd.DataFrame, values: pd.DataFrame, table: pd.DataFrame, *, case: fee.ValuationCase
) -> pd.DataFrame:
    """``df`` (sku, marketplace, event_date, units) with its basis, value per unit and value."""
    v = case_values(df, values, table, case=case)
    return df.assign(
        basis=v["basis"],
        value_per_unit=v["value_per_unit"],
        value=(df["units"] * v["value_per_unit"].fillna(0)).round(2),
    )


def _claim_rows(
    kind: ClaimKindName,
    rows: pd.DataFrame,
    *,
    units,
    event_date,
    reference,
    evidence,
    fnsku_of: pd.Series,
    values: pd.DataFrame,
    valuation: pd.DataFrame,
    windows: pd.DataFrame,
    as_of,
    window: fee.ClaimKind | None = None,
    case: fee.ValuationCase | None = None,
    value_per_unit=None,
    value=None,
    basis=None,
) -> pd.DataFrame:
    """One kind of case from its rows (sku, marketplace, fnsku where known): its window counted from
    ``event_date`` by the ``window`` rule (None: the rows' own ``last_day`` and ``status``), its value by the
    rule of ``case`` on that day (None: the ``value_per_unit``, ``value`` and ``basis`` given)."""
    if not len(rows):
        return pd.DataFrame(columns=["kind"])
    r = rows.assign(event_date=event_date, units=units)
    if "marketplace" not in r:
        r["marketplace"] = pd.NA
    due = (
        _deadlines(
            windows, kind=window, dates=r["event_date"], marketplace=r["marketplace"], as_of=as_of
        )
        if window is not None
        else r[["last_day", "status"]]
    )
    if case is not None:
        r = _valued(r, values, valuation, case=case)
    else:
        r = r.assign(value_per_unit=value_per_unit, value=value, basis=basis)
    fnsku = r["fnsku"] if "fnsku" in r else pd.Series(pd.NA, index=r.index)
    return _cases(
        kind,
        marketplace=r["marketplace"],
        sku=r["sku"],
        fnsku=fnsku.astype("string").fillna(r["sku"].map(fnsku_of).astype("string")),
        reference=reference,
        event_date=r["event_date"],
        units=r["units"],
        value_per_unit=r["value_per_unit"],
        value=r["value"],
        basis=r["basis"],
        deadline=due["last_day"],
        status=due["status"],
        evidence=evidence,
    )


def reimbursement_pack(
    data,
    *,
    as_of: str,
    currency: str | None,
    terms: ClaimTerms = ClaimTerms(),
    fee_dir: str | None = None,
) -> ReimbursementResult:
    """Run notebook 06's audit on a loaded data folder (:class:`stockbook.io.Dataset`)."""
    as_of_ts = pd.Timestamp(as_of)
    rates = rates_for(data) if currency else None
    terms = restate(terms, to=currency, on=as_of_ts, rates=rates)
    windows = fee.load_claim_windows(fee_dir)
    valuation = fee.load_fee_table("reimbursement_valuation.csv", fee_dir)
    tables = fee.load_fee_tables(override_dir=fee_dir)
    products = products_in(
        stock_products(data, as_of=as_of_ts), currency=currency, on=as_of_ts, rates=rates
    )
    fnsku_of = (
        sch.products_by_sku(products)["fnsku"]
        if products is not None
        else pd.Series(dtype="string")
    )
    sales = _frame(data["sales"]) if data.has("sales") else sch.SALES.empty()
    values = unit_values(
        data, products, sales, as_of=as_of_ts, currency=currency, rates=rates, terms=terms
    )
    reimb = (
        data["reimbursements"].copy() if data.has("reimbursements") else sch.REIMBURSEMENTS.empty()
    )
    reimb = reimb.loc[reimb["approval_date"] <= as_of_ts].reset_index(drop=True)
    amount = reimb["amount_total"].astype("float64").fillna(0)
    if currency and len(reimb):
        ccy = reimb["currency"].astype("string").fillna(currency)
        amount = _in_currency(amount, ccy, to=currency, dates=reimb["approval_date"], rates=rates)
    reimb["amount_in_currency"] = amount.round(2)
    month = reimb["approval_date"].dt.to_period("M") == as_of_ts.to_period("M")
    paid_month = float(
        reimb.loc[month & (reimb["amount_in_currency"] > 0), "amount_in_currency"].sum()
    )

    led = (
        to_pandas(stock_ledger(data, period_end=as_of_ts))
        if data.has("ledger")
        else sch.LEDGER.empty()
    )
    events = _frame(data["ledger_events"]) if data.has("ledger_events") else None
    losses = loss_events(led, events)
    ledger_read = bool(len(led)) or (events is not None and len(events) > 0)
    # payments and reversals are judged only over the days the ledger covers (a reversal of a unit found
    # before them cannot be told from a wrongful one); without a ledger, none is
    starts = [led["period_start"].min()] if len(led) else []
    starts += [events["date"].min()] if events is not None and len(events) else []
    covered_from = min(pd.Timestamp(d) for d in starts) if starts else pd.Timestamp.max
    # a report that does not say its marketplace (the Reimbursements report has no column for it) is the SKU's
    sku_market = (
        losses.dropna(subset=["marketplace"]).drop_duplicates("sku").set_index("sku")["marketplace"]
    )
    reimb["marketplace"] = (
        reimb["marketplace"].astype("string").fillna(reimb["sku"].map(sku_market).astype("string"))
    )
    notes: list[str] = []
    if len(losses):  # losses are audited where the Reimbursements report speaks (its marketplaces)
        covered = set(reimb["marketplace"].dropna())
        out = ~losses["marketplace"].isin(covered) & losses["marketplace"].notna()
        for m in sorted(set(losses.loc[out, "marketplace"])):
            lost = losses.loc[out & (losses["marketplace"] == m)]
            n = lost.groupby("kind")["units"].sum()
            notes.append(
                f"{m} not audited: add its Reimbursements report ({int(n.get('lost', 0)):,} lost, "
                f"{int(n.get('damaged', 0)):,} damaged and {int(n.get('found', 0)):,} found units in its ledger)"
            )
        losses = losses.loc[~out].reset_index(drop=True)
    per_sku, loss_states = warehouse_audit(
        losses,
        # without a ledger nothing says which units were lost or found: no reversal can be judged wrongful
        warehouse_payments(reimb.loc[reimb["approval_date"] >= covered_from]),
        as_of=as_of_ts,
        windows=windows,
        wait_days=terms.wait_days,
    )
    per_sku["value_per_unit"] = per_sku["sku"].map(values["manufacturing_cost"]).astype("float64")
    if not ledger_read and len(reimb):
        notes.append(
            "units lost, damaged or found at Amazon are not audited and no reversal is judged: add the "
            "Inventory Ledger"
        )

    parts = []
    claim = partial(
        _claim_rows,
        fnsku_of=fnsku_of,
        values=values,
        valuation=valuation,
        windows=windows,
        as_of=as_of_ts,
    )
    owed = loss_states.loc[loss_states["owed"] > 0].reset_index(drop=True)
    if len(owed):
        ref = (
            owed["reference"]
            .astype("string")
            .fillna(
                "ledger " + owed["source"].astype(str) + " " + owed["date"].dt.strftime("%Y-%m")
            )
        )
        owed = _valued(
            owed.assign(event_date=owed["date"], units=owed["owed"]),
            values,
            valuation,
            case="pre_order_loss",
        ).assign(
            ev=owed["owed"].astype(str)
            + " "
            + owed["kind"].astype(str)
            + " on "
            + owed["date"].dt.strftime("%Y-%m-%d")
            + " ("
            + ref
            + ")",
            ref=ref,
        )
        # one case per SKU and marketplace (and window status): Amazon takes a case per FNSKU
        case = (
            owed.sort_values("date")
            .groupby(["sku", "marketplace", "status"], dropna=False, as_index=False)
            .agg(
                fnsku=("fnsku", "first"),
                units=("owed", "sum"),
                value=("value", "sum"),
                basis=("basis", "first"),
                event_date=("date", "min"),
                deadline=("last_day", "min"),
                reference=("ref", "first"),
                evidence=("ev", "; ".join),
            )
        )
        parts.append(
            _cases(
                "warehouse lost or damaged",
                marketplace=case["marketplace"],
                sku=case["sku"],
                fnsku=case["fnsku"].fillna(case["sku"].map(fnsku_of)),
                reference=case["reference"],
                event_date=case["event_date"],
                units=case["units"],
                value_per_unit=(case["value"] / case["units"]).round(2),
                value=case["value"].round(2),
                basis=case["basis"],
                deadline=case["deadline"],
                status=case["status"],
                evidence="reported " + case["evidence"],
            )
        )
    wrong = per_sku.loc[per_sku["reversal_without_found"] > 0].reset_index(drop=True)
    if len(wrong):
        rev = reimb.loc[_norm_reason(reimb["reason"]).isin(REVERSAL_REASONS)]
        last_rev = rev.groupby("sku")["approval_date"].max()
        rev_id = rev.groupby("sku")["reimbursement_id"].last()
        # the money taken back, per unit reversed (a reversal is valued at the amount it reversed)
        per_unit = rev.groupby("sku")["amount_in_currency"].sum().abs() / pd.to_numeric(
            rev["quantity_total"]
        ).groupby(rev["sku"]).sum().abs().replace(0, np.nan)
        d = wrong["sku"].map(last_rev)
        due = _deadlines(
            windows,
            kind="warehouse_lost_damaged",
            dates=d,
            marketplace=wrong["marketplace"],
            as_of=as_of_ts,
        )
        unit_value = wrong["sku"].map(per_unit).astype("float64").round(2)
        parts.append(
            _cases(
                "wrongful reversal",
                marketplace=wrong["marketplace"],
                sku=wrong["sku"],
                fnsku=wrong["fnsku"].fillna(wrong["sku"].map(fnsku_of)),
                reference=wrong["sku"].map(rev_id),
                event_date=d.to_numpy(),
                units=wrong["reversal_without_found"],
                value_per_unit=unit_value,
                value=(wrong["reversal_without_found"] * unit_value.fillna(0)).round(2),
                basis="amount_reversed",
                deadline=due["last_day"],
                status=due["status"],
                evidence="reversal "
                + wrong["sku"].map(rev_id).astype(str)
                + " of "
                + wrong["reversed_units"].astype(str)
                + " unit(s); units found: "
                + wrong["found_units"].astype(str),
            )
        )
    shipments = _frame(data["shipments"]) if data.has("shipments") else None
    inbound = pd.DataFrame()
    lines = pd.DataFrame()
    if shipments is not None and len(shipments):
        lines = shipment_lines(shipments)
        # a shipment line's marketplace: its file's, else its SKU's (the ledger's)
        mp = lines["marketplace"] if "marketplace" in lines else pd.Series(pd.NA, index=lines.index)
        lines["marketplace"] = mp.astype("string").fillna(
            lines["sku"].map(sku_market).astype("string")
        )
        inbound = inbound_audit(
            lines, reimbursed(reimb, INBOUND_REASONS), as_of=as_of_ts, windows=windows
        )
        owe = inbound.loc[inbound["owed"] > 0].reset_index(drop=True)
        if len(owe) and (owe["window_from"] == "closed").any():
            notes.append(
                "inbound claim windows counted from the day receiving closed: the shipments file gives no "
                "delivery date (add a Delivered Date column; Amazon counts from delivery)"
            )
        if len(owe):
            parts.append(
                claim(
                    "inbound shortfall",
                    owe,
                    units=owe["owed"],
                    event_date=owe["window_date"],
                    reference=owe["shipment_id"],
                    case="pre_order_loss",
                    evidence="shipment "
                    + owe["shipment_id"].astype(str)
                    + ": shipped "
                    + owe["units_shipped"].astype(str)
                    + ", received "
                    + owe["units_received"].astype(str)
                    + ", "
                    + owe["window_from"].astype(str)
                    + " "
                    + owe["window_date"].dt.strftime("%Y-%m-%d")
                    + ", reimbursed "
                    + owe["reimbursed"].astype(str),
                )
            )
    returns = _frame(data["returns"]) if data.has("returns") else sch.RETURNS.empty()
    returns = returns.assign(
        marketplace=returns["marketplace"]
        .astype("string")
        .fillna(returns["sku"].map(sku_market).astype("string"))
    )
    refunds = pd.DataFrame()
    refund_rows = _frame(data["refunds"]) if data.has("refunds") else None
    if refund_rows is not None:
        refunds = refund_audit(refund_rows, returns, reimb, as_of=as_of_ts, windows=windows)
        if len(refunds):
            parts.append(
                claim(
                    "refund without return",
                    refunds,
                    units=refunds["owed"],
                    event_date=refunds["date"],
                    reference=refunds["order_id"],
                    case="customer_return",
                    evidence="order "
                    + refunds["order_id"].astype(str)
                    + " refunded "
                    + refunds["refunded"].astype(str)
                    + " unit(s) on "
                    + refunds["date"].dt.strftime("%Y-%m-%d")
                    + "; returned "
                    + refunds["returned"].astype(str)
                    + ", reimbursed "
                    + refunds["reimbursed"].astype(str),
                )
            )
    bad = damaged_returns(returns, reimb)
    if len(bad):
        parts.append(
            claim(
                "carrier damaged return",
                bad,
                units=bad["owed"],
                event_date=bad["date"],
                reference=bad["order_id"],
                window="customer_return",
                case="customer_return",
                evidence="order "
                + bad["order_id"].astype(str)
                + " returned "
                + bad["date"].dt.strftime("%Y-%m-%d")
                + " as "
                + bad["disposition"].astype(str)
                + " at "
                + bad["location"].astype("string").fillna("—")
                + "; reimbursed "
                + bad["reimbursed"].astype(str),
            )
        )
    mismatch = returned_mismatches(returns, reimb)
    plate = (
        mismatch["license_plate"]
        if "license_plate" in mismatch
        else pd.Series(pd.NA, index=mismatch.index)
    )
    if len(mismatch):
        parts.append(
            claim(
                "returned item mismatch",
                mismatch,
                units=mismatch["owed"],
                event_date=mismatch["date"],
                reference=mismatch["order_id"],
                window="customer_return",
                case="customer_return",
                evidence="order "
                + mismatch["order_id"].astype(str)
                + " returned "
                + mismatch["date"].dt.strftime("%Y-%m-%d")
                + " as a different item ("
                + mismatch["reason"].astype(str)
                + ", licence plate "
                + plate.astype("string").fillna("—")
                + "); reimbursed "
                + mismatch["reimbursed"].astype(str),
            )
        )
    removals = pd.DataFrame()
    disposals = pd.DataFrame()
    if data.has("removal_orders"):
        orders = _frame(data["removal_orders"])
        orders = orders.assign(
            marketplace=orders["marketplace"]
            .astype("string")
            .fillna(orders["sku"].map(sku_market).astype("string"))
        )
        orders = orders.loc[orders["request_date"] <= as_of_ts]
        shipped = _frame(data["removal_shipments"]) if data.has("removal_shipments") else None
        returned = orders["order_type"].astype("string").str.upper().str.startswith(
            "RETURN"
        ).fillna(False) & (_units(orders, "shipped") > 0)
        if shipped is None and returned.any():
            notes.append(
                "removal orders shipped are not checked against their packages: add the Removal Shipment "
                "Detail report"
            )
        removals = removal_audit(orders, shipped, as_of=as_of_ts, windows=windows)
        if len(removals):
            parts.append(
                claim(
                    "removal shortfall",
                    removals,
                    units=removals["owed"],
                    event_date=removals["event_date"],
                    reference=removals["order_id"],
                    case="pre_order_loss",
                    evidence="removal order "
                    + removals["order_id"].astype(str)
                    + " ("
                    + removals["order_type"].astype(str)
                    + ", completed "
                    + removals["event_date"].dt.strftime("%Y-%m-%d")
                    + "): requested "
                    + removals["requested"].astype(str)
                    + ", cancelled "
                    + removals["cancelled"].astype(str)
                    + ", disposed "
                    + removals["disposed"].astype(str)
                    + ", shipped "
                    + removals["shipped"].astype(str)
                    + ", in packages "
                    + removals["carried"].astype("string").fillna("—"),
                )
            )
        # a Removal Order Detail report speaks for its own marketplace(s): the others' disposals are not checked
        covered = set(orders["marketplace"].dropna())
        led_mp = led["marketplace"].astype("string") if "marketplace" in led else None
        uncovered = (
            sorted(
                set(
                    led_mp[
                        (led["location_class"] == "fba")
                        & (pd.to_numeric(led["disposed"], errors="coerce").fillna(0) != 0)
                    ].dropna()
                )
                - covered
            )
            if led_mp is not None and "disposed" in led
            else []
        )
        if uncovered:
            notes.append(
                "disposals of "
                + ", ".join(uncovered)
                + " are not checked against orders: add their Removal Order Detail report"
            )
        disposals = disposals_without_order(
            led.loc[led_mp.isin(covered).fillna(False)] if led_mp is not None else led, orders
        )
        if len(disposals):
            parts.append(
                claim(
                    "disposed without an order",
                    disposals,
                    units=disposals["beyond"],
                    event_date=disposals["event_date"],
                    reference="ledger disposed " + disposals["event_date"].dt.strftime("%Y-%m"),
                    window="warehouse_lost_damaged",
                    case="pre_order_loss",
                    evidence="the ledger disposed of "
                    + disposals["ledger_disposed"].astype(str)
                    + " unit(s) since the removal report begins; disposal orders account for "
                    + disposals["ordered_disposed"].astype(str),
                )
            )
    elif (
        len(led)
        and "disposed" in led
        and (pd.to_numeric(led["disposed"], errors="coerce") != 0).any()
    ):
        notes.append(
            "disposals are not checked against orders: add the Removal Order Detail report"
        )
    overcharged = pd.DataFrame()
    if data.has("fee_preview"):
        window = sales.loc[
            (sales["date"] > as_of_ts - pd.Timedelta(days=terms.price_days))
            & (sales["date"] <= as_of_ts)
        ]
        overcharged = fee_overcharges(
            _frame(data["fee_preview"]),
            values,
            window.groupby("sku")["units"].sum(),
            currency=currency,
            rates=rates,
            as_of=as_of_ts,
            tolerance=terms.tolerance,
        )
        oc = overcharged
        if len(oc):
            parts.append(
                claim(
                    "fee overcharge",
                    oc,
                    units=oc["units"],
                    event_date=pd.Series(as_of_ts, index=oc.index),
                    reference="fee preview " + as_of_ts.strftime("%Y-%m-%d"),
                    window="fee_overcharge",
                    value_per_unit=oc["overcharge"],
                    value=oc["value"],
                    basis="fee_overcharge",
                    evidence="Amazon charges "
                    + oc["amazon_fee"].map("{:.2f}".format)
                    + " a unit ("
                    + oc["amazon_size_tier"].astype("string").fillna("—")
                    + ", "
                    + oc["amazon_weight_lb"].map("{:.2f}".format)
                    + " lb); the master's "
                    + oc["master_weight_lb"].map("{:.2f}".format)
                    + " lb ("
                    + oc["master_size_tier"].astype("string").fillna("—")
                    + ") costs "
                    + oc["table_fee"].map("{:.2f}".format)
                    + "; units sold in the price window "
                    + oc["units"].astype(str),
                )
            )
    if data.has("replacements"):
        rep = _frame(data["replacements"])
        rep = rep.assign(
            marketplace=rep["marketplace"]
            .astype("string")
            .fillna(rep["sku"].map(sku_market).astype("string"))
        )
        ur = replacements_not_returned(rep, returns, reimb, as_of=as_of_ts)
        if len(ur):
            parts.append(
                claim(
                    "replacement not returned",
                    ur,
                    units=ur["owed"],
                    event_date=ur["date"],
                    reference=ur["original_order_id"],
                    window="customer_return",
                    case="customer_return",
                    evidence="replacement "
                    + ur["order_id"].astype(str)
                    + " sent "
                    + ur["date"].dt.strftime("%Y-%m-%d")
                    + " (reason "
                    + ur["reason"].astype(str)
                    + ") for order "
                    + ur["original_order_id"].astype(str)
                    + "; returned "
                    + ur["returned"].astype(str)
                    + ", reimbursed "
                    + ur["reimbursed"].astype(str),
                )
            )
    if refund_rows is not None:
        above = refunds_above_order(refund_rows, sales)
        if len(above) and currency:
            above["excess"] = _in_currency(
                above["excess"].astype("float64"),
                above["currency"].astype("string").fillna(currency),
                to=currency,
                dates=above["date"],
                rates=rates,
            ).round(2)
        if len(above):
            parts.append(
                claim(
                    "refund above the order",
                    above,
                    units=pd.Series(1, index=above.index),
                    event_date=above["date"],
                    reference=above["order_id"],
                    window="customer_return",
                    value_per_unit=above["excess"],
                    value=above["excess"],
                    basis="refund_excess",
                    evidence="order "
                    + above["order_id"].astype(str)
                    + " sold for "
                    + above["sold"].map("{:.2f}".format)
                    + ", refunded "
                    + above["refunded"].map("{:.2f}".format)
                    + " "
                    + above["currency"].astype("string").fillna(""),
                )
            )
    pairs = inbound_pairs(lines) if shipments is not None and len(shipments) else pd.DataFrame()
    under = underpaid(reimb, values, valuation, terms=terms) if len(reimb) else pd.DataFrame()
    if len(under):
        parts.append(
            claim(
                "underpaid reimbursement",
                under,
                units=under["quantity_cash"],
                event_date=under["approval_date"],
                reference=under["reimbursement_id"],
                window="reimbursement_amount",
                value_per_unit=(under["fair_value"] - under["paid_per_unit"]).round(2),
                value=under["shortfall"],
                basis=under["basis"],
                evidence="reimbursement "
                + under["reimbursement_id"].astype(str)
                + " paid "
                + under["paid_per_unit"].map("{:.2f}".format)
                + " a unit; "
                + under["basis"].str.replace("_", " ")
                + " "
                + under["fair_value"].map("{:.2f}".format),
            )
        )
    every = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame(columns=[c for c in CLAIM_COLUMNS if c not in ("currency", "case_text")])
    )
    every["currency"] = currency or ""
    every["case_text"] = (
        pd.Series(dtype="string")
        if not len(every)
        else pd.concat([_case_text(k, g) for k, g in every.groupby("kind", sort=False)]).reindex(
            every.index
        )
    )
    every["units"] = pd.to_numeric(every["units"]).astype("int64")
    every["value"] = pd.to_numeric(every["value"]).astype("float64")
    every["value_per_unit"] = pd.to_numeric(every["value_per_unit"]).astype("float64")
    every = every[list(CLAIM_COLUMNS)].sort_values(
        ["value", "sku"], ascending=[False, True], ignore_index=True
    )
    expired = every.loc[every["status"] == "expired"].reset_index(drop=True)
    claims = every.loc[every["status"] != "expired"].reset_index(drop=True)
    unknown = every.loc[every["value_per_unit"].isna() & (every["units"] > 0), "sku"].nunique()
    if unknown:
        notes.append(
            f"{unknown:,} SKU{'s' if unknown != 1 else ''} with a case ha{'ve' if unknown != 1 else 's'} no known "
            "manufacturing cost or price: their cases are valued at 0"
        )
    if (~values["fee_known"]).any() and terms.fulfilment_fee == 0:
        n = int((~values["fee_known"]).sum())
        notes.append(
            f"{n:,} SKU{'s' if n != 1 else ''} ha{'ve' if n != 1 else 's'} no fulfilment fee the fee tables can "
            "price: their estimated proceeds are before the fee (set fulfilment_fee)"
        )
    found_nr = per_sku.loc[
        per_sku["found_not_reversed"] > 0,
        [
            "marketplace",
            "sku",
            "fnsku",
            "lost_units",
            "found_units",
            "reimbursed_units",
            "reversed_units",
            "found_not_reversed",
        ],
    ].reset_index(drop=True)
    at_amazon = (
        available(data, as_of=as_of_ts)
        if data.has("ledger") or data.has("fba_inventory")
        else pd.DataFrame(columns=["sku", "unsellable"])
    )
    unsellable = unsellable_options(
        at_amazon,
        values,
        tables,
        fee.load_fee_table("grade_and_resell.csv", fee_dir),
        as_of=as_of_ts,
        currency=currency,
        rates=rates,
        referral_rate=terms.referral_rate,
    )
    rates_table = warehouse_error_rates(led, returns=returns) if len(led) else pd.DataFrame()
    if len(rates_table) and not rates_table["returns_read"].all():
        notes.append(
            "error rates of "
            + ", ".join(
                sorted(set(rates_table.loc[~rates_table["returns_read"], "marketplace"]) - {""})
                or ["—"]
            )
            + " are lost and damaged units only: no returns report of theirs was read"
        )
    by_centre = error_rates_by_centre(events)
    count_rates = pd.DataFrame(
        columns=["month", "book_units", "differing_units", "count_errors_per_1000"]
    )
    if data.has("counts") and len(led):
        counts = _frame(data["counts"])
        dom = led.loc[led["location_class"] == "domestic"]
        # the book on each count day (a handful of days): the domestic ledger's balance then
        book = (
            pd.concat(
                [
                    balances_at(dom, as_of=d)[["sku", "units"]]
                    .rename(columns={"units": "book_units"})
                    .assign(date=d)
                    for d in counts["date"].dropna().unique()
                ],
                ignore_index=True,
            )
            if len(dom)
            else pd.DataFrame(columns=["sku", "book_units", "date"])
        )
        count_rates = count_error_rates(counts[["date", "sku", "units"]], book)
    inputs = {
        t: bool(data.has(t))
        for t in (
            "ledger",
            "ledger_events",
            "reimbursements",
            "returns",
            "refunds",
            "shipments",
            "sales",
            "removal_orders",
            "removal_shipments",
            "fee_preview",
            "replacements",
        )
    }
    return ReimbursementResult(
        as_of_ts,
        currency or "",
        per_sku,
        claims,
        expired,
        found_nr,
        inbound,
        refunds,
        under,
        unsellable,
        rates_table,
        paid_month,
        inputs,
        notes,
        by_centre,
        count_rates,
        loss_states,
        values,
        removals,
        disposals,
        overcharged,
        pairs,
    )
