"""A deterministic, realistic sample seller, written in the real export formats, with an answer key.

``write_sample(out, seed=7)`` simulates about 150 SKUs over 15 months: a
domestic warehouse in Shenzhen that receives purchase orders, sea and air
shipments to FBA US, customer demand with trend, weekly pattern, a Q4 peak
and Prime Day, intermittent slow movers and a few over-stocked lines, customer
returns, lost, found, damaged and disposed units. It then writes what the
seller would download or keep:

===============================================  ==============================================
``amazon/Inventory_Ledger_Summary_Monthly.txt``  Amazon Inventory Ledger, summary view, monthly,
                                                 tab-separated (Amazon's headers)
``amazon/Inventory_Ledger_Detail_2026-10.txt``   Amazon Inventory Ledger, detail view, last month
``warehouse/进销存_深圳仓.xlsx``                  domestic warehouse ledger, Chinese headers
``master/商品资料.csv``                           SKU master, Chinese headers, GB18030 (as Excel
                                                 saves it on a Chinese Windows)
``shipments/fba_shipments.csv``                  shipments to FBA with mode, dates, units
``counts/盘点_2026-10-31.csv``                    physical count of the domestic warehouse
``answer_key.json``                              the injected faults (read only by the tests)
===============================================  ==============================================

Known faults are injected after the simulation: ledger breaks (a flow
mis-stated), a chain break (a restated opening balance), a receiving shortfall,
a count that differs from the book, an orphan FNSKU and a SKU listed twice with
two ASINs. Everything else balances exactly.

The day loop below steps time (state carries from one day to the next); each
step is vectorised over all SKUs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stockbook import fees
from stockbook.aging import bucket_units, fifo_allocate
from stockbook.export import write_xlsx
from stockbook.schema import AGE_BUCKETS, FINE_AGE_BUCKETS, FLOWS

DEFAULT_SEED = 7
DEFAULT_START = "2025-08-01"
DEFAULT_MONTHS = 15
DOMESTIC = "SZ-WH"
FBA = "US"
FCS = ("PHX7", "ONT8", "MDW2", "BFI4", "TEB9")

_NOUNS = (
    "Silicone Lid Set",
    "Pet Grooming Glove",
    "Bamboo Cutting Board",
    "LED Night Light",
    "Yoga Strap",
    "Cable Organizer",
    "Garlic Press",
    "Dog Chew Rope",
    "Shower Caddy",
    "Phone Stand",
    "Ice Cube Tray",
    "Drawer Divider",
    "Cat Feather Wand",
    "Makeup Brush Set",
    "Travel Bottle Kit",
    "Herb Scissors",
    "Desk Mat",
    "Plant Mister",
    "Bike Light",
    "Tea Infuser",
    "Sink Strainer",
    "Laundry Bag",
    "Resistance Band",
    "Spice Rack",
    "Lint Roller",
    "Beard Comb",
    "Car Trash Can",
    "Coaster Set",
)
_ADJ = (
    "Premium",
    "Compact",
    "Heavy-Duty",
    "Eco",
    "Deluxe",
    "Mini",
    "Pro",
    "Classic",
    "Foldable",
    "Stainless",
)
_CATS = ("KIT", "PET", "HOM", "FIT", "BEA", "OFF", "CAR")


@dataclass
class Simulation:
    """Daily state arrays (days × SKUs) and the event lists of a simulated seller."""

    days: pd.DatetimeIndex
    products: pd.DataFrame
    fba: dict[str, np.ndarray]  # flow name -> days × skus, SELLABLE disposition
    fba_unsellable: dict[str, np.ndarray]
    fba_start: np.ndarray  # skus: SELLABLE balance at day 0
    dom: dict[str, np.ndarray]
    dom_start: np.ndarray
    shipments: pd.DataFrame
    receipts: pd.DataFrame
    demand: np.ndarray  # true daily demand (for later tests of demand estimation)


def _products(rng: np.random.Generator, n: int) -> pd.DataFrame:
    cats = rng.choice(_CATS, n)
    skus = np.array([f"SB-{c}-{i + 1:03d}" for i, c in enumerate(cats)], dtype=object)
    # sellers do use all-digit SKUs; Amazon's CSV would drop the leading zeros
    skus[[i for i in (5, 41, 97) if i < n]] = ["00417", "00582", "0119-B"][
        : sum(i < n for i in (5, 41, 97))
    ]
    alnum = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
    asins = ["B0" + "".join(r) for r in rng.choice(alnum, (n, 8))]
    fnskus = ["X00" + "".join(r) for r in rng.choice(alnum, (n, 7))]
    titles = [
        f"{_ADJ[a]} {_NOUNS[b]}"
        for a, b in zip(rng.integers(0, len(_ADJ), n), rng.integers(0, len(_NOUNS), n), strict=True)
    ]
    if n > 12:
        titles[12] = (
            'Silicone Lid Set <Set of 6> & "Bonus" Brush'  # markup in a title must stay text
        )
    cost = np.round(np.exp(rng.normal(np.log(6.0), 0.55, n)), 2).clip(1.2, 40)
    price = np.round(cost * rng.uniform(2.4, 4.0, n), 2) - 0.01
    bulky = rng.random(n) < 0.07
    cubic = np.where(bulky, rng.uniform(1.5, 5.0, n), rng.uniform(0.03, 0.7, n)).round(3)
    weight = np.where(bulky, rng.uniform(12, 45, n), rng.uniform(0.15, 3.5, n)).round(2)
    kind = rng.choice(["fast", "medium", "slow", "intermittent"], n, p=[0.15, 0.4, 0.3, 0.15])
    kind[[i for i in (20, 33, 58, 77, 101, 118, 133, 140) if i < n]] = "overstock"
    rate = np.select(
        [
            kind == "fast",
            kind == "medium",
            kind == "slow",
            kind == "intermittent",
            kind == "overstock",
        ],
        [
            rng.uniform(10, 28, n),
            rng.uniform(2, 9, n),
            rng.uniform(0.4, 1.5, n),
            rng.uniform(0.04, 0.15, n),
            rng.uniform(0.05, 0.3, n),
        ],
    )
    return pd.DataFrame(
        {
            "sku": skus,
            "asin": asins,
            "fnsku": fnskus,
            "title": titles,
            "unit_cost": cost,
            "price": price,
            "currency": "USD",
            "size_tier": np.where(bulky, "large_bulky", "standard"),
            "cubic_feet": cubic,
            "weight_lb": weight,
            "kind": kind,
            "rate": rate.round(3),
            "trend": rng.uniform(-0.35, 0.45, n).round(3),
            "case_pack": rng.choice([10, 12, 20, 24, 30, 50], n),
        }
    )


def _seasonality(days: pd.DatetimeIndex) -> np.ndarray:
    weekly = np.array([1.05, 1.0, 0.97, 0.95, 0.98, 1.02, 1.03])[days.dayofweek]
    month = np.ones(len(days))
    month[days.month == 11] = 1.5
    month[(days.month == 12) & (days.day <= 22)] = 1.9
    month[(days.month == 12) & (days.day > 22)] = 0.9
    month[(days.month == 1)] = 0.85
    prime = (days.month == 7) & days.day.isin([8, 9, 10, 11])
    month[prime] = 2.3
    return weekly * month


def simulate(
    *,
    seed: int = DEFAULT_SEED,
    n_skus: int = 150,
    start: str = DEFAULT_START,
    months: int = DEFAULT_MONTHS,
    two_sku_shipment: bool = True,
) -> Simulation:
    """Run the seller day by day; every step is vectorised over SKUs. ``two_sku_shipment`` injects one sea
    shipment of two SKUs in which 3 units of the first are received as the second."""
    rng = np.random.default_rng(seed)
    p = _products(rng, n_skus)
    days = pd.date_range(start, periods=months, freq="MS")
    days = pd.date_range(days[0], days[-1] + pd.offsets.MonthEnd(0), freq="D")
    n_days, n = len(days), n_skus
    t_years = np.arange(n_days) / 365.0
    rate = p["rate"].to_numpy()[None, :] * (1 + p["trend"].to_numpy()[None, :] * t_years[:, None])
    rate = rate * _seasonality(days)[:, None]
    lumpy = p["kind"].to_numpy() == "intermittent"
    demand = rng.poisson(rate)
    demand[:, lumpy] = (rng.random((n_days, lumpy.sum())) < rate[:, lumpy]) * rng.integers(
        1, 6, (n_days, lumpy.sum())
    )
    case = p["case_pack"].to_numpy()
    base = p["rate"].to_numpy()
    over = p["kind"].to_numpy() == "overstock"

    fba = {f: np.zeros((n_days, n), dtype=np.int64) for f in FLOWS}
    uns = {f: np.zeros((n_days, n), dtype=np.int64) for f in FLOWS}
    dom = {f: np.zeros((n_days, n), dtype=np.int64) for f in FLOWS}
    fba_start = np.ceil(base * rng.uniform(25, 60, n)).astype(np.int64) + 2
    fba_start[over] = rng.integers(250, 900, over.sum())
    dom_start = np.ceil(base * rng.uniform(20, 50, n)).astype(np.int64)
    dom_start[over] = rng.integers(0, 150, over.sum())
    s_fba, s_uns, s_dom = fba_start.copy(), np.zeros(n, np.int64), dom_start.copy()
    horizon = n_days + 120
    po_due = np.zeros((horizon, n), np.int64)
    fba_due = np.zeros((horizon, n), np.int64)
    ship_rows: list[pd.DataFrame] = []
    po_rows: list[pd.DataFrame] = []
    ship_seq = po_seq = 0
    shortfall_done, pair_done = False, not two_sku_shipment
    for t in range(n_days):
        # 1. arrivals
        s_dom += po_due[t]
        dom["receipts"][t] = po_due[t]
        s_fba += fba_due[t]
        fba["receipts"][t] = fba_due[t]
        # 2. customers
        sold = np.minimum(demand[t], s_fba)
        s_fba -= sold
        fba["customer_shipments"][t] = -sold
        ret = rng.binomial(sold, 0.025)
        bad_ret = rng.binomial(ret, 0.3)
        s_fba += ret - bad_ret
        fba["customer_returns"][t] = ret - bad_ret
        s_uns += bad_ret
        uns["customer_returns"][t] = bad_ret
        # 3. warehouse events
        lost = ((rng.random(n) < 0.0025) & (s_fba > 0)).astype(np.int64)
        s_fba -= lost
        fba["lost"][t] = -lost
        dmg = ((rng.random(n) < 0.002) & (s_fba > 0)).astype(np.int64)
        s_fba -= dmg
        fba["damaged"][t] = -dmg
        found = (rng.random(n) < 0.0012).astype(np.int64)
        s_fba += found
        fba["found"][t] = found
        if days[t].day == 20:
            uns["disposed"][t] = -s_uns
            s_uns[:] = 0
        # 4. weekly planning (Mondays): ship to FBA, order from suppliers
        if days[t].dayofweek == 0:
            season_next = (
                _seasonality(days[min(t + 45, n_days - 1) : min(t + 46, n_days)])[0]
                if t + 45 < n_days
                else 1.0
            )
            r = base * (1 + p["trend"].to_numpy() * t_years[t]) * max(season_next, 1.0)
            inbound = fba_due[t + 1 :].sum(axis=0)
            pos = s_fba + inbound
            want_sea = (pos < r * 70) & ~over & (s_dom > 0)
            qty_sea = np.minimum(s_dom, np.ceil((r * 100 - pos).clip(0) / case) * case).astype(
                np.int64
            )
            urgent = (s_fba < r * 14) & (fba_due[t + 1 : t + 15].sum(axis=0) < r * 10) & ~over
            qty_air = np.minimum(s_dom, np.ceil((r * 21).clip(1) / case) * case).astype(np.int64)
            qty_air = np.where(urgent & (s_dom > 0), qty_air, 0)
            qty_sea = np.where(want_sea, np.minimum(qty_sea, s_dom - qty_air), 0).clip(0)
            for mode, qty, lo, hi in (("air", qty_air, 7, 13), ("sea", qty_sea, 28, 46)):
                idx = np.flatnonzero(qty > 0)
                if not len(idx):
                    continue
                transit = rng.integers(lo, hi, len(idx))
                eta_slip = rng.integers(-2, 5, len(idx))
                recv = qty[idx].copy()
                if mode == "sea" and not shortfall_done and t > 200:
                    big = np.flatnonzero(recv >= 100)
                    if len(big):
                        recv[big[0]] -= 12
                        shortfall_done = True
                ids = [f"FBA19{ship_seq + k:05d}{'AS'[mode == 'sea']}" for k in range(len(idx))]
                # one sea shipment of two SKUs, 3 units of the first received as the second (a labelling error)
                if mode == "sea" and not pair_done and n_days - 110 < t < n_days - 60:
                    big = np.flatnonzero(recv >= 50)
                    if len(big) >= 2:
                        recv[big[0]] -= 3
                        recv[big[1]] += 3
                        ids[big[1]] = ids[big[0]]
                        transit[big[1]], eta_slip[big[1]] = transit[big[0]], eta_slip[big[0]]
                        pair_done = True
                ship_seq += len(idx)
                arrive = t + transit + eta_slip.clip(0)
                ship_rows.append(
                    pd.DataFrame(
                        {
                            "shipment_id": ids,
                            "sku_idx": idx,
                            "units_shipped": qty[idx],
                            "units_received": recv,
                            "mode": mode,
                            "ship_day": t,
                            "eta_day": t + transit,
                            "arrive_day": arrive,
                        }
                    )
                )
                np.add.at(fba_due, (arrive, idx), recv)
                s_dom[idx] -= qty[idx]
                np.add.at(dom["outbound"], (np.full(len(idx), t), idx), -qty[idx])
            # purchase orders: production 18–35 days, to cover ~110 days
            po_pipe = po_due[t + 1 :].sum(axis=0)
            position = s_dom + s_fba + fba_due[t + 1 :].sum(axis=0) + po_pipe
            need = (position < r * 95) & ~over
            qty_po = (np.ceil(r * 110 / case) * case).astype(np.int64)
            idx = np.flatnonzero(need & (qty_po > 0))
            if len(idx):
                lead = rng.integers(18, 36, len(idx))
                np.add.at(po_due, (t + lead, idx), qty_po[idx])
                po_rows.append(
                    pd.DataFrame(
                        {
                            "po_number": [
                                f"PO{days[t]:%y%m}-{po_seq + k:04d}" for k in range(len(idx))
                            ],
                            "sku_idx": idx,
                            "units": qty_po[idx],
                            "order_day": t,
                            "receive_day": t + lead,
                        }
                    )
                )
                po_seq += len(idx)
    shipments = pd.concat(ship_rows, ignore_index=True)
    receipts = pd.concat(po_rows, ignore_index=True)
    return Simulation(days, p, fba, uns, fba_start, dom, dom_start, shipments, receipts, demand)


def _monthly(
    days: pd.DatetimeIndex, start: np.ndarray, flows: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Daily flows -> one row per (month, sku) with starting, each flow and ending."""
    month = days.to_period("M")
    months = month.unique()
    m_idx = np.searchsorted(months.asi8, month.asi8)
    n = start.shape[0]
    agg = {f: np.zeros((len(months), n), np.int64) for f in flows}
    for f, a in flows.items():
        np.add.at(agg[f], m_idx, a)
    net = sum(agg.values())
    ending = start[None, :] + np.cumsum(net, axis=0)
    starting = np.vstack([start[None, :], ending[:-1]])
    out = pd.DataFrame(
        {
            "month": np.repeat(months.to_timestamp(), n),
            "sku_idx": np.tile(np.arange(n), len(months)),
            "starting": starting.ravel(),
            **{f: agg[f].ravel() for f in flows},
            "ending": ending.ravel(),
        }
    )
    return out


