"""Batches of every input form measure_many reads, with what measure() takes for each element."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Stock, measure_many
from ldn_compound.strategies import devices, rounding_modes, stocks
from ldn_compound.units import Q_

#: mg per unit of each mass unit the parser accepts.
MG_PER = {"g": Fraction(1000), "mg": Fraction(1), "mcg": Fraction(1, 1000),
          "ng": Fraction(1, 10**6)}
#: Odd floats: not short decimals at any scale the batch tries, or long ones.
ODD = [0.1 + 0.2, 1 / 3, 2.675000000001, 4.123456789012, 0.0100000000001]
FORMS = ("float64", "float32", "int", "uint16", "decimal", "fraction", "pyint", "long",
         "strings", "quantity")


class Case(NamedTuple):
    """A batch's arguments, and each element's scalar arguments (flat, row-major)."""

    doses: Any
    stock: Any
    device: Any
    rounding: str
    allow_high_dose: bool
    shape: tuple[int, ...]
    scalar: list[tuple[Any, Stock, Any]]  # (dose as measure() takes it, stock, device)

    def measure(self) -> Any:
        """measure_many of the case."""
        return measure_many(self.doses, self.stock, self.device, rounding=self.rounding,
                            allow_high_dose=self.allow_high_dose)


def _mg(draw: st.DrawFn) -> Fraction:
    """A plausible dose in mg: mostly LDN doses, some over 5 mg and some of 45 mg or more."""
    d = draw(st.one_of(st.decimals("0.001", "6", places=3), st.decimals("4", "60", places=2),
                       st.sampled_from([Decimal(45), Decimal(5), Decimal("0.05")])))
    return Fraction(d)


@st.composite
def dose_lists(draw: st.DrawFn, n: int) -> tuple[Any, list[Any]]:
    """(doses for measure_many, each dose as measure() takes it) in one of FORMS."""
    form = draw(st.sampled_from(FORMS))
    unit = draw(st.sampled_from(sorted(MG_PER)))
    per = MG_PER[unit]
    mg = [_mg(draw) for _ in range(n)]
    if form in ("float64", "float32"):
        xs = [float(m / per) for m in mg]
        xs = [draw(st.sampled_from(ODD)) if draw(st.integers(0, 4)) == 0 else x for x in xs]
        arr = np.array(xs, dtype=form)
        return (arr, unit), [(x, unit) for x in arr]
    if form in ("int", "uint16"):
        ints = [max(1, min(int(m / per), 9_000)) for m in mg]
        arr = np.array(ints, dtype=np.int64 if form == "int" else np.uint16)
        return (arr, unit), [(int(x), unit) for x in ints]
    if form == "long":  # 20 significant digits: denominators past 2**52, Python ints
        vals = [Decimal(int(m / per * 10**17)) / 10**17 + Decimal("1e-19") for m in mg]
        vals = [v if v > 0 else Decimal("0.5") for v in vals]
    elif form == "decimal":
        vals = [Decimal(str(float(m / per))) for m in mg]
    elif form == "fraction":
        vals = [m / per * Fraction(draw(st.integers(1, 7)), 7) or Fraction(1) for m in mg]
    elif form == "pyint":
        vals = [max(1, int(m / per)) for m in mg]
    else:
        vals = [m / per for m in mg]
    texts = [f"{Fraction(v)} {unit}" for v in vals]
    if form == "strings":
        return texts, texts
    if form == "quantity":
        return Q_(np.array([float(v) for v in vals]), unit), \
            [(float(v), unit) for v in vals]
    arr = np.empty(n, dtype=object)
    arr[:] = vals
    return (arr, unit), texts


@st.composite
def cases(draw: st.DrawFn, max_size: int = 5) -> Case:
    """A batch of 1 or 2 dimensions: doses along the last axis, maybe a column of stocks
    and a device per dose."""
    n = draw(st.integers(1, max_size))
    doses, scalar_doses = draw(dose_lists(n))
    column = draw(st.lists(stocks(), min_size=1, max_size=3))
    per_dose = draw(st.booleans())
    device_list = draw(st.lists(devices(), min_size=n, max_size=n)) if per_dose \
        else [draw(st.one_of(devices(), st.just(OralSyringe(capacity="1 mL"))))]
    if len(column) == 1:
        stock: Any = column[0]
        shape: tuple[int, ...] = (n,)
    else:
        stock = np.empty((len(column), 1), dtype=object)
        stock[:, 0] = column
        shape = (len(column), n)
    device = device_list if per_dose else device_list[0]
    scalar = [(scalar_doses[j % n], column[j // n], device_list[j % n] if per_dose
               else device_list[0]) for j in range(int(np.prod(shape)))]
    return Case(doses, stock, device, draw(rounding_modes()), draw(st.booleans()), shape,
                scalar)


def index(shape: tuple[int, ...], flat: int) -> tuple[int, ...]:
    """The index tuple of flat element ``flat``."""
    return tuple(int(i) for i in np.unravel_index(flat, shape))


__all__ = ["FORMS", "MG_PER", "ODD", "Case", "Dropper", "cases", "index"]
