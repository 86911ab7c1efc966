"""Ledger rows that the mutation run (issue 16, ``tools/mutation.sh 'ascent_xl.ledger.engine.*'``)
found unchecked: the whole row of a maturity that pays interest, the interest a conversion
converts, the consent of the holders to a waiver, a waiver's rows, a note's own price amended.
Every expected figure is worked out by hand in the test (or read from the sample market's
VWAPs, an input). Each test names the mutants of ``ascent_xl/ledger/engine.py`` it kills, by
function and what the mutant changes (mutmut's numbers shift as the code changes)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.terms_io import load_terms
from tests.helpers.notes import note_table


def rows_of(schedule, event, note=None):
    return [r for r in schedule.rows if r["Event"] == event and (note is None or r["Note"] == note)]


def filled(row):
    """The row's columns that hold a value (the rest are None)."""
    return {k: v for k, v in row.items() if v is not None}


# The columns every row of a deal with no conversion yet shows: the fixed price, floor and share
# count of the agreement (ASTI_2022: $3.93042, $0.29, 33,930,812 shares), no holder shares.
_QUIET = {"Fixed Price": 3.93042, "Floor Price": 0.29, "Shares Outstanding": 33_930_812, "Holder Shares": 0,
          "Holder Ownership": 0.0, "Check": True}


def summary_of(schedule, note):
    frame = schedule.summary()
    return frame[frame["Note"] == note].iloc[0].to_dict()


def _terms(tmp_path, text):
    path = tmp_path / "terms.toml"
    path.write_text(text)
    return load_terms(path)


# Two holders: Registered ($3,400,000, Investor) and Short ($6,600,000 from 2023-03-01, Fund B,
# no coupon, six months), so Fund B alone holds exactly 66% of the notes. The default rate is
# 18%; the alternate price applies in default only.
_TWO_HOLDERS = """
base = "ASTI_2022"
[conversion]
alternate_price_applies = "in_default"
[default]
interest_rate = 0.18
[[notes]]
name = "Registered"
face = 3400000
""" + note_table("Short", issue_date="2023-03-01", face=6_600_000, rate=0.0, maturity_months=6)


@pytest.fixture
def two_holders(tmp_path):
    return _terms(tmp_path, _TWO_HOLDERS)


@pytest.fixture
def fixed_only(terms):
    return terms.with_term("alternate_price_applies", "in_default")


# -- maturity -------------------------------------------------------------------------------
def test_a_maturity_pays_the_default_interest_of_a_note_with_no_coupon(two_holders, sample):
    """Kills _maturity: interest_cash - interest (summary), the row's Interest Accrued / Interest
    Paid Cash `and None`, Cash Paid before - interest."""
    s = run_ledger(two_holders, parse_events([["2023-08-01", "Event of Default", "Short", None, None]]), sample)
    (row,) = rows_of(s, "Maturity", "Short")
    # Short has no coupon, so no interest dates: in default from 2023-08-01 at 18%, to its
    # maturity 2023-09-01 under 30/360 one month: 6,600,000 x 0.18 x 30/360 = 99,000. Left:
    # Registered's 3,400,000.
    assert filled(row) == {
        "Date": dt.date(2023, 9, 1), "Event": "Maturity", "Note": "Short", "Principal Before": 6_600_000,
        "Interest Accrued": 99_000, "Interest Paid Cash": 99_000, "Principal Repaid": 6_600_000,
        "Cash Paid": 6_699_000, "Principal After": 0.0, "Total Principal": 3_400_000, **_QUIET,
        "Detail": "principal repaid in cash at maturity", "Source": "auto"}
    (notice,) = rows_of(s, "Default", "Short")
    assert filled(notice) == {
        "Date": dt.date(2023, 8, 1), "Event": "Default", "Note": "Short", "Principal After": 6_600_000,
        "Total Principal": 10_000_000, **_QUIET, "Flags": "default: event of default outstanding (no election yet)",
        "Detail": "event of default noticed", "Source": "row 1"}
    short = summary_of(s, "Short")
    assert (short["Interest Paid Cash"], short["Principal Repaid"], short["Accrued Interest"]) == (99_000, 6_600_000, 0.0)


