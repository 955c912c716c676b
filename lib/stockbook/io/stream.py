"""Large files into Parquet in bounded memory, read by the same rules as every other file.

Amazon's Inventory Ledger (summary view) and the daily sales export are the
files that grow to tens of millions of rows. Above ``STREAM_BYTES`` they are
not read whole into pandas; :func:`stream_to_parquet` writes their canonical
rows and quarantine straight into the ingest cache, one of two ways, with one
answer:

* **typed** (tried first): DuckDB's CSV reader parses the dates and numbers
  itself, in parallel. It is used only where its answer is the pandas readers'
  answer: the copy stops (and the file goes the second way) at the first row
  with a cell those readers would read otherwise or set aside: a number with
  a comma, a date in another shape or outside 1990–2100, a blank required
  cell, a fraction of a unit, a row with too many or too few fields, a quote
  left open, an identifier with invisible characters, a formula, a cell over
  Excel's length, a marketplace that writes dates day-first. After the copy,
  a file with blank lines or values over several lines (a row's line would not
  be its position) or with outflows written positive also goes the second way.
* **rows**: the file is read as a stream in blocks of rows by the pandas
  readers' own code (:func:`stockbook.io.raw.iter_text_chunks`, a
  :class:`~stockbook.io.readers.Plan` from a first pass over every block, then
  :func:`~stockbook.io.readers.apply_plan` per block), so a large file is read
  exactly as a small one.

Either way the entry holds ``data.parquet`` (canonical columns; the typed way
leaves out ``source_line``: a row's line is its position + :data:`FIRST_LINE`)
and ``quarantine.parquet``.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from stockbook import schema
from stockbook.errors import InputError
from stockbook.io.formats import (
    AMAZON_LEDGER_SUMMARY,
    OUT_FLOWS,
    SALES_DAILY,
    Format,
    detect_format,
)
from stockbook.io.parse import FIRST_YEAR, LAST_YEAR, MAX_UNITS
from stockbook.io.raw import MAX_CELL_CHARS, clean_text, iter_text_chunks, sniff_delimiter
from stockbook.io.readers import (
    DAY_FIRST,
    DISPOSITION_ALIASES,
    apply_plan,
    choose_format,
    currency_note,
    make_plan,
    merge_scans,
    scan,
    unbalanced_notes,
)
from stockbook.money import CURRENCY_ALIASES, MARKETPLACE_ALIASES, MARKETPLACE_CURRENCY

#: files at least this large (bytes) in a streamable format go through DuckDB
STREAM_BYTES = int(os.environ.get("STOCKBOOK_STREAM_BYTES", 64 * 1024 * 1024))
STREAMABLE: tuple[Format, ...] = (AMAZON_LEDGER_SUMMARY, SALES_DAILY)

#: rows per block on the rows way (about 100 MB of pandas per block for a ledger)
BLOCK_ROWS = 250_000


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sniff(path: Path) -> tuple[list[str], str, Format | None]:
    """The header fields, the delimiter and the format of a text file, from its first line."""
    with open(path, "rb") as fh:
        first = fh.readline(1 << 20)
    if first.startswith(codecs.BOM_UTF8):
        first = first[3:]
    try:
        line = first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return [], ",", None  # not UTF-8: the pandas readers detect the encoding
    delim = sniff_delimiter(line)
    import csv

    header = [clean_text(h) for h in next(csv.reader([line], delimiter=delim), [])]
    return header, delim, detect_format(header)


def streamable(path: Path, *, min_bytes: int | None = None) -> Format | None:
    """The format to stream ``path`` with, or None (too small, not UTF-8 text, or another format)."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    if path.stat().st_size < (STREAM_BYTES if min_bytes is None else min_bytes):
        return None
    _, _, f = sniff(path)
    return f if f in STREAMABLE else None


def _whole(n: str) -> str:
    """SQL: the DOUBLE ``n`` is a whole number of units that fits (not NaN, not infinite, below 10¹⁵)."""
    return f"({n} = round({n}) AND abs({n}) < {MAX_UNITS:.0f})"


#: the line of a file's first data row (the header is line 1): a typed row's line is its position in the
#: entry's Parquet (DuckDB's ``file_row_number``, from 0) + ``FIRST_LINE``
FIRST_LINE = 2
LINE = f"CAST(file_row_number + {FIRST_LINE} AS BIGINT)"

