"""Real deals of the family shipped as terms files (ascent_xl/data/deals/): each loads, and its
own clause gives the numbers by hand. The VWAPs are illustrative (the deals' market data is not
shipped); the figures the filings state are checked where the clause gives them."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import parse_events
from ascent_xl.interest import accrued_interest
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from ascent_xl.pricing import conversion_shares, quote_conversion
from ascent_xl.terms_io import load_terms, shipped_deals
from tests.helpers.markets import market_before, sessions_before


def _deal(name):
    return load_terms(shipped_deals()[name])


def test_the_shipped_deals():
    assert sorted(shipped_deals()) == ["bbby_2023_series_a", "canoo_2024_06_prepaid_advance",
                                       "canoo_2024_07_prepaid_advance"]
    # a shipped deal by its name where a path is asked
    assert load_terms("bbby_2023_series_a").issuer == "Bed Bath & Beyond Inc. (Nasdaq: BBBY)"


# -- Bed Bath & Beyond, Series A convertible preferred, February 2023 -------------------------

def test_bbby_the_term_sheets_share_count():
    t = _deal("bbby_2023_series_a")
    face = t.note("SeriesA").face
    assert face == 23_685 * 10_000 == 236_850_000
    # "initially convertible into 99,822,986 shares ... at an alternate conversion price of
    # $2.3727": 236,850,000 / 2.3727 = 99,822,986.47 -> 99,822,986 rounded down
    assert conversion_shares(face, 2.3727, rounding=t.conversion.share_rounding) == 99_822_986
    # at the fixed $6.15: 236,850,000 / 6.15 = 38,512,195.12 -> 38,512,195
    assert conversion_shares(face, t.conversion.fixed_price, rounding=t.conversion.share_rounding) == 38_512_195


def _bbby_market(nine_before, notice_day_vwap):
    # the nine trading days before the notice 2023-03-01 and the notice day itself
    return market_before("2023-03-01", nine_before, include_day=notice_day_vwap)


@pytest.mark.parametrize("vwaps, day, price, shares", [
    # lowest of the ten including the notice day is the notice day's 2.60: 92% = 2.392;
    # 236,850,000 / 2.392 = 99,017,558.5 -> 99,017,558
    ([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60, 2.392, 99_017_558),
    # all at 7.00: 92% = 6.44 is above the fixed $6.15: 236,850,000 / 6.15 -> 38,512,195
    ([7.00] * 9, 7.00, 6.15, 38_512_195),
    # lowest 0.70: 92% = 0.644, below $0.7160: the greater of 0.7160 and 0.644 is 0.7160 (no
    # cash); 236,850,000 / 0.716 = 330,796,089.4 -> 330,796,089
    ([0.90, 0.85, 0.80, 0.75, 0.72, 0.71, 0.70, 0.74, 0.78], 0.76, 0.716, 330_796_089),
])
def test_bbby_the_alternate_conversion_price(vwaps, day, price, shares):
    t = _deal("bbby_2023_series_a")
    q = quote_conversion(t, _bbby_market(vwaps, day), notice_date="2023-03-01", amount=236_850_000)
    assert q.conversion_price == pytest.approx(price, abs=1e-12)
    assert q.shares == shares and q.floor_payment == 0.0


def test_bbby_the_window_ends_on_the_notice_day():
    t = _deal("bbby_2023_series_a")
    # the notice day's own VWAP is the lowest: without it the lowest of the nine before would
    # be 2.65 (92% = 2.438); with it 2.60 (92% = 2.392)
    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    assert quote_conversion(t, m, notice_date="2023-03-01", amount=10_000).alternate_price == pytest.approx(2.392, abs=1e-12)


def _bbby_ledger_deal():
    # the file leaves shares_outstanding 0 (not in the sources read); 2,000,000,000 here is
    # illustrative, large enough that the preset's 4.99% ownership cap does not bind
    return _deal("bbby_2023_series_a").with_term("shares_outstanding", 2_000_000_000)


def _bbby_events(*rows):
    return parse_events([["2023-02-07", "Issue", "SeriesA", None, "registered"], *rows])


def test_bbby_the_ledger_converts_the_preferred_with_no_interest_or_maturity_rows():
    from ascent_xl.ledger import deal_state

    t = _bbby_ledger_deal()
    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    events = _bbby_events(["2023-03-01", "Conversion", "SeriesA", 20_000_000, None])
    s = run_ledger(t, events, m)
    # no coupon and no maturity: the issue and the conversion are the only rows
    assert [r["Event"] for r in s.rows] == ["Issue", "Conversion"]
    assert s.rows[0]["Detail"] == ("registered preferred issued: 23,685 shares of $10,000.00 stated value, "
                                   "$236,850,000.00 for $236,850,000.00 (100%); no maturity: outstanding until "
                                   "converted or redeemed")
    row = s.rows[1]
    # 2,000 preferred shares x $10,000 stated value = $20,000,000; the lowest of the ten VWAPs
    # ending on the notice day is 2.60: 92% = 2.392 (above $0.7160, below $6.15);
    # 20,000,000 / 2.392 = 8,361,204.01 -> 8,361,204 rounded down; no cash under floor_mode cap
    assert row["Conversion Price"] == pytest.approx(2.392, abs=1e-12)
    assert (row["Principal Converted"], row["Shares Issued"], row["Floor Payment"]) == (20_000_000, 8_361_204, 0.0)
    assert row["Principal After"] == 236_850_000 - 20_000_000 == 216_850_000
    assert "2,000 preferred shares of $10,000.00 stated value" in row["Detail"]
    # the position: outstanding (21,685 preferred shares' stated value), no maturity, no interest
    p = deal_state(t, m, events, as_of=dt.date(2023, 3, 1)).note("SeriesA")
    assert (p.status, p.maturity, p.outstanding_principal) == ("outstanding", None, 216_850_000)
    assert (p.accrued_interest, p.next_interest_date, p.interest_due_next) == (0.0, None, None)


def test_bbby_the_preferred_stays_outstanding_until_converted():
    from ascent_xl.ledger import deal_state

    t = _bbby_ledger_deal()
    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    events = _bbby_events(["2023-03-01", "Conversion", "SeriesA", 20_000_000, None],
                          ["2023-03-01", "Conversion", "SeriesA", None, None])
    s = run_ledger(t, events, m)
    rows = [r for r in s.rows if r["Event"] == "Conversion"]
    # the rest, 21,685 shares = $216,850,000 at 2.392: 90,656,354.5 -> 90,656,354; with the first
    # 8,361,204 that is 99,017,558, the whole 236,850,000 / 2.392 = 99,017,558.5 rounded down
    assert (rows[1]["Principal Converted"], rows[1]["Shares Issued"]) == (216_850_000, 90_656_354)
    assert rows[0]["Shares Issued"] + rows[1]["Shares Issued"] == 99_017_558
    p = deal_state(t, m, events, as_of=dt.date(2023, 3, 1)).note("SeriesA")
    assert (p.status, p.outstanding_principal) == ("converted", 0.0)
    assert not [r for r in s.rows if r["Event"] in ("Interest", "Maturity")]


def test_bbby_a_conversion_converts_whole_preferred_shares():
    from ascent_xl.errors import LedgerError

    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    events = _bbby_events(["2023-03-01", "Conversion", "SeriesA", 20_005_000, None])
    with pytest.raises(LedgerError, match=r"converts \$20,005,000.00: not a whole number of SeriesA preferred "
                       r"shares of \$10,000.00 stated value \(notes.SeriesA.stated_value\); write a multiple "
                       r"of \$10,000.00 \(2,000 shares is \$20,000,000.00\)"):
        run_ledger(_bbby_ledger_deal(), events, m)


def test_bbby_under_the_ownership_cap_whole_preferred_shares_convert():
    """The 4.99% cap cuts a conversion of the preferred to the largest whole number of its
    shares the cap allows (before, a fraction of a preferred share converted); a quote on the
    deal's state refuses a part of a share as the ledger does, and cuts as it does."""
    from ascent_xl.errors import LedgerError
    from ascent_xl.ledger.position import conversion_quote

    t = _deal("bbby_2023_series_a").with_term("shares_outstanding", 40_000_000)
    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    events = _bbby_events(["2023-03-01", "Conversion", "SeriesA", None, None])
    (row,) = [r for r in run_ledger(t, events, m).rows if r["Event"] == "Conversion"]
    # the holder has no shares: at most 0.0499 x 40,000,000 / 0.9501 = 2,100,831.5 -> 2,100,831
    # new shares, $5,025,187.75 at 2.392 (the cap's amount), 502.5 preferred shares: 502 convert,
    # $5,020,000 / 2.392 = 2,098,662.2 -> 2,098,662 (rounded down)
    assert (row["Principal Converted"], row["Shares Issued"]) == (5_020_000, 2_098_662)
    assert "502 preferred shares of $10,000.00 stated value" in row["Detail"]
    q, _ = conversion_quote(t, m, _bbby_events(), notice_date="2023-03-01", note="SeriesA")
    assert (q.capped, q.principal_converted, q.shares) == (True, 5_020_000, 2_098_662)
    with pytest.raises(LedgerError, match=r"^amount: converts \$105,000.00: not a whole number of SeriesA preferred "
                                          r"shares of \$10,000.00 stated value"):
        conversion_quote(t, m, _bbby_events(), notice_date="2023-03-01", amount=105_000)


