"""Command line: ``ldn-compound COMMAND [options]``.

The console script ``ldn-compound`` and ``python -m ldn_compound`` call
:func:`main`. Behind it: ``_main`` (the parser, dispatch and exit statuses),
``_flags`` (the one map from library parameter to flag, strict flags, safe
echo) and one private module per command (``_measure``, ``_schedule``,
``_dilute``, ``_triturate``, ``_presets``), each imported only when used, so
the common string-in, text-out path starts fast (no pint, no numpy).

Exit status: 0 done; 2 bad input (one line on stderr naming the flag and what
was expected, no traceback); 3 a dose that cannot be measured, no plan, or any
printed result flagged (a measurement, a schedule or plan step: exit 3 even with
``--allow-flagged``); 70 an internal error (a bug: one line, please report it).
"""

from ._main import main

__all__ = ["main"]
