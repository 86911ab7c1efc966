"""The family's rule shapes (ascent_xl.family) at their edges: the cases the mutation run found
untested (issue 16). Each test names the mutants it kills by function and by what the mutant
changes; every expected value is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ascent_xl.errors import InputError, TermsError
from ascent_xl.family import (
    ExchangeCapCut,
    alternate_applies,
    alternate_discount,
    exchange_cap_cut,
    exchange_cap_room,
    has_own_fixed_price,
    installment_dates,
    installment_terms,
    note_fixed_price,
    price_reset_action,
    refuse_unmodelled,
    reset_fixed_price,
    restated_trigger_prices,
    trigger_payment_dates,
)
from ascent_xl.presets import ASTI_2022

ISSUE = dt.date(2024, 7, 19)


# -- refusals name the argument a caller gave ------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    # kills the label mutants of check_term in each rule (label None, left out, renamed, upper-cased):
    # the refusal names the argument, not the term's field
    (lambda: alternate_applies(applies="sometimes", start_days=0, issue_date=ISSUE, notice_date=ISSUE,
                               in_default=False), "applies: 'sometimes': choose one of always, in_default"),
    (lambda: alternate_applies(applies="always", start_days=-1, issue_date=ISSUE, notice_date=ISSUE,
                               in_default=False), "start_days: -1 days must be at least 0"),
    (lambda: exchange_cap_room(cap=-1, shares_at_agreement=1, issued=0, approved=False),
     "cap: -1 fraction must be above 0"),
    (lambda: exchange_cap_cut(principal=1, interest=0, shares=1, price=1, room=1, excess="keep", vwap=None),
     "excess: 'keep': choose one of refuse, cash"),
    (lambda: reset_fixed_price(fixed_price=1, average=1, pct=-1, rule="lower"), "pct: -1 fraction must be above 0"),
    (lambda: reset_fixed_price(fixed_price=1, average=1, pct=1, rule="up"), "rule: 'up': choose one of lower, replace"),
])
def test_refusals_name_the_argument(call, message):
    with pytest.raises(TermsError) as exc:
        call()
    assert str(exc.value).startswith(message)


# -- alternate_applies -------------------------------------------------------------------------------

def test_the_ascent_shape_applies_always_even_before_issue():
    # kills `mode == "XXalwaysXX"` / "ALWAYS" and `days == 1`: always with no start day is True on
    # any date, one before the issue date too (the general rule would say notice >= issue: False)
    before = dt.date(2024, 7, 1)
    assert alternate_applies(applies="always", start_days=0, issue_date=ISSUE, notice_date=before,
                             in_default=False) is True
    # kills `days == 1` the other way: from 1 day after issue, not on the issue date itself
    assert alternate_applies(applies="always", start_days=1, issue_date=ISSUE, notice_date=ISSUE,
                             in_default=False) is False
    assert alternate_applies(applies="always", start_days=1, issue_date=ISSUE, notice_date=dt.date(2024, 7, 20),
                             in_default=False) is True


def test_alternate_applies_keeps_the_shape_of_its_dates():
    # kills the ndim mutants of the Ascent shape's return (`and False`, `or True`, np.ndim(None),
    # `!= 0`, `== 1`) and `(ndim == 0) and False` of the general one: one date gives a bool, an
    # array of dates an array of bools of its shape
    days = np.array(["2024-09-16", "2024-09-17"], dtype="datetime64[D]")
    out = alternate_applies(applies="always", start_days=0, issue_date=ISSUE, notice_date=days, in_default=False)
    assert isinstance(out, np.ndarray) and out.dtype == bool and out.tolist() == [True, True]
    assert alternate_applies(applies="always", start_days=0, issue_date=ISSUE, notice_date=days[0],
                             in_default=False) is True
    # 2024-07-19 + 60 days = 2024-09-17
    assert alternate_applies(applies="always", start_days=60, issue_date=ISSUE, notice_date=days[1],
                             in_default=False) is True
    grid = np.array([["2024-09-16", "2024-09-17"]], dtype="datetime64[D]")
    out = alternate_applies(applies="always", start_days=0, issue_date=ISSUE, notice_date=grid, in_default=False)
    assert out.shape == (1, 2) and out.all()


def test_alternate_applies_reads_iso_dates_and_flags_given_as_numbers():
    # kills np.asarray(notice_date) without dtype="datetime64[D]" (ISO text compared as text) and
    # np.asarray(in_default) without dtype=bool (0/1 flags give an int array, not bools)
    out = alternate_applies(applies="in_default", start_days=60, issue_date="2024-07-19",
                            notice_date=["2024-09-16", "2024-09-17", "2024-09-17"], in_default=[1, 1, 0])
    assert out.dtype == bool and out.tolist() == [False, True, False]


def test_the_default_discount_only_in_default():
    # kills `if (in_default) or True`: out of default the discount is the note's own 5%
    assert alternate_discount(discount=0.05, default_discount=0.10, in_default=False) == 0.05
    assert alternate_discount(discount=0.05, default_discount=0.10, in_default=True) == 0.10


# -- the exchange cap ----------------------------------------------------------------------------------

def test_the_exchange_cap_room_at_its_edges():
    # kills `c > 1` / `c >= 2`: a cap of 100% is no cap
    assert exchange_cap_room(cap=1.0, shares_at_agreement=10_000_000, issued=12_000_000, approved=False) == np.inf
    # kills max(1.0, ...): the cap used up leaves 0 shares, not 1
    assert exchange_cap_room(cap=0.1999, shares_at_agreement=10_000_000, issued=2_500_000, approved=False) == 0.0
    # kills round(x, None) / round(x): 0.1999 x 10,000,003 = 1,999,000.5997 rounds down to
    # 1,999,000 shares (to the nearest it would be 1,999,001); 1,000,000 issued: 999,000 left
    assert exchange_cap_room(cap=0.1999, shares_at_agreement=10_000_003, issued=1_000_000,
                             approved=False) == 999_000
    # kills round(x, 7): 0.5 x 1,999,999.9999994 = 999,999.9999997 is 1,000,000 shares up to the
    # float noise the 6-decimal rounding absorbs (to 7 decimals it would floor to 999,999)
    assert exchange_cap_room(cap=0.5, shares_at_agreement=1_999_999.9999994, issued=0, approved=False) == 1_000_000


def test_a_conversion_within_the_exchange_cap_is_whole():
    # kills every mutant of the uncut return (a field None or left out, excess 1, cash 1.0) and
    # `shares < room`: 200 shares with exactly 200 of room convert whole, no cash, and with
    # excess cash no VWAP is needed
    expected = ExchangeCapCut(principal=100.0, interest=5.0, shares=200, excess_shares=0, cash=0.0)
    for how in ("refuse", "cash"):
        cut = exchange_cap_cut(principal=100, interest=5, shares=200, price=0.525, room=200, excess=how, vwap=None)
        assert cut == expected and type(cut.principal) is float and type(cut.cash) is float


@pytest.mark.parametrize("vwap", [None, 0.0])
def test_cash_for_the_excess_needs_a_vwap(vwap):
    # kills `vwap is None and not vwap > 0` (None: a TypeError, 0: no refusal) and `not vwap >= 0`
    with pytest.raises(InputError, match="the exchange cap's cash for the shares beyond it needs the day's VWAP"):
        exchange_cap_cut(principal=100, interest=0, shares=200, price=0.5, room=150, excess="cash", vwap=vwap)


def test_the_refused_excess_is_cut_to_the_cent_below():
    # kills round(x, None) / round(x) in the refuse cut: 3 shares x 0.3355 = 100.65 cents, down to
    # $1.00 (to the nearest cent it would be $1.01)
    cut = exchange_cap_cut(principal=10, interest=0, shares=30, price=0.3355, room=3, excess="refuse", vwap=None)
    assert (cut.principal, cut.shares, cut.excess_shares) == (1.00, 3, 27)
    # kills round(x, 7): 1 share x 0.999999996 = 99.9999996 cents is $1.00 up to float noise
    cut = exchange_cap_cut(principal=10, interest=0, shares=10, price=0.999999996, room=1, excess="refuse", vwap=None)
    assert cut.principal == 1.00


# -- price-triggered payments ----------------------------------------------------------------------------
# Sessions one month apart (the first of each month of 2024 on), so that the monthly payments fall
# on sessions: the payments of one trigger are the sessions from the trigger (delay 0) up to the
# session before the cure.

MONTHS = np.array([f"2024-{m:02d}-01" for m in range(1, 13)], dtype="datetime64[D]")


def _on(*idx: int) -> list[dt.date]:
    return [MONTHS[i].item() for i in idx]


def _trigger(prices, *, window, days, cure, delay=0, end=dt.date(2030, 1, 1), dates=None):
    dates = MONTHS[:len(prices)] if dates is None else dates
    return trigger_payment_dates(dates, prices, price=1.0, days=days, window=window, cure_days=cure,
                                 delay_days=delay, start=dt.date(2024, 1, 1), end=end)


def test_a_cure_and_a_second_trigger():
    # window 4, 2 days below 1.00, cured by 2 sessions in a row at or above 1.00:
    #  session   0    1    2    3    4    5    6    7    8    9
    #  price     1    1   .9   .9    1    1   .9    1    1    1
    # first full window at 3 ([0..3]: 2 below): payments from 3; cure at 5 (4, 5 above): 3, 4.
    # From 6 ([3..6]: 3 and 6 below) a second trigger: cure at 8 (7, 8): 6, 7. Then nothing
    # ([6..9]: 1 below).
    prices = np.array([1, 1, .9, .9, 1, 1, .9, 1, 1, 1])
    # kills i = cured_at - 1 / + 2 after a cure, `continue` -> break, `cured_at != n`, i += 2,
    # `i - 1 >= window`, `i + 1 > window`, the window slice one longer or one shorter, the cure
    # run starting at 1, `run > cure_days`, the cure counted from i + 2, a payment on the cure day
    assert _trigger(prices, window=4, days=2, cure=2) == _on(3, 4, 6, 7)


def test_a_cure_interrupted():
    #  session   0    1    2    3    4    5    6    7    8
    #  price    .9   .9    1    1    1   .9    1    1    1
    # trigger at 3 ([0..3]: 2 below) though 3 itself is above; the cure counts from 4: 4 (1),
    # 5 below (0), 6 (1), 7 (2): cured at 7, payments 3 .. 6
    prices = np.array([.9, .9, 1, 1, 1, .9, 1, 1, 1])
    # kills the cure counted from i - 1 (2 and 3 above would cure at 3: no payment) and a below
    # session resetting the run to 1 (cured at 6)
    assert _trigger(prices, window=4, days=2, cure=2) == _on(3, 4, 5, 6)


def test_a_payment_on_the_end_date():
    # kills `due < stop`: triggered at 1, never cured, payments on 1 and 2 = the end date
    assert _trigger(np.array([1, .9, 1]), window=1, days=1, cure=99, end=MONTHS[2].item()) == _on(1, 2)


def test_a_trigger_whose_first_payment_is_past_the_data():
    # kills `first_at > n` (an IndexError) and `break` -> return (None): triggered on the last
    # session with a one-session delay: no payment known yet
    assert _trigger(np.array([1, 1, .9]), window=1, days=1, cure=5, delay=1) == []


def test_no_trigger_before_a_full_window():
    # kills `i + 2 >= window`: with 2 sessions and a 3-session window nothing triggers, though
    # the last price is below
    assert _trigger(np.array([1, .9]), window=3, days=1, cure=5) == []


def test_triggers_read_missing_prices_and_other_date_types():
    # kills np.asarray(prices) without dtype=float (a missing price None compared with 1.00) and
    # np.asarray(dates) without dtype="datetime64[D]" for the payment days (nanosecond dates, as
    # pandas gives them, read as integers): a missing price is neither below nor above
    prices = np.array([1, None, .9, .9, 1, 1], dtype=object)
    # [0..2]: 1 below (None is not); [1..3]: 2 below -> trigger at 3; cure at 5 (4, 5)
    assert _trigger(prices, window=3, days=2, cure=2) == _on(3, 4)
    ns = MONTHS[:6].astype("datetime64[ns]")
    assert _trigger(np.array([1, 1, .9, .9, 1, 1]), window=3, days=2, cure=2, dates=ns) == _on(3, 4)
    # and the same sessions as ISO text (kills np.asarray(dates) without its dtype for the
    # search of the start session too)
    iso = [str(d) for d in MONTHS[:6]]
    assert _trigger(np.array([1, 1, .9, .9, 1, 1]), window=3, days=2, cure=2, dates=iso) == _on(3, 4)


# -- installments, unmodelled shapes ----------------------------------------------------------------------

def test_installment_dates_at_the_end_of_the_sessions_and_at_maturity():
    sessions = np.array(["2023-02-20", "2023-03-20", "2023-04-28"], dtype="datetime64[D]")
    # kills `session <= maturity`: 2023-04-19 moves to the session 2023-04-28 = maturity: none
    assert installment_dates(dt.date(2023, 1, 19), dt.date(2023, 4, 28), first_month=1,
                             sessions=sessions) == [dt.date(2023, 2, 20), dt.date(2023, 3, 20)]
    # kills `i <= len(sessions)` (an IndexError): 2023-05-19 is after the last session
    assert installment_dates(dt.date(2023, 1, 19), dt.date(2023, 6, 30), first_month=1,
                             sessions=sessions) == [dt.date(2023, 2, 20), dt.date(2023, 3, 20), dt.date(2023, 4, 28)]


def test_installment_terms():
    # kills installment_terms' replace with a field left out: the installment price is the
    # lower of the fixed price and 88% of the average of the 2 lowest of the 5 days before
    c = ASTI_2022.conversion.replace(installment_amount=100_000.0, installment_first_month=1,
                                     installment_discount=0.12, installment_days=5, installment_lowest=2)
    t = installment_terms(c)
    assert (t.alternate_price_discount, t.alternate_price_days, t.alternate_price_lowest) == (0.12, 5, 2)
    with pytest.raises(InputError, match=r"the deal has no installments \(conversion.installment_amount is 0\)"):
        installment_terms(ASTI_2022.conversion)


def test_a_modelled_shape_is_not_refused():
    # kills unmodelled_shapes(terms) without modelled=: a shape the consumer models passes
    terms = ASTI_2022.with_term("window_includes_notice_day", True)
    refuse_unmodelled(terms, who="the test", modelled=frozenset({"conversion.window_includes_notice_day"}))
    with pytest.raises(TermsError, match="the test does not model a look-back window ending on the notice day"):
        refuse_unmodelled(terms, who="the test")


# -- dated resets, own fixed prices, restated trigger prices -------------------------------------------------

DAY, END = dt.date(2024, 8, 13), dt.date(2024, 10, 11)


@pytest.mark.parametrize(("conditions", "met", "next_day", "deadline", "action"), [
    ("none", False, DAY, END, "reset"),  # no conditions: the reset happens whatever the state
    ("skip", True, DAY, END, "reset"),
    ("skip", False, DAY, END, "skip"),
    ("defer", True, DAY, END, "reset"),
    ("defer", False, DAY, END, "defer"),  # tried again on the next trading day
    ("defer", False, None, END, "pending"),  # the market data end: no later day known yet
    ("defer", False, END, END, "skip"),  # the next day is the deadline itself: too late
    ("defer", False, dt.date(2024, 10, 10), END, "defer"),  # the day before the deadline: still in time
    ("defer", False, dt.date(2030, 1, 1), None, "defer"),  # no deadline (a note without maturity)
    ("skip", False, None, None, "skip"),
])
def test_price_reset_action(conditions, met, next_day, deadline, action):
    # kills price_reset_action's mutants: each branch and each comparison at its edge
    assert price_reset_action(conditions=conditions, met=met, next_day=next_day, deadline=deadline) == action


def test_price_reset_action_names_its_argument():
    with pytest.raises(TermsError, match="^conditions: 'later': choose one of none, skip, defer"):
        price_reset_action(conditions="later", met=False, next_day=DAY, deadline=END)


def test_own_fixed_prices():
    # kills has_own_fixed_price's and note_fixed_price's mutants: the note's own price when set
    # (and own), the deal's otherwise, the price at issue from the VWAPs
    reg = ASTI_2022.note("Registered")
    mine = reg.replace(own_fixed_price=2.5)
    assert has_own_fixed_price(reg) is False and has_own_fixed_price(mine) is True
    assert has_own_fixed_price(mine, own=False) is False
    at_issue = reg.replace(own_fixed_price_at_issue=True)
    assert has_own_fixed_price(at_issue) is True and has_own_fixed_price(at_issue, own=False) is True
    c = ASTI_2022.conversion
    assert note_fixed_price(reg, c, deal_price=3.93042, market=None) == 3.93042
    assert note_fixed_price(mine, c, deal_price=3.93042, market=None) == 2.5
    # not one of the terms' notes (own=False): the deal's price
    assert note_fixed_price(mine, c, deal_price=3.93042, market=None, own=False) == 3.93042
    with pytest.raises(InputError, match=r"^note Registered: its fixed price is computed from the VWAPs before its "
                                         r"issue date 2022-12-19; give the VWAP series"):
        note_fixed_price(at_issue, c, deal_price=3.93042, market=None)


def test_own_fixed_price_at_issue_from_the_vwaps(sample):
    # (1 + fixed_price_premium) x the average of the fixed_price_days VWAPs before the issue date:
    # on the sample VWAPs before 2022-12-19 that is the Ascent deal's own fixed price, 3.93042
    reg = ASTI_2022.note("Registered").replace(own_fixed_price_at_issue=True)
    price = note_fixed_price(reg, ASTI_2022.conversion, deal_price=0.0, market=sample)
    assert price == pytest.approx(3.93042, abs=5e-6)


def test_restated_trigger_prices():
    # kills restated_trigger_prices' mutants: 1.00 until a 1:10 split on 2024-01-05, 10.00 from
    # that day on; a later 2:1 split halves it from its own day (5.00)
    d = np.array(["2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"], dtype="datetime64[D]")
    out = restated_trigger_prices(d, price=1.0, splits=[(dt.date(2024, 1, 9), 2.0), (dt.date(2024, 1, 5), 0.1)])
    assert out.tolist() == pytest.approx([1.0, 10.0, 10.0, 5.0], rel=1e-12)
    assert restated_trigger_prices(list(d.astype("datetime64[ns]")), price=2.0, splits=[]).tolist() == [2.0] * 4
