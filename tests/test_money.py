"""Money in the right currency: dated rates (ECB's, the seller's over them), conversion, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import Folder
from stockbook import abc, classes, money, schema
from stockbook.errors import StockbookError

OWN = pd.DataFrame(
    {
        "date": pd.to_datetime(["2026-10-01", "2026-10-01"]),
        "currency": ["CNY", "GBP"],
        "base": ["USD", "USD"],
        "rate": [0.14, 1.25],
        "source_file": "fx.csv",
        "source_line": [2, 3],
    }
)


def test_a_sku_bought_in_cny_and_sold_in_dollars_and_pounds():
    """71 CNY a unit; 10 sold in the US for $200 and 5 in the UK for £80, on the seller's own rates
    (1 CNY = 0.14 USD, 1 GBP = 1.25 USD). By hand: revenue 200 + 80 × 1.25 = 300; cost of sales
    15 × 71 × 0.14 = 149.10; gross profit 150.90 (before: 15 × 71 = 1,065 'dollars' of cost, a loss)."""
    sales = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-10", "2026-10-12"]),
            "sku": "A",
            "units": [10, 5],
            "revenue": [200.0, 80.0],
            "currency": ["USD", "GBP"],
        }
    )
    products = pd.DataFrame(
        {"sku": ["A"], "unit_cost": [71.0], "cost_currency": ["CNY"], "price_currency": ["USD"]}
    )
    rates = money.rates_for(Folder(fx_rates=OWN))
    got = classes.sku_measures(
        sales, products=products, start="2026-10-01", end="2026-10-31", currency="USD", rates=rates
    ).iloc[0]
    assert (got["revenue"], got["cogs"], got["gross_profit"]) == (300.0, 149.1, 150.9)
    value = abc.inventory_value(
        pd.DataFrame({"sku": ["A"], "units": [100]}),
        products,
        currency="USD",
        on="2026-10-31",
        rates=rates,
    )
    assert value["inventory_value"].tolist() == [994.0]  # 100 × 71 × 0.14


def test_the_sellers_own_rates_override_the_ecbs_and_the_used_rates_are_recorded():
    rates = money.rates_for(Folder(fx_rates=OWN))
    got = rates.convert([100.0, 100.0], ["CNY", "CNY"], "USD", dates=["2026-10-15", "2026-09-15"])
    assert got.amounts.round(4).tolist()[0] == 14.0  # the seller's rate from 1 October
    assert got.amounts.round(2).tolist()[1] != 14.0  # before it, the ECB's
    used = got.used.set_index("rate_date")
    assert used.loc[pd.Timestamp("2026-10-01"), "source"].startswith(
        "seller's rates (fx.csv line 2"
    )
    assert used.loc[pd.Timestamp("2026-09-15"), "source"] == "ECB reference rate"


def test_a_missing_or_stale_rate_is_an_error_that_says_how_to_supply_rates():
    rates = money.Rates.ecb()
    with pytest.raises(
        StockbookError, match="no exchange rate from XYZ to USD on 2026-10-01.*date, currency, rate"
    ):
        rates.convert([1.0], ["XYZ"], "USD", dates=["2026-10-01"])
    past = rates.last_date + pd.Timedelta(days=40)
    with pytest.raises(StockbookError, match="within 31 days"):
        rates.convert([1.0], ["CNY"], "USD", dates=[past])
    # a weekend or a holiday takes the latest earlier day, and says which
    sat = rates.convert([1.0], ["CNY"], "USD", dates=["2026-10-31"])
    assert str(sat.used["rate_date"].iloc[0].date()) == "2026-10-30"


def test_a_rate_written_the_other_way_round_is_refused():
    wrong = OWN.assign(
        currency=["USD", "GBP"], base=["CNY", "USD"], rate=[0.14, 1.25]
    )  # 1 USD = 0.14 CNY?
    with pytest.raises(StockbookError, match="fx.csv line 2.*other way"):
        money.rates_for(Folder(fx_rates=wrong))


def test_the_rates_a_report_uses_are_listed_for_run_json():
    products = pd.DataFrame(
        {"sku": ["A", "B"], "unit_cost": [71.0, 5.0], "cost_currency": ["CNY", "USD"]}
    )
    used = money.rates_used(
        Folder(products=products, fx_rates=OWN), currency="USD", on="2026-10-31"
    )
    assert used[["from_currency", "to_currency", "rate"]].values.tolist() == [["CNY", "USD", 0.14]]
    assert used["source"].iloc[0].startswith("seller's rates")
    assert not len(
        money.rates_used(Folder(products=products.iloc[1:]), currency="USD", on="2026-10-31")
    )


def test_a_sales_currency_follows_its_marketplace_when_the_file_does_not_say(tmp_path):
    from conftest import write_rows
    from stockbook.io import read_file

    p = write_rows(
        tmp_path / "sales.csv",
        ["Date", "SKU", "Units Sold", "Revenue", "Sales Channel"],
        [["2026-10-01", "A", 2, 20, "Amazon.co.uk"], ["2026-10-01", "A", 1, 12, "Amazon.com"]],
        sep=",",
    )
    d = read_file(p).data
    assert d[["marketplace", "currency"]].values.tolist() == [["UK", "GBP"], ["US", "USD"]]


def test_cost_of_sales_at_the_months_average_rate():
    """A SKU costing 70 CNY sells 2 units on 1 October (rate 0.14), 1 on 2 October (the 1st's rate still) and
    2 on 20 October (0.16): by day, 3 × 70 × 0.14 + 2 × 70 × 0.16 = 51.80 USD; by month, one rate for October,
    the average of its three sale days' rates."""
    own = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01", "2026-10-20"]),
            "currency": ["CNY", "CNY"],
            "base": ["USD", "USD"],
            "rate": [0.14, 0.16],
            "source_file": "fx.csv",
            "source_line": [2, 3],
        }
    )
    rates = money.rates_for(Folder(fx_rates=own))
    sales = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01", "2026-10-20", "2026-10-02"]),
            "sku": "A",
            "units": [2, 2, 1],
            "revenue": [40.0, 40.0, 20.0],
            "currency": "USD",
        }
    )
    products = pd.DataFrame({"sku": ["A"], "unit_cost": [70.0], "cost_currency": ["CNY"]})
    kw = {
        "products": schema.conform(products, schema.PRODUCTS),
        "start": "2026-10-01",
        "end": "2026-10-31",
        "currency": "USD",
        "rates": rates,
    }
    day = classes.sku_measures(sales, **kw).set_index("sku").loc["A", "cogs"]
    month = classes.sku_measures(sales, **kw, cost_rate="month").set_index("sku").loc["A", "cogs"]
    # by day: 2 × 70 × 0.14 + 1 × 70 × 0.14 (2 Oct takes 1 Oct's rate) + 2 × 70 × 0.16 = 19.6 + 9.8 + 22.4
    assert round(float(day), 2) == 51.80
    # by month: the three sale days' rates average (0.14 + 0.14 + 0.16) / 3; 5 units × 70 × that
    assert round(float(month), 2) == round(5 * 70 * (0.14 + 0.14 + 0.16) / 3, 2)


