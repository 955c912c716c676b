"""Turnover, days of inventory, sell-through, weeks of cover and cash tied up.

Definitions (all per SKU, and summed over SKUs for a class or the business):

``cogs``                 units sold to customers net of customer returns, × unit cost, in the window. A
                         ledger row partly inside the window counts the same share of its sales as of its
                         days (``stock.window_sums``): a window need not start on the 1st.
``avg_inventory_value``  the time-weighted average stock at cost over the window, from the ledger's
                         balances: a daily ledger row counts its end-of-day balance for its day; a
                         longer row (a month) counts the mean of its opening and closing balance for
                         each of its days (the *period-balance* method). Days with no row count 0.
``turnover``             ``cogs / avg_inventory_value`` for the window (not annualised);
                         ``turnover_annual = turnover × 365 / days``.
``days_of_inventory``    ``days / turnover`` (= ``avg_inventory_value / cogs × days``).
``sell_through``         Amazon's: units shipped in the trailing 90 days / average *available* units at
                         FBA over those days (Seller Central help, "Inventory Performance Index": "sell-
                         through … units shipped in the past 90 days divided by the average number of
                         available units"); available = sellable units, not unfulfillable ones.
``weeks_of_cover_tN``    (available + inbound) / (units sold in the trailing N days / (N / 7)), available
                         and inbound from the stock layer (``stock.available``: FBA sellable units and
                         stock in transit on the same day). Amazon's own report divides by 4 and 12
                         weeks; ours answers "how long will what I can sell and what is on its way last".

Known answers: 10,000 at cost held 5 days of a 30-day month and sold out gives an average
inventory of 10,000 × 5 / 30 and a turnover of 6; annual COGS 120,000 over an average
inventory of 30,000 is a turnover of 4 and about 91 days of inventory.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from stockbook import schema as sch
from stockbook.classes import NO_CLASS, class_of
from stockbook.engine import TableLike, as_table
from stockbook.money import money_or_none, rates_for
from stockbook.stock import (
    COVER_BAND_WEEKS,
    available,
    average_inventory,
    cover,
    days_covered,
    demand_matrix,
    demand_rates,
    positions,
    products_in,
    sells_from_warehouse,
    sold,
    stock_ledger,
    trailing_units,
    unit_costs,
    weeks_of_cover,
    window_sums,
)
from stockbook.stock import products as stock_products


def turnover(cogs, average_inventory):
    """COGS over average inventory; NaN where the average inventory is zero.

    >>> float(turnover(120_000, 30_000)), float(turnover(10_000, 10_000 * 5 / 30))
    (4.0, 6.0)
    """
    cogs = np.asarray(cogs, dtype=float)
    avg = np.asarray(average_inventory, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(avg > 0, cogs / np.where(avg > 0, avg, 1), np.nan)


def days_of_inventory(turnover_rate, days):
    """Days in the period over turnover; NaN where there was no turnover.

    >>> round(float(days_of_inventory(4.0, 365)), 2), float(days_of_inventory(6.0, 30))
    (91.25, 5.0)
    """
    t = np.asarray(turnover_rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, np.asarray(days, dtype=float) / np.where(t > 0, t, 1), np.nan)


def _costed(ledger: TableLike, products: pd.DataFrame | None):
    t = as_table(ledger, sch.LEDGER)
    cost = unit_costs(products)
    c = as_table(
        pd.DataFrame({"sku": cost.index.astype(str), "unit_cost": cost.to_numpy(dtype=float)})
    )
    return t.left_join(c, "sku").drop("sku_right")


def _ratios(g: pd.DataFrame, days, *, cogs=None) -> pd.DataFrame:
    g = g.copy()
    g["avg_units"] = g.pop("unit_days") / days
    g["avg_inventory_value"] = g.pop("value_days") / days
    numerator = g["cogs"] if cogs is None else cogs
    g["turnover"] = turnover(numerator, g["avg_inventory_value"])
    g["turnover_annual"] = g["turnover"] * 365 / days
    g["days_of_inventory"] = days_of_inventory(g["turnover"], days)
    for c in ("cogs", "avg_inventory_value"):
        g[c] = g[c].round(2)
    for c in ("avg_units", "turnover", "turnover_annual", "days_of_inventory"):
        g[c] = g[c].round(3)
    return g


def turnover_table(
    ledger: TableLike,
    *,
    products: pd.DataFrame | None,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    by: tuple[str, ...] = ("sku",),
    numerator: str = "own",
) -> pd.DataFrame:
    """COGS, average inventory value, turnover and days of inventory per ``by`` over the window.

    ``numerator="business"`` divides the whole business's COGS by each group's average inventory:
    the right measure for a location that feeds another (a domestic warehouse sells nothing
    itself, yet its stock turns at the pace of the business's sales).

    >>> led = pd.DataFrame({"period_start": ["2026-01-01"], "period_end": ["2026-12-31"], "sku": "A",
    ...     "location": "US", "location_class": "fba", "disposition": "SELLABLE", "starting": [2_500],
    ...     "customer_shipments": [-12_000], "receipts": [12_000], "ending": [2_500]})
    >>> products = pd.DataFrame({"sku": ["A"], "unit_cost": [12.0]})
    >>> turnover_table(led, products=products, start="2026-01-01", end="2026-12-31")[
    ...     ["cogs", "avg_inventory_value", "turnover", "days_of_inventory"]].values.tolist()
    [[144000.0, 30000.0, 4.8, 76.042]]
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    days = (end - start).days + 1
    g = window_sums(_costed(ledger, products), start=start, end=end, by=by, monthly=False)
    total = g["cogs"].sum() if numerator == "business" else None
    return _ratios(g, days, cogs=total).reset_index(drop=True)


def monthly_trend(
    ledger: TableLike,
    *,
    products: pd.DataFrame | None,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    by: tuple[str, ...] = (),
    numerator: str = "own",
) -> pd.DataFrame:
    """Turnover per calendar month (``turnover_annual`` makes months comparable), optionally per ``by``.

    A ledger row is counted in the month it starts in (monthly and daily ledgers never span two).
    """
    start = pd.Timestamp(start).replace(day=1)
    end = pd.Timestamp(end)
    t = _costed(ledger, products)
    if not by:
        t = t.mutate(scope=ibis.literal("all"))
    keys = by or ("scope",)
    g = window_sums(t, start=start, end=end, by=keys, monthly=True)
    days = pd.PeriodIndex(g["month"], freq="M").days_in_month.to_numpy()
    cogs = g.groupby("month")["cogs"].transform("sum") if numerator == "business" else None
    out = _ratios(g, days, cogs=cogs)
    return out[["month", *[c for c in out.columns if c != "month"]]].sort_values(
        ["month", *keys], ignore_index=True
    )


@dataclass
class TurnoverResult:
    """Everything notebook 03 shows (small pandas frames)."""

    start: pd.Timestamp
    end: pd.Timestamp
    skus: pd.DataFrame  # the report table, one row per SKU
    by_location: pd.DataFrame
    by_class: pd.DataFrame
    business: pd.DataFrame
    trend: pd.DataFrame
    cash: pd.DataFrame
    dead_stock: pd.DataFrame
    over_covered: pd.DataFrame
    under_covered: pd.DataFrame
    band: tuple[float, float]
    dead_days: int = 90  # "dead stock": stock and no sale in this many days …
    dead_days_seen: int = (
        90  # … of which the sales data covers these (the dead-stock count is said of them)
    )
    sales_source: str = ""

    def headlines(self) -> dict[str, object]:
        b = (
            self.business.iloc[0]
            if len(self.business)
            else {"turnover_annual": float("nan"), "days_of_inventory": float("nan")}
        )
        return {
            "turnover_annual": round(float(b["turnover_annual"]), 2),
            "days_of_inventory": round(float(b["days_of_inventory"]), 1),
            "cash_tied_up": money_or_none(self.cash["inventory_value"]),
            "skus_stock_without_cost": int(
                ((self.skus["stock_units"] > 0) & self.skus["stock_value"].isna()).sum()
            ),
            **(
                {"dead_stock_skus_90d": int(len(self.dead_stock))}
                if self.dead_days_seen >= self.dead_days
                else {
                    "dead_stock_skus_data": int(len(self.dead_stock)),
                    "dead_stock_days_seen": int(self.dead_days_seen),
                }
            ),
            "under_covered_skus": int(len(self.under_covered)),
            "over_covered_skus": int(len(self.over_covered)),
        }


def turnover_pack(
    data,
    *,
    period_end: str,
    window_days: int = 365,
    trend_months: int = 12,
    dead_days: int = 90,
    band: tuple[float, float] = COVER_BAND_WEEKS,
    classes: pd.DataFrame | None = None,
    currency: str | None,
) -> TurnoverResult:
    """Run notebook 03's analysis on a loaded data folder (:class:`stockbook.io.Dataset`).

    ``classes`` (sku, abc_class) adds turnover per ABC class. Sales come from the sales export
    when there is one, otherwise from the ledger's customer shipments. Values are in ``currency``, unit
    costs converted from their cost currency at ``period_end``'s rate (``stock.products_in``).
    """
    end = pd.Timestamp(period_end)
    start = end - pd.Timedelta(days=window_days - 1)
    products = stock_products(
        data, as_of=end
    )  # the master, with costs from the ledger's values where it has none
    # costs in the reporting currency at the valuation day (stock value and, simply, the window's cost of sales)
    products = products_in(
        products, currency=currency, on=end, rates=rates_for(data) if currency else None
    )
    cost = unit_costs(products)
    led = stock_ledger(data, period_end=end)
    per_sku = turnover_table(led, products=products, start=start, end=end)
    by_loc = turnover_table(
        led, products=products, start=start, end=end, by=("location_class",), numerator="business"
    )
    business = turnover_table(
        led.mutate(scope=ibis.literal("business")),
        products=products,
        start=start,
        end=end,
        by=("scope",),
    )
    trend_start = (end - pd.offsets.MonthBegin(trend_months)).normalize()
    trend = pd.concat(
        [
            monthly_trend(led, products=products, start=trend_start, end=end).rename(
                columns={"scope": "location_class"}
            ),
            monthly_trend(
                led,
                products=products,
                start=trend_start,
                end=end,
                by=("location_class",),
                numerator="business",
            ),
        ],
        ignore_index=True,
    )

    sales, source = sold(data)
    trail = trailing_units(sales, as_of=end)
    pos = positions(data, as_of=end)
    avail = available(data, as_of=end).set_index("sku")
    # sell-through on Amazon's definition: units shipped in 90 days over the average *available* units
    fba_avg = average_inventory(
        led.filter((led.location_class == "fba") & (led.disposition == "SELLABLE")),
        start=end - pd.Timedelta(days=89),
        end=end,
    )
    skus = per_sku.merge(trail, on="sku", how="outer")
    skus["available"] = skus["sku"].map(avail["available"]).fillna(0).astype("int64")
    skus["unsellable"] = skus["sku"].map(avail["unsellable"]).fillna(0).astype("int64")
    skus["inbound"] = skus["sku"].map(avail["inbound"]).fillna(0).astype("int64")
    skus["stock_units"] = (
        skus["sku"].map(pos.groupby("sku")["units"].sum()).fillna(0).astype("int64")
    )
    skus["stock_value"] = (skus["stock_units"] * skus["sku"].map(cost)).round(2)
    for w in (7, 30, 60, 90):
        skus[f"units_t{w}"] = skus[f"units_t{w}"].fillna(0).astype("int64")
    avg90 = skus["sku"].map(fba_avg.set_index("sku")["avg_units"]).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        skus["sell_through"] = np.where(avg90 > 0, skus["units_t90"] / avg90, np.nan).round(3)
    # cover counts the stock on sale: at Amazon and on its way, or the warehouse's when it is the one that sells
    shop = sells_from_warehouse(data)
    if shop:
        skus["available"] = skus["sku"].map(avail["domestic"]).fillna(0).astype("int64")
    cover_units = skus["available"] + skus["inbound"]
    skus["weeks_of_cover_t30"] = weeks_of_cover(cover_units, skus["units_t30"], 30).round(2)
    skus["weeks_of_cover_t90"] = weeks_of_cover(cover_units, skus["units_t90"], 90).round(2)
    # over- and under-covered: the stock layer's one definition (the expected rate of in-stock days), as 05's
    rates = demand_rates(demand_matrix(sales, as_of=end, days=2 * 90 + 1)).set_index("sku")["rate"]
    covered = cover(
        cover_units, skus["sku"].map(rates).fillna(0.0), unit_cost=skus["sku"].map(cost), band=band
    )
    for c in covered.columns:
        skus[c] = covered[c].to_numpy()
    skus["days_since_last_sale"] = (end - skus["last_sale"]).dt.days
    # "no sale in 90 days" is said of the days the data holds: three monthly 进销存 hold 89
    seen = days_covered(sales, start=end - pd.Timedelta(days=dead_days - 1), end=end)
    skus["dead_stock"] = (
        (skus["stock_units"] > 0) & ~(skus["days_since_last_sale"] < seen) & (seen > 0)
    )
    if classes is not None:
        skus["abc_class"] = class_of(classes, skus["sku"]).to_numpy()
    skus = skus.sort_values(
        ["stock_value", "sku"], ascending=[False, True], na_position="last", ignore_index=True
    )
    contract = [
        "sku",
        "cogs",
        "avg_inventory_value",
        "turnover",
        "days_of_inventory",
        "sell_through",
        "weeks_of_cover_t30",
        "weeks_of_cover_t90",
    ]
    skus = skus[contract + [c for c in skus.columns if c not in contract]]

    by_class = pd.DataFrame()
    if classes is not None:
        cls = as_table(
            classes[["sku", "abc_class"]].astype({"sku": "string", "abc_class": "string"})
        )
        led_c = led.left_join(cls, "sku").drop("sku_right")
        led_c = led_c.mutate(abc_class=led_c.abc_class.fill_null(NO_CLASS))
        by_class = turnover_table(led_c, products=products, start=start, end=end, by=("abc_class",))

    # cash tied up per location class and the days of sales (at cost) it would last
    daily_cogs = float(per_sku["cogs"].sum()) / window_days
    val = pos.assign(value=pos["units"] * pos["sku"].map(cost))
    g = val.assign(value=val["value"].astype("float64")).groupby("location_class")
    cash = pd.DataFrame(
        {"units": g["units"].sum(), "inventory_value": g["value"].sum(min_count=1)}
    ).reset_index()
    cash["inventory_value"] = cash["inventory_value"].astype("float64")
    cash["inventory_value"] = cash["inventory_value"].round(2)
    cash["share"] = (cash["inventory_value"] / cash["inventory_value"].sum()).round(4)
    cash["days_of_sales"] = (
        (cash["inventory_value"] / daily_cogs).round(1) if daily_cogs else np.nan
    )
    order = {c: i for i, c in enumerate(("domestic", "in_transit", "fba", "third_party"))}
    cash = cash.sort_values("location_class", key=lambda s: s.map(order)).reset_index(drop=True)

    cols = [
        "sku",
        "stock_units",
        "stock_value",
        "last_sale",
        "days_since_last_sale",
        "units_t90",
        "weeks_of_cover_t30",
        "weeks_of_cover_t90",
    ]
    dead = skus.loc[skus["dead_stock"], cols].reset_index(drop=True)
    # ranked by the money at stake: stock tied up beyond the band, stock missing below it (at cost)
    over = (
        skus.loc[
            skus["cover_status"] == "over",
            cols + ["weeks_of_cover", "excess_units", "excess_value", "available", "inbound"],
        ]
        .sort_values(["excess_value", "sku"], ascending=[False, True])
        .reset_index(drop=True)
    )
    under = (
        skus.loc[
            skus["cover_status"] == "under",
            cols + ["weeks_of_cover", "short_units", "short_value", "available", "inbound"],
        ]
        .sort_values(["short_value", "sku"], ascending=[False, True])
        .reset_index(drop=True)
    )
    return TurnoverResult(
        start,
        end,
        skus,
        by_loc,
        by_class,
        business,
        trend,
        cash,
        dead,
        over,
        under,
        band,
        dead_days=dead_days,
        dead_days_seen=seen,
        sales_source=source,
    )


def by_marketplace(
    data,
    *,
    period_end: str,
    window_days: int = 365,
    currency: str | None,
    marketplaces: list[str] | None = None,
) -> pd.DataFrame:
    """Turnover, days of inventory and cash tied up per marketplace, each in ``currency``: the same analysis on
    each marketplace's rows (:meth:`stockbook.io.Dataset.only_marketplace`; rows naming no marketplace, such as
    the domestic warehouse, count with the first), so the marketplaces' cash adds up to the business's."""
    found = data.marketplaces() if hasattr(data, "marketplaces") else []
    chosen = list(marketplaces) if marketplaces else found
    rows = []
    for mp in chosen:
        sub = data.only_marketplace(mp, main=mp == chosen[0])
        h = turnover_pack(
            sub, period_end=period_end, window_days=window_days, currency=currency
        ).headlines()
        rows.append(
            {
                "marketplace": mp,
                "turnover_annual": h["turnover_annual"],
                "days_of_inventory": h["days_of_inventory"],
                "cash_tied_up": h["cash_tied_up"],
                "currency": currency or "",
                "includes_domestic": mp == chosen[0],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "marketplace",
            "turnover_annual",
            "days_of_inventory",
            "cash_tied_up",
            "currency",
            "includes_domestic",
        ],
    )
