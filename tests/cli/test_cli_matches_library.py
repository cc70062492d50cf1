"""Each command prints what the library computes from the same values, its defaults included.

A command line and the equivalent library call (made here, with the library's own
defaults where the command line gives no flag) must print the same record; each
option given must reach the call with the value typed.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ldn_compound as lc
from ldn_compound.cli import main
from ldn_compound.compounding import compounding_record
from ldn_compound.drugs import Drug
from ldn_compound.errors import UnmeasurableDoseError
from ldn_compound.multistock import Occupancy, plan_taper
from ldn_compound.presets import PRESETS
from ldn_compound.records import from_json
from ldn_compound.trituration import plan_trituration

TABLETS = ["--tablet", "50 mg", "--count", "2", "--volume", "20 mL"]
POWDER = ["--drug", "200 mg", "--volume", "100 mL"]
TAPER = ["taper", "--start", "4.5 mg", "--floor", "1 mg", "--every", "14 days",
         "--reduction", "25 %", "--tablet", "50 mg", "--volume", "10 mL"]


def _stock():
    return lc.Stock.from_tablets("50 mg", "20 mL", 2)


def _powder():
    return lc.Stock(drug="200 mg", volume="100 mL")


def _taper_stock():
    return lc.Stock.from_tablets("50 mg", "10 mL")


def _taper(devices, **options):
    return plan_taper("4.5 mg", "1 mg", "14 days", _taper_stock(), devices, reduction="25 %",
                      **options)


def printed(argv, capsys, status=0):
    """What ``argv`` prints on stdout, checked to exit with ``status`` and print no error."""
    assert main(argv) == status
    out = capsys.readouterr()
    assert out.err == ""
    return out.out


# (command line, the library's result for it: an object with to_json)
SAME = [
    (["formulation", *TABLETS], lambda: lc.master_formulation(_stock())),
    (["formulation", *POWDER], lambda: lc.master_formulation(_powder())),
    (["formulation", *POWDER, "--purity", "0.99"],
     lambda: lc.master_formulation(_powder(), purity="0.99")),
    (["formulation", *POWDER, "--sensitivity", "1 mg", "--allowed-error", "0.02"],
     lambda: lc.master_formulation(_powder(), sensitivity="1 mg", allowed_error="0.02")),
    (["formulation", *POWDER, "--powder", "base", "--bud", "30 days"],
     lambda: lc.master_formulation(_powder(), powder="base", bud="30 days")),
    (["formulation", *TABLETS, "--preparation", "aqueous_preserved"],
     lambda: lc.master_formulation(_stock(), preparation="aqueous_preserved")),
    (["formulation", "--drug", "150 mg", "--volume", "25 mL", "--content-tolerance", "0.05",
      "--volume-tolerance", "0.02"],
     lambda: lc.master_formulation(lc.Stock(drug="150 mg", volume="25 mL",
                                            content_tolerance="0.05",
                                            volume_tolerance="0.02"))),
    (["formulation", "--concentration", "2 mg/mL", "--volume", "70 mL"],
     lambda: lc.master_formulation(lc.Stock.from_concentration("2 mg/mL", "70 mL"))),
    (["formulation", "--capsule", "4.5 mg", "--count", "3", "--volume", "30 mL"],
     lambda: lc.master_formulation(lc.Stock.from_capsules("4.5 mg", "30 mL", 3))),
    (["triturate", "--dose", "50 mcg"], lambda: plan_trituration("50 mcg")),
    (["triturate", "--dose", "50 mcg", "--capsules", "60", "--fill", "300 mg",
      "--dose-as", "base", "--powder", "base", "--purity", "0.98", "--sensitivity", "1 mg",
      "--allowed-error", "0.1", "--filler", "lactose", "--max-mixture", "20 g"],
     lambda: plan_trituration("50 mcg", capsules="60", fill="300 mg", dose_as="base",
                              powder="base", purity="0.98", sensitivity="1 mg",
                              allowed_error="0.1", filler="lactose", max_mixture="20 g")),
    (["measure", "--drug", "50 mg", "--volume", "20 mL", "--dose", "1.5 mg", "--dropper", "20"],
     lambda: lc.measure("1.5 mg", lc.Stock(drug="50 mg", volume="20 mL"),
                        lc.Dropper(drops_per_mL=20))),
    ([*TAPER, "--syringe", "1 mL"], lambda: _taper([lc.OralSyringe(capacity="1 mL")])),
    ([*TAPER, "--syringe", "1 mL", "--graduation", "0.05 mL"],
     lambda: _taper([lc.OralSyringe(capacity="1 mL", graduation="0.05 mL")])),
    ([*TAPER, "--syringe", "1 mL", "--to-zero"],
     lambda: _taper([lc.OralSyringe(capacity="1 mL")], to_zero=True)),
    ([*TAPER, "--dropper", "20", "--syringe", "1 mL"],
     lambda: _taper([lc.Dropper(drops_per_mL=20), lc.OralSyringe(capacity="1 mL")])),
    ([*TAPER, "--syringe", "1 mL", "--max-cut-error", "0.2", "--dilutions", "2,10",
      "--preparation", "aqueous_preserved", "--start-date", "2026-01-05"],
     lambda: _taper([lc.OralSyringe(capacity="1 mL")], max_cut_error="0.2", dilutions=(2, 10),
                    preparation="aqueous_preserved", start_date="2026-01-05")),
    ([*TAPER, "--syringe", "1 mL", "--drug-name", "baclofen", "--usual-max", "80 mg",
      "--solubility", "100 mg/mL"],
     lambda: _taper([lc.OralSyringe(capacity="1 mL")],
                    drug=Drug("baclofen", "80 mg", solubility="100 mg/mL"))),
    ([*TAPER[:7], "--emax", "90 %", "--ed50", "1 mg", "--occupancy-step", "5 %",
      *TAPER[9:], "--syringe", "1 mL"],
     lambda: plan_taper("4.5 mg", "1 mg", "14 days", _taper_stock(),
                        [lc.OralSyringe(capacity="1 mL")], occupancy=Occupancy("90 %", "1 mg"),
                        occupancy_step="5 %")),
]


@pytest.mark.parametrize(("argv", "library"), SAME, ids=[" ".join(a[:4]) for a, _ in SAME])
def test_command_prints_the_librarys_record(argv, library, capsys):
    """The command's --json is the library's record for the same values; exit 0 or 3 as
    the library's verdict says."""
    expected = library()
    flagged = getattr(expected, "flagged", not getattr(expected, "ok", True))
    out = printed([*argv, "--json"], capsys, 3 if flagged else 0)
    assert json.loads(out) == json.loads(expected.to_json())


