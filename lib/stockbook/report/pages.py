"""Each notebook's page: nbconvert's HTML with the report's chrome (navigation, language, tables for
people) and no script fetched from outside the folder."""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path

from stockbook import display, i18n

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


#: held while a thread imports papermill or nbconvert for the first time (they share nbclient and its imports)
HEAVY_IMPORTS = threading.Lock()
