"""The index page: headline cards, the to-do list, what changed since the last pack, the self-checks, the
trend chart and what was read."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from stockbook import display, history, i18n
from stockbook.report.headlines import HEADLINE_LABELS, KEY_CARDS, _fmt, _fmt_change, _whole

_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans CJK SC',sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem;line-height:1.4}h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.card{border:1px solid #ddd;border-radius:8px;
padding:.7rem 1rem;min-width:160px;color:inherit;text-decoration:none}.card b{display:block;font-size:1.5rem}
.card span{color:#555;font-size:.85rem}a.card:hover{border-color:#888}.small .card b{font-size:1.1rem}
ol.todo li{margin:.35rem 0}table{border-collapse:collapse;margin:.5rem 0}img.trend{max-width:100%}
td,th{border-bottom:1px solid #eee;padding:.3rem .8rem;text-align:left}th{white-space:nowrap}details{margin:.4rem 0}
.skipped{color:#8a6d3b}.failed{color:#b00020}@media print{.cards{break-inside:avoid}details{display:block}}
"""


#: the lists a seller acts on, in the order of the to-do list, named in words (the index's "Action lists")
ACTION_LISTS: dict[str, str] = {
    "purchase_plan": "Purchase plan: what to buy and ship, when, how much, by air or by sea",
    "purchase_decisions": "Lines the plan holds back: decide on price, cost or clearance",
    "reimbursement_claims": "Reimbursement cases to file with Amazon",
    "claims_and_investigations": "Problems to investigate in the ledgers",
    "aging_actions": "Aged stock: keep, discount or clear",
    "dead_stock": "Dead stock: stock with no sale",
    "mapping_problems": "SKU mapping problems to fix in the SKU master",
    "under_covered": "SKUs under the cover band: top up",
    "over_covered": "SKUs over the cover band: cash tied up",
    "ledger_breaks": "Ledger breaks to explain",
}


#: the other tables of a pack (what the pages show, for a spreadsheet), named in words
DATA_TABLES: dict[str, str] = {
    "abc": "ABC classes per SKU",
    "abc_xyz_matrix": "ABC–XYZ matrix and its policies",
    "turnover": "Turnover per SKU",
    "aging_buckets": "Units per age bucket",
    "aging_projection": "Holding cost over 30, 60, 90 days",
    "replenishment_policy": "Replenishment policy per SKU",
    "restock_check": "Against Amazon's Restock report",
    "backtest": "Weekly replay against other rules",
    "expired_reimbursement_claims": "Reimbursement cases whose window closed",
    "removal_shortfalls": "Removal orders short of their units",
    "disposed_without_order": "Units disposed of without a disposal order",
    "fee_overcharges": "Fulfilment fees above the fee tables' (ask for a re-measurement)",
    "inbound_pairs": "Shipments with one SKU short and another over",
}


def _rates_line(run: dict) -> str:
    """The exchange rates a report used, as one line for the index.

    >>> _rates_line({"fx_rates": [{"from_currency": "CNY", "to_currency": "USD", "rate_date": "2026-10-30",
    ...     "rate": 0.15031, "source": "ECB reference rate"}]})
    '1 CNY = 0.1503 USD (ECB reference rate of 2026-10-30)'
    """
    rows = run.get("fx_rates") or []
    if not rows:
        return i18n.tr("none needed: every amount is in the report's currency")
    return "; ".join(
        r["error"]
        if "error" in r
        else f"1 {r['from_currency']} = {float(r['rate']):.4g} {r['to_currency']} ({r['source']} of "
        f"{r['rate_date']})"
        for r in rows
    )


