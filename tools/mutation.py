"""Mutation score of the arithmetic modules, one module at a time (mutmut 3).

Slow and not part of ``.ci/run``. Usage (from the repository root, after
``pip install -e ".[test,mutation]"``)::

    python tools/mutation.py                      # every module below
    python tools/mutation.py _exact units         # some of them
    python tools/mutation.py batch --sample 4     # 1 mutant in 4 (a fixed, stated sample)
    python tools/mutation.py stock --survivors    # also print each surviving mutant's diff

Each module is mutated in a scratch copy of the repository (``src/``, ``tests/``, the
``pyproject.toml`` and what tests read, :data:`DATA`) with ``--max-children 1`` (the machine is
shared), against its own test files only; mutmut then runs each mutant against
the tests that reached its function. Score = killed / (run - excluded).

What is excluded, and why, is in ``tools/mutation_exclusions.py``: a few narrow kinds
(reworded message text, a cache's size bound, a warning's stacklevel) and each
equivalent mutant named exactly (module, function, mutated line, original line).
Before any mutant runs, every equivalent entry of the module must name exactly one
generated mutant, and after the run none may name a mutant the tests kill: a stale or
over-broad entry fails the run (exit 1). A surviving equivalent mutant of a plain
function listed in ``PROBES`` is also tried against a short hypothesis search of the
function's inputs (``tools/mutation_probe.py``); if the search tells it from the
original, it counts as a survivor. ``--check`` only generates the mutants and checks
the entries (no test is run).

Two traps, handled:

- mutmut 3 does not mutate the body of a decorated function (``@property``
  included). The arithmetic behind properties lives in plain functions
  (``measurement._exact_volume`` ... wrapped as ``property(_exact_volume)``),
  so it is mutated.
- A module-level cache warm in the worker hides mutants behind it:
  ``tests/conftest.py`` clears ``units._parse_cache`` and
  ``units._quantity_cache`` before every test.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
PACKAGE = "src/ldn_compound"

#: module (path under the package) -> the test files that exercise it.
MODULES: dict[str, list[str]] = {
    "_exact": ["tests/test_exact.py", "tests/test_units.py", "tests/test_front_door.py",
               "tests/test_units_edges.py"],
    "_rules": ["tests/test_rules.py", "tests/test_rules_edges.py", "tests/test_measurement.py",
               "tests/test_measurement_fields.py", "tests/test_stock.py"],
    "measurement": ["tests/test_measurement.py", "tests/test_measurement_fields.py",
                    "tests/test_rules.py", "tests/test_devices.py"],
    "units": ["tests/test_units.py", "tests/test_units_edges.py", "tests/test_front_door.py",
              "tests/test_exact.py"],
    "stock": ["tests/test_stock.py", "tests/test_stock_sources.py", "tests/test_stock_edges.py",
              "tests/test_measurement.py", "tests/test_rules.py"],
    "devices": ["tests/test_devices.py", "tests/test_devices_edges.py", "tests/test_stock.py",
                "tests/test_measurement.py"],
    "batch": ["tests/batch", "tests/test_records.py", "tests/test_front_door.py",
              "tests/test_boundaries_hold.py", "tests/test_errors.py", "tests/test_fuzz_api.py"],
    "schedule": ["tests/schedule", "tests/test_records.py", "tests/test_fuzz_records.py",
                 "tests/test_verdict.py"],
    "multistock": ["tests/multistock"],
    "dilution": ["tests/dilution", "tests/test_records.py", "tests/test_fuzz_records.py"],
    "trituration": ["tests/dilution/test_trituration.py", "tests/dilution/test_equipment.py",
                    "tests/dilution/test_trituration_fields.py",
                    "tests/dilution/test_trituration_limits.py"],
    "fhir": ["tests/test_fhir.py", "tests/test_fhir_fields.py", "tests/test_fhir_request.py"],
    "_records": ["tests/test_records.py", "tests/batch/test_records_batch.py",
                 "tests/test_record_structure.py", "tests/test_fuzz_records.py"],
    "records": ["tests/test_records.py"],
    "serve": ["tests/serve/test_api.py", "tests/serve/test_cli_serve.py",
              "tests/serve/test_bodies.py", "tests/serve/test_record_forms.py",
              "tests/serve/test_page_fuzz.py", "tests/test_front_end_words.py",
              "tests/compounding/test_compounding_front_door.py",
              "tests/serve/test_service_fields.py", "tests/serve/test_page_fields.py"],
    "cli": ["tests/cli"],
    "multistock/_verdict": ["tests/multistock/test_plan_verdict.py"],
    "schedule/_cuts": ["tests/schedule"],
}

from mutation_exclusions import (  # noqa: E402  (tools/ is the script's directory)
    EQUIVALENT,
    EXCLUDED,
    MESSAGE_FUNCTIONS,
    MESSAGE_PARAMETERS,
    PROBES,
    WORDING_FROM,
    WORDING_KEYWORDS,
)

_STATUS = {1: "killed", 3: "killed", 0: "survived", 36: "timeout", 24: "timeout",
           -24: "timeout", 152: "timeout", 255: "timeout", 33: "survived", 5: "survived",
           34: "skipped", 37: "killed"}


#: module -> the sample it runs by default (1 mutant in N, a fixed selection by name
#: hash) for a module whose whole run would take more than an hour on the project's
#: 2-core machine (a mutant costs 1-15 s there: its tests include hypothesis searches),
#: N chosen so its run takes about half an hour; ``--sample`` overrides it. Modules not
#: listed run every mutant.
SAMPLES: dict[str, int] = {
    "_records": 4, "trituration": 6, "multistock": 10, "schedule": 25, "dilution": 40,
    "batch": 25, "serve": 20, "cli": 25,
}


def _module_file(module: str) -> str:
    path = f"{PACKAGE}/{module}"
    return path if (ROOT / path).is_dir() else path + ".py"


#: Files and directories (beside ``src/`` and ``tests/``) that tests read from the
#: repository root: copied into the scratch copy and (``also_copy``) into mutmut's
#: ``mutants/`` directory. Without them a test such as the example notebooks' fails in
#: mutmut's first (stats) run, and then no mutant runs at all.
DATA = ("README.md", "examples", "docs/reference")


def _config(module: str, tests: list[str]) -> str:
    target = _module_file(module)
    pattern = target + "/*" if target.endswith(module) else target
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = [{json.dumps(pattern)}]\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n'
        f"also_copy = {json.dumps(list(DATA))}\n"
        "use_git_change_detection = false\n"
    )


def _scratch(module: str, tests: list[str]) -> Path:
    work = Path(tempfile.mkdtemp(prefix=f"mutation-{module.strip('_').replace('/', '-')}-"))
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    for name in DATA:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif (ROOT / name).exists():
            shutil.copy2(ROOT / name, work / name)
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    (work / "pyproject.toml").write_text(pyproject + _config(module, tests), "utf-8")
    return work


def _mutmut(work: Path, *names: str) -> str:
    """Run the mutants (all, or ``names``); mutmut's output, last lines first kept."""
    env = dict(os.environ, HYPOTHESIS_PROFILE="mutation", PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names]
    done = subprocess.run(cmd, cwd=work, env=env, check=False, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")
    return done.stdout


def _nothing_ran(work: Path, chosen: list[str], output: str) -> list[str]:
    """A problem if mutmut ran none of the chosen mutants (its stats run failed, say):
    a score of 0 / 0 is no measurement."""
    codes = {m[0]: m[2] for m in _mutants(work)}
    if not chosen or any(codes.get(k) is not None for k in chosen):
        return []
    tail = " | ".join(line.strip() for line in output.strip().splitlines()[-3:])
    return [f"mutmut ran none of the {len(chosen)} mutants ({tail})"]


def _functions(mutated: Path) -> dict[str, ast.FunctionDef]:
    """Every function of a mutated file by name (originals are ``..__mutmut_orig``)."""
    tree = ast.parse(mutated.read_text("utf-8"))
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _qualified(mutmut_name: str) -> str:
    """``x_format_number__mutmut_3`` -> ``format_number``; ``xǁStockǁcheck__mutmut_orig``
    -> ``Stock.check``."""
    base = mutmut_name.rsplit("__mutmut_", 1)[0]
    parts = base.split("ǁ")
    return ".".join(parts[1:]) if len(parts) > 1 else base.removeprefix("x_")


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")


def _wording_arg(child: ast.AST, call: ast.Call) -> bool | None:
    """Whether ``child`` (an argument of ``call``) is the wording of an error or warning:
    None if ``call`` is neither an error nor warn; False for its structured fields
    (parameter, value, target..., and keywords such as kind=, override=)."""
    name = _call_name(call)
    if name not in WORDING_FROM and not name.endswith("Error"):
        return None
    if isinstance(child, ast.keyword):
        return child.arg in WORDING_KEYWORDS
    start, stop = WORDING_FROM.get(name, (0, None))
    index = next((i for i, arg in enumerate(call.args) if arg is child), None)
    return index is not None and index >= start and (stop is None or index < stop)


def _arithmetic(node: ast.AST) -> bool:
    """True for arithmetic (any operator but string +) or a number being formatted."""
    if isinstance(node, ast.BinOp):
        return not isinstance(node.op, ast.Add)
    return isinstance(node, ast.Call) and (_call_name(node).startswith("format_") or
                                           _call_name(node) == "exact_text")


def _in_message(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """True if ``node`` is inside the wording of an error or a warning (never its
    structured fields, never a number formatted into it), within one statement."""
    child = node
    while child in parents and not isinstance(child, ast.stmt):
        up = parents[child]
        if _arithmetic(child) and child is not node:
            return False  # a number shown in the text is checked, never excluded
        if isinstance(up, ast.Call):
            wording = _wording_arg(child, up)
            if wording is not None:
                return wording
        child = up
    return False


def _in_wording(node: ast.AST, parents: dict[ast.AST, ast.AST], fstring: bool = False) -> bool:
    """True if ``node`` is inside the wording of an error or warning (see
    :func:`_wording_arg`), or the wording argument of MESSAGE_PARAMETERS - with
    ``fstring``, only if inside an f-string there: then whatever changes, only words
    change."""
    child, seen = node, not fstring
    while child in parents:
        up = parents[child]
        if _arithmetic(child):
            return False  # a number shown in the text is checked, never excluded
        seen = seen or isinstance(up, ast.JoinedStr)
        if isinstance(up, ast.Call) and seen:
            name = _call_name(up)
            if _wording_arg(child, up):
                return True
            if name in MESSAGE_PARAMETERS:
                pos, keyword = MESSAGE_PARAMETERS[name]
                if (pos < len(up.args) and up.args[pos] is child) or (
                        isinstance(child, ast.keyword) and child.arg == keyword):
                    return True
        if isinstance(up, ast.stmt):
            return False
        child = up
    return False


def _message_variable(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """True if ``node`` only words a local (``x = f"..."``, ``x.append("...")``) that
    is message-only (:func:`_message_name`), and is no arithmetic or formatted number."""
    stmt = node
    while not isinstance(stmt, ast.stmt) and stmt in parents:
        if _arithmetic(stmt):
            return False
        stmt = parents[stmt]
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
            isinstance(stmt.targets[0], ast.Name) and node is not stmt.targets[0]:
        name = stmt.targets[0].id
    elif isinstance(stmt, ast.Expr) and isinstance(call := stmt.value, ast.Call) and \
            _call_name(call) == "append" and isinstance(call.func, ast.Attribute) and \
            isinstance(call.func.value, ast.Name) and any(
                node is arg or node in set(ast.walk(arg)) for arg in call.args):
        name = call.func.value.id
    else:
        return False
    return _message_name(name, stmt, parents, 0)


def _message_name(name: str, at: ast.AST, parents: dict[ast.AST, ast.AST], depth: int) -> bool:
    """True if every read of local ``name`` is a message's argument, the wording argument
    of MESSAGE_PARAMETERS, ``if name:``, ``name is None``, ``name.append(...)``, or the
    value of another such local (a text changed into another text of the same
    emptiness: ``if name:`` and ``is None`` decide as before)."""
    root = at
    while not isinstance(root, ast.FunctionDef) and root in parents:
        root = parents[root]
    reads = [n for n in ast.walk(root) if isinstance(n, ast.Name) and n.id == name and
             isinstance(n.ctx, ast.Load)]
    return bool(reads) and all(_message_read(n, parents, depth) for n in reads)


def _message_read(read: ast.Name, parents: dict[ast.AST, ast.AST], depth: int) -> bool:
    up = parents.get(read)
    if isinstance(up, ast.Attribute) and up.attr == "append":
        return True  # adding to the list of texts
    if isinstance(up, ast.If) and up.test is read:
        return True  # `if problems:` - a text stays a text of the same emptiness
    if isinstance(up, ast.Compare) and len(up.ops) == 1 and \
            isinstance(up.ops[0], (ast.Is, ast.IsNot)) and \
            isinstance(up.comparators[0], ast.Constant) and up.comparators[0].value is None:
        return True
    if _in_wording(read, parents):
        return True
    stmt: ast.AST = read
    while not isinstance(stmt, ast.stmt) and stmt in parents:
        stmt = parents[stmt]
    return depth < 3 and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
        isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id != read.id and \
        _message_name(stmt.targets[0].id, stmt, parents, depth + 1)


Pair = tuple[ast.AST, ast.AST]


def _differences(x: ast.AST, y: ast.AST) -> list[Pair]:
    """The smallest nodes of ``x`` that differ from ``y`` (same type), each with the
    node of ``y`` in its place."""
    out: list[Pair] = []
    for field in x._fields:
        a, b = getattr(x, field, None), getattr(y, field, None)
        if isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                return [(x, y)]
            pairs = list(zip(a, b, strict=True))
        else:
            pairs = [(a, b)]
        for p, q in pairs:
            if isinstance(p, ast.AST) and type(p) is type(q):
                out += _differences(p, q)
            elif isinstance(p, ast.AST) or isinstance(q, ast.AST) or p != q:
                return [(x, y)]
    return out


def _text_for_text(pair: Pair) -> bool:
    """Both nodes are text constants, both empty or both not (or f-strings showing the
    same values, only their literal text changed): a reworded text, which
    ``if x:``, ``x is None`` and ``len(x) > 0`` read the same (``x = None`` counts)."""
    a, b = pair
    if isinstance(a, ast.JoinedStr) and isinstance(b, ast.JoinedStr):  # f"{x} text" "more"
        shown = [[ast.dump(v) for v in n.values if not isinstance(v, ast.Constant)]
                 for n in pair]
        return shown[0] == shown[1] and bool(a.values) == bool(b.values)
    return all(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in pair) and \
        bool(a.value) == bool(b.value)  # type: ignore[attr-defined]


def _cache_bound(pair: Pair, parents: dict[ast.AST, ast.AST]) -> bool:
    """The pair is the bound or the operator of ``len(<module cache>) < N``, and nothing
    else: ``if len(_parse_cache) < 4096: _parse_cache[key] = value``."""
    node, new = pair
    compare = node if isinstance(node, ast.Compare) else parents.get(node)
    if not isinstance(compare, ast.Compare) or len(compare.comparators) != 1:
        return False
    left = compare.left
    if not (isinstance(left, ast.Call) and _call_name(left) == "len" and len(left.args) == 1
            and isinstance(left.args[0], ast.Name) and left.args[0].id.endswith("_cache")):
        return False
    if node is compare:  # the operator changed (< to <=): the same operands
        return isinstance(new, ast.Compare) and ast.dump(new.left) == ast.dump(left) and \
            ast.dump(new.comparators[0]) == ast.dump(compare.comparators[0])
    return node is compare.comparators[0] and all(
        isinstance(n, ast.Constant) and type(n.value) is int for n in pair)


def _kind_of(pair: Pair, parents: dict[ast.AST, ast.AST]) -> str | None:
    node = pair[0]
    if _text_for_text(pair) and (_in_message(node, parents) or _in_wording(node, parents) or
                                 _message_variable(node, parents)):
        return "message"
    if _in_wording(node, parents, fstring=True):
        return "message"  # inside an f-string that is only a message's wording
    if _cache_bound(pair, parents):
        return "cache-bound"
    up: ast.AST | None = node
    while up is not None and not isinstance(up, ast.stmt):
        if isinstance(up, ast.keyword) and up.arg == "stacklevel":
            return "warning-stacklevel"
        up = parents.get(up)
    return None


def _without_stacklevel(f: ast.FunctionDef) -> str:
    """The function's body with every stacklevel= keyword taken out, as a dump."""
    body = ast.parse(ast.unparse(ast.Module(f.body, [])))
    for node in ast.walk(body):
        if isinstance(node, ast.Call):
            node.keywords = [k for k in node.keywords if k.arg != "stacklevel"]
    return ast.dump(body)


def _lines(f: ast.FunctionDef) -> list[str]:
    """The parameters (defaults included) as one line, then the body's lines, stripped."""
    body = ast.unparse(ast.Module(f.body, [])).splitlines()
    return [ast.unparse(f.args), *(line.strip() for line in body)]


def _change(orig: ast.FunctionDef, mutant: ast.FunctionDef) -> tuple[str, str] | None:
    """(mutated line, original line) if the mutant changes exactly one line, else None;
    an original line the function has twice ends in ``  # 1 of 2`` (or ``2 of 2``)."""
    a, b = _lines(orig), _lines(mutant)
    if len(a) != len(b):
        return None
    changed = [(i, new, old) for i, (old, new) in enumerate(zip(a, b, strict=True))
               if old != new]
    if len(changed) != 1:
        return None
    i, new, old = changed[0]
    if a.count(old) > 1:  # a line written twice: say which
        old += f"  # {a[:i + 1].count(old)} of {a.count(old)}"
    return new, old


def _equivalent(file: str, orig: ast.FunctionDef, mutant: ast.FunctionDef) -> int | None:
    """The index in EQUIVALENT of the one entry naming this mutant, or None."""
    change = _change(orig, mutant)
    if change is None:
        return None
    function = _qualified(orig.name)
    hits = [i for i, (f, fn, mutated, original, _why) in enumerate(EQUIVALENT)
            if (f, fn, mutated, original) == (file, function, *change)]
    return hits[0] if len(hits) == 1 else None


def _kind(orig: ast.FunctionDef, mutant: ast.FunctionDef) -> str | None:
    """The excluded kind of a mutant (other than equivalent), or None if it counts."""
    function = _qualified(orig.name).rsplit(".", 1)[-1]
    if ast.dump(ast.Module(orig.body, [])) != ast.dump(ast.Module(mutant.body, [])) and \
            _without_stacklevel(orig) == _without_stacklevel(mutant):
        return "warning-stacklevel"
    found = _differences(ast.Module(orig.body, []), ast.Module(mutant.body, []))
    parents = _parents(orig)
    if function in MESSAGE_FUNCTIONS and found and all(
            _text_for_text(pair) and not isinstance(parents.get(pair[0]), ast.Compare)
            for pair in found):
        return "message"  # (a string compared decides a branch: never only wording)
    if not found:
        return None
    kinds = {_kind_of(pair, parents) for pair in found}
    return kinds.pop() if len(kinds) == 1 else None


def _measure(module: str, tests: list[str], sample: int, keep: bool,
             survivors: bool) -> dict[str, object]:
    work = _scratch(module, tests)
    try:
        (work / "mutation-sample.txt").write_text(str(sample), "utf-8")  # for --rescore
        _generate(work)  # the mutants only, to check the exclusions before any run
        stale = _check_exclusions(work, module)
        keys = [m[0] for m in _mutants(work)]
        chosen = keys if sample <= 1 else \
            [k for k in keys if zlib.crc32(k.encode()) % sample == 0]
        if chosen:
            output = _mutmut(work, *([] if sample <= 1 else chosen))
            stale += _nothing_ran(work, chosen, output)
        return {**_score(work, module, chosen, survivors, stale), "sample": sample}
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"  kept {work}")


def _rerun(work: Path, module: str, chosen: list[str]) -> list[str]:
    """Copy the repository's current tests (and :data:`DATA`, and the module's test
    list) into a kept scratch directory and run its chosen mutants that survived (or
    were not run) again; a problem if that run ran none of them."""
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8") + _config(module, MODULES[module])
    mutated = ROOT / _module_file(module)
    if _differs(mutated, work / _module_file(module)):
        return [f"{module}: the source changed since {work} was made; run it afresh"]
    for source in (ROOT / "src").rglob("*.py"):  # the rest of the package as it is now
        if source != mutated and mutated not in source.parents:
            for target in (work, work / "mutants"):
                dest = target / source.relative_to(ROOT)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest)
    changed = (work / "pyproject.toml").read_text("utf-8") != pyproject
    for target in (work, work / "mutants"):
        (target / "pyproject.toml").write_text(pyproject, "utf-8")
        for name in ("tests", *DATA):
            source, dest = ROOT / name, target / name
            if source.is_dir():
                shutil.copytree(source, dest, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__"))
            elif source.exists():
                shutil.copy2(source, dest)
    wanted = set(chosen)  # a changed test list makes mutmut forget every result: all again
    again = [key for key, _f, code, _o, _m in _mutants(work)
             if key in wanted and (changed or _STATUS.get(code, "other") not in
                                   ("killed", "timeout"))]
    print(f"  running {len(again)} surviving mutants again", flush=True)
    return _nothing_ran(work, again, _mutmut(work, *again)) if again else []


def _differs(a: Path, b: Path) -> bool:
    """True if file or directory ``a`` and ``b`` hold different Python sources."""
    if a.is_file():
        return not b.is_file() or a.read_bytes() != b.read_bytes()
    names = {p.relative_to(a) for p in a.rglob("*.py")} | \
        {p.relative_to(b) for p in b.rglob("*.py")}
    return any(_differs(a / n, b / n) for n in names)


def _in_module(file: str, module: str) -> bool:
    return file == module or file.startswith(module + "/")


def _generate(work: Path) -> None:
    """Write the mutants only (mutmut's own generation step; no test is run)."""
    code = ("import os, mutmut.__main__ as m; m.set_mutant_under_test('mutant_generation'); "
            "os.makedirs('mutants', exist_ok=True); m.copy_src_dir(); m.copy_also_copy_files(); "
            "m.setup_source_paths(); m.create_mutants(1)")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run([sys.executable, "-c", code], cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _mutants(work: Path) -> list[tuple[str, str, int | None, ast.FunctionDef, ast.FunctionDef]]:
    """Every generated mutant: (key, file, exit code or None if not run, original, mutant)."""
    out = []
    package = work / "mutants" / PACKAGE
    for path in sorted(package.rglob("*.py")):
        text = path.read_text("utf-8")
        if "__mutmut_orig" not in text:
            continue
        meta = path.with_name(path.name + ".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
        functions = _functions(path)
        file = path.relative_to(package).as_posix().removesuffix(".py")
        prefix = "ldn_compound." + file.replace("/", ".") + "."
        for name, mut in functions.items():
            if "__mutmut_" not in name or name.endswith("__mutmut_orig"):
                continue
            orig = functions.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
            if orig is not None:
                out.append((prefix + name, file, codes.get(prefix + name), orig, mut))
    return out


def _check_exclusions(work: Path, module: str) -> list[str]:
    """Every EQUIVALENT entry of ``module`` names exactly one generated mutant, or a
    problem is returned for it (a stale or over-broad exclusion fails the run)."""
    matched = {i: 0 for i, entry in enumerate(EQUIVALENT) if _in_module(entry[0], module)}
    for _key, file, _code, orig, mut in _mutants(work):
        change = _change(orig, mut)
        if change is None:
            continue
        for i in matched:
            f, fn, mutated, original, _why = EQUIVALENT[i]
            if (f, fn, mutated, original) == (file, _qualified(orig.name), *change):
                matched[i] += 1
    return [f"EQUIVALENT[{i}] {EQUIVALENT[i][:2]} {EQUIVALENT[i][2]!r} names {n} mutants, "
            f"not 1" for i, n in matched.items() if n != 1]


def _probe(work: Path, cases: list[tuple[str, str, str]]) -> dict[str, str]:
    """Run each (key, callable path, strategy) probe: the original and the mutant are
    called on a short hypothesis search of inputs; the keys the search tells apart,
    each with the input that did."""
    if not cases:
        return {}
    env = dict(os.environ, PYTHONPATH=str(work / "mutants" / "src"),
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("MUTANT_UNDER_TEST", None)
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("mutation_probe.py"))],
                         input=json.dumps(cases), cwd=work, env=env, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"probe failed: {out.stderr[-2000:]}")
    return dict(json.loads(out.stdout))


def _score(work: Path, module: str, chosen: list[str], survivors: bool,
           stale: list[str]) -> dict[str, object]:
    counts = {"killed": 0, "survived": 0, "excluded": 0, "other": 0}
    by_kind: dict[str, int] = {}
    left: list[str] = []
    wanted = set(chosen)
    equivalent: dict[str, int] = {}
    problems = list(stale)
    for key, file, code, orig, mut in _mutants(work):
        if key not in wanted:
            continue
        status = _STATUS.get(code, "other") if code is not None else "other"
        entry = _equivalent(file, orig, mut)
        if status in ("killed", "timeout") and entry is not None:
            problems.append(f"EQUIVALENT[{entry}] {EQUIVALENT[entry][:3]} names {key}, which "
                            f"the tests kill: not equivalent")
        if status == "survived" and entry is not None:
            equivalent[key] = entry
            continue
        if status == "survived":
            kind = _kind(orig, mut)
            if kind is not None:
                by_kind[kind] = by_kind.get(kind, 0) + 1
                status = "excluded"
            else:
                left.append(key)
        status = "killed" if status == "timeout" else status
        counts[status if status in counts else "other"] += 1
    probes = [(key, EQUIVALENT[i][0] + ":" + EQUIVALENT[i][1], PROBES[EQUIVALENT[i][:2]])
              for key, i in equivalent.items() if EQUIVALENT[i][:2] in PROBES]
    told = _probe(work, probes)
    for key in equivalent:
        if key in told:  # the probe found an input where the two differ: it counts
            counts["survived"] += 1
            left.append(key)
            problems.append(f"{key} is listed as equivalent, but {told[key]}")
        else:
            counts["excluded"] += 1
            by_kind["equivalent"] = by_kind.get("equivalent", 0) + 1
    run = counts["killed"] + counts["survived"]
    score = counts["killed"] / run if run else 0.0
    if survivors:
        for key in left:
            print(f"--- {key}")
            shown = subprocess.run([sys.executable, "-m", "mutmut", "show", key], cwd=work,
                                   capture_output=True, text=True, check=False)
            print(shown.stdout.strip())
    for problem in problems:
        print(f"  EXCLUSION PROBLEM: {problem}")
    return {"module": module, **counts, "score": score, "excluded_by_kind": by_kind,
            "probed": len(probes), "survivors": left, "problems": problems}


def _print_row(row: dict[str, object]) -> None:
    print(f"  {row['killed']} killed, {row['survived']} survived, {row['excluded']} "
          f"excluded {row['excluded_by_kind']} ({row['probed']} equivalent ones probed), "
          f"{row['other']} not run (no test reaches them, or skipped): "
          f"score {row['score']:.1%}", flush=True)


def _table(rows: list[dict[str, object]]) -> None:
    print(f"\nMutation scores, {datetime.date.today().isoformat()} (mutmut "
          f"{importlib.metadata.version('mutmut')}; killed / run, excluded mutants left out):")
    print("\n| module | score | killed / run | excluded | not run | sample |\n"
          "|---|---|---|---|---|---|")
    for row in rows:
        run = int(row["killed"]) + int(row["survived"])  # type: ignore[call-overload]
        kinds, sample = row["excluded_by_kind"], row["sample"]
        assert isinstance(kinds, dict)
        why = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        print(f"| `{row['module']}` | {row['score']:.1%} | {row['killed']} / {run} | "
              f"{row['excluded']}{f' ({why})' if why else ''} | {row['other']} | "
              f"{'all' if sample == 1 else f'1 in {sample}'} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES),
                        help=f"modules under {PACKAGE} (default: {' '.join(MODULES)})")
    parser.add_argument("--sample", type=int,
                        help="run 1 mutant in SAMPLE (a fixed selection by name hash; "
                             "default: the module's entry in SAMPLES, else every mutant)")
    parser.add_argument("--tests", nargs="+", help="test files (default: the module's own)")
    parser.add_argument("--survivors", action="store_true", help="print surviving mutants")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--rescore", type=Path, nargs="+",
                        help="score kept scratch directories again (one per module named)")
    parser.add_argument("--rerun", action="store_true",
                        help="with --rescore: copy the current tests into each directory "
                             "and run its surviving mutants again before scoring (a killed "
                             "mutant stays killed: tests are only ever added)")
    parser.add_argument("--check", action="store_true",
                        help="only generate the mutants and check that every EQUIVALENT "
                             "entry names exactly one of them (fast: no test is run)")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; known: {list(MODULES)}")
    if args.check:
        problems = []
        for module in args.modules:
            work = _scratch(module, MODULES[module])
            try:
                _generate(work)
                problems += _check_exclusions(work, module)
                print(f"== {module}: {len(_mutants(work))} mutants", flush=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        for problem in problems:
            print(f"  EXCLUSION PROBLEM: {problem}")
        return 1 if problems else 0
    print("Excluded kinds:")
    for kind, why in EXCLUDED.items():
        print(f"  {kind}: {why}")
    rows = []
    if args.rescore:  # kept scratch directories, in the order of the modules named
        for module, work in zip(args.modules, args.rescore, strict=True):
            marker = work / "mutation-sample.txt"
            sample = int(marker.read_text("utf-8")) if marker.exists() else 1
            keys = [m[0] for m in _mutants(work)]
            chosen = keys if sample <= 1 else \
                [k for k in keys if zlib.crc32(k.encode()) % sample == 0]
            print(f"== {module} (rescored: {work}" +
                  (f", 1 in {sample} sampled)" if sample > 1 else ")"), flush=True)
            stale = _check_exclusions(work, module)
            if args.rerun:
                stale += _rerun(work, module, chosen)
            rows.append({**_score(work, module, chosen, args.survivors, stale),
                         "sample": sample})
            _print_row(rows[-1])
        args.modules = []
    for module in args.modules:
        sample = args.sample or SAMPLES.get(module, 1)
        print(f"== {module}" + (f" (1 in {sample} sampled)" if sample > 1 else ""),
              flush=True)
        row = _measure(module, args.tests or MODULES[module], sample, args.keep,
                       args.survivors)
        rows.append(row)
        _print_row(row)
    _table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), "utf-8")
    return 1 if any(row["problems"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