#: an empty quarantine's columns
QUARANTINE_COLUMNS = (
    "CAST('' AS VARCHAR) AS source_file, CAST(NULL AS BIGINT) AS line, "
    'CAST(NULL AS VARCHAR) AS "column", CAST(NULL AS VARCHAR) AS value, '
    "CAST(NULL AS VARCHAR) AS reason"
)

#: a first value's shape -> the strptime format DuckDB's CSV reader can parse the whole column with,
#: and whether it names a month (``MM/YYYY``, ``YYYY-MM``: first to last day) rather than a day
_DATE_SHAPES: tuple[tuple[str, str, bool], ...] = (
    (r"\d{1,2}/\d{1,2}/\d{4}", "%m/%d/%Y", False),
    (r"\d{4}-\d{1,2}-\d{1,2}", "%Y-%m-%d", False),
    (r"\d{1,2}/\d{4}", "%m/%Y", True),
    (r"\d{4}-\d{1,2}", "%Y-%m", True),
)

#: a text cell the pandas readers would change or refuse: invisible characters and odd spaces (removed),
#: tabs or line breaks (trimmed, or a value over several lines), a formula, an id in scientific notation
_TEXT_TROUBLE = (
    r"[\x{0}\t\n\r\f\v\x{a0}\x{3000}\x{2007}\x{202f}\x{2009}\x{200b}\x{200c}\x{200d}\x{2060}"
    r"\x{feff}\x{ad}]|(^|\x{1})\s*=|(^|\x{1})\s*\d(\.\d+)?[eE]\+\d+\s*(\x{1}|$)"
)


def _first_row(path: Path, delim: str) -> list[str]:
    """The fields of the first data row (line 2), or [] when there is none."""
    import csv

    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        rows = csv.reader(fh, delimiter=delim)
        next(rows, None)
        return next(rows, [])


def typed_plan(path: Path, f: Format, header: list[str], delim: str) -> tuple[str, bool] | None:
    """The date format for reading ``path`` with typed columns (DuckDB's own CSV parsing), or None.

    The typed read is tried when the first data row's date is one of the plain shapes
    (:data:`_DATE_SHAPES`; a month only where the format allows one, as the ledger does). Every
    other row must then parse the same way, or the rows way reads the file (see
    :func:`stream_to_parquet`). Returns ``(strptime format, is a month)``.
    """
    mapping = f.map_header(header)
    dates = [
        c for c, kind in f.columns.items() if kind == "date" or (c == "date" and kind == "text")
    ]
    row = _first_row(path, delim)
    plans = set()
    for col in dates:
        if col not in mapping or mapping[col] >= len(row):
            continue
        value = row[mapping[col]].strip()
        shape = next(
            ((fmt, month) for rx, fmt, month in _DATE_SHAPES if re.fullmatch(rx, value)), None
        )
        if shape is None or (shape[1] and f.columns[col] != "text"):
            return None
        plans.add(shape)
    return plans.pop() if len(plans) == 1 else None


