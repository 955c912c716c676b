"""The report pages in a real headless browser (Debian's chromium, installed by `make test`'s set-up):
a screenshot of the index and of each notebook page at 1366×768, no console messages, no external URL."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SHOTS = Path(__file__).parent / "output" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--window-size=1366,768", "--hide-scrollbars"]
EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                      r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:https?:)?//)""", re.I)


def _pages(report: Path) -> list[Path]:
    return [report / "index.html", *sorted(report.glob("0*.html"))]


def test_no_page_references_an_external_url(report):
    pages = _pages(report)
    assert len(pages) == 7  # the index and six notebooks
    for page in pages:
        text = page.read_text(encoding="utf-8")
        hits = EXTERNAL.findall(text)
        assert not hits, f"{page.name} loads from the network: {hits[:3]}"


def _screenshot(page: Path, shot: Path, profile: Path) -> None:
    """Render ``page`` at 1366×768 into ``shot``; fail on any console message or a missing image."""
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    run = subprocess.run(["chromium", *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, f"{page.name}: {console[:3]}"
    assert shot.exists() and shot.stat().st_size > 10_000, f"no screenshot of {page.name}: {run.stderr[-500:]}"
    assert shot.read_bytes()[16:24] == (1366).to_bytes(4, "big") + (768).to_bytes(4, "big")  # PNG IHDR size


@pytest.mark.skipif(shutil.which("chromium") is None, reason="run `make browser` (make test does) to install it")
def test_every_page_renders_in_chromium_without_console_messages(report, tmp_path):
    for page in _pages(report):
        _screenshot(page, SHOTS / f"{page.stem}.png", tmp_path / page.stem)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="run `make browser` (make test does) to install it")
def test_chinese_pages_render_in_chromium(report_zh, tmp_path):
    pages = [report_zh / "index.html", *sorted(report_zh.glob("0*.html"))]
    assert len(pages) == 3
    for page in pages:
        assert not EXTERNAL.findall(page.read_text(encoding="utf-8")), page.name
        _screenshot(page, SHOTS / "zh" / f"{page.stem}.png", tmp_path / page.stem)
