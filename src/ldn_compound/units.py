"""Quantities and units: parse once at the boundary, compute exactly inside.

Inputs may be text (``"50 mg"``, ``"450 mcg"``, ``"10 mL"``, ``"5 mg/mL"``,
``"2 weeks"``), a pint Quantity from any registry (the caller's own
``pint.UnitRegistry()`` included), or a ``(number, "unit")`` pair. A bare
number where a unit is required is an error, never a guess.

Inside the library every value is an exact :class:`~fractions.Fraction` in a
fixed unit: mg for mass, mL for volume, mg/mL for concentration, days for
time. Text is read by a small grammar of our own, linear in its length: an
ASCII decimal (or an exact ratio ``a/b``), optional spaces, and one unit from
a closed, case-sensitive table. Apothecary and household units, ``cc``,
``mg%`` and anything else are refused with a message saying how to write the
value; pint's text parser is never used. A caller's Quantity is converted
with an exact factor (SI prefixes are powers of ten), never through floats.
Free text (names, fillers, directions) passes :func:`check_text`: one line
of printable characters.

Results are pint Quantities of pint's *application registry*, which is set up
once, under a lock, the first time a Quantity is needed
(:func:`get_registry`).
"""

from __future__ import annotations

import threading
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from ._exact import MAX_TEXT, number_problem, read_number, read_plain, safe_text, to_fraction
from ._tables import QUANTITY_BASE_UNITS, SI_PREFIX_EXPONENTS
from ._text import check_identifier, check_text  # the front door's rules for text, public here
from .errors import ErrorKind, InputError, UnitError
from .types import MagnitudeLike

if TYPE_CHECKING:
    import pint

