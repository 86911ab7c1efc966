"""A part-way deal whose live notes have different prices is valued (each note at its own fixed
price and floor), a deal whose live notes belong to two holders is refused naming what is not
modelled, and the valuation starts from the converting holder's own shares and cap."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ascent_xl.errors import InputError
from ascent_xl.events import parse_events
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import Behaviour, ModelParams, prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.start import deal_start

DAY = dt.date(2023, 1, 10)
# no discounting (rate and spread 0), a flat $0.10 path, and a holder who converts all its
# principal (not its interest) as soon as a conversion is worth 1.05 x what it converts
MODEL = ModelParams(spot=0.10, volatility=0.0, rate=0.0, credit_spread=0.0, vwap_noise=0.0, daily_volume=100_000)
RULES = Behaviour(interest="cash", sell_through=False, convert_all_above=1.05, convert_at_maturity=False,
                  convert_interest=False, ownership_cap=1.0)


def _setup(events):
    start = deal_start(ASTI_2022, parse_events(events), None, as_of=DAY)
    return start, prepare_valuation(ASTI_2022, model=MODEL, behaviour=RULES, start=start)


def test_notes_at_different_floors_are_valued_each_at_its_own():
    # The Registered note's floor amended to $0.20 on 2023-01-05; the Private note keeps $0.29.
    # Both notes are whole on 2023-01-10 (12,500,000 and 2,500,000; accrued 30/360 from
    # 2022-12-31: 12,500,000 x 4.5% x 10/360 = 15,625 and 2,500,000 x 4.5% x 10/360 = 3,125).
    start, setup = _setup([["2023-01-05", "Amendment", "Registered", None, "floor_price = 0.20"]])
    assert [(n.floor_price, n.accrued) for n in start.notes] == [(0.20, 15_625.0), (0.29, 3_125.0)]
    path = np.full(setup.grid.days, 0.10)
    r = run_valuation(setup, vwap_paths=path)
    # Day 1 (2023-01-11): alternate price 0.925 x 0.10 = 0.0925 under both floors; conversion
    # value 0.10 / 0.0925 = 1.081 >= 1.05, so all the principal converts that day.
    # Registered at its $0.20 floor: ceil(12,500,000 / 0.20) = 62,500,000 shares x $0.10
    #   = 6,250,000; floor payment 12,500,000 x (1 / 0.0925 - 1 / 0.20) x 0.10
    #   = 12,500,000 x 0.581081081 = 7,263,513.51; interest accrued to day 1 paid in cash on
    #   2023-03-31: 15,625 + 12,500,000 x 4.5% x 1/360 = 17,187.50.
    registered = 6_250_000 + 12_500_000 * (1 / 0.0925 - 1 / 0.20) * 0.10 + 17_187.50
    assert registered == pytest.approx(13_530_701.01, abs=0.01)
    # Private at its $0.29 floor: ceil(2,500,000 / 0.29) = ceil(8,620,689.66) = 8,620,690 shares
    #   x $0.10 = 862,069; floor payment 2,500,000 x (1 / 0.0925 - 1 / 0.29) x 0.10 = 1,840,633.74;
    #   interest 3,125 + 2,500,000 x 4.5% x 1/360 = 3,437.50.
    private = 862_069 + 2_500_000 * (1 / 0.0925 - 1 / 0.29) * 0.10 + 3_437.50
    assert private == pytest.approx(2_706_140.24, abs=0.01)
    assert r.note("Registered").value == pytest.approx(registered, abs=0.01)
    assert r.note("Private").value == pytest.approx(private, abs=0.01)
    assert r.per_path["shares"][0] == 62_500_000 + 8_620_690
    # the per-path loop gives the kernel's numbers on the same path
    slow = run_paths(setup, vwap_paths=path)
    np.testing.assert_array_equal(slow.note_values[:, 0], [r.note("Registered").value, r.note("Private").value])


def test_live_notes_of_two_holders_are_refused_naming_what_is_not_modelled():
    two = ASTI_2022.with_term("notes.Private.holder", "InvestorB")
    start = deal_start(two, [], None, as_of=DAY)
    with pytest.raises(InputError, match=r"belong to 2 holders \(Investor: Registered; InvestorB: Private\).*"
                                         r"per-holder caps, holdings and sales are not modelled"):
        prepare_valuation(two, model=MODEL, behaviour=RULES, start=start)


def test_the_valuation_starts_from_the_converting_holders_shares():
    # On 2023-03-14 each holder converts $500,000 at 0.415387: 500,000 / 0.415387 = 1,203,697.76,
    # rounded up to 1,203,698 shares each (both under their own 4.99% room); then InvestorA's
    # Registered note is prepaid in full, so only InvestorB's Private note lives: InvestorB's
    # 1,203,698 shares start the simulation, not the 2,407,396 of both holders.
    from ascent_xl.samples import sample_market
    two = ASTI_2022.with_term("notes.Private.holder", "InvestorB").with_term("notes.Registered.holder", "InvestorA")
    events = parse_events([["2023-03-14", "Conversion", "Registered", 500_000, None],
                           ["2023-03-14", "Conversion", "Private", 500_000, None],
                           ["2023-03-14", "Prepayment", "Registered", None, None]])
    start = deal_start(two, events, sample_market(), as_of=dt.date(2023, 3, 14))
    assert start.holder == "InvestorB" and start.holder_shares == 1_203_698
    assert start.shares_outstanding == 33_930_812 + 2 * 1_203_698
    assert [n.name for n in start.live] == ["Private"]
