"""Property tests of the deal as of a date: for random event sequences and as-of dates, the
snapshot's outstanding principal and shares equal the full schedule's rows up to that date, and
a quote on the state of a day equals the ledger's own conversion on that day."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ascent_xl.errors import AscentError
from ascent_xl.events import Event, EventKind
from ascent_xl.ledger import conversion_quote, deal_state, run_ledger
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import split_ratio
from ascent_xl.samples import sample_market
from tests.helpers.budget import examples


@functools.cache
def _market():
    return sample_market()


def _sessions():
    return [d.item() for d in _market().dates if np.datetime64("2022-12-20") <= d <= np.datetime64("2024-06-18")]


dates = st.deferred(lambda: st.sampled_from(_sessions()))
notes = st.sampled_from(["Registered", "Private"])


def _event(kind, **kw):
    return st.builds(lambda d, **k: Event(d, kind, **k), dates, **kw)


events = st.one_of(
    _event(EventKind.CONVERSION, note=notes, amount=st.floats(1_000, 200_000).map(lambda x: round(x, 2))),
    _event(EventKind.HOLDER_SALE),
    _event(EventKind.PREPAYMENT, note=notes, amount=st.floats(1_000, 50_000).map(lambda x: round(x, 2))),
    _event(EventKind.INTEREST_ELECTION, value=st.sampled_from(["cash", "pik"])),
    _event(EventKind.SPLIT, value=st.sampled_from(["1:200", "1:10", "2:1"])),
    _event(EventKind.DILUTIVE_ISSUE, amount=st.integers(0, 5_000_000).map(float), value=st.floats(0.05, 5.0)),
    _event(EventKind.AMENDMENT, value=st.floats(0.05, 0.5).map(lambda x: f"floor_price = {x:.3f}")),
    _event(EventKind.DEFAULT, note=notes, value=st.sampled_from([None, "reset"])),
    _event(EventKind.WAIVER),
)


def _run_or_skip(evs, **kw):
    try:
        return run_ledger(ASTI_2022, evs, _market(), no_split=True, **kw)
    except AscentError:
        assume(False)  # a sequence the ledger refuses (e.g. converting more than is left)
        raise


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, max_size=20), dates)
def test_the_snapshot_equals_the_schedules_rows_up_to_its_date(evs, as_of):
    full = _run_or_skip(evs)
    p = deal_state(ASTI_2022, _market(), evs, as_of=as_of, no_split=True)
    rows = [r for r in full.rows if r["Date"] <= as_of]
    for n in p.notes:
        mine = [r for r in rows if r["Note"] == n.note]
        issued = sum(r["Principal Issued"] or 0 for r in mine)
        gone = sum((r["Principal Converted"] or 0) + (r["Principal Repaid"] or 0) for r in mine)
        assert n.outstanding_principal == pytest.approx(issued - gone, abs=0.01)
        last = [r["Principal After"] for r in mine if r["Principal After"] is not None]
        assert n.outstanding_principal == pytest.approx(last[-1], abs=0.005)
    # shares: as issued per basis, and restated by the splits after each row up to as_of
    splits = sorted((e.date, split_ratio(e.value)) for e in evs if e.kind is EventKind.SPLIT and e.date <= as_of)
    conv = [r for r in rows if r["Event"] == "Conversion" and r["Shares Issued"]]
    restated = sum(r["Shares Issued"] * math.prod(x for d, x in splits if d > r["Date"]) for r in conv)
    notes_restated = {}
    for r in conv:
        share = r["Shares Issued"] * math.prod(x for d, x in splits if d > r["Date"])
        notes_restated[r["Note"]] = notes_restated.get(r["Note"], 0.0) + share
    for n in p.notes:
        assert n.shares_issued_restated == math.floor(notes_restated.get(n.note, 0.0) + 0.5 + 1e-6)
    assert p.shares_issued_restated == pytest.approx(restated, abs=len(p.notes))  # each note rounds once
    assert sum(b.shares for b in p.shares_issued) == sum(r["Shares Issued"] for r in conv)
    assert p.shares_outstanding == (rows[-1]["Shares Outstanding"] if rows else ASTI_2022.shares_outstanding)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, max_size=20), dates, notes, st.floats(1_000, 300_000).map(lambda x: round(x, 2)))
def test_a_quote_equals_the_ledgers_own_conversion_that_day(evs, day, note, amount):
    assume(not any(e.kind is EventKind.CONVERSION and e.date == day for e in evs))
    _run_or_skip(evs)
    try:
        q, _ = conversion_quote(ASTI_2022, _market(), evs, notice_date=day, amount=amount, note=note,
                                no_split=True)
    except AscentError:
        assume(False)
        raise
    mine = Event(day, EventKind.CONVERSION, note, amount, row="the quoted notice")
    s = run_ledger(ASTI_2022, [*evs, mine], _market(), until=day, no_split=True)
    (row,) = [r for r in s.rows if r["Source"] == "the quoted notice"]
    assert row["Conversion Price"] == q.conversion_price
    assert row["Shares Issued"] == q.shares
    assert row["Principal Converted"] == q.principal_converted
    assert row["Floor Payment"] == q.floor_payment
