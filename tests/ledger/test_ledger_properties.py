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
