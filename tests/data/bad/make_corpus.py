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
SUMMARY = [
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Disposition",
    "Starting Warehouse Balance",
    "In Transit Between Warehouses",
    "Receipts",
    "Customer Shipments",
    "Customer Returns",
    "Vendor Returns",
    "Warehouse Transfer In/Out",
    "Found",
    "Lost",
    "Damaged",
    "Disposed",
    "Other Events",
    "Ending Warehouse Balance",
    "Unknown Events",
    "Location",
]
ROW = [
    "10/2026",
    "X00ABC1234",
    "B0ABCDEFGH",
    "00123",
    "Widget",
    "SELLABLE",
    "10",
    "0",
    "2",
    "-1",
    "1",
    "0",
    "0",
    "0",
    "-1",
    "0",
    "0",
    "0",
    "11",
    "0",
    "US",
]
ROW2 = [
    "10/2026",
    "X00ABC9999",
    "B0ABCDEFGZ",
    "SKU-2",
    "Gadget",
    "SELLABLE",
    "5",
    "0",
    "0",
    "-2",
    "0",
    "0",
    "0",
    "0",
    "0",
    "0",
    "0",
    "0",
    "3",
    "0",
    "US",
]
DETAIL = [
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
WAREHOUSE = [
    "月份",
    "SKU",
    "品名",
    "仓库",
    "仓库类型",
    "期初库存",
    "本期入库",
    "本期出库",
    "期末库存",
]
MASTER = [
    "SKU",
    "ASIN",
    "FNSKU",
    "品名",
    "采购成本",
    "售价",
    "尺寸分段",
    "体积(立方英尺)",
    "重量(磅)",
]
SHIP = [
    "Shipment ID",
    "SKU",
    "Units Shipped",
    "Units Received",
    "Mode",
    "Ship Date",
    "ETA",
    "Received Date",
    "Status",
]
COUNTS = ["盘点日期", "SKU", "仓库", "盘点数量"]
SALES = ["日期", "SKU", "销量", "销售额", "FBA可售"]
ORDERS = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
]
RECEIPTS = ["入库日期", "采购单号", "SKU", "入库数量", "采购单价", "仓库"]
INVENTORY = [
    "snapshot-date",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "available",
    "inv-age-0-to-90-days",
    "inv-age-91-to-180-days",
    "inv-age-181-to-270-days",
    "inv-age-271-to-365-days",
    "inv-age-365-plus-days",
]
SURCHARGE = [
    "snapshot-date",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "per-unit-volume",
    "currency",
    "volume-unit",
    "country",
    "qty-charged",
    "amount-charged",
    "surcharge-age-tier",
    "rate-surcharge",
]
STORAGE = [
    "asin",
    "fnsku",
    "product_name",
    "fulfillment_center",
    "country_code",
    "item_volume",
    "volume_units",
    "product_size_tier",
    "average_quantity_on_hand",
    "month_of_charge",
    "storage_rate",
    "currency",
    "estimated_monthly_storage_fee",
]
RESTOCK = [
    "Country",
    "Product Name",
    "FNSKU",
    "Merchant SKU",
    "ASIN",
    "Units Sold Last 30 Days",
    "Available",
    "Inbound",
    "Recommended replenishment qty",
    "Recommended ship date",
    "Recommended action",
]


