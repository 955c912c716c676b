"""The install holds: the environment is the one constraints.txt locks, and what the pins guard still works."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import ibis
import pandas as pd
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)==([^\s;#]+)\s*", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def _installed() -> dict[str, str]:
    return {
        d.metadata["Name"].lower().replace("_", "-"): d.version for d in metadata.distributions()
    }


def test_the_environment_is_the_locked_one():
    pins, have = _pins(), _installed()
    assert len(pins) > 50
    drift = {n: (pins[n], have[n]) for n in pins if n in have and have[n] != pins[n]}
    assert not drift, (
        f"installed ≠ constraints.txt (run `make setup-dev`, or `make lock` on purpose): {drift}"
    )


def test_every_dependency_of_stockbook_is_locked():
    pins = _pins()
    needed = [Requirement(r) for r in metadata.requires("stockbook") or []]
    unlocked = sorted(r.name for r in needed if r.name.lower().replace("_", "-") not in pins)
    assert not unlocked, f"add them with `make lock`: {unlocked}"
    for r in needed:  # the lock satisfies every range pyproject.toml states
        name = r.name.lower().replace("_", "-")
        assert r.specifier.contains(pins[name], prereleases=True), (r, pins[name])


def test_ibis_creates_and_drops_a_table_on_duckdb():
    # what the sqlglot pin guards: sqlglot 30.18 and later make Ibis 12 write "DROP VIEW IF EXISTS" DuckDB refuses
    con = ibis.duckdb.connect()
    t = con.create_table("probe", pd.DataFrame({"a": [1, 2]}))
    assert int(t.count().execute()) == 2
    con.drop_table("probe")
    assert (
        con.raw_sql("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'probe'").fetchone()[0]
        == 0
    )
