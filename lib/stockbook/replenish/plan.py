"""The purchase plan: what to ship to Amazon and what to buy, when, how much, by air or by sea, and whether
it pays.

``plan_replenishment(data, as_of=…)`` reads a data folder into :class:`PlanInputs` (the demand matrix, the
SKU master in the reporting currency, and the position on the planning day: FBA available, inbound,
domestic, and **on order** from the open purchase orders) and hands them to :func:`plan_orders`, the
one planning function the notebook, the tests and the weekly replay (:mod:`~stockbook.replenish.backtest`)
all call. The policy's formulas are in :mod:`~stockbook.replenish.policy`.

**Economics.** Per unit, ``net = price ÷ (1 + VAT) − referral · price − fulfilment fee`` (the fee per SKU from
Amazon's dated fee table, :func:`stockbook.fees.fulfilment_fees`; VAT per marketplace) and ``landed = cost + freight``
by mode. A purchase line whose landed cost exceeds its net is flagged (``warning``), and so is a
shipment whose freight alone exceeds it; neither is dropped silently. **Air** carries the smallest
quantity that bridges the days between the stock-out and the sea arrival, when the margin those days
earn exceeds the extra freight; every line says why it goes by air or by sea. An optional **FBA capacity
limit** (units or cubic feet per planning cycle) cuts what is sent, the largest margin per unit first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from stockbook import fees
from stockbook import schema as sch
from stockbook.classes import class_of
from stockbook.money import money_or_none, rates_for, restate
from stockbook.replenish.demand import DemandSettings, forecasts
from stockbook.replenish.lead_time import (
    LeadTimes,
    calibrate,
    calibrate_by_destination,
    observed_transit,
    observed_transit_by_destination,
    production_days,
)
from stockbook.replenish.policy import (
    Policy,
    air_sea_split,
    echelon_targets,
    freight_per_unit,
    round_to_case,
    safety_factor,
)
from stockbook.stock import (
    DemandMatrix,
    available,
    cover,
    demand_matrix,
    on_order,
    open_purchase_orders,
    products_in,
    sells_from_warehouse,
    sku_marketplaces,
    sold,
    unit_fees,
)
from stockbook.stock import products as stock_products

#: the SKU master's columns the plan uses, per SKU
PRODUCT_COLUMNS = (
    "unit_cost",
    "price",
    "cubic_feet",
    "weight_lb",
    "case_pack",
    "moq",
    "production_days",
    "supplier",
    "category",
)
#: the position columns, per SKU
POSITION_COLUMNS = ("available", "inbound", "domestic", "on_order")


@dataclass(frozen=True)
class PlanInputs:
    """What one plan needs, independent of where it came from (a data folder or the replay)."""

    as_of: pd.Timestamp
    matrix: DemandMatrix  # SKU × day units and in-stock days up to ``as_of``
    products: pd.DataFrame  # indexed by sku: PRODUCT_COLUMNS (money in the reporting currency)
    position: pd.DataFrame  # indexed by sku: POSITION_COLUMNS on ``as_of``
    destination: pd.Series = field(
        default_factory=lambda: pd.Series(dtype="string")
    )  # marketplace per SKU
    #: where stock meets customers: "fba" (Amazon, an overseas warehouse), or "domestic" for a seller whose data
    #: holds no stock at Amazon or abroad (a shop selling from its own warehouse: purchases only, no freight leg)
    selling_node: str = "fba"
    #: per SKU: ``vat_rate`` in its marketplace's prices, ``fulfilment_fee`` per unit in the reporting currency
    #: (NaN where the fee table cannot price it), ``fee_tier``, ``shipping_weight_lb``, ``fee_table``, ``fee_note``;
    #: empty: no VAT, ``Policy.fulfilment_fee``
    fees: pd.DataFrame = field(default_factory=pd.DataFrame)


def inputs_from_folder(
    data, *, as_of: str | pd.Timestamp, currency: str | None, history_days: int = 365 + 150
) -> PlanInputs:
    """The plan's inputs from a loaded data folder: sales as a demand matrix (a year back plus the look-back
    and horizon of the seasonal index), the SKU master, and the position from the stock layer (in transit on
    the day of the FBA position) with the open purchase orders."""
    as_of_ts = pd.Timestamp(as_of)
    products = sch.products_by_sku(
        products_in(
            stock_products(data, as_of=as_of_ts),
            currency=currency,
            on=as_of_ts,
            rates=rates_for(data) if currency else None,
        )
    )
    sales, _ = sold(data)
    m = demand_matrix(sales, as_of=as_of_ts, days=history_days, skus=list(products.index))
    pos = available(data, as_of=as_of_ts).set_index("sku")
    position = pd.DataFrame(index=pd.Index(m.skus, name="sku"))
    position["fba"] = pos["available"].reindex(position.index).fillna(0)  # sellable at Amazon alone
    position["available"] = (
        (pos["available"] + pos["third_party"]).reindex(position.index).fillna(0)
    )
    position["inbound"] = pos["inbound"].reindex(position.index).fillna(0)
    position["domestic"] = pos["domestic"].reindex(position.index).fillna(0)
    po = on_order(
        data["purchase_orders"] if data.has("purchase_orders") else None, as_of=as_of_ts
    ).set_index("sku")
    position["on_order"] = po["on_order"].reindex(position.index).fillna(0)
    dest = sku_marketplaces(data, skus=list(m.skus)).astype("string")
    # SKUs whose rows name no marketplace go to the one most SKUs are placed in
    main = dest.value_counts().index[0] if dest.notna().any() else pd.NA
    dest = dest[~dest.index.duplicated()].reindex(position.index).fillna(main)
    raw = stock_products(data, as_of=as_of_ts)
    unit = (
        unit_fees(data, raw, dest, as_of=as_of_ts, currency=currency, rates=rates_for(data))
        if currency and raw is not None
        else pd.DataFrame()
    )
    return PlanInputs(
        as_of_ts,
        m,
        products,
        position.astype("int64"),
        dest,
        selling_node="domestic" if sells_from_warehouse(data) else "fba",
        fees=unit,
    )


def _money_text(x) -> pd.Series:
    return pd.Series(np.round(np.asarray(x, dtype=float), 2)).map("{:,.2f}".format)


def _days_text(x) -> pd.Series:
    x = np.asarray(x, dtype=float)
    return (
        pd.Series(np.round(np.where(np.isfinite(x), x, np.nan)))
        .astype("Int64")
        .astype("string")
        .fillna("∞")
    )


def line_reasons(
    mode: str, *, stockout, sea_days, saved, extra_freight, net, short_sea, declined, currency: str
) -> np.ndarray:
    """Why each line goes by ``mode``: the air bridge and what it earns against its extra freight; or, by sea,
    that it lands in time, that air would cost more than it saves, that there is no price to weigh it, or
    that nothing can land before the stock-out. Text is built only for the lines that need it.

    >>> line_reasons("sea", stockout=np.array([50.0, 10.0]), sea_days=np.array([44.0, 44.0]),
    ...              saved=np.array([0.0, 12.0]), extra_freight=np.array([0.0, 90.0]), net=np.array([9.0, 9.0]),
    ...              short_sea=np.array([0.0, 34.0]), declined=np.array([False, True]), currency="USD").tolist()
    ['sea: lands before the stock runs out', 'sea: air would cost 90.00 USD more, above the 12.00 USD of margin it would save']
    """
    if mode == "air":
        return (
            "air: stock lasts "
            + _days_text(stockout)
            + " days and sea lands on day "
            + _days_text(sea_days)
            + "; the days air bridges earn "
            + _money_text(saved)
            + " "
            + currency
            + " of margin, more than the "
            + _money_text(extra_freight)
            + " "
            + currency
            + " extra freight"
        ).to_numpy(dtype=object)
    out = np.full(len(stockout), "sea: lands before the stock runs out", dtype=object)
    no_price = np.isnan(net) & (short_sea > 0)
    declined = np.asarray(declined) & ~no_price
    late = (short_sea > 0) & ~no_price & ~declined
    out[no_price] = (
        "sea: no price or no fulfilment fee for this SKU, so air cannot be weighed against the lost sales"
    )
    if declined.any():
        out[declined] = (
            "sea: air would cost "
            + _money_text(extra_freight[declined])
            + " "
            + currency
            + " more, above the "
            + _money_text(saved[declined])
            + " "
            + currency
            + " of margin it would save"
        ).to_numpy(dtype=object)
    out[late] = "sea: runs out before any shipment can land; air lands no sooner"
    return out


def loss_warnings(kind: str, mode: str, *, margin, landed, net, currency: str) -> np.ndarray:
    """The warning on a line that loses money per unit (blank on the others).

    >>> loss_warnings("purchase", "sea", margin=np.array([2.0, -1.5]), landed=np.array([6.0, 9.5]),
    ...               net=np.array([8.0, 8.0]), currency="USD").tolist()
    ['', 'sells at a loss: landed 9.50 USD (goods + sea freight) against 8.00 USD after VAT, referral and fulfilment fees']
    """
    out = np.full(len(margin), "", dtype=object)
    out[np.isnan(margin)] = "no price or no fulfilment fee for this SKU: margin unknown"
    loss = margin < 0
    if loss.any():
        out[loss] = (
            (
                "sells at a loss: landed "
                + _money_text(landed[loss])
                + " "
                + currency
                + " (goods + "
                + mode
                + " freight) against "
                + _money_text(net[loss])
                + " "
                + currency
                + " after VAT, referral and fulfilment fees"
            )
            if kind == "purchase"
            else (
                "freight alone exceeds the "
                + _money_text(net[loss])
                + " "
                + currency
                + " a unit brings after fees"
            )
        ).to_numpy(dtype=object)
    return out


def hold_what_does_not_pay(
    s: pd.DataFrame,
    *,
    ship_qty: np.ndarray,
    buy_qty: np.ndarray,
    needed: np.ndarray,
    rate: np.ndarray,
    cover_days: np.ndarray,
    lead_review_days: np.ndarray,
    ship_margin: np.ndarray,
    buy_margin: np.ndarray,
    policy: Policy,
    currency: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Lines the plan holds back, each a decision for the seller (written to ``s``: ``held_kind``,
    ``held_qty``, ``decision``, ``loss_per_unit``), and the quantities left to plan:

    - a purchase or shipment that loses money per unit at sea (``buy_margin`` = net − cost − sea freight;
      ``ship_margin`` = net − sea freight, the goods already bought) is not planned unless
      ``policy.plan_at_a_loss``: raise the price, cut the cost, or clear the stock;
    - a purchase an MOQ or case pack makes larger than needed, buying more than ``policy.max_purchase_days``
      of demand (``qty ÷ rate``), waits while the stock lasts beyond the lead time and review
      (``cover_days > lead_review_days``): a later plan buys it when it is due.

    >>> s = pd.DataFrame(index=pd.Index(["A", "B", "C"], name="sku"))
    >>> ship, buy = hold_what_does_not_pay(s, ship_qty=np.array([0, 0, 10]), buy_qty=np.array([250, 100, 40]),
    ...     needed=np.array([1, 100, 40]), rate=np.array([0.4, 2.0, 1.0]), cover_days=np.array([89.0, 20, 30]),
    ...     lead_review_days=np.array([71.0, 71, 71]), ship_margin=np.array([5.0, 5, 5]),
    ...     buy_margin=np.array([3.0, -1.2, 2]), policy=Policy(), currency="USD")
    >>> buy.tolist(), s["held_qty"].tolist()
    ([0, 0, 40], [250, 100, 0])
    >>> s["decision"].iloc[0]
    'purchase of 250 held: the MOQ or case pack buys 625 days of demand; the stock lasts 89 days, beyond the lead time and review (71 days)'
    """
    ship_in, buy_in = np.asarray(ship_qty), np.asarray(buy_qty)
    ship_qty, buy_qty = ship_in.astype(float), buy_in.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        days = np.where(rate > 0, buy_qty / np.where(rate > 0, rate, 1.0), np.inf)
    keep_losses = policy.plan_at_a_loss
    loss_buy = (buy_qty > 0) & (np.nan_to_num(buy_margin, nan=0.0) < 0) & (not keep_losses)
    loss_ship = (ship_qty > 0) & (np.nan_to_num(ship_margin, nan=0.0) < 0) & (not keep_losses)
    defer = (
        (buy_qty > 0)
        & ~loss_buy
        & (buy_qty > needed)
        & (days > policy.max_purchase_days)
        & (cover_days > lead_review_days)
    )
    decision = np.full(len(buy_qty), "", dtype=object)
    held_kind = np.full(len(buy_qty), "", dtype=object)
    held = np.zeros(len(buy_qty))

    def qty(x):
        return pd.Series(x).map("{:,.0f}".format)

    if defer.any():
        decision[defer] = (
            "purchase of "
            + qty(buy_qty[defer])
            + " held: the MOQ or case pack buys "
            + qty(days[defer])
            + " days of demand; the stock lasts "
            + qty(cover_days[defer])
            + " days, beyond the lead time and review ("
            + qty(lead_review_days[defer])
            + " days)"
        ).to_numpy(dtype=object)
    if loss_buy.any():
        decision[loss_buy] = (
            "purchase of "
            + qty(buy_qty[loss_buy])
            + " not planned: each unit loses "
            + _money_text(-buy_margin[loss_buy])
            + " "
            + currency
            + " landed by sea; raise the price, cut the cost or stop buying it"
        ).to_numpy(dtype=object)
    if loss_ship.any():
        text = (
            "shipment of "
            + qty(ship_qty[loss_ship])
            + " not planned: the sea freight and fees exceed the price by "
            + _money_text(-ship_margin[loss_ship])
            + " "
            + currency
            + " a unit; sell or clear it where it is"
        ).to_numpy(dtype=object)
        both = decision[loss_ship] != ""
        decision[loss_ship] = np.where(both, decision[loss_ship] + "; " + text, text)
    hold_buy = defer | loss_buy
    held_kind[hold_buy] = "purchase"
    held_kind[loss_ship & ~hold_buy] = "ship_to_fba"
    held_kind[loss_ship & hold_buy] = "both"
    held[hold_buy] = buy_qty[hold_buy]
    held[loss_ship & ~hold_buy] = ship_qty[loss_ship & ~hold_buy]
    held[loss_ship & hold_buy] += ship_qty[loss_ship & hold_buy]
    loss = np.full(len(buy_qty), np.nan)
    loss[loss_ship] = -ship_margin[loss_ship]
    loss[loss_buy] = -buy_margin[loss_buy]
    s["held_kind"] = held_kind
    s["held_qty"] = held.astype(np.int64)
    s["loss_per_unit"] = np.round(loss, 2)
    s["decision"] = decision
    return np.where(loss_ship, 0, ship_in), np.where(hold_buy, 0, buy_in)


