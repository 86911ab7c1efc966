"""Issue rows and the installment conversions' stop, as the mutation run of ``Ledger._issue`` and
``Ledger._convert`` (``tools/mutation.sh 'ascent_xl.ledger.engine.*_issue*'``) found them
unchecked: what an additional note takes from the terms (the first note's, with its own issue
date, kind and the facility's purchase price), the Issue row's own columns, the refusal of a
zero or sub-cent principal, the price of a note that has none of its own, and an installment on
a note with a dollar, or nothing, left. Every figure is worked out by hand in the test; each
test names the mutants it kills by what they change."""

from __future__ import annotations

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022


def _issues(schedule):
    return {r["Note"]: r for r in schedule.rows if r["Event"] == "Issue"}


def test_the_terms_notes_issue_rows_start_from_nothing_and_flag_nothing(sample):
    # Registered and Private issue on 2022-12-19 from the terms: nothing outstanding before,
    # $12,500,000 and $2,500,000 bought at 90%, and none of the additional-note facility's
    # limits apply to them (those are for additional notes: kills "check_additional_note for
    # every kind", which flags both as issued before 2023-07-17, 210 days after the agreement)
    rows = _issues(run_ledger(ASTI_2022, parse_events([]), sample))
    for name, face in (("Registered", 12_500_000), ("Private", 2_500_000)):
        row = rows[name]
        # kills the "Principal Before" key misspelt (the column left blank) and 0.0 -> 1.0
        assert row["Principal Before"] == 0.0 and row["Principal Issued"] == face
        assert row["Cash Received"] == 0.9 * face and row["Principal After"] == face
        assert row["Flags"] is None


def test_an_additional_note_takes_the_first_notes_terms_from_its_own_issue_date(sample):
    # Add1: $1,000,000 issued on 2023-08-01 under the facility, whose price is set to 85% here
    # (the first note's is 90%)
    terms = ASTI_2022.with_term("additional_notes.purchase_price_pct", 0.85)
    s = run_ledger(terms, parse_events([["2023-08-01", "Issue", "Add1", 1_000_000, None]]), sample)
    add = s.state.notes["Add1"]
    # kills "kind dropped from the terms' replace" (the note would be a registered one)
    assert add.kind == add.terms.kind == "additional"
    # kills "purchase_price_pct dropped" (0.90, the first note's)
    assert add.terms.purchase_price_pct == 0.85
    # its terms are the first note's (Registered: a 61-day cap notice, PIK notes), not the second
    # note's (Private: 60 days, interest capitalised): kills notes[0] -> notes[1]
    assert (add.terms.ownership_cap_notice_days, add.terms.pik_style) == (61, "pik_note")
    # from its own issue date (kills "issue_date dropped": it would run from 2022-12-19 and mature
    # on 2024-06-19 with the first note): 18 months from 2023-08-01 is 2025-02-01
    assert add.terms.issue_date.isoformat() == "2023-08-01" and add.maturity.isoformat() == "2025-02-01"
    interest = [r for r in s.rows if r["Event"] == "Interest" and r["Note"] == "Add1"]
    # first coupon on 2023-09-30: 30/360 from 08-01 is 30 + 29 = 59 days,
    # 1,000,000 x 4.5% x 59 / 360 = 7,375.00; the last, 12-31 to 02-01: 31 days, 3,875.00
    assert (interest[0]["Date"].isoformat(), interest[0]["Interest Paid Cash"]) == ("2023-09-30", 7_375.00)
    assert (interest[-1]["Date"].isoformat(), interest[-1]["Interest Paid Cash"]) == ("2025-02-01", 3_875.00)
    row = _issues(s)["Add1"]
    assert row["Cash Received"] == 850_000  # 1,000,000 x 0.85
    assert row["Detail"] == ("additional note issued: $1,000,000.00 principal for $850,000.00 (85%); "
                             "matures 2025-02-01")


def test_an_issue_row_for_a_note_the_terms_list_takes_its_kind_from_the_terms(sample):
    # the Private note issued by an Issue row with Value blank: a private note (kills "the
    # terms' kind never used", which calls it an additional note)
    s = run_ledger(ASTI_2022, parse_events([["2022-12-19", "Issue", "Private", None, None]]), sample)
    assert s.state.notes["Private"].kind == "private"
    assert _issues(s)["Private"]["Detail"] == ("private note issued: $2,500,000.00 principal for "
                                               "$2,250,000.00 (90%); matures 2024-06-19")


