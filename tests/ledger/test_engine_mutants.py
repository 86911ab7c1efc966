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
        "Detail": "principal repaid in cash at maturity", "Source": "ledger"}
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
    assert str(err.value) == ("row 1 (2023-02-22, Conversion): Value (interest to convert) $100.001 is not a whole "
                              "number of cents; write it to the cent (e.g. 100.00)")


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
    assert (first["Principal Before"], second["Principal Before"]) == (12_500_000, 11_250_000)
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
    fund_b = rows_of(later, "Holder Sale")[-1]
    assert fund_b["Detail"] == "Fund B sold 1,000 shares (about $1,000 at VWAP $1.0000)"
    # Fund B's own March sales, $1,000, are far below the leak-out (Investor's do not count)
    assert (fund_b["Flags"], fund_b["Holder Shares"]) == (None, 24_443)


def test_holder_sale_refusals(two_holders, sale_market):
    """Kills _holder_sale: the held default 0 as 1, the sale date's name in the VWAP's refusal;
    _seller: the refusal naming the holders and the match of a note not issued yet (`any(...)`
    as `!=`, upper case, None)."""
    def refusal(*rows):
        with pytest.raises(LedgerError) as err:
            run_ledger(two_holders, parse_events(list(rows)), sale_market)
        return str(err.value)

    assert refusal(["2023-03-02", "Holder Sale", "Investor", 10, None]) == (
        "row 1 (2023-03-02, Holder Sale): sells 10 shares but Investor has 0")
    assert refusal(["2023-03-02", "Holder Sale", "Nobody", 10, None]) == (
        "row 1 (2023-03-02, Holder Sale): Note 'Nobody': name a holder (Investor, Fund B) or a note")
    # _holder_sale: the VWAP of the sale date, named (the data start on 03-01)
    assert refusal(["2023-02-27", "Holder Sale", "Investor", None, None]) == (
        "row 1 (2023-02-27, Holder Sale): sale date 2023-02-27 is outside the data (2023-03-01 to 2023-03-10); add "
        "VWAPs that cover it")
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


# -- optional prepayment ------------------------------------------------------------------------
@pytest.mark.parametrize("with_market", [True, False])
def test_an_optional_prepayment_on_the_day_of_the_termination_notice(terms, sample, with_market):
    """Kills _optional_prepay: `termination > date` as `>=` (a notice that same day flagged as
    missing); _trading_days: `else 0` as `else 1` (the notice on the same day counts 0
    trading days), the market's calendar used without a market (`is None` / `or True`) and the
    terms' calendar as None; _redeem: the flags on the first row only."""
    rows = [["2023-07-17", "Termination Notice", None, None, None],
            ["2023-07-17", "Optional Prepay", None, None, "notice 2023-07-17"]]
    s = run_ledger(terms, parse_events(rows), sample if with_market else None)
    registered, private = (filled(r) for r in rows_of(s, "Optional Prepay"))
    # 06-30 to 07-17 under 30/360: 17 days at 4.5%: 26,562.50 on 12,500,000 and 5,312.50 on
    # 2,500,000; 120% of the principal plus that interest
    assert registered == {
        "Date": dt.date(2023, 7, 17), "Event": "Optional Prepay", "Note": "Registered", "Principal Before": 12_500_000,
        "Interest Accrued": 26_562.50, "Interest Paid Cash": 26_562.50, "Principal Repaid": 12_500_000,
        "Premium Paid": 2_500_000, "Cash Paid": 15_026_562.50, "Principal After": 0.0, "Total Principal": 2_500_000,
        **_QUIET, "Flags": "optional-prepay: all notes $15,000,000.00: optional prepayment needs them below $300,000; "
        "optional-prepay: 0 trading days after the notice of 2023-07-17; at least 20",
        "Detail": "optional prepayment at 120% of principal plus accrued interest", "Source": "row 2"}
    assert private == {
        "Date": dt.date(2023, 7, 17), "Event": "Optional Prepay", "Note": "Private", "Principal Before": 2_500_000,
        "Interest Accrued": 5_312.50, "Interest Paid Cash": 5_312.50, "Principal Repaid": 2_500_000,
        "Premium Paid": 500_000, "Cash Paid": 3_005_312.50, "Principal After": 0.0, "Total Principal": 0.0,
        **_QUIET, "Detail": "optional prepayment at 120% of principal plus accrued interest", "Source": "row 2"}


# -- defaults -------------------------------------------------------------------------------------
def test_a_default_reset_below_the_floor_is_flagged(terms):
    """Kills _default (reset): the row's check_prices dropped or without the note."""
    from tests.helpers.markets import market_before

    market = market_before("2023-03-10", [0.39, 0.38, 0.37, 0.36, 0.35, 0.34, 0.33, 0.32, 0.31, 0.30], include_day=0.50)
    s = run_ledger(terms, parse_events([["2023-03-10", "Default", "Registered", None, "reset"]]), market)
    (row,) = rows_of(s, "Default")
    # 80% of the mean of the 3 lowest of the 10 VWAPs (0.30, 0.31, 0.32): 0.8 x 0.31 = 0.248,
    # below the 0.29 floor; the full ratchet takes the fixed price 3.93042 down to it
    assert row["Reset Price"] == pytest.approx(0.248, abs=1e-12)
    assert row["Fixed Price"] == pytest.approx(0.248, abs=1e-12)
    assert row["Flags"] == ("below-floor: fixed price $0.24800 below the floor $0.29000 (Registered): conversions "
                            "price at the floor")
    assert row["Detail"] == ("conversion price reset to $0.24800 (80% of the 3 lowest of 10 VWAPs); fixed price "
                             "$3.93042 -> $0.24800")


