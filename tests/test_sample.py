"""The bundled sample is what the generator writes, byte for byte, and it is realistic enough to matter."""

from __future__ import annotations

import hashlib

from conftest import SAMPLE
from stockbook.sample import write_sample


def _digests(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "README.md"}


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
