"""Typed, vectorised parsing of raw text cells, with every bad cell explained.

Each parser takes a column of strings and returns the typed values plus a
reason per bad cell (``<NA>`` where the cell is fine). Nothing loops per row.
"""

from __future__ import annotations

import pandas as pd

_CURRENCY = r"^\s*(?:US\$|USD|CNY|RMB|EUR|GBP|JPY|[$€£¥￥])\s*|\s*(?:USD|CNY|RMB|EUR|GBP|JPY|元)\s*$"

#: Excel's day zero (it counts 1900 as a leap year, so day 60 is the phantom 29 Feb)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

#: date formats tried in order; the first that parses a cell wins for that cell
DAY_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%d-%b-%Y",
                                "%b %d, %Y", "%Y%m%d")
DAY_FIRST_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y年%m月%d日")
MONTH_FORMATS: tuple[str, ...] = ("%m/%Y", "%Y-%m", "%Y/%m", "%Y年%m月", "%b %Y", "%B %Y")


#: units at or beyond this size are refused (they would not fit a 64-bit integer, or are a unit of
#: measure typed into a quantity): no seller holds 10¹⁵ of anything
MAX_UNITS = 1e15
UNITS_RANGE_REASON = "out of range (10^15 units or more)"

FORMULA_REASON = ("a formula without a saved result (the file was never saved by Excel: open and save it, "
                  "or paste values)")


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.str.strip() == "")


def _formula(s: pd.Series) -> pd.Series:
    return s.str.strip().str.startswith("=").fillna(False).astype(bool)


def parse_ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers as text, trimmed; Excel's ``1.23E+05`` mangling is refused, not guessed.

    >>> v, bad = parse_ids(pd.Series(["00123", " B0X ", "1.23E+05", ""], dtype="string"))
    >>> v.tolist(), bad.tolist()
    (['00123', 'B0X', <NA>, <NA>], [<NA>, <NA>, 'identifier mangled into scientific notation by a spreadsheet', <NA>])
    """
    v = s.str.strip()
    v = v.mask(v == "")
    sci = v.str.fullmatch(r"\d(?:\.\d+)?[eE]\+\d+").fillna(False).astype(bool)
    reason = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        sci, "identifier mangled into scientific notation by a spreadsheet"
    ).mask(_formula(s), FORMULA_REASON)
    return v.mask(sci | _formula(s)), reason


def _numeric(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    t = s.str.strip().str.replace(_CURRENCY, "", regex=True)
    neg_paren = t.str.fullmatch(r"\(.*\)").fillna(False).astype(bool)
    t = t.str.strip("()").str.replace(r"(?<=\d)[,\s'](?=\d{3}(?:\D|$))", "", regex=True)
    num = pd.to_numeric(t, errors="coerce").astype("Float64")
    num = num.where(~neg_paren, -num)
    bad_text = num.isna() & ~_blank(s)
    return num, bad_text


def parse_units(s: pd.Series, *, blank_is_zero: bool = False) -> tuple[pd.Series, pd.Series]:
    """Whole units. Thousands separators are fine; ``2.5`` or ``abc`` are not.

    >>> v, bad = parse_units(pd.Series(["1,200", "-3", "2.5", "abc", "", "1e30", "inf"], dtype="string"),
    ...                      blank_is_zero=True)
    >>> v.tolist()
    [1200, -3, <NA>, <NA>, 0, <NA>, <NA>]
    >>> bad.tolist()[2:4], bad.tolist()[5] == bad.tolist()[6] == UNITS_RANGE_REASON
    (['not a whole number of units', 'not a number'], True)
    """
    num, bad_text = _numeric(s)
    frac = num.notna() & (num != num.round(0))
    huge = num.notna() & ~frac & ~(num.abs() < MAX_UNITS)  # inf too
    reason = pd.Series(pd.NA, index=s.index, dtype="string")
    reason = reason.mask(bad_text, "not a number").mask(frac, "not a whole number of units").mask(
        huge, UNITS_RANGE_REASON)
    reason = reason.mask(_formula(s), FORMULA_REASON)
    blank = _blank(s)
    if blank_is_zero:
        num = num.mask(blank, 0.0)
    else:
        reason = reason.mask(blank, "missing value")
    ok = reason.isna()
    return num.where(ok).round(0).astype("Int64"), reason


def parse_money(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Money: currency symbols and thousands separators removed, rounded to cents.

    >>> v, bad = parse_money(pd.Series(["$1,234.567", "¥12", "(5.00)", "n/a", ""], dtype="string"))
    >>> v.tolist(), bad.tolist()
    ([1234.57, 12.0, -5.0, <NA>, <NA>], [<NA>, <NA>, <NA>, 'not an amount of money', <NA>])
    """
    num, bad_text = _numeric(s)
    reason = pd.Series(pd.NA, index=s.index, dtype="string").mask(bad_text, "not an amount of money")
    reason = reason.mask(_formula(s), FORMULA_REASON)
    return num.where(reason.isna()).round(2), reason


