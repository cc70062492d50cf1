"""The sources the library's defaults and checks rest on, shipped with it.

Code cites a source by its key, e.g. ``# references: 'usp-1101'``, so every
citation points at an entry a user has installed. A fact marked unconfirmed
is used only as a configurable default, never as a hard limit.

>>> print(REFERENCES["usp-1101"].citation)
USP general chapter <1101> Medicine Dropper
>>> "usp-795" in REFERENCES
True
"""

from __future__ import annotations

import attrs

from .errors import InputError

__all__ = ["REFERENCES", "Reference", "reference", "render"]


@attrs.frozen
class Reference:
    """One source and the facts the library takes from it.

    Attributes
    ----------
    key : str
        Short stable name, cited in code as ``references: '<key>'``.
    citation : str
        Author, title, journal or standard, as a reader would look it up.
    supports : tuple of str
        The facts the library uses from it, in our words.
    unconfirmed : tuple of str
        Facts not confirmed against the original: defaults only, never limits.
    url : str or None
        Where to read it, if it is on the web.
    """

    key: str
    citation: str
    supports: tuple[str, ...]
    unconfirmed: tuple[str, ...] = ()
    url: str | None = None

    def markdown(self) -> str:
        """A Markdown list item: key, citation, then each fact on its own line."""
        head = f"- `{self.key}`: {self.citation}"
        if self.url:
            head += f" <{self.url}>"
        lines = [head] + [f"  - {s}" for s in self.supports]
        lines += [f"  - *unconfirmed:* {s}" for s in self.unconfirmed]
        return "\n".join(lines)