def test_bbby_a_blank_amount_converts_all_that_is_outstanding_even_a_part_of_a_share():
    """The whole-share rule is for an amount written: a blank amount converts all the principal
    outstanding, also when a prepayment of $5,000 left half a preferred share (23,684.5 of
    them), in the ledger and in a quote on the state."""
    from ascent_xl.ledger.position import conversion_quote

    t = _bbby_ledger_deal()
    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    prepaid = ["2023-02-28", "Prepayment", "SeriesA", 5_000, None]
    (row,) = [r for r in run_ledger(t, _bbby_events(prepaid, ["2023-03-01", "Conversion", "SeriesA", None, None]),
                                    m).rows if r["Event"] == "Conversion"]
    # 236,845,000 / 2.392 = 99,015,468.2 -> 99,015,468 (rounded down)
    assert (row["Principal Converted"], row["Shares Issued"]) == (236_845_000, 99_015_468)
    assert "23,684.5000 preferred shares" in row["Detail"]
    q, _ = conversion_quote(t, m, _bbby_events(prepaid), notice_date="2023-03-01", note="SeriesA")
    assert (q.principal_converted, q.shares) == (236_845_000, 99_015_468)


def test_bbby_under_the_exchange_cap_whole_preferred_shares_convert():
    """An unapproved exchange cap (1% here, so that it binds before the 4.99% ownership cap)
    under ``refuse`` cuts a conversion of the preferred to whole preferred shares too."""
    t = (_deal("bbby_2023_series_a").with_term("shares_outstanding", 40_000_000)
         .with_term("covenants.exchange_cap", 0.01).with_term("covenants.exchange_cap_approved", False)
         .with_term("covenants.exchange_cap_excess", "refuse"))
    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    (row,) = [r for r in run_ledger(t, _bbby_events(["2023-03-01", "Conversion", "SeriesA", 20_000_000, None]), m).rows
              if r["Event"] == "Conversion"]
    # room 1% x 40,000,000 = 400,000 shares, $956,800 at 2.392: 95.68 preferred shares, 95
    # convert: $950,000 / 2.392 = 397,157.2 -> 397,157 shares (rounded down)
    assert (row["Principal Converted"], row["Shares Issued"]) == (950_000, 397_157)
    assert "95 preferred shares of $10,000.00 stated value" in row["Detail"]


