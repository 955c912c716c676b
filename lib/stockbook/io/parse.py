"""Typed, vectorised parsing of raw text cells, with every bad cell explained.

Each parser takes a column of strings and returns the typed values plus a
reason per bad cell (``<NA>`` where the cell is fine). Nothing loops per row.

Numbers: a column's decimal style is decided from the cells that can only be
read one way (:func:`decimal_style`): ``0,527`` and ``1.234,56`` say a comma is
the decimal mark, ``1,234.5`` and ``0.527`` say a point is. A column that says
both has its ambiguous cells (``1,234``) quarantined; one that says nothing reads
``1,234`` as a thousand and more, as Amazon's US exports write it.

Dates: a column's order is decided the same way (:func:`date_order`): ``31/10/2026``
is day-first, ``10/31/2026`` month-first. A column whose dates could be either is read
in the order the caller gives (the marketplace's), and the reader says so.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

_CURRENCY = (
    r"^\s*(?:US\$|USD|CNY|RMB|EUR|GBP|JPY|CAD|MXN|INR|AUD|C\$|A\$|[$€£¥￥₹])\s*"
    r"|\s*(?:USD|CNY|RMB|EUR|GBP|JPY|CAD|MXN|INR|AUD|元|[€£¥￥₹])\s*$"
)

#: characters that are never part of a value (zero-width spaces, BOM, soft hyphen, NUL) and spaces that
#: are not plain spaces (no-break, ideographic, thin)
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00]"
_ODD_SPACES = "[\u00a0\u3000\u2007\u202f\u2009]"

#: Excel's day zero (it counts 1900 as a leap year, so day 60 is the phantom 29 Feb)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

#: date formats tried in order; the first that parses a cell wins for that cell. Two-digit years
#: (``10/02/26``, Amazon's ``MM-DD-YY``) are 20YY; a four-digit format never takes a two-digit year.
DAY_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%m-%d-%y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y年%m月%d日",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%d %b %Y",
    "%Y%m%d",
)
DAY_FIRST_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y年%m月%d日",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%b %d, %Y",
    "%Y%m%d",
)
MONTH_FORMATS: tuple[str, ...] = (
    "%m/%Y",
    "%Y-%m",
    "%Y/%m",
    "%Y.%m",
    "%Y年%m月",
    "%b %Y",
    "%B %Y",
    "%b-%Y",
)

#: month names as Amazon's French, Italian, Spanish and German reports write them (``1 oct. 2026``,
#: ``20 set 2026``, ``févr.``, ``Okt``) and the UK's four-letter ``Sept``, to English (``%b``)
LOCAL_MONTHS: dict[str, str] = {
    **dict.fromkeys(("janv", "gen", "ene", "jän"), "Jan"),
    **dict.fromkeys(("févr", "fevr", "fév", "fev"), "Feb"),
    **dict.fromkeys(("mars", "märz", "mär", "maerz"), "Mar"),
    **dict.fromkeys(("avr", "abr"), "Apr"),
    **dict.fromkeys(("mai", "mag"), "May"),
    **dict.fromkeys(("juin", "giu"), "Jun"),
    **dict.fromkeys(("juil", "lug"), "Jul"),
    **dict.fromkeys(("août", "aout", "ago"), "Aug"),
    **dict.fromkeys(("sept", "set"), "Sep"),
    **dict.fromkeys(("ott", "okt"), "Oct"),
    **dict.fromkeys(("déc", "dic", "dez"), "Dec"),
    # English abbreviations with a point (French writes ``oct.`` and ``nov.``)
    **{
        m.lower(): m
        for m in ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    },
}

#: what an export writes in a date cell that holds no date
NO_DATE = frozenset({"-", "--", "—", "–", "/"})
#: a number cell that says "not applicable" (Amazon's fee preview writes --): read as blank
NOT_APPLICABLE = frozenset({"--", "—", "–"})

#: dates outside these years are not a seller's (a year typed short, a serial number read as a date)
FIRST_YEAR, LAST_YEAR = 1990, 2100

DATE_REASON = "not a date (expected MM/DD/YYYY, YYYY-MM-DD, MM/YYYY or an Excel date)"
MONTH_NOT_DAY_REASON = "a month, not a day (this column needs the day)"
MIXED_DATES_REASON = (
    "ambiguous date: this column writes dates both day-first and month-first, so 04/07 "
    "could be either"
)

#: units at or beyond this size are refused (they would not fit a 64-bit integer, or are a unit of
#: measure typed into a quantity): no seller holds 10¹⁵ of anything
MAX_UNITS = 1e15
UNITS_RANGE_REASON = "out of range (10^15 units or more)"

FORMULA_REASON = (
    "a formula without a saved result (the file was never saved by Excel: open and save it, "
    "or paste values)"
)


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.str.strip() == "")


def _formula(s: pd.Series) -> pd.Series:
    return s.str.strip().str.startswith("=").fillna(False).astype(bool)


def clean_ids(s: pd.Series) -> pd.Series:
    """Text with invisible characters removed, odd spaces made plain, trimmed; blank is ``<NA>``.

    >>> clean_ids(pd.Series(["SKU\\u200b-1\\u00a0", "\\ufeffA\\x00", "  "], dtype="string")).tolist()
    ['SKU-1', 'A', <NA>]
    """
    v = (
        s.str.replace(_INVISIBLE, "", regex=True)
        .str.replace(_ODD_SPACES, " ", regex=True)
        .str.strip()
    )
    return v.mask(v == "")


def parse_ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers as text, trimmed, without invisible characters; Excel's ``1.23E+05`` is refused, not guessed.

    Zero-width spaces, byte-order marks, soft hyphens and NUL bytes are removed and no-break or
    ideographic spaces made plain, so ``SKU-1`` pasted from a web page is the same SKU as ``SKU-1``.

    >>> v, bad = parse_ids(pd.Series(["00123", " B0X ", "1.23E+05", "", "SKU\\u200b-1"], dtype="string"))
    >>> v.tolist()
    ['00123', 'B0X', <NA>, <NA>, 'SKU-1']
    >>> bad.tolist()[2]
    'identifier mangled into scientific notation by a spreadsheet'
    """
    v = clean_ids(s)
    sci = v.str.fullmatch(r"\d(?:\.\d+)?[eE]\+\d+").fillna(False).astype(bool)
    reason = (
        pd.Series(pd.NA, index=s.index, dtype="string")
        .mask(sci, "identifier mangled into scientific notation by a spreadsheet")
        .mask(_formula(s), FORMULA_REASON)
    )
    return v.mask(sci | _formula(s)), reason


