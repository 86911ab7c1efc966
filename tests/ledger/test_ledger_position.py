"""The deal as of a date (deal_state) on the bundled sample deal, checked by hand at three dates:
before the first conversion, after the Q1 2023 conversions, after the 1-for-200 split.

Interest is US 30/360 at 4.5% from the note's last interest date; every expected figure is
written out from the sample events (ascent_xl/data/sample_events.csv) and VWAPs below.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.ledger import deal_state
from ascent_xl.samples import SAMPLE_VWAPS, data_path

RATE = 0.045


@pytest.fixture(scope="module")
def events(sample_events):
    return sample_events


@pytest.fixture(scope="module")
def market(sample):
    return sample


@pytest.fixture(scope="module")
def vwaps():
    with open(data_path(SAMPLE_VWAPS)) as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))[1:]
    return {r[0]: float(r[1]) for r in rows}


def cents(principal, days):
    """principal x 4.5% x days / 360, half up to the cent, in exact decimal arithmetic."""
    x = Decimal(str(principal)) * Decimal("0.045") * days / 360
    return float(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def alternate_by_hand(vwaps, notice):
    days = sorted(d for d in vwaps if d < notice)[-10:]
    return 0.925 * sum(sorted(vwaps[d] for d in days)[:3]) / 3


def test_before_the_first_conversion(terms, market, events, vwaps):
    p = deal_state(terms, market, events, as_of="2023-01-09")
    reg, priv = p.note("Registered"), p.note("Private")
    assert reg.outstanding_principal == 12_500_000 and priv.outstanding_principal == 2_500_000
    assert p.outstanding_principal == 15_000_000
    # the 12-day stub to 2022-12-31 was paid in cash; then 2022-12-31 -> 2023-01-09 is 9 days
    assert reg.last_interest_date == dt.date(2022, 12, 31)
    assert reg.accrued_interest == round(12_500_000 * RATE * 9 / 360, 2) == 14_062.50
    assert priv.accrued_interest == round(2_500_000 * RATE * 9 / 360, 2) == 2_812.50
    assert p.accrued_interest == 16_875.00
    # next interest date the quarter end; 90 days of 30/360 on 12,500,000
    assert reg.next_interest_date == dt.date(2023, 3, 31)
    assert reg.interest_due_next == 12_500_000 * RATE * 90 / 360 == 140_625.00
    assert reg.fixed_price == 3.93042 and reg.floor_price == 0.29 and reg.reset_price is None
    # converting it all on 2023-01-09: the alternate price, cut by the 4.99% cap
    alt = alternate_by_hand(vwaps, "2023-01-09")
    assert reg.conversion_price == pytest.approx(alt, rel=1e-12)
    room = math.floor((0.0499 * 33_930_812 - 0) / (1 - 0.0499))  # no holder shares yet
    assert room == 1_782_072 == p.cap_headroom_shares == reg.conversion_shares
    assert reg.conversion.capped and reg.conversion.principal_converted == math.floor(room * alt * 100) / 100
    assert reg.shares_issued == () and p.shares_issued_restated == 0
    assert p.holder_shares == 0 and p.shares_outstanding == 33_930_812
    # reserve, measured at the $0.29 floor (the most shares the notes can need):
    # 3 x (12,500,000 / 0.29 -> 43,103,449 + 2,500,000 / 0.29 -> 8,620,690 + 2,513,406 warrant shares)
    assert p.share_reserve_needed == 3 * (43_103_449 + 8_620_690 + 2_513_406) == 162_712_635
    assert p.share_reserve_left == 165_000_000 - 162_712_635  # the sample reserves 165,000,000
    assert p.flags == ()


def test_after_the_q1_2023_conversions(terms, market, events):
    p = deal_state(terms, market, events, as_of="2023-04-03")
    reg, priv, pik = p.note("Registered"), p.note("Private"), p.note("Registered-PIK1")
    # 250,000 + 300,000 + 350,000 + 400,000 + 446,212 + 258,148.27 (capped) + 341,851.73 + 400,000
    converted = 250_000 + 300_000 + 350_000 + 400_000 + 446_212 + 258_148.27 + 341_851.73 + 400_000
    assert round(converted, 2) == 2_746_212.00 == reg.principal_converted
    assert reg.outstanding_principal == 12_500_000 - 2_746_212 == 9_753_788
    # Q1 interest paid in kind on 2023-03-31: a PIK note for the registered note's, the private
    # note's added to its principal (2,500,000 x 4.5% x 90/360 = 28,125)
    assert pik.outstanding_principal == 129_097.50
    assert priv.outstanding_principal == 2_500_000 + 28_125 == 2_528_125
    assert p.outstanding_principal == 9_753_788 + 2_528_125 + 129_097.50 == 12_411_010.50
    # 2023-03-31 -> 2023-04-03 is 3 days of 30/360
    assert reg.accrued_interest == round(9_753_788 * RATE * 3 / 360, 2) == 3_657.67
    assert priv.accrued_interest == round(2_528_125 * RATE * 3 / 360, 2) == 948.05
    # the equity conditions failed on 2023-03-31 (market cap): a private PIK note at the note's 4.5%
    # (supplement line 213), not a registered one: 129,097.50 x 4.5% x 3 / 360 = 48.41
    assert pik.accrued_interest == round(129_097.50 * RATE * 3 / 360, 2) == 48.41
    assert pik.next_interest_date == dt.date(2023, 6, 30)
    assert reg.next_interest_date == dt.date(2023, 6, 30)
    assert reg.interest_due_next == cents(9_753_788, 90) == 109_730.12  # 109,730.115 half up
    assert reg.interest_method == "cash"  # the election of 2023-04-03 applies that day
    # the floor amended to 0.20 on 2023-03-29; the fixed price unchanged
    assert reg.fixed_price == 3.93042 and reg.floor_price == 0.20 == p.floor_price
    assert not reg.in_default  # the default of 2023-03-10 was waived on 2023-03-29
    assert [(b.basis, b.shares) for b in p.shares_issued] == [("current", 4_853_767)]
    assert p.shares_issued_restated == 4_853_767
    # holder: shares from conversions less sales (250,000 + 300,000 + 1,500,000 + 1,300,000)
    assert p.holder_shares == 4_853_767 - 3_350_000 == 1_503_767
    assert p.shares_outstanding == 33_930_812 + 4_853_767 == 38_784_579
    assert p.cap_headroom_shares == math.floor((0.0499 * 38_784_579 - 1_503_767) / 0.9501) == 454_250


def test_after_the_split(terms, market, events, vwaps):
    p = deal_state(terms, market, events, as_of="2023-10-13")
    reg = p.note("Registered")
    assert p.share_basis == "after the 1:200 split of 2023-09-12"
    # 9,753,788 less six prepayments of 1,000,000 (Apr 17 .. Sep 15) less 50,000 converted Oct 2
    assert reg.outstanding_principal == 9_753_788 - 6 * 1_000_000 - 50_000 == 3_703_788
    # from the 2023-09-30 interest date: 2 days on 3,753,788, then 11 days on 3,703,788
    first, second = round(3_753_788 * RATE * 2 / 360, 2), round(3_703_788 * RATE * 11 / 360, 2)
    assert (first, second) == (938.45, 5_092.71)
    assert reg.accrued_interest == round(first + second, 2) == 6_031.16
    # due on 2023-12-31 if nothing else happens. US 30/360 counts the period 2023-09-30 ->
    # 2023-12-31 as 90 days (a 31st after a 30th counts as the 30th): 2 of them on 3,753,788,
    # the other 88 on 3,703,788
    assert reg.next_interest_date == dt.date(2023, 12, 31)
    assert reg.interest_due_next == round(938.45 + cents(3_703_788, 88), 2) == 41_680.12
    # fixed price ratcheted to the 0.15 dilutive issue (2023-06-20), floor amended to 0.20,
    # both x 200 at the split
    assert reg.fixed_price == pytest.approx(0.15 * 200) and reg.floor_price == pytest.approx(0.20 * 200)
    # shares: 4,853,767 issued before the split = 24,268.835 new; 1,250 after (50,000 / 40)
    assert [(b.basis, b.shares) for b in p.shares_issued] == [
        ("before the 2023-09-12 split", 4_853_767), ("current", 1_250)]
    assert p.shares_issued_restated == round(4_853_767 / 200 + 1_250) == 25_519
    # 68,500,000 outstanding before the split / 200 = 342,500, + 1,250
    assert p.shares_outstanding == 342_500 + 1_250
    assert p.holder_shares == round(303_767 / 200) + 1_250 == 2_769
    room = math.floor((0.0499 * 343_750 - 2_769) / 0.9501)
    assert room == 15_139 == p.cap_headroom_shares
    # converting it all today: the post-split VWAPs are far below the 40 floor, so 40 binds
    alt = alternate_by_hand(vwaps, "2023-10-13")
    q = reg.conversion
    assert alt < 30 and q.floor_binds and q.conversion_price == pytest.approx(40)
    assert q.capped and q.shares == room and q.principal_converted == room * 40 == 605_560
    expected = (605_560 / alt - 605_560 / 40) * vwaps["2023-10-13"]
    assert q.floor_payment == round(expected, 2)


def test_after_maturity_everything_is_settled(terms, market, events):
    p = deal_state(terms, market, events, as_of="2024-06-28")
    assert p.outstanding_principal == 0 and p.accrued_interest == 0
    assert all(n.conversion is None and n.next_interest_date is None for n in p.notes)
    assert {n.note: n.status for n in p.notes} == {
        "Registered": "repaid", "Private": "repaid", "Registered-PIK1": "repaid"}


def test_an_unknown_note_is_named(terms, market, events):
    p = deal_state(terms, market, events, as_of="2023-01-09")
    with pytest.raises(LedgerError, match="no note named 'Nope'.*issued: Registered, Private"):
        p.note("Nope")


def test_cap_headroom_is_per_holder(market):
    # Two holders: Investor (Registered) and InvestorB (Private). On 2023-03-14 Investor converts
    # $12,500,000 at 0.415387 (the 3 lowest of the 10 VWAPs 2023-02-28..03-13: 0.3928, 0.4647,
    # 0.4897; x 0.925): its 4.99% cap cuts it to floor(0.0499 x 33,930,812 / 0.9501) = 1,782,072
    # shares, i.e. floor(1,782,072 x 0.415387 x 100) / 100 USD, rounded up to whole shares.
    from ascent_xl.events import parse_events
    from ascent_xl.presets import ASTI_2022
    two = ASTI_2022.with_term("notes.Private.holder", "InvestorB")
    p = deal_state(two, market, parse_events([["2023-03-14", "Conversion", "Registered", 12_500_000, None]]),
                   as_of="2023-03-14")
    price = (0.3928 + 0.4647 + 0.4897) / 3 * 0.925
    allowed = math.floor(1_782_072 * price * 100) / 100
    held = math.ceil(round(allowed / price, 6))
    assert held == 1_782_072
    outstanding = 33_930_812 + held
    assert p.shares_outstanding == outstanding
    by = {h.holder: h for h in p.holders}
    # Investor: floor((0.0499 x 35,712,884 - 1,782,072) / 0.9501) = floor(-0.46) -> no room
    assert by["Investor"].shares == held and by["Investor"].headroom_shares == 0
    # InvestorB holds nothing: floor(0.0499 x 35,712,884 / 0.9501) = floor(1,875,668.4) = 1,875,668
    room_b = math.floor(0.0499 * outstanding / 0.9501)
    assert room_b == 1_875_668
    assert by["InvestorB"].shares == 0 and by["InvestorB"].headroom_shares == room_b
    # the deal's headroom is the holders' summed (a deal-level figure, all shares against one
    # 4.99%, would say 0: nobody could convert)
    assert p.cap_headroom_shares == room_b
    # each note's USD room is its own holder's: the Private note 1,875,668 shares x 0.415387
    assert p.note("Private").cap_headroom_usd == math.floor(room_b * price * 100) / 100
    assert p.note("Registered").cap_headroom_usd == 0.0
    assert p.cap_headroom_usd == pytest.approx(math.floor(room_b * price * 100) / 100, abs=0.005)
    assert not any("above its" in f for f in p.flags)  # nobody is over its cap
    assert any(f.startswith("cap: Investor capped at 4.99%") for f in p.flags)  # that day's cut
