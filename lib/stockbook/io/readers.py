"""Read one input file into its canonical table plus a quarantine of unusable rows.

``read_file`` detects the format from the headers, parses every column with its
type, sets aside each row that cannot be used (with file, line, column, value
and reason) and finishes the table the way its format needs (periods from
Amazon's dates, seller ledgers' outflows made negative, shipping modes named).
Every data row ends up in ``data`` or in ``quarantine``: ``rows_in == len(data)
+ quarantined rows`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from stockbook import money, schema
from stockbook.errors import InputError
from stockbook.io import parse
from stockbook.io.formats import (
    FORMATS,
    OUT_FLOWS,
    Format,
    closest_format,
    detect_format,
    norm,
)
from stockbook.io.parse import parse_ids, parse_money, parse_numbers, parse_periods, parse_units
from stockbook.io.raw import RawTable, read_raw

#: location class as sellers write it -> canonical class
LOCATION_CLASS_ALIASES: dict[str, str] = {
    "domestic": "domestic",
    "国内仓": "domestic",
    "国内": "domestic",
    "本地仓": "domestic",
    "china": "domestic",
    "fba": "fba",
    "amazon": "fba",
    "亚马逊仓": "fba",
    "third_party": "third_party",
    "thirdparty": "third_party",
    "3pl": "third_party",
    "overseas": "third_party",
    "海外仓": "third_party",
    "第三方仓": "third_party",
    "第三方海外仓": "third_party",
    "in_transit": "in_transit",
    "intransit": "in_transit",
    "在途": "in_transit",
}

#: shipping mode as written -> canonical mode
#: purchase order statuses as sellers' ERPs write them (lower case, no spaces) -> the canonical status
PO_STATUS_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "open",
            "pending",
            "placed",
            "confirmed",
            "approved",
            "submitted",
            "inproduction",
            "ordered",
            "notreceived",
            "awaitingdelivery",
            "intransit",
            "shipped",
            "待到货",
            "未到货",
            "待收货",
            "待入库",
            "已下单",
            "已审核",
            "生产中",
            "采购中",
            "在途",
            "已发货",
            "未完成",
            "进行中",
        ),
        "OPEN",
    ),
    **dict.fromkeys(
        ("partial", "partiallyreceived", "partlyreceived", "部分到货", "部分收货", "部分入库"),
        "PARTIAL",
    ),
    **dict.fromkeys(
        (
            "closed",
            "received",
            "complete",
            "completed",
            "fullyreceived",
            "done",
            "finished",
            "已完成",
            "已到货",
            "全部到货",
            "已入库",
            "已收货",
            "全部入库",
            "已结案",
            "完成",
            "已关闭",
            "关闭",
        ),
        "CLOSED",
    ),
    **dict.fromkeys(
        ("cancelled", "canceled", "void", "voided", "已取消", "取消", "作废", "已作废"), "CANCELLED"
    ),
    **dict.fromkeys(
        (
            "draft",
            "notsent",
            "草稿",
            "待审核",
            "未提交",
            "待提交",
            "待下单",
            "新采购",
            "等待一审",
            "等待二审",
            "审核中",
            "(审批流)待审核",
            "审批中",
        ),
        "DRAFT",
    ),
    # LingXing (待签收 = ordered, awaiting delivery), 积加 (待交货, 交货中, 全部交货, 变更中), 马帮 (采购中 … 全部到货)
    **dict.fromkeys(("待签收", "待交货", "变更中", "签收", "验货", "上架", "未到货"), "OPEN"),
    **dict.fromkeys(("交货中",), "PARTIAL"),
    **dict.fromkeys(("全部交货", "已签收"), "CLOSED"),
    **dict.fromkeys(
        ("删除", "已删除", "审核驳回", "驳回", "(审批流)驳回", "(审批流)作废"), "CANCELLED"
    ),
}

MODE_ALIASES: dict[str, str] = {
    "sea": "sea",
    "ocean": "sea",
    "海运": "sea",
    "海派": "sea",
    "海卡": "sea",
    "lcl": "sea",
    "fcl": "sea",
    "air": "air",
    "空运": "air",
    "空派": "air",
    "express": "express",
    "courier": "express",
    "快递": "express",
    "dhl": "express",
    "ups": "express",
    "fedex": "express",
    "rail": "rail",
    "铁路": "rail",
    "铁运": "rail",
    "truck": "truck",
    "卡车": "truck",
    "卡航": "truck",
}

#: Amazon detail-view event type -> summary-view flow column
EVENT_FLOWS: dict[str, str] = {
    "shipments": "customer_shipments",
    "customershipments": "customer_shipments",
    "receipts": "receipts",
    "customerreturns": "customer_returns",
    "vendorreturns": "vendor_returns",
    "whsetransfers": "transfers",
    "warehousetransfers": "transfers",
}

#: Amazon adjustment reason code -> summary-view flow column (others go to other_events)
REASON_FLOWS: dict[str, str] = {
    "F": "found",
    "N": "found",
    "M": "lost",
    "5": "lost",
    "D": "disposed",
    "6": "damaged",
    "7": "damaged",
    "E": "damaged",
    "H": "damaged",
    "K": "damaged",
    "U": "damaged",
}


#: tables whose date column has another canonical name
DATE_COLUMN: dict[str, str] = {
    "fba_inventory": "snapshot_date",
    "surcharges": "snapshot_date",
    "storage_fees": "month_of_charge",
    "fx_rates": "date",
}


#: disposition as an ERP writes it -> Amazon's word
DISPOSITION_ALIASES: dict[str, str] = {
    "可售": "SELLABLE",
    "良品": "SELLABLE",
    "正常": "SELLABLE",
    "normal": "SELLABLE",
    "不可售": "UNSELLABLE",
    "次品": "UNSELLABLE",
    "残次品": "UNSELLABLE",
    "不良品": "UNSELLABLE",
    "defective": "DEFECTIVE",
}

#: order statuses that are not (yet) a sale: (status pattern, reason)
#: the transaction type of a refund in each marketplace's Date Range Report (``Refund``, ``Chargeback Refund``;
#: de Erstattung, fr Remboursement, it Rimborso, es Reembolso, ja 返金; 退款 as Amazon's Chinese help names it)
REFUND_TYPES = r"refund|erstattung|remboursement|rimborso|reembolso|返金|退款"
#: the Payments report's order rows, the amount each order was sold for (refunds are checked against them)
ORDER_TYPES = r"^(?:order|bestellung|commande|ordine|pedido|注文|订单)$"

NOT_A_SALE: tuple[tuple[str, str], ...] = (
    (r"cancel", "cancelled order: not a sale"),
    (r"pending", "pending order: not yet a sale (it may still be cancelled)"),
)

KIT_REASON = (
    "no stock balance: starting and ending are both blank while units moved (a kit, bundle or virtual "
    "SKU holds no stock of its own; its parts' rows carry the units)"
)

#: a year and month in a file name or title: ``2022.04``, ``2026-10``, ``2026_10``, ``202610``, ``2026年10月``
_MONTH_IN_TEXT = re.compile(
    r"(?<!\d)(20\d{2})\s*(?:[.\-_/年]\s*)?(0?[1-9]|1[0-2])(?:\s*月)?(?![\d])(?!\s*[.\-_/]\s*\d)"
)


@dataclass
class ReadResult:
    """What one file gave: its canonical rows, its quarantined rows, the count read, and what was guessed."""

    path: Path
    format: Format
    data: pd.DataFrame
    quarantine: pd.DataFrame
    rows_in: int
    encoding: str
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> str:
        return self.format.table

    @property
    def rows_quarantined(self) -> int:
        return int(self.quarantine["line"].nunique()) if len(self.quarantine) else 0


#: a date range in a title row: ``统计期间：2026-10-01 至 2026-10-31``, ``2026/10/01 - 2026/10/31``, ``2026年10月1日~2026年10月31日``
_DAY = r"(20\d{2})\s*[.\-/年]\s*(1[0-2]|0?[1-9])\s*[.\-/月]\s*(3[01]|[12]\d|0?[1-9])(?!\d)\s*日?"
_RANGE_IN_TEXT = re.compile(_DAY + r"\s*(?:至|到|~|～|—|–|-|to)\s*" + _DAY)


def period_in_text(*texts: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The period a title row or file name states: a date range (``统计期间：2026-10-01 至 2026-10-31``), else a
    month (``2022.04进销存报表``) as its first and last day; None when neither is written.

    >>> [str(d.date()) for d in period_in_text("统计期间：2026-10-01 至 2026-10-31")]
    ['2026-10-01', '2026-10-31']
    >>> [str(d.date()) for d in period_in_text("", "2022.04进销存报表")]
    ['2022-04-01', '2022-04-30']
    >>> period_in_text("导出时间 2026-11-02 10:00") is None
    True
    """
    for text in texts:
        m = _RANGE_IN_TEXT.search(text or "")
        if m:
            g = [int(x) for x in m.groups()]
            try:
                a, b = pd.Timestamp(g[0], g[1], g[2]), pd.Timestamp(g[3], g[4], g[5])
            except ValueError:
                continue
            if a <= b:
                return a, b
    for text in texts:
        month = month_in_text(text)
        if month is not None:
            return month, month + pd.offsets.MonthEnd(0)
    return None