#: number shapes that can only be read one way (a point for decimals and commas between thousands, or
#: a comma for decimals and points between thousands). ``1,234`` and ``1.234`` are neither.
POINT_SURE = (
    r"[+-]?\d{1,3}(?:,\d{3})+\.\d+|[+-]?\d{1,3}(?:,\d{3}){2,}|[+-]?\d*\.(?:\d{1,2}|\d{4,})"
    r"|[+-]?0\.\d+|[+-]?\d{4,}\.\d+"
)
COMMA_SURE = (
    r"[+-]?\d{1,3}(?:\.\d{3})+,\d+|[+-]?\d{1,3}(?:\.\d{3}){2,}|[+-]?\d*,(?:\d{1,2}|\d{4,})"
    r"|[+-]?0,\d+|[+-]?\d{4,},\d+"
)
_AMBIGUOUS = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"
MIXED_DECIMALS_REASON = (
    "ambiguous number: this column writes decimals both with a point and with a comma, "
    "so 1,234 or 1.234 could be either"
)


#: a cell that is already a plain number (most cells of most exports): nothing to clean
_PLAIN = r"[-+]?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?"


def number_text(s: pd.Series) -> pd.Series:
    """The number part of a cell: currency signs and codes removed, spaces and apostrophes between digit
    groups dropped (``1 234``, ``1'234``). Plain numbers are left as they are (and cost nothing)."""
    t = s.str.strip()
    odd = ~t.str.fullmatch(_PLAIN).fillna(True).astype(bool)
    if not odd.any():
        return t
    u = (
        t[odd]
        .str.replace(_ODD_SPACES, " ", regex=True)
        .str.strip()
        .str.replace(_CURRENCY, "", regex=True)
    )
    u = u.str.replace(r"(?<=\d)[\s'](?=\d{3}(?:\D|$))", "", regex=True)
    return t.mask(odd, u)


