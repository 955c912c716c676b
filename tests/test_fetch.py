"""`stockbook fetch` against a stand-in of Amazon's Selling Partner API, entirely offline (respx answers every
request python-amazon-sp-api and the download make through httpx).

The stand-in keeps Amazon's order of things: the LWA token endpoint; createReport → a report id; getReport →
IN_QUEUE, IN_PROGRESS, then DONE (or FATAL / CANCELLED) with a document id; getReportDocument → a URL and
``compressionAlgorithm: GZIP``; the URL → the gzipped bytes. It can answer 429 first, as Amazon throttles.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import httpx
import pandas as pd
import pytest
import respx
from conftest import AMAZON_SUMMARY_HEADER
from sp_api.auth import access_token_client
from stockbook import fetch
from stockbook.cli import main
from stockbook.io import load_folder

TOKEN = "https://api.amazon.com/auth/o2/token"
ENV = {
    "LWA_APP_ID": "amzn1.application-oa2-client.test",
    "LWA_CLIENT_SECRET": "secret-not-to-be-logged",
    "SP_API_REFRESH_TOKEN": "Atzr|na-token",
    "SP_API_REFRESH_TOKEN_EU": "Atzr|eu-token",
    "SP_API_REFRESH_TOKEN_FE": "Atzr|fe-token",
}


@pytest.fixture(autouse=True)
def _no_cached_token(monkeypatch):
    """python-amazon-sp-api keeps access tokens per refresh token for the process: each test logs in afresh."""
    monkeypatch.setattr(
        access_token_client, "cache", access_token_client.TTLCache(maxsize=10, ttl=3200)
    )


LEDGER_ROWS = [
    [
        "10/2026",
        "X00A",
        "B00A",
        "SKU-1",
        "Mug",
        "SELLABLE",
        10,
        0,
        5,
        -3,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        12,
        0,
        "US",
    ],
    [
        "10/2026",
        "X00B",
        "B00B",
        "SKU-2",
        "Bowl",
        "SELLABLE",
        4,
        0,
        0,
        -1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        3,
        0,
        "US",
    ],
]


def _tsv(header, rows) -> str:
    return "\n".join("\t".join(str(v) for v in r) for r in [header, *rows]) + "\n"


LEDGER = _tsv(AMAZON_SUMMARY_HEADER, LEDGER_ROWS)
# amazon.co.jp writes its reports in Shift_JIS: a product name in Japanese must survive the trip
JP_LEDGER = _tsv(
    AMAZON_SUMMARY_HEADER,
    [[*LEDGER_ROWS[0][:4], "ステンレス マグカップ", *LEDGER_ROWS[0][5:-1], "JP"]],
)


class StandIn:
    """Amazon's Reports API as the tests need it: what each report type returns, and what went wrong first."""

    def __init__(
        self,
        documents: dict[str, bytes],
        *,
        fatal: set[str] = (),
        throttle_first: int = 0,
        polls: int = 2,
        refuse_token: bool = False,
        bad_request: set[str] = (),
        expired_link: set[str] = (),
        cut_short: set[str] = (),
    ):
        self.documents, self.fatal, self.polls = documents, set(fatal), polls
        self.refuse_token, self.bad_request = refuse_token, set(bad_request)
        self.expired_link, self.cut_short = set(expired_link), set(cut_short)
        self.throttle_left = throttle_first
        self.reports: dict[str, dict] = {}
        self.requests: list[httpx.Request] = []

    def routes(self, router: respx.Router) -> None:
        router.post(TOKEN).mock(side_effect=self.token)
        api = r"sellingpartnerapi-(na|eu|fe)\.amazon\.com"
        router.post(host__regex=api, path="/reports/2021-06-30/reports").mock(
            side_effect=self.create
        )
        router.get(host__regex=api, path__regex=r"^/reports/2021-06-30/reports/(?P<rid>\w+)$").mock(
            side_effect=self.get
        )
        router.get(
            host__regex=api, path__regex=r"^/reports/2021-06-30/documents/(?P<did>\w+)$"
        ).mock(side_effect=self.document)
        router.get(host="tortuga-prod.s3.amazonaws.com", path__regex=r"^/(?P<did>\w+)$").mock(
            side_effect=self.download
        )

    def token(self, request):
        self.requests.append(request)
        form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
        assert form["grant_type"] == "refresh_token"
        if self.refuse_token:  # what LWA answers a revoked or mistyped refresh token
            return httpx.Response(
                400,
                json={
                    "error": "invalid_grant",
                    "error_description": "The request has an invalid grant parameter : refresh_token",
                },
            )
        return httpx.Response(
            200, json={"access_token": "Atza|access", "token_type": "bearer", "expires_in": 3600}
        )

    def create(self, request):
        self.requests.append(request)
        if self.throttle_left:
            self.throttle_left -= 1
            return httpx.Response(
                429, json={"errors": [{"code": "QuotaExceeded", "message": "throttled"}]}
            )
        body = json.loads(request.content)
        if body["reportType"] in self.bad_request:
            return httpx.Response(
                400,
                json={
                    "errors": [
                        {
                            "code": "InvalidInput",
                            "message": "Report type not available in marketplace",
                        }
                    ]
                },
            )
        rid = f"R{len(self.reports) + 1}"
        self.reports[rid] = {"body": body, "polls": 0, "host": request.url.host}
        return httpx.Response(202, json={"reportId": rid})

    def get(self, request, rid):
        self.requests.append(request)
        r = self.reports[rid]
        r["polls"] += 1
        kind = r["body"]["reportType"]
        if r["polls"] <= self.polls:
            return httpx.Response(
                200,
                json={
                    "reportId": rid,
                    "processingStatus": "IN_QUEUE" if r["polls"] == 1 else "IN_PROGRESS",
                },
            )
        if kind in self.fatal:
            return httpx.Response(
                200,
                json={"reportId": rid, "processingStatus": "FATAL", "reportDocumentId": f"E{rid}"},
            )
        return httpx.Response(
            200, json={"reportId": rid, "processingStatus": "DONE", "reportDocumentId": f"D{rid}"}
        )

    def document(self, request, did):
        self.requests.append(request)
        return httpx.Response(
            200,
            json={
                "reportDocumentId": did,
                "compressionAlgorithm": "GZIP",
                "url": f"https://tortuga-prod.s3.amazonaws.com/{did}",
            },
        )

    def download(self, request, did):
        self.requests.append(request)
        r = self.reports[did[1:]]
        key = (r["body"]["reportType"], r["host"])
        data = self.documents.get(key, self.documents.get(r["body"]["reportType"], b""))
        if r["body"]["reportType"] in self.expired_link:  # the presigned link lives five minutes
            return httpx.Response(403, content=b"<Error><Code>AccessDenied</Code></Error>")
        packed = gzip.compress(data)
        if r["body"]["reportType"] in self.cut_short:
            packed = packed[: len(packed) // 2]
        return httpx.Response(200, content=packed, headers={"Content-Type": "text/plain"})


def _run(
    tmp_path,
    stand_in,
    *,
    marketplaces=("US",),
    reports=("inventory_ledger_summary",),
    env=ENV,
    sleep=None,
):
    out = io.StringIO()
    with respx.mock(assert_all_called=False) as router:
        stand_in.routes(router)
        got = fetch.fetch(
            tmp_path,
            period="2026-10",
            marketplaces=list(marketplaces),
            reports=list(reports),
            environ=env,
            config=Path("/nonexistent"),
            sleep=sleep or (lambda s: None),
            progress=fetch.Progress(stream=out),
            poll_seconds=30,
        )
    return got, out.getvalue()


def test_a_report_is_requested_waited_for_downloaded_and_written(tmp_path, monkeypatch):
    s = StandIn({"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")})
    got, log = _run(tmp_path, s)
    token = [
        r for r in s.requests if r.url.host == "api.amazon.com"
    ]  # the LWA token, from the refresh token
    assert len(token) == 1 and b"refresh_token=Atzr%7Cna-token" in token[0].content
    assert all(
        r.headers.get("x-amz-access-token") == "Atza|access"
        for r in s.requests
        if r.url.host.startswith("sellingpartnerapi")
    )
    path = tmp_path / "amazon" / "US" / "inventory_ledger_summary_2026-10.txt"
    assert got.written == [path] and path.read_text(encoding="utf-8") == LEDGER
    body = next(iter(s.reports.values()))["body"]
    assert body["reportType"] == "GET_LEDGER_SUMMARY_VIEW_DATA" and body["marketplaceIds"] == [
        "ATVPDKIKX0DER"
    ]
    assert (body["dataStartTime"], body["dataEndTime"]) == (
        "2026-10-01T00:00:00Z",
        "2026-10-31T23:59:59Z",
    )
    assert body["reportOptions"] == {
        "aggregateByLocation": "COUNTRY",
        "aggregatedByTimePeriod": "MONTHLY",
    }
    assert "in queue (0 s)" in log and "in progress (30 s)" in log and "written amazon/US/" in log
    manifest = json.loads((tmp_path / "amazon" / "fetch_manifest.json").read_text())
    entry = manifest["reports"]["US/inventory_ledger_summary/2026-10"]
    assert entry["report_id"] == "R1" and len(entry["sha256"]) == 64
    # credentials are sent to Amazon's token endpoint only, never shown
    assert ENV["LWA_CLIENT_SECRET"] not in log and ENV["LWA_CLIENT_SECRET"] not in json.dumps(
        manifest
    )


