"""Read one input file into its canonical table plus a quarantine of unusable rows.

``read_file`` detects the format from the headers, parses every column with its
type, sets aside each row that cannot be used (with file, line, column, value
and reason) and finishes the table the way its format needs (periods from
Amazon's dates, seller ledgers' outflows made negative, shipping modes named).
Every data row ends up in ``data`` or in ``quarantine``: ``rows_in == len(data)
+ quarantined rows`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stockbook import schema
from stockbook.errors import InputError
from stockbook.io.formats import FORMATS, Format, closest_format, detect_format
from stockbook.io.parse import parse_ids, parse_money, parse_numbers, parse_periods, parse_units
from stockbook.io.raw import RawTable, read_raw

#: location class as sellers write it -> canonical class
LOCATION_CLASS_ALIASES: dict[str, str] = {
    "domestic": "domestic", "国内仓": "domestic", "国内": "domestic", "本地仓": "domestic", "china": "domestic",
    "fba": "fba", "amazon": "fba", "亚马逊仓": "fba",
    "third_party": "third_party", "thirdparty": "third_party", "3pl": "third_party", "overseas": "third_party",
    "海外仓": "third_party", "第三方仓": "third_party", "第三方海外仓": "third_party",
    "in_transit": "in_transit", "intransit": "in_transit", "在途": "in_transit",
}

#: shipping mode as written -> canonical mode
MODE_ALIASES: dict[str, str] = {
    "sea": "sea", "ocean": "sea", "海运": "sea", "海派": "sea", "海卡": "sea", "lcl": "sea", "fcl": "sea",
    "air": "air", "空运": "air", "空派": "air",
    "express": "express", "courier": "express", "快递": "express", "dhl": "express", "ups": "express",
    "fedex": "express",
    "rail": "rail", "铁路": "rail", "铁运": "rail", "truck": "truck", "卡车": "truck", "卡航": "truck",
}

#: Amazon detail-view event type -> summary-view flow column
EVENT_FLOWS: dict[str, str] = {
    "shipments": "customer_shipments", "customershipments": "customer_shipments", "receipts": "receipts",
    "customerreturns": "customer_returns", "vendorreturns": "vendor_returns", "whsetransfers": "transfers",
    "warehousetransfers": "transfers",
}

#: Amazon adjustment reason code -> summary-view flow column (others go to other_events)
REASON_FLOWS: dict[str, str] = {
    "F": "found", "N": "found", "M": "lost", "5": "lost", "D": "disposed",
    "6": "damaged", "7": "damaged", "E": "damaged", "H": "damaged", "K": "damaged", "U": "damaged",
}


#: tables whose date column has another canonical name
DATE_COLUMN: dict[str, str] = {"fba_inventory": "snapshot_date", "surcharges": "snapshot_date",
                               "storage_fees": "month_of_charge"}


@dataclass
class ReadResult:
    """What one file gave: its canonical rows, its quarantined rows, and the count read."""

    path: Path
    format: Format
    data: pd.DataFrame
    quarantine: pd.DataFrame
    rows_in: int
    encoding: str

    @property
    def table(self) -> str:
        return self.format.table

    @property
    def rows_quarantined(self) -> int:
        return int(self.quarantine["line"].nunique()) if len(self.quarantine) else 0


def read_file(
    path: str | Path,
    *,
    fmt: str | None = None,
    location_class: str | None = None,
    dayfirst: bool = False,
) -> ReadResult:
    """Read ``path`` into a canonical table (see :mod:`stockbook.schema`).

    ``fmt`` forces a format by name; ``location_class`` sets the class of a
    seller ledger that has no class column (default ``domestic``).
    """
    raw = read_raw(path)
    f = _choose_format(raw, fmt)
    mapping = f.map_header(raw.header)
    values: dict[str, pd.Series] = {}
    reasons: dict[str, pd.Series] = {}
    for col, dtype in f.columns.items():
        if col not in mapping:
            continue
        s = raw.cells[mapping[col]]
        if col == "date" and f.table in DATE_COLUMN:
            start, _, why = parse_periods(s, dayfirst=dayfirst)
            values[DATE_COLUMN[f.table]] = start
        elif col == "date" and dtype == "text":  # a period: a day or a month
            start, end, why = parse_periods(s, dayfirst=dayfirst)
            values["period_start"], values["period_end"] = start, end
        elif dtype == "date":
            start, _, why = parse_periods(s, dayfirst=dayfirst, required=col in f.required)
            values[col] = start
        elif dtype == "units":
            values[col], why = parse_units(s, blank_is_zero=col in f.blank_is_zero or col not in f.required)
            if col not in f.required and col not in f.blank_is_zero:
                values[col] = values[col].mask(s.str.strip().fillna("") == "")
        elif dtype == "money":
            values[col], why = parse_money(s)
        elif dtype == "number":
            values[col], why = parse_numbers(s)
        elif dtype == "id":
            values[col], why = parse_ids(s)
            if col in f.required:
                why = why.mask(values[col].isna() & why.isna(), f"missing {col}")
        else:
            values[col] = s.str.strip()
            why = pd.Series(pd.NA, index=s.index, dtype="string")
        reasons[raw.header[mapping[col]]] = why
    df = pd.DataFrame(values, index=raw.cells.index)
    df, extra_reasons = _finish(f, df, raw, mapping, location_class=location_class)
    for header, why in extra_reasons.items():
        reasons[header] = reasons.get(header, pd.Series(pd.NA, index=df.index, dtype="string")).fillna(why)
    # keep the columns we do not know, under their own names
    known = set(mapping.values())
    for i, h in enumerate(raw.header):
        if i not in known and h and h not in df.columns:
            df[h] = raw.cells[i].values
    df["source_file"] = str(raw.path)
    df["source_line"] = raw.lines
    quarantine, bad = _quarantine(raw, reasons, mapping)
    kept = df.loc[~bad]
    table = schema.TABLES[f.table]
    return ReadResult(
        path=raw.path,
        format=f,
        data=schema.conform(kept, table),
        quarantine=quarantine,
        rows_in=raw.rows_in,
        encoding=raw.encoding,
    )


def _choose_format(raw: RawTable, fmt: str | None) -> Format:
    if fmt is not None:
        by_name = {f.name: f for f in FORMATS}
        if fmt not in by_name:
            raise InputError(raw.path, f"unknown format name {fmt!r}", expected=", ".join(by_name))
        f = by_name[fmt]
        missing = [f.spellings(c)[0] for c in f.required if c not in f.map_header(raw.header)]
        if missing:
            raise InputError(
                raw.path, f"missing column {missing[0]!r} for {f.label}", line=raw.header_line,
                column=missing[0], expected="headers: " + ", ".join(f.spellings(c)[0] for c in f.required),
            )
        return f
    f = detect_format(raw.header)
    if f is not None:
        return f
    near, missing = closest_format(raw.header)
    shown = ", ".join(raw.header[:8]) + (" …" if len(raw.header) > 8 else "")
    raise InputError(
        raw.path,
        f"unknown file format (headers: {shown}); closest is {near.label}, which lacks "
        + ", ".join(repr(m) for m in missing),
        line=raw.header_line,
        column=missing[0] if missing else None,
        expected="the headers of a known format (see `stockbook validate --formats`)",
    )


def _finish(
    f: Format, df: pd.DataFrame, raw: RawTable, mapping: dict[str, int], *, location_class: str | None
) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Format-specific completion. Returns the frame and extra per-column reasons."""
    na = pd.Series(pd.NA, index=df.index, dtype="string")
    extra: dict[str, pd.Series] = {}
    if f.table == "ledger":
        for col in (*schema.FLOWS, "unknown_events", "in_transit_between_warehouses"):
            df[col] = df[col].fillna(0) if col in df else pd.Series(0, index=df.index, dtype="Int64")
        if "location" not in df:
            df["location"] = "AMAZON" if f.name.startswith("amazon") else "DOMESTIC"
        df["location"] = df["location"].fillna("AMAZON" if f.name.startswith("amazon") else "DOMESTIC")
        if "disposition" not in df:
            df["disposition"] = "SELLABLE"
        df["disposition"] = df["disposition"].fillna("SELLABLE").str.upper()
        if f.name.startswith("amazon"):
            df["location_class"] = "fba"
        else:
            default = location_class or "domestic"
            if "location_class" in df:
                key = df["location_class"].str.strip().str.lower().str.replace(r"[\s-]", "", regex=True)
                mapped = key.map(lambda k: LOCATION_CLASS_ALIASES.get(k, "?") if isinstance(k, str) else default)
                header = raw.header[mapping["location_class"]]
                extra[header] = na.mask(mapped == "?", "unknown location class (expected domestic, fba, "
                                        "third_party, in_transit or 国内仓/海外仓/在途)")
                df["location_class"] = mapped.mask(mapped == "?")
            else:
                df["location_class"] = default
            for col in schema.OUTFLOWS:
                if col in df:
                    df[col] = -df[col]
    elif f.table == "ledger_events":
        et = df["event_type"].str.lower().str.replace(r"[\s_-]", "", regex=True)
        flow = et.map(lambda k: EVENT_FLOWS.get(k) if isinstance(k, str) else None).astype("string")
        reason = df.get("reason", na)
        adj = et == "adjustments"
        flow = flow.mask(adj, reason.map(lambda r: REASON_FLOWS.get(r, "other_events") if isinstance(r, str)
                                         else "other_events"))
        df["flow"] = flow.fillna("other_events")
        df["disposition"] = df.get("disposition", na).fillna("SELLABLE").str.upper()
    elif f.table == "shipments":
        key = df["mode"].str.strip().str.lower()
        mapped = key.map(lambda k: MODE_ALIASES.get(k, "?") if isinstance(k, str) else "?")
        header = raw.header[mapping["mode"]]
        extra[header] = na.mask(mapped == "?", "unknown shipping mode (expected sea, air, express, rail, truck "
                                "or 海运/空运/快递)")
        df["mode"] = mapped.mask(mapped == "?")
        if "status" in df:
            df["status"] = df["status"].str.upper()
        shipped_header = raw.header[mapping["units_shipped"]]
        extra[shipped_header] = na.mask(df["units_shipped"].fillna(1) <= 0, "units shipped must be positive")
    elif f.table == "sales":
        header = raw.header[mapping["units"]]
        extra[header] = na.mask(df["units"].fillna(0) < 0, "units sold cannot be negative (returns belong in the "
                                "ledger)")
        if "order_status" in df:
            status = df["order_status"].str.strip().str.lower()
            extra[raw.header[mapping["order_status"]]] = na.mask(
                status.isin(["cancelled", "canceled"]).fillna(False), "cancelled order: not a sale")
        if "available" in df:
            extra[raw.header[mapping["available"]]] = na.mask(df["available"].fillna(0) < 0,
                                                               "available units cannot be negative")
    elif f.table == "receipts":
        header = raw.header[mapping["units"]]
        extra[header] = na.mask(df["units"].fillna(1) <= 0, "units received must be positive")
    elif f.table == "counts":
        header = raw.header[mapping["units"]]
        extra[header] = na.mask(df["units"].fillna(0) < 0, "a count cannot be negative")
    return df, extra


