"""Measuring many doses at once: numpy arrays in, numpy arrays out, exact.

:func:`measure_many` gives, element by element, exactly what
:func:`~ldn_compound.measure` gives for one dose (the same count, the same
status, every dose and volume equal to the scalar result converted to float,
and the same findings: :attr:`BatchMeasurement.flags`), without a Python loop
over the doses and without pint arithmetic.

Inside: ``_read`` reads the doses exactly (parsing once), ``_pair`` works out
each distinct stock and device once, ``_kernels`` counts on exact integer
arrays (float64 below 2**52, else Python ints) in one block loop,
``_warnings`` decides each element's findings with the ``_rules`` functions,
and ``_result`` holds :class:`BatchMeasurement`.

numpy is imported inside these functions, never when ``ldn_compound`` is.
"""

from ._measure import measure_many
from ._result import BatchMeasurement
from ._status import Status

__all__ = ["BatchMeasurement", "Status", "measure_many"]