def test_a_default_redemption_paid_on_the_demand_date_itself(terms, sample):
    """Kills _default: `pay_date < date` as `<=` (a payment date equal to the demand date
    refused)."""
    s = run_ledger(terms, parse_events([["2023-03-02", "Default", "Registered", None, "redeem 2023-03-02"]]), sample)
    demand, payment = rows_of(s, "Default", "Registered")
    assert demand["Detail"].endswith("on the demand date; payment on 2023-03-02")
    # 12-31 to 03-02 under 30/360: 62 days on 12,500,000 at 4.5% = 96,875.00; the premium basis,
    # 120% of the principal, 15,000,000, plus that interest
    assert (payment["Date"], payment["Principal Repaid"], payment["Interest Paid Cash"]) == (
        dt.date(2023, 3, 2), 12_500_000, 96_875)
    assert (payment["Premium Paid"], payment["Default Amount"]) == (2_500_000, 15_096_875)


# -- price-triggered monthly payments -----------------------------------------------------------
@pytest.mark.parametrize(("prepaid", "third"), [
    # Registered left with 1,499,999.50: the third payment takes its 499,999.50, then 0.50 of Private
    (11_000_000.50, [("Registered", 499_999.50), ("Private", 0.50)]),
    # Registered left with 1,000,000.50: the third payment takes its last 0.50, then 499,999.50 of Private
    (11_499_999.50, [("Registered", 0.50), ("Private", 499_999.50)]),
])
def test_a_monthly_payment_runs_on_to_the_next_note(sample, prepaid, third):
    """Kills _trigger_payment: `left <= 0` as `<= 1` (the 0.50 left not taken from Private),
    `principal > 0` as `> 1` (Registered's 0.50 skipped), as `>= 0` or `not closed or ...`
    (Registered, paid off, in later payments), the reason's text dropped."""
    from ascent_xl.presets import ASTI_2022

    # as tests/ledger/test_ledger_family.py: the trigger on 2023-02-23, payments of 500,000 at
    # 105% from 02-27 on the 27th of each month
    terms = (ASTI_2022.with_term("trigger_window", 5).with_term("trigger_price", 1.0)
             .with_term("trigger_days", 3).with_term("trigger_cure_days", 5).with_term("trigger_delay_days", 2)
             .with_term("trigger_payment", 500_000).with_term("trigger_premium", 1.05))
    s = run_ledger(terms, parse_events([["2023-01-03", "Prepayment", "Registered", prepaid, None]]), sample)
    paid = [r for r in rows_of(s, "Prepayment") if r["Source"] == "ledger"]
    assert [(r["Date"].isoformat(), r["Note"], r["Principal Repaid"]) for r in paid[:5]] == [
        ("2023-02-27", "Registered", 500_000), ("2023-03-27", "Registered", 500_000),
        *[("2023-04-27", note, amount) for note, amount in third], ("2023-05-27", "Private", 500_000)]
    assert paid[2]["Detail"] == ("monthly payment 3 (the VWAP below $1.0000 on 3 of 5 trading days) at 105% of "
                                 "principal plus accrued interest")


# -- the exchange cap ------------------------------------------------------------------------------
@pytest.fixture
def one_percent_cap(terms):
    """A 1% exchange cap without approval: floor(1% x 33,930,812) = 339,308 shares; the holder's
    own cap raised out of the way."""
    return (terms.with_term("exchange_cap_approved", False).with_term("exchange_cap", 0.01)
            .with_term("ownership_cap_max", 0.5).with_term("conversion.ownership_cap", 0.49))


# 02-21: the ten VWAPs before it (02-06 .. 02-17), three lowest 1.0048, 1.0358, 1.0499
ALTERNATE_0221 = 0.925 * (1.0048 + 1.0358 + 1.0499) / 3  # 0.9529042


def test_the_exchange_cap_cuts_a_conversion_and_its_floor_payment(one_percent_cap, sample):
    """Kills _exchange_cap: the make-up recomputed on the cut amount (`pay and`, `<` as `<=`,
    principal + interest as -, the amount or the unfloored price, floor, VWAP or floor mode
    dropped)."""
    s = run_ledger(one_percent_cap.with_term("floor_price", 0.99),
                   parse_events([["2023-02-21", "Conversion", "Registered", 500_000, None]]), sample)
    (row,) = rows_of(s, "Conversion")
    # the floor 0.99 binds (alternate 0.9529042): 500,000 / 0.99 -> 505,051 shares wanted, 339,308
    # allowed: 339,308 x 0.99 = 335,914.92 converts; the floor payment on what converts:
    # (335,914.92 / 0.9529042 - 335,914.92 / 0.99) x VWAP 0.9849 (02-21) = 13,209.1 x 0.9849
    converted = 335_914.92
    pay = round((converted / ALTERNATE_0221 - converted / 0.99) * 0.9849, 2)
    assert pay == 13_009.55
    assert (row["Conversion Price"], row["Shares Issued"], row["Principal Converted"]) == (0.99, 339_308, converted)
    assert (row["Floor Payment"], row["Cash Paid"], row["Principal After"]) == (pay, pay, 12_500_000 - converted)
    assert row["Flags"] == ("exchange cap: exchange cap 1.00% of 33,930,812 shares: 339,308 shares left; converted "
                            "$335,914.92 of $500,000.00; $164,085.08 stays as principal")


