"""Every input format stockbook reads, and the one alias table for their headers.

A format maps the headers a file really has (Amazon's, or a seller's in English
or Chinese) onto a canonical table's columns. Headers are matched after
normalising case, spaces, underscores, hyphens and brackets, so
``Starting Warehouse Balance``, ``starting-warehouse-balance`` and
``STARTING_WAREHOUSE_BALANCE`` are the same header.

>>> detect_format(["Date", "FNSKU", "ASIN", "MSKU", "Title", "Disposition",
...     "Starting Warehouse Balance", "Receipts", "Ending Warehouse Balance", "Location"]).name
'amazon_ledger_summary'
>>> detect_format(["月份", "SKU", "仓库", "期初库存", "本期入库", "本期出库", "期末库存"]).name
'warehouse_ledger'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stockbook.schema import DType

#: canonical column -> the header spellings seen in the wild (one table for all formats)
ALIASES: dict[str, tuple[str, ...]] = {
    # identifiers
    "sku": ("MSKU", "SKU", "Seller SKU", "Merchant SKU", "seller-sku", "商品编码", "产品编码", "SKU编码",
            "卖家SKU", "库存SKU", "货号"),
    "fnsku": ("FNSKU", "fulfillment-sku", "FN SKU"),
    "asin": ("ASIN", "asin1"),
    "title": ("Title", "product-name", "Product Name", "Item Name", "品名", "商品名称", "产品名称"),
    "disposition": ("Disposition", "库存状态"),
    "location": ("Location", "Warehouse", "仓库", "仓库名称", "Fulfillment Center", "fulfillment-center-id"),
    "location_class": ("Location Class", "Location Type", "Warehouse Type", "仓库类型", "仓库类别"),
    "country": ("Country",),
    # periods and dates
    "date": ("Date", "日期", "Month", "Period", "月份", "期间", "盘点日期", "Count Date", "purchase-date"),
    "event_type": ("Event Type",),
    "reference_id": ("Reference ID",),
    "quantity": ("Quantity",),
    "reason": ("Reason",),
    "reconciled_quantity": ("Reconciled Quantity",),
    "unreconciled_quantity": ("Unreconciled Quantity",),
    # ledger balances and flows (Amazon summary view)
    "starting": ("Starting Warehouse Balance", "Opening", "Opening Balance", "Beginning Inventory",
                 "Beginning Balance", "Starting Balance", "期初库存", "期初数量", "期初结存"),
    "in_transit_between_warehouses": ("In Transit Between Warehouses",),
    "receipts": ("Receipts", "Incoming", "Received", "Units In", "本期入库", "入库数量", "采购入库", "入库"),
    "customer_shipments": ("Customer Shipments", "Sales Out", "销售出库"),
    "customer_returns": ("Customer Returns", "Returns", "退货入库", "销售退货"),
    "vendor_returns": ("Vendor Returns", "Removals", "退供应商", "采购退货"),
    "transfers": ("Warehouse Transfer In/Out", "Transfers", "调拨", "调拨净额"),
    "outbound": ("Outgoing", "Shipped Out", "Units Out", "本期出库", "出库数量", "调拨出库", "出库"),
    "found": ("Found", "Count Gain", "盘盈"),
    "lost": ("Lost", "Count Loss", "盘亏"),
    "damaged": ("Damaged", "报损", "损坏"),
    "disposed": ("Disposed", "销毁", "报废"),
    "other_events": ("Other Events", "Other", "其他", "其他调整"),
    "ending": ("Ending Warehouse Balance", "Closing", "Closing Balance", "Ending Inventory", "Ending Balance",
               "期末库存", "期末数量", "期末结存", "结存"),
    "unknown_events": ("Unknown Events",),
    # SKU master
    "unit_cost": ("Unit Cost", "Landed Cost", "COGS", "Cost", "单位成本", "采购成本", "成本价", "成本", "采购单价"),
    "price": ("Price", "Selling Price", "Your Price", "售价", "销售价", "your-price"),
    "currency": ("Currency", "币种", "货币"),
    "size_tier": ("Size Tier", "product_size_tier", "尺寸分段", "尺寸等级"),
    "cubic_feet": ("Cubic Feet", "Unit Volume (cu ft)", "item-volume", "体积(立方英尺)", "体积立方英尺"),
    "weight_lb": ("Weight (lb)", "Weight lb", "重量(磅)", "重量磅"),
    "case_pack": ("Case Pack", "Units per Carton", "Units per Case", "箱规", "装箱数", "每箱数量"),
    "moq": ("MOQ", "Minimum Order Quantity", "起订量", "最小起订量"),
    "supplier": ("Supplier", "Vendor", "供应商", "供应商名称"),
    "production_days": ("Production Days", "Production Lead Time", "Lead Time (days)", "生产周期", "生产天数",
                        "采购周期"),
    # shipments
    "shipment_id": ("Shipment ID", "Shipment", "货件编号", "货件号", "货件ID"),
    "units_shipped": ("Units Shipped", "Shipped", "Quantity Shipped", "发货数量", "发货量"),
    "units_received": ("Units Received", "Received Units", "Quantity Received", "签收数量", "已接收数量", "实收数量"),
    "mode": ("Mode", "Shipping Mode", "Transport", "运输方式", "物流方式"),
    "origin": ("Origin", "Ship From", "发货仓"),
    "destination": ("Destination", "Ship To", "目的仓", "目的地"),
    "ship_date": ("Ship Date", "Shipped Date", "发货日期"),
    "eta": ("ETA", "Expected Arrival", "预计到达", "预计到达日期"),
    "received_date": ("Received Date", "Closed Date", "签收日期", "上架日期"),
    "status": ("Status", "Shipment Status", "状态", "货件状态"),
    # counts
    "units": ("Counted Units", "Count", "Units Counted", "盘点数量", "实盘数量"),
}


def norm(header: str) -> str:
    """Normalise a header for matching.

    >>> norm(" Warehouse Transfer In/Out "), norm("体积(立方英尺)"), norm("seller-sku")
    ('warehousetransferinout', '体积立方英尺', 'sellersku')
    """
    h = header.strip().lower().lstrip("\ufeff")
    h = re.sub(r"^deprecated\s+", "", h)
    return re.sub(r"[\s_\-/()（）\[\]:：.]+", "", h)


@dataclass(frozen=True)
class Format:
    """One input format: which canonical table it feeds and how its columns map."""

    name: str
    table: str
    label: str
    columns: dict[str, DType]  # canonical column -> type, in the order they are parsed
    required: tuple[str, ...]
    signature: tuple[str, ...]  # headers (as written) that identify the format
    blank_is_zero: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per-format overrides

    def spellings(self, column: str) -> tuple[str, ...]:
        return self.aliases.get(column, ALIASES.get(column, (column,)))

    def map_header(self, header: list[str]) -> dict[str, int]:
        """Canonical column -> position in ``header``; the first matching header wins."""
        normed = [norm(h) for h in header]
        out: dict[str, int] = {}
        for col in self.columns:
            wanted = {norm(a) for a in self.spellings(col)} | {norm(col)}
            for i, h in enumerate(normed):
                if h in wanted and i not in out.values():
                    out[col] = i
                    break
        return out


_FLOW_COLS: dict[str, DType] = {
    f: "units"
    for f in (
        "receipts", "customer_shipments", "customer_returns", "vendor_returns", "transfers",
        "found", "lost", "damaged", "disposed", "other_events",
    )
}

AMAZON_LEDGER_SUMMARY = Format(
    name="amazon_ledger_summary",
    table="ledger",
    label="Amazon Inventory Ledger, summary view (GET_LEDGER_SUMMARY_VIEW_DATA)",
    columns={
        "date": "text", "fnsku": "id", "asin": "id", "sku": "id", "title": "text", "disposition": "id",
        "starting": "units", "in_transit_between_warehouses": "units", **_FLOW_COLS,
        "ending": "units", "unknown_events": "units", "location": "id",
    },
    required=("date", "sku", "starting", "ending"),
    signature=("Starting Warehouse Balance", "Ending Warehouse Balance"),
    blank_is_zero=(*_FLOW_COLS, "in_transit_between_warehouses", "unknown_events"),
    aliases={"sku": ("MSKU",), "date": ("Date",), "location": ("Location",)},
)

AMAZON_LEDGER_DETAIL = Format(
    name="amazon_ledger_detail",
    table="ledger_events",
    label="Amazon Inventory Ledger, detail view (GET_LEDGER_DETAIL_VIEW_DATA)",
    columns={
        "date": "date", "fnsku": "id", "asin": "id", "sku": "id", "title": "text", "event_type": "id",
        "reference_id": "id", "quantity": "units", "location": "id", "disposition": "id", "reason": "id",
        "country": "id", "reconciled_quantity": "units", "unreconciled_quantity": "units",
    },
    required=("date", "sku", "event_type", "quantity"),
    signature=("Event Type", "Quantity", "Fulfillment Center"),
    blank_is_zero=("reconciled_quantity", "unreconciled_quantity"),
    aliases={"sku": ("MSKU",), "date": ("Date", "Date and Time"), "location": ("Fulfillment Center",)},
)

WAREHOUSE_LEDGER = Format(
    name="warehouse_ledger",
    table="ledger",
    label="seller's warehouse ledger (进销存), CSV or XLSX",
    columns={
        "date": "text", "sku": "id", "title": "text", "location": "id", "location_class": "id",
        "starting": "units", "receipts": "units", "customer_shipments": "units", "customer_returns": "units",
        "vendor_returns": "units", "transfers": "units", "outbound": "units", "found": "units", "lost": "units",
        "damaged": "units", "disposed": "units", "other_events": "units", "ending": "units",
    },
    required=("date", "sku", "starting", "ending"),
    signature=(),
    blank_is_zero=tuple(_FLOW_COLS) + ("outbound",),
)

SKU_MASTER = Format(
    name="sku_master",
    table="products",
    label="seller's SKU master (商品资料), CSV or XLSX",
    columns={
        "sku": "id", "asin": "id", "fnsku": "id", "title": "text", "unit_cost": "money", "price": "money",
        "currency": "id", "size_tier": "id", "cubic_feet": "number", "weight_lb": "number", "case_pack": "units",
        "moq": "units", "supplier": "text", "production_days": "number",
    },
    required=("sku", "unit_cost"),
    signature=(),
)

SHIPMENTS = Format(
    name="shipments",
    table="shipments",
    label="seller's shipments to FBA / overseas warehouses (货件), CSV or XLSX",
    columns={
        "shipment_id": "id", "sku": "id", "units_shipped": "units", "units_received": "units", "mode": "id",
        "origin": "id", "destination": "id", "ship_date": "date", "eta": "date", "received_date": "date",
        "status": "id",
    },
    required=("shipment_id", "sku", "units_shipped", "mode", "ship_date"),
    signature=(),
)

COUNTS = Format(
    name="counts",
    table="counts",
    label="physical stock count (盘点), CSV or XLSX",
    columns={"date": "date", "sku": "id", "location": "id", "units": "units"},
    required=("date", "sku", "location", "units"),
    signature=(),
)

SALES_DAILY = Format(
    name="sales_daily",
    table="sales",
    label="daily sales per SKU (ERP 销量报表 / business report by day), CSV or XLSX",
    columns={
        "date": "date", "sku": "id", "asin": "id", "units": "units", "revenue": "money", "currency": "id",
        "channel": "id", "available": "units",
    },
    required=("date", "sku", "units"),
    signature=(),
    aliases={
        "units": ("Units Sold", "Units Ordered", "Sales Units", "Units", "销量", "销售数量", "销售量", "订单商品数量"),
        "revenue": ("Revenue", "Sales", "Ordered Product Sales", "Sales Amount", "销售额", "销售金额"),
        "channel": ("Channel", "Marketplace", "Sales Channel", "站点", "渠道"),
        "available": ("Available", "FBA Available", "Available Units", "FBA可售", "FBA可售库存", "可售库存"),
        "date": ("Date", "日期", "Day"),
    },
)

AMAZON_ORDERS = Format(
    name="amazon_orders",
    table="sales",
    label="Amazon All Orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL)",
    columns={
        "order_id": "id", "date": "date", "order_status": "id", "channel": "id", "sku": "id", "asin": "id",
        "units": "units", "currency": "id", "revenue": "money",
    },
    required=("order_id", "date", "sku", "units"),
    signature=("amazon-order-id", "purchase-date"),
    aliases={
        "order_id": ("amazon-order-id",), "date": ("purchase-date",), "order_status": ("order-status",),
        "channel": ("sales-channel",), "sku": ("sku",), "asin": ("asin",), "units": ("quantity",),
        "currency": ("currency",), "revenue": ("item-price",),
    },
)

PURCHASE_RECEIPTS = Format(
    name="purchase_receipts",
    table="receipts",
    label="seller's purchase receipts (采购入库单), CSV or XLSX",
    columns={"date": "date", "po_number": "id", "sku": "id", "units": "units", "unit_cost": "money",
             "location": "id"},
    required=("date", "sku", "units", "po_number"),
    signature=(),
    aliases={
        "date": ("Receipt Date", "Received Date", "Date", "入库日期", "到货日期", "日期"),
        "po_number": ("PO Number", "PO", "Purchase Order", "采购单号", "采购订单号"),
        "units": ("Units Received", "Quantity", "Units", "入库数量", "到货数量", "数量"),
        "unit_cost": ("Unit Cost", "Cost", "采购单价", "单价", "单位成本"),
    },
)

def _fba_inventory_format() -> Format:
    from stockbook.schema import AGE_BUCKETS, FBA_INVENTORY, FINE_AGE_BUCKETS

    cols: dict[str, DType] = {"date": "date"}
    cols.update({c.name: c.dtype for c in FBA_INVENTORY.columns
                 if c.name not in ("snapshot_date", "source_file", "source_line")})
    aliases: dict[str, tuple[str, ...]] = {
        "date": ("snapshot-date", "Inventory age snapshot date"), "sku": ("sku", "Merchant SKU"),
        "title": ("product-name",), "available": ("available", "Available"),
        "volume_unit_measurement": ("volume-unit-measurement",), "your_price": ("your-price",),
    }
    # Amazon's help page writes inventory-age-… where the download writes inv-age-…
    for b in (*AGE_BUCKETS, *FINE_AGE_BUCKETS):
        aliases[b] = (b.replace("_", "-"), b.replace("inv_age", "inventory-age").replace("_", "-"))
    return Format(
        name="amazon_fba_inventory",
        table="fba_inventory",
        label="Amazon FBA Inventory report (GET_FBA_INVENTORY_PLANNING_DATA)",
        columns=cols,
        required=("date", "sku", "available"),
        signature=("snapshot-date", "available"),
        blank_is_zero=tuple(c for c, t in cols.items() if t == "units" and c != "available"),
        aliases=aliases,
    )


AMAZON_FBA_INVENTORY = _fba_inventory_format()

AMAZON_STORAGE_FEES = Format(
    name="amazon_storage_fees",
    table="storage_fees",
    label="Amazon Monthly Storage Fees report (GET_FBA_STORAGE_FEE_CHARGES_DATA)",
    columns={
        "date": "text", "fnsku": "id", "asin": "id", "title": "text", "location": "id", "country": "id",
        "item_volume": "number", "volume_units": "id", "size_tier": "id", "average_quantity_on_hand": "number",
        "average_quantity_pending_removal": "number", "estimated_total_item_volume": "number",
        "storage_rate": "money", "base_rate": "money", "utilization_surcharge_rate": "money",
        "estimated_monthly_storage_fee": "money", "currency": "id",
    },
    required=("date", "fnsku", "estimated_monthly_storage_fee"),
    signature=("month_of_charge", "estimated_monthly_storage_fee"),
    aliases={"date": ("month_of_charge",), "title": ("product_name",), "location": ("fulfillment_center",),
             "country": ("country_code",), "size_tier": ("product_size_tier",)},
)

AMAZON_SURCHARGES = Format(
    name="amazon_aged_surcharge",
    table="surcharges",
    label="Amazon Aged Inventory Surcharge report (GET_FBA_FULFILLMENT_LONGTERM_STORAGE_FEE_CHARGES_DATA)",
    columns={
        "date": "date", "sku": "id", "fnsku": "id", "asin": "id", "title": "text", "condition": "id",
        "per_unit_volume": "number", "currency": "id", "volume_unit": "id", "country": "id",
        "qty_charged": "units", "amount_charged": "money", "surcharge_age_tier": "id", "rate_surcharge": "money",
    },
    required=("date", "sku", "qty_charged", "amount_charged"),
    signature=("snapshot-date", "qty-charged", "amount-charged"),
    aliases={"date": ("snapshot-date",), "sku": ("sku",), "title": ("product-name",),
             "qty_charged": ("qty-charged", "qty-charged-12-mo-long-term-storage-fee"),
             "amount_charged": ("amount-charged", "12-mo-long-terms-storage-fee")},
)

AMAZON_RESTOCK = Format(
    name="amazon_restock",
    table="restock",
    label="Amazon Restock Inventory report (GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT)",
    columns={
        "sku": "id", "fnsku": "id", "asin": "id", "title": "text", "condition": "id", "supplier": "text",
        "currency": "id", "price": "money", "sales_last_30_days": "money", "units_sold_30d": "units",
        "total_units": "units", "inbound": "units", "available": "units", "unfulfillable": "units",
        "total_days_of_supply": "number", "days_of_supply_at_amazon": "number", "alert": "text",
        "recommended_qty": "units", "recommended_ship_date": "date", "recommended_action": "text",
    },
    required=("sku", "recommended_qty"),
    signature=("Recommended replenishment qty",),
    blank_is_zero=("units_sold_30d", "total_units", "inbound", "available", "unfulfillable"),
    aliases={
        "sku": ("Merchant SKU",), "title": ("Product Name",), "currency": ("Currency code",),
        "sales_last_30_days": ("Sales last 30 days",), "units_sold_30d": ("Units Sold Last 30 Days",),
        "total_units": ("Total Units",), "inbound": ("Inbound",), "available": ("Available",),
        "unfulfillable": ("Unfulfillable",),
        "total_days_of_supply": ("Total Days of Supply (including units from open shipments)",
                                 "Total Days of Supply"),
        "days_of_supply_at_amazon": ("Days of Supply at Amazon Fulfillment Network",),
        "recommended_qty": ("Recommended replenishment qty",), "recommended_ship_date": ("Recommended ship date",),
        "recommended_action": ("Recommended action",),
    },
)

FORMATS: tuple[Format, ...] = (
    AMAZON_RESTOCK,
    AMAZON_FBA_INVENTORY,
    AMAZON_STORAGE_FEES,
    AMAZON_SURCHARGES,
    AMAZON_LEDGER_SUMMARY,
    AMAZON_LEDGER_DETAIL,
    AMAZON_ORDERS,
    WAREHOUSE_LEDGER,
    SHIPMENTS,
    COUNTS,
    SKU_MASTER,
    SALES_DAILY,
    PURCHASE_RECEIPTS,
)


def detect_format(header: list[str], *, strict: bool = True) -> Format | None:
    """The format whose required columns and signature all appear in ``header``.

    Among candidates the most specific wins (signature first, then most columns matched).
    Returns ``None`` when nothing matches.
    """
    normed = {norm(h) for h in header}
    best: tuple[int, int, Format] | None = None
    for fmt in FORMATS:
        if not all(norm(s) in normed for s in fmt.signature):
            continue
        mapping = fmt.map_header(header)
        if not all(c in mapping for c in fmt.required):
            continue
        score = (len(fmt.signature), len(mapping))
        if best is None or score > best[:2]:
            best = (*score, fmt)
    return best[2] if best else None


def closest_format(header: list[str]) -> tuple[Format, list[str]]:
    """The format that needs the fewest missing columns, and those columns' spellings."""
    ranked = []
    for fmt in FORMATS:
        mapping = fmt.map_header(header)
        normed = {norm(h) for h in header}
        missing = [fmt.spellings(c)[0] for c in fmt.required if c not in mapping]
        missing += [s for s in fmt.signature if norm(s) not in normed and s not in missing]
        ranked.append((len(missing), -len(mapping), fmt.name, fmt, missing))
    ranked.sort(key=lambda r: r[:3])
    return ranked[0][3], ranked[0][4]
