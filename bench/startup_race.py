"""The report's start-up race, counted: N fresh processes each start the pack's machinery at once (the warm
kernels on two workers, nbconvert's set-up on the pages thread, papermill on the main thread), as
``stockbook report`` does before its first notebook; then M whole packs, two at a time.

    python bench/startup_race.py --starts 20 --packs 4 [--parallel 3] [--lib other/checkout/lib]

Each start is a process of its own: a module is imported once per process, so only a fresh process can meet
the race (two threads importing jupyter_client at once deadlock on its import locks, and Python hands one of
them a module half set up). Prints the failures of each kind; exits 1 if any.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

START = """
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from stockbook import report
with report.WarmKernels() as kernels, ThreadPoolExecutor(max_workers=2) as pool, \\
        ThreadPoolExecutor(max_workers=1) as pages:
    warm = [pool.submit(kernels.warm) for _ in range(2)]
    page = pages.submit(report._html_exporter)
    with getattr(report, "HEAVY_IMPORTS", nullcontext()):
        import papermill  # noqa: F401
    for f in warm:
        f.result()
    page.result()
"""


def _env(lib: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(lib)}


def start(lib: Path) -> str:
    """One start-up in a fresh process: "" when fine, else the last line of its error."""
    got = subprocess.run(
        [sys.executable, "-c", START], env=_env(lib), capture_output=True, text=True, timeout=300
    )
    return "" if got.returncode == 0 else (got.stderr.strip().splitlines() or ["?"])[-1]


def pack(lib: Path, out: Path) -> str:
    """One whole pack of the bundled sample, in a fresh process."""
    got = subprocess.run(
        [
            sys.executable,
            "-m",
            "stockbook.cli",
            "report",
            "--period",
            "2026-10",
            "--data",
            str(ROOT / "data" / "sample"),
            "--out",
            str(out),
            "--force",
        ],
        env=_env(lib),
        capture_output=True,
        text=True,
        timeout=900,
    )
    return "" if got.returncode == 0 else (got.stderr.strip().splitlines() or ["?"])[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--packs", type=int, default=4)
    ap.add_argument("--parallel", type=int, default=3, help="start-ups run side by side")
    ap.add_argument(
        "--lib", type=Path, default=ROOT / "lib", help="the stockbook to start (its lib folder)"
    )
    a = ap.parse_args()
    with ThreadPoolExecutor(max_workers=a.parallel) as side:  # side by side, as on a busy machine
        failed = [e for e in side.map(lambda _: start(a.lib), range(a.starts)) if e]
    print(f"start-ups: {a.starts - len(failed)} of {a.starts} fine")
    for e in failed:
        print("  ", e)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=2) as two:
        packs = list(two.map(lambda i: pack(a.lib, Path(tmp) / f"p{i}"), range(a.packs)))
    bad = [e for e in packs if e]
    print(f"packs, two at a time: {a.packs - len(bad)} of {a.packs} fine")
    for e in bad:
        print("  ", e)
    return 1 if failed or bad else 0


if __name__ == "__main__":
    sys.exit(main())
