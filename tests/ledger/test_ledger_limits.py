"""The ledger's limits at their boundaries, and the exact flags and details it writes.

Each test names the mutants of tools/mutation.sh it kills (mutmut's names, without the module
prefix): a limit compared with >= instead of >, a flag code or text changed, a sum taken the
wrong way. Every expected figure is worked out in the comments from the deal's terms
(ascent_xl/presets.py, read in /work/shared/deal-terms.md) and the sample CSV's rows.
"""

from __future__ import annotations

import math

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from tests.helpers.sample_csv import days_before, lowest_mean_before, sample_rows, sample_vwaps


@pytest.fixture()
def run(terms, sample):
    def go(rows, market=sample, deal=terms):
        return run_ledger(deal, parse_events(rows), market)
    return go


def one(s, event, note=None):
    found = [r for r in s.rows if r["Event"] == event and (note is None or r["Note"] == note)]
    assert len(found) == 1, (event, note, found)
    return found[0]


def flags_on(s, day):
    return [(f.code, f.reason) for f in s.flags if str(f.date) == day]


# -- additional notes (checks.check_additional_note) -------------------------------------------

PREPAID = [["2023-06-01", "Prepayment", "Registered", None, None],
           ["2023-06-01", "Prepayment", "Private", None, None]]  # no note outstanding after


def test_additional_note_limits_are_inclusive(run):
    """Kills check_additional_note mutants 6, 8, 9, 14, 16-18, 20, 21, 25, 27, 28, 31, 33-36,
    38-40, 45, 49, 50: each limit is allowed exactly (the flag comes only above it), each flag's
    code is "additional" and its text exact, the equity flag names "an additional note"."""
    s = run([*PREPAID,
             # 2022-12-19 + 210 days = 2023-07-17: allowed from that day; $1,000,000 in July is the
             # monthly limit itself (no consent needed); nothing outstanding before it
             ["2023-07-17", "Issue", "Add1", 1_000_000, "additional"],
             # 30 days after the last one: the minimum itself
             ["2023-08-16", "Issue", "Add2", 1_000_000, "additional"],
             # $2,000,000 in September: above $1,000,000 (consent), the maximum itself (allowed);
             # $2,000,000 outstanding before (Add1 + Add2): the limit itself
             ["2023-09-15", "Issue", "Add3", 2_000_000, "additional"],
             # $31,000,000 in October: above the maximum; $4,000,000 outstanding before; the total
             # 1 + 1 + 2 + 31 = $35,000,000 is the total limit itself
             ["2023-10-16", "Issue", "Add4", 31_000_000, "additional"],
             # one more dollar: $35,000,001 in all, above the total
             ["2023-11-15", "Issue", "Add5", 1, "additional"]])
    # the sample's market caps are below $75M on every one of the 20 sessions before each issue
    rows = sample_rows()
    for day in ("2023-07-17", "2023-08-16", "2023-09-15", "2023-10-16", "2023-11-15"):
        assert sum(rows[d][2] >= 75_000_000 for d in days_before(day, 20)) == 0
    equity = ("equity", "equity conditions not met for an additional note: market cap at the minimum on only 0 days")
    assert flags_on(s, "2023-07-17") == [equity]
    assert flags_on(s, "2023-08-16") == [equity]
    assert flags_on(s, "2023-09-15") == [
        ("additional", "$2,000,000 in Sep 2023 above $1,000,000: needs the investor's consent"), equity]
    assert flags_on(s, "2023-10-16") == [
        ("additional", "$31,000,000 in Oct 2023 above the $2,000,000 monthly maximum"),
        ("additional", "$4,000,000 of notes outstanding before the issue (at most $2,000,000)"), equity]
    assert flags_on(s, "2023-11-15") == [
        ("additional", "$35,000,001 of additional notes above the $35,000,000 total"),
        ("additional", "$35,000,000 of notes outstanding before the issue (at most $2,000,000)"), equity]
    # the row shows the same flags, code: reason, joined by "; "
    assert one(s, "Issue", "Add3")["Flags"] == (
        "additional: $2,000,000 in Sep 2023 above $1,000,000: needs the investor's consent; "
        "equity: equity conditions not met for an additional note: market cap at the minimum on only 0 days")