def test_a_report_fetched_already_is_not_fetched_again(tmp_path):
    s = StandIn({"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")})
    _run(tmp_path, s)
    again = StandIn({"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")})
    got, log = _run(tmp_path, again)
    assert got.kept and not got.written and again.reports == {} and "already fetched" in log


def test_throttling_is_waited_out_with_backoff(tmp_path):
    s = StandIn({"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")}, throttle_first=2)
    slept = []
    got, log = _run(tmp_path, s, sleep=slept.append)
    assert got.written and slept[:2] == [1.0, 2.0]  # two 429s: waited 1 s, then 2 s, then created
    assert "throttled by Amazon: waiting 1 s" in log and "throttled by Amazon: waiting 2 s" in log


def test_a_fatal_report_is_said_and_the_others_go_on(tmp_path):
    s = StandIn(
        {"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")},
        fatal={"GET_FBA_REIMBURSEMENTS_DATA"},
    )
    got, log = _run(tmp_path, s, reports=("reimbursements", "inventory_ledger_summary"))
    assert len(got.failed) == 1 and "ended FATAL" in got.failed[0]
    assert "[US] reimbursements: not fetched: report R1 ended FATAL" in log
    assert [p.name for p in got.written] == ["inventory_ledger_summary_2026-10.txt"]
    assert not (tmp_path / "amazon" / "US" / "reimbursements_2026-10.txt").exists()


