"""Tests of the published ladders (ldn_compound.presets)."""

import pytest

from ldn_compound import PRESETS, InputError, OralSyringe, Stock, preset


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_builds_cites_and_measures(name):
    """Each preset builds with the default 50 mg in 10 mL and USP dropper, exactly, and cites."""
    p = PRESETS[name]
    s = preset(name)
    assert s.ok and all(st.measurement.exact_rounding_error == 0 for st in s.steps)
    assert p.citation and "Source:" in p.builder.__doc__
    assert s.name == name


def test_preset_shapes():
    """Ladder lengths match their published descriptions (REFERENCES.md)."""
    # 1.5..4.5 by 0.5 = 7 x 14 days; 0.5..4.5 by 0.5 = 9 x 7; 3 x 28; 18 x 7; 0.25..1.5 = 6 x 28.
    assert preset("standard-2-weekly").total_days == 98
    assert preset("half-mg-weekly").total_days == 63
    assert [float(s.exact_dose) for s in preset("four-weekly").steps] == [1.5, 3, 4.5]
    assert preset("drops-18").total_days == 126
    assert preset("sensitive-monthly").total_days == 6 * 28


def test_preset_options():
    """A preset takes another stock, device and start date."""
    s = preset("standard-2-weekly", Stock.from_tablets("50 mg", "50 mL"), OralSyringe("5 mL"),
               start_date="2026-11-22")
    assert s.stock.volume_ml == 50 and s.steps[0].start_date.isoformat() == "2026-11-22"


@pytest.mark.parametrize(("call", "parameter"), [
    (lambda: preset("fastest"), "preset"),
    (lambda: preset("drops-18", device=OralSyringe("1 mL")), "device"),
    (lambda: preset("drops-18", start_date="soon"), "start_date"),
])
def test_bad_input(call, parameter):
    """An unknown preset or a device the ladder cannot use is an InputError."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
