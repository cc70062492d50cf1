"""Fuzz of the command line, in-process: any command line ends in 0, 2 or 3, never a traceback.

Flags come from each command's real parser; values are valid clinical text, unicode,
control characters, huge exponents, numbers of many digits and long strings. A bad
command line must answer with one stderr line, within a second.
"""

import contextlib
import io
import json
import signal
import tempfile
from pathlib import Path

import pytest
from cli_helpers import parser_options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ldn_compound as lc
from ldn_compound.cli import main
from ldn_compound.cli._main import COMMANDS


def _batch_files():
    """A master formulation record and a batch's entries, as files batch-record reads."""
    master = lc.master_formulation(lc.Stock.from_tablets("50 mg", "20 mL", 2))
    folder = Path(tempfile.mkdtemp(prefix="ldn-fuzz-"))
    (folder / "m.json").write_text(master.to_json(), encoding="utf-8")
    (folder / "e.json").write_text(json.dumps({
        "batch": "B-1", "date": "2026-12-06", "preparer": "A", "verifier": "B",
        "components": {k: {"manufacturer": "M", "lot": "L", "expiry": "2027-01-01"}
                       for k in ("drug", "vehicle")},
        "measured": {"tablets": "2", "final volume": "20 mL"}, "appearance": "pass"}),
        encoding="utf-8")
    return ["--master", str(folder / "m.json"), "--entries", str(folder / "e.json")]


#: a valid command line per command, so random flags also reach the arithmetic
VALID = {
    "measure": ["--tablet", "50 mg", "--volume", "10 mL", "--dose", "4.5 mg", "--dropper", "20"],
    "schedule": ["--preset", "drops-18"],
    "presets": [],
    "dilute": ["--dose", "1 mcg", "--tablet", "50 mg"],
    "triturate": ["--dose", "50 mcg"],
    "titrate": ["--start", "1.5 mg", "--step", "0.5 mg", "--target", "4.5 mg", "--every",
                "2 weeks", "--tablet", "50 mg", "--volume", "10 mL", "--dropper", "20"],
    "taper": ["--start", "4.5 mg", "--floor", "3 mg", "--every", "14 days", "--reduction",
              "10 %", "--tablet", "50 mg", "--volume", "10 mL", "--syringe", "1 mL"],
    "formulation": ["--tablet", "50 mg", "--count", "2", "--volume", "20 mL"],
    "batch-record": _batch_files(),
}
CLINICAL = ["4.5 mg", "1 mcg", "10 mL", "1 mL", "0.01 mL", "20", "2", "0.5", "0.1", "10 %",
            "10", "2 weeks", "7 days", "none", "2026-01-01", "drops-18", "nearest", "A",
            "100", "0", "-1", "1/2", "4.5 MG", "45 mg", "4.5 mg%", "0.05 gr"]


#: `serve` runs until stopped; tests/serve/test_cli_serve.py covers its flags
FUZZED = sorted(set(COMMANDS) - {"serve"})
OPTIONS = {name: parser_options(name) for name in FUZZED}

values = st.one_of(
    st.sampled_from(CLINICAL),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8).map(lambda t: "4.5" + t),
    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=6),
    st.integers(-10**6, 10**9).map(lambda e: f"1e{e} mg"),
    st.integers(9, 6000).map(lambda n: "9" * n),
    st.integers(200, 40_000).map(lambda n: "4.5 m" + " " * n + "x"),
    st.text(min_size=250, max_size=300),
)


@st.composite
def command_lines(draw):
    """A command, maybe its valid base line, then random flags (repeats allowed)."""
    command = draw(st.sampled_from(FUZZED))
    argv = [command, *(VALID[command] if draw(st.booleans()) else [])]
    for _ in range(draw(st.integers(0, 4))):
        flag, takes_value = draw(st.sampled_from(OPTIONS[command]))
        argv += [flag, draw(values)] if takes_value else [flag]
    return argv


def _timeout(signum, frame):
    raise TimeoutError("command line ran past 5 s")


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Load pint and the parsers once, so the alarm times the command, not the imports."""
    with contextlib.redirect_stdout(io.StringIO()):
        for command, argv in VALID.items():
            main([command, *argv])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command_lines())
def test_any_command_line_ends_in_0_2_or_3(argv):
    """Any command line exits 0, 2 or 3; non-zero with one stderr line; never hangs (an
    alarm after 5 s: a guard against runaway work, not a timing claim)."""
    out, err = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(5)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert status in (0, 2, 3), (argv, err.getvalue())
    if status != 0:
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ldn-compound"), (argv, lines)
        assert "Traceback" not in lines[0]
