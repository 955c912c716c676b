"""Ingest once: each input file's canonical rows and quarantine, cached as Parquet by content hash.

A file is parsed once; ``load_folder`` and every notebook after it read the
cached Parquet instead of the CSV/XLSX again. The cache key is

    sha256(file bytes) + sha256(the readers' source) + the reading options

so a changed file is read again, an unchanged one never is (renaming or moving
it keeps its entry), and a new stockbook release that reads differently starts
a fresh entry instead of trusting an old parse.

Where: ``$STOCKBOOK_CACHE`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/stockbook`` or ``~/.cache/stockbook``. The data folder itself
is never written to. Each entry is a folder ``<key[:2]>/<key>/`` with
``data.parquet``, ``quarantine.parquet`` and ``meta.json``; it is written beside
its final name and renamed in, so a killed run leaves no half entry. Deleting
the folder is always safe. ``digests/`` remembers each input's sha256 against its
size, times and inode, so an unchanged file is not hashed again either
(:func:`file_digest`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from stockbook import schema
from stockbook.io.formats import FORMATS, Format
from stockbook.io.readers import ReadResult
from stockbook.io.stream import FIRST_LINE

CACHE_ENV = "STOCKBOOK_CACHE"


def cache_root() -> Path | None:
    """The cache folder, or None when ``$STOCKBOOK_CACHE`` is ``off``."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env.lower() in ("off", "0", "none", "false"):
        return None
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stockbook"


@cache
def reader_version() -> str:
    """sha256 of the source of the readers and the column contract: any change to them starts new entries."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in sorted([*here.glob("*.py"), here.parent / "schema.py"]):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def cache_key(file_sha256: str, *, dayfirst: bool | None = None) -> str:
    """The entry name for a file's bytes read with these options by this version of the readers.

    >>> len(cache_key("ab" * 32)), cache_key("ab" * 32) != cache_key("ab" * 32, dayfirst=True)
    (64, True)
    """
    return hashlib.sha256(
        f"{file_sha256}|{reader_version()}|dayfirst={dayfirst}".encode()
    ).hexdigest()


def _entry(root: Path, key: str) -> Path:
    return root / key[:2] / key


def load(root: Path | None, key: str, path: Path) -> ReadResult | None:
    """The cached reading of ``path`` under ``key``, or None if there is none (or it is unreadable)."""
    if root is None:
        return None
    folder = _entry(root, key)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        fmt = next(f for f in FORMATS if f.name == meta["format"])
        # pandas' own metadata in the Parquet file restores the dtypes (Int64, string, boolean); Parquet has no
        # second-resolution timestamps, so dates come back in ms and are set back to the contract's seconds
        data = _seconds(pd.read_parquet(folder / "data.parquet"))
        quarantine = _seconds(pd.read_parquet(folder / "quarantine.parquet"))
        if meta.get("engine") == "duckdb":  # written by DuckDB: plain types, set to the contract's
            if "source_line" not in data:  # a row's line is its position (``stream.LINE``)
                data["source_line"] = np.arange(len(data), dtype="int64") + FIRST_LINE
            if (
                "_ok" in data
            ):  # the streaming reader keeps bad rows in the file, flagged; they are the quarantine
                data = data.loc[data["_ok"].astype(bool)].reset_index(drop=True)
            data = data.drop(columns=[c for c in data.columns if c.startswith("_")])
            data = schema.conform(data, schema.TABLES[fmt.table])
            for c in data.columns.difference(schema.TABLES[fmt.table].names):
                if not pd.api.types.is_numeric_dtype(data[c]):
                    data[c] = data[c].astype("string")
            quarantine = schema.conform(quarantine, schema.QUARANTINE)
    except (OSError, ValueError, KeyError, StopIteration):
        return None  # missing or damaged: read the file again
    return ReadResult(
        path=path,
        format=fmt,
        data=data,
        quarantine=quarantine,
        rows_in=int(meta["rows_in"]),
        encoding=meta["encoding"],
        notes=list(meta.get("notes", [])),
    )


def _seconds(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[c]) and getattr(df[c].dtype, "tz", None) is None:
            df[c] = df[c].astype("datetime64[s]")
    return df


@contextmanager
def _building(root: Path, key: str) -> Iterator[Path | None]:
    """A fresh folder for entry ``key``, renamed into place when the block ends without error.

    Yields None when the entry already exists. A killed run leaves only a hidden ``.tmp`` folder.
    """
    final = _entry(root, key)
    if final.exists():
        yield None
        return
    tmp = final.parent / f".{key}.tmp-{os.getpid()}"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        yield tmp
        try:
            tmp.rename(final)
        except OSError:  # another process built the same entry meanwhile: theirs is as good
            if not final.exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _meta(
    fmt: Format,
    path: Path,
    *,
    engine: str,
    rows_in: int,
    rows_kept: int,
    rows_quarantined: int,
    encoding: str,
    parse: str | None = None,
    notes: list[str] | None = None,
) -> str:
    """An entry's ``meta.json``; ``parse`` is the streaming reader's way through (``typed`` or ``text``)."""
    meta = {
        "format": fmt.name,
        "rows_in": int(rows_in),
        "encoding": encoding,
        "file": path.name,
        "reader_version": reader_version(),
        "engine": engine,
        "rows_kept": int(rows_kept),
        "rows_quarantined": int(rows_quarantined),
        "notes": list(notes or []),
    }
    return json.dumps(meta | ({"parse": parse} if parse else {}), indent=1)


def save(root: Path | None, key: str, result: ReadResult) -> None:
    """Store ``result`` under ``key`` (atomically; a cache that cannot be written is skipped silently)."""
    if root is None:
        return
    try:
        with _building(root, key) as tmp:
            if tmp is None:
                return
            # source_file is set by load_folder (a file keeps its entry when renamed or moved)
            result.data.to_parquet(tmp / "data.parquet", index=False)
            result.quarantine.to_parquet(tmp / "quarantine.parquet", index=False)
            (tmp / "meta.json").write_text(
                _meta(
                    result.format,
                    result.path,
                    engine="pandas",
                    rows_in=result.rows_in,
                    rows_kept=len(result.data),
                    rows_quarantined=result.rows_quarantined,
                    encoding=result.encoding,
                    notes=result.notes,
                ),
                encoding="utf-8",
            )
    except OSError:
        pass


def stream_save(root: Path, key: str, path: Path, fmt: Format, *, typed: bool = True) -> None:
    """Ingest a large file (``stream.stream_to_parquet``) straight into its cache entry; ``typed=False``
    skips DuckDB's typed way (tests compare the two)."""
    from stockbook.engine import connection
    from stockbook.io.stream import stream_to_parquet

    with _building(root, key) as tmp:
        if tmp is None:
            return
        cur = (
            connection().con.cursor()
        )  # its own cursor: no open result is left on the shared connection
        try:
            counts = stream_to_parquet(path, fmt, tmp, con=cur, typed=typed)
            bad = cur.execute(
                "SELECT count(DISTINCT line) FROM read_parquet(?)",
                [str(tmp / "quarantine.parquet")],
            ).fetchall()[0][0]
        finally:
            cur.close()
        (tmp / "meta.json").write_text(
            _meta(
                fmt,
                path,
                engine="duckdb",
                rows_in=counts["rows_in"],
                rows_kept=counts["rows_kept"],
                rows_quarantined=bad,
                encoding="utf-8",
                parse=str(counts["path"]),
                notes=list(counts.get("notes", [])),
            ),
            encoding="utf-8",
        )


