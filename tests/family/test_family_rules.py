"""The family's rule shapes as pure functions (ascent_xl.family), with the arithmetic by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.family import interest_rate, refuse_unmodelled, unmodelled_shapes
from ascent_xl.interest import accrued_in_period
from ascent_xl.presets import ASTI_2022


def test_the_default_rate_applies_only_in_default_and_never_lowers_the_rate():
    assert interest_rate(rate=0.05, default_rate=0.15, in_default=True) == 0.15
    assert interest_rate(rate=0.05, default_rate=0.15, in_default=False) == 0.05
    # a default rate below the note's: the note's stays
    assert interest_rate(rate=0.18, default_rate=0.15, in_default=True) == 0.18
    # the Ascent deal states none (0): its 4.5% runs on in default
    assert ASTI_2022.default.interest_rate == 0.0
    assert interest_rate(rate=0.045, default_rate=ASTI_2022.default.interest_rate, in_default=True) == 0.045


def test_a_quarter_with_a_month_in_default():
    # $1,000,000 at 5%, 15% in default from 02-15 to 03-15, quarter 12-31 .. 03-31, 30/360:
    # 45 days at 5% = 6,250.00; 30 days at 15% = 12,500.00; 15 days at 5% = 2,083.33
    ps = dt.date(2022, 12, 31)
    pieces = [
        accrued_in_period(1_000_000, ps, ps, dt.date(2023, 2, 15),
                          rate=interest_rate(rate=0.05, default_rate=0.15, in_default=False), basis="30/360"),
        accrued_in_period(1_000_000, ps, dt.date(2023, 2, 15), dt.date(2023, 3, 15),
                          rate=interest_rate(rate=0.05, default_rate=0.15, in_default=True), basis="30/360"),
        accrued_in_period(1_000_000, ps, dt.date(2023, 3, 15), dt.date(2023, 3, 31),
                          rate=interest_rate(rate=0.05, default_rate=0.15, in_default=False), basis="30/360"),
    ]
    assert pieces == [6_250.00, 12_500.00, 2_083.33]


def test_the_shapes_a_consumer_does_not_model_are_named():
    assert unmodelled_shapes(ASTI_2022) == []
    canoo_like = ASTI_2022.with_term("default.interest_rate", 0.15)
    assert unmodelled_shapes(canoo_like) == ["default.interest_rate"]
    assert unmodelled_shapes(canoo_like, modelled=frozenset({"default.interest_rate"})) == []
    with pytest.raises(TermsError, match=r"default.interest_rate: the kernel does not model a higher interest rate"):
        refuse_unmodelled(canoo_like, who="the kernel")


def test_when_the_alternate_price_applies():
    import numpy as np

    from ascent_xl.family import alternate_applies, alternate_discount, conversion_on

    issue = dt.date(2024, 7, 19)  # Canoo's July 2024 advance: the alternate from the 60th day
    days = np.array(["2024-09-16", "2024-09-17", "2024-10-01"], dtype="datetime64[D]")
    # 2024-07-19 + 60 days = 2024-09-17
    assert list(alternate_applies(applies="always", start_days=60, issue_date=issue, notice_date=days,
                                  in_default=False)) == [False, True, True]
    assert list(alternate_applies(applies="in_default", start_days=0, issue_date=issue, notice_date=days,
                                  in_default=np.array([True, False, True]))) == [True, False, True]
    assert alternate_discount(discount=0.05, default_discount=0.10, in_default=True) == 0.10
    assert alternate_discount(discount=0.05, default_discount=0.02, in_default=True) == 0.05
    c, applies = conversion_on(ASTI_2022.conversion.replace(default_discount=0.2), notice_date=issue,
                               issue_date=issue, in_default=True)
    assert (c.alternate_price_discount, applies) == (0.2, True)
    with pytest.raises(TermsError, match=r"applies: 'sometimes': choose one of always, in_default"):
        alternate_applies(applies="sometimes", start_days=0, issue_date=issue, notice_date=issue, in_default=False)


def test_a_quote_without_events_before_the_start_day_is_at_the_fixed_price(sample):
    from ascent_xl.pricing import quote_conversion

    terms = ASTI_2022.with_term("alternate_price_start_days", 60)
    # 2023-02-16 is day 59 after the 2022-12-19 issue: the fixed price 3.93042
    assert quote_conversion(terms, sample, notice_date="2023-02-16", amount=100_000).conversion_price == 3.93042
    # day 60: 0.925 x (1.0358 + 1.0499 + 1.0813) / 3 = 0.9764917
    q = quote_conversion(terms, sample, notice_date="2023-02-17", amount=100_000)
    assert q.conversion_price == pytest.approx(0.925 * (1.0358 + 1.0499 + 1.0813) / 3, abs=1e-12)
    # applies only in default: a quote without events is never in default
    q = quote_conversion(ASTI_2022.with_term("alternate_price_applies", "in_default"), sample,
                         notice_date="2023-02-17", amount=100_000)
    assert q.conversion_price == 3.93042 and q.alternate_price == 3.93042


def test_the_exchange_cap_room_and_cut():
    from ascent_xl.family import exchange_cap_cut, exchange_cap_room

    # 19.99% of 50,000,000 = 9,995,000; 9,000,000 issued: 995,000 left
    assert exchange_cap_room(cap=0.1999, shares_at_agreement=50_000_000, issued=9_000_000, approved=False) == 995_000
    # after a 1:10 reverse split the cap is 999,500 on the new basis; 900,000 issued: 99,500
    assert exchange_cap_room(cap=0.1999, shares_at_agreement=50_000_000, split_factor=0.1,
                             issued=900_000, approved=False) == 99_500
    assert exchange_cap_room(cap=0.1999, shares_at_agreement=50_000_000, issued=9e9, approved=True) == float("inf")
    # refuse: 99,500 shares at 0.37 = 36,815.00 converts, interest first ($1,000 of it)
    cut = exchange_cap_cut(principal=50_000, interest=1_000, shares=137_838, price=0.37, room=99_500,
                           excess="refuse", vwap=None)
    assert (cut.interest, cut.principal, cut.shares, cut.excess_shares, cut.cash) == (1_000, 35_815.00, 99_500, 38_338, 0.0)
    # cash: 38,338 shares beyond at 0.41 = 15,718.58
    cut = exchange_cap_cut(principal=50_000, interest=1_000, shares=137_838, price=0.37, room=99_500,
                           excess="cash", vwap=0.41)
    assert (cut.principal, cut.shares, cut.cash) == (50_000, 99_500, 15_718.58)


def test_the_reset_price():
    from ascent_xl.family import price_reset_dates, reset_fixed_price

    # Canoo's June 2024 advance: $2.30, repriced to 100% of the 10-day average on days 60 and 120
    assert reset_fixed_price(fixed_price=2.30, average=1.80, pct=1.0, rule="replace") == 1.80
    assert reset_fixed_price(fixed_price=2.30, average=2.50, pct=1.0, rule="replace") == 2.50
    assert reset_fixed_price(fixed_price=2.30, average=2.50, pct=1.0, rule="lower") == 2.30
    # 90% of 2.00 = 1.80 < 2.30
    assert reset_fixed_price(fixed_price=2.30, average=2.00, pct=0.9, rule="lower") == pytest.approx(1.80, abs=1e-12)
    # 2024-06-13 + 60 = 2024-08-12; + 120 = 2024-10-11
    assert price_reset_dates(dt.date(2024, 6, 13), (60, 120)) == [dt.date(2024, 8, 12), dt.date(2024, 10, 11)]


def test_price_triggered_payments_start_and_stop():
    import numpy as np

    from ascent_xl.family import trigger_payment_dates
    from tests.helpers.markets import sessions_before

    days = np.array(sessions_before("2024-02-01", 20), dtype="datetime64[D]")  # 2024-01-03 .. 01-31
    # below 1.00 on the 4th and 5th sessions (01-08, 01-09): 2 of the last 3 on 01-09 -> trigger
    prices = np.array([1.2, 1.1, 1.05, 0.9, 0.95] + [1.0] * 15)
    out = trigger_payment_dates(days, prices, price=1.0, days=2, window=3, cure_days=30, delay_days=1,
                                start=dt.date(2024, 1, 2), end=dt.date(2024, 4, 30))
    # first payment one session after 01-09 (01-10), then 02-10, 03-10, 04-10 (no cure in 30 days)
    assert out == [dt.date(2024, 1, 10), dt.date(2024, 2, 10), dt.date(2024, 3, 10), dt.date(2024, 4, 10)]
    # a cure: 5 sessions in a row at or above 1.00 from 01-10 (01-10 .. 01-17): nothing after 01-17
    out = trigger_payment_dates(days, prices, price=1.0, days=2, window=3, cure_days=5, delay_days=1,
                                start=dt.date(2024, 1, 2), end=dt.date(2024, 4, 30))
    assert out == [dt.date(2024, 1, 10)]