def test_an_additional_note_early_or_too_soon_after_the_last_is_flagged(run):
    s = run([*PREPAID, ["2023-07-16", "Issue", "Add1", 500_000, "additional"],
             ["2023-08-14", "Issue", "Add2", 500_000, "additional"]])  # 29 days later
    assert flags_on(s, "2023-07-16")[0] == ("additional", "issued before 2023-07-17 (210 days after the agreement)")
    assert flags_on(s, "2023-08-14")[0] == ("additional", "only 29 days after the last additional note (minimum 30)")


# -- warrants (Ledger._warrant_exercise) -------------------------------------------------------

def flat_market(sample, vwap):
    """The sample's sessions, every VWAP ``vwap`` (no volume or market cap columns)."""
    return MarketData.from_lists([str(d) for d in sample.dates], [vwap] * len(sample.dates))


def test_a_cashless_exercise_cut_by_the_cap(run, sample):
    """Kills _warrant_exercise mutants on the cashless cap: the first guess
    floor(room x VWAP / (VWAP - price)) + 1, the step down while the shares exceed the room, no
    cash received, the flag's code and text and the detail."""
    # Shares outstanding set to 20,000,000; the holder has none: room under 4.99% =
    # floor(0.0499 x 20,000,000 / 0.9501) = floor(1,050,415.7) = 1,050,415 shares.
    # Cashless at VWAP $10.00, exercise price $3.93: shares = warrants x 6.07 / 10, rounded up.
    # All 2,513,406 would give 1,525,637.4 -> 1,525,638 > room, so: first guess
    # floor(1,050,415 x 10 / 6.07) + 1 = 1,730,503 -> 1,050,415.3 -> 1,050,416 shares, too many;
    # 1,730,502 -> 1,050,414.7 -> 1,050,415 = room. 2,513,406 - 1,730,502 = 782,904 stay.
    s = run([["2023-01-04", "Shares Outstanding", None, None, 20_000_000],
             ["2023-01-05", "Warrant Exercise", None, None, "cashless"]], market=flat_market(sample, 10.0))
    r = one(s, "Warrant Exercise")
    assert r["Shares Issued"] == 1_050_415 and r["Cash Received"] is None
    assert r["Shares Outstanding"] == 20_000_000 + 1_050_415 and r["Holder Shares"] == 1_050_415
    assert s.state.warrant_shares == 782_904
    assert r["Flags"] == ("warrant-cap: Investor capped at 4.99%: 1,730,502 of 2,513,406 warrant shares "
                          "exercised; 782,904 stay as warrants")
    assert r["Detail"] == "Investor: 1,730,502 warrant shares cashless at VWAP $10.0000: 1,050,415 shares"
    assert one(s, "Shares Outstanding")["Detail"] == "shares outstanding 33,930,812 -> 20,000,000"


def test_a_cash_exercise_within_the_cap_and_its_detail(run, sample):
    # 1,000,000 warrant shares for cash at $3.93 = $3,930,000.00; room 1,782,072 (see the cap test
    # in test_supplement_rules.py): not cut, no flag; 1,513,406 stay
    s = run([["2023-01-05", "Warrant Exercise", None, 1_000_000, "Cash"]])
    r = one(s, "Warrant Exercise")
    assert (r["Shares Issued"], r["Cash Received"], r["Flags"]) == (1_000_000, 3_930_000.00, None)
    assert r["Detail"] == "Investor: 1,000,000 warrant shares for cash at $3.9300"
    assert s.state.warrant_shares == 1_513_406 and s.state.holdings["Investor"] == 1_000_000


# -- ownership cap notices (Ledger._cap_notice, _cap_notice_days, _cap_takes_effect) -----------

