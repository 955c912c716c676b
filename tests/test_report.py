"""`stockbook report` on the sample: the folder contract, the index, the manifest, re-runs and partial data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pandas as pd
from conftest import SAMPLE
from stockbook.cli import main
from stockbook.io import sha256_of

BREAK_COLUMNS = [
    "sku",
    "location",
    "period",
    "reported_ending",
    "computed_ending",
    "break_units",
    "break_value",
]


def test_folder_contract(report):
    names = {p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file()}
    for f in (
        "index.html",
        "run.json",
        "quarantine.csv",
        "01_ledger_reconciliation.html",
        "01_ledger_reconciliation.ipynb",
        "tables/ledger_breaks.csv",
        "tables/ledger_breaks.xlsx",
        "tables/claims_and_investigations.csv",
        "tables/claims_and_investigations.xlsx",
        "02_abc_pareto.html",
        "03_turnover.html",
        "tables/abc.csv",
        "tables/abc.xlsx",
        "tables/turnover.csv",
        "tables/turnover.xlsx",
        "tables/dead_stock.csv",
        "tables/over_covered.xlsx",
        "tables/under_covered.csv",
        "04_aging_clearance.html",
        "05_replenishment.html",
        "tables/aging_actions.xlsx",
        "tables/purchase_plan.xlsx",
        "tables/backtest.csv",
    ):
        assert f in names
    abc = pd.read_csv(report / "tables" / "abc.csv", dtype={"sku": str})
    assert list(abc.columns[:7]) == [
        "sku",
        "measure",
        "value",
        "share",
        "cum_share",
        "abc_class",
        "xyz_class",
    ]
    assert abc["sku"].is_unique and set(abc["abc_class"]) == {"A", "B", "C"}
    aging = pd.read_csv(report / "tables" / "aging_actions.csv", dtype={"sku": str})
    assert list(aging.columns[:10]) == [
        "marketplace",
        "sku",
        "inv_age_0_to_90_days",
        "inv_age_91_to_180_days",
        "inv_age_181_to_270_days",
        "inv_age_271_to_365_days",
        "inv_age_365_plus_days",
        "storage_fee_next_month",
        "surcharge_next",
        "recommended_action",
    ]
    assert set(aging["currency"]) == {"USD"} and set(aging["marketplace"]) == {
        "US"
    }  # money has its unit
    plan = pd.read_csv(report / "tables" / "purchase_plan.csv", dtype={"sku": str})
    assert list(plan.columns[:8]) == [
        "sku",
        "order_qty",
        "order_date",
        "mode",
        "arrival_date",
        "stockout_date",
        "safety_stock",
        "reorder_point",
    ]
    turn = pd.read_csv(report / "tables" / "turnover.csv", dtype={"sku": str})
    assert list(turn.columns[:8]) == [
        "sku",
        "cogs",
        "avg_inventory_value",
        "turnover",
        "days_of_inventory",
        "sell_through",
        "weeks_of_cover_t30",
        "weeks_of_cover_t90",
    ]
    breaks = pd.read_csv(report / "tables" / "ledger_breaks.csv", dtype={"sku": str})
    assert list(breaks.columns[:7]) == BREAK_COLUMNS
    assert len(breaks) == 6
    q = pd.read_csv(report / "quarantine.csv")
    assert list(q.columns) == ["source_file", "line", "column", "value", "reason"]


def test_every_page_has_its_title_a_navigation_bar_and_chart_descriptions(report, report_zh):
    for pack in (report, report_zh):
        pages = sorted(pack.glob("0*.html"))
        assert len(pages) >= (6 if pack == report else 2)  # the Chinese pack runs 03 and 04
        for page in pages:
            text = page.read_text(encoding="utf-8")
            title = re.search(r"<title>(.*?)</title>", text, flags=re.S).group(1)
            assert (
                title.endswith("— stockbook") and "Notebook" not in title and page.stem[:2] in title
            )
            nav = re.search(r'<nav class="sb-nav".*?</nav>', text, flags=re.S).group(0)
            assert 'href="index.html"' in nav and all(f'href="{p.name}"' in nav for p in pages)
            assert (
                nav.count('aria-current="page"') == 1 and f'href="{page.name}" class="here"' in nav
            )
            assert "No description has been provided" not in text
            assert all(
                alt.startswith("Chart") for alt in re.findall(r'<img[^>]*\balt="([^"]*)"', text)
            )
    zh = (report_zh / "04_aging_clearance.html").read_text(encoding="utf-8")
    assert (
        re.search(r"<title>04 · [^<]*[\u4e00-\u9fff][^<]*— stockbook</title>", zh)
        and ">总览</a>" in zh
    )


def test_index_and_manifest(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "ledger breaks (all history)" in html and 'href="01_ledger_reconciliation.html"' in html
    assert "share of revenue from class A" in html and "inventory turnover per year" in html
    todo = html.split("What to do this month")[1].split("</ol>")[0]
    for link in (
        "tables/claims_and_investigations.xlsx",
        "tables/purchase_plan.xlsx",
        "tables/aging_actions.xlsx",
    ):
        assert f'href="{link}"' in todo and (report / link).exists()
    # each item opens the page that explains it; its XLSX list is beside it
    items = re.findall(r"<li>(.*?)</li>", todo, flags=re.S)
    assert items and all(re.match(r'<a href="0\d_[a-z_]+\.html#[a-z_]+">', item) for item in items)
    for page, anchor in re.findall(r'<li><a href="(0\d_[a-z_]+\.html)#([a-z_]+)">', todo):
        # each item opens the section of the page that lists it
        assert f'id="{anchor}"' in (report / page).read_text(encoding="utf-8"), (page, anchor)
    assert (
        "aged surcharge on all FBA stock in the next 90 days" in html
        and "keep-or-clear horizon" in html
    )
    assert html.index("value of breaks at cost") < html.index(
        "What to do this month"
    )  # headline cards first
    run = json.loads((report / "run.json").read_text(encoding="utf-8"))
    assert run["period_end"] == "2026-10-31"
    hashes = {f["file"]: f["sha256"] for f in run["inputs"]}
    assert hashes["amazon/Inventory_Ledger_Summary_Monthly.txt"] == sha256_of(
        SAMPLE / "amazon" / "Inventory_Ledger_Summary_Monthly.txt"
    )
    assert run["versions"]["pandas"] and {n["status"] for n in run["notebooks"]} == {"ok"}
    nb_html = (report / "01_ledger_reconciliation.html").read_text(encoding="utf-8")
    assert "import pandas" not in nb_html  # code hidden
    assert 'src="http' not in nb_html  # nothing loaded from the network
    assert nb_html.count("data:image/png;base64") >= 3  # charts embedded


def test_existing_folder_is_not_clobbered_and_rerun_is_identical(report):
    # an existing dated folder is not replaced without --force
    assert (
        main(["report", "--period", "2026-10", "--data", str(SAMPLE), "--out", str(report.parent)])
        == 2
    )

    def outputs():  # every table, the index and each notebook page; run.json holds the timings
        return {
            p.relative_to(report).as_posix(): p.read_bytes()
            for p in report.rglob("*")
            if p.is_file() and p.suffix in (".csv", ".xlsx", ".html")
        }

    before = outputs()
    # --rerun keeps the folder it would replace unless --force, as the README promises
    assert main(["report", "--rerun", str(report / "run.json"), "-p", "tolerance_units=0"]) == 2
    assert (
        main(["report", "--rerun", str(report / "run.json"), "-p", "tolerance_units=0", "--force"])
        == 0
    )
    after = outputs()
    assert len(before) >= 30 and before.keys() == after.keys()
    assert [k for k in before if before[k] != after[k]] == []
    run = json.loads((report / "run.json").read_text(encoding="utf-8"))
    assert run["parameters"] == {"tolerance_units": 0}


def test_rerun_with_a_parameter_moves_only_what_it_changes(report, tmp_path):
    shutil.copytree(report, tmp_path / "2026-10-31")
    assert (
        main(
            [
                "report",
                "--rerun",
                str(tmp_path / "2026-10-31" / "run.json"),
                "-p",
                "tolerance_units=10",
                "--only",
                "01",
                "--force",
            ]
        )
        == 0
    )
    breaks = pd.read_csv(tmp_path / "2026-10-31" / "tables" / "ledger_breaks.csv")
    # sample breaks are −16, −13, −13, −11, −7 units and a +5 chain break: four exceed 10
    assert len(breaks) == 4 and (breaks["break_units"].abs() > 10).all()
    run = json.loads((tmp_path / "2026-10-31" / "run.json").read_text(encoding="utf-8"))
    assert run["only"] == "01" and [n["notebook"] for n in run["notebooks"]] == [
        "01_ledger_reconciliation"
    ]


def test_partial_data_folder(tmp_path):
    data = tmp_path / "only_counts"
    data.mkdir()
    shutil.copy(SAMPLE / "counts" / "盘点_2026-10-31.csv", data)
    assert (
        main(["report", "--period", "2026-10", "--data", str(data), "--out", str(tmp_path / "r")])
        == 0
    )
    html = (tmp_path / "r" / "2026-10-31" / "index.html").read_text(encoding="utf-8")
    assert "skipped" in html and "Amazon Inventory Ledger" in html
    data2 = tmp_path / "only_amazon"
    data2.mkdir()
    shutil.copy(SAMPLE / "amazon" / "Inventory_Ledger_Summary_Monthly.txt", data2)
    assert (
        main(
            [
                "report",
                "--period",
                "2026-10",
                "--data",
                str(data2),
                "--out",
                str(tmp_path / "r2"),
                "--only",
                "01",
            ]
        )
        == 0
    )
    breaks = pd.read_csv(tmp_path / "r2" / "2026-10-31" / "tables" / "ledger_breaks.csv")
    assert (
        len(breaks) == 4
    )  # the three FBA identity breaks and the chain break; no costs without a master
    assert breaks["break_value"].isna().all()


def test_every_parameter_a_notebook_declares_is_passed_to_it():
    # 06 declares referral_rate on a line whose comment holds brackets; papermill's own parser skipped that
    # line, and `-p referral_rate=0.12` was silently dropped for 06
    from stockbook.nbtools import declared_parameters
    from stockbook.report import NOTEBOOK_DIR, _accepted

    nb = NOTEBOOK_DIR / "06_reimbursements.ipynb"
    assert "referral_rate" in declared_parameters(nb)
    assert _accepted(nb, {"referral_rate": 0.12, "tolerance_units": 3})["referral_rate"] == 0.12
    assert "tolerance_units" not in _accepted(nb, {"tolerance_units": 3})  # 01's, not 06's
    for path in sorted(NOTEBOOK_DIR.glob("0*.ipynb")):  # every name of every parameters cell
        params = next(
            c
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if "parameters" in c["metadata"].get("tags", [])
        )
        names = [
            line.split(":")[0].split("=")[0].strip()
            for line in "".join(params["source"]).splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert declared_parameters(path) == names, path.name


def test_the_kernel_machinery_is_imported_before_any_worker_starts():
    # two threads importing jupyter_client for the first time at once deadlock on its import locks (5 start-ups
    # in 30 failed so: bench/startup_race.py); importing the report module imports it first, on one thread
    code = (
        "import sys, stockbook.report\n"
        "assert {'jupyter_client.manager', 'jupyter_client.client', 'jupyter_core.utils'} <= set(sys.modules)\n"
        "from jupyter_client.manager import AsyncKernelManager\n"
        "assert 'papermill' not in sys.modules  # the 2 s import stays on its own, after the kernels start"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).returncode == 0
    )
