"""Which kernel a valuation runs (run.kernel_choice): the fused one (numba) only where loading
numba pays, i.e. when it is already loaded or the run is long; the numbers do not change."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import prepare_valuation, run_valuation
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.run import FUSED_MIN_PATH_DAYS, kernel_choice
from tests.helpers.fresh import fresh_words


def test_a_short_run_in_a_process_without_numba_takes_the_numpy_kernel(monkeypatch):
    monkeypatch.delitem(sys.modules, "numba", raising=False)
    assert kernel_choice(20_000, 376, None) is False
    # the threshold in path-days: paths x trading days, at or above it the default kernel
    days = 376
    below = FUSED_MIN_PATH_DAYS // days  # 100,000,000 // 376 = 265,957: 99,999,832 path-days
    assert (below, below * days, (below + 1) * days) == (265_957, 99_999_832, 100_000_208)
    # more than a workbook may ask for (MAX_PATHS_PER_CELL): a refresh never loads numba
    assert kernel_choice(200_000, days, None) is False
    assert kernel_choice(below, days, None) is False
    assert kernel_choice(below + 1, days, None) is None
    # asked for: as asked
    assert kernel_choice(20_000, days, True) is True
    assert kernel_choice(10_000_000, days, False) is False


def test_once_numba_is_loaded_every_run_takes_the_default_kernel(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", object())
    assert kernel_choice(1, 376, None) is None
    assert kernel_choice(1, 376, False) is False


def test_a_fresh_processs_short_valuation_does_not_load_numba_and_gives_the_fused_numbers():
    pytest.importorskip("numba")
    code = (
        "import sys\n"
        "from ascent_xl.presets import ASTI_2022\n"
        "from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL\n"
        "from ascent_xl.valuation import value_deal\n"
        "a = value_deal(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=1024, seed=1)\n"
        "short = 'numba' in sys.modules\n"
        "b = value_deal(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=1024, seed=1, fused=True)\n"
        "print(short, 'numba' in sys.modules, a.total.value == b.total.value)\n"
    )
    assert fresh_words(code) == ["False", "True", "True"]


def test_the_kernel_asked_for_gives_the_same_numbers(monkeypatch):
    pytest.importorskip("numba")
    monkeypatch.delenv("ASCENT_XL_NUMBA", raising=False)
    setup = prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR)
    a = run_valuation(setup, paths=1500, seed=4, fused=False)
    b = run_valuation(setup, paths=1500, seed=4, fused=True)
    for name in ("shares", "floor_paid", "value:Registered", "value:Private", "warrant_value"):
        np.testing.assert_array_equal(a.per_path[name], b.per_path[name], err_msg=name)
