"""Turnover, days of inventory, sell-through and cover: known answers worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stockbook import turnover as tv
from stockbook.engine import to_pandas
from stockbook.stock import cover_status, stock_ledger


def daily_ledger(starting, shipped, sku="A"):
    days = pd.date_range("2026-06-01", periods=len(starting))
    ending = np.asarray(starting) - np.asarray(shipped)
    return pd.DataFrame(
        {
            "period_start": days,
            "period_end": days,
            "sku": sku,
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "starting": starting,
            "customer_shipments": -np.asarray(shipped),
            "ending": ending,
        }
    )


def test_stock_sold_out_in_five_days_turns_six_times_a_month():
    # 10,000 at cost (1,000 units × 10) on the shelf at the end of days 1–5, gone on day 6
    starting = [1000] * 6 + [0] * 24
    shipped = [0] * 5 + [1000] + [0] * 24
    products = pd.DataFrame({"sku": ["A"], "unit_cost": [10.0]})
    t = tv.turnover_table(
        daily_ledger(starting, shipped), products=products, start="2026-06-01", end="2026-06-30"
    )
    row = t.iloc[0]
    assert row["cogs"] == 10_000
    assert row["avg_inventory_value"] == pytest.approx(10_000 * 5 / 30, abs=0.01)
    assert row["turnover"] == pytest.approx(6.0)
    assert row["days_of_inventory"] == pytest.approx(5.0)


def test_annual_cogs_120k_over_30k_average_is_four_turns_91_days():
    assert float(tv.turnover(120_000, 30_000)) == 4.0
    assert float(tv.days_of_inventory(4.0, 365)) == pytest.approx(91.25)
    # the same through a monthly ledger: 12 months at a steady 3,000 units × 10 = 30,000, 1,000 sold a month
    months = pd.date_range("2026-01-01", periods=12, freq="MS")
    led = pd.DataFrame(
        {
            "period_start": months,
            "period_end": months + pd.offsets.MonthEnd(0),
            "sku": "A",
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "starting": 3000,
            "receipts": 1000,
            "customer_shipments": -1000,
            "ending": 3000,
        }
    )
    t = tv.turnover_table(
        led,
        products=pd.DataFrame({"sku": ["A"], "unit_cost": [10.0]}),
        start="2026-01-01",
        end="2026-12-31",
    ).iloc[0]
    assert (t["cogs"], t["avg_inventory_value"], t["turnover"]) == (120_000, 30_000, 4.0)
    assert t["days_of_inventory"] == pytest.approx(91.25)


def test_period_balance_method_and_returns_net_of_cogs():
    led = pd.DataFrame(
        {
            "period_start": ["2026-10-01"],
            "period_end": ["2026-10-31"],
            "sku": "A",
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "starting": [100],
            "customer_shipments": [-60],
            "customer_returns": [10],
            "ending": [50],
        }
    )
    avg = tv.average_inventory(led, start="2026-10-01", end="2026-10-31")
    assert avg["avg_units"].iloc[0] == 75.0  # (100 + 50) / 2
    t = tv.turnover_table(
        led,
        products=pd.DataFrame({"sku": ["A"], "unit_cost": [2.0]}),
        start="2026-10-01",
        end="2026-10-31",
    ).iloc[0]
    assert t["sold_units"] == 50 and t["cogs"] == 100.0  # 60 shipped − 10 returned
    # a window covering half the month counts the month's mean level for 16 of its days
    half = tv.average_inventory(led, start="2026-10-16", end="2026-10-31")
    assert half["avg_units"].iloc[0] == 75.0


def test_weeks_of_cover_and_band():
    assert float(tv.weeks_of_cover(100, 400, 28)) == 1.0
    assert float(tv.weeks_of_cover(300, 90, 90)) == pytest.approx(
        300 / 7
    )  # 90 units in 90 days = 7 a week
    assert cover_status([3.99, 4.0, 8.0, 8.01]).tolist() == ["under", "in band", "in band", "over"]


def test_division_by_zero_gives_nan_not_inf():
    assert np.isnan(tv.turnover(100, 0)) and np.isnan(tv.days_of_inventory(0, 30))
    assert np.isnan(tv.weeks_of_cover(10, 0, 30))


@pytest.fixture(scope="module")
def pack(sample_data):
    return tv.turnover_pack(sample_data, period_end="2026-10-31", currency="USD")


def test_business_days_of_inventory_is_the_sum_over_locations(pack):
    # with the business's COGS as numerator, average stock values add across locations, so do the days
    assert pack.by_location["days_of_inventory"].sum() == pytest.approx(
        pack.business["days_of_inventory"].iloc[0], abs=0.01
    )
    assert pack.by_location["avg_inventory_value"].sum() == pytest.approx(
        pack.business["avg_inventory_value"].iloc[0], abs=0.05
    )


def test_sell_through_recomputed_by_hand_from_the_ledger(sample_data, pack):
    end = pd.Timestamp("2026-10-31")
    start = end - pd.Timedelta(days=89)
    led = to_pandas(stock_ledger(sample_data, period_end=end))
    sku = pack.skus.loc[pack.skus["units_t90"] > 0, "sku"].iloc[3]
    # Amazon's sell-through divides by the average *available* (sellable) units, not all units at FBA
    rows = led.loc[
        (led["sku"] == sku)
        & (led["location_class"] == "fba")
        & (led["disposition"] == "SELLABLE")
        & (led["period_end"] >= start)
    ]
    unit_days = 0.0
    for r in rows.itertuples():
        days = (min(r.period_end, end) - max(r.period_start, start)).days + 1
        unit_days += (r.starting + r.ending) / 2 * days
    sales = sample_data["sales"]
    shipped = sales.loc[
        (sales["sku"] == sku) & (sales["date"] > end - pd.Timedelta(days=90)), "units"
    ].sum()
    got = pack.skus.set_index("sku").loc[sku, "sell_through"]
    assert got == pytest.approx(shipped / (unit_days / 90), abs=1e-3)


def test_cash_by_location_adds_up_to_the_stock_value(pack):
    assert pack.cash["inventory_value"].sum() == pytest.approx(
        pack.skus["stock_value"].sum(), abs=0.05
    )
    assert set(pack.cash["location_class"]) == {"domestic", "fba", "in_transit"}


def test_action_lists_are_consistent(pack):
    lo, hi = pack.band
    assert (pack.under_covered["weeks_of_cover"] < lo).all() and (
        pack.over_covered["weeks_of_cover"] > hi
    ).all()
    # ranked by the money at stake
    assert pack.over_covered["excess_value"].is_monotonic_decreasing
    assert pack.under_covered["short_value"].is_monotonic_decreasing
    assert (pack.dead_stock["stock_units"] > 0).all()
    assert not (pack.dead_stock["days_since_last_sale"] <= 90).any()


def test_monthly_trend_matches_a_one_month_window(sample_data, pack):
    led = to_pandas(stock_ledger(sample_data, period_end="2026-10-31"))
    from stockbook.money import rates_for
    from stockbook.stock import products_in

    products = products_in(
        sample_data["products"], currency="USD", on="2026-10-31", rates=rates_for(sample_data)
    )
    one = tv.turnover_table(
        led.assign(scope="all"),
        products=products,
        start="2026-09-01",
        end="2026-09-30",
        by=("scope",),
    ).iloc[0]
    row = pack.trend.loc[
        (pack.trend["month"] == "2026-09") & (pack.trend["location_class"] == "all")
    ].iloc[0]
    assert row["turnover"] == pytest.approx(one["turnover"]) and row["cogs"] == pytest.approx(
        one["cogs"]
    )


def test_a_window_that_does_not_start_on_the_1st_counts_sales_like_stock():
    """A steady seller: 31 units a month on an average of 31 in stock, a monthly ledger. Any window turns
    at one a month (before: a 90-day window from 3 August dropped August's COGS but kept its stock-days,
    turnover 1.03 where it is about 2). A 365-day window ending in a leap year drops no month either."""
    months = pd.date_range("2027-01-01", "2028-12-01", freq="MS")
    days = months.days_in_month
    led = pd.DataFrame(
        {
            "period_start": months,
            "period_end": months + pd.offsets.MonthEnd(0),
            "sku": "A",
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "starting": 31,
            "receipts": days,
            "customer_shipments": -days,
            "ending": 31,
        }
    )
    products = pd.DataFrame({"sku": ["A"], "unit_cost": [1.0]})
    for start, end in (
        ("2028-08-03", "2028-10-31"),
        ("2028-08-01", "2028-10-29"),
        ("2028-01-02", "2028-12-31"),
    ):
        t = tv.turnover_table(led, products=products, start=start, end=end).iloc[0]
        n = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1
        assert t["cogs"] == pytest.approx(n, abs=0.01)  # one unit a day, every day of the window
        assert t["turnover"] == pytest.approx(n / 31, rel=1e-3)
        assert t["days_of_inventory"] == pytest.approx(31, rel=1e-3)


def test_over_and_under_covered_are_one_definition_in_03_and_05(sample_data, pack):
    from stockbook import replenish

    plan = replenish.plan_replenishment(
        sample_data, as_of="2026-10-31", currency="USD"
    ).skus.set_index("sku")
    for status, table in (("over", pack.over_covered), ("under", pack.under_covered)):
        ours = set(plan.index[plan["cover_status"] == status])
        assert set(table["sku"]) == ours and ours, status
    both = pack.skus.set_index("sku")["weeks_of_cover"].dropna()
    common = both.index.intersection(plan.index)
    assert (plan.loc[common, "weeks_of_cover"] - both.loc[common]).abs().max() < 0.011
