"""Timing helpers shared by the benchmarks: best-of-N wall time per call, and ratio reports.

Machines here are noisy, so every benchmark compares two implementations run in the same process,
interleaved, and reports the ratio of their best times; absolute times are printed for context.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any


def best_time(fn: Callable[[], Any], *, number: int = 1, repeat: int = 5) -> float:
    """Best (minimum) seconds per call of ``fn`` over ``repeat`` rounds of ``number`` calls."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


def compare(fast: Callable[[], Any], slow: Callable[[], Any], *, number: int, repeat: int,
            slow_number: int | None = None) -> tuple[float, float, float]:
    """Interleave rounds of ``fast`` and ``slow``; return (fast s/call, slow s/call, slow/fast)."""
    f = s = float("inf")
    for _ in range(repeat):
        f = min(f, best_time(fast, number=number, repeat=1))
        s = min(s, best_time(slow, number=slow_number or number, repeat=1))
    return f, s, s / f


def report(title: str, rows: list[dict[str, Any]]) -> None:
    """Print rows of results; with BENCH_JSON set, also append them to that file as JSON lines."""
    print(f"\n== {title}  (cores: {os.cpu_count()}, python {sys.version.split()[0]})")
    for r in rows:
        parts = [f"{k}={_fmt(v, k)}" for k, v in r.items()]
        print("  " + "  ".join(parts))
    out = os.environ.get("BENCH_JSON")
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"benchmark": title, **r}) + "\n")


def _fmt(v: Any, key: str = "") -> str:
    if key == "ratio" and isinstance(v, float):
        return f"{v:,.1f}x" if v >= 10 else f"{v:,.2f}x"
    if isinstance(v, float):
        if v < 1e-3:
            return f"{v * 1e6:.1f}us"
        if v < 1:
            return f"{v * 1e3:.2f}ms" if v < 0.1 or v != round(v, 1) else f"{v:.3f}"
        return f"{v:,.1f}"
    return str(v)


def quick() -> bool:
    """True when run with --quick (a smoke run for CI: few repeats, small sizes)."""
    return "--quick" in sys.argv
