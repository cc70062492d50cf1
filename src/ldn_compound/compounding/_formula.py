"""The recipe behind a master formulation record, from what the library plans.

A :class:`Formula` lists the components (drug source and vehicle or filler),
every amount measured while compounding with the calculation that gives it,
the equipment and its least measurable quantity, the steps in order, and the
quality-control checks with their acceptance ranges. ``strength_of`` gives the
strength a batch has from the amounts actually measured: the same arithmetic
that gives the planned strength from the planned amounts (references
'usp-795': master formulation and compounding records).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import attrs

from .._exact import format_number
from .._rules import make_up_cylinder, make_up_tolerance
from .._tables import POTENCY_WINDOW
from ..dilution import DilutionPlan
from ..drugs import NALTREXONE_HCL
from ..equipment import GraduatedCylinder, describe, least_fraction_of_capacity, relative_tolerance
from ..errors import InputError
from ..rendering import format_concentration, format_mass, format_volume
from ..schedule._preparation import dosage_form
from ..stock import Stock
from ..trituration import TriturationPlan, least_weighable_quantity
from ..units import MASS, VOLUME, Exact

__all__ = ["Amount", "Formula", "formula_of"]


@attrs.frozen
class Amount:
    """One amount measured while compounding (a count, a weight or a volume).

    ``exact`` is in ``unit`` (``"tablet"``, ``"capsule"``, ``"mg"``, ``"mL"``);
    ``tolerance`` the accepted relative error (0: a count, exact); ``component``
    the component it draws from (None for a mixture made in an earlier step).
    """

    key: str
    what: str
    exact: Fraction
    unit: str
    tolerance: Fraction
    equipment: str
    calculation: str
    component: str | None = None

    def text(self, value: Fraction | None = None) -> str:
        """``value`` (default the planned amount) written safely in the amount's unit."""
        return amount_text(self.exact if value is None else value, self.unit)


def amount_text(value: Fraction, unit: str) -> str:
    """A count, weight or volume written safely: ``2 tablets``, ``0.5 mg``, ``20 mL``."""
    if unit == "mg":
        return format_mass(value, None)
    if unit == "mL":
        return format_volume(value, None)
    return f"{format_number(value, 40)} {unit}{'' if value == 1 else 's'}"


@attrs.frozen
class Formula:
    """A preparation's recipe: see the module docstring."""

    kind: str
    exact_strength: Fraction
    strength_unit: str  # "mg/mL" or "mg per capsule"
    dosage_form: str
    exact_quantity: Fraction
    quantity_unit: str  # "mL" or "capsule"
    components: tuple[tuple[str, str, str], ...]  # (key, name and characteristics, total)
    amounts: tuple[Amount, ...]
    steps: tuple[str, ...]
    strength_of: Callable[[dict[str, Fraction]], Fraction] = attrs.field(eq=False)

    def strength_text(self, value: Fraction | None = None) -> str:
        """The strength written safely: ``5 mg/mL`` or ``50 mcg per capsule``."""
        v = self.exact_strength if value is None else value
        if self.strength_unit == "mg/mL":
            return format_concentration(v, None)
        return f"{format_mass(v, None)} per capsule"


def _drug_name(stock_or_none: Stock | None) -> str:
    profile = None if stock_or_none is None else stock_or_none.profile
    return (profile or NALTREXONE_HCL).name


def _final(volume: Fraction, tolerance: Fraction | None, what: str) -> Amount:
    """The final volume a liquid is made up to, with its cylinder (ASTM E694, USP <1176>)."""
    if tolerance is None:
        tolerance = make_up_tolerance(volume)
        cylinder = GraduatedCylinder(Exact(make_up_cylinder(volume), VOLUME))
        tool = (f"{describe(cylinder)} (ASTM E694); least volume "
                f"{format_volume(least_fraction_of_capacity(cylinder))} (USP <1176>)")
    else:
        tool = f"made up to volume within +/-{format_number(tolerance * 100)} % (as given)"
    return Amount("final volume", f"{what} made up to volume", volume, "mL", tolerance, tool,
                  f"final volume = drug / strength = {format_volume(volume, None)}", "vehicle")


