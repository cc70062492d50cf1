"""Planning a serial dilution: what the equipment measures, the target window, the
chain's segments, and what to try when no plan exists.

A very-low or ultra-low dose cannot be measured from a 50 mg tablet in one
step (1 mcg from 50 mg in 100 mL is 0.002 mL). :func:`plan_dilution` plans a
chain of steps "take A of the previous liquid and make up to B", every A and
B measurable with the equipment declared, ending at a stock from which the
dose is measured with the patient's device within ``max_rounding_error``.
The exact search itself is in ``_search``. The planner returns the plan's
pieces (:class:`Pieces`); ``_plan`` puts them together as a ``DilutionPlan``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import attrs

from .. import _rules
from .._convert import fraction_between
from .._exact import format_number
from .._tables import (
    FLASK_TOLERANCE_ML,
    MIN_FILL,
    POTENCY_WINDOW,
    SOLUBILITY_MG_PER_ML,
    SYRINGE_SIZES_ML,
    TABLET_CONTENT_TOLERANCE,
)
from ..devices import Device, Dropper, OralSyringe
from ..equipment import (
    DEFAULT_SYRINGES_ML,
    Equipment,
    GraduatedCylinder,
    VolumetricFlask,
    check_equipment,
    is_container,
)
from ..errors import InputError, NoPlanError
from ..rendering import (
    format_concentration,
    format_mass,
    format_mass_exact,
    format_volume,
    format_volume_exact,
    join_words,
)
from ..stock import Stock, tablet_count
from ..units import MASS, VOLUME, Exact, parse
from ._search import MAX_STEPS, MAX_WORK, Budget, Chain, SearchTooLarge, search
from ._setup import _serves, _Setup, _setup, _window
from ._steps import DilutionStep, and_list

__all__ = ["DEFAULT_MAX_ROUNDING_ERROR", "Pieces", "plan_pieces"]

#: The max_volume a suggestion tries when a smaller one was given, mL.
SUGGESTED_MAX_VOLUME_ML = Fraction(100)
#: plan_dilution's default max_rounding_error: the USP <795> 90-110 % potency window.
DEFAULT_MAX_ROUNDING_ERROR = POTENCY_WINDOW


def _chain_steps(setup: _Setup, chain: Chain, first_number: int,
                 tablets: Fraction | None, strength: Fraction | None,
                 start_conc: Fraction | None) -> list[DilutionStep]:
    scale = setup.space.scale
    steps = []
    conc = start_conc
    for i, (b_int, a_int) in enumerate(zip(chain.make_ups, chain.takes, strict=True)):
        b = Fraction(b_int, scale)
        b_tol, b_item = setup.make_up_item[b]
        if a_int is None:
            assert tablets is not None and strength is not None
            conc = tablets * strength / b
            steps.append(DilutionStep(first_number + i, None, b, conc, None, b_item, Fraction(0),
                                      b_tol, tablets, strength))
        else:
            assert conc is not None
            a = Fraction(a_int, scale)
            a_tol, a_item = setup.take_item[a]
            conc = conc * a / b
            steps.append(DilutionStep(first_number + i, a, b, conc, a_item, b_item, a_tol, b_tol))
    assert conc == chain.concentration
    return steps


def _source(source: Any, tablets: Any) -> tuple[Stock | None, Fraction | None, Fraction | None]:
    if isinstance(source, Stock):
        if tablets is not None:
            raise InputError("tablets", tablets, "tablets only when source is a tablet strength")
        return source, None, None
    try:
        strength = parse(source, MASS, "source")
    except InputError as exc:
        raise InputError("source", source,
                         "a Stock, or a tablet strength such as '50 mg'") from exc
    count = tablet_count(1 if tablets is None else tablets)
    return None, count, strength


def _doses(dose: Any, doses: Any) -> tuple[Fraction, ...]:
    if doses is None:
        if dose is None:
            raise InputError("dose", None, "a dose such as '1 mcg', or doses=[...]")
        items = [dose]
    else:
        if dose is not None:
            raise InputError("doses", doses, "dose or doses, not both")
        if isinstance(doses, (str, bytes)) or not hasattr(doses, "__iter__"):
            raise InputError("doses", doses, "a list of doses such as ['1 mcg', '10 mcg']")
        items = list(doses)
        if not items:
            raise InputError("doses", doses, "at least one dose")
    out = tuple(parse(d, MASS, "dose") for d in items)
    for d in out:
        try:
            _rules.check_decimal_slip(d, "dose")
        except InputError as exc:  # plan_dilution has no allow_high_dose to name
            raise exc.evolve(override=None) from None
    return out


@attrs.frozen
class Pieces:
    """What the planner decided, for ``DilutionPlan`` to hold (the same fields)."""

    exact_doses: tuple[Fraction, ...]  # mg
    steps: tuple[DilutionStep, ...]
    served_by: tuple[int, ...]
    device: Device
    max_rounding_error: Fraction
    exact_max_volume: Fraction  # mL
    equipment: tuple[Equipment, ...]
    source_stock: Stock | None
    tablets: Fraction | None
    tablet_strength_mg: Fraction | None
    tablet_content_tolerance: Fraction


def plan_pieces(dose: Any, source: Any, device: Device | None, *, equipment: Any,
                max_volume: Any, max_rounding_error: Any, doses: Any, tablets: Any,
                content_tolerance: Any) -> Pieces:
    """Read the arguments of ``plan_dilution`` and plan: its steps and which liquid
    serves each dose. Raises InputError, UnitError or NoPlanError as it documents."""
    targets = _doses(dose, doses)
    stock, count, strength = _source(source, tablets)
    content = fraction_between("content_tolerance", Fraction(0), Fraction(1))(content_tolerance)
    if device is None:
        device = OralSyringe()
    if not isinstance(device, (Dropper, OralSyringe)):
        raise InputError("device", device, "a Dropper or OralSyringe")
    tol = fraction_between("max_rounding_error", Fraction(0), Fraction(1, 2),
                           include_low=False)(max_rounding_error)
    vmax = parse(max_volume, VOLUME, "max_volume")
    items = check_equipment(equipment)
    setup = _setup(device, tol, vmax, items)
    if not setup.space.make_ups:
        raise InputError("max_volume", format_volume_exact(vmax),
                         "a volume that fits at least one container of the equipment (smallest: "
                         f"{format_volume(min(i.capacity_ml for i in items if is_container(i)))})")
    budget = Budget()
    try:
        found = _plan(setup, targets, stock, count, strength, budget)
    except SearchTooLarge:
        raise NoPlanError(
            and_list([format_mass_exact(d) for d in targets]),
            f"the search examined {MAX_WORK:,} candidate chains without settling on a plan "
            f"for these {len(targets)} dose(s) with this equipment",
            "Would work: plan fewer doses at a time (each dose, or a narrower part of the "
            "ladder), or declare fewer equipment sizes",
        ) from None
    if found is None:
        raise _no_plan(setup, targets, stock, count, strength)
    steps, served = found
    return Pieces(
        exact_doses=targets, steps=steps, served_by=served, device=setup.device,
        max_rounding_error=setup.max_rounding_error, exact_max_volume=setup.max_volume,
        equipment=setup.equipment, source_stock=stock, tablets=count, tablet_strength_mg=strength,
        tablet_content_tolerance=TABLET_CONTENT_TOLERANCE if stock is not None else content,
    )


def _plan(setup: _Setup, targets: tuple[Fraction, ...], stock: Stock | None,
          count: Fraction | None, strength: Fraction | None,
          budget: Budget) -> tuple[tuple[DilutionStep, ...], tuple[int, ...]] | None:
    """The steps and, for each dose, the step whose liquid serves it; None if none."""
    order = sorted(range(len(targets)), key=lambda i: -targets[i])
    steps: list[DilutionStep] = []
    served = [0] * len(targets)
    pending = order
    while pending:
        group = _largest_group(setup, [targets[i] for i in pending])
        while True:
            chosen = [targets[i] for i in pending[:group]]
            found = _segment(setup, chosen, steps, stock, count, strength, budget)
            if found is not None or group == 1:
                break
            group -= 1
        if found is None:
            return None
        steps += found
        for i in pending[:group]:
            served[i] = len(steps)
        pending = pending[group:]
    return tuple(steps), tuple(served)


def _largest_group(setup: _Setup, doses: list[Fraction]) -> int:
    """How many of the (descending) doses one concentration may serve."""
    n = 1
    while n < len(doses):
        lo, hi = _window(setup, doses[: n + 1])
        if lo > hi:
            break
        n += 1
    return n


def _segment(setup: _Setup, doses: list[Fraction], steps: list[DilutionStep],
             stock: Stock | None, count: Fraction | None, strength: Fraction | None,
             budget: Budget) -> list[DilutionStep] | None:
    """Steps that continue ``steps`` to a liquid serving ``doses`` (maybe none)."""
    window = _window(setup, doses)
    scale = setup.space.scale

    def serves(conc: Fraction, volume: int) -> Fraction | None:
        return _serves(setup, doses, conc, Fraction(volume, scale))

    liquid: tuple[Fraction, Fraction] | None = None  # (mg/mL, mL) of the liquid to dilute
    if steps:
        liquid = (steps[-1].exact_concentration, steps[-1].exact_make_up_to)
    elif stock is not None:
        liquid = (stock.concentration_mg_per_ml, stock.volume_ml)
    if liquid is not None:
        conc, vol = liquid
        if _serves(setup, doses, conc, vol) is not None:
            return []
        chain = search(setup.space, tablet_mg=None, stock_conc=conc,
                       stock_volume=math.floor(vol * scale), window=window, serves=serves,
                       max_conc=SOLUBILITY_MG_PER_ML, budget=budget)
        if chain is None:
            return None
        return _chain_steps(setup, chain, len(steps) + 1, None, None, conc)
    assert count is not None and strength is not None
    chain = search(setup.space, tablet_mg=count * strength, stock_conc=None, stock_volume=None,
                   window=window, serves=serves, max_conc=SOLUBILITY_MG_PER_ML, budget=budget)
    if chain is None:
        return None
    return _chain_steps(setup, chain, 1, count, strength, None)


# -- when there is no plan ----------------------------------------------------------------
def _no_plan(setup: _Setup, targets: tuple[Fraction, ...], stock: Stock | None,
             count: Fraction | None, strength: Fraction | None) -> NoPlanError:
    what = and_list([format_mass_exact(d) for d in targets])
    lo, hi = _window(setup, targets[:1] if len(targets) == 1 else [max(targets)])
    dev = setup.device.describe()
    smallest_b = Fraction(setup.space.make_ups[0], setup.space.scale)
    smallest_a = Fraction(setup.space.takes[0], setup.space.scale)
    biggest_b = Fraction(setup.space.make_ups[-1], setup.space.scale)
    if lo > hi:
        limit = format_number(setup.max_rounding_error * 100)
        constraint = (f"the tolerance: +/-{limit} % cannot be "
                      f"met with whole {setup.device.units} of the {dev}")
    elif strength is not None and count is not None and \
            count * strength / biggest_b > SOLUBILITY_MG_PER_ML:
        constraint = (f"solubility: {format_mass(count * strength)} needs at least "
                      f"{format_volume(count * strength / SOLUBILITY_MG_PER_ML)} to dissolve "
                      f"(naltrexone HCl about {format_concentration(SOLUBILITY_MG_PER_ML)}), "
                      "more than the largest make-up volume "
                      f"{format_volume(biggest_b)}")
    elif stock is not None and stock.concentration_mg_per_ml < lo:
        constraint = (f"the source strength: {format_concentration(stock.concentration_mg_per_ml)}"
                      f" is weaker than the {format_concentration(lo)} the {dev} needs, and "
                      "dilution only weakens it")
    elif strength is not None and count is not None and count * strength / smallest_b < lo:
        constraint = (f"the smallest make-up volume: {format_volume(smallest_b)} gives "
                      f"{format_concentration(count * strength / smallest_b)}, weaker than the "
                      f"{format_concentration(lo)} the {dev} needs")
    else:
        constraint = (f"the dilution reachable in {MAX_STEPS} steps with transfers of at least "
                      f"{format_volume(smallest_a)} and make-up volumes of at most "
                      f"{format_volume(biggest_b)} ({{max_volume}} "
                      f"{format_volume(setup.max_volume)}), or the "
                      f"+/-{format_number(setup.max_rounding_error * 100)} % tolerance")
    return NoPlanError(what, constraint, _suggest(setup, targets, stock, count, strength))


def _suggest(setup: _Setup, targets: tuple[Fraction, ...], stock: Stock | None,
             count: Fraction | None, strength: Fraction | None) -> str:
    tries: list[tuple[str, _Setup]] = []
    finest = OralSyringe(capacity=Exact(SYRINGE_SIZES_ML[0], VOLUME))
    if not any(isinstance(i, OralSyringe) and i.capacity_ml <= finest.capacity_ml
               for i in setup.equipment):
        least = format_volume(finest.capacity_ml * MIN_FILL)
        tries.append((f"adding a {finest.describe()} to the equipment (transfers from {least})",
                      _setup(setup.device, setup.max_rounding_error, setup.max_volume,
                             (*setup.equipment, finest))))
    big = SUGGESTED_MAX_VOLUME_ML
    if setup.max_volume < big:
        cylinder = GraduatedCylinder(Exact(big, VOLUME))
        items = setup.equipment if any(is_container(i) and i.capacity_ml == big
                                       for i in setup.equipment) else (*setup.equipment, cylinder)
        tries.append((f"{{max_volume}} '{format_volume(big)}' with a {format_volume(big)} "
                      "graduated cylinder",
                      _setup(setup.device, setup.max_rounding_error, big, items)))
    # The default syringes, the middle size (3 mL) first, then outwards.
    for cap in sorted(DEFAULT_SYRINGES_ML, key=lambda c: abs(c - 3)):
        syringe = OralSyringe(capacity=Exact(cap, VOLUME))
        if syringe != setup.device:
            tries.append((f"measuring the dose with a {syringe.describe()}",
                          _setup(syringe, setup.max_rounding_error, setup.max_volume,
                                 setup.equipment)))
    for t in (Fraction(15, 100), Fraction(20, 100)):
        if t > setup.max_rounding_error:
            tries.append((f"{{max_rounding_error}} {format_number(t)}",
                          _setup(setup.device, t, setup.max_volume, setup.equipment)))
    if not any(isinstance(i, VolumetricFlask) for i in setup.equipment):
        sizes = sorted(FLASK_TOLERANCE_ML)
        flasks = tuple(VolumetricFlask(Exact(c, VOLUME)) for c in sizes)
        tries.append((f"class A volumetric flasks of {and_list([format_number(c) for c in sizes])}"
                      " mL",
                      _setup(setup.device, setup.max_rounding_error, setup.max_volume,
                             (*setup.equipment, *flasks))))
    works = []
    for text, alt in tries:
        try:  # a smaller budget each: a suggestion must not take longer than the plan
            found = _plan(alt, targets, stock, count, strength, Budget(MAX_WORK // 10))
        except SearchTooLarge:
            found = None
        if found is not None:
            works.append(text)
        if len(works) == 2:
            break
    if works:
        return f"Would work: {join_words(works)}."
    return ("Nothing tried would work (a 0.5 mL syringe, {max_volume} 100 mL, another syringe for "
            "the dose, a wider tolerance, volumetric flasks): check the dose and the source.")
