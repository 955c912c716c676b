"""Amazon's reports straight from the Selling Partner API: request, wait, download, decode, write.

``stockbook fetch --period 2026-10 --marketplaces US,UK,DE --data DIR`` asks Amazon, for each marketplace and
each report stockbook reads (:data:`REPORTS`), for the report of the period (or the latest snapshot of a
report Amazon keeps current), waits for it, downloads and decompresses its document, decodes its bytes and
writes it where the readers find it::

    DIR/amazon/US/inventory_ledger_summary_2026-10.txt

Each file is written whole or not at all (a temporary name, then one rename: Ctrl-C leaves no half file), and
recorded in ``DIR/amazon/fetch_manifest.json`` with its report id, times and sha256. A report already fetched for
that period, whose file is still there with the same bytes, is not fetched again.

**Credentials** (:func:`load_credentials`) come from the environment (``LWA_APP_ID``, ``LWA_CLIENT_SECRET``,
``SP_API_REFRESH_TOKEN``; ``SP_API_REFRESH_TOKEN_EU`` / ``_FE`` for a seller account of another region) or from a
file outside the repository (``~/.config/stockbook/sp-api.toml``, or ``$STOCKBOOK_SP_API_CONFIG``). They are never
logged, printed or written into ``run.json``. AWS request signing is no longer required by Amazon.

**Calls** go through python-amazon-sp-api's Reports API 2021-06-30 client (create, get, get document). Throttling
(HTTP 429) and transient errors (500, 503, 504, a dropped connection) are retried with exponential backoff; a
report that ends ``CANCELLED`` (Amazon had no data for the period) or ``FATAL`` is said per report while the
others go on. The document is downloaded with httpx and its bytes decoded here (UTF-8, Shift_JIS for amazon.co.jp,
Windows-1252), never by the library, which decodes reports that name no character set as ISO-8859-1.

What fetch does not download: the Payments date-range report (refunds; the Finances API's transactions are not
yet read), the aged-inventory surcharge and monthly storage fee reports of months Amazon has not closed, and the
seller's own records (SKU master, 进销存, purchase orders, shipments).

>>> period_window("2026-10")
('2026-10-01T00:00:00Z', '2026-10-31T23:59:59Z')
>>> target_path(Path("data"), "US", "inventory_ledger_summary", "2026-10").as_posix()
'data/amazon/US/inventory_ledger_summary_2026-10.txt'
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pandas as pd
from sp_api.api import ReportsV2
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base import Marketplaces
from sp_api.base.exceptions import (
    SellingApiException,
    SellingApiForbiddenException,
    SellingApiGatewayTimeoutException,
    SellingApiRequestThrottledException,
    SellingApiServerException,
    SellingApiTemporarilyUnavailableException,
)

from stockbook.errors import StockbookError
from stockbook.io.raw import decode


@dataclass(frozen=True)
class ReportSpec:
    """One report stockbook reads: Amazon's report type, whether it is asked for a period (else the latest
    snapshot), and its options."""

    report_type: str
    period: bool
    options: dict[str, str] = field(default_factory=dict)


#: the reports fetch downloads, by the name their file takes
REPORTS: dict[str, ReportSpec] = {
    "inventory_ledger_summary": ReportSpec(
        "GET_LEDGER_SUMMARY_VIEW_DATA",
        True,
        {"aggregateByLocation": "COUNTRY", "aggregatedByTimePeriod": "MONTHLY"},
    ),
    "inventory_ledger_detail": ReportSpec("GET_LEDGER_DETAIL_VIEW_DATA", True),
    "fba_inventory": ReportSpec("GET_FBA_INVENTORY_PLANNING_DATA", False),
    "storage_fees": ReportSpec("GET_FBA_STORAGE_FEE_CHARGES_DATA", True),
    "aged_surcharge": ReportSpec("GET_FBA_FULFILLMENT_LONGTERM_STORAGE_FEE_CHARGES_DATA", True),
    "reimbursements": ReportSpec("GET_FBA_REIMBURSEMENTS_DATA", True),
    "customer_returns": ReportSpec("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", True),
    "all_orders": ReportSpec("GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", True),
    "stranded_inventory": ReportSpec("GET_STRANDED_INVENTORY_UI_DATA", False),
    "restock": ReportSpec("GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT", False),
}

#: stockbook's marketplace codes -> python-amazon-sp-api's (which calls the UK GB), and each one's region
MARKETPLACES: dict[str, str] = {
    "US": "US",
    "CA": "CA",
    "MX": "MX",
    "BR": "BR",
    "UK": "GB",
    "DE": "DE",
    "FR": "FR",
    "IT": "IT",
    "ES": "ES",
    "NL": "NL",
    "SE": "SE",
    "PL": "PL",
    "BE": "BE",
    "TR": "TR",
    "AE": "AE",
    "SA": "SA",
    "EG": "EG",
    "IN": "IN",
    "JP": "JP",
    "AU": "AU",
    "SG": "SG",
}
REGION: dict[str, str] = {
    **dict.fromkeys(("US", "CA", "MX", "BR"), "NA"),
    **dict.fromkeys(("JP", "AU", "SG"), "FE"),
}

CONFIG = Path(
    os.environ.get("STOCKBOOK_SP_API_CONFIG", "~/.config/stockbook/sp-api.toml")
).expanduser()
#: what is retried, and how long a report may take
RETRY_ON = (
    SellingApiRequestThrottledException,
    SellingApiServerException,
    SellingApiTemporarilyUnavailableException,
    SellingApiGatewayTimeoutException,
    httpx.TransportError,
)
MAX_TRIES = 6
POLL_SECONDS = 30.0
MAX_WAIT_SECONDS = 3 * 3600


class FetchError(StockbookError):
    """A report that could not be fetched (said per report; the others go on)."""


class CannotReachAmazon(StockbookError):
    """No connection to Amazon at all: every report would fail alike, so the fetch stops with one sentence."""


class CredentialsRefused(StockbookError):
    """Amazon's login (LWA) refused the credentials: no report can come, so the fetch stops with one sentence."""


