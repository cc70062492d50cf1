"""The ``ldn_compound/batch_measurement@1`` record: exact inputs beside the result arrays."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from .._exact import exact_text
from ..devices import device_from_dict
from ..errors import InputError
from ..stock import Stock
from ..units import MASS, parse
from ._filter import read_exact
from ._kernels import Int
from ._kernels import np as numpy
from ._pair import Objects, select
from ._read import Floats

__all__ = ["doses_exact", "inputs_of", "objects_record"]

#: Most dimensions a batch record may have (numpy's own limit is 64).
MAX_DIMENSIONS = 32
#: Most elements a batch record's shape may describe, zero dimensions left out: numpy
#: refuses shapes whose size in bytes overflows, even when a dimension is 0.
MAX_ELEMENTS = 2**40


def doses_exact(dose: tuple[Int, Int] | Floats, shape: tuple[int, ...]) -> list[str]:
    """Every dose as exact text in mg, element by element (row-major); float doses each
    read as :func:`~ldn_compound.measure` reads it."""
    np = numpy()
    if isinstance(dose, Floats):
        dose = tuple(a.reshape(dose.x.shape)
                     for a in read_exact(dose.x.reshape(-1), dose.factor))
    dn, dd = (np.broadcast_to(np.asarray(a, dtype=object), shape).reshape(-1) for a in dose)
    return [f"{exact_text(Fraction(int(n), int(d)))} mg" for n, d in zip(dn, dd, strict=True)]


def objects_record(objects: Objects, shape: tuple[int, ...]) -> tuple[list[Any], list[int] | None]:
    """Distinct stocks or devices as records, in order of first use, and each element's
    index among them (None when one serves every element)."""
    np = numpy()
    index = np.zeros(shape, dtype=np.int64)
    records: list[dict[str, Any]] = []
    for obj, mask in select(objects, shape):
        rec = obj.to_dict()
        if rec not in records:
            records.append(rec)
        index[... if mask is None else mask] = records.index(rec)
    flat = index.reshape(-1).tolist()
    order = list(dict.fromkeys(flat))
    if len(order) <= 1:
        return records[:1], None
    renumber = {old: new for new, old in enumerate(order)}
    return [records[i] for i in order], [renumber[i] for i in flat]


def inputs_of(data: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(doses, stocks, devices) of a record as :func:`measure_many` takes them.

    ``shape`` is a list of whole numbers from 0, with one dose per element in
    ``doses_exact``; ``stocks``/``devices`` are non-empty lists, each index
    null (one record) or a list of one whole-number position in them per element.
    """
    np = numpy()
    shape = _shape(data["shape"])
    size = math.prod(shape)
    doses = [parse(_mg(text), MASS, "doses_exact") for text in _list(data, "doses_exact")]
    if len(doses) != size:
        raise InputError("doses_exact", len(doses), f"{size} doses for shape {shape}")

    def column(name: str, index_name: str, read: Any) -> Any:
        objs = [read(r) for r in _list(data, name)]
        index = data[index_name]
        if index is None:
            if len(objs) != 1:
                raise InputError(name, len(objs), f"one {name} when {index_name} is null")
            return objs[0]
        if not isinstance(index, list) or len(index) != size or not all(
                type(i) is int and 0 <= i < len(objs) for i in index):
            raise InputError(index_name, index, f"null, or {size} positions in {name} (whole "
                             f"numbers from 0 to {len(objs) - 1}), one per element")
        out = np.empty(size, dtype=object)
        out[:] = [objs[i] for i in index]
        return out.reshape(shape)

    dose_array = np.empty(size, dtype=object)
    dose_array[:] = doses
    return ((dose_array.reshape(shape), "mg"), column("stocks", "stock_index", Stock.from_dict),
            column("devices", "device_index", device_from_dict))


def _shape(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > MAX_DIMENSIONS or not all(
            type(n) is int and n >= 0 for n in value) or \
            math.prod(n for n in value if n) > MAX_ELEMENTS:
        raise InputError("shape", value, f"a list of at most {MAX_DIMENSIONS} whole numbers "
                         "from 0 (the batch's dimensions), their product (zeros left out) "
                         "at most 2**40")
    return tuple(value)


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data[name]
    if not isinstance(value, list) or (not value and name != "doses_exact"):
        raise InputError(name, value, "a list" + ("" if name == "doses_exact"
                                                   else " of at least one record"))
    return value


def _mg(text: Any) -> str:
    if not isinstance(text, str) or not text.endswith(" mg"):
        raise InputError("doses_exact", text, "exact text in mg, such as '32/7 mg'")
    return text
