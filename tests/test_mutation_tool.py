"""Tests of tools/mutation.py itself (fast: no mutmut run): its tables, and which
mutants it counts."""

import ast
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import mutation  # noqa: E402
import mutation_exclusions  # noqa: E402

TOOLS = [ROOT / "tools" / "mutation.py", ROOT / "tools" / "mutation_exclusions.py"]


def _dict_literals(path: Path) -> list[tuple[int, list[str]]]:
    tree = ast.parse(path.read_text("utf-8"))
    return [(node.lineno, [ast.unparse(k) for k in node.keys if k is not None])
            for node in ast.walk(tree) if isinstance(node, ast.Dict)]


@pytest.mark.parametrize("path", TOOLS, ids=lambda p: p.name)
def test_no_table_repeats_a_key(path):
    """No dict literal of the tool repeats a key (Python would keep the last one silently:
    MODULES once listed stock, devices and batch twice, with shorter test lists)."""
    for line, keys in _dict_literals(path):
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        assert not repeated, f"{path.name}:{line} repeats {repeated}"


def test_the_duplicate_check_sees_a_repeated_key(tmp_path):
    """The check reads the source: a repeated key a dict literal would drop is found."""
    source = tmp_path / "t.py"
    source.write_text('MODULES = {"stock": [1, 2], "devices": [], "stock": [1]}\n')
    assert _dict_literals(source) == [(1, ["'stock'", "'devices'", "'stock'"])]


def test_every_module_and_test_file_exists():
    """Each module in MODULES is a module or package, and each of its test paths exists."""
    for module, tests in mutation.MODULES.items():
        assert (ROOT / mutation._module_file(module)).exists(), module
        assert tests, module
        for test in tests:
            assert (ROOT / test).exists(), (module, test)


def _source_function(file: str, function: str) -> ast.FunctionDef | None:
    path = ROOT / mutation.PACKAGE / f"{file}.py"
    tree = ast.parse(path.read_text("utf-8"))
    cls, _, name = function.rpartition(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls:
            found = [f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == name]
            return found[0] if found else None
    found = [f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == name]
    return found[0] if found and not cls else None


@pytest.mark.parametrize("entry", mutation_exclusions.EQUIVALENT,
                         ids=lambda e: f"{e[0]}:{e[1]}")
def test_each_equivalent_entry_names_a_line_of_the_source(entry):
    """Each entry names one function of the source and one of its lines as it is now
    (the run itself checks that it names exactly one generated mutant)."""
    file, function, mutated, original, why = entry
    assert why and mutated != original
    f = _source_function(file, function)
    assert f is not None, f"{file}: no function {function}"
    line = original.split("  # ")[0]  # (`  # 1 of 2`: a line the function has twice)
    assert line in mutation._lines(f), f"{file}:{function} has no line {original!r}"


def test_equivalent_entries_are_distinct_and_probes_name_listed_functions():
    """No entry twice; every probe is for a function some entry names."""
    names = [e[:4] for e in mutation_exclusions.EQUIVALENT]
    assert len(names) == len(set(names))
    listed = {e[:2] for e in mutation_exclusions.EQUIVALENT}
    assert set(mutation_exclusions.PROBES) <= listed


def _pair(original: str, mutant: str) -> tuple[ast.FunctionDef, ast.FunctionDef]:
    def parse(text: str, name: str) -> ast.FunctionDef:
        f = ast.parse(textwrap.dedent(text)).body[0]
        assert isinstance(f, ast.FunctionDef)
        f.name = name
        return f
    return parse(original, "x_f__mutmut_orig"), parse(mutant, "x_f__mutmut_1")


ORIGINAL = '''
def f(x, mode):
    x = to_fraction(x, "amount", "a number of mg")
    mode = check_text(mode, "mode", example="'up'")
    what = f"a dose in mg, got {mode}"
    if x < 0:
        raise InputError("dose", x, "a positive dose", kind=ErrorKind.INVALID)
    if mode not in ("up", "down"):
        raise InputError("rounding", mode, what)
    if x > 100:
        raise InputError("dose", x, f"at most {format_mass(100)}: naltrexone " "dissolves")
    if len(_parse_cache) < 4096:
        _parse_cache[x] = x
    if x in self._cache:
        return self._cache[x]
    return x * 2
'''


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [('"a positive dose"', '"XXa positive doseXX"', "message"),
     ('f"a dose in mg, got {mode}"', 'f"A DOSE IN MG, GOT {mode}"', "message"),
     ('what = f"a dose in mg, got {mode}"', "what = None", None),  # None is no text
     ('"dissolves")', '"XXdissolvesXX")', "message"),  # the text after an f-string
     ("{format_mass(100)}", "{format_mass(101)}", None),  # a number shown in the text
     ('raise InputError("dose"', 'raise InputError("XXdoseXX"', None),  # the parameter
     ("kind=ErrorKind.INVALID", "kind=ErrorKind.UNIT", None),  # the kind
     ("kind=ErrorKind.INVALID", "kind=None", None),
     ("raise InputError(\"dose\", x,", "raise InputError(\"dose\", None,", None),  # value
     ('"a number of mg"', '"A NUMBER OF MG"', "message"),  # MESSAGE_PARAMETERS' wording
     ('"a number of mg"', "None", None),
     ('to_fraction(x, "amount"', 'to_fraction(x, "XXamountXX"', None),  # its parameter
     ("example=\"'up'\"", "example=\"XX'up'XX\"", "message"),  # check_text's example
     ("example=\"'up'\"", "example=None", None),
     ('check_text(mode, "mode"', 'check_text(mode, "MODE"', None),  # its parameter
     ("len(_parse_cache) < 4096", "len(_parse_cache) <= 4096", "cache-bound"),
     ("len(_parse_cache) < 4096", "len(_parse_cache) < 4097", "cache-bound"),
     ("x in self._cache", "x not in self._cache", None),  # a result, not a bound
     ("_parse_cache[x] = x", "_parse_cache[x] = None", None),
     ("return x * 2", "return x * 3", None)],
)
def test_which_mutants_are_excluded(old, new, kind):
    """Only a reworded text (or a cache's size bound) is excluded: a mutant that can
    change an error's kind, parameter or value, or a returned number, counts."""
    assert old in ORIGINAL
    orig, mut = _pair(ORIGINAL, ORIGINAL.replace(old, new, 1))
    assert mutation._kind(orig, mut) == kind


def test_an_equivalent_entry_names_one_mutant_exactly(monkeypatch):
    """An entry matches its own mutant only: the same function, mutated line and
    original line - not another mutant whose line contains its text."""
    orig, mut = _pair(ORIGINAL, ORIGINAL.replace("return x * 2", "return x * 3"))
    _, other = _pair(ORIGINAL, ORIGINAL.replace("return x * 2", "return x * 3 + 1"))
    entry = ("m", "f", "return x * 3", "return x * 2", "why")
    monkeypatch.setattr(mutation, "EQUIVALENT", [entry])
    assert mutation._change(orig, mut) == ("return x * 3", "return x * 2")
    assert mutation._equivalent("m", orig, mut) == 0
    assert mutation._equivalent("m", orig, other) is None
    assert mutation._equivalent("other", orig, mut) is None


def test_qualified_names():
    """mutmut's names of functions and methods, back to the source's."""
    assert mutation._qualified("x_format_number__mutmut_3") == "format_number"
    assert mutation._qualified("x__decimal__mutmut_orig") == "_decimal"
    assert mutation._qualified("xǁStockǁ__attrs_post_init____mutmut_38") == \
        "Stock.__attrs_post_init__"
