"""Readers: raw files in, canonical tables and a quarantine out.

``load_folder`` reads every data file of a folder, recognises each by its
headers, and returns a :class:`Dataset`: one canonical table per kind, the
combined quarantine, and a per-file account (format, rows read, kept,
quarantined, sha256) so that nothing read is lost unseen.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import ibis
import pandas as pd

from stockbook import money, schema
from stockbook.engine import TableLike, is_lazy
from stockbook.errors import InputError
from stockbook.io import store
from stockbook.io.formats import FORMATS
from stockbook.io.raw import DATA_SUFFIXES
from stockbook.io.readers import ReadResult, read_file

__all__ = ["Dataset", "InputError", "ReadResult", "load_folder", "read_file", "sha256_of"]

#: the date columns of each canonical table (for what a file covers)
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ledger": ("period_start", "period_end"),
    "ledger_events": ("date",),
    "sales": ("date",),
    "receipts": ("date",),
    "counts": ("date",),
    "shipments": ("ship_date", "received_date"),
    "purchase_orders": ("order_date",),
    "fba_inventory": ("snapshot_date",),
    "surcharges": ("snapshot_date",),
    "storage_fees": ("month_of_charge",),
    "restock": ("recommended_ship_date",),
    "fx_rates": ("date",),
}


#: tables every marketplace shares (reference data, not stock)
SHARED_TABLES = ("products", "fx_rates")


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Dataset:
    """The canonical tables read from one data folder."""

    root: Path
    tables: dict[str, TableLike]
    quarantine: pd.DataFrame
    files: pd.DataFrame
    errors: list[InputError] = field(default_factory=list)

    def has(self, table: str) -> bool:
        """Whether the folder has rows of ``table`` (a lazy table always has: it is large).

        ``"ledger:fba"`` asks for ledger rows of one location class.
        """
        table, _, cls = table.partition(":")
        t = self.tables.get(table)
        if t is None:
            return False
        if cls:
            rows = (
                t.filter(t.location_class == cls)
                if is_lazy(t)
                else t.loc[t["location_class"] == cls]
            )
            return bool(rows.count().execute()) if is_lazy(t) else len(rows) > 0
        return is_lazy(t) or len(t) > 0

    def __getitem__(self, table: str) -> TableLike:
        if table in self.tables:
            return self.tables[table]
        return schema.TABLES[table].empty()

    def marketplaces(self) -> list[str]:
        """The marketplaces the folder's rows name (ledger, sales, FBA Inventory, Restock, fee reports), most
        rows first."""
        counts: dict[str, int] = {}
        for t in self.tables.values():
            if "marketplace" not in t.columns:
                continue
            if is_lazy(t):
                f = t.filter(t.marketplace.notnull())
                g = f.group_by("marketplace").aggregate(n=f.count()).to_pandas()
                got = dict(zip(g["marketplace"], g["n"], strict=True))
            else:
                got = t["marketplace"].dropna().value_counts().to_dict()
            for k, v in got.items():
                counts[str(k)] = counts.get(str(k), 0) + int(v)
        return sorted(counts, key=lambda k: (-counts[k], k))

    def only_marketplace(self, code: str, *, main: bool) -> Dataset:
        """The folder's rows of one marketplace: rows that name another are left out; rows that name none (a
        domestic warehouse, an export without a marketplace column) belong to the ``main`` marketplace only,
        so that no unit is counted twice across marketplaces; so do tables without a marketplace column that
        hold stock (shipments, purchases, counts). The SKU master and the rates are kept whole.

        >>> led = pd.DataFrame({"sku": ["A", "A", "A"], "marketplace": ["US", "UK", None]})
        >>> d = Dataset(Path("."), {"ledger": led}, pd.DataFrame(), pd.DataFrame())
        >>> d.marketplaces(), len(d.only_marketplace("UK", main=False)["ledger"])
        (['UK', 'US'], 1)
        >>> len(d.only_marketplace("US", main=True)["ledger"])
        2
        """
        out: dict[str, TableLike] = {}
        for name, t in self.tables.items():
            if name in SHARED_TABLES:
                out[name] = t
            elif "marketplace" not in t.columns:
                if main:
                    out[name] = t
            elif is_lazy(t):
                keep = (t.marketplace == code) | (
                    t.marketplace.isnull() if main else ibis.literal(False)
                )
                out[name] = t.filter(keep)
            else:
                keep = (t["marketplace"] == code).fillna(False) | (t["marketplace"].isna() & main)
                out[name] = t.loc[keep.to_numpy(dtype=bool)].reset_index(drop=True)
        return Dataset(self.root, out, self.quarantine, self.files, self.errors)

    def describe(self) -> pd.DataFrame:
        """Per file read: its format, rows, the dates it covers and how many SKUs it names."""
        parts = []
        for name, df in self.tables.items():
            date_cols = [c for c in DATE_COLUMNS.get(name, ()) if c in df.columns]
            key = "sku" if "sku" in df.columns else "fnsku"
            if is_lazy(df):
                g = df.group_by("source_file").aggregate(
                    first_date=ibis.least(*[df[c].min() for c in date_cols])
                    if date_cols
                    else ibis.null("timestamp"),
                    last_date=ibis.greatest(*[df[c].max() for c in date_cols])
                    if date_cols
                    else ibis.null("timestamp"),
                    skus=df[key].nunique(),
                )
                parts.append(g.rename(file="source_file").to_pandas())
                continue
            g = df.groupby("source_file", sort=True)
            first = (
                pd.concat([g[c].min() for c in date_cols], axis=1).min(axis=1)
                if date_cols
                else None
            )
            last = (
                pd.concat([g[c].max() for c in date_cols], axis=1).max(axis=1)
                if date_cols
                else None
            )
            out = pd.DataFrame({"skus": g[key].nunique() if key in df else g.size() * 0})
            out["first_date"], out["last_date"] = first, last
            parts.append(out.rename_axis("file").reset_index())
        extra = (
            pd.concat([p for p in parts if len(p)], ignore_index=True)
            if any(len(p) for p in parts)
            else pd.DataFrame(columns=["file", "first_date", "last_date", "skus"])
        )
        f = self.files.loc[
            self.files["status"] == "read",
            ["file", "format", "rows_in", "rows_kept", "rows_quarantined"],
        ]
        out = f.merge(extra[["file", "first_date", "last_date", "skus"]], on="file", how="left")
        out["skus"] = out["skus"].fillna(0).astype("int64")
        for c in ("first_date", "last_date"):
            out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d").fillna("")
        return out.reset_index(drop=True)

    def accounting(self) -> pd.DataFrame:
        """Per file: rows read, kept, quarantined, and whether they add up."""
        f = self.files.loc[self.files["status"] == "read"].copy()
        f["balanced"] = f["rows_in"] == f["rows_kept"] + f["rows_quarantined"]
        return f[
            ["file", "format", "rows_in", "rows_kept", "rows_quarantined", "balanced"]
        ].reset_index(drop=True)


def input_files(root: Path) -> list[Path]:
    """Every file under ``root``, sorted by path, without hidden files and Office lock files (``~$…``)."""
    return sorted(
        p for p in Path(root).rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))
    )


#: the last folder read in this process: (its key, the Dataset). A report kernel runs several notebooks on one
#: folder; with ``$STOCKBOOK_REUSE_READING`` set (the report sets it for its kernels) the second reads it from
#: here when no file under it changed (same paths, sizes, modification times)
_LAST_READ: dict[str, tuple[tuple, Dataset]] = {}
REUSE_ENV = "STOCKBOOK_REUSE_READING"


def _folder_key(root: Path, dayfirst: bool | None, use_cache: bool, lazy_rows: int | None) -> tuple:
    files = tuple(
        (str(p), st.st_size, st.st_mtime_ns) for p in input_files(root) for st in (p.stat(),)
    )
    return (
        str(root.resolve()),
        dayfirst,
        use_cache,
        str(store.cache_root()),
        lazy_rows,
        store.LAZY_ROWS,
        files,
    )


def _shallow_copy(data: Dataset) -> Dataset:
    """A Dataset of its own over the same rows: with pandas' copy-on-write, a notebook that changes a table
    changes only its copy."""
    return replace(
        data,
        tables={
            k: v.copy(deep=False) if isinstance(v, pd.DataFrame) else v
            for k, v in data.tables.items()
        },
        quarantine=data.quarantine.copy(deep=False),
        files=data.files.copy(deep=False),
        errors=list(data.errors),
    )


def load_folder(
    root: str | Path,
    *,
    dayfirst: bool | None = None,
    use_cache: bool = True,
    lazy_rows: int | None = None,
) -> Dataset:
    """Read every CSV/TXT/TSV/XLSX file under ``root`` (recursively, sorted by path).

    A file that cannot be read at all (unknown format, missing column, empty) is
    listed in ``files`` with its error and kept in ``errors``; it does not stop the
    others. Exact duplicate rows across files (overlapping downloads) are kept
    once; the copies go to the quarantine with the line they duplicate.

    Each file is parsed once: its reading is cached as Parquet under the sha256
    of its bytes (``stockbook.io.store``), and later loads of the same bytes
    read the cache. ``use_cache=False`` (or ``STOCKBOOK_CACHE=off``) parses every file.
    With ``$STOCKBOOK_REUSE_READING`` set, reading the same unchanged folder again in one process returns a
    copy of the last reading (the report's kernels run several notebooks each on one folder).

    Large tables stay in the engine: when the ledger or the sales rows of the folder
    together number more than ``lazy_rows`` (default ``$STOCKBOOK_LAZY_ROWS`` or
    500,000), ``data["ledger"]`` / ``data["sales"]`` is an Ibis table over the
    cached Parquet, run by DuckDB within its memory limit, and the analyses bring only
    their results to pandas. Needs the cache; without it every table is pandas.
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "data folder not found", expected="a folder of exports")
    use_cache = use_cache and store.cache_root() is not None
    reuse = use_cache and os.environ.get(REUSE_ENV, "") not in ("", "0", "off")
    key = _folder_key(root, dayfirst, use_cache, lazy_rows) if reuse else None
    last = _LAST_READ.get("folder")
    if key is not None and last is not None and last[0] == key:
        return _shallow_copy(last[1])
    data = _load_folder(root, dayfirst=dayfirst, use_cache=use_cache, lazy_rows=lazy_rows)
    if key is not None:
        _LAST_READ["folder"] = (key, _shallow_copy(data))
    return data


