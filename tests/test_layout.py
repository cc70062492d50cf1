"""The layout rules of issue 9, checked on the source: no import cycles, no private
name across subpackages, no huge module, and every sourced constant defined once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ldn_compound
from ldn_compound import _rules, _tables

PACKAGE = Path(ldn_compound.__file__).parent
MAX_LINES = 450
#: where a sourced constant or a rule's threshold may be assigned
CONSTANT_HOMES = {"ldn_compound._tables", "ldn_compound._rules"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(module: str) -> bool:
    return SOURCES[module].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` statement in ``module`` reads from."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run: everywhere but under ``if TYPE_CHECKING``.

    An import deferred into a function is counted: it hides a cycle, it does
    not remove it (schedule <-> supply did exactly that).
    """
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _tree(module: str) -> ast.Module:
    return ast.parse(SOURCES[module].read_text(encoding="utf-8"))


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The library modules an import statement loads."""
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    else:
        source = _resolve(module, node)
        submodules = {f"{source}.{alias.name}" for alias in node.names} & SOURCES.keys()
        # `from . import _rules` loads the module, not the package's other names
        names = submodules if len(submodules) == len(node.names) else {source} | submodules
    # a package is always loaded before its modules: an edge to an ancestor is no cycle
    return {name for name in names
            if name in SOURCES and not module.startswith(name + ".")}


def _graph() -> dict[str, set[str]]:
    return {m: set().union(*(_targets(m, n) for n in _runtime_imports(_tree(m))))
            for m in SOURCES}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def _subpackage(module: str) -> str | None:
    """The subpackage below ldn_compound a module belongs to, or None at the top level."""
    parts = module.split(".")
    if _is_package(module):
        return module if len(parts) > 1 else None
    return ".".join(parts[:-1]) if len(parts) > 2 else None


def _private_imports(module: str) -> list[str]:
    """``source.name`` for every private name ``module`` imports from outside its subpackage.

    Importing a private *module* (``from . import _rules``) is allowed: its
    public names are the API between layers.
    """
    out = []
    for node in ast.walk(_tree(module)):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _resolve(module, node)
        if not source.startswith("ldn_compound"):
            continue
        for alias in node.names:
            name = alias.name
            if not name.startswith("_") or name.startswith("__"):
                continue
            if f"{source}.{name}" in SOURCES:  # a private module, not a private name
                continue
            home = _subpackage(module)
            if home is None or _subpackage(source) != home:
                out.append(f"{source}.{name}")
    return out


def _assigned_constants(module: str, names: set[str]) -> set[str]:
    """Module-level names in ``names`` that ``module`` assigns (not imports)."""
    out = set()
    for node in _tree(module).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        out |= {t.id for t in targets if isinstance(t, ast.Name) and t.id in names}
    return out


_GRAPH = _graph()
_IN_CYCLE = set().union(*_cycles(_GRAPH))
#: every sourced constant and every rule threshold, by the names their homes give them
SOURCED = set(_tables.__all__) | {"DECIMAL_SLIP_MG", "ROUNDING_WARNING", "SUGGESTED_UNITS",
                                  "MIN_SYRINGE_FILL", "LEAST_FRACTION",
                                  "MAX_DEFAULT_MAKE_UP_TOLERANCE"}


def test_the_graph_sees_imports():
    """The import graph is built from the real source: measurement imports _rules and devices."""
    assert {"ldn_compound._rules", "ldn_compound.devices"} <= _GRAPH["ldn_compound.measurement"]
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [{"a", "b"}]
    assert "SMALL_SYRINGE_VOLUME_ML" in SOURCED and hasattr(_rules, "DECIMAL_SLIP_MG")


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_import_cycle(module):
    """No module is part of an import cycle (imports that run, TYPE_CHECKING excluded)."""
    assert module not in _IN_CYCLE, sorted(c for c in _cycles(_GRAPH) if module in c)


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_private_name_crosses_a_subpackage(module):
    """A module imports ``_private`` names only from modules inside its own subpackage."""
    assert _private_imports(module) == []


def test_private_import_check_can_fail():
    """The private-name check flags a top-level module importing units._check."""
    node = ast.parse("from .units import _check\nfrom . import _rules\n")
    sources = [_resolve("ldn_compound.measurement", n) for n in node.body
               if isinstance(n, ast.ImportFrom)]
    assert sources == ["ldn_compound.units", "ldn_compound"]
    assert _subpackage("ldn_compound.measurement") is None and "ldn_compound._rules" in SOURCES


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_huge_module(module):
    """No source file is over 450 lines."""
    lines = len(SOURCES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{SOURCES[module].name}: {lines} lines"


@pytest.mark.parametrize("module", sorted(set(SOURCES) - CONSTANT_HOMES))
def test_sourced_constants_are_assigned_only_in_tables_and_rules(module):
    """A sourced constant (DECIMAL_SLIP_MG, MIN_FILL, syringe sizes) is imported, not copied."""
    assert _assigned_constants(module, SOURCED) == set()
