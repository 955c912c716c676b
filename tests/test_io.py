"""Readers: each format, each encoding, Chinese headers, XLSX, and clear errors for bad input."""

from __future__ import annotations

import codecs

import openpyxl
import pandas as pd
import pytest
from conftest import AMAZON_SUMMARY_HEADER, write_rows
from stockbook.errors import InputError
from stockbook.io import load_folder, read_file

ROW = [
    "10/2026",
    "X00ABC1234",
    "0316769487",
    "00123",
    "Widget",
    "SELLABLE",
    10,
    0,
    2,
    -1,
    1,
    0,
    0,
    0,
    -1,
    0,
    0,
    0,
    11,
    0,
    "US",
]


def test_amazon_summary_txt_keeps_identifiers_as_text(tmp_path):
    p = write_rows(tmp_path / "ledger.txt", AMAZON_SUMMARY_HEADER, [ROW])
    r = read_file(p)
    assert r.format.name == "amazon_ledger_summary"
    row = r.data.iloc[0]
    assert (row["sku"], row["asin"], row["fnsku"]) == ("00123", "0316769487", "X00ABC1234")
    assert (
        row["starting"],
        row["receipts"],
        row["customer_shipments"],
        row["lost"],
        row["ending"],
    ) == (10, 2, -1, -1, 11)
    assert (
        str(row["period_start"].date()) == "2026-10-01"
        and str(row["period_end"].date()) == "2026-10-31"
    )
    assert row["location_class"] == "fba"


def test_amazon_summary_csv_daily_with_columns_reordered_and_extra(tmp_path):
    header = ["Notes", *reversed(AMAZON_SUMMARY_HEADER)]
    row = ["main", *reversed(["10/05/2026", *ROW[1:]])]
    p = write_rows(tmp_path / "ledger.csv", header, [row], sep=",")
    r = read_file(p)
    assert r.data.loc[0, "Notes"] == "main"  # unknown column kept
    assert r.data.loc[0, "ending"] == 11
    assert (
        str(r.data.loc[0, "period_start"].date())
        == str(r.data.loc[0, "period_end"].date())
        == "2026-10-05"
    )


