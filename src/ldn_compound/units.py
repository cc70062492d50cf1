"""Quantities and units: parse once at the boundary, compute exactly inside.

Inputs may be text (``"50 mg"``, ``"450 mcg"``, ``"10 mL"``, ``"5 mg/mL"``,
``"2 weeks"``), a pint Quantity from any registry (the caller's own
``pint.UnitRegistry()`` included), or a ``(number, "unit")`` pair. A bare
number where a unit is required is an error, never a guess.

Inside the library every value is an exact :class:`~fractions.Fraction` in a
fixed unit: mg for mass, mL for volume, mg/mL for concentration, days for
time. The common units are read from a small table without importing pint,
so the command line answers at once; anything else is handed to pint.

Results are pint Quantities of pint's *application registry*, which is set up
once, under a lock, the first time a Quantity is needed
(:func:`get_registry`).
"""

from __future__ import annotations

import re
import threading
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._exact import NUMBER, number_problem, to_fraction
from .errors import InputError, UnitError

if TYPE_CHECKING:
    import pint

__all__ = [
    "CONCENTRATION",
    "MASS",
    "Q_",
    "TIME",
    "VOLUME",
    "get_registry",
    "parse",
    "to_quantity",
]

MASS = "mass"
VOLUME = "volume"
CONCENTRATION = "concentration"
TIME = "time"

#: The fixed internal unit of each dimension, as pint spells it.
BASE_UNIT = {MASS: "mg", VOLUME: "mL", CONCENTRATION: "mg/mL", TIME: "day"}
_EXAMPLE = {MASS: "'4.5 mg'", VOLUME: "'10 mL'", CONCENTRATION: "'5 mg/mL'", TIME: "'14 days'"}
_PINT_DIMENSION = {
    MASS: "[mass]",
    VOLUME: "[length] ** 3",
    CONCENTRATION: "[mass] / [length] ** 3",
    TIME: "[time]",
}

# Exact factors to the fixed unit. Names as people write them and as pint
# prints them (str(q.units)), so a caller's Quantity needs no conversion.
_MASS = {
    "mg": Fraction(1), "milligram": Fraction(1), "milligrams": Fraction(1),
    "mcg": Fraction(1, 1000), "µg": Fraction(1, 1000), "μg": Fraction(1, 1000),
    "ug": Fraction(1, 1000), "microgram": Fraction(1, 1000), "micrograms": Fraction(1, 1000),
    "ng": Fraction(1, 10**6), "nanogram": Fraction(1, 10**6), "nanograms": Fraction(1, 10**6),
    "g": Fraction(1000), "gram": Fraction(1000), "grams": Fraction(1000),
    "kg": Fraction(10**6), "kilogram": Fraction(10**6), "kilograms": Fraction(10**6),
}
_VOLUME = {
    "mL": Fraction(1), "ml": Fraction(1), "milliliter": Fraction(1), "milliliters": Fraction(1),
    "millilitre": Fraction(1), "millilitres": Fraction(1),
    "L": Fraction(1000), "l": Fraction(1000), "liter": Fraction(1000), "liters": Fraction(1000),
    "litre": Fraction(1000), "litres": Fraction(1000),
    "uL": Fraction(1, 1000), "µL": Fraction(1, 1000), "μL": Fraction(1, 1000),
    "microliter": Fraction(1, 1000), "microliters": Fraction(1, 1000),
    # Read, never written: ISMP lists "cc" as an error-prone abbreviation for mL.
    "cc": Fraction(1), "cubic_centimeter": Fraction(1),
}
_TIME = {
    "day": Fraction(1), "days": Fraction(1), "d": Fraction(1),
    "week": Fraction(7), "weeks": Fraction(7), "wk": Fraction(7), "wks": Fraction(7),
}
_TABLE: dict[str, dict[str, Fraction]] = {MASS: _MASS, VOLUME: _VOLUME, TIME: _TIME}

