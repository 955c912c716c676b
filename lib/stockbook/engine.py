"""The table engine: Ibis expressions, DuckDB in-process by default.

Analyses take an Ibis table or a pandas DataFrame (``as_table``), build lazy
expressions, and hand back Ibis tables; ``to_pandas`` executes one and fixes
its column types (integers stay integers even with nulls, dates are dates),
whatever the engine returned.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from stockbook import schema as sch

TableLike = ir.Table | pd.DataFrame


def as_table(obj: TableLike, table: sch.TableSchema | None = None) -> ir.Table:
    """An Ibis table from an Ibis table or a pandas frame (cast to ``table``'s types first).

    >>> as_table(pd.DataFrame({"sku": ["A"], "units": [3]})).count().execute()
    1
    """
    if isinstance(obj, ir.Table):
        return obj
    if isinstance(obj, pd.DataFrame):
        df = sch.conform(obj, table) if table is not None else obj
        connection()  # memtables run on the default backend: make it the one with the memory limit
        try:  # through Arrow: pandas' nullable types map one to one, and Ibis need not infer a type per column
            return ibis.memtable(pa.Table.from_pandas(df, preserve_index=False))
        except (
            pa.ArrowInvalid,
            pa.ArrowTypeError,
            TypeError,
        ):  # an extra column of mixed Python objects
            df = df.copy()
            for c in (
                df.columns
            ):  # Ibis has no pandas 'string' extension type; object columns of str are fine
                if isinstance(df[c].dtype, pd.StringDtype):
                    df[c] = df[c].astype(object).where(df[c].notna(), None)
            return ibis.memtable(df)
    raise TypeError(f"expected an Ibis table or a pandas DataFrame, got {type(obj).__name__}")


#: Arrow types read straight into pandas' nullable types (a null stays a null, an integer an integer)
_ARROW_TO_PANDAS = {
    **{
        t: pd.Int64Dtype()
        for t in (
            pa.int8(),
            pa.int16(),
            pa.int32(),
            pa.int64(),
            pa.uint8(),
            pa.uint16(),
            pa.uint32(),
        )
    },
    pa.float32(): pd.Float64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def to_pandas(expr: ir.Table, *, order_by: list[str] | None = None) -> pd.DataFrame:
    """Execute ``expr`` and return pandas with stable types and, if given, a stable order.

    Integer columns become ``Int64`` (nullable), floats ``Float64``, strings
    ``string``, dates/timestamps ``datetime64[s]``, booleans ``boolean``.
    """
    if order_by:
        expr = expr.order_by(order_by)
    # through Arrow with pandas' nullable types: Ibis's own to_pandas turns every column with a null into a
    # Python list first (1.2 s for the 50M benchmark's analyses)
    df = expr.to_pyarrow().to_pandas(types_mapper=_ARROW_TO_PANDAS.get)
    for name, dtype in expr.schema().items():
        s = df[name]
        if dtype.is_integer():
            df[name] = (
                s
                if isinstance(s.dtype, pd.Int64Dtype)
                else pd.to_numeric(s).astype("Float64").round(0).astype("Int64")
            )
        elif dtype.is_floating() or dtype.is_decimal():
            df[name] = pd.to_numeric(s).astype("Float64")
        elif dtype.is_string():
            df[name] = s.astype("string")
        elif dtype.is_date() or dtype.is_timestamp():
            df[name] = pd.to_datetime(s).astype("datetime64[s]")
        elif dtype.is_boolean():
            df[name] = s.astype("boolean")
        elif (
            dtype.is_null()
        ):  # a column of nulls an engine could not type (Spark's from pandas): nullable text
            df[name] = s.astype("string")
    return df.reset_index(drop=True)


#: DuckDB's memory limit for stockbook's queries; beyond it DuckDB spills to ``temp_directory``
MEMORY_LIMIT = os.environ.get("STOCKBOOK_MEMORY_LIMIT", "1GB")
#: DuckDB optimizers turned off. ``partitioned_execution`` splits a grouping with many groups into ranges of
#: a date column and scans the table once per range: on 50M ledger rows, receipts per SKU and day took 4.1 s
#: instead of 0.9 s (five scans of the file; ``bench/README.md``)
DISABLED_OPTIMIZERS = "partitioned_execution"
_con: dict[str, object] = {}
_UNITS = {
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}


def memory_share(limit: str, parts: int) -> str:
    """``limit`` (DuckDB's spelling: "1GB", "512MiB") split evenly between ``parts`` processes.

    The report runs several kernels side by side, each with its own DuckDB; giving each a share
    keeps their sum within the limit.

    >>> memory_share("1GB", 2), memory_share("4GiB", 4), memory_share("1GB", 1)
    ('500MB', '1073MB', '1000MB')
    """
    m = re.fullmatch(r"\s*([\d.]+)\s*([a-zA-Z]*)\s*", limit)
    if not m or m.group(2).lower() not in _UNITS | {"": 1}:
        raise ValueError(f"memory limit {limit!r} is not a size like 1GB or 512MB")
    size = float(m.group(1)) * _UNITS.get(m.group(2).lower(), 1)
    return f"{max(int(size / max(parts, 1) / 1000**2), 64)}MB"


def connection(
    *,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
    threads: int | None = None,
):
    """The shared DuckDB backend (Ibis) with a memory limit; also Ibis's default backend.

    ``memory_limit`` (default ``$STOCKBOOK_MEMORY_LIMIT`` or 1GB, well under this
    machine's memory) bounds DuckDB's buffers; larger sorts, joins and windows
    spill to ``temp_directory`` (default: a ``stockbook-spill`` folder in the
    system temp folder). Passing any option replaces the connection.

    >>> connection().raw_sql("SELECT current_setting('memory_limit')").fetchall()[0][0] != ""
    True
    """
    if "con" in _con and memory_limit is None and temp_directory is None and threads is None:
        return _con["con"]
    spill = temp_directory or str(Path(tempfile.gettempdir()) / "stockbook-spill")
    config = {
        "memory_limit": memory_limit or MEMORY_LIMIT,
        "temp_directory": spill,
        "preserve_insertion_order": "true",
        "disabled_optimizers": DISABLED_OPTIMIZERS,
    }
    if threads:
        config["threads"] = str(threads)
    con = ibis.duckdb.connect(**config)
    ibis.set_backend(con)
    _con["con"] = con
    return con


#: the engine type of each contract column type (what ``conform_table`` casts to)
IBIS_TYPES: dict[str, str] = {
    "id": "string",
    "text": "string",
    "units": "int64",
    "money": "float64",
    "number": "float64",
    "date": "timestamp",
    "flag": "boolean",
}


def conform_table(t: ir.Table, table: sch.TableSchema, *, keep_extra: bool = False) -> ir.Table:
    """``t`` cast to ``table``'s types, with its columns in contract order and missing ones as nulls.

    The engine-side twin of :func:`stockbook.schema.conform`: a store's Parquet, a memtable
    of an empty frame (null-typed columns) and a warehouse table all come out with one schema,
    so they can be unioned and compared.

    >>> conform_table(as_table(sch.COUNTS.empty()), sch.COUNTS).schema()["units"]
    Int64(nullable=True)
    """
    cols = []
    for c in table.columns:
        want = IBIS_TYPES[c.dtype]
        cols.append(
            t[c.name].cast(want).name(c.name)
            if c.name in t.columns
            else ibis.null(want).name(c.name)
        )
    extra = [t[c] for c in t.columns if c not in table.names] if keep_extra else []
    return t.select(*cols, *extra)


def union_all(first: ir.Table, *others: ir.Table) -> ir.Table:
    """Stack tables with the columns and types of ``first`` (missing columns are null); keeps duplicates."""
    out = first
    for o in others:
        o = o.select(
            *[
                (o[c].cast(dt) if c in o.columns else ibis.null(dt)).name(c)
                for c, dt in first.schema().items()
            ]
        )
        out = out.union(o, distinct=False)
    return out


def _by(which: str, arg: ir.Column, key: ir.Column) -> ir.Scalar:
    fn = ibis.udf.agg.builtin(
        lambda arg, key: None, name=which, signature=((arg.type(), key.type()), arg.type())
    )
    return fn(arg, key)


def hash64(a: ir.Value, b: ir.Value) -> ir.IntegerValue:
    """A 64-bit hash of the pair (``a``, ``b``), row by row, on any backend.

    Ibis's ``.hash()`` of a struct of the two, except on Spark, where that is Spark's ``hash``, only
    32 bits wide: there it is ``xxhash64(a, b)``. (On DuckDB, ``hash(a, b)`` without Ibis's cast
    through ``BIT`` would take 0.4 s off two hashes of 50M rows, but Ibis does not merge a
    projection that holds a UDF into the one below it, and DuckDB then materializes the shared
    rows: the breaks at 50M took 28 s instead of 14.5 s.)

    >>> t = as_table(pd.DataFrame({"d": [1, 1, 2], "u": [5, 5, 5]}))
    >>> h = to_pandas(t.select(h=hash64(t.d, t.u)))["h"]
    >>> bool(h[0] == h[1]), bool(h[0] != h[2])
    (True, True)
    """
    if ibis.get_backend(a).name != "pyspark":
        return ibis.struct({"a": a, "b": b}).hash()
    fn = ibis.udf.scalar.builtin(
        lambda a, b: None, name="xxhash64", signature=((a.type(), b.type()), "int64")
    )
    return fn(a, b)


def first_by(arg: ir.Column, key: ir.Column) -> ir.Scalar:
    """``arg`` on the row with the smallest ``key`` of each group (ties: any one of them).

    SQL's ``min_by(arg, key)`` (DuckDB's ``arg_min``; Spark, Snowflake, BigQuery, Trino; not PostgreSQL):
    one streaming pass. Ibis's own ``arg.argmin(key)`` compiles on DuckDB to ``first(arg ORDER BY key)``,
    an ordered aggregate: on 50M ledger rows in 1.6M groups three of them cost 1.6 s more. DuckDB passes
    over rows whose ``arg`` is null (Spark does not): use it on columns without nulls, or flag them.

    >>> t = as_table(pd.DataFrame({"g": ["a", "a", "b"], "k": [2, 1, 5], "v": [20, 10, 50]}))
    >>> to_pandas(t.group_by("g").aggregate(v=first_by(t.v, t.k)), order_by=["g"])["v"].tolist()
    [10, 50]
    """
    return _by("min_by", arg, key)


def last_by(arg: ir.Column, key: ir.Column) -> ir.Scalar:
    """``arg`` on the row with the largest ``key`` of each group: SQL's ``max_by`` (see :func:`first_by`).

    >>> t = as_table(pd.DataFrame({"g": ["a", "a", "b"], "k": [2, 1, 5], "v": [20, 10, 50]}))
    >>> to_pandas(t.group_by("g").aggregate(v=last_by(t.v, t.k)), order_by=["g"])["v"].tolist()
    [20, 50]
    """
    return _by("max_by", arg, key)


def is_lazy(obj: object) -> bool:
    """Whether ``obj`` is an engine table (Ibis) rather than a pandas frame."""
    return isinstance(obj, ir.Table)


def row_count(obj: TableLike) -> int:
    """Rows of a pandas frame or an Ibis table (which runs a count)."""
    return int(obj.count().execute()) if is_lazy(obj) else len(obj)


def has_values(obj: TableLike, column: str) -> bool:
    """Whether ``column`` exists and holds at least one non-null value.

    >>> has_values(pd.DataFrame({"a": [None, 2]}), "a"), has_values(pd.DataFrame({"a": [None]}), "b")
    (True, False)
    """
    if column not in obj.columns:
        return False
    if is_lazy(obj):
        return bool(obj[column].notnull().any().execute())
    return bool(obj[column].notna().any())


def column_min(obj: TableLike, column: str):
    """The smallest value of ``column`` (None when there are no rows); a Timestamp for dates."""
    v = obj[column].min().execute() if is_lazy(obj) else (obj[column].min() if len(obj) else None)
    if v is None or pd.isna(v):
        return None
    return pd.Timestamp(v) if isinstance(v, datetime.date | np.datetime64) else v
