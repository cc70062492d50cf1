"""The front door for free text: names, fillers, directions, anything printed.

One rule, for every surface (Python arguments, records read back, HTTP bodies,
command lines): free text is one line of printable characters, short enough to
read. Any character Python does not call printable is refused -- Unicode
categories Cc (controls: ``\\n``, ``\\r``, tab, U+0085), Cf (format: the bidi
overrides U+202A-U+202E and U+2066-U+2069, zero-width characters), Zl and Zp
(U+2028, U+2029), Cs (lone surrogates: undecodable bytes), Co and Cn (private
and unassigned), and every space but the ASCII one. So no accepted text can
start a new line in a printed plan, reorder what is printed around it, or hide
what it says. The check is :func:`check_text`, called by every constructor that
keeps text (attrs converters), so a record read back passes it too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .errors import InputError

__all__ = ["MAX_ID", "MAX_LABEL", "MAX_NAME", "MAX_PROSE", "check_identifier", "check_text"]

#: Longest name (drug, filler, schedule, patient reference), in characters.
MAX_NAME = 100
#: Longest prose (directions on a label), in characters.
MAX_PROSE = 300
#: Longest identifier (a batch or lot number), in characters.
MAX_ID = 40
#: An identifier: a letter or digit, then letters, digits and - / . _ # (no spaces, so no
#: sentence can ride on it into a label: "7. Take 10 mL" is refused).
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/._#]*")
#: Longest label (directions and a line per dose change, 180 days of them), in characters.
MAX_LABEL = 200_000


def _refused(c: str) -> str:
    """How a refused character is named in the message: ``U+202E (Cf)``."""
    return f"U+{ord(c):04X} ({unicodedata.category(c)})"


def check_text(value: Any, parameter: str, *, example: str, limit: int = MAX_NAME) -> str:
    """``value`` if it is one line of printable text, stripped of outer spaces.

    Parameters
    ----------
    value : str
        The text as the caller wrote it.
    parameter : str
        The caller's name for it, used in the error.
    example : str
        What would work, e.g. ``"'microcrystalline cellulose'"``.
    limit : int, default MAX_NAME  [count]
        Most characters allowed.

    Returns
    -------
    str
        The text with leading and trailing ASCII spaces removed; never empty.

    Raises
    ------
    InputError
        Not a string, empty, longer than ``limit``, or holding a character
        that is not printable (a line or paragraph break, a control or format
        character such as a bidi override, a lone surrogate, a space other
        than U+0020).
    """
    what = f"one line of printable text of at most {limit} characters, such as {example}"
    if not isinstance(value, str):
        raise InputError(parameter, value, f"{what} (text, not {type(value).__name__})")
    text = str.__str__(value).strip(" ")  # a str subclass read as plain text
    if len(text) > limit:
        raise InputError(parameter, text, f"{what} (this is {len(text):,})")
    if not text:
        raise InputError(parameter, value, f"{what} (this is empty)")
    if not text.isprintable():
        bad = next(c for c in text if not c.isprintable())
        raise InputError(parameter, text, f"{what}; {_refused(bad)} is not printable text "
                         "(no line breaks, tabs, control or direction characters)")
    return text


def check_identifier(value: Any, parameter: str, *, example: str) -> str:
    """``value`` if it is a batch or lot number: :func:`check_text`, then a letter or digit
    followed by letters, digits and ``- / . _ #``, no spaces, at most :data:`MAX_ID`.

    Parameters
    ----------
    value : str
        The identifier as the caller wrote it.
    parameter : str
        The caller's name for it, used in the error.
    example : str
        What would work, e.g. ``"'B-2026-001'"``.

    Returns
    -------
    str
        The identifier, stripped of outer spaces.

    Raises
    ------
    InputError
        As :func:`check_text`, or holding a space or another character than those above
        (an identifier printed on a label can never read as a direction).
    """
    text = check_text(value, parameter, example=example, limit=MAX_ID)
    if _IDENTIFIER.fullmatch(text) is None:
        raise InputError(parameter, text, f"an identifier such as {example}: letters, digits "
                         "and - / . _ #, starting with a letter or digit, no spaces")
    return text
