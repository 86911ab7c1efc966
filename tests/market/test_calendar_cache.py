"""The shipped session tables (``ascent_xl/data/calendars``) are the library's sessions, day
for day; a table that does not cover the span, or an exchange without one, comes from the
library (issue 15: the calendar without importing exchange_calendars and pandas)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from ascent_xl.calendar import (
    CACHED_CALENDARS,
    CALENDAR_END,
    CALENDAR_START,
    cached_sessions,
    library_sessions,
    trading_calendar,
    write_session_table,
)
from ascent_xl.errors import TermsError

REWRITE = "the table is out of date: run `python -m ascent_xl.calendar` and commit the tables"


@pytest.mark.parametrize("name", CACHED_CALENDARS)
def test_each_shipped_table_is_the_librarys_sessions(name):
    cached = cached_sessions(name)
    assert cached is not None, f"{name}: no table covering {CALENDAR_START}..{CALENDAR_END}; {REWRITE}"
    library = library_sessions(name)
    assert len(cached) == len(library), REWRITE
    np.testing.assert_array_equal(cached, library, err_msg=REWRITE)
    assert trading_calendar(name).sessions.dtype == np.dtype("datetime64[D]")


def test_known_closures_and_sessions():
    cal = trading_calendar("XNAS")
    # 9/11 (four days), Hurricane Sandy (two), President Bush's funeral, Juneteenth from 2022
    for day in ("2001-09-11", "2001-09-14", "2012-10-29", "2012-10-30", "2018-12-05", "2022-06-20",
                "2022-12-26", "2023-01-02"):
        assert not cal.is_session(day), day
    for day in ("2001-09-17", "2021-06-18", "2022-12-27", "2023-01-03"):
        assert cal.is_session(day), day


def test_a_table_out_of_range_is_not_used(tmp_path):
    path = write_session_table("XNAS", tmp_path)
    assert cached_sessions("XNAS", tmp_path) is not None
    text = path.read_text(encoding="ascii").replace(f"covers {CALENDAR_START} {CALENDAR_END}",
                                                    f"covers {CALENDAR_START} 2030-12-31")
    path.write_text(text, encoding="ascii")
    assert cached_sessions("XNAS", tmp_path) is None  # too short: the library builds it
    path.write_text("# broken\nfirst 2000-01-03\n", encoding="ascii")
    assert cached_sessions("XNAS", tmp_path) is None
    assert cached_sessions("XLON", tmp_path) is None  # no table


def test_an_exchange_without_a_table_comes_from_the_library():
    assert cached_sessions("XLON") is None
    cal = trading_calendar("XLON")
    assert cal.is_session("2022-12-28") and not cal.is_session("2022-12-27")  # UK Boxing Day moved
    with pytest.raises(TermsError, match="not an exchange calendar"):
        trading_calendar("NOPE")


def test_the_shipped_calendar_imports_neither_the_library_nor_pandas():
    code = ("import sys; from ascent_xl.calendar import trading_calendar; trading_calendar('XNAS'); "
            "print(sorted(m for m in ('pandas', 'exchange_calendars') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