_DAY_IN_TEXT = re.compile(
    r"(?<!\d)(20\d{2})[-_.年/]?(1[0-2]|0[1-9])[-_.月/]?(3[01]|[12]\d|0[1-9])日?(?!\d)"
)


def day_in_text(*texts: str) -> pd.Timestamp | None:
    """The first day written in one of ``texts`` (``FBA库存_20261031_000000``, ``2026-10-31``), or None.

    >>> str(day_in_text("FBA库存明细_20261031_000000").date()), day_in_text("2022.04进销存") is None
    ('2026-10-31', True)
    """
    for text in texts:
        for m in _DAY_IN_TEXT.finditer(text or ""):
            try:
                return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def month_in_text(*texts: str) -> pd.Timestamp | None:
    """The first year and month written in one of ``texts`` (a title row, a file name), or None.

    >>> str(month_in_text("2022.04进销存报表.csv").date()), str(month_in_text("库存报表_2026-10.xlsx").date())
    ('2022-04-01', '2026-10-01')
    >>> month_in_text("stock_2026-10-31.csv") is None, str(month_in_text("2026年3月 进销存").date())
    (True, '2026-03-01')
    """
    for text in texts:
        m = _MONTH_IN_TEXT.search(text or "")
        if m:
            return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)
    return None


def read_file(
    path: str | Path,
    *,
    fmt: str | None = None,
    location_class: str | None = None,
    dayfirst: bool | None = None,
) -> ReadResult:
    """Read ``path`` into a canonical table (see :mod:`stockbook.schema`).

    ``fmt`` forces a format by name; ``location_class`` sets the class of a seller ledger that
    has no class column (default ``domestic``). ``dayfirst``: True or False reads every date in
    that order; None (the default) takes the order the file's own dates show, and where they
    could be either, the order of each row's marketplace (a country, store or sales-channel column:
    UK, DE, FR … are day-first), else month-first as Amazon's US exports write them.

    What a file decides once for all its rows (each column's decimal mark and date order, which
    outflow columns are written positive, the month of a file without dates) is its
    :class:`Plan`, made from :func:`scan` of its cells: a file read in chunks (``stream``) makes the
    same plan from the same scan and reads every row the same way.
    """
    raw = read_raw(path)
    f = choose_format(raw.path, raw.header, raw.header_line, fmt)
    plan = make_plan(
        f,
        raw.path,
        raw.header,
        raw.header_line,
        raw.title,
        scan(f, raw.header, raw.cells),
        dayfirst=dayfirst,
        location_class=location_class,
        notes=raw.notes,
    )
    result, off = apply_plan(raw, plan)
    result.notes = result.notes + unbalanced_notes(off, plan)
    return result


@dataclass(frozen=True)
class Plan:
    """What one file's reading decides once, for all its rows."""

    format: Format
    header: list[str]
    mapping: dict[str, int]  # canonical column -> position
    flows: dict[int, tuple[str, str]]  # position -> (canonical flow, direction), summed
    styles: dict[int, str]  # position -> decimal style of a number column ("." "," "mixed")
    mixed_dates: dict[
        int, bool
    ]  # position -> the column writes dates both day-first and month-first
    order: bool | None  # the file's own date order (None: every date could be either)
    dayfirst: bool | None  # the caller's choice, over everything
    negate: frozenset[int]  # outflow columns written as positive numbers
    period: (
        tuple[pd.Timestamp, pd.Timestamp] | None
    )  # a ledger's period without a date column (name or title)
    location_class: str | None
    unread: tuple[str, ...]  # number columns that are not read (named when rows do not add up)
    notes: list[str]
    currencies: dict[str, str] = field(
        default_factory=dict
    )  # money column -> the currency its header states

    @property
    def known(self) -> set[int]:
        return set(self.mapping.values()) | set(self.flows)


def _sign_text(s: pd.Series) -> tuple[bool, bool]:
    """(some cell is a positive number, some cell is a negative one), from the text alone."""
    t = s.str.strip()
    digits = t.str.contains(r"[1-9]").fillna(False).astype(bool)
    neg = t.str.slice(0, 1).isin(["-", "(", "−"]) & digits
    return bool((digits & ~neg).any()), bool(neg.any())


