"""Notebook housekeeping: strip run-specific metadata so committed notebooks diff cleanly; run a
notebook's code in this process (many data folders, one Python, no kernel to start).

``python -m stockbook.nbtools strip-metadata notebooks/*.ipynb``
"""

from __future__ import annotations

import ast
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


def run_in_process(path: str, parameters: dict[str, object]) -> dict[str, object]:
    """Execute the code cells of notebook ``path`` here, top to bottom, with ``parameters`` set after its
    ``parameters`` cell (as papermill injects them); returns the notebook's namespace.

    Charts are drawn on matplotlib's Agg canvas and closed. An exception in a cell propagates with the
    cell's number in its note, so a test over many folders names what failed where.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = nbformat.read(path, as_version=4)
    ns: dict[str, object] = {"__name__": "__main__"}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            exec(compile(cell.source, f"{path} cell {i}", "exec"), ns)  # noqa: S102 - the project's own notebooks
        except Exception as exc:
            exc.add_note(f"in {path}, cell {i}")
            raise
        finally:
            plt.close("all")
        if "parameters" in cell.metadata.get("tags", []):
            ns.update(parameters)
    return ns


def declared_parameters(path) -> list[str]:
    """The names a notebook's ``parameters`` cell assigns (``tolerance_units: int = 0`` declares
    ``tolerance_units``), in order: what papermill's ``inspect_notebook`` reads, without importing papermill.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a: int = 1  # one\\nb = 'x'",
    ...                                                                 metadata={"tags": ["parameters"]})])
    >>> declared_parameters(nb)
    ['a', 'b']
    """
    nb = path if isinstance(path, nbformat.NotebookNode) else nbformat.read(str(path), as_version=4)
    cell = next(
        (c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None
    )
    if cell is None:
        return []
    names = []
    for node in ast.parse(cell.source).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


if __name__ == "__main__":
    cmd, *paths = sys.argv[1:]
    if cmd != "strip-metadata":
        raise SystemExit("usage: python -m stockbook.nbtools strip-metadata NOTEBOOK...")
    for p in paths:
        strip_metadata(p)
