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

A clean export is read typed first (:func:`stream_to_parquet`): DuckDB's CSV
reader parses the dates and numbers itself, which is faster, and the copy stops
at the first cell those rules would treat otherwise; the file is then read as text.

A row with an unusable required value goes to the quarantine (file, line,
column, value, reason) and not to the table: every row is kept or
quarantined. Excel serial dates, day-first dates and formula cells are
handled by the pandas readers only; a file that needs them can be read with
``STOCKBOOK_STREAM_BYTES`` raised above its size.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from stockbook import schema
from stockbook.errors import InputError
from stockbook.io.formats import AMAZON_LEDGER_SUMMARY, SALES_DAILY, Format, detect_format
from stockbook.io.parse import MAX_UNITS, UNITS_RANGE_REASON

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


def _blank(c: str) -> str:
    return f"({c} IS NULL OR trim({c}) = '')"


def _whole(n: str) -> str:
    """SQL: the DOUBLE ``n`` is a whole number of units that fits (not NaN, not infinite, below 10¹⁵)."""
    return f"({n} = round({n}) AND abs({n}) < {MAX_UNITS:.0f})"


def _units(c: str, t: str, *, blank_zero: bool) -> tuple[str, str, str]:
    """SQL for a units column: its number (alias ``n_…``), its value (alias ``t``) and its reason.

    The common case (a plain number) costs one cast; thousands separators and the reason
    are only worked out for the cells that need them.
    """
    n = "n_" + t.removeprefix("t_")
    comma = f"TRY_CAST(replace(trim({c}), ',', '') AS DOUBLE)"
    number = f"CASE WHEN TRY_CAST({c} AS DOUBLE) IS NOT NULL THEN TRY_CAST({c} AS DOUBLE) ELSE {comma} END"
    value = (f"CASE WHEN {n} IS NOT NULL THEN (CASE WHEN {_whole(n)} THEN CAST({n} AS BIGINT) END) "
             f"WHEN {_blank(c)} THEN {'0' if blank_zero else 'NULL'} END")
    missing = "NULL" if blank_zero else "'missing value'"
    reason = (f"CASE WHEN {t} IS NULL THEN (CASE WHEN {_blank(c)} THEN {missing} "
              f"WHEN {n} IS NULL OR isnan({n}) THEN 'not a number' "
              f"WHEN {n} <> round({n}) THEN 'not a whole number of units' ELSE {_sql_str(UNITS_RANGE_REASON)} END) END")
    return number, value, reason


def _money(c: str, t: str) -> tuple[str, str]:
    plain = f"TRY_CAST(trim(replace({c}, ',', '')) AS DOUBLE)"
    symbols = f"TRY_CAST(regexp_replace({c}, '[^0-9.\\-]', '', 'g') AS DOUBLE)"  # $ ¥ € and spaces
    return (f"round(coalesce({plain}, CASE WHEN NOT {_blank(c)} THEN {symbols} END), 2)",
            f"CASE WHEN {t} IS NULL AND NOT {_blank(c)} THEN 'not an amount of money' END")


def _day(col: str) -> str:
    t = f"trim({col})"
    return (f"coalesce(TRY_STRPTIME({t}, '%m/%d/%Y'), TRY_STRPTIME({t}, '%Y-%m-%d'), "
            f"TRY_STRPTIME(left({t}, 10), '%Y-%m-%d'))")


def _month(col: str) -> str:
    t = f"trim({col})"
    return f"coalesce(TRY_STRPTIME('01/' || {t}, '%d/%m/%Y'), TRY_STRPTIME({t} || '-01', '%Y-%m-%d'))"


#: the line of a file's first data row (the header is line 1): a streamed row's line is its
#: position in the entry's Parquet (DuckDB's ``file_row_number``, from 0) + ``FIRST_LINE``
FIRST_LINE = 2
LINE = f"CAST(file_row_number + {FIRST_LINE} AS BIGINT)"

DATE_REASON = "not a date (expected MM/DD/YYYY, YYYY-MM-DD, MM/YYYY or an Excel date)"