def plan_orders(
    inputs: PlanInputs,
    *,
    policy: Policy = Policy(),
    lead: LeadTimes = LeadTimes(),
    demand: DemandSettings = DemandSettings(),
    classes: pd.DataFrame | pd.Series | None = None,
    supplier_production_days: dict[str, float] | None = None,
    currency: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The policy per SKU, the order lines, and the demand table, from :class:`PlanInputs` (module text).

    Returns ``(skus, plan, demand)``; ``classes`` gives each SKU's ABC class (``classes.class_of``: C where missing).
    """
    as_of = inputs.as_of
    m = inputs.matrix
    keep = inputs.products.index.get_indexer(m.skus) >= 0
    m = DemandMatrix(m.skus[keep], m.dates, m.units[keep], m.in_stock[keep], m.stock_known)
    prod = inputs.products.reindex(m.skus)
    n = len(m.skus)
    groups = (
        pd.factorize(prod["category"].astype("string").fillna("").to_numpy())[0]
        if n
        else np.zeros(0, int)
    )
    production = production_days(
        prod, default=lead.production, by_supplier=supplier_production_days
    )
    r = float(policy.review_days)
    shop = (
        inputs.selling_node == "domestic"
    )  # the warehouse sells: no FBA leg, the supplier delivers to it
    l1 = 0.0 if shop else lead.transit("sea")
    h1 = int(round(l1 + r))
    h2_default = int(round(lead.production + l1 + r))
    f1, f2 = forecasts(m, horizons=(h1, h2_default), settings=demand, groups=groups)
    # a SKU's own production time changes its network horizon: forecast and error scale with the days
    h2 = production + l1 + r
    scale = h2 / h2_default
    d = f1["forecast_rate"].to_numpy(dtype=float)
    fc1, sig1 = f1["forecast_units"].to_numpy(dtype=float), f1["sigma_h"].to_numpy(dtype=float)
    fc2, sig2 = (
        f2["forecast_units"].to_numpy(dtype=float) * scale,
        f2["sigma_h"].to_numpy(dtype=float) * scale,
    )
    d2 = np.where(h2 > 0, fc2 / h2, 0.0)

    s = f1.set_index("sku")
    s["seasonal_index_network"] = f2["seasonal_index"].to_numpy()
    pos = inputs.position.reindex(m.skus).fillna(0)
    if shop:  # the warehouse's stock is the stock on sale
        pos = pos.assign(available=pos["available"] + pos["domestic"], domestic=0)
        if "fba" in pos:
            pos["fba"] = pos["available"]
    for c in POSITION_COLUMNS:
        s[c] = pos[c].to_numpy(dtype=np.int64)
    s["fba"] = (
        pos["fba"].to_numpy(dtype=np.int64) if "fba" in pos else s["available"]
    )  # without third-party
    s["abc_class"] = class_of(classes, s.index).to_numpy()
    level = (
        pd.Series(policy.service_levels)
        .reindex(s["abc_class"].to_numpy())
        .fillna(policy.service_c)
        .to_numpy(dtype=float)
    )
    s["service_level"] = level
    sl1 = 0.0 if shop else lead.transit_sd["sea"]
    sl2 = float(np.hypot(lead.production_sd, sl1))
    spread1 = np.sqrt(sig1**2 + d**2 * sl1**2)
    spread2 = np.sqrt(sig2**2 + d2**2 * sl2**2)
    cycle_buy = max(policy.order_cycle_days, policy.review_days)
    # a purchase buys at least the MOQ or a case: a slow mover reorders every few months, not every review
    case = prod["case_pack"].astype("Float64").fillna(1).to_numpy(dtype=float)
    moq = prod["moq"].astype("Float64").fillna(policy.moq).to_numpy(dtype=float)
    bought_per_cycle = np.maximum(d2 * cycle_buy, np.maximum(moq, case))
    # the spread over the lead time alone (errors grow about linearly with the days they cover)
    z1 = safety_factor(
        policy.service_measure,
        level,
        cycle_units=d * r,
        sigma=spread1,
        sigma_lead_only=spread1 * l1 / (l1 + r),
    )
    z2 = safety_factor(
        policy.service_measure,
        level,
        cycle_units=bought_per_cycle,
        sigma=spread2,
        sigma_lead_only=spread2 * (h2 - cycle_buy) / h2,
    )
    s1, s2 = echelon_targets(
        forecast_fba=fc1,
        sigma_fba=sig1,
        forecast_network=fc2,
        sigma_network=sig2,
        d=d,
        sigma_lead_fba=sl1,
        sigma_lead_network=sl2,
        z_fba=z1,
        z_network=z2,
    )
    s["production_days"] = production
    s["z"] = z1.round(3)
    s["z_network"] = z2.round(3)
    s["safety_stock"] = np.ceil(s1 - fc1).astype(np.int64)
    s["order_up_to_fba"] = np.ceil(s1).astype(np.int64)
    s["safety_stock_network"] = np.ceil(s2 - fc2).astype(np.int64)
    s["order_up_to_network"] = np.ceil(s2).astype(np.int64)
    # the reorder point of the order-up-to rule: below it at a review, an order goes out
    s["reorder_point"] = s["order_up_to_fba"]
    ip1 = (pos["available"] + pos["inbound"]).to_numpy(dtype=float)
    ip2 = ip1 + (pos["domestic"] + pos["on_order"]).to_numpy(dtype=float)
    s["position_fba"] = ip1.astype(np.int64)
    s["position_network"] = ip2.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover_fba = np.where(d > 0, ip1 / d, np.inf)
        cover_net = np.where(d > 0, ip2 / d, np.inf)
        avail_days = np.where(d > 0, pos["available"].to_numpy(dtype=float) / d, np.inf)
        next_buy = np.where(d2 > 0, np.clip((ip2 - s2) / np.where(d2 > 0, d2, 1), 0, None), np.nan)
    s["days_of_cover"] = np.round(cover_fba, 1)
    s["network_days_of_cover"] = np.round(cover_net, 1)
    # over / under the cover band: the stock layer's one definition (FBA sellable + inbound over the expected
    # rate of in-stock days), the same as notebook 03's lists
    at_amazon = (s["fba"] + s["inbound"]).to_numpy(dtype=float)
    covered = cover(
        at_amazon,
        s["rate"].to_numpy(dtype=float),
        band=policy.cover_band_weeks,
        unit_cost=prod["unit_cost"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
    )
    for c in covered.columns:
        s[c] = covered[c].to_numpy()
    s["stockout_date"] = (
        as_of
        + pd.to_timedelta(np.where(np.isfinite(avail_days), np.floor(avail_days), np.nan), unit="D")
    ).astype("datetime64[s]")
    s["next_purchase_date"] = (as_of + pd.to_timedelta(np.round(next_buy), unit="D")).astype(
        "datetime64[s]"
    )
    s["at_risk"] = (cover_fba < l1) & (d > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s["target_days_at_fba"] = np.where(d > 0, s1 / np.where(d > 0, d, 1), np.nan).round(1)

    # economics per unit, in the reporting currency
    price = prod["price"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    cost_known = prod["unit_cost"].notna().to_numpy()
    cost = prod["unit_cost"].astype("Float64").fillna(0).to_numpy(dtype=float)
    weight = prod["weight_lb"].astype("Float64").fillna(1).to_numpy(dtype=float)
    cube = prod["cubic_feet"].astype("Float64").fillna(0.1).to_numpy(dtype=float)
    rates = {"air_rate_per_kg": policy.air_rate_per_kg, "sea_rate_per_cbm": policy.sea_rate_per_cbm}
    air_f = freight_per_unit(mode="air", weight_lb=weight, cubic_feet=cube, **rates)
    sea_f = freight_per_unit(mode="sea", weight_lb=weight, cubic_feet=cube, **rates)
    if shop:  # the supplier delivers to the seller's own warehouse: no line haul to price
        air_f = sea_f = np.zeros(n)
    # the fee per SKU from Amazon's fee table (the policy's fee only where the table cannot price a SKU and
    # the seller has stated one), the price net of its marketplace's VAT
    if len(inputs.fees):
        unit = inputs.fees.reindex(s.index)
        fee = unit["fulfilment_fee"].to_numpy(dtype=float)
        stated = policy.fulfilment_fee > 0
        for c in ("fee_tier", "fee_table", "fee_note"):
            s[c] = unit[c].astype("string").to_numpy()
        s["shipping_weight_lb"] = unit["shipping_weight_lb"].to_numpy(dtype=float)
        gap = np.isnan(fee)
        s.loc[gap, "fee_note"] = fees.FEE_NOTES["parameter" if stated else "none"]
        fee = np.where(gap & stated, policy.fulfilment_fee, fee)
        vat = unit["vat_rate"].fillna(0.0).to_numpy(dtype=float)
    else:  # no fee table for these SKUs: the stated fee, or none
        fee = np.full(n, float(policy.fulfilment_fee) if policy.fulfilment_fee > 0 else np.nan)
        vat = np.zeros(n)
        s["fee_tier"] = s["fee_table"] = pd.Series(pd.NA, index=s.index, dtype="string")
        s["shipping_weight_lb"] = np.nan
        s["fee_note"] = fees.FEE_NOTES["parameter" if policy.fulfilment_fee > 0 else "none"]
    s["vat_rate"] = vat
    s["fulfilment_fee"] = np.round(fee, 2)
    net = fees.net_per_unit(
        price, vat_rate=vat, referral_rate=policy.referral_rate, fulfilment_fee=fee
    )
    s["net_per_unit"] = np.round(net, 2)
    s["landed_cost_sea"] = np.round(cost + sea_f, 2)
    s["margin_per_unit_sea"] = np.round(net - cost - sea_f, 2)

    ship_qty = np.minimum(
        round_to_case(np.clip(s1 - ip1, 0, None), case), pos["domestic"].to_numpy()
    )
    if shop:
        ship_qty = np.zeros(n)
    buy_need = np.where(ip2 < s2, np.maximum(s2 - ip2, d2 * policy.order_cycle_days), 0.0)
    buy_qty = round_to_case(buy_need, case, moq)
    ship_qty, buy_qty = hold_what_does_not_pay(
        s,
        ship_qty=ship_qty,
        buy_qty=buy_qty,
        needed=round_to_case(buy_need, case),
        rate=d2,
        cover_days=cover_net,
        lead_review_days=production + l1 + r,
        ship_margin=net - sea_f,
        buy_margin=net - cost - sea_f,
        policy=policy,
        currency=currency,
    )

    lines = []
    for kind, qty, extra, stockout, goods in (
        ("ship_to_fba", ship_qty, np.zeros(n), cover_fba, np.zeros(n)),
        ("purchase", buy_qty, production, cover_net, cost),
    ):
        sea_days = extra + l1
        air_days = sea_days if shop else extra + lead.transit("air")
        air_q, _, short_sea, short_air = air_sea_split(
            d=d,
            stockout_days=stockout,
            sea_days=sea_days,
            air_days=air_days,
            qty=qty,
            case_pack=case,
        )
        air_want = air_q
        extra_freight = air_q * (air_f - sea_f)
        # a sale lost to a stock-out loses the unit's margin (goods already bought count as sunk for shipments)
        unit_margin = np.where(kind == "ship_to_fba", net - sea_f, net - cost - sea_f)
        saved = d * (short_sea - short_air) * np.clip(np.nan_to_num(unit_margin), 0, None)
        use_air = (air_q > 0) & (saved > extra_freight)
        air_q = np.where(use_air, air_q, 0)
        sea_q = qty - air_q
        for mode, q, days, unit_f in (
            ("air", air_q, air_days, air_f),
            ("sea", sea_q, sea_days, sea_f),
        ):
            hit = q > 0
            if not hit.any():
                continue
            margin = (net - unit_f - goods)[hit]
            why = line_reasons(
                mode,
                stockout=stockout[hit],
                sea_days=sea_days[hit],
                saved=saved[hit],
                extra_freight=extra_freight[hit],
                net=net[hit],
                short_sea=short_sea[hit],
                declined=((air_want > 0) & ~use_air)[hit],
                currency=currency,
            )
            warning = loss_warnings(
                kind,
                mode,
                margin=margin,
                landed=(goods + unit_f)[hit],
                net=net[hit],
                currency=currency,
            )
            if shop:
                why = np.full(
                    int(hit.sum()),
                    "delivered by the supplier to the warehouse that sells (no stock at "
                    "Amazon or abroad in the data)",
                    dtype=object,
                )
            unknown_cost = (
                ~cost_known[hit] if kind == "purchase" else np.zeros(int(hit.sum()), bool)
            )
            warning = np.where(
                unknown_cost & (warning == ""),
                "no unit cost: goods cost unknown, not counted in the cash needed",
                warning,
            )
            od = pd.Series(as_of, index=range(int(hit.sum())))
            lines.append(
                pd.DataFrame(
                    {
                        "sku": s.index[hit],
                        "order_qty": q[hit].astype(np.int64),
                        "order_date": od.to_numpy(),
                        "mode": "supplier_delivery" if shop else mode,
                        "arrival_date": (
                            od + pd.to_timedelta(np.round(days[hit]), unit="D")
                        ).to_numpy(),
                        "stockout_date": s["stockout_date"].to_numpy()[hit],
                        "safety_stock": (
                            s["safety_stock"]
                            if kind == "ship_to_fba"
                            else s["safety_stock_network"]
                        ).to_numpy()[hit],
                        "reorder_point": (
                            s["order_up_to_fba"]
                            if kind == "ship_to_fba"
                            else s["order_up_to_network"]
                        ).to_numpy()[hit],
                        "kind": kind,
                        "goods_cost": np.where(
                            unknown_cost, np.nan, np.round(q[hit] * goods[hit], 2)
                        ),
                        "freight_cost": np.round(q[hit] * unit_f[hit], 2),
                        "margin_per_unit": np.round(margin, 2),
                        "why": why,
                        "warning": warning,
                        "days_short_if_all_sea": short_sea[hit].round(1),
                        "extra_air_freight": np.round(extra_freight[hit], 2)
                        if mode == "air"
                        else 0.0,
                        "margin_saved_by_air": np.round(saved[hit], 2) if mode == "air" else 0.0,
                        "forecast_rate": d[hit],
                        "abc_class": s["abc_class"].to_numpy()[hit],
                        "cubic_feet": (q[hit] * cube[hit]).round(3),
                    }
                )
            )
    plan = (
        pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=list(PLAN_COLUMNS))
    )
    plan = finish_plan(plan, policy=policy)
    dest = inputs.destination[~inputs.destination.index.duplicated()]
    plan["destination"] = dest.reindex(plan["sku"].to_numpy()).to_numpy()
    plan["destination"] = plan["destination"].astype("string")
    s["destination"] = dest.reindex(s.index).astype("string").to_numpy()
    return s.reset_index(), plan[[c for c in PLAN_COLUMNS if c in plan.columns]], f1


def finish_plan(plan: pd.DataFrame, *, policy: Policy) -> pd.DataFrame:
    """The purchase list cut to the FBA capacity (:func:`cap_to_capacity`) and in order: by order date, then
    stock-out, SKU, kind and mode."""
    plan = cap_to_capacity(
        plan, units=policy.fba_capacity_units, cubic_feet=policy.fba_capacity_cubic_feet
    )
    if len(plan):
        plan["order_date"] = pd.to_datetime(plan["order_date"]).astype("datetime64[s]")
        plan["arrival_date"] = pd.to_datetime(plan["arrival_date"]).astype("datetime64[s]")
        plan = plan.sort_values(
            ["order_date", "stockout_date", "sku", "kind", "mode"],
            na_position="last",
            ignore_index=True,
        )
    return plan


def only_skus(inputs: PlanInputs, skus) -> PlanInputs:
    """The plan's inputs narrowed to ``skus`` (one destination's)."""
    m = inputs.matrix
    keep = m.skus.isin(list(skus))
    narrow = DemandMatrix(m.skus[keep], m.dates, m.units[keep], m.in_stock[keep], m.stock_known)

    def rows(frame):
        return frame.loc[frame.index.isin(narrow.skus)] if len(frame) else frame

    return replace(
        inputs,
        matrix=narrow,
        products=rows(inputs.products),
        position=rows(inputs.position),
        destination=rows(inputs.destination),
        fees=rows(inputs.fees),
    )


def plan_by_destination(
    inputs: PlanInputs,
    *,
    leads: dict[str, LeadTimes],
    policy: Policy = Policy(),
    demand: DemandSettings = DemandSettings(),
    classes: pd.DataFrame | pd.Series | None = None,
    supplier_production_days: dict[str, float] | None = None,
    currency: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`plan_orders` per destination marketplace with that marketplace's lead times (``leads``): China
    to the UK is not China to the US. One destination is one call; with several, each is planned alone and
    the FBA capacity cut applied once to the whole list."""
    dest = inputs.destination[~inputs.destination.index.duplicated()].reindex(inputs.matrix.skus)
    markets = sorted(dest.dropna().unique())
    kw = dict(demand=demand, classes=classes, supplier_production_days=supplier_production_days)
    if len(markets) <= 1:
        lead = leads[markets[0]] if markets else next(iter(leads.values()), LeadTimes())
        return plan_orders(inputs, policy=policy, lead=lead, currency=currency, **kw)
    uncapped = replace(policy, fba_capacity_units=0.0, fba_capacity_cubic_feet=0.0)
    parts = [
        plan_orders(
            only_skus(inputs, dest.index[(dest == d).to_numpy()]),
            policy=uncapped,
            lead=leads[d],
            currency=currency,
            **kw,
        )
        for d in markets  # a few marketplaces, never a loop over SKUs
    ]
    order = {sku: i for i, sku in enumerate(inputs.matrix.skus)}
    skus, dem = (
        pd.concat([p[k] for p in parts], ignore_index=True)
        .sort_values("sku", key=lambda x: x.map(order))
        .reset_index(drop=True)
        for k in (0, 2)
    )
    plan = finish_plan(
        pd.concat([p[1] for p in parts if len(p[1])], ignore_index=True)
        if any(len(p[1]) for p in parts)
        else parts[0][1],
        policy=policy,
    )
    return skus, plan[[c for c in PLAN_COLUMNS if c in plan.columns]], dem