def test_a_conversion_of_exactly_the_room_left_is_not_cut(one_percent_cap, sample):
    """Kills _exchange_cap: `shares <= room` as `<` (a conversion that fits exactly flagged)."""
    s = run_ledger(one_percent_cap, parse_events([["2023-02-21", "Conversion", "Registered", 323_328, None]]), sample)
    (row,) = rows_of(s, "Conversion")
    # 323,328 / 0.9529042 = 339,307.08 -> 339,308 shares: the whole room
    assert (row["Shares Issued"], row["Principal Converted"], row["Flags"]) == (339_308, 323_328, None)


def test_the_exchange_cap_after_a_split_is_restated_to_the_new_share_basis(terms, sample):
    """Kills _exchange_cap: the split factor dropped from the room (the cap counted in shares of
    before the 1:200 split, 200 times too many)."""
    # 19.99% of the 33,930,812 shares at the agreement, without approval: 6,782,769.3 shares
    # before the split, x 0.005 after it = 33,913.8, so 33,913 shares (none issued yet). The
    # Shares Outstanding row keeps the 4.99% ownership cap out of the way.
    s = run_ledger(terms.with_term("exchange_cap_approved", False),
                   parse_events([["2023-09-12", "Split", None, None, "1:200"],
                                 ["2023-09-29", "Shares Outstanding", None, None, 2_000_000],
                                 ["2023-10-02", "Conversion", "Registered", 3_000_000, None]]), sample)
    (row,) = rows_of(s, "Conversion")
    # 10-02: the floor binds, $0.29 x 200 = $58 (alternate 9.5777275: 92.5% of the 3 lowest of
    # the 10 VWAPs before, whose mean is 10.3543, as in tests/cli/test_cli_batch_on_state.py). 33,913 x 58 = 1,966,954.00
    # converts (51,725 shares wanted: 3,000,000 / 58 = 51,724.1); the make-up on it:
    # (1,966,954 / 9.5777275 - 33,913) x VWAP 9.6451 = 1,653,695.85
    assert (row["Shares Issued"], row["Principal Converted"]) == (33_913, 1_966_954.00)
    assert row["Conversion Price"] == pytest.approx(58.0, abs=1e-9)
    assert row["Floor Payment"] == round((1_966_954 / (0.925 * 10.3543) - 33_913) * 9.6451, 2) == 1_653_695.85
    assert row["Flags"] == ("exchange cap: exchange cap 19.99% of 33,930,812 shares: 33,913 shares left; converted "
                            "$1,966,954.00 of $3,000,000.00; $1,033,046.00 stays as principal")


# -- dated price resets ---------------------------------------------------------------------------
@pytest.mark.parametrize(("converted", "private_reset"), [(2_499_999.50, True), (2_500_000, False)])
def test_a_dated_reset_below_the_floor_and_of_a_note_converted_in_full(terms, sample, converted, private_reset):
    """Kills _price_reset: `principal <= 0` as `< 0` (Private, converted in full, reset) and as
    `<= 1` (Private's 0.50 left not reset), the row's check_prices dropped or without the note."""
    # day 60 after the 2022-12-19 issue, 2023-02-17: the ten VWAPs before it average 1.23658 (as
    # tests/ledger/test_ledger_family.py works out), below a floor of 1.30
    reset_terms = (terms.with_term("price_reset_days", "60").with_term("price_reset_rule", "replace")
                   .with_term("alternate_price_applies", "in_default").with_term("floor_price_max", 2.0)
                   .with_term("floor_price", 1.3))
    s = run_ledger(reset_terms, parse_events([["2023-02-16", "Conversion", "Private", converted, None]]), sample)
    resets = rows_of(s, "Price Reset")
    assert [r["Note"] for r in resets] == (["Registered", "Private"] if private_reset else ["Registered"])
    for r in resets:
        assert r["Fixed Price"] == pytest.approx(1.23658, abs=1e-12)
        assert r["Flags"] == (f"below-floor: fixed price $1.23658 below the floor $1.30000 ({r['Note']}): conversions "
                              "price at the floor")
        assert r["Detail"] == "reset 1: 100% of the 10-day average $1.23658 (replace); fixed price $3.93042 -> $1.23658"


# -- refusals -----------------------------------------------------------------------------------------
_FINANCING = ["2023-02-01", "Dilutive Issue", None, 1_000_000, 1.0]  # $1,000,000 gross: 30% = $300,000