def scan(f: Format, header: list[str], cells: pd.DataFrame) -> dict[int, dict[str, bool]]:
    """What a block of rows tells about each column, as flags that add up over blocks (:func:`merge_scans`).

    Per position: ``point``/``comma`` (a number that can only be read one way), ``dmy``/``mdy``
    (a date with a day above 12 first or second), ``slashed`` (a date like 04/07/2026), ``pos``/``neg``
    (signed numbers), ``numeric`` (mostly numbers, for columns not read), ``dayfirst_market`` /
    ``monthfirst_market`` (marketplace names).
    """
    mapping = f.map_header(header)
    flows = f.map_flows(header, set(mapping.values())) if f.flows else {}
    out: dict[int, dict[str, bool]] = {}
    kinds = {mapping[c]: t for c, t in f.columns.items() if c in mapping}
    for pos in range(len(header)):
        if pos >= cells.shape[1]:
            continue
        s = cells[pos]
        kind = "units" if pos in flows else kinds.get(pos)
        flags: dict[str, bool] = {}
        if kind in ("units", "money", "number"):
            t = parse.number_text(s).str.strip("()")
            flags["point"] = bool(t.str.fullmatch(parse.POINT_SURE).fillna(False).any())
            flags["comma"] = bool(t.str.fullmatch(parse.COMMA_SURE).fillna(False).any())
            flags["pos"], flags["neg"] = _sign_text(s)
        elif kind == "date" or (kind == "text" and pos == mapping.get("date")):
            order = parse.date_order(s)
            flags["dmy"] = order in ("dmy", "mixed")
            flags["mdy"] = order in ("mdy", "mixed")
            flags["slashed"] = bool(
                s.str.fullmatch(r"\s*\d{1,2}[/\-]\d{1,2}[/\-]\d{2,4}.*").fillna(False).any()
            )
        elif pos in (mapping.get("country"), mapping.get("location"), mapping.get("channel")):
            first = market_day_first(s).dropna()
            flags["dayfirst_market"] = bool(first.any())
            flags["monthfirst_market"] = bool((~first).any())
        elif kind is None:  # a column not read: mostly numbers, not all zero?
            t = s.str.strip()
            num = t.str.fullmatch(r"[-+]?[0-9][0-9,]*\.?[0-9]*").fillna(False)
            nonzero = num & ~t.str.fullmatch(r"[-+]?[0,]*\.?0*").fillna(False)
            flags["numeric"] = bool(num.mean() > 0.5 and nonzero.any()) if len(s) else False
        out[pos] = flags
    return out


def merge_scans(
    a: dict[int, dict[str, bool]], b: dict[int, dict[str, bool]]
) -> dict[int, dict[str, bool]]:
    """Two blocks' scans as one (a flag is set when either block set it).

    >>> merge_scans({0: {"point": False}}, {0: {"point": True}, 1: {"neg": False}})
    {0: {'point': True}, 1: {'neg': False}}
    """
    out = {k: dict(v) for k, v in a.items()}
    for k, flags in b.items():
        mine = out.setdefault(k, {})
        for name, v in flags.items():
            mine[name] = mine.get(name, False) or v
    return out


def make_plan(
    f: Format,
    path: Path,
    header: list[str],
    header_line: int,
    title: list[str],
    scanned: dict[int, dict[str, bool]],
    *,
    dayfirst: bool | None,
    location_class: str | None,
    notes: list[str],
) -> Plan:
    """The file-wide decisions of a reading (see :class:`Plan`), from the scan of all its rows."""
    dups = f.duplicated(header)
    if dups:
        col, where = dups[0]
        raise InputError(
            path,
            f"two columns are headed {header[where[0]]!r} (columns "
            + " and ".join(str(i + 1) for i in where)
            + f"): stockbook cannot tell which holds {col}",
            line=header_line,
            column=header[where[0]],
            expected="each column named once (rename or delete the copy)",
        )
    mapping = f.map_header(header)
    flows = f.map_flows(header, set(mapping.values())) if f.flows else {}
    notes = list(notes)
    flag = lambda pos, name: scanned.get(pos, {}).get(name, False)  # noqa: E731
    # a column's decimal mark: what its cells say; where they say nothing (1.234 alone), the file's language
    marks = {norm(m) for m in f.comma_marks}
    comma_language = next((h for h in header if norm(h) in marks), None)
    styles = {
        pos: (
            "mixed"
            if flag(pos, "point") and flag(pos, "comma")
            else ","
            if flag(pos, "comma") or (comma_language and not flag(pos, "point"))
            else "."
        )
        for pos in scanned
        if "point" in scanned[pos]
    }
    if comma_language and "," in styles.values():
        notes.append(
            f"numbers read with a decimal comma (1.234,56), as a report headed {comma_language!r} writes them"
        )
    else:
        for pos, style in styles.items():
            if style == ",":
                notes.append(
                    f"{header[pos]}: numbers written with a decimal comma (0,5 = one half)"
                )
    date_cols = [p for p in scanned if "dmy" in scanned[p]]
    mixed = {p: flag(p, "dmy") and flag(p, "mdy") for p in date_cols}
    dmy = any(flag(p, "dmy") and not flag(p, "mdy") for p in date_cols)
    mdy = any(flag(p, "mdy") for p in date_cols)
    order = True if dmy and not mdy else False if mdy else None
    if dayfirst is None and order is None and any(flag(p, "slashed") for p in date_cols):
        markets = [p for p in scanned if "dayfirst_market" in scanned[p]]
        kinds = sorted(
            {
                k
                for p in markets
                for k, name in (
                    ("day-first", "dayfirst_market"),
                    ("month-first", "monthfirst_market"),
                )
                if flag(p, name)
            }
        )
        if kinds:
            notes.append(
                "dates such as 04/07 could be read either way: each row read in its marketplace's order ("
                + " and ".join(kinds)
                + ")"
            )
        else:
            first = any(day_first_market(pd.Series([t])) for t in title)
            order = bool(first)
            notes.append(
                "dates such as 04/07 could be read either way: read "
                + (
                    "day-first (DD/MM, the marketplace's order)"
                    if first
                    else "month-first (MM/DD, as Amazon US writes them)"
                )
            )
    amazon = f.name.startswith("amazon")
    outs = [p for p, (_, d) in flows.items() if d == "out"]
    if f.table == "ledger":
        outs += [mapping[c] for c in OUT_FLOWS if c in mapping]
    negate = frozenset(p for p in outs if flag(p, "pos") and (not amazon or not flag(p, "neg")))
    if amazon and negate:  # Amazon writes outflows negative: say when a file does not
        notes.append(
            "outflows written as positive numbers, read as negative: "
            + ", ".join(header[p] for p in sorted(negate))
        )
    signed = [p for p in outs if p not in negate and flag(p, "neg")]
    if not amazon and signed:  # a seller's ledger writes them positive: say when one does not
        notes.append(
            "outflows already written as negative numbers, kept as written: "
            + ", ".join(header[p] for p in sorted(signed))
        )
    period = None
    if (
        f.name == "erp_fba_stock" and "date" not in mapping
    ):  # a snapshot: its day from the file name or title
        day = day_in_text(*title, path.stem)
        if day is None:
            raise InputError(
                path,
                "no date column, and no day in the file name or title",
                line=header_line,
                column="日期 / Date",
                expected="a 日期 column, or the day in the file name (e.g. FBA库存_20261031.xlsx)",
            )
        period = (day, day)
        notes.append(
            f"snapshot of {day:%Y-%m-%d}, taken from the "
            + ("title" if day_in_text(*title) is not None else "file name")
        )
    if f.table == "ledger" and "date" not in mapping:
        period = period_in_text(*title, path.stem)
        if period is None:
            raise InputError(
                path,
                "no date or month column, and no month in the file name or title (nor a period such as 2026-10-01 至 2026-10-31)",
                line=header_line,
                column="月份 / Date",
                expected="a 月份/日期/Date column, the month in the file name (e.g. 进销存_2026-10.csv) "
                "or a title row such as 统计期间：2026-10-01 至 2026-10-31",
            )
        where = "title" if period_in_text(*title) is not None else "file name"
        a, b = period
        whole_month = a.day == 1 and b == a + pd.offsets.MonthEnd(0)
        notes.append(
            f"month {a:%Y-%m} taken from the {where}"
            if whole_month
            else f"period {a:%Y-%m-%d} to {b:%Y-%m-%d} taken from the {where}"
        )
    known = set(mapping.values()) | set(flows)
    unread = tuple(
        header[p] for p in sorted(scanned) if p not in known and flag(p, "numeric") and header[p]
    )
    currencies = f.currencies(header)
    for col, ccy in currencies.items():
        notes.append(f"{header[mapping[col]]}: the header states the currency, {ccy}")
    if f.table == "purchase_orders" and "order_date" not in mapping:
        notes.append("no order date: every open line counts as placed on the report day")
    return Plan(
        format=f,
        header=header,
        mapping=mapping,
        flows=flows,
        styles=styles,
        mixed_dates=mixed,
        order=order,
        dayfirst=dayfirst,
        negate=negate,
        period=period,
        location_class=location_class,
        unread=unread,
        notes=notes,
        currencies=currencies,
    )


