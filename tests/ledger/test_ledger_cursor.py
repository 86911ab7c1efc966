"""LedgerCursor: one ledger pass read at later and later stops gives, at every stop, what a
fresh ``run_ledger(until=..., before=...)`` gives (the oracle), and a stop it gave stays as it
was while the cursor goes on (the split of the sample deal restates earlier rows' shares)."""

from __future__ import annotations

import dataclasses

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import EventKind, events_from_csv
from ascent_xl.ledger import LedgerCursor, run_ledger
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market


def _state_fields(state):
    """The state's fields but the market data (compared by identity; the cursor's is its own)."""
    return {f.name: getattr(state, f.name) for f in dataclasses.fields(state) if f.name != "market"}


def _same(got, expected):
    assert got.rows == expected.rows
    assert got.flags == expected.flags
    assert _state_fields(got.state) == _state_fields(expected.state)
    assert got.state.market.vwap.tolist() == expected.state.market.vwap.tolist()


@pytest.fixture(scope="module")
def deal(terms):
    return terms, events_from_csv(data_path(SAMPLE_EVENTS)), sample_market()


def test_every_stop_of_one_pass_is_the_fresh_run_to_that_stop(deal):
    terms, events, market = deal
    days = sorted({e.date for e in events})
    assert any(e.kind is EventKind.SPLIT for e in events)  # rows before it are restated after it
    assert len(days) > 5
    cursor = LedgerCursor(terms, events, market)
    given = []
    for day in days:
        for before in (EventKind.CONVERSION, None):  # a quote's stop, then the end of the day
            got = cursor.to(day, before)
            _same(got, run_ledger(terms, events, market, until=day, before=before))
            given.append((day, before, got))
    _same(cursor.to(None), run_ledger(terms, events, market))
    for day, before, got in given:  # going on changed none of the stops given before
        _same(got, run_ledger(terms, events, market, until=day, before=before))


def test_a_stop_before_the_last_one_is_refused(deal):
    terms, events, market = deal
    days = sorted({e.date for e in events})
    cursor = LedgerCursor(terms, events, market)
    cursor.to(days[2])
    assert cursor.can_reach(days[2]) and cursor.can_reach(days[3], EventKind.CONVERSION)
    assert not cursor.can_reach(days[2], EventKind.CONVERSION)  # the day's conversions are applied
    assert not cursor.can_reach(days[1])
    with pytest.raises(LedgerError, match="start it again"):
        cursor.to(days[1])


def test_after_an_error_the_cursor_refuses_to_go_on(deal):
    terms, events, market = deal
    first = min(e.date for e in events if e.kind is EventKind.CONVERSION)
    bad = [*events, dataclasses.replace(next(e for e in events if e.date == first and e.kind is EventKind.CONVERSION),
                                        amount=1e12)]
    cursor = LedgerCursor(terms, bad, market)
    with pytest.raises(LedgerError) as fresh:
        run_ledger(terms, bad, market, until=first)
    with pytest.raises(LedgerError) as got:
        cursor.to(first)
    assert str(got.value) == str(fresh.value)
    assert not cursor.can_reach(first) and not cursor.can_reach(None)


def test_a_quotes_state_is_the_fresh_runs_state_and_stays_as_it_was(deal):
    terms, events, market = deal
    days = sorted({e.date for e in events if e.kind is EventKind.CONVERSION})
    cursor = LedgerCursor(terms, events, market)
    states = [cursor.state_to(day, EventKind.CONVERSION) for day in days]
    cursor.to(None)
    for day, state in zip(days, states, strict=True):
        fresh = run_ledger(terms, events, market, until=day, before=EventKind.CONVERSION).state
        assert _state_fields(state) == _state_fields(fresh)


def test_a_state_copy_is_deepcopys_copy_and_shares_nothing_that_changes(deal):
    import copy

    from ascent_xl.ledger.engine import Ledger

    terms, events, market = deal
    ledger = Ledger(terms, market)
    ledger.start(events)
    ledger.advance(until=max(e.date for e in events if e.kind is EventKind.CONVERSION))
    live = ledger.state
    assert live.splits and live.month_sales and len(live.notes) >= 3  # lists, dicts, notes to copy
    got = ledger.state_copy()
    memo = {id(live.terms): live.terms, id(live.market): live.market}
    memo.update({id(n.terms): n.terms for n in live.notes.values()})
    assert _state_fields(got) == _state_fields(copy.deepcopy(live, memo)) == _state_fields(live)
    assert got.terms is live.terms and got.market is live.market  # frozen: shared, as before
    for name, note in live.notes.items():
        assert got.notes[name] is not note and got.notes[name].terms is note.terms
        assert got.notes[name].shares_by_basis is not note.shares_by_basis
    for f in ("notes", "holdings", "caps", "cap_pending", "additional", "month_sales", "splits", "no_split_days"):
        assert getattr(got, f) is not getattr(live, f)
    before = _state_fields(got)
    ledger.advance()  # the live state goes on to the end: the copy stays as it was
    assert _state_fields(got) == before != _state_fields(live)
