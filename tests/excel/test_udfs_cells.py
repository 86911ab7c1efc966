"""Cell conversion for the UDFs (ascent_xl.excel.cells): dates in every form Excel or pycel
hands over, columns with trailing blanks, numbers, flags, terms and events ranges."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from ascent_xl.errors import AscentError
from ascent_xl.events import EventKind
from ascent_xl.excel import cells
from ascent_xl.excel.cells import CellError
from ascent_xl.presets import ASTI_2022


# -- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        (44914, "2022-12-19"),
        (44914.0, "2022-12-19"),
        (44914.75, "2022-12-19"),  # a time of day is dropped
        (1, "1900-01-01"),
        (59, "1900-02-28"),
        (61, "1900-03-01"),  # after Excel's 29 February 1900
        (dt.datetime(2022, 12, 19, 15, 30), "2022-12-19"),
        (dt.date(2022, 12, 19), "2022-12-19"),
        ("2022-12-19", "2022-12-19"),
        (" 2022-12-19 00:00:00", "2022-12-19"),
        ("2022-12-19T09:30", "2022-12-19"),
        (np.datetime64("2022-12-19"), "2022-12-19"),
        ([[44914.0]], "2022-12-19"),  # a 1x1 range
    ],
)
def test_one_date_in_every_form(value, expected):
    assert str(cells.to_day(value, "notice_date")) == expected


@pytest.mark.parametrize(
    "value, words",
    [
        (60, "1900-02-29"),
        (0, "not a date"),
        (-5, "not a date"),
        (3e6, "not a date"),
        ("19/12/2022", "YYYY-MM-DD"),
        ("abc", "YYYY-MM-DD"),
        (True, "not a date"),
        (None, "missing"),
        ("", "missing"),
        ([[1.0], [2.0]], "give one cell"),
    ],
)
def test_bad_date_names_the_argument(value, words):
    with pytest.raises(CellError) as err:
        cells.to_day(value, "notice_date")
    assert str(err.value).startswith("notice_date")
    assert words in str(err.value)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=1, max_value=2958465.99).filter(lambda x: int(x) != 60))
def test_serials_agree_with_openpyxl(serial):
    assert cells.to_day(serial, "d").item() == from_excel(serial).date()


def test_column_of_serials_converts_in_one_pass_and_matches_one_by_one():
    serials = list(np.arange(44000, 46000, dtype=float))
    days = cells.to_days(serials, "dates")
    assert [cells.to_day(s, "d") for s in serials[:50]] == list(days[:50])
    assert str(days[914]) == "2022-12-19"


def test_column_of_datetimes_and_of_mixed_cells():
    stamps = [dt.datetime(2022, 12, 12) + dt.timedelta(days=i, hours=i) for i in range(5)]
    assert [str(d) for d in cells.to_days(stamps, "dates")] == [
        "2022-12-12",
        "2022-12-13",
        "2022-12-14",
        "2022-12-15",
        "2022-12-16",
    ]
    mixed = [dt.datetime(2022, 12, 12), 44908.0, "2022-12-14", dt.date(2022, 12, 15)]
    assert [str(d) for d in cells.to_days(mixed, "dates")] == [
        "2022-12-12",
        "2022-12-13",
        "2022-12-14",
        "2022-12-15",
    ]


def test_bad_cell_in_a_column_names_its_row():
    with pytest.raises(CellError, match=r"^dates row 3: 'x' is not a date"):
        cells.to_days([44908.0, 44909.0, "x"], "dates")
    with pytest.raises(CellError, match=r"^dates row 7: 60 is 1900-02-29"):
        cells.to_days([44908.0, 60.0], "dates", rows=[0, 6])


# -- shapes --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ([[1.0], [2.0], [None]], [1.0, 2.0, None]),  # a column as ndim=2 passes it
        ([1.0, 2.0], [1.0, 2.0]),  # a column as the default ndim passes it
        ([[1.0, 2.0, 3.0]], [1.0, 2.0, 3.0]),  # a row
        (5.0, [5.0]),
        ((("a",), ("b",)), ["a", "b"]),  # pycel: a tuple of rows
        (np.array([[1.0], [2.0]]), [1.0, 2.0]),
    ],
)
def test_column_shapes(value, expected):
    assert cells.column(value, "vwaps") == expected


def test_two_dimensional_range_is_refused():
    with pytest.raises(CellError, match=r"vwaps: select one column \(got 2 rows x 2 columns\)"):
        cells.column([[1.0, 2.0], [3.0, 4.0]], "vwaps")


def test_trailing_blanks_are_trimmed_but_not_inner_ones():
    assert cells.trim_trailing([1.0, None, 2.0, None, "", "  "]) == [1.0, None, 2.0]
    assert cells.trim_trailing([None, None]) == []


# -- numbers and flags ------------------------------------------------------------------------
def test_numbers():
    assert cells.to_number(3.5, "x") == 3.5
    assert cells.to_number([[3.5]], "x") == 3.5
    assert cells.to_number("1,250", "x") == 1250.0
    assert cells.to_number("4.5%", "x", percent=True) == pytest.approx(0.045)
    assert cells.to_number(None, "x", 7.0) == 7.0
    assert cells.to_whole(10.0, "days") == 10
    with pytest.raises(CellError, match=r"^amount 'abc' is not a number; type"):
        cells.to_number("abc", "amount")
    with pytest.raises(CellError, match=r"^amount: missing"):
        cells.to_number(None, "amount")
    with pytest.raises(CellError, match=r"^amount True is not a number"):
        cells.to_number(True, "amount")
    with pytest.raises(CellError, match=r"^days 2.5 is not a whole number"):
        cells.to_whole(2.5, "days")
    with pytest.raises(CellError, match=r"^amount '#N/A' is not a number"):
        cells.to_number("#N/A", "amount")  # an error cell read with err_to_str=True


def test_floats_column_names_the_row_and_keeps_blanks():
    out = cells.to_floats([1.0, None, "2.5", ""], "vwaps")
    assert out[0] == 1.0 and np.isnan(out[1]) and out[2] == 2.5 and np.isnan(out[3])
    with pytest.raises(CellError, match=r"^vwaps row 14: 'abc' is not a number; type"):
        cells.to_floats([1.0] * 13 + ["abc"], "vwaps")
    with pytest.raises(CellError, match=r"^vwaps row 2: '#N/A' is not a number \(an Excel error\)"):
        cells.to_floats([1.0, "#N/A"], "vwaps")


def test_flags_and_choices():
    assert cells.to_bool(True, "f") is True
    assert cells.to_bool("false", "f") is False
    assert cells.to_bool(1.0, "f") is True
    assert cells.to_bool(None, "f", False) is False
    with pytest.raises(CellError, match="TRUE or FALSE"):
        cells.to_bool("maybe", "f")
    assert cells.to_choice(" UP ", "rounding", ("up", "down", "nearest")) == "up"
    with pytest.raises(CellError, match=r"^rounding 'sideways': use one of up, down, nearest"):
        cells.to_choice("sideways", "rounding", ("up", "down", "nearest"))


def test_results_to_cells():
    assert cells.to_cell(np.float64(2.5)) == 2.5 and type(cells.to_cell(np.float64(2.5))) is float
    assert type(cells.to_cell(np.int64(3))) is int
    assert cells.to_cell(np.bool_(True)) is True
    assert cells.to_cell(float("nan")) == ""
    assert cells.to_cell(dt.date(2022, 12, 19)) == dt.datetime(2022, 12, 19)
    assert cells.to_column(np.array([1.0, 2.0])) == [[1.0], [2.0]]


def test_errors_become_text_never_tracebacks():
    @cells.cell_errors
    def bad_input() -> float:
        """Doc."""
        raise CellError("x: fix it")

    @cells.cell_errors
    def bug() -> float:
        """Doc."""
        return {}["missing"]

    assert bad_input() == "x: fix it"
    text = bug()
    assert text.startswith("internal error (KeyError)") and "Traceback" not in text
    assert "\n" not in text


# -- market data from ranges -----------------------------------------------------------------
def _sessions(n: int, start: str = "2022-11-01") -> list[dt.datetime]:
    from ascent_xl.calendar import trading_calendar

    days = trading_calendar("XNAS").sessions_between(start, "2023-12-31")[:n]
    return [dt.datetime.combine(d.item(), dt.time()) for d in days]


def test_market_from_ranges_ignores_trailing_and_blank_rows():
    cells.clear_market_cache()
    dates = [[d] for d in _sessions(12)] + [[None], [None]]
    vwaps = [[2.0 + i / 10] for i in range(12)] + [[None], [None]]
    dates.insert(4, [None])
    vwaps.insert(4, [None])  # a blank row in the middle
    m = cells.market_from_cells(dates, vwaps)
    assert len(m.dates) == 12 and not np.isnan(m.vwap).any()


def test_market_from_ranges_skips_a_header_row():
    dates = [["Date"]] + [[d] for d in _sessions(5)]
    vwaps = [["VWAP"], [1.0], [1.1], ["x"], [1.3], [1.4]]
    with pytest.raises(CellError, match=r"^vwaps row 4: 'x' is not a number; type"):  # rows as seen
        cells.market_from_cells(dates, vwaps)
    vwaps[3] = [1.2]
    assert cells.market_from_cells(dates, vwaps).vwap.tolist() == [1.0, 1.1, 1.2, 1.3, 1.4]
    with pytest.raises(CellError, match=r"^dates row 1: 'Dates' is not a date"):
        cells.market_from_cells([["Dates"], [dates[1][0]]], [[2.0], [1.0]])  # a number: data


def test_market_from_ranges_errors_name_the_argument_and_row():
    dates = [[d] for d in _sessions(5)]
    with pytest.raises(CellError, match=r"^vwaps row 3: 'abc' is not a number; type"):
        cells.market_from_cells(dates, [[1.0], [1.0], ["abc"], [1.0], [1.0]])
    with pytest.raises(CellError, match=r"^dates row 2: date missing \(vwaps given\)"):
        cells.market_from_cells([[dates[0][0]], [None]], [[1.0], [2.0]])
    with pytest.raises(CellError, match="same height"):
        cells.market_from_cells(dates, [[1.0]] * 3)
    with pytest.raises(AscentError, match="row 2: 2022-12-25 is not a XNAS trading day"):
        cells.market_from_cells(
            [[dt.datetime(2022, 12, 23)], [dt.datetime(2022, 12, 25)]], [[1.0], [1.0]]
        )


def test_market_cache_returns_the_same_object_for_the_same_values():
    cells.clear_market_cache()
    dates = [[d] for d in _sessions(30)]
    vwaps = [[1.0 + i / 100] for i in range(30)]
    a = cells.market_from_cells(dates, vwaps)
    b = cells.market_from_cells([[d[0]] for d in dates], [[v[0]] for v in vwaps])
    assert a is b
    vwaps[29][0] = 9.0
    c = cells.market_from_cells(dates, vwaps)
    assert c is not a and c.vwap[-1] == 9.0


# -- terms range ---------------------------------------------------------------------------
def test_terms_range_overrides_the_preset():
    rows = [
        ["Term", "Value"],
        ["floor_price", 0.20],
        ["notes.Registered.rate", "5%"],
        [None, None],
        ["conversion.share_rounding", "DOWN"],
        ["conversion.alternate_price_days", 7.0],
        ["agreement_date", 44914.0 + 1],  # a serial number for a date term
    ]
    t = cells.terms_from_cells(rows, ASTI_2022)
    assert t.conversion.floor_price == 0.20
    assert t.note("Registered").rate == pytest.approx(0.05)
    assert t.conversion.share_rounding == "down"
    assert t.conversion.alternate_price_days == 7
    assert t.agreement_date == dt.date(2022, 12, 20)
    assert cells.terms_from_cells(None, ASTI_2022) is ASTI_2022


def test_a_terms_range_of_another_deals_notes_is_that_deal():
    """A book of a family deal (its Inputs list every term, its own notes) hands its ASCENT_*
    formulas a range naming notes ASTI_2022 lacks: the range is the whole deal, read as the
    Inputs sheet is (it was refused: "no note named 'Advance'")."""
    from ascent_xl.terms_io import load_terms

    canoo = load_terms("canoo_2024_06_prepaid_advance")
    assert [n.name for n in canoo.notes] == ["Advance"]
    rows = [["Term", "Value"]] + [[k, cells.term_cell(v)] for k, v in canoo.flat().items()]
    assert cells.terms_from_cells(rows, ASTI_2022) == canoo
    face = next(i for i, r in enumerate(rows) if r[0] == "notes.Advance.face")
    rows[face][1] = 12_000_000
    assert cells.terms_from_cells(rows, ASTI_2022).note("Advance").face == 12_000_000
    issue = next(i for i, r in enumerate(rows) if r[0] == "notes.Advance.issue_date")
    with_serial = [list(r) for r in rows]
    with_serial[issue][1] = 45457.0  # a serial number for the note's date term: 2024-06-14
    assert cells.terms_from_cells(with_serial, ASTI_2022).note("Advance").issue_date == dt.date(2024, 6, 14)
    with pytest.raises(cells.CellError, match=r"^terms row 3: floor_price: unknown term; a whole deal's range "
                       r"\(a name row, or notes of its own\) gives every term by its dotted name"):
        cells.terms_from_cells([rows[0], rows[1], ["floor_price", 0.2], *rows[2:]], ASTI_2022)
    short = [r for r in rows if r[0] != "notes.Advance.rate"]
    with pytest.raises(cells.CellError, match=r"notes\.Advance\.rate: missing"):
        cells.terms_from_cells(short, ASTI_2022)  # the whole deal: nothing taken from ASTI_2022


def test_terms_range_order_of_rows_does_not_matter():
    # the cap goes above the old maximum before the maximum is raised
    t = cells.terms_from_cells(
        [["conversion.ownership_cap", 0.12], ["ownership_cap_max", 0.15]], ASTI_2022
    )
    assert (t.conversion.ownership_cap, t.conversion.ownership_cap_max) == (0.12, 0.15)


@pytest.mark.parametrize(
    "rows, pattern",
    [
        (
            [["floor_pric", 0.2]],
            r"^terms row 1: floor_pric: unknown term; did you mean 'floor_price'",
        ),
        ([["Term", "Value"], ["floor_price", -1]], r"^terms row 2: conversion.floor_price: -1"),
        ([["floor_price", None]], r"^terms row 1 \(conversion.floor_price\): value missing"),
        ([[None, 0.2]], r"^terms row 1: term name missing"),
        ([["rate", 0.05]], r"^terms row 1: rate: ambiguous term name"),
    ],
)
def test_terms_range_errors_name_the_row_and_term(rows, pattern):
    with pytest.raises(CellError, match=pattern):
        cells.terms_from_cells(rows, ASTI_2022)


# -- events range --------------------------------------------------------------------------
def test_events_range_with_header_serial_dates_and_blank_rows():
    rows = [
        ["Date", "Event", "Note", "Amount", "Value"],
        [44986.0, "Conversion", "Registered", 250000.0, None],
        [None, None, None, None, None],
        [dt.datetime(2023, 9, 12), "Reverse split", None, None, "1:200"],
        ["2023-04-03", "Amendment", None, None, "floor_price = 0.20"],
        [None, None, None, None, None],
    ]
    ev = cells.events_from_cells(rows)
    assert [e.kind for e in ev] == [EventKind.CONVERSION, EventKind.SPLIT, EventKind.AMENDMENT]
    assert ev[0].date == dt.date(2023, 3, 1) and ev[0].amount == 250000.0
    assert ev[0].row == "events row 2" and ev[1].row == "events row 4"


def test_events_range_without_header_and_reordered_header():
    ev = cells.events_from_cells([[44986.0, "Conversion", "Private", 1000.0, None]])
    assert ev[0].note == "Private" and ev[0].row == "events row 1"
    ev = cells.events_from_cells([["Event", "Date", "Amount"], ["Conversion", "2023-03-01", 5.0]])
    assert ev[0].kind is EventKind.CONVERSION and ev[0].amount == 5.0


def test_events_range_errors_name_the_row():
    with pytest.raises(
        AscentError, match=r"^events row 3 \(2023-03-01\): unknown event 'Convertt'"
    ):
        cells.events_from_cells([["Date", "Event"], [44986.0, "Conversion"], [44986.0, "Convertt"]])
    with pytest.raises(CellError, match=r"^events row 2: Value looks like a time of day"):
        cells.events_from_cells(
            [
                ["Date", "Event", "Note", "Amount", "Value"],
                ["2023-09-12", "Split", None, None, dt.datetime(1899, 12, 30, 4, 20)],
            ]
        )
