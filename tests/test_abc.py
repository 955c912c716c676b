"""ABC / XYZ: hand-made tables with ties and zero sales, known variability, and the class invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import abc, classes


def classify(values, **kw):
    df = pd.DataFrame({"sku": [f"s{i:02d}" for i in range(len(values))], "revenue": values})
    out = classes.abc_classify(df, **kw)
    return dict(zip(out["sku"], out["abc_class"], strict=True))


def test_crossing_sku_is_a_and_top_sku_always_a():
    assert list(classify([50, 40, 10]).values()) == ["A", "A", "B"]  # 50 % before the 2nd SKU: A
    assert list(classify([90, 5, 5]).values()) == ["A", "B", "B"]  # one SKU above 80 % is still A


def test_ties_never_split_across_a_boundary():
    # 60 | 15 15 | 5 5 — the tie group 15/15 starts at 60 % (< 80 %): both A; 5/5 start at 90 %: both B
    got = classify([60, 15, 15, 5, 5])
    assert got == {"s00": "A", "s01": "A", "s02": "A", "s03": "B", "s04": "B"}
    # the same values in another order give the same classes per value
    got2 = classify([5, 15, 60, 5, 15])
    assert sorted(got2.values()) == sorted(got.values())
    assert got2["s02"] == "A" and got2["s00"] == got2["s03"] == "B"


def test_zero_and_negative_values_are_c():
    got = classify([100, 0, 0, -20], measure="revenue")
    assert got == {"s00": "A", "s01": "C", "s02": "C", "s03": "C"}
    # nothing sold at all: everything is C, shares are zero
    df = pd.DataFrame({"sku": ["a", "b"], "units": [0, 0]})
    out = classes.abc_classify(df, measure="units")
    assert out["abc_class"].tolist() == ["C", "C"] and out["share"].sum() == 0


def test_thresholds_are_parameters_and_checked():
    assert list(classify([50, 30, 20], a=0.5, b=0.8).values()) == ["A", "B", "C"]
    with pytest.raises(ValueError, match="thresholds"):
        classify([1, 2], a=0.9, b=0.8)
    with pytest.raises(ValueError, match="measure"):
        classes.abc_classify(pd.DataFrame({"sku": ["a"], "margin": [1]}), measure="margin")


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=60),
    a=st.floats(min_value=0.05, max_value=0.95),
    gap=st.floats(min_value=0.0, max_value=0.5),
)
def test_every_sku_gets_one_class_and_shares_respect_thresholds(values, a, gap):
    b = min(a + gap, 1.0)
    df = pd.DataFrame({"sku": [f"s{i:03d}" for i in range(len(values))], "revenue": values})
    out = classes.abc_classify(df, a=a, b=b)
    assert len(out) == len(df) and set(out["sku"]) == set(df["sku"])
    assert set(out["abc_class"]) <= {"A", "B", "C"}
    order = out["abc_class"].map({"A": 0, "B": 1, "C": 2}).to_numpy()
    assert (np.diff(order) >= 0).all()  # classes never go back up down the ranking
    assert (out.loc[out["value"] <= 0, "abc_class"] == "C").all()
    total = sum(values)
    if total == 0:
        return
    for cls, thr in (("A", a), ("B", b)):
        members = out.loc[out["abc_class"] <= cls]  # A, or A and B
        if len(members) == 0:
            continue
        # the class starts below its threshold: without its last tie group its share is below it
        last_value = members["value"].iloc[-1]
        before_last_group = members.loc[members["value"] != last_value, "value"].sum() / total
        assert before_last_group < thr + 1e-9
        # and every positive SKU outside it starts at or past the threshold
        rest = out.loc[(out["abc_class"] > cls) & (out["value"] > 0)]
        assert (rest["cum_before"] >= thr - 1e-9).all()
    # tied values share a class
    assert (out.groupby("value")["abc_class"].nunique() == 1).all()


def test_xyz_on_series_with_known_variability():
    rng = np.random.default_rng(1)
    weeks = pd.DataFrame(
        [[10] * 8, [5, 15] * 4, [0, 10] * 4, [0, 0, 0, 40] * 2, [0] * 8, list(rng.poisson(400, 8))],
        index=pd.Index(["steady", "half", "one", "lumpy", "none", "poisson"], name="sku"),
    )
    out = abc.xyz_classify(weeks).set_index("sku")
    assert out.loc["steady", "cv"] == 0 and out.loc["steady", "xyz_class"] == "X"
    assert (
        out.loc["half", "cv"] == 0.5 and out.loc["half", "xyz_class"] == "X"
    )  # boundary is inclusive
    assert out.loc["one", "cv"] == 1.0 and out.loc["one", "xyz_class"] == "Y"
    assert (
        out.loc["lumpy", "cv"] == pytest.approx(3**0.5, abs=1e-6)
        and out.loc["lumpy", "xyz_class"] == "Z"
    )
    assert np.isnan(out.loc["none", "cv"]) and out.loc["none", "xyz_class"] == "Z"
    assert out.loc["poisson", "cv"] < 0.1  # Poisson(400): cv ≈ 1/20


def test_weekly_demand_buckets_end_on_the_last_day_and_keep_every_unit():
    sales = pd.DataFrame(
        {"date": pd.date_range("2026-10-04", "2026-10-31"), "sku": "A", "units": 1}
    )
    sales.loc[27, "units"] = 10  # the last day
    w = abc.weekly_demand(sales, start="2026-10-04", end="2026-10-31", skus=["B"])
    assert list(w.columns.strftime("%m-%d")) == ["10-04", "10-11", "10-18", "10-25"]
    assert w.loc["A"].tolist() == [7, 7, 7, 16] and w.loc["B"].sum() == 0
    assert w.to_numpy().sum() == sales["units"].sum()


def test_weekly_demand_puts_each_row_on_its_own_sku_and_leaves_out_rows_without_one():
    # SKUs arrive in no order and repeat: each unit must land on its own SKU's row and week
    sales = pd.DataFrame(
        {
            "date": [
                "2026-10-31",
                "2026-10-04",
                "2026-10-20",
                "2026-10-31",
                "2026-10-11",
                "2026-10-12",
            ],
            "sku": ["C", "A", "C", "A", None, "B"],
            "units": [5, 2, 3, 1, 100, 4],
        }
    )
    w = abc.weekly_demand(sales, start="2026-10-04", end="2026-10-31", skus=["D", "A"])
    assert w.index.tolist() == ["A", "B", "C", "D"]
    assert w.to_numpy().tolist() == [[2, 0, 0, 1], [0, 4, 0, 0], [0, 0, 3, 5], [0, 0, 0, 0]]


def test_sku_measures_profit_and_cogs():
    sales = pd.DataFrame(
        {
            "date": ["2026-10-01", "2026-10-05"],
            "sku": ["A", "B"],
            "units": [4, 1],
            "revenue": [40.0, 3.0],
        }
    )
    products = pd.DataFrame({"sku": ["A", "B"], "unit_cost": [6.0, 5.0]})
    m = classes.sku_measures(
        sales, products=products, start="2026-10-01", end="2026-10-31"
    ).set_index("sku")
    assert m.loc["A", "cogs"] == 24.0 and m.loc["A", "gross_profit"] == 16.0
    assert m.loc["B", "gross_profit"] == -2.0
    cls = classes.abc_classify(m.reset_index(), measure="gross_profit").set_index("sku")[
        "abc_class"
    ]
    assert cls.to_dict() == {"A": "A", "B": "C"}  # a loss-making SKU is C on gross profit


def test_capital_and_matrix_add_up():
    classes = pd.DataFrame(
        {
            "sku": list("abcd"),
            "abc_class": list("ABCC"),
            "xyz_class": list("XYZZ"),
            "revenue": [80.0, 15.0, 5.0, 0.0],
            "inventory_value": [10.0, 10.0, 20.0, 60.0],
            "dead_stock": [False, False, False, True],
        }
    )
    cap = abc.capital_tied_up(classes).set_index("abc_class")
    assert cap.loc["C", "inventory_share"] == 0.8 and cap.loc["C", "revenue_share"] == 0.05
    assert cap.loc["C", "cash_ratio"] == 16.0 and cap.loc["C", "dead_stock_skus"] == 1
    m = abc.abc_xyz_matrix(classes)
    assert len(m) == 9 and m["skus"].sum() == 4
    assert m["revenue_share"].sum() == pytest.approx(1.0) and m[
        "inventory_share"
    ].sum() == pytest.approx(1.0)
    assert m.set_index("cell").loc["CZ", "skus"] == 2


def test_abc_on_the_sample(sample_data):
    res = abc.abc_pack(sample_data, period_end="2026-10-31", currency="USD")
    c = res.classes
    products = set(sample_data["products"]["sku"])
    assert products <= set(c["sku"]) and c["sku"].is_unique
    a = c.loc[c["abc_class"] == "A"]
    assert 0.8 <= a["share"].sum() < 0.8 + a["share"].max()
    # the sample's fast movers carry class A; its intermittent sellers are never X
    assert res.headlines()["a_sku_share"] < 0.4
    assert c.loc[c["dead_stock"], "units"].eq(0).all()
    assert res.matrix["skus"].sum() == len(c)


def test_a_steady_seller_that_ran_out_is_not_erratic():
    """10 units a day, out of stock for three of the twelve weeks: its demand is steady (X). Counting the
    stock-out weeks as zero demand made it look erratic (CV 0.5 -> Y or Z)."""
    days = pd.date_range("2026-08-10", "2026-10-31")
    out = (days >= "2026-09-07") & (days < "2026-09-28")
    sold_out = out | (days == "2026-09-06")  # the last 10 sold on 6 September
    sales = pd.DataFrame(
        {
            "date": days,
            "sku": "A",
            "units": np.where(out, 0, 10),
            "available": np.where(sold_out, 0, 50),
        }
    )
    weekly = abc.weekly_demand(sales, start=days[0], end=days[-1])
    assert weekly.isna().to_numpy().sum() >= 2  # the weeks with no stock are unknown, not zero
    got = abc.xyz_classify(weekly).iloc[0]
    assert got["xyz_class"] == "X" and got["cv"] < 0.05


def test_the_matrix_shows_the_service_levels_the_plan_uses():
    from stockbook.replenish import Policy

    levels = Policy().service_levels
    assert all(level == levels[cell[0]] for cell, (_, level, _) in abc.CELL_POLICY.items())


def test_every_notebook_s_classes_are_notebook_02_s(sample_data):
    """Turnover, aging and the plan take their classes from ``classes.sku_classes``; they are the classes
    notebook 02 shows, for any threshold (``-p abc_a`` reaches them all), and a SKU neither names is C."""
    n_a = {}
    for abc_a in (0.8, 0.5):
        rule = classes.ClassRule(abc_a=abc_a)
        shown = abc.abc_pack(
            sample_data, period_end="2026-10-31", rule=rule, currency="USD"
        ).classes
        used = classes.sku_classes(sample_data, period_end="2026-10-31", rule=rule, currency="USD")
        assert (classes.class_of(used, shown["sku"]) == shown["abc_class"].to_numpy()).all()
        n_a[abc_a] = int((used["abc_class"] == "A").sum())
    # a lower A threshold makes fewer A SKUs: the parameter is not ignored (41 and 11 on the sample)
    assert n_a[0.5] < n_a[0.8]
    assert classes.class_of(used, ["NOT-A-SKU"]).tolist() == ["C"]


def test_abc_thresholds_are_declared_by_every_notebook_that_groups_by_class():
    """``stockbook report -p abc_a=0.7`` passes the threshold to each notebook that declares it."""
    from stockbook.nbtools import declared_parameters
    from stockbook.report import NOTEBOOK_DIR

    for name in ("02_abc_pareto", "03_turnover", "04_aging_clearance", "05_replenishment"):
        declared = declared_parameters(NOTEBOOK_DIR / f"{name}.ipynb")
        assert {"abc_a", "abc_b", "measure"} <= set(declared), name


def test_the_replay_s_synthetic_sellers_use_the_one_rule():
    """The synthetic sellers' classes come from ``classes.abc_rule``: ties together, zero revenue C."""
    value = np.array([50.0, 30.0, 10.0, 10.0, 0.0])
    assert classes.abc_rule(value).tolist() == ["A", "A", "B", "B", "C"]
    assert (
        classes.abc_rule(value).tolist()
        == classes.abc_classify(pd.DataFrame({"sku": list("abcde"), "revenue": value}))
        .sort_values("sku")["abc_class"]
        .tolist()
    )
