"""Measuring many doses at once: numpy arrays in, numpy arrays out, exact.

:func:`measure_many` gives, element by element, exactly what :func:`measure`
gives for one dose (the same count, the same status, and every dose and
volume equal to the scalar result converted to float), without a Python loop
over the doses and without pint arithmetic.

How it stays exact
------------------
A float dose is read, as :func:`measure` reads it, as the shortest decimal
that prints as it (``0.1`` is 1/10). For an array the smallest ``k`` in
3, 6, 9, 12 is found such that every dose times ``10**k`` rounds to an integer
``n`` that converts back to the same float, with one float spacing of the
largest dose below ``10**-k`` (then ``n / 10**k`` is the only ``k``-place
decimal that rounds to the dose, so it *is* the shortest one). The count is
then a ratio of integers, rounded by integer rules: nearest is
``floor((2N + D) / 2D)``, ties away from zero. Integers below 2**52 are held
exactly in float64, where one IEEE division of two of them is correctly
rounded, which is what ``float(Fraction)`` gives; the code checks that bound
from the largest values and otherwise computes on Python integers in numpy
object arrays (still exact, still no explicit loop, slower). A dose that
needs more than 12 decimal places (``0.1 + 0.2``) is read with
``Fraction(repr(x))`` one by one: the documented slow path.

numpy is imported inside these functions, never when ``ldn_compound`` is.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from ._exact import check_rounding, format_number, format_percent, to_fraction
from .devices import SMALL_SYRINGE_VOLUME_ML, Device, Dropper, OralSyringe, device_volume_error
from .errors import ErrorKind, InputError
from .measurement import (
    DECIMAL_SLIP_MG,
    LDN_MAX_MG,
    ROUNDING_WARNING,
    Bounds,
    Measurement,
    measure,
)
from .rendering import Rendered, Report, format_mass
from .stock import Stock
from .units import (
    MASS,
    Q_,
    _check,
    _expected,
    _is_quantity,
    parse,
    quantity_factor,
    unit_factor,
)

if TYPE_CHECKING:
    import pint

__all__ = ["BatchMeasurement", "Status", "measure_many"]

# Integers below this are exact in float64 with room for one doubling (IEEE 754 binary64).
_EXACT = 2**52
# Decimal places tried for float doses: milligram doses are written to at most 3 places
# in practice; 12 keeps n = dose * 10**k below 2**52 up to about 4,500 mg.
_PLACES = (3, 6, 9, 12)
# Oral syringe volumes at or below this are inaccurate (Arenas-Lopez et al. 2017).


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

Array = Any  # a numpy array (numpy is imported only inside functions)
Int = Any  # a Python int, a float64 array of exact integers, or an object array of ints


def _np() -> Any:
    import numpy

    return numpy


def _max(x: Int) -> int:
    """Largest value of a non-negative Python int or array of exact integers."""
    if isinstance(x, int):
        return x
    if x.size == 0:
        return 0
    if x.dtype == object:
        return int(max(x.flat))  # only on the slow path
    return int(x.max())


def _as_object(x: Int) -> Int:
    """The same exact integers as Python ints (object array), for the slow path."""
    np = _np()
    if isinstance(x, int) or x.dtype == object:
        return x
    return np.asarray(x.astype(np.int64), dtype=object)


def _exact_floats(x: Int) -> Int:
    """Object array of Python ints -> float64 if every value is below 2**52."""
    np = _np()
    if isinstance(x, int) or x.dtype != object or _max(x) >= _EXACT:
        return x
    return np.asarray(x, dtype=np.float64)


def _ratio(c: Int, num: Int, den: Int, c_max: int | None = None) -> Array:
    """float(c * num / den), correctly rounded, element by element (c_max: largest c)."""
    np = _np()
    if (_max(c) if c_max is None else c_max) * _max(num) < _EXACT and _max(den) < _EXACT:
        if isinstance(num, int) and num == 1:
            return np.asarray(c / den, dtype=np.float64)
        top = np.multiply(c, num, dtype=np.float64)
        top /= den  # in place: one array, not two
        return top
    q = (_as_object(c) * _as_object(num)) / _as_object(den)  # int / int: correctly rounded
    return np.asarray(q, dtype=np.float64)


# -- parameters per (stock, device) pair ------------------------------------------


class _Pair(NamedTuple):
    """Exact per-element numbers from a stock and a device (ints or arrays)."""

    r: tuple[Int, Int]  # units per mg: 1 / (concentration x unit volume)
    uv: tuple[Int, Int]  # mL per unit
    q: tuple[Int, Int]  # mg per unit
    low: tuple[Int, Int]  # mg per unit, worst low (tolerances)
    high: tuple[Int, Int]  # mg per unit, worst high
    max_count: Int  # most units the device measures at once (float inf: no limit)
    small: Int  # syringe counts at or below 0.1 mL (-1 for droppers)


def _pair_fractions(stock: Stock, device: Device) -> tuple[Fraction | int | float, ...]:
    """The same exact values :class:`Measurement` derives, for one stock and device."""
    uv = device.unit_volume_ml
    q = stock.concentration_mg_per_ml * uv
    ct, dt = stock.content_tolerance, device_volume_error(device)
    vt = stock.effective_volume_tolerance
    # The most one dose can draw: what the device measures at once, and never more
    # than the whole stock (measure() refuses both the same way).
    cap = device.capacity_ml
    cap = stock.volume_ml if cap is None else min(cap, stock.volume_ml)
    max_count: int | float = math.floor(cap / uv)
    small = math.floor(SMALL_SYRINGE_VOLUME_ML / uv) if isinstance(device, OralSyringe) else -1
    return (1 / q, uv, q, q * (1 - ct) * (1 - dt) / (1 + vt), q * (1 + ct) * (1 + dt) / (1 - vt),
            max_count, small)


def _is_stock(x: object) -> bool:
    return isinstance(x, Stock)


def _is_device(x: object) -> bool:
    return type(x) in (Dropper, OralSyringe) or isinstance(x, Device)


def _objects(value: Any, check: Any, parameter: str, expected: str) -> Any:
    """A single object, or an object array of them (each checked)."""
    np = _np()
    if check(value):
        return value
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise InputError(parameter, value, expected)
    arr = np.asarray(value, dtype=object)
    if arr.size == 0:
        raise InputError(parameter, value, expected + ", not an empty sequence")
    for i, obj in enumerate(arr.flat):
        if not check(obj):
            raise InputError(f"{parameter}[{i}]", obj, expected)
    return arr


#: The distinct stocks (or devices), and for each element the index of its own
#: (None when a single one serves every element).
_Objects = tuple[list[Any], Any]


def _index_of_unique(value: Any) -> _Objects:
    np = _np()
    if not isinstance(value, np.ndarray):
        return [value], None
    seen: dict[int, int] = {}
    uniq: list[Any] = []
    codes = []
    for obj in value.flat:
        i = seen.get(id(obj))
        if i is None:
            i = seen[id(obj)] = len(uniq)
            uniq.append(obj)
        codes.append(i)
    return uniq, np.asarray(codes, dtype=np.int64).reshape(value.shape)


def _pair(stock: Any, device: Any) -> tuple[_Pair, tuple[int, ...], _Objects, _Objects]:
    """Per-element exact parameters, their shape, and the stocks and devices."""
    np = _np()
    stocks = _index_of_unique(_objects(stock, _is_stock, "stock",
                                       "a Stock, or a sequence or array of Stocks"))
    devices = _index_of_unique(_objects(
        device, _is_device, "device", "a Dropper or OralSyringe, or a sequence or array of them"))
    if stocks[1] is None and devices[1] is None:
        f = _pair_fractions(stocks[0][0], devices[0][0])
        r, uv, q, low, high = (_nd(x) for x in f[:5])
        pair = _Pair(r, uv, q, low, high, max_count=f[5], small=f[6])
        return pair, (), stocks, devices
    s_idx = np.zeros((), np.int64) if stocks[1] is None else stocks[1]
    d_idx = np.zeros((), np.int64) if devices[1] is None else devices[1]
    try:
        s_b, d_b = np.broadcast_arrays(s_idx, d_idx)
    except ValueError as exc:
        raise InputError("device", f"an array of shape {d_idx.shape}",
                         f"a shape that broadcasts with the stocks' shape {s_idx.shape}") from exc
    nd = len(devices[0])
    code = s_b * nd + d_b
    uniq, inverse = np.unique(code.reshape(-1), return_inverse=True)
    inverse = inverse.reshape(code.shape)
    rows = [_pair_fractions(stocks[0][u // nd], devices[0][u % nd]) for u in uniq.tolist()]

    def column(j: int, part: str) -> Int:
        vals = np.empty(len(rows), dtype=object)
        vals[:] = [getattr(Fraction(row[j]), part) for row in rows]
        return _exact_floats(vals[inverse])

    def plain(j: int) -> Any:
        return np.asarray([row[j] for row in rows], dtype=np.float64)[inverse]

    r, uv, q, low, high = ((column(j, "numerator"), column(j, "denominator")) for j in range(5))
    pair = _Pair(r, uv, q, low, high, max_count=plain(5), small=plain(6))
    return pair, code.shape, (stocks[0], s_idx), (devices[0], d_idx)


def _nd(x: Fraction | int | float) -> tuple[int, int]:
    f = Fraction(x)
    return f.numerator, f.denominator


# -- doses -----------------------------------------------------------------------


def _dose_error(i: int, raw: Any, fraction: Fraction | None) -> InputError:
    """The error :func:`measure` raises for this dose, naming its index."""
    parameter = f"doses[{i}]"
    if fraction is None:
        return InputError(parameter, raw, "a finite number")
    try:
        _check(fraction, MASS, parameter, raw)
    except InputError as exc:
        return exc
    raise AssertionError("unreachable: the dose passed the check")  # pragma: no cover


def _from_fractions(values: Sequence[Fraction]) -> tuple[Int, Int]:
    np = _np()
    num = np.empty(len(values), dtype=object)
    den = np.empty(len(values), dtype=object)
    num[:] = [v.numerator for v in values]
    den[:] = [v.denominator for v in values]
    return _exact_floats(num), _exact_floats(den)


def _float_doses(mag: Any, factor: Fraction, raw_unit: str) -> _Floats:
    """Float doses in a unit of ``factor`` mg, checked as :func:`measure` checks one."""
    np = _np()
    d = np.asarray(mag, dtype=np.float64)
    flat = d.reshape(-1)
    if flat.size:
        lo, hi = float(flat.min()), float(flat.max())
        if not (math.isfinite(lo) and math.isfinite(hi) and lo > 0):
            bad = ~(np.isfinite(flat) & (flat > 0))
            i = int(np.argmax(bad))
            x = float(flat[i])
            raise _dose_error(i, f"{x!r} {raw_unit}",
                              Fraction(repr(x)) * factor if math.isfinite(x) else None)
        for x, where in ((lo, np.argmin), (hi, np.argmax)):
            try:
                _check(Fraction(repr(x)) * factor, MASS, "doses", x)
            except InputError:  # name the element only now: argmin is another pass
                i = int(where(flat))
                _check(Fraction(repr(x)) * factor, MASS, f"doses[{i}]", f"{x!r} {raw_unit}")
    return _Floats(d, factor, hi if flat.size else 0.0)


class _Floats(NamedTuple):
    """Checked float doses ``x`` (in a unit of ``factor`` mg), not yet read exactly."""

    x: Any
    factor: Fraction
    largest: float

    def exact(self) -> tuple[Int, Int]:
        """Exact (numerator, denominator) in mg of every dose."""
        return _exact_floats_of(self.x, self.factor, self.largest)


def _exact_floats_of(d: Any, factor: Fraction, hi: float) -> tuple[Int, Int]:
    np = _np()
    if d.size:
        spacing = float(np.spacing(hi))
        for k in _PLACES:
            scale = 10.0**k
            if spacing * scale >= 1:
                break
            n = d * scale
            np.rint(n, out=n)
            if bool((n / scale == d).all()):  # every dose is n / 10**k exactly
                return _scaled(n, 10**k, factor)
    # Slow path: doses that need more than 12 decimal places, one by one.
    fractions = [Fraction(repr(float(x))) * factor for x in d.reshape(-1)]
    num, den = _from_fractions(fractions)
    return num.reshape(d.shape), den.reshape(d.shape)


def _scaled(n: Any, scale: int, factor: Fraction) -> tuple[Int, Int]:
    """n / scale times factor, as exact integer arrays."""
    num: Int = n
    if factor.numerator != 1:
        if _max(n) * factor.numerator >= _EXACT:
            num = _as_object(n) * factor.numerator
        else:
            num = n * factor.numerator
    return num, scale * factor.denominator


def _int_doses(mag: Any, factor: Fraction) -> tuple[Int, Int]:
    np = _np()
    d = np.asarray(mag)
    flat = d.reshape(-1)
    if flat.size:
        if int(flat.min()) <= 0:
            i = int(np.argmax(flat <= 0))
            raise _dose_error(i, int(flat[i]), Fraction(int(flat[i])))
        for i in (int(np.argmin(flat)), int(np.argmax(flat))):
            _check(int(flat[i]) * factor, MASS, f"doses[{i}]", int(flat[i]))
    if _max(d) * factor.numerator < _EXACT:
        return d.astype(np.float64) * factor.numerator, factor.denominator
    return np.asarray(d, dtype=object) * factor.numerator, factor.denominator


def _unit_factor(unit: str, raw: Any) -> Fraction:
    """Exact factor from ``unit`` to mg, as :func:`~ldn_compound.units.parse` finds it."""
    return unit_factor(unit.strip(" \t"), MASS, "doses", raw)


def _float_width(arr: Any) -> Any:
    """float16/float32 doses as float64 holding the shortest decimal *at their width*.

    ``np.float32(0.35)`` is 0.35 (as :func:`measure` reads it), not 0.3499999940...:
    numpy writes each the shortest text that reads back at its width.
    """
    np = _np()
    if arr.dtype.itemsize >= 8:
        return arr
    return arr.astype(str).astype(np.float64)


def _magnitudes(mag: Any, factor: Fraction, label: str, raw: Any
                ) -> tuple[Any, Int, tuple[int, ...]]:
    np = _np()
    arr = np.asarray(mag)
    if arr.ndim == 0:
        arr = arr.reshape(1)  # a single dose is a batch of one
    kind = arr.dtype.kind
    if kind == "f" and arr.dtype.itemsize <= 8:
        return _float_doses(_float_width(arr), factor, label), None, arr.shape
    if kind in "iu":
        num, den = _int_doses(arr, factor)
    elif kind in "Of":  # Python numbers, Decimals, Fractions; long doubles one by one
        fractions = []
        for i, x in enumerate(arr.reshape(-1)):
            try:
                value = to_fraction(x, f"doses[{i}]") * factor
            except InputError as exc:
                raise exc.evolve(parameter=f"doses[{i}]") from None
            fractions.append(_check(value, MASS, f"doses[{i}]", x))
        num, den = _from_fractions(fractions)
        num, den = num.reshape(arr.shape), den.reshape(arr.shape)
    else:
        raise InputError("doses", _short(raw), f"{_expected(MASS)}: numbers, not {arr.dtype}")
    return num, den, arr.shape


def _doses(doses: Any) -> tuple[Any, Int, tuple[int, ...]]:
    """Exact (numerator, denominator) in mg of every dose, and their shape."""
    np = _np()
    if isinstance(doses, str):  # a single dose is a batch of one
        num, den = _from_fractions([parse(doses, MASS, "doses")])
        return num, den, (1,)
    if _is_quantity(doses):
        # An exact factor from the caller's unit (any registry): a centigram tie
        # rounds as measure() rounds it, never through a float conversion.
        factor = quantity_factor(doses, MASS, "doses")
        return _magnitudes(doses.magnitude, factor, str(doses.units), doses)
    if isinstance(doses, tuple) and len(doses) == 2 and isinstance(doses[1], str) \
            and not isinstance(doses[0], str):
        return _magnitudes(doses[0], _unit_factor(doses[1], doses), doses[1].strip(), doses)
    if isinstance(doses, np.ndarray) or isinstance(doses, (int, float)) \
            or type(doses).__module__ in ("numpy", "decimal", "fractions"):
        raise InputError("doses", _short(doses),
                         f"{_expected(MASS)}; bare numbers have no unit: pass (array, 'mg') "
                         "or a Quantity")
    if not isinstance(doses, Sequence) or isinstance(doses, bytes):
        raise InputError("doses", doses,
                         "doses as a Quantity array, (array, 'mg'), or a sequence of "
                         "quantities or strings")
    values = []
    for i, x in enumerate(doses):
        try:
            values.append(parse(x, MASS, "doses"))
        except InputError as exc:
            raise exc.evolve(parameter=f"doses[{i}]") from None
    num, den = _from_fractions(values)
    return num, den, (len(values),)


def _short(x: Any) -> Any:
    return f"array of shape {x.shape}" if hasattr(x, "shape") and x.shape != () else x


# -- the result ------------------------------------------------------------------


@attrs.frozen(repr=False)
class BatchMeasurement(Rendered):
    """What to measure for each dose of an array; build it with :func:`measure_many`.

    ``count`` and ``status`` are computed at once; the float outputs (mg, mL)
    on first reading, then kept. Elements whose status is not ``Status.OK``
    have count 0 and NaN in every float output.
    """

    shape: tuple[int, ...]
    rounding: str
    allow_high_dose: bool
    _count: Any = attrs.field(alias="count")  # float64 exact integers (or object ints)
    _status: Any = attrs.field(alias="status")
    _limits: tuple[int, int] = attrs.field(alias="limits")  # largest num, largest den
    _dose: Any = attrs.field(alias="dose")  # mg: exact (numerator, denominator), or _Scaled
    _pair: _Pair = attrs.field(alias="pair")
    _stock: Any = attrs.field(alias="stock")
    _device: Any = attrs.field(alias="device")
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False)

    def _cached(self, name: str, compute: Any) -> Any:
        value = self._cache.get(name)
        if value is None:
            value = compute()
            if hasattr(value, "flags"):
                value.flags.writeable = False
            self._cache[name] = value
        return value

    def _masked(self, values: Array) -> Array:
        """``values`` (a new array) with NaN where the status is not OK, in place."""
        np = _np()
        if values.shape != self.shape or not values.flags.writeable:
            values = np.broadcast_to(values, self.shape).copy()
        if not self._all_ok:
            np.copyto(values, np.nan, where=self._cached("bad", lambda: ~self.ok))
        return values

    @property
    def _count_max(self) -> int:
        return int(self._cached("count_max", lambda: _max(self._count)))

    def _per_count(self, name: str, nd: tuple[Int, Int]) -> Array:
        """count x (exact per-unit value), as floats, NaN where not OK."""
        if name not in self._cache and self._fusable():
            self._fuse()
        return self._cached(
            name, lambda: self._masked(_ratio(self._count, nd[0], nd[1], self._count_max)))

    _PER_COUNT = ("volume_ml", "delivered_mg", "low_mg", "high_mg")

    def _fusable(self) -> bool:
        """One stock, one device, float doses and every integer below 2**52."""
        p = self._pair
        parts = (p.uv, p.q, p.low, p.high)
        if not isinstance(self._dose, _Scaled) or not all(
                isinstance(v, int) for part in parts for v in part):
            return False
        c_max, (num_max, den_max) = self._count_max, self._limits
        return (c_max * den_max < _EXACT and num_max < _EXACT
                and all(c_max * n < _EXACT and d < _EXACT for n, d in parts))

    def _fuse(self) -> None:
        """Volume, delivered, bounds and rounding error in one pass, block by block.

        The same correctly rounded divisions of exact integers as one by one,
        with each block of counts read once while it is in cache.
        """
        np = _np()
        p, dose = self._pair, self._dose
        c = np.asarray(self._count).reshape(-1)
        x = dose.x.reshape(-1)
        a = dose.factor.numerator * p.r[0]
        den = self._limits[1]
        outs = [np.empty(c.size) for _ in range(5)]
        parts = (p.uv, p.q, p.low, p.high)
        n = np.empty(min(c.size, _BLOCK))
        cf = np.empty(min(c.size, _BLOCK))
        for start in range(0, c.size, _BLOCK):
            m = min(_BLOCK, c.size - start)
            cb = cf[:m]
            cb[...] = c[start:start + m]  # counts as floats once per block: exact below 2**52
            for out, (num, d) in zip(outs[:4], parts, strict=True):
                o = out[start:start + m]
                if num == 1:
                    np.divide(cb, d, out=o)
                else:
                    np.multiply(cb, num, out=o)
                    o /= d
            ns, o = n[:m], outs[4][start:start + m]
            np.multiply(x[start:start + m], float(dose.scale), out=ns)
            np.rint(ns, out=ns)
            ns *= a
            np.multiply(cb, den, out=o)
            o -= ns  # exact: integers below 2**52
            o /= ns  # one correctly rounded division
        for name, out in zip((*self._PER_COUNT, "rounding_error"), outs, strict=True):
            self._cached(name, lambda out=out: self._masked(out.reshape(self.shape)))

    @property
    def _all_ok(self) -> bool:
        return bool(self._cache.setdefault("all_ok", not self._status.any()))

    def __len__(self) -> int:
        return int(math.prod(self.shape))

    # -- arrays ----------------------------------------------------------------------
    @property
    def count(self) -> Array:
        """Whole drops or graduations per dose (int64; 0 where status is not OK)."""
        np = _np()
        return self._cached("count", lambda: np.asarray(self._count, dtype=np.int64))

    @property
    def status(self) -> Array:
        """:class:`Status` code of each element (int8): 0 is OK."""
        return self._status  # read-only, set at construction

    @property
    def status_names(self) -> Array:
        """The :class:`Status` label of each element: ``"ok"``, ``"rounds_to_zero"``, ..."""
        np = _np()
        labels = np.array([str(s) for s in Status])
        return self._cached("status_names", lambda: labels[self._status])

    @property
    def ok(self) -> Array:
        """True where the dose can be measured."""
        return self._cached("ok", lambda: self._status == Status.OK)

    @property
    def target_mg(self) -> Array:
        """The requested doses, mg (float of the exact value)."""
        np = _np()
        dose = self._dose
        if isinstance(dose, _Scaled) and dose.factor == 1:  # the floats given are exact
            return self._cached("target_mg", lambda: np.broadcast_to(
                np.asarray(dose.x, dtype=np.float64), self.shape).copy())
        dn, dd = self._dose_nd()
        return self._cached("target_mg", lambda: np.broadcast_to(
            _ratio(dn, 1, dd), self.shape).copy())

    @property
    def volume_ml(self) -> Array:
        """Volume drawn, mL (NaN where not measurable)."""
        return self._per_count("volume_ml", self._pair.uv)

    @property
    def delivered_mg(self) -> Array:
        """Dose in the volume drawn, mg (NaN where not measurable)."""
        return self._per_count("delivered_mg", self._pair.q)

    @property
    def rounding_error(self) -> Array:
        """(delivered - target) / target (NaN where not measurable)."""
        if "rounding_error" not in self._cache and self._fusable():
            self._fuse()
        return self._cached("rounding_error", self._rounding_error)

    def _dose_nd(self) -> tuple[Int, Int]:
        """Exact (numerator, denominator) of every dose, mg."""
        if isinstance(self._dose, _Scaled):
            return self._cached("dose_nd", self._dose.exact)  # type: ignore[no-any-return]
        return self._dose  # type: ignore[no-any-return]

    def _units(self, exact_floats: bool) -> tuple[Int, Int]:
        """units = num / den: as float64 exact integers, or as Python ints."""
        (dn, dd), (rn, rd) = self._dose_nd(), self._pair.r
        if exact_floats:
            return (dn if isinstance(rn, int) and rn == 1 else dn * rn), dd * rd
        return _as_object(dn) * _as_object(rn), _as_object(dd) * _as_object(rd)

    def _rounding_error(self) -> Array:
        np = _np()
        # delivered / target = count / units = count * den / num
        num_max, den_max = self._limits
        if self._count_max * den_max < _EXACT and num_max < _EXACT:
            if isinstance(self._dose, _Scaled) and isinstance(den_max, int):
                return self._masked(_scaled_error(self._dose, self._count, self._pair.r[0],
                                                  den_max))
            num, den = self._units(True)
            err = np.multiply(self._count, den, dtype=np.float64)
            err -= num  # exact: integers below 2**52
            err /= num  # one correctly rounded division
        else:
            num, den = self._units(False)
            c = _as_object(self._count)
            err = np.asarray((c * den - num) / num, dtype=np.float64)
        return self._masked(err)

    @property
    def bounds_mg(self) -> tuple[Array, Array]:
        """Worst-case (low, high) delivered dose, mg, as for :attr:`Measurement.bounds`."""
        return (self._per_count("low_mg", self._pair.low),
                self._per_count("high_mg", self._pair.high))

    # -- quantities --------------------------------------------------------------------
    @property
    def target(self) -> pint.Quantity:
        """The requested doses [mass, mg]."""
        return _quantity(self.target_mg, "mg")

    @property
    def volume(self) -> pint.Quantity:
        """Volumes drawn [volume, mL]."""
        return _quantity(self.volume_ml, "mL")

    @property
    def delivered(self) -> pint.Quantity:
        """Doses delivered [mass, mg]."""
        return _quantity(self.delivered_mg, "mg")

    @property
    def bounds(self) -> Bounds:
        """Worst-case (low, high) delivered doses [mass, mg]."""
        low, high = self.bounds_mg
        return Bounds(_quantity(low, "mg"), _quantity(high, "mg"))

    # -- one element -------------------------------------------------------------------
    def measurement(self, index: int | tuple[int, ...]) -> Measurement:
        """The scalar :func:`measure` result for one element (raising as it raises).

        Gives its full report, warnings (syringe sizing included) and, for an
        element that is not OK, the error that names a stock or device that
        would work.
        """
        np = _np()
        size = len(self)
        try:
            idx = np.unravel_index(int(index), self.shape) if isinstance(index, int) \
                else tuple(int(i) for i in index)
            flat = int(np.ravel_multi_index(idx, self.shape))
        except (ValueError, TypeError) as exc:
            raise InputError("index", index, f"an index below {size}") from exc
        num, den = (np.broadcast_to(np.asarray(x, dtype=object), self.shape).reshape(-1)[flat]
                    for x in self._dose_nd())
        dose = Fraction(int(num), int(den))
        return measure((dose, "mg"), _pick(self._stock, self.shape, flat),
                       _pick(self._device, self.shape, flat), rounding=self.rounding,
                       allow_high_dose=self.allow_high_dose)

    # -- summary -----------------------------------------------------------------------
    @property
    def summary(self) -> dict[str, int]:
        """How many elements have each status, by label."""
        np = _np()
        counts = np.bincount(self._status.reshape(-1), minlength=len(Status))
        return {str(s): int(counts[s]) for s in Status}

    @property
    def warnings(self) -> tuple[str, ...]:
        """Cautions about the batch as a whole, most important first."""
        return self._cached("warnings", self._warnings)  # type: ignore[no-any-return]

    def _warnings(self) -> tuple[str, ...]:
        np = _np()
        total = len(self)
        s = self.summary
        unit = _unit_word(self._device)
        out = []
        if s["high_dose"]:
            out.append(f"{_of(s['high_dose'], total)} 45 mg or more, ten times the usual 4.5 mg "
                       "LDN maximum: refused as a likely decimal slip (pass "
                       "allow_high_dose=True if meant)")
        if s["rounds_to_zero"]:
            out.append(f"{_of(s['rounds_to_zero'], total)} less than half a {unit}: rounds "
                       "to 0; use a weaker stock (measurement(i) names one)")
        if s["over_capacity"]:
            out.append(f"{_of(s['over_capacity'], total)} more than the device measures at "
                       "once; use a stronger stock or a bigger syringe (measurement(i) says)")
        ok = self.ok
        c = self._count
        limit = ROUNDING_WARNING  # |count * den - num| / num > 1/20, decided exactly
        num_max, den_max = self._limits
        if self._count_max * den_max * limit.denominator < _EXACT and \
                num_max * limit.numerator < _EXACT:
            num, den = self._units(True)
            far = np.abs(c * den - num) * limit.denominator > num * limit.numerator
        else:
            num, den = self._units(False)
            c = _as_object(c)
            far = np.asarray(abs(c * den - num) * limit.denominator > num * limit.numerator,
                             dtype=bool)
        n_far = int(np.count_nonzero(far & ok))
        if n_far:
            out.append(f"{_of(n_far, total)} changed by more than "
                       f"{format_number(limit * 100)} % by rounding to whole {unit}s")
        small = int(np.count_nonzero(ok & (self._count <= self._pair.small)))
        if small:
            out.append(f"{_of(small, total)} 0.1 mL or less in an oral syringe, where 1 mL oral "
                       "syringes missed a +/-10 % target (Arenas-Lopez et al. 2017)")
        dn, dd = self._dose_nd()
        above = ok & (np.asarray(dn > dd * int(LDN_MAX_MG), dtype=bool))
        n_above = int(np.count_nonzero(above))
        if n_above:
            out.append(f"{_of(n_above, total)} above the low-dose (LDN) band of 1-5 mg "
                       "(Toljan & Vrooman 2018); check the prescriptions")
        for stock in _unique(self._stock):
            out += stock.warnings
        return tuple(dict.fromkeys(out))

    def report(self) -> Report:
        s = self.summary
        total = len(self)
        rows = [("Doses", f"{total:,}" + (f" (shape {self.shape})" if len(self.shape) > 1
                                            else "")),
                ("Rounding", self.rounding)]
        rows += [(_STATUS_ROWS[st], f"{s[str(st)]:,}") for st in Status]
        if s["ok"]:
            np = _np()
            counts = self.count[self.ok]
            errors = self.rounding_error[self.ok]
            rows.append(("Counts", f"{int(counts.min()):,} to {int(counts.max()):,} "
                                   f"{_unit_word(self._device)}s"))
            worst = float(errors[np.argmax(np.abs(errors))])
            rows.append(("Largest rounding error",
                         format_percent(Fraction(repr(worst))) if worst else "0 %"))
            delivered = self.delivered_mg[self.ok]
            rows.append(("Delivered", f"{_mass(delivered.min())} to {_mass(delivered.max())}"))
        return Report(title=f"{total:,} dose{'' if total == 1 else 's'}: {s['ok']:,} measurable",
                      rows=tuple(rows),
                      warnings=self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """Summary and per-element results as plain data (NaN written as None)."""
        np = _np()

        def floats(a: Array) -> list[Any]:
            return [None if math.isnan(x) else x for x in np.asarray(a).reshape(-1).tolist()]

        low, high = self.bounds_mg
        return {
            "shape": list(self.shape),
            "rounding": self.rounding,
            "allow_high_dose": self.allow_high_dose,
            "summary": self.summary,
            "warnings": list(self.warnings),
            "count": self.count.reshape(-1).tolist(),
            "status": self.status_names.reshape(-1).tolist(),
            "target_mg": floats(self.target_mg),
            "volume_ml": floats(self.volume_ml),
            "delivered_mg": floats(self.delivered_mg),
            "rounding_error": floats(self.rounding_error),
            "bounds_mg": {"low": floats(low), "high": floats(high)},
        }


_STATUS_ROWS = {Status.OK: "Measurable", Status.ROUNDS_TO_ZERO: "Rounds to 0",
                Status.OVER_CAPACITY: "Over the device's capacity",
                Status.HIGH_DOSE: "Refused as >= 45 mg"}


def _mass(mg: float) -> str:
    return format_mass(Fraction(repr(float(mg))))


def _of(n: int, total: int) -> str:
    return f"{n:,} of {total:,} doses {'is' if n == 1 else 'are'}"


def _unit_word(device: Any) -> str:
    kinds = {d.unit for d in _unique(device)}
    return kinds.pop() if len(kinds) == 1 else "unit"


def _unique(objects: _Objects) -> list[Any]:
    return objects[0]


def _pick(objects: _Objects, shape: tuple[int, ...], flat: int) -> Any:
    """The stock or device of element ``flat``."""
    np = _np()
    uniq, index = objects
    if index is None:
        return uniq[0]
    return uniq[int(np.broadcast_to(index, shape).reshape(-1)[flat])]


def _quantity(values: Array, unit: str) -> pint.Quantity:
    return Q_(values, unit)


def measure_many(
    doses: Any,
    stock: Any,
    device: Any,
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
    doses : pint.Quantity array, (array, unit), or sequence of str or pint.Quantity  [mass]
        ``Q_(np.array([0.5, 1.5, 4.5]), "mg")`` (any registry), ``(array, "mcg")``
        or ``["4.5 mg", "450 mcg"]``. A bare array has no unit and is refused;
        a single dose (``"4.5 mg"``) is a batch of one, shape ``(1,)``.
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
    take a block-wise numpy path). Doses needing more than 12 decimal places
    are read one by one (slow, exact).

    Examples
    --------
    >>> import numpy as np
    >>> from ldn_compound import Dropper, Stock
    >>> b = measure_many((np.array([0.5, 1.5, 4.5]), "mg"),
    ...                  Stock.from_tablets("50 mg", "10 mL"), Dropper())
    >>> b.count.tolist()
    [2, 6, 18]
    """
    np = _np()
    mode = check_rounding(rounding)
    if not isinstance(allow_high_dose, bool):
        raise InputError("allow_high_dose", allow_high_dose, "True or False")
    dn, dd, dose_shape = _doses(doses)
    pair, pair_shape, stocks, devices = _pair(stock, device)
    try:
        shape = tuple(np.broadcast_shapes(dose_shape, pair_shape))
    except ValueError as exc:
        raise InputError("doses", f"shape {dose_shape}",
                         f"a shape that broadcasts with the stock and device shape "
                         f"{pair_shape}") from exc
    fast = _fast_count(dn, pair, mode) if isinstance(dn, _Floats) and not pair_shape else None
    if fast is not None:
        dose, count, (num_max, den_max) = fast
        maybe_high = Fraction(repr(dn.largest)) * dn.factor >= DECIMAL_SLIP_MG
    else:
        if isinstance(dn, _Floats):
            dn, dd = dn.exact()
        dose = (dn, dd)
        count, (num_max, den_max) = _count(dn, dd, pair.r, mode)
        maybe_high = _max(dn) >= int(DECIMAL_SLIP_MG)
    count = np.broadcast_to(np.asarray(count), shape)
    status = np.zeros(shape, dtype=np.int8)
    if count.size and count.min() == 0:
        status[count == 0] = Status.ROUNDS_TO_ZERO
    max_count = pair.max_count
    # One cheap reduction first: most batches have nothing over capacity.
    if count.size and count.max() > np.min(max_count):
        status[np.broadcast_to(count > max_count, shape)] = Status.OVER_CAPACITY
    if not allow_high_dose and maybe_high:  # dose >= 45 mg, decided exactly
        dn, dd = dose.exact() if isinstance(dose, _Scaled) else dose
        slip = int(DECIMAL_SLIP_MG)
        if _max(dn) < _EXACT and _max(dd) * slip < _EXACT:
            high = dn >= dd * slip
        else:
            high = np.asarray(_as_object(dn) >= _as_object(dd) * slip, dtype=bool)
        status[np.broadcast_to(high, shape)] = Status.HIGH_DOSE
    if status.any():
        count = np.where(status == Status.OK, count, 0)
    status.flags.writeable = False
    return BatchMeasurement(shape, mode, allow_high_dose, count=count, status=status,
                            limits=(num_max, den_max), dose=dose, pair=pair,
                            stock=stocks, device=devices)