def unbalanced_notes(off: int, plan: Plan) -> list[str]:
    """A ledger's rows that do not add up, and which number columns were not read, as a note."""
    if not off or not plan.format.flows:  # Amazon's own breaks are the reconciliation's business
        return []
    return [
        f"{off:,} rows do not add up (ending ≠ starting + flows)"
        + (
            f"; number columns not read as flows: {', '.join(plan.unread[:8])} (if they are stock movements, "
            "rename them to a flow stockbook knows: `stockbook validate --formats`)"
            if plan.unread
            else ""
        )
    ]


def _row_order(plan: Plan, raw: RawTable) -> bool | pd.Series:
    """Day-first per row: the caller's choice, else the row's marketplace, else the file's own order."""
    if plan.dayfirst is not None:
        return plan.dayfirst
    if plan.order is not None:
        return plan.order
    m = plan.mapping
    market = next((raw.cells[m[c]] for c in ("country", "location", "channel") if c in m), None)
    if market is None:
        return False
    return market_day_first(market).fillna(False).astype(bool)


def apply_plan(raw: RawTable, plan: Plan) -> tuple[ReadResult, int]:
    """Read the rows of ``raw`` by ``plan``: (the result, how many of its ledger rows do not add up)."""
    f, mapping, header = plan.format, plan.mapping, plan.header
    filled = _filled_down(raw, [mapping[c] for c in f.fill_down if c in mapping])
    fill_note = (
        []
        if filled is raw
        else [
            "rows with a blank "
            + header[mapping[f.fill_down[0]]]
            + " belong to the row above: they take its "
            + ", ".join(header[mapping[c]] for c in f.fill_down if c in mapping)
            + " (the export writes a group's "
            "fields on its first row only)"
        ]
    )
    raw = filled
    order = _row_order(plan, raw)
    values: dict[str, pd.Series] = {}
    reasons: dict[str, pd.Series] = {}
    for col, dtype in f.columns.items():
        if col not in mapping:
            continue
        pos = mapping[col]
        s = raw.cells[pos]
        style = plan.styles.get(pos)
        mixed = plan.mixed_dates.get(pos, False)
        if col == "date" and f.table in DATE_COLUMN:
            start, _, why = parse_periods(
                s, dayfirst=order, allow_month=dtype == "text", mixed=mixed
            )
            values[DATE_COLUMN[f.table]] = start
        elif col == "date" and dtype == "text":  # a period: a day or a month
            start, end, why = parse_periods(s, dayfirst=order, mixed=mixed)
            values["period_start"], values["period_end"] = start, end
        elif dtype == "date":
            start, _, why = parse_periods(
                s, dayfirst=order, required=col in f.required, allow_month=False, mixed=mixed
            )
            values[col] = start
        elif dtype == "units":
            values[col], why = parse_units(
                s, blank_is_zero=col in f.blank_is_zero or col not in f.required, style=style
            )
            if col not in f.required and col not in f.blank_is_zero:
                values[col] = values[col].mask(s.str.strip().fillna("") == "")
            if pos in plan.negate:
                values[col] = -values[col]
        elif dtype == "money":
            values[col], why = parse_money(s, style=style)
        elif dtype == "number":
            values[col], why = parse_numbers(s, style=style)
        elif dtype == "id":
            values[col], why = parse_ids(s)
            if col in f.required:
                why = why.mask(values[col].isna() & why.isna(), f"missing {col}")
        else:
            values[col] = s.str.strip()
            why = pd.Series(pd.NA, index=s.index, dtype="string")
        reasons[header[pos]] = why
    for pos, (col, _) in plan.flows.items():
        units, why = parse_units(raw.cells[pos], blank_is_zero=True, style=plan.styles.get(pos))
        reasons[header[pos]] = why
        if pos in plan.negate:
            units = -units
        values[col] = values[col].add(units, fill_value=0) if col in values else units
    df = pd.DataFrame(values, index=raw.cells.index)
    if plan.period is not None and f.table == "fba_inventory":
        df["snapshot_date"] = pd.Series(plan.period[0], index=df.index, dtype="datetime64[s]")
    elif plan.period is not None:
        df["period_start"] = pd.Series(plan.period[0], index=df.index, dtype="datetime64[s]")
        df["period_end"] = pd.Series(plan.period[1], index=df.index, dtype="datetime64[s]")
    for (
        col,
        ccy,
    ) in (
        plan.currencies.items()
    ):  # a currency the header states (采购成本（元）), under the column's own
        target = (
            {"unit_cost": "cost_currency", "price": "price_currency"}.get(col, "currency")
            if f.table == "products"
            else "currency"
        )
        df[target] = (
            df[target].fillna(ccy)
            if target in df
            else pd.Series(ccy, index=df.index, dtype="string")
        )
    df, extra_reasons = _finish(f, df, raw, mapping, location_class=plan.location_class)
    totals = total_rows(raw, mapping)
    if totals.any():  # 合计 / 总计 / Total rows: a sum of the rows, never a SKU
        key = header[mapping["sku"]] if "sku" in mapping else header[0]
        reasons[key] = reasons.get(key, pd.Series(pd.NA, index=df.index, dtype="string")).mask(
            totals, TOTAL_REASON
        )
    for h, why in extra_reasons.items():
        reasons[h] = reasons.get(h, pd.Series(pd.NA, index=df.index, dtype="string")).fillna(why)
    if f.table == "ledger":
        # a blank balance: an ERP that leaves zeros blank (it is 0 when the row then adds up: 0 + 10 − 10 = 0),
        # or, with both blank and units moving, a kit / virtual SKU whose parts carry the stock
        b_start, b_end = (
            _blank_cells(raw, mapping["starting"]),
            _blank_cells(raw, mapping["ending"]),
        )
        flows = df[[c for c in schema.FLOWS if c in df]].fillna(0)
        net = flows.sum(axis=1)
        moved = (flows != 0).any(axis=1)  # sold 1 and returned 1 moved units, though they net to 0
        start0 = b_start & ~b_end & (net == df["ending"])
        end0 = b_end & ~b_start & (df["starting"] + net == 0)
        both0, kit = b_start & b_end & ~moved, b_start & b_end & moved
        df.loc[start0 | both0, "starting"] = 0
        df.loc[end0 | both0, "ending"] = 0
        start_h, end_h = header[mapping["starting"]], header[mapping["ending"]]
        reasons[start_h] = reasons[start_h].mask(start0 | both0).mask(kit, KIT_REASON)
        reasons[end_h] = reasons[end_h].mask(end0 | both0 | kit)
    # keep the columns we do not know, under their own names
    known = plan.known
    for i, h in enumerate(header):
        if i not in known and h and h not in df.columns:
            df[h] = raw.cells[i].values
    df["source_file"] = str(raw.path)
    df["source_line"] = raw.lines
    quarantine, bad = _quarantine(raw, reasons, {header[p]: p for p in known})
    kept = df.loc[~bad]
    off = 0
    if f.table == "ledger" and len(kept):
        flows = [c for c in schema.FLOWS if c in kept]
        residual = (kept["ending"] - kept["starting"] - kept[flows].fillna(0).sum(axis=1)).fillna(0)
        off = int((residual != 0).sum())
    table = schema.TABLES[f.table]
    result = ReadResult(
        path=raw.path,
        format=f,
        data=schema.conform(kept, table),
        quarantine=quarantine,
        rows_in=raw.rows_in,
        encoding=raw.encoding,
        notes=list(plan.notes),
    )
    if totals.any():
        result.notes.extend(total_notes(df, totals, bad, raw.lines))
    result.notes.extend(fill_note + currency_notes(f, kept, mapping, plan))
    return result, off


