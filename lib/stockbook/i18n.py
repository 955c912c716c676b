"""Report language: English (default) or Chinese (``lang="zh"``).

One switch, ``use_language(lang)``, called by each notebook after its parameters:

* chart text goes through ``tr(template, **values)``, which looks the English
  template up in ``ZH`` (a missing entry falls back to English, never fails);
* tables shown in a notebook get Chinese column headers (``COLUMNS_ZH``) and fixed vocabularies
  (``VALUES_ZH``) through the display layer (``stockbook.display``), so the notebook code stays the same;
* matplotlib is pointed at a CJK font (``cjk_font``); without one, Chinese
  chart text renders as empty boxes and a warning says which package to install;
* the narrative (Markdown cells) is swapped by the report for the Chinese text
  kept in each cell's ``metadata["zh"]`` (``localize_notebook``).

CSV files keep the canonical English column names (they are a contract for
other tools); the XLSX copies take Chinese headers in a Chinese report.

>>> use_language("en") and None
>>> tr("Largest ledger breaks (top {n})", n=3)
'Largest ledger breaks (top 3)'
>>> ZH["Largest ledger breaks (top {n})"].format(n=3)
'最大的台账差异（前 3 个）'
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

import pandas as pd

Lang = Literal["en", "zh"]
LANGS: tuple[str, ...] = ("en", "zh")

#: fonts tried for Chinese chart text, best first (Debian: fonts-noto-cjk or fonts-wqy-microhei;
#: macOS and Windows have the last ones)
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)

_state: dict[str, str] = {"lang": "en"}

#: English template -> Chinese template (chart text, index page, action sentences, headline labels)
ZH: dict[str, str] = {
    "report pack": "报告包",
    "Key figures by report pack (period end)": "各期报告包的关键数字（期末）",
    "Since the last pack (period ending {date})": "与上一期报告包（截至 {date}）相比",
    "Headline numbers that changed": "变化的关键数字",
    "New ledger breaks": "新增台账差异",
    "Resolved ledger breaks": "已解决的台账差异",
    "New claims": "新增索赔",
    "Resolved or no longer listed claims": "已解决或不再列出的索赔",
    "SKUs that changed ABC class": "ABC 分类变化的 SKU",
    "SKUs whose oldest stock crossed into an older age tier": "最老库存进入更老库龄段的 SKU",
    "The purchase plan": "采购计划",
    "Added to the plan": "新加入计划",
    "Dropped from the plan": "移出计划",
    "Key figures by report pack": "各期报告包的关键数字",
    "Chart: key figures by report pack": "图：各期报告包的关键数字",
    "order lines": "订单行数",
    "order units": "订购件数",
    "goods cost": "货款",
    "freight cost": "运费",
    "units by air": "空运件数",
    "{moved:,} of {all:,} headline numbers changed; {nb:,} new and {rb:,} resolved ledger breaks; {nc:,} new and "
    "{rc:,} resolved claims; {cls:,} SKUs changed ABC class; {tier:,} SKUs crossed into an older age tier; the "
    "purchase plan added {added:,} SKUs and dropped {dropped:,}.": "{all:,} 个关键数字中有 {moved:,} 个变化；台账差异新增 {nb:,} 个、解决 {rb:,} 个；索赔新增 {nc:,} 个、解决 {rc:,} 个；"
    "{cls:,} 个 SKU 的 ABC 分类变化；{tier:,} 个 SKU 的最老库存进入更老的库龄段；采购计划新增 {added:,} 个 SKU、移出 {dropped:,} 个。",
    "abc": "ABC 分类",
    "abc xyz matrix": "ABC–XYZ 矩阵",
    "aging actions": "库龄处理建议",
    "aging buckets": "库龄分段",
    "aging projection": "持有成本预测",
    "backtest": "回测",
    "dead stock": "滞销库存",
    "expired claims": "已过期索赔",
    "expired reimbursement claims": "已过期赔偿案例",
    "ledger breaks": "台账差异",
    "over covered": "可售偏高",
    "purchase plan": "采购计划",
    "reimbursement claims": "赔偿案例",
    "replenishment policy": "补货参数",
    "restock check": "Restock 对比",
    "turnover": "周转",
    "under covered": "可售偏低",
    "mapping problems": "SKU 映射问题",
    "yes": "是",
    "no": "否",
    "no rows": "无",
    "recommended": "建议",
    "showing the first {n:,} of {total:,} rows; the whole table is in the pack's tables folder": "显示前 {n:,} 行，共 {total:,} 行；完整表格在报告包的 tables 文件夹中",
    # plots: reconciliation
    "units (in +, out −)": "件数（流入 +，流出 −）",
    "{location}: {start:,} → {end:,} units": "{location}：{start:,} → {end:,} 件",
    "Where the units went, {period}": "货去哪儿了，{period}",
    "(no movement)": "（无变动）",
    "Stock on hand at month end by location class": "各库位类别月末库存",
    "units": "件数",
    "month": "月份",
    "Largest ledger breaks (top {n})": "最大的台账差异（前 {n} 个）",
    "value at cost ({currency}); negative = units missing from the book": "成本金额（{currency}）；负数 = 账上少了货",
    "Receipts": "入库",
    "Customer shipments": "客户发货",
    "Customer returns": "客户退货",
    "Removals": "移除",
    "Transfers": "调拨",
    "Shipped out": "发出",
    "Found": "找到",
    "Lost": "丢失",
    "Damaged": "损坏",
    "Disposed": "弃置",
    "Other": "其他",
    # location classes and groups
    "domestic": "国内仓",
    "fba": "FBA",
    "third_party": "海外仓",
    "in_transit": "在途",
    "all": "全部",
    "whole business": "整体",
    "location class": "库位类别",
    "abc class": "ABC 分类",
    "ABC class": "ABC 分类",
    # plots: ABC
    "{measure} per SKU ({unit})": "每个 SKU 的{measure}（{unit}）",
    "SKUs ranked by {measure} (1 = largest)": "按{measure}排序的 SKU（1 = 最大）",
    "cumulative share (%)": "累计占比（%）",
    "cumulative share": "累计占比",
    "{cls}: {n} SKUs": "{cls}：{n} 个 SKU",
    "Pareto of {measure}: A up to {a:.0%}, B up to {b:.0%} of the total": "{measure}帕累托图：A 类至累计 {a:.0%}，B 类至 {b:.0%}",
    "revenue": "销售额",
    "gross profit": "毛利",
    "cogs": "销售成本",
    "value": "金额",
    "{n} SKUs\nrev {rev:.0%}\nstock {stock:.0%}": "{n} 个 SKU\n销售 {rev:.0%}\n库存 {stock:.0%}",
    "X (steady)": "X（稳定）",
    "Y (variable)": "Y（波动）",
    "Z (erratic)": "Z（不规则）",
    "demand variability (CV of weekly units)": "需求波动（周销量变异系数）",
    "share of revenue (%)": "销售额占比（%）",
    "ABC × XYZ: SKUs, revenue share and stock value share": "ABC × XYZ：SKU 数、销售额占比与库存金额占比",
    "share of revenue": "销售额占比",
    "share of stock value": "库存金额占比",
    "share (%)": "占比（%）",
    "Where the cash sits: revenue share vs stock value share": "钱压在哪里：销售额占比对比库存金额占比",
    # plots: turnover
    "{days:,.0f} days": "{days:,.0f} 天",
    "turnover per year (×)": "年周转次数（×）",
    "turnover per year (×, annualised)": "年周转次数（×，年化）",
    "Turnover by month (stock at each location against the business's cost of sales)": "每月周转率（各库位库存对比整体销售成本）",
    "Turnover per year by ABC class": "各 ABC 分类的年周转次数",
    "target band {lo:g}–{hi:g} weeks": "目标区间 {lo:g}–{hi:g} 周",
    "weeks of cover ({window} sales; {cap:g}+ piled at {cap:g})": "可售周数（按 {window} 销量；{cap:g} 以上计为 {cap:g}）",
    "SKUs": "SKU 数",
    "Weeks of cover: {under} SKUs under, {over} over the band": "可售周数：{under} 个 SKU 低于区间，{over} 个高于区间",
    "{days:,.0f} days of sales": "{days:,.0f} 天销量",
    "stock value at cost ({currency})": "库存成本金额（{currency}）",
    "Cash tied up in stock by location": "各库位库存占用资金",
    # plots: aging
    "0–90 days": "0–90 天",
    "91–180": "91–180 天",
    "181–270": "181–270 天",
    "271–365": "271–365 天",
    "365+": "365 天以上",
    "units at FBA": "FBA 件数",
    "FBA stock by age, per {group}": "FBA 库存库龄分布（按{group}）",
    "age": "库龄",
    "{days} days": "{days} 天",
    "projected storage + aged surcharge ({currency}), selling at the expected rate": "预计仓储费 + 超龄附加费（{currency}），按预计速度销售",
    "Cost of holding today's stock (top {n} SKUs)": "继续持有当前库存的费用（前 {n} 个 SKU）",
    "keep for": "再持有",
    "net value over the horizon ({currency}; linear within ±100, logarithmic beyond); ringed = recommended": "测算期内净值（{currency}；±100 内为线性，之外为对数）；圈出 = 建议",
    "Keep or clear: the money on each option": "留还是清：每个选项的金额",
    "keep": "保留",
    "discount": "降价",
    "liquidate": "清算",
    "remove": "移除退回",
    "dispose": "弃置",
    "donate": "捐赠",
    "outlet": "Outlet 促销",
    # plots: replenishment
    "class {cls}": "{cls} 类",
    "air transit": "空运在途",
    "sea transit": "海运在途",
    "production + sea": "生产 + 海运",
    "{label} {days:.0f} d": "{label} {days:.0f} 天",
    "forecast demand (units per day, log scale)": "预测需求（件/天，对数刻度）",
    "days of cover at FBA (available + inbound; {cap:g}+ at the top)": "FBA 可售天数（可售 + 入库中；{cap:g} 以上置顶）",
    "Cover against lead time: below the sea line, a sea shipment sent today arrives too late": "可售天数对比交期：低于海运线的 SKU，今天发海运也来不及",
    "units at FBA (projected)": "FBA 件数（预测）",
    "date": "日期",
    "Projected stock of the most urgent SKUs, with the planned shipments (dotted: safety stock)": "最紧急 SKU 的预计库存（含计划到货；虚线：安全库存）",
    # notebook notes
    "window {start:%Y-%m-%d} to {end:%Y-%m-%d} ({days:,} days of it in the sales data), ranked by {measure}; "
    "demand from {source}": "窗口 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}（销售数据覆盖其中 {days:,} 天），按 {measure} 排序；需求来自 {source}",
    "window {start:%Y-%m-%d} to {end:%Y-%m-%d}; sales from {source}; dead stock: no sale in the last {seen:,} days "
    "the sales data covers ({days:,} asked)": "窗口 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}；销售来自 {source}；滞销：销售数据覆盖的最近 {seen:,} 天内无销售"
    "（参数 {days:,} 天）",
    "sales export (daily)": "销售导出（按日）",
    "the sales outflows of Amazon's / the overseas warehouse's ledger (per period)": "亚马逊 / 海外仓台账的销售出库（按期）",
    "the sales outflows of the warehouse ledger (进销存) (per period)": "进销存的销售出库（按期）",
    "no sales export and no ledger": "没有销售导出，也没有台账",
    "the units shipped the FBA stock report states (t7 … t90)": "FBA 库存报告中的发货件数（7 … 90 天）",
    "ages: {source}; fee tables: {files}": "库龄来源：{source}；费率表：{files}",
    # index page
    "Inventory report — period ending {date}": "库存报告 — 截至 {date}",
    "data: {name} · {files} input files · {rows:,} rows quarantined": "数据：{name} · {files} 个输入文件 · {rows:,} 行被隔离",
    "What to do this month": "本月要做的事",
    "Nothing urgent in this data.": "这份数据里没有紧急事项。",
    "No input could be used: each refused file and why is listed under Inputs.": "没有可用的输入文件：被拒绝的文件及原因见下方“输入文件”。",
    "refused": "已拒绝",
    "Exchange rates": "汇率",
    "IPI: share of FBA units in excess": "IPI：FBA 冗余库存占比",
    "IPI: excess share, change since last month": "IPI：冗余占比较上月变化",
    "IPI: sell-through (90 days)": "IPI：售出率（90 天）",
    "IPI: sell-through, change since last month": "IPI：售出率较上月变化",
    "IPI: in-stock rate (30 days)": "IPI：有货率（30 天）",
    "IPI: in-stock rate, change since last month": "IPI：有货率较上月变化",
    "none needed: every amount is in the report's currency": "无需换算：所有金额均为报告币种",
    "no SKU with forecast demand in this data": "这份数据里没有有预测需求的 SKU",
    "Notebooks": "分析笔记本",
    "notebook": "笔记本",
    "status": "状态",
    "note": "说明",
    "every number": "全部数字",
    "Action lists": "行动清单",
    "none": "无",
    "Inputs": "输入文件",
    "file": "文件",
    "format": "格式",
    "rows read": "读取行数",
    "kept": "保留",
    "quarantined": "隔离",
    "Parameters, input hashes and versions:": "参数、输入文件哈希与版本：",
    "ok": "完成",
    "skipped": "跳过",
    "failed": "失败",
    "Ledger reconciliation": "台账对账",
    "ABC / Pareto and XYZ": "ABC / 帕累托与 XYZ",
    "Turnover, cover and cash tied up": "周转、可售周数与占用资金",
    "Aging and clearance": "库龄与清货",
    "Replenishment": "补货",
    # action sentences
    "Place the orders for {n:,} SKUs: {cash:,.2f} {currency} for goods and freight, {air:,} units by air.": "为 {n:,} 个 SKU 下单：货款与运费 {cash:,.2f} {currency}，空运 {air:,} 件。",
    "Watch {n:,} SKUs that run out before a sea shipment sent today would land.": "关注 {n:,} 个 SKU：今天发海运，到货前就会断货。",
    "Clear {n:,} aged SKUs: {cash:,.2f} {currency} back and {fees:,.2f} {currency} in fees avoided.": "清理 {n:,} 个超龄 SKU：回款 {cash:,.2f} {currency}，避免费用 {fees:,.2f} {currency}。",
    "Decide on {n:,} dead-stock SKUs (stock, no sale in 90 days).": "处理 {n:,} 个滞销 SKU（有库存，90 天无销售）。",
    "Decide on {n:,} dead-stock SKUs (stock, no sale in the {days:,} days of sales data).": "处理 {n:,} 个滞销 SKU（有库存，销售数据覆盖的 {days:,} 天内无销售）。",
    "dead stock SKUs (no sale on any day of the sales data)": "滞销 SKU（销售数据覆盖的每一天都无销售）",
    "days of sales data the dead-stock count is said of": "滞销判断所依据的销售数据天数",
    "share of units sold from class A": "A 类销量占比",
    "Self-check": "自检",
    "Self-checks": "自检",
    "The tables behind the pages": "页面背后的数据表",
    "Purchase plan: what to buy and ship, when, how much, by air or by sea": "采购与发货计划：买什么、发什么、何时、多少、空运还是海运",
    "Reimbursement cases to file with Amazon": "向亚马逊提交的赔偿案例",
    "Problems to investigate in the ledgers": "台账中待调查的问题",
    "Removal orders short of their units": "件数短少的移除订单",
    "Units disposed of without a disposal order": "无弃置订单被弃置的件",
    "Fulfilment fees above the fee tables' (ask for a re-measurement)": "高于费用表的配送费（请求重新测量）",
    "Shipments with one SKU short and another over": "一个 SKU 短少、另一个多收的货件",
    "Aged stock: keep, discount or clear": "超龄库存：保留、降价或清理",
    "Dead stock: stock with no sale": "滞销库存：有库存、无销售",
    "SKU mapping problems to fix in the SKU master": "需在商品资料中修正的 SKU 映射问题",
    "SKUs under the cover band: top up": "低于可售区间的 SKU：补货",
    "SKUs over the cover band: cash tied up": "高于可售区间的 SKU：占用资金",
    "Ledger breaks to explain": "需要解释的台账差异",
    "ABC classes per SKU": "每个 SKU 的 ABC 分类",
    "ABC–XYZ matrix and its policies": "ABC–XYZ 矩阵及策略",
    "Turnover per SKU": "每个 SKU 的周转",
    "Units per age bucket": "各库龄段件数",
    "Holding cost over 30, 60, 90 days": "30、60、90 天持有成本",
    "Replenishment policy per SKU": "每个 SKU 的补货参数",
    "Against Amazon's Restock report": "与亚马逊 Restock 报告对比",
    "Weekly replay against other rules": "按周回放，与其他规则对比",
    "Reimbursement cases whose window closed": "窗口已关闭的赔偿案例",
    "Place the orders for {n:,} SKUs ({unknown:,} purchase lines without a unit cost: their goods are not in the {cash:,.2f} {currency} for goods and freight), {air:,} units by air.": "为 {n:,} 个 SKU 下单（{unknown:,} 条采购行没有单位成本：其货款不在 {cash:,.2f} {currency} 的货款与运费之内），空运 {air:,} 件。",
    "No revenue and no stock value are known: the files state no price, cost or currency (see the inputs' notes).": "销售额和库存金额都未知：文件没有写明售价、成本或币种（见输入文件的说明）。",
    "No turnover to show: the cost of sales or the stock value is unknown (no unit cost in a stated currency).": "无法显示周转：销售成本或库存金额未知（没有写明币种的单位成本）。",
    "No stock value to show: no unit cost in a stated currency (see the inputs' notes).": "无法显示库存金额：没有写明币种的单位成本（见输入文件的说明）。",
    "Every headline agrees with its independent check ({n:,} checks).": "每个关键数字都与独立核算一致（共 {n:,} 项检查）。",
    "ledger SKUs missing from the SKU master": "台账中有、商品资料中缺的 SKU",
    "Fix the SKU mapping of {n:,} SKUs ({missing:,} of them missing from the SKU master: add them to 商品资料 / the SKU master file): data to correct, not claims.": "修正 {n:,} 个 SKU 的映射（其中 {missing:,} 个不在商品资料中：请补进商品资料）：这是数据问题，不是索赔。",
    "SKUs holding stock without a known unit cost (not in the cash tied up)": "有库存但单位成本未知的 SKU（未计入占用资金）",
    "purchase lines whose goods cost is unknown (not in the cash needed)": "货款未知的采购行（未计入所需资金）",
    "order lines whose margin is unknown (no price or cost)": "毛利未知的订单行（缺售价或成本）",
    "share of gross profit from class A": "A 类毛利占比",
    "share of cost of sales from class A": "A 类销售成本占比",
    "Top up {n:,} SKUs under the cover band.": "为 {n:,} 个低于可售区间的 SKU 补货。",
    # headline labels
    "ledger breaks (all history)": "台账差异（全部历史）",
    "breaks in the report month": "报告月份的差异",
    "value of breaks at cost": "差异成本金额",
    "units short on closed inbound shipments": "已关闭入库货件的短少件数",
    "counts that differ from book": "盘点与账面不符",
    "SKUs with mapping problems": "映射有问题的 SKU",
    "problems to investigate in the ledgers": "台账中待调查的问题",
    "A-class SKUs": "A 类 SKU 数",
    "share of SKUs in class A": "A 类 SKU 占比",
    "share of revenue from class A": "A 类销售额占比",
    "SKUs with stock and no sale in the window": "窗口内有库存无销售的 SKU",
    "value of that dead stock at cost": "滞销库存成本金额",
    "inventory turnover per year": "年库存周转次数",
    "days of inventory": "库存天数",
    "cash tied up in stock at cost": "库存占用资金（成本）",
    "dead stock SKUs (no sale in 90 days)": "滞销 SKU（90 天无销售）",
    "SKUs under the cover band": "低于可售区间的 SKU",
    "SKUs over the cover band": "高于可售区间的 SKU",
    "FBA units aged 181+ days": "库龄 181 天以上的 FBA 件数",
    "storage fee next month": "下月仓储费",
    "aged surcharge on all FBA stock in the next 90 days": "全部 FBA 库存未来 90 天的超龄附加费",
    "aged SKUs to clear": "需清理的超龄 SKU",
    "cash from clearing them": "清货回款",
    "storage and surcharge the recommended clearances avoid (keep-or-clear horizon)": "建议清货可避免的仓储费和附加费（保留或清货评估期内）",
    "list": "清单",
    "expected": "预计",
    "SKUs at FBA without a volume (their storage fees cannot be projected)": "FBA 中无体积数据的 SKU（无法预估其仓储费）",
    "SKUs to reorder now": "现在要补货的 SKU",
    "SKUs at risk of stock-out before the next arrival": "下批到货前有断货风险的 SKU",
    "cash needed for orders and freight": "订货与运费所需资金",
    "units to send by air": "空运件数",
    "Index": "总览",
    "units on order with suppliers (open purchase orders)": "已向供应商下单未到货件数（未完成采购单）",
    "order lines that would sell at a loss": "会亏本销售的订单行",
    "lines held back: at a loss or an MOQ bought too early": "暂缓的行：亏本或起订量买得过早",
    "Lines the plan holds back: decide on price, cost or clearance": "计划暂缓的行：请就售价、成本或清货作决定",
    "no open purchase orders in the data (add a 采购单 / purchase order export)": "数据中没有未到货的采购单（请放入采购单导出文件）",
    "no line held back: every line the plan needs pays": "没有暂缓的行：计划所需的每一行都赚钱",
    "no FBA Inventory report in the data": "数据中没有亚马逊 FBA 库存报告",
    "no aged inventory surcharge report in the data": "数据中没有超龄库存附加费报告",
    "no domestic warehouse ledger": "没有国内仓台账（进销存）",
    "Reimbursements": "赔偿",
    "Investigate {n:,} problems from the ledgers ({value:,.2f} {currency} at cost in breaks).": "调查台账中的 {n:,} 个问题（差异按成本计 {value:,.2f} {currency}）。",
    "reimbursement cases to file now": "现在要提交的赔偿案例",
    "money Amazon owes, to claim now": "亚马逊欠款（现在可索赔）",
    "cases whose claim window opens later": "索赔期限稍后开始的案例",
    "losses younger than Amazon's waiting period (it pays or finds most)": "未满亚马逊等待期的损失（多数由亚马逊自行赔付或找回）",
    "reimbursed by Amazon in the report month": "亚马逊本月已赔偿金额",
    "money lost to closed reimbursement windows": "因赔偿期限已过而损失的金额",
    "File {n:,} reimbursement cases with Amazon: {value:,.2f} {currency} owed, before their windows close.": "向亚马逊提交 {n:,} 个赔偿案例：欠款 {value:,.2f} {currency}，请在期限截止前提交。",
    "file now": "现在提交",
    "window opens later": "期限稍后开始",
    "money at stake ({currency})": "涉及金额（{currency}）",
    "What Amazon owes, by kind of case": "亚马逊欠款，按案例类型",
    "errors per 1,000 units handled": "每 1,000 件处理量的差错件数",
    "FBA warehouse error rate": "FBA 仓库差错率",
    "marketplace": "站点",
    "not in the data: {name} (the checks that need it are skipped)": "数据中没有：{name}（需要它的检查已跳过）",
    "warehouse lost or damaged": "仓内丢失或损坏",
    "wrongful reversal": "错误撤销的赔偿",
    "inbound shortfall": "入库短少",
    "refund without return": "退款未退货",
    "carrier damaged return": "承运人损坏的退货",
    "underpaid reimbursement": "赔偿金额偏低",
    "removal shortfall": "移除订单短少",
    "disposed without an order": "无订单被弃置",
    "fee overcharge": "配送费多收",
    "returned item mismatch": "退回商品不符",
    "replacement not returned": "换货后原件未退回",
    "refund above the order": "退款超过订单金额",
}

#: canonical column name -> Chinese header (tables shown in a Chinese report and its XLSX lists)
COLUMNS_ZH: dict[str, str] = {
    "sku": "SKU",
    "asin": "ASIN",
    "fnsku": "FNSKU",
    "title": "品名",
    "location": "库位",
    "location_class": "库位类别",
    "disposition": "库存状态",
    "period": "期间",
    "period_start": "期初日",
    "period_end": "期末日",
    "date": "日期",
    "month": "月份",
    "starting": "期初",
    "ending": "期末",
    "reported_ending": "报告期末",
    "computed_ending": "计算期末",
    "receipts": "入库",
    "customer_shipments": "客户发货",
    "customer_returns": "客户退货",
    "vendor_returns": "移除",
    "transfers": "调拨",
    "found": "找到",
    "lost": "丢失",
    "damaged": "损坏",
    "disposed": "弃置",
    "other_events": "其他事件",
    "unknown_events": "未知事件",
    "outbound": "发出",
    "break_units": "差异件数",
    "break_value": "差异金额",
    "chain_break_units": "衔接差异件数",
    "chain_break_value": "衔接差异金额",
    "kind": "类型",
    "balanced": "已平衡",
    "breaks": "差异数",
    "breaks_this_month": "本月差异",
    "action": "行动",
    "actions": "行动数",
    "priority": "优先级",
    "reason": "原因",
    "marketplace": "站点",
    "currency": "币种",
    "includes_domestic": "含国内仓",
    "reference": "参考编号",
    "event_date": "事件日期",
    "deadline": "截止日期",
    "evidence": "证据",
    "case_text": "案例文字",
    "lost_units": "丢失/损坏件数",
    "found_counted": "找回件数",
    "reimbursed_counted": "已赔偿件数",
    "open_units": "可索赔件数",
    "expired_units": "已过期件数",
    "reversal_without_found": "无找回的撤销件数",
    "found_units": "找到件数",
    "reimbursed_units": "赔偿件数",
    "reversed_units": "撤销件数",
    "found_not_reversed": "找回但未撤销件数",
    "basis": "计值依据",
    "value_per_unit": "每件价值",
    "misplaced_units": "错放件数",
    "damaged_units": "损坏件数",
    "waiting_units": "等待中件数",
    "found_beyond": "无可抵销损失的找回件数",
    "delivery_complaints": "配送投诉件数",
    "returns_read": "已读退货报告",
    "window_from": "期限起点",
    "window_date": "期限起算日",
    "delivered_date": "送达日",
    "fee_known": "配送费已知",
    "claims_waiting": "等待中的损失",
    "order_id": "订单号",
    "order_type": "订单类型",
    "order_status": "订单状态",
    "request_date": "申请日期",
    "last_updated_date": "最后更新日期",
    "first_day": "可索赔首日",
    "last_day": "可索赔末日",
    "requested": "申请件数",
    "cancelled": "取消件数",
    "shipped": "发出件数",
    "in_process": "处理中件数",
    "carried": "包裹中件数",
    "short": "短少件数",
    "unshipped": "无包裹件数",
    "owed": "应赔件数",
    "ledger_disposed": "台账弃置件数",
    "ordered_disposed": "订单弃置件数",
    "beyond": "超出件数",
    "amazon_fee": "亚马逊配送费",
    "table_fee": "费用表配送费",
    "overcharge": "多收金额",
    "amazon_weight_lb": "亚马逊测量重量（磅）",
    "master_weight_lb": "商品资料重量（磅）",
    "amazon_size_tier": "亚马逊尺寸分段",
    "master_size_tier": "商品资料尺寸分段",
    "short_sku": "短少 SKU",
    "over_sku": "多收 SKU",
    "over_units": "多收件数",
    "claim": "索赔",
    "grade_and_resell": "二手转售",
    "dispose": "弃置",
    "best_option": "最佳方式",
    "handled_units": "处理件数",
    "error_units": "差错件数",
    "fba_errors_per_1000": "FBA 每千件差错",
    "count_errors_per_1000": "盘点每千件差错",
    "headline": "指标",
    "figure": "数值",
    "notebook": "笔记本",
    "before": "上期",
    "now": "本期",
    "why": "原因",
    "detail": "明细",
    "value": "金额",
    "units": "件数",
    "unit_cost": "单位成本",
    "shipment_id": "货件编号",
    "ship_date": "发货日",
    "received_date": "收货日",
    "units_shipped": "发货件数",
    "units_received": "收货件数",
    "claim_by": "索赔截止",
    "counted_units": "盘点件数",
    "book_units": "账面件数",
    "difference": "差额",
    "file": "文件",
    "format": "格式",
    "rows_in": "读入行数",
    "rows_kept": "保留行数",
    "rows_quarantined": "隔离行数",
    "source_file": "来源文件",
    "line": "行",
    "column": "列",
    "flow": "流向",
    "detail_units": "明细件数",
    "summary_units": "汇总件数",
    "status": "状态",
    "note": "说明",
    "rank": "排名",
    "abc_class": "ABC 分类",
    "xyz_class": "XYZ 分类",
    "previous_class": "上期分类",
    "change": "变化",
    "measure": "指标",
    "revenue": "销售额",
    "cogs": "销售成本",
    "gross_profit": "毛利",
    "share": "占比",
    "cum_share": "累计占比",
    "cum_before": "此前累计",
    "revenue_share": "销售额占比",
    "inventory_share": "库存占比",
    "inventory_value": "库存金额",
    "stock_value": "库存金额",
    "stock_units": "库存件数",
    "dead_stock": "滞销",
    "cv": "变异系数",
    "cell": "格",
    "skus": "SKU 数",
    "SKUs": "SKU 数",
    "review": "检查频率",
    "service_level": "服务水平",
    "cash_ratio": "资金比",
    "group": "分组",
    "turnover": "周转次数",
    "turnover_annual": "年周转次数",
    "days_of_inventory": "库存天数",
    "avg_inventory_value": "平均库存金额",
    "avg_stock_value": "平均库存金额",
    "avg_units": "平均件数",
    "sell_through": "售罄率",
    "weeks_of_cover_t30": "可售周数（30天）",
    "weeks_of_cover_t90": "可售周数（90天）",
    "cover_status": "可售状态",
    "days_of_sales": "销售天数",
    "last_sale": "最后销售",
    "days_since_last_sale": "未动销天数",
    "units_t90": "90天销量",
    "sold_units": "销量",
    "cash_tied_up": "占用资金",
    "in band": "区间内",
    "under": "偏低",
    "over": "偏高",
    "available": "可售",
    "inbound": "入库中",
    "snapshot_date": "快照日",
    "fba_units": "FBA 件数",
    "fifo_units": "FIFO 件数",
    "report_units": "报告件数",
    "agrees": "一致",
    "aged_units": "超龄件数",
    "aged_units_181_plus": "181天以上件数",
    "inv_age_0_to_90_days": "库龄0-90天",
    "inv_age_91_to_180_days": "库龄91-180天",
    "inv_age_181_to_270_days": "库龄181-270天",
    "inv_age_271_to_365_days": "库龄271-365天",
    "inv_age_365_plus_days": "库龄365天以上",
    "units_in_other_buckets": "其他区间件数",
    "storage_next_month": "下月仓储费",
    "surcharge_next": "下次附加费",
    "surcharge_90d": "90天附加费",
    "days_to_next_tier": "距下一档天数",
    "units_crossing_30d": "30天内跨档件数",
    "hold_cost_30d": "持有30天费用",
    "hold_cost_60d": "持有60天费用",
    "hold_cost_90d": "持有90天费用",
    "recommended_action": "建议",
    "gain_vs_keep": "相比保留的收益",
    "value_keep": "保留价值",
    "value_discount": "降价价值",
    "value_liquidate": "清算价值",
    "value_remove": "移除价值",
    "value_dispose": "弃置价值",
    "value_donate": "捐赠价值",
    "value_outlet": "Outlet 促销价值",
    "month_of_charge": "收费月份",
    "charged": "已收取",
    "projected": "预测",
    "avg_units_projected": "预测平均件数",
    "amazon_qty": "亚马逊数量",
    "our_qty": "我方数量",
    "fees_avoided": "避免费用",
    "cash_from_clearing": "清货回款",
    "forecast_rate": "预测日销",
    "daily_rate": "日销",
    "rate": "速度",
    "rate_in_stock": "有货日销",
    "rate_naive_30d": "30天简单日销",
    "croston_sba": "Croston-SBA",
    "blend": "加权",
    "seasonal_index": "季节指数",
    "sigma_d": "日需求标准差",
    "in_stock_share_90d": "90天有货率",
    "stockout_days": "断货天数",
    "safety_stock": "安全库存",
    "reorder_point": "再订货点",
    "order_qty": "订货量",
    "order_date": "下单日",
    "arrival_date": "到货日",
    "stockout_date": "断货日",
    "days_of_cover": "可售天数",
    "mode": "运输方式",
    "air": "空运",
    "sea": "海运",
    "purchase_lead_days": "采购交期天数",
    "transit_days": "运输天数",
    "transit_sd": "运输天数标准差",
    "mean_days": "平均天数",
    "sd_days": "天数标准差",
    "production": "生产",
    "line_haul": "干线",
    "customs": "清关",
    "domestic": "国内仓",
    "domestic_handling": "国内操作",
    "check_in": "入仓上架",
    "where": "位置",
    "goods_cost": "货款",
    "freight_cost": "运费",
    "extra_air_freight": "空运额外运费",
    "margin_saved_by_air": "空运保住的毛利",
    "days_short_if_all_sea": "全走海运缺货天数",
    "fill_rate": "满足率",
    "fill_rate_A": "A 类满足率",
    "stock_vs_best_rule": "库存相对最优规则",
    "rule": "规则",
    "method": "方法",
    "used": "采用",
    "seller": "卖家",
    "lines": "行数",
    "skus_to_order_now": "现在补货 SKU",
    "skus_at_risk": "风险 SKU",
    "cash_needed": "所需资金",
    "units_by_air": "空运件数",
    "units_on_order": "在途采购件数",
    "lines_at_a_loss": "亏本行数",
    "lines_held_back": "暂缓的行数",
    "held_kind": "暂缓类型",
    "held_qty": "暂缓数量",
    "decision": "待决定事项",
    "loss_per_unit": "每件亏损",
    "lines_cost_unknown": "货款未知行数",
    "skus_stock_without_cost": "无成本有库存 SKU",
    "lines_margin_unknown": "毛利未知行数",
    "on_order": "已下单未到货",
    "open_orders": "未完成采购单",
    "next_expected": "最早预计到货",
    "po_number": "采购单号",
    "supplier": "供应商",
    "expected_date": "预计到货日期",
    "units_ordered": "采购数量",
    "units_open": "未到货数量",
    "days_late": "逾期天数",
    "margin_per_unit": "单件毛利",
    "warning": "警示",
    "capacity_cut": "容量削减件数",
    "order_up_to_fba": "FBA 目标量",
    "order_up_to_network": "网络目标量",
    "safety_stock_network": "网络安全库存",
    "position_fba": "FBA 库存位置",
    "position_network": "网络库存位置",
    "seasonal_source": "季节来源",
    "sigma_h": "预测误差",
    "forecast_units": "预测件数",
    "horizon_days": "覆盖天数",
    "error_origins": "误差样本数",
    "next_purchase_date": "下次采购日期",
    "net_per_unit": "单件净收入",
    "vat_rate": "增值税率",
    "fulfilment_fee": "配送费",
    "fee_tier": "配送费尺寸分段",
    "shipping_weight_lb": "发货重量（磅）",
    "fee_table": "费用表",
    "fee_note": "配送费说明",
    "landed_cost_sea": "海运到岸成本",
    "margin_per_unit_sea": "海运单件毛利",
    "seasonal_index_network": "网络季节指数",
    "avg_stock_units": "平均库存件数",
    "avg_fba_units": "平均 FBA 件数",
    "avg_domestic_units": "平均国内仓件数",
    "air_share": "空运占比",
    "freight": "运费",
    "orders": "订单数",
    "liquidate": "清算",
    "remove": "移除",
    "a_skus": "A 类 SKU 数",
    "a_sku_share": "A 类 SKU 占比",
    "a_value_share": "A 类销售额占比",
    "dead_stock_skus": "滞销 SKU",
    "dead_stock_value": "滞销金额",
    "dead_stock_skus_90d": "90天滞销 SKU",
    "dead_stock_skus_data": "滞销 SKU（数据期内）",
    "dead_stock_days_seen": "销售数据天数",
    "under_covered_skus": "可售偏低 SKU",
    "over_covered_skus": "可售偏高 SKU",
    "skus_to_clear": "需清理 SKU",
    "storage_fee_next_month": "下月仓储费",
    "surcharge_exposure_90d": "90天附加费风险",
    "inbound_shortfall_units": "入库丢失件数",
    "count_differences": "盘点差异",
    "mapping_problems": "映射问题",
    "skus_missing_from_master": "缺失于商品资料的 SKU",
    "break_value_at_cost": "差异成本金额",
    "shipments": "货件",
    "closed_on": "关闭日期",
    "amazon_excess_units": "亚马逊冗余件数",
    "avg_available_90d": "90天平均可售",
    "excess_share": "冗余占比",
    "excess_units": "超出件数",
    "excess_value": "超出金额",
    "in_stock_rate": "有货率",
    "short_units": "缺少件数",
    "short_value": "缺少金额",
    "stranded_share": "滞留占比",
    "stranded_units": "滞留件数",
    "units_t7": "7天销量",
    "units_t30": "30天销量",
    "units_t60": "60天销量",
    "unsellable": "不可售",
    "weeks_of_cover": "可售周数",
    "bucket_units": "库龄段件数",
    "buckets_minus_on_hand": "库龄段减在手",
    "on_hand": "在手件数",
    "volume_known": "体积已知",
    "adi": "平均需求间隔",
    "cubic_feet": "立方英尺",
    "destination": "目的地",
    "median_index": "指数中位数",
    "differing_units": "差异件数",
    "errors_per_1000": "每千件差错",
}


def language() -> str:
    """The language set by the last ``use_language`` ("en" until then)."""
    return _state["lang"]


def check_language(lang: str) -> str:
    """``lang`` if supported, else a ValueError naming the choices.

    >>> check_language("zh")
    'zh'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


