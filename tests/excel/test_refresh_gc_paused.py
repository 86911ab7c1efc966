"""A refresh runs with Python's cyclic garbage collector paused (workbook_io.gc_paused, issue 15:
its full passes over the loaded workbook were 0.6 s of a 4.5 s refresh of a 1,000-event book)
and leaves it as it found it, on success, on failure, and when the caller had paused it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from ascent_xl.excel import workbook_io
from ascent_xl.excel.workbook_io import refresh_file

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx"


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(SHIPPED.read_bytes())
    return path


@pytest.fixture
def seen(monkeypatch):
    """gc.isenabled() inside each refresh_book call (which stops there: nothing is written)."""
    from ascent_xl.excel.refresh import RefreshResult

    found: list[bool] = []

    def refresh(_book, **_k):
        found.append(gc.isenabled())
        return RefreshResult(False, ["stopped"], None, None, "stopped")

    monkeypatch.setattr(workbook_io, "refresh_book", refresh)
    return found


def test_the_collector_is_paused_during_the_refresh_and_back_after(book, seen):
    assert gc.isenabled()
    assert not refresh_file(book, full=True).ok
    assert seen == [False]
    assert gc.isenabled()


def test_back_after_a_refresh_that_fails(book, monkeypatch):
    def boom(*_a, **_k):
        assert not gc.isenabled()
        raise RuntimeError("boom")

    monkeypatch.setattr(workbook_io, "refresh_book", boom)
    with pytest.raises(RuntimeError, match="boom"):
        refresh_file(book, full=True)
    assert gc.isenabled()


def test_a_caller_that_paused_it_finds_it_paused(book, seen):
    gc.disable()
    try:
        assert not refresh_file(book, full=True).ok
        assert seen == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()



@pytest.mark.parametrize("fails", [False, True])
def test_the_xlsm_vba_zip_is_closed_when_the_refresh_ends(tmp_path, monkeypatch, fails):
    # openpyxl keeps an .xlsm's VBA in a zip in memory; left to the collector, which the pause
    # defers to the interpreter's exit, its __del__ found its buffer closed ("Exception ignored
    # ... I/O operation on closed file" on stderr after every refresh of an .xlsm)
    from ascent_xl.excel.refresh import RefreshResult

    book = tmp_path / "book.xlsm"
    book.write_bytes(SHIPPED.with_suffix(".xlsm").read_bytes())
    loaded = []
    real_load = workbook_io.load_book
    monkeypatch.setattr(workbook_io, "load_book", lambda p: loaded.append(real_load(p)) or loaded[-1])

    def refresh(_book, **_k):
        assert loaded[0].vba_archive.fp is not None  # open while the refresh runs
        if fails:
            raise RuntimeError("boom")
        return RefreshResult(False, ["stopped"], None, None, "stopped")

    monkeypatch.setattr(workbook_io, "refresh_book", refresh)
    if fails:
        with pytest.raises(RuntimeError):
            refresh_file(book, full=True)
    else:
        assert not refresh_file(book, full=True).ok
    assert loaded[0].vba_archive.fp is None  # closed
