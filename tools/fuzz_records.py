"""Fuzz every record kind: tens of thousands of damaged records read back (issue 21).

Slow and not part of ``.ci/run`` (``tests/test_fuzz_records.py`` runs the same damages
under hypothesis, 100 examples, in the suite). Usage, from the repository root::

    python tools/fuzz_records.py                     # 30,000 damages, seed 0
    python tools/fuzz_records.py --mutations 100000 --seed 7

Each damage picks a record kind (every kind in turn, so each gets the same share), one
of its sample records, one field (any depth, or the record itself; 3 times in 10, two or
three fields one after another), one damage from
``tests/record_fuzz.py`` (null, NaN, inf, 1e400, a huge integer, an empty or wrong-typed
value, deep nesting, a removed or extra field ...) and a route (dict or JSON text). The
record is read by ``records.load``/``from_dict`` or ``records.from_json``/``from_json``;
anything other than a consistent object or the library's own error is counted and the
first of each kind is printed. Exit status 1 if any raw exception escaped.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import record_fuzz as fuzz


def main(argv: list[str] | None = None) -> int:
    """Run the damages; print how many, and every raw exception's first example."""
    args = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    args.add_argument("--mutations", type=int, default=30_000)
    args.add_argument("--seed", type=int, default=0)
    opts = args.parse_args(argv)
    rng = random.Random(opts.seed)
    names = sorted(fuzz.SAMPLES)
    paths = {name: [list(fuzz.paths(r)) for r in fuzz.SAMPLES[name]] for name in names}
    per_kind: Counter[str] = Counter()
    raw: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], str] = {}
    start = time.perf_counter()
    for i in range(opts.mutations):
        name = names[i % len(names)]
        which = rng.randrange(len(fuzz.SAMPLES[name]))
        steps: list[tuple[tuple[object, ...], fuzz.Damage]] = [
            (rng.choice(paths[name][which]), rng.choice(fuzz.ALL_DAMAGES))
            for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3))]
        via_text = rng.random() < 0.5
        record = fuzz.SAMPLES[name][which]
        exc = fuzz.outcome(name, record, steps, via_text)
        per_kind[name] += 1
        if exc is not None:
            key = (name, type(exc).__name__)
            raw[key] += 1
            first.setdefault(key, f"{'text' if via_text else 'dict'} {steps}: "
                                  f"{str(exc)[:160]}")
    took = time.perf_counter() - start
    print(f"{opts.mutations:,} damages over {len(names)} record kinds (seed {opts.seed}, "
          f"{took:.0f} s); raw exceptions: {sum(raw.values()):,}")
    print("per kind: " + ", ".join(f"{n} {per_kind[n]:,}" for n in names))
    print("refused: " + ", ".join(f"{cls} {kind} {n:,}"
                                  for (cls, kind), n in fuzz.REFUSED.most_common()))
    for key, n in raw.most_common():
        print(f"  {key[0]}: {key[1]} x{n:,}; first: {first[key]}")
    return 1 if raw else 0


if __name__ == "__main__":
    sys.exit(main())
