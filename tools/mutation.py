"""Mutation score of the arithmetic modules, one module at a time (mutmut 3).

Slow and not part of ``.ci/run``. Usage (from the repository root, after
``pip install -e ".[test,mutation]"``)::

    python tools/mutation.py                      # every module below
    python tools/mutation.py _exact units         # some of them
    python tools/mutation.py batch --sample 4     # 1 mutant in 4 (a fixed, stated sample)
    python tools/mutation.py stock --survivors    # also print each surviving mutant's diff

Each module is mutated in a scratch copy of the repository (``src/``, ``tests/``,
``pyproject.toml``, ``README.md``) with ``--max-children 1`` (the machine is
shared), against its own test files only; mutmut then runs each mutant against
the tests that reached its function. Score = killed / (run - excluded).

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
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
    "batch": ["tests/batch"],
    "stock": ["tests/test_stock.py", "tests/test_measurement.py", "tests/test_rules.py"],
    "devices": ["tests/test_devices.py", "tests/test_stock.py", "tests/test_measurement.py"],
    "batch": ["tests/batch", "tests/test_records.py", "tests/test_front_door.py",
              "tests/test_boundaries_hold.py", "tests/test_errors.py", "tests/test_fuzz_api.py"],
    "multistock": ["tests/multistock"],
    "multistock/_verdict": ["tests/multistock/test_verdict.py"],
    "schedule/_cuts": ["tests/schedule"],
}

#: Mutant kinds left out of the score, each with its reason. A mutant is excluded
#: when every difference between it and the original function is of one kind.
EXCLUDED = {
    "message": "only the wording of an error or warning message inside an exception's "
               "arguments changes (never an InputError's parameter, value or override; "
               "e.g. 'a number' -> 'XXa numberXX'): the tests branch on "
               "exc.kind and exc.parameter, never on message text (team rule). Also any "
               "change inside an f-string that is an error's expected (3rd) argument or a "
               "warning's text (never arithmetic or a number given to format_*), and any "
               "change to the value of a local that only words a "
               "message (x = f'...', x.append('...'), every read of x being such an "
               "argument, the wording argument of MESSAGE_PARAMETERS, `if x:`, `x is None` "
               "or another such local). Tests reach each such line, so a mutant that "
               "raises there instead is still killed",
    "cache-bound": "only the size bound of a module-level cache changes "
                   "(len(_parse_cache) < 4096 -> <= 4096 / 4097): a cache holds results "
                   "that are computed again when missing, so its size is invisible",
    "warning-stacklevel": "only warnings.warn's stacklevel changes (or is dropped): it picks "
                          "which caller's line the DeprecationWarning names, not any number "
                          "or result; under mutmut its trampoline adds a frame, so no test "
                          "there can check it (the normal suite does)",
    "equivalent": "proven equivalent, each listed in EQUIVALENT with its reason",
}

#: Functions whose only output is the wording of an error message (the "message" kind
#: covers string constants anywhere in them).
MESSAGE_FUNCTIONS = {"number_problem", "_unit_error", "_case_hint", "_expected"}

#: Library functions whose parameter (position, keyword) is used only as the wording
#: of the InputError they raise: a string passed there is part of a message.
MESSAGE_PARAMETERS = {"to_fraction": (2, "expected"), "fraction_from_text": (2, "expected")}

#: Proven-equivalent mutants: (function, text of the mutated line, why no test can tell).
EQUIVALENT = [
    ("float_decimal", "if k > 0 else", "at k == 0 both branches give (num, 1)"),
    ("float_decimal", "if k >= 1 else", "as above"),
    ("read_number", "if scale > 0 else", "at scale == 0 both give Fraction(n)"),
    ("read_number", "if scale >= 1 else", "as above"),
    ("format_number", 'if fx <= 0 else', "fx == 0 has returned '0' just before"),
    ("least_accurate_count", "max(ceil_div(",
     "the third term, floor(0.1 mL / unit) + 1, is at least 1 already"),
    ("format_number", "ctx.prec = 61",
     "60 digits of working precision or 61: the quantized result has at most `sig` digits"),
    ("format_number", "isinstance(x, Fraction) and False",
     "a Fraction then takes the else branch, and Fraction(x) of a Fraction is itself"),
    ("format_number exact_text", 'text.rstrip(',
     "q.normalize() already dropped trailing zeros: the text never ends in 0 or '.'"),
    ("format_number exact_text", '.rstrip(".")', "as above"),
    ("format_number exact_text", "XX.XX", "as above: the stripping does nothing"),
    ("format_number", "Decimal(2).scaleb(",
     "quantize reads only the exponent of its argument, not its digit"),
    ("describe __attrs_post_init__",
     "self.tablets is not None or self._tablet_strength is not None",
     "Stock refuses tablets without tablet_strength and the reverse: both or neither"),
    ("_to_drug", "parse(value, CONCENTRATION, ",
     "a probe: its result is dropped and its error caught and replaced by the mass "
     "error, so the parameter name it is given is never seen"),
    ("format_percent", "x >= 0", "x == 0 has returned '0 %' just before"),
    ("_numpy_fraction", "np.format_float_scientific(value, ",
     "unique=True is numpy's default; trim only changes trailing zeros Decimal ignores"),
    ("_decimal", "ctx.prec = 41",
     "40 or 41 digits: format_number quantizes to a few figures and exact_text divides "
     "only terminating decimals of fewer digits"),
    ("_unit_volume_parts _over_capacity", "type(None) is Dropper",
     "the Dropper fast path skips a Fraction: 1/dpm's numerator and denominator are dpm's "
     "the other way round, and count / dpm > max_drops / dpm is count > max_drops"),
    ("cut_needs", "need * (2 * (OVERCUT_FACTOR - 1))",
     "OVERCUT_FACTOR is 3/2 (_tables), so 2 x (3/2 - 1) is 1: times or over 1 is the same"),
    ("is_small_syringe_volume", "den / p",
     "SMALL_SYRINGE_VOLUME_ML is 1/10 (_tables): p is 1, and den * 1 is den / 1"),
    ("is_above_ldn_band is_decimal_slip", "num / q",
     "LDN_MAX_MG (5) and DECIMAL_SLIP_MG (45) are whole numbers: q is 1"),
    ("weighing_resolution", "while res >= limit",
     "on a power of ten the first loop goes one step too far and the second climbs back"),
    ("parse quantity_factor", "hit = None",
     "the cache is skipped and the value computed again: the same exact Fraction"),
    ("parse", "hit = _parse_cache.get(None)", "as above: a miss every time"),
    ("quantity_factor", "zip(vector, part[0], strict=",
     "both are always 3-vectors (mass, volume, time): strict never has to act"),
    ("_factor", "unit.rpartition('/')",
     "no unit of either table contains '/': with one slash both split alike; with more, "
     "one side keeps a '/' and is in neither table"),
    ("_is_unit_char", "XX", "'X' is an ASCII letter, already a unit character"),
    ("_parse_text", "_TABLE.get(None, {})",
     "read_plain is a fast path: with no unit table it returns None, and the full "
     "grammar reads the same text to the same Fraction"),
    ("_quote", "'shape', None)", "None and () are both false: the value is returned as is"),
    ("_unit_part", "(0, n / 3, 0)",
     "n % 3 == 0 there: n / 3 is the whole float equal to n // 3, and the vector is only "
     "summed and compared (1.0 == 1)"),
    ("get_registry", "reg = None",
     "the unlocked fast path skipped: under the lock _registry is found set, the same one"),
    ("get_registry", "app.Quantity(",
     "the Quantity is thrown away: building any one forces pint's lazy build alike"),
    ("parse", "_parse_cache[key] = None", "a None entry is a miss: computed again, the same"),
    ("quantity_factor", "_quantity_cache[key] = None", "as above"),
    ("quantity_factor", "_quantity_cache.get(None)", "a miss every time: computed again"),
    ("quantity_factor", "zip(vector, part[0])]", "strict dropped: both are always 3-vectors"),
    ("is_device checked_device device_volume_error", "type(None) in (Dropper, OralSyringe)",
     "a fast path: the library's own devices satisfy Device, have volume_error and pass "
     "every check (made so when built: drop 1/100-1 mL, graduation <= capacity <= 100 mL, "
     "capacity > 0, error <= 1/2), so the general path returns the same"),
    ("__init__", "capacity: VolumeLike='1 ml'",
     "OralSyringe's default capacity: 'ml' and 'mL' are both exactly 1 mL in the unit table"),
    # -- batch: performance-only choices between two exact paths, numpy facts, unreachable
    ("rate", "isinstance(rn, int) or isinstance(rd, int)",
     "read_pair makes rn and rd together: both Python ints (one pair) or both arrays"),
    ("block_counts", "vmax = hi * k * (2 + 2.0 ** (-40))",
     "a larger vmax only widens the band (more doses read exactly, the same counts) or "
     "sends the batch to _general_counts (the same counts)"),
    ("float_counts", "hi * f * (2 + RHO) >=",
     "the slip test then runs on more batches; compare() decides it exactly either way"),
    ("block_counts", "t += -0.5 if mode == 'up' else 0.5",
     "down/up: |t -+ 1/2| >= 1/2 for every dose, so every dose is read exactly: same counts"),
    ("block_counts", "mode == 'UP'", "as above: 'up' then marks every dose near"),
    ("block_counts", "if t.max() > limit:",
     "t == limit is RHO (2 vmax + 2) from the boundary, 4x the error bound (module doc): "
     "its float count is already the exact one"),
    ("block_counts", "b_all = n.empty(size)",
     "b is only greater_equal's out= and read by flatnonzero: 0./1. give the same indices"),
    ("block_counts fused_outputs", "else n.empty(0, dtype=None)",
     "an empty index array: every caller tests idx.size before indexing with it"),
    ("block_counts fused_outputs", "else n.empty(0)", "as above"),
    ("_reading", "np.empty(0, dtype=None)", "as above: _patch tests idx.size first"),
    ("_reading", "(None, np.empty(0), self._limits", "as above"),
    ("block_counts sample_scale fused_outputs measurement to_dict", "reshape(-2)",
     "numpy reads any negative size as 'the rest': reshape(-2) is reshape(-1)"),
    ("compare", "tol = (v + lf) / RHO",
     "a band wider than any value: every dose is decided exactly by _resolve, same result"),
    ("compare", "v > lf if strict and False else v >= lf",
     "they differ only at v == limit, always near (distance 0): _resolve decides it exactly"),
    ("compare", "v >= lf if strict else v >= lf", "as above"),
    ("block_counts", "if vmax < _BIG:",
     "below 2**50 units _general_counts gives the same counts; 2**50 or more is far over "
     "any capacity (10**6 mL at most, units of 10**-6 mL at least: 10**12) and set to 0"),
    ("large_rounding", "c = n.asarray(count, dtype=None)",
     "counts of float doses are float64 already (float_counts allocates them so)"),
    ("large_rounding", "near |= ~(v <= _BIG)",
     "2**50 units is far over any capacity (10**6 mL at most, units of 10**-6 mL at "
     "least: 10**12): that element is not OK and its flags are masked"),
    ("_magnitudes", "arr.dtype.itemsize <= 9", "numpy float sizes are 2, 4, 8, 12, 16: none is 9"),
    ("_magnitudes", "kind in 'XXiuXX'", "no numpy dtype kind is 'X'"),
    ("_magnitudes", "to_fraction(x, None)",
     "its InputError is given the parameter doses[i] by evolve() just below"),
    ("_float_doses", "d = n.asarray(mag",
     "mag is float64 already: _float_width widens float16 and float32"),
    ("_float_doses", "MASS, 'doses', None)",
     "that InputError is caught and raised again just below, naming the element and text"),
    ("_float_doses", "hi if flat.size else 1.0",
     "only an empty batch has no largest dose, and every output of an empty batch is empty"),
    ("read_doses", "'XXnumpyXX'",
     "numpy scalars are not Sequences: refused just below as 'doses' (other wording)"),
    ("read_doses", "'XXdecimalXX'", "as above: a Decimal is not a Sequence"),
    ("read_doses", "'XXfractionsXX'", "as above: a Fraction is not a Sequence"),
    ("read_doses", "parse(x, MASS, 'XXdosesXX')",
     "its InputError is renamed doses[i] by evolve() just below"),
    ("read_doses", "parse(x, MASS, 'DOSES')", "as above"),
    ("_error_block", "n.not_equal(o, None, out=other)",
     "every dose is then 'not a decimal': _fuse drops its error and _rounding_error "
     "computes the same values"),
    ("fused_outputs", "zip(outs, parts)", "strict=False is zip's default"),
    ("count_units", "if 3 * num_max + 3 * den_max < EXACT",
     "a stricter bound only sends more batches to the exact Python-int path"),
    ("count_units", "count = n.multiply(dn, 2 * rn)",
     "dn is a float64 array on this path (exact_floats): the product is float64 anyway"),
    ("count_units", "count = n.multiply(dn, 2 * rn, dtype=None)", "as above"),
    ("count_units", "count = n.multiply(dn, rn)", "as above"),
    ("count_units", "count = n.multiply(dn, rn, dtype=None)", "as above"),
    ("count_units", "n.asarray(exact, dtype=None)",
     "exact is already an object array of Python ints (dn is an array)"),
    ("count_units", "exact_floats(n.asarray(exact))", "as above"),
    ("measure_many", "limits = ''",
     "float doses never read _limits, and '' is falsy as None is"),
    ("_cached", "value.flags.writeable = None", "numpy reads None as False"),
    ("_masked", "values.shape != self.shape or values.flags.writeable",
     "every caller passes a new writeable array of the batch's shape: one more copy"),
    ("_masked", "np.broadcast_to(None, self.shape)",
     "unreachable: every caller passes an array of the batch's shape"),
    ("_reading", "'XXreadingXX'", "a cache key: a miss reads the doses again, exactly"),
    ("_decimal", "'DECIMAL'", "as above"),
    ("_decimal", "'XXdecimalXX'", "as above"),
    ("_fusable", "if error:",
     "which of two exact paths computes the outputs: the fused pass or one by one"),
    ("_fusable", "dose = None", "as above: the fused error is skipped, computed apart"),
    ("_fusable _flags", "<= EXACT",
     "at 2**52 itself every product and difference is still an integer below 2**53"),
    ("element_flags sample_scale", "> EXACT", "as above"),
    ("decimal_reading", "(flat.size - 1, None,",
     "which k (or None) is taken only sets how many doses are patched one by one, exactly"),
    ("decimal_reading", ") / 256 > head.size", "as above: the first look only skips a k"),
    ("decimal_reading", "if left <= best[0]:", "as above"),
    ("decimal_reading", "spacing * scale >= 1 and hi * scale >= EXACT",
     "spacing(hi) <= hi 2**-52, so the first test implies the second: the loop then stops "
     "at the same k or later, past 2**52, where n < 2**53 is still exact (other paths)"),
    ("sample_scale", "n.rint(sample * s) * s != sample",
     "the sample only guesses k: the fused pass checks every dose at that k"),
    ("sample_scale", "n.rint(sample / s) / s != sample", "as above"),
    ("read_exact", "ns = n.rint(xs / s)",
     "then no dose passes ns / s == x: every dose is read one by one, exactly"),
    ("read_exact", "if factor == 2:",
     "no mass unit is 2 mg; with factor 1 the other branch multiplies by 1/1: same ints"),
    ("limits", "(int(np().ceil(hi * scale)) - 1)",
     "num_max 2 x numerator x rn lower: a value it misses is still below 2**53, exact"),
    ("_fuse", "self._fusable(error=False)",
     "the fused error is skipped and computed apart (_rounding_error): the same values"),
    ("_fuse", "isinstance(scaled, Scaled) and False", "as above"),
    ("_fuse", "error = None", "as above"),
    ("_fuse", "if scaled is not None else (2, 1)", "only lim[1] is passed, unused without a dose"),
    ("_fuse", "setdefault('reading', None)", "a cache: a miss reads the doses again, exactly"),
    ("_fuse", "self._PER_COUNT, 'ROUNDING_ERROR')",
     "as above: the error is computed apart under its own name"),
    ("_fuse", "self._cached(None,", "as above: each output is computed apart when read"),
    ("_fuse", "np.errstate(all=None)",
     "only whether numpy prints a RuntimeWarning for the NaN it writes: same values"),
    ("_rounding_error", "np.multiply(self._count, den, dtype=None)",
     "count and den are float64 arrays on this path (exact_floats): float64 anyway"),
    ("measurement", "[flat:flat + 2]", "only element 0 of the slice is read"),
    ("_flags", "self._limits or (0, 1)", "exact doses always have limits (count_units)"),
    ("_flags", "f.flags.writeable = None", "numpy reads None as False"),
    ("_units", "rn == 1) and False", "the else branch multiplies by rn == 1: the same ints"),
    ("read_pair", "'a dropper or oralsyringe, or a sequence or array of them'",
     "only the wording of the refusal's text, which _objects raises (the message kind)"),
    ("read_pair", "'XXa Dropper or OralSyringe, or a sequence or array of themXX'", "as above"),
    ("read_pair", "'A DROPPER OR ORALSYRINGE, OR A SEQUENCE OR ARRAY OF THEM'", "as above"),
    ("read_pair", "'a stock, or a sequence or array of stocks'", "as above"),
    ("read_pair", "'XXa Stock, or a sequence or array of StocksXX'", "as above"),
    ("read_pair", "'A STOCK, OR A SEQUENCE OR ARRAY OF STOCKS'", "as above"),
    ("_int_doses", "if int(flat.min()) < 0:",
     "a zero then fails check_plausible at argmin, the first zero: the same error and value"),
    ("_int_doses", "n.asarray(d, dtype=None) * factor.numerator",
     "an int64 array of the same ints: every reader takes it through as_object() or below "
     "2**52"),
    ("doses_exact", "zip(dn, dd)]", "dn and dd are broadcast to one shape: strict never acts"),
    ("read_pair", "code.reshape(None)",
     "reshape(None) is the array itself, and np.unique without an axis flattens it anyway"),
    ("element_flags", "if mask is None and False else mask",
     "small[None] is all of small with a new axis: the same assignment"),
]

_STATUS = {1: "killed", 3: "killed", 0: "survived", 36: "timeout", 24: "timeout",
           -24: "timeout", 152: "timeout", 255: "timeout", 33: "survived", 5: "survived",
           34: "skipped", 37: "killed"}


def _module_file(module: str) -> str:
    path = f"{PACKAGE}/{module}"
    return path if (ROOT / path).is_dir() else path + ".py"


def _config(module: str, tests: list[str]) -> str:
    target = _module_file(module)
    pattern = target + "/*" if target.endswith(module) else target
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = [{json.dumps(pattern)}]\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n'
        "use_git_change_detection = false\n"
    )


def _scratch(module: str, tests: list[str]) -> Path:
    work = Path(tempfile.mkdtemp(prefix=f"mutation-{module.strip('_').replace('/', '-')}-"))
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "README.md", work / "README.md")
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    (work / "pyproject.toml").write_text(pyproject + _config(module, tests), "utf-8")
    return work


def _mutmut(work: Path, *names: str) -> None:
    env = dict(os.environ, HYPOTHESIS_PROFILE="mutation", PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names]
    subprocess.run(cmd, cwd=work, env=env, check=False, stdout=subprocess.DEVNULL)


def _functions(mutated: Path) -> dict[str, ast.FunctionDef]:
    """Every function of a mutated file by name (originals are ``..__mutmut_orig``)."""
    tree = ast.parse(mutated.read_text("utf-8"))
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")


#: Errors whose first two arguments are structured fields (parameter, value), as is
#: their override= keyword: a change there is never a message change.
STRUCTURED_ARGS = {"InputError": 2, "UnitError": 2}


def _in_message(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """True if ``node`` is inside an exception's or a warnings.warn's arguments (not
    the structured parameter, value or override of an InputError or UnitError)."""
    child = node
    while child in parents:
        up = parents[child]
        if isinstance(up, ast.Raise):
            return True
        if isinstance(up, ast.Call):
            name = _call_name(up)
            if name in STRUCTURED_ARGS:
                return child not in up.args[:STRUCTURED_ARGS[name]] and not (
                    isinstance(child, ast.keyword) and child.arg == "override")
            if name.endswith("Error") or name == "warn":
                return True
        child = up
    return False


def _arithmetic(node: ast.AST) -> bool:
    """True for arithmetic (any operator but string +) or a number being formatted."""
    if isinstance(node, ast.BinOp):
        return not isinstance(node.op, ast.Add)
    return isinstance(node, ast.Call) and (_call_name(node).startswith("format_") or
                                           _call_name(node) == "exact_text")


def _in_wording(node: ast.AST, parents: dict[ast.AST, ast.AST], fstring: bool = False) -> bool:
    """True if ``node`` is inside an error's ``expected`` (third or later argument), a
    warning's text, or the wording argument of MESSAGE_PARAMETERS - with ``fstring``,
    only if inside an f-string there: then whatever changes, only words change."""
    child, seen = node, not fstring
    while child in parents:
        up = parents[child]
        if not seen and _arithmetic(child):
            return False  # a number shown in the text is checked, never excluded
        seen = seen or isinstance(up, ast.JoinedStr)
        if isinstance(up, ast.Call) and seen:
            name = _call_name(up)
            if name.endswith("Error") and (child in up.args[2:] or (
                    isinstance(child, ast.keyword) and child.arg == "expected")):
                return True
            if name == "warn" and up.args and up.args[0] is child:
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
    value of another such local (a non-empty text or list stays non-empty and not None
    under any rewording)."""
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
        return True  # `if problems:` - a non-empty text or list stays so
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


