"""What Amazon owes: known answers for every kind of case on tiny hand-made frames, events matched as Amazon
matches them (a found unit makes good a misplaced one reported before it, never a damaged one; payments by
their kind; reversals by the reimbursement they name), every unit of every event in exactly one state as a
property, the dated valuation rule, and the sample's injected cases found and valued by hand from its raw
files (and nothing else)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import fees, reimburse

W = fees.load_claim_windows()
VALUATION = fees.load_fee_table("reimbursement_valuation.csv")


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
    """(sku, kind, reimbursed, reversed) -> the payments frame ``warehouse_audit`` takes."""
    return pd.DataFrame(
        [
            {"sku": s, "marketplace": "US", "kind": k, "reimbursed_units": r, "reversed_units": v}
            for s, k, r, v in rows
        ],
        columns=["sku", "marketplace", "kind", "reimbursed_units", "reversed_units"],
    )


def _audit(losses, paid, as_of="2026-10-31"):
    return reimburse.warehouse_audit(_losses(losses), _paid(paid), as_of=as_of, windows=W)


def test_a_lost_unit_never_reimbursed_is_open_and_an_old_one_expired():
    """A: 2 misplaced in May (window closed 30 June), 3 on 10 September (open to 9 November), none found or
    paid."""
    per, ev = _audit([("A", "2026-05-01", "lost", 2), ("A", "2026-09-10", "lost", 3)], [])
    row = per.iloc[0]
    assert (row["lost_units"], row["open_units"], row["expired_units"]) == (5, 3, 2)
    assert ev.set_index("date").loc["2026-09-10", "last_day"] == pd.Timestamp("2026-11-09")


def test_a_loss_younger_than_the_waiting_period_waits():
    """Amazon finds or pays most misplaced units itself: one reported 10 days ago waits, it is not a case yet."""
    per, ev = _audit([("A", "2026-10-21", "lost", 1)], [])
    assert ev["status"].tolist() == ["wait"]
    assert per.iloc[0][["waiting_units", "open_units"]].tolist() == [1, 0]


def test_found_in_august_does_not_make_good_damaged_in_october():
    """The issue's example: one F in August, one unreimbursed E in October. Damaged units are never found, and a
    unit found before a loss makes good none: the October damage is a missed claim (1 unit owed)."""
    per, ev = _audit(
        [("A", "2026-08-12", "found", 1), ("A", "2026-10-01", "damaged", 1)], [], as_of="2026-11-15"
    )
    row = per.iloc[0]
    assert (row["found_counted"], row["found_beyond"], row["open_units"]) == (0, 1, 1)
    assert ev.loc[ev["kind"] == "damaged", ["owed", "status"]].values.tolist() == [[1, "open"]]


def test_a_unit_found_after_it_was_misplaced_makes_it_good():
    per, _ = _audit([("A", "2026-08-01", "lost", 1), ("A", "2026-08-20", "found", 1)], [])
    assert per.iloc[0][["found_counted", "open_units", "expired_units"]].tolist() == [1, 0, 0]


def test_payments_count_only_against_losses_of_their_kind():
    """3 misplaced and 2 damaged in September; 3 Lost_Warehouse units paid: the 2 damaged are owed (a lost-unit
    payment does not settle damage)."""
    per, ev = _audit(
        [("A", "2026-09-01", "lost", 3), ("A", "2026-09-05", "damaged", 2)], [("A", "lost", 3, 0)]
    )
    assert per.iloc[0][["reimbursed_counted", "open_units"]].tolist() == [3, 2]
    assert ev.loc[ev["owed"] > 0, "kind"].tolist() == ["damaged"]


def test_reimbursements_pay_the_oldest_losses_first():
    """4 misplaced in May, 3 in October, 4 paid: the October units are owed (waiting: younger than 30 days)."""
    per, _ = _audit(
        [("A", "2026-05-01", "lost", 4), ("A", "2026-10-10", "lost", 3)], [("A", "lost", 4, 0)]
    )
    assert per.iloc[0][["reimbursed_counted", "waiting_units", "expired_units"]].tolist() == [
        4,
        3,
        0,
    ]


def test_a_found_unit_whose_reimbursement_was_not_reversed():
    """3 misplaced, 1 found after, 3 reimbursed, none reversed: one unit both found and paid for."""
    per, _ = _audit(
        [("A", "2026-10-01", "lost", 3), ("A", "2026-10-20", "found", 1)], [("A", "lost", 3, 0)]
    )
    row = per.iloc[0]
    assert (row["found_not_reversed"], row["open_units"], row["reversal_without_found"]) == (
        1,
        0,
        0,
    )


def test_a_reversal_with_no_unit_found_is_claimed_once():
    """2 misplaced, 2 reimbursed, 1 reversed, none found: the reversal is wrongful (1 unit) and the lost units
    are not claimed a second time."""
    per, _ = _audit([("A", "2026-09-01", "lost", 2)], [("A", "lost", 2, 1)])
    row = per.iloc[0]
    assert (row["reversal_without_found"], row["open_units"], row["found_not_reversed"]) == (
        1,
        0,
        0,
    )


def test_a_reversal_is_set_against_the_reimbursement_it_names():
    """The reversal names reimbursement 2, a Damaged_Warehouse payment, although its type column is blank: it
    takes back a damaged unit's payment, not a lost one's."""
    r = pd.DataFrame(
        {
            "sku": "A",
            "marketplace": "US",
            "reimbursement_id": ["1", "2", "3"],
            "reason": ["Lost_Warehouse", "Damaged_Warehouse", "Reimbursement_Reversal"],
            "quantity_total": [1, 1, -1],
            "original_reimbursement_id": [None, None, "2"],
            "original_reimbursement_type": [None, None, None],
        }
    )
    got = reimburse.warehouse_payments(r).set_index("kind")
    assert got.loc["damaged", "reversed_units"] == 1 and got.loc["lost", "reversed_units"] == 0


def test_an_inbound_shortfall_counts_its_window_from_delivery():
    s = pd.DataFrame(
        {
            "shipment_id": ["FBA1", "FBA2"],
            "sku": ["A", "B"],
            "units_shipped": [100, 10],
            "units_received": [88, 9],
            "received_date": pd.to_datetime(["2026-10-01", "2026-10-01"]),
            "delivered_date": pd.to_datetime(["2026-09-20", None]),
        }
    )
    paid = pd.DataFrame(
        {"sku": ["A"], "marketplace": [pd.NA], "reimbursed_units": [5], "reversed_units": [0]}
    )
    got = reimburse.inbound_audit(s, paid, as_of="2026-10-31", windows=W).set_index("shipment_id")
    # 12 short, 5 reimbursed: 7 owed; 15 to 60 days from delivery (20 September: closes 19 November)
    assert got.loc["FBA1", ["shortfall", "reimbursed", "owed", "status"]].tolist() == [
        12,
        5,
        7,
        "open",
    ]
    assert got.loc["FBA1", "last_day"] == pd.Timestamp("2026-11-19")
    assert got.loc["FBA1", "window_from"] == "delivered"
    # no delivery date: from the day receiving closed, and said so
    assert got.loc["FBA2", "window_from"] == "closed"
    assert got.loc["FBA2", "last_day"] == pd.Timestamp("2026-11-30")


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


def test_damaged_returns_amazon_pays_less_what_it_paid_for_the_order():
    """CARRIER_DAMAGED and the warehouse's DAMAGED are claims; DISTRIBUTOR_DAMAGED (received damaged from the
    seller) is not; a return Amazon already reimbursed by order id is not owed twice."""
    ret = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01"] * 4),
            "order_id": ["O1", "O2", "O3", "O4"],
            "sku": "A",
            "fnsku": "X",
            "quantity": [1, 1, 2, 1],
            "disposition": [
                "CARRIER_DAMAGED",
                "DISTRIBUTOR_DAMAGED",
                "DAMAGED",
                "CUSTOMER_DAMAGED",
            ],
            "location": "MDW2",
            "marketplace": "US",
        }
    )
    paid = pd.DataFrame(
        {"order_id": ["O3"], "sku": ["A"], "reason": ["CustomerReturn"], "quantity_total": [1]}
    )
    got = reimburse.damaged_returns(ret, paid)
    assert got[["order_id", "reimbursed", "owed"]].values.tolist() == [["O1", 0, 1], ["O3", 1, 1]]


def test_valuation_by_the_rule_in_force_on_the_event_day():
    """A unit lost before an order: estimated proceeds before 10 March 2025, manufacturing cost since (US);
    a customer return: the estimated proceeds whatever the day."""
    v = pd.DataFrame({"manufacturing_cost": [3.10], "estimated_proceeds": [6.90]}, index=["A"])
    c = pd.DataFrame(
        {
            "sku": "A",
            "marketplace": "US",
            "event_date": pd.to_datetime(["2025-03-09", "2025-03-10", "2026-10-01"]),
        }
    )
    pre = reimburse.case_values(c, v, VALUATION, case="pre_order_loss")
    assert pre.values.tolist() == [
        ["estimated_proceeds", 6.9],
        ["manufacturing_cost", 3.1],
        ["manufacturing_cost", 3.1],
    ]
    ret = reimburse.case_values(c, v, VALUATION, case="customer_return")
    assert ret["value_per_unit"].tolist() == [6.9, 6.9, 6.9]


def test_estimated_proceeds_net_of_vat_referral_and_the_skus_fee_by_hand():
    """A UK unit sold at 24.00 GBP with 20 % VAT: 24 ÷ 1.2 − 0.15 × 24 − 3.00 = 20 − 3.60 − 3.00 = 13.40."""
    got = reimburse.estimated_proceeds(
        pd.Series({"A": 24.0, "B": 2.0}), vat_rate=0.2, fulfilment_fee=3.0, referral_rate=0.15
    )
    assert got.tolist() == [13.4, 0.0]  # a price below its fees is worth nothing, never less


def test_underpaid_by_hand():
    """Since March 2025 a lost unit is worth its cost: 3.10 paid 2.76 is 0.34 short; a CustomerReturn paid
    5.00 against proceeds of 6.90 is 1.90 short a unit, 3.80 for 2 units; one paid in full is not listed."""
    v = pd.DataFrame(
        {"manufacturing_cost": [3.10, 3.10, 3.10], "estimated_proceeds": [6.90, 6.90, 6.90]},
        index=["A", "B", "C"],
    )
    r = pd.DataFrame(
        {
            "sku": ["A", "B", "C"],
            "marketplace": "US",
            "reason": ["Lost_Warehouse", "CustomerReturn", "Damaged_Warehouse"],
            "approval_date": pd.to_datetime(["2026-09-30", "2026-09-30", "2026-09-30"]),
            "quantity_cash": [1, 2, 1],
            "amount_in_currency": [2.76, 10.0, 3.10],
        }
    )
    got = reimburse.underpaid(r, v, VALUATION, terms=reimburse.ClaimTerms())
    assert got[["sku", "basis", "shortfall"]].values.tolist() == [
        ["A", "manufacturing_cost", 0.34],
        ["B", "estimated_proceeds", 3.8],
    ]


def test_error_rate_is_lost_and_damaged_with_delivery_complaints_apart():
    led = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2026-10-01"] * 2),
            "location_class": "fba",
            "marketplace": ["US", "UK"],
            "receipts": [6000, 1000],
            "customer_shipments": [-3800, -1000],
            "customer_returns": [200, 0],
            "lost": [-2, -1],
            "damaged": [-1, 0],
        }
    )
    ret = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-03", "2026-10-04", "2026-10-05"]),
            "marketplace": "US",
            "reason": ["MISSED_ESTIMATED_DELIVERY", "DAMAGED_BY_FC", "UNWANTED_ITEM"],
            "quantity": [40, 1, 5],
        }
    )
    got = reimburse.warehouse_error_rates(led, returns=ret).set_index("marketplace")
    # US: (2 + 1 + 1) ÷ 10,000 handled = 0.4 per 1,000; 40 late deliveries apart; UK: no returns read
    assert got.loc[
        "US", ["error_units", "fba_errors_per_1000", "delivery_complaints"]
    ].tolist() == [
        4,
        0.4,
        40,
    ]
    assert got.loc["UK", "fba_errors_per_1000"] == 0.5 and not got.loc["UK", "returns_read"]
    assert pd.isna(got.loc["UK", "delivery_complaints"])


@settings(max_examples=80, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.integers(0, 400), st.sampled_from(["lost", "damaged", "found"]), st.integers(1, 20)
        ),
        min_size=1,
        max_size=12,
    ),
    lost_paid=st.integers(0, 40),
    lost_reversed=st.integers(0, 20),
    damaged_paid=st.integers(0, 40),
)
def test_every_unit_of_every_event_ends_in_exactly_one_state(
    events, lost_paid, lost_reversed, damaged_paid
):
    rows = [("A", pd.Timestamp("2025-09-01") + pd.Timedelta(days=d), k, u) for d, k, u in events]
    per, ev = _audit(
        rows, [("A", "lost", lost_paid, lost_reversed), ("A", "damaged", damaged_paid, 0)]
    )
    losses = [u for _, k, u in events if k != "found"]
    # each loss event: found + reimbursed + owed = its units, none negative, the owed in one status
    assert len(ev) == len(losses)
    assert (ev["found"] + ev["reimbursed"] + ev["owed"] == ev["units"]).all()
    assert (ev[["found", "reimbursed", "owed"]] >= 0).all().all()
    assert ev.loc[ev["owed"] > 0, "status"].isin(["wait", "open", "not yet open", "expired"]).all()
    # damaged units are never found; a found unit makes good one misplaced unit at most, on or after it
    assert (ev.loc[ev["kind"] == "damaged", "found"] == 0).all()
    r = per.iloc[0]
    assert r["lost_units"] == sum(losses)
    assert (
        r["lost_units"]
        == r["found_counted"]
        + r["reimbursed_counted"]
        + r["waiting_units"]
        + r["open_units"]
        + r["expired_units"]
    )
    assert r["found_counted"] + r["found_beyond"] == sum(u for _, k, u in events if k == "found")
    assert min(r["found_beyond"], r["found_not_reversed"], r["reversal_without_found"]) >= 0
    # the matching by hand: walk the days, each found unit taking the oldest misplaced unit still unfound
    pending, matched = [], 0
    for _day, k, u in sorted(events, key=lambda e: (e[0], e[1] == "found")):
        if k == "lost":
            pending.append(u)
        elif k == "found":
            left = u
            while left and pending:
                take = min(left, pending[0])
                pending[0] -= take
                left -= take
                matched += take
                if not pending[0]:
                    pending.pop(0)
    assert r["found_counted"] == matched


@pytest.fixture(scope="module")
def pack(sample_data):
    return reimburse.reimbursement_pack(sample_data, as_of="2026-10-31", currency="USD")


def test_the_sample_finds_every_injected_case_and_nothing_else(pack, answer_key):
    cases = answer_key["reimbursement_cases"]
    listed = pd.concat([pack.claims, pack.expired], ignore_index=True)
    # a fee overcharge's units are the units sold in the price window: the key names the SKU only
    got = {
        (r.kind, r.sku, int(r.units) if r.kind != "fee overcharge" else None)
        for r in listed.itertuples()
    }
    want = {
        (c["kind"], c["sku"], int(c["units"]) if "units" in c else None)
        for c in cases
        if c["kind"] != "found not reversed"
    }
    assert got == want
    status = {(r.kind, r.sku): r.status for r in listed.itertuples()}
    for c in cases:
        if "status" in c:
            assert status[(c["kind"], c["sku"])] == c["status"], c
    found = {(r.sku, int(r.found_not_reversed)) for r in pack.found_not_reversed.itertuples()}
    assert found == {(c["sku"], c["units"]) for c in cases if c["kind"] == "found not reversed"}


def _master_costs_usd(root) -> pd.Series:
    """The sample master's purchase cost (采购成本, CNY) ÷ 8 (its fixed dollar rate), read straight from the
    file with pandas: a second route to the costs the audit values losses at."""
    m = pd.read_csv(root / "master" / "商品资料.csv", encoding="gbk")
    return (m.drop_duplicates("SKU").set_index("SKU")["采购成本"] / 8).round(2)


def test_the_sample_cases_valued_by_hand(pack):
    """The issue's five cases, each valued from the raw files by the rule of its day:
    SB-BEA-079 paid 2.76 for a unit lost before an order, worth its cost 24.80 CNY = 3.10: 0.34 short;
    SB-CAR-139 misplaced on 31 October: 42.64 CNY = 5.33, waiting (younger than 30 days);
    SB-PET-064: a reversal of 11.83 with no unit found, valued at the money reversed;
    SB-BEA-003: 7 units short in FBA1900741S (276 shipped, 264 received, 5 paid) at 105.44 CNY = 13.18:
    92.26, expired; SB-BEA-046: 1 unit lost in March 2026 at 27.92 CNY = 3.49, expired."""
    sample_dir = SAMPLE
    cost = _master_costs_usd(sample_dir)
    raw = pd.read_csv(sample_dir / "amazon" / "Reimbursements_2026-10-31.txt", sep="\t", dtype=str)
    rev = raw.loc[(raw["sku"] == "SB-PET-064") & (raw["reason"] == "Reimbursement_Reversal")]
    listed = pd.concat([pack.claims, pack.expired], ignore_index=True).set_index(["kind", "sku"])

    def case(kind, sku):
        return listed.loc[(kind, sku)]

    c = case("underpaid reimbursement", "SB-BEA-079")
    assert (c["basis"], c["value"]) == ("manufacturing_cost", round(cost["SB-BEA-079"] - 2.76, 2))
    assert c["value"] == 0.34
    c = case("warehouse lost or damaged", "SB-CAR-139")
    assert (c["value"], c["status"]) == (cost["SB-CAR-139"], "wait") and c["value"] == 5.33
    c = case("wrongful reversal", "SB-PET-064")
    assert c["value"] == abs(float(rev["amount-total"].iloc[-1])) == 11.83
    c = case("inbound shortfall", "SB-BEA-003")
    assert (c["units"], c["value"], c["status"]) == (7, round(7 * cost["SB-BEA-003"], 2), "expired")
    assert c["value"] == 92.26
    c = case("warehouse lost or damaged", "SB-BEA-046")
    assert (c["value"], c["status"]) == (cost["SB-BEA-046"], "expired") and c["value"] == 3.49
    h = pack.headlines()
    assert h["lost_to_expired_windows"] == round(92.26 + 3.49, 2)
    assert h["claims_waiting"] == 1 and h["reimbursed_this_month"] > 0


def test_the_sample_refund_above_its_order_valued_by_hand(pack, answer_key):
    """The Payments report's own Order row says what the order was sold for: read straight from the file with
    pandas (its seven note lines above the header), the refund's product sales less the order's is the
    excess claimed, in the report's dollars."""
    raw = pd.read_csv(
        SAMPLE / "amazon" / "DateRangeTransactions_2026-10.csv", skiprows=7, dtype=str
    )
    (case,) = [
        c for c in answer_key["reimbursement_cases"] if c["kind"] == "refund above the order"
    ]
    rows = raw.loc[raw["order id"] == case["reference"]].set_index("type")
    excess = round(
        -float(rows.loc["Refund", "product sales"]) - float(rows.loc["Order", "product sales"]), 2
    )
    got = pack.claims.set_index("kind").loc["refund above the order"]
    assert (got["sku"], got["reference"], got["status"]) == (case["sku"], case["reference"], "open")
    assert got["value"] == excess == case["excess"] == 12.20


