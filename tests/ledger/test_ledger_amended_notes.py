"""A note's own terms amended after issue, and the ledger's own installment rows, as the full
mutation run of 2026-12-04 found them unchecked. Every figure worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022


def _refusal(market, day, amendment, *, deal=ASTI_2022):
    """The message of the ledger's refusal of an Amendment row (``term = value``) of ``day``."""
    with pytest.raises(LedgerError) as err:
        run_ledger(deal, parse_events([[day, "Amendment", None, None, amendment]]), market)
    return str(err.value)


def test_amended_interest_months_move_the_coupons(sample):
    # Registered's coupons made half-yearly (June and December) on 2023-01-15: no March or
    # September coupon; 12-31 -> 06-30 is 180 days under 30/360, 12,500,000 x 4.5% x 180 / 360
    # = 281,250.00 (kills the interest dates not rescheduled for interest_months)
    s = run_ledger(ASTI_2022, parse_events([["2023-01-15", "Amendment", "Registered", None, "interest_months = 6, 12"]]),
                   sample, until=dt.date(2024, 1, 1))
    coupons = [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
               if r["Note"] == "Registered" and r["Event"] == "Interest"]
    assert coupons == [("2022-12-31", 18_750.0), ("2023-06-30", 281_250.0), ("2023-12-31", 281_250.0)]


def test_an_own_price_under_a_dollar_is_the_notes_own(sample):
    # Registered's own price amended to $0.50 (above the $0.29 floor): its own, so a later
    # amendment of the deal's price to $3.00 moves Private only (kills "own_fixed_price > 1")
    s = run_ledger(ASTI_2022, parse_events([["2023-01-15", "Amendment", "Registered", None, "own_fixed_price = 0.5"],
                                            ["2023-01-20", "Amendment", None, None, "conversion.fixed_price = 3.00"]]),
                   sample, until=dt.date(2023, 2, 1))
    assert {k: (n.fixed_price, n.own_price) for k, n in s.state.notes.items()} == {
        "Registered": (0.5, True), "Private": (3.0, False)}


def test_a_pik_note_follows_its_parents_own_amended_price(sample):
    # Registered pays its 03-31 coupon in a private PIK note (the equity conditions fail); its
    # own fixed price amended to $3.00 on 04-03 moves its PIK note with it (kills the PIK note's
    # price and ownership of it lost when the parent's changes)
    s = run_ledger(ASTI_2022, parse_events([["2023-03-15", "Interest Election", "Registered", None, "pik"],
                                            ["2023-04-03", "Amendment", "Registered", None, "fixed_price = 3.00"]]),
                   sample, until=dt.date(2023, 4, 4))
    assert {k: (n.fixed_price, n.own_price) for k, n in s.state.notes.items()} == {
        "Registered": (3.0, True), "Private": (3.93042, False), "Registered-PIK1": (3.0, True)}


def test_installment_rows_are_the_ledgers_own(sample):
    # the monthly installments (tests/ledger/test_ledger_family.py) come from the terms: their
    # Source says ledger (kills the row's place dropped)
    terms = (ASTI_2022.with_term("installment_first_month", 1).with_term("installment_discount", 0.08)
             .with_term("installment_days", 20).with_term("installment_lowest", 1)
             .with_term("installment_amount", 250_000))
    s = run_ledger(terms, parse_events([["2023-09-12", "Split", None, None, "1:200"]]), sample,
                   until=dt.date(2023, 3, 1))
    rows = [r for r in s.rows if r["Event"] == "Installment"]
    assert [(r["Date"].isoformat(), r["Note"], r["Source"]) for r in rows] == [
        ("2023-01-19", "Registered", "ledger"), ("2023-01-19", "Private", "ledger"),
        ("2023-02-21", "Registered", "ledger"), ("2023-02-21", "Private", "ledger")]