def fill(
    root: Path,
    key: str,
    path: Path,
    *,
    read: Callable[[Path], ReadResult],
    stream_bytes: int | None = None,
) -> ReadResult | None:
    """Write the entry ``key`` for ``path``: a large ledger or sales export through DuckDB, any other file
    with ``read`` (a pandas reader). Returns that pandas reading, so the caller need not load it back;
    None when DuckDB wrote the entry."""
    from stockbook.io.stream import streamable

    fmt = streamable(path, min_bytes=stream_bytes)
    if fmt is not None:
        stream_save(root, key, path, fmt)
        return None
    result = read(path)
    save(root, key, result)
    return result


def ensure(
    root: Path,
    key: str,
    path: Path,
    *,
    read: Callable[[Path], ReadResult],
    stream_bytes: int | None = None,
) -> tuple[dict | None, ReadResult | None]:
    """Entry ``key`` for ``path``, built now if it is missing or damaged (:func:`fill`).

    Returns its ``meta.json`` and, when the file was just parsed by ``read``, that pandas reading.
    ``read``'s ``InputError`` (a file that cannot be read) passes through.
    """
    meta = entry_meta(root, key)
    if meta is not None:
        return meta, None
    discard(root, key)  # a damaged entry is built again, so every file of a table has a whole one
    result = fill(root, key, path, read=read, stream_bytes=stream_bytes)
    return entry_meta(root, key), result


