"""Large files straight through DuckDB's CSV reader into Parquet, never through pandas.

Amazon's Inventory Ledger (summary view) and the daily sales export are the
files that grow to tens of millions of rows. Above ``STREAM_BYTES`` they are
read by DuckDB: the header is matched with the same alias table as every
other reader (``formats.py``), each value is cast in SQL with the same rules,
and the result is written as Parquet in the ingest cache. Memory stays within
DuckDB's limit (``engine.connection``); nothing is materialized in Python.

The same rules, in SQL:

* units: whole numbers, thousands separators allowed; blank is 0 for the
  flows, ``missing value`` for a required column; ``2.5`` is ``not a whole
  number of units``; text is ``not a number``;
* money: a plain or thousands-separated decimal, rounded to cents;
* dates: ``MM/DD/YYYY`` or ``YYYY-MM-DD`` (a day), ``MM/YYYY`` or ``YYYY-MM``
  (a month: first to last day);
* ids: trimmed; a blank required id is ``missing value``.

A row with an unusable required value goes to the quarantine (file, line,
column, value, reason) and not to the table: every row is kept or
quarantined. Excel serial dates, day-first dates and formula cells are
handled by the pandas readers only; a file that needs them can be read with
``STOCKBOOK_STREAM_BYTES`` raised above its size.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from stockbook import schema
from stockbook.errors import InputError
from stockbook.io.formats import AMAZON_LEDGER_SUMMARY, SALES_DAILY, Format, detect_format

#: files at least this large (bytes) in a streamable format go through DuckDB
STREAM_BYTES = int(os.environ.get("STOCKBOOK_STREAM_BYTES", 64 * 1024 * 1024))
STREAMABLE: tuple[Format, ...] = (AMAZON_LEDGER_SUMMARY, SALES_DAILY)


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
    delim = "\t" if "\t" in line else ","
    header = [h.strip().strip('"') for h in line.split(delim)]
    return header, delim, detect_format(header)


def streamable(path: Path, *, min_bytes: int | None = None) -> Format | None:
    """The format to stream ``path`` with, or None (too small, not text, or another format)."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    if path.stat().st_size < (STREAM_BYTES if min_bytes is None else min_bytes):
        return None
    _, _, f = sniff(path)
    return f if f in STREAMABLE else None


def _units(col: str, *, blank_zero: bool) -> tuple[str, str]:
    """SQL for the value and the reason of a units column."""
    c = f"trim(replace({col}, ',', ''))"
    blank = f"({col} IS NULL OR trim({col}) = '')"
    num = f"TRY_CAST({c} AS DOUBLE)"
    value = f"CASE WHEN {blank} THEN {'0' if blank_zero else 'NULL'} ELSE TRY_CAST({num} AS BIGINT) END"
    reason = (f"CASE WHEN {blank} THEN {'NULL' if blank_zero else _sql_str('missing value')} "
              f"WHEN {num} IS NULL THEN 'not a number' "
              f"WHEN {num} <> round({num}) THEN 'not a whole number of units' END")
    value = f"CASE WHEN ({reason}) IS NULL THEN {value} END"
    return value, reason


def _money(col: str) -> tuple[str, str]:
    num = f"TRY_CAST(trim(replace({col}, ',', '')) AS DOUBLE)"
    blank = f"({col} IS NULL OR trim({col}) = '')"
    return f"round({num}, 2)", f"CASE WHEN NOT {blank} AND {num} IS NULL THEN 'not an amount of money' END"


def _day(col: str) -> str:
    t = f"trim({col})"
    return (f"coalesce(TRY_STRPTIME({t}, '%m/%d/%Y'), TRY_STRPTIME({t}, '%Y-%m-%d'), "
            f"TRY_STRPTIME(left({t}, 10), '%Y-%m-%d'))")


def _month(col: str) -> str:
    t = f"trim({col})"
    return f"coalesce(TRY_STRPTIME('01/' || {t}, '%d/%m/%Y'), TRY_STRPTIME({t} || '-01', '%Y-%m-%d'))"


DATE_REASON = "not a date (expected MM/DD/YYYY, YYYY-MM-DD, MM/YYYY or an Excel date)"


