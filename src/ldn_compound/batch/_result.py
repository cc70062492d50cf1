"""BatchMeasurement: the result of :func:`~ldn_compound.measure_many`, arrays on demand."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from .._frames import batch_frame, frame_method
from .._records import rebuild, stamp
from ..errors import InputError
from ..measurement import Bounds, Measurement, measure_exact
from ..rendering import Rendered, Report
from ..units import Q_
from ._filter import (
    decimal_reading,
    large_rounding,
    ldn_band,
    limits,
    patch,
    read_exact,
    sample_scale,
)
from ._kernels import (
    EXACT,
    Array,
    Int,
    Scaled,
    as_object,
    fused_outputs,
    largest,
    ratio,
    scaled_error,
)
from ._kernels import np as numpy
from ._pair import Objects, Pair, pick
from ._read import Floats
from ._record import doses_exact, objects_record
from ._report import batch_report, unit_word
from ._status import Status
from ._warnings import Flags, batch_warnings, element_flags, exact_findings

if TYPE_CHECKING:
    import pint

__all__ = ["BatchMeasurement"]


@attrs.frozen(repr=False, eq=False)
class BatchMeasurement(Rendered):
    """What to measure for each dose of an array; build it with :func:`measure_many`.

    ``count`` and ``status`` are computed at once; the float outputs (mg, mL,
    and the rounding error when the doses read as short decimals) together,
    in one pass, on first reading of any of them, then kept. Elements whose
    status is not ``Status.OK`` have count 0 and NaN in every float output.
    """

    shape: tuple[int, ...]
    rounding: str
    allow_high_dose: bool
    _count: Any = attrs.field(alias="count")  # int64 or float64 exact integers, or object ints
    _status: Any = attrs.field(alias="status")
    _limits: tuple[int, int] | None = attrs.field(alias="limits")  # largest num, den
    _dose: Any = attrs.field(alias="dose")  # mg: exact (numerator, denominator), or Floats
    _pair: Pair = attrs.field(alias="pair")
    _stock: Objects = attrs.field(alias="stock")
    _device: Objects = attrs.field(alias="device")
    _top: int | None = attrs.field(alias="count_max", default=None)  # largest count, if known
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False)

    def _cached(self, name: str, compute: Any) -> Any:
        if (value := self._cache.get(name)) is None:
            value = compute()
            if hasattr(value, "flags"):
                value.flags.writeable = False
            self._cache[name] = value
        return value

    def _masked(self, values: Array) -> Array:
        """``values`` (a new array) with NaN where the status is not OK, in place."""
        np = numpy()
        if values.shape != self.shape or not values.flags.writeable:
            values = np.broadcast_to(values, self.shape).copy()
        if not self._all_ok:
            np.copyto(values, np.nan, where=self._cached("bad", lambda: ~self.ok))
        return values

    def _reading(self) -> tuple[Scaled | None, Array, tuple[int, int]]:
        """Float doses as k-place decimals (Scaled), flat indices of the others, limits."""
        def read() -> tuple[Scaled | None, Array, tuple[int, int]]:
            np, dose = numpy(), self._dose  # exact doses: (None, no indices, their limits)
            if not isinstance(dose, Floats):
                return None, np.empty(0, dtype=np.int64), self._limits or (0, 0)
            scale, other = self._decimal()
            idx = np.flatnonzero(np.broadcast_to(other, self.shape))
            if scale is None:
                return None, idx, (EXACT, EXACT)
            return (Scaled(dose.x, scale, dose.factor), idx,
                    limits(dose.largest, scale, dose.factor, self._pair.r))
        return self._cached("reading", read)  # type: ignore[no-any-return]

    def _decimal(self) -> tuple[int | None, Array]:
        """(10**k, mask of the float doses that are not k-place decimals): _filter."""
        return self._cached("decimal", lambda: decimal_reading(  # type: ignore[no-any-return]
            self._dose.x, self._dose.largest))

    def _patch(self, out: Array, idx: Array, error: bool) -> Array:
        """out with the elements ``idx`` (not decimals) computed one by one, exactly."""
        if idx.size:
            dose = self._dose
            np = numpy()
            with np.errstate(all="ignore"):
                patch(out, idx, dose.x, self.shape, dose.factor,
                      self._pair.r if error else None, self._count if error else None)
        return out

    @property
    def _count_max(self) -> int:
        # at least 1: each bound "count_max x den < 2**52" must also bound den itself
        if self._top is not None:
            return max(1, self._top)
        return max(1, int(self._cached("count_max", lambda: largest(self._count))))

    def _per_count(self, name: str, nd: tuple[Int, Int]) -> Array:
        """count x (exact per-unit value), as floats, NaN where not OK."""
        if name not in self._cache and self._fusable(error=False):
            self._fuse()
        return self._cached(
            name, lambda: self._masked(ratio(self._count, nd[0], nd[1], self._count_max)))

    _PER_COUNT = ("volume_ml", "delivered_mg", "low_mg", "high_mg")

    def _fusable(self, error: bool = True) -> Scaled | bool | None:
        """One stock, one device, every integer below 2**52: the float outputs in one pass.

        With ``error``: the rounding error too, for float doses that a sample
        reads as ``k``-place decimals (the :class:`Scaled` reading), else None.
        """
        p, c_max = self._pair, self._count_max
        if not all(isinstance(n, int) and isinstance(d, int) and c_max * n < EXACT
                   and d < EXACT for n, d in (p.uv, p.q, p.low, p.high)):
            return None if error else False
        if not error:
            return True
        dose = self._dose
        if not isinstance(dose, Floats) or not isinstance(p.r[0], int) \
                or (scale := sample_scale(dose.x, dose.largest)) is None:
            return None
        num_max, den_max = limits(dose.largest, scale, dose.factor, p.r)
        if c_max * den_max < EXACT and num_max < EXACT:
            return Scaled(dose.x, scale, dose.factor)
        return None

    def _fuse(self) -> None:
        """Volume, delivered, bounds, and the rounding error when cheap, in one pass of blocks.

        The error is kept when at most 1/256 of the doses are not decimals at
        the sampled scale (those are patched one by one), else left to
        :meth:`_rounding_error`.
        """
        p, np = self._pair, numpy()
        scaled = self._fusable(error=True)
        scaled = scaled if isinstance(scaled, Scaled) else None
        lim = limits(self._dose.largest, scaled.scale, scaled.factor, p.r) \
            if scaled is not None else (1, 1)
        with np.errstate(all="ignore"):  # NaN at count 0 is where the status is not OK
            outs, idx = fused_outputs(self._count, scaled, (p.uv, p.q, p.low, p.high),
                                      p.r[0], lim[1], nan_at_zero=not self._all_ok)
        error = scaled is not None and idx.size * 256 <= len(self)
        if error:
            self._cache.setdefault("reading", (scaled, idx, lim))
            self._patch(outs[-1], idx, error=True)
        for name, out in zip((*self._PER_COUNT, "rounding_error"), outs, strict=False):
            out = out.reshape(self.shape)  # NaN at count 0: where the status is not OK
            if name != "rounding_error":
                self._cached(name, lambda out=out: out)
            elif error:  # patched one by one where not OK: masked again
                self._cached(name, lambda out=out: self._masked(out))

    @property
    def _all_ok(self) -> bool:
        return bool(self._cached("all_ok", lambda: not bool(self._status.any())))

    def __len__(self) -> int:
        return int(math.prod(self.shape))

    # -- arrays ----------------------------------------------------------------------
    @property
    def count(self) -> Array:
        """Whole drops or graduations per dose (int64; 0 where status is not OK)."""
        np = numpy()
        return self._cached("count", lambda: np.asarray(self._count, dtype=np.int64))

    @property
    def status(self) -> Array:
        """:class:`Status` code of each element (int8): 0 is OK."""
        return self._status  # read-only, set at construction

    @property
    def status_names(self) -> Array:
        """The :class:`Status` label of each element: ``"ok"``, ``"rounds_to_zero"``, ..."""
        np = numpy()
        labels = np.array([str(s) for s in Status])
        return self._cached("status_names", lambda: labels[self._status])

    @property
    def ok(self) -> Array:
        """True where the dose can be measured."""
        return self._cached("ok", lambda: self._status == Status.OK)

    @property
    def target_mg(self) -> Array:
        """The requested doses, mg (float of the exact value)."""
        np = numpy()
        dose = self._dose
        if isinstance(dose, Floats) and dose.factor == 1:  # the floats given are exact
            return self._cached("target_mg", lambda: np.broadcast_to(
                np.asarray(dose.x, dtype=np.float64), self.shape).copy())

        def target() -> Array:
            scaled, idx, _ = self._reading()
            if isinstance(dose, Floats) and scaled is None:
                return self._patch(np.empty(self.shape), idx, error=False)
            dn, dd = self._dose_nd()
            return self._patch(np.broadcast_to(ratio(dn, 1, dd), self.shape).copy(), idx,
                               error=False)
        return self._cached("target_mg", target)

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
        if "volume_ml" not in self._cache and isinstance(self._dose, Floats) \
                and self._fusable(error=False):
            self._fuse()  # with the per-count outputs, in the same pass
        return self._cached("rounding_error", self._rounding_error)

    def _dose_nd(self) -> tuple[Int, Int]:
        """Exact (numerator, denominator) of every dose, mg."""
        if isinstance(self._dose, Floats):  # wrong where _reading() says: patched after
            scaled = self._reading()[0]
            assert scaled is not None
            return self._cached("dose_nd", scaled.exact)  # type: ignore[no-any-return]
        return self._dose  # type: ignore[no-any-return]

    def _units(self, exact_floats: bool) -> tuple[Int, Int]:
        """units = num / den: as float64 exact integers, or as Python ints."""
        (dn, dd), (rn, rd) = self._dose_nd(), self._pair.r
        if exact_floats:
            return (dn if isinstance(rn, int) and rn == 1 else dn * rn), dd * rd
        return as_object(dn) * as_object(rn), as_object(dd) * as_object(rd)

    def _rounding_error(self) -> Array:
        np = numpy()
        # delivered / target = count / units = count * den / num
        scaled, idx, (num_max, den_max) = self._reading()
        if isinstance(self._dose, Floats) and scaled is None:
            return self._masked(self._patch(np.empty(self.shape), idx, error=True))
        with np.errstate(all="ignore"):  # doses not read as decimals are patched below
            if self._count_max * den_max < EXACT and num_max < EXACT:
                if scaled is not None and isinstance(self._pair.r[0], int):
                    err = scaled_error(scaled, self._count, self._pair.r[0], den_max)
                else:
                    num, den = self._units(True)
                    err = np.multiply(self._count, den, dtype=np.float64)
                    err -= num  # exact: integers below 2**52
                    err /= num  # one correctly rounded division
            else:
                num, den = self._units(False)
                c = as_object(self._count)
                err = np.asarray((c * den - num) / num, dtype=np.float64)
        err = np.broadcast_to(err, self.shape).copy()
        return self._masked(self._patch(err, idx, error=True))

    @property
    def bounds_mg(self) -> tuple[Array, Array]:
        """Worst-case (low, high) delivered dose, mg, as for :attr:`Measurement.bounds`."""
        return (self._per_count("low_mg", self._pair.low),
                self._per_count("high_mg", self._pair.high))

    # -- quantities --------------------------------------------------------------------
    @property
    def target(self) -> pint.Quantity:
        """The requested doses [mass, mg]."""
        return Q_(self.target_mg, "mg")

    @property
    def volume(self) -> pint.Quantity:
        """Volumes drawn [volume, mL]."""
        return Q_(self.volume_ml, "mL")

    @property
    def delivered(self) -> pint.Quantity:
        """Doses delivered [mass, mg]."""
        return Q_(self.delivered_mg, "mg")

    @property
    def bounds(self) -> Bounds:
        """Worst-case (low, high) delivered doses [mass, mg]."""
        low, high = self.bounds_mg
        return Bounds(Q_(low, "mg"), Q_(high, "mg"))

    # -- one element -------------------------------------------------------------------
    def measurement(self, index: int | tuple[int, ...]) -> Measurement:
        """The scalar :func:`measure` result for one element (raising as it raises).

        Gives its full report, warnings (syringe sizing included) and, for an
        element that is not OK, the error that names a stock or device that
        would work.
        """
        np = numpy()
        size = len(self)
        try:
            idx = np.unravel_index(int(index), self.shape) if isinstance(index, int) \
                else tuple(int(i) for i in index)
            flat = int(np.ravel_multi_index(idx, self.shape))
        except (ValueError, TypeError) as exc:
            raise InputError("index", index, f"an index below {size}") from exc
        if isinstance(self._dose, Floats):
            x = np.broadcast_to(self._dose.x, self.shape).reshape(-1)[flat:flat + 1]
            num, den = (as_object(v)[0] for v in read_exact(x, self._dose.factor))
        else:
            num, den = (np.broadcast_to(np.asarray(v, dtype=object), self.shape).reshape(-1)[
                flat] for v in self._dose)
        return measure_exact(Fraction(int(num), int(den)), pick(self._stock, self.shape, flat),
                             pick(self._device, self.shape, flat), self.rounding,
                             allow_high_dose=self.allow_high_dose)

    # -- summary -----------------------------------------------------------------------
    @property
    def summary(self) -> dict[str, int]:
        """How many elements have each status, by label."""
        np = numpy()
        counts = np.bincount(self._status.reshape(-1), minlength=len(Status))
        return {str(s): int(counts[s]) for s in Status}

    @property
    def warnings(self) -> tuple[str, ...]:
        """Cautions about the batch as a whole, most important first."""
        return self._cached("warnings", self._warnings)  # type: ignore[no-any-return]

    def _warnings(self) -> tuple[str, ...]:
        stock_warnings = [w for stock in self._stock[0] for w in stock.warnings]
        return batch_warnings(self.summary, self.flags, unit_word(self._device),
                              stock_warnings)

    # -- findings per element ------------------------------------------------------------
    @property
    def flags(self) -> Flags:
        """Per-element findings, the decisions behind the scalar warnings.

        A named tuple of boolean arrays of ``shape``, each False where the
        status is not OK: ``large_rounding`` (rounding moved the dose by more
        than 5 %: a :class:`~ldn_compound.Measurement` warning),
        ``small_syringe_volume`` (an oral syringe volume at or below 0.1 mL),
        ``below_min_fill`` (an oral syringe filled below 20 % of its capacity)
        and ``above_ldn_band`` (a dose above 5 mg). :attr:`accuracy_problem` is
        the two syringe findings together.
        """
        return self._cached("flags", self._flags)  # type: ignore[no-any-return]

    def _flags(self) -> Flags:
        dose = self._dose
        if isinstance(dose, Floats):  # filtered: exact only near a boundary
            large = large_rounding(dose.x, dose.factor, self._pair.r, self._count, self.shape)
            above = ldn_band(dose.x, dose.factor, self.shape)
        else:
            lim = self._limits or (0, 0)
            exact = self._count_max * lim[1] < EXACT and lim[0] < EXACT
            large, above = exact_findings(self._count, self._units(exact), self._count_max,
                                          dose)
        flags = element_flags(self._count, self.ok, large, above, self._count_max,
                              self._device, self.shape)
        for f in flags:
            f.flags.writeable = False
        return flags

    @property
    def accuracy_problem(self) -> Array:
        """True where :attr:`Measurement.accuracy_problem` is not None (bool array)."""
        f = self.flags
        return self._cached("accuracy_problem",
                            lambda: f.small_syringe_volume | f.below_min_fill)

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return batch_report(self, unit_word(self._device))

    to_frame = frame_method(batch_frame)
    RECORD = "batch_measurement"

    def __eq__(self, other: object) -> bool:
        """Equal when the records are: the same exact inputs and results, element by element."""
        if not isinstance(other, BatchMeasurement):
            return NotImplemented
        return self is other or self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # arrays: not hashable

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/batch_measurement@1`` record (NaN written as None).

        ``doses_exact``, ``stocks``/``stock_index`` and ``devices``/``device_index``
        (per element, or null when one serves all) are read back; the rest is checked.
        """
        np = numpy()

        def floats(a: Array) -> list[Any]:
            return [None if math.isnan(x) else x for x in np.asarray(a).reshape(-1).tolist()]

        low, high = self.bounds_mg
        stocks, stock_index = objects_record(self._stock, self.shape)
        devices, device_index = objects_record(self._device, self.shape)
        return stamp(self.RECORD, {
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
            "doses_exact": doses_exact(self._dose, self.shape),
            "stocks": stocks, "stock_index": stock_index,
            "devices": devices, "device_index": device_index,
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> BatchMeasurement:
        """Measure again from the record's inputs (``measure_many``, registered by it)."""
        return rebuild(cls.RECORD, data)  # type: ignore[no-any-return]

