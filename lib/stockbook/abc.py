"""ABC / Pareto and XYZ: which SKUs matter, how steady they sell, and where the cash sits.

**ABC.** SKUs are ranked by a measure over a window (revenue, gross profit,
units or COGS), largest first, ties broken by SKU so the order is stable. With
``share = value / total`` and ``cum_before`` = the cumulative share of every SKU
ranked above::

    A  if cum_before < a        (default a = 0.80)
    B  if cum_before < b        (default b = 0.95)
    C  otherwise

so the SKU that crosses the 80 % line is still A (it starts inside the A band),
and the top SKU is always A. SKUs with the same value form a tie group and all
take the class of the group's first member, so a tie never splits across a
boundary. A SKU whose value is zero or negative (no sales; a loss on gross
profit) is C whatever the shares say; a zero-sales SKU that holds stock is also
flagged ``dead_stock``. Shares are computed on the positive total and compared
after rounding to 12 decimals, so engines that differ by 1e-15 agree.

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
from typing import Literal

import ibis
import numpy as np
import pandas as pd

from stockbook import schema as sch
from stockbook.engine import TableLike, as_table, to_pandas
from stockbook.money import Rates, factor_table, money_or_none, rates_for
from stockbook.stock import days_covered, demand_matrix, positions, sold, unit_costs
from stockbook.stock import products as stock_products

Measure = Literal["revenue", "gross_profit", "units", "cogs"]
#: the rate cost of sales is converted at: each sale's day, or one rate a month (the average of its sale days')
CostRate = Literal["day", "month"]
MEASURES: tuple[str, ...] = ("revenue", "gross_profit", "units", "cogs")
CLASSES = ("A", "B", "C")
#: the columns of ``tables/abc.csv`` that the report folder contract fixes, in order
CONTRACT = ["sku", "measure", "value", "share", "cum_share", "abc_class", "xyz_class"]
XYZ_CLASSES = ("X", "Y", "Z")

#: policy per ABC×XYZ cell: (review frequency, target service level, safety-stock stance). The service level
#: is the one notebook 05's plan uses for the ABC class (its ``service_a`` / ``service_b`` / ``service_c``
#: defaults): the plan sets targets by ABC class; XYZ changes how much stock meeting them takes, not the target
CELL_POLICY: dict[str, tuple[str, float, str]] = {
    "AX": ("weekly", 0.98, "low safety stock: demand is steady, keep lean and replenish often"),
    "AY": ("weekly", 0.98, "moderate safety stock sized on demand variability"),
    "AZ": ("weekly", 0.98, "high safety stock or make-to-order; watch daily, forecast by hand"),
    "BX": ("every 2 weeks", 0.95, "low safety stock, automatic reorder point"),
    "BY": ("every 2 weeks", 0.95, "moderate safety stock, automatic reorder point"),
    "BZ": ("every 2 weeks", 0.95, "buffer moderately; prefer smaller, more frequent orders"),
    "CX": ("monthly", 0.90, "minimal safety stock, order in larger lots to save handling"),
    "CY": ("monthly", 0.90, "minimal safety stock, periodic review"),
    "CZ": (
        "monthly",
        0.90,
        "no safety stock beyond the target's; order on demand, consider delisting or clearing",
    ),
}


def sku_measures(
    sales: TableLike,
    *,
    products: TableLike | None = None,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    currency: str | None = None,
    rates: Rates | None = None,
    cost_rate: CostRate = "day",
) -> pd.DataFrame:
    """Units, revenue, COGS and gross profit per SKU over ``[start, end]`` (both days included).

    ``cogs = units × unit_cost`` and ``gross_profit = revenue − cogs`` (Amazon's fees are not in the
    sales data, so this is the margin over landed cost, before fees). SKUs in ``products`` that
    sold nothing appear with zeros. With ``currency`` (the reporting currency), each sale's revenue is
    converted from its currency (``sales.currency``; none: the reporting currency) and its cost from the
    SKU's cost currency, both at the rate of the sale's day (``money.Rates``); with ``cost_rate="month"`` the
    cost is converted at one rate a month, the average of the rates on that month's sale days (as many sellers
    book cost of sales).

    >>> sales = pd.DataFrame({"date": ["2026-10-01", "2026-10-02", "2026-09-01"], "sku": ["A", "A", "B"],
    ...     "units": [2, 1, 5], "revenue": [20.0, 10.0, 50.0]})
    >>> products = pd.DataFrame({"sku": ["A", "B", "C"], "unit_cost": [4.0, 3.0, 1.0]})
    >>> sku_measures(sales, products=products, start="2026-10-01", end="2026-10-31").iloc[:, :5].values.tolist()
    [['A', 3, 30.0, 12.0, 18.0], ['B', 0, 0.0, 0.0, 0.0], ['C', 0, 0.0, 0.0, 0.0]]

    ``revenue_units`` and ``cost_units`` count the units whose revenue and cost are known (a sale or cost whose
    file states no currency is not): :func:`measure_supported` decides from them what can rank the SKUs.
    """
    t = as_table(sales, sch.SALES)
    t = t.filter(
        (t.date >= ibis.timestamp(pd.Timestamp(start)))
        & (t.date <= ibis.timestamp(pd.Timestamp(end)))
    )
    p = products if products is None or isinstance(products, pd.DataFrame) else to_pandas(products)
    if currency is None:
        g = to_pandas(
            t.group_by("sku").aggregate(
                units=t.units.sum(),
                revenue=t.revenue.sum(),
                revenue_units=t.units.sum(where=t.revenue.notnull()),
            ),
            order_by=["sku"],
        )
        cost = unit_costs(p) if p is not None else pd.Series(dtype="Float64")
        cogs = None
    else:  # revenue in each sale's currency and cost in its cost currency, each at the rate of the sale's day
        g, cogs = _measures_in(t, p, currency=currency, rates=rates, cost_rate=cost_rate)
        cost = unit_costs(p) if p is not None else pd.Series(dtype="Float64")
        if p is not None and len(cost):  # a cost is known when its currency is stated
            pp = sch.products_by_sku(p)
            stated = (
                pp["cost_currency"].astype("string").fillna(pp["currency"].astype("string")).notna()
            )
            cost = cost.where(stated.reindex(cost.index).fillna(False).to_numpy())
    skus = sorted(set(g["sku"]) | (set(cost.index) if p is not None else set()))
    out = pd.DataFrame({"sku": pd.array(skus, dtype="string")})
    out = out.merge(g, on="sku", how="left")
    out["units"] = out["units"].fillna(0).astype("Int64")
    out["revenue"] = out["revenue"].astype("Float64").fillna(0).round(2)
    out["revenue_units"] = out["revenue_units"].fillna(0).astype("Int64")
    known_cost = out["sku"].map(cost).notna()
    if cogs is None:
        unit_cost = out["sku"].map(cost).astype("Float64")
        out["cogs"] = (out["units"].astype("Float64") * unit_cost).round(2)
    else:
        out["cogs"] = out["sku"].map(cogs).astype("Float64").fillna(0).where(known_cost).round(2)
    out["cost_units"] = out["units"].where(known_cost, 0).astype("Int64")
    out["gross_profit"] = (out["revenue"] - out["cogs"]).round(2)
    return out[["sku", "units", "revenue", "cogs", "gross_profit", "revenue_units", "cost_units"]]


def _measures_in(
    t, products: pd.DataFrame | None, *, currency: str, rates: Rates, cost_rate: CostRate = "day"
):
    """Units and revenue per SKU, and COGS per SKU, in ``currency`` at each sale's day (see ``sku_measures``)."""
    day = t.date.cast("date").cast("timestamp")
    # a sale whose file states no currency has no known revenue (never the reporting currency's)
    t = t.mutate(day=day, ccy=t.currency if "currency" in t.columns else ibis.null("string"))
    daily = to_pandas(
        t.group_by(["sku", "ccy", "day"]).aggregate(units=t.units.sum(), revenue=t.revenue.sum())
    )
    if not len(daily):
        return pd.DataFrame(
            {
                "sku": pd.Series(dtype="string"),
                "units": pd.Series(dtype="Int64"),
                "revenue": pd.Series(dtype="Float64"),
                "revenue_units": pd.Series(dtype="Int64"),
            }
        ), pd.Series(dtype="float64")
    known = daily["ccy"].notna()
    rev_f, _ = factor_table(rates, daily.loc[known, "ccy"], daily.loc[known, "day"], currency)
    daily = daily.merge(
        rev_f.rename(columns={"currency": "ccy", "date": "day"}), on=["ccy", "day"], how="left"
    )
    daily["revenue"] = daily["revenue"].astype("float64") * daily["factor"]
    daily["revenue_units"] = daily["units"].where(daily["revenue"].notna(), 0)
    g = daily.groupby("sku", as_index=False).agg(
        units=("units", "sum"), revenue=("revenue", "sum"), revenue_units=("revenue_units", "sum")
    )
    if products is None or not len(products):
        return g, pd.Series(dtype="float64")
    p = sch.products_by_sku(products)
    cost_ccy = p["cost_currency"].astype("string").fillna(p["currency"].astype("string"))
    daily["cost_ccy"] = daily["sku"].map(cost_ccy)  # a cost with no stated currency is unknown
    daily = daily.loc[daily["cost_ccy"].notna() & daily["sku"].map(p["unit_cost"]).notna()]
    if not len(daily):
        return g, pd.Series(dtype="float64")
    cost_f, _ = factor_table(rates, daily["cost_ccy"], daily["day"], currency)
    if cost_rate == "month":  # the month's average rate for every sale of the month
        month = cost_f["date"].dt.to_period("M")
        cost_f["factor"] = cost_f.groupby([cost_f["currency"], month])["factor"].transform("mean")
    daily = daily.drop(columns="factor").merge(
        cost_f.rename(columns={"currency": "cost_ccy", "date": "day"}),
        on=["cost_ccy", "day"],
        how="left",
    )
    daily["cogs"] = (
        daily["units"].astype("float64")
        * daily["sku"].map(p["unit_cost"].astype("float64"))
        * daily["factor"]
    )
    return g, daily.groupby("sku")["cogs"].sum()