def _differences(x: ast.AST, y: ast.AST) -> list[ast.AST]:
    """The smallest nodes of ``x`` that differ from ``y`` (same type)."""
    out: list[ast.AST] = []
    for field in x._fields:
        a, b = getattr(x, field, None), getattr(y, field, None)
        if isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                return [x]
            pairs = list(zip(a, b, strict=True))
        else:
            pairs = [(a, b)]
        for p, q in pairs:
            if isinstance(p, ast.AST) and type(p) is type(q):
                out += _differences(p, q)
            elif isinstance(p, ast.AST) or isinstance(q, ast.AST) or p != q:
                return [x]
    return out


def _kind_of(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
            _in_message(node, parents):
        return "message"
    if _in_wording(node, parents, fstring=True) or _message_variable(node, parents):
        return "message"
    up: ast.AST | None = node
    while up is not None:
        if isinstance(up, ast.Compare) and "_cache" in ast.unparse(up):
            return "cache-bound"
        if isinstance(up, ast.keyword) and up.arg == "stacklevel":
            return "warning-stacklevel"
        if isinstance(up, ast.stmt):
            return None
        up = parents.get(up)
    return None


def _without_stacklevel(f: ast.FunctionDef) -> str:
    """The function's body with every stacklevel= keyword taken out, as a dump."""
    body = ast.parse(ast.unparse(ast.Module(f.body, [])))
    for node in ast.walk(body):
        if isinstance(node, ast.Call):
            node.keywords = [k for k in node.keywords if k.arg != "stacklevel"]
    return ast.dump(body)


def _lines(f: ast.FunctionDef) -> set[str]:
    """The lines of a function's body, and its parameters (defaults included) as one line."""
    return {ast.unparse(f.args), *ast.unparse(ast.Module(f.body, [])).splitlines()}


def _kind(orig: ast.FunctionDef, mutant: ast.FunctionDef) -> str | None:
    """The excluded kind of a mutant, or None if it counts."""
    function = orig.name.split("ǁ")[-1].removeprefix("x_").removesuffix("__mutmut_orig")
    changed = _lines(mutant) - _lines(orig)
    for names, text, _why in EQUIVALENT:
        if function in names.split() and changed and all(text in line for line in changed):
            return "equivalent"
    if ast.dump(ast.Module(orig.body, [])) != ast.dump(ast.Module(mutant.body, [])) and \
            _without_stacklevel(orig) == _without_stacklevel(mutant):
        return "warning-stacklevel"
    found = _differences(ast.Module(orig.body, []), ast.Module(mutant.body, []))
    parents = _parents(orig)
    if function in MESSAGE_FUNCTIONS and found and all(
            isinstance(n, ast.Constant) and isinstance(n.value, str) and
            not isinstance(parents.get(n), ast.Compare) for n in found):
        return "message"  # (a string compared decides a branch: never only wording)
    if not found:
        return None
    kinds = {_kind_of(node, parents) for node in found}
    return kinds.pop() if len(kinds) == 1 else None


def _measure(module: str, tests: list[str], sample: int, keep: bool,
             survivors: bool) -> dict[str, object]:
    work = _scratch(module, tests)
    try:
        if sample > 1:  # generate the mutants, then run a fixed 1-in-`sample` selection
            _mutmut(work, "nothing-matches-this")
            chosen = [k for k in _keys(work) if zlib.crc32(k.encode()) % sample == 0]
            _mutmut(work, *chosen)
        else:
            _mutmut(work)
            chosen = _keys(work)
        return _score(work, module, chosen, survivors)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"  kept {work}")


