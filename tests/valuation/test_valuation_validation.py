"""Validation of the Monte Carlo against closed forms, QuantLib, and hand-computed cash flows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ascent_xl.interest import accrued_interest, interest_schedule
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import Behaviour, ModelParams, prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import trace_path
from ascent_xl.valuation.results import CONVERTED_LABEL
from ascent_xl.valuation.warrants import black_scholes_call, normal_cdf

# Conversion only at maturity: no sell-through, no threshold, no cap, interest paid in cash.
AT_MATURITY = Behaviour(sell_through=False, convert_interest=False, ownership_cap=1.0, interest="cash")


def _model(**kw) -> ModelParams:
    base = dict(spot=2.87, volatility=0.6, rate=0.04, daily_volume=300_000)
    base.update(kw)
    return ModelParams(**base)


def _fixed_price_only(setup):
    """No alternate price, no floor: the conversion price is the fixed price."""
    return setup.with_contract(alternate_discount=None, floor_price=0.0)


@pytest.mark.parametrize("spread", [0.0, 0.12])
def test_conversion_at_maturity_is_a_bond_plus_a_black_scholes_call(spread):
    model = _model(credit_spread=spread)
    setup = _fixed_price_only(prepare_valuation(ASTI_2022, model=model, behaviour=AT_MATURITY))
    r = run_valuation(setup, paths=40_000, seed=11)
    grid, c = setup.grid, setup.contract
    T = grid.years[-1]
    for note in ASTI_2022.notes:
        bond = _straight_bond(note, setup, model)
        # holder converts at maturity when n S_T > face: n S N(d1) - face e^{-(r+s)T} N(d2)
        n = math.ceil(round(note.face / c.fixed_price, 6))  # shares, rounded up
        sd = model.volatility * math.sqrt(T)
        d1 = (math.log(model.spot / c.fixed_price) + (model.rate + 0.5 * model.volatility**2) * T) / sd
        option = n * model.spot * normal_cdf(d1) - note.face * grid.df_cash[-1] * normal_cdf(d1 - sd)
        mc = r.note(note.name)
        assert abs(mc.value - (bond + option)) < 3 * mc.std_error, (note.name, mc, bond + option)
        if spread == 0.0:  # then a straight bond plus a Black-Scholes call on face / price shares
            call = black_scholes_call(spot=model.spot, strike=c.fixed_price, years=T, rate=model.rate,
                                      volatility=model.volatility)
            shares_unrounded = note.face / c.fixed_price
            assert shares_unrounded * call == pytest.approx(
                option - (n - shares_unrounded) * model.spot * normal_cdf(d1), rel=1e-12)
    # the warrants: Black-Scholes from today, within 3 standard errors
    assert abs(r.warrants.value - r.warrants_closed_form) < 3 * r.warrants.std_error


def _straight_bond(note, setup, model) -> float:
    """Interest (unrounded) and principal at their payment days, discounted at rate + spread."""
    cal, v = setup.grid.calendar, setup.grid.valuation_date
    value = 0.0
    for period in interest_schedule(note):
        years = (cal.on_or_after(period.end).item() - v).days / 365
        interest = accrued_interest(note.face, period.start, period.end, rate=note.rate, basis=note.day_count)
        value += interest * math.exp(-(model.rate + model.credit_spread) * years)
    years = (cal.on_or_after(note.maturity).item() - v).days / 365
    return value + note.face * math.exp(-(model.rate + model.credit_spread) * years)


def _quantlib_convertible(*, face, conversion_price, spot, vol, rate, issue, maturity, american):
    ql = pytest.importorskip("QuantLib")
    today = ql.Date(issue.day, issue.month, issue.year)
    ql.Settings.instance().evaluationDate = today
    mat = ql.Date(maturity.day, maturity.month, maturity.year)
    dc, cal = ql.Actual365Fixed(), ql.NullCalendar()
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc, ql.Continuous)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, rate, dc, ql.Continuous)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, cal, vol, dc)),
    )
    schedule = ql.Schedule(today, mat, ql.Period(ql.Once), cal, ql.Unadjusted, ql.Unadjusted,
                           ql.DateGeneration.Backward, False)
    exercise = ql.AmericanExercise(today, mat) if american else ql.EuropeanExercise(mat)
    bond = ql.ConvertibleZeroCouponBond(exercise, 100.0 / conversion_price, ql.CallabilitySchedule(),
                                        today, 0, dc, schedule, 100.0)
    bond.setPricingEngine(ql.BinomialConvertibleEngine(
        process, "crr", 1500, ql.QuoteHandle(ql.SimpleQuote(0.0)), ql.DividendSchedule()))
    return bond.NPV() * face / 100.0


def test_fixed_price_convertible_matches_quantlib_binomial_engine_within_one_percent():
    """Fixed conversion price, conversion at any time, no interest, zero credit spread.

    QuantLib's binomial engine lets the holder convert at any time (American). With no
    dividends and no coupons early conversion is never optimal (the note is a bond plus a call,
    and an American call on a stock without dividends is worth its European value), so the
    Monte Carlo converts at maturity; the test checks that claim on both sides.
    """
    terms = ASTI_2022.with_term("notes.Registered.rate", 0.0).with_term("notes.Private.rate", 0.0)
    model = _model(volatility=0.5, rate=0.04, credit_spread=0.0)
    setup = _fixed_price_only(prepare_valuation(terms, model=model, behaviour=AT_MATURITY))
    mc = run_valuation(setup, paths=40_000, seed=5).note("Registered")
    note = terms.note("Registered")
    kwargs = dict(face=note.face, conversion_price=setup.contract.fixed_price, spot=model.spot,
                  vol=model.volatility, rate=model.rate, issue=note.issue_date,
                  maturity=setup.grid.dates[-1].item())
    american = _quantlib_convertible(american=True, **kwargs)
    european = _quantlib_convertible(american=False, **kwargs)
    assert american == pytest.approx(european, rel=1e-4)  # early conversion adds nothing
    assert mc.value == pytest.approx(american, rel=0.01)
    assert abs(mc.value - american) < 3 * mc.std_error + 1e-3 * american  # binomial error ~1e-4
    # converting early whenever in the money loses value on the same paths
    early = setup.with_contract(convert_all_above=1.0)
    assert run_valuation(early, paths=40_000, seed=5).note("Registered").value < mc.value


def test_zero_volatility_values_the_hand_computed_cash_flows_of_a_note_held_to_maturity():
    """No conversion (conversion is never worth it): interest in cash each quarter and the
    principal at maturity, discounted at rate + spread to the payment days."""
    model = _model(volatility=0.0, credit_spread=0.1)
    never = Behaviour(sell_through=False, convert_at_maturity=False, interest="cash")
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=never)
    r = run_valuation(setup, paths=3, seed=0)
    for note in ASTI_2022.notes:
        got = r.note(note.name)
        assert got.std_error == 0.0
        assert got.value == pytest.approx(_straight_bond(note, setup, model), rel=1e-12)


def test_zero_volatility_conversion_on_day_one_is_shares_times_the_deterministic_vwap():
    model = _model(volatility=0.0, credit_spread=0.2)
    at_once = Behaviour(sell_through=False, convert_all_above=0.5, ownership_cap=1.0, interest="cash")
    setup = _fixed_price_only(prepare_valuation(ASTI_2022, model=model, behaviour=at_once))
    r = run_valuation(setup, paths=2, seed=0)
    g = setup.grid
    vwap1 = model.spot * math.exp(model.rate * g.years[1])  # zero volatility: the spot at the drift
    for note in ASTI_2022.notes:
        accrued = note.face * note.rate / 360  # one day of 30/360 interest, converted first
        shares = math.ceil(round((note.face + accrued) / setup.contract.fixed_price, 6))
        expected = shares * vwap1 * math.exp(-model.rate * g.years[1])
        assert r.note(note.name).value == pytest.approx(expected, rel=1e-12)
    # what the conversions took is the face and the day's interest: 12,500,000 + 12,500,000 x
    # 4.5% / 360 + 2,500,000 + 2,500,000 x 4.5% / 360 = 15,001,875, more than the principal
    assert r.expected_converted == pytest.approx(15_001_875.0, rel=1e-12)
    table = dict(r.tables()["Expected cash"][1:])
    assert table[CONVERTED_LABEL] == r.expected_converted
    # of which interest 12,500,000 x 4.5% / 360 + 2,500,000 x 4.5% / 360 = 1,562.50 + 312.50
    # = 1,875; no PIK notes; principal 15,000,000
    assert table["of which accrued interest"] == pytest.approx(1_875.0, rel=1e-12)
    assert table["of which PIK notes"] == 0.0
    assert table["of which principal (with capitalised PIK)"] == pytest.approx(15_000_000.0, rel=1e-12)


def test_a_traced_path_prices_conversions_like_the_engine():
    """On a given falling path the kernel's conversions (alternate price, floor, shares, floor
    payment) are those of :func:`ascent_xl.pricing.quote_conversions` on the same VWAPs."""
    from ascent_xl.pricing import quote_conversions

    model = _model(daily_volume=50_000, volume_elasticity=1.0)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=Behaviour(interest="cash"))
    T = setup.grid.days
    path = model.spot * np.exp(np.linspace(0.0, math.log(0.1 / model.spot), T))  # down to $0.10
    trace = trace_path(setup, vwaps=path)
    history_dates = setup.grid.calendar.sessions_before(setup.grid.dates[1], len(setup.contract.history))
    market = trace.market(history_dates, setup.contract.history)
    conversions = [f for f in trace.flows if f.kind == "conversion"]
    assert any(f.price == ASTI_2022.conversion.floor_price for f in conversions)  # the floor binds
    q = quote_conversions(ASTI_2022, market, notice_dates=[np.datetime64(f.date) for f in conversions],
                          amounts=[f.principal + f.pik + f.interest for f in conversions])
    np.testing.assert_allclose([f.price for f in conversions], q["conversion_price"], rtol=1e-14)
    np.testing.assert_array_equal([f.shares for f in conversions], q["shares"])
    floors = {f.date: f.cash for f in trace.flows if f.kind == "floor payment"}
    engine = {d.item(): pay for d, pay in zip(q["notice_date"], q["floor_payment"], strict=True) if pay}
    assert floors.keys() == engine.keys()
    for day, pay in floors.items():
        assert pay == pytest.approx(engine[day], abs=0.006)  # the engine rounds to the cent
    assert trace.value() == pytest.approx(sum(trace.note_values.values()), rel=1e-12)