#: a money measure ranks the SKUs only when at least this share of the units sold has its money known
MEASURE_COVERAGE = 0.95


def measure_supported(values: pd.DataFrame, measure: Measure) -> tuple[str, str]:
    """The measure the data can rank by, and why when it is not the one asked for: revenue needs the revenue of
    the units sold (a sale whose file states no currency has none), COGS their cost, gross profit both; each at
    ``MEASURE_COVERAGE`` of the units. Otherwise revenue, else units, with the reason.

    >>> v = pd.DataFrame({"sku": ["A", "B"], "units": [10, 30], "revenue_units": [10, 0], "cost_units": [10, 30]})
    >>> measure_supported(v, "revenue")
    ('units', 'ranked by units: revenue is known for 25% of the units sold (a sale whose file states no price or currency has none)')
    >>> measure_supported(v, "cogs")
    ('cogs', '')
    """
    units = float(pd.to_numeric(values["units"]).clip(lower=0).sum())
    if measure == "units" or units <= 0:
        return measure, ""
    rev = float(pd.to_numeric(values["revenue_units"]).sum()) / units
    cost = float(pd.to_numeric(values["cost_units"]).sum()) / units
    need = {"revenue": rev, "cogs": cost, "gross_profit": min(rev, cost)}[measure]
    if need >= MEASURE_COVERAGE:
        return measure, ""
    what = {"revenue": "revenue", "cogs": "the cost", "gross_profit": "revenue and cost"}[measure]
    why = (
        f"is known for {need:.0%} of the units sold (a sale whose file states no price or currency has none)"
        if measure == "revenue"
        else f"is known for {need:.0%} of the units sold (a cost needs its currency)"
    )
    if measure != "revenue" and rev >= MEASURE_COVERAGE:
        return "revenue", f"ranked by revenue: {what} {why}"
    return "units", f"ranked by units: {what} {why}"


