"""One safe-writing property for every text the library shows (ISMP / Joint Commission,
NCPDP): a leading zero (0.5 mg, never .5 mg), no trailing zero (1 mg, never 1.0 mg),
mcg never µg, mL never ml or cc, and thousands separators from 1,000 up."""

from __future__ import annotations

import re

_UNIT = r"(?:mcg/mL|mg/mL|mcg|mg|mL|g|L|%|drops?|graduations?|tablets?|capsules?)"
#: a decimal that ends in 0 before a unit: "1.0 mg", "0.50 mL", "12.30 %"
TRAILING_ZERO = re.compile(rf"\d\.\d*0 ?{_UNIT}(?![\w/])")
#: a decimal point with no digit before it: ".5 mg", "(.25"
NAKED_DECIMAL = re.compile(r"(?<![\w.\])])\.\d")
#: a volume unit other than mL, or the error-prone µ
UNSAFE_UNIT = re.compile(r"µ|\bcc\b|\d ?ml\b")
#: four or more digits before a unit with no thousands separator: "1000 mg" (the
#: exact ratios JSON keeps for reading back, "7/4183 mg", are not doses shown)
NO_SEPARATOR = re.compile(rf"(?<![\d,./])\d{{4,}}(?:\.\d+)? ?{_UNIT}(?![\w/])")


def problems(text: str) -> list[str]:
    """The unsafe pieces of ``text``, each as ``rule: piece``; empty when it is safe."""
    found = []
    for name, pattern in (("trailing zero", TRAILING_ZERO), ("naked decimal", NAKED_DECIMAL),
                          ("unit", UNSAFE_UNIT), ("thousands separator", NO_SEPARATOR)):
        found += [f"{name}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


def assert_safe(text: str) -> None:
    """Fail with every unsafe piece of ``text`` named."""
    found = problems(text)
    assert not found, f"{found} in {text[:300]!r}"