def test_cap_cuts_raises_and_their_rows(terms, run):
    """Kills _cap_notice mutants 10, 11, 17, 22-28, 31-33, 36, 47, 56, 61, 65, _cap_notice_days
    2, 7, _cap_takes_effect 3, 5, 9, 13: a cut for every holder at once, each row carrying its
    holder's shares and an exact detail; a holder named in any case; a raise waiting the
    holder's own notice days; the raise's row inserted by the ledger (Source ledger); a cut after
    it takes effect."""
    two = terms.with_term("notes.Private.holder", "InvestorB")
    # 2023-01-10: 92.5% of the 3 lowest of the 10 VWAPs before = 1.98834917 (the sample schedule)
    price = 0.925 * lowest_mean_before("2023-01-10", days=10, lowest=3)
    investor, investor_b = math.ceil(100_000 / price), math.ceil(50_000 / price)  # rounded up
    assert (investor, investor_b) == (50_293, 25_147)
    s = run([["2023-01-10", "Conversion", "Registered", 100_000, None],
             ["2023-01-10", "Conversion", "Private", 50_000, None],
             ["2023-01-11", "Amendment", None, None, "ownership_cap = 0.04"],  # a cut, every holder
             ["2023-01-12", "Amendment", "Investor", None, "ownership_cap = 0.04"],  # the same cap
             ["2023-01-13", "Amendment", "investorb", None, "ownership_cap = 0.0999"],  # a raise
             ["2023-03-15", "Amendment", "InvestorB", None, "ownership_cap = 0.06"]], deal=two)
    rows = [r for r in s.rows if r["Event"] == "Amendment"]
    got = [(str(r["Date"]), r["Detail"], r["Holder Shares"], r["Source"]) for r in rows]
    # 2023-01-13 + 60 days (the private note's notice) = 2023-03-14
    assert got == [
        ("2023-01-11", "Investor: ownership cap 4.99% -> 4.00%", investor, "row 3"),
        ("2023-01-11", "InvestorB: ownership cap 4.99% -> 4.00%", investor_b, "row 3"),
        ("2023-01-12", "Investor: ownership cap 4.00% -> 4.00%", investor, "row 4"),
        ("2023-01-13", "InvestorB: notice raising the ownership cap 4.00% -> 9.99%, effective 2023-03-14 "
                       "(60 days after notice)", investor_b, "row 5"),
        ("2023-03-14", "InvestorB: ownership cap 4.00% -> 9.99% (notice of 2023-01-13)", investor_b, "ledger"),
        ("2023-03-15", "InvestorB: ownership cap 9.99% -> 6.00%", investor_b, "row 6"),
    ]
    assert (s.state.cap_of("Investor"), s.state.cap_of("InvestorB")) == (0.04, 0.06)
    assert not s.state.cap_pending


def test_a_raise_for_every_holder_reaches_a_holder_of_warrants_only(terms, run):
    """Kills _cap_notice_days mutants 12 and 14 (a holder with no note, the warrants' own, given
    no notice days: max of nothing): a raise for every holder gives the warrant holder the
    longest notice of the deal's notes, 61 days (the registered note's; the private's is 60)."""
    deal = terms.with_term("warrants.holder", "Agent")
    s = run([["2023-01-13", "Amendment", None, None, "ownership_cap = 0.0999"]], deal=deal)
    # 2023-01-13 + 61 days = 2023-03-15, for Investor (its notes: 61 and 60) and Agent alike
    assert [(r["Detail"], r["Holder Shares"]) for r in s.rows if r["Event"] == "Amendment"][:2] == [
        ("Investor: notice raising the ownership cap 4.99% -> 9.99%, effective 2023-03-15 (61 days after notice)", 0),
        ("Agent: notice raising the ownership cap 4.99% -> 9.99%, effective 2023-03-15 (61 days after notice)", 0)]
    assert s.state.cap_of("Agent") == 0.0999


def test_a_raise_waits_the_longest_notice_of_the_notes_as_issued(run):
    """Kills _cap_notice_days mutant 8 (the holder's notes as the terms list them only): Add1,
    issued as an additional note on the first note's terms (61 days' notice), keeps its 61 days
    when the Registered note's notice is amended to 30 afterwards."""
    s = run([*PREPAID,
             ["2023-07-17", "Issue", "Add1", 1_000_000, "additional"],
             ["2023-07-18", "Amendment", None, None, "notes.Registered.ownership_cap_notice_days = 30"],
             ["2023-07-20", "Amendment", "Investor", None, "ownership_cap = 0.0999"]])
    # Investor's notes: Registered 30 (amended), Private 60, Add1 61: the longest, 61 days;
    # 2023-07-20 + 61 days = 2023-09-19 (the terms' notes alone, 60: 2023-09-18)
    row = [r for r in s.rows if r["Event"] == "Amendment"][-2]
    assert row["Detail"] == ("Investor: notice raising the ownership cap 4.99% -> 9.99%, effective 2023-09-19 "
                             "(61 days after notice)")


