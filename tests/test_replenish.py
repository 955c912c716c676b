"""Replenishment: safety stock and reorder point by hand, the air/sea split, demand with stock-outs, backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stockbook import replenish as rp


def test_safety_stock_and_reorder_point_by_hand():
    # d = 50/day, σ_d = 5, L = 6 days, σ_L = 2 days: σ over the lead time = √(6·25 + 2500·4) = √10150 = 100.75
    # (inventorize 1.2.6 returns 71.8 here: it writes sd_leadtime^2, a XOR in Python)
    z95 = rp.z_for(0.95)[0]
    assert z95 == pytest.approx(1.6449, abs=1e-4)
    ss = float(rp.safety_stock(50, 5, 6, 2, z95))
    assert ss == pytest.approx(1.6449 * 100.7472, abs=0.01)  # 165.72
    assert float(rp.reorder_point(50, 6, ss)) == pytest.approx(300 + 165.72, abs=0.01)
    # only demand varies: z · σ_d · √L
    assert float(rp.safety_stock(50, 5, 9, 0, 2.0)) == pytest.approx(2 * 5 * 3)
    # zero demand and zero variance are normal on the long tail, not errors
    assert float(rp.safety_stock(0, 0, 30, 5, 2.0)) == 0.0


def test_fill_rate_safety_factor_meets_its_target():
    z = rp.z_for_fill_rate([0.98, 0.90, 0.999], order_qty=[100, 100, 100], sigma_lt=[25, 25, 25])
    short = 25 * rp.loss_function(z)
    assert short == pytest.approx([2.0, 10.0, 0.1], abs=0.01)  # (1 − β) · Q units short per cycle
    assert z[0] < rp.z_for(0.98)[0]  # a 98 % fill rate needs less than a 98 % cycle service level


def test_air_sea_split_when_sea_arrives_ten_days_after_the_stockout():
    # 20 a day; stock lasts 30 days; sea lands on day 40, air on day 12: fly 10 days × 20 = 200 → 216 in cases of 24
    air, sea, short_sea, short_air = rp.air_sea_split(d=20, stockout_days=30, sea_days=40, air_days=12, qty=1000,
                                                      case_pack=24)
    assert (air[0], sea[0], short_sea[0], short_air[0]) == (216, 784, 10.0, 0.0)
    # sea in time: nothing flies
    air, sea, *_ = rp.air_sea_split(d=20, stockout_days=50, sea_days=40, air_days=12, qty=1000)
    assert (air[0], sea[0]) == (0, 1000)
    # air itself late (stock-out on day 5): it bridges from its own arrival, 5 days stay short
    air, sea, short_sea, short_air = rp.air_sea_split(d=10, stockout_days=5, sea_days=40, air_days=10, qty=500)
    assert (air[0], short_sea[0], short_air[0]) == (300, 35.0, 5.0)


def test_rounding_to_case_and_moq():
    assert rp.round_to_case([0, 1, 24, 25, 200], 24, moq=48).tolist() == [0, 48, 48, 48, 216]


def test_demand_with_stockouts_excluded_is_unbiased_and_the_naive_mean_is_not():
    rng = np.random.default_rng(3)
    true_rate = rng.uniform(2, 30, 300)
    days = 90
    demand = rng.poisson(true_rate[:, None], (300, days)).astype(float)
    in_stock = np.ones_like(demand, dtype=bool)
    for i in range(300):  # inject one outage of 20–40 % of the days per SKU (test data only)
        n = int(rng.uniform(0.2, 0.4) * days)
        start = int(rng.integers(0, days - n))
        in_stock[i, start:start + n] = False
    sold = demand * in_stock
    est, _ = rp.in_stock_rate(sold, in_stock, days)
    naive = sold.mean(axis=1)
    err = np.abs(est / true_rate - 1)
    assert np.median(err) < 0.05 and np.mean(est) / np.mean(true_rate) == pytest.approx(1, abs=0.05)
    assert naive.mean() / true_rate.mean() < 0.8  # biased low by the share of days out of stock


def test_stock_out_days_are_read_from_the_available_column():
    dates = pd.date_range("2026-10-01", periods=6)
    sales = pd.DataFrame({"date": dates, "sku": "A", "units": [5, 5, 3, 0, 0, 6], "available": [10, 5, 0, 0, 6, 0]})
    m = rp.demand_matrix(sales, as_of="2026-10-06", days=6)
    # day 4 and 5 start empty (day 3 ended at 0); day 5's receipt shows on day 6's start
    assert m.in_stock.tolist() == [[True, True, True, False, False, True]]
    rate, n = rp.in_stock_rate(m.units, m.in_stock, 6)
    assert (rate[0], n[0]) == (19 / 4, 4)


def test_croston_sba_on_a_regular_intermittent_series():
    u = np.array([[0, 0, 0, 6] * 30, [0] * 120], dtype=float)
    f = rp.croston_sba(u, u >= 0, alpha=0.1)
    assert f[0] == pytest.approx(0.95 * 6 / 4, abs=1e-6) and f[1] == 0.0


def test_seasonal_index_reads_last_years_peak():
    dates = pd.date_range("2025-08-01", "2026-10-31")
    rate = np.where((dates.month == 11) | (dates.month == 12), 20.0, 10.0)
    m = rp.DemandMatrix(pd.Index(["A"]), dates, rate[None, :], np.ones((1, len(dates)), bool), True)
    assert rp.seasonal_index(m, horizon_days=61) == pytest.approx(2.0)  # Nov–Dec last year vs Aug–Oct
    short = rp.DemandMatrix(pd.Index(["A"]), dates[-200:], rate[None, -200:], np.ones((1, 200), bool), True)
    assert rp.seasonal_index(short, horizon_days=61) == 1.0  # under a year of history: no index


def test_lead_time_stages_and_calibration_from_shipments():
    lead = rp.LeadTimes()
    assert lead.transit("sea") == 3 + 30 + 4 + 7 and lead.table().set_index("mode").loc["sea",
                                                                                       "purchase_lead_days"] == 64
    ships = pd.DataFrame({"mode": ["sea"] * 6, "ship_date": pd.to_datetime(["2026-01-01"] * 6),
                          "received_date": pd.to_datetime(["2026-02-10", "2026-02-12", "2026-02-08", "2026-02-10",
                                                           "2026-02-14", "2026-02-06"])})
    cal = rp.calibrate(lead, ships)
    assert cal.line_haul["sea"] == pytest.approx(40 - 4 - 7) and cal.transit_sd["sea"] == pytest.approx(
        np.std([40, 42, 38, 40, 44, 36], ddof=1))
    assert cal.line_haul["air"] == lead.line_haul["air"]  # no air shipments: the default stays


@pytest.fixture(scope="module")
def plan(sample_data):
    from stockbook.abc import abc_pack

    classes = abc_pack(sample_data, period_end="2026-10-31").classes
    return rp.plan_replenishment(sample_data, as_of="2026-10-31", classes=classes), classes


def test_plan_on_the_sample(plan):
    res, _ = plan
    p = res.plan
    assert list(p.columns[:8]) == ["sku", "order_qty", "order_date", "mode", "arrival_date", "stockout_date",
                                   "safety_stock", "reorder_point"]
    assert (p["order_qty"] > 0).all() and (p["arrival_date"] > p["order_date"]).all()
    ships = p.loc[p["kind"] == "ship_to_fba"].groupby("sku")["order_qty"].sum()
    dom = res.skus.set_index("sku")["domestic"]
    assert (ships <= dom.reindex(ships.index)).all()  # never ship more than the domestic warehouse holds
    case = res.skus.set_index("sku")
    assert res.demand["seasonal_index"].iloc[0] > 1.2  # November–December follow: last year's Q4 peak
    assert res.headlines()["skus_to_order_now"] == p.loc[p["order_date"] <= res.as_of, "sku"].nunique()
    assert len(res.restock_check) == 150 and res.restock_check["why"].notna().all()
    assert case["at_risk"].dtype == bool


def test_backtest_meets_the_fill_rate_with_less_stock(sample_data, plan):
    _, classes = plan
    bt = rp.backtest_data(sample_data, as_of="2026-10-31", classes=classes)
    b = bt.set_index("rule")
    assert b.loc["policy", "fill_rate_A"] >= 0.97
    assert b.loc["policy", "avg_stock_value"] <= 0.8 * b.loc[["tool", "erp"], "avg_stock_value"].min()
    g = rp.backtest_generated("seasonal").set_index("rule")
    assert g.loc["policy", "fill_rate_A"] >= 0.97 and g.loc["policy", "stock_vs_best_rule"] <= -0.2


def test_production_lead_time_overrides_per_sku_and_per_supplier(sample_data, plan):
    from stockbook.io import Dataset

    base, classes = plan
    products = sample_data["products"].copy()
    sku_own, sku_sup = "SB-KIT-147", "SB-CAR-127"
    products["production_days"] = pd.array([45.0 if s == sku_own else pd.NA for s in products["sku"]],
                                           dtype="Float64")
    products["supplier"] = pd.array(["Ningbo Co" if s == sku_sup else pd.NA for s in products["sku"]],
                                    dtype="string")
    data = Dataset(sample_data.root, {**sample_data.tables, "products": products}, sample_data.quarantine,
                   sample_data.files)
    res = rp.plan_replenishment(data, as_of="2026-10-31", classes=classes,
                                supplier_production_days={"Ningbo Co": 35.0})
    new, old = res.skus.set_index("sku"), base.skus.set_index("sku")
    assert (new.loc[sku_own, "production_days"], new.loc[sku_sup, "production_days"]) == (45.0, 35.0)
    assert new.drop(index=[sku_own, sku_sup])["production_days"].eq(20.0).all()
    # 25 more days of lead time: the reorder point grows by at least 25 days of demand
    d = new.loc[sku_own, "forecast_rate"]
    assert new.loc[sku_own, "reorder_point_purchase"] >= old.loc[sku_own, "reorder_point_purchase"] + 25 * d - 1
    assert new.loc[sku_own, "reorder_point"] == old.loc[sku_own, "reorder_point"]  # shipping to FBA is unchanged


def test_the_purchase_plan_says_each_lines_destination(sample_data, answer_key):
    """The two-marketplace sample: the UK SKUs' lines are for Amazon UK, the others for the US."""
    res = rp.plan_replenishment(sample_data, as_of="2026-10-31")
    dest = res.plan.drop_duplicates("sku").set_index("sku")["destination"]
    uk = set(answer_key["uk"]["skus"])
    assert set(dest[dest.index.isin(uk)]) <= {"UK"} and set(dest[~dest.index.isin(uk)]) == {"US"}
    assert dest.index.isin(uk).any()
