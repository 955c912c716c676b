"""What changed since the last report pack, and the packs over time.

A pack is a dated folder (``reports/2026-10-31/``) with its ``run.json`` (the headline numbers of each
notebook under ``headlines``) and its ``tables/*.csv`` (canonical English codes). Two packs are compared
by those files alone, so any earlier pack in the ``--out`` folder can be the "last month":

* each headline number: before, now, change;
* ledger breaks and claims that are new or resolved, matched on what identifies them (SKU, location and
  month for a break; kind, SKU and reference for a claim);
* SKUs whose ABC class changed;
* SKUs whose oldest stock crossed into an older age tier (0–90, 91–180, 181–270, 271–365, 365+ days);
* the purchase plan: lines, units, goods and freight cost, units by air; SKUs added and dropped.

>>> before = pd.DataFrame({"sku": ["A", "B"], "location": ["US", "US"], "period": ["2026-09", "2026-09"]})
>>> now = pd.DataFrame({"sku": ["B", "C"], "location": ["US", "US"], "period": ["2026-09", "2026-10"]})
>>> new, resolved = keyed_changes(before, now, key=["sku", "location", "period"])
>>> new["sku"].tolist(), resolved["sku"].tolist()
(['C'], ['A'])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from stockbook.schema import AGE_BUCKETS

#: what identifies a row of each compared table from one pack to the next
BREAK_KEY = ["sku", "location", "period"]
CLAIM_KEYS = {
    "claims_and_investigations": ["action", "kind", "sku", "where"],
    "reimbursement_claims": ["kind", "sku", "reference"],
}
#: the age tiers, youngest first: the FBA Inventory report's buckets
AGE_TIERS: tuple[str, ...] = tuple(AGE_BUCKETS)
TIER_LABELS = {
    b: f"{lo}–{hi} days" if hi is not None else f"{lo - 1}+ days"
    for b, (lo, hi) in AGE_BUCKETS.items()
}


@dataclass(frozen=True)
class Changes:
    """What changed from the ``previous`` pack (its period end) to this one."""

    previous: str
    headlines: pd.DataFrame  # notebook, key, before, now, change
    new_breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    resolved_breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_claims: pd.DataFrame = field(default_factory=pd.DataFrame)
    resolved_claims: pd.DataFrame = field(default_factory=pd.DataFrame)
    class_changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # sku, before, now
    tier_changes: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # marketplace, sku, before, now
    plan: pd.DataFrame = field(default_factory=pd.DataFrame)  # measure, before, now, change
    plan_added: list[str] = field(default_factory=list)
    plan_dropped: list[str] = field(default_factory=list)


def packs(out: str | Path) -> pd.DataFrame:
    """Every pack under ``out`` (a dated folder with a ``run.json``), oldest first: its period end, folder,
    when it was made, its reporting currency, and its headline numbers (one column per headline, blank where a pack has none).

    >>> packs("/nonexistent").empty
    True
    """
    rows = []
    root = Path(out)
    for run_json in sorted(root.glob("*/run.json")) if root.is_dir() else []:
        if not re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", run_json.parent.name
        ):  # not a pack being written (.…tmp-)
            continue
        try:
            run = json.loads(run_json.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        figures = {
            k: v
            for numbers in (run.get("headlines") or {}).values()
            for k, v in numbers.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
        rows.append(
            {
                "period_end": str(run.get("period_end", run_json.parent.name)),
                "pack": str(run_json.parent),
                "created": run.get("created", ""),
                "currency": str((run.get("parameters") or {}).get("reporting_currency", "USD")),
                **figures,
            }
        )
    if not rows:
        return pd.DataFrame(columns=["period_end", "pack", "created", "currency"])
    return pd.DataFrame(rows).sort_values("period_end", ignore_index=True)


def previous_pack(out: str | Path, *, period_end: str) -> Path | None:
    """The latest pack under ``out`` whose period ends before ``period_end`` (None when there is none)."""
    p = packs(out)
    earlier = p.loc[p["period_end"] < str(period_end)]
    return Path(earlier["pack"].iloc[-1]) if len(earlier) else None


def headline_changes(
    before: dict[str, dict[str, object]], now: dict[str, dict[str, object]]
) -> pd.DataFrame:
    """Each headline number of ``now`` with its value in ``before`` and the change (blank where either is
    not a number).

    >>> headline_changes({"01": {"breaks": 6}}, {"01": {"breaks": 4, "actions": 2}}).values.tolist()
    [['01', 'breaks', 6.0, 4.0, -2.0], ['01', 'actions', nan, 2.0, nan]]
    """
    rows = []
    for nb, numbers in now.items():
        for key, value in numbers.items():
            old = (before.get(nb) or {}).get(key)
            rows.append({"notebook": nb, "key": key, "before": _number(old), "now": _number(value)})
    out = pd.DataFrame(rows, columns=["notebook", "key", "before", "now"])
    out["before"] = out["before"].astype("float64")
    out["now"] = out["now"].astype("float64")
    return out.assign(change=out["now"] - out["before"])


def _number(v: object) -> float:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan


def keyed_changes(
    before: pd.DataFrame, now: pd.DataFrame, *, key: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of ``now`` whose ``key`` was not in ``before`` (new), and rows of ``before`` whose key is gone
    (resolved). A table without one of the key columns compares as empty."""
    if not set(key) <= set(before.columns) or not set(key) <= set(now.columns):
        return now.iloc[0:0], before.iloc[0:0]
    b = before[key].astype("string").fillna("")
    n = now[key].astype("string").fillna("")
    b_keys = pd.MultiIndex.from_frame(b)
    n_keys = pd.MultiIndex.from_frame(n)
    return now.loc[~n_keys.isin(b_keys)].reset_index(drop=True), before.loc[
        ~b_keys.isin(n_keys)
    ].reset_index(drop=True)


