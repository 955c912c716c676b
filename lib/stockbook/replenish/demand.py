"""Demand: the rate per SKU, its seasonal profile over the days an order covers, and the forecast error.

**Rate.** Daily units per SKU counting only *in-stock days* (a stock-out day's zero is an empty
shelf, not a customer who did not come). The rate is a weighted blend of the in-stock means over
recent windows (default 7/30/90 days, weights 0.2/0.5/0.3, renormalised over windows that have
in-stock days). Intermittent SKUs (average interval between demands, ADI, above 1.32 in-stock days,
Syntetos & Boylan 2005) get the SBA variant of Croston's method: ``(1 − α/2) · size / interval``.

**Seasonality over the horizon** ``H`` the order covers. The index is last year's in-stock rate over
the same coming ``H`` days divided by last year's *blended* rate on the same day (the same windows
and weights as today's rate, so the index and the rate describe the same thing)::

    index = rate_LY[t−364+1 … t−364+H] / blend_LY(t−364)          (52 weeks back: weekdays align)

A single SKU's year is noisy, so each level is shrunk toward the one above it: all SKUs toward 1.0 and
a category toward all SKUs by volume (weight ``units / (units + prior_units)``); the SKU toward its
category by empirical Bayes, ``w = τ² / (τ² + v)``, with ``v`` the sampling variance of its own ratio
(its daily coefficient of variation² over the days in each window) and ``τ²`` how far the category's
SKUs really spread around it (their observed spread less their mean ``v``). A SKU counts only with a
year and four weeks of its own history (a launch: its first two months are growth). Clipped to 0.5–3. "History" starts at each SKU's first in-stock day, not at the first column of
the matrix; without last year's data the index is 1.0.

**Forecast error.** The safety stock protects against what the forecast gets wrong over the lead time
and review period, measured on the SKU's own history by rolling origins (Hyndman & Athanasopoulos,
*Forecasting: Principles and Practice*, 3rd ed., §5.10): at origins every ``step`` days, the same
estimator (rate × seasonal index) forecasts the next ``H`` days from the data before the origin, and
the error is the in-stock units over those days minus the forecast::

    σ_H = √( Σ_j w_j (actual_H − forecast_H)² / Σ_j w_j ),  w_j = 0.9^j   (units over H days; origin j weeks back)

A SKU with fewer than ``min_origins`` usable origins (a launch) takes its category's median relative
error times its own forecast; never less than the day-to-day noise ``σ_d · √H``.

Everything is NumPy over the SKU × day matrix with cumulative sums: no loop over SKUs (Croston's
time steps loop over days, each vectorised over SKUs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from stockbook.stock import (
    Cumulative,
    DemandMatrix,
    average_demand_interval,
    croston_sba,
    demand_rates,
    demand_sd,
    in_stock_rate,
)

YEAR_DAYS = 364  # 52 weeks: last year's same weekday
MIN_BASE_DAYS = 28  # days of last year's base a seasonal index needs (its blend uses what there is)
LAUNCH_RAMP_DAYS = 60  # a launched SKU's first days are growth, not season
MIN_SKU_SPREAD = (
    0.02**2
)  # SKUs differ from their category's season by at least 2 % (a variance floor)


# ---------------------------------------------------------------------------- rates: the stock layer's
# (``stock.blended_rate``, ``stock.croston_sba``, ``stock.demand_rates``: one estimator for every analysis)


# ---------------------------------------------------------------------------- seasonality


def first_in_stock_day(in_stock: np.ndarray) -> np.ndarray:
    """Column of each SKU's first in-stock day (the number of columns when it has none).

    >>> first_in_stock_day(np.array([[False, True, True], [False, False, False]])).tolist()
    [1, 3]
    """
    has = in_stock.any(axis=1)
    return np.where(has, np.argmax(in_stock, axis=1), in_stock.shape[1])


def with_a_year(first_day: np.ndarray, *, ly: int, look: int) -> np.ndarray:
    """SKUs whose last-year data (base window from column ``ly``) shows season, not launch: four weeks of
    base before ``ly``, and for a SKU that started after the data did (a launch, not a SKU older than the
    data), its first ``LAUNCH_RAMP_DAYS`` too, which are growth.

    >>> with_a_year(np.array([0, 0, 100, 10]), ly=150, look=90).tolist()  # started at the data's start, or early
    [True, True, False, True]
    """
    need = min(look, MIN_BASE_DAYS)
    start = first_day.min() if len(first_day) else 0
    launched = first_day > start + 7
    return first_day <= ly - need - np.where(launched, LAUNCH_RAMP_DAYS, 0)


def seasonal_factors(
    cum: Cumulative,
    first_day: np.ndarray,
    groups: np.ndarray,
    *,
    end: int,
    horizon_days: int,
    windows: tuple[int, ...] = (7, 30, 90),
    weights: tuple[float, ...] = (0.2, 0.5, 0.3),
    prior_units: float = 300.0,
    clip: tuple[float, float] = (0.5, 3.0),
    daily_cv: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each SKU's seasonal index for the ``horizon_days`` after column ``end`` (exclusive), and its source
    (``sku``, ``category``, ``all`` or ``none``); see the module text. A category's index is the sum of
    its SKUs' rates over last year's coming days over the sum of their base rates (SKUs with both): a
    ratio of like with like, so a SKU out of stock in one window cannot tilt it.

    Flat demand gives 1.0 even when the first day of data is a short one:

    >>> u = np.full((1, 500), 10.0); u[0, 0] = 2.0
    >>> c = Cumulative.of(u, np.ones_like(u, bool))
    >>> f, src = seasonal_factors(c, np.array([0]), np.array([0]), end=500, horizon_days=60)
    >>> round(float(f[0]), 6)
    1.0
    """
    n = cum.cu.shape[1]
    ly = end - YEAR_DAYS
    look = max(windows)
    need = min(look, MIN_BASE_DAYS)
    if ly - need < 0 or not n:
        return np.ones(n), np.full(n, "none", dtype=object)
    ahead_u, ahead_k = cum.window(ly + horizon_days, horizon_days)
    base_u, base_k = cum.window(ly, look)
    base = cum.blend(ly, windows=windows, weights=weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        ahead = np.where(ahead_k > 0, ahead_u / np.maximum(ahead_k, 1), np.nan)
    valid = (
        with_a_year(first_day, ly=ly, look=look)
        & (base_k >= need)
        & (ahead_k >= horizon_days / 2)
        & (base > 0)
    )
    units = np.where(valid, ahead_u + base_u, 0.0)
    n_groups = int(groups.max()) + 1
    top = np.bincount(groups, weights=np.where(valid, ahead, 0.0), minlength=n_groups)
    bottom = np.bincount(groups, weights=np.where(valid, base, 0.0), minlength=n_groups)
    g_units = np.bincount(groups, weights=units, minlength=n_groups)

    def shrunk(
        upper, ratio, u
    ) -> tuple[np.ndarray, np.ndarray]:  # move from the level above by volume
        w = np.where(np.isfinite(ratio), u / (u + prior_units), 0.0)
        return upper + (np.clip(np.nan_to_num(ratio, nan=1.0), *clip) - upper) * w, w

    with np.errstate(invalid="ignore", divide="ignore"):
        level_all, w_all = shrunk(
            1.0, top.sum() / bottom.sum() if bottom.sum() > 0 else np.nan, units.sum()
        )
        g_ratio = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)
        level_cat, w_cat = shrunk(level_all, g_ratio, g_units)
        own = np.where(valid, ahead / np.where(base > 0, base, 1), np.nan)
        # the SKU's own index, shrunk toward its category's by how noisy it is (empirical Bayes): its
        # sampling variance from its daily spread, against the true spread of SKUs around the category
        cv2 = np.where(
            valid, (np.asarray(daily_cv, dtype=float) if daily_cv is not None else 0.5) ** 2, np.nan
        )
        noise = cv2 * (1 / np.maximum(ahead_k, 1) + 1 / np.maximum(np.minimum(base_k, 30), 1))
    dev = np.where(valid, own - level_cat[groups], 0.0)
    cnt = np.bincount(groups, weights=valid.astype(float), minlength=n_groups)
    spread = np.bincount(groups, weights=dev**2, minlength=n_groups) / np.maximum(cnt, 1)
    mean_noise = np.bincount(groups, weights=np.nan_to_num(noise), minlength=n_groups) / np.maximum(
        cnt, 1
    )
    overall = max(
        float(np.sum(dev**2) - np.nansum(noise)) / max(float(valid.sum()), 1.0), MIN_SKU_SPREAD
    )
    tau2 = np.where(cnt >= 5, np.maximum(spread - mean_noise, MIN_SKU_SPREAD), overall)[groups]
    w_sku = np.where(valid, tau2 / (tau2 + np.nan_to_num(noise, nan=np.inf)), 0.0)
    factor = (
        level_cat[groups]
        + (np.clip(np.nan_to_num(own, nan=1.0), *clip) - level_cat[groups]) * w_sku
    )
    source = np.select(
        [w_sku >= 0.5, w_cat[groups] > 0, np.full(n, w_all > 0)], ["sku", "category", "all"], "none"
    )
    return np.clip(factor, *clip), source.astype(object)


