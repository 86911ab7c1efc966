"""The ledger honours the family's rule shapes (issue 14): each test runs a schedule where the
shape changes a row, with the arithmetic by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022
from tests.helpers.markets import market_before
from tests.helpers.notes import note_table

ISSUE = [["2022-12-19", "Issue", "Registered", None, "registered"]]


def _conversions(s):
    return [r for r in s.rows if r["Event"] == "Conversion"]


def test_a_window_that_includes_the_notice_day_changes_the_conversion():
    # 03-23 1.00, 03-24 0.90, 03-27 0.95, notice day 03-28 0.80; 3 days, the lowest, at 92%
    market = market_before("2023-03-28", [1.00, 0.90, 0.95], include_day=0.80)
    base = (ASTI_2022.with_term("alternate_price_days", 3).with_term("alternate_price_lowest", 1)
            .with_term("alternate_price_discount", 0.08).with_term("floor_price", 0.10))
    events = parse_events([*ISSUE, ["2023-03-28", "Conversion", "Registered", 100_000, None]])
    before = _conversions(run_ledger(base, events, market))[0]
    through = _conversions(run_ledger(base.with_term("window_includes_notice_day", True), events, market))[0]
    # strictly before: 0.92 x 0.90 = 0.828; 100,000 / 0.828 = 120,772.95 -> up 120,773
    assert before["Conversion Price"] == pytest.approx(0.828, abs=1e-12)
    assert before["Shares Issued"] == 120_773
    # ending on the notice day: 0.92 x 0.80 = 0.736; 100,000 / 0.736 = 135,869.57 -> 135,870
    assert through["Conversion Price"] == pytest.approx(0.736, abs=1e-12)
    assert through["Shares Issued"] == 135_870
    assert through["Principal After"] == before["Principal After"] == 12_400_000


def test_the_default_rate_runs_from_the_default_to_the_waiver():
    terms = ASTI_2022.with_term("notes.Registered.rate", 0.05).with_term("default.interest_rate", 0.15)
    events = [*ISSUE, ["2023-02-15", "Default", "Registered", None, None],
              ["2023-03-15", "Waiver", "Registered", None, None]]
    s = run_ledger(terms, parse_events(events))
    paid = {(r["Date"].isoformat(), r["Note"]): r["Interest Paid Cash"] for r in s.rows if r["Event"] == "Interest"}
    # 12,500,000, quarter 12-31 .. 03-31 under 30/360: 45 days at 5% = 78,125.00, 30 days in
    # default at 15% = 156,250.00, 15 days at 5% = 26,041.67; together 260,416.67
    assert paid[("2023-03-31", "Registered")] == 260_416.67
    # without the default rate the quarter is 12,500,000 x 5% x 90 / 360 = 156,250.00
    plain = run_ledger(terms.with_term("default.interest_rate", 0), parse_events(events))
    assert [r["Interest Paid Cash"] for r in plain.rows if r["Event"] == "Interest"
            and r["Note"] == "Registered" and r["Date"].isoformat() == "2023-03-31"] == [156_250.00]
    # the next quarter, after the waiver, at 5% again: 12,500,000 x 5% x 90 / 360 = 156,250.00
    assert paid[("2023-06-30", "Registered")] == 156_250.00
    # the Private note, not in default, at its 4.5%: 2,500,000 x 4.5% x 90 / 360 = 28,125.00
    assert paid[("2023-03-31", "Private")] == 28_125.00


def test_the_position_accrues_at_the_default_rate():
    from ascent_xl.ledger import deal_state

    terms = ASTI_2022.with_term("notes.Registered.rate", 0.05).with_term("default.interest_rate", 0.15)
    events = parse_events([*ISSUE, ["2023-02-15", "Default", "Registered", None, None]])
    p = deal_state(terms, None, events, as_of=dt.date(2023, 3, 15))
    reg = next(n for n in p.notes if n.note == "Registered")
    # 45 days at 5% (78,125.00) + 30 days at 15% (156,250.00) = 234,375.00
    assert reg.accrued_interest == 234_375.00


# The sample's ten VWAPs before 2023-02-17 (02-03 .. 02-16): 1.5589 1.3591 1.3495 1.3227 1.3024
# 1.2228 1.0834 1.0813 1.0499 1.0358; the three lowest 1.0358 1.0499 1.0813 average 1.0556667.
LOW3 = (1.0358 + 1.0499 + 1.0813) / 3


def _one_conversion(terms, sample, day, events=()):
    rows = [*ISSUE, *events, [day, "Conversion", "Registered", 100_000, None]]
    return _conversions(run_ledger(terms, parse_events(rows), sample))[0]


def test_an_alternate_price_from_the_60th_day_after_issue(sample):
    terms = ASTI_2022.with_term("alternate_price_start_days", 60)  # 2022-12-19 + 60 = 2023-02-17
    # day 59: the fixed price alone, 100,000 / 3.93042 = 25,442.57 -> 25,443 shares
    r = _one_conversion(terms, sample, "2023-02-16")
    assert r["Conversion Price"] == 3.93042 and r["Shares Issued"] == 25_443
    assert r["Detail"].startswith("no alternate price that day")
    # day 60: 92.5% x 1.0556667 = 0.9764917; 100,000 / 0.9764917 = 102,407.43 -> 102,408
    r = _one_conversion(terms, sample, "2023-02-17")
    assert r["Conversion Price"] == pytest.approx(0.925 * LOW3, abs=1e-12)
    assert r["Shares Issued"] == 102_408
    # the Ascent deal (0 days): the alternate on day 59 too, 92.5% of the 3 lowest before 02-16
    # (1.0499 1.0813 1.0834): 0.925 x 1.0715333 = 0.9911683
    r = _one_conversion(ASTI_2022, sample, "2023-02-16")
    assert r["Conversion Price"] == pytest.approx(0.925 * (1.0499 + 1.0813 + 1.0834) / 3, abs=1e-12)


def test_an_alternate_price_only_in_default_and_a_deeper_discount(sample):
    terms = ASTI_2022.with_term("alternate_price_applies", "in_default")
    default = [["2023-02-10", "Default", "Registered", None, None]]
    # no default: the fixed price, 25,443 shares
    assert _one_conversion(terms, sample, "2023-02-17")["Conversion Price"] == 3.93042
    # in default: the alternate, 0.925 x 1.0556667 = 0.9764917 -> 102,408 shares
    r = _one_conversion(terms, sample, "2023-02-17", default)
    assert r["Conversion Price"] == pytest.approx(0.925 * LOW3, abs=1e-12) and r["Shares Issued"] == 102_408
    # waived on 02-15: the fixed price again
    waived = [*default, ["2023-02-15", "Waiver", "Registered", None, None]]
    assert _one_conversion(terms, sample, "2023-02-17", waived)["Conversion Price"] == 3.93042
    # a 20% discount in default: 0.80 x 1.0556667 = 0.8445333; 100,000 / 0.8445333 = 118,408.84
    deeper = terms.with_term("default_discount", 0.20)
    r = _one_conversion(deeper, sample, "2023-02-17", default)
    assert r["Conversion Price"] == pytest.approx(0.80 * LOW3, abs=1e-12) and r["Shares Issued"] == 118_409


def test_the_exchange_cap_refuses_or_pays_cash_beyond_it(sample):
    # a 2% cap (for a small example) without approval: floor(2% x 33,930,812) = floor(678,616.24)
    # = 678,616 shares; the holder's own cap raised out of the way
    terms = (ASTI_2022.with_term("exchange_cap_approved", False).with_term("exchange_cap", 0.02)
             .with_term("ownership_cap_max", 0.5).with_term("conversion.ownership_cap", 0.49))
    events = parse_events([*ISSUE, ["2023-02-17", "Conversion", "Registered", 500_000, None],
                           ["2023-02-21", "Conversion", "Registered", 500_000, None]])
    first, second = _conversions(run_ledger(terms, events, sample))
    # 02-17: 0.925 x 1.0556667 = 0.9764917; 500,000 / 0.9764917 = 512,037.5 -> 512,038 (in full)
    assert (first["Shares Issued"], first["Flags"]) == (512_038, None)
    # 02-21: ten before (02-06 .. 02-17), three lowest 1.0048 1.0358 1.0499 -> 1.0301667;
    # 0.925 x 1.0301667 = 0.9529042; 500,000 / 0.9529042 = 524,711.4 -> 524,712 wanted, but
    # 678,616 - 512,038 = 166,578 left: 166,578 x 0.9529042 = 158,732.875 -> $158,732.87 converts
    assert second["Conversion Price"] == pytest.approx(0.925 * (1.0048 + 1.0358 + 1.0499) / 3, abs=1e-12)
    assert (second["Shares Issued"], second["Principal Converted"]) == (166_578, 158_732.87)
    assert second["Principal After"] == 12_000_000 - 158_732.87
    assert second["Flags"].startswith("exchange cap: exchange cap 2.00% of 33,930,812 shares: 166,578 shares left")
    # cash: all $500,000 converts, 166,578 shares issued, 524,712 - 166,578 = 358,134 shares
    # paid at the day's VWAP 0.9849: 358,134 x 0.9849 = 352,726.18
    cash = _conversions(run_ledger(terms.with_term("exchange_cap_excess", "cash"), events, sample))[1]
    assert (cash["Shares Issued"], cash["Principal Converted"], cash["Cash Paid"]) == (166_578, 500_000, 352_726.18)
    # with the shareholders' approval (the Ascent deal's) the cap does not bind
    approved = _conversions(run_ledger(terms.with_term("exchange_cap_approved", True), events, sample))[1]
    assert (approved["Shares Issued"], approved["Flags"]) == (524_712, None)


def test_a_dated_reset_of_the_fixed_price(sample):
    # the 60th day after the 2022-12-19 issue is 2023-02-17; the ten VWAPs before it (02-03 ..
    # 02-16) sum to 1.5589 + 1.3591 + 1.3495 + 1.3227 + 1.3024 + 1.2228 + 1.0834 + 1.0813 +
    # 1.0499 + 1.0358 = 12.3658: average 1.23658. The alternate applies in default only here, so
    # the reset price is the conversion price.
    terms = (ASTI_2022.with_term("price_reset_days", "60, 120").with_term("price_reset_rule", "replace")
             .with_term("alternate_price_applies", "in_default"))
    rows = [*ISSUE, ["2023-02-16", "Conversion", "Registered", 100_000, None],
            ["2023-02-17", "Conversion", "Registered", 100_000, None]]
    s = run_ledger(terms, parse_events(rows), sample)
    resets = [r for r in s.rows if r["Event"] == "Price Reset" and r["Note"] == "Registered"]
    assert [r["Date"].isoformat() for r in resets] == ["2023-02-17", "2023-04-18"]  # day 60, day 120
    assert resets[0]["Fixed Price"] == pytest.approx(1.23658, abs=1e-12)
    before, after = _conversions(s)
    # day 59 at the fixed 3.93042: 100,000 / 3.93042 = 25,442.57 -> 25,443
    assert (before["Conversion Price"], before["Shares Issued"]) == (3.93042, 25_443)
    # day 60 at the reset 1.23658: 100,000 / 1.23658 = 80,868.2 -> 80,869
    assert after["Conversion Price"] == pytest.approx(1.23658, abs=1e-12) and after["Shares Issued"] == 80_869
    # from a fixed price of 1.00: replace moves it up to 1.23658, lower keeps 1.00
    low = terms.with_term("fixed_price", 1.0)
    assert _conversions(run_ledger(low, parse_events(rows), sample))[1]["Conversion Price"] == pytest.approx(1.23658, abs=1e-12)
    kept = _conversions(run_ledger(low.with_term("price_reset_rule", "lower"), parse_events(rows), sample))[1]
    assert kept["Conversion Price"] == 1.0


def test_reset_days_are_checked():
    from ascent_xl.errors import TermsError

    with pytest.raises(TermsError, match=r"conversion.price_reset_days: \(120, 60\): days after issue, ascending"):
        ASTI_2022.with_term("price_reset_days", "120, 60")


_TRANCHES = """
base = "ASTI_2022"
[conversion]
alternate_price_applies = "in_default"   # so that the fixed prices show
[[notes]]
name = "Registered"
""" + note_table("Tranche2", issue_date="2023-02-17", rate=0.08, holder="Investor",
                  own_fixed_price=0, own_fixed_price_at_issue=True)


def test_a_tranche_with_its_own_fixed_price_rate_and_maturity(tmp_path, sample):
    from ascent_xl.terms_io import load_terms

    path = tmp_path / "tranches.toml"
    path.write_text(_TRANCHES)
    terms = load_terms(path)
    rows = [["2023-02-21", "Conversion", "Tranche2", 100_000, None],
            ["2023-02-21", "Conversion", "Registered", 100_000, None]]
    s = run_ledger(terms, parse_events(rows), sample)
    issue = next(r for r in s.rows if r["Event"] == "Issue" and r["Note"] == "Tranche2")
    # 130% of the five VWAPs before 2023-02-17 (02-10 .. 02-16): 1.2228 + 1.0834 + 1.0813 +
    # 1.0499 + 1.0358 = 5.4732, average 1.09464, x 1.3 = 1.423032
    assert issue["Fixed Price"] == pytest.approx(1.423032, abs=1e-12)
    t2, reg = _conversions(s)
    # 100,000 / 1.423032 = 70,272.6 -> 70,273; the first note keeps the deal's 3.93042: 25,443
    assert (t2["Note"], t2["Shares Issued"]) == ("Tranche2", 70_273)
    assert (reg["Note"], reg["Conversion Price"], reg["Shares Issued"]) == ("Registered", 3.93042, 25_443)
    # its own 8% from its own issue, 30/360: 02-17 .. 03-31 is 44 days (the 31st counts: the
    # period starts before the 30th); 4 days to 02-21 on 1,000,000 = 888.89, then 40 days on
    # the 900,000 left = 8,000.00; together 8,888.89
    interest = next(r for r in s.rows if r["Event"] == "Interest" and r["Note"] == "Tranche2")
    assert interest["Date"].isoformat() == "2023-03-31" and interest["Interest Paid Cash"] == 8_888.89
    # its own 12 months: matures 2024-02-17
    assert next(r for r in s.rows if r["Event"] == "Maturity" and r["Note"] == "Tranche2")["Date"].isoformat() == "2024-02-17"
    # a stated own price instead
    fixed = terms.with_term("notes.Tranche2.own_fixed_price_at_issue", False).with_term("notes.Tranche2.own_fixed_price", 2.0)
    t2 = _conversions(run_ledger(fixed, parse_events(rows), sample))[0]
    assert (t2["Conversion Price"], t2["Shares Issued"]) == (2.0, 50_000)


def test_a_tranche_the_terms_list_is_bought_at_its_own_purchase_price(tmp_path, sample):
    """A note listed in the terms (kind additional) pays what its own purchase_price_pct says,
    not the additional-note facility's; a note an Issue row adds under the facility pays the
    facility's (85% here), not the first note's. Before, the listed tranche's 0.92 was ignored."""
    from ascent_xl.terms_io import load_terms

    path = tmp_path / "tranches.toml"
    path.write_text(_TRANCHES.replace("purchase_price_pct = 0.9", "purchase_price_pct = 0.92"))
    terms = load_terms(path).with_term("additional_notes.purchase_price_pct", 0.85)  # not the first note's 0.90
    assert terms.note("Tranche2").purchase_price_pct == 0.92 and terms.notes[0].purchase_price_pct == 0.9
    s = run_ledger(terms, parse_events([["2023-04-03", "Issue", "Extra", 500_000, None]]), sample)
    tranche = next(r for r in s.rows if r["Event"] == "Issue" and r["Note"] == "Tranche2")
    # 1,000,000 x 0.92 = 920,000 (at the facility's 0.90 it would be 900,000)
    assert tranche["Cash Received"] == 920_000 and "for $920,000.00 (92%)" in tranche["Detail"]
    extra = next(r for r in s.rows if r["Event"] == "Issue" and r["Note"] == "Extra")
    assert extra["Cash Received"] == 425_000  # 500,000 x the facility's 0.85
    assert "for $425,000.00 (85%)" in extra["Detail"]


