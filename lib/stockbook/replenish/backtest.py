"""The weekly replay: a seller's last months replayed day by day, re-planning every week, under the policy
and under the rules sellers use instead.

**The world.** True demand per SKU and day is known to the replay and hidden from every rule: each sees
only what sold (zero on a stock-out day) up to the day it plans. Lead times are drawn per order
(production ~ N(production, σ), transit ~ N(transit(mode), σ(mode)), at least a day) from one seed, so every
rule meets the same kind of delays. All rules start from the same state: 30 days of stock at FBA and one
lead time of arrivals on their way.

**stockbook** re-plans every ``review_days`` through :func:`~stockbook.replenish.plan.plan_orders`, the
function ``plan_replenishment`` calls for the notebook, with the replay's own position (FBA on hand,
inbound, domestic, **on order**). Purchases land in the domestic warehouse after production (air lines
fly straight on); shipments to FBA leave the domestic warehouse by their line's mode.

**The rules** order from the supplier straight to FBA by sea (lead = production + sea transit), with the
30-day average counting stock-out days as zeros, as the tools do:

- ``amazon``: every week, ``avg30 · (L + 60) − position`` (the Restock Inventory kind of rule);
- ``js60``/``js90`` (Jungle Scout): when ``position < avg30 · (L + R)``, order ``60`` or ``90 · avg30``;
- ``oup8w``: every week, up to ``avg56 · (L + 56)``: eight weeks beyond the lead time.

**Measures** count from one network lead time after the start (when the replay's own orders land):
fill rate (units served / units wanted), stock-out days (days starting with no sellable unit at FBA while
the SKU has demand), average stock in units and at cost at FBA and in the domestic warehouse (not in
transit), supplier orders, freight and the share of units flown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from stockbook import fees
from stockbook.classes import abc_rule, class_of
from stockbook.money import rates_for, restate
from stockbook.replenish.demand import DemandSettings
from stockbook.replenish.lead_time import LeadTimes
from stockbook.replenish.plan import PlanInputs, inputs_from_folder, plan_orders
from stockbook.replenish.policy import Policy, freight_per_unit, round_to_case
from stockbook.stock import DemandMatrix

Rule = Literal["stockbook", "amazon", "js60", "js90", "oup8w"]
RULES: tuple[str, ...] = ("stockbook", "amazon", "js60", "js90", "oup8w")
SellerKind = Literal["seasonal", "intermittent", "launch"]


@dataclass(frozen=True)
class Seller:
    """A seller to replay: true demand over history + replay, what the history shows, and the SKU master."""

    name: str
    dates: pd.DatetimeIndex  # every day, history then replay
    demand: np.ndarray  # SKU × day, true demand
    observed: np.ndarray  # SKU × day, sales in the history (demand cut by its stock-outs)
    in_stock: np.ndarray  # SKU × day, in-stock days of the history
    products: (
        pd.DataFrame
    )  # indexed by sku: unit_cost, price, cubic_feet, weight_lb, case_pack, moq, category …
    abc_class: np.ndarray  # per SKU
    replay_days: int = 184
    #: per SKU: vat_rate, fulfilment_fee (the plan's :attr:`PlanInputs.fees`)
    fees: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def history_days(self) -> int:
        return self.demand.shape[1] - self.replay_days


@dataclass(frozen=True)
class Replay:
    """How the replay runs: the lead times drawn, the planning rhythm, what the rules use."""

    lead: LeadTimes = field(default_factory=LeadTimes)
    review_days: int = 7
    history_days: int = 365 + 150  # what the planner sees (as plan_replenishment reads)
    seed: int = 11


def _draw(rng: np.random.Generator, mean, sd, size) -> np.ndarray:
    return np.maximum(np.round(rng.normal(mean, sd, size)), 1).astype(np.int64)


def simulate(
    seller: Seller,
    rule: str,
    *,
    policy: Policy = Policy(),
    demand: DemandSettings = DemandSettings(),
    replay: Replay = Replay(),
) -> dict[str, np.ndarray]:
    """Replay ``seller`` under one rule; per-SKU totals over the measured days (module text).

    The replay measures the policy's stock and service against rules that ignore money, so stockbook's plan
    keeps buying the lines it would hold back as decisions (``plan_at_a_loss``): what the seller decides for
    a SKU that loses money is not replayed."""
    buying = replace(policy, plan_at_a_loss=True)
    n = len(seller.products)
    h0, days = seller.history_days, seller.replay_days
    lead = replay.lead
    rng = np.random.default_rng(replay.seed)
    prod = seller.products
    production = (
        prod["production_days"].astype("Float64").fillna(lead.production).to_numpy(dtype=float)
    )
    l_sea = production + lead.transit("sea")
    horizon = (
        days + int(l_sea.max() + 6 * lead.production_sd + 6 * max(lead.transit_sd.values())) + 60
    )
    to_fba = np.zeros((n, horizon))  # arrivals at FBA per day
    to_dom = np.zeros((n, horizon))  # purchases arriving at the domestic warehouse
    units = np.concatenate([seller.observed[:, :h0], np.zeros((n, days))], axis=1)
    in_stock = np.concatenate([seller.in_stock[:, :h0], np.zeros((n, days), dtype=bool)], axis=1)
    true_rate = seller.demand[:, max(h0 - 30, 0) : h0].mean(axis=1)
    fba = np.floor(true_rate * 30)
    start_lead = int(np.round(lead.production + lead.transit("sea")))
    to_fba[:, :start_lead] = true_rate[:, None]  # one lead time of arrivals on their way
    dom = np.zeros(n)
    warm_up = start_lead
    cube = prod["cubic_feet"].astype("Float64").fillna(0.1).to_numpy(dtype=float)
    weight = prod["weight_lb"].astype("Float64").fillna(1).to_numpy(dtype=float)
    rates = {"air_rate_per_kg": policy.air_rate_per_kg, "sea_rate_per_cbm": policy.sea_rate_per_cbm}
    f_air = freight_per_unit(mode="air", weight_lb=weight, cubic_feet=cube, **rates)
    f_sea = freight_per_unit(mode="sea", weight_lb=weight, cubic_feet=cube, **rates)
    case = prod["case_pack"].astype("Float64").fillna(1).to_numpy(dtype=float)
    cls = pd.Series(seller.abc_class, index=prod.index)
    out = {
        k: np.zeros(n)
        for k in (
            "served",
            "wanted",
            "stockout_days",
            "fba_units",
            "domestic_units",
            "orders",
            "freight",
            "air_units",
            "shipped_units",
            "measured_days",
        )
    }
    rows = np.arange(n)
    for t in range(days):  # days of the replay, each vectorised over SKUs
        fba = fba + to_fba[:, t]
        dom = dom + to_dom[:, t]
        start = fba.copy()
        want = seller.demand[:, h0 + t]
        sold = np.minimum(want, np.floor(fba))
        fba = fba - sold
        units[:, h0 + t] = sold
        in_stock[:, h0 + t] = (start >= 1) | (sold > 0)
        if t >= warm_up:
            out["served"] += sold
            out["wanted"] += want
            out["stockout_days"] += (start < 1) & (want > 0)
            out["fba_units"] += fba
            out["domestic_units"] += dom
            out["measured_days"] += 1
        if t % replay.review_days:
            continue
        inbound = to_fba[:, t + 1 :].sum(axis=1)
        ordered = to_dom[:, t + 1 :].sum(axis=1)
        hist_u, hist_k = units[:, : h0 + t + 1], in_stock[:, : h0 + t + 1]
        if rule == "stockbook":
            lo = max(0, h0 + t + 1 - replay.history_days)
            m = DemandMatrix(
                prod.index, seller.dates[lo : h0 + t + 1], hist_u[:, lo:], hist_k[:, lo:], True
            )
            position = (
                pd.DataFrame(
                    {"available": fba, "inbound": inbound, "domestic": dom, "on_order": ordered},
                    index=prod.index,
                )
                .round()
                .astype("int64")
            )
            _, plan, _ = plan_orders(
                PlanInputs(seller.dates[h0 + t], m, prod, position, fees=seller.fees),
                policy=buying,
                lead=lead,
                demand=demand,
                classes=cls,
                currency="",  # the replay reads quantities and money, not the lines' reasons
            )
            plan = plan.loc[plan["order_qty"] > 0]
            r = prod.index.get_indexer(plan["sku"])
            q = plan["order_qty"].to_numpy(dtype=float)
            air = (plan["mode"] == "air").to_numpy()
            buy = (plan["kind"] == "purchase").to_numpy()
            ship = ~buy
            # shipments leave the domestic warehouse now
            take = np.zeros(n)
            np.add.at(take, r[ship], q[ship])
            take = np.minimum(take, dom)
            dom = dom - take
            p_days = _draw(rng, production[r], lead.production_sd, len(r))
            t_days = np.where(
                air,
                _draw(rng, lead.transit("air"), lead.transit_sd["air"], len(r)),
                _draw(rng, lead.transit("sea"), lead.transit_sd["sea"], len(r)),
            )
            # purchases by sea wait in the domestic warehouse; purchases by air fly on after production
            land_dom = buy & ~air
            np.add.at(
                to_dom, (r[land_dom], np.minimum(t + p_days[land_dom], horizon - 1)), q[land_dom]
            )
            direct = buy & air
            np.add.at(
                to_fba,
                (r[direct], np.minimum(t + p_days[direct] + t_days[direct], horizon - 1)),
                q[direct],
            )
            np.add.at(to_fba, (r[ship], np.minimum(t + t_days[ship], horizon - 1)), q[ship])
            counted = t >= warm_up
            np.add.at(out["orders"], r[buy], counted)
            legs = ship | direct  # freight is paid once per unit, on its way to FBA
            np.add.at(
                out["freight"], r[legs], counted * q[legs] * np.where(air, f_air[r], f_sea[r])[legs]
            )
            np.add.at(out["air_units"], r[air], counted * q[air])
            np.add.at(out["shipped_units"], r, counted * q * (ship | air))
            continue
        position = fba + inbound
        avg30 = hist_u[:, -30:].mean(axis=1)
        lt = l_sea
        if rule == "amazon":
            qty = avg30 * (lt + 60) - position
        elif rule in ("js60", "js90"):
            qty = np.where(
                position < avg30 * (lt + replay.review_days),
                (60 if rule == "js60" else 90) * avg30,
                0,
            )
        elif rule == "oup8w":
            qty = hist_u[:, -56:].mean(axis=1) * (lt + 56) - position
        else:
            raise ValueError(f"unknown rule {rule!r}: expected one of {', '.join(RULES)}")
        q = round_to_case(np.clip(qty, 0, None), case).astype(float)
        hit = q > 0
        arrive = (
            t
            + _draw(rng, production, lead.production_sd, n)
            + _draw(rng, lead.transit("sea"), lead.transit_sd["sea"], n)
        )
        np.add.at(to_fba, (rows[hit], np.minimum(arrive[hit], horizon - 1)), q[hit])
        counted = t >= warm_up
        out["orders"] += hit * counted
        out["freight"] += q * f_sea * counted
        out["shipped_units"] += q * counted
    return out


def summarise(seller: Seller, results: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """Per rule and ABC class (and ``all``): fill rate, stock-out days, average stock (units, at cost; FBA and
    domestic), supplier orders, freight and air share."""
    cost = seller.products["unit_cost"].astype("Float64").fillna(0).to_numpy(dtype=float)
    rows = []
    for rule, r in results.items():
        days = max(float(r["measured_days"].max()), 1.0)
        for cls in ("A", "B", "C", "all"):
            k = np.ones(len(cost), bool) if cls == "all" else seller.abc_class == cls
            if not k.any():
                continue
            fba_u, dom_u = r["fba_units"][k].sum() / days, r["domestic_units"][k].sum() / days
            rows.append(
                {
                    "seller": seller.name,
                    "rule": rule,
                    "abc_class": cls,
                    "skus": int(k.sum()),
                    "fill_rate": r["served"][k].sum() / max(r["wanted"][k].sum(), 1),
                    "stockout_days": int(r["stockout_days"][k].sum()),
                    "avg_stock_units": fba_u + dom_u,
                    "avg_fba_units": fba_u,
                    "avg_domestic_units": dom_u,
                    "avg_stock_value": float(
                        ((r["fba_units"][k] + r["domestic_units"][k]) * cost[k]).sum() / days
                    ),
                    "orders": int(r["orders"][k].sum()),
                    "freight": float(r["freight"][k].sum()),
                    "air_share": float(
                        r["air_units"][k].sum() / max(r["shipped_units"][k].sum(), 1)
                    ),
                }
            )
    out = pd.DataFrame(rows)
    for c in ("fill_rate", "air_share"):
        out[c] = out[c].round(4)
    for c in (
        "avg_stock_units",
        "avg_fba_units",
        "avg_domestic_units",
        "avg_stock_value",
        "freight",
    ):
        out[c] = out[c].round(2)
    return out


def goal(summary: pd.DataFrame, *, target_fill: float = 0.97) -> pd.DataFrame:
    """Per seller: stockbook's A-class fill and its average stock against the rules': the ratio to the rule
    with the least stock, and to the least-stock rule among those that reach ``target_fill`` on A items.

    >>> s = pd.DataFrame({"seller": "x", "rule": ["stockbook", "amazon", "js60"], "abc_class": "all",
    ...     "fill_rate": [0.99, 0.99, 0.9], "avg_stock_units": [70.0, 100.0, 60.0], "avg_stock_value": [700.0,
    ...     1000.0, 600.0]})
    >>> s = pd.concat([s, s.assign(abc_class="A")])
    >>> goal(s)[["stock_vs_least_rule", "stock_vs_best_rule_at_target", "best_rule_at_target"]].values.tolist()
    [[0.1667, -0.3, 'amazon']]
    """
    rows = []
    for seller, g in summary.groupby("seller", sort=False):
        a = g.loc[g["abc_class"] == "A"].set_index("rule")
        tot = g.loc[g["abc_class"] == "all"].set_index("rule")
        rules = [r for r in tot.index if r != "stockbook"]
        least = tot.loc[rules, "avg_stock_value"].idxmin()
        at_target = [r for r in rules if a.loc[r, "fill_rate"] >= target_fill]
        best = tot.loc[at_target, "avg_stock_value"].idxmin() if at_target else None
        ours = tot.loc["stockbook"]
        rows.append(
            {
                "seller": seller,
                "fill_rate_A": a.loc["stockbook", "fill_rate"],
                "stock_value": ours["avg_stock_value"],
                "stock_units": ours["avg_stock_units"],
                "least_stock_rule": least,
                "stock_vs_least_rule": round(
                    ours["avg_stock_value"] / tot.loc[least, "avg_stock_value"] - 1, 4
                ),
                "best_rule_at_target": best,
                "stock_vs_best_rule_at_target": round(
                    ours["avg_stock_value"] / tot.loc[best, "avg_stock_value"] - 1, 4
                )
                if best
                else np.nan,
                "units_vs_best_rule_at_target": round(
                    ours["avg_stock_units"] / tot.loc[best, "avg_stock_units"] - 1, 4
                )
                if best
                else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["goal_met"] = (out["fill_rate_A"] >= target_fill) & (
        out["stock_vs_best_rule_at_target"] <= -0.2
    )
    return out


def replay_seller(
    seller: Seller,
    *,
    rules: tuple[str, ...] = RULES,
    policy: Policy = Policy(),
    demand: DemandSettings = DemandSettings(),
    replay: Replay = Replay(),
) -> pd.DataFrame:
    """:func:`simulate` every rule on one seller and :func:`summarise` them."""
    return summarise(
        seller, {r: simulate(seller, r, policy=policy, demand=demand, replay=replay) for r in rules}
    )


# ---------------------------------------------------------------------------- sellers


def generated_seller(
    kind: SellerKind,
    *,
    n_skus: int = 200,
    days: int = 549,
    replay_days: int = 184,
    seed: int = 5,
    start: str = "2024-08-01",
) -> Seller:
    """A generated seller of 18 months whose last ``replay_days`` (August to January: Q4 inside) are replayed.

    - ``seasonal``: categories with a Q4 peak of 1.3–2.5× (ramping through November, highest before
      Christmas, a January trough) and a Prime Day spike, two categories flat;
    - ``intermittent``: 70 % of SKUs sell on 3–40 % of days, a few units at a time;
    - ``launch``: 60 % of SKUs launch during the history and ramp up over 1–3 months; their history hides
      15–40 % of days behind stock-outs.

    Demand is gamma-Poisson (over-dispersed). Every kind's history has some stock-outs.
    """
    rng = np.random.default_rng(seed + {"seasonal": 0, "intermittent": 100, "launch": 200}[kind])
    dates = pd.date_range(start, periods=days)
    n_cat = 8
    cat = rng.integers(0, n_cat, n_skus)
    base = np.exp(rng.normal(np.log(3.0), 1.0, n_skus)).clip(0.05, 80)
    season = np.ones((n_cat, days))
    doy = dates.dayofyear.to_numpy()
    if kind == "seasonal":
        peak = rng.uniform(1.3, 2.5, n_cat)
        peak[:2] = 1.0
        ramp = np.clip((doy - 300) / 45, 0, 1)  # late October to mid-December
        dec = np.asarray(dates.month == 12) & np.asarray(dates.day <= 22)
        curve = np.where(dec, 1.0, ramp) * np.asarray(dates.month >= 10)
        season = 1 + (peak[:, None] - 1) * curve[None, :]
        season[:, np.asarray(dates.month == 1)] *= 0.8
        prime = np.asarray(dates.month == 7) & np.isin(dates.day, [15, 16])
        season[2:, prime] *= 2.0
    rate = base[:, None] * season[cat]
    if kind == "launch":
        new = rng.random(n_skus) < 0.6
        launch = rng.integers(60, days - replay_days - 30, n_skus)
        ramp_days = rng.integers(30, 90, n_skus)
        age = np.arange(days)[None, :] - launch[:, None]
        growth = np.clip(age / ramp_days[:, None], 0, 1)
        rate = np.where(new[:, None], rate * growth * (age >= 0), rate)
        listed = ~new[:, None] | (age >= 0)  # before its launch a SKU has no stock and no sales
    gamma = rng.gamma(5.0, 1 / 5.0, (n_skus, days))
    demand = rng.poisson(rate * gamma).astype(float)
    if kind == "intermittent":
        lumpy = rng.random(n_skus) < 0.7
        p = rng.uniform(0.03, 0.4, n_skus)
        size = 1 + rng.poisson(rng.uniform(0.5, 4, n_skus)[:, None], (n_skus, days))
        sparse = (rng.random((n_skus, days)) < p[:, None]) * size
        demand = np.where(lumpy[:, None], sparse, demand).astype(float)
    h = days - replay_days
    in_stock = np.ones((n_skus, days), dtype=bool)
    share = rng.uniform(0.15, 0.4, n_skus) if kind == "launch" else rng.uniform(0.0, 0.1, n_skus)
    idx = np.arange(days)[None, :]
    for _ in range(3):  # three outages per SKU in the history, vectorised over SKUs
        length = np.round(share * h / 3).astype(int)
        first = rng.integers(0, max(h - int(length.max()) - 1, 1), n_skus)
        in_stock &= ~((idx >= first[:, None]) & (idx < (first + length)[:, None]) & (idx < h))
    if kind == "launch":
        in_stock &= listed
    observed = demand * in_stock
    skus = pd.Index([f"{kind[:3].upper()}-{i:04d}" for i in range(n_skus)], name="sku")
    cost = np.round(rng.uniform(2, 20, n_skus), 2)
    products = pd.DataFrame(
        {
            "unit_cost": cost,
            "price": np.round(cost * rng.uniform(2.2, 4.0, n_skus), 2),
            "cubic_feet": np.round(rng.uniform(0.02, 0.6, n_skus), 3),
            "weight_lb": np.round(rng.uniform(0.2, 4, n_skus), 2),
            "case_pack": rng.choice([1, 6, 12, 24], n_skus).astype(float),
            "moq": 0.0,
            "production_days": np.nan,
            "supplier": pd.array([f"S{c}" for c in cat], dtype="string"),
            "category": pd.array([f"cat{c}" for c in cat], dtype="string"),
        },
        index=skus,
    )
    revenue = observed[:, h - 365 : h].sum(axis=1) * products["price"].to_numpy()
    # US large-standard items: their fee from Amazon's table by weight, volume and price
    unit = fees.fulfilment_fees(
        fees.load_fee_table("fulfilment_fees.csv"),
        marketplace=["US"] * n_skus,
        size_tier=["Large Standard-Size"] * n_skus,
        weight_lb=products["weight_lb"],
        cubic_feet=products["cubic_feet"],
        price=products["price"],
        on=dates[-1],
    )
    unit = unit.rename(columns={"fee": "fulfilment_fee"}).drop(columns="currency").set_index(skus)
    unit.insert(0, "vat_rate", 0.0)
    return Seller(
        kind, dates, demand, observed, in_stock, products, abc_rule(revenue), replay_days, unit
    )


def seller_from_folder(
    data,
    *,
    as_of: str | pd.Timestamp,
    classes: pd.DataFrame | None,
    replay_days: int = 184,
    currency: str | None,
    seed: int = 11,
) -> Seller | None:
    """A data folder's sales as a seller to replay: the last ``replay_days`` replayed, the days before as
    history. Demand on a replayed stock-out day (which the sales hide) is drawn as Poisson at the SKU's
    in-stock rate over the 60 days before, with a fixed seed. ``None`` without daily sales to replay."""
    if not data.has("sales"):
        return None
    inputs = inputs_from_folder(
        data, as_of=as_of, currency=currency, history_days=replay_days + 400
    )
    m = inputs.matrix
    keep = inputs.products.index.get_indexer(m.skus) >= 0
    units, k = m.units[keep], m.in_stock[keep]
    if not units.size or not units[:, -replay_days:].sum():
        return None
    rng = np.random.default_rng(seed)
    cum = np.concatenate([np.zeros((len(units), 1)), np.cumsum(units * k, axis=1)], axis=1)
    ck = np.concatenate([np.zeros((len(units), 1)), np.cumsum(k, axis=1, dtype=float)], axis=1)
    t = np.arange(units.shape[1] - replay_days, units.shape[1])
    lo = np.maximum(t - 60, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.nan_to_num((cum[:, t] - cum[:, lo]) / (ck[:, t] - ck[:, lo]))
    demand = units.copy()
    demand[:, t] = np.where(k[:, t], units[:, t], rng.poisson(rate))
    skus = m.skus[keep]
    cls = class_of(classes, skus).to_numpy(dtype=str)
    return Seller(
        "sample",
        m.dates,
        demand,
        units,
        k,
        inputs.products.reindex(skus),
        cls,
        replay_days,
        inputs.fees.reindex(skus) if len(inputs.fees) else pd.DataFrame(),
    )


def backtest_data(
    data,
    *,
    as_of: str,
    classes: pd.DataFrame | None,
    replay_days: int = 184,
    policy: Policy = Policy(),
    lead: LeadTimes = LeadTimes(),
    demand: DemandSettings = DemandSettings(),
    rules: tuple[str, ...] = RULES,
    currency: str | None,
) -> pd.DataFrame:
    """The replay on a data folder with the user's own settings (notebook 05); empty without daily sales."""
    seller = seller_from_folder(
        data, as_of=as_of, classes=classes, replay_days=replay_days, currency=currency
    )
    if seller is None:
        return pd.DataFrame(
            columns=[
                "seller",
                "rule",
                "abc_class",
                "skus",
                "fill_rate",
                "stockout_days",
                "avg_stock_units",
                "avg_fba_units",
                "avg_domestic_units",
                "avg_stock_value",
                "orders",
                "freight",
                "air_share",
            ]
        )
    rates = rates_for(data) if currency else None
    policy = restate(policy, to=currency, on=pd.Timestamp(as_of), rates=rates)
    # the replay re-plans as often as the plan is made (``-p review_days`` reaches it)
    return replay_seller(
        seller,
        rules=rules,
        policy=policy,
        demand=demand,
        replay=Replay(lead=lead, review_days=policy.review_days),
    )
