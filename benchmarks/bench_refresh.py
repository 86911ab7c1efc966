"""Headless refresh speed (issue 6): a deal book with five years of VWAPs and 1,000 events,
refreshed with openpyxl, split into load (safety checks + openpyxl), reading the inputs, the
ledger, the Monte Carlo of the Valuation sheet (20,000 paths over the notes' life), writing the
outputs, and save. The engine's share should be small next to openpyxl's load and save.

Run: python benchmarks/bench_refresh.py [--quick]
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from bench_ledger import build
from harness import quick, report

from ascent_xl.excel.book import OpenpyxlBook
from ascent_xl.excel.refresh import compute, read_inputs, valuation_area, write_outputs
from ascent_xl.excel.template import build_template
from ascent_xl.excel.workbook_io import load_book


def main() -> list[dict]:
    n_events = 200 if quick() else 1_000
    terms, market, events = build(n_events, seed=5)
    with tempfile.TemporaryDirectory() as tmp:
        book = build_template(Path(tmp), terms=terms, market=market, events=events, xlsm=False)[0]
        best: dict[str, float] = {}
        for _ in range(2 if quick() else 3):
            t0 = time.perf_counter()
            wb = load_book(book)
            t1 = time.perf_counter()
            io = OpenpyxlBook(wb)
            inputs = read_inputs(io)
            t2 = time.perf_counter()
            schedule = compute(inputs)
            t3 = time.perf_counter()
            valuation_area(inputs)  # the Monte Carlo of the Valuation sheet, timed on its own
            t4 = time.perf_counter()
            write_outputs(io, replace(inputs, valuation=None), schedule)
            t5 = time.perf_counter()
            wb.save(book)
            t6 = time.perf_counter()
            for key, value in (("load", t1 - t0), ("read inputs", t2 - t1), ("ledger", t3 - t2),
                               ("valuation", t4 - t3), ("write", t5 - t4), ("save", t6 - t5)):
                best[key] = min(best.get(key, np.inf), value)
    engine = best["read inputs"] + best["ledger"] + best["write"]
    openpyxl_io = best["load"] + best["save"]
    row = {"case": f"{len(market.dates):,} VWAP days, {n_events:,} events, {len(schedule.rows):,} schedule rows",
           **best, "engine (read+ledger+write) / (load+save)": f"{engine / openpyxl_io:.1%}"}
    report("headless refresh", [row])
    return [row]


if __name__ == "__main__":
    main()
