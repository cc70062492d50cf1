"""Every public class, function, method and property has a docstring, and every docstring
example runs as a doctest."""

from __future__ import annotations

import doctest
import enum
import importlib
import inspect
from collections.abc import Iterator

import pytest

import ldn_compound

#: The public modules: what ``ldn_compound`` exports and the modules users import from.
PUBLIC_MODULES = ("ldn_compound", "ldn_compound.batch", "ldn_compound.devices",
                  "ldn_compound.dilution", "ldn_compound.equipment", "ldn_compound.errors",
                  "ldn_compound.fhir", "ldn_compound.measurement", "ldn_compound.presets",
                  "ldn_compound.references", "ldn_compound.rendering",
                  "ldn_compound.schedule", "ldn_compound.schedule.supply",
                  "ldn_compound.stock", "ldn_compound.trituration", "ldn_compound.types",
                  "ldn_compound.units")


def _members(cls: type) -> Iterator[tuple[str, object]]:
    """Public methods and properties ``cls`` defines itself (not enum members or fields)."""
    for name, value in vars(cls).items():
        if name.startswith("_") or isinstance(value, enum.Enum):
            continue
        if isinstance(value, (classmethod, staticmethod)):
            yield name, value.__func__
        elif isinstance(value, property) or inspect.isfunction(value):
            yield name, value


def _public_objects() -> Iterator[tuple[str, object]]:
    """(qualified name, object) for every public name of every public module, once."""
    seen: set[int] = set()
    for mod_name in PUBLIC_MODULES:
        mod = importlib.import_module(mod_name)
        yield mod_name, mod
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if id(obj) in seen or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            seen.add(id(obj))
            yield f"{mod_name}.{name}", obj
            if inspect.isclass(obj):
                for member, value in _members(obj):
                    yield f"{mod_name}.{name}.{member}", value


def test_every_public_object_has_a_docstring() -> None:
    """No public module, class, function, method or property is without a docstring."""
    missing = [name for name, obj in _public_objects()
               if not (obj.__doc__ or "").strip()]
    assert missing == []


def _doctests() -> list[doctest.DocTest]:
    """Every docstring example in the package's modules."""
    finder = doctest.DocTestFinder()
    found = []
    for path in sorted(ldn_compound.__path__[0] and __import__("pathlib").Path(
            ldn_compound.__file__).parent.rglob("*.py")):
        rel = path.relative_to(path.parents[len(path.relative_to(
            __import__("pathlib").Path(ldn_compound.__file__).parent).parts)])
        name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        if name.endswith("__main__"):
            continue
        mod = importlib.import_module(name)
        found += [t for t in finder.find(mod, name) if t.examples]
    return found


DOCTESTS = _doctests()


@pytest.mark.parametrize("test", DOCTESTS, ids=[t.name for t in DOCTESTS])
def test_docstring_example(test: doctest.DocTest) -> None:
    """A docstring's >>> example prints exactly what it shows."""
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0
