"""ASCENT_SCHEDULE: the ledger through a worksheet function, with ranges as xlwings passes them."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import events_to_rows
from ascent_xl.excel import udfs
from ascent_xl.ledger import SCHEDULE_COLUMNS
from tests.helpers.schedules import assert_principal_conserved


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


def test_schedule_spills_the_sample_deals_rows(sample_events, market_ranges):
    """The spilled rows carry the sample deal's figures, worked out by hand (as in
    tests/ledger/test_ledger_sample_deal.py), and conserve principal by their own columns."""
    out = udfs.ASCENT_SCHEDULE(_events_range(sample_events), *market_ranges)
    assert out[0] == list(SCHEDULE_COLUMNS)
    rows = [dict(zip(SCHEDULE_COLUMNS, r, strict=True)) for r in out[1:]]

    def one(date, event):
        found = [r for r in rows if r["Date"] == dt.datetime.fromisoformat(date) and r["Event"] == event]
        assert len(found) == 1, (date, event, found)
        return found[0]

    q1 = [r for r in rows if r["Event"] == "Conversion" and r["Date"] < dt.datetime(2023, 4, 1)]
    assert round(sum(r["Principal Converted"] for r in q1), 2) == 2_746_212.00  # the supplement's Q1
    # cut by the 4.99% cap: (0.0499 x 35,670,306 - 1,189,494) / 0.9501 = 621,465 shares
    capped = one("2023-03-14", "Conversion")
    assert (capped["Shares Issued"], capped["Principal Converted"]) == (621_465, 258_148.27)
    # the floor binds: 400,000 / 0.29 = 1,379,310.3 -> 1,379,311 shares, and a floor payment
    floored = one("2023-03-28", "Conversion")
    assert (floored["Conversion Price"], floored["Shares Issued"]) == (0.29, 1_379_311)
    assert floored["Floor Payment"] == floored["Cash Paid"] == 58_745.12
    # Q1 PIK interest of the registered note (30/360 on each balance, by hand in the ledger test)
    assert one("2023-03-31", "Issue")["Principal Issued"] == 129_097.50
    # after the 1:200 split the floor is $40: 50,000 / 40 = 1,250 shares
    assert one("2023-10-02", "Conversion")["Shares Issued"] == 1_250
    # principal conserved by the rows' own columns
    assert_principal_conserved(rows)
    assert sum(r["Principal Issued"] or 0 for r in rows) == pytest.approx(15_000_000 + 129_097.50 + 28_125.00)


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
