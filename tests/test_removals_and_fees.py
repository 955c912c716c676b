"""Removals, disposals and fee overcharges: Amazon's Removal Order Detail, Removal Shipment Detail and Fee Preview
reports read from the headers Amazon documents and real 2026 files carry (not from the sample's), every row kept
or quarantined, and each check's known answer by hand."""

from __future__ import annotations

import pandas as pd
from conftest import write_rows
from stockbook import fees, reimburse
from stockbook.io import load_folder, read_file

# 2026 files: 17 columns, order-source and service-speed included (a live account's export, 2026-09)
ORDER_DETAIL_2026 = [
    "request-date",
    "order-id",
    "order-source",
    "order-type",
    "service-speed",
    "order-status",
    "last-updated-date",
    "sku",
    "fnsku",
    "disposition",
    "requested-quantity",
    "cancelled-quantity",
    "disposed-quantity",
    "shipped-quantity",
    "in-process-quantity",
    "removal-fee",
    "currency",
]
# Seller Central help 200989110 and older files: 15 columns
ORDER_DETAIL_OLD = [c for c in ORDER_DETAIL_2026 if c not in ("order-source", "service-speed")]
# a Chinese ERP's translation of the same report (移除订单详情报告)
ORDER_DETAIL_ZH = [
    "请求日期",
    "订单编号",
    "订单来源",
    "订单类型",
    "订单状态",
    "最后更新日期",
    "卖家库存单位sku",
    "亚马逊库存标识符fnsku",
    "库存状况/处置方式",
    "申请移除数量",
    "已取消数量",
    "已弃置数量",
    "已发货/移除数量",
    "处理中数量",
    "移除/弃置费用",
    "币种",
]
SHIPMENT_DETAIL = [
    "request-date",
    "order-id",
    "shipment-date",
    "sku",
    "fnsku",
    "disposition",
    "shipped-quantity",
    "carrier",
    "tracking-number",
    "removal-order-type",
]
FEE_PREVIEW_US = [
    *[
        "sku",
        "fnsku",
        "asin",
        "amazon-store",
        "product-name",
        "product-group",
        "brand",
        "fulfilled-by",
        "your-price",
        "sales-price",
        "longest-side",
        "median-side",
        "shortest-side",
        "length-and-girth",
        "unit-of-dimension",
        "item-package-weight",
        "unit-of-weight",
        "product-size-tier",
        "currency",
        "estimated-fee-total",
        "estimated-referral-fee-per-unit",
        "estimated-variable-closing-fee",
        "estimated-order-handling-fee-per-order",
        "estimated-pick-pack-fee-per-unit",
        "estimated-weight-handling-fee-per-unit",
        "expected-fulfillment-fee-per-unit",
    ],
    "estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)",
    *[
        "estimated-future-order-handling-fee-per-order",
        "estimated-future-pick-pack-fee-per-unit",
        "estimated-future-weight-handling-fee-per-unit",
        "expected-future-fulfillment-fee-per-unit",
    ],
]
FEE_PREVIEW_EU = [
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "product-group",
    "brand",
    "fulfilled-by",
    "has-local-inventory",
    "your-price",
    "sales-price",
    "longest-side",
    "median-side",
    "shortest-side",
    "length-and-girth",
    "unit-of-dimension",
    "item-package-weight",
    "unit-of-weight",
    "product-size-weight-band",
    "currency",
    "estimated-fee-total",
    "estimated-referral-fee-per-unit",
    "estimated-variable-closing-fee",
    "expected-domestic-fulfilment-fee-per-unit",
    "expected-efn-fulfilment-fee-per-unit-uk",
    "expected-efn-fulfilment-fee-per-unit-de",
    "expected-efn-fulfilment-fee-per-unit-fr",
    "expected-efn-fulfilment-fee-per-unit-it",
    "expected-efn-fulfilment-fee-per-unit-es",
    "expected-efn-fulfilment-fee-per-unit-se",
]


def _read(path):
    got = read_file(path)
    return got.format.table, got.data, got


