"""Every clinical rule, once.

The scalar (:func:`~ldn_compound.measure`), batch, schedule, dilution and
trituration paths all call these functions; none of them writes a rule again.
Thresholds come from ``_tables`` (each with its source).

Comparisons are written on exact ratios ``num / den`` with integer parts, so
the same function decides a Python ``int`` pair or a whole numpy array of
exact integers (float64 below 2**52, or object arrays of Python ints) with no
rounding anywhere: ``a / b > p / q`` is decided as ``a * q > b * p``.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._exact import ceil_div, format_number, round_to_int
from ._tables import (
    CYLINDER_TOLERANCE_ML,
    DECIMAL_SLIP_FACTOR,
    LDN_MAX_MG,
    MAX_DEFAULT_MAKE_UP_TOLERANCE,
    MIN_FILL,
    POTENCY_WINDOW,
    SMALL_SYRINGE_VOLUME_ML,
    SYRINGE_SIZES_ML,
    TYPICAL_SYRINGE_GRADUATION_ML,
    ULDN_BELOW_MG,
    USUAL_LDN_MAX_MG,
    VLDN_BELOW_MG,
    WEIGHING_RESOLUTION_SHARE,
)
from .errors import ErrorKind, InputError, UnmeasurableDoseError
from .rendering import (
    format_concentration,
    format_mass,
    format_volume,
    join_words,
)

if TYPE_CHECKING:
    from .devices import Device
    from .drugs import Drug
    from .stock import Stock

__all__ = [
    "DECIMAL_SLIP_MG",
    "LDN_BAND",
    "MIN_FILL_ADVICE",
    "OVERCUT_FACTOR",
    "ROUNDING_WARNING",
    "SMALLEST_CYLINDER_ML",
    "SMALL_SYRINGE",
    "SUGGESTED_UNITS",
    "DoseBand",
    "band",
    "below_min_fill",
    "beyond",
    "bounds_factors",
    "check_decimal_slip",
    "check_make_up",
    "cut_needs",
    "is_above_ldn_band",
    "is_decimal_slip",
    "is_overcut",
    "is_small_syringe_volume",
    "larger_syringe",
    "ldn_band_warning",
    "least_accurate_count",
    "make_up_tolerance",
    "overcut_limit",
    "smaller_syringe",
    "suggested_concentration",
    "suggested_count",
    "syringe_accuracy_problem",
    "tolerances_of_factors",
    "weighed",
    "weighing_resolution",
    "worst_case_bounds",
]

#: Ten times the usual 4.5 mg LDN maximum (45 mg): most likely a decimal slip.
DECIMAL_SLIP_MG = USUAL_LDN_MAX_MG * DECIMAL_SLIP_FACTOR
#: Rounding that moves a dose by more than this is a warning: half of the
#: 90-110 % potency window compounded preparations are held to (USP <795>).
ROUNDING_WARNING = POTENCY_WINDOW / 2
#: A suggested stock aims the dose at no fewer units than this, so rounding to a
#: whole unit costs at most 1 / (2 x 10) = 5 %.
SUGGESTED_UNITS = 10

#: How the LDN band is named wherever a dose above it is reported.
LDN_BAND = "the low-dose (LDN) band of 1 to 5 mg (Toljan & Vrooman 2018)"
#: How the small-syringe-volume finding is named wherever it is reported.
SMALL_SYRINGE = ("at or below 0.1 mL, where 1 mL oral syringes missed a +/-10 % target "
                 "(Arenas-Lopez et al. 2017)")
#: Why a syringe filled below 20 % of its capacity is reported.
MIN_FILL_ADVICE = "ISMP: size the syringe to the dose"


def _parts(x: Fraction) -> tuple[int, int]:
    return x.numerator, x.denominator


# -- dose bands and the decimal slip ---------------------------------------------------
class DoseBand(str, enum.Enum):
    """Dose bands of Toljan & Vrooman, Med Sci 2018;6:82."""

    ULTRA_LOW = "ultra-low"
    VERY_LOW = "very-low"
    LOW = "low"
    ABOVE_LDN = "above LDN"

    def __str__(self) -> str:
        return self.value


def band(mg: Fraction) -> DoseBand:
    """The dose band of a daily dose in mg: below 1 mcg, below 1 mg, up to 5 mg, above."""
    if mg < ULDN_BELOW_MG:
        return DoseBand.ULTRA_LOW
    if mg < VLDN_BELOW_MG:
        return DoseBand.VERY_LOW
    if mg <= LDN_MAX_MG:
        return DoseBand.LOW
    return DoseBand.ABOVE_LDN


def is_above_ldn_band(num: Any, den: Any) -> Any:
    """``num / den`` mg is above the LDN band (more than 5 mg); ints or arrays."""
    p, q = _parts(LDN_MAX_MG)
    return num * q > den * p


def is_decimal_slip(num: Any, den: Any) -> Any:
    """``num / den`` mg is at least :data:`DECIMAL_SLIP_MG`; ints or arrays."""
    p, q = _parts(DECIMAL_SLIP_MG)
    return num * q >= den * p


def check_decimal_slip(mg: Fraction, parameter: str = "dose",
                       allow_high_dose: bool = False, drug: Drug | None = None) -> None:
    """Refuse a dose of :data:`DECIMAL_SLIP_MG` or more unless ``allow_high_dose``.

    With a ``drug`` (:class:`~ldn_compound.drugs.Drug`), ten times its usual
    maximum instead; None is naltrexone, as :data:`DECIMAL_SLIP_MG`.

    Raises
    ------
    InputError
        ``kind`` DECIMAL_SLIP, ``override`` ``"allow_high_dose"``.
    """
    if drug is None:
        usual, what = USUAL_LDN_MAX_MG, "LDN"
        slip = is_decimal_slip(mg.numerator, mg.denominator)
    else:
        usual, what = drug.usual_max_mg, drug.name
        slip = mg >= usual * DECIMAL_SLIP_FACTOR
    if not allow_high_dose and slip:
        raise InputError(
            parameter, format_mass(mg),
            f"a low dose: {format_mass(mg)} is ten or more times the usual "
            f"{format_mass(usual)} {what} maximum, which looks like a decimal slip",
            kind=ErrorKind.DECIMAL_SLIP, override="allow_high_dose",
        )


def ldn_band_warning(mg: Fraction, drug: Drug | None = None) -> str | None:
    """The caution for a dose above the LDN band (or a ``drug``'s band), or None."""
    if drug is not None:
        if drug.band_max_mg is None or mg <= drug.band_max_mg:
            return None
        text = drug.band_text or f"the usual {drug.name} band"
        return f"{format_mass(mg)} is above {text}; check the prescription"
    if is_above_ldn_band(mg.numerator, mg.denominator):
        return f"{format_mass(mg)} is above {LDN_BAND}; check the prescription"
    return None


# -- rounding ----------------------------------------------------------------------------
def beyond(diff: Any, base: Any, limit: Fraction = ROUNDING_WARNING) -> Any:
    """``|diff| / base > limit`` for ``base > 0``, decided exactly; ints or arrays.

    The rounding warning is ``beyond(count * den - num, num)`` where the exact
    number of units is ``num / den``.
    """
    p, q = _parts(limit)
    return abs(diff) * q > base * p


# -- oral syringes -----------------------------------------------------------------------
def is_small_syringe_volume(num: Any, den: Any) -> Any:
    """``num / den`` mL is at or below 0.1 mL (Arenas-Lopez et al. 2017); ints or arrays."""
    p, q = _parts(SMALL_SYRINGE_VOLUME_ML)
    return num * q <= den * p


def below_min_fill(volume_ml: Any, capacity_ml: Fraction, den: Any = 1) -> Any:
    """``volume_ml / den`` mL is below 20 % of ``capacity_ml`` (USP <1176>; ISMP).

    ``volume_ml`` a Fraction, or exact integers over ``den`` (ints or arrays).
    """
    p, q = _parts(capacity_ml * MIN_FILL)
    return volume_ml * q < den * p


def syringe_accuracy_problem(volume_ml: Fraction, capacity_ml: Fraction,
                             volume_text: str, capacity_text: str) -> str | None:
    """Why an oral syringe cannot measure ``volume_ml`` accurately, or None.

    Not trusted at or below 0.1 mL (1 mL syringes missed a +/-10 % target
    there: Arenas-Lopez et al., Arch Dis Child 2017) nor below 20 % of its
    capacity (USP <1176> guidance for graduates; ISMP: size the syringe to the
    dose). The texts are the volumes as the caller writes them.
    """
    if is_small_syringe_volume(volume_ml.numerator, volume_ml.denominator):
        return f"{volume_text} is {SMALL_SYRINGE}"
    if below_min_fill(volume_ml, capacity_ml):
        return f"{volume_text} is below 20 % of the {capacity_text} syringe ({MIN_FILL_ADVICE})"
    return None


def smaller_syringe(volume_ml: Fraction, capacity_ml: Fraction) -> Fraction | None:
    """The smallest common syringe (ISMP sizes) smaller than ``capacity_ml`` that
    holds ``volume_ml`` and measures it accurately, or None."""
    if is_small_syringe_volume(volume_ml.numerator, volume_ml.denominator):
        return None
    for size in SYRINGE_SIZES_ML:
        if volume_ml <= size < capacity_ml and not below_min_fill(volume_ml, size):
            return size
    return None


def larger_syringe(volume_ml: Fraction) -> Fraction | None:
    """The smallest common syringe (ISMP sizes) that holds ``volume_ml`` at once, or None."""
    return next((size for size in SYRINGE_SIZES_ML if size >= volume_ml), None)


# -- making up to volume ---------------------------------------------------------------
def make_up_tolerance(volume_ml: Fraction) -> Fraction:
    """Relative error of making up to ``volume_ml`` in a class B graduated cylinder.

    ASTM E694 class B: 10 mL +/-0.1, 25 mL +/-0.3, 50 mL +/-0.4, 100 mL
    +/-0.6 mL; the smallest cylinder that holds the volume is used, and above
    the largest each filling adds its tolerance (100 mL: 0.6 %).
    """
    cylinders = CYLINDER_TOLERANCE_ML["B"]
    for capacity in sorted(cylinders):
        if volume_ml <= capacity:
            return cylinders[capacity] / volume_ml
    largest = max(cylinders)
    return cylinders[largest] / largest


# -- worst-case bounds ----------------------------------------------------------------
def bounds_factors(content_tolerance: Fraction, volume_tolerance: Fraction,
                   device_tolerance: Fraction) -> tuple[Fraction, Fraction]:
    """Low and high multipliers of a delivered dose in the worst case.

    Drug content within +/-``content_tolerance``; the stock made up within
    +/-``volume_tolerance`` of its volume (which moves the concentration the
    other way); the device within +/-``device_tolerance`` of its volume. All
    three are fractions below 1, so the low factor is positive.
    """
    low = (1 - content_tolerance) * (1 - device_tolerance) / (1 + volume_tolerance)
    high = (1 + content_tolerance) * (1 + device_tolerance) / (1 - volume_tolerance)
    return low, high


def worst_case_bounds(delivered_mg: Fraction, content_tolerance: Fraction,
                      volume_tolerance: Fraction,
                      device_tolerance: Fraction) -> tuple[Fraction, Fraction]:
    """Worst-case (low, high) of a delivered dose, exact mg (:func:`bounds_factors`)."""
    low, high = bounds_factors(content_tolerance, volume_tolerance, device_tolerance)
    return delivered_mg * low, delivered_mg * high


def tolerances_of_factors(low: Fraction, high: Fraction) -> tuple[Fraction, Fraction]:
    """The (content, volume) tolerances whose :func:`bounds_factors` are ``low``, ``high``.

    For a stock that carries a dilution chain's worst case: solves
    ``(1 - c) / (1 + v) = low`` and ``(1 + c) / (1 - v) = high``. Any product
    of :func:`bounds_factors` links has ``low + high >= 2`` and
    ``1 / low + 1 / high >= 2``, so both tolerances are in [0, 1).
    """
    if high == low:
        return Fraction(0), Fraction(0)
    volume = (low + high - 2) / (high - low)
    return 1 - low * (1 + volume), volume


# -- fix advice ------------------------------------------------------------------------
def _syringe_capacity(device: Device) -> Fraction | None:
    from .devices import OralSyringe

    return device.capacity_ml if isinstance(device, OralSyringe) else None


def least_accurate_count(unit_volume_ml: Fraction, capacity_ml: Fraction) -> int:
    """The fewest graduations an oral syringe measures accurately: at least 20 % of
    its capacity and strictly more than 0.1 mL (the two syringe rules above)."""
    small = SMALL_SYRINGE_VOLUME_ML / unit_volume_ml
    return max(1, ceil_div(capacity_ml * MIN_FILL / unit_volume_ml),
               small.numerator // small.denominator + 1)


def suggested_count(device: Device) -> int:
    """Drops or graduations a suggested stock aims a dose at.

    At least :data:`SUGGESTED_UNITS` (rounding then costs at most 5 %), and for
    an oral syringe at least 20 % of its capacity and strictly more than
    0.1 mL, so the suggestion itself has no syringe accuracy problem.
    """
    n = SUGGESTED_UNITS
    cap = _syringe_capacity(device)
    if cap is not None:
        n = max(n, least_accurate_count(device.unit_volume_ml, cap))
    return n


def suggested_concentration(dose_mg: Fraction, device: Device) -> Fraction:
    """Concentration (mg/mL) at which ``dose_mg`` is :func:`suggested_count` units."""
    return dose_mg / (suggested_count(device) * device.unit_volume_ml)


# -- taper cuts ------------------------------------------------------------------------
#: A taper step is flagged when its delivered cut is more than the requested
#: reduction and half of it again (a 10 % taper: a cut above 15 %).
OVERCUT_FACTOR = Fraction(3, 2)


def overcut_limit(reduction: Fraction) -> Fraction:
    """The largest delivered cut a taper step of ``reduction`` may make unflagged."""
    return reduction * OVERCUT_FACTOR


def is_overcut(cut: Fraction, reduction: Fraction) -> bool:
    """A delivered cut beyond :func:`overcut_limit` of the requested ``reduction``."""
    return cut > overcut_limit(reduction)


def cut_needs(reduction: Fraction, rounding: str) -> int:
    """Fewest drops or graduations the dose before a taper step must take for the
    step's cut to stay within :func:`overcut_limit`.

    A taper step from ``n`` units is ``min(round(n (1 - r)), n - 1)`` units: rounding
    to nearest or up cuts at most ``r + 1/(2n)`` (or ``1/n``), rounding down less
    than ``r + 1/n``; so ``n >= 1/r`` (``2/r`` rounding down) is enough.
    """
    need = (2 if rounding == "down" else 1) / reduction
    return ceil_div(need / (2 * (OVERCUT_FACTOR - 1)))


def weighing_resolution(lwq_mg: Fraction) -> Fraction:
    """The step weighed amounts are rounded to, mg: the largest power of ten not
    above 1 % of the least weighable quantity, so rounding moves no weighing
    (each at least the LWQ) by more than 0.5 %."""
    limit = lwq_mg * WEIGHING_RESOLUTION_SHARE
    res = Fraction(1)
    while res > limit:
        res /= 10
    while res * 10 <= limit:
        res *= 10
    return res


def weighed(mg: Fraction, resolution: Fraction, mode: str = "nearest") -> Fraction:
    """``mg`` rounded to a whole number of ``resolution`` (``nearest``, ``down`` or ``up``)."""
    return resolution * round_to_int(mg / resolution, mode)


# -- when a dose cannot be measured -----------------------------------------------------
#: The finest common oral syringe: 1 mL graduated in 0.01 mL (ISMP sizes).
FINEST_SYRINGE_ML = min(TYPICAL_SYRINGE_GRADUATION_ML, key=lambda c: (
    TYPICAL_SYRINGE_GRADUATION_ML[c], -c))
FINEST_GRADUATION_ML = TYPICAL_SYRINGE_GRADUATION_ML[FINEST_SYRINGE_ML]


def unmeasurable_error(target: Fraction, stock: Stock, device: Device, count: int,
                       units: Fraction) -> UnmeasurableDoseError:
    """Why ``target`` mg cannot be measured (``count`` units of ``units`` exact) and
    what would work: a weaker or stronger stock, a finer or larger syringe."""
    from .devices import OralSyringe

    conc = stock.concentration_mg_per_ml
    per = conc * device.unit_volume_ml
    if count == 0:
        weaker = suggested_concentration(target, device)
        reason = (f"at {format_concentration(conc)} one {device.unit} holds "
                  f"{format_mass(per)}, so it is {format_number(units, 3)} {device.units}, "
                  f"which rounds to 0")
        fix = [f"a stock of {format_concentration(weaker)} (the dose would be "
               f"{suggested_count(device):,} {device.units})"]
        if isinstance(device, OralSyringe) and device.unit_volume_ml > FINEST_GRADUATION_ML:
            fix.append(f"a {format_volume(FINEST_SYRINGE_ML)} oral syringe graduated in "
                       f"{format_volume(FINEST_GRADUATION_ML)}")
        return UnmeasurableDoseError(format_mass(target), reason,
                                     f"Would work: {join_words(fix)}.",
                                     kind=ErrorKind.BELOW_ONE_UNIT, suggested_mg_per_ml=weaker)
    need = count * device.unit_volume_ml
    if need > stock.volume_ml:
        return UnmeasurableDoseError(
            format_mass(target),
            f"it needs {format_volume(need)} at {format_concentration(conc)}, more than the "
            f"whole stock ({stock.describe()})",
            f"Would work: a stock of at least {format_concentration(target / stock.volume_ml)}, "
            f"or more of it.",
            kind=ErrorKind.BEYOND_STOCK, suggested_mg_per_ml=target / stock.volume_ml,
        )
    cap = device.capacity_ml
    assert cap is not None
    need = target / conc
    reason = (f"it needs {format_volume(need)} at {format_concentration(conc)}, more than the "
              f"{format_volume(cap)} the device measures at once ({device.describe()})")
    fix = [f"a stock of at least {format_concentration(target / cap)}"]
    if isinstance(device, OralSyringe):
        bigger = larger_syringe(need)
        if bigger is not None:
            fix.append(f"a {format_volume(bigger)} oral syringe")
    return UnmeasurableDoseError(format_mass(target), reason, f"Would work: {join_words(fix)}.",
                                 kind=ErrorKind.OVER_CAPACITY, suggested_mg_per_ml=target / cap)


# -- making a stock up to volume ---------------------------------------------------------
#: The smallest class B graduated cylinder (ASTM E694), mL, and its tolerance.
SMALLEST_CYLINDER_ML = min(CYLINDER_TOLERANCE_ML["B"])


def check_make_up(volume_ml: Fraction) -> None:
    """Refuse a volume the default cylinder cannot make up within 10 %."""
    if make_up_tolerance(volume_ml) > MAX_DEFAULT_MAKE_UP_TOLERANCE:
        cylinder = SMALLEST_CYLINDER_ML
        tol = CYLINDER_TOLERANCE_ML["B"][cylinder]
        raise InputError(
            "volume_tolerance", None,
            f"a volume_tolerance for {format_volume(volume_ml)}: a {format_volume(cylinder)} "
            f"class B cylinder's +/-{format_volume(tol)} (ASTM E694) is "
            f"{format_number(tol / volume_ml * 100, 3)} % of it. Would work: a volume of "
            f"at least {format_volume(tol / MAX_DEFAULT_MAKE_UP_TOLERANCE)}, or measure it "
            "with a syringe or a volumetric flask and pass its volume_tolerance "
            "(e.g. 0.02 for +/-2 %)",
        )