def test_bbby_no_maturity_is_refused_by_the_monte_carlo():
    from ascent_xl.errors import TermsError
    from ascent_xl.valuation.start import deal_start

    m = _bbby_market([3.10, 3.00, 2.95, 2.90, 2.85, 2.80, 2.75, 2.70, 2.65], 2.60)
    with pytest.raises(TermsError, match=r"^notes.maturity_months: the Monte Carlo valuation does not model an "
                       r"instrument without maturity"):
        deal_start(_bbby_ledger_deal(), _bbby_events(), m, as_of=dt.date(2023, 3, 1))


# -- Canoo, prepaid advance of July 2024 ------------------------------------------------------

def _canoo_july_market():
    # 2024-09-10 .. 09-16 are the five trading days before the notice of 2024-09-17
    days = sessions_before("2024-09-18", 30)
    values = [2.00] * 24 + [1.50, 1.40, 1.45, 1.38, 1.42] + [1.35]
    return MarketData.from_lists(days, values)


def test_canoo_july_the_purchase_price_before_and_from_the_60th_day():
    t = _deal("canoo_2024_07_prepaid_advance")
    m = _canoo_july_market()
    # 2024-07-19 + 60 days = 2024-09-17. On 09-16 (day 59) the Purchase Price is $2.70:
    # 1,000,000 / 2.70 = 370,370.4 -> 370,371 (rounded up as the base preset)
    q = quote_conversion(t, m, notice_date="2024-09-16", amount=1_000_000)
    assert (q.conversion_price, q.shares) == (2.70, 370_371)
    # from 09-17: the lower of 2.70 and 95% of the lowest of the five VWAPs before the notice
    # (09-10 .. 09-16: 1.50 1.40 1.45 1.38 1.42): 0.95 x 1.38 = 1.311;
    # 1,000,000 / 1.311 = 762,776.5 -> 762,777
    q = quote_conversion(t, m, notice_date="2024-09-17", amount=1_000_000)
    assert q.conversion_price == pytest.approx(1.311, abs=1e-12) and q.shares == 762_777