@pytest.mark.parametrize(("rows", "message"), [
    # _note: the notes issued listed ("issued = ', '.join(...) or 'none yet'")
    ([["2023-02-01", "Conversion", "Nobody", 100, None]],
     "row 1 (2023-02-01, Conversion): no note named 'Nobody' has been issued (issued: Registered, Private)"),
    ([["2022-12-15", "Prepayment", "Nobody", 100, None]],
     "row 1 (2022-12-15, Prepayment): no note named 'Nobody' has been issued (issued: none yet)"),
    # _convert: `requested <= 0` as `< 0`
    ([["2023-02-01", "Conversion", "Registered", 0, None]],
     "row 1 (2023-02-01, Conversion): Amount: the principal to convert must be more than zero"),
    ([["2023-02-01", "Conversion", "Registered", 12_500_000.01, None]],
     "row 1 (2023-02-01, Conversion): converts $12,500,000.01 but note Registered has $12,500,000.00 outstanding"),
    # _warrant_exercise: `exercised <= 0` as `< 0`
    ([["2023-02-01", "Warrant Exercise", None, 0, "cash"]],
     "row 1 (2023-02-01, Warrant Exercise): exercises 0 warrant shares but 2,513,406 remain"),
    ([["2023-02-01", "Prepayment", "Registered", 12_500_000.01, None]],
     "row 1 (2023-02-01, Prepayment): prepays $12,500,000.01 but note Registered has $12,500,000.00 outstanding"),
    # _prepay (financing): the amount asked, the room left after a prepayment out of it
    ([["2023-02-01", "Prepayment", "Registered", 100, "financing"]],
     "row 1 (2023-02-01, Prepayment): prepays $100.00 out of later financings, but only $0.00 (30% of their gross "
     "proceeds, less what was prepaid) is available"),
    ([_FINANCING, ["2023-02-02", "Prepayment", None, None, "financing"]],
     "row 2 (2023-02-02, Prepayment): prepays $15,000,000.00 out of later financings, but only $300,000.00 (30% of "
     "their gross proceeds, less what was prepaid) is available"),
    ([_FINANCING, ["2023-02-02", "Prepayment", "Registered", 300_000, "financing"],
      ["2023-02-03", "Prepayment", "Private", 0.01, "financing"]],
     "row 3 (2023-02-03, Prepayment): prepays $0.01 out of later financings, but only $0.00 (30% of their gross "
     "proceeds, less what was prepaid) is available"),
    # _amend / _amended_term: a whole-deal term on a note's row, named once (the event passed on)
    ([["2023-02-01", "Amendment", "Registered", None, "floor_price_max = 0.5"]],
     "row 1 (2023-02-01, Amendment): conversion.floor_price_max applies to the whole deal; leave Note blank (per "
     "note: a note's own terms, floor_price or fixed_price)"),
    # _consent: the holders not found (`unknown = None`)
    ([["2023-02-01", "Waiver", None, None, "by Nobody"]],
     "row 1 (2023-02-01, Waiver): consent by Nobody: holders are Investor"),
    # _convert: `found is None or not found[1]` as `and`
    ([["2023-02-04", "Conversion", "Registered", 100, None]],
     "row 1 (2023-02-04, Conversion): notice date 2023-02-04: not a trading day; a conversion needs a day the "
     "market is open"),
    # a prepayment's sub-cent amount refused under its column's name; and _prepay's, out of a
    # financing (after a $1,000,000 Dilutive Issue): the name dropped or misspelt
    ([["2023-04-17", "Prepayment", "Registered", 1_000.005, 1.0]],
     "row 1 (2023-04-17, Prepayment): Amount $1,000.005 is not a whole number of cents; write it to the cent "
     "(e.g. 1,000.01)"),
    ([["2023-02-01", "Dilutive Issue", None, 1_000_000, 1.0],
      ["2023-02-15", "Prepayment", "Registered", 1_000.005, "financing"]],
     "row 2 (2023-02-15, Prepayment): Amount $1,000.005 is not a whole number of cents; write it to the cent "
     "(e.g. 1,000.01)"),
])
def test_refusals_name_the_row_and_the_amounts(terms, sample, rows, message):
    with pytest.raises(LedgerError) as err:
        run_ledger(terms, parse_events(rows), sample)
    assert str(err.value) == message


def test_a_prepayment_out_of_a_financing_is_at_par(terms, sample):
    """Kills _prepay: the financing prepayment at 2.0 instead of 1.0 (par), the Amount's name."""
    s = run_ledger(terms, parse_events([_FINANCING, ["2023-02-02", "Prepayment", "Registered", 300_000, "financing"]]),
                   sample)
    (row,) = rows_of(s, "Prepayment")
    # 12-31 to 02-02 under 30/360: 32 days on 12,500,000 at 4.5% = 50,000.00; 300,000 of the
    # 12,500,000 (2.4%) takes 1,200.00 of it; at par
    assert (row["Principal Repaid"], row["Interest Paid Cash"], row["Premium Paid"], row["Cash Paid"]) == (
        300_000, 1_200, None, 301_200)
    assert row["Detail"] == ("prepaid out of a later financing (30% of its proceeds) at 100% of principal plus "
                             "accrued interest")


# -- amendments of a note's own terms -------------------------------------------------------------
def test_amendments_of_a_notes_rate_and_maturity_and_of_the_floor_maximum(terms, sample):
    """Kills _apply_amendment: `field_name in (maturity_months, interest_months)` negated or
    with either name changed, _schedule_dates without the note or the date; _amend: the row
    of a note's own term without its note, Detail dropped, floor_price_max left out of the
    price flags."""
    rows = [["2023-02-01", "Amendment", "Registered", None, "rate = 0.06"],
            ["2023-02-01", "Amendment", None, None, "notes.Private.maturity_months = 12"],
            ["2023-02-01", "Amendment", None, None, "floor_price_max = 0.2"]]
    s = run_ledger(terms, parse_events(rows), sample)
    rate, maturity, floor_max = (filled(r) for r in rows_of(s, "Amendment"))
    day = dt.date(2023, 2, 1)
    assert rate == {"Date": day, "Event": "Amendment", "Note": "Registered", "Principal After": 12_500_000,
                    "Total Principal": 15_000_000, **_QUIET, "Detail": "notes.Registered.rate: 0.045 -> 0.06",
                    "Source": "row 1"}
    assert maturity == {"Date": day, "Event": "Amendment", "Total Principal": 15_000_000, **_QUIET,
                        "Detail": "notes.Private.maturity_months: 18 -> 12", "Source": "row 2"}
    assert floor_max == {"Date": day, "Event": "Amendment", "Total Principal": 15_000_000, **_QUIET,
                         "Flags": "floor-max: floor $0.29000 above the $0.20000 maximum (conversion.floor_price_max; "
                         "Registered, Private)", "Detail": "conversion.floor_price_max: 0.57 -> 0.2", "Source": "row 3"}
    # Registered's quarter to 03-31 (90 days under 30/360): 31 days at 4.5% to the amendment,
    # 48,437.50, then 59 at 6%, 122,916.67 (12,500,000 x 0.06 x 59/360)
    march = rows_of(s, "Interest", "Registered")[1]
    assert (march["Date"], march["Interest Accrued"], march["Interest Paid Cash"]) == (
        dt.date(2023, 3, 31), 122_916.67, 171_354.17)
    # Private matures 12 months after its 2022-12-19 issue: its last interest 09-30 .. 12-19
    # (79 days on 2,500,000 at 4.5% = 24,687.50) and its maturity on 2023-12-19, none after
    private = [(r["Date"], r["Event"], r["Cash Paid"]) for r in s.rows if r["Note"] == "Private"][-3:]
    assert private == [(dt.date(2023, 9, 30), "Interest", 28_125), (dt.date(2023, 12, 19), "Interest", 24_687.50),
                       (dt.date(2023, 12, 19), "Maturity", 2_500_000)]


