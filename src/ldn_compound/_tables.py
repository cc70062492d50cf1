"""Every sourced constant, once, with its source beside it.

Exact values in the library's fixed units (mg, mL, mg/mL, days). Sources are
keys of :mod:`ldn_compound.references`, where the full citations live. A
figure marked *unconfirmed* there is a configurable default, never a limit.
Nothing here computes: the rules that use these numbers are in ``_rules``.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = [
    "BASE_MOLAR_MASS",
    "BUD",
    "CALIBRATED_DROPPER_TOLERANCE",
    "CAPSULE_CONTENT_TOLERANCE",
    "CYLINDER_GRADUATION_ML",
    "CYLINDER_TOLERANCE_ML",
    "DECIMAL_SLIP_FACTOR",
    "DEFAULT_BALANCE_SENSITIVITY_MG",
    "DEFAULT_WEIGHING_ERROR",
    "DOSE_RATE_TYPE_SYSTEM",
    "FLASK_CLASS_B_FACTOR",
    "FLASK_TOLERANCE_ML",
    "HCL_MOLAR_MASS",
    "LDN_MAX_MG",
    "MAX_COUNTED_DROPS",
    "MAX_DEFAULT_MAKE_UP_TOLERANCE",
    "MEDICATION_REQUEST_INTENT",
    "MEDICATION_REQUEST_STATUS",
    "MIN_FILL",
    "ORAL_ROUTE_SNOMED",
    "POTENCY_WINDOW",
    "QUANTITY_BASE_UNITS",
    "SI_PREFIX_EXPONENTS",
    "SMALL_SYRINGE_VOLUME_ML",
    "SNOMED_SYSTEM",
    "SOLUBILITY_MG_PER_ML",
    "STUDIED_VEHICLES",
    "SYRINGE_SIZES_ML",
    "SYRINGE_TOLERANCE",
    "TABLET_CONTENT_TOLERANCE",
    "TYPICAL_SYRINGE_GRADUATION_ML",
    "UCUM_SYSTEM",
    "ULDN_BELOW_MG",
    "USP_DROPPER_TOLERANCE",
    "USP_DROPS_PER_ML",
    "USUAL_LDN_MAX_MG",
    "VEHICLES",
    "VLDN_BELOW_MG",
    "WEIGHING_RESOLUTION_SHARE",
]

# -- measuring devices ---------------------------------------------------------------
# USP <1101>: a medicine dropper held vertically delivers 45-55 mg of water per
# drop: nominal 20 drops/mL, +/-10 %.
USP_DROPS_PER_ML = Fraction(20)
USP_DROPPER_TOLERANCE = Fraction(1, 10)
# USP <1101>: a dropper calibrated with the actual preparation should not err by
# more than 15 % in normal use.
CALIBRATED_DROPPER_TOLERANCE = Fraction(15, 100)
# The most drops one dose may be counted in: 20, one mL of USP drops (20 drops/mL,
# USP <1101>). The published drop ladder tops out at 18 drops = 4.5 mg
# ('published-ladders'); a larger volume is one draw of an oral syringe (ISMP: size
# the device to the dose), where counting adds a miscount chance per drop.
MAX_COUNTED_DROPS = 20

# ISMP: metric oral syringes, sized to the dose; common sizes, mL.
SYRINGE_SIZES_ML = (Fraction(1, 2), Fraction(1), Fraction(3), Fraction(5), Fraction(10),
                    Fraction(20), Fraction(35), Fraction(60))
# Typical graduations, mL (catalogue values, lower confidence: references "oral-syringes").
TYPICAL_SYRINGE_GRADUATION_ML = {
    Fraction(1, 2): Fraction(1, 100), Fraction(1): Fraction(1, 100),
    Fraction(3): Fraction(1, 10), Fraction(5): Fraction(1, 5), Fraction(10): Fraction(1, 5),
}
# ISO 7886-1's tolerance formula is unconfirmed, so this is only a default:
# Arenas-Lopez et al., Arch Dis Child 2017;102:655 judged 1 mL oral syringes
# against a +/-10 % target.
SYRINGE_TOLERANCE = Fraction(1, 10)
# Arenas-Lopez et al. 2017: volumes of 0.1 mL and below missed the +/-10 % target.
SMALL_SYRINGE_VOLUME_ML = Fraction(1, 10)
# USP <1176>: don't measure below about 20 % of a graduate's capacity; ISMP:
# size an oral syringe to the dose. Held for syringes and glassware alike.
MIN_FILL = Fraction(1, 5)

# ASTM E694 graduated cylinders, capacity mL -> tolerance mL, by class.
CYLINDER_TOLERANCE_ML = {
    "A": {Fraction(10): Fraction(8, 100), Fraction(25): Fraction(14, 100),
          Fraction(50): Fraction(20, 100), Fraction(100): Fraction(35, 100)},
    "B": {Fraction(10): Fraction(1, 10), Fraction(25): Fraction(3, 10),
          Fraction(50): Fraction(4, 10), Fraction(100): Fraction(6, 10)},
}
# Largest share of a stock's volume the default make-up tolerance may be: 10 %,
# so a stock made up in a 10 mL class B cylinder (+/-0.1 mL) needs at least 1 mL;
# below that the volume is measured with a syringe or a volumetric flask.
MAX_DEFAULT_MAKE_UP_TOLERANCE = Fraction(1, 10)
# Typical cylinder graduations, mL (catalogue values, lower confidence): 10 mL in
# 0.2 mL, 25 mL in 0.5 mL, 50 and 100 mL in 1 mL.
CYLINDER_GRADUATION_ML = {Fraction(10): Fraction(1, 5), Fraction(25): Fraction(1, 2),
                          Fraction(50): Fraction(1), Fraction(100): Fraction(1)}
# Volumetric flasks, class A, capacity mL -> tolerance mL; class B is twice that.
FLASK_TOLERANCE_ML = {Fraction(25): Fraction(3, 100), Fraction(50): Fraction(5, 100),
                      Fraction(100): Fraction(8, 100)}
FLASK_CLASS_B_FACTOR = 2

# Balances: least weighable quantity = sensitivity x 100 / allowed % error; a
# class III balance with 6 mg sensitivity at 5 % weighs at least 120 mg.
DEFAULT_BALANCE_SENSITIVITY_MG = Fraction(6)
DEFAULT_WEIGHING_ERROR = Fraction(5, 100)
# Not a sourced figure: weighed amounts are written (and used) rounded to the
# largest power of ten not above 1 % of the least weighable quantity, so the
# rounding moves no weighing by more than 0.5 %.
WEIGHING_RESOLUTION_SHARE = Fraction(1, 100)

# -- compounding standards -----------------------------------------------------------
# USP <795> (revision official 1 Nov 2023), beyond-use dates without a stability
# study: preparation -> (longest BUD in days, storage).
BUD: dict[str, tuple[int, str]] = {
    # aqueous, not preserved (water activity >= 0.60): 14 days refrigerated
    "aqueous": (14, "Keep refrigerated."),
    # aqueous, preserved: 35 days, room temperature or refrigerated
    "aqueous_preserved": (35, "Store at room temperature or in a refrigerator."),
    # non-aqueous oral liquid: 90 days, room temperature or refrigerated
    "nonaqueous": (90, "Store at room temperature or in a refrigerator."),
    # other non-aqueous, capsules included: 180 days, room temperature or refrigerated
    "solid": (180, "Store at room temperature or in a refrigerator."),
}
# What each USP <795> category of liquid is made up with (the making instructions
# name it); "solid" is a capsule filler (Cote et al. 2018: microcrystalline cellulose).
VEHICLES: dict[str, str] = {
    "aqueous": "purified water",
    "aqueous_preserved": "a preserved aqueous vehicle",
    "nonaqueous": "a non-aqueous oral vehicle",
    "solid": "microcrystalline cellulose",
}
# Vehicles with their own stability study, which sets the BUD instead of the
# USP <795> default: name -> (vehicle, BUD days, storage, USP category, reference key,
# the concentration studied, mg/mL).
# Fawcett, Morgan & Woods, Ann Pharmacother 1997;31:1291: a 1 mg/mL liquid of naltrexone
# tablets with ascorbic acid, preservative, glycerol and water lost no significant
# potency over 90 days; recommended limits 60 days refrigerated, 30 at room temperature.
STUDIED_VEHICLES: dict[str, tuple[str, int, str, str, str, Fraction]] = {
    "preserved_glycerol": ("glycerol and purified water with ascorbic acid and a "
                           "preservative (Fawcett et al. 1997)", 60, "Keep refrigerated.",
                           "aqueous_preserved", "fawcett-1997", Fraction(1)),
}
# USP <795>: compounded preparations are expected within 90-110 % of label.
POTENCY_WINDOW = Fraction(1, 10)
# USP monograph, Naltrexone Hydrochloride Tablets: 90.0-110.0 % of label.
TABLET_CONTENT_TOLERANCE = Fraction(1, 10)
# Compounded capsules are held to the potency of compounded preparations, 90-110 %
# of label (USP <795>; references: 'compounded-capsules', where the chapter text
# is marked unconfirmed). A commercial capsule's own monograph may be tighter.
CAPSULE_CONTENT_TOLERANCE = POTENCY_WINDOW

# -- naltrexone ----------------------------------------------------------------------
# Molar masses, g/mol: naltrexone hydrochloride C20H23NO4.HCl 377.86, base 341.40
# (salt factor 1.1068; the base is 90.35 % of the salt).
HCL_MOLAR_MASS = Fraction("377.86")
BASE_MOLAR_MASS = Fraction("341.40")
# Product label: naltrexone HCl dissolves in water to about 100 mg/mL.
SOLUBILITY_MG_PER_ML = Fraction(100)

# -- dose bands ----------------------------------------------------------------------
# Toljan & Vrooman, Med Sci 2018;6:82: ULDN below 1 mcg/day; VLDN 1 mcg to 1 mg;
# LDN 1-5 mg/day.
ULDN_BELOW_MG = Fraction(1, 1000)
VLDN_BELOW_MG = Fraction(1)
LDN_MAX_MG = Fraction(5)
# Conventional LDN range 0.5-4.5 mg (Toljan & Vrooman 2018).
USUAL_LDN_MAX_MG = Fraction(9, 2)
# ISMP: tenfold (decimal-point) errors lead compounding and paediatric dosing
# harm; ten times the usual maximum is taken for a slip unless confirmed.
DECIMAL_SLIP_FACTOR = 10

# -- HL7 FHIR R4 export (ldn_compound.fhir) -------------------------------------------
# UCUM (Unified Code for Units of Measure), the code system FHIR Quantity uses for
# units: hl7.org/fhir/R4/datatypes.html#Quantity. UCUM writes micrograms "ug" and days "d".
UCUM_SYSTEM = "http://unitsofmeasure.org"
# FHIR R4 DoseAndRateType code system (hl7.org/fhir/R4/codesystem-dose-rate-type.html):
# "ordered" is the dose as ordered, "calculated" one the system worked out from it.
DOSE_RATE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/dose-rate-type"
# SNOMED CT 26643006 "Oral route", from the FHIR R4 SNOMED CT Route Codes value set
# (hl7.org/fhir/R4/valueset-route-codes.html).
SNOMED_SYSTEM = "http://snomed.info/sct"
ORAL_ROUTE_SNOMED = ("26643006", "Oral route")
# FHIR R4 MedicationRequest.status and .intent (required bindings):
# hl7.org/fhir/R4/valueset-medicationrequest-status.html, -intent.html.
MEDICATION_REQUEST_STATUS = ("active", "on-hold", "cancelled", "completed", "entered-in-error",
                             "stopped", "draft", "unknown")
MEDICATION_REQUEST_INTENT = ("proposal", "plan", "order", "original-order", "reflex-order",
                             "filler-order", "instance-order", "option")

# -- units a caller's Quantity may carry -----------------------------------------------
# SI Brochure, 9th ed., table 7: each SI prefix is an exact power of ten.
SI_PREFIX_EXPONENTS = {
    "yotta": 24, "zetta": 21, "exa": 18, "peta": 15, "tera": 12, "giga": 9, "mega": 6,
    "kilo": 3, "hecto": 2, "deca": 1, "deka": 1, "deci": -1, "centi": -2, "milli": -3,
    "micro": -6, "nano": -9, "pico": -12, "femto": -15, "atto": -18, "zepto": -21,
    "yocto": -24, "": 0,
}
# base unit -> (exponents of mass, volume, time; exact factor to mg, mL, day)
QUANTITY_BASE_UNITS: dict[str, tuple[tuple[int, int, int], Fraction]] = {
    "gram": ((1, 0, 0), Fraction(1000)),
    "liter": ((0, 1, 0), Fraction(1000)), "litre": ((0, 1, 0), Fraction(1000)),
    "cubic_centimeter": ((0, 1, 0), Fraction(1)),
    "day": ((0, 0, 1), Fraction(1)), "week": ((0, 0, 1), Fraction(7)),
    "hour": ((0, 0, 1), Fraction(1, 24)),
}