def test_a_japanese_report_in_shift_jis_keeps_its_names(tmp_path):
    s = StandIn(
        {
            ("GET_LEDGER_SUMMARY_VIEW_DATA", "sellingpartnerapi-fe.amazon.com"): JP_LEDGER.encode(
                "cp932"
            )
        }
    )
    got, log = _run(tmp_path, s, marketplaces=("JP",))
    text = got.written[0].read_text(encoding="utf-8")
    assert "ステンレス マグカップ" in text and "cp932" in log
    assert next(iter(s.reports.values()))["body"]["marketplaceIds"] == ["A1VC38T7YXB528"]


def test_a_missing_credential_is_one_sentence_and_no_call(tmp_path):
    s = StandIn({})
    with pytest.raises(
        fetch.FetchError,
        match=r"^no Selling Partner API credentials for the EU region: set "
        r"LWA_APP_ID, LWA_CLIENT_SECRET and SP_API_REFRESH_TOKEN_EU",
    ):
        _run(
            tmp_path,
            s,
            marketplaces=("DE",),
            env={k: v for k, v in ENV.items() if not k.endswith("_EU")},
        )
    assert s.requests == []


def test_a_refused_credential_says_what_to_check(tmp_path):
    with respx.mock(
        assert_all_called=False
    ) as router:  # the token may come from the library's cache
        router.post(TOKEN).mock(
            return_value=httpx.Response(200, json={"access_token": "x", "expires_in": 3600})
        )
        router.post(path="/reports/2021-06-30/reports").mock(
            return_value=httpx.Response(
                403,
                json={
                    "errors": [
                        {
                            "code": "Unauthorized",
                            "message": "Access to requested resource is denied.",
                        }
                    ]
                },
            )
        )
        got = fetch.fetch(
            tmp_path,
            period="2026-10",
            marketplaces=["US"],
            reports=["restock"],
            environ=ENV,
            config=Path("/nonexistent"),
            sleep=lambda s: None,
            progress=fetch.Progress(io.StringIO()),
        )
    assert "refused the credentials (403)" in got.failed[0]


