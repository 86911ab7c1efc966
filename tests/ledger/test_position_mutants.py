"""The deal as of a date (ledger/position.py), checked field by field against figures written out
by hand, so that a wrong key, a missing field, a flipped status or a flag from the wrong day
fails a test (issue 16: mutation survivors of position.py).

Every expected figure below is derived in its comment from the sample events
(ascent_xl/data/sample_events.csv), the sample VWAPs and the ASTI_2022 terms (4.5% interest on
US 30/360, fixed price 3.93042, floor 0.29, 4.99% ownership cap, alternate price 92.5% of the
mean of the 3 lowest of the 10 VWAPs before the notice date), never from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from typing import Any

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import EventKind, parse_events
from ascent_xl.ledger import conversion_quote, deal_state, run_ledger
from ascent_xl.ledger.position import (
    conversion_dict,
    position_dict,
    position_from,
    position_rows,
    quote_on,
    quote_row,
)
from ascent_xl.pricing import SplitJumpError
from ascent_xl.samples import SAMPLE_VWAPS, data_path

ISSUES = [["2022-12-19", "Issue", "Registered", 12_500_000, "registered"],
          ["2022-12-19", "Issue", "Private", 2_500_000, "private"]]
ROOM = 1_782_072  # floor(0.0499 x 33,930,812 / 0.9501): the holder's cap room before any conversion


@pytest.fixture(scope="module")
def vwaps() -> dict[str, float]:
    with open(data_path(SAMPLE_VWAPS)) as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))[1:]
    return {r[0]: float(r[1]) for r in rows}


def alternate(vwaps: dict[str, float], notice: str) -> float:
    """92.5% of the mean of the 3 lowest of the 10 VWAPs before ``notice``."""
    days = sorted(d for d in vwaps if d < notice)[-10:]
    return 0.925 * sum(sorted(vwaps[d] for d in days)[:3]) / 3


def same(actual: Any, expected: Any, where: str = "") -> None:
    """``actual`` equals ``expected`` key for key (no key more, none less), floats to 1e-12."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), where
        for k in expected:
            same(actual[k], expected[k], f"{where}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            same(a, e, f"{where}[{i}]")
    elif isinstance(expected, float):
        assert type(actual) in (float, int) and actual == pytest.approx(expected, rel=1e-12), (where, actual)
    else:
        assert type(actual) is type(expected) and actual == expected, (where, actual)


def _note(name: str, kind: str, principal: float, accrued: float, due: float, alt: float,
          shares: int, converted: float, capped: bool, room_usd: float) -> dict[str, Any]:
    return {
        "note": name, "kind": kind, "status": "outstanding",
        "issue_date": "2022-12-19", "maturity": "2024-06-19",
        "principal_issued": principal, "principal_converted": 0.0, "principal_repaid": 0.0,
        "outstanding_principal": principal, "accrued_interest": accrued,
        "last_interest_date": "2022-12-31", "next_interest_date": "2023-03-31",
        "interest_due_next": due, "interest_method": "cash", "fixed_price": 3.93042,
        "floor_price": 0.29, "reset_price": None, "in_default": False,
        "alternate_price": alt, "conversion_price": alt, "conversion_shares": shares,
        "conversion_principal": converted, "floor_payment": 0.0, "capped": capped,
        "conversion_note": None, "cap_headroom_usd": room_usd,
        "shares_issued": [], "shares_issued_restated": 0,
    }


def test_position_dict_every_field_on_2023_01_09(terms, sample, sample_events, vwaps):
    # kills position_dict's key and value mutants (a key renamed or upper-cased, a value None),
    # position_from's fields set to None (terms_name, principal issued/converted/repaid, holder
    # ownership, ownership cap, share reserve, cash), _note_position's (kind, issue_date,
    # reset_price, in_default, conversion_note), the status strings, share_basis's "no split"
    # and _iso's mutants (a date always None / None always formatted)
    p = deal_state(terms, sample, sample_events, as_of="2023-01-09")
    alt = alternate(vwaps, "2023-01-09")
    room_usd = math.floor(ROOM * alt * 100) / 100  # the cap's shares at the price, down to the cent
    assert room_usd == 3_564_591.00
    # the private note's 2,500,000 converts whole: ceil(2,500,000 / 2.00025083) = 1,249,844 < ROOM
    private_shares = math.ceil(2_500_000 / alt)
    assert private_shares == 1_249_844
    expected = {
        "as_of": "2023-01-09", "terms": "Ascent Solar advance notes, December 2022", "share_basis": "no split",
        "notes": [
            # 2022-12-31 -> 2023-01-09: 9 days of 30/360 at 4.5%; to 2023-03-31: 90 days
            _note("Registered", "registered", 12_500_000.0, 12_500_000 * 0.045 * 9 / 360,
                  12_500_000 * 0.045 * 90 / 360, alt, ROOM, room_usd, True, room_usd),
            _note("Private", "private", 2_500_000.0, 2_500_000 * 0.045 * 9 / 360,
                  2_500_000 * 0.045 * 90 / 360, alt, private_shares, 2_500_000.0, False, room_usd),
        ],
        "total": {
            "outstanding_principal": 15_000_000.0, "accrued_interest": 14_062.50 + 2_812.50,
            "principal_issued": 15_000_000.0, "principal_converted": 0.0, "principal_repaid": 0.0,
            "shares_issued": [], "shares_issued_restated": 0,
            "shares_outstanding": 33_930_812, "holder_shares": 0, "holder_ownership": 0.0,
            "ownership_cap": 0.0499, "cap_headroom_shares": ROOM, "cap_headroom_usd": room_usd,
            "fixed_price": 3.93042, "floor_price": 0.29, "warrant_shares": 2_513_406, "warrant_price": 3.93,
            # 3 x (12,500,000 / 0.29 -> 43,103,449 + 2,500,000 / 0.29 -> 8,620,690 + 2,513,406)
            "share_reserve": 165_000_000, "share_reserve_needed": 162_712_635,
            "share_reserve_left": 165_000_000 - 162_712_635,
            # 10,500,000 less the stub interest paid in cash on 2022-12-31:
            # 15,000,000 x 4.5% x 12 / 360 = 22,500
            "cash": 10_500_000.0 - 22_500,
        },
        "holders": [{"holder": "Investor", "shares": 0, "ownership": 0.0, "ownership_cap": 0.0499,
                     "cap_headroom_shares": ROOM, "cap_pending": None}],
        "flags": [],
    }
    same(position_dict(p), expected)


def test_position_rows_on_2023_01_09(terms, sample, sample_events, vwaps):
    # kills position_rows' mutants: a conversion column always None (q = None, `or True`) or
    # read from a missing conversion (`is not None`)
    p = deal_state(terms, sample, sample_events, as_of="2023-01-09")
    alt = alternate(vwaps, "2023-01-09")
    room_usd = 3_564_591.00
    d31, m31 = dt.date(2022, 12, 31), dt.date(2023, 3, 31)
    expected = [
        ["Registered", "outstanding", 12_500_000.0, 14_062.50, d31, m31, 140_625.0, 3.93042, 0.29, None,
         alt, ROOM, room_usd, 0.0, room_usd, 0, False],
        ["Private", "outstanding", 2_500_000.0, 2_812.50, d31, m31, 28_125.0, 3.93042, 0.29, None,
         alt, 1_249_844, 2_500_000.0, 0.0, room_usd, 0, False],
        ["Total", "no split", 15_000_000.0, 16_875.0, None, None, None, 3.93042, 0.29, None,
         None, None, None, None, room_usd, 0, False],
    ]
    same(position_rows(p), expected)


def _converted_deal():
    # the private note converts whole on 2023-01-10 (2,500,000 at 1.98834917: ceil -> 1,257,325
    # shares, under the cap's 1,782,072); the registered note converts 250,000 the same day
    return parse_events(ISSUES + [["2023-01-10", "Conversion", "Private", 2_500_000, None],
                                  ["2023-01-10", "Conversion", "Registered", 250_000, None]])


def test_a_note_converted_whole(terms, sample, vwaps):
    # kills _note_position's open_/status mutants (`not closed or principal > 0`, `principal >= 0`,
    # `principal > 0 or not closed`, `... and False`, `+ BALANCE_TOLERANCE`), `open_ or rate > 0`,
    # the "nothing outstanding" text, _by_basis's sum across notes (get(None, 0)), position_rows'
    # columns of a note that cannot convert, and _iso of a missing date
    p = deal_state(terms, sample, _converted_deal(), as_of="2023-01-25")
    alt = alternate(vwaps, "2023-01-10")
    private_shares = math.ceil(2_500_000 / alt)
    registered_shares = math.ceil(250_000 / alt)
    assert (private_shares, registered_shares) == (1_257_325, 125_733)
    n = p.note("Private")
    assert n.status == "converted" and n.outstanding_principal == 0 and n.principal_converted == 2_500_000
    # the interest accrued on the converted principal stays owed: 2022-12-31 -> 2023-01-10
    assert n.accrued_interest == 2_500_000 * 0.045 * 10 / 360 == 3_125.0
    assert n.next_interest_date is None and n.interest_due_next is None
    assert n.conversion is None and n.conversion_note == "nothing outstanding" and n.cap_headroom_usd is None
    d = position_dict(p)["notes"][1]
    assert d["next_interest_date"] is None and d["status"] == "converted"
    assert position_rows(p)[1][:7] == ["Private", "converted", 0.0, 3_125.0, dt.date(2022, 12, 31), None, None]
    assert position_rows(p)[1][10:14] == [None, None, None, None]
    # both notes' shares on the one current basis, added up
    assert [(b.basis, b.shares) for b in p.shares_issued] == [("current", private_shares + registered_shares)]
    assert p.shares_issued_restated == private_shares + registered_shares == 1_383_058


def test_a_note_with_half_a_dollar_left(terms, sample, vwaps):
    # kills `principal > 1` in _note_position (open_ and status) and in quote_on's amount check
    # (`not principal > 1`): 0.50 left is outstanding and converts into ceil(0.50 / price) = 1 share
    ev = parse_events(ISSUES + [["2023-01-10", "Conversion", "Private", 2_499_999.50, None]])
    p = deal_state(terms, sample, ev, as_of="2023-01-25")
    n = p.note("Private")
    assert n.status == "outstanding" and n.outstanding_principal == 0.50
    assert n.conversion_note is None and n.conversion is not None
    assert n.conversion.principal_converted == 0.50 and n.conversion.shares == 1
    # 2,500,000 x 4.5% x 10 / 360 = 3,125.00 accrued to the conversion on 2023-01-10, then
    # 0.50 x 4.5% x 15 / 360 = 0.0009: nothing more to the cent
    assert n.accrued_interest == 3_125.00 and n.next_interest_date == dt.date(2023, 3, 31)


def test_on_an_interest_date_the_next_one_is_later(terms, sample, sample_events):
    # kills `d >= as_of` for the next interest date: on 2023-03-31 itself the next is 2023-06-30
    p = deal_state(terms, sample, sample_events, as_of="2023-03-31")
    reg = p.note("Registered")
    assert reg.last_interest_date == dt.date(2023, 3, 31) and reg.accrued_interest == 0
    assert reg.next_interest_date == dt.date(2023, 6, 30)
    # 12,500,000 - 2,746,212 converted in Q1 = 9,753,788; 90 days at 4.5%: 109,730.115 half up
    assert reg.interest_due_next == 109_730.12


def test_a_note_without_interest_has_no_next_date(terms, sample):
    # kills `t.rate >= 0`: a 0% note has no next interest date and nothing due
    zero = terms.with_term("notes.Registered.rate", 0.0)
    p = deal_state(zero, sample, parse_events(ISSUES), as_of="2023-01-09")
    reg = p.note("Registered")
    assert reg.next_interest_date is None and reg.interest_due_next is None and reg.accrued_interest == 0
    assert p.note("Private").next_interest_date == dt.date(2023, 3, 31)


def test_without_market_data(terms, sample_events):
    # kills the "no VWAP data" text and position_from's `if by_holder or True` (no USD headroom
    # at all is None, not 0)
    p = deal_state(terms, None, sample_events, as_of="2023-01-09")
    assert [n.conversion_note for n in p.notes] == ["no VWAP data", "no VWAP data"]
    assert p.cap_headroom_usd is None and position_dict(p)["total"]["cap_headroom_usd"] is None


# -- flags ---------------------------------------------------------------------------------------

DEFAULTS = ("default: Registered in default (not waived)", "default: Private in default (not waived)")


@pytest.mark.parametrize(("as_of", "flags"), [
    # the schedule's own default flag of that day ("event of default outstanding (no election
    # yet)") is left out: the open default is said once, per note
    ("2023-03-10", DEFAULTS),
    # the 2023-03-14 cap flag is that day's only: not repeated the next day
    ("2023-03-15", DEFAULTS),
    # two min-cash flags on 2024-06-19 in the schedule (before and after the maturity payments):
    # only the one that stands at the end of the day, $667,988.14 below $3,000,000
    ("2024-06-19", ("min-cash: cash $667,988.14 below the $3,000,000 minimum",)),
])
def test_open_flags(terms, sample, sample_events, as_of, flags):
    # kills _open_flags' `in_default and n.closed`, `out = [reserve + min-cash]` (defaults
    # dropped), `f.date == as_of or ...`, `... or text not in out`, and the "min-cash" and
    # "default" codes renamed or upper-cased
    assert deal_state(terms, sample, sample_events, as_of=as_of).flags == flags


def test_a_holder_above_its_cap(terms, sample):
    # kills out.append(None) for a holder above its cap: Investor converts to its cap on
    # 2023-03-14 (1,782,072 shares), then the company reports 30,000,000 shares outstanding:
    # 1,782,072 / 30,000,000 = 5.94%
    ev = parse_events(ISSUES + [["2023-03-14", "Conversion", "Registered", 12_500_000, None],
                                ["2023-03-15", "Shares Outstanding", None, None, 30_000_000]])
    p = deal_state(terms, sample, ev, as_of="2023-03-16")
    assert p.flags == ("cap: Investor at 5.94%, above its 4.99% cap",)


NO_SPLIT_EVENT = ISSUES + [["2023-09-13", "Default", None, None, None]]


def test_a_split_jump_is_flagged_with_the_defaults(terms, sample):
    # the 1:200 split of 2023-09-12 is missing: kills `out = [split-jump ...]` (defaults dropped)
    # and deal_state's default no_split=True
    p = deal_state(terms, sample, parse_events(NO_SPLIT_EVENT), as_of="2023-09-14")
    assert p.flags[:2] == DEFAULTS and len(p.flags) == 3
    assert p.flags[2].startswith("split-jump: notice date 2023-09-14: the VWAP jumps from $0.0561 on 2023-09-11 "
                                 "to $11.1688 on 2023-09-12")
    assert p.note("Registered").conversion is None
    assert p.note("Registered").conversion_note.startswith("not priced: notice date 2023-09-14")
    # kills position_from's default no_split=True: on the ledger's own schedule, the same flag
    schedule = run_ledger(terms, parse_events(NO_SPLIT_EVENT), sample, until=dt.date(2023, 9, 14))
    assert position_from(schedule, as_of=dt.date(2023, 9, 14)).flags == p.flags


def test_no_split_reaches_every_quote(terms, sample, vwaps):
    # kills deal_state's and position_from's no_split passed on as None or not at all, and
    # quote_on's no_split=None in _note_position: told there was no split, the notes price on
    # the VWAPs as they are (the lowest three of the ten before 2023-09-14 are pre-split)
    p = deal_state(terms, sample, parse_events(NO_SPLIT_EVENT), as_of="2023-09-14", no_split=True)
    assert p.flags == DEFAULTS
    reg = p.note("Registered")
    assert reg.conversion is not None and reg.conversion_note is None
    assert reg.conversion.floor_binds and reg.conversion.conversion_price == 0.29


# -- conversion quotes -----------------------------------------------------------------------------


def test_conversion_dict_and_row(terms, sample, sample_events, vwaps):
    # kills conversion_dict's keys renamed or upper-cased and _iso(None) for the notice date;
    # conversion_quote's before=None (or no before): the day's own 250,000 conversion is not
    # applied before the quote, so the whole 12,500,000 is quoted, cut by the cap
    q, state = conversion_quote(terms, sample, sample_events, notice_date="2023-01-10", amount=250_000)
    alt = alternate(vwaps, "2023-01-10")
    expected = {
        "notice_date": "2023-01-10", "note": "Registered", "amount": 250_000.0, "fixed_price": 3.93042,
        "alternate_price": alt, "unfloored_price": alt, "floor_price": 0.29, "conversion_price": alt,
        "alternate_discount": 0.075, "floor_binds": False, "capped": False, "holder_shares": 0,
        "ownership_cap": 0.0499, "cap_shares": ROOM, "principal_converted": 250_000.0,
        "shares": math.ceil(250_000 / alt), "vwap": vwaps["2023-01-10"], "floor_payment": 0.0,
    }
    same(conversion_dict(q, note="Registered"), expected)
    same(quote_row(q), [alt, 125_733, 0.0, 3.93042, 0.29, alt, False, 250_000.0])
    assert state.notes["Registered"].principal == 12_500_000  # before the day's conversion
    whole, _ = conversion_quote(terms, sample, sample_events, notice_date="2023-01-10")
    assert whole.principal_requested == 12_500_000 and whole.capped and whole.shares == ROOM


def test_conversion_quote_of_a_named_note(terms, sample, sample_events):
    # kills conversion_quote's note=None / note left out (the first note, Registered, instead)
    q, _ = conversion_quote(terms, sample, sample_events, notice_date="2023-01-10", note="Private")
    assert q.principal_requested == 2_500_000


def test_conversion_quote_across_a_missing_split(terms, sample):
    # kills conversion_quote's default no_split=True, and its no_split passed on as None or left
    # out (to the ledger run: the 2023-09-13 conversion's window crosses the jump; to quote_on)
    ev = parse_events(ISSUES + [["2023-09-13", "Conversion", "Private", 1_000, None]])
    with pytest.raises(SplitJumpError, match="notice date 2023-09-14"):
        conversion_quote(terms, sample, parse_events(ISSUES), notice_date="2023-09-14")
    q, state = conversion_quote(terms, sample, ev, notice_date="2023-09-14", note="Private", no_split=True)
    assert state.notes["Private"].principal == 2_500_000 - 1_000 and q.principal_requested == 2_499_000
    state = run_ledger(terms, parse_events(ISSUES), sample, until=dt.date(2023, 9, 14),
                       before=EventKind.CONVERSION, no_split=True).state
    with pytest.raises(SplitJumpError):  # quote_on's own default: a split is looked for
        quote_on(state, notice_date=dt.date(2023, 9, 14))


@pytest.mark.parametrize(("amount", "note", "day", "message"), [
    # kills `not principal >= 0`
    (0.0, None, "2023-01-10", "amount 0.00: the principal to convert must be more than zero"),
    # kills `found is None and not found[1]`: 2023-01-16 is Martin Luther King Day (no session)
    (1_000.0, None, "2023-01-16", "notice date 2023-01-16: not a trading day"),
    # kills note_to_convert's `closed and principal <= 0` and its day None in the message
    (None, "Private", "2023-01-25", "note Private has no principal outstanding on 2023-01-25"),
])
def test_quote_refusals(terms, sample, amount, note, day, message):
    with pytest.raises(LedgerError, match=message):
        conversion_quote(terms, sample, _converted_deal(), notice_date=day, amount=amount, note=note)


def test_a_quote_of_the_whole_principal_plus_the_tolerance(terms, sample):
    # kills `principal >= n.principal + BALANCE_TOLERANCE`: half a cent over is still allowed
    q, _ = conversion_quote(terms, sample, parse_events(ISSUES), notice_date="2023-01-10",
                            amount=2_500_000 + 0.005, note="Private")
    assert q.principal_converted == 2_500_000


def test_a_quote_in_default_with_family_terms(terms, sample, vwaps):
    # kills quote_on's conversion_on(..., in_default=None), notice_date=None and issue_date=None:
    # with a 15% discount in default and the alternate price only from 60 days after issue
    # (2022-12-19 + 60 = 2023-02-17), a notice of 2023-03-13 (in default since 2023-03-10) prices
    # at 85% of the mean of the 3 lowest of the 10 VWAPs before it
    family = terms.with_term("conversion.default_discount", 0.15).with_term(
        "conversion.alternate_price_start_days", 60)
    ev = parse_events(ISSUES + [["2023-03-10", "Default", None, None, None]])
    q, state = conversion_quote(family, sample, ev, notice_date="2023-03-13", amount=1_000)
    assert state.notes["Registered"].in_default
    days = sorted(d for d in vwaps if d < "2023-03-13")[-10:]
    lowest3 = sum(sorted(vwaps[d] for d in days)[:3]) / 3
    assert q.alternate_price == pytest.approx(0.85 * lowest3, rel=1e-12)
    assert q.conversion_price == pytest.approx(0.85 * lowest3, rel=1e-12) and q.conversion_price < 3.93042


def test_a_holder_exactly_at_its_cap_is_not_above_it(terms, sample):
    # kills _open_flags' `h.ownership >= h.ownership_cap`: the private note converts into
    # 1,257,325 shares (see _converted_deal), the holder sells 758,325 of them and keeps 499,000;
    # the company then reports 10,000,000 shares: 499,000 / 10,000,000 = 4.99%, the cap itself
    ev = parse_events(ISSUES + [["2023-01-10", "Conversion", "Private", 2_500_000, None],
                                ["2023-01-11", "Holder Sale", None, 758_325, None],
                                ["2023-01-12", "Shares Outstanding", None, None, 10_000_000]])
    p = deal_state(terms, sample, ev, as_of="2023-01-13")
    assert p.holder_shares == 1_257_325 - 758_325 == 499_000 and p.holder_ownership == 0.0499
    assert p.flags == ()


def test_before_the_alternate_start_day_the_fixed_price_applies(terms, sample):
    # kills quote_on's capped_conversion without alternate= (the alternate applying anyway): with
    # the alternate price only from 60 days after issue, a notice of 2023-01-10 (22 days after
    # 2022-12-19) prices at the fixed 3.93042 though the alternate would be 1.98834917
    family = terms.with_term("conversion.alternate_price_start_days", 60)
    q, _ = conversion_quote(family, sample, parse_events(ISSUES), notice_date="2023-01-10", amount=1_000)
    assert q.conversion_price == 3.93042 and q.shares == math.ceil(1_000 / 3.93042) == 255


def test_a_quote_under_the_holders_own_cap(terms, sample):
    # kills quote_on's cap=None / cap left out / cap_of(None) (the terms' 4.99%): the holder cut
    # its cap to 4% on 2023-01-09; no shares held yet: floor(0.04 x 33,930,812 / 0.96) shares
    ev = parse_events(ISSUES + [["2023-01-09", "Amendment", "Registered", None, "ownership_cap = 0.04"]])
    q, _ = conversion_quote(terms, sample, ev, notice_date="2023-01-10")
    assert q.capped and q.shares == math.floor(0.04 * 33_930_812 / 0.96) == 1_413_783


def test_the_usd_headroom_is_the_holders_lowest_note_price(terms, sample, vwaps):
    # kills position_from's by_holder.get(None, inf) (the last note's room instead of the least):
    # the registered note has its own fixed price 1.00, below the alternate 2.00025083, so the
    # holder's 1,782,072 shares of room are $1,782,072.00 through it and $3,564,591.00 through
    # the private note; the holder's USD room is the lower
    own = terms.with_term("notes.Registered.own_fixed_price", 1.0)
    p = deal_state(own, sample, parse_events(ISSUES), as_of="2023-01-09")
    alt = alternate(vwaps, "2023-01-09")
    assert [n.cap_headroom_usd for n in p.notes] == [ROOM * 1.0, math.floor(ROOM * alt * 100) / 100]
    assert p.cap_headroom_usd == 1_782_072.00


def test_position_dict_shows_a_pending_cap_raise(terms, sample):
    # kills position_dict's cap_pending mutants (its date None, its keys renamed): the holder's
    # notice of 2023-01-10 raising its cap to 9.99% takes effect 61 days later, 2023-03-12
    ev = parse_events(ISSUES + [["2023-01-10", "Amendment", "Registered", None, "ownership_cap = 0.0999"]])
    holders = position_dict(deal_state(terms, sample, ev, as_of="2023-01-11"))["holders"]
    assert holders == [{"holder": "Investor", "shares": 0, "ownership": 0.0, "ownership_cap": 0.0499,
                        "cap_headroom_shares": ROOM, "cap_pending": {"from": "2023-03-12", "cap": 0.0999}}]


# -- survivors of the full mutation run of 2026-12-04 ------------------------------------------

def test_a_position_on_a_day_the_market_is_closed_says_why_it_prices_nothing(terms, sample):
    # kills _note_position's `why = str(exc)` as None or "None": 2023-01-14 is a Saturday
    p = deal_state(terms, sample, parse_events([]), as_of="2023-01-14")
    n = p.note("Registered")
    assert n.conversion is None
    assert n.conversion_note == "notice date 2023-01-14: not a trading day; a conversion needs a day the market is open"


def test_the_position_shows_a_default_reset_price(terms):
    # kills reset_price dropped: 80% of the mean of the 3 lowest of the 10 VWAPs before the
    # 2023-03-10 default (0.30, 0.31, 0.32): 0.8 x 0.31 = 0.248 (as tests/ledger/test_engine_mutants.py)
    from tests.helpers.markets import market_before

    market = market_before("2023-03-10", [0.39, 0.38, 0.37, 0.36, 0.35, 0.34, 0.33, 0.32, 0.31, 0.30], include_day=0.50)
    p = deal_state(terms, market, parse_events([["2023-03-10", "Default", "Registered", None, "reset"]]),
                   as_of="2023-03-10")
    assert p.note("Registered").reset_price == pytest.approx(0.248, abs=1e-12)
    assert p.note("Private").reset_price is None  # the Default named Registered
    assert position_dict(p)["notes"][0]["reset_price"] == pytest.approx(0.248, abs=1e-12)


@pytest.mark.parametrize(("converted", "first"), [(12_499_999, "Registered"), (12_500_000, "Private")])
def test_a_notice_without_a_note_converts_the_first_with_principal_left(sample, converted, first):
    # kills note_to_convert's `not closed or principal > 0`, `principal >= 0` (Registered,
    # converted whole on 2023-01-10 and still owing its interest to the 03-31 coupon, is not
    # closed but has nothing to convert) and `principal > 1` ($1.00 left is principal to convert).
    # The cap raised out of the way: 12,500,000 / 1.98834917 = 6,286,622.1 -> 6,286,623 shares,
    # 12,499,999 / 1.98834917 -> 6,286,622 (the price of 2023-01-10, test_ledger_limits.py)
    from ascent_xl.ledger.position import note_to_convert
    from ascent_xl.presets import ASTI_2022

    terms = ASTI_2022.with_term("ownership_cap_max", 0.5).with_term("conversion.ownership_cap", 0.49)
    s = run_ledger(terms, parse_events([["2023-01-10", "Conversion", "Registered", converted, None]]), sample,
                   until=dt.date(2023, 1, 12))
    assert note_to_convert(s.state, None, dt.date(2023, 1, 12)).name == first
    # the JSON's shares by basis, keyed basis and shares (kills the keys misspelt)
    d = position_dict(position_from(s, as_of=dt.date(2023, 1, 12)))
    assert d["notes"][0]["shares_issued"] == [{"basis": "current", "shares": 6_286_622 if first == "Registered"
                                               else 6_286_623}]


def test_a_quote_where_the_alternate_price_does_not_apply_and_one_without_a_holder(sample):
    # the alternate price only in default (not in default on 2023-01-10): the JSON and the row
    # leave it and its discount blank (kills `if alternate_applies` made always true); a quote on
    # the terms as issued (no events) knows no holder: capped is null, not False
    from ascent_xl.presets import ASTI_2022
    from ascent_xl.pricing import quote_conversion

    q, _ = conversion_quote(ASTI_2022.with_term("alternate_price_applies", "in_default"), sample, parse_events([]),
                            notice_date="2023-01-10", amount=100_000)
    d = conversion_dict(q)
    assert (d["alternate_price"], d["alternate_discount"], quote_row(q)[5]) == (None, None, None)
    assert d["conversion_price"] == 3.93042 and d["capped"] is False  # the fixed price; a holder with room
    bare = conversion_dict(quote_conversion(ASTI_2022, sample, notice_date="2023-01-10", amount=100_000))
    assert bare["capped"] is None and bare["holder_shares"] is None


def test_the_reserve_flag_is_the_end_of_days_not_a_row_before_it(terms, sample):
    # kills _open_flags' "reserve" code misspelt (the day's rows' reserve flags then added to the
    # end of day's): a reserve of 100,000,000 set on 2022-12-20, then $1,000,000 of Registered
    # converts that day. Before it: 12,500,000 / 0.29 -> 43,103,449, 2,500,000 / 0.29 ->
    # 8,620,690 and 2,513,406 warrant shares, 3 x 54,237,545 = 162,712,635 required; after it:
    # 11,500,000 / 0.29 -> 39,655,173, so 3 x 50,789,269 = 152,367,807, the one flag shown
    p = deal_state(terms, sample, parse_events([["2022-12-20", "Share Reserve", None, None, 100_000_000],
                                                ["2022-12-20", "Conversion", "Registered", 1_000_000, None]]),
                   as_of="2022-12-20")
    assert p.flags == ("reserve: 100,000,000 shares reserved, 152,367,807 required (3x issuable at the floor)",)
    s = run_ledger(terms, parse_events([["2022-12-20", "Share Reserve", None, None, 100_000_000]]), sample)
    (row,) = [r for r in s.rows if r["Event"] == "Share Reserve"]
    assert row["Flags"] == "reserve: 100,000,000 shares reserved, 162,712,635 required (3x issuable at the floor)"
