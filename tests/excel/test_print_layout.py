"""How the Valuation and Schedule sheets print, on the shipped book and a family (Canoo) book,
both refreshed: the print settings saved in the file, the row heights refresh writes, and the
pages LibreOffice prints (rendered to PNG and measured).

Valuation: it printed as one range, landscape, one page wide (about 60%): the settings (A:D)
ended on page 1 and the results (F:K) ran on to page 2, whose left half was empty. It now
prints portrait in two parts, the settings then the results from the top of the next page.

Schedule: a row whose Flags or Detail wrapped was as tall on the pages that print only its
numbers (the shipped book's first page had 7 such rows, one 4 lines tall). Flags and Detail are
now wide enough for one line but for the longest texts, printed four pages across.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from PIL import Image

from ascent_xl.excel import layout as L
from ascent_xl.excel.formats import text_width, wrapped_lines
from ascent_xl.excel.render import render_png
from ascent_xl.excel.template import SCHEDULE_PAGES_WIDE
from tests.helpers.books import canoo_book, table_records
from tests.helpers.soffice import require_pdftoppm

SHIPPED = "workbooks/ascent_advance_notes.xlsx"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    shipped = folder / "shipped.xlsx"
    shutil.copy(SHIPPED, shipped)
    canoo = canoo_book(folder, end="2024-10-31", sessions=130, price=lambda i: 2.50 - 0.01 * i)
    return {"shipped": shipped, "canoo": canoo}


@pytest.fixture(scope="module")
def pages(books, tmp_path_factory):
    """The printed pages of each book's Valuation and Schedule: (book, sheet) -> PNG paths."""
    require_pdftoppm()
    out = {}
    for name, path in books.items():
        for sheet in (L.VALUATION, L.SCHEDULE):
            folder = tmp_path_factory.mktemp(f"{name}-{sheet}")
            out[name, sheet] = render_png(path, folder, sheets=[sheet], dpi=60)
    return out


def _ink(path):
    """Per pixel row of the page above its footer (the bottom tenth): the x of each dark pixel."""
    with Image.open(path) as im:
        g = im.convert("L")
        w, h = g.size
        px = g.load()
        return w, [[x for x in range(w) if px[x, y] < 160] for y in range(int(h * 0.9))]


def _body_lines(path):
    """The top pixel rows of the text lines below the page's table header (the navy band, the
    last rows more than half dark), and whether the page has that header."""
    w, rows = _ink(path)
    dark = [y for y, xs in enumerate(rows) if len(xs) > w / 2]
    tops, inside = [], False
    for y in range((max(dark) + 1) if dark else 0, len(rows)):
        if rows[y] and not inside:
            tops.append(y)
        inside = bool(rows[y])
    return tops, bool(dark)


# ---------------------------------------------------------------------------------------------
# the file's settings


@pytest.mark.parametrize("which", ["shipped", "canoo"])
def test_valuation_prints_portrait_settings_then_results(books, which):
    ws = openpyxl.load_workbook(books[which])[L.VALUATION]
    # the settings and, under them, the area that says why a deal is not valued (A16:D30)
    last_setting = L.TABLE_HEADER_ROW + len(L.VALUATION_SETTINGS)
    assert L.VALUATION_NOTE[1] == f"A{last_setting + 2}:D{last_setting + 16}" == "A16:D30"
    assert ws.print_area == f"'{L.VALUATION}'!$A$1:$D$30,'{L.VALUATION}'!$F$5:$K$120"
    assert ws.page_setup.orientation == "portrait" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    # the settings' rows stay the results' rows on screen: the results start beside them
    assert (ws["F5"].value, ws["A16"].value) == (("Inputs", None) if which == "shipped" else (None, "Not valued"))
    assert ws["A5"].value == "Setting"
    assert {r for r in range(6, 121) if ws.row_dimensions[r].height} == set()
    # the note under the title wraps within A:D (printed with the settings), on row 2 only
    assert "A2:D2" in {str(m) for m in ws.merged_cells.ranges}
    assert ws["A2"].alignment.wrap_text
    lines = wrapped_lines(ws["A2"].value, sum(ws.column_dimensions[c].width for c in "ABCD"))
    assert lines == 2 and ws.row_dimensions[2].height == 2 * 15


@pytest.mark.parametrize("which, tall", [("shipped", {"Dilutive Issue"}), ("canoo", {"Price Reset"})])
def test_schedule_rows_are_one_line_but_for_the_longest_texts(books, which, tall):
    wb = openpyxl.load_workbook(books[which])
    ws = wb[L.SCHEDULE]
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    col = {name: L.column_letter(j + 1) for j, name in enumerate(rows[0])}
    widths = {name: ws.column_dimensions[col[name]].width for name in ("Note", "Flags", "Detail")}
    assert (widths["Flags"], widths["Detail"]) == (118, 150)
    assert text_width("Registered-PIK1") + 1 < widths["Note"]
    heights = {i: ws.row_dimensions[L.TABLE_HEADER_ROW + 1 + i].height for i in range(len(rows))}
    taller = {i for i, h in heights.items() if h}
    assert {rows[i]["Event"] for i in taller} == tall and all(heights[i] == 30 for i in taller)
    assert len(taller) == (1 if which == "shipped" else 2)  # 60 wide: 11 rows of the shipped book
    assert ws.page_setup.fitToWidth == SCHEDULE_PAGES_WIDE == 4 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == "5:5" and ws.print_title_cols.replace("$", "") == "A:C"


# ---------------------------------------------------------------------------------------------
# the printed pages


@pytest.mark.parametrize("which, count", [("shipped", 3), ("canoo", 1)])
def test_no_valuation_page_has_its_left_half_empty(pages, which, count):
    """Every line printed starts in the page's left 40% (the second page of the shipped book
    had its lines from 47% of the width on; its first page, below the settings, too)."""
    printed = pages[which, L.VALUATION]
    # settings; results (shipped: over two pages). Not valued (canoo): the settings and, under
    # them, why, on one page (it printed the reason alone on a second page)
    assert len(printed) == count
    for page in printed:
        w, rows = _ink(page)
        starts, line = [], None  # the leftmost dark pixel of each line (a run of inked rows)
        for xs in rows:
            if xs:
                line = min(xs) if line is None else min(line, min(xs))
            elif line is not None:
                starts.append(line)
                line = None
        assert len(starts) > 2
        assert all(x < 0.4 * w for x in starts), (page.name, [round(x / w, 2) for x in starts])


@pytest.mark.parametrize("which, count, most", [("shipped", 8, 1), ("canoo", 4, 2)])
def test_schedule_pages_have_no_tall_empty_rows(pages, which, count, most):
    """Four pages across (two down for the shipped book's 64 rows), each with the header row:
    a line after a row two lines tall is two pitches below the last, and that happens only at
    the rows whose text wraps (the shipped Dilutive Issue, the Canoo resets); the first page
    of the shipped book had 7 such gaps."""
    printed = pages[which, L.SCHEDULE]
    assert len(printed) == count == SCHEDULE_PAGES_WIDE * (2 if which == "shipped" else 1)
    for page in printed:
        tops, header = _body_lines(page)
        assert header, page.name
        gaps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
        pitch = sorted(gaps)[len(gaps) // 2]
        assert sum(g > 1.6 * pitch for g in gaps) <= most, page.name
