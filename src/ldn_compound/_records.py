"""Versioned records: one implementation behind every ``to_dict``/``from_dict``.

A record is a JSON object whose first key, ``"schema"``, names its type and
version: ``"ldn_compound/<record>@<version>"`` (``"ldn_compound/measurement@1"``).
Reading a record (:meth:`Record.from_dict`) rebuilds the object from the
record's *inputs*, writes it again, and refuses the record
(:attr:`~ldn_compound.ErrorKind.RECORD_MISMATCH`) if any stored field differs
from the one computed, naming the field (``steps[2].count``): a tampered or
corrupted record is never silently repaired.

Values in records follow one convention:

- *exact* fields are exact decimal text or a fraction, with the unit and no
  thousands separator (``"1000 mL"``, ``"32/7 mg"``, ``"0.02"``); these are
  what :meth:`from_dict` reads;
- *display* fields are safely written text for people (``"1,000 mL"``,
  ``"4.5714286 mg"``); they are checked on reading, never read.

Each shipped JSON Schema (``ldn_compound/schemas/<record>.json``) says which
fields are which; :func:`ldn_compound.records.schema` loads one.

Before any class reads a record, :func:`screened` checks its structure, once for every
kind: JSON values only (dicts with text keys, lists, text, booleans, null, finite
numbers, integers below 2**63), nested at most :data:`MAX_DEPTH` deep. JSON text is
parsed by :func:`parsed`, which refuses NaN, Infinity, numbers that overflow and
nesting past the parser's limit. Each refusal is an :class:`InputError` naming the
field (``steps[2].count``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from .errors import ErrorKind, InputError, LdnCompoundError, shown

__all__ = ["MAX_DEPTH", "MAX_INT", "SCHEMA_PREFIX", "VERSION", "Record", "agree", "builder",
           "given", "load", "parsed", "read", "rebuild", "record_class", "schema_id",
           "screened", "stamp"]

#: Every record's ``"schema"`` starts with this.
SCHEMA_PREFIX = "ldn_compound/"
#: The version of every record this release writes; a change to a record's
#: fields or their meaning raises it (a record of another version is refused).
VERSION = 1

#: Deepest nesting (dicts and lists) a record may have. The deepest written, a supply
#: (its schedule, steps, a step's measurement, its stock, ...), nests 8 levels; past this
#: a record is refused before anything recurses into it.
MAX_DEPTH = 32
#: Integers in a record are below this in size (a simulation's seed is below 2**63;
#: counts, steps and days are far smaller): larger ones are refused, never converted.
MAX_INT = 2**63

T = TypeVar("T", bound="Record")

#: Record name -> class, filled as record classes are defined.
_CLASSES: dict[str, type[Record]] = {}
#: Record name -> the function that rebuilds it, for a class whose builder lives in a
#: module that imports the class (``measure_many`` for ``BatchMeasurement``).
_BUILDERS: dict[str, Callable[[dict[str, Any]], Any]] = {}

F = TypeVar("F", bound=Callable[[dict[str, Any]], Any])


def builder(name: str) -> Callable[[F], F]:
    """Register the function that rebuilds ``name`` records from their inputs."""
    def register(function: F) -> F:
        _BUILDERS[name] = function
        return function
    return register


def rebuild(name: str, data: dict[str, Any]) -> Any:
    """Rebuild a ``name`` record with its registered builder."""
    return _BUILDERS[name](data)


def schema_id(name: str) -> str:
    """``"ldn_compound/<name>@<VERSION>"``: the ``"schema"`` field of a record."""
    return f"{SCHEMA_PREFIX}{name}@{VERSION}"


def stamp(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with ``"schema"`` as its first key."""
    return {"schema": schema_id(name), **data}


def given(data: dict[str, Any], key: str) -> Any:
    """``data[key]``, or None (take the default again) when ``data[key + "_default"]``
    is true: a record writes the value a default gave, with a flag saying so."""
    flag = data[f"{key}_default"]
    if not isinstance(flag, bool):
        raise InputError(f"{key}_default", flag, "true or false")
    return None if flag else data[key]


def _mismatch(path: str, stored: Any, computed: Any) -> InputError:
    return InputError(path, stored, f"the value the arithmetic gives, {shown(computed)} "
                      "(a record whose stored results disagree is refused, never repaired)",
                      kind=ErrorKind.RECORD_MISMATCH)