def write_sample(
    out: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    n_skus: int = 150,
    start: str = DEFAULT_START,
    months: int = DEFAULT_MONTHS,
) -> dict[str, object]:
    """Simulate, inject the known faults, write every file under ``out``; returns the answer key."""
    out = Path(out)
    sim = simulate(seed=seed, n_skus=n_skus, start=start, months=months)
    rng = np.random.default_rng(seed + 1)
    p = sim.products
    days = sim.days
    last_day = days[-1]
    key: dict[str, object] = {"seed": seed, "period_end": str(last_day.date())}

    # ---- Amazon ledger summary (SELLABLE + UNSELLABLE rows) ----
    sell = _monthly(days, sim.fba_start, sim.fba)
    sell["disposition"] = "SELLABLE"
    unsell = _monthly(days, np.zeros(len(p), np.int64), sim.fba_unsellable)
    unsell["disposition"] = "UNSELLABLE"
    active_uns = (
        (unsell[list(FLOWS)].abs().sum(axis=1) > 0)
        | (unsell["starting"] != 0)
        | (unsell["ending"] != 0)
    )
    amz = pd.concat([sell, unsell.loc[active_uns]], ignore_index=True)
    amz = amz.sort_values(["month", "sku_idx", "disposition"], ignore_index=True)

    breaks: list[dict[str, object]] = []
    # fault: customer shipments under-stated on three rows (the ending is right, a flow is wrong)
    cand = amz.index[(amz["disposition"] == "SELLABLE") & (amz["customer_shipments"] < -20)]
    for i in rng.choice(cand, 3, replace=False):
        delta = int(rng.integers(3, 16))
        amz.loc[i, "customer_shipments"] += delta
        breaks.append(
            {
                "sku": p.sku[amz.sku_idx[i]],
                "location": FBA,
                "location_class": "fba",
                "disposition": "SELLABLE",
                "period": f"{amz.month[i]:%Y-%m}",
                "break_units": -delta,
            }
        )
    # fault: chain break: Amazon restated one SKU's balance from one month on
    chain_sku = int(rng.choice(np.flatnonzero((p.kind == "medium").to_numpy())))
    chain_month = sell["month"].unique()[9]
    hit = (amz.sku_idx == chain_sku) & (amz.disposition == "SELLABLE") & (amz.month >= chain_month)
    amz.loc[hit, ["starting", "ending"]] += 5
    key["chain_breaks"] = [
        {
            "sku": p.sku[chain_sku],
            "location": FBA,
            "disposition": "SELLABLE",
            "period": f"{chain_month:%Y-%m}",
            "chain_break_units": 5,
        }
    ]
    # fault: an orphan FNSKU (a listing the master no longer has), balanced, no flows
    orphan = pd.DataFrame(
        {
            "month": sell["month"].unique(),
            "sku_idx": -1,
            "starting": 7,
            "ending": 7,
            "disposition": "SELLABLE",
        }
    )
    for f in FLOWS:
        orphan[f] = 0
    amz = pd.concat([amz, orphan], ignore_index=True).sort_values(
        ["month", "sku_idx", "disposition"], ignore_index=True
    )
    idx = amz["sku_idx"].to_numpy()
    known = idx >= 0
    amz_out = pd.DataFrame(
        {
            "Date": amz["month"].dt.strftime("%m/%Y"),
            "FNSKU": np.where(known, p.fnsku.to_numpy()[idx.clip(0)], "X00ORPHAN1"),
            "ASIN": np.where(known, p.asin.to_numpy()[idx.clip(0)], "B0ORPHAN01"),
            "MSKU": np.where(known, p.sku.to_numpy()[idx.clip(0)], "LEGACY-0001"),
            "Title": np.where(
                known, p.title.to_numpy()[idx.clip(0)], "Discontinued Lid Set (old listing)"
            ),
            "Disposition": amz["disposition"],
            "Starting Warehouse Balance": amz["starting"],
            "In Transit Between Warehouses": 0,
            "Receipts": amz["receipts"],
            "Customer Shipments": amz["customer_shipments"],
            "Customer Returns": amz["customer_returns"],
            "Vendor Returns": amz["vendor_returns"],
            "Warehouse Transfer In/Out": amz["transfers"],
            "Found": amz["found"],
            "Lost": amz["lost"],
            "Damaged": amz["damaged"],
            "Disposed": amz["disposed"],
            "Other Events": amz["other_events"],
            "Ending Warehouse Balance": amz["ending"],
            "Unknown Events": 0,
            "Location": FBA,
        }
    )
    key["orphans"] = [{"sku": "LEGACY-0001", "fnsku": "X00ORPHAN1"}]

    # ---- domestic warehouse ledger (进销存), positive quantities, Chinese headers ----
    dom = _monthly(
        days, sim.dom_start, {"receipts": sim.dom["receipts"], "outbound": sim.dom["outbound"]}
    )
    cand = dom.index[dom["outbound"] < -30]
    for i in rng.choice(cand, 2, replace=False):
        delta = int(rng.integers(5, 25))
        dom.loc[i, "outbound"] += delta  # outbound written smaller than it was
        breaks.append(
            {
                "sku": p.sku[dom.sku_idx[i]],
                "location": DOMESTIC,
                "location_class": "domestic",
                "disposition": "SELLABLE",
                "period": f"{dom.month[i]:%Y-%m}",
                "break_units": -delta,
            }
        )
    key["ledger_breaks"] = sorted(breaks, key=lambda b: (b["period"], b["sku"]))
    dom_out = pd.DataFrame(
        {
            "月份": dom["month"].dt.strftime("%Y-%m"),
            "SKU": p.sku.to_numpy()[dom.sku_idx],
            "品名": p.title.to_numpy()[dom.sku_idx],
            "仓库": DOMESTIC,
            "仓库类型": "国内仓",
            "期初库存": dom["starting"],
            "本期入库": dom["receipts"],
            "本期出库": -dom["outbound"],
            "期末库存": dom["ending"],
        }
    )

    # ---- SKU master, with one SKU listed twice under a second ASIN ----
    master = p[
        [
            "sku",
            "asin",
            "fnsku",
            "title",
            "unit_cost",
            "price",
            "currency",
            "size_tier",
            "cubic_feet",
            "weight_lb",
            "case_pack",
        ]
    ].copy()
    master["moq"] = master["case_pack"] * 5
    dup_i = int(rng.choice(np.flatnonzero((p.kind == "slow").to_numpy())))
    dup = master.iloc[[dup_i]].copy()
    dup["asin"] = "B0DUPL" + dup["asin"].iloc[0][-4:]
    master = pd.concat([master, dup], ignore_index=True)
    key["duplicate_mappings"] = [
        {"sku": p.sku[dup_i], "asins": sorted([p.asin[dup_i], dup["asin"].iloc[0]])}
    ]
    # costs as a Chinese seller's ERP keeps them, in RMB (at the seller's booking rate), prices in dollars
    master["unit_cost"] = (master["unit_cost"] * CNY_PER_USD).round(2)
    master = master.drop(columns="currency").assign(cost_currency="CNY", price_currency="USD")
    uk = _uk_slice(seed=seed, start=start, months=months)
    master = pd.concat([master, uk["master"]], ignore_index=True)
    master_out = master.rename(
        columns={
            "sku": "SKU",
            "asin": "ASIN",
            "fnsku": "FNSKU",
            "title": "品名",
            "unit_cost": "采购成本",
            "price": "售价",
            "cost_currency": "采购币种",
            "price_currency": "售价币种",
            "size_tier": "尺寸分段",
            "cubic_feet": "体积(立方英尺)",
            "weight_lb": "重量(磅)",
            "case_pack": "箱规",
            "moq": "起订量",
        }
    )
    key["marketplaces"] = ["US", "UK"]
    key["uk"] = uk["key"]
    key["fx"] = {
        "CNY_in_USD": 1 / CNY_PER_USD,
        "GBP_in_USD": GBP_IN_USD,
        "note": "the seller's own monthly booking rates (fx/汇率.csv) over the ECB's",
    }

    # ---- shipments ----
    sh = sim.shipments.copy()
    closed = sh["arrive_day"] < len(days)
    sh_out = pd.DataFrame(
        {
            "Shipment ID": sh["shipment_id"],
            "SKU": p.sku.to_numpy()[sh.sku_idx],
            "Units Shipped": sh["units_shipped"],
            "Units Received": np.where(closed, sh["units_received"].astype(str), ""),
            "Mode": sh["mode"].map({"sea": "Sea", "air": "Air"}),
            "Origin": DOMESTIC,
            "Destination": "FBA-US",
            "Ship Date": days[sh["ship_day"].to_numpy()].strftime("%Y-%m-%d"),
            "ETA": (days[0] + pd.to_timedelta(sh["eta_day"], unit="D")).dt.strftime("%Y-%m-%d"),
            "Received Date": np.where(
                closed,
                (days[0] + pd.to_timedelta(sh["arrive_day"], unit="D")).dt.strftime("%Y-%m-%d"),
                "",
            ),
            # the carrier delivers two days before the fulfilment centre closes receiving
            "Delivered Date": np.where(
                closed,
                (days[0] + pd.to_timedelta(sh["arrive_day"] - 2, unit="D")).dt.strftime("%Y-%m-%d"),
                "",
            ),
            "Status": np.where(closed, "CLOSED", "IN_TRANSIT"),
        }
    )
    # the shipment of two SKUs: one short, the other over by the same units (not a loss)
    two = sh.loc[sh["shipment_id"].duplicated(keep=False)]
    key["inbound_pairs"] = [
        {
            "shipment_id": str(two["shipment_id"].iloc[0]),
            "short_sku": str(p.sku[two["sku_idx"].iloc[0]]),
            "over_sku": str(p.sku[two["sku_idx"].iloc[1]]),
            "units": int(two["units_shipped"].iloc[0] - two["units_received"].iloc[0]),
        }
    ]
    short = sh.loc[(sh.units_received < sh.units_shipped) & ~sh.index.isin(two.index)]
    key["receiving_shortfalls"] = [
        {
            "shipment_id": r.shipment_id,
            "sku": p.sku[r.sku_idx],
            "units_shipped": int(r.units_shipped),
            "units_received": int(r.units_received),
            "shortfall": int(r.units_shipped - r.units_received),
        }
        for r in short.itertuples()
    ]

    # ---- physical count of the domestic warehouse at the last day ----
    last = dom.loc[dom["month"] == dom["month"].max()]
    last = last.loc[last["ending"] > 0]
    counts = pd.DataFrame(
        {
            "盘点日期": f"{last_day:%Y-%m-%d}",
            "SKU": p.sku.to_numpy()[last.sku_idx],
            "仓库": DOMESTIC,
            "盘点数量": last["ending"].to_numpy(),
        }
    )
    ci = int(rng.choice(np.flatnonzero((counts["盘点数量"] > 20).to_numpy())))
    counts.loc[ci, "盘点数量"] -= 4
    key["count_differences"] = [
        {
            "sku": counts["SKU"][ci],
            "location": DOMESTIC,
            "date": f"{last_day:%Y-%m-%d}",
            "difference": -4,
        }
    ]

    # ---- Amazon ledger detail view for the last month ----
    detail = _detail(sim, rng)

    # ---- the seller's ERP exports: daily sales with FBA stock, and purchase receipts (own generator, so
    # adding them leaves every other file unchanged) ----
    rng2 = np.random.default_rng(seed + 2)
    sales_out = _daily_sales(sim, rng2)
    # stock-out days in both shops' daily sales (the US's and the UK's)
    key["stockout_days"] = int((sales_out["FBA可售"] == 0).sum()) + int(
        (uk["sales"]["FBA可售"] == 0).sum()
    )
    po = sim.receipts.loc[sim.receipts["receive_day"] < len(days)]
    po = po.sort_values(["receive_day", "po_number"], kind="stable")
    receipts_out = pd.DataFrame(
        {
            "入库日期": days[po["receive_day"].to_numpy()].strftime("%Y-%m-%d"),
            "采购单号": po["po_number"].to_numpy(),
            "SKU": p.sku.to_numpy()[po["sku_idx"].to_numpy()],
            "入库数量": po["units"].to_numpy(),
            "采购单价": (p.unit_cost.to_numpy()[po["sku_idx"].to_numpy()] * CNY_PER_USD).round(2),
            "币种": "CNY",
            "仓库": DOMESTIC,
        }
    )

    # ---- the ERP's purchase orders (采购单) of the last three months: received ones closed, the ones still in
    # production open (on order on the last day), some of them past their expected date; one cancelled line ----
    recent = sim.receipts.loc[sim.receipts["order_day"] >= len(days) - 92].sort_values(
        ["order_day", "po_number"], kind="stable"
    )
    got = (recent["receive_day"] < len(days)).to_numpy()
    expected = np.minimum(recent["order_day"].to_numpy() + 25, len(days) + 60)
    po_out = pd.DataFrame(
        {
            "采购单号": recent["po_number"].to_numpy(),
            "供应商": "宁波工厂",
            "SKU": p.sku.to_numpy()[recent["sku_idx"].to_numpy()],
            "采购数量": recent["units"].to_numpy(),
            "已到货数量": np.where(got, recent["units"].to_numpy(), 0),
            "下单日期": days[recent["order_day"].to_numpy()].strftime("%Y-%m-%d"),
            "预计到货日期": (days[0] + pd.to_timedelta(expected, unit="D")).strftime("%Y-%m-%d"),
            "状态": np.where(got, "已完成", "待到货"),
        }
    )
    if len(po_out):
        cancelled = po_out.iloc[[0]].assign(
            采购单号="PO-CANCELLED-0001", 已到货数量=0, 状态="已取消"
        )
        po_out = pd.concat([po_out, cancelled], ignore_index=True)
    open_po = po_out.loc[po_out["状态"] == "待到货"].groupby("SKU")["采购数量"].sum()
    key["open_purchase_orders"] = {str(k): int(v) for k, v in open_po.items()}

    # ---- write ----
    # ---- Amazon's FBA Inventory, storage fee and aged-surcharge reports, from the true FBA lots ----
    rng3 = np.random.default_rng(seed + 3)
    inv_out, ais_out, storage_out = _fba_reports(sim, rng3)
    key["aged_skus_181_plus"] = sorted(
        inv_out.loc[
            inv_out[
                ["inv-age-181-to-270-days", "inv-age-271-to-365-days", "inv-age-365-plus-days"]
            ].sum(axis=1)
            > 0,
            "sku",
        ].tolist()
    )

    restock_out = _restock_report(sim, inv_out)
    rng4 = np.random.default_rng(seed + 4)
    returns_out, reimb_out, txn_out, cases = _returns_and_reimbursements(
        sim, rng4, as_of=last_day, shortfalls=key["receiving_shortfalls"]
    )
    rng35 = np.random.default_rng(seed + 35)
    removals_out, fee_preview_out, returns_out, replacements_out, more = _removals_and_fee_preview(
        sim, amz_out, returns_out, rng35, as_of=last_day
    )
    cases.extend(more)
    key["reimbursement_cases"] = cases

    for sub in ("amazon", "warehouse", "master", "shipments", "counts", "sales", "purchases"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    amz_out.to_csv(
        out / "amazon" / "Inventory_Ledger_Summary_Monthly.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    detail.to_csv(
        out / "amazon" / f"Inventory_Ledger_Detail_{last_day:%Y-%m}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    write_xlsx({"进销存": dom_out}, out / "warehouse" / "进销存_深圳仓.xlsx")
    with open(out / "master" / "商品资料.csv", "w", encoding="gb18030", newline="") as fh:
        master_out.to_csv(fh, index=False, lineterminator="\r\n")
    sh_out.to_csv(out / "shipments" / "fba_shipments.csv", index=False, lineterminator="\n")
    counts.to_csv(
        out / "counts" / f"盘点_{last_day:%Y-%m-%d}.csv",
        index=False,
        encoding="utf-8-sig",
        lineterminator="\n",
    )
    inv_out.to_csv(
        out / "amazon" / f"FBA_Inventory_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    ais_out.to_csv(
        out / "amazon" / f"Aged_Inventory_Surcharge_{ais_out['snapshot-date'].iloc[0]}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    storage_out.to_csv(
        out / "amazon" / f"Monthly_Storage_Fees_{storage_out['month_of_charge'].iloc[0]}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    restock_out.to_csv(
        out / "amazon" / f"Restock_Inventory_{last_day:%Y-%m-%d}.csv",
        index=False,
        lineterminator="\n",
    )
    sales_out.to_csv(
        out / "sales" / "销量日报.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    receipts_out.to_csv(
        out / "purchases" / "采购入库.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    po_out.to_csv(
        out / "purchases" / "采购单.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    returns_out.to_csv(
        out / "amazon" / f"FBA_Customer_Returns_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    removals_out.to_csv(
        out / "amazon" / f"Removal_Order_Detail_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    replacements_out.to_csv(
        out / "amazon" / f"Replacements_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    fee_preview_out.to_csv(
        out / "amazon" / f"Fee_Preview_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    reimb_out.to_csv(
        out / "amazon" / f"Reimbursements_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    # the Date Range Report's transaction view: seven lines of notes above the header, as Amazon writes it
    with open(
        out / "amazon" / f"DateRangeTransactions_{last_day:%Y-%m}.csv",
        "w",
        encoding="utf-8",
        newline="",
    ) as fh:
        fh.write(
            '"Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions"\n'
            '"All amounts in USD, unless specified"\n"Definitions:"\n'
            '"Sales tax collected: Includes sales tax collected from buyers for product sales, shipping, '
            'and gift wrap."\n"Selling fees: Includes variable closing fees and referral fees."\n'
            '"Other transaction fees: Includes shipping chargebacks, shipping holdbacks."\n'
            '"Other: Includes non-order transaction amounts."\n'
        )
        txn_out.to_csv(fh, index=False, lineterminator="\n")
    for sub in ("amazon/UK", "fx"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    uk["ledger"].to_csv(
        out / "amazon" / "UK" / "Inventory_Ledger_Summary_Monthly_UK.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    uk["inventory"].to_csv(
        out / "amazon" / "UK" / f"FBA_Inventory_UK_{last_day:%Y-%m-%d}.txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    uk["storage"].to_csv(
        out
        / "amazon"
        / "UK"
        / f"Monthly_Storage_Fees_UK_{uk['storage']['month_of_charge'].iloc[0]}"
        ".txt",
        sep="\t",
        index=False,
        lineterminator="\n",
    )
    uk["sales"].to_csv(
        out / "sales" / "销量日报_英国站.csv",
        index=False,
        encoding="utf-8-sig",
        lineterminator="\n",
    )
    months_fx = pd.period_range(days[0], last_day, freq="M")
    fx = pd.DataFrame(
        {
            "月份": np.repeat(months_fx.strftime("%Y-%m"), 2),
            "币种": ["CNY", "GBP"] * len(months_fx),
            "汇率": [1 / CNY_PER_USD, GBP_IN_USD] * len(months_fx),
            "本位币": "USD",
        }
    )
    fx.to_csv(out / "fx" / "汇率.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    (out / "answer_key.json").write_text(
        json.dumps(key, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return key


#: the sample seller's booking rates: 8.00 RMB to the dollar (round, so a dollar cost written in RMB comes
#: back to the cent) and 1.25 dollars to the pound
CNY_PER_USD = 8.0
GBP_IN_USD = 1.25
#: SKUs the sample sells on Amazon.co.uk only (a second marketplace, in pounds, dates written day first)
UK_SKUS = 12


def _uk_slice(*, seed: int, start: str, months: int) -> dict[str, object]:
    """The sample's second marketplace: a few SKUs sold only on Amazon UK, simulated on their own (so the US
    files are unchanged): Amazon UK's ledger (Location GB), FBA Inventory and storage fee reports in pounds,
    priced by the UK's fee tables, the ERP's daily sales for the UK shop (站点 UK, dates day first), and their
    SKU master rows (costs in RMB, prices in pounds)."""
    sim = simulate(
        seed=seed + 50, n_skus=UK_SKUS, start=start, months=months, two_sku_shipment=False
    )
    sim.products["sku"] = "UK-" + sim.products["sku"].astype(str)
    p = sim.products
    days = sim.days
    rng = np.random.default_rng(seed + 51)
    sell = _monthly(days, sim.fba_start, sim.fba).assign(disposition="SELLABLE")
    unsell = _monthly(days, np.zeros(len(p), np.int64), sim.fba_unsellable).assign(
        disposition="UNSELLABLE"
    )
    active = (unsell[list(FLOWS)].abs().sum(axis=1) > 0) | (unsell["ending"] != 0)
    led = pd.concat([sell, unsell.loc[active]], ignore_index=True).sort_values(
        ["month", "sku_idx", "disposition"], ignore_index=True
    )
    i = led["sku_idx"].to_numpy()
    ledger = pd.DataFrame(
        {
            "Date": led["month"].dt.strftime("%m/%Y"),
            "FNSKU": p.fnsku.to_numpy()[i],
            "ASIN": p.asin.to_numpy()[i],
            "MSKU": p.sku.to_numpy()[i],
            "Title": p.title.to_numpy()[i],
            "Disposition": led["disposition"],
            "Starting Warehouse Balance": led["starting"],
            "In Transit Between Warehouses": 0,
            "Receipts": led["receipts"],
            "Customer Shipments": led["customer_shipments"],
            "Customer Returns": led["customer_returns"],
            "Vendor Returns": led["vendor_returns"],
            "Warehouse Transfer In/Out": led["transfers"],
            "Found": led["found"],
            "Lost": led["lost"],
            "Damaged": led["damaged"],
            "Disposed": led["disposed"],
            "Other Events": led["other_events"],
            "Ending Warehouse Balance": led["ending"],
            "Unknown Events": 0,
            "Location": "GB",
        }
    )
    inv, _, storage = _fba_reports(sim, rng, marketplace="UK", currency="GBP")
    sales = _daily_sales(sim, rng)
    sales["日期"] = pd.to_datetime(sales["日期"]).dt.strftime(
        "%d/%m/%Y"
    )  # as a UK shop's export writes them
    sales.insert(1, "站点", "UK")
    master = p[
        [
            "sku",
            "asin",
            "fnsku",
            "title",
            "unit_cost",
            "price",
            "size_tier",
            "cubic_feet",
            "weight_lb",
            "case_pack",
        ]
    ].copy()
    master["moq"] = master["case_pack"] * 5
    master["unit_cost"] = (master["unit_cost"] * CNY_PER_USD).round(2)
    master = master.assign(cost_currency="CNY", price_currency="GBP")
    bal = fba_balance(sim)[-1]
    key = {
        "skus": sorted(p["sku"].tolist()),
        "currency": "GBP",
        "fba_units": int(bal.sum()),
        "sales_units": int(-sim.fba["customer_shipments"].sum()),
    }
    return {
        "ledger": ledger,
        "inventory": inv,
        "storage": storage,
        "sales": sales,
        "master": master,
        "key": key,
    }


RETURN_REASONS = (
    "DEFECTIVE",
    "NOT_AS_DESCRIBED",
    "UNWANTED_ITEM",
    "ORDERED_WRONG_ITEM",
    "FOUND_BETTER_PRICE",
    "MISSED_ESTIMATED_DELIVERY",
)


def _returns_and_reimbursements(
    sim: Simulation, rng: np.random.Generator, *, as_of: pd.Timestamp, shortfalls: list[dict]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list]:
    """Amazon's FBA customer returns report, its Reimbursements report and the seller's transaction export
    (Refund rows), consistent with the ledger's flows: every loss reimbursed at its estimated proceeds in its
    month, every found unit's reimbursement reversed, every return refunded; then the injected cases
    (returned as the answer key's ``reimbursement_cases``)."""
    p = sim.products
    days = sim.days
    month = days.to_period("M")
    months = month.unique()
    # ---- returns, one row per SKU, day and disposition, and a refund two days before each
    parts = []
    for flows, disp in ((sim.fba, "SELLABLE"), (sim.fba_unsellable, None)):
        d, k = np.nonzero(flows["customer_returns"])
        q = flows["customer_returns"][d, k]
        parts.append(pd.DataFrame({"day": d, "k": k, "qty": q, "disp": disp}))
    ret = pd.concat(parts, ignore_index=True).sort_values(["day", "k"], ignore_index=True)
    n = len(ret)
    bad = ret["disp"].isna()
    ret.loc[bad, "disp"] = np.where(
        rng.random(int(bad.sum())) < 0.5, "CUSTOMER_DAMAGED", "DEFECTIVE"
    )
    orders = (
        "11"
        + pd.Series(rng.integers(1, 9, n)).astype(str)
        + "-"
        + pd.Series(rng.integers(10**6, 10**7, n)).astype(str)
        + "-"
        + pd.Series(rng.integers(10**6, 10**7, n)).astype(str)
    )
    k = ret["k"].to_numpy()
    returns = pd.DataFrame(
        {
            "return-date": (days[ret["day"].to_numpy()] + pd.Timedelta(hours=15)).strftime(
                "%Y-%m-%dT%H:%M:%S+00:00"
            ),
            "order-id": orders,
            "sku": p.sku.to_numpy()[k],
            "asin": p.asin.to_numpy()[k],
            "fnsku": p.fnsku.to_numpy()[k],
            "product-name": p.title.to_numpy()[k],
            "quantity": ret["qty"].to_numpy(),
            "fulfillment-center-id": np.asarray(FCS)[rng.integers(0, len(FCS), n)],
            "detailed-disposition": ret["disp"].to_numpy(),
            "reason": np.asarray(RETURN_REASONS)[rng.integers(0, len(RETURN_REASONS), n)],
            "status": np.where(
                ret["disp"] == "SELLABLE",
                "Unit returned to inventory",
                "Unit returned to inventory",
            ),
            "license-plate-number": "LPN" + pd.Series(rng.integers(10**8, 10**9, n)).astype(str),
            "customer-comments": "",
        }
    )
    refund_day = np.maximum(ret["day"].to_numpy() - 2, 0)
    refunds = pd.DataFrame(
        {"day": refund_day, "order": orders, "k": k, "qty": ret["qty"].to_numpy()}
    )

    # ---- reimbursements: per SKU and month, lost and damaged units paid at the estimated proceeds
    proceeds = np.round(p["price"].to_numpy() * 0.85 - 3.50, 2).clip(0.5)
    rows = []
    for flow, reason in (("lost", "Lost_Warehouse"), ("damaged", "Damaged_Warehouse")):
        m = pd.DataFrame(-sim.fba[flow], index=month).groupby(level=0).sum()
        mi, ki = np.nonzero(m.to_numpy() > 0)
        rows.append(
            pd.DataFrame(
                {"month": m.index[mi], "k": ki, "qty": m.to_numpy()[mi, ki], "reason": reason}
            )
        )
    pay = pd.concat(rows, ignore_index=True)
    found = pd.DataFrame(sim.fba["found"], index=month).groupby(level=0).sum()
    fi, fk = np.nonzero(found.to_numpy() > 0)
    fnd = pd.DataFrame({"month": found.index[fi], "k": fk, "qty": found.to_numpy()[fi, fk]})
    # a found unit's reimbursement is reversed (never more units than were paid, in total per SKU)
    lost_total = pay.groupby("k")["qty"].sum()
    fnd = fnd.sort_values(["k", "month"], ignore_index=True)
    before = fnd.groupby("k")["qty"].cumsum() - fnd["qty"]
    fnd["rev"] = np.clip(
        fnd["k"].map(lost_total).fillna(0).to_numpy() - before, 0, fnd["qty"]
    ).astype(int)
    fnd = fnd.loc[fnd["rev"] > 0].reset_index(drop=True)
    # what Amazon reverses: units found on or after a misplaced (M) unit of the SKU, oldest loss first, up to
    # the Lost_Warehouse units paid (a unit found before any loss, or a damaged unit's payment, is not taken
    # back); ``fnd`` above only steers the draws, so the injected cases keep their SKUs
    lostm = pd.DataFrame(-sim.fba["lost"], index=month).groupby(level=0).sum().reindex(found.index)
    gap = np.maximum.accumulate(
        np.vstack(
            [
                np.zeros((1, found.shape[1])),
                found.cumsum().to_numpy() - lostm.cumsum().to_numpy(),
            ]
        ),
        axis=0,
    ).clip(min=0)
    matched = found.to_numpy() - np.diff(
        gap, axis=0
    )  # per month and SKU: found units making good a loss
    every_found = pd.DataFrame(
        {"month": found.index[fi], "k": fk, "matched": matched[fi, fk].astype(int)}
    ).sort_values(["k", "month"], ignore_index=True)
    lost_paid = pay.loc[pay["reason"] == "Lost_Warehouse"].groupby("k")["qty"].sum()
    upto = every_found.groupby("k")["matched"].cumsum() - every_found["matched"]
    every_found["reversed"] = np.clip(
        every_found["k"].map(lost_paid).fillna(0).to_numpy() - upto, 0, every_found["matched"]
    ).astype(int)
    every_found = every_found.loc[every_found["reversed"] > 0].reset_index(drop=True)
    reversed_at = every_found.set_index(["month", "k"])["reversed"]
    fnd["reversed"] = (
        reversed_at.reindex(pd.MultiIndex.from_frame(fnd[["month", "k"]]))
        .fillna(0)
        .to_numpy(dtype=int)
    )
    cases: list[dict] = []
    last = months[-1]
    lost_k = pay.loc[pay["reason"] == "Lost_Warehouse"]
    # 1. a lost unit never reimbursed (late October: younger than the 30 days Amazon takes to find or pay it)
    cand = lost_k.loc[(lost_k["month"] == last) & ~lost_k["k"].isin(fnd["k"])]
    i1 = int(rng.choice(cand.index))
    cases.append(
        {
            "kind": "warehouse lost or damaged",
            "sku": p.sku[pay.k[i1]],
            "units": int(pay.qty[i1]),
            "status": "wait",
        }
    )
    # 2. an expired claim: a SKU whose last loss was before August, that month never reimbursed
    last_loss = pay.groupby("k")["month"].max()
    old = last_loss[last_loss <= months[-4]].index
    cand = pay.loc[
        pay["k"].isin(old)
        & (pay["month"] == pay["k"].map(last_loss))
        & ~pay["k"].isin(fnd["k"])
        & (pay["k"] != pay.k[i1])
    ]
    cand = cand.loc[~cand["k"].duplicated(keep=False)]
    i2 = int(rng.choice(cand.index))
    cases.append(
        {
            "kind": "warehouse lost or damaged",
            "sku": p.sku[pay.k[i2]],
            "units": int(pay.qty[i2]),
            "status": "expired",
        }
    )
    # 3. reimbursed below value: one October or September payment at 40 % of the proceeds
    cand = pay.loc[
        pay["month"].isin(months[-2:])
        & ~pay.index.isin([i1, i2])
        & ~pay["k"].isin(fnd["k"])
        & ~pay["k"].isin([pay.k[i1], pay.k[i2]])
    ]
    i3 = int(rng.choice(cand.index))
    # 4. a found unit whose reimbursement was not reversed (the reversal left out)
    cand = fnd.loc[
        (fnd["month"].isin(months[-3:]))
        & ~fnd["k"].isin([pay.k[i1], pay.k[i2], pay.k[i3]])
        & (fnd["reversed"] > 0)
    ]
    i4 = int(rng.choice(cand.index))
    cases.append(
        {"kind": "found not reversed", "sku": p.sku[fnd.k[i4]], "units": int(fnd.reversed[i4])}
    )
    # 5. a reversal with no found unit (October, one unit of a SKU that never had a unit found)
    never = np.setdiff1d(
        pay.loc[pay["month"] >= months[-3], "k"].unique(),
        np.r_[
            np.flatnonzero(found.to_numpy().sum(axis=0) > 0),
            [pay.k[i1], pay.k[i2], pay.k[i3], fnd.k[i4]],
        ],
    )
    k5 = int(rng.choice(never))
    cases.append({"kind": "wrongful reversal", "sku": p.sku[k5], "units": 1, "status": "open"})
    paid = pay.drop(index=[i1, i2]).reset_index(drop=True)
    # Amazon pays a unit lost before an order at the manufacturing cost since 2025-03-10 (the seller's cost as
    # the master states it, in CNY, in dollars), at the estimated proceeds before
    cost_usd = np.round(np.round(p["unit_cost"].to_numpy() * CNY_PER_USD, 2) / CNY_PER_USD, 2)

    def pays(k, month):
        return np.where(
            pd.PeriodIndex(month, freq="M").end_time >= pd.Timestamp("2025-03-10"),
            cost_usd[k],
            proceeds[k],
        )

    paid["per_unit"] = pays(paid["k"].to_numpy(), paid["month"])
    under_sku = p.sku[pay.k[i3]]
    paid.loc[
        (paid["k"] == pay.k[i3])
        & (paid["month"] == pay.month[i3])
        & (paid["reason"] == pay.reason[i3]),
        "per_unit",
    ] = np.round(proceeds[pay.k[i3]] * 0.4, 2)
    cases.append(
        {
            "kind": "underpaid reimbursement",
            "sku": under_sku,
            "units": int(pay.qty[i3]),
            "status": "open",
        }
    )
    rev = every_found.loc[
        ~((every_found["month"] == fnd.month[i4]) & (every_found["k"] == fnd.k[i4]))
    ].reset_index(drop=True)
    rev_rows = pd.DataFrame(
        {
            "month": rev["month"],
            "k": rev["k"],
            "qty": -rev["reversed"],
            "reason": "Reimbursement_Reversal",
            "per_unit": pays(rev["k"].to_numpy(), rev["month"]),
        }
    )
    rev_rows = pd.concat(
        [
            rev_rows,
            pd.DataFrame(
                {
                    "month": [last],
                    "k": [k5],
                    "qty": [-1],
                    "reason": ["Reimbursement_Reversal"],
                    "per_unit": pays(np.array([k5]), [last]),
                }
            ),
        ],
        ignore_index=True,
    )
    # 6. an inbound shortfall partly reimbursed (5 of its units)
    inbound = []
    for sf in shortfalls:
        kk = int(np.flatnonzero(p.sku.to_numpy() == sf["sku"])[0])
        inbound.append(
            {"month": last, "k": kk, "qty": 5, "reason": "Lost_Inbound", "per_unit": cost_usd[kk]}
        )
        cases.append(
            {
                "kind": "inbound shortfall",
                "sku": sf["sku"],
                "units": int(sf["shortfall"]) - 5,
                "reference": sf["shipment_id"],
            }
        )
    allr = pd.concat([paid, rev_rows, pd.DataFrame(inbound)], ignore_index=True)
    allr = allr.sort_values(["month", "k", "reason"], kind="stable", ignore_index=True)
    m = len(allr)
    approve = allr["month"].dt.end_time.dt.normalize().clip(upper=as_of)
    rid = pd.Series(rng.integers(10**9, 10**10, m)).astype(str)
    first_paid = allr.loc[allr["qty"] > 0].drop_duplicates("k").set_index("k")
    kk = allr["k"].to_numpy()
    reimb = pd.DataFrame(
        {
            "approval-date": approve.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "reimbursement-id": rid,
            "case-id": "",
            "amazon-order-id": "",
            "reason": allr["reason"],
            "sku": p.sku.to_numpy()[kk],
            "fnsku": p.fnsku.to_numpy()[kk],
            "asin": p.asin.to_numpy()[kk],
            "product-name": p.title.to_numpy()[kk],
            "condition": "New",
            "currency-unit": "USD",
            "amount-per-unit": allr["per_unit"].round(2),
            "amount-total": (allr["per_unit"] * allr["qty"]).round(2),
            "quantity-reimbursed-cash": allr["qty"].clip(lower=0),
            "quantity-reimbursed-inventory": 0,
            "quantity-reimbursed-total": allr["qty"],
            # a reversal names the reimbursement it takes back: the SKU's first Lost_Warehouse payment
            "original-reimbursement-id": np.where(
                allr["qty"] < 0,
                allr["k"].map(
                    rid.where((allr["reason"] == "Lost_Warehouse").to_numpy())
                    .groupby(allr["k"])
                    .first()
                ),
                "",
            ),
            "original-reimbursement-type": np.where(allr["qty"] < 0, "Lost_Warehouse", ""),
        }
    )
    del first_paid
    reimb = reimb.loc[allr["qty"].to_numpy() != 0].reset_index(
        drop=True
    )  # a reversal of nothing is no row
    # 7. a refund without a return (July: its claim window is open on 31 October)
    day7 = int(np.flatnonzero(days == pd.Timestamp(f"{as_of.year}-07-20"))[0])
    k7 = int(
        rng.choice(
            np.setdiff1d(np.arange(len(p)), [pay.k[i1], pay.k[i2], pay.k[i3], fnd.k[i4], k5])
        )
    )
    order7 = "113-7777777-" + str(int(rng.integers(10**6, 10**7)))
    refunds = pd.concat(
        [refunds, pd.DataFrame({"day": [day7], "order": [order7], "k": [k7], "qty": [1]})],
        ignore_index=True,
    ).sort_values(["day", "order"], ignore_index=True)
    cases.append(
        {
            "kind": "refund without return",
            "sku": p.sku[k7],
            "units": 1,
            "reference": order7,
            "status": "open",
        }
    )
    price = p["price"].to_numpy()
    rk = refunds["k"].to_numpy()
    qty = refunds["qty"].to_numpy()
    # 8. a refund above the order: an order sold at a 20 % promotion, refunded at the list price (65 to 110
    # days before the audit: its window, 60 to 120 days after the refund, is open)
    sold_at = price[rk] * qty
    i8 = int(
        rng.choice(
            np.flatnonzero(
                (days[refunds["day"].to_numpy()] >= as_of - pd.Timedelta(days=110))
                & (days[refunds["day"].to_numpy()] <= as_of - pd.Timedelta(days=65))
                & (qty == 1)
                & ~np.isin(rk, [pay.k[i1], pay.k[i2], pay.k[i3], fnd.k[i4], k5, k7])
            )
        )
    )
    sold_at[i8] = price[rk[i8]] * 0.8
    cases.append(
        {
            "kind": "refund above the order",
            "sku": p.sku[rk[i8]],
            "units": 1,
            "reference": str(refunds["order"].iloc[i8]),
            "excess": round(round(price[rk[i8]], 2) - round(sold_at[i8], 2), 2),
            "status": "open",
        }
    )
    # the Payments report's rows: each refunded order's Order row (sold six days before the refund, fees
    # charged) and its Refund row (the price given back, 80 % of the referral fee returned)
    order_day = np.maximum(refunds["day"].to_numpy() - 6, 0)
    n_r = len(refunds)

    def stamp(d):
        return (days[d] + pd.Timedelta(hours=9)).strftime("%b %d, %Y %I:%M:%S %p PST")

    txn = pd.DataFrame(
        {
            "date/time": np.concatenate([stamp(order_day), stamp(refunds["day"].to_numpy())]),
            "settlement id": "1" + pd.Series(rng.integers(10**9, 10**10, 2 * n_r)).astype(str),
            "type": np.repeat(["Order", "Refund"], n_r),
            "order id": np.tile(refunds["order"].to_numpy(), 2),
            "sku": np.tile(p.sku.to_numpy()[rk], 2),
            "description": np.tile(p.title.to_numpy()[rk], 2),
            "quantity": np.tile(qty, 2),
            "marketplace": "amazon.com",
            "fulfillment": "Amazon",
            "product sales": np.concatenate([sold_at, -price[rk] * qty]).round(2),
            "selling fees": np.concatenate([-sold_at * 0.15, price[rk] * qty * 0.15 * 0.8]).round(
                2
            ),
            "fba fees": np.concatenate([np.full(n_r, -3.50) * qty, np.zeros(n_r)]).round(2),
            "other": 0,
            "total": np.concatenate(
                [sold_at * 0.85 - 3.50 * qty, -price[rk] * qty * (1 - 0.15 * 0.8)]
            ).round(2),
        }
    )
    when = np.concatenate([order_day, refunds["day"].to_numpy()])
    txn = txn.iloc[np.argsort(when, kind="stable")].reset_index(drop=True)
    return returns, reimb, txn, cases


def _removals_and_fee_preview(
    sim: Simulation, ledger: pd.DataFrame, returns: pd.DataFrame, rng: np.random.Generator, *, as_of
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, list[dict]]:
    """Amazon's Removal Order Detail (17 columns, as 2026 files have them) and Fee Preview (31 columns, the US
    file) reports, consistent with the ledger and the master, with one injected case of each check:

    - every month's disposal of unsellable units is an order of the seller's automated unfulfillable setting,
      except one SKU-month (disposed without an order);
    - one completed disposal order requested 2 units more than it disposed (a removal shortfall);
    - Amazon's fee is the fee table's for the master's size and weight, except one SKU it weighs at 1.6 × (a fee
      overcharge, claimed on the units sold in the last 90 days);
    - one July/August return is recorded as a different item (SWITCHEROO: a returned-item mismatch);
    - Amazon's Replacements report: a defective unit replaced in August whose original never came back (a
      case), a lost parcel replaced (no return expected) and a replacement whose original was returned.
    """
    p = sim.products
    cases: list[dict] = []
    # ---- removal orders: the ledger's disposals, one order per SKU and month (disposed on the 20th)
    d = ledger.loc[(ledger["Disposed"] < 0) & (ledger["MSKU"] != "LEGACY-0001")].reset_index(
        drop=True
    )
    month = pd.to_datetime(d["Date"], format="%m/%Y")
    units = -d["Disposed"].astype(int)
    sku_idx = pd.Series(np.arange(len(p)), index=p.sku.to_numpy())[d["MSKU"]].to_numpy()
    fee = fees.removal_fee(
        fees.load_fee_tables(),
        date=as_of,
        weight_lb=p["weight_lb"].to_numpy()[sku_idx],
        size_tier=p["size_tier"].to_numpy()[sku_idx],
    )
    day20 = month + pd.Timedelta(days=19)
    orders = pd.DataFrame(
        {
            "request-date": (month + pd.Timedelta(days=17)).dt.strftime("%Y-%m-%dT08:00:00+00:00"),
            "order-id": "DSP" + month.dt.strftime("%y%m") + "-" + pd.Series(sku_idx).astype(str),
            "order-source": "Seller-configured Automated Unfulfillable Removal System",
            "order-type": "Disposal",
            "service-speed": "Standard",
            "order-status": "Completed",
            "last-updated-date": day20.dt.strftime("%Y-%m-%dT18:00:00+00:00"),
            "sku": d["MSKU"],
            "fnsku": d["FNSKU"],
            "disposition": "Unsellable",
            "requested-quantity": units,
            "cancelled-quantity": 0,
            "disposed-quantity": units,
            "shipped-quantity": 0,
            "in-process-quantity": 0,
            "removal-fee": (units * fee).round(2),
            "currency": "USD",
        }
    )
    sept = np.flatnonzero((month == pd.Timestamp(as_of.year, 9, 1)).to_numpy())
    aug = np.flatnonzero((month == pd.Timestamp(as_of.year, 8, 1)).to_numpy())
    drop = int(rng.choice(sept))
    short = int(rng.choice(aug[d["MSKU"].to_numpy()[aug] != d["MSKU"].iloc[drop]]))
    orders.loc[short, "requested-quantity"] += 2
    cases.append(
        {
            "kind": "removal shortfall",
            "sku": str(d["MSKU"].iloc[short]),
            "units": 2,
            "status": "open",
        }
    )
    cases.append(
        {
            "kind": "disposed without an order",
            "sku": str(d["MSKU"].iloc[drop]),
            "units": int(units.iloc[drop]),
            "status": "open",
        }
    )
    orders = orders.drop(index=drop).reset_index(drop=True)
    # ---- the fee preview: the US SKUs Amazon fulfils, at the fee table's fee for the master's size and weight
    us = p.loc[~p.sku.str.startswith("UK-")].reset_index(drop=True)
    weight = us["weight_lb"].to_numpy(dtype=float).copy()
    # Amazon weighs one standard-size SKU at 1.6 × the heavier of its weight and its dimensional weight
    # (volume × 1,728 ÷ 139), a pound more than the master says at least
    dim_weight = us["cubic_feet"].to_numpy(dtype=float) * 1728 / 139
    pick = int(
        rng.choice(np.flatnonzero((us["size_tier"] == "standard").to_numpy() & (weight > 0.5)))
    )
    weight[pick] = round(max(weight[pick], dim_weight[pick]) * 1.6 + 1, 2)
    table = fees.load_fee_table("fulfilment_fees.csv")
    got = fees.fulfilment_fees(
        table,
        marketplace=np.full(len(us), "US", dtype=object),
        size_tier=us["size_tier"].to_numpy(dtype=object),
        weight_lb=weight.astype(object),
        cubic_feet=us["cubic_feet"].to_numpy(dtype=object),
        price=us["price"].to_numpy(dtype=float),
        on=as_of,
    )
    side = np.cbrt(us["cubic_feet"].to_numpy(dtype=float)) * 12
    referral = (us["price"] * 0.15).round(2)
    tier = (
        pd.Series(got["fee_tier"])
        .map({"small_standard": "UsSmallStandardSize", "large_standard": "UsLargeStandardSize"})
        .fillna("UsLargeBulky")
    )
    preview = pd.DataFrame(
        {
            "sku": us["sku"],
            "fnsku": us["fnsku"],
            "asin": us["asin"],
            "amazon-store": "US",
            "product-name": us["title"],
            "product-group": "Home",
            "brand": "Sample Brand",
            "fulfilled-by": "Amazon",
            "your-price": us["price"].round(2),
            "sales-price": us["price"].round(2),
            "longest-side": side.round(2),
            "median-side": side.round(2),
            "shortest-side": side.round(2),
            "length-and-girth": (side * 5).round(2),
            "unit-of-dimension": "inches",
            "item-package-weight": weight,
            "unit-of-weight": "pounds",
            "product-size-tier": tier,
            "currency": "USD",
            "estimated-fee-total": (referral + got["fee"].round(2)).round(2),
            "estimated-referral-fee-per-unit": referral,
            "estimated-variable-closing-fee": 0.0,
            "estimated-order-handling-fee-per-order": "--",
            "estimated-pick-pack-fee-per-unit": "--",
            "estimated-weight-handling-fee-per-unit": "--",
            "expected-fulfillment-fee-per-unit": got["fee"].round(2),
            "estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)": "--",
            "estimated-future-order-handling-fee-per-order": "--",
            "estimated-future-pick-pack-fee-per-unit": "--",
            "estimated-future-weight-handling-fee-per-unit": "--",
            "expected-future-fulfillment-fee-per-unit": "--",
        }
    )
    cases.append({"kind": "fee overcharge", "sku": str(us["sku"].iloc[pick]), "status": "open"})
    # ---- a different item returned: one July/August return's reason
    when = pd.to_datetime(returns["return-date"].str[:10])
    cand = np.flatnonzero(
        ((when >= f"{as_of.year}-07-05") & (when <= f"{as_of.year}-08-30")).to_numpy()
        & (returns["detailed-disposition"] == "CUSTOMER_DAMAGED").to_numpy()
    )
    i = int(rng.choice(cand))
    returns = returns.copy()
    returns.loc[returns.index[i], "reason"] = "SWITCHEROO"
    cases.append(
        {
            "kind": "returned item mismatch",
            "sku": str(returns["sku"].iloc[i]),
            "units": int(returns["quantity"].iloc[i]),
            "reference": str(returns["order-id"].iloc[i]),
            "status": "open",
        }
    )
    # ---- replacements: Amazon's FBA Replacements report (9 columns, SP-API's header): a defective unit replaced
    # in August whose original never came back (a case), a lost parcel (no return expected) and a replacement
    # whose original was returned (both not cases)
    back = returns.loc[
        when.dt.month.isin([7, 8]).to_numpy() & (when.dt.year == as_of.year).to_numpy()
    ]
    j = int(rng.choice(len(back)))
    k_case = int(rng.choice(np.flatnonzero(~us["sku"].isin([us["sku"].iloc[pick]]).to_numpy())))
    replaced = pd.DataFrame(
        {
            "shipment-date": [
                f"{as_of.year}-08-10",
                f"{as_of.year}-08-12",
                back["return-date"].iloc[j][:10],
            ],
            "sku": [us["sku"].iloc[k_case], us["sku"].iloc[k_case], back["sku"].iloc[j]],
            "asin": [us["asin"].iloc[k_case], us["asin"].iloc[k_case], back["asin"].iloc[j]],
            "fulfillment-center-id": ["MDW2", "MDW2", "ONT8"],
            "original-fulfillment-center-id": ["ONT8", "ONT8", "ONT8"],
            "quantity": [1, 1, int(back["quantity"].iloc[j])],
            "replacement-reason-code": [2, 6, 3],
            "replacement-amazon-order-id": [
                "113-5550001-0000001",
                "113-5550001-0000002",
                "113-5550001-0000003",
            ],
            "original-amazon-order-id": [
                "112-5550001-0000001",
                "112-5550001-0000002",
                back["order-id"].iloc[j],
            ],
        }
    )
    cases.append(
        {
            "kind": "replacement not returned",
            "sku": str(us["sku"].iloc[k_case]),
            "units": 1,
            "reference": "112-5550001-0000001",
            "status": "open",
        }
    )
    return orders, preview, returns, replaced, cases


def fba_balance(sim: Simulation) -> np.ndarray:
    """End-of-day SELLABLE units at FBA, days × SKUs (the true balance, before any injected fault)."""
    net = sum(sim.fba.values())
    return sim.fba_start[None, :] + np.cumsum(net, axis=0)


def true_fba_lots(sim: Simulation, rng: np.random.Generator) -> pd.DataFrame:
    """Every FBA receipt lot: shipments as received, and the opening stock, received 25–200 days before
    the simulation starts (older than the data can tell)."""
    p = sim.products
    days = sim.days
    sh = sim.shipments.loc[sim.shipments["arrive_day"] < len(days)]
    opening_age = rng.integers(25, 200, len(p))
    lots = pd.concat(
        [
            pd.DataFrame(
                {
                    "sku": p.sku.to_numpy()[sh["sku_idx"].to_numpy()],
                    "date": days[sh["arrive_day"].to_numpy()],
                    "units": sh["units_received"].to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "sku": p.sku.to_numpy(),
                    "date": days[0] - pd.to_timedelta(opening_age, unit="D"),
                    "units": sim.fba_start,
                }
            ),
        ],
        ignore_index=True,
    )
    return lots.loc[lots["units"] > 0].reset_index(drop=True)


def _fba_reports(
    sim: Simulation, rng: np.random.Generator, *, marketplace: str = "US", currency: str = "USD"
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Amazon's FBA Inventory report (last day), aged-surcharge report (the last 15th) and storage fee report
    (the last full month before), priced with the marketplace's bundled fee tables in its currency."""
    country = "GB" if marketplace == "UK" else marketplace

    p = sim.products.set_index("sku", drop=False)
    days = sim.days
    bal = fba_balance(sim)
    sold = -sim.fba["customer_shipments"]
    tables = fees.for_marketplace(fees.load_fee_tables(), marketplace)
    lots_all = true_fba_lots(sim, rng)
    skus = p["sku"].to_numpy()

    def lots_on(t: int) -> pd.DataFrame:
        on_hand = pd.DataFrame({"sku": skus, "units": bal[t]})
        return fifo_allocate(
            on_hand, lots_all.loc[lots_all["date"] <= days[t]], opening_date=days[0]
        )

    t_end = len(days) - 1
    snap = days[t_end]
    lots = lots_on(t_end)
    b = bucket_units(lots, as_of=snap, buckets={**AGE_BUCKETS, **FINE_AGE_BUCKETS}).set_index("sku")
    b = b.reindex(skus, fill_value=0)
    t7, t30, t60, t90 = (sold[t_end - w + 1 :].sum(axis=0) for w in (7, 30, 60, 90))
    avg30, avg90 = bal[t_end - 29 :].mean(axis=0), bal[t_end - 89 :].mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        sell_through = np.where(avg90 > 0, t90 / avg90, 0).round(2)
        woc30 = np.where(t30 > 0, avg30 / (t30 / 4), 0).round(1)
        woc90 = np.where(t90 > 0, avg90 / (t90 / 12), 0).round(1)
        dos = np.where(t30 > 0, bal[t_end] / (t30 / 30), 0).round(0)
    excess = np.clip(bal[t_end] - np.ceil(90 * t30 / 30), 0, None).astype(np.int64)
    cu = p["cubic_feet"].to_numpy()
    # next month's storage, and the surcharge at the next 15th if nothing sold (Amazon's own estimate)
    nxt_month = snap + pd.offsets.MonthBegin(1)
    storage_next = fees.monthly_storage_fee(
        tables,
        month=[nxt_month] * len(skus),
        units=bal[t_end],
        cubic_feet=cu,
        size_tier=p["size_tier"].to_numpy(),
    )
    nxt_snap = nxt_month + pd.Timedelta(days=14)
    lc = lots.assign(cubic_feet=lots["sku"].map(p["cubic_feet"]))
    ais_next = fees.aged_surcharge(
        tables,
        snapshot=nxt_snap,
        age_days=(nxt_snap - lc["date"]).dt.days,
        units=lc["units"],
        cubic_feet=lc["cubic_feet"],
    )
    ais_next["sku"] = lc["sku"].to_numpy()
    ais_next["units"] = lc["units"].to_numpy()
    tier_cols = {
        "181-210": "181-210",
        "211-240": "211-240",
        "241-270": "241-270",
        "271-300": "271-300",
        "301-330": "301-330",
        "331-365": "331-365",
        "366-455": "366-455",
        "456+": "456-plus",
    }
    sh = sim.shipments
    inbound = (
        sh.loc[(sh["ship_day"] <= t_end) & (sh["arrive_day"] > t_end)]
        .groupby("sku_idx")["units_shipped"]
        .sum()
    )
    inbound = inbound.reindex(range(len(skus)), fill_value=0).to_numpy()
    unsell = np.cumsum(sum(sim.fba_unsellable.values()), axis=0)[t_end]
    has_old = b["inv_age_365_plus_days"].to_numpy() > 0
    has_aged = b[["inv_age_181_to_270_days", "inv_age_271_to_365_days"]].sum(axis=1).to_numpy() > 0
    inv = pd.DataFrame(
        {
            "snapshot-date": f"{snap:%Y-%m-%d}",
            "sku": skus,
            "fnsku": p["fnsku"].to_numpy(),
            "asin": p["asin"].to_numpy(),
            "product-name": p["title"].to_numpy(),
            "condition": "New",
            "available": bal[t_end],
            "pending-removal-quantity": 0,
            **{k.replace("_", "-"): b[k].to_numpy() for k in AGE_BUCKETS},
            "currency": currency,
            "units-shipped-t7": t7,
            "units-shipped-t30": t30,
            "units-shipped-t60": t60,
            "units-shipped-t90": t90,
            "alert": np.where(bal[t_end] == 0, "out_of_stock", np.where(dos < 14, "low_stock", "")),
            "your-price": p["price"].to_numpy(),
            "sales-price": p["price"].to_numpy(),
            "recommended-action": np.where(
                has_old,
                "Create removal order",
                np.where(has_aged, "Create sales", "No action required"),
            ),
            "DEPRECATED healthy-inventory-level": "",
            "sell-through": sell_through,
            "item-volume": cu,
            "volume-unit-measurement": "cubic feet",
            "storage-type": np.where(
                p["size_tier"].to_numpy() == "large_bulky", "Oversize", "Standard"
            ),
            "marketplace": marketplace,
            "days-of-supply": dos,
            "estimated-excess-quantity": excess,
            "weeks-of-cover-t30": woc30,
            "weeks-of-cover-t90": woc90,
            **{k.replace("_", "-"): b[k].to_numpy() for k in FINE_AGE_BUCKETS},
            "estimated-storage-cost-next-month": np.round(
                storage_next
                + pd.Series(ais_next["amount"].to_numpy(), index=ais_next["sku"])
                .groupby(level=0)
                .sum()
                .reindex(skus, fill_value=0)
                .to_numpy(),
                2,
            ),
            "inbound-quantity": inbound,
            "inbound-working": 0,
            "inbound-shipped": inbound,
            "inbound-received": 0,
            "no-sale-last-6-months": np.where(sold[t_end - 179 :].sum(axis=0) == 0, bal[t_end], 0),
            "reserved-quantity": 0,
            "unfulfillable-quantity": unsell,
        }
    )
    for tier, col in tier_cols.items():
        hit = ais_next.loc[ais_next["tier"] == tier]
        inv[f"estimated-ais-{col}-days"] = (
            hit.groupby("sku")["amount"].sum().reindex(skus, fill_value=0).round(2).to_numpy()
        )
        inv[f"quantity-to-be-charged-ais-{col}-days"] = (
            hit.groupby("sku")["units"].sum().reindex(skus, fill_value=0).to_numpy()
        )

    # aged inventory surcharge charged at the last 15th in the data
    t15 = int(np.flatnonzero(days.day == 15)[-1])
    s15 = days[t15]
    l15 = lots_on(t15)
    l15 = l15.assign(cubic_feet=l15["sku"].map(p["cubic_feet"]))
    a = fees.aged_surcharge(
        tables,
        snapshot=s15,
        age_days=(s15 - l15["date"]).dt.days,
        units=l15["units"],
        cubic_feet=l15["cubic_feet"],
    )
    a["sku"], a["units"], a["vol"] = (
        l15["sku"].to_numpy(),
        l15["units"].to_numpy(),
        l15["cubic_feet"].to_numpy(),
    )
    a = (
        a.loc[a["tier"] != ""]
        .groupby(["sku", "tier"], as_index=False)
        .agg(
            qty=("units", "sum"),
            amount=("amount", "sum"),
            rate=("rate_per_cubic_foot", "first"),
            vol=("vol", "first"),
        )
    )
    ais = pd.DataFrame(
        {
            "snapshot-date": f"{s15:%Y-%m-%d}",
            "sku": a["sku"],
            "fnsku": a["sku"].map(p["fnsku"]),
            "asin": a["sku"].map(p["asin"]),
            "product-name": a["sku"].map(p["title"]),
            "condition": "New",
            "per-unit-volume": a["vol"],
            "currency": currency,
            "volume-unit": "cubic feet",
            "country": country,
            "qty-charged": a["qty"],
            "amount-charged": a["amount"].round(2),
            "surcharge-age-tier": a["tier"],
            "rate-surcharge": a["rate"],
        }
    )

    # monthly storage fees for the last full month before the last one
    month = days[-1].to_period("M") - 1
    in_m = np.flatnonzero(days.to_period("M") == month)
    avg = bal[in_m].mean(axis=0)
    keep = avg > 0
    fee_m = fees.monthly_storage_fee(
        tables,
        month=[month.start_time] * int(keep.sum()),
        units=avg[keep],
        cubic_feet=cu[keep],
        size_tier=p["size_tier"].to_numpy()[keep],
    )
    rate = fees.storage_rate(
        tables,
        dates=[month.start_time] * int(keep.sum()),
        size_tier=p["size_tier"].to_numpy()[keep],
    )
    storage = pd.DataFrame(
        {
            "asin": p["asin"].to_numpy()[keep],
            "fnsku": p["fnsku"].to_numpy()[keep],
            "product_name": p["title"].to_numpy()[keep],
            "fulfillment_center": np.asarray(FCS)[rng.integers(0, len(FCS), int(keep.sum()))],
            "country_code": country,
            "item_volume": cu[keep],
            "volume_units": "cubic feet",
            "product_size_tier": np.where(
                p["size_tier"].to_numpy()[keep] == "large_bulky",
                "Large Bulky",
                "Large Standard-Size",
            ),
            "average_quantity_on_hand": avg[keep].round(2),
            "average_quantity_pending_removal": 0,
            "estimated_total_item_volume": (avg[keep] * cu[keep]).round(4),
            "month_of_charge": f"{month}",
            "storage_rate": rate,
            "currency": currency,
            "estimated_monthly_storage_fee": fee_m,
            "base_rate": rate,
            "utilization_surcharge_rate": 0,
            "storage_utilization_ratio": "",
        }
    )
    return inv, ais, storage


def _restock_report(sim: Simulation, inv: pd.DataFrame) -> pd.DataFrame:
    """Amazon's Restock Inventory report as a seller downloads it: a 30-day average (stock-out days
    included), the seller's 45-day lead time setting and 60 days of supply to hold."""
    p = sim.products
    last = sim.days[-1]
    t30 = inv["units-shipped-t30"].to_numpy()
    rate = t30 / 30
    avail, inbound = inv["available"].to_numpy(), inv["inbound-quantity"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        total_dos = np.where(rate > 0, (avail + inbound) / rate, 0).round(0)
        amz_dos = np.where(rate > 0, avail / rate, 0).round(0)
    qty = np.clip(np.round(rate * (45 + 60) - (avail + inbound)), 0, None).astype(np.int64)
    return pd.DataFrame(
        {
            "Country": "US",
            "Product Name": p["title"],
            "FNSKU": p["fnsku"],
            "Merchant SKU": p["sku"],
            "ASIN": p["asin"],
            "Condition": "New",
            "Supplier": "",
            "Supplier part no.": "",
            "Currency code": "USD",
            "Price": p["price"],
            "Sales last 30 days": np.round(t30 * p["price"].to_numpy(), 2),
            "Units Sold Last 30 Days": t30,
            "Total Units": avail + inbound,
            "Inbound": inbound,
            "Available": avail,
            "FC transfer": 0,
            "FC Processing": 0,
            "Customer Order": 0,
            "Unfulfillable": inv["unfulfillable-quantity"].to_numpy(),
            "Working": 0,
            "Shipped": inbound,
            "Receiving": 0,
            "Fulfilled by": "Amazon",
            "Total Days of Supply (including units from open shipments)": total_dos,
            "Days of Supply at Amazon Fulfillment Network": amz_dos,
            "Alert": np.where(avail == 0, "out_of_stock", np.where(qty > 0, "reorder_now", "")),
            "Recommended replenishment qty": qty,
            "Recommended ship date": np.where(qty > 0, f"{last:%Y-%m-%d}", ""),
            "Recommended action": np.where(qty > 0, "Restock", "No action required"),
            "Unit storage size": np.where(
                p["size_tier"].to_numpy() == "large_bulky", "Oversize", "Standard-size"
            ),
        }
    )


def _daily_sales(sim: Simulation, rng: np.random.Generator) -> pd.DataFrame:
    """One row per SKU and day, as an ERP's daily sales report writes it: units, revenue, FBA stock."""
    p = sim.products
    days = sim.days
    units = -sim.fba["customer_shipments"]
    n_days, n = units.shape
    promo = np.where(rng.random((n_days, n)) < 0.08, 0.85, 1.0)
    revenue = np.round(units * p["price"].to_numpy()[None, :] * promo, 2)
    d, k = np.indices((n_days, n))
    return pd.DataFrame(
        {
            "日期": days[d.ravel()].strftime("%Y-%m-%d"),
            "SKU": p.sku.to_numpy()[k.ravel()],
            "销量": units.ravel(),
            "销售额": revenue.ravel(),
            "FBA可售": fba_balance(sim).ravel(),
        }
    )


def _detail(sim: Simulation, rng: np.random.Generator) -> pd.DataFrame:
    """Event-level rows for the last month, consistent with the summary's true flows."""
    p = sim.products
    days = sim.days
    sel = np.flatnonzero(days.to_period("M") == days[-1].to_period("M"))
    parts = []
    spec = [  # (flow dict, flow, event type, reason, disposition)
        (sim.fba, "customer_shipments", "Shipments", "", "SELLABLE"),
        (sim.fba, "customer_returns", "CustomerReturns", "", "SELLABLE"),
        (sim.fba_unsellable, "customer_returns", "CustomerReturns", "", "UNSELLABLE"),
        (sim.fba, "receipts", "Receipts", "", "SELLABLE"),
        (sim.fba, "lost", "Adjustments", "M", "SELLABLE"),
        (sim.fba, "found", "Adjustments", "F", "SELLABLE"),
        (sim.fba, "damaged", "Adjustments", "E", "SELLABLE"),
        (sim.fba_unsellable, "disposed", "Adjustments", "D", "UNSELLABLE"),
    ]
    for flows, flow, event, reason, disp in spec:
        a = flows[flow][sel]
        d, s = np.nonzero(a)
        if not len(d):
            continue
        parts.append(
            pd.DataFrame(
                {
                    "day": sel[d],
                    "sku_idx": s,
                    "qty": a[d, s],
                    "event": event,
                    "reason": reason,
                    "disp": disp,
                }
            )
        )
    ev = pd.concat(parts, ignore_index=True).sort_values(
        ["day", "sku_idx", "event", "reason"], ignore_index=True
    )
    m = len(ev)
    order_ids = (
        "11"
        + pd.Series(rng.integers(1, 9, m)).astype(str)
        + "-"
        + pd.Series(rng.integers(10**6, 10**7, m)).astype(str)
        + "-"
        + pd.Series(rng.integers(10**6, 10**7, m)).astype(str)
    )
    adj_ids = pd.Series(rng.integers(10**9, 10**10, m)).astype(str)
    ref = np.where(ev["event"] == "Shipments", order_ids, "")
    ref = np.where(ev["event"] == "Receipts", "FBA19-RCV", ref)
    ref = np.where(ev["event"] == "Adjustments", adj_ids, ref)
    ii = ev["sku_idx"].to_numpy()
    return pd.DataFrame(
        {
            "Date": days[ev["day"].to_numpy()].strftime("%m/%d/%Y"),
            "FNSKU": p.fnsku.to_numpy()[ii],
            "ASIN": p.asin.to_numpy()[ii],
            "MSKU": p.sku.to_numpy()[ii],
            "Title": p.title.to_numpy()[ii],
            "Event Type": ev["event"],
            "Reference ID": ref,
            "Quantity": ev["qty"],
            "Fulfillment Center": np.asarray(FCS)[rng.integers(0, len(FCS), len(ev))],
            "Disposition": ev["disp"],
            "Reason": ev["reason"],
            "Country": FBA,
            "Reconciled Quantity": 0,
            "Unreconciled Quantity": 0,
        }
    )