def test_a_maturity_row_for_a_dollar_left_and_none_for_a_note_converted_in_full(two_holders, sample):
    """Kills _maturity: `before <= 0` -> `before <= 1` (the $1.00 left gets no row) and
    `before < 0` / `interest < 0` (a note converted in full gets an empty row)."""
    rows = [["2023-04-03", "Conversion", "Short", 6_599_999, None],
            ["2023-04-03", "Conversion", "Registered", 3_400_000, "all"]]
    s = run_ledger(two_holders, parse_events(rows), sample)
    # Short: $1.00 left, no coupon, never in default: repaid $1.00 at maturity, no interest
    (short,) = rows_of(s, "Maturity", "Short")
    assert (short["Principal Before"], short["Interest Paid Cash"], short["Cash Paid"]) == (1.0, None, 1.0)
    # Registered: principal and interest converted on 04-03, nothing accrues after (no principal)
    assert rows_of(s, "Maturity", "Registered") == []


# -- interest converted ---------------------------------------------------------------------
def test_a_conversion_converts_the_interest_in_value(fixed_only, sample):
    """Kills _interest_to_convert: `== ALL_INTEREST` negated, whole_cents without the value,
    min(x) without the accrued; _convert: accrued + interest converted, interest_converted -
    interest, `Interest Converted ... and None`, shares_issued = shares (the summary)."""
    rows = [["2023-02-22", "Conversion", "Registered", 100_000, 81_250],
            ["2023-03-01", "Conversion", "Registered", 100_000, "all"]]
    s = run_ledger(fixed_only, parse_events(rows), sample)
    first, second = rows_of(s, "Conversion", "Registered")
    # Interest from 2022-12-31 to 2023-02-22 under 30/360: 52 days on 12,500,000 at 4.5% =
    # 81,250.00, all of it converted: (100,000 + 81,250) / 3.93042 = 46,114.56 -> 46,115 shares.
    assert (first["Interest Accrued"], first["Interest Converted"], first["Shares Issued"]) == (81_250, 81_250, 46_115)
    # 02-22 to 03-01: 30/360 counts 9 days on 12,400,000 at 4.5% = 13,950.00; "all" converts it:
    # (100,000 + 13,950) / 3.93042 = 28,991.81 -> 28,992 shares.
    assert (second["Interest Accrued"], second["Interest Converted"], second["Shares Issued"]) == (13_950, 13_950, 28_992)
    # The quarter 12-31 to 03-31 is 90 days under 30/360, of which 52 + 9 = 61 came before 03-01:
    # 29 days on 12,300,000 at 4.5% = 44,587.50, all that is left to pay in cash on 03-31
    march = rows_of(s, "Interest", "Registered")[1]
    assert (march["Date"].isoformat(), march["Interest Paid Cash"]) == ("2023-03-31", 44_587.50)
    registered = summary_of(s, "Registered")
    assert (registered["Interest Converted"], registered["Shares Issued"]) == (81_250 + 13_950, 46_115 + 28_992)
    assert registered["Principal Converted"] == 200_000


def test_a_conversion_of_more_interest_than_accrued_is_refused(fixed_only, sample):
    """Kills _interest_to_convert: `x > accrued + tolerance` as `x > accrued - tolerance` (the
    whole 81,250.00 refused); the refusal's amounts."""
    ok = run_ledger(fixed_only, parse_events([["2023-02-22", "Conversion", "Registered", 100_000, 81_250]]), sample)
    assert rows_of(ok, "Conversion")[0]["Interest Converted"] == 81_250
    with pytest.raises(LedgerError) as err:
        run_ledger(fixed_only, parse_events([["2023-02-22", "Conversion", "Registered", 100_000, 81_250.01]]), sample)
    assert str(err.value) == ("row 1 (2023-02-22, Conversion): converts $81,250.01 of interest but $81,250.00 "
                              "has accrued on Registered")
    with pytest.raises(LedgerError) as err:
        run_ledger(fixed_only, parse_events([["2023-02-22", "Conversion", "Registered", 100_000, 100.001]]), sample)
    assert "Value (interest to convert)" in str(err.value)


# -- consent and waivers --------------------------------------------------------------------
def _defaults_then(*rows):
    return parse_events([["2023-04-03", "Event of Default", None, None, None], *rows])


