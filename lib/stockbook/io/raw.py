"""Read a delimited text file or a spreadsheet into strings, keeping line numbers.

Nothing is typed here: every cell stays text, so identifiers keep their leading
zeros and the typed parse (``stockbook.io.parse``) can say which cell was bad.
What cannot be a row is set aside here with its reason (:attr:`RawTable.broken`):
a row with the wrong number of fields, a quote that was never closed (it would
swallow the rows after it), a cell longer than Excel's limit, the header row
repeated inside the data.

Where the header is: the first of the top :data:`HEADER_SEARCH_ROWS` rows that
names a known format; rows above it are a title (kept in
:attr:`RawTable.title`, a report month may be written there).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from stockbook.errors import InputError
from stockbook.io.formats import detect_format

TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
SHEET_SUFFIXES = {".xlsx", ".xlsm"}
DATA_SUFFIXES = TEXT_SUFFIXES | SHEET_SUFFIXES

#: how many non-blank rows at the top of a file or sheet may precede the header (titles, notes, export dates)
HEADER_SEARCH_ROWS = 50

#: the longest cell kept, in characters: Excel's own limit per cell, so a CSV and an XLSX of the same rows
#: agree. A longer cell's row goes to the quarantine with this reason.
MAX_CELL_CHARS = 32_767

#: an XLSX is a zip archive: one that would expand to more than ``MAX_XLSX_EXPANDED_BYTES`` and more than
#: ``MAX_XLSX_RATIO`` times its packed size is refused before it is read (a "zip bomb", or a sheet of
#: millions of copies of one string). Real exports pack 5–20×.
MAX_XLSX_RATIO = 100
MAX_XLSX_EXPANDED_BYTES = 64 * 1024 * 1024


@dataclass
class RawTable:
    """A file's header and rows, all text, with the file line of each row."""

    path: Path
    header: list[str]
    header_line: int
    cells: pd.DataFrame  # one column per header position (0..n-1), all strings
    lines: np.ndarray  # file line (1-based) of each row
    broken: pd.DataFrame  # rows that cannot be rows: line, value, reason
    encoding: str
    delimiter: str | None
    sheet: str | None = None
    title: list[str] = field(default_factory=list)  # the text of the rows above the header
    notes: list[str] = field(default_factory=list)  # what the reader had to guess, for `validate`

    @property
    def rows_in(self) -> int:
        """Data rows read, well-formed or not (blank lines are not rows)."""
        return len(self.cells) + len(self.broken)


#: characters that are never part of an identifier or a header: zero-width spaces and joiners, the
#: byte-order mark, the soft hyphen, NUL
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"
#: spaces that look like a space but are not one (no-break, ideographic, thin …)
ODD_SPACES = "\u00a0\u3000\u2007\u202f\u2009"
_INVISIBLE_RX = re.compile(f"[{INVISIBLE}]")
_ODD_SPACE_RX = re.compile(f"[{ODD_SPACES}]")


def clean_text(value: str) -> str:
    """A cell with invisible characters removed and odd spaces made plain, trimmed.

    >>> clean_text("\\ufeffSKU\\u200b-1\\u00a0"), clean_text("A\\x00B")
    ('SKU-1', 'AB')
    """
    return _ODD_SPACE_RX.sub(" ", _INVISIBLE_RX.sub("", value)).strip()


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the bytes look like UTF-16 text written without a BOM, else None.

    Text in UTF-16 that is mostly ASCII (headers, numbers, dates) has a NUL in every other byte.
    """
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _gb_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese (GB2312) characters."""
    wide = [c for c in text[:200_000] if ord(c) > 127]
    if not wide:
        return 1.0
    common = 0
    for c in wide[:5000]:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / min(len(wide), 5000)


