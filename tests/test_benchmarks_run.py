"""The benchmark scripts still run (in their --quick mode). They measure speed as ratios against a
baseline in the same process; nothing here asserts a time (machines here are noisy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("bench_*.py")))
def test_benchmark_runs_quick(script):
    proc = subprocess.run([sys.executable, script, "--quick"], cwd=BENCHMARKS, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "== " in proc.stdout and "case=" in proc.stdout
