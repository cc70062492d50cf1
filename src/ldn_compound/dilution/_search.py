"""The search behind :func:`~ldn_compound.plan_dilution`, on exact integers.

Volumes are whole multiples of one small unit (the least common denominator
of every volume the equipment measures), so every ratio is exact and cheap.

A chain of ``k`` steps makes the final concentration
``base * prod(A) / prod(B)``. The preference order is fewest steps, then least
liquid made (``sum(B)``), then larger transfers (largest smallest transfer,
then largest total). For each ``k`` the make-up volumes are enumerated as
non-decreasing tuples whose product reaches the least dilution the target
needs, cheapest first; each tuple's orderings are then checked exactly for
transfer volumes that land the final concentration where the device measures
every dose within the tolerance.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs

from .._exact import ceil_div

__all__ = ["Chain", "SearchSpace", "Serves", "search"]

#: Exact test of a final concentration (mg/mL) and final volume (scaled): the
#: largest relative rounding error of the doses, or None if it fails.
Serves = Callable[[Fraction, int], "Fraction | None"]

#: Most steps a plan may have; more than this is not a practical dilution.
MAX_STEPS = 5
#: Most make-up tuples tried for one number of steps before giving up on it.
MAX_TUPLES = 5000


@attrs.frozen
class SearchSpace:
    """What the equipment can measure, as whole multiples of ``1 / scale`` mL."""

    scale: int
    takes: tuple[int, ...]  # ascending transfer volumes
    make_ups: tuple[int, ...]  # ascending make-up volumes


@attrs.frozen
class Chain:
    """A found chain: make-up volumes, transfer volumes (None for a tablet step)."""

    make_ups: tuple[int, ...]
    takes: tuple[int | None, ...]
    concentration: Fraction  # mg/mL of the last liquid


#: Most candidate chains one plan_dilution call may examine. Normal plans need far
#: fewer (a 1 mcg plan a few hundred; the test suite's largest ladders some
#: thousands); a ladder whose search grows past this is refused, not left running.
MAX_WORK = 200_000


class SearchTooLarge(Exception):
    """The search examined :data:`MAX_WORK` candidates without finishing."""


class Budget:
    """Work left for one planning call, shared by all its searches (deterministic)."""

    __slots__ = ("left", "used")

    def __init__(self, limit: int = MAX_WORK) -> None:
        self.left = limit
        self.used = 0

    def spend(self) -> None:
        self.left -= 1
        self.used += 1
        if self.left < 0:
            raise SearchTooLarge


def search(
    space: SearchSpace,
    *,
    tablet_mg: Fraction | None,
    stock_conc: Fraction | None,
    stock_volume: int | None,
    window: tuple[Fraction, Fraction],
    serves: Serves,
    max_conc: Fraction,
    steps: Sequence[int] = range(1, MAX_STEPS + 1),
    budget: Budget | None = None,
) -> Chain | None:
    """The preferred chain of ``k`` steps for the smallest ``k`` in ``steps`` that has one.

    Parameters
    ----------
    tablet_mg, stock_conc, stock_volume
        Either the drug of the tablets (first step dissolves them), or the
        concentration (mg/mL) and volume (scaled) of a liquid source.
    window
        (low, high) mg/mL: a necessary range for the final concentration.
    serves
        Exact test of a final concentration (mg/mL) and final volume (scaled):
        the largest relative rounding error of the doses, or None if it fails.
    max_conc
        Highest concentration a liquid may have (solubility), mg/mL.
    """
    lo, hi = window
    if lo > hi or not space.takes or not space.make_ups:
        return None
    # Dilution only weakens: the strongest first liquid must reach the window.
    strongest = (tablet_mg * space.scale / space.make_ups[0] if tablet_mg is not None
                 else stock_conc)
    if strongest is None or strongest < lo:
        return None
    # Tablets dissolve in the first make-up: below the least that stays within
    # solubility, no chain exists, and a chain's tuples must hold one at least that big.
    least_first = 0
    if tablet_mg is not None:
        least_first = ceil_div(tablet_mg * space.scale / max_conc)
        if least_first > space.make_ups[-1]:
            return None
    work = Budget() if budget is None else budget
    for k in steps:
        found = _search_k(space, k, tablet_mg, stock_conc, stock_volume, lo, hi, serves,
                          max_conc, work, least_first)
        if found is not None:
            return found
    return None


def _search_k(
    space: SearchSpace, k: int, tablet_mg: Fraction | None, stock_conc: Fraction | None,
    stock_volume: int | None, lo: Fraction, hi: Fraction, serves: Serves,
    max_conc: Fraction, budget: Budget, least_first: int = 0,
) -> Chain | None:
    """The preferred chain of exactly ``k`` steps; every tuple's largest make-up is at
    least ``least_first`` (the first make-up, dissolving tablets, is one of them)."""
    bs = space.make_ups
    a_min = space.takes[0]
    tablet = tablet_mg is not None
    n_liquid = k - 1 if tablet else k
    # base * prod(A) / prod(B) is the final concentration.
    base = tablet_mg * space.scale if tablet_mg is not None else stock_conc
    assert base is not None
    # Least product of make-ups: every transfer at its smallest still dilutes to <= hi.
    need = base * Fraction(a_min) ** n_liquid / hi
    if Fraction(bs[-1]) ** k < need:
        return None
    # Non-decreasing tuples, cheapest sum first; a failed tuple yields its successor.
    heap: list[tuple[int, tuple[int, ...]]] = []
    for prefix in _prefixes(bs, k - 1, need):
        last = _least_last(bs, prefix, need, least_first)
        if last is not None:
            tup = (*prefix, bs[last])
            heapq.heappush(heap, (sum(tup), tup))
    seen: set[tuple[int, ...]] = set()
    pops = 0
    best: tuple[tuple[int, int, Fraction], Chain] | None = None
    best_sum: int | None = None
    while heap:
        total, tup = heapq.heappop(heap)
        if best_sum is not None and total > best_sum:
            break
        if tup in seen:
            continue
        seen.add(tup)
        for order in sorted(set(itertools.permutations(tup)), reverse=True):
            budget.spend()
            if tablet and Fraction(tablet_mg * space.scale, order[0]) > max_conc:  # type: ignore[operator]
                continue
            found = _best_takes(space, order, tablet, base, stock_volume, lo, hi, serves,
                                budget)
            if found is not None:
                score, chain = found
                if best is None or score > best[0]:
                    best = (score, chain)
                best_sum = total
        if best_sum is None:
            pops += 1
            if pops > MAX_TUPLES:
                break
            # Successors: each make-up one size larger, the tuple kept non-decreasing,
            # so every tuple that reaches the product is met, cheapest first.
            for pos in range(k):
                i = bisect.bisect_right(bs, tup[pos])
                if i < len(bs) and (pos == k - 1 or bs[i] <= tup[pos + 1]):
                    nxt = (*tup[:pos], bs[i], *tup[pos + 1:])
                    heapq.heappush(heap, (sum(nxt), nxt))
    return None if best is None else best[1]


def _prefixes(bs: Sequence[int], m: int, need: Fraction) -> list[tuple[int, ...]]:
    """Non-decreasing ``m``-tuples of make-ups that leave room for the last one."""
    if m == 0:
        return [()]
    top = bs[-1]
    out: list[tuple[int, ...]] = []

    def grow(prefix: tuple[int, ...], start: int, prod: int) -> None:
        if len(prefix) == m:
            out.append(prefix)
            return
        left = m - len(prefix) + 1  # this one, the rest, and the last
        for i in range(start, len(bs)):
            b = bs[i]
            # Cheapest completion makes every later make-up >= b; the product
            # must still be reachable with the largest make-up.
            if prod * b * top ** (left - 1) < need:
                continue
            grow((*prefix, b), i, prod * b)
            # Once b alone completes the product, a larger b only costs more.
            if prod * b ** left >= need:
                break

    grow((), 0, 1)
    return out


def _least_last(bs: Sequence[int], prefix: tuple[int, ...], need: Fraction,
                least_first: int = 0) -> int | None:
    prod = math.prod(prefix)
    least = max(ceil_div(need / prod), prefix[-1] if prefix else 0, least_first)
    i = bisect.bisect_left(bs, least)
    return i if i < len(bs) else None


def _best_takes(
    space: SearchSpace, order: tuple[int, ...], tablet: bool, base: Fraction,
    stock_volume: int | None, lo: Fraction, hi: Fraction,
    serves: Serves, budget: Budget,
) -> tuple[tuple[int, int, Fraction], Chain] | None:
    """Transfers for make-ups in ``order``: largest smallest transfer, then largest total,
    then smallest rounding error."""
    takes = space.takes
    a_min = takes[0]
    liquid = order[1:] if tablet else order
    conc0 = base / order[0] if tablet else base
    prev0 = order[0] if tablet else stock_volume
    n = len(liquid)
    if n == 0:
        err = serves(conc0, order[0])
        return None if err is None else ((0, 0, -err), Chain(order, (None,), conc0))
    # Least dilution still to come after step i (every transfer at its smallest).
    rest = [Fraction(1)] * (n + 1)
    for i in range(n - 1, -1, -1):
        rest[i] = rest[i + 1] * Fraction(a_min, liquid[i])
    best: tuple[tuple[int, int, Fraction], tuple[int, ...], Fraction] | None = None

    def walk(i: int, conc: Fraction, prev: int | None, chosen: tuple[int, ...]) -> None:
        nonlocal best
        budget.spend()
        b = liquid[i]
        top = b - 1 if prev is None else min(b - 1, prev)
        if i == n - 1:
            # conc * a / b in [lo, hi]
            a_lo = max(a_min, ceil_div(lo * b / conc))
            a_hi = min(top, (hi * b / conc).__floor__())
            j = bisect.bisect_right(takes, a_hi) - 1
            while j >= 0 and takes[j] >= a_lo:
                budget.spend()
                a = takes[j]
                final = conc * a / b
                err = serves(final, b)
                if err is not None:
                    picked = (*chosen, a)
                    score = (min(picked), sum(picked), -err)
                    if best is None or score > best[0]:
                        best = (score, picked, final)
                    return
                j -= 1
            return
        # conc * a / b >= lo, and still dilutable to <= hi by the steps after it.
        a_lo = max(a_min, ceil_div(lo * b / conc))
        a_hi = min(top, (hi * b / (conc * rest[i + 1])).__floor__())
        if best is not None:
            a_lo = max(a_lo, best[0][0])  # the smallest transfer could only get smaller
        j = bisect.bisect_right(takes, a_hi) - 1
        while j >= 0 and takes[j] >= a_lo:
            a = takes[j]
            j -= 1
            walk(i + 1, conc * a / b, b, (*chosen, a))

    walk(0, conc0, prev0, ())
    if best is None:
        return None
    score, picked, final = best
    all_takes: tuple[int | None, ...] = ((None, *picked) if tablet else picked)
    return score, Chain(order, all_takes, final)
