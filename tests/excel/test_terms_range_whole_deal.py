"""A UDF's terms range (``terms_from_cells``): a range with a ``name`` row is a whole deal, as the
book's Inputs sheet lists one, so a book of a deal of the family prices on its own notes and
terms; a ``base`` row starts from that preset, as in a terms file; any other range changes the
ASTI_2022 preset. Before, every range changed ASTI_2022, and a Canoo book's Position, Notice and
Conversions all showed "no note named 'Advance'"."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.excel import cells, udfs
from ascent_xl.excel.cells import CellError
from ascent_xl.presets import ASTI_2022
from ascent_xl.terms_io import load_terms, shipped_deals
from tests.helpers.markets import sessions_before

CANOO = load_terms(shipped_deals()["canoo_2024_06_prepaid_advance"])


def _rows(terms, *, serial_dates: bool = False) -> list[list[object]]:
    """The Term / Value rows of a whole deal, as the Inputs sheet lists them (dates as Excel
    passes them to a UDF: serial numbers)."""
    rows: list[list[object]] = [["Term", "Value"]]
    for key, value in terms.flat().items():
        if serial_dates and isinstance(value, dt.date):
            value = float((value - dt.date(1899, 12, 30)).days)
        if isinstance(value, tuple):
            value = ", ".join(str(v) for v in value) if value else None
        rows.append([key, value])
    return rows


def test_a_whole_deals_range_is_that_deal_not_the_preset_changed():
    got = cells.terms_from_cells(_rows(CANOO, serial_dates=True), ASTI_2022)
    assert [n.name for n in got.notes] == ["Advance"]
    assert got == CANOO
    assert got.conversion.fixed_price == 2.30 and got.conversion.floor_mode == "none"


def test_the_shipped_deals_range_is_the_preset_itself():
    assert cells.terms_from_cells(_rows(ASTI_2022), ASTI_2022) == ASTI_2022


def test_a_whole_deal_missing_a_term_is_refused_saying_how_to_change_the_preset_instead():
    rows = [r for r in _rows(CANOO) if r[0] != "shares_outstanding"]
    with pytest.raises(CellError, match=r"shares_outstanding") as info:
        cells.terms_from_cells(rows, ASTI_2022)
    assert "whole deal" in str(info.value) and "leave the name row out" in str(info.value)


def test_a_whole_deals_range_takes_dotted_names_only():
    rows = _rows(CANOO) + [["floor_price", 0.1]]
    with pytest.raises(CellError, match=r"^terms row \d+: floor_price: unknown term; a whole deal"):
        cells.terms_from_cells(rows, ASTI_2022)


def test_a_short_range_changes_the_preset_and_a_name_value_header_is_a_header():
    got = cells.terms_from_cells([["Name", "Value"], ["floor_price", 0.25]], ASTI_2022)
    assert got.conversion.floor_price == 0.25 and [n.name for n in got.notes] == ["Registered", "Private"]
    renamed = cells.terms_from_cells([["base", "ASTI_2022"], ["name", "Ascent, renamed"]], ASTI_2022)
    assert renamed.name == "Ascent, renamed" and renamed.notes == ASTI_2022.notes
    with pytest.raises(CellError, match=r"^terms: base: no preset named 'NOPE'"):
        cells.terms_from_cells([["base", "NOPE"], ["floor_price", 0.25]], ASTI_2022)


def test_a_quote_on_a_canoo_range_prices_the_advance_at_its_fixed_price():
    # Canoo's alternate price applies only in default, the floor mode is none, and without
    # volume data the day-60 and day-120 resets are skipped: the price is the fixed $2.30.
    # $500,000 / $2.30 = 217,391.3 -> 217,392 shares (rounded up), no floor payment.
    days = [d for d in sessions_before("2024-09-23", 80) if d >= "2024-06-03"]
    dates = [[d] for d in days]
    vwaps = [[1.00] for _ in days]
    events = [["Date", "Event", "Note", "Amount", "Value"]]
    got = udfs.ASCENT_QUOTE(events, dates, vwaps, "2024-09-20", 500_000, "Advance",
                            _rows(CANOO, serial_dates=True), None, False)
    row = got[0] if isinstance(got[0], list) else got
    assert row[:3] == [2.30, 217_392, 0.0]
