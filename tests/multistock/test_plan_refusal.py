"""A plan whose devices cannot follow its curve: refused once, naming the devices, the
change they cannot follow (its direction and size), and fixes in numbers that each work.

The fixes are the rules of ``_build._fixes``: a 1 mL oral syringe in 0.01 mL (the
finest typical one, ``_tables.TYPICAL_SYRINGE_GRADUATION_ML``); a ``max_volume`` of as
many drops as the change needs (``units_to_follow``), when that is a countable number;
a ``max_cut_error`` loosened to what the devices' most units need (``tolerance_for``),
rounded up to a hundredth.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, ErrorKind, InputError, OralSyringe, Stock
from ldn_compound._tables import MAX_COUNTED_DROPS
from ldn_compound.multistock import Occupancy, plan_taper, plan_titration
from ldn_compound.multistock._curve import requested_doses
from ldn_compound.multistock._verdict import pct, plan_change, tolerance_for, units_to_follow

STOCK = Stock.from_tablets("50 mg", "10 mL")
SYRINGE = re.compile(r"add a (.+) oral syringe \((.+) graduations\)")
MAX_VOLUME = re.compile(r"max_volume of (.+ mL) \((\d+) drops\)")
TOLERANCE = re.compile(r"max_cut_error of (\S+)")


def _plan(kind: str, kwargs: dict):
    return (plan_taper if kind == "taper" else plan_titration)(**kwargs)


def _offered(exc: InputError) -> list[str]:
    """The fixes a refusal offers, one text each (none: "a finer device")."""
    text = exc.expected.split("Would work: ")[1]
    if text == "a finer device":
        return []
    head, _, last = text.rpartition(" or ")
    return [*head.split(", "), last] if head else [last]


def _smallest_change(kind: str, kwargs: dict) -> Fraction:
    """The smallest requested change that is judged (the one onto the floor is not)."""
    rise = kind == "titration"
    high, low = (kwargs["target"], kwargs["start"]) if rise else (kwargs["start"],
                                                                   kwargs["floor"])
    mg = [Fraction(x.split()[0]) for x in (high, low)]
    r = kwargs.get("rise", kwargs.get("reduction"))
    cut = None if r is None else Fraction(r) / (1 + Fraction(r)) if rise else Fraction(r)
    step = kwargs.get("occupancy_step")
    doses = requested_doses(*mg, cut, kwargs.get("occupancy"),
                            None if step is None else Fraction(step))
    changes = [plan_change(doses[k - 1], doses[k], rise) for k in range(1, len(doses) - 1)]
    return min(changes, key=abs)


def _refusal(kind: str, kwargs: dict) -> InputError:
    with pytest.raises(InputError) as info:
        _plan(kind, kwargs)
    exc = info.value
    assert (exc.parameter, exc.kind) == ("devices", ErrorKind.INVALID)
    assert exc.value == ", ".join(d.describe() for d in kwargs["devices"])
    return exc


def _check_refusal(kind: str, kwargs: dict, most: int) -> dict[str, str]:
    """The refusal states the smallest change and the units it needs; each fix it offers
    follows its rule and, applied, makes the plan. Returns the fixes by what they set."""
    exc = _refusal(kind, kwargs)
    tol = Fraction(kwargs.get("max_cut_error", Fraction(1, 10)))
    change = _smallest_change(kind, kwargs)
    need = units_to_follow(change, tol)
    word = "rise" if kind == "titration" else "cut"
    assert f"a {word} of {pct(abs(change))} within +/-{pct(tol * abs(change))}" in exc.expected
    assert f"doses of about {need:,} units" in exc.expected
    found = {}
    for fix in _offered(exc):
        if m := SYRINGE.fullmatch(fix):
            fixed = {"devices": [*kwargs["devices"], OralSyringe(m[1], m[2])]}
            found["devices"] = fix
            assert (m[1], m[2]) == ("1 mL", "0.01 mL")  # the finest typical syringe
        elif m := MAX_VOLUME.fullmatch(fix):
            drops = [d for d in kwargs["devices"] if d.unit == "drop"]
            assert int(m[2]) == need <= MAX_COUNTED_DROPS and need > most
            assert Fraction(m[1].split()[0]) == need * drops[0].unit_volume_ml
            fixed = {"max_volume": m[1]}
            found["max_volume"] = fix
        else:
            m = TOLERANCE.fullmatch(fix)
            assert m is not None, fix
            loose, enough = Fraction(m[1]), tolerance_for(change, most)
            # the loosest tolerance the most units need, up to a whole hundredth
            assert (loose * 100).denominator == 1 and loose - Fraction(1, 100) < enough <= loose
            assert loose != tol and loose < 1
            fixed = {"max_cut_error": loose}
            found["max_cut_error"] = fix
        _plan(kind, {**kwargs, **fixed})  # the fix it names makes the plan
    return found


TAPER = {"start": "4.5 mg", "floor": "0.05 mg", "every": "14 days", "stock": STOCK}
TITRATION = {"start": "0.3 mg", "target": "3 mg", "every": "7 days", "stock": STOCK}
FINE_SMALL = OralSyringe("0.5 mL", "0.01 mL")

REFUSED = [  # (kind, arguments, most units in one dose, fixes offered)
    ("taper", {**TAPER, "devices": [Dropper(20)], "reduction": 0.1},
     MAX_COUNTED_DROPS, {"devices", "max_cut_error"}),
    ("taper", {**TAPER, "devices": [Dropper(20)], "reduction": 0.12},
     MAX_COUNTED_DROPS, {"devices", "max_cut_error"}),
    ("titration", {**TITRATION, "devices": [Dropper(20)], "rise": 0.12},
     MAX_COUNTED_DROPS, {"devices", "max_cut_error"}),
    ("titration", {**TITRATION, "devices": [Dropper(20)], "rise": 0.2},
     MAX_COUNTED_DROPS, {"devices", "max_cut_error"}),
    ("taper", {**TAPER, "start": "2 mg", "devices": [Dropper(20)], "reduction": 0.3,
               "max_volume": "0.5 mL"}, 10, {"devices", "max_volume", "max_cut_error"}),
    # a dropper's dose is capped at the drops anyone should count, beside a larger syringe
    ("taper", {**TAPER, "devices": [Dropper(20), OralSyringe("3 mL")], "reduction": 0.1,
               "max_cut_error": Fraction(1, 20)}, 30, {"devices", "max_cut_error"}),
    # a syringe as fine as the suggested one but half its size holds 50 units, not 100
    ("taper", {**TAPER, "devices": [Dropper(20), FINE_SMALL], "reduction": 0.05}, 50,
     {"devices"}),
    # equal occupancy steps: the cuts differ, the smallest is the one to follow
    ("taper", {**TAPER, "floor": "0.5 mg", "devices": [Dropper(20)],
               "occupancy": Occupancy("90 %", "0.5 mg"), "occupancy_step": 0.05},
     MAX_COUNTED_DROPS, {"devices"}),
]


@pytest.mark.parametrize(("kind", "kwargs", "most", "fixes"), REFUSED)
def test_a_refusal_names_the_change_and_fixes_that_work(kind, kwargs, most, fixes):
    """Each refusal names the devices, the smallest change in its own direction and the
    units it needs, and offers these fixes, each by its rule and each working."""
    assert set(_check_refusal(kind, kwargs, most)) == fixes


def test_a_syringe_already_in_hand_is_not_offered_again():
    """With the 1 mL syringe in 0.01 mL given and a tolerance no device meets, adding it
    again changes nothing, so it is not offered; the loosened tolerance is."""
    kwargs = {**TAPER, "devices": [OralSyringe("1 mL", "0.01 mL")], "reduction": 0.1,
              "max_cut_error": Fraction(1, 50)}
    assert set(_check_refusal("taper", kwargs, 100)) == {"max_cut_error"}


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(["90 %", "60 %"]), st.sampled_from(["0.5 mg", "2 mg"]),
       st.sampled_from([Fraction(1, 20), Fraction(1, 10), Fraction(3, 20)]),
       st.sampled_from(["0.05 mg", "0.5 mg"]))
def test_every_occupancy_refusal_states_its_smallest_cut(emax, ed50, step, floor):
    """An occupancy taper droppers cannot follow is refused naming its smallest judged cut
    and the units that cut needs; every fix it offers works (or the plan is made)."""
    kwargs = {**TAPER, "floor": floor, "devices": [Dropper(20)],
              "occupancy": Occupancy(emax, ed50), "occupancy_step": step}
    try:
        plan_taper(**kwargs)
    except InputError:
        _check_refusal("taper", kwargs, MAX_COUNTED_DROPS)
