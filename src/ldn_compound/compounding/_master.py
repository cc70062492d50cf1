"""The master formulation record: one per formulation (USP <795>; references 'usp-795').

Built from what the library plans (a stock, a supply batch's bottle, a dilution
plan, a trituration plan): name, strength and dosage form; every component and
every amount measured with the calculation that gives it; equipment with its
least measurable quantity; the steps in order; quality-control checks with
their acceptance ranges; container, storage and beyond-use date with their
source; a sample label from the one label rule.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs

from .._convert import check_allowed_error, check_purity
from .._exact import exact_text, format_number
from .._records import load, stamp
from .._tables import DEFAULT_BALANCE_SENSITIVITY_MG, DEFAULT_WEIGHING_ERROR
from .._text import check_identifier
from ..dilution import DilutionPlan
from ..drugs import NALTREXONE_HCL, Drug
from ..errors import InputError
from ..rendering import Rendered, Report, format_mass, sentence
from ..schedule._labels import label
from ..schedule._preparation import Preparation, product_name
from ..schedule._preparation import preparation as make_preparation
from ..stock import Stock
from ..trituration import TriturationPlan
from ..units import MASS, VOLUME, Exact, parse
from ._formula import Amount, Formula, amount_text, formula_of, powder_terms

__all__ = ["QC_KEYS", "MasterFormulation", "master_formulation"]

#: Amounts that are quality-control checks of the finished preparation.
QC_KEYS = ("final volume", "capsule weight")
#: The balance sensitivity unless one is given: the sourced default in _tables, as text.
DEFAULT_SENSITIVITY = f"{DEFAULT_BALANCE_SENSITIVITY_MG} mg"
#: Containers: a design default (USP: tight, light-resistant, child-resistant).
_CONTAINER = {"liquid": "tight, light-resistant (amber) bottle with a child-resistant closure "
                        "and an oral syringe or dropper",
              "capsules": "tight, light-resistant container with a child-resistant closure"}
_APPEARANCE = {"oral suspension": "uniform suspension after shaking, no clumps or foreign "
                                  "particles",
               "oral solution": "clear solution, no particles",
               "capsules": "capsules intact and uniform, no powder on the outside"}


def _powder_given(terms: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(parameter, value given, default) of the powder terms."""
    return [("powder", terms["form"], "salt"), ("purity", terms["purity"], 1),
            ("sensitivity", terms["sensitivity"], DEFAULT_BALANCE_SENSITIVITY_MG),
            ("allowed_error", terms["error"], DEFAULT_WEIGHING_ERROR)]


def amount_range(a: Amount) -> tuple[Fraction, Fraction]:
    """The accepted (low, high) of an amount, exact: planned x (1 -/+ tolerance)."""
    return a.exact * (1 - a.tolerance), a.exact * (1 + a.tolerance)


