"""Safe outputs and safe reports: escaping, formula neutralization, parameters as values, atomic folders,
a failing notebook that does not take the others down."""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE
from stockbook import report
from stockbook.export import write_csv, write_xlsx

RISKY = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tx", "\rx", "safe", "<b>bold</b>"]


def test_formulas_are_neutralized_and_numbers_stay_numbers(tmp_path):
    df = pd.DataFrame(
        {"text": pd.array(RISKY, dtype="string"), "units": range(-4, 4), "money": [-1.5] * 8}
    )
    csv_text = write_csv(df, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    body = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert body["text"].tolist()[:4] == ["'=1+1", "'+SUM(A1:A9)", "'-2+3", "'@cmd"]
    assert body["units"].tolist() == list(range(-4, 4)) and "\n-4," not in csv_text.replace('"', "")
    ws = openpyxl.load_workbook(write_xlsx({"t": df}, tmp_path / "t.xlsx"))["t"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 10)]
    assert all(c.data_type == "s" for c in cells)  # never a formula
    assert [c.value for c in cells][:4] == ["'=1+1", "'+SUM(A1:A9)", "'-2+3", "'@cmd"]
    assert cells[6].value == "safe" and cells[7].value == "<b>bold</b>"
    assert ws.cell(row=2, column=2).value == -4 and ws.cell(row=2, column=3).value == -1.5


def test_text_from_data_is_escaped_in_report_pages(tmp_path):
    nb = nbformat.v4.new_notebook()
    title = '<script>alert("x")</script> Lid <Set of 6> & "Bonus"'
    frame = pd.DataFrame({"title": [title]})
    cell = nbformat.v4.new_code_cell("t")
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": frame.to_html(), "text/plain": repr(frame)},
            execution_count=1,
        )
    ]
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "n.ipynb")
    report._to_html(tmp_path / "n.ipynb", tmp_path / "n.html")
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    assert "&lt;Set of 6&gt;" in page
    run = {"period_end": "2026-10-31", "data_dir": "<i>x</i>", "inputs": [], "quarantined_rows": 0}
    results = [
        {
            "notebook": "01_x",
            "title": "<b>t</b>",
            "status": "failed",
            "why": "<img src=x onerror=1>",
        }
    ]
    index = report._index_html(run, results, {"01_x": {"<k>": "<v>"}}, tmp_path)
    assert (
        "<img src=x" not in index
        and "&lt;img src=x onerror=1&gt;" in index
        and "<b>t</b>" not in index
    )


def test_parameters_are_passed_as_values_never_as_code():
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(report.NOTEBOOK_DIR / "01_ledger_reconciliation.ipynb", as_version=4)
    evil = "x\"); __import__('os').system('touch /tmp/pwned'); (\""
    nb.metadata["papermill"] = {}  # papermill sets this up before it parameterizes
    out = parameterize_notebook(nb, {"data_dir": evil, "tolerance_units": 2})
    injected = next(c for c in out.cells if "injected-parameters" in c.metadata.get("tags", []))
    tree = ast.parse(injected.source)
    assert all(isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) for n in tree.body)
    assert {n.targets[0].id: n.value.value for n in tree.body} == {
        "data_dir": evil,
        "tolerance_units": 2,
    }


def _only_amazon(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SAMPLE / "amazon" / "Inventory_Ledger_Summary_Monthly.txt", data)
    return data


