"""Replenishment: safety stock by hand and against a textbook, the echelon targets, open purchase orders in the
position, the seasonal index (flat, short history, across a year end), the air/sea split and its reasons, the
economics of each line, the FBA capacity cap, the weekly replay, and notebook 05's parameters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE, Folder
from stockbook import replenish as rp
from stockbook.stock import on_order

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05_replenishment.ipynb"


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
    air, sea, short_sea, short_air = rp.air_sea_split(
        d=20, stockout_days=30, sea_days=40, air_days=12, qty=1000, case_pack=24
    )
    assert (air[0], sea[0], short_sea[0], short_air[0]) == (216, 784, 10.0, 0.0)
    # sea in time: nothing flies
    air, sea, *_ = rp.air_sea_split(d=20, stockout_days=50, sea_days=40, air_days=12, qty=1000)
    assert (air[0], sea[0]) == (0, 1000)
    # air itself late (stock-out on day 5): it bridges from its own arrival, 5 days stay short
    air, sea, short_sea, short_air = rp.air_sea_split(
        d=10, stockout_days=5, sea_days=40, air_days=10, qty=500
    )
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
        in_stock[i, start : start + n] = False
    sold = demand * in_stock
    est, _ = rp.in_stock_rate(sold, in_stock, days)
    naive = sold.mean(axis=1)
    err = np.abs(est / true_rate - 1)
    assert np.median(err) < 0.05 and np.mean(est) / np.mean(true_rate) == pytest.approx(1, abs=0.05)
    assert naive.mean() / true_rate.mean() < 0.8  # biased low by the share of days out of stock


def test_stock_out_days_are_read_from_the_available_column():
    dates = pd.date_range("2026-10-01", periods=6)
    sales = pd.DataFrame(
        {"date": dates, "sku": "A", "units": [5, 5, 3, 0, 0, 6], "available": [10, 5, 0, 0, 6, 0]}
    )
    m = rp.demand_matrix(sales, as_of="2026-10-06", days=6)
    # day 4 and 5 start empty (day 3 ended at 0); day 5's receipt shows on day 6's start
    assert m.in_stock.tolist() == [[True, True, True, False, False, True]]
    rate, n = rp.in_stock_rate(m.units, m.in_stock, 6)
    assert (rate[0], n[0]) == (19 / 4, 4)


def test_croston_sba_on_a_regular_intermittent_series():
    u = np.array([[0, 0, 0, 6] * 30, [0] * 120], dtype=float)
    f = rp.croston_sba(u, u >= 0, alpha=0.1)
    assert f[0] == pytest.approx(0.95 * 6 / 4, abs=1e-6) and f[1] == 0.0


def test_lead_time_stages_and_calibration_from_shipments():
    lead = rp.LeadTimes()
    assert (
        lead.transit("sea") == 3 + 30 + 4 + 7
        and lead.table().set_index("mode").loc["sea", "purchase_lead_days"] == 64
    )
    ships = pd.DataFrame(
        {
            "mode": ["sea"] * 6,
            "ship_date": pd.to_datetime(["2026-01-01"] * 6),
            "received_date": pd.to_datetime(
                ["2026-02-10", "2026-02-12", "2026-02-08", "2026-02-10", "2026-02-14", "2026-02-06"]
            ),
        }
    )
    cal = rp.calibrate(lead, ships)
    assert cal.line_haul["sea"] == pytest.approx(40 - 4 - 7) and cal.transit_sd[
        "sea"
    ] == pytest.approx(np.std([40, 42, 38, 40, 44, 36], ddof=1))
    assert cal.line_haul["air"] == lead.line_haul["air"]  # no air shipments: the default stays


@pytest.fixture(scope="module")
def plan(sample_data):
    from stockbook.abc import abc_pack

    classes = abc_pack(sample_data, period_end="2026-10-31", currency="USD").classes
    return rp.plan_replenishment(
        sample_data, as_of="2026-10-31", classes=classes, currency="USD"
    ), classes


def test_plan_on_the_sample(plan):
    res, _ = plan
    p = res.plan
    assert list(p.columns[:8]) == [
        "sku",
        "order_qty",
        "order_date",
        "mode",
        "arrival_date",
        "stockout_date",
        "safety_stock",
        "reorder_point",
    ]
    assert (p["order_qty"] > 0).all() and (p["arrival_date"] > p["order_date"]).all()
    assert p["why"].str.len().gt(0).all()  # every line says why it goes by air or by sea
    assert p.loc[p["mode"] == "air", "why"].str.startswith("air:").all()
    assert p.loc[p["mode"] == "sea", "why"].str.startswith("sea:").all()
    ships = p.loc[p["kind"] == "ship_to_fba"].groupby("sku")["order_qty"].sum()
    dom = res.skus.set_index("sku")["domestic"]
    assert (
        ships <= dom.reindex(ships.index)
    ).all()  # never ship more than the domestic warehouse holds
    case = res.skus.set_index("sku")
    assert (
        res.demand["seasonal_index"].median() > 1.1
    )  # November–December follow: last year's Q4 peak
    assert (
        res.headlines()["skus_to_order_now"] == p.loc[p["order_date"] <= res.as_of, "sku"].nunique()
    )
    assert len(res.restock_check) == 150 and res.restock_check["why"].notna().all()
    assert case["at_risk"].dtype == bool


def test_production_lead_time_overrides_per_sku_and_per_supplier(sample_data, plan):
    from stockbook.io import Dataset

    base, classes = plan
    products = sample_data["products"].copy()
    sku_own, sku_sup = "SB-KIT-147", "SB-CAR-127"
    products["production_days"] = pd.array(
        [45.0 if s == sku_own else pd.NA for s in products["sku"]], dtype="Float64"
    )
    products["supplier"] = pd.array(
        ["Ningbo Co" if s == sku_sup else pd.NA for s in products["sku"]], dtype="string"
    )
    data = Dataset(
        sample_data.root,
        {**sample_data.tables, "products": products},
        sample_data.quarantine,
        sample_data.files,
    )
    res = rp.plan_replenishment(
        data,
        as_of="2026-10-31",
        classes=classes,
        supplier_production_days={"Ningbo Co": 35.0},
        currency="USD",
    )
    new, old = res.skus.set_index("sku"), base.skus.set_index("sku")
    assert (new.loc[sku_own, "production_days"], new.loc[sku_sup, "production_days"]) == (
        45.0,
        35.0,
    )
    assert new.drop(index=[sku_own, sku_sup])["production_days"].eq(20.0).all()
    # 25 more days of lead time: the reorder point grows by at least 25 days of demand
    d = new.loc[sku_own, "forecast_rate"]
    assert (
        new.loc[sku_own, "order_up_to_network"]
        >= old.loc[sku_own, "order_up_to_network"] + 25 * d * 0.9
    )
    assert (
        new.loc[sku_own, "order_up_to_fba"] == old.loc[sku_own, "order_up_to_fba"]
    )  # shipping to FBA: unchanged


def test_the_purchase_plan_says_each_lines_destination(sample_data, answer_key):
    """The two-marketplace sample: the UK SKUs' lines are for Amazon UK, the others for the US."""
    res = rp.plan_replenishment(sample_data, as_of="2026-10-31", currency="USD")
    dest = res.plan.drop_duplicates("sku").set_index("sku")["destination"]
    uk = set(answer_key["uk"]["skus"])
    assert set(dest[dest.index.isin(uk)]) <= {"UK"} and set(dest[~dest.index.isin(uk)]) == {"US"}
    assert dest.index.isin(uk).any()