def _load_folder(
    root: Path, *, dayfirst: bool | None, use_cache: bool, lazy_rows: int | None
) -> Dataset:
    """The body of :func:`load_folder`: every file read (through the store when ``use_cache``)."""
    cache = store.cache_root() if use_cache else None
    lazy_rows = store.LAZY_ROWS if lazy_rows is None else lazy_rows
    paths = input_files(root)
    # first pass: every file's entry in the store (parsed now if it has none) and what it holds
    found: dict[Path, tuple[str, str, ReadResult | InputError | None]] = {}
    metas: dict[Path, dict] = {}
    kept_rows: dict[str, int] = {}
    for p in paths:
        if p.suffix.lower() not in DATA_SUFFIXES:
            continue
        got: ReadResult | InputError | None = None
        meta = None
        try:
            sha = store.file_digest(cache, p)
        except OSError as exc:  # unreadable (permissions), vanished, or a disk error
            found[p] = (
                "",
                "",
                InputError(
                    p,
                    "the file cannot be read: "
                    + (
                        "permission denied"
                        if isinstance(exc, PermissionError)
                        else str(exc.strerror or exc)
                    ),
                    expected="a file this user may read",
                ),
            )
            continue
        key = store.cache_key(sha, dayfirst=dayfirst)
        if cache is not None:
            try:
                meta, got = store.ensure(
                    cache, key, p, read=lambda x: read_file(x, dayfirst=dayfirst)
                )
            except InputError as exc:
                got = exc
            except OSError:  # the cache cannot be written (a full disk): read the file without it
                meta, got = None, None
        found[p] = (sha, key, got)
        if meta is not None:
            metas[p] = meta
            t = next((f.table for f in FORMATS if f.name == meta["format"]), "")
            kept_rows[t] = kept_rows.get(t, 0) + int(meta.get("rows_kept") or 0)
    lazy = (
        {t for t in store.LAZY_TABLES if kept_rows.get(t, 0) > lazy_rows}
        if cache is not None
        else set()
    )

    results: list[ReadResult] = []
    lazy_parts: dict[str, list[tuple[str, str]]] = {}
    rows: list[dict[str, object]] = []
    errors: list[InputError] = []
    quarantines: list[pd.DataFrame] = []
    for p in paths:
        rel = str(p.relative_to(root))
        if p not in found:
            rows.append(
                {
                    "file": rel,
                    "sha256": _digest_or_blank(cache, p),
                    "format": "",
                    "table": "",
                    "rows_in": 0,
                    "rows_kept": 0,
                    "rows_quarantined": 0,
                    "status": "ignored",
                    "note": "not a data file (.csv, .txt, .tsv, .xlsx)",
                }
            )
            continue
        sha, key, got = found[p]
        entry: dict[str, object] = {
            "file": rel,
            "sha256": sha,
            "format": "",
            "table": "",
            "rows_in": 0,
            "rows_kept": 0,
            "rows_quarantined": 0,
        }
        meta = metas.get(p)
        fmt = next((f for f in FORMATS if meta and f.name == meta["format"]), None)
        if fmt is not None and fmt.table in lazy:
            q = store.entry_quarantine(cache, key)
            quarantines.append(q.assign(source_file=rel))
            lazy_parts.setdefault(fmt.table, []).append((rel, key))
            rows.append(
                {
                    **entry,
                    "status": "read",
                    "note": "; ".join(meta.get("notes", [])),
                    "format": fmt.name,
                    "table": fmt.table,
                    "rows_in": int(meta["rows_in"]),
                    "rows_kept": int(meta["rows_kept"]),
                    "rows_quarantined": int(meta["rows_quarantined"]),
                }
            )
            continue
        try:
            if isinstance(got, InputError):
                raise got
            res = got or store.load(cache, key, p)
            if res is None:
                res = read_file(p, dayfirst=dayfirst)
        except InputError as exc:
            errors.append(exc)
            rows.append({**entry, "status": "error", "note": str(exc)})
            continue
        res.data["source_file"] = rel
        res.quarantine["source_file"] = rel
        results.append(res)
        quarantines.append(res.quarantine)
        rows.append(
            {
                **entry,
                "status": "read",
                "note": "; ".join(res.notes),
                "format": res.format.name,
                "table": res.table,
                "rows_in": res.rows_in,
                "rows_kept": len(res.data),
                "rows_quarantined": res.rows_quarantined,
            }
        )
    files = pd.DataFrame(
        rows,
        columns=[
            "file",
            "status",
            "format",
            "table",
            "rows_in",
            "rows_kept",
            "rows_quarantined",
            "sha256",
            "note",
        ],
    )

    def account(dupes: pd.DataFrame) -> None:
        quarantines.append(dupes)
        for file, n in dupes.groupby("source_file").size().items():
            hit = files["file"] == file
            files.loc[hit, "rows_kept"] -= n
            files.loc[hit, "rows_quarantined"] += n

    tables: dict[str, pd.DataFrame] = {}
    for name in sorted({r.table for r in results}):
        parts = [r.data for r in results if r.table == name and len(r.data)]
        if not parts:
            continue
        df = pd.concat(parts, ignore_index=True)
        # detail-view events can repeat legitimately inside one file (one order shipped in two parcels), so
        # only copies across files (overlapping downloads) are dropped there
        dedupe = drop_overlap_duplicates if name == "ledger_events" else drop_duplicate_rows
        df, dupes = dedupe(df, schema.TABLES[name])
        if len(dupes):
            account(dupes)
        if (
            name != "ledger_events"
        ):  # a detail-view event may repeat with other values (two parcels)
            df, clashes = split_conflicts(df, name)
            if len(clashes):
                account(clashes)
        tables[name] = df
    for name, parts in sorted(lazy_parts.items()):
        t, dupes = store.lazy_table(cache, name, parts)
        if len(dupes):
            account(dupes)
        tables[name] = t
    if "input_currencies" in tables:
        declare_currencies(tables, files, tables["input_currencies"])
    if "sales" in tables and "ledger" in tables:
        place_sales(tables, files)
    q = (
        pd.concat([x for x in quarantines if len(x)], ignore_index=True)
        if any(len(x) for x in quarantines)
        else schema.QUARANTINE.empty()
    )
    q = schema.conform(q, schema.QUARANTINE)
    return Dataset(root=root, tables=tables, quarantine=q, files=files, errors=errors)


