"""Run the notebooks with papermill and write the dated report folder.

``build_report(data_dir=..., period="2026-10")`` writes ``reports/2026-10-31/``:
``index.html`` (headline numbers, links, what was skipped and why), one HTML
and one executed ``.ipynb`` per notebook, ``tables/*.csv|xlsx`` (the action
lists), ``quarantine.csv`` and ``run.json`` (parameters, sha256 of every input,
package versions, timings). The folder is built beside its final place and
moved in when complete; an existing folder is replaced only with ``force``.
"""

from __future__ import annotations

import html
import json
import os
import platform
import re
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

# the kernel machinery is imported here, by the thread that imports this module, before any worker starts: two
# threads importing jupyter_client for the first time at once can deadlock on its modules' import locks, and
# Python then hands one of them a module half set up ("cannot import name 'AsyncKernelManager' from partially
# initialized module", 3 start-ups in 12 before; bench/startup_race.py)
from jupyter_client import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from stockbook import checks, display, engine, fees, history, i18n, money
from stockbook.errors import StockbookError
from stockbook.export import write_csv
from stockbook.io import load_folder
from stockbook.nbtools import declared_parameters

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"


@dataclass(frozen=True)
class NotebookSpec:
    """A report notebook: its file, title, the canonical tables it needs, and what provides them."""

    file: str
    title: str
    needs: tuple[str, ...]
    provided_by: str

    @property
    def stem(self) -> str:
        return Path(self.file).stem


NOTEBOOKS: tuple[NotebookSpec, ...] = (
    NotebookSpec(
        "01_ledger_reconciliation.ipynb",
        "Ledger reconciliation",
        ("ledger",),
        "an Amazon Inventory Ledger export (summary view) or a warehouse ledger (进销存)",
    ),
    NotebookSpec(
        "02_abc_pareto.ipynb",
        "ABC / Pareto and XYZ",
        ("sales|ledger",),
        "a sales export (ERP daily sales or Amazon All Orders) or an Inventory Ledger",
    ),
    NotebookSpec(
        "03_turnover.ipynb",
        "Turnover, cover and cash tied up",
        ("ledger",),
        "an Amazon Inventory Ledger export or a warehouse ledger, with the SKU master for unit cost",
    ),
    NotebookSpec(
        "04_aging_clearance.ipynb",
        "Aging and clearance",
        ("ledger:fba|fba_inventory",),
        "Amazon's FBA Inventory report, or an Amazon Inventory Ledger (the SKU master adds volume, size "
        "tier and price)",
    ),
    NotebookSpec(
        "05_replenishment.ipynb",
        "Replenishment",
        ("sales|ledger",),
        "a sales export (daily, with FBA stock) or an Inventory Ledger (the SKU master adds case pack, "
        "MOQ and cost)",
    ),
    NotebookSpec(
        "06_reimbursements.ipynb",
        "Reimbursements",
        ("ledger:fba|reimbursements",),
        "an Amazon Inventory Ledger and the Reimbursements report (the shipments file, the FBA customer "
        "returns report and a transaction export with refunds add their checks)",
    ),
)

#: held while a thread imports papermill or nbconvert for the first time (they share nbclient and its imports)
HEAVY_IMPORTS = threading.Lock()

#: the headline numbers shown on the index, per notebook: key -> (label, format)
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "breaks": ("ledger breaks (all history)", "{:,}"),
    "breaks_this_month": ("breaks in the report month", "{:,}"),
    "break_value": ("value of breaks at cost", "{:,.2f}"),
    "inbound_shortfall_units": ("units short on closed inbound shipments", "{:,}"),
    "count_differences": ("counts that differ from book", "{:,}"),
    "mapping_problems": ("SKUs with mapping problems", "{:,}"),
    "skus_missing_from_master": ("ledger SKUs missing from the SKU master", "{:,}"),
    "actions": ("problems to investigate in the ledgers", "{:,}"),
    "a_skus": ("A-class SKUs", "{:,}"),
    "a_sku_share": ("share of SKUs in class A", "{:.0%}"),
    "a_value_share": ("share of revenue from class A", "{:.0%}"),
    "dead_stock_skus": ("SKUs with stock and no sale in the window", "{:,}"),
    "dead_stock_value": ("value of that dead stock at cost", "{:,.2f}"),
    "turnover_annual": ("inventory turnover per year", "{:.2f}×"),
    "days_of_inventory": ("days of inventory", "{:,.0f}"),
    "cash_tied_up": ("cash tied up in stock at cost", "{:,.2f}"),
    "skus_stock_without_cost": (
        "SKUs holding stock without a known unit cost (not in the cash tied up)",
        "{:,}",
    ),
    "dead_stock_skus_90d": ("dead stock SKUs (no sale in 90 days)", "{:,}"),
    "dead_stock_skus_data": ("dead stock SKUs (no sale on any day of the sales data)", "{:,}"),
    "dead_stock_days_seen": ("days of sales data the dead-stock count is said of", "{:,}"),
    "a_units_share": ("share of units sold from class A", "{:.0%}"),
    "a_gross_profit_share": ("share of gross profit from class A", "{:.0%}"),
    "a_cogs_share": ("share of cost of sales from class A", "{:.0%}"),
    "under_covered_skus": ("SKUs under the cover band", "{:,}"),
    "over_covered_skus": ("SKUs over the cover band", "{:,}"),
    "ipi_excess_share": ("IPI: share of FBA units in excess", "{:.1%}"),
    "ipi_excess_share_change": ("IPI: excess share, change since last month", "{:+.1%}"),
    "ipi_sell_through": ("IPI: sell-through (90 days)", "{:.2f}"),
    "ipi_sell_through_change": ("IPI: sell-through, change since last month", "{:+.2f}"),
    "ipi_in_stock_rate": ("IPI: in-stock rate (30 days)", "{:.1%}"),
    "ipi_in_stock_rate_change": ("IPI: in-stock rate, change since last month", "{:+.1%}"),
    "fba_units": ("units at FBA", "{:,}"),
    "aged_units_181_plus": ("FBA units aged 181+ days", "{:,}"),
    "storage_fee_next_month": ("storage fee next month", "{:,.2f}"),
    "surcharge_exposure_90d": ("aged surcharge on all FBA stock in the next 90 days", "{:,.2f}"),
    "skus_to_clear": ("aged SKUs to clear", "{:,}"),
    "cash_from_clearing": ("cash from clearing them", "{:,.2f}"),
    "fees_avoided": (
        "storage and surcharge the recommended clearances avoid (keep-or-clear horizon)",
        "{:,.2f}",
    ),
    "skus_volume_unknown": (
        "SKUs at FBA without a volume (their storage fees cannot be projected)",
        "{:,}",
    ),
    "skus_to_order_now": ("SKUs to reorder now", "{:,}"),
    "skus_at_risk": ("SKUs at risk of stock-out before the next arrival", "{:,}"),
    "cash_needed": ("cash needed for orders and freight", "{:,.2f}"),
    "units_by_air": ("units to send by air", "{:,}"),
    "units_on_order": ("units on order with suppliers (open purchase orders)", "{:,}"),
    "lines_at_a_loss": ("order lines that would sell at a loss", "{:,}"),
    "lines_cost_unknown": (
        "purchase lines whose goods cost is unknown (not in the cash needed)",
        "{:,}",
    ),
    "lines_margin_unknown": ("order lines whose margin is unknown (no price or cost)", "{:,}"),
    "claims_to_file": ("reimbursement cases to file now", "{:,}"),
    "recoverable_now": ("money Amazon owes, to claim now", "{:,.2f}"),
    "claims_opening_later": ("cases whose claim window opens later", "{:,}"),
    "claims_waiting": (
        "losses younger than Amazon's waiting period (it pays or finds most)",
        "{:,}",
    ),
    "reimbursed_this_month": ("reimbursed by Amazon in the report month", "{:,.2f}"),
    "lost_to_expired_windows": ("money lost to closed reimbursement windows", "{:,.2f}"),
}

