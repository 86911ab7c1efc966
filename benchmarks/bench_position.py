"""The deal as of a date (issue 10): a deal_state snapshot on a 10,000-event deal, against the
full ledger run it builds on; and 1,000 ASCENT_QUOTE calls on one book (the cells as xlwings
passes them), the ledger run cached per input fingerprint, against a fresh ledger run per call.
Target: a repeated quote at least 20x cheaper than a fresh ledger run.

Run: python benchmarks/bench_position.py [--quick]
"""

from __future__ import annotations

import datetime as dt

from bench_ledger import build
from harness import compare, quick, report

from ascent_xl.events import EventKind, events_to_rows
from ascent_xl.excel import udfs
from ascent_xl.ledger import deal_state, run_ledger
from ascent_xl.ledger.position import quote_on


def main() -> list[dict]:
    n = 2_000 if quick() else 10_000
    terms, market, events = build(n)
    middle = events[len(events) // 2].date
    f, s, ratio = compare(lambda: deal_state(terms, market, events, as_of=middle),
                          lambda: run_ledger(terms, events, market), number=1, repeat=2 if quick() else 3)
    rows = [{"case": f"deal_state on {middle} of {n:,} events", "snapshot": f, "full ledger": s,
             "ratio": ratio, "target": "about the ledger up to that day"}]

    # one book as xlwings passes it: the events table, the dates and VWAPs columns
    book = [["Date", "Event", "Note", "Amount", "Value"]]
    for d, kind, note, amount, value in events_to_rows(events):
        book.append([dt.datetime.combine(d, dt.time()), kind, note, amount, value])
    dates = [[dt.datetime.combine(d.item(), dt.time())] for d in market.dates]
    vwaps = [[float(v)] for v in market.vwap]
    conversions = [e for e in events if e.kind is EventKind.CONVERSION]
    notice = conversions[len(conversions) // 2].date
    calls = 100 if quick() else 1_000
    amounts = [1_000.0 + 10 * i for i in range(calls)]
    udf_terms = [["Term", "Value"], *[[k, v] for k, v in _overrides(terms).items()]]

    def cached() -> None:
        for a in amounts:
            out = udfs.ASCENT_QUOTE(book, dates, vwaps, notice, a, "Registered", udf_terms)
            assert not isinstance(out, str), out

    def fresh() -> None:  # what each call costs without the cache: the cells read, the ledger run
        udfs._BOOKS.clear()
        udfs._STATES.clear()
        out = udfs.ASCENT_QUOTE(book, dates, vwaps, notice, amounts[0], "Registered", udf_terms)
        assert not isinstance(out, str), out

    cached()  # warm: the first call of the book runs the ledger once
    f, s, ratio = compare(cached, fresh, number=1, repeat=2 if quick() else 3)
    per_call = f / calls
    rows.append({"case": f"{calls:,} ASCENT_QUOTE calls on one {n:,}-event book (notice {notice})",
                 "per cached quote": per_call, "fresh ledger run per call": s, "ratio": s / per_call,
                 "target": "ratio >= 20"})
    # the engine's own quote on the cached state, for context
    state = run_ledger(terms, events, market, until=notice, before=EventKind.CONVERSION).state
    f2, _, _ = compare(lambda: quote_on(state, notice_date=notice, amount=1_000.0, note="Registered"),
                       lambda: None, number=50, repeat=3)
    rows.append({"case": "quote_on a state already run (engine only)", "per quote": f2, "ratio": s / f2,
                 "target": "-"})
    report("deal state and quotes", rows)
    return rows


def _overrides(terms) -> dict[str, object]:
    """The benchmark deal's terms that differ from ASTI_2022, as Term / Value rows."""
    from ascent_xl.presets import ASTI_2022

    base, mine = ASTI_2022.flat(), terms.flat()
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in mine.items()
            if base.get(k) != v and not isinstance(v, tuple)}


if __name__ == "__main__":
    main()