def test_safety_stock_against_a_textbook_example():
    # Chopra & Meindl, Supply Chain Management, Example 12-3 (Lego at Walmart): weekly demand 2,500 (σ 500),
    # lead time 2 weeks, continuous review, 90 % cycle service level: safety inventory 906
    ss = float(rp.safety_stock(2500, 500, 2, 0, rp.z_for(0.90)[0]))
    assert round(ss) == 906
    # the measured forecast error replaces σ_d·√L: the same number when it is the same spread
    assert float(
        rp.safety_stock(2500, 0, 0, 0, rp.z_for(0.90)[0], sigma_h=500 * np.sqrt(2))
    ) == pytest.approx(ss)


def test_echelon_targets_on_a_hand_example():
    # 10 a day; FBA protects 44 days of transit + 7 of review = 51 days, the network 20 more of production
    # (71 days); forecast errors 60 and 90 units over those spans; transit σ 5 days, whole lead σ √(4² + 5²)
    s1, s2 = rp.echelon_targets(
        forecast_fba=510,
        sigma_fba=60,
        forecast_network=710,
        sigma_network=90,
        d=10,
        sigma_lead_fba=5,
        sigma_lead_network=np.hypot(4, 5),
        z_fba=1.5,
        z_network=1.5,
    )
    assert float(s1) == pytest.approx(510 + 1.5 * np.sqrt(60**2 + 10**2 * 5**2))  # 627.15
    assert float(s2) == pytest.approx(710 + 1.5 * np.sqrt(90**2 + 10**2 * 41))  # 875.65
    # the domestic buffer is what S2 leaves beyond S1: one target, not two stacked
    assert float(s2 - s1) == pytest.approx(200 + 1.5 * (np.sqrt(12200) - np.sqrt(6100)))


