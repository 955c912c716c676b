"""Every input format stockbook reads, and the one alias table for their headers.

A format maps the headers a file really has (Amazon's, or a seller's in English
or Chinese) onto a canonical table's columns. Headers are matched after
normalising case, spaces, underscores, hyphens, brackets (also full-width ``（）``)
and invisible characters, so ``Starting Warehouse Balance``,
``StartingWarehouseBalance``, ``starting-warehouse-balance`` and
``STARTING_WAREHOUSE_BALANCE`` are the same header, and so are ``期初库存（数量）``
and ``期初库存(数量)``. Where several spellings of one column are present, the
first in the alias list wins (``规格编码``, the variant code, before ``商品编码``).

A seller's ledger (进销存) may spread one canonical flow over several columns
(``FBA出库``, ``FBM出库``, ``调拨出库`` are all stock leaving the warehouse): each
ledger format has **flow families** (:data:`SELLER_FLOWS`), every matching column
of which is read and added up, each with its direction (in, out, or signed as
written). Columns of money (``…成本``, ``…金额``, ``…总额``) and of ratios
(``周转率``, ``存销比``) are never flows.

>>> detect_format(["Date", "FNSKU", "ASIN", "MSKU", "Title", "Disposition",
...     "Starting Warehouse Balance", "Receipts", "Ending Warehouse Balance", "Location"]).name
'amazon_ledger_summary'
>>> detect_format(["月份", "SKU", "仓库", "期初库存", "本期入库", "本期出库", "期末库存"]).name
'warehouse_ledger'
>>> detect_format(["商品编码", "规格编码", "起始库存数量", "采购数量", "销售数量", "截止库存数量"]).name
'warehouse_ledger'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from stockbook.schema import DType

#: canonical column -> the header spellings seen in the wild (one table for all formats)
ALIASES: dict[str, tuple[str, ...]] = {
    # identifiers
    "sku": (
        "规格编码",
        "规格代码",
        "SKU",
        "SKU编码",
        "MSKU",
        "Seller SKU",
        "Merchant SKU",
        "seller-sku",
        "卖家SKU",
        "库存SKU",
        "商品SKU",
        "产品SKU",
        "系统SKU码",
        "SKU编号",
        "原表MSKU",
        "商品编码",
        "产品编码",
        "货号",
        "Product Code",
        "Item Code",
    ),
    "fnsku": ("FNSKU", "fulfillment-sku", "FN SKU"),
    "asin": ("ASIN", "asin1"),
    "title": (
        "Title",
        "product-name",
        "Product Name",
        "Item Name",
        "品名",
        "商品名称",
        "产品名称",
        "标题",
    ),
    "disposition": ("Disposition", "库存属性", "库存状态"),
    "location": (
        "Location",
        "Warehouse",
        "仓库",
        "仓库名称",
        "Fulfillment Center",
        "fulfillment-center-id",
    ),
    "location_class": ("Location Class", "Location Type", "Warehouse Type", "仓库类型", "仓库类别"),
    "country": ("Country", "Store", "国家", "国家/地区", "店铺站点", "站点"),
    # periods and dates
    "date": (
        "Date",
        "日期",
        "Month",
        "Period",
        "月份",
        "期间",
        "会计期间",
        "日期/月份",
        "统计日期",
        "盘点日期",
        "Count Date",
        "purchase-date",
        "Date and Time",
    ),
    "event_type": ("Event Type", "事件类型"),
    "reference_id": ("Reference ID", "参考编号"),
    "quantity": ("Quantity", "数量"),
    "reason": ("Reason", "原因"),
    "reconciled_quantity": ("Reconciled Quantity",),
    "unreconciled_quantity": ("Unreconciled Quantity",),
    # ledger balances (flows are in SELLER_FLOWS / AMAZON_FLOWS)
    "starting": (
        "期初库存",
        "期初库存数量",
        "期初数量",
        "期初结存",
        "期初结存数量",
        "起始库存",
        "起始库存数量",
        "期初",
        "Opening",
        "Opening Balance",
        "Beginning Inventory",
        "Beginning Balance",
        "Starting Balance",
    ),
    "ending": (
        "期末库存",
        "期末库存数量",
        "期末数量",
        "期末结存",
        "期末结存数量",
        "截止库存",
        "截止库存数量",
        "结存",
        "结存数量",
        "期末",
        "Closing",
        "Closing Balance",
        "Ending Inventory",
        "Ending Balance",
    ),
    "in_transit_between_warehouses": (
        "In Transit Between Warehouses",
        "在库房之间转运中",
        "仓库间转运中",
    ),
    "unknown_events": ("Unknown Events", "未知事件"),
    # SKU master
    "unit_cost": (
        "Unit Cost",
        "Landed Cost",
        "COGS",
        "Cost",
        "单位成本",
        "采购成本",
        "成本价",
        "成本",
        "采购单价",
        "采购价",
    ),
    "price": ("Price", "Selling Price", "Your Price", "售价", "销售价", "your-price"),
    "currency": ("Currency", "币种", "货币", "Currency code", "currency-unit"),
    "size_tier": ("Size Tier", "product_size_tier", "尺寸分段", "尺寸等级"),
    "cubic_feet": (
        "Cubic Feet",
        "Unit Volume (cu ft)",
        "item-volume",
        "体积(立方英尺)",
        "体积立方英尺",
    ),
    "weight_lb": ("Weight (lb)", "Weight lb", "重量(磅)", "重量磅"),
    "case_pack": ("Case Pack", "Units per Carton", "Units per Case", "箱规", "装箱数", "每箱数量"),
    "moq": ("MOQ", "Minimum Order Quantity", "起订量", "最小起订量", "最小订货单元"),
    "supplier": ("Supplier", "Vendor", "供应商", "供应商名称"),
    "production_days": (
        "Production Days",
        "Production Lead Time",
        "Lead Time (days)",
        "生产周期",
        "生产天数",
        "采购周期",
    ),
    # shipments
    "shipment_id": (
        "Shipment ID",
        "Shipment",
        "货件编号",
        "货件号",
        "货件单号",
        "货件ID",
        "发货单号",
        "备货单号",
    ),
    "units_shipped": (
        "Units Shipped",
        "Shipped",
        "Quantity Shipped",
        "发货数量",
        "发货量",
        "已发货",
        "已发货数量",
        "MSKU发货量",
        "申报量",
        "备货数量",
    ),
    "units_received": (
        "Units Received",
        "Received Units",
        "Quantity Received",
        "签收数量",
        "签收量",
        "已接收数量",
        "实收数量",
        "收货量",
    ),
    "mode": ("Mode", "Shipping Mode", "Transport", "运输方式", "物流方式", "运输方式名称"),
    "origin": ("Origin", "Ship From", "发货仓", "发货仓库"),
    "destination": (
        "Destination",
        "Ship To",
        "目的仓",
        "目的地",
        "物流中心编码",
        "收货仓库",
        "收货仓库名称",
    ),
    "ship_date": (
        "Ship Date",
        "Shipped Date",
        "发货日期",
        "发货时间",
        "实际发货日期",
        "实际发货时间",
        "SHIPPED状态变更时间",
    ),
    "eta": (
        "ETA",
        "Expected Arrival",
        "预计到达",
        "预计到达日期",
        "预计到货时间",
        "预计到货日期",
        "预计签收时间",
        "送达时段(结束时间)",
    ),
    "received_date": ("Received Date", "Closed Date", "签收日期", "上架日期", "签收完成时间"),
    "delivered_date": (
        "Delivered Date",
        "Delivery Date",
        "Carrier Delivered Date",
        "送达日期",
        "送达时间",
        "妥投日期",
        "妥投时间",
        "实际送达日期",
    ),
    "status": ("Status", "Shipment Status", "状态", "货件状态", "发货单状态", "备货单状态"),
    # counts
    "units": ("Counted Units", "Count", "Units Counted", "盘点数量", "实盘数量"),
}

FlowDirection = Literal["in", "out", "signed"]

#: a seller ledger's flows: (canonical flow, direction, spellings). Every column matching a family is read;
#: columns landing on one canonical flow are added up. "out" columns written as positive numbers are made
#: negative (a column whose values are all ≤ 0 is already signed and kept); "signed" columns are kept.
SELLER_FLOWS: tuple[tuple[str, FlowDirection, tuple[str, ...]], ...] = (
    (
        "receipts",
        "in",
        (
            "Receipts",
            "Incoming",
            "Received",
            "Units In",
            "Purchase Receipts",
            "本期入库",
            "本期入库数量",
            "入库数量",
            "采购入库",
            "采购入库数量",
            "采购数量",
            "入库",
            "到货入库",
            "货件收货",
            "货件补货",
            "接收",
            "委外入库",
            "赠品入库",
        ),
    ),
    (
        "customer_shipments",
        "out",
        (
            "Customer Shipments",
            "Sales Out",
            "销售出库",
            "销售出库数量",
            "销售数量",
            "FBM出库",
            "FBM出库数量",
            "订单发货",
            "买家货件",
            "销售发货",
        ),
    ),
    (
        "customer_returns",
        "in",
        (
            "Customer Returns",
            "Returns",
            "销售退货",
            "销售退货数量",
            "退货入库",
            "退货入库数量",
            "买家退货",
            "客户退货",
        ),
    ),
    (
        "vendor_returns",
        "out",
        (
            "Vendor Returns",
            "Removals",
            "退供应商",
            "采购退货",
            "采购退货数量",
            "已移除",
            "移除",
            "库存移除",
            "退货出库",
        ),
    ),
    (
        "transfers",
        "signed",
        ("Warehouse Transfer In/Out", "Transfers", "调拨", "调拨净额", "仓库转入/转出", "库房转运"),
    ),
    ("transfers", "in", ("Transfer In", "调拨入库", "调拨入库数量", "仓库转入", "移除入库")),
    ("transfers", "out", ("Transfer Out", "调拨出库", "调拨出库数量", "仓库转出")),
    (
        "outbound",
        "out",
        (
            "Outgoing",
            "Shipped Out",
            "Units Out",
            "本期出库",
            "本期出库数量",
            "出库数量",
            "出库",
            "FBA出库",
            "FBA出库数量",
            "WFS出库",
            "WFS出库数量",
            "发往FBA",
            "委外出库",
        ),
    ),
    (
        "found",
        "in",
        ("Found", "Count Gain", "盘盈", "盘盈数量", "盘盈入库", "盘盈入库数量", "找回", "已找到"),
    ),
    ("lost", "out", ("Lost", "Count Loss", "盘亏", "盘亏数量", "盘亏出库", "盘亏出库数量", "丢失")),
    ("damaged", "out", ("Damaged", "报损", "报损数量", "损坏", "残损")),
    ("disposed", "out", ("Disposed", "销毁", "报废", "弃置", "已弃置", "已处置")),
    (
        "other_events",
        "signed",
        (
            "Other Events",
            "Other",
            "Adjustments",
            "其他",
            "其他调整",
            "其他调整数量",
            "其他变更",
            "其他变更数量",
            "库存调整",
            "库存调整数量",
            "盘点",
            "其他事件",
        ),
    ),
    (
        "other_events",
        "in",
        ("Other In", "其他入库", "其他入库数量", "换标入库", "拆分入库", "加工入库"),
    ),
    (
        "other_events",
        "out",
        ("Other Out", "其他出库", "其他出库数量", "换标出库", "拆分出库", "加工出库"),
    ),
)

#: Amazon's summary-view flows, one column each, written signed (outflows negative) — or, in an ERP's
#: re-export, positive: an "out" column with positive values and none negative is made negative
AMAZON_FLOWS: tuple[tuple[str, FlowDirection, tuple[str, ...]], ...] = (
    ("receipts", "in", ("Receipts", "接收", "已接收")),
    ("customer_shipments", "out", ("Customer Shipments", "买家货件")),
    ("customer_returns", "in", ("Customer Returns", "买家退货")),
    ("vendor_returns", "out", ("Vendor Returns", "供应商退货", "已移除")),
    ("transfers", "signed", ("Warehouse Transfer In/Out", "仓库转运入库/出库", "仓库转入/转出")),
    ("found", "in", ("Found", "已找到", "找回")),
    ("lost", "out", ("Lost", "丢失", "已丢失")),
    ("damaged", "out", ("Damaged", "损坏", "已损坏")),
    ("disposed", "out", ("Disposed", "已处置", "弃置", "已弃置")),
    ("other_events", "signed", ("Other Events", "其他事件")),
)

#: headers that are money, ratios or positions, never a flow of units, whatever else they say
_NOT_A_FLOW = re.compile(
    r"成本|金额|总额|价|率|天数|比|cost|amount|value|price|rate|days|ratio|在途", re.I
)


def norm(header: str) -> str:
    """Normalise a header for matching.

    >>> norm(" Warehouse Transfer In/Out "), norm("体积(立方英尺)"), norm("seller-sku"), norm("期初库存（数量）")
    ('warehousetransferinout', '体积立方英尺', 'sellersku', '期初库存数量')
    >>> norm("\ufeffSKU\u200b")
    'sku'
    """
    h = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00]", "", header).strip().lower()
    h = re.sub(r"^deprecated\s+", "", h)
    return re.sub(r"[\s_\-/()（）\[\]【】:：.,，\u00a0\u3000]+", "", h)


#: a unit written after a header in brackets of either width: ``采购成本（元）``, ``售价(USD)``, ``箱规【个/箱】``
_UNIT = re.compile(r"^(.*?\S)\s*[(（\[【]\s*([^()（）\[\]【】]{1,16}?)\s*[)）\]】]\s*$")

#: currencies as a header's unit writes them -> ISO code (``¥`` is left out: it is yuan or yen)
CURRENCY_UNITS: dict[str, str] = {
    **dict.fromkeys(("元", "人民币", "人民币元", "rmb", "cny", "cn¥"), "CNY"),
    **dict.fromkeys(("美元", "美金", "usd", "us$", "$"), "USD"),
    **dict.fromkeys(("英镑", "gbp", "£"), "GBP"),
    **dict.fromkeys(("欧元", "eur", "€"), "EUR"),
    **dict.fromkeys(("日元", "円", "jpy", "jp¥"), "JPY"),
    **dict.fromkeys(("加元", "加币", "cad", "c$"), "CAD"),
    **dict.fromkeys(("墨西哥比索", "mxn", "mx$"), "MXN"),
    **dict.fromkeys(("卢比", "印度卢比", "inr", "₹"), "INR"),
    **dict.fromkeys(("澳元", "aud", "a$"), "AUD"),
    **dict.fromkeys(("港币", "港元", "hkd"), "HKD"),
}


def split_unit(header: str) -> tuple[str, str | None]:
    """A header and the unit written after it in brackets (either width), or the header and None.

    >>> split_unit("采购成本（元）"), split_unit("售价(USD)"), split_unit("SKU")
    (('采购成本', '元'), ('售价', 'USD'), ('SKU', None))
    """
    m = _UNIT.match(header.strip())
    return (m.group(1), m.group(2)) if m else (header, None)


def unit_currency(header: str) -> str | None:
    """The ISO currency a header's unit names, or None.

    >>> unit_currency("采购成本（元）"), unit_currency("售价(美元)"), unit_currency("重量(kg)"), unit_currency("单价(¥)")
    ('CNY', 'USD', None, None)
    """
    _, unit = split_unit(header)
    return CURRENCY_UNITS.get(unit.strip().lower()) if unit else None


def header_forms(header: str) -> list[str]:
    """The normalised forms a header is matched by, best first: itself; without a unit in brackets
    (``采购成本（元）`` is ``采购成本``); without a trailing ``数量`` (LingXing's ``货件补货-数量``)."""
    forms = [norm(header)]
    base, unit = split_unit(header)
    if unit is not None:
        forms.append(norm(base))
    for f in list(forms):
        if f.endswith("数量") and len(f) > 2:
            forms.append(f[:-2])
    return list(dict.fromkeys(forms))


@dataclass(frozen=True)
class Format:
    """One input format: which canonical table it feeds and how its columns map."""

    name: str
    table: str
    label: str
    columns: dict[str, DType]  # canonical column -> type, in the order they are parsed
    required: tuple[str, ...]
    signature: tuple[
        str, ...
    ]  # canonical columns that, found under this format's spellings, identify it
    blank_is_zero: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per-format overrides
    flows: tuple[
        tuple[str, FlowDirection, tuple[str, ...]], ...
    ] = ()  # ledger flow families (summed)
    location_class: str = (
        ""  # the class of every row of a ledger format ("fba"), or "" for a column/default
    )
    marks: tuple[
        str, ...
    ] = ()  # header spellings of which one must be present (what tells this format apart)
    any_of: tuple[str, ...] = ()  # canonical columns of which one must be found
    excludes: tuple[
        str, ...
    ] = ()  # header spellings that rule this format out (a PO number is never a master's)
    fill_down: tuple[
        str, ...
    ] = ()  # columns written on a group's first row only (LingXing's 货件详情): filled down
    zh: str = ""  # the format's name in Chinese, for `validate --formats`
    comma_marks: tuple[
        str, ...
    ] = ()  # header spellings that say the file writes a decimal comma (its marketplace's language)

    def spellings(self, column: str) -> tuple[str, ...]:
        for canon, _, names in self.flows:
            if canon == column:
                return names
        return self.aliases.get(column, ALIASES.get(column, (column,)))

    def map_header(self, header: list[str]) -> dict[str, int]:
        """Canonical column -> position in ``header`` (flows excluded: :meth:`map_flows`).

        The first spelling in the alias list that is present wins; a position serves one column.
        """
        forms = [header_forms(h) for h in header]
        out: dict[str, int] = {}
        taken: set[int] = set()
        # the header as written first; then, for columns still unfound, the header without its unit or 数量
        for depth in (0, 1):
            for col in self.columns:
                if col in out or any(col == c for c, _, _ in self.flows):
                    continue
                for spelling in (*self.spellings(col), col):
                    target = norm(spelling)
                    pos = next(
                        (
                            i
                            for i, f in enumerate(forms)
                            if i not in taken
                            and (f[0] == target if depth == 0 else target in f[1:])
                        ),
                        None,
                    )
                    if pos is not None:
                        out[col] = pos
                        taken.add(pos)
                        break
        return out

    def currencies(self, header: list[str]) -> dict[str, str]:
        """Canonical money column -> the currency its header's unit states (``采购成本（元）`` -> CNY)."""
        return {
            col: ccy
            for col, pos in self.map_header(header).items()
            if self.columns.get(col) == "money" and (ccy := unit_currency(header[pos]))
        }

    def map_flows(
        self, header: list[str], taken: set[int] | None = None
    ) -> dict[int, tuple[str, FlowDirection]]:
        """Position -> (canonical flow, direction) for every column of ``header`` in a flow family."""
        taken = set(taken or ())
        out: dict[int, tuple[str, FlowDirection]] = {}
        for i, h in enumerate(header):
            if i in taken or _NOT_A_FLOW.search(h):
                continue
            forms = header_forms(h)
            for canon, direction, names in self.flows:
                if any(f in {norm(x) for x in names} for f in forms):
                    out[i] = (canon, direction)
                    break
        return out

    def mapped(self, header: list[str]) -> set[str]:
        """The canonical columns ``header`` provides (single columns and flow families)."""
        single = self.map_header(header)
        return set(single) | {c for c, _ in self.map_flows(header, set(single.values())).values()}

    def duplicated(self, header: list[str]) -> list[tuple[str, list[int]]]:
        """Canonical columns whose header appears more than once: (column, positions)."""
        normed = [norm(h) for h in header]
        out = []
        for col, pos in self.map_header(header).items():
            same = [i for i, h in enumerate(normed) if h == normed[pos]]
            if len(same) > 1:
                out.append((col, same))
        return out


_FLOW_COLS: dict[str, DType] = {
    f: "units"
    for f in (
        "receipts",
        "customer_shipments",
        "customer_returns",
        "vendor_returns",
        "transfers",
        "outbound",
        "found",
        "lost",
        "damaged",
        "disposed",
        "other_events",
    )
}

#: the flows that take units out (an "out" column written positive is made negative)
OUT_FLOWS = frozenset(
    {"customer_shipments", "vendor_returns", "outbound", "lost", "damaged", "disposed"}
)


#: a seller ledger's money columns: what the 进销存 states of value (never flows; read with their currency)
LEDGER_MONEY: dict[str, DType] = {
    "sales_amount": "money",
    "starting_value": "money",
    "ending_value": "money",
    "ledger_unit_cost": "money",
    "currency": "id",
}
LEDGER_MONEY_ALIASES: dict[str, tuple[str, ...]] = {
    "sales_amount": (
        "销售总额",
        "销售金额",
        "销售额",
        "销售收入",
        "Sales Amount",
        "Sales Value",
        "Revenue",
    ),
    "starting_value": (
        "起始库存总额",
        "期初库存总额",
        "期初库存金额",
        "期初金额",
        "期初结存金额",
        "期初库存成本",
        "期初库存总成本",
        "期初成本",
        "Opening Value",
        "Beginning Value",
        "Starting Value",
    ),
    "ending_value": (
        "截止库存总额",
        "期末库存总额",
        "期末库存金额",
        "期末金额",
        "期末结存金额",
        "结存金额",
        "期末库存成本",
        "期末库存总成本",
        "期末成本",
        "Closing Value",
        "Ending Value",
        "Ending Inventory Value",
    ),
    "ledger_unit_cost": (
        "成本单价",
        "单位成本",
        "库存单价",
        "平均单价",
        "单位库存成本",
        "Unit Cost",
        "Average Cost",
    ),
    "currency": ("币种", "Currency", "货币", "币别"),
}

AMAZON_LEDGER_SUMMARY = Format(
    name="amazon_ledger_summary",
    table="ledger",
    label="Amazon Inventory Ledger, summary view (GET_LEDGER_SUMMARY_VIEW_DATA), also as an ERP exports it "
    "with Chinese titles",
    zh="亚马逊库存分类账（汇总视图）",
    columns={
        "date": "text",
        "fnsku": "id",
        "asin": "id",
        "sku": "id",
        "title": "text",
        "disposition": "id",
        "starting": "units",
        "in_transit_between_warehouses": "units",
        **{c: "units" for c in _FLOW_COLS if c != "outbound"},
        "ending": "units",
        "unknown_events": "units",
        "location": "id",
        "country": "id",
    },
    required=("date", "sku", "starting", "ending"),
    signature=("starting", "ending"),
    blank_is_zero=(*_FLOW_COLS, "in_transit_between_warehouses", "unknown_events"),
    aliases={
        "sku": ("MSKU", "原表MSKU"),
        "date": ("Date", "日期/月份", "日期", "月份"),
        "location": ("Location", "位置"),
        "country": ("Store", "店铺", "Country"),
        "title": ("Title", "标题", "商品名称"),
        "disposition": ("Disposition", "库存属性"),
        "starting": ("Starting Warehouse Balance", "起始仓库余额"),
        "ending": ("Ending Warehouse Balance", "期末仓库余额"),
        "receipts": ("Receipts", "接收", "已接收"),
        "customer_shipments": ("Customer Shipments", "买家货件"),
        "customer_returns": ("Customer Returns", "买家退货"),
        "vendor_returns": ("Vendor Returns", "供应商退货", "已移除"),
        "transfers": ("Warehouse Transfer In/Out", "仓库转运入库/出库", "仓库转入/转出"),
        "found": ("Found", "已找到", "找回"),
        "lost": ("Lost", "丢失", "已丢失"),
        "damaged": ("Damaged", "损坏", "已损坏"),
        "disposed": ("Disposed", "已处置", "弃置", "已弃置"),
        "other_events": ("Other Events", "其他事件"),
    },
    location_class="fba",
)

AMAZON_LEDGER_DETAIL = Format(
    name="amazon_ledger_detail",
    table="ledger_events",
    label="Amazon Inventory Ledger, detail view (GET_LEDGER_DETAIL_VIEW_DATA)",
    zh="亚马逊库存分类账（详细视图）",
    columns={
        "date": "date",
        "fnsku": "id",
        "asin": "id",
        "sku": "id",
        "title": "text",
        "event_type": "id",
        "reference_id": "id",
        "quantity": "units",
        "location": "id",
        "disposition": "id",
        "reason": "id",
        "country": "id",
        "reconciled_quantity": "units",
        "unreconciled_quantity": "units",
    },
    required=("date", "sku", "event_type", "quantity"),
    signature=("event_type", "quantity", "location"),
    blank_is_zero=("reconciled_quantity", "unreconciled_quantity"),
    aliases={
        "sku": ("MSKU", "原表MSKU"),
        "date": ("Date", "Date and Time", "日期"),
        "location": ("Fulfillment Center", "运营中心"),
        "country": ("Country", "Store", "国家"),
    },
)

WAREHOUSE_LEDGER = Format(
    name="warehouse_ledger",
    table="ledger",
    label="seller's warehouse ledger (进销存 / stock report of an ERP), CSV or XLSX",
    zh="进销存 / 库存报表（本地仓、海外仓）",
    columns={
        "date": "text",
        "sku": "id",
        "title": "text",
        "location": "id",
        "location_class": "id",
        "disposition": "id",
        "starting": "units",
        **_FLOW_COLS,
        "ending": "units",
        "in_transit_between_warehouses": "units",
        **LEDGER_MONEY,
    },
    required=("sku", "starting", "ending"),  # the month may be only in the file name or a title row
    signature=(),
    blank_is_zero=(*_FLOW_COLS, "in_transit_between_warehouses"),
    flows=SELLER_FLOWS,
    aliases={
        "date": (
            "Date",
            "日期",
            "Month",
            "Period",
            "月份",
            "期间",
            "会计期间",
            "日期/月份",
            "统计日期",
        ),
        **LEDGER_MONEY_ALIASES,
    },
)

ERP_FBA_LEDGER = Format(
    name="erp_fba_ledger",
    table="ledger",
    label="an ERP's FBA stock report (FBA库存报表: 货件收货, 订单发货, 买家退货 …), CSV or XLSX",
    zh="ERP 的 FBA 库存报表",
    columns={
        "date": "text",
        "sku": "id",
        "fnsku": "id",
        "asin": "id",
        "title": "text",
        "location": "id",
        "country": "id",
        "disposition": "id",
        "starting": "units",
        **_FLOW_COLS,
        "ending": "units",
        "in_transit_between_warehouses": "units",
        "unknown_events": "units",
        **LEDGER_MONEY,
    },
    required=("sku", "starting", "ending"),
    signature=(),
    marks=("货件收货", "订单发货", "货件补货", "Shipment Receipts", "Order Shipments"),
    blank_is_zero=(*_FLOW_COLS, "in_transit_between_warehouses", "unknown_events"),
    flows=SELLER_FLOWS,
    aliases={
        "sku": ("MSKU", "原表MSKU", "Seller SKU", "SKU"),
        "country": ("店铺站点", "站点", "国家编码", "Store", "国家", "店铺"),
        "date": ("Date", "日期", "Month", "月份", "日期/月份", "统计日期"),
        "in_transit_between_warehouses": (
            "In Transit Between Warehouses",
            "在库房之间转运中",
            "仓库间转运中",
            "移仓在途",
        ),
        **LEDGER_MONEY_ALIASES,
    },
    location_class="fba",
)


#: headers a SKU master never has: a file with a purchase order, shipment or order number lists documents,
#: not products (a purchase-order export with 单价 and 供应商 is a purchase order, never a master)
NOT_A_MASTER: tuple[str, ...] = (
    "采购单号",
    "PO Number",
    "PO No",
    "采购订单号",
    "采购单编号",
    "采购批次号",
    "DocNum",
    "货件编号",
    "货件单号",
    "Shipment ID",
    "发货单号",
    "备货单号",
    "入库单号",
    "Order ID",
    "amazon-order-id",
    "订单号",
    "订单编号",
    "Reference ID",
    "reimbursement-id",
    "settlement id",
)

SKU_MASTER = Format(
    name="sku_master",
    table="products",
    label="seller's SKU master (商品资料 / 产品目录), CSV or XLSX",
    zh="商品资料 / 产品目录",
    columns={
        "sku": "id",
        "asin": "id",
        "fnsku": "id",
        "title": "text",
        "unit_cost": "money",
        "price": "money",
        "currency": "id",
        "cost_currency": "id",
        "price_currency": "id",
        "size_tier": "id",
        "vat_rate": "number",
        "cubic_feet": "number",
        "weight_lb": "number",
        "weight_g": "number",
        "case_pack": "units",
        "moq": "units",
        "supplier": "text",
        "production_days": "number",
        "category": "text",
    },
    required=("sku",),
    signature=(),
    any_of=(
        "unit_cost",
        "price",
        "size_tier",
        "cubic_feet",
        "weight_lb",
        "weight_g",
        "case_pack",
        "moq",
        "supplier",
        "production_days",
    ),
    excludes=NOT_A_MASTER,
    aliases={
        "weight_g": ("Weight (g)", "Weight g", "重量/g", "重量(g)", "重量(克)", "重量克"),
        "cost_currency": ("Cost Currency", "采购币种", "成本币种", "采购货币", "成本货币"),
        "price_currency": ("Price Currency", "售价币种", "销售币种", "售价货币"),
        "category": ("Category", "Product Group", "分类", "分类1", "一级分类", "品类", "类目"),
        "vat_rate": (
            "VAT rate",
            "VAT",
            "VAT %",
            "Tax rate",
            "增值税率",
            "税率",
            "MwSt-Satz",
            "Taux de TVA",
        ),
    },
)

SHIPMENTS = Format(
    name="shipments",
    table="shipments",
    label="seller's shipments to FBA / overseas warehouses (货件), CSV or XLSX",
    zh="货件 / 头程发货",
    columns={
        "shipment_id": "id",
        "sku": "id",
        "units_shipped": "units",
        "units_received": "units",
        "mode": "id",
        "origin": "id",
        "destination": "id",
        "ship_date": "date",
        "eta": "date",
        "received_date": "date",
        "delivered_date": "date",
        "status": "id",
    },
    required=("shipment_id", "sku", "units_shipped", "mode", "ship_date"),
    signature=(),
    # a shipment to Amazon is keyed by Amazon's seller SKU (MSKU) where the export also has the local SKU
    aliases={"sku": ("MSKU", "Seller SKU", "Merchant SKU", *ALIASES["sku"])},
    fill_down=(
        "shipment_id",
        "mode",
        "ship_date",
        "eta",
        "received_date",
        "delivered_date",
        "status",
        "origin",
        "destination",
    ),
)

COUNTS = Format(
    name="counts",
    table="counts",
    label="physical stock count (盘点), CSV or XLSX",
    zh="盘点表",
    columns={"date": "date", "sku": "id", "location": "id", "units": "units"},
    required=("date", "sku", "location", "units"),
    signature=(),
)

SALES_DAILY = Format(
    name="sales_daily",
    table="sales",
    label="daily sales per SKU (ERP 销量报表 / business report by day / sales lines), CSV or XLSX",
    zh="销量日报",
    columns={
        "date": "date",
        "sku": "id",
        "asin": "id",
        "units": "units",
        "revenue": "money",
        "currency": "id",
        "channel": "id",
        "available": "units",
    },
    required=("date", "sku", "units"),
    signature=(),
    aliases={
        "units": (
            "Units Sold",
            "Units Ordered",
            "Sales Units",
            "Units",
            "Qty",
            "PCS",
            "销量",
            "销售数量",
            "销售量",
            "订单商品数量",
        ),
        "revenue": (
            "Revenue",
            "Sales",
            "Ordered Product Sales",
            "Sales Amount",
            "Gross Amt",
            "Amount",
            "销售额",
            "销售金额",
        ),
        "channel": ("Channel", "Marketplace", "Sales Channel", "站点", "渠道"),
        "available": (
            "Available",
            "FBA Available",
            "Available Units",
            "FBA可售",
            "FBA可售库存",
            "可售库存",
        ),
        "date": ("Date", "日期", "Day"),
    },
)

AMAZON_ORDERS = Format(
    name="amazon_orders",
    table="sales",
    label="Amazon order report (All Orders GET_FLAT_FILE_ALL_ORDERS_DATA…, or a Seller Central order export "
    "with Order ID, Status, Qty, Amount)",
    zh="亚马逊订单报告",
    columns={
        "order_id": "id",
        "date": "date",
        "order_status": "id",
        "channel": "id",
        "sku": "id",
        "asin": "id",
        "units": "units",
        "currency": "id",
        "revenue": "money",
    },
    required=("order_id", "date", "sku", "units"),
    signature=("order_id",),
    aliases={
        "order_id": ("amazon-order-id", "Order ID", "order-id", "订单号"),
        "date": ("purchase-date", "Date", "下单时间"),
        "order_status": ("order-status", "Status", "订单状态"),
        "channel": ("sales-channel", "Sales Channel"),
        "sku": ("sku", "SKU", "MSKU"),
        "asin": ("asin", "ASIN"),
        "units": ("quantity", "Qty", "quantity-purchased"),
        "currency": ("currency", "Currency"),
        "revenue": ("item-price", "Amount"),
    },
)

FX_RATES = Format(
    name="fx_rates",
    table="fx_rates",
    label="the seller's own exchange rates (汇率表): 1 currency = rate base, from the date on",
    zh="汇率表",
    columns={
        "date": "text",
        "currency": "id",
        "base": "id",
        "rate": "number",
        "per": "number",
    },  # a day or a month
    required=("date", "currency", "rate"),
    signature=("rate",),
    aliases={
        "date": ("Date", "Month", "日期", "月份", "生效日期", "汇率年月"),
        "currency": ("Currency", "币种", "货币", "外币", "货币名称"),
        "base": ("Base", "Base Currency", "In", "本位币", "基准币种", "记账本位币"),
        "rate": ("Rate", "Exchange Rate", "FX Rate", "汇率", "我的汇率", "官方汇率"),
        "per": ("Per", "Units", "Quote Unit", "交易单位", "单位", "每"),
    },
)

#: the seller's statement of the currency of files that do not say it (a 进销存 whose 销售总额 has no unit)
INPUT_CURRENCIES = Format(
    name="input_currencies",
    table="input_currencies",
    label="the currency of files that do not state one (currencies.csv / 币种.csv: file, currency)",
    zh="文件币种表",
    columns={"file": "text", "currency": "id"},
    required=("file", "currency"),
    signature=("file", "currency"),
    aliases={
        "file": ("File", "File Name", "Filename", "文件", "文件名", "文件名称"),
        "currency": ("Currency", "币种", "货币"),
    },
)

#: the Bank of China's published quotes (中国银行外汇牌价, boc.cn/sourcedb/whpj): every price is CNY per 100
#: units of the foreign currency (EUR 中行折算价 781.68 = 7.8168 CNY a euro); the 中行折算价 is read, ÷ 100
BOC_RATES = Format(
    name="boc_rates",
    table="fx_rates",
    label="Bank of China exchange quotes (中国银行外汇牌价: CNY per 100 units; the 中行折算价 is read)",
    zh="中国银行外汇牌价",
    columns={"date": "text", "currency": "id", "rate": "number", "per": "number"},
    required=("date", "currency", "rate"),
    signature=("rate",),
    marks=("中行折算价", "BOC Conversion Rate"),
    aliases={
        "date": ("发布日期", "发布时间", "日期", "Pub Time", "Date"),
        "currency": ("货币名称", "Currency Name", "币种"),
        "rate": ("中行折算价", "BOC Conversion Rate"),
        "per": ("交易单位", "单位"),
    },
)

PURCHASE_RECEIPTS = Format(
    name="purchase_receipts",
    table="receipts",
    label="seller's purchase receipts (采购入库单), CSV or XLSX",
    zh="采购入库单",
    columns={
        "date": "date",
        "po_number": "id",
        "sku": "id",
        "units": "units",
        "unit_cost": "money",
        "location": "id",
    },
    required=("date", "sku", "units", "po_number"),
    signature=(),
    aliases={
        "date": ("Receipt Date", "Received Date", "Date", "入库日期", "到货日期", "日期"),
        "po_number": ("PO Number", "PO", "Purchase Order", "采购单号", "采购订单号"),
        "units": ("Units Received", "Quantity", "Units", "入库数量", "到货数量", "数量"),
        "unit_cost": ("Unit Cost", "Cost", "采购单价", "单价", "单位成本"),
    },
)

PURCHASE_ORDERS = Format(
    name="purchase_orders",
    table="purchase_orders",
    label="seller's open purchase orders (采购单), CSV or XLSX",
    zh="采购单",
    columns={
        "po_number": "id",
        "sku": "id",
        "units_ordered": "units",
        "units_received": "units",
        "units_open": "units",
        "order_date": "date",
        "expected_date": "date",
        "status": "id",
        "supplier": "text",
        "unit_cost": "money",
        "currency": "id",
    },
    # the order date is not in every ERP's export (LingXing's 采购单 list shows 预计到货时间, not 下单时间): without it
    # every open line counts as placed
    required=("po_number", "sku", "units_ordered"),
    signature=("po_number", "units_ordered"),
    aliases={
        "po_number": (
            "PO Number",
            "PO No",
            "PO No.",
            "PO #",
            "PO",
            "PO ID",
            "Purchase Order",
            "Purchase Order Number",
            "Purchase Order ID",
            "DocNum",
            "采购单号",
            "采购订单号",
            "采购单编号",
            "采购订单编号",
            "采购批次号",
        ),
        "sku": (
            "SKU",
            "规格编码",
            "SKU编码",
            "商品SKU",
            "库存SKU",
            "产品SKU",
            "系统SKU码",
            "SKU编号",
            "商品编码",
            "产品编码",
            "ItemCode",
            "Item Code",
            "Item No",
            "MSKU",
        ),
        "units_ordered": (
            "Units Ordered",
            "Quantity Ordered",
            "Ordered Quantity",
            "Ordered Qty",
            "Qty Ordered",
            "Order Qty",
            "Order Quantity",
            "PO Quantity",
            "采购数量",
            "订购数量",
            "下单数量",
            "采购量",
            "实际采购量",
        ),
        "units_received": (
            "Units Received",
            "Quantity Received",
            "Received Quantity",
            "Received Qty",
            "Qty Received",
            "Received",
            "已到货数量",
            "到货数量",
            "到货量",
            "已入库数量",
            "入库数量",
            "入库量",
            "到货入库量",
            "已收货数量",
            "收货数量",
            "实收数量",
            "已接收数量",
        ),
        "units_open": (
            "Units Open",
            "Open Quantity",
            "Open Qty",
            "Qty Open",
            "Outstanding Quantity",
            "待到货量",
            "待到货数量",
            "未到货数量",
            "在途数量",
            "待交付",
        ),
        "order_date": (
            "Order Date",
            "PO Date",
            "Date Ordered",
            "Ordered Date",
            "Purchase Date",
            "采购日期",
            "下单日期",
            "订单日期",
            "采购时间",
            "下单时间",
            "创建时间",
            "单据日期",
        ),
        "expected_date": (
            "Expected Date",
            "Expected Delivery Date",
            "Expected Delivery",
            "Expected Arrival",
            "Expected Arrival Date",
            "ETA",
            "Due Date",
            "Delivery Date",
            "预计到货日期",
            "预计到货时间",
            "期待到货时间",
            "预计到货",
            "交期",
            "交货日期",
            "预计交期",
            "预计交货日期",
            "ReqDate",
            "DocDueDate",
        ),
        "status": (
            "Status",
            "PO Status",
            "Order Status",
            "状态",
            "采购状态",
            "单据状态",
            "订单状态",
            "采购单状态",
            "到货状态",
        ),
        "supplier": (
            "Supplier",
            "Vendor",
            "Supplier Name",
            "Vendor Name",
            "CardName",
            "供应商",
            "供应商名称",
            "厂家",
        ),
        "unit_cost": (
            "Unit Cost",
            "Unit Price",
            "Price",
            "含税单价",
            "单价",
            "采购单价",
            "不含税单价",
        ),
        "currency": ("Currency", "币种", "采购币种", "货币"),
    },
)


def _fba_inventory_format() -> Format:
    from stockbook.schema import AGE_BUCKETS, FBA_INVENTORY, FINE_AGE_BUCKETS

    cols: dict[str, DType] = {"date": "date"}
    cols.update(
        {
            c.name: c.dtype
            for c in FBA_INVENTORY.columns
            if c.name not in ("snapshot_date", "source_file", "source_line")
        }
    )
    aliases: dict[str, tuple[str, ...]] = {
        "date": ("snapshot-date", "Inventory age snapshot date"),
        "sku": ("sku", "Merchant SKU"),
        "title": ("product-name",),
        "available": ("available", "Available"),
        "volume_unit_measurement": ("volume-unit-measurement",),
        "your_price": ("your-price",),
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
        signature=("date", "available"),
        zh="亚马逊 FBA 库存报告（库龄）",
        blank_is_zero=tuple(c for c, t in cols.items() if t == "units" and c != "available"),
        aliases=aliases,
    )


AMAZON_FBA_INVENTORY = _fba_inventory_format()

#: an ERP's FBA stock list (LingXing's Listing export and FBA库存明细, 马帮's FBA商品): a snapshot of what Amazon
#: holds per MSKU, dated by the file name or a title row when it has no date column
ERP_FBA_STOCK = Format(
    name="erp_fba_stock",
    table="fba_inventory",
    label="an ERP's FBA stock list (LingXing Listing / FBA库存明细: MSKU, FBA可售, FBA标发在途, FBA入库中 …)",
    zh="ERP 的 FBA 库存（Listing / FBA库存明细）",
    columns={
        "date": "date",
        "sku": "id",
        "fnsku": "id",
        "asin": "id",
        "title": "text",
        "available": "units",
        "reserved_quantity": "units",
        "inbound_working": "units",
        "inbound_shipped": "units",
        "inbound_received": "units",
        "unfulfillable_quantity": "units",
        "units_shipped_t7": "units",
        "units_shipped_t30": "units",
        "country": "id",
    },
    required=("sku", "available"),
    signature=("available",),
    marks=("FBA可售", "FBA标发在途", "FBA入库中", "FBA在途", "亚马逊可售库存"),
    # a daily sales report with its end-of-day FBA stock (日期, SKU, 销量, FBA可售) is sales, not a stock list
    excludes=(
        "销量",
        "销售数量",
        "销售量",
        "Units Sold",
        "Units Ordered",
        "Sales Units",
        "订单商品数量",
    ),
    blank_is_zero=(
        "reserved_quantity",
        "inbound_working",
        "inbound_shipped",
        "inbound_received",
        "unfulfillable_quantity",
        "units_shipped_t7",
        "units_shipped_t30",
    ),
    aliases={
        "sku": ("MSKU", "Seller SKU", "卖家SKU", "平台SKU", "商品sku", "SKU"),
        "date": ("日期", "快照日期", "统计日期", "Date", "Snapshot Date"),
        "title": ("品名", "标题", "商品名称", "Title"),
        "available": ("FBA可售", "可售", "可售库存", "亚马逊可售库存", "FBA可售库存"),
        "reserved_quantity": ("FBA预留", "预留", "FBA预留库存"),
        "inbound_working": ("FBA计划入库", "计划入库"),
        "inbound_shipped": ("FBA标发在途", "标发在途", "FBA在途", "在途量", "在途"),
        "inbound_received": ("FBA入库中", "入库中"),
        "unfulfillable_quantity": ("FBA不可售", "不可售"),
        "units_shipped_t7": ("7日销量", "7天销量"),
        "units_shipped_t30": ("30日销量", "30天销量"),
        "country": ("店铺", "站点", "国家", "店铺站点", "Marketplace"),
    },
)

AMAZON_STORAGE_FEES = Format(
    name="amazon_storage_fees",
    table="storage_fees",
    label="Amazon Monthly Storage Fees report (GET_FBA_STORAGE_FEE_CHARGES_DATA)",
    columns={
        "date": "text",
        "fnsku": "id",
        "asin": "id",
        "title": "text",
        "location": "id",
        "country": "id",
        "item_volume": "number",
        "volume_units": "id",
        "size_tier": "id",
        "average_quantity_on_hand": "number",
        "average_quantity_pending_removal": "number",
        "estimated_total_item_volume": "number",
        "storage_rate": "money",
        "base_rate": "money",
        "utilization_surcharge_rate": "money",
        "estimated_monthly_storage_fee": "money",
        "currency": "id",
    },
    required=("date", "fnsku", "estimated_monthly_storage_fee"),
    signature=("date", "estimated_monthly_storage_fee"),
    zh="亚马逊月度仓储费报告",
    aliases={
        "date": ("month_of_charge",),
        "title": ("product_name",),
        "location": ("fulfillment_center",),
        "country": ("country_code",),
        "size_tier": ("product_size_tier",),
    },
)

AMAZON_SURCHARGES = Format(
    name="amazon_aged_surcharge",
    table="surcharges",
    label="Amazon Aged Inventory Surcharge report (GET_FBA_FULFILLMENT_LONGTERM_STORAGE_FEE_CHARGES_DATA)",
    columns={
        "date": "date",
        "sku": "id",
        "fnsku": "id",
        "asin": "id",
        "title": "text",
        "condition": "id",
        "per_unit_volume": "number",
        "currency": "id",
        "volume_unit": "id",
        "country": "id",
        "qty_charged": "units",
        "amount_charged": "money",
        "surcharge_age_tier": "id",
        "rate_surcharge": "money",
    },
    required=("date", "sku", "qty_charged", "amount_charged"),
    signature=("date", "qty_charged", "amount_charged"),
    zh="亚马逊库龄附加费报告",
    aliases={
        "date": ("snapshot-date",),
        "sku": ("sku",),
        "title": ("product-name",),
        "qty_charged": ("qty-charged", "qty-charged-12-mo-long-term-storage-fee"),
        "amount_charged": ("amount-charged", "12-mo-long-terms-storage-fee"),
    },
)

AMAZON_RESTOCK = Format(
    name="amazon_restock",
    table="restock",
    label="Amazon Restock Inventory report (GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT)",
    columns={
        "sku": "id",
        "fnsku": "id",
        "asin": "id",
        "title": "text",
        "condition": "id",
        "supplier": "text",
        "country": "id",
        "currency": "id",
        "price": "money",
        "sales_last_30_days": "money",
        "units_sold_30d": "units",
        "total_units": "units",
        "inbound": "units",
        "available": "units",
        "unfulfillable": "units",
        "total_days_of_supply": "number",
        "days_of_supply_at_amazon": "number",
        "alert": "text",
        "recommended_qty": "units",
        "recommended_ship_date": "date",
        "recommended_action": "text",
    },
    required=("sku", "recommended_qty"),
    signature=("recommended_qty",),
    zh="亚马逊补货建议报告",
    blank_is_zero=("units_sold_30d", "total_units", "inbound", "available", "unfulfillable"),
    aliases={
        "sku": ("Merchant SKU",),
        "title": ("Product Name",),
        "currency": ("Currency code",),
        "sales_last_30_days": ("Sales last 30 days",),
        "units_sold_30d": ("Units Sold Last 30 Days",),
        "total_units": ("Total Units",),
        "inbound": ("Inbound",),
        "available": ("Available",),
        "unfulfillable": ("Unfulfillable",),
        "total_days_of_supply": (
            "Total Days of Supply (including units from open shipments)",
            "Total Days of Supply",
        ),
        "days_of_supply_at_amazon": ("Days of Supply at Amazon Fulfillment Network",),
        "recommended_qty": ("Recommended replenishment qty",),
        "recommended_ship_date": ("Recommended ship date",),
        "recommended_action": ("Recommended action",),
    },
)

AMAZON_REIMBURSEMENTS = Format(
    name="amazon_reimbursements",
    table="reimbursements",
    label="Amazon Reimbursements report (GET_FBA_REIMBURSEMENTS_DATA)",
    zh="亚马逊赔偿报告",
    columns={
        "approval_date": "date",
        "reimbursement_id": "id",
        "case_id": "id",
        "order_id": "id",
        "reason": "id",
        "sku": "id",
        "fnsku": "id",
        "asin": "id",
        "title": "text",
        "condition": "id",
        "currency": "id",
        "amount_per_unit": "money",
        "amount_total": "money",
        "quantity_cash": "units",
        "quantity_inventory": "units",
        "quantity_total": "units",
        "original_reimbursement_id": "id",
        "original_reimbursement_type": "id",
        "country": "id",
    },
    required=("approval_date", "reimbursement_id", "reason", "sku", "quantity_total"),
    signature=("reimbursement_id", "quantity_total"),
    blank_is_zero=("quantity_cash", "quantity_inventory"),
    aliases={
        "approval_date": ("approval-date", "Approval Date", "批准日期"),
        "reimbursement_id": ("reimbursement-id", "Reimbursement ID", "赔偿编号"),
        "case_id": ("case-id", "Case ID"),
        "order_id": ("amazon-order-id", "Amazon Order ID", "订单号"),
        "reason": ("reason", "Reason", "原因"),
        "sku": ("sku", "SKU", "MSKU"),
        "currency": ("currency-unit", "Currency Unit", "currency", "币种"),
        "amount_per_unit": ("amount-per-unit", "Amount per unit", "单件金额"),
        "amount_total": ("amount-total", "Amount total", "总金额"),
        "quantity_cash": ("quantity-reimbursed-cash", "Quantity reimbursed cash"),
        "quantity_inventory": ("quantity-reimbursed-inventory", "Quantity reimbursed inventory"),
        "quantity_total": ("quantity-reimbursed-total", "Quantity reimbursed total", "赔偿数量"),
        "original_reimbursement_id": ("original-reimbursement-id",),
        "original_reimbursement_type": ("original-reimbursement-type",),
        "country": ("country", "marketplace", "Country"),
    },
)

AMAZON_RETURNS = Format(
    name="amazon_returns",
    table="returns",
    label="Amazon FBA customer returns report (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA)",
    zh="亚马逊 FBA 买家退货报告",
    columns={
        "date": "date",
        "order_id": "id",
        "sku": "id",
        "asin": "id",
        "fnsku": "id",
        "title": "text",
        "quantity": "units",
        "location": "id",
        "disposition": "id",
        "reason": "id",
        "status": "text",
        "license_plate": "id",
        "customer_comments": "text",
        "country": "id",
    },
    required=("date", "order_id", "sku", "quantity"),
    signature=("license_plate", "disposition"),
    aliases={
        "date": ("return-date", "Return Date", "退货日期"),
        "order_id": ("order-id", "Order ID", "订单号"),
        "sku": ("sku", "SKU", "MSKU"),
        "quantity": ("quantity", "Quantity", "数量"),
        "location": ("fulfillment-center-id", "Fulfillment Center ID"),
        "disposition": ("detailed-disposition", "Detailed Disposition", "库存属性"),
        "reason": ("reason", "Reason", "退货原因"),
        "status": ("status", "Status", "状态"),
        "license_plate": ("license-plate-number", "License Plate Number", "LPN"),
        "customer_comments": ("customer-comments", "Customer Comments", "买家备注"),
        "country": ("country", "marketplace"),
    },
)

AMAZON_TRANSACTIONS = Format(
    name="amazon_transactions",
    table="refunds",
    label="Amazon transaction export (Payments › Date Range Report, transaction view): its Refund and Order rows",
    zh="亚马逊交易明细（退款行与订单行）",
    columns={
        "date": "date",
        "settlement_id": "id",
        "type": "text",
        "order_id": "id",
        "sku": "id",
        "description": "text",
        "quantity": "units",
        "channel": "id",
        "product_sales": "money",
        "amount": "money",
    },
    required=("date", "type", "order_id", "sku", "quantity"),
    signature=("settlement_id", "type"),
    aliases={
        # each marketplace writes the report in its language (de, fr old and new, it, es, es-MX, ja); the
        # Chinese spellings are those of Amazon's Chinese help page (a Chinese-language file was never seen)
        "date": (
            "date/time",
            "Datum/Uhrzeit",
            "date/heure",
            "Data/Ora:",
            "fecha y hora",
            "fecha/hora",
            "日付/時間",
            "日期/时间",
        ),
        "settlement_id": (
            "settlement id",
            "Abrechnungsnummer",
            "numéro de versement",
            "Identifiant du paiement",
            "Numero pagamento",
            "identificador de pago",
            "Id. de liquidación",
            "決済番号",
            "结算编号",
        ),
        "type": ("type", "Typ", "Tipo", "トランザクションの種類", "类型"),
        "order_id": (
            "order id",
            "Bestellnummer",
            "numéro de la commande",
            "Numero ordine",
            "número de pedido",
            "Id. del pedido",
            "注文番号",
            "订单编号",
        ),
        "sku": ("sku", "SKU"),
        "description": (
            "description",
            "Beschreibung",
            "Descrizione",
            "descripción",
            "説明",
            "描述",
        ),
        "quantity": ("quantity", "Menge", "quantité", "Quantità", "cantidad", "数量"),
        "channel": (
            "marketplace",
            "site de vente",
            "web de Amazon",
            "Amazon 出品サービス",
            "Vertriebskanal",
            "站点",
        ),
        "product_sales": (
            "product sales",
            "Umsätze",
            "ventes de produits",
            "Vendite",
            "ventas de productos",
            "商品売上",
            "商品销售",
        ),
        "amount": ("total", "Gesamt", "totale", "合計", "合计"),
    },
    # the German, French, Italian and Spanish reports write a decimal comma (1.234,56; 1 234,56)
    comma_marks=("Datum/Uhrzeit", "date/heure", "Data/Ora:", "fecha y hora"),
)

AMAZON_STRANDED = Format(
    name="amazon_stranded",
    table="stranded",
    label="Amazon Stranded Inventory report (GET_STRANDED_INVENTORY_UI_DATA)",
    zh="亚马逊搁置库存报告",
    columns={
        "primary_action": "text",
        "date": "date",
        "status": "text",
        "reason": "text",
        "asin": "id",
        "sku": "id",
        "fnsku": "id",
        "title": "text",
        "condition": "id",
        "units": "units",
        "price": "money",
        "unfulfillable": "units",
        "country": "id",
    },
    required=("date", "sku", "units"),
    signature=("reason", "units"),
    blank_is_zero=("units", "unfulfillable"),
    aliases={
        "primary_action": ("primary-action",),
        "date": ("date-stranded", "Date Stranded"),
        "status": ("status-primary",),
        "reason": ("stranded-reason", "Stranded Reason"),
        "units": ("fulfillable-qty", "Fulfillable Qty"),
        "price": ("your-price",),
        "unfulfillable": ("unfulfillable-qty",),
        "sku": ("sku", "SKU"),
        "country": ("country", "marketplace"),
    },
)

AMAZON_REMOVAL_ORDERS = Format(
    name="amazon_removal_orders",
    table="removal_orders",
    label="Amazon Removal Order Detail report (GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA)",
    zh="亚马逊移除订单详情报告",
    columns={
        "request_date": "date",
        "order_id": "id",
        "order_source": "text",
        "order_type": "id",
        "order_status": "id",
        "last_updated_date": "date",
        "sku": "id",
        "fnsku": "id",
        "disposition": "id",
        "requested": "units",
        "cancelled": "units",
        "disposed": "units",
        "shipped": "units",
        "in_process": "units",
        "removal_fee": "money",
        "currency": "id",
        "country": "id",
    },
    required=("request_date", "order_id", "order_type", "sku", "requested"),
    signature=("requested", "disposed"),
    blank_is_zero=("cancelled", "disposed", "shipped", "in_process"),
    aliases={
        "request_date": ("request-date", "Request Date", "请求日期", "请求时间UTC"),
        "order_id": ("order-id", "Order ID", "订单编号", "移除订单号"),
        "order_source": ("order-source", "Order Source", "订单来源"),
        "order_type": ("order-type", "Order Type", "订单类型"),
        "order_status": ("order-status", "Order Status", "订单状态"),
        "last_updated_date": (
            "last-updated-date",
            "Last Updated Date",
            "最后更新日期",
            "最后更新时间UTC",
        ),
        "sku": ("sku", "SKU", "MSKU", "卖家库存单位sku"),
        "fnsku": ("fnsku", "FNSKU", "亚马逊库存标识符fnsku"),
        "disposition": ("disposition", "Disposition", "库存状况/处置方式", "库存属性"),
        "requested": ("requested-quantity", "Requested Quantity", "申请移除数量", "申请数量"),
        "cancelled": ("cancelled-quantity", "Cancelled Quantity", "已取消数量"),
        "disposed": ("disposed-quantity", "Disposed Quantity", "已弃置数量"),
        "shipped": ("shipped-quantity", "Shipped Quantity", "已发货/移除数量", "已发货数量"),
        "in_process": ("in-process-quantity", "In Process Quantity", "处理中数量"),
        "removal_fee": ("removal-fee", "Removal Fee", "移除/弃置费用", "移除费用"),
        "currency": ("currency", "Currency", "币种"),
        "country": ("country", "marketplace"),
    },
)

AMAZON_REMOVAL_SHIPMENTS = Format(
    name="amazon_removal_shipments",
    table="removal_shipments",
    label="Amazon Removal Shipment Detail report (GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA)",
    zh="亚马逊移除货件详情报告",
    columns={
        "request_date": "date",
        "order_id": "id",
        "shipment_date": "date",
        "sku": "id",
        "fnsku": "id",
        "disposition": "id",
        "shipped": "units",
        "carrier": "text",
        "tracking_number": "id",
        "order_type": "id",
        "country": "id",
    },
    required=("order_id", "shipment_date", "sku", "shipped"),
    signature=("shipment_date", "tracking_number"),
    aliases={
        "request_date": ("request-date", "Request Date", "removal-date", "Amazon系統建移出單日期"),
        "order_id": ("order-id", "Order ID", "Amazon移出單號", "订单编号"),
        "shipment_date": ("shipment-date", "Shipment Date", "移出日期", "发货日期"),
        "sku": ("sku", "SKU", "MSKU", "型號"),
        "fnsku": ("fnsku", "FNSKU"),
        "disposition": ("disposition", "Disposition", "產品狀態"),
        "shipped": ("shipped-quantity", "Shipped Quantity", "quantity shipped", "數量"),
        "carrier": ("carrier", "Carrier", "物流公司"),
        "tracking_number": ("tracking-number", "Tracking Number", "跟蹤號", "跟踪号"),
        "order_type": ("removal-order-type", "Removal Order Type", "移除命令類型"),
        "country": ("country", "marketplace"),
    },
)

AMAZON_FEE_PREVIEW = Format(
    name="amazon_fee_preview",
    table="fee_preview",
    label="Amazon Fee Preview report (GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA)",
    zh="亚马逊费用预览报告",
    columns={
        "sku": "id",
        "fnsku": "id",
        "asin": "id",
        "store": "id",
        "title": "text",
        "price": "money",
        "longest_side": "number",
        "median_side": "number",
        "shortest_side": "number",
        "dimension_unit": "id",
        "weight": "number",
        "weight_unit": "id",
        "size_tier": "id",
        "currency": "id",
        "fee_total": "money",
        "referral_fee": "money",
        "fulfilment_fee": "money",
    },
    required=("sku", "fulfilment_fee"),
    signature=("fee_total", "size_tier"),
    aliases={
        "sku": ("sku", "SKU"),
        "fnsku": ("fnsku",),
        "asin": ("asin",),
        "store": ("amazon-store", "Amazon Store"),
        "title": ("product-name",),
        "price": ("your-price", "Your Price"),
        "longest_side": ("longest-side",),
        "median_side": ("median-side",),
        "shortest_side": ("shortest-side",),
        "dimension_unit": ("unit-of-dimension",),
        "weight": ("item-package-weight",),
        "weight_unit": ("unit-of-weight",),
        "size_tier": ("product-size-tier", "product-size-weight-band"),
        "currency": ("currency",),
        "fee_total": ("estimated-fee-total",),
        "referral_fee": ("estimated-referral-fee-per-unit",),
        "fulfilment_fee": (
            "expected-fulfillment-fee-per-unit",
            "expected-domestic-fulfilment-fee-per-unit",
            "expected-fulfilment-fee-per-unit",
        ),
    },
)

AMAZON_REPLACEMENTS = Format(
    name="amazon_replacements",
    table="replacements",
    label="Amazon FBA Replacements report (GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA)",
    zh="亚马逊换货报告",
    columns={
        "date": "date",
        "sku": "id",
        "asin": "id",
        "location": "id",
        "original_location": "id",
        "quantity": "units",
        "reason": "id",
        "order_id": "id",
        "original_order_id": "id",
        "country": "id",
    },
    required=("date", "sku", "quantity", "original_order_id"),
    signature=("original_order_id", "reason"),
    aliases={
        "date": ("shipment-date", "Shipment Date", "换货日期"),
        "sku": ("sku", "SKU", "MSKU"),
        "asin": ("asin", "ASIN"),
        "location": ("fulfillment-center-id", "Fulfillment Center ID"),
        "original_location": ("original-fulfillment-center-id",),
        "quantity": ("quantity", "Quantity", "数量"),
        "reason": ("replacement-reason-code", "Replacement Reason Code", "换货原因"),
        "order_id": ("replacement-amazon-order-id", "replacement-customer-order-id", "换货订单号"),
        "original_order_id": ("original-amazon-order-id", "original-customer-order-id", "原订单号"),
        "country": ("country", "marketplace"),
    },
)

FORMATS: tuple[Format, ...] = (
    AMAZON_STRANDED,
    AMAZON_REMOVAL_ORDERS,
    AMAZON_REMOVAL_SHIPMENTS,
    AMAZON_FEE_PREVIEW,
    AMAZON_REPLACEMENTS,
    AMAZON_REIMBURSEMENTS,
    AMAZON_RETURNS,
    AMAZON_TRANSACTIONS,
    AMAZON_RESTOCK,
    AMAZON_FBA_INVENTORY,
    ERP_FBA_STOCK,
    AMAZON_STORAGE_FEES,
    AMAZON_SURCHARGES,
    AMAZON_LEDGER_SUMMARY,
    AMAZON_LEDGER_DETAIL,
    AMAZON_ORDERS,
    ERP_FBA_LEDGER,
    WAREHOUSE_LEDGER,
    SHIPMENTS,
    COUNTS,
    SKU_MASTER,
    SALES_DAILY,
    PURCHASE_RECEIPTS,
    PURCHASE_ORDERS,
    BOC_RATES,
    FX_RATES,
    INPUT_CURRENCIES,
)


def _fit(fmt: Format, header: list[str]) -> tuple[bool, set[str], list[str]]:
    """Whether ``fmt`` reads ``header``; the canonical columns it finds; the spellings it lacks."""
    found = fmt.mapped(header)
    missing = [fmt.spellings(c)[0] for c in (*fmt.required, *fmt.signature) if c not in found]
    missing = list(dict.fromkeys(missing))
    normed = {f for h in header for f in header_forms(h)}
    if fmt.marks and not any(norm(m) in normed for m in fmt.marks):
        missing.append(" or ".join(fmt.marks[:2]))
    if fmt.excludes and any(norm(m) in normed for m in fmt.excludes):
        missing.append(
            "no " + " / ".join(fmt.excludes[:2]) + " column (a file that has one is another format)"
        )
    if fmt.any_of and not any(c in found for c in fmt.any_of):
        missing.append(" or ".join(fmt.spellings(c)[0] for c in fmt.any_of[:3]) + " …")
    return not missing, found, missing


def detect_format(header: list[str], *, strict: bool = True) -> Format | None:
    """The format whose required columns, signature and marks all appear in ``header``.

    Among candidates the most specific wins (signature and marks first, then most columns found).
    Returns ``None`` when nothing matches.
    """
    best: tuple[int, int, Format] | None = None
    for fmt in FORMATS:
        fits, found, _ = _fit(fmt, header)
        if not fits:
            continue
        score = (len(fmt.signature) + bool(fmt.marks), len(found))
        if best is None or score > best[:2]:
            best = (*score, fmt)
    return best[2] if best else None


def closest_format(header: list[str]) -> tuple[Format, list[str]]:
    """The format that finds the largest share of its own columns in ``header``, and what it lacks.

    A 进销存 without its balance columns is closest to the warehouse ledger, not to any format that
    happens to need fewer columns.
    """
    ranked = []
    for fmt in FORMATS:
        _, found, missing = _fit(fmt, header)
        share = len(found) / len(fmt.columns)
        ranked.append((-len(found), -share, len(missing), fmt.name, fmt, missing))
    ranked.sort(key=lambda r: r[:4])
    return ranked[0][4], ranked[0][5]


def describe_formats(*, lang: str = "en") -> str:
    """Every format, with the headers it needs and how it is told apart, as `validate --formats` prints it.

    Each needed column lists the format's own spellings (English and Chinese), not another format's.
    """
    out = []
    for f in FORMATS:
        name = f"{f.name}: {f.label}" + (f" · {f.zh}" if f.zh else "")
        out.append(name)
        needs = [" / ".join(f.spellings(c)[:4]) for c in f.required]
        out.append("  needs: " + "; ".join(needs))
        if f.signature:
            out.append(
                "  recognised by: " + "; ".join(" / ".join(f.spellings(c)[:2]) for c in f.signature)
            )
        if f.marks:
            out.append("  recognised by one of: " + ", ".join(f.marks))
        if f.any_of:
            out.append("  and one of: " + ", ".join(f.spellings(c)[0] for c in f.any_of))
        if f.flows:
            fams: dict[str, list[str]] = {}
            for canon, _, names in f.flows:
                fams.setdefault(canon, []).extend(names[:3])
            out.append(
                "  flows (every matching column is added up): "
                + "; ".join(f"{c}: {', '.join(v[:4])}" for c, v in fams.items())
            )
        optional = [
            c for c in f.columns if c not in f.required and not any(c == x for x, _, _ in f.flows)
        ]
        if optional:
            out.append(
                "  optional: "
                + ", ".join(f.spellings(c)[0] for c in optional[:14])
                + (" …" if len(optional) > 14 else "")
            )
    return "\n".join(out)