def text(
    name: str,
    rows: list[list[object]],
    *,
    sep: str = "\t",
    encoding: str = "utf-8",
    eol: str = "\n",
    bom: bytes = b"",
) -> None:
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
    text(
        "summary_missing_ending.txt",
        [[h for h in SUMMARY if h != "Ending Warehouse Balance"], ROW[:18] + ROW[19:]],
    )
    text(
        "summary_renamed_headers.csv",
        [[h.upper().replace(" ", "_") for h in SUMMARY], ROW, ROW2],
        sep=",",
    )
    order = [20, 3, 0, 1, 2, 4, 5, 6, 18, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19]
    text("summary_columns_reordered.txt", [[SUMMARY[i] for i in order], [ROW[i] for i in order]])
    text(
        "summary_extra_columns.txt", [SUMMARY + ["Brand New Column", "Store"], ROW + ["x", "main"]]
    )
    text("summary_header_only.txt", [SUMMARY])
    (HERE / "summary_truncated_last_line.txt").write_text(
        "\t".join(SUMMARY) + "\n" + "\t".join(ROW) + "\n" + "\t".join(ROW2[:9]), encoding="utf-8"
    )
    text("summary_semicolon.csv", [SUMMARY, ROW, ROW2], sep=";")
    text("summary_utf8_bom.csv", [SUMMARY, ROW], sep=",", bom=codecs.BOM_UTF8)
    text("summary_crlf.csv", [SUMMARY, ROW, ROW2], sep=",", eol="\r\n")
    text("summary_decimal_units.txt", [SUMMARY, ROW, [*ROW2[:6], "5.5", *ROW2[7:]]])
    text("summary_negative_stock.txt", [SUMMARY, [*ROW2[:18], "-3", *ROW2[19:]]])
    text("summary_bad_date.txt", [SUMMARY, ROW, ["31/13/2026", *ROW2[1:]]])
    text("summary_missing_sku.txt", [SUMMARY, ROW, [*ROW2[:3], "", *ROW2[4:]]])
    text("summary_duplicate_rows.txt", [SUMMARY, ROW, ROW2, ROW])
    text(
        "summary_thousands_separators.csv",
        [SUMMARY, [*ROW[:6], '"1,010"', *ROW[7:18], '"1,011"', *ROW[19:]]],
        sep=",",
    )
    quoted(
        "summary_delimiter_in_quoted_title.csv", [SUMMARY, [*ROW[:4], "Widget, large", *ROW[5:]]]
    )
    # --- Amazon ledger, detail view: every date format Amazon writes
    text(
        "detail_dates_mdy.txt",
        [
            DETAIL,
            [
                "10/05/2026",
                "X00A",
                "B0A",
                "A",
                "t",
                "Shipments",
                "111-1",
                "-1",
                "PHX7",
                "SELLABLE",
                "",
                "US",
            ],
        ],
    )
    text(
        "detail_iso_timezone.txt",
        [
            DETAIL,
            [
                "2026-10-05T07:00:00+00:00",
                "X00A",
                "B0A",
                "A",
                "t",
                "Adjustments",
                "9",
                "-1",
                "PHX7",
                "SELLABLE",
                "M",
                "US",
            ],
            [
                "2026-10-06T23:59:59-07:00",
                "X00A",
                "B0A",
                "A",
                "t",
                "Receipts",
                "FBA1",
                "10",
                "PHX7",
                "SELLABLE",
                "",
                "US",
            ],
        ],
    )
    text(
        "detail_unknown_event.txt",
        [
            DETAIL,
            [
                "10/05/2026",
                "X00A",
                "B0A",
                "A",
                "t",
                "Brand New Event",
                "1",
                "2",
                "PHX7",
                "SELLABLE",
                "",
                "US",
            ],
        ],
    )
    # --- warehouse ledger (进销存)
    wrow = ["2026-10", "A", "品", "SZ", "国内仓", "10", "5", "3", "12"]
    text("warehouse_gb18030.csv", [WAREHOUSE, wrow], sep=",", encoding="gb18030", eol="\r\n")
    text(
        "warehouse_utf16_excel.txt",
        [WAREHOUSE, wrow],
        sep="\t",
        encoding="utf-16-le",
        eol="\r\n",
        bom=codecs.BOM_UTF16_LE,
    )
    text(
        "warehouse_unknown_location_class.csv",
        [WAREHOUSE, wrow, [*wrow[:4], "月球仓", *wrow[5:]]],
        sep=",",
    )
    text(
        "warehouse_excel_serial_dates.csv",
        [["日期", *WAREHOUSE[1:]], ["46326", *wrow[1:]]],
        sep=",",
    )
    # --- SKU master
    text(
        "master_unquoted_thousands_separator.csv",
        [MASTER, ["A", "B0A", "X0A", "t", "¥1,234.50", "$29.99", "standard", "0.2", "1.1"]],
        sep=",",
    )
    quoted(
        "master_currency_and_thousands.csv",
        [MASTER, ["A", "B0A", "X0A", "t", "¥1,234.50", "$29.99", "standard", "0.2", "1.1"]],
    )
    text(
        "master_leading_zeros.csv",
        [MASTER, ["00123", "B0A", "X0A", "t", "5", "20", "standard", "0.2", "1"]],
        sep=",",
    )
    text(
        "master_scientific_notation.csv",
        [
            MASTER,
            ["1.23457E+11", "B0A", "X0A", "t", "5", "20", "standard", "0.2", "1"],
            ["B-2", "B0B", "X0B", "t", "5", "20", "standard", "0.2", "1"],
        ],
        sep=",",
    )
    text(
        "master_same_sku_two_asins.csv",
        [
            MASTER,
            ["A", "B0A", "X0A", "t", "5", "20", "standard", "0.2", "1"],
            ["A", "B0Z", "X0A", "t", "5", "20", "standard", "0.2", "1"],
        ],
        sep=",",
    )
    text(
        "master_bad_cost.csv",
        [MASTER, ["A", "B0A", "X0A", "t", "five", "20", "standard", "0.2", "1"]],
        sep=",",
    )
    # --- shipments
    text(
        "shipments_unknown_mode.csv",
        [
            SHIP,
            [
                "FBA1",
                "A",
                "100",
                "100",
                "Teleport",
                "2026-09-01",
                "2026-10-01",
                "2026-10-02",
                "CLOSED",
            ],
        ],
        sep=",",
    )
    text(
        "shipments_negative_units.csv",
        [SHIP, ["FBA1", "A", "-5", "", "Sea", "2026-09-01", "", "", "WORKING"]],
        sep=",",
    )
    text(
        "shipments_date_formats.csv",
        [
            SHIP,
            [
                "FBA1",
                "A",
                "100",
                "98",
                "海运",
                "09/01/2026",
                "2026-10-01",
                "2026-10-02T08:00:00Z",
                "CLOSED",
            ],
        ],
        sep=",",
    )
    # --- counts
    text(
        "counts_negative.csv",
        [COUNTS, ["2026-10-31", "A", "SZ", "-4"], ["2026-10-31", "B", "SZ", "4"]],
        sep=",",
    )
    # --- sales and orders
    text(
        "sales_negative_units.csv",
        [SALES, ["2026-10-01", "A", "3", "30", "5"], ["2026-10-02", "A", "-1", "0", "5"]],
        sep=",",
    )
    text(
        "orders_cancelled.txt",
        [
            ORDERS,
            [
                "111-1",
                "",
                "2026-10-05T14:22:11+00:00",
                "",
                "Shipped",
                "Amazon",
                "Amazon.com",
                "A",
                "B0A",
                "Shipped",
                "1",
                "USD",
                "19.99",
            ],
            [
                "111-2",
                "",
                "2026-10-05T15:00:00+00:00",
                "",
                "Cancelled",
                "Amazon",
                "Amazon.com",
                "A",
                "B0A",
                "Cancelled",
                "1",
                "USD",
                "",
            ],
        ],
    )
    text(
        "receipts_zero_units.csv",
        [
            RECEIPTS,
            ["2026-09-03", "PO1", "A", "120", "5.2", "SZ"],
            ["2026-09-04", "PO2", "A", "0", "5.2", "SZ"],
        ],
        sep=",",
    )
    # --- Amazon FBA Inventory, surcharge, storage fee and restock reports
    text(
        "inventory_help_page_headers.txt",
        [
            [h.replace("inv-age", "inventory-age") for h in INVENTORY]
            + ["DEPRECATED healthy-inventory-level"],
            ["2026-10-31", "A", "X0A", "B0A", "t", "New", "12", "5", "0", "0", "0", "7", ""],
        ],
    )
    text(
        "inventory_missing_available.txt",
        [
            [h for h in INVENTORY if h != "available"],
            ["2026-10-31", "A", "X0A", "B0A", "t", "New", "5", "0", "0", "0", "7"],
        ],
    )
    text(
        "surcharge_bad_amount.txt",
        [
            SURCHARGE,
            [
                "2026-10-15",
                "A",
                "X0A",
                "B0A",
                "t",
                "New",
                "0.1",
                "USD",
                "cubic feet",
                "US",
                "10",
                "abc",
                "456+",
                "7.9",
            ],
        ],
    )
    text(
        "storage_fees_month.txt",
        [
            STORAGE,
            [
                "B0A",
                "X0A",
                "t",
                "PHX7",
                "US",
                "0.1",
                "cubic feet",
                "Large Standard",
                "12.5",
                "2026-09",
                "0.78",
                "USD",
                "0.98",
            ],
        ],
    )
    text(
        "restock_without_quantity.csv",
        [
            [h for h in RESTOCK if h != "Recommended replenishment qty"],
            ["US", "t", "X0A", "A", "B0A", "30", "12", "0", "2026-10-31", "Restock"],
        ],
        sep=",",
    )
    # --- files that are not inputs at all
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "unknown_headers.csv").write_text("foo,bar,baz\n1,2,3\n", encoding="utf-8")
    (HERE / "binary_garbage.txt").write_bytes(bytes(range(256)) * 4)
    (HERE / "notes.pdf").write_bytes(b"%PDF-1.4 not a data file")
    # --- overlapping downloads: 1–30 September and 15 September–15 October of the detail view
    (HERE / "overlapping_downloads").mkdir(exist_ok=True)
    ev = [
        [
            f"09/{d:02d}/2026",
            "X00A",
            "B0A",
            "A",
            "t",
            "Shipments",
            f"111-{d}",
            "-1",
            "PHX7",
            "SELLABLE",
            "",
            "US",
        ]
        for d in (10, 16, 20, 28)
    ]
    ev2 = [
        [
            f"{m:02d}/{d:02d}/2026",
            "X00A",
            "B0A",
            "A",
            "t",
            "Shipments",
            f"111-{m}{d}",
            "-1",
            "PHX7",
            "SELLABLE",
            "",
            "US",
        ]
        for m, d in ((10, 2), (10, 9))
    ]
    text("overlapping_downloads/detail_2026-09-01_2026-09-30.txt", [DETAIL, *ev])
    text("overlapping_downloads/detail_2026-09-15_2026-10-15.txt", [DETAIL, *ev[1:], *ev2])
    text("overlapping_downloads/summary_2026-09.txt", [SUMMARY, ROW, ROW2])
    text("overlapping_downloads/summary_2026-09_again.txt", [SUMMARY, ROW2, ROW])
    # --- spreadsheets
    sheet(
        "xlsx_several_sheets.xlsx",
        {"说明": [["本表为导出数据"]], "进销存": [["深圳仓 2026年10月"], [], WAREHOUSE, wrow]},
    )
    sheet(
        "xlsx_merged_title.xlsx",
        {"Sheet1": [["深圳仓进销存 2026年10月", None, None], WAREHOUSE, wrow]},
        merge="A1:I1",
    )
    sheet("xlsx_formulas.xlsx", {"Sheet1": [WAREHOUSE, [*wrow[:8], "=F2+G2-H2"]]})


