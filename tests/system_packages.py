"""System programs the README's two commands cannot install (Debian's headless Chromium).

A test module that needs one calls :func:`require_system_program` at import: without the
program it is skipped with a reason naming the command that installs it, except under
``CI=true``, where the missing program fails the run, so CI never passes with those tests
skipped.
"""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    """True when the suite runs in CI (``CI`` set to anything but empty, ``0`` or ``false``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_system_program(name: str, install: str) -> str:
    """The path of program ``name``; skip (fail in CI) saying ``install`` when it is absent."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}")
                                  else None)
    if path is not None:
        return path
    reason = f"{name} is not installed: run `{install}` (as root) to run these tests"
    if in_ci():
        pytest.fail(f"CI=true requires {name}: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
    raise AssertionError("unreachable")  # pragma: no cover
