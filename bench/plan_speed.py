"""How long the purchase plan takes for 200 and 20,000 SKUs (not a test; nothing here asserts a time).

A generated folder per size, held in memory as ``load_folder`` would give it: 515 days of daily sales with
the FBA stock column, a monthly ledger at FBA and in the domestic warehouse, open purchase orders and the
SKU master. Printed side by side, in one run:

- ``floor``: the demand matrix alone (the sales table pivoted to SKU × day), the least any plan must do;
- ``plan``: ``plan_replenishment`` end to end (matrix, positions, two forecasts with their rolling-origin
  errors, the echelon policy, the order lines with their reasons);
- ``plan_orders``: the planning function alone on ready inputs (what the weekly replay calls).

    python bench/plan_speed.py [--skus 200,20000] [--runs 3]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from stockbook import replenish as rp
from stockbook import schema
from stockbook.io import Dataset
from stockbook.stock import demand_matrix
from xlsx import timed  # the median of runs, as the XLSX bench times

AS_OF = pd.Timestamp("2026-10-31")


def folder(n: int, *, days: int = 515, seed: int = 1) -> Dataset:
    rng = np.random.default_rng(seed)
    skus = np.array([f"SKU{i:06d}" for i in range(n)])
    dates = pd.date_range(end=AS_OF, periods=days)
    rate = np.exp(rng.normal(np.log(2.0), 1.0, n))
    units = rng.poisson(rate[:, None], (n, days))
    avail = np.where(rng.random((n, days)) < 0.05, 0, 50)
    sales = pd.DataFrame(
        {
            "date": np.tile(dates, n),
            "sku": np.repeat(skus, days),
            "units": units.ravel(),
            "available": avail.ravel(),
            "marketplace": "US",
        }
    )
    months = pd.period_range(dates[0], AS_OF, freq="M")
    led = pd.DataFrame(
        {
            "period_start": np.tile(months.start_time, 2 * n),
            "period_end": np.tile(months.end_time.normalize(), 2 * n),
            "sku": np.repeat(skus, 2 * len(months)),
            "location_class": np.tile(np.repeat(["fba", "domestic"], len(months)), n),
            "location": np.tile(np.repeat(["US", "SZ"], len(months)), n),
            "disposition": "SELLABLE",
            "marketplace": np.tile(np.repeat(["US", None], len(months)), n),
            "starting": 0,
            "ending": rng.integers(0, 200, 2 * n * len(months)),
        }
    )
    products = pd.DataFrame(
        {
            "sku": skus,
            "unit_cost": rng.uniform(2, 20, n).round(2),
            "price": rng.uniform(10, 60, n).round(2),
            "cubic_feet": rng.uniform(0.02, 0.5, n),
            "weight_lb": rng.uniform(0.2, 4, n),
            "case_pack": rng.choice([1, 6, 12], n),
            "category": rng.choice([f"c{i}" for i in range(20)], n),
        }
    )
    po = pd.DataFrame(
        {
            "po_number": [f"PO{i}" for i in range(n // 4)],
            "sku": skus[: n // 4],
            "units_ordered": 100,
            "units_received": 0,
            "order_date": AS_OF - pd.Timedelta(days=10),
            "status": "OPEN",
        }
    )
    tables = {"sales": sales, "ledger": led, "products": products, "purchase_orders": po}
    tables = {k: schema.conform(v, schema.TABLES[k]) for k, v in tables.items()}
    return Dataset(Path("."), tables, schema.TABLES["quarantine"].empty(), pd.DataFrame())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", default="200,20000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"{'SKUs':>8}{'floor s':>10}{'plan s':>10}{'plan_orders s':>15}{'plan / floor':>14}")
    for n in (int(x) for x in args.skus.split(",")):
        data = folder(n)
        floor = timed(lambda d=data: demand_matrix(d["sales"], as_of=AS_OF, days=515), args.runs)
        plan = timed(
            lambda d=data: rp.plan_replenishment(d, as_of=str(AS_OF.date()), currency=None),
            args.runs,
        )
        inputs = rp.inputs_from_folder(data, as_of=AS_OF, currency=None)
        core = timed(lambda i=inputs: rp.plan_orders(i, currency="USD"), args.runs)
        print(f"{n:>8,}{floor:>10.2f}{plan:>10.2f}{core:>15.2f}{plan / floor:>14.1f}", flush=True)


if __name__ == "__main__":
    main()
