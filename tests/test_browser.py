"""The report pages in a real headless browser (Debian's chromium, installed by `make test`'s set-up).

Every page of the English and the Chinese pack, the Chinese one built on the sample with hostile product titles:
a full-page screenshot at 1366 and at 1920 px kept under tests/output/screenshots/ (en and zh), and a probe that
loads a copy of the page with a few lines of script in front and reads back what the browser did:

* no dialog opened and no script error (``alert``/``confirm``/``prompt`` replaced by a marker first);
* no console message; zero network requests (Chromium's own net log: only requests a page started count);
* nothing wider than the viewport, every long table made searchable, sortable and paginated;
* every table cell laid out for people: no header running into the next, no cell narrower than its longest
  word, no text wrapped one or two characters a line (a control page fails each);
* no ``<NA>``/``NaN``/``NaT``/``True``/``False`` and no truncation marker in any table cell;
* the hostile titles shown literally.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from stockbook import report
from stockbook.cli import main

SHOTS = Path(__file__).parent / "output" / "screenshots"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
HOSTILE = ["</script><img src=x onerror=alert(1)>", "{{7*7}}", '"};alert(1);//']
CJK = re.compile(r"[\u4e00-\u9fff]")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1366,768",
    "--hide-scrollbars",
]
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:https?:)?//)""",
    re.I,
)
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="run `make browser` (make test does) to install it"
)

#: put in front of a page's own scripts: dialogs and errors leave a mark; after load, the layout is measured
PROBE = r"""<script>
(function () {
  var d = document.documentElement;
  window.alert = window.confirm = window.prompt = function () { d.setAttribute("data-dialog", "opened"); };
  window.addEventListener("error", function (e) { d.setAttribute("data-error", String(e.message)); });
  window.addEventListener("load", function () { setTimeout(function () {
    var wide = [].filter.call(document.querySelectorAll("table, .sb-table-wrap, .dt-container, img"), function (t) {
      return !t.closest(".sb-table-wrap") && t.getBoundingClientRect().right > window.innerWidth + 1; });
    d.setAttribute("data-scroll-width", d.scrollWidth);
    d.setAttribute("data-inner-width", window.innerWidth);
    d.setAttribute("data-wide", wide.length);
    d.setAttribute("data-long-tables", document.querySelectorAll("table.sb-long").length);
    d.setAttribute("data-searchable", document.querySelectorAll(".dt-container input[type=search]").length);
    d.setAttribute("data-height", d.scrollHeight);
    sbLayout(d);
  }, 500); });
  // every table cell as a person sees it: no header running into the next, no cell narrower than its longest
  // word, no text wrapped one or two characters a line (Intl.Segmenter: words of Chinese text too)
  function sbLayout(d) {
    var seg = new Intl.Segmenter(document.documentElement.lang || "en", {granularity: "word"});
    var canvas = document.createElement("canvas").getContext("2d");
    var overlap = [], narrow = [], chopped = [];
    document.querySelectorAll("table th, table td").forEach(function (c) {
      if (!c.offsetParent || !c.textContent.trim()) return;
      var box = c.getBoundingClientRect(), r = document.createRange();
      r.selectNodeContents(c);
      var text = r.getBoundingClientRect(), st = getComputedStyle(c);
      var inner = box.width - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
      if (text.right > box.right + 1 || text.left < box.left - 1) overlap.push(c.textContent.trim().slice(0, 40));
      canvas.font = st.fontWeight + " " + st.fontSize + " " + st.fontFamily;
      var longest = 0, word = "";
      for (var s of seg.segment(c.textContent.trim())) {
        if (!s.isWordLike) continue;
        var w = canvas.measureText(s.segment).width;
        if (w > longest) { longest = w; word = s.segment; }
      }
      if (longest > inner + 1) narrow.push(word.slice(0, 40));
      var tops = new Set();
      for (var q of r.getClientRects()) tops.add(Math.round(q.top));
      var n = c.textContent.trim().length;
      if (tops.size >= 3 && n / tops.size < 3) chopped.push(c.textContent.trim().slice(0, 40));
    });
    d.setAttribute("data-overlap", overlap.length);
    d.setAttribute("data-narrow", narrow.length);
    d.setAttribute("data-chopped", chopped.length);
    d.setAttribute("data-bad-cells", JSON.stringify([overlap.slice(0, 3), narrow.slice(0, 3), chopped.slice(0, 3)]));
    // a Chinese page in Chinese: no sentence of four or more Latin words outside codes (SKUs, ids, file names),
    // the seller's own data (titles) and text written for Amazon (a case's text, lang="en")
    if ((d.lang || "").indexOf("zh") === 0) {
      var latin = /[A-Za-z][A-Za-z'’-]+(?:[ ,;:]+[A-Za-z0-9][A-Za-z0-9'’.,%-]*){3,}/g, found = [];
      var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: function (n) {
        return n.parentElement.closest("script, style, code, .sb-code, .sb-data, [lang=en]") ?
          NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }});
      for (var n = walk.nextNode(); n; n = walk.nextNode()) {
        var m = n.textContent.replace(/\s+/g, " ").match(latin);
        if (m) found = found.concat(m);
      }
      d.setAttribute("data-latin", found.length);
      d.setAttribute("data-latin-examples", JSON.stringify(found.slice(0, 5)));
    }
  }
})();
</script>"""


