"""Monte Carlo valuation speed and memory (issues 7 and 15).

0. The kernel against today's (issue 15): ``run_valuation`` with the package's kernel and path
   source, and with the frozen copy of them taken before issue 15 (``kernel_before.py``, the
   baseline, not in the package), interleaved in the same process on the same 100,000 paths;
   the ratio of the best times (and, less sensitive to other processes, of the best CPU times
   of one chunk on one thread), with the load average at the end. Cases: the full feature set
   (below; target >= 2x), the notes held to maturity (case 3), the demo deal as shipped. Each case also checks, on one chunk,
   that the two kernels give the same per-path numbers bit for bit but for the warrants' value
   (``identical but warrants``: a settled path's price on the warrants' day is drawn in one step
   since issue 15). ``kernel`` says which kernel ran: the fused one (numba, the ``fast`` extra)
   when installed (``run_valuation(fused=True)``), and then each case again with the numpy kernel
   (``fused=False``, what runs without numba). Then the JIT's cost: fresh processes valuing the
   full-feature deal (20,000 paths, the default), the first call and the best of 3 later ones,
   with the default choice (numpy's kernel for a run this short, ``run.FUSED_MIN_PATH_DAYS``),
   with the fused kernel and an empty numba cache (it compiles; NUMBA_CACHE_DIR a new folder),
   with the cache that run wrote; and numba's own import time. (``--quick``: 2,000 paths, numba's
   cache as installed, the numpy kernel's row for the full features only.)
1. 100,000 paths of the ASTI_2022 deal with the full feature set (GBM with VWAP noise, volume
   model, leak-out sell-through, ownership cap, alternate price with floor and floor payments,
   PIK by the equity conditions, an event of default with the holder's better election, a
   scheduled prepayment, threshold and maturity conversion, warrants), 376 trading days (the
   deal's 18 months; the time is also given scaled to 378 days). Target: < 1 s on 2 cores.
2. The same model as a per-path Python loop (:mod:`ascent_xl.valuation.baseline`, same paths),
   run in the same process, time per path scaled to the same path count. Target: >= 20x.
3. A worst case for the same feature set: the holder converts only above a threshold and at
   maturity, so every path carries its notes for all 376 days (no settled paths leave the loop).
4. Peak memory (max RSS of a fresh process, its VmHWM: ``ru_maxrss`` would report the RSS of the
   benchmark's own process, which the child inherits across exec on Linux) for 1,000,000 paths,
   and for a tenth of them: memory
   stays flat as the paths grow (results are accumulated chunk by chunk; only each path's shares
   issued and floor payment are kept, 16 bytes a path). Target: < 1 GiB at any path count
   (``ascent-xl value --paths 10000000`` measured about 490 MiB with /usr/bin/time -v).

Run: python benchmarks/bench_valuation.py [--quick] [--kernel]  (--kernel: part 0 only)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import kernel_before
import numpy as np
from harness import best_time, quick, report

import ascent_xl.valuation.run as run_module
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.behaviour import ScheduledPrepayment
from ascent_xl.valuation.model import SimulatedPaths
from ascent_xl.valuation.montecarlo import ChunkResult, run_chunk
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.run import DEFAULT_CHUNK, ValuationSetup, prepare_valuation, run_valuation

DAYS_TARGET = 378


def full_feature_setup() -> ValuationSetup:
    """The demo deal with every feature switched on."""
    behaviour = DEMO_BEHAVIOUR.replace(
        default_date=dt.date(2023, 10, 2),
        prepayments=(ScheduledPrepayment(date=dt.date(2023, 6, 1), amount=1_000_000.0, premium=1.1),),
    )
    return prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=behaviour)


def held_to_maturity(setup: ValuationSetup) -> ValuationSetup:
    """The same deal with the holder converting only above 150% and at maturity."""
    behaviour = setup.behaviour.replace(sell_through=False)
    return prepare_valuation(ASTI_2022, model=setup.model, behaviour=behaviour)


@contextlib.contextmanager
def kernel_of_before() -> Iterator[None]:
    """``run_valuation`` runs the frozen kernel and path source of ``kernel_before.py``."""
    saved = run_module.run_chunk, run_module.SimulatedPaths

    def before(*args: Any, fused: bool | None = None, **kwargs: Any) -> ChunkResult:
        old = kernel_before.run_chunk(*args, **kwargs)  # it has one kernel
        # it did not split what the conversions took (zeros: two allocations a chunk)
        fields = {f: getattr(old, f) for f in kernel_before.ChunkResult.__dataclass_fields__}
        return ChunkResult(**fields, converted_interest=np.zeros_like(old.converted),
                           converted_pik=np.zeros_like(old.converted))

    setattr(run_module, "run_chunk", before)  # noqa: B010 (a module's global)
    setattr(run_module, "SimulatedPaths", kernel_before.SimulatedPaths)  # noqa: B010
    try:
        yield
    finally:
        setattr(run_module, "run_chunk", saved[0])  # noqa: B010
        setattr(run_module, "SimulatedPaths", saved[1])  # noqa: B010


def kernel_name() -> str:
    """The kernel ``run_chunk(fused=None)`` runs here: numba's fused one or numpy's."""
    try:
        from ascent_xl.valuation import fused
    except ImportError:
        return "numpy"
    if not fused.available():
        return "numpy (numba missing or ASCENT_XL_NUMBA=0)"
    return f"fused (numba {fused.numba.__version__})"


def same_numbers(setup: ValuationSetup, n: int, kernel: Any = run_chunk) -> bool:
    """The two kernels' per-path results of one chunk (seed 1, 20 sample paths) are identical,
    but for the warrants: since issue 15 a path whose notes are settled has its price on the
    warrants' day drawn in one step (SimulatedPaths.leave), the same law, other numbers. The
    fields compared are the frozen kernel's (the new one has more: what the conversions took of
    interest and of PIK notes, since stop 24)."""
    def chunk(kernel: Any, source: Any) -> ChunkResult:
        paths = source(setup.model, setup.grid, seed=1, first=0, n=n)
        return kernel(setup.contract, setup.grid, paths, sample=20)

    new = chunk(kernel, SimulatedPaths)
    old = chunk(kernel_before.run_chunk, kernel_before.SimulatedPaths)
    return all(np.array_equal(getattr(new, f), getattr(old, f))
               for f in kernel_before.ChunkResult.__dataclass_fields__ if f != "warrant_value")


def chunk_cpu(kernel: Any, source: Any, setup: ValuationSetup, n: int) -> float:
    """CPU seconds of this thread for one chunk of ``n`` paths (seed 1)."""
    paths = source(setup.model, setup.grid, seed=1, first=0, n=n)
    t0 = time.thread_time()
    kernel(setup.contract, setup.grid, paths, sample=20)
    return time.thread_time() - t0


def kernel_ratio(name: str, setup: ValuationSetup, n: int, reps: int, *, fused: bool) -> dict:
    """Best times of ``run_valuation`` with the new kernel (``fused``: numba's, else numpy's)
    and the frozen one, interleaved; and the best CPU time of one DEFAULT_CHUNK-path chunk on one
    thread (less sensitive to other processes)."""
    kernel = functools.partial(run_chunk, fused=fused)
    run_valuation(setup, paths=4096, seed=1, fused=fused)  # warm up (and load the compiled code)
    with kernel_of_before():
        run_valuation(setup, paths=4096, seed=1)
    new = old = new_cpu = old_cpu = float("inf")
    chunk = min(n, DEFAULT_CHUNK)
    for _ in range(reps):
        new = min(new, best_time(lambda: run_valuation(setup, paths=n, seed=1, fused=fused), repeat=1))
        with kernel_of_before():
            old = min(old, best_time(lambda: run_valuation(setup, paths=n, seed=1), repeat=1))
        new_cpu = min(new_cpu, chunk_cpu(kernel, SimulatedPaths, setup, chunk))
        old_cpu = min(old_cpu, chunk_cpu(kernel_before.run_chunk, kernel_before.SimulatedPaths, setup, chunk))
    return {"case": f"kernel vs before issue 15: {name}, {n:,} paths",
            "kernel": kernel_name() if fused else "numpy", "new s": f"{new:.3f}",
            "before s": f"{old:.3f}", "ratio": f"{old / new:.2f}x",
            f"CPU ratio, one {chunk:,}-path chunk": f"{old_cpu / new_cpu:.2f}x ({new_cpu:.3f} s vs {old_cpu:.3f} s)",
            "identical but warrants": "yes" if same_numbers(setup, min(n, 8192), kernel) else "NO",
            "target": ">=2x" if name == "full features" and fused else "",
            "load": f"{os.getloadavg()[0]:.1f}"}


def kernel_rows() -> list[dict]:
    """Part 0: the kernel against the frozen copy of today's, three cases (and again with the
    numpy kernel when the default is the fused one); then the JIT's cost."""
    setup = full_feature_setup()
    n = 20_000 if quick() else 100_000
    reps = 2 if quick() else 5
    cases = [("full features", setup), ("notes held to maturity", held_to_maturity(setup)),
             ("demo deal", prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR))]
    fused = kernel_name().startswith("fused")
    rows = [kernel_ratio(name, case, n, reps, fused=fused) for name, case in cases]
    if fused:
        rows += [kernel_ratio(name, case, n, reps, fused=False) for name, case in cases[:1 if quick() else 3]]
    return rows + jit_rows(fused)


