"""Exceptions raised by ldn_compound.

One base class, :class:`LdnCompoundError`; every subclass that is about bad
input also inherits :class:`ValueError`, so callers can catch by category.
Each error carries structured fields (which parameter, which value, what was
expected) and a ``kind`` (:class:`ErrorKind`) that code branches on instead
of reading the message, which is written for a pharmacist and may change.

Every error pickles and copies with its fields (``__reduce__``), so it crosses
a process pool or a task queue intact. A message is always one line of
bounded length: values are shown through :func:`shown`.
"""

from __future__ import annotations

import enum
import pickle
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

__all__ = [
    "ErrorKind",
    "InputError",
    "LdnCompoundError",
    "NoPlanError",
    "ToleranceError",
    "UnitError",
    "UnmeasurableDoseError",
    "named",
    "one_line",
    "shown",
]

#: Longest rendering of a received value inside a message, in characters.
SHOWN_MAX = 80
#: Longest prose field (expected, reason, suggestion) inside a message, in characters.
_TEXT_MAX = 1000


class ErrorKind(str, enum.Enum):
    """What went wrong, for code that must tell errors apart.

    The value is a stable lower-case label (``str(kind)``); branch on the
    member (``exc.kind is ErrorKind.DECIMAL_SLIP``), never on message text.
    :meth:`ldn_compound.Status.of` gives the ``measure_many`` status of the
    four kinds a valid dose can meet element by element.
    """

    INVALID = "invalid"
    """Missing or malformed: not a number, unknown unit, wrong type."""
    UNIT = "unit"
    """A quantity of the wrong dimension (a mass given as a volume)."""
    OUT_OF_RANGE = "out_of_range"
    """Well-formed, but not positive or outside the plausible range."""
    DECIMAL_SLIP = "decimal_slip"
    """A dose of 45 mg or more: ten times the usual 4.5 mg maximum."""
    BELOW_ONE_UNIT = "below_one_unit"
    """The dose is less than half a drop or graduation: it rounds to 0."""
    OVER_CAPACITY = "over_capacity"
    """The dose needs more than the device measures at once."""
    BEYOND_STOCK = "beyond_stock"
    """The dose needs more than the whole stock."""
    UNMEASURABLE = "unmeasurable"
    """Not measurable for a reason given only as text (a schedule step, a ladder)."""
    TOLERANCE = "tolerance"
    """The delivered dose is further from the target than allowed."""
    NO_PLAN = "no_plan"
    """No dilution or trituration plan fits the equipment and limits."""
    RECORD_MISMATCH = "record_mismatch"
    """A stored record disagrees with its recomputed arithmetic, or is another record type."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


def shown(value: Any) -> str:
    """``repr(value)`` made safe for a one-line message.

    Non-printable characters are escaped (``\\n``, ``\\x90``) and the text is
    cut to :data:`SHOWN_MAX` characters, ending in "…". A value whose ``repr``
    fails (an integer of more than 4,300 digits) is shown by its type.

    Parameters
    ----------
    value : Any
        Anything a caller passed.

    Returns
    -------
    str
        At most :data:`SHOWN_MAX` printable characters.
    """
    if isinstance(value, (str, bytes)) and len(value) > 2 * SHOWN_MAX:
        value = value[: 2 * SHOWN_MAX]  # never repr megabytes to show 80 characters
    try:
        text = repr(value)
    except Exception:  # e.g. int too large to convert to text
        text = f"<{type(value).__name__} that cannot be shown>"
    return one_line(text, SHOWN_MAX)


def one_line(text: str, limit: int = _TEXT_MAX) -> str:
    """``text`` on one line of printable characters, at most ``limit`` long."""
    if len(text) > 4 * limit:
        text = text[: 4 * limit]
    if not text.isprintable():
        text = "".join(c if c.isprintable()
                       else c.encode("unicode_escape").decode("ascii") for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: a parameter or call named inside a message, ``{volume_tolerance}`` or ``{taper()}``:
#: each front end writes it in its own words (:func:`named`)
_NAME_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*(?:\(\))?)\}")


def named(text: str, names: Mapping[str, str] | None = None) -> str:
    """``text`` with each ``{name}`` written as ``names`` says (else as the Python name).

    Parameters
    ----------
    text : str
        A message part that may name parameters or calls as ``{name}``.
    names : mapping of str to str, optional
        Python name -> the front end's word for it: ``"--volume-tolerance"`` on the
        command line, a field's label on the page.

    Returns
    -------
    str
        ``text`` with every reference written out.
    """
    names = names or {}
    return _NAME_REF.sub(lambda m: names.get(m[1], m[1]), text)


def _picklable(value: Any) -> Any:
    """``value`` if it pickles, else its shown text (so the error always travels)."""
    try:
        pickle.dumps(value)
    except Exception:  # any object a caller passed
        return shown(value)
    return value


def _rebuild(cls: type[LdnCompoundError], fields: dict[str, Any]) -> LdnCompoundError:
    """Unpickling: the error made again from its fields."""
    return cls(**fields)


class LdnCompoundError(Exception):
    """Base class of every error this library raises on purpose.

    Every error has the same two fields to branch on, whatever its class.

    Attributes
    ----------
    kind : ErrorKind
        What went wrong; branch on this, not on the message.
    parameter : str or None
        The one parameter at fault, as the caller spelled it; None where no
        single parameter is (a dose the stock and device cannot measure
        together, a plan the equipment cannot make).
    """

    #: Constructor arguments, in order; pickling and :meth:`evolve` use them.
    _fields: ClassVar[tuple[str, ...]] = ()
    kind: ErrorKind
    parameter: str | None = None

    def fields(self) -> dict[str, Any]:
        """The error's structured fields by name (the arguments that rebuild it).

        A text field that names parameters keeps its ``{name}`` references here
        (so a copy or a pickle can still be worded for any front end); the
        attribute itself reads in Python's words.
        """
        raw: dict[str, str] = self.__dict__.get("_raw", {})
        return {name: raw.get(name, getattr(self, name)) for name in self._fields}

    def _text(self, field: str, text: str) -> str:
        """Keep ``text`` as given (for :meth:`fields`); return it in Python's words."""
        self.__dict__.setdefault("_raw", {})[field] = text
        return named(text) if isinstance(text, str) else text

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The message, with Python names written as ``names`` says (see ``named``).

        Parameters
        ----------
        names : mapping of str to str, optional
            Python name -> the front end's word for it.

        Returns
        -------
        str
            One line.
        """
        return named(self._message(), names)

    def _message(self) -> str:
        """The message with its ``{name}`` references (each subclass with text fields)."""
        return str(self)

    def evolve(self, **changes: Any) -> LdnCompoundError:
        """A copy with some fields replaced (as :func:`attrs.evolve`), same type and kind."""
        return type(self)(**{**self.fields(), **changes})

    def __reduce__(self) -> str | tuple[Any, ...]:
        if not self._fields:  # the bare base class: arguments as Exception keeps them
            return super().__reduce__()
        fields = {k: _picklable(v) for k, v in self.fields().items()}
        extra = {k: v for k, v in self.__dict__.items() if k not in fields}
        return _rebuild, (type(self), fields), extra or None


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
    kind : ErrorKind
        ``INVALID`` (default), ``UNIT``, ``OUT_OF_RANGE`` or ``DECIMAL_SLIP``.
    override : str or None
        The keyword that accepts the value anyway when it is meant, e.g.
        ``"allow_high_dose"`` for a dose of 45 mg or more; None if nothing does.
    """

    _fields = ("parameter", "value", "expected", "kind", "override")
    parameter: str  # never None here: an input error names its parameter

    def __init__(self, parameter: str, value: Any, expected: str, *,
                 kind: ErrorKind = ErrorKind.INVALID, override: str | None = None) -> None:
        self.parameter = parameter
        self.value = value
        self.expected = self._text("expected", expected)
        self.kind = ErrorKind(kind)
        self.override = override
        super().__init__(self.describe())

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The message, with names swapped as ``names`` says.

        Parameters
        ----------
        names : mapping of str to str, optional
            Python keyword -> the name the user typed (e.g. ``"dose"`` ->
            ``"--dose"``). A name starting with ``-`` is a flag, so the override
            reads "pass --allow-high-dose" rather than "pass allow_high_dose=True";
            any other mapped override is the whole action ("tick ..."). ``{name}``
            references inside ``expected`` are written the same way (``named``).

        Returns
        -------
        str
            One line: ``parameter: expected ...; got ...[; pass ... if it is meant]``.
        """
        names = names or {}
        return f"{one_line(names.get(self.parameter, self.parameter))}: {self.details(names)}"

    def details(self, names: Mapping[str, str] | None = None) -> str:
        """:meth:`describe` without the leading ``parameter:``."""
        names = names or {}
        # a front end (names given) reads None as "not given", Python as None
        got = "nothing" if self.value is None and names else shown(self.value)
        text = f"expected {one_line(named(self.fields()['expected'], names))}; got {got}"
        if self.override is not None:
            name = one_line(names.get(self.override, self.override))
            action = (f"pass {name}" if name.startswith("-") else
                      f"pass {name}=True" if name == self.override else name)
            text += f"; {action} if it is meant"
        return text


class UnitError(InputError):
    """A quantity has the wrong dimension (for example a mass given as a volume).

    Fields as :class:`InputError`; ``kind`` is ``ErrorKind.UNIT``.
    """

    def __init__(self, parameter: str, value: Any, expected: str, *,
                 kind: ErrorKind = ErrorKind.UNIT, override: str | None = None) -> None:
        super().__init__(parameter, value, expected, kind=kind, override=override)


class UnmeasurableDoseError(LdnCompoundError, ValueError):
    """The dose rounds to nothing, or needs more than the device or stock holds.

    Attributes
    ----------
    target : str
        The requested dose, safely written.
    reason : str
        Why it cannot be measured.
    suggestion : str
        A concentration or device that would work.
    kind : ErrorKind
        ``BELOW_ONE_UNIT``, ``OVER_CAPACITY``, ``BEYOND_STOCK``, or
        ``UNMEASURABLE`` where only the text says why.
    suggested_mg_per_ml : Fraction or None  [mass / volume, mg/mL]
        Exact stock concentration that would work: for ``BELOW_ONE_UNIT`` the
        weaker stock suggested; for ``OVER_CAPACITY`` and ``BEYOND_STOCK`` the
        weakest stock that fits. None where no single figure applies.
    parameter : str or None
        None: the dose, stock and device are at fault together.
    """

    _fields = ("target", "reason", "suggestion", "kind", "suggested_mg_per_ml", "parameter")

    def __init__(self, target: str, reason: str, suggestion: str, *,
                 kind: ErrorKind = ErrorKind.UNMEASURABLE,
                 suggested_mg_per_ml: Fraction | None = None,
                 parameter: str | None = None) -> None:
        self.target = target
        self.reason = self._text("reason", reason)
        self.suggestion = self._text("suggestion", suggestion)
        self.kind = ErrorKind(kind)
        self.suggested_mg_per_ml = suggested_mg_per_ml
        self.parameter = parameter
        super().__init__(named(self._message()))

    def _message(self) -> str:
        raw = self.fields()
        return (f"cannot measure {one_line(self.target)}: {one_line(raw['reason'])}. "
                f"{one_line(raw['suggestion'])}")


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
    message : str
        The explanation, with the fix.
    kind : ErrorKind
        Always ``ErrorKind.TOLERANCE``.
    parameter : str or None
        None: the dose, stock and device are at fault together.
    """

    _fields = ("target", "delivered", "error", "tolerance", "message", "parameter")
    kind = ErrorKind.TOLERANCE

    def __init__(self, target: Any, delivered: Any, error: float, tolerance: float,
                 message: str, *, parameter: str | None = None) -> None:
        self.target = target
        self.delivered = delivered
        self.error = error
        self.tolerance = tolerance
        self.message = self._text("message", message)
        self.parameter = parameter
        super().__init__(named(self._message()))

    def _message(self) -> str:
        return one_line(self.fields()["message"])


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
    kind : ErrorKind
        Always ``ErrorKind.NO_PLAN``.
    parameter : str or None
        None: the request and the equipment are at fault together.
    """

    _fields = ("target", "constraint", "suggestion", "parameter")
    kind = ErrorKind.NO_PLAN

    def __init__(self, target: str, constraint: str, suggestion: str, *,
                 parameter: str | None = None) -> None:
        self.target = target
        self.constraint = self._text("constraint", constraint)
        self.suggestion = self._text("suggestion", suggestion)
        self.parameter = parameter
        super().__init__(named(self._message()))

    def _message(self) -> str:
        raw = self.fields()
        return (f"no plan for {one_line(self.target)}: {one_line(raw['constraint'])}. "
                f"{one_line(raw['suggestion'])}")
