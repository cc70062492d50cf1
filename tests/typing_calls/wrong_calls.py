"""Calls mypy must flag: every line marked ``# wrong`` gets an error (tests/test_typing.py)."""

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

stock = Stock.from_tablets("50 mg", "10 mL")
dropper = Dropper()
m = measure(4.5, stock, dropper)  # wrong
s = Stock.from_tablets(50, "10 mL")  # wrong
s2 = Stock(drug="50 mg", volume=10)  # wrong
syringe = OralSyringe(capacity=1)  # wrong
band = classify(0.5)  # wrong
t = titrate(1.5, "0.5 mg", "4.5 mg", "2 weeks", stock, dropper)  # wrong
tp = taper("4.5 mg", 0.1, "2 weeks", stock, dropper, floor=3)  # wrong
f = Schedule.from_steps([(1.5, "4 weeks")], stock, dropper)  # wrong
p = plan_dilution(1, "50 mg")  # wrong
tr = plan_trituration(50)  # wrong
d = Dropper(drops_per_mL=[20])  # wrong
e = measure("4.5 mg", stock, dropper).check(max_rounding_error=None)  # wrong
c = Stock.from_concentration(1, "100 mL")  # wrong
