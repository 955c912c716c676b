"""The policy: one order-up-to rule over both echelons, its safety stock, and the order arithmetic.

**The network** is serial: supplier → domestic warehouse (echelon 2) → FBA (echelon 1), reviewed every
``R`` days. The *echelon stock* of a stage is everything at it and downstream of it (Clark & Scarf 1960;
Silver, Pyke & Thomas, *Inventory and Production Management in Supply Chains*, 4th ed., 2017, §11.3,
and Axsäter, *Inventory Control*, 3rd ed., 2015, §5.3: echelon base-stock policies in serial systems)::

    IP₁ = FBA available + inbound to FBA                                   (installation = echelon at FBA)
    IP₂ = IP₁ + domestic on hand + on order from the supplier              (echelon position of the network)

Each echelon is raised to its order-up-to level, both from **one** service target (the SKU's ABC
class)::

    S₁ = F(L₁ + R) + z₁ · √(σ²(L₁ + R) + d² σ²_L₁)          L₁ = transit to sellable at FBA
    S₂ = F(L₂ + L₁ + R) + z₂ · √(σ²(L₂ + L₁ + R) + d² σ²_L)   L₂ = production (per SKU)

``F(h)`` is the forecast of units over the next ``h`` days (seasonal index included) and ``σ(h)`` the
measured forecast error over ``h`` days (:mod:`~stockbook.replenish.demand`). Ship to FBA
``min(S₁ − IP₁, domestic on hand)``; buy ``S₂ − IP₂`` when ``IP₂ < S₂``, at least ``order_cycle_days`` of
demand (an (s, S) variant: ``s = S₂``), rounded up to case packs and the MOQ. The domestic warehouse's
buffer is what ``S₂`` leaves beyond ``S₁`` and the pipeline: it is never a separate, stacked target.

``z`` meets a **fill rate** β (units served from stock / units wanted): the expected units short per
review cycle, ``σ · G(z)``, equal ``(1 − β) · Q`` with ``Q`` the demand of one cycle (Silver–Pyke–Thomas
§6.7.3, with ``G`` the standard normal loss function); or a **cycle service level** (``z = Φ⁻¹(level)``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from statistics import NormalDist
from typing import Literal

import numpy as np

from stockbook.classes import SERVICE_LEVELS

KG_PER_LB = 0.45359237
CBM_PER_CUBIC_FOOT = 0.0283168
AIR_VOLUMETRIC_KG_PER_CBM = 167.0  # the usual air-freight divisor 6000 cm³/kg
Mode = Literal["sea", "air", "express"]


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
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = 1 - poly * np.exp(-a * a)
    return 0.5 * (1 + sign * erf)


def z_for_fill_rate(fill_rate, *, order_qty, sigma_lt, sigma_l=None) -> np.ndarray:
    """The safety factor whose expected shortage per order cycle is ``(1 − fill_rate) · Q``.

    Solves ``σ_LT · G(z) = (1 − β) · Q`` by bisection, vectorised over SKUs, with z in [−1, 4]
    (a negative z means the cycle stock alone meets the target). With ``sigma_l`` (σ over the lead
    time alone), the shortage already there when the cycle starts is not counted twice (Hadley & Whitin
    1963; Silver–Pyke–Thomas §6.9 for the (R, S) system)::

        σ_LT · G(z) − σ_L · G((Q + z · σ_LT) / σ_L) = (1 − β) · Q

    >>> round(float(z_for_fill_rate(0.98, order_qty=100, sigma_lt=25)[0]), 2)  # solves G(z) = 0.02 × 100 / 25
    1.02
    >>> z = z_for_fill_rate(0.90, order_qty=2, sigma_lt=9, sigma_l=8)  # a slow mover: 0.2 units short a cycle
    >>> round(float(z[0]), 2), round(float(9 * loss_function(z)[0] - 8 * loss_function((2 + 9 * z) / 8)[0]), 3)
    (1.46, 0.2)
    """
    beta = np.atleast_1d(np.asarray(fill_rate, dtype=float))
    q = np.atleast_1d(np.asarray(order_qty, dtype=float))
    s = np.atleast_1d(np.asarray(sigma_lt, dtype=float))
    sl = None if sigma_l is None else np.atleast_1d(np.asarray(sigma_l, dtype=float))
    target = np.where(s > 0, (1 - beta) * q, np.inf)
    lo = np.full(np.broadcast(beta, q, s).shape, -1.0)
    hi = np.full_like(lo, 4.0)
    for _ in range(40):  # bisection steps, each over all SKUs; the shortage falls as z rises
        mid = (lo + hi) / 2
        shortage = s * loss_function(mid)
        if sl is not None:
            shortage = shortage - np.where(
                sl > 0, sl * loss_function((q + mid * s) / np.where(sl > 0, sl, 1)), 0.0
            )
        short = shortage > target
        lo = np.where(short, mid, lo)
        hi = np.where(short, hi, mid)
    return np.where(np.isinf(target), 0.0, (lo + hi) / 2)


def safety_stock(d, sigma_d, lead, sigma_lead, z, *, sigma_h=None):
    """``z · √(σ_H² + d² · σ_L²)`` with ``σ_H = σ_d · √L`` (the textbook case: daily demand independent
    over the lead time, Silver–Pyke–Thomas eq. 6.8 with lead-time variance) or, when ``sigma_h`` is
    given, the measured forecast error over the protection period (:func:`demand.forecast`).

    >>> round(float(safety_stock(50, 5, 6, 2, 1.0)), 2)  # σ of demand over the lead time: √(150 + 10 000)
    100.75
    >>> round(float(safety_stock(50, 5, 6, 0, 2.0, sigma_h=30)), 2)  # 2 × the forecast error of 30 units
    60.0
    """
    d, sd, lt, sl, z = (np.asarray(x, dtype=float) for x in (d, sigma_d, lead, sigma_lead, z))
    var_h = lt * sd**2 if sigma_h is None else np.asarray(sigma_h, dtype=float) ** 2
    return z * np.sqrt(var_h + d**2 * sl**2)


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
    d, so, sea, air, q = (
        np.atleast_1d(np.asarray(x, dtype=float))
        for x in (d, stockout_days, sea_days, air_days, qty)
    )
    gap = np.clip(sea - np.maximum(so, air), 0, None)
    need = round_to_case(d * gap, case_pack)
    air_q = np.minimum(need, q.astype(np.int64))
    short_sea = np.clip(sea - so, 0, None)
    short_air = np.where(air_q > 0, np.clip(air - so, 0, None), short_sea)
    return air_q, (q - air_q).astype(np.int64), short_sea, short_air


@dataclass(frozen=True)
class Policy:
    """The replenishment policy's parameters; every default here is notebook 05's default."""

    service_a: float = SERVICE_LEVELS[
        "A"
    ]  # fill-rate target for class A SKUs (classes.SERVICE_LEVELS)
    service_b: float = SERVICE_LEVELS["B"]
    service_c: float = SERVICE_LEVELS["C"]
    service_measure: Literal["fill_rate", "cycle"] = "fill_rate"  # what the service level means
    review_days: int = 7  # how often the plan is made
    order_cycle_days: int = (
        0  # a purchase covers at least this many days of demand (0: order up to S)
    )
    cover_low: float = 4.0  # target band of weeks of cover at Amazon
    cover_high: float = 8.0
    moq: int = 0  # the default minimum order quantity (the SKU master's wins)
    air_rate_per_kg: float = 7.0  # UNCONFIRMED: China→US air freight, per chargeable kg
    sea_rate_per_cbm: float = 200.0  # UNCONFIRMED: China→US LCL sea freight, per cubic metre
    referral_rate: float = 0.15  # Amazon referral fee on the price (most categories)
    fulfilment_fee: float = (
        0.0  # fee per unit for SKUs the fee table cannot price (0: none, they are listed)
    )
    max_purchase_days: int = (
        365  # an MOQ or case pack buying more days of demand waits while stock lasts
    )
    plan_at_a_loss: bool = (
        False  # plan lines that lose money per unit (False: list them as decisions)
    )
    fba_capacity_units: float = 0.0  # units that may be sent to FBA per planning cycle; 0: no limit
    fba_capacity_cubic_feet: float = (
        0.0  # cubic feet that may be sent per planning cycle; 0: no limit
    )
    freight_currency: str = "USD"  # the currency air_rate_per_kg and sea_rate_per_cbm are quoted in
    fee_currency: str = "USD"  # the currency of fulfilment_fee

    #: money parameters and the field holding each one's currency (restated by ``money.restate``)
    MONEY = {
        "air_rate_per_kg": "freight_currency",
        "sea_rate_per_cbm": "freight_currency",
        "fulfilment_fee": "fee_currency",
    }

    @property
    def service_levels(self) -> dict[str, float]:
        return {"A": self.service_a, "B": self.service_b, "C": self.service_c}

    @property
    def cover_band_weeks(self) -> tuple[float, float]:
        return (self.cover_low, self.cover_high)

    @classmethod
    def from_parameters(cls, **params: object) -> Policy:
        """The policy from notebook 05's parameters; parameters that are not the policy's are ignored.

        >>> p = Policy.from_parameters(service_a=0.99, review_days=14, lang="en")
        >>> p.service_levels["A"], p.review_days, p.service_c
        (0.99, 14, 0.9)
        """
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in params.items() if k in names})

    def parameters(self) -> dict[str, object]:
        """The flat notebook parameters (the inverse of ``from_parameters``)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def number_list(text: str, *, kind: type = float) -> tuple:
    """A notebook parameter like ``"7,30,90"`` as a tuple of numbers.

    >>> number_list("7, 30,90", kind=int), number_list("0.2,0.5,0.3")
    ((7, 30, 90), (0.2, 0.5, 0.3))
    """
    try:
        return tuple(kind(x) for x in str(text).split(",") if x.strip())
    except ValueError as exc:
        raise ValueError(f"expected numbers separated by commas, got {text!r}") from exc


