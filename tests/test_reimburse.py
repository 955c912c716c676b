"""What Amazon owes: known answers for every kind of case on tiny hand-made frames, the conservation law
lost = found + reimbursed + open + expired as a property, and the sample's injected cases found (and
nothing else)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import fees, reimburse

W = fees.load_claim_windows()


def _losses(rows):
    return pd.DataFrame(
        [
            {
                "sku": s,
                "marketplace": "US",
                "fnsku": "X" + s,
                "reference": None,
                "source": "detail",
                "date": pd.Timestamp(d),
                "kind": k,
                "units": u,
            }
            for s, d, k, u in rows
        ]
    )


def _paid(rows):
    return pd.DataFrame(
        [
            {"sku": s, "marketplace": "US", "reimbursed_units": r, "reversed_units": v}
            for s, r, v in rows
        ],
        columns=["sku", "marketplace", "reimbursed_units", "reversed_units"],
    )


def test_a_lost_unit_never_reimbursed_is_open_and_an_old_one_expired():
    """A: 2 lost in May (window closed 30 June), 3 in October (open to 9 December), none found or paid."""
    per, owed = reimburse.warehouse_audit(
        _losses([("A", "2026-05-01", "lost", 2), ("A", "2026-10-10", "lost", 3)]),
        _paid([]),
        as_of="2026-10-31",
        windows=W,
    )
    row = per.iloc[0]
    assert (row["lost_units"], row["open_units"], row["expired_units"]) == (5, 3, 2)
    assert owed.set_index("date").loc["2026-10-10", "last_day"] == pd.Timestamp("2026-12-09")


def test_reimbursements_pay_the_oldest_losses_first():
    """4 lost in May, 3 in October, 4 reimbursed: the 3 October units are owed, and open."""
    per, _ = reimburse.warehouse_audit(
        _losses([("A", "2026-05-01", "lost", 4), ("A", "2026-10-10", "damaged", 3)]),
        _paid([("A", 4, 0)]),
        as_of="2026-10-31",
        windows=W,
    )
    assert per.iloc[0][["reimbursed_counted", "open_units", "expired_units"]].tolist() == [4, 3, 0]


def test_a_found_unit_whose_reimbursement_was_not_reversed():
    """3 lost, 1 found, 3 reimbursed, none reversed: one unit both found and paid for."""
    per, _ = reimburse.warehouse_audit(
        _losses([("A", "2026-10-01", "lost", 3), ("A", "2026-10-20", "found", 1)]),
        _paid([("A", 3, 0)]),
        as_of="2026-10-31",
        windows=W,
    )
    row = per.iloc[0]
    assert (row["found_not_reversed"], row["open_units"], row["reversal_without_found"]) == (
        1,
        0,
        0,
    )


def test_a_reversal_with_no_unit_found_is_claimed_once():
    """2 lost, 2 reimbursed, 1 reversed, none found: the reversal is wrongful (1 unit) and the lost units are
    not claimed a second time."""
    per, _ = reimburse.warehouse_audit(
        _losses([("A", "2026-10-01", "lost", 2)]),
        _paid([("A", 2, 1)]),
        as_of="2026-10-31",
        windows=W,
    )
    row = per.iloc[0]
    assert (row["reversal_without_found"], row["open_units"], row["found_not_reversed"]) == (
        1,
        0,
        0,
    )


def test_an_inbound_shortfall_partly_reimbursed():
    s = pd.DataFrame(
        {
            "shipment_id": ["FBA1"],
            "sku": ["A"],
            "units_shipped": [100],
            "units_received": [88],
            "received_date": pd.to_datetime(["2026-10-01"]),
        }
    )
    got = reimburse.inbound_audit(
        s, _paid([("A", 5, 0)]).assign(marketplace=pd.NA), as_of="2026-10-31", windows=W
    ).iloc[0]
    # 12 short, 5 reimbursed: 7 owed; a claim opens 15 days after the shipment closed, closes after 60
    assert (got["shortfall"], got["reimbursed"], got["owed"], got["status"]) == (12, 5, 7, "open")
    assert got["last_day"] == pd.Timestamp("2026-11-30")


def test_a_refund_without_a_return_and_one_reimbursed():
    f = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-07-20", "2026-07-21", "2026-10-01"]),
            "order_id": ["O1", "O2", "O3"],
            "sku": "A",
            "quantity": [1, 1, 1],
            "marketplace": "US",
        }
    )
    back = pd.DataFrame({"order_id": ["O3"], "sku": ["A"], "quantity": [1]})
    paid = pd.DataFrame({"order_id": ["O2"], "reason": ["CustomerReturn"], "quantity_total": [1]})
    got = reimburse.refund_audit(f, back, paid, as_of="2026-10-31", windows=W)
    # O1: refunded 103 days ago, never returned nor paid: open (60-120 days); O2 paid; O3 returned
    assert got[["order_id", "owed", "status"]].values.tolist() == [["O1", 1, "open"]]


def test_underpaid_by_hand():
    """Estimated proceeds 20 × 0.85 − 3.50 = 13.50; 2 units paid 5.00 each: 17.00 short."""
    sales = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01"]),
            "sku": ["A"],
            "units": [10],
            "revenue": [200.0],
            "currency": ["USD"],
        }
    )
    fair = reimburse.fair_values(
        sales, None, currency="USD", rates=None, as_of="2026-10-31", terms=reimburse.ClaimTerms()
    )
    assert fair["A"] == 13.5
    r = pd.DataFrame(
        {
            "sku": ["A"],
            "reason": ["Lost_Warehouse"],
            "quantity_cash": [2],
            "amount_in_currency": [10.0],
        }
    )
    assert reimburse.underpaid(r, fair, terms=reimburse.ClaimTerms())["shortfall"].tolist() == [
        17.0
    ]


@settings(max_examples=60, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.integers(0, 400), st.sampled_from(["lost", "damaged", "found"]), st.integers(1, 20)
        ),
        min_size=1,
        max_size=12,
    ),
    reimbursed=st.integers(0, 60),
    reversed_=st.integers(0, 20),
)
def test_lost_is_found_plus_reimbursed_plus_open_plus_expired(events, reimbursed, reversed_):
    rows = [("A", pd.Timestamp("2025-09-01") + pd.Timedelta(days=d), k, u) for d, k, u in events]
    per, owed = reimburse.warehouse_audit(
        _losses(rows), _paid([("A", reimbursed, reversed_)]), as_of="2026-10-31", windows=W
    )
    if not len(per):  # only found units: nothing lost
        assert all(k == "found" for _, k, _ in events)
        return
    r = per.iloc[0]
    assert (
        r["lost_units"]
        == r["found_counted"] + r["reimbursed_counted"] + r["open_units"] + r["expired_units"]
    )
    assert (
        min(
            r["open_units"],
            r["expired_units"],
            r["found_not_reversed"],
            r["reversal_without_found"],
        )
        >= 0
    )
    assert owed["owed"].sum() == r["open_units"] + r["expired_units"]


@pytest.fixture(scope="module")
def pack(sample_data):
    return reimburse.reimbursement_pack(sample_data, as_of="2026-10-31", currency="USD")


def test_the_sample_finds_every_injected_case_and_nothing_else(pack, answer_key):
    cases = answer_key["reimbursement_cases"]
    listed = pd.concat([pack.claims, pack.expired], ignore_index=True)
    got = {(r.kind, r.sku, int(r.units)) for r in listed.itertuples()}
    want = {
        (c["kind"], c["sku"], int(c["units"])) for c in cases if c["kind"] != "found not reversed"
    }
    assert got == want
    status = {(r.kind, r.sku): r.status for r in listed.itertuples()}
    for c in cases:
        if "status" in c:
            assert status[(c["kind"], c["sku"])] == c["status"], c
    found = {(r.sku, int(r.found_not_reversed)) for r in pack.found_not_reversed.itertuples()}
    assert found == {(c["sku"], c["units"]) for c in cases if c["kind"] == "found not reversed"}
    h = pack.headlines()
    assert (
        h["lost_to_expired_windows"] > 0
        and h["recoverable_now"] > 0
        and h["reimbursed_this_month"] > 0
    )