def _hostile_sample(root: Path) -> Path:
    """The sample with every product title in its SKU master one of the hostile strings."""
    data = root / "hostile"
    shutil.copytree(SAMPLE, data)
    master = data / "master" / "商品资料.csv"
    df = pd.read_csv(master, encoding="gbk", dtype=str, keep_default_na=False)
    df.iloc[:, 3] = [HOSTILE[i % 3] for i in range(len(df))]  # the 品名 column
    master.write_bytes(df.to_csv(index=False).encode("gbk"))
    return data


def _hostile_pack(tmp_path_factory, name: str, *options: str) -> Path:
    """A pack of the sample with hostile titles, written with the report's own ``options``."""
    root = tmp_path_factory.mktemp(name)
    out = root / "reports"
    assert (
        main(
            [
                "report",
                "--period",
                "2026-10",
                "--data",
                str(_hostile_sample(root)),
                "--out",
                str(out),
                *options,
            ]
        )
        == 0
    )
    return out / "2026-10-31"


@pytest.fixture(scope="module")
def report_zh(tmp_path_factory):
    """The whole pack in Chinese (--lang zh), on the sample with hostile titles."""
    return _hostile_pack(tmp_path_factory, "zh", "--lang", "zh")


@pytest.fixture(scope="module")
def report_hostile_en(tmp_path_factory):
    """The ledger and replenishment pages in English, on the sample with hostile titles."""
    return _hostile_pack(tmp_path_factory, "hostile_en", "--only", "01,05")


def _pages(pack: Path) -> list[Path]:
    return [pack / "index.html", *sorted(pack.glob("0*.html"))]


#: the screen widths every page is checked and photographed at: a laptop and a desktop
WIDTHS = (1366, 1920)