def test_a_waiver_by_exactly_the_majority_passes(two_holders, sample):
    """Kills _consent: `share < need` as `<=`; a holder's sum starting at 1.0 (6,600,001 /
    10,000,002 is below 66%); _waiver: the consent names dropped (a flag 'not recorded')."""
    s = run_ledger(two_holders, _defaults_then(["2023-04-10", "Waiver", None, None, "by Fund B"]), sample)
    (row,) = rows_of(s, "Waiver")
    # Fund B holds 6,600,000 of 10,000,000: 66%, the majority needed (covenants.amendment_majority)
    assert filled(row) == {
        "Date": dt.date(2023, 4, 10), "Event": "Waiver", "Total Principal": 10_000_000, **_QUIET,
        "Detail": "event of default waived (Registered, Short)", "Source": "row 2"}


def test_a_waiver_below_the_majority_is_refused(two_holders, sample):
    """Kills _waiver: the event passed to _consent as None (its refusal), the consent names
    dropped (no refusal)."""
    with pytest.raises(LedgerError) as err:
        run_ledger(two_holders, _defaults_then(["2023-04-10", "Waiver", None, None, "by Investor"]), sample)
    # Investor holds 3,400,000 of 10,000,000: 34%
    assert str(err.value) == ("row 2 (2023-04-10, Waiver): consent of holders of 34% of the outstanding notes; "
                              "it needs 66%")


def test_a_waiver_without_consent_is_flagged_when_two_holders_hold_notes(two_holders, sample):
    """Kills _waiver: consent None, the row's reasons dropped; the Detail dropped or without the
    notes' names."""
    s = run_ledger(two_holders, _defaults_then(["2023-04-10", "Waiver", None, None, None]), sample)
    (row,) = rows_of(s, "Waiver")
    assert row["Flags"] == "consent: holders of 66% of the notes must consent; not recorded (end Value with '; by HOLDER, ...')"
    assert row["Detail"] == "event of default waived (Registered, Short)"


def test_a_waiver_naming_a_note_waives_that_note_only(two_holders, sample):
    """Kills _waiver: `if ev.note` forced false (every note in default waived; the row without
    its note)."""
    s = run_ledger(two_holders, _defaults_then(["2023-04-10", "Waiver", "Short", None, "by Fund B"]), sample)
    (row,) = rows_of(s, "Waiver")
    assert filled(row) == {
        "Date": dt.date(2023, 4, 10), "Event": "Waiver", "Note": "Short", "Principal After": 6_600_000,
        "Total Principal": 10_000_000, **_QUIET, "Detail": "event of default waived (Short)", "Source": "row 2"}
    # Registered stays in default: 18% from 04-03 instead of its 4.5% coupon, to 06-30 under
    # 30/360 (87 days on 3,400,000): 3,400,000 x 0.18 x 87/360 = 147,900.00. Short, no coupon,
    # pays at its maturity the default interest of 04-03 to 04-10 only (then waived): 7 days,
    # 6,600,000 x 0.18 x 7/360 = 23,100.00.
    june = [r for r in rows_of(s, "Interest", "Registered") if r["Date"].isoformat() == "2023-06-30"][0]
    # 03-31 to 04-03 at 4.5%: 3 days = 1,275.00; with the 147,900.00: 149,175.00
    assert june["Interest Paid Cash"] == 149_175
    assert rows_of(s, "Maturity", "Short")[0]["Cash Paid"] == 6_600_000 + 23_100


def test_a_waiver_with_one_holder_is_not_flagged(fixed_only, sample):
    """Kills _consent: `len(by_holder) > 1` as `>= 1` (one holder: no consent to record)."""
    s = run_ledger(fixed_only, _defaults_then(["2023-04-10", "Waiver", None, None, None]), sample)
    (row,) = rows_of(s, "Waiver")
    assert row["Flags"] is None
    assert row["Detail"] == "event of default waived (Registered, Private)"


def test_a_holder_with_a_dollar_of_notes_counts_and_one_with_none_does_not(two_holders, sample):
    """Kills _consent: `principal > 0` as `> 1` (Fund B's $1.00 not counted: no flag), as `>= 0`
    or `not closed or ...` (Fund B's converted note counted: a flag)."""
    # (converted on 03-02, before any default, at the fixed price: 1,679,210 shares, within the
    # 4.99% cap of 33,930,812)
    dollar = run_ledger(two_holders, parse_events([["2023-03-02", "Conversion", "Short", 6_599_999, None],
                                                   ["2023-04-10", "Waiver", None, None, None]]), sample)
    assert rows_of(dollar, "Waiver")[0]["Flags"].startswith("consent: holders of 66% of the notes must consent")
    none = run_ledger(two_holders, parse_events([["2023-03-02", "Conversion", "Short", 6_600_000, None],
                                                 ["2023-04-10", "Waiver", None, None, None]]), sample)
    assert rows_of(none, "Waiver")[0]["Flags"] is None