#: the purchase list's columns, in order
PLAN_COLUMNS = (
    "sku",
    "order_qty",
    "order_date",
    "mode",
    "arrival_date",
    "stockout_date",
    "safety_stock",
    "reorder_point",
    "destination",
    "kind",
    "goods_cost",
    "freight_cost",
    "margin_per_unit",
    "why",
    "warning",
    "days_short_if_all_sea",
    "extra_air_freight",
    "margin_saved_by_air",
    "forecast_rate",
    "abc_class",
    "cubic_feet",
    "capacity_cut",
)


def cap_to_capacity(
    plan: pd.DataFrame, *, units: float = 0.0, cubic_feet: float = 0.0
) -> pd.DataFrame:
    """Cut the shipments to FBA to a capacity limit (units and/or cubic feet; 0 means none), keeping the
    largest margin per unit first; lines cut record ``capacity_cut`` units and say so in ``why``.

    >>> p = pd.DataFrame({"sku": ["A", "B", "C"], "kind": "ship_to_fba", "order_qty": [50, 40, 30],
    ...                   "margin_per_unit": [1.0, 5.0, 3.0], "cubic_feet": [5.0, 4.0, 3.0], "why": "sea"})
    >>> cap_to_capacity(p, units=60)[["sku", "order_qty", "capacity_cut"]].values.tolist()  # B 40, C 20, A 0
    [['A', 0, 50], ['B', 40, 0], ['C', 20, 10]]
    """
    plan = plan.copy()
    plan["capacity_cut"] = 0
    if not len(plan) or (units <= 0 and cubic_feet <= 0):
        return plan
    ship = plan["kind"] == "ship_to_fba"
    order = plan.loc[ship].sort_values("margin_per_unit", ascending=False, na_position="last").index
    q = plan.loc[order, "order_qty"].to_numpy(dtype=float)
    allowed = q.copy()
    if units > 0:
        before = np.cumsum(q) - q
        allowed = np.minimum(allowed, np.clip(units - before, 0, None))
    if cubic_feet > 0:
        per_unit = plan.loc[order, "cubic_feet"].to_numpy(dtype=float) / np.maximum(q, 1)
        vol = allowed * per_unit
        before = np.cumsum(vol) - vol
        allowed = np.minimum(
            allowed,
            np.floor(np.clip(cubic_feet - before, 0, None) / np.where(per_unit > 0, per_unit, 1)),
        )
    allowed = np.floor(allowed).astype(np.int64)
    cut = (q - allowed).astype(np.int64)
    plan.loc[order, "order_qty"] = allowed
    plan.loc[order, "capacity_cut"] = cut
    hit = order[cut > 0]
    plan.loc[hit, "why"] = (
        plan.loc[hit, "why"]
        + "; cut by "
        + pd.Series(cut[cut > 0], index=hit).astype(str)
        + " units to the FBA capacity limit (lower margin per unit than the lines kept)"
    )
    return plan