def _from_stock(stock: Stock, powder: dict[str, Any]) -> Formula:
    """A liquid from tablets, capsules or bulk powder, made up to volume."""
    conc, volume, drug = stock.concentration_mg_per_ml, stock.volume_ml, stock.drug_mg
    name = _drug_name(stock)
    final = _final(volume, stock.volume_tolerance, "the liquid")
    final = attrs.evolve(final, calculation=(
        f"{format_mass(drug, None)} / {format_concentration(conc, None)} = "
        f"{format_volume(volume, None)}"))
    if stock.tablets is not None:
        unit = stock.form
        each = stock.drug_mg / stock.tablets
        drug_amount = Amount(
            f"{unit}s", f"{name} {format_mass(each, None)} {unit}s", stock.tablets, unit,
            Fraction(0), "counted (whole or split as planned)",
            f"{format_number(stock.tablets, 40)} x {format_mass(each, None)} = "
            f"{format_mass(drug, None)} {name}", "drug")
        comp = (f"{name} {format_mass(each, None)} {unit}s (label strength as the "
                f"{'salt' if (stock.profile or NALTREXONE_HCL).salt else 'base'}; "
                "insoluble excipients: a suspension)", drug_amount.text())
        first = (f"Count {drug_amount.text()} and crush them to a fine powder in a mortar."
                 if unit == "tablet" else
                 f"Open {drug_amount.text()} and empty their contents into a mortar.")

        def strength(v: dict[str, Fraction]) -> Fraction:
            return v[f"{unit}s"] * each / v["final volume"]
    else:
        factor: Fraction = powder["factor"]
        lwq: Fraction = powder["lwq"]
        purity: Fraction = powder["purity"]
        weigh = drug * factor / purity
        if weigh < lwq:
            raise InputError("stock", format_mass(drug), f"at least the least weighable "
                             f"quantity, {format_mass(lwq)} of powder (sensitivity x 100 / "
                             "allowed % error): triturate instead (plan_trituration) or make "
                             "a larger volume")
        drug_amount = Amount(
            "powder", f"{name} powder ({powder['form']})", weigh, "mg", powder["error"],
            f"balance, sensitivity {format_mass(powder['sensitivity'], None)}, least weighable "
            f"{format_mass(lwq, None)}",
            f"{format_mass(drug, None)} x salt factor {format_number(factor, 6)} / purity "
            f"{format_number(powder['purity'] * 100, 6)} % = {format_mass(weigh, None)}",
            "drug")
        comp = (f"{name} powder, {powder['form']} form, purity "
                f"{format_number(powder['purity'] * 100, 6)} %", drug_amount.text())
        first = f"Weigh {drug_amount.text()} of {name} powder."

        def strength(v: dict[str, Fraction]) -> Fraction:
            return v["powder"] * purity / factor / v["final volume"]
    return Formula(
        "stock", conc, "mg/mL", dosage_form(stock), volume, "mL",
        (("drug", *comp), ("vehicle", "", f"q.s. to {format_volume(volume, None)}")),
        (drug_amount, final),
        (first, f"Add the vehicle in small portions, mixing to a smooth paste, then make up to "
                f"{format_volume(volume, None)} in the {final.equipment.split(',')[0]}.",
         "Mix well and transfer to the container."),
        strength)


def _from_dilution(plan: DilutionPlan) -> Formula:
    """A serial dilution: each step's transfer and make-up volume."""
    amounts: list[Amount] = []
    steps: list[str] = []
    name = _drug_name(plan.source_stock)
    if plan.source_stock is None:
        assert plan.tablets is not None and plan.tablet_strength_mg is not None
        each = plan.tablet_strength_mg
        amounts.append(Amount("tablets", f"{name} {format_mass(each, None)} tablets",
                              plan.tablets, "tablet", Fraction(0), "counted",
                              f"{format_number(plan.tablets, 40)} x {format_mass(each, None)}",
                              "drug"))
        start: Fraction | None = None
        comp = (f"{name} {format_mass(each, None)} tablets", amounts[0].text())
    else:
        start = plan.source_stock.concentration_mg_per_ml
        comp = (f"{name} stock {format_concentration(start, None)}", "as transferred")
    for s in plan.steps:
        if s.exact_take is not None:
            assert s.take_with is not None
            amounts.append(Amount(
                f"step {s.number} take", f"step {s.number}: liquid taken", s.exact_take, "mL",
                relative_tolerance(s.take_with, s.exact_take),
                f"{describe(s.take_with)}; least volume "
                f"{format_volume(least_fraction_of_capacity(s.take_with))}",
                f"{format_volume(s.exact_take, None)} x previous / "
                f"{format_volume(s.exact_make_up_to, None)} = "
                f"{format_concentration(s.exact_concentration, None)}",
                "drug" if s.number == 1 and start is not None else None))
        amounts.append(Amount(
            f"step {s.number} volume", f"step {s.number}: made up to", s.exact_make_up_to, "mL",
            s.make_up_tolerance, f"{describe(s.make_up_in)}; least volume "
            f"{format_volume(least_fraction_of_capacity(s.make_up_in))}",
            f"make up to {format_volume(s.exact_make_up_to, None)}", "vehicle"))
        steps.append(s.instruction())
    amounts[-1] = attrs.evolve(amounts[-1], key="final volume")
    last = plan.steps[-1] if plan.steps else None
    if last is None:
        raise InputError("source", "a dilution plan with no steps",
                         "a plan with at least one dilution step (else record the stock)")

    def strength(v: dict[str, Fraction]) -> Fraction:
        conc = start
        for s in plan.steps:
            up = v["final volume" if s is last else f"step {s.number} volume"]
            if s.exact_take is None:
                assert s.tablet_strength_mg is not None
                conc = v["tablets"] * s.tablet_strength_mg / up
            else:
                assert conc is not None
                conc = conc * v[f"step {s.number} take"] / up
        assert conc is not None
        return conc
    form = "oral suspension" if plan.source_stock is None else dosage_form(plan.source_stock)
    return Formula("dilution", last.exact_concentration, "mg/mL", form, last.exact_make_up_to,
                   "mL", (("drug", *comp), ("vehicle", "", "as each step makes up")),
                   tuple(amounts), tuple(steps), strength)