def test_canoo_july_the_floor_price_stops_the_price_without_cash():
    t = _deal("canoo_2024_07_prepaid_advance")
    m = market_before("2024-09-17", [0.95, 0.92, 0.90, 0.93, 0.94], include_day=0.91)
    # 95% of the lowest 0.90 = 0.855, below the $1.00 Floor Price: $1.00, no cash
    q = quote_conversion(t, m, notice_date="2024-09-17", amount=1_000_000)
    assert (q.conversion_price, q.floor_binds, q.floor_payment, q.shares) == (1.0, True, 0.0, 1_000_000)


# -- Canoo, pre-paid advance of June 2024 -----------------------------------------------------

def _canoo_june_market(low_caps=("", ""), after_day_120=1.00):
    # $1,000,000 of dollar volume every day and a $150,000,000 market cap, $50,000,000 on the
    # days of low_caps (first, last): the equity conditions (20 days, 15 of them at $75,000,000
    # or more) that gate the resets
    days = [d for d in sessions_before("2024-12-02", 130) if d >= "2024-06-03"]
    values = []
    for d in days:
        if d < "2024-07-29":
            values.append(2.00)
        elif d <= "2024-08-09":  # the ten trading days before day 60 (2024-08-12)
            values.append(1.80 - 0.05 * len([x for x in days if "2024-07-29" <= x < d]))
        else:
            values.append(1.00 if d <= "2024-10-11" else after_day_120)
    caps = [50e6 if low_caps[0] <= d <= low_caps[1] else 150e6 for d in days]
    return MarketData.from_lists(days, values, dollar_volumes=[1e6] * len(days), market_caps=caps)