def safety_factor(
    measure: Literal["fill_rate", "cycle"],
    service_level,
    *,
    cycle_units,
    sigma,
    sigma_lead_only=None,
) -> np.ndarray:
    """z for each SKU: the normal quantile of a cycle service level, or the factor whose expected
    shortage per cycle is ``(1 − β) · cycle_units`` (:func:`z_for_fill_rate`; ``sigma_lead_only``, the
    spread over the lead time without the review period, nets out shortage carried from the cycle before).

    >>> safety_factor("cycle", [0.95], cycle_units=[70], sigma=[50]).round(3).tolist()
    [1.645]
    >>> safety_factor("fill_rate", [0.98], cycle_units=[70], sigma=[50]).round(2).tolist()  # G(z) = 0.02 × 70 / 50 = 0.028
    [1.52]
    """
    if measure == "cycle":
        return z_for(service_level)
    return z_for_fill_rate(
        service_level,
        order_qty=np.maximum(np.asarray(cycle_units, dtype=float), 1),
        sigma_lt=np.asarray(sigma, dtype=float),
        sigma_l=sigma_lead_only,
    )


def echelon_targets(
    *,
    forecast_fba,
    sigma_fba,
    forecast_network,
    sigma_network,
    d,
    sigma_lead_fba,
    sigma_lead_network,
    z_fba,
    z_network,
) -> tuple[np.ndarray, np.ndarray]:
    """The order-up-to levels ``S₁`` (FBA) and ``S₂`` (the whole network's echelon) of the module text.

    A hand example: 10 a day, FBA protection period 51 days (44 transit + 7 review), network 71 days
    (20 more of production); forecast errors 60 and 90 units; transit σ 5 days, whole lead time σ 6.4;
    z = 1.5 for both: S₁ = 510 + 1.5·√(3600 + 2500) = 627.15, S₂ = 710 + 1.5·√(8100 + 4096) = 875.65.

    >>> s1, s2 = echelon_targets(forecast_fba=510, sigma_fba=60, forecast_network=710, sigma_network=90, d=10,
    ...                          sigma_lead_fba=5, sigma_lead_network=6.4, z_fba=1.5, z_network=1.5)
    >>> round(float(s1), 2), round(float(s2), 2)
    (627.15, 875.65)
    """
    s1 = np.asarray(forecast_fba, dtype=float) + safety_stock(
        d, 0, 0, sigma_lead_fba, z_fba, sigma_h=sigma_fba
    )
    s2 = np.asarray(forecast_network, dtype=float) + safety_stock(
        d, 0, 0, sigma_lead_network, z_network, sigma_h=sigma_network
    )
    return s1, np.maximum(s2, s1)


def freight_per_unit(
    *, mode: str, weight_lb, cubic_feet, air_rate_per_kg: float, sea_rate_per_cbm: float
) -> np.ndarray:
    """Freight per unit: air by chargeable kg (the larger of actual and volumetric), sea by cubic metre.

    >>> freight_per_unit(mode="air", weight_lb=[2.2046], cubic_feet=[0.1], air_rate_per_kg=7,
    ...                  sea_rate_per_cbm=200).round(2).tolist()  # 1 kg actual beats 0.0028 m³ × 167 = 0.47 kg
    [7.0]
    >>> freight_per_unit(mode="sea", weight_lb=[1], cubic_feet=[1], air_rate_per_kg=7,
    ...                  sea_rate_per_cbm=200).round(2).tolist()  # 0.0283 m³ × 200
    [5.66]
    """
    kg = np.asarray(weight_lb, dtype=float) * KG_PER_LB
    cbm = np.asarray(cubic_feet, dtype=float) * CBM_PER_CUBIC_FOOT
    if mode == "air":
        return np.maximum(kg, cbm * AIR_VOLUMETRIC_KG_PER_CBM) * air_rate_per_kg
    return cbm * sea_rate_per_cbm
