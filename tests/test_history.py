"""What changed since the last pack: two months with known changes, built from the sample's pack."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from stockbook import history, i18n, report
from stockbook.cli import main


def _csv(pack, name) -> pd.DataFrame:
    return pd.read_csv(
        pack / "tables" / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )


def _write(df: pd.DataFrame, pack, name) -> None:
    df.to_csv(pack / "tables" / f"{name}.csv", index=False, encoding="utf-8-sig")


@pytest.fixture
def two_months(report, tmp_path):
    """reports/2026-09-30 (the sample's pack, changed in known ways) and reports/2026-10-31 (the pack itself)."""
    out = tmp_path / "reports"
    now = out / "2026-10-31"
    shutil.copytree(report, now)
    before = out / "2026-09-30"
    shutil.copytree(report, before)
    run = json.loads((before / "run.json").read_text(encoding="utf-8"))
    run["period_end"] = "2026-09-30"
    run["headlines"]["01_ledger_reconciliation"]["breaks"] = 4  # now 6: +2
    run["headlines"]["05_replenishment"]["cash_needed"] -= 1000.0  # now 1,000.00 more
    (before / "run.json").write_text(json.dumps(run), encoding="utf-8")

    breaks = _csv(before, "ledger_breaks")
    gone = breaks.iloc[0]  # not in last month's pack: new now
    extra = breaks.iloc[[0]].assign(sku="SB-OLD-999")  # only in last month's: resolved
    _write(pd.concat([breaks.iloc[1:], extra]), before, "ledger_breaks")

    abc = _csv(before, "abc")
    moved = abc.loc[abc["abc_class"] == "A", "sku"].iloc[0]
    abc.loc[abc["sku"] == moved, "abc_class"] = "C"  # C last month, A now
    _write(abc, before, "abc")

    buckets = _csv(before, "aging_buckets")
    aged = buckets.loc[buckets["inv_age_365_plus_days"].astype(float) > 0].iloc[0]
    row = buckets["sku"].eq(aged["sku"]) & buckets["marketplace"].eq(aged["marketplace"])
    buckets.loc[row, "inv_age_271_to_365_days"] = aged[
        "inv_age_365_plus_days"
    ]  # 271–365 last month, 365+ now
    buckets.loc[row, "inv_age_365_plus_days"] = "0"
    _write(buckets, before, "aging_buckets")

    plan = _csv(before, "purchase_plan")
    added = plan["sku"].iloc[0]
    fake = plan.iloc[[0]].assign(
        sku="SB-DROP-1", order_qty="40", goods_cost="100.0", freight_cost="10.0", mode="sea"
    )
    _write(pd.concat([plan.loc[plan["sku"] != added], fake]), before, "purchase_plan")
    return before, now, {"gone_break": gone, "moved": moved, "aged": aged, "added": added}


def test_known_changes_are_found(two_months):
    before, now, known = two_months
    assert history.previous_pack(now.parent, period_end="2026-10-31") == before
    run = json.loads((now / "run.json").read_text(encoding="utf-8"))
    ch = history.compare_packs(before, tables=now / "tables", headlines=run["headlines"])
    assert ch.previous == "2026-09-30"
    h = ch.headlines.set_index("key")
    assert h.loc["breaks", ["before", "now", "change"]].tolist() == [4.0, 6.0, 2.0]
    assert h.loc["cash_needed", "change"] == pytest.approx(1000.0)
    assert (
        h.drop(index=["breaks", "cash_needed"])["change"].fillna(0) == 0
    ).all()  # nothing else moved
    assert ch.new_breaks[["sku", "location", "period"]].values.tolist() == [
        known["gone_break"][["sku", "location", "period"]].tolist()
    ]
    assert ch.resolved_breaks["sku"].tolist() == ["SB-OLD-999"]
    assert ch.class_changes.values.tolist() == [[known["moved"], "C", "A"]]
    assert ch.tier_changes.values.tolist() == [
        [known["aged"]["marketplace"], known["aged"]["sku"], "271–365 days", "365+ days"]
    ]
    assert ch.plan_added == [known["added"]] and ch.plan_dropped == ["SB-DROP-1"]
    now_plan = _csv(now, "purchase_plan")
    lines = ch.plan.set_index("measure")
    assert lines.loc["order_lines", "change"] == 0  # one line out, one in
    assert lines.loc["order_units", "now"] == pd.to_numeric(now_plan["order_qty"]).sum()
    assert ch.new_claims.empty and ch.resolved_claims.empty


def test_the_index_section_says_it(two_months):
    before, now, known = two_months
    run = json.loads((now / "run.json").read_text(encoding="utf-8"))
    changes, trend = report._since_last_pack(now, run, now / "tables", run["headlines"], log=print)
    assert trend["period_end"].tolist() == ["2026-09-30", "2026-10-31"]
    html = report._since_html(changes, currency="USD", titles={})
    assert "Since the last pack (period ending 2026-09-30)" in html
    assert "2 of " in html and "1 new and 1 resolved ledger breaks" in html
    assert "ledger breaks (all history)" in html and ">+2<" in html and "+1,000.00 USD" in html
    assert known["moved"] in html and "SB-DROP-1" in html
    with i18n.speaking("zh"):
        zh = report._since_html(changes, currency="USD", titles={})
    assert "与上一期报告包（截至 2026-09-30）相比" in zh and "新增台账差异" in zh
    assert report.trend_png(trend, currency="USD").startswith("data:image/png;base64,")


def test_history_lists_the_packs(two_months, capsys):
    before, now, _ = two_months
    assert main(["history", "--out", str(now.parent)]) == 0
    printed = capsys.readouterr().out
    assert (
        "2026-09-30" in printed
        and "2026-10-31" in printed
        and "ledger breaks (all history)" in printed
    )
    table = pd.read_csv(now.parent / "history.csv", encoding="utf-8-sig")
    assert table["period_end"].tolist() == ["2026-09-30", "2026-10-31"]
    assert table["breaks"].tolist() == [4, 6]
    assert (now.parent / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_history_of_an_empty_folder_says_so(tmp_path, capsys):
    assert main(["history", "--out", str(tmp_path)]) == 2
    assert "no report packs" in capsys.readouterr().err