@pytest.mark.parametrize(("amount", "message"), [
    # kills "face <= 0" -> "face < 0"
    (0, r"row 1 \(2023-08-01, Issue\): Amount: the principal must be more than zero"),
    # kills the name of whole_cents' message dropped or misspelt
    (1_000.005, r"row 1 \(2023-08-01, Issue\): Amount \$1,000.005 is not a whole number of cents"),
])
def test_an_issue_of_no_principal_or_of_part_of_a_cent_is_refused_naming_the_amount(sample, amount, message):
    with pytest.raises(LedgerError, match=message):
        run_ledger(ASTI_2022, parse_events([["2023-08-01", "Issue", "Add1", amount, None]]), sample)


def test_an_additional_note_takes_the_deals_price_not_the_first_notes_own(sample):
    # Registered has a price of its own, $2.50; Add1, started from its terms, is an additional
    # note: it takes the deal's $3.93042 (kills own=in_terms dropped from note_fixed_price,
    # which gives it $2.50), and an Amendment of the deal's price to $3.00 moves it (kills
    # own=in_terms dropped from has_own_fixed_price, which keeps it at its issue price);
    # Registered keeps its $2.50
    terms = ASTI_2022.with_term("notes.Registered.own_fixed_price", 2.5)
    s = run_ledger(terms, parse_events([["2023-08-01", "Issue", "Add1", 1_000_000, None],
                                        ["2023-08-15", "Amendment", None, None, "conversion.fixed_price = 3.00"]]),
                   sample)
    assert _issues(s)["Add1"]["Fixed Price"] == 3.93042
    assert (s.state.notes["Add1"].fixed_price, s.state.notes["Registered"].fixed_price) == (3.00, 2.50)


def test_a_note_issued_with_its_own_price_below_the_floor_is_flagged_by_name(sample):
    # Private's own price $0.20 is below the $0.29 floor; the deal's $3.93042 is not: the flag
    # is the note's (kills check_prices on the deal's prices for new notes instead of the note's)
    rows = _issues(run_ledger(ASTI_2022.with_term("notes.Private.own_fixed_price", 0.20), parse_events([]), sample))
    assert rows["Private"]["Flags"] == ("below-floor: fixed price $0.20000 below the floor $0.29000 (Private): "
                                        "conversions price at the floor")
    assert rows["Registered"]["Flags"] is None


def _installments(*rows):
    """$250,000 a month of each note, at the lower of the fixed price and 92% of the lowest of the
    20 VWAPs before (as tests/ledger/test_ledger_family.py); Registered's face cut to $500,000.
    The sample VWAPs hold the 1:200 split of 2023-09-12: its Split row."""
    terms = (ASTI_2022.with_term("installment_first_month", 1).with_term("installment_discount", 0.08)
             .with_term("installment_days", 20).with_term("installment_lowest", 1)
             .with_term("installment_amount", 250_000).with_term("notes.Registered.face", 500_000))
    return [*rows, ["2023-09-12", "Split", None, None, "1:200"]], terms


def test_an_installment_converts_the_last_dollar_and_none_when_nothing_is_left(sample):
    # 01-19: the first installment converts 250,000 (test_ledger_family.py); a Conversion of
    # 02-01 then leaves $1.00. The 02-21 installment converts that dollar at 92% of 1.0048 =
    # 0.924416: 1 / 0.924416 = 1.08, rounded up to 2 shares (kills "principal <= 1" skipping it)
    rows, terms = _installments(["2023-02-01", "Conversion", "Registered", 249_999, None])
    s = run_ledger(terms, parse_events(rows), sample)
    feb = [r for r in s.rows if r["Event"] == "Installment" and r["Note"] == "Registered"][1]
    assert (feb["Date"].isoformat(), feb["Principal Before"], feb["Principal Converted"], feb["Shares Issued"]) == (
        "2023-02-21", 1.0, 1.0, 2)
    assert feb["Conversion Price"] == pytest.approx(0.92 * 1.0048, abs=1e-12)
    # converted in full on 02-01, the note still owes its interest to the 03-31 coupon (so it is
    # not closed yet): no installment after (kills "closed and principal <= 0" and "principal
    # < 0", which price an installment of $0 and refuse it). Interest: 500,000 x 4.5% x 19/360
    # = 1,187.50 to 01-19, then 250,000 x 4.5% x 12/360 = 375.00 to 02-01: 1,562.50
    rows, terms = _installments(["2023-02-01", "Conversion", "Registered", 250_000, None])
    s = run_ledger(terms, parse_events(rows), sample)
    mine = [r for r in s.rows if r["Note"] == "Registered"]
    assert [r["Date"].isoformat() for r in mine if r["Event"] == "Installment"] == ["2023-01-19"]
    coupon = next(r for r in mine if r["Event"] == "Interest" and r["Date"].isoformat() == "2023-03-31")
    assert (coupon["Principal Before"], coupon["Interest Paid Cash"]) == (0.0, 1_562.50)