def place_sales(tables: dict[str, TableLike], files: pd.DataFrame) -> None:
    """Sales rows that name neither a currency nor a marketplace (an ERP's daily sales report) take the
    marketplace of their SKU in Amazon's Inventory Ledger, and its currency, in place — only for SKUs the
    ledger places in one marketplace; each file's note says so. Others stay unknown (their money unused).

    >>> tables = {"sales": pd.DataFrame({"sku": ["A", "Z"], "currency": pd.array([None, None], dtype="string"),
    ...                                  "marketplace": pd.array([None, None], dtype="string"),
    ...                                  "revenue": [5.0, 7.0], "source_file": "s.csv"}),
    ...           "ledger": pd.DataFrame({"sku": ["A"], "location_class": ["fba"], "marketplace": ["UK"]})}
    >>> files = pd.DataFrame({"file": ["s.csv"], "note": ["money (revenue) states no currency: not used …"]})
    >>> place_sales(tables, files)
    >>> tables["sales"][["marketplace", "currency"]].astype(object).values.tolist(), files["note"].iloc[0]
    ([['UK', 'GBP'], [<NA>, <NA>]], "money in GBP: each SKU's marketplace in Amazon's ledger (UK); 1 row of SKUs the ledger does not place: their money is not used")
    """
    led, sales = tables["ledger"], tables["sales"]
    if "marketplace" not in sales.columns or "currency" not in sales.columns:
        return
    if is_lazy(led):
        f = led.filter((led.location_class == "fba") & led.marketplace.notnull())
        placed = f.select("sku", "marketplace").distinct().to_pandas()
    else:
        placed = led.loc[
            (led["location_class"] == "fba") & led["marketplace"].notna(), ["sku", "marketplace"]
        ].drop_duplicates()
    if not len(placed):
        return
    one = (
        placed.groupby("sku")["marketplace"]
        .agg(lambda m: m.iloc[0] if len(m) == 1 else None)
        .dropna()
    )
    if not len(one):
        return
    market = one.astype(str).to_dict()
    code = money.MARKETPLACE_CURRENCY
    if is_lazy(sales):
        m = pd.DataFrame({"sku": list(market), "_mp": list(market.values())})
        m["_ccy"] = m["_mp"].map(code)
        t = sales.left_join(ibis.memtable(m), "sku").drop("sku_right")
        bare = t.currency.isnull() & t.marketplace.isnull()
        t = t.mutate(
            _bare=bare,
            marketplace=ibis.cases((bare, t._mp), else_=t.marketplace),
            currency=ibis.cases((bare, t._ccy), else_=t.currency),
        )
        hit = t.filter(t._bare)
        done = (
            hit.group_by(["source_file", "marketplace", "currency"])
            .aggregate(n=hit.count())
            .to_pandas()
        )
        tables["sales"] = t.drop("_mp", "_ccy", "_bare")
    else:
        bare = sales["currency"].isna() & sales["marketplace"].isna()
        if not bare.any():
            return
        mp = sales["sku"].map(market).where(bare).astype("string")
        sales = sales.copy()
        sales["marketplace"] = sales["marketplace"].astype("string").fillna(mp)
        sales["currency"] = sales["currency"].astype("string").fillna(mp.map(code).astype("string"))
        tables["sales"] = sales
        done = (
            sales.loc[bare]
            .groupby(["source_file", "marketplace", "currency"], dropna=False)
            .size()
            .rename("n")
            .reset_index()
        )
    for src, rows in done.groupby("source_file"):
        got = rows.dropna(subset=["currency"])
        if not len(got):
            continue
        left = int(rows.loc[rows["currency"].isna(), "n"].sum())
        note = (
            f"money in {', '.join(sorted(got['currency'].unique()))}: each SKU's marketplace in Amazon's ledger "
            f"({', '.join(sorted(got['marketplace'].unique()))})"
            + (
                f"; {left:,} row{'s' if left != 1 else ''} of SKUs the ledger does not place: their money is "
                "not used"
                if left
                else ""
            )
        )
        hit = files["file"] == src
        kept = (
            files.loc[hit, "note"]
            .fillna("")
            .map(
                lambda n: "; ".join(x for x in n.split("; ") if x and "states no currency" not in x)
            )
        )
        files.loc[hit, "note"] = kept.where(kept == "", kept + "; ") + note


