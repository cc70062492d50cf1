"""Tests of the command line (ldn-compound)."""

import json
import subprocess
import sys

import pytest
from cli_helpers import assert_one_line_error, with_flags

from ldn_compound.cli import main

BASE = ["measure", "--tablet", "50 mg", "--volume", "10 mL", "--dose", "4.5 mg"]


def test_no_arguments_prints_worked_example(capsys):
    """ldn-compound with no arguments prints the worked example: 4.5 mg is 18 drops."""
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "measure 18 drops (0.9 mL)" in out
    assert "does not prescribe" in out


def test_measure_text(capsys):
    """The measure command prints concentration, per-drop dose, drops, volume and bounds."""
    assert main([*BASE, "--dropper", "20"]) == 0
    out = capsys.readouterr().out
    for needle in ("5 mg/mL", "Dose per drop:     0.25 mg", "18 drops (0.9 mL)",
                   "Delivered:         4.5 mg", "Rounding error:    0 %",
                   "Worst-case bounds: 3.609 to 5.5 mg"):
        assert needle in out


def test_measure_json(capsys):
    """--json prints the same result as JSON, doses as safely written text."""
    assert main([*BASE, "--dropper", "20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 18 and data["volume"] == "0.9 mL" and data["delivered"] == "4.5 mg"
    assert data["concentration"] == "5 mg/mL" and data["dose_per_unit"] == "0.25 mg"


def test_measure_syringe(capsys):
    """--syringe and --graduation measure in mL."""
    assert main(["measure", "--tablet", "50 mg", "--count", "2", "--volume", "100 mL",
                 "--dose", "1.5 mg", "--syringe", "3 mL", "--graduation", "0.1 mL"]) == 0
    assert "1.5 mL (15 graduations of 0.1 mL)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["--dose", "4.5 kg"], 2, "--dose"),
        (["--dose", "5 units"], 2, "--dose"),
        (["--dose", "-1 mg"], 2, "--dose"),
        (["--dose", "4.5"], 2, "--dose"),
        (["--dose", ""], 2, "--dose"),
        (["--volume", "10 mg"], 2, "--volume"),
        (["--tablet", "fifty"], 2, "--tablet"),
        (["--count", "0"], 2, "--count"),
        (["--dropper", "0"], 2, "--dropper"),
        (["--dropper", "abc"], 2, "--dropper"),
        (["--syringe", "1 mL", "--graduation", "0.3 mL"], 2, "--graduation"),
        (["--rounding", "sideways"], 2, "--rounding"),
        (["--bogus", "1"], 2, "unrecognized"),
        (["--dose", "1 mcg"], 3, "Would work"),
        (["--dose", "50 mg"], 2, "decimal slip"),
    ],
)
def test_bad_arguments(args, status, needle, capsys):
    """Bad input: one line on stderr naming the argument, status 2 (3 if unmeasurable)."""
    base = BASE if "--syringe" in args or "--dropper" in args else [*BASE, "--dropper", "20"]
    assert_one_line_error(with_flags(base, args), status, needle, capsys)


def test_missing_device_is_named(capsys):
    """Forgetting --dropper/--syringe is named as the missing argument."""
    assert main(BASE) == 2
    assert "--dropper" in capsys.readouterr().err


def test_console_process_exit_status():
    """As a process: bad input exits 2 with one stderr line and no traceback."""
    r = subprocess.run([sys.executable, "-m", "ldn_compound", *BASE[:-1], "4.5 kg",
                        "--dropper", "20"], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.startswith("ldn-compound: error: --dose") and "Traceback" not in r.stderr


def test_cli_does_not_import_pint_or_numpy():
    """The string-in, text-out path answers without loading pint or numpy."""
    code = ("import sys; from ldn_compound.cli import main; main(" + repr([*BASE, "--dropper",
            "20"]) + "); print('pint' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("False False")


def test_closed_pipe_is_quiet(monkeypatch):
    """A reader that goes away (`ldn-compound ... | head`) ends the command quietly, status 1."""
    import os

    class ClosedPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

        def fileno(self):
            return os.open(os.devnull, os.O_WRONLY)

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main([*BASE, "--dropper", "20"]) == 1


def test_version_prints_the_installed_version(capsys):
    """ldn-compound --version prints 'ldn-compound <installed version>' and exits 0."""
    from importlib import metadata

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"ldn-compound {metadata.version('ldn-compound')}\n"


def test_version_falls_back_to_the_package_version(monkeypatch, capsys):
    """Run from a source tree (no installed metadata), --version prints __version__."""
    from importlib import metadata

    import ldn_compound

    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    monkeypatch.setattr(ldn_compound, "__version__", "9.8.7")
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == "ldn-compound 9.8.7\n"


@pytest.mark.parametrize("module", ["ldn_compound", "ldn_compound.cli"])
def test_version_as_a_process(module):
    """`python -m <module> --version` exits 0 with one line on stdout, nothing on stderr."""
    r = subprocess.run([sys.executable, "-m", module, "--version"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("ldn-compound ") and r.stdout.count("\n") == 1


def test_stock_below_1_ml_with_volume_tolerance(capsys):
    """--volume-tolerance lets a 0.5 mL stock be made (the small-stock rule asks for it)."""
    # 0.4 mg at 2 mg/mL is 0.2 mL, 20 % of the 1 mL syringe: not flagged, so exit 0
    argv = ["measure", "--tablet", "1 mg", "--volume", "0.5 mL", "--dose", "0.4 mg",
            "--syringe", "1 mL"]
    assert main(argv) == 2
    assert "--volume-tolerance" in capsys.readouterr().err
    assert main([*argv, "--volume-tolerance", "0.02"]) == 0
    assert "1 x 1 mg tablet in 0.5 mL (2 mg/mL)" in capsys.readouterr().out
