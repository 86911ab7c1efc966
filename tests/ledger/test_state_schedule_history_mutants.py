"""The ledger's state (holder views), the schedule's share-basis texts and summary columns, and
the price history: the cases the mutation run found untested (issue 16). Each test names the
mutants it kills by function and by what the mutant changes; expected values are worked out in
the comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import math

import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.ledger.history import price_history
from ascent_xl.ledger.schedule import ratio_text
from ascent_xl.samples import SAMPLE_VWAPS, data_path

ISSUES = [["2022-12-19", "Issue", "Registered", 12_500_000, "registered"],
          ["2022-12-19", "Issue", "Private", 2_500_000, "private"]]


@pytest.fixture(scope="module")
def vwaps() -> dict[str, float]:
    with open(data_path(SAMPLE_VWAPS)) as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))[1:]
    return {r[0]: float(r[1]) for r in rows}


# -- state: a holder's view ----------------------------------------------------------------------------

def test_each_holder_has_its_own_cap_and_pending_raise(terms, sample):
    # kills DealState.holder's cap_of(None) (the terms' 4.99% for everyone), cap_pending=None and
    # cap_pending.get(None): the private note's holder InvestorB cuts its cap to 4% at once; the
    # registered note's Investor gives notice of a raise to 9.99%, effective 61 days later
    two = terms.with_term("notes.Private.holder", "InvestorB")
    ev = parse_events(ISSUES + [["2023-01-10", "Amendment", "Private", None, "ownership_cap = 0.04"],
                                ["2023-01-10", "Amendment", "Registered", None, "ownership_cap = 0.0999"]])
    s = run_ledger(two, ev, sample, until=dt.date(2023, 1, 11)).state
    b = s.holder("InvestorB")
    assert b.ownership_cap == 0.04 and b.cap_pending is None
    # no shares yet: floor(0.04 x 33,930,812 / 0.96) = floor(1,413,783.8) shares of room
    assert b.headroom_shares == math.floor(0.04 * 33_930_812 / 0.96) == 1_413_783
    a = s.holder("Investor")
    assert a.ownership_cap == 0.0499  # until the raise takes effect
    assert a.cap_pending == (dt.date(2023, 1, 10) + dt.timedelta(days=61), 0.0999) == (dt.date(2023, 3, 12), 0.0999)


def test_ownership_with_no_shares_outstanding(terms, sample):
    # kills `if self.shares_outstanding or True` (a division by zero) and `else 1.0`: a Shares
    # Outstanding event of 0 leaves every holder at 0% ownership
    ev = parse_events(ISSUES + [["2023-01-10", "Shares Outstanding", None, None, 0]])
    s = run_ledger(terms, ev, sample, until=dt.date(2023, 1, 11)).state
    assert s.shares_outstanding == 0 and s.holder("Investor").ownership == 0.0


# -- schedule: split texts and the summary's columns ------------------------------------------------------

@pytest.mark.parametrize(("ratio", "text"), [
    (0.005, "1:200"),  # a 1-for-200 reverse split
    (2.0, "2:1"),  # kills `(ratio < 1) or True`: a 2-for-1 forward split
    (1.5, "1.5:1"),  # kills `ratio < 2`: 1.5 new shares per old
])
def test_ratio_text(ratio, text):
    assert ratio_text(ratio) == text


def _split_deal(terms, sample):
    # both notes convert on 2023-01-10 at 0.925 x the 3 lowest of the 10 VWAPs before it
    # (1.98834917): ceil(2,500,000 / it) = 1,257,325 and ceil(250,000 / it) = 125,733 shares;
    # then the 1:200 split of 2023-09-12
    ev = parse_events(ISSUES + [["2023-01-10", "Conversion", "Private", 2_500_000, None],
                                ["2023-01-10", "Conversion", "Registered", 250_000, None],
                                ["2023-09-12", "Split", None, None, "1:200"]])
    return run_ledger(terms, ev, sample, until=dt.date(2023, 9, 20))


def test_conversion_shares_text_adds_the_notes_on_one_basis(terms, sample):
    # kills `counts[k] = count` (the last note's count only): 1,257,325 + 125,733 = 1,383,058
    assert _split_deal(terms, sample).conversion_shares_text() == "1,383,058 before 2023-09-12; 0 from 2023-09-12"


def test_share_basis_note(terms, sample):
    # kills the "no split" text changed and the ", " between splits changed
    assert run_ledger(terms, parse_events(ISSUES), sample, until=dt.date(2023, 1, 5)).share_basis_note() == \
        "no split: shares restated = shares as issued"
    ev = parse_events(ISSUES + [["2023-09-12", "Split", None, None, "1:200"],
                                ["2023-10-02", "Split", None, None, "2:1"]])
    s = run_ledger(terms, ev, sample, until=dt.date(2023, 10, 3), no_split=True)
    assert s.share_basis_note() == "on the share basis after every split: 1:200 on 2023-09-12, 2:1 on 2023-10-02"


def test_the_summary_keeps_its_column_order_with_a_split(terms, sample):
    # kills from_records(..., columns=None) / no columns: the per-basis share columns stand where
    # Shares Issued stands without a split, not at the end
    assert list(_split_deal(terms, sample).summary().columns) == [
        "Note", "Kind", "Issue Date", "Maturity", "Principal Issued", "Principal Converted", "Principal Repaid",
        "Principal Outstanding", "Shares Issued before 2023-09-12", "Shares Issued from 2023-09-12",
        "Shares Restated", "Floor Payments", "Interest Paid Cash", "Interest PIK", "Interest Converted",
        "Premiums Paid", "Default Amounts", "Accrued Interest", "Conserved"]


# -- price history -------------------------------------------------------------------------------------

PRE_ISSUE = [["2022-12-15", "Share Reserve", None, None, 165_000_000],
             ["2022-12-16", "Amendment", None, None, "fixed_price = 2.00"],
             ["2022-12-19", "Issue", "Registered", 12_500_000, "registered"]]


def test_the_fixed_price_history_starts_with_the_first_row(terms, sample):
    # kills _step's np.clip(idx, 1, None): on 2022-12-15 (the first row, the reserve) the fixed
    # price is the deal's 3.93042; the amendment to 2.00 applies from 2022-12-16
    ev = parse_events(PRE_ISSUE)
    h = price_history(run_ledger(terms, ev, sample, until=dt.date(2023, 1, 20)), sample, ev)
    fixed = {row[0]: row[3] for row in h.rows()}
    assert fixed[dt.date(2022, 12, 15)] == 3.93042
    assert fixed[dt.date(2022, 12, 16)] == fixed[dt.date(2022, 12, 19)] == 2.00


def test_the_price_history_window_can_end_on_the_day(terms, sample, vwaps):
    # kills price_history's include_notice_day=None / left out: with the window ending on the
    # notice day, 2022-12-15's alternate price is 92.5% of the 3 lowest of the 10 VWAPs to and
    # including 2022-12-15
    on_day = terms.with_term("window_includes_notice_day", True)
    ev = parse_events(PRE_ISSUE)
    h = price_history(run_ledger(on_day, ev, sample, until=dt.date(2023, 1, 20)), sample, ev)
    days = sorted(d for d in vwaps if d <= "2022-12-15")[-10:]
    expected = 0.925 * sum(sorted(vwaps[d] for d in days)[:3]) / 3
    assert h.rows()[0][0] == dt.date(2022, 12, 15)
    assert h.rows()[0][2] == pytest.approx(expected, rel=1e-12)
