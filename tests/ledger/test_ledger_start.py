"""How a ledger starts and where a cursor may stop: the fixed price from the terms, from a stated
average or from the VWAPs; the split guard on by default (for Ledger, LedgerCursor and
run_ledger alike); a cursor refusing a stop before the last, also on the same day. Figures by
hand from the terms (ASTI_2022: 130% of the average of the 5 VWAPs before the closing) and the
sample CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import EventKind, parse_events
from ascent_xl.ledger import Ledger, LedgerCursor, run_ledger
from ascent_xl.presets import ASTI_2022
from tests.helpers.sample_csv import days_before, sample_vwaps

BLANK = ASTI_2022.with_term("fixed_price", None)  # the stated average 3.0234 kept
NO_PRICE = BLANK.with_term("fixed_price_average", None)  # nothing stated: the VWAPs must give it


def _fixed(schedule):
    return schedule.rows[0]["Fixed Price"]


def test_a_stated_fixed_price_needs_no_vwaps():
    # kills Ledger.__init__ mutant 6 (the refusal asked when the fixed price is stated)
    assert _fixed(run_ledger(ASTI_2022, [], None)) == 3.93042


def test_a_stated_average_needs_no_vwaps():
    # kills mutant 5 (refused when only the fixed price is blank): 1.30 x 3.0234 = 3.93042
    assert _fixed(run_ledger(BLANK, [], None)) == pytest.approx(1.30 * 3.0234, abs=1e-12)


def test_without_a_price_or_vwaps_the_ledger_says_what_to_give():
    # kills mutant 7 (the refusal skipped: the pricing's own message, wrapped, instead)
    with pytest.raises(LedgerError) as err:
        run_ledger(NO_PRICE, [], None)
    assert str(err.value) == "conversion.fixed_price is blank: give VWAPs to compute it, or set it"


def test_without_a_stated_price_the_vwaps_give_it(sample):
    # kills mutants 8 (refused with VWAPs given) and 11 (the VWAPs not passed on): 130% of the
    # average of the 5 VWAPs before the 2022-12-19 closing, from the CSV
    vwaps = sample_vwaps()
    days = days_before("2022-12-19", 5)
    expected = 1.30 * sum(vwaps[d] for d in days) / 5
    assert expected == pytest.approx(3.93042, abs=5e-6)
    assert _fixed(run_ledger(NO_PRICE, [], sample)) == pytest.approx(expected, abs=1e-12)


CROSSING = [["2023-09-20", "Conversion", "Private", 10_000, None]]  # the sample's 1:200 jump of 09-12, no Split row


@pytest.mark.parametrize("how", ["Ledger", "LedgerCursor"])
def test_the_split_guard_is_on_unless_asked_off(sample, how):
    # kills Ledger.__init__ mutant 1 and LedgerCursor.__init__ mutant 1 (no_split on by default)
    events = parse_events(CROSSING)

    def go(**kw):
        if how == "Ledger":
            return Ledger(ASTI_2022, sample, **kw).run(events)
        return LedgerCursor(ASTI_2022, events, sample, **kw).to(None)

    with pytest.raises(LedgerError, match=r"^row 1 \(2023-09-20, Conversion\): notice date 2023-09-20: the VWAP "
                       r"jumps from \$0\.0561 on 2023-09-11 to \$11\.1688 on 2023-09-12 \(x199\.1\)"):
        go()
    # said real (no_split): priced across it, at the floor $0.29: 10,000 / 0.29 = 34,482.8 -> 34,483
    row = next(r for r in go(no_split=True).rows if r["Event"] == "Conversion")
    assert (row["Conversion Price"], row["Shares Issued"]) == (0.29, 34_483)


def test_a_cursor_refuses_a_stop_earlier_on_the_same_day(sample):
    # kills LedgerCursor._advance mutants 3 and 5 (the check without the stop's `before`): at the
    # end of 2023-01-10, after its conversion, the state before that day's conversions is behind
    cursor = LedgerCursor(ASTI_2022, parse_events([["2023-01-10", "Conversion", "Registered", 100_000, None]]), sample)
    assert cursor.to(dt.date(2023, 1, 10)).state.total_principal == 15_000_000 - 100_000
    assert not cursor.can_reach(dt.date(2023, 1, 10), EventKind.CONVERSION)
    with pytest.raises(LedgerError) as err:
        cursor.state_to(dt.date(2023, 1, 10), before=EventKind.CONVERSION)
    assert str(err.value) == "the ledger stands after 2023-01-10 already; start it again for an earlier stop"
    # a later stop is fine: the same state, nothing applied twice
    assert cursor.state_to(dt.date(2023, 1, 11)).total_principal == 14_900_000


def test_the_notes_the_terms_list_are_issued_with_source_terms(sample):
    # kills Ledger.start mutants 15, 21-23 (the Issue rows' Source blank or misspelt): the
    # Schedule's Source column says where a row comes from; an Issue row of the events overrides
    events = parse_events([["2022-12-19", "Issue", "Private", 2_000_000, "private"]])
    rows = [r for r in run_ledger(ASTI_2022, events, sample).rows if r["Event"] == "Issue"]
    assert [(r["Note"], r["Principal After"], r["Source"]) for r in rows] == [
        ("Registered", 12_500_000, "terms"), ("Private", 2_000_000, "row 1")]


def test_a_cursors_schedule_carries_the_terms_as_amended(sample):
    # kills Ledger.snapshot mutant 2 (the copy without its terms): the floor amended to 0.20 on
    # 2023-03-29 is the snapshot's terms' floor
    events = parse_events([["2023-03-29", "Amendment", None, None, "floor_price = 0.20"]])
    cursor = LedgerCursor(ASTI_2022, events, sample)
    assert cursor.to(dt.date(2023, 3, 28)).terms.conversion.floor_price == 0.29
    assert cursor.to(dt.date(2023, 3, 29)).terms.conversion.floor_price == 0.20


def test_an_amended_note_keeps_the_date_and_principal_it_was_issued_with(sample):
    """Kills Ledger._apply_amendment mutants 39 and 40 (the amended note's terms taken back to the
    terms' issue date or face): Private issued by an Issue row on 2023-01-17 for 2,000,000 (the
    terms say 2022-12-19 and 2,500,000), its maturity then amended to 24 months."""
    from ascent_xl.valuation.start import deal_start

    events = parse_events([["2023-01-17", "Issue", "Private", 2_000_000, "private"],
                           ["2023-02-01", "Amendment", None, None, "notes.Private.maturity_months = 24"],
                           ["2023-09-12", "Split", None, None, "1:200"]])
    rows = [r for r in run_ledger(ASTI_2022, events, sample).rows if r["Note"] == "Private"]
    # 24 months from its own issue: 2025-01-17 (from the terms' date it would be 2024-12-19);
    # the last coupon 12-31 to 01-17, 17 days of 30/360: 2,000,000 x 4.5% x 17 / 360 = 4,250.00
    last, maturity = rows[-2], rows[-1]
    assert (last["Event"], last["Date"], last["Interest Paid Cash"]) == ("Interest", dt.date(2025, 1, 17), 4_250.00)
    assert (maturity["Event"], maturity["Date"], maturity["Cash Paid"]) == ("Maturity", dt.date(2025, 1, 17), 2_000_000)
    # the valuation reads the note's terms: its face is the 2,000,000 issued
    start = deal_start(ASTI_2022, events, sample, as_of=dt.date(2023, 2, 1))
    private = next(n for n in start.notes if n.name == "Private")
    assert (private.face, private.maturity) == (2_000_000, dt.date(2025, 1, 17))


@pytest.mark.parametrize(("note", "what"), [("Registered-PIK1", "a PIK note of Registered"),
                                            ("Add1", "an additional note"), ("Extra", "a registered note")])
def test_a_note_outside_the_terms_is_told_what_naming_it_amends(sample, note, what):
    """Kills Ledger._amended_term mutant 9 (a note outside the terms read as in them). A PIK note
    (the sample deal's Registered-PIK1, of 2023-03-31) or an additional note has no terms of its
    own among the deal's: its maturity cannot be amended by naming it (the message said
    'ambiguous term name; say which: notes.Private..., notes.Registered...', which would amend
    another note); its own fixed price can."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    events = [e for e in events_from_csv(data_path(SAMPLE_EVENTS)) if e.date <= dt.date(2023, 4, 3)]
    events += parse_events([["2023-04-04", "Issue", "Add1", 1_000_000, "additional"],
                            ["2023-04-04", "Issue", "Extra", 500_000, "registered"]])  # outside the terms
    with pytest.raises(LedgerError) as err:
        run_ledger(ASTI_2022, events + parse_events([["2023-04-05", "Amendment", note, None, "maturity_months = 24"]]),
                   sample, until=dt.date(2023, 4, 5))
    assert str(err.value) == (f"row 1 (2023-04-05, Amendment): {note} is {what}: its terms were set at its issue "
                              "and are not among the deal's terms to amend; naming it amends only its own floor_price "
                              "or fixed_price")
    s = run_ledger(ASTI_2022, events + parse_events([["2023-04-05", "Amendment", note, None, "fixed_price = 0.30"]]),
                   sample, until=dt.date(2023, 4, 5))
    assert s.rows[-1]["Detail"] == f"{note}: conversion.fixed_price 3.93042 -> 0.3"
    assert s.state.notes[note].fixed_price == 0.30