def test_a_waiver_by_a_holder_when_no_note_is_outstanding(two_holders, sample):
    """Kills _consent: `/ total if total` forced true (a division by zero with nothing
    outstanding) and the holder's default of 0.0 dropped (None + 0.0)."""
    rows = [["2023-03-02", "Conversion", "Short", 6_600_000, None],
            ["2023-03-02", "Conversion", "Registered", 3_400_000, "all"],
            ["2023-04-10", "Waiver", None, None, "by Investor, Fund B"]]
    s = run_ledger(two_holders, parse_events(rows), sample)
    (row,) = rows_of(s, "Waiver")
    assert (row["Flags"], row["Detail"], row["Total Principal"]) == (None, "event of default waived", 0.0)


# -- prepayments ----------------------------------------------------------------------------
def test_two_partial_prepayments_at_a_premium_and_the_summary_after(terms):
    """Kills _redeem: repaid - amount, accrued + interest, interest_cash - interest, premiums -
    premium (the summary and the next coupon), `Interest Accrued ... and None`."""
    rows = [["2023-02-01", "Prepayment", "Registered", 1_250_000, 1.1],
            ["2023-03-01", "Prepayment", "Registered", 2_250_000, 1.1]]
    s = run_ledger(terms, parse_events(rows), until=dt.date(2023, 4, 1))
    first, second = rows_of(s, "Prepayment", "Registered")
    # 12-31 to 02-01 under 30/360: 31 days on 12,500,000 at 4.5% = 48,437.50; 10% of the
    # principal prepaid takes 10% of it, 4,843.75; cash 1.1 x 1,250,000 + 4,843.75.
    assert (first["Interest Accrued"], first["Interest Paid Cash"], first["Premium Paid"]) == (48_437.50, 4_843.75, 125_000)
    assert (first["Principal Repaid"], first["Cash Paid"], first["Principal After"]) == (1_250_000, 1_379_843.75, 11_250_000)
    # 02-01 to 03-01: 30 days on 11,250,000 = 42,187.50; accrued 43,593.75 + 42,187.50 =
    # 85,781.25, of which 20% (2,250,000 of 11,250,000) is 17,156.25
    assert (second["Interest Accrued"], second["Interest Paid Cash"], second["Premium Paid"]) == (42_187.50, 17_156.25, 225_000)
    assert second["Cash Paid"] == 2_475_000 + 17_156.25
    # 03-31: the quarter (90 days) less the 61 before 03-01: 29 days on 9,000,000 = 32,625.00,
    # plus the 68,625.00 left: 101,250.00
    march = [r for r in rows_of(s, "Interest", "Registered") if r["Date"].isoformat() == "2023-03-31"][0]
    assert (march["Interest Accrued"], march["Interest Paid Cash"]) == (32_625, 101_250)
    registered = summary_of(s, "Registered")
    # interest in cash: 18,750.00 on 12-31 (12 days) + 4,843.75 + 17,156.25 + 101,250.00
    assert (registered["Principal Repaid"], registered["Premiums Paid"]) == (3_500_000, 350_000)
    assert (registered["Interest Paid Cash"], registered["Accrued Interest"]) == (142_000, 0.0)


def test_a_prepayment_of_an_amount_with_note_blank_is_refused(terms):
    """Kills _redeem: `len(targets) > 1` as `> 2` (two notes, an Amount, no note named)."""
    with pytest.raises(LedgerError) as err:
        run_ledger(terms, parse_events([["2023-02-01", "Prepayment", None, 100_000, None]]))
    assert str(err.value) == ("row 1 (2023-02-01, Prepayment): Amount is given but Note is blank: name the note "
                              "to prepay part of it")


