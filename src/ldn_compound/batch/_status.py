"""Status: why an element of a batch was (not) measured, and its one map from ErrorKind."""

from __future__ import annotations

import enum

from ..errors import ErrorKind, InputError

__all__ = ["Status"]


class Status(enum.IntEnum):
    """Why an element was (not) measured; ``str()`` gives the label."""

    OK = 0
    ROUNDS_TO_ZERO = 1  # fewer than half a drop or graduation
    OVER_CAPACITY = 2  # more than the device measures at once, or than the stock holds
    HIGH_DOSE = 3  # 45 mg or more without allow_high_dose: a likely decimal slip

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, kind: ErrorKind) -> Status:
        """The status of an element whose :func:`measure` raises an error of ``kind``.

        The one map between the two: ``BELOW_ONE_UNIT`` -> ``ROUNDS_TO_ZERO``;
        ``OVER_CAPACITY`` and ``BEYOND_STOCK`` -> ``OVER_CAPACITY``;
        ``DECIMAL_SLIP`` -> ``HIGH_DOSE``. Any other kind (bad input) fails the
        whole batch, so it has no status: InputError.
        """
        try:
            return _STATUS_OF_KIND[ErrorKind(kind)]
        except (KeyError, ValueError):
            raise InputError("kind", kind, "one of " + ", ".join(
                f"ErrorKind.{k.name}" for k in _STATUS_OF_KIND)) from None


#: ErrorKind of the scalar error -> Status of the element (see Status.of).
_STATUS_OF_KIND = {
    ErrorKind.BELOW_ONE_UNIT: Status.ROUNDS_TO_ZERO,
    ErrorKind.OVER_CAPACITY: Status.OVER_CAPACITY,
    ErrorKind.BEYOND_STOCK: Status.OVER_CAPACITY,
    ErrorKind.DECIMAL_SLIP: Status.HIGH_DOSE,
}