def test_a_coupon_of_the_amended_months_on_the_amendments_day_is_paid(sample):
    # the Private note's coupons amended on 2023-03-31 to March and September: an amendment
    # applies before that day's interest, and 03-31 is a coupon date of the amended terms too, so
    # it is paid that day: 2,500,000 x 4.5% x 90/360 (12-31 -> 03-31, 30/360) = 28,125.00, then
    # 09-30 six months later, 56,250.00. (It was dropped with the old schedule, and its interest
    # paid on 09-30 with the next: 84,375.00.) Kills _schedule_dates' `d > after` as `>=` too.
    s = run_ledger(ASTI_2022, parse_events([["2023-03-31", "Amendment", None, None, "notes.Private.interest_months = 3, 9"]]),
                   sample, until=dt.date(2023, 12, 31))
    coupons = [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
               if r["Note"] == "Private" and r["Event"] == "Interest"]
    # 12-19 -> 12-31, 12 days: 2,500,000 x 4.5% x 12/360 = 3,750.00
    assert coupons == [("2022-12-31", 3_750.0), ("2023-03-31", 28_125.0), ("2023-09-30", 56_250.0)]
    # amended the day after the March coupon: the same coupons, 03-31 paid once
    s = run_ledger(ASTI_2022, parse_events([["2023-04-01", "Amendment", None, None, "notes.Private.interest_months = 3, 9"]]),
                   sample, until=dt.date(2023, 12, 31))
    assert [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Private" and r["Event"] == "Interest"] == coupons
    # amended to June and December on a March coupon date, the March coupon is not one any more
    s = run_ledger(ASTI_2022, parse_events([["2023-03-31", "Amendment", None, None, "notes.Private.interest_months = 6, 12"]]),
                   sample, until=dt.date(2023, 12, 31))
    coupons = [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
               if r["Note"] == "Private" and r["Event"] == "Interest"]
    assert coupons == [("2022-12-31", 3_750.0), ("2023-06-30", 56_250.0), ("2023-12-31", 56_250.0)]


def test_a_maturity_amended_into_the_past_is_refused(sample):
    # 2022-12-19 + 3 months = 2023-03-19, before the amendment of 2023-04-19: refused (the
    # maturity row was dated 03-19 after the 03-31 coupon, out of order); 4 months, 2023-04-19,
    # matures that day: 19 days of interest, 2,500,000 x 4.5% x 19/360 = 5,937.50, and the principal
    assert _refusal(sample, "2023-04-19", "notes.Private.maturity_months = 3") == (
        "row 1 (2023-04-19, Amendment): notes.Private.maturity_months = 3: Private would mature "
        "on 2023-03-19, before this amendment; a note cannot be matured in the past (date the "
        "amendment on or before that day, or give more months)")
    s = run_ledger(ASTI_2022, parse_events([["2023-04-19", "Amendment", None, None, "notes.Private.maturity_months = 4"]]),
                   sample, until=dt.date(2023, 12, 31))
    last = [(r["Date"].isoformat(), r["Event"], r["Cash Paid"]) for r in s.rows if r["Note"] == "Private"][-2:]
    assert last == [("2023-04-19", "Interest", 5_937.50), ("2023-04-19", "Maturity", 2_500_000.0)]


def test_a_pik_note_keeps_its_parents_maturity_when_that_is_amended(sample, sample_events):
    # PIK notes have the same maturity as their note (deal terms, interest in kind). The sample
    # deal's Registered-PIK1 (a private PIK note of 2023-03-31, 129,097.50 at 4.5%) matured with
    # Registered on 2024-06-19; Registered's maturity amended on 2023-05-01 to 24 months,
    # 2024-12-19, the PIK note now matures with it (it was repaid on 2024-06-19 still)
    events = [e for e in sample_events if e.date <= dt.date(2023, 4, 3)] + parse_events(
        [["2023-05-01", "Amendment", None, None, "notes.Registered.maturity_months = 24"],
         ["2023-09-12", "Split", None, None, "1:200"]])
    s = run_ledger(ASTI_2022, events, sample)
    assert [(r["Date"].isoformat(), r["Note"], r["Cash Paid"]) for r in s.rows if r["Event"] == "Maturity"] == [
        ("2024-06-19", "Private", 2_528_125.0), ("2024-12-19", "Registered", 9_753_788.0),
        ("2024-12-19", "Registered-PIK1", 129_097.50)]
    pik = [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
           if r["Note"] == "Registered-PIK1" and r["Event"] == "Interest"]
    # its coupons run on to the new maturity: 129,097.50 x 4.5% x 90/360 = 1,452.35 a quarter
    # (cash, as elected on 2023-04-03), then 09-30 -> 12-19, 79 days: 1,274.84
    assert pik[-3:] == [("2024-06-30", 1_452.35), ("2024-09-30", 1_452.35), ("2024-12-19", 1_274.84)]
    assert s.state.notes["Registered-PIK1"].maturity == dt.date(2024, 12, 19)


def test_a_private_pik_note_follows_its_parents_amended_rate(sample, sample_events):
    # a private PIK note is the note's interest capitalised (deal terms): at the note's rate. The
    # sample deal's Registered-PIK1 (129,097.50 from 2023-03-31) after Registered's rate is
    # amended to 6% on 2023-05-01: 03-31 -> 05-01 at 4.5%, 31 days of 30/360, 500.25; 05-01 ->
    # 06-30 at 6%, 59 days, 129,097.50 x 6% x 59/360 = 1,269.46; paid together on 06-30,
    # 1,769.71; then 90 days at 6%: 1,936.46 (it stayed at 4.5%: 1,452.35)
    from ascent_xl.valuation.start import deal_start

    events = [e for e in sample_events if e.date <= dt.date(2023, 4, 3)] + parse_events(
        [["2023-05-01", "Amendment", None, None, "notes.Registered.rate = 0.06"]])
    s = run_ledger(ASTI_2022, events, sample, until=dt.date(2023, 9, 30))
    pik = [(r["Date"].isoformat(), r["Interest Accrued"], r["Cash Paid"]) for r in s.rows
           if r["Note"] == "Registered-PIK1" and r["Event"] == "Interest"]
    assert pik == [("2023-06-30", 1_269.46, 1_769.71), ("2023-09-30", 1_936.46, 1_936.46)]
    # the valuation reads it as the note's principal again (it refused a PIK note at 4.5% of a
    # note at 6%): 9,753,788.00 + 129,097.50
    start = deal_start(ASTI_2022, events, sample, as_of=dt.date(2023, 6, 1))
    assert (start.notes[0].principal, start.notes[0].private_pik) == (9_882_885.50, 129_097.50)


def test_a_rate_amended_from_or_to_zero_adds_or_ends_the_coupons(sample):
    # Private without a coupon, its rate amended to 6% on 2023-02-01: coupons from 03-31, 30/360
    # (bond basis) 02-01 -> 03-31 60 days, 2,500,000 x 6% x 60/360 = 25,000.00, then 37,500.00 a
    # quarter (there were none: no coupon dates had been queued for a note at 0%)
    s = run_ledger(ASTI_2022.with_term("notes.Private.rate", 0.0),
                   parse_events([["2023-02-01", "Amendment", None, None, "notes.Private.rate = 0.06"]]),
                   sample, until=dt.date(2023, 12, 31))
    assert [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Private" and r["Event"] == "Interest"] == [
        ("2023-03-31", 25_000.0), ("2023-06-30", 37_500.0), ("2023-09-30", 37_500.0), ("2023-12-31", 37_500.0)]
    # Private's 4.5% cut to 0 on 2023-02-01: the interest to then, 12-31 -> 02-01, 31 days,
    # 2,500,000 x 4.5% x 31/360 = 9,687.50, is paid on its coupon date, 03-31 (not at maturity);
    # no coupon after it
    s = run_ledger(ASTI_2022, parse_events([["2023-02-01", "Amendment", None, None, "notes.Private.rate = 0"]]),
                   sample, until=dt.date(2024, 6, 30))
    rows = [(r["Date"].isoformat(), r["Event"], r["Interest Paid Cash"], r["Cash Paid"]) for r in s.rows
            if r["Note"] == "Private" and r["Event"] in ("Interest", "Maturity")]
    assert rows == [("2022-12-31", "Interest", 3_750.0, 3_750.0), ("2023-03-31", "Interest", 9_687.50, 9_687.50),
                    ("2024-06-19", "Maturity", None, 2_500_000.0)]


def test_a_registered_pik_note_follows_an_amended_pik_note_rate(sample):
    # Registered's 12-31 coupon, 12,500,000 x 4.5% x 12/360 = 18,750.00, paid in a registered
    # PIK note at 0% (the equity conditions hold); pik_note_rate amended to 2% on 2023-01-15:
    # 01-15 -> 03-31, 75 days, 18,750 x 2% x 75/360 = 78.13 (in cash, a registered PIK note's
    # interest), then 93.75 a quarter
    s = run_ledger(ASTI_2022, parse_events([["2022-12-20", "Interest Election", "Registered", None, "pik"],
                                            ["2023-01-15", "Amendment", None, None, "notes.Registered.pik_note_rate = 0.02"]]),
                   sample, until=dt.date(2023, 6, 30))
    assert [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Registered-PIK1" and r["Event"] == "Interest"] == [("2023-03-31", 78.13), ("2023-06-30", 93.75)]
    # Registered's own coupons and its private PIK notes keep the note's 4.5%
    assert {n.name: n.terms.rate for n in s.state.notes.values()} == {
        "Registered": 0.045, "Private": 0.045, "Registered-PIK1": 0.02, "Registered-PIK2": 0.045, "Registered-PIK3": 0.045}


@pytest.mark.parametrize(("term", "value", "hint"), [
    ("face", "3000000", " (principal moves by events: Conversion, Prepayment, an Issue row of a new note)"),
    ("issue_date", "2023-01-05", ""), ("purchase_price_pct", "0.8", ""), ("kind", "registered", ""),
    ("stated_value", "1000", ""), ("interest_counts_issue_day", "true", "")])
def test_what_a_note_is_as_issued_cannot_be_amended_after_its_issue(sample, term, value, hint):
    # the row said e.g. "notes.Private.face: 2500000 -> 3000000.0" and the note stayed as
    # issued (a name raised a bare KeyError)
    assert _refusal(sample, "2023-02-01", f"notes.Private.{term} = {value}") == (
        f"row 1 (2023-02-01, Amendment): notes.Private.{term}: fixed when Private was issued on "
        f"2022-12-19; an amendment cannot change it{hint}")


def test_a_note_not_issued_yet_is_issued_on_its_amended_face(tmp_path, sample):
    # Tranche2, issued 2023-02-17 by the terms, its face amended on 2023-02-01 to 1,000,000
    from ascent_xl.terms_io import load_terms
    from tests.ledger.test_ledger_amend_fixed_price import _TERMS

    path = tmp_path / "tranches.toml"
    path.write_text(_TERMS)
    s = run_ledger(load_terms(path), parse_events([["2023-02-01", "Amendment", None, None, "notes.Tranche2.face = 1000000"]]),
                   sample, until=dt.date(2023, 2, 28))
    (issue,) = [r for r in s.rows if r["Event"] == "Issue" and r["Note"] == "Tranche2"]
    assert (issue["Date"], issue["Principal After"]) == (dt.date(2023, 2, 17), 1_000_000)


def test_an_amended_warrant_price_is_the_price_warrants_are_exercised_at(sample):
    # the warrants' exercise price amended to $2.00 on 2023-01-04: 100,000 exercised for cash on
    # 01-05 bring 100,000 x 2.00 = $200,000.00 (they were exercised at the $3.93 of the terms)
    s = run_ledger(ASTI_2022, parse_events([["2023-01-04", "Amendment", None, None, "warrants.exercise_price = 2.00"],
                                            ["2023-01-05", "Warrant Exercise", None, 100_000, "cash"]]),
                   sample, until=dt.date(2023, 1, 6))
    (row,) = [r for r in s.rows if r["Event"] == "Warrant Exercise"]
    assert (row["Cash Received"], row["Detail"]) == (200_000.00, "Investor: 100,000 warrant shares for cash at $2.0000")
    assert s.state.warrant_price == 2.00


@pytest.mark.parametrize(("term", "value", "how"), [
    ("shares_outstanding", "40000000", " (the share count moves by conversions, exercises and Dilutive Issue rows; a "
                                       "Shares Outstanding row states it)"),
    ("warrants.shares", "1000000", " (warrants are exercised by Warrant Exercise rows)"),
    ("agreement_date", "2022-12-01", ""), ("warrants.issue_date", "2022-12-01", ""), ("calendar", "XNYS", "")])
def test_what_the_deal_was_at_the_agreement_cannot_be_amended(sample, term, value, how):
    # each was accepted ("shares_outstanding: 33930812 -> 40000000") and changed nothing
    assert _refusal(sample, "2023-01-04", f"{term} = {value}") == f"row 1 (2023-01-04, Amendment): {term}: fixed by the agreement; an amendment cannot change it{how}"


_TRIGGER = (ASTI_2022.with_term("trigger_window", 5).with_term("trigger_price", 1.0).with_term("trigger_days", 3)
            .with_term("trigger_cure_days", 5).with_term("trigger_delay_days", 2).with_term("trigger_payment", 500_000)
            .with_term("trigger_premium", 1.05))


@pytest.mark.parametrize(("deal", "term", "value", "what", "when"), [
    (ASTI_2022, "redemption.trigger_price", "1.0", "price-triggered monthly payments", "the ledger starts"),
    (_TRIGGER, "redemption.trigger_days", "2", "price-triggered monthly payments", "the ledger starts"),
    (ASTI_2022, "conversion.installment_amount", "250000", "monthly installments", "the notes are issued"),
    (ASTI_2022, "conversion.price_reset_days", "90", "price resets", "the notes are issued")])
def test_terms_that_date_the_schedule_cannot_be_amended_once_it_is_dated(sample, deal, term, value, what, when):
    # each was accepted and nothing came of it: no payments, installments or resets were dated
    assert _refusal(sample, "2023-01-04", f"{term} = {value}", deal=deal) == (
        f"row 1 (2023-01-04, Amendment): {term}: the {what} are dated in the schedule when {when}; "
        "an amendment cannot add, move or end them: give the term in the deal's terms")


def test_what_each_payment_reads_can_be_amended(sample):
    # the trigger payment's amount is read on each payment: amended to 100,000 on 2023-01-04, the
    # five payments of 02-27 to 06-27 (the trigger of the sample's VWAPs, see test_ledger_family)
    # pay 100,000 each
    s = run_ledger(_TRIGGER, parse_events([["2023-01-04", "Amendment", None, None, "redemption.trigger_payment = 100000"]]),
                   sample, until=dt.date(2023, 6, 30))
    assert [(r["Date"].isoformat(), r["Principal Repaid"]) for r in s.rows if r["Event"] == "Prepayment"] == [
        (f"2023-0{m}-27", 100_000) for m in range(2, 7)]


def test_a_pik_note_follows_its_notes_amended_coupon_months(sample, sample_events):
    # Registered's coupons made half-yearly on 2023-05-01: its private PIK note Registered-PIK1
    # (129,097.50 at 4.5% from 2023-03-31) pays with it on 06-30 and 12-31, not on 09-30:
    # 03-31 -> 06-30, 90 days, 1,452.35; 06-30 -> 12-31, 180 days, 2,904.69 (129,097.50 x 4.5%
    # x 180/360 = 2,904.69375)
    events = [e for e in sample_events if e.date <= dt.date(2023, 4, 3)] + parse_events(
        [["2023-05-01", "Amendment", None, None, "notes.Registered.interest_months = 6, 12"]])
    s = run_ledger(ASTI_2022, events, sample, until=dt.date(2023, 12, 31))
    assert [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Registered-PIK1" and r["Event"] == "Interest"] == [("2023-06-30", 1_452.35),
                                                                               ("2023-12-31", 2_904.69)]
    assert s.state.notes["Registered-PIK1"].terms.interest_months == (6, 12)


def test_interest_under_a_dollar_before_a_cut_to_zero_is_paid_on_its_date(sample):
    # Private converted on 2023-01-03 but $100.00, its interest with it (Value all); on 01-13 its
    # rate is cut to 0: $100 x 4.5% x 10/360 = 0.125 -> 0.13 accrued, paid on the 03-31 coupon
    # date (kills the coupon dates queued only above a dollar accrued)
    s = run_ledger(ASTI_2022, parse_events([["2023-01-03", "Conversion", "Private", 2_499_900, "all"],
                                            ["2023-01-13", "Amendment", None, None, "notes.Private.rate = 0"]]),
                   sample, until=dt.date(2023, 12, 31))
    assert [(r["Date"].isoformat(), r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Private" and r["Event"] == "Interest"] == [("2022-12-31", 3_750.0), ("2023-03-31", 0.13)]


@pytest.mark.parametrize("day", ["2022-12-19", "2023-02-01"])
def test_a_notes_name_cannot_be_amended(sample, day):
    # before the note's issue on its issue day too (an Amendment comes before that day's Issue):
    # renamed there, the terms' own Issue row met a note the terms no longer had (a bare KeyError)
    assert _refusal(sample, day, "notes.Private.name = Foo") == (
        f"row 1 ({day}, Amendment): notes.Private.name: a note's name is how the events and "
        "the terms name it; an amendment cannot change it (rename the note in the terms file "
        "and in the events)")


def test_an_installment_amount_amended_between_nonzero_amounts_is_read_each_month(sample):
    # installments of 250,000 a month from 2023-01-19 (tests/ledger/test_ledger_family.py), the
    # amount amended to 100,000 on 2023-02-01: not refused (only from or to 0 dates anew); the
    # 02-21 installment converts 100,000 at 92% of the lowest of the 20 VWAPs before, 1.0048:
    # 100,000 / 0.924416 = 108,176.9 -> 108,177 shares (rounded up)
    terms = (ASTI_2022.with_term("installment_first_month", 1).with_term("installment_discount", 0.08)
             .with_term("installment_days", 20).with_term("installment_lowest", 1)
             .with_term("installment_amount", 250_000))
    s = run_ledger(terms, parse_events([["2023-02-01", "Amendment", None, None, "conversion.installment_amount = 100000"]]),
                   sample, until=dt.date(2023, 2, 28))
    rows = [r for r in s.rows if r["Event"] == "Installment" and r["Note"] == "Registered"]
    assert [(r["Date"].isoformat(), r["Principal Converted"]) for r in rows] == [("2023-01-19", 250_000),
                                                                                ("2023-02-21", 100_000)]
    assert rows[1]["Shares Issued"] == 108_177


def test_a_trigger_amended_before_the_notes_issue_is_refused_too(sample):
    # on the closing day an Amendment comes before the Issue rows: no note is issued yet, but the
    # price-triggered payments were dated when the ledger started
    assert _refusal(sample, "2022-12-19", "redemption.trigger_price = 1.0") == (
        "row 1 (2022-12-19, Amendment): redemption.trigger_price: the price-triggered monthly "
        "payments are dated in the schedule when the ledger starts; an amendment cannot add, "
        "move or end them: give the term in the deal's terms")
