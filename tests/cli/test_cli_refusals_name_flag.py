"""Bad command lines exit 2 with one stderr line that names, as ``FLAG:``, the flag typed.

Also: an argument the locale cannot decode names its own flag (``--dose=<bytes>``) and is
cut to one short line; a mistyped command echoes the word typed; ``serve`` hands the
server the host and port given, with no server header.
"""

import json

import pytest

import ldn_compound as lc
from ldn_compound.cli import main

STOCK = ["--tablet", "50 mg", "--volume", "10 mL"]
TAPER = ["taper", "--start", "4.5 mg", "--floor", "1 mg", "--every", "14 days",
         "--reduction", "25 %", *STOCK, "--syringe", "1 mL"]
SCHEDULE = ["schedule", *STOCK, "--dropper", "20"]


def refusal(argv, capsys):
    """Run ``argv``; its exit status and its one stderr line (nothing on stdout)."""
    status = main(argv)
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in out.err, out.err
    return status, lines[0]


def _without(argv, *flags):
    """``argv`` without each of ``flags`` and the value after it."""
    out = list(argv)
    for flag in flags:
        i = out.index(flag)
        del out[i:i + 2]
    return out


# (command line, the flag the error is about)
REFUSED = [
    ([*SCHEDULE, "--every", "2 weeks", "--step", "0.5 mg", "--target", "4.5 mg"], "--start"),
    ([*SCHEDULE, "--start", "1 mg", "--step", "0.5 mg", "--target", "4.5 mg"], "--every"),
    ([*SCHEDULE, "--start", "1 mg", "--every", "2 weeks", "--target", "4.5 mg"], "--step"),
    ([*SCHEDULE, "--start", "1 mg", "--every", "2 weeks", "--step", "0.5 mg"], "--target"),
    (_without(TAPER, "--reduction"), "--reduction"),
    (_without(TAPER, "--syringe"), "--syringe"),
    ([*TAPER, "--usual-max", "10 mg"], "--usual-max"),
    ([*TAPER, "--solubility", "10 mg/mL"], "--solubility"),
    ([*TAPER, "--drug-name", "baclofen"], "--usual-max"),
    ([*TAPER, "--drug-name", "baclofen", "--usual-max", "ten"], "--usual-max"),
    ([*_without(TAPER, "--syringe"), "--dropper", "20", "--graduation", "0.01 mL"],
     "--graduation"),
    ([*_without(TAPER, "--floor"), "--target", "9 mg", "--to-zero"], "--to-zero"),
    ([*TAPER, "--dilutions", "2,x"], "--dilutions"),
    ([*TAPER, "--emax", "90 %"], "--ed50"),
    ([*TAPER, "--ed50", "1 mg"], "--emax"),
    (["measure", "--tablet", "50 mg", "--dose", "1 mg", "--dropper", "20",
      "--volume-tolerance", "0.02"], "--volume-tolerance"),
    (["measure", "--drug", "50 mg", "--dose", "1 mg", "--dropper", "20"], "--volume"),
    (["measure", "--drug", "1 mg/mL", "--volume", "10 mL", "--dose", "1 mg", "--dropper",
      "20"], "--drug"),
    (["measure", "--volume", "10 mL", "--dose", "1 mg", "--dropper", "20"], "--tablet"),
    (["measure", *STOCK, "--dose", "1 mg"], "--dropper"),
    (["triturate", "--dose", "50 mcg", "--purity", "2"], "--purity"),
    (["triturate", "--dose", "50 mcg", "--fill", "200 mL"], "--fill"),
    (["formulation", "--tablet", "50 mg", "--volume", "10 mL", "--purity", "0.9"], "--purity"),
    (["formulation", "--from", "/nonexistent/ldn-record.json"], "--from"),
    (["formulation", "--from", "/nonexistent/ldn-record.json", *STOCK], "--from"),
    (["batch-record", "--master", "/nonexistent/m.json", "--entries", "e.json"], "--master"),
]
#: (command line, the required flag it lacks)
MISSING = [
    (["triturate"], "--dose"),
    (["triturate", "--capsules", "10"], "--dose"),
    (["triturate", "--capsules=10"], "--dose"),  # a known flag written FLAG=VALUE is no typo
    (["batch-record", "--master", "m.json"], "--entries"),
    (["batch-record", "--entries", "e.json"], "--master"),
    (["taper", *TAPER[3:]], "--start"),
    (_without(TAPER, "--every"), "--every"),
    (_without(TAPER, "--floor"), "--floor --target"),
    (["measure", *STOCK, "--dropper", "20"], "--dose"),
]


@pytest.mark.parametrize(("argv", "flag"), REFUSED, ids=[f for _, f in REFUSED])
def test_bad_command_line_names_its_flag(argv, flag, capsys):
    """Each bad command line exits 2, its one error line about the flag typed."""
    status, line = refusal(argv, capsys)
    assert status == 2
    assert f"error: {flag}:" in line or f"argument {flag}" in line, line


