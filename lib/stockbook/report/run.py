"""Running the pack: papermill over warm kernels, two at a time, with the folder lock, the progress line,
the manifest (``run.json``) and re-runs."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import pandas as pd

# the kernel machinery is imported here, by the thread that imports this module, before any worker starts: two
# threads importing jupyter_client for the first time at once can deadlock on its modules' import locks, and
# Python then hands one of them a module half set up ("cannot import name 'AsyncKernelManager' from partially
# initialized module", 3 start-ups in 12 before; bench/startup_race.py)
from jupyter_client import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from stockbook import checks, display, engine, history, i18n, money
from stockbook.errors import StockbookError
from stockbook.export import write_csv
from stockbook.io import load_folder
from stockbook.report import notebooks as notebook_list
from stockbook.report.headlines import _read_headlines
from stockbook.report.index import _index_html
from stockbook.report.notebooks import (
    NOTEBOOK_WEIGHT,
    NOTEBOOKS,
    NotebookSpec,
    _accepted,
    _rel_params,
    check_parameters,
    period_end_of,
    plan_notebooks,
    select_notebooks,
    versions,
)
from stockbook.report.pages import HEAVY_IMPORTS, _html_exporter, _to_html, page_chrome


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
        todo.append((i, nb, _accepted(notebook_list.NOTEBOOK_DIR / nb.file, {**base, **user})))

    def run_one(nb: NotebookSpec, params_nb: dict[str, object]) -> dict[str, object]:
        t1 = time.perf_counter()
        status, why = "ok", ""
        try:
            pm.execute_notebook(
                # no cwd: papermill would chdir the whole process, which races between threads; every
                # path a notebook gets from the report is absolute
                str(notebook_list.NOTEBOOK_DIR / nb.file),
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