def test_consent_by_a_holder_whose_notes_are_all_converted_counts_nothing(tmp_path, sample):
    """Kills _consent mutants 36, 38 (a consenting holder without outstanding notes summed as
    None: a TypeError) and 40 (counted as $1.00 of notes)."""
    from ascent_xl.terms_io import load_terms
    from tests.helpers.notes import note_table

    path = tmp_path / "two.toml"
    path.write_text('base = "ASTI_2022"\n[conversion]\nalternate_price_applies = "in_default"\n[[notes]]\n'
                    'name = "Registered"\nface = 3400000\n'
                    + note_table("Short", issue_date="2023-03-01", face=6_600_000, rate=0.0, maturity_months=6))
    deal = load_terms(path)
    # Investor converts all of Registered's 3,400,000, Fund B all of Short but $1.00 (at the
    # fixed $3.93042: 3,400,000 / 3.93042 = 865,047.50 -> 865,048 and 6,599,999 / 3.93042 = 1,679,209.60
    # -> 1,679,210 shares, rounded up, within their 4.99% caps); after the default,
    # Investor alone consents: it holds none of the $1.00 outstanding, 0% < 66%
    rows = [["2023-03-02", "Conversion", "Registered", None, None],
            ["2023-03-02", "Conversion", "Short", 6_599_999, None],
            ["2023-04-03", "Event of Default", None, None, None],
            ["2023-04-10", "Waiver", None, None, "by Investor"]]
    with pytest.raises(LedgerError) as err:
        run_ledger(deal, parse_events(rows), sample)
    assert str(err.value) == ("row 4 (2023-04-10, Waiver): consent of holders of 0% of the outstanding notes; "
                              "it needs 66%")
    # by Fund B, holder of the whole $1.00: the waiver passes
    ok = run_ledger(deal, parse_events([*rows[:3], ["2023-04-10", "Waiver", None, None, "by Fund B"]]), sample)
    assert [r["Detail"] for r in ok.rows if r["Event"] == "Waiver"] == ["event of default waived (Short)"]
    assert [r["Shares Issued"] for r in ok.rows if r["Event"] == "Conversion"] == [865_048, 1_679_210]


def test_a_conversion_cut_by_a_holders_own_cap_names_that_cap(run):
    """Kills _convert's cap flag naming the deal's cap (4.99%) instead of the holder's own."""
    # Investor's cap cut to 4% (its own; the deal's stays 4.99%). On 2023-01-10 the price is
    # 92.5% of the 3 lowest of the 10 VWAPs before, 1.98834917; with 33,930,812 shares out and
    # none held, the room is floor(0.04 x 33,930,812 / 0.96) = floor(1,413,783.8) = 1,413,783
    # shares, which 1,413,783 x 1.98834917 = 2,811,094.2499, so $2,811,094.24 (down to the cent), buys;
    # 12,500,000 - 2,811,094.24 = 9,688,905.76 stays
    s = run([["2023-01-09", "Amendment", "Investor", None, "ownership_cap = 0.04"],
             ["2023-01-10", "Conversion", "Registered", 12_500_000, None]])
    r = one(s, "Conversion")
    assert (r["Shares Issued"], r["Principal Converted"]) == (1_413_783, 2_811_094.24)
    assert r["Flags"] == ("cap: Investor capped at 4.00%: converted $2,811,094.24 of $12,500,000.00 requested; "
                          "$9,688,905.76 stays as principal")


def test_a_holder_at_its_cap_exercises_no_warrant_shares(run, sample):
    """Kills _warrant_exercise mutants 32 (the room of a holder with no shares) and 84 (the step
    down stopping at one warrant share)."""
    # Shares outstanding 20,000,000; at VWAP $10 the price is the $3.93042 fixed price; the
    # registered note converts what fits: floor(0.0499 x 20,000,000 / 0.9501) = 1,050,415 shares,
    # 4.99% of 21,050,415 to the share. Room for warrant shares then:
    # floor((0.0499 x 21,050,415 - 1,050,415) / 0.9501) = floor(0.75) = 0; one warrant share
    # cashless would deliver 0.607 -> 1 share > 0, so none is exercised.
    s = run([["2023-01-04", "Shares Outstanding", None, None, 20_000_000],
             ["2023-01-05", "Conversion", "Registered", 12_500_000, None],
             ["2023-01-06", "Warrant Exercise", None, None, "cashless"]], market=flat_market(sample, 10.0))
    assert one(s, "Conversion")["Shares Issued"] == 1_050_415
    r = one(s, "Warrant Exercise")
    assert (r["Shares Issued"], r["Holder Shares"], s.state.warrant_shares) == (0, 1_050_415, 2_513_406)
    assert r["Flags"] == ("warrant-cap: Investor capped at 4.99%: 0 of 2,513,406 warrant shares exercised; "
                          "2,513,406 stay as warrants")