def period_window(period: str) -> tuple[str, str]:
    """The first and last second of a month, as Amazon's API takes them (UTC)."""
    start = pd.Period(period, freq="M").start_time
    end = pd.Period(period, freq="M").end_time.floor("s")
    return f"{start:%Y-%m-%dT%H:%M:%S}Z", f"{end:%Y-%m-%dT%H:%M:%S}Z"


def target_path(data: Path, marketplace: str, name: str, period: str) -> Path:
    """Where a fetched report is written: ``amazon/<marketplace>/<name>_<period>.txt``."""
    return Path(data) / "amazon" / marketplace / f"{name}_{period}.txt"


def load_credentials(
    region: str = "NA", *, environ: dict[str, str] | None = None, config: Path | None = None
) -> dict[str, str]:
    """The LWA credentials of one region's seller account: from the environment, else from the config file.

    A missing credential is one sentence saying what to set (the values are never shown).

    >>> load_credentials(environ={}, config=Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    stockbook.fetch.FetchError: no Selling Partner API credentials for the NA region: set LWA_APP_ID, LWA_CLIENT_SECRET and SP_API_REFRESH_TOKEN in the environment, or write them in /nonexistent (see the README: Amazon's reports straight from Seller Central)
    """
    env = os.environ if environ is None else environ
    suffix = "" if region == "NA" else f"_{region}"
    got = {
        "lwa_app_id": env.get("LWA_APP_ID", ""),
        "lwa_client_secret": env.get("LWA_CLIENT_SECRET", ""),
        "refresh_token": env.get(f"SP_API_REFRESH_TOKEN{suffix}", "")
        or (env.get("SP_API_REFRESH_TOKEN", "") if region == "NA" else ""),
    }
    path = CONFIG if config is None else config
    if not all(got.values()) and path.is_file():
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        section = table.get(region.lower(), table.get("default", {}))
        for key in got:
            got[key] = got[key] or str(section.get(key, table.get(key, "")))
    if not all(got.values()):
        raise FetchError(
            f"no Selling Partner API credentials for the {region} region: set LWA_APP_ID, "
            f"LWA_CLIENT_SECRET and SP_API_REFRESH_TOKEN{suffix} in the environment, or write them in "
            f"{path} (see the README: Amazon's reports straight from Seller Central)"
        )
    return got


