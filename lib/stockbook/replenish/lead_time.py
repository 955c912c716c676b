"""Lead time: the stages from the supplier to a sellable unit at Amazon, per shipping mode.

Production, domestic handling, line haul, customs and FBA check-in are parameters with per-mode
defaults; production is per SKU where the SKU master or the supplier says so. The line haul and its
spread per mode are replaced by what closed shipments show when there are enough of them::

    purchase lead time  L_po  = production + transit(mode)
    transit(mode)       L_fba = domestic handling + line haul + customs + check-in
    σ_L (purchase)            = √(σ_production² + σ_transit²)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from stockbook.money import marketplace_code


@dataclass(frozen=True)
class LeadTimes:
    """Lead-time stages in days, per shipping mode where they differ; every value is a parameter."""

    production: float = 20.0
    production_sd: float = 4.0
    domestic_handling: float = 3.0
    line_haul: dict[str, float] = field(
        default_factory=lambda: {"sea": 30.0, "air": 7.0, "express": 5.0}
    )
    customs: dict[str, float] = field(
        default_factory=lambda: {"sea": 4.0, "air": 2.0, "express": 1.0}
    )
    check_in: dict[str, float] = field(
        default_factory=lambda: {"sea": 7.0, "air": 3.5, "express": 3.0}
    )
    transit_sd: dict[str, float] = field(
        default_factory=lambda: {"sea": 5.0, "air": 2.0, "express": 1.0}
    )

    @classmethod
    def from_parameters(
        cls,
        *,
        production_days: float = 20.0,
        domestic_handling_days: float = 3.0,
        sea_line_haul_days: float = 30.0,
        air_line_haul_days: float = 7.0,
        customs_days: float = 4.0,
        check_in_days: float = 7.0,
        **_ignored: object,
    ) -> LeadTimes:
        """The stages from notebook 05's flat parameters (air clears customs and checks in in half the sea
        days; express keeps its defaults); parameters that are not stages are ignored.

        >>> lead = LeadTimes.from_parameters(customs_days=6, lang="en")
        >>> lead.customs["air"], lead.transit("sea")
        (3.0, 46.0)
        """
        base = cls()
        return cls(
            production=production_days,
            production_sd=base.production_sd,
            domestic_handling=domestic_handling_days,
            line_haul={**base.line_haul, "sea": sea_line_haul_days, "air": air_line_haul_days},
            customs={**base.customs, "sea": customs_days, "air": customs_days / 2},
            check_in={**base.check_in, "sea": check_in_days, "air": check_in_days / 2},
            transit_sd=dict(base.transit_sd),
        )

    def parameters(self) -> dict[str, float]:
        """The flat notebook parameters these stages come from (the inverse of ``from_parameters``)."""
        return {
            "production_days": self.production,
            "domestic_handling_days": self.domestic_handling,
            "sea_line_haul_days": self.line_haul["sea"],
            "air_line_haul_days": self.line_haul["air"],
            "customs_days": self.customs["sea"],
            "check_in_days": self.check_in["sea"],
        }

    def transit(self, mode: str) -> float:
        """Domestic handling + line haul + customs + check-in: warehouse door to sellable at FBA."""
        return (
            self.domestic_handling + self.line_haul[mode] + self.customs[mode] + self.check_in[mode]
        )

    def table(self) -> pd.DataFrame:
        rows = [
            {
                "mode": m,
                "production": self.production,
                "domestic_handling": self.domestic_handling,
                "line_haul": self.line_haul[m],
                "customs": self.customs[m],
                "check_in": self.check_in[m],
                "transit_days": self.transit(m),
                "transit_sd": self.transit_sd[m],
                "purchase_lead_days": self.production + self.transit(m),
            }
            for m in self.line_haul
        ]
        return pd.DataFrame(rows)


def observed_transit(shipments: pd.DataFrame, *, min_shipments: int = 5) -> pd.DataFrame:
    """Ship date to received date per mode from closed shipments: count, mean and standard deviation."""
    s = shipments.loc[shipments["received_date"].notna()]
    days = (s["received_date"] - s["ship_date"]).dt.days
    g = days.groupby(s["mode"]).agg(["count", "mean", "std"]).reset_index()
    g.columns = ["mode", "shipments", "mean_days", "sd_days"]
    g["used"] = g["shipments"] >= min_shipments
    return g


def calibrate(
    lead: LeadTimes, shipments: pd.DataFrame | None, *, min_shipments: int = 5
) -> LeadTimes:
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
            haul[r.mode] = max(
                float(r.mean_days) - lead.customs[r.mode] - lead.check_in[r.mode], 0.0
            )
            sd[r.mode] = float(r.sd_days)
    return LeadTimes(
        lead.production,
        lead.production_sd,
        lead.domestic_handling,
        haul,
        dict(lead.customs),
        dict(lead.check_in),
        sd,
    )


def production_days(
    products: pd.DataFrame, *, default: float, by_supplier: dict[str, float] | None = None
) -> np.ndarray:
    """Production days per SKU: its own override, else its supplier's, else the default.

    >>> p = pd.DataFrame({"production_days": [45.0, None, None], "supplier": ["S1", "S1", None]})
    >>> production_days(p, default=20, by_supplier={"S1": 30}).tolist()
    [45.0, 30.0, 20.0]
    """
    own = pd.to_numeric(
        products.get("production_days", pd.Series(np.nan, index=products.index)), errors="coerce"
    ).astype("float64")
    supplier = products.get("supplier", pd.Series(pd.NA, index=products.index, dtype="string"))
    by_sup = supplier.map(by_supplier or {}).astype("float64")
    return own.fillna(by_sup).fillna(float(default)).to_numpy(dtype=float)


def shipment_marketplaces(shipments: pd.DataFrame, sku_marketplace: pd.Series) -> pd.Series:
    """Each shipment line's marketplace: the one its destination names (``FBA-UK``, ``英国站``,
    ``amazon.co.uk``), else its SKU's (a fulfilment-centre code such as ``LTN4`` names none).

    >>> s = pd.DataFrame({"sku": ["A", "B", "C"], "destination": ["FBA-UK", "英国站", "ONT8"]})
    >>> shipment_marketplaces(s, pd.Series({"A": "US", "C": "US"})).tolist()
    ['UK', 'UK', 'US']
    """
    named = (
        marketplace_code(shipments["destination"]).reset_index(drop=True)
        if "destination" in shipments
        else pd.Series(pd.NA, index=range(len(shipments)), dtype="string")
    )
    of_sku = shipments["sku"].astype("string").map(sku_marketplace).reset_index(drop=True)
    return named.fillna(of_sku).astype("string").set_axis(shipments.index)


def calibrate_by_destination(
    lead: LeadTimes,
    shipments: pd.DataFrame | None,
    *,
    sku_marketplace: pd.Series,
    destinations,
    min_shipments: int = 5,
) -> dict[str, LeadTimes]:
    """:func:`calibrate` once per destination marketplace on that marketplace's closed shipments: China to the
    US and China to the UK are different voyages. A marketplace with too few shipments keeps the parameters
    (never another marketplace's measurement)."""
    if shipments is None or not len(shipments):
        return {d: lead for d in destinations}
    market = shipment_marketplaces(shipments, sku_marketplace)
    return {
        d: calibrate(lead, shipments.loc[market == d], min_shipments=min_shipments)
        for d in destinations
    }


def observed_transit_by_destination(
    shipments: pd.DataFrame, *, sku_marketplace: pd.Series, min_shipments: int = 5
) -> pd.DataFrame:
    """:func:`observed_transit` per destination marketplace, with a ``destination`` column."""
    market = shipment_marketplaces(shipments, sku_marketplace).fillna("")
    parts = [
        observed_transit(shipments.loc[market == d], min_shipments=min_shipments).assign(
            destination=d or pd.NA
        )
        for d in sorted(market.unique())
    ]
    out = pd.concat(parts, ignore_index=True) if parts else observed_transit(shipments)
    return out[["destination", *[c for c in out.columns if c != "destination"]]]
