"""Tables for people: the one formatting layer every table a notebook shows goes through.

A notebook ends a cell with a DataFrame as usual; ``use_tables(currency=…, catalog=…)`` (called once after the
parameters) makes IPython show every DataFrame through ``table_html``:

* headers in words, in the report's language (``header_text``): ``stock_value`` → "Stock value (USD)" or
  "库存金额（USD）";
* no 0…n index column (a named index becomes a column);
* each column formatted by its kind (``column_kind``): money with thousands and cents (none for yen) and its
  currency in the header (or in the cell, when the table has a ``currency`` column); shares as 12.3 %; whole
  units; days without decimals; dates as YYYY-MM-DD; yes/no for True/False; blanks for missing values;
* fixed vocabularies in Chinese in a Chinese report (``i18n.translate_values``);
* the product's title and ASIN beside the SKU (from ``catalog``), SKUs and ids never wrapped, long text wrapped,
  never cut;
* every row, up to ``MAX_ROWS`` (a longer table says how many rows it shows and where the whole one is).

Tables of more than ``PAGE_ROWS`` rows are marked ``sb-long``: in a report page they become searchable,
sortable and paginated by DataTables (the bundle itables ships, embedded once per page by ``page_script``, so
the page needs no network). Each cell carries its sort key in ``data-order``, so a formatted amount still sorts
as a number. Every cell is HTML-escaped here; the browser only ever sees text.

>>> df = pd.DataFrame({"sku": ["A-1"], "stock_value": [1234.5], "sell_through": [0.1234], "late": [True]})
>>> for_people(df, currency="USD").to_dict("records")
[{'SKU': 'A-1', 'Stock value (USD)': '1,234.50', 'Sell-through': '12.3%', 'Late': 'yes'}]
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from itables import options as itables_options
from itables.javascript import (
    _itables_ready_event,
    _itables_underscore_version,
    generate_init_offline_itables_html,
)

from stockbook import i18n
from stockbook.export import PERCENT_COLUMNS, is_money
from stockbook.schema import AGE_BUCKETS

Kind = Literal["money", "share", "units", "days", "weeks", "number", "date", "flag", "code", "text"]

#: rows shown in a page; a longer table shows its first rows in its own order and says so
MAX_ROWS = 1000
#: a table longer than this gets search, sort and pages in a report page
PAGE_ROWS = 10

#: columns holding identifiers: never wrapped, never translated
CODE_COLUMNS = frozenset(
    {
        "sku",
        "msku",
        "asin",
        "fnsku",
        "po_number",
        "reference",
        "shipment_id",
        "order_id",
        "marketplace",
        "currency",
        "fulfillment_center",
        "fc",
        "reimbursement_id",
        "case_id",
        "abc_class",
        "xyz_class",
        "class",
        "month",
        "period",
        "file",
        "source_file",
    }
)
#: words that make a number column a count of units (whole numbers)
UNIT_WORDS = (
    "units",
    "qty",
    "quantity",
    "skus",
    "lines",
    "orders",
    "count",
    "found",
    "lost",
    "reimbursed",
    "available",
    "inbound",
    "domestic",
    "reserved",
    "stock",
    "ordered",
    "open",
    "shipped",
    "safety_stock",
    "reorder_point",
    "order_up_to",
    "position",
    "capacity_cut",
    "difference",
    "aged",
    "inv_age",
    "expired",
    "breaks",
    "claims",
)
#: …unless the name says it is an average or a rate (then one decimal)
FRACTION_WORDS = (
    "avg",
    "average",
    "rate",
    "per_",
    "_per",
    "mean",
    "sigma",
    "index",
    "cv",
    "turnover",
    "ratio",
    "weeks",
    "forecast",
)
DAY_WORDS = (
    "days",
    "lead",
    "_age",
    "age_",
    "production",
    "handling",
    "line_haul",
    "customs",
    "check_in",
    "transit_sd",
)

#: the English words of a header that are written otherwise than sentence case
_WORDS_EN = {
    "sku": "SKU",
    "skus": "SKUs",
    "asin": "ASIN",
    "fnsku": "FNSKU",
    "fba": "FBA",
    "abc": "ABC",
    "xyz": "XYZ",
    "po": "PO",
    "ipi": "IPI",
    "fc": "FC",
    "id": "id",
    "cv": "CV",
    "qty": "quantity",
    "avg": "average",
    "7d": "7 d",
    "30d": "30 d",
    "60d": "60 d",
    "90d": "90 d",
    "t7": "(7 d)",
    "t30": "(30 d)",
    "t60": "(60 d)",
    "t90": "(90 d)",
    "cogs": "COGS",
    "adi": "ADI",
    "sd": "SD",
    "ais": "AIS",
    "sba": "SBA",
    "pct": "%",
    "usd": "USD",
    "cny": "CNY",
}
_HEADERS_EN = {
    "sell_through": "Sell-through",
    "title": "Title",
    "why": "Why",
    "at_risk": "At risk",
    "value": "Value",
    **{
        b: f"Aged {lo}–{hi} days" if hi is not None else f"Aged {lo - 1}+ days"
        for b, (lo, hi) in AGE_BUCKETS.items()
    },
}


def column_kind(name: str, s: pd.Series) -> Kind:
    """What a column holds, from its name and type: the kind decides its format.

    >>> kinds = {"stock_value": [1.5], "fill_rate": [0.9], "order_qty": [3.0], "daily_rate": [0.5],
    ...          "days_of_cover": [12.4], "weeks_of_cover": [3.25], "seasonal_index": [1.1], "sku": ["A"],
    ...          "why": ["text"], "at_risk": [True], "deadline": pd.to_datetime(["2026-01-02"])}
    >>> {n: column_kind(n, pd.Series(v)) for n, v in kinds.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'stock_value': 'money', 'fill_rate': 'share', 'order_qty': 'units', 'daily_rate': 'number',
     'days_of_cover': 'days', 'weeks_of_cover': 'weeks', 'seasonal_index': 'number', 'sku': 'code',
     'why': 'text', 'at_risk': 'flag', 'deadline': 'date'}
    """
    n = str(name).lower()
    if pd.api.types.is_bool_dtype(s):
        return "flag"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    if not pd.api.types.is_numeric_dtype(s):
        return "code" if n in CODE_COLUMNS else "text"
    if any(k in n for k in PERCENT_COLUMNS):
        return "share"
    if is_money(n, s.astype("float64")):
        return "money"
    if "weeks" in n:
        return "weeks"
    if any(w in n for w in DAY_WORDS):
        return "days"
    if any(w in n for w in FRACTION_WORDS):
        return "number"
    if pd.api.types.is_integer_dtype(s) or any(w in n for w in UNIT_WORDS):
        return "units"
    return "number"


def header_text(name: object, kind: Kind = "text", *, currency: str | None = None) -> str:
    """A column's header in words, in the current language, with the currency of a money column.

    >>> header_text("stock_value", "money", currency="USD"), header_text("days_of_cover"), header_text("sku")
    ('Stock value (USD)', 'Days of cover', 'SKU')
    >>> header_text("rate_naive_30d"), header_text("abc_class")
    ('Rate naive 30 d', 'ABC class')
    """
    raw = str(name)
    if i18n.language() == "zh":
        text = str(i18n.header(raw))
        unit = f"（{currency}）" if kind == "money" and currency else ""
        return text + unit
    text = _HEADERS_EN.get(raw)
    if text is None:
        words = [_WORDS_EN.get(w, w) for w in raw.split("_") if w]
        text = " ".join(words) or raw
        text = text[:1].upper() + text[1:]
    return text + (f" ({currency})" if kind == "money" and currency else "")


def _escape(s: pd.Series) -> pd.Series:
    """HTML-escaped text of a string Series (vectorised)."""
    return (
        s.str.replace("&", "&amp;", regex=False)
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
        .str.replace('"', "&quot;", regex=False)
        .str.replace("'", "&#x27;", regex=False)
    )


def _numbers(s: pd.Series, spec: str) -> pd.Series:
    """Numbers as text with ``spec`` (thousands separators); missing values blank."""
    v = pd.to_numeric(s, errors="coerce").astype("float64")
    out = pd.Series(
        [format(x, spec) if np.isfinite(x) else "" for x in v.to_numpy()],
        index=s.index,
        dtype="string",
    )
    return out.str.replace("-0%", "0%", regex=False).where(
        ~out.isin(["-0", "-0.0", "-0.00"]), out.str[1:]
    )


def format_values(
    s: pd.Series, kind: Kind, *, currency: str | pd.Series | None = None
) -> pd.Series:
    """The column's cells as the text a person reads. ``currency`` is one code (it goes in the header) or a
    Series of codes, one per row (it goes in each cell); yen has no cents.

    >>> format_values(pd.Series([1234.567, None]), "money").tolist()
    ['1,234.57', '']
    >>> format_values(pd.Series([1234.5, 99.0]), "money", currency=pd.Series(["JPY", "USD"])).tolist()
    ['1,234 JPY', '99.00 USD']
    >>> format_values(pd.Series([0.1234]), "share").tolist(), format_values(pd.Series([26.9137]), "days").tolist()
    (['12.3%'], ['27'])
    >>> format_values(pd.Series([26.9137, 3.5]), "days").tolist()  # a half day is not rounded away
    ['26.9', '3.5']
    >>> format_values(pd.Series([True, False, None], dtype="boolean"), "flag").tolist()
    ['yes', 'no', '']
    >>> format_values(pd.to_datetime(pd.Series(["2026-10-31", None])), "date").tolist()
    ['2026-10-31', '']
    """
    if kind == "money":
        codes = (
            currency
            if isinstance(currency, pd.Series)
            else pd.Series(currency or "", index=s.index)
        )
        yen = codes.astype("string").fillna("").eq("JPY").to_numpy()
        text = _numbers(s, ",.2f").where(~yen, _numbers(s, ",.0f"))
        if isinstance(currency, pd.Series):
            code = codes.astype("string").fillna("")
            text = (text + " " + code).where(text.ne("") & code.ne(""), text)
        return text
    if kind == "share":
        return _numbers(s, ".1%")
    if (
        kind == "days"
    ):  # whole days; a column of short spans with halves (check-in 3.5 days) keeps one decimal
        v = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
        short = np.isfinite(v) & (np.abs(v) < 10) & (np.round(v, 1) != np.round(v))
        return _numbers(s, ",.1f" if short.any() else ",.0f")
    if kind == "units":
        return _numbers(s, ",.0f")
    if kind == "weeks":
        return _numbers(s, ",.1f")
    if kind == "number":
        return _numbers(s, ",.2f")
    if kind == "date":
        d = pd.to_datetime(s, errors="coerce")
        return d.dt.strftime("%Y-%m-%d").astype("string").fillna("")
    if kind == "flag":
        yes, no = (i18n.tr("yes"), i18n.tr("no"))
        b = s.astype("boolean")
        return pd.Series(
            np.where(b.isna(), "", np.where(b.fillna(False), yes, no)),
            index=s.index,
            dtype="string",
        )
    text = s.astype("string").fillna("")
    return text.str.replace("<NA>", "", regex=False).where(text.ne("nan"), "")


def sort_keys(s: pd.Series, kind: Kind) -> pd.Series | None:
    """What a formatted column sorts by in the page (its numbers or ISO dates); None for text."""
    if kind in ("money", "share", "units", "days", "weeks", "number"):
        v = pd.to_numeric(s, errors="coerce").astype("float64")
        return (
            pd.Series(np.where(np.isfinite(v), v, -1e300), index=s.index).map(repr).astype("string")
        )
    if kind == "flag":
        return s.astype("boolean").fillna(False).astype(int).astype("string")
    return None


def with_products(df: pd.DataFrame, catalog: pd.DataFrame | None) -> pd.DataFrame:
    """``df`` with the product's ``title`` and ``asin`` right after its ``sku`` (from ``catalog``, one row per
    SKU), where the table has a SKU column and not those already.

    >>> cat = pd.DataFrame({"sku": ["A"], "title": ["Mug"], "asin": ["B0001"]})
    >>> with_products(pd.DataFrame({"sku": ["A", "Z"], "units": [1, 2]}), cat).values.tolist()
    [['A', 'Mug', 'B0001', 1], ['Z', nan, nan, 2]]
    """
    if catalog is None or "sku" not in df.columns or catalog.empty:
        return df
    add = [c for c in ("title", "asin") if c in catalog.columns and c not in df.columns]
    if not add:
        return df
    lookup = catalog.drop_duplicates("sku").set_index("sku")
    at = list(df.columns).index("sku") + 1
    out = df.copy()
    for i, c in enumerate(add):
        out.insert(at + i, c, df["sku"].map(lookup[c]).astype(object))
    return out


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with a meaningful index as columns and a 0…n index dropped; headers as text."""
    if isinstance(df.index, pd.RangeIndex) or (
        df.index.name is None and pd.api.types.is_integer_dtype(df.index)
    ):
        out = df.reset_index(drop=True)
    elif (
        df.index.name is None
        and len(df.index)
        and all(isinstance(v, str) and (v in _HEADERS_EN or v in i18n.COLUMNS_ZH) for v in df.index)
    ):
        out = df.reset_index(
            names=" "
        )  # row labels that are column names (inv_age_0_to_90_days): in words
        out[" "] = [header_text(v) for v in out[" "]]
    else:
        names = [n if n is not None else "" for n in df.index.names]
        out = df.reset_index(names=names if len(names) > 1 else (names[0] or " "))
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" · ".join(str(p) for p in c if str(p)) for c in out.columns]
    out.columns = [str(c) for c in out.columns]
    return out.loc[:, ~pd.Index(out.columns).duplicated()]


