"""pandas tables of results: one home for every ``to_frame()``.

pandas is the optional ``pandas`` extra, imported here only, when a table is
asked for. Columns hold numbers (numeric dtypes: exact values as correctly
rounded floats, counts as int64) and carry their unit in the name
(``dose_mg``, ``volume_mL``, ``concentration_mg_per_mL``); ``rounding_error``
and the cuts are fractions (0.05 is 5 %). A row that cannot be measured, or a
flagged step, keeps its row: count 0, NaN in every mg and mL column, and
``ok`` False (with its ``status`` or ``problem``), as in
:class:`~ldn_compound.BatchMeasurement`'s arrays.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    from .batch import BatchMeasurement
    from .measurement import Measurement
    from .multistock import TaperPlan
    from .schedule import Schedule, Supply

__all__ = ["batch_frame", "frame_method", "pandas", "schedule_frame", "supply_frame",
           "taper_frame"]

NAN = float("nan")


def pandas() -> Any:
    """The pandas module, or the library's own error saying how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise InputError("to_frame", None, "pandas installed: pip install "
                                           "'ldn-compound[pandas]'") from exc


def frame_method(build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A ``to_frame(self)`` method that calls ``build(self)``, documented by ``build``.

    Each class gets its method with one line in its body; what the columns are
    is written once, here, in the builder's docstring.
    """
    def to_frame(self: Any) -> Any:
        return build(self)

    to_frame.__doc__ = build.__doc__
    to_frame.__qualname__ = to_frame.__name__ = "to_frame"
    return to_frame


def _table(columns: Mapping[str, tuple[str, Iterable[Any]]], index: str) -> Any:
    """A DataFrame from ``{name: (kind, values)}``; the column ``index`` becomes the index.

    ``kind`` is ``int``, ``float``, ``bool``, ``text`` or ``date`` (None as NaT).
    """
    pd = pandas()
    dtypes = {"int": "int64", "float": "float64", "bool": "bool", "text": "str"}
    data = {}
    for name, (kind, values) in columns.items():
        values = list(values)
        data[name] = (pd.to_datetime(pd.Series(values, dtype="object")) if kind == "date"
                      else pd.Series(values, dtype=dtypes[kind]))
    return pd.DataFrame(data).set_index(index)


def _mg(x: Fraction | None) -> float:
    return NAN if x is None else float(x)


def _measured(ms: list[Measurement | None]) -> dict[str, tuple[str, list[Any]]]:
    """count, volume_mL, delivered_mg, rounding_error, low_mg, high_mg of measurements."""
    return {
        "count": ("int", [0 if m is None else m.count for m in ms]),
        "volume_mL": ("float", [_mg(None if m is None else m.exact_volume) for m in ms]),
        "delivered_mg": ("float", [_mg(None if m is None else m.exact_delivered) for m in ms]),
        "rounding_error": ("float", [_mg(None if m is None else m.exact_rounding_error)
                                     for m in ms]),
        "low_mg": ("float", [_mg(None if m is None else m.exact_bounds[0]) for m in ms]),
        "high_mg": ("float", [_mg(None if m is None else m.exact_bounds[1]) for m in ms]),
    }


def batch_frame(b: BatchMeasurement) -> Any:
    """One row a dose, as a pandas DataFrame (needs the ``pandas`` extra).

    Returns
    -------
    pandas.DataFrame
        Index ``dose`` (C order; one level an axis, ``axis_0``, ``axis_1``, ..., for an
        n-d batch). Columns ``dose_mg``, ``status`` (the :class:`Status` label), ``ok``,
        ``count``, ``volume_mL``, ``delivered_mg``, ``rounding_error`` (a fraction:
        0.05 is 5 %), ``low_mg`` and ``high_mg`` (the worst-case bounds); float64 and
        int64, with count 0 and NaN where the status is not OK.
    """
    low, high = b.bounds_mg
    flat = {
        "dose_mg": ("float", b.target_mg), "status": ("text", b.status_names),
        "ok": ("bool", b.ok), "count": ("int", b.count), "volume_mL": ("float", b.volume_ml),
        "delivered_mg": ("float", b.delivered_mg),
        "rounding_error": ("float", b.rounding_error),
        "low_mg": ("float", low), "high_mg": ("float", high),
    }
    columns: dict[str, tuple[str, Iterable[Any]]] = {"dose": ("int", range(len(b)))}
    columns.update({k: (kind, v.reshape(-1).tolist()) for k, (kind, v) in flat.items()})
    out = _table(columns, "dose")
    if len(b.shape) > 1:
        out.index = pandas().MultiIndex.from_product([range(n) for n in b.shape],
                                                     names=[f"axis_{i}" for i in
                                                            range(len(b.shape))])
    return out


def _spans(rows: Any, key: str) -> dict[str, tuple[str, list[Any]]]:
    """The numbering column ``key`` and the ``start_day`` and ``days`` of each row."""
    return {key: ("int", [r.number for r in rows]),
            "start_day": ("int", [r.start_day for r in rows]),
            "days": ("int", [r.days for r in rows])}


def _dates(dates: list[dt.date | None], names: tuple[str, str],
           ends: list[dt.date | None]) -> dict[str, tuple[str, list[Any]]]:
    """Two date columns, or none when the plan has no start date."""
    if all(d is None for d in dates):
        return {}
    return {names[0]: ("date", dates), names[1]: ("date", ends)}


def schedule_frame(s: Schedule) -> Any:
    """One row a step, as a pandas DataFrame (needs the ``pandas`` extra).

    Returns
    -------
    pandas.DataFrame
        Index ``step``. Columns ``start_day``, ``days``, ``start_date`` and ``end_date``
        (datetime64, only with a start date), ``dose_mg``, ``count``, ``volume_mL``,
        ``delivered_mg``, ``rounding_error`` (a fraction), ``low_mg``, ``high_mg``,
        ``ok`` and ``problem`` (why a step is flagged). A step that cannot be measured
        keeps its row: count 0, NaN in the mg and mL columns, ``ok`` False.
    """
    steps = s.steps
    return _table({
        **_spans(steps, "step"),
        **_dates([st.start_date for st in steps], ("start_date", "end_date"),
                 [st.end_date for st in steps]),
        "dose_mg": ("float", [float(st.exact_dose) for st in steps]),
        **_measured([st.measurement for st in steps]),
        "ok": ("bool", [st.ok for st in steps]),
        "problem": ("text", [st.problem for st in steps]),
    }, "step")


def supply_frame(sup: Supply) -> Any:
    """One row a batch (bottle), as a pandas DataFrame (needs the ``pandas`` extra).

    Returns
    -------
    pandas.DataFrame
        Index ``batch``. Columns ``start_day``, ``days``, ``discard_day``, ``start_date``
        and ``last_use_date`` (datetime64, only with a start date), ``tablets``,
        ``concentration_mg_per_mL``, ``volume_mL`` (made), ``volume_needed_mL``,
        ``stronger`` and ``label``.
    """
    bs = sup.batches
    return _table({
        **_spans(bs, "batch"),
        "discard_day": ("int", [b.discard_day for b in bs]),
        **_dates([b.start_date for b in bs], ("start_date", "last_use_date"),
                 [b.last_use_date for b in bs]),
        "tablets": ("int", [b.tablets for b in bs]),
        "concentration_mg_per_mL": ("float", [float(b.stock.concentration_mg_per_ml)
                                              for b in bs]),
        "volume_mL": ("float", [float(b.exact_volume) for b in bs]),
        "volume_needed_mL": ("float", [float(b.exact_volume_needed) for b in bs]),
        "stronger": ("bool", [b.stronger for b in bs]),
        "label": ("text", [b.label for b in bs]),
    }, "batch")


def taper_frame(p: TaperPlan) -> Any:
    """One row a step, as a pandas DataFrame (needs the ``pandas`` extra).

    Returns
    -------
    pandas.DataFrame
        Index ``step``. Columns ``start_day``, ``days``, ``start_date`` and ``end_date``
        (datetime64, only with a start date), ``requested_mg``, ``liquid``, ``count``,
        ``volume_mL``, ``delivered_mg``, ``low_mg``, ``high_mg``, ``change`` and
        ``delivered_change`` (fractions of the dose before: -0.1 is a 10 % cut),
        ``switch`` (a new liquid starts), ``ok`` and ``problem``. A stop gives 0 mg.
    """
    steps = p.steps
    ms = [st.measurement for st in steps]  # None on a stop: nothing measured, 0 mg given
    measured: dict[str, tuple[str, list[Any]]] = {
        "count": ("int", [0 if m is None else m.count for m in ms]),
        "volume_mL": ("float", [0.0 if m is None else float(m.exact_volume) for m in ms]),
        "delivered_mg": ("float", [float(st.exact_delivered) for st in steps]),
        "low_mg": ("float", [float(st.exact_bounds[0]) for st in steps]),
        "high_mg": ("float", [float(st.exact_bounds[1]) for st in steps]),
    }
    return _table({
        **_spans(steps, "step"),
        **_dates([p.date_of(st.start_day) for st in steps], ("start_date", "end_date"),
                 [p.date_of(st.start_day + st.days - 1) for st in steps]),
        "requested_mg": ("float", [float(st.exact_requested) for st in steps]),
        "liquid": ("text", [st.liquid for st in steps]),
        **measured,
        "change": ("float", [_mg(st.change) for st in steps]),
        "delivered_change": ("float", [_mg(st.delivered_change) for st in steps]),
        "switch": ("bool", [st.switch is not None for st in steps]),
        "ok": ("bool", [st.problem is None for st in steps]),
        "problem": ("text", [st.problem for st in steps]),
    }, "step")
