"""Worked example: one 50 mg tablet made up to 10 mL, dosed by USP dropper.

Run: python examples/worked_example.py
"""

from ldn_compound import Dropper, OralSyringe, Stock, measure

# One 50 mg naltrexone tablet crushed and made up to 10 mL: 5 mg/mL.
stock = Stock.from_tablets("50 mg", volume="10 mL", count=1)
dropper = Dropper(drops_per_mL=20)  # USP <1101> medicine dropper

print(f"Concentration: {stock.concentration.to('mg/mL').magnitude:g} mg/mL")
print(f"Dose per drop: {stock.dose_per(dropper).to('mg').magnitude:g} mg")

m = measure("4.5 mg", stock, dropper)
print(m)

# The same 4.5 mg from a 1 mg/mL liquid (2 x 50 mg in 100 mL) with a 5 mL oral syringe.
liquid = Stock.from_tablets("50 mg", volume="100 mL", count=2)
print()
print(measure("4.5 mg", liquid, OralSyringe(capacity="5 mL", graduation="0.1 mL")))
