"""ldn_compound benchmarks: each one side by side with its baseline, in the same run.

Run from the repository root::

    python benchmarks/run.py            # about a minute on 2 cores
    python benchmarks/run.py --quick    # fewer repeats, for a smoke test

Prints the machine it ran on, then each timing (median and best of several
repeats, measured with time.perf_counter) and each ratio against its goal.
Benchmarks report; the test suite never asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
if SRC.is_dir() and str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))  # the working tree's package, installed or not

import numpy as np  # noqa: E402
import pint  # noqa: E402

import ldn_compound  # noqa: E402
from ldn_compound import Dropper, Stock, measure, measure_many  # noqa: E402


def cpu_name() -> str:
    """The CPU model, from /proc/cpuinfo where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    return (f"{platform.platform()}; {cpu_name()}; {os.cpu_count()} logical CPUs; "
            f"Python {platform.python_version()} ({platform.python_implementation()}); "
            f"numpy {np.__version__}; pint {pint.__version__}; "
            f"ldn_compound {ldn_compound.__version__}")


def per_call(fn: Callable[[], Any], number: int, repeat: int) -> list[float]:
    """Seconds per call, one figure per repeat."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        out.append((time.perf_counter() - t0) / number)
    return out


def side_by_side(a: Callable[[], Any], b: Callable[[], Any], repeat: int,
                 number: int = 1) -> tuple[list[float], list[float]]:
    """Time a and b alternately, so both see the same machine state."""
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(repeat):
        ta += per_call(a, number, 1)
        tb += per_call(b, number, 1)
    return ta, tb


def show(label: str, times: list[float], unit: str = "us") -> None:
    scale = {"us": 1e6, "ms": 1e3, "s": 1.0}[unit]
    print(f"  {label:<58} median {statistics.median(times) * scale:10.2f} {unit}   "
          f"best {min(times) * scale:10.2f} {unit}")


def verdict(ratio: float, goal: str, met: bool) -> str:
    return f"{ratio:.3g}x (goal: {goal}) -> {'met' if met else 'NOT met'}"


# -- 1. scalar measure vs a naive pint pipeline ---------------------------------------


def bench_scalar(quick: bool) -> None:
    print("\n1. One dose: ldn_compound.measure(text, stock, dropper) vs naive pint")
    stock = Stock.from_tablets("50 mg", "10 mL")
    dropper = Dropper(drops_per_mL=20)
    ureg = pint.UnitRegistry()
    conc = ureg.Quantity(5, "mg/mL")
    drops_per_ml = ureg.Quantity(20, "1/mL")
    rng = np.random.default_rng(7)
    repeat = 3 if quick else 7
    n = 3000
    # Distinct strings on every call of every repeat: no parse cache can serve them.
    texts = [[f"{x:.4f} mg" for x in rng.uniform(0.5, 4.5, n)] for _ in range(2 * repeat + 1)]

    def naive(text: str) -> int:
        dose = ureg.Quantity(text)  # parse the dose text
        return round((dose / conc * drops_per_ml).to("dimensionless").magnitude)

    def ours(text: str) -> int:
        return measure(text, stock, dropper).count

    assert all(naive(t) == ours(t) for t in texts[-1][:200])
    batches = iter(texts)
    t_naive, t_ours = side_by_side(lambda: [naive(t) for t in next(batches)],
                                   lambda: [ours(t) for t in next(batches)], repeat)
    t_naive, t_ours = [t / n for t in t_naive], [t / n for t in t_ours]
    show(f"naive pint, {n:,} distinct dose strings (per dose)", t_naive)
    show(f"ldn_compound.measure, {n:,} distinct dose strings (per dose)", t_ours)
    ratio = statistics.median(t_naive) / statistics.median(t_ours)
    print(f"  measure is faster by {verdict(ratio, '>= 20x', ratio >= 20)}")
    t_naive, t_ours = side_by_side(lambda: naive("4.5 mg"), lambda: ours("4.5 mg"), repeat,
                                   number=2000)
    show("naive pint, the same '4.5 mg' again and again", t_naive)
    show("ldn_compound.measure, the same '4.5 mg' again and again", t_ours)
    ratio = statistics.median(t_naive) / statistics.median(t_ours)
    print(f"  measure is faster by {verdict(ratio, '>= 20x', ratio >= 20)}")


# -- 2. measure_many vs a plain numpy float pipeline ----------------------------------


def numpy_pipeline(doses: Any, stock: Stock, dropper: Dropper,
                   error: bool) -> Callable[[], tuple[Any, ...]]:
    conc = float(stock.concentration_mg_per_ml)
    drop = float(dropper.unit_volume_ml)
    ct = float(stock.content_tolerance)
    dt = float(dropper.volume_error)
    vt = float(stock.effective_volume_tolerance)
    lo_f, hi_f = (1 - ct) * (1 - dt) / (1 + vt), (1 + ct) * (1 + dt) / (1 - vt)

    def run() -> tuple[Any, ...]:
        count = np.floor(doses / (conc * drop) + 0.5)
        volume = count * drop
        delivered = volume * conc
        out = (count, volume, delivered, delivered * lo_f, delivered * hi_f)
        return (*out, delivered / doses - 1) if error else out
    return run


def ours_pipeline(doses: Any, stock: Stock, dropper: Dropper,
                  error: bool) -> Callable[[], tuple[Any, ...]]:
    def run() -> tuple[Any, ...]:
        b = measure_many((doses, "mg"), stock, dropper)
        low, high = b.bounds_mg
        out = (b.count, b.status, b.volume_ml, b.delivered_mg, low, high)
        return (*out, b.rounding_error) if error else out
    return run


def compare(label: str, doses: Any, quick: bool, error: bool = True) -> None:
    stock = Stock.from_tablets("50 mg", "15 mL")
    dropper = Dropper(drops_per_mL=20)
    ours, floats = ours_pipeline(doses, stock, dropper, error), numpy_pipeline(
        doses, stock, dropper, error)
    wrong = int(np.count_nonzero(floats()[0] != ours()[0]))
    repeat = 5 if quick else 15
    t_np, t_ours = side_by_side(floats, ours, repeat)
    what = "with" if error else "without"
    print(f"  {label} ({what} rounding error)")
    show("numpy float64 pipeline", t_np, "ms")
    show("measure_many, float arrays (mg, mL)", t_ours, "ms")
    ratio = statistics.median(t_ours) / statistics.median(t_np)
    print(f"  measure_many takes {verdict(ratio, '<= 2x the numpy time', ratio <= 2)}; "
          f"the float pipeline miscounts {wrong:,} of {doses.size:,}")
    if not error:  # what exactness costs at least: the correctly rounded quotients alone
        quotients = exact_quotients(ours()[0], stock, dropper)
        t_np, t_q = side_by_side(floats, quotients, repeat)
        floor = statistics.median(t_q) / statistics.median(t_np)
        show("  volume, delivered, bounds from the exact counts alone", t_q, "ms")
        print(f"    (four correctly rounded quotients count x n / d: {floor:.2f}x the whole "
              "numpy pipeline)")


def exact_quotients(count: Any, stock: Stock, dropper: Dropper) -> Callable[[], Any]:
    """count x (exact value per drop) for volume, delivered and bounds: one numpy division
    each of exact integers, the least that matches float(Fraction) element by element."""
    one = measure((stock.concentration_mg_per_ml * dropper.unit_volume_ml, "mg"), stock, dropper)
    assert one.count == 1
    parts = [(f.numerator, f.denominator) for f in (one.exact_volume, one.exact_delivered,
                                                     *one.exact_bounds)]
    c = count.astype(np.float64)

    def run() -> list[Any]:
        out = []
        for n, d in parts:
            q = c * n if n != 1 else c
            out.append(q / d)
        return out
    return run


def bench_batch(quick: bool) -> None:
    print("\n2. measure_many vs a plain numpy float pipeline (count, volume, delivered, "
          "bounds, rounding error)")
    rng = np.random.default_rng(20240501)
    # Prescribed doses to 0.01 mg, 0.1-4.5 mg; one 50 mg tablet in 15 mL; USP dropper.
    rounded = rng.integers(10, 451, 1_000_000) / 100
    compare("1,000,000 doses rounded to 0.01 mg", rounded, quick)
    mixed = rounded.copy()
    mixed[rng.integers(mixed.size)] = 0.1 + 0.2
    compare("1,000,000 rounded doses, one of them 0.1 + 0.2", mixed, quick)
    # Doses computed upstream: mg/kg x weight, unrounded.
    unrounded = rng.uniform(0.005, 0.06, 200_000) * rng.uniform(10, 80, 200_000)
    compare("200,000 unrounded doses (mg/kg x weight)", unrounded, quick, error=False)
    stock = Stock.from_tablets("50 mg", "15 mL")
    times = per_call(lambda: measure_many((unrounded, "mg"), stock, Dropper()).rounding_error,
                     1, 3)
    show("  their rounding error (exact, one by one: see README)", times, "ms")
    tracemalloc.start()
    b = measure_many((mixed, "mg"), stock, Dropper())
    _ = (b.count, b.volume_ml, b.delivered_mg, b.bounds_mg, b.rounding_error, b.flags)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  peak memory for 1,000,000 doses, every output: {peak / 2**20:.0f} MiB "
          f"({peak / mixed.size:.0f} bytes a dose; the input is 8)")


def first_call() -> None:
    code = ("import time; t = time.perf_counter(); import numpy as np; "
            "from ldn_compound import Dropper, Stock, measure_many; "
            "measure_many((np.array([4.5]), 'mg'), Stock.from_tablets('50 mg', '10 mL'), "
            "Dropper()).volume; print(time.perf_counter() - t)")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    t = [float(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                              capture_output=True, text=True).stdout) for _ in range(3)]
    print(f"\nFirst call (a fresh process importing numpy, ldn_compound and pint, one "
          f"measure_many): median {statistics.median(t) * 1e3:.0f} ms")


# -- 3. the command line as a whole process --------------------------------------------


def cli_command() -> tuple[list[str], dict[str, str]]:
    """The installed console script beside this interpreter, else ``-m ldn_compound``."""
    env = dict(os.environ)
    script = Path(sys.executable).with_name("ldn-compound")
    args = ["measure", "--tablet", "50 mg", "--volume", "10 mL", "--dose", "4.5 mg",
            "--dropper", "20"]
    if script.exists() and shutil.which(str(script)):
        return [str(script), *args], env
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", "ldn_compound", *args], env


def bench_cli(quick: bool) -> None:
    print("\n3. Command line as a whole process vs a process that builds a pint registry")
    cmd, env = cli_command()
    pint_cmd = [sys.executable, "-c", "import pint; pint.UnitRegistry().Quantity('4.5 mg')"]
    bare = [sys.executable, "-c", "pass"]

    def run(argv: list[str]) -> Callable[[], None]:
        def go() -> None:
            subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        return go

    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    assert "18 drops" in out, out
    repeat = 5 if quick else 11
    t_cli, t_pint = side_by_side(run(cmd), run(pint_cmd), repeat)
    t_bare = per_call(run(bare), 1, repeat)
    print(f"  command: {' '.join(cmd[:-9])} measure ...")
    show("python -c pass (interpreter start alone)", t_bare, "ms")
    show("python -c \"import pint; pint.UnitRegistry().Quantity('4.5 mg')\"", t_pint, "ms")
    show("ldn-compound measure --tablet '50 mg' ... --dropper 20", t_cli, "ms")
    ratio = statistics.median(t_cli) / statistics.median(t_pint)
    print(f"  the command line takes {verdict(ratio, '<= 0.5x', ratio <= 0.5)}")
    imported = subprocess.run(
        [sys.executable, "-c",
         "import sys; from ldn_compound.cli import main; "
         "import contextlib, io; f = io.StringIO()\n"
         "with contextlib.redirect_stdout(f): main(sys.argv[1:])\n"
         "print(' '.join(m for m in ('pint', 'numpy') if m in sys.modules) or 'neither')",
         *cmd[-8:]], env=env, check=True, capture_output=True, text=True).stdout.strip()
    print(f"  pint or numpy imported by the command: {imported}")


# -- 4. schedules and dilution plans, where they exist ---------------------------------


def bench_plans(quick: bool) -> None:
    print("\n4. Plans")
    titrate = getattr(ldn_compound, "titrate", None)
    if titrate is None:
        print("  52-step schedule with supply: not available (no ldn_compound.titrate)")
    else:
        stock = Stock.from_tablets("50 mg", "25 mL")  # 2 mg/mL: 0.1 mg per drop
        dropper = Dropper(drops_per_mL=20)

        def schedule() -> Any:
            s = titrate("0.1 mg", "0.1 mg", "5.2 mg", "1 week", stock, dropper)
            return s, s.supply()

        try:
            s, _ = schedule()
            times = per_call(schedule, 1, 3 if quick else 7)
            show(f"titrate 0.1 -> 5.2 mg weekly ({len(s.steps)} steps) + supply()", times, "ms")
        except Exception as exc:  # report, don't hide: the API may have moved
            print(f"  52-step schedule with supply: failed: {type(exc).__name__}: {exc}")
    plan_dilution = getattr(ldn_compound, "plan_dilution", None)
    if plan_dilution is None:
        print("  1 mcg dilution plan: not available (no ldn_compound.plan_dilution)")
    else:
        try:
            plan_dilution("1 mcg")
            times = per_call(lambda: plan_dilution("1 mcg"), 1, 3 if quick else 7)
            show("plan_dilution('1 mcg')", times, "ms")
        except Exception as exc:
            print(f"  1 mcg dilution plan: failed: {type(exc).__name__}: {exc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (smoke test)")
    args = parser.parse_args()
    print("ldn_compound benchmarks")
    print(f"Machine: {machine()}")
    if sys.flags.dont_write_bytecode:
        print("Note: PYTHONDONTWRITEBYTECODE is set, so every process compiles the modules it "
              "imports from source;\n      an installed package (pip install) starts faster.")
    t0 = time.perf_counter()
    bench_scalar(args.quick)
    bench_batch(args.quick)
    first_call()
    bench_cli(args.quick)
    bench_plans(args.quick)
    print(f"\nTotal {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
