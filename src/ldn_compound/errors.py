"""Exceptions raised by ldn_compound.

One base class, :class:`LdnCompoundError`; every subclass that is about bad
input also inherits :class:`ValueError`, so callers can catch by category.
Each error carries structured fields (which parameter, which value, what was
expected) and a message a pharmacist can act on.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "InputError",
    "LdnCompoundError",
    "NoPlanError",
    "ToleranceError",
    "UnitError",
    "UnmeasurableDoseError",
]


class LdnCompoundError(Exception):
    """Base class of every error this library raises on purpose."""


class InputError(LdnCompoundError, ValueError):
    """An argument is missing, malformed, out of range or implausible.

    Attributes
    ----------
    parameter : str
        Name of the offending parameter, as the caller spelled it.
    value : Any
        The value received.
    expected : str
        What would have been accepted.
    """

    def __init__(self, parameter: str, value: Any, expected: str) -> None:
        self.parameter = parameter
        self.value = value
        self.expected = expected
        super().__init__(f"{parameter}: expected {expected}; got {value!r}")


class UnitError(InputError):
    """A quantity has the wrong dimension (for example a mass given as a volume)."""


class UnmeasurableDoseError(LdnCompoundError, ValueError):
    """The dose rounds to nothing, or needs more than the device holds.

    Attributes
    ----------
    target : str
        The requested dose, safely written.
    reason : str
        Why it cannot be measured.
    suggestion : str
        A concentration or device that would work.
    """

    def __init__(self, target: str, reason: str, suggestion: str) -> None:
        self.target = target
        self.reason = reason
        self.suggestion = suggestion
        super().__init__(f"cannot measure {target}: {reason}. {suggestion}")


class ToleranceError(LdnCompoundError, ValueError):
    """The delivered dose is further from the target than the tolerance allows.

    Attributes
    ----------
    target, delivered : pint.Quantity
        Requested and delivered dose (mass).
    error : float
        Relative error, (delivered - target) / target.
    tolerance : float
        The tolerance that was exceeded.
    """

    def __init__(
        self, target: Any, delivered: Any, error: float, tolerance: float, message: str
    ) -> None:
        self.target = target
        self.delivered = delivered
        self.error = error
        self.tolerance = tolerance
        super().__init__(message)


class NoPlanError(LdnCompoundError, ValueError):
    """No dilution or trituration plan meets the request with the equipment given.

    Attributes
    ----------
    target : str
        The requested dose, safely written.
    constraint : str
        The constraint that binds (for example the smallest transfer volume,
        ``max_volume`` or the tolerance).
    suggestion : str
        Equipment, a volume limit or a tolerance that would make it work.
    """

    def __init__(self, target: str, constraint: str, suggestion: str) -> None:
        self.target = target
        self.constraint = constraint
        self.suggestion = suggestion
        super().__init__(f"no plan for {target}: {constraint}. {suggestion}")