# ---------------------------------------------------------------------------- the forecast


@dataclass(frozen=True)
class DemandSettings:
    """How demand is estimated (notebook 05's demand parameters)."""

    windows: tuple[int, ...] = (7, 30, 90)
    weights: tuple[float, ...] = (0.2, 0.5, 0.3)
    seasonality: bool = True
    adi_cutoff: float = 1.32
    alpha: float = 0.1
    error_step_days: int = 7  # rolling origins every week
    error_origins: int = 13  # the last quarter of origins
    min_origins: int = 4  # fewer usable origins: the category's relative error
    error_decay: float = (
        0.9  # weight of an origin j weeks older: decay ** j (recent errors count more)
    )

    @classmethod
    def from_parameters(
        cls,
        *,
        demand_windows: str = "7,30,90",
        window_weights: str = "0.2,0.5,0.3",
        seasonality: bool = True,
        **_ignored: object,
    ) -> DemandSettings:
        """The settings from notebook 05's parameters (windows and weights written ``"7,30,90"``).

        >>> DemandSettings.from_parameters(demand_windows="14,60", window_weights="0.5,0.5", lang="en").windows
        (14, 60)
        """
        windows = tuple(int(x) for x in str(demand_windows).split(",") if x.strip())
        weights = tuple(float(x) for x in str(window_weights).split(",") if x.strip())
        if len(windows) != len(weights) or not windows:
            raise ValueError(
                f"demand_windows {demand_windows!r} and window_weights {window_weights!r} must list "
                "as many numbers each"
            )
        return cls(windows=windows, weights=weights, seasonality=bool(seasonality))