def test_the_exchange_cap_with_interest_converted_refused_or_paid_in_cash(one_percent_cap, sample):
    """Kills _exchange_cap: cut.principal - cut.interest (the make-up's amount, the flag's
    converted figure), the cash branch's `== "cash"` misspelt and its flag's code."""
    floor = one_percent_cap.with_term("floor_price", 0.99)
    rows = parse_events([["2023-02-21", "Conversion", "Registered", 500_000, "all"]])
    (cut,) = rows_of(run_ledger(floor, rows, sample), "Conversion")
    # 12-31 to 02-21 under 30/360: 51 days on 12,500,000 at 4.5% = 79,687.50 accrued, all asked
    # for: 579,687.50. The 339,308 shares allowed pay for 339,308 x 0.99 = 335,914.92, interest
    # first: 79,687.50 of interest and 256,227.42 of principal; 243,772.58 stays. The floor
    # payment on the 335,914.92 converted is 13,009.55 (as in the test above).
    assert (cut["Interest Converted"], cut["Principal Converted"], cut["Shares Issued"]) == (79_687.50, 256_227.42, 339_308)
    assert (cut["Floor Payment"], cut["Principal After"]) == (13_009.55, 12_243_772.58)
    assert cut["Flags"] == ("exchange cap: exchange cap 1.00% of 33,930,812 shares: 339,308 shares left; converted "
                            "$335,914.92 of $579,687.50; $243,772.58 stays as principal")
    (cash,) = rows_of(run_ledger(floor.with_term("exchange_cap_excess", "cash"), rows, sample), "Conversion")
    # cash: all 579,687.50 converts; 579,687.50 / 0.99 = 585,542.93 -> 585,543 shares, 339,308
    # issued, 246,235 paid at the day's VWAP: 246,235 x 0.9849 = 242,516.85; the floor payment
    # on the whole: (579,687.50 / 0.9529042 - 579,687.50 / 0.99) x 0.9849 = 22,450.54
    pay = round((579_687.50 / ALTERNATE_0221 - 579_687.50 / 0.99) * 0.9849, 2)
    assert pay == 22_450.54
    assert (cash["Principal Converted"], cash["Shares Issued"], cash["Floor Payment"]) == (500_000, 339_308, pay)
    assert cash["Cash Paid"] == round(pay + 242_516.85, 2)
    assert cash["Flags"] == ("exchange cap: exchange cap 1.00% of 33,930,812 shares: 339,308 shares left; 246,235 "
                             "shares beyond it paid in cash at $0.9849: $242,516.85")


@pytest.mark.parametrize(("rows", "no_split", "reset_days"), [
    # _split_guard: the market asked for with the event (a default's demand, no market)
    ([["2023-02-01", "Default", "Registered", None, "redeem"]], False, None),
    # without the split guard: _conversion_price's and the reset's own calls for the market
    ([["2023-02-01", "Default", "Registered", None, "redeem"]], True, None),
    ([["2023-02-01", "Default", "Registered", None, "reset"]], True, None),
    # _price_reset: the window's market (a dated reset, day 60: 2023-02-17)
    ([], False, "60"),
])
def test_events_that_need_vwaps_without_a_market_are_refused(terms, rows, no_split, reset_days):
    if reset_days:
        terms = terms.with_term("price_reset_days", reset_days)
    with pytest.raises(LedgerError) as err:
        run_ledger(terms, parse_events(rows), None, no_split=no_split)
    where = "row 1 (2023-02-01, Default)" if rows else "the price reset of 2023-02-17 (the ledger's own row)"
    assert str(err.value) == f"{where}: needs VWAP data; give the VWAP series"


def test_a_conversion_with_amount_blank_converts_all_the_principal(fixed_only, sample):
    """Kills _convert: `note.principal if ev.amount is None` forced to whole_cents(None)."""
    s = run_ledger(fixed_only, parse_events([["2023-02-22", "Conversion", "Private", None, None]]), sample)
    (row,) = rows_of(s, "Conversion")
    # 2,500,000 / 3.93042 = 636,064.34 -> 636,065 shares
    assert (row["Principal Converted"], row["Shares Issued"], row["Principal After"]) == (2_500_000, 636_065, 0.0)


