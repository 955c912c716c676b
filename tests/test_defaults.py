"""Each parameter's default lives in one place, the library's dataclass: a notebook's parameters cell (which must
hold literals for papermill) says the same, or this test names the parameter that drifted.

A drift is silent otherwise: a seller running ``reimbursement_pack`` from a script gets the dataclass's value, the
report gets the notebook's."""

from __future__ import annotations

import dataclasses
import json

import pytest
from stockbook import aging, classes, reimburse, replenish
from stockbook.report import NOTEBOOK_DIR

#: the dataclasses each notebook builds from its parameters cell (by field name)
TERMS = {
    "02_abc_pareto": (classes.ClassRule,),
    "03_turnover": (classes.ClassRule,),
    "04_aging_clearance": (aging.ClearanceTerms, classes.ClassRule),
    "05_replenishment": (
        replenish.Policy,
        replenish.LeadTimes,
        replenish.DemandSettings,
        classes.ClassRule,
    ),
    "06_reimbursements": (reimburse.ClaimTerms,),
}
#: a notebook parameter written differently from its field on purpose (the parameters cell takes literals only:
#: "None" is written -1, and the notebook's from_parameters turns it back)
SPELLED_APART = {("04_aging_clearance", "recovery_rate"): (-1.0, None)}


def _parameters(name: str) -> dict[str, object]:
    nb = json.loads((NOTEBOOK_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    values: dict[str, object] = {}
    exec("".join(cell["source"]), {}, values)  # noqa: S102 - the project's own parameters cell: literals only
    return values


@pytest.mark.parametrize("name", sorted(TERMS))
def test_a_notebooks_parameter_defaults_are_its_dataclasses(name):
    params = _parameters(name)
    compared = 0
    for cls in TERMS[name]:
        for f in dataclasses.fields(cls):
            if f.name not in params or f.default is dataclasses.MISSING:
                continue
            want, got = f.default, params[f.name]
            if (name, f.name) in SPELLED_APART:
                assert (got, want) == SPELLED_APART[(name, f.name)], (name, f.name)
            else:
                assert got == want, (
                    f"{name}: {f.name} = {got!r} in the notebook, {want!r} in {cls.__name__}"
                )
            compared += 1
    assert compared >= 3  # the test compares something: a renamed field would make it vacuous


def test_the_replay_plans_as_often_as_the_plan(monkeypatch, sample_data):
    """``-p review_days=14`` reached the plan but not its replay, which re-planned every 7 days."""
    import pandas as pd
    from stockbook.replenish import backtest

    seen = {}

    def capture(seller, **kw):
        seen.update(kw)
        return pd.DataFrame()

    monkeypatch.setattr(backtest, "replay_seller", capture)
    backtest.backtest_data(
        sample_data,
        as_of="2026-10-31",
        classes=None,
        policy=replenish.Policy(review_days=14),
        currency="USD",
    )
    assert seen["replay"].review_days == 14
