"""What Amazon owes: a reimbursement audit from the ledger, the Reimbursements report, returns and refunds.

Amazon owes the seller for units it loses or damages in its warehouses, inbound units it never receives,
and refunds for items the customer never sent back (Amazon's FBA lost and damaged inventory reimbursement
policy, Seller Central help G200213130). It pays many automatically, some below the item's value, and
reverses some when a lost unit is found; the rest only when the seller files a case in time
(``data/fees/claim_windows.csv``: dated, sourced windows per kind and marketplace).

**Warehouse losses, per SKU and marketplace.** Units lost or damaged in Amazon's care (the ledger's Lost and
Damaged flows: the detail view's adjustments by day where the seller downloaded it, else the summary's
monthly totals dated the first of their month, the earliest the event can have been) are covered first by
units found again, then by units reimbursed (cash and inventory, for Lost_Warehouse and Damaged_Warehouse,
net of reversals), oldest loss first::

    found_counted      = min(found, lost)
    paid               = reimbursed − min(reversed, found)      (a reversal beyond the units found is wrongful)
    reimbursed_counted = min(paid, lost − found_counted)
    owed               = lost − found_counted − reimbursed_counted       (split by each loss's window)
    lost               = found_counted + reimbursed_counted + open + expired     (for every SKU)
    found_not_reversed = max(found_counted + paid − lost, 0)
    wrongful_reversal  = max(reversed − found, 0)

The owed units are the newest losses (Amazon pays the oldest first), each open or expired by the window
counted from its day. Units found or reimbursed beyond the losses are listed apart: a found unit whose
reimbursement was not reversed (Amazon may take the money back) — and a reversal with no unit found is
money taken back wrongly, a claim.

**Inbound.** Per closed shipment line, units shipped − units received, less the Lost_Inbound units
reimbursed for the SKU (oldest shortfall first).

**Customer returns.** A refund (from the seller's transaction export) with no return of that order and
SKU in the returns report, and no CustomerReturn reimbursement of the order, is owed once the return
window has passed (60 days in the US) and until its claim closes. Returns put back as unsellable for a
reason that is the carrier's or Amazon's (CARRIER_DAMAGED, DISTRIBUTOR_DAMAGED) are claims too.

**Below value.** A reimbursement paid below the item's estimated proceeds — the seller's average selling
price over the ``price_days`` before it, × (1 − referral fee) − the fulfilment fee (Amazon reimburses "the
estimated proceeds of a sale of that item", G200213130) — by more than ``tolerance`` is underpaid by the
difference × units paid in cash.

Money is in the reporting currency: reimbursements converted from their own currency at their approval
day's rate, values at the SKU's estimated proceeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from stockbook import fees as fee
from stockbook import schema as sch
from stockbook.engine import is_lazy, to_pandas
from stockbook.money import rates_for, restate
from stockbook.stock import balances_at, prices, products_in, shipment_lines, stock_ledger
from stockbook.stock import products as stock_products

#: the Reimbursements report's reasons for units lost or damaged in a warehouse
WAREHOUSE_REASONS = ("lost_warehouse", "damaged_warehouse")
INBOUND_REASONS = ("lost_inbound", "damaged_inbound")
RETURN_REASONS = ("customerreturn", "customerserviceissue", "general_adjustment_return")
REVERSAL_REASONS = ("reimbursement_reversal",)
#: customer-return reasons that are the warehouse's or the carrier's error (a wrong or extra item sent, damaged by
#: the fulfilment centre or the carrier, a missed delivery); the codes as the returns report writes them,
#: UNCONFIRMED against an Amazon list (the customer's own mistakes, ORDERED_WRONG_ITEM, are not errors)
WAREHOUSE_ERROR_REASONS = (
    "WRONG_ITEM",
    "EXTRA_ITEM",
    "DAMAGED_BY_FC",
    "DAMAGED_BY_CARRIER",
    "MISSED_ESTIMATED_DELIVERY",
    "UNDELIVERABLE_CARRIER_MISS_SORTED",
)
#: returns whose damage is the carrier's or Amazon's (claimable), by the returns report's detailed-disposition
FAULT_DISPOSITIONS = ("CARRIER_DAMAGED", "DISTRIBUTOR_DAMAGED")

ClaimKindName = Literal[
    "warehouse lost or damaged",
    "wrongful reversal",
    "inbound shortfall",
    "refund without return",
    "carrier damaged return",
    "underpaid reimbursement",
]

CLAIM_COLUMNS = (
    "kind",
    "marketplace",
    "sku",
    "fnsku",
    "reference",
    "event_date",
    "units",
    "value",
    "currency",
    "deadline",
    "status",
    "evidence",
    "case_text",
)


@dataclass(frozen=True)
class ClaimTerms:
    """The money assumptions of the audit; every one is a notebook parameter."""

    referral_rate: float = 0.15  # Amazon's referral fee on the price
    fulfilment_fee: float = 3.50  # FBA fulfilment fee per unit (UNCONFIRMED: set yours)
    price_days: int = 90  # window of the average selling price before an event
    tolerance: float = 0.05  # a reimbursement more than this share below value is underpaid
    fee_currency: str = "USD"  # the currency of fulfilment_fee

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


def reimbursed(reimbursements: pd.DataFrame, reasons: tuple[str, ...]) -> pd.DataFrame:
    """Per SKU and marketplace: units reimbursed (cash + inventory) for ``reasons`` and units reversed.

    >>> r = pd.DataFrame({"sku": ["A", "A", "A"], "marketplace": "US", "reason": ["Lost_Warehouse",
    ...                   "Reimbursement_Reversal", "CustomerReturn"], "quantity_total": [5, -2, 1]})
    >>> reimbursed(r, WAREHOUSE_REASONS)[["sku", "reimbursed_units", "reversed_units"]].values.tolist()
    [['A', 5, 2]]
    """
    r = reimbursements.assign(reason_key=_norm_reason(reimbursements["reason"]))
    qty = pd.to_numeric(r["quantity_total"], errors="coerce").fillna(0).astype("int64")
    orig = (
        _norm_reason(r["original_reimbursement_type"])
        if "original_reimbursement_type" in r
        else pd.Series("", index=r.index)
    )
    is_rev = r["reason_key"].isin(REVERSAL_REASONS)
    # a reversal names the reimbursement it takes back; one that names none is counted against these reasons
    rev_here = is_rev & (orig.isin(reasons) | (orig == ""))
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


def warehouse_audit(
    losses: pd.DataFrame, paid: pd.DataFrame, *, as_of, windows: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per SKU: the identity's terms; per loss event: units owed, open or expired, with its window).

    >>> L = pd.DataFrame({"sku": "A", "marketplace": "US", "fnsku": "X1", "reference": None, "source": "detail",
    ...                   "date": pd.to_datetime(["2026-05-01", "2026-10-10", "2026-10-12"]),
    ...                   "kind": ["lost", "lost", "found"], "units": [4, 3, 1]})
    >>> paid = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "reimbursed_units": [2], "reversed_units": [0]})
    >>> # 7 lost, 1 found, 2 paid: 4 owed, the newest first: 3 of 10 October (open), 1 of May (expired)
    >>> per_sku, owed = warehouse_audit(L, paid, as_of="2026-10-31", windows=fee.load_claim_windows())
    >>> per_sku[["lost_units", "found_counted", "reimbursed_counted", "open_units", "expired_units"]].values.tolist()
    [[7, 1, 2, 3, 1]]
    """
    losses = losses.astype({"units": "int64"})
    lost = losses.loc[losses["kind"].isin(["lost", "damaged"])]
    found = (
        losses.loc[losses["kind"] == "found"]
        .groupby(["sku", "marketplace"], dropna=False, as_index=False)["units"]
        .sum()
        .rename(columns={"units": "found_units"})
    )
    key = ["sku", "marketplace"]
    per = lost.groupby(key, dropna=False, as_index=False).agg(
        lost_units=("units", "sum"), fnsku=("fnsku", "first")
    )
    per = per.merge(found, on=key, how="left")  # a join, not a lookup per row
    per["found_units"] = per["found_units"].fillna(0).astype("int64")
    p = (
        paid.set_index(key)
        if len(paid)
        else pd.DataFrame(columns=["reimbursed_units", "reversed_units"])
    )
    idx = (
        pd.MultiIndex.from_frame(per[key]) if len(per) else pd.MultiIndex.from_tuples([], names=key)
    )
    per["reimbursed_units"] = p["reimbursed_units"].reindex(idx).fillna(0).to_numpy(dtype="int64")
    per["reversed_units"] = p["reversed_units"].reindex(idx).fillna(0).to_numpy(dtype="int64")
    per["found_counted"] = np.minimum(per["found_units"], per["lost_units"])
    # a reversal beyond the units found is money taken back wrongly (claimed as such): the unit stays paid here
    per["reversal_without_found"] = (
        (per["reversed_units"] - per["found_units"]).clip(lower=0).astype("int64")
    )
    net_paid = (
        per["reimbursed_units"] - np.minimum(per["reversed_units"], per["found_units"])
    ).clip(lower=0)
    per["reimbursed_counted"] = np.minimum(net_paid, per["lost_units"] - per["found_counted"])
    per["owed_units"] = per["lost_units"] - per["found_counted"] - per["reimbursed_counted"]
    # units both found and still paid for: a found unit whose reimbursement was not reversed (found units
    # beyond the losses in the data were lost before it and say nothing)
    per["found_not_reversed"] = (
        (per["found_counted"] + net_paid - per["lost_units"]).clip(lower=0).astype("int64")
    )

    # the owed units are the newest losses: walk each SKU's losses newest first
    ev = lost.merge(per[[*key, "owed_units"]], on=key, how="left").sort_values(
        [*key, "date"], ascending=[True, True, False], kind="stable", ignore_index=True
    )
    newer = ev.groupby(key, dropna=False)["units"].cumsum() - ev["units"]
    ev["owed"] = np.clip(ev["owed_units"] - newer, 0, ev["units"]).astype("int64")
    ev = ev.loc[ev["owed"] > 0].reset_index(drop=True)
    due = _deadlines(
        windows,
        kind="warehouse_lost_damaged",
        dates=ev["date"],
        marketplace=ev["marketplace"],
        as_of=as_of,
    )
    ev = pd.concat([ev, due], axis=1)
    is_open = ev["status"] != "expired"
    per["open_units"] = _sum_by(ev.loc[is_open], per, key, "owed")
    per["expired_units"] = _sum_by(ev.loc[~is_open], per, key, "owed")
    return per.drop(columns="owed_units"), ev.drop(columns="owed_units")