def test_amazon_detail_view_maps_events_to_flows(tmp_path):
    header = [
        "Date",
        "FNSKU",
        "ASIN",
        "MSKU",
        "Title",
        "Event Type",
        "Reference ID",
        "Quantity",
        "Fulfillment Center",
        "Disposition",
        "Reason",
        "Country",
    ]
    rows = [
        [
            "10/01/2026",
            "X1",
            "B1",
            "A",
            "t",
            "Shipments",
            "111-1",
            -2,
            "PHX7",
            "SELLABLE",
            "",
            "US",
        ],
        ["10/02/2026", "X1", "B1", "A", "t", "Adjustments", "9", -1, "PHX7", "SELLABLE", "M", "US"],
        ["10/02/2026", "X1", "B1", "A", "t", "Adjustments", "9", 1, "PHX7", "SELLABLE", "F", "US"],
        ["10/03/2026", "X1", "B1", "A", "t", "Adjustments", "9", -1, "PHX7", "SELLABLE", "Q", "US"],
    ]
    r = read_file(write_rows(tmp_path / "detail.txt", header, rows))
    assert r.format.name == "amazon_ledger_detail"
    assert r.data["flow"].tolist() == ["customer_shipments", "lost", "found", "other_events"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_chinese_warehouse_ledger_in_every_encoding(tmp_path, encoding):
    header = ["月份", "SKU", "品名", "仓库", "期初库存", "本期入库", "本期出库", "期末库存"]
    rows = [["2026-10", "00417", "硅胶盖", "SZ-WH", '"1,200"', 300, 450, 1050]]
    p = write_rows(tmp_path / "进销存.csv", header, rows, sep=",", encoding=encoding)
    r = read_file(p)
    assert r.format.name == "warehouse_ledger"
    row = r.data.iloc[0]
    assert row["sku"] == "00417" and row["location_class"] == "domestic"
    # seller ledgers write outflows positive; canonical outflows are negative
    assert (row["starting"], row["receipts"], row["outbound"], row["ending"]) == (
        1200,
        300,
        -450,
        1050,
    )


def test_xlsx_with_title_rows_and_several_sheets(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["这是说明页"])
    ws2 = wb.create_sheet("进销存")
    ws2.append(["深圳仓 2026年10月 进销存"])
    ws2.append(["月份", "SKU", "仓库", "仓库类型", "期初库存", "本期入库", "本期出库", "期末库存"])
    ws2.append(["2026-10", "A-1", "LA-3PL", "海外仓", 5, 10, 3, 12])
    ws2.append([None] * 8)
    p = tmp_path / "ledger.xlsx"
    wb.save(p)
    r = read_file(p)
    assert r.rows_in == 1 and len(r.data) == 1
    assert r.data.loc[0, "location_class"] == "third_party"
    assert r.data.loc[0, "source_line"] == 3


def test_sku_master_and_shipments_and_counts(tmp_path):
    m = write_rows(
        tmp_path / "m.csv",
        ["SKU", "ASIN", "FNSKU", "品名", "采购成本", "体积(立方英尺)"],
        [["A", "B0A", "X0A", "t", "¥12.50", "0.2"]],
        sep=",",
    )
    s = write_rows(
        tmp_path / "s.csv",
        [
            "Shipment ID",
            "SKU",
            "Units Shipped",
            "Units Received",
            "Mode",
            "Ship Date",
            "ETA",
            "Received Date",
            "Status",
        ],
        [
            ["FBA1", "A", 100, 90, "海运", "2026-09-01", "2026-10-05", "2026-10-07", "closed"],
            ["FBA2", "A", 50, "", "Air", "2026-10-20", "2026-10-30", "", "IN_TRANSIT"],
        ],
        sep=",",
    )
    c = write_rows(
        tmp_path / "c.csv",
        ["盘点日期", "SKU", "仓库", "盘点数量"],
        [["2026-10-31", "A", "WH", 7]],
        sep=",",
    )
    rm, rs, rc = read_file(m), read_file(s), read_file(c)
    assert rm.data.loc[0, "unit_cost"] == 12.5 and rm.data.loc[0, "cubic_feet"] == 0.2
    assert rs.data["mode"].tolist() == ["sea", "air"]
    assert rs.data["units_received"].isna().tolist() == [False, True]
    assert rs.data["status"].tolist() == ["CLOSED", "IN_TRANSIT"]
    assert rc.data.loc[0, "units"] == 7


def test_every_row_is_kept_or_quarantined(tmp_path):
    rows = [
        ROW,
        [*ROW[:8], "abc", *ROW[9:]],
        [*ROW[:8], "2.5", *ROW[9:]],
        ["13/45/2026", *ROW[1:]],
        ROW[:7],
        [*ROW[:3], "", *ROW[4:]],
    ]
    r = read_file(write_rows(tmp_path / "l.txt", AMAZON_SUMMARY_HEADER, rows))
    assert r.rows_in == 6
    assert len(r.data) + r.rows_quarantined == r.rows_in
    q = r.quarantine.set_index("line")
    assert (
        q.loc[3, "column"] == "Receipts"
        and q.loc[3, "value"] == "abc"
        and "not a number" in q.loc[3, "reason"]
    )
    assert "whole number" in q.loc[4, "reason"]
    assert q.loc[5, "column"] == "Date" and "not a date" in q.loc[5, "reason"]
    assert "expected 21 fields, found 7" in q.loc[6, "reason"]
    assert q.loc[7, "column"] == "MSKU" and "missing sku" in q.loc[7, "reason"]


def _error(path) -> InputError:
    with pytest.raises(InputError) as info:
        read_file(path)
    return info.value


def test_missing_column_names_file_line_and_column(tmp_path):
    header = [h for h in AMAZON_SUMMARY_HEADER if h != "MSKU"]
    e = _error(write_rows(tmp_path / "l.txt", header, [ROW[:3] + ROW[4:]]))
    assert e.path.endswith("l.txt") and e.line == 1 and e.column == "MSKU"
    assert "l.txt, line 1, column MSKU" in str(e)


def test_unknown_file_says_what_was_expected(tmp_path):
    e = _error(write_rows(tmp_path / "x.csv", ["foo", "bar"], [[1, 2]], sep=","))
    assert "unknown file format" in str(e) and e.line == 1 and e.expected


def test_empty_and_header_only_and_unsupported(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "empty" in str(_error(tmp_path / "empty.csv"))
    p = write_rows(tmp_path / "h.txt", AMAZON_SUMMARY_HEADER, [])
    r = read_file(p)
    assert r.rows_in == 0 and len(r.data) == 0
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert "unsupported file type" in str(_error(tmp_path / "x.pdf"))


def test_truncated_file_quarantines_the_cut_line(tmp_path):
    p = write_rows(tmp_path / "l.txt", AMAZON_SUMMARY_HEADER, [ROW, ROW])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 30])
    r = read_file(p)
    assert len(r.data) == 1 and r.rows_quarantined == 1
    assert (
        r.quarantine.loc[0, "line"] == 3 and "expected 21 fields" in r.quarantine.loc[0, "reason"]
    )