def test_resets_need_their_average_and_rule():
    from ascent_xl.errors import TermsError
    from ascent_xl.terms import ConversionTerms

    data = {k: v for k, v in ASTI_2022.conversion.to_mapping().items()
            if not k.startswith("price_reset_")}
    assert ConversionTerms.from_mapping(data).price_reset_days == ()  # no resets: nothing needed
    with pytest.raises(TermsError, match=r"price_reset_average_days: missing: the fixed price resets 1 times"):
        ConversionTerms.from_mapping({**data, "price_reset_days": [60]})


def test_price_triggered_monthly_payments(sample):
    terms = (ASTI_2022.with_term("trigger_window", 5).with_term("trigger_price", 1.0)
             .with_term("trigger_days", 3).with_term("trigger_cure_days", 5).with_term("trigger_delay_days", 2)
             .with_term("trigger_payment", 500_000).with_term("trigger_premium", 1.05))
    s = run_ledger(terms, parse_events([]), sample)
    paid = [r for r in s.rows if r["Event"] == "Prepayment"]
    # the sample's five VWAPs to 2023-02-23 (02-16 1.0358, 02-17 1.0048, 02-21 0.9849, 02-22
    # 0.9047, 02-23 0.9082): three below 1.00, the first time (to 02-22 only two): the trigger;
    # two trading days later, 02-27, the first payment, then the 27th of each month
    assert [r["Date"].isoformat() for r in paid[:3]] == ["2023-02-27", "2023-03-27", "2023-04-27"]
    first = paid[0]
    # 500,000 at 105%: premium 25,000; interest on the part paid: 12,500,000 x 4.5% x 57/360
    # (12-31 .. 02-27, 30/360) = 89,062.50 accrued, 500,000 / 12,500,000 of it = 3,562.50
    assert (first["Note"], first["Principal Repaid"], first["Premium Paid"], first["Interest Paid Cash"]) == (
        "Registered", 500_000, 25_000, 3_562.50)
    assert first["Cash Paid"] == 528_562.50
    # seven payments (02-27 .. 08-27): no Split row here, so the ledger knows of no split and the
    # as-traded VWAPs after the 1:200 split of 2023-09-12 are above 1.00; five sessions of them cure
    assert len(paid) == 7 and paid[-1]["Principal After"] == 12_500_000 - 7 * 500_000 == 9_000_000
    # no trigger price (the Ascent deal): no such payments
    assert not [r for r in run_ledger(ASTI_2022, parse_events([]), sample).rows if r["Event"] == "Prepayment"]


