"""Large tables stay in the engine: with the ledger and sales as Ibis tables over the store (as
``load_folder`` gives them above ``STOCKBOOK_LAZY_ROWS``), every pack gives the same answers, row for
row, as with the same tables in pandas; duplicates and accounting are the same; the raw rows of the
large tables are never read into pandas."""

from __future__ import annotations

import dataclasses

import ibis.expr.types as ir
import pandas as pd
import pytest
from conftest import AMAZON_SUMMARY_HEADER, SAMPLE, write_rows
from stockbook import abc, aging, ledger, replenish, schema, turnover
from stockbook.engine import to_pandas
from stockbook.io import load_folder, store

AS_OF = "2026-10-31"
EAGER, LAZY = 10**12, 0  # lazy_rows: never, always


def _packs(data) -> dict[str, object]:
    a = abc.abc_pack(data, period_end=AS_OF, currency="USD")
    return {
        "reconciliation": ledger.reconciliation_pack(data, period_end=AS_OF, currency="USD"),
        "reconciliation_fba_from_june": ledger.reconciliation_pack(
            data, period_end=AS_OF, period_start="2026-06-01", locations="fba", currency="USD"
        ),
        "abc": a,
        "turnover": turnover.turnover_pack(
            data, period_end=AS_OF, classes=a.classes, currency="USD"
        ),
        "aging": aging.aging_pack(data, as_of=AS_OF, currency="USD"),
        "replenishment": replenish.plan_replenishment(
            data, as_of=AS_OF, classes=a.classes, currency="USD"
        ),
        "backtest": replenish.backtest_data(
            data, as_of=AS_OF, classes=a.classes, replay_days=60, currency="USD"
        ),
    }


@pytest.fixture(scope="module")
def both():
    eager, lazy = load_folder(SAMPLE, lazy_rows=EAGER), load_folder(SAMPLE, lazy_rows=LAZY)
    assert isinstance(lazy["ledger"], ir.Table) and isinstance(lazy["sales"], ir.Table)
    assert isinstance(eager["ledger"], pd.DataFrame)
    return eager, lazy, _packs(eager), _packs(lazy)


def _fields(result) -> dict[str, object]:
    if isinstance(result, pd.DataFrame):
        return {"table": result}
    return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}


@pytest.mark.parametrize(
    "pack",
    [
        "reconciliation",
        "reconciliation_fba_from_june",
        "abc",
        "turnover",
        "aging",
        "replenishment",
        "backtest",
    ],
)
def test_every_pack_answers_the_same_with_the_large_tables_in_the_engine(both, pack):
    a, b = _fields(both[2][pack]), _fields(both[3][pack])
    compared = 0
    for name, value in a.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[name], obj=f"{pack}.{name}")
            compared += len(value)
        elif not callable(value) and not hasattr(value, "table"):  # scalars, labels, dates
            assert repr(value) == repr(b[name]), f"{pack}.{name}"
    assert compared > 0  # the pack produced rows to compare


def test_headlines_are_the_same(both):
    for name in ("reconciliation", "abc", "turnover", "aging", "replenishment"):
        assert both[2][name].headlines() == both[3][name].headlines(), name


def test_the_lazy_load_accounts_for_every_row_and_describes_the_same_files(both):
    eager, lazy = both[0], both[1]
    pd.testing.assert_frame_equal(eager.files, lazy.files)
    pd.testing.assert_frame_equal(eager.quarantine, lazy.quarantine)
    pd.testing.assert_frame_equal(eager.describe(), lazy.describe())
    for name in ("ledger", "sales"):
        got = to_pandas(lazy[name], order_by=["source_file", "source_line"])
        want = eager[name].sort_values(["source_file", "source_line"], ignore_index=True)
        assert (
            len(got) == len(want) and got["source_line"].tolist() == want["source_line"].tolist()
        ), name
        contract = list(
            schema.TABLES[name].names
        )  # a lazy table carries the contract's columns (no extras)
        assert list(got.columns) == contract
        pd.testing.assert_frame_equal(got, want[contract], check_dtype=False, obj=name)