def test_removal_order_detail_2026_old_and_chinese_headers(tmp_path):
    rows_2026 = [
        [
            "2026-08-01T00:00:00+00:00",
            "R1",
            "Seller-initiated Manual Removal",
            "Return",
            "Standard",
            "Completed",
            "2026-08-20T00:00:00+00:00",
            "SKU-1",
            "X001",
            "Unsellable",
            10,
            0,
            0,
            7,
            0,
            "5.04",
            "USD",
        ],
        [
            "2026-08-03T10:11:12+00:00",
            "D1",
            "Seller-configured Automated Unfulfillable Removal System",
            "Disposal",
            "Standard",
            "Pending",
            "2026-08-03",
            "SKU-2",
            "X002",
            "Unsellable",
            1,
            0,
            0,
            0,
            1,
            "",
            "USD",
        ],
        # a row without its order id cannot be used: quarantined, named by file, line and column
        [
            "2026-08-05",
            "",
            "Seller-initiated Manual Removal",
            "Return",
            "Standard",
            "Completed",
            "2026-08-06",
            "SKU-3",
            "X003",
            "Sellable",
            1,
            0,
            0,
            1,
            0,
            "0.00",
            "USD",
        ],
    ]
    table, df, got = _read(write_rows(tmp_path / "removals_2026.txt", ORDER_DETAIL_2026, rows_2026))
    assert table == "removal_orders"
    assert len(df) + len(got.quarantine) == 3 and len(got.quarantine) == 1
    assert got.quarantine.iloc[0]["line"] == 4
    assert df[["order_id", "requested", "shipped", "in_process"]].values.tolist() == [
        ["R1", 10, 7, 0],
        ["D1", 1, 0, 1],
    ]
    assert df["removal_fee"].isna().tolist() == [
        False,
        True,
    ]  # a pending order's blank fee is unknown
    old = [r[:2] + r[3:4] + r[5:] for r in rows_2026[:2]]
    table, df, _ = _read(write_rows(tmp_path / "removals_old.txt", ORDER_DETAIL_OLD, old))
    assert table == "removal_orders" and df["disposed"].tolist() == [0, 0]
    zh = [r[:4] + r[5:] for r in rows_2026[:2]]
    table, df, _ = _read(
        write_rows(tmp_path / "移除订单.csv", ORDER_DETAIL_ZH, zh, sep=",", encoding="gb18030")
    )
    assert table == "removal_orders" and df["requested"].tolist() == [10, 1]


def test_removal_shipment_detail_is_read(tmp_path):
    rows = [
        [
            "2026-08-01T00:00:00+00:00",
            "R1",
            "2026-08-10T00:00:00+00:00",
            "SKU-1",
            "X001",
            "Unsellable",
            4,
            "UPS",
            "1Z999A1A0123456789",
            "Return",
        ],
        [
            "2026-08-01T00:00:00+00:00",
            "R1",
            "2026-08-11T00:00:00+00:00",
            "SKU-1",
            "X001",
            "Unsellable",
            1,
            "UPS",
            "1Z999A1A0123456790",
            "Return",
        ],
    ]
    table, df, got = _read(write_rows(tmp_path / "removal_shipments.txt", SHIPMENT_DETAIL, rows))
    assert table == "removal_shipments" and df["shipped"].sum() == 5 and not len(got.quarantine)


