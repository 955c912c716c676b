"""Every command the README shows a seller runs as written (the make targets aside: they run this suite)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CREDENTIALS = (
    "LWA_APP_ID",
    "LWA_CLIENT_SECRET",
    "SP_API_REFRESH_TOKEN",
    "SP_API_REFRESH_TOKEN_EU",
    "SP_API_REFRESH_TOKEN_FE",
    "STOCKBOOK_SP_API_CONFIG",
)


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    lines = [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("make ")]


def test_the_readme_shows_the_seller_commands_first():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        text.index("## Quick start")
        < text.index("## Your own data")
        < text.index("## What it answers")
    )
    assert len(text.splitlines()) < 140, "definitions belong in docs/reference.md"
    assert (ROOT / "docs" / "reference.md").exists() and "docs/reference.md" in text


def test_every_readme_command_runs_as_written():
    commands = _commands()
    assert len(commands) >= 4
    bin_dir = Path(sys.executable).parent
    env = {
        **{k: v for k, v in os.environ.items() if k not in CREDENTIALS},
        "STOCKBOOK_SP_API_CONFIG": "/nonexistent/sp-api.toml",
    }

    def run(line: str) -> tuple[str, subprocess.CompletedProcess]:
        args = shlex.split(line)
        if args[0].startswith(
            ".venv/bin/"
        ):  # the project's environment, wherever this suite runs from
            args[0] = str(bin_dir / Path(args[0]).name)
        return line, subprocess.run(
            args, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env
        )

    # each in the README's order; the commands that read what an earlier one wrote (--rerun) after it
    first = [c for c in commands if "--rerun" not in c]
    later = [c for c in commands if "--rerun" in c]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, first)) + list(pool.map(run, later))
    for line, got in results:
        if (
            " fetch" in line or "--fetch" in line
        ):  # without the seller's credentials: one sentence, what to set
            assert got.returncode == 2 and "no Selling Partner API credentials" in got.stderr, (
                got.stderr[-500:]
            )
            continue
        assert got.returncode == 0, f"{line}\n{got.stderr[-2000:]}"
