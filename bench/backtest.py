"""The weekly replay of generated sellers (``make backtest``; not part of the tests).

Three kinds of seller (seasonal, intermittent, launch), 200 SKUs and 18 months each, the last six months
replayed day by day and re-planned every week, under stockbook's policy and under the rules sellers use
(``stockbook.replenish.backtest``). Prints, per seller, rule and ABC class: fill rate, stock-out days,
average stock (units and value, FBA and domestic), supplier orders, freight and air share; then the goal:
A-class fill ≥ 97 % with at least 20 % less stock than the best rule that reaches 97 % itself.

    python bench/backtest.py [--seeds 5,6,7] [--skus 200]
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import pandas as pd
from stockbook import replenish as rp

OUT = Path(__file__).resolve().parent / "results"


def markdown(df: pd.DataFrame) -> str:
    """A pipe table (no extra dependency)."""
    rows = [list(map(str, df.columns)), ["---"] * len(df.columns)] + df.astype(str).values.tolist()
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="5,6,7", help="one generated seller of each kind per seed")
    ap.add_argument("--skus", type=int, default=200)
    args = ap.parse_args()
    tables = []
    t0 = time.perf_counter()
    for seed in (int(s) for s in args.seeds.split(",")):
        for kind in ("seasonal", "intermittent", "launch"):
            # named by kind and seed; every other field kept, the per-SKU fees too (without them no margin
            # is known, and no line ever pays for air)
            s = dataclasses.replace(
                rp.generated_seller(kind, n_skus=args.skus, seed=seed), name=f"{kind}-{seed}"
            )
            t = time.perf_counter()
            tables.append(rp.replay_seller(s))
            print(f"{s.name}: replayed 5 rules in {time.perf_counter() - t:.1f} s", flush=True)
    res = pd.concat(tables, ignore_index=True)
    goal = rp.goal(res)
    OUT.mkdir(exist_ok=True)
    res.to_csv(OUT / "backtest.csv", index=False)
    goal.to_csv(OUT / "backtest_goal.csv", index=False)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    cols = [
        "seller",
        "rule",
        "abc_class",
        "fill_rate",
        "stockout_days",
        "avg_stock_units",
        "avg_fba_units",
        "avg_domestic_units",
        "avg_stock_value",
        "orders",
        "freight",
        "air_share",
    ]
    print(res[cols].to_string(index=False))
    print()
    print(goal.to_string(index=False))
    print(
        f"\n{goal['goal_met'].sum()} of {len(goal)} sellers meet the goal; "
        f"{time.perf_counter() - t0:.0f} s in all; tables in {OUT}"
    )
    md = [
        "# Weekly replay (bench/backtest.py)",
        "",
        f"seeds {args.seeds}, {args.skus} SKUs per seller",
        "",
        "## Per seller, rule and class",
        "",
        markdown(res[cols]),
        "",
        "## The goal",
        "",
        markdown(goal),
        "",
    ]
    (OUT / "backtest.md").write_text("\n".join(md), encoding="utf-8")


if __name__ == "__main__":
    main()
