"""The canonical tables: every column's name, type and rule, stated once.

Readers map raw files onto these tables; analyses take them in; reports write
them out. A table schema is a value (a :class:`TableSchema`), so it can be
printed, compared and used to cast whatever an engine returned.

Types (``Column.dtype``):

``id``     text identifier (SKU, ASIN, FNSKU, shipment id): never a number, so
           leading zeros survive (``"00123"`` stays ``"00123"``).
``text``   free text (titles, reasons).
``units``  whole units, signed 64-bit integer. Outflows in ``ledger`` are
           negative, as in Amazon's Inventory Ledger.
``money``  an amount in the row's currency, rounded to cents on read.
``number`` any other real number (cubic feet, ratios).
``date``   a calendar date (no time, no time zone).

>>> LEDGER.names[:4]
('period_start', 'period_end', 'sku', 'location')
>>> LEDGER["ending"].dtype
'units'
>>> sorted(LOCATION_CLASSES)
['domestic', 'fba', 'in_transit', 'third_party']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

DType = Literal["id", "text", "units", "money", "number", "date", "flag"]

LocationClass = Literal["domestic", "fba", "third_party", "in_transit"]
LOCATION_CLASSES: frozenset[str] = frozenset({"domestic", "fba", "third_party", "in_transit"})

ShippingMode = Literal["air", "sea", "express", "rail", "truck"]
SHIPPING_MODES: frozenset[str] = frozenset({"air", "sea", "express", "rail", "truck"})

#: The ledger's flow columns, in Amazon's order. Each is signed: inflows
#: positive, outflows negative, so ``ending = starting + sum(FLOWS)``.
FLOWS: tuple[str, ...] = (
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

#: Flows that only take units out. Seller ledgers write them as positive quantities;
#: the readers negate them so every ledger uses Amazon's signs.
OUTFLOWS: tuple[str, ...] = (
    "customer_shipments",
    "vendor_returns",
    "outbound",
    "lost",
    "damaged",
    "disposed",
)


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    dtype: DType
    required: bool
    meaning: str


@dataclass(frozen=True)
class TableSchema:
    """A canonical table: its columns, its key and the rules it keeps."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def empty(self) -> pd.DataFrame:
        """An empty frame with this schema's columns and types."""
        return conform(pd.DataFrame({n: [] for n in self.names}), self)

    def describe(self) -> pd.DataFrame:
        """The schema as a table (for the README and notebooks)."""
        return pd.DataFrame(
            [(c.name, c.dtype, c.required, c.meaning) for c in self.columns],
            columns=["column", "type", "required", "meaning"],
        )


#: decimals a money column keeps: amounts as read are cents; per-unit money derived from them (a unit cost
#: converted at a rate, a ledger's value over its units) keeps this many, and only display rounds to cents
MONEY_DECIMALS = 6

PANDAS_DTYPES: dict[str, str] = {
    "id": "string",
    "text": "string",
    "units": "Int64",
    "money": "Float64",
    "number": "Float64",
    "date": "datetime64[s]",
    "flag": "boolean",
}


def conform(df: pd.DataFrame, schema: TableSchema, *, keep_extra: bool = True) -> pd.DataFrame:
    """Cast ``df`` to ``schema``'s types, adding missing optional columns as nulls.

    Engines return integers as floats, Decimals or HUGEINTs, dates as objects or
    timestamps; this fixes one pandas type per column type. Columns not in the
    schema are kept at the end when ``keep_extra``.

    >>> out = conform(pd.DataFrame({"sku": [1], "units": [2.0]}), COUNTS)
    >>> out["sku"].tolist(), str(out["units"].dtype)
    (['1'], 'Int64')
    """
    out = pd.DataFrame(index=df.index)
    for col in schema.columns:
        if col.name in df.columns:
            s = df[col.name]
        else:
            s = pd.Series(pd.NA, index=df.index, dtype="object")
        out[col.name] = cast(s, col.dtype)
    if keep_extra:
        for name in df.columns:
            if name not in out.columns:
                out[name] = df[name]
    return out.reset_index(drop=True)


