"""Covenant checks (ascent_xl/ledger/checks.py) at their edges, called on a ledger state directly:
the cases the mutation run found untested (issue 16). Each test names the mutants it kills by
function and by what the mutant changes; expected values are worked out in the comments.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import MarketDataError
from ascent_xl.events import parse_events
from ascent_xl.ledger import checks, run_ledger
from ascent_xl.market import MarketData
from tests.helpers.markets import sessions_before

ISSUES = [["2022-12-19", "Issue", "Registered", 12_500_000, "registered"],
          ["2022-12-19", "Issue", "Private", 2_500_000, "private"]]


@pytest.fixture
def state(terms, sample):
    """The deal on 2023-01-05 after the two issues (a fresh copy per test: checks may add to it)."""
    return run_ledger(terms, parse_events(ISSUES), sample, until=dt.date(2023, 1, 5)).state


def _market(first: str, last: str, *, volume: float | None = 1_000_000.0, cap: float | None = 50_000_000.0):
    """Sessions ``first`` .. ``last`` at VWAP 1.00, each with ``volume`` USD traded and ``cap``."""
    days = [d for d in sessions_before("2024-01-01", 300) if first <= d <= last]
    n = len(days)
    return MarketData.from_lists(days, [1.0] * n, dollar_volumes=None if volume is None else [volume] * n,
                                 market_caps=None if cap is None else [cap] * n)


# -- leak-out ------------------------------------------------------------------------------------------

def test_leak_out_counts_the_whole_calendar_month(state):
    # February 2023 has 19 sessions (2023-02-20 is Presidents' Day), the first on Wed 02-01; the
    # next session, Wed 03-01, is March's. At $1,000,000 a session the month traded $19,000,000
    # and 35% of it is the limit. Kills the month starting on the 2nd or after the 1st (`>`), and
    # ending on the 2nd of the next month or with it (`<=`): each changes the month's value
    state.market = _market("2023-01-20", "2023-03-10")
    limit = 0.35 * 19_000_000.0
    assert checks.check_leak_out(state, dt.date(2023, 2, 15), limit) == []  # kills `>=`
    # kills the default holder's name changed: "holder" when none is named
    assert checks.check_leak_out(state, dt.date(2023, 2, 15), limit + 1)[0][1].startswith("holder's sales $6,650,001")
    assert checks.check_leak_out(state, dt.date(2023, 2, 15), limit + 1, holder="Investor") == [
        ("leak-out", "Investor's sales $6,650,001 in Feb 2023 exceed 35% of the month's trading value $19,000,000")]


def test_leak_out_in_december(state):
    # kills `day.year - (day.month == 12)` and `day.month == 13`: December 2022's month ends on
    # 2023-01-01, not in 2021 or 2022 (an empty month: any sale would break the limit). Dec 2022
    # has 21 sessions (Dec 26 is the Christmas holiday): $21,000,000, 35% = $7,350,000
    state.market = _market("2022-12-01", "2023-01-31")
    assert checks.check_leak_out(state, dt.date(2022, 12, 20), 7_000_000) == []
    assert checks.check_leak_out(state, dt.date(2022, 12, 20), 7_400_000)[0][1].endswith("value $21,000,000")


def test_leak_out_without_volumes(state):
    # kills `m is None and m.dollar_volume is None`: with no market, or no volumes, nothing to test
    state.market = None
    assert checks.check_leak_out(state, dt.date(2023, 2, 15), 1e9) == []
    state.market = _market("2023-01-20", "2023-03-10", volume=None)
    assert checks.check_leak_out(state, dt.date(2023, 2, 15), 1e9) == []


# -- restricted period -------------------------------------------------------------------------------------

def test_the_restricted_period_adds_up_to_its_limit(state):
    # the ASTI covenant: at most $5,000,000 issued within 120 days of closing
    closing = dt.date(2022, 12, 19)
    last = closing + dt.timedelta(days=120)  # still inside: kills `(day - closing).days >= 120`
    assert checks.check_restricted(state, last, 3_000_000, closing) == []
    # 3,000,000 + 2,000,000 = 5,000,000: at the limit, not above (kills `>=` and `=` for `+=`)
    assert checks.check_restricted(state, last, 2_000_000, closing) == []
    assert checks.check_restricted(state, last, 1, closing) == [
        ("restricted", "$5,000,001 issued within 120 days of closing; at most $5,000,000 of restricted securities")]
    # the day after the period: nothing counted
    assert checks.check_restricted(state, last + dt.timedelta(days=1), 1e9, closing) == []
    assert state.restricted_issued == 5_000_001


# -- equity conditions --------------------------------------------------------------------------------------

GIVE = "(give the market data's volume and market cap columns)"


@pytest.mark.parametrize(("volume", "cap", "missing"), [
    (1_000_000.0, None, "market cap"),  # kills `... or (volume is None and cap is None)`
    (None, 50_000_000.0, "dollar volume"),  # kills `(m is None and volume is None) or ...`
    (None, None, "dollar volume"),
])
def test_equity_conditions_without_the_data(state, volume, cap, missing):
    # kills the "missing" words (renamed, lower- or upper-cased, `or True`), the code "equity"
    # renamed and the hint's text changed
    state.market = _market("2022-11-01", "2023-03-10", volume=volume, cap=cap)
    assert checks.equity_conditions_met(state, dt.date(2023, 3, 1), "a test") == (
        False, [("equity", f"equity conditions for a test not tested: no {missing} data {GIVE}")])


def test_equity_conditions_without_a_market(state):
    # kills `"VWAPs" if (m is None) and False` and "VWAPs" renamed or re-cased
    state.market = None
    assert checks.equity_conditions_met(state, dt.date(2023, 3, 1), "a test") == (
        False, [("equity", f"equity conditions for a test not tested: no VWAPs data {GIVE}")])


def test_equity_conditions_before_the_data_cover_them(state, sample):
    # kills `return True` and the code "equity" renamed in the not-tested branch: 20 sessions of
    # dollar volume before 2022-12-05 reach back to 2022-11-04, before the sample's first day
    state.market = sample
    met, reasons = checks.equity_conditions_met(state, dt.date(2022, 12, 5), "a test")
    assert met is False and reasons == [(
        "equity", "equity conditions for a test not tested: test date 2022-12-05 needs 20 trading days of "
        "dollar volume from 2022-11-04, but the data start on 2022-12-01; add earlier data or use a later date")]


# -- shares issuable, VWAP on or before ---------------------------------------------------------------------

def test_shares_issuable_counts_half_a_dollar(terms, sample):
    # kills `n.principal > 1`: 0.50 left on the private note is ceil(0.50 / 0.29) = 2 shares at
    # the floor; the registered 12,500,000 / 0.29 = 43,103,448.3 -> 43,103,449; warrants 2,513,406
    ev = parse_events(ISSUES + [["2023-01-10", "Conversion", "Private", 2_499_999.50, None]])
    s = run_ledger(terms, ev, sample, until=dt.date(2023, 1, 11)).state
    assert s.notes["Private"].principal == 0.50
    assert checks.shares_issuable(s) == 43_103_449 + 2 + 2_513_406


def test_vwap_on_or_before_names_what_needs_it(state, sample):
    # kills vwap_on(session, what=None) / what left out: on Saturday 2022-11-26 the session
    # before is 2022-11-25, before the sample's data
    state.market = sample
    with pytest.raises(MarketDataError, match=r"^a default 2022-11-25 is outside the data \(2022-12-01 to 2024-06-28\)"):
        checks.vwap_on_or_before(state, dt.date(2022, 11, 26), "a default")
    # kills `found is None and found[1]` (a TypeError): a day outside the calendar is refused
    with pytest.raises(MarketDataError, match=r"^date 1999-01-04 is outside the XNAS calendar"):
        checks.vwap_on_or_before(state, dt.date(1999, 1, 4), "a default")
    # on Saturday 2023-04-01 the VWAP of Friday 2023-03-31 (sample_vwaps.csv: 0.3111)
    assert checks.vwap_on_or_before(state, dt.date(2023, 4, 1), "a default") == 0.3111
