"""Headless refresh of a deal book (openpyxl): results match the engine, inputs never change,
bad input is reported by cell and nothing is written."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.errors import WorkbookError
from ascent_xl.events import events_from_csv
from ascent_xl.excel import layout as L
from ascent_xl.excel.template import build_template
from ascent_xl.excel.workbook_io import FULL_REFRESH_ENV, new_deal_book, refresh_file
from ascent_xl.fileio import backup_path
from ascent_xl.ledger import SCHEDULE_COLUMNS, run_ledger
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
from tests.helpers.books import copy_book, input_cells, load, table_records

_register()


@pytest.fixture(autouse=True)
def _full_refresh(monkeypatch):
    """These tests are about what a refresh writes: every refresh writes (a book whose results
    are current is otherwise left as it is; tests/excel/test_refresh_unchanged.py)."""
    monkeypatch.setenv(FULL_REFRESH_ENV, "1")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("template")
    return build_template(out, xlsm=False)[0]


@pytest.fixture()
def book(template, tmp_path):
    return copy_book(template, tmp_path)


@pytest.fixture(scope="module")
def engine():
    return run_ledger(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), sample_market())


def test_refresh_writes_the_engines_schedule_and_summary(book, engine):
    result = refresh_file(book)
    assert result.ok, result.status
    wb = load(book)
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    assert len(rows) == len(engine.rows)
    for got, want in zip(rows, engine.rows, strict=True):
        assert got["Source"].startswith("Events!A") or got["Source"] in ("ledger", "terms")
        for col in SCHEDULE_COLUMNS:
            if col == "Source":
                continue  # the book names its own cells; the engine run named the CSV's lines
            g, w = got[col], want[col]
            if isinstance(w, float):
                assert g == pytest.approx(w, abs=1e-9), (col, want["Date"])
            elif isinstance(w, dt.date):
                assert g.date() == w
            else:
                assert g == w, (col, want["Date"])
    ws = wb[L.SUMMARY]
    values = {label: ws.cell(row=L.SUMMARY_FIRST_ROW + i, column=2).value for i, (label, *_) in enumerate(L.SUMMARY_VALUES)}
    assert values["Placement fee"] == 700_000 and values["Proceeds before expenses"] == 10_550_000
    assert values["Net proceeds"] == 9_901_000 and values["Deal"] == ASTI_2022.name
    assert ws["B4"].value == "OK" and ws["B5"].value.startswith("Refreshed ")
    assert wb[L.CHECKS]["B4"].value == result.inputs.fingerprint
    history = table_records(wb, L.SUMMARY, L.CHART_TABLE)
    assert len(history) > 350 and history[-1]["Floor Price"] == pytest.approx(40.0)


def test_refresh_changes_no_input_cell_and_keeps_a_backup(book):
    before = input_cells(load(book))
    original = book.read_bytes()
    assert refresh_file(book).ok
    assert input_cells(load(book)) == before
    assert backup_path(book).read_bytes() == original


def test_refresh_to_another_file_leaves_the_source_alone(book, tmp_path):
    original = book.read_bytes()
    out = tmp_path / "out.xlsx"
    assert refresh_file(book, out).ok
    assert book.read_bytes() == original and out.exists()
    with pytest.raises(WorkbookError, match=r"out\.xlsm: keep the book's extension \.xlsx \(the file holds "
                                            r"no macros: an \.xlsm name would not give it any\)$"):
        refresh_file(book, tmp_path / "out.xlsm")


def _edit(path, edit):
    wb = load(path)
    edit(wb)
    wb.save(path)
    return path.read_bytes()


def _refuse(book, edit, *messages):
    before = _edit(book, edit)
    result = refresh_file(book)
    assert not result.ok
    for m in messages:
        assert m in result.status, result.status
    assert book.read_bytes() == before, "nothing written on bad input"
    assert not backup_path(book).exists()
    return result


def test_text_in_a_vwap_cell_names_the_cell(book):
    _refuse(book, lambda wb: wb[L.VWAP].__setitem__("B14", "abc"),
            "VWAP!B14", "'abc' is not a number")


def test_several_problems_are_listed_together(book):
    def edit(wb):
        wb[L.VWAP]["B14"] = "abc"
        wb[L.VWAP]["B20"] = -2
        wb[L.EVENTS]["B8"] = "Convertion"
    result = _refuse(book, edit, "3 problems", "VWAP!B14", "VWAP!B20", "Events!B8", "unknown event 'Convertion'")
    assert result.status.count("|") == 2


def test_a_missing_trading_day_names_the_event_and_the_day(book):
    wb = load(book)
    gap = next(r for r in range(6, 400) if wb[L.VWAP].cell(row=r, column=1).value.date() == dt.date(2023, 1, 13))
    event = next(r for r in range(6, 100) if wb[L.EVENTS].cell(row=r, column=1).value.date() == dt.date(2023, 1, 24))

    def edit(wb):
        ws = wb[L.VWAP]
        last = ws.max_row
        for r in range(gap, last):  # delete the row of 2023-01-13 by shifting the rest up
            for c in range(1, 5):
                ws.cell(row=r, column=c).value = ws.cell(row=r + 1, column=c).value
        for c in range(1, 5):
            ws.cell(row=last, column=c).value = None
    _refuse(book, edit, f"Events!A{event} (2023-01-24, Conversion)", "VWAP missing for 2023-01-13")


def test_an_unknown_event_names_its_cell(book):
    _refuse(book, lambda wb: wb[L.EVENTS].__setitem__("B9", "Amend floor"), "Events!B9", "unknown event 'Amend floor'")


def test_a_bad_term_names_its_cell(book):
    wb = load(book)
    term = L.TERMS_COLUMNS.index("Term") + 1
    value = L.column_letter(L.TERMS_COLUMNS.index("Value") + 1)
    row = next(r for r in range(6, 200) if wb[L.INPUTS].cell(row=r, column=term).value == "conversion.floor_price")
    _refuse(book, lambda wb: wb[L.INPUTS].__setitem__(f"{value}{row}", -1),
            f"Inputs!{value}{row}", "conversion.floor_price: -1 USD/share must be at least 0")


def test_a_deleted_sheet_and_a_renamed_table(book, tmp_path):
    _refuse(book, lambda wb: wb.remove(wb[L.VWAP]), "no sheet named 'VWAP'", "restore it from the template")
    other = copy_book(book, tmp_path, "other.xlsx")
    shutil.copy(book, other)


def test_a_renamed_table(template, tmp_path):
    book = copy_book(template, tmp_path)

    def rename(wb):
        ws = wb[L.EVENTS]
        t = ws.tables[L.EVENTS_TABLE]
        del ws.tables[L.EVENTS_TABLE]
        t.displayName = t.name = "Events2"
        ws.add_table(t)
    _refuse(book, rename, "Events: no table named 'Events' (tables there: Events2)", "rename it back")


def test_locked_and_corrupt_files_are_refused(book, tmp_path):
    lock = book.parent / f"~${book.name}"
    lock.write_bytes(b"owner")
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match="(?i)excel"):
        refresh_file(book)
    lock.unlink()
    assert book.read_bytes() == before
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(before[: len(before) // 2])
    with pytest.raises(WorkbookError, match="corrupt.xlsx"):
        refresh_file(corrupt)
    assert corrupt.read_bytes() == before[: len(before) // 2]


def test_cli_refresh_and_new(book, tmp_path):
    r = CliRunner().invoke(cli, ["refresh", str(book)])
    assert r.exit_code == 0 and "refreshed" in r.output and "Refreshed " in r.output
    _edit(book, lambda wb: wb[L.VWAP].__setitem__("B14", "abc"))
    r = CliRunner().invoke(cli, ["refresh", str(book)])
    assert r.exit_code == 2 and "VWAP!B14" in r.output and "the book was not changed" in r.output
    dest = tmp_path / "deal.xlsx"
    r = CliRunner().invoke(cli, ["new", str(dest)])
    assert r.exit_code == 0 and dest.exists()
    r = CliRunner().invoke(cli, ["new", str(dest)])
    assert r.exit_code == 2 and "exists already" in r.output


def test_new_book_from_the_users_files(tmp_path):
    vwaps = tmp_path / "v.csv"
    sample_market().to_frame().assign(Date=lambda f: f["Date"].dt.date).to_csv(vwaps, index=False)
    terms = tmp_path / "t.toml"
    terms.write_text('base = "ASTI_2022"\nname = "My deal"\n')
    events = tmp_path / "e.csv"
    events.write_text("Date,Event,Note,Amount,Value\n2023-01-10,Conversion,Registered,100000,\n")
    dest = new_deal_book(tmp_path / "mine.xlsx", terms_file=terms, vwaps_file=vwaps, events_file=events)
    wb = load(dest)
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    assert [r["Event"] for r in rows if r["Event"] == "Conversion"] == ["Conversion"]
    assert wb[L.SUMMARY].cell(row=L.SUMMARY_FIRST_ROW, column=2).value == "My deal"


def test_a_failed_refresh_leaves_the_book_and_its_backup_intact(book):
    assert refresh_file(book).ok  # makes BOOK.xlsx.bak
    backup = backup_path(book).read_bytes()
    _edit(book, lambda wb: wb[L.VWAP].__setitem__("B14", "abc"))
    edited = book.read_bytes()
    assert not refresh_file(book).ok
    assert book.read_bytes() == edited and backup_path(book).read_bytes() == backup


def test_a_hostile_book_is_refused_quickly_by_the_refresh_command(tmp_path, monkeypatch):
    """Quickly: from the part's prolog, unpacking no more than the file holds (no entity
    expanded), openpyxl never reached. No time asserted (flaky on a loaded machine); the speed
    of a refusal is benchmarks/bench_safety.py."""
    import zipfile

    import openpyxl
    from openpyxl import Workbook

    from tests.helpers.work import counting_unzip

    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    bomb = tmp_path / "bomb.xlsx"
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = laughs if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info)
            zout.writestr(info.filename, data)
    before = bomb.read_bytes()
    with zipfile.ZipFile(bomb) as zf:
        whole = sum(i.file_size for i in zf.infolist())

    def load_workbook(*_args, **_kwargs):
        raise AssertionError("openpyxl.load_workbook reached for a book the check must refuse")

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)
    with counting_unzip() as read:
        r = CliRunner().invoke(cli, ["refresh", str(bomb)])
    assert read.total <= whole, f"{read.total:,} bytes unpacked from a {whole:,}-byte book"
    assert r.exit_code == 2 and "refused" in r.output and "entity" in r.output.lower()
    assert bomb.read_bytes() == before and not backup_path(bomb).exists()


def test_new_xlsm_book_gets_its_refresh_module_and_a_python_name(tmp_path):
    from tests.helpers import vba

    dest = new_deal_book(tmp_path / "acme_notes.xlsm")
    assert (tmp_path / "acme_notes.py").read_text().count("from ascent_xl.excel.macros import main") == 1
    assert len(vba.list_buttons(dest)) == 2
    with pytest.raises(WorkbookError, match="letters, digits and underscores"):
        new_deal_book(tmp_path / "acme notes-2024.xlsm")


def test_cli_refresh_lists_each_cell_to_fix_on_its_own_line(book):
    _edit(book, lambda wb: (wb[L.VWAP].__setitem__("B14", "abc"), wb[L.VWAP].__setitem__("B15", "4,2347")))
    r = CliRunner().invoke(cli, ["refresh", str(book)])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert lines[0] == f"error: {book.name}: 2 problems - fix and refresh again (the book was not changed):"
    assert lines[1].startswith("  VWAP!B14") and "'abc'" in lines[1]
    assert lines[2].startswith("  VWAP!B15") and "write 4.2347 for a decimal or 42347" in lines[2]