def test_fee_preview_us_and_eu_headers_with_not_applicable_cells(tmp_path):
    us = [
        [
            "SKU-1",
            "FNSKU-1",
            "B000TEST",
            "US",
            "Wallet",
            "Luggage",
            "Brand",
            "Amazon",
            "25.00",
            "25.00",
            "7.72",
            "6.54",
            "1.22",
            "23.24",
            "inches",
            "0.18",
            "pounds",
            "UsLargeStandardSize",
            "USD",
            "7.80",
            "3.75",
            "0.00",
            "--",
            "--",
            "--",
            "4.05",
            "--",
            "--",
            "--",
            "--",
            "--",
        ]
    ]
    table, df, got = _read(write_rows(tmp_path / "fee_preview.txt", FEE_PREVIEW_US, us))
    # "--" is Amazon's "not applicable": read as unknown, never a quarantined row
    assert table == "fee_preview" and not len(got.quarantine)
    assert df[["sku", "store", "fulfilment_fee", "fee_total", "size_tier"]].values.tolist() == [
        ["SKU-1", "US", 4.05, 7.80, "UsLargeStandardSize"]
    ]
    eu = [
        [
            "SKU-9",
            "X009",
            "B009",
            "Mug",
            "Kitchen",
            "Brand",
            "AMAZON_EU",
            "Yes",
            "19,99",
            "19,99",
            "20",
            "15",
            "10",
            "70",
            "centimeters",
            "450",
            "grams",
            "Standard-Parcel",
            "EUR",
            "6,14",
            "3,00",
            "0,00",
            "3,14",
            "--",
            "4,12",
            "--",
            "--",
            "--",
            "--",
        ]
    ]
    table, df, got = _read(write_rows(tmp_path / "fee_preview_de.txt", FEE_PREVIEW_EU, eu))
    assert table == "fee_preview" and not len(got.quarantine)
    # the domestic fee, not a cross-border (EFN) column
    assert df[["fulfilment_fee", "weight", "weight_unit"]].values.tolist() == [
        [3.14, 450.0, "grams"]
    ]


def test_a_completed_removal_short_of_its_units_and_a_package_missing():
    """R1 requested 10, 7 shipped, nothing cancelled or disposed: 3 units short. R2 says 4 shipped but its
    packages carry 2: 2 units went nowhere. R3 is still pending: not judged. Each claim window (removals:
    15 to 75 days) counts from the order's last update."""
    orders = pd.DataFrame(
        {
            "order_id": ["R1", "R2", "R3"],
            "sku": ["A", "B", "C"],
            "order_type": ["Return", "Return", "Return"],
            "order_status": ["Completed", "Completed", "Pending"],
            "requested": [10, 4, 5],
            "cancelled": [0, 0, 0],
            "disposed": [0, 0, 0],
            "shipped": [7, 4, 0],
            "in_process": [0, 0, 2],
            "request_date": pd.to_datetime(["2026-08-01", "2026-08-01", "2026-10-01"]),
            "last_updated_date": pd.to_datetime(["2026-08-20", "2026-10-25", "2026-10-02"]),
        }
    )
    packages = pd.DataFrame({"order_id": ["R1", "R2"], "sku": ["A", "B"], "shipped": [7, 2]})
    got = reimburse.removal_audit(
        orders, packages, as_of="2026-10-31", windows=fees.load_claim_windows()
    ).set_index("order_id")
    assert got[["short", "unshipped", "owed"]].to_dict("index") == {
        "R1": {"short": 3, "unshipped": 0, "owed": 3},
        "R2": {"short": 0, "unshipped": 2, "owed": 2},
    }
    assert got.loc["R1", "status"] == "open" and got.loc["R2", "status"] == "not yet open"
    assert got.loc["R1", "last_day"] == pd.Timestamp("2026-11-03")  # 20 August + 75 days


def test_disposals_beyond_the_orders_in_the_months_the_removal_report_covers():
    """The ledger disposed 6 units of A since August (4 + 2) and 3 in June, before the removal report
    begins; disposal orders account for 4 of A's and all of B's: 2 units of A disposed without an order."""
    led = pd.DataFrame(
        {
            "period_start": pd.to_datetime(
                ["2026-06-01", "2026-08-01", "2026-10-01", "2026-09-01"]
            ),
            "location_class": "fba",
            "sku": ["A", "A", "A", "B"],
            "marketplace": "US",
            "disposed": [-3, -4, -2, -5],
        }
    )
    orders = pd.DataFrame(
        {
            "sku": ["A", "B", "A"],
            "order_type": ["Disposal", "Disposal", "Return"],
            "disposed": [4, 5, 0],
            "request_date": pd.to_datetime(["2026-08-15", "2026-09-15", "2026-10-01"]),
        }
    )
    got = reimburse.disposals_without_order(led, orders)
    assert got[["sku", "ledger_disposed", "ordered_disposed", "beyond"]].values.tolist() == [
        ["A", 6, 4, 2]
    ]