@attrs.frozen(repr=False)
class MasterFormulation(Rendered):
    """A master formulation record; build it with :func:`master_formulation`."""

    source: Stock | DilutionPlan | TriturationPlan
    prep: Preparation
    formula: Formula
    bud: int | None
    powder: dict[str, Any] = attrs.field(eq=False)

    RECORD = "master_formulation"
    NESTED = ("source",)

    @property
    def name(self) -> str:
        """What the preparation is called: drug and salt form, strength, dosage form."""
        if isinstance(self.source, TriturationPlan):
            return (f"Naltrexone {self.source.dose_as} {format_mass(self.source.exact_dose)} "
                    "capsules")
        return product_name(self.liquid)

    @property
    def liquid(self) -> Stock:
        """The liquid made (a dilution plan's last liquid); refused for capsules."""
        if isinstance(self.source, Stock):
            return self.source
        if isinstance(self.source, DilutionPlan):
            final = self.source.final_stock
            if self.source.source_stock is None:  # from tablets: insoluble excipients
                drug = Drug.from_dict({**NALTREXONE_HCL.to_dict(), "solubility": None})
                return Stock(drug=Exact(final.drug_mg, MASS), volume=Exact(final.volume_ml,
                             VOLUME), content_tolerance=final.content_tolerance,
                             volume_tolerance=final.volume_tolerance, profile=drug)
            return final
        raise InputError("source", "capsules", "a liquid preparation")

    @property
    def container(self) -> str:
        """The container-closure system (a design default)."""
        return _CONTAINER["capsules" if self.formula.kind == "trituration" else "liquid"]

    @property
    def appearance(self) -> str:
        """The finished preparation as it should look (checked by eye)."""
        return _APPEARANCE.get(self.formula.dosage_form, _APPEARANCE["capsules"])

    @property
    def qc(self) -> tuple[tuple[str, str], ...]:
        """Quality-control checks and their acceptance ranges, in order."""
        out = []
        for a in self.formula.amounts:
            if a.key in QC_KEYS:
                low, high = amount_range(a)
                out.append((a.key, f"{amount_text(low, a.unit)} to {amount_text(high, a.unit)}"
                                   f" ({a.text()} +/-{format_number(a.tolerance * 100)} %)"))
        out.append(("appearance", self.appearance))
        return tuple(out)

    def sample_label(self, batch: str | None = None, made: dt.date | None = None,
                     bud_date: dt.date | None = None) -> str | None:
        """The label of a batch (the one label rule), or None for capsules (no label rule yet).

        Parameters
        ----------
        batch : str, optional
            The batch number (an identifier); default a ``<batch>`` placeholder.
        made, bud_date : datetime.date, optional
            Date made and beyond-use date; default: days counted from day 1.
        """
        batch = "<batch>" if batch is None else check_identifier(batch, "batch",
                                                                  example="'B-2026-001'")
        if self.formula.kind == "trituration":
            return None
        days = self.prep.bud_days if made is None or bud_date is None \
            else (bud_date - made).days + 1
        return label([], self.liquid, batch, False, self.prep, "", days, made)

    def report(self) -> Report:
        """The rows every display shows (text, printable HTML), as a ``Report``."""
        f, p = self.formula, self.prep
        rows = [("Strength", f.strength_text()), ("Dosage form", f.dosage_form),
                ("Quantity", amount_text(f.exact_quantity, f.quantity_unit))]
        rows += [(f"Component: {k}", f"{n}{'; ' if n else ''}{q}")
                 for k, n, q in f.components]
        rows += [("Container", self.container), ("Storage", p.storage),
                 ("Beyond-use date", f"{p.bud_days} days ({p.category}; source {p.source}); "
                                     "never past a component's expiry")]
        rows += [(f"QC: {k}", v) for k, v in self.qc]
        table = tuple((a.key, a.text(), f"+/-{format_number(a.tolerance * 100)} %",
                       a.equipment, a.calculation) for a in f.amounts)
        lab = self.sample_label()
        footer = tuple(s if s[:1].isdigit() else f"{i}. {sentence(s)}"
                       for i, s in enumerate(f.steps, 1))
        return Report(title=f"Master formulation record: {self.name}", rows=tuple(rows),
                      table_header=("amount", "quantity", "tolerance", "equipment",
                                    "calculation"), table=table,
                      footer=(*footer, *(() if lab is None else (f"Sample label: {lab}",)),
                              "References: USP <795> (2023); " + p.source,
                              "Written by: ____________    Approved by: ____________    "
                              "Date: ____________"))

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/master_formulation@1`` record: its source and inputs, the rest
        checked on reading."""
        f, p = self.formula, self.prep
        pw = self.powder
        return stamp(self.RECORD, {
            "source": self.source.to_dict(), "preparation": p.name, "bud": self.bud,
            "powder": pw["form"], "purity": exact_text(pw["purity"]),
            "sensitivity_exact": f"{exact_text(pw['sensitivity'])} mg",
            "allowed_error": exact_text(pw["error"]),
            "name": self.name, "strength": f.strength_text(),
            "strength_exact": f"{exact_text(f.exact_strength)} {f.strength_unit}",
            "dosage_form": f.dosage_form,
            "quantity": amount_text(f.exact_quantity, f.quantity_unit),
            "components": [{"key": k, "name": n, "quantity": q} for k, n, q in f.components],
            "amounts": [{"key": a.key, "what": a.what, "quantity": a.text(),
                         "quantity_exact": f"{exact_text(a.exact)} {a.unit}",
                         "tolerance": exact_text(a.tolerance), "equipment": a.equipment,
                         "calculation": a.calculation, "component": a.component}
                        for a in f.amounts],
            "steps": list(f.steps), "qc": [{"check": k, "accept": v} for k, v in self.qc],
            "container": self.container, "storage": p.storage, "bud_days": p.bud_days,
            "bud_category": p.category, "bud_source": p.source,
            "sample_label": self.sample_label(),
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> MasterFormulation:
        """The record's source read back (checked), then the formulation made again."""
        return master_formulation(
            load(data["source"]), preparation=data["preparation"], bud=data["bud"],
            powder=data["powder"], purity=data["purity"],
            sensitivity=data["sensitivity_exact"], allowed_error=data["allowed_error"])


