"""The vectorised kernel's conversions against the one conversion rule,
:func:`ascent_xl.pricing.capped_conversion` (the ledger's): on every feature - the fixed price
winning, the alternate price, the floor binding with its floor payment (floor_mode make_up), the
floor binding without one (cap), no floor (none), and the ownership cap -
each conversion of a traced path (the per-path baseline, equal to the kernel path for path) is
priced by that function on the same VWAPs, share counts and holder's shares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ascent_xl.money import round_cents
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import capped_conversion
from ascent_xl.valuation import Behaviour, ModelParams, prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import trace_path
from tests.helpers.traces import conversions


def _path(setup, start: float, end: float) -> np.ndarray:
    T = setup.grid.days
    return start * np.exp(np.linspace(0.0, math.log(end / start), T))


# a rising path where the holder converts all a 1% cap allows once it pays (alternate, then fixed
# price, the cap binding), and a falling one where it converts what it sells (the floor binds)
NO_FLOOR = ASTI_2022.with_term("share_reserve_price", "fixed")
CASES = {"rising": (8.0, Behaviour(interest="cash", convert_all_above=1.2, ownership_cap=0.01), ASTI_2022),
         "falling": (0.10, Behaviour(interest="cash"), ASTI_2022),
         "falling, floor_mode cap": (0.10, Behaviour(interest="cash"), ASTI_2022.with_term("floor_mode", "cap")),
         "falling, floor_mode none": (0.10, Behaviour(interest="cash"), NO_FLOOR.with_term("floor_mode", "none"))}


@pytest.mark.parametrize("case", list(CASES))
def test_every_traced_conversion_is_the_pricing_rules(case):
    end, behaviour, terms = CASES[case]
    model = ModelParams(spot=2.87, volatility=0.6, rate=0.04, daily_volume=50_000, volume_elasticity=1.0)
    setup = prepare_valuation(terms, model=model, behaviour=behaviour)
    path = _path(setup, model.spot, end)
    trace = trace_path(setup, vwaps=path)
    mc = run_valuation(setup, vwap_paths=path)
    for note in mc.notes:  # the trace is the kernel's path
        assert trace.note_values[note.name] == pytest.approx(note.value, rel=1e-12)
    history_dates = setup.grid.calendar.sessions_before(setup.grid.dates[1], len(setup.contract.history))
    market = trace.market(history_dates, setup.contract.history)
    c = terms.conversion
    cap = setup.contract.ownership_cap  # the behaviour's cap (1% on the rising path) or the deal's
    seen = {"fixed": 0, "alternate": 0, "floor": 0, "cap": 0}
    for f, held, outstanding in conversions(trace, ASTI_2022.shares_outstanding):
        q = capped_conversion(market, conversion=c, notice_date=f.date,
                              principal=round_cents(f.principal + f.pik), interest=round_cents(f.interest),
                              fixed_price=setup.contract.fixed_price, floor_price=c.floor_price,
                              holder_shares=int(held), shares_outstanding=int(outstanding), cap=cap)
        assert f.price == pytest.approx(q.conversion_price, rel=1e-12), f
        # the kernel never converts above the cap, a second note on the same day included
        assert q.cap_shares is not None and f.shares <= q.cap_shares, f
        # same amount (to the cent): the same shares, give or take the cent's rounding
        assert abs(f.shares - q.shares) <= 1, (f, q)
        if f.shares >= q.cap_shares - 1 and f.shares > 0:  # the kernel stopped at the cap:
            seen["cap"] += 1  # asked for ten times as much, the rule converts the same
            more = capped_conversion(market, conversion=c, notice_date=f.date,
                                     principal=round_cents(10 * (f.principal + f.pik)), interest=0.0,
                                     fixed_price=setup.contract.fixed_price, floor_price=c.floor_price,
                                     holder_shares=int(held), shares_outstanding=int(outstanding), cap=cap)
            assert more.capped and abs(more.shares - f.shares) <= 1, (f, more)
        if c.floor_mode == "none":
            assert not q.floor_binds and q.conversion_price == q.unfloored_price
        seen["floor" if q.floor_binds else "fixed" if q.conversion_price == q.fixed_price else "alternate"] += 1
    floors = [f for f in trace.flows if f.kind == "floor payment"]
    outstanding = ASTI_2022.shares_outstanding + sum(x.shares for x in trace.flows if x.kind == "conversion")
    for f in floors:
        conv = next(x for x in trace.flows if x.kind == "conversion" and x.date == f.date and x.note == f.note)
        q = capped_conversion(market, conversion=c, notice_date=f.date,
                              principal=round_cents(conv.principal + conv.pik), interest=round_cents(conv.interest),
                              fixed_price=setup.contract.fixed_price, floor_price=c.floor_price,
                              holder_shares=0, shares_outstanding=int(outstanding))
        assert q.floor_binds and q.unfloored_price == pytest.approx(f.price, rel=1e-12)
        # same formula on amounts a cent apart at most: (1 / unfloored - 1 / floor) x VWAP per USD
        assert f.cash == pytest.approx(q.floor_payment, abs=0.006 + 0.01 * (1 / f.price) * f.vwap)
    if case == "rising":
        assert seen["fixed"] > 0 and seen["alternate"] > 0 and seen["cap"] > 0, seen
    elif c.floor_mode == "make_up":
        assert seen["floor"] > 0 and seen["alternate"] > 0 and floors, seen
    elif c.floor_mode == "cap":  # the floor binds, and no cash is paid for it
        assert seen["floor"] > 0 and seen["alternate"] > 0 and not floors, seen
    else:  # no floor: every price is the alternate (falling) price, down to the path's lows
        assert seen["floor"] == 0 and seen["alternate"] > 0 and not floors, seen
        low = min(f.price for f in trace.flows if f.kind == "conversion")
        assert low < c.floor_price


def test_two_notes_converting_on_one_day_stay_under_the_cap():
    # At issue: 33,930,812 shares outstanding, the holder has none, a 1% cap: the day's room is
    # floor(0.01 x 33,930,812 / 0.99) = floor(342,735.47) = 342,735 shares. The price is the
    # fixed $3.93042 (a flat $8 path: the alternate 0.925 x 8 = $7.40 is higher), and the holder
    # converts all it may (8 / 3.93042 = 2.04 >= 1.2). The first note ($1,000 face) takes
    # ceil(1,000 / 3.93042) = ceil(254.42) = 255 shares; the second may then take only what the
    # cap leaves, 342,735 - 255 = 342,480 shares (not ceil(342,735 - 254.42) = 342,481: one
    # share over the cap). No sales (a volume of one share a day: floor(1 x leak-out) = 0), so the
    # cap allows nothing more later.
    terms = ASTI_2022.with_term("notes.Registered.face", 1_000)
    model = ModelParams(spot=8.0, volatility=0.0, rate=0.0, credit_spread=0.0, vwap_noise=0.0,
                        daily_volume=1)
    behaviour = Behaviour(interest="cash", sell_through=False, convert_all_above=1.2, ownership_cap=0.01,
                          convert_at_maturity=False)
    setup = prepare_valuation(terms, model=model, behaviour=behaviour)
    flat = np.full(setup.grid.days, 8.0)
    r = run_valuation(setup, vwap_paths=flat)
    assert r.per_path["shares"][0] == 342_735
    assert 342_735 / (33_930_812 + 342_735) <= 0.01
    trace = trace_path(setup, vwaps=flat)  # the per-path loop does the same
    assert [f.shares for f in trace.flows if f.kind == "conversion"] == [255, 342_480]
