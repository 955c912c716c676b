"""The bad-input corpus (tests/data/bad/): every file ends in a clear error, a quarantine with its reason,
a clean read or is ignored — as `expected.csv` says — and every row read is accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from stockbook import schema
from stockbook.errors import InputError
from stockbook.io import load_folder, read_file, store

BAD = Path(__file__).parent / "data" / "bad"
EXPECTED = pd.read_csv(BAD / "expected.csv", dtype={"detail": str}, keep_default_na=False)


def test_the_corpus_is_complete():
    on_disk = {
        p.name
        for p in BAD.iterdir()
        if p.name not in ("expected.csv", "make_corpus.py", "__pycache__")
    }
    assert on_disk == set(EXPECTED["file"])
    assert len(EXPECTED) >= 40 and EXPECTED["outcome"].value_counts().to_dict().keys() >= {
        "error",
        "quarantine",
        "ok",
        "ignored",
        "deduplicated",
    }


@pytest.mark.parametrize("case", EXPECTED.to_dict(orient="records"), ids=list(EXPECTED["file"]))
def test_each_bad_input_has_its_expected_outcome(case, tmp_path):
    src = BAD / case["file"]
    folder = tmp_path / "in"
    if src.is_dir():
        shutil.copytree(src, folder)
    else:
        folder.mkdir()
        shutil.copy(src, folder / src.name)
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    data = load_folder(folder)
    files = data.files
    if case["outcome"] == "error":
        assert len(data.errors) == 1 and files["status"].tolist() == ["error"]
        err = data.errors[0]
        assert isinstance(err, InputError) and Path(err.path).name == src.name
        assert case["detail"].strip("'") in str(err) and "line" in str(err)
        with pytest.raises(InputError):  # the same through the single-file reader
            read_file(folder / src.name)
    elif case["outcome"] == "ignored":
        assert files["status"].tolist() == ["ignored"] and case["detail"] in files["note"].iloc[0]
    else:
        assert not data.errors and (files["status"] == "read").all()
        acc = data.accounting()
        assert acc["balanced"].all()  # rows in = kept + quarantined, per file
        assert int(acc["rows_kept"].sum()) == int(case["rows_kept"])
        assert int(acc["rows_quarantined"].sum()) == int(case["rows_quarantined"])
        assert len(data.quarantine) == int(case["rows_quarantined"])
        assert sum(len(t) for t in data.tables.values()) == int(case["rows_kept"])
        if case["detail"]:
            assert data.quarantine["reason"].str.contains(case["detail"], regex=False).all()
            assert (
                data.quarantine["line"].notna().all()
                and (data.quarantine["source_file"] != "").all()
            )
    # input files are never modified
    assert before == {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_identifiers_and_numbers_survive_the_awkward_files():
    assert read_file(BAD / "master_leading_zeros.csv").data["sku"].tolist() == ["00123"]
    m = read_file(BAD / "master_currency_and_thousands.csv").data
    assert (m["unit_cost"].iloc[0], m["price"].iloc[0]) == (1234.5, 29.99)
    s = read_file(BAD / "summary_thousands_separators.csv").data
    assert (s["starting"].iloc[0], s["ending"].iloc[0]) == (1010, 1011)
    d = read_file(BAD / "detail_iso_timezone.txt").data
    assert d["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-10-05",
        "2026-10-06",
    ]  # the calendar day written
    w = read_file(BAD / "warehouse_excel_serial_dates.csv").data
    assert str(w["period_start"].iloc[0].date()) == "2026-10-31"
    assert read_file(BAD / "summary_delimiter_in_quoted_title.csv").data["title"].tolist() == [
        "Widget, large"
    ]


# ---- the values read from files written by other people's tools, checked one by one


def _one(name: str):
    return read_file(BAD / name)


def test_foreign_encodings_and_invisible_characters_read_the_right_text():
    r = _one("summary_cp1252_title.csv")
    assert r.encoding == "cp1252" and r.data["title"].tolist() == ["Crème brûlée torch"]
    assert any("Windows-1252" in n for n in r.notes)  # said, not silent
    assert _one("warehouse_utf16_no_bom.txt").data["sku"].tolist() == ["A"]
    m = _one("master_zero_width_in_ids.csv").data
    assert (m["sku"].iloc[0], m["asin"].iloc[0], m["fnsku"].iloc[0]) == ("A", "B0A", "X0A")
    assert _one("summary_nul_in_sku.txt").data["sku"].tolist() == ["00123"]
    assert _one("summary_header_invisible_char.txt").data["ending"].tolist() == [11]


def test_numbers_written_with_a_decimal_comma_keep_their_value():
    m = _one("master_decimal_comma_volume.csv").data
    assert (m["cubic_feet"].iloc[0], m["weight_lb"].iloc[0]) == (0.527, 1.1)  # not 527 and 11
    e = _one("master_european_money.csv").data
    assert (e["unit_cost"].iloc[0], e["price"].iloc[0], e["cubic_feet"].iloc[0]) == (
        1234.56,
        29.99,
        0.2,
    )
    assert _one("master_weight_in_grams.csv").data["weight_lb"].tolist() == [
        round(454 / 453.59237, 4)
    ]


def test_dates_two_digit_years_and_day_first_marketplaces():
    assert str(_one("sales_two_digit_year.csv").data["date"].iloc[0].date()) == "2026-10-02"
    r = _one("restock_uk_day_first.csv")
    assert (
        str(r.data["recommended_ship_date"].iloc[0].date()) == "2026-07-04"
    )  # 04/07 in the UK is 4 July
    assert any("marketplace" in n for n in r.notes)
    assert str(_one("summary_uk_day_first.txt").data["period_start"].iloc[0].date()) == "2026-07-04"
    o = _one("orders_qty_amount_mm_dd_yy.csv").data
    assert o["order_id"].tolist() == ["405-1"] and str(o["date"].iloc[0].date()) == "2022-04-30"


def test_rows_a_quote_or_a_blank_line_would_shift_keep_their_own_lines():
    r = _one("summary_unclosed_quote.csv")
    assert r.data["sku"].tolist() == [f"S{i}" for i in range(10) if i != 2]  # nothing swallowed
    assert r.data["source_line"].tolist() == [i + 2 for i in range(10) if i != 2]
    assert r.quarantine["line"].tolist() == [4]
    b = _one("summary_blank_lines.txt")
    assert b.data["source_line"].tolist() == [3] and b.quarantine["line"].tolist() == [6]


def test_seller_ledgers_signed_by_column_and_every_erp_flow_read():
    neg = _one("warehouse_outflows_already_negative.csv").data.iloc[0]
    assert (neg["outbound"], neg["damaged"]) == (-3, -1)  # written negative: not flipped to +3
    for name in (
        "warehouse_outflows_already_negative.csv",
        "warehouse_lingxing_local_2026-10.csv",
        "jxc_2022.04进销存报表.csv",
        "jxc_cost_settlement.csv",
        "fba_stock_report_cn.csv",
        "amazon_ledger_chinese_titles.csv",
    ):
        d = _one(name).data
        flows = d[[c for c in schema.FLOWS if c in d]].sum(axis=1)
        assert (d["starting"] + flows == d["ending"]).all(), (
            name
        )  # the identity holds: no flow left out
    ling = _one("warehouse_lingxing_local_2026-10.csv")
    assert (
        ling.data["disposition"].tolist() == ["SELLABLE"]
        and "期末在途（数量）" in ling.data.columns
    )
    j = _one("jxc_2022.04进销存报表.csv")
    assert str(j.data["period_start"].iloc[0].date()) == "2022-04-01" and any(
        "file name" in n for n in j.notes
    )
    v = _one("jxc_2026-10_variants_share_a_product_code.csv").data
    assert v["sku"].tolist() == ["0007.1", "0007.2", "0007.3"]  # the variant code is the SKU
    f = _one("fba_stock_report_cn.csv").data
    assert (
        f["location_class"].iloc[0],
        f["sku"].iloc[0],
        f["in_transit_between_warehouses"].iloc[0],
    ) == ("fba", "MSKU-A", 3)
    a = _one("amazon_ledger_chinese_titles.csv")
    assert a.format.name == "amazon_ledger_summary" and a.data["customer_shipments"].tolist() == [
        -1
    ]


def test_two_downloads_that_disagree_are_both_set_aside_naming_each_other(tmp_path):
    shutil.copytree(BAD / "conflicting_downloads", tmp_path / "in")
    data = load_folder(tmp_path / "in", use_cache=False)
    q = data.quarantine
    clash = q.loc[q["reason"].str.startswith("conflicts with")]
    assert sorted(clash["source_file"]) == ["summary_2026-10.txt", "summary_2026-10_again.txt"]
    assert clash["reason"].str.contains("ending 11 here, 12 there|ending 12 here, 11 there").all()
    assert data["ledger"]["sku"].tolist() == ["SKU-2"]  # the row both agree on, once


def test_variant_rows_that_share_a_product_code_are_not_duplicates(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(BAD / "jxc_2026-10_variants_share_a_product_code.csv", tmp_path / "in")
    data = load_folder(tmp_path / "in", use_cache=False)
    assert len(data["ledger"]) == 3 and not len(data.quarantine)


def test_an_unreadable_file_is_an_input_error_not_a_traceback(tmp_path, monkeypatch):
    """A file the user may not read (tests run as root, who may read anything: the refusal is simulated
    where the reader opens the file)."""
    p = tmp_path / "in" / "ledger.txt"
    p.parent.mkdir()
    shutil.copy(BAD / "summary_crlf.csv", p)
    real = Path.read_bytes

    def refuse(self):
        if self.name == "ledger.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    data = load_folder(p.parent, use_cache=False)
    assert (
        data.files["status"].tolist() == ["error"]
        and "permission denied" in data.files["note"].iloc[0]
    )


# ---- one reader contract: a file read whole (pandas) and read as a stream (blocks, or DuckDB) agree


def _text_cases() -> list[str]:
    out = []
    for p in sorted(BAD.rglob("*")):
        if p.is_file() and p.suffix in (".csv", ".txt") and p.name != "expected.csv":
            try:
                p.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append(str(p.relative_to(BAD)))
    return out


@pytest.mark.parametrize("name", _text_cases())
def test_the_stream_readers_give_the_whole_file_readers_table_and_quarantine(name, tmp_path):
    """Every UTF-8 file of the corpus through the rows way (the readers' code over streamed blocks) and,
    for the large-file formats, DuckDB's typed way: the same table, quarantine, row count and notes as
    ``read_file``, or the same error."""
    from stockbook.io import stream

    path = BAD / name
    try:
        whole = read_file(path)
    except InputError as exc:
        (tmp_path / "x").mkdir()
        with pytest.raises(InputError) as got:
            stream.rows_to_parquet(path, tmp_path / "x")
        assert got.value.message == exc.message
        return
    ways = [False] + ([True] if whole.format in stream.STREAMABLE else [])
    canon = [c for c in schema.TABLES[whole.table].names if c != "source_file"]
    for typed in ways:
        key = ("t" if typed else "r") * 64
        store.stream_save(tmp_path / "cache", key, path, whole.format, typed=typed)
        got = store.load(tmp_path / "cache", key, path)
        assert (got.rows_in, len(got.data), got.rows_quarantined) == (
            whole.rows_in,
            len(whole.data),
            whole.rows_quarantined,
        ), typed
        pd.testing.assert_frame_equal(got.data[canon], whole.data[canon])
        pd.testing.assert_frame_equal(
            got.quarantine.drop(columns="source_file"), whole.quarantine.drop(columns="source_file")
        )
        assert got.notes == whole.notes