def _from_trituration(plan: TriturationPlan) -> Formula:
    """Capsules by geometric dilution: every weighing, the aliquot, the blend."""
    e, lwq = plan.allowed_error, plan.exact_lwq
    tool = (f"balance, least weighable {format_mass(lwq, None)} (sensitivity x 100 / "
            f"{format_number(e * 100)} %)")
    amounts = [Amount("powder", f"naltrexone {plan.powder_form} powder",
                      plan.steps[0].exact_weigh if plan.steps else plan.exact_aliquot, "mg", e,
                      tool, f"dose {format_mass(plan.exact_dose, None)} x "
                      f"{plan.capsules:,} capsules x salt factor "
                      f"{format_number(plan.salt_factor, 6)} / purity "
                      f"{format_number(plan.purity * 100, 6)} % = "
                      f"{format_mass(plan.exact_powder_needed)} in the batch, weighed in the "
                      "first weighing (at least the least weighable quantity)", "drug")]
    for s in plan.steps:
        if s.number > 1:
            amounts.append(Amount(f"step {s.number} portion", f"step {s.number}: mixture taken",
                                  s.exact_weigh, "mg", e, tool,
                                  f"1 in {format_number(1 / s.exact_fraction, 40)} after step",
                                  None))
        amounts.append(Amount(f"step {s.number} mixture", f"step {s.number}: mixture weight",
                              s.exact_mixture, "mg", e, tool,
                              f"{format_mass(s.exact_weigh, None)} + "
                              f"{format_mass(s.exact_filler, None)} filler", "filler"))
    if plan.steps:
        amounts.append(Amount("aliquot", "aliquot of the last mixture", plan.exact_aliquot,
                              "mg", e, tool, "the aliquot that holds the batch's drug", None))
    amounts.append(Amount("blend", "final blend weight", plan.exact_batch, "mg", e, tool,
                          f"{plan.capsules:,} x {format_mass(plan.exact_fill, None)} fill",
                          "filler"))
    amounts.append(Amount("capsule weight", "average capsule fill weight", plan.exact_fill, "mg",
                          POTENCY_WINDOW, tool, "QC: 90-110 % of the fill weight (USP <795>)",
                          None))
    first = plan.steps[0] if plan.steps else None

    def strength(v: dict[str, Fraction]) -> Fraction:
        frac = v["powder"] * plan.purity / plan.salt_factor  # drug in the first weighing
        if first is not None:
            frac = frac / v[f"step {first.number} mixture"]
            for s in plan.steps[1:]:
                frac = frac * v[f"step {s.number} portion"] / v[f"step {s.number} mixture"]
            frac = frac * v["aliquot"]
        return frac / v["blend"] * v["capsule weight"]
    return Formula(
        "trituration", plan.exact_dose_weighed, "mg per capsule", "capsules",
        Fraction(plan.capsules), "capsule",
        (("drug", f"naltrexone {plan.powder_form} powder, purity "
                  f"{format_number(plan.purity * 100, 6)} %", amounts[0].text()),
         ("filler", plan.filler, format_mass(plan.exact_filler_total, None))),
        tuple(amounts), plan.instructions(), strength)


def formula_of(source: Any, powder: dict[str, Any]) -> Formula:
    """The formula of a stock, dilution plan or trituration plan (else an error)."""
    if isinstance(source, Stock):
        return _from_stock(source, powder)
    if isinstance(source, DilutionPlan):
        return _from_dilution(source)
    if isinstance(source, TriturationPlan):
        return _from_trituration(source)
    raise InputError("source", type(source).__name__, "a Stock, a supply Batch, a "
                     "DilutionPlan or a TriturationPlan")


def powder_terms(stock: Stock, form: Any, purity: Fraction, sensitivity: Fraction,
                 error: Fraction) -> dict[str, Any]:
    """The salt factor (from the Drug profile), purity and balance of a powder stock."""
    drug = stock.profile or NALTREXONE_HCL
    factor = Fraction(1)
    if form != drug.strength_basis:
        factor = drug.salt_factor if form == "salt" else 1 / drug.salt_factor
    return {"form": form, "factor": factor, "purity": purity, "sensitivity": sensitivity,
            "error": error, "lwq": least_weighable_quantity(Exact(sensitivity, MASS), error)}