def todo_list(
    headlines: dict[str, dict[str, object]], tables: set[str], *, currency: str
) -> list[tuple[str, str, str | None]]:
    """What to do this month, most money first as the notebooks rank it: (sentence, the page that shows it,
    its XLSX list when there is one).

    >>> todo_list({"05_replenishment": {"skus_to_order_now": 3, "cash_needed": 1200.5, "units_by_air": 0}},
    ...           {"purchase_plan"}, currency="USD")  # doctest: +NORMALIZE_WHITESPACE
    [('Place the orders for 3 SKUs: 1,200.50 USD for goods and freight, 0 units by air.',
      '05_replenishment.html#purchase_plan', 'tables/purchase_plan.xlsx')]
    >>> todo_list({"03_turnover": {"dead_stock_skus_90d": 1}}, set(), currency="USD")[0][0]
    'Decide on 1 dead-stock SKU (stock, no sale in 90 days).'
    """
    h = {k: v for numbers in headlines.values() for k, v in numbers.items()}
    items: list[tuple[str, str, str | None]] = []

    def add(cond: bool, text: str, table: str | None, page: str, anchor: str | None = None) -> None:
        if cond:  # the link opens the section of the page that lists them
            items.append(
                (
                    text,
                    f"{page}#{anchor or table}",
                    f"tables/{table}.xlsx" if table and table in tables else None,
                )
            )

    def tr(
        template: str, **values: object
    ) -> str:  # every amount with its currency; "1 SKU", not "1 SKUs"
        return i18n.plural(i18n.tr(template, currency=currency, **values))

    # claims on Amazon are the reimbursement audit's one ledger; the ledgers' problems are investigations
    add(
        h.get("actions", 0) > 0,
        tr(
            "Investigate {n:,} problems from the ledgers ({value:,.2f} {currency} at cost in breaks).",
            n=h.get("actions", 0),
            value=h.get("break_value", 0),
        ),
        "claims_and_investigations",
        "01_ledger_reconciliation.html",
    )
    add(
        h.get("claims_to_file", 0) > 0,
        tr(
            "File {n:,} reimbursement cases with Amazon: {value:,.2f} {currency} owed, before their windows close.",
            n=h.get("claims_to_file", 0),
            value=h.get("recoverable_now", 0),
        ),
        "reimbursement_claims",
        "06_reimbursements.html",
    )
    unknown = h.get("lines_cost_unknown", 0) or 0
    add(
        h.get("skus_to_order_now", 0) > 0 and not unknown,
        tr(
            "Place the orders for {n:,} SKUs: {cash:,.2f} {currency} for goods and freight, {air:,} units by air.",
            n=h.get("skus_to_order_now", 0),
            cash=h.get("cash_needed") or 0,
            air=h.get("units_by_air", 0),
        ),
        "purchase_plan",
        "05_replenishment.html",
    )
    add(
        h.get("skus_to_order_now", 0) > 0 and unknown,
        tr(
            "Place the orders for {n:,} SKUs ({unknown:,} purchase lines without a unit cost: their goods are not in "
            "the {cash:,.2f} {currency} for goods and freight), {air:,} units by air.",
            n=h.get("skus_to_order_now", 0),
            unknown=unknown,
            cash=h.get("cash_needed") or 0,
            air=h.get("units_by_air", 0),
        ),
        "purchase_plan",
        "05_replenishment.html",
    )
    add(
        h.get("skus_at_risk", 0) > 0,
        tr(
            "Watch {n:,} SKUs that run out before a sea shipment sent today would land.",
            n=h.get("skus_at_risk", 0),
        ),
        None,
        "05_replenishment.html",
        "at_risk",
    )
    add(
        h.get("skus_to_clear", 0) > 0,
        tr(
            "Clear {n:,} aged SKUs: {cash:,.2f} {currency} back and {fees:,.2f} {currency} in fees avoided.",
            n=h.get("skus_to_clear", 0),
            cash=h.get("cash_from_clearing", 0),
            fees=h.get("fees_avoided", 0),
        ),
        "aging_actions",
        "04_aging_clearance.html",
    )
    add(
        h.get("dead_stock_skus_90d", 0) > 0,
        tr(
            "Decide on {n:,} dead-stock SKUs (stock, no sale in 90 days).",
            n=h.get("dead_stock_skus_90d", 0),
        ),
        "dead_stock",
        "03_turnover.html",
    )
    add(
        h.get("dead_stock_skus_data", 0) > 0,
        tr(
            "Decide on {n:,} dead-stock SKUs (stock, no sale in the {days:,} days of sales data).",
            n=h.get("dead_stock_skus_data", 0),
            days=h.get("dead_stock_days_seen", 0),
        ),
        "dead_stock",
        "03_turnover.html",
    )
    add(
        h.get("mapping_problems", 0) > 0,
        tr(
            "Fix the SKU mapping of {n:,} SKUs ({missing:,} of them missing from the SKU master: add them to 商品资料 / "
            "the SKU master file): data to correct, not claims.",
            n=h.get("mapping_problems", 0),
            missing=h.get("skus_missing_from_master", 0),
        ),
        "mapping_problems",
        "01_ledger_reconciliation.html",
        "mapping",
    )
    add(
        h.get("under_covered_skus", 0) > 0,
        tr("Top up {n:,} SKUs under the cover band.", n=h.get("under_covered_skus", 0)),
        "under_covered",
        "03_turnover.html",
    )
    return items