def test_warrant_exercise_edges(run):
    """Kills _warrant_exercise mutants 3 (the expiry day itself refused), 9, 10 (more than remain
    accepted), 11 (one warrant share refused), 17, 18 (a blank Value not read as cash) and 42
    (the missing VWAP's message)."""
    # one warrant share, Value blank: for cash at $3.93
    r = one(run([["2023-01-05", "Warrant Exercise", None, 1, None]]), "Warrant Exercise")
    assert (r["Shares Issued"], r["Cash Received"]) == (1, 3.93)
    assert r["Detail"] == "Investor: 1 warrant shares for cash at $3.9300"
    # 2022-12-19 + 5 years: exercisable on 2027-12-19, not after
    assert one(run([["2027-12-19", "Warrant Exercise", None, 1, "cash"]]), "Warrant Exercise")["Shares Issued"] == 1
    with pytest.raises(LedgerError, match=r"row 1 \(2027-12-20, Warrant Exercise\): the warrants expired on 2027-12-19"):
        run([["2027-12-20", "Warrant Exercise", None, 1, "cash"]])
    with pytest.raises(LedgerError, match=r"exercises 2,513,407 warrant shares but 2,513,406 remain"):
        run([["2023-01-05", "Warrant Exercise", None, 2_513_407, None]])
    with pytest.raises(LedgerError, match=r"\): cashless exercise date 2025-01-06 is outside the data"):
        run([["2025-01-06", "Warrant Exercise", None, 1, "cashless"]])


# -- a default demand paid later (Ledger._default_demand) --------------------------------------

def test_a_default_demand_paid_on_a_later_date_and_one_left_to_come(run, sample):
    """Kills _default_demand mutants 25-30, 32, 33, 36-40, 50, 56, 57 (the demand row's note,
    flag, detail; the payment row the ledger inserts) and 5, 9, 10, 14, 18, 19 (the missing
    data's message names the demand date)."""
    vwaps = sample_vwaps()
    s = run([["2023-03-10", "Default", "Private", None, "redeem 2023-03-20"],
             ["2023-03-13", "Default", "Registered", None, "demand"]])
    demand, later, paid = [r for r in s.rows if r["Event"] == "Default"]
    # price on a date: 92.5% of the 3 lowest of the 10 VWAPs before it (above the floor)
    p0310 = 0.925 * lowest_mean_before("2023-03-10", days=10, lowest=3)
    p0313 = 0.925 * lowest_mean_before("2023-03-13", days=10, lowest=3)
    p0320 = 0.925 * lowest_mean_before("2023-03-20", days=10, lowest=3)
    assert (round(p0310, 5), round(p0313, 5), round(p0320, 5)) == (0.47872, 0.45750, 0.31829)
    assert (vwaps["2023-03-10"], vwaps["2023-03-13"], vwaps["2023-03-20"]) == (0.4647, 0.3928, 0.3165)
    assert (demand["Note"], demand["Source"], demand["Default Amount"]) == ("Private", "row 1", None)
    assert demand["Conversion Price"] == pytest.approx(p0310, rel=1e-12)
    assert demand["Flags"] == "default: mandatory default amount demanded, not yet paid"
    assert demand["Detail"] == ("mandatory default amount demanded: price $0.47872, VWAP $0.4647 on the demand "
                                "date; payment on 2023-03-20")
    assert later["Detail"] == ("mandatory default amount demanded: price $0.45750, VWAP $0.3928 on the demand "
                               "date; payment date to come (a Default row with Value pay)")
    # paid on 2023-03-20 by the ledger's own row: the lower price (0.31829) and the higher VWAP
    # (0.4647) of the two dates: parity 2,500,000 / 0.3182925 x 0.4647 = 3,649,944.63 above the
    # premium 1.20 x 2,500,000 = 3,000,000; interest 30/360 from 2022-12-31: 80 days x 4.5% =
    # 25,000.00; 3,649,944.63 + 25,000.00 = 3,674,944.63
    assert (str(paid["Date"]), paid["Note"], paid["Source"]) == ("2023-03-20", "Private", "ledger")
    assert round(2_500_000 / p0320 * 0.4647, 2) == 3_649_944.63
    assert (paid["Default Amount"], paid["Interest Paid Cash"], paid["Principal Repaid"]) == (
        3_674_944.63, 25_000.00, 2_500_000)
    assert paid["Detail"] == ("mandatory default amount by parity: parity $3,649,944.63, premium $3,000,000.00, "
                              "interest $25,000.00 (price $0.31829, VWAP $0.4647: lower price, higher VWAP of "
                              "2023-03-10 and 2023-03-20)")
    # a market ending 2023-02-28: the demand date's price and VWAP cannot be read, and the
    # refusal names the demand date
    short = MarketData.from_lists([str(d) for d in sample.dates if str(d) < "2023-03-01"],
                                  [vwaps[str(d)] for d in sample.dates if str(d) < "2023-03-01"])
    with pytest.raises(LedgerError) as err:
        run([["2023-03-10", "Default", "Private", None, "demand"]], market=short)
    assert "demand date 2023-03-10" in str(err.value)