def test_the_sample_fee_overcharge_by_hand():
    """SB-CAR-100 (master: 3.15 lb, 0.477 ft³, 21.86 USD, standard size): its dimensional weight
    0.477 × 1,728 ÷ 139 = 5.93 lb is the shipping weight; US 2026 large standard, 10–50 USD band: 6.97 for
    3 lb + 0.08 per 0.25 lb begun above it: 6.97 + 12 × 0.08 = 7.93. Amazon's Fee Preview weighs it at
    10.49 lb: 6.97 + 30 × 0.08 = 9.37, as the file says. 1.44 a unit over, on the 33 units sold in the 90
    days to 31 October: 47.52 USD."""
    from conftest import SAMPLE

    data = load_folder(SAMPLE)
    res = reimburse.reimbursement_pack(data, as_of="2026-10-31", currency="USD")
    row = res.fee_overcharges.set_index("sku").loc["SB-CAR-100"]
    assert (row["table_fee"], row["amazon_fee"], row["overcharge"]) == (7.93, 9.37, 1.44)
    sales = data["sales"]
    sold = sales.loc[
        (sales["sku"] == "SB-CAR-100")
        & (sales["date"] > pd.Timestamp("2026-08-02"))
        & (sales["date"] <= pd.Timestamp("2026-10-31")),
        "units",
    ].sum()
    assert row["units"] == sold == 33 and row["value"] == round(1.44 * 33, 2) == 47.52
    assert len(res.fee_overcharges) == 1  # every other SKU's fee agrees with the tables


REPLACEMENTS = [
    "shipment-date",
    "sku",
    "asin",
    "fulfillment-center-id",
    "original-fulfillment-center-id",
    "quantity",
    "replacement-reason-code",
    "replacement-amazon-order-id",
    "original-amazon-order-id",
]


def test_replacements_read_under_either_order_id_header(tmp_path):
    rows = [["2026-08-10", "SKU-1", "B01", "MDW2", "ONT8", 1, 2, "113-1", "112-9"]]
    table, df, _ = _read(write_rows(tmp_path / "replacements.txt", REPLACEMENTS, rows))
    assert table == "replacements" and df[["order_id", "original_order_id"]].values.tolist() == [
        ["113-1", "112-9"]
    ]
    help_page = [
        "replacement-customer-order-id" if c == "replacement-amazon-order-id" else c
        for c in REPLACEMENTS
    ]
    table, df, _ = _read(write_rows(tmp_path / "replacements_help.txt", help_page, rows))
    assert table == "replacements" and df["order_id"].tolist() == ["113-1"]


def test_a_replacement_whose_original_never_came_back_is_a_case():
    """The sample's Replacements report: a defective unit replaced on 10 August (reason 2) whose original order
    has no return 82 days later (a case, open: 60 to 120 days after the replacement, valued at the SKU's
    estimated proceeds); a lost parcel replaced (reason 6: no return expected); a damaged unit replaced whose
    original order is in the returns report. One case."""
    from conftest import SAMPLE

    raw = pd.read_csv(SAMPLE / "amazon" / "Replacements_2026-10-31.txt", sep="\t", dtype=str)
    assert raw["replacement-reason-code"].tolist() == ["2", "6", "3"]
    returns = pd.read_csv(
        SAMPLE / "amazon" / "FBA_Customer_Returns_2026-10-31.txt", sep="\t", dtype=str
    )
    assert raw["original-amazon-order-id"].iloc[2] in set(returns["order-id"])
    assert raw["original-amazon-order-id"].iloc[0] not in set(returns["order-id"])
    res = reimburse.reimbursement_pack(load_folder(SAMPLE), as_of="2026-10-31", currency="USD")
    got = res.claims.loc[res.claims["kind"] == "replacement not returned"]
    assert got[["sku", "reference", "units", "status"]].values.tolist() == [
        [raw["sku"].iloc[0], "112-5550001-0000001", 1, "open"]
    ]
    assert got["value"].iloc[0] == res.values.loc[raw["sku"].iloc[0], "estimated_proceeds"]