def _since_html(changes: history.Changes, *, currency: str, titles: dict[str, str]) -> str:
    """The index's "since the last pack" section: headline changes, new and resolved breaks and claims, class
    and age-tier changes, and the purchase plan's change."""
    e, tr = html.escape, i18n.tr
    h = changes.headlines
    table = pd.DataFrame(
        {
            "notebook": h["notebook"].map(lambda nb: titles.get(nb, nb)),
            "headline": [_fmt(k, 0, currency)[1] for k in h["key"]],
            "before": [
                _fmt(k, _whole(v), currency)[0] if v == v else ""
                for k, v in zip(h["key"], h["before"], strict=True)
            ],
            "now": [
                _fmt(k, _whole(v), currency)[0] if v == v else ""
                for k, v in zip(h["key"], h["now"], strict=True)
            ],
            "change": [
                _fmt_change(k, d, currency) for k, d in zip(h["key"], h["change"], strict=True)
            ],
        },
        dtype="string",
    )
    moved = table.loc[h["change"].fillna(0).ne(0).to_numpy()]
    plan = changes.plan

    def plan_figures(
        column: str, sign: str = ""
    ) -> list[str]:  # money for the costs, whole units otherwise
        return [
            f"{v:{sign},.2f} {currency}" if "cost" in m else f"{v:{sign},.0f}"
            for m, v in zip(plan["measure"], plan[column], strict=True)
        ]

    plan_rows = (
        pd.DataFrame(
            {
                "measure": plan["measure"].map(lambda m: tr(m.replace("_", " "))),
                "before": plan_figures("before"),
                "now": plan_figures("now"),
                "change": plan_figures("change", "+"),
            },
            dtype="string",
        )
        if len(plan)
        else pd.DataFrame()
    )

    def block(title: str, df: pd.DataFrame, cols: list[str] | None = None) -> str:
        if not len(df):
            return f"<h3>{e(title)}: {e(tr('none'))}</h3>"
        show = df[[c for c in cols if c in df.columns]] if cols else df
        return f"<h3>{e(title)}: {len(df):,}</h3>" + display.table_html(show, currency=currency)

    summary = tr(
        "{moved:,} of {all:,} headline numbers changed; {nb:,} new and {rb:,} resolved ledger breaks; "
        "{nc:,} new and {rc:,} resolved claims; {cls:,} SKUs changed ABC class; {tier:,} SKUs crossed into "
        "an older age tier; the purchase plan added {added:,} SKUs and dropped {dropped:,}.",
        moved=len(moved),
        all=len(table),
        nb=len(changes.new_breaks),
        rb=len(changes.resolved_breaks),
        nc=len(changes.new_claims),
        rc=len(changes.resolved_claims),
        cls=len(changes.class_changes),
        tier=len(changes.tier_changes),
        added=len(changes.plan_added),
        dropped=len(changes.plan_dropped),
    )
    break_cols = ["sku", "location", "period", "break_units", "break_value", "kind"]
    claim_cols = ["action", "kind", "sku", "where", "reference", "units", "value", "deadline"]
    parts = [
        f'<h2 id="since">{e(tr("Since the last pack (period ending {date})", date=changes.previous))}</h2>',
        f"<p>{e(summary)}</p>",
        block(tr("Headline numbers that changed"), moved),
        block(tr("New ledger breaks"), changes.new_breaks, break_cols),
        block(tr("Resolved ledger breaks"), changes.resolved_breaks, break_cols),
        block(tr("New claims"), changes.new_claims, claim_cols),
        block(tr("Resolved or no longer listed claims"), changes.resolved_claims, claim_cols),
        block(tr("SKUs that changed ABC class"), changes.class_changes),
        block(tr("SKUs whose oldest stock crossed into an older age tier"), changes.tier_changes),
        block(tr("The purchase plan"), plan_rows),
    ]
    if changes.plan_added or changes.plan_dropped:
        parts.append(
            f"<p>{e(tr('Added to the plan'))}: {e(', '.join(changes.plan_added) or tr('none'))}<br>"
            f"{e(tr('Dropped from the plan'))}: {e(', '.join(changes.plan_dropped) or tr('none'))}</p>"
        )
    return "".join(parts)