def test_a_demand_before_the_alternate_price_starts_is_priced_at_the_fixed_price(sample):
    """Kills Ledger._conversion_price mutant 18 (the alternate price taken when it does not
    apply): with the alternate price from day 60 after the issue, a demand on 2023-01-20 (day
    32) prices at the fixed $3.93042, not at 92.5% of the 3 lowest of the 10 VWAPs before."""
    terms = ASTI_2022.with_term("alternate_price_start_days", 60)
    s = run_ledger(terms, parse_events([["2023-01-20", "Default", None, None, "demand"]]), sample,
                   until=dt.date(2023, 1, 25))
    rows = [r for r in s.rows if r["Event"] == "Default"]
    assert [(r["Note"], r["Conversion Price"]) for r in rows] == [("Registered", 3.93042), ("Private", 3.93042)]
    # the VWAP of 2023-01-20, from the CSV
    assert rows[0]["Detail"] == (f"mandatory default amount demanded: price $3.93042, VWAP ${sample_vwaps()['2023-01-20']:.4f} "
                                 "on the demand date; payment date to come (a Default row with Value pay)")


def test_a_demand_across_a_split_jump_names_the_demand_date(sample):
    # kills Ledger._conversion_price mutant 12 (the guard's message naming a notice date)
    with pytest.raises(LedgerError) as err:
        run_ledger(ASTI_2022, parse_events([["2023-09-20", "Default", None, None, "demand"]]), sample)
    assert str(err.value).startswith("row 1 (2023-09-20, Default): demand date 2023-09-20: the VWAP jumps from "
                                     "$0.0561 on 2023-09-11 to $11.1688 on 2023-09-12 (x199.1)")