def test_fetched_files_read_exactly_as_the_same_reports_downloaded_by_hand(tmp_path):
    # Seller Central's download of the same report (Amazon writes it tab separated, as here, in Shift_JIS for
    # Japan); the fetched copy (decoded, UTF-8) must give the same table, the same rows
    s = StandIn(
        {
            ("GET_LEDGER_SUMMARY_VIEW_DATA", "sellingpartnerapi-na.amazon.com"): LEDGER.encode(
                "utf-8"
            ),
            ("GET_LEDGER_SUMMARY_VIEW_DATA", "sellingpartnerapi-fe.amazon.com"): JP_LEDGER.encode(
                "cp932"
            ),
        }
    )
    _run(tmp_path / "fetched", s, marketplaces=("US", "JP"))
    by_hand = tmp_path / "by_hand"
    (by_hand / "amazon").mkdir(parents=True)
    (by_hand / "amazon" / "Inventory_Ledger_US.txt").write_bytes(LEDGER.encode("utf-8"))
    (by_hand / "amazon" / "Inventory_Ledger_JP.txt").write_bytes(JP_LEDGER.encode("cp932"))
    a, b = load_folder(tmp_path / "fetched"), load_folder(by_hand)
    cols = [c for c in a["ledger"].columns if c not in ("source_file", "source_line")]
    key = ["sku", "marketplace", "period_start"]
    pd.testing.assert_frame_equal(
        a["ledger"][cols].sort_values(key, ignore_index=True),
        b["ledger"][cols].sort_values(key, ignore_index=True),
    )
    assert set(a.files.loc[a.files["status"] == "read", "format"]) == {"amazon_ledger_summary"}


def test_the_command_line_fetches_then_validate_reads(tmp_path, monkeypatch, capsys):
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(fetch, "POLL_SECONDS", 0.0)
    monkeypatch.setattr(fetch.time, "sleep", lambda s: None)
    s = StandIn({"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")}, polls=0)
    with respx.mock(assert_all_called=False) as router:
        s.routes(router)
        assert (
            main(
                [
                    "fetch",
                    "--period",
                    "2026-10",
                    "--marketplaces",
                    "US",
                    "--data",
                    str(tmp_path),
                    "--reports",
                    "inventory_ledger_summary",
                ]
            )
            == 0
        )
    err = capsys.readouterr().err
    assert re.search(
        r"\[US\] inventory_ledger_summary: written amazon/US/inventory_ledger_summary_2026-10\.txt",
        err,
    )
    assert main(["validate", str(tmp_path)]) == 0
    assert "amazon_ledger_summary" in capsys.readouterr().out