# -- additional notes' timing (Ledger._additional_timing) --------------------------------------

def sessions_after(day: str) -> list[str]:
    """The sample's sessions after ``day`` (the sample has a row for every session)."""
    return sorted(d for d in sample_rows() if d > day)


def test_additional_note_notice_and_window_boundaries(run):
    """Kills _additional_timing mutants 11-13 (5 business days' notice allowed; the flag's code),
    22, 24-29, 31 (a note taken within the first 60 trading days after the termination notice,
    even on its day or on the 60th, extends the window to 90) and 33-35 (the 60th trading day
    itself is inside the window; the flag's code)."""
    after = sessions_after("2023-08-01")
    day60, day65 = after[59], after[64]
    assert (day60, day65) == ("2023-10-25", "2023-11-01")
    ended = [*PREPAID, ["2023-08-01", "Termination Notice", None, None, None]]
    # notice Wed 2023-10-25 for Wed 2023-11-01: business days Oct 25, 26, 27, 30, 31 = 5, the minimum
    s = run([*ended, [day60, "Issue", "Add1", 100_000, "additional"],
             [day65, "Issue", "Add2", 100_000, "additional, notice 2023-10-25"]])
    assert [c for c, _ in flags_on(s, day60)] == ["equity"]  # the 60th trading day: in the window
    assert [c for c, _ in flags_on(s, day65)] == ["additional", "equity"]
    assert flags_on(s, day65)[0] == ("additional", "only 7 days after the last additional note (minimum 30)")
    # taken on the termination day itself: still one in the first 60, so 90 trading days
    s = run([*ended, ["2023-08-01", "Issue", "Add1", 100_000, "additional"],
             [day65, "Issue", "Add2", 100_000, "additional"]])
    assert [c for c, _ in flags_on(s, day65)] == ["equity"]
    # none in the first 60: the 65th trading day is outside; notice of 4 business days (Oct 26-31)
    s = run([*ended, [day65, "Issue", "Add1", 100_000, "additional, notice 2023-10-26"]])
    assert flags_on(s, day65)[1:] == [
        ("additional", "4 business days after the notice of 2023-10-26; at least 5"),
        ("additional", "65 trading days after the termination notice of 2023-08-01: the window was 60")]


# -- the company's optional prepayment (Ledger._optional_prepay) -------------------------------