#: English nouns a count of one takes in the singular (the to-do sentences): "1 SKUs" reads wrong
_ONE = re.compile(
    r"(?<![\d,.])1 (dead-stock SKU|aged SKU|SKU|reimbursement case|case|claim|unit|purchase line|line|"
    r"row|file)s\b"
)


def plural(text: str) -> str:
    """An English sentence with its counts of one in the singular (other languages as they are).

    >>> plural("Decide on 1 dead-stock SKUs; 11 SKUs; 1 claims and investigations")
    'Decide on 1 dead-stock SKU; 11 SKUs; 1 claim or investigation'
    """
    if _state["lang"] != "en":
        return text
    text = re.sub(r"(?<![\d,.])1 claims and investigations", "1 claim or investigation", text)
    return _ONE.sub(lambda m: "1 " + m.group(1), text)


def tr(template: str, **values: object) -> str:
    """``template`` in the current language, formatted with ``values``.

    >>> use_language("en") and None
    >>> tr("{n:,} SKUs", n=1200)
    '1,200 SKUs'
    """
    text = ZH.get(template, template) if _state["lang"] == "zh" else template
    return text.format(**values) if values else text


def header(name: object) -> object:
    """The column header for ``name`` in the current language (unknown names are kept)."""
    if _state["lang"] == "zh" and isinstance(name, str):
        return COLUMNS_ZH.get(name, name)
    return name