@dataclass
class Store:
    """The ingested canonical tables of a data folder, as Ibis tables over the cached Parquet (lazy, on DuckDB).

    ``files``: one row per data file with its entry ``key``, ``table``, ``format`` and row counts.
    Nothing is read until a query runs; results reach pandas only through ``to_pandas``.
    """

    root: Path
    files: pd.DataFrame

    def has(self, table: str) -> bool:
        return bool((self.files["table"] == table).any())

    def table(self, table: str):
        """All files of ``table`` as one Ibis table, as ``load_folder`` gives a large table (:func:`lazy_table`)."""
        if not self.has(table):
            raise KeyError(f"no {table} table in the store")
        f = self.files.loc[self.files["table"] == table]
        return lazy_table(self.root, table, list(zip(f["file"], f["key"], strict=True)))[0]

    def quarantine(self) -> pd.DataFrame:
        """Every quarantined row, with the file it came from (small: bad rows and copies only)."""
        parts = [
            entry_quarantine(self.root, k).assign(source_file=f)
            for f, k in zip(self.files["file"], self.files["key"], strict=True)
        ]
        for name, f in self.files.groupby(
            "table", sort=True
        ):  # exact copies of rows, as load_folder finds them
            parts.append(
                lazy_table(self.root, name, list(zip(f["file"], f["key"], strict=True)))[1]
            )
        parts = [p for p in parts if len(p)]
        return (
            schema.conform(pd.concat(parts, ignore_index=True), schema.QUARANTINE)
            if parts
            else schema.QUARANTINE.empty()
        )


def ingest_folder(
    data_dir: str | Path,
    *,
    root: Path | None = None,
    dayfirst: bool | None = None,
    stream_bytes: int | None = None,
) -> Store:
    """Ingest every data file of ``data_dir`` into the cache once (large ledgers and sales via DuckDB).

    Unchanged files (same sha256) are not read again. Files that cannot be read raise
    ``InputError`` here; ``load_folder`` is the tolerant, pandas-side loader.
    """
    from stockbook.io import input_files
    from stockbook.io.raw import DATA_SUFFIXES
    from stockbook.io.readers import read_file

    data_dir = Path(data_dir)
    root = root or cache_root()
    if root is None:
        raise ValueError(f"the ingest store needs a cache folder (${CACHE_ENV} is off)")
    rows = []
    for p in input_files(data_dir):
        if p.suffix.lower() not in DATA_SUFFIXES:
            continue
        key = cache_key(file_digest(root, p), dayfirst=dayfirst)
        meta, _ = ensure(
            root, key, p, read=lambda x: read_file(x, dayfirst=dayfirst), stream_bytes=stream_bytes
        )
        if meta is None:
            raise OSError(f"the ingest store could not write an entry for {p} under {root}")
        fmt = next(f for f in FORMATS if f.name == meta["format"])
        rows.append(
            {
                "file": str(p.relative_to(data_dir)),
                "key": key,
                "table": fmt.table,
                "format": fmt.name,
                "engine": meta.get("engine", "pandas"),
                "rows_in": meta["rows_in"],
                "rows_kept": meta.get("rows_kept"),
                "rows_quarantined": meta.get("rows_quarantined"),
            }
        )
    return Store(
        root=root,
        files=pd.DataFrame(
            rows,
            columns=[
                "file",
                "key",
                "table",
                "format",
                "engine",
                "rows_in",
                "rows_kept",
                "rows_quarantined",
            ],
        ),
    )


#: tables that stay in the engine (Ibis over the store's Parquet) when they are large
LAZY_TABLES = ("ledger", "sales")
#: above this many rows (all files of a table together) a lazy table is not brought into pandas
LAZY_ROWS = int(os.environ.get("STOCKBOOK_LAZY_ROWS", "500000"))


def entry_meta(root: Path | None, key: str) -> dict | None:
    """The ``meta.json`` of entry ``key`` (format, rows in/kept/quarantined, engine), or None."""
    if root is None:
        return None
    folder = _entry(root, key)
    if not all(_whole_parquet(folder / name) for name in ("data.parquet", "quarantine.parquet")):
        return None  # a damaged entry: the file is read again
    return _json(folder / "meta.json")


def _whole_parquet(path: Path) -> bool:
    """Whether ``path`` is a Parquet file with a readable footer (not missing, cut or overwritten)."""
    try:
        pq.read_metadata(path)
        return True
    except (OSError, ValueError, pa.ArrowException):
        return False


def discard(root: Path, key: str) -> None:
    """Delete entry ``key`` (a damaged one; it is built again from the file)."""
    shutil.rmtree(_entry(root, key), ignore_errors=True)


def file_digest(root: Path | None, path: Path) -> str:
    """The sha256 of ``path``'s bytes, remembered under ``root/digests/`` against the file's identity.

    Hashing a 1 GB export takes about a second, and every notebook of a report loads the
    folder again. The digest is reused while the file's size, modification and change times
    (``st_mtime_ns``, ``st_ctime_ns``), inode and device are all unchanged; any write, copy,
    rename or replacement of the file changes at least one of them (the change time cannot be
    set back), so it is hashed again. Without a cache (``root`` None) it is always hashed.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); f = d / "a.csv"; _ = f.write_text("x")
    >>> file_digest(d / "cache", f) == file_digest(None, f) == file_digest(d / "cache", f)
    True
    """
    from stockbook.io import sha256_of

    if root is None:
        return sha256_of(path)
    st = path.stat()
    ident = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()
    memo = root / "digests" / name[:2] / f"{name}.json"
    known = _json(memo)
    if known and known.get("stat") == ident and isinstance(known.get("sha256"), str):
        return known["sha256"]
    digest = sha256_of(path)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f".{name}.{os.getpid()}")
        tmp.write_text(
            json.dumps({"file": str(path.resolve()), "stat": ident, "sha256": digest}),
            encoding="utf-8",
        )
        tmp.replace(memo)
    except OSError:
        pass  # a cache that cannot be written only costs the hashing next time
    return digest