def _split_market(after: float):
    """XNAS sessions 2022-12-19 .. 2023-06-30: VWAP 1.20 to 01-31, 0.90 from 02-01 to 03-14,
    then ``after`` (as traded) from 03-15, the day of a 1:10 reverse split."""
    from ascent_xl.calendar import trading_calendar
    from ascent_xl.market import MarketData

    days = [str(d) for d in trading_calendar("XNAS").sessions_between("2022-12-19", "2023-06-30")]
    vwaps = [1.20 if d < "2023-02-01" else 0.90 if d < "2023-03-15" else after for d in days]
    return MarketData.from_lists(days, vwaps)


def test_the_trigger_price_is_restated_by_splits():
    terms = (ASTI_2022.with_term("trigger_window", 5).with_term("trigger_price", 1.0)
             .with_term("trigger_days", 3).with_term("trigger_cure_days", 5).with_term("trigger_delay_days", 2)
             .with_term("trigger_payment", 500_000).with_term("trigger_premium", 1.05)
             .with_term("notes.Registered.maturity_months", 6).with_term("notes.Private.maturity_months", 6))
    split = parse_events([["2023-03-15", "Split", None, None, "1:10"]])

    def paid(market, events):
        return [r for r in run_ledger(terms, events, market).rows if r["Event"] == "Prepayment"]

    # 02-01 (Wed), 02-02, 02-03 at 0.90 < 1.00: three of five sessions below on 02-03, the
    # trigger; two sessions later, 02-07 (Tue), the first payment, then the 7th of each month.
    # After the 1:10 split of 03-15 the trigger price is 1.00 / (1/10) = $10.00 a share; the
    # as-traded 9.50 (0.95 on the old basis) stays below it, so nothing cures and the payments
    # run to the notes' maturity, 2022-12-19 + 6 months = 2023-06-19: five of them
    rows = paid(_split_market(9.50), split)
    assert [r["Date"].isoformat() for r in rows] == [
        "2023-02-07", "2023-03-07", "2023-04-07", "2023-05-07", "2023-06-07"]
    assert rows[-1]["Note"] == "Registered" and rows[-1]["Principal After"] == 12_500_000 - 5 * 500_000 == 10_000_000
    assert "below $1.0000 on 3 of 5" in rows[1]["Detail"] and "below $10.0000 on 3 of 5" in rows[2]["Detail"]
    # 10.50 as traded (1.05 on the old basis) is at or above $10.00: the fifth such session,
    # 03-21 (03-15, 16, 17, 20, 21), cures; only the payments due before it, 02-07 and 03-07
    assert [r["Date"].isoformat() for r in paid(_split_market(10.50), split)] == ["2023-02-07", "2023-03-07"]
    # without the Split row the ledger knows of no split: 9.50 >= 1.00 cures on 03-21 as well
    assert [r["Date"].isoformat() for r in paid(_split_market(9.50), parse_events([]))] == [
        "2023-02-07", "2023-03-07"]


