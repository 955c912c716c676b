"""The report's notebooks: which run, in what order, on which inputs, with which parameters, and the
software versions a run records."""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from stockbook import fees
from stockbook.errors import StockbookError
from stockbook.nbtools import declared_parameters

ROOT = Path(__file__).resolve().parents[3]


NOTEBOOK_DIR = ROOT / "notebooks"


@dataclass(frozen=True)
class NotebookSpec:
    """A report notebook: its file, title, the canonical tables it needs, and what provides them."""

    file: str
    title: str
    needs: tuple[str, ...]
    provided_by: str

    @property
    def stem(self) -> str:
        return Path(self.file).stem


NOTEBOOKS: tuple[NotebookSpec, ...] = (
    NotebookSpec(
        "01_ledger_reconciliation.ipynb",
        "Ledger reconciliation",
        ("ledger",),
        "an Amazon Inventory Ledger export (summary view) or a warehouse ledger (进销存)",
    ),
    NotebookSpec(
        "02_abc_pareto.ipynb",
        "ABC / Pareto and XYZ",
        ("sales|ledger",),
        "a sales export (ERP daily sales or Amazon All Orders) or an Inventory Ledger",
    ),
    NotebookSpec(
        "03_turnover.ipynb",
        "Turnover, cover and cash tied up",
        ("ledger",),
        "an Amazon Inventory Ledger export or a warehouse ledger, with the SKU master for unit cost",
    ),
    NotebookSpec(
        "04_aging_clearance.ipynb",
        "Aging and clearance",
        ("ledger:fba|fba_inventory",),
        "Amazon's FBA Inventory report, or an Amazon Inventory Ledger (the SKU master adds volume, size "
        "tier and price)",
    ),
    NotebookSpec(
        "05_replenishment.ipynb",
        "Replenishment",
        ("sales|ledger",),
        "a sales export (daily, with FBA stock) or an Inventory Ledger (the SKU master adds case pack, "
        "MOQ and cost)",
    ),
    NotebookSpec(
        "06_reimbursements.ipynb",
        "Reimbursements",
        ("ledger:fba|reimbursements",),
        "an Amazon Inventory Ledger and the Reimbursements report (the shipments file, the FBA customer "
        "returns report and a transaction export with refunds add their checks)",
    ),
)


#: each notebook's share of the sample pack's time (seconds measured by bench/pack_speed.py): the order the
#: workers take them in
NOTEBOOK_WEIGHT = {
    "03_turnover": 9.1,
    "05_replenishment": 7.2,
    "04_aging_clearance": 5.9,
    "01_ledger_reconciliation": 4.8,
    "02_abc_pareto": 3.0,
    "06_reimbursements": 2.7,
}


def select_notebooks(only: str = "all") -> tuple[NotebookSpec, ...]:
    """The notebooks named in ``only`` ("all", or numbers/stems separated by commas).

    >>> [nb.stem for nb in select_notebooks("1,03")]
    ['01_ledger_reconciliation', '03_turnover']
    """
    if not only or only == "all":
        return NOTEBOOKS
    wanted = [w.strip() for w in str(only).split(",") if w.strip()]
    picked = [
        nb
        for nb in NOTEBOOKS
        if any(nb.stem == w or nb.stem.split("_")[0] == w.zfill(2) for w in wanted)
    ]
    unknown = [
        w
        for w in wanted
        if not any(nb.stem == w or nb.stem.split("_")[0] == w.zfill(2) for nb in picked)
    ]
    if unknown:
        raise StockbookError(
            f"unknown notebook {unknown[0]!r}; expected one of "
            + ", ".join(nb.stem for nb in NOTEBOOKS)
        )
    return tuple(picked)


def period_end_of(period: str) -> pd.Timestamp:
    """Last day of a ``YYYY-MM`` period; anything else is refused (``2026-1`` would end on 1 January).

    >>> str(period_end_of("2026-02").date())
    '2026-02-28'
    >>> period_end_of("2026-1")
    Traceback (most recent call last):
    ...
    stockbook.errors.StockbookError: --period '2026-1' is not a month written YYYY-MM (e.g. 2026-01)
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(period)):
        raise StockbookError(f"--period {period!r} is not a month written YYYY-MM (e.g. 2026-01)")
    return (pd.Timestamp(period + "-01") + pd.offsets.MonthEnd(0)).normalize()


def plan_notebooks(
    data,
    notebooks: tuple[NotebookSpec, ...] = NOTEBOOKS,
    *,
    period_end: str | pd.Timestamp | None = None,
) -> list[tuple[NotebookSpec, str]]:
    """Each notebook with "" when the data folder has what it needs, else why it is skipped and which
    file would enable it. With ``period_end``, notebook 04 is skipped for a day before the fee tables start."""
    out = []
    first_fees = fees.first_in_force(fees.load_fee_tables()) if period_end is not None else None
    for nb in notebooks:
        missing = [
            t.replace("|", " or ").replace("ledger:fba", "FBA ledger")
            for t in nb.needs
            if not any(data.has(x) for x in t.split("|"))
        ]
        why = f"no {', '.join(missing)} table in the data; add {nb.provided_by}" if missing else ""
        if (
            not why
            and nb.stem == "04_aging_clearance"
            and first_fees is not None
            and pd.Timestamp(period_end) < first_fees
        ):
            why = (
                f"Amazon's storage and surcharge tables in data/fees start on {first_fees:%Y-%m-%d}, after "
                f"{pd.Timestamp(period_end):%Y-%m-%d}: add that year's fee tables to data/fees"
            )
        out.append((nb, why))
    return out


def check_parameters(
    params: dict[str, object], notebooks: tuple[NotebookSpec, ...] = NOTEBOOKS
) -> None:
    """Refuse a ``-p`` name no notebook declares (a misspelt ``tolerence_units`` must not pass silently)."""
    declared: set[str] = {"lang"}
    for nb in notebooks:
        if (NOTEBOOK_DIR / nb.file).exists():
            declared |= set(declared_parameters(NOTEBOOK_DIR / nb.file))
    declared -= {"data_dir", "output_dir", "period_end", "as_of"}  # set by the report itself
    unknown = sorted(set(params) - declared)
    if unknown:
        raise StockbookError(
            f"unknown parameter {unknown[0]!r}"
            + (f" (and {', '.join(unknown[1:])})" if unknown[1:] else "")
            + "; the notebooks take: "
            + ", ".join(sorted(declared))
        )


def _rel_params(r: dict) -> dict:
    p = dict(r.get("parameters", {}))
    p.pop("output_dir", None)
    return p


def _accepted(notebook: Path, params: dict[str, object]) -> dict[str, object]:
    """The user's parameters that this notebook declares (others are for other notebooks)."""
    declared = declared_parameters(notebook)
    params = dict(params)
    if "as_of" in declared and "period_end" not in declared and "as_of" not in params:
        params["as_of"] = params.get("period_end")  # notebooks that look at one day call it as_of
    return {k: v for k, v in params.items() if k in declared and v is not None}


PACKAGES = (
    "stockbook",
    "pandas",
    "numpy",
    "duckdb",
    "ibis-framework",
    "papermill",
    "nbconvert",
    "matplotlib",
    "openpyxl",
)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out