#: the pandas type each column type is cast to: a column already of it is kept as it is (no copy)
_PANDAS_TYPE = {
    "id": "string",
    "text": "string",
    "units": "Int64",
    "number": "Float64",
    "date": "datetime64[s]",
    "flag": "boolean",
}


def cast(s: pd.Series, dtype: str) -> pd.Series:
    """One column cast to the pandas type of a column type (``id``, ``units``, ``date`` …)."""
    if dtype in _PANDAS_TYPE and str(s.dtype) == _PANDAS_TYPE[dtype]:
        return s
    if dtype in ("id", "text"):
        return s.astype("string")
    if dtype == "units":
        return pd.to_numeric(s, errors="raise").astype("Float64").round(0).astype("Int64")
    if (
        dtype == "money"
    ):  # read amounts are cents already (``parse.to_cents``); a derived one (a unit cost at a
        # rate, a value over units) keeps its precision to a millionth: 0.0134 USD a label is not 0.01
        return pd.to_numeric(s, errors="raise").astype("Float64").round(MONEY_DECIMALS)
    if dtype == "number":
        return pd.to_numeric(s, errors="raise").astype("Float64")
    if dtype == "date":
        return pd.to_datetime(s).astype("datetime64[s]")
    if dtype == "flag":
        return s.astype("boolean")
    raise ValueError(f"unknown column type {dtype!r}")


def _c(name: str, dtype: DType, meaning: str, *, required: bool = False) -> Column:
    return Column(name, dtype, required, meaning)


