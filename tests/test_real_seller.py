"""A real seller's own folder: true numbers from whatever the ERP exports, or a clear reason.

Every file here is written from the headers the exporting system writes (a Chinese ERP's monthly 进销存 as a
camera-accessories shop published it, LingXing's 采购单 and FBA货件 exports, a 马帮 purchase list, the Bank of
China's quote table, an Indian seller's order exports), never from our sample's. Each expected number is
computed by hand in the comments beside it, or by a second route in plain pandas.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from conftest import AMAZON_SUMMARY_HEADER, write_rows
from hypothesis import given, settings
from hypothesis import strategies as st
from stockbook import abc, checks, ledger, money, replenish, stock, turnover
from stockbook.errors import StockbookError
from stockbook.io import load_folder, read_file

# the real ERP export's header (a monthly 进销存: no date column, the month only in the file name)
JXC = [
    "商品编码",
    "商品名称",
    "规格编码",
    "规格名称",
    "起始库存数量",
    "起始库存总额",
    "采购数量",
    "采购总额",
    "采购退货数量",
    "采购退货总额",
    "销售数量",
    "销售总额",
    "销售退货数量",
    "销售退货总额",
    "其他变更数量",
    "其他变更总额",
    "截止库存数量",
    "截止库存总额",
]


def _jxc_row(sku, start, buy, sold, end, *, start_value="", end_value="", revenue="", other=""):
    return [
        sku.split(".")[0],
        f"商品{sku}",
        sku,
        "",
        start,
        start_value,
        buy,
        "",
        "",
        "",
        sold,
        revenue,
        0,
        0.0,
        other,
        "",
        end,
        end_value,
    ]


def _write_csv(path, header, rows, *, encoding="utf-8-sig"):
    text = "\n".join(",".join(str(v) for v in r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def _shop(tmp_path, *, currencies: bool):
    """Three months of a shop that sells from its own warehouse (hand-made rows, the real export's layout).

    SKU  Feb (start buy sold end)  Mar            Apr            value at the last row
    A    10  0  4  6 (60.00)      6 10 5 11      11 0 6 5       5 units, 50.00  -> 10.00 a unit
    B    50  0  0 50 (250.00)     50 0 0 50      (no row: no movement; stock carried)   -> dead, 250.00
    C    (no row)                 0 20 20 0      0 0 0 0 -> row only when it moves: C has no April row
    D    8  0  0  8 (16.00)       (no row)       (no row)          -> dead, 16.00
    K    kit: balances blank, sold 3 in April (set aside: a kit holds no stock)
    sold: A 15, C 20 = 35 units (kit's 3 not counted); revenue A 4×10+5×10+6×10 = 150, C 20×3 = 60
    """
    d = tmp_path / "shop"
    d.mkdir()
    _write_csv(
        d / "2022.02进销存报表.csv",
        JXC,
        [
            _jxc_row("A", 10, 0, 4, 6, start_value=100.0, end_value=60.0, revenue=40.0),
            _jxc_row("B", 50, 0, 0, 50, start_value=250.0, end_value=250.0, other=0),
            _jxc_row("D", 8, 0, 0, 8, start_value=16.0, end_value=16.0, other=0),
        ],
    )
    _write_csv(
        d / "2022.03进销存报表.csv",
        JXC,
        [
            _jxc_row("A", 6, 10, 5, 11, start_value=60.0, end_value=110.0, revenue=50.0),
            _jxc_row("B", 50, 0, 0, 50, start_value=250.0, end_value=250.0, other=0),
            _jxc_row("C", 0, 20, 20, 0, start_value=0.0, end_value=0.0, revenue=60.0),
        ],
    )
    _write_csv(
        d / "2022.04进销存报表.csv",
        JXC,
        [
            _jxc_row("A", 11, 0, 6, 5, start_value=110.0, end_value=50.0, revenue=60.0),
            ["K", "套装K", "K", "", "", "", "", "", "", "", 3, 90.0, 0, 0.0, "", "", "", ""],
        ],
    )
    # the (cut) catalogue the shop exports: no cost, no price
    _write_csv(
        d / "产品目录.csv",
        [
            "商品编码",
            "规格编码",
            "商品名称",
            "规格名称",
            "品牌",
            "分类1",
            "重量/g",
            "供应商名称",
            "最小订货单元",
        ],
        [
            ["A", "A", "商品A", "", "x", "耗材", "", "厂1", 1],
            ["B", "B", "商品B", "", "x", "耗材", "", "厂1", 1],
        ],
    )
    if currencies:
        _write_csv(d / "currencies.csv", ["file", "currency"], [["*进销存报表.csv", "CNY"]])
    return d


def test_sales_dead_stock_and_classes_come_from_the_ledger_when_there_is_no_sales_export(tmp_path):
    data = load_folder(_shop(tmp_path, currencies=False))
    assert (
        int(
            data.files.loc[data.files["file"] == "2022.04进销存报表.csv", "rows_quarantined"].iloc[
                0
            ]
        )
        == 1
    )  # kit
    res = abc.abc_pack(data, period_end="2022-04-30", currency="USD")
    units = res.classes.set_index("sku")["units"]
    assert (int(units["A"]), int(units["C"]), int(units["B"])) == (15, 20, 0)
    # no currency stated: revenue unknown, so the SKUs are ranked by units and it is said
    assert res.measure == "units" and "ranked by units" in res.measure_note
    assert res.classes.set_index("sku")["abc_class"][["C", "A"]].tolist() == [
        "A",
        "A",
    ]  # 20/35, then 15/35
    assert (
        res.days_of_data == 89
    )  # 1 February – 30 April: the window holds 89 days of data, not 365
    assert sorted(res.classes.loc[res.classes["dead_stock"], "sku"]) == [
        "B",
        "D",
    ]  # stock carried, no sale
    t = turnover.turnover_pack(data, period_end="2022-04-30", currency="USD")
    assert sorted(t.dead_stock["sku"]) == ["B", "D"] and t.dead_days_seen == 89
    h = t.headlines()
    assert (
        h["dead_stock_skus_data"] == 2
        and h["dead_stock_days_seen"] == 89
        and "dead_stock_skus_90d" not in h
    )
    # the value columns state no currency: stock value unknown, never a number in an assumed currency
    assert pd.isna(h["cash_tied_up"]) and h["skus_stock_without_cost"] == 3
    assert "states no currency" in data.files.set_index("file").loc["2022.02进销存报表.csv", "note"]


def test_stated_currency_gives_revenue_cost_and_stock_value(tmp_path):
    data = load_folder(_shop(tmp_path, currencies=True))
    note = data.files.set_index("file").loc["2022.04进销存报表.csv", "note"]
    assert (
        "money in CNY, as currencies.csv line 2 states" in note and "states no currency" not in note
    )
    p = stock.products(data, as_of="2022-04-30").set_index("sku")
    # A: 50.00 / 5 = 10.00 (its last row); B: 250 / 50 = 5.00 (March, carried); D: 16 / 8 = 2.00 (February)
    assert p.loc[["A", "B", "D"], "unit_cost"].tolist() == [10.0, 5.0, 2.0]
    assert (
        p.loc["A", "cost_currency"] == "CNY"
        and p.loc["A", "cost_source"] == "ledger value ÷ units, 2022-04-30"
    )
    rate = money.Rates.ecb().convert([1.0], ["CNY"], "USD", dates=["2022-04-30"]).amounts.iloc[0]
    res = abc.abc_pack(data, period_end="2022-04-30", currency="USD")
    assert res.measure == "revenue" and res.measure_note == ""
    rev = res.classes.set_index("sku")["revenue"]
    # each month's sales at the rate of the month's last day (its sales are dated there)
    at = (
        money.Rates.ecb()
        .convert(
            [40.0, 50.0, 60.0, 60.0],
            ["CNY"] * 4,
            "USD",
            dates=["2022-02-28", "2022-03-31", "2022-04-30", "2022-03-31"],
        )
        .amounts
    )
    assert abs(float(rev["A"]) - at[:3].sum()) < 0.02 and abs(float(rev["C"]) - at[3]) < 0.02
    t = turnover.turnover_pack(data, period_end="2022-04-30", currency="USD")
    # stock at the end of April: A 5 × 10 + B 50 × 5 + D 8 × 2 = 316 CNY (unit costs keep their precision)
    assert t.headlines()["cash_tied_up"] == round(316 * rate, 2)


def test_a_month_of_ledger_sales_falls_evenly_on_its_days(tmp_path):
    data = load_folder(_shop(tmp_path, currencies=False))
    sales, source = stock.sold(data)
    assert "warehouse ledger" in source
    m = stock.demand_matrix(sales, as_of="2022-04-30", days=89)
    a = list(m.skus).index("A")
    # A: 4 in February (28 days), 5 in March (31), 6 in April (30)
    assert m.units[a, 0] == pytest.approx(4 / 28) and m.units[a, -1] == pytest.approx(6 / 30)
    assert m.units[a].sum() == pytest.approx(15) and m.in_stock.all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 500)), min_size=1, max_size=12))
def test_spreading_periods_keeps_every_unit(months):
    """Property: the demand matrix holds exactly the units of the periods inside it, whatever their lengths."""
    rows = []
    for m, units in months:
        end = pd.Timestamp(2025, m, 1) + pd.offsets.MonthEnd(0)
        rows.append({"date": end, "sku": "A", "units": units, "period_days": end.day})
    sales = pd.DataFrame(rows)
    m = stock.demand_matrix(sales, as_of="2025-12-31", days=365)
    assert m.units.sum() == pytest.approx(sum(u for _, u in months))


def test_a_warehouse_that_sells_gets_purchase_lines_only(tmp_path):
    data = load_folder(_shop(tmp_path, currencies=True))
    assert stock.sells_from_warehouse(data)
    res = replenish.plan_replenishment(data, as_of="2022-04-30", currency="USD")
    assert set(res.plan["kind"]) <= {"purchase"} and set(res.plan["mode"]) <= {"supplier_delivery"}
    assert float(res.skus["rate"].sum()) > 0  # demand found (A and C sold)
    assert res.plan["freight_cost"].sum() == 0


# -------------------------------------------------------------------- a file's role is decided by what it is

LINGXING_PO = [
    "采购单号",
    "供应商",
    "仓库",
    "采购员",
    "SKU",
    "品名",
    "单价",
    "含税单价",
    "采购量",
    "到货量",
    "待到货量",
    "预计到货时间",
    "状态",
]  # LingXing's 采购单 list (its UI labels; order date is not among them)
MASTER = ["SKU", "品名", "采购成本（元）", "售价（美元）", "箱规（个/箱）", "起订量", "供应商"]


def test_a_purchase_order_export_beside_the_master_is_a_purchase_order(tmp_path):
    d = tmp_path / "erp"
    d.mkdir()
    _write_csv(
        d / "采购单.csv",
        LINGXING_PO,
        [
            [
                "PO240802012",
                "宁波工厂",
                "深圳仓",
                "王",
                "SKU-1",
                "杯子",
                11.5,
                13.0,
                200,
                50,
                150,
                "2026-11-20",
                "待到货",
            ],
            [
                "PO240802013",
                "宁波工厂",
                "深圳仓",
                "王",
                "SKU-2",
                "盘子",
                8.0,
                9.0,
                100,
                100,
                0,
                "2026-10-10",
                "已完成",
            ],
            [
                "PO240802014",
                "宁波工厂",
                "深圳仓",
                "王",
                "SKU-2",
                "盘子",
                8.0,
                9.0,
                60,
                "",
                "",
                "2026-12-01",
                "待签收",
            ],
        ],
    )
    _write_csv(
        d / "商品资料.csv",
        MASTER,
        [
            ["SKU-1", "杯子", 12.5, 19.99, 24, 100, "宁波工厂"],
            ["SKU-2", "盘子", 8.8, 14.5, 12, 60, "宁波工厂"],
        ],
    )
    data = load_folder(d)
    fmt = data.files.set_index("file")["format"]
    assert fmt["采购单.csv"] == "purchase_orders" and fmt["商品资料.csv"] == "sku_master"
    assert data.quarantine.empty  # no master row turned into a "conflict"
    p = data["products"].set_index("sku")
    # the header states the units: cost in CNY, price in USD, 24 a carton
    assert p.loc[
        "SKU-1", ["unit_cost", "cost_currency", "price", "price_currency", "case_pack"]
    ].tolist() == [12.5, "CNY", 19.99, "USD", 24]
    on = stock.on_order(data["purchase_orders"], as_of="2026-10-31").set_index("sku")["on_order"]
    assert on.to_dict() == {
        "SKU-1": 150,
        "SKU-2": 60,
    }  # 200 − 50 to come; the closed one none; no date: placed
    assert "no order date" in data.files.set_index("file").loc["采购单.csv", "note"]


def test_mabang_purchase_list_keyed_by_its_stock_sku(tmp_path):
    # 马帮: 采购单号, 商品sku (its stock SKU), 采购数量, 采购单价, status words of its own (采购中, 部分到货)
    p = _write_csv(
        tmp_path / "马帮采购单.csv",
        ["采购单号", "商品sku", "采购数量", "已到货数量", "采购单价", "状态", "预计到货时间"],
        [
            ["CG2610001", "MB-01", 300, 0, 5.2, "采购中", "2026-11-15"],
            ["CG2610002", "MB-02", 80, 30, 6.0, "部分到货", "2026-11-02"],
            ["CG2610003", "MB-03", 10, 0, 6.0, "新采购", "2026-11-30"],
        ],
    )
    r = read_file(p)
    assert r.format.name == "purchase_orders" and r.data["sku"].tolist() == [
        "MB-01",
        "MB-02",
        "MB-03",
    ]
    assert r.data["status"].tolist() == ["OPEN", "PARTIAL", "DRAFT"]
    assert stock.on_order(r.data, as_of="2026-10-31")["on_order"].tolist() == [300, 50]


def test_lingxing_fba_shipments_sheet_fills_each_shipment_down(tmp_path):
    # LingXing's FBA货件 export, sheet 货件详情: a shipment's fields on its first row only, "-" for no date
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "货件详情"
    ws.append(
        [
            "货件单号",
            "店铺",
            "国家",
            "货件状态",
            "运输方式",
            "SHIPPED状态变更时间",
            "RECEIVING状态变更时间",
            "送达时段(开始时间)",
            "送达时段(结束时间)",
            "物流中心编码",
            "发货单",
            "MSKU",
            "父ASIN",
            "已发货",
            "签收量",
            "申报量",
        ]
    )
    ws.append(
        [
            "FBA15ABCD",
            "店铺A-US",
            "美国",
            "IN_TRANSIT",
            "海运",
            "2026-09-20 10:00:00",
            "-",
            "2026-10-28",
            "2026-11-05",
            "ONT8",
            "SP260920001",
            "MSKU-1",
            "B0P",
            120,
            0,
            120,
        ]
    )
    ws.append(["", "", "", "", "", "", "", "", "", "", "", "MSKU-2", "B0P", 60, 0, 60])
    ws.append(
        [
            "FBA15EFGH",
            "店铺A-US",
            "美国",
            "CLOSED",
            "空运",
            "2026-10-01 09:00:00",
            "2026-10-08 12:00:00",
            "2026-10-07",
            "2026-10-09",
            "LGB8",
            "SP261001001",
            "MSKU-1",
            "B0P",
            40,
            38,
            40,
        ]
    )
    wb.save(tmp_path / "FBA货件_20261031.xlsx")
    r = read_file(tmp_path / "FBA货件_20261031.xlsx")
    assert r.format.name == "shipments" and len(r.data) == 3 and r.quarantine.empty
    assert r.data["shipment_id"].tolist() == ["FBA15ABCD", "FBA15ABCD", "FBA15EFGH"]
    assert r.data["mode"].tolist() == ["sea", "sea", "air"]
    t = stock.in_transit_at(r.data, as_of="2026-10-31").set_index("sku")["units"]
    assert t.to_dict() == {"MSKU-1": 120, "MSKU-2": 60}  # the closed air shipment arrived


def test_a_jxc_workbook_with_its_period_in_a_title_row_and_a_total_row(tmp_path):
    # LingXing's 库存报表 (本地仓): quantity and cost twins ("-数量", "-成本"), a title row, a 合计 row
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["库存报表-本地仓"])
    ws.append(["统计期间：2026-10-01 至 2026-10-31"])
    ws.append(
        [
            "仓库名称",
            "SKU",
            "品名",
            "期初库存-数量",
            "期初库存-成本",
            "采购入库-数量",
            "fba出库-数量",
            "盘亏出库-数量",
            "期末库存-数量",
            "期末库存-成本",
        ]
    )
    ws.append(["深圳仓", "W-1", "杯", 100, 500.0, 40, 60, 2, 78, 390.0])
    ws.append(["深圳仓", "W-2", "盘", 10, 30.0, 0, 5, 0, 5, 15.0])
    ws.append(["合计", "", "", 110, 530.0, 40, 65, 2, 83, 405.0])
    wb.save(tmp_path / "库存报表.xlsx")
    r = read_file(tmp_path / "库存报表.xlsx")
    assert r.format.name == "warehouse_ledger" and r.data["sku"].tolist() == ["W-1", "W-2"]
    assert str(r.data["period_start"].iloc[0].date()) == "2026-10-01"
    assert str(r.data["period_end"].iloc[0].date()) == "2026-10-31"
    assert r.data["outbound"].tolist() == [-60, -5] and r.data["lost"].tolist() == [-2, 0]
    assert r.data["ending_value"].tolist() == [390.0, 15.0]
    assert r.rows_in == len(r.data) + r.rows_quarantined == 3
    assert "a total row" in r.quarantine["reason"].iloc[0]
    assert any("total row" in n and "ending 83 = the sum of the rows" in n for n in r.notes)


def test_a_total_row_that_does_not_add_up_is_said(tmp_path):
    p = _write_csv(
        tmp_path / "2026.10进销存.csv",
        ["SKU", "期初库存", "本期入库", "本期出库", "期末库存"],
        [["X", 5, 0, 1, 4], ["Y", 3, 0, 0, 3], ["总计", 8, 0, 1, 9]],
    )
    r = read_file(p)
    assert len(r.data) == 2 and r.rows_quarantined == 1
    note = next(n for n in r.notes if "total row" in n)
    assert "ending 9 ≠ the sum of the rows read (7)" in note
    assert checks.input_notes(pd.DataFrame({"file": ["x"], "status": ["read"], "note": [note]}))[
        0
    ].fired


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 99), st.integers(0, 50)), min_size=1, max_size=20),
    st.sampled_from(["合计", "总计", "小计", "Total", "Grand Total", "合计："]),
)
def test_rows_in_equals_kept_plus_quarantined_with_total_rows(tmp_path_factory, rows, label):
    d = tmp_path_factory.mktemp("tot")
    body = [[f"S{i}", s, 0, o if o <= s else s, s - min(o, s)] for i, (s, o) in enumerate(rows)]
    total = [label, sum(r[1] for r in body), 0, sum(r[3] for r in body), sum(r[4] for r in body)]
    r = read_file(
        _write_csv(
            d / "2026-10进销存.csv",
            ["SKU", "期初库存", "本期入库", "本期出库", "期末库存"],
            [*body, total],
        )
    )
    assert r.rows_in == len(r.data) + r.rows_quarantined == len(body) + 1
    assert label not in set(r.data["sku"]) and any("= the sum of the rows" in n for n in r.notes)


# -------------------------------------------------------------------- encodings, rates, currencies


def test_shift_jis_and_windows_1252_are_not_read_as_gb18030(tmp_path):
    jp = tmp_path / "jp.csv"
    _write_csv(
        jp,
        ["SKU", "品名", "Unit Cost", "Currency"],
        [["JP-1", "ステンレス マグカップ 保温", 800, "JPY"]],
        encoding="cp932",
    )
    de = tmp_path / "de.csv"
    _write_csv(
        de,
        ["SKU", "Title", "Unit Cost", "Currency"],
        [["DE-1", "Kühlschrank-Zubehör Größe M", 3.5, "EUR"]],
        encoding="cp1252",
    )
    r = read_file(jp)
    assert r.encoding == "cp932" and r.data["title"].iloc[0] == "ステンレス マグカップ 保温"
    assert any("Shift_JIS" in n for n in r.notes)
    r = read_file(de)
    assert r.encoding == "cp1252" and r.data["title"].iloc[0] == "Kühlschrank-Zubehör Größe M"


def test_bank_of_china_quotes_are_per_100_units(tmp_path):
    p = _write_csv(
        tmp_path / "外汇牌价.csv",
        [
            "货币名称",
            "现汇买入价",
            "现钞买入价",
            "现汇卖出价",
            "现钞卖出价",
            "中行折算价",
            "发布日期",
            "发布时间",
        ],
        [
            ["美元", 710.5, 704.8, 713.5, 713.5, 712.0, "2026-10-30", "10:30:00"],
            ["欧元", 781.68, 757.38, 787.41, 790.14, 784.25, "2026-10-30", "10:30:00"],
        ],
    )
    r = read_file(p)
    assert r.format.name == "boc_rates"
    assert r.data[["currency", "base"]].values.tolist() == [["USD", "CNY"], ["EUR", "CNY"]]
    assert r.data["rate"].round(4).tolist() == [7.12, 7.8425]  # 1 USD = 7.12 CNY, never 712


def test_a_rate_table_quoted_per_100_is_refused_not_read_100_times_wrong(tmp_path):
    d = tmp_path / "fx"
    d.mkdir()
    _write_csv(
        d / "汇率.csv", ["日期", "币种", "汇率", "本位币"], [["2026-10-30", "USD", 712.0, "CNY"]]
    )
    with pytest.raises(StockbookError, match="quoted per 100 units"):
        money.rates_for(load_folder(d))


def test_sales_in_no_stated_currency_are_not_dollars(tmp_path):
    # an Indian seller's exports: Amazon's order report states INR; the wholesale report states nothing
    d = tmp_path / "in"
    d.mkdir()
    _write_csv(
        d / "Amazon Sale Report.csv",
        [
            "index",
            "Order ID",
            "Date",
            "Status",
            "Fulfilment",
            "Sales Channel ",
            "SKU",
            "ASIN",
            "Qty",
            "currency",
            "Amount",
        ],
        [[0, "405-1", "04-30-22", "Shipped", "Amazon", "Amazon.in", "K-1", "B1", 1, "INR", 329.0]],
        encoding="utf-8",
    )
    _write_csv(
        d / "International sale Report.csv",
        ["index", "DATE", "Months", "CUSTOMER", "Style", "SKU", "Size", "PCS", "RATE", "GROSS AMT"],
        [[0, "04-29-22", "Apr-22", "A SHOP", "MEN5004", "K-2", "L", "3.00", 616.56, 1850.0]],
        encoding="utf-8",
    )
    data = load_folder(d)
    notes = data.files.set_index("file")["note"]
    assert "money in INR: its currency column" in notes["Amazon Sale Report.csv"]
    assert "states no currency" in notes["International sale Report.csv"]
    res = abc.abc_pack(data, period_end="2022-04-30", currency="USD")
    rev = res.classes.set_index("sku")["revenue"]
    inr = money.Rates.ecb().convert([329.0], ["INR"], "USD", dates=["2022-04-30"]).amounts.iloc[0]
    assert abs(float(rev["K-1"]) - inr) < 0.01 and float(rev["K-2"]) == 0.0  # not 1,850 "USD"
    assert res.measure == "units"  # 1 of 4 units has a known revenue


# -------------------------------------------------------------------- the pack checks itself


def _fba_folder(tmp_path, *, sales_rows, master_currency="CNY"):
    """An FBA seller: Amazon's monthly ledger (US), a daily sales export, a master; A ships 30 in October."""
    d = tmp_path / "fba"
    d.mkdir()
    zero = [0] * 10
    write_rows(
        d / "ledger.txt",
        AMAZON_SUMMARY_HEADER,
        [
            ["10/2026", "X1", "B1", "A", "a", "SELLABLE", 100, 0, 0, -30, *zero[:8], 70, 0, "US"],
            ["10/2026", "X2", "B2", "B", "b", "SELLABLE", 50, 0, 0, 0, *zero[:8], 50, 0, "US"],
        ],
    )
    write_rows(d / "sales.csv", ["日期", "SKU", "销量", "销售额"], sales_rows, sep=",")
    head = ["SKU", "采购成本", "售价"] + (["币种"] if master_currency else [])
    write_rows(
        d / "master.csv",
        head,
        [
            ["A", 10.0, 20.0, *([master_currency] if master_currency else [])],
            ["B", 5.0, 9.0, *([master_currency] if master_currency else [])],
        ],
        sep=",",
    )
    return d


def test_each_check_agrees_on_a_consistent_folder(tmp_path):
    days = pd.date_range("2026-10-01", "2026-10-30").strftime("%Y-%m-%d")
    d = _fba_folder(
        tmp_path, sales_rows=[[x, "A", 1, 20.0] for x in days] + [["2026-10-31", "B", 0, 0.0]]
    )
    data = load_folder(d)
    res = abc.abc_pack(data, period_end="2026-10-31", currency="USD")
    found = checks.abc_checks(data, res)
    t = turnover.turnover_pack(data, period_end="2026-10-31", currency="USD")
    found += checks.turnover_checks(data, t, currency="USD")
    found += checks.plan_checks(
        data, replenish.plan_replenishment(data, as_of="2026-10-31", currency="USD")
    )
    assert {f.check: f.status for f in found} == {
        "units_sold": "ok",
        "classes": "ok",
        "dead_stock": "ok",
        "stock_value": "ok",
        "demand": "ok",
        "turnover_sales": "ok",
        # the folder has no purchase orders and the plan buys: it says the plan cannot see them
        "purchase_orders": "warning",
    }


def test_each_check_fires_on_the_folder_built_for_it(tmp_path):
    # the sales export has no A at all (a lost column mapping, a filtered download); the ledger ships 30
    d = _fba_folder(tmp_path, sales_rows=[["2026-10-31", "B", 0, 0.0]], master_currency="")
    data = load_folder(d)
    res = abc.abc_pack(data, period_end="2026-10-31", currency="USD")
    fired = {f.check: f for f in checks.abc_checks(data, res)}
    assert fired["units_sold"].fired and fired["units_sold"].independent == 30
    assert (
        fired["classes"].fired is False
    )  # nothing sold by the export: nothing to rank, no contradiction there
    assert fired["dead_stock"].fired and "A: 30 units" in fired["dead_stock"].message
    t = turnover.turnover_pack(data, period_end="2026-10-31", currency="USD")
    found = {f.check: f for f in checks.turnover_checks(data, t, currency="USD")}
    assert (
        found["stock_value"].fired and "120 units are held" in found["stock_value"].message
    )  # no currency
    assert found[
        "turnover_sales"
    ].fired  # turnover counts the ledger's 30; the sales export holds none
    plan = replenish.plan_replenishment(data, as_of="2026-10-31", currency="USD")
    demand = checks.plan_checks(data, plan)[0]
    assert demand.fired and "30 units" in demand.message
    assert checks.classes(pd.Series(["C", "C"]), 30).fired
    assert checks.claims_mapping(["A", "LEGACY"], ["A", "B"]).fired


def test_mapping_problems_are_not_claims(tmp_path):
    d = _fba_folder(tmp_path, sales_rows=[["2026-10-31", "A", 1, 20.0]])
    (d / "master.csv").write_text("SKU,采购成本,币种\nA,10,CNY\n", encoding="utf-8")  # B is missing
    rec = ledger.reconciliation_pack(load_folder(d), period_end="2026-10-31", currency="USD")
    h = rec.headlines()
    assert h["skus_missing_from_master"] == 1 and h["actions"] == 0
    assert rec.mapping["sku"].tolist() == ["B"]


def test_utf8_bom_csv_of_gb18030_master_still_reads(tmp_path):
    # the sample's master is GB18030 (Chinese Excel): it must not be taken for Shift_JIS
    p = tmp_path / "商品资料.csv"
    p.write_bytes("SKU,品名,采购成本,采购币种\nA-1,硅胶盖 保鲜,3.2,CNY\n".encode("gb18030"))
    r = read_file(p)
    assert r.encoding == "gb18030" and r.data["title"].iloc[0] == "硅胶盖 保鲜"


def test_lingxing_listing_export_is_read_as_fba_stock_dated_by_its_file_name(tmp_path):
    # LingXing's Listing export (销售 > Listing): MSKU, ASIN, 币种, 价格, FBA可售 … 30日销量; no date column
    p = _write_csv(
        tmp_path / "Listing_20261031_000000.csv",
        [
            "MSKU",
            "ASIN",
            "币种",
            "价格",
            "FBA可售",
            "FBA待调仓",
            "FBA预留",
            "FBA计划入库",
            "FBA标发在途",
            "FBA入库中",
            "FBA不可售",
            "7日销量",
            "14日销量",
            "30日销量",
            "店铺",
        ],
        [
            ["MSKU-1", "B0A", "USD", 19.99, 120, 3, 8, 0, 60, 20, 2, 14, 30, 61, "店铺A-US"],
            ["MSKU-2", "B0B", "GBP", 9.99, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, "店铺A-UK"],
        ],
    )
    r = read_file(p)
    assert r.format.name == "erp_fba_stock" and r.quarantine.empty
    assert str(r.data["snapshot_date"].iloc[0].date()) == "2026-10-31"
    assert r.data[
        [
            "sku",
            "available",
            "inbound_shipped",
            "inbound_received",
            "unfulfillable_quantity",
            "units_shipped_t30",
            "marketplace",
        ]
    ].values.tolist() == [["MSKU-1", 120, 60, 20, 2, 61, "US"], ["MSKU-2", 0, 0, 0, 0, 0, "UK"]]
    assert any("snapshot of 2026-10-31, taken from the file name" in n for n in r.notes)


def test_every_notebook_runs_or_says_why_on_an_erp_only_folder(tmp_path):
    from stockbook import report
    from stockbook.nbtools import run_in_process

    d = _shop(tmp_path, currencies=True)
    _write_csv(
        d / "采购单.csv",
        LINGXING_PO,
        [
            [
                "PO1",
                "厂1",
                "深圳仓",
                "王",
                "A",
                "商品A",
                9.0,
                10.0,
                40,
                0,
                40,
                "2022-05-20",
                "待到货",
            ]
        ],
    )
    _write_csv(
        d / "Listing_20220430.csv",
        ["MSKU", "ASIN", "FBA可售", "FBA标发在途", "FBA入库中", "FBA不可售", "30日销量", "店铺"],
        [["A", "B0A", 5, 0, 0, 0, 3, "店铺-US"]],
    )
    data = load_folder(d)
    ran = {}
    for nb, why in report.plan_notebooks(data, report.NOTEBOOKS, period_end="2022-04-30"):
        if why:
            ran[nb.stem] = why
            continue
        run_in_process(
            str(report.NOTEBOOK_DIR / nb.file),
            {
                "data_dir": str(d),
                "output_dir": str(tmp_path / nb.stem),
                "period_end": "2022-04-30",
                "as_of": "2022-04-30",
            },
        )
        ran[nb.stem] = "ok"
    assert (
        ran["01_ledger_reconciliation"] == ran["02_abc_pareto"] == ran["05_replenishment"] == "ok"
    )
    assert (
        "tables in data/fees start on 2023-04-15" in ran["04_aging_clearance"]
    )  # 2022: no fee schedule to project
    assert all(v == "ok" or "add" in v for v in ran.values()), ran