def line_count(path: Path) -> int:
    """Lines in a file (a last line without a line break counts), read at disk speed."""
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def stream_to_parquet(
    path: Path, f: Format, out_dir: Path, *, con, typed: bool = True
) -> dict[str, object]:
    """Read ``path`` (format ``f``) into ``out_dir/data.parquet`` and ``quarantine.parquet``.

    Returns ``{"rows_in": …, "rows_kept": …, "path": "typed" | "text", "notes": […]}``: the typed
    way (DuckDB's parsing, when it gives the pandas readers' answer) or the rows way (the pandas
    readers' own code in blocks). See the module text.
    """
    header, delim, found = sniff(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = typed_plan(path, f, header, delim) if typed and f in STREAMABLE and found is f else None
    if plan is not None:
        import duckdb

        con.execute("SET preserve_insertion_order = true")  # the lines depend on it (:data:`LINE`)
        try:
            got = _typed_copy(path, f, out_dir, con=con, header=header, delim=delim, plan=plan)
        except duckdb.InterruptException:
            raise  # interrupted by the user: not a reason to read the file again
        except duckdb.Error:
            got = None  # a cell the typed reader refused, or a row to quarantine: the rows way says which and why
        if got is not None:
            return got
    return rows_to_parquet(path, out_dir)


def _typed_copy(
    path: Path,
    f: Format,
    out_dir: Path,
    *,
    con,
    header: list[str],
    delim: str,
    plan: tuple[str, bool],
) -> dict[str, object] | None:
    """The typed way (see the module text); None when the file must go the rows way."""
    mapping = f.map_header(header)
    names = [f"c{i}" for i in range(len(header))]
    kinds = {mapping[col]: kind for col, kind in f.columns.items() if col in mapping}
    duck = {"units": "DOUBLE", "money": "DOUBLE", "date": "DATE"}
    types = {
        n: ("DATE" if i == mapping.get("date") else duck.get(kinds.get(i, ""), "VARCHAR"))
        for i, n in enumerate(names)
    }
    options = (
        f"types={{{', '.join(f'{_sql_str(n)}: {_sql_str(t)}' for n, t in types.items())}}}, "
        f"dateformat={_sql_str(plan[0])}"
    )
    src = (
        f"read_csv({_sql_str(str(path))}, delim={_sql_str(delim)}, header=true, {options}, "
        f"quote='\"', names=[{', '.join(_sql_str(n) for n in names)}], strict_mode=true)"
    )
    values: dict[str, str] = {}
    fine: list[str] = []  # SQL true when the row is kept as the pandas readers keep it
    texts: list[str] = []
    for col, dtype in f.columns.items():
        if col not in mapping:
            continue
        c = names[mapping[col]]
        required = col in f.required
        if (
            dtype == "date" or col == "date"
        ):  # the ledger's date (text: a day or a month) is its period
            values[col if dtype == "date" else "period_start"] = f"CAST({c} AS TIMESTAMP)"
            if dtype == "text":
                values["period_end"] = f"CAST({f'last_day({c})' if plan[1] else c} AS TIMESTAMP)"
            fine.append(f"year({c}) BETWEEN {FIRST_YEAR} AND {LAST_YEAR}")
        elif (
            dtype == "units"
        ):  # a blank is 0, empty or missing; 2.5 would be cast to 3, so it must stop the copy
            blank_zero = col in f.blank_is_zero
            values[col] = f"CAST({f'coalesce({c}, 0)' if blank_zero else c} AS BIGINT)"
            fine.append(
                f"coalesce({_whole(c)}, {'false' if required and not blank_zero else 'true'})"
            )
        elif (
            dtype == "money"
        ):  # cents as written; more decimals are rounded by the rows way (``parse.to_cents``)
            values[col] = c
            fine.append(f"coalesce({c} = round({c}, 2), true)")
        else:
            values[col] = f"nullif(trim({c}), '')"
            texts.append(c)
            if required:
                fine.append(f"nullif(trim({c}), '') IS NOT NULL")
    if texts:
        joined = f"concat_ws(chr(1), {', '.join(texts)})"
        fine.append(f"NOT regexp_matches({joined}, {_sql_str(_TEXT_TROUBLE)})")
        fine.append(f"length({joined}) <= {MAX_CELL_CHARS}")
    markets = [names[mapping[c]] for c in ("country", "location", "channel") if c in mapping]
    day_first = sorted(k for k, v in DAY_FIRST.items() if v)
    if plan[0].startswith("%m/%d"):  # 04/07: a day-first marketplace's row would be read day-first
        market_sql = " OR ".join(
            f"regexp_replace(lower(trim({m})), '^(www\\.)?amazon\\.', '') IN ({', '.join(map(_sql_str, day_first))})"
            for m in markets
        )
        if market_sql:
            fine.append(f"NOT coalesce({market_sql}, false)")
    if (
        f.table == "sales"
    ):  # what the pandas readers quarantine beyond a bad cell (``readers._finish``)
        fine += [
            f"coalesce({names[mapping[c]]} >= 0, true)"
            for c in ("units", "available")
            if c in mapping
        ]
    # each row's marketplace, and a sale's currency (as written, else its marketplace's), as ``readers._finish``
    sources = [
        c
        for c in (
            "marketplace",
            "country",
            "channel",
            *(("location",) if f.table == "ledger" else ()),
        )
        if c in values
    ]
    values["marketplace"] = (
        f"coalesce({', '.join(_marketplace_sql(values[c]) for c in sources)}, NULL)"
        if sources
        else "CAST(NULL AS VARCHAR)"
    )
    if f.table == "sales":
        written = (
            _lookup_sql(
                f"lower(trim({values['currency']}))",
                CURRENCY_ALIASES,
                f"nullif(upper(trim({values['currency']})), '')",
            )
            if "currency" in values
            else "NULL"
        )
        values["currency"] = (
            f"coalesce({written}, {_lookup_sql(values['marketplace'], MARKETPLACE_CURRENCY)})"
        )
    table = schema.TABLES[f.table]
    if f.table == "ledger":
        for col in (*schema.FLOWS, "unknown_events", "in_transit_between_warehouses"):
            values.setdefault(col, "0")
        loc = values.get("location", "NULL")
        values["location"] = f"coalesce({loc}, {values.get('country', 'NULL')}, 'AMAZON')"
        d = values.get("disposition", "NULL")
        aliases = " ".join(
            f"WHEN {_sql_str(k.lower())} THEN {_sql_str(v)}" for k, v in DISPOSITION_ALIASES.items()
        )
        values["disposition"] = (
            f"upper(coalesce(CASE lower({d}) {aliases} ELSE {d} END, 'SELLABLE'))"
        )
        values["location_class"] = "'fba'"
    cols = []
    for col in table.names:
        if col == "source_file":
            cols.append("CAST('' AS VARCHAR) AS source_file")
        elif col == "source_line":
            continue
        elif col in values:
            cols.append(f"{values[col]} AS {_ident(col)}")
        else:
            cols.append(f"CAST(NULL AS {_duck_type(table, col)}) AS {_ident(col)}")
    # columns the format maps beyond the table's (title, …) are kept at the end, as the pandas readers do
    cols += [f"{v} AS {_ident(c)}" for c, v in values.items() if c not in table.names]
    ok = " AND ".join(f"({x})" for x in fine) or "true"
    data_file = _sql_str(str(out_dir / "data.parquet"))
    q_file = _sql_str(str(out_dir / "quarantine.parquet"))
    # every row kept, so no flag: the first row that is not stops the copy (``error``), and the rows way works
    # out its reasons. No line column is written: DuckDB keeps the file's row order, so a row's line is its
    # position (:data:`LINE`); numbering rows here would hold the scan to one thread.
    con.execute(
        f"COPY (SELECT {', '.join(cols)} FROM {src} WHERE CASE WHEN {ok} THEN true "
        "ELSE error('stockbook: a row the typed reader cannot keep') END) TO "
        f"{data_file} (FORMAT parquet, COMPRESSION zstd)"
    )
    checks = ["count(*) AS n"]
    outs = [c for c in OUT_FLOWS if c in mapping]
    checks += [
        f"coalesce(bool_or({_ident(c)} > 0) AND NOT bool_or({_ident(c)} < 0), false) AS {_ident(c)}"
        for c in outs
    ]
    day_col = "period_start" if f.table == "ledger" else "date"
    checks.append(f"coalesce(bool_or(day({_ident(day_col)}) > 12), false) AS month_first_shown")
    month_first = sorted(k for k, v in DAY_FIRST.items() if not v)
    for i, m in enumerate(markets):
        col = next(
            c for c in ("country", "location", "channel") if c in mapping and names[mapping[c]] == m
        )
        checks.append(
            f"coalesce(bool_or(lower({_ident(col)}) IN ({', '.join(map(_sql_str, month_first))})), false)"
            f" AS market_{i}"
        )
    row = con.execute(f"SELECT {', '.join(checks)} FROM read_parquet({data_file})").fetchone()
    n = int(row[0])
    if any(row[1 : 1 + len(outs)]) or line_count(path) != n + 1:
        return None  # outflows written positive, or blank lines / values over several lines: the rows way
    con.execute(f"COPY (SELECT {QUARANTINE_COLUMNS} WHERE false) TO {q_file} (FORMAT parquet)")
    notes = []
    if plan[0].startswith("%m/%d") and not row[1 + len(outs)]:
        if any(row[2 + len(outs) :]):
            notes.append(
                "dates such as 04/07 could be read either way: each row read in its marketplace's order "
                "(month-first)"
            )
        else:
            notes.append(
                "dates such as 04/07 could be read either way: read month-first (MM/DD, as Amazon US "
                "writes them)"
            )
    if (
        f.table == "sales" and "revenue" in mapping
    ):  # how the money's currency was known (``readers``)
        got = con.execute(
            f"SELECT currency, count(*) FROM read_parquet({data_file}) WHERE revenue IS NOT NULL "
            "GROUP BY currency"
        ).fetchall()
        if got:
            codes = sorted(c for c, _ in got if c is not None)
            missing = sum(k for c, k in got if c is None)
            how = "its currency column" if "currency" in mapping else "its marketplace's currency"
            notes.append(currency_note([header[mapping["revenue"]]], codes, missing, how=how))
    return {"rows_in": n, "rows_kept": n, "path": "typed", "notes": notes}


def rows_to_parquet(path: Path, out_dir: Path) -> dict[str, object]:
    """The rows way: the pandas readers' own code over blocks of rows, in two passes (scan, then read)."""
    chunks = iter_text_chunks(path, rows=BLOCK_ROWS)
    first = next(chunks, None)
    if first is None:
        raise InputError(path, "the file has no header row", line=1, expected="a header row")
    f = choose_format(path, first.header, first.header_line)
    scanned = scan(f, first.header, first.cells)
    for chunk in chunks:
        scanned = merge_scans(scanned, scan(f, chunk.header, chunk.cells))
    plan = make_plan(
        f,
        path,
        first.header,
        first.header_line,
        first.title,
        scanned,
        dayfirst=None,
        location_class=None,
        notes=first.notes,
    )
    table = schema.TABLES[f.table]
    rows_in = kept = off = 0
    extra: list[str] = []
    data_writer = q_writer = None
    data_schema = q_schema = None
    try:
        for chunk in iter_text_chunks(path, rows=BLOCK_ROWS):
            result, bad = apply_plan(chunk, plan)
            extra.extend(
                n for n in result.notes[len(plan.notes) :] if n not in extra
            )  # totals, currencies
            rows_in += result.rows_in
            kept += len(result.data)
            off += bad
            data = result.data[
                [c for c in table.names if c != "source_file"]
                + [c for c in result.data.columns if c not in table.names]
            ]
            data = data.assign(source_file="")
            t = pa.Table.from_pandas(data, preserve_index=False)
            if data_writer is None:
                data_schema = t.schema
                data_writer = pq.ParquetWriter(
                    out_dir / "data.parquet", data_schema, compression="zstd"
                )
            data_writer.write_table(t.cast(data_schema))
            q = result.quarantine.assign(source_file="")
            tq = pa.Table.from_pandas(q, preserve_index=False)
            if q_writer is None:
                q_schema = tq.schema
                q_writer = pq.ParquetWriter(out_dir / "quarantine.parquet", q_schema)
            q_writer.write_table(tq.cast(q_schema))
    finally:
        if data_writer is not None:
            data_writer.close()
        if q_writer is not None:
            q_writer.close()
    return {
        "rows_in": rows_in,
        "rows_kept": kept,
        "path": "text",
        "notes": plan.notes + extra + unbalanced_notes(off, plan),
    }


def _lookup_sql(x: str, mapping: dict[str, str], otherwise: str = "NULL") -> str:
    """SQL: ``mapping[x]``, else ``otherwise``."""
    whens = " ".join(f"WHEN {_sql_str(k)} THEN {_sql_str(v)}" for k, v in mapping.items())
    return f"(CASE {x} {whens} ELSE {otherwise} END)"


def _marketplace_sql(x: str) -> str:
    """SQL for ``money.marketplace_code``: the whole text, else its last part after a dash, space or underscore."""
    t = f"regexp_replace(lower(trim({x})), '^(www\\.)?', '')"
    tail = f"regexp_extract({t}, '[-_ ]([^-_ ]+)$', 1)"
    return (
        f"coalesce({_lookup_sql(t, MARKETPLACE_ALIASES)}, {_lookup_sql(tail, MARKETPLACE_ALIASES)})"
    )


def _duck_type(table: schema.TableSchema, col: str) -> str:
    kind = table[col].dtype
    return {"units": "BIGINT", "money": "DOUBLE", "number": "DOUBLE", "date": "TIMESTAMP"}.get(
        kind, "VARCHAR"
    )
