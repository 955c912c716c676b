"""The bad-input corpus (tests/data/bad/): every file ends in a clear error, a quarantine with its reason,
a clean read or is ignored — as `expected.csv` says — and every row read is accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from stockbook.errors import InputError
from stockbook.io import load_folder, read_file

BAD = Path(__file__).parent / "data" / "bad"
EXPECTED = pd.read_csv(BAD / "expected.csv", dtype={"detail": str}, keep_default_na=False)


def test_the_corpus_is_complete():
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("expected.csv", "make_corpus.py", "__pycache__")}
    assert on_disk == set(EXPECTED["file"])
    assert len(EXPECTED) >= 40 and EXPECTED["outcome"].value_counts().to_dict().keys() >= {
        "error", "quarantine", "ok", "ignored", "deduplicated"}


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
            assert data.quarantine["line"].notna().all() and (data.quarantine["source_file"] != "").all()
    # input files are never modified
    assert before == {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_identifiers_and_numbers_survive_the_awkward_files():
    assert read_file(BAD / "master_leading_zeros.csv").data["sku"].tolist() == ["00123"]
    m = read_file(BAD / "master_currency_and_thousands.csv").data
    assert (m["unit_cost"].iloc[0], m["price"].iloc[0]) == (1234.5, 29.99)
    s = read_file(BAD / "summary_thousands_separators.csv").data
    assert (s["starting"].iloc[0], s["ending"].iloc[0]) == (1010, 1011)
    d = read_file(BAD / "detail_iso_timezone.txt").data
    assert d["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-05", "2026-10-06"]  # the calendar day written
    w = read_file(BAD / "warehouse_excel_serial_dates.csv").data
    assert str(w["period_start"].iloc[0].date()) == "2026-10-31"
    assert read_file(BAD / "summary_delimiter_in_quoted_title.csv").data["title"].tolist() == ["Widget, large"]
