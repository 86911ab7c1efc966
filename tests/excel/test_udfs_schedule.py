"""ASCENT_SCHEDULE: the ledger through a worksheet function, with ranges as xlwings passes them."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import events_to_rows
from ascent_xl.excel import udfs
from ascent_xl.ledger import SCHEDULE_COLUMNS, run_ledger
from ascent_xl.presets import ASTI_2022


@pytest.fixture(scope="module")
def market_ranges(sample):
    """The sample market as the two one-column ranges (dates, VWAPs) xlwings passes."""
    return ([[dt.datetime.combine(d.item(), dt.time())] for d in sample.dates],
            [[float(v)] for v in sample.vwap])


def _events_range(events):
    rows = [["Date", "Event", "Note", "Amount", "Value"]]
    for d, kind, note, amount, value in events_to_rows(events):
        rows.append([dt.datetime.combine(d, dt.time()), kind, note, amount, value])
    return rows + [[None] * 5]  # a trailing blank row, as a table range often has


def test_schedule_spills_the_ledgers_rows(sample, sample_events, market_ranges):
    out = udfs.ASCENT_SCHEDULE(_events_range(sample_events), *market_ranges)
    want = run_ledger(ASTI_2022, sample_events, sample)
    assert out[0] == list(SCHEDULE_COLUMNS)
    assert len(out) == 1 + len(want.rows)
    col = {c: i for i, c in enumerate(SCHEDULE_COLUMNS)}
    for got, row in zip(out[1:], want.rows, strict=True):
        assert got[col["Event"]] == row["Event"] and got[col["Note"]] == (row["Note"] or "")
        for c in ("Principal Converted", "Shares Issued", "Floor Payment", "Cash Paid", "Total Principal"):
            assert (got[col[c]] or 0) == pytest.approx(row[c] or 0), c


def test_terms_range_overrides_the_preset(sample_events, market_ranges):
    out = udfs.ASCENT_SCHEDULE(_events_range(sample_events[:6]), *market_ranges, [["Term", "Value"], ["floor_price", 0.5]])
    floors = {r[SCHEDULE_COLUMNS.index("Floor Price")] for r in out[1:]}
    assert floors == {0.5}


def test_schedule_errors_are_text_naming_the_row(sample_events, market_ranges):
    bad = _events_range(sample_events[:3])
    bad[2][1] = "Convertion"
    out = udfs.ASCENT_SCHEDULE(bad, *market_ranges)
    assert isinstance(out, str) and out.startswith("events row 3") and "unknown event 'Convertion'" in out
    over = _events_range(sample_events[:5]) + [[dt.datetime(2023, 1, 10), "Conversion", "Registered", 99e6, None]]
    msg = udfs.ASCENT_SCHEDULE(over, *market_ranges)
    assert "converts $99,000,000.00 but note Registered has" in msg