def _trigger_terms(*, maturity: bool):
    terms = (ASTI_2022.with_term("trigger_window", 5).with_term("trigger_price", 1.0)
             .with_term("trigger_days", 3).with_term("trigger_cure_days", 5).with_term("trigger_delay_days", 2)
             .with_term("trigger_payment", 500_000).with_term("trigger_premium", 1.05))
    if not maturity:  # preferred-like: no coupon, no maturity
        for note in ("Registered", "Private"):
            terms = (terms.with_term(f"notes.{note}.rate", 0.0).with_term(f"notes.{note}.interest_months", [])
                     .with_term(f"notes.{note}.maturity_months", 0))
    return terms


def _to_june_7():
    """XNAS sessions 2022-12-19 .. 2023-06-07 (a Wednesday): VWAP 1.20 to 01-31, 0.90 after."""
    from ascent_xl.calendar import trading_calendar
    from ascent_xl.market import MarketData

    days = [str(d) for d in trading_calendar("XNAS").sessions_between("2022-12-19", "2023-06-07")]
    return MarketData.from_lists(days, [1.20 if d < "2023-02-01" else 0.90 for d in days])


def test_trigger_payments_of_notes_without_maturity_run_to_the_last_vwap():
    """Kills _push_trigger_payments mutants 13-16 (the end of notes without maturity: the last
    VWAP's day, not the second or the next to last) and 18 (a Split row of 'none', no ratio)."""
    # 02-01, 02-02, 02-03 at 0.90: three of five below 1.00 on 02-03, the trigger; two sessions
    # later, 02-07, the first payment, then the 7th of each month while nothing cures (the VWAP
    # stays 0.90), to the last VWAP, 06-07: five payments of 500,000 x 105% = 525,000 (no coupon)
    rows = run_ledger(_trigger_terms(maturity=False), parse_events([["2023-03-15", "Split", None, None, "none"]]),
                      _to_june_7()).rows
    paid = [(r["Date"].isoformat(), r["Note"], r["Principal Repaid"], r["Cash Paid"]) for r in rows
            if r["Event"] == "Prepayment"]
    assert paid == [(day, "Registered", 500_000, 525_000) for day in
                    ("2023-02-07", "2023-03-07", "2023-04-07", "2023-05-07", "2023-06-07")]