_ALL = (
    Reference(
        "usp-1101", "USP general chapter <1101> Medicine Dropper",
        ("Held vertically, a medicine dropper delivers water in drops of 45-55 mg: "
         "18.2-22.2 drops/mL, nominal 20 drops/mL +/-10 %.",
         "Other liquids give other drop sizes: where accuracy matters, calibrate the dropper "
         "with the preparation itself; a calibrated dropper's volume error should stay "
         "within 15 % in normal use.",
         "Calibration: drops/mL = drops counted to a graduated mark / that volume "
         "(35 drops to the 2 mL mark = 17.5 drops/mL).")),
    Reference(
        "ismp-oral-syringes", "Institute for Safe Medication Practices (ISMP), "
        "recommendations on oral syringes",
        ("Use metric-only oral syringes sized to the dose; a large syringe for a small "
         "dose is a known source of error.",
         "Common sizes: 0.5, 1, 3, 5, 10, 20, 35 and 60 mL."),
        ("Typical graduations: 1 mL syringe in 0.01 mL, 3 mL in 0.1 mL, 5 and 10 mL in "
         "0.2 mL (catalogue values, lower confidence).",)),
    Reference(
        "arenas-lopez-2017", "Arenas-López S et al. Arch Dis Child 2017;102:655",
        ("On 1 mL oral syringes, volumes of 0.1 mL and below were inaccurate against a "
         "+/-10 % target.",)),
    Reference(
        "iso-7886-1", "ISO 7886-1, sterile hypodermic syringes",
        (),
        ("Its tolerance formula for syringe volumes: syringe tolerance is therefore a "
         "parameter, not a built-in limit.",)),
    Reference(
        "astm-e694", "ASTM E694, laboratory glass volumetric apparatus",
        ("Graduated cylinders, class A: 10 mL +/-0.08, 25 mL +/-0.14, 50 mL +/-0.20, "
         "100 mL +/-0.35 mL; class B: 10 +/-0.1, 25 +/-0.3, 50 +/-0.4, 100 +/-0.6 mL.",
         "Volumetric flasks, class A: 25 mL +/-0.03, 50 +/-0.05, 100 +/-0.08 mL; class B "
         "twice that."),
        ("Typical cylinder graduations: 10 mL in 0.2 mL, 25 mL in 0.5 mL, 50 and 100 mL "
         "in 1 mL (catalogue values).",)),
    Reference(
        "usp-1176", "USP general chapter <1176> Prescription Balances and Volumetric "
        "Apparatus",
        ("Do not measure below about 20 % of a graduate's capacity.",
         "Least weighable quantity = sensitivity x 100 / allowed % error (a class III "
         "balance with 6 mg sensitivity: 120 mg at 5 %).")),
    Reference(
        "usp-795", "USP general chapter <795> Pharmaceutical Compounding - Nonsterile "
        "Preparations (revision official 1 November 2023)",
        ("Beyond-use dates without a stability study: aqueous, not preserved (water "
         "activity >= 0.60) 14 days refrigerated; aqueous, preserved 35 days; non-aqueous "
         "oral liquid 90 days; other non-aqueous, capsules included, 180 days (room "
         "temperature or refrigerated).",
         "A beyond-use date never runs past the earliest expiry of an ingredient.",
         "Many older tools still quote the limits from before 2023.")),
    Reference(
        "compounding-potency", "Compounding practice: potency of compounded preparations",
        ("A compounded preparation is expected within 90-110 % of its labelled strength.",)),
    Reference(
        "compounded-capsules", "USP general chapter <795>: potency of compounded "
        "preparations, applied to compounded capsules",
        ("A compounded capsule is expected within 90-110 % of its labelled strength: "
         "the default content tolerance (+/-10 %) of a stock made from capsules.",
         "LDN capsules in microcrystalline cellulose stayed within 90-110 % for 360 days "
         "(Cote et al. 2018, entry 'cote-2018')."),
        ("That the 2023 text of USP <795> itself states 90-110 % for compounded capsules "
         "has not been checked against the chapter: the figure is a default "
         "(content_tolerance), never a limit.",)),
    Reference(
        "usp-naltrexone-tablets", "USP monograph Naltrexone Hydrochloride Tablets",
        ("Tablets contain 90.0-110.0 % of the labelled amount; content uniformity per "
         "USP <905>.",
         "Bulk naltrexone hydrochloride: 98.0-102.0 %.")),
    Reference(
        "naltrexone-salt", "Naltrexone hydrochloride: formula, molar masses and product "
        "label",
        ("Naltrexone HCl C20H23NO4.HCl, 377.86 g/mol; naltrexone base 341.40 g/mol; "
         "salt factor 1.1068 (the base is 90.35 % of the salt). Tablets are labelled as "
         "the hydrochloride.",
         "Water solubility of the hydrochloride about 100 mg/mL (product label).",
         "Commercial 50 mg tablets are film-coated with insoluble excipients: a liquid "
         "made from crushed tablets is a suspension (shake well).")),
    Reference(
        "fawcett-1997", "Fawcett JM, Morgan DJ, Woods DJ. Ann Pharmacother 1997;31:1291",
        ("A 1 mg/mL oral liquid (2 x 50 mg tablets, ascorbic acid, preservative, glycerol, "
         "water to 100 mL) lost no significant potency over 90 days at 4 or 25 degrees C "
         "in the dark; recommended limits 60 days refrigerated, 30 days at room "
         "temperature.",
         "Plain-water LDN without its own data falls under the 14-day refrigerated "
         "default of USP <795>.")),
    Reference(
        "cote-2018", "Cote B et al. Int J Pharm Compd 2018;22:252",
        ("LDN capsules in microcrystalline cellulose stayed within 90-110 % for 360 days.",
         "Fillers to avoid: calcium carbonate; slow-release fillers.")),
    Reference(
        "toljan-vrooman-2018", "Toljan K, Vrooman B. Med Sci 2018;6:82",
        ("Dose bands: ultra-low below 1 mcg/day; very-low 1 mcg to 1 mg; low dose "
         "1-5 mg/day.",
         "Conventional LDN range 0.5-4.5 mg; reported extremes 0.001 mg to 16 mg; "
         "standard (addiction) dosing 50-100 mg.")),
    Reference(
        "published-ladders", "Published LDN titration ladders (examples, not "
        "recommendations)",
        ("0.5 mg start, +0.5 mg every 7 days.",
         "1.5 mg for 4 weeks, 3 mg for 4 weeks, then 4.5 mg.",
         "Common forms: oral liquid 1 mg/mL dosed with an infant oral syringe; "
         "sublingual drops by drop count; cream 0.5 mg/mL; capsules."),
        ("1.5 mg for 2 weeks, then +0.5 mg every 2 weeks, up to 4.5 mg (original "
         "publication not confirmed).",
         "Drop ladder: one 50 mg tablet in 10 mL = 0.25 mg per drop at 20 drops/mL; "
         "1 drop the first week, one more each week, up to 18 drops = 4.5 mg (original "
         "publication not confirmed).",
         "Sensitive patients: start at 0.1-0.25 mg or at microgram doses, steps every "
         "2-4 weeks, the most sensitive every 3 months (original publication not "
         "confirmed).")),
    Reference(
        "ldn-research-trust-titration", "LDN Research Trust, How to Titrate Low Dose "
        "Naltrexone (LDN)",
        ("Start at half a milligram and titrate up by half a milligram every seven days "
         "(no end point given).",),
        url="https://ldnresearchtrust.org/how-titrating-low-dose-naltrexone-ldn"),
    Reference(
        "ldn-norge-dosering", "LDN Norge, Dosering (start-up regime suggested for MS)",
        ("1.5 mg for 4 weeks, 3 mg for 4 weeks, then 4.5 mg.",),
        url="https://sites.google.com/view/ldnno/dosering"),
    Reference(
        "norway-prescriptions", "Norwegian national prescription database (LDN)",
        ("Median LDN dose 3.7 mg/day.",)),
    Reference(
        "horowitz-taylor-2019", "Horowitz MA, Taylor D. Tapering of SSRI treatment to "
        "mitigate withdrawal symptoms. Lancet Psychiatry 2019;6:538-546",
        ("Hyperbolic tapering: reduce by a fixed share of the current dose (about 10 %), "
         "so the steps get ever smaller near the end.",
         "Dose-occupancy curves are hyperbolic (Michaelis-Menten): occupancy = Emax x D / "
         "(ED50 + D); equal steps of occupancy give the doses of a taper.",
         "Small final doses need liquid preparations to be measured."),
        url="https://doi.org/10.1016/S2215-0366(19)30032-X"),
    Reference(
        "ismp-safe-writing", "ISMP and The Joint Commission, error-prone abbreviations and "
        "dose designations",
        ("No trailing zero (1 mg, never 1.0 mg); always a leading zero (0.5 mg, never "
         ".5 mg); mcg, never the micro sign; mL, never cc; a space between number and "
         "unit; thousands separators from 1,000.",
         "Tenfold (decimal-point) errors are a leading cause of compounding and "
         "paediatric dosing harm; calculation errors are often named the top cause of "
         "compounding errors.")),
    Reference(
        "ncpdp-dosing", "NCPDP recommendations for dosing oral liquid medications",
        ("mL is the only unit for oral liquids; leading zeros; no trailing zeros.",)),
)

