"""Write tables for people: CSV and XLSX, safe to open in a spreadsheet, the same bytes every time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from stockbook.i18n import header, translate_values

#: a text cell starting with one of these is a formula to a spreadsheet
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: fixed workbook timestamps, so two runs write identical files
FIXED_TIME = dt.datetime(2026, 1, 1)


def neutralize(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``; numbers stay numbers.

    >>> neutralize(pd.DataFrame({"t": ["=HYPERLINK(1)", "ok", "-x"], "n": [-1, 2, 3]})).values.tolist()
    [["'=HYPERLINK(1)", -1], ['ok', 2], ["'-x", 3]]
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
            text = s.astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            if risky.any():
                out[c] = text.mask(risky, "'" + text)
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """UTF-8 CSV (with BOM, so Excel shows Chinese text), CRLF rows, dates as YYYY-MM-DD, formulas neutralized."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # CRLF as RFC 4180 writes it: then a text cell holding a bare CR or LF is quoted, never a broken row
    neutralize(_plain(df)).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_xlsx(
    sheets: dict[str, pd.DataFrame], path: str | Path, *, currency: str | None = None
) -> Path:
    """One sheet per table: frozen header row with filters, fitted column widths, number formats for units,
    money (with ``currency``'s symbol), shares and dates (dates are real dates), fixed metadata so two runs
    write the same bytes.

    Written by XlsxWriter a column at a time, each column with its one format (20,000 rows × 15
    columns in about a second; openpyxl took 20 s).
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # text stays text: nothing a cell holds is turned into a formula, a link or a number
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    wb.set_properties({"created": FIXED_TIME})
    formats: dict[str, object] = {}
    for name, df in sheets.items():
        ws = wb.add_worksheet(name[:31])
        # Chinese headers and fixed vocabularies (actions, modes, location classes …) in a zh report; the CSV
        # keeps the canonical names and codes
        safe = neutralize(translate_values(df))
        heads = [str(header(c)) for c in safe.columns]
        ws.write_row(0, 0, heads)
        shown = _plain(safe)
        for i, c in enumerate(safe.columns):
            head = heads[i]
            width = max(
                [len(head) * (2 if head != str(c) else 1)]
                + [len(str(v)) for v in shown[c].head(200).tolist()]
            )
            fmt = number_format(str(c), safe[c], currency=currency)
            cell_format = (
                formats.setdefault(fmt, wb.add_format({"num_format": fmt})) if fmt else None
            )
            ws.set_column(i, i, min(max(width + 2, 8), 60))
            col = safe[c]
            if pd.api.types.is_datetime64_any_dtype(col):
                values = [None if pd.isna(v) else v.to_pydatetime() for v in col]
            else:
                values = col.astype(object).where(col.notna(), None).tolist()
            ws.write_column(1, i, [_cell(v) for v in values], cell_format)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(safe), 1), max(len(safe.columns) - 1, 0))
    wb.close()
    return path


#: float columns shown as percentages (they hold fractions)
PERCENT_COLUMNS = (
    "share",
    "fill_rate",
    "service_level",
    "stock_vs_best_rule",
    "in_stock_share",
    "sell_through",
    "in_stock_rate",
)
#: words that make a number column money (in the report's currency); a column naming units, days, weeks or a
#: rate is never money
MONEY_WORDS = (
    "value",
    "cost",
    "price",
    "fee",
    "amount",
    "cash",
    "revenue",
    "profit",
    "surcharge",
    "storage",
    "charged",
    "projected",
    "gain",
    "margin",
    "loss",
    "freight",
    "spend",
    "cogs",
    "reimbursed",
    "at_stake",
)
NOT_MONEY_WORDS = (
    "units",
    "days",
    "weeks",
    "rate",
    "share",
    "count",
    "skus",
    "qty",
    "quantity",
    "turnover",
    "feet",
    "cubic",
    "volume",
    "weight",
    "ratio",
)  # cubic_feet holds "fee"; cash_ratio is a ratio
#: how a currency is written before an amount (JPY has no cents); CNY and JPY told apart
CURRENCY_SYMBOLS = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "JPY": "JP¥",
    "CNY": "CN¥",
    "CAD": "CA$",
    "MXN": "MX$",
    "AUD": "A$",
    "SEK": "kr ",
    "PLN": "zł ",
}


def is_money(name: str, s: pd.Series) -> bool:
    """Whether a column holds money: a float column whose name says so (``stock_value``, ``fees_keep``).

    >>> is_money("stock_value", pd.Series([1.5])), is_money("stock_units", pd.Series([1.5]))
    (True, False)
    >>> is_money("unit_cost", pd.Series(["x"])), is_money("daily_rate", pd.Series([0.5]))
    (False, False)
    >>> is_money("cubic_feet", pd.Series([0.5])), is_money("cash_ratio", pd.Series([1.2]))  # a volume; a ratio
    (False, False)
    """
    n = name.lower()
    return (
        pd.api.types.is_float_dtype(s)
        and any(w in n for w in MONEY_WORDS)
        and not any(w in n for w in NOT_MONEY_WORDS)
        and not any(k in n for k in PERCENT_COLUMNS)
    )


def money_format(currency: str) -> str:
    """The Excel number format of an amount in ``currency``: its symbol, thousands, cents (none for yen).

    >>> money_format("USD"), money_format("JPY"), money_format("CHF")
    ('"$"#,##0.00', '"JP¥"#,##0', '"CHF "#,##0.00')
    """
    sym = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f'"{sym}"#,##0' + ("" if currency == "JPY" else ".00")


def number_format(name: str, s: pd.Series, *, currency: str | None = None) -> str | None:
    """Excel number format for a column: thousands for units, money with its currency's symbol and cents,
    % for shares, ISO dates.

    >>> number_format("units", pd.Series([1], dtype="Int64")), number_format("cum_share", pd.Series([0.5]))
    ('#,##0', '0.0%')
    >>> number_format("break_value", pd.Series([1.5])), number_format("sku", pd.Series(["a"]))
    ('#,##0.00', None)
    >>> number_format("break_value", pd.Series([1.5]), currency="GBP")
    '"£"#,##0.00'
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        return "yyyy-mm-dd"
    if pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_integer_dtype(s):
        return "#,##0"
    if pd.api.types.is_float_dtype(s):
        if any(k in name for k in PERCENT_COLUMNS):
            return "0.0%"
        return money_format(currency) if currency and is_money(name, s) else "#,##0.00"
    return None


