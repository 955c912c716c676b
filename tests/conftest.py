"""Shared fixtures: paths, the bundled sample and its answer key, small file writers."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

# the tests (and the notebook kernels they start) use their own ingest cache, never the user's
os.environ["STOCKBOOK_CACHE"] = tempfile.mkdtemp(prefix="stockbook-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

AMAZON_SUMMARY_HEADER = [
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Disposition",
    "Starting Warehouse Balance",
    "In Transit Between Warehouses",
    "Receipts",
    "Customer Shipments",
    "Customer Returns",
    "Vendor Returns",
    "Warehouse Transfer In/Out",
    "Found",
    "Lost",
    "Damaged",
    "Disposed",
    "Other Events",
    "Ending Warehouse Balance",
    "Unknown Events",
    "Location",
]


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads((SAMPLE / "answer_key.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    """The sample's report pack, built once per test session (tests that re-run it keep it identical)."""
    from stockbook.cli import main

    out = tmp_path_factory.mktemp("reports")
    assert main(["report", "--period", "2026-10", "--data", str(SAMPLE), "--out", str(out)]) == 0
    return out / "2026-10-31"


@pytest.fixture(scope="session")
def report_zh(tmp_path_factory):
    """Two notebooks of the sample's pack in Chinese (--lang zh), built once per test session."""
    from stockbook.cli import main

    out = tmp_path_factory.mktemp("reports_zh")
    assert (
        main(
            [
                "report",
                "--period",
                "2026-10",
                "--data",
                str(SAMPLE),
                "--out",
                str(out),
                "--lang",
                "zh",
                "--only",
                "03,04",
            ]
        )
        == 0
    )
    return out / "2026-10-31"


@pytest.fixture(scope="session")
def sample_data():
    from stockbook.io import load_folder

    return load_folder(SAMPLE)


def write_rows(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    *,
    sep: str = "\t",
    encoding: str = "utf-8",
) -> Path:
    text = "\n".join(sep.join(str(v) for v in r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


class Folder:
    """A data folder of canonical tables, as ``load_folder`` gives them (for tests on hand-made frames)."""

    def __init__(self, **tables):
        from stockbook import schema

        self.tables = {k: schema.conform(v, schema.TABLES[k]) for k, v in tables.items()}

    def has(self, t: str) -> bool:
        t, _, cls = t.partition(":")
        rows = self.tables.get(t)
        if rows is not None and cls:
            rows = rows.loc[rows["location_class"] == cls]
        return rows is not None and len(rows) > 0

    def __getitem__(self, t: str):
        from stockbook import schema

        return self.tables[t] if t in self.tables else schema.TABLES[t].empty()