def trend_png(trend: pd.DataFrame, *, currency: str) -> str:
    """The packs' key figures as a small chart: a ``data:`` URI of the PNG ("" with fewer than two packs)."""
    import base64

    png = trend_chart(trend, currency=currency)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""


def trend_chart(trend: pd.DataFrame, *, currency: str) -> bytes:
    """The PNG of the packs' key figures (empty with fewer than two packs)."""
    if len(trend) < 2:
        return b""
    import io

    import matplotlib.pyplot as plt  # only the index of a second pack draws a chart: not imported otherwise

    from stockbook import plots

    series = []
    for _, key in KEY_CARDS:
        label = i18n.tr(HEADLINE_LABELS.get(key, (key, ""))[0])
        series.append(
            (
                key,
                f"{label} ({currency})"
                if "{:,.2f}" in HEADLINE_LABELS.get(key, ("", ""))[1]
                else label,
            )
        )
    fig = plots.pack_trend(trend, series=series)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _checks_html(found: dict[str, list[dict]], titles: dict[str, str]) -> str:
    """The self-checks on the index: every warning with the page it belongs to, or how many checks agree.

    >>> _checks_html({"02_abc_pareto": [{"check": "classes", "status": "warning", "message": "no SKU is in class A"}]},
    ...              {"02_abc_pareto": "ABC"})  # doctest: +ELLIPSIS
    '<h2 id="checks">Self-checks</h2><ul class="checks"><li class="failed">⚠ <a href="02_abc_pareto.html">ABC</a>: no SKU is in class A</li></ul>'
    """
    e, tr = html.escape, i18n.tr
    fired = [(nb, f) for nb, fs in found.items() for f in fs if f.get("status") == "warning"]
    agreed = sum(f.get("status") == "ok" for fs in found.values() for f in fs)
    if not fired and not agreed:
        return ""
    if not fired:
        return (
            f'<h2 id="checks">{e(tr("Self-checks"))}</h2><p class="sub">'
            f"{e(tr('Every headline agrees with its independent check ({n:,} checks).', n=agreed))}</p>"
        )
    items = "".join(
        '<li class="failed">⚠ '
        + (
            f'<a href="{e(nb)}.html">{e(titles.get(nb, nb))}</a>'
            if nb != "inputs"
            else e(tr("Inputs"))
        )
        + f": {e(i18n.sentence(str(f.get('message', ''))))}</li>"
        for nb, f in fired
    )
    return f'<h2 id="checks">{e(tr("Self-checks"))}</h2><ul class="checks">{items}</ul>'


