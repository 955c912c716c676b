"""The IPI's components from a seller's own data, computed by hand on a tiny folder."""

from __future__ import annotations

import pandas as pd
from conftest import Folder
from stockbook import ipi


def test_excess_sell_through_and_in_stock_rate_by_hand():
    """100 sellable units at FBA every day for 90 days, one sold a day (restocked daily), in stock every
    day but the 10 days of 15–24 October. The last 30 days sold 20, so 30 days of supply is 20 units and
    the excess 100 − 20 = 80 (80 %); sell-through 80 shipped ÷ 100 average available = 0.8; in stock 20 of
    the last 30 days."""
    days = pd.date_range("2026-08-03", "2026-10-31")
    out = (days >= "2026-10-15") & (days <= "2026-10-24")
    led = pd.DataFrame(
        {
            "period_start": days,
            "period_end": days,
            "sku": "A",
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "marketplace": "US",
            "starting": 100,
            "ending": 100,
        }
    )
    sales = pd.DataFrame(
        {"date": days, "sku": "A", "units": (~out).astype(int), "available": (~out) * 100}
    )
    now, trend = ipi.ipi_components(
        Folder(ledger=led, sales=sales), as_of="2026-10-31", excess_days=30, months=2
    )
    row = now.set_index("marketplace").loc["US"]
    assert (int(row["available"]), int(row["excess_units"]), row["excess_share"]) == (100, 80, 0.8)
    assert row["sell_through"] == 0.8
    assert row["in_stock_rate"] == round(20 / 30, 4)
    h = ipi.headlines(now, trend)
    assert h["ipi_sell_through"] == 0.8 and list(trend["month"]) == ["2026-09", "2026-10"]


def test_stranded_units_from_amazons_stranded_inventory_report(tmp_path):
    """The report as Amazon writes it (its 18 columns): 7 sellable units stranded of 100 available."""
    from stockbook.io import read_file

    path = tmp_path / "Stranded.txt"
    head = (
        "primary-action\tdate-stranded\tDate-to-take-auto-removal\tstatus-primary\tstatus-secondary\terror-message"
        "\tstranded-reason\tasin\tsku\tfnsku\tproduct-name\tcondition\tfulfilled-by\tfulfillable-qty\tyour-price"
        "\tunfulfillable-qty\treserved-quantity\tinbound-shipped-qty"
    )
    row = (
        "Edit listing\t2026-10-20T08:00:00+00:00\t\tStranded\t\tPrice missing\tNo active offer\tB0A\tA\tX00A\tMug"
        "\tNew\tAmazon\t7\t\t0\t0\t0"
    )
    path.write_text(head + "\n" + row + "\n", encoding="utf-8")
    got = read_file(path)
    assert got.format.name == "amazon_stranded" and int(got.data["units"].sum()) == 7
    days = pd.date_range("2026-08-03", "2026-10-31")
    led = pd.DataFrame(
        {
            "period_start": days,
            "period_end": days,
            "sku": "A",
            "location": "US",
            "location_class": "fba",
            "disposition": "SELLABLE",
            "marketplace": "US",
            "starting": 100,
            "ending": 100,
        }
    )
    sales = pd.DataFrame({"date": days, "sku": "A", "units": 1, "available": 100})
    stranded = got.data.assign(marketplace="US")
    now, _ = ipi.ipi_components(
        Folder(ledger=led, sales=sales, stranded=stranded), as_of="2026-10-31", months=1
    )
    row = now.set_index("marketplace").loc["US"]
    assert (int(row["stranded_units"]), row["stranded_share"]) == (7, 0.07)