def test_optional_prepayment_conditions_and_their_flags(run):
    """Kills _optional_prepay mutants 11, 12, 14, 22, 39-42, 48, 49, 56, 62, 63: all notes at the
    $300,000 threshold itself are not below it; each unmet condition's exact flag; the row's
    detail."""
    # the registered note prepaid, $2,200,000 of the private one: $300,000 left, the threshold
    left = [["2023-06-01", "Prepayment", "Registered", None, None],
            ["2023-06-01", "Prepayment", "Private", 2_200_000, None]]
    # 120% x 300,000 = 360,000 + interest 30/360 from 2023-06-30 to 09-01 (61 days): 300,000 x
    # 4.5% x 61 / 360 = 2,287.50
    s = run([*left, ["2023-08-01", "Termination Notice", None, None, None],
             ["2023-09-01", "Optional Prepay", None, None, "notice 2023-08-02"]])
    r = one(s, "Optional Prepay")
    assert (r["Principal Repaid"], r["Premium Paid"], r["Interest Paid Cash"], r["Cash Paid"]) == (
        300_000, 60_000, 2_287.50, 362_287.50)
    assert r["Detail"] == "optional prepayment at 120% of principal plus accrued interest"
    assert r["Flags"] == "optional-prepay: all notes $300,000.00: optional prepayment needs them below $300,000"
    s = run([*left, ["2023-09-01", "Optional Prepay", "Private", None, None]])
    assert one(s, "Optional Prepay")["Flags"] == (
        "optional-prepay: no termination notice before it (a Termination Notice row); "
        "optional-prepay: all notes $300,000.00: optional prepayment needs them below $300,000; "
        "optional-prepay: prepays all notes at once: leave Note and Amount blank; "
        "optional-prepay: the company's notice (20 trading days) is not recorded: Value notice YYYY-MM-DD")
    # notice 2023-08-08: sessions after it up to 2023-09-01
    short = sum(1 for d in sessions_after("2023-08-08") if d <= "2023-09-01")
    assert short == 18
    s = run([*left, ["2023-08-01", "Termination Notice", None, None, None],
             ["2023-09-01", "Optional Prepay", None, None, "notice 2023-08-08"]])
    assert flags_on(s, "2023-09-01")[1] == ("optional-prepay", "18 trading days after the notice of 2023-08-08; "
                                                               "at least 20")


# -- cash balance, termination notice, change of control ---------------------------------------

def test_cash_balance_and_termination_rows(run):
    """Kills _cash_balance mutants 4, 6, 10 and _termination 6 (the first day allowed)."""
    s = run([["2023-01-05", "Cash Balance", None, None, 1_234.50],
             ["2023-07-17", "Termination Notice", None, None, None]])  # 2022-12-19 + 210 days
    cash = one(s, "Cash Balance")
    assert cash["Detail"] == "company cash $1,234.50"
    assert cash["Flags"] == "min-cash: cash $1,234.50 below the $3,000,000 minimum"
    assert one(s, "Termination Notice")["Detail"] == (
        "termination notice: additional notes within 60 trading days (90 if one is taken in the first 60)")
    assert s.state.termination is not None and str(s.state.termination) == "2023-07-17"
    with pytest.raises(LedgerError, match=r"the company may give notice of termination from 2023-07-17 "
                                          r"\(210 days after the agreement\)"):
        run([["2023-07-16", "Termination Notice", None, None, None]])


def test_change_of_control_put_window_and_notice_days(run):
    """Kills _change_of_control mutants 24 (the 30th day after the notice refused), 25 (a notice
    without an agreement date), 31 (5 trading days' notice flagged) and 40, 48, 49 (the detail)."""
    # notice 2023-02-10 + 30 days = 2023-03-12, the last day of the put: 105% of principal plus
    # interest (30/360 from 2022-12-31: 72 days, 2,500,000 x 4.5% x 72 / 360 = 22,500.00):
    # 1.05 x 2,522,500 = 2,648,625.00, of which 126,125.00 premium
    r = one(run([["2023-03-12", "Change of Control", "Private", None, "notice 2023-02-10"]]), "Change of Control")
    assert (r["Principal Repaid"], r["Interest Paid Cash"], r["Premium Paid"], r["Cash Paid"]) == (
        2_500_000, 22_500.00, 126_125.00, 2_648_625.00)
    assert r["Detail"] == "change-of-control prepayment at 105% of (principal plus accrued interest)"
    assert r["Flags"] is None
    # the agreement 2023-02-01; 2023-02-08 is its 5th trading day after (allowed), 02-09 the 6th
    after = sessions_after("2023-02-01")
    assert after[4:6] == ["2023-02-08", "2023-02-09"]
    on_time = run([["2023-02-15", "Change of Control", "Private", None, "notice 2023-02-08, agreement 2023-02-01"]])
    assert one(on_time, "Change of Control")["Flags"] is None
    late = run([["2023-02-15", "Change of Control", "Private", None, "notice 2023-02-09, agreement 2023-02-01"]])
    assert one(late, "Change of Control")["Flags"] == (
        "coc-notice: the company's notice came 6 trading days after the agreement of 2023-02-01; at most 5")