#: the fixed vocabularies shown in tables, per column, with their Chinese: location classes, actions, modes,
#: line kinds, dispositions, keep-or-clear options, statuses, methods, cover bands. Only whole cells of these
#: columns are translated (a SKU or title is never touched); the CSVs keep the English codes.
VALUES_ZH: dict[str, str] = {
    "domestic": "国内仓",
    "fba": "FBA",
    "third_party": "第三方仓",
    "in_transit": "在途",
    "business": "全部业务",
    "investigate": "调查",
    "claim": "索赔",
    "SELLABLE": "可售",
    "DEFECTIVE": "残次",
    "CUSTOMER_DAMAGED": "买家损坏",
    "CARRIER_DAMAGED": "承运人损坏",
    "DISTRIBUTOR_DAMAGED": "配送商损坏",
    "WAREHOUSE_DAMAGED": "仓库损坏",
    "EXPIRED": "过期",
    "UNSELLABLE": "不可售",
    "keep": "保留",
    "discount": "降价",
    "outlet": "Outlet 促销",
    "liquidate": "清算",
    "remove": "移除",
    "dispose": "弃置",
    "donate": "捐赠",
    "grade_and_resell": "二手转售",
    "sea": "海运",
    "air": "空运",
    "express": "快递",
    "rail": "铁路",
    "truck": "卡车",
    "supplier_delivery": "供应商送货",
    "purchase": "采购",
    "ship_to_fba": "发往 FBA",
    "both": "采购与发货",
    "OPEN": "待到货",
    "PARTIAL": "部分到货",
    "CLOSED": "已完成",
    "CANCELLED": "已取消",
    "DRAFT": "草稿",
    "ok": "完成",
    "skipped": "已跳过",
    "failed": "失败",
    "blend": "加权平均",
    "croston_sba": "Croston–SBA",
    "sku": "本 SKU",
    "category": "分类",
    "all": "全部",
    "none": "无",
    "under": "不足",
    "over": "过多",
    "in band": "区间内",
    "no sales": "无销量",
    # the kinds of a claim or an investigation, the review frequency of an ABC×XYZ cell, a class change
    "count differs from book": "盘点与账面不符",
    "ledger identity break": "台账恒等式差异",
    "ledger chain break": "台账衔接差异",
    "inbound shortfall": "入库短少",
    "inbound overage": "入库多收",
    "warehouse lost or damaged": "仓库丢失或损坏",
    "wrongful reversal": "错误撤销赔偿",
    "refund without return": "退款未退货",
    "carrier damaged return": "承运人损坏的退货",
    "underpaid reimbursement": "赔偿金额偏低",
    "removal shortfall": "移除订单短少",
    "disposed without an order": "无订单被弃置",
    "fee overcharge": "配送费多收",
    "returned item mismatch": "退回商品不符",
    "replacement not returned": "换货后原件未退回",
    "refund above the order": "退款超过订单金额",
    "fee_overcharge": "配送费多收",
    "refund_excess": "超额退款",
    "weekly": "每周",
    "every 2 weeks": "每两周",
    "monthly": "每月",
    "up": "上升",
    "down": "下降",
    "new": "新出现",
    "gone": "已消失",
    "open": "可提交",
    "not yet open": "尚未开放",
    "expired": "已过期",
    "wait": "等待",
    "manufacturing_cost": "生产成本",
    "estimated_proceeds": "预计销售收益",
    "amount_reversed": "被撤回金额",
    "delivered": "送达",
    "closed": "收货关闭",
    "unknown": "未知",
    # how a fulfilment fee was found (stockbook.fees.FEE_NOTES) and the fee table's tiers
    "standard size not told: priced as large standard (upper bound)": "未说明大小标准尺寸：按大号标准尺寸计（上限）",
    "no dimensions: priced as a standard parcel (upper bound)": "无尺寸：按标准包裹计（上限）",
    "bulky: the UK/EU tier needs its dimensions": "大件：英国/欧盟分段需要尺寸",
    "no size tier": "无尺寸分段",
    "size tier not recognised": "尺寸分段无法识别",
    "no weight": "无重量",
    "no fee table row": "费用表无对应行",
    "no price: the 10–50 band": "无售价：按 10–50 区间",
    "no row for its price band: the nearest band": "该售价区间无对应行：按最近区间",
    "the fulfilment_fee parameter": "fulfilment_fee 参数",
    "no fee stated": "未给出配送费",
    "small_standard": "小号标准尺寸",
    "large_standard": "大号标准尺寸",
    "small_bulky": "小号大件",
    "large_bulky": "大号大件",
    "extra_large_0_50": "超大件 0–50 磅",
    "extra_large_50_70": "超大件 50–70 磅",
    "extra_large_70_150": "超大件 70–150 磅",
    "extra_large_150_plus": "超大件 150 磅以上",
    "light_envelope": "轻型信封",
    "standard_envelope": "标准信封",
    "large_envelope": "大号信封",
    "extra_large_envelope": "超大号信封",
    "small_parcel": "小包裹",
    "standard_parcel": "标准包裹",
}
VOCABULARY_COLUMNS = frozenset(
    {
        "held_kind",
        "fee_note",
        "fee_tier",
        "location_class",
        "action",
        "mode",
        "kind",
        "disposition",
        "recommended_action",
        "best_option",
        "status",
        "basis",
        "window_from",
        "method",
        "seasonal_source",
        "cover_status",
        "option",
        "detailed_disposition",
        "group",
        "review",
        "change",
    }
)