def test_canoo_june_the_resets_on_days_60_and_120():
    t = _deal("canoo_2024_06_prepaid_advance")
    m = _canoo_june_market()
    rows = [["2024-08-09", "Conversion", "Advance", 1_000_000, None],
            ["2024-08-13", "Conversion", "Advance", 1_000_000, None]]
    terms = t.with_term("ownership_cap_max", 0.5).with_term("conversion.ownership_cap", 0.49)
    s = run_ledger(terms, parse_events(rows), m)
    resets = [r for r in s.rows if r["Event"] == "Price Reset"]
    # 2024-06-13 + 60 = 2024-08-12, + 120 = 2024-10-11
    assert [r["Date"] for r in resets] == [dt.date(2024, 8, 12), dt.date(2024, 10, 11)]
    # day 60: the ten VWAPs 07-29 .. 08-09 run 1.80, 1.75, ..., 1.35: average (1.80 + 1.35) / 2
    # = 1.575; "repriced to" 100% of it. Day 120: ten VWAPs of 1.00: 1.00
    assert resets[0]["Fixed Price"] == pytest.approx(1.575, abs=1e-12)
    assert resets[1]["Fixed Price"] == pytest.approx(1.00, abs=1e-12)
    before, after = [r for r in s.rows if r["Event"] == "Conversion"]
    # before the reset at $2.30: 1,000,000 / 2.30 = 434,782.6 -> 434,783; after at 1.575:
    # 1,000,000 / 1.575 = 634,920.6 -> 634,921
    assert (before["Conversion Price"], before["Shares Issued"]) == (2.30, 434_783)
    assert after["Conversion Price"] == pytest.approx(1.575, abs=1e-12) and after["Shares Issued"] == 634_921
    # the equity conditions hold on both days (20 days of $1,000,000 >= $250,000; the cap at
    # $150,000,000 on 20 of 20): no flag
    assert [r["Flags"] for r in resets] == [None, None]


def _june_resets(terms, market):
    s = run_ledger(terms, parse_events([]), market)
    return [r for r in s.rows if r["Event"] == "Price Reset"]


def test_canoo_june_a_reset_skipped_when_the_equity_conditions_fail():
    t = _deal("canoo_2024_06_prepaid_advance")
    assert t.conversion.price_reset_conditions == "skip"
    # market cap $50,000,000 from 09-23: of the 20 sessions before day 120 (09-13 .. 10-10)
    # only 09-13, 16, 17, 18, 19, 20 (6) are at $75,000,000 or more; 15 are needed
    first, second = _june_resets(t, _canoo_june_market(low_caps=("2024-09-23", "2024-12-31")))
    assert first["Fixed Price"] == pytest.approx(1.575, abs=1e-12) and first["Flags"] is None
    # day 120 skipped: the price stays the day-60 1.575 (not the 1.00 average), flagged
    assert second["Date"] == dt.date(2024, 10, 11)
    assert second["Fixed Price"] == pytest.approx(1.575, abs=1e-12)
    assert second["Detail"] == "reset 2 skipped: the equity conditions do not hold; fixed price stays $1.57500"
    assert second["Flags"] == ("equity: equity conditions not met for price reset 2: market cap at the "
                               "minimum on only 6 days; reset: reset 2 skipped")
    # with no conditions ("none", the Ascent deal's) the same market resets to 1.00
    plain = _june_resets(t.with_term("price_reset_conditions", "none"),
                         _canoo_june_market(low_caps=("2024-09-23", "2024-12-31")))
    assert plain[1]["Fixed Price"] == pytest.approx(1.00, abs=1e-12)


