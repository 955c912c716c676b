"""Fee tables: hand-priced storage, every surcharge tier with its minimum, rate changes, overrides."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import Folder, write_rows
from stockbook import fees
from stockbook.errors import InputError
from stockbook.fees import fulfilment_fees, load_fee_table, net_per_unit, vat_rates
from stockbook.io import read_file
from stockbook.money import Rates, rates_for
from stockbook.replenish.plan import plan_replenishment
from stockbook.stock import unit_fees


@pytest.fixture(scope="module")
def t():
    return fees.load_fee_tables()


def test_storage_in_january_and_november(t):
    # 200 units × 0.5 cu ft, standard: 100 cu ft × 0.78 in January, × 2.40 in November
    got = fees.monthly_storage_fee(
        t,
        month=["2026-01-01", "2026-11-01"],
        units=[200, 200],
        cubic_feet=[0.5, 0.5],
        size_tier=["standard", "Large Standard-Size"],
    )
    assert got.tolist() == [78.0, 240.0]
    # 10 large bulky units × 3 cu ft: 30 × 0.56 and 30 × 1.40
    got = fees.monthly_storage_fee(
        t,
        month=["2026-01-01", "2026-11-01"],
        units=[10, 10],
        cubic_feet=[3, 3],
        size_tier=["Large Bulky", "large_bulky"],
    )
    assert got.tolist() == [16.8, 42.0]


def test_storage_before_and_after_the_april_2024_change(t):
    got = fees.monthly_storage_fee(
        t,
        month=["2024-03-01", "2024-04-01"],
        units=[100, 100],
        cubic_feet=[0.2, 0.2],
        size_tier=["standard", "standard"],
    )
    assert got.tolist() == [17.4, 15.6]  # 20 cu ft × 0.87, then × 0.78


@pytest.mark.parametrize(
    ("age", "tier", "amount"),
    [
        (180, "", 0.0),
        (181, "181-210", 5.0),
        (210, "181-210", 5.0),
        (211, "211-240", 10.0),
        (241, "241-270", 15.0),
        (271, "271-300", 54.5),
        (301, "301-330", 57.0),
        (331, "331-365", 59.0),
        (365, "331-365", 59.0),
        (366, "366-455", 69.0),
        (455, "366-455", 69.0),
        (456, "456+", 79.0),
        (900, "456+", 79.0),
    ],
)
def test_every_surcharge_tier_for_ten_units_of_one_cubic_foot(t, age, tier, amount):
    got = fees.aged_surcharge(
        t, snapshot="2026-02-15", age_days=[age], units=[10], cubic_feet=[1.0]
    ).iloc[0]
    assert (got["tier"], got["amount"]) == (tier, amount)


def test_per_unit_minimum_applies_to_small_items(t):
    # 0.02 cu ft: 6.90 × 0.02 = 0.138 < 0.30 minimum; 7.90 × 0.02 = 0.158 < 0.35 minimum
    got = fees.aged_surcharge(
        t,
        snapshot="2026-03-15",
        age_days=[400, 500, 300],
        units=[10, 10, 10],
        cubic_feet=[0.02, 0.02, 0.02],
    )
    assert got["amount"].tolist() == [
        3.0,
        3.5,
        1.09,
    ]  # the 271–300 tier has no minimum: 5.45 × 0.2 = 1.09


def test_surcharge_before_and_after_rate_changes(t):
    # the 2024 schedule: one 365+ tier, 0.15 per-unit minimum; from 2026-01-15: 456+ at 0.35
    before = fees.aged_surcharge(
        t, snapshot="2025-12-15", age_days=[500], units=[10], cubic_feet=[0.02]
    ).iloc[0]
    after = fees.aged_surcharge(
        t, snapshot="2026-01-15", age_days=[500], units=[10], cubic_feet=[0.02]
    ).iloc[0]
    assert (before["tier"], before["amount"]) == ("365+", 1.5)
    assert (after["tier"], after["amount"]) == ("456+", 3.5)
    # 2023 schedule: 271–300 at 3.80 before the 2024 schedule's 5.45
    old = fees.aged_surcharge(
        t, snapshot="2023-06-15", age_days=[280], units=[1], cubic_feet=[1.0]
    ).iloc[0]
    assert old["amount"] == 3.8


def test_removal_fees_by_weight_and_date(t):
    assert fees.removal_fee(
        t, date="2025-12-31", weight_lb=[0.3], size_tier=["standard"]
    ).tolist() == [1.04]
    assert fees.removal_fee(
        t, date="2026-01-15", weight_lb=[0.3], size_tier=["standard"]
    ).tolist() == [0.84]
    got = fees.removal_fee(
        t,
        date="2026-06-01",
        weight_lb=[0.5, 1.0, 3.0, 0.8, 12.0],
        size_tier=["standard", "standard", "standard", "large_bulky", "large_bulky"],
    )
    # 0.5 lb is in 0–0.5; 3 lb = 2.89 + 1.06 × 1; 12 lb bulky = 14.32 + 1.06 × 2
    assert got.tolist() == [0.84, 1.53, 3.95, 3.12, 16.44]


def test_liquidation_value(t):
    # 100 × 20 × 7.5 % = 150 recovered, less 15 % referral = 127.50, less 100 × 0.50 processing
    assert fees.liquidation_value(
        t, date="2026-10-31", units=[100], price=[20.0], size_tier=["standard"]
    ).tolist() == [77.5]
    assert fees.liquidation_value(
        t, date="2026-10-31", units=[100], price=[20.0], size_tier=["standard"], recovery_rate=0.10
    ).tolist() == [120.0]


def test_a_seller_overrides_one_table(tmp_path, t):
    (tmp_path / "storage_rates.csv").write_text(
        "effective_from,marketplace,currency,size_class,months,rate_per_cubic_foot,source\n"
        "2020-01-01,US,USD,standard,1-9,1.00,my contract\n2020-01-01,US,USD,standard,10-12,3.00,my contract\n"
        "2020-01-01,US,USD,large_bulky,1-9,0.50,my contract\n"
        "2020-01-01,US,USD,large_bulky,10-12,1.00,my contract\n",
        encoding="utf-8",
    )
    mine = fees.load_fee_tables(override_dir=tmp_path)
    assert fees.storage_rate(mine, dates=["2026-11-01"], size_tier=["standard"]).tolist() == [3.0]
    assert (
        mine.files["storage"].startswith(str(tmp_path))
        and mine.files["surcharge"] == t.files["surcharge"]
    )


def test_bad_fee_table_names_file_and_column(tmp_path):
    (tmp_path / "aged_surcharge.csv").write_text(
        "effective_from,min_age_days\n2026-01-15,181\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as e:
        fees.load_fee_tables(override_dir=tmp_path)
    assert "aged_surcharge.csv" in str(e.value) and "max_age_days" in str(e.value)
    with pytest.raises(ValueError, match="no fee schedule in force"):
        fees.storage_rate(
            fees.load_fee_tables(), dates=[pd.Timestamp("2019-01-01")], size_tier=["standard"]
        )


def test_uk_and_eu_storage_by_hand_in_their_own_currency(t):
    # UK: 100 units x 0.5 cu ft = 50 cu ft x 0.71 GBP in January, x 1.00 in November
    uk = fees.for_marketplace(t, "UK")
    got = fees.monthly_storage_fee(
        uk,
        month=["2026-01-01", "2026-11-01"],
        units=[100, 100],
        cubic_feet=[0.5, 0.5],
        size_tier=["standard", "standard"],
    )
    assert (uk.currency, got.tolist()) == ("GBP", [35.5, 50.0])
    # DE: 50 cu ft = 1.41584 cubic metres x 27.82 EUR = 39.39
    de = fees.for_marketplace(t, "DE")
    got = fees.monthly_storage_fee(
        de, month=["2026-01-01"], units=[100], cubic_feet=[0.5], size_tier=["standard"]
    )
    assert (de.currency, got.tolist()) == ("EUR", [round(50 * 0.028316846592 * 27.82, 2)])


def test_uk_surcharge_only_past_365_days_with_its_minimum(t):
    uk = fees.for_marketplace(t, "UK")
    got = fees.aged_surcharge(
        uk,
        snapshot="2026-02-15",
        age_days=[300, 400, 400],
        units=[10, 10, 10],
        cubic_feet=[1.0, 1.0, 0.01],
    )
    # 300 days: no UK tier; 400 days: 10 x 4.30; a tiny unit pays the 0.10 minimum
    assert got["amount"].tolist() == [0.0, 43.0, 1.0]


def test_converted_to_the_reporting_currency_and_a_marketplace_without_tables(t):
    uk = fees.for_marketplace(t, "UK", currency="USD", rate=1.25)
    got = fees.monthly_storage_fee(
        uk, month=["2026-11-01"], units=[100], cubic_feet=[0.5], size_tier=["standard"]
    )
    assert (uk.currency, got.tolist()) == ("USD", [62.5])  # 50 GBP x 1.25
    jp = fees.for_marketplace(t, "JP")
    assert fees.missing_tables(jp) == ["surcharge", "removal", "liquidation"]
    assert fees.aged_surcharge(
        jp, snapshot="2026-02-15", age_days=[500], units=[10], cubic_feet=[1.0]
    )["amount"].tolist() == [0.0]
    br = fees.for_marketplace(t, "BR")
    assert fees.missing_tables(br) == ["storage", "surcharge", "removal", "liquidation"]


def test_a_table_that_does_not_say_its_marketplace_and_currency_is_refused(tmp_path):
    """The earlier US-only form had no marketplace or currency: it is not taken to be dollars, the file,
    line and column are named; a blank cell is named by its line."""
    (tmp_path / "storage_rates.csv").write_text(
        "effective_from,size_class,months,rate_per_cubic_foot,source\n"
        "2020-01-01,standard,1-9,1.00,mine\n2020-01-01,standard,10-12,3.00,mine\n"
    )
    with pytest.raises(InputError) as e:
        fees.load_fee_tables(override_dir=tmp_path)
    assert "storage_rates.csv" in str(e.value) and e.value.column == "marketplace"
    (tmp_path / "storage_rates.csv").write_text(
        "effective_from,marketplace,currency,size_class,months,rate_per_cubic_foot,source\n"
        "2020-01-01,US,USD,standard,1-9,1.00,mine\n2020-01-01,US,,standard,10-12,3.00,mine\n"
    )
    with pytest.raises(InputError) as e:
        fees.load_fee_tables(override_dir=tmp_path)
    assert (e.value.line, e.value.column) == (3, "currency")


def test_an_unknown_volume_unit_names_the_file_line_and_column(tmp_path):
    (tmp_path / "storage_rates.csv").write_text(
        "effective_from,marketplace,currency,size_class,months,rate,per_volume,source\n"
        "2020-01-01,UK,GBP,standard,1-9,0.71,cubic_foot,x\n2020-01-01,UK,GBP,standard,10-12,1.0,cubic_yard,x\n"
    )
    with pytest.raises(InputError) as e:
        fees.load_fee_tables(override_dir=tmp_path)
    assert e.value.line == 3 and e.value.column == "per_volume"


# --- fulfilment fees per SKU and VAT (known answers worked by hand from the tables' rows) --------------------


def test_fulfilment_fees_by_tier_shipping_weight_and_price_band():
    f = fulfilment_fees(
        load_fee_table("fulfilment_fees.csv"),
        marketplace=["US", "US", "US", "UK", "UK", "US"],
        size_tier=[
            "Large Bulky",
            "Large Standard-Size",
            "Large Standard-Size",
            "standard",
            "large_bulky",
            "x",
        ],
        weight_lb=[16.17, 0.5, 0.5, 2.82, 10.0, 1.0],
        cubic_feet=[3.928, 0.01, 0.01, 0.18, 2.0, 0.1],
        price=[17.74, 20.0, 60.0, 7.32, 30.0, 20.0],
        on="2026-10-31",
    )
    # large bulky ships at its dimensional weight 3.928 × 1728 ÷ 139 = 48.83 lb: 9.35 + ⌈48.83 − 1⌉ × 0.38
    assert f["fee"][0] == round(9.35 + 48 * 0.38, 2) == 27.59
    # 0.5 lb = 8 oz, light and small enough that the unit weight counts: the (4, 8] oz row, 10–50 and over-50
    assert f["fee"][1] == 3.95 and f["fee"][2] > f["fee"][1]
    # UK, no dimensions: a standard parcel at max(2.82 lb, 0.18 ft³ ÷ 5000 cm³/kg = 2.25 lb) = 1,279 g: (900, 1400]
    assert f["fee"][3] == 3.26 and f["currency"][3] == "GBP" and "upper bound" in f["fee_note"][3]
    # a UK bulky item without its dimensions, and a tier nobody names, are listed with no fee
    assert pd.isna(f["fee"][4]) and "dimensions" in f["fee_note"][4]
    assert pd.isna(f["fee"][5])


def test_the_fee_in_force_is_the_one_of_the_day():
    args = dict(
        marketplace=["US"],
        size_tier=["Large Bulky"],
        weight_lb=[5.0],
        cubic_feet=[0.1],
        price=[20.0],
    )
    t = load_fee_table("fulfilment_fees.csv")
    before, after = (
        fulfilment_fees(t, **args, on=d)["fee"][0] for d in ("2025-06-30", "2026-06-30")
    )
    # 2024-04-15 table: 9.61 + ⌈5 − 1⌉ × 0.38; 2026-01-15 table: 9.35 + 4 × 0.38
    assert (before, after) == (round(9.61 + 4 * 0.38, 2), round(9.35 + 4 * 0.38, 2))


def test_net_per_unit_takes_vat_out_of_the_price_but_not_out_of_the_referral_fee():
    vat = vat_rates(
        load_fee_table("vat_rates.csv"), marketplace=["UK", "DE", "US"], on="2026-10-31"
    )
    net = net_per_unit(
        [120.0, 119.0, 100.0], vat_rate=vat, referral_rate=0.15, fulfilment_fee=[3.0, 3.0, 3.0]
    )
    # 120 ÷ 1.2 − 18 − 3; 119 ÷ 1.19 − 17.85 − 3; 100 − 15 − 3
    assert net.round(2).tolist() == [79.0, 79.15, 82.0]


def test_the_uk_purchase_line_that_loses_money_net_of_vat_is_flagged(sample_data):
    """UK-SB-OFF-003 sells at 7.32 GBP and cost 22.00 CNY (master). Net of 20 % VAT, 15 % referral on the gross
    price and the UK standard-parcel fee (3.26 GBP), it brings less than its landed cost: before VAT and the fee
    table it showed +0.51 a unit."""
    res = plan_replenishment(sample_data, as_of="2026-10-31", currency="USD")
    gbp = float(
        rates_for(sample_data).convert([1.0], ["GBP"], "USD", dates=["2026-10-31"]).amounts[0]
    )
    price = 7.32 * gbp
    net = price / 1.2 - 0.15 * price - round(3.26 * gbp, 2)
    sku = res.skus.set_index("sku").loc["UK-SB-OFF-003"]
    assert sku["net_per_unit"] == pytest.approx(net, abs=0.01)
    # it loses money: not planned, a decision that says by how much
    assert sku["margin_per_unit_sea"] == pytest.approx(net - sku["landed_cost_sea"], abs=0.01)
    assert sku["margin_per_unit_sea"] < 0 and sku["held_kind"] == "purchase"
    loss = f"{-sku['margin_per_unit_sea']:,.2f}"
    assert sku["decision"].startswith(
        f"purchase of {sku['held_qty']:,} not planned: each unit loses {loss} USD"
    )
    assert not len(
        res.plan.loc[(res.plan["sku"] == "UK-SB-OFF-003") & (res.plan["kind"] == "purchase")]
    )


def test_a_reduced_vat_rate_in_the_master_overrides_the_marketplace_s(tmp_path):
    """A UK children's item at 0 % and a German book at 7 % (written 7): their own rates; the rest the
    marketplace's standard one. Read from a master headed 增值税率, as a Chinese ERP exports it."""
    path = write_rows(
        tmp_path / "商品资料.csv",
        ["SKU", "售价", "售价币种", "尺寸分段", "重量(磅)", "体积(立方英尺)", "增值税率"],
        [
            ["UK-KID", 10, "GBP", "standard", 1.0, 0.1, 0],
            ["DE-BOOK", 10, "EUR", "standard", 1.0, 0.1, 7],
            ["UK-TOY", 10, "GBP", "standard", 1.0, 0.1, ""],
        ],
        sep=",",
    )
    products = read_file(path).data
    unit = unit_fees(
        Folder(products=products),
        products,
        pd.Series({"UK-KID": "UK", "DE-BOOK": "DE", "UK-TOY": "UK"}),
        as_of=pd.Timestamp("2026-10-31"),
        currency="GBP",
        rates=Rates.ecb(),
    )
    assert unit["vat_rate"].to_dict() == {"UK-KID": 0.0, "DE-BOOK": 0.07, "UK-TOY": 0.2}
