"""ABC classes per SKU: the one rule every analysis that groups SKUs by class uses (notebooks 02–05 and the
replay), so ``-p abc_a`` moves them all together.

SKUs are ranked by a measure over a window (revenue, gross profit, units or COGS), largest first, ties broken
by SKU so the order is stable. With ``share = value / total`` and ``cum_before`` = the cumulative share of
every SKU ranked above::

    A  if cum_before < a        (default a = 0.80)
    B  if cum_before < b        (default b = 0.95)
    C  otherwise

so the SKU that crosses the 80 % line is still A (it starts inside the A band), and the top SKU is always A.
SKUs with the same value form a tie group and all take the class of the group's first member, so a tie never
splits across a boundary. A SKU whose value is zero or negative (no sales; a loss on gross profit) is C
whatever the shares say, and so is a SKU with no class at all (:func:`class_of`). Shares are computed on the
positive total and compared after rounding to 12 decimals, so engines that differ by 1e-15 agree.

Worked example (revenue 50, 30, 10, 6, 4; a = 0.8, b = 0.95): cum_before is 0, 0.5, 0.8, 0.9, 0.96, so the
classes are A, A, B, B, C.

>>> abc_rule([50.0, 30.0, 10.0, 6.0, 4.0]).tolist()
['A', 'A', 'B', 'B', 'C']

The service level each class is planned at (:data:`SERVICE_LEVELS`) lives here too: notebook 02's cell
policy and notebook 05's plan read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

import ibis
import numpy as np
import pandas as pd

from stockbook import schema as sch
from stockbook.engine import TableLike, as_table, to_pandas
from stockbook.money import Rates, factor_table, rates_for
from stockbook.stock import products as stock_products
from stockbook.stock import sold, unit_costs

Measure = Literal["revenue", "gross_profit", "units", "cogs"]
#: the rate cost of sales is converted at: each sale's day, or one rate a month (the average of its sale days')
CostRate = Literal["day", "month"]
MEASURES: tuple[str, ...] = ("revenue", "gross_profit", "units", "cogs")
CLASSES = ("A", "B", "C")
#: the class of a SKU the classes do not name (no sales in the window, not in the master)
NO_CLASS = "C"
#: the fill-rate target each class is planned at (notebook 05's ``service_a`` / ``service_b`` / ``service_c``)
SERVICE_LEVELS: dict[str, float] = {"A": 0.98, "B": 0.95, "C": 0.90}


@dataclass(frozen=True)
class ClassRule:
    """What shapes the classes: the measure, the two thresholds and the window (days ending on the report
    day). Its fields are the notebooks' parameter names (``abc_a``, ``abc_b``), so every notebook builds it
    with ``ClassRule.from_parameters(**globals())``.

    >>> ClassRule.from_parameters(abc_a=0.7, lang="en")
    ClassRule(measure='revenue', abc_a=0.7, abc_b=0.95, window_days=365)
    """

    measure: Measure = "revenue"
    abc_a: float = 0.80
    abc_b: float = 0.95
    window_days: int = 365

    def __post_init__(self):
        if not 0 < self.abc_a <= self.abc_b <= 1:
            raise ValueError(
                f"thresholds must satisfy 0 < abc_a <= abc_b <= 1, got {self.abc_a}, {self.abc_b}"
            )
        if self.measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {self.measure!r}")
        if self.window_days < 1:
            raise ValueError(f"window_days must be at least 1, got {self.window_days}")

    @classmethod
    def from_parameters(cls, **params: object) -> ClassRule:
        """The rule from a notebook's parameters; parameters that are not the rule's are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in params.items() if k in names})


