"""Reconciliation: hand-computed identities and cross-checks, and a property test on random ledgers."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import ledger as L
from stockbook.engine import to_pandas
from stockbook.schema import FLOWS


def _ledger(rows: list[dict]) -> pd.DataFrame:
    base = {"sku": "A", "location": "US", "location_class": "fba", "disposition": "SELLABLE"}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_amazon_identity_known_answer():
    # Amazon's fixture: 10 + 2 − 1 + 1 − 1 = 11 (outflows are negative in the file)
    df = _ledger(
        [
            {
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "starting": 10,
                "receipts": 2,
                "customer_shipments": -1,
                "customer_returns": 1,
                "lost": -1,
                "ending": 11,
                "in_transit_between_warehouses": 4,
                "unknown_events": 0,
            }
        ]
    )
    out = to_pandas(L.reconcile(df))
    assert out.loc[0, "computed_ending"] == 11 and out.loc[0, "break_units"] == 0
    assert to_pandas(L.ledger_breaks(L.reconcile(df))).empty  # in-transit stock is not a flow


def test_break_and_chain_known_answer_valued_at_cost():
    df = _ledger(
        [
            {
                "period_start": "2026-08-01",
                "period_end": "2026-08-31",
                "starting": 100,
                "customer_shipments": -30,
                "ending": 70,
            },
            # identity break: 70 + 50 − 40 − 2 = 78, reported 75 → −3
            {
                "period_start": "2026-09-01",
                "period_end": "2026-09-30",
                "starting": 70,
                "receipts": 50,
                "customer_shipments": -40,
                "damaged": -2,
                "ending": 75,
            },
            # chain break: starts at 80, but September ended at 75 → +5; identity fine (80 − 10 = 70)
            {
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "starting": 80,
                "customer_shipments": -10,
                "ending": 70,
            },
        ]
    )
    products = pd.DataFrame({"sku": ["A"], "unit_cost": [2.5]})
    b = to_pandas(L.ledger_breaks(L.reconcile(df), products=products), order_by=["period_start"])
    assert b[
        ["period", "reported_ending", "computed_ending", "break_units", "break_value"]
    ].values.tolist() == [["2026-09", 75, 78, -3, -7.5], ["2026-10", 70, 70, 0, 0.0]]
    assert b["chain_break_units"].tolist() == [0, 5] and b["chain_break_value"].tolist() == [
        0.0,
        12.5,
    ]
    assert b["kind"].tolist() == ["identity", "chain"]
    # a tolerance of 3 units hides both
    assert to_pandas(L.ledger_breaks(L.reconcile(df), tolerance_units=5)).empty


def test_unknown_events_reported_not_forced():
    df = _ledger(
        [
            {
                "period_start": "2026-10-05",
                "period_end": "2026-10-05",
                "starting": 10,
                "customer_shipments": -2,
                "unknown_events": 1,
                "ending": 9,
            }
        ]
    )
    b = to_pandas(L.ledger_breaks(L.reconcile(df)))
    assert (
        b.loc[0, "break_units"] == 1
        and b.loc[0, "unknown_events"] == 1
        and b.loc[0, "period"] == "2026-10-05"
    )
    assert to_pandas(L.ledger_breaks(L.reconcile(df, unknown_events_in_identity=True))).empty


def test_dispositions_are_separate_rows():
    df = _ledger(
        [
            {
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "starting": 5,
                "damaged": -1,
                "ending": 4,
            },
            {
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "disposition": "UNSELLABLE",
                "starting": 0,
                "customer_returns": 2,
                "disposed": -2,
                "ending": 0,
            },
        ]
    )
    assert to_pandas(L.ledger_breaks(L.reconcile(df))).empty


def test_flow_summary_known_answer_with_and_without_sku_counts():
    # two days at FBA (A in two countries, B in one) and one day at the domestic warehouse
    df = pd.concat(
        [
            _ledger(
                [
                    {
                        "period_start": "2026-10-01",
                        "period_end": "2026-10-01",
                        "starting": 5,
                        "receipts": 3,
                        "customer_shipments": -1,
                        "ending": 7,
                    },
                    {
                        "period_start": "2026-10-02",
                        "period_end": "2026-10-02",
                        "starting": 7,
                        "customer_shipments": -2,
                        "ending": 5,
                    },
                ]
            ),
            _ledger(
                [
                    {
                        "period_start": "2026-10-01",
                        "period_end": "2026-10-01",
                        "location": "CA",
                        "starting": 2,
                        "lost": -1,
                        "ending": 0,
                    }
                ]
            ),  # 2 − 1 = 1, reported 0: a break of −1
            _ledger(
                [
                    {
                        "period_start": "2026-10-01",
                        "period_end": "2026-10-01",
                        "sku": "B",
                        "starting": 4,
                        "customer_returns": 1,
                        "ending": 5,
                    }
                ]
            ),
            _ledger(
                [
                    {
                        "period_start": "2026-10-01",
                        "period_end": "2026-10-01",
                        "location": "WH",
                        "location_class": "domestic",
                        "starting": 50,
                        "outbound": -20,
                        "ending": 30,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    recon = L.reconcile(df)
    cols = [
        "location_class",
        "period",
        "starting",
        "receipts",
        "customer_shipments",
        "customer_returns",
        "lost",
        "outbound",
        "ending",
        "break_units",
    ]
    f = to_pandas(L.flow_summary(recon), order_by=["location_class", "period"])
    assert "skus" not in f.columns
    assert f[cols].values.tolist() == [
        ["domestic", "2026-10-01", 50, 0, 0, 0, 0, -20, 30, 0],
        ["fba", "2026-10-01", 5 + 2 + 4, 3, -1, 1, -1, 0, 7 + 0 + 5, -1],
        ["fba", "2026-10-02", 7, 0, -2, 0, 0, 0, 5, 0],
    ]
    counted = to_pandas(
        L.flow_summary(recon, count_skus=True), order_by=["location_class", "period"]
    )
    assert counted["skus"].tolist() == [
        1,
        2,
        1,
    ]  # A counted once on Oct 1 although it is in two countries
    assert counted[cols].equals(f[cols])
    assert L.month_flows(counted)[
        ["location_class", "period", "starting", "ending", "skus"]
    ].values.tolist() == [["domestic", "2026-10", 50, 30, 1], ["fba", "2026-10", 11, 5, 2]]


def test_shipment_check_known_answer():
    s = pd.DataFrame(
        {
            "shipment_id": ["S1", "S2", "S3", "S4"],
            "sku": ["A", "A", "B", "B"],
            "units_shipped": [200, 50, 80, 10],
            "units_received": [188, 50, None, 12],
            "mode": ["sea", "air", "sea", "air"],
            "ship_date": "2026-09-01",
            "received_date": ["2026-10-10", "2026-10-01", None, "2026-09-20"],
            "status": ["CLOSED", "CLOSED", "IN_TRANSIT", "CLOSED"],
        }
    )
    p = pd.DataFrame({"sku": ["A", "B"], "unit_cost": [3.0, 1.5]})
    out = to_pandas(L.shipment_check(s, products=p, claim_window_days=60))
    assert out[["shipment_id", "difference", "value"]].values.tolist() == [
        ["S1", -12, -36.0],
        ["S4", 2, 3.0],
    ]
    assert str(out.loc[0, "claim_by"].date()) == "2026-12-09"


def test_count_check_known_answer():
    led = pd.DataFrame(
        {
            "period_start": ["2026-10-01"] * 3,
            "period_end": ["2026-10-31"] * 3,
            "sku": ["A", "A", "B"],
            "location": ["WH", "WH", "WH"],
            "location_class": "domestic",
            "disposition": ["SELLABLE", "UNSELLABLE", "SELLABLE"],
            "starting": [10, 2, 5],
            "ending": [10, 2, 5],
        }
    )
    cnt = pd.DataFrame(
        {"date": "2026-10-31", "sku": ["A", "B", "C"], "location": "WH", "units": [11, 5, 3]}
    )
    out = to_pandas(L.count_check(cnt, led))
    # A: book 10 + 2 (both dispositions) = 12, counted 11 → −1; B agrees; C has no book at all
    assert out[["sku", "book_units", "counted_units", "difference"]].astype(object).where(
        out.notna(), None
    ).values.tolist() == [["A", 12, 11, -1], ["C", None, 3, None]]


def test_mapping_check_finds_each_kind():
    led = pd.DataFrame(
        {
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "sku": ["A", "B", "Z"],
            "fnsku": ["X1", "X1", "X9"],
            "asin": ["B1", "B2", "B9"],
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "starting": 0,
            "ending": 0,
        }
    )
    prod = pd.DataFrame(
        {
            "sku": ["A", "B", "C", "C"],
            "asin": ["B1", "B2", "B3", "B3"],
            "fnsku": ["X1", "X2", "X3", "X3"],
            "unit_cost": 1.0,
        }
    )
    m = L.mapping_check(led, prod)
    got = set(map(tuple, m[["kind", "sku"]].values.tolist()))
    # FNSKU X1 under A and B (ledger), B with two FNSKUs (X1 ledger, X2 master), C listed twice, Z orphan
    assert got == {("one_to_many", "A"), ("one_to_many", "B"), ("duplicate", "C"), ("orphan", "Z")}


def test_in_transit_ledger_balances_and_writes_off_shortfall():
    s = pd.DataFrame(
        {
            "shipment_id": ["S1", "S2"],
            "sku": "A",
            "units_shipped": [100, 40],
            "units_received": [95, None],
            "mode": "sea",
            "ship_date": ["2026-09-10", "2026-10-20"],
            "received_date": ["2026-10-15", None],
        }
    )
    it = L.in_transit_ledger(s, months=pd.date_range("2026-09-01", "2026-10-01", freq="MS"))
    assert it[["starting", "receipts", "outbound", "lost", "ending"]].values.tolist() == [
        [0, 100, 0, 0, 100],
        [100, 40, -95, -5, 40],
    ]
    assert to_pandas(L.ledger_breaks(L.reconcile(it))).empty


@st.composite
def ledgers_with_breaks(draw):
    """Random balanced monthly ledgers for a few SKUs, then random flows mis-stated by known amounts."""
    n_sku = draw(st.integers(1, 4))
    n_month = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = []
    for s in range(n_sku):
        bal = int(rng.integers(0, 500))
        for m in range(n_month):
            flows = {f: int(rng.integers(-50, 50)) for f in FLOWS}
            start = bal
            bal = start + sum(flows.values())
            rows.append(
                {
                    "sku": f"S{s}",
                    "period_start": pd.Timestamp(2026, m + 1, 1),
                    "period_end": pd.Timestamp(2026, m + 1, 1) + pd.offsets.MonthEnd(0),
                    "starting": start,
                    **flows,
                    "ending": bal,
                }
            )
    df = pd.DataFrame(rows).assign(location="US", location_class="fba", disposition="SELLABLE")
    picks = draw(st.sets(st.integers(0, len(df) - 1), max_size=len(df)))
    injected = {}
    for i in sorted(picks):
        delta = draw(st.integers(-20, 20).filter(lambda d: d != 0))
        flow = draw(st.sampled_from(FLOWS))
        df.loc[i, flow] += delta
        injected[(df.loc[i, "sku"], df.loc[i, "period_start"])] = -delta
    return df, injected


@settings(max_examples=60, deadline=None)
@given(ledgers_with_breaks())
def test_reconciliation_finds_exactly_the_injected_breaks(case):
    df, injected = case
    b = to_pandas(L.ledger_breaks(L.reconcile(df)))
    found = {(r.sku, r.period_start): int(r.break_units) for r in b.itertuples()}
    assert found == injected
    assert (b["chain_break_units"] == 0).all()  # a mis-stated flow never breaks the chain


def test_sample_reconciliation_matches_answer_key_and_nothing_else(sample_data, answer_key):
    rec = L.reconciliation_pack(sample_data, period_end=answer_key["period_end"], currency="USD")
    b = rec.breaks
    ident = b.loc[b["break_units"] != 0]
    assert {(r.sku, r.location, r.period, int(r.break_units)) for r in ident.itertuples()} == {
        (k["sku"], k["location"], k["period"], k["break_units"])
        for k in answer_key["ledger_breaks"]
    }
    chain = b.loc[b["chain_break_units"] != 0]
    assert {
        (r.sku, r.location, r.period, int(r.chain_break_units)) for r in chain.itertuples()
    } == {
        (k["sku"], k["location"], k["period"], k["chain_break_units"])
        for k in answer_key["chain_breaks"]
    }
    # the receiving differences: the shortfalls, and the two-SKU shipment's pair (one short, one over)
    (pair,) = answer_key["inbound_pairs"]
    assert {(r.shipment_id, r.sku, -int(r.difference)) for r in rec.shipments.itertuples()} == {
        (k["shipment_id"], k["sku"], k["shortfall"]) for k in answer_key["receiving_shortfalls"]
    } | {
        (pair["shipment_id"], pair["short_sku"], pair["units"]),
        (pair["shipment_id"], pair["over_sku"], -pair["units"]),
    }
    # the headline counts units missing per shipment: the pair nets to nothing
    assert rec.headlines()["inbound_shortfall_units"] == sum(
        k["shortfall"] for k in answer_key["receiving_shortfalls"]
    )
    assert {(r.sku, r.location, int(r.difference)) for r in rec.counts.itertuples()} == {
        (k["sku"], k["location"], k["difference"]) for k in answer_key["count_differences"]
    }
    assert set(rec.mapping.loc[rec.mapping["kind"] == "orphan", "sku"]) == {
        k["sku"] for k in answer_key["orphans"]
    }
    assert set(rec.mapping.loc[rec.mapping["kind"] != "orphan", "sku"]) == {
        k["sku"] for k in answer_key["duplicate_mappings"]
    }
    # detail view agrees with the summary except where a summary flow was mis-stated in the detail's month
    detail_month = answer_key["period_end"][:7]
    expected = {
        (k["sku"], k["period"])
        for k in answer_key["ledger_breaks"]
        if k["location"] == "US" and k["period"] == detail_month
    }
    assert {(r.sku, r.period) for r in rec.detail_vs_summary.itertuples()} == expected


@st.composite
def daily_ledgers(draw):
    """Daily ledgers over month ends with gaps, multi-day rows, overlaps, backwards periods and broken chains."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = []
    for g in range(draw(st.integers(1, 3))):
        day, bal = (
            pd.Timestamp(2026, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 40))),
            int(rng.integers(0, 50)),
        )
        for _ in range(int(rng.integers(1, 80))):
            length = int(rng.choice([1, 1, 1, 1, 2, 3]))
            end = day + pd.Timedelta(days=length - 1)
            odd = rng.random()
            if odd < 0.03:  # a period that ends before it starts
                end = day - pd.Timedelta(days=1)
            elif odd < 0.06:  # a period running into the next row's
                end = day + pd.Timedelta(days=length)
            start = bal + (int(rng.integers(-5, 6)) if rng.random() < 0.08 else 0)  # a broken chain
            flow = int(rng.integers(-3, 4))
            bal = (
                start + flow + (int(rng.integers(-5, 6)) if rng.random() < 0.05 else 0)
            )  # a broken identity
            rows.append(
                {
                    "sku": f"S{g % 2}",
                    "disposition": ["SELLABLE", "DEFECTIVE"][g // 2],
                    "period_start": day,
                    "period_end": end,
                    "starting": start,
                    "receipts": flow,
                    "ending": bal,
                }
            )
            day += pd.Timedelta(
                days=length + (int(rng.integers(1, 4)) if rng.random() < 0.1 else 0)
            )  # a gap
    return pd.DataFrame(rows).assign(location="US", location_class="fba"), draw(
        st.sampled_from([0, 2])
    )


@settings(max_examples=20, deadline=None)
@given(daily_ledgers())
def test_breaks_by_month_blocks_equal_the_chain_window_row_by_row(case):
    # ledger_breaks checks the chain of whole months without sorting them; a table that is not reconcile's own
    # output (here: filtered by nothing) is filtered row by row on the window's columns. Both must agree.
    df, tolerance = case
    recon = L.reconcile(df)
    order = ["sku", "disposition", "period_start"]
    blocks = to_pandas(L.ledger_breaks(recon, tolerance_units=tolerance), order_by=order)
    window = to_pandas(
        L.ledger_breaks(recon.filter(ibis.literal(True)), tolerance_units=tolerance), order_by=order
    )
    pd.testing.assert_frame_equal(blocks, window)


def test_breaks_by_blocks_known_answer_across_a_month_end_and_a_gap():
    # Jan 30 ends 10; Jan 31 starts 12 (+2 inside January); Feb 1 starts 10 against Jan 31's 12 (−2 across the
    # month end); Feb 2 is missing and Feb 3 starts where Feb 1 ended (a gap is not a break); Feb 4 is a 2-day row
    d = pd.Timestamp
    df = _ledger(
        [
            {
                "period_start": d("2026-01-30"),
                "period_end": d("2026-01-30"),
                "starting": 10,
                "ending": 10,
            },
            {
                "period_start": d("2026-01-31"),
                "period_end": d("2026-01-31"),
                "starting": 12,
                "ending": 12,
            },
            {
                "period_start": d("2026-02-01"),
                "period_end": d("2026-02-01"),
                "starting": 10,
                "ending": 9,
                "customer_shipments": -1,
            },
            {
                "period_start": d("2026-02-03"),
                "period_end": d("2026-02-03"),
                "starting": 9,
                "ending": 9,
            },
            {
                "period_start": d("2026-02-04"),
                "period_end": d("2026-02-05"),
                "starting": 9,
                "ending": 7,
                "customer_shipments": -1,
            },
        ]
    )
    b = to_pandas(L.ledger_breaks(L.reconcile(df)), order_by=["period_start"])
    assert b["period"].tolist() == ["2026-01-31", "2026-02-01", "2026-02-04..2026-02-05"]
    assert b["chain_break_units"].tolist() == [2, -2, 0]
    assert b["break_units"].tolist() == [0, 0, -1]


def test_breaks_by_blocks_do_not_trust_a_period_that_ends_before_it_starts():
    # Jan 3 (starts 5) and a Jan 4 row that "ends" Jan 2 (ends 5) match each other's links, so the month's links
    # balance as multisets, but in date order Jan 3 follows Jan 1–9 (ended 7) and Jan 10 follows Jan 4: −2, +2
    d = pd.Timestamp
    df = _ledger(
        [
            {
                "period_start": d("2026-01-01"),
                "period_end": d("2026-01-09"),
                "starting": 7,
                "ending": 7,
            },
            {
                "period_start": d("2026-01-03"),
                "period_end": d("2026-01-03"),
                "starting": 5,
                "ending": 5,
            },
            {
                "period_start": d("2026-01-04"),
                "period_end": d("2026-01-02"),
                "starting": 5,
                "ending": 5,
            },
            {
                "period_start": d("2026-01-10"),
                "period_end": d("2026-01-10"),
                "starting": 7,
                "ending": 7,
            },
        ]
    )
    b = to_pandas(L.ledger_breaks(L.reconcile(df)), order_by=["period_start"])
    assert b["period_start"].dt.day.tolist() == [3, 10] and b["chain_break_units"].tolist() == [
        -2,
        2,
    ]


def test_breaks_by_blocks_keep_a_blank_ending_blank_across_the_month_end():
    # Jan 31's ending is blank: its identity cannot be checked and Feb 1's chain has nothing to follow (as in the
    # window, where 12 − blank is no break). The block check must not link Feb 1 to Jan 30's 10 instead (+2).
    # Feb 10 starts 3 above Feb 9's ending: the one break.
    d = pd.Timestamp
    days = pd.date_range("2026-01-30", "2026-02-12")
    rows = [{"period_start": x, "period_end": x, "starting": 12, "ending": 12} for x in days]
    rows[0].update(starting=10, ending=10)
    rows[1].update(starting=10, ending=None)
    for r in rows[days.get_loc(d("2026-02-10")) :]:
        r.update(starting=15, ending=15)
    recon = L.reconcile(_ledger(rows))
    b = to_pandas(L.ledger_breaks(recon), order_by=["period_start"])
    assert b["period"].tolist() == ["2026-02-10"] and b["chain_break_units"].tolist() == [3]
    window = to_pandas(L.ledger_breaks(recon.filter(ibis.literal(True))), order_by=["period_start"])
    pd.testing.assert_frame_equal(b, window)


def test_balances_at_takes_the_last_period_with_a_reported_ending():
    d = pd.Timestamp
    df = _ledger(
        [
            {
                "period_start": d("2026-10-01"),
                "period_end": d("2026-10-01"),
                "starting": 4,
                "ending": 6,
            },
            {
                "period_start": d("2026-10-02"),
                "period_end": d("2026-10-02"),
                "starting": 6,
                "ending": None,
            },
            {
                "period_start": d("2026-10-03"),
                "period_end": d("2026-10-03"),
                "starting": 6,
                "ending": 5,
            },
        ]
    )
    assert L.balances_at(df, as_of="2026-10-02")["units"].tolist() == [6]
    assert L.balances_at(df, as_of="2026-10-03")["units"].tolist() == [5]


def test_the_ledgers_list_investigations_and_leave_claims_to_the_one_claims_ledger():
    """Inbound shortfalls are claims on Amazon, valued and windowed once in the reimbursement audit's ledger
    (notebook 06): the reconciliation lists only what to investigate — the overage here — and a break has no
    deadline and no "money lost" (before: a break got a claim window, and 176.78 USD "lost to closed windows")."""
    ships = pd.DataFrame(
        {
            "shipment_id": ["OLD", "NEW", "OVER"],
            "sku": "A",
            "units_shipped": [100, 50, 40],
            "units_received": [90, 45, 43],
            "mode": "sea",
            "ship_date": pd.to_datetime(["2026-04-01", "2026-08-20", "2026-10-01"]),
            "received_date": pd.to_datetime(["2026-05-10", "2026-09-25", "2026-10-25"]),
            "status": "CLOSED",
        }
    )
    checked = to_pandas(
        L.shipment_check(ships, products=pd.DataFrame({"sku": ["A"], "unit_cost": [2.0]}))
    )
    breaks = pd.DataFrame(
        {
            "location_class": ["fba"],
            "kind": ["identity"],
            "sku": ["A"],
            "location": ["US"],
            "period": ["2026-05"],
            "break_units": [-3],
            "break_value": [-6.0],
            "chain_break_units": [0],
            "chain_break_value": [0.0],
        }
    )
    out = L.investigations(breaks, checked, pd.DataFrame())
    # both 6.00 at cost: the tie broken by kind
    assert out[["kind", "where", "units"]].values.tolist() == [
        ["inbound overage", "OVER", 3],
        ["ledger identity break", "US 2026-05", -3],
    ]
    assert set(out["action"]) == {"investigate"} and "deadline" not in out