def test_undecodable_bytes_name_the_line(tmp_path):
    p = tmp_path / "l.txt"
    p.write_bytes(codecs.BOM_UTF8[:0] + b"Date\tMSKU\n" + b"\xff\xfe\xfa\xfb\x81\n")
    e = _error(p)
    assert e.line == 2 and "decode" in str(e)


def test_load_folder_accounts_for_every_file(tmp_path):
    write_rows(tmp_path / "a.txt", AMAZON_SUMMARY_HEADER, [ROW])
    write_rows(tmp_path / "b.txt", AMAZON_SUMMARY_HEADER, [ROW])  # an overlapping download
    write_rows(tmp_path / "junk.csv", ["foo"], [[1]], sep=",")
    (tmp_path / "notes.md").write_text("hello")
    d = load_folder(tmp_path)
    f = d.files.set_index("file")
    assert f.loc["junk.csv", "status"] == "error" and f.loc["notes.md", "status"] == "ignored"
    assert len(d["ledger"]) == 1  # the duplicate is not double-counted
    assert d.quarantine.loc[0, "reason"] == "duplicate of a.txt line 2 (overlapping download)"
    acc = d.accounting()
    assert acc["balanced"].all() and acc["rows_in"].sum() == 2


ORDERS_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
]


def test_amazon_all_orders_report_quarantines_cancelled_orders(tmp_path):
    row = [
        "111-0000001-0000001",
        "",
        "2026-10-05T14:22:11+00:00",
        "2026-10-06T01:00:00+00:00",
        "Shipped",
        "Amazon",
        "Amazon.com",
        "",
        "",
        "Expedited",
        "Widget <b>",
        "00123",
        "B0A",
        "Shipped",
        "2",
        "USD",
        "39.98",
        "3.20",
    ]
    second = [*row]
    second[0] = "111-0000002-0000002"  # same day, SKU, units and price: a different order, kept
    cancelled = [*row]
    cancelled[0], cancelled[4], cancelled[14], cancelled[16] = (
        "111-0000003-0000003",
        "Cancelled",
        "1",
        "",
    )
    p = write_rows(tmp_path / "orders.txt", ORDERS_HEADER, [row, second, cancelled])
    r = read_file(p)
    assert r.format.name == "amazon_orders" and r.table == "sales"
    assert r.data["sku"].tolist() == ["00123", "00123"] and r.data["units"].tolist() == [2, 2]
    assert r.data["revenue"].tolist() == [39.98, 39.98]
    assert str(r.data["date"].iloc[0].date()) == "2026-10-05"
    assert r.quarantine["reason"].tolist() == ["order-status: cancelled order: not a sale"]
    assert r.quarantine["line"].tolist() == [4]
    data = load_folder(tmp_path)
    assert len(data["sales"]) == 2  # two orders with equal lines are not duplicates of each other


