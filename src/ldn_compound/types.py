"""What each parameter accepts, as type aliases for a caller's type checker.

Every public signature uses these instead of ``Any``, so ``mypy`` flags
``measure(4.5, ...)`` (a bare number where a mass is needed) in a caller's
code before it runs. At run time the library checks the same things and
raises :class:`~ldn_compound.InputError` naming the parameter.

A quantity is accepted as text (``"4.5 mg"``), a pint Quantity from any
registry, or a ``(number, "unit")`` pair. A Quantity is matched by its shape
(:class:`QuantityLike`: ``magnitude``, ``units``, ``dimensionality``), so a
Quantity of the caller's own ``pint.UnitRegistry()`` fits.

>>> from ldn_compound.types import MassLike
>>> dose: MassLike = "4.5 mg"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:  # numpy is not imported with the package
    from numpy.typing import ArrayLike, NDArray

    from .devices import Dropper, OralSyringe
    from .stock import Stock

__all__ = [
    "ConcentrationLike",
    "CountLike",
    "DateLike",
    "DevicesLike",
    "DurationLike",
    "MagnitudeLike",
    "MassLike",
    "MassesLike",
    "Number",
    "QuantityLike",
    "RatioLike",
    "StocksLike",
    "VolumeLike",
]


@runtime_checkable
class QuantityLike(Protocol):
    """A pint Quantity of any registry, read by its attributes."""

    @property
    def magnitude(self) -> Any:
        """The number."""

    @property
    def units(self) -> Any:
        """The unit."""

    @property
    def dimensionality(self) -> Any:
        """The dimension, e.g. ``[mass]``."""


#: An exact or binary number: ``4``, ``0.1``, ``Fraction(1, 3)``, ``Decimal("0.1")``.
Number: TypeAlias = int | float | Fraction | Decimal
#: A mass [mass]: ``"4.5 mg"``, ``"450 mcg"``, a Quantity, or ``(4.5, "mg")``.
MassLike: TypeAlias = str | QuantityLike | tuple[Number, str]
#: A volume [volume]: ``"10 mL"``, a Quantity, or ``(10, "mL")``.
VolumeLike: TypeAlias = str | QuantityLike | tuple[Number, str]
#: A concentration [mass / volume]: ``"5 mg/mL"``, a Quantity, or ``(5, "mg/mL")``.
ConcentrationLike: TypeAlias = str | QuantityLike | tuple[Number, str]
#: A duration [time, whole days]: ``"2 weeks"``, ``"14 days"``, a Quantity, ``(14, "days")``,
#: or an int of days where the signature says so.
DurationLike: TypeAlias = str | QuantityLike | tuple[Number, str] | int
#: A dimensionless ratio: ``0.05``, ``Fraction(1, 20)``, or text ``"5 %"``.
RatioLike: TypeAlias = Number | str
#: A count: whole drops or capsules (``18``), tablets also in halves or quarters (``0.5``).
CountLike: TypeAlias = Number | str
#: A date: ``datetime.date`` or ISO text ``"2026-11-22"``.
DateLike: TypeAlias = dt.date | str
#: Many masses for :func:`~ldn_compound.measure_many`: a Quantity array, ``(array, "mg")``,
#: or a sequence of masses.
MassesLike: TypeAlias = "MassLike | tuple[ArrayLike, str] | Sequence[MassLike]"
#: One stock, or a sequence or numpy array of them (broadcast by ``measure_many``).
StocksLike: TypeAlias = "Stock | Sequence[Stock] | NDArray[Any]"
#: One device, or a sequence or numpy array of them.
DevicesLike: TypeAlias = "Dropper | OralSyringe | Sequence[Dropper | OralSyringe] | NDArray[Any]"
#: A plain magnitude for :func:`~ldn_compound.Q_`: a number or a numpy array.
MagnitudeLike: TypeAlias = "Number | ArrayLike"
