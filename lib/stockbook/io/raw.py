"""Read a delimited text file or a spreadsheet into strings, keeping line numbers.

Nothing is typed here: every cell stays text, so identifiers keep their leading
zeros and the typed parse (``stockbook.io.parse``) can say which cell was bad.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stockbook.errors import InputError

TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
SHEET_SUFFIXES = {".xlsx", ".xlsm"}
DATA_SUFFIXES = TEXT_SUFFIXES | SHEET_SUFFIXES

#: how many rows at the top of a sheet may precede the header (titles, notes)
HEADER_SEARCH_ROWS = 10


@dataclass
class RawTable:
    """A file's header and rows, all text, with the file line of each row."""

    path: Path
    header: list[str]
    header_line: int
    cells: pd.DataFrame  # one column per header position (0..n-1), all strings
    lines: np.ndarray  # file line (1-based) of each row
    ragged: pd.DataFrame  # rows with the wrong number of fields: line, fields
    encoding: str
    delimiter: str | None
    sheet: str | None = None

    @property
    def rows_in(self) -> int:
        """Data rows read, well-formed or not (blank lines are not rows)."""
        return len(self.cells) + len(self.ragged)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030.

    >>> decode("期初库存".encode("gb18030"), Path("x.csv"))[1]
    'gb18030'
    >>> decode(codecs.BOM_UTF8 + b"a,b", Path("x.csv"))
    ('a,b', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_or_raise(data, "utf-16", path, "UTF-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return _decode_or_raise(data[len(codecs.BOM_UTF8):], "utf-8", path, "UTF-8 (it starts with a UTF-8 BOM)"), \
            "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    line = data[: utf8_error.start].count(b"\n") + 1
    raise InputError(
        path,
        f"cannot decode byte 0x{data[utf8_error.start]:02x}",
        line=line,
        expected="text in UTF-8, UTF-8 with BOM, UTF-16 or GB18030",
    )


def _decode_or_raise(data: bytes, encoding: str, path: Path, label: str) -> str:
    """Decode with the encoding the file's BOM announces; a bad byte is an InputError with its line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode(encoding, errors="replace")
        raise InputError(path, f"cannot decode bytes at offset {exc.start} as {label}", line=good.count("\n") + 1,
                         expected=f"valid {label} text throughout (the file may be damaged or cut)") from exc


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
    if suffix in SHEET_SUFFIXES:
        return _read_sheet(path)
    if suffix in TEXT_SUFFIXES:
        return _read_text(path)
    raise InputError(path, f"unsupported file type {suffix or '(none)'}", expected=", ".join(sorted(DATA_SUFFIXES)))


def _read_text(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, "the file is empty", line=1, expected="a header row")
    text, encoding = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    header_line = 0
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            end = reader.line_num
            if header is None:
                if any(c.strip() for c in row):
                    header = [c.strip() for c in row]
                    header_line = start
            elif any(c.strip() for c in row):
                rows.append(row)
                lines.append(start)
            start = end + 1
    except csv.Error as exc:
        raise InputError(path, f"malformed line: {exc}", line=start) from exc
    if header is None:
        raise InputError(path, "the file has no header row", line=1, expected="a header row")
    return _frame(path, header, header_line, rows, lines, encoding, delimiter, None)


def _read_sheet(path: Path) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(path, f"cannot open the workbook: {exc}", expected="an .xlsx file") from exc
    try:
        from stockbook.io.formats import detect_format

        chosen = None
        for ws in wb.worksheets:
            head = []
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
                head.append((i, row))
                if i >= HEADER_SEARCH_ROWS:
                    break
            for i, row in head:
                cand = [_cell_text(v).strip() for v in row]
                if sum(bool(c) for c in cand) >= 2 and detect_format(cand, strict=False) is not None:
                    chosen = (ws, i, cand)
                    break
            if chosen:
                break
        if chosen is None:
            ws = wb.worksheets[0]
            first = next(
                ((i, r) for i, r in enumerate(ws.iter_rows(values_only=True), 1) if any(v not in (None, "") for v in r)),
                None,
            )
            if first is None:
                raise InputError(path, "the workbook is empty", line=1, expected="a header row")
            chosen = (ws, first[0], [_cell_text(v).strip() for v in first[1]])
        ws, header_line, header = chosen
        while header and not header[-1]:
            header.pop()
        rows: list[list[str]] = []
        lines: list[int] = []
        for i, row in enumerate(ws.iter_rows(min_row=header_line + 1, values_only=True), start=header_line + 1):
            cells = [_cell_text(v) for v in row[: len(header)]]
            extra = [_cell_text(v) for v in row[len(header) :] if v not in (None, "")]
            if any(c.strip() for c in cells) or extra:
                rows.append(cells + extra)
                lines.append(i)
        if any(not c.strip() for r in rows for c in r):
            _restore_formulas(path, ws.title, header_line, len(header), rows, lines)
        return _frame(path, header, header_line, rows, lines, "xlsx", None, ws.title)
    except InputError:
        raise
    except Exception as exc:  # a damaged workbook fails inside openpyxl while its sheets are read
        raise InputError(path, f"cannot read the workbook: {type(exc).__name__}: {exc}",
                         expected="an .xlsx file saved by Excel or a program that writes it whole") from exc
    finally:
        wb.close()


def _restore_formulas(path: Path, sheet: str, header_line: int, width: int, rows: list[list[str]],
                      lines: list[int]) -> None:
    """Where a cell is blank only because its formula has no saved result (a file written by a program,
    never opened in Excel), put the formula text back, so the parse can say so instead of "missing"."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        where = {line: k for k, line in enumerate(lines)}
        for i, row in enumerate(wb[sheet].iter_rows(min_row=header_line + 1, values_only=True),
                                start=header_line + 1):
            k = where.get(i)
            if k is None:
                continue
            for j, v in enumerate(row[:width]):
                if isinstance(v, str) and v.startswith("=") and j < len(rows[k]) and not rows[k][j].strip():
                    rows[k][j] = v
    finally:
        wb.close()


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()  # type: ignore[no-any-return]
    return str(v)


def _frame(
    path: Path,
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    encoding: str,
    delimiter: str | None,
    sheet: str | None,
) -> RawTable:
    n = len(header)
    ok = [i for i, r in enumerate(rows) if len(r) == n or (len(r) < n and sheet is not None)]
    bad = [i for i, r in enumerate(rows) if not (len(r) == n or (len(r) < n and sheet is not None))]
    good_rows = [rows[i] + [""] * (n - len(rows[i])) for i in ok]
    cells = pd.DataFrame(good_rows, columns=range(n), dtype="string") if good_rows else pd.DataFrame(
        {i: pd.Series([], dtype="string") for i in range(n)}
    )
    ragged = pd.DataFrame(
        {"line": [lines[i] for i in bad], "fields": [len(rows[i]) for i in bad], "value": [
            (delimiter or ",").join(rows[i])[:200] for i in bad
        ]}
    )
    return RawTable(
        path=path,
        header=header,
        header_line=header_line,
        cells=cells,
        lines=np.asarray([lines[i] for i in ok], dtype=np.int64),
        ragged=ragged,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
    )