def _high_runs(data: bytes) -> tuple[int, int]:
    """(runs of consecutive bytes ≥ 0x80, how many of them are of odd length) in the first 200 kB.

    A double-byte encoding (GB18030, Shift_JIS) writes each non-ASCII character as two bytes, so its runs
    are even; a single-byte one (Windows-1252: "Müller", "café", "€ 5") writes one byte per letter, and
    most of its runs are a single byte.
    """
    runs = re.findall(rb"[\x80-\xff]+", data[:200_000])
    return len(runs), sum(len(r) % 2 for r in runs)


def _kana_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are Japanese kana (hiragana, katakana)."""
    wide = [c for c in text[:200_000] if ord(c) > 127][:5000]
    if not wide:
        return 0.0
    return sum("\u3040" <= c <= "\u30ff" for c in wide) / len(wide)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (with or without BOM), Shift_JIS, GB18030 or
    Windows-1252, told apart by the bytes themselves.

    Bytes that are not UTF-8 are, in this order: **Shift_JIS** (Windows-31J, amazon.co.jp downloads)
    when they read as Japanese with kana (a Western or Chinese file almost never holds the bytes of
    kana); **Windows-1252** (Western Windows, a German or French Excel) when many runs of non-ASCII bytes
    are one byte long (one byte per accented letter); **GB18030** (Chinese
    Windows, Excel's "CSV" in China) when they read as common Chinese characters; else Windows-1252.
    GB18030 accepts almost any bytes, so it is never the first guess: a Western or Japanese file read as
    GB18030 would be garbage without an error.

    >>> decode("期初库存".encode("gb18030"), Path("x.csv"))[1]
    'gb18030'
    >>> decode(codecs.BOM_UTF8 + b"a,b", Path("x.csv"))
    ('a,b', 'utf-8-sig')
    >>> decode("Crème brûlée,5".encode("cp1252"), Path("x.csv"))
    ('Crème brûlée,5', 'cp1252')
    >>> decode("Größe,Müller,Öl".encode("cp1252"), Path("x.csv"))
    ('Größe,Müller,Öl', 'cp1252')
    >>> decode("日付/時間,トランザクションの種類,返金".encode("shift_jis"), Path("x.csv"))
    ('日付/時間,トランザクションの種類,返金', 'cp932')
    >>> decode("SKU,units".encode("utf-16-le"), Path("x.csv"))
    ('SKU,units', 'utf-16-le')
    """
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_or_raise(data, "utf-16", path, "UTF-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return _decode_or_raise(
            data[len(codecs.BOM_UTF8) :], "utf-8", path, "UTF-8 (it starts with a UTF-8 BOM)"
        ), "utf-8-sig"
    wide = _utf16_without_bom(data)
    if wide:
        return _decode_or_raise(data, wide, path, "UTF-16 (without a BOM)"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc

    def attempt(encoding: str) -> str | None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            return None

    sjis = attempt("cp932")
    if sjis is not None and _kana_share(sjis) >= 0.1:
        return sjis, "cp932"
    runs, odd = _high_runs(data)
    western = attempt("cp1252")
    if western is not None and runs and odd / runs >= 0.25:
        return western, "cp1252"
    gb = attempt("gb18030")
    if gb is not None and _gb_share(gb) >= 0.5:
        return gb, "gb18030"
    if western is not None:
        return western, "cp1252"
    if sjis is not None:
        return sjis, "cp932"
    if gb is not None:
        return gb, "gb18030"
    line = data[: utf8_error.start].count(b"\n") + 1
    raise InputError(
        path,
        f"cannot decode byte 0x{data[utf8_error.start]:02x}",
        line=line,
        expected="text in UTF-8, UTF-8 with BOM, UTF-16, Shift_JIS, GB18030 or Windows-1252",
    )


ENCODING_NOTES = {
    "cp932": "decoded as Shift_JIS (Windows-31J, Japanese Windows and amazon.co.jp downloads): the file is not UTF-8",
    "gb18030": "decoded as GB18030 (Chinese Windows): the file is not UTF-8",
    "cp1252": "decoded as Windows-1252 (Western Windows): the file is not UTF-8; check accented text",
    "utf-16-le": "decoded as UTF-16 without a byte-order mark",
    "utf-16-be": "decoded as UTF-16 (big-endian) without a byte-order mark",
}


def _decode_or_raise(data: bytes, encoding: str, path: Path, label: str) -> str:
    """Decode with the encoding the file's BOM announces; a bad byte is an InputError with its line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode(encoding, errors="replace")
        raise InputError(
            path,
            f"cannot decode bytes at offset {exc.start} as {label}",
            line=good.count("\n") + 1,
            expected=f"valid {label} text throughout (the file may be damaged or cut)",
        ) from exc


def sniff_delimiter(header_line: str) -> str:
    """Tab if the header has tabs (Amazon's .txt), else the commonest of , ; |.

    >>> sniff_delimiter("Date\\tFNSKU\\tASIN")
    '\\t'
    >>> sniff_delimiter("sku;units")
    ';'
    """
    if "\t" in header_line:
        return "\t"
    counts = {d: header_line.count(d) for d in (",", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_raw(path: str | Path) -> RawTable:
    """Read ``path`` (CSV/TSV/TXT or XLSX) into a :class:`RawTable` of strings."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    suffix = path.suffix.lower()
    try:
        if suffix in SHEET_SUFFIXES:
            return _read_sheet(path)
        if suffix in TEXT_SUFFIXES:
            return _read_text(path)
    except PermissionError as exc:
        raise InputError(
            path,
            "the file cannot be read: permission denied",
            expected="a file this user may read (check its permissions)",
        ) from exc
    except IsADirectoryError as exc:
        raise InputError(path, "a folder, not a file") from exc
    except OSError as exc:
        raise InputError(path, f"the file cannot be read: {exc.strerror or exc}") from exc
    raise InputError(
        path,
        f"unsupported file type {suffix or '(none)'}",
        expected=", ".join(sorted(DATA_SUFFIXES)),
    )


def _is_header(cells: list[str]) -> bool:
    return sum(bool(c) for c in cells) >= 2 and detect_format(cells, strict=False) is not None


def _find_text_header(lines: list[str]) -> tuple[int, str]:
    """(index of the header line, delimiter): the first of the top lines that names a known format,
    else the first of the widest top lines (a report's note lines above its header are one cell each, so a
    file no format fits is refused by its header, not by "Includes Amazon Marketplace…"), else the first
    non-blank line."""
    first = None
    widest, width = None, 2
    seen = 0
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        first = i if first is None else first
        delim = sniff_delimiter(ln)
        cells = [clean_text(c) for c in next(csv.reader([ln], delimiter=delim), [])]
        if _is_header(cells):
            return i, delim
        filled = sum(bool(c) for c in cells)
        if filled > width:
            widest, width = i, filled
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        return -1, ","
    at = widest if widest is not None else first
    return at, sniff_delimiter(lines[at])


def _read_text(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, "the file is empty", line=1, expected="a header row")
    text, encoding = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip(" \t\n\x00\ufeff"):
        raise InputError(path, "the file is empty", line=1, expected="a header row")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    h, delimiter = _find_text_header(lines)
    if h < 0:
        raise InputError(path, "the file has no header row", line=1, expected="a header row")
    csv.field_size_limit(
        1 << 30
    )  # long cells are read, then quarantined by MAX_CELL_CHARS with a reason
    header_fields = next(csv.reader([lines[h]], delimiter=delimiter), [])
    header = [clean_text(c) for c in header_fields]
    while header and not header[-1]:
        header.pop()
    n = len(header)
    rows: list[list[str]] = []
    row_lines: list[int] = []
    broken: list[tuple[int, str, str]] = []
    for line, fields, problem in _records(iter(lines[h + 1 :]), h + 2, delimiter, n):
        row = None
        if not problem:
            row, problem = _row_or_problem(fields, n, delimiter)
        if problem:
            broken.append((line, (delimiter.join(fields) if fields else "")[:200], problem))
            continue
        rows.append(row)
        row_lines.append(line)
    notes = [ENCODING_NOTES[encoding]] if encoding in ENCODING_NOTES else []
    title = [ln.strip() for ln in lines[:h] if ln.strip()]
    if title:
        notes.append(f"header on line {h + 1}, the {len(title)} line(s) above it read as a title")
    return _frame(
        path, header, h + 1, rows, row_lines, broken, encoding, delimiter, None, title, notes
    )


def _records(
    lines: Iterable[str], first: int, delimiter: str, n: int
) -> Iterator[tuple[int, list[str], str]]:
    """(file line, fields, problem) of each non-blank record of ``lines`` (the first is file line ``first``);
    problem is "" when the record is fine. ``lines`` may be a stream: only one record is held at a time.

    A record that runs over several lines is kept only when it looks like a quoted value with line
    breaks in it. When its field count is wrong, or a line inside it would be a whole row on its own,
    a quote was opened and never closed: its first line goes out with that reason and the lines it
    swallowed are read again as their own rows.
    """
    held: list[str] = []

    def feed() -> Iterator[str]:
        for ln in lines:
            held.append(ln)
            yield ln + "\n"

    reader = csv.reader(feed(), delimiter=delimiter, strict=False)
    begin = first  # file line (1-based) where the next record starts
    for fields in reader:
        taken = held[:]
        held.clear()
        if len(taken) > 1 and any(f.strip() for f in fields):
            inner = taken[1:]
            if len(fields) != n or any(ln.count(delimiter) >= max(n - 1, 1) for ln in inner):
                yield (
                    begin,
                    [taken[0]],
                    (
                        f"a quote opened in this row is never closed: it ran over the next {len(inner)} "
                        "line(s), which are read as their own rows"
                    ),
                )
                yield from _records(inner, begin + 1, delimiter, n)
                begin += len(taken)
                continue
        if any(f.strip() for f in fields):
            long = max(map(len, fields)) if len(taken[0]) > MAX_CELL_CHARS or len(taken) > 1 else 0
            if long > MAX_CELL_CHARS:
                yield (
                    begin,
                    [f[:100] for f in fields],
                    f"a cell of {long:,} characters (the limit is {MAX_CELL_CHARS:,}, Excel's own)",
                )
            else:
                yield begin, fields, ""
        begin += max(len(taken), 1)


def _row_or_problem(fields: list[str], n: int, delimiter: str) -> tuple[list[str] | None, str]:
    """A record's fields fitted to the header's ``n`` columns, or the reason it cannot be a row."""
    if len(fields) > n and not any(f.strip() for f in fields[n:]):
        fields = fields[:n]  # trailing empty fields (a delimiter at the end of the line)
    if len(fields) != n:
        return None, (
            f"expected {n} fields, found {len(fields)} (truncated, or a delimiter inside an unquoted "
            "value)"
        )
    return fields, ""


def iter_text_chunks(path: str | Path, *, rows: int = 250_000) -> Iterator[RawTable]:
    """A UTF-8 text file as :class:`RawTable` blocks of at most ``rows`` rows, read as a stream.

    Each block is what :func:`read_raw` would give for those rows (same header, lines, broken rows and
    reasons), so a file of any size is read in bounded memory by the same rules.
    """
    path = Path(path)
    with open(path, encoding="utf-8-sig", errors="strict", newline=None) as fh:
        lines = (ln[:-1] if ln.endswith("\n") else ln for ln in fh)
        head: list[str] = []
        for ln in lines:
            head.append(ln)
            if sum(bool(x.strip()) for x in head) >= HEADER_SEARCH_ROWS:
                break
        h, delimiter = _find_text_header(head)
        if h < 0:
            raise InputError(path, "the file is empty", line=1, expected="a header row")
        header = [clean_text(c) for c in next(csv.reader([head[h]], delimiter=delimiter), [])]
        while header and not header[-1]:
            header.pop()
        n = len(header)
        title = [ln.strip() for ln in head[:h] if ln.strip()]
        notes = (
            [f"header on line {h + 1}, the {len(title)} line(s) above it read as a title"]
            if title
            else []
        )
        csv.field_size_limit(1 << 30)

        def rest() -> Iterator[str]:
            yield from head[h + 1 :]
            yield from lines

        block: list[list[str]] = []
        block_lines: list[int] = []
        broken: list[tuple[int, str, str]] = []
        sent = False
        for line, fields, problem in _records(rest(), h + 2, delimiter, n):
            row = None
            if not problem:
                row, problem = _row_or_problem(fields, n, delimiter)
            if problem:
                broken.append((line, (delimiter.join(fields) if fields else "")[:200], problem))
            else:
                block.append(row)
                block_lines.append(line)
            if len(block) + len(broken) >= rows:
                yield _frame(
                    path,
                    header,
                    h + 1,
                    block,
                    block_lines,
                    broken,
                    "utf-8",
                    delimiter,
                    None,
                    title,
                    notes,
                )
                block, block_lines, broken = [], [], []
                sent = True
        if block or broken or not sent:
            yield _frame(
                path,
                header,
                h + 1,
                block,
                block_lines,
                broken,
                "utf-8",
                delimiter,
                None,
                title,
                notes,
            )


def _check_archive(path: Path) -> None:
    """Refuse an XLSX that would expand far beyond its size (see :data:`MAX_XLSX_RATIO`), before reading it."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(
            path,
            f"cannot open the workbook: {exc}",
            line=1,
            expected="an .xlsx file saved by Excel or a program that writes it whole",
        ) from exc
    packed = max(sum(i.compress_size for i in infos), 1)
    expanded = sum(i.file_size for i in infos)
    if expanded > MAX_XLSX_EXPANDED_BYTES and expanded > MAX_XLSX_RATIO * packed:
        raise InputError(
            path,
            f"the workbook would expand from {packed:,} to {expanded:,} bytes "
            f"({expanded / packed:,.0f}× its size; the limit is {MAX_XLSX_RATIO}× beyond "
            f"{MAX_XLSX_EXPANDED_BYTES // 2**20} MB): refused unread",
            line=1,
            expected="a workbook of ordinary rows (export it again, or save it as CSV)",
        )


def _has_formulas(path: Path) -> bool:
    """Whether any sheet's XML holds a formula (``<f>``): only then is openpyxl needed."""
    try:
        with zipfile.ZipFile(path) as z:
            names = sorted(
                n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
            )
            for name in names:
                with z.open(name) as fh:
                    tail = b""
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                            return True
                        tail = chunk[-8:]
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    return False


def _read_sheet(path: Path) -> RawTable:
    from python_calamine import CalamineError, CalamineWorkbook

    _check_archive(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = [
            (name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in wb.sheet_names
        ]
    except (CalamineError, ValueError, OSError) as exc:
        raise InputError(
            path,
            f"cannot read the workbook: {type(exc).__name__}: {exc}",
            expected="an .xlsx file saved by Excel or a program that writes it whole",
        ) from exc
    except Exception as exc:  # calamine raises its own types for a damaged archive
        raise InputError(
            path,
            f"cannot read the workbook: {type(exc).__name__}: {exc}",
            expected="an .xlsx file saved by Excel or a program that writes it whole",
        ) from exc
    chosen = None
    for k, (name, values) in enumerate(sheets):
        seen = 0
        for i, row in enumerate(values):
            cand = [clean_text(_cell_text(v)) for v in row]
            if not any(cand):
                continue
            if _is_header(cand):
                chosen = (k, name, values, i)
                break
            seen += 1
            if seen >= HEADER_SEARCH_ROWS:
                break
        if chosen:
            break
    if chosen is None:
        for k, (name, values) in enumerate(sheets):
            first = next(
                (i for i, r in enumerate(values) if any(_cell_text(v).strip() for v in r)), None
            )
            if first is not None:
                chosen = (k, name, values, first)
                break
    if chosen is None:
        raise InputError(path, "the workbook is empty", line=1, expected="a header row")
    k, name, values, h = chosen
    header = [clean_text(_cell_text(v)) for v in values[h]]
    while header and not header[-1]:
        header.pop()
    n = len(header)
    body = values[h + 1 :]
    columns = [_texts(c) for c in itertools.zip_longest(*body)] if body else []
    columns += [pd.Series([""] * len(body), dtype="string")] * max(0, n - len(columns))
    cells = (
        pd.DataFrame({j: columns[j] for j in range(n)}) if body else pd.DataFrame(columns=range(n))
    )
    lines = np.arange(len(body), dtype=np.int64) + h + 2
    filled = np.zeros(len(body), dtype=bool)
    longest = np.zeros(len(body), dtype=np.int64)
    for col in columns:
        filled |= (col.str.strip() != "").to_numpy()
        longest = np.maximum(longest, col.str.len().to_numpy())
    extra = np.zeros(len(body), dtype=bool)
    for col in columns[n:]:
        extra |= (col.str.strip() != "").to_numpy()
    broken: list[tuple[int, str, str]] = []
    too_long = filled & (longest > MAX_CELL_CHARS)
    for i in np.flatnonzero(too_long):
        broken.append(
            (
                int(lines[i]),
                ",".join(c[:100] for c in cells.iloc[i]),
                f"a cell of {int(longest[i]):,} characters (the limit is {MAX_CELL_CHARS:,}, Excel's own)",
            )
        )
    for i in np.flatnonzero(filled & extra & ~too_long):
        broken.append(
            (
                int(lines[i]),
                ",".join(str(c[i]) for c in columns)[:200],
                f"expected {n} fields, found {n + int(sum(bool(str(c[i]).strip()) for c in columns[n:]))} "
                "(values beyond the last header)",
            )
        )
    keep = filled & ~too_long & ~extra
    cells = cells.loc[keep].reset_index(drop=True).astype("string")
    lines = lines[keep]
    if _has_formulas(path) and len(cells) and (cells == "").to_numpy().any():
        rows = cells.to_numpy().tolist()
        _restore_formulas(path, name, h + 1, n, rows, list(lines))
        cells = pd.DataFrame(rows, columns=range(n), dtype="string")
    title = [" ".join(_cell_text(v) for v in r if _cell_text(v).strip()) for r in values[:h]]
    title = [t for t in title if t]
    notes = [f"sheet {name!r}, header on row {h + 1}"] if (k or h) else []
    return _frame_cells(path, header, h + 1, cells, lines, broken, "xlsx", None, name, title, notes)


def _texts(column: tuple[object, ...] | list[object]) -> pd.Series:
    """A sheet column's cells as text, a column at a time: whole numbers without ``.0``, other numbers as
    Python writes them, dates in ISO, blanks empty.

    >>> _texts([12.0, 0.5, "00123", None, True, ""]).tolist()
    ['12', '0.5', '00123', '', 'True', '']
    """
    s = pd.Series(column, dtype=object)
    blank = (s.isna() | (s == "")).to_numpy()
    v = s[~blank]
    out = pd.Series("", index=s.index, dtype=object)
    kind = pd.api.types.infer_dtype(v, skipna=True) if len(v) else "empty"
    if kind == "string":
        out[~blank] = v
    elif kind in ("floating", "integer", "mixed-integer-float"):
        out[~blank] = _number_texts(v.astype("float64"))
    elif kind != "empty":
        types = v.map(type)
        is_str = types.map(lambda t: t is str).astype(bool)
        is_num = types.isin((float, int)) & ~is_str
        out.loc[v.index[is_str.to_numpy()]] = v[is_str].to_numpy()
        if is_num.any():
            out.loc[v.index[is_num.to_numpy()]] = _number_texts(
                v[is_num].astype("float64")
            ).to_numpy()
        rest = ~(is_str | is_num)
        out.loc[v.index[rest.to_numpy()]] = v[rest].map(_cell_text).to_numpy()
    return out.astype("string")


def _number_texts(x: pd.Series) -> pd.Series:
    """Numbers as text: whole ones without ``.0`` (``12``), others as Python writes them (``0.5``)."""
    whole = (np.isfinite(x) & (x == np.floor(x)) & (x.abs() < 1e15)).to_numpy()
    out = pd.Series("", index=x.index, dtype=object)
    out[whole] = x[whole].astype("int64").astype(str).to_numpy()
    out[~whole] = x[~whole].astype(str).to_numpy()  # numpy writes the shortest repr, as Python does
    return out


def _restore_formulas(
    path: Path, sheet: str, header_line: int, width: int, rows: list[list[str]], lines: list[int]
) -> None:
    """Where a cell is blank only because its formula has no saved result (a file written by a program,
    never opened in Excel), put the formula text back, so the parse can say so instead of "missing".

    calamine reads the saved results; only openpyxl sees the formulas, so it is opened only for a
    workbook that has some (:func:`_has_formulas`)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        where = {line: k for k, line in enumerate(lines)}
        for i, row in enumerate(
            wb[sheet].iter_rows(min_row=header_line + 1, values_only=True), start=header_line + 1
        ):
            k = where.get(i)
            if k is None:
                continue
            for j, v in enumerate(row[:width]):
                if (
                    isinstance(v, str)
                    and v.startswith("=")
                    and j < len(rows[k])
                    and not rows[k][j].strip()
                ):
                    rows[k][j] = v
    finally:
        wb.close()


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()  # type: ignore[no-any-return]
    return str(v)


def _frame(
    path: Path,
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    broken: list[tuple[int, str, str]],
    encoding: str,
    delimiter: str | None,
    sheet: str | None,
    title: list[str],
    notes: list[str],
) -> RawTable:
    n = len(header)
    cells = (
        pd.DataFrame(rows, columns=range(n), dtype="string")
        if rows
        else pd.DataFrame({i: pd.Series([], dtype="string") for i in range(n)})
    )
    return _frame_cells(
        path,
        header,
        header_line,
        cells,
        np.asarray(lines, dtype=np.int64),
        broken,
        encoding,
        delimiter,
        sheet,
        title,
        notes,
    )


def _frame_cells(
    path: Path,
    header: list[str],
    header_line: int,
    cells: pd.DataFrame,
    lines: np.ndarray,
    broken: list[tuple[int, str, str]],
    encoding: str,
    delimiter: str | None,
    sheet: str | None,
    title: list[str],
    notes: list[str],
) -> RawTable:
    """A :class:`RawTable` from its cells (a column of strings per header position) and their lines."""
    n = len(header)
    if not len(cells):
        cells = pd.DataFrame({i: pd.Series([], dtype="string") for i in range(n)})
    # the header row pasted again inside the data (files joined by copy and paste)
    if len(cells) and n:
        again = np.ones(len(cells), dtype=bool)
        for j in range(n):
            again &= (cells[j].fillna("").str.strip().str.lower() == header[j].lower()).to_numpy()
        if again.any():
            for k in np.flatnonzero(again):
                broken.append(
                    (
                        int(lines[k]),
                        (delimiter or ",").join(cells.iloc[k].fillna("").tolist())[:200],
                        "the header row repeated inside the data (files pasted together)",
                    )
                )
            cells = cells.loc[~again].reset_index(drop=True)
            lines = np.asarray(lines)[~again]
    broken_df = (
        pd.DataFrame(sorted(broken), columns=["line", "value", "reason"])
        if broken
        else pd.DataFrame(
            {
                "line": pd.Series([], dtype="int64"),
                "value": pd.Series([], dtype="string"),
                "reason": pd.Series([], dtype="string"),
            }
        )
    )
    return RawTable(
        path=path,
        header=header,
        header_line=header_line,
        cells=cells,
        lines=np.asarray(lines, dtype=np.int64),
        broken=broken_df,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        title=title,
        notes=notes,
    )
