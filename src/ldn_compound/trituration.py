"""Capsules of very low doses: geometric dilution of naltrexone powder with a filler.

A balance cannot weigh less than its least weighable quantity (LWQ = sensitivity x 100 /
allowed % error) within the allowed error, so a microgram dose per capsule is reached by the
aliquot method: weigh at least the LWQ of powder, dilute it with filler by geometric dilution,
weigh an aliquot of at least the LWQ of the mixture, and so on, until an aliquot of the last
mixture holds the batch's drug; filler then makes up the batch.

Every amount the instructions tell a person to weigh is the amount the plan's arithmetic uses,
written in full: the least weighable quantity is rounded up and the aliquot to the nearest step
of :func:`_rules.weighing_resolution` (1 mg for a 120 mg LWQ) before the plan is built, and
where the rounded aliquot moves the dose per capsule, the instructions say by how much.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import attrs

from . import _rules
from ._convert import check_allowed_error, check_purity, fraction_between, whole_number
from ._exact import exact_text, format_number, format_percent
from ._records import stamp
from ._tables import (
    BASE_MOLAR_MASS,
    DEFAULT_BALANCE_SENSITIVITY_MG,
    DEFAULT_WEIGHING_ERROR,
    HCL_MOLAR_MASS,
)
from ._text import check_text
from .errors import InputError, NoPlanError
from .rendering import Rendered, Report, format_mass, format_mass_exact, format_mass_range
from .types import CountLike, MassLike, RatioLike
from .units import MASS, Exact, parse

__all__ = ["TriturationPlan", "TriturationStep", "least_weighable_quantity", "plan_trituration"]

SALT_FORMS = ("hydrochloride", "base")
#: The balance's default sensitivity, as read (a class III balance: 6 mg).
DEFAULT_SENSITIVITY = Exact(DEFAULT_BALANCE_SENSITIVITY_MG, MASS)
# Cote et al., IJPC 2018;22:252: LDN in microcrystalline cellulose stayed within
# 90-110 % for 360 days. Fillers to avoid: calcium carbonate; slow-release fillers.
DEFAULT_FILLER = "microcrystalline cellulose"
_AVOID = {
    "calcium carbonate": "calcium carbonate is a filler to avoid for LDN capsules",
    "slow": "slow-release fillers are to be avoided for LDN capsules",
    "sustained": "slow-release fillers are to be avoided for LDN capsules",
    "extended": "slow-release fillers are to be avoided for LDN capsules",
    "hypromellose": "hypromellose (HPMC) as a filler slows release; slow-release fillers are "
                    "to be avoided for LDN capsules",
    "hpmc": "hypromellose (HPMC) as a filler slows release; slow-release fillers are to be "
            "avoided for LDN capsules",
}
#: Largest mixture made in one dilution step, mg (a mortar's practical load; a default).
DEFAULT_MAX_MIXTURE_MG = Fraction(50_000)
MAX_TRITURATION_STEPS = 6


def least_weighable_quantity(sensitivity: MassLike = DEFAULT_SENSITIVITY,
                             allowed_error: RatioLike = DEFAULT_WEIGHING_ERROR) -> Fraction:
    """Least weighable quantity, exact mg: sensitivity x 100 / allowed % error.

    >>> least_weighable_quantity("6 mg", 0.05)
    Fraction(120, 1)
    """
    s = parse(sensitivity, MASS, "sensitivity")
    return s / check_allowed_error(allowed_error)


def _weighed_text(mg: Fraction) -> str:
    """An amount to weigh, written in full (every weighed amount sits on the plan's grid)."""
    return format_mass(mg, None)


def _filler(value: Any) -> str:
    return check_text(value, "filler", example=repr(DEFAULT_FILLER))


def _salt_form(parameter: str, value: Any) -> str:
    if value not in SALT_FORMS:
        raise InputError(parameter, value, "'hydrochloride' or 'base'")
    return str(value)


@attrs.frozen(repr=False)
class TriturationStep(Rendered):
    """Weigh ``weigh`` mg of the previous material and dilute with filler to ``mixture`` mg."""

    number: int
    exact_weigh: Fraction  # mg
    exact_mixture: Fraction  # mg
    exact_fraction: Fraction  # powder per mg of this mixture

    @property
    def exact_filler(self) -> Fraction:
        """Filler added in this step, exact mg."""
        return self.exact_mixture - self.exact_weigh

    def instruction(self) -> str:
        """The step as one instruction; every amount is the one the plan uses."""
        what = "naltrexone powder" if self.number == 1 else f"the step {self.number - 1} mixture"
        return (f"Weigh {_weighed_text(self.exact_weigh)} of {what}; add "
                f"{_weighed_text(self.exact_filler)} of filler by geometric dilution (equal "
                f"parts at a time) to {_weighed_text(self.exact_mixture)}: 1 in "
                f"{format_number(1 / self.exact_fraction, 40)} of powder.")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return Report(title=f"Step {self.number}: {self.instruction()}")

    RECORD = "trituration_step"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/trituration_step@1`` record (``*_exact`` fields read back)."""
        return stamp(self.RECORD, {
            "step": self.number, "weigh": format_mass(self.exact_weigh, None),
            "filler": format_mass(self.exact_filler, None),
            "mixture": format_mass(self.exact_mixture, None),
            "powder_fraction": exact_text(self.exact_fraction),
            "weigh_exact": f"{exact_text(self.exact_weigh)} mg",
            "mixture_exact": f"{exact_text(self.exact_mixture)} mg",
            "instruction": self.instruction()})

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> TriturationStep:
        """A step from its stored exact fields; a powder fraction not in (0, 1), or a mixture
        below its powder, is refused (a plan's record recomputes the steps)."""
        weigh, mixture = (parse(data[k], MASS, k) for k in ("weigh_exact", "mixture_exact"))
        if mixture < weigh:
            raise InputError("mixture_exact", data["mixture_exact"], "at least weigh_exact")
        fraction = fraction_between("powder_fraction", Fraction(0), Fraction(1), include_low=False)
        return cls(whole_number("step", 1, MAX_TRITURATION_STEPS)(data["step"]), weigh, mixture,
                   fraction(data["powder_fraction"]))


@attrs.frozen(repr=False)
class TriturationPlan(Rendered):
    """Capsules by trituration: dilution steps, the aliquot, filler and per-capsule content.

    Build it with :func:`plan_trituration`. Masses are exact mg.
    """

    exact_dose: Fraction  # mg per capsule, in the form ``dose_as``
    dose_as: str
    powder_form: str
    purity: Fraction
    capsules: int
    exact_fill: Fraction  # mg per capsule
    exact_lwq: Fraction
    allowed_error: Fraction
    filler: str = attrs.field(converter=_filler)
    steps: tuple[TriturationStep, ...]
    exact_aliquot: Fraction  # mg of the last mixture (or of powder if no steps)
    exact_max_mixture: Fraction = DEFAULT_MAX_MIXTURE_MG  # mg, the planning limit used

    @property
    def salt_factor(self) -> Fraction:
        """Powder mass per mass of dose from the salt forms (1 if the same form)."""
        if self.dose_as == self.powder_form:
            return Fraction(1)
        if self.powder_form == "hydrochloride":
            return HCL_MOLAR_MASS / BASE_MOLAR_MASS
        return BASE_MOLAR_MASS / HCL_MOLAR_MASS

    @property
    def exact_powder_needed(self) -> Fraction:
        """Powder (as weighed, of the stated purity) the batch's capsules hold, exact mg."""
        return self.exact_dose * self.capsules * self.salt_factor / self.purity

    @property
    def exact_powder_fraction(self) -> Fraction:
        """Powder per mg of the material the aliquot is weighed from (1: the powder)."""
        return self.steps[-1].exact_fraction if self.steps else Fraction(1)

    @property
    def exact_dose_weighed(self) -> Fraction:
        """Dose per capsule the weighed amounts give, exact mg in the form ``dose_as``.

        The aliquot is weighed on the plan's grid, so this can differ from
        ``exact_dose`` (by at most half a grid step of the aliquot, 0.5 %).
        """
        powder = self.exact_aliquot * self.exact_powder_fraction
        return powder * self.purity / self.salt_factor / self.capsules

    @property
    def exact_batch(self) -> Fraction:
        """Total batch mass, exact mg: capsules x fill."""
        return self.capsules * self.exact_fill

    @property
    def exact_final_filler(self) -> Fraction:
        """Filler added to the aliquot to make up the batch, exact mg."""
        return self.exact_batch - self.exact_aliquot

    @property
    def exact_filler_total(self) -> Fraction:
        """All filler the plan uses, exact mg (dilutions and batch)."""
        return sum((s.exact_filler for s in self.steps), Fraction(0)) + self.exact_final_filler

    @property
    def exact_bounds(self) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) dose per capsule from weighing alone, exact mg.

        Each weighing (powder, every aliquot, every mixture and the batch) errs
        at most by the allowed error, being at least the LWQ. Capsule fill
        variation and blend uniformity are not included.
        """
        # Each dilution and the batch is one link: a weighing of drug (an aliquot)
        # and one of the mixture it is diluted to, each within the allowed error.
        e = self.allowed_error
        low, high = _rules.bounds_factors(Fraction(0), e, e)
        n = len(self.steps) + 1
        dose = self.exact_dose_weighed
        return dose * low ** n, dose * high ** n

    @property
    def warnings(self) -> tuple[str, ...]:
        """Cautions: fillers to avoid, and how to mix by geometric dilution."""
        name = self.filler.lower()
        seen: list[str] = []
        for key, text in _AVOID.items():
            if key in name and text not in seen:
                seen.append(text)
        seen.append("geometric dilution: add filler in portions about equal to the mixture "
                    "already in the mortar, triturating well each time, so the drug is evenly "
                    "spread")
        return tuple(seen)

    def dose_text(self) -> str:
        """The dose per capsule, and how the weighed amounts move it if they do."""
        asked = f"{format_mass(self.exact_dose, None)} of naltrexone {self.dose_as} per capsule"
        got = self.exact_dose_weighed
        if got == self.exact_dose:
            return asked
        return (f"{format_mass(got)} of naltrexone {self.dose_as} per capsule as weighed "
                f"({format_mass(self.exact_dose, None)} asked; the aliquot weighed to the "
                f"nearest {_weighed_text(_rules.weighing_resolution(self.exact_lwq))} moves "
                f"it by {format_percent(got / self.exact_dose - 1)})")

    def instructions(self) -> tuple[str, ...]:
        """Numbered instructions; every amount to weigh is the one the plan uses."""
        lines = [f"{s.number}. {s.instruction()}" for s in self.steps]
        k = len(self.steps)
        what = "naltrexone powder" if k == 0 else f"the step {k} mixture"
        lines.append(f"{k + 1}. Weigh {_weighed_text(self.exact_aliquot)} of {what}; add "
                     f"{_weighed_text(self.exact_final_filler)} of {self.filler} by geometric "
                     f"dilution to {_weighed_text(self.exact_batch)}.")
        lines.append(f"{k + 2}. Fill {self.capsules:,} capsules with "
                     f"{_weighed_text(self.exact_fill)} each: {self.dose_text()}.")
        return tuple(lines)

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        low, high = self.exact_bounds
        k = len(self.steps)
        return Report(
            title=f"Trituration for {self.capsules:,} capsules of {format_mass(self.exact_dose)}"
                  f" naltrexone {self.dose_as}: {k} dilution step{'' if k == 1 else 's'}",
            rows=(
                ("Powder", f"naltrexone {self.powder_form}, purity "
                           f"{format_number(self.purity * 100)} %"),
                ("Salt factor", format_number(self.salt_factor, 5)),
                ("Powder in the batch", format_mass(self.exact_powder_needed)),
                ("Least weighable quantity", format_mass(self.exact_lwq)),
                ("Filler", f"{self.filler}, {_weighed_text(self.exact_filler_total)} in all"),
                ("Batch", f"{_weighed_text(self.exact_batch)} ({self.capsules:,} x "
                          f"{_weighed_text(self.exact_fill)})"),
                ("Worst-case bounds", f"{format_mass_range(low, high)} per capsule "
                                      "(weighing only)"),
            ),
            warnings=self.warnings, footer=self.instructions(),
        )

    RECORD = "trituration_plan"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/trituration_plan@1`` record: exact inputs, the plan to check."""
        low, high = self.exact_bounds
        return stamp(self.RECORD, {
            "dose_exact": f"{exact_text(self.exact_dose)} mg",
            "fill_exact": f"{exact_text(self.exact_fill)} mg",
            "sensitivity_exact": f"{exact_text(self.exact_lwq * self.allowed_error)} mg",
            "allowed_error": exact_text(self.allowed_error),
            "max_mixture_exact": f"{exact_text(self.exact_max_mixture)} mg",
            "dose": format_mass(self.exact_dose, None), "dose_as": self.dose_as,
            "powder_form": self.powder_form, "purity": exact_text(self.purity),
            "capsules": self.capsules, "fill": format_mass(self.exact_fill, None),
            # 1, or a ratio of the molar masses (8 figures); format_number writes 1 as "1"
            "salt_factor": format_number(self.salt_factor, 8),
            "powder_needed": format_mass(self.exact_powder_needed, None),
            "least_weighable_quantity": format_mass(self.exact_lwq, None),
            "filler": self.filler, "filler_total": format_mass(self.exact_filler_total, None),
            "steps": [s.to_dict() for s in self.steps],
            "aliquot": format_mass(self.exact_aliquot, None),
            "final_filler": format_mass(self.exact_final_filler, None),
            "bounds": {"low": format_mass(low, None), "high": format_mass(high, None)},
            "warnings": list(self.warnings), "instructions": list(self.instructions()),
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> TriturationPlan:
        """Plan again from the inputs a record stores (planning is deterministic)."""
        return plan_trituration(
            data["dose_exact"], capsules=data["capsules"], fill=data["fill_exact"],
            dose_as=data["dose_as"], powder=data["powder_form"], purity=data["purity"],
            sensitivity=data["sensitivity_exact"], allowed_error=data["allowed_error"],
            filler=data["filler"], max_mixture=data["max_mixture_exact"])


def plan_trituration(
    dose: MassLike,
    *,
    capsules: CountLike = 100,
    fill: MassLike = "200 mg",
    dose_as: str = "hydrochloride",
    powder: str = "hydrochloride",
    purity: RatioLike = 1,
    sensitivity: MassLike = DEFAULT_SENSITIVITY,
    allowed_error: RatioLike = DEFAULT_WEIGHING_ERROR,
    filler: str = DEFAULT_FILLER,
    max_mixture: MassLike = "50 g",
) -> TriturationPlan:
    """Plan capsules of a very low dose by geometric dilution of naltrexone powder.

    Parameters
    ----------
    dose : str or pint.Quantity  [mass]
        Naltrexone per capsule, in the form ``dose_as``, e.g. ``"50 mcg"``.
    capsules : int, default 100  [count]
        Capsules per batch.
    fill : str or pint.Quantity, default "200 mg"  [mass]
        Powder per capsule (drug and filler); measure it for your capsule size
        and filler. The default is a placeholder, not a sourced value.
    dose_as, powder : {"hydrochloride", "base"}
        Form the dose is written in, and form of the powder weighed. Molar
        masses 377.86 (hydrochloride) and 341.40 g/mol (base).
    purity : number, default 1  [dimensionless]
        Stated purity of the powder (0.98 for 98 %); bulk naltrexone HCl is
        98.0-102.0 % (USP), so use the certificate's figure.
    sensitivity : str or pint.Quantity, default "6 mg"  [mass]
        Balance sensitivity (a class III balance: 6 mg).
    allowed_error : number, default 0.05  [dimensionless]
        Largest weighing error allowed; LWQ = sensitivity x 100 / (% error).
    filler : str, default "microcrystalline cellulose"
        Filler name; calcium carbonate and slow-release fillers are warned about.
    max_mixture : str or pint.Quantity, default "50 g"  [mass]
        Largest mixture made in one dilution step.

    Raises
    ------
    InputError
        Bad arguments.
    NoPlanError
        The batch cannot hold the drug, or the dilution needs too many steps.

    Examples
    --------
    >>> plan = plan_trituration("50 mcg", capsules=100)
    >>> len(plan.steps), int(plan.exact_aliquot)   # exact mg
    (1, 120)
    """
    d = parse(dose, MASS, "dose")
    try:
        _rules.check_decimal_slip(d, "dose")
    except InputError as exc:  # plan_trituration has no allow_high_dose to name
        raise exc.evolve(override=None) from None
    n = whole_number("capsules", 1, 100_000)(capsules)
    fill_mg = parse(fill, MASS, "fill")
    if fill_mg > 2000:
        raise InputError("fill", format_mass_exact(fill_mg), "a capsule fill of at most 2,000 mg")
    form_d = _salt_form("dose_as", dose_as)
    form_p = _salt_form("powder", powder)
    pur = check_purity(purity)
    lwq = least_weighable_quantity(sensitivity, allowed_error)
    err = check_allowed_error(allowed_error)
    filler = _filler(filler)
    cap_mix = parse(max_mixture, MASS, "max_mixture")
    # Every weighing sits on one grid (references: none; a design rule, see _rules):
    # the LWQ rounded up to it is what each dilution step weighs.
    grid = _rules.weighing_resolution(lwq)
    weigh = _rules.weighed(lwq, grid, "up")
    if cap_mix < 2 * weigh:  # a step dilutes what it weighs at least 1 in 2
        raise InputError("max_mixture", format_mass_exact(cap_mix),
                         "at least twice the least weighable quantity as weighed "
                         f"({format_mass(2 * weigh)})")
    probe = TriturationPlan(d, form_d, form_p, pur, n, fill_mg, lwq, err, filler, (),
                            weigh, exact_max_mixture=cap_mix)
    need = probe.exact_powder_needed
    batch = probe.exact_batch
    if need > batch:
        raise NoPlanError(
            format_mass_exact(d), f"the batch of {format_mass(batch)} cannot hold "
            f"{format_mass(need)} of powder",
            f"Would work: a fill of at least {format_mass(need / n)} per capsule.")
    if batch < lwq:
        raise NoPlanError(
            format_mass_exact(d), f"the batch of {format_mass(batch)} is below the least "
            f"weighable quantity {format_mass(lwq)}",
            f"Would work: at least {math.ceil(lwq / fill_mg)} capsules, or a more sensitive "
            "balance.")
    if need >= weigh:
        return _checked(attrs.evolve(probe, exact_aliquot=_rules.weighed(need, grid)), fill_mg)
    # Dilute by a whole factor f per step, each step weighing the LWQ and
    # making LWQ x f of mixture, until an aliquot of at least the LWQ holds `need`.
    f_max = cap_mix // weigh
    ratio = weigh / need
    k = max(1, math.ceil(math.log(float(ratio)) / math.log(float(f_max)) - 1e-12))
    while k <= MAX_TRITURATION_STEPS:
        f = _whole_root_up(ratio, k)
        if f <= f_max and need * f ** (k - 1) <= weigh:
            break
        k += 1
    else:
        raise NoPlanError(
            format_mass_exact(d), f"more than {MAX_TRITURATION_STEPS} dilution steps with "
            f"mixtures of at most {format_mass(cap_mix)}", "Would work: a larger max_mixture or "
            "a more sensitive balance.")
    steps = []
    frac = Fraction(1)
    for i in range(k):
        frac /= f
        steps.append(TriturationStep(i + 1, weigh, weigh * f, frac))
    # need / frac >= weigh, which is on the grid, so the rounded aliquot is too.
    aliquot = _rules.weighed(need / frac, grid)
    return _checked(attrs.evolve(probe, steps=tuple(steps), exact_aliquot=aliquot), fill_mg)


def _checked(plan: TriturationPlan, fill_mg: Fraction) -> TriturationPlan:
    """Refuse a plan whose aliquot, as weighed, does not fit in the batch."""
    aliquot, batch = plan.exact_aliquot, plan.exact_batch
    if aliquot > batch:
        raise NoPlanError(
            format_mass_exact(plan.exact_dose), f"the aliquot {format_mass(aliquot)} exceeds the "
            f"batch {format_mass(batch)}", f"Would work: at least "
            f"{math.ceil(aliquot / fill_mg)} capsules, or a larger fill.")
    return plan


def _whole_root_up(x: Fraction, k: int) -> int:
    """Smallest whole f with f ** k >= x."""
    root: float = math.exp(math.log(float(x)) / k)
    f = max(2, math.ceil(root) - 1)
    while Fraction(f) ** k < x:
        f += 1
    return f
