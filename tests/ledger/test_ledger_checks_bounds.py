"""The ledger's covenant and price checks at their bounds, as the mutation run of
``ascent_xl/ledger/checks.py`` found them unchecked: a minimum met exactly, a reserve of exactly
what is required, a fixed price at the floor, a floor at its maximum (after two splits), the
deal's prices for new notes, no floor at all, and the refusal while the share count is unknown.
Every figure is worked out by hand in the test; each test names what its mutants change."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022


def _flags(terms, rows, sample):
    """(date, event, flags) of the rows the events gave (Source "row N")."""
    s = run_ledger(terms, parse_events(rows), sample)
    return [(r["Date"].isoformat(), r["Event"], r["Flags"]) for r in s.rows if str(r["Source"]).startswith("row")]


def test_cash_at_the_minimum_meets_it_and_a_cent_less_does_not(sample):
    # covenants.min_cash $3,000,000 (kills "cash <= minimum" flagged)
    got = _flags(ASTI_2022, [["2022-12-20", "Cash Balance", None, None, 3_000_000],
                             ["2022-12-21", "Cash Balance", None, None, 2_999_999.99]], sample)
    assert got == [("2022-12-20", "Cash Balance", None),
                   ("2022-12-21", "Cash Balance", "min-cash: cash $2,999,999.99 below the $3,000,000 minimum")]


def test_a_reserve_of_exactly_what_is_required_meets_it(sample):
    # a $0.30 floor: Registered 12,500,000 / 0.30 = 41,666,666.7 -> 41,666,667 shares, Private
    # 2,500,000 / 0.30 = 8,333,333.3 -> 8,333,334 (each rounded up), and 2,513,406 warrant
    # shares: 52,513,407 issuable, 3 x that = 157,540,221 to reserve (kills "reserve <= need")
    got = _flags(ASTI_2022.with_term("floor_price", 0.30),
                 [["2022-12-20", "Share Reserve", None, None, 157_540_221],
                  ["2022-12-21", "Share Reserve", None, None, 157_540_220]], sample)
    assert got == [("2022-12-20", "Share Reserve", None),
                   ("2022-12-21", "Share Reserve", "reserve: 157,540,220 shares reserved, 157,540,221 required "
                                                   "(3x issuable at the floor)")]


def test_the_deals_price_for_new_notes_is_checked_before_any_is_issued(sample):
    # an Amendment before the 2022-12-19 issue: the deal's price, for the notes to come (kills
    # the "new notes" label misspelt)
    got = _flags(ASTI_2022, [["2022-12-01", "Amendment", None, None, "conversion.fixed_price = 0.20"]], sample)
    assert got == [("2022-12-01", "Amendment", "below-floor: fixed price $0.20000 below the floor $0.29000 "
                                               "(new notes): conversions price at the floor")]


def test_a_fixed_price_at_the_floor_and_a_floor_at_its_maximum_are_not_flagged(sample):
    # fixed $0.29 = the floor: not below it (kills "fixed <= floor"); then the floor raised to
    # $0.57 = conversion.floor_price_max: not above it (kills the maximum's tolerance turned the
    # other way, "/ (1 + 1e-12)" and "* (1 - 1e-12)"), while the fixed $0.29 is below it
    got = _flags(ASTI_2022, [["2023-01-03", "Amendment", None, None, "conversion.fixed_price = 0.29"],
                             ["2023-01-04", "Amendment", None, None, "conversion.floor_price = 0.57"]], sample)
    assert got == [("2023-01-03", "Amendment", None),
                   ("2023-01-04", "Amendment", "below-floor: fixed price $0.29000 below the floor $0.57000 "
                                               "(Registered, Private): conversions price at the floor")]


@pytest.mark.parametrize(("floor", "flag"), [
    (150, None),
    (230, "floor-max: floor $230.00000 above the $228.00000 maximum (conversion.floor_price_max; Registered, Private)"),
])
def test_the_floors_maximum_is_restated_by_every_split(sample, floor, flag):
    # splits of 1:2 and 1:200: 0.5 x 0.005 = 0.0025 new shares per old, so the $0.57 maximum is
    # 0.57 / 0.0025 = $228 a share. A floor of $150 is within it; $230 is above (kills the
    # product of the ratios replaced by the last one, 0.57 / 0.005 = 114, divided instead of
    # multiplied, 0.57 x 400, and the maximum multiplied by the ratio, 0.57 x 0.0025)
    got = _flags(ASTI_2022, [["2023-01-03", "Split", None, None, "1:2"],
                             ["2023-09-12", "Split", None, None, "1:200"],
                             ["2023-10-02", "Amendment", None, None, f"conversion.floor_price = {floor}"]], sample)
    assert got[-1] == ("2023-10-02", "Amendment", flag)


def test_a_deal_without_a_floor_flags_no_price_below_it(sample):
    # floor_mode none (the reserve then at the fixed price): the $0.29 floor price is not a floor,
    # and Private's own $0.20 is not flagged below it (kills the "none" mode misspelt)
    terms = (ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", "none")
             .with_term("notes.Private.own_fixed_price", 0.20))
    s = run_ledger(terms, parse_events([]), sample)
    assert [(r["Note"], r["Flags"]) for r in s.rows if r["Event"] == "Issue"] == [("Registered", None), ("Private", None)]


def test_shares_are_refused_while_their_count_is_unknown_and_capped_once_it_is_known(sample):
    # terms with no share count: the conversion is refused with what to write (kills the
    # message's texts misspelt)
    with pytest.raises(LedgerError) as info:
        run_ledger(ASTI_2022.with_term("shares_outstanding", 0),
                   parse_events([["2023-01-10", "Conversion", "Registered", 100_000, None]]), sample)
    assert str(info.value) == (
        "row 1 (2023-01-10, Conversion): the shares outstanding are 0, so the ownership cap allows no share: "
        "write the deal's count before its first issue in the terms (shares_outstanding) or add a Shares "
        "Outstanding event before this one")
    # a warrant exercise the same, naming the warrants' cap (kills what _warrant_exercise names)
    with pytest.raises(LedgerError) as info:
        run_ledger(ASTI_2022.with_term("shares_outstanding", 0),
                   parse_events([["2023-01-05", "Warrant Exercise", None, 1_000, "cash"]]), sample)
    assert str(info.value) == (
        "row 1 (2023-01-05, Warrant Exercise): the shares outstanding are 0, so the warrants' ownership cap allows "
        "no share: write the deal's count before its first issue in the terms (shares_outstanding) or add a Shares "
        "Outstanding event before this one")
    # one share outstanding is a count (kills "> 1"): the 4.99% cap allows
    # floor(0.0499 x 1 / 0.9501) = floor(0.0525) = 0 shares, so nothing converts
    got = _flags(ASTI_2022.with_term("shares_outstanding", 1),
                 [["2023-01-10", "Conversion", "Registered", 100, None]], sample)
    assert got == [("2023-01-10", "Conversion", "cap: Investor capped at 4.99%: converted $0.00 of $100.00 "
                                                "requested; $100.00 stays as principal")]


def test_a_default_amount_by_parity_at_the_alternate_price_of_a_deal_without_a_floor():
    # kills _conversion_price's in_default dropped (the alternate price, here only in default,
    # would not apply: the fixed $3.93042) and its floor mode dropped (make_up: the $0.29 floor).
    # The 10 VWAPs before 2023-03-10, lowest three 0.20: alternate 92.5% x 0.20 = $0.185, no
    # floor (floor_mode none), so the price is $0.185; the VWAP that day $1.00. Parity:
    # 12,500,000 / 0.185 x 1.00 = 67,567,567.57 (67,567,567.5676), above the 120% premium,
    # 15,000,000; interest 12-31 -> 03-10, 70 days: 12,500,000 x 4.5% x 70 / 360 = 109,375.00;
    # the default amount 67,676,942.57, of which 55,067,567.57 over the principal
    from tests.helpers.markets import market_before

    market = market_before("2023-03-10", [0.30, 0.20, 0.25, 0.20, 0.35, 0.20, 0.40, 0.45, 0.50, 0.55], include_day=1.00)
    terms = (ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", "none")
             .with_term("alternate_price_applies", "in_default"))
    s = run_ledger(terms, parse_events([["2023-03-10", "Default", "Registered", None, "redeem 2023-03-10"]]), market)
    demand, payment = [r for r in s.rows if r["Event"] == "Default" and r["Note"] == "Registered"]
    assert demand["Conversion Price"] == pytest.approx(0.185, abs=1e-12)
    assert (payment["Interest Paid Cash"], payment["Premium Paid"], payment["Default Amount"]) == (
        109_375.0, 55_067_567.57, 67_676_942.57)


def test_the_company_cash_follows_the_rows_after_a_cash_balance(sample):
    # a Cash Balance of $5,000,000 on 2023-01-04; a cash exercise of 1,000,000 warrant shares at
    # $3.93 brings in 3,930,000.00 (kills the cash received subtracted); a conversion moves no
    # cash (kills a row with no cash paid taken as $1.00); the 03-31 coupons pay Registered
    # 12,500,000 x 4.5% x 10 / 360 = 15,625.00 to the 01-10 conversion plus 12,400,000 x 4.5% x
    # 80 / 360 = 124,000.00, so 139,625.00, and Private 28,125.00:
    # 5,000,000 + 3,930,000 - 139,625 - 28,125 = 8,762,250.00
    rows = [["2023-01-04", "Cash Balance", None, None, 5_000_000],
            ["2023-01-05", "Warrant Exercise", None, 1_000_000, "cash"],
            ["2023-01-10", "Conversion", "Registered", 100_000, None]]
    assert run_ledger(ASTI_2022, parse_events(rows), sample, until=dt.date(2023, 1, 10)).state.cash == 8_930_000.0
    assert run_ledger(ASTI_2022, parse_events(rows), sample, until=dt.date(2023, 4, 1)).state.cash == 8_762_250.0


def test_with_no_share_count_the_holders_own_nothing(sample):
    # shares outstanding 0 (terms that do not know the count): a holder's ownership is 0, not
    # 100% (kills the division's fallback made 1.0)
    s = run_ledger(ASTI_2022.with_term("shares_outstanding", 0), parse_events([]), sample, until=dt.date(2023, 1, 1))
    assert [(r["Event"], r["Holder Ownership"]) for r in s.rows] == [
        ("Issue", 0.0), ("Issue", 0.0), ("Interest", 0.0), ("Interest", 0.0)]
