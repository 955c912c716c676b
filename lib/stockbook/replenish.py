"""Replenishment: what to reorder, when, how much, and by air or by sea.

**Demand.** Daily units per SKU from the sales export, counting only *in-stock
days*: a day is in stock when the SKU had units available at the start of the
day (the previous day's end balance) or sold something. A stock-out day's zero
is a shelf that was empty, not a customer who did not come, so it is left out;
the naive mean over all days is biased low by the share of days out of stock.
The rate is a weighted blend of the in-stock means over recent windows (default
7/30/90 days, weights 0.2/0.5/0.3, renormalised over windows that have in-stock
days). Variability ``sigma_d`` is the standard deviation of in-stock daily units
over the longest window. Intermittent SKUs (average interval between demands,
ADI, above 1.32 in-stock days — Syntetos & Boylan) get the SBA variant of
Croston's method instead: smooth the non-zero demand sizes and the intervals
separately (``alpha``), forecast ``(1 − alpha/2) · size / interval``. With a year
of history, a seasonal index scales the rate over the coming lead time and
cover: last year's units in the same coming days over last year's units in the
same trailing 90 days, pooled over all SKUs (a single SKU's year is too noisy),
clipped to 0.5–3. Everything is NumPy over a SKU × day matrix; time steps of
Croston loop over days, never over SKUs.

**Lead time** is built from stages (production, domestic handling, line haul,
customs, FBA check-in) with per-mode defaults, per-SKU overrides, and the
spread (``sigma_L``) of shipments actually received, per mode, when there are
enough of them.

**Policy** per SKU (periodic review):

    SS   = z · √(L · σ_d² + d² · σ_L²)         z from the service level of the SKU's ABC class
    ROP  = d · L + SS
    IP   = available + inbound (+ domestic stock that can ship, for purchases)
    order when IP ≤ ROP + d · review_days; quantity = ROP + d · order_cycle_days − IP,
          rounded up to the case pack, at least the MOQ

Two orders are planned: **ship to FBA** from the domestic warehouse (lead time
without production, position = available + inbound) and **purchase** from the
supplier (lead time with production, position = available + inbound +
domestic). **Air/sea split:** when sea freight would arrive after the projected
stock-out, the smallest air quantity that covers the days between the air
arrival and the sea arrival goes by air, the rest by sea — when the margin those
days would earn is larger than the extra freight; otherwise all by sea.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from stockbook import schema as sch
from stockbook.money import rates_for
from stockbook.stock import (
    DemandMatrix,
    available,
    cover_status,
    demand_matrix,
    in_stock_rate,
    products_in,
    sku_marketplaces,
    sold,
)

Mode = Literal["sea", "air", "express"]
KG_PER_LB = 0.45359237
CBM_PER_CUBIC_FOOT = 0.0283168
AIR_VOLUMETRIC_KG_PER_CBM = 167.0  # the usual air-freight divisor 6000 cm³/kg

# ---------------------------------------------------------------------------- demand


def blended_rate(units: np.ndarray, in_stock: np.ndarray, *, windows: tuple[int, ...] = (7, 30, 90),
                 weights: tuple[float, ...] = (0.2, 0.5, 0.3)) -> np.ndarray:
    """Weighted blend of in-stock rates over ``windows``; windows without in-stock days drop out.

    >>> u = np.array([[2.0] * 83 + [8.0] * 7])
    >>> round(float(blended_rate(u, u >= 0)[0]), 3)  # 0.2 × 8 + 0.5 × (23 × 2 + 7 × 8) / 30 + 0.3 × 222 / 90
    4.04
    """
    if len(windows) != len(weights):
        raise ValueError("windows and weights must have the same length")
    rates = np.column_stack([in_stock_rate(units, in_stock, w)[0] for w in windows])
    w = np.broadcast_to(np.asarray(weights, dtype=float), rates.shape)
    w = np.where(np.isnan(rates), 0.0, w)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (np.nan_to_num(rates) * w).sum(axis=1) / np.where(total > 0, total, 1), 0.0)


def demand_sd(units: np.ndarray, in_stock: np.ndarray, window: int = 90) -> np.ndarray:
    """Standard deviation of daily units over in-stock days in the window (0 with fewer than 2)."""
    u = units[:, -window:]
    k = in_stock[:, -window:]
    n = k.sum(axis=1)
    mean = np.where(n > 0, (u * k).sum(axis=1) / np.maximum(n, 1), 0.0)
    var = np.where(n > 1, (((u - mean[:, None]) ** 2) * k).sum(axis=1) / np.maximum(n - 1, 1), 0.0)
    return np.sqrt(var)


def average_demand_interval(units: np.ndarray, in_stock: np.ndarray, window: int = 90) -> np.ndarray:
    """In-stock days per day with demand (ADI); ``inf`` when nothing sold."""
    k = in_stock[:, -window:]
    nz = ((units[:, -window:] > 0) & k).sum(axis=1)
    with np.errstate(divide="ignore"):
        return np.where(nz > 0, k.sum(axis=1) / np.maximum(nz, 1), np.inf)


def croston_sba(units: np.ndarray, in_stock: np.ndarray, *, alpha: float = 0.1) -> np.ndarray:
    """SBA (Syntetos–Boylan) forecast of units per day, vectorised over SKUs; stock-out days are skipped.

    Sizes ``z`` and intervals ``p`` are smoothed at each demand: ``z += α(d − z)``, ``p += α(q − p)``
    with ``q`` the in-stock days since the previous demand; forecast ``(1 − α/2) · z / p``.

    >>> u = np.array([[0, 0, 4, 0, 0, 4, 0, 0, 4, 0, 0, 4.0]])
    >>> round(float(croston_sba(u, u >= 0, alpha=0.2)[0]), 3)  # size 4 every 3 days: 0.9 × 4/3
    1.2
    """
    n_sku, n_day = units.shape
    z = np.full(n_sku, np.nan)
    p = np.full(n_sku, np.nan)
    q = np.zeros(n_sku)
    for t in range(n_day):  # time steps; each step is vectorised over SKUs
        k = in_stock[:, t]
        q = q + k
        d = units[:, t]
        hit = k & (d > 0)
        first = hit & np.isnan(z)
        z = np.where(first, d, np.where(hit, z + alpha * (d - z), z))
        p = np.where(first, q, np.where(hit, p + alpha * (q - p), p))
        q = np.where(hit, 0, q)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isnan(z), 0.0, (1 - alpha / 2) * z / np.where(p > 0, p, 1))


def seasonal_index(m: DemandMatrix, *, horizon_days: int, lookback_days: int = 90,
                   clip: tuple[float, float] = (0.5, 3.0)) -> float:
    """Last year's units in the coming ``horizon_days`` over last year's trailing ``lookback_days``
    (per day, pooled over SKUs); 1.0 without a year and a quarter of history."""
    as_of = m.dates[-1]
    ly = as_of - pd.DateOffset(years=1)
    ahead = (m.dates > ly) & (m.dates <= ly + pd.Timedelta(days=horizon_days))
    behind = (m.dates > ly - pd.Timedelta(days=lookback_days)) & (m.dates <= ly)
    if m.dates[0] > ly - pd.Timedelta(days=lookback_days - 1) or not ahead.any():
        return 1.0
    k = m.in_stock
    a = (m.units[:, ahead] * k[:, ahead]).sum() / max(k[:, ahead].sum(), 1)
    b = (m.units[:, behind] * k[:, behind]).sum() / max(k[:, behind].sum(), 1)
    return float(np.clip(a / b, *clip)) if b > 0 else 1.0


def estimate_demand(m: DemandMatrix, *, windows: tuple[int, ...] = (7, 30, 90),
                    weights: tuple[float, ...] = (0.2, 0.5, 0.3), horizon_days: int = 60,
                    seasonality: bool = True, adi_cutoff: float = 1.32, alpha: float = 0.1) -> pd.DataFrame:
    """Per SKU: naive 30-day mean, in-stock rate, method, σ_d, ADI, seasonal index and the forecast rate."""
    naive30 = m.units[:, -30:].mean(axis=1)
    blend = blended_rate(m.units, m.in_stock, windows=windows, weights=weights)
    adi = average_demand_interval(m.units, m.in_stock, max(windows))
    lumpy = np.isfinite(adi) & (adi > adi_cutoff)
    sba = croston_sba(m.units[:, -max(windows) * 2:], m.in_stock[:, -max(windows) * 2:], alpha=alpha)
    rate = np.where(lumpy, sba, blend)
    idx = seasonal_index(m, horizon_days=horizon_days) if seasonality else 1.0
    _, n90 = in_stock_rate(m.units, m.in_stock, 90)
    return pd.DataFrame({
        "sku": pd.array(m.skus, dtype="string"),
        "rate_naive_30d": naive30.round(4),
        "rate_in_stock": blend.round(4),
        "method": np.where(lumpy, "croston_sba", "blend"),
        "rate": rate.round(4),
        "sigma_d": demand_sd(m.units, m.in_stock).round(4),
        "adi": np.round(adi, 2),
        "in_stock_share_90d": (n90 / min(90, m.units.shape[1])).round(3),
        "seasonal_index": round(idx, 3),
        "forecast_rate": (rate * idx).round(4),
    })


# ---------------------------------------------------------------------------- lead time


@dataclass(frozen=True)
class LeadTimes:
    """Lead-time stages in days, per shipping mode where they differ; every value is a parameter."""

    production: float = 20.0
    production_sd: float = 4.0
    domestic_handling: float = 3.0
    line_haul: dict[str, float] = field(default_factory=lambda: {"sea": 30.0, "air": 7.0, "express": 5.0})
    customs: dict[str, float] = field(default_factory=lambda: {"sea": 4.0, "air": 2.0, "express": 1.0})
    check_in: dict[str, float] = field(default_factory=lambda: {"sea": 7.0, "air": 4.0, "express": 3.0})
    transit_sd: dict[str, float] = field(default_factory=lambda: {"sea": 5.0, "air": 2.0, "express": 1.0})

    def transit(self, mode: str) -> float:
        """Domestic handling + line haul + customs + check-in: warehouse door to sellable at FBA."""
        return self.domestic_handling + self.line_haul[mode] + self.customs[mode] + self.check_in[mode]

    def table(self) -> pd.DataFrame:
        rows = [{"mode": m, "production": self.production, "domestic_handling": self.domestic_handling,
                 "line_haul": self.line_haul[m], "customs": self.customs[m], "check_in": self.check_in[m],
                 "transit_days": self.transit(m), "transit_sd": self.transit_sd[m],
                 "purchase_lead_days": self.production + self.transit(m)} for m in self.line_haul]
        return pd.DataFrame(rows)


def observed_transit(shipments: pd.DataFrame, *, min_shipments: int = 5) -> pd.DataFrame:
    """Ship date to received date per mode from closed shipments: count, mean and standard deviation."""
    s = shipments.loc[shipments["received_date"].notna()]
    days = (s["received_date"] - s["ship_date"]).dt.days
    g = days.groupby(s["mode"]).agg(["count", "mean", "std"]).reset_index()
    g.columns = ["mode", "shipments", "mean_days", "sd_days"]
    g["used"] = g["shipments"] >= min_shipments
    return g


def calibrate(lead: LeadTimes, shipments: pd.DataFrame | None, *, min_shipments: int = 5) -> LeadTimes:
    """Replace the line-haul and transit spread of each mode by what closed shipments show.

    Shipments run from leaving the origin to closing at FBA, so they measure line haul + customs
    + check-in; domestic handling stays a parameter.
    """
    if shipments is None or not len(shipments):
        return lead
    obs = observed_transit(shipments, min_shipments=min_shipments)
    haul, sd = dict(lead.line_haul), dict(lead.transit_sd)
    for r in obs.loc[obs["used"]].itertuples():
        if r.mode in haul:
            haul[r.mode] = max(float(r.mean_days) - lead.customs[r.mode] - lead.check_in[r.mode], 0.0)
            sd[r.mode] = float(r.sd_days)
    return LeadTimes(lead.production, lead.production_sd, lead.domestic_handling, haul, dict(lead.customs),
                     dict(lead.check_in), sd)


# ---------------------------------------------------------------------------- policy


def z_for(service_level) -> np.ndarray:
    """The standard normal quantile of each service level.

    >>> z_for([0.9, 0.95, 0.975, 0.99]).round(2).tolist()
    [1.28, 1.64, 1.96, 2.33]
    """
    nd = NormalDist()
    return np.array([nd.inv_cdf(float(s)) for s in np.atleast_1d(service_level)])


def loss_function(k) -> np.ndarray:
    """The standard normal loss function G(k) = φ(k) − k·(1 − Φ(k)): expected units short per σ.

    >>> round(float(loss_function(0.0)), 4), round(float(loss_function(1.0)), 4)
    (0.3989, 0.0833)
    """
    k = np.asarray(k, dtype=float)
    phi = np.exp(-k * k / 2) / np.sqrt(2 * np.pi)
    return phi - k * (1 - normal_cdf(k))


def normal_cdf(x) -> np.ndarray:
    """Φ(x), vectorised (Abramowitz & Stegun 7.1.26 for erf, error below 1.5e-7).

    >>> normal_cdf([0.0, 1.959964]).round(4).tolist()
    [0.5, 0.975]
    """
    x = np.asarray(x, dtype=float) / np.sqrt(2)
    sign = np.sign(x)
    a = np.abs(x)
    t = 1 / (1 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1 - poly * np.exp(-a * a)
    return 0.5 * (1 + sign * erf)


def z_for_fill_rate(fill_rate, *, order_qty, sigma_lt) -> np.ndarray:
    """The safety factor whose expected shortage per order cycle is ``(1 − fill_rate) · Q``.

    Solves ``σ_LT · G(z) = (1 − β) · Q`` by bisection, vectorised over SKUs, with z in [−1, 4]
    (a negative z means the cycle stock alone meets the target).

    >>> round(float(z_for_fill_rate(0.98, order_qty=100, sigma_lt=25)[0]), 2)  # solves G(z) = 0.02 × 100 / 25
    1.02
    """
    beta = np.atleast_1d(np.asarray(fill_rate, dtype=float))
    q = np.atleast_1d(np.asarray(order_qty, dtype=float))
    s = np.atleast_1d(np.asarray(sigma_lt, dtype=float))
    target = np.where(s > 0, (1 - beta) * q / np.where(s > 0, s, 1), np.inf)
    lo = np.full(np.broadcast(beta, q, s).shape, -1.0)
    hi = np.full_like(lo, 4.0)
    for _ in range(40):  # bisection steps, each over all SKUs; G falls as z rises
        mid = (lo + hi) / 2
        short = loss_function(mid) > target
        lo = np.where(short, mid, lo)
        hi = np.where(short, hi, mid)
    return np.where(np.isinf(target), 0.0, (lo + hi) / 2)


def safety_stock(d, sigma_d, lead, sigma_lead, z):
    """``z · √(L · σ_d² + d² · σ_L²)``: demand and lead time both vary.

    >>> round(float(safety_stock(50, 5, 6, 2, 1.0)), 2)  # σ of demand over the lead time: √(150 + 10 000)
    100.75
    """
    d, sd, lt, sl, z = (np.asarray(x, dtype=float) for x in (d, sigma_d, lead, sigma_lead, z))
    return z * np.sqrt(lt * sd ** 2 + d ** 2 * sl ** 2)


def safety_factor(policy: Policy, service_level, *, d, sigma_d, lead, sigma_lead, review_days) -> np.ndarray:
    """z for each SKU: the normal quantile of a cycle service level, or the factor that meets a fill
    rate given the order quantity (``policy.service_measure``)."""
    if policy.service_measure == "cycle":
        return z_for(service_level)
    q = np.asarray(d, dtype=float) * (policy.order_cycle_days + review_days)
    sigma_lt = np.sqrt(np.asarray(lead, dtype=float) * np.asarray(sigma_d, dtype=float) ** 2
                       + np.asarray(d, dtype=float) ** 2 * np.asarray(sigma_lead, dtype=float) ** 2)
    return z_for_fill_rate(service_level, order_qty=np.maximum(q, 1), sigma_lt=sigma_lt)


def reorder_point(d, lead, ss):
    """``d · L + SS``.

    >>> float(reorder_point(50, 6, 100))
    400.0
    """
    return np.asarray(d, dtype=float) * np.asarray(lead, dtype=float) + np.asarray(ss, dtype=float)


def round_to_case(qty, case_pack, moq=0):
    """Round positive quantities up to whole cases and to at least the MOQ; zero stays zero.

    >>> round_to_case([0, 1, 25, 49], 24, moq=50).tolist()
    [0, 50, 50, 72]
    """
    q = np.asarray(qty, dtype=float)
    c = np.maximum(np.asarray(case_pack, dtype=float), 1)
    up = np.ceil(np.round(q / c, 9)) * c
    return np.where(q > 0, np.maximum(up, np.asarray(moq, dtype=float)), 0).astype(np.int64)


def air_sea_split(*, d, stockout_days, sea_days, air_days, qty, case_pack=1):
    """Units to fly so stock lasts until the sea freight arrives; the rest of ``qty`` goes by sea.

    All days count from the order (ship) date. Air bridges from the later of the stock-out and
    the air arrival to the sea arrival. Returns (air_qty, sea_qty, days_short_if_all_sea,
    days_short_with_air).

    >>> air_sea_split(d=20, stockout_days=30, sea_days=40, air_days=12, qty=1000, case_pack=24)
    (array([216]), array([784]), array([10.]), array([0.]))
    """
    d, so, sea, air, q = (np.atleast_1d(np.asarray(x, dtype=float)) for x in (d, stockout_days, sea_days,
                                                                              air_days, qty))
    gap = np.clip(sea - np.maximum(so, air), 0, None)
    need = round_to_case(d * gap, case_pack)
    air_q = np.minimum(need, q.astype(np.int64))
    short_sea = np.clip(sea - so, 0, None)
    short_air = np.where(air_q > 0, np.clip(air - so, 0, None), short_sea)
    return air_q, (q - air_q).astype(np.int64), short_sea, short_air


@dataclass(frozen=True)
class Policy:
    """The replenishment policy's parameters (the notebook's parameters)."""

    service_levels: dict[str, float] = field(default_factory=lambda: {"A": 0.98, "B": 0.95, "C": 0.90})
    service_measure: Literal["fill_rate", "cycle"] = "fill_rate"  # what the service level means
    review_days: int = 7
    order_cycle_days: int = 14  # stock bought per order, in days of demand (cycle stock)
    cover_band_weeks: tuple[float, float] = (4.0, 8.0)
    domestic_buffer_days: int = 14
    moq: int = 0
    air_rate_per_kg: float = 7.0  # UNCONFIRMED: China→US air freight, per chargeable kg
    sea_rate_per_cbm: float = 200.0  # UNCONFIRMED: China→US LCL sea freight, per cubic metre
    referral_rate: float = 0.15
    fulfilment_fee: float = 3.5  # UNCONFIRMED: per unit, standard size


def number_list(text: str, *, kind: type = float) -> tuple:
    """A notebook parameter like ``"7,30,90"`` as a tuple of numbers.

    >>> number_list("7, 30,90", kind=int), number_list("0.2,0.5,0.3")
    ((7, 30, 90), (0.2, 0.5, 0.3))
    """
    try:
        return tuple(kind(x) for x in str(text).split(",") if x.strip())
    except ValueError as exc:
        raise ValueError(f"expected numbers separated by commas, got {text!r}") from exc


def settings_from_parameters(
    *,
    service_a: float = 0.98,
    service_b: float = 0.95,
    service_c: float = 0.90,
    service_measure: Literal["fill_rate", "cycle"] = "fill_rate",
    review_days: int = 7,
    order_cycle_days: int = 14,
    cover_low: float = 4.0,
    cover_high: float = 8.0,
    domestic_buffer_days: int = 14,
    air_rate_per_kg: float = 7.0,
    sea_rate_per_cbm: float = 200.0,
    production_days: float = 20.0,
    domestic_handling_days: float = 3.0,
    sea_line_haul_days: float = 30.0,
    air_line_haul_days: float = 7.0,
    customs_days: float = 4.0,
    check_in_days: float = 7.0,
) -> tuple[Policy, LeadTimes]:
    """The policy and lead times from notebook 05's flat parameters (air clears customs and checks in
    in half the sea days; express keeps its defaults).

    >>> policy, lead = settings_from_parameters(service_a=0.99, customs_days=6)
    >>> policy.service_levels["A"], lead.customs["air"], lead.transit("sea")
    (0.99, 3.0, 46.0)
    """
    policy = Policy(service_levels={"A": service_a, "B": service_b, "C": service_c}, service_measure=service_measure,
                    review_days=review_days, order_cycle_days=order_cycle_days, cover_band_weeks=(cover_low, cover_high),
                    domestic_buffer_days=domestic_buffer_days, air_rate_per_kg=air_rate_per_kg,
                    sea_rate_per_cbm=sea_rate_per_cbm)
    base = LeadTimes()
    lead = LeadTimes(
        production=production_days, production_sd=base.production_sd, domestic_handling=domestic_handling_days,
        line_haul={**base.line_haul, "sea": sea_line_haul_days, "air": air_line_haul_days},
        customs={**base.customs, "sea": customs_days, "air": customs_days / 2},
        check_in={**base.check_in, "sea": check_in_days, "air": check_in_days / 2},
        transit_sd=dict(base.transit_sd))
    return policy, lead


def production_days(products: pd.DataFrame, *, default: float,
                    by_supplier: dict[str, float] | None = None) -> np.ndarray:
    """Production days per SKU: its own override, else its supplier's, else the default.

    >>> p = pd.DataFrame({"production_days": [45.0, None, None], "supplier": ["S1", "S1", None]})
    >>> production_days(p, default=20, by_supplier={"S1": 30}).tolist()
    [45.0, 30.0, 20.0]
    """
    own = pd.to_numeric(products.get("production_days", pd.Series(np.nan, index=products.index)),
                        errors="coerce").astype("float64")
    supplier = products.get("supplier", pd.Series(pd.NA, index=products.index, dtype="string"))
    by_sup = supplier.map(by_supplier or {}).astype("float64")
    return own.fillna(by_sup).fillna(float(default)).to_numpy(dtype=float)


def freight_per_unit(*, mode: str, weight_lb, cubic_feet, policy: Policy) -> np.ndarray:
    """Freight per unit: air by chargeable kg (the larger of actual and volumetric), sea by cubic metre."""
    kg = np.asarray(weight_lb, dtype=float) * KG_PER_LB
    cbm = np.asarray(cubic_feet, dtype=float) * CBM_PER_CUBIC_FOOT
    if mode == "air":
        return np.maximum(kg, cbm * AIR_VOLUMETRIC_KG_PER_CBM) * policy.air_rate_per_kg
    return cbm * policy.sea_rate_per_cbm


@dataclass
class PlanResult:
    """Everything notebook 05 shows."""

    as_of: pd.Timestamp
    demand: pd.DataFrame
    lead: LeadTimes
    transit_observed: pd.DataFrame
    skus: pd.DataFrame  # the policy per SKU
    plan: pd.DataFrame  # the purchase list (ship-to-FBA and purchase lines)
    restock_check: pd.DataFrame
    matrix: DemandMatrix

    def headlines(self) -> dict[str, object]:
        p = self.plan
        now = p.loc[p["order_date"] <= self.as_of]
        buy = p.loc[p["kind"] == "purchase"]
        return {
            "skus_to_order_now": int(now["sku"].nunique()),
            "skus_at_risk": int(self.skus["at_risk"].sum()),
            "cash_needed": round(float(buy["goods_cost"].sum() + p["freight_cost"].sum()), 2),
            "units_by_air": int(p.loc[p["mode"] == "air", "order_qty"].sum()),
        }


def plan_replenishment(
    data,
    *,
    as_of: str,
    policy: Policy = Policy(),
    lead: LeadTimes = LeadTimes(),
    windows: tuple[int, ...] = (7, 30, 90),
    weights: tuple[float, ...] = (0.2, 0.5, 0.3),
    classes: pd.DataFrame | None = None,
    seasonality: bool = True,
    supplier_production_days: dict[str, float] | None = None,
    currency: str | None = "USD",
) -> PlanResult:
    """Demand, lead time, policy and the purchase list for a loaded data folder (module text).

    Production lead time per SKU: the master's ``production_days`` where given, else
    ``supplier_production_days[supplier]``, else ``lead.production``.
    """
    as_of_ts = pd.Timestamp(as_of)
    # costs and prices in the reporting currency at the planning day's rate
    products = sch.products_by_sku(products_in(data["products"], currency=currency, on=as_of_ts,
                                               rates=rates_for(data) if currency else None))
    sales, _ = sold(data)
    # a year back plus the seasonal index's look-back and horizon
    m = demand_matrix(sales, as_of=as_of_ts, days=365 + 120, skus=list(products.index))
    lead = calibrate(lead, data["shipments"] if data.has("shipments") else None)
    horizon = int(lead.production + lead.transit("sea") + policy.order_cycle_days)
    dem = estimate_demand(m, windows=windows, weights=weights, horizon_days=horizon, seasonality=seasonality)

    # the position on the planning day, from the stock layer (in transit on the day of the FBA position)
    pos = available(data, as_of=as_of_ts).set_index("sku")
    s = dem.set_index("sku")
    s = s.loc[s.index.isin(products.index)]
    for col in ("available", "inbound", "domestic", "third_party"):
        s[col] = pos[col].reindex(s.index).fillna(0).astype("int64")
    s["fba"] = s["available"]
    s["in_transit"] = s["inbound"]
    s["available"] = s["available"] + s["third_party"]
    cls = classes.set_index("sku")["abc_class"] if classes is not None else pd.Series(dtype="string")
    s["abc_class"] = s.index.map(cls).fillna("C") if len(cls) else "C"
    s["service_level"] = s["abc_class"].map(policy.service_levels).astype(float)
    d = s["forecast_rate"].to_numpy()
    sd = s["sigma_d"].to_numpy()
    level = s["service_level"].to_numpy()
    case = products["case_pack"].reindex(s.index).astype("Float64").fillna(1).to_numpy(dtype=float)

    # ship to FBA from the domestic warehouse (no production), by sea unless air is needed
    l_fba = lead.transit("sea")
    z = safety_factor(policy, level, d=d, sigma_d=sd, lead=l_fba, sigma_lead=lead.transit_sd["sea"],
                      review_days=policy.review_days)
    s["z"] = z.round(3)
    ss_fba = safety_stock(d, sd, l_fba, lead.transit_sd["sea"], z)
    rop_fba = reorder_point(d, l_fba, ss_fba)
    p_fba = (s["available"] + s["inbound"]).to_numpy(dtype=float)
    # purchase from the supplier for the whole network
    production = production_days(products.reindex(s.index), default=lead.production,
                                 by_supplier=supplier_production_days)
    s["production_days"] = production
    l_po = production + lead.transit("sea")
    sl_po = np.hypot(lead.production_sd, lead.transit_sd["sea"])
    z_po = safety_factor(policy, level, d=d, sigma_d=sd, lead=l_po, sigma_lead=sl_po,
                         review_days=policy.review_days)
    ss_po = safety_stock(d, sd, l_po, sl_po, z_po)
    rop_po = reorder_point(d, l_po, ss_po)
    p_net = p_fba + s["domestic"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover_fba = np.where(d > 0, p_fba / d, np.inf)
        cover_net = np.where(d > 0, p_net / d, np.inf)
        avail_days = np.where(d > 0, s["available"].to_numpy() / d, np.inf)
    s["safety_stock"] = np.ceil(ss_fba).astype(np.int64)
    s["reorder_point"] = np.ceil(rop_fba).astype(np.int64)
    s["safety_stock_purchase"] = np.ceil(ss_po).astype(np.int64)
    s["reorder_point_purchase"] = np.ceil(rop_po).astype(np.int64)
    s["days_of_cover"] = np.round(cover_fba, 1)
    s["weeks_of_cover"] = np.round(cover_fba / 7, 2)
    s["network_days_of_cover"] = np.round(cover_net, 1)
    s["cover_status"] = cover_status(cover_fba / 7, band=policy.cover_band_weeks)
    s["stockout_date"] = [as_of_ts + pd.Timedelta(days=int(x)) if np.isfinite(x) else pd.NaT for x in avail_days]
    s["stockout_date"] = pd.to_datetime(s["stockout_date"]).astype("datetime64[s]")
    # at risk: what is at Amazon and on its way runs out before a sea shipment sent today arrives
    s["at_risk"] = (cover_fba < l_fba) & (d > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s["target_days_at_fba"] = np.where(d > 0, (rop_fba + d * (policy.order_cycle_days + policy.review_days))
                                           / np.where(d > 0, d, 1), np.nan).round(1)

    rows = []
    ship_trigger = p_fba <= rop_fba + d * policy.review_days
    ship_qty = np.where(ship_trigger, rop_fba + d * (policy.order_cycle_days + policy.review_days) - p_fba, 0)
    ship_qty = np.minimum(round_to_case(ship_qty, case), s["domestic"].to_numpy())
    buy_trigger = p_net <= rop_po + d * policy.review_days
    buy_target = rop_po + d * (policy.order_cycle_days + policy.review_days + policy.domestic_buffer_days)
    moq = products["moq"].reindex(s.index).astype("Float64").fillna(policy.moq).to_numpy(dtype=float)
    buy_qty = round_to_case(np.where(buy_trigger, buy_target - p_net, 0), case, moq)
    prices = products.reindex(s.index)
    margin = (prices["price"].fillna(0) * (1 - policy.referral_rate) - policy.fulfilment_fee
              - prices["unit_cost"].fillna(0)).to_numpy()
    air_f = freight_per_unit(mode="air", weight_lb=prices["weight_lb"].fillna(1), cubic_feet=prices["cubic_feet"]
                             .fillna(0.1), policy=policy)
    sea_f = freight_per_unit(mode="sea", weight_lb=prices["weight_lb"].fillna(1), cubic_feet=prices["cubic_feet"]
                             .fillna(0.1), policy=policy)
    for kind, qty, extra in (("ship_to_fba", ship_qty, np.zeros(len(s))), ("purchase", buy_qty, production)):
        # ship now (stock at FBA lasts `avail_days`); inbound stock is assumed to arrive in time
        order_day = np.zeros(len(s)) if kind == "ship_to_fba" else np.clip(
            np.where(d > 0, (p_net - rop_po) / np.where(d > 0, d, 1), 0), 0, None)
        stockout = (cover_fba if kind == "ship_to_fba" else cover_net) - order_day
        air_q, sea_q, short_sea, short_air = air_sea_split(
            d=d, stockout_days=stockout, sea_days=extra + lead.transit("sea"), air_days=extra + lead.transit("air"),
            qty=qty, case_pack=case)
        extra_freight = air_q * (air_f - sea_f)
        margin_saved = d * (short_sea - short_air) * np.clip(margin, 0, None)
        use_air = (air_q > 0) & (margin_saved > extra_freight)
        air_q = np.where(use_air, air_q, 0)
        sea_q = qty - air_q
        for mode, q, days in (("air", air_q, extra + lead.transit("air")), ("sea", sea_q, extra + lead.transit("sea"))):
            hit = q > 0
            if not hit.any():
                continue
            od = as_of_ts + pd.to_timedelta(np.round(order_day[hit]), unit="D")
            unit_f = (air_f if mode == "air" else sea_f)[hit]
            rows.append(pd.DataFrame({
                "sku": s.index[hit], "kind": kind, "order_qty": q[hit].astype(np.int64),
                "order_date": od, "mode": mode,
                "arrival_date": od + pd.to_timedelta(np.round(days[hit]), unit="D"),
                "stockout_date": s["stockout_date"].to_numpy()[hit],
                "safety_stock": (s["safety_stock"] if kind == "ship_to_fba" else s["safety_stock_purchase"])
                .to_numpy()[hit],
                "reorder_point": (s["reorder_point"] if kind == "ship_to_fba" else s["reorder_point_purchase"])
                .to_numpy()[hit],
                "goods_cost": np.round(q[hit] * prices["unit_cost"].fillna(0).to_numpy()[hit], 2)
                if kind == "purchase" else 0.0,
                "freight_cost": np.round(q[hit] * unit_f, 2),
                "days_short_if_all_sea": short_sea[hit].round(1),
                "extra_air_freight": np.round(extra_freight[hit], 2) if mode == "air" else 0.0,
                "margin_saved_by_air": np.round(margin_saved[hit], 2) if mode == "air" else 0.0,
                "forecast_rate": d[hit], "abc_class": s["abc_class"].to_numpy()[hit],
            }))
    plan = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=[
        "sku", "kind", "order_qty", "order_date", "mode", "arrival_date", "stockout_date", "safety_stock",
        "reorder_point", "goods_cost", "freight_cost"])
    if len(plan):
        plan["order_date"] = plan["order_date"].astype("datetime64[s]")
        plan["arrival_date"] = plan["arrival_date"].astype("datetime64[s]")
        plan = plan.sort_values(["order_date", "stockout_date", "sku", "kind", "mode"], na_position="last",
                                ignore_index=True)
        first = ["sku", "order_qty", "order_date", "mode", "arrival_date", "stockout_date", "safety_stock",
                 "reorder_point"]
        plan = plan[first + [c for c in plan.columns if c not in first]]
    # the destination: the marketplace whose FBA stock the SKU is bought and shipped for (the purchase plan per
    # destination; SKUs whose rows name none go to the marketplace with most rows)
    found = data.marketplaces() if hasattr(data, "marketplaces") else []
    dest = sku_marketplaces(data)
    plan.insert(min(8, len(plan.columns)), "destination",
                plan["sku"].map(dest).astype("string").fillna(found[0] if found else pd.NA))
    restock = restock_check(data["restock"], plan, s, as_of=as_of_ts) if data.has("restock") else pd.DataFrame()
    return PlanResult(as_of_ts, dem, lead, observed_transit(data["shipments"]) if data.has("shipments") else
                      pd.DataFrame(), s.reset_index(), plan, restock, m)


def restock_check(restock: pd.DataFrame, plan: pd.DataFrame, skus: pd.DataFrame, *,
                  as_of: pd.Timestamp) -> pd.DataFrame:
    """Our ship-to-FBA quantity against Amazon's Restock Inventory recommendation, with the reason."""
    r = restock.groupby("sku").agg(amazon_qty=("recommended_qty", "sum"),
                                   amazon_ship_date=("recommended_ship_date", "min"),
                                   amazon_units_30d=("units_sold_30d", "sum"))
    ours = plan.loc[plan["kind"] == "ship_to_fba"].groupby("sku")["order_qty"].sum()
    r["amazon_total_units"] = restock.groupby("sku")["total_units"].sum()
    out = r.join(skus[["rate_naive_30d", "rate_in_stock", "rate", "forecast_rate", "in_stock_share_90d",
                       "seasonal_index",
                       "days_of_cover", "target_days_at_fba"]], how="left")
    out["our_qty"] = ours.reindex(out.index).fillna(0).astype("int64")
    out["difference"] = out["our_qty"] - out["amazon_qty"]
    naive = out["amazon_units_30d"].fillna(out["rate_naive_30d"] * 30) / 30
    with np.errstate(divide="ignore", invalid="ignore"):
        out["amazon_target_days"] = np.where(naive > 0, (out["amazon_qty"] + out["amazon_total_units"]) / naive,
                                             np.nan).round(0)
    target_why = ("Amazon's recommendation holds about " + out["amazon_target_days"].astype("Int64").astype(str)
                  + " days of supply; our policy targets " + out["target_days_at_fba"].round(0).astype("Int64")
                  .astype(str) + " (transit, safety stock and one order cycle) — stock beyond that waits in the "
                  "domestic warehouse")
    more, less = out["difference"] > 0, out["difference"] < 0
    recent = out["rate"]
    why = np.select(
        [out["difference"].abs() <= np.maximum(out["amazon_qty"] * 0.2, 10),
         more & (out["in_stock_share_90d"] < 0.9) & (out["rate_in_stock"] > naive * 1.1),
         more & (out["seasonal_index"] > 1.1),
         more & (recent > naive * 1.1),
         less & (out["seasonal_index"] < 0.9),
         less & (recent < naive * 0.9)],
        ["agrees within 20 %",
         "we count in-stock days only: stock-outs hid demand from the 30-day average",
         "seasonal index: last year's sales rose over the coming weeks",
         "recent weeks sell faster than the 30-day average",
         "seasonal index: last year's sales fell over the coming weeks",
         "recent weeks sell slower than the 30-day average"],
        target_why.to_numpy())
    out["why"] = why
    out = out.reset_index()
    return out.reindex(out["difference"].abs().sort_values(ascending=False).index).reset_index(drop=True)