#: each notebook's share of the sample pack's time (seconds measured by bench/pack_speed.py): the order the
#: workers take them in
NOTEBOOK_WEIGHT = {
    "03_turnover": 9.1,
    "05_replenishment": 7.2,
    "04_aging_clearance": 5.9,
    "01_ledger_reconciliation": 4.8,
    "02_abc_pareto": 3.0,
    "06_reimbursements": 2.7,
}

PACKAGES = (
    "stockbook",
    "pandas",
    "numpy",
    "duckdb",
    "ibis-framework",
    "papermill",
    "nbconvert",
    "matplotlib",
    "openpyxl",
)


def select_notebooks(only: str = "all") -> tuple[NotebookSpec, ...]:
    """The notebooks named in ``only`` ("all", or numbers/stems separated by commas).

    >>> [nb.stem for nb in select_notebooks("1,03")]
    ['01_ledger_reconciliation', '03_turnover']
    """
    if not only or only == "all":
        return NOTEBOOKS
    wanted = [w.strip() for w in str(only).split(",") if w.strip()]
    picked = [
        nb
        for nb in NOTEBOOKS
        if any(nb.stem == w or nb.stem.split("_")[0] == w.zfill(2) for w in wanted)
    ]
    unknown = [
        w
        for w in wanted
        if not any(nb.stem == w or nb.stem.split("_")[0] == w.zfill(2) for nb in picked)
    ]
    if unknown:
        raise StockbookError(
            f"unknown notebook {unknown[0]!r}; expected one of "
            + ", ".join(nb.stem for nb in NOTEBOOKS)
        )
    return tuple(picked)