def decimal_style(s: pd.Series) -> Literal[".", ",", "mixed"]:
    """How a column writes decimals, from the cells that can only be read one way.

    ``"."`` (``1,234.5``, ``0.527``), ``","`` (``1.234,5``, ``0,527``, ``1,5``), ``"mixed"`` when
    both appear, and ``"."`` when nothing tells (``1,234`` is then a thousand and more).

    >>> decimal_style(pd.Series(["0,527", "1,234"])), decimal_style(pd.Series(["1,234", "12"]))
    (',', '.')
    >>> decimal_style(pd.Series(["1.234,56", "3.5"]))
    'mixed'
    """
    t = number_text(s.astype("string")).str.strip("()")
    point = bool(t.str.fullmatch(POINT_SURE).fillna(False).any())
    comma = bool(t.str.fullmatch(COMMA_SURE).fillna(False).any())
    return "mixed" if point and comma else "," if comma else "."


def _numeric(s: pd.Series, style: str | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers, not-a-number flags, specific reasons) for a column of text. Its decimal style
    (``style``, else :func:`decimal_style` of the cells given) decides what a comma means;
    parentheses are a negative amount."""
    t = number_text(s)
    not_applicable = t.isin(NOT_APPLICABLE).fillna(False).astype(bool)  # Amazon's "--": unknown
    t = t.mask(not_applicable, "")
    neg_paren = t.str.fullmatch(r"\(.*\)").fillna(False).astype(bool)
    t = t.str.strip("()")
    style = style or decimal_style(t)
    has_comma = t.str.contains(",", regex=False).fillna(False).astype(bool)
    has_point = t.str.contains(".", regex=False).fillna(False).astype(bool)

    def point() -> pd.Series:  # 1,234.5 -> 1234.5 (only the cells with a comma need it)
        return t.mask(
            has_comma, t[has_comma].str.replace(r"(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True)
        )

    def comma() -> pd.Series:  # 1.234,5 -> 1234.5
        both = has_comma | has_point
        u = (
            t[both]
            .str.replace(r"(?<=\d)\.(?=\d{3}(?:\D|$))", "", regex=True)
            .str.replace(",", ".", regex=False)
        )
        return t.mask(both, u)

    special = pd.Series(pd.NA, index=s.index, dtype="string")
    if style == ",":
        t = comma()
    elif style == "mixed":
        sure_comma = t.str.fullmatch(COMMA_SURE).fillna(False).astype(bool)
        ambiguous = t.str.fullmatch(_AMBIGUOUS).fillna(False).astype(bool)
        t = point().mask(sure_comma, comma())
        special = special.mask(ambiguous, MIXED_DECIMALS_REASON)
    else:
        t = point()
    num = to_float(t.where(special.isna()))
    num = num.where(~neg_paren, -num)
    bad_text = num.isna() & ~_blank(s) & ~not_applicable & special.isna()
    return num, bad_text, special


def to_float(t: pd.Series) -> pd.Series:
    """Text to numbers (``<NA>`` where a cell is not one): plain numbers are cast by Arrow in one pass,
    the few others by pandas.

    >>> to_float(pd.Series(["1", "-2.5", "1e2", "x", None, ".5"], dtype="string")).tolist()
    [1.0, -2.5, 100.0, <NA>, <NA>, 0.5]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    t = t.astype("string")
    plain = (
        t.str.fullmatch(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
        .fillna(False)
        .astype(bool)
    )
    out = pd.Series(pd.NA, index=t.index, dtype="Float64")
    if plain.any():
        arr = pa.array(t[plain].str.lstrip("+").to_numpy(dtype=object), type=pa.string())
        out[plain] = pd.array(
            pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), dtype="Float64"
        )
    rest = ~plain & t.notna()
    if rest.any():
        out[rest] = pd.to_numeric(t[rest], errors="coerce").astype("Float64")
    return out


