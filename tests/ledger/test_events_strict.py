"""An events file is read strictly: dates and amounts in the one format every reader takes."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import events_from_csv, parse_events

HEADER = "Date,Event,Note,Amount,Value\n"


def _csv(tmp_path, body):
    p = tmp_path / "ev.csv"
    p.write_text(HEADER + body, encoding="utf-8")
    return p


def test_serial_date_is_read_like_the_vwap_reader(tmp_path):
    # 44914 = 2022-12-19 (Excel 1900 system), as in a VWAP file or a cell
    (ev,) = events_from_csv(_csv(tmp_path, "44914,Issue,Registered,,\n"))
    assert ev.date == dt.date(2022, 12, 19)
    (ev,) = parse_events([[44914, "Issue", "Registered"]])
    assert ev.date == dt.date(2022, 12, 19)


@pytest.mark.parametrize(
    ("cell", "says"),
    [("2022-12", "has no day"), ("2023-01-10xyz", "has 'xyz' after the date"),
     ("2023-01-100", "has '0' after the date")],
)
def test_partial_or_trailing_dates_refused(tmp_path, cell, says):
    with pytest.raises(LedgerError, match=rf"^ev.csv line 2: Date '{cell}' {says}"):
        events_from_csv(_csv(tmp_path, f"{cell},Issue,Registered,,\n"))


@pytest.mark.parametrize(
    ("cell", "says"),
    [('"4,2347"', "has an ambiguous comma"), ("10%", "is a percent, but this is not a rate"),
     ("nan", "not a finite number"), ("inf", "not a finite number"), ("1e400", "too large"),
     ("3_0", "has '_'")],
)
def test_amounts_refused_with_the_line(tmp_path, cell, says):
    p = _csv(tmp_path, f"2023-01-10,Conversion,Registered,{cell},\n")
    with pytest.raises(LedgerError, match=rf"^ev.csv line 2 \(2023-01-10, Conversion\): Amount .* {says}"):
        events_from_csv(p)
