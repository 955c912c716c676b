"""Run the notebooks with papermill and write the dated report folder.

``build_report(data_dir=..., period="2026-10")`` writes ``reports/2026-10-31/``:
``index.html`` (headline numbers, links, what was skipped and why), one HTML
and one executed ``.ipynb`` per notebook, ``tables/*.csv|xlsx`` (the action
lists), ``quarantine.csv`` and ``run.json`` (parameters, sha256 of every input,
package versions, timings). The folder is built beside its final place and
moved in when complete; an existing folder is replaced only with ``force``.

The package's modules, each one job: ``notebooks`` (which run, with which parameters), ``headlines``
(the headline catalogue), ``pages`` (each notebook's HTML), ``index`` (the index page) and ``run``
(running the pack). Everything is imported from here, as before the split.
"""

from __future__ import annotations

from stockbook.report.headlines import (
    HEADLINE_LABELS,
    KEY_CARDS,
    _fmt,
    _fmt_change,
    _read_headlines,
    _whole,
    headline_table,
    no_signed_zero,
    write_headlines,
)
from stockbook.report.index import (
    _CSS,
    ACTION_LISTS,
    DATA_TABLES,
    _checks_html,
    _index_html,
    _rates_line,
    _since_html,
    todo_list,
    trend_chart,
    trend_png,
)
from stockbook.report.notebooks import (
    NOTEBOOK_DIR,
    NOTEBOOK_WEIGHT,
    NOTEBOOKS,
    PACKAGES,
    ROOT,
    NotebookSpec,
    _accepted,
    _rel_params,
    check_parameters,
    period_end_of,
    plan_notebooks,
    select_notebooks,
    versions,
)
from stockbook.report.pages import (
    _EXPORTERS,
    _NAV_CSS,
    HEAVY_IMPORTS,
    _html_exporter,
    _text,
    _to_html,
    page_chrome,
    strip_external_scripts,
)
from stockbook.report.run import (
    WarmKernels,
    _environment,
    _lock,
    _progress_bar,
    _remove_abandoned,
    _run_pack,
    _since_last_pack,
    build_report,
    progress_line,
    rerun,
)

__all__ = [
    "ROOT",
    "NOTEBOOK_DIR",
    "NotebookSpec",
    "NOTEBOOKS",
    "NOTEBOOK_WEIGHT",
    "select_notebooks",
    "period_end_of",
    "plan_notebooks",
    "check_parameters",
    "_rel_params",
    "_accepted",
    "PACKAGES",
    "versions",
    "HEADLINE_LABELS",
    "_read_headlines",
    "write_headlines",
    "KEY_CARDS",
    "_fmt",
    "no_signed_zero",
    "headline_table",
    "_whole",
    "_fmt_change",
    "_EXPORTERS",
    "_html_exporter",
    "_to_html",
    "_NAV_CSS",
    "_text",
    "page_chrome",
    "strip_external_scripts",
    "HEAVY_IMPORTS",
    "_CSS",
    "ACTION_LISTS",
    "DATA_TABLES",
    "_rates_line",
    "todo_list",
    "_since_html",
    "trend_png",
    "trend_chart",
    "_checks_html",
    "_index_html",
    "_lock",
    "build_report",
    "_run_pack",
    "WarmKernels",
    "_since_last_pack",
    "progress_line",
    "_environment",
    "_progress_bar",
    "_remove_abandoned",
    "rerun",
]