def test_the_sellers_rates_are_crossed_through_their_base_before_the_ecbs():
    # the seller quotes CNY and GBP in USD: 1 GBP = 1.25 USD, 1 CNY = 0.14 USD, so 1 GBP = 1.25 / 0.14 CNY by
    # their own table; the ECB's GBP/CNY would mix two rate sources in one pack
    rates = money.rates_for(Folder(fx_rates=OWN))
    got = rates.convert([14.0], ["GBP"], "CNY", dates=["2026-10-15"])
    assert got.amounts.iloc[0] == pytest.approx(14.0 * 1.25 / 0.14)
    assert got.used["source"].iloc[0] == (
        "seller's rates, crossed through USD (fx.csv line 3 ÷ fx.csv line 2)"
    )
    # a currency the seller's table does not hold (EUR): their CNY → USD, then the ECB's USD → EUR
    ecb_usd_eur = money.Rates.ecb().convert([1.0], ["USD"], "EUR", dates=["2026-10-15"])
    eur = rates.convert([100.0], ["CNY"], "EUR", dates=["2026-10-15"])
    assert eur.amounts.iloc[0] == pytest.approx(100 * 0.14 * ecb_usd_eur.amounts.iloc[0])
    assert eur.used["source"].iloc[0] == (
        "seller's rates (fx.csv line 2) × ECB reference rate USD→EUR"
    )