def test_the_sample_two_sku_shipment_is_a_pair_not_a_loss(pack, answer_key):
    """The shipment whose first SKU came in 3 short and its second 3 over is listed as a pair to investigate;
    the short SKU's 3 units are not claimed as lost inbound (Amazon received them, under the other SKU)."""
    raw = pd.read_csv(SAMPLE / "shipments" / "fba_shipments.csv", dtype=str)
    (want,) = answer_key["inbound_pairs"]
    lines = raw.loc[raw["Shipment ID"] == want["shipment_id"]].set_index("SKU")
    gap = lines["Units Received"].astype(int) - lines["Units Shipped"].astype(int)
    assert gap.to_dict() == {want["short_sku"]: -3, want["over_sku"]: 3}
    got = pack.inbound_pairs[["shipment_id", "short_sku", "over_sku", "units"]].to_dict("records")
    assert got == [want]
    listed = pd.concat([pack.claims, pack.expired], ignore_index=True)
    assert not (listed["sku"] == want["short_sku"]).any()


def test_the_sample_says_what_it_does_not_audit(pack):
    """UK has a ledger and no Reimbursements report: its units are not audited, and the page says so."""
    assert any(n.startswith("UK not audited: add its Reimbursements report") for n in pack.notes)
    uk = pack.error_rates.loc[pack.error_rates["marketplace"] == "UK"]
    assert len(uk) and not uk["returns_read"].any() and uk["delivery_complaints"].isna().all()