def _quarantine(
    raw: RawTable, reasons: dict[str, pd.Series], mapping: dict[str, int]
) -> tuple[pd.DataFrame, pd.Series]:
    """One quarantine row per unusable data row: the first bad column, its value and all reasons."""
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
        pos = {raw.header[i]: i for i in mapping.values()}
        cell_values = [
            raw.cells.at[idx, pos[c]] if c in pos else "" for idx, c in zip(rb.index, cols, strict=True)
        ]
        why = rb.apply(lambda row: "; ".join(f"{c}: {v}" for c, v in row.dropna().items()), axis=1)
        parts.append(
            pd.DataFrame(
                {
                    "source_file": str(raw.path),
                    "line": raw.lines[bad.to_numpy()],
                    "column": cols,
                    "value": cell_values,
                    "reason": why.to_numpy(),
                }
            )
        )
    if len(raw.ragged):
        n = len(raw.header)
        parts.append(
            pd.DataFrame(
                {
                    "source_file": str(raw.path),
                    "line": raw.ragged["line"],
                    "column": "",
                    "value": raw.ragged["value"],
                    "reason": [
                        f"expected {n} fields, found {k} (truncated, or a delimiter inside an unquoted value)"
                        for k in raw.ragged["fields"]
                    ],
                }
            )
        )
    q = pd.concat(parts, ignore_index=True) if parts else schema.QUARANTINE.empty()
    return schema.conform(q, schema.QUARANTINE), bad
