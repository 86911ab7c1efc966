"""A VWAP file is read strictly: what would be misread is refused naming FILE line N."""

from __future__ import annotations

import pytest

from ascent_xl.errors import MarketDataError
from ascent_xl.market import MarketData

HEADER = "Date,VWAP\n"


def _csv(tmp_path, body, name="v.csv"):
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ('"4,2347"', r"VWAP '4,2347' has an ambiguous comma: write 4.2347 for a decimal or 42347"),
        ("300%", r"VWAP '300%' is a percent, but this is not a rate"),
        ("3_0", r"VWAP '3_0' has '_'"),
        ("\u0663", r"VWAP '\u0663' has the digit"),
        ("\uff13", r"VWAP '\uff13' has the digit"),
        ("nan", r"VWAP 'nan' is not a finite number"),
        ("inf", r"VWAP 'inf' is not a finite number"),
        ("1e400", r"VWAP '1e400' is too large"),
        ("2e15", r"VWAP 2e\+15 is not a finite number of at most 1e\+15"),
    ],
)
def test_misread_vwaps_are_refused_with_the_line(tmp_path, cell, says):
    p = _csv(tmp_path, f"2022-12-23,1.0\n2022-12-27,{cell}\n")
    with pytest.raises(MarketDataError, match=r"^v.csv line 3 \(2022-12-27\): " + says):
        MarketData.from_csv(p)


def test_decimal_comma_file_read_when_declared(tmp_path):
    p = _csv(tmp_path, '2022-12-23,"4,2347"\n2022-12-27,"1.250,5"\n')
    m = MarketData.from_csv(p, decimal_comma=True)
    assert m.vwap.tolist() == [4.2347, 1250.5]


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("2022-12", "has no day"),
        ("2022-12-27xyz", "has 'xyz' after the date"),
        ("2022-12-270", "has '0' after the date"),
        ("2022", "is a year"),
    ],
)
def test_misread_dates_are_refused_with_the_line(tmp_path, cell, says):
    p = _csv(tmp_path, f"2022-12-23,1.0\n{cell},1.0\n")
    with pytest.raises(MarketDataError, match=r"^v.csv line 3: date '" + cell + "' " + says):
        MarketData.from_csv(p)


def test_serial_dates_read_and_named_by_line(tmp_path):
    # 44918 is 1899-12-30 + 44918 days = 2022-12-23; 44922 = 2022-12-27
    m = MarketData.from_csv(_csv(tmp_path, "44918,1.0\n44922,2.0\n"))
    assert [str(d) for d in m.dates] == ["2022-12-23", "2022-12-27"]
    # serial 10000 is 1927-05-18: outside the calendar, and the line says so
    with pytest.raises(MarketDataError, match=r"^v.csv line 3: VWAP date 1927-05-18 is outside"):
        MarketData.from_csv(_csv(tmp_path, "44918,1.0\n10000,2.0\n"))
