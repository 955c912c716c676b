"""What `make report`'s set-up costs: a fresh virtual environment with the runtime only at the locked versions
(today's `make report`), beside one with every extra and no lock (what it installed before), in one run.

    python bench/install_cost.py [--python python3.11]

Prints the wall time and the size on disk of each. Both use pip's own download cache, so the comparison is of
what is installed, not of the network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def install(python: str, venv: Path, *args: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip>=24"], check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*pip, *args], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0, _size(venv)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=sys.executable)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            (
                "before: every extra, no lock (pip install -e '.[dev,spark]')",
                *install(a.python, Path(tmp) / "before", "-e", ".[dev,spark]"),
            ),
            (
                "now: runtime only, locked (pip install -c constraints.txt -e .)",
                *install(a.python, Path(tmp) / "now", "-c", "constraints.txt", "-e", "."),
            ),
        ]
        shutil.rmtree(tmp, ignore_errors=True)
    print("| set-up | seconds | size on disk |\n|---|---|---|")
    for name, seconds, size in rows:
        print(f"| {name} | {seconds:.0f} | {size / 1e6:,.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