def _cells(
    df: pd.DataFrame, *, currency: str | None
) -> tuple[list[str], list[Kind], dict[str, pd.Series], dict[str, pd.Series | None]]:
    row_currency = df["currency"] if "currency" in df.columns else None
    heads, kinds, text, keys = [], [], {}, {}
    vocab = i18n.translate_values(df)
    for c in df.columns:
        kind = column_kind(c, df[c])
        cur = row_currency if (kind == "money" and row_currency is not None) else currency
        heads.append(header_text(c, kind, currency=cur if isinstance(cur, str) else None))
        kinds.append(kind)
        cells = vocab[c] if kind in ("text", "code") else df[c]
        if (
            kind == "text" and c not in DATA_TEXT and c not in i18n.VOCABULARY_COLUMNS
        ):  # the library's sentences
            cells = i18n.sentences(cells.astype("string"))
        text[c] = format_values(cells, kind, currency=cur)
        keys[c] = sort_keys(df[c], kind)
    return heads, kinds, text, keys


def for_people(
    df: pd.DataFrame, *, currency: str | None = None, catalog: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The table as a person reads it: headers in words, every cell formatted text (see the module text)."""
    df = with_products(_plain_frame(df), catalog)
    heads, _, text, _ = _cells(df, currency=currency)
    return pd.DataFrame({h: text[c].tolist() for h, c in zip(heads, df.columns, strict=True)})


#: a table of more columns than this shows the ones a seller decides with; the rest are behind its "Columns"
#: button (every column stays in the CSV/XLSX and in the search)
WIDE_COLUMNS = 9

#: columns of text that is the seller's own data (a product's title), shown as written in every language
DATA_TEXT = frozenset(
    {
        "title",
        "product_name",
        "supplier",
        "category",
        "location",
        "destination",
        "origin",
        "file",
        "source_file",
        "note_from_file",
    }
)

#: columns written for Amazon's Seller Support (a case's text): in English whatever the pack's language
FOR_AMAZON = frozenset({"case_text"})

#: columns of sentences (a reason, a warning, a case's evidence): the widest column of their table, wrapped at words
PROSE = r"(^why$|warning|detail|evidence|case_text|reason|message|^note|explanation|stance)"

#: what a seller decides with, most needed first: the SKU and its name, the quantity and what kind of line it is,
#: the mode and the dates, the money, one short reason; everything else after
_PRIORITY: tuple[tuple[str, int], ...] = (
    (r"^(sku|msku)$", 0),
    (r"^title$", 1),
    (r"^(kind|action|recommended_action|status|cover_status)$", 2),
    (r"(order_qty|^units$|_units$|^qty|quantity)", 3),
    (r"^mode$", 3),
    (r"(order_date|arrival_date|deadline|ship_by)", 4),
    (r"^(why|reason|detail)$", 4),
    (
        r"(goods_cost|margin_per_unit|^value$|amount|owed|stock_value|excess_value|short_value|net_value|cash)",
        5,
    ),
    (r"(stockout_date|freight_cost|^warning$)", 6),
    (r"(weeks_of_cover|days_of_cover)", 7),
)


def column_priority(name: object) -> int:
    """How much a seller needs a column to decide (0 = most), by its name.

    >>> [column_priority(c) for c in ("sku", "title", "order_qty", "why", "cubic_feet")]
    [0, 1, 3, 4, 20]
    """
    n = str(name).lower()
    return next((p for rx, p in _PRIORITY if re.search(rx, n)), 20)


def shown_columns(columns: list[str], *, limit: int = WIDE_COLUMNS) -> list[bool]:
    """Which columns a wide table shows at first: the ``limit`` a seller needs most (ties in the table's own
    order); all of them when the table is not wider than that.

    >>> shown_columns(["sku", "asin", "order_qty", "cubic_feet", "why"], limit=3)
    [True, False, True, False, True]
    """
    if len(columns) <= limit:
        return [True] * len(columns)
    ranked = sorted(range(len(columns)), key=lambda i: (column_priority(columns[i]), i))[:limit]
    return [i in ranked for i in range(len(columns))]


def table_html(
    df: pd.DataFrame,
    *,
    currency: str | None = None,
    catalog: pd.DataFrame | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """The HTML of a table for people (see the module text); every cell escaped.

    >>> html = table_html(pd.DataFrame({"sku": ["<b>x</b>"], "units": [1200]}))
    >>> "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html, "1,200" in html
    (True, True)
    """
    df = _plain_frame(df)
    total = len(df)
    shown = df.head(max_rows)
    shown = with_products(shown, catalog)
    heads, kinds, text, keys = _cells(shown, currency=currency)
    visible = shown_columns([str(c) for c in shown.columns])
    classes = [
        f"sb-{k}"
        + (" sb-prose" if k == "text" and re.search(PROSE, str(c)) else "")
        + (" sb-data" if str(c) in DATA_TEXT else "")
        for c, k in zip(shown.columns, kinds, strict=True)
    ]
    head = "".join(
        f'<th class="{cl}"' + ("" if v else ' data-more="1"') + f">{h}</th>"
        for h, cl, v in zip(
            _escape(pd.Series(heads, dtype="string")), classes, visible, strict=True
        )
    )
    rows = pd.Series("<tr>", index=shown.index, dtype="string")
    for c, cl in zip(shown.columns, classes, strict=True):
        order = keys[c]
        attr = (' data-order="' + order + '"') if order is not None else ""
        lang = ' lang="en"' if str(c) in FOR_AMAZON else ""
        rows = rows + f'<td class="{cl}"' + attr + lang + ">" + _escape(text[c]) + "</td>"
    body = "".join((rows + "</tr>").tolist())
    if not len(shown):  # an empty table says so under its headers
        body = f'<tr><td colspan="{len(heads)}" class="sb-text">{i18n.tr("no rows")}</td></tr>'
    long = (" sb-long" if len(shown) > PAGE_ROWS else "") + ("" if all(visible) else " sb-wide")
    digest = hashlib.sha1((head + body).encode("utf-8")).hexdigest()[:10]
    note = ""
    if total > len(shown):
        note = (
            '<p class="sb-note">'
            + _escape(
                pd.Series(
                    [
                        i18n.tr(
                            "showing the first {n:,} of {total:,} rows; the whole table is in the pack's tables folder",
                            n=len(shown),
                            total=total,
                        )
                    ],
                    dtype="string",
                )
            ).iloc[0]
            + "</p>"
        )
    return (
        f'<div class="sb-table-wrap"><table class="sb-table{long}" id="sb-{digest}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>"
    )


#: the page's look of the tables (in every notebook page, static or searchable)
TABLE_CSS = """
.sb-table-wrap{max-width:100%;overflow-x:auto;margin:.5em 0 1em}
table.sb-table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;margin:0!important;
  table-layout:auto!important}