# ---------------------------------------------------------------------------- backtest

Rule = Literal["policy", "tool", "erp"]


@dataclass(frozen=True)
class BacktestSetup:
    """How the replay runs: one echelon (supplier straight to FBA), orders reviewed every ``review_days``."""

    lead_days: float = 61.0  # production + sea transit, the purchase lead time
    lead_sd: float = 6.0
    review_days: int = 7
    tool_reorder_days: int = 60  # the tool rule's "reorder days of supply"
    erp_safety_days: int = 14  # the ERP rule's safety days
    erp_cycle_days: int = 30  # the ERP rule's purchase frequency
    seed: int = 11


def _estimate(units: np.ndarray, in_stock: np.ndarray, dates: pd.DatetimeIndex, *, horizon: int,
              windows=(7, 30, 90), weights=(0.2, 0.5, 0.3)) -> tuple[np.ndarray, np.ndarray]:
    m = DemandMatrix(pd.Index(range(len(units))), dates, units, in_stock, True)
    blend = blended_rate(units, in_stock, windows=windows, weights=weights)
    adi = average_demand_interval(units, in_stock, max(windows))
    lumpy = np.isfinite(adi) & (adi > 1.32)
    rate = np.where(lumpy, croston_sba(units[:, -180:], in_stock[:, -180:]), blend)
    return rate * seasonal_index(m, horizon_days=horizon), demand_sd(units, in_stock)