JIT_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, {bench!r})
    from bench_valuation import full_feature_setup
    from ascent_xl.valuation.run import run_valuation
    setup = full_feature_setup()
    before = "numba" in sys.modules
    def timed():
        t0 = time.perf_counter()
        run_valuation(setup, paths={paths}, seed=1, fused={fused})
        return time.perf_counter() - t0
    first = timed()
    later = min(timed() for _ in range(3))
    print(json.dumps({{"first": first, "later": later, "numba before": before,
                      "numba after": "numba" in sys.modules}}))
    """
)


def fresh_process(paths: int, fused: bool | None, env: dict[str, str]) -> dict:
    """A fresh process's first and best later ``run_valuation`` of the full-feature deal."""
    code = JIT_SCRIPT.format(bench=os.path.dirname(os.path.abspath(__file__)), paths=paths, fused=fused)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, **env})
    return json.loads(out.stdout.strip().splitlines()[-1])


def jit_rows(fused: bool) -> list[dict]:
    """The first valuation of a fresh process against its later ones: the default kernel choice
    (run.kernel_choice: numpy's below FUSED_MIN_PATH_DAYS, numba not loaded); the fused kernel
    with an empty numba cache (it compiles) and with the cache that run wrote; numba's import."""
    paths = 2_000 if quick() else 20_000
    rows = []
    runs: list[tuple[str, bool | None, dict[str, str]]] = [("default kernel choice", None, {})]
    with tempfile.TemporaryDirectory() as cache:
        if fused and quick():  # no compile from scratch: the installed cache (written once)
            runs += [("fused, numba's cache as installed", True, {})]
        elif fused:
            runs += [("fused, empty numba cache (compiles)", True, {"NUMBA_CACHE_DIR": cache}),
                     ("fused, numba cache on disk", True, {"NUMBA_CACHE_DIR": cache})]
        for name, kernel, env in runs:
            r = fresh_process(paths, kernel, env)
            rows.append({"case": f"fresh process, full features, {paths:,} paths: {name}",
                         "first call s": f"{r['first']:.3f}", "later calls s": f"{r['later']:.3f}",
                         "first - later s": f"{r['first'] - r['later']:.3f}",
                         "numba imported before / after": f"{r['numba before']} / {r['numba after']}",
                         "load": f"{os.getloadavg()[0]:.1f}"})
    if fused:
        code = "import time, numpy; t0 = time.perf_counter(); import numba; print(time.perf_counter() - t0)"
        seconds = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout) for _ in range(3))
        rows.append({"case": "import numba (numpy already imported), fresh process, best of 3",
                     "seconds": f"{seconds:.3f}"})
    return rows


