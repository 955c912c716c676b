"""Every command the README shows a seller runs as written (the make targets aside: they run this suite)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    lines = [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("make ")]


def test_the_readme_shows_the_seller_commands_first():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("## Quick start") < text.index("## Your own data") < text.index("## What it answers")
    assert len(text.splitlines()) < 120, "definitions belong in docs/reference.md"
    assert (ROOT / "docs" / "reference.md").exists() and "docs/reference.md" in text


def test_every_readme_command_runs_as_written():
    commands = _commands()
    assert len(commands) >= 4
    bin_dir = Path(sys.executable).parent
    for line in commands:
        args = shlex.split(line)
        if args[0].startswith(".venv/bin/"):  # the project's environment, wherever this suite runs from
            args[0] = str(bin_dir / Path(args[0]).name)
        got = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert got.returncode == 0, f"{line}\n{got.stderr[-2000:]}"