def test_trigger_payments_after_the_last_vwap_say_they_are_projected():
    """Kills _push_trigger_payments mutant 12 (the end taken as the last VWAP's day for notes with
    a maturity): the payments run, uncured, to the notes' maturity, 2022-12-19 + 18 months =
    2024-06-19, beyond the VWAPs' last day; those after it say they are projected."""
    rows = [r for r in run_ledger(_trigger_terms(maturity=True), parse_events([]), _to_june_7()).rows
            if r["Event"] == "Prepayment"]
    # monthly from 2023-02-07 to 2024-06-07: 17 payments, 8,500,000 of Registered's 12,500,000
    assert [r["Date"].isoformat() for r in rows] == [f"{y}-{m:02d}-07" for y, m in
                                                     [(2023, m) for m in range(2, 13)] + [(2024, m) for m in range(1, 7)]]
    assert rows[-1]["Principal After"] == 12_500_000 - 17 * 500_000 == 4_000_000
    # 06-07 is the last VWAP: a payment of the data; 07-07 the first projected
    assert rows[4]["Detail"] == ("monthly payment 5 (the VWAP below $1.0000 on 3 of 5 trading days) at 105% of "
                                 "principal plus accrued interest")
    assert rows[5]["Detail"] == ("monthly payment 6 (the VWAP below $1.0000 on 3 of 5 trading days) at 105% of "
                                 "principal plus accrued interest; projected: the VWAPs end on 2023-06-07, due "
                                 "unless the price cures before")
    assert all(r["Detail"].endswith("due unless the price cures before") for r in rows[5:])


