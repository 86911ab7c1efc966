"""Ledger rows and the per-note summary where money changes hands, each figure worked out by hand
in the test: a conversion soon after a split (VWAPs before the split restated), a prepayment with
no premium given (at par), and a default redemption (the note's summary after it)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from tests.helpers.markets import market_before, sessions_before


def rows_of(schedule, event, note=None):
    return [r for r in schedule.rows if r["Event"] == event and (note is None or r["Note"] == note)]


@pytest.fixture
def split_market():
    """VWAPs as traded around a 1-for-200 reverse split effective 2023-09-12 (Labor Day, 09-04,
    is closed)."""
    return MarketData.from_lists(
        ["2023-08-31", "2023-09-01", "2023-09-05", "2023-09-06", "2023-09-07", "2023-09-08",
         "2023-09-11", "2023-09-12", "2023-09-13", "2023-09-14", "2023-09-15"],
        [0.0600, 0.0580, 0.0620, 0.0570, 0.0610, 0.0590, 0.0560, 11.5, 11.3, 11.7, 11.6],
    )


def test_a_conversion_three_sessions_after_a_split_prices_on_restated_vwaps(terms, split_market):
    s = run_ledger(terms, parse_events([
        ["2023-09-12", "Split", None, None, "1:200"],
        ["2023-09-13", "Amendment", None, None, "floor_price = 5"],
        ["2023-09-15", "Conversion", "Registered", 50_000, None],
    ]), split_market)
    conv = rows_of(s, "Conversion")[0]
    # The ten sessions before 09-15: 08-31 .. 09-11 (seven, before the split: x 200 gives 12.0,
    # 11.6, 12.4, 11.4, 12.2, 11.8, 11.2) and 09-12, 09-13, 09-14 (11.5, 11.3, 11.7).
    # Three lowest: 11.2, 11.3, 11.4 -> 11.3; alternate 0.925 x 11.3 = 10.4525. The fixed price
    # 3.93042 x 200 = 786.084 and the amended floor 5 do not bind.
    assert conv["Conversion Price"] == pytest.approx(10.4525, abs=1e-9)
    assert conv["Fixed Price"] == pytest.approx(786.084, abs=1e-9)
    # 50,000 / 10.4525 = 4,783.54 -> 4,784 shares (rounded up; the 4.99% cap allows 8,910 of
    # 169,654 outstanding); no floor payment.
    assert conv["Shares Issued"] == 4_784
    assert conv["Floor Payment"] == 0.0 and conv["Cash Paid"] is None
    # 33,930,812 x 1/200 = 169,654.06 -> 169,654, plus the 4,784 new shares.
    assert conv["Shares Outstanding"] == 169_654 + 4_784
    assert conv["Principal After"] == 12_450_000


def test_a_prepayment_with_no_value_is_at_par(terms):
    s = run_ledger(terms, parse_events([["2023-02-01", "Prepayment", "Registered", 100_000, None]]))
    r = rows_of(s, "Prepayment")[0]
    # Interest from 2022-12-31 to 2023-02-01 under 30/360: 31 days on 12,500,000 at 4.5% =
    # 48,437.50; the prepaid 100,000 (0.8% of the principal) takes 0.8% of it: 387.50.
    assert r["Principal Repaid"] == 100_000
    assert r["Interest Paid Cash"] == 387.50
    assert r["Premium Paid"] is None
    assert r["Cash Paid"] == 100_387.50  # par: 100% of 100,000 + 387.50
    assert r["Principal After"] == 12_400_000


def test_the_notes_summary_after_a_default_redemption(terms):
    # Ten VWAPs before 2023-03-10; the three lowest are 0.47, 0.48, 0.49 -> 0.48, alternate
    # 0.925 x 0.48 = 0.444 (above the 0.29 floor, below the fixed 3.93042). VWAP on the day 0.50.
    market = market_before("2023-03-10", [0.50, 0.52, 0.48, 0.51, 0.49, 0.53, 0.50, 0.47, 0.52, 0.50],
                           include_day=0.50)
    s = run_ledger(terms, parse_events([["2023-03-10", "Default", "Private", None, "redeem"]]), market)
    r = rows_of(s, "Default", "Private")[0]
    # Parity 2,500,000 / 0.444 x 0.50 = 2,815,315.32 is below 120% x 2,500,000 = 3,000,000, so
    # the amount is 3,000,000 + accrued interest. Interest from 2022-12-31 to 2023-03-10 under
    # 30/360: 70 days on 2,500,000 at 4.5% = 21,875.00.
    assert r["Conversion Price"] == pytest.approx(0.444, abs=1e-12)
    assert r["Default Amount"] == 3_021_875.00 == r["Cash Paid"]
    assert r["Principal Repaid"] == 2_500_000
    assert r["Interest Paid Cash"] == 21_875.00
    assert r["Premium Paid"] == 500_000.00
    private = s.summary().set_index("Note").loc["Private"]
    # The 2022-12-31 interest: 12 days (12-19 -> 12-31 under 30/360) on 2,500,000 at 4.5% = 3,750.
    assert private["Interest Paid Cash"] == 3_750.00 + 21_875.00
    assert private["Premiums Paid"] == 500_000.00
    assert private["Default Amounts"] == 3_021_875.00
    assert private["Principal Repaid"] == 2_500_000
    assert private["Principal Outstanding"] == 0 and private["Accrued Interest"] == 0
    assert not rows_of(s, "Maturity", "Private") and not rows_of(s, "Interest", "Private")[1:]


def test_deal_totals_of_the_contractual_schedule(terms):
    t = run_ledger(terms, []).totals()
    # interest in cash: Registered 18,750 + 5 x 140,625 + 123,437.50 = 845,312.50; the Private
    # note a fifth of it, 169,062.50; principal 15,000,000 repaid at maturity
    assert t["Interest Paid Cash"] == 845_312.50 + 169_062.50
    assert t["Principal Issued"] == t["Principal Repaid"] == 15_000_000
    assert t["Principal Outstanding"] == 0 and t["Premiums Paid"] == 0 and t["Default Amounts"] == 0
    assert t["Cash Paid"] == 15_000_000 + 1_014_375.00
    assert t["Cash Received"] == 13_500_000  # 90% of 12,500,000 and of 2,500,000
    assert t["Shares Outstanding"] == 33_930_812 and t["Holder Ownership"] == 0


def test_warrant_exercises_for_cash_and_cashless(terms):
    market = market_before("2023-01-09", [4.0] * 10, include_day=5.0)
    s = run_ledger(terms, parse_events([
        ["2023-01-05", "Warrant Exercise", None, 100_000, "cash"],
        ["2023-01-09", "Warrant Exercise", None, 200_000, "cashless"],
    ]), market)
    cash, cashless = rows_of(s, "Warrant Exercise")
    # 100,000 shares at the 3.93 exercise price: 393,000 received
    assert (cash["Shares Issued"], cash["Cash Received"]) == (100_000, 393_000)
    assert cash["Shares Outstanding"] == 33_930_812 + 100_000 and cash["Holder Shares"] == 100_000
    assert cash["Holder Ownership"] == pytest.approx(100_000 / 34_030_812, abs=1e-15)
    # cashless at the day's VWAP A = 5.00: (5.00 - 3.93) x 200,000 / 5.00 = 42,800 shares, no cash
    assert (cashless["Shares Issued"], cashless["Cash Received"]) == (42_800, None)
    assert cashless["Shares Outstanding"] == 33_930_812 + 142_800 and cashless["Holder Shares"] == 142_800
    assert s.state.warrant_shares == 2_513_406 - 300_000  # both exercises use up warrant shares
    assert cash["Flags"] is None and cashless["Flags"] is None


def test_a_warrant_exercise_above_the_cap_is_flagged(terms):
    s = run_ledger(terms, parse_events([["2023-01-05", "Warrant Exercise", None, 2_000_000, "cash"]]))
    r = rows_of(s, "Warrant Exercise")[0]
    # the cap applies to exercises too: the holder of no shares may take floor(0.0499 x 33,930,812
    # / 0.9501) = floor(1,782,072.96) = 1,782,072 shares; 1,782,072 x $3.93 = $7,003,542.96
    assert r["Shares Issued"] == 1_782_072 and r["Cash Received"] == 7_003_542.96
    assert r["Flags"] == ("warrant-cap: Investor capped at 4.99%: 1,782,072 of 2,000,000 warrant shares "
                          "exercised; 217,928 stay as warrants")


DEFAULT_MARKET = [0.50, 0.52, 0.48, 0.51, 0.49, 0.53, 0.50, 0.47, 0.52, 0.50]  # alternate 0.444


def _default_row(terms, market, value="redeem"):
    s = run_ledger(terms, parse_events([["2023-03-10", "Default", "Private", None, value]]), market)
    return s, rows_of(s, "Default", "Private")[-1]


def test_the_default_rows_columns(terms):
    s, r = _default_row(terms, market_before("2023-03-10", DEFAULT_MARKET, include_day=0.50))
    assert r["Principal Before"] == 2_500_000 and r["Principal After"] == 0
    assert r["Interest Accrued"] == 21_875.00  # 70 days since the 2022-12-31 interest date
    assert (r["Fixed Price"], r["Floor Price"]) == (3.93042, 0.29)  # the note's prices
    # the as-of state the day after: the note is closed, and no event can name it
    assert run_ledger(terms, parse_events([["2023-03-10", "Default", "Private", None, "redeem"]]),
                      market_before("2023-03-10", DEFAULT_MARKET, include_day=0.50),
                      until=dt.date(2023, 3, 11)).notes["Private"].closed
    with pytest.raises(LedgerError, match="note Private was repaid or redeemed in full"):
        run_ledger(terms, parse_events([["2023-03-10", "Default", "Private", None, "redeem"],
                                        ["2023-03-15", "Interest Election", "Private", None, "pik"]]),
                   market_before("2023-03-10", DEFAULT_MARKET, include_day=0.50))


def test_the_default_amount_with_the_premium_on_interest(terms):
    t = terms.with_term("default.premium_on_interest", "true")
    _, r = _default_row(t, market_before("2023-03-10", DEFAULT_MARKET, include_day=0.50))
    # max(parity 2,815,315.32, 120% x (2,500,000 + 21,875) = 3,026,250) + 21,875 of interest
    assert r["Default Amount"] == 3_048_125.00
    assert r["Premium Paid"] == 3_048_125.00 - 2_500_000 - 21_875


def test_the_default_amount_with_interest_in_parity(terms):
    # ten VWAPs of 0.30: alternate 0.2775, below the 0.29 floor; VWAP on the day 0.50
    market = market_before("2023-03-10", [0.30] * 10, include_day=0.50)
    _, r = _default_row(terms, market)
    # parity on principal: 2,500,000 / 0.29 x 0.50 = 4,310,344.83, plus 21,875 of interest
    assert (r["Conversion Price"], r["Default Amount"]) == (0.29, 4_332_219.83)
    _, r = _default_row(terms.with_term("default.parity_includes_interest", "true"), market)
    # parity on principal and interest: 2,521,875 / 0.29 x 0.50 = 4,348,060.34 (interest inside)
    assert r["Default Amount"] == 4_348_060.34


def test_a_payment_date_without_vwaps_is_refused_naming_it(terms):
    short = market_before("2023-03-10", DEFAULT_MARKET, include_day=0.50)  # ends on the demand date
    with pytest.raises(LedgerError, match="payment date 2023-03-20 is outside the data"):
        _default_row(terms, short, "redeem 2023-03-20")
    days = sessions_before("2023-03-21", 20)[:-1]  # the window before 03-20, but not 03-20 itself
    with pytest.raises(LedgerError, match=r"payment date 2023-03-20 is outside the data \(2023-02-21 to 2023-03-17\)"):
        _default_row(terms, MarketData.from_lists(days, [0.5] * len(days)), "redeem 2023-03-20")


def test_the_summary_names_each_note_and_the_total(terms):
    summary = run_ledger(terms, []).summary()
    first, total = summary.iloc[0], summary.iloc[-1]
    assert list(summary.columns)[:4] == ["Note", "Kind", "Issue Date", "Maturity"]
    assert (first["Note"], first["Kind"], str(first["Issue Date"]), str(first["Maturity"])) == (
        "Registered", "registered", "2022-12-19", "2024-06-19")  # 18 months after issue
    assert total["Note"] == "Total" and bool(total["Conserved"]) is True
    assert total["Principal Issued"] == 15_000_000


def test_prepayment_premiums_outside_one_to_ten_are_refused(terms):
    for value in ("10", "10.5", "0.99"):
        with pytest.raises(LedgerError, match="premium is a multiple of principal of at least 1.00"):
            run_ledger(terms, parse_events([["2023-02-01", "Prepayment", "Registered", 100_000, value]]))
    r = rows_of(run_ledger(terms, parse_events([["2023-02-01", "Prepayment", "Registered", 100_000, "9.99"]])),
                "Prepayment")[0]
    assert r["Cash Paid"] == 999_000 + 387.50  # 999% of 100,000 plus its 387.50 of interest
    assert r["Detail"] == "prepaid in cash at 999% of principal plus accrued interest"


def test_a_split_without_a_ratio_is_refused(terms):
    with pytest.raises(LedgerError, match=r"^row 1 \(2023-09-12, Split\): Value missing: give the split as new:old, e.g. 1:200"):
        run_ledger(terms, parse_events([["2023-09-12", "Split", None, None, None]]))


def test_a_split_restates_the_reserve_the_reference_price_and_a_reset_price(terms, split_market):
    days = sessions_before("2023-08-31", 10)
    market = MarketData.from_lists(days + [str(d) for d in split_market.dates],
                                   [0.06] * 10 + list(split_market.vwap))
    s = run_ledger(terms, parse_events([
        ["2023-08-30", "Share Reserve", None, None, "3000000"],
        ["2023-08-31", "Default", "Private", None, "reset"],
        ["2023-08-31", "Conversion", "Registered", 1_000, None],
        ["2023-09-12", "Split", None, None, "1:200"],
    ]), market)
    st = s.state
    assert st.reserve == 15_000  # 3,000,000 / 200
    # ten VWAPs of 0.06 before 08-31: reset 80% x 0.06 = 0.048 and alternate 92.5% x 0.06 =
    # 0.0555, both below the floor 0.29: the conversion is at 0.29, x 200 = 58 after the split
    assert st.reference_price == pytest.approx(0.29 * 200, abs=1e-9)
    assert st.notes["Private"].reset_price == pytest.approx(0.048 * 200, abs=1e-9)
