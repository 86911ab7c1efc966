"""Commands of the Excel layer: ``template build``, ``refresh`` and ``new``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from ascent_xl.cli.app import cli
from ascent_xl.cli.help_texts import EVENTS_HELP, TERMS_HELP, VWAPS_HELP
from ascent_xl.errors import WorkbookError

_FILE = click.Path(dir_okay=False, path_type=Path)


@cli.group("template")
def template_group() -> None:
    """Build the deal-book template (build), or render a book's sheets to PNG (render)."""


@template_group.command("build", short_help="Build the deal-book template (.xlsm and .xlsx).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("workbooks"),
              show_default=True, help="Folder for ascent_advance_notes.xlsm / .xlsx.")
@click.option("--xlsx-only", is_flag=True, help="Only the .xlsx twin (no VBA, no buttons).")
def template_build(out_dir: Path, xlsx_only: bool) -> None:
    """Build the deal-book template, ascent_advance_notes.xlsm and .xlsx: the ASTI_2022 terms
    with the bundled sample VWAPs and events, refreshed once. A book already there is kept
    beside it as NAME.bak.

    \b
    For a book of your own deal:
      ascent-xl new DEAL.xlsm --terms FILE --vwaps FILE --events FILE"""
    from ascent_xl.excel.template import build_template

    for path in build_template(out_dir, xlsm=not xlsx_only):
        click.echo(f"wrote {path}")


@template_group.command("render", short_help="Render a book's sheets to PNG, as printed.")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True, help="Folder for the PNG pages.")
@click.option("--sheet", "sheets", multiple=True, default=("Summary",), show_default=True,
              help="Sheet to render (repeat for several; 'all' for every visible sheet).")
@click.option("--dpi", type=click.IntRange(30, 600), default=110, show_default=True, metavar="N",
              help="Resolution of the PNG pages, dots per inch.")
def template_render(book: Path, out_dir: Path, sheets: tuple[str, ...], dpi: int) -> None:
    """Render sheets of a book to PNG with LibreOffice headless: to look at a book, or to put a
    page in a report. Each sheet's pages, as printed, are written as BOOK-SHEET-01.png,
    BOOK-SHEET-02.png...

    \b
    Needs LibreOffice and pdftoppm; on Debian or Ubuntu:
      apt-get install libreoffice-calc-nogui poppler-utils"""
    import shutil
    import tempfile
    import zipfile

    from ascent_xl.excel import _package as pkg
    from ascent_xl.excel.render import _slug, render_png

    _check_book(book)
    if "all" in sheets:
        with zipfile.ZipFile(book) as zf:
            sheets = tuple(s.title for s in pkg.sheets(zf, book) if s.state == "visible")
    out_dir.mkdir(parents=True, exist_ok=True)
    for sheet in sheets:
        with tempfile.TemporaryDirectory(prefix="ascent-pages-") as tmp:
            pages = render_png(book, tmp, sheets=[sheet], dpi=dpi)
            for i, page in enumerate(pages, 1):
                target = out_dir / f"{book.stem}-{_slug(sheet)}-{i:02d}.png"
                shutil.move(page, target)
                click.echo(f"wrote {target}")


def _check_book(book: Path) -> None:
    """Refuse a BOOK argument that is no file, as every file is refused (``FILE: ...``)."""
    if not book.is_file():
        what = "a folder, not a book" if book.is_dir() else "book not found; check the path and the file name"
        raise WorkbookError(f"{book}: {what}")


@cli.command("refresh")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--out", "out", type=_FILE, help="Write the refreshed book here instead of in place.")
@click.option("--full", is_flag=True, help="Rewrite every result even when the book's are current, "
              "and run the valuation again (by default such a book is checked and left as it "
              "is, and a valuation of unchanged inputs is kept).")
def refresh_cmd(book: Path, out: Path | None, full: bool) -> None:
    """Refresh a deal book headless (no Excel): same result as its Refresh button.

    The book is written to a temporary file and renamed into place; the previous version is kept
    beside it with .bak added to its name (deal.xlsm -> deal.xlsm.bak). On bad input nothing is
    written and every cell to fix is listed. A book being refreshed by another command, or saved
    while this refresh ran, is left as it is. A book that already holds the results of its
    inputs (none changed since its last refresh, no result typed over) is checked and left as
    it is.
    """
    from ascent_xl.excel.workbook_io import refresh_file

    _check_book(book)
    try:
        result = refresh_file(book, out, full=full or None)
    except WorkbookError as exc:
        raise WorkbookError(f"{exc} (the book was not changed)") from None
    if not result.ok:  # the status is one cell's text (Summary!B4); here each cell to fix on its own line
        head, sep, listed = result.status.partition(": ")
        if sep and " | " in listed:
            lines = "".join(f"\n  {p}" for p in listed.split(" | "))
            raise WorkbookError(f"{book.name}: {head} (the book was not changed):{lines}")
        raise WorkbookError(f"{book.name}: {result.status} (the book was not changed)")
    s = result.schedule
    assert s is not None
    converted = sum(n.converted for n in s.notes.values())  # the summary's Total row, without pandas
    outstanding = sum(n.principal for n in s.notes.values())
    verb = "refreshed" if result.written else "checked"
    click.echo(textwrap.fill(f"{verb} {out or book}: {len(s.rows)} schedule rows; converted ${converted:,.2f}, "
                             f"outstanding ${outstanding:,.2f}; {len(s.flags)} covenant flags", width=80))
    click.echo(textwrap.fill(result.status, width=80))
    if result.not_valued:
        click.echo(textwrap.fill(f"Not valued (the Valuation sheet says why): {result.not_valued}", width=80))
    if out is not None and out.suffix.lower() == ".xlsm":
        from ascent_xl.excel.template import entry_module_text

        module = out.with_suffix(".py")
        if result.module is not None:
            click.echo(f"wrote {module}")
            click.echo("  (keep it beside the book: the Refresh button runs it)")
        elif module.read_text(encoding="utf-8", errors="replace") != entry_module_text(out.stem):
            click.echo(f"kept {module}")
            click.echo(f"  (not written by ascent-xl; the Refresh button of {out.name} runs its main())")


@cli.command("new")
@click.argument("dest", type=_FILE)
@click.option("--terms", "terms_file", type=_FILE, help=TERMS_HELP)
@click.option("--vwaps", "vwaps_file", type=_FILE, help=VWAPS_HELP[:-1] + " [default: the bundled sample VWAPs, "
              "the Ascent deal's: another deal's --terms need its own VWAPs].")
@click.option("--events", "events_file", type=_FILE, help=EVENTS_HELP[:-1] + " [default: the bundled sample "
              "events; none when --vwaps is given].")
def new_cmd(dest: Path, terms_file: Path | None, vwaps_file: Path | None, events_file: Path | None) -> None:
    """Start a new deal book DEST (.xlsm with the Refresh button, or .xlsx) from your files."""
    from ascent_xl.excel.workbook_io import new_deal_book

    if terms_file is not None:  # a name that is no file nor deal: refused listing the deals
        from ascent_xl.cli.options import load_deal_terms
        from ascent_xl.presets import ASTI_2022

        if load_deal_terms(terms_file) is ASTI_2022:
            terms_file = None  # --terms ASTI_2022: the preset, the default
    path = new_deal_book(dest, terms_file=terms_file, vwaps_file=vwaps_file, events_file=events_file)
    click.echo(f"wrote {path}")
    if path.suffix.lower() == ".xlsm":
        click.echo(f"wrote {path.with_suffix('.py')} (keep it beside the book: the Refresh button runs it)")