def test_monthly_installment_conversions(sample):
    terms = (ASTI_2022.with_term("installment_first_month", 1).with_term("installment_discount", 0.08)
             .with_term("installment_days", 20).with_term("installment_lowest", 1)
             .with_term("installment_amount", 250_000))
    # the sample VWAPs hold the 1:200 split of 2023-09-12: its Split row (the ledger's split guard
    # refuses a later installment priced across it without one)
    s = run_ledger(terms, parse_events([["2023-09-12", "Split", None, None, "1:200"]]), sample)
    rows = [r for r in s.rows if r["Event"] == "Installment" and r["Note"] == "Registered"]
    # monthly from 2022-12-19 + 1 month: 2023-01-19; 02-19 is a Sunday and 02-20 Presidents' Day: 02-21
    assert [r["Date"].isoformat() for r in rows[:2]] == ["2023-01-19", "2023-02-21"]
    # 01-19: the lowest of the 20 VWAPs 12-19 .. 01-18 is 1.8577 (01-13); 92% = 1.709084;
    # 250,000 / 1.709084 = 146,277.6 -> 146,278
    assert rows[0]["Conversion Price"] == pytest.approx(0.92 * 1.8577, abs=1e-12)
    assert (rows[0]["Principal Converted"], rows[0]["Shares Issued"]) == (250_000, 146_278)
    # 02-21: the lowest of the 20 before is 1.0048 (02-17); 92% = 0.924416; 250,000 / 0.924416
    # = 270,441.5 -> 270,442
    assert rows[1]["Conversion Price"] == pytest.approx(0.92 * 1.0048, abs=1e-12) and rows[1]["Shares Issued"] == 270_442
    assert rows[0]["Detail"].startswith("installment 1: alternate $1.70908")
    # without installments (the Ascent deal) no such rows
    assert not [r for r in run_ledger(ASTI_2022, parse_events([]), sample).rows if r["Event"] == "Installment"]


def test_installments_need_their_price():
    from ascent_xl.errors import TermsError

    with pytest.raises(TermsError, match=r"^installment_first_month: missing: installment_amount is 250000; add it"):
        ASTI_2022.conversion.replace(installment_amount=250_000, installment_first_month=None)
