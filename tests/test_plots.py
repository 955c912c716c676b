"""Charts: plain numbers on log axes, and no warning block when a chart has nothing to draw."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from stockbook import plots  # noqa: E402


def _skus(rates):
    return pd.DataFrame(
        {"forecast_rate": rates, "days_of_cover": [10.0] * len(rates), "abc_class": "A"}
    )


def test_cover_against_lead_time_labels_its_log_axis_with_plain_numbers():
    fig = plots.cover_vs_lead_time(
        _skus([0.05, 0.5, 5.0, 40.0]), air_days=10, sea_days=41, purchase_days=61
    )
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert labels and all("$" not in t and "mathdefault" not in t for t in labels), labels
    assert "1" in labels and "10" in labels
    plt.close(fig)


def test_charts_with_nothing_to_draw_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error"
        )  # "No artists with labels found to put in legend" would fail here
        for fig in (
            plots.cover_vs_lead_time(_skus([]), air_days=10, sea_days=41, purchase_days=61),
            plots.cash_by_location(
                pd.DataFrame(
                    {"location_class": ["fba"], "inventory_value": [None], "days_of_sales": [None]}
                ),
                currency="USD",
            ),
            plots.capital_vs_revenue(
                pd.DataFrame(
                    {"abc_class": ["A", "B", "C"], "revenue_share": 0.0, "inventory_share": 0.0}
                )
            ),
        ):
            fig.canvas.draw()
            texts = [t.get_text() for ax in fig.axes for t in ax.texts]
            assert texts, "an empty chart says why"
            plt.close(fig)
