"""measure_many: read the doses and the stock/device pairs, count, give statuses."""

from __future__ import annotations

from typing import Any

from .._exact import check_rounding
from .._records import builder
from .._rules import DECIMAL_SLIP_MG, is_decimal_slip
from ..errors import InputError
from ..types import DevicesLike, MassesLike, StocksLike
from ._filter import float_counts
from ._kernels import count_units, decide
from ._kernels import np as numpy
from ._pair import read_pair
from ._read import Floats, read_doses
from ._record import inputs_of
from ._result import BatchMeasurement
from ._status import Status

__all__ = ["measure_many"]


def measure_many(
    doses: MassesLike,
    stock: StocksLike,
    device: DevicesLike,
    *,
    rounding: str = "nearest",
    allow_high_dose: bool = False,
) -> BatchMeasurement:
    """Work out what to measure for many doses at once, exactly.

    Element by element the same as :func:`~ldn_compound.measure`: the same
    count, and every dose and volume equal to the scalar result converted to
    float. Unmeasurable elements get a :class:`Status` instead of an error.

    Parameters
    ----------
    doses : pint.Quantity array, (array, unit), or sequence or column of str or Quantity  [mass]
        ``Q_(np.array([0.5, 1.5, 4.5]), "mg")`` (any registry), ``(array, "mcg")``
        or ``["4.5 mg", "450 mcg"]``. A pandas Series, Index or column reads as
        its numpy array (``(table["dose_mg"], "mg")``; a column of text as a list);
        a bare array has no unit and is refused; a single dose (``"4.5 mg"``) is a
        batch of one, shape ``(1,)``.
    stock : Stock, or a sequence or array of Stocks
        Broadcast against ``doses`` (numpy rules), e.g. a column of stocks.
    device : Dropper or OralSyringe, or a sequence or array of them
        Broadcast against ``doses`` and ``stock``, e.g. droppers of several
        drops per mL.
    rounding : {"nearest", "down", "up"}
        As for :func:`~ldn_compound.measure`; ties are broken exactly.
    allow_high_dose : bool, default False
        Doses of 45 mg or more get ``Status.HIGH_DOSE`` unless this is True
        (where :func:`~ldn_compound.measure` raises InputError).

    Returns
    -------
    BatchMeasurement

    Raises
    ------
    InputError, UnitError
        A dose that :func:`~ldn_compound.measure` would refuse as bad input
        (no unit, not a mass, not positive, not finite, implausible); the
        parameter is named with its index, e.g. ``doses[3]``.

    Notes
    -----
    Decided where :func:`~ldn_compound.measure` raises: bad input (no unit,
    not positive, implausible) raises for the whole batch; a dose that
    cannot be measured, or a high dose, is a status. Each distinct stock and
    device is worked out once, in Python; the doses never are (float arrays
    are decided in float64 with a rigorous error bound, and only the elements
    within that bound of a boundary are computed exactly: see
    ``ldn_compound.batch._filter``).

    Examples
    --------
    >>> import numpy as np
    >>> from ldn_compound import Dropper, Stock
    >>> b = measure_many((np.array([0.5, 1.5, 4.5]), "mg"),
    ...                  Stock.from_tablets("50 mg", "10 mL"), Dropper())
    >>> b.count.tolist()
    [2, 6, 18]
    """
    np = numpy()
    mode = check_rounding(rounding)
    if not isinstance(allow_high_dose, bool):
        raise InputError("allow_high_dose", allow_high_dose, "True or False")
    dn, dd, dose_shape = read_doses(doses)
    pair, pair_shape, stocks, devices = read_pair(stock, device)
    try:
        shape = tuple(np.broadcast_shapes(dose_shape, pair_shape))
    except ValueError as exc:
        raise InputError("doses", f"shape {dose_shape}",
                         f"a shape that broadcasts with the stock and device shape "
                         f"{pair_shape}") from exc
    if isinstance(dn, Floats):  # filtered: float64, exact near a boundary (_filter)
        dose: Any = dn
        count, high = float_counts(dn.x, dn.factor, pair.r, shape, mode, dn.largest,
                                   not allow_high_dose)
        limits = None
    else:
        dose = (dn, dd)
        count, limits = count_units(dn, dd, pair.r, mode)
        high = None if allow_high_dose else decide(is_decimal_slip, DECIMAL_SLIP_MG, dn, dd)
    count = np.broadcast_to(np.asarray(count), shape)
    # ROUNDS_TO_ZERO is 1: the status of each count is (count == 0), as int8, in one pass.
    status = np.equal(count, 0).view(np.int8)
    zeroed = False  # statuses other than ROUNDS_TO_ZERO set their count to 0 below
    max_count = pair.max_count
    # One cheap reduction first: most batches have nothing over capacity.
    top = int(count.max()) if count.size else 0
    if top > np.min(max_count):
        status[np.broadcast_to(count > max_count, shape)] = Status.OVER_CAPACITY
        zeroed = True
    if high is not None and count.size and high.any():
        status[np.broadcast_to(high, shape)] = Status.HIGH_DOSE
        zeroed = True
    if zeroed:
        count = np.where(status == Status.OK, count, 0)
    status.flags.writeable = False
    return BatchMeasurement(shape, mode, allow_high_dose, count=count, status=status,
                            limits=limits, dose=dose, pair=pair, stock=stocks, device=devices,
                            count_max=None if zeroed else top)


@builder(BatchMeasurement.RECORD)
def _from_record(data: dict[str, Any]) -> BatchMeasurement:
    """A batch measured again from its record's exact inputs."""
    doses, stock, device = inputs_of(data)
    return measure_many(doses, stock, device, rounding=data["rounding"],
                        allow_high_dose=data["allow_high_dose"])