def simulate_rule(rule: Rule, demand: np.ndarray, history: np.ndarray, history_in_stock: np.ndarray,
                  dates: pd.DatetimeIndex, *, unit_cost: np.ndarray, case_pack: np.ndarray,
                  service_level: np.ndarray, setup: BacktestSetup = BacktestSetup(),
                  policy: Policy = Policy()) -> dict[str, np.ndarray]:
    """Replay ``demand`` (SKU × day) under one ordering rule; returns per-SKU served, demand, stock-out
    days and average stock value. ``history`` (SKU × day before the replay) is what the estimators see
    first; each day's sales and stock state are appended as the replay goes. Lead times are drawn
    once from ``setup.seed``, so every rule meets the same delays."""
    n, days = demand.shape
    rng = np.random.default_rng(setup.seed)
    lead = np.clip(np.round(rng.normal(setup.lead_days, setup.lead_sd, (n, days))), 1, None).astype(int)
    all_dates = pd.date_range(dates[0] - pd.Timedelta(days=history.shape[1]), periods=history.shape[1] + days)
    units = np.concatenate([history, np.zeros((n, days))], axis=1)
    in_stock = np.concatenate([history_in_stock, np.zeros((n, days), dtype=bool)], axis=1)
    h0 = history.shape[1]
    # the same steady start for every rule: 30 days on hand and one lead time of daily arrivals on order
    start_rate, _ = in_stock_rate(history, history_in_stock, 90)
    start_rate = np.nan_to_num(start_rate)
    pipeline = np.zeros((n, days + int(lead.max()) + 2))
    pipeline[:, : int(setup.lead_days)] = start_rate[:, None]
    on_hand = start_rate * 30
    served = np.zeros(n)
    wanted = np.zeros(n)
    # nothing ordered in the replay arrives before one lead time: until then every rule lives off the
    # same start, so the measures count from there
    warm_up = int(setup.lead_days)
    out_days = np.zeros(n)
    stock_days = np.zeros(n)
    for t in range(days):  # time steps; each is vectorised over SKUs
        on_hand = on_hand + pipeline[:, t]
        start = on_hand.copy()
        sold = np.minimum(demand[:, t], np.floor(on_hand))
        on_hand = on_hand - sold
        measured = t >= warm_up
        served += sold * measured
        wanted += demand[:, t] * measured
        out_days += (start < 1) * measured
        stock_days += on_hand * measured
        units[:, h0 + t] = sold
        in_stock[:, h0 + t] = (start >= 1) | (sold > 0)
        if t % setup.review_days:
            continue
        hist_u, hist_k = units[:, : h0 + t + 1], in_stock[:, : h0 + t + 1]
        position = on_hand + pipeline[:, t + 1:].sum(axis=1)
        lt = setup.lead_days
        if rule == "policy":
            d, sd = _estimate(hist_u[:, -400:], hist_k[:, -400:], all_dates[: h0 + t + 1][-400:],
                              horizon=int(lt + policy.order_cycle_days))
            z = safety_factor(policy, service_level, d=d, sigma_d=sd, lead=lt, sigma_lead=setup.lead_sd,
                              review_days=setup.review_days)
            rop = reorder_point(d, lt, safety_stock(d, sd, lt, setup.lead_sd, z))
            qty = np.where(position <= rop + d * setup.review_days,
                           rop + d * (policy.order_cycle_days + setup.review_days) - position, 0)
        else:
            avg30 = hist_u[:, -30:].mean(axis=1)  # the tools' 30-day average, stock-out days included
            if rule == "tool":
                with np.errstate(divide="ignore", invalid="ignore"):
                    days_left = np.where(avg30 > 0, position / np.where(avg30 > 0, avg30, 1), np.inf)
                qty = np.where(days_left < lt, setup.tool_reorder_days * avg30, 0)
            else:
                trigger = (lt + setup.erp_safety_days) * avg30 > position
                qty = np.where(trigger, (setup.erp_cycle_days + lt + setup.erp_safety_days) * avg30 - position, 0)
        q = round_to_case(qty, case_pack)
        arrive = t + lead[:, t]
        np.add.at(pipeline, (np.arange(n), np.minimum(arrive, pipeline.shape[1] - 1)), q)
    return {"served": served, "demand": wanted, "stockout_days": out_days,
            "avg_stock_value": stock_days / max(days - warm_up, 1) * unit_cost}