def _flat_inputs(*, on_order_units: int = 0, price: float = 30.0, days: int = 200) -> rp.PlanInputs:
    dates = pd.date_range(end="2026-10-31", periods=days)
    units = np.full((1, days), 10.0)
    m = rp.DemandMatrix(pd.Index(["A"], name="sku"), dates, units, np.ones_like(units, bool), True)
    products = pd.DataFrame(
        {
            "unit_cost": [5.0],
            "price": [price],
            "cubic_feet": [0.1],
            "weight_lb": [1.0],
            "case_pack": [1.0],
            "moq": [0.0],
            "production_days": [np.nan],
            "supplier": ["S"],
            "category": ["c"],
        },
        index=pd.Index(["A"], name="sku"),
    )
    position = pd.DataFrame(
        {"available": [100], "inbound": [50], "domestic": [40], "on_order": [on_order_units]},
        index=products.index,
    )
    return rp.PlanInputs(dates[-1], m, products, position)


def test_open_orders_are_in_the_position_and_bought_once():
    skus0, plan0, _ = rp.plan_orders(_flat_inputs(), currency="USD")
    skus1, plan1, _ = rp.plan_orders(_flat_inputs(on_order_units=200), currency="USD")
    buy0 = int(plan0.loc[plan0["kind"] == "purchase", "order_qty"].sum())
    buy1 = int(plan1.loc[plan1["kind"] == "purchase", "order_qty"].sum())
    assert buy0 - buy1 == 200  # units already on order are not bought again
    r = skus0.iloc[0]
    # the echelon position and the order: S2 − (available + inbound + domestic + on order), case pack 1
    assert r["position_network"] == 100 + 50 + 40 and buy0 == r["order_up_to_network"] - 190
    # the FBA shipment tops up to S1 from what the domestic warehouse holds
    ship = int(plan0.loc[plan0["kind"] == "ship_to_fba", "order_qty"].sum())
    assert ship == min(r["order_up_to_fba"] - 150, 40)


