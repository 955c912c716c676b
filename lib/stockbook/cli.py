"""``stockbook report | fetch | history | sample | validate``.

Exit codes: 0 success; 1 a notebook failed (the report is still written);
2 bad usage, an unusable input, or (validate) a file that could not be read
(the message names file, line and column).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from stockbook.errors import StockbookError
from stockbook.i18n import LANGS


def _value(text: str) -> object:
    """A ``-p NAME=VALUE`` value as a Python literal if it is one, else as text (never code).

    >>> _value("0.7"), _value("abc"), _value("__import__('os')")
    (0.7, 'abc', "__import__('os')")
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _params(items: list[str]) -> dict[str, object]:
    out = {}
    for item in items:
        if "=" not in item:
            raise StockbookError(f"-p expects NAME=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = _value(v)
    return out


def _validate(folder: str | None, *, formats: bool, usage: argparse.ArgumentParser) -> int:
    """Print what a data folder holds: files recognised, files not used and why, the quarantine."""
    import pandas as pd

    from stockbook.io import load_folder
    from stockbook.io.formats import describe_formats

    if formats:
        print(describe_formats())
        return 0
    if not folder:
        usage.error("validate needs a data folder (or --formats)")
    data = load_folder(folder)
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.max_colwidth", 120
    ):
        read = data.describe()
        print(f"Recognised ({len(read)} files):")
        print(read.to_string(index=False) if len(read) else "  none")
        notes = data.files.loc[
            (data.files["status"] == "read") & (data.files["note"] != ""), ["file", "note"]
        ]
        if len(notes):
            print("\nWhat stockbook had to decide (check it is right):")
            for f in notes.itertuples():
                for n in str(f.note).split("; "):
                    print(f"  {f.file}: {n}")
        other = data.files.loc[data.files["status"] != "read", ["file", "status", "note"]]
        print(f"\nNot used ({len(other)} files):")
        print(other.to_string(index=False) if len(other) else "  none")
        q = data.quarantine
        print(f"\nQuarantined rows: {len(q)}")
        if len(q):
            print(
                q.groupby(["source_file", "reason"])
                .size()
                .rename("rows")
                .sort_values(ascending=False)
                .head(30)
                .to_string()
            )
    return 2 if data.errors else 0