def market_day_first(values: pd.Series) -> pd.Series:
    """Per row: whether its marketplace (``UK``, ``Amazon.de``, ``United Kingdom``) writes dates day-first.

    ``<NA>`` where the value names no marketplace stockbook knows.

    >>> market_day_first(pd.Series(["GB", "Amazon.com", "Mars"])).tolist()
    [True, False, <NA>]
    """
    v = (
        values.astype("string")
        .str.strip()
        .str.lower()
        .str.replace(r"^(www\.)?amazon\.", "", regex=True)
    )
    return v.map(DAY_FIRST).astype("boolean")


def day_first_market(values: pd.Series) -> bool | None:
    """Whether all the marketplaces named in ``values`` write dates day-first (None: unknown or both kinds).

    >>> day_first_market(pd.Series(["GB", "Amazon.co.uk"])), day_first_market(pd.Series(["US"]))
    (True, False)
    """
    kinds = market_day_first(values).dropna().unique()
    return bool(kinds[0]) if len(kinds) == 1 else None


#: marketplace codes, domains and names -> whether its reports write dates day-first
DAY_FIRST: dict[str, bool] = {
    **{
        k: True
        for k in (
            "uk",
            "gb",
            "united kingdom",
            "co.uk",
            "de",
            "germany",
            "deutschland",
            "fr",
            "france",
            "it",
            "italy",
            "italia",
            "es",
            "spain",
            "españa",
            "nl",
            "netherlands",
            "se",
            "sweden",
            "pl",
            "poland",
            "be",
            "belgium",
            "com.be",
            "ie",
            "ireland",
            "in",
            "india",
            "co.in",
            "au",
            "australia",
            "com.au",
            "mx",
            "mexico",
            "com.mx",
            "br",
            "brazil",
            "com.br",
            "tr",
            "turkey",
            "com.tr",
            "ae",
            "sa",
            "eg",
            "sg",
            "com.sg",
            "eu",
            "欧洲",
            "英国",
            "德国",
            "法国",
            "意大利",
            "西班牙",
        )
    },
    **{k: False for k in ("us", "usa", "united states", "com", "ca", "canada", "美国", "加拿大")},
}


def choose_format(
    path: Path, header: list[str], header_line: int, fmt: str | None = None
) -> Format:
    """The format of a file with ``header``: ``fmt`` by name, else recognised; a clear error if neither."""
    if fmt is not None:
        by_name = {f.name: f for f in FORMATS}
        if fmt not in by_name:
            raise InputError(path, f"unknown format name {fmt!r}", expected=", ".join(by_name))
        f = by_name[fmt]
        found = f.mapped(header)
        missing = [f.spellings(c)[0] for c in f.required if c not in found]
        if missing:
            raise InputError(
                path,
                f"missing column {missing[0]!r} for {f.label}",
                line=header_line,
                column=missing[0],
                expected="headers: " + ", ".join(f.spellings(c)[0] for c in f.required),
            )
        return f
    f = detect_format(header)
    if f is not None:
        return f
    near, missing = closest_format(header)
    shown = ", ".join(header[:8]) + (" …" if len(header) > 8 else "")
    hint = (
        (f"closest is {near.label}, which lacks " + ", ".join(repr(m) for m in missing))
        if missing
        else ""
    )
    raise InputError(
        path,
        f"unknown file format (headers on line {header_line}: {shown})"
        + (f"; {hint}" if hint else ""),
        line=header_line,
        column=missing[0] if missing else None,
        expected="the headers of a known format (see `stockbook validate --formats`)",
    )


