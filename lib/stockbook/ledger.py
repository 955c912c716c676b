"""Ledger reconciliation: do the books balance, and where did the units go?

For every SKU × location × disposition × period::

    computed_ending = starting + receipts + customer_shipments + customer_returns
                      + vendor_returns + transfers + outbound + found + lost
                      + damaged + disposed + other_events
    break_units     = reported ending − computed_ending
    chain_break     = this period's starting − the previous period's ending

Flows are signed (outflows negative), as in Amazon's Inventory Ledger.
Amazon's ``In Transit Between Warehouses`` is stock on top of the ending
balance, not a flow; ``Unknown Events`` is Amazon's own residual: whether it
belongs in the identity is not confirmed, so it stays out by default
(``unknown_events_in_identity``) and is shown beside each break.

Cross-checks: units shipped vs received per shipment (inbound loss), physical
count vs book, the SKU ↔ ASIN ↔ FNSKU mapping, and the detail view's events vs
the summary view's flows. Everything is Ibis (DuckDB by default) and accepts
pandas frames.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from stockbook import fees as fee
from stockbook import schema as sch
from stockbook.engine import (
    TableLike,
    as_table,
    column_min,
    first_by,
    hash64,
    last_by,
    to_pandas,
)
from stockbook.io import Dataset
from stockbook.money import rates_for
from stockbook.stock import (
    balances_at,
    in_transit_ledger,
    products_in,
    shipment_lines,
    stock_ledger,
)
from stockbook.stock import products as stock_products

__all__ = [
    "balances_at",
    "in_transit_ledger",
    "stock_ledger",
]  # the stock layer's, named here for old callers


IssueKind = Literal["identity", "chain", "identity+chain"]

#: a chain runs per SKU × location × disposition, in period order
_CHAIN_KEYS = ["sku", "location", "disposition"]
#: the columns of reconcile's output that come from the chain window (the previous period's row)
_CHAIN_COLUMNS = ("prev_ending", "prev_period_end", "chain_break_units")
#: reconcile's outputs, so that ``ledger_breaks`` knows a table is one as returned (not filtered since)
_RECONCILED: weakref.WeakSet = weakref.WeakSet()


def reconcile(ledger: TableLike, *, unknown_events_in_identity: bool = False) -> ir.Table:
    """Add ``computed_ending``, ``break_units``, ``prev_ending`` and ``chain_break_units`` to each row.

    >>> df = pd.DataFrame({"period_start": ["2026-09-01", "2026-10-01"], "period_end": ["2026-09-30", "2026-10-31"],
    ...     "sku": "A", "location": "US", "location_class": "fba", "disposition": "SELLABLE",
    ...     "starting": [10, 11], "receipts": [2, 0], "customer_shipments": [-1, -3], "customer_returns": [1, 0],
    ...     "lost": [-1, 0], "ending": [11, 7]})
    >>> out = to_pandas(reconcile(df), order_by=["period_start"])
    >>> out[["computed_ending", "break_units", "chain_break_units"]].values.tolist()
    [[11, 0, 0], [8, -1, 0]]
    """
    t = as_table(ledger, sch.LEDGER)
    flows = [t[f].fill_null(0) for f in sch.FLOWS if f in t.columns]
    net = flows[0]
    for f in flows[1:]:
        net = net + f
    if unknown_events_in_identity and "unknown_events" in t.columns:
        net = net + t["unknown_events"].fill_null(0)
    w = ibis.window(group_by=_CHAIN_KEYS, order_by="period_start")
    t = t.mutate(net_flow=net, computed_ending=t.starting + net)
    t = t.mutate(
        break_units=t.ending - t.computed_ending,
        prev_ending=t.ending.lag().over(w),
        prev_period_end=t.period_end.lag().over(w),
    )
    recon = t.mutate(
        chain_break_units=(t.starting - t.prev_ending).fill_null(0),
        period=_period_label(t),
    )
    _RECONCILED.add(recon.op())
    return recon


#: stands for a blank ending inside the chain check's ``max_by`` (which passes over nulls); the readers
#: quarantine units of 10^15 or more, so no real ending is this
_BLANK_ENDING = -(2**62)


def _chain_blocks(rows: ir.Table, keys: list[str]) -> ir.Table:
    """One row per ``keys`` × ``_block`` (the month of ``period_start``): is its chain whole inside?

    A block's chain is whole when its rows, in ``period_start`` order, each start the day after the
    previous one ends (``period_end + 1 day = next period_start``) with the units it ended with.
    That is tested without sorting, by comparing two multisets, as sums of a 64-bit hash::

        L = {(period_start, starting)}  for every row but the first
        R = {(period_end + 1 day, ending)} for every row but the last

    If L = R and no period ends before it starts, each row but the first is matched to exactly
    one row that ends the day before it starts, with its ending; starts then strictly increase
    along the matches, so the matches are the sorted order and the chain is whole. Duplicated or
    overlapping periods, gaps, and breaks fail the test and are sorted and checked row by row.
    A false pass needs two different multisets with equal 64-bit hash sums (odds about 2⁻⁶⁴; the hash
    is 64 bits wide on every backend, :func:`stockbook.engine.hash64`).

    Also returned per block: its first period start, the units it starts with and ends with, and
    ``cross`` = its first starting − the previous block's last ending (the chain between blocks).
    """
    day = ibis.interval(days=1)

    def link(d: ir.Value, u: ir.Value) -> ir.IntegerValue:
        return hash64(d, u)

    def halves(h: ir.IntegerValue) -> tuple[ir.FloatingValue, ir.FloatingValue]:
        # two 32-bit halves, summed as floats: exact up to 2**21 rows a block, and far cheaper than 128-bit sums
        return (h & 0xFFFFFFFF).cast("float64"), (h >> 32).cast("float64")

    (l_lo, l_hi), (r_lo, r_hi) = (
        halves(link(rows.period_start, rows.starting)),
        halves(link(rows.period_end + day, rows.ending)),
    )
    # L − R summed per half: each term is within ±2**32, so the float sums stay exact up to 2**21 rows a block
    h = rows.mutate(_d_lo=l_lo - r_lo, _d_hi=l_hi - r_hi)
    blank = ibis.literal(_BLANK_ENDING, type=rows.ending.type())
    b = h.group_by([*keys, "_block"]).aggregate(
        d_lo=h._d_lo.sum(),
        d_hi=h._d_hi.sum(),
        first_start=h.period_start.min(),
        first_starting=first_by(h.starting, h.period_start),
        # the largest end, not the last row's: if the test below passes, the row it takes out of R ends there and
        # is the last row (the argument above), and a block that fails is checked row by row, so both are the same
        last_end=h.period_end.max(),
        # min_by/max_by pass over nulls. A blank first starting or last ending fails this block's own test (checked
        # row by row), but the next block's chain must see a blank last ending as blank, as the window does
        last_ending=last_by(h.ending.fill_null(blank), h.period_start),
        ordered=(h.period_end >= h.period_start).all(),
    )
    b = b.mutate(last_ending=b.last_ending.nullif(blank))
    (f_lo, f_hi), (e_lo, e_hi) = (
        halves(link(b.first_start, b.first_starting)),
        halves(link(b.last_end + day, b.last_ending)),
    )
    w = ibis.window(group_by=keys, order_by="_block")
    b = b.mutate(
        whole=(b.d_lo == f_lo - e_lo) & (b.d_hi == f_hi - e_hi) & b.ordered,
        prev_last_ending=b.last_ending.lag().over(w),
    )
    return b.mutate(cross=b.first_starting - b.prev_last_ending)


def _flagged_rows(recon: ir.Table, tolerance_units: int) -> ir.Table:
    """The rows of reconcile's output whose identity or chain is off, without sorting the whole ledger.

    Same rows and ``chain_break_units`` as filtering ``recon``; the chain is found block by block
    (:func:`_chain_blocks`): only the rows of blocks whose chain is not whole, or that do not
    follow on from the block before, are sorted.
    """
    keys = _CHAIN_KEYS
    # the row's own columns (DuckDB leaves the window out); the period is labelled on the flagged rows only
    rows = recon.drop(*_CHAIN_COLUMNS, "period")
    r = rows.mutate(_block=rows.period_start.truncate("M"))
    b = _chain_blocks(r, keys)
    b = b.filter(~b.whole | (b.cross.fill_null(0) != 0)).select(
        *keys, "_block", "whole", "first_start", "prev_last_ending", _suspect=ibis.literal(True)
    )
    r = r.left_join(b, [r[k].identical_to(b[k]) for k in [*keys, "_block"]]).drop(
        *[f"{k}_right" for k in [*keys, "_block"]]
    )
    r = r.filter((r.break_units.abs() > tolerance_units) | r._suspect.fill_null(False))
    w = ibis.window(group_by=[*keys, "_block"], order_by="period_start")
    chain = ibis.cases(
        (r._suspect.isnull(), 0),  # whole, and follows on from the block before
        (r.whole, ibis.ifelse(r.period_start == r.first_start, r.starting - r.prev_last_ending, 0)),
        (ibis.row_number().over(w) == 0, r.starting - r.prev_last_ending),  # not whole: row by row
        else_=r.starting - r.ending.lag().over(w),
    ).fill_null(0)
    r = r.mutate(chain_break_units=chain.cast(recon.chain_break_units.type()))
    return r.drop("_block", "whole", "first_start", "prev_last_ending", "_suspect").mutate(
        period=_period_label(r)
    )


def _period_label(t: ir.Table) -> ir.Value:
    """'2026-10' for a calendar month, '2026-10-05' for a day, 'start..end' otherwise."""
    start, end = t.period_start, t.period_end
    whole_month = (start.day() == 1) & (
        end.cast("date") == (start + ibis.interval(months=1)).cast("date") - ibis.interval(days=1)
    )
    return ibis.cases(
        (whole_month, start.strftime("%Y-%m")),
        (start.cast("date") == end.cast("date"), start.strftime("%Y-%m-%d")),
        else_=start.strftime("%Y-%m-%d") + ".." + end.strftime("%Y-%m-%d"),
    )


def _unit_costs(products: TableLike | None) -> ir.Table | None:
    if products is None:
        return None
    p = as_table(products, sch.PRODUCTS)
    return p.group_by("sku").aggregate(unit_cost=p.unit_cost.max())


def ledger_breaks(
    recon: ir.Table,
    *,
    products: TableLike | None = None,
    tolerance_units: int = 0,
    period_start: str | None = None,
    period_end: str | None = None,
) -> ir.Table:
    """Rows whose identity or chain is off by more than ``tolerance_units``, valued at unit cost.

    Columns (the report contract first): sku, location, period, reported_ending, computed_ending,
    break_units, break_value, then location_class, disposition, chain_break_units,
    chain_break_value, unknown_events, kind, unit_cost.

    On ``recon`` as :func:`reconcile` returned it, the chain is checked a month at a time without
    sorting every row (:func:`_chain_blocks`): only the months whose chain is not whole are sorted.
    Any other table (say, ``recon`` filtered) is filtered on its own ``chain_break_units``.
    The rows are the same either way (``tests/test_ledger.py``).
    """
    # as reconcile returned it: the chain by blocks, no sort of every row
    t = _flagged_rows(recon, tolerance_units) if recon.op() in _RECONCILED else recon
    if period_start:
        t = t.filter(t.period_end >= ibis.timestamp(pd.Timestamp(period_start)))
    if period_end:
        t = t.filter(t.period_start <= ibis.timestamp(pd.Timestamp(period_end)))
    t = t.filter(
        (t.break_units.abs() > tolerance_units) | (t.chain_break_units.abs() > tolerance_units)
    )
    costs = _unit_costs(products)
    if costs is not None:
        t = t.left_join(costs, "sku").drop("sku_right")
    else:
        t = t.mutate(unit_cost=ibis.null("float64"))
    ident = t.break_units.abs() > tolerance_units
    chain = t.chain_break_units.abs() > tolerance_units
    return t.select(
        "sku",
        "location",
        "period",
        reported_ending=t.ending,
        computed_ending=t.computed_ending,
        break_units=t.break_units,
        break_value=(t.break_units * t.unit_cost).round(2),
        location_class=t.location_class,
        disposition=t.disposition,
        chain_break_units=t.chain_break_units,
        chain_break_value=(t.chain_break_units * t.unit_cost).round(2),
        unknown_events=t.unknown_events.fill_null(0),
        kind=ibis.cases((ident & chain, "identity+chain"), (ident, "identity"), else_="chain"),
        unit_cost=t.unit_cost,
        period_start=t.period_start,
        period_end=t.period_end,
    )


def flow_summary(
    recon: ir.Table, *, by: tuple[str, ...] = ("location_class", "period"), count_skus: bool = False
) -> ir.Table:
    """Starting, each flow and ending summed by ``by`` (default: location class × period).

    With ``count_skus``, also ``skus``: the distinct SKUs in each group. It is off by default
    because it is dear on a large ledger: an exact distinct count over every SKU × period pair
    (25M pairs for a daily ledger of 50M rows: 5.3 of the 7.5 s of this query; ``bench/README.md``).

    >>> df = pd.DataFrame({"period_start": ["2026-10-01"] * 3, "period_end": ["2026-10-31"] * 3,
    ...     "sku": ["A", "A", "B"], "location": ["US", "CA", "US"], "location_class": "fba",
    ...     "disposition": "SELLABLE", "starting": [5, 1, 2], "receipts": [3, 0, 1], "lost": [0, -1, 0],
    ...     "ending": [8, 0, 3]})
    >>> f = to_pandas(flow_summary(reconcile(df), count_skus=True))
    >>> f[["period", "starting", "receipts", "lost", "ending", "skus"]].values.tolist()
    [['2026-10', 8, 4, -1, 11, 2]]
    """
    aggs = {
        c: recon[c].fill_null(0).sum()
        for c in ("starting", *sch.FLOWS, "ending", "computed_ending", "break_units")
        if c in recon.columns
    }
    if count_skus:
        aggs["skus"] = recon.sku.nunique()
    if "period" not in by:
        return recon.group_by(list(by)).aggregate(**aggs)
    # group by the period's dates and label the groups, not every row (one label per period)
    keys = [k for k in by if k != "period"] + ["period_start", "period_end"]
    g = recon.group_by(keys).aggregate(**aggs)
    g = g.mutate(period=_period_label(g))
    return g.select(*by, *aggs)


def shipment_check(
    shipments: TableLike,
    *,
    products: TableLike | None = None,
    tolerance_units: int = 0,
    claim_window_days: int | None = None,
) -> ir.Table:
    """Closed shipments whose received units differ from shipped units (inbound loss or overage).

    ``difference = units_received − units_shipped`` (negative: units missing).
    A shipment is closed when it has a received date or is marked CLOSED (``stock.shipment_lines``);
    open ones are in transit and not judged.

    >>> s = pd.DataFrame({"shipment_id": ["S1", "S2", "S3"], "sku": "A", "units_shipped": [100, 50, 80],
    ...     "units_received": [90, 50, None], "mode": "sea", "ship_date": "2026-09-01",
    ...     "received_date": ["2026-10-10", "2026-10-10", None], "status": ["CLOSED", "CLOSED", "IN_TRANSIT"]})
    >>> to_pandas(shipment_check(s))[["shipment_id", "difference"]].values.tolist()
    [['S1', -10]]
    """
    if (
        claim_window_days is None
    ):  # the latest rule of data/fees/claim_windows.csv (dated and sourced)
        rules = fee.load_claim_windows()
        claim_window_days = int(
            rules.loc[rules["kind"] == "inbound_shortfall"]
            .sort_values("effective_from")["closes_after_days"]
            .iloc[-1]
        )
    t = as_table(
        shipment_lines(shipments)
    )  # closed by the stock layer's one rule (received, or marked closed)
    t = t.filter(t.closed_on.notnull()).mutate(
        difference=t.units_received.fill_null(0) - t.units_shipped
    )
    t = t.filter(t["difference"].abs() > tolerance_units)
    costs = _unit_costs(products)
    if costs is not None:
        t = t.left_join(costs, "sku").drop("sku_right")
    else:
        t = t.mutate(unit_cost=ibis.null("float64"))
    return t.select(
        "shipment_id",
        "sku",
        "mode",
        "ship_date",
        "received_date",
        "closed_on",
        "units_shipped",
        units_received=t.units_received.fill_null(0),
        difference=t["difference"],
        value=(t["difference"] * t.unit_cost).round(2),
        claim_by=(t.closed_on.cast("timestamp") + ibis.interval(days=claim_window_days)),
    ).order_by(["shipment_id", "sku"])


def count_check(
    counts: TableLike,
    ledger: TableLike,
    *,
    products: TableLike | None = None,
    tolerance_units: int = 0,
) -> ir.Table:
    """Physical counts against the book: the reported ending of the period that ends on the count date.

    The book sums dispositions (a count sees the shelf, not the disposition).
    Counts with no book balance that day are listed with a null ``book_units``.

    >>> led = pd.DataFrame({"period_start": ["2026-10-01"], "period_end": ["2026-10-31"], "sku": ["A"],
    ...     "location": ["WH"], "location_class": ["domestic"], "disposition": ["SELLABLE"], "starting": [5],
    ...     "receipts": [10], "ending": [15]})
    >>> cnt = pd.DataFrame({"date": ["2026-10-31"], "sku": ["A"], "location": ["WH"], "units": [12]})
    >>> to_pandas(count_check(cnt, led))[["book_units", "counted_units", "difference"]].values.tolist()
    [[15, 12, -3]]
    """
    c = as_table(counts, sch.COUNTS)
    led = as_table(ledger, sch.LEDGER)
    book = led.group_by(["sku", "location", "period_end"]).aggregate(book_units=led.ending.sum())
    j = c.left_join(
        book, [c.sku == book.sku, c.location == book.location, c.date == book.period_end]
    )
    j = j.select(
        date=c.date, sku=c.sku, location=c.location, counted_units=c.units, book_units=j.book_units
    )
    j = j.mutate(difference=j.counted_units - j.book_units)
    j = j.filter(j.book_units.isnull() | (j["difference"].abs() > tolerance_units))
    costs = _unit_costs(products)
    if costs is not None:
        j = j.left_join(costs, "sku").drop("sku_right")
    else:
        j = j.mutate(unit_cost=ibis.null("float64"))
    return j.mutate(value=(j["difference"] * j.unit_cost).round(2)).order_by(
        ["date", "location", "sku"]
    )


def mapping_check(ledger: TableLike, products: TableLike) -> pd.DataFrame:
    """SKU ↔ ASIN ↔ FNSKU problems, one row per (kind, sku).

    kinds: ``orphan`` (in the ledger, not in the SKU master), ``duplicate`` (listed more
    than once in the master), ``one_to_many`` (one SKU with several ASINs or FNSKUs
    across master and ledger, or one ASIN/FNSKU under several SKUs).

    >>> led = pd.DataFrame({"period_start": ["2026-10-01"] * 2, "period_end": ["2026-10-31"] * 2,
    ...     "sku": ["A", "Z"], "fnsku": ["X1", "X9"], "asin": ["B1", "B9"], "location": "US",
    ...     "location_class": "fba", "disposition": "SELLABLE", "starting": 0, "ending": 0})
    >>> prod = pd.DataFrame({"sku": ["A", "A"], "asin": ["B1", "B2"], "fnsku": ["X1", "X1"], "unit_cost": 1})
    >>> mapping_check(led, prod)[["kind", "sku"]].values.tolist()
    [['duplicate', 'A'], ['one_to_many', 'A'], ['orphan', 'Z']]
    """
    led = to_pandas(
        as_table(ledger, sch.LEDGER).select("sku", "fnsku", "asin", "location_class").distinct()
    )
    prod = (
        sch.conform(products, sch.PRODUCTS)
        if isinstance(products, pd.DataFrame)
        else to_pandas(products)
    )
    rows: list[pd.DataFrame] = []
    known = set(prod["sku"].dropna())
    orphan = led.loc[~led["sku"].isin(known)].drop_duplicates("sku")
    rows.append(
        pd.DataFrame(
            {
                "kind": "orphan",
                "sku": orphan["sku"],
                "fnsku": orphan["fnsku"],
                "asin": orphan["asin"],
                "detail": "in the "
                + orphan["location_class"].fillna("?")
                + " ledger but not in the SKU master",
            }
        )
    )
    n = prod.groupby("sku").size()
    dup = n[n > 1]
    first = prod.drop_duplicates("sku").set_index("sku")
    rows.append(
        pd.DataFrame(
            {
                "kind": "duplicate",
                "sku": dup.index,
                "fnsku": first.loc[dup.index, "fnsku"].to_numpy(),
                "asin": first.loc[dup.index, "asin"].to_numpy(),
                "detail": "listed " + dup.astype(str).to_numpy() + " times in the SKU master",
            }
        )
    )
    ids = pd.concat(
        [prod[["sku", "asin", "fnsku"]], led[["sku", "asin", "fnsku"]]], ignore_index=True
    )
    for a, b in (("sku", "asin"), ("sku", "fnsku"), ("asin", "sku"), ("fnsku", "sku")):
        pairs = ids[[a, b]].dropna().drop_duplicates()
        # only the few keys with several partners are listed (a table operation finds them)
        several = pairs.loc[pairs.groupby(a)[b].transform("size") > 1].sort_values([a, b])
        many = several.groupby(a, sort=True)[b].agg(list)
        if not len(many):
            continue
        if a == "sku":
            skus, what = many.index.to_series(), f"{b.upper()}s " + many.map(", ".join)
        else:
            skus = many.map(lambda v: v[0])
            what = f"{a.upper()} " + many.index.to_series() + " under SKUs " + many.map(", ".join)
        rows.append(
            pd.DataFrame(
                {
                    "kind": "one_to_many",
                    "sku": skus.to_numpy(),
                    "fnsku": pd.NA,
                    "asin": pd.NA,
                    "detail": ("several " if a == "sku" else "") + what.to_numpy(),
                }
            )
        )
    out = (
        pd.concat([r for r in rows if len(r)], ignore_index=True)
        if any(len(r) for r in rows)
        else pd.DataFrame(columns=["kind", "sku", "fnsku", "asin", "detail"])
    )
    out = out.groupby(["kind", "sku"], as_index=False).agg(
        fnsku=("fnsku", "first"), asin=("asin", "first"), detail=("detail", "; ".join)
    )
    return out.astype(
        {"kind": "string", "sku": "string", "fnsku": "string", "asin": "string", "detail": "string"}
    ).sort_values(["kind", "sku"], ignore_index=True)


def detail_vs_summary(events: TableLike, ledger: TableLike) -> pd.DataFrame:
    """Where the detail view's events, summed per SKU × month × disposition × flow, differ from the summary.

    Only months the detail view covers entirely are compared, and only the marketplaces it covers (a detail
    view downloaded from Amazon US says nothing of the UK). A difference says one of the two reports is
    missing events (Amazon: expand the dates; an event may have posted a month late).
    """
    ev = (
        sch.conform(events, sch.LEDGER_EVENTS)
        if isinstance(events, pd.DataFrame)
        else to_pandas(events)
    )
    if not len(ev):
        return pd.DataFrame(
            columns=[
                "sku",
                "period",
                "disposition",
                "flow",
                "summary_units",
                "detail_units",
                "difference",
            ]
        )
    ev = ev.assign(period=ev["date"].dt.to_period("M").astype(str))
    covered = ev.groupby("period")["date"].agg(["min", "max"])
    full = covered.index[
        (covered["min"].dt.day <= 3)
        & (
            covered["max"].dt.is_month_end
            | (covered["max"].dt.days_in_month - covered["max"].dt.day <= 2)
        )
    ]
    ev = ev.loc[ev["period"].isin(full)]
    d = (
        ev.groupby(["sku", "period", "disposition", "flow"])["quantity"]
        .sum()
        .rename("detail_units")
    )
    # the summary side is summed in the engine: only SKU × month × disposition totals reach pandas
    t = as_table(ledger, sch.LEDGER)
    t = t.filter(t.location_class == "fba").mutate(period=t.period_start.strftime("%Y-%m"))
    t = t.filter(t.period.isin(list(full)))
    markets = sorted(ev["marketplace"].dropna().unique()) if "marketplace" in ev else []
    if markets and "marketplace" in t.columns:
        t = t.filter(t.marketplace.isin(markets) | t.marketplace.isnull())
    flows = [f for f in sch.FLOWS if f in t.columns]
    led = to_pandas(
        t.group_by(["sku", "period", "disposition"]).aggregate(**{f: t[f].sum() for f in flows})
    )
    led[flows] = led[flows].fillna(0)
    s = (
        led.melt(
            id_vars=["sku", "period", "disposition"],
            value_vars=flows,
            var_name="flow",
            value_name="summary_units",
        )
        .groupby(["sku", "period", "disposition", "flow"])["summary_units"]
        .sum()
    )
    j = pd.concat([s, d], axis=1).fillna(0).astype("int64")
    j["difference"] = j["summary_units"] - j["detail_units"]
    return (
        j.loc[j["difference"] != 0]
        .reset_index()
        .sort_values(["period", "sku", "flow"], ignore_index=True)
    )


def investigations(
    breaks: pd.DataFrame,
    shipments: pd.DataFrame,
    counts: pd.DataFrame,
) -> pd.DataFrame:
    """What to investigate, largest money at cost first: ledger breaks, counts that differ from the book and
    inbound overages. Claims on Amazon (inbound shortfalls, units lost or damaged at FBA) are not here: they are
    the reimbursement audit's one claims ledger (notebook 06), valued by Amazon's rule of the day, with their
    windows. A break is an identity that does not hold — a question, not money lost, and it has no deadline.
    Mapping problems (a SKU missing from the master) are :func:`mapping_check`'s own list.

    Columns: priority (1 = most money), action, kind, sku, where, units, value, detail.

    >>> ships = pd.DataFrame({"shipment_id": ["S1", "S2"], "sku": "A", "difference": [-10, 4],
    ...                       "units_shipped": [100, 50], "units_received": [90, 54], "value": [-20.0, 8.0]})
    >>> investigations(pd.DataFrame(), ships, pd.DataFrame())[["kind", "where", "units"]].values.tolist()
    [['inbound overage', 'S2', 4]]
    """
    parts = []
    if len(shipments):
        over = shipments.loc[shipments["difference"] > 0]
        # the same shipment's short lines: the overage is likely their units received under this SKU
        short = shipments.loc[shipments["difference"] < 0]
        short = short.assign(
            said=(-short["difference"]).astype(str) + " short on " + short["sku"].astype(str)
        )
        also = over["shipment_id"].map(short.groupby("shipment_id")["said"].agg(", ".join))
        parts.append(
            pd.DataFrame(
                {
                    "action": "investigate",
                    "kind": "inbound overage",
                    "sku": over["sku"],
                    "where": over["shipment_id"],
                    "units": over["difference"],
                    "value": over["value"],
                    "detail": "shipped "
                    + over["units_shipped"].astype(str)
                    + ", received "
                    + over["units_received"].astype(str)
                    + ("; the same shipment is " + also).fillna(""),
                }
            )
        )
    if len(breaks):
        is_fba = (breaks["location_class"] == "fba").to_numpy()
        units = breaks["break_units"].where(breaks["break_units"] != 0, breaks["chain_break_units"])
        value = breaks["break_value"].where(breaks["break_units"] != 0, breaks["chain_break_value"])
        parts.append(
            pd.DataFrame(
                {
                    "action": "investigate",
                    "kind": "ledger " + breaks["kind"] + " break",
                    "sku": breaks["sku"],
                    "where": breaks["location"] + " " + breaks["period"],
                    "units": units,
                    "value": value,
                    "detail": np.where(
                        is_fba,
                        "ask Amazon (or expand the dates: an event may have posted late)",
                        "check the warehouse's movements for the period",
                    ),
                }
            )
        )
    if len(counts):
        parts.append(
            pd.DataFrame(
                {
                    "action": "investigate",
                    "kind": "count differs from book",
                    "sku": counts["sku"],
                    "where": counts["location"] + " " + counts["date"].dt.strftime("%Y-%m-%d"),
                    "units": counts["difference"],
                    "value": counts["value"],
                    "detail": "counted "
                    + counts["counted_units"].astype(str)
                    + ", book "
                    + counts["book_units"].astype("string").fillna("none"),
                }
            )
        )
    cols = ["priority", "action", "kind", "sku", "where", "units", "value", "detail"]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(
        [p.astype({"units": "Int64", "value": "Float64"}) for p in parts], ignore_index=True
    )
    out = (
        out.assign(_abs=out["value"].abs().fillna(-1))
        .sort_values(
            ["_abs", "kind", "sku", "where"], ascending=[False, True, True, True], ignore_index=True
        )
        .drop(columns="_abs")
    )
    out.insert(0, "priority", np.arange(1, len(out) + 1))
    return out[cols]


def month_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Flow totals per location class and calendar month, from ``flow_summary`` by period.

    starting = the month's first period's starting; each flow and ``break_units`` = the sum over
    the month's periods; ending = its last period's ending; skus = the most any period had. A
    monthly ledger comes out as it went in; a daily ledger's 30 days become one month.

    >>> f = pd.DataFrame({"location_class": "fba", "period": ["2026-10-01", "2026-10-02"], "starting": [10, 8],
    ...     "receipts": [0, 5], "customer_shipments": [-2, -1], "ending": [8, 12], "break_units": 0, "skus": 1})
    >>> month_flows(f)[["period", "starting", "receipts", "customer_shipments", "ending"]].values.tolist()
    [['2026-10', 10, 5, -3, 12]]
    """
    f = flows.assign(month=flows["period"].astype(str).str[:7]).sort_values(
        ["location_class", "period"], kind="stable"
    )
    g = f.groupby(["location_class", "month"], sort=True)
    sums = [c for c in (*sch.FLOWS, "break_units") if c in f.columns]
    out = g[sums].sum()
    out.insert(0, "starting", g["starting"].first())
    out["ending"] = g["ending"].last()
    if "skus" in f.columns:
        out["skus"] = g["skus"].max()
    out = out.reset_index().rename(columns={"month": "period"})
    return out.sort_values(["period", "location_class"], ignore_index=True)


