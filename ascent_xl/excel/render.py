"""Render a workbook to PNG images without Excel: LibreOffice headless prints it to PDF (with the
private profile of :mod:`ascent_xl.excel.recalc`, so formulas are recalculated first), then
``pdftoppm`` (poppler-utils) turns the pages into PNGs. For previews, screenshots in documentation
and visual checks of templates; LibreOffice's rendering is close to, not identical to, Excel's.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import _package as pkg
from ascent_xl.excel.recalc import _converted, _run

PDFTOPPM_HINT = "install poppler-utils (Debian/Ubuntu: apt-get install poppler-utils)"
_SINGLE_PAGE_SHEETS = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def find_pdftoppm() -> Path:
    """The path of poppler's ``pdftoppm``; :class:`WorkbookError` saying how to install it."""
    found = shutil.which("pdftoppm")
    if not found:
        raise WorkbookError(f"pdftoppm not found; {PDFTOPPM_HINT}")
    return Path(found)


def render_png(path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
               sheets: Sequence[str] | None = None, dpi: int = 110,
               one_page_per_sheet: bool = False, timeout: float = 120) -> list[Path]:
    """Render the workbook at ``path`` to PNG files in ``out_dir`` (created if missing) and
    return their paths in order. By default the sheets are paginated as LibreOffice prints them
    (hidden sheets left out) and the pages are written as ``NAME-01.png``, ``NAME-02.png``...;
    ``sheets`` restricts the output to those sheets (the others are hidden in a temporary copy).
    With ``one_page_per_sheet``, each sheet is drawn whole on one page and written as
    ``NAME-<sheet>.png``; then ``sheets`` picks the sheets to write (default: the visible ones).
    ``dpi`` sets the resolution. The input file is not touched; existing PNGs of the same names
    are replaced. Raises :class:`WorkbookError` if LibreOffice or pdftoppm is missing or fails,
    or a sheet does not exist."""
    from ascent_xl.excel.safety import check_workbook_file

    src = Path(path)
    check_workbook_file(src)
    if dpi < 10 or dpi > 1200:
        raise WorkbookError(f"dpi {dpi} is out of range; use 10 to 1200 (110 is screen size)")
    with zipfile.ZipFile(src) as zf:
        book_sheets = pkg.sheets(zf, src)
    titles = [s.title for s in book_sheets]
    for title in sheets or ():
        if title not in titles:
            raise WorkbookError(f"{src}: no sheet named {title!r}; the sheets are "
                                f"{', '.join(repr(t) for t in titles)}")
    pdftoppm = find_pdftoppm()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ascent-render-") as tmp_name:
        tmp = Path(tmp_name)
        book = tmp / f"book{src.suffix.lower()}"
        shutil.copyfile(src, book)
        if sheets and not one_page_per_sheet:
            _show_only(book, list(sheets))
        convert_to = _SINGLE_PAGE_SHEETS if one_page_per_sheet else "pdf"
        with _converted(book, convert_to, timeout=timeout, label=src) as pdf:
            pages = tmp / "pages"
            pages.mkdir()
            _run([str(pdftoppm), "-png", "-r", str(dpi), str(pdf), str(pages / "page")],
                 src=src, timeout=timeout, tool="pdftoppm")
        images = sorted(pages.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not images:
            raise WorkbookError(f"{src}: LibreOffice printed no page (are the sheets empty?)")
        if not one_page_per_sheet:
            width = max(2, len(str(len(images))))
            return [_move(image, folder / f"{src.stem}-{i:0{width}d}.png")
                    for i, image in enumerate(images, 1)]
        if len(images) != len(titles):
            raise WorkbookError(f"{src}: LibreOffice printed {len(images)} pages for {len(titles)} "
                                "sheets; render without one_page_per_sheet")
        chosen = list(sheets) if sheets else [s.title for s in book_sheets if s.state == "visible"]
        return [_move(images[titles.index(title)], folder / f"{src.stem}-{_slug(title)}.png")
                for title in chosen]


def _move(image: Path, target: Path) -> Path:
    try:
        os.replace(image, target)
    except OSError:  # another file system
        shutil.copyfile(image, target)
    return target


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", title).strip("_") or "sheet"


def _show_only(book: Path, keep: list[str]) -> None:
    """Hide every sheet of ``book`` but ``keep`` (by editing xl/workbook.xml in place) and make
    the first kept sheet the active one."""
    with zipfile.ZipFile(book) as zf:
        part = pkg.workbook_part(zf)
        xml = zf.read(part)
    tree = pkg.outline(xml, f"{book}: {part}", expand=("sheets", "bookViews"))
    edits: list[tuple[int, str, dict[str, str]]] = []
    order = []
    for child in tree.children:
        if child.local == "sheets":
            for qname, attrs, start in child.children:
                new = {k: v for k, v in attrs.items() if k != "state"}
                if attrs.get("name") not in keep:
                    new["state"] = "hidden"
                order.append(attrs.get("name"))
                edits.append((start, qname, new))
    first = min(order.index(title) for title in keep)
    for child in tree.children:
        if child.local == "bookViews":
            for qname, attrs, start in child.children:
                edits.append((start, qname, {**attrs, "activeTab": str(first), "firstSheet": str(first)}))
    for start, qname, attrs in sorted(edits, key=lambda e: e[0], reverse=True):
        xml = pkg.rewrite_start_tag(xml, start, qname, attrs)
    # LibreOffice prints a hidden sheet's print area: drop those of the hidden sheets (a copy)
    hidden = {str(i) for i, name in enumerate(order) if name not in keep}
    xml = re.sub(rb'<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
                 lambda m: b"" if m.group(1).decode() in hidden else m.group(0), xml)
    pkg.rewrite_zip(book, {part: xml})