def test_erp_daily_sales_and_purchase_receipts_with_chinese_headers(tmp_path):
    s = write_rows(
        tmp_path / "销量.csv",
        ["日期", "SKU", "销量", "销售额", "FBA可售"],
        [
            ["2026-10-01", "A", 3, "$29.97", 12],
            ["2026-10-02", "A", 0, 0, 0],
            ["2026-10-03", "A", -1, 0, 0],
        ],
        sep=",",
        encoding="utf-8-sig",
    )
    r = read_file(s)
    assert r.format.name == "sales_daily"
    assert r.data["available"].tolist() == [12, 0] and r.data["revenue"].tolist() == [29.97, 0.0]
    assert (
        r.quarantine["line"].tolist() == [4]
        and "cannot be negative" in r.quarantine["reason"].iloc[0]
    )
    p = write_rows(
        tmp_path / "采购入库.csv",
        ["入库日期", "采购单号", "SKU", "入库数量", "采购单价", "仓库"],
        [
            ["2026-09-03", "PO1", "A", 120, "5.20", "SZ"],
            ["2026-09-04", "PO2", "A", 0, "5.20", "SZ"],
        ],
        sep=",",
        encoding="gb18030",
    )
    r = read_file(p)
    assert r.format.name == "purchase_receipts" and r.data["units"].tolist() == [120]
    assert r.quarantine["reason"].str.contains("must be positive").all()


def test_fba_inventory_report_header_variants(tmp_path):
    # the help page's spelling (inventory-age-…), a DEPRECATED column, the 2026 tiers and an unknown column
    header = [
        "snapshot-date",
        "sku",
        "fnsku",
        "asin",
        "product-name",
        "condition",
        "available",
        "inventory-age-0-to-90-days",
        "inventory-age-91-to-180-days",
        "inventory-age-181-to-270-days",
        "inventory-age-271-to-365-days",
        "inventory-age-365-plus-days",
        "inv-age-366-to-455-days",
        "inv-age-456-plus-days",
        "DEPRECATED healthy-inventory-level",
        "estimated-ais-456-plus-days",
        "quantity-to-be-charged-ais-456-plus-days",
        "item-volume",
        "brand-new-column",
    ]
    row = [
        "2026-10-31",
        "0042",
        "X00A",
        "B0A",
        "Lid <Set>",
        "New",
        "12",
        "5",
        "",
        "0",
        "0",
        "7",
        "0",
        "7",
        "",
        "2.45",
        "7",
        "0.05",
        "x",
    ]
    r = read_file(write_rows(tmp_path / "inv.txt", header, [row]))
    assert r.format.name == "amazon_fba_inventory"
    d = r.data.iloc[0]
    assert (
        d["sku"] == "0042"
        and d["available"] == 12
        and str(d["snapshot_date"].date()) == "2026-10-31"
    )
    assert (d["inv_age_0_to_90_days"], d["inv_age_91_to_180_days"], d["inv_age_365_plus_days"]) == (
        5,
        0,
        7,
    )
    assert d["inv_age_456_plus_days"] == 7 and d["estimated_ais_456_plus_days"] == 2.45
    assert d["brand-new-column"] == "x" and d["title"] == "Lid <Set>"


def test_surcharge_and_storage_fee_reports(sample_data):
    sc = sample_data["surcharges"]
    assert (sc["amount_charged"] > 0).all() and set(sc["snapshot_date"].dt.day) == {15}
    st = sample_data["storage_fees"]
    assert str(st["month_of_charge"].iloc[0].date()) == "2026-09-01"
    assert (st["estimated_monthly_storage_fee"] >= 0).all() and st["fnsku"].is_unique