# -- amendments of one note's prices ----------------------------------------------------------
def test_an_amendment_naming_a_note_amends_its_prices_and_flags_it(two_holders, sample):
    """Kills _amend (a per-note price): with_term without the term or the value, getattr /
    setattr on the wrong object or field (rsplit/split, index +1/-2, maxsplit 2), the row's
    note, reasons (consent + check_prices, check_prices without the state or the note) or
    Detail dropped; _convert: floor_payments - pay (the summary)."""
    rows = [["2023-03-02", "Amendment", "Short", None, "fixed_price = 0.25"],
            ["2023-03-03", "Amendment", "Registered", None, "floor_price = 0.2; by Fund B"],
            ["2023-03-06", "Conversion", "Short", 100_000, None],
            ["2023-03-06", "Conversion", "Registered", 100_000, None]]
    s = run_ledger(two_holders, parse_events(rows), sample)
    short_row, registered_row = rows_of(s, "Amendment")
    # two holders and no consent recorded; Short's own price now below the deal's floor
    assert filled(short_row) == {
        "Date": dt.date(2023, 3, 2), "Event": "Amendment", "Note": "Short", "Principal After": 6_600_000,
        "Total Principal": 10_000_000, **_QUIET, "Fixed Price": 0.25, "Flags": (
            "consent: holders of 66% of the notes must consent; not recorded (end Value with '; by HOLDER, ...'); "
            "below-floor: fixed price $0.25000 below the floor $0.29000 (Short): conversions price at the floor"),
        "Detail": "Short: conversion.fixed_price 3.93042 -> 0.25", "Source": "row 1"}
    # Fund B's 66% consented: no flag
    assert filled(registered_row) == {
        "Date": dt.date(2023, 3, 3), "Event": "Amendment", "Note": "Registered", "Principal After": 3_400_000,
        "Total Principal": 10_000_000, **_QUIET, "Floor Price": 0.2,
        "Detail": "Registered: conversion.floor_price 0.29 -> 0.2", "Source": "row 2"}
    short, registered = rows_of(s, "Conversion")
    # Short at its floor 0.29: 100,000 / 0.29 = 344,827.59 -> 344,828 shares; the floor payment
    # (100,000 / 0.25 - 100,000 / 0.29) x VWAP 0.581 (03-06) = 55,172.41 x 0.581 = 32,055.17
    assert (short["Conversion Price"], short["Shares Issued"], short["Floor Payment"]) == (0.29, 344_828, 32_055.17)
    # Registered keeps the deal's 3.93042 (its floor 0.20 does not bind): 25,442.57 -> 25,443
    assert (registered["Conversion Price"], registered["Shares Issued"], registered["Floor Payment"]) == (3.93042, 25_443, 0.0)
    assert summary_of(s, "Short")["Floor Payments"] == 32_055.17


# -- holder sales -----------------------------------------------------------------------------
_SALE_DAYS = ["2023-03-01", "2023-03-02", "2023-03-03", "2023-03-06", "2023-03-07", "2023-03-08", "2023-03-09",
              "2023-03-10"]


@pytest.fixture
def sale_market():
    """Eight March sessions at VWAP 1.00 (1.50 on 03-03), $100,000 traded each: the month's
    trading value is $800,000, so the 35% leak-out allows $280,000 of sales."""
    from ascent_xl.market import MarketData

    vwaps = [1.0, 1.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0]
    return MarketData.from_lists(_SALE_DAYS, vwaps, dollar_volumes=[100_000] * 8)


def _sale(row, date, note, shares_after, ownership_base, detail, source, flags=None):
    expected = {"Date": dt.date.fromisoformat(date), "Event": "Holder Sale", "Total Principal": 9_000_000,
                "Fixed Price": 3.93042, "Floor Price": 0.29, "Shares Outstanding": ownership_base,
                "Holder Shares": shares_after, "Holder Ownership": shares_after / ownership_base, "Check": True,
                "Detail": detail, "Source": source}
    if note:
        expected["Note"] = note
    if flags:
        expected["Flags"] = flags
    assert filled(row) == expected