def _metas(work: Path) -> list[Path]:
    return sorted((work / "mutants").rglob("*.py.meta"))


def _keys(work: Path) -> list[str]:
    return [k for meta in _metas(work) for k in json.loads(meta.read_text())["exit_code_by_key"]]


def _score(work: Path, module: str, chosen: list[str], survivors: bool) -> dict[str, object]:
    counts = {"killed": 0, "survived": 0, "excluded": 0, "other": 0}
    by_kind: dict[str, int] = {}
    left: list[str] = []
    wanted = set(chosen)
    for meta in _metas(work):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        functions = _functions(meta.with_suffix(""))
        for key, code in codes.items():
            if key not in wanted:
                continue
            status = _STATUS.get(code, "other") if code is not None else "other"
            if status == "timeout":
                status = "killed"
            if status == "survived":
                name = key.rsplit(".", 1)[1]
                orig = functions.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
                mut = functions.get(name)
                kind = _kind(orig, mut) if orig and mut else None
                if kind is not None:
                    by_kind[kind] = by_kind.get(kind, 0) + 1
                    status = "excluded"
                else:
                    left.append(key)
            counts[status if status in counts else "other"] += 1
    run = counts["killed"] + counts["survived"]
    score = counts["killed"] / run if run else 0.0
    if survivors:
        for key in left:
            print(f"--- {key}")
            shown = subprocess.run([sys.executable, "-m", "mutmut", "show", key], cwd=work,
                                   capture_output=True, text=True, check=False)
            print(shown.stdout.strip())
    return {"module": module, **counts, "score": score, "excluded_by_kind": by_kind,
            "survivors": left}


