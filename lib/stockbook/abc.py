"""ABC / Pareto and XYZ: which SKUs matter, how steady they sell, and where the cash sits (notebook 02).

**ABC.** The classes are :mod:`stockbook.classes`' (the one rule every notebook uses): SKUs ranked by a measure
over a window, A while the cumulative share before a SKU is under ``a`` (0.80), B under ``b`` (0.95), C
otherwise, ties together, a SKU with no sales C. Here they are shown with their shares, crossed with XYZ,
compared with the window before (migration) and priced at the stock they hold; a zero-sales SKU that holds
stock is flagged ``dead_stock``.

**XYZ.** The coefficient of variation of weekly demand (``cv = std / mean``,
population std) over the window, with demand censored as replenishment censors it
(``stock.demand_matrix``): a week's demand is its sales over its in-stock days, a week
out of stock or outside the data is left out, not counted as 0. X if ``cv <= x``
(default 0.5), Y if ``cv <= y`` (default 1.0), Z otherwise or when the SKU sold nothing.

**ABC×XYZ** gives nine cells; :data:`CELL_POLICY` states the review frequency,
service level and safety-stock stance for each, and :func:`abc_xyz_matrix`
counts SKUs, revenue share and inventory value share per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from stockbook.classes import (
    CLASSES,
    SERVICE_LEVELS,
    ClassRule,
    CostRate,
    abc_classify,
    measure_supported,
    sku_measures,
)
from stockbook.engine import TableLike, to_pandas
from stockbook.money import Rates, money_or_none, rates_for
from stockbook.stock import days_covered, demand_matrix, positions, sold, unit_costs
from stockbook.stock import products as stock_products

#: the columns of ``tables/abc.csv`` that the report folder contract fixes, in order
CONTRACT = ["sku", "measure", "value", "share", "cum_share", "abc_class", "xyz_class"]
XYZ_CLASSES = ("X", "Y", "Z")

#: policy per ABC×XYZ cell: (review frequency, target service level, safety-stock stance). The service level
#: is the one notebook 05's plan uses for the ABC class (its ``service_a`` / ``service_b`` / ``service_c``
#: defaults): the plan sets targets by ABC class; XYZ changes how much stock meeting them takes, not the target
CELL_POLICY: dict[str, tuple[str, float, str]] = {
    "AX": (
        "weekly",
        SERVICE_LEVELS["A"],
        "low safety stock: demand is steady, keep lean and replenish often",
    ),
    "AY": ("weekly", SERVICE_LEVELS["A"], "moderate safety stock sized on demand variability"),
    "AZ": (
        "weekly",
        SERVICE_LEVELS["A"],
        "high safety stock or make-to-order; watch daily, forecast by hand",
    ),
    "BX": ("every 2 weeks", SERVICE_LEVELS["B"], "low safety stock, automatic reorder point"),
    "BY": ("every 2 weeks", SERVICE_LEVELS["B"], "moderate safety stock, automatic reorder point"),
    "BZ": (
        "every 2 weeks",
        SERVICE_LEVELS["B"],
        "buffer moderately; prefer smaller, more frequent orders",
    ),
    "CX": (
        "monthly",
        SERVICE_LEVELS["C"],
        "minimal safety stock, order in larger lots to save handling",
    ),
    "CY": ("monthly", SERVICE_LEVELS["C"], "minimal safety stock, periodic review"),
    "CZ": (
        "monthly",
        SERVICE_LEVELS["C"],
        "no safety stock beyond the target's; order on demand, consider delisting or clearing",
    ),
}


def weekly_demand(
    sales: TableLike,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    skus: list[str] | None = None,
) -> pd.DataFrame:
    """Demand per SKU and week (weeks end on ``end`` and step back 7 days), censored as replenishment's.

    A week's demand is its units over the days the SKU was in stock, × 7 (``stock.demand_matrix``: a
    stock-out day hides demand, it is not a day of no demand); a week with no in-stock day, or outside
    the data, is unknown (NaN), not zero. Returns a wide frame: index sku, one column per week start.
    ``skus`` adds SKUs that sold nothing.

    >>> s = pd.DataFrame({"date": pd.date_range("2026-10-18", "2026-10-31"), "sku": "A",
    ...                   "units": [2] * 7 + [0] * 7, "available": [9] * 6 + [0] * 8})  # sold out on day 7
    >>> weekly_demand(s, start="2026-10-18", end="2026-10-31").iloc[0].tolist()
    [14.0, nan]
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    n_weeks = max(int((end - start).days + 1) // 7, 1)
    first = end - pd.Timedelta(days=7 * n_weeks - 1)
    week_starts = pd.date_range(first, periods=n_weeks, freq="7D")
    m = demand_matrix(sales, as_of=end, days=7 * n_weeks, skus=skus)
    units = (m.units * m.in_stock).reshape(len(m.skus), n_weeks, 7).sum(axis=2)
    days = m.in_stock.reshape(len(m.skus), n_weeks, 7).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(days > 0, units / np.maximum(days, 1) * 7, np.nan)
    return pd.DataFrame(
        np.round(rate, 6),
        index=pd.Index(m.skus.astype(str), name="sku", dtype="string"),
        columns=week_starts,
    )


def xyz_classify(weekly: pd.DataFrame, *, x: float = 0.5, y: float = 1.0) -> pd.DataFrame:
    """Classify SKUs X/Y/Z by the coefficient of variation of weekly demand (rows = SKUs, columns = weeks).

    ``cv = std / mean`` with the population std (ddof 0) over the weeks whose demand is known (NaN weeks,
    out of stock or outside the data, are left out); no demand gives ``cv`` NaN and class Z.

    >>> w = pd.DataFrame([[10, 10, 10, 10], [5, 15, 5, 15], [0, 0, 0, 40], [0, 0, 0, 0]],
    ...                  index=pd.Index(["steady", "wobbly", "lumpy", "none"], name="sku"))
    >>> xyz_classify(w)[["sku", "cv", "xyz_class"]].values.tolist()
    [['steady', 0.0, 'X'], ['wobbly', 0.5, 'X'], ['lumpy', 1.732051, 'Z'], ['none', nan, 'Z']]
    """
    if not 0 <= x <= y:
        raise ValueError(f"thresholds must satisfy 0 <= x <= y, got x={x}, y={y}")
    m = weekly.to_numpy(dtype=float)
    known = ~np.isnan(m)
    n = known.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, np.nansum(m, axis=1) / np.maximum(n, 1), 0.0)
        std = np.sqrt(
            np.where(n > 0, np.nansum((m - mean[:, None]) ** 2, axis=1) / np.maximum(n, 1), 0.0)
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(mean > 0, std / mean, np.nan)
    cv_r = np.round(cv, 6)
    cls = np.where(np.isnan(cv_r), "Z", np.where(cv_r <= x, "X", np.where(cv_r <= y, "Y", "Z")))
    return pd.DataFrame(
        {
            "sku": pd.array(weekly.index.astype(str), dtype="string"),
            "weeks": m.shape[1],
            "mean_weekly_units": np.round(mean, 4),
            "std_weekly_units": np.round(std, 4),
            "cv": cv_r,
            "xyz_class": cls,
        }
    )


def inventory_value(
    balances: pd.DataFrame,
    products: TableLike | None,
    *,
    currency: str | None = None,
    on=None,
    rates: Rates | None = None,
) -> pd.DataFrame:
    """Units and value at cost per SKU (all locations and dispositions) from :func:`stock.positions`; with
    ``currency``, costs converted at the valuation day ``on``."""
    units = balances.groupby("sku")["units"].sum()
    out = pd.DataFrame(
        {"sku": pd.array(units.index, dtype="string"), "stock_units": units.to_numpy()}
    )
    if products is not None:
        p = products if isinstance(products, pd.DataFrame) else to_pandas(products)
        cost = unit_costs(p, currency=currency, on=on, rates=rates)
        out["inventory_value"] = (
            out["stock_units"].astype("Float64") * out["sku"].map(cost).astype("Float64")
        ).round(2)
    else:
        out["inventory_value"] = pd.array([pd.NA] * len(out), dtype="Float64")
    return out


def abc_xyz_matrix(classes: pd.DataFrame) -> pd.DataFrame:
    """The nine ABC×XYZ cells: SKU count, revenue share, inventory value share, and the cell's policy.

    ``classes`` needs sku, abc_class, xyz_class, revenue and inventory_value.
    """
    rev_total = classes["revenue"].clip(lower=0).sum()
    inv_total = classes["inventory_value"].fillna(0).sum()
    rows = []
    for a in CLASSES:
        for x in XYZ_CLASSES:
            cell = classes.loc[(classes["abc_class"] == a) & (classes["xyz_class"] == x)]
            review, level, stance = CELL_POLICY[a + x]
            rev = float(cell["revenue"].clip(lower=0).sum())
            inv = float(cell["inventory_value"].fillna(0).sum())
            rows.append(
                {
                    "cell": a + x,
                    "abc_class": a,
                    "xyz_class": x,
                    "skus": len(cell),
                    "revenue": round(rev, 2),
                    "revenue_share": round(rev / rev_total, 4) if rev_total else 0.0,
                    "inventory_value": round(inv, 2),
                    "inventory_share": round(inv / inv_total, 4) if inv_total else 0.0,
                    "review": review,
                    "service_level": level,
                    "safety_stock": stance,
                }
            )
    return pd.DataFrame(rows)


def capital_tied_up(classes: pd.DataFrame) -> pd.DataFrame:
    """Per ABC class: SKUs, revenue share, inventory value and its share, and the ratio of the two.

    ``cash_ratio = inventory_share / revenue_share``: above 1 a class holds more of the cash than
    it earns of the revenue.
    """
    rev_total = classes["revenue"].clip(lower=0).sum()
    inv_total = classes["inventory_value"].fillna(0).sum()
    rows = []
    for a in CLASSES:
        c = classes.loc[classes["abc_class"] == a]
        rev = float(c["revenue"].clip(lower=0).sum())
        inv = float(c["inventory_value"].fillna(0).sum())
        rs = rev / rev_total if rev_total else 0.0
        ins = inv / inv_total if inv_total else 0.0
        rows.append(
            {
                "abc_class": a,
                "skus": len(c),
                "revenue": round(rev, 2),
                "revenue_share": round(rs, 4),
                "inventory_value": round(inv, 2),
                "inventory_share": round(ins, 4),
                "cash_ratio": round(ins / rs, 2) if rs else np.nan,
                "dead_stock_skus": int(c["dead_stock"].sum()) if "dead_stock" in c else 0,
            }
        )
    return pd.DataFrame(rows)


def class_migration(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """SKUs whose ABC class changed between two windows (new SKUs show previous class ``-``).

    >>> cur = pd.DataFrame({"sku": ["a", "b", "c"], "abc_class": ["A", "C", "B"]})
    >>> prev = pd.DataFrame({"sku": ["a", "b"], "abc_class": ["A", "A"]})
    >>> class_migration(cur, prev)[["sku", "previous_class", "abc_class", "change"]].values.tolist()
    [['b', 'A', 'C', 'down'], ['c', '-', 'B', 'new']]
    """
    m = current[["sku", "abc_class"]].merge(
        previous[["sku", "abc_class"]].rename(columns={"abc_class": "previous_class"}),
        on="sku",
        how="outer",
    )
    m["previous_class"] = m["previous_class"].fillna("-")
    m["abc_class"] = m["abc_class"].fillna("-")
    rank = {"A": 0, "B": 1, "C": 2}
    before = m["previous_class"].map(rank)
    after = m["abc_class"].map(rank)
    m["change"] = np.select(
        [before.isna(), after.isna(), after < before, after > before],
        ["new", "gone", "up", "down"],
        "same",
    )
    m = m.loc[m["change"] != "same"]
    order = {"down": 0, "up": 1, "new": 2, "gone": 3}
    m = (
        m.assign(_o=m["change"].map(order))
        .sort_values(["_o", "sku"], kind="stable")
        .drop(columns="_o")
    )
    return m[["sku", "previous_class", "abc_class", "change"]].reset_index(drop=True)


@dataclass
class ABCResult:
    """Everything notebook 02 shows (small pandas frames)."""

    start: pd.Timestamp
    end: pd.Timestamp
    measure: str
    classes: pd.DataFrame  # the report table: one row per SKU
    matrix: pd.DataFrame
    capital: pd.DataFrame
    migration: pd.DataFrame
    weekly: pd.DataFrame
    demand_source: str
    measure_note: str = ""  # why the ranking uses another measure than the one asked for
    days_of_data: int = (
        0  # days of the window the sales data covers ("no sale" is said of these only)
    )

    def headlines(self) -> dict[str, object]:
        c = self.classes
        a = c["abc_class"] == "A"
        share_key = "a_value_share" if self.measure == "revenue" else f"a_{self.measure}_share"
        return {
            "a_skus": int(a.sum()),
            "a_sku_share": round(float(a.mean()), 4) if len(c) else 0.0,
            share_key: round(float(c.loc[a, "share"].sum()), 4),
            "dead_stock_skus": int(c["dead_stock"].sum()),
            "dead_stock_value": money_or_none(c.loc[c["dead_stock"], "inventory_value"]),
        }


def abc_pack(
    data,
    *,
    period_end: str,
    rule: ClassRule = ClassRule(),
    x: float = 0.5,
    y: float = 1.0,
    xyz_weeks: int = 26,
    currency: str | None,
    cost_rate: CostRate = "day",
) -> ABCResult:
    """Run notebook 02's analysis on a loaded data folder (:class:`stockbook.io.Dataset`).

    The classes are :func:`stockbook.classes.sku_classes`' by ``rule`` (measure, thresholds, the window of
    ``rule.window_days`` ending on ``period_end``); migration compares them with the window of the same length
    before it. XYZ uses the last ``xyz_weeks`` weeks. Money is in ``currency`` (the
    reporting currency): revenue at each sale's day, cost of sales at the sale's day or the month's average rate
    (``cost_rate``), stock value at ``period_end`` (``money``).
    """
    if cost_rate not in ("day", "month"):
        raise ValueError(f"cost_rate must be 'day' or 'month', not {cost_rate!r}")
    end = pd.Timestamp(period_end)
    window_days, a, b = rule.window_days, rule.abc_a, rule.abc_b
    start = end - pd.Timedelta(days=window_days - 1)
    products = stock_products(
        data, as_of=end
    )  # the master, with costs from the ledger's values where it has none
    sales, source = sold(data)
    rates = rates_for(data) if currency else None
    money_kw = {"currency": currency, "rates": rates, "cost_rate": cost_rate}
    cur = sku_measures(sales, products=products, start=start, end=end, **money_kw)
    prev = sku_measures(
        sales,
        products=products,
        **money_kw,
        start=start - pd.Timedelta(days=window_days),
        end=start - pd.Timedelta(days=1),
    )
    stock = inventory_value(
        positions(data, as_of=end), products, currency=currency, on=end, rates=rates
    )
    cur = cur.merge(stock, on="sku", how="outer")
    for col in ("units", "stock_units"):
        cur[col] = cur[col].fillna(0).astype("Int64")
    for col in ("revenue", "cogs", "gross_profit"):
        cur[col] = cur[col].astype("Float64").fillna(0)
    measure, note = measure_supported(cur, rule.measure)
    cls = abc_classify(cur, measure=measure, a=a, b=b)
    weekly = weekly_demand(
        sales, start=end - pd.Timedelta(days=7 * xyz_weeks - 1), end=end, skus=list(cls["sku"])
    )
    xyz = xyz_classify(weekly, x=x, y=y)
    out = cls.merge(xyz[["sku", "cv", "xyz_class"]], on="sku", how="left").merge(
        cur[["sku", "units", "revenue", "cogs", "gross_profit", "stock_units", "inventory_value"]],
        on="sku",
        how="left",
    )
    seen = days_covered(sales, start=start, end=end)
    out["dead_stock"] = (
        (out["units"] == 0) & (out["stock_units"] > 0) & (seen > 0)
    )  # no sales data: not said
    prev_cls = abc_classify(prev, measure=measure, a=a, b=b)
    migration = class_migration(out, prev_cls)
    out["previous_class"] = (
        out["sku"].map(prev_cls.set_index("sku")["abc_class"]).astype("string").fillna("-")
    )
    out = out[CONTRACT + [c for c in out.columns if c not in CONTRACT]]
    return ABCResult(
        start,
        end,
        measure,
        out,
        abc_xyz_matrix(out),
        capital_tied_up(out),
        migration,
        weekly,
        source,
        note,
        seen,
    )
