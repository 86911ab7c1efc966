"""Ledger speed (issue 4): a schedule of 10,000 events over five years of VWAPs, against replaying
the same events' conversions through single calls of the pricing function
(:func:`ascent_xl.pricing.quote_conversion`). Target: under one second, and faster than that
baseline.

Run: python benchmarks/bench_ledger.py [--quick]
"""

from __future__ import annotations

import time

import numpy as np
from harness import compare, quick, report

from ascent_xl.calendar import trading_calendar
from ascent_xl.events import Event, EventKind
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import quote_conversion


def build(n_events: int, seed: int = 11):
    rng = np.random.default_rng(seed)
    sessions = trading_calendar("XNAS").sessions_between("2019-01-02", "2024-12-31")
    sessions = sessions[: 5 * 252 + 15]  # five years of VWAPs, plus the first look-back window
    vwap = 3.0 * np.exp(np.cumsum(rng.normal(-0.001, 0.03, len(sessions))))
    market = MarketData.from_arrays(sessions, vwap)
    first = sessions[12].item()
    terms = ASTI_2022.replace(agreement_date=first, notes=tuple(
        n.replace(issue_date=first, face=5e9, maturity_months=60) for n in ASTI_2022.notes))
    terms = terms.replace(conversion=terms.conversion.replace(floor_price=0.01))
    days = np.sort(rng.choice(sessions[13:-5], n_events))
    kinds = rng.choice(3, n_events, p=[0.6, 0.35, 0.05])
    events = []
    for d, k in zip(days, kinds, strict=True):
        d = d.item()
        if k == 0:
            events.append(Event(d, EventKind.CONVERSION, "Registered", float(rng.integers(1_000, 20_000))))
        elif k == 1:
            events.append(Event(d, EventKind.HOLDER_SALE))
        else:
            events.append(Event(d, EventKind.INTEREST_ELECTION, None, None, rng.choice(["cash", "pik"])))
    return terms, market, events


def baseline(terms, market, events) -> None:
    for e in events:
        if e.kind is EventKind.CONVERSION:
            quote_conversion(terms, market, notice_date=e.date, amount=e.amount)


def main() -> list[dict]:
    n = 2_000 if quick() else 10_000
    terms, market, events = build(n)
    t0 = time.perf_counter()
    schedule = run_ledger(terms, events, market)
    first_run = time.perf_counter() - t0
    assert all(r["Check"] for r in schedule.rows)
    conversions = sum(e.kind is EventKind.CONVERSION for e in events)
    f, s, ratio = compare(lambda: run_ledger(terms, events, market), lambda: baseline(terms, market, events),
                          number=1, repeat=2 if quick() else 3)
    rows = [{"case": f"{n:,} events ({conversions:,} conversions), {len(schedule.rows):,} rows",
             "ledger": f, "first run": first_run, "single pricing calls": s, "ratio": ratio,
             "target": "<1s and ratio>1"}]
    report("deal ledger", rows)
    return rows


if __name__ == "__main__":
    main()
