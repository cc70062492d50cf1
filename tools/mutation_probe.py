"""Probe "equivalent" mutants with a short hypothesis search (run by tools/mutation.py).

Reads a JSON list of ``[mutant key, "module:function", strategy]`` on stdin, from a
scratch copy whose ``mutants/src`` is on ``PYTHONPATH``. ``strategy`` is a hypothesis
expression (names ``st`` and ``Fraction``) drawing a tuple of arguments. For each
mutant, the original and the mutant are called on the same arguments (mutmut's
trampoline picks which, from ``MUTANT_UNDER_TEST``); their outcomes - the repr of the
result, or the error's type, kind, parameter and value - must be equal. Writes a JSON
list of ``[key, "the input that told them apart"]`` for the mutants the search told
apart. Tries 300 inputs per mutant, the same ones every run (derandomized).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _outcome(function: Any, key: str, args: tuple[Any, ...]) -> tuple[object, ...]:
    os.environ["MUTANT_UNDER_TEST"] = key  # "" is no mutant: the original runs
    try:
        result = function(*args)
    except Exception as error:
        return ("error", type(error).__name__, str(getattr(error, "kind", None)),
                getattr(error, "parameter", None), repr(getattr(error, "value", None)))
    finally:
        os.environ["MUTANT_UNDER_TEST"] = ""
    return ("ok", repr(result))


def _tells_apart(key: str, where: str, strategy: str) -> str | None:
    module, _, name = where.partition(":")
    function = getattr(importlib.import_module("ldn_compound." + module.replace("/", ".")),
                       name)
    drawn = eval(strategy, {"st": st, "Fraction": Fraction, "np": np})

    @settings(max_examples=300, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(drawn)
    def same(args: tuple[Any, ...]) -> None:
        a, b = _outcome(function, "", args), _outcome(function, key, args)
        assert a == b, f"{name}{args!r}: {a[1:]} from the original, {b[1:]} from the mutant"

    try:
        same()
    except AssertionError as error:
        return str(error).splitlines()[0]
    return None


def main() -> int:
    told = []
    for key, where, strategy in json.load(sys.stdin):
        found = _tells_apart(key, where, strategy)
        if found is not None:
            told.append([key, found])
    json.dump(told, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