def abc_classify(
    values: pd.DataFrame, *, measure: Measure = "revenue", a: float = 0.80, b: float = 0.95
) -> pd.DataFrame:
    """Classify SKUs A/B/C by cumulative share of ``values[measure]`` (see the module text for the rule).

    Returns one row per SKU, largest value first: sku, measure, value, share, cum_share,
    cum_before, rank, abc_class.

    >>> v = pd.DataFrame({"sku": ["a", "b", "c", "d", "e"], "revenue": [50.0, 30.0, 10.0, 10.0, 0.0]})
    >>> abc_classify(v)[["sku", "cum_share", "abc_class"]].values.tolist()
    [['a', 0.5, 'A'], ['b', 0.8, 'A'], ['c', 0.9, 'B'], ['d', 1.0, 'B'], ['e', 1.0, 'C']]
    """
    if not 0 < a <= b <= 1:
        raise ValueError(f"thresholds must satisfy 0 < a <= b <= 1, got a={a}, b={b}")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    df = pd.DataFrame(
        {
            "sku": values["sku"].astype("string"),
            "value": pd.to_numeric(values[measure]).astype("float64").fillna(0.0),
        }
    )
    df = df.sort_values(["value", "sku"], ascending=[False, True], kind="stable", ignore_index=True)
    v = df["value"].to_numpy()
    pos = np.clip(v, 0, None)
    total = pos.sum()
    share = pos / total if total > 0 else np.zeros_like(pos)
    cum = np.cumsum(share)
    # a tie group takes the cumulative position of its first member
    group_start = np.r_[True, v[1:] != v[:-1]]
    first_idx = np.maximum.accumulate(np.where(group_start, np.arange(len(v)), 0))
    cum_before = np.round(np.r_[0.0, cum[:-1]][first_idx], 12)
    cls = np.where(cum_before < a, "A", np.where(cum_before < b, "B", "C"))
    cls = np.where(v > 0, cls, "C")
    df["measure"] = measure
    df["share"] = np.round(share, 12)
    df["cum_share"] = np.round(cum, 12)
    df["cum_before"] = cum_before
    df["rank"] = np.arange(1, len(df) + 1)
    df["abc_class"] = cls
    return df[["sku", "measure", "value", "share", "cum_share", "cum_before", "rank", "abc_class"]]


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
    window_days: int = 365,
    measure: Measure = "revenue",
    a: float = 0.80,
    b: float = 0.95,
    x: float = 0.5,
    y: float = 1.0,
    xyz_weeks: int = 26,
    currency: str | None,
    cost_rate: CostRate = "day",
) -> ABCResult:
    """Run notebook 02's analysis on a loaded data folder (:class:`stockbook.io.Dataset`).

    The window is the ``window_days`` ending on ``period_end``; migration compares it with the
    window of the same length before it. XYZ uses the last ``xyz_weeks`` weeks. Money is in ``currency`` (the
    reporting currency): revenue at each sale's day, cost of sales at the sale's day or the month's average rate
    (``cost_rate``), stock value at ``period_end`` (``money``).
    """
    if cost_rate not in ("day", "month"):
        raise ValueError(f"cost_rate must be 'day' or 'month', not {cost_rate!r}")
    end = pd.Timestamp(period_end)
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
    measure, note = measure_supported(cur, measure)
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
