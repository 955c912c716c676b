"""Amazon's storage, aged-inventory, removal and liquidation fees, from versioned tables in ``data/fees/``.

The tables are data: each row has an ``effective_from`` date and a source, and the
fee in force on a date is the row with the latest ``effective_from`` on or before
it (a past month is priced with that month's rates). A seller overrides any table
by putting a file of the same name in their own folder (``override_dir``).

The tables hold every marketplace Amazon's pages (or, marked UNCONFIRMED, the best other source) give
rates for: US and UK per cubic foot, the EU per cubic metre, Japan per litre; each row in the
marketplace's currency. :func:`for_marketplace` narrows them to one marketplace and converts them to the
reporting currency; the functions below price with the tables they are given (the US's until narrowed).

Formulas:

- monthly storage fee = average units on hand × cubic feet per unit × rate(size class, month)
  — Jan–Sep and Oct–Dec rates differ;
- aged inventory surcharge at a snapshot (the 15th) = for each unit aged into a tier,
  max(rate × cubic feet, per-unit minimum) — the minimum applies from 366 days;
- removal or disposal fee per unit by size class and weight band, plus a per-lb part above
  the top band;
- liquidation = units × price × recovery rate × (1 − referral fee) − units × processing fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from stockbook.errors import InputError

FEE_DIR = Path(__file__).resolve().parents[2] / "data" / "fees"
FILES = {
    "storage": "storage_rates.csv",
    "surcharge": "aged_surcharge.csv",
    "removal": "removal_fees.csv",
    "liquidation": "liquidation.csv",
}
REQUIRED = {
    "storage": ("effective_from", "size_class", "months", "rate", "source"),
    "surcharge": (
        "effective_from",
        "min_age_days",
        "max_age_days",
        "rate",
        "per_unit_minimum",
        "tier",
        "source",
    ),
    "removal": (
        "effective_from",
        "size_class",
        "min_weight",
        "max_weight",
        "fee_per_unit",
        "per_weight_above",
        "above_weight",
        "source",
    ),
    "liquidation": (
        "effective_from",
        "recovery_rate",
        "referral_fee_rate",
        "processing_fee_standard",
        "processing_fee_large_bulky",
        "source",
    ),
}
#: the earlier (US-only) column names, still read in a seller's own tables
LEGACY_NAMES = {
    "rate_per_cubic_foot": "rate",
    "min_weight_lb": "min_weight",
    "max_weight_lb": "max_weight",
    "per_lb_above": "per_weight_above",
    "above_weight_lb": "above_weight",
}
#: the volume units the tables price by (``per_volume``), in cubic feet: Amazon charges per cubic foot in the
#: US and UK, per cubic metre in the EU, per 10 cm cube (a litre) in Japan
CUBIC_FEET_PER = {"cubic_foot": 1.0, "cubic_metre": 35.314666721, "litre": 0.035314666721}
#: the weight units of the removal table (``weight_unit``), in pounds
POUNDS_PER = {"lb": 1.0, "kg": 2.20462262185, "g": 0.00220462262185}
#: the money columns of each table, converted by :func:`for_marketplace`
MONEY = {
    "storage": ("rate_per_cubic_foot",),
    "surcharge": ("rate_per_cubic_foot", "per_unit_minimum"),
    "removal": ("fee_per_unit", "per_weight_above"),
    "liquidation": ("processing_fee_standard", "processing_fee_large_bulky"),
}


@dataclass(frozen=True)
class FeeTables:
    """The four fee tables, each a DataFrame with ``effective_from`` dates, a ``marketplace``, a ``currency``
    and a ``source``. :func:`for_marketplace` narrows them to one marketplace (in its or another currency)."""

    storage: pd.DataFrame
    surcharge: pd.DataFrame
    removal: pd.DataFrame
    liquidation: pd.DataFrame
    files: dict[str, str]
    marketplace: str = "US"
    currency: str = "USD"


def load_fee_tables(
    folder: str | Path | None = None, *, override_dir: str | Path | None = None
) -> FeeTables:
    """Read the bundled tables (or ``folder``), replacing each by a same-named file in ``override_dir``.

    Rates are read as written (``rate`` per ``per_volume``: cubic foot, cubic metre or litre; removal bands in
    ``weight_unit``) and also kept per cubic foot (``rate_per_cubic_foot``) in the table's own currency. Every
    row states its marketplace and currency: a table without them is refused, naming the file, line and column
    (no fee is taken to be the US's in dollars because its file does not say).

    >>> t = load_fee_tables()
    >>> sorted(t.files), float(t.storage.loc[t.storage["marketplace"] == "US", "rate_per_cubic_foot"].max())
    (['liquidation', 'removal', 'storage', 'surcharge'], 2.4)
    >>> jp = t.storage.loc[t.storage["marketplace"] == "JP"].iloc[0]  # 5.16 yen a litre: 146.11 a cubic foot
    >>> jp["currency"], round(float(jp["rate_per_cubic_foot"]), 2)
    ('JPY', 146.11)
    >>> sorted(t.storage["marketplace"].unique())
    ['DE', 'ES', 'FR', 'IT', 'JP', 'UK', 'US']
    """
    base = Path(folder) if folder else FEE_DIR
    over = (
        Path(override_dir)
        if override_dir and str(override_dir) not in ("none", "default")
        else None
    )
    frames: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for key, name in FILES.items():
        path = over / name if over is not None and (over / name).exists() else base / name
        if not path.exists():
            raise InputError(
                path,
                "fee table not found",
                expected=f"a CSV with columns {', '.join(REQUIRED[key])}",
            )
        df = pd.read_csv(
            path,
            dtype={
                "size_class": str,
                "months": str,
                "tier": str,
                "source": str,
                "marketplace": str,
                "currency": str,
                "per_volume": str,
                "weight_unit": str,
            },
        )
        legacy = {
            c: LEGACY_NAMES[c]
            for c in df.columns
            if c in LEGACY_NAMES and LEGACY_NAMES[c] not in df
        }
        df = df.rename(columns=legacy)
        missing = [c for c in REQUIRED[key] if c not in df.columns]
        if missing:
            raise InputError(
                path,
                f"missing column {missing[0]!r}",
                line=1,
                column=missing[0],
                expected=", ".join(REQUIRED[key]),
            )
        df["effective_from"] = _effective_dates(df, path)
        for col in ("marketplace", "currency"):  # a fee is someone's, in some money: never assumed
            if col not in df:
                raise InputError(
                    path,
                    f"missing column {col!r}: every fee row states its marketplace and currency",
                    line=1,
                    column=col,
                    expected="marketplace (US, UK, DE …) and currency (USD, GBP, EUR …) columns, as the "
                    "bundled tables have them",
                )
            df[col] = df[col].str.strip()
            blank = np.flatnonzero(df[col].isna().to_numpy() | df[col].eq("").to_numpy())
            if len(blank):
                raise InputError(
                    path,
                    f"blank {col}: every fee row states its marketplace and currency",
                    line=int(blank[0]) + 2,
                    column=col,
                    expected="a marketplace code (US, UK, DE …)"
                    if col == "marketplace"
                    else "a currency code (USD, GBP, EUR …)",
                )
        if key in ("storage", "surcharge"):
            unit = (
                df["per_volume"] if "per_volume" in df else pd.Series("cubic_foot", index=df.index)
            ).fillna("cubic_foot")
            _known(path, unit, CUBIC_FEET_PER, "per_volume")
            df["per_volume"] = unit
            df["rate_per_cubic_foot"] = df["rate"].astype("float64") / unit.map(CUBIC_FEET_PER)
        if key == "removal":
            unit = (
                df["weight_unit"] if "weight_unit" in df else pd.Series("lb", index=df.index)
            ).fillna("lb")
            _known(path, unit, POUNDS_PER, "weight_unit")
            df["weight_unit"] = unit
        frames[key] = df.sort_values("effective_from", kind="stable", ignore_index=True)
        files[key] = str(path)
    return FeeTables(**frames, files=files)


def _known(path, values: pd.Series, allowed: dict, column: str) -> None:
    bad = ~values.isin(list(allowed))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            path,
            f"unknown {column} {values.iloc[i]!r}",
            line=i + 2,
            column=column,
            expected=" or ".join(allowed),
        )


def for_marketplace(
    tables: FeeTables, marketplace: str, *, currency: str | None = None, rate: float = 1.0
) -> FeeTables:
    """The tables of one marketplace, with every money column × ``rate`` and labelled ``currency`` (the
    reporting currency; ``rate`` = reporting currency per unit of the marketplace's). A table with no row
    for the marketplace is empty: its fees are then 0, and :func:`missing_tables` names it.

    >>> t = for_marketplace(load_fee_tables(), "DE", currency="USD", rate=1.10)
    >>> t.currency, round(float(t.surcharge["rate_per_cubic_foot"].iloc[0]), 4)  # 170 EUR/m3 x 1.10
    ('USD', 5.2953)
    """
    frames = {}
    for key in FILES:
        df = getattr(tables, key)
        df = df.loc[df["marketplace"] == marketplace].copy()
        for col in MONEY[key]:
            df[col] = df[col].astype("float64") * rate
        if currency is not None:
            df["currency"] = currency
        frames[key] = df.reset_index(drop=True)
    own_ccy = fee_currency(tables, marketplace)
    return FeeTables(
        **frames,
        files=tables.files,
        marketplace=marketplace,
        currency=currency or own_ccy or tables.currency,
    )


def fee_currency(tables: FeeTables, marketplace: str) -> str | None:
    """The currency a marketplace's fee tables are written in (None when no table has the marketplace).

    >>> fee_currency(load_fee_tables(), "JP"), fee_currency(load_fee_tables(), "BR")
    ('JPY', None)
    """
    for key in FILES:
        df = getattr(tables, key)
        hit = df.loc[df["marketplace"] == marketplace, "currency"]
        if len(hit):
            return str(hit.iloc[0])
    return None


def first_in_force(tables: FeeTables) -> pd.Timestamp:
    """The first day every marketplace's storage and surcharge tables are in force: before it, notebook 04 has
    no fee schedule to project with.

    >>> str(first_in_force(load_fee_tables()).date()) >= "2023-01-01"
    True
    """
    firsts = [
        pd.Timestamp(t.groupby("marketplace")["effective_from"].min().max())
        for t in (tables.storage, tables.surcharge)
        if len(t)
    ]
    return max(firsts) if firsts else pd.Timestamp.max


def missing_tables(tables: FeeTables) -> list[str]:
    """The fee tables with no row (after :func:`for_marketplace`): their fees are not projected.

    >>> missing_tables(for_marketplace(load_fee_tables(), "JP"))
    ['surcharge', 'removal', 'liquidation']
    """
    return [k for k in FILES if not len(getattr(tables, k))]


def _one(tables: FeeTables, key: str) -> pd.DataFrame:
    """A table's rows of the tables' marketplace (all tables hold the US's until narrowed)."""
    df = getattr(tables, key)
    return df.loc[df["marketplace"] == tables.marketplace]


def size_class(size_tier) -> np.ndarray:
    """Amazon's size tier as written -> ``standard`` or ``large_bulky`` (bulky, extra-large, oversize).

    >>> size_class(["Small standard-size", "large_bulky", "Extra-large 50+ lb", None]).tolist()
    ['standard', 'large_bulky', 'large_bulky', 'standard']
    """
    codes, tiers = pd.factorize(
        pd.Series(size_tier, dtype="string")
    )  # a few distinct tiers, many rows
    s = pd.Series(tiers, dtype="string").str.lower().fillna("")
    bulky = np.append(
        s.str.contains("bulky|extra|oversize", regex=True).to_numpy(dtype=bool), False
    )
    return np.where(
        bulky[codes], "large_bulky", "standard"
    )  # code -1 (missing) takes the appended False


def _in_force(table: pd.DataFrame, dates) -> np.ndarray:
    """For each date, the ``effective_from`` of the schedule in force (NaT before the first)."""
    eff = np.sort(table["effective_from"].unique())
    d = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[s]")
    i = np.searchsorted(eff, d, side="right") - 1
    out = np.where(i >= 0, eff[np.clip(i, 0, None)], np.datetime64("NaT"))
    if (i < 0).any():
        raise ValueError(
            f"no fee schedule in force on {pd.Timestamp(d[np.argmax(i < 0)]).date()}; "
            f"the earliest starts {pd.Timestamp(eff[0]).date()}"
        )
    return out


def storage_rate(tables: FeeTables, *, dates, size_tier) -> np.ndarray:
    """Monthly storage rate per cubic foot in force on each date for each size tier.

    >>> t = load_fee_tables()
    >>> storage_rate(t, dates=["2026-01-10", "2026-11-01", "2024-03-01", "2026-11-01"],
    ...              size_tier=["standard", "standard", "standard", "large_bulky"]).tolist()
    [0.78, 2.4, 0.87, 1.4]
    """
    d = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    table = _one(tables, "storage")
    if not len(
        table
    ):  # no storage table for the marketplace: nothing projected (missing_tables says so)
        return np.zeros(len(d))
    # looked up once per distinct (date, size class): a projection asks for the same few pairs per lot
    pair = pd.DataFrame({"d": d, "size_class": size_class(np.asarray(size_tier, dtype=object))})
    u = pair.drop_duplicates(ignore_index=True)
    q = u.assign(
        eff=_in_force(table, u["d"]), months=np.where(u["d"].dt.month >= 10, "10-12", "1-9")
    )
    r = table.rename(columns={"effective_from": "eff"})[
        ["eff", "size_class", "months", "rate_per_cubic_foot"]
    ]
    q = q.merge(r, on=["eff", "size_class", "months"], how="left")
    return pair.merge(q, on=["d", "size_class"], how="left")["rate_per_cubic_foot"].to_numpy(
        dtype=float
    )


def monthly_storage_fee(tables: FeeTables, *, month, units, cubic_feet, size_tier) -> np.ndarray:
    """Average units on hand × cubic feet × the month's rate, rounded to cents.

    >>> t = load_fee_tables()
    >>> monthly_storage_fee(t, month=["2026-01-01", "2026-11-01"], units=[100, 100], cubic_feet=[0.5, 0.5],
    ...                     size_tier=["standard", "standard"]).tolist()
    [39.0, 120.0]
    """
    rate = storage_rate(tables, dates=month, size_tier=size_tier)
    return np.round(np.asarray(units, dtype=float) * np.asarray(cubic_feet, dtype=float) * rate, 2)


def surcharge_tiers(tables: FeeTables, date) -> pd.DataFrame:
    """The aged-inventory surcharge tiers in force on ``date``."""
    table = _one(tables, "surcharge")
    if not len(table):
        return table.reset_index(drop=True)
    eff = _in_force(table, [date])[0]
    return table.loc[table["effective_from"] == eff].reset_index(drop=True)


def aged_surcharge(
    tables: FeeTables, *, snapshot, age_days, units, cubic_feet, category=None
) -> pd.DataFrame:
    """Surcharge per lot at a snapshot: the lot's tier, rate, minimum and amount.

    ``amount = units × max(rate × cubic_feet, per_unit_minimum)``; lots younger than the first
    tier pay nothing (tier ``""``), and neither do lots whose product ``category`` a tier excludes
    (the 181–270-day tiers exclude apparel, shoes, bags, jewelry and watches: the table's
    ``excluded_categories``). ``snapshot`` is one date or one per lot.

    >>> aged_surcharge(load_fee_tables(), snapshot="2026-02-15", age_days=[200, 200, 300], units=[10, 10, 10],
    ...                cubic_feet=[1, 1, 1], category=["Kitchen", "Shoes", "Shoes"])["amount"].tolist()
    [5.0, 0.0, 54.5]

    >>> t = load_fee_tables()
    >>> aged_surcharge(t, snapshot="2026-02-15", age_days=[100, 200, 400, 500, 500],
    ...                units=[10, 10, 10, 10, 10], cubic_feet=[1, 1, 1, 1, 0.01])[["tier", "amount"]].values.tolist()
    [['', 0.0], ['181-210', 5.0], ['366-455', 69.0], ['456+', 79.0], ['456+', 3.5]]
    """
    age = np.asarray(age_days, dtype=float)
    n = len(age)
    s = _one(tables, "surcharge")
    if not len(
        s
    ):  # no surcharge table for the marketplace: nothing projected (missing_tables says so)
        eff = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    elif np.ndim(snapshot) == 0:
        eff = np.repeat(_in_force(s, [snapshot]), n)
    else:
        eff = _in_force(s, pd.Series(snapshot))
    tier = np.full(n, "", dtype=object)
    rate = np.zeros(n)
    minimum = np.zeros(n)
    for e in np.unique(
        eff[~np.isnat(eff)]
    ):  # one pass per schedule (a handful), vectorised over lots
        sched = s.loc[s["effective_from"] == e].sort_values("min_age_days")
        lo = sched["min_age_days"].to_numpy(dtype=float)
        hi = sched["max_age_days"].fillna(np.inf).to_numpy(dtype=float)
        rows = np.flatnonzero(eff == e)
        k = np.searchsorted(lo, age[rows], side="right") - 1
        ok = (k >= 0) & (age[rows] <= hi[np.clip(k, 0, None)])
        kk = np.clip(k, 0, None)
        if category is not None and "excluded_categories" in sched:
            excluded = (
                sched["excluded_categories"].fillna("").astype(str).str.lower().to_numpy()[kk]
            )
            cat = (
                pd.Series(category, dtype="string")
                .fillna("")
                .str.strip()
                .str.lower()
                .to_numpy(dtype=object)[rows]
            )
            for e in np.unique(
                excluded
            ):  # a tier's list of categories (a handful), vectorised over lots
                if e:
                    ok &= ~((excluded == e) & np.isin(cat, e.split(";")))
        tier[rows] = np.where(ok, sched["tier"].to_numpy(dtype=object)[kk], "")
        rate[rows] = np.where(ok, sched["rate_per_cubic_foot"].to_numpy(dtype=float)[kk], 0.0)
        minimum[rows] = np.where(
            ok, sched["per_unit_minimum"].fillna(0).to_numpy(dtype=float)[kk], 0.0
        )
    u = np.asarray(units, dtype=float)
    per_unit = np.maximum(rate * np.asarray(cubic_feet, dtype=float), minimum)
    return pd.DataFrame(
        {
            "tier": tier,
            "rate_per_cubic_foot": rate,
            "per_unit_minimum": minimum,
            "per_unit": np.round(per_unit, 4),
            "amount": np.round(u * per_unit, 2),
        }
    )


def removal_fee(tables: FeeTables, *, date, weight_lb, size_tier) -> np.ndarray:
    """Removal (and disposal) fee per unit in force on ``date`` for each unit weight and size tier, in the
    tables' currency; NaN where the marketplace has no removal table (the option is then not offered).

    The weight bands are in the table's ``weight_unit`` (pounds in the US, kilograms in the UK and EU); the
    weight above the top band's first ``above_weight`` is charged per whole unit (rounded up).

    >>> t = load_fee_tables()
    >>> removal_fee(t, date="2026-03-01", weight_lb=[0.3, 0.8, 3.0, 12.0, 2.2],
    ...             size_tier=["standard", "standard", "standard", "large_bulky", "standard"]).tolist()
    [0.84, 1.53, 3.95, 16.44, 3.95]
    >>> removal_fee(t, date="2025-12-01", weight_lb=[0.3], size_tier=["standard"]).tolist()
    [1.04]
    >>> uk = for_marketplace(t, "UK")  # 0.3 lb = 136 g; 2.2 lb = 0.998 kg; 5 lb = 2.27 kg: 1.66 + 2 x 0.76
    >>> removal_fee(uk, date="2026-03-01", weight_lb=[0.3, 2.2, 5.0], size_tier=["standard"] * 3).tolist()
    [0.45, 1.36, 3.18]
    """
    w_lb = np.asarray(weight_lb, dtype=float)
    cls = size_class(np.asarray(size_tier))
    out = np.full(len(w_lb), np.nan)
    table = _one(tables, "removal")
    if not len(table):
        return out
    eff = _in_force(table, [date])[0]
    r = table.loc[table["effective_from"] == eff]
    for c in ("standard", "large_bulky"):
        band = r.loc[r["size_class"] == c].sort_values("min_weight")
        rows = np.flatnonzero(cls == c)
        if not len(rows) or not len(band):
            continue
        w = w_lb[rows] / POUNDS_PER[band["weight_unit"].iloc[0]]
        lo = band["min_weight"].to_numpy(dtype=float)
        # a weight on a band edge belongs to the lower band (0.5 lb is in 0–0.5)
        k = np.clip(np.searchsorted(lo, w, side="left") - 1, 0, len(band) - 1)
        fee = band["fee_per_unit"].to_numpy(dtype=float)[k]
        per_unit = band["per_weight_above"].fillna(0).to_numpy(dtype=float)[k]
        above = band["above_weight"].fillna(0).to_numpy(dtype=float)[k]
        # the weight above the band's first pounds (kilograms) is charged per whole one (rounded up)
        out[rows] = fee + per_unit * np.clip(np.ceil(w) - above, 0, None)
    return np.round(out, 2)


def liquidation_terms(tables: FeeTables, date) -> dict[str, float] | None:
    """Recovery rate, referral fee rate and processing fees in force on ``date`` (None: no liquidation table
    for the marketplace)."""
    table = _one(tables, "liquidation")
    if not len(table):
        return None
    eff = _in_force(table, [date])[0]
    row = table.loc[table["effective_from"] == eff].iloc[-1]
    return {
        k: float(row[k])
        for k in (
            "recovery_rate",
            "referral_fee_rate",
            "processing_fee_standard",
            "processing_fee_large_bulky",
        )
    }


def liquidation_value(
    tables: FeeTables, *, date, units, price, size_tier, recovery_rate: float | None = None
) -> np.ndarray:
    """Net cash from liquidating: units × price × recovery × (1 − referral) − units × processing fee; NaN where
    the marketplace has no liquidation table (the option is then not offered).

    >>> t = load_fee_tables()
    >>> liquidation_value(t, date="2026-10-31", units=[100], price=[20.0], size_tier=["standard"]).tolist()
    [77.5]
    >>> liquidation_value(for_marketplace(t, "JP"), date="2026-10-31", units=[1], price=[20.0],
    ...                   size_tier=["standard"]).tolist()
    [nan]
    """
    terms = liquidation_terms(tables, date)
    u = np.asarray(units, dtype=float)
    if terms is None:
        return np.full(len(u), np.nan)
    rec = terms["recovery_rate"] if recovery_rate is None else recovery_rate
    proc = np.where(
        size_class(np.asarray(size_tier)) == "large_bulky",
        terms["processing_fee_large_bulky"],
        terms["processing_fee_standard"],
    )
    gross = u * np.asarray(price, dtype=float) * rec
    return np.round(gross * (1 - terms["referral_fee_rate"]) - u * proc, 2)


ClaimKind = Literal[
    "inbound_shortfall",
    "warehouse_lost_damaged",
    "customer_return",
    "removal_lost",
    "reimbursement_amount",
    "fee_overcharge",
]


def load_claim_windows(override_dir: str | Path | None = None) -> pd.DataFrame:
    """The reimbursement claim windows (``claim_windows.csv``): per kind and marketplace, when a claim may be
    filed, counted from which event, and the source of each rule (UNCONFIRMED where Amazon's page was not read).
    A file of the same name in ``override_dir`` replaces the bundled one (:func:`load_fee_table`)."""
    return load_fee_table("claim_windows.csv", override_dir)


def rules_in_force(
    table: pd.DataFrame, *, kind_column: str, kind: str, marketplace: str, event_dates
) -> pd.DataFrame:
    """The row of a dated rule table in force on each event's date for one kind and marketplace: the
    marketplace's own rule where it has one, else the ``ALL`` rule, each by its latest ``effective_from`` on
    or before the date (an event before the first rule takes the first). One row per event, in order.

    >>> t = pd.DataFrame({"effective_from": pd.to_datetime(["2020-01-01", "2025-03-10"]), "marketplace": "ALL",
    ...                   "case": "x", "basis": ["a", "b"]})
    >>> rules_in_force(t, kind_column="case", kind="x", marketplace="US",
    ...                event_dates=pd.to_datetime(["2025-03-09", "2025-03-10"]))["basis"].tolist()
    ['a', 'b']
    """
    rules = table.loc[
        (table[kind_column] == kind) & table["marketplace"].isin([marketplace, "ALL"])
    ]
    if not len(rules):
        raise ValueError(f"no rule for {kind} in {marketplace}")
    rules = rules.assign(_own=rules["marketplace"] == marketplace).sort_values(
        ["_own", "effective_from"]
    )
    rules = rules.drop_duplicates("effective_from", keep="last").sort_values("effective_from")
    d = pd.to_datetime(pd.Series(event_dates)).reset_index(drop=True)
    eff = rules["effective_from"].to_numpy(dtype="datetime64[s]")
    i = np.clip(
        np.searchsorted(eff, d.to_numpy(dtype="datetime64[s]"), side="right") - 1, 0, len(rules) - 1
    )
    return rules.iloc[i].drop(columns="_own").reset_index(drop=True)


def claim_deadlines(
    windows: pd.DataFrame, *, kind: ClaimKind, event_dates, marketplace: str = "US", as_of=None
) -> pd.DataFrame:
    """For claims of one kind: the first and last day each can be filed and its status on ``as_of``
    (``open``, ``not yet open``, ``expired``), by the rule in force on each event's date.

    >>> w = load_claim_windows()
    >>> claim_deadlines(w, kind="inbound_shortfall", event_dates=pd.to_datetime(["2026-06-01", "2026-10-25"]),
    ...                 as_of="2026-10-31")[["last_day", "status"]].astype(str).values.tolist()
    [['2026-07-31', 'expired'], ['2026-12-24', 'not yet open']]
    """
    d = pd.to_datetime(pd.Series(event_dates)).reset_index(drop=True)
    try:
        r = rules_in_force(
            windows, kind_column="kind", kind=kind, marketplace=marketplace, event_dates=d
        )
    except ValueError:
        raise ValueError(f"no claim window for {kind} in {marketplace}") from None
    first = d + pd.to_timedelta(r["opens_after_days"], unit="D")
    last = d + pd.to_timedelta(r["closes_after_days"], unit="D")
    on = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    status = np.where(
        d.isna(),
        "unknown",
        np.where(on > last, "expired", np.where(on < first, "not yet open", "open")),
    )
    return pd.DataFrame(
        {"first_day": first, "last_day": last, "status": status, "rule": r["source"]}
    )


#: what a reimbursement case is valued by: units lost before any customer order (in a warehouse, inbound, on
#: removal), or a customer's return (refunded and not returned, damaged on its way back)
ValuationCase = Literal["pre_order_loss", "customer_return"]
ValuationBasis = Literal["manufacturing_cost", "estimated_proceeds"]


def valuation_basis(
    table: pd.DataFrame, *, case: ValuationCase, marketplace, dates
) -> pd.DataFrame:
    """Per event: the basis Amazon values a reimbursement by on its date (``reimbursement_valuation.csv``:
    dated and sourced) and the rule's source; the marketplace's own rule, else ``ALL``'s.

    >>> t = load_fee_table("reimbursement_valuation.csv")
    >>> valuation_basis(t, case="pre_order_loss", marketplace=["US", "US"],
    ...                 dates=pd.to_datetime(["2025-01-15", "2026-10-01"]))["basis"].tolist()
    ['estimated_proceeds', 'manufacturing_cost']
    """
    d = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    mp = pd.Series(marketplace, index=d.index, dtype="string").fillna("ALL")
    out = pd.DataFrame(index=d.index, columns=["basis", "source"], dtype="string")
    for m in mp.unique():  # a handful of marketplaces, vectorised over rows
        rows = (mp == m).to_numpy()
        got = rules_in_force(
            table, kind_column="case", kind=case, marketplace=m, event_dates=d[rows]
        )
        out.loc[rows, "basis"] = got["basis"].to_numpy()
        out.loc[rows, "source"] = got["source"].to_numpy()
    return out


# --- fulfilment fees per SKU and VAT -----------------------------------------------------------------------

#: Amazon's size tiers as its reports and sellers' masters name them -> the fee table's tiers. A name that
#: does not say which standard tier (``standard``, ``Standard-Size``) is priced at the largest standard tier
#: its weight allows (an upper bound, said in ``fee_note``); UK and EU standard sizes, without dimensions,
#: as a standard parcel (also an upper bound: envelopes and small parcels cost less).
TIER_NAMES: dict[str, str] = {
    "smallstandard": "small_standard",
    "smallstandardsize": "small_standard",
    "largestandard": "large_standard",
    "largestandardsize": "large_standard",
    "smallbulky": "small_bulky",
    "largebulky": "large_bulky",
    "smalloversize": "large_bulky",  # before 2024-02-05 small oversize; priced as large bulky since
    "mediumoversize": "large_bulky",
    "largeoversize": "extra_large",
    "specialoversize": "extra_large",
    "extralarge": "extra_large",
    "standard": "standard",
    "standardsize": "standard",
    **{t.replace("_", ""): t for t in ("light_envelope", "standard_envelope", "large_envelope")},
    **{t.replace("_", ""): t for t in ("extra_large_envelope", "small_parcel", "standard_parcel")},
}
#: marketplaces whose fee tables use the UK/EU envelope-and-parcel tiers and dimensional weight in kg (÷ 5,000)
PARCEL_MARKETPLACES = frozenset({"UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE"})
#: weights of the fee table's units, in pounds
WEIGHT_LB = {"lb": 1.0, "oz": 1 / 16, "kg": 2.20462262185, "g": 0.00220462262185}


def _effective_dates(df: pd.DataFrame, path) -> pd.Series:
    """A fee table's ``effective_from`` as days; a cell that is not one stops the read, named by line."""
    dates = pd.to_datetime(df["effective_from"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(
            path,
            "effective_from is not a date",
            line=bad + 2,
            column="effective_from",
            expected="YYYY-MM-DD",
        )
    return dates.astype("datetime64[s]")


def load_fee_table(name: str, override_dir: str | Path | None = None) -> pd.DataFrame:
    """A dated table of ``data/fees`` (``fulfilment_fees.csv``, ``vat_rates.csv``), or the seller's file of
    the same name in ``override_dir``; ``effective_from`` as dates, rows sorted by it."""
    over = (
        Path(override_dir) / name
        if override_dir and str(override_dir) not in ("none", "default")
        else None
    )
    path = over if over is not None and over.exists() else FEE_DIR / name
    df = pd.read_csv(
        path,
        dtype={
            "marketplace": str,
            "size_tier": str,
            "price_band": str,
            "kind": str,
            "case": str,
            "basis": str,
            "source": str,
        },
    )
    df["effective_from"] = _effective_dates(df, path)
    return df.sort_values("effective_from", kind="stable", ignore_index=True)


def vat_rates(table: pd.DataFrame, *, marketplace, on) -> np.ndarray:
    """The standard VAT (or consumption tax, GST) rate in the price on ``on`` per marketplace: 0 where prices
    are net of tax (US, CA) and NaN for a marketplace the table lacks.

    >>> vat_rates(load_fee_table("vat_rates.csv"), marketplace=["UK", "US", "DE", "JP", "BR"], on="2026-10-31")
    array([0.2 , 0.  , 0.19, 0.1 ,  nan])
    """
    t = table.loc[table["effective_from"] <= pd.Timestamp(on)]
    t = t.drop_duplicates("marketplace", keep="last").set_index("marketplace")
    inclusive = t["prices_include_vat"].astype(str).str.lower().isin(["true", "1", "yes"])
    rate = t["rate"].astype(float).where(inclusive, 0.0)
    return pd.Series(marketplace, dtype="string").map(rate).astype(float).to_numpy()


def shipping_weight_lb(*, weight_lb, cubic_feet, marketplace) -> np.ndarray:
    """Amazon's shipping weight: the greater of the unit weight and the dimensional weight — the volume in
    cubic inches ÷ 139 in the US, in cm³ ÷ 5,000 (kg) in the UK and EU — in pounds. Without a volume, the
    unit weight.

    >>> shipping_weight_lb(weight_lb=[3.15, 16.17], cubic_feet=[0.527, None], marketplace=["US", "UK"]).round(2)
    array([ 6.55, 16.17])
    """
    w = np.asarray(pd.Series(weight_lb, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    cube = np.asarray(pd.Series(cubic_feet, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    parcel = pd.Series(marketplace, dtype="string").isin(PARCEL_MARKETPLACES).to_numpy()
    dim = np.where(parcel, cube * 28316.846592 / 5000 * WEIGHT_LB["kg"], cube * 1728 / 139)
    return np.where(np.isnan(dim), w, np.fmax(w, dim))


#: how a fee was found, or why it was not (``fee_note``: a fixed vocabulary, translated on Chinese pages)
FEE_NOTES = {
    "exact": "",
    "vague": "standard size not told: priced as large standard (upper bound)",
    "no_dimensions": "no dimensions: priced as a standard parcel (upper bound)",
    "bulky_needs_dimensions": "bulky: the UK/EU tier needs its dimensions",
    "no_tier": "no size tier",
    "unknown_tier": "size tier not recognised",
    "no_weight": "no weight",
    "no_row": "no fee table row",
    "no_price": "no price: the 10–50 band",
    "other_band": "no row for its price band: the nearest band",
    "parameter": "the fulfilment_fee parameter",
    "none": "no fee stated",
}


def fee_tiers(size_tier, *, marketplace, weight_lb) -> tuple[np.ndarray, np.ndarray]:
    """(tier, note) per SKU: the fee table's tier a report's or master's size tier names, and how it was
    known (a :data:`FEE_NOTES` key). A tier that does not tell small from large standard is priced at the
    largest standard tier (an upper bound, said); the US extra-large tier is split by weight; a UK/EU bulky
    item without its dimensions has no tier (its fee cannot be known).

    >>> t, why = fee_tiers(["Large Standard-Size", "standard", "Large Bulky", "standard", None, "Extra-large"],
    ...     marketplace=["US", "US", "US", "UK", "US", "US"], weight_lb=[1, 1, 16, 1, 1, 80])
    >>> t.tolist()
    ['large_standard', 'large_standard', 'large_bulky', 'standard_parcel', None, 'extra_large_70_150']
    >>> why.tolist()
    ['exact', 'vague', 'exact', 'no_dimensions', 'no_tier', 'exact']
    """
    text = pd.Series(size_tier, dtype="string")
    key = text.str.lower().str.replace(r"[\s_\-]+", "", regex=True)
    tier = key.map(TIER_NAMES).astype("string")
    parcel = pd.Series(marketplace, dtype="string").isin(PARCEL_MARKETPLACES).to_numpy()
    w = pd.Series(weight_lb, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    note = np.where(text.isna(), "no_tier", np.where(tier.isna(), "unknown_tier", "exact")).astype(
        object
    )

    def has(*names: str) -> np.ndarray:
        return tier.isin(list(names)).fillna(False).to_numpy(dtype=bool)

    vague_us = has("standard") & ~parcel
    standard_uk = has("standard", "small_standard", "large_standard") & parcel
    bulky_uk = has("small_bulky", "large_bulky", "extra_large") & parcel
    out = tier.to_numpy(dtype=object, na_value=None)
    out[vague_us], note[vague_us] = "large_standard", "vague"
    out[standard_uk], note[standard_uk] = "standard_parcel", "no_dimensions"
    out[bulky_uk], note[bulky_uk] = None, "bulky_needs_dimensions"
    xl = has("extra_large") & ~parcel
    out[xl] = np.select(
        [w[xl] <= 50, w[xl] <= 70, w[xl] <= 150, w[xl] > 150],
        ["extra_large_0_50", "extra_large_50_70", "extra_large_70_150", "extra_large_150_plus"],
        None,
    )
    return out, note


def fulfilment_fees(
    table: pd.DataFrame, *, marketplace, size_tier, weight_lb, cubic_feet, price, on
) -> pd.DataFrame:
    """The FBA fulfilment fee per unit of each SKU from the dated fee table: the row in force on ``on`` for its
    marketplace, tier (:func:`fee_tiers`), price band (US since 2026: under 10, 10–50, over 50 dollars;
    before, under 10 and 10 or more; UK/EU: the standard rate, Low-Price FBA not assumed) and shipping weight
    (:func:`shipping_weight_lb`) band; above a band's top, ``per_weight_above`` per ``weight_step`` begun:

        fee = fee(band) + ⌈(w − above_weight) ÷ step⌉ × per_weight_above

    Returns, one row per input: ``fee`` (NaN where it cannot be known: no tier, weight or table row),
    ``currency`` (the marketplace's table's), ``fee_tier``, ``shipping_weight_lb``, ``fee_table`` (the
    marketplace and the table's date) and ``fee_note`` (:data:`FEE_NOTES`: how it was found, or why not).

    Worked example (the US 2026 table, 10–50 dollars): a large-standard item of 3.15 lb and 0.527 ft³ ships at
    its dimensional weight 0.527 × 1728 ÷ 139 = 6.55 lb, so 6.97 + ⌈(6.55 − 3) ÷ 0.25⌉ × 0.08 = 6.97 + 15 × 0.08
    = 8.17 USD.

    >>> f = fulfilment_fees(load_fee_table("fulfilment_fees.csv"), marketplace=["US", "US", "US"],
    ...     size_tier=["Large Standard-Size", "Small Standard-Size", None], weight_lb=[3.15, 0.3, 1],
    ...     cubic_feet=[0.527, 0.01, 0.1], price=[20.0, 8.0, 20.0], on="2026-10-31")
    >>> f["fee"].tolist(), f["currency"].tolist()[0], f["fee_note"].tolist()
    ([8.17, 2.56, nan], 'USD', ['', '', 'no size tier'])
    """
    n = len(pd.Series(marketplace))
    market = pd.Series(marketplace, dtype="string").reset_index(drop=True)
    w = shipping_weight_lb(weight_lb=weight_lb, cubic_feet=cubic_feet, marketplace=market)
    tier, note = fee_tiers(size_tier, marketplace=market, weight_lb=w)
    note = np.where(np.isnan(w) & (note == "exact"), "no_weight", note).astype(object)
    p = pd.Series(price, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    t = table.loc[table["effective_from"] <= pd.Timestamp(on)]
    newest = t.groupby("marketplace")["effective_from"].transform("max")
    t = t.loc[t["effective_from"] == newest]
    sku = pd.DataFrame(
        {"i": np.arange(n), "marketplace": market, "size_tier": tier, "w": w, "p": p}
    )
    m = sku.dropna(subset=["size_tier", "w"]).merge(t, on=["marketplace", "size_tier"], how="inner")
    m["wu"] = m["w"] / m["weight_unit"].map(WEIGHT_LB).astype(float)  # in the row's own weight unit
    lo, hi = m["min_weight"].astype(float), m["max_weight"].astype(float).fillna(np.inf)
    m = m.loc[((m["wu"] > lo) | (lo == 0)) & (m["wu"] <= hi + 1e-9)]
    band = m["price_band"].fillna("").to_numpy(dtype=object)
    pr = m["p"].to_numpy(dtype=float)
    exact = np.select(
        [band == "lt10", band == "10to50", band == "gt50", band == "ge10", band == "standard"],
        [pr < 10, (pr >= 10) & (pr <= 50), pr > 50, pr >= 10, np.ones(len(m), bool)],
        False,
    )
    middle = np.isin(band, ["10to50", "ge10", "standard"])
    # no price: the middle band; a band the table lacks for this tier (a bulky item under 10 dollars in 2024,
    # when Low-Price FBA covered standard sizes only): the band it has
    rank = np.where(exact, 0, np.where(middle & np.isnan(pr), 1, np.where(middle, 2, 3)))
    m = m.assign(_rank=rank).sort_values(["i", "_rank"]).drop_duplicates("i")
    over = np.ceil(
        np.clip(
            m["wu"] - m["above_weight"].astype(float).fillna(np.inf),
            0,
            None,
        )
        / m["weight_step"].astype(float).fillna(1.0)
        - 1e-9
    )
    fee = m["fee"].astype(float) + np.nan_to_num(over) * m["per_weight_above"].astype(float).fillna(
        0
    )
    out = pd.DataFrame(
        {
            "fee": np.nan,
            "currency": pd.Series(pd.NA, index=range(n), dtype="string"),
            "fee_tier": pd.Series(tier, dtype="string"),
            "shipping_weight_lb": np.round(w, 2),
            "fee_table": pd.Series(pd.NA, index=range(n), dtype="string"),
        }
    )
    at = m["i"].to_numpy()
    out.loc[at, "fee"] = fee.round(2).to_numpy()
    out.loc[at, "currency"] = m["currency"].to_numpy()
    out.loc[at, "fee_table"] = (
        m["marketplace"] + " " + m["effective_from"].dt.strftime("%Y-%m-%d")
    ).to_numpy()
    r = m["_rank"].to_numpy()
    note[at] = np.where(r == 1, "no_price", np.where(r == 2, "other_band", note[at]))
    note[out["fee"].isna().to_numpy() & (note == "exact")] = "no_row"
    out["fee_note"] = pd.Series(note).map(FEE_NOTES).astype("string")
    return out


def net_per_unit(price, *, vat_rate, referral_rate: float, fulfilment_fee) -> np.ndarray:
    """What a sale leaves the seller, per unit: the price net of VAT, less Amazon's referral fee (charged on
    the VAT-inclusive price, as Amazon charges it) and the fulfilment fee.

        net = price ÷ (1 + VAT) − referral × price − fulfilment fee

    >>> net_per_unit([12.0, 12.0], vat_rate=[0.2, 0.0], referral_rate=0.15, fulfilment_fee=[3.0, 3.0])
    array([5.2, 7.2])
    """
    p = np.asarray(price, dtype=float)
    return (
        p / (1 + np.asarray(vat_rate, dtype=float))
        - referral_rate * p
        - np.asarray(fulfilment_fee, dtype=float)
    )


def grade_and_resell_fees(table: pd.DataFrame, *, marketplace, fee_tier, on) -> pd.DataFrame:
    """FBA Grade and Resell's processing fee per unit (charged when a graded unit is relisted) and the share of
    the new price a used unit is priced at, per unit's marketplace and fee tier on ``on``
    (``grade_and_resell.csv``); NaN where the table has no row (the option is then not offered).

    >>> t = load_fee_table("grade_and_resell.csv")
    >>> grade_and_resell_fees(t, marketplace=["US", "US", "UK"], fee_tier=["small_standard", "extra_large",
    ...                       "standard_parcel"], on="2026-10-31")[["fee", "currency"]].values.tolist()
    [[1.5, 'USD'], [4.1, 'USD'], [nan, nan]]
    """
    t = table.loc[table["effective_from"] <= pd.Timestamp(on)]
    t = t.drop_duplicates(["marketplace", "fee_tier"], keep="last")
    want = pd.DataFrame(
        {
            "marketplace": pd.Series(marketplace, dtype="string"),
            "fee_tier": pd.Series(fee_tier, dtype="string"),
        }
    )
    got = want.merge(
        t[["marketplace", "fee_tier", "fee", "currency", "used_price_share"]].astype(
            {"marketplace": "string", "fee_tier": "string"}
        ),
        on=["marketplace", "fee_tier"],
        how="left",
    )
    return got[["fee", "currency", "used_price_share"]]
