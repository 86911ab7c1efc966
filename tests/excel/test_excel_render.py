"""ascent_xl.excel.render: workbook → PDF (LibreOffice) → PNG pages (pdftoppm)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from PIL import Image

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import _package as pkg
from ascent_xl.excel.render import _show_only, render_png
from tests.helpers.soffice import require_pdftoppm

YELLOW = (255, 204, 0)
RED = (255, 0, 0)


def styled_workbook(path: Path) -> Path:
    """Inputs (short, yellow inputs), Schedule (several pages, no colour), Hidden (red, hidden)."""
    wb = Workbook()
    inputs = wb.active
    inputs.title = "Inputs"
    inputs["A1"] = "Deal inputs"
    inputs["A1"].font = Font(bold=True, size=16)
    thin = Side(style="thin")
    for r, (label, value) in enumerate([("Principal", 1000), ("Rate", 0.05), ("Term", 12)], 3):
        inputs.cell(row=r, column=1, value=label)
        cell = inputs.cell(row=r, column=2, value=value)
        cell.fill = PatternFill("solid", fgColor="FFCC00")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    inputs["B4"].number_format = "0.00%"
    inputs["B7"] = "=B3*(1+B4)"
    schedule = wb.create_sheet("Schedule")
    for r in range(1, 150):
        schedule.append([r, f"=A{r}*2", "row text"])
    hidden = wb.create_sheet("Hidden")
    hidden["A1"] = "secret"
    hidden["A1"].fill = PatternFill("solid", fgColor="FF0000")
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def has_colour(png: Path, rgb: tuple[int, int, int]) -> bool:
    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20) or []
    return any(c == rgb and n > 20 for n, c in colours)


def assert_real_png(png: Path, min_side: int = 300) -> None:
    assert png.is_file() and png.stat().st_size > 200
    with Image.open(png) as im:
        assert im.format == "PNG"
        assert im.width >= min_side and im.height >= min_side
        lo, hi = im.convert("L").getextrema()
        assert lo < 128 < hi, "a page with something drawn on it"


@pytest.fixture
def book(tmp_path) -> Path:
    return styled_workbook(tmp_path / "book.xlsx")


@pytest.mark.libreoffice
def test_render_all_visible_sheets_paginated(book, tmp_path):
    require_pdftoppm()
    before = book.read_bytes()
    pages = render_png(book, tmp_path / "png")
    assert len(pages) >= 3, "Inputs is one page, Schedule several"
    assert [p.name for p in pages] == [f"book-{i:02d}.png" for i in range(1, len(pages) + 1)]
    for page in pages:
        assert_real_png(page)
    assert has_colour(pages[0], YELLOW)
    assert not any(has_colour(p, RED) for p in pages), "hidden sheets are not printed"
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "png"]


@pytest.mark.libreoffice
def test_render_only_some_sheets(book, tmp_path):
    require_pdftoppm()
    pages = render_png(book, tmp_path / "png", sheets=["Schedule"], dpi=60)
    assert len(pages) >= 2
    assert not any(has_colour(p, YELLOW) for p in pages)
    with Image.open(pages[0]) as im:
        assert 400 < im.height < 800, "60 dpi: a printed page is 8-12 inches high"


@pytest.mark.libreoffice
def test_render_one_page_per_sheet(book, tmp_path):
    require_pdftoppm()
    images = render_png(book, tmp_path / "png", one_page_per_sheet=True, sheets=["Hidden", "Inputs"])
    assert [p.name for p in images] == ["book-Hidden.png", "book-Inputs.png"]
    assert has_colour(images[0], RED) and not has_colour(images[0], YELLOW)
    assert has_colour(images[1], YELLOW)
    for image in images:
        assert_real_png(image, min_side=10)  # one cell of "secret" makes a small page


def test_render_errors_before_any_work(book, tmp_path):
    with pytest.raises(WorkbookError, match="no sheet named 'Nope'; the sheets are 'Inputs', 'Schedule', 'Hidden'"):
        render_png(book, tmp_path / "png", sheets=["Nope"])
    with pytest.raises(WorkbookError, match="dpi 5 is out of range"):
        render_png(book, tmp_path / "png", dpi=5)
    with pytest.raises(WorkbookError, match="file not found"):
        render_png(tmp_path / "missing.xlsx", tmp_path / "png")
    assert not (tmp_path / "png").exists()


def test_show_only_hides_the_other_sheets_in_the_copy(book):
    _show_only(book, ["Schedule", "Hidden"])
    wb = load_workbook(book)
    assert {ws.title: ws.sheet_state for ws in wb.worksheets} == {
        "Inputs": "hidden", "Schedule": "visible", "Hidden": "visible"}
    assert wb.active.title == "Schedule"
    with zipfile.ZipFile(book) as zf:
        assert [s.state for s in pkg.sheets(zf, book)] == ["hidden", "visible", "visible"]


@pytest.mark.libreoffice
def test_a_sheet_left_out_is_not_printed_for_its_print_area(tmp_path):
    """LibreOffice prints a hidden sheet's print area: the sheets left out lose theirs in the copy."""
    require_pdftoppm()
    wb = Workbook()
    wb.active.title = "Plain"
    wb.active["A1"] = "plain"
    boxed = wb.create_sheet("Boxed")
    boxed["A1"] = "boxed"
    boxed["A1"].fill = PatternFill("solid", fgColor="FF0000")
    boxed.print_area = "A1:C10"
    path = tmp_path / "areas.xlsx"
    wb.save(path)
    pages = render_png(path, tmp_path / "png", sheets=["Plain"], dpi=40)
    assert len(pages) == 1 and not has_colour(pages[0], RED)
