"""Calls a caller may write: mypy must accept every one (tests/test_typing.py)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pint

from ldn_compound import (
    Dropper,
    OralSyringe,
    Schedule,
    Stock,
    classify,
    measure,
    plan_dilution,
    plan_trituration,
    taper,
    titrate,
)

ureg = pint.UnitRegistry()
stock = Stock.from_tablets("50 mg", "10 mL", 1)
stock2 = Stock.from_tablets((50, "mg"), volume=ureg.Quantity(10, "mL"), count=0.5)
stock3 = Stock(drug="50 mg", volume="10 mL", content_tolerance="10 %", volume_tolerance=0.02)
dropper = Dropper(20, volume_error=Fraction(1, 10))
syringe = OralSyringe(capacity="1 mL", graduation=(0.01, "mL"))
m = measure("4.5 mg", stock, dropper)
m2 = measure((450, "mcg"), stock2, syringe, rounding="down")
m3 = measure(ureg.Quantity(Decimal("4.5"), "mg"), stock3, dropper).check(0.05)
band = classify("0.5 mcg")
s = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", stock, dropper,
            start_date=dt.date(2026, 11, 22))
t = taper("4.5 mg", 0.1, "2 weeks", stock, syringe, floor="3 mg", start_date="2026-11-22")
d = Schedule.from_drops(stock, dropper, 1, 1, 18, every=(7, "days"))
f = Schedule.from_steps([("1.5 mg", "4 weeks"), ("3 mg", 28)], stock, dropper)
sup = s.supply(overage="10 %")
plan = plan_dilution("1 mcg", "50 mg", max_volume="100 mL")
trit = plan_trituration("50 mcg", capsules=100, fill="200 mg", purity=Decimal("0.99"))
stock4 = Stock.from_concentration("1 mg/mL", "100 mL")
