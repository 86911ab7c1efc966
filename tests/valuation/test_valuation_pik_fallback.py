"""PIK interest on a note paid in registered PIK notes is what the deal allows, not what the
company wishes: registered PIK notes (0%) only when the equity conditions hold on the interest
date, else the note's (or the election's) fallback: cash, or a private PIK note at the note's
4.5%, valued as the note's principal. The valuation paid registered PIK notes whatever the
conditions, and capitalised PIK bore no interest between its nominal date and a later payment
day (2022-12-31 was a Saturday: paid 2023-01-03).

Hand-checked on the deal as issued (2022-12-19), held to maturity (no conversion), zero
volatility, 30/360 at 4.5%: the stub to 2022-12-31 is 12 days, 0.0015; each quarter 0.01125;
five quarters to 2024-03-31, then 79 days to the maturity 2024-06-19 (a holiday: repaid
2024-06-20), 79/360 x 4.5% = 0.009875.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from ascent_xl.events import parse_events
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import Behaviour, prepare_valuation
from ascent_xl.valuation.baseline import run_paths, trace_path
from ascent_xl.valuation.behaviour import InterestElection
from ascent_xl.valuation.contract import interest_rule
from ascent_xl.valuation.model import SimulatedPaths
from ascent_xl.valuation.montecarlo import run_chunk
from ascent_xl.valuation.presets import DEMO_MODEL

CLOSING = dt.date(2022, 12, 19)
HOLD = Behaviour(sell_through=False, convert_at_maturity=False, ownership_cap=1.0, interest="pik")

# conditions failing, Registered: private PIK notes at 4.5%, compounding quarterly from the
# nominal dates: 12,500,000 x 1.0015 x 1.01125^5 = 13,238,952.98; the last 79 days on it:
# 13,238,952.98 x 0.009875 = 130,734.66
REGISTERED_COMPOUNDED = 13_238_952.980838912
REGISTERED_LAST = 130_734.66068578418
# Private (always capitalised): 2,500,000 x 1.0015 x 1.01125^5 = 2,647,790.60; x 0.009875 = 26,146.93
PRIVATE_COMPOUNDED = 2_647_790.596167782
PRIVATE_LAST = 26_146.932137156826
# conditions holding, Registered: registered PIK notes at 0%, 12,500,000 x (0.0015 + 5 x 0.01125)
# = 18,750 + 703,125 = 721,875; the last 79 days on the principal only: 12,500,000 x 0.009875
REGISTERED_PIK_NOTES = 721_875.0
REGISTERED_LAST_ON_PRINCIPAL = 123_437.5


def _setup(*, conditions_hold: bool, behaviour: Behaviour = HOLD, terms=ASTI_2022):
    model = DEMO_MODEL.replace(spot=0.30, volatility=0.0, vwap_noise=0.0)
    setup = prepare_valuation(terms, model=model, behaviour=behaviour)
    equity = dataclasses.replace(setup.contract.equity, min_market_cap=0.0,
                                 min_dollar_volume=0.0 if conditions_hold else 1e13)
    return setup.with_contract(equity=equity)


def _flows(setup, note: str, kind: str) -> list:
    return [f for f in trace_path(setup).flows if f.note == note and f.kind == kind]


def _all_kernels(setup):
    """interest in kind, interest in cash, principal repaid on path 0: numpy, fused, per path."""
    out = []
    for fused in (False, True):
        if fused:
            pytest.importorskip("numba")
        ch = run_chunk(setup.contract, setup.grid, SimulatedPaths(setup.model, setup.grid, seed=0, first=0, n=2),
                       fused=fused)
        out.append((ch.interest_pik[0], ch.interest_cash[0], ch.principal_cash[0]))
    b = run_paths(setup, paths=2)
    out.append((b.interest_pik[0], b.interest_cash[0], b.principal_cash[0]))
    return out


def test_conditions_failing_pay_private_pik_notes_that_bear_the_notes_rate():
    setup = _setup(conditions_hold=False)
    [repaid] = _flows(setup, "Registered", "repayment")
    assert repaid.date == dt.date(2024, 6, 20) and repaid.due == dt.date(2024, 6, 19)
    assert repaid.principal == pytest.approx(REGISTERED_COMPOUNDED, abs=0.005)
    assert repaid.pik == 0.0  # no registered PIK notes: the conditions failed on every date
    assert repaid.interest == pytest.approx(REGISTERED_LAST, abs=0.005)
    [private] = _flows(setup, "Private", "repayment")
    assert private.principal == pytest.approx(PRIVATE_COMPOUNDED, abs=0.005)
    assert private.interest == pytest.approx(PRIVATE_LAST, abs=0.005)
    pik = 13_238_952.98 - 12_500_000 + 2_647_790.60 - 2_500_000  # 738,952.98 + 147,790.60
    for in_kind, cash, principal in _all_kernels(setup):
        assert in_kind == pytest.approx(pik, abs=0.01)
        assert cash == pytest.approx(130_734.66 + 26_146.93, abs=0.01)
        assert principal == pytest.approx(15_000_000 + pik, abs=0.01)


def test_pik_paid_after_a_weekend_bears_interest_from_its_nominal_date():
    """The Private note's 2022-12-31 PIK, 2,500,000 x 0.0015 = 3,750, paid on 2023-01-03, bears
    interest from 2022-12-31: Q1 2023 is 2,503,750 x 0.01125 = 28,167.19 (without the three days
    on 3,750, 3,750 x 4.5% x 3/360 = 1.41: 28,165.78)."""
    flows = _flows(_setup(conditions_hold=False), "Private", "interest pik")
    assert [(f.date, f.due) for f in flows[:2]] == [(dt.date(2023, 1, 3), dt.date(2022, 12, 31)),
                                                     (dt.date(2023, 3, 31), dt.date(2023, 3, 31))]
    assert flows[0].interest == pytest.approx(3_750.0, abs=1e-6)
    assert flows[1].interest == pytest.approx(28_167.1875, abs=1e-6)


def test_conditions_holding_pay_registered_pik_notes_at_zero():
    setup = _setup(conditions_hold=True)
    [repaid] = _flows(setup, "Registered", "repayment")
    assert repaid.principal == pytest.approx(12_500_000.0, abs=1e-6)
    assert repaid.pik == pytest.approx(REGISTERED_PIK_NOTES, abs=1e-6)
    assert repaid.interest == pytest.approx(REGISTERED_LAST_ON_PRINCIPAL, abs=1e-6)
    for in_kind, cash, principal in _all_kernels(setup):
        assert in_kind == pytest.approx(721_875 + 147_790.60, abs=0.01)
        assert cash == pytest.approx(123_437.50 + 26_146.93, abs=0.01)
        # 12,500,000 + 721,875 registered PIK notes + 2,647,790.60
        assert principal == pytest.approx(13_221_875 + 2_647_790.60, abs=0.01)


@pytest.mark.parametrize("how", ["election", "event", "terms"])
def test_a_cash_fallback_pays_the_registered_notes_interest_in_cash(how):
    """pik or cash, conditions failing: the Registered note's interest in cash, 18,750 +
    5 x 140,625 + 123,437.50 = 845,312.50; Private still capitalised."""
    terms = ASTI_2022
    if how == "election":
        behaviour = HOLD.replace(interest="cash", interest_elections=(
            InterestElection(date=CLOSING, method="pik", fallback="cash"),))
    elif how == "event":
        events = parse_events([{"Date": "2022-12-19", "Event": "Interest Election", "Value": "pik or cash"}])
        behaviour = HOLD.replace(interest="cash").with_events(events, terms=terms)
    else:
        registered = dataclasses.replace(terms.note("Registered"), pik_fallback="cash")
        terms = dataclasses.replace(terms, notes=(registered, *terms.notes[1:]))
        behaviour = HOLD
    setup = _setup(conditions_hold=False, behaviour=behaviour, terms=terms)
    cash = [f for f in trace_path(setup).flows if f.note == "Registered" and f.kind == "interest cash"]
    assert sum(f.interest for f in cash) == pytest.approx(18_750 + 5 * 140_625, abs=1e-6)
    [repaid] = _flows(setup, "Registered", "repayment")
    assert repaid.principal == pytest.approx(12_500_000.0, abs=1e-6) and repaid.pik == 0.0
    for in_kind, cash_paid, _ in _all_kernels(setup):
        assert in_kind == pytest.approx(147_790.60, abs=0.01)
        assert cash_paid == pytest.approx(845_312.50 + 26_146.93, abs=0.01)


def test_a_private_fallback_event_is_taken_as_written():
    events = parse_events([{"Date": "2022-12-19", "Event": "Interest Election", "Value": "pik or private"}])
    behaviour = HOLD.replace(interest="cash").with_events(events, terms=ASTI_2022)
    assert behaviour.interest_elections == (InterestElection(date=CLOSING, method="pik", fallback="private_pik"),)
    setup = _setup(conditions_hold=False, behaviour=behaviour)
    [repaid] = _flows(setup, "Registered", "repayment")
    assert repaid.principal == pytest.approx(REGISTERED_COMPOUNDED, abs=0.005)


def test_the_rule_of_each_interest_date():
    registered, private = ASTI_2022.note("Registered"), ASTI_2022.note("Private")
    day = dt.date(2023, 3, 31)
    later = InterestElection(date=dt.date(2023, 4, 1), method="cash")
    for behaviour, expected in [
        (Behaviour(interest="cash"), ("cash", "cash")),
        (Behaviour(interest="equity_conditions"), ("equity_conditions", "equity_conditions")),
        (Behaviour(interest="pik"), ("pik_or_private", "pik")),
        (Behaviour(interest="pik", interest_elections=(later,)), ("pik_or_private", "pik")),
        (Behaviour(interest="cash", interest_elections=(
            InterestElection(date=day, note="Registered", method="pik", fallback="cash"),)),
         ("equity_conditions", "cash")),
    ]:
        assert (interest_rule(behaviour, registered, day), interest_rule(behaviour, private, day)) == expected
    assert np.isclose(1.0015 * 1.01125 ** 5 * 12_500_000, REGISTERED_COMPOUNDED, rtol=0, atol=1e-6)


def test_history_before_the_data_is_the_spot_and_the_assumptions_say_which_days():
    """At the closing the equity conditions' window needs the 20 VWAPs before the first simulated
    day, 2022-12-20: from 2022-11-21; the sample data start on 2022-12-01. The 7 sessions
    2022-11-21 to 2022-11-30 (Nov 24, Thanksgiving, closed) are the spot, the 13 from 2022-12-01
    to 2022-12-19 the sample's own VWAPs (the book once dropped them all and said "no history
    given"; `value --as-of` refused)."""
    import csv

    from ascent_xl.events import events_from_csv
    from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path, sample_market
    from ascent_xl.valuation import value_deal
    from ascent_xl.valuation.start import deal_start

    start = deal_start(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), sample_market(), as_of=CLOSING)
    model = DEMO_MODEL.replace(spot=0.30, volatility=0.0, vwap_noise=0.0)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=HOLD, start=start)
    lines = [line for line in data_path(SAMPLE_VWAPS).read_text().splitlines() if not line.startswith("#")]
    december = [float(r["VWAP"]) for r in csv.DictReader(lines) if "2022-12-01" <= r["Date"] <= "2022-12-19"]
    assert len(december) == 13 and december[0] == 3.4195
    assert setup.contract.history.tolist() == [0.30] * 7 + december
    assert setup.contract.history_filled == 7
    assert ("VWAPs of the 7 sessions 2022-11-21 to 2022-11-30 taken as the spot: the look-back windows of the "
            "first simulated day reach back before the VWAP data") in value_deal(
        ASTI_2022, model=model, behaviour=HOLD, start=start, paths=64, seed=0).assumptions
