"""The sample pack's time against its floor, side by side in one run (not a test: nothing here asserts a time).

* ``floor``: papermill runs of a notebook that only imports what the notebooks import (pandas, matplotlib,
  stockbook), as many runs as the pack has notebooks, on as many workers as the report uses, each in a new
  kernel: what any pack of these notebooks costs before it computes anything.
* ``pack cold``: ``stockbook report`` on the sample into a new folder with an empty ingest cache (every file
  parsed), as a new process.
* ``pack``: the same with the cache the cold run left (what a second report on the same exports costs).

Each is run ``--runs`` times, the median kept. The page weight of the pack (each page's bytes, and the
share that is the embedded DataTables bundle) is printed with it.

    python bench/pack_speed.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
RESULTS = ROOT / "bench" / "results"
IMPORTS = (
    "import matplotlib.pyplot as plt\nimport pandas as pd\n"
    "from stockbook import abc, aging, display, i18n, ledger, plots, reimburse, replenish, stock, turnover\n"
    "from stockbook.io import load_folder\nfrom stockbook.report import headline_table, write_headlines"
)
FLOOR_RUNNER = """
import sys, papermill as pm
from concurrent.futures import ThreadPoolExecutor
nb, n, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def one(i):
    pm.execute_notebook(nb, nb.replace(".ipynb", f"-{i}.out.ipynb"), parameters={"seed": i}, progress_bar=False,
                        kernel_name="python3", log_output=False, extra_arguments=["--log-level=ERROR"])
with ThreadPoolExecutor(workers) as pool:
    list(pool.map(one, range(n)))
"""


def floor_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("seed: int = 0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(IMPORTS),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "floor.ipynb"
    nbformat.write(nb, str(path))
    return path


def timed(cmd: list[str], *, env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - t


def page_weight(pack: Path) -> list[tuple[str, int, int]]:
    """Each page's bytes and how many of them are DataTables (embedded in the page, or the pack's assets/)."""
    out = []
    for asset in sorted(pack.glob("assets/*")):
        size = asset.stat().st_size
        out.append((f"assets/{asset.name}", size, size))
    for page in sorted(pack.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        start = text.find("function injectCSS")
        end = text.find("</script>", start)
        out.append(
            (
                page.name,
                len(text.encode("utf-8")),
                len(text[start:end].encode("utf-8")) if start >= 0 else 0,
            )
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--before",
        metavar="LIB",
        help="also time the pack of another checkout's lib/ folder (e.g. a "
        "git worktree of an earlier commit), run with the same interpreter, side by side",
    )
    args = ap.parse_args()
    workers = min(args.workers, 6)
    stockbook = str(Path(sys.executable).with_name("stockbook"))
    rows: dict[str, list[float]] = {"floor": [], "pack cold": [], "pack": []}
    if args.before:
        rows |= {"before: pack cold": [], "before: pack": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nb = floor_notebook(tmp)
        runner = tmp / "floor_runner.py"
        runner.write_text(FLOOR_RUNNER, encoding="utf-8")
        for i in range(args.runs):
            rows["floor"].append(timed([sys.executable, str(runner), str(nb), "6", str(workers)]))
            cache = tmp / f"cache{i}"
            report = [
                stockbook,
                "report",
                "--period",
                "2026-10",
                "--data",
                str(SAMPLE),
                "--out",
                str(tmp / f"out{i}"),
                "--force",
                "--jobs",
                str(workers),
            ]
            rows["pack cold"].append(timed(report, env={"STOCKBOOK_CACHE": str(cache)}))
            rows["pack"].append(timed(report, env={"STOCKBOOK_CACHE": str(cache)}))
            if (
                args.before
            ):  # the earlier lib first on the path, for the CLI and the kernels it starts
                old = [*report[:7], str(tmp / f"before{i}"), *report[8:]]
                env = {
                    "STOCKBOOK_CACHE": str(tmp / f"cache_before{i}"),
                    "PYTHONPATH": str(Path(args.before).resolve()),
                }
                rows["before: pack cold"].append(timed(old, env=env))
                rows["before: pack"].append(timed(old, env=env))
        weights = page_weight(tmp / "out0" / "2026-10-31")
        before_weights = page_weight(tmp / "before0" / "2026-10-31") if args.before else []
    floor = statistics.median(rows["floor"])
    lines = [
        f"# The sample pack against its floor ({args.runs} runs, median; {workers} workers, "
        f"{os.cpu_count()} cores)",
        "",
        "| run | seconds | × floor | all runs |",
        "|---|---|---|---|",
    ]
    for name, secs in rows.items():
        med = statistics.median(secs)
        lines.append(
            f"| {name} | {med:.1f} | {med / floor:.2f} | {', '.join(f'{s:.1f}' for s in secs)} |"
        )
    lines += ["", "| file | bytes | of which DataTables |", "|---|---|---|"]
    lines += [f"| {name} | {size:,} | {bundle:,} |" for name, size, bundle in weights]
    lines.append(
        f"| the pack's pages and assets | {sum(w[1] for w in weights):,} | {sum(w[2] for w in weights):,} |"
    )
    if before_weights:
        lines.append(
            f"| the same, before | {sum(w[1] for w in before_weights):,} | "
            f"{sum(w[2] for w in before_weights):,} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pack_speed.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
