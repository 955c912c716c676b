"""Matplotlib figures, one function per chart. Each has a title, units and labelled axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from stockbook.schema import FLOWS

CLASS_COLORS = {"domestic": "#4C72B0", "fba": "#DD8452", "third_party": "#55A868", "in_transit": "#8172B3"}
FLOW_LABELS = {
    "receipts": "Receipts", "customer_shipments": "Customer shipments", "customer_returns": "Customer returns",
    "vendor_returns": "Removals", "transfers": "Transfers", "outbound": "Shipped out", "found": "Found",
    "lost": "Lost", "damaged": "Damaged", "disposed": "Disposed", "other_events": "Other",
}


def flows_by_location(flows: pd.DataFrame, *, period_label: str) -> Figure:
    """Horizontal bars of each flow (units, signed) per location class for one period."""
    classes = list(flows["location_class"])
    fig, axes = plt.subplots(1, max(len(classes), 1), figsize=(4.2 * max(len(classes), 1), 3.6), squeeze=False)
    for ax, (_, row) in zip(axes[0], flows.iterrows(), strict=False):
        names = [f for f in FLOWS if f in row.index and row[f] != 0]
        vals = [int(row[f]) for f in names]
        colors = ["#2E7D32" if v > 0 else "#C62828" for v in vals]
        ax.barh([FLOW_LABELS[n] for n in names] or ["(no movement)"], vals or [0], color=colors or ["#999"])
        ax.axvline(0, color="#333", lw=0.8)
        ax.set_title(f"{row['location_class']}: {int(row['starting']):,} → {int(row['ending']):,} units",
                     fontsize=10)
        ax.set_xlabel("units (in +, out −)")
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.invert_yaxis()
    fig.suptitle(f"Where the units went, {period_label}", fontsize=12)
    fig.tight_layout()
    return fig


def ending_by_month(flows: pd.DataFrame) -> Figure:
    """Ending units per location class by month (stacked)."""
    wide = flows.pivot_table(index="period", columns="location_class", values="ending", aggfunc="sum").fillna(0)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    bottom = None
    for c in wide.columns:
        ax.bar(wide.index, wide[c], bottom=bottom, label=c, color=CLASS_COLORS.get(c))
        bottom = wide[c] if bottom is None else bottom + wide[c]
    ax.set_title("Stock on hand at month end by location class")
    ax.set_ylabel("units")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("month")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(frameon=False, ncols=len(wide.columns))
    fig.tight_layout()
    return fig


def breaks_by_value(breaks: pd.DataFrame, *, top: int = 15, currency: str = "USD") -> Figure:
    """The largest ledger breaks by absolute value at cost."""
    b = breaks.assign(v=breaks["break_value"].fillna(0) + breaks["chain_break_value"].fillna(0))
    b = b.reindex(b["v"].abs().sort_values(ascending=False).index).head(top)
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(b), 3) + 1.2))
    labels = b["sku"] + " · " + b["location"] + " · " + b["period"]
    ax.barh(labels, b["v"], color=["#C62828" if v < 0 else "#2E7D32" for v in b["v"]])
    ax.axvline(0, color="#333", lw=0.8)
    ax.invert_yaxis()
    ax.set_title(f"Largest ledger breaks (top {len(b)})")
    ax.set_xlabel(f"value at cost ({currency}); negative = units missing from the book")
    fig.tight_layout()
    return fig