def translate_values(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the fixed vocabularies of its vocabulary columns (and a vocabulary index) in the current
    language; every other cell as it is.

    >>> use_language("zh") and None
    >>> df = pd.DataFrame({"sku": ["sea"], "mode": ["sea"], "kind": ["ship_to_fba"]})
    >>> translate_values(df).values.tolist()  # the SKU named "sea" stays
    [['sea', '海运', '发往 FBA']]
    >>> use_language("en") and None
    """
    if _state["lang"] != "zh":
        return df
    cols = [c for c in df.columns if c in VOCABULARY_COLUMNS]
    out = df.copy() if cols or df.index.name in VOCABULARY_COLUMNS else df
    for c in cols:
        out[c] = out[c].map(lambda v: VALUES_ZH.get(v, v) if isinstance(v, str) else v)
    if out.index.name in VOCABULARY_COLUMNS:
        out.index = out.index.map(lambda v: VALUES_ZH.get(v, v) if isinstance(v, str) else v)
    return out


def translate_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with headers (and a text index's labels) in the current language; values untouched.

    >>> use_language("zh") and None
    >>> list(translate_columns(pd.DataFrame({"sku": ["A"], "units": [1]})).columns)
    ['SKU', '件数']
    >>> use_language("en") and None
    """
    if _state["lang"] != "zh":
        return df
    out = df.rename(columns=header)
    if out.index.dtype == object or isinstance(out.index.dtype, pd.StringDtype):
        out = out.rename(index=header)
    return out


def cjk_font() -> str | None:
    """The first font in ``CJK_FONTS`` matplotlib can use, registering system fonts it has not seen yet.

    Matplotlib caches its font list; fonts installed after that cache was written
    (``apt-get install fonts-noto-cjk``) are added here from the system font folders.
    """
    from matplotlib import font_manager as fm

    def known() -> str | None:
        names = {f.name for f in fm.fontManager.ttflist}
        return next((f for f in CJK_FONTS if f in names), None)

    found = known()
    if found is None:
        for path in fm.findSystemFonts():
            low = path.lower()
            if any(k in low for k in ("cjk", "wqy", "sourcehan", "pingfang", "msyh", "simhei")):
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError):
                    continue
        found = known()
    return found


