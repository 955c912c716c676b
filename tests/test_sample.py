"""The bundled sample is what the generator writes, byte for byte, and it is realistic enough to matter."""

from __future__ import annotations

import hashlib

from conftest import SAMPLE
from stockbook.sample import write_sample


def _digests(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def test_generator_is_deterministic_and_matches_the_committed_sample(tmp_path):
    key = write_sample(tmp_path / "a", seed=7)
    assert _digests(tmp_path / "a") == _digests(SAMPLE)
    assert key["period_end"] == "2026-10-31"


def test_sample_shape(sample_data):
    led = sample_data["ledger"]
    assert led["sku"].nunique() >= 150
    assert led["period_start"].dt.to_period("M").nunique() == 15
    assert set(led["location_class"]) == {"domestic", "fba"}
    ships = sample_data["shipments"]
    assert set(ships["mode"]) == {"sea", "air"}
    assert ships["received_date"].isna().any()  # some stock is in transit at the period end
    sales = sample_data["sales"]
    assert sales.groupby(["sku", "date"]).size().max() == 1  # one row per SKU and day
    assert (sales["available"] == 0).sum() == answer_key_stockouts()  # stock-out days are visible
    assert len(sample_data["receipts"]) > 100 and (sample_data["receipts"]["units"] > 0).all()
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 8_000_000


def answer_key_stockouts() -> int:
    import json

    return json.loads((SAMPLE / "answer_key.json").read_text(encoding="utf-8"))["stockout_days"]


def test_the_sample_has_two_marketplaces_costs_in_rmb_and_converts_by_the_sellers_rates(
    sample_data, answer_key
):
    """The UK SKUs' revenue in dollars is their pounds × 1.25 (the seller's rate), their stock value is the RMB
    cost × 0.125 × units; the US numbers are what they were with dollar costs (8.00 RMB a dollar is exact)."""
    import pandas as pd
    from stockbook import aging, classes, money, turnover

    assert sample_data.marketplaces() == answer_key["marketplaces"] == ["US", "UK"]
    uk = answer_key["uk"]
    sales = sample_data["sales"]
    uk_sales = sales.loc[sales["marketplace"] == "UK"]
    assert (
        set(uk_sales["sku"]) == set(uk["skus"])
        and int(uk_sales["units"].sum()) == uk["sales_units"]
    )
    m = classes.sku_measures(
        sales,
        products=sample_data["products"],
        start="2025-11-01",
        end="2026-10-31",
        currency="USD",
        rates=money.rates_for(sample_data),
    ).set_index("sku")
    by_hand = (
        uk_sales.loc[uk_sales["date"] > pd.Timestamp("2025-10-31")].groupby("sku")["revenue"].sum()
        * 1.25
    )
    assert (m.loc[by_hand.index, "revenue"] - by_hand).abs().max() < 0.01
    res = aging.aging_pack(sample_data, as_of="2026-10-31", currency="USD")
    split = res.by_marketplace().set_index("marketplace")
    assert int(split.loc["UK", "fba_units"]) == uk["fba_units"]
    cost = sample_data["products"].drop_duplicates("sku").set_index("sku")["unit_cost"]
    b = res.buckets.loc[res.buckets["marketplace"] == "UK"]
    assert (
        abs(float((b["units"] * b["sku"].map(cost) * 0.125).sum()) - split.loc["UK", "stock_value"])
        < 0.05
    )
    cash = turnover.by_marketplace(sample_data, period_end="2026-10-31", currency="USD")
    whole = turnover.turnover_pack(
        sample_data, period_end="2026-10-31", currency="USD"
    ).headlines()["cash_tied_up"]
    assert abs(cash["cash_tied_up"].sum() - whole) < 0.05  # the marketplaces add up to the business