LEDGER = TableSchema(
    name="ledger",
    columns=(
        _c(
            "period_start",
            "date",
            "first day the row covers (the day itself for daily rows)",
            required=True,
        ),
        _c("period_end", "date", "last day the row covers", required=True),
        _c("sku", "id", "seller SKU (Amazon's MSKU)", required=True),
        _c(
            "location",
            "id",
            "where the stock is: Amazon country or FC code, warehouse name",
            required=True,
        ),
        _c("location_class", "id", "domestic | fba | third_party | in_transit", required=True),
        _c(
            "disposition",
            "id",
            "SELLABLE, UNSELLABLE, … (Amazon); SELLABLE for seller ledgers",
            required=True,
        ),
        _c("fnsku", "id", "Amazon fulfillment SKU"),
        _c("asin", "id", "Amazon product id"),
        _c("starting", "units", "balance at the start of the period", required=True),
        _c("receipts", "units", "units received (+)"),
        _c("customer_shipments", "units", "units shipped to customers (−)"),
        _c("customer_returns", "units", "units returned by customers (+)"),
        _c("vendor_returns", "units", "removals back to the seller (−)"),
        _c("transfers", "units", "warehouse transfers in and out (±)"),
        _c("outbound", "units", "seller ledgers: units shipped out to another location (−)"),
        _c("found", "units", "units found (+)"),
        _c("lost", "units", "units lost (−)"),
        _c("damaged", "units", "units damaged (−)"),
        _c("disposed", "units", "units disposed of (−)"),
        _c("other_events", "units", "other adjustments (±)"),
        _c("ending", "units", "balance reported at the end of the period", required=True),
        _c(
            "in_transit_between_warehouses",
            "units",
            "Amazon: stock moving between FCs, on top of ending",
        ),
        _c("unknown_events", "units", "Amazon: unexplained residual it reports (±)"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c(
            "sales_amount",
            "money",
            "seller ledgers: what the period's sales brought in, as stated (销售总额)",
        ),
        _c(
            "starting_value",
            "money",
            "seller ledgers: the starting balance's value at cost, as stated (起始库存总额)",
        ),
        _c(
            "ending_value",
            "money",
            "seller ledgers: the ending balance's value at cost, as stated (截止库存总额)",
        ),
        _c(
            "ledger_unit_cost",
            "money",
            "seller ledgers: the unit cost the ledger states (成本单价)",
        ),
        _c(
            "currency",
            "id",
            "currency of the ledger's money columns, where the file states it (币种, 销售总额(元)) "
            "or the folder's currencies file does",
        ),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line (CSV) or row (XLSX) in that file"),
    ),
    key=("sku", "location", "disposition", "period_start", "period_end"),
    rules=(
        "ending = starting + sum of the flows (checked, never forced)",
        "flows are signed: inflows ≥ 0, outflows ≤ 0",
        "period_start ≤ period_end",
        "one row per key; Amazon rows are split by location and disposition",
    ),
)

PRODUCTS = TableSchema(
    name="products",
    columns=(
        _c("sku", "id", "seller SKU", required=True),
        _c("asin", "id", "Amazon ASIN"),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("title", "text", "product title"),
        _c("unit_cost", "money", "landed unit cost (COGS per unit)"),
        _c("price", "money", "selling price"),
        _c("currency", "id", "ISO currency of cost and price (when one column gives both)"),
        _c(
            "cost_currency",
            "id",
            "ISO currency of unit_cost (采购成本 in CNY …); defaults to currency",
        ),
        _c("price_currency", "id", "ISO currency of price (售价 in USD …); defaults to currency"),
        _c("size_tier", "id", "Amazon size tier (standard, large_bulky, …)"),
        _c(
            "vat_rate",
            "number",
            "VAT rate in the price where it is not the marketplace's standard one (a reduced rate: 0.05 or 5)",
        ),
        _c("cubic_feet", "number", "unit volume in cubic feet"),
        _c("weight_lb", "number", "unit weight in pounds"),
        _c("case_pack", "units", "units per carton (orders are rounded up to whole cartons)"),
        _c("moq", "units", "supplier's minimum order quantity"),
        _c("supplier", "text", "the SKU's supplier"),
        _c(
            "production_days",
            "number",
            "this SKU's production lead time in days (overrides the default)",
        ),
        _c(
            "category",
            "text",
            "product category (apparel, shoes … are exempt from the 181–270-day surcharge)",
        ),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("sku",),
    rules=("one row per SKU (a SKU listed twice is a mapping problem)", "unit_cost ≥ 0"),
)

SALES = TableSchema(
    name="sales",
    columns=(
        _c("date", "date", "day of the sale", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("units", "units", "units sold (returns are not netted here)", required=True),
        _c("revenue", "money", "item price × units, before fees"),
        _c("currency", "id", "ISO currency"),
        _c("channel", "id", "sales channel (Amazon.com, …)"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("asin", "id", "Amazon ASIN"),
        _c("order_id", "id", "order id (order-level sources; null for daily totals)"),
        _c(
            "available",
            "units",
            "units available to sell at the end of the day, when the source reports it "
            "(0 marks a stock-out day)",
        ),
        _c(
            "period_days",
            "units",
            "days the row's units were sold over, ending on ``date`` (null or 1: that day; "
            "a ledger month's sales fall evenly on its days)",
        ),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("date", "sku", "channel", "order_id"),
    rules=(
        "units ≥ 0",
        "one row per SKU and day for daily totals; one row per order line for orders",
    ),
)

RECEIPTS = TableSchema(
    name="receipts",
    columns=(
        _c("date", "date", "day the lot was received", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("units", "units", "units received", required=True),
        _c("location", "id", "where it was received"),
        _c("unit_cost", "money", "purchase cost per unit"),
        _c("po_number", "id", "purchase order"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("date", "sku", "po_number"),
    rules=("units > 0",),
)

SHIPMENTS = TableSchema(
    name="shipments",
    columns=(
        _c("shipment_id", "id", "shipment id (FBA15…)", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("units_shipped", "units", "units that left the origin", required=True),
        _c("units_received", "units", "units the destination checked in (null while open)"),
        _c("mode", "id", "air | sea | express | rail | truck", required=True),
        _c("origin", "id", "location shipped from"),
        _c("destination", "id", "location shipped to"),
        _c("ship_date", "date", "day it left", required=True),
        _c("eta", "date", "expected arrival"),
        _c("received_date", "date", "day receiving closed (null while open)"),
        _c(
            "delivered_date",
            "date",
            "day the carrier delivered it (Amazon counts inbound claim windows from it)",
        ),
        _c("status", "id", "WORKING | SHIPPED | IN_TRANSIT | RECEIVING | CLOSED"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("shipment_id", "sku"),
    rules=("units_shipped > 0", "units_received ≥ 0", "ship_date ≤ eta"),
)

PURCHASE_ORDERS = TableSchema(
    name="purchase_orders",
    columns=(
        _c("po_number", "id", "purchase order number (采购单号)", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("units_ordered", "units", "units ordered from the supplier", required=True),
        _c("units_received", "units", "units received so far (0 or null while none)"),
        _c(
            "order_date",
            "date",
            "day the order was placed (null: the export gives none; counted as placed)",
        ),
        _c("expected_date", "date", "day the goods are expected at the warehouse"),
        _c(
            "status",
            "id",
            "DRAFT | OPEN | PARTIAL | CLOSED | CANCELLED (null: open while units are outstanding)",
        ),
        _c("supplier", "text", "supplier"),
        _c("unit_cost", "money", "purchase price per unit (单价 / 含税单价), in ``currency``"),
        _c(
            "currency", "id", "currency of the price, where the file states it (采购币种, 单价(元))"
        ),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("po_number", "sku"),
    rules=(
        "units_ordered > 0",
        "units_received ≥ 0",
        "on order = units_ordered − units_received while not DRAFT, CLOSED or CANCELLED",
    ),
)

COUNTS = TableSchema(
    name="counts",
    columns=(
        _c("date", "date", "day of the physical count", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("location", "id", "where it was counted", required=True),
        _c("units", "units", "units counted", required=True),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("date", "sku", "location"),
    rules=("units ≥ 0",),
)

LEDGER_EVENTS = TableSchema(
    name="ledger_events",
    columns=(
        _c("date", "date", "day of the event", required=True),
        _c("sku", "id", "seller SKU (MSKU)", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c(
            "event_type",
            "id",
            "Shipments, Receipts, CustomerReturns, WhseTransfers, Adjustments, VendorReturns, …",
            required=True,
        ),
        _c("reference_id", "id", "order, shipment or adjustment reference"),
        _c("quantity", "units", "signed units (outflows negative)", required=True),
        _c("location", "id", "fulfillment center"),
        _c("disposition", "id", "SELLABLE, UNSELLABLE, …"),
        _c("reason", "id", "Amazon adjustment reason code"),
        _c("country", "id", "marketplace country"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("flow", "id", "the summary-view flow column this event adds to"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("date", "sku", "event_type", "reference_id", "location", "disposition"),
)

QUARANTINE = TableSchema(
    name="quarantine",
    columns=(
        _c("source_file", "text", "file the row came from", required=True),
        _c(
            "line",
            "units",
            "line (CSV) or row (XLSX); 1 is the first line of the file",
            required=True,
        ),
        _c("column", "text", "column header as written in the file (empty for a whole row)"),
        _c("value", "text", "the value that could not be used"),
        _c("reason", "text", "why the row was set aside", required=True),
    ),
    key=("source_file", "line"),
)

#: Amazon's age buckets in the FBA Inventory report: canonical column -> (first day, last day); None = open end
AGE_BUCKETS: dict[str, tuple[int, int | None]] = {
    "inv_age_0_to_90_days": (0, 90),
    "inv_age_91_to_180_days": (91, 180),
    "inv_age_181_to_270_days": (181, 270),
    "inv_age_271_to_365_days": (271, 365),
    "inv_age_365_plus_days": (366, None),
}
#: the finer buckets of newer downloads (366–455 and 456+ arrived with the 2026 surcharge tiers)
FINE_AGE_BUCKETS: dict[str, tuple[int, int | None]] = {
    "inv_age_0_to_30_days": (0, 30),
    "inv_age_31_to_60_days": (31, 60),
    "inv_age_61_to_90_days": (61, 90),
    "inv_age_181_to_330_days": (181, 330),
    "inv_age_331_to_365_days": (331, 365),
    "inv_age_366_to_455_days": (366, 455),
    "inv_age_456_plus_days": (456, None),
}
#: the aged-inventory-surcharge tiers the FBA Inventory report estimates (estimated-ais-… columns)
AIS_TIERS: tuple[str, ...] = (
    "181_210",
    "211_240",
    "241_270",
    "271_300",
    "301_330",
    "331_365",
    "365_plus",
    "366_455",
    "456_plus",
)

FBA_INVENTORY = TableSchema(
    name="fba_inventory",
    columns=(
        _c("snapshot_date", "date", "day of the snapshot", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c("title", "text", "product name"),
        _c("condition", "id", "New, Used, …"),
        _c("available", "units", "units available to sell", required=True),
        _c("pending_removal_quantity", "units", "units in a removal order"),
        *(
            _c(b, "units", f"units aged {lo}–{hi if hi is not None else '∞'} days")
            for b, (lo, hi) in {**AGE_BUCKETS, **FINE_AGE_BUCKETS}.items()
        ),
        _c("units_shipped_t7", "units", "units shipped in the last 7 days"),
        _c("units_shipped_t30", "units", "units shipped in the last 30 days"),
        _c("units_shipped_t60", "units", "units shipped in the last 60 days"),
        _c("units_shipped_t90", "units", "units shipped in the last 90 days"),
        _c("sell_through", "number", "Amazon: 90-day units shipped / average units on hand"),
        _c("weeks_of_cover_t30", "number", "Amazon: weeks of cover on 30-day sales"),
        _c("weeks_of_cover_t90", "number", "Amazon: weeks of cover on 90-day sales"),
        _c("days_of_supply", "number", "Amazon: days of supply on projected demand"),
        _c(
            "estimated_excess_quantity",
            "units",
            "Amazon: units it costs more to keep than to reduce",
        ),
        _c(
            "estimated_storage_cost_next_month",
            "money",
            "Amazon: storage + surcharges expected next month",
        ),
        *(
            _c(
                f"estimated_ais_{t}_days",
                "money",
                f"Amazon: estimated surcharge, {t.replace('_', '–')} days",
            )
            for t in AIS_TIERS
        ),
        *(
            _c(
                f"quantity_to_be_charged_ais_{t}_days",
                "units",
                f"Amazon: units to be charged, {t.replace('_', '–')} days",
            )
            for t in AIS_TIERS
        ),
        _c("item_volume", "number", "unit volume"),
        _c("volume_unit_measurement", "id", "cubic feet or cubic meters"),
        _c("storage_type", "id", "Standard, Oversize, Apparel, …"),
        _c("inbound_quantity", "units", "units in inbound shipments"),
        _c("inbound_working", "units", "inbound: working"),
        _c("inbound_shipped", "units", "inbound: shipped"),
        _c("inbound_received", "units", "inbound: receiving"),
        _c(
            "reserved_quantity",
            "units",
            "units reserved (FC transfer, processing, customer orders)",
        ),
        _c("unfulfillable_quantity", "units", "units not sellable"),
        _c("your_price", "money", "the seller's price"),
        _c("recommended_action", "text", "Amazon's recommendation"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("snapshot_date", "sku"),
    rules=("age buckets sum to the units Amazon ages (available + reserved at most)",),
)

STORAGE_FEES = TableSchema(
    name="storage_fees",
    columns=(
        _c("month_of_charge", "date", "first day of the month charged", required=True),
        _c("fnsku", "id", "Amazon FNSKU", required=True),
        _c("asin", "id", "Amazon ASIN"),
        _c("title", "text", "product name"),
        _c("location", "id", "fulfillment center"),
        _c("country", "id", "country code"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("item_volume", "number", "unit volume"),
        _c("volume_units", "id", "cubic feet or cubic meters"),
        _c("size_tier", "id", "product size tier"),
        _c("average_quantity_on_hand", "number", "daily average units on hand"),
        _c("average_quantity_pending_removal", "number", "daily average units pending removal"),
        _c("estimated_total_item_volume", "number", "average volume on hand"),
        _c("storage_rate", "money", "rate per volume unit"),
        _c("base_rate", "money", "base rate per volume unit"),
        _c("utilization_surcharge_rate", "money", "storage utilization surcharge per volume unit"),
        _c("estimated_monthly_storage_fee", "money", "the fee charged", required=True),
        _c("currency", "id", "ISO currency"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("month_of_charge", "fnsku", "location"),
)

SURCHARGES = TableSchema(
    name="surcharges",
    columns=(
        _c(
            "snapshot_date",
            "date",
            "the snapshot the surcharge was assessed on (the 15th)",
            required=True,
        ),
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c("title", "text", "product name"),
        _c("condition", "id", "New, Used, …"),
        _c("per_unit_volume", "number", "unit volume"),
        _c("volume_unit", "id", "cubic feet or cubic meters"),
        _c("country", "id", "country code"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("qty_charged", "units", "units charged in this tier", required=True),
        _c("amount_charged", "money", "surcharge charged", required=True),
        _c("surcharge_age_tier", "id", "age tier as Amazon writes it"),
        _c("rate_surcharge", "money", "rate per volume unit"),
        _c("currency", "id", "ISO currency"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("snapshot_date", "sku", "surcharge_age_tier"),
)

RESTOCK = TableSchema(
    name="restock",
    columns=(
        _c("sku", "id", "Merchant SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c("title", "text", "product name"),
        _c("condition", "id", "New, …"),
        _c("supplier", "text", "supplier as entered in Seller Central"),
        _c("currency", "id", "currency code"),
        _c("price", "money", "price"),
        _c("sales_last_30_days", "money", "sales in the last 30 days"),
        _c("units_sold_30d", "units", "units sold in the last 30 days"),
        _c("total_units", "units", "total units (available + inbound + reserved)"),
        _c("inbound", "units", "inbound units"),
        _c("available", "units", "available units"),
        _c("unfulfillable", "units", "unfulfillable units"),
        _c("total_days_of_supply", "number", "days of supply including open shipments"),
        _c("days_of_supply_at_amazon", "number", "days of supply at Amazon's network"),
        _c("alert", "text", "out_of_stock, reorder_now, …"),
        _c(
            "recommended_qty", "units", "Amazon's recommended replenishment quantity", required=True
        ),
        _c("recommended_ship_date", "date", "Amazon's recommended ship date"),
        _c("recommended_action", "text", "Amazon's recommended action"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("sku",),
)

FX_RATES = TableSchema(
    name="fx_rates",
    columns=(
        _c(
            "date",
            "date",
            "the day (or first day of the month) the rate is in force from",
            required=True,
        ),
        _c("currency", "id", "the currency priced (CNY …)", required=True),
        _c(
            "base",
            "id",
            "the currency it is priced in (1 currency = rate base); blank: the reporting currency",
        ),
        _c("rate", "number", "units of base per unit of currency", required=True),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("date", "currency", "base"),
    rules=("rate > 0",),
)

REIMBURSEMENTS = TableSchema(
    name="reimbursements",
    columns=(
        _c("approval_date", "date", "day Amazon approved the reimbursement", required=True),
        _c("reimbursement_id", "id", "Amazon's reimbursement id", required=True),
        _c("case_id", "id", "the seller's case, when one was filed"),
        _c("order_id", "id", "Amazon order id (customer returns and service issues)"),
        _c(
            "reason",
            "id",
            "Lost_Warehouse, Damaged_Warehouse, Lost_Inbound, CustomerReturn, "
            "Reimbursement_Reversal …",
            required=True,
        ),
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c("condition", "id", "the unit's condition"),
        _c("currency", "id", "currency of the amounts"),
        _c("amount_per_unit", "money", "amount per unit"),
        _c("amount_total", "money", "amount in total (negative for a reversal)"),
        _c("quantity_cash", "units", "units reimbursed in cash"),
        _c("quantity_inventory", "units", "units replaced in inventory"),
        _c("quantity_total", "units", "units reimbursed in total (negative for a reversal)"),
        _c("original_reimbursement_id", "id", "the reimbursement a reversal takes back"),
        _c("original_reimbursement_type", "id", "that reimbursement's reason"),
        _c("country", "id", "marketplace country"),
        _c("marketplace", "id", "Amazon marketplace (US, UK, DE, JP …), where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("reimbursement_id", "sku", "reason", "quantity_total"),
)

RETURNS = TableSchema(
    name="returns",
    columns=(
        _c("date", "date", "day the return was received", required=True),
        _c("order_id", "id", "Amazon order id", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("asin", "id", "Amazon ASIN"),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("quantity", "units", "units returned", required=True),
        _c("location", "id", "fulfillment center"),
        _c(
            "disposition",
            "id",
            "SELLABLE, CUSTOMER_DAMAGED, DEFECTIVE, CARRIER_DAMAGED, DISTRIBUTOR_DAMAGED …",
        ),
        _c("reason", "id", "the customer's reason (DEFECTIVE, NOT_AS_DESCRIBED, SWITCHEROO …)"),
        _c("status", "id", "Unit returned to inventory, Reimbursed …"),
        _c("license_plate", "id", "Amazon's license plate number"),
        _c("country", "id", "marketplace country"),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("order_id", "sku", "license_plate", "date"),
)

REFUNDS = TableSchema(
    name="refunds",
    columns=(
        _c("date", "date", "day of the refund", required=True),
        _c("order_id", "id", "Amazon order id", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("quantity", "units", "units refunded", required=True),
        _c(
            "amount", "money", "the row's total, net of fees (negative: money back to the customer)"
        ),
        _c("product_sales", "money", "the item price charged (an order) or given back (a refund)"),
        _c("kind", "id", "refund, or order: the sale a refund can be checked against"),
        _c("currency", "id", "currency of the amounts"),
        _c("channel", "id", "the sales channel (amazon.co.uk …)"),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("date", "order_id", "sku", "kind"),
)

STRANDED = TableSchema(
    name="stranded",
    columns=(
        _c("date", "date", "day the listing became stranded", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c("reason", "text", "why Amazon cannot sell it (stranded-reason)"),
        _c("primary_action", "text", "what Amazon suggests"),
        _c("units", "units", "sellable units stranded (fulfillable-qty)", required=True),
        _c("unfulfillable", "units", "unsellable units of the listing"),
        _c("price", "money", "your price"),
        _c("country", "id", "marketplace country"),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("sku", "date"),
)

REMOVAL_ORDERS = TableSchema(
    name="removal_orders",
    columns=(
        _c("request_date", "date", "day the removal order was placed", required=True),
        _c("order_id", "id", "removal order id", required=True),
        _c(
            "order_source",
            "text",
            "who placed it: Seller-initiated Manual Removal, Seller-configured Automated Unfulfillable Removal "
            "System, Amazon-initiated Automated …",
        ),
        _c("order_type", "id", "Return | Disposal | Liquidations", required=True),
        _c("order_status", "id", "Pending | In Process | Completed | Cancelled"),
        _c("last_updated_date", "date", "day of the order's last update"),
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("disposition", "id", "Sellable | Unsellable"),
        _c("requested", "units", "units requested for removal", required=True),
        _c("cancelled", "units", "units cancelled"),
        _c("disposed", "units", "units disposed of"),
        _c("shipped", "units", "units shipped back"),
        _c("in_process", "units", "units still being processed"),
        _c("removal_fee", "money", "the line's removal or disposal fee (in total)"),
        _c("currency", "id", "currency of the fee"),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("order_id", "sku", "fnsku", "disposition"),
    rules=(
        "requested = cancelled + disposed + shipped + in process (a completed order short of it lost units)",
    ),
)

REMOVAL_SHIPMENTS = TableSchema(
    name="removal_shipments",
    columns=(
        _c("request_date", "date", "day the removal order was placed"),
        _c("order_id", "id", "removal order id", required=True),
        _c("shipment_date", "date", "day the package left the fulfilment centre", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("disposition", "id", "Sellable | Unsellable"),
        _c("shipped", "units", "units in the package", required=True),
        _c("carrier", "text", "carrier"),
        _c("tracking_number", "id", "tracking number"),
        _c("order_type", "id", "Return | Liquidations"),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("order_id", "sku", "tracking_number", "shipment_date"),
)

FEE_PREVIEW = TableSchema(
    name="fee_preview",
    columns=(
        _c("sku", "id", "seller SKU", required=True),
        _c("fnsku", "id", "Amazon FNSKU"),
        _c("asin", "id", "Amazon ASIN"),
        _c("store", "id", "the marketplace the fees are for (amazon-store: US, CA, DE …)"),
        _c("price", "money", "your price"),
        _c("longest_side", "number", "package's longest side, in dimension_unit"),
        _c("median_side", "number", "package's median side"),
        _c("shortest_side", "number", "package's shortest side"),
        _c("dimension_unit", "id", "inches | centimeters"),
        _c("weight", "number", "package weight Amazon measured, in weight_unit"),
        _c("weight_unit", "id", "pounds | grams | kilograms"),
        _c("size_tier", "id", "Amazon's size tier (product-size-tier, product-size-weight-band)"),
        _c("currency", "id", "currency of the fees"),
        _c("fee_total", "money", "estimated fees per unit (referral + closing + fulfilment)"),
        _c("referral_fee", "money", "estimated referral fee per unit"),
        _c("fulfilment_fee", "money", "expected FBA fulfilment fee per unit", required=True),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("sku", "store"),
)

REPLACEMENTS = TableSchema(
    name="replacements",
    columns=(
        _c("date", "date", "day the free replacement shipped", required=True),
        _c("sku", "id", "seller SKU", required=True),
        _c("asin", "id", "Amazon ASIN"),
        _c("location", "id", "fulfilment centre that shipped the replacement"),
        _c("original_location", "id", "fulfilment centre that shipped the original"),
        _c("quantity", "units", "units replaced", required=True),
        _c("reason", "id", "replacement-reason-code (0-12, Amazon help 200453300)"),
        _c("order_id", "id", "the replacement's own (zero-price) order"),
        _c("original_order_id", "id", "the order it replaces", required=True),
        _c("marketplace", "id", "Amazon marketplace, where the file says it"),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("order_id", "sku"),
)

INPUT_CURRENCIES = TableSchema(
    name="input_currencies",
    columns=(
        _c(
            "file",
            "text",
            "a file of the folder, by name or pattern (进销存*.csv, sales/*)",
            required=True,
        ),
        _c(
            "currency",
            "id",
            "the currency that file's money is written in, as the seller states it",
            required=True,
        ),
        _c("source_file", "text", "file the row came from"),
        _c("source_line", "units", "line in that file"),
    ),
    key=("file",),
    rules=("a file's own currency column or header unit wins over this table",),
)

TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in (
        LEDGER,
        LEDGER_EVENTS,
        PRODUCTS,
        SALES,
        RECEIPTS,
        SHIPMENTS,
        PURCHASE_ORDERS,
        COUNTS,
        FBA_INVENTORY,
        STORAGE_FEES,
        SURCHARGES,
        RESTOCK,
        FX_RATES,
        REIMBURSEMENTS,
        REMOVAL_ORDERS,
        REMOVAL_SHIPMENTS,
        FEE_PREVIEW,
        REPLACEMENTS,
        RETURNS,
        REFUNDS,
        STRANDED,
        INPUT_CURRENCIES,
        QUARANTINE,
    )
}


#: how a SKU listed twice in the master is read: the larger number (the conservative cost, volume and
#: weight), the first text
_PRODUCT_AGG = {
    **{
        c: "max"
        for c in (
            "unit_cost",
            "price",
            "cubic_feet",
            "weight_lb",
            "case_pack",
            "moq",
            "production_days",
            "vat_rate",
        )
    },
    **{
        c: "first"
        for c in (
            "asin",
            "fnsku",
            "title",
            "currency",
            "cost_currency",
            "price_currency",
            "size_tier",
            "supplier",
            "category",
        )
    },
}


def products_by_sku(products: pd.DataFrame | None) -> pd.DataFrame:
    """The SKU master with one row per SKU, indexed by ``sku`` (a SKU listed twice keeps its larger cost,
    price, volume, weight, case pack and MOQ, and its first size tier and identifiers).

    >>> p = pd.DataFrame({"sku": ["A", "A", "B"], "unit_cost": [5.0, 6.0, 1.0], "size_tier": ["standard", None, None]})
    >>> products_by_sku(p)[["unit_cost", "size_tier"]].astype(object).values.tolist()
    [[6.0, 'standard'], [1.0, <NA>]]
    """
    p = conform(
        products if products is not None else pd.DataFrame({"sku": []}), PRODUCTS, keep_extra=False
    )
    return p.groupby("sku")[list(_PRODUCT_AGG)].agg(_PRODUCT_AGG)


def flows_present(df: pd.DataFrame) -> list[str]:
    """The flow columns of ``df`` that hold at least one non-zero value, in order.

    >>> flows_present(pd.DataFrame({"receipts": [0, 3], "lost": [0, 0]}))
    ['receipts']
    """
    return [f for f in FLOWS if f in df.columns and bool(np.any(df[f].fillna(0).to_numpy() != 0))]