# Plausibility limits in the fixed units: anything outside is a typo or a slip.
_LIMITS = {
    MASS: (Fraction(1, 10**9), Fraction(10**6)),  # 1 pg to 1 kg
    VOLUME: (Fraction(1, 10**6), Fraction(10**6)),  # 1 nL to 1,000 L
    CONCENTRATION: (Fraction(1, 10**12), Fraction(1000)),  # up to 1 g/mL
    TIME: (Fraction(1, 24), Fraction(3660)),  # 1 hour to 10 years
}

# A number, or an exact ratio such as "1/3" (what exact_text writes), then a unit.
_QUANTITY_RE = re.compile(rf"\s*({NUMBER}|\d+/[1-9]\d*)\s*([^\d\s.,/].*?)\s*")
_PER_RE = re.compile(r"\s*(.+?)\s*/\s*(.+?)\s*")

_lock = threading.Lock()
_registry: Any = None


def get_registry() -> pint.UnitRegistry:
    """Pint's application registry, set up once and thread-safely.

    Pint builds its application registry lazily on first touch, and that
    first touch is not safe from several threads at once; this function does
    it under a lock, then hands back the same registry every time.
    """
    global _registry
    reg = _registry
    if reg is None:
        with _lock:
            if _registry is None:
                import pint

                app = pint.get_application_registry()
                app.Quantity(1, "mg")  # force the lazy build while we hold the lock
                _registry = app
            reg = _registry
    return reg


def Q_(value: Any, unit: str) -> pint.Quantity:
    """Build a Quantity of the application registry: ``Q_(4.5, "mg")``."""
    return get_registry().Quantity(value, unit)


def to_quantity(value: Fraction, dimension: str) -> pint.Quantity:
    """Attach the fixed unit of ``dimension`` to an exact magnitude (as a float)."""
    return Q_(float(value), BASE_UNIT[dimension])


def _factor(unit: str, dimension: str) -> Fraction | None:
    """Exact factor from ``unit`` to the fixed unit, or None if not in the table."""
    if dimension == CONCENTRATION:
        m = _PER_RE.fullmatch(unit)
        if not m:
            return None
        top = _MASS.get(m.group(1))
        bottom = _VOLUME.get(m.group(2))
        return None if top is None or bottom is None else top / bottom
    return _TABLE[dimension].get(unit)


def _dimension_of(unit: str) -> str | None:
    for dim in (MASS, VOLUME, TIME, CONCENTRATION):
        if _factor(unit, dim) is not None:
            return dim
    return None


def _expected(dimension: str) -> str:
    return f"a {dimension} with a unit, such as {_EXAMPLE[dimension]}"


def _via_pint(magnitude: Any, unit: str, dimension: str, parameter: str, raw: Any) -> Fraction:
    """Convert an unusual unit with pint (imported only now)."""
    reg = get_registry()
    try:
        q = reg.Quantity(1, unit)
    except Exception as exc:  # pint raises many kinds (even AssertionError) on odd text
        raise InputError(parameter, raw, f"{_expected(dimension)} (unknown unit {unit!r})") from exc
    if not q.check(_PINT_DIMENSION[dimension]):
        raise UnitError(
            parameter, raw, f"{_expected(dimension)}, not a quantity in {q.dimensionality}"
        )
    # pint converts in binary floats; 12 significant digits drop its noise
    # (cc -> mL is 1.0000000000000002 in pint).
    factor = Fraction(f"{float(q.to(BASE_UNIT[dimension]).magnitude):.12g}")
    return to_fraction(magnitude, parameter) * factor


def _check(value: Fraction, dimension: str, parameter: str, raw: Any) -> Fraction:
    if value <= 0:
        raise InputError(parameter, raw, f"a positive {dimension}")
    low, high = _LIMITS[dimension]
    if not low <= value <= high:
        raise InputError(
            parameter, raw,
            f"a plausible {dimension}, between {_exact_limit(low, dimension)} "
            f"and {_exact_limit(high, dimension)}",
        )
    return value


def _exact_limit(x: Fraction, dimension: str) -> str:
    from ._exact import format_number

    return f"{format_number(x)} {BASE_UNIT[dimension]}"