def test_holder_sales_by_holder_by_note_and_by_the_only_holder_with_shares(two_holders, sale_market):
    """Kills _holder_sale: month sales starting at 1.0, sold / vwap, check_leak_out without the
    holder, the held default 1; _seller: a note of the terms not issued yet matched by upper
    case or `!=`, `n > 0` as `>= 0` (a holder who sold all counted as holding shares)."""
    rows = [["2023-03-01", "Conversion", "Registered", 1_000_000, None],
            ["2023-03-02", "Holder Sale", "Investor", 150_000, None],
            ["2023-03-03", "Holder Sale", "Registered", 100_000, None],
            ["2023-03-06", "Holder Sale", None, None, None]]
    s = run_ledger(two_holders, parse_events(rows), sale_market, until=dt.date(2023, 3, 6))
    # Registered converts 1,000,000 / 3.93042 = 254,425.76 -> 254,426 shares (Investor's)
    base = 33_930_812 + 254_426
    first, second, third = rows_of(s, "Holder Sale")
    _sale(first, "2023-03-02", "Investor", 104_426, base, "Investor sold 150,000 shares (about $150,000 at VWAP "
          "$1.0000)", "row 2")
    # 150,000 x 1.00 + 100,000 x 1.50 = 300,000 in March, above 35% of 800,000 = 280,000
    leak = "leak-out: Investor's sales ${:,} in Mar 2023 exceed 35% of the month's trading value $800,000"
    _sale(second, "2023-03-03", "Registered", 4_426, base, "Investor sold 100,000 shares (about $150,000 at VWAP "
          "$1.5000)", "row 3", leak.format(300_000))
    # Note blank: Investor, the only holder with shares, sells the 4,426 left
    _sale(third, "2023-03-06", None, 0, base, "Investor sold 4,426 shares (about $4,426 at VWAP $1.0000)", "row 4",
          leak.format(304_426))
    # Fund B (Short, issued 03-01) converts 100,000 / 3.93042 -> 25,443 shares; Investor has 0 now,
    # so a sale with Note blank is Fund B's
    later = run_ledger(two_holders, parse_events([*rows, ["2023-03-07", "Conversion", "Short", 100_000, None],
                                                  ["2023-03-08", "Holder Sale", None, 1_000, None]]), sale_market,
                       until=dt.date(2023, 3, 8))
    assert rows_of(later, "Holder Sale")[-1]["Detail"] == "Fund B sold 1,000 shares (about $1,000 at VWAP $1.0000)"


def test_holder_sale_refusals(two_holders, sale_market):
    """Kills _holder_sale: the held default 0 as 1; _seller: the refusal naming the holders and
    the match of a note not issued yet (`any(...)` as `!=`, upper case, None)."""
    def refusal(*rows):
        with pytest.raises(LedgerError) as err:
            run_ledger(two_holders, parse_events(list(rows)), sale_market)
        return str(err.value)

    assert refusal(["2023-03-02", "Holder Sale", "Investor", 10, None]) == (
        "row 1 (2023-03-02, Holder Sale): sells 10 shares but Investor has 0")
    assert refusal(["2023-03-02", "Holder Sale", "Nobody", 10, None]) == (
        "row 1 (2023-03-02, Holder Sale): Note 'Nobody': name a holder (Investor, Fund B) or a note")
    # Short is in the terms, issued on 03-01: a sale naming it before then is Fund B's (none held)
    assert refusal(["2023-02-27", "Holder Sale", "short", 10, None]) == (
        "row 1 (2023-02-27, Holder Sale): sells 10 shares but Fund B has 0")


# -- interest elections ---------------------------------------------------------------------------
def test_interest_election_rows(terms, sample):
    """Kills _interest_election: the row's note (None, `if ev.note` forced either way), reasons,
    Detail (the fallback's words: none, cash, private PIK)."""
    rows = [["2023-02-01", "Interest Election", "Registered", None, "pik or cash"],
            ["2023-02-02", "Interest Election", None, None, "pik or private"],
            ["2023-02-03", "Interest Election", None, None, "cash"]]
    s = run_ledger(terms, parse_events(rows), sample)
    one, every, cash = (filled(r) for r in rows_of(s, "Interest Election"))
    assert one == {"Date": dt.date(2023, 2, 1), "Event": "Interest Election", "Note": "Registered",
                   "Principal After": 12_500_000, "Total Principal": 15_000_000, **_QUIET,
                   "Detail": "election pik or cash: interest paid in kind from 2023-02-01; in cash when the equity "
                   "conditions fail (Registered)", "Source": "row 1"}
    assert every == {"Date": dt.date(2023, 2, 2), "Event": "Interest Election", "Total Principal": 15_000_000,
                     **_QUIET, "Detail": "election pik or private: interest paid in kind from 2023-02-02; in private "
                     "PIK notes when the equity conditions fail (Registered, Private)", "Source": "row 2"}
    assert cash == {"Date": dt.date(2023, 2, 3), "Event": "Interest Election", "Total Principal": 15_000_000,
                    **_QUIET, "Detail": "election cash: interest paid in cash from 2023-02-03 (Registered, Private)",
                    "Source": "row 3"}
