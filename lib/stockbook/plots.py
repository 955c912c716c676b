"""Matplotlib figures, one function per chart. Each has a title, units and labelled axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter, StrMethodFormatter

from stockbook.aging import OPTIONS
from stockbook.i18n import tr
from stockbook.schema import AGE_BUCKETS, FLOWS

# text from the data (a SKU such as "$5$-OFF", a title) is text: never matplotlib's math between dollar signs
plt.rcParams["text.parse_math"] = False

CLASS_COLORS = {
    "domestic": "#4C72B0",
    "fba": "#DD8452",
    "third_party": "#55A868",
    "in_transit": "#8172B3",
}
FLOW_LABELS = {
    "receipts": "Receipts",
    "customer_shipments": "Customer shipments",
    "customer_returns": "Customer returns",
    "vendor_returns": "Removals",
    "transfers": "Transfers",
    "outbound": "Shipped out",
    "found": "Found",
    "lost": "Lost",
    "damaged": "Damaged",
    "disposed": "Disposed",
    "other_events": "Other",
}


def flows_by_location(flows: pd.DataFrame, *, period_label: str) -> Figure:
    """Horizontal bars of each flow (units, signed) per location class for one period."""
    classes = list(flows["location_class"])
    fig, axes = plt.subplots(
        1, max(len(classes), 1), figsize=(4.2 * max(len(classes), 1), 3.6), squeeze=False
    )
    for ax, (_, row) in zip(axes[0], flows.iterrows(), strict=False):
        names = [f for f in FLOWS if f in row.index and row[f] != 0]
        vals = [int(row[f]) for f in names]
        colors = ["#2E7D32" if v > 0 else "#C62828" for v in vals]
        ax.barh(
            [tr(FLOW_LABELS[n]) for n in names] or [tr("(no movement)")],
            vals or [0],
            color=colors or ["#999"],
        )
        ax.axvline(0, color="#333", lw=0.8)
        ax.set_title(
            tr(
                "{location}: {start:,} → {end:,} units",
                location=tr(row["location_class"]),
                start=int(row["starting"]),
                end=int(row["ending"]),
            ),
            fontsize=10,
        )
        ax.set_xlabel(tr("units (in +, out −)"))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.invert_yaxis()
    fig.suptitle(tr("Where the units went, {period}", period=period_label), fontsize=12)
    fig.tight_layout()
    return fig


def ending_by_month(flows: pd.DataFrame) -> Figure:
    """Ending units per location class by month (stacked)."""
    wide = flows.pivot_table(
        index="period", columns="location_class", values="ending", aggfunc="sum"
    ).fillna(0)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    bottom = None
    for c in wide.columns:
        ax.bar(wide.index, wide[c], bottom=bottom, label=tr(c), color=CLASS_COLORS.get(c))
        bottom = wide[c] if bottom is None else bottom + wide[c]
    ax.set_title(tr("Stock on hand at month end by location class"))
    ax.set_ylabel(tr("units"))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(tr("month"))
    ax.tick_params(axis="x", labelrotation=45)
    legend(ax, frameon=False, ncols=len(wide.columns))
    fig.tight_layout()
    return fig


def breaks_by_value(breaks: pd.DataFrame, *, top: int = 15, currency: str) -> Figure:
    """The largest ledger breaks by absolute value at cost."""
    b = breaks.assign(v=breaks["break_value"].fillna(0) + breaks["chain_break_value"].fillna(0))
    b = b.reindex(b["v"].abs().sort_values(ascending=False).index).head(top)
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(b), 3) + 1.2))
    labels = b["sku"] + " · " + b["location"] + " · " + b["period"]
    ax.barh(labels, b["v"], color=["#C62828" if v < 0 else "#2E7D32" for v in b["v"]])
    ax.axvline(0, color="#333", lw=0.8)
    ax.invert_yaxis()
    ax.set_title(tr("Largest ledger breaks (top {n})", n=len(b)))
    ax.set_xlabel(
        tr("value at cost ({currency}); negative = units missing from the book", currency=currency)
    )
    fig.tight_layout()
    return fig


ABC_COLORS = {"A": "#2E7D32", "B": "#F9A825", "C": "#9E9E9E"}


def pareto(classes: pd.DataFrame, *, a: float, b: float, currency: str) -> Figure:
    """Pareto chart: each SKU's value (bars, coloured by class) and the cumulative share (line)."""
    c = classes.sort_values("rank")
    fig, ax = plt.subplots(figsize=(10, 4))
    x = c["rank"].to_numpy()
    if len(c) <= 500:
        ax.bar(x, c["value"], width=1.0, color=[ABC_COLORS[k] for k in c["abc_class"]], linewidth=0)
    else:  # thousands of bars draw slowly and look the same as one filled area per class
        for k in ("A", "B", "C"):
            part = c.loc[c["abc_class"] == k]
            if len(part):
                ax.fill_between(
                    part["rank"].to_numpy(),
                    part["value"].to_numpy(dtype=float),
                    step="mid",
                    color=ABC_COLORS[k],
                    linewidth=0,
                )
    measure = str(c["measure"].iloc[0]) if len(c) else "value"
    unit = tr("units") if measure == "units" else currency
    mname = tr(measure.replace("_", " "))
    ax.set_ylabel(tr("{measure} per SKU ({unit})", measure=mname, unit=unit))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(tr("SKUs ranked by {measure} (1 = largest)", measure=mname))
    ax2 = ax.twinx()
    ax2.plot(x, c["cum_share"] * 100, color="#1A237E", lw=1.8, label=tr("cumulative share"))
    ax2.set_ylim(0, 102)
    ax2.set_ylabel(tr("cumulative share (%)"))
    for thr in (a, b):
        ax2.axhline(thr * 100, color="#555", lw=0.8, ls="--")
    for k in ("A", "B"):
        last = c.loc[c["abc_class"] == k, "rank"]
        if len(last):
            ax.axvline(last.max() + 0.5, color=ABC_COLORS[k], lw=1.2, ls=":")
    counts = c["abc_class"].value_counts()
    handles = [plt.Rectangle((0, 0), 1, 1, color=ABC_COLORS[k]) for k in ("A", "B", "C")]
    ax.legend(
        handles,
        [tr("{cls}: {n} SKUs", cls=k, n=counts.get(k, 0)) for k in ("A", "B", "C")],
        frameon=False,
        loc="center right",
    )
    ax.set_title(
        tr(
            "Pareto of {measure}: A up to {a:.0%}, B up to {b:.0%} of the total",
            measure=mname,
            a=a,
            b=b,
        )
    )
    fig.tight_layout()
    return fig