def test_open_purchase_orders_from_a_folder():
    po = pd.DataFrame(
        {
            "po_number": ["P1", "P2", "P3", "P4", "P5"],
            "sku": ["A", "A", "B", "B", "C"],
            "units_ordered": [100, 60, 80, 30, 500],
            "units_received": [30, 0, 80, 0, 0],
            "order_date": pd.to_datetime(
                ["2026-10-01", "2026-10-25", "2026-09-01", "2026-11-02", "2026-10-20"]
            ),
            "expected_date": pd.to_datetime(
                ["2026-10-20", "2026-11-20", "2026-09-30", "2026-12-01", "2026-11-15"]
            ),
            "status": ["PARTIAL", "OPEN", "CLOSED", "OPEN", "CANCELLED"],
        }
    )
    got = on_order(po, as_of="2026-10-31").set_index("sku")
    assert got["on_order"].to_dict() == {"A": 70 + 60}  # B closed or not yet placed, C cancelled
    dates = pd.date_range("2026-08-01", "2026-10-31")
    sales = pd.DataFrame(
        {"date": np.tile(dates, 2), "sku": np.repeat(["A", "B"], len(dates)), "units": 5}
    )
    data = Folder(
        purchase_orders=po,
        sales=sales,
        products=pd.DataFrame({"sku": ["A", "B"], "unit_cost": [2.0, 2.0], "price": [9.0, 9.0]}),
    )
    inputs = rp.inputs_from_folder(data, as_of="2026-10-31", currency=None)
    assert inputs.position["on_order"].to_dict() == {"A": 130, "B": 0}
    late = rp.open_orders(po, as_of="2026-10-31").set_index("po_number")
    assert late.loc["P1", "days_late"] == 11 and late.loc["P2", "days_late"] == 0 and len(late) == 2


def test_a_line_at_a_loss_is_held_back_as_a_decision_or_flagged_when_asked_for():
    # 6 × 0.85 − 3.50 fulfilment = 1.60 < 5 + freight: by default not planned, a decision with its loss
    fee = rp.Policy(fulfilment_fee=3.5)
    skus, plan, _ = rp.plan_orders(_flat_inputs(price=6.0), policy=fee, currency="USD")
    assert not len(plan.loc[plan["kind"] == "purchase"])
    r = skus.iloc[0]
    assert r["held_kind"] in ("purchase", "both") and r["held_qty"] > 0
    assert r["decision"].startswith(f"purchase of {r['held_qty']:,} not planned: each unit loses")
    # plan_at_a_loss: planned, and flagged
    fee = rp.Policy(fulfilment_fee=3.5, plan_at_a_loss=True)
    _, plan, _ = rp.plan_orders(_flat_inputs(price=6.0), policy=fee, currency="USD")
    buy = plan.loc[plan["kind"] == "purchase"]
    assert (
        len(buy)
        and buy["warning"].str.startswith("sells at a loss").all()
        and (buy["margin_per_unit"] < 0).all()
    )
    okskus, ok, _ = rp.plan_orders(_flat_inputs(price=30.0), policy=fee, currency="USD")
    assert (ok["warning"] == "").all() and (okskus["decision"] == "").all()
    # no fee table and no fee stated: the margin is unknown and said so, never computed with a guessed fee
    _, unknown, _ = rp.plan_orders(_flat_inputs(price=6.0), currency="USD")
    buy = unknown.loc[unknown["kind"] == "purchase"]
    assert len(buy) and buy["margin_per_unit"].isna().all()
    assert buy["warning"].str.contains("no fulfilment fee").all()