def xlsx_raw(name: str, sheet_xml: str, shared: list[str]) -> None:
    """A minimal workbook written by hand (to make what Excel would not: a zip bomb)."""
    import zipfile

    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    wb = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    wbrels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"'
        "/></Relationships>"
    )
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main" count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in shared)
        + "</sst>"
    )
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for part, body in (
            ("[Content_Types].xml", ct),
            ("_rels/.rels", rels),
            ("xl/workbook.xml", wb),
            ("xl/_rels/workbook.xml.rels", wbrels),
            ("xl/worksheets/sheet1.xml", sheet_xml),
            ("xl/sharedStrings.xml", sst),
        ):
            info = zipfile.ZipInfo(part, date_time=(2026, 10, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body)


def more() -> None:
    """Files from outside this project's own habits: other ERPs, other marketplaces, other tools' bugs."""
    # --- encodings, titles, invisible characters
    text(
        "warehouse_utf16_no_bom.txt",
        [WAREHOUSE, ["2026-10", "A", "品", "SZ", "国内仓", "10", "5", "3", "12"]],
        encoding="utf-16-le",
        eol="\r\n",
    )
    text(
        "summary_cp1252_title.csv",
        [SUMMARY, [*ROW[:4], "Crème brûlée torch", *ROW[5:]]],
        sep=",",
        encoding="cp1252",
    )
    text(
        "master_header_below_title.csv",
        [
            ["商品资料导出"],
            ["导出时间: 2026-10-31 08:00"],
            [],
            MASTER,
            ["A", "B0A", "X0A", "t", "5", "20", "standard", "0.2", "1"],
        ],
        sep=",",
    )
    sheet(
        "xlsx_header_row_12.xlsx",
        {
            "Sheet1": [[f"备注 {i}"] for i in range(11)]
            + [WAREHOUSE, ["2026-10", "A", "品", "SZ", "国内仓", 10, 5, 3, 12]]
        },
    )
    text(
        "summary_header_invisible_char.txt",
        [
            [
                (
                    "\u200b" + h
                    if h == "MSKU"
                    else h + "\u00a0"
                    if h == "Ending Warehouse Balance"
                    else h
                )
                for h in SUMMARY
            ],
            ROW,
        ],
    )
    text(
        "master_zero_width_in_ids.csv",
        [MASTER, ["A\u200b", "B0A\u00a0", "\ufeffX0A", "t", "5", "20", "standard", "0.2", "1"]],
        sep=",",
    )
    text("summary_nul_in_sku.txt", [SUMMARY, [*ROW[:3], "00123\x00", *ROW[4:]]])
    # --- rows that are not rows
    rows = [[*ROW[:3], f"S{i}", f"Item {i}", *ROW[5:]] for i in range(10)]
    rows[2][4] = '"Widget 12in'  # an unclosed quote: it would swallow the rows after it
    quoted_rows = [SUMMARY, *rows]
    (HERE / "summary_unclosed_quote.csv").write_text(
        "\n".join(",".join(r) for r in quoted_rows) + "\n", encoding="utf-8"
    )
    text("summary_huge_cell.txt", [SUMMARY, ROW, [*ROW2[:4], "x" * 150_000, *ROW2[5:]]])
    text("summary_extra_field.txt", [SUMMARY, ROW, [*ROW2, "surprise"]])
    (HERE / "summary_blank_lines.txt").write_text(
        "\t".join(SUMMARY)
        + "\n\n"
        + "\t".join(ROW)
        + "\n\n\n"
        + "\t".join([*ROW2[:6], "x", *ROW2[7:]])
        + "\n",
        encoding="utf-8",
    )
    text("summary_repeated_header.txt", [SUMMARY, ROW, SUMMARY, ROW2])
    text("summary_duplicate_header.txt", [[*SUMMARY, "MSKU"], [*ROW, "OTHER"]])
    # --- numbers and dates written another way
    text(
        "sales_month_in_daily_column.csv",
        [SALES, ["2026-10-01", "A", "3", "30", "5"], ["10/2026", "A", "90", "900", "5"]],
        sep=",",
    )
    text("sales_two_digit_year.csv", [SALES, ["10/02/26", "A", "3", "30", "5"]], sep=",")
    quoted(
        "master_decimal_comma_volume.csv",
        [MASTER, ["A", "B0A", "X0A", "t", "5", "20", "standard", "0,527", "1,1"]],
    )
    text("summary_decimal_comma_units.csv", [SUMMARY, ROW, [*ROW2[:8], "1,5", *ROW2[9:]]], sep=";")
    text(
        "master_european_money.csv",
        [MASTER, ["A", "B0A", "X0A", "t", "1.234,56", "29,99", "standard", "0,2", "1"]],
        sep=";",
    )
    quoted(
        "master_mixed_decimals.csv",
        [
            MASTER,
            ["A", "B0A", "X0A", "t", "1.234,56", "20", "standard", "0.2", "1"],
            ["B", "B0B", "X0B", "t", "1,234.50", "20", "standard", "0.2", "1"],
            ["C", "B0C", "X0C", "t", "1,234", "20", "standard", "0.2", "1"],
        ],
    )
    text(
        "sales_mixed_date_orders.csv",
        [
            SALES,
            ["31/10/2026", "A", "3", "30", "5"],
            ["10/30/2026", "A", "1", "10", "5"],
            ["04/07/2026", "A", "2", "20", "5"],
        ],
        sep=",",
    )
    text(
        "restock_uk_day_first.csv",
        [
            ["Country", *RESTOCK[1:]],
            [
                "United Kingdom",
                "t",
                "X0A",
                "A",
                "B0A",
                "30",
                "12",
                "0",
                "227",
                "04/07/2026",
                "Restock",
            ],
        ],
        sep=",",
    )
    text("summary_uk_day_first.txt", [SUMMARY, ["04/07/2026", *ROW[1:20], "GB"]])
    text(
        "orders_qty_amount_mm_dd_yy.csv",
        [
            [
                "index",
                "Order ID",
                "Date",
                "Status",
                "Fulfilment",
                "Sales Channel ",
                "SKU",
                "ASIN",
                "Qty",
                "currency",
                "Amount",
            ],
            [
                "0",
                "405-1",
                "04-30-22",
                "Shipped",
                "Amazon",
                "Amazon.in",
                "A",
                "B0A",
                "1",
                "INR",
                "647.62",
            ],
            [
                "1",
                "405-2",
                "04-30-22",
                "Cancelled",
                "Merchant",
                "Amazon.in",
                "A",
                "B0A",
                "0",
                "INR",
                "647.62",
            ],
            [
                "2",
                "405-3",
                "04-30-22",
                "Pending",
                "Amazon",
                "Amazon.in",
                "B",
                "B0B",
                "1",
                "INR",
                "399.00",
            ],
        ],
        sep=",",
    )
    # --- Chinese ERPs' own layouts
    text(
        "warehouse_outflows_already_negative.csv",
        [
            ["月份", "SKU", "仓库", "期初库存", "本期入库", "本期出库", "损坏", "期末库存"],
            ["2026-10", "A", "SZ", "10", "5", "-3", "-1", "11"],
        ],
        sep=",",
    )
    text(
        "warehouse_lingxing_local_2026-10.csv",
        [
            [
                "仓库名称",
                "SKU",
                "品名",
                "库存属性",
                "期初库存（数量）",
                "期初库存（成本）",
                "采购入库（数量）",
                "采购入库（成本）",
                "调拨入库（数量）",
                "其他入库（数量）",
                "盘盈入库（数量）",
                "FBA出库（数量）",
                "FBM出库（数量）",
                "调拨出库（数量）",
                "其他出库（数量）",
                "盘亏出库（数量）",
                "期末在途（数量）",
                "期末库存（数量）",
                "期末库存（成本）",
                "库存周转率（数量）",
            ],
            [
                "深圳仓",
                "A",
                "品",
                "可售",
                "100",
                "500.00",
                "50",
                "250.00",
                "10",
                "2",
                "1",
                "60",
                "5",
                "10",
                "3",
                "1",
                "40",
                "84",
                "420.00",
                "0.5",
            ],
        ],
        sep=",",
    )
    fotolei = [
        "商品编码",
        "商品名称",
        "规格编码",
        "规格名称",
        "起始库存数量",
        "起始库存总额",
        "采购数量",
        "采购总额",
        "采购退货数量",
        "采购退货总额",
        "销售数量",
        "销售总额",
        "销售退货数量",
        "销售退货总额",
        "其他变更数量",
        "其他变更总额",
        "截止库存数量",
        "截止库存总额",
    ]
    text(
        "jxc_2022.04进销存报表.csv",
        [
            fotolei,
            [
                "000003",
                "套装",
                "000003",
                "",
                "10",
                "100",
                "5",
                "50",
                "",
                "",
                "3",
                "90",
                "1",
                "30",
                "-1",
                "-10",
                "12",
                "120",
            ],
        ],
        sep=",",
        bom=codecs.BOM_UTF8,
    )
    text(
        "jxc_without_month.csv",
        [
            fotolei,
            [
                "000003",
                "套装",
                "000003",
                "",
                "10",
                "100",
                "5",
                "50",
                "",
                "",
                "3",
                "90",
                "1",
                "30",
                "-1",
                "-10",
                "12",
                "120",
            ],
        ],
        sep=",",
    )
    text(
        "jxc_2026-10_variants_share_a_product_code.csv",
        [
            fotolei,
            [
                "0007",
                "相机包",
                "0007.1",
                "黑色",
                "5",
                "",
                "",
                "",
                "",
                "",
                "1",
                "",
                "",
                "",
                "",
                "",
                "4",
                "",
            ],
            [
                "0007",
                "相机包",
                "0007.2",
                "灰色",
                "5",
                "",
                "",
                "",
                "",
                "",
                "1",
                "",
                "",
                "",
                "",
                "",
                "4",
                "",
            ],
            [
                "0007",
                "相机包",
                "0007.3",
                "蓝色",
                "5",
                "",
                "",
                "",
                "",
                "",
                "1",
                "",
                "",
                "",
                "",
                "",
                "4",
                "",
            ],
        ],
        sep=",",
    )
    text(
        "jxc_2026-10_kit_blank_balances.csv",
        [
            fotolei,
            [
                "000001",
                "冲洗套装",
                "000001",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "14",
                "5359.84",
                "0",
                "0.0",
                "",
                "",
                "",
                "",
            ],
            [
                "000002",
                "药水",
                "000002",
                "",
                "20",
                "",
                "",
                "",
                "",
                "",
                "14",
                "",
                "",
                "",
                "",
                "",
                "6",
                "",
            ],
        ],
        sep=",",
    )
    text(
        "jxc_cost_settlement.csv",
        [
            [
                "会计期间",
                "商品编码",
                "商品名称",
                "期初数量",
                "期初金额",
                "本期入库数量",
                "本期入库金额",
                "本期出库数量",
                "本期出库金额",
                "期末结存数量",
                "期末结存金额",
            ],
            ["2026-10", "A", "品", "10", "50.00", "5", "25.00", "3", "15.00", "12", "60.00"],
        ],
        sep=",",
    )
    text(
        "fba_stock_report_cn.csv",
        [
            [
                "月份",
                "仓库",
                "店铺站点",
                "MSKU",
                "商品ID",
                "SKU",
                "产品名称",
                "期初库存",
                "库存属性",
                "货件收货",
                "订单发货",
                "买家退货",
                "盘点",
                "已移除",
                "仓库间转运中",
                "期末库存",
                "ERP在途",
            ],
            [
                "2026-10",
                "FBA-US",
                "店铺A-US",
                "MSKU-A",
                "G1",
                "A",
                "品",
                "100",
                "可售",
                "50",
                "30",
                "2",
                "-1",
                "5",
                "3",
                "116",
                "40",
            ],
        ],
        sep=",",
    )
    text(
        "amazon_ledger_chinese_titles.csv",
        [
            [
                "日期/月份",
                "FNSKU",
                "ASIN",
                "原表MSKU",
                "标题",
                "库存属性",
                "起始仓库余额",
                "在库房之间转运中",
                "接收",
                "买家货件",
                "买家退货",
                "供应商退货",
                "仓库转运入库/出库",
                "已找到",
                "丢失",
                "损坏",
                "已处置",
                "其他事件",
                "期末仓库余额",
                "未知事件",
                "位置",
            ],
            ROW,
        ],
        sep=",",
    )
    text("summary_sp_api_spellings.txt", [[h.replace(" ", "") for h in SUMMARY], ROW, ROW2])
    text(
        "detail_date_and_time_and_store.txt",
        [
            [*DETAIL, "Reconciled Quantity", "Unreconciled Quantity", "Date and Time", "Store"],
            [
                "10/05/2026",
                "X00A",
                "B0A",
                "A",
                "t",
                "Shipments",
                "111-1",
                "-1",
                "PHX7",
                "SELLABLE",
                "",
                "US",
                "0",
                "-1",
                "10/05/2026 09:00:00",
                "US",
            ],
        ],
    )
    text(
        "jxc_missing_balances.csv",
        [["商品编码", "商品名称", "采购数量", "销售数量"], ["A", "品", "5", "3"]],
        sep=",",
    )
    text(
        "master_weight_in_grams.csv",
        [["SKU", "ASIN", "品名", "重量/g", "箱规"], ["A", "B0A", "t", "454", "20"]],
        sep=",",
    )
    text(
        "master_without_cost.csv",
        [
            ["商品编码", "规格编码", "商品名称", "供应商名称", "最小订货单元"],
            ["0001", "0001.1", "t", "poilotfoto", "1"],
        ],
        sep=",",
    )
    # --- two downloads of one month that disagree
    (HERE / "conflicting_downloads").mkdir(exist_ok=True)
    text("conflicting_downloads/summary_2026-10.txt", [SUMMARY, ROW, ROW2])
    text(
        "conflicting_downloads/summary_2026-10_again.txt",
        [SUMMARY, [*ROW[:18], "12", *ROW[19:]], ROW2],
    )
    # --- workbooks a reader must not trust
    big = "A" * (80 * 1024 * 1024)
    cells = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>5</v></c></row></sheetData></worksheet>'
    )
    xlsx_raw("xlsx_zip_bomb.xlsx", cells, ["SKU", "Unit Cost", big])
    rows_xml = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
        '</c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4'
        '</v></c><c r="C2"><v>5</v></c></row><row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" t="s"><v>6</v>'
        '</c><c r="C3"><v>7</v></c></row></sheetData></worksheet>'
    )
    xlsx_raw(
        "xlsx_long_cell.xlsx", rows_xml, ["SKU", "品名", "采购成本", "A", "x" * 40_000, "B", "t"]
    )


if __name__ == "__main__":
    main()
    more()