def with_retry(
    call: Callable[[], object],
    *,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    tries: int = MAX_TRIES,
    say: Callable[[str], None] | None = None,
) -> object:
    """``call()``, retried with exponential backoff (1, 2, 4 … 60 s) when Amazon throttles or errs for a moment.

    >>> n = iter(range(3))
    >>> def flaky():
    ...     if next(n) < 2:
    ...         raise SellingApiRequestThrottledException([{"message": "throttled"}])
    ...     return "ok"
    >>> with_retry(flaky, what="a call", sleep=lambda s: None)
    'ok'
    """
    for attempt in range(tries):
        try:
            return call()
        except AuthorizationError as exc:
            raise CredentialsRefused(
                f"Amazon's login (LWA) refused the credentials ({exc.error_code}, HTTP {exc.status_code}): "
                "check LWA_APP_ID and LWA_CLIENT_SECRET against the app client in Seller Central and that "
                "the refresh token is the one Authorize app gave for this region (a revoked or re-authorised "
                "app needs the new token)"
            ) from exc
        except SellingApiForbiddenException as exc:
            raise FetchError(
                f"{what}: Amazon refused the credentials (403): check the refresh token and that the "
                "app is authorised for this marketplace and has the Inventory and Order Tracking "
                "role"
            ) from exc
        except RETRY_ON as exc:
            if attempt == tries - 1 and isinstance(exc, httpx.ConnectError):
                raise CannotReachAmazon(
                    f"{what}: Amazon cannot be reached from this machine after {tries} tries ({exc}); "
                    "check the connection or proxy, then run the same command again: what came is kept"
                ) from exc
            if attempt == tries - 1:
                raise FetchError(
                    f"{what}: Amazon still throttles or errs after {tries} tries ({type(exc).__name__})"
                ) from exc
            wait = min(60.0, 2.0**attempt)
            if say is not None:
                say(
                    (
                        "throttled by Amazon"
                        if isinstance(exc, SellingApiRequestThrottledException)
                        else f"Amazon answered {type(exc).__name__}"
                    )
                    + f": waiting {wait:.0f} s"
                )
            sleep(wait)
        except (
            SellingApiException
        ) as exc:  # refused for this request (a report type the marketplace lacks …)
            raise FetchError(
                f"{what}: Amazon refused the request (HTTP {exc.code}: {exc.message})"
            ) from exc
        except httpx.HTTPStatusError as exc:  # the document's link, expired or refused
            raise FetchError(
                f"{what}: the report's download link answered HTTP {exc.response.status_code}; "
                "fetch it again"
            ) from exc
    raise AssertionError("unreachable")


@dataclass
class Progress:
    """One line per report on standard error: what it is waiting for, then how it ended."""

    stream: object = field(default_factory=lambda: sys.stderr)
    lines: list[str] = field(default_factory=list)

    def say(self, marketplace: str, name: str, text: str) -> None:
        line = f"[{marketplace}] {name}: {text}"
        self.lines.append(line)
        print(line, file=self.stream, flush=True)


