"""Fuzzing every reader: mutate valid files (columns and rows dropped, duplicated, reordered; bytes flipped;
the file cut anywhere) and check the reader either accounts for every row or raises InputError naming the
file — never any other exception.

`make test` runs a bounded number of examples; `make fuzz` runs many (STOCKBOOK_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stockbook.errors import InputError
from stockbook.io import read_file

BAD = Path(__file__).parent / "data" / "bad"
SEEDS = [
    BAD / n
    for n in (
        "summary_renamed_headers.csv",
        "summary_crlf.csv",
        "detail_iso_timezone.txt",
        "warehouse_gb18030.csv",
        "warehouse_utf16_excel.txt",
        "master_currency_and_thousands.csv",
        "shipments_date_formats.csv",
        "counts_negative.csv",
        "sales_negative_units.csv",
        "orders_cancelled.txt",
        "receipts_zero_units.csv",
        "inventory_help_page_headers.txt",
        "storage_fees_month.txt",
        "surcharge_bad_amount.txt",
        "xlsx_several_sheets.xlsx",
        "xlsx_merged_title.xlsx",
    )
]
EXAMPLES = int(os.environ.get("STOCKBOOK_FUZZ_EXAMPLES", "60"))


def _split(text: str) -> tuple[list[list[str]], str]:
    lines = text.splitlines()
    if not lines:  # a file cut to nothing (or to a lone BOM) has no rows to rearrange
        return [], ","
    sep = "\t" if "\t" in lines[0] else ","
    return [line.split(sep) for line in lines], sep


def mutate(data: bytes, op: str, a: int, b: int, byte: int) -> bytes:
    """Apply one mutation; positions are taken modulo the file's size."""
    if op == "flip":
        i = a % max(len(data), 1)
        return data[:i] + bytes([byte]) + data[i + 1 :]
    if op == "cut":
        return data[: a % (len(data) + 1)]
    if op == "insert":
        i = a % (len(data) + 1)
        return data[:i] + bytes([byte, (byte * 7) % 256]) + data[i:]
    for enc in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        return data
    rows, sep = _split(text)
    if not rows:
        return data
    width = len(rows[0])
    i, j = a % width, b % width
    n = len(rows)
    if op == "drop_column":
        rows = [r[:i] + r[i + 1 :] for r in rows]
    elif op == "duplicate_column":
        rows = [r[: i + 1] + r[i : i + 1] + r[i + 1 :] for r in rows]
    elif op == "swap_columns":
        rows = [[*r] for r in rows]
        for r in rows:
            if i < len(r) and j < len(r):
                r[i], r[j] = r[j], r[i]
    elif op == "drop_row":
        k = a % n
        rows = rows[:k] + rows[k + 1 :]
    elif op == "duplicate_row":
        k = a % n
        rows = rows[: k + 1] + rows[k : k + 1] + rows[k + 1 :]
    elif op == "swap_rows":
        rows = [*rows]
        rows[a % n], rows[b % n] = rows[b % n], rows[a % n]
    out = "\n".join(sep.join(r) for r in rows) + "\n"
    return out.encode("utf-16" if enc == "utf-16" else "utf-8")


OPS = [
    "flip",
    "cut",
    "insert",
    "drop_column",
    "duplicate_column",
    "swap_columns",
    "drop_row",
    "duplicate_row",
    "swap_rows",
]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.sampled_from(SEEDS),
    ops=st.lists(
        st.tuples(
            st.sampled_from(OPS),
            st.integers(0, 10_000),
            st.integers(0, 10_000),
            st.integers(0, 255),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_readers_account_for_every_row_or_raise_their_own_error(tmp_path, seed, ops):
    data = seed.read_bytes()
    for op, a, b, byte in ops:
        if seed.suffix == ".xlsx" and op not in ("flip", "cut", "insert"):
            continue  # spreadsheets are zip files: only byte-level damage applies
        data = mutate(data, op, a, b, byte)
    path = tmp_path / f"fuzzed{seed.suffix}"
    path.write_bytes(data)
    try:
        r = read_file(path)
    except InputError as exc:
        assert "fuzzed" in str(exc)  # the message names the file
        return
    assert r.rows_in == len(r.data) + r.rows_quarantined
    if len(r.quarantine):
        assert r.quarantine["line"].notna().all() and r.quarantine["reason"].str.len().gt(0).all()