def agree(stored: Any, computed: Any, path: str = "", *, strict: bool = True) -> None:
    """Raise ``RECORD_MISMATCH`` naming the first field where ``stored`` differs.

    Dicts must have the same keys (a missing or unknown key is named too;
    with ``strict=False``, for an unversioned record, only the keys both have
    are compared); lists the same length; anything else must be equal and of
    the same JSON type (``True`` is not ``1``).
    """
    if isinstance(computed, dict) and isinstance(stored, dict):
        keys = [*computed, *(k for k in stored if k not in computed)]
        if not strict:
            keys = [k for k in computed if k in stored and k != "schema"]
        for key in keys:
            where = f"{path}.{key}" if path else str(key)
            if key not in stored:
                raise InputError(where, None, "a stored value: the record lacks this field",
                                 kind=ErrorKind.RECORD_MISMATCH)
            if key not in computed:
                raise InputError(where, stored[key], "no such field in this record",
                                 kind=ErrorKind.RECORD_MISMATCH)
            agree(stored[key], computed[key], where, strict=strict)
        return
    if isinstance(computed, list) and isinstance(stored, list):
        if len(stored) != len(computed):
            raise _mismatch(path or "record", f"{len(stored)} items", f"{len(computed)} items")
        for i, (s, c) in enumerate(zip(stored, computed, strict=True)):
            agree(s, c, f"{path}[{i}]", strict=strict)
        return
    if type(stored) is not type(computed) or stored != computed:
        raise _mismatch(path or "record", stored, computed)


def _where(trail: tuple[Any, ...] | None) -> str:
    """``steps[2].count`` from the trail ``("count", (2, ("steps", None)))``."""
    keys: list[Any] = []
    while trail is not None:
        key, trail = trail
        keys.append(key)
    text = ""
    for key in reversed(keys):
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else str(key)
    return text or "data"


def screened(data: Any) -> Any:
    """``data``, checked to be a record's structure before any class reads it.

    Raises
    ------
    InputError
        Naming the first field (``steps[2].count``) that is not a JSON value
        (a dict with text keys, a list, text, true/false, null, a finite number,
        an integer below :data:`MAX_INT`), or nests past :data:`MAX_DEPTH`.
    """
    stack: list[tuple[Any, int, tuple[Any, ...] | None]] = [(data, 0, None)]
    while stack:
        value, depth, trail = stack.pop()
        if isinstance(value, (dict, list, tuple)):
            if depth >= MAX_DEPTH:
                raise InputError(_where(trail), value, f"a record nested at most {MAX_DEPTH} "
                                 "deep (no record nests deeper)")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                if isinstance(value, dict) and not isinstance(key, str):
                    raise InputError(_where(trail), key, "text keys only (JSON objects)")
                of = type(child)  # the common scalars pass here, without a stack entry
                if child is None or of is str or of is bool or (
                        of is float and child - child == 0.0) or (
                        of is int and -MAX_INT < child < MAX_INT):
                    continue
                stack.append((child, depth + 1, (key, trail)))
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InputError(_where(trail), value, "a finite number (JSON has no NaN or "
                                 "Infinity)")
        elif isinstance(value, int) and not isinstance(value, bool):
            if not -MAX_INT < value < MAX_INT:
                raise InputError(_where(trail), value, "an integer below 2**63 in size")
        elif value is not None and not isinstance(value, (str, bool)):
            raise InputError(_where(trail), value, "a JSON value (a dict, list, text, number, "
                             "true, false or null)")
    return data


def parsed(text: Any, what: str) -> Any:
    """JSON ``text`` (str or bytes) as Python values (:func:`read` screens them).

    Raises
    ------
    InputError
        ``text`` is not JSON, holds NaN, Infinity or a number that overflows a
        float (``1e400``), or nests past what the parser can read.
    """
    def refuse(token: str) -> Any:
        raise InputError("text", token, "finite numbers (JSON has no NaN or Infinity)")

    def number(token: str) -> float:
        value = float(token)
        if not math.isfinite(value):
            raise InputError("text", token, "a number a float holds (below 1e308 in size)")
        return value

    try:
        data = json.loads(text, parse_constant=refuse, parse_float=number)
    except InputError:
        raise
    except RecursionError:
        raise InputError("text", text, f"JSON nested at most {MAX_DEPTH} deep") from None
    except (ValueError, TypeError) as exc:
        raise InputError("text", text, f"JSON text of {what}") from exc
    return data


