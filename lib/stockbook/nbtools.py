"""Notebook housekeeping: strip run-specific metadata so committed notebooks diff cleanly.

``python -m stockbook.nbtools strip-metadata notebooks/*.ipynb``
"""

from __future__ import annotations

import sys

import nbformat


def strip_metadata(path: str) -> None:
    """Remove papermill's timings and per-cell execution times; keep outputs and tags."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    cmd, *paths = sys.argv[1:]
    if cmd != "strip-metadata":
        raise SystemExit("usage: python -m stockbook.nbtools strip-metadata NOTEBOOK...")
    for p in paths:
        strip_metadata(p)