def parse_numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Plain real numbers (volumes, weights)."""
    num, bad_text = _numeric(s)
    reason = pd.Series(pd.NA, index=s.index, dtype="string").mask(bad_text, "not a number")
    reason = reason.mask(_formula(s), FORMULA_REASON)
    return num.where(reason.isna()), reason


def parse_periods(
    s: pd.Series, *, dayfirst: bool = False, required: bool = True
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates or months: returns (first day, last day, reason).

    A day (``10/31/2026``, ``2026-10-31``, ISO with time zone, an Excel serial
    number) covers itself; a month (``10/2026``, ``2026-10``, ``2026年10月``)
    covers the whole month.

    >>> a, b, bad = parse_periods(pd.Series(["10/2026", "2026-10-05T07:00:00+00:00", "46300", "31/13/2026"],
    ...     dtype="string"))
    >>> [str(x.date()) if pd.notna(x) else None for x in a]
    ['2026-10-01', '2026-10-05', '2026-10-05', None]
    >>> str(b[0].date()), bad.tolist()[3]
    ('2026-10-31', 'not a date (expected MM/DD/YYYY, YYYY-MM-DD, MM/YYYY or an Excel date)')
    """
    t = s.str.strip()
    start = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    end = start.copy()
    # ISO timestamps (with or without zone): the calendar date as written
    iso = t.str.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| [A-Z]{3,4})?")
    iso = iso.fillna(False).astype(bool)
    t = t.mask(iso, t.str.slice(0, 10))
    for fmt in DAY_FIRST_FORMATS if dayfirst else DAY_FORMATS:
        todo = start.isna() & t.notna()
        if not todo.any():
            break
        got = pd.to_datetime(t.where(todo), format=fmt, errors="coerce")
        start = start.fillna(got.astype("datetime64[s]"))
    end = start.copy()
    for fmt in MONTH_FORMATS:
        todo = start.isna() & t.notna()
        if not todo.any():
            break
        got = pd.to_datetime(t.where(todo), format=fmt, errors="coerce").astype("datetime64[s]")
        start = start.fillna(got)
        end = end.fillna((got + pd.offsets.MonthEnd(0)).astype("datetime64[s]"))
    serial = pd.to_numeric(t.where(start.isna()), errors="coerce")
    serial = serial.where((serial > 20000) & (serial < 80000) & (serial == serial.round(0)))
    from_serial = (EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")).astype("datetime64[s]")
    start = start.fillna(from_serial)
    end = end.fillna(from_serial)
    blank = _blank(s)
    reason = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        start.isna() & ~blank, "not a date (expected MM/DD/YYYY, YYYY-MM-DD, MM/YYYY or an Excel date)"
    )
    if required:
        reason = reason.mask(blank, "missing date")
    return start, end, reason