def with_currency(df: pd.DataFrame, currency: str | None) -> pd.DataFrame:
    """The table with a ``currency`` column after its columns when it holds money and has none (the CSV's
    unit for every money column).

    >>> with_currency(pd.DataFrame({"sku": ["A"], "stock_value": [1.5]}), "CNY").columns.tolist()
    ['sku', 'stock_value', 'currency']
    >>> with_currency(pd.DataFrame({"sku": ["A"], "units": [1]}), "CNY").columns.tolist()
    ['sku', 'units']
    """
    if (
        not currency
        or "currency" in df.columns
        or not any(is_money(str(c), df[c]) for c in df.columns)
    ):
        return df
    return df.assign(currency=currency)


def _cell(v: object) -> object:
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v.item() if hasattr(v, "item") else v


def write_table(
    df: pd.DataFrame, name: str, tables_dir: str | Path | None, *, currency: str | None = None
) -> None:
    """Write ``tables_dir/name.csv`` and ``.xlsx``; does nothing when ``tables_dir`` is empty. With ``currency``
    (the money columns' unit) the CSV gains a ``currency`` column and the XLSX shows the currency's symbol."""
    if not tables_dir or str(tables_dir) == "none":
        return
    df = with_currency(df, currency)
    write_csv(df, Path(tables_dir) / f"{name}.csv")
    write_xlsx({name: df}, Path(tables_dir) / f"{name}.xlsx", currency=currency)