def test_a_holder_with_two_notes_consents_with_both(tmp_path, sample):
    """Kills _consent: the holder's running sum read under None (each note replacing the last)."""
    terms = _terms(tmp_path, 'base = "ASTI_2022"\n[[notes]]\nname = "Registered"\n[[notes]]\nname = "Private"\n'
                   + note_table("Third", issue_date="2023-03-01", face=6_000_000))
    s = run_ledger(terms, _defaults_then(["2023-04-10", "Waiver", None, None, "by Investor"]), sample)
    # Investor holds Registered and Private, 15,000,000 of 21,000,000: 71% (only Private's
    # 2,500,000 of 8,500,000 would be 29%)
    assert rows_of(s, "Waiver")[0]["Flags"] is None
    assert rows_of(s, "Waiver")[0]["Detail"] == "event of default waived (Registered, Private, Third)"


def test_a_maturity_extended_is_not_repaid_on_the_old_date(terms, sample):
    """Kills _maturity: `closed or version changed` as `and` (the superseded maturity repays)."""
    s = run_ledger(terms, parse_events([["2023-02-01", "Amendment", None, None, "notes.Private.maturity_months = 24"]]),
                   sample)
    # 24 months after the 2022-12-19 issue: 2024-12-19, not the old 2024-06-19
    assert [(r["Date"], r["Cash Paid"]) for r in rows_of(s, "Maturity", "Private")] == [(dt.date(2024, 12, 19), 2_500_000)]


def test_a_conversion_on_the_day_of_a_split_is_not_restated_by_it(terms):
    """Kills _restate_shares: the splits after a row's date as `>=` (a same-day conversion,
    already post-split, restated again)."""
    from ascent_xl.market import MarketData

    market = MarketData.from_lists(
        ["2023-08-24", "2023-08-25", "2023-08-28", "2023-08-29", "2023-08-30", "2023-08-31", "2023-09-01",
         "2023-09-05", "2023-09-06", "2023-09-07", "2023-09-08", "2023-09-11", "2023-09-12", "2023-09-13"],
        [0.0600] * 6 + [0.0580, 0.0620, 0.0570, 0.0610, 0.0590, 0.0560, 11.5, 11.3])
    s = run_ledger(terms, parse_events([["2023-09-12", "Split", None, None, "1:200"],
                                        ["2023-09-12", "Amendment", None, None, "floor_price = 5"],
                                        ["2023-09-12", "Conversion", "Registered", 50_000, None]]), market)
    (row,) = rows_of(s, "Conversion")
    # the ten sessions before 09-12 (08-28 .. 09-11) restated x 200: the three lowest 0.0560,
    # 0.0570, 0.0580 give 11.4 x 0.925 = 10.545; 50,000 / 10.545 = 4,741.6 -> 4,742 shares, on
    # the new basis already: restated by no split, Shares Restated = Shares Issued
    assert row["Conversion Price"] == pytest.approx(0.925 * 200 * (0.0560 + 0.0570 + 0.0580) / 3, abs=1e-9)
    assert (row["Shares Issued"], row["Shares Restated"]) == (4_742, 4_742)


def test_a_default_demand_on_a_saturday_names_its_note(terms, sample):
    """Kills _conversion_price: `require_trading_day=False` as True or dropped (a demand on a
    Saturday refused); _default_demand: the row's note dropped."""
    s = run_ledger(terms, parse_events([["2023-03-04", "Default", "Registered", None, "demand"]]), sample)
    (row,) = rows_of(s, "Default")
    assert (row["Note"], row["Principal After"], row["Total Principal"]) == ("Registered", 12_500_000, 15_000_000)
    assert row["Flags"] == "default: mandatory default amount demanded, not yet paid"
    # the VWAP of the demand date is the Friday's, 03-03
    assert row["Detail"].endswith("VWAP $0.6403 on the demand date; payment date to come (a Default row with Value pay)")


def test_a_demand_whose_note_matures_before_the_payment_date_is_not_paid_again(two_holders, sample):
    """Kills _default (the payment row): `note is not None and not closed and demand` with `or`
    in either place (the closed note paid again on the payment date)."""
    s = run_ledger(two_holders, parse_events([["2023-08-28", "Default", "Short", None, "redeem 2023-09-05"]]), sample)
    assert [r["Date"] for r in rows_of(s, "Default", "Short")] == [dt.date(2023, 8, 28)]
    # Short matures on 2023-09-01, in default since 08-28: 3 days under 30/360 at 18% on
    # 6,600,000 = 9,900.00 with the principal
    (maturity,) = rows_of(s, "Maturity", "Short")
    assert (maturity["Date"], maturity["Cash Paid"]) == (dt.date(2023, 9, 1), 6_609_900)


def test_a_dilutive_issue_with_amount_blank_issues_no_shares(terms, sample):
    """Kills _dilutive_issue: `int(ev.amount or 0)` as `or 1`."""
    s = run_ledger(terms, parse_events([["2023-02-01", "Dilutive Issue", None, None, 1.0]]), sample)
    (row,) = rows_of(s, "Dilutive Issue")
    assert row["Shares Outstanding"] == 33_930_812
    assert row["Detail"].startswith("0 shares at $1.0000: fixed price $3.93042 -> $1.00000 (full ratchet)")