def test_money_parameters_are_restated_in_the_reporting_currency_by_their_own_currency():
    from stockbook.reimburse import ClaimTerms
    from stockbook.replenish import Policy

    rates = money.rates_for(Folder(fx_rates=OWN))
    # a forwarder's quote in CNY: 50 CNY a kg at 0.14 = 7.00 USD; the fee stays in dollars
    p = money.restate(
        Policy(
            air_rate_per_kg=50.0,
            sea_rate_per_cbm=1000.0,
            freight_currency="RMB",
            fulfilment_fee=3.5,
        ),
        to="USD",
        on="2026-10-31",
        rates=rates,
    )
    assert (p.air_rate_per_kg, p.sea_rate_per_cbm, p.fulfilment_fee) == (7.0, 140.0, 3.5)
    assert (p.freight_currency, p.fee_currency) == ("USD", "USD")
    assert money.restate(p, to="USD", on="2026-10-31", rates=rates) == p  # twice changes nothing
    gbp = money.restate(
        ClaimTerms(fulfilment_fee=2.5, fee_currency="GBP"), to="CNY", on="2026-10-31", rates=rates
    )
    assert gbp.fulfilment_fee == pytest.approx(2.5 * 1.25 / 0.14, abs=1e-6)
    with pytest.raises(StockbookError, match="fulfilment_fee .* has no currency: set fee_currency"):
        money.restate(ClaimTerms(fee_currency=""), to="USD", on="2026-10-31", rates=rates)


def test_the_sample_pack_in_yuan_is_the_dollar_pack_converted(sample_data):
    # the same A SKUs, and every money headline of notebooks 01, 03, 04 and 06 in CNY is the USD one at the sample's own rate
    # (1 USD = 8 CNY all year, so no day's rate differs from another's); notebook 05's plan is checked line by
    # line in test_replenish.
    from stockbook import aging, ledger, reimburse, turnover

    def headlines(currency):
        return {
            "01": ledger.reconciliation_pack(
                sample_data, period_end="2026-10-31", currency=currency
            ).headlines(),
            "02": abc.abc_pack(sample_data, period_end="2026-10-31", currency=currency).headlines(),
            "03": turnover.turnover_pack(
                sample_data, period_end="2026-10-31", currency=currency
            ).headlines(),
            "04": aging.aging_pack(sample_data, as_of="2026-10-31", currency=currency).headlines(),
            "06": reimburse.reimbursement_pack(
                sample_data, as_of="2026-10-31", currency=currency
            ).headlines(),
        }

    usd, cny = headlines("USD"), headlines("CNY")
    money_keys = {
        "01": ("break_value",),
        "02": (),  # shares and counts: the A SKUs (a UK SKU's pounds once went to CNY by the ECB's rate)
        "03": ("cash_tied_up",),
        "04": (
            "storage_fee_next_month",
            "surcharge_exposure_90d",
            "cash_from_clearing",
            "fees_avoided",
        ),
        "06": ("recoverable_now", "reimbursed_this_month", "lost_to_expired_windows"),
    }
    for nb, keys in money_keys.items():
        for k in keys:
            assert usd[nb][k] > 0, (nb, k)  # a zero would prove nothing
            # amounts rounded to cents per unit or per row before they are summed: a few cents in ten thousand
            assert cny[nb][k] == pytest.approx(usd[nb][k] * 8, rel=1e-4, abs=0.05), (nb, k)
        units = {k: v for k, v in usd[nb].items() if k not in keys and isinstance(v, int)}
        assert units == {k: cny[nb][k] for k in units}, nb  # counts and units do not move
