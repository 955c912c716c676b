"""The command line: help with defaults, validate on the sample and on the bad-input corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE
from stockbook.cli import main

BAD = Path(__file__).parent / "data" / "bad"


@pytest.mark.parametrize("cmd", [["--help"], ["report", "--help"], ["sample", "--help"], ["validate", "--help"]])
def test_help_lists_every_option_with_its_default(cmd, capsys):
    with pytest.raises(SystemExit) as e:
        main(cmd)
    assert e.value.code == 0
    text = capsys.readouterr().out
    if cmd == ["--help"]:
        assert all(s in text for s in ("report", "sample", "validate", "Exit codes"))
    elif cmd[0] == "report":
        for opt in ("--period", "--data", "--out", "--param", "--rerun", "--force", "--jobs", "--only"):
            assert opt in text
        assert "(default: data/sample)" in text and "(default: reports)" in text and "(default: 0)" in text
    elif cmd[0] == "sample":
        assert "(default: 7)" in text


def test_validate_the_sample(capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Recognised (12 files)" in out and "Quarantined rows: 0" in out
    line = next(x for x in out.splitlines() if "Inventory_Ledger_Summary_Monthly.txt" in x)
    assert "amazon_ledger_summary" in line and "2025-08-01" in line and "2026-10-31" in line and "151" in line
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
    assert "amazon_fba_inventory" in out and "Recommended replenishment qty" in out and "sales_daily" in out