def _json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def entry_quarantine(root: Path, key: str) -> pd.DataFrame:
    """The quarantined rows of entry ``key`` (small: bad rows only), in the contract's types."""
    return schema.conform(
        _seconds(pd.read_parquet(_entry(root, key) / "quarantine.parquet")), schema.QUARANTINE
    )


def lazy_table(root: Path, name: str, parts: list[tuple[str, str]]):
    """The files ``parts`` ([(file name, entry key)], in reading order) of table ``name`` as one Ibis table.

    Nothing reaches pandas: DuckDB reads the entries' Parquet, leaves out the rows the streaming
    reader flagged, casts to the contract's types (:func:`stockbook.engine.conform_table`) and
    names each row's ``source_file``.

    Exact copies of a row (every canonical column equal but the file and line) are kept once, as
    ``load_folder`` does in pandas. Whether there are any is checked once per set of entries, by
    a 64-bit hash of each row's contents (the same test as pandas' ``hash_pandas_object``), and
    remembered under ``combined/`` in the cache. Only when there are copies is the table written
    again, flagged, and the copies listed. Returns the table and the copies for the quarantine.
    """
    import ibis

    from stockbook.engine import conform_table, connection, union_all

    table = schema.TABLES[name]
    con = connection()
    views = []
    for i, (rel, key) in enumerate(parts):
        t = con.read_parquet(str(_entry(root, key) / "data.parquet"), file_row_number=True)
        if (
            "source_line" not in t.columns
        ):  # streamed: a row's line is its position (``stream.LINE``)
            t = t.mutate(source_line=(t.file_row_number + FIRST_LINE).cast("int64"))
        if "_ok" in t.columns:
            t = t.filter(t["_ok"].fill_null(True))
        t = conform_table(t.mutate(source_file=ibis.literal(rel)), table).mutate(_f=ibis.literal(i))
        views.append(t)
    t = union_all(*views)
    ckey = hashlib.sha256(
        "|".join([name, reader_version(), *(f"{r}:{k}" for r, k in parts)]).encode()
    ).hexdigest()
    folder = _entry(root / "combined", ckey)
    meta = _json(folder / "meta.json")
    if meta is None:
        content = [c for c in table.names if c not in ("source_file", "source_line")]
        h = t.mutate(_h=ibis.struct({c: t[c] for c in content}).hash())
        n, distinct = h.aggregate(n=h.count(), d=h._h.nunique()).execute().iloc[0]
        with _building(root / "combined", ckey) as tmp:
            if tmp is not None:
                if n != distinct:
                    w = ibis.window(group_by=h._h, order_by=[h._f, h.source_line])
                    flagged = h.mutate(
                        _dup=ibis.row_number().over(w) > 0,
                        _first_file=h.source_file.first().over(w),
                        _first_line=h.source_line.first().over(w),
                    )
                    con.to_parquet(flagged.drop("_h"), tmp / "data.parquet")
                (tmp / "meta.json").write_text(
                    json.dumps({"table": name, "rows": int(n), "duplicates": int(n - distinct)}),
                    encoding="utf-8",
                )
        meta = _json(folder / "meta.json")
    if not meta or not meta["duplicates"]:
        return _view(con, ckey, t.drop("_f")), schema.QUARANTINE.empty()
    flagged = con.read_parquet(str(folder / "data.parquet"))
    d = (
        flagged.filter(flagged._dup)
        .order_by(["_f", "source_line"])
        .select(
            "source_file",
            line="source_line",
            column=ibis.literal(""),
            value=ibis.literal(""),
            reason="duplicate of "
            + flagged._first_file
            + " line "
            + flagged._first_line.cast("string")
            + " (overlapping download)",
        )
        .to_pandas()
    )
    kept = flagged.filter(~flagged._dup)
    return _view(con, ckey, conform_table(kept, table)), schema.conform(d, schema.QUARANTINE)


def _view(con, ckey: str, t):
    """``t`` as a named DuckDB view: every query on the table then starts from one name, not from the
    union of casts above (Ibis compiles each query on a large table in a fraction of the time)."""
    return con.create_view(f"stockbook_{ckey[:16]}", t, overwrite=True)
