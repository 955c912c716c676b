"""How long a large ERP 进销存 workbook takes to read: stockbook's reader beside calamine's bare read.

``python bench/xlsx.py [--rows 200000] [--runs 3]`` writes (untimed, with XlsxWriter) a 进销存 sheet of a
title row and ``--rows`` rows in a Chinese ERP's layout (商品编码, 规格编码, 起始库存数量 … 截止库存总额,
blank cells as ERPs leave them), then times in one run, each the median of ``--runs``:

* ``calamine``: python-calamine reading the sheet into Python values (the floor: nothing is typed);
* ``stockbook``: ``read_file``, from bytes to the canonical ledger and its quarantine;
* ``openpyxl``: openpyxl's read-only iteration of the same sheet (what stockbook used before).

It prints the seconds and the ratio stockbook / calamine, and writes ``results/xlsx.csv``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from python_calamine import CalamineWorkbook
from stockbook.io import read_file

HERE = Path(__file__).resolve().parent
HEADER = [
    "商品编码",
    "商品名称",
    "规格编码",
    "规格名称",
    "起始库存数量",
    "起始库存总额",
    "采购数量",
    "采购总额",
    "采购退货数量",
    "采购退货总额",
    "销售数量",
    "销售总额",
    "销售退货数量",
    "销售退货总额",
    "其他变更数量",
    "其他变更总额",
    "截止库存数量",
    "截止库存总额",
]


def write_workbook(path: Path, rows: int, seed: int = 7) -> None:
    """A 进销存 workbook as an ERP exports it: one title row, then the header and ``rows`` variant rows
    (zeros left blank, as ERPs leave them)."""
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 500, rows)
    buy = np.where(rng.random(rows) < 0.3, rng.integers(1, 200, rows), 0)
    ret_buy = np.where(rng.random(rows) < 0.02, 1, 0)
    sold = np.minimum(rng.integers(0, 150, rows), start + buy - ret_buy)
    ret_sold = np.where(rng.random(rows) < 0.05, 1, 0)
    other = np.where(rng.random(rows) < 0.05, rng.integers(-3, 3, rows), 0)
    end = start + buy - ret_buy - sold + ret_sold + other
    cost = np.round(rng.uniform(5, 80, rows), 2)
    i = np.arange(rows)
    code = pd.Series(i // 3).map("{:06d}".format)
    df = pd.DataFrame(
        {
            HEADER[0]: code,
            HEADER[1]: "商品 " + (i // 3).astype(str),
            HEADER[2]: code + "." + (i % 3 + 1).astype(str),
            HEADER[3]: np.array(["黑色", "灰色", "蓝色"])[i % 3],
        }
    )
    for k, q in enumerate([start, buy, ret_buy, sold, ret_sold, other, end]):
        df[HEADER[4 + 2 * k]] = pd.Series(q).where(q != 0)
        df[HEADER[5 + 2 * k]] = pd.Series(np.round(q * cost, 2)).where(q != 0)
    with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
        df.to_excel(xw, sheet_name="进销存", startrow=1, index=False)
        xw.sheets["进销存"].write(0, 0, "2026年10月 进销存报表")


def timed(fn, runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "进销存_2026-10.xlsx"
        write_workbook(path, args.rows)

        def bare():
            wb = CalamineWorkbook.from_path(str(path))
            return wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)

        def openpyxl_rows():
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
            wb.close()
            return n

        r = read_file(path)  # once, untimed: the answer the timed runs repeat
        figures = {
            "calamine": timed(bare, args.runs),
            "stockbook": timed(lambda: read_file(path), args.runs),
            "openpyxl": timed(openpyxl_rows, args.runs),
        }
    ratio = figures["stockbook"] / figures["calamine"]
    print(
        f"{args.rows:,} rows, {path.name}: {len(r.data):,} kept, {r.rows_quarantined:,} quarantined"
    )
    for k, v in figures.items():
        print(f"  {k:10} {v:7.2f} s")
    print(
        f"  stockbook / calamine = {ratio:.2f}x (target <= 1.5x); openpyxl / calamine = "
        f"{figures['openpyxl'] / figures['calamine']:.2f}x"
    )
    out = HERE / "results" / "xlsx.csv"
    out.parent.mkdir(exist_ok=True)
    pd.DataFrame(
        [
            {
                "rows": args.rows,
                **{f"{k}_s": round(v, 3) for k, v in figures.items()},
                "ratio_to_calamine": round(ratio, 2),
            }
        ]
    ).to_csv(out, index=False)


if __name__ == "__main__":
    main()