def test_a_killed_report_leaves_no_folder_and_the_next_run_cleans_up(tmp_path):
    data, out = _only_amazon(tmp_path), tmp_path / "reports"
    cmd = [
        sys.executable,
        "-m",
        "stockbook.cli",
        "report",
        "--period",
        "2026-10",
        "--data",
        str(data),
        "--out",
        str(out),
        "--only",
        "01",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 60
    # killed as soon as the folder is begun: the folder is read, then the notebook runs (seconds) before it is
    # moved in; a later signal could lose the race to a fast run on a loaded machine
    while time.time() < deadline and not list(out.glob(".2026-10-31.tmp-*/tables")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the builder and its kernel, midway
    proc.wait()
    assert list(out.glob(".2026-10-31.tmp-*")), "the half-built folder should have been there"
    assert not (out / "2026-10-31").exists()  # nothing half-written under the final name
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert (out / "2026-10-31" / "index.html").exists()
    assert not list(out.glob(".2026-10-31.tmp-*"))  # the abandoned folder was removed


def test_a_failing_notebook_is_reported_and_the_others_still_render(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    shutil.copy(report.NOTEBOOK_DIR / "01_ledger_reconciliation.ipynb", nbdir)
    broken = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('data_dir: str = "x"')
    params.metadata["tags"] = ["parameters"]
    broken.cells = [
        params,
        nbformat.v4.new_code_cell("raise ValueError('the ledger has no October rows')"),
    ]
    broken.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(broken, nbdir / "09_broken.ipynb")
    monkeypatch.setattr(report.notebooks, "NOTEBOOK_DIR", nbdir)
    specs = (
        report.NOTEBOOKS[0],
        report.NotebookSpec("09_broken.ipynb", "Broken", ("ledger",), "a ledger"),
    )
    final = report.build_report(
        data_dir=_only_amazon(tmp_path),
        period="2026-10",
        out=tmp_path / "r",
        notebooks=specs,
        log=lambda *_: None,
    )
    run = json.loads((final / "run.json").read_text(encoding="utf-8"))
    status = {n["notebook"]: n for n in run["notebooks"]}
    assert status["01_ledger_reconciliation"]["status"] == "ok"
    assert (
        status["09_broken"]["status"] == "failed"
        and "no October rows" in status["09_broken"]["why"]
    )
    index = (final / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "no October rows" in index
    assert "no October rows" in (final / "09_broken.html").read_text(
        encoding="utf-8"
    )  # the error notebook
    assert (final / "01_ledger_reconciliation.html").exists() and (
        final / "tables" / "ledger_breaks.csv"
    ).exists()


@pytest.mark.parametrize("module", ["stockbook.cli"])
def test_cli_module_runs(module):
    assert (
        subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True).returncode
        == 0
    )


def test_inputs_are_never_modified_and_rerun_warns_when_one_changed(tmp_path):
    data = _only_amazon(tmp_path)
    src = data / "Inventory_Ledger_Summary_Monthly.txt"
    before = src.read_bytes()
    final = report.build_report(
        data_dir=data,
        period="2026-10",
        out=tmp_path / "r",
        notebooks=report.NOTEBOOKS[:1],
        log=lambda *_: None,
    )
    assert src.read_bytes() == before
    run = json.loads((final / "run.json").read_text(encoding="utf-8"))
    assert run["inputs"][0]["sha256"] and run["versions"]["pandas"]
    src.write_bytes(before + b"\n")  # the seller re-downloads the file
    said: list[str] = []
    report.rerun(final / "run.json", overrides={}, log=said.append, force=True)
    assert any("changed since the run" in s and src.name in s for s in said)


def test_xlsx_action_lists_are_excel_friendly(tmp_path):
    df = pd.DataFrame(
        {
            "sku": pd.array(["00123", "B"], dtype="string"),
            "order_qty": pd.array([1200, 5], dtype="Int64"),
            "order_date": pd.to_datetime(["2026-11-02", "2026-11-09"]).astype("datetime64[s]"),
            "goods_cost": [1234.5, 9.99],
            "share": [0.25, 0.75],
        }
    )
    path = write_xlsx({"purchase_plan": df}, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["purchase_plan"]
    ws = wb["purchase_plan"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E3"
    assert ws["A2"].value == "00123" and ws["A2"].data_type == "s"  # identifiers stay text
    assert (ws["B2"].value, ws["B2"].number_format) == (1200, "#,##0")
    assert ws["C2"].is_date and ws["C2"].number_format == "yyyy-mm-dd"
    assert (ws["D2"].value, ws["D2"].number_format) == (1234.5, "#,##0.00")
    assert ws["E2"].number_format == "0.0%"
    assert ws.column_dimensions["C"].width >= 10
    assert path.read_bytes() == write_xlsx({"purchase_plan": df}, tmp_path / "q.xlsx").read_bytes()
