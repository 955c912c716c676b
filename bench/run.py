"""Time the pieces of the sample report and print the figures (not a test)."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from stockbook import ledger
from stockbook.io import load_folder
from stockbook.report import build_report

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sample = ROOT / "data" / "sample"
    t = time.perf_counter()
    data = load_folder(sample)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    ledger.reconciliation_pack(data, period_end="2026-10-31")
    t_rec = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        build_report(data_dir=sample, period="2026-10", out=out, log=lambda *_: None)
        t_rep = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = int(data.files["rows_in"].sum())
    print(f"{'step':<28}{'seconds':>10}")
    print(f"{'read sample (' + str(rows) + ' rows)':<28}{t_load:>10.2f}")
    print(f"{'reconciliation pack':<28}{t_rec:>10.2f}")
    print(f"{'full report (papermill)':<28}{t_rep:>10.2f}")
    print(f"peak RSS of this process: {rss:.0f} MB (the notebook kernel runs in its own process)")


if __name__ == "__main__":
    main()