# -- the price history (ledger.history) --------------------------------------------------------

def test_price_history_skips_a_vwap_gap_and_starts_on_the_first_rows_prices(terms, sample, sample_events):
    """Kills price_history mutants 20 and 22 (which days a VWAP gap leaves out) and _step 34 (a
    day before the first schedule row takes the first row's price, not the last's)."""
    from ascent_xl.ledger.history import price_history

    vwaps = sample_vwaps()
    days = sorted(vwaps)
    gap = days.index("2023-02-01")
    market = MarketData.from_lists(days, [math.nan if k == gap else vwaps[d] for k, d in enumerate(days)])
    # the schedule from the whole sample; the history read from the market with the gap
    h = price_history(run_ledger(terms, sample_events, sample), market, sample_events)
    # from the 11th session on, less the gap day itself and the 10 sessions whose window holds it
    assert len(h.dates) == len(days) - 10 - 11
    left_out = set(days[10:]) - {str(d) for d in h.dates}
    assert left_out == set(days[gap:gap + 11])
    # the first day is before the 2022-12-19 issue: the issue's fixed price, 3.93042, restated by
    # the 2023-09-12 1-for-200 split to 786.084 (the last rows carry the ratcheted 0.15 x 200)
    assert str(h.dates[0]) == days[10] < "2022-12-19"
    assert h.fixed[0] == pytest.approx(3.93042 * 200)


def test_a_default_demand_on_a_saturday_is_priced_from_the_sessions_before(run):
    """A demand needs no trading day (a conversion notice does): kills the _conversion_prices
    mutants that require one for any date but a notice date (what != "notice date", or its text
    changed). Saturday 2023-03-11: price 92.5% of the 3 lowest of the 10 VWAPs before it, the
    VWAP of Friday 03-10 (0.4647)."""
    price = 0.925 * lowest_mean_before("2023-03-11", days=10, lowest=3)
    assert round(price, 5) == 0.45750 and sample_vwaps()["2023-03-10"] == 0.4647
    r = one(run([["2023-03-11", "Default", "Private", None, "redeem"]]), "Default")
    # parity 2,500,000 / 0.457505 x 0.4647 = 2,539,316.51 < premium 1.20 x 2,500,000 = 3,000,000;
    # interest 30/360 from 2022-12-31: 71 days, 2,500,000 x 4.5% x 71 / 360 = 22,187.50
    assert round(2_500_000 / price * 0.4647, 2) == 2_539_316.51
    assert (r["Default Amount"], r["Interest Paid Cash"]) == (3_022_187.50, 22_187.50)
    assert r["Conversion Price"] == pytest.approx(price, rel=1e-12)


def test_default_payments_recorded_by_rows_pay_the_named_note_or_every_demanded_one(run):
    """Kills _default_payment_by_event mutants 2, 3 (the named note ignored, or a blank Note read
    as a name) and 5-7 (which notes a blank Note pays: the open ones with a demand)."""
    s = run([["2023-03-10", "Default", "Private", None, "demand"],
             ["2023-03-13", "Default", "Registered", None, "demand"],
             ["2023-03-20", "Default", "Registered", None, "pay"],  # the named note only
             ["2023-03-22", "Default", None, None, "pay"]])  # every note still owed: Private
    paid = [(str(r["Date"]), r["Note"], r["Principal Repaid"]) for r in s.rows
            if r["Event"] == "Default" and r["Default Amount"] is not None]
    assert paid == [("2023-03-20", "Registered", 12_500_000), ("2023-03-22", "Private", 2_500_000)]
    with pytest.raises(LedgerError, match=r"no mandatory default amount has been demanded \(a Default row with "
                                          r"Value redeem\)"):
        run([["2023-03-20", "Default", None, None, "pay"]])