def _screenshot(page: Path, shot: Path, profile: Path, *, width: int, height: int) -> None:
    """Render the whole of ``page`` (``height``, measured by the probe) at ``width`` into ``shot``; fail on any
    console message or a missing image."""
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    flags = [f for f in FLAGS if not f.startswith("--window-size")]
    run = subprocess.run(
        [
            "chromium",
            *flags,
            f"--window-size={width},{height}",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, f"{page.name}: {console[:3]}"
    assert shot.exists() and shot.stat().st_size > 10_000, (
        f"no screenshot of {page.name}: {run.stderr[-500:]}"
    )
    assert shot.read_bytes()[16:24] == width.to_bytes(4, "big") + height.to_bytes(
        4, "big"
    )  # PNG IHDR size


def _page_requests(net_log: Path) -> list[str]:
    """The URLs of network requests a page started (Chromium's own background requests have no origin)."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start
        and e.get("params", {}).get("initiator", "not an origin") != "not an origin"
        and not e["params"].get("url", "").startswith(("file:", "data:", "blob:"))
    ]


def probe(page: Path, tmp: Path, *, width: int = 1366) -> dict[str, object]:
    """Load a copy of ``page`` with ``PROBE`` in front, ``width`` pixels wide; the DOM after its scripts ran, its
    marks (layout of every table cell included), the console and the page's network requests."""
    tmp.mkdir(parents=True, exist_ok=True)
    copy = tmp / page.name
    if (page.parent / "assets").is_dir() and not (
        tmp / "assets"
    ).exists():  # what the page loads from the disk
        shutil.copytree(page.parent / "assets", tmp / "assets")
    text = page.read_text(encoding="utf-8")
    copy.write_text(
        re.sub(r"(<head\b[^>]*>)", lambda m: m.group(1) + PROBE, text, count=1), encoding="utf-8"
    )
    net = tmp / f"{page.stem}.netlog.json"
    flags = [f for f in FLAGS if not f.startswith("--window-size")] + [f"--window-size={width},768"]
    run = subprocess.run(
        [
            "chromium",
            *flags,
            f"--user-data-dir={tmp / 'profile'}",
            "--virtual-time-budget=8000",
            f"--log-net-log={net}",
            "--dump-dom",
            copy.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = run.stdout
    root = re.search(r"<html\b[^>]*>", dom)
    marks = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', root.group(0))) if root else {}
    return {
        "dom": dom,
        "marks": marks,
        "requests": _page_requests(net),
        "console": [line for line in run.stderr.splitlines() if ":CONSOLE" in line],
    }


def _cells(dom: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td\b[^>]*>(.*?)</td>", dom, re.S)
    ]


def _check_page(page: Path, got: dict[str, object], *, hostile: bool, width: int = 1366) -> None:
    m, dom = got["marks"], got["dom"]
    assert m.get("inner-width") == str(width), (page.name, m)
    # every table cell: no header into the next, no cell narrower than a word, no text one or two characters a line
    assert (m["overlap"], m["narrow"], m["chopped"]) == ("0", "0", "0"), (
        page.name,
        width,
        m["bad-cells"],
    )
    assert m.get("latin", "0") == "0", (
        page.name,
        m.get("latin-examples"),
    )  # a zh page speaks Chinese
    assert "dialog" not in m and "error" not in m, (page.name, m)
    assert not got["console"], (page.name, got["console"][:3])
    assert got["requests"] == [], (page.name, got["requests"][:3])
    assert int(m["scroll-width"]) <= width and m["wide"] == "0", (page.name, m)
    assert m["searchable"] == m["long-tables"], (
        page.name,
        m,
    )  # every long table got its search box
    cells = _cells(dom)
    bad = [
        c
        for c in cells
        if c in ("nan", "NaN", "&lt;NA&gt;", "<NA>", "NaT", "None", "True", "False")
        or c.endswith(("...", "…"))
    ]
    assert not bad, (page.name, bad[:5])
    assert not re.search(r"\d+ rows × \d+ columns", dom), page.name
    if page.stem != "index":
        assert '<nav class="sb-nav"' in dom and 'href="index.html"' in dom, page.name
        assert re.search(r"<title>0\d · .+ — stockbook</title>", dom), page.name
    if hostile and page.stem in (
        "01_ledger_reconciliation",
        "05_replenishment",
        "04_aging_clearance",
    ):
        assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in dom, page.name
        assert "{{7*7}}" in dom and "&quot;};alert(1);//" in dom or '"};alert(1);//' in dom, (
            page.name
        )
        assert not re.search(r"<img[^>]*\bsrc=\"?x\b", dom), page.name


def test_no_page_references_an_external_url(report):
    pages = _pages(report)
    assert len(pages) == 7  # the index and six notebooks
    for page in pages:
        hits = EXTERNAL.findall(page.read_text(encoding="utf-8"))
        assert not hits, f"{page.name} loads from the network: {hits[:3]}"


@needs_chromium
def test_the_probe_sees_a_request_and_a_dialog(tmp_path):
    """The probe itself can fail: a page that loads from the network and runs injected script is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html><head><title>x</title></head><body><img src="http://127.0.0.1:9/x.png">'
        '<img src=x onerror="alert(1)"><table class="sb-long"><tr><td>nan</td></tr></table></body>'
        "</html>",
        encoding="utf-8",
    )
    got = probe(page, tmp_path / "probe")
    assert any("127.0.0.1:9" in u for u in got["requests"]), got["requests"]
    assert got["marks"].get("dialog") == "opened"
    assert got["marks"]["long-tables"] == "1" and got["marks"]["searchable"] == "0"
    assert "nan" in _cells(got["dom"])


@needs_chromium
def test_the_layout_probe_sees_overlap_narrow_cells_and_chopped_text(tmp_path):
    """The layout probe itself can fail: a header running into the next, a word wider than its cell, text
    wrapped a character a line are each caught."""
    page = tmp_path / "cramped.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body><table style="table-layout:fixed;'
        'width:54px"><tr><th style="width:40px;white-space:nowrap">A very long header</th><th style="width:14px">B</th></tr>'
        '<tr><td style="width:40px;overflow:hidden">Supercalifragilistic</td><td style="width:14px;'
        'overflow-wrap:anywhere;word-break:break-all">sea freight by air</td></tr></table></body></html>',
        encoding="utf-8",
    )
    m = probe(page, tmp_path / "probe")["marks"]
    assert int(m["overlap"]) >= 1 and int(m["narrow"]) >= 1 and int(m["chopped"]) >= 1, m
    zh = (
        tmp_path / "zh.html"
    )  # an English sentence in a Chinese page is caught; a SKU, a title, a case text not
    zh.write_text(
        '<!doctype html><html lang="zh-CN"><head><title>x</title></head><body><p>补货：sea lands before the '
        'stock runs out</p><table><tr><td class="sb-code">SB-A-1 B0X FBA15 ABC</td><td class="sb-data">Pro '
        'Ice Cube Tray Set</td><td lang="en">Please investigate the lost units</td></tr></table></body>'
        "</html>",
        encoding="utf-8",
    )
    m = probe(zh, tmp_path / "probe-zh")["marks"]
    assert m["latin"] == "1" and "sea lands before the" in m["latin-examples"], m


def _every_page(pack: Path, shots: Path, tmp: Path, *, hostile: bool) -> None:
    """Each page of ``pack`` probed and photographed whole at every width of ``WIDTHS``."""
    for page in _pages(pack):
        for width in WIDTHS:
            got = probe(page, tmp / f"probe{width}", width=width)
            _check_page(page, got, hostile=hostile, width=width)
            _screenshot(
                page,
                shots / str(width) / f"{page.stem}.png",
                tmp / f"{page.stem}-{width}",
                width=width,
                height=min(int(got["marks"]["height"]), 16_000),
            )


@needs_chromium
def test_every_english_page_in_chromium(report, tmp_path):
    _every_page(report, SHOTS, tmp_path, hostile=False)


@needs_chromium
def test_hostile_titles_stay_text_in_english_pages(report_hostile_en, tmp_path):
    for page in _pages(report_hostile_en):
        _check_page(page, probe(page, tmp_path / "probe"), hostile=True)


@needs_chromium
def test_every_chinese_page_in_chromium_with_hostile_titles(report_zh, tmp_path):
    pages = _pages(report_zh)
    assert len(pages) == 7
    for page in pages:
        assert not EXTERNAL.findall(page.read_text(encoding="utf-8")), page.name
    _every_page(report_zh, SHOTS / "zh", tmp_path, hostile=True)


def test_chinese_report(report_zh):
    index = (report_zh / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index
    assert "<h1>库存报告 — 截至 2026-10-31</h1>" in index
    assert "<h2>本月要做的事</h2>" in index and "年库存周转次数" in index
    lists = re.search(r"<h2>行动清单</h2><ul>(.*?)</ul>", index, re.S).group(1)
    names = re.findall(r'<li><a href="tables/([^"]+)\.xlsx">(.*?)</a>', lists)
    assert len(names) >= 6 and all(CJK.search(n) for _, n in names), (
        names
    )  # the action lists, in Chinese
    assert {s for s, _ in names} <= set(
        report.ACTION_LISTS
    )  # actions only: the other tables are apart
    tables = re.search(r"<summary>页面背后的数据表</summary><ul>(.*?)</ul>", index, re.S).group(1)
    others = re.findall(r'<li><a href="tables/([^"]+)\.xlsx">(.*?)</a>', tables)
    assert {"abc", "backtest"} <= {s for s, _ in others} and all(
        CJK.search(n) for _, n in others
    ), others
    for stem in ("03_turnover", "04_aging_clearance"):
        page = (report_zh / f"{stem}.html").read_text(encoding="utf-8")
        headings = re.findall(r"<h([12])[^>]*>(.*?)</h\1>", page, re.S)
        assert len(headings) >= 5
        assert all(CJK.search(re.sub(r"<[^>]+>", "", h)) for _, h in headings), headings
        assert re.search(r"<th[^>]*>(库位类别|SKU)</th>", page)
        assert "Headline numbers" not in page and "关键数字" in page
    # no English word of a fixed vocabulary left in a Chinese page's tables (SKUs and titles are not vocabulary)
    from stockbook.i18n import VALUES_ZH

    words = {
        k
        for k, v in VALUES_ZH.items()
        if k != v and k.lower() != v.lower() and k not in ("sku", "all", "none", "ok")
    }
    for stem in [p.stem for p in sorted(report_zh.glob("0*.html"))]:
        page = (report_zh / f"{stem}.html").read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in page, stem
        # every table header in Chinese words: no column name left as code (inv_age_0_to_90_days, adi)
        heads = {
            re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S)
        }
        assert not [h for h in heads if re.search(r"[a-z]_[a-z0-9]|^[a-z][a-z ]*$", h)], (
            stem,
            sorted(heads),
        )
        cells = {
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", page, re.S)
        }
        assert not cells & words, (stem, sorted(cells & words))
    run = json.loads((report_zh / "run.json").read_text(encoding="utf-8"))
    assert run["parameters"]["lang"] == "zh"
    # the XLSX list is for people (Chinese headers); the CSV is the contract (canonical names)
    csv_header = (
        (report_zh / "tables" / "aging_actions.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    )
    assert csv_header.startswith("marketplace,sku,")  # every aged unit is in a marketplace
    ws = openpyxl.load_workbook(report_zh / "tables" / "aging_actions.xlsx").active
    assert (ws["A1"].value, ws["B1"].value) == ("站点", "SKU") and any(
        CJK.search(str(c.value)) for c in ws[1]
    )
    # the recommended action in Chinese in the XLSX, as an English code in the CSV
    options = {"keep", "discount", "outlet", "liquidate", "remove", "dispose", "donate"}
    col = [c.value for c in ws[1]].index("建议") + 1
    actions = pd.read_csv(report_zh / "tables" / "aging_actions.csv")["recommended_action"]
    assert len(actions) and set(actions) <= options
    shown = {ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)}
    assert shown and not shown & options and all(CJK.search(str(v)) for v in shown)
