"""Conservation of principal and shares over random deals with two holders, sub-cent amounts,
later financings and optional prepayments, checked from the schedule's own columns (never from
the engine's Check flag)."""

from __future__ import annotations

import datetime as dt
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

TWO = ASTI_2022.with_term("notes.Private.holder", "InvestorB")  # two investors
CAP = TWO.conversion.ownership_cap
LAST = dt.date(2024, 6, 18)  # the day before maturity: the optional prepayment, when drawn


@functools.cache
def _market():
    return sample_market()


def _sessions():
    return [d.item() for d in _market().dates if np.datetime64("2022-12-20") <= d <= np.datetime64("2024-06-14")]


dates = st.deferred(lambda: st.sampled_from(_sessions()))
cents = st.integers(100_000, 10_000_000).map(lambda c: c / 100)  # $1,000.00 .. $100,000.00
sub_cent = st.integers(0, 10_000).map(lambda c: c / 100 + 0.005)  # $0.005 .. $100.005
notes = st.sampled_from(["Registered", "Private"])


def _event(kind, **kw):
    return st.builds(lambda d, **k: Event(d, kind, **k), dates, **kw)


events = st.one_of(
    _event(EventKind.CONVERSION, note=notes, amount=cents),
    _event(EventKind.HOLDER_SALE, note=st.sampled_from(["Investor", "InvestorB"])),
    _event(EventKind.PREPAYMENT, note=notes, amount=cents, value=st.sampled_from([None, 1.05])),
    _event(EventKind.DILUTIVE_ISSUE, amount=st.integers(0, 2_000_000).map(float), value=st.floats(0.3, 5.0)),
    _event(EventKind.PREPAYMENT, note=notes, amount=st.integers(100, 100_000).map(float), value=st.just("financing")),
    _event(EventKind.INTEREST_ELECTION, value=st.sampled_from(["cash", "pik", "pik or cash"])),
    _event(EventKind.SPLIT, value=st.sampled_from(["1:10", "2:1"])),
    _event(EventKind.WARRANT_EXERCISE, amount=st.integers(1, 100_000).map(float), value=st.just("cash")),
)
REFUSALS = ("is not a whole number of cents", "out of later financings", "warrant shares but")


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, max_size=20), st.booleans(),
       st.one_of(st.none(), _event(EventKind.CONVERSION, note=notes, amount=sub_cent)))
def test_principal_and_shares_are_conserved_from_the_schedules_columns(evs, optional_prepay, odd):
    if odd is not None:  # one conversion of a fraction of a cent, on half the examples
        evs = [*evs, odd]
    if optional_prepay:
        evs = [*evs, Event(LAST, EventKind.OPTIONAL_PREPAYMENT, None, None, "notice 2024-05-01")]
    try:
        s = run_ledger(TWO, evs, _market(), no_split=True)  # random deals: prices across the sample's split
    except LedgerError as exc:
        # a sub-cent amount, a financing prepayment beyond 30% of the financings, more warrant
        # shares than remain: refused, naming the row, and nothing else is
        assert any(why in str(exc) for why in REFUSALS), exc
        sub = [e for e in evs if e.amount is not None and abs(e.amount * 100 - round(e.amount * 100)) > 1e-6]
        if "cents" in str(exc):
            assert sub and odd is not None
        return
    assert odd is None or odd.amount * 100 == round(odd.amount * 100)  # a sub-cent amount never passes
    outstanding: dict[str, float] = {}
    shares = TWO.shares_outstanding
    held: dict[str, int] = {}
    for r in s.rows:
        # principal: after each row, issued - converted - repaid on the note's rows so far
        if r["Note"] is not None and r["Principal After"] is not None:
            outstanding[r["Note"]] = (outstanding.get(r["Note"], 0.0) + (r["Principal Issued"] or 0.0)
                                      - (r["Principal Converted"] or 0.0) - (r["Principal Repaid"] or 0.0))
            assert abs(outstanding[r["Note"]] - r["Principal After"]) < 0.005, r
        assert abs(sum(outstanding.values()) - r["Total Principal"]) < 0.005 * (1 + len(outstanding)), r
        # every amount the schedule shows is a whole number of cents
        for col in ("Principal Converted", "Principal Repaid", "Cash Paid", "Floor Payment"):
            if r[col]:
                assert abs(r[col] * 100 - round(r[col] * 100)) < 1e-6, (col, r)
        # shares: outstanding moves by the shares the row issues (a split restates it)
        if r["Event"] == "Split":
            shares = int(round_shares(shares * split_ratio(r["Detail"].split()[1]), "nearest"))  # half up
        elif r["Event"] == "Dilutive Issue":
            shares += int(r["Detail"].split()[0].replace(",", ""))
        else:
            shares += r["Shares Issued"] or 0
        assert r["Shares Outstanding"] == shares, r
        if r["Event"] == "Conversion" and r["Shares Issued"]:
            # each holder under its own cap: the row's Holder columns are the converting holder's
            assert r["Holder Ownership"] <= CAP + 1e-12, r
        if r["Event"] == "Conversion":
            holder = TWO.note(r["Note"].split("-PIK")[0]).holder
            held[holder] = held.get(holder, 0) + (r["Shares Issued"] or 0)
        elif r["Event"] == "Warrant Exercise":
            held[TWO.warrants.holder] = held.get(TWO.warrants.holder, 0) + r["Shares Issued"]
    if optional_prepay:
        assert all(v < 0.005 for v in outstanding.values())  # all notes at once
    summary = s.summary().set_index("Note")
    for name, left in outstanding.items():
        assert summary.loc[name, "Principal Outstanding"] == pytest.approx(left, abs=0.005)
    if not any(e.kind in (EventKind.SPLIT, EventKind.HOLDER_SALE) for e in evs):
        for holder, n in held.items():  # no sale or split: a holder owns what it converted into
            assert s.state.holder(holder).shares == n
