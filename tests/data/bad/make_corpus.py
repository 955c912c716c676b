"""Write the bad-input corpus (run once; the files are committed): `python tests/data/bad/make_corpus.py`.

Each file is what a seller's download, ERP or Excel really produces when something goes wrong.
`expected.csv` says what stockbook must do with each: raise a clear error, quarantine rows with a
given reason, read it clean, or ignore it.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
SUMMARY = ["Date", "FNSKU", "ASIN", "MSKU", "Title", "Disposition", "Starting Warehouse Balance",
           "In Transit Between Warehouses", "Receipts", "Customer Shipments", "Customer Returns", "Vendor Returns",
           "Warehouse Transfer In/Out", "Found", "Lost", "Damaged", "Disposed", "Other Events",
           "Ending Warehouse Balance", "Unknown Events", "Location"]
ROW = ["10/2026", "X00ABC1234", "B0ABCDEFGH", "00123", "Widget", "SELLABLE", "10", "0", "2", "-1", "1", "0", "0",
       "0", "-1", "0", "0", "0", "11", "0", "US"]
ROW2 = ["10/2026", "X00ABC9999", "B0ABCDEFGZ", "SKU-2", "Gadget", "SELLABLE", "5", "0", "0", "-2", "0", "0", "0",
        "0", "0", "0", "0", "0", "3", "0", "US"]
DETAIL = ["Date", "FNSKU", "ASIN", "MSKU", "Title", "Event Type", "Reference ID", "Quantity", "Fulfillment Center",
          "Disposition", "Reason", "Country"]
WAREHOUSE = ["月份", "SKU", "品名", "仓库", "仓库类型", "期初库存", "本期入库", "本期出库", "期末库存"]
MASTER = ["SKU", "ASIN", "FNSKU", "品名", "采购成本", "售价", "尺寸分段", "体积(立方英尺)", "重量(磅)"]
SHIP = ["Shipment ID", "SKU", "Units Shipped", "Units Received", "Mode", "Ship Date", "ETA", "Received Date",
        "Status"]
COUNTS = ["盘点日期", "SKU", "仓库", "盘点数量"]
SALES = ["日期", "SKU", "销量", "销售额", "FBA可售"]
ORDERS = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
          "fulfillment-channel", "sales-channel", "sku", "asin", "item-status", "quantity", "currency", "item-price"]
RECEIPTS = ["入库日期", "采购单号", "SKU", "入库数量", "采购单价", "仓库"]
INVENTORY = ["snapshot-date", "sku", "fnsku", "asin", "product-name", "condition", "available",
             "inv-age-0-to-90-days", "inv-age-91-to-180-days", "inv-age-181-to-270-days", "inv-age-271-to-365-days",
             "inv-age-365-plus-days"]
SURCHARGE = ["snapshot-date", "sku", "fnsku", "asin", "product-name", "condition", "per-unit-volume", "currency",
             "volume-unit", "country", "qty-charged", "amount-charged", "surcharge-age-tier", "rate-surcharge"]
STORAGE = ["asin", "fnsku", "product_name", "fulfillment_center", "country_code", "item_volume", "volume_units",
           "product_size_tier", "average_quantity_on_hand", "month_of_charge", "storage_rate", "currency",
           "estimated_monthly_storage_fee"]
RESTOCK = ["Country", "Product Name", "FNSKU", "Merchant SKU", "ASIN", "Units Sold Last 30 Days", "Available",
           "Inbound", "Recommended replenishment qty", "Recommended ship date", "Recommended action"]


def text(name: str, rows: list[list[object]], *, sep: str = "\t", encoding: str = "utf-8", eol: str = "\n",
         bom: bytes = b"") -> None:
    body = eol.join(sep.join(str(v) for v in r) for r in rows) + eol
    (HERE / name).write_bytes(bom + body.encode(encoding))


def quoted(name: str, rows: list[list[object]], *, delimiter: str = ",") -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows(rows)


def sheet(name: str, sheets: dict[str, list[list[object]]], *, merge: str | None = None) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        if merge:
            ws.merge_cells(merge)
    wb.save(HERE / name)


def main() -> None:
    # --- Amazon ledger, summary view
    text("summary_missing_ending.txt", [[h for h in SUMMARY if h != "Ending Warehouse Balance"], ROW[:18] + ROW[19:]])
    text("summary_renamed_headers.csv", [[h.upper().replace(" ", "_") for h in SUMMARY], ROW, ROW2], sep=",")
    order = [20, 3, 0, 1, 2, 4, 5, 6, 18, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19]
    text("summary_columns_reordered.txt", [[SUMMARY[i] for i in order], [ROW[i] for i in order]])
    text("summary_extra_columns.txt", [SUMMARY + ["Brand New Column", "Store"], ROW + ["x", "main"]])
    text("summary_header_only.txt", [SUMMARY])
    (HERE / "summary_truncated_last_line.txt").write_text(
        "\t".join(SUMMARY) + "\n" + "\t".join(ROW) + "\n" + "\t".join(ROW2[:9]), encoding="utf-8")
    text("summary_semicolon.csv", [SUMMARY, ROW, ROW2], sep=";")
    text("summary_utf8_bom.csv", [SUMMARY, ROW], sep=",", bom=codecs.BOM_UTF8)
    text("summary_crlf.csv", [SUMMARY, ROW, ROW2], sep=",", eol="\r\n")
    text("summary_decimal_units.txt", [SUMMARY, ROW, [*ROW2[:6], "5.5", *ROW2[7:]]])
    text("summary_negative_stock.txt", [SUMMARY, [*ROW2[:18], "-3", *ROW2[19:]]])
    text("summary_bad_date.txt", [SUMMARY, ROW, ["31/13/2026", *ROW2[1:]]])
    text("summary_missing_sku.txt", [SUMMARY, ROW, [*ROW2[:3], "", *ROW2[4:]]])
    text("summary_duplicate_rows.txt", [SUMMARY, ROW, ROW2, ROW])
    text("summary_thousands_separators.csv", [SUMMARY, [*ROW[:6], '"1,010"', *ROW[7:18], '"1,011"', *ROW[19:]]],
         sep=",")
    quoted("summary_delimiter_in_quoted_title.csv", [SUMMARY, [*ROW[:4], "Widget, large", *ROW[5:]]])
    # --- Amazon ledger, detail view: every date format Amazon writes
    text("detail_dates_mdy.txt", [DETAIL, ["10/05/2026", "X00A", "B0A", "A", "t", "Shipments", "111-1", "-1", "PHX7",
                                           "SELLABLE", "", "US"]])
    text("detail_iso_timezone.txt", [DETAIL, ["2026-10-05T07:00:00+00:00", "X00A", "B0A", "A", "t", "Adjustments",
                                              "9", "-1", "PHX7", "SELLABLE", "M", "US"],
                                     ["2026-10-06T23:59:59-07:00", "X00A", "B0A", "A", "t", "Receipts", "FBA1", "10",
                                      "PHX7", "SELLABLE", "", "US"]])
    text("detail_unknown_event.txt", [DETAIL, ["10/05/2026", "X00A", "B0A", "A", "t", "Brand New Event", "1", "2",
                                               "PHX7", "SELLABLE", "", "US"]])
    # --- warehouse ledger (进销存)
    wrow = ["2026-10", "A", "品", "SZ", "国内仓", "10", "5", "3", "12"]
    text("warehouse_gb18030.csv", [WAREHOUSE, wrow], sep=",", encoding="gb18030", eol="\r\n")
    text("warehouse_utf16_excel.txt", [WAREHOUSE, wrow], sep="\t", encoding="utf-16-le", eol="\r\n",
         bom=codecs.BOM_UTF16_LE)
    text("warehouse_unknown_location_class.csv", [WAREHOUSE, wrow, [*wrow[:4], "月球仓", *wrow[5:]]], sep=",")
    text("warehouse_excel_serial_dates.csv", [["日期", *WAREHOUSE[1:]], ["46326", *wrow[1:]]], sep=",")
    # --- SKU master
    text("master_unquoted_thousands_separator.csv", [MASTER, ["A", "B0A", "X0A", "t", "¥1,234.50", "$29.99",
                                                              "standard", "0.2", "1.1"]], sep=",")
    quoted("master_currency_and_thousands.csv", [MASTER, ["A", "B0A", "X0A", "t", "¥1,234.50", "$29.99", "standard",
                                                          "0.2", "1.1"]])
    text("master_leading_zeros.csv", [MASTER, ["00123", "B0A", "X0A", "t", "5", "20", "standard", "0.2", "1"]], sep=",")
    text("master_scientific_notation.csv", [MASTER, ["1.23457E+11", "B0A", "X0A", "t", "5", "20", "standard", "0.2",
                                                     "1"], ["B-2", "B0B", "X0B", "t", "5", "20", "standard", "0.2", "1"]],
         sep=",")
    text("master_same_sku_two_asins.csv", [MASTER, ["A", "B0A", "X0A", "t", "5", "20", "standard", "0.2", "1"],
                                           ["A", "B0Z", "X0A", "t", "5", "20", "standard", "0.2", "1"]], sep=",")
    text("master_bad_cost.csv", [MASTER, ["A", "B0A", "X0A", "t", "five", "20", "standard", "0.2", "1"]], sep=",")
    # --- shipments
    text("shipments_unknown_mode.csv", [SHIP, ["FBA1", "A", "100", "100", "Teleport", "2026-09-01", "2026-10-01",
                                               "2026-10-02", "CLOSED"]], sep=",")
    text("shipments_negative_units.csv", [SHIP, ["FBA1", "A", "-5", "", "Sea", "2026-09-01", "", "", "WORKING"]],
         sep=",")
    text("shipments_date_formats.csv", [SHIP, ["FBA1", "A", "100", "98", "海运", "09/01/2026", "2026-10-01",
                                               "2026-10-02T08:00:00Z", "CLOSED"]], sep=",")
    # --- counts
    text("counts_negative.csv", [COUNTS, ["2026-10-31", "A", "SZ", "-4"], ["2026-10-31", "B", "SZ", "4"]], sep=",")
    # --- sales and orders
    text("sales_negative_units.csv", [SALES, ["2026-10-01", "A", "3", "30", "5"], ["2026-10-02", "A", "-1", "0", "5"]],
         sep=",")
    text("orders_cancelled.txt", [ORDERS, ["111-1", "", "2026-10-05T14:22:11+00:00", "", "Shipped", "Amazon",
                                           "Amazon.com", "A", "B0A", "Shipped", "1", "USD", "19.99"],
                                  ["111-2", "", "2026-10-05T15:00:00+00:00", "", "Cancelled", "Amazon", "Amazon.com",
                                   "A", "B0A", "Cancelled", "1", "USD", ""]])
    text("receipts_zero_units.csv", [RECEIPTS, ["2026-09-03", "PO1", "A", "120", "5.2", "SZ"],
                                     ["2026-09-04", "PO2", "A", "0", "5.2", "SZ"]], sep=",")
    # --- Amazon FBA Inventory, surcharge, storage fee and restock reports
    text("inventory_help_page_headers.txt", [[h.replace("inv-age", "inventory-age") for h in INVENTORY] +
                                             ["DEPRECATED healthy-inventory-level"],
                                             ["2026-10-31", "A", "X0A", "B0A", "t", "New", "12", "5", "0", "0", "0",
                                              "7", ""]])
    text("inventory_missing_available.txt", [[h for h in INVENTORY if h != "available"],
                                             ["2026-10-31", "A", "X0A", "B0A", "t", "New", "5", "0", "0", "0", "7"]])
    text("surcharge_bad_amount.txt", [SURCHARGE, ["2026-10-15", "A", "X0A", "B0A", "t", "New", "0.1", "USD",
                                                  "cubic feet", "US", "10", "abc", "456+", "7.9"]])
    text("storage_fees_month.txt", [STORAGE, ["B0A", "X0A", "t", "PHX7", "US", "0.1", "cubic feet", "Large Standard",
                                              "12.5", "2026-09", "0.78", "USD", "0.98"]])
    text("restock_without_quantity.csv", [[h for h in RESTOCK if h != "Recommended replenishment qty"],
                                          ["US", "t", "X0A", "A", "B0A", "30", "12", "0", "2026-10-31", "Restock"]],
         sep=",")
    # --- files that are not inputs at all
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "unknown_headers.csv").write_text("foo,bar,baz\n1,2,3\n", encoding="utf-8")
    (HERE / "binary_garbage.txt").write_bytes(bytes(range(256)) * 4)
    (HERE / "notes.pdf").write_bytes(b"%PDF-1.4 not a data file")
    # --- overlapping downloads: 1–30 September and 15 September–15 October of the detail view
    (HERE / "overlapping_downloads").mkdir(exist_ok=True)
    ev = [[f"09/{d:02d}/2026", "X00A", "B0A", "A", "t", "Shipments", f"111-{d}", "-1", "PHX7", "SELLABLE", "", "US"]
          for d in (10, 16, 20, 28)]
    ev2 = [[f"{m:02d}/{d:02d}/2026", "X00A", "B0A", "A", "t", "Shipments", f"111-{m}{d}", "-1", "PHX7", "SELLABLE",
            "", "US"] for m, d in ((10, 2), (10, 9))]
    text("overlapping_downloads/detail_2026-09-01_2026-09-30.txt", [DETAIL, *ev])
    text("overlapping_downloads/detail_2026-09-15_2026-10-15.txt", [DETAIL, *ev[1:], *ev2])
    text("overlapping_downloads/summary_2026-09.txt", [SUMMARY, ROW, ROW2])
    text("overlapping_downloads/summary_2026-09_again.txt", [SUMMARY, ROW2, ROW])
    # --- spreadsheets
    sheet("xlsx_several_sheets.xlsx", {"说明": [["本表为导出数据"]], "进销存": [["深圳仓 2026年10月"], [], WAREHOUSE, wrow]})
    sheet("xlsx_merged_title.xlsx", {"Sheet1": [["深圳仓进销存 2026年10月", None, None], WAREHOUSE, wrow]}, merge="A1:I1")
    sheet("xlsx_formulas.xlsx", {"Sheet1": [WAREHOUSE, [*wrow[:8], "=F2+G2-H2"]]})


if __name__ == "__main__":
    main()
