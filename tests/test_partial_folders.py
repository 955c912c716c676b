"""Every notebook runs, or is skipped with the file that would enable it, on any partial folder.

Folders are built from the sample: each one input alone and every pair of {ledger, SKU master, sales,
shipments, FBA Inventory report}, then shapes a new seller has: a ledger of 3 months, a daily ledger
that starts in the middle of the month, stock that is not aged at all. Each notebook the report would
run is executed in this process (``nbtools.run_in_process``: the same cells, no kernel to start),
so a crash fails here with its notebook and cell.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import AMAZON_SUMMARY_HEADER, SAMPLE, write_rows
from stockbook import report
from stockbook.io import load_folder
from stockbook.nbtools import run_in_process

INPUTS = {
    "ledger": "amazon/Inventory_Ledger_Summary_Monthly.txt",
    "master": "master/商品资料.csv",
    "sales": "sales/销量日报.csv",
    "shipments": "shipments/fba_shipments.csv",
    "fba_inventory": "amazon/FBA_Inventory_2026-10-31.txt",
}
COMBOS = [c for k in (1, 2) for c in itertools.combinations(INPUTS, k)]


def _folder(root: Path, files: dict[str, Path]) -> Path:
    root.mkdir(parents=True)
    for name, src in files.items():
        shutil.copy(src, root / name)
    return root


def _run_report_notebooks(folder: Path, tmp_path: Path) -> dict[str, str]:
    """Run every notebook the report would run on ``folder``; the skipped ones with their reason."""
    data = load_folder(folder)
    out = {}
    for nb, why in report.plan_notebooks(data, report.NOTEBOOKS, period_end="2026-10-31"):
        if why:
            out[nb.stem] = why
            continue
        tables = tmp_path / f"tables_{nb.stem}"
        run_in_process(
            str(report.NOTEBOOK_DIR / nb.file),
            {
                "data_dir": str(folder),
                "output_dir": str(tables),
                "period_end": "2026-10-31",
                "as_of": "2026-10-31",
            },
        )
        out[nb.stem] = "ok"
    return out


@pytest.mark.parametrize("combo", COMBOS, ids=["+".join(c) for c in COMBOS])
def test_every_notebook_answers_or_says_which_file_it_needs(combo, tmp_path):
    folder = _folder(tmp_path / "data", {Path(INPUTS[k]).name: SAMPLE / INPUTS[k] for k in combo})
    got = _run_report_notebooks(folder, tmp_path)
    for stem, status in got.items():
        if (
            status != "ok"
        ):  # a skip names the missing input as a file a seller can download or export
            assert status.startswith("no ") and "add " in status, (stem, status)
    # what each input alone must answer (the list): ABC from sales or a ledger without costs,
    # turnover in units from a ledger, aging from Amazon's FBA Inventory report alone
    if "ledger" in combo:
        assert got["01_ledger_reconciliation"] == got["02_abc_pareto"] == got["03_turnover"] == "ok"
    if "sales" in combo:
        assert got["02_abc_pareto"] == got["05_replenishment"] == "ok"
    if "fba_inventory" in combo or "ledger" in combo:
        assert got["04_aging_clearance"] == "ok"
    if "ledger" in combo:  # the audit runs on the ledger alone (what is lost and never found)
        assert got["06_reimbursements"] == "ok"


def _ledger_months(months: int) -> pd.DataFrame:
    led = pd.read_csv(SAMPLE / INPUTS["ledger"], sep="\t", dtype=str, keep_default_na=False)
    month = pd.to_datetime(led["Date"], format="%m/%Y")
    return led.loc[month >= month.max() - pd.DateOffset(months=months - 1)]


def test_a_three_month_ledger_with_nothing_aged(tmp_path):
    """A new seller: three months of ledger, so no lot is 180 days old; the FBA report agrees."""
    folder = tmp_path / "data"
    folder.mkdir()
    _ledger_months(3).to_csv(folder / "ledger.txt", sep="\t", index=False)
    inv = pd.read_csv(SAMPLE / INPUTS["fba_inventory"], sep="\t", dtype=str, keep_default_na=False)
    ages = [c for c in inv.columns if c.startswith("inv-age-") and c != "inv-age-0-to-90-days"]
    inv[ages] = "0"
    inv["inv-age-0-to-90-days"] = inv["available"]
    inv.to_csv(folder / "fba_inventory.txt", sep="\t", index=False)
    shutil.copy(SAMPLE / INPUTS["master"], folder)
    got = _run_report_notebooks(folder, tmp_path)
    assert set(got.values()) == {"ok"}


def test_a_daily_ledger_that_starts_in_the_middle_of_the_month(tmp_path):
    """Daily rows from 14 October, with sales and shipments: the plan must not need a whole first month."""
    folder = tmp_path / "data"
    folder.mkdir()
    rows = []
    for d in pd.date_range("2026-10-14", "2026-10-31"):
        for i, sku in enumerate(["MID-1", "MID-2"]):
            start = 100 - (d.day - 14) * (i + 1)
            rows.append(
                [
                    d.strftime("%m/%d/%Y"),
                    f"X{i}",
                    f"B{i}",
                    sku,
                    "t",
                    "SELLABLE",
                    start,
                    0,
                    0,
                    -(i + 1),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    start - (i + 1),
                    0,
                    "US",
                ]
            )
    write_rows(folder / "daily_ledger.txt", AMAZON_SUMMARY_HEADER, rows)
    write_rows(
        folder / "sales.csv",
        ["Date", "SKU", "Units Sold", "Revenue", "FBA Available"],
        [[r[0], r[3], -r[9], -r[9] * 20, r[18]] for r in rows],
        sep=",",
    )
    write_rows(
        folder / "master.csv",
        ["SKU", "Unit Cost", "Price", "Case Pack"],
        [["MID-1", "5", "20", "10"], ["MID-2", "6", "25", "10"]],
        sep=",",
    )
    write_rows(
        folder / "shipments.csv",
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
        [["FBA1", "MID-1", "50", "", "Sea", "2026-10-20", "2026-11-25", "", "SHIPPED"]],
        sep=",",
    )
    got = _run_report_notebooks(folder, tmp_path)
    assert set(got.values()) == {"ok"}


def test_a_sku_with_dollar_signs_and_markup_in_every_notebook(tmp_path):
    """A SKU such as ``$5$-OFF`` must not be read as math text by the charts, nor markup by the pages."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name, rel in INPUTS.items():
        src = SAMPLE / rel
        text = src.read_bytes().decode("gb18030" if name == "master" else "utf-8-sig")
        sku = "00417"  # a SKU of the sample, in every file
        text = (
            text.replace(f"\t{sku}\t", "\t$5$-OFF<b>\t")
            .replace(f",{sku},", ",$5$-OFF<b>,")
            .replace(f"\n{sku},", "\n$5$-OFF<b>,")
        )
        (folder / src.name).write_bytes(text.encode("gb18030" if name == "master" else "utf-8"))
    data = load_folder(folder)
    assert (data["ledger"]["sku"] == "$5$-OFF<b>").any()
    got = _run_report_notebooks(folder, tmp_path)
    assert set(got.values()) == {"ok"}