def test_canoo_june_a_reset_deferred_to_the_day_the_equity_conditions_hold():
    t = _deal("canoo_2024_06_prepaid_advance").with_term("price_reset_conditions", "defer")
    # the cap at $50,000,000 on 09-23 .. 10-04 (10 sessions) only; VWAPs 0.90 after 10-11
    m = _canoo_june_market(low_caps=("2024-09-23", "2024-10-04"), after_day_120=0.90)
    first, deferred, done = _june_resets(t, m)
    # 10-11: the 20 sessions before (09-13 .. 10-10) hold the 10 low days: 10 of 20 at the
    # minimum, deferred (fixed price stays 1.575)
    assert (deferred["Date"], deferred["Fixed Price"]) == (dt.date(2024, 10, 11), pytest.approx(1.575, abs=1e-12))
    assert deferred["Detail"].startswith("reset 2 deferred: the equity conditions do not hold; tried each "
                                         "trading day before 2025-06-13")
    # the first session whose 20 before hold at most 5 low days: 10-28 (09-30 .. 10-25: the low
    # 09-30, 10-01 .. 10-04 are 5; 15 at the minimum). 10-25's (09-27 .. 10-24) hold 6: 14.
    # The reset then averages the ten VWAPs before 10-28 (10-14 .. 10-25), all 0.90: 0.90
    assert done["Date"] == dt.date(2024, 10, 28)
    assert done["Fixed Price"] == pytest.approx(0.90, abs=1e-12) and done["Flags"] is None
    assert done["Detail"].startswith("reset 2 (deferred from 2024-10-11): 100% of the 10-day average $0.90000")


def test_canoo_june_the_exchange_cap():
    t = _deal("canoo_2024_06_prepaid_advance")
    # 19.99% of 68,633,567 = 13,719,850.04 -> 13,719,850 shares (the count registered)
    terms = t.with_term("ownership_cap_max", 0.5).with_term("conversion.ownership_cap", 0.49)
    s = run_ledger(terms, parse_events([["2024-10-14", "Conversion", "Advance", 15_000_000, None]]),
                   _canoo_june_market())
    r = next(r for r in s.rows if r["Event"] == "Conversion")
    # at the day-120 reset price 1.00: 15,000,000 shares wanted; 13,719,850 issued for
    # $13,719,850.00; $1,280,150.00 stays outstanding, flagged
    assert (r["Shares Issued"], r["Principal Converted"]) == (13_719_850, 13_719_850.00)
    assert r["Principal After"] == 1_280_150.00
    assert r["Flags"].startswith("exchange cap: exchange cap 19.99% of 68,633,567 shares")


def test_canoo_june_interest_and_the_default_rate():
    from ascent_xl.ledger import deal_state

    t = _deal("canoo_2024_06_prepaid_advance")
    assert t.note("Advance").interest_counts_issue_day and t.note("Advance").interest_months == ()
    # the supplemental agreement of 2024-08-28: "$15,000,000 in principal amount and $158,219.18
    # of accrued and unpaid interest". 06-13 .. 08-28 both counted: June 13..30 is 18 days, July
    # 31, August 1..28 28: 77 days; 15,000,000 x 5% = 750,000 a year; 750,000 x 77 / 365 =
    # 158,219.178 -> 158,219.18 (the 76 days between would be 156,164.38)
    p = deal_state(t, _canoo_june_market(), parse_events([]), as_of=dt.date(2024, 8, 28))
    assert next(n for n in p.notes if n.note == "Advance").accrued_interest == 158_219.18
    # the day count alone: from the day before issue, 06-12 .. 08-28 is 77 days
    assert accrued_interest(15_000_000, t.note("Advance").accrual_start, dt.date(2024, 8, 28), rate=0.05,
                            basis="ACT/365") == pytest.approx(158_219.18, abs=0.005)
    # 15% from a default on 2024-08-01: 06-13 .. 08-01 both counted is 18 + 31 + 1 = 50 days at
    # 5%: 750,000 x 50 / 365 = 102,739.73; then 08-01 .. 09-30, 60 days at 15%: 2,250,000 x 60
    # / 365 = 369,863.01; accrued on 09-30 (nothing paid before maturity) 472,602.74
    events = parse_events([["2024-08-01", "Default", "Advance", None, None]])
    p = deal_state(t, _canoo_june_market(), events, as_of=dt.date(2024, 9, 30))
    assert next(n for n in p.notes if n.note == "Advance").accrued_interest == round(
        102_739.73 + 369_863.01, 2) == 472_602.74
