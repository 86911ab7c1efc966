"""The one date format every reader takes (calendar.parse_date): whole ISO dates, Excel dates
and Excel serials; everything else refused with what to write instead."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ascent_xl.calendar import DateFormatError, as_day, parse_date, serials_to_days

D = dt.date(2022, 12, 19)


@pytest.mark.parametrize(
    "value",
    [
        "2022-12-19",
        " 2022-12-19 ",
        "2022-12-19 00:00:00",  # a datetime written by a spreadsheet or pandas
        "2022-12-19T09:30",
        dt.datetime(2022, 12, 19, 15, 0),  # an Excel date cell: the time of day is dropped
        pd.Timestamp("2022-12-19"),
        np.datetime64("2022-12-19"),
        44914,  # Excel serial: 1899-12-30 + 44914 days (serials from 61 on)
        44914.75,  # a serial with a time of day
        "44914",  # a serial in a CSV written from an unformatted column
    ],
)
def test_dates_read(value):
    assert parse_date(value) == D


def test_serials_follow_excel_1900_system():
    # serial 1 is 1900-01-01, 59 is 1900-02-28, 60 is Lotus's 1900-02-29, 61 is 1900-03-01
    assert parse_date(1) == dt.date(1900, 1, 1)
    assert parse_date(59) == dt.date(1900, 2, 28)
    assert parse_date(61) == dt.date(1900, 3, 1)
    got = serials_to_days(np.array([1.0, 59.0, 61.0, 44914.0]))
    assert [str(d) for d in got] == ["1900-01-01", "1900-02-28", "1900-03-01", "2022-12-19"]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2022-12", "has no day"),
        ("2023-01-10xyz", "has 'xyz' after the date"),
        ("2023-01-100", "has '0' after the date"),
        ("2023-02-30", "not a day of the calendar"),
        ("2022", "is a year"),
        ("31/03/2023", "YYYY-MM-DD"),
        ("20230110", "YYYY-MM-DD"),
        (60, "1900-02-29"),
        (0, "serial numbers from 1"),
        (3e6, "serial numbers from 1"),
        (float("nan"), "serial numbers from 1"),
        (True, "TRUE/FALSE"),
        (pd.NaT, "not a date"),
    ],
)
def test_dates_refused(value, says):
    with pytest.raises(DateFormatError, match=says) as info:
        parse_date(value)
    assert "YYYY-MM-DD" in str(info.value) or "never was" in str(info.value)


def test_as_day_takes_the_same_set():
    assert as_day(44914) == np.datetime64("2022-12-19")
    assert as_day("2022-12-19") == np.datetime64("2022-12-19")