def _cum_before(value: np.ndarray) -> np.ndarray:
    """The cumulative share before each value of a descending array, a tie group taking its first member's.

    >>> _cum_before(np.array([50.0, 30.0, 10.0, 10.0, 0.0])).tolist()
    [0.0, 0.5, 0.8, 0.8, 1.0]
    """
    pos = np.clip(value, 0, None)
    total = pos.sum()
    share = pos / total if total > 0 else np.zeros_like(pos)
    cum = np.cumsum(share)
    group_start = np.r_[True, value[1:] != value[:-1]] if len(value) else np.zeros(0, bool)
    first_idx = np.maximum.accumulate(np.where(group_start, np.arange(len(value)), 0))
    return np.round(np.r_[0.0, cum[:-1]][first_idx], 12) if len(value) else np.zeros(0)


def abc_rule(value, *, a: float = 0.80, b: float = 0.95) -> np.ndarray:
    """The class of each value, in the order given (the module's rule: cumulative share before it, largest
    first, ties together, zero or negative C).

    >>> abc_rule([4.0, 0.0, 50.0, 10.0, 10.0, 30.0]).tolist()  # 10 and 10 start at 80/104: both A
    ['C', 'C', 'A', 'A', 'A', 'A']
    """
    v = np.asarray(value, dtype="float64")
    v = np.where(np.isnan(v), 0.0, v)
    order = np.argsort(-v, kind="stable")
    ranked = v[order]
    before = _cum_before(ranked)
    cls = np.where(before < a, "A", np.where(before < b, "B", "C"))
    cls = np.where(ranked > 0, cls, "C")
    out = np.empty(len(v), dtype=object)
    out[order] = cls
    return out.astype(str)


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
    share = pos / pos.sum() if pos.sum() > 0 else np.zeros_like(pos)
    df["measure"] = measure
    df["share"] = np.round(share, 12)
    df["cum_share"] = np.round(np.cumsum(share), 12)
    df["cum_before"] = _cum_before(v)
    df["rank"] = np.arange(1, len(df) + 1)
    df["abc_class"] = abc_rule(v, a=a, b=b)
    return df[["sku", "measure", "value", "share", "cum_share", "cum_before", "rank", "abc_class"]]


def sku_classes(
    data,
    *,
    period_end: str | pd.Timestamp,
    rule: ClassRule = ClassRule(),
    currency: str | None,
    cost_rate: CostRate = "day",
) -> pd.DataFrame:
    """Each SKU's ABC class on a loaded data folder: the rule's measure over the ``rule.window_days`` ending on
    ``period_end`` (ranked by revenue, else units, where the data cannot support the measure), the thresholds
    ``rule.abc_a`` and ``rule.abc_b``. Notebook 02 shows these classes with their shares; turnover, aging, the
    plan and the replay group by them. Columns: sku, measure, value, abc_class.
    """
    end = pd.Timestamp(period_end)
    start = end - pd.Timedelta(days=rule.window_days - 1)
    sales, _ = sold(data)
    values = sku_measures(
        sales,
        products=stock_products(data, as_of=end),
        start=start,
        end=end,
        currency=currency,
        rates=rates_for(data) if currency else None,
        cost_rate=cost_rate,
    )
    measure, _ = measure_supported(values, rule.measure)
    out = abc_classify(values, measure=measure, a=rule.abc_a, b=rule.abc_b)
    return out[["sku", "measure", "value", "abc_class"]]


def class_of(classes: pd.DataFrame | pd.Series | None, skus) -> pd.Series:
    """The class of each SKU in ``skus`` (index: the SKUs), :data:`NO_CLASS` where the classes name none.
    ``classes`` is :func:`sku_classes`' table (sku, abc_class) or a Series SKU → class.

    >>> class_of(pd.DataFrame({"sku": ["a"], "abc_class": ["A"]}), ["a", "z"]).tolist()
    ['A', 'C']
    """
    idx = pd.Index(pd.Series(list(skus), dtype="string"))
    if classes is None or not len(classes):
        return pd.Series(NO_CLASS, index=idx, dtype="string")
    if isinstance(classes, pd.DataFrame):
        classes = classes.drop_duplicates("sku").set_index("sku")["abc_class"]
    named = classes.set_axis(classes.index.astype("string"))
    named = named[~named.index.duplicated()]
    return named.astype("string").reindex(idx).fillna(NO_CLASS)