@dataclass
class Fetched:
    """What one fetch run did, per report: written, already there, or why not."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _client(marketplace: str, credentials: dict[str, str]) -> ReportsV2:
    return ReportsV2(marketplace=Marketplaces[MARKETPLACES[marketplace]], credentials=credentials)


def fetch_report(
    api: ReportsV2,
    *,
    marketplace: str,
    name: str,
    spec: ReportSpec,
    period: str,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    poll_seconds: float = POLL_SECONDS,
) -> tuple[str, bytes]:
    """Request one report, wait until Amazon has made it, and return (report id, its bytes, decompressed)."""
    say = (lambda text: progress.say(marketplace, name, text)) if progress else (lambda text: None)
    what = f"{marketplace} {name}"
    body: dict[str, object] = {
        "reportType": spec.report_type,
        "marketplaceIds": [Marketplaces[MARKETPLACES[marketplace]].marketplace_id],
    }
    if spec.period:
        body["dataStartTime"], body["dataEndTime"] = period_window(period)
    if spec.options:
        body["reportOptions"] = spec.options
    made = with_retry(lambda: api.create_report(**body), what=what, sleep=sleep, say=say)
    report_id = str(made.payload["reportId"])
    say(f"requested (report {report_id})")
    waited = 0.0
    while True:
        got = with_retry(lambda: api.get_report(report_id), what=what, sleep=sleep, say=say).payload
        status = got.get("processingStatus")
        if status == "DONE":
            break
        if status in ("CANCELLED", "FATAL"):
            why = (
                "Amazon had no data for this period"
                if status == "CANCELLED"
                else "Amazon could not make it (its error document is "
                + str(got.get("reportDocumentId", "absent"))
                + ")"
            )
            raise FetchError(f"{what}: report {report_id} ended {status}: {why}")
        if waited >= MAX_WAIT_SECONDS:
            raise FetchError(
                f"{what}: report {report_id} still {status} after {waited / 60:.0f} minutes"
            )
        say(f"{status.lower().replace('_', ' ')} ({waited:.0f} s)")
        sleep(poll_seconds)
        waited += poll_seconds
    document = with_retry(
        lambda: api.get_report_document(got["reportDocumentId"], download=False),
        what=what,
        sleep=sleep,
        say=say,
    ).payload
    raw = with_retry(lambda: _download(document["url"]), what=what, sleep=sleep, say=say)
    if str(document.get("compressionAlgorithm", "")).upper() == "GZIP":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
            raise FetchError(
                f"{what}: report {report_id} came cut short or not gzip as Amazon said ({exc}); "
                "fetch it again"
            ) from exc
    return report_id, raw


def _download(url: str) -> bytes:
    response = httpx.get(url, timeout=120.0)
    response.raise_for_status()
    return response.content


def write_whole(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` whole or not at all (a temporary name, then a rename); its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return hashlib.sha256(data).hexdigest()


def _manifest(data: Path) -> tuple[Path, dict]:
    path = Path(data) / "amazon" / "fetch_manifest.json"
    return path, (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"reports": {}}
    )


def fetch(
    data: str | Path,
    *,
    period: str,
    marketplaces: list[str],
    reports: list[str] | None = None,
    environ: dict[str, str] | None = None,
    config: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    poll_seconds: float = POLL_SECONDS,
    client: Callable[[str, dict[str, str]], ReportsV2] = _client,
) -> Fetched:
    """Fetch the period's reports of every marketplace into ``data`` (module text); what was written, kept and
    why any failed. A missing credential stops before any call."""
    data = Path(data)
    names = reports or list(REPORTS)
    unknown = [n for n in names if n not in REPORTS]
    if unknown:
        raise FetchError(f"unknown report {unknown[0]!r}; stockbook fetches: {', '.join(REPORTS)}")
    bad = [m for m in marketplaces if m not in MARKETPLACES]
    if bad:
        raise FetchError(
            f"unknown marketplace {bad[0]!r}; use codes such as US, CA, MX, UK, DE, FR, IT, ES, JP"
        )
    creds = {
        m: load_credentials(REGION.get(m, "EU"), environ=environ, config=config)
        for m in marketplaces
    }
    progress = progress or Progress()
    manifest_path, manifest = _manifest(data)
    done = Fetched()
    for m in marketplaces:
        api = client(m, creds[m])
        for name in names:
            key = f"{m}/{name}/{period}"
            path = target_path(data, m, name, period)
            entry = manifest["reports"].get(key)
            if (
                entry
                and path.exists()
                and hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
            ):
                progress.say(
                    m,
                    name,
                    f"already fetched ({path.relative_to(data).as_posix()}, report "
                    f"{entry['report_id']})",
                )
                done.kept.append(path)
                continue
            try:
                started = pd.Timestamp.now(tz="UTC")
                report_id, raw = fetch_report(
                    api,
                    marketplace=m,
                    name=name,
                    spec=REPORTS[name],
                    period=period,
                    sleep=sleep,
                    progress=progress,
                    poll_seconds=poll_seconds,
                )
                text, encoding = decode(raw, path)
                sha = write_whole(path, text.encode("utf-8"))
            except FetchError as exc:
                progress.say(m, name, f"not fetched: {str(exc).split(': ', 1)[-1]}")
                done.failed.append(str(exc))
                continue
            manifest["reports"][key] = {
                "report_type": REPORTS[name].report_type,
                "report_id": report_id,
                "requested": f"{started:%Y-%m-%dT%H:%M:%SZ}",
                "fetched": f"{pd.Timestamp.now(tz='UTC'):%Y-%m-%dT%H:%M:%SZ}",
                "encoding": encoding,
                "file": path.relative_to(data).as_posix(),
                "sha256": sha,
            }
            write_whole(
                manifest_path, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            )
            progress.say(
                m,
                name,
                f"written {path.relative_to(data).as_posix()} ({len(raw):,} bytes, {encoding})",
            )
            done.written.append(path)
    return done
