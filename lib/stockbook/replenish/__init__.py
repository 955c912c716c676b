"""Replenishment: what to ship to Amazon and what to buy, when, how much, by air or by sea.

One package along the problem's own seams, each module with its formulas and sources:

- :mod:`~stockbook.replenish.demand`: the rate per SKU (in-stock days, Croston–SBA for intermittent
  sellers), the seasonal index per SKU or category over the horizon an order covers, and the forecast
  error measured by rolling origins;
- :mod:`~stockbook.replenish.lead_time`: lead time in stages, calibrated on closed shipments;
- :mod:`~stockbook.replenish.policy`: one order-up-to policy over both echelons (domestic warehouse and
  FBA) from one service target, the safety stock and the order arithmetic;
- :mod:`~stockbook.replenish.plan`: the position on the planning day (with open purchase orders), the
  purchase list with its economics (landed cost, air or sea and why, FBA capacity), Amazon's Restock
  recommendation beside it;
- :mod:`~stockbook.replenish.backtest`: the weekly replay against the rules sellers use.

The public names are re-exported here: ``from stockbook import replenish; replenish.plan_replenishment(…)``.
"""

from stockbook.replenish.backtest import (
    RULES,
    Replay,
    Seller,
    backtest_data,
    generated_seller,
    goal,
    replay_seller,
    seller_from_folder,
    simulate,
    summarise,
)
from stockbook.replenish.demand import (
    DemandSettings,
    estimate_demand,
    first_in_stock_day,
    forecast,
    forecasts,
    seasonal_factors,
)
from stockbook.replenish.lead_time import (
    LeadTimes,
    calibrate,
    calibrate_by_destination,
    observed_transit,
    production_days,
    shipment_marketplaces,
)
from stockbook.replenish.plan import (
    PlanInputs,
    PlanResult,
    cap_to_capacity,
    inputs_from_folder,
    open_orders,
    plan_by_destination,
    plan_orders,
    plan_replenishment,
    projected_stock,
    restock_check,
)
from stockbook.replenish.policy import (
    Policy,
    air_sea_split,
    echelon_targets,
    freight_per_unit,
    loss_function,
    normal_cdf,
    number_list,
    reorder_point,
    round_to_case,
    safety_factor,
    safety_stock,
    z_for,
    z_for_fill_rate,
)
from stockbook.stock import (
    Cumulative,
    DemandMatrix,
    average_demand_interval,
    blended_rate,
    croston_sba,
    demand_matrix,
    demand_rates,
    demand_sd,
    in_stock_rate,
)

__all__ = [
    "RULES",
    "Cumulative",
    "DemandMatrix",
    "DemandSettings",
    "LeadTimes",
    "PlanInputs",
    "PlanResult",
    "Policy",
    "Replay",
    "Seller",
    "air_sea_split",
    "average_demand_interval",
    "backtest_data",
    "blended_rate",
    "calibrate",
    "calibrate_by_destination",
    "cap_to_capacity",
    "croston_sba",
    "demand_matrix",
    "demand_rates",
    "demand_sd",
    "echelon_targets",
    "estimate_demand",
    "first_in_stock_day",
    "forecast",
    "forecasts",
    "freight_per_unit",
    "generated_seller",
    "goal",
    "in_stock_rate",
    "inputs_from_folder",
    "plan_by_destination",
    "shipment_marketplaces",
    "loss_function",
    "normal_cdf",
    "number_list",
    "observed_transit",
    "open_orders",
    "plan_orders",
    "plan_replenishment",
    "production_days",
    "projected_stock",
    "reorder_point",
    "replay_seller",
    "restock_check",
    "round_to_case",
    "safety_factor",
    "safety_stock",
    "seasonal_factors",
    "seller_from_folder",
    "simulate",
    "summarise",
    "z_for",
    "z_for_fill_rate",
]