def test_the_exchange_cap_needs_the_days_vwap_only_to_pay_cash(one_percent_cap):
    """Kills _exchange_cap: the VWAP read in refuse mode too (`== "cash" or True`), the
    conversion date's name in the refusal (None, dropped, misspelt)."""
    from tests.helpers.markets import market_before

    market = market_before("2023-03-10", [1.0] * 12)  # no VWAP on the conversion day itself
    rows = parse_events([["2023-03-10", "Conversion", "Registered", 500_000, None]])
    (row,) = rows_of(run_ledger(one_percent_cap, rows, market), "Conversion")
    # alternate 0.925 x 1.00: 339,308 shares allowed pay for 339,308 x 0.925 = 313,859.90
    assert (row["Shares Issued"], row["Principal Converted"]) == (339_308, 313_859.90)
    with pytest.raises(LedgerError) as err:
        run_ledger(one_percent_cap.with_term("exchange_cap_excess", "cash"), rows, market)
    assert str(err.value) == ("row 1 (2023-03-10, Conversion): conversion date (for the exchange cap's cash) "
                              "2023-03-10 is outside the data (2023-02-22 to 2023-03-09); add VWAPs that cover it")


def test_an_amended_interest_payment_pays_in_kind(terms):
    """Kills _apply_amendment: `field_name == "interest_payment"` negated or misspelt, the
    method set to None."""
    s = run_ledger(terms, parse_events([["2023-02-01", "Amendment", None, None,
                                         "notes.Registered.interest_payment = pik"]]))
    march = rows_of(s, "Interest", "Registered")[1]
    # without a market the equity conditions cannot hold: a private PIK note at the note's 4.5%
    assert (march["Date"], march["Interest PIK"], march["Interest Paid Cash"]) == (dt.date(2023, 3, 31), 140_625, None)
    assert march["Detail"] == "interest paid in kind: new private PIK note Registered-PIK1 at 4.50%"


def test_a_prepayment_with_note_blank_on_a_notes_issue_day_includes_it(two_holders, sample):
    """Kills _targets: `issue_date <= date` as `<` (the note issued that day left out); _note:
    `date < issue_date` as `<=` (an event on the issue day refused)."""
    s = run_ledger(two_holders, parse_events([["2023-03-01", "Prepayment", None, None, None]]), sample)
    assert [(r["Note"], r["Principal Repaid"]) for r in rows_of(s, "Prepayment")] == [
        ("Registered", 3_400_000), ("Short", 6_600_000)]
    named = run_ledger(two_holders, parse_events([["2023-03-01", "Prepayment", "Short", 100_000, None]]), sample)
    # issued that day: no interest yet; at par
    assert [(r["Principal Repaid"], r["Cash Paid"]) for r in rows_of(named, "Prepayment")] == [(100_000, 100_000)]


def test_the_make_up_is_recomputed_when_the_cut_keeps_more_than_the_principal_less_interest(terms, sample):
    """Kills _exchange_cap: the make-up's test `cut < principal + interest` as `< principal -
    interest` (a cut of 167,957.46 of 179,687.50 is above 100,000 - 79,687.50)."""
    half_percent = (terms.with_term("exchange_cap_approved", False).with_term("exchange_cap", 0.005)
                    .with_term("ownership_cap_max", 0.5).with_term("conversion.ownership_cap", 0.49)
                    .with_term("floor_price", 0.99))
    s = run_ledger(half_percent, parse_events([["2023-02-21", "Conversion", "Registered", 100_000, "all"]]), sample)
    (row,) = rows_of(s, "Conversion")
    # floor(0.5% x 33,930,812) = 169,654 shares x 0.99 = 167,957.46 of the 100,000 + 79,687.50
    # asked: interest first (79,687.50), 88,269.96 of principal; the make-up on the 167,957.46:
    # (167,957.46 / 0.9529042 - 167,957.46 / 0.99) x 0.9849 = 6,504.77 (on the whole 179,687.50
    # it would be 6,959.06)
    pay = round((167_957.46 / ALTERNATE_0221 - 167_957.46 / 0.99) * 0.9849, 2)
    assert (row["Interest Converted"], row["Principal Converted"], row["Shares Issued"]) == (79_687.50, 88_269.96, 169_654)
    assert row["Floor Payment"] == pay == 6_504.77


def test_a_conversion_cut_by_the_holders_cap_with_interest(fixed_only, sample):
    """Kills _convert: the cap flag's converted figure as principal - interest."""
    s = run_ledger(fixed_only.with_term("conversion.ownership_cap", 0.001),
                   parse_events([["2023-02-22", "Conversion", "Registered", 200_000, "all"]]), sample)
    (row,) = rows_of(s, "Conversion")
    # a 0.1% cap on 33,930,812 shares: n / (33,930,812 + n) <= 0.001 -> n <= 33,964.78: 33,964
    # shares x 3.93042 = 133,492.78 converts, interest first (81,250.00), 52,242.78 of principal
    assert (row["Shares Issued"], row["Interest Converted"], row["Principal Converted"]) == (33_964, 81_250, 52_242.78)
    assert row["Flags"] == ("cap: Investor capped at 0.10%: converted $133,492.78 of $281,250.00 requested; "
                            "$147,757.22 stays as principal")


def test_a_warrant_exercise_row_shows_the_warrant_holders_shares(two_holders, sample):
    """Kills _warrant_exercise: the row's holder dropped or None (all holders' shares shown)."""
    rows = [["2023-03-02", "Conversion", "Short", 100_000, None],
            ["2023-03-03", "Warrant Exercise", None, 1_000, "cash"]]
    s = run_ledger(two_holders, parse_events(rows), sample)
    (row,) = rows_of(s, "Warrant Exercise")
    # Fund B holds 100,000 / 3.93042 -> 25,443 shares; the warrants' holder, Investor, the 1,000
    # exercised for cash at $3.93: 3,930.00
    assert (row["Holder Shares"], row["Shares Issued"], row["Cash Received"]) == (1_000, 1_000, 3_930)
    assert row["Shares Outstanding"] == 33_930_812 + 25_443 + 1_000
    assert row["Detail"] == "Investor: 1,000 warrant shares for cash at $3.9300"