def read(cls: type[T], data: Any, build: Callable[[dict[str, Any]], T]) -> T:
    """Check ``data``'s structure and schema, rebuild it with ``build``, refuse any
    disagreement."""
    name = cls.RECORD
    screened(data)
    if not isinstance(data, dict):
        raise InputError("data", data, f"a {name} record (a dict from to_dict())")
    want = schema_id(name)
    legacy = "schema" not in data
    # A dict written before records were versioned (0.1) is read from its inputs; the
    # results it stores are checked, the ones it lacks are not asked for.
    kept = {*data, *(new for old, new in cls.RENAMED.items() if old in data)}
    data = cls._upgrade(dict(data))
    if not legacy and data["schema"] != want:
        raise InputError("schema", data["schema"], f"{want!r} (a {name} record of this "
                         "version)", kind=ErrorKind.RECORD_MISMATCH)
    try:
        built = build(data)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise InputError("data", data, f"a {name} record with every input field "
                         f"({type(exc).__name__}: {shown(exc.args[0] if exc.args else '')})"
                         ) from exc
    except LdnCompoundError as exc:
        if isinstance(exc, InputError):
            raise
        # No record holds inputs the arithmetic refuses (measure raised instead of writing
        # one): refused as the record, keeping the refusal's kind and the error as cause.
        raise InputError("data", data, f"a {name} record of inputs the arithmetic accepts "
                         f"({exc})", kind=exc.kind) from exc
    stored = {k: v for k, v in data.items() if k in kept} if legacy else data
    agree(_plain(stored), _plain(built.to_dict()), strict=not legacy)
    return built


def _plain(data: Any) -> Any:
    """``data`` as JSON would give it back (tuples as lists), to compare like with like:
    a stored record has passed :func:`screened` (JSON values only, nested at most
    MAX_DEPTH deep), and a computed one is the library's own ``to_dict``."""
    return json.loads(json.dumps(data))


def record_class(name: str) -> type[Record]:
    """The class whose records are named ``name`` (``"schedule"`` -> Schedule)."""
    try:
        return _CLASSES[name]
    except KeyError:
        raise InputError("schema", name, f"one of the record names {sorted(_CLASSES)}",
                         kind=ErrorKind.RECORD_MISMATCH) from None


def upgrade(data: Any) -> Any:
    """A nested record upgraded by the class its ``type`` (or ``schema``) names."""
    if not isinstance(data, dict):
        return data
    tag = data.get("schema")
    name = tag.removeprefix(SCHEMA_PREFIX).partition("@")[0] if isinstance(tag, str) \
        else data.get("type")
    cls = _CLASSES.get(name) if isinstance(name, str) else None
    return data if cls is None else cls._upgrade(dict(data))


def load(data: Any) -> Record:
    """Any record, read by the class its ``"schema"`` names (see :meth:`Record.from_dict`)."""
    tag = data.get("schema") if isinstance(data, dict) else None
    name, _, version = tag.removeprefix(SCHEMA_PREFIX).partition("@") \
        if isinstance(tag, str) and tag.startswith(SCHEMA_PREFIX) else ("", "", "")
    if not name or version != str(VERSION):
        raise InputError("schema", tag, f"'{SCHEMA_PREFIX}<record>@{VERSION}'",
                         kind=ErrorKind.RECORD_MISMATCH)
    return record_class(name).from_dict(data)


class Record:
    """Mixin: ``to_json``, ``from_dict`` and ``from_json`` from one ``to_dict``.

    A class names its record in ``RECORD`` and rebuilds itself from a record's
    inputs in ``_from_record``; reading checks everything else.
    """

    __slots__ = ()
    #: The record's name in its ``"schema"`` field.
    RECORD: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.RECORD and cls.__dict__.get("RECORD"):
            _CLASSES[cls.RECORD] = cls

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    @classmethod
    def _from_record(cls: type[T], data: dict[str, Any]) -> T:  # pragma: no cover
        raise NotImplementedError

    #: Keys renamed in 0.2 (old -> new): a dict with the old key is read as the new one.
    RENAMED: ClassVar[dict[str, str]] = {}
    #: Inputs an unversioned (0.1) dict may lack, with the value 0.1 took for them.
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    #: Keys holding nested records (or lists of them) of classes named by their ``type``.
    NESTED: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` with old keys renamed (nested records too) and, unversioned, defaults."""
        for old, new in cls.RENAMED.items():
            if old in data and new not in data:
                data[new] = data.pop(old)
        if "schema" not in data:
            data = {**cls.DEFAULTS, **data}
        for key in cls.NESTED:
            value = data.get(key)
            data[key] = [upgrade(v) for v in value] if isinstance(value, list) \
                else upgrade(value)
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The :meth:`to_dict` record as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        """Rebuild from a :meth:`to_dict` record; refuse it if a stored result disagrees.

        Raises
        ------
        InputError
            ``kind`` ``RECORD_MISMATCH`` naming the field (``parameter``) whose
            stored value differs from the recomputed one, or the ``schema`` of
            another record type or version; ``INVALID`` when inputs are missing.
        """
        return read(cls, data, cls._from_record)

    @classmethod
    def from_json(cls: type[T], text: str | bytes) -> T:
        """:meth:`from_dict` of JSON text from :meth:`to_json`."""
        return cls.from_dict(parsed(text, f"a {cls.RECORD} record"))
