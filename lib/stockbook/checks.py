"""The pack checks itself: each headline against an independent route to the same fact.

A headline that looks finished can still be wrong ("541 dead-stock SKUs" while the ledger shows 45,569 units
sold). Each check here recomputes one fact from the raw canonical tables by a route of its own — plain pandas
over the ledger's rows, not the analysis' engine code — and compares it with what the notebook says. A check
that fires is a **warning** naming the numbers on both sides; it is shown on the notebook's page and on the
index. A check that cannot run (its input is missing) says so and is not a warning.

Checks (one function each, tables in, a :class:`Finding` out):

=========================  ==========================================================================
``dead_stock``             dead-stock SKUs against the SKUs the ledger shows shipping to customers over
                           the same days
``units_sold``             units the analysis counts as sold against the ledger's sales outflows
``classes``                every SKU in class C (or none ranked) while units were sold
``demand``                 zero demand in the plan while the ledger shows sales in the last 90 days
``stock_value``            stock value 0 or unknown while units are held
``turnover_sales``         the units turnover counts as sold (the ledgers) against the sales read
``claims_mapping``         claims on SKUs that are missing from the SKU master (a mapping problem first)
``totals``                 a file's total row (合计) against the sum of its rows
``currencies``             money that states no currency (left out of every amount)
=========================  ==========================================================================

>>> f = stock_value(units_held=1200, value=0.0, skus_without_cost=3, currency="USD")
>>> f.status, f.message
('warning', 'stock value is 0.00 USD while 1,200 units are held; 3 SKUs holding stock have no known unit cost')
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from stockbook import i18n
from stockbook import schema as sch
from stockbook.engine import as_table, is_lazy, to_pandas
from stockbook.stock import selling_classes, sells_from_warehouse, sold

Status = Literal["ok", "warning", "not checked"]

#: units sold by two routes may differ this much before a check fires (a sales export and the ledger's
#: shipments date the same sales a day or two apart, and a month's edge moves some across the window)
UNITS_TOLERANCE = 0.25


@dataclass(frozen=True)
class Finding:
    """One check's outcome: what it compared, the two numbers, and what it means when they disagree."""

    check: str
    status: Status
    ours: float | None
    independent: float | None
    message: str

    @property
    def fired(self) -> bool:
        return self.status == "warning"


