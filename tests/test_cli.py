"""The command line: help with defaults, validate on the sample and on the bad-input corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE
from stockbook.cli import main

BAD = Path(__file__).parent / "data" / "bad"


@pytest.mark.parametrize(
    "cmd", [["--help"], ["report", "--help"], ["sample", "--help"], ["validate", "--help"]]
)
def test_help_lists_every_option_with_its_default(cmd, capsys):
    with pytest.raises(SystemExit) as e:
        main(cmd)
    assert e.value.code == 0
    text = capsys.readouterr().out
    if cmd == ["--help"]:
        assert all(s in text for s in ("report", "sample", "validate", "Exit codes"))
    elif cmd[0] == "report":
        for opt in (
            "--period",
            "--data",
            "--out",
            "--param",
            "--rerun",
            "--force",
            "--jobs",
            "--only",
        ):
            assert opt in text
        assert (
            "(default: data/sample)" in text
            and "(default: reports)" in text
            and "(default: 0)" in text
        )
    elif cmd[0] == "sample":
        assert "(default: 7)" in text


def test_validate_the_sample(capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Recognised (24 files)" in out and "Quarantined rows: 0" in out
    line = next(x for x in out.splitlines() if "Inventory_Ledger_Summary_Monthly.txt" in x)
    assert (
        "amazon_ledger_summary" in line
        and "2025-08-01" in line
        and "2026-10-31" in line
        and "151" in line
    )
    assert "README.md" in out and "not a data file" in out


def test_validate_the_bad_corpus_names_what_failed_and_why(capsys):
    assert main(["validate", str(BAD)]) == 2  # some files cannot be read at all
    out = capsys.readouterr().out
    unused = out.split("Not used")[1].split("Quarantined rows")[0]
    assert "binary_garbage.txt" in unused and "cannot decode" in unused and "notes.pdf" in unused
    assert "a count cannot be negative" in out and "overlapping download" in out


def test_validate_lists_the_formats(capsys):
    assert main(["validate", "--formats"]) == 0
    out = capsys.readouterr().out
    assert (
        "amazon_fba_inventory" in out
        and "Recommended replenishment qty" in out
        and "sales_daily" in out
    )


def test_validate_formats_shows_each_formats_own_headers(capsys):
    assert main(["validate", "--formats"]) == 0
    out = capsys.readouterr().out
    block = out.split("warehouse_ledger:")[1].split("\n\n")[0].split("sku_master:")[0]
    assert (
        "Starting Warehouse Balance" not in block
    )  # a seller's format needs its own headers, not Amazon's
    assert (
        "期初库存" in block
        and "规格编码" in block
        and "期末库存" in block
        and "FBA出库" not in block.split("flows")[0]
    )
    assert "erp_fba_ledger" in out and "货件收货" in out


def test_validate_a_folder_of_chinese_erp_exports(tmp_path, capsys):
    import shutil

    for name in (
        "jxc_2022.04进销存报表.csv",
        "warehouse_lingxing_local_2026-10.csv",
        "fba_stock_report_cn.csv",
        "master_without_cost.csv",
        "jxc_without_month.csv",
    ):
        shutil.copy(BAD / name, tmp_path / name)
    assert main(["validate", str(tmp_path)]) == 2  # one file cannot be used: said, the others read
    out = capsys.readouterr().out
    assert "Recognised (4 files)" in out and "month 2022-04 taken from the file name" in out
    assert "no month in the file name" in out.split("Not used")[1]


def _usage(argv, capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_report_refuses_a_misspelt_parameter_and_a_period_that_is_not_a_month(tmp_path, capsys):
    code, err = _usage(
        [
            "report",
            "--period",
            "2026-10",
            "--data",
            str(SAMPLE),
            "--out",
            str(tmp_path),
            "-p",
            "tolerence_units=2",
        ],
        capsys,
    )
    assert code == 2 and "unknown parameter 'tolerence_units'" in err and "tolerance_units" in err
    code, err = _usage(
        ["report", "--period", "2026-1", "--data", str(SAMPLE), "--out", str(tmp_path)], capsys
    )
    assert code == 2 and "YYYY-MM" in err
    assert not any(tmp_path.iterdir())  # nothing written


def test_report_exits_2_and_names_every_refused_file_when_no_input_is_usable(tmp_path, capsys):
    import json
    import shutil

    data = tmp_path / "data"
    data.mkdir()
    for name in ("binary_garbage.txt", "unknown_headers.csv", "empty.csv"):
        shutil.copy(BAD / name, data / name)
    code = main(
        ["report", "--period", "2026-10", "--data", str(data), "--out", str(tmp_path / "out")]
    )
    captured = capsys.readouterr()
    assert code == 2 and "no input" in captured.err
    for name in ("binary_garbage.txt", "unknown_headers.csv", "empty.csv"):
        assert f"refused {name}" in captured.out
    run = json.loads((tmp_path / "out" / "2026-10-31" / "run.json").read_text(encoding="utf-8"))
    assert run["usable_inputs"] == 0 and all(
        f["status"] == "error" and f["note"] for f in run["inputs"]
    )
    index = (tmp_path / "out" / "2026-10-31" / "index.html").read_text(encoding="utf-8")
    assert "No input could be used" in index and "Nothing urgent" not in index
    assert "cannot decode byte" in index and "unknown file format" in index


def test_a_second_report_into_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    import os

    from stockbook import report
    from stockbook.errors import StockbookError

    final = tmp_path / "2026-10-31"
    with report._lock(final):
        assert (tmp_path / ".2026-10-31.lock").read_text() == str(os.getpid())
        with pytest.raises(StockbookError, match="another stockbook report"), report._lock(final):
            pass
    assert not (tmp_path / ".2026-10-31.lock").exists()
    (tmp_path / ".2026-10-31.lock").write_text("999999999")  # left by a process that is gone
    with report._lock(final):
        pass


def test_a_full_disk_is_a_message_not_a_traceback(tmp_path, capsys, monkeypatch):
    import errno

    from stockbook import report

    def full(**_):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    monkeypatch.setattr(report, "build_report", full)
    code, err = _usage(
        ["report", "--period", "2026-10", "--data", str(SAMPLE), "--out", str(tmp_path / "out")],
        capsys,
    )
    assert code == 2 and "No space left on device" in err and "Traceback" not in err


def test_a_cache_that_cannot_be_written_still_reads_the_folder(tmp_path, monkeypatch):
    import errno

    from stockbook.io import load_folder, store

    def full(*_, **__):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "fill", full)
    data = load_folder(SAMPLE / "master")
    assert data.files["status"].tolist() == ["read"] and len(data["products"]) > 100