def backtest(demand: np.ndarray, history: np.ndarray, history_in_stock: np.ndarray, dates: pd.DatetimeIndex, *,
             unit_cost: np.ndarray, case_pack: np.ndarray, abc_class: np.ndarray,
             setup: BacktestSetup = BacktestSetup(), policy: Policy = Policy(), label: str = "") -> pd.DataFrame:
    """Fill rate, stock-out days and average stock value of the policy against the tool rule
    (reorder when days of stock left < lead time; quantity = reorder days × 30-day average) and
    the ERP order-up-to rule ((lead + safety days) × average > available + in transit; quantity =
    (cycle + lead + safety days) × average − position), on the same demand and lead times."""
    level = pd.Series(abc_class).map(policy.service_levels).fillna(0.9).to_numpy()
    rows = []
    for rule in ("policy", "tool", "erp"):
        r = simulate_rule(rule, demand, history, history_in_stock, dates, unit_cost=unit_cost, case_pack=case_pack,
                          service_level=level, setup=setup, policy=policy)
        a = abc_class == "A"
        rows.append({
            "seller": label, "rule": rule,
            "fill_rate": r["served"].sum() / max(r["demand"].sum(), 1),
            "fill_rate_A": r["served"][a].sum() / max(r["demand"][a].sum(), 1) if a.any() else np.nan,
            "stockout_days": int(r["stockout_days"].sum()),
            "avg_stock_value": float(r["avg_stock_value"].sum()),
        })
    out = pd.DataFrame(rows)
    best_rule = out.loc[out["rule"] != "policy", "avg_stock_value"].min()
    out["stock_vs_best_rule"] = (out["avg_stock_value"] / best_rule - 1).round(3)
    for c in ("fill_rate", "fill_rate_A"):
        out[c] = out[c].round(4)
    out["avg_stock_value"] = out["avg_stock_value"].round(2)
    return out


