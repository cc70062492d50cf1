"""Run a Jupyter notebook's code cells without a kernel, and check or write outputs.

The suite has no Jupyter dependency: each code cell is executed in one
namespace (as a kernel would), its printed text captured, and the value of a
trailing expression shown as ``repr`` (plus ``_repr_html_`` where it has one).
``python tests/notebook_runner.py --write examples/x.ipynb`` stores the real
outputs in the notebook; the tests re-run it and compare.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any


def _source(cell: dict[str, Any]) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else str(src)


def run_cells(path: Path) -> list[list[dict[str, Any]]]:
    """Execute the notebook's code cells; return each cell's outputs in nbformat shape."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"__name__": "__main__"}
    results = []
    old = os.getcwd()
    os.chdir(path.parent)
    try:
        for n, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
            tree = ast.parse(_source(cell), filename=f"{path.name}[{n}]")
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            buf = io.StringIO()
            outputs: list[dict[str, Any]] = []
            with contextlib.redirect_stdout(buf):
                exec(compile(tree, f"{path.name}[{n}]", "exec"), namespace)
                value = eval(compile(last, f"{path.name}[{n}]", "eval"), namespace) if last else None
            if buf.getvalue():
                outputs.append({"name": "stdout", "output_type": "stream",
                                "text": buf.getvalue().splitlines(keepends=True)})
            if value is not None:
                data: dict[str, Any] = {"text/plain": repr(value).splitlines(keepends=True)}
                if hasattr(value, "_repr_html_"):
                    data["text/html"] = value._repr_html_().splitlines(keepends=True)
                outputs.append({"data": data, "execution_count": n + 1, "metadata": {},
                                "output_type": "execute_result"})
            results.append(outputs)
    finally:
        os.chdir(old)
    return results


def stored_outputs(path: Path) -> list[list[dict[str, Any]]]:
    """The outputs saved in the notebook file."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c.get("outputs", []) for c in nb["cells"] if c["cell_type"] == "code"]


def checked_text(path: Path) -> str:
    """Run the notebook, check it prints exactly its stored outputs, return what it printed."""
    outputs = run_cells(path)
    assert outputs == stored_outputs(path), f"{path.name}: outputs differ from the stored ones"
    return "".join("".join(o.get("text", "")) for cell in outputs for o in cell)


def write_outputs(path: Path) -> None:
    """Run the notebook and save its real outputs into it."""
    outputs = run_cells(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for n, (cell, out) in enumerate(zip(code, outputs)):
        cell["outputs"] = out
        cell["execution_count"] = n + 1
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "--write":
        sys.exit("usage: python tests/notebook_runner.py --write NOTEBOOK.ipynb ...")
    for name in sys.argv[2:]:
        write_outputs(Path(name))
        print(f"wrote outputs of {name}")