def _sum_by(rows: pd.DataFrame, per: pd.DataFrame, key: list[str], col: str) -> np.ndarray:
    if not len(per):
        return np.zeros(0, dtype="int64")
    s = rows.groupby(key, dropna=False)[col].sum()
    return s.reindex(pd.MultiIndex.from_frame(per[key])).fillna(0).to_numpy(dtype="int64")


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
    (oldest shortfall first) and the units still owed, with the claim window from the day it closed.

    >>> s = pd.DataFrame({"shipment_id": ["S1", "S2"], "sku": "A", "units_shipped": [100, 50],
    ...                   "units_received": [90, 44], "received_date": pd.to_datetime(["2026-09-20", "2026-10-01"])})
    >>> paid = pd.DataFrame({"sku": ["A"], "marketplace": [pd.NA], "reimbursed_units": [12], "reversed_units": [0]})
    >>> inbound_audit(s, paid, as_of="2026-10-31", windows=fee.load_claim_windows())[
    ...     ["shipment_id", "shortfall", "reimbursed", "owed"]].values.tolist()
    [['S1', 10, 10, 0], ['S2', 6, 2, 4]]
    """
    s = shipments.loc[shipments["received_date"].notna()].copy()
    s["shortfall"] = (s["units_shipped"] - s["units_received"]).astype("int64")
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
    due = _deadlines(
        windows,
        kind="inbound_shortfall",
        dates=s["received_date"],
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


def fair_values(
    sales: pd.DataFrame,
    products: pd.DataFrame | None,
    *,
    currency: str | None,
    rates,
    as_of,
    terms: ClaimTerms,
) -> pd.Series:
    """Per SKU: the estimated proceeds of a sale, ASP × (1 − referral) − fulfilment fee, in ``currency``.

    ASP is the seller's revenue ÷ units over ``terms.price_days`` before ``as_of`` (each sale converted at its
    day's rate), else the SKU master's price.
    """
    as_of = pd.Timestamp(as_of)
    s = sales.loc[
        (sales["date"] > as_of - pd.Timedelta(days=terms.price_days)) & (sales["date"] <= as_of)
    ]
    s = s.loc[s["revenue"].notna() & (s["units"] > 0)]
    if currency and "currency" in s:  # a sale whose file states no currency has no known price
        s = s.loc[s["currency"].notna()]
    revenue = s["revenue"].astype("float64")
    if currency and len(s) and "currency" in s:
        ccy = s["currency"].astype("string")
        if (ccy != currency).any():
            revenue = pd.Series(
                rates.convert(
                    revenue.to_numpy(), ccy.to_numpy(), currency, dates=s["date"]
                ).amounts.to_numpy(),
                index=s.index,
            )
    asp = revenue.groupby(s["sku"]).sum() / s.groupby("sku")["units"].sum()
    listed = prices(products) if products is not None else pd.Series(dtype="float64")
    asp = asp.combine_first(listed.astype("float64"))
    return (asp * (1 - terms.referral_rate) - terms.fulfilment_fee).clip(lower=0).round(2)


def underpaid(reimbursements: pd.DataFrame, fair: pd.Series, *, terms: ClaimTerms) -> pd.DataFrame:
    """Reimbursements paid in cash below the SKU's estimated proceeds by more than the tolerance.

    >>> r = pd.DataFrame({"sku": ["A", "B"], "reason": "Lost_Warehouse", "amount_per_unit": [4.0, 9.9],
    ...                   "quantity_cash": [3, 1], "amount_in_currency": [12.0, 9.9]})
    >>> underpaid(r, pd.Series({"A": 10.0, "B": 10.0}), terms=ClaimTerms())[["sku", "shortfall"]].values.tolist()
    [['A', 18.0]]
    """
    r = reimbursements.loc[~_norm_reason(reimbursements["reason"]).isin(REVERSAL_REASONS)].copy()
    qty = pd.to_numeric(r["quantity_cash"], errors="coerce").fillna(0)
    r = r.loc[qty > 0]
    qty = qty[qty > 0]
    per_unit = r["amount_in_currency"].astype("float64") / qty
    value = r["sku"].map(fair).astype("float64")
    short = per_unit < value * (1 - terms.tolerance)
    out = r.loc[short].assign(
        paid_per_unit=per_unit[short].round(2),
        fair_value=value[short],
        shortfall=((value[short] - per_unit[short]) * qty[short]).round(2),
    )
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------- warehouse errors


def warehouse_error_rates(
    ledger: pd.DataFrame,
    *,
    returns: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    book: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per month (and marketplace): FBA units lost, damaged and (from returns) mis-shipped, per 1,000 units
    handled; and for the seller's warehouse, units counted different from the book per 1,000 units counted.

    ``fba_error_rate = (lost + damaged + wrong-item returns) ÷ handled × 1000``, where handled = units received +
    units shipped to customers + units returned (the ledger's Receipts, Customer Shipments and Customer
    Returns, as absolute numbers). ``count_error_rate = Σ|counted − book| ÷ Σ book × 1000``.

    >>> led = pd.DataFrame({"period_start": pd.to_datetime(["2026-10-01"]), "location_class": "fba",
    ...                     "marketplace": "US", "receipts": [600], "customer_shipments": [-380],
    ...                     "customer_returns": [20], "lost": [-2], "damaged": [-1]})
    >>> warehouse_error_rates(led)[["month", "handled_units", "error_units", "fba_errors_per_1000"]].values.tolist()
    [['2026-10', 1000, 3, 3.0]]
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
    if returns is not None and len(returns) and "reason" in returns:
        wrong = returns.loc[
            returns["reason"].astype("string").str.upper().isin(WAREHOUSE_ERROR_REASONS)
        ]
        mp = (
            (
                wrong["marketplace"]
                if "marketplace" in wrong
                else pd.Series(pd.NA, index=wrong.index)
            )
            .astype("string")
            .fillna("")
        )
        w = (
            wrong["quantity"]
            .groupby([wrong["date"].dt.strftime("%Y-%m").rename("month"), mp.rename("marketplace")])
            .sum()
            .rename("wrong")
            .reset_index()
        )
        g = g.merge(w, on=["month", "marketplace"], how="left")
        g["error_units"] = g["error_units"] + g.pop("wrong").fillna(0).astype("int64")
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
    return g.sort_values(["month", "marketplace"], ignore_index=True)


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
    returns: pd.DataFrame,
    products: pd.DataFrame | None,
    fair: pd.Series,
    tables: fee.FeeTables,
    *,
    as_of,
    resell_rate: float = 0.5,
    removed_resale_rate: float = 0.3,
) -> pd.DataFrame:
    """Per returned-unsellable disposition: units and the money of each way out, per the whole disposition.

    ``claim`` (only where the carrier or Amazon damaged it) = units × estimated proceeds; ``grade_and_resell``
    = units × proceeds × ``resell_rate`` (FBA Grade and Resell sells used, UNCONFIRMED share); ``remove`` =
    units × (price share resold elsewhere − removal fee); ``dispose`` = − units × disposal fee.
    """
    r = returns.loc[
        returns["disposition"]
        .astype("string")
        .str.upper()
        .isin(["CUSTOMER_DAMAGED", "DEFECTIVE", "CARRIER_DAMAGED", "DISTRIBUTOR_DAMAGED"])
    ].copy()
    cols = ["disposition", "units", "claim", "grade_and_resell", "remove", "dispose", "best_option"]
    if not len(r):
        return pd.DataFrame(columns=cols)
    r["disposition"] = r["disposition"].astype("string").str.upper()
    p = (
        sch.products_by_sku(products)
        if products is not None
        else pd.DataFrame(columns=["weight_lb", "size_tier", "price"])
    )
    value = r["sku"].map(fair).astype("float64").fillna(0)
    price = r["sku"].map(p["price"]).astype("float64").fillna(value)
    fee_unit = fee.removal_fee(
        tables,
        date=as_of,
        weight_lb=r["sku"].map(p["weight_lb"]).astype("float64").fillna(1.0).to_numpy(),
        size_tier=r["sku"].map(p["size_tier"]).fillna("standard").to_numpy(),
    )
    q = r["quantity"].astype("float64")
    fault = r["disposition"].isin(FAULT_DISPOSITIONS)
    r = r.assign(
        units=q,
        claim=np.where(fault, q * value, np.nan),
        grade_and_resell=q * value * resell_rate,
        remove=q * (price * removed_resale_rate - fee_unit),
        dispose=-q * fee_unit,
    )
    g = r.groupby("disposition", as_index=False)[
        ["units", "claim", "grade_and_resell", "remove", "dispose"]
    ].sum(min_count=1)
    opts = ["claim", "grade_and_resell", "remove", "dispose"]
    g["best_option"] = np.asarray(opts)[np.nanargmax(g[opts].fillna(-np.inf).to_numpy(), axis=1)]
    g[opts] = g[opts].round(2)
    g["units"] = g["units"].astype("int64")
    return g[cols].sort_values("units", ascending=False, ignore_index=True)


# ---------------------------------------------------------------------------- the notebook's pack


@dataclass
class ReimbursementResult:
    """Everything notebook 06 shows."""

    as_of: pd.Timestamp
    currency: str
    per_sku: pd.DataFrame  # warehouse losses per SKU: lost = found + reimbursed + open + expired
    claims: pd.DataFrame  # cases to file now (or soon), largest money first
    expired: pd.DataFrame  # cases past their window, with the money lost
    found_not_reversed: (
        pd.DataFrame
    )  # units found after they were reimbursed (Amazon may take the money back)
    inbound: pd.DataFrame
    refunds: pd.DataFrame
    underpaid: pd.DataFrame
    unsellable: pd.DataFrame
    error_rates: pd.DataFrame
    reimbursed_this_month: float
    inputs: dict[str, bool]
    notes: list[str]
    error_rates_by_centre: (
        pd.DataFrame
    )  # per month and fulfilment centre (the detail view's months)
    count_error_rates: pd.DataFrame  # the seller's warehouse: counted vs book per 1,000 units

    def headlines(self) -> dict[str, object]:
        now = self.claims.loc[self.claims["status"] == "open"] if len(self.claims) else self.claims
        return {
            "claims_to_file": int(len(now)),
            "recoverable_now": round(float(now["value"].sum()), 2) if len(now) else 0.0,
            "claims_opening_later": int((self.claims["status"] == "not yet open").sum())
            if len(self.claims)
            else 0,
            "reimbursed_this_month": round(self.reimbursed_this_month, 2),
            "lost_to_expired_windows": round(float(self.expired["value"].sum()), 2)
            if len(self.expired)
            else 0.0,
        }


def _claims_frame(**cols) -> pd.DataFrame:
    df = pd.DataFrame(cols)
    return df[[c for c in CLAIM_COLUMNS if c in df.columns]]


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
        "underpaid reimbursement": "This reimbursement was paid below the item's estimated sale proceeds.",
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
    fair = fair_values(sales, products, currency=currency, rates=rates, as_of=as_of_ts, terms=terms)
    reimb = (
        data["reimbursements"].copy() if data.has("reimbursements") else sch.REIMBURSEMENTS.empty()
    )
    reimb = reimb.loc[reimb["approval_date"] <= as_of_ts].reset_index(drop=True)
    amount = reimb["amount_total"].astype("float64").fillna(0)
    if currency and len(reimb):
        ccy = reimb["currency"].astype("string").fillna(currency)
        amount = pd.Series(
            rates.convert(
                amount.to_numpy(), ccy.to_numpy(), currency, dates=reimb["approval_date"]
            ).amounts.to_numpy(),
            index=reimb.index,
        )
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
    # a report that does not say its marketplace (the Reimbursements report has no column for it) is the SKU's
    sku_market = (
        losses.dropna(subset=["marketplace"]).drop_duplicates("sku").set_index("sku")["marketplace"]
    )
    reimb["marketplace"] = (
        reimb["marketplace"].astype("string").fillna(reimb["sku"].map(sku_market).astype("string"))
    )
    notes: list[str] = []
    if len(reimb):  # losses are audited where the Reimbursements report speaks (its marketplaces)
        covered = set(reimb["marketplace"].dropna())
        out = ~losses["marketplace"].isin(covered) & losses["marketplace"].notna()
        if out.any():
            notes.append(
                "no Reimbursements report for "
                + ", ".join(sorted(set(losses.loc[out, "marketplace"])))
                + ": its lost and damaged units are not audited (download it from that marketplace)"
            )
            losses = losses.loc[~out].reset_index(drop=True)
    per_sku, owed = warehouse_audit(
        losses, reimbursed(reimb, WAREHOUSE_REASONS), as_of=as_of_ts, windows=windows
    )
    per_sku["value_per_unit"] = per_sku["sku"].map(fair).astype("float64")

    parts = []
    if len(owed):
        ref = (
            owed["reference"]
            .astype("string")
            .fillna(
                "ledger " + owed["source"].astype(str) + " " + owed["date"].dt.strftime("%Y-%m")
            )
        )
        owed = owed.assign(
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
                event_date=("date", "min"),
                deadline=("last_day", "min"),
                reference=("ref", "first"),
                evidence=("ev", "; ".join),
            )
        )
        case["evidence"] = "reported " + case["evidence"]
        parts.append(
            _claims_frame(
                kind="warehouse lost or damaged",
                marketplace=case["marketplace"],
                sku=case["sku"],
                fnsku=case["fnsku"].fillna(case["sku"].map(fnsku_of)),
                reference=case["reference"],
                event_date=case["event_date"],
                units=case["units"],
                value=(case["units"] * case["sku"].map(fair).astype("float64").fillna(0)).round(2),
                deadline=case["deadline"],
                status=case["status"],
                evidence=case["evidence"],
            )
        )
    wrong = per_sku.loc[per_sku["reversal_without_found"] > 0]
    if len(wrong):
        rev = reimb.loc[_norm_reason(reimb["reason"]).isin(REVERSAL_REASONS)]
        last_rev = rev.groupby("sku")["approval_date"].max()
        rev_id = rev.groupby("sku")["reimbursement_id"].last()
        d = wrong["sku"].map(last_rev)
        due = _deadlines(
            windows,
            kind="warehouse_lost_damaged",
            dates=d.reset_index(drop=True),
            marketplace=wrong["marketplace"].reset_index(drop=True),
            as_of=as_of_ts,
        )
        w = wrong.reset_index(drop=True)
        parts.append(
            _claims_frame(
                kind="wrongful reversal",
                marketplace=w["marketplace"],
                sku=w["sku"],
                fnsku=w["fnsku"],
                reference=w["sku"].map(rev_id),
                event_date=d.to_numpy(),
                units=w["reversal_without_found"],
                value=(w["reversal_without_found"] * w["value_per_unit"].fillna(0)).round(2),
                deadline=due["last_day"],
                status=due["status"],
                evidence="reversal "
                + w["sku"].map(rev_id).astype(str)
                + " of "
                + w["reversed_units"].astype(str)
                + " unit(s); units found: "
                + w["found_units"].astype(str),
            )
        )
    shipments = _frame(data["shipments"]) if data.has("shipments") else None
    inbound = pd.DataFrame()
    if shipments is not None and len(shipments):
        lines = shipment_lines(shipments)
        inbound = inbound_audit(
            lines, reimbursed(reimb, INBOUND_REASONS), as_of=as_of_ts, windows=windows
        )
        owe = inbound.loc[inbound["owed"] > 0]
        parts.append(
            _claims_frame(
                kind="inbound shortfall",
                marketplace=owe["marketplace"],
                sku=owe["sku"],
                fnsku=owe["sku"].map(fnsku_of),
                reference=owe["shipment_id"],
                event_date=owe["received_date"],
                units=owe["owed"],
                value=(owe["owed"] * owe["sku"].map(fair).astype("float64").fillna(0)).round(2),
                deadline=owe["last_day"],
                status=owe["status"],
                evidence="shipment "
                + owe["shipment_id"].astype(str)
                + ": shipped "
                + owe["units_shipped"].astype(str)
                + ", received "
                + owe["units_received"].astype(str)
                + ", closed "
                + owe["received_date"].dt.strftime("%Y-%m-%d")
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
    if data.has("refunds"):
        refunds = refund_audit(
            _frame(data["refunds"]), returns, reimb, as_of=as_of_ts, windows=windows
        )
        parts.append(
            _claims_frame(
                kind="refund without return",
                marketplace=refunds["marketplace"],
                sku=refunds["sku"],
                fnsku=refunds["sku"].map(fnsku_of),
                reference=refunds["order_id"],
                event_date=refunds["date"],
                units=refunds["owed"],
                value=(
                    refunds["owed"] * refunds["sku"].map(fair).astype("float64").fillna(0)
                ).round(2),
                deadline=refunds["last_day"],
                status=refunds["status"],
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
    if len(returns):
        bad = returns.loc[
            returns["disposition"].astype("string").str.upper().isin(FAULT_DISPOSITIONS)
        ].reset_index(drop=True)
        if len(bad):
            mp = bad["marketplace"] if "marketplace" in bad else pd.Series(pd.NA, index=bad.index)
            due = _deadlines(
                windows,
                kind="warehouse_lost_damaged",
                dates=bad["date"],
                marketplace=mp,
                as_of=as_of_ts,
            )
            parts.append(
                _claims_frame(
                    kind="carrier damaged return",
                    marketplace=mp,
                    sku=bad["sku"],
                    fnsku=bad["fnsku"],
                    reference=bad["order_id"],
                    event_date=bad["date"],
                    units=bad["quantity"],
                    value=(
                        bad["quantity"] * bad["sku"].map(fair).astype("float64").fillna(0)
                    ).round(2),
                    deadline=due["last_day"],
                    status=due["status"],
                    evidence="order "
                    + bad["order_id"].astype(str)
                    + " returned "
                    + bad["date"].dt.strftime("%Y-%m-%d")
                    + " as "
                    + bad["disposition"].astype(str)
                    + " at "
                    + bad["location"].astype("string").fillna("—"),
                )
            )
    under = underpaid(reimb, fair, terms=terms) if len(reimb) else pd.DataFrame()
    if len(under):
        due = _deadlines(
            windows,
            kind="reimbursement_amount",
            dates=under["approval_date"],
            marketplace=under["marketplace"]
            if "marketplace" in under
            else pd.Series(pd.NA, index=under.index),
            as_of=as_of_ts,
        )
        parts.append(
            _claims_frame(
                kind="underpaid reimbursement",
                marketplace=under.get("marketplace"),
                sku=under["sku"],
                fnsku=under["fnsku"],
                reference=under["reimbursement_id"],
                event_date=under["approval_date"],
                units=under["quantity_cash"],
                value=under["shortfall"],
                deadline=due["last_day"],
                status=due["status"],
                evidence="reimbursement "
                + under["reimbursement_id"].astype(str)
                + " paid "
                + under["paid_per_unit"].map("{:.2f}".format)
                + " a unit; estimated proceeds "
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
    every = every[list(CLAIM_COLUMNS)].sort_values(
        ["value", "sku"], ascending=[False, True], ignore_index=True
    )
    expired = every.loc[every["status"] == "expired"].reset_index(drop=True)
    claims = every.loc[every["status"] != "expired"].reset_index(drop=True)
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
    unsellable = (
        unsellable_options(returns, products, fair, tables, as_of=as_of_ts)
        if len(returns)
        else pd.DataFrame(columns=["disposition", "units"])
    )
    rates_table = warehouse_error_rates(led, returns=returns) if len(led) else pd.DataFrame()
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
    )