def _print_row(row: dict[str, object]) -> None:
    print(f"  {row['killed']} killed, {row['survived']} survived, {row['excluded']} "
          f"excluded {row['excluded_by_kind']}, {row['other']} not run (no test reaches "
          f"them, or skipped): score {row['score']:.0%}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES),
                        help=f"modules under {PACKAGE} (default: {' '.join(MODULES)})")
    parser.add_argument("--sample", type=int, default=1,
                        help="run 1 mutant in SAMPLE (a fixed selection by name hash)")
    parser.add_argument("--tests", nargs="+", help="test files (default: the module's own)")
    parser.add_argument("--survivors", action="store_true", help="print surviving mutants")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--rescore", type=Path, help="score a kept scratch directory again")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; known: {list(MODULES)}")
    print("Excluded kinds:")
    for kind, why in EXCLUDED.items():
        print(f"  {kind}: {why}")
    rows = []
    if args.rescore:
        keys = _keys(args.rescore)
        rows.append(_score(args.rescore, args.modules[0], keys, args.survivors))
        _print_row(rows[-1])
        args.modules = []
    for module in args.modules:
        print(f"== {module}" + (f" (1 in {args.sample} sampled)" if args.sample > 1 else ""),
              flush=True)
        row = _measure(module, args.tests or MODULES[module], args.sample, args.keep,
                       args.survivors)
        rows.append(row)
        _print_row(row)
    print("\n| module | killed / run | score |\n|---|---|---|")
    for row in rows:
        run = int(row["killed"]) + int(row["survived"])  # type: ignore[call-overload]
        print(f"| `{row['module']}` | {row['killed']} / {run} | {row['score']:.0%} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