def _history(out: str) -> int:
    """Print every pack under ``out`` with its key figures; write ``history.csv`` and ``history.png`` there."""
    import pandas as pd

    from stockbook import history, report

    packs = history.packs(out)
    if packs.empty:
        print(
            f"stockbook: no report packs in {out} (a pack is a dated folder with a run.json)",
            file=sys.stderr,
        )
        return 2
    keys = [k for _, k in report.KEY_CARDS if k in packs.columns]
    table = packs[["period_end", *keys]]
    table.to_csv(
        Path(out) / "history.csv", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    labels = {k: report.HEADLINE_LABELS[k][0] for k in keys}
    with pd.option_context(
        "display.width", 200, "display.max_columns", 30, "display.float_format", "{:,.2f}".format
    ):
        print(table.rename(columns=labels).set_index("period_end").T.to_string())
    chart = report.trend_chart(packs, currency=str(packs["currency"].iloc[-1]))
    if chart:
        (Path(out) / "history.png").write_bytes(chart)
    print(Path(out).resolve() / "history.csv")
    return 0


def _fetch(period: str | None, marketplaces: str, data: str, reports: str) -> int:
    """``stockbook fetch``: the period's reports of every marketplace from Amazon (``stockbook.fetch``); 0 when all
    came, 1 when some did not (each said), 2 for bad usage or no credentials."""
    from stockbook import fetch
    from stockbook.money import marketplace_list

    if not period:
        raise StockbookError("fetch needs --period YYYY-MM")
    try:
        codes = marketplace_list(marketplaces)
    except ValueError as exc:
        raise StockbookError(str(exc)) from exc
    got = fetch.fetch(
        data,
        period=period,
        marketplaces=codes,
        reports=None if reports in ("", "all") else [x.strip() for x in reports.split(",")],
    )
    print(
        f"{len(got.written)} reports written, {len(got.kept)} already there, {len(got.failed)} not fetched",
        file=sys.stderr,
    )
    return 1 if got.failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="stockbook", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = argparse.ArgumentDefaultsHelpFormatter

    r = sub.add_parser(
        "report", help="execute the notebooks into a dated report folder", formatter_class=d
    )
    r.add_argument("--period", help="report month YYYY-MM")
    r.add_argument("--data", default="data/sample", help="folder of exports and records")
    r.add_argument("--out", default="reports", help="where the dated folder is written")
    r.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="notebook parameter, repeatable",
    )
    r.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="language of the pages, charts, table headers and XLSX lists (zh: 中文)",
    )
    r.add_argument("--rerun", metavar="RUN_JSON", help="re-run a report from its run.json")
    r.add_argument("--force", action="store_true", help="replace an existing dated folder")
    r.add_argument(
        "--jobs", type=int, default=0, help="notebooks run side by side (0 = one per CPU core)"
    )
    r.add_argument(
        "--only",
        default="all",
        metavar="NN,NN",
        help="run only these notebooks (numbers or names, comma-separated); the others are listed "
        "as not run",
    )

    r.add_argument(
        "--fetch",
        action="store_true",
        help="fetch the period's reports from Amazon into --data first (stockbook fetch)",
    )
    r.add_argument(
        "--marketplaces", default="US", help="with --fetch: marketplace codes, comma-separated"
    )

    f = sub.add_parser(
        "fetch",
        help="download the month's reports from Amazon's Selling Partner API into a folder",
        formatter_class=d,
    )
    f.add_argument("--period", required=True, help="report month YYYY-MM")
    f.add_argument(
        "--marketplaces", default="US", help="marketplace codes, comma-separated (US,UK,DE,JP …)"
    )
    f.add_argument(
        "--data",
        required=True,
        help="the data folder the reports are written into (amazon/<code>/)",
    )
    f.add_argument(
        "--reports",
        default="all",
        help="report names, comma-separated (all: every one stockbook reads)",
    )

    h = sub.add_parser(
        "history",
        help="list the report packs in a folder with their key figures, and chart them",
        formatter_class=d,
    )
    h.add_argument(
        "--out", default="reports", help="the folder the packs were written to (report --out)"
    )

    s = sub.add_parser("sample", help="write the deterministic sample data set", formatter_class=d)
    s.add_argument("--out", default="data/sample", help="folder to write")
    s.add_argument("--seed", type=int, default=7, help="random seed")

    v = sub.add_parser(
        "validate",
        help="read a data folder and say what was recognised, before any analysis",
        formatter_class=d,
    )
    v.add_argument("data", nargs="?", help="folder of exports and records")
    v.add_argument(
        "--formats", action="store_true", help="list the formats stockbook reads and their headers"
    )

    args = ap.parse_args(argv)
    try:
        if args.cmd == "fetch" or (args.cmd == "report" and args.fetch):
            code = _fetch(
                args.period, args.marketplaces, args.data, getattr(args, "reports", "all")
            )
            if args.cmd == "fetch" or code:
                return code
        if args.cmd == "report":
            from stockbook import report

            params = _params(args.param)
            if args.lang != "en" or "lang" in params:
                params.setdefault("lang", args.lang)
            if args.rerun:
                path = report.rerun(
                    args.rerun,
                    overrides=params,
                    out=args.out if args.out != "reports" else None,
                    only=None if args.only == "all" else args.only,
                    force=args.force,
                )
            else:
                if not args.period:
                    ap.error("report needs --period (or --rerun)")
                path = report.build_report(
                    data_dir=args.data,
                    period=args.period,
                    out=args.out,
                    params=params,
                    force=args.force,
                    notebooks=report.select_notebooks(args.only),
                    jobs=args.jobs or None,
                )
            import json

            run = json.loads((path / "run.json").read_text(encoding="utf-8"))
            print(path / "index.html")
            if not run.get("usable_inputs", 1):
                print(
                    f"stockbook: no input in {run['data_dir']} could be used (see the refused files above and "
                    "in the index)",
                    file=sys.stderr,
                )
                return 2
            return 1 if any(n["status"] == "failed" for n in run["notebooks"]) else 0
        if args.cmd == "history":
            return _history(args.out)
        if args.cmd == "sample":
            from stockbook.sample import write_sample

            write_sample(args.out, seed=args.seed)
            print(Path(args.out).resolve())
            return 0
        if args.cmd == "validate":
            return _validate(args.data, formats=args.formats, usage=v)
    except StockbookError as exc:
        print(f"stockbook: {exc}", file=sys.stderr)
        return 2
    except (
        OSError
    ) as exc:  # a full disk, a folder that cannot be written: said plainly, not a traceback
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"stockbook: cannot write or read{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