def test_report_with_fetch_fetches_then_builds_the_pack(tmp_path, monkeypatch, capsys):
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(fetch.time, "sleep", lambda s: None)
    s = StandIn({"GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8")}, polls=0)
    with respx.mock(assert_all_called=False) as router:
        s.routes(router)
        router.route(
            host__regex=r"^(127\.0\.0\.1|localhost)$"
        ).pass_through()  # the kernels' own sockets
        code = main(
            [
                "report",
                "--fetch",
                "--marketplaces",
                "US",
                "--period",
                "2026-10",
                "--data",
                str(tmp_path / "data"),
                "--out",
                str(tmp_path / "out"),
                "--only",
                "01",
            ]
        )
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "data" / "amazon" / "US" / "inventory_ledger_summary_2026-10.txt").exists()
    run = json.loads((tmp_path / "out" / "2026-10-31" / "run.json").read_text(encoding="utf-8"))
    assert [n["status"] for n in run["notebooks"]] == ["ok"] and ENV[
        "LWA_CLIENT_SECRET"
    ] not in json.dumps(run)


def test_ctrl_c_while_writing_leaves_no_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "amazon" / "US" / "inventory_ledger_summary_2026-10.txt"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch.write_whole(target, LEDGER.encode("utf-8"))
    assert list(target.parent.iterdir()) == []  # neither the file nor its temporary part
    monkeypatch.undo()
    digest = fetch.write_whole(target, LEDGER.encode("utf-8"))
    assert target.read_bytes() == LEDGER.encode("utf-8") and len(digest) == 64


def test_a_refused_login_stops_with_one_sentence_and_no_report(tmp_path, capsys, monkeypatch):
    got = None
    with pytest.raises(fetch.CredentialsRefused, match=r"refused the credentials \(invalid_grant"):
        got, _ = _run(tmp_path, StandIn({}, refuse_token=True))
    assert got is None and not (tmp_path / "amazon").exists()
    # on the command line: exit 2, the sentence, no traceback, no secret
    s = StandIn({}, refuse_token=True)
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("STOCKBOOK_SP_API_CONFIG", "/nonexistent")
    with respx.mock(assert_all_called=False) as router:
        s.routes(router)
        code = main(
            ["fetch", "--period", "2026-10", "--marketplaces", "US", "--data", str(tmp_path)]
        )
    err = capsys.readouterr().err
    assert code == 2 and "LWA_CLIENT_SECRET" in err and "Traceback" not in err
    assert ENV["LWA_CLIENT_SECRET"] not in err and ENV["SP_API_REFRESH_TOKEN"] not in err


def test_a_refused_request_a_dead_link_and_a_cut_download_are_said_and_the_rest_come(tmp_path):
    s = StandIn(
        {
            "GET_LEDGER_SUMMARY_VIEW_DATA": LEDGER.encode("utf-8"),
            "GET_FBA_REIMBURSEMENTS_DATA": b"x",
        },
        bad_request={"GET_STRANDED_INVENTORY_UI_DATA"},
        expired_link={"GET_FBA_REIMBURSEMENTS_DATA"},
        cut_short={"GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT"},
    )
    reports = ("stranded_inventory", "reimbursements", "restock", "inventory_ledger_summary")
    got, said = _run(tmp_path, s, reports=reports)
    assert [p.name for p in got.written] == ["inventory_ledger_summary_2026-10.txt"]
    assert len(got.failed) == 3
    assert "refused the request (HTTP 400: Report type not available in marketplace)" in said
    assert "download link answered HTTP 403; fetch it again" in said
    assert "came cut short or not gzip" in said
    files = sorted(p.name for p in (tmp_path / "amazon" / "US").iterdir())
    assert files == ["inventory_ledger_summary_2026-10.txt"]  # nothing half written


def test_no_connection_stops_once_instead_of_per_report(tmp_path):
    waits = []
    with respx.mock(assert_all_called=False) as router:
        router.post(TOKEN).mock(side_effect=httpx.ConnectError("Name or service not known"))
        with pytest.raises(fetch.CannotReachAmazon, match="cannot be reached from this machine"):
            fetch.fetch(
                tmp_path,
                period="2026-10",
                marketplaces=["US", "UK"],
                reports=["restock", "reimbursements"],
                environ=ENV,
                config=Path("/nonexistent"),
                sleep=waits.append,
                progress=fetch.Progress(stream=io.StringIO()),
            )
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0]  # one report's backoff, not four
