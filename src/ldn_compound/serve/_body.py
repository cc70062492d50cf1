"""The ONE place a request body becomes JSON data: UTF-8, strict JSON, bounded.

FastAPI's own parsing answers a bare 500 for ``NaN`` (the 422 could not be
encoded) and a framework 400 for bad UTF-8, deep nesting or a 5,000-digit
integer. Here every such body is the library's :class:`InputError`, with the
request field it sits in, so the service answers 422 like any other bad input.
Numbers JSON cannot carry exactly (``NaN``, ``Infinity``, ``1e999``, an integer
of more than :data:`MAX_DIGITS` digits) are refused, never rounded or clipped.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..errors import ErrorKind, InputError

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "UnreadableBody", "read_json"]

#: deepest nesting of objects and lists; a schedule record (the deepest request) is 5 deep
MAX_DEPTH = 32
#: most digits in a JSON integer; no count or record field comes near it
MAX_DIGITS = 30
#: media types read as JSON (a missing Content-Type is read as JSON too)
_JSON_TYPES = ("application/json",)


class UnreadableBody(Exception):
    """A body that is no JSON request: the library's error and the request field it names."""

    def __init__(self, error: InputError, field: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.field = field


class _Refused:
    """A value the parser met but must not pass on: its text and what was expected."""

    __slots__ = ("expected", "text")

    def __init__(self, text: str, expected: str) -> None:
        self.text = text
        self.expected = expected


def _constant(text: str) -> _Refused:
    return _Refused(text, "a finite number (JSON has no NaN or Infinity)")


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Refused(text, "a finite number (this one is beyond the range of a double)")


def _int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_DIGITS:
        return _Refused(text, f"an integer of at most {MAX_DIGITS} digits")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):  # a field given twice: which one is meant is not ours to guess
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                out[key] = _Refused(key, "each field once; this one is given twice")
            seen.add(key)
    return out


def _refuse(parameter: str, value: Any, expected: str, field: str) -> UnreadableBody:
    return UnreadableBody(InputError(parameter, value, expected, kind=ErrorKind.INVALID), field)


def _media_type(content_type: str | None) -> str:
    return (content_type or "application/json").split(";", 1)[0].strip().lower()


def read_json(raw: bytes, content_type: str | None = None) -> Any:
    """The JSON value a request body holds.

    Parameters
    ----------
    raw : bytes
        The whole body (its size is bounded before it gets here).
    content_type : str or None
        The request's Content-Type header; JSON (``application/json`` or
        ``application/...+json``) or none.

    Returns
    -------
    Any
        Objects, lists, text, finite numbers, booleans and null, at most
        :data:`MAX_DEPTH` deep.

    Raises
    ------
    UnreadableBody
        Another media type, bytes that are not UTF-8, text that is not JSON, a
        number JSON cannot carry exactly, a field given twice, a lone surrogate
        in text, or nesting deeper than :data:`MAX_DEPTH`.
    """
    media = _media_type(content_type)
    if media not in _JSON_TYPES and not (media.startswith("application/")
                                         and media.endswith("+json")):
        raise _refuse("content-type", content_type, "application/json", "content-type")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse("body", raw[max(exc.start - 20, 0):exc.start + 20],
                      f"UTF-8 text (byte {exc.start} is not UTF-8)", "body") from None
    if not text.strip():
        raise _refuse("body", text, "a JSON object of the request's fields; the body is empty",
                      "body")
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int,
                           object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise _refuse("body", text[max(exc.pos - 20, 0):exc.pos + 20],
                      f"JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                      "body") from None
    except RecursionError:
        raise _refuse("body", None, f"JSON nested at most {MAX_DEPTH} deep", "body") from None
    _check(value)
    return value


def _check(value: Any) -> None:
    """Raise for the first refused value, lone surrogate or too deep a nesting, in order."""
    stack: list[tuple[Any, tuple[str, ...], int]] = [(value, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        field = ".".join(path) or "body"
        parameter = next((p for p in reversed(path) if not p.isdigit()), "body")
        if isinstance(node, _Refused):
            raise _refuse(parameter, node.text, node.expected, field)
        if isinstance(node, str) and not _is_unicode(node):
            raise _refuse(parameter, node, "text of Unicode characters (a lone surrogate "
                          "such as \\ud800 is not one)", field)
        children: list[tuple[str, Any]] = []
        if isinstance(node, dict):
            for key in node:
                if not _is_unicode(key):
                    raise _refuse("body", key, "field names of Unicode characters", field)
            children = list(node.items())
        elif isinstance(node, list):
            children = [(str(i), v) for i, v in enumerate(node)]
        if isinstance(node, (dict, list)) and depth >= MAX_DEPTH:
            raise _refuse(parameter, None, f"JSON nested at most {MAX_DEPTH} deep", field)
        stack.extend((child, (*path, key), depth + 1) for key, child in reversed(children))


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
