"""The table engine: Ibis expressions, DuckDB in-process by default.

Analyses take an Ibis table or a pandas DataFrame (``as_table``), build lazy
expressions, and hand back Ibis tables; ``to_pandas`` executes one and fixes
its column types (integers stay integers even with nulls, dates are dates),
whatever the engine returned.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

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
        # Ibis has no pandas 'string' extension type; plain object columns of str are fine
        df = df.copy()
        for c in df.columns:
            if isinstance(df[c].dtype, pd.StringDtype):
                df[c] = df[c].astype(object).where(df[c].notna(), None)
        connection()  # memtables run on the default backend: make it the one with the memory limit
        return ibis.memtable(df)
    raise TypeError(f"expected an Ibis table or a pandas DataFrame, got {type(obj).__name__}")


def to_pandas(expr: ir.Table, *, order_by: list[str] | None = None) -> pd.DataFrame:
    """Execute ``expr`` and return pandas with stable types and, if given, a stable order.

    Integer columns become ``Int64`` (nullable), floats ``Float64``, strings
    ``string``, dates/timestamps ``datetime64[s]``, booleans ``boolean``.
    """
    if order_by:
        expr = expr.order_by(order_by)
    df = expr.to_pandas()
    for name, dtype in expr.schema().items():
        s = df[name]
        if dtype.is_integer():
            df[name] = pd.to_numeric(s).astype("Float64").round(0).astype("Int64")
        elif dtype.is_floating() or dtype.is_decimal():
            df[name] = pd.to_numeric(s).astype("Float64")
        elif dtype.is_string():
            df[name] = s.astype("string")
        elif dtype.is_date() or dtype.is_timestamp():
            df[name] = pd.to_datetime(s).astype("datetime64[s]")
        elif dtype.is_boolean():
            df[name] = s.astype("boolean")
    return df.reset_index(drop=True)


#: DuckDB's memory limit for stockbook's queries; beyond it DuckDB spills to ``temp_directory``
MEMORY_LIMIT = os.environ.get("STOCKBOOK_MEMORY_LIMIT", "1GB")
_con: dict[str, object] = {}


def connection(*, memory_limit: str | None = None, temp_directory: str | None = None,
               threads: int | None = None):
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
    config = {"memory_limit": memory_limit or MEMORY_LIMIT, "temp_directory": spill,
              "preserve_insertion_order": "true"}
    if threads:
        config["threads"] = str(threads)
    con = ibis.duckdb.connect(**config)
    ibis.set_backend(con)
    _con["con"] = con
    return con