def _count(dn: Int, dd: Int, r: tuple[Int, Int], mode: str) -> tuple[Any, tuple[int, int]]:
    """Counts for num / den = (dn x rn) / (dd x rd), and the largest num and den."""
    np = _np()
    rn, rd = r
    num_max, den_max = _max(dn) * _max(rn), _max(dd) * _max(rd)
    if 2 * num_max + 3 * den_max < _EXACT:  # float64 holds every integer exactly
        den = dd * rd
        if mode == "nearest":  # floor((2 num + den) / (2 den)): see the module docstring
            count = np.multiply(dn, 2 * rn, dtype=np.float64)
            count += den
            count /= 2 * den
            np.floor(count, out=count)
        else:
            count = np.multiply(dn, rn, dtype=np.float64)
            count /= den
            (np.floor if mode == "down" else np.ceil)(count, out=count)
        return count, (num_max, den_max)
    num_o, den_o = _as_object(dn) * _as_object(rn), _as_object(dd) * _as_object(rd)
    if mode == "nearest":
        exact = (2 * num_o + den_o) // (2 * den_o)
    elif mode == "down":
        exact = num_o // den_o
    else:
        exact = -((-num_o) // den_o)
    return _exact_floats(np.asarray(exact, dtype=object)), (num_max, den_max)


# -- the fast path: float doses, one stock, one device ------------------------------------

#: Elements per block: a few blocks of scratch stay in cache and no large temporaries
#: are allocated (a loop over blocks, never over elements).
_BLOCK = 1 << 15


class _Scaled(NamedTuple):
    """Float doses read exactly as ``rint(x * scale) / scale`` x ``factor`` mg."""

    x: Any
    scale: int
    factor: Fraction

    def exact(self) -> tuple[Int, Int]:
        np = _np()
        n = np.rint(self.x * float(self.scale))
        return _scaled(n, self.scale, self.factor)


def _fast_count(floats: _Floats, pair: _Pair, mode: str) -> Any:
    """(doses, counts, limits) in one pass over blocks, or None to take the general path.

    For each block: n = rint(x * 10**k); every n / 10**k must give back x (else
    try the next k); then the count from n exactly, as :func:`_count` does.
    """
    np = _np()
    rn, rd = pair.r
    x = floats.x.reshape(-1)
    fn, fd = floats.factor.numerator, floats.factor.denominator
    spacing = float(np.spacing(floats.largest))
    for k in _PLACES:
        scale = 10**k
        if spacing * scale >= 1:
            return None
        num_max = (math.ceil(floats.largest * scale) + 1) * fn * rn
        den = scale * fd * rd
        if 2 * num_max + 3 * den >= _EXACT:
            return None
        count = _blocks(x, float(scale), fn * rn, den, mode)
        if count is not None:
            return _Scaled(floats.x, scale, floats.factor), count.reshape(floats.x.shape), \
                (num_max, den)
    return None


def _blocks(x: Array, scale: float, a: int, den: int, mode: str) -> Array | None:
    """Counts (int64), or None if some dose is not rint(x * scale) / scale."""
    np = _np()
    out = np.empty(x.shape, dtype=np.int64)
    size = x.size
    n = np.empty(min(size, _BLOCK))
    scratch = np.empty(min(size, _BLOCK))
    same = np.empty(min(size, _BLOCK), dtype=bool)
    for start in range(0, size, _BLOCK):
        xs = x[start:start + _BLOCK]
        m = xs.size
        ns, o = n[:m], scratch[:m]
        np.multiply(xs, scale, out=ns)
        np.rint(ns, out=ns)
        np.divide(ns, scale, out=o)
        np.equal(o, xs, out=same[:m])
        if not same[:m].all():
            return None
        if mode == "nearest":
            np.multiply(ns, 2 * a, out=o)
            o += den
            o /= 2 * den
            np.floor(o, out=o)
        else:
            np.multiply(ns, a, out=o)
            o /= den
            (np.floor if mode == "down" else np.ceil)(o, out=o)
        out[start:start + m] = o  # whole numbers below 2**52: exact in int64
    return out


def _scaled_error(dose: _Scaled, count: Array, rn: int, den: int) -> Array:
    """(count x den - num) / num with num = n x factor x rn, block by block."""
    np = _np()
    x, c = dose.x.reshape(-1), count.reshape(-1)
    a = dose.factor.numerator * rn
    out = np.empty_like(x)
    num = np.empty(min(x.size, _BLOCK))
    for start in range(0, x.size, _BLOCK):
        xs = x[start:start + _BLOCK]
        m = xs.size
        ns, o = num[:m], out[start:start + m]
        np.multiply(xs, float(dose.scale), out=ns)
        np.rint(ns, out=ns)
        ns *= a
        np.multiply(c[start:start + m], den, out=o)
        o -= ns  # exact: integers below 2**52
        o /= ns  # one correctly rounded division
    return out.reshape(dose.x.shape)
