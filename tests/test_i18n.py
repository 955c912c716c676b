"""中文 reports: every chart string and notebook narrative has a Chinese text, the CJK font is found,
and a Chinese report has Chinese headings, table headers and XLSX headers (CSV stays canonical)."""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import matplotlib
import nbformat
import openpyxl
import pandas as pd
import pytest
from stockbook import i18n, plots, report
from stockbook.aging import OPTIONS

LIB = Path(i18n.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tr_literals(source: str) -> list[str]:
    """The first argument of every ``tr("...")`` / ``i18n.tr("...")`` call with a literal string."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name == "tr" and isinstance(node.args[0].value, str):
                out.append(node.args[0].value)
    return out


def _notebook_code() -> str:
    cells = []
    for nb in report.NOTEBOOKS:
        book = nbformat.read(str(report.NOTEBOOK_DIR / nb.file), as_version=4)
        cells += [c.source for c in book.cells if c.cell_type == "code"]
    return "\n".join(cells)


@pytest.mark.parametrize("where", ["plots.py", "report.py", "notebooks"])
def test_every_translated_string_has_a_chinese_text(where):
    source = _notebook_code() if where == "notebooks" else (LIB / where).read_text(encoding="utf-8")
    found = _tr_literals(source)
    assert len(found) >= 3, f"no tr() calls found in {where}"
    missing = [t for t in found if t not in i18n.ZH]
    assert not missing, f"{where}: no Chinese for {missing}"
    # placeholders must match, or formatting a Chinese template would fail or drop a number
    for t in found:
        assert set(re.findall(r"\{(\w+)", t)) == set(re.findall(r"\{(\w+)", i18n.ZH[t])), t


def test_labels_passed_through_tr_by_value_have_chinese_texts():
    values = [*plots.FLOW_LABELS.values(), *plots.AGE_LABELS, *OPTIONS, "domestic", "fba", "third_party",
              "in_transit", "air transit", "sea transit", "production + sea", "location class", "abc class",
              "revenue", "gross profit", "units", "cogs", *(t for _, (t, _f) in report.HEADLINE_LABELS.items()),
              *(nb.title for nb in report.NOTEBOOKS), "ok", "skipped", "failed"]
    assert [v for v in values if v not in i18n.ZH] == []
    assert all(CJK.search(i18n.ZH[v]) or v in ("fba",) for v in values)


@pytest.mark.parametrize("nb", report.NOTEBOOKS, ids=lambda nb: nb.stem)
def test_every_notebook_has_chinese_narrative_and_a_lang_parameter(nb):
    import papermill as pm

    book = nbformat.read(str(report.NOTEBOOK_DIR / nb.file), as_version=4)
    for cell in (c for c in book.cells if c.cell_type == "markdown"):
        zh = cell.metadata.get("zh", "")
        assert CJK.search(zh), f"{nb.stem} cell {cell.id}: no Chinese text"
        # same structure: the same headings at the same levels, the same code names
        assert re.findall(r"^#+ ", cell.source, re.M) == re.findall(r"^#+ ", zh, re.M), cell.id
        assert set(re.findall(r"`[^`]+`", cell.source)) <= set(re.findall(r"`[^`]+`", zh)), cell.id
    lang = pm.inspect_notebook(str(report.NOTEBOOK_DIR / nb.file))["lang"]
    assert (lang["inferred_type_name"], lang["default"]) == ("str", '"en"')


def test_the_cjk_font_is_found_and_has_the_glyphs():
    font = i18n.cjk_font()
    assert font is not None, "no CJK font: `make fonts` installs fonts-noto-cjk"
    try:
        assert i18n.use_language("zh") == font
        path = matplotlib.font_manager.findfont(matplotlib.font_manager.FontProperties(family=["sans-serif"]),
                                                fallback_to_default=False)
        ft = matplotlib.ft2font.FT2Font(path)
        assert all(ft.get_char_index(ord(ch)) for ch in "库存周转补货台账差异"), path
    finally:
        i18n.use_language("en")


def test_a_chinese_chart_renders_without_missing_glyphs(tmp_path):
    cash = pd.DataFrame({"location_class": ["domestic", "fba"], "inventory_value": [1000.0, 500.0],
                         "days_of_sales": [30.0, 15.0]})
    try:
        i18n.use_language("zh")
        fig = plots.cash_by_location(cash)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(tmp_path / "zh.png")
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    finally:
        i18n.use_language("en")
        matplotlib.pyplot.close("all")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert "各库位库存占用资金" in texts and "国内仓" in texts and "库存成本金额（USD）" in texts


def test_english_is_the_default_and_unknown_languages_are_refused():
    assert i18n.tr("Inputs") == "Inputs"
    with pytest.raises(ValueError, match="en, zh"):
        i18n.use_language("fr")
    with pytest.raises(ValueError, match="de"):
        i18n.check_language("de")


def test_chinese_report(report_zh):
    index = (report_zh / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index
    assert "<h1>库存报告 — 截至 2026-10-31</h1>" in index
    assert "<h2>本月要做的事</h2>" in index and "年库存周转次数" in index
    for stem in ("03_turnover", "04_aging_clearance"):
        page = (report_zh / f"{stem}.html").read_text(encoding="utf-8")
        headings = re.findall(r"<h([12])[^>]*>(.*?)</h\1>", page, re.S)
        assert len(headings) >= 5
        assert all(CJK.search(re.sub(r"<[^>]+>", "", h)) for _, h in headings), headings
        assert re.search(r"<th[^>]*>(库位类别|SKU)</th>", page)
        assert "Headline numbers" not in page and "关键数字" in page
    # no English word of a fixed vocabulary left in a Chinese page's tables (SKUs and titles are not vocabulary)
    from stockbook.i18n import VALUES_ZH

    words = {k for k, v in VALUES_ZH.items() if k != v and k.lower() != v.lower() and k not in ("sku", "all",
                                                                                                 "none", "ok")}
    for stem in ("03_turnover", "04_aging_clearance"):
        page = (report_zh / f"{stem}.html").read_text(encoding="utf-8")
        cells = {re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", page, re.S)}
        assert not cells & words, (stem, sorted(cells & words))
    run = json.loads((report_zh / "run.json").read_text(encoding="utf-8"))
    assert run["parameters"]["lang"] == "zh"
    # the XLSX list is for people (Chinese headers); the CSV is the contract (canonical names)
    csv_header = (report_zh / "tables" / "aging_actions.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert csv_header.startswith("marketplace,sku,")  # every aged unit is in a marketplace
    ws = openpyxl.load_workbook(report_zh / "tables" / "aging_actions.xlsx").active
    assert (ws["A1"].value, ws["B1"].value) == ("站点", "SKU") and any(CJK.search(str(c.value)) for c in ws[1])
    # the recommended action in Chinese in the XLSX, as an English code in the CSV
    options = {"keep", "discount", "outlet", "liquidate", "remove", "dispose", "donate"}
    col = [c.value for c in ws[1]].index("建议") + 1
    actions = pd.read_csv(report_zh / "tables" / "aging_actions.csv")["recommended_action"]
    assert len(actions) and set(actions) <= options
    shown = {ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)}
    assert shown and not shown & options and all(CJK.search(str(v)) for v in shown)