@dataclass
class Reconciliation:
    """Everything notebook 01 shows, as pandas frames (small: one row per problem or per group)."""

    period_start: pd.Timestamp
    period_end: pd.Timestamp
    breaks: pd.DataFrame  # all breaks up to period_end (open history), contract columns first
    flows: pd.DataFrame  # flow_summary by location class × period
    shipments: pd.DataFrame
    counts: pd.DataFrame
    mapping: pd.DataFrame
    detail_vs_summary: pd.DataFrame
    actions: (
        pd.DataFrame
    )  # what to investigate, largest money first (claims are notebook 06's ledger)
    location_classes: list[str]

    @property
    def monthly(self) -> pd.DataFrame:
        """``flows`` per calendar month (a daily ledger's days added up; see :func:`month_flows`)."""
        return month_flows(self.flows)

    def headlines(self) -> dict[str, object]:
        """The numbers the report index shows first."""
        in_month = self.breaks["period_end"] >= self.period_end.replace(day=1)
        value = (
            self.breaks["break_value"].fillna(0).abs().sum()
            + self.breaks["chain_break_value"].fillna(0).abs().sum()
        )
        return {
            "breaks": int(len(self.breaks)),
            "breaks_this_month": int(in_month.sum()),
            "break_units": int(
                self.breaks["break_units"].abs().sum()
                + self.breaks["chain_break_units"].abs().sum()
            ),
            "break_value": round(float(value), 2),
            # per shipment, net of units received over on another SKU of it (a pair is not a loss)
            "inbound_shortfall_units": int(
                -self.shipments.groupby("shipment_id")["difference"].sum().clip(upper=0).sum()
            ),
            "count_differences": int(len(self.counts)),
            "mapping_problems": int(self.mapping["sku"].nunique()),
            "skus_missing_from_master": int(
                self.mapping.loc[self.mapping["kind"] == "orphan", "sku"].nunique()
            ),
            "actions": int(len(self.actions)),
        }


