"""Ingest once: a file's reading is cached by the sha256 of its bytes; unchanged files are never parsed again,
a changed one is, and the cached tables are identical to a fresh parse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import stockbook.io as sio
from conftest import AMAZON_SUMMARY_HEADER, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import schema
from stockbook.io import load_folder, store


@pytest.fixture
def cache(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv(store.CACHE_ENV, str(root))
    return root


@pytest.fixture
def counted(monkeypatch):
    """Count the files actually parsed."""
    parsed: list[str] = []
    real = sio.read_file

    def read_file(path, **kw):
        parsed.append(path.name)
        return real(path, **kw)

    monkeypatch.setattr(sio, "read_file", read_file)
    return parsed


def _same(a, b):
    assert sorted(a.tables) == sorted(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    pd.testing.assert_frame_equal(a.quarantine, b.quarantine)
    pd.testing.assert_frame_equal(a.files, b.files)


def test_a_cached_load_equals_a_fresh_parse_and_parses_nothing(cache, counted):
    fresh = load_folder(SAMPLE, use_cache=False)
    n_files = int((fresh.files["status"] == "read").sum())
    first = load_folder(SAMPLE)
    assert (
        len(counted) == 2 * n_files
    )  # the fresh parse, then the first cached load fills the cache
    again = load_folder(SAMPLE)
    assert len(counted) == 2 * n_files  # nothing parsed the third time
    _same(fresh, first)
    _same(fresh, again)
    assert len(list(cache.glob("*/*/data.parquet"))) == n_files


def test_a_changed_file_is_read_again_and_only_it(cache, counted, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    load_folder(data)
    counted.clear()
    counts = next(data.glob("counts/*.csv"))
    lines = counts.read_text(encoding="utf-8-sig").splitlines()
    counts.write_text(
        "\n".join([*lines, lines[-1].replace(lines[-1].split(",")[0], "2026-10-30", 1)]) + "\n",
        encoding="utf-8",
    )
    after = load_folder(data)
    assert counted == [counts.name]
    row = after.files.loc[after.files["file"] == str(counts.relative_to(data))].iloc[0]
    assert row["rows_in"] == len(lines)  # header + the old rows + one new row


def test_renamed_file_keeps_its_entry_and_its_new_name(cache, counted, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE / "master", data / "master")
    load_folder(data)
    (data / "master" / "商品资料.csv").rename(data / "master" / "sku_master_v2.csv")
    counted.clear()
    after = load_folder(data)
    assert counted == []
    assert set(after.tables["products"]["source_file"]) == {"master/sku_master_v2.csv"}


def test_cache_off_writes_nothing_and_the_data_folder_is_never_written(
    tmp_path, monkeypatch, counted
):
    monkeypatch.setenv(store.CACHE_ENV, "off")
    data = tmp_path / "data"
    shutil.copytree(SAMPLE / "master", data / "master")
    before = sorted(p.name for p in data.rglob("*"))
    load_folder(data)
    load_folder(data)
    assert len(counted) == 2
    assert sorted(p.name for p in data.rglob("*")) == before
    assert store.cache_root() is None


def test_a_damaged_entry_is_read_again(cache, counted, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE / "master", data / "master")
    first = load_folder(data)
    for p in cache.glob("*/*/data.parquet"):
        p.write_bytes(b"not parquet")
    counted.clear()
    again = load_folder(data)
    assert counted == ["商品资料.csv"]
    _same(first, again)


# ---- large files through DuckDB: the same table and the same quarantine as the pandas readers

STREAMED = ["amazon/Inventory_Ledger_Summary_Monthly.txt", "sales/销量日报.csv"]


@pytest.mark.parametrize("rel", STREAMED)
def test_duckdb_streaming_reads_a_file_exactly_as_the_pandas_reader(rel, tmp_path):
    from stockbook.io import stream
    from stockbook.io.readers import read_file

    path = SAMPLE / rel
    fmt = stream.streamable(path, min_bytes=0)
    assert fmt is not None
    store.stream_save(tmp_path, "k" * 64, path, fmt)
    streamed = store.load(tmp_path, "k" * 64, path)
    parsed = read_file(path)
    assert (
        json.loads((store._entry(tmp_path, "k" * 64) / "meta.json").read_text())["parse"] == "typed"
    )
    assert streamed.rows_in == parsed.rows_in
    pd.testing.assert_frame_equal(
        streamed.data.drop(columns="source_file"), parsed.data.drop(columns="source_file")
    )


def test_duckdb_streaming_quarantines_the_same_cells_with_the_same_reasons(tmp_path):
    from conftest import AMAZON_SUMMARY_HEADER, write_rows
    from stockbook.io import stream
    from stockbook.io.readers import read_file

    good = [
        "10/2026",
        "X0A",
        "B0A",
        "SKU-1",
        "Item",
        "SELLABLE",
        "10",
        "0",
        "5",
        "-3",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "12",
        "0",
        "US",
    ]
    rows = [
        good,
        [*good[:6], "abc", *good[7:]],  # starting: not a number
        [*good[:8], "2.5", *good[9:]],  # receipts: not a whole number
        [*good[:18], "", *good[19:]],  # ending: missing
        ["13/45/2026", *good[1:]],  # date: not a date
        [good[0], good[1], good[2], "", *good[4:]],  # MSKU: missing
        [*good[:9], "1,200", *good[10:]],  # thousands separator: fine
        [*good[:9], "", *good[10:]],  # blank flow: 0
        [*good[:6], "1e30", *good[7:]],  # starting: out of range
        [*good[:9], "inf", *good[10:]],
    ]  # shipments: out of range
    path = write_rows(tmp_path / "ledger.txt", AMAZON_SUMMARY_HEADER, rows)
    fmt = stream.streamable(path, min_bytes=0)
    store.stream_save(tmp_path / "cache", "q" * 64, path, fmt)
    streamed = store.load(tmp_path / "cache", "q" * 64, path)
    parsed = read_file(path)
    key = ["line", "column", "reason"]
    got = streamed.quarantine[key].sort_values(key, ignore_index=True)
    want = parsed.quarantine[key].sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(got, want)
    assert sorted(got["line"].unique().tolist()) == [3, 4, 5, 6, 7, 10, 11]
    # every row accounted for: 10 rows in, 3 kept, 7 lines quarantined
    assert (streamed.rows_in, len(streamed.data), streamed.rows_quarantined) == (10, 3, 7)
    pd.testing.assert_frame_equal(
        streamed.data.drop(columns="source_file"), parsed.data.drop(columns="source_file")
    )


# ---- the typed way through a streamed file: the same table and quarantine as the text way, or it steps aside

_DATES = {  # one shape per clean file, as the first row's date decides (``stream.typed_plan``)
    "day": ["10/05/2026", "1/5/2026", " 10/31/2026", "10/30/2026 "],
    "iso": ["2026-10-05", "2026-1-5", "2026-10-31"],
    "month": ["10/2026", "1/2026", "2/2026"],
    "year-month": ["2026-10", "2026-2", "2026-11"],
}
_CLEAN = {
    "units": ["0", "5", "-3", " 7", "7 ", "+2", "1e2", "2.0", "007", "-0", '"4"', "12"],
    "flow": ["", "0", "-1", " 3 ", "1e1"],  # a blank flow is 0
    "sku": ["SKU-1", " SKU-2", "SKU-3 ", "sku-1"],
    "disposition": ["SELLABLE", "sellable", "DEFECTIVE", "", " CUSTOMER_DAMAGED"],
    "location": ["US", "CA", ""],
}
_BAD = {
    "units": ["2.5", "1,200", "abc", "", "-0.5", "1e30", "inf", "nan"],
    "flow": ["2.5", "x", "1,000", "-inf"],
    "sku": ["", "  "],
    "date": ["13/45/2026", "2026-10-05T10:00:00", "Oct 2026", "", "10/05/2026", "2026-10"],
}


_SALES_HEADER = ["Date", "SKU", "Units Sold", "Revenue", "FBA Available"]
_MONEY = {
    "clean": ["12.5", "0", "-3.25", "17.745", " 4 ", "1e2", ""],
    "bad": ["$3.00", '"1,234.50"', "n/a", "¥12"],
}


@st.composite
def _export_rows(draw):
    """An Amazon ledger summary export or a daily sales export (comma-separated): all clean (one date
    shape), or with bad and mixed cells. Returns (clean, header, separator, rows)."""
    clean, sales = draw(st.booleans()), draw(st.booleans())
    shape = draw(
        st.sampled_from(["day", "iso"] if sales else sorted(_DATES))
    )  # sales dates are days

    def cell(kind: str, pool: list[str]) -> str:
        if not clean and kind in _BAD and draw(st.integers(0, 9)) == 0:
            return draw(st.sampled_from(_BAD[kind]))
        return draw(st.sampled_from(pool))

    rows = []
    for _ in range(draw(st.integers(1, 12))):
        if sales:
            money = _MONEY["bad" if not clean and draw(st.integers(0, 4)) == 0 else "clean"]
            rows.append(
                [
                    cell("date", _DATES[shape]),
                    cell("sku", _CLEAN["sku"]),
                    cell("units", _CLEAN["units"]),
                    draw(st.sampled_from(money)),
                    cell("flow", _CLEAN["flow"]),
                ]
            )
            continue
        flows = [
            cell("flow", _CLEAN["flow"]) for _ in range(11)
        ]  # in transit, receipts … other events
        rows.append(
            [
                cell("date", _DATES[shape]),
                "X0A",
                "B0A",
                cell("sku", _CLEAN["sku"]),
                "Item",
                draw(st.sampled_from(_CLEAN["disposition"])),
                cell("units", _CLEAN["units"]),
                *flows,
                cell("units", _CLEAN["units"]),
                draw(st.sampled_from(_CLEAN["flow"])),
                draw(st.sampled_from(_CLEAN["location"])),
            ]
        )
    return (
        (clean, _SALES_HEADER, ",", rows) if sales else (clean, AMAZON_SUMMARY_HEADER, "\t", rows)
    )


@settings(max_examples=30, deadline=None)
@given(_export_rows())
def test_the_typed_read_of_a_streamed_file_equals_the_text_read(case):
    """DuckDB's own parsing of dates and numbers is tried first; whatever it keeps must equal the
    pandas readers' answer, and a file it cannot keep whole (a fraction of a unit, a thousands
    separator, a currency sign, a second date shape, a blank required cell) must go the rows way,
    which is the pandas readers' own code in blocks. All three give one table and one quarantine.
    Every clean file goes the typed way."""
    import tempfile

    from conftest import write_rows
    from stockbook.io import stream
    from stockbook.io.readers import read_file

    clean, header, sep, rows = case
    with tempfile.TemporaryDirectory() as tmp:
        path = write_rows(Path(tmp) / "export.txt", header, rows, sep=sep)
        fmt = stream.streamable(path, min_bytes=0)
        assert fmt is not None
        got = {}
        for typed in (True, False):
            store.stream_save(Path(tmp) / "cache", str(typed) * 16, path, fmt, typed=typed)
            meta = json.loads(
                (store._entry(Path(tmp) / "cache", str(typed) * 16) / "meta.json").read_text()
            )
            got[typed] = (meta["parse"], store.load(Path(tmp) / "cache", str(typed) * 16, path))
        parsed = read_file(path)
    assert got[False][0] == "text"
    long_money = header is _SALES_HEADER and any(
        "." in r[3] and len(r[3].strip().split(".")[1]) > 2 for r in rows
    )
    if (
        clean
        and not long_money
        and not len(parsed.quarantine)
        and not any(n.startswith("outflows written") for n in parsed.notes)
    ):
        assert (
            got[True][0] == "typed"
        )  # (Amazon's outflows are negative: a positive-only one is re-signed)
    assert got[True][1].notes == got[False][1].notes == parsed.notes
    canon = list(schema.TABLES[fmt.table].names)
    for typed in (True, False):
        res = got[typed][1]
        assert (res.rows_in, len(res.data)) == (
            parsed.rows_in,
            len(parsed.data),
        ) and res.rows_in == len(rows)
        pd.testing.assert_frame_equal(
            res.data[canon].drop(columns="source_file"),
            parsed.data[canon].drop(columns="source_file"),
        )
        pd.testing.assert_frame_equal(
            res.quarantine.drop(columns="source_file"),
            parsed.quarantine.drop(columns="source_file"),
        )


def test_the_store_gives_ibis_tables_over_the_cache(cache, tmp_path):
    from stockbook import ledger
    from stockbook.engine import to_pandas

    st = store.ingest_folder(
        SAMPLE, stream_bytes=1_000_000
    )  # the 2 MB sales export streams through DuckDB
    assert set(st.files.loc[st.files["engine"] == "duckdb", "file"]) == {"sales/销量日报.csv"}
    data = load_folder(SAMPLE)
    assert (
        st.files.set_index("file")["rows_in"]
        == data.files.set_index("file").loc[st.files["file"], "rows_in"]
    ).all()
    sales = st.table("sales")
    assert sales.count().execute() == len(data["sales"])
    breaks = to_pandas(
        ledger.ledger_breaks(ledger.reconcile(st.table("ledger"))), order_by=["sku", "period"]
    )
    want = to_pandas(
        ledger.ledger_breaks(ledger.reconcile(data["ledger"])), order_by=["sku", "period"]
    )
    pd.testing.assert_frame_equal(breaks, want)


@pytest.mark.parametrize("bad", [True, False], ids=["with-bad-rows", "clean"])
def test_a_large_streamed_file_keeps_each_rows_line_though_duckdb_reads_it_in_parallel(
    bad, tmp_path
):
    """Streamed rows carry no line column: a row's line is its place in the entry's Parquet. This holds
    only if DuckDB keeps the file's order while reading it with both threads and several buffers, so
    each row here says its own line (its starting balance). With two bad rows far apart the file goes
    the text way (bad rows kept in the file, flagged); clean, it goes the typed way (no flag)."""
    import json

    import duckdb
    from conftest import AMAZON_SUMMARY_HEADER
    from stockbook.engine import connection, to_pandas
    from stockbook.io import stream

    # clean: about 45 MB, many of DuckDB's CSV buffers read by two threads; with bad rows the file goes the
    # rows way (the readers' own code, one thread, in blocks), so 300,000 rows (two blocks) are enough
    n = 300_000 if bad else 600_000
    oops = (1000, n - 7) if bad else ()
    path = tmp_path / "ledger.txt"
    cols = ", ".join(["'0'"] * 11)  # in transit … other events
    duckdb.connect().execute(f"""
        COPY (SELECT '10/2026' AS a, 'X' || i AS b, 'B' || i AS c, 'SKU-' || (i % 5000) AS d, 'Item' AS e,
                     'SELLABLE' AS f, CASE WHEN i IN {(*oops, -1)} THEN 'oops' ELSE CAST(i + 2 AS VARCHAR) END AS g,
                     {cols}, CAST(i + 2 AS VARCHAR) AS h, '0' AS u, 'US' AS l
              FROM range({n}) t(i)) TO '{path}' (DELIMITER '\t', HEADER false)""")
    body = path.read_bytes()
    path.write_bytes(("\t".join(AMAZON_SUMMARY_HEADER) + "\n").encode() + body)
    cpus = connection().raw_sql("SELECT current_setting('threads')").fetchall()[0][0]
    assert cpus >= 2 and path.stat().st_size > (20_000_000 if bad else 40_000_000)

    fmt = stream.streamable(path, min_bytes=0)
    store.stream_save(tmp_path / "cache", "p" * 64, path, fmt)
    meta = json.loads((store._entry(tmp_path / "cache", "p" * 64) / "meta.json").read_text())
    assert meta["parse"] == ("text" if bad else "typed")
    t, _ = store.lazy_table(tmp_path / "cache", "ledger", [("ledger.txt", "p" * 64)])
    wrong = t.filter((t.source_line != t.ending) | (t.source_line != t.starting)).count().execute()
    assert (t.count().execute(), wrong) == (n - len(oops), 0)
    q = store.entry_quarantine(tmp_path / "cache", "p" * 64)
    assert q["line"].tolist() == [i + 2 for i in oops]
    assert to_pandas(t.filter(t.source_line.isin([1001, 1003])), order_by="source_line")[
        "fnsku"
    ].tolist() == ["X999", "X1001"]


def test_an_unchanged_file_is_not_hashed_again_and_a_rewritten_one_is(cache, tmp_path, monkeypatch):
    """The digest is remembered against the file's size, times and inode: a rewrite with the same size
    and the old modification time set back still changes the change time, so it is hashed again."""
    import os

    hashed: list[str] = []
    real = sio.sha256_of

    def sha256_of(path):
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(sio, "sha256_of", sha256_of)
    data = tmp_path / "data"
    shutil.copytree(SAMPLE / "master", data / "master")
    first = load_folder(data)
    assert hashed == ["商品资料.csv"]
    hashed.clear()
    again = load_folder(data)
    assert hashed == [] and again.files["sha256"].tolist() == first.files["sha256"].tolist()

    f = data / "master" / "商品资料.csv"
    st = f.stat()
    text = f.read_bytes()
    f.write_bytes(text.replace(b"SB-CAR", b"SB-CAT", 1))  # same size, other bytes
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old modification time, set back
    after = load_folder(data)
    assert hashed == ["商品资料.csv"]
    assert after.files["sha256"].tolist() != first.files["sha256"].tolist()
    assert after.files["sha256"].iloc[0] == real(f)