def open_orders(purchase_orders: pd.DataFrame | None, *, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """The open purchase orders on ``as_of`` with the units still to come and whether each is late.

    >>> po = pd.DataFrame({"po_number": ["P1"], "sku": ["A"], "units_ordered": [100], "units_received": [40],
    ...                    "order_date": pd.to_datetime(["2026-10-01"]), "expected_date": pd.to_datetime(["2026-10-20"]),
    ...                    "status": ["PARTIAL"]})
    >>> open_orders(po, as_of="2026-10-31")[["po_number", "units_open", "days_late"]].values.tolist()
    [['P1', 60, 11]]
    """
    cols = [
        "po_number",
        "sku",
        "supplier",
        "order_date",
        "expected_date",
        "units_ordered",
        "units_received",
        "units_open",
        "status",
        "days_late",
    ]
    po = open_purchase_orders(purchase_orders, as_of=as_of)
    if not len(po):
        return pd.DataFrame(columns=cols)
    as_of = pd.Timestamp(as_of)
    late = (as_of - pd.to_datetime(po["expected_date"])).dt.days
    po["days_late"] = late.where(late > 0, 0).astype("Int64")
    return po[cols].sort_values(
        ["days_late", "po_number"], ascending=[False, True], ignore_index=True
    )


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
    open_orders: pd.DataFrame = field(default_factory=pd.DataFrame)
    currency: str = ""
    #: the lead times per destination marketplace (``lead`` is the main one's)
    leads: dict[str, LeadTimes] = field(default_factory=dict)

    def lead_table(self) -> pd.DataFrame:
        """The lead-time stages per mode, per destination marketplace when the plan has several."""
        if len(self.leads) <= 1:
            return self.lead.table()
        return pd.concat(
            [t.table().assign(destination=d) for d, t in self.leads.items()], ignore_index=True
        ).pipe(lambda t: t[["destination", *[c for c in t.columns if c != "destination"]]])

    @property
    def decisions(self) -> pd.DataFrame:
        """The lines the plan holds back (:func:`hold_what_does_not_pay`), one row per SKU, with what to
        decide."""
        cols = ["sku", "held_kind", "held_qty", "decision", "loss_per_unit", "days_of_cover"]
        s = self.skus
        if "decision" not in s:
            return pd.DataFrame(columns=cols)
        held = s.loc[s["decision"].astype("string").fillna("") != ""]
        return held[[c for c in cols if c in held]].sort_values("sku", ignore_index=True)

    def headlines(self) -> dict[str, object]:
        p = self.plan
        now = p.loc[p["order_date"] <= self.as_of]
        buy = p.loc[p["kind"] == "purchase"]
        return {
            "skus_to_order_now": int(now["sku"].nunique()),
            "skus_at_risk": int(self.skus["at_risk"].sum()),
            # goods whose cost is unknown are not in it (lines_cost_unknown says how many); blank when none is known
            "cash_needed": money_or_none(
                pd.concat([buy["goods_cost"], p["freight_cost"].where(p["freight_cost"] != 0)])
            ),
            "units_by_air": int(p.loc[p["mode"] == "air", "order_qty"].sum()),
            "units_on_order": int(self.skus["on_order"].sum()),
            "lines_at_a_loss": int((pd.to_numeric(p["margin_per_unit"], errors="coerce") < 0).sum())
            if "margin_per_unit" in p
            else 0,
            "lines_cost_unknown": int(buy["goods_cost"].isna().sum()),
            "lines_held_back": int(len(self.decisions)),
            "lines_margin_unknown": int(
                pd.to_numeric(p["margin_per_unit"], errors="coerce").isna().sum()
            )
            if "margin_per_unit" in p
            else 0,
        }


def plan_replenishment(
    data,
    *,
    as_of: str,
    policy: Policy = Policy(),
    lead: LeadTimes = LeadTimes(),
    demand: DemandSettings = DemandSettings(),
    classes: pd.DataFrame | None = None,
    supplier_production_days: dict[str, float] | None = None,
    currency: str | None,
) -> PlanResult:
    """Demand, lead time, policy and the purchase list for a loaded data folder (module text).

    Production lead time per SKU: the master's ``production_days`` where given, else
    ``supplier_production_days[supplier]``, else ``lead.production``; the line haul per mode is calibrated
    on the closed shipments.
    """
    inputs = inputs_from_folder(data, as_of=as_of, currency=currency)
    policy = restate(
        policy, to=currency, on=inputs.as_of, rates=rates_for(data) if currency else None
    )
    shipments = data["shipments"] if data.has("shipments") else None
    dest = inputs.destination[~inputs.destination.index.duplicated()]
    markets = list(dest.dropna().value_counts().index)  # the main marketplace (most SKUs) first
    leads = calibrate_by_destination(lead, shipments, sku_marketplace=dest, destinations=markets)
    if len(markets) <= 1:  # one marketplace: every closed shipment measures its voyage
        leads = {m: calibrate(lead, shipments) for m in markets} or {"": calibrate(lead, shipments)}
    skus, plan, dem = plan_by_destination(
        inputs,
        leads=leads,
        policy=policy,
        demand=demand,
        classes=classes,
        supplier_production_days=supplier_production_days,
        currency=currency or "",
    )
    restock = (
        restock_check(data["restock"], plan, skus.set_index("sku"), as_of=inputs.as_of)
        if data.has("restock")
        else pd.DataFrame()
    )
    return PlanResult(
        inputs.as_of,
        dem,
        next(iter(leads.values())),
        observed_transit_by_destination(shipments, sku_marketplace=dest)
        if shipments is not None and len(markets) > 1
        else observed_transit(shipments)
        if shipments is not None
        else pd.DataFrame(),
        skus,
        plan,
        restock,
        inputs.matrix,
        open_orders(
            data["purchase_orders"] if data.has("purchase_orders") else None, as_of=inputs.as_of
        ),
        currency or "",
        leads,
    )


def restock_check(
    restock: pd.DataFrame, plan: pd.DataFrame, skus: pd.DataFrame, *, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Our ship-to-FBA quantity against Amazon's Restock Inventory recommendation, with the reason."""
    r = restock.groupby("sku").agg(
        amazon_qty=("recommended_qty", "sum"),
        amazon_ship_date=("recommended_ship_date", "min"),
        amazon_units_30d=("units_sold_30d", "sum"),
    )
    ours = plan.loc[plan["kind"] == "ship_to_fba"].groupby("sku")["order_qty"].sum()
    r["amazon_total_units"] = restock.groupby("sku")["total_units"].sum()
    out = r.join(
        skus[
            [
                "rate_naive_30d",
                "rate_in_stock",
                "rate",
                "forecast_rate",
                "in_stock_share_90d",
                "seasonal_index",
                "days_of_cover",
                "target_days_at_fba",
            ]
        ],
        how="left",
    )
    out["our_qty"] = ours.reindex(out.index).fillna(0).astype("int64")
    out["difference"] = out["our_qty"] - out["amazon_qty"]
    naive = out["amazon_units_30d"].fillna(out["rate_naive_30d"] * 30) / 30
    with np.errstate(divide="ignore", invalid="ignore"):
        out["amazon_target_days"] = np.where(
            naive > 0, (out["amazon_qty"] + out["amazon_total_units"]) / naive, np.nan
        ).round(0)
    # days a report cannot give (no sales to divide by, no policy for the SKU) are said, not left blank
    target_why = (
        "Amazon's recommendation holds about "
        + out["amazon_target_days"].astype("Int64").astype("string").fillna("an unknown number of")
        + " days of supply; our policy targets "
        + out["target_days_at_fba"].round(0).astype("Int64").astype("string").fillna("no")
        + " (transit, one review period and safety stock) — stock beyond that waits in the "
        "domestic warehouse"
    )
    more, less = out["difference"] > 0, out["difference"] < 0
    recent = out["rate"]
    conditions = [
        out["difference"].abs() <= np.maximum(out["amazon_qty"] * 0.2, 10),
        more & (out["in_stock_share_90d"] < 0.9) & (out["rate_in_stock"] > naive * 1.1),
        more & (out["seasonal_index"] > 1.1),
        more & (recent > naive * 1.1),
        less & (out["seasonal_index"] < 0.9),
        less & (recent < naive * 0.9),
    ]
    why = np.select(
        # a comparison with an unknown (a nullable NA rate) is not a reason: False, not an error
        [pd.Series(c, index=out.index).fillna(False).to_numpy(dtype=bool) for c in conditions],
        [
            "agrees within 20 %",
            "we count in-stock days only: stock-outs hid demand from the 30-day average",
            "seasonal index: last year's sales rose over the coming weeks",
            "recent weeks sell faster than the 30-day average",
            "seasonal index: last year's sales fell over the coming weeks",
            "recent weeks sell slower than the 30-day average",
        ],
        target_why.to_numpy(),
    )
    out["why"] = why
    out = out.reset_index()
    return out.reindex(out["difference"].abs().sort_values(ascending=False).index).reset_index(
        drop=True
    )


def projected_stock(
    skus: pd.DataFrame, plan: pd.DataFrame, *, as_of: str | pd.Timestamp, days: int = 120
) -> pd.DataFrame:
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
    return pd.DataFrame(
        {
            "sku": np.repeat(skus["sku"].to_numpy(), days + 1),
            "date": np.tile(dates, n),
            "units": stock.ravel().round(1),
        }
    )
