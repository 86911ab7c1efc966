"""ASCENT_FAIR_VALUE with the deal's events: valued from the deal's state at the end of the
valuation date (as ``ascent-xl value --as-of``), checked against hand figures and against the
per-path loop (valuation.baseline.run_paths) started from the same state."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from ascent_xl.events import parse_events
from ascent_xl.excel import udfs
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_VWAPS, data_path, sample_market
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.run import prepare_valuation
from ascent_xl.valuation.start import deal_start
from tests.excel.test_udfs_fair_value import mean_and_error

HEADER = ["Date", "Event", "Note", "Amount", "Value"]


def _ranges():
    with open(data_path(SAMPLE_VWAPS)) as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))[1:]
    return [[r[0]] for r in rows], [[float(r[1])] for r in rows], {r[0]: float(r[1]) for r in rows}


def _fair(name, events, *, valuation_date, paths=200, seed=1, daily_volume=500_000.0):
    dates, vwaps, _ = _ranges()
    # instrument, spot, volatility, rate, credit_spread, paths, seed, valuation_date, vwap_noise,
    # daily_volume, default_date, terms, dates, vwaps, events
    return udfs.ASCENT_FAIR_VALUE(name, None, None, None, None, float(paths), float(seed), valuation_date, None,
                                  daily_volume, None, None, dates, vwaps, [HEADER, *events])


def test_notes_settled_by_the_valuation_date_are_worth_nothing():
    # both notes prepaid in full on 2023-02-01 (Note and Amount blank: every note, all of it)
    events = [["2023-02-01", "Prepayment", None, None, None]]
    for name in ("Registered", "Private"):
        value, error = _fair(name, events, valuation_date="2023-02-01")[0]
        assert abs(value) < 0.01 and error == 0.0
    warrants, _ = _fair("Warrants", events, valuation_date="2023-02-01")[0]
    assert warrants > 0  # the warrants live on


def test_a_mid_life_valuation_starts_from_the_outstanding_principal():
    # $5,000,000 of the Registered note prepaid on 2023-01-10: $7,500,000 outstanding, accrued
    # 7,500,000 x 4.5% x 10/360 = 9,375 (30/360 from the 2022-12-31 interest date); the spot is
    # the sample's VWAP of 2023-01-10, 2.0866 (the VWAP file's line for that day).
    events = [["2023-01-10", "Prepayment", "Registered", 5_000_000, None]]
    _, _, by_day = _ranges()
    assert by_day["2023-01-10"] == 2.0866
    start = deal_start(ASTI_2022, parse_events(events), sample_market(), as_of=dt.date(2023, 1, 10))
    assert start.notes[0].principal == 7_500_000.0 and start.notes[0].accrued == pytest.approx(9_375.0, abs=0.01)
    model = DEMO_MODEL.replace(spot=2.0866, daily_volume=500_000.0, valuation_date=dt.date(2023, 1, 10))
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=DEMO_BEHAVIOUR, start=start)
    loop = run_paths(setup, paths=200, seed=1)
    for j, name in enumerate(("Registered", "Private")):
        cell = _fair(name, events, valuation_date="2023-01-10")[0]
        assert cell == pytest.approx(mean_and_error(list(loop.note_values[j])), rel=1e-9), name
    # not the face's value: the same date without the prepayment values the Registered note higher
    whole = _fair("Registered", [["2023-01-05", "Cash Balance", None, None, 10_000_000]],
                  valuation_date="2023-01-10")[0][0]
    assert whole > 1.5 * _fair("Registered", events, valuation_date="2023-01-10")[0][0]


def test_a_later_date_without_vwaps_needs_the_spot():
    events = [[HEADER], ["2023-01-10", "Prepayment", "Registered", 5_000_000, None]]
    said = udfs.ASCENT_FAIR_VALUE("Registered", None, None, None, None, 100.0, None, "2023-01-10", None, None,
                                  None, None, None, None, [HEADER, events[1]])
    assert isinstance(said, str) and "give dates and vwaps (the VWAPs up to that day) or spot" in said