@pytest.mark.parametrize(("argv", "flag"), MISSING, ids=[f for _, f in MISSING])
def test_required_flag_missing(argv, flag, capsys):
    """A command line without a required flag exits 2 naming it as required."""
    status, line = refusal(argv, capsys)
    assert status == 2
    assert "required" in line and flag in line, line


def test_batch_record_refuses_a_master_that_is_not_one(tmp_path, capsys):
    """--master holding another record (a stock's) is refused naming --master; --entries that
    are not JSON, naming --entries."""
    master = lc.master_formulation(lc.Stock.from_tablets("50 mg", "20 mL", 2))
    (tmp_path / "stock.json").write_text(lc.Stock.from_tablets("50 mg", "20 mL").to_json(),
                                         "utf-8")
    (tmp_path / "m.json").write_text(master.to_json(), "utf-8")
    (tmp_path / "e.json").write_text("{not json", "utf-8")
    for master_file, flag in (("stock.json", "--master"), ("m.json", "--entries")):
        status, line = refusal(["batch-record", "--master", str(tmp_path / master_file),
                                "--entries", str(tmp_path / "e.json")], capsys)
        assert status == 2 and f"error: {flag}:" in line, line


@pytest.mark.parametrize(("argv", "where"), [
    (["measure", "--dose=\udcff"], "--dose"),
    (["measure", "--dose", "\udcff"], "--dose"),
    (["measure", "\udcff"], "argument 2"),
    (["\udcff", "--json"], "argument 1"),
    (["measure", "--dose=4.5 mg", "--tablet=5\udcff"], "--tablet"),
])
def test_undecodable_argument_names_its_flag(argv, where, capsys):
    """Bytes the locale cannot decode exit 2 naming the flag they were given to (or their
    place), before any parsing."""
    status, line = refusal(argv, capsys)
    assert status == 2 and f"error: {where}:" in line, line
    assert "\\xff" in line  # the bytes as typed


def test_undecodable_argument_with_a_long_flag_is_cut(capsys):
    """A flag name of 100 characters before undecodable bytes is echoed cut to 60."""
    flag = "--" + "x" * 98
    status, line = refusal(["measure", f"{flag}=\udcff"], capsys)
    assert status == 2
    assert flag[:60] in line and flag[:61] not in line


def test_value_length_limit_is_the_front_doors(capsys):
    """A value of exactly the limit's length is read (--dilutions padded with spaces, a
    flag only the command line reads); one character more is refused, naming the flag."""
    from ldn_compound.cli._flags import MAX_VALUE_LENGTH

    dilutions = "2,4,5,10".ljust(MAX_VALUE_LENGTH)
    printed = []
    for argv in ([*TAPER, "--dilutions", dilutions, "--json"], [*TAPER, "--json"]):
        capsys.readouterr()
        assert main(argv) == 0
        printed.append(json.loads(capsys.readouterr().out))
    assert printed[0] == printed[1]  # the same plan as the default dilutions
    status, line = refusal([*TAPER, "--dilutions", dilutions + " "], capsys)
    assert status == 2 and "--dilutions" in line


def test_unknown_flag_is_refused_by_its_command(capsys):
    """An unknown flag after a good command line is refused by that command, offering the
    closest flag it has."""
    status, line = refusal(["measure", *STOCK, "--dose", "1 mg", "--dropper", "20",
                            "--dsoe", "1"], capsys)
    assert status == 2
    assert line.startswith("ldn-compound measure: error:") and "--dsoe" in line
    assert "--dose?" in line
    status, line = refusal(["--dsoe=1", "measure", *STOCK, "--dose", "1 mg", "--dropper", "20"],
                           capsys)
    assert status == 2 and line.startswith("ldn-compound measure: error:") and "--dose?" in line


@pytest.mark.parametrize("typed", ["mesure", "scedule", "taperr"])
def test_mistyped_command_echoes_the_word(typed, capsys):
    """A mistyped command exits 2, echoing the word typed and offering the closest command."""
    status, line = refusal([typed, "--json"], capsys)
    assert status == 2 and f"'{typed}'" in line


def test_serve_hands_uvicorn_the_host_and_port(monkeypatch):
    """serve starts uvicorn on the host and port given, logging at info, with no Server header
    and bounded concurrency and keep-alive."""
    uvicorn = pytest.importorskip("uvicorn")
    pytest.importorskip("fastapi")
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    assert main(["serve", "--host", "localhost", "--port", "8123",
                 "--cors-origin", "https://pharmacy.example"]) == 0
    (app, kw), = calls
    assert kw == {"host": "localhost", "port": 8123, "log_level": "info",
                  "server_header": False, "limit_concurrency": 64, "timeout_keep_alive": 5}
    assert callable(app)


def test_formulation_refuses_from_with_stock_options(tmp_path, capsys):
    """--from with the stock options is refused naming --from (one source, not two)."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps({}), "utf-8")
    status, line = refusal(["formulation", "--from", str(path), "--volume", "10 mL"], capsys)
    assert status == 2 and "error: --from:" in line