#: an empty quarantine's columns, as the text path writes them
QUARANTINE_COLUMNS = ("CAST('' AS VARCHAR) AS source_file, CAST(NULL AS BIGINT) AS line, "
                      "CAST(NULL AS VARCHAR) AS \"column\", CAST(NULL AS VARCHAR) AS value, "
                      "CAST(NULL AS VARCHAR) AS reason")


#: a first value's shape -> the strptime format DuckDB's CSV reader can parse the whole column with,
#: and whether it names a month (``MM/YYYY``, ``YYYY-MM``: first to last day) rather than a day
_DATE_SHAPES: tuple[tuple[str, str, bool], ...] = (
    (r"\d{1,2}/\d{1,2}/\d{4}", "%m/%d/%Y", False),
    (r"\d{4}-\d{1,2}-\d{1,2}", "%Y-%m-%d", False),
    (r"\d{1,2}/\d{4}", "%m/%Y", True),
    (r"\d{4}-\d{1,2}", "%Y-%m", True),
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
    other row must then parse the same way, or the text path reads the file (see
    :func:`stream_to_parquet`). Returns ``(strptime format, is a month)``.
    """
    mapping = f.map_header(header)
    dates = [c for c, kind in f.columns.items() if kind == "date" or (c == "date" and kind == "text")]
    row = _first_row(path, delim)
    plans = set()
    for col in dates:
        if col not in mapping or mapping[col] >= len(row):
            continue
        value = row[mapping[col]].strip()
        shape = next(((fmt, month) for rx, fmt, month in _DATE_SHAPES if re.fullmatch(rx, value)), None)
        if shape is None or (shape[1] and f.columns[col] != "text"):
            return None
        plans.add(shape)
    return plans.pop() if len(plans) == 1 else None


def stream_to_parquet(path: Path, f: Format, out_dir: Path, *, con, typed: bool = True) -> dict[str, object]:
    """Read ``path`` (format ``f``) with DuckDB into ``out_dir/data.parquet`` and ``quarantine.parquet``.

    Returns the counts ``{"rows_in": …, "rows_kept": …, "path": "typed" | "text"}``. The Parquet
    columns are the canonical table's (``schema.TABLES[f.table]``) but ``source_line`` (a row's line
    is its position: :data:`LINE`), with ``source_file`` empty (set by the loader).

    Two ways through the file, with the same result:

    * **typed** (tried first, unless ``typed=False``): DuckDB's CSV reader parses the dates (in the
      format of the first row, :func:`typed_plan`) and the numbers itself. It stops at the first
      cell that does not parse or row that would be quarantined (a number with thousands
      separators, a ``2.5`` of units, a blank required cell, a date in another shape);
    * **text**: every cell read as text and cast in SQL by the rules above; a row with an unusable
      value is kept in the file flagged (``_ok``) with its reasons, and the quarantine is built
      from those.

    A clean export, the usual case, is read once by the typed path. A file with a bad row
    pays for the typed attempt up to that row, then the text path.
    """
    header, delim, _ = sniff(path)
    mapping = f.map_header(header)
    missing = [c for c in f.required if c not in mapping]
    if missing:
        raise InputError(path, f"missing column {f.spellings(missing[0])[0]!r} for {f.label}", line=1,
                         column=f.spellings(missing[0])[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute("SET preserve_insertion_order = true")  # the lines depend on it (:data:`LINE`)
    plan = typed_plan(path, f, header, delim) if typed else None
    if plan is not None:
        import duckdb

        try:
            return _copy(path, f, out_dir, con=con, header=header, delim=delim, mapping=mapping, plan=plan)
        except duckdb.InterruptException:
            raise  # interrupted by the user: not a reason to read the file again
        except duckdb.Error:
            pass  # a cell the typed reader refused, or a row to quarantine: the text path says which and why
    return _copy(path, f, out_dir, con=con, header=header, delim=delim, mapping=mapping, plan=None)


def _copy(path: Path, f: Format, out_dir: Path, *, con, header: list[str], delim: str, mapping: dict[str, int],
          plan: tuple[str, bool] | None) -> dict[str, object]:
    """One pass of :func:`stream_to_parquet`: typed (``plan`` is the date format) or as text (None)."""
    names = [f"c{i}" for i in range(len(header))]
    kinds = {mapping[col]: kind for col, kind in f.columns.items() if col in mapping}
    if plan is None:
        options = "all_varchar=true"
    else:
        duck = {"units": "DOUBLE", "money": "DOUBLE", "date": "DATE"}
        types = {n: ("DATE" if i == mapping.get("date") else duck.get(kinds.get(i, ""), "VARCHAR"))
                 for i, n in enumerate(names)}
        options = (f"types={{{', '.join(f'{_sql_str(n)}: {_sql_str(t)}' for n, t in types.items())}}}, "
                   f"dateformat={_sql_str(plan[0])}")
    src = (f"read_csv({_sql_str(str(path))}, delim={_sql_str(delim)}, header=true, {options}, "
           f"quote='\"', names=[{', '.join(_sql_str(n) for n in names)}], null_padding=true, "
           f"strict_mode=false)")
    typed: dict[str, str] = {}  # alias -> SQL, computed once per row (later ones may use earlier aliases)
    values: dict[str, str] = {}  # canonical column -> SQL over the aliases
    reasons: dict[str, str] = {}  # canonical column -> SQL reason (NULL when fine)
    fine: dict[str, str] = {}  # typed path: canonical column -> SQL true when the cell can be kept
    for col, dtype in f.columns.items():
        if col not in mapping:
            continue
        c, t = names[mapping[col]], f"t_{col}"
        required = col in f.required
        if plan is not None and (dtype in ("date", "units", "money") or col == "date"):
            # typed: DuckDB parsed the cell; only a blank or a fraction of a unit is left to find
            if dtype == "date" or col == "date":  # the ledger's date (text: a day or a month) is its period
                values[col if dtype == "date" else "period_start"] = f"CAST({c} AS TIMESTAMP)"
                if dtype == "text":
                    values["period_end"] = f"CAST({f'last_day({c})' if plan[1] else c} AS TIMESTAMP)"
                fine[col] = f"{c} IS NOT NULL"
            elif dtype == "units":  # a blank is 0 or missing; 2.5 would be cast to 3, so it must stop the copy
                blank_zero = col in f.blank_is_zero or not required
                values[col] = f"CAST({f'coalesce({c}, 0)' if blank_zero else c} AS BIGINT)"
                fine[col] = f"coalesce({_whole(c)}, {'true' if blank_zero else 'false'})"
            else:
                values[col] = f"round({c}, 2)"
        elif col == "date" and dtype == "text":  # ledger: a day or a month
            typed["t_day"] = _day(c)
            typed["t_month"] = f"CASE WHEN t_day IS NULL THEN {_month(c)} END"
            values["period_start"] = "CAST(coalesce(t_day, t_month) AS TIMESTAMP)"
            values["period_end"] = "CAST(coalesce(t_day, last_day(t_month)) AS TIMESTAMP)"
            reasons[col] = f"CASE WHEN t_day IS NULL AND t_month IS NULL THEN {_sql_str(DATE_REASON)} END"
        elif dtype == "date":
            typed[t] = _day(c)
            values[col] = f"CAST({t} AS TIMESTAMP)"
            reasons[col] = f"CASE WHEN {t} IS NULL THEN {_sql_str(DATE_REASON)} END"
        elif dtype == "units":
            number, typed[t], reasons[col] = _units(c, t, blank_zero=col in f.blank_is_zero or not required)
            typed = {**{k: v for k, v in typed.items() if k != t}, "n_" + col: number, t: typed[t]}
            values[col] = t
        elif dtype == "money":
            typed[t], reasons[col] = _money(c, t)
            values[col] = t
        else:
            typed[t] = f"nullif(trim({c}), '')"
            values[col] = t
            if required and plan is not None:
                fine[col] = f"{t} IS NOT NULL"
            elif required:
                reasons[col] = f"CASE WHEN {t} IS NULL THEN {_sql_str('missing ' + col)} END"
    # as the pandas readers word it: "<header as written>: <reason>"
    reasons = {col: f"({_sql_str(header[mapping[col]] + ': ')} || ({r}))" for col, r in reasons.items()}
    table = schema.TABLES[f.table]
    if f.table == "ledger":
        for col in (*schema.FLOWS, "unknown_events", "in_transit_between_warehouses"):
            values.setdefault(col, "0")
        values["location"] = f"coalesce({values.get('location', 'NULL')}, 'AMAZON')"
        values["disposition"] = f"upper(coalesce({values.get('disposition', 'NULL')}, 'SELLABLE'))"
        values["location_class"] = "'fba'"
    # No line column is written: DuckDB keeps the file's row order (``preserve_insertion_order``), so a
    # row's line is its position in the Parquet file (:data:`LINE`). Numbering rows here (``row_number() OVER ()``) would hold the
    # scan to one thread and double the ingest.
    raw = f"SELECT * FROM {src}"
    checks = [f"{r} AS r_{col}" for col, r in reasons.items()]
    ok = " AND ".join([f"r_{col} IS NULL" for col in reasons] + [f"({x})" for x in fine.values()]) or "true"
    selected = [f"{sql} AS {a}" for a, sql in typed.items()] + (checks or ["NULL AS r_"])
    staged = f"SELECT *, {', '.join(selected)}, {ok} AS _ok FROM ({raw})"
    con.execute(f"CREATE OR REPLACE TEMP VIEW staged AS {staged}")
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
    data_file = _sql_str(str(out_dir / "data.parquet"))
    q_file = _sql_str(str(out_dir / "quarantine.parquet"))
    if plan is not None:
        # every row kept, so no flag: the first row that is not stops the copy (``error``), and the text path
        # works out its reasons
        con.execute(f"COPY (SELECT {', '.join(cols)} FROM staged WHERE CASE WHEN _ok THEN true "
                    "ELSE error('stockbook: a row the typed reader cannot keep') END) TO "
                    f"{data_file} (FORMAT parquet, COMPRESSION zstd)")
        con.execute(f"COPY (SELECT {QUARANTINE_COLUMNS} WHERE false) TO {q_file} (FORMAT parquet)")
        rows = con.execute(f"SELECT count(*) FROM read_parquet({data_file})").fetchall()[0][0]
        con.execute("DROP VIEW staged")
        return {"rows_in": int(rows), "rows_kept": int(rows), "path": "typed"}
    # one pass over the file into one Parquet file: each row with ``_ok`` and, for a bad row only, the list
    # of its unusable cells. Readers keep the ``_ok`` rows (``store.load``, ``Store.table``); the quarantine
    # is built from the others, read back by that one column.
    cells = ", ".join(f"struct_pack(c := {_sql_str(header[mapping[col]])}, v := {names[mapping[col]]}, r := r_{col})"
                      for col in reasons)
    problems = (f"CASE WHEN _ok THEN NULL ELSE list_filter([{cells}], lambda x: x.r IS NOT NULL) END" if reasons
                else "NULL")
    con.execute(f"COPY (SELECT {', '.join(cols)}, {problems} AS _problems, _ok FROM staged) TO {data_file} "
                "(FORMAT parquet, COMPRESSION zstd)")
    q_sql = (f"SELECT CAST('' AS VARCHAR) AS source_file, line, p.c AS \"column\", p.v AS value, "
             f"p.r AS reason FROM (SELECT {LINE} AS line, unnest(_problems) AS p "
             f"FROM read_parquet({data_file}, file_row_number=true) WHERE NOT _ok) ORDER BY line")
    con.execute(f"COPY ({q_sql}) TO {q_file} (FORMAT parquet)")
    rows_in, kept = con.execute(f"SELECT count(*), count(*) FILTER (WHERE _ok) FROM read_parquet({data_file})"
                                ).fetchall()[0]
    con.execute("DROP VIEW staged")
    return {"rows_in": int(rows_in), "rows_kept": int(kept), "path": "text"}


def _duck_type(table: schema.TableSchema, col: str) -> str:
    kind = table[col].dtype
    return {"units": "BIGINT", "money": "DOUBLE", "number": "DOUBLE", "date": "TIMESTAMP"}.get(kind, "VARCHAR")