def test_formulation_from_a_record_file(tmp_path, capsys):
    """--from reads the record in the file named and writes its master formulation."""
    source = plan_trituration("50 mcg")
    path = tmp_path / "plan.json"
    path.write_text(source.to_json(), "utf-8")
    out = printed(["formulation", "--from", str(path), "--json"], capsys)
    assert json.loads(out) == json.loads(
        lc.master_formulation(from_json(source.to_json())).to_json())


def _batch(tmp_path, measured_tablets="2"):
    master = lc.master_formulation(_stock())
    entries = {"batch": "B-7", "date": "2026-12-06", "preparer": "A", "verifier": "B",
               "components": {k: {"manufacturer": "M", "lot": "L1", "expiry": "2027-01-01"}
                              for k in ("drug", "vehicle")},
               "measured": {"tablets": measured_tablets, "final volume": "20 mL"},
               "appearance": "pass"}
    (tmp_path / "m.json").write_text(master.to_json(), "utf-8")
    (tmp_path / "e.json").write_text(json.dumps(entries), "utf-8")
    argv = ["batch-record", "--master", str(tmp_path / "m.json"),
            "--entries", str(tmp_path / "e.json")]
    return argv, compounding_record(master, entries)


@pytest.mark.parametrize("tablets", ["2", "3"])
def test_batch_record_checks_the_entries_given(tmp_path, capsys, tablets):
    """batch-record checks the --entries file against the --master record: the library's
    record, exit 0 when it passes and 3 when it does not."""
    argv, record = _batch(tmp_path, tablets)
    out = printed([*argv, "--json"], capsys, 0 if record.ok else 3)
    assert json.loads(out) == json.loads(record.to_json())
    assert json.loads(out)["batch"] == "B-7"


