"""Hypothesis strategies for ldn_compound objects, for your own property tests.

Opt-in: ``import ldn_compound.strategies`` (not imported by the package, so
hypothesis is needed only where you use it).

>>> from hypothesis import given
>>> from ldn_compound import measure
>>> from ldn_compound.strategies import doses, stocks, droppers
>>> @given(doses(), stocks(), droppers())
... def test_never_silent_zero(dose, stock, dropper): ...

Every strategy takes keyword-only arguments; bad arguments raise
``hypothesis.errors.InvalidArgument``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .devices import Dropper, OralSyringe
from .stock import Stock

__all__ = [
    "decimal_quantities",
    "devices",
    "doses",
    "drop_ladders",
    "droppers",
    "equipment_sets",
    "graduated_cylinders",
    "microgram_doses",
    "oral_syringes",
    "rounding_modes",
    "schedules",
    "stocks",
    "tapers",
    "titrations",
    "volumes",
]


def _check_range(name: str, low: Any, high: Any) -> tuple[Decimal, Decimal]:
    try:
        lo, hi = Decimal(str(low)), Decimal(str(high))
    except Exception as exc:
        raise InvalidArgument(f"{name}: min_value and max_value must be numbers") from exc
    if not (lo.is_finite() and hi.is_finite()) or lo <= 0 or hi < lo:
        raise InvalidArgument(
            f"{name}: need 0 < min_value <= max_value, got {low!r} and {high!r}"
        )
    return lo, hi


@st.composite
def _decimals(draw: st.DrawFn, lo: Decimal, hi: Decimal, places: int) -> Decimal:
    step = Decimal(1).scaleb(-places)
    n = draw(st.integers(int((lo / step).to_integral_value(rounding="ROUND_CEILING")),
                         int((hi / step).to_integral_value(rounding="ROUND_FLOOR"))))
    return (n * step).normalize()


def decimal_quantities(
    unit: str, *, min_value: Any, max_value: Any, places: int = 3
) -> st.SearchStrategy[str]:
    """Quantities as text, ``"<decimal> <unit>"``, with at most ``places`` decimals.

    Parameters
    ----------
    unit : str
        Unit text appended, e.g. ``"mg"`` or ``"mL"``.
    min_value, max_value : number
        Inclusive range of the number, in ``unit``.
    places : int
        Decimal places drawn (0 to 9).
    """
    lo, hi = _check_range("decimal_quantities", min_value, max_value)
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 9:
        raise InvalidArgument(f"places must be a whole number from 0 to 9, got {places!r}")
    if (hi - lo) * Decimal(10) ** places < 1 and lo.as_tuple().exponent < -places:  # type: ignore[operator]
        raise InvalidArgument(f"no {places}-place decimal lies in [{lo}, {hi}]")
    return _decimals(lo, hi, places).map(lambda d: f"{d:f} {unit}")


def doses(*, min_value: Any = "0.001", max_value: Any = "16", unit: str = "mg",
          places: int = 4) -> st.SearchStrategy[str]:
    """Doses as text; by default 1 mcg to 16 mg, the reported LDN range (Toljan & Vrooman 2018)."""
    return decimal_quantities(unit, min_value=min_value, max_value=max_value, places=places)


def volumes(*, min_value: Any = "1", max_value: Any = "500",
            places: int = 1) -> st.SearchStrategy[str]:
    """Volumes in mL as text."""
    return decimal_quantities("mL", min_value=min_value, max_value=max_value, places=places)


def rounding_modes() -> st.SearchStrategy[str]:
    """``"nearest"``, ``"down"`` or ``"up"``."""
    return st.sampled_from(("nearest", "down", "up"))


def stocks(*, min_tablets: int = 1, max_tablets: int = 4, strengths: tuple[str, ...] = ("50 mg",),
           min_volume: Any = "5", max_volume: Any = "200") -> st.SearchStrategy[Stock]:
    """Stocks made from whole tablets made up to a volume."""
    if not 1 <= min_tablets <= max_tablets:
        raise InvalidArgument(f"need 1 <= min_tablets <= max_tablets, got {min_tablets}, "
                              f"{max_tablets}")
    if not strengths:
        raise InvalidArgument("strengths must name at least one tablet strength")
    return st.builds(
        Stock.from_tablets,
        st.sampled_from(strengths),
        volume=volumes(min_value=min_volume, max_value=max_volume),
        count=st.integers(min_tablets, max_tablets),
    )


def droppers(*, min_drops_per_mL: Any = 10, max_drops_per_mL: Any = 40,
             calibrated: bool = True) -> st.SearchStrategy[Dropper]:
    """Droppers: the USP 20 drops/mL one and, if ``calibrated``, counted ones."""
    lo, hi = _check_range("droppers", min_drops_per_mL, max_drops_per_mL)
    if lo < 1 or hi > 100:
        raise InvalidArgument("drops per mL must lie between 1 and 100")
    usp = st.just(Dropper()) if lo <= 20 <= hi else st.nothing()
    if not calibrated:
        return usp
    counted = st.builds(
        lambda dpm: Dropper(drops_per_mL=dpm),
        st.fractions(min_value=Fraction(lo), max_value=Fraction(hi), max_denominator=20),
    )
    return usp | counted


def oral_syringes() -> st.SearchStrategy[OralSyringe]:
    """Common oral syringe sizes and graduations (references: 'ismp-oral-syringes')."""
    return st.sampled_from(("0.5 mL", "1 mL", "3 mL", "5 mL", "10 mL")).map(
        lambda c: OralSyringe(capacity=c)
    )


def devices() -> st.SearchStrategy[Dropper | OralSyringe]:
    """Any device: droppers or oral syringes."""
    return droppers() | oral_syringes()


# -- Schedules (titration and taper schedules) -------------------------------------------
_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def _check_days(min_days: int, max_days: int) -> None:
    if not (isinstance(min_days, int) and isinstance(max_days, int)
            and 1 <= min_days <= max_days <= 365):
        raise InvalidArgument(f"need whole days 1 <= min_days <= max_days <= 365, got "
                              f"{min_days!r} and {max_days!r}")


@st.composite
def _titrations(draw: st.DrawFn, min_days: int, max_days: int, max_steps: int) -> Any:
    from .schedule import titrate

    start = draw(doses(min_value="0.05", max_value="4.5", places=2))
    step = draw(doses(min_value="0.05", max_value="1.5", places=2))
    rises = draw(st.integers(2, max_steps - 1))  # titrate refuses a rise of the whole climb
    rise = Fraction(step.split()[0])
    target = Fraction(start.split()[0]) + rises * rise - draw(
        st.sampled_from((Fraction(0), rise / 2)))
    every = f"{draw(st.integers(min_days, max_days))} days"
    hold = draw(st.none() | st.integers(1, max_days).map(lambda n: f"{n} days"))
    return titrate(start, step, (target, "mg"), every, draw(stocks()), draw(devices()),
                   hold=hold, rounding=draw(rounding_modes()),
                   doses_per_day=draw(st.integers(1, 3)),
                   start_date=draw(st.none() | _DATES))


def titrations(*, min_days: int = 1, max_days: int = 28,
               max_steps: int = 12) -> st.SearchStrategy[Any]:
    """Upward ladders from :func:`~ldn_compound.titrate` (steps may be flagged)."""
    _check_days(min_days, max_days)
    if not isinstance(max_steps, int) or not 3 <= max_steps <= 100:
        raise InvalidArgument(f"max_steps must be a whole number from 3 to 100, got "
                              f"{max_steps!r}")
    return _titrations(min_days, max_days, max_steps)


@st.composite
def _tapers(draw: st.DrawFn, min_days: int, max_days: int) -> Any:
    from .schedule import taper

    stock = draw(stocks())
    device = draw(devices())
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    cap = device.capacity_ml
    most = 100 if cap is None else min(100, int(cap / device.unit_volume_ml))
    most = min(most, int(Fraction(9, 2) / per))  # start at most 4.5 mg
    count = draw(st.integers(1, max(1, most)))
    start = count * per
    floor = start * draw(st.fractions(Fraction(1, 100), Fraction(1), max_denominator=100))
    return taper((start, "mg"), Fraction(draw(st.integers(5, 60)), 100),
                 f"{draw(st.integers(min_days, max_days))} days", stock, device,
                 (floor, "mg"), rounding=draw(rounding_modes()),
                 start_date=draw(st.none() | _DATES))


def tapers(*, min_days: int = 1, max_days: int = 28) -> st.SearchStrategy[Any]:
    """Hyperbolic tapers from :func:`~ldn_compound.taper` (5-60 % a step)."""
    _check_days(min_days, max_days)
    return _tapers(min_days, max_days)


@st.composite
def _drop_ladders(draw: st.DrawFn, min_days: int, max_days: int) -> Any:
    from .schedule import Schedule

    stock = draw(stocks())
    dropper = draw(droppers())
    per = stock.concentration_mg_per_ml * dropper.unit_volume_ml
    most = max(1, min(40, int(10 / per)))  # at most 10 mg a dose
    first = draw(st.integers(1, most))
    return Schedule.from_drops(stock, dropper, first,
                               draw(st.integers(1, 4)), draw(st.integers(first, most)),
                               f"{draw(st.integers(min_days, max_days))} days",
                               start_date=draw(st.none() | _DATES))


def drop_ladders(*, min_days: int = 1, max_days: int = 28) -> st.SearchStrategy[Any]:
    """Drop ladders from :meth:`~ldn_compound.Schedule.from_drops`."""
    _check_days(min_days, max_days)
    return _drop_ladders(min_days, max_days)


def schedules(*, min_days: int = 1, max_days: int = 28) -> st.SearchStrategy[Any]:
    """Any schedule: titrations, tapers or drop ladders."""
    return (titrations(min_days=min_days, max_days=max_days)
            | tapers(min_days=min_days, max_days=max_days)
            | drop_ladders(min_days=min_days, max_days=max_days))


# -- Serial dilution (plan_dilution) --------------------------------------------------


def microgram_doses(*, min_value: Any = "0.01", max_value: Any = "1000",
                    places: int = 2) -> st.SearchStrategy[str]:
    """Very-low and ultra-low doses as text in mcg (default 0.01 to 1,000 mcg)."""
    return decimal_quantities("mcg", min_value=min_value, max_value=max_value, places=places)


def graduated_cylinders(*, glass_classes: tuple[str, ...] = ("A", "B")
                        ) -> st.SearchStrategy[Any]:
    """ASTM E694 graduated cylinders of 10, 25, 50 and 100 mL."""
    from .equipment import GraduatedCylinder

    if not glass_classes or any(c not in ("A", "B") for c in glass_classes):
        raise InvalidArgument(f"glass_classes must be drawn from 'A' and 'B', got "
                              f"{glass_classes!r}")
    return st.builds(lambda c, k: GraduatedCylinder(c, glass_class=k),
                     st.sampled_from(("10 mL", "25 mL", "50 mL", "100 mL")),
                     st.sampled_from(glass_classes))


def equipment_sets(*, flasks: bool = True) -> st.SearchStrategy[tuple[Any, ...]]:
    """Equipment for a dilution: at least one oral syringe and one graduated cylinder,
    and (if ``flasks``) maybe class A volumetric flasks."""
    from .equipment import VolumetricFlask

    syringes = st.lists(st.sampled_from(("0.5 mL", "1 mL", "3 mL", "5 mL", "10 mL")),
                        min_size=1, max_size=3, unique=True).map(
        lambda cs: tuple(OralSyringe(capacity=c) for c in cs))
    cylinders = st.lists(graduated_cylinders(), min_size=1, max_size=3).map(tuple)
    extra = (st.lists(st.sampled_from(("25 mL", "50 mL", "100 mL")), max_size=2, unique=True)
             .map(lambda cs: tuple(VolumetricFlask(c) for c in cs))) if flasks else st.just(())
    return st.tuples(syringes, cylinders, extra).map(lambda t: t[0] + t[1] + t[2])