def test_what_a_partial_folder_cannot_say_is_not_claimed(tmp_path):
    """Amazon's Reimbursements report alone says nothing of units found: no reversal is judged wrongful and the
    page says the ledger is missing. With the October detail view, only October's reversals and losses are
    judged: the sample's October wrongful reversal (SB-PET-064) and its October loss (SB-CAR-139), nothing from
    the months the file does not cover."""
    import shutil

    from stockbook.io import load_folder

    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(SAMPLE / "amazon" / "Reimbursements_2026-10-31.txt", alone)
    res = reimburse.reimbursement_pack(load_folder(alone), as_of="2026-10-31", currency="USD")
    assert "wrongful reversal" not in set(res.claims["kind"])
    assert res.notes[0].startswith("units lost, damaged or found at Amazon are not audited")
    detail = tmp_path / "detail"
    detail.mkdir()
    for f in ("Reimbursements_2026-10-31.txt", "Inventory_Ledger_Detail_2026-10.txt"):
        shutil.copy(SAMPLE / "amazon" / f, detail)
    res = reimburse.reimbursement_pack(load_folder(detail), as_of="2026-10-31", currency="USD")
    assert sorted(zip(res.claims["kind"], res.claims["sku"], strict=True)) == [
        ("warehouse lost or damaged", "SB-CAR-139"),
        ("wrongful reversal", "SB-PET-064"),
    ]
