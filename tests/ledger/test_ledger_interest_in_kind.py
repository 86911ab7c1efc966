"""Interest paid in kind, row by row and in the notes' totals, as the mutation run of
``Ledger._interest`` found it unchecked: the private note's interest added to its principal,
the registered note's interest in private PIK notes (the equity conditions fail on the sample's
market caps, about $7-9 million against the $75 million minimum) or, elected "pik or cash", in
cash. Every figure is worked out by hand (US 30/360, 4.5% a year)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022

_SHOWN = ("Shares Outstanding", "Holder Shares", "Holder Ownership", "Total Principal")
_FLAG = "equity: equity conditions not met for registered PIK notes: market cap at the minimum on only 0 days"


def _run(sample, election):
    s = run_ledger(ASTI_2022, parse_events([["2023-03-15", "Interest Election", None, None, election]]), sample,
                   until=dt.date(2023, 7, 1))
    rows = [{k: v for k, v in r.items() if v is not None and k not in _SHOWN} for r in s.rows
            if r["Date"] >= dt.date(2023, 3, 31)]
    totals = {r["Note"]: (r["Principal Issued"], r["Interest Paid Cash"], r["Interest PIK"])
              for r in s.summary().to_dict("records")}
    return rows, totals


_PRICES = {"Fixed Price": 3.93042, "Floor Price": 0.29, "Check": True}
# 12-31 to 03-31 and 03-31 to 06-30: 90 days each. Registered: 12,500,000 x 4.5% x 90 / 360 =
# 140,625.00 a quarter (and 12,500,000 x 4.5% x 12 / 360 = 18,750.00 in cash at 2022-12-31, from
# the 12-19 issue); Private: 2,500,000 x 4.5% x 90 / 360 = 28,125.00, then on 2,528,125.00:
# 28,441.41 (28,441.406), 2,556,566.41 after
_PRIVATE = [
    {"Date": dt.date(2023, 3, 31), "Event": "Interest", "Note": "Private", "Principal Before": 2_500_000.0,
     "Principal Issued": 28_125.0, "Interest Accrued": 28_125.0, "Interest PIK": 28_125.0,
     "Principal After": 2_528_125.0, **_PRICES, "Detail": "interest paid in kind: added to principal", "Source": "ledger"},
    {"Date": dt.date(2023, 6, 30), "Event": "Interest", "Note": "Private", "Principal Before": 2_528_125.0,
     "Principal Issued": 28_441.41, "Interest Accrued": 28_441.41, "Interest PIK": 28_441.41,
     "Principal After": 2_556_566.41, **_PRICES, "Detail": "interest paid in kind: added to principal", "Source": "ledger"},
]


def test_registered_interest_in_private_pik_notes_when_the_conditions_fail(sample):
    rows, totals = _run(sample, "pik")
    registered = [r for r in rows if r["Note"] == "Registered"]
    assert registered[0] == {
        "Date": dt.date(2023, 3, 31), "Event": "Interest", "Note": "Registered", "Principal Before": 12_500_000.0,
        "Interest Accrued": 140_625.0, "Interest PIK": 140_625.0, "Principal After": 12_500_000.0, **_PRICES,
        "Flags": _FLAG, "Detail": "interest paid in kind: new private PIK note Registered-PIK1 at 4.50%",
        "Source": "ledger"}
    # the PIK note's own issue row, the ledger's: nothing before, the interest as principal
    (issue,) = [r for r in rows if r["Event"] == "Issue" and r["Note"] == "Registered-PIK1"]
    assert issue == {
        "Date": dt.date(2023, 3, 31), "Event": "Issue", "Note": "Registered-PIK1", "Principal Before": 0.0,
        "Principal Issued": 140_625.0, "Principal After": 140_625.0, **_PRICES,
        "Detail": "private PIK note for the interest of Registered; matures 2024-06-19; interest 4.50%, capitalised",
        "Source": "ledger"}
    # its first coupon, from its issue day (not counting it): 140,625 x 4.5% x 90 / 360 = 1,582.03
    # (1,582.03125; counting the issue day, 91 days, it would be 1,599.61), capitalised
    (pik_coupon,) = [r for r in rows if r["Event"] == "Interest" and r["Note"] == "Registered-PIK1"]
    assert (pik_coupon["Interest PIK"], pik_coupon["Principal After"]) == (1_582.03, 142_207.03)
    assert [r for r in rows if r["Note"] == "Private"] == _PRIVATE
    # the notes' totals: principal issued with the capitalised interest, cash and kind apart
    assert totals["Registered"] == (12_500_000.0, 18_750.0, 281_250.0)  # 2 x 140,625 in kind
    assert totals["Private"] == (2_556_566.41, 3_750.0, 56_566.41)  # 2,500,000 x 4.5% x 12 / 360 in cash
    assert totals["Registered-PIK1"] == (142_207.03, 0.0, 1_582.03)
    assert totals["Registered-PIK2"] == (140_625.0, 0.0, 0.0)


def test_registered_interest_elected_pik_or_cash_is_paid_in_cash_when_the_conditions_fail(sample):
    rows, totals = _run(sample, "pik or cash")
    registered = [r for r in rows if r["Note"] == "Registered"]
    assert registered[0] == {
        "Date": dt.date(2023, 3, 31), "Event": "Interest", "Note": "Registered", "Principal Before": 12_500_000.0,
        "Interest Accrued": 140_625.0, "Interest Paid Cash": 140_625.0, "Cash Paid": 140_625.0,
        "Principal After": 12_500_000.0, **_PRICES, "Flags": _FLAG,
        "Detail": "interest paid in cash: no registered PIK notes without the equity conditions", "Source": "ledger"}
    assert not [r for r in rows if "PIK" in r["Note"]]
    assert [r for r in rows if r["Note"] == "Private"] == _PRIVATE
    # 18,750 + 2 x 140,625 = 300,000 in cash, nothing in kind
    assert totals["Registered"] == (12_500_000.0, 300_000.0, 0.0)
    assert totals["Total"] == (15_056_566.41, 303_750.0, 56_566.41)


def test_a_pik_note_follows_its_parents_price(sample):
    # kills the PIK note's parent dropped and own_price None: an Amendment of the deal's fixed
    # price on 2023-04-03 moves Registered and its PIK note alike; the PIK note is not a price of
    # its own
    s = run_ledger(ASTI_2022, parse_events([["2023-03-15", "Interest Election", None, None, "pik"],
                                            ["2023-04-03", "Amendment", None, None, "conversion.fixed_price = 3.00"]]),
                   sample, until=dt.date(2023, 4, 4))
    pik = s.state.notes["Registered-PIK1"]
    assert (pik.parent, pik.own_price, pik.fixed_price) == ("Registered", False, 3.00)
    assert s.state.notes["Registered"].fixed_price == 3.00


def test_registered_pik_notes_when_the_conditions_hold(sample):
    # the market cap minimum lowered to $1,000,000 (the sample's are $7-9 million): the equity
    # conditions hold on 2023-03-31, so the interest is paid in registered PIK notes at their
    # 0% (notes.Registered.pik_note_rate): no rate in the detail, "no interest" on the note
    terms = ASTI_2022.with_term("equity_conditions.min_market_cap", 1_000_000)
    s = run_ledger(terms, parse_events([["2023-03-15", "Interest Election", "Registered", None, "pik"]]), sample,
                   until=dt.date(2023, 4, 1))
    rows = [{k: v for k, v in r.items() if v is not None and k not in _SHOWN} for r in s.rows
            if r["Date"] == dt.date(2023, 3, 31) and r["Note"] != "Private"]
    assert rows == [
        {"Date": dt.date(2023, 3, 31), "Event": "Interest", "Note": "Registered", "Principal Before": 12_500_000.0,
         "Interest Accrued": 140_625.0, "Interest PIK": 140_625.0, "Principal After": 12_500_000.0, **_PRICES,
         "Detail": "interest paid in kind: new registered PIK note Registered-PIK1", "Source": "ledger"},
        {"Date": dt.date(2023, 3, 31), "Event": "Issue", "Note": "Registered-PIK1", "Principal Before": 0.0,
         "Principal Issued": 140_625.0, "Principal After": 140_625.0, **_PRICES,
         "Detail": "registered PIK note for the interest of Registered; matures 2024-06-19; no interest",
         "Source": "ledger"}]
    assert s.state.notes["Registered-PIK1"].terms.rate == 0.0


@pytest.mark.parametrize("parent_counts_issue_day", [False, True])
def test_a_pik_note_accrues_from_the_day_after_its_issue(sample, parent_counts_issue_day):
    # Registered-PIK2, issued for the 2023-06-30 coupon, pays its first on 09-30: 30/360 from
    # 06-30 is 90 days, 140,625 x 4.5% x 90 / 360 = 1,582.03 (from 06-29, counting its issue day,
    # 91 days: 1,599.61), even where its parent counts its own issue day. It is a PIK note (kind
    # pik), not a second registered note. The VWAPs' 1:200 split is not needed here (no
    # conversion): no_split.
    terms = ASTI_2022.with_term("notes.Registered.interest_counts_issue_day", parent_counts_issue_day)
    s = run_ledger(terms, parse_events([["2023-03-15", "Interest Election", "Registered", None, "pik"]]), sample,
                   until=dt.date(2023, 10, 1), no_split=True)
    coupons = [(r["Date"].isoformat(), r["Interest PIK"]) for r in s.rows
               if r["Note"] == "Registered-PIK2" and r["Event"] == "Interest"]
    assert coupons == [("2023-09-30", 1_582.03)]
    assert s.state.notes["Registered-PIK2"].kind == "pik"


def test_interest_converted_on_the_coupon_date_leaves_nothing_to_pay_that_day(sample):
    # $100,000 of Private converted on 2023-03-31 with all its interest, 2,500,000 x 4.5% x
    # 90 / 360 = 28,125.00: that day's coupon pays nothing and writes no row (kills "amount < 0");
    # the next period runs from 03-31 (kills the period's start lost): 2,400,000 x 4.5% x 90 / 360
    # = 27,000.00 on 06-30
    s = run_ledger(ASTI_2022, parse_events([["2023-03-31", "Conversion", "Private", 100_000, "all"]]), sample,
                   until=dt.date(2023, 7, 1))
    mine = [(r["Date"].isoformat(), r["Event"], r["Interest Converted"], r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Private" and r["Date"] > dt.date(2023, 1, 1)]
    assert mine == [("2023-03-31", "Conversion", 28_125.0, None), ("2023-06-30", "Interest", None, 27_000.0)]


def test_cash_coupons_to_the_cent_even_under_a_dollar(sample):
    # Private converted down to $50.00 on 2023-01-10: the 03-31 coupon is 2,500,000 x 4.5% x
    # 10 / 360 = 3,125.00 to the conversion plus 50 x 4.5% x 80 / 360 = 0.50; the 06-30 coupon
    # 50 x 4.5% x 90 / 360 = 0.5625 -> 0.56, paid (kills a coupon of a dollar or less skipped),
    # each a whole cash row
    s = run_ledger(ASTI_2022, parse_events([["2023-01-10", "Conversion", "Private", 2_499_950, None]]), sample,
                   until=dt.date(2023, 7, 1))
    coupons = [{k: v for k, v in r.items() if v is not None and k not in _SHOWN} for r in s.rows
               if r["Note"] == "Private" and r["Event"] == "Interest"]
    cash = {"Principal After": 50.0, **_PRICES, "Detail": "interest paid in cash", "Source": "ledger"}
    assert coupons == [
        {"Date": dt.date(2022, 12, 31), "Event": "Interest", "Note": "Private", "Principal Before": 2_500_000.0,
         "Interest Accrued": 3_750.0, "Interest Paid Cash": 3_750.0, "Cash Paid": 3_750.0,
         **cash, "Principal After": 2_500_000.0},
        {"Date": dt.date(2023, 3, 31), "Event": "Interest", "Note": "Private", "Principal Before": 50.0,
         "Interest Accrued": 0.5, "Interest Paid Cash": 3_125.5, "Cash Paid": 3_125.5, **cash},
        {"Date": dt.date(2023, 6, 30), "Event": "Interest", "Note": "Private", "Principal Before": 50.0,
         "Interest Accrued": 0.56, "Interest Paid Cash": 0.56, "Cash Paid": 0.56, **cash},
    ]
