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
    "FLASK_CLASS_B_FACTOR",
    "FLASK_TOLERANCE_ML",
    "HCL_MOLAR_MASS",
    "LDN_MAX_MG",
    "MAX_DEFAULT_MAKE_UP_TOLERANCE",
    "MIN_FILL",
    "POTENCY_WINDOW",
    "SMALL_SYRINGE_VOLUME_ML",
    "SOLUBILITY_MG_PER_ML",
    "SYRINGE_SIZES_ML",
    "SYRINGE_TOLERANCE",
    "TABLET_CONTENT_TOLERANCE",
    "TYPICAL_SYRINGE_GRADUATION_ML",
    "ULDN_BELOW_MG",
    "USP_DROPPER_TOLERANCE",
    "USP_DROPS_PER_ML",
    "USUAL_LDN_MAX_MG",
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
