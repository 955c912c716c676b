"""The stock layer: positions on any day, stock in transit by one rule, and the one "available"."""

from __future__ import annotations

import pandas as pd
from conftest import Folder
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import schema, stock


def _ship(rows: list[tuple]) -> pd.DataFrame:
    cols = [
        "shipment_id",
        "sku",
        "units_shipped",
        "units_received",
        "ship_date",
        "received_date",
        "status",
        "eta",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["mode"] = "sea"
    for c in ("ship_date", "received_date", "eta"):
        df[c] = pd.to_datetime(df[c])
    return df


def test_the_issues_25_october_example_counts_each_unit_once():
    """A daily FBA ledger to 25 October; a shipment received on 10 October is at FBA, not inbound; one
    shipped on 5 October is inbound (before: inbound 100, the first counted twice and the second not at all)."""
    days = pd.date_range("2026-10-01", "2026-10-25")
    ending = [0 if d.day < 10 else 50 for d in days]
    led = pd.DataFrame(
        {
            "period_start": days,
            "period_end": days,
            "sku": "A",
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "starting": [0] + ending[:-1],
            "receipts": [50 if d.day == 10 else 0 for d in days],
            "ending": ending,
        }
    )
    ship = _ship(
        [
            ("S1", "A", 50, 50, "2026-09-20", "2026-10-10", "CLOSED", None),
            ("S2", "A", 50, None, "2026-10-05", None, "SHIPPED", None),
        ]
    )
    a = stock.available(Folder(ledger=led, shipments=ship), as_of="2026-10-25").iloc[0]
    assert (int(a["available"]), int(a["inbound"])) == (50, 50)


def test_partly_received_and_closed_without_a_date():
    ship = _ship(
        [
            ("S1", "A", 300, 200, "2026-09-01", None, "RECEIVING", None),  # 100 still on the way
            (
                "S2",
                "A",
                40,
                None,
                "2026-08-01",
                None,
                "CLOSED",
                "2026-09-01",
            ),  # closed: not in transit
            ("S3", "A", 10, None, "2026-11-01", None, "WORKING", None),
        ]
    )  # not shipped yet
    assert stock.in_transit_at(ship, as_of="2026-10-25")["units"].tolist() == [100]
    assert stock.in_transit_at(ship, as_of="2026-08-15")["units"].tolist() == [
        40
    ]  # S2 before it closed


def test_the_monthly_transit_ledger_is_the_same_positions():
    ship = _ship(
        [
            ("S1", "A", 300, 200, "2026-09-10", None, "RECEIVING", None),
            ("S2", "A", 100, 90, "2026-09-20", "2026-10-12", "CLOSED", None),
        ]
    )
    led = stock.in_transit_ledger(ship, months=pd.date_range("2026-09-01", "2026-10-01", freq="MS"))
    for _, r in led.iterrows():
        want = stock.in_transit_at(ship, as_of=r["period_end"])["units"].sum()
        assert r["ending"] == want
        flows = sum(int(r[c]) for c in schema.FLOWS if pd.notna(r[c]))
        assert r["starting"] + flows == r["ending"]
    oct_ = led.loc[led["period_start"] == "2026-10-01"].iloc[0]
    assert (int(oct_["outbound"]), int(oct_["lost"])) == (
        -90,
        -10,
    )  # 90 arrived, 10 written off at closing


@st.composite
def _lines(draw):
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        shipped = draw(st.integers(1, 500))
        ship_day = draw(st.integers(0, 60))
        kind = draw(st.sampled_from(["open", "partial", "closed", "closed_no_date", "short"]))
        got = {
            "open": None,
            "partial": draw(st.integers(0, shipped)),
            "closed": shipped,
            "closed_no_date": None,
            "short": draw(st.integers(0, shipped)),
        }[kind]
        close_day = ship_day + draw(st.integers(0, 60)) if kind in ("closed", "short") else None
        eta_day = ship_day + draw(st.integers(0, 60))
        base = pd.Timestamp("2026-08-01")
        rows.append(
            (
                f"S{i}",
                "A",
                shipped,
                got,
                base + pd.Timedelta(days=ship_day),
                base + pd.Timedelta(days=close_day) if close_day is not None else None,
                "CLOSED" if kind in ("closed", "closed_no_date", "short") else "RECEIVING",
                base + pd.Timedelta(days=eta_day),
            )
        )
    return _ship(rows), draw(st.integers(-5, 130))


@settings(max_examples=40, deadline=None)
@given(_lines())
def test_every_shipped_unit_is_in_transit_arrived_or_written_off_on_every_day(case):
    """Units shipped by day d = units in transit on d + units arrived by d + units written off by d."""
    ship, offset = case
    d = pd.Timestamp("2026-08-01") + pd.Timedelta(days=offset)
    lines = stock.shipment_lines(ship)
    shipped = lines.loc[lines["ship_date"] <= d, "units_shipped"].sum()
    closed = lines["closed_on"] <= d
    open_ = (lines["ship_date"] <= d) & lines["closed_on"].isna()
    arrived = (
        lines.loc[closed, "units_received"].fillna(0).sum()
        + lines.loc[open_, "units_received"].fillna(0).sum()
    )
    lost = (
        lines.loc[closed, "units_shipped"] - lines.loc[closed, "units_received"].fillna(0)
    ).sum()
    transit = stock.in_transit_at(ship, as_of=d)["units"].sum()
    assert shipped == transit + arrived + lost
    # and the monthly ledger's month ends are the same positions
    led = stock.in_transit_ledger(ship, months=pd.date_range("2026-07-01", "2026-12-01", freq="MS"))
    for _, r in led.iterrows():
        assert r["ending"] == stock.in_transit_at(ship, as_of=r["period_end"])["units"].sum()
        assert r["starting"] + sum(int(r[c]) for c in schema.FLOWS if pd.notna(r[c])) == r["ending"]


def test_unsellable_units_are_stock_but_not_available():
    led = pd.DataFrame(
        {
            "period_start": ["2026-10-01"] * 3,
            "period_end": ["2026-10-31"] * 3,
            "sku": "A",
            "location": ["US", "US", "SZ"],
            "location_class": ["fba", "fba", "domestic"],
            "disposition": ["SELLABLE", "CUSTOMER_DAMAGED", "SELLABLE"],
            "starting": 0,
            "ending": [7, 3, 40],
        }
    )
    a = stock.available(Folder(ledger=led), as_of="2026-10-31").iloc[0]
    assert [int(a[c]) for c in ("available", "unsellable", "domestic", "inbound")] == [7, 3, 40, 0]


def test_one_month_of_orders_is_not_a_year_of_zeros():
    """20 units ordered in April, nothing else known: the days before April are outside the data, not days
    without sales (before: 0.048 units a day; about 0.67 now)."""
    days = pd.date_range("2026-04-01", "2026-04-30")
    sales = pd.DataFrame({"date": days[::3][:10], "sku": "A", "units": 2})
    m = stock.demand_matrix(sales, as_of="2026-04-30", days=365)
    rate, n = stock.in_stock_rate(m.units, m.in_stock, 365)
    assert (
        int(n[0]) == 28
    )  # 1 April (the first order) to 28 April (the last): the days the data covers
    assert round(float(rate[0]), 2) == round(20 / 28, 2)


def test_available_is_the_same_number_in_turnover_aging_and_replenishment(sample_data):
    """One 'available' per SKU: turnover (03) and replenishment (05) read it from the stock layer, and the FBA
    stock aging (04) ages from the ledger is the same units."""
    from stockbook import aging, replenish, turnover

    t = turnover.turnover_pack(sample_data, period_end="2026-10-31", currency="USD").skus.set_index(
        "sku"
    )["available"]
    r = replenish.plan_replenishment(
        sample_data, as_of="2026-10-31", currency="USD"
    ).skus.set_index("sku")["fba"]
    both = t.index.intersection(r.index)
    assert len(both) > 100 and (t.loc[both] == r.loc[both]).all()
    a = aging.aging_pack(sample_data, as_of="2026-10-31", currency="USD").report_check.set_index(
        "sku"
    )["fifo_units"]
    common = a.index.intersection(t.index)
    assert (a.loc[common].astype(int) == t.loc[common].astype(int)).all()


def test_inbound_the_shipments_file_does_not_cover_comes_from_amazons_fba_inventory_report():
    # the seller records US shipments only; Amazon's UK FBA Inventory report says 700 UK units are on their
    # way (500 shipped, 200 being received). The US SKU's inbound is the shipments file's (300), never Amazon's
    # figure for it as well (which would count it twice).
    shipments = pd.DataFrame(
        {
            "shipment_id": ["FBA1"],
            "sku": ["US-1"],
            "units_shipped": [300],
            "mode": ["sea"],
            "ship_date": pd.to_datetime(["2026-10-10"]),
            "status": ["IN_TRANSIT"],
        }
    )
    fba = pd.DataFrame(
        {
            "snapshot_date": pd.to_datetime(["2026-10-31"] * 2),
            "sku": ["US-1", "UK-1"],
            "available": [50, 80],
            "inbound_shipped": [300, 500],
            "inbound_received": [0, 200],
        }
    )
    ledger = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2026-10-01"] * 2),
            "period_end": pd.to_datetime(["2026-10-31"] * 2),
            "sku": ["US-1", "UK-1"],
            "location": ["US", "UK"],
            "location_class": ["fba", "fba"],
            "disposition": ["SELLABLE", "SELLABLE"],
            "starting": [60, 90],
            "ending": [50, 80],
        }
    )
    for data in (
        Folder(shipments=shipments, fba_inventory=fba, ledger=ledger),
        Folder(shipments=shipments, fba_inventory=fba),
    ):
        got = stock.available(data, as_of="2026-10-31").set_index("sku")
        assert got.loc["US-1", "inbound"] == 300 and got.loc["UK-1", "inbound"] == 700
        assert got.loc["UK-1", "available"] == 80
    # no shipments file at all: every SKU's inbound is Amazon's, with an FBA ledger too
    got = stock.available(Folder(fba_inventory=fba, ledger=ledger), as_of="2026-10-31")
    assert got.set_index("sku")["inbound"].to_dict() == {"UK-1": 700, "US-1": 300}