def _finish(
    f: Format,
    df: pd.DataFrame,
    raw: RawTable,
    mapping: dict[str, int],
    *,
    location_class: str | None,
) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Format-specific completion. Returns the frame and extra per-column reasons."""
    na = pd.Series(pd.NA, index=df.index, dtype="string")
    extra: dict[str, pd.Series] = {}
    if "sku" in df:
        _fill_sku_from_product_code(df, raw, mapping)
    if f.table == "ledger":
        for col in (*schema.FLOWS, "unknown_events", "in_transit_between_warehouses"):
            df[col] = (
                df[col].fillna(0) if col in df else pd.Series(0, index=df.index, dtype="Int64")
            )
        amazon_like = bool(f.location_class)
        default_loc = "AMAZON" if amazon_like else "DOMESTIC"
        if "location" not in df:
            df["location"] = df.get("country", default_loc)
        df["location"] = df["location"].fillna(df.get("country", default_loc)).fillna(default_loc)
        if "disposition" not in df:
            df["disposition"] = "SELLABLE"
        disp = df["disposition"].str.strip()
        df["disposition"] = (
            disp.map(
                lambda d: (
                    DISPOSITION_ALIASES.get(d.lower(), DISPOSITION_ALIASES.get(d, d))
                    if isinstance(d, str)
                    else d
                )
            )
            .astype("string")
            .fillna("SELLABLE")
            .str.upper()
        )
        if f.location_class:
            df["location_class"] = f.location_class
        else:
            default = location_class or "domestic"
            if "location_class" in df:
                key = (
                    df["location_class"]
                    .str.strip()
                    .str.lower()
                    .str.replace(r"[\s-]", "", regex=True)
                )
                mapped = key.map(
                    lambda k: LOCATION_CLASS_ALIASES.get(k, "?") if isinstance(k, str) else default
                )
                header = raw.header[mapping["location_class"]]
                extra[header] = na.mask(
                    mapped == "?",
                    "unknown location class (expected domestic, fba, "
                    "third_party, in_transit or 国内仓/海外仓/在途)",
                )
                df["location_class"] = mapped.mask(mapped == "?")
            else:
                df["location_class"] = default
    elif f.table == "ledger_events":
        et = df["event_type"].str.lower().str.replace(r"[\s_-]", "", regex=True)
        flow = et.map(lambda k: EVENT_FLOWS.get(k) if isinstance(k, str) else None).astype("string")
        reason = df.get("reason", na)
        adj = et == "adjustments"
        flow = flow.mask(
            adj,
            reason.map(
                lambda r: (
                    REASON_FLOWS.get(r, "other_events") if isinstance(r, str) else "other_events"
                )
            ),
        )
        df["flow"] = flow.fillna("other_events")
        df["disposition"] = df.get("disposition", na).fillna("SELLABLE").str.upper()
    elif f.table == "products":
        # one currency column gives both; each code as ISO (RMB, 人民币 -> CNY)
        for col in ("cost_currency", "price_currency"):
            df[col] = money.currency_code(
                df[col].fillna(df["currency"])
                if col in df and "currency" in df
                else df.get(col, df.get("currency", na))
            )
        if "currency" in df:
            df["currency"] = money.currency_code(df["currency"])
        if "weight_g" in df:
            grams = df.pop("weight_g")
            lb = (grams / 453.59237).round(4)
            df["weight_lb"] = df["weight_lb"].fillna(lb) if "weight_lb" in df else lb
    elif f.table == "shipments":
        key = df["mode"].str.strip().str.lower()
        mapped = key.map(lambda k: MODE_ALIASES.get(k, "?") if isinstance(k, str) else "?")
        header = raw.header[mapping["mode"]]
        extra[header] = na.mask(
            mapped == "?",
            "unknown shipping mode (expected sea, air, express, rail, truck or 海运/空运/快递)",
        )
        df["mode"] = mapped.mask(mapped == "?")
        if "status" in df:
            df["status"] = df["status"].str.upper()
        shipped_header = raw.header[mapping["units_shipped"]]
        extra[shipped_header] = na.mask(
            df["units_shipped"].fillna(1) <= 0, "units shipped must be positive"
        )
    elif f.table == "sales":
        header = raw.header[mapping["units"]]
        extra[header] = na.mask(
            df["units"].fillna(0) < 0,
            "units sold cannot be negative (returns belong in the ledger)",
        )
        if "order_status" in df:
            status = df["order_status"].str.strip().str.lower()
            why = na
            for pattern, text in NOT_A_SALE:
                why = why.mask(
                    status.str.contains(pattern, regex=True).fillna(False) & why.isna(), text
                )
            extra[raw.header[mapping["order_status"]]] = why
        if "available" in df:
            extra[raw.header[mapping["available"]]] = na.mask(
                df["available"].fillna(0) < 0, "available units cannot be negative"
            )
    elif f.table == "refunds":
        kind = df["type"].str.strip().str.lower()
        refund = kind.str.contains(REFUND_TYPES, regex=True).fillna(False)
        order = kind.str.fullmatch(ORDER_TYPES).fillna(False) & ~refund
        extra[raw.header[mapping["type"]]] = na.mask(
            ~(refund | order), "neither a refund nor an order (fees, transfers): not used"
        )
        df["kind"] = pd.Series(np.where(order, "order", "refund"), index=df.index, dtype="string")
        df["quantity"] = df["quantity"].abs()
    elif f.table == "returns":
        df["disposition"] = df["disposition"].str.strip().str.upper()
    elif f.table == "fx_rates":
        df["currency"], df["base"] = (
            money.currency_code(df["currency"]),
            money.currency_code(df.get("base", na)),
        )
        extra[raw.header[mapping["rate"]]] = na.mask(
            ~(df["rate"].fillna(1) > 0), "a rate must be above 0"
        )
        # a rate quoted per 100 (or 10,000) units, as the Bank of China quotes: 1 unit = rate / per
        per = df.pop("per") if "per" in df else pd.Series(np.nan, index=df.index)
        if f.name == "boc_rates":
            per, df["base"] = per.fillna(100.0), "CNY"
        if "per" in mapping:
            extra[raw.header[mapping["per"]]] = na.mask(
                ~(per.fillna(1) > 0), "the quote unit must be above 0"
            )
        df["rate"] = df["rate"] / per.fillna(1.0).where(per.fillna(1.0) > 0, 1.0)
    elif f.table == "purchase_orders":
        extra[raw.header[mapping["units_ordered"]]] = na.mask(
            ~(df["units_ordered"].fillna(1) > 0), "units ordered must be positive"
        )
        if "units_received" in df:
            extra[raw.header[mapping["units_received"]]] = na.mask(
                df["units_received"].fillna(0) < 0, "units received cannot be negative"
            )
        if (
            "units_open" in df
        ):  # LingXing's 待到货量: what is still to come, when the export gives no received count
            extra[raw.header[mapping["units_open"]]] = na.mask(
                df["units_open"].fillna(0) < 0, "units still to come cannot be negative"
            )
            got = (df["units_ordered"] - df["units_open"]).clip(lower=0)
            df["units_received"] = (
                df["units_received"].fillna(got) if "units_received" in df else got
            )
        if "status" in df:
            key = df["status"].str.strip().str.lower().str.replace(r"[\s_-]", "", regex=True)
            mapped = key.map(
                lambda k: PO_STATUS_ALIASES.get(k, "?") if isinstance(k, str) else None
            )
            extra[raw.header[mapping["status"]]] = na.mask(
                mapped == "?",
                "unknown purchase order status (expected "
                "draft, open, partial, closed, cancelled or 草稿/待到货/部分到货/"
                "已完成/已取消)",
            )
            df["status"] = pd.array(mapped.mask(mapped == "?"), dtype="string")
    elif f.table == "receipts":
        header = raw.header[mapping["units"]]
        extra[header] = na.mask(df["units"].fillna(1) <= 0, "units received must be positive")
    if "marketplace" in schema.TABLES[f.table].names:
        df["marketplace"] = marketplace_of(df, ledger=f.table == "ledger")
    if f.table in (
        "sales",
        "refunds",
        "reimbursements",
    ):  # currency as written (RMB -> CNY), else the marketplace's
        written = money.currency_code(df["currency"]) if "currency" in df else na
        df["currency"] = written.fillna(
            df["marketplace"].map(money.MARKETPLACE_CURRENCY).astype("string")
        )
    elif f.table == "input_currencies":
        df["currency"] = money.currency_code(df["currency"])
        known = df["currency"].str.fullmatch(r"[A-Z]{3}").fillna(False).astype(bool)
        extra[raw.header[mapping["currency"]]] = na.mask(
            ~known & df["currency"].notna(),
            "not a currency (expected an ISO code such as CNY, USD, or 人民币/美元)",
        )
    elif f.table == "counts":
        header = raw.header[mapping["units"]]
        extra[header] = na.mask(df["units"].fillna(0) < 0, "a count cannot be negative")
    return df, extra


def marketplace_of(df: pd.DataFrame, *, ledger: bool = False) -> pd.Series:
    """Each row's marketplace code from the columns that say it: a marketplace, country, store or sales-channel
    column, and for a ledger its location (Amazon's ledger writes the country there).

    >>> marketplace_of(pd.DataFrame({"channel": ["Amazon.co.uk", None], "country": [None, "DE"]})).tolist()
    ['UK', 'DE']
    """
    out = pd.Series(pd.NA, index=df.index, dtype="string")
    for col in ("marketplace", "country", "channel", *(("location",) if ledger else ())):
        if col in df:
            out = out.fillna(money.marketplace_code(df[col]))
    return out


def _blank_cells(raw: RawTable, pos: int | None) -> pd.Series:
    if pos is None:
        return pd.Series(False, index=raw.cells.index)
    return raw.cells[pos].isna() | (raw.cells[pos].str.strip() == "")


#: a product (style) code, the fallback SKU where a variant code column is blank
_PRODUCT_CODE = ("商品编码", "产品编码", "Product Code", "SPU", "款号")


def _fill_sku_from_product_code(df: pd.DataFrame, raw: RawTable, mapping: dict[str, int]) -> None:
    """Where the SKU comes from a variant code (规格编码) and a row leaves it blank, use the product code."""
    if "sku" not in mapping or norm(raw.header[mapping["sku"]]) in {norm(p) for p in _PRODUCT_CODE}:
        return
    codes = [i for i, h in enumerate(raw.header) if norm(h) in {norm(p) for p in _PRODUCT_CODE}]
    if codes:
        product, _ = parse_ids(raw.cells[codes[0]])
        df["sku"] = df["sku"].fillna(product)


def _quarantine(
    raw: RawTable, reasons: dict[str, pd.Series], positions: dict[str, int]
) -> tuple[pd.DataFrame, pd.Series]:
    """One quarantine row per unusable data row: the first bad column, its value and all reasons.

    ``positions``: header as written -> its column position (for the bad cell's value)."""
    if reasons:
        r = pd.DataFrame(reasons)
        bad = r.notna().any(axis=1)
    else:
        r = pd.DataFrame(index=raw.cells.index)
        bad = pd.Series(False, index=raw.cells.index)
    parts = []
    if bad.any():
        rb = r.loc[bad]
        first = rb.notna().to_numpy().argmax(axis=1)
        cols = np.asarray(rb.columns)[first]
        cell_values = pd.Series("", index=rb.index, dtype="string")
        for c in pd.unique(cols):  # the first bad cell's value, a column at a time
            if c in positions:
                at = rb.index[cols == c]
                cell_values.loc[at] = raw.cells.loc[at, positions[c]].to_numpy()
        why = pd.Series(
            pd.NA, index=rb.index, dtype="string"
        )  # "<header>: <reason>; …", a column at a time
        for c in rb.columns:
            part = (c + ": " + rb[c].astype("string")).astype("string")
            why = why.where(part.isna(), (why + "; " + part).fillna(part))
        parts.append(
            pd.DataFrame(
                {
                    "source_file": str(raw.path),
                    "line": raw.lines[bad.to_numpy()],
                    "column": cols,
                    "value": cell_values.to_numpy(),
                    "reason": why.to_numpy(),
                }
            )
        )
    if len(raw.broken):
        parts.append(
            pd.DataFrame(
                {
                    "source_file": str(raw.path),
                    "line": raw.broken["line"],
                    "column": "",
                    "value": raw.broken["value"],
                    "reason": raw.broken["reason"],
                }
            )
        )
    q = pd.concat(parts, ignore_index=True) if parts else schema.QUARANTINE.empty()
    q = (
        schema.conform(q, schema.QUARANTINE)
        .sort_values("line", kind="stable")
        .reset_index(drop=True)
    )
    return q, bad


#: a row that sums the others: its label, in the SKU column or the first one
_TOTAL = re.compile(
    r"^\s*(合\s*计|总\s*计|小\s*计|汇\s*总|总\s*合\s*计|本页合计|grand\s*total|sub-?\s*total|totals?|"
    r"summe|gesamt|total\s+general|合計|総計|小計)\s*[:：]?\s*$",
    re.I,
)
TOTAL_REASON = "a total row (合计 / Total): the sum of the rows, not a SKU"


def total_rows(raw: RawTable, mapping: dict[str, int]) -> pd.Series:
    """Rows whose SKU cell, or first cell, is a total's label (合计, 总计, 小计, Total, Subtotal …).

    >>> from stockbook.io.raw import RawTable
    >>> cells = pd.DataFrame({0: ["A-1", "合计", "总计："], 1: ["5", "5", "5"]}, dtype="string")
    >>> raw = RawTable(Path("x.csv"), ["SKU", "n"], 1, cells, np.array([2, 3, 4]), pd.DataFrame(), "utf-8", ",")
    >>> total_rows(raw, {"sku": 0}).tolist()
    [False, True, True]
    """
    out = pd.Series(False, index=raw.cells.index)
    for pos in {mapping.get("sku", 0), 0} | {
        mapping[c] for c in ("title", "date", "po_number", "shipment_id") if c in mapping
    }:
        if pos < raw.cells.shape[1]:
            out |= raw.cells[pos].fillna("").str.fullmatch(_TOTAL).fillna(False).astype(bool)
    return out


def total_notes(
    df: pd.DataFrame, totals: pd.Series, bad: pd.Series, lines: np.ndarray
) -> list[str]:
    """Each total row checked against the sum of the rows read (its units columns), as a note."""
    cols = [c for c in ("ending", "starting", "units", "units_shipped", "units_ordered") if c in df]
    rows = df.loc[~bad.to_numpy()]
    out = []
    for i in np.flatnonzero(totals.to_numpy())[:5]:
        line = int(lines[i])
        checks = []
        for c in cols[:2]:
            stated = pd.to_numeric(df[c].iloc[i], errors="coerce")
            if pd.isna(stated):
                continue
            summed = pd.to_numeric(rows[c], errors="coerce").fillna(0).sum()
            checks.append(
                f"{c} {stated:,.0f} "
                + (
                    "= the sum of the rows"
                    if abs(stated - summed) < 0.5
                    else f"≠ the sum of the rows read ({summed:,.0f}): rows may be missing"
                )
            )
        out.append(
            f"line {line} is a total row, set aside" + (": " + ", ".join(checks) if checks else "")
        )
    return out


def _filled_down(raw: RawTable, positions: list[int]) -> RawTable:
    """``raw`` with a group's fields filled down: a row whose key (the first of ``positions``, the shipment id)
    is blank belongs to the group above it and takes that group's cells in ``positions`` (LingXing writes a
    shipment's fields on its first row only). A row with a key of its own keeps its blanks (an open shipment
    has no received date).

    >>> from stockbook.io.raw import RawTable
    >>> cells = pd.DataFrame({0: ["S1", "", "S2"], 1: ["2026-10-01", "", ""], 2: ["A", "B", "C"]}, dtype="string")
    >>> raw = RawTable(Path("x"), ["id", "d", "sku"], 1, cells, np.array([2, 3, 4]), pd.DataFrame(), "utf-8", ",")
    >>> _filled_down(raw, [0, 1]).cells.values.tolist()
    [['S1', '2026-10-01', 'A'], ['S1', '2026-10-01', 'B'], ['S2', '', 'C']]
    """
    if not positions or not len(raw.cells):
        return raw
    cells = raw.cells
    key = cells[positions[0]]
    follows = key.fillna("").str.strip() == ""
    if not follows.any() or follows.all():
        return raw
    cells = cells.copy()
    for pos in positions:
        col = cells[pos]
        above = col.mask(follows).ffill()  # the value of the group's own row
        cells[pos] = col.mask(follows, above)
    return replace(raw, cells=cells)


#: the money columns of each table, and the column that holds their currency
MONEY_COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "sales": (("revenue",), "currency"),
    "ledger": (("sales_amount", "ending_value", "starting_value", "ledger_unit_cost"), "currency"),
    "purchase_orders": (("unit_cost",), "currency"),
    "refunds": (("amount", "product_sales"), "currency"),
    "products": (("unit_cost", "price"), ""),
}
NO_CURRENCY = "states no currency"


def currency_notes(f: Format, df: pd.DataFrame, mapping: dict[str, int], plan: Plan) -> list[str]:
    """How the currency of a file's money was known (its currency column, its header, its marketplace), or that
    it was not: then the money is not used, and the note says how to state it. Never a default.

    >>> from stockbook.io.formats import SALES_DAILY
    >>> df = pd.DataFrame({"revenue": [617.0], "currency": pd.array([None], dtype="string")})
    >>> currency_notes(SALES_DAILY, df, {"revenue": 3}, None)[0][:60]
    'money (revenue) states no currency: not used until you add a'
    """
    cols, ccy_col = MONEY_COLUMNS.get(f.table, ((), ""))
    if f.table == "products":
        out = []
        for col, unit in (("unit_cost", "cost_currency"), ("price", "price_currency")):
            if (
                col in df
                and df[col].notna().any()
                and unit in df
                and df.loc[df[col].notna(), unit].isna().any()
            ):
                name = plan.header[mapping[col]] if plan is not None and col in mapping else col
                out.append(
                    f"{name} {NO_CURRENCY}: not used until you add a 币种 / {unit} column, write the unit in the "
                    "header (采购成本(元), 售价(USD)) or name the file in currencies.csv (file, currency)"
                )
        return out
    money = [c for c in cols if c in df and df[c].notna().any()]
    if not money:
        return []
    ccy = df[ccy_col] if ccy_col in df else pd.Series(pd.NA, index=df.index, dtype="string")
    has_money = df[money].notna().any(axis=1)
    named = [plan.header[mapping[c]] if plan is not None and c in mapping else c for c in money]
    how = (
        "its currency column"
        if ccy_col in mapping
        else "its header"
        if plan is not None and plan.currencies
        else "its marketplace's currency"
    )
    return [
        currency_note(
            named,
            sorted(ccy[has_money].dropna().unique()),
            int((has_money & ccy.isna()).sum()),
            how=how,
        )
    ]


def currency_note(money: list[str], codes: list[str], missing: int, *, how: str) -> str:
    """The note on a file's money: the currencies it is in and how they were known, the rows that state none.

    >>> currency_note(["GROSS AMT"], [], 12, how="")
    'money (GROSS AMT) states no currency: not used until you add a currency / 币种 column, write the unit in the header (销售总额(元)) or name the file in currencies.csv (file, currency)'
    >>> currency_note(["Amount"], ["INR"], 0, how="its currency column")
    'money in INR: its currency column'
    """
    if not codes:
        return (
            f"money ({', '.join(money)}) {NO_CURRENCY}: not used until you add a currency / 币种 column, write "
            "the unit in the header (销售总额(元)) or name the file in currencies.csv (file, currency)"
        )
    return f"money in {', '.join(codes)}: {how}" + (
        f"; {missing:,} rows name neither a currency nor a marketplace: their money is not used"
        if missing
        else ""
    )
