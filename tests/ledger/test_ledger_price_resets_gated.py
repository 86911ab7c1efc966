"""Dated resets of the fixed price gated by the equity conditions
(``conversion.price_reset_conditions``), row by row, as the mutation run of
``Ledger._price_reset`` found them unchecked. Resets on days 60 and 120 after the 2022-12-19
issue: 2023-02-17 and 2023-04-18 (12 + 31 + 28 + 31 + 18 = 120 days), each to 100% of the 10-day
average ("replace"). On the sample the equity conditions fail (its market caps fall below the
$75,000,000 minimum), so a reset is deferred (tried each trading day until the next reset's
date, or the 2024-06-19 maturity) or skipped."""

from __future__ import annotations

import numpy as np
import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022

_SPLIT = [["2023-09-12", "Split", None, None, "1:200"]]
_RESETS = (ASTI_2022.with_term("price_reset_days", "60, 120").with_term("price_reset_rule", "replace")
           .with_term("alternate_price_applies", "in_default"))


def _resets(terms, market, rows=_SPLIT):
    s = run_ledger(terms, parse_events(rows), market)
    return [(r["Date"].isoformat(), r["Flags"], r["Detail"], r["Source"]) for r in s.rows
            if r["Event"] == "Price Reset" and r["Note"] == "Registered"]


def _equity(n, days):
    return f"equity: equity conditions not met for price reset {n}: market cap at the minimum on only {days} days"


def test_deferred_resets_are_tried_until_the_next_reset_or_maturity_then_skipped(sample):
    # kills the deadline (the next reset's day, else maturity: its `if later` and the sign), the
    # "defer" branch's text, the flag's code "reset", and the retries' Source
    got = _resets(_RESETS.with_term("price_reset_conditions", "defer"), sample)

    def row(day, n, days, how, why, price="3.93042"):
        return (day, _equity(n, days) + f"; reset: reset {n} {how}",
                f"reset {n} {how}: {why}; fixed price stays ${price}", "ledger")

    deferred = "the equity conditions do not hold; tried each trading day before"
    assert got == [
        row("2023-02-17", 1, 11, "deferred", f"{deferred} 2023-04-18"),
        row("2023-04-17", 1, 0, "skipped", "the equity conditions held on no trading day from 2023-02-17 to 2023-04-18"),
        row("2023-04-18", 2, 0, "deferred", f"{deferred} 2024-06-19"),
        # after the 1:200 split the $3.93042 is $786.08400 a share
        row("2024-06-18", 2, 0, "skipped", "the equity conditions held on no trading day from 2023-04-18 to 2024-06-19",
            price="786.08400"),
    ]


def test_a_deferred_reset_waits_when_the_data_end(sample):
    # the VWAPs (with volumes and market caps) only to 2023-03-01: reset 1, deferred on 02-17,
    # is still deferred on the data's last day (kills "pending" and its texts); reset 2 comes
    # after the data: still deferred too
    dates = np.asarray(sample.dates)
    keep = dates <= np.datetime64("2023-03-01")
    short = MarketData.from_arrays(dates[keep], sample.vwap[keep], dollar_volume=sample.dollar_volume[keep],
                                   market_cap=sample.market_cap[keep])
    got = _resets(_RESETS.with_term("price_reset_conditions", "defer"), short, rows=[])
    assert [g[:3] for g in got[1:]] == [
        ("2023-03-01", _equity(1, 4) + "; reset: reset 1 still deferred",
         "reset 1 still deferred: no market data after 2023-03-01 to test the equity conditions; fixed price "
         "stays $3.93042"),
        ("2023-04-18", "equity: equity conditions for price reset 2 not tested: test date 2023-04-18 is outside the "
         "data: its 20-day window runs past the last dollar volume on 2023-03-01; add later data; reset: reset 2 "
         "still deferred",
         "reset 2 still deferred: no market data after 2023-04-18 to test the equity conditions; fixed price "
         "stays $3.93042"),
    ]


def test_a_reset_without_the_data_to_test_the_conditions_is_skipped_saying_so(sample):
    # VWAPs without dollar volumes or market caps: the conditions cannot be tested, so under
    # "skip" the reset is skipped, and the detail says they were not tested (kills its texts)
    bare = MarketData.from_arrays(np.asarray(sample.dates), sample.vwap)
    got = _resets(_RESETS.with_term("price_reset_conditions", "skip"), bare)
    hint = "(give the market data's volume and market cap columns)"
    assert [g[:3] for g in got] == [
        (day, f"equity: equity conditions for price reset {n} not tested: no dollar volume data {hint}; reset: "
              f"reset {n} skipped",
         f"reset {n} skipped: the equity conditions were not tested (see Flags); fixed price stays $3.93042")
        for day, n in (("2023-02-17", 1), ("2023-04-18", 2))]


def test_ungated_resets_happen_whatever_the_conditions(sample):
    # price_reset_conditions none (the default): the sample's failing conditions do not matter
    # (kills the "none" text misspelt, which gates the reset). The 10 VWAPs before 02-17 average
    # 1.23658 (tests/ledger/test_ledger_family.py)
    got = _resets(_RESETS, sample)
    assert got[0][:3] == ("2023-02-17", None, "reset 1: 100% of the 10-day average $1.23658 (replace); fixed price "
                                               "$3.93042 -> $1.23658")


def test_a_reset_without_the_vwaps_of_its_window_is_refused_naming_its_date(sample):
    # data from 2023-02-10: the 10 sessions before 02-17 start on 02-03 (kills the window's
    # `what` dropped or misspelt)
    dates = np.asarray(sample.dates)
    keep = dates >= np.datetime64("2023-02-10")
    late = MarketData.from_arrays(dates[keep], sample.vwap[keep])
    with pytest.raises(LedgerError) as info:
        run_ledger(_RESETS, parse_events([]), late)
    assert str(info.value) == (
        "the price reset of 2023-02-17 (the ledger's own row): price reset date 2023-02-17 needs 10 trading days "
        "of VWAP from 2023-02-03, but the data start on 2023-02-10; add earlier data or use a later date")


def test_a_gated_reset_without_any_vwaps_is_refused_naming_its_row():
    # kills the market asked for with no event to name (an AttributeError instead of this)
    with pytest.raises(LedgerError) as info:
        run_ledger(_RESETS.with_term("price_reset_conditions", "defer"), parse_events([]), None)
    assert str(info.value) == ("the price reset of 2023-02-17 (the ledger's own row): needs VWAP data; give the "
                               "VWAP series")