def origin_errors(
    err: np.ndarray, forecast: np.ndarray, ok: np.ndarray, *, decay: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rolling origins' errors per SKU (arrays origins × SKUs, the most recent origin first): the
    weighted RMS error, the weighted mean relative error and the origins that measured it.

        σ_H   = √( Σ_j w_j e_j² / Σ_j w_j )         over usable origins (a zero forecast's error counts too)
        rel   = Σ_j w_j |e_j| / f_j / Σ_j w_j        over usable origins with a forecast above 0
        w_j   = decay^j

    Worked example, one SKU, decay 0.5: errors 3 (forecast 0), 4 (forecast 8), origin 3 unusable:
    σ = √((1·9 + 0.5·16) / 1.5) = √(17 / 1.5) = 3.37; rel = 0.5·4/8 / 0.5 = 0.5; 1 origin with a forecast.

    >>> s, r, n = origin_errors(np.array([[3.0], [4.0], [9.0]]), np.array([[0.0], [8.0], [5.0]]),
    ...                         np.array([[True], [True], [False]]), decay=0.5)
    >>> round(float(s[0]), 2), float(r[0]), int(n[0])
    (3.37, 0.5, 1)
    """
    w = decay ** np.arange(len(err), dtype=float)[:, None]
    use = ok & np.isfinite(err)
    e = np.where(use, err, 0.0)
    sigma = np.sqrt((w * e * e).sum(axis=0) / np.maximum(np.where(use, w, 0.0).sum(axis=0), 1e-12))
    has_f = use & (forecast > 0)
    wf = np.where(has_f, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(has_f, np.abs(e) / np.where(has_f, forecast, 1.0), 0.0)
    rel = (wf * r).sum(axis=0) / np.maximum(wf.sum(axis=0), 1e-12)
    return sigma, rel, has_f.sum(axis=0)


def forecast(
    m: DemandMatrix,
    *,
    horizon_days: int,
    settings: DemandSettings = DemandSettings(),
    groups: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per SKU: the rate, the seasonal index over ``horizon_days``, the forecast units over the horizon and
    the measured forecast error over it (module text). ``groups``: a category code per SKU (0 … n−1).

    >>> rng = np.random.default_rng(1)
    >>> u = rng.poisson(10.0, (2, 400)).astype(float)
    >>> m = DemandMatrix(pd.Index(["A", "B"]), pd.date_range("2025-10-01", periods=400), u, u >= 0, True)
    >>> f = forecast(m, horizon_days=50)
    >>> bool(((f["forecast_units"] > 450) & (f["forecast_units"] < 550)).all())  # 10 a day × 50 days
    True
    >>> bool((f["sigma_h"] > np.sqrt(50 * 10)).all())  # more than Poisson noise: the rate itself is estimated
    True
    """
    return forecasts(m, horizons=(horizon_days,), settings=settings, groups=groups)[0]


def forecasts(
    m: DemandMatrix,
    *,
    horizons: tuple[int, ...],
    settings: DemandSettings = DemandSettings(),
    groups: np.ndarray | None = None,
) -> list[pd.DataFrame]:
    """:func:`forecast` for several horizons at once: the rate, the cumulative sums and Croston's pass over
    the days are computed once (the plan needs FBA's horizon and the network's)."""
    s = settings
    units, k = m.units, m.in_stock
    n, T = units.shape
    groups = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    cum = Cumulative.of(units, k)
    first = first_in_stock_day(k)
    look = max(s.windows)
    blend = cum.blend(T, windows=s.windows, weights=s.weights)
    adi = average_demand_interval(units, k, look)
    lumpy = np.isfinite(adi) & (adi > s.adi_cutoff)
    by_horizon = {
        h: [
            o
            for o in (T - h - j * s.error_step_days for j in range(s.error_origins))
            if o - look >= 0
        ]
        for h in horizons
    }
    cols = np.array(sorted({o for os in by_horizon.values() for o in os}), dtype=int)
    sba_origin = np.zeros((n, len(cols)))
    if lumpy.any():  # one pass over the days gives every origin's SBA
        _, sba_origin[lumpy] = croston_sba(units[lumpy], k[lumpy], alpha=s.alpha, record_at=cols)
    at_col = {int(o): j for j, o in enumerate(cols)}
    # today's rate is the stock layer's (one estimator for every analysis); the full pass gives the origins'
    rate = demand_rates(
        m, windows=s.windows, weights=s.weights, adi_cutoff=s.adi_cutoff, alpha=s.alpha
    )["rate"].to_numpy(dtype=float)
    sigma_d = demand_sd(units, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        daily_cv = np.where(blend > 0, sigma_d / np.where(blend > 0, blend, 1), 1.0)
    blend_at = {int(o): cum.blend(int(o), windows=s.windows, weights=s.weights) for o in cols}
    _, n90 = in_stock_rate(units, k, 90)
    out = []
    for horizon_days in horizons:  # a horizon or two, each vectorised over SKUs

        def index_at(end: int, hd: int = horizon_days) -> tuple[np.ndarray, np.ndarray]:
            if not s.seasonality:
                return np.ones(n), np.full(n, "none", dtype=object)
            return seasonal_factors(
                cum,
                first,
                groups,
                end=end,
                horizon_days=hd,
                windows=s.windows,
                weights=s.weights,
                daily_cv=daily_cv,
            )

        idx, source = index_at(T)
        h = float(horizon_days)
        # rolling origins: forecast from the data before each origin, compare with the next H in-stock days
        origins = by_horizon[horizon_days]
        errs, fcs = np.zeros((len(origins), n)), np.zeros((len(origins), n))
        oks = np.zeros((len(origins), n), dtype=bool)
        for j, o in enumerate(origins):  # origins (a few dozen), each vectorised over SKUs
            base = np.where(lumpy, sba_origin[:, at_col[o]], blend_at[o])
            f = base * index_at(o)[0]
            au, ak = cum.window(o + horizon_days, horizon_days)
            _, bk = cum.window(o, look)
            oks[j] = (ak >= h / 2) & (bk >= 7) & (first <= o - 7)
            with np.errstate(invalid="ignore", divide="ignore"):
                errs[j] = (au / np.maximum(ak, 1) - f) * h
            fcs[j] = f * h
        own_sigma, rel_mean, used = origin_errors(errs, fcs, oks, decay=s.error_decay)
        forecast_units = rate * idx * h
        # launches: the category's median relative error (absolute error over forecast) times the forecast
        enough = used >= s.min_origins
        rel_sku = np.where(enough, rel_mean, np.nan)
        med = pd.Series(rel_sku).groupby(groups).median()
        overall = float(np.nanmedian(rel_sku)) if enough.any() else 0.0
        group_rel = med.reindex(groups).fillna(overall).to_numpy() * np.sqrt(
            np.pi / 2
        )  # mean |e| → σ (normal)
        sigma = np.where(enough, own_sigma, group_rel * forecast_units)
        sigma = np.maximum(sigma, sigma_d * np.sqrt(h))
        out.append(
            pd.DataFrame(
                {
                    "sku": pd.array(m.skus, dtype="string"),
                    "rate_naive_30d": units[:, -30:].mean(axis=1).round(4),
                    "rate_in_stock": blend.round(4),
                    "method": np.where(lumpy, "croston_sba", "blend"),
                    "rate": rate.round(4),
                    "sigma_d": sigma_d.round(4),
                    "adi": np.round(adi, 2),
                    "in_stock_share_90d": (n90 / max(min(90, T), 1)).round(3),
                    "seasonal_index": idx.round(3),
                    "seasonal_source": pd.array(source, dtype="string"),
                    "forecast_rate": (rate * idx).round(4),
                    "horizon_days": int(horizon_days),
                    "forecast_units": forecast_units.round(2),
                    "sigma_h": sigma.round(2),
                    "error_origins": used.astype(np.int64),
                }
            )
        )
    return out


def estimate_demand(
    m: DemandMatrix,
    *,
    windows: tuple[int, ...] = (7, 30, 90),
    weights: tuple[float, ...] = (0.2, 0.5, 0.3),
    horizon_days: int = 60,
    seasonality: bool = True,
    adi_cutoff: float = 1.32,
    alpha: float = 0.1,
    groups: np.ndarray | None = None,
) -> pd.DataFrame:
    """``forecast`` with the demand settings given one by one (the notebook's and the backtest's call)."""
    settings = DemandSettings(
        windows=tuple(windows),
        weights=tuple(weights),
        seasonality=seasonality,
        adi_cutoff=adi_cutoff,
        alpha=alpha,
    )
    return forecast(m, horizon_days=horizon_days, settings=settings, groups=groups)