def period_end_of(period: str) -> pd.Timestamp:
    """Last day of a ``YYYY-MM`` period; anything else is refused (``2026-1`` would end on 1 January).

    >>> str(period_end_of("2026-02").date())
    '2026-02-28'
    >>> period_end_of("2026-1")
    Traceback (most recent call last):
    ...
    stockbook.errors.StockbookError: --period '2026-1' is not a month written YYYY-MM (e.g. 2026-01)
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(period)):
        raise StockbookError(f"--period {period!r} is not a month written YYYY-MM (e.g. 2026-01)")
    return (pd.Timestamp(period + "-01") + pd.offsets.MonthEnd(0)).normalize()


def plan_notebooks(
    data,
    notebooks: tuple[NotebookSpec, ...] = NOTEBOOKS,
    *,
    period_end: str | pd.Timestamp | None = None,
) -> list[tuple[NotebookSpec, str]]:
    """Each notebook with "" when the data folder has what it needs, else why it is skipped and which
    file would enable it. With ``period_end``, notebook 04 is skipped for a day before the fee tables start."""
    out = []
    first_fees = fees.first_in_force(fees.load_fee_tables()) if period_end is not None else None
    for nb in notebooks:
        missing = [
            t.replace("|", " or ").replace("ledger:fba", "FBA ledger")
            for t in nb.needs
            if not any(data.has(x) for x in t.split("|"))
        ]
        why = f"no {', '.join(missing)} table in the data; add {nb.provided_by}" if missing else ""
        if (
            not why
            and nb.stem == "04_aging_clearance"
            and first_fees is not None
            and pd.Timestamp(period_end) < first_fees
        ):
            why = (
                f"Amazon's storage and surcharge tables in data/fees start on {first_fees:%Y-%m-%d}, after "
                f"{pd.Timestamp(period_end):%Y-%m-%d}: add that year's fee tables to data/fees"
            )
        out.append((nb, why))
    return out


def check_parameters(
    params: dict[str, object], notebooks: tuple[NotebookSpec, ...] = NOTEBOOKS
) -> None:
    """Refuse a ``-p`` name no notebook declares (a misspelt ``tolerence_units`` must not pass silently)."""
    declared: set[str] = {"lang"}
    for nb in notebooks:
        if (NOTEBOOK_DIR / nb.file).exists():
            declared |= set(declared_parameters(NOTEBOOK_DIR / nb.file))
    declared -= {"data_dir", "output_dir", "period_end", "as_of"}  # set by the report itself
    unknown = sorted(set(params) - declared)
    if unknown:
        raise StockbookError(
            f"unknown parameter {unknown[0]!r}"
            + (f" (and {', '.join(unknown[1:])})" if unknown[1:] else "")
            + "; the notebooks take: "
            + ", ".join(sorted(declared))
        )


@contextmanager
def _lock(final: Path) -> Iterator[None]:
    """One report at a time into one dated folder: a second run waits for nothing and is refused."""
    final.parent.mkdir(parents=True, exist_ok=True)
    lock = final.parent / f".{final.name}.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
                os.kill(pid, 0)
            except (ValueError, ProcessLookupError, OSError):
                lock.unlink(missing_ok=True)  # its writer is gone: the lock is stale
                continue
            raise StockbookError(
                f"another stockbook report (process {pid}) is writing {final}; wait for it, "
                "or use another --out"
            ) from None
    else:
        raise StockbookError(f"cannot take the lock {lock}")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        lock.unlink(missing_ok=True)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def build_report(
    *,
    data_dir: str | Path,
    period: str,
    out: str | Path = "reports",
    params: dict[str, object] | None = None,
    force: bool = False,
    notebooks: tuple[NotebookSpec, ...] = NOTEBOOKS,
    jobs: int | None = None,
    log=print,
    progress: bool | None = None,
) -> Path:
    """Execute the notebooks for ``period`` on ``data_dir`` and write the dated report folder.

    ``params["lang"]`` ("en" or "zh") sets the language of the pages and of the index.
    ``progress``: a live bar on standard error (None: only when it is a terminal);
    one line per finished notebook goes to ``log`` either way.
    """
    lang = i18n.check_language(str((params or {}).get("lang", "en")))
    check_parameters({k: v for k, v in (params or {}).items()}, NOTEBOOKS)
    data_dir = Path(data_dir).resolve()
    end = period_end_of(period)
    final = Path(out).resolve() / f"{end:%Y-%m-%d}"
    if final.exists() and not force:
        raise StockbookError(f"{final} exists; pass --force to replace it")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(notebooks)))
    # each kernel's DuckDB gets an equal share of the memory limit, so the kernels together stay within it
    kernel_memory = engine.memory_share(engine.MEMORY_LIMIT, workers)
    # the kernels start (and import the stack) while this process reads the folder
    # the pages are converted on a thread of their own, so a worker's kernel takes its next notebook at once
    with (
        _environment(STOCKBOOK_MEMORY_LIMIT=kernel_memory, STOCKBOOK_REUSE_READING="1"),
        WarmKernels() as kernels,
        ThreadPoolExecutor(max_workers=workers) as pool,
        ThreadPoolExecutor(max_workers=1) as pages,
    ):
        for _ in range(workers):
            pool.submit(kernels.warm)
        pages.submit(_html_exporter)  # nbconvert imported and its templates set up meanwhile
        with _lock(final):
            return _run_pack(
                data_dir=data_dir,
                period=period,
                end=end,
                final=final,
                params=params,
                lang=lang,
                notebooks=notebooks,
                log=log,
                progress=progress,
                kernels=kernels,
                pool=pool,
                pages=pages,
            )


def _run_pack(
    *,
    data_dir: Path,
    period: str,
    end: pd.Timestamp,
    final: Path,
    params: dict[str, object] | None,
    lang: str,
    notebooks: tuple[NotebookSpec, ...],
    log,
    progress: bool | None,
    kernels: WarmKernels,
    pool: ThreadPoolExecutor,
    pages: ThreadPoolExecutor,
) -> Path:
    """Read the folder, run the notebooks on ``pool``'s workers in ``kernels`` and write the pack."""
    with HEAVY_IMPORTS:  # imported here, not at the top: 2 s the warm kernels use to start
        import papermill as pm

    tmp = final.parent / f".{final.name}.tmp-{os.getpid()}"
    _remove_abandoned(final)
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "tables").mkdir(parents=True)
    t0 = time.perf_counter()
    data = load_folder(data_dir)
    inputs = data.files.loc[
        data.files["status"] != "ignored",
        ["file", "sha256", "status", "format", "rows_in", "rows_kept", "rows_quarantined", "note"],
    ]
    for f in inputs.loc[inputs["status"] == "error"].itertuples():
        log(f"refused {f.file}: {f.note}")
    write_csv(data.quarantine, tmp / "quarantine.csv")
    currency = str((params or {}).get("reporting_currency", "USD"))
    try:  # the rate of each currency the data is written in, on the report's day (run.json and the index)
        used = money.rates_used(data, currency=currency, on=end)
        fx = [
            {k: (str(v.date()) if hasattr(v, "date") else v) for k, v in r.items()}
            for r in used.to_dict(orient="records")
        ]
    except StockbookError as exc:  # said in the index; the notebooks that need the rate say it too
        fx = [{"error": str(exc)}]
    base = {
        "data_dir": str(data_dir),
        "period_end": f"{end:%Y-%m-%d}",
        "output_dir": str(tmp / "tables"),
    }
    user = dict(params or {})
    todo: list[tuple[int, NotebookSpec, dict[str, object]]] = []
    results: list[dict[str, object] | None] = [None] * len(notebooks)
    for i, (nb, why) in enumerate(plan_notebooks(data, notebooks, period_end=end)):
        if why:
            results[i] = {"notebook": nb.stem, "title": nb.title, "status": "skipped", "why": why}
            log(f"skip  {nb.stem}: {why.split(';')[0]}")
            continue
        todo.append((i, nb, _accepted(NOTEBOOK_DIR / nb.file, {**base, **user})))

    def run_one(nb: NotebookSpec, params_nb: dict[str, object]) -> dict[str, object]:
        t1 = time.perf_counter()
        status, why = "ok", ""
        try:
            pm.execute_notebook(
                # no cwd: papermill would chdir the whole process, which races between threads; every
                # path a notebook gets from the report is absolute
                str(NOTEBOOK_DIR / nb.file),
                str(tmp / nb.file),
                parameters=params_nb,
                progress_bar=False,
                kernel_name="python3",
                log_output=False,
                km=kernels.get(),
                request_save_on_cell_execute=False,  # written once at the end, not after each of its cells
                extra_arguments=[
                    "--log-level=ERROR"
                ],  # the kernel's start-up chatter is not for the user
            )
        except Exception as exc:  # papermill raises PapermillExecutionError and kernel errors
            status, why = (
                "failed",
                str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else repr(exc),
            )
        converted.append(pages.submit(_to_html, tmp / nb.file, tmp / f"{nb.stem}.html", lang=lang))
        return {
            "notebook": nb.stem,
            "title": nb.title,
            "status": status,
            "why": why,
            "seconds": round(time.perf_counter() - t1, 1),
            "parameters": params_nb,
        }

    converted: list = []

    # the notebooks are independent: run them side by side, one kernel per core
    with _progress_bar(len(todo), progress) as bar:
        # the longest notebooks first, so that the two workers finish together
        order = sorted(todo, key=lambda t: -NOTEBOOK_WEIGHT.get(t[1].stem, 1))
        futures = {pool.submit(run_one, nb, params_nb): i for i, nb, params_nb in order}
        for done, fut in enumerate(as_completed(futures), 1):
            r = fut.result()
            results[futures[fut]] = r
            line = progress_line(done, len(todo), r, time.perf_counter() - t0)
            if bar is not None:
                bar.update(1)
                bar.write(line)
            else:
                log(line)
    for page_done in converted:
        page_done.result()
    shared = display.write_assets(tmp)  # DataTables once for every page of the pack
    with i18n.speaking(
        lang
    ):  # every page: its own title, a bar to the index and the other pages, alt text
        pages = [
            (r["notebook"], i18n.tr(r["title"])) for r in results if r and r["status"] != "skipped"
        ]
        for stem, _ in pages:
            page = tmp / f"{stem}.html"
            if page.exists():
                page.write_text(
                    page_chrome(
                        page.read_text(encoding="utf-8"),
                        current=stem,
                        pages=pages,
                        index_label=i18n.tr("Index"),
                        lang=lang,
                        shared_assets=shared,
                    ),
                    encoding="utf-8",
                )
    headlines = _read_headlines(tmp / "tables")
    self_checks = checks.read_checks(tmp / "tables")
    self_checks["inputs"] = [asdict(f) for f in checks.input_notes(inputs)]
    run = {
        "period": period,
        "only": ",".join(nb.stem.split("_")[0] for nb in notebooks)
        if notebooks != NOTEBOOKS
        else "all",
        "period_end": f"{end:%Y-%m-%d}",
        "data_dir": str(data_dir),
        "parameters": user,
        "inputs": inputs.to_dict(orient="records"),
        "fx_rates": fx,
        "usable_inputs": int((inputs["status"] == "read").sum()),
        "quarantined_rows": int(len(data.quarantine)),
        "notebooks": [
            {k: v for k, v in r.items() if k != "parameters"} | {"parameters": _rel_params(r)}
            for r in results
        ],
        "headlines": headlines,  # what the next pack compares with
        "checks": self_checks,  # each headline against its independent route (warnings are on the index)
        "versions": versions(),
        "seconds": round(time.perf_counter() - t0, 1),
        "created": pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (tmp / "run.json").write_text(
        json.dumps(run, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    changes, trend = _since_last_pack(final, run, tmp / "tables", headlines, log=log)
    with i18n.speaking(lang):
        page = _index_html(
            run,
            results,
            headlines,
            tmp / "tables",
            changes=changes,
            trend=trend,
            shared_assets=shared,
        )
    (tmp / "index.html").write_text(page, encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    return final


class WarmKernels:
    """One Python kernel per worker thread, kept for the worker's next notebook: the stack (pandas, DuckDB,
    Ibis, matplotlib, stockbook) is imported once per worker instead of once per notebook.

    Before a kernel takes its next notebook its namespace is cleared (``%reset -f``) and its figures
    closed, so a notebook sees only its own variables, as in a fresh kernel; every notebook sets its own
    language, table display and pandas options. A kernel that died is replaced by a new one. nbval still
    runs each notebook in a fresh kernel.
    """

    RESET = "get_ipython().run_line_magic('reset', '-f')\nimport matplotlib.pyplot\nmatplotlib.pyplot.close('all')"

    WARM = (
        "import matplotlib.pyplot, pandas\n"
        "from stockbook import abc, aging, display, i18n, ledger, plots, reimburse, replenish, stock, turnover\n"
        "from stockbook.io import load_folder"
    )

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[object] = []
        self._lock = threading.Lock()

    def __enter__(self) -> WarmKernels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self):
        """The calling thread's kernel manager, its namespace cleared (papermill starts it on first use)."""
        km = getattr(self._local, "km", None)
        if km is not None and not (km.has_kernel and run_sync(km.is_alive)()):
            self._shutdown(km)
            km = None
        if km is None:
            km = AsyncKernelManager(kernel_name="python3")
            self._local.km = km
            with self._lock:
                self._all.append(km)
            return km
        self._reset(km)
        return km

    def warm(self) -> None:
        """Start the calling thread's kernel and import the stack in it (what every notebook's first cell does)."""
        km = self.get()
        if not km.has_kernel:
            run_sync(km.start_kernel)(extra_arguments=["--log-level=ERROR"])
        self._run(km, self.WARM)

    def _reset(self, km) -> None:
        self._run(km, self.RESET)

    @staticmethod
    def _run(km, code: str) -> None:
        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive(code, timeout=120, silent=True, store_history=False)
        finally:
            kc.stop_channels()

    @staticmethod
    def _shutdown(km) -> None:
        try:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # a kernel already gone: nothing to stop
            pass

    def close(self) -> None:
        """Stop every kernel started."""
        with self._lock:
            kms, self._all = self._all, []
        for km in kms:
            self._shutdown(km)


def _since_last_pack(
    final: Path, run: dict, tables: Path, headlines: dict[str, dict[str, object]], *, log
) -> tuple[history.Changes | None, pd.DataFrame]:
    """The comparison with the latest earlier pack in the same ``--out`` folder (None when there is none or
    it cannot be read), and every pack's headline numbers with this one's, oldest first."""
    before = history.previous_pack(final.parent, period_end=run["period_end"])
    changes = None
    if before is not None:
        try:
            changes = history.compare_packs(before, tables=tables, headlines=headlines)
        except (
            OSError,
            ValueError,
            KeyError,
        ) as exc:  # a damaged earlier pack: said, and the index is written
            log(f"could not compare with the pack in {before}: {exc}")
    now = {k: v for numbers in headlines.values() for k, v in numbers.items()}
    trend = history.packs(final.parent)
    trend = trend.loc[trend["period_end"] != run["period_end"]]
    trend = pd.concat(
        [trend, pd.DataFrame([{"period_end": run["period_end"], "pack": str(final), **now}])],
        ignore_index=True,
    )
    return changes, trend


def progress_line(
    done: int, total: int, result: dict[str, object], elapsed: float, *, width: int = 20
) -> str:
    """One line per finished notebook: a text bar, the count, status, name, its time and the time so far.

    >>> progress_line(2, 5, {"status": "ok", "notebook": "02_abc_pareto", "seconds": 14.2}, 31.4)
    '[########............] 2/5 ok     02_abc_pareto (14.2 s) · 31 s elapsed'
    """
    filled = round(width * done / max(total, 1))
    return (
        f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {result['status']:6} {result['notebook']} "
        f"({float(result['seconds']):.1f} s) · {elapsed:.0f} s elapsed"
    )


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables (which the kernels started inside inherit) and restore them after."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def _progress_bar(total: int, progress: bool | None) -> Iterator[object | None]:
    """A tqdm bar with elapsed time on standard error, or None when not wanted (not a terminal)."""
    import sys

    from tqdm import tqdm

    if progress is False or (progress is None and not sys.stderr.isatty()) or total == 0:
        yield None
        return
    with tqdm(
        total=total,
        unit="notebook",
        desc="report",
        file=sys.stderr,
        dynamic_ncols=True,
        bar_format="{desc}: {bar} {n_fmt}/{total_fmt} notebooks [{elapsed} elapsed]",
    ) as bar:
        yield bar


def _remove_abandoned(final: Path) -> None:
    """Delete half-built folders of ``final`` whose builder process is gone (killed mid-run)."""
    for old in final.parent.glob(f".{final.name}.tmp-*"):
        try:
            pid = int(old.name.rsplit("-", 1)[1])
            os.kill(pid, 0)  # still running: leave it alone
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


def _rel_params(r: dict) -> dict:
    p = dict(r.get("parameters", {}))
    p.pop("output_dir", None)
    return p


def _accepted(notebook: Path, params: dict[str, object]) -> dict[str, object]:
    """The user's parameters that this notebook declares (others are for other notebooks)."""
    declared = declared_parameters(notebook)
    params = dict(params)
    if "as_of" in declared and "period_end" not in declared and "as_of" not in params:
        params["as_of"] = params.get("period_end")  # notebooks that look at one day call it as_of
    return {k: v for k, v in params.items() if k in declared and v is not None}


def rerun(
    run_json: str | Path,
    *,
    overrides: dict[str, object],
    out: str | Path | None = None,
    force: bool = False,
    only: str | None = None,
    log=print,
) -> Path:
    """Re-run a report from its ``run.json`` with some parameters changed; warns when an input changed."""
    from stockbook.io import sha256_of

    run_json = Path(run_json)
    run = json.loads(run_json.read_text(encoding="utf-8"))
    data_dir = Path(run["data_dir"])
    for f in run["inputs"]:
        p = data_dir / f["file"]
        if not p.exists():
            log(f"warning: input {f['file']} is gone since the run")
        elif sha256_of(p) != f["sha256"]:
            log(f"warning: input {f['file']} changed since the run")
    params = {**run.get("parameters", {}), **overrides}
    return build_report(
        data_dir=data_dir,
        period=run["period"],
        out=out or run_json.parent.parent,
        params=params,
        force=force,
        notebooks=select_notebooks(only or run.get("only", "all")),
        log=log,
    )


_EXPORTERS = threading.local()


def _html_exporter():
    """The calling thread's nbconvert exporter (setting its templates up costs more than a page)."""
    with (
        HEAVY_IMPORTS
    ):  # nbconvert and papermill share nbclient: never imported by two threads at once
        from nbconvert import HTMLExporter

    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        exporter = _EXPORTERS.html = HTMLExporter(
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
        )
    return exporter


def _to_html(ipynb: Path, target: Path, *, lang: str = "en") -> None:
    """The page of an executed notebook, without code; in Chinese the narrative is swapped first."""
    import nbformat

    if not ipynb.exists():
        target.write_text(
            "<!doctype html><p>The notebook did not start; see run.json.</p>", encoding="utf-8"
        )
        return
    nb = nbformat.read(str(ipynb), as_version=4)
    if lang != "en":
        i18n.localize_notebook(nb, lang)
        nbformat.write(nb, str(ipynb))
    for (
        cell
    ) in nb.cells:  # papermill gives its injected cell a random id; the page must not change by run
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    body, _ = _html_exporter().from_notebook_node(nb)
    target.write_text(strip_external_scripts(body), encoding="utf-8")


_NAV_CSS = (
    "<style>.sb-nav{position:sticky;top:0;z-index:10;background:#f6f8fa;border-bottom:1px solid #ddd;"
    "padding:.45rem 1rem;font:14px -apple-system,'Segoe UI',Roboto,'Noto Sans CJK SC',sans-serif}"
    ".sb-nav a{margin-right:1.1rem;color:#0b5cad;text-decoration:none}.sb-nav a.here{font-weight:600;"
    "color:#222}</style>"
)


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment (tags and nbconvert's ¶ anchors dropped)."""
    return html.unescape(
        re.sub(r"<[^>]+>", "", re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", fragment))
    ).strip()


def page_chrome(
    page: str,
    *,
    current: str,
    pages: list[tuple[str, str]],
    index_label: str = "Index",
    lang: str = "en",
    shared_assets: bool = True,
) -> str:
    """A notebook page made part of the pack: its ``<title>`` is its own first heading with the question it
    answers (the first sentence after "What this answers."), a bar on top links the index and every other
    page, and each chart's image says what it shows (the heading of its section) instead of nbconvert's "No
    description has been provided".

    >>> p = ('<html><head><title>Notebook</title></head><body><h1>05 · Replenishment<a class="anchor-link" '
    ...      'href="#x">¶</a></h1><h2>Cover against lead time</h2>'
    ...      '<img alt="No description has been provided for this image" src="data:image/png;base64,AA"></body></html>')
    >>> out = page_chrome(p, current="05_replenishment", pages=[("01_ledger", "Ledger"), ("05_replenishment", "Plan")])
    >>> "<title>05 · Replenishment — stockbook</title>" in out, 'href="index.html"' in out, 'class="here"' in out
    (True, True, True)
    >>> asked = p.replace("<h2>", "<p><strong>What this answers.</strong> What must I buy? And when.</p><h2>")
    >>> re.search(r"<title>.*</title>", page_chrome(asked, current="05", pages=[])).group(0)
    '<title>05 · Replenishment: What must I buy? — stockbook</title>'
    >>> 'alt="Chart: Cover against lead time"' in out
    True
    """
    e = html.escape
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", page, flags=re.S)
    # the tab says what the page answers: its heading and the first sentence of its "What this answers."
    asks = re.search(
        r"<strong>(?:What this answers\.|回答什么问题。)</strong>(.*?)</p>", page, flags=re.S
    )
    question = (
        re.split(r"(?<=[?？。])|(?<=\.)\s|[:：]", _text(asks.group(1)), maxsplit=1)[0].strip()
        if asks
        else ""
    )
    title = (
        (_text(h1.group(1)) if h1 else current)
        + (f": {question}" if question else "")
        + " — stockbook"
    )
    page = re.sub(r"<title>.*?</title>", f"<title>{e(title)}</title>", page, count=1, flags=re.S)
    page = re.sub(
        r'<html lang="[^"]*"', f'<html lang="{"zh-CN" if lang == "zh" else "en"}"', page, count=1
    )
    here = ' class="here" aria-current="page"'
    links = [f'<a href="index.html">{e(index_label)}</a>'] + [
        f'<a href="{e(stem)}.html"{here if stem == current else ""}>{e(label)}</a>'
        for stem, label in pages
    ]
    nav = f'<nav class="sb-nav" aria-label="stockbook report">{"".join(links)}</nav>'
    page = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + nav, page, count=1)
    page = page.replace("</head>", _NAV_CSS + "</head>", 1)
    if (
        "sb-long" in page
    ):  # searchable, sortable, paginated long tables (DataTables embedded: no network)
        page = page.replace(
            "</body>", display.page_script(shared_assets=shared_assets) + "</body>", 1
        )
    out, heading, pos = [], "", 0
    for m in re.finditer(
        r'<h[1-3]\b[^>]*>(.*?)</h[1-3]>|alt="No description has been provided for this image"',
        page,
        flags=re.S,
    ):
        out.append(page[pos : m.start()])
        if m.group(0).startswith("<h"):
            heading = _text(m.group(1))
            out.append(m.group(0))
        else:
            out.append(f'alt="{e("Chart: " + heading if heading else "Chart")}"')
        pos = m.end()
    out.append(page[pos:])
    return "".join(out)


def strip_external_scripts(page: str) -> str:
    """Drop the CDN scripts nbconvert's template adds (require.js, MathJax, Mermaid).

    The report pages are static tables and PNG charts: they need none of them, and a
    report must open offline and load nothing from the network.

    >>> strip_external_scripts('<p>x</p><script src="https://cdn/x.js"></script><script>var a;</script>')
    '<p>x</p><script>var a;</script>'
    """
    page = re.sub(r'<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", page)
    return re.sub(
        r"<script\b[^>]*>(?:(?!</script>).)*?https?://cdn(?:(?!</script>).)*</script>",
        "",
        page,
        flags=re.S,
    )


def _read_headlines(tables: Path) -> dict[str, dict[str, object]]:
    out = {}
    for p in sorted(tables.glob("headlines_*.json")):
        out[p.stem.removeprefix("headlines_")] = json.loads(p.read_text(encoding="utf-8"))
        p.unlink()
    return out


def write_headlines(name: str, numbers: dict[str, object], tables_dir: str | Path | None) -> None:
    """Called by a notebook: hand its headline numbers to the report index."""
    if not tables_dir or str(tables_dir) == "none":
        return
    Path(tables_dir).mkdir(parents=True, exist_ok=True)
    (Path(tables_dir) / f"headlines_{name}.json").write_text(
        json.dumps(numbers, sort_keys=True), encoding="utf-8"
    )


_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans CJK SC',sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem;line-height:1.4}h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.card{border:1px solid #ddd;border-radius:8px;
padding:.7rem 1rem;min-width:160px;color:inherit;text-decoration:none}.card b{display:block;font-size:1.5rem}
.card span{color:#555;font-size:.85rem}a.card:hover{border-color:#888}.small .card b{font-size:1.1rem}
ol.todo li{margin:.35rem 0}table{border-collapse:collapse;margin:.5rem 0}img.trend{max-width:100%}
td,th{border-bottom:1px solid #eee;padding:.3rem .8rem;text-align:left}th{white-space:nowrap}details{margin:.4rem 0}
.skipped{color:#8a6d3b}.failed{color:#b00020}@media print{.cards{break-inside:avoid}details{display:block}}
"""

#: the lists a seller acts on, in the order of the to-do list, named in words (the index's "Action lists")
ACTION_LISTS: dict[str, str] = {
    "purchase_plan": "Purchase plan: what to buy and ship, when, how much, by air or by sea",
    "reimbursement_claims": "Reimbursement cases to file with Amazon",
    "claims_and_investigations": "Problems to investigate in the ledgers",
    "aging_actions": "Aged stock: keep, discount or clear",
    "dead_stock": "Dead stock: stock with no sale",
    "mapping_problems": "SKU mapping problems to fix in the SKU master",
    "under_covered": "SKUs under the cover band: top up",
    "over_covered": "SKUs over the cover band: cash tied up",
    "ledger_breaks": "Ledger breaks to explain",
}
#: the other tables of a pack (what the pages show, for a spreadsheet), named in words
DATA_TABLES: dict[str, str] = {
    "abc": "ABC classes per SKU",
    "abc_xyz_matrix": "ABC–XYZ matrix and its policies",
    "turnover": "Turnover per SKU",
    "aging_buckets": "Units per age bucket",
    "aging_projection": "Holding cost over 30, 60, 90 days",
    "replenishment_policy": "Replenishment policy per SKU",
    "restock_check": "Against Amazon's Restock report",
    "backtest": "Weekly replay against other rules",
    "expired_reimbursement_claims": "Reimbursement cases whose window closed",
    "removal_shortfalls": "Removal orders short of their units",
    "disposed_without_order": "Units disposed of without a disposal order",
    "fee_overcharges": "Fulfilment fees above the fee tables' (ask for a re-measurement)",
    "inbound_pairs": "Shipments with one SKU short and another over",
}

#: the cards the index opens with, in this order: (notebook, headline key)
KEY_CARDS: tuple[tuple[str, str], ...] = (
    ("01_ledger_reconciliation", "break_value"),
    ("01_ledger_reconciliation", "breaks"),
    ("02_abc_pareto", "a_value_share"),
    ("02_abc_pareto", "a_units_share"),
    ("03_turnover", "turnover_annual"),
    ("03_turnover", "cash_tied_up"),
    ("04_aging_clearance", "surcharge_exposure_90d"),
    ("04_aging_clearance", "storage_fee_next_month"),
    ("05_replenishment", "skus_to_order_now"),
    ("05_replenishment", "skus_at_risk"),
    ("05_replenishment", "cash_needed"),
    ("06_reimbursements", "recoverable_now"),
)


def _fmt(key: str, value: object, currency: str) -> tuple[str, str]:
    """A headline's value and label; an amount of money carries the report's currency (fees included: each
    marketplace's fee tables are converted to it).

    >>> _fmt("break_value", 1234.5, "CNY"), _fmt("breaks", 6, "CNY")
    (('1,234.50 CNY', 'value of breaks at cost'), ('6', 'ledger breaks (all history)'))
    """
    label, fmt = HEADLINE_LABELS.get(key, (key.replace("_", " "), "{}"))
    label = i18n.tr(label)
    if value is None or (isinstance(value, float) and value != value):
        return "", label
    try:
        text = no_signed_zero(fmt.format(value))
    except (ValueError, TypeError):
        return str(value), label
    if "{:,.2f}" in fmt:  # money (a turnover "{:.2f}×" or a sell-through "{:.2f}" is not)
        text += " " + currency
    return text, label


def no_signed_zero(text: str) -> str:
    """A number that rounds to zero shown without a sign: a change of −0.0004 is "0.0%", not "-0.0%".

    >>> no_signed_zero("-0.0%"), no_signed_zero("+0.00"), no_signed_zero("-0.0 pp"), no_signed_zero("-0.5%")
    ('0.0%', '0.00', '0.0 pp', '-0.5%')
    """
    return re.sub(r"^[+\-−](?=0(?:\.0+)?(?:%|\s|×|$))", "", text)


def headline_table(headlines: dict[str, object], *, currency: str) -> pd.DataFrame:
    """A notebook's headline numbers as the index shows them: each labelled, formatted, money with its currency.

    >>> headline_table({"breaks": 6, "break_value": 1234.5}, currency="CNY").values.tolist()
    [['ledger breaks (all history)', '6'], ['value of breaks at cost', '1,234.50 CNY']]
    """
    rows = [_fmt(k, v, currency) for k, v in headlines.items()]
    return pd.DataFrame(
        {"headline": [label for _, label in rows], "figure": [value for value, _ in rows]},
        dtype="string",
    )


def _rates_line(run: dict) -> str:
    """The exchange rates a report used, as one line for the index.

    >>> _rates_line({"fx_rates": [{"from_currency": "CNY", "to_currency": "USD", "rate_date": "2026-10-30",
    ...     "rate": 0.15031, "source": "ECB reference rate"}]})
    '1 CNY = 0.1503 USD (ECB reference rate of 2026-10-30)'
    """
    rows = run.get("fx_rates") or []
    if not rows:
        return i18n.tr("none needed: every amount is in the report's currency")
    return "; ".join(
        r["error"]
        if "error" in r
        else f"1 {r['from_currency']} = {float(r['rate']):.4g} {r['to_currency']} ({r['source']} of "
        f"{r['rate_date']})"
        for r in rows
    )


def todo_list(
    headlines: dict[str, dict[str, object]], tables: set[str], *, currency: str
) -> list[tuple[str, str, str | None]]:
    """What to do this month, most money first as the notebooks rank it: (sentence, the page that shows it,
    its XLSX list when there is one).

    >>> todo_list({"05_replenishment": {"skus_to_order_now": 3, "cash_needed": 1200.5, "units_by_air": 0}},
    ...           {"purchase_plan"}, currency="USD")  # doctest: +NORMALIZE_WHITESPACE
    [('Place the orders for 3 SKUs: 1,200.50 USD for goods and freight, 0 units by air.',
      '05_replenishment.html#purchase_plan', 'tables/purchase_plan.xlsx')]
    >>> todo_list({"03_turnover": {"dead_stock_skus_90d": 1}}, set(), currency="USD")[0][0]
    'Decide on 1 dead-stock SKU (stock, no sale in 90 days).'
    """
    h = {k: v for numbers in headlines.values() for k, v in numbers.items()}
    items: list[tuple[str, str, str | None]] = []

    def add(cond: bool, text: str, table: str | None, page: str, anchor: str | None = None) -> None:
        if cond:  # the link opens the section of the page that lists them
            items.append(
                (
                    text,
                    f"{page}#{anchor or table}",
                    f"tables/{table}.xlsx" if table and table in tables else None,
                )
            )

    def tr(
        template: str, **values: object
    ) -> str:  # every amount with its currency; "1 SKU", not "1 SKUs"
        return i18n.plural(i18n.tr(template, currency=currency, **values))

    # claims on Amazon are the reimbursement audit's one ledger; the ledgers' problems are investigations
    add(
        h.get("actions", 0) > 0,
        tr(
            "Investigate {n:,} problems from the ledgers ({value:,.2f} {currency} at cost in breaks).",
            n=h.get("actions", 0),
            value=h.get("break_value", 0),
        ),
        "claims_and_investigations",
        "01_ledger_reconciliation.html",
    )
    add(
        h.get("claims_to_file", 0) > 0,
        tr(
            "File {n:,} reimbursement cases with Amazon: {value:,.2f} {currency} owed, before their windows close.",
            n=h.get("claims_to_file", 0),
            value=h.get("recoverable_now", 0),
        ),
        "reimbursement_claims",
        "06_reimbursements.html",
    )
    unknown = h.get("lines_cost_unknown", 0) or 0
    add(
        h.get("skus_to_order_now", 0) > 0 and not unknown,
        tr(
            "Place the orders for {n:,} SKUs: {cash:,.2f} {currency} for goods and freight, {air:,} units by air.",
            n=h.get("skus_to_order_now", 0),
            cash=h.get("cash_needed") or 0,
            air=h.get("units_by_air", 0),
        ),
        "purchase_plan",
        "05_replenishment.html",
    )
    add(
        h.get("skus_to_order_now", 0) > 0 and unknown,
        tr(
            "Place the orders for {n:,} SKUs ({unknown:,} purchase lines without a unit cost: their goods are not in "
            "the {cash:,.2f} {currency} for goods and freight), {air:,} units by air.",
            n=h.get("skus_to_order_now", 0),
            unknown=unknown,
            cash=h.get("cash_needed") or 0,
            air=h.get("units_by_air", 0),
        ),
        "purchase_plan",
        "05_replenishment.html",
    )
    add(
        h.get("skus_at_risk", 0) > 0,
        tr(
            "Watch {n:,} SKUs that run out before a sea shipment sent today would land.",
            n=h.get("skus_at_risk", 0),
        ),
        None,
        "05_replenishment.html",
        "at_risk",
    )
    add(
        h.get("skus_to_clear", 0) > 0,
        tr(
            "Clear {n:,} aged SKUs: {cash:,.2f} {currency} back and {fees:,.2f} {currency} in fees avoided.",
            n=h.get("skus_to_clear", 0),
            cash=h.get("cash_from_clearing", 0),
            fees=h.get("fees_avoided", 0),
        ),
        "aging_actions",
        "04_aging_clearance.html",
    )
    add(
        h.get("dead_stock_skus_90d", 0) > 0,
        tr(
            "Decide on {n:,} dead-stock SKUs (stock, no sale in 90 days).",
            n=h.get("dead_stock_skus_90d", 0),
        ),
        "dead_stock",
        "03_turnover.html",
    )
    add(
        h.get("dead_stock_skus_data", 0) > 0,
        tr(
            "Decide on {n:,} dead-stock SKUs (stock, no sale in the {days:,} days of sales data).",
            n=h.get("dead_stock_skus_data", 0),
            days=h.get("dead_stock_days_seen", 0),
        ),
        "dead_stock",
        "03_turnover.html",
    )
    add(
        h.get("mapping_problems", 0) > 0,
        tr(
            "Fix the SKU mapping of {n:,} SKUs ({missing:,} of them missing from the SKU master: add them to 商品资料 / "
            "the SKU master file): data to correct, not claims.",
            n=h.get("mapping_problems", 0),
            missing=h.get("skus_missing_from_master", 0),
        ),
        "mapping_problems",
        "01_ledger_reconciliation.html",
        "mapping",
    )
    add(
        h.get("under_covered_skus", 0) > 0,
        tr("Top up {n:,} SKUs under the cover band.", n=h.get("under_covered_skus", 0)),
        "under_covered",
        "03_turnover.html",
    )
    return items


def _whole(value: object) -> object:
    """A float that holds a whole number as an int (a count read back from run.json prints as 6, not 6.0)."""
    return (
        int(value) if isinstance(value, float) and value == value and value.is_integer() else value
    )


def _fmt_change(key: str, delta: float, currency: str) -> str:
    """A headline's change since the last pack, signed, in the headline's unit (shares in percentage points).

    >>> _fmt_change("break_value", -12.5, "USD"), _fmt_change("a_value_share", 0.031, "USD"), _fmt_change("breaks", 2.0, "USD")
    ('-12.50 USD', '+3.1 pp', '+2')
    """
    if delta != delta:  # NaN: one of the two packs has no such number
        return ""
    fmt = HEADLINE_LABELS.get(key, ("", "{}"))[1]
    if "{:,.2f}" in fmt:
        return no_signed_zero(f"{delta:+,.2f}") + f" {currency}"
    if "%" in fmt:
        return no_signed_zero(f"{delta * 100:+.1f} pp")
    if "×" in fmt:
        return no_signed_zero(f"{delta:+.2f}×")
    return no_signed_zero(
        f"{delta:+,.0f}" if float(delta).is_integer() or "{:," in fmt else f"{delta:+,.2f}"
    )


def _since_html(changes: history.Changes, *, currency: str, titles: dict[str, str]) -> str:
    """The index's "since the last pack" section: headline changes, new and resolved breaks and claims, class
    and age-tier changes, and the purchase plan's change."""
    e, tr = html.escape, i18n.tr
    h = changes.headlines
    table = pd.DataFrame(
        {
            "notebook": h["notebook"].map(lambda nb: titles.get(nb, nb)),
            "headline": [_fmt(k, 0, currency)[1] for k in h["key"]],
            "before": [
                _fmt(k, _whole(v), currency)[0] if v == v else ""
                for k, v in zip(h["key"], h["before"], strict=True)
            ],
            "now": [
                _fmt(k, _whole(v), currency)[0] if v == v else ""
                for k, v in zip(h["key"], h["now"], strict=True)
            ],
            "change": [
                _fmt_change(k, d, currency) for k, d in zip(h["key"], h["change"], strict=True)
            ],
        },
        dtype="string",
    )
    moved = table.loc[h["change"].fillna(0).ne(0).to_numpy()]
    plan = changes.plan

    def plan_figures(
        column: str, sign: str = ""
    ) -> list[str]:  # money for the costs, whole units otherwise
        return [
            f"{v:{sign},.2f} {currency}" if "cost" in m else f"{v:{sign},.0f}"
            for m, v in zip(plan["measure"], plan[column], strict=True)
        ]

    plan_rows = (
        pd.DataFrame(
            {
                "measure": plan["measure"].map(lambda m: tr(m.replace("_", " "))),
                "before": plan_figures("before"),
                "now": plan_figures("now"),
                "change": plan_figures("change", "+"),
            },
            dtype="string",
        )
        if len(plan)
        else pd.DataFrame()
    )

    def block(title: str, df: pd.DataFrame, cols: list[str] | None = None) -> str:
        if not len(df):
            return f"<h3>{e(title)}: {e(tr('none'))}</h3>"
        show = df[[c for c in cols if c in df.columns]] if cols else df
        return f"<h3>{e(title)}: {len(df):,}</h3>" + display.table_html(show, currency=currency)

    summary = tr(
        "{moved:,} of {all:,} headline numbers changed; {nb:,} new and {rb:,} resolved ledger breaks; "
        "{nc:,} new and {rc:,} resolved claims; {cls:,} SKUs changed ABC class; {tier:,} SKUs crossed into "
        "an older age tier; the purchase plan added {added:,} SKUs and dropped {dropped:,}.",
        moved=len(moved),
        all=len(table),
        nb=len(changes.new_breaks),
        rb=len(changes.resolved_breaks),
        nc=len(changes.new_claims),
        rc=len(changes.resolved_claims),
        cls=len(changes.class_changes),
        tier=len(changes.tier_changes),
        added=len(changes.plan_added),
        dropped=len(changes.plan_dropped),
    )
    break_cols = ["sku", "location", "period", "break_units", "break_value", "kind"]
    claim_cols = ["action", "kind", "sku", "where", "reference", "units", "value", "deadline"]
    parts = [
        f'<h2 id="since">{e(tr("Since the last pack (period ending {date})", date=changes.previous))}</h2>',
        f"<p>{e(summary)}</p>",
        block(tr("Headline numbers that changed"), moved),
        block(tr("New ledger breaks"), changes.new_breaks, break_cols),
        block(tr("Resolved ledger breaks"), changes.resolved_breaks, break_cols),
        block(tr("New claims"), changes.new_claims, claim_cols),
        block(tr("Resolved or no longer listed claims"), changes.resolved_claims, claim_cols),
        block(tr("SKUs that changed ABC class"), changes.class_changes),
        block(tr("SKUs whose oldest stock crossed into an older age tier"), changes.tier_changes),
        block(tr("The purchase plan"), plan_rows),
    ]
    if changes.plan_added or changes.plan_dropped:
        parts.append(
            f"<p>{e(tr('Added to the plan'))}: {e(', '.join(changes.plan_added) or tr('none'))}<br>"
            f"{e(tr('Dropped from the plan'))}: {e(', '.join(changes.plan_dropped) or tr('none'))}</p>"
        )
    return "".join(parts)


def trend_png(trend: pd.DataFrame, *, currency: str) -> str:
    """The packs' key figures as a small chart: a ``data:`` URI of the PNG ("" with fewer than two packs)."""
    import base64

    png = trend_chart(trend, currency=currency)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""


def trend_chart(trend: pd.DataFrame, *, currency: str) -> bytes:
    """The PNG of the packs' key figures (empty with fewer than two packs)."""
    if len(trend) < 2:
        return b""
    import io

    import matplotlib.pyplot as plt  # only the index of a second pack draws a chart: not imported otherwise

    from stockbook import plots

    series = []
    for _, key in KEY_CARDS:
        label = i18n.tr(HEADLINE_LABELS.get(key, (key, ""))[0])
        series.append(
            (
                key,
                f"{label} ({currency})"
                if "{:,.2f}" in HEADLINE_LABELS.get(key, ("", ""))[1]
                else label,
            )
        )
    fig = plots.pack_trend(trend, series=series)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _checks_html(found: dict[str, list[dict]], titles: dict[str, str]) -> str:
    """The self-checks on the index: every warning with the page it belongs to, or how many checks agree.

    >>> _checks_html({"02_abc_pareto": [{"check": "classes", "status": "warning", "message": "no SKU is in class A"}]},
    ...              {"02_abc_pareto": "ABC"})  # doctest: +ELLIPSIS
    '<h2 id="checks">Self-checks</h2><ul class="checks"><li class="failed">⚠ <a href="02_abc_pareto.html">ABC</a>: no SKU is in class A</li></ul>'
    """
    e, tr = html.escape, i18n.tr
    fired = [(nb, f) for nb, fs in found.items() for f in fs if f.get("status") == "warning"]
    agreed = sum(f.get("status") == "ok" for fs in found.values() for f in fs)
    if not fired and not agreed:
        return ""
    if not fired:
        return (
            f'<h2 id="checks">{e(tr("Self-checks"))}</h2><p class="sub">'
            f"{e(tr('Every headline agrees with its independent check ({n:,} checks).', n=agreed))}</p>"
        )
    items = "".join(
        '<li class="failed">⚠ '
        + (
            f'<a href="{e(nb)}.html">{e(titles.get(nb, nb))}</a>'
            if nb != "inputs"
            else e(tr("Inputs"))
        )
        + f": {e(i18n.sentence(str(f.get('message', ''))))}</li>"
        for nb, f in fired
    )
    return f'<h2 id="checks">{e(tr("Self-checks"))}</h2><ul class="checks">{items}</ul>'


def _index_html(
    run: dict,
    results: list[dict],
    headlines: dict[str, dict[str, object]],
    tables_dir: Path,
    *,
    changes: history.Changes | None = None,
    trend: pd.DataFrame | None = None,
    shared_assets: bool = True,
) -> str:
    """The index page, in the language ``i18n.speaking`` set (headline cards, to-do list, notebooks, inputs)."""
    e, tr = html.escape, i18n.tr
    currency = str(run.get("parameters", {}).get("reporting_currency", "USD"))
    ran = {r["notebook"] for r in results if r["status"] != "skipped"}
    key_cards = []
    for nb, key in KEY_CARDS:
        if key in headlines.get(nb, {}) and nb in ran:
            value, label = _fmt(key, headlines[nb][key], currency)
            key_cards.append(
                f'<a class="card" href="{e(nb)}.html"><b>{e(value)}</b><span>{e(label)}</span></a>'
            )
    tables = {p.stem for p in tables_dir.glob("*.csv")}
    todo = "".join(
        f'<li><a href="{e(page)}">{e(text)}</a>'
        + (f' (<a href="{e(xlsx)}">{e(tr("list"))} XLSX</a>)' if xlsx else "")
        + "</li>"
        for text, page, xlsx in todo_list(headlines, tables, currency=currency)
    )
    titles = {r["notebook"]: tr(r["title"]) for r in results}
    details = []
    for nb, numbers in headlines.items():
        cards = "".join(
            f'<div class="card"><b>{e(v)}</b><span>{e(lab)}</span></div>'
            for v, lab in (_fmt(k, x, currency) for k, x in numbers.items())
        )
        details.append(
            f'<details><summary><a href="{e(nb)}.html">{e(titles.get(nb, nb))}</a>: '
            f'{e(tr("every number"))}</summary><div class="cards small">{cards}</div></details>'
        )
    rows = []
    for r in results:
        title = titles[r["notebook"]]
        link = (
            f'<a href="{e(r["notebook"])}.html">{e(title)}</a>'
            if r["status"] != "skipped"
            else e(title)
        )
        rows.append(
            f'<tr><td>{link}</td><td class="{e(r["status"])}">{e(tr(r["status"]))}</td>'
            f"<td>{e(i18n.sentence(r.get('why', '')))}</td></tr>"
        )
    written = sorted(p.stem for p in tables_dir.glob("*.csv"))
    action_lists = "".join(
        f'<li><a href="tables/{e(stem)}.xlsx">{e(tr(label))}</a> (<a href="tables/{e(stem)}.csv">csv</a>)</li>'
        for stem, label in ACTION_LISTS.items()
        if stem in written
    )
    other = [stem for stem in written if stem not in ACTION_LISTS]
    data_tables = "".join(
        f'<li><a href="tables/{e(stem)}.xlsx">{e(tr(DATA_TABLES.get(stem, stem.replace("_", " "))))}</a> '
        f'(<a href="tables/{e(stem)}.csv">csv</a>)</li>'
        for stem in other
    )
    files = "".join(
        f'<tr><td>{e(str(f["file"]))}</td><td class="{"failed" if f["status"] == "error" else ""}">'
        f"{e(tr('refused') if f['status'] == 'error' else str(f['format']))}</td><td>{f['rows_in']:,}</td>"
        f"<td>{f['rows_kept']:,}</td><td>{f['rows_quarantined']:,}</td><td>{e(i18n.sentence(str(f.get('note') or '')))}</td></tr>"
        for f in run["inputs"]
    )
    nothing = (
        tr("No input could be used: each refused file and why is listed under Inputs.")
        if not run.get("usable_inputs", 1)
        else tr("Nothing urgent in this data.")
    )
    sub = e(
        tr(
            "data: {name} · {files} input files · {rows:,} rows quarantined",
            name=Path(run["data_dir"]).name,
            files=len(run["inputs"]),
            rows=run["quarantined_rows"],
        )
    )
    th = "".join(
        f"<th>{e(tr(h))}</th>"
        for h in ("file", "format", "rows read", "kept", "quarantined", "note")
    )
    since = _since_html(changes, currency=currency, titles=titles) if changes is not None else ""
    chart = trend_png(trend, currency=currency) if trend is not None else ""
    if chart:
        since += (
            f'<h2 id="trend">{e(tr("Key figures by report pack"))}</h2><img class="trend" src="{chart}" '
            f'alt="{e(tr("Chart: key figures by report pack"))}">'
        )
    tables_js = display.page_script(shared_assets=shared_assets) if "sb-long" in since else ""
    none_item = f"<li>{e(tr('none'))}</li>"
    behind = e(tr("The tables behind the pages"))
    tables_behind = (
        f"<details><summary>{behind}</summary><ul>{data_tables}</ul></details>"
        if data_tables
        else ""
    )
    return f"""<!doctype html>
<html lang="{"zh-CN" if i18n.language() == "zh" else "en"}"><head><meta charset="utf-8">
<title>stockbook {e(run["period_end"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}{
        display.TABLE_CSS
    }</style></head>
<body><h1>{e(tr("Inventory report — period ending {date}", date=run["period_end"]))}</h1>
<p class="sub">{sub} (<a href="quarantine.csv">quarantine.csv</a>)</p>
<div class="cards">{"".join(key_cards)}</div>
<h2>{e(tr("What to do this month"))}</h2><ol class="todo">{todo or f"<li>{e(nothing)}</li>"}</ol>
{_checks_html(run.get("checks") or {}, titles)}
<h2>{e(tr("Notebooks"))}</h2><table><tr><th>{e(tr("notebook"))}</th><th>{e(tr("status"))}</th><th>{
        e(tr("note"))
    }</th></tr>
{"".join(rows)}</table>
{"".join(details)}
{since}
<h2>{e(tr("Action lists"))}</h2><ul>{action_lists or none_item}</ul>
{tables_behind}
<p class="sub">{e(tr("Exchange rates"))}: {e(i18n.sentence(_rates_line(run)))}</p>
<h2>{e(tr("Inputs"))}</h2><table><tr>{th}</tr>
{files}</table><p class="sub">{
        e(tr("Parameters, input hashes and versions:"))
    } <a href="run.json">run.json</a></p>
{tables_js}</body></html>
"""
