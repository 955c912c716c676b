"""Time the pieces of the sample report and print the figures (not a test)."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from stockbook import abc, aging, ledger, replenish, turnover
from stockbook.io import load_folder
from stockbook.report import build_report

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sample = ROOT / "data" / "sample"
    t = time.perf_counter()
    data = load_folder(sample)
    t_load = time.perf_counter() - t
    steps: list[tuple[str, float]] = []
    for name, run in (
        (
            "reconciliation pack",
            lambda: ledger.reconciliation_pack(data, period_end="2026-10-31", currency="USD"),
        ),
        ("ABC / XYZ pack", lambda: abc.abc_pack(data, period_end="2026-10-31", currency="USD")),
        (
            "turnover pack",
            lambda: turnover.turnover_pack(data, period_end="2026-10-31", currency="USD"),
        ),
        ("aging pack", lambda: aging.aging_pack(data, as_of="2026-10-31", currency="USD")),
        (
            "replenishment plan",
            lambda: replenish.plan_replenishment(data, as_of="2026-10-31", currency="USD"),
        ),
        (
            "backtest (sample, 184 days)",
            lambda: replenish.backtest_data(
                data,
                as_of="2026-10-31",
                classes=abc.abc_pack(data, period_end="2026-10-31", currency="USD").classes,
                currency="USD",
            ),
        ),
    ):
        t = time.perf_counter()
        run()
        steps.append((name, time.perf_counter() - t))
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        build_report(data_dir=sample, period="2026-10", out=out, log=lambda *_: None)
        t_rep = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = int(data.files["rows_in"].sum())
    print(f"{'step':<28}{'seconds':>10}")
    print(f"{'read sample (' + str(rows) + ' rows)':<28}{t_load:>10.2f}")
    for name, secs in steps:
        print(f"{name:<28}{secs:>10.2f}")
    print(f"{'full report (papermill)':<28}{t_rep:>10.2f}")
    print(f"peak RSS of this process: {rss:.0f} MB (the notebook kernel runs in its own process)")


if __name__ == "__main__":
    main()