def test_large_tables_are_not_read_into_pandas(monkeypatch):
    loaded: list[str] = []
    real = store.load

    def load(root, key, path):
        loaded.append(path.name)
        return real(root, key, path)

    monkeypatch.setattr(store, "load", load)
    load_folder(SAMPLE, lazy_rows=EAGER)
    assert "销量日报.csv" in loaded and "Inventory_Ledger_Summary_Monthly.txt" in loaded
    loaded.clear()
    load_folder(SAMPLE, lazy_rows=LAZY)
    assert "商品资料.csv" in loaded  # small tables are pandas
    assert not {"销量日报.csv", "Inventory_Ledger_Summary_Monthly.txt", "进销存_深圳仓.xlsx"} & set(
        loaded
    )


ROW = [
    "10/2026",
    "X00ABC1234",
    "0316769487",
    "00123",
    "Widget",
    "SELLABLE",
    10,
    0,
    2,
    -1,
    1,
    0,
    0,
    0,
    -1,
    0,
    0,
    0,
    11,
    0,
    "US",
]


def test_overlapping_downloads_are_kept_once_and_quarantined_the_same_way(tmp_path):
    other = [*ROW[:3], "00124", *ROW[4:]]
    write_rows(tmp_path / "a.txt", AMAZON_SUMMARY_HEADER, [ROW, other])
    write_rows(
        tmp_path / "b.txt", AMAZON_SUMMARY_HEADER, [other, ROW, ROW]
    )  # overlaps a.txt, and repeats
    eager, lazy = load_folder(tmp_path, lazy_rows=EAGER), load_folder(tmp_path, lazy_rows=LAZY)
    assert isinstance(lazy["ledger"], ir.Table)
    q = lazy.quarantine
    assert q["reason"].tolist() == [
        "duplicate of a.txt line 3 (overlapping download)",
        "duplicate of a.txt line 2 (overlapping download)",
        "duplicate of a.txt line 2 (overlapping download)",
    ]
    assert q["line"].tolist() == [2, 3, 4] and (q["source_file"] == "b.txt").all()
    pd.testing.assert_frame_equal(eager.quarantine, lazy.quarantine)
    pd.testing.assert_frame_equal(eager.files, lazy.files)
    got = to_pandas(lazy["ledger"], order_by=["source_file", "source_line"])
    assert got["sku"].tolist() == ["00123", "00124"] and got["source_file"].tolist() == [
        "a.txt",
        "a.txt",
    ]
    acc = lazy.accounting()
    assert acc["balanced"].all() and acc["rows_in"].sum() == 5 and acc["rows_kept"].sum() == 2
    # the ingest store gives the same table and the same quarantine
    st = store.ingest_folder(tmp_path)
    assert st.table("ledger").count().execute() == 2
    pd.testing.assert_frame_equal(st.quarantine(), lazy.quarantine)
    # the second load reads the remembered answer and gives the same
    again = load_folder(tmp_path, lazy_rows=LAZY)
    pd.testing.assert_frame_equal(again.quarantine, lazy.quarantine)
    assert to_pandas(again["ledger"]).shape == (2, got.shape[1])


def test_a_damaged_entry_of_a_large_table_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv(store.CACHE_ENV, str(tmp_path / "cache"))
    first = load_folder(SAMPLE, lazy_rows=LAZY)
    rows = to_pandas(first["ledger"], order_by=["source_file", "source_line"])
    for data in (tmp_path / "cache").glob("*/*/data.parquet"):
        if "Inventory_Ledger_Summary" in (data.parent / "meta.json").read_text(encoding="utf-8"):
            data.unlink()  # the ledger's entry loses its rows
    again = load_folder(SAMPLE, lazy_rows=LAZY)
    pd.testing.assert_frame_equal(again.files, first.files)
    pd.testing.assert_frame_equal(
        to_pandas(again["ledger"], order_by=["source_file", "source_line"]), rows
    )