def stream_to_parquet(path: Path, f: Format, out_dir: Path, *, con) -> dict[str, object]:
    """Read ``path`` (format ``f``) with DuckDB into ``out_dir/data.parquet`` and ``quarantine.parquet``.

    Returns the counts ``{"rows_in": …, "rows_kept": …}``. The Parquet columns are the
    canonical table's (``schema.TABLES[f.table]``) plus ``source_file`` (empty; set by
    the loader) and ``source_line``.
    """
    header, delim, _ = sniff(path)
    mapping = f.map_header(header)
    missing = [c for c in f.required if c not in mapping]
    if missing:
        raise InputError(path, f"missing column {f.spellings(missing[0])[0]!r} for {f.label}", line=1,
                         column=f.spellings(missing[0])[0])
    names = [f"c{i}" for i in range(len(header))]
    src = (f"read_csv({_sql_str(str(path))}, delim={_sql_str(delim)}, header=true, all_varchar=true, "
           f"quote='\"', names=[{', '.join(_sql_str(n) for n in names)}], null_padding=true, "
           f"strict_mode=false)")
    values: dict[str, str] = {}
    reasons: dict[str, str] = {}  # canonical column -> SQL reason (NULL when fine)
    for col, dtype in f.columns.items():
        if col not in mapping:
            continue
        c = names[mapping[col]]
        required = col in f.required
        if col == "date" and dtype == "text":  # ledger: a day or a month
            day, month = _day(c), _month(c)
            values["period_start"] = f"CAST(coalesce({day}, {month}) AS TIMESTAMP)"
            values["period_end"] = (f"CAST(coalesce({day}, last_day({month})) AS TIMESTAMP)")
            reasons[col] = f"CASE WHEN coalesce({day}, {month}) IS NULL THEN {_sql_str(DATE_REASON)} END"
        elif dtype == "date":
            values[col] = f"CAST({_day(c)} AS TIMESTAMP)"
            reasons[col] = f"CASE WHEN {_day(c)} IS NULL THEN {_sql_str(DATE_REASON)} END"
        elif dtype == "units":
            values[col], reasons[col] = _units(c, blank_zero=col in f.blank_is_zero or not required)
        elif dtype == "money":
            values[col], reasons[col] = _money(c)
        else:
            values[col] = f"nullif(trim({c}), '')"
            if required:
                reasons[col] = f"CASE WHEN nullif(trim({c}), '') IS NULL THEN {_sql_str('missing ' + col)} END"
    # as the pandas readers word it: "<header as written>: <reason>"
    reasons = {col: f"({_sql_str(header[mapping[col]] + ': ')} || ({r}))" for col, r in reasons.items()}
    table = schema.TABLES[f.table]
    if f.table == "ledger":
        for col in (*schema.FLOWS, "unknown_events", "in_transit_between_warehouses"):
            values.setdefault(col, "0")
        values["location"] = f"coalesce({values.get('location', 'NULL')}, 'AMAZON')"
        values["disposition"] = f"upper(coalesce({values.get('disposition', 'NULL')}, 'SELLABLE'))"
        values["location_class"] = "'fba'"
    # the file's data starts on line 2 (line 1 is the header); DuckDB keeps the file's row order
    staged = (f"SELECT *, CAST(row_number() OVER () + 1 AS BIGINT) AS source_line FROM {src}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW staged AS {staged}")
    bad_any = " OR ".join(f"({r}) IS NOT NULL" for r in reasons.values()) or "false"
    cols = []
    for col in table.names:
        if col == "source_file":
            cols.append("CAST('' AS VARCHAR) AS source_file")
        elif col == "source_line":
            cols.append("source_line")
        elif col in values:
            cols.append(f"{values[col]} AS {_ident(col)}")
        else:
            cols.append(f"CAST(NULL AS {_duck_type(table, col)}) AS {_ident(col)}")
    # columns the format maps beyond the table's (title, …) are kept at the end, as the pandas readers do
    cols += [f"{v} AS {_ident(c)}" for c, v in values.items() if c not in table.names]
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT {', '.join(cols)} FROM staged WHERE NOT ({bad_any})) "
                f"TO {_sql_str(str(out_dir / 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)")
    parts = [f"SELECT CAST('' AS VARCHAR) AS source_file, source_line AS line, "
             f"{_sql_str(header[mapping[col]])} AS \"column\", "
             f"{names[mapping[col]]} AS value, {r} AS reason FROM staged WHERE ({r}) IS NOT NULL"
             for col, r in reasons.items()]
    q_sql = " UNION ALL ".join(parts) if parts else (
        "SELECT ''::VARCHAR AS source_file, 0::BIGINT AS line, ''::VARCHAR AS \"column\", "
        "''::VARCHAR AS value, ''::VARCHAR AS reason WHERE false")
    con.execute(f"COPY ({q_sql} ORDER BY line) TO {_sql_str(str(out_dir / 'quarantine.parquet'))} "
                "(FORMAT parquet)")
    rows_in = con.execute("SELECT count(*) FROM staged").fetchone()[0]
    kept = con.execute(f"SELECT count(*) FROM read_parquet({_sql_str(str(out_dir / 'data.parquet'))})").fetchone()[0]
    con.execute("DROP VIEW staged")
    return {"rows_in": int(rows_in), "rows_kept": int(kept)}


def _duck_type(table: schema.TableSchema, col: str) -> str:
    kind = table[col].dtype
    return {"units": "BIGINT", "money": "DOUBLE", "number": "DOUBLE", "date": "TIMESTAMP"}.get(kind, "VARCHAR")
