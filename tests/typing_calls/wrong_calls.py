"""Calls mypy must flag: every line marked ``# wrong`` gets an error (tests/test_typing.py)."""

import ldn_compound as ldn

stock = ldn.Stock.from_tablets("50 mg", "10 mL")
dropper = ldn.Dropper()
m = ldn.measure(4.5, stock, dropper)  # wrong
s = ldn.Stock.from_tablets(50, "10 mL")  # wrong
s2 = ldn.Stock(drug="50 mg", volume=10)  # wrong
syringe = ldn.OralSyringe(capacity=1)  # wrong
band = ldn.classify(0.5)  # wrong
t = ldn.titrate(1.5, "0.5 mg", "4.5 mg", "2 weeks", stock, dropper)  # wrong
tp = ldn.taper("4.5 mg", 0.1, "2 weeks", stock, dropper, floor=3)  # wrong
f = ldn.Schedule.from_steps([(1.5, "4 weeks")], stock, dropper)  # wrong
p = ldn.plan_dilution(1, "50 mg")  # wrong
tr = ldn.plan_trituration(50)  # wrong
d = ldn.Dropper(drops_per_mL=[20])  # wrong
e = ldn.measure("4.5 mg", stock, dropper).check(max_rounding_error=None)  # wrong
c = ldn.Stock.from_concentration(1, "100 mL")  # wrong