__all__ = [
    "CONCENTRATION",
    "MASS",
    "Q_",
    "TIME",
    "VOLUME",
    "Exact",
    "check_identifier",
    "check_text",
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

# The closed vocabulary: exact factors to the fixed unit, case-sensitive. The names
# pint prints (str(q.units)) are included, so a Quantity needs no conversion.
_MG, _MCG, _NG, _G = Fraction(1), Fraction(1, 1000), Fraction(1, 10**6), Fraction(1000)
_MASS = {
    "mg": _MG, "milligram": _MG, "milligrams": _MG,
    "mcg": _MCG, "microgram": _MCG, "micrograms": _MCG, "ug": _MCG,
    "µg": _MCG, "μg": _MCG,  # micro sign U+00B5 and Greek mu U+03BC; written back as mcg
    "ng": _NG, "nanogram": _NG, "nanograms": _NG,
    "g": _G, "gram": _G, "grams": _G,
}
_VOLUME = {
    "mL": Fraction(1), "ml": Fraction(1), "milliliter": Fraction(1), "milliliters": Fraction(1),
    "millilitre": Fraction(1), "millilitres": Fraction(1),
    "L": Fraction(1000), "l": Fraction(1000), "liter": Fraction(1000), "liters": Fraction(1000),
    "litre": Fraction(1000), "litres": Fraction(1000),
}
_TIME = {
    "day": Fraction(1), "days": Fraction(1), "d": Fraction(1),
    "week": Fraction(7), "weeks": Fraction(7), "wk": Fraction(7), "wks": Fraction(7),
    "hour": Fraction(1, 24), "hours": Fraction(1, 24),
}
_TABLE: dict[str, dict[str, Fraction]] = {MASS: _MASS, VOLUME: _VOLUME, TIME: _TIME}

# Refused on purpose, with how to write it instead. Looked up by the lower-cased unit.
_APOTHECARY = "an apothecary unit (ISMP: error-prone); write the amount in mg or mL"
_HOUSEHOLD = "a household measure (NCPDP: mL only for oral liquids); write the volume in mL"
_REFUSED = {
    **dict.fromkeys(("gr", "grain", "grains"),
                    "grains are apothecary units and 'gr' is misread as gram (ISMP); "
                    "write the amount in mg (1 grain is about 64.8 mg)"),
    **dict.fromkeys(("minim", "minims", "dram", "drams", "drachm", "drachms", "scruple",
                     "scruples", "fluid dram", "fluid drams", "fldr", "dr"), _APOTHECARY),
    **dict.fromkeys(("tsp", "teaspoon", "teaspoons", "tbsp", "tablespoon", "tablespoons",
                     "drop", "drops", "gtt", "gtts", "gallon", "gallons", "gal", "oz",
                     "ounce", "ounces", "fl oz", "floz", "fluid ounce", "fluid ounces",
                     "cup", "cups", "pint", "pints", "pt", "quart", "quarts", "qt"),
                    _HOUSEHOLD),
    **dict.fromkeys(("cc", "cubic centimeter", "cubic centimeters", "cm3"),
                    "'cc' is on ISMP's list of error-prone abbreviations; write mL"),
    **dict.fromkeys(("kg", "kilogram", "kilograms"),
                    "kilograms are not a compounding dose unit; write the amount in g or mg"),
    **dict.fromkeys(("ul", "µl", "μl", "microliter", "microliters", "microlitre",
                     "microlitres"),
                    "microlitres are not accepted (µ is misread as m); "
                    "write mL (50 microlitres = 0.05 mL)"),
    **dict.fromkeys(("ct", "carat", "carats"), "carats are not a dose unit; write mg"),
    **dict.fromkeys(("cg", "centigram", "centigrams", "dg", "decigram", "decigrams"),
                    "centigrams and decigrams are not dose units; write mg (1 cg = 10 mg)"),
    **dict.fromkeys(("mg%", "% mg", "%mg", "mg %"),
                    "'mg%' is an old unit meaning mg/dL, not a mass; write the mass in mg, "
                    "or a concentration in mg/mL (1 mg% = 0.01 mg/mL)"),
    **dict.fromkeys(("%", "percent", "pct"),
                    "a percentage is a ratio, not an amount; write the amount with a unit"),
    **dict.fromkeys(("month", "months", "mo", "year", "years", "yr"),
                    "months and years have no fixed length; write days or weeks"),
    **dict.fromkeys(("unit", "units", "iu", "u"),
                    "units (U, IU) are not a mass; write the amount in mg or mcg"),
}
# Case slips that change meaning (Mg is a megagram, mL written ML).
_CASE_HINT = {"Mg": "'Mg' would be megagrams"}

# Plausibility limits in the fixed units: anything outside is a typo or a slip.
_LIMITS = {
    MASS: (Fraction(1, 10**9), Fraction(10**6)),  # 1 pg to 1 kg
    VOLUME: (Fraction(1, 10**6), Fraction(10**6)),  # 1 nL to 1,000 L
    CONCENTRATION: (Fraction(1, 10**12), Fraction(1000)),  # up to 1 g/mL
    TIME: (Fraction(1, 24), Fraction(3660)),  # 1 hour to 10 years
}

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


def Q_(value: MagnitudeLike, unit: str) -> pint.Quantity:
    """Build a Quantity of the application registry: ``Q_(4.5, "mg")``."""
    return get_registry().Quantity(value, unit)


def to_quantity(value: Fraction, dimension: str) -> pint.Quantity:
    """Attach the fixed unit of ``dimension`` to an exact magnitude (as a float)."""
    return Q_(float(value), BASE_UNIT[dimension])


def _factor(unit: str, dimension: str) -> Fraction | None:
    """Exact factor from ``unit`` to the fixed unit, or None if not in the table."""
    if dimension == CONCENTRATION:
        top, per, bottom = unit.partition("/")
        if not per:
            return None
        mass = _MASS.get(top.strip(" \t"))
        volume = _VOLUME.get(bottom.strip(" \t"))
        return None if mass is None or volume is None else mass / volume
    return _TABLE[dimension].get(unit)


def _dimension_of(unit: str) -> str | None:
    for dim in (MASS, VOLUME, TIME, CONCENTRATION):
        if _factor(unit, dim) is not None:
            return dim
    return None


def _expected(dimension: str) -> str:
    return f"a {dimension} with a unit, such as {_EXAMPLE[dimension]}"


# The preferred spelling of every accepted unit, by its lower-cased name: the
# "probably meant" of a case slip.
_PREFERRED = {(MASS, _MG): "mg", (MASS, _MCG): "mcg", (MASS, _NG): "ng", (MASS, _G): "g",
              (VOLUME, Fraction(1)): "mL", (VOLUME, Fraction(1000)): "L",
              (TIME, Fraction(1)): "days", (TIME, Fraction(7)): "weeks",
              (TIME, Fraction(1, 24)): "hours"}
_BY_LOWER = {name.lower(): _PREFERRED[(dim, f)]
             for dim, table in _TABLE.items() for name, f in table.items()}
_KNOWN = {MASS: "g, mg, mcg, ng", VOLUME: "mL, L", TIME: "days, weeks, hours",
          CONCENTRATION: "mg/mL, mcg/mL, g/L"}


def _is_unit_char(c: str) -> bool:
    return (c.isascii() and (c.isalpha() or c in " \t/%")) or c in "µμ"


def _case_hint(unit: str) -> str | None:
    parts = [p.strip(" \t") for p in unit.split("/")] if unit.count("/") == 1 else [unit]
    meant = [_BY_LOWER.get(p.lower()) for p in parts]
    if any(m is None for m in meant):
        return None
    hint = f"units are case-sensitive: write {'/'.join(m for m in meant if m)!r}"
    return hint + "".join(f" ({_CASE_HINT[p]})" for p in parts if p in _CASE_HINT)


def _unit_error(unit: str, dimension: str, parameter: str, raw: Any) -> InputError:
    """The error for a unit not in the vocabulary, saying how to write it."""
    quoted = safe_text(raw) if isinstance(raw, str) else raw
    expected = _expected(dimension)
    if not unit:
        return InputError(parameter, quoted, expected + "; a bare number has no unit")
    if unit[0] in ",." or unit[0].isdigit():
        problem = number_problem(raw if isinstance(raw, str) else unit)
        return InputError(parameter, quoted, problem or expected + "; one number, then a unit")
    bad = next((c for c in unit if not _is_unit_char(c)), None)
    if bad is not None:
        return InputError(parameter, quoted, f"{expected}; stray character {bad!r} in the "
                          "unit: write one number and one unit, nothing else")
    other = _dimension_of(unit)
    if other is not None:
        return UnitError(parameter, quoted, f"{expected}, not a {other}")
    key = " ".join(unit.split()).lower()
    for part in (key, *(p.strip() for p in key.split("/"))):
        if part in _REFUSED:
            return UnitError(parameter, quoted, f"{expected}; {_REFUSED[part]}")
    hint = _case_hint(unit)
    if hint is not None:
        return UnitError(parameter, quoted, f"{expected}; {hint}")
    return UnitError(parameter, quoted, f"{expected} (unknown unit {safe_text(unit, 30)!r}; "
                     f"accepted: {_KNOWN[dimension]})")


def unit_factor(unit: str, dimension: str, parameter: str, raw: Any) -> Fraction:
    """Exact factor from a unit written as text to the fixed unit, or the error."""
    factor = _factor(unit, dimension)
    if factor is None:
        raise _unit_error(unit, dimension, parameter, raw)
    return factor


# Quantities a caller brings (any registry): SI-prefixed metric units only (_tables).
_VECTOR = {MASS: (1, 0, 0), VOLUME: (0, 1, 0), CONCENTRATION: (1, -1, 0), TIME: (0, 0, 1)}
_quantity_cache: dict[tuple[Any, str], Fraction] = {}


def _unit_part(name: str, power: Any) -> tuple[tuple[int, int, int], Fraction] | None:
    """One factor of a pint unit (``centigram``, ``meter ** 3``) in mg, mL and days."""
    if not isinstance(power, int) and not (isinstance(power, float) and power.is_integer()):
        return None
    n = int(power)
    for prefix, exp in SI_PREFIX_EXPONENTS.items():
        if name.startswith(prefix):
            base = name[len(prefix):]
            if base == "meter" and n % 3 == 0:  # a cubic metre is 10**6 mL
                return (0, n // 3, 0), (Fraction(10) ** (3 * exp) * 10**6) ** (n // 3)
            if base in QUANTITY_BASE_UNITS and (prefix == "" or base in ("gram", "liter", "litre")):
                vector, factor = QUANTITY_BASE_UNITS[base]
                return tuple(v * n for v in vector), (Fraction(10) ** exp * factor) ** n  # type: ignore[return-value]
    return None


def quantity_factor(value: Any, dimension: str, parameter: str) -> Fraction:
    """Exact factor from a Quantity's unit (any pint registry) to the fixed unit.

    Metric units only (SI-prefixed gram, litre and cubic metre; days, weeks and
    hours; and their products): the factor is exact, never a float round trip.
    Apothecary and household units are refused as they are in text.
    """
    try:
        items = tuple(value.unit_items())
    except Exception:  # not pint's Quantity: read its unit as text
        return unit_factor(str(value.units), dimension, parameter, value)
    key = (items, dimension)
    hit = _quantity_cache.get(key)
    if hit is not None:
        return hit
    vector, factor = [0, 0, 0], Fraction(1)
    for name, power in items:
        part = _unit_part(str(name), power)
        if part is None:
            unit = safe_text(str(value.units), 40)
            key_name = str(name).replace("_", " ").lower()
            why = _REFUSED.get(key_name, "metric units only (g, mg, mcg, ng, mL, L, days, weeks)")
            raise UnitError(parameter, _quote(value),
                            f"{_expected(dimension)}; got a Quantity in {unit}: {why}")
        vector = [a + b for a, b in zip(vector, part[0], strict=True)]
        factor *= part[1]
    if tuple(vector) != _VECTOR[dimension]:
        other = next((d for d, v in _VECTOR.items() if v == tuple(vector)), None)
        raise UnitError(parameter, _quote(value), f"{_expected(dimension)}, not "
                        f"{'a ' + other if other else safe_text(str(value.units), 40)}")
    if len(_quantity_cache) < 256:
        _quantity_cache[key] = factor
    return factor


def _quote(value: Any) -> Any:
    shape = getattr(getattr(value, "magnitude", None), "shape", ())
    return f"a Quantity array of shape {shape}" if shape else value


def _check(value: Fraction, dimension: str, parameter: str, raw: Any) -> Fraction:
    if value <= 0:
        raise InputError(parameter, raw, f"a positive {dimension}", kind=ErrorKind.OUT_OF_RANGE)
    low, high = _LIMITS[dimension]
    if not low <= value <= high:
        raise InputError(
            parameter, raw,
            f"a plausible {dimension}, between {_exact_limit(low, dimension)} "
            f"and {_exact_limit(high, dimension)}", kind=ErrorKind.OUT_OF_RANGE,
        )
    return value


def _exact_limit(x: Fraction, dimension: str) -> str:
    from ._exact import format_number

    return f"{format_number(x)} {BASE_UNIT[dimension]}"


def _is_quantity(value: object) -> bool:
    return hasattr(value, "magnitude") and hasattr(value, "units") and hasattr(
        value, "dimensionality"
    )


_parse_cache: dict[tuple[str, str], Fraction] = {}


class Exact(NamedTuple):
    """An exact magnitude already in the fixed unit of ``dimension``, already checked.

    The library's own way to hand a value it computed to a constructor whose
    converters read user input (``Stock(drug=Exact(x, MASS), ...)``): parse
    takes it as it is, so nothing inside re-enters the text parser.
    """

    value: Fraction
    dimension: str


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
        The unit is of another dimension, refused (apothecary, household,
        ``cc``, ``mg%``...), of the wrong case (``MG``) or unknown.
    InputError
        The value is missing a unit, unparsable, not positive, not finite, or
        implausibly small or large.
    """
    if type(value) is Exact and value.dimension == dimension:
        return value.value
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
        if len(unit) > MAX_TEXT:
            raise InputError(parameter, safe_text(unit), f"a unit of at most {MAX_TEXT} characters")
        factor = unit_factor(unit.strip(" \t"), dimension, parameter, value)
        return _check(to_fraction(magnitude, parameter) * factor, dimension, parameter, value)
    if _is_quantity(value):
        if getattr(value.magnitude, "shape", ()) != ():
            raise InputError(parameter, _quote(value), _expected(dimension) +
                             ": one value, not an array (for many doses use measure_many)")
        factor = quantity_factor(value, dimension, parameter)
        return _check(to_fraction(value.magnitude, parameter) * factor, dimension, parameter, value)
    if isinstance(value, (list, tuple)) or getattr(value, "shape", ()) != ():
        what = (f"an array of shape {value.shape}" if hasattr(value, "shape")
                else f"a {type(value).__name__}")
        raise InputError(parameter, what, f"{_expected(dimension)}: one value, not "
                         f"{what} (for many doses use measure_many)")
    if isinstance(value, (int, float)) or type(value).__module__ in _NUMBER_MODULES:
        raise InputError(parameter, value, _expected(dimension) + "; a bare number has no unit")
    raise InputError(parameter, value, _expected(dimension))


_NUMBER_MODULES = ("numpy", "decimal", "fractions")


def _parse_text(text: str, dimension: str, parameter: str) -> Fraction:
    """The grammar: ASCII number (or exact ratio a/b), optional spaces, one unit."""
    if len(text) > MAX_TEXT:
        raise InputError(parameter, safe_text(text),
                         f"{_expected(dimension)}, in at most {MAX_TEXT} characters")
    if (plain := read_plain(text, _TABLE.get(dimension, {}), *_LIMITS[dimension])) is not None:
        return plain  # "2.7183 mg": integers until one Fraction, no cache needed
    stripped = text.strip(" \t\r\n")
    read = read_number(stripped, parameter)
    if read is None:
        problem = number_problem(stripped)
        if problem is None and stripped and not _is_unit_char(stripped[0]):
            problem = f"{_expected(dimension)}; stray character {stripped[0]!r} before the number"
        raise InputError(parameter, safe_text(text), problem or _expected(dimension))
    value, end = read
    factor = unit_factor(stripped[end:].lstrip(" \t"), dimension, parameter, text)
    return _check(value * factor, dimension, parameter, safe_text(text))


# Thin public faces of the checks above, for the batch reader (which reads whole
# arrays at once and so cannot go through parse one value at a time).
def check_plausible(value: Fraction, dimension: str, parameter: str, raw: Any) -> Fraction:
    """``value`` (exact, fixed unit) if positive and plausible, else parse's InputError."""
    return _check(value, dimension, parameter, raw)


def expected(dimension: str) -> str:
    """How a value of ``dimension`` is written, as error messages say it."""
    return _expected(dimension)


def is_quantity(value: object) -> bool:
    """True for a Quantity of any pint registry (read by its attributes)."""
    return _is_quantity(value)
