"""Files other people published (a real seller's 进销存, an Indian seller's exports): stockbook's headlines
against a recomputation in plain pandas from the raw files, by a route that shares no code with stockbook.

The folders are not in this repository (they are not ours to ship); the tests run where the workplace keeps
them (``$STOCKBOOK_REAL_WORLD``, or ``shared/real-world`` beside the checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from stockbook import abc, turnover
from stockbook.io import load_folder

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = [
    Path(os.environ.get("STOCKBOOK_REAL_WORLD", "")),
    ROOT.parent / "shared" / "real-world",
    Path("/work/shared/real-world"),
]
REAL = next(
    (p for p in CANDIDATES if str(p) not in ("", ".") and (p / "cn_erp_fotolei_real").is_dir()),
    None,
)
needs_real = pytest.mark.skipif(
    REAL is None,
    reason="the published real-world files are not on this machine "
    "(set STOCKBOOK_REAL_WORLD to their folder)",
)


def _by_hand(folder: Path) -> dict:
    """The three monthly 进销存 read as a person would: blanks are 0, kit rows (both balances blank) hold no
    stock, a SKU without a row in a month did not move, so its stock is its last row's."""
    rows = []
    for month in (2, 3, 4):
        f = pd.read_csv(
            folder / f"2022.0{month}进销存报表.csv", dtype={"规格编码": str}, encoding="utf-8-sig"
        )
        f["m"] = month
        rows.append(f)
    a = pd.concat(rows, ignore_index=True)
    kit = a["起始库存数量"].isna() & a["截止库存数量"].isna() & (a["销售数量"].fillna(0) != 0)
    a = a.loc[~kit]
    sold = a.groupby("规格编码")["销售数量"].sum()
    last = a.sort_values("m").groupby("规格编码").last()
    stock = last["截止库存数量"].fillna(0)
    dead = sorted(stock.index[(stock > 0) & (sold.reindex(stock.index).fillna(0) == 0)])
    ranked = sold[sold > 0].sort_values(ascending=False)
    share = ranked / ranked.sum()
    before = share.cumsum() - share
    # a tie takes its first member's position, as stockbook documents (A while the SKUs above hold < 80 %)
    first_of_tie = before.groupby(ranked.values).transform("min")
    a_class = set(ranked.index[first_of_tie.round(12) < 0.8])
    return {
        "units": int(sold.sum()),
        "dead": dead,
        "top10": list(ranked.sort_index().sort_values(ascending=False, kind="stable").index[:10]),
        "a": a_class,
        "stock_skus": int((stock > 0).sum()),
    }


@needs_real
def test_the_real_sellers_headlines_against_a_recomputation_by_hand():
    folder = REAL / "cn_erp_fotolei_real"
    hand = _by_hand(folder)
    data = load_folder(folder)
    res = abc.abc_pack(data, period_end="2022-04-30", currency="USD")
    c = res.classes.set_index("sku")
    assert (
        int(c["units"].sum()) == hand["units"] == 44_300
    )  # 45,569 with the kits' 1,269, set aside
    assert sorted(c.index[c["dead_stock"]]) == hand["dead"] and len(hand["dead"]) == 28
    t = turnover.turnover_pack(data, period_end="2022-04-30", currency="USD")
    assert sorted(t.dead_stock["sku"]) == hand["dead"] and t.dead_days_seen == 89
    top = c.loc[c["units"] > 0].sort_values(["units"], ascending=False, kind="stable")
    assert set(top.index[:10]) == set(hand["top10"])
    assert set(c.index[c["abc_class"] == "A"]) == hand["a"]
    assert (c.loc[hand["top10"], "abc_class"] == "A").all()
    assert res.measure == "units"  # its money states no currency


@needs_real
def test_the_indian_sellers_rupees_are_not_dollars():
    data = load_folder(REAL / "kaggle_amazon_in")
    notes = data.files.set_index("file")["note"]
    assert "money in INR" in notes["Amazon Sale Report (excerpt).csv"]
    assert "states no currency" in notes["International sale Report (first 1199 rows).csv"]
    res = abc.abc_pack(data, period_end="2022-04-30", currency="USD")
    wholesale = pd.read_csv(
        REAL / "kaggle_amazon_in" / "International sale Report (first 1199 rows).csv"
    )
    gross = pd.to_numeric(wholesale["GROSS AMT"], errors="coerce").sum()
    assert gross > 1_000_000  # about ₹1.3 M of wholesale …
    assert float(res.classes["revenue"].sum()) < 1_000 and not np.isclose(
        res.classes["revenue"].sum(), gross
    )


@needs_real
def test_the_plan_on_third_party_fixtures_compares_with_amazons_restock():
    """The published fixtures (a Restock report beside a ledger with blanks) once stopped notebook 05 with a
    numpy error: a rate compared with an unknown (a nullable NA) gave NA, not False, to ``np.select``. The plan
    now runs and every line of its comparison with Amazon's Restock report says why it differs."""
    from stockbook import replenish
    from stockbook.io import load_folder

    res = replenish.plan_replenishment(
        load_folder(REAL / "thirdparty_fixtures"), as_of="2026-05-31", currency="USD"
    )
    assert len(res.restock_check) and res.restock_check["why"].notna().all()


@needs_real
def test_the_reimbursement_audit_on_third_party_fixtures_by_hand():
    """The published ledger fixture (one US SKU: receipts 2, shipped 1, returned 1, lost 1 on 13 May 2026) has
    no Reimbursements report: its lost unit is named as not audited, and its error rate is 1 ÷ (2 + 1 + 1) ×
    1,000 = 250 per 1,000, lost and damaged only (no returns report)."""
    from stockbook import reimburse
    from stockbook.io import load_folder

    res = reimburse.reimbursement_pack(
        load_folder(REAL / "thirdparty_fixtures"), as_of="2026-05-31", currency="USD"
    )
    assert res.notes[0] == (
        "US not audited: add its Reimbursements report (1 lost, 0 damaged and 0 found units in its ledger)"
    )
    rate = res.error_rates.iloc[0]
    assert (rate["handled_units"], rate["error_units"], rate["fba_errors_per_1000"]) == (
        4,
        1,
        250.0,
    )
    assert not rate["returns_read"] and not len(res.claims)