def abc_xyz_heatmap(matrix: pd.DataFrame) -> Figure:
    """The 3×3 ABC×XYZ matrix: SKU count in each cell, coloured by revenue share, with inventory share."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    grid = matrix.pivot(index="abc_class", columns="xyz_class", values="revenue_share").loc[
        ["A", "B", "C"], ["X", "Y", "Z"]
    ]
    im = ax.imshow(grid.to_numpy() * 100, cmap="Greens", vmin=0)
    for _, r in matrix.iterrows():
        i, j = "ABC".index(r["abc_class"]), "XYZ".index(r["xyz_class"])
        dark = r["revenue_share"] > grid.to_numpy().max() * 0.6
        ax.text(
            j,
            i,
            tr(
                "{n} SKUs\nrev {rev:.0%}\nstock {stock:.0%}",
                n=r["skus"],
                rev=r["revenue_share"],
                stock=r["inventory_share"],
            ),
            ha="center",
            va="center",
            fontsize=9,
            color="white" if dark else "#222",
        )
    ax.set_xticks(range(3), [tr("X (steady)"), tr("Y (variable)"), tr("Z (erratic)")])
    ax.set_yticks(range(3), ["A", "B", "C"])
    ax.set_xlabel(tr("demand variability (CV of weekly units)"))
    ax.set_ylabel(tr("ABC class"))
    fig.colorbar(im, ax=ax, label=tr("share of revenue (%)"))
    ax.set_title(tr("ABC × XYZ: SKUs, revenue share and stock value share"))
    fig.tight_layout()
    return fig


def plain_log_axis(axis) -> None:
    """A log axis labelled with plain numbers (0.1, 1, 10), never matplotlib's math text: with math parsing off
    for the data's text, its default labels would print as ``$\\mathdefault{10^{-1}}$``.

    >>> fig, ax = plt.subplots(); ax.set_xscale("log"); _ = ax.set_xlim(0.05, 50); plain_log_axis(ax.xaxis)
    >>> fig.canvas.draw(); [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    ['0.01', '0.1', '1', '10', '100']
    >>> plt.close(fig)
    """
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    axis.set_minor_formatter(NullFormatter())


def legend(ax, **options) -> None:
    """The axes' legend, when something drawn has a label (an empty chart gets none, and no warning)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**options)


def _empty(values) -> bool:
    """Whether a chart's values hold nothing to draw (all missing or zero)."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64")
    return not (v.fillna(0) != 0).any()


def nothing_to_plot(ax, why: str) -> None:
    """A chart with nothing to draw says why in words, in place of empty axes (0 / −0 ticks)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.text(
        0.5,
        0.5,
        why,
        ha="center",
        va="center",
        wrap=True,
        transform=ax.transAxes,
        fontsize=10,
        color="#555",
    )


def capital_vs_revenue(capital: pd.DataFrame) -> Figure:
    """Share of revenue against share of inventory value per ABC class."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    if _empty(capital["revenue_share"]) and _empty(capital["inventory_share"]):
        ax.set_title(tr("Where the cash sits: revenue share vs stock value share"))
        nothing_to_plot(
            ax,
            tr(
                "No revenue and no stock value are known: the files state no price, cost or "
                "currency (see the inputs' notes)."
            ),
        )
        return fig
    x = range(len(capital))
    ax.bar(
        [i - 0.2 for i in x],
        capital["revenue_share"] * 100,
        width=0.4,
        label=tr("share of revenue"),
        color="#2E7D32",
    )
    ax.bar(
        [i + 0.2 for i in x],
        capital["inventory_share"] * 100,
        width=0.4,
        label=tr("share of stock value"),
        color="#8D6E63",
    )
    ax.set_xticks(list(x), capital["abc_class"])
    ax.set_xlabel(tr("ABC class"))
    ax.set_ylabel(tr("share (%)"))
    ax.set_title(tr("Where the cash sits: revenue share vs stock value share"))
    legend(ax, frameon=False)
    fig.tight_layout()
    return fig


def turnover_by_group(table: pd.DataFrame, *, group: str, title: str) -> Figure:
    """Annualised turnover per group (bars), days of inventory written on each bar."""
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    if _empty(table["turnover_annual"]) if len(table) else True:
        ax.set_title(tr(title))
        nothing_to_plot(
            ax,
            tr(
                "No turnover to show: the cost of sales or the stock value is unknown (no unit cost "
                "in a stated currency)."
            ),
        )
        return fig
    bars = ax.bar([tr(str(g)) for g in table[group]], table["turnover_annual"], color="#4C72B0")
    for rect, d in zip(bars, table["days_of_inventory"], strict=True):
        if pd.notna(d):
            ax.annotate(
                tr("{days:,.0f} days", days=d),
                (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                ha="center",
                va="bottom",
                fontsize=9,
            )
    ax.set_ylabel(tr("turnover per year (×)"))
    ax.set_xlabel(tr(group.replace("_", " ")))
    ax.set_title(tr(title))
    fig.tight_layout()
    return fig


def turnover_trend(trend: pd.DataFrame) -> Figure:
    """Annualised turnover by month, one line per location class and the business."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    if _empty(trend["turnover_annual"]) if len(trend) else True:
        ax.set_title(
            tr("Turnover by month (stock at each location against the business's cost of sales)")
        )
        nothing_to_plot(
            ax,
            tr(
                "No turnover to show: the cost of sales or the stock value is unknown (no unit cost "
                "in a stated currency)."
            ),
        )
        return fig
    for c, g in trend.groupby("location_class", sort=True):
        ax.plot(
            g["month"],
            g["turnover_annual"],
            marker="o",
            lw=2.4 if c == "all" else 1.4,
            color="#222" if c == "all" else CLASS_COLORS.get(c),
            label=tr("whole business") if c == "all" else tr(c),
        )
    ax.set_ylabel(tr("turnover per year (×, annualised)"))
    ax.set_xlabel(tr("month"))
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_title(
        tr("Turnover by month (stock at each location against the business's cost of sales)")
    )
    legend(ax, frameon=False, ncols=4)
    fig.tight_layout()
    return fig


def weeks_of_cover_distribution(
    skus: pd.DataFrame,
    *,
    band: tuple[float, float],
    column: str = "weeks_of_cover_t30",
    cap: float = 30.0,
) -> Figure:
    """Histogram of weeks of cover with the target band shaded (values above ``cap`` piled at the cap)."""
    w = skus[column].dropna().clip(upper=cap)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.axvspan(
        *band, color="#C8E6C9", label=tr("target band {lo:g}–{hi:g} weeks", lo=band[0], hi=band[1])
    )
    ax.hist(w, bins=range(0, int(cap) + 2), color="#4C72B0", edgecolor="white")
    window = tr("expected") if column == "weeks_of_cover" else column.rsplit("_", 1)[-1]
    ax.set_xlabel(
        tr("weeks of cover ({window} sales; {cap:g}+ piled at {cap:g})", window=window, cap=cap)
    )
    ax.set_ylabel(tr("SKUs"))
    ax.set_title(
        tr(
            "Weeks of cover: {under} SKUs under, {over} over the band",
            under=int((w < band[0]).sum()),
            over=int((w > band[1]).sum()),
        )
    )
    legend(ax, frameon=False)
    fig.tight_layout()
    return fig


def cash_by_location(cash: pd.DataFrame, *, currency: str) -> Figure:
    """Stock value at cost per location class, with the days of sales it represents."""
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    if _empty(cash["inventory_value"]) if len(cash) else True:
        ax.set_title(tr("Cash tied up in stock by location"))
        nothing_to_plot(
            ax,
            tr(
                "No stock value to show: no unit cost in a stated currency (see the inputs' notes)."
            ),
        )
        return fig
    bars = ax.bar(
        [tr(c) for c in cash["location_class"]],
        cash["inventory_value"],
        color=[CLASS_COLORS.get(c, "#999") for c in cash["location_class"]],
    )
    for rect, d in zip(bars, cash["days_of_sales"], strict=True):
        ax.annotate(
            tr("{days:,.0f} days of sales", days=d),
            (rect.get_x() + rect.get_width() / 2, rect.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax.set_ylabel(tr("stock value at cost ({currency})", currency=currency))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(tr("location class"))
    ax.set_title(tr("Cash tied up in stock by location"))
    fig.tight_layout()
    return fig


AGE_COLORS = ("#A5D6A7", "#66BB6A", "#FFB74D", "#F57C00", "#C62828")
AGE_LABELS = ("0–90 days", "91–180", "181–270", "271–365", "365+")


def aging_by_class(
    buckets: pd.DataFrame, *, group: str, value: str = "units", currency: str
) -> Figure:
    """Stacked bars: units (or value at cost) in each age bucket, per group (ABC class or location)."""

    cols = list(AGE_BUCKETS)
    data = buckets.copy()
    if value == "value":
        data[cols] = data[cols].mul(data["unit_cost"].fillna(0), axis=0)
    g = data.groupby(group)[cols].sum().sort_index()
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    bottom = None
    for c, color, label in zip(cols, AGE_COLORS, AGE_LABELS, strict=True):
        ax.bar([tr(str(k)) for k in g.index], g[c], bottom=bottom, color=color, label=tr(label))
        bottom = g[c] if bottom is None else bottom + g[c]
    ax.set_ylabel(
        tr("units at FBA")
        if value == "units"
        else tr("stock value at cost ({currency})", currency=currency)
    )
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(tr(group.replace("_", " ")))
    ax.set_title(tr("FBA stock by age, per {group}", group=tr(group.replace("_", " "))))
    legend(
        ax,
        frameon=False,
        title=tr("age"),
        ncols=5,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
    )
    fig.tight_layout()
    return fig


def holding_cost(projection: pd.DataFrame, *, top: int = 12, currency: str) -> Figure:
    """Projected storage + surcharge of keeping today's stock 30, 60 and 90 more days, largest SKUs."""
    p = projection.sort_values("hold_cost_90d", ascending=False).head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.38 * max(len(p), 3) + 1.3))
    y = range(len(p))
    for col, color in (
        ("hold_cost_90d", "#C62828"),
        ("hold_cost_60d", "#F57C00"),
        ("hold_cost_30d", "#FFB74D"),
    ):
        ax.barh(
            list(y),
            p[col],
            color=color,
            label=tr("{days} days", days=col.split("_")[-1].replace("d", "")),
            height=0.7,
        )
    ax.set_yticks(list(y), p["sku"])
    ax.set_xlabel(
        tr(
            "projected storage + aged surcharge ({currency}), selling at the expected rate",
            currency=currency,
        )
    )
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(tr("Cost of holding today's stock (top {n} SKUs)", n=len(p)))
    legend(ax, frameon=False, title=tr("keep for"))
    fig.tight_layout()
    return fig


def clearance_options(actions: pd.DataFrame, *, top: int = 10, currency: str) -> Figure:
    """Net value of each option per aged SKU (dots), the recommended one ringed."""

    a = actions.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(a), 3) + 1.4))
    colors = dict(
        zip(
            OPTIONS,
            ("#222", "#1E88E5", "#8E24AA", "#43A047", "#FB8C00", "#E53935", "#6D4C41"),
            strict=True,
        )
    )
    y = list(range(len(a)))
    for (
        o
    ) in OPTIONS:  # one legend entry per option any SKU has (an option the first SKU lacks, too)
        v = pd.to_numeric(a[f"value_{o}"], errors="coerce")
        if v.notna().any():
            ax.scatter(v, y, color=colors[o], s=28, label=tr(o), zorder=3)
    chosen = [a[f"value_{o}"].iloc[i] for i, o in enumerate(a["recommended_action"])]
    ax.scatter(
        chosen, y, s=150, facecolors="none", edgecolors="#000", zorder=4, label=tr("recommended")
    )
    ax.set_yticks(range(len(a)), a["sku"])
    ax.axvline(0, color="#999", lw=0.8)
    ax.set_xscale("symlog", linthresh=100)
    ax.set_xlabel(
        tr(
            "net value over the horizon ({currency}; linear within ±100, logarithmic beyond); "
            "ringed = recommended",
            currency=currency,
        )
    )
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(tr("Keep or clear: the money on each option"))
    legend(ax, frameon=False, ncols=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    fig.tight_layout()
    return fig


def cover_vs_lead_time(
    skus: pd.DataFrame,
    *,
    air_days: float,
    sea_days: float,
    purchase_days: float,
    cap: float = 200.0,
) -> Figure:
    """Days of cover at FBA against demand, with the air, sea and purchase lead times as lines."""
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    s = skus.loc[skus["forecast_rate"] > 0]
    for cls in ("A", "B", "C"):
        g = s.loc[s["abc_class"] == cls]
        ax.scatter(
            g["forecast_rate"],
            g["days_of_cover"].clip(upper=cap),
            s=22,
            color=ABC_COLORS[cls],
            label=tr("class {cls}", cls=cls),
            alpha=0.85,
            edgecolors="none",
        )
    for days, label, color in (
        (air_days, "air transit", "#8E24AA"),
        (sea_days, "sea transit", "#1E88E5"),
        (purchase_days, "production + sea", "#222"),
    ):
        ax.axhline(days, color=color, lw=1, ls="--")
        ax.annotate(
            tr("{label} {days:.0f} d", label=tr(label), days=days),
            (s["forecast_rate"].min() if len(s) else 0.0, days),
            textcoords="offset points",
            xytext=(2, 3),
            fontsize=8,
            color=color,
        )
    if len(s):
        ax.set_xscale("log")
        plain_log_axis(ax.xaxis)
    else:
        ax.text(
            0.5,
            0.5,
            tr("no SKU with forecast demand in this data"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#666",
        )
    ax.set_xlabel(tr("forecast demand (units per day, log scale)"))
    ax.set_ylabel(tr("days of cover at FBA (available + inbound; {cap:g}+ at the top)", cap=cap))
    ax.set_title(
        tr(
            "Cover against lead time: below the sea line, a sea shipment sent today arrives too late"
        )
    )
    legend(ax, frameon=False, loc="upper right")
    fig.tight_layout()
    return fig


def projected_inventory(curves: pd.DataFrame, skus: pd.DataFrame, *, top: int = 6) -> Figure:
    """Projected FBA units of the most urgent SKUs with their safety stock and the planned arrivals."""
    names = list(curves["sku"].drop_duplicates())[:top]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    cmap = plt.get_cmap("tab10")
    for i, sku in enumerate(names):
        c = curves.loc[curves["sku"] == sku]
        ax.plot(c["date"], c["units"], color=cmap(i), lw=1.8, label=sku)
        ss = skus.loc[skus["sku"] == sku, "safety_stock"]
        if len(ss):
            ax.axhline(float(ss.iloc[0]), color=cmap(i), lw=0.7, ls=":")
    ax.set_ylabel(tr("units at FBA (projected)"))
    ax.set_xlabel(tr("date"))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_title(
        tr(
            "Projected stock of the most urgent SKUs, with the planned shipments (dotted: safety stock)"
        )
    )
    legend(ax, frameon=False, ncols=3, fontsize=8)
    fig.tight_layout()
    return fig


def claims_by_kind(claims: pd.DataFrame, *, currency: str) -> Figure:
    """Money at stake per kind of reimbursement case, split by whether its window is open now."""
    g = claims.assign(now=claims["status"] == "open").pivot_table(
        index="kind", columns="now", values="value", aggfunc="sum", fill_value=0
    )
    g = g.reindex(columns=[True, False], fill_value=0)
    g = g.loc[g.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(7.2, 0.5 * len(g) + 1.8))
    ax.barh([tr(k) for k in g.index], g[True], color="#2E7D32", label=tr("file now"))
    ax.barh(
        [tr(k) for k in g.index],
        g[False],
        left=g[True],
        color="#A5D6A7",
        label=tr("window opens later"),
    )
    ax.set_xlabel(tr("money at stake ({currency})", currency=currency))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(tr("What Amazon owes, by kind of case"))
    legend(ax, loc="lower right")
    fig.tight_layout()
    return fig


def error_rate_trend(rates: pd.DataFrame) -> Figure:
    """FBA units lost, damaged or sent wrong per 1,000 units handled, per month and marketplace."""
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    for mp, g in rates.groupby("marketplace"):
        ax.plot(g["month"], g["fba_errors_per_1000"], marker="o", label=mp or tr("all"))
    ax.set_ylabel(tr("errors per 1,000 units handled"))
    ax.set_xlabel(tr("month"))
    ax.tick_params(axis="x", rotation=45)
    ax.set_title(tr("FBA warehouse error rate"))
    legend(ax, title=tr("marketplace"))
    fig.tight_layout()
    return fig


def pack_trend(trend: pd.DataFrame, *, series: list[tuple[str, str]]) -> Figure:
    """The key figures of every report pack, one small chart per figure: ``series`` is (column, title with
    its unit); ``trend`` has a ``period_end`` column and one column per figure, oldest pack first."""
    shown = [(k, t) for k, t in series if k in trend.columns and trend[k].notna().any()]
    cols = 3
    rows = max(1, -(-len(shown) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.4 * rows), squeeze=False)
    x = trend["period_end"].astype(str)
    for ax, (key, title) in zip(axes.flat, shown, strict=False):
        ax.plot(
            x,
            pd.to_numeric(trend[key], errors="coerce"),
            marker="o",
            color="#1f77b4",
            label=tr("report pack"),
        )
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.yaxis.set_major_formatter(
            StrMethodFormatter("{x:,.0f}")
            if pd.to_numeric(trend[key], errors="coerce").abs().max() >= 100
            else StrMethodFormatter("{x:,.2f}")
        )
    for ax in list(axes.flat)[len(shown) :]:
        ax.axis("off")
    fig.suptitle(tr("Key figures by report pack (period end)"), fontsize=11)
    fig.tight_layout()
    return fig