table.sb-table th,table.sb-table td{text-align:left!important;white-space:normal;max-width:none}
table.sb-table th{vertical-align:bottom!important;border-bottom:2px solid #999!important;padding:4px 8px!important;
  background:#f6f6f6}
table.sb-table td{padding:3px 8px!important;border-bottom:1px solid #e3e3e3!important;vertical-align:top!important}
table.sb-table .sb-money,table.sb-table .sb-share,table.sb-table .sb-units,table.sb-table .sb-days,
table.sb-table .sb-weeks,table.sb-table .sb-number{text-align:right!important;white-space:nowrap}
table.sb-table .sb-code,table.sb-table .sb-date,table.sb-table .sb-flag{white-space:nowrap}
table.sb-table thead th{white-space:normal!important;overflow-wrap:normal;word-break:keep-all;hyphens:none}
html:lang(zh) table.sb-table thead th{white-space:nowrap!important}
table.sb-table td.sb-text{min-width:11em;overflow-wrap:break-word;word-break:normal}
table.sb-table .sb-prose{min-width:16em;width:30%}
.dt-buttons{margin-bottom:.3em}
.sb-note{color:#555;font-size:12px}
"""


#: where a pack keeps DataTables for its pages (one copy per pack, read by every page from the disk)
ASSETS = "assets"


def classic_bundle(module_source: str) -> str | None:
    """itables' DataTables bundle (an ES module) as a classic script that sets ``window.sbDataTable``: a page
    opened from the disk (``file://``) may load a classic script beside it, not a module. None when the
    bundle does not end in the one ``export{…}`` this expects (a new itables): the page then embeds the bundle.

    >>> classic_bundle("var a=1;function b(){}export{b as default,a as x};")
    '(function(){"use strict";var a=1;function b(){};window.sbDataTable=b;})();\\n'
    >>> classic_bundle("export default 1;") is None
    True
    """
    m = re.search(r"export\{([^}]*)\};?\s*(/\*[\s\S]*?\*/\s*)?$", module_source)
    if (
        m is None
        or re.search(r"^\s*import[\s{*]", module_source, re.M)
        or "import.meta" in module_source
    ):
        return None
    default = re.search(r"(\w+) as default\b", m.group(1))
    if default is None:
        return None
    body = module_source[: m.start()]
    return f'(function(){{"use strict";{body};window.sbDataTable={default.group(1)};}})();\n'


def write_assets(folder: str | Path) -> bool:
    """Write ``assets/datatables.js`` and ``.css`` into a pack ``folder`` (False when the bundle could not be
    made a classic script: the pages then embed it)."""
    bundle = Path(itables_options.dt_bundle)
    script = classic_bundle(bundle.read_text(encoding="utf-8"))
    if script is None:
        return False
    out = Path(folder) / ASSETS
    out.mkdir(parents=True, exist_ok=True)
    (out / "datatables.js").write_text(script, encoding="utf-8")
    (out / "datatables.css").write_text(
        bundle.with_suffix(".css").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return True


def _language() -> str:
    if i18n.language() == "zh":
        return (
            "{search: '搜索：', lengthMenu: '每页 _MENU_ 行', info: '第 _START_–_END_ 行，共 _TOTAL_ 行', "
            "infoEmpty: '无数据', infoFiltered: '（从 _MAX_ 行中筛选）', zeroRecords: '没有匹配的行', "
            "emptyTable: '无数据'}"
        )
    return "{search: 'Search:'}"


def page_script(*, shared_assets: bool = True) -> str:
    """What a report page needs once for its long tables: the table style, DataTables and the few lines
    that make every ``sb-long`` table searchable, sortable and paginated (the cells are already escaped text;
    their ``data-order`` is what they sort by).

    DataTables is itables' offline bundle: with ``shared_assets`` read from the pack's ``assets/`` folder
    (``write_assets``; one copy for all pages, from the disk), else embedded in the page. Either way the
    page needs no network; a page without its assets keeps its tables whole, static.
    """
    if shared_assets:
        return (
            f'<style>{TABLE_CSS}</style><link rel="stylesheet" href="{ASSETS}/datatables.css">'
            f'<script src="{ASSETS}/datatables.js"></script>\n<script>\n'
            "if (window.sbDataTable) {\n"
            '  document.querySelectorAll("table.sb-long:not(.dataTable), table.sb-wide:not(.dataTable)")'
            ".forEach(function (t) {\n"
            f"    new window.sbDataTable(t, sbOptions(t));\n  }});\n}}\n{_options_js()}</script>"
        )
    module = _itables_underscore_version()
    init = f"""<script type="module">
{_options_js()}
const sbTables = async () => {{
  const DataTable = (await window.{module}).default;
  document.querySelectorAll("table.sb-long:not(.dataTable), table.sb-wide:not(.dataTable)").forEach(
    t => {{ new DataTable(t, sbOptions(t)); }});
}};
if (window.{module}) {{ sbTables(); }} else {{ window.addEventListener("{_itables_ready_event()}", sbTables); }}
</script>"""
    bundle = generate_init_offline_itables_html(itables_options.dt_bundle)
    bundle = bundle[
        : bundle.index("</script>") + len("</script>")
    ]  # not the <noscript> logo linking itables.org
    return f"<style>{TABLE_CSS}</style>" + bundle + init


class Note(str):
    """A sentence a notebook shows in place of a table it does not have: as a sentence (in the current language),
    never as a quoted Python string.

    >>> note("no open purchase orders in the data")
    no open purchase orders in the data
    >>> note("<b>x</b>")._repr_html_()
    '<p class="sb-note">&lt;b&gt;x&lt;/b&gt;</p>'
    """

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return (
            '<p class="sb-note">' + _escape(pd.Series([str(self)], dtype="string")).iloc[0] + "</p>"
        )


def note(text: str, **values: object) -> Note:
    """``text`` in the current language (``i18n.tr``), shown as a sentence (:class:`Note`)."""
    return Note(i18n.tr(text, **values))


def _options_js() -> str:
    """The DataTables options of a table: a long one searchable, sortable and paginated; a wide one shows the
    columns a seller decides with (its ``data-more`` columns hidden) and a "Columns" button for the rest."""
    columns = "列" if i18n.language() == "zh" else "Columns"
    return (
        "function sbOptions(t) {\n"
        '  var long = t.classList.contains("sb-long"), wide = t.classList.contains("sb-wide");\n'
        "  var more = [];\n"
        '  t.querySelectorAll("thead th").forEach(function (th, i) { if (th.dataset.more) more.push(i); });\n'
        f"  var button = {{buttons: [{{extend: 'colvis', text: '{columns}'}}]}};\n"
        "  var top = long ? (wide ? ['pageLength', button] : 'pageLength') : (wide ? button : null);\n"
        "  return {paging: long, searching: long, info: long, pageLength: 10, lengthMenu: [10, 25, 100, -1],\n"
        "    order: [], autoWidth: false, columnDefs: more.length ? [{targets: more, visible: false}] : [],\n"
        "    layout: {topStart: top, topEnd: long ? 'search' : null, bottomStart: long ? 'info' : null,\n"
        "             bottomEnd: long ? 'paging' : null},\n"
        f"    language: {_language()}}};\n}}\n"
    )


def use_tables(*, currency: str | None = None, catalog: pd.DataFrame | None = None) -> None:
    """Show every DataFrame in this notebook as a table for people (``table_html``), money in ``currency``
    and products named from ``catalog``; the plain-text form (what nbval compares too) stays pandas'."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    ip = get_ipython()
    if ip is None:
        return
    style = f"<style>{TABLE_CSS}</style>"
    ip.display_formatter.formatters["text/html"].for_type(
        pd.DataFrame, lambda df: style + table_html(df, currency=currency, catalog=catalog)
    )
