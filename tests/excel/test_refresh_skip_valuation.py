"""A refresh whose inputs did not change since the last one keeps the Valuation sheet's results
and does not run the Monte Carlo again (issue 15); a changed input runs it again."""

from __future__ import annotations

import pytest

from ascent_xl.excel import layout as L
from ascent_xl.excel.book import OpenpyxlBook, parse_ref
from ascent_xl.excel.refresh import read_terms, refresh_book
from ascent_xl.excel.template import build_template
from ascent_xl.valuation import run as valuation_run
from tests.helpers.books import load

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("template"), xlsx=True, xlsm=False)[0]


def _area(wb):
    sheet, area = L.VALUATION_OUTPUT
    r1, c1, r2, c2 = parse_ref(area)
    ws = wb[sheet]
    return [[ws.cell(row=r, column=c).value for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]


def _setting_cell(wb, name):
    ws = wb[L.VALUATION]
    for row in range(1, 60):
        if ws.cell(row=row, column=1).value == name:
            return ws.cell(row=row, column=2)
    raise AssertionError(name)


def _refreshed(template):
    """The template in memory with a small valuation (500 paths), refreshed once."""
    wb = load(template)
    _setting_cell(wb, "paths").value = 500  # a small run; the shipped 20,000 is the same rule
    book = OpenpyxlBook(wb)
    assert refresh_book(book).ok
    return wb, book


@pytest.fixture()
def calls(monkeypatch):
    """Counts the Monte Carlo runs of the refreshes in the test."""
    seen = []
    real = valuation_run.run_valuation

    def spy(*args, **kwargs):
        seen.append(kwargs.get("seed"))
        return real(*args, **kwargs)

    monkeypatch.setattr(valuation_run, "run_valuation", spy)
    return seen


def test_unchanged_inputs_keep_the_valuation_without_running_it(template, calls):
    wb = load(template)
    _setting_cell(wb, "paths").value = 500  # a small run; the shipped 20,000 is the same rule
    book = OpenpyxlBook(wb)
    first = refresh_book(book)
    assert first.ok, first.status
    assert len(calls) == 1
    before = _area(wb)
    assert before[0][0] and any(v not in (None, "") for row in before[1:] for v in row)
    again = refresh_book(book)
    assert again.ok, again.status
    assert len(calls) == 1  # not run again
    assert _area(wb) == before  # and its results kept, cell for cell
    assert wb[L.CHECKS]["B4"].value == first.inputs.fingerprint == again.inputs.fingerprint


def test_a_changed_input_runs_the_valuation_again(template, calls):
    wb, book = _refreshed(template)
    before = _area(wb)
    _setting_cell(wb, "seed").value = 7  # an input of the valuation only
    again = refresh_book(book)
    assert again.ok, again.status
    assert len(calls) == 2 and calls[-1] == 7
    assert _area(wb) != before
    # an event changed: the fingerprint changes, the valuation runs again
    ws = wb[L.EVENTS]
    ref = ws.tables[L.EVENTS_TABLE].ref
    header_row = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
    amounts = [c for c in ws[header_row] if c.value == "Amount"][0].column
    cell = next(ws.cell(row=r, column=amounts) for r in range(header_row + 1, ws.max_row + 1)
                if isinstance(ws.cell(row=r, column=amounts).value, (int, float)))
    cell.value = cell.value - 1
    assert refresh_book(book).ok
    assert len(calls) == 3


def test_a_failed_or_cleared_valuation_is_run_again(template, calls):
    wb, book = _refreshed(template)
    sheet, area = L.VALUATION_OUTPUT
    wb[sheet][area.split(":")[0]].value = None  # the results cleared by hand
    assert refresh_book(book).ok
    assert len(calls) == 2
    wb[L.SUMMARY]["B4"].value = "writing the results... (if this stays, refresh again)"  # stopped half-way
    assert refresh_book(book).ok
    assert len(calls) == 3


def test_a_full_refresh_runs_it_again(template, calls):
    wb, book = _refreshed(template)
    before = _area(wb)
    assert refresh_book(book, full=True).ok
    assert len(calls) == 2
    assert _area(wb) == before  # same inputs, same seed: the same numbers


def _event_amount(wb, kind):
    """The Amount cell of the first Events row of ``kind`` and that row's Date."""
    ws = wb[L.EVENTS]
    ref = ws.tables[L.EVENTS_TABLE].ref
    header_row = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
    names = {c.value: c.column for c in ws[header_row]}
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(row=r, column=names["Event"]).value == kind:
            return ws.cell(row=r, column=names["Amount"]), ws.cell(row=r, column=names["Date"]).value
    raise AssertionError(kind)


def test_an_event_the_valuation_does_not_read_keeps_it(template, calls):
    """The valuation date is blank (the notes' issue, 2022-12-19): a conversion logged after it
    changes the book's inputs but not the valuation's (the simulation draws the holder's
    conversions itself), so its results stay; the stamp carries the valuation's fingerprint."""
    wb, book = _refreshed(template)
    before, stamp = _area(wb), wb[L.SUMMARY]["B5"].value
    assert "; valuation " in stamp
    cell, day = _event_amount(wb, "Conversion")
    assert day.date() > min(n.issue_date for n in read_terms(book).notes)
    cell.value = cell.value - 1
    again = refresh_book(book)
    assert again.ok, again.status
    assert len(calls) == 1  # not run again
    assert _area(wb) == before
    assert wb[L.CHECKS]["B4"].value == again.inputs.fingerprint != stamp.split("inputs ")[1][:12]
    assert wb[L.SUMMARY]["B5"].value.endswith(stamp[stamp.index("; valuation "):])
    # valued after that conversion, the same change reaches the valuation: it runs again
    _setting_cell(wb, "valuation_date").value = day  # a trading day: a conversion's notice date
    assert refresh_book(book).ok
    assert len(calls) == 2
    cell.value = cell.value - 1
    assert refresh_book(book).ok
    assert len(calls) == 3