@pytest.mark.parametrize(("includes_day", "lowest"), [
    # the ten sessions before 03-02 (02-15 .. 03-01): the three lowest 0.7202, 0.7714, 0.7809
    (False, (0.7202, 0.7714, 0.7809)),
    # the ten ending on 03-02 (02-16 .. 03-02): 0.7188, 0.7202, 0.7714
    (True, (0.7188, 0.7202, 0.7714)),
])
def test_a_default_demand_prices_on_the_window_the_terms_give(terms, sample, includes_day, lowest):
    """Kills _conversion_price: include_notice_day dropped or None (the window without the
    demand day whatever the terms say)."""
    s = run_ledger(terms.with_term("window_includes_notice_day", includes_day),
                   parse_events([["2023-03-02", "Default", "Registered", None, "demand"]]), sample)
    (row,) = rows_of(s, "Default")
    assert row["Conversion Price"] == pytest.approx(0.925 * sum(lowest) / 3, abs=1e-12)


def test_a_dotted_term_on_a_notes_row_and_interest_payment_amended_back_to_cash(terms, sample):
    """Kills _amended_term: the term's last part split at None or 'XX.XX' (a dotted name on a
    note's row read whole); _apply_amendment: the interest method set to None (paid in kind)."""
    rows = [["2023-02-01", "Amendment", "Registered", None, "notes.Registered.rate = 0.06"],
            ["2023-02-02", "Interest Election", None, None, "pik"],
            ["2023-02-03", "Amendment", None, None, "notes.Registered.interest_payment = cash"]]
    s = run_ledger(terms, parse_events(rows), sample)
    assert rows_of(s, "Amendment")[0]["Detail"] == "notes.Registered.rate: 0.045 -> 0.06"
    # Registered in cash again: 31 days at 4.5% (48,437.50) and 59 at 6% (122,916.67); Private,
    # still under the PIK election, in kind
    registered = rows_of(s, "Interest", "Registered")[1]
    assert (registered["Date"], registered["Interest Paid Cash"], registered["Interest PIK"]) == (
        dt.date(2023, 3, 31), 171_354.17, None)
    assert rows_of(s, "Interest", "Private")[1]["Interest Paid Cash"] is None


def test_a_maturity_pays_interest_under_a_dollar_left_on_a_converted_note(two_holders, sample):
    """Kills _maturity: `interest <= 0` as `<= 1` (the last 0.50 of default interest on a note
    converted whole never paid, and no row)."""
    rows = [["2023-03-02", "Conversion", "Short", 6_599_000, None],
            ["2023-08-01", "Event of Default", "Short", None, None],
            ["2023-08-02", "Conversion", "Short", 1_000, None]]
    s = run_ledger(two_holders, parse_events(rows), sample)
    # Short has no coupon; in default from 08-01 at 18%, its last $1,000 accrues one day of
    # 30/360 to its conversion on 08-02: 1,000 x 0.18 / 360 = 0.50, left unpaid by the conversion
    # (no interest converted) and paid in cash at the 2023-09-01 maturity
    (row,) = rows_of(s, "Maturity", "Short")
    assert (row["Date"], row["Principal Before"], row["Interest Paid Cash"], row["Cash Paid"]) == (
        dt.date(2023, 9, 1), 0.0, 0.50, 0.50)
    assert summary_of(s, "Short")["Interest Paid Cash"] == 0.50


def test_a_sale_without_a_seller_is_refused_when_a_second_holder_has_one_share(two_holders, sample):
    """Kills _seller: `n > 0` as `n > 1` (a holder of a single share left out of who may be
    selling, so the sale was put on the other holder without asking)."""
    # Fund B converts $1.00 of Short at the fixed $3.93042: 0.25 -> 1 share (rounded up)
    rows = [["2023-03-02", "Conversion", "Registered", 100_000, None],
            ["2023-03-02", "Conversion", "Short", 1.00, None],
            ["2023-03-03", "Holder Sale", None, 10_000, None]]
    with pytest.raises(LedgerError) as err:
        run_ledger(two_holders, parse_events(rows), sample)
    assert str(err.value) == ("row 3 (2023-03-03, Holder Sale): holders Investor, Fund B have shares: name the "
                              "seller in the Note column")
    s = run_ledger(two_holders, parse_events(rows[:2]), sample)
    assert s.state.holdings == {"Investor": 25_443, "Fund B": 1}  # 100,000 / 3.93042 = 25,442.57 -> 25,443


def test_a_waiver_puts_the_note_out_of_default_as_false(two_holders, sample):
    """Kills _waiver: `in_default=False` as None (a position's and its JSON's in_default null,
    not false, after a waiver)."""
    from ascent_xl.ledger import deal_state
    from ascent_xl.ledger.position import position_dict

    events = _defaults_then(["2023-04-10", "Waiver", None, None, "by Fund B"])
    p = deal_state(two_holders, sample, events, as_of="2023-04-10")
    assert [(n.note, n.in_default) for n in p.notes] == [("Registered", False), ("Short", False)]
    assert all(n.in_default is False for n in p.notes)
    assert [n["in_default"] for n in position_dict(p)["notes"]] == [False, False]
