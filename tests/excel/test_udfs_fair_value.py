"""ASCENT_FAIR_VALUE: value and standard error in two cells.

The cells' numbers come from the vectorised Monte Carlo kernel; the tests check them against a
second formulation: the per-path loop (valuation.baseline.run_paths, one path at a time in plain
Python, the same simulated paths for the same seed), with the mean and the standard error
(sample standard deviation / sqrt(paths)) computed here."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.excel import udfs
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.run import prepare_valuation
from tests.helpers.markets import sessions_before

# Excel passes arguments by position: instrument, spot, volatility, rate, credit_spread, paths,
# seed, valuation_date, vwap_noise, daily_volume, default_date.
ARGS = (2.87, 0.9, 0.04, 0.1, 300.0, 1.0)


def mean_and_error(per_path) -> list[float]:
    """[mean, sample standard deviation / sqrt(n)] of one instrument's per-path values."""
    n = len(per_path)
    mean = sum(per_path) / n
    var = sum((x - mean) ** 2 for x in per_path) / (n - 1)
    return [mean, (var / n) ** 0.5]


def per_path_loop(terms, model, *, paths, seed, market=None) -> dict[str, list[float]]:
    """Each instrument's [value, standard error] from the per-path loop."""
    setup = prepare_valuation(terms, model=model, behaviour=DEMO_BEHAVIOUR, market=market)
    r = run_paths(setup, paths=paths, seed=seed)
    out = {note.name: mean_and_error(list(r.note_values[j])) for j, note in enumerate(terms.notes)}
    out["Warrants"] = mean_and_error(list(r.warrant_value))
    out["Total"] = mean_and_error([sum(col) for col in zip(*r.note_values, r.warrant_value, strict=True)])
    return out


def test_value_and_standard_error_of_each_instrument_match_the_per_path_loop():
    cells = {name: udfs.ASCENT_FAIR_VALUE(name, *ARGS) for name in ("Registered", "private", "Warrants", "Total")}
    for value in cells.values():
        assert len(value) == 1 and len(value[0]) == 2 and value[0][1] > 0
    model = DEMO_MODEL.replace(spot=2.87, volatility=0.9, rate=0.04, credit_spread=0.1)
    loop = per_path_loop(ASTI_2022, model, paths=300, seed=1)
    for cell, name in (("Registered", "Registered"), ("private", "Private"), ("Warrants", "Warrants"),
                       ("Total", "Total")):
        assert cells[cell][0] == pytest.approx(loop[name], rel=1e-9), cell
    assert cells["Total"][0][0] == pytest.approx(sum(cells[n][0][0] for n in ("Registered", "private", "Warrants")))


def test_dates_as_serials_or_text_and_errors_as_text():
    serial = (dt.date(2023, 1, 10) - dt.date(1899, 12, 30)).days
    blanks = (None,) * 4
    a = udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0, None, None, None, None, float(serial))
    b = udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0, None, None, None, None, "2023-01-10")
    assert a == b and a != udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0)
    # the valuation date: the issue date (as a serial, as text or blank) ...
    issue = float((dt.date(2022, 12, 19) - dt.date(1899, 12, 30)).days)
    at_issue = udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0, None, issue)
    assert at_issue == udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0, None, "2022-12-19")
    assert at_issue == udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0)
    # a later date needs the deal's events, which the function does not take
    later = udfs.ASCENT_FAIR_VALUE("Registered", *blanks, 1000.0, None, "2023-01-10")
    assert isinstance(later, str) and "give the deal's events up to that date" in later
    assert udfs.ASCENT_FAIR_VALUE("Bond", *blanks, 1000.0).startswith("instrument 'Bond': use one of")
    assert "spot 'abc' is not a number" in udfs.ASCENT_FAIR_VALUE("Total", "abc")
    assert "paths 10.5 is not a whole number" in udfs.ASCENT_FAIR_VALUE("Total", *blanks, 10.5)
    assert "volatility" in udfs.ASCENT_FAIR_VALUE("Total", None, -0.5)


def test_the_instrument_and_the_paths_are_checked_before_simulating(monkeypatch):
    import ascent_xl.valuation.run as run

    def no_simulation(*args, **kwargs):
        raise AssertionError("simulated before checking the arguments")

    monkeypatch.setattr(run, "instrument_estimates", no_simulation)
    said = udfs.ASCENT_FAIR_VALUE("Bond")
    assert said == "instrument 'Bond': use one of Registered, Private, Warrants, Total"
    said = udfs.ASCENT_FAIR_VALUE("Total", None, None, None, None, 200_001)
    assert said.startswith("paths 200,001: at most 200,000 in a workbook")
    assert "at most 200,000 paths in a cell" in udfs.ASCENT_FAIR_VALUE.__doc__
    dates = [["2022-12-15"], ["2022-12-16"]]
    assert udfs.ASCENT_FAIR_VALUE("Total", *(None,) * 10, None, dates).startswith("dates and vwaps: give both")


def test_terms_and_market_arguments_value_what_the_engine_values():
    blanks = (None,) * 10
    amended = udfs.ASCENT_FAIR_VALUE("Registered", None, None, None, None, 1000.0, *blanks[:5],
                                     [["Term", "Value"], ["conversion.floor_price", 0.5]])
    deal = ASTI_2022.with_term("conversion.floor_price", 0.5)
    assert amended[0] == pytest.approx(per_path_loop(deal, DEMO_MODEL, paths=1000, seed=0)["Registered"], rel=1e-9)
    assert amended != udfs.ASCENT_FAIR_VALUE("Registered", None, None, None, None, 1000.0)  # the term counts
    # 25 sessions up to the 2022-12-19 issue, VWAPs falling from 3.40 by 2 cents a day: the
    # look-back windows of the first days read them instead of assuming the spot
    history = [round(3.40 - 0.02 * k, 2) for k in range(25)]
    days = sessions_before("2022-12-20", 25)
    with_market = udfs.ASCENT_FAIR_VALUE("Registered", None, None, None, None, 1000.0, *blanks[:5], None,
                                         [[d] for d in days], [[v] for v in history])
    market = MarketData.from_lists(days, history)
    loop = per_path_loop(ASTI_2022, DEMO_MODEL, paths=1000, seed=0, market=market)
    assert with_market[0] == pytest.approx(loop["Registered"], rel=1e-9)
    without = udfs.ASCENT_FAIR_VALUE("Registered", None, None, None, None, 1000.0)
    assert without != with_market  # the VWAPs before the issue change the value