MEMORY_SCRIPT = textwrap.dedent(
    """
    import resource, sys, time
    sys.path.insert(0, {bench!r})
    from bench_valuation import full_feature_setup
    from ascent_xl.valuation.run import run_valuation
    def peak():  # KiB: this process's own high-water RSS (ru_maxrss keeps the parent's across exec)
        try:
            with open("/proc/self/status") as fh:
                return int(next(line for line in fh if line.startswith("VmHWM:")).split()[1])
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    setup = full_feature_setup()
    before = peak()
    t0 = time.perf_counter()
    r = run_valuation(setup, paths={paths}, seed=3)
    print(time.perf_counter() - t0, before, peak())
    """
)


def peak_memory(paths: int) -> tuple[float, float, float]:
    """(seconds, MiB before the run, peak MiB) of a fresh process valuing ``paths`` paths."""
    code = MEMORY_SCRIPT.format(bench=os.path.dirname(os.path.abspath(__file__)), paths=paths)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, before, peak = out.stdout.split()
    return float(seconds), int(before) / 1024, int(peak) / 1024


def main() -> list[dict]:
    kernel = kernel_rows()
    if "--kernel" in sys.argv:
        report("Monte Carlo kernel against today's", kernel)
        return kernel
    setup = full_feature_setup()
    n_fast = 20_000 if quick() else 100_000
    n_slow = 40 if quick() else 200
    reps = 2 if quick() else 5
    run_valuation(setup, paths=4096, seed=1)  # warm up (imports, caches)

    fast = slow = float("inf")
    for _ in range(reps):  # interleaved, best of each
        fast = min(fast, best_time(lambda: run_valuation(setup, paths=n_fast, seed=1), repeat=1))
        slow = min(slow, best_time(lambda: run_paths(setup, paths=n_slow, seed=1), repeat=1))
    days = setup.grid.days
    per_path_fast, per_path_slow = fast / n_fast, slow / n_slow
    rows = [
        {"case": f"{n_fast:,} paths x {days} days, full features", "seconds": f"{fast:.3f}",
         f"scaled to {DAYS_TARGET} days": f"{fast * DAYS_TARGET / days:.3f}", "target": "<1 s"},
        {"case": f"per-path Python loop, {n_slow} paths", "seconds": f"{slow:.3f}",
         "per path": f"{per_path_slow * 1e3:.2f} ms", "vectorised per path": f"{per_path_fast * 1e6:.2f} us",
         "ratio": f"{per_path_slow / per_path_fast:.0f}x", "target": ">=20x"},
    ]
    worst = held_to_maturity(setup)
    t_worst = best_time(lambda: run_valuation(worst, paths=n_fast, seed=1), repeat=reps)
    rows.append({"case": f"worst case: notes held to maturity, {n_fast:,} paths", "seconds": f"{t_worst:.3f}",
                 f"scaled to {DAYS_TARGET} days": f"{t_worst * DAYS_TARGET / days:.3f}",
                 "ns per path-day": f"{t_worst / n_fast / days * 1e9:.1f}"})
    n_mem = 200_000 if quick() else 1_000_000
    _, _, small = peak_memory(n_mem // 10)
    seconds, before, peak = peak_memory(n_mem)
    rows.append({"case": f"{n_mem:,} paths in a fresh process", "seconds": f"{seconds:.2f}",
                 "RSS before run MiB": f"{before:.0f}", "peak RSS MiB": f"{peak:.0f}",
                 f"peak RSS at {n_mem // 10:,} paths MiB": f"{small:.0f}",
                 "ratio": f"{peak / small:.2f}x for 10x the paths", "target": "<1024 MiB"})
    report("Monte Carlo valuation", kernel + rows)
    return kernel + rows


if __name__ == "__main__":
    main()