def _is_quantity(value: object) -> bool:
    return hasattr(value, "magnitude") and hasattr(value, "units") and hasattr(
        value, "dimensionality"
    )


_NUMBER_MODULES = ("numpy", "decimal", "fractions")
_parse_cache: dict[tuple[str, str], Fraction] = {}


def parse(value: Any, dimension: str, parameter: str) -> Fraction:
    """Read ``value`` as ``dimension`` and return its exact magnitude in the fixed unit.

    Parameters
    ----------
    value : str, pint.Quantity or (number, str)
        ``"4.5 mg"``, a Quantity from any registry, or ``(4.5, "mg")``.
    dimension : {"mass", "volume", "concentration", "time"}
        What the value must be; the fixed units are mg, mL, mg/mL and days.
    parameter : str
        The caller's name for the value, used in error messages.

    Raises
    ------
    UnitError
        The value has a unit of another dimension.
    InputError
        The value is missing a unit, unparsable, not positive, not finite, or
        implausibly small or large.
    """
    if isinstance(value, str):
        key = (value, dimension)
        hit = _parse_cache.get(key)
        if hit is not None:
            return hit
        result = _parse_text(value, dimension, parameter)
        if len(_parse_cache) < 4096:
            _parse_cache[key] = result
        return result
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        magnitude, unit = value
        if isinstance(magnitude, str):
            raise InputError(parameter, value, _expected(dimension) + ", the number not as text")
        return _from_magnitude_unit(magnitude, unit, dimension, parameter, value)
    if _is_quantity(value):
        unit = str(value.units)
        magnitude = value.magnitude
        if hasattr(magnitude, "shape") and getattr(magnitude, "shape", ()) != ():
            raise InputError(parameter, value, _expected(dimension) + " (one value, not an array)")
        factor = _factor(unit, dimension)
        if factor is None:
            # The caller's own registry converts one unit for us (no cross-registry
            # arithmetic); the magnitude stays exact, and pint's binary-float factor
            # is tidied to 12 significant digits (0.01 cg -> mg is 0.1, not 0.1000...02).
            try:
                one = (1 * value.units).to(BASE_UNIT[dimension]).magnitude
            except Exception as exc:  # pint's DimensionalityError or an unknown unit
                raise UnitError(
                    parameter, value, f"{_expected(dimension)}, not {value.dimensionality}"
                ) from exc
            factor = Fraction(f"{float(one):.12g}")
        return _check(to_fraction(magnitude, parameter) * factor, dimension, parameter, value)
    if isinstance(value, (int, float)) or type(value).__module__ in _NUMBER_MODULES:
        raise InputError(parameter, value, _expected(dimension) + "; a bare number has no unit")
    raise InputError(parameter, value, _expected(dimension))


def _from_magnitude_unit(
    magnitude: Any, unit: str, dimension: str, parameter: str, raw: Any
) -> Fraction:
    factor = _factor(unit.strip(), dimension)
    if factor is not None:
        return _check(to_fraction(magnitude, parameter) * factor, dimension, parameter, raw)
    other = _dimension_of(unit.strip())
    if other is not None:
        raise UnitError(parameter, raw, f"{_expected(dimension)}, not a {other}")
    return _check(_via_pint(magnitude, unit, dimension, parameter, raw), dimension, parameter, raw)


def _parse_text(text: str, dimension: str, parameter: str) -> Fraction:
    m = _QUANTITY_RE.fullmatch(text)
    if not m:
        head = text.strip().split(" ")[0] if text.strip() else text
        problem = number_problem(head) or number_problem(text)
        if problem is None and _NUMBER_ONLY.fullmatch(text):
            problem = _expected(dimension) + "; a bare number has no unit"
        raise InputError(parameter, text, problem or _expected(dimension))
    return _from_magnitude_unit(m.group(1), m.group(2), dimension, parameter, text)


_NUMBER_ONLY = re.compile(rf"\s*{NUMBER}\s*")
