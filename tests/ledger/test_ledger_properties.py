"""Invariants of the ledger over random event sequences (hypothesis)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascent_xl.errors import LedgerError
from ascent_xl.events import Event, EventKind
from ascent_xl.ledger import run_ledger
from ascent_xl.money import round_shares
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import split_ratio
from ascent_xl.samples import sample_market
from tests.helpers.budget import examples

CAP = ASTI_2022.conversion.ownership_cap


@functools.cache
def _market():
    return sample_market()


def _sessions():
    return [d.item() for d in _market().dates if np.datetime64("2022-12-20") <= d <= np.datetime64("2024-06-18")]


def _highest_price_factor(evs) -> float:
    """The largest factor the splits so far restate a price by (1:200 multiplies it by 200)."""
    factor = highest = 1.0
    for e in sorted(evs, key=lambda e: e.date):
        if e.kind == EventKind.SPLIT:
            factor /= e.value.ratio
            highest = max(highest, factor)
    return highest


def _run(evs):
    """The random deal's schedule, or None for the one refusal allowed: reverse splits that
    restate a price above the term's range (three 1:200 splits restate the $0.29 floor to
    0.29 x 200**3 = $2,320,000 a share, above the $1,000,000 a share any price may be)."""
    try:
        return run_ledger(ASTI_2022, evs, _market(), no_split=True)  # prices across the sample's split
    except LedgerError as exc:
        assert "must be at most 1e+06" in str(exc), exc
        assert _highest_price_factor(evs) * ASTI_2022.conversion.fixed_price > 1e6, exc
        return None


dates = st.deferred(lambda: st.sampled_from(_sessions()))  # the market loads on the first draw


def _event(kind, **kw):
    return st.builds(lambda d, **k: Event(d, kind, **k), dates, **kw)


events = st.one_of(
    _event(EventKind.CONVERSION, note=st.sampled_from(["Registered", "Private"]),
           amount=st.floats(1_000, 100_000).map(lambda x: round(x, 2))),
    _event(EventKind.HOLDER_SALE, note=st.sampled_from(["Investor", "Private", None])),
    _event(EventKind.PREPAYMENT, note=st.sampled_from(["Registered", "Private"]),
           amount=st.floats(1_000, 50_000).map(lambda x: round(x, 2)), value=st.sampled_from([None, 1.05])),
    _event(EventKind.INTEREST_ELECTION, value=st.sampled_from(["cash", "pik"])),
    _event(EventKind.SPLIT, value=st.sampled_from(["1:200", "1:10", "2:1", "3:2"])),
    _event(EventKind.DILUTIVE_ISSUE, amount=st.integers(0, 5_000_000).map(float), value=st.floats(0.05, 5.0)),
    _event(EventKind.AMENDMENT, value=st.floats(0.05, 0.5).map(lambda x: f"floor_price = {x:.3f}")),
    _event(EventKind.DEFAULT, note=st.sampled_from(["Registered", "Private"]), value=st.sampled_from([None, "reset"])),
    _event(EventKind.WAIVER),
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, max_size=25))
def test_conservation_shares_and_cap_hold_on_every_row(evs):
    s = _run(evs)
    if s is None:
        return
    previous = ASTI_2022.shares_outstanding
    outstanding: dict[str, float] = {}  # per note, from the rows' own columns
    for r in s.rows:
        # conservation from the schedule's columns: a note's principal after the row is what was
        # issued less what was converted and repaid, on its rows so far; the total is their sum
        if r["Note"] is not None and r["Principal After"] is not None:
            moved = (r["Principal Issued"] or 0.0) - (r["Principal Converted"] or 0.0) - (r["Principal Repaid"] or 0.0)
            outstanding[r["Note"]] = outstanding.get(r["Note"], 0.0) + moved
            assert abs(outstanding[r["Note"]] - r["Principal After"]) < 0.005, r
        assert abs(sum(outstanding.values()) - r["Total Principal"]) < 0.005 * (1 + len(outstanding)), r
        assert r["Principal After"] is None or r["Principal After"] >= 0
        if r["Event"] == "Split":
            pass  # a combination may reduce the count; a forward split raises it
        else:
            assert r["Shares Outstanding"] >= previous, r
        if r["Event"] == "Conversion" and r["Shares Issued"]:
            # a conversion that issues shares never takes the holder above the cap (a holder
            # already above it - e.g. by a reverse split's rounding of tiny counts - gets none)
            assert r["Holder Ownership"] <= CAP + 1e-12, r
        previous = r["Shares Outstanding"]
    summary = s.summary().set_index("Note")
    for name, left in outstanding.items():
        mine = [r for r in s.rows if r["Note"] == name]
        assert summary.loc[name, "Principal Outstanding"] == pytest.approx(left, abs=0.005)
        converted = sum(r["Principal Converted"] or 0.0 for r in mine)
        assert summary.loc[name, "Principal Converted"] == pytest.approx(converted, abs=0.005)


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(events, min_size=1, max_size=25))
def test_splits_restate_shares_by_their_ratio_and_only_combinations_reduce_them(evs):
    s = _run(evs)
    if s is None:
        return
    prev = ASTI_2022.shares_outstanding
    for r in s.rows:
        if r["Event"] == "Split":
            ratio = split_ratio(r["Detail"].split()[1])
            assert r["Shares Outstanding"] == round_shares(prev * ratio, "nearest")
            if ratio >= 1:
                assert r["Shares Outstanding"] >= prev
        prev = r["Shares Outstanding"]
    converted = [r for r in s.rows if r["Event"] == "Conversion"]
    assert all(r["Shares Issued"] >= 0 for r in converted)


MONTH_SETS = ((3, 6, 9, 12), (6, 12), (3, 9), (12,), (1, 4, 7, 10), tuple(range(1, 13)))


@settings(max_examples=examples(40), deadline=None)
@given(day=st.dates(min_value=np.datetime64("2022-12-20").item(), max_value=np.datetime64("2024-06-18").item()),
       months=st.sampled_from(MONTH_SETS), rate=st.sampled_from((None, 0.0, 0.06)))
def test_amended_coupons_pay_the_interest_once(day, months, rate):
    """The Private note's coupon months (and, some of the time, its rate) amended on any day:
    every coupon date comes once, in order, on a month end of the months in force that day (the
    quarter ends before the amendment, the amended months after it, the amendment's day included),
    and the interest paid over the note's life is its principal x rate x 30/360 days of each
    period, to within half a cent a payment (without an amendment: 18 x 30 = 540 days from
    2022-12-19 to 2024-06-19, 2,500,000 x 4.5% x 540/360 = 168,750.00)."""
    import calendar
    import datetime as dt

    from ascent_xl.events import parse_events

    rows = [[day.isoformat(), "Amendment", None, None, f"notes.Private.interest_months = {', '.join(map(str, months))}"]]
    if rate is not None:
        rows.append([day.isoformat(), "Amendment", None, None, f"notes.Private.rate = {rate}"])
    s = run_ledger(ASTI_2022, parse_events(rows), _market())
    paid = [(r["Date"], (r["Interest Paid Cash"] or 0.0) + (r["Interest PIK"] or 0.0)) for r in s.rows
            if r["Note"] == "Private" and r["Event"] in ("Interest", "Maturity") and (r["Interest Paid Cash"] or r["Interest PIK"])]
    dates = [d for d, _ in paid]
    assert dates == sorted(set(dates)), dates
    maturity = dt.date(2024, 6, 19)
    for d in dates:
        month_end = d.day == calendar.monthrange(d.year, d.month)[1]
        in_force = (3, 6, 9, 12) if d < day else months
        assert d == maturity or (month_end and d.month in in_force) or d == day, (d, day, months)
    # each period from one payment to the next is 30/360 days of its start (the bond basis: a
    # 31st counts as the 30th when the start is a 30th or 31st); a period the rate changes in
    # pays the old rate to the amendment and the new one for the rest of its days
    def days_30_360(a: dt.date, b: dt.date) -> int:
        d1 = min(a.day, 30)
        d2 = 30 if b.day == 31 and d1 == 30 else b.day
        return 360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1)

    if rate != 0.0:  # every coupon due comes: the quarter ends before the amendment, then the
        ends = [dt.date(y, m, calendar.monthrange(y, m)[1]) for y in (2022, 2023, 2024) for m in range(1, 13)]
        due = [e for e in ends if dt.date(2022, 12, 19) < e < day and e.month in (3, 6, 9, 12)]
        due += [e for e in ends if day <= e < maturity and e.month in months]  # amended months'
        assert dates == [*due, maturity], (dates, due)
    new_rate = 0.045 if rate is None else rate
    expected = 0.0
    for a, b in zip([dt.date(2022, 12, 19), *dates[:-1]], dates, strict=True):
        before = days_30_360(a, day) if a < day < b else (days_30_360(a, b) if b <= day else 0)
        expected += 2_500_000 * (0.045 * before + new_rate * (days_30_360(a, b) - before)) / 360
    # each payment is rounded to the cent, and so is the interest accrued to the amendment
    assert abs(sum(x for _, x in paid) - expected) <= 0.005 * (len(paid) + 1) + 1e-6, (paid, expected)