def use_language(lang: str = "en") -> str | None:
    """Switch chart text, table headers and fonts to ``lang``; returns the CJK font used (zh), else None.

    In Chinese, matplotlib's sans-serif list starts with the CJK font found; if none
    is installed a warning names the package to install and charts keep their
    layout with boxes for the Chinese characters.
    """
    import matplotlib as mpl

    _state["lang"] = check_language(lang)
    if lang != "zh":
        mpl.rcParams["font.sans-serif"] = mpl.rcParamsDefault["font.sans-serif"]
        return None
    font = cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font found: Chinese chart text will show as boxes. Install one, e.g. "
            "`apt-get install fonts-noto-cjk` (Debian/Ubuntu) — `make report` does this.",
            stacklevel=2,
        )
        return None
    mpl.rcParams["font.sans-serif"] = [font, *mpl.rcParamsDefault["font.sans-serif"]]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
    return font


def localize_notebook(nb, lang: str) -> None:
    """Replace each Markdown cell's text with its ``metadata["zh"]`` translation (in place) when ``lang`` is zh."""
    if check_language(lang) != "zh":
        return
    for cell in nb.cells:
        zh = cell.get("metadata", {}).get("zh")
        if cell.cell_type == "markdown" and zh:
            cell.source = zh


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Use ``lang`` for ``tr``/``header`` inside the block only (no font or display changes).

    >>> with speaking("zh"):
    ...     tr("Inputs")
    '输入文件'
    >>> tr("Inputs")
    'Inputs'
    """
    before = _state["lang"]
    _state["lang"] = check_language(lang)
    try:
        yield
    finally:
        _state["lang"] = before


# ---------------------------------------------------------------------------- sentences the library writes

N = r"(?P<{}>[-\d,.]+)"  # a number as written (1,234.56)
W = r"(?P<{}>\S+)"  # a code or a word: an id, a date, a currency
ANY = r"(?P<{}>.+?)"

#: every sentence the library writes into a table cell, a note or a printed line, with its Chinese: a pattern
#: (numbers, codes and dates as named parts) and a template that puts them back. One vocabulary for both
#: languages: the English is written where the number is known; ``sentence`` turns it into Chinese on a zh page.
_SENTENCES: tuple[tuple[str, str], ...] = (
    # the reimbursement audit's notes (notebook 06)
    (
        f"{W.format('m')} not audited: add its Reimbursements report \\({N.format('a')} lost, {N.format('b')} "
        f"damaged and {N.format('c')} found units in its ledger\\)",
        "{m} 未审计：请添加该站点的赔偿报告（其台账中丢失 {a} 件、损坏 {b} 件、找回 {c} 件）",
    ),
    (
        "inbound claim windows counted from the day receiving closed: the shipments file gives no delivery date "
        "\\(add a Delivered Date column; Amazon counts from delivery\\)",
        "入库索赔期限从收货关闭之日算起：货件表没有送达日期（请添加 Delivered Date 列；亚马逊从送达之日算起）",
    ),
    (
        f"{N.format('n')} SKUs? ha(?:s|ve) no fulfilment fee the fee tables can price: their estimated proceeds are "
        "before the fee \\(set fulfilment_fee\\)",
        "{n} 个 SKU 无法按费用表计算配送费：其预计销售收益未扣配送费（请设置 fulfilment_fee）",
    ),
    (
        f"error rates of {ANY.format('m')} are lost and damaged units only: no returns report of theirs was read",
        "{m} 的差错率只含丢失和损坏件数：未读取其退货报告",
    ),
    (
        f"{N.format('n')} SKUs? with a case ha(?:s|ve) no known manufacturing cost or price: their cases are valued "
        "at 0",
        "{n} 个有案例的 SKU 没有已知的生产成本或价格：其案例按 0 计值",
    ),
    (
        "removal orders shipped are not checked against their packages: add the Removal Shipment Detail report",
        "移除订单的发出件数未与包裹核对：请添加移除货件详情报告",
    ),
    (
        "units lost, damaged or found at Amazon are not audited and no reversal is judged: add the Inventory "
        "Ledger",
        "亚马逊仓内丢失、损坏或找回的件未审计，也不判断撤销赔偿：请添加库存分类账",
    ),
    (
        "disposals are not checked against orders: add the Removal Order Detail report",
        "弃置未与订单核对：请添加移除订单详情报告",
    ),
    (
        f"disposals of {ANY.format('m')} are not checked against orders: add their Removal Order Detail report",
        "{m} 的弃置未与订单核对：请添加其移除订单详情报告",
    ),
    # the plan's reasons and warnings (notebook 05)
    ("sea: lands before the stock runs out", "海运：断货前到达"),
    (
        f"sea: air would cost {N.format('a')} {W.format('c')} more, above the {N.format('b')} {W.format('d')} of "
        "margin it would save",
        "海运：空运要多花 {a} {c}，高于它能挽回的 {b} {d} 毛利",
    ),
    (
        "sea: no price in the SKU master, so air cannot be weighed against the lost sales",
        "海运：商品资料中没有售价，无法把空运与断货损失相比较",
    ),
    (
        "sea: runs out before any shipment can land; air lands no sooner",
        "海运：任何货件到达前都会断货；空运也不会更早到",
    ),
    (
        f"air: stock lasts {W.format('d')} days and sea lands on day {W.format('s')}; the days air bridges earn "
        f"{N.format('m')} {W.format('c')} of margin, more than the {N.format('f')} {W.format('e')} extra freight",
        "空运：库存可撑 {d} 天，海运第 {s} 天才到；空运补上的这些天能挣 {m} {c} 毛利，多于额外运费 {f} {e}",
    ),
    (
        r"delivered by the supplier to the warehouse that sells \(no stock at Amazon or abroad in the data\)",
        "由供应商送到销售的仓库（数据中没有亚马逊或海外库存）",
    ),
    (
        f"sells at a loss: landed {N.format('l')} {W.format('c')} \\(goods \\+ {W.format('m')} freight\\) against "
        f"{N.format('n')} {W.format('d')} after VAT, referral and fulfilment fees",
        "亏本：到岸成本 {l} {c}（货款 + {m}运费），扣除增值税、佣金和配送费后只有 {n} {d}",
    ),
    (
        f"freight alone exceeds the {N.format('n')} {W.format('c')} a unit brings after fees",
        "仅运费就超过了每件扣除费用后的 {n} {c}",
    ),
    ("no price in the SKU master: margin unknown", "商品资料中没有售价：毛利未知"),
    (
        "no price or no fulfilment fee for this SKU: margin unknown",
        "该 SKU 没有售价或配送费：毛利未知",
    ),
    (
        "no unit cost: goods cost unknown, not counted in the cash needed",
        "没有单位成本：货款未知，未计入所需资金",
    ),
    # against Amazon's Restock report
    ("agrees within 20 %", "相差在 20% 以内"),
    (
        "we count in-stock days only: stock-outs hid demand from the 30-day average",
        "我们只计有货的天数：断货掩盖了 30 天平均中的需求",
    ),
    (
        "seasonal index: last year's sales rose over the coming weeks",
        "季节指数：去年同期接下来几周销量上升",
    ),
    ("recent weeks sell faster than the 30-day average", "最近几周卖得比 30 天平均快"),
    (
        "seasonal index: last year's sales fell over the coming weeks",
        "季节指数：去年同期接下来几周销量下降",
    ),
    ("recent weeks sell slower than the 30-day average", "最近几周卖得比 30 天平均慢"),
    (
        f"Amazon's recommendation holds about (?P<a>\\S+|an unknown number of) days of supply; our policy targets "
        f"{W.format('b')} "
        "\\(transit, one review period and safety stock\\) — stock beyond that waits in the domestic warehouse",
        "亚马逊的建议约备 {a} 天的货；我们的策略目标是 {b} 天（运输、一个检查周期和安全库存）——多出的库存留在国内仓",
    ),
    # ABC × XYZ policies (notebook 02)
    (
        "low safety stock: demand is steady, keep lean and replenish often",
        "低安全库存：需求稳定，少备勤补",
    ),
    ("moderate safety stock sized on demand variability", "中等安全库存，按需求波动设定"),
    (
        "high safety stock or make-to-order; watch daily, forecast by hand",
        "高安全库存或按单生产；每天关注，人工预测",
    ),
    ("low safety stock, automatic reorder point", "低安全库存，自动再订货点"),
    ("moderate safety stock, automatic reorder point", "中等安全库存，自动再订货点"),
    ("buffer moderately; prefer smaller, more frequent orders", "适度缓冲；宁可小批量、多批次"),
    (
        "minimal safety stock, order in larger lots to save handling",
        "最低安全库存，大批量订货以省处理成本",
    ),
    ("minimal safety stock, periodic review", "最低安全库存，定期检查"),
    (
        "no safety stock beyond the target's; order on demand, consider delisting or clearing",
        "目标之外不设安全库存；按需订货，考虑下架或清货",
    ),
    # the ledger's investigations and mapping (notebook 01)
    (
        r"ask Amazon \(or expand the dates: an event may have posted late\)",
        "询问亚马逊（或扩大日期范围：事件可能延后入账）",
    ),
    ("check the warehouse's movements for the period", "核对该期间仓库的出入库记录"),
    (f"listed {N.format('n')} times in the SKU master", "在商品资料中出现 {n} 次"),
    (f"in the {W.format('c')} ledger but not in the SKU master", "在{c}台账中，但不在商品资料中"),
    (f"several {W.format('k')}s {ANY.format('v')}", "多个 {k}：{v}"),
    (f"{W.format('k')} {W.format('v')} under SKUs {ANY.format('s')}", "{k} {v} 对应多个 SKU：{s}"),
    (f"counted {N.format('a')}, book {ANY.format('b')}", "盘点 {a}，账面 {b}"),
    (
        f"shipped {N.format('a')}, received {N.format('b')}; claim from {W.format('d')} to {W.format('e')}",
        "发货 {a}，签收 {b}；索赔期 {d} 至 {e}",
    ),
    (f"shipped {N.format('a')}, received {N.format('b')}", "发货 {a}，签收 {b}"),
    (
        f"shipped {N.format('a')}, received {N.format('b')}; the same shipment is {N.format('n')} short on "
        f"{W.format('s')}",
        "发货 {a}，签收 {b}；同一货件中 {s} 少收 {n}",
    ),
    (
        "no purchase orders read: units already ordered from suppliers are not in the stock position, so the "
        f"plan may buy them again \\({N.format('n')} units to buy\\); add the ERP's purchase order export "
        "\\(采购单\\)",
        "未读到采购单：已向供应商下单的数量不在库存位置中，计划可能重复采购（待采购 {n} 件）；请加入 ERP 的采购单导出",
    ),
    (f"{N.format('n')} units on order with suppliers are counted", "已计入向供应商在途采购 {n} 件"),
    (
        f"purchase of {N.format('q')} held: the MOQ or case pack buys {N.format('d')} days of demand; the stock "
        f"lasts {N.format('c')} days, beyond the lead time and review \\({N.format('l')} days\\)",
        "暂缓采购 {q} 件：起订量或箱规会买入 {d} 天的需求；库存还能撑 {c} 天，超过交期加复核周期（{l} 天）",
    ),
    (
        f"purchase of {N.format('q')} not planned: each unit loses {N.format('m')} {W.format('c')} landed by sea; "
        "raise the price, cut the cost or stop buying it",
        "不计划采购 {q} 件：海运到岸每件亏 {m} {c}；请提价、降本或停止采购",
    ),
    (
        f"shipment of {N.format('q')} not planned: the sea freight and fees exceed the price by {N.format('m')} "
        f"{W.format('c')} a unit; sell or clear it where it is",
        "不计划发货 {q} 件：海运费和平台费用每件超过售价 {m} {c}；请就地销售或清货",
    ),
    (
        f"{ANY.format('a')}; shipment of {N.format('q')} not planned: the sea freight and fees exceed the price by "
        f"{N.format('m')} {W.format('c')} a unit; sell or clear it where it is",
        "{a}；不计划发货 {q} 件：海运费和平台费用每件超过售价 {m} {c}；请就地销售或清货",
    ),
    # the reimbursement cases' evidence (notebook 06)
    (f"reported {N.format('n')} {W.format('k')} on {W.format('d')}", "{d} 报告{k} {n} 件"),
    (
        f"reported {N.format('n')} {W.format('k')} on {W.format('d')} \\({ANY.format('r')}\\)",
        "{d} 报告{k} {n} 件（{r}）",
    ),
    (f"ledger summary {W.format('m')}", "台账汇总 {m}"),
    (
        f"order {W.format('o')} refunded {N.format('n')} unit\\(s\\) on {W.format('d')}",
        "订单 {o} 于 {d} 退款 {n} 件",
    ),
    (f"returned {N.format('r')}, reimbursed {N.format('p')}", "已退回 {r}，已赔 {p}"),
    (
        f"order {W.format('o')} sold for {N.format('a')}, refunded {N.format('b')} {W.format('c')}",
        "订单 {o} 售价 {a}，退款 {b} {c}",
    ),
    (
        f"{N.format('n')} rows? name neither a currency nor a marketplace: their money is not used",
        "{n} 行既没有币种也没有站点：其金额不使用",
    ),
    (f"reversal {W.format('r')} of {N.format('n')} units?(?:\\(s\\))?", "撤销 {r}，{n} 件"),
    (f"units found: {N.format('n')}", "已找到 {n} 件"),
    (
        f"shipment {W.format('s')}: shipped {N.format('a')}, received {N.format('b')}, closed {W.format('d')}, "
        f"reimbursed {N.format('r')}",
        "货件 {s}：发货 {a}，签收 {b}，关闭于 {d}，已赔 {r}",
    ),
    (
        f"order {W.format('o')} refunded {N.format('n')} units? on {W.format('d')}; returned {N.format('r')}, "
        f"reimbursed {N.format('p')}",
        "订单 {o} 于 {d} 退款 {n} 件；已退回 {r}，已赔 {p}",
    ),
    (
        f"order {W.format('o')} returned {W.format('d')}{ANY.format('rest')}",
        "订单 {o} 于 {d} 退回{rest}",
    ),
    (
        f"reimbursement {W.format('r')} paid {N.format('a')} a unit; estimated proceeds {N.format('b')}",
        "赔偿 {r} 每件付 {a}；估计收入 {b}",
    ),
    # what the readers decided (the index's inputs)
    (
        f"header on line {N.format('n')}; the {N.format('k')} line\\(s\\) above it read as a title",
        "表头在第 {n} 行；上面的 {k} 行作为标题",
    ),
    (f"sheet {ANY.format('s')}, header on row {N.format('n')}", "工作表 {s}，表头在第 {n} 行"),
    (
        "decoded as GB18030 \\(Chinese Windows\\): the file is not UTF-8",
        "按 GB18030（中文 Windows）解码：文件不是 UTF-8",
    ),
    (
        "decoded as Windows-1252 \\(Western Windows\\): the file is not UTF-8; check accented text",
        "按 Windows-1252（西文 Windows）解码：文件不是 UTF-8；请核对带重音的文字",
    ),
    (
        "decoded as Shift_JIS \\(Windows-31J, Japanese Windows and amazon.co.jp downloads\\): the file is not UTF-8",
        "按 Shift_JIS（日文 Windows、amazon.co.jp 下载）解码：文件不是 UTF-8",
    ),
    (f"money in {ANY.format('c')}: its currency column", "金额为 {c}：按文件的币种列"),
    (f"money in {ANY.format('c')}: its header", "金额为 {c}：按表头写明的单位"),
    (f"money in {ANY.format('c')}: its marketplace's currency", "金额为 {c}：按站点的币种"),
    (
        f"money in {ANY.format('c')}: each SKU's marketplace in Amazon's ledger \\({ANY.format('m')}\\)",
        "金额为 {c}：按亚马逊台账中每个 SKU 的站点（{m}）",
    ),
    (
        f"money in {W.format('c')}, as {ANY.format('f')} line {N.format('n')} states",
        "金额为 {c}：{f} 第 {n} 行写明",
    ),
    (
        f"money \\({ANY.format('m')}\\) states no currency: not used until you add a currency / 币种 column, write the "
        "unit in the header \\(销售总额\\(元\\)\\) or name the file in currencies.csv \\(file, currency\\)",
        "金额（{m}）未写明币种：在加上币种列、在表头写明单位（如 销售总额(元)）或在 currencies.csv 中写明该文件的币种之前不使用",
    ),
    (
        f"{N.format('n')} rows do not add up \\(ending ≠ starting \\+ flows\\)",
        "{n} 行对不上（期末 ≠ 期初 + 各项变动）",
    ),
    (f"month {W.format('m')} taken from the file name", "月份 {m} 取自文件名"),
    (f"month {W.format('m')} taken from the title", "月份 {m} 取自标题行"),
    (
        f"{ANY.format('h')}: the header states the currency, {W.format('c')}",
        "{h}：表头写明币种 {c}",
    ),
    (
        "no order date: every open line counts as placed on the report day",
        "没有下单日期：每条未完成的采购行都按已下单计",
    ),
    # the index's skip reasons and rate line
    (
        f"no {ANY.format('t')} table in the data; add {ANY.format('f')}",
        "数据中没有{t}表；请加入{f}",
    ),
    (
        f"1 {W.format('a')} = {N.format('r')} {W.format('b')} \\(ECB reference rate of {W.format('d')}\\)",
        "1 {a} = {r} {b}（欧洲央行参考汇率，{d}）",
    ),
    # what the ranking could use (notebook 02)
    (
        rf"ranked by {W.format('m')}: {ANY.format('w')} is known for {W.format('p')} of the units sold \(a sale whose "
        r"file states no price or currency has none\)",
        "按{m}排序：{w}只知道已售件数的 {p}（文件没写售价或币种的销售没有金额）",
    ),
    (
        rf"ranked by {W.format('m')}: {ANY.format('w')} is known for {W.format('p')} of the units sold \(a cost needs "
        r"its currency\)",
        "按{m}排序：{w}只知道已售件数的 {p}（成本需要写明币种）",
    ),
    # the self-checks (every page and the index)
    (
        f"{N.format('n')} of the {N.format('m')} dead-stock SKUs shipped units to customers in the ledger over the "
        rf"same {N.format('d')} days \({ANY.format('e')}\): their sales were not counted",
        "{m} 个滞销 SKU 中有 {n} 个在同样 {d} 天里在台账中向客户发了货（{e}）：它们的销售没有被计入",
    ),
    (
        f"none of the {N.format('m')} dead-stock SKUs shipped units to customers in the ledger",
        "{m} 个滞销 SKU 在台账中都没有向客户发货",
    ),
    (
        f"the analysis counts {N.format('a')} units sold; the ledger ships {N.format('b')} units to customers over the "
        "same days",
        "分析计入已售 {a} 件；台账同期向客户发货 {b} 件",
    ),
    (f"{N.format('a')} units sold, the ledger's outflows agree", "已售 {a} 件，与台账出库一致"),
    (
        rf"no SKU is in class A although {N.format('n')} units were sold: the ranking measure is empty \(no revenue or "
        r"cost it could use\)",
        "虽然售出 {n} 件，却没有 A 类 SKU：排序依据为空（没有可用的销售额或成本）",
    ),
    (f"{N.format('n')} SKUs in class A", "A 类 SKU {n} 个"),
    (
        f"the plan finds no demand for any SKU; the ledger ships {N.format('n')} units to customers in the last 90 days",
        "补货计划没有找到任何需求；台账最近 90 天向客户发货 {n} 件",
    ),
    (f"{N.format('r')} units a day expected", "预计每天 {r} 件"),
    (
        f"stock value is {ANY.format('v')} while {N.format('u')} units are held; {N.format('n')} SKUs? holding stock "
        "have no known unit cost",
        "持有 {u} 件库存，库存金额却是 {v}；{n} 个有库存的 SKU 没有已知的单位成本",
    ),
    (f"{ANY.format('v')} for {N.format('u')} units", "{u} 件库存 {v}"),
    (
        f"{N.format('a')} of the {N.format('b')} claims and investigations are on SKUs missing from the SKU master "
        rf"\({ANY.format('s')}\): fix the mapping first",
        "{b} 项索赔与调查中有 {a} 项的 SKU 不在商品资料中（{s}）：请先修正映射",
    ),
    ("every claim's SKU is in the SKU master", "每项索赔的 SKU 都在商品资料中"),
    (
        f"the loss events settle {N.format('a')} units \\(found, reimbursed or owed\\) but {N.format('b')} were "
        "lost or damaged",
        "损失事件结清 {a} 件（找回、已赔或应赔），但丢失或损坏的有 {b} 件",
    ),
    (
        f"every one of the {N.format('n')} units lost or damaged is found, reimbursed or owed",
        "丢失或损坏的 {n} 件每一件都已找回、已赔或应赔",
    ),
    (
        f"turnover counts {N.format('a')} units sold in the ledgers; the {ANY.format('s')} shows {N.format('b')}: "
        "turnover and days of inventory understate the sales",
        "周转按台账计已售 {a} 件；{s}显示 {b} 件：周转和库存天数低估了销售",
    ),
    (
        f"turnover counts {N.format('a')} units sold in the ledgers; the {ANY.format('s')} shows {N.format('b')}: "
        "the sales read miss units the ledgers ship",
        "周转按台账计已售 {a} 件；{s}显示 {b} 件：读取的销售漏掉了台账发出的件数",
    ),
    (
        f"turnover's {N.format('a')} units sold agree with the sales",
        "周转计入的已售 {a} 件与销售一致",
    ),
    ("turnover and the sales both read the ledger", "周转和销售都来自台账"),
    (
        f"line {N.format('l')} is a total row, set aside: {ANY.format('c')}",
        "第 {l} 行是合计行，已放在一边：{c}",
    ),
    (f"line {N.format('l')} is a total row, set aside", "第 {l} 行是合计行，已放在一边"),
    (f"{W.format('k')} {N.format('a')} = the sum of the rows", "{k} {a} = 各行之和"),
    (
        rf"{W.format('k')} {N.format('a')} ≠ the sum of the rows read \({N.format('b')}\): rows may be missing",
        "{k} {a} ≠ 读到的各行之和（{b}）：可能缺行",
    ),
    (rf"{ANY.format('f')}\.(?P<x>csv|txt|tsv|xlsx|xlsm): {ANY.format('n')}", "{f}.{x}：{n}"),
    # the file each notebook needs (the index's skip reasons)
    (
        r"an Amazon Inventory Ledger export \(summary view\) or a warehouse ledger \(进销存\)",
        "亚马逊库存分类账导出（汇总视图）或仓库进销存",
    ),
    (
        r"a sales export \(ERP daily sales or Amazon All Orders\) or an Inventory Ledger",
        "销售导出（ERP 销量日报或亚马逊全部订单）或库存分类账",
    ),
    (
        "an Amazon Inventory Ledger export or a warehouse ledger, with the SKU master for unit cost",
        "亚马逊库存分类账导出或仓库进销存，并用商品资料提供单位成本",
    ),
    (
        r"Amazon's FBA Inventory report, or an Amazon Inventory Ledger \(the SKU master adds volume, size tier and "
        r"price\)",
        "亚马逊 FBA 库存报告，或亚马逊库存分类账（商品资料补充体积、尺寸分段和售价）",
    ),
    (
        r"a sales export \(daily, with FBA stock\) or an Inventory Ledger \(the SKU master adds case pack, MOQ and "
        r"cost\)",
        "销售导出（按日，含 FBA 库存）或库存分类账（商品资料补充箱规、起订量和成本）",
    ),
    (
        r"an Amazon Inventory Ledger and the Reimbursements report \(the shipments file, the FBA customer returns report "
        r"and a transaction export with refunds add their checks\)",
        "亚马逊库存分类账和赔偿报告（货件文件、FBA 买家退货报告和含退款的交易导出补充各自的核对）",
    ),
    (
        f"Amazon's storage and surcharge tables in data/fees start on {W.format('a')}, after {W.format('b')}: add that "
        "year's fee tables to data/fees",
        "data/fees 中的亚马逊仓储费和附加费表从 {a} 开始，晚于 {b}：请把那一年的费率表加入 data/fees",
    ),
    (
        f"header on line {N.format('n')}, the {N.format('k')} line\\(s\\) above it read as a title",
        "表头在第 {n} 行，上面的 {k} 行作为标题",
    ),
    # notebook 04's printed lines
    (
        f"Amazon's FBA Inventory report of {W.format('d')} \\(Amazon's own age buckets\\)",
        "亚马逊 {d} 的 FBA 库存报告（亚马逊自己的库龄段）",
    ),
    (
        f"{W.format('m')}: no {ANY.format('t')} table — those fees are not projected and options needing them are not "
        "offered",
        "{m}：没有{t}费率表——这些费用不做预测，需要它们的处理方式也不提供",
    ),
    # a marketplace's own sentence (the last: any "US: …" not said above)
    ("(?P<m>[A-Z]{2}): (?P<s>.+)", "{m}：{s}"),
)
_SENTENCE_RX = tuple((re.compile(f"^{p}$"), t) for p, t in _SENTENCES)
#: the parts of a sentence that are themselves words of a vocabulary (fba, sea, lost …)
_PART_ZH = {
    "an unknown number of": "未知",
    "no": "无",
    "lost": "丢失",
    "damaged": "损坏",
    "sea": "海运",
    "units": "件数",
    "revenue": "销售额",
    "gross_profit": "毛利",
    "cogs": "销售成本",
    "the cost": "成本",
    "revenue and cost": "销售额和成本",
    "unknown": "未知",
    "sales export": "销售导出",
    "sales data": "销售数据",
    "ending": "期末",
    "starting": "期初",
    "air": "空运",
    "express": "快递",
    "fba": "FBA",
    "domestic": "国内仓",
    "third_party": "第三方仓",
    "in_transit": "在途",
    "ASIN": "ASIN",
    "FNSKU": "FNSKU",
    "FBA ledger": "FBA 台账",
    "ledger:fba or fba_inventory": "FBA 台账或 FBA 库存报告",
    "ledger:fba or reimbursements": "FBA 台账或赔偿报告",
    "sales or ledger": "销售或台账",
    "ledger": "台账",
    "FBA ledger or fba_inventory": "FBA 台账或 FBA 库存报告",
    "FBA ledger or reimbursements": "FBA 台账或赔偿报告",
    "liquidation": "清算",
    "removal": "移除",
    "storage": "仓储",
    "surcharge": "附加费",
}


def sentence(text: str) -> str:
    """A sentence the library wrote, in the current language: in Chinese from the one vocabulary (its numbers,
    codes and dates kept), several sentences joined by "; " each on its own; as written when it is not one of
    them, or in English.

    >>> use_language("zh") and None
    >>> sentence("sea: air would cost 578.41 USD more, above the 0.00 USD of margin it would save")
    '海运：空运要多花 578.41 USD，高于它能挽回的 0.00 USD 毛利'
    >>> sentence("reported 1 lost on 2026-10-31; reported 2 damaged on 2026-10-01")
    '2026-10-31 报告丢失 1 件；2026-10-01 报告损坏 2 件'
    >>> use_language("en") and None
    >>> sentence("sea: lands before the stock runs out")
    'sea: lands before the stock runs out'
    """
    if _state["lang"] != "zh" or not isinstance(text, str) or not text:
        return text
    whole = _one_sentence(text)
    if whole is not None:
        return whole
    parts = text.split("; ")
    if len(parts) > 1:
        return "；".join(_one_sentence(p) or ZH.get(p, p) for p in parts)
    commas = text.split(
        ", "
    )  # a list of sentences ("ending 8 = the sum of the rows, starting 5 = …")
    if len(commas) > 1 and all(_one_sentence(p) for p in commas):
        return "，".join(_one_sentence(p) for p in commas)
    return ZH.get(text, text)


def _one_sentence(text: str) -> str | None:
    for rx, template in _SENTENCE_RX:
        m = rx.match(text)
        if m:
            return template.format(**{k: _part(v) for k, v in m.groupdict().items()})
    return None


def _part(value: str | None) -> str:
    """A part of a sentence in Chinese: a word of a vocabulary, a sentence of its own, or as written (a number)."""
    if value is None:
        return ""
    if value in _PART_ZH:
        return _PART_ZH[value]
    if value in VALUES_ZH:
        return VALUES_ZH[value]
    if value in ZH:
        return ZH[value]
    if " " in value:
        return sentence(value)
    return value


def word(value: str) -> str:
    """A word of the library's vocabularies (a fee table's name, a flow, a mode) in the current language."""
    return _part(value) if _state["lang"] == "zh" else value


def sentences(values: pd.Series) -> pd.Series:
    """A column of sentences in the current language (each distinct sentence translated once)."""
    if _state["lang"] != "zh" or not len(values):
        return values
    distinct = pd.unique(values.dropna())
    return values.map({v: sentence(v) for v in distinct}).where(values.notna(), values)