#: the currency columns a seller's statement fills, per table (a file's own column or header unit wins)
DECLARED_CURRENCY_COLUMNS: dict[str, tuple[str, ...]] = {
    "ledger": ("currency",),
    "sales": ("currency",),
    "purchase_orders": ("currency",),
    "refunds": ("currency",),
    "reimbursements": ("currency",),
    "products": ("cost_currency", "price_currency"),
}


def declare_currencies(
    tables: dict[str, TableLike], files: pd.DataFrame, declared: pd.DataFrame
) -> None:
    """Fill the currency of files that do not state one from the seller's table (``file, currency``: a name
    or a pattern such as ``进销存*.csv``, matched against the file's path in the folder or its name), in place;
    each file's note says so. A file's own currency column or header unit is never overwritten.

    >>> tables = {"ledger": pd.DataFrame({"sku": ["A", "B"], "currency": [None, "USD"],
    ...                                   "source_file": ["2022.04进销存.csv", "us.csv"]})}
    >>> files = pd.DataFrame({"file": ["2022.04进销存.csv", "us.csv"], "note": ["", ""]})
    >>> declare_currencies(tables, files, pd.DataFrame({"file": ["*进销存*"], "currency": ["CNY"],
    ...                                                 "source_file": ["currencies.csv"], "source_line": [2]}))
    >>> tables["ledger"]["currency"].tolist(), files["note"].tolist()[0]
    (['CNY', 'USD'], 'money in CNY, as currencies.csv line 2 states')
    """
    rules = declared.dropna(subset=["file", "currency"])
    for name, cols in DECLARED_CURRENCY_COLUMNS.items():
        t = tables.get(name)
        if t is None or "source_file" not in t.columns:
            continue
        sources = (
            t.select("source_file").distinct().to_pandas()["source_file"]
            if is_lazy(t)
            else pd.Series(t["source_file"].dropna().unique())
        )
        chosen: dict[str, tuple[str, str]] = {}
        for src in sorted(str(x) for x in sources):
            for r in rules.itertuples():
                if fnmatch.fnmatch(src, r.file) or fnmatch.fnmatch(Path(src).name, r.file):
                    chosen[src] = (str(r.currency), f"{r.source_file} line {r.source_line}")
                    break
        if not chosen:
            continue
        for col in cols:
            if is_lazy(t):
                given = t.source_file.cases(
                    *[(f, c) for f, (c, _) in chosen.items()], else_=ibis.null("string")
                )
                t = t.mutate(**{col: t[col].fill_null(given) if col in t.columns else given})
            else:
                given = (
                    t["source_file"].map({f: c for f, (c, _) in chosen.items()}).astype("string")
                )
                t[col] = t[col].astype("string").fillna(given) if col in t else given
        tables[name] = t
        for f, (c, where) in chosen.items():
            hit = files["file"] == f
            note = f"money in {c}, as {where} states"
            before = (
                files.loc[hit, "note"]
                .fillna("")
                .map(  # the reader's "states no currency" is answered now
                    lambda n: "; ".join(x for x in n.split("; ") if "states no currency" not in x)
                )
            )
            files.loc[hit, "note"] = before.where(before == "", before + "; ") + note


