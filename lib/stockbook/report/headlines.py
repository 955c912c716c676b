"""The headline catalogue: each notebook's headline numbers, their labels, units and formatting, written
to and read from the report's tables folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from stockbook import i18n

#: the headline numbers shown on the index, per notebook: key -> (label, format)
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "breaks": ("ledger breaks (all history)", "{:,}"),
    "breaks_this_month": ("breaks in the report month", "{:,}"),
    "break_value": ("value of breaks at cost", "{:,.2f}"),
    "inbound_shortfall_units": ("units short on closed inbound shipments", "{:,}"),
    "count_differences": ("counts that differ from book", "{:,}"),
    "mapping_problems": ("SKUs with mapping problems", "{:,}"),
    "skus_missing_from_master": ("ledger SKUs missing from the SKU master", "{:,}"),
    "actions": ("problems to investigate in the ledgers", "{:,}"),
    "a_skus": ("A-class SKUs", "{:,}"),
    "a_sku_share": ("share of SKUs in class A", "{:.0%}"),
    "a_value_share": ("share of revenue from class A", "{:.0%}"),
    "dead_stock_skus": ("SKUs with stock and no sale in the window", "{:,}"),
    "dead_stock_value": ("value of that dead stock at cost", "{:,.2f}"),
    "turnover_annual": ("inventory turnover per year", "{:.2f}×"),
    "days_of_inventory": ("days of inventory", "{:,.0f}"),
    "cash_tied_up": ("cash tied up in stock at cost", "{:,.2f}"),
    "skus_stock_without_cost": (
        "SKUs holding stock without a known unit cost (not in the cash tied up)",
        "{:,}",
    ),
    "dead_stock_skus_90d": ("dead stock SKUs (no sale in 90 days)", "{:,}"),
    "dead_stock_skus_data": ("dead stock SKUs (no sale on any day of the sales data)", "{:,}"),
    "dead_stock_days_seen": ("days of sales data the dead-stock count is said of", "{:,}"),
    "a_units_share": ("share of units sold from class A", "{:.0%}"),
    "a_gross_profit_share": ("share of gross profit from class A", "{:.0%}"),
    "a_cogs_share": ("share of cost of sales from class A", "{:.0%}"),
    "under_covered_skus": ("SKUs under the cover band", "{:,}"),
    "over_covered_skus": ("SKUs over the cover band", "{:,}"),
    "ipi_excess_share": ("IPI: share of FBA units in excess", "{:.1%}"),
    "ipi_excess_share_change": ("IPI: excess share, change since last month", "{:+.1%}"),
    "ipi_sell_through": ("IPI: sell-through (90 days)", "{:.2f}"),
    "ipi_sell_through_change": ("IPI: sell-through, change since last month", "{:+.2f}"),
    "ipi_in_stock_rate": ("IPI: in-stock rate (30 days)", "{:.1%}"),
    "ipi_in_stock_rate_change": ("IPI: in-stock rate, change since last month", "{:+.1%}"),
    "fba_units": ("units at FBA", "{:,}"),
    "aged_units_181_plus": ("FBA units aged 181+ days", "{:,}"),
    "storage_fee_next_month": ("storage fee next month", "{:,.2f}"),
    "surcharge_exposure_90d": ("aged surcharge on all FBA stock in the next 90 days", "{:,.2f}"),
    "skus_to_clear": ("aged SKUs to clear", "{:,}"),
    "cash_from_clearing": ("cash from clearing them", "{:,.2f}"),
    "fees_avoided": (
        "storage and surcharge the recommended clearances avoid (keep-or-clear horizon)",
        "{:,.2f}",
    ),
    "skus_volume_unknown": (
        "SKUs at FBA without a volume (their storage fees cannot be projected)",
        "{:,}",
    ),
    "skus_to_order_now": ("SKUs to reorder now", "{:,}"),
    "skus_at_risk": ("SKUs at risk of stock-out before the next arrival", "{:,}"),
    "cash_needed": ("cash needed for orders and freight", "{:,.2f}"),
    "units_by_air": ("units to send by air", "{:,}"),
    "units_on_order": ("units on order with suppliers (open purchase orders)", "{:,}"),
    "lines_at_a_loss": ("order lines that would sell at a loss", "{:,}"),
    "lines_held_back": ("lines held back: at a loss or an MOQ bought too early", "{:,}"),
    "lines_cost_unknown": (
        "purchase lines whose goods cost is unknown (not in the cash needed)",
        "{:,}",
    ),
    "lines_margin_unknown": ("order lines whose margin is unknown (no price or cost)", "{:,}"),
    "claims_to_file": ("reimbursement cases to file now", "{:,}"),
    "recoverable_now": ("money Amazon owes, to claim now", "{:,.2f}"),
    "claims_opening_later": ("cases whose claim window opens later", "{:,}"),
    "claims_waiting": (
        "losses younger than Amazon's waiting period (it pays or finds most)",
        "{:,}",
    ),
    "reimbursed_this_month": ("reimbursed by Amazon in the report month", "{:,.2f}"),
    "lost_to_expired_windows": ("money lost to closed reimbursement windows", "{:,.2f}"),
}


def _read_headlines(tables: Path) -> dict[str, dict[str, object]]:
    out = {}
    for p in sorted(tables.glob("headlines_*.json")):
        out[p.stem.removeprefix("headlines_")] = json.loads(p.read_text(encoding="utf-8"))
        p.unlink()
    return out


def write_headlines(name: str, numbers: dict[str, object], tables_dir: str | Path | None) -> None:
    """Called by a notebook: hand its headline numbers to the report index."""
    if not tables_dir or str(tables_dir) == "none":
        return
    Path(tables_dir).mkdir(parents=True, exist_ok=True)
    (Path(tables_dir) / f"headlines_{name}.json").write_text(
        json.dumps(numbers, sort_keys=True), encoding="utf-8"
    )


#: the cards the index opens with, in this order: (notebook, headline key)
KEY_CARDS: tuple[tuple[str, str], ...] = (
    ("01_ledger_reconciliation", "break_value"),
    ("01_ledger_reconciliation", "breaks"),
    ("02_abc_pareto", "a_value_share"),
    ("02_abc_pareto", "a_units_share"),
    ("03_turnover", "turnover_annual"),
    ("03_turnover", "cash_tied_up"),
    ("04_aging_clearance", "surcharge_exposure_90d"),
    ("04_aging_clearance", "storage_fee_next_month"),
    ("05_replenishment", "skus_to_order_now"),
    ("05_replenishment", "skus_at_risk"),
    ("05_replenishment", "cash_needed"),
    ("06_reimbursements", "recoverable_now"),
)


def _fmt(key: str, value: object, currency: str) -> tuple[str, str]:
    """A headline's value and label; an amount of money carries the report's currency (fees included: each
    marketplace's fee tables are converted to it).

    >>> _fmt("break_value", 1234.5, "CNY"), _fmt("breaks", 6, "CNY")
    (('1,234.50 CNY', 'value of breaks at cost'), ('6', 'ledger breaks (all history)'))
    """
    label, fmt = HEADLINE_LABELS.get(key, (key.replace("_", " "), "{}"))
    label = i18n.tr(label)
    if value is None or (isinstance(value, float) and value != value):
        return "", label
    try:
        text = no_signed_zero(fmt.format(value))
    except (ValueError, TypeError):
        return str(value), label
    if "{:,.2f}" in fmt:  # money (a turnover "{:.2f}×" or a sell-through "{:.2f}" is not)
        text += " " + currency
    return text, label


def no_signed_zero(text: str) -> str:
    """A number that rounds to zero shown without a sign: a change of −0.0004 is "0.0%", not "-0.0%".

    >>> no_signed_zero("-0.0%"), no_signed_zero("+0.00"), no_signed_zero("-0.0 pp"), no_signed_zero("-0.5%")
    ('0.0%', '0.00', '0.0 pp', '-0.5%')
    """
    return re.sub(r"^[+\-−](?=0(?:\.0+)?(?:%|\s|×|$))", "", text)


def headline_table(headlines: dict[str, object], *, currency: str) -> pd.DataFrame:
    """A notebook's headline numbers as the index shows them: each labelled, formatted, money with its currency.

    >>> headline_table({"breaks": 6, "break_value": 1234.5}, currency="CNY").values.tolist()
    [['ledger breaks (all history)', '6'], ['value of breaks at cost', '1,234.50 CNY']]
    """
    rows = [_fmt(k, v, currency) for k, v in headlines.items()]
    return pd.DataFrame(
        {"headline": [label for _, label in rows], "figure": [value for value, _ in rows]},
        dtype="string",
    )


def _whole(value: object) -> object:
    """A float that holds a whole number as an int (a count read back from run.json prints as 6, not 6.0)."""
    return (
        int(value) if isinstance(value, float) and value == value and value.is_integer() else value
    )


def _fmt_change(key: str, delta: float, currency: str) -> str:
    """A headline's change since the last pack, signed, in the headline's unit (shares in percentage points).

    >>> _fmt_change("break_value", -12.5, "USD"), _fmt_change("a_value_share", 0.031, "USD"), _fmt_change("breaks", 2.0, "USD")
    ('-12.50 USD', '+3.1 pp', '+2')
    """
    if delta != delta:  # NaN: one of the two packs has no such number
        return ""
    fmt = HEADLINE_LABELS.get(key, ("", "{}"))[1]
    if "{:,.2f}" in fmt:
        return no_signed_zero(f"{delta:+,.2f}") + f" {currency}"
    if "%" in fmt:
        return no_signed_zero(f"{delta * 100:+.1f} pp")
    if "×" in fmt:
        return no_signed_zero(f"{delta:+.2f}×")
    return no_signed_zero(
        f"{delta:+,.0f}" if float(delta).is_integer() or "{:," in fmt else f"{delta:+,.2f}"
    )