def reconciliation_pack(
    data: Dataset,
    *,
    period_end: str,
    period_start: str = "earliest",
    locations: str = "all",
    tolerance_units: int = 0,
    unknown_events_in_identity: bool = False,
    currency: str | None,
) -> Reconciliation:
    """Run every check of notebook 01 on a loaded data folder.

    Units are valued at cost in ``currency``, the SKU master's costs converted from their cost currency at
    ``period_end``'s rate (``stock.products_in``).

    ``period_start`` "earliest" (or empty) means all history in the data; ``locations`` is a
    comma-separated list of location classes, or "all". Stock in transit is
    derived from the shipments file when there is one.
    """
    end = pd.Timestamp(period_end)
    period_start = "" if period_start in ("earliest", "all") else period_start
    locations = "" if locations == "all" else locations
    start = pd.Timestamp(period_start) if period_start else None
    led = stock_ledger(data, period_end=end)
    wanted = [c.strip() for c in locations.split(",") if c.strip()]
    unknown = sorted(set(wanted) - sch.LOCATION_CLASSES)
    if unknown:
        raise ValueError(
            f"unknown location classes {unknown}; expected some of {sorted(sch.LOCATION_CLASSES)}"
        )
    if wanted:
        led = led.filter(led.location_class.isin(wanted))
    products = products_in(
        stock_products(data, as_of=end),
        currency=currency,
        on=end,
        rates=rates_for(data) if currency else None,
    )
    recon = reconcile(led, unknown_events_in_identity=unknown_events_in_identity)
    breaks = to_pandas(
        ledger_breaks(
            recon,
            products=products,
            tolerance_units=tolerance_units,
            period_start=period_start or None,
            period_end=period_end,
        ),
        order_by=["period_start", "location_class", "location", "sku", "disposition"],
    )
    window = recon
    if start is not None:
        window = window.filter(window.period_end >= ibis.timestamp(start))
    flows = to_pandas(flow_summary(window), order_by=["period", "location_class"])
    ships = (
        to_pandas(
            shipment_check(data["shipments"], products=products, tolerance_units=tolerance_units)
        )
        if data.has("shipments")
        else to_pandas(shipment_check(sch.SHIPMENTS.empty()))
    )
    # a count made after the period end has no book to compare with in this report: it belongs to a later one
    counted = as_table(data["counts"], sch.COUNTS) if data.has("counts") else None
    counted = counted.filter(counted.date <= ibis.timestamp(end)) if counted is not None else None
    counts = (
        to_pandas(count_check(counted, led, products=products, tolerance_units=tolerance_units))
        if counted is not None
        else pd.DataFrame(
            columns=[
                "date",
                "sku",
                "location",
                "counted_units",
                "book_units",
                "difference",
                "unit_cost",
                "value",
            ]
        )
    )
    mapping = (
        mapping_check(led, data["products"])
        if data.has("products")
        else pd.DataFrame(columns=["kind", "sku", "fnsku", "asin", "detail"])
    )
    dvs = (
        detail_vs_summary(data["ledger_events"], led)
        if data.has("ledger_events")
        else detail_vs_summary(sch.LEDGER_EVENTS.empty(), led)
    )
    actions = investigations(breaks, ships, counts)
    present = set(led.select("location_class").distinct().to_pandas()["location_class"])
    classes = [c for c in ("domestic", "fba", "third_party", "in_transit") if c in present]
    return Reconciliation(
        start if start is not None else column_min(led, "period_start"),
        end,
        breaks,
        flows,
        ships,
        counts,
        mapping,
        dvs,
        actions,
        classes,
    )


def breaks_by_value(breaks: pd.DataFrame) -> pd.DataFrame:
    """Breaks for people: largest absolute value at cost first, contract columns first, no helper dates."""
    v = breaks["break_value"].fillna(0).abs() + breaks["chain_break_value"].fillna(0).abs()
    u = breaks["break_units"].abs() + breaks["chain_break_units"].abs()
    order = (
        pd.DataFrame({"v": v, "u": u, "sku": breaks["sku"], "p": breaks["period"]})
        .sort_values(["v", "u", "sku", "p"], ascending=[False, False, True, True])
        .index
    )
    return breaks.loc[order].drop(columns=["period_start", "period_end"]).reset_index(drop=True)