def _digest_or_blank(cache: Path | None, p: Path) -> str:
    try:
        return store.file_digest(cache, p)
    except OSError:
        return ""


def _row_key(df: pd.DataFrame, table: schema.TableSchema) -> pd.Series:
    """One 64-bit hash per row of every column but the source file and line (vectorised): rows are
    copies only when they agree in every column, the ones stockbook does not read included."""
    cols = [c for c in df.columns if c not in ("source_file", "source_line")]
    return pd.util.hash_pandas_object(df[cols].astype("string"), index=False)


#: the columns that name one fact in each table (a row per key), for finding two files that disagree;
#: ledger rows are per FNSKU too where Amazon gives it
CONFLICT_KEYS: dict[str, tuple[str, ...]] = {
    "ledger": (
        "sku",
        "fnsku",
        "location",
        "location_class",
        "disposition",
        "period_start",
        "period_end",
    ),
    "products": ("sku",),
    "sales": ("date", "sku", "channel", "order_id"),
    "counts": ("date", "sku", "location"),
    "shipments": ("shipment_id", "sku"),
    "purchase_orders": ("po_number", "sku"),
    "receipts": ("date", "sku", "po_number"),
    "fba_inventory": ("snapshot_date", "sku"),
    "restock": ("sku",),
}


def split_conflicts(df: pd.DataFrame, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of different files that share the table's key but disagree: both go to the quarantine.

    Two downloads of the same day with different numbers cannot both be right, and stockbook cannot
    tell which is; each row is named with the other's file and line and the columns that differ.
    Rows of one file that share a key are that file's own business (a variant per row) and are kept.

    >>> df = schema.conform(pd.DataFrame({"date": ["2026-10-01"] * 2, "sku": ["A", "A"], "location": "WH",
    ...     "units": [5, 7], "source_file": ["a.csv", "b.csv"], "source_line": [2, 9]}), schema.COUNTS)
    >>> kept, q = split_conflicts(df, "counts")
    >>> len(kept), q["reason"].tolist()[0]
    (0, 'conflicts with b.csv line 9: same date, sku, location; units 5 here, 7 there (keep one download)')
    """
    keys = [c for c in CONFLICT_KEYS.get(table, ()) if c in df.columns]
    if not keys or not len(df) or df["source_file"].nunique() < 2:
        return df, schema.QUARANTINE.empty()
    canon = [
        c
        for c in schema.TABLES[table].names
        if c in df.columns and c not in (*keys, "source_file", "source_line")
    ]
    k = pd.util.hash_pandas_object(df[keys].astype("string"), index=False)
    v = pd.util.hash_pandas_object(df[canon].astype("string"), index=False)
    g = pd.DataFrame({"k": k, "v": v, "f": df["source_file"]}).groupby("k")
    clash = (g["f"].transform("nunique") > 1) & (g["v"].transform("nunique") > 1)
    if not clash.any():
        return df, schema.QUARANTINE.empty()
    rows = df.loc[clash].assign(_k=k[clash])
    out = []
    for _, grp in rows.groupby(
        "_k", sort=False
    ):  # only the clashing groups: a handful in a real folder
        for i, r in grp.iterrows():
            other = grp.loc[(grp["source_file"] != r["source_file"])].iloc[0]
            diff = [c for c in canon if str(r[c]) != str(other[c])]
            what = "; ".join(f"{c} {r[c]} here, {other[c]} there" for c in diff[:3])
            out.append(
                {
                    "source_file": r["source_file"],
                    "line": r["source_line"],
                    "column": diff[0] if diff else "",
                    "value": "" if not diff else str(r[diff[0]]),
                    "reason": f"conflicts with {other['source_file']} line {other['source_line']}: same "
                    f"{', '.join(keys)}; {what} (keep one download)",
                    "_i": i,
                }
            )
    q = pd.DataFrame(out).sort_values("_i").drop(columns="_i")
    return df.loc[~clash].reset_index(drop=True), schema.conform(q, schema.QUARANTINE)


def _split_copies(
    df: pd.DataFrame, key: pd.Series, dup: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows not in ``dup``; quarantine the others, naming the first kept row each one repeats."""
    if not dup.any():
        return df, schema.QUARANTINE.empty()
    first = df.loc[~dup].assign(_k=key[~dup]).drop_duplicates("_k").set_index("_k")
    origin = first["source_file"].astype(str) + " line " + first["source_line"].astype(str)
    d = df.loc[dup]
    q = pd.DataFrame(
        {
            "source_file": d["source_file"].to_numpy(),
            "line": d["source_line"].to_numpy(),
            "column": "",
            "value": "",
            "reason": (
                "duplicate of " + origin.reindex(key[dup]).to_numpy() + " (overlapping download)"
            ),
        }
    )
    return df.loc[~dup].reset_index(drop=True), schema.conform(q, schema.QUARANTINE)


def drop_overlap_duplicates(
    df: pd.DataFrame, table: schema.TableSchema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows a later file repeats from earlier files: keep the most copies any one file has.

    A row that appears twice in one file stays twice; if a later file has the same row once, that copy
    is the overlap and goes to the quarantine.

    >>> df = schema.conform(pd.DataFrame({"date": ["2026-09-20"] * 3, "sku": "A", "event_type": "Shipments",
    ...     "quantity": -1, "source_file": ["a.txt", "a.txt", "b.txt"], "source_line": [2, 3, 5]}),
    ...     schema.LEDGER_EVENTS)
    >>> kept, dupes = drop_overlap_duplicates(df, schema.LEDGER_EVENTS)
    >>> len(kept), dupes["line"].tolist(), dupes["reason"].iloc[0]
    (2, [5], 'duplicate of a.txt line 2 (overlapping download)')
    """
    if not len(df):
        return df, schema.QUARANTINE.empty()
    key = _row_key(df, table)
    files = pd.Series(pd.factorize(df["source_file"], sort=True)[0], index=df.index)
    occurrence = df.groupby([key, files]).cumcount()
    counts = (
        pd.DataFrame({"k": key, "f": files})
        .value_counts()
        .rename("c")
        .reset_index()
        .sort_values(["k", "f"])
    )
    counts["before"] = counts.groupby("k")["c"].cummax().groupby(counts["k"]).shift().fillna(0)
    rows = pd.MultiIndex.from_frame(pd.DataFrame({"k": key, "f": files}))
    prev_max = counts.set_index(["k", "f"])["before"].reindex(rows).to_numpy()
    return _split_copies(df, key, pd.Series(occurrence.to_numpy() < prev_max, index=df.index))


def drop_duplicate_rows(
    df: pd.DataFrame, table: schema.TableSchema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the first of rows identical in every canonical column; quarantine the rest.

    Overlapping downloads (September 1–30 and September 15–October 15) repeat
    rows; counting them twice would invent units.

    >>> df = schema.conform(pd.DataFrame({"date": ["2026-10-01"] * 2, "sku": ["A", "A"],
    ...     "location": ["WH", "WH"], "units": [5, 5], "source_file": ["a.csv", "b.csv"],
    ...     "source_line": [2, 7]}), schema.COUNTS)
    >>> kept, dupes = drop_duplicate_rows(df, schema.COUNTS)
    >>> len(kept), dupes["reason"].iloc[0]
    (1, 'duplicate of a.csv line 2 (overlapping download)')
    """
    if not len(df):
        return df, schema.QUARANTINE.empty()
    key = _row_key(df, table)
    return _split_copies(df, key, key.duplicated(keep="first"))
