"""ASCENT_POSITION and ASCENT_QUOTE: the deal's state through worksheet functions, with ranges as
xlwings passes them; figures by hand (see tests/ledger/test_ledger_position.py for the arithmetic)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import events_to_rows
from ascent_xl.excel import udfs
from ascent_xl.ledger.position import POSITION_COLUMNS, QUOTE_COLUMNS


@pytest.fixture(scope="module")
def ranges(sample, sample_events):
    dates = [[dt.datetime.combine(d.item(), dt.time())] for d in sample.dates]
    vwaps = [[float(v)] for v in sample.vwap]
    events = [["Date", "Event", "Note", "Amount", "Value"]]
    for d, kind, note, amount, value in events_to_rows(sample_events):
        events.append([dt.datetime.combine(d, dt.time()), kind, note, amount, value])
    return events, dates, vwaps


def test_position_spills_a_header_a_row_per_note_and_a_total(ranges):
    out = udfs.ASCENT_POSITION(*ranges, "2023-10-13")
    assert out[0] == list(POSITION_COLUMNS)
    rows = {r[0]: dict(zip(POSITION_COLUMNS, r, strict=True)) for r in out[1:]}
    assert list(rows) == ["Registered", "Private", "Registered-PIK1", "Total"]
    reg = rows["Registered"]
    # 9,753,788 - 6 x 1,000,000 prepaid - 50,000 converted; 2 days on 3,753,788 + 11 on 3,703,788
    assert reg["Outstanding Principal"] == 3_703_788 and reg["Accrued Interest"] == 938.45 + 5_092.71
    assert reg["Floor Price"] == pytest.approx(0.20 * 200) and reg["Fixed Price"] == pytest.approx(0.15 * 200)
    assert reg["Next Interest Date"] == dt.datetime(2023, 12, 31)
    assert rows["Total"]["Outstanding Principal"] == 3_703_788 + 2_528_125 + 129_097.50
    assert rows["Total"]["Shares Issued (current basis)"] == round(4_853_767 / 200 + 1_250) == 25_519


def test_quote_prices_the_50000_case_on_the_state_that_day(ranges):
    out = udfs.ASCENT_QUOTE(*ranges, "2023-09-15", 50_000)
    assert out[0] == list(QUOTE_COLUMNS)
    q = dict(zip(QUOTE_COLUMNS, out[1], strict=True))
    assert q["Conversion Price"] == pytest.approx(40) and q["Shares"] == 1_250
    assert q["Floor Payment"] == 38_605.21 < 50_000  # the CLI test derives it from the VWAPs
    assert q["Capped"] is False and q["Principal Converted"] == 50_000


def test_quote_with_no_events_is_refused_across_the_split_unless_told(ranges):
    events, dates, vwaps = ranges
    issue_only = events[:4]  # header, the reserve and the two issues: no Split row
    msg = udfs.ASCENT_QUOTE(issue_only, dates, vwaps, "2023-09-15", 50_000)
    assert isinstance(msg, str) and "2023-09-11" in msg and "2023-09-12" in msg
    out = udfs.ASCENT_QUOTE(issue_only, dates, vwaps, "2023-09-15", 50_000, None, None, True)
    assert out[1][0] == 0.29  # the pre-split floor, as told


def test_the_old_floor_payment_function_refuses_the_split_window(ranges):
    _, dates, vwaps = ranges
    msg = udfs.ASCENT_FLOOR_PAYMENT(50_000, 3.93042, dates, vwaps, "2023-09-15")
    assert isinstance(msg, str) and "a split would explain it" in msg  # was $8,065,646.33


def test_bad_arguments_are_named(ranges):
    assert "amount" in udfs.ASCENT_QUOTE(*ranges, "2023-09-15", "abc")
    assert "no note named 'Nope'" in udfs.ASCENT_QUOTE(*ranges, "2023-09-15", 50_000, "Nope")
    assert "as_of" in udfs.ASCENT_POSITION(*ranges, "someday")


def test_an_amount_with_a_fraction_of_a_cent_is_refused_naming_the_amount(ranges):
    told = "amount $0.375 is not a whole number of cents; write it to the cent (e.g. 0.38)"
    assert udfs.ASCENT_QUOTE(*ranges, "2023-09-15", 0.375) == told  # was "principal $0.375 ..."
    assert udfs.ASCENT_NOTICE(*ranges, "2023-09-15", 0.375) == told
    assert udfs.ASCENT_QUOTE(*ranges, "2023-09-15", 0.37)[1][1] == 1  # 0.37 / 40 = 0.00925, rounded up (the terms)


def test_a_repeated_quote_reuses_the_ledger_run(ranges, monkeypatch):
    udfs.ASCENT_QUOTE(*ranges, "2023-09-15", 50_000)
    calls = []
    monkeypatch.setattr(udfs, "run_ledger", lambda *a, **k: calls.append(1))
    out = udfs.ASCENT_QUOTE(*ranges, "2023-09-15", 10_000)  # same cells, same day: cached
    assert calls == [] and out[1][1] == 250  # 10,000 / 40


def test_a_table_of_quotes_in_date_order_is_one_ledger_pass(ranges, sample_events, monkeypatch):
    from ascent_xl.events import EventKind

    days = sorted({str(e.date) for e in sample_events if e.kind is EventKind.CONVERSION})
    assert len(days) >= 3
    made = []
    real = udfs.LedgerCursor
    monkeypatch.setattr(udfs, "LedgerCursor", lambda *a, **k: made.append(1) or real(*a, **k))
    udfs._STATES.clear()
    udfs._CURSORS.clear()
    forward = [udfs.ASCENT_QUOTE(*ranges, day, 1_000) for day in days]
    assert len(made) == 1
    udfs._STATES.clear()
    udfs._CURSORS.clear()
    backward = [udfs.ASCENT_QUOTE(*ranges, day, 1_000) for day in reversed(days)][::-1]
    assert len(made) == 1 + len(days)  # each earlier day starts a pass again
    assert forward == backward
    assert all(isinstance(row[1][1], float | int) for row in forward)  # priced, not refused


def test_quotes_then_a_later_position_are_one_ledger_pass(ranges, sample_events, monkeypatch):
    from ascent_xl.events import EventKind

    days = sorted({str(e.date) for e in sample_events if e.kind is EventKind.CONVERSION})
    made = []
    real = udfs.LedgerCursor
    monkeypatch.setattr(udfs, "LedgerCursor", lambda *a, **k: made.append(1) or real(*a, **k))
    udfs._STATES.clear()
    udfs._CURSORS.clear()
    for day in days:
        udfs.ASCENT_QUOTE(*ranges, day, 1_000)
    position = udfs.ASCENT_POSITION(*ranges, "2023-10-13")  # after the last quote: the same pass goes on
    assert len(made) == 1
    udfs._STATES.clear()
    udfs._CURSORS.clear()
    assert udfs.ASCENT_POSITION(*ranges, "2023-10-13") == position  # a pass of its own: the same
    assert len(made) == 2


def test_ranges_held_fingerprint_each_range_once_and_forget_it_after(ranges, monkeypatch):
    events, dates, vwaps = ranges
    events = [list(r) for r in events]  # a copy this test changes in place
    row = max(i for i, r in enumerate(events) if r[1] == "Conversion" and r[0] < dt.datetime(2023, 10, 13))
    assert events[row][:4] == [dt.datetime(2023, 10, 2), "Conversion", "Registered", 50_000]  # the last one
    frozen = []
    real = udfs._frozen
    monkeypatch.setattr(udfs, "_frozen", lambda v: frozen.append(1) or real(v))

    def principal():
        out = udfs.ASCENT_POSITION(events, dates, vwaps, "2023-10-13")
        assert out[1][0] == "Registered"
        return out[1][POSITION_COLUMNS.index("Outstanding Principal")]

    with udfs.ranges_held():
        held = principal()
        assert held == 3_703_788  # as in the first test
        assert len(frozen) == 4  # events, dates, vwaps and terms (left out: None)
        assert principal() == held and len(frozen) == 5  # the three lists once; None is no range
    events[row][3] += 1_000  # a conversion of 1,000 more, after the block
    assert principal() == held - 1_000  # the cells as they are now: a new fingerprint, a new run
    with udfs.ranges_held():
        assert principal() == held - 1_000
        events[row][3] -= 1_000  # inside a block the caller holds the ranges unchanged: not seen
        assert principal() == held - 1_000
    assert principal() == held