def test_the_fba_capacity_limit_cuts_the_lowest_margins_first(sample_data):
    base = rp.plan_replenishment(sample_data, as_of="2026-10-31", currency="USD")
    ships = base.plan.loc[base.plan["kind"] == "ship_to_fba"]
    cap = int(ships["order_qty"].sum() // 2)
    res = rp.plan_replenishment(
        sample_data, as_of="2026-10-31", policy=rp.Policy(fba_capacity_units=cap), currency="USD"
    )
    kept = res.plan.loc[res.plan["kind"] == "ship_to_fba"]
    assert kept["order_qty"].sum() == cap
    cut = kept.loc[kept["capacity_cut"] > 0]
    full = kept.loc[(kept["capacity_cut"] == 0) & (kept["order_qty"] > 0)]
    assert cut["margin_per_unit"].max() <= full["margin_per_unit"].min()
    assert cut["why"].str.contains("capacity").all()


def _matrix(dates, units) -> rp.DemandMatrix:
    u = np.atleast_2d(np.asarray(units, dtype=float))
    return rp.DemandMatrix(pd.Index(["A"]), dates, u, np.ones_like(u, bool), True)


def test_seasonal_index_is_one_on_flat_demand_and_on_a_short_history():
    dates = pd.date_range("2025-01-01", "2026-10-31")
    flat = np.full(len(dates), 1000.0)
    flat[0] = 300.0  # a short first day does not make a season
    f = rp.forecast(_matrix(dates, flat), horizon_days=71)
    assert f["seasonal_index"].iloc[0] == pytest.approx(1.0, abs=1e-9)
    short = rp.forecast(_matrix(dates[-200:], flat[-200:]), horizon_days=71)
    assert short["seasonal_index"].iloc[0] == 1.0 and short["seasonal_source"].iloc[0] == "none"


def test_seasonal_index_across_a_year_end():
    # 1,000 a day; last December 2,000 a day and last January 500. Planning on 2025-11-30 for 60 days, the index
    # looks at 2024-12-02 … 2025-01-30 (52 weeks back): 30 days at 2,000 and 30 at 500 = 1,250 a day, over last
    # year's blended rate on 2024-12-01 (7/30/90 days: 8,000/7, 31,000/30, 91,000/90 → 1,048.57)
    dates = pd.date_range("2024-06-01", "2025-11-30")
    units = np.where(dates.month == 12, 2000.0, np.where(dates.month == 1, 500.0, 1000.0))
    units[dates >= "2025-02-01"] = 1000.0
    blend = 0.2 * 8000 / 7 + 0.5 * 31000 / 30 + 0.3 * 91000 / 90
    f = rp.forecast(_matrix(dates, units), horizon_days=60)
    assert f["seasonal_index"].iloc[0] == pytest.approx(
        1250 / blend, abs=0.005
    )  # 1.192 (volume-shrunk)
    assert f["seasonal_source"].iloc[0] == "sku"


def test_forecast_error_is_measured_on_the_skus_own_history():
    rng = np.random.default_rng(4)
    dates = pd.date_range("2025-10-01", periods=400)
    steady = rng.poisson(20.0, len(dates))
    jumpy = rng.poisson(
        20.0 * rng.choice([0.5, 1.5], len(dates) // 30 + 1).repeat(30)[: len(dates)]
    )
    m = rp.DemandMatrix(
        pd.Index(["steady", "jumpy"]),
        dates,
        np.vstack([steady, jumpy]).astype(float),
        np.ones((2, len(dates)), bool),
        True,
    )
    f = rp.forecast(m, horizon_days=51).set_index("sku")
    assert (
        f.loc["jumpy", "sigma_h"] > 3 * f.loc["steady", "sigma_h"]
    )  # level shifts are forecast error
    assert f.loc["steady", "sigma_h"] >= np.sqrt(51 * 20) * 0.9  # never below the day-to-day noise
    assert (f["error_origins"] == rp.DemandSettings().error_origins).all()


def test_notebook_parameters_are_the_dataclass_defaults():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = next(
        "".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    params: dict[str, object] = {}
    exec(code, {}, params)  # the parameters cell is literals only
    policy = rp.Policy.from_parameters(**params)
    assert policy == rp.Policy(), "notebook 05 and Policy disagree on a default"
    assert rp.LeadTimes.from_parameters(**params) == rp.LeadTimes()
    assert {k: params[k] for k in rp.LeadTimes().parameters()} == rp.LeadTimes().parameters()
    assert {k: params[k] for k in rp.Policy().parameters()} == rp.Policy().parameters()
    demand = rp.DemandSettings()
    assert rp.number_list(params["demand_windows"], kind=int) == demand.windows
    assert rp.number_list(params["window_weights"]) == demand.weights
    assert params["seasonality"] is demand.seasonality


def test_the_weekly_replay_conserves_units_and_beats_the_amazon_rule_on_stock():
    seller = rp.generated_seller("seasonal", n_skus=60, seed=3)
    res = {rule: rp.simulate(seller, rule) for rule in ("stockbook", "amazon")}
    for r in res.values():
        assert (r["served"] <= r["wanted"] + 1e-9).all() and (r["fba_units"] >= 0).all()
        assert (r["domestic_units"] >= 0).all()
    table = rp.summarise(seller, res).set_index(["rule", "abc_class"])
    assert table.loc[("stockbook", "A"), "fill_rate"] >= 0.95
    assert (
        table.loc[("stockbook", "all"), "avg_stock_value"]
        < table.loc[("amazon", "all"), "avg_stock_value"]
    )
    again = rp.summarise(seller, {"stockbook": rp.simulate(seller, "stockbook")}).set_index(
        ["rule", "abc_class"]
    )
    assert (
        again.loc[("stockbook", "all"), "avg_stock_value"]
        == table.loc[("stockbook", "all"), "avg_stock_value"]
    )


def test_notebook_04_parameters_are_the_clearance_terms_defaults():
    from stockbook.aging import ClearanceTerms

    path = NOTEBOOK.parent / "04_aging_clearance.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = next(
        "".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    params: dict[str, object] = {}
    exec(code, {}, params)
    assert ClearanceTerms.from_parameters(**params) == ClearanceTerms(), (
        "notebook 04 and ClearanceTerms disagree"
    )


MONEY_COLUMNS = (
    "goods_cost",
    "freight_cost",
    "margin_per_unit",
    "extra_air_freight",
    "margin_saved_by_air",
)


@pytest.mark.parametrize("currency", ["CNY", "EUR"])
def test_the_plan_in_any_currency_is_the_dollar_plan_converted(sample_data, currency):
    # the same decisions whatever the reporting currency: quantities, modes, dates and warnings equal, every
    # amount the dollar amount at the day's rate (the sample's own table: 1 USD = 8 CNY, 1 GBP = 1.25 USD; EUR
    # by the ECB from USD). Before the money parameters had a currency, a CNY plan read 7 "CNY" a kg of air.
    usd = rp.plan_replenishment(sample_data, as_of="2026-10-31", currency="USD").plan
    other = rp.plan_replenishment(sample_data, as_of="2026-10-31", currency=currency).plan
    rate = (
        rp.plan.rates_for(sample_data)
        .convert([1.0], ["USD"], currency, dates=["2026-10-31"])
        .amounts.iloc[0]
    )
    same = ["sku", "kind", "mode", "order_qty", "order_date", "arrival_date", "destination"]
    pd.testing.assert_frame_equal(usd[same], other[same])
    assert (usd["warning"] != "").sum() == (other["warning"] != "").sum() > 0
    for col in MONEY_COLUMNS:
        # each side rounded to its cents: at most half a cent of USD times the rate, plus half a cent
        assert (other[col] - usd[col] * rate).abs().max() <= 0.005 * rate + 0.005 + 1e-9, col


def test_freight_quoted_in_yuan_plans_as_the_same_quote_in_dollars(sample_data):
    # the sample's own table: 1 USD = 8 CNY on the planning day, so 56 CNY/kg and 1,600 CNY/m³ are 7 and 200 USD
    dollars = rp.plan_replenishment(sample_data, as_of="2026-10-31", currency="USD").plan
    yuan = rp.plan_replenishment(
        sample_data,
        as_of="2026-10-31",
        policy=rp.Policy(air_rate_per_kg=56.0, sea_rate_per_cbm=1600.0, freight_currency="CNY"),
        currency="USD",
    ).plan
    pd.testing.assert_frame_equal(dollars, yuan)


def _shipments(rows) -> pd.DataFrame:
    ship = pd.to_datetime([r[3] for r in rows])
    return pd.DataFrame(
        {
            "shipment_id": [f"FBA{i}" for i in range(len(rows))],
            "sku": [r[0] for r in rows],
            "destination": [r[1] for r in rows],
            "mode": "sea",
            "ship_date": ship,
            "received_date": ship + pd.to_timedelta([r[2] for r in rows], unit="D"),
            "units_shipped": 10,
            "units_received": 10,
        }
    )


def test_each_destination_keeps_its_own_voyage():
    """Five closed sea shipments to the US of 40 days and five to the UK (FBA-UK, 英国站, or a UK SKU sent to a
    fulfilment centre the text does not place) of 60 days: the US line haul is 40 − 4 customs − 7 check-in = 29
    days and the UK's 60 − 11 = 49; a marketplace with too few shipments keeps the parameters."""
    rows = [("A", "FBA-US", 40, f"2026-0{i + 1}-01") for i in range(5)]
    rows += [
        ("B", d, 60, f"2026-0{i + 1}-02")
        for i, d in enumerate(["FBA-UK", "英国站", "LTN4", "LTN4", "BHX4"])
    ]
    rows += [("C", "FBA-DE", 90, "2026-01-03")]
    leads = rp.calibrate_by_destination(
        rp.LeadTimes(),
        _shipments(rows),
        sku_marketplace=pd.Series({"A": "US", "B": "UK", "C": "DE"}),
        destinations=["US", "UK", "DE"],
    )
    assert (leads["US"].line_haul["sea"], leads["UK"].line_haul["sea"]) == (29.0, 49.0)
    assert leads["DE"] == rp.LeadTimes()


def test_a_uk_sku_is_planned_with_the_uk_voyage():
    """Two SKUs alike but for their marketplace, planned together: each purchase lands after its own
    marketplace's transit (the UK's line haul 50 days, the US's 30)."""
    a = _flat_inputs()
    m = a.matrix
    both = rp.DemandMatrix(
        pd.Index(["A", "B"], name="sku"),
        m.dates,
        np.vstack([m.units, m.units]),
        np.vstack([m.in_stock, m.in_stock]),
        True,
    )
    products = pd.concat([a.products, a.products.rename(index={"A": "B"})])
    position = pd.concat([a.position, a.position.rename(index={"A": "B"})])
    inputs = rp.PlanInputs(a.as_of, both, products, position, pd.Series({"A": "US", "B": "UK"}))
    us, uk = rp.LeadTimes(), rp.LeadTimes.from_parameters(sea_line_haul_days=50.0)
    skus, plan, _ = rp.plan_by_destination(
        inputs, leads={"US": us, "UK": uk}, policy=rp.Policy(fulfilment_fee=3.5), currency="USD"
    )
    sea = plan.loc[(plan["kind"] == "purchase") & (plan["mode"] == "sea")].set_index("sku")
    days = (sea["arrival_date"] - sea["order_date"]).dt.days
    # production (20 days) + warehouse door to sellable at FBA: 44 days to the US, 64 to the UK
    assert (days["A"], days["B"]) == (20 + 44, 20 + 64)
    assert skus.set_index("sku")["destination"].to_dict() == {"A": "US", "B": "UK"}
    assert set(plan.loc[plan["sku"] == "B", "destination"]) == {"UK"}


def test_the_network_safety_factor_counts_the_units_a_purchase_really_buys():
    """A purchase of a slow mover is its MOQ or case pack, not a week of demand: the shortage a fill-rate
    target allows per cycle is (1 − β) × those units, so the network's z falls when the MOQ forces months of
    stock (issue: z with a 7-day cycle). An MOQ under a cycle's demand (10 a day × 7 days = 70) changes
    nothing."""

    def z_network(moq: float) -> float:
        inputs = _flat_inputs()
        inputs.products["moq"] = moq
        skus, _, _ = rp.plan_orders(inputs, currency="USD")
        return float(skus.iloc[0]["z_network"])

    assert z_network(50.0) == z_network(0.0)
    assert z_network(2000.0) < z_network(0.0)


def test_sigma_counts_the_errors_of_origins_whose_forecast_was_zero():
    """A SKU that starts selling after months of nothing: the origins before it forecast 0 and their errors
    enter σ with their weights (they were added without them, inflating σ from 111 to 133 units here). σ is
    a weighted RMS of errors, each at most 10 a day × 14 days = 140 units."""
    from stockbook.replenish.demand import forecast

    T = 400
    u = np.zeros((1, T))
    u[0, 340:] = 10.0
    m = rp.DemandMatrix(
        pd.Index(["X"]), pd.date_range("2025-10-01", periods=T), u, np.ones_like(u, bool), True
    )
    sigma = float(forecast(m, horizon_days=14)["sigma_h"].iloc[0])
    assert sigma == pytest.approx(111.31, abs=0.01)


def test_a_plan_without_purchase_orders_says_it_may_buy_twice(tmp_path, sample_data):
    """The sample without its purchase orders (采购单): the plan cannot see the 370 units on order, and the
    check says so, naming the file that would fix it; with them, it says they are counted."""
    import shutil

    from stockbook import checks
    from stockbook.io import load_folder

    folder = tmp_path / "no_po"
    shutil.copytree(SAMPLE, folder)
    (folder / "purchases" / "采购单.csv").unlink()
    data = load_folder(folder, use_cache=False)
    res = rp.plan_replenishment(data, as_of="2026-10-31", currency="USD")
    (found,) = [f for f in checks.plan_checks(data, res) if f.check == "purchase_orders"]
    assert found.status == "warning" and "采购单" in found.message
    assert int(res.skus["on_order"].sum()) == 0
    full = rp.plan_replenishment(sample_data, as_of="2026-10-31", currency="USD")
    (ok,) = [f for f in checks.plan_checks(sample_data, full) if f.check == "purchase_orders"]
    assert ok.status == "ok" and ok.ours == int(full.skus["on_order"].sum()) == 370


def test_an_moq_that_buys_years_waits_while_the_stock_lasts():
    """SB-CAR-083's case: an MOQ of 2,500 for 10 units a day is 250 days of demand. With max_purchase_days=200
    and a position of 750 units (75 days, under the target 793 but beyond production 20 + sea 44 + review 7 =
    71 days) the purchase waits, a decision; at 710 units (71 days) it is bought. (A cycle service level:
    with a fill-rate target the MOQ's long cycle already lowers the target below the lead-time demand.)"""
    pol = rp.Policy(max_purchase_days=200, service_measure="cycle")

    def plan_at(domestic: int):
        inputs = _flat_inputs()
        inputs.products["moq"] = 2500.0
        inputs.position["domestic"] = domestic  # + 100 available + 50 inbound
        skus, plan, _ = rp.plan_orders(inputs, policy=pol, currency="USD")
        return skus.iloc[0], int(plan.loc[plan["kind"] == "purchase", "order_qty"].sum())

    r, bought = plan_at(600)
    assert (bought, r["held_qty"], r["order_up_to_network"]) == (0, 2500, 793)
    assert r["decision"] == (
        "purchase of 2,500 held: the MOQ or case pack buys 250 days of demand; the stock lasts 75 days, "
        "beyond the lead time and review (71 days)"
    )
    r, bought = plan_at(560)
    assert (bought, r["held_qty"], r["decision"]) == (2500, 0, "")