def master_formulation(source: Any, *, preparation: str | None = None, bud: Any = None,
                       powder: str = "salt", purity: Any = 1,
                       sensitivity: Any = DEFAULT_SENSITIVITY,
                       allowed_error: Any = DEFAULT_WEIGHING_ERROR) -> MasterFormulation:
    """The master formulation record of a stock, supply batch, dilution or trituration plan.

    Parameters
    ----------
    source : Stock, Batch, DilutionPlan or TriturationPlan
        What is made: a liquid from tablets, capsules or (no tablets) bulk powder,
        a supply batch's bottle (pass the supply's ``preparation`` too), a serial
        dilution, or capsules by trituration.
    preparation : str, optional
        The USP <795> category or studied vehicle (``"aqueous"``, ...); default
        ``"aqueous"`` for a liquid, ``"solid"`` for capsules.
    bud : int or str, optional  [time, whole days]
        A beyond-use date backed by a stability study; default the category's.
    powder : {"salt", "base"}, default "salt"  [for a stock from bulk powder]
        The form the powder is weighed in; the salt factor comes from the
        stock's Drug profile when it differs from the strength's basis.
    purity : number, default 1  [dimensionless]
        The powder's assay (certificate of analysis), from 0.5 to below 1.03.
    sensitivity : str or pint.Quantity, default "6 mg"  [mass]
        The balance's sensitivity.
    allowed_error : number, default 0.05  [dimensionless]
        Accepted weighing error (least weighable = sensitivity / allowed_error).

    Raises
    ------
    InputError
        An unknown source or preparation; a powder below the balance's least
        weighable quantity; a dilution plan with no steps; ``powder``,
        ``purity``, ``sensitivity`` or ``allowed_error`` other than the default
        for a source that is not a stock from bulk powder.
    """
    if not isinstance(powder, str) or powder not in ("salt", "base"):
        raise InputError("powder", powder, "'salt' or 'base': the form the powder is weighed in")
    stock = getattr(source, "stock", None)
    if isinstance(stock, Stock) and not isinstance(source, Stock):
        source = stock  # a supply Batch: its bottle
    terms: dict[str, Any] = {"form": powder, "purity": check_purity(purity),
                             "sensitivity": parse(sensitivity, MASS, "sensitivity"),
                             "error": check_allowed_error(allowed_error)}
    if isinstance(source, Stock) and source.tablets is None:
        terms = powder_terms(source, powder, terms["purity"], terms["sensitivity"],
                             terms["error"])
    else:  # nothing given is silently unused: powder terms are for a stock from powder
        raw = {"powder": powder, "purity": purity, "sensitivity": sensitivity,
               "allowed_error": allowed_error}
        for name, value, default in _powder_given(terms):
            if value != default:
                raise InputError(name, raw[name], f"the default ({default}): only a stock from "
                                 "bulk powder is weighed as powder (a trituration plan carries "
                                 "its own balance and purity)")
    formula = formula_of(source, terms)
    solid = formula.kind == "trituration"
    if preparation is None:
        preparation = "solid" if solid else "aqueous"
    prep = make_preparation(preparation, bud, liquid=not solid)
    if solid and prep.name != "solid":
        raise InputError("preparation", prep.name, "'solid' for capsules (USP <795>)")
    comps = tuple((k, n or prep.vehicle, q) for k, n, q in formula.components)
    formula = attrs.evolve(formula, components=comps)
    return MasterFormulation(source, prep, formula, None if bud is None else prep.bud_days,
                             terms)