def test_sample_folder_reads_clean(sample_data):
    f = sample_data.files
    assert set(f.loc[f["status"] == "read", "format"]) == {
        "amazon_ledger_summary",
        "amazon_ledger_detail",
        "warehouse_ledger",
        "sku_master",
        "shipments",
        "counts",
        "sales_daily",
        "purchase_receipts",
        "amazon_fba_inventory",
        "amazon_aged_surcharge",
        "amazon_storage_fees",
        "amazon_restock",
        "fx_rates",
        "amazon_reimbursements",
        "amazon_returns",
        "amazon_transactions",
        "amazon_removal_orders",
        "amazon_fee_preview",
        "amazon_replacements",
        "purchase_orders",
    }
    assert sample_data.accounting()["balanced"].all()
    assert len(sample_data.quarantine) == 0
    assert "00417" in set(sample_data["ledger"]["sku"])  # leading zeros survived
    assert isinstance(sample_data["ledger"]["ending"].dtype, pd.Int64Dtype)


def test_open_purchase_orders_in_english_chinese_and_sap_headers(tmp_path):
    en = write_rows(
        tmp_path / "open_pos.csv",
        [
            "PO Number",
            "Supplier",
            "SKU",
            "Units Ordered",
            "Units Received",
            "Order Date",
            "Expected Date",
            "Status",
        ],
        [
            ["PO-1", "Ningbo", "A", 100, 40, "2026-10-01", "2026-10-26", "Partially Received"],
            ["PO-2", "Ningbo", "B", 50, "", "2026-10-20", "2026-11-15", "Open"],
            ["PO-3", "Ningbo", "C", 0, 0, "2026-10-20", "2026-11-15", "Open"],
            ["PO-4", "Ningbo", "D", 10, 0, "2026-10-20", "2026-11-15", "lost in the post"],
        ],
        sep=",",
    )
    r = read_file(en)
    assert r.format.name == "purchase_orders" and r.rows_in == 4
    assert len(r.data) + r.rows_quarantined == r.rows_in
    assert r.data["status"].tolist() == ["PARTIAL", "OPEN"] and r.data[
        "units_ordered"
    ].tolist() == [100, 50]
    q = r.quarantine.set_index("line")
    assert q.loc[4, "column"] == "Units Ordered" and "must be positive" in q.loc[4, "reason"]
    assert q.loc[5, "column"] == "Status" and "unknown purchase order status" in q.loc[5, "reason"]
    zh = write_rows(
        tmp_path / "采购单.csv",
        ["采购单号", "供应商", "SKU", "采购数量", "已到货数量", "下单日期", "预计到货日期", "状态"],
        [
            ["CG001", "宁波工厂", "A", 200, 0, "2026/10/08", "2026/11/02", "待到货"],
            ["CG002", "宁波工厂", "B", 80, 80, "2026/09/01", "2026/09/26", "已完成"],
            ["CG003", "宁波工厂", "C", 30, 0, "2026/10/09", "2026/11/03", "草稿"],
        ],
        sep=",",
        encoding="gb18030",
    )
    r = read_file(zh)
    assert r.format.name == "purchase_orders" and r.data["status"].tolist() == [
        "OPEN",
        "CLOSED",
        "DRAFT",
    ]
    assert str(r.data["expected_date"].iloc[0].date()) == "2026-11-02"
    # an SAP Business One export of open PO lines (DocNum, CardName, ItemCode, DocDueDate)
    sap = write_rows(
        tmp_path / "sap_po.csv",
        ["DocNum", "CardName", "ItemCode", "Ordered Qty", "Received Qty", "PO Date", "DocDueDate"],
        [["4711", "Shenzhen Co", "A", 120, 20, "2026-10-02", "2026-11-01"]],
        sep=",",
    )
    r = read_file(sap)
    assert r.format.name == "purchase_orders"
    assert (
        r.data["po_number"].iloc[0],
        r.data["supplier"].iloc[0],
        r.data["units_received"].iloc[0],
    ) == ("4711", "Shenzhen Co", 20)