def parse_units(
    s: pd.Series, *, blank_is_zero: bool = False, style: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Whole units. Thousands separators are fine; ``2.5``, ``1,5`` (a decimal comma) or ``abc`` are not.

    >>> v, bad = parse_units(pd.Series(["1,200", "-3", "2.5", "abc", "", "1e30", "inf"], dtype="string"),
    ...                      blank_is_zero=True)
    >>> v.tolist()
    [1200, -3, <NA>, <NA>, 0, <NA>, <NA>]
    >>> bad.tolist()[2:4], bad.tolist()[5] == bad.tolist()[6] == UNITS_RANGE_REASON
    (['not a whole number of units', 'not a number'], True)
    >>> parse_units(pd.Series(["1,5", "3"], dtype="string"))[1].tolist()
    ['not a whole number of units', <NA>]
    """
    num, bad_text, special = _numeric(s, style)
    frac = num.notna() & (num != num.round(0))
    huge = num.notna() & ~frac & ~(num.abs() < MAX_UNITS)  # inf too
    reason = special.copy()
    reason = (
        reason.mask(bad_text, "not a number")
        .mask(frac, "not a whole number of units")
        .mask(huge, UNITS_RANGE_REASON)
    )
    reason = reason.mask(_formula(s), FORMULA_REASON)
    blank = _blank(s)
    if blank_is_zero:
        num = num.mask(blank, 0.0)
    else:
        reason = reason.mask(blank, "missing value")
    ok = reason.isna()
    return num.where(ok).round(0).astype("Int64"), reason


def parse_money(s: pd.Series, *, style: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Money: currency symbols and thousands separators removed, rounded to cents.

    >>> v, bad = parse_money(pd.Series(["$1,234.567", "¥12", "(5.00)", "n/a", "", "--"], dtype="string"))
    >>> v.tolist(), bad.tolist()
    ([1234.57, 12.0, -5.0, <NA>, <NA>, <NA>], [<NA>, <NA>, <NA>, 'not an amount of money', <NA>, <NA>])
    >>> parse_money(pd.Series(["1.234,56 €", "0,99 €"], dtype="string"))[0].tolist()
    [1234.56, 0.99]
    """
    num, bad_text, special = _numeric(s, style)
    reason = special.mask(bad_text, "not an amount of money").mask(_formula(s), FORMULA_REASON)
    return to_cents(num.where(reason.isna())), reason


def to_cents(x: pd.Series) -> pd.Series:
    """Amounts rounded to cents half away from zero, as the written decimal says: ``17.745`` is 17.75,
    though the nearest binary number is 17.74499… (``round`` would give 17.74).

    >>> to_cents(pd.Series([17.745, -2.675, 0.125, 1.004], dtype="Float64")).tolist()
    [17.75, -2.68, 0.13, 1.0]
    """
    cents = np.floor(x.abs() * 100 * (1 + 1e-12) + 0.5)
    return (np.sign(x) * cents / 100).astype("Float64")


def parse_numbers(s: pd.Series, *, style: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Plain real numbers (volumes, weights).

    >>> parse_numbers(pd.Series(["0,527", "1,25"], dtype="string"))[0].tolist()
    [0.527, 1.25]
    """
    num, bad_text, special = _numeric(s, style)
    reason = special.mask(bad_text, "not a number").mask(_formula(s), FORMULA_REASON)
    return num.where(reason.isna()), reason


_SLASHED = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[T ].*)?\s*$"


def date_order(s: pd.Series) -> Literal["mdy", "dmy", "either", "mixed"]:
    """Whether a column's ``NN/NN/YYYY`` dates are month-first, day-first, could be either, or both.

    Only a part above 12 tells: ``10/31/2026`` is month-first, ``31/10/2026`` day-first. Dotted dates
    (``31.10.2026``) are always day-first and do not count.

    >>> date_order(pd.Series(["10/31/2026", "01/02/2026"])), date_order(pd.Series(["31/10/2026"]))
    ('mdy', 'dmy')
    >>> date_order(pd.Series(["04/07/2026"])), date_order(pd.Series(["31/10/2026", "10/31/2026"]))
    ('either', 'mixed')
    """
    parts = s.astype("string").str.extract(_SLASHED)
    a = pd.to_numeric(parts[0], errors="coerce")
    b = pd.to_numeric(parts[1], errors="coerce")
    day_first = bool((a > 12).any())
    month_first = bool((b > 12).any())
    if day_first and month_first:
        return "mixed"
    return "dmy" if day_first else "mdy" if month_first else "either"


def parse_periods(
    s: pd.Series,
    *,
    dayfirst: bool | pd.Series = False,
    required: bool = True,
    allow_month: bool = True,
    mixed: bool | None = None,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates or months: returns (first day, last day, reason).

    A day (``10/31/2026``, ``2026-10-31``, ``10-31-26``, ISO with time zone, an Excel serial
    number) covers itself; a month (``10/2026``, ``2026-10``, ``2026年10月``) covers the whole
    month, or is refused with ``allow_month=False`` (a column of days). A column that writes its
    dates both day-first and month-first (:func:`date_order`) has its ambiguous cells refused.

    >>> a, b, bad = parse_periods(pd.Series(["10/2026", "2026-10-05T07:00:00+00:00", "46300", "2026-13-45",
    ...     "10-02-26"], dtype="string"))
    >>> [str(x.date()) if pd.notna(x) else None for x in a]
    ['2026-10-01', '2026-10-05', '2026-10-05', None, '2026-10-02']
    >>> str(b[0].date()), bad.tolist()[3]
    ('2026-10-31', 'not a date (expected MM/DD/YYYY, YYYY-MM-DD, MM/YYYY or an Excel date)')
    >>> parse_periods(pd.Series(["Oct 20, 2026 9:00:00 AM PST", "20 Oct 2026 09:00:00 GMT+00:00"],
    ...                         dtype="string"))[0].dt.strftime("%Y-%m-%d").tolist()
    ['2026-10-20', '2026-10-20']
    >>> parse_periods(pd.Series(["1 oct. 2026 00:12:34 UTC", "20 set 2026 09.15.02 UTC", "3 Sept 2026 01:00:00 BST"],
    ...                         dtype="string"))[0].dt.strftime("%Y-%m-%d").tolist()
    ['2026-10-01', '2026-09-20', '2026-09-03']
    >>> parse_periods(pd.Series(["10/2026"], dtype="string"), allow_month=False)[2].tolist()
    ['a month, not a day (this column needs the day)']

    ``dayfirst`` may differ per row (a boolean Series: each row's marketplace):

    >>> parse_periods(pd.Series(["04/07/2026"] * 2, dtype="string"), dayfirst=pd.Series([True, False]))[0].tolist()
    [Timestamp('2026-07-04 00:00:00'), Timestamp('2026-04-07 00:00:00')]
    """
    if isinstance(dayfirst, pd.Series):
        first = dayfirst.reindex(s.index).fillna(False).astype(bool)
        if first.all() or not first.any():
            dayfirst = bool(first.all()) and len(first) > 0
        else:
            mixed = date_order(s) == "mixed" if mixed is None else mixed
            parts = [
                parse_periods(
                    s[m], dayfirst=d, required=required, allow_month=allow_month, mixed=mixed
                )
                for m, d in ((first, True), (~first, False))
            ]
            return tuple(pd.concat([p[k] for p in parts]).reindex(s.index) for k in range(3))  # type: ignore
    t = s.str.replace(_INVISIBLE, "", regex=True).str.strip()
    dash = (
        t.isin(list(NO_DATE)).fillna(False).astype(bool)
    )  # ERPs write an empty date as "-" (LingXing)
    t = t.mask(dash)
    start = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    end = start.copy()
    # ISO timestamps (with or without zone): the calendar date as written
    iso = t.str.fullmatch(
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| [A-Z]{3,4})?"
    )
    iso = iso.fillna(False).astype(bool)
    t = t.mask(iso, t.str.slice(0, 10))
    # year-first timestamps (``2026/09/24 16:55:33``, Chinese ERPs and the Bank of China): the date part
    t = t.str.replace(r"^(\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2})[ T]\d{1,2}:\d{2}.*$", r"\1", regex=True)
    # US timestamps (``10/05/2026 07:00:00 PDT``): the date part
    t = t.str.replace(
        r"^(\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4})[ T]\d{1,2}:\d{2}.*$", r"\1", regex=True
    )
    # month-name timestamps, as Amazon's transaction view writes them (``Oct 20, 2026 9:00:00 AM PST``,
    # ``20 Oct 2026 09:00:00 GMT+00:00``, ``1 oct. 2026 00:12:34 UTC``, ``20 set 2026 09.15.02 UTC``): the date
    # part, its month name in English
    named = t.str.contains(r"^\d{1,2} [^\W\d]{3,5}\.? \d{4}", regex=True).fillna(False).astype(bool)
    if named.any():
        u = t[named]
        for local, english in LOCAL_MONTHS.items():
            u = u.str.replace(
                rf"(?i)^(\d{{1,2}}) {local}\.? (?=\d{{4}})", rf"\1 {english} ", regex=True
            )
        t = t.mask(named, u)
    t = t.str.replace(r"^([A-Za-z]{3,9}\.? \d{1,2}, \d{4}) \d{1,2}:\d{2}.*$", r"\1", regex=True)
    t = t.str.replace(r"^(\d{1,2} [A-Za-z]{3,9}\.? \d{4}) \d{1,2}[:.]\d{2}.*$", r"\1", regex=True)
    mixed = date_order(t) == "mixed" if mixed is None else mixed
    ambiguous = (
        t.str.fullmatch(r"(0?[1-9]|1[0-2])[/\-](0?[1-9]|1[0-2])[/\-]\d{2,4}")
        .fillna(False)
        .astype(bool)
    )
    ambiguous &= mixed
    for fmt in DAY_FIRST_FORMATS if dayfirst else DAY_FORMATS:
        todo = start.isna() & t.notna() & ~ambiguous
        if not todo.any():
            break
        got = pd.to_datetime(t.where(todo), format=fmt, errors="coerce")
        start = start.fillna(got.astype("datetime64[s]"))
    end = start.copy()
    month = pd.Series(False, index=s.index)
    for fmt in MONTH_FORMATS:
        todo = start.isna() & t.notna() & ~ambiguous
        if not todo.any():
            break
        got = pd.to_datetime(t.where(todo), format=fmt, errors="coerce").astype("datetime64[s]")
        month |= got.notna()
        start = start.fillna(got)
        end = end.fillna((got + pd.offsets.MonthEnd(0)).astype("datetime64[s]"))
    serial = pd.to_numeric(t.where(start.isna()), errors="coerce")
    serial = serial.where((serial > 20000) & (serial < 80000) & (serial == serial.round(0)))
    from_serial = (EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")).astype("datetime64[s]")
    start = start.fillna(from_serial)
    end = end.fillna(from_serial)
    implausible = start.notna() & ((start.dt.year < FIRST_YEAR) | (start.dt.year > LAST_YEAR))
    start, end = start.mask(implausible), end.mask(implausible)
    blank = _blank(s) | dash
    reason = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        start.isna() & ~blank, DATE_REASON
    )
    reason = reason.mask(
        implausible, f"a date outside {FIRST_YEAR}–{LAST_YEAR} (a year typed short?)"
    )
    reason = reason.mask(ambiguous, MIXED_DATES_REASON)
    if not allow_month:
        reason = reason.mask(month, MONTH_NOT_DAY_REASON)
        start, end = start.mask(month), end.mask(month)
    if required:
        reason = reason.mask(blank, "missing date")
    return start, end, reason