def generated_seller(kind: Literal["seasonal", "intermittent", "stockouts"], *, n_skus: int = 120,
                     days: int = 365 + 184, seed: int = 5, start: str = "2025-05-01") -> dict[str, object]:
    """A synthetic seller for the backtest: true daily demand, and a history with its stock-out days.

    ``seasonal``: Q4 and Prime Day peaks; ``intermittent``: most SKUs sell a few units on few days;
    ``stockouts``: steady demand whose history hides 15–40 % of days behind empty shelves.
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days)
    base = np.exp(rng.normal(np.log(4), 1.0, n_skus)).clip(0.05, 60)
    season = np.ones(days)
    if kind == "seasonal":
        season[(dates.month == 11)] = 1.6
        season[(dates.month == 12) & (dates.day <= 22)] = 2.0
        season[(dates.month == 7) & dates.day.isin([8, 9, 10, 11])] = 2.5
        season[dates.month == 1] = 0.8
    rate = base[:, None] * season[None, :]
    if kind == "intermittent":
        p = rng.uniform(0.03, 0.4, n_skus)
        demand = (rng.random((n_skus, days)) < p[:, None]) * rng.integers(1, 8, (n_skus, days))
    else:
        demand = rng.poisson(rate)
    in_stock = np.ones((n_skus, days), dtype=bool)
    if kind == "stockouts":
        share = rng.uniform(0.15, 0.4, n_skus)
        for _ in range(4):  # four outages per SKU, vectorised over SKUs
            length = np.round(share * days / 4).astype(int)
            first = rng.integers(0, days - length.max() - 1, n_skus)
            idx = np.arange(days)[None, :]
            in_stock &= ~((idx >= first[:, None]) & (idx < (first + length)[:, None]))
    observed = demand * in_stock
    value = demand.sum(axis=1)
    from stockbook.abc import abc_classify

    cls = abc_classify(pd.DataFrame({"sku": [f"G{i:04d}" for i in range(n_skus)], "units": value}),
                       measure="units").set_index("sku")["abc_class"]
    return {"dates": dates, "demand": demand.astype(float), "observed": observed.astype(float), "in_stock": in_stock,
            "unit_cost": np.round(rng.uniform(2, 20, n_skus), 2), "case_pack": rng.choice([1, 6, 12], n_skus),
            "abc_class": cls.reindex([f"G{i:04d}" for i in range(n_skus)]).to_numpy()}


def backtest_generated(kind: Literal["seasonal", "intermittent", "stockouts"], *, replay_days: int = 184,
                       setup: BacktestSetup = BacktestSetup(), policy: Policy = Policy()) -> pd.DataFrame:
    """Backtest a generated seller: the history (with its stock-outs) before, the last ``replay_days`` replayed."""
    g = generated_seller(kind)
    h = g["demand"].shape[1] - replay_days
    return backtest(g["demand"][:, h:], g["observed"][:, :h], g["in_stock"][:, :h], g["dates"][h:],
                    unit_cost=g["unit_cost"], case_pack=g["case_pack"], abc_class=g["abc_class"], setup=setup,
                    policy=policy, label=kind)


def backtest_data(data, *, as_of: str, classes: pd.DataFrame, replay_days: int = 184,
                  setup: BacktestSetup = BacktestSetup(), policy: Policy = Policy()) -> pd.DataFrame:
    """Backtest on a data folder's sales: the last ``replay_days`` replayed, the days before as history.

    Demand on the replayed days is what sold; on stock-out days (which hide demand) it is the SKU's
    in-stock rate over the 28 in-stock days before, drawn as Poisson with a fixed seed.
    """
    empty = pd.DataFrame(columns=["seller", "rule", "fill_rate", "fill_rate_A", "stockout_days", "avg_stock_value",
                                  "stock_vs_best_rule"])
    if not data.has("sales"):  # the replay needs daily sales: a ledger alone has none to replay
        return empty
    m = demand_matrix(data["sales"], as_of=as_of, days=replay_days + 400)
    units, k = m.units, m.in_stock
    if not units.size or not units.sum():  # no sale in the replayed span (data of other years)
        return empty
    rng = np.random.default_rng(setup.seed)
    demand = units.copy()
    for t in range(units.shape[1] - replay_days, units.shape[1]):  # time steps, vectorised over SKUs
        rate, n = in_stock_rate(units[:, t - 60:t], k[:, t - 60:t], 60)
        fill = rng.poisson(np.nan_to_num(rate))
        demand[:, t] = np.where(k[:, t], units[:, t], fill)
    h = units.shape[1] - replay_days
    p = sch.products_by_sku(data["products"]).reindex(m.skus)
    cls = classes.set_index("sku")["abc_class"].reindex(m.skus).fillna("C").to_numpy()
    return backtest(demand[:, h:], units[:, :h], k[:, :h], m.dates[h:],
                    unit_cost=p["unit_cost"].astype("Float64").fillna(0).to_numpy(dtype=float),
                    case_pack=p["case_pack"].astype("Float64").fillna(1).to_numpy(dtype=float), abc_class=cls,
                    setup=setup, policy=policy, label="sample")


def projected_stock(skus: pd.DataFrame, plan: pd.DataFrame, *, as_of: str | pd.Timestamp,
                    days: int = 120) -> pd.DataFrame:
    """Projected FBA units per SKU and day: today's available + inbound, less the forecast rate each day,
    plus the planned shipments on their arrival dates (never below zero: sales stop at an empty shelf).
    A shipment is sellable on its arrival day.

    >>> skus = pd.DataFrame({"sku": ["A"], "available": [10], "inbound": [0], "forecast_rate": [2.0]})
    >>> plan = pd.DataFrame({"sku": ["A"], "kind": ["ship_to_fba"], "order_qty": [20],
    ...                      "arrival_date": [pd.Timestamp("2026-11-08")]})
    >>> projected_stock(skus, plan, as_of="2026-10-31", days=10)["units"].tolist()
    [10.0, 8.0, 6.0, 4.0, 2.0, 0.0, 0.0, 0.0, 18.0, 16.0, 14.0]
    """
    as_of = pd.Timestamp(as_of)
    dates = pd.date_range(as_of, periods=days + 1)
    n = len(skus)
    arrivals = np.zeros((n, days + 1))
    p = plan.loc[plan["sku"].isin(skus["sku"])]
    if len(p):
        r = pd.Index(skus["sku"]).get_indexer(p["sku"])
        c = dates.get_indexer(p["arrival_date"])
        ok = c >= 0
        np.add.at(arrivals, (r[ok], c[ok]), p["order_qty"].to_numpy(dtype=float)[ok])
    stock = np.zeros((n, days + 1))
    level = (skus["available"] + skus["inbound"]).to_numpy(dtype=float)
    d = skus["forecast_rate"].to_numpy(dtype=float)
    for t in range(days + 1):  # time steps, vectorised over SKUs
        level = level + arrivals[:, t] - (d if t else 0)
        level = np.maximum(level, 0)
        stock[:, t] = level
    return pd.DataFrame({"sku": np.repeat(skus["sku"].to_numpy(), days + 1), "date": np.tile(dates, n),
                         "units": stock.ravel().round(1)})