def _index_html(
    run: dict,
    results: list[dict],
    headlines: dict[str, dict[str, object]],
    tables_dir: Path,
    *,
    changes: history.Changes | None = None,
    trend: pd.DataFrame | None = None,
    shared_assets: bool = True,
) -> str:
    """The index page, in the language ``i18n.speaking`` set (headline cards, to-do list, notebooks, inputs)."""
    e, tr = html.escape, i18n.tr
    currency = str(run.get("parameters", {}).get("reporting_currency", "USD"))
    ran = {r["notebook"] for r in results if r["status"] != "skipped"}
    key_cards = []
    for nb, key in KEY_CARDS:
        if key in headlines.get(nb, {}) and nb in ran:
            value, label = _fmt(key, headlines[nb][key], currency)
            key_cards.append(
                f'<a class="card" href="{e(nb)}.html"><b>{e(value)}</b><span>{e(label)}</span></a>'
            )
    tables = {p.stem for p in tables_dir.glob("*.csv")}
    todo = "".join(
        f'<li><a href="{e(page)}">{e(text)}</a>'
        + (f' (<a href="{e(xlsx)}">{e(tr("list"))} XLSX</a>)' if xlsx else "")
        + "</li>"
        for text, page, xlsx in todo_list(headlines, tables, currency=currency)
    )
    titles = {r["notebook"]: tr(r["title"]) for r in results}
    details = []
    for nb, numbers in headlines.items():
        cards = "".join(
            f'<div class="card"><b>{e(v)}</b><span>{e(lab)}</span></div>'
            for v, lab in (_fmt(k, x, currency) for k, x in numbers.items())
        )
        details.append(
            f'<details><summary><a href="{e(nb)}.html">{e(titles.get(nb, nb))}</a>: '
            f'{e(tr("every number"))}</summary><div class="cards small">{cards}</div></details>'
        )
    rows = []
    for r in results:
        title = titles[r["notebook"]]
        link = (
            f'<a href="{e(r["notebook"])}.html">{e(title)}</a>'
            if r["status"] != "skipped"
            else e(title)
        )
        rows.append(
            f'<tr><td>{link}</td><td class="{e(r["status"])}">{e(tr(r["status"]))}</td>'
            f"<td>{e(i18n.sentence(r.get('why', '')))}</td></tr>"
        )
    written = sorted(p.stem for p in tables_dir.glob("*.csv"))
    action_lists = "".join(
        f'<li><a href="tables/{e(stem)}.xlsx">{e(tr(label))}</a> (<a href="tables/{e(stem)}.csv">csv</a>)</li>'
        for stem, label in ACTION_LISTS.items()
        if stem in written
    )
    other = [stem for stem in written if stem not in ACTION_LISTS]
    data_tables = "".join(
        f'<li><a href="tables/{e(stem)}.xlsx">{e(tr(DATA_TABLES.get(stem, stem.replace("_", " "))))}</a> '
        f'(<a href="tables/{e(stem)}.csv">csv</a>)</li>'
        for stem in other
    )
    files = "".join(
        f'<tr><td>{e(str(f["file"]))}</td><td class="{"failed" if f["status"] == "error" else ""}">'
        f"{e(tr('refused') if f['status'] == 'error' else str(f['format']))}</td><td>{f['rows_in']:,}</td>"
        f"<td>{f['rows_kept']:,}</td><td>{f['rows_quarantined']:,}</td><td>{e(i18n.sentence(str(f.get('note') or '')))}</td></tr>"
        for f in run["inputs"]
    )
    nothing = (
        tr("No input could be used: each refused file and why is listed under Inputs.")
        if not run.get("usable_inputs", 1)
        else tr("Nothing urgent in this data.")
    )
    sub = e(
        tr(
            "data: {name} · {files} input files · {rows:,} rows quarantined",
            name=Path(run["data_dir"]).name,
            files=len(run["inputs"]),
            rows=run["quarantined_rows"],
        )
    )
    th = "".join(
        f"<th>{e(tr(h))}</th>"
        for h in ("file", "format", "rows read", "kept", "quarantined", "note")
    )
    since = _since_html(changes, currency=currency, titles=titles) if changes is not None else ""
    chart = trend_png(trend, currency=currency) if trend is not None else ""
    if chart:
        since += (
            f'<h2 id="trend">{e(tr("Key figures by report pack"))}</h2><img class="trend" src="{chart}" '
            f'alt="{e(tr("Chart: key figures by report pack"))}">'
        )
    tables_js = display.page_script(shared_assets=shared_assets) if "sb-long" in since else ""
    none_item = f"<li>{e(tr('none'))}</li>"
    behind = e(tr("The tables behind the pages"))
    tables_behind = (
        f"<details><summary>{behind}</summary><ul>{data_tables}</ul></details>"
        if data_tables
        else ""
    )
    return f"""<!doctype html>
<html lang="{"zh-CN" if i18n.language() == "zh" else "en"}"><head><meta charset="utf-8">
<title>stockbook {e(run["period_end"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}{
        display.TABLE_CSS
    }</style></head>
<body><h1>{e(tr("Inventory report — period ending {date}", date=run["period_end"]))}</h1>
<p class="sub">{sub} (<a href="quarantine.csv">quarantine.csv</a>)</p>
<div class="cards">{"".join(key_cards)}</div>
<h2>{e(tr("What to do this month"))}</h2><ol class="todo">{todo or f"<li>{e(nothing)}</li>"}</ol>
{_checks_html(run.get("checks") or {}, titles)}
<h2>{e(tr("Notebooks"))}</h2><table><tr><th>{e(tr("notebook"))}</th><th>{e(tr("status"))}</th><th>{
        e(tr("note"))
    }</th></tr>
{"".join(rows)}</table>
{"".join(details)}
{since}
<h2>{e(tr("Action lists"))}</h2><ul>{action_lists or none_item}</ul>
{tables_behind}
<p class="sub">{e(tr("Exchange rates"))}: {e(i18n.sentence(_rates_line(run)))}</p>
<h2>{e(tr("Inputs"))}</h2><table><tr>{th}</tr>
{files}</table><p class="sub">{
        e(tr("Parameters, input hashes and versions:"))
    } <a href="run.json">run.json</a></p>
{tables_js}</body></html>
"""