def test_every_flag_names_the_schedule_row_that_raised_it(sample, sample_events):
    # kills Ledger._row mutant 150 (the flag's row index lost): on the sample deal, each flag's
    # row is a row of its date whose Flags column holds it
    s = run_ledger(ASTI_2022, sample_events, sample)
    assert len(s.flags) == 10  # the Summary: default 2, cap 1, equity 1, below-floor 1, min-cash 5
    for f in s.flags:
        row = s.rows[f.row]
        assert row["Date"] == f.date and str(f) in row["Flags"], f


def test_a_position_across_a_split_jump_is_priced_only_when_said_real(sample):
    """Kills deal_state mutants 9 and 14 (``no_split`` not passed to the ledger): no Split row for
    the sample's 1:200 jump of 2023-09-12, so on 2023-09-20 the conversion is not priced and the
    flags say why; said real (``no_split``), the Private note prices at the $0.29 floor."""
    from ascent_xl.ledger import deal_state

    refused = deal_state(ASTI_2022, sample, [], as_of="2023-09-20")
    assert refused.note("Private").conversion_price is None
    assert refused.flags[-1].startswith("split-jump: notice date 2023-09-20: the VWAP jumps from $0.0561 on "
                                        "2023-09-11 to $11.1688 on 2023-09-12 (x199.1)")
    real = deal_state(ASTI_2022, sample, [], as_of="2023-09-20", no_split=True)
    assert (real.note("Private").conversion_price, real.flags) == (0.29, ())
    # and the ledger's own conversions across it, said real: $10,000 at the floor, 34,483 shares
    # (10,000 / 0.29 = 34,482.8, rounded up), where without no_split the ledger refuses the row
    converted = deal_state(ASTI_2022, sample, parse_events(CROSSING), as_of="2023-09-20", no_split=True)
    assert converted.note("Private").shares_issued_restated == 34_483
