"""ASCENT_HOLDERS: the holders of the deal's snapshot (as ASCENT_POSITION's, on the same
arguments) through the worksheet function, with ranges as xlwings passes them and as Office.js
hands them to xlwings Lite. Figures by hand in tests/ledger/test_position_holders.py: 34,235,981
shares outstanding on 2023-02-01, Investor holds 55,169."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from ascent_xl.events import events_to_rows
from ascent_xl.excel import lite, udfs
from ascent_xl.ledger.position import HOLDER_COLUMNS

EPOCH = dt.date(1899, 12, 30)
AS_OF = dt.date(2023, 2, 1)
TWO_HOLDERS = [["Term", "Value"], ["notes.Private.holder", "InvestorB"]]  # the terms that differ
AMENDMENTS = [[dt.datetime(2023, 1, 11), "Amendment", "InvestorB", None, "ownership_cap = 0.04"],
              [dt.datetime(2023, 1, 13), "Amendment", "Investor", None, "ownership_cap = 0.0999"]]


@pytest.fixture(scope="module")
def ranges(sample, sample_events):
    dates = [[dt.datetime.combine(d.item(), dt.time())] for d in sample.dates]
    vwaps = [[float(v)] for v in sample.vwap]
    events = [["Date", "Event", "Note", "Amount", "Value"]]
    for d, kind, note, amount, value in events_to_rows(sample_events):
        events.append([dt.datetime.combine(d, dt.time()), kind, note, amount, value])
    return events + AMENDMENTS, dates, vwaps


def _office(value):
    """A cell as Office.js hands it over: a date as its Excel serial number, a blank as ''."""
    if isinstance(value, dt.datetime):
        return (value.date() - EPOCH).days
    return "" if value is None else value


def test_a_header_and_a_row_per_holder(ranges):
    out = udfs.ASCENT_HOLDERS(*ranges, "2023-02-01", TWO_HOLDERS)
    assert out[0] == list(HOLDER_COLUMNS)
    assert out[1] == ["Investor", 55_169, pytest.approx(55_169 / 34_235_981, rel=1e-12), 0.0499, 0.0999,
                      dt.datetime(2023, 3, 15),  # notice on 2023-01-13 + the Registered note's 61 days
                      math.floor((0.0499 * 34_235_981 - 55_169) / 0.9501)]
    assert out[1][-1] == 1_740_034
    # nothing pending: blank cells ("" as every ASCENT_* array's blanks)
    assert out[2] == ["InvestorB", 0, 0.0, 0.04, "", "", math.floor(0.04 * 34_235_981 / 0.96)]
    assert out[2][-1] == 1_426_499
    assert len(out) == 3


def test_one_holder_without_the_amendments(ranges):
    events, dates, vwaps = ranges
    one = udfs.ASCENT_HOLDERS(events[:-2], dates, vwaps, AS_OF)  # the sample alone, ASTI_2022 terms
    # Investor holds both notes: its 55,169 shares under the terms' 4.99%, no raise pending
    assert one[1:] == [["Investor", 55_169, pytest.approx(55_169 / 34_235_981, rel=1e-12), 0.0499, "", "",
                        1_740_034]]


def test_xlwings_lite_reads_office_js_values_to_the_same_rows(ranges):
    events, dates, vwaps = ranges
    office = [[_office(v) for v in row] for row in events], [[_office(r[0])] for r in dates], vwaps
    serial = (AS_OF - EPOCH).days
    assert lite.ASCENT_HOLDERS(*office, [[serial]], TWO_HOLDERS) == \
        udfs.ASCENT_HOLDERS(*ranges, AS_OF, TWO_HOLDERS)
    # terms left blank arrive as None (JS null): the ASTI_2022 terms, as in the classic function
    assert lite.ASCENT_HOLDERS(*office, serial, None) == udfs.ASCENT_HOLDERS(*ranges, AS_OF)


@pytest.mark.parametrize("bad", ["someday", "2023-13-01", "2023-02"])
def test_a_bad_date_is_refused_with_the_positions_message(ranges, bad):
    told = udfs.ASCENT_HOLDERS(*ranges, bad)
    assert isinstance(told, str) and "as_of" in told
    assert told == udfs.ASCENT_POSITION(*ranges, bad)
    assert lite.ASCENT_HOLDERS(*ranges, [[bad]]) == told


@pytest.mark.parametrize("udf", [udfs.ASCENT_POSITION, udfs.ASCENT_HOLDERS])
def test_a_date_before_the_issue_is_refused_not_shown_as_the_presets(udf, ranges):
    # on 2022-12-01 no note is issued: the position showed the preset's 2,513,406 warrants and a
    # cap headroom on a deal that did not exist yet
    out = udf(*ranges, "2022-12-01")
    text = out if isinstance(out, str) else out[0][0]
    assert "as of 2022-12-01: before the notes' issue on 2022-12-19, nothing is issued yet" in text
    assert udf(*ranges, "2022-12-19")[0][0] in ("Note", "Holder")  # the closing day itself is shown
