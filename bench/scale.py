"""Scale benchmark: 1M / 10M / 50M ledger rows — DuckDB scan floor, stockbook's ingest and analyses, pandas.

    python bench/scale.py                      # 1M,10M,50M, 3 runs each (1 at 50M for the pandas baseline)
    python bench/scale.py --rows 1M --runs 1   # a quick look

For each size it generates (vectorised in DuckDB, not timed) a daily Amazon
Inventory Ledger (summary view, Amazon's headers, 2 countries × 730 days × N/1460
SKUs, chains that balance except ~0.1 % planted breaks), a daily sales export
(one row per SKU and day) and a SKU master. Then it runs each phase in its own
process and records wall time and the peak RSS of that whole process
(``os.wait4``), several runs, medians:

* ``floor_csv``      DuckDB reading every column of every input CSV, as text (the floor)
* ``ingest``         stockbook's ingest into a fresh store (``store.ingest_folder``)
* ``floor_parquet``  DuckDB reading every column of the ingested Parquet (the columnar floor)
* ``analyses``       reconciliation, ABC/XYZ, turnover, aging (FIFO), replenishment on the store
* ``pandas``         the same analyses hand-written in pandas from the CSV (``bench/pandas_baseline.py``)
* ``report``         the full ``stockbook report`` pack (5 notebooks, two kernels at a time; the large
                     tables stay in DuckDB, see ``load_folder``'s ``lazy_rows``)

Peak RSS is the largest single process (the phase, or any kernel it started); ``tree_rss_mb``
is the peak of the whole process tree summed (sampled every 0.2 s), which counts the two
kernels the report runs side by side.

It prints one table (seconds, peak RSS, ratios to the floors and to pandas) and
writes ``bench/results/scale.csv`` and ``scale.md``. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DAYS = 730
START = "2024-11-01"
AS_OF = "2026-10-30"
PHASES = ("floor_csv", "ingest", "floor_parquet", "analyses", "pandas", "report")
LEDGER_HEADER = [
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


def parse_rows(text: str) -> int:
    """``1M`` → 1_000_000, ``500k`` → 500_000."""
    t = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1], 1)
    return int(float(t.rstrip("km")) * mult)


def generate(rows: int, folder: Path) -> dict[str, int]:
    """Write the inputs for ``rows`` ledger rows into ``folder`` with DuckDB (vectorised, spills to disk)."""
    import duckdb

    skus = max(rows // (2 * DAYS), 1)
    for sub in ("amazon", "sales", "master"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": "4GB", "temp_directory": str(folder / ".spill")})
    con.execute(f"""
        CREATE TEMP TABLE daily AS
        SELECT s.i AS sku_i, d.i AS day_i, l.loc,
               DATE '{START}' + CAST(d.i AS INTEGER) AS day,
               CASE WHEN (d.i + s.i) % 30 = 0 THEN CAST(50 + hash(s.i, d.i, l.loc) % 200 AS BIGINT) ELSE 0 END
                   AS receipts,
               -CAST(hash(s.i * 7, d.i, l.loc) % (2 + s.i % 9) AS BIGINT) AS shipments,
               CASE WHEN hash(s.i, d.i, l.loc, 3) % 50 = 0 THEN 1 ELSE 0 END AS returns
        FROM range({skus}) s(i), range({DAYS}) d(i), (VALUES ('US'), ('CA')) l(loc)""")
    # balances: starting = 100 + everything before; ending = starting + today's flows; planted breaks
    con.execute(f"""
        COPY (
          SELECT strftime(day, '%m/%d/%Y') AS "Date", 'X' || lpad(CAST(sku_i AS VARCHAR), 9, '0') AS "FNSKU",
                 'B' || lpad(CAST(sku_i AS VARCHAR), 9, '0') AS "ASIN", 'SKU-' || lpad(CAST(sku_i AS VARCHAR), 6, '0')
                 AS "MSKU", 'Item ' || sku_i AS "Title", 'SELLABLE' AS "Disposition",
                 starting AS "Starting Warehouse Balance", 0 AS "In Transit Between Warehouses",
                 receipts AS "Receipts", shipments AS "Customer Shipments", returns AS "Customer Returns",
                 0 AS "Vendor Returns", 0 AS "Warehouse Transfer In/Out", 0 AS "Found", 0 AS "Lost",
                 0 AS "Damaged", 0 AS "Disposed", 0 AS "Other Events",
                 starting + receipts + shipments + returns
                   - CASE WHEN hash(sku_i, day_i, loc, 9) % 1000 = 0 THEN 1 ELSE 0 END AS "Ending Warehouse Balance",
                 0 AS "Unknown Events", loc AS "Location"
          FROM (SELECT *, 100 + coalesce(sum(receipts + shipments + returns) OVER (
                    PARTITION BY sku_i, loc ORDER BY day_i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                    AS starting FROM daily)
          ORDER BY day_i, sku_i, loc
        ) TO '{folder / "amazon" / "Inventory_Ledger_Daily.txt"}' (HEADER, DELIMITER '\t')""")
    con.execute(f"""
        COPY (
          SELECT strftime(day, '%Y-%m-%d') AS "Date", 'SKU-' || lpad(CAST(sku_i AS VARCHAR), 6, '0') AS "SKU",
                 -sum(shipments) AS "Units Sold", round(-sum(shipments) * (10 + sku_i % 40), 2) AS "Revenue",
                 100 AS "FBA Available"
          FROM daily GROUP BY sku_i, day_i, day ORDER BY day_i, sku_i
        ) TO '{folder / "sales" / "sales_daily.csv"}' (HEADER)""")
    con.execute(f"""
        COPY (
          SELECT 'SKU-' || lpad(CAST(i AS VARCHAR), 6, '0') AS "SKU", 'B' || lpad(CAST(i AS VARCHAR), 9, '0') AS "ASIN",
                 'X' || lpad(CAST(i AS VARCHAR), 9, '0') AS "FNSKU", 'Item ' || i AS "Title",
                 round(3 + i % 17 * 0.7, 2) AS "Unit Cost", 10 + i % 40 AS "Price", 'USD' AS "Currency",
                 'standard' AS "Size Tier", round(0.05 + (i % 10) * 0.03, 3) AS "Cubic Feet",
                 round(0.3 + (i % 8) * 0.2, 2) AS "Weight (lb)", 20 AS "Case Pack"
          FROM range({skus}) t(i)
        ) TO '{folder / "master" / "sku_master.csv"}' (HEADER)""")
    n = con.execute(
        f"SELECT count(*) FROM read_csv('{folder / 'amazon' / 'Inventory_Ledger_Daily.txt'}')"
    ).fetchone()
    con.close()
    shutil.rmtree(folder / ".spill", ignore_errors=True)
    return {"skus": skus, "ledger_rows": int(n[0])}


def _inputs(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.rglob("*")) if p.suffix in (".txt", ".csv")]


def current_entries(folder: Path, cache: Path) -> list[str]:
    """The Parquet files of the store's current entries for ``folder`` (a cache may also hold older ones,
    from before an input or the readers changed); found from the remembered digests, no input is read."""
    from stockbook.io import store

    keys = store.ingest_folder(folder, root=cache, stream_bytes=1 << 20).files["key"]
    return sorted(str(cache / k[:2] / k / "data.parquet") for k in keys)


def phase(
    name: str, folder: Path, cache: Path, files: list[str] | None = None
) -> dict[str, object]:
    """Run one phase in this process; returns what it produced (for a sanity line)."""
    os.environ["STOCKBOOK_CACHE"] = str(cache)
    if name == "floor_csv":
        import duckdb

        con = duckdb.connect(config={"memory_limit": "1GB"})
        out = {}
        for f in _inputs(folder):
            # every field of every line, as text: the least any reader must do (typed detection can fail on
            # a column whose first rows look like integers)
            out[Path(f).name] = con.execute(
                f"SELECT count(*), max(COLUMNS(*)) FROM read_csv('{f}', all_varchar=true)"
            ).fetchall()[0][0]
        return out
    if name == "floor_parquet":
        import duckdb

        # ``files``: the current entries, found by an untimed process (importing stockbook is no part of a
        # scan); a run of this phase on its own finds them itself
        con = duckdb.connect(config={"memory_limit": "1GB"})
        out = {}
        for f in map(
            Path, files or current_entries(folder, cache)
        ):  # one table per file: columns differ
            # the filter makes DuckDB read every value: unfiltered, it answers count and max from the row groups'
            # statistics in the Parquet footer (0.47 s instead of 1.7 s at 10M) and would measure nothing
            out[f.parent.name[:8]] = con.execute(
                f"SELECT count(*), max(COLUMNS(*)) FROM read_parquet('{f}', "
                "file_row_number=true) WHERE file_row_number >= 0"
            ).fetchall()[0][0]
        return out
    if name == "ingest":
        shutil.rmtree(cache, ignore_errors=True)
        from stockbook.io import store

        st = store.ingest_folder(folder, root=cache, stream_bytes=1 << 20)
        return {
            "files": len(st.files),
            "rows": int(st.files["rows_in"].sum()),
            "quarantined": int(st.files["rows_quarantined"].sum()),
        }
    if name == "analyses":
        from scale_analyses import run_all
        from stockbook.io import store

        return run_all(store.ingest_folder(folder, root=cache, stream_bytes=1 << 20), as_of=AS_OF)
    if name == "pandas":
        from pandas_baseline import run_all

        return run_all(folder, as_of=AS_OF)
    if name == "report":
        from stockbook.report import build_report

        out = folder.parent / f"{folder.name}-report"
        build_report(
            data_dir=folder, period=AS_OF, out=out, force=True, log=lambda *_: None, progress=False
        )
        return {"report": str(out)}
    raise ValueError(name)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, summed (Linux /proc), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(d.name))
            rss[int(d.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def measure(
    name: str,
    folder: Path,
    cache: Path,
    timeout: int,
    files: list[str] | None = None,
) -> tuple[float, float, str, float]:
    """Wall seconds and peak RSS (MB) of a fresh process running phase ``name``, and its result line.

    The child is reaped with ``os.wait4``, whose resource usage is that child's own (peak RSS
    included), not the running maximum over all children. Linux starts a child's peak at its
    parent's RSS at fork, so this parent never loads data itself (generation runs in a child too).
    """
    import tempfile
    import threading

    cmd = [
        sys.executable,
        str(Path(__file__)),
        "--phase",
        name,
        "--folder",
        str(folder),
        "--cache",
        str(cache),
        *(["--files", os.pathsep.join(files)] if files else []),
    ]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, env={**os.environ, "PYTHONPATH": str(BENCH)}
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        tree = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                tree[0] = max(tree[0], tree_rss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t
        done.set()
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen
        out.seek(0)
        err.seek(0)
        text, errors = out.read().strip(), err.read().strip()
    rss = usage.ru_maxrss / 1024
    if proc.returncode != 0:
        return (
            float("nan"),
            rss,
            "failed: " + (errors.splitlines()[-1][:200] if errors else str(proc.returncode)),
            tree[0],
        )
    return secs, rss, text.splitlines()[-1] if text else "", tree[0]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", default="1M,10M,50M", help="ledger sizes, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="runs per phase (median)")
    ap.add_argument("--phases", default=",".join(PHASES), help="phases to run")
    ap.add_argument(
        "--pandas-max", default="10M", help="largest size the pandas baseline is run at"
    )
    ap.add_argument(
        "--report-max", default="10M", help="largest size the full report pack is run at"
    )
    ap.add_argument(
        "--report-runs", type=int, default=1, help="runs of the report phase (it takes minutes)"
    )
    ap.add_argument(
        "--work", default=str(BENCH / "data"), help="where generated data and stores go"
    )
    ap.add_argument("--timeout", type=int, default=3600, help="seconds before a phase is abandoned")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    ap.add_argument("--entries", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate:
        print(json.dumps(generate(args.generate, Path(args.folder))))
        return
    if args.entries:
        print(json.dumps(current_entries(Path(args.folder), Path(args.cache))))
        return
    if args.phase:
        files = args.files.split(os.pathsep) if args.files else None
        print(
            json.dumps(phase(args.phase, Path(args.folder), Path(args.cache), files), default=str)
        )
        return
    work = Path(args.work)
    results = []
    print(f"machine: {machine()}")
    for size in [s.strip() for s in args.rows.split(",")]:
        n = parse_rows(size)
        folder, cache = work / size / "inputs", work / size / "store"
        if not (folder / "amazon" / "Inventory_Ledger_Daily.txt").exists():
            shutil.rmtree(folder, ignore_errors=True)
            t = time.perf_counter()
            # in a child: a child's peak RSS starts at its parent's RSS at fork time, so this process stays small
            run = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__)),
                    "--generate",
                    str(n),
                    "--folder",
                    str(folder),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            info = json.loads(run.stdout.strip().splitlines()[-1])
            print(
                f"{size}: generated {info['ledger_rows']:,} ledger rows, {info['skus']:,} SKUs "
                f"in {time.perf_counter() - t:.0f} s (not counted)"
            )
        mb = sum(Path(f).stat().st_size for f in _inputs(folder)) / 2**20
        for name in [p for p in args.phases.split(",") if p]:
            if name == "pandas" and n > parse_rows(args.pandas_max):
                continue
            if name == "report" and n > parse_rows(args.report_max):
                continue
            n_runs = min(args.runs, args.report_runs) if name == "report" else args.runs
            files = None
            if (
                name == "floor_parquet"
            ):  # which entries are current: a child (this process stays small), untimed
                run = subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__)),
                        "--entries",
                        "--folder",
                        str(folder),
                        "--cache",
                        str(cache),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                files = json.loads(run.stdout.strip().splitlines()[-1])
            runs = [measure(name, folder, cache, args.timeout, files) for _ in range(n_runs)]
            secs = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            tree = statistics.median(r[3] for r in runs)
            results.append(
                {
                    "rows": size,
                    "input_mb": round(mb),
                    "phase": name,
                    "seconds": round(secs, 2),
                    "peak_rss_mb": round(rss),
                    "tree_rss_mb": round(tree),
                    "runs": n_runs,
                    "note": runs[-1][2][:120],
                }
            )
            print(
                f"{size:>4} {name:<14} {secs:8.2f} s  {rss:7.0f} MB  (tree {tree:5.0f} MB)  {runs[-1][2][:100]}",
                flush=True,
            )
    write_table(results, BENCH / "results")


def write_table(results: list[dict], out: Path) -> None:
    """Add the ratios and write scale.csv / scale.md; print the Markdown table."""
    import pandas as pd

    df = pd.DataFrame(results)
    if df.empty:
        return
    old = out / "scale.csv"
    if old.exists():  # keep the (size, phase) figures this run did not measure
        prev = pd.read_csv(old, dtype={"rows": str}).drop(columns=["us_per_row"], errors="ignore")
        fresh = set(zip(df["rows"], df["phase"], strict=True))
        keep = [(r, ph) not in fresh for r, ph in zip(prev["rows"], prev["phase"], strict=True)]
        df = pd.concat([prev.loc[keep], df], ignore_index=True)
        order = {p: i for i, p in enumerate(PHASES)}
        df = (
            df.assign(_n=df["rows"].map(parse_rows), _p=df["phase"].map(order))
            .sort_values(["_n", "_p"], ignore_index=True)
            .drop(columns=["_n", "_p"])
        )
    wide = df.pivot_table(
        index="rows", columns="phase", values="seconds", aggfunc="first", sort=False
    )
    rss = df.pivot_table(
        index="rows", columns="phase", values="peak_rss_mb", aggfunc="first", sort=False
    )
    tree = (
        df.pivot_table(
            index="rows", columns="phase", values="tree_rss_mb", aggfunc="first", sort=False
        )
        if "tree_rss_mb" in df
        else pd.DataFrame(index=wide.index)
    )

    def ratio(a: str, b: str) -> pd.Series:
        if a in wide and b in wide:
            return (wide[a] / wide[b]).round(2)
        return pd.Series(float("nan"), index=wide.index)

    summary = pd.DataFrame(
        {
            "ingest / csv floor": ratio("ingest", "floor_csv"),
            "analyses / parquet floor": ratio("analyses", "floor_parquet"),
            "pandas / analyses (speed-up)": ratio("pandas", "analyses"),
            "pandas / report (speed-up)": ratio("pandas", "report"),
            "peak RSS max (MB)": rss.max(axis=1),
            "report RSS / pandas RSS": (rss["report"] / rss["pandas"]).round(2)
            if {"report", "pandas"} <= set(rss)
            else float("nan"),
            "report tree RSS (MB)": tree["report"] if "report" in tree else float("nan"),
        }
    )
    summary = summary.loc[sorted(summary.index, key=parse_rows)]
    rows = df["rows"].map(parse_rows)
    per_row = df.assign(us_per_row=(df["seconds"] / rows * 1e6).round(3))
    cols = [
        "rows",
        "input_mb",
        "phase",
        "seconds",
        "peak_rss_mb",
        "tree_rss_mb",
        "runs",
        "us_per_row",
        "note",
    ]
    per_row = per_row[[c for c in cols if c in per_row] + [c for c in per_row if c not in cols]]
    out.mkdir(parents=True, exist_ok=True)
    per_row.to_csv(out / "scale.csv", index=False)
    md = [
        "# Scale benchmark",
        "",
        f"machine: {machine()}",
        "",
        markdown(per_row),
        "",
        markdown(summary.reset_index()),
        "",
    ]
    (out / "scale.md").write_text("\n".join(md), encoding="utf-8")
    print()
    print(markdown(per_row))
    print()
    print(markdown(summary.reset_index()))


def markdown(df) -> str:
    """A pipe table (no extra dependency)."""
    cells = [[str(c) for c in df.columns]] + [
        ["" if v != v else str(v) for v in row] for row in df.to_numpy()
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
