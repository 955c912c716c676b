"""The tables-for-people layer: formats by kind, words for headers, blanks, escaping, the product beside the SKU."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from stockbook import display, i18n
from stockbook.report import headline_table

HOSTILE = ["</script><img src=x onerror=alert(1)>", "{{7*7}}", '"};alert(1);//']


@pytest.fixture(autouse=True)
def english():
    i18n.use_language("en")
    yield
    i18n.use_language("en")


def test_formats_by_kind_known_answers():
    df = pd.DataFrame(
        {
            "sku": ["A-1", "B-2"],
            "stock_value": [1234567.891, -0.004],  # money: thousands, cents; -0.00 is shown as 0.00
            "fill_rate": [0.98765, np.nan],  # share: one decimal of a percent
            "order_qty": [1200.0, 3.0],  # units: whole
            "days_of_cover": [26.913793, 100.2],  # days: whole
            "weeks_of_cover": [3.25, 10.0],  # weeks: one decimal
            "daily_rate": [0.5, 12.345],  # a rate: two decimals
            "deadline": pd.to_datetime(["2026-12-30", None]),
            "late": pd.array([True, None], dtype="boolean"),
            "why": ["lands in time", None],
        }
    )
    out = display.for_people(df, currency="USD")
    assert list(out.columns) == [
        "SKU",
        "Stock value (USD)",
        "Fill rate",
        "Order quantity",
        "Days of cover",
        "Weeks of cover",
        "Daily rate",
        "Deadline",
        "Late",
        "Why",
    ]
    assert out.iloc[0].tolist() == [
        "A-1",
        "1,234,567.89",
        "98.8%",
        "1,200",
        "27",
        "3.2",
        "0.50",
        "2026-12-30",
        "yes",
        "lands in time",
    ]
    assert out.iloc[1].tolist() == ["B-2", "0.00", "", "3", "100", "10.0", "12.35", "", "", ""]


def test_money_in_a_table_with_a_currency_column_carries_each_rows_code_and_yen_has_no_cents():
    df = pd.DataFrame(
        {
            "marketplace": ["US", "JP"],
            "cash_tied_up": [1500.5, 230000.4],
            "currency": ["USD", "JPY"],
        }
    )
    out = display.for_people(df, currency="USD")
    assert out["Cash tied up"].tolist() == ["1,500.50 USD", "230,000 JPY"]


def test_no_missing_value_marker_in_any_cell():
    df = pd.DataFrame(
        {
            "sku": pd.array(["A", None], dtype="string"),
            "units": pd.array([1, None], dtype="Int64"),
            "stock_value": pd.array([1.5, None], dtype="Float64"),
            "n": [np.nan, 1.0],
            "when": pd.to_datetime([None, "2026-01-01"]),
            "flag": pd.array([None, False], dtype="boolean"),
            "obj": [None, np.nan],
        }
    )
    html = display.table_html(df, currency="USD")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert len(cells) == 14
    assert not [
        c
        for c in cells
        if c in ("nan", "NaN", "<NA>", "&lt;NA&gt;", "NaT", "None", "True", "False")
    ]


def test_hostile_text_is_escaped_in_every_column():
    df = pd.DataFrame({"sku": HOSTILE, "title": HOSTILE[::-1], "units": [1, 2, 3]})
    html = display.table_html(df)
    assert "<img" not in html and "</script>" not in html and "<script" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{7*7}}" in html and "&quot;};alert(1);//" in html


def test_headers_in_chinese_with_the_currency_of_money():
    i18n.use_language("zh")
    out = display.for_people(
        pd.DataFrame({"sku": ["A"], "stock_value": [1.0], "mode": ["sea"]}), currency="CNY"
    )
    assert list(out.columns) == ["SKU", "库存金额（CNY）", "运输方式"]
    assert out.values.tolist() == [["A", "1.00", "海运"]]
    flags = display.for_people(pd.DataFrame({"late": [True, False]}))
    assert flags.iloc[:, 0].tolist() == ["是", "否"]


def test_the_product_title_and_asin_stand_beside_the_sku():
    catalog = pd.DataFrame(
        {"sku": ["A", "B"], "title": ["Mug", "Bowl"], "asin": ["B000000001", "B000000002"]}
    )
    out = display.for_people(pd.DataFrame({"units": [5, 7], "sku": ["B", "Z"]}), catalog=catalog)
    assert list(out.columns) == ["Units", "SKU", "Title", "ASIN"]
    assert out.values.tolist() == [["5", "B", "Bowl", "B000000002"], ["7", "Z", "", ""]]


def test_no_index_column_and_a_named_index_becomes_a_column():
    plain = display.for_people(pd.DataFrame({"units": [1, 2]}, index=[5, 9]))
    assert list(plain.columns) == ["Units"]
    named = display.for_people(pd.DataFrame({"units": [1]}, index=pd.Index(["sea"], name="mode")))
    assert list(named.columns) == ["Mode", "Units"]


def test_long_tables_are_marked_searchable_and_sort_by_their_numbers():
    df = pd.DataFrame(
        {"sku": [f"S{i:02d}" for i in range(25)], "stock_value": np.arange(25) * 1000.5}
    )
    html = display.table_html(df, currency="USD")
    assert 'class="sb-table sb-long"' in html
    assert 'data-order="24012.0"' in html and ">24,012.00<" in html
    short = display.table_html(df.head(3), currency="USD")
    assert "sb-long" not in short


def test_a_table_past_the_row_cap_says_how_much_it_shows():
    df = pd.DataFrame({"units": range(30)})
    html = display.table_html(df, max_rows=10)
    assert html.count("<tr>") == 11  # the header and ten rows
    assert "showing the first 10 of 30 rows" in html


def test_same_table_same_html():
    df = pd.DataFrame({"sku": ["A"], "units": [1]})
    assert display.table_html(df) == display.table_html(df.copy())


def test_headline_table_labels_and_units():
    t = headline_table(
        {"breaks": 6, "break_value": 1234.5, "turnover_annual": 2.29, "ipi_sell_through": 1.75},
        currency="USD",
    )
    assert t.values.tolist() == [
        ["ledger breaks (all history)", "6"],
        ["value of breaks at cost", "1,234.50 USD"],
        ["inventory turnover per year", "2.29×"],
        ["IPI: sell-through (90 days)", "1.75"],
    ]


def test_page_script_is_offline_and_has_no_external_link():
    script = display.page_script()
    assert "https://" not in script and "http://" not in script
    assert "sb-long" in script and "DataTable" in script
