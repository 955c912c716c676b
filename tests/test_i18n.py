"""中文 reports: every chart string and notebook narrative has a Chinese text, the CJK font is found,
and a Chinese report has Chinese headings, table headers and XLSX headers (CSV stays canonical)."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import matplotlib
import nbformat
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


@pytest.mark.parametrize("where", ["plots.py", "report", "notebooks"])
def test_every_translated_string_has_a_chinese_text(where):
    if where == "notebooks":
        source = _notebook_code()
    elif where == "report":  # the package, every module of it
        source = "\n".join(
            p.read_text(encoding="utf-8") for p in sorted((LIB / where).glob("*.py"))
        )
    else:
        source = (LIB / where).read_text(encoding="utf-8")
    found = _tr_literals(source)
    assert len(found) >= 3, f"no tr() calls found in {where}"
    missing = [t for t in found if t not in i18n.ZH]
    assert not missing, f"{where}: no Chinese for {missing}"
    # placeholders must match, or formatting a Chinese template would fail or drop a number
    for t in found:
        assert set(re.findall(r"\{(\w+)", t)) == set(re.findall(r"\{(\w+)", i18n.ZH[t])), t


def test_labels_passed_through_tr_by_value_have_chinese_texts():
    values = [
        *plots.FLOW_LABELS.values(),
        *plots.AGE_LABELS,
        *OPTIONS,
        "domestic",
        "fba",
        "third_party",
        "in_transit",
        "air transit",
        "sea transit",
        "production + sea",
        "location class",
        "abc class",
        "revenue",
        "gross profit",
        "units",
        "cogs",
        *(t for _, (t, _f) in report.HEADLINE_LABELS.items()),
        *(nb.title for nb in report.NOTEBOOKS),
        "ok",
        "skipped",
        "failed",
    ]
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
        path = matplotlib.font_manager.findfont(
            matplotlib.font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False
        )
        ft = matplotlib.ft2font.FT2Font(path)
        assert all(ft.get_char_index(ord(ch)) for ch in "库存周转补货台账差异"), path
    finally:
        i18n.use_language("en")


def test_a_chinese_chart_renders_without_missing_glyphs(tmp_path):
    cash = pd.DataFrame(
        {
            "location_class": ["domestic", "fba"],
            "inventory_value": [1000.0, 500.0],
            "days_of_sales": [30.0, 15.0],
        }
    )
    try:
        i18n.use_language("zh")
        fig = plots.cash_by_location(cash, currency="USD")
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
