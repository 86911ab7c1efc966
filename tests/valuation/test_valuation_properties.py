"""Properties of the Monte Carlo: monotonicity, reproducibility, chunking, the per-path baseline,
the sliding lowest-VWAP window, and the interest schedule on the trading days."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascent_xl.errors import TermsError
from ascent_xl.interest import interest_dates, year_fraction
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import (
    Behaviour,
    ModelParams,
    ScheduledPrepayment,
    prepare_valuation,
    run_valuation,
)
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.model import PATHS_PER_STREAM
from ascent_xl.valuation.montecarlo import LowestSum
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL

PER_PATH = ("warrant_value", "shares", "converted", "converted_interest", "converted_pik", "floor_paid", "interest_cash", "interest_pik",
            "principal_cash", "default_cash", "prepaid_cash")


def _every_feature(**model_changes):
    """Default with the better election, a prepayment, PIK by the equity conditions, the floor,
    a binding ownership cap (a low cap), threshold and maturity conversion."""
    behaviour = DEMO_BEHAVIOUR.replace(
        default_date=dt.date(2023, 8, 1),
        prepayments=(ScheduledPrepayment(date=dt.date(2023, 3, 1), amount=400_000.0, premium=1.1),),
        convert_all_above=1.25,
        ownership_cap=0.005,
    )
    model = DEMO_MODEL.replace(daily_volume=150_000, volatility=1.3, **model_changes)
    return prepare_valuation(ASTI_2022, model=model, behaviour=behaviour)


@pytest.mark.parametrize("rounding", ["up", "nearest"])
def test_the_per_path_loop_gives_the_kernels_numbers_exactly(rounding):
    setup = _every_feature()
    setup = setup.with_contract(share_rounding=rounding)
    n = 48
    fast = run_valuation(setup, paths=n, seed=21)
    slow = run_paths(setup, paths=n, seed=21)
    for j, note in enumerate(ASTI_2022.notes):
        np.testing.assert_array_equal(fast.per_path[f"value:{note.name}"], slow.note_values[j])
    for name in PER_PATH:
        np.testing.assert_array_equal(fast.per_path[name], getattr(slow, name), err_msg=name)
    # every feature was exercised on these paths
    for name in ("floor_paid", "interest_cash", "interest_pik", "default_cash", "prepaid_cash",
                 "converted_interest", "converted_pik"):
        assert fast.per_path[name].max() > 0, name


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others():
    setup = _every_feature()
    a = run_valuation(setup, paths=3000, seed=7)
    b = run_valuation(setup, paths=3000, seed=7)
    c = run_valuation(setup, paths=3000, seed=8)
    for name in ("shares", "floor_paid", "value:Registered", "warrant_value"):
        np.testing.assert_array_equal(a.per_path[name], b.per_path[name])
    assert a.total.value != c.total.value


def test_chunks_and_threads_do_not_change_the_numbers():
    setup = _every_feature()
    n = 3 * PATHS_PER_STREAM + 100
    whole = run_valuation(setup, paths=n, seed=3, chunk_paths=n, workers=1)
    chunked = run_valuation(setup, paths=n, seed=3, chunk_paths=PATHS_PER_STREAM, workers=2)
    for name in ("value:Registered", "value:Private", *PER_PATH):
        np.testing.assert_array_equal(whole.per_path[name], chunked.per_path[name], err_msg=name)
    # the first paths of a longer run are the paths of a shorter run
    short = run_valuation(setup, paths=PATHS_PER_STREAM, seed=3)
    np.testing.assert_array_equal(short.per_path["shares"], whole.per_path["shares"][:PATHS_PER_STREAM])


def test_a_paths_numbers_do_not_depend_on_the_total_path_count():
    setup = _every_feature()
    short = run_valuation(setup, paths=200, seed=5)
    long = run_valuation(setup, paths=2000, seed=5)
    for name in ("value:Registered", "value:Private", *PER_PATH):
        np.testing.assert_array_equal(short.per_path[name], long.per_path[name][:200], err_msg=name)


def test_estimates_accumulated_by_block_are_the_mean_and_standard_error_of_the_paths():
    setup = _every_feature()
    n = 2 * PATHS_PER_STREAM + 37  # two whole blocks and a part
    r = run_valuation(setup, paths=n, seed=9, chunk_paths=PATHS_PER_STREAM, workers=2)
    x = r.per_path["value:Registered"]
    assert len(x) == n
    assert r.note("Registered").value == pytest.approx(x.mean(), rel=1e-12)
    assert r.note("Registered").std_error == pytest.approx(x.std(ddof=1) / np.sqrt(n), rel=1e-9)
    total = r.per_path["value:Registered"] + r.per_path["value:Private"] + r.per_path["warrant_value"]
    assert r.total.std_error == pytest.approx(total.std(ddof=1) / np.sqrt(n), rel=1e-9)
    assert r.expected_cash["floor_paid"] == pytest.approx(r.per_path["floor_paid"].mean(), rel=1e-12)


def test_value_rises_with_volatility():
    values = []
    for vol in (0.3, 0.7, 1.2):
        setup = prepare_valuation(ASTI_2022, model=DEMO_MODEL.replace(volatility=vol), behaviour=DEMO_BEHAVIOUR)
        r = run_valuation(setup, paths=6000, seed=2)
        values.append(r)
    for lo, hi in zip(values, values[1:], strict=False):
        for name in ("Registered", "Private"):
            assert hi.note(name).value > lo.note(name).value + 2 * hi.note(name).std_error
        assert hi.warrants.value > lo.warrants.value


def test_floor_payment_probability_falls_as_the_floor_falls():
    model = DEMO_MODEL.replace(volatility=1.4, daily_volume=60_000, drift=-0.5)
    probabilities = []
    for floor in (0.60, 0.29, 0.10):
        terms = ASTI_2022.with_term("floor_price", floor)
        r = run_valuation(prepare_valuation(terms, model=model, behaviour=DEMO_BEHAVIOUR), paths=6000, seed=4)
        assert not r.risk_neutral
        probabilities.append(r.floor_probability)
    for hi, lo in zip(probabilities, probabilities[1:], strict=False):
        assert lo.value < hi.value - 3 * hi.std_error
    assert probabilities[0].value > 0.2


@settings(max_examples=60, deadline=None)
@given(
    days=st.integers(1, 12),
    k=st.integers(1, 4),
    values=st.lists(st.floats(0.01, 100.0), min_size=40, max_size=40),
)
def test_lowest_sum_window_is_the_sum_of_the_sorted_lowest(days, k, values):
    # the numpy methods and (numba installed) the compiled copy the fused kernel runs
    k = min(k, days)
    history, rest = values[:days], values[days:]
    data = np.array(values)
    kinds = [None] + ([_compiled()] if _compiled() is not None else [])
    for compiled in kinds:
        window = LowestSum(np.array(history), k=k, n=2)
        out = np.empty(2)
        for i, v in enumerate(rest):
            if compiled is None:
                window.sum_into(out)
            past = sorted(data[i:i + days])[:k]
            expected = past[0]
            for x in past[1:]:
                expected += x
            if compiled is None:
                window.push(np.array([v, v]))
            else:
                window.sum_push(np.array([v, v]), out, compiled)
            assert out[0] == expected and out[1] == expected


def _compiled():
    """:mod:`ascent_xl.valuation.fused` when numba is installed, else None."""
    try:
        from ascent_xl.valuation import fused
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return fused if fused.numba is not None else None


def test_accrual_on_the_trading_days_adds_up_to_each_periods_interest():
    setup = prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=Behaviour(interest="cash"))
    for note, plan in zip(ASTI_2022.notes, setup.contract.notes, strict=True):
        ends = interest_dates(note.issue_date, note.maturity, note.interest_months)
        starts = [note.issue_date, *ends[:-1]]
        pay_days = [*sorted(plan.interest_days), plan.maturity_day]
        carried = 0.0
        for (start, end), day in zip(zip(starts, ends, strict=True), pay_days, strict=True):
            previous = pay_days[pay_days.index(day) - 1] if day != pay_days[0] else 0
            accrued = carried + plan.accrual[previous + 1:day + 1].sum()
            expected = year_fraction(start, end, note.day_count)
            assert accrued == pytest.approx(expected, rel=1e-12), (start, end)
            carried = plan.accrual_next[day]


def test_given_paths_replace_the_simulation():
    setup = prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR)
    flat = np.full((3, setup.grid.days), DEMO_MODEL.spot)
    r = run_valuation(setup, vwap_paths=flat)
    assert r.paths == 3 and r.seed is None
    for name in ("value:Registered", "shares", "warrant_value"):
        assert np.all(r.per_path[name] == r.per_path[name][0])
    assert r.note("Registered").std_error == pytest.approx(0.0, abs=1e-6)


def test_model_params_validate_and_name_the_field():
    with pytest.raises(TermsError, match="volatility"):
        ModelParams(spot=1.0, volatility=-0.1, rate=0.0, daily_volume=1.0)
    with pytest.raises(TermsError, match="history"):
        DEMO_MODEL.replace(history=(1.0, -2.0))