@pytest.mark.parametrize(
    "files",
    [
        ["warehouse/进销存_深圳仓.xlsx"],
        ["warehouse/进销存_深圳仓.xlsx", "sales/销量日报.csv"],
    ],
    ids=["warehouse-ledger", "warehouse-ledger+sales"],
)
def test_a_seller_with_only_their_own_warehouse_records(files, tmp_path):
    """No Amazon file at all: the FBA aging is skipped with the report that would enable it."""
    folder = _folder(tmp_path / "data", {Path(f).name: SAMPLE / f for f in files})
    got = _run_report_notebooks(folder, tmp_path)
    assert (
        got["04_aging_clearance"].startswith("no FBA ledger or fba_inventory")
        and "FBA Inventory report" in got["04_aging_clearance"]
    )
    assert (
        got["06_reimbursements"].startswith("no FBA ledger or reimbursements")
        and "Reimbursements report" in got["06_reimbursements"]
    )
    assert {
        k: v for k, v in got.items() if k not in ("04_aging_clearance", "06_reimbursements")
    } == {
        "01_ledger_reconciliation": "ok",
        "02_abc_pareto": "ok",
        "03_turnover": "ok",
        "05_replenishment": "ok",
    }


def test_an_erp_export_of_another_year_and_layout(tmp_path):
    """A Chinese ERP's monthly 进销存 (month only in the file name, variant codes, kit rows) and its catalogue
    without costs, reported for its own month: every notebook that can run, runs."""
    bad = Path(__file__).parent / "data" / "bad"
    folder = _folder(
        tmp_path / "data",
        {
            "2026-10进销存.csv": bad / "jxc_2026-10_variants_share_a_product_code.csv",
            "kits_2026-10.csv": bad / "jxc_2026-10_kit_blank_balances.csv",
            "产品目录.csv": bad / "master_without_cost.csv",
        },
    )
    got = _run_report_notebooks(folder, tmp_path)
    assert got["01_ledger_reconciliation"] == got["02_abc_pareto"] == got["03_turnover"] == "ok"


def test_the_reimbursements_report_alone(tmp_path):
    """Only Amazon's Reimbursements report: notebook 06 runs (it can only say what was paid), the others say
    which file they need."""
    folder = _folder(
        tmp_path / "data",
        {"Reimbursements.txt": SAMPLE / "amazon" / "Reimbursements_2026-10-31.txt"},
    )
    data = load_folder(folder)
    plan = dict(
        (nb.stem, why)
        for nb, why in report.plan_notebooks(data, report.NOTEBOOKS, period_end="2026-10-31")
    )
    assert plan["06_reimbursements"] == "" and all(
        why.startswith("no ") for s, why in plan.items() if s != "06_reimbursements"
    )
    run_in_process(
        str(report.NOTEBOOK_DIR / "06_reimbursements.ipynb"),
        {"data_dir": str(folder), "output_dir": str(tmp_path / "t"), "as_of": "2026-10-31"},
    )
    assert (tmp_path / "t" / "reimbursement_claims.csv").exists()
