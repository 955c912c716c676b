"""Write tables for people: CSV and XLSX, safe to open in a spreadsheet, the same bytes every time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from stockbook.i18n import header

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


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per table: frozen header row with filters, fitted column widths, number formats for units,
    money, shares and dates (dates are real dates), fixed metadata so two runs write the same bytes.

    Written by XlsxWriter a column at a time, each column with its one format (20,000 rows × 15
    columns in about a second; openpyxl took 20 s).
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # text stays text: nothing a cell holds is turned into a formula, a link or a number
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "nan_inf_to_errors": True})
    wb.set_properties({"created": FIXED_TIME})
    formats: dict[str, object] = {}
    for name, df in sheets.items():
        ws = wb.add_worksheet(name[:31])
        safe = neutralize(df)
        heads = [str(header(c)) for c in safe.columns]  # Chinese headers in a zh report; CSV stays canonical
        ws.write_row(0, 0, heads)
        shown = _plain(safe)
        for i, c in enumerate(safe.columns):
            head = heads[i]
            width = max([len(head) * (2 if head != str(c) else 1)] + [len(str(v)) for v in shown[c].head(200).tolist()])
            fmt = number_format(str(c), safe[c])
            cell_format = formats.setdefault(fmt, wb.add_format({"num_format": fmt})) if fmt else None
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
PERCENT_COLUMNS = ("share", "fill_rate", "service_level", "stock_vs_best_rule", "in_stock_share")


def number_format(name: str, s: pd.Series) -> str | None:
    """Excel number format for a column: thousands for units, cents for money, % for shares, ISO dates.

    >>> number_format("units", pd.Series([1], dtype="Int64")), number_format("cum_share", pd.Series([0.5]))
    ('#,##0', '0.0%')
    >>> number_format("break_value", pd.Series([1.5])), number_format("sku", pd.Series(["a"]))
    ('#,##0.00', None)
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        return "yyyy-mm-dd"
    if pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_integer_dtype(s):
        return "#,##0"
    if pd.api.types.is_float_dtype(s):
        return "0.0%" if any(k in name for k in PERCENT_COLUMNS) else "#,##0.00"
    return None


def _cell(v: object) -> object:
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v.item() if hasattr(v, "item") else v


def write_table(df: pd.DataFrame, name: str, tables_dir: str | Path | None) -> None:
    """Write ``tables_dir/name.csv`` and ``.xlsx``; does nothing when ``tables_dir`` is empty."""
    if not tables_dir or str(tables_dir) == "none":
        return
    write_csv(df, Path(tables_dir) / f"{name}.csv")
    write_xlsx({name: df}, Path(tables_dir) / f"{name}.xlsx")
