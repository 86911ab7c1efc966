"""The vectorised kernel's conversions against the one conversion rule,
:func:`ascent_xl.pricing.capped_conversion` (the ledger's): on every feature - the fixed price
winning, the alternate price, the floor binding with its floor payment, and the ownership cap -
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


def _path(setup, start: float, end: float) -> np.ndarray:
    T = setup.grid.days
    return start * np.exp(np.linspace(0.0, math.log(end / start), T))


# a rising path where the holder converts all a 1% cap allows once it pays (alternate, then fixed
# price, the cap binding), and a falling one where it converts what it sells (the floor binds)
CASES = {"rising": (8.0, Behaviour(interest="cash", convert_all_above=1.2, ownership_cap=0.01)),
         "falling": (0.10, Behaviour(interest="cash"))}


@pytest.mark.parametrize("case", list(CASES))
def test_every_traced_conversion_is_the_pricing_rules(case):
    end, behaviour = CASES[case]
    model = ModelParams(spot=2.87, volatility=0.6, rate=0.04, daily_volume=50_000, volume_elasticity=1.0)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=behaviour)
    path = _path(setup, model.spot, end)
    trace = trace_path(setup, vwaps=path)
    mc = run_valuation(setup, vwap_paths=path)
    for note in mc.notes:  # the trace is the kernel's path
        assert trace.note_values[note.name] == pytest.approx(note.value, rel=1e-12)
    history_dates = setup.grid.calendar.sessions_before(setup.grid.dates[1], len(setup.contract.history))
    market = trace.market(history_dates, setup.contract.history)
    c = ASTI_2022.conversion
    cap = setup.contract.ownership_cap  # the behaviour's cap (1% on the rising path) or the deal's
    outstanding, held = float(ASTI_2022.shares_outstanding), 0.0
    seen = {"fixed": 0, "alternate": 0, "floor": 0, "cap": 0}
    for f in trace.flows:
        if f.kind == "holder sale":
            held -= f.shares
            continue
        if f.kind != "conversion":
            continue
        q = capped_conversion(market, conversion=c, notice_date=f.date,
                              principal=round_cents(f.principal + f.pik), interest=round_cents(f.interest),
                              fixed_price=setup.contract.fixed_price, floor_price=c.floor_price,
                              holder_shares=int(held), shares_outstanding=int(outstanding), cap=cap)
        assert f.price == pytest.approx(q.conversion_price, rel=1e-12), f
        # The kernel never converts above the cap - except by one share on a day two notes
        # convert: it sizes one day's room for both and rounds each note's shares up (the ledger
        # sizes each conversion on its own). A known difference of the kernel, bounded here.
        second = any(x.kind == "conversion" and x.date == f.date and x.note != f.note
                     for x in trace.flows[:trace.flows.index(f)])
        assert f.shares <= q.cap_shares + (1 if second else 0), f
        # same amount (to the cent): the same shares, give or take the cent's rounding
        assert abs(f.shares - q.shares) <= 1, (f, q)
        if f.shares >= q.cap_shares - 1 and f.shares > 0 and not second:  # the kernel stopped at the cap:
            seen["cap"] += 1  # asked for ten times as much, the rule converts the same
            more = capped_conversion(market, conversion=c, notice_date=f.date,
                                     principal=round_cents(10 * (f.principal + f.pik)), interest=0.0,
                                     fixed_price=setup.contract.fixed_price, floor_price=c.floor_price,
                                     holder_shares=int(held), shares_outstanding=int(outstanding), cap=cap)
            assert more.capped and abs(more.shares - f.shares) <= 1, (f, more)
        seen["floor" if q.floor_binds else "fixed" if q.conversion_price == q.fixed_price else "alternate"] += 1
        outstanding += f.shares
        held += f.shares
    floors = [f for f in trace.flows if f.kind == "floor payment"]
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
    else:
        assert seen["floor"] > 0 and seen["alternate"] > 0 and floors, seen