#: key -> Reference, in the order above (devices, standards, drug, doses, writing).
REFERENCES: dict[str, Reference] = {r.key: r for r in _ALL}


def reference(key: str) -> Reference:
    """The entry cited as ``references: '<key>'``.

    Raises
    ------
    InputError
        ``key`` names no entry; the message lists the keys.
    """
    if not isinstance(key, str) or key not in REFERENCES:
        raise InputError("key", key, "one of " + ", ".join(REFERENCES))
    return REFERENCES[key]


def render(form: str = "markdown", *, brief: bool = False) -> str:
    """Every reference as text.

    Parameters
    ----------
    form : {"markdown", "text"}
        A Markdown list, or plain lines (``key: citation``, facts indented).
    brief : bool, default False
        Only ``key``, citation and URL, one line each.

    Returns
    -------
    str
        One entry after another, without a trailing newline.
    """
    if form not in ("markdown", "text"):
        raise InputError("form", form, "'markdown' or 'text'")
    if not isinstance(brief, bool):
        raise InputError("brief", brief, "True or False")
    out = []
    for r in _ALL:
        if form == "markdown":
            out.append(r.markdown().split("\n", 1)[0] if brief else r.markdown())
            continue
        out.append(f"{r.key}: {r.citation}" + (f" <{r.url}>" if r.url else ""))
        if not brief:
            out += [f"    {s}" for s in r.supports]
            out += [f"    unconfirmed: {s}" for s in r.unconfirmed]
    return "\n".join(out)