def test_presets_json_lists_each_ladder(capsys):
    """presets --json lists each published ladder: its name, summary and citation."""
    listed = json.loads(printed(["presets", "--json"], capsys))
    assert listed == [{"name": p.name, "summary": p.summary, "citation": p.citation}
                      for p in PRESETS.values()]


def test_schedule_json_and_csv_print_the_schedule_and_supply(capsys):
    """schedule --json prints the schedule and its supply as records print (indent 2);
    --csv prints the schedule's rows, a blank line, then the supply's."""
    argv = ["schedule", "--preset", "standard-2-weekly", "--supply"]
    schedule = lc.preset("standard-2-weekly")
    supply = schedule.supply()
    data = {"schedule": schedule.to_dict(), "supply": supply.to_dict()}
    status = 0 if schedule.ok else 3
    assert printed([*argv, "--json"], capsys, status) == (
        json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    assert printed([*argv, "--csv"], capsys, status) == (
        schedule.to_csv() + "\n" + supply.to_csv())


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dose=st.integers(1, 90).map(lambda n: f"{n / 20:g} mg"),
       volume=st.sampled_from(["10 mL", "20 mL", "25 mL", "50 mL"]),
       drug=st.sampled_from(["25 mg", "50 mg", "100 mg"]))
def test_measure_from_drug_and_volume(dose, volume, drug, capsys):
    """Any --drug, --volume and --dose reach the library unchanged: same record, same verdict
    (exit 3 with nothing printed where the library refuses the dose as unmeasurable)."""
    argv = ["measure", "--drug", drug, "--volume", volume, "--dose", dose, "--syringe", "1 mL",
            "--json"]
    capsys.readouterr()  # what an earlier example left
    try:
        m = lc.measure(dose, lc.Stock(drug=drug, volume=volume), lc.OralSyringe(capacity="1 mL"))
    except UnmeasurableDoseError as exc:
        assert main(argv) == 3
        out = capsys.readouterr()
        assert out.out == "" and exc.target in out.err
        return
    assert main(argv) == (0 if m.ok else 3)
    assert json.loads(capsys.readouterr().out) == json.loads(m.to_json())


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_html_pages_are_the_librarys(paper, tmp_path, capsys):
    """--html --paper prints the library's printable page of the record, on that paper;
    without --paper, on the library's default."""
    paper_flags = [] if paper == "A4" else ["--paper", paper]
    master = lc.master_formulation(_stock())
    assert printed(["formulation", *TABLETS, "--html", *paper_flags], capsys) == (
        master.to_html(paper) if paper_flags else master.to_html())
    argv, record = _batch(tmp_path)
    assert printed([*argv, "--html", *paper_flags], capsys, 0 if record.ok else 3) == (
        record.to_html(paper))


def test_text_is_the_librarys(tmp_path, capsys):
    """Without --json or --html each record prints as the library writes it."""
    assert printed(["formulation", *TABLETS], capsys) == f"{lc.master_formulation(_stock())}\n"
    assert printed(["triturate", "--dose", "50 mcg"], capsys) == f"{plan_trituration('50 mcg')}\n"
    argv, record = _batch(tmp_path)
    assert printed(argv, capsys, 0 if record.ok else 3) == f"{record}\n"


@pytest.mark.parametrize("path", ["bad\0name", "/nonexistent/dir/x.json"])
def test_unreadable_file_names_its_flag(path, tmp_path, capsys):
    """A --from, --master or --entries path that cannot be read exits 2 naming that flag."""
    argv, _ = _batch(tmp_path)
    for flag, cmd in (("--from", ["formulation", "--from", path]),
                      ("--master", [*argv[:2], path, *argv[3:]]),
                      ("--entries", [*argv[:4], path])):
        capsys.readouterr()
        assert main(cmd) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and f"error: {flag}:" in err[0], err
