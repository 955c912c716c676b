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
    money, shares and dates (dates are real dates), fixed metadata so two runs write the same bytes."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        safe = neutralize(df)
        ws.append([str(header(c)) for c in safe.columns])  # Chinese headers in a zh report; CSV stays canonical
        values = safe.astype(object).where(safe.notna(), None)
        for row in values.itertuples(index=False):  # openpyxl writes row by row
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        shown = _plain(safe)
        for i, c in enumerate(safe.columns, start=1):
            width = max([len(str(header(c))) * (2 if str(header(c)) != str(c) else 1)] + [len(str(v)) for v in shown[c].head(200).tolist()])
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
            fmt = number_format(str(c), safe[c])
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    _fix_zip_times(path)
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


def _fix_zip_times(path: Path) -> None:
    """Rewrite the XLSX zip with fixed entry times (openpyxl stamps the current time)."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":  # openpyxl stamps 'modified' with the save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


def write_table(df: pd.DataFrame, name: str, tables_dir: str | Path | None) -> None:
    """Write ``tables_dir/name.csv`` and ``.xlsx``; does nothing when ``tables_dir`` is empty."""
    if not tables_dir or str(tables_dir) == "none":
        return
    write_csv(df, Path(tables_dir) / f"{name}.csv")
    write_xlsx({name: df}, Path(tables_dir) / f"{name}.xlsx")