def _finding(check: str, fired: bool, ours, independent, message: str, ok: str = "") -> Finding:
    return Finding(
        check, "warning" if fired else "ok", _num(ours), _num(independent), message if fired else ok
    )


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def ledger_customer_units(data, *, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.Series:
    """Units shipped to customers per SKU by the ledger's rows whose period ends inside ``start`` … ``end``
    (a route of its own: the rows as read, in pandas, from the selling classes, or the warehouse's when the
    seller sells from it). Empty when there is no ledger.

    >>> class D:
    ...     tables = {"ledger": pd.DataFrame({"sku": ["A", "A", "B"], "location_class": "domestic",
    ...         "period_end": pd.to_datetime(["2022-03-31", "2022-04-30", "2022-04-30"]),
    ...         "customer_shipments": [-5, -3, 0]})}
    ...     def has(self, t): return t.partition(":")[0] in self.tables and (not t.partition(":")[2]
    ...         or (self.tables["ledger"]["location_class"] == t.partition(":")[2]).any())
    ...     def __getitem__(self, t): return self.tables[t]
    >>> ledger_customer_units(D(), start="2022-04-01", end="2022-04-30").to_dict()
    {'A': 3, 'B': 0}
    """
    if not data.has("ledger"):
        return pd.Series(dtype="int64")
    led = data["ledger"]
    cols = ["sku", "location_class", "period_end", "customer_shipments"]
    if is_lazy(led):
        t = led.filter(
            (led.period_end >= pd.Timestamp(start)) & (led.period_end <= pd.Timestamp(end))
        )
        led = to_pandas(t.select(*cols))
    else:
        led = led.loc[
            (led["period_end"] >= pd.Timestamp(start)) & (led["period_end"] <= pd.Timestamp(end)),
            cols,
        ]
    classes = selling_classes(data["ledger"])
    if classes == ["domestic"] and not sells_from_warehouse(
        data
    ):  # its outflows are not this seller's sales
        return pd.Series(dtype="int64")
    led = led.loc[led["location_class"].isin(classes)]
    out = (
        (-pd.to_numeric(led["customer_shipments"], errors="coerce").fillna(0))
        .groupby(led["sku"])
        .sum()
    )
    return out.astype("int64").sort_index()


def dead_stock(dead_skus, shipped: pd.Series, *, days: int) -> Finding:
    """Dead-stock SKUs (stock, no sale in ``days``) that the ledger shows shipping to customers over those days.

    >>> dead_stock(["A", "B", "C"], pd.Series({"A": 4, "C": 0}), days=90).message
    '1 of the 3 dead-stock SKUs shipped units to customers in the ledger over the same 90 days (A: 4 units): their sales were not counted'
    """
    if not len(shipped):
        return Finding(
            "dead_stock",
            "not checked",
            _num(len(dead_skus)),
            None,
            "no ledger to check dead stock by",
        )
    dead = pd.Index(pd.Series(list(dead_skus), dtype="string").dropna().unique())
    sold = shipped.reindex(dead).fillna(0)
    moving = sold[sold > 0].sort_values(ascending=False)
    example = ", ".join(f"{k}: {int(v):,} units" for k, v in moving.head(3).items())
    return _finding(
        "dead_stock",
        len(moving) > 0,
        len(dead),
        len(dead) - len(moving),
        f"{len(moving):,} of the {len(dead):,} dead-stock SKUs shipped units to customers in the ledger "
        f"over the same {days:,} days ({example}): their sales were not counted",
        f"none of the {len(dead):,} dead-stock SKUs shipped units to customers in the ledger",
    )


def units_sold(ours: float, ledger_units: float, *, source: str) -> Finding:
    """Units the analysis counts as sold against the ledger's sales outflows over the same window.

    >>> units_sold(0, 45_569, source="ledger").message
    'the analysis counts 0 units sold; the ledger ships 45,569 units to customers over the same days'
    >>> units_sold(1000, 1100, source="sales export").status
    'ok'
    """
    if ledger_units <= 0 and ours <= 0:
        return Finding(
            "units_sold", "not checked", _num(ours), _num(ledger_units), "no sales by either route"
        )
    off = abs(ours - ledger_units) / max(ours, ledger_units)
    tolerance = 0.005 if "ledger" in source else UNITS_TOLERANCE
    return _finding(
        "units_sold",
        off > tolerance,
        ours,
        ledger_units,
        f"the analysis counts {ours:,.0f} units sold; the ledger ships {ledger_units:,.0f} units to "
        "customers over the same days",
        f"{ours:,.0f} units sold, the ledger's outflows agree",
    )


def classes(abc_classes: pd.Series, units_sold_total: float) -> Finding:
    """Every SKU in class C while units were sold: the ranking had nothing to rank by.

    >>> classes(pd.Series(["C", "C"]), 120).status, classes(pd.Series(["A", "C"]), 120).status
    ('warning', 'ok')
    """
    a = int((abc_classes == "A").sum())
    return _finding(
        "classes",
        a == 0 and units_sold_total > 0,
        a,
        units_sold_total,
        f"no SKU is in class A although {units_sold_total:,.0f} units were sold: the ranking measure "
        "is empty (no revenue or cost it could use)",
        f"{a:,} SKUs in class A",
    )


def demand(total_rate: float, shipped_90d: float) -> Finding:
    """Zero demand in the plan while the ledger shows units shipped to customers in the last 90 days.

    >>> demand(0.0, 900).message
    'the plan finds no demand for any SKU; the ledger ships 900 units to customers in the last 90 days'
    """
    return _finding(
        "demand",
        total_rate <= 0 and shipped_90d > 0,
        total_rate,
        shipped_90d / 90,
        f"the plan finds no demand for any SKU; the ledger ships {shipped_90d:,.0f} units to customers "
        "in the last 90 days",
        f"{total_rate:,.1f} units a day expected",
    )


#: a stock value is suspect when more than this share of the units held have no known cost
UNCOSTED_SHARE = 0.05


def stock_value(
    *,
    units_held: float,
    value: float | None,
    skus_without_cost: int,
    currency: str,
    units_without_cost: float | None = None,
) -> Finding:
    """Stock value 0 or unknown while units are held, or more than ``UNCOSTED_SHARE`` of the units held have no
    known unit cost (costs missing, or in no stated currency)."""
    empty = value is None or np.isnan(value) or value == 0
    shown = "unknown" if value is None or np.isnan(value) else f"{value:,.2f} {currency}"
    uncosted = units_held if units_without_cost is None else units_without_cost
    fired = units_held > 0 and (
        empty or (skus_without_cost > 0 and uncosted / units_held > UNCOSTED_SHARE)
    )
    return _finding(
        "stock_value",
        fired,
        value,
        units_held,
        f"stock value is {shown} while {units_held:,.0f} units are held; {plural(skus_without_cost, 'SKU')} "
        "holding stock have no known unit cost",
        f"{shown} for {units_held:,.0f} units",
    )


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, in the plural unless n is 1.

    >>> plural(1, "SKU"), plural(3, "SKU")
    ('1 SKU', '3 SKUs')
    """
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def claims_mapping(claim_skus, master_skus) -> Finding:
    """Claims on SKUs that the SKU master does not know: fix the mapping before filing.

    >>> claims_mapping(["A", "Z"], ["A"]).message
    '1 of the 2 claims and investigations are on SKUs missing from the SKU master (Z): fix the mapping first'
    """
    claims = pd.Series(list(claim_skus), dtype="string")
    unknown = sorted(set(claims.dropna()) - set(master_skus))
    hit = claims.isin(unknown)
    if not len(master_skus):
        return Finding("claims_mapping", "not checked", _num(len(claims)), None, "no SKU master")
    return _finding(
        "claims_mapping",
        bool(hit.any()),
        len(claims),
        int(hit.sum()),
        f"{int(hit.sum()):,} of the {len(claims):,} claims and investigations are on SKUs missing from "
        f"the SKU master ({', '.join(unknown[:5])}): fix the mapping first",
        "every claim's SKU is in the SKU master",
    )


def input_notes(files: pd.DataFrame) -> list[Finding]:
    """The readers' own findings that change numbers: a total row that differs from its rows, money that states
    no currency.

    >>> f = pd.DataFrame({"file": ["a.csv"], "status": ["read"],
    ...                   "note": ["line 9 is a total row, set aside: ending 10 ≠ the sum of the rows read (8): rows may be missing"]})
    >>> [x.check for x in input_notes(f)]
    ['totals']
    """
    out = []
    for f in files.loc[files["status"] == "read"].itertuples():
        for n in str(f.note or "").split("; "):
            if "total row" in n:
                out.append(
                    _finding("totals", "≠" in n, None, None, f"{f.file}: {n}", f"{f.file}: {n}")
                )
            elif "states no currency" in n:
                out.append(_finding("currencies", True, None, None, f"{f.file}: {n}"))
    return out


def table(findings: list[Finding], *, notebook: str) -> pd.DataFrame:
    """Findings as a table: notebook, check, status, ours, independent, message."""
    rows = [{"notebook": notebook, **asdict(f)} for f in findings]
    return pd.DataFrame(
        rows, columns=["notebook", "check", "status", "ours", "independent", "message"]
    )


def warnings_text(findings: list[Finding]) -> str:
    """The warnings as lines a page shows ("" when every check agrees).

    >>> warnings_text([classes(pd.Series(["C"]), 5)])
    '⚠ Self-check (classes): no SKU is in class A although 5 units were sold: the ranking measure is empty (no revenue or cost it could use)'
    """
    fired = [f for f in findings if f.fired]
    return "\n".join(
        "⚠ " + i18n.tr("Self-check") + f" ({f.check}): {i18n.sentence(f.message)}" for f in fired
    )


def show(findings: list[Finding]) -> None:
    """Print a notebook's self-check warnings (nothing when every check agrees), as sentences."""
    text = warnings_text(findings)
    if text:
        print(text)


def write_checks(name: str, findings: list[Finding], tables_dir: str | Path | None) -> None:
    """Called by a notebook: hand its self-checks to the report index (like its headlines)."""
    if not tables_dir or str(tables_dir) == "none":
        return
    Path(tables_dir).mkdir(parents=True, exist_ok=True)
    (Path(tables_dir) / f"checks_{name}.json").write_text(
        json.dumps([asdict(f) for f in findings], sort_keys=True, ensure_ascii=False),
        encoding="utf-8",
    )


def read_checks(tables_dir: Path) -> dict[str, list[dict]]:
    """The notebooks' self-checks written to ``tables_dir`` (each file removed once read)."""
    out = {}
    for p in sorted(Path(tables_dir).glob("checks_*.json")):
        out[p.stem.removeprefix("checks_")] = json.loads(p.read_text(encoding="utf-8"))
        p.unlink()
    return out


# ---------------------------------------------------------------------------- per notebook


def ledger_start(data) -> pd.Timestamp | None:
    """The first day the ledger covers (None without one)."""
    if not data.has("ledger"):
        return None
    led = data["ledger"]
    first = (
        to_pandas(led.aggregate(first=led.period_start.min()))["first"].iloc[0]
        if is_lazy(led)
        else led["period_start"].min()
    )
    return pd.Timestamp(first) if pd.notna(first) else None


def sold_units(data, *, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Units the analyses count as sold over whole days ``start`` … ``end`` (``stock.sold``, through the engine)."""
    sales, _ = sold(data)
    t = as_table(sales, sch.SALES)
    t = t.filter((t.date >= start) & (t.date <= end))
    got = to_pandas(t.aggregate(units=t.units.sum()))["units"].iloc[0]
    return float(got) if pd.notna(got) else 0.0


def abc_checks(data, res) -> list[Finding]:
    """Notebook 02's checks: units sold, classes, dead stock — each against the ledger, over the days both
    routes cover."""
    first = ledger_start(data)
    units = float(pd.to_numeric(res.classes["units"]).sum())
    lo = max(pd.Timestamp(res.start), first) if first is not None else None
    shipped = (
        ledger_customer_units(data, start=lo, end=res.end)
        if lo is not None
        else pd.Series(dtype="int64")
    )
    if not len(shipped):
        sold_check = Finding(
            "units_sold",
            "not checked",
            units,
            None,
            "no ledger of the selling node to check units sold by",
        )
    else:
        sold_check = units_sold(
            sold_units(data, start=lo, end=res.end), float(shipped.sum()), source=res.demand_source
        )
    return [
        sold_check,
        classes(res.classes["abc_class"], units),
        dead_stock(
            res.classes.loc[res.classes["dead_stock"], "sku"],
            shipped,
            days=max(res.days_of_data, 1),
        ),
    ]


def turnover_sales(turnover_units: float, sold_total: float, *, source: str) -> Finding:
    """The units turnover's cost of sales counts (the ledger's outflows) against the units sold by the sales the
    pack reads: a turnover of 0 while units sold says the ledger does not hold the sales.

    >>> turnover_sales(0, 93, source="FBA stock report").message
    'turnover counts 0 units sold in the ledgers; the FBA stock report shows 93: turnover and days of inventory understate the sales'
    """
    off = abs(turnover_units - sold_total) / max(turnover_units, sold_total, 1)
    what = (
        "turnover and days of inventory understate the sales"
        if turnover_units < sold_total
        else "the sales read miss units the ledgers ship"
    )
    return _finding(
        "turnover_sales",
        max(turnover_units, sold_total) > 0 and off > UNITS_TOLERANCE,
        turnover_units,
        sold_total,
        f"turnover counts {turnover_units:,.0f} units sold in the ledgers; the {source} shows "
        f"{sold_total:,.0f}: {what}",
        f"turnover's {turnover_units:,.0f} units sold agree with the sales",
    )


def turnover_checks(data, res, *, currency: str) -> list[Finding]:
    """Notebook 03's checks: dead stock against the ledger's outflows, stock value against units held, the
    turnover's units sold against the sales."""
    start = res.end - pd.Timedelta(days=res.dead_days - 1)
    shipped = ledger_customer_units(data, start=start, end=res.end)
    held = float(res.skus["stock_units"].clip(lower=0).sum())
    value = (
        float(res.cash["inventory_value"].astype("float64").sum(min_count=1))
        if len(res.cash)
        else None
    )
    uncosted = (res.skus["stock_units"] > 0) & res.skus["stock_value"].isna()
    counted = float(pd.to_numeric(res.business.get("sold_units", pd.Series(dtype="float64"))).sum())
    source = "sales export" if "export" in res.sales_source else "sales data"
    return [
        turnover_sales(counted, sold_units(data, start=res.start, end=res.end), source=source)
        if "ledger" not in res.sales_source
        else Finding(
            "turnover_sales", "ok", counted, counted, "turnover and the sales both read the ledger"
        ),
        dead_stock(res.dead_stock["sku"], shipped, days=res.dead_days_seen),
        stock_value(
            units_held=held,
            value=value,
            skus_without_cost=int(uncosted.sum()),
            currency=currency,
            units_without_cost=float(res.skus.loc[uncosted, "stock_units"].sum()),
        ),
    ]


def purchase_orders_read(has_orders: bool, units_on_order: int, units_to_buy: int) -> Finding:
    """Without the seller's purchase orders the plan cannot see what suppliers are already making: it buys
    those units again (on the replayed sellers, about twice the stock). A warning when the plan buys.

    >>> print(purchase_orders_read(False, 0, 500).message)  # doctest: +NORMALIZE_WHITESPACE
    no purchase orders read: units already ordered from suppliers are not in the stock position, so the plan
    may buy them again (500 units to buy); add the ERP's purchase order export (采购单)
    >>> purchase_orders_read(True, 370, 500).status
    'ok'
    """
    return _finding(
        "purchase_orders",
        not has_orders and units_to_buy > 0,
        units_on_order if has_orders else None,
        None,
        "no purchase orders read: units already ordered from suppliers are not in the stock position, so the "
        f"plan may buy them again ({units_to_buy:,} units to buy); add the ERP's purchase order export (采购单)",
        f"{units_on_order:,} units on order with suppliers are counted",
    )


def plan_checks(data, res) -> list[Finding]:
    """Notebook 05's checks: demand against the ledger's last 90 days; the purchase orders the position
    counts."""
    buy = res.plan.loc[res.plan["kind"] == "purchase", "order_qty"] if len(res.plan) else []
    orders = purchase_orders_read(
        data.has("purchase_orders"),
        int(res.skus["on_order"].sum()) if len(res.skus) else 0,
        int(pd.to_numeric(pd.Series(buy), errors="coerce").fillna(0).sum()),
    )
    shipped = ledger_customer_units(data, start=res.as_of - pd.Timedelta(days=89), end=res.as_of)
    if not len(shipped):
        return [
            Finding("demand", "not checked", None, None, "no ledger to check demand by"),
            orders,
        ]
    rate = (
        float(pd.to_numeric(res.skus["rate"], errors="coerce").fillna(0).sum())
        if len(res.skus)
        else 0.0
    )
    return [demand(rate, float(shipped.sum())), orders]


def _master_skus(data) -> list[str]:
    return (
        list(sch.conform(data["products"], sch.PRODUCTS)["sku"].dropna())
        if data.has("products")
        else []
    )


def ledger_checks(data, rec) -> list[Finding]:
    """Notebook 01's check: investigations on SKUs the master lacks."""
    return [claims_mapping(rec.actions["sku"] if len(rec.actions) else [], _master_skus(data))]


def reimbursement_checks(data, res) -> list[Finding]:
    """Notebook 06's checks: cases on SKUs the master lacks; the audit's identity (every lost or damaged unit
    found, reimbursed or owed) summed over its events against its per-SKU table; and what it could not audit
    (a marketplace without its Reimbursements report, a rate without its returns), as warnings the page and
    the index show.

    >>> class R:
    ...     claims = pd.DataFrame({"sku": ["A"]}); notes = ["UK not audited: add its Reimbursements report"]
    ...     events = pd.DataFrame({"units": [3], "found": [1], "reimbursed": [1], "owed": [1]})
    ...     per_sku = pd.DataFrame({"lost_units": [3]})
    >>> [f.status for f in reimbursement_checks(type("D", (), {"has": lambda self, t: False})(), R())]
    ['not checked', 'ok', 'warning']
    """
    ev = res.events
    settled = float((ev["found"] + ev["reimbursed"] + ev["owed"]).sum()) if len(ev) else 0.0
    lost = float(res.per_sku["lost_units"].sum()) if len(res.per_sku) else 0.0
    return [
        claims_mapping(res.claims["sku"] if len(res.claims) else [], _master_skus(data)),
        _finding(
            "claims_identity",
            settled != lost,
            settled,
            lost,
            f"the loss events settle {settled:,.0f} units (found, reimbursed or owed) but {lost:,.0f} were "
            "lost or damaged",
            f"every one of the {lost:,.0f} units lost or damaged is found, reimbursed or owed",
        ),
        *[Finding("coverage", "warning", None, None, n) for n in res.notes],
    ]