def class_changes(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """SKUs whose ABC class differs between two ``abc`` tables (a SKU new to the table is not a change).

    >>> b = pd.DataFrame({"sku": ["A", "B"], "abc_class": ["A", "B"]})
    >>> n = pd.DataFrame({"sku": ["A", "B", "C"], "abc_class": ["B", "B", "A"]})
    >>> class_changes(b, n).values.tolist()
    [['A', 'A', 'B']]
    """
    cols = ["sku", "before", "now"]
    if "abc_class" not in before.columns or "abc_class" not in now.columns:
        return pd.DataFrame(columns=cols)
    m = before[["sku", "abc_class"]].merge(
        now[["sku", "abc_class"]], on="sku", suffixes=("_before", "_now")
    )
    m = m.loc[m["abc_class_before"].astype(str) != m["abc_class_now"].astype(str)]
    return m.rename(columns={"abc_class_before": "before", "abc_class_now": "now"})[
        cols
    ].sort_values(["now", "sku"], ignore_index=True)


def oldest_tier(buckets: pd.DataFrame) -> pd.Series:
    """Each row's oldest age tier holding units, as its position in ``AGE_TIERS`` (-1: no units).

    >>> b = pd.DataFrame({"inv_age_0_to_90_days": [5, 0], "inv_age_181_to_270_days": [2, 0]})
    >>> oldest_tier(b).tolist()
    [2, -1]
    """
    held = np.column_stack(
        [
            pd.to_numeric(buckets[c], errors="coerce").fillna(0).to_numpy() > 0
            if c in buckets.columns
            else np.zeros(len(buckets), dtype=bool)
            for c in AGE_TIERS
        ]
    )
    last = len(AGE_TIERS) - 1 - np.argmax(held[:, ::-1], axis=1)
    return pd.Series(np.where(held.any(axis=1), last, -1), index=buckets.index)


def tier_changes(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """SKUs (per marketplace) whose oldest stock is in an older age tier now than in the last pack.

    >>> b = pd.DataFrame({"marketplace": ["US"], "sku": ["A"], "inv_age_91_to_180_days": [3]})
    >>> n = pd.DataFrame({"marketplace": ["US"], "sku": ["A"], "inv_age_181_to_270_days": [3]})
    >>> tier_changes(b, n).values.tolist()
    [['US', 'A', '91–180 days', '181–270 days']]
    """
    cols = ["marketplace", "sku", "before", "now"]
    if "sku" not in before.columns or "sku" not in now.columns:
        return pd.DataFrame(columns=cols)
    on = [c for c in ("marketplace", "sku") if c in before.columns and c in now.columns]
    b = before[on].assign(tier_before=oldest_tier(before))
    n = now[on].assign(tier_now=oldest_tier(now))
    m = n.merge(b, on=on, how="inner")
    m = m.loc[m["tier_now"] > m["tier_before"]]
    label = {i: TIER_LABELS[t] for i, t in enumerate(AGE_TIERS)} | {-1: "none"}
    out = m.assign(before=m["tier_before"].map(label), now=m["tier_now"].map(label))
    if "marketplace" not in out.columns:
        out["marketplace"] = ""
    return out.sort_values(["tier_now", "sku"], ascending=[False, True])[cols].reset_index(
        drop=True
    )


#: the purchase plan's totals compared: measure -> (column, how)
PLAN_MEASURES = {
    "order_lines": ("sku", "count"),
    "order_units": ("order_qty", "sum"),
    "goods_cost": ("goods_cost", "sum"),
    "freight_cost": ("freight_cost", "sum"),
}


def plan_change(
    before: pd.DataFrame, now: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The purchase plan's totals before and now (lines, units, goods and freight cost, units by air), and
    the SKUs the plan added and dropped.

    >>> b = pd.DataFrame({"sku": ["A", "B"], "order_qty": [10, 5], "mode": ["sea", "air"], "goods_cost": [1.0, 2.0],
    ...                   "freight_cost": [0.5, 0.5]})
    >>> n = pd.DataFrame({"sku": ["B", "C"], "order_qty": [8, 4], "mode": ["sea", "sea"], "goods_cost": [3.0, 1.0],
    ...                   "freight_cost": [0.2, 0.1]})
    >>> t, added, dropped = plan_change(b, n)
    >>> t.set_index("measure")["change"].round(2).to_dict(), added, dropped
    ({'order_lines': 0.0, 'order_units': -3.0, 'goods_cost': 1.0, 'freight_cost': -0.7, 'units_by_air': -5.0}, ['C'], ['A'])
    """

    def totals(p: pd.DataFrame) -> dict[str, float]:
        out = {}
        for name, (col, how) in PLAN_MEASURES.items():
            s = p[col] if col in p.columns else pd.Series(dtype="float64")
            out[name] = (
                float(len(s)) if how == "count" else float(pd.to_numeric(s, errors="coerce").sum())
            )
        air = (
            p["mode"].astype(str).eq("air")
            if "mode" in p.columns
            else pd.Series(False, index=p.index)
        )
        qty = pd.to_numeric(p["order_qty"], errors="coerce") if "order_qty" in p.columns else 0
        out["units_by_air"] = float((qty * air).sum()) if len(p) else 0.0
        return out

    tb, tn = totals(before), totals(now)
    table = pd.DataFrame(
        {"measure": list(tn), "before": [tb[k] for k in tn], "now": [tn[k] for k in tn]}
    )
    table["change"] = table["now"] - table["before"]
    skus_b = set(before["sku"].astype(str)) if "sku" in before.columns else set()
    skus_n = set(now["sku"].astype(str)) if "sku" in now.columns else set()
    return table, sorted(skus_n - skus_b), sorted(skus_b - skus_n)


def read_table(pack: Path, name: str) -> pd.DataFrame:
    """A pack's ``tables/<name>.csv`` as text columns (empty when the pack has no such table)."""
    path = Path(pack) / "tables" / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def compare_packs(
    previous: Path, *, tables: Path, headlines: dict[str, dict[str, object]]
) -> Changes:
    """What changed from the pack in ``previous`` to the one being written (its ``tables`` folder and its
    ``headlines``)."""
    run = json.loads((Path(previous) / "run.json").read_text(encoding="utf-8"))
    now_pack = Path(tables).parent

    def both(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        return read_table(previous, name), read_table(now_pack, name)

    new_b, res_b = keyed_changes(*both("ledger_breaks"), key=BREAK_KEY)
    new_c, res_c = [], []
    for name, key in CLAIM_KEYS.items():
        n, r = keyed_changes(*both(name), key=key)
        new_c.append(n)
        res_c.append(r)
    plan, added, dropped = plan_change(*both("purchase_plan"))
    return Changes(
        previous=str(run.get("period_end", Path(previous).name)),
        headlines=headline_changes(run.get("headlines") or {}, headlines),
        new_breaks=new_b,
        resolved_breaks=res_b,
        new_claims=pd.concat(new_c, ignore_index=True)
        if any(len(x) for x in new_c)
        else pd.DataFrame(),
        resolved_claims=pd.concat(res_c, ignore_index=True)
        if any(len(x) for x in res_c)
        else pd.DataFrame(),
        class_changes=class_changes(*both("abc")),
        tier_changes=tier_changes(*both("aging_buckets")),
        plan=plan,
        plan_added=added,
        plan_dropped=dropped,
    )
