"""Measuring a dose: whole drops or graduations, exactly rounded, with bounds."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import attrs

from ._convert import UNSET, fraction_between, renamed
from ._exact import check_rounding, exact_text, format_number, format_percent, round_ratio
from ._records import stamp
from ._rules import (
    ROUNDING_WARNING,
    DoseBand,
    band,
    check_decimal_slip,
    ldn_band_warning,
    suggested_concentration,
    suggested_count,
    unmeasurable_error,
    worst_case_bounds,
)
from ._verdict import accuracy_fix, accuracy_problem, cautions, judge_measurement
from .devices import (
    Device,
    Dropper,
    OralSyringe,
    checked_device,
    device_from_dict,
    device_volume_error,
)
from .errors import InputError, ToleranceError
from .fhir import measurement_dosage
from .rendering import (
    Rendered,
    Report,
    format_concentration,
    format_mass,
    format_mass_range,
    format_volume,
)
from .stock import Stock
from .types import MassLike, RatioLike
from .units import MASS, VOLUME, parse, to_quantity

if TYPE_CHECKING:
    import pint

    from .drugs import Drug

__all__ = [
    # DoseBand, suggested_count and suggested_concentration are _rules' own, re-exported
    "Bounds",
    "DoseBand",
    "Measurement",
    "classify",
    "measure",
    "measure_exact",
    "suggested_concentration",
    "suggested_count",
]



def classify(dose: MassLike) -> DoseBand:
    """The dose band of a daily dose.

    Parameters
    ----------
    dose : str or pint.Quantity  [mass]
        A daily dose, e.g. ``"450 mcg"``.

    Returns
    -------
    DoseBand
        ultra-low (< 1 mcg), very-low (1 mcg to < 1 mg), low (1-5 mg) or
        above LDN (> 5 mg); Toljan & Vrooman, Med Sci 2018;6:82.
    """
    return band(parse(dose, MASS, "dose"))


_max_rounding_error = fraction_between("max_rounding_error", Fraction(0), Fraction(1))


class Bounds(NamedTuple):
    """Worst-case low and high delivered dose [mass, mg]."""

    low: pint.Quantity
    high: pint.Quantity


@attrs.frozen(repr=False)
class Measurement(Rendered):
    """What to measure for one dose, and how close it will be.

    Build it with :func:`measure`. ``count`` whole drops or graduations make
    ``volume``, which holds ``delivered``; ``rounding_error`` is
    (delivered - target) / target; ``bounds`` is the worst case of tablet
    content, stock volume and device error together. ``ok``, ``problem`` and
    ``fix`` are its verdict, the same as a schedule step's: flagged beyond
    ``max_rounding_error``, at a volume the device cannot measure accurately,
    or at more drops than one dose should be counted in (``_verdict``).
    """

    exact_target: Fraction  # mg
    stock: Stock
    device: Device
    rounding: str
    count: int
    _extra_warnings: tuple[str, ...] = attrs.field(default=(), alias="extra_warnings")
    max_rounding_error: Fraction = attrs.field(default=ROUNDING_WARNING, kw_only=True)

    # -- exact values (mg, mL); bodies below the class, where mutmut reaches them --
    @property
    def exact_volume(self) -> Fraction:
        """Volume drawn, exact mL."""
        return _volume(self)

    @property
    def exact_delivered(self) -> Fraction:
        """Dose in the volume drawn, exact mg."""
        return _delivered(self)

    @property
    def exact_rounding_error(self) -> Fraction:
        """(delivered - target) / target, exact."""
        return _delivered(self) / self.exact_target - 1

    @property
    def exact_bounds(self) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) delivered dose, exact mg: tablet content, made-up
        volume and device volume errors together (``_rules.bounds_factors``)."""
        return _bounds(self)

    # -- quantities ----------------------------------------------------------------
    @property
    def target(self) -> pint.Quantity:
        """The requested dose [mass, mg]."""
        return to_quantity(self.exact_target, MASS)

    @property
    def volume(self) -> pint.Quantity:
        """Volume actually drawn [volume, mL]."""
        return to_quantity(self.exact_volume, VOLUME)

    @property
    def delivered(self) -> pint.Quantity:
        """Dose after rounding [mass, mg]."""
        return to_quantity(self.exact_delivered, MASS)

    @property
    def rounding_error(self) -> float:
        """(delivered - target) / target: negative when under the target."""
        return float(self.exact_rounding_error)

    @property
    def bounds(self) -> Bounds:
        """Worst-case (low, high) delivered dose [mass, mg]."""
        low, high = self.exact_bounds
        return Bounds(to_quantity(low, MASS), to_quantity(high, MASS))

    @property
    def band(self) -> DoseBand:
        """Dose band of the target (Toljan & Vrooman 2018)."""
        return band(self.exact_target)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Readable cautions, most important first."""
        return cautions(self)

    @property
    def accuracy_problem(self) -> str | None:
        """Why the device cannot measure this volume accurately, or None: an oral syringe
        at or below 0.1 mL or below 20 % of its capacity (``_rules.syringe_accuracy_problem``);
        a dropper has no such limit, a whole drop is its unit."""
        return accuracy_problem(self)

    @property
    def problem(self) -> str | None:
        """Why this dose is flagged, or None (``_verdict.judge_measurement``)."""
        return judge_measurement(self, self.max_rounding_error)[0]

    @property
    def fix(self) -> str | None:
        """What would work instead, or None when the dose is ok."""
        return judge_measurement(self, self.max_rounding_error)[1]

    @property
    def ok(self) -> bool:
        """True when the dose is within ``max_rounding_error``, at a volume the device
        measures accurately, in no more drops than one dose should be counted in."""
        return self.problem is None

    @property
    def verdict(self) -> str:
        """``"ok"`` or ``"FLAGGED: reason. fix"``, as a schedule step's."""
        problem, fix = judge_measurement(self, self.max_rounding_error)
        return "ok" if problem is None else f"FLAGGED: {problem}. {fix}"

    def check(self, max_rounding_error: RatioLike = UNSET, *,
              tolerance: RatioLike = UNSET) -> Measurement:
        """Return self if ``|rounding_error| <= max_rounding_error``, else raise.

        Parameters
        ----------
        max_rounding_error : number, default 0.05  [dimensionless]
            Largest acceptable relative rounding error. (Was ``tolerance``,
            still accepted with a DeprecationWarning.)

        Raises
        ------
        ToleranceError
            With ``target``, ``delivered`` and ``error`` as fields.
        """
        limit = renamed("Measurement.check", "tolerance", "max_rounding_error", tolerance,
                        max_rounding_error, ROUNDING_WARNING)
        tol = _max_rounding_error(limit)
        err = self.exact_rounding_error
        if abs(err) <= tol:
            return self
        raise ToleranceError(
            self.target, self.delivered, float(err), float(tol),
            f"target {format_mass(self.exact_target)}, delivered "
            f"{format_mass(self.exact_delivered)} ({self.count:,} {self._unit_word()}): "
            f"error {format_percent(err)} exceeds +/-{format_number(tol * 100)} %; "
            f"{accuracy_fix(self)}",
        )

    def _unit_word(self) -> str:
        return self.device.unit if self.count == 1 else self.device.units

    def what_to_measure(self) -> str:
        """``18 drops (0.9 mL)`` or ``0.45 mL (45 graduations of 0.01 mL)``."""
        vol = format_volume(self.exact_volume)
        if isinstance(self.device, OralSyringe):
            return (f"{vol} ({self.count:,} {self._unit_word()} of "
                    f"{format_volume(self.device.unit_volume_ml)})")
        return f"{self.count:,} {self._unit_word()} ({vol})"

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        low, high = self.exact_bounds
        per = self.stock.concentration_mg_per_ml * self.device.unit_volume_ml
        return Report(
            title=f"{format_mass(self.exact_target)}: measure {self.what_to_measure()}",
            rows=(
                ("Target dose", f"{format_mass(self.exact_target)} ({self.band} dose band)"),
                ("Stock", self.stock.describe()),
                ("Device", self.device.describe()),
                (f"Dose per {self.device.unit}", format_mass(per)),
                ("Measure", self.what_to_measure()),
                ("Delivered", format_mass(self.exact_delivered)),
                ("Rounding error", f"{format_percent(self.exact_rounding_error)} "
                                   f"(rounding: {self.rounding})"),
                ("Worst-case bounds", format_mass_range(low, high)),
                # shown when flagged (an ok dose's display is unchanged; its record says ok)
                *((("Verdict", self.verdict),) if not self.ok else ()),
            ),
            warnings=self.warnings,
        )

    RECORD = "measurement"
    NESTED: ClassVar[tuple[str, ...]] = ("stock", "device")
    DEFAULTS: ClassVar[dict[str, Any]] = {"max_rounding_error": exact_text(ROUNDING_WARNING)}

    @classmethod
    def _upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """0.1 wrote only ``target`` where the dose is a terminating decimal."""
        if "schema" not in data:
            data.setdefault("target_exact", data.get("target"))
        return super()._upgrade(data)

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/measurement@1`` record: ``target_exact``, ``stock`` and
        ``device`` are read back; every other field is checked when read."""
        low, high = self.exact_bounds
        return stamp(self.RECORD, {
            "target": format_mass(self.exact_target, None),
            # exact, for from_dict: "32/7 mg" where the decimal does not terminate
            "target_exact": f"{exact_text(self.exact_target)} mg",
            "stock": self.stock.to_dict(),
            "device": self.device.to_dict(),
            "rounding": self.rounding,
            "concentration": format_concentration(self.stock.concentration_mg_per_ml, None),
            "dose_per_unit": format_mass(
                self.stock.concentration_mg_per_ml * self.device.unit_volume_ml, None),
            "count": self.count,
            "unit": self.device.units,
            "volume": format_volume(self.exact_volume, None),
            "delivered": format_mass(self.exact_delivered, None),
            "rounding_error": float(self.exact_rounding_error),
            "bounds": {"low": format_mass(low, None), "high": format_mass(high, None)},
            "band": self.band.value,
            "max_rounding_error": exact_text(self.max_rounding_error),
            "ok": self.ok,
            "problem": self.problem,
            "fix": self.fix,
            "warnings": list(self.warnings),
        })

    def to_fhir(self, doses_per_day: int = 1, *, allow_flagged: bool = False
                ) -> dict[str, Any]:
        """This dose as a FHIR R4 ``Dosage`` dict (:func:`ldn_compound.fhir.measurement_dosage`:
        a flagged dose is refused unless ``allow_flagged``)."""
        return measurement_dosage(self, doses_per_day=doses_per_day,
                                  allow_flagged=allow_flagged)

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Measurement:
        """Measure again from the inputs a record stores."""
        return measure(data["target_exact"], Stock.from_dict(data["stock"]),
                       device_from_dict(data["device"]), rounding=data["rounding"],
                       allow_high_dose=True, max_rounding_error=data["max_rounding_error"])


# -- the bodies of Measurement's properties --------------------------------------------
def _volume(m: Measurement) -> Fraction:
    return m.count * m.device.unit_volume_ml


def _delivered(m: Measurement) -> Fraction:
    return _volume(m) * m.stock.concentration_mg_per_ml


def _bounds(m: Measurement) -> tuple[Fraction, Fraction]:
    return worst_case_bounds(_delivered(m), m.stock.content_tolerance,
                             m.stock.effective_volume_tolerance, device_volume_error(m.device))


def measure(
    dose: MassLike,
    stock: Stock,
    device: Device,
    *,
    rounding: str = "nearest",
    allow_high_dose: bool = False,
    max_rounding_error: RatioLike | None = None,
) -> Measurement:
    """Work out what to measure for one dose.

    Parameters
    ----------
    dose : str or pint.Quantity  [mass]
        Target dose, e.g. ``"4.5 mg"`` or ``"450 mcg"``.
    stock : Stock
        The liquid measured from.
    device : Dropper or OralSyringe
        What it is measured with.
    rounding : {"nearest", "down", "up"}
        ``nearest`` rounds half-way cases *away from zero* (2.5 drops -> 3;
        Python's round() would give 2); ``down`` never exceeds the target;
        ``up`` never falls short of it. Decided on exact values.
    allow_high_dose : bool, default False
        A dose of 45 mg or more (ten times the usual 4.5 mg maximum) is taken
        for a decimal slip and refused unless this is True.
    max_rounding_error : number, default 0.05  [dimensionless]
        Largest rounding error the verdict (``ok``, ``problem``, ``fix``)
        leaves unflagged: half of the 90-110 % potency window.

    Returns
    -------
    Measurement

    Raises
    ------
    UnitError, InputError
        Bad dose, stock, device or rounding.
    UnmeasurableDoseError
        The count would be 0, or the volume exceeds the device's capacity; the
        message names a concentration or device that would work.

    Examples
    --------
    >>> from ldn_compound import Dropper, Stock
    >>> m = measure("4.5 mg", Stock.from_tablets("50 mg", "10 mL"), Dropper())
    >>> m.count
    18
    """
    target = parse(dose, MASS, "dose")
    if not isinstance(stock, Stock):
        raise InputError("stock", stock, "a Stock, e.g. Stock.from_tablets('50 mg', '10 mL')")
    # A runtime Protocol check costs ~1 us per call; the library's own devices skip it.
    device = checked_device(device)
    mode = check_rounding(rounding)
    if not isinstance(allow_high_dose, bool):
        raise InputError("allow_high_dose", allow_high_dose, "True or False")
    limit = ROUNDING_WARNING if max_rounding_error is None \
        else _max_rounding_error(max_rounding_error)
    return measure_exact(target, stock, device, mode, allow_high_dose=allow_high_dose,
                         max_rounding_error=limit)


def measure_exact(target: Fraction, stock: Stock, device: Device, mode: str, *,
                  allow_high_dose: bool = False, parameter: str = "dose",
                  drug: Drug | None = None,
                  max_rounding_error: Fraction = ROUNDING_WARNING) -> Measurement:
    """:func:`measure` on an exact dose in mg: the library's own entry, never parsing.

    ``stock``, ``device`` and ``mode`` are taken as already checked; the
    decimal-slip guard names ``parameter``. ``drug`` (default: the stock's
    profile, else naltrexone) sets the decimal-slip threshold and the dose band.
    """
    if drug is None:
        drug = stock.profile
    check_decimal_slip(target, parameter, allow_high_dose, drug)
    band_warning = ldn_band_warning(target, drug)
    extra: tuple[str, ...] = () if band_warning is None else (band_warning,)
    # units = target / (concentration x unit volume), as an unreduced integer ratio:
    # the same count as exact Fraction arithmetic, without normalising by gcd.
    conc = stock.concentration_mg_per_ml
    uv_num, uv_den = _unit_volume_parts(device)
    num = target.numerator * conc.denominator * uv_den
    den = target.denominator * conc.numerator * uv_num
    count = round_ratio(num, den, mode)
    vol = stock.volume_ml
    over_stock = count * uv_num * vol.denominator > vol.numerator * uv_den
    if count == 0 or over_stock or _over_capacity(device, count):
        raise unmeasurable_error(target, stock, device, count, Fraction(num, den))
    return Measurement(target, stock, device, mode, count, extra,
                       max_rounding_error=max_rounding_error)


def _unit_volume_parts(device: Device) -> tuple[int, int]:
    """Numerator and denominator of one drop's or graduation's volume, mL."""
    if type(device) is Dropper:
        dpm = device.drops_per_mL  # one drop is 1/dpm mL: no Fraction division needed
        return dpm.denominator, dpm.numerator
    uv = device.unit_volume_ml
    return uv.numerator, uv.denominator


def _over_capacity(device: Device, count: int) -> bool:
    """True if ``count`` drops or graduations exceed what the device measures at once."""
    if type(device) is Dropper:
        return device.max_drops is not None and count > device.max_drops
    cap = device.capacity_ml
    return cap is not None and count * device.unit_volume_ml > cap
