"""Deal books on disk, without Excel: refresh a book headless, and start a new deal book.

Files are checked before openpyxl opens them (zip bombs, XML entity bombs, a book open in Excel)
and written to a temporary file that is renamed into place, keeping the previous version as
``NAME.xlsm.bak``: a failed refresh never leaves a half-written book.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ascent_xl.errors import WorkbookError
from ascent_xl.excel.book import OpenpyxlBook
from ascent_xl.excel.refresh import RefreshResult, refresh_book
from ascent_xl.fileio import atomic_write


def load_book(path: str | os.PathLike[str]) -> object:
    """Open a deal book with openpyxl after the safety checks; ``.xlsm`` keeps its VBA."""
    from ascent_xl.excel.safety import open_workbook

    p = Path(path)
    return open_workbook(p, keep_vba=p.suffix.lower() == ".xlsm")


def refresh_file(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> RefreshResult:
    """Refresh the book at ``path`` and write it to ``out`` (default: in place). On bad input
    nothing is written and the result lists the problems; on success the file is replaced
    atomically and the previous version kept as ``.bak``."""
    src = Path(path)
    dest = Path(out) if out is not None else src
    if dest.suffix.lower() != src.suffix.lower():
        raise WorkbookError(f"--out {dest}: keep the extension {src.suffix} (VBA needs .xlsm)")
    wb = load_book(src)
    result = refresh_book(OpenpyxlBook(wb))
    if result.ok:
        atomic_write(dest, lambda tmp: wb.save(tmp))  # type: ignore[attr-defined]
    return result


def new_deal_book(dest: str | os.PathLike[str], *, terms_file: str | os.PathLike[str] | None = None,
                  vwaps_file: str | os.PathLike[str] | None = None,
                  events_file: str | os.PathLike[str] | None = None) -> Path:
    """A new deal book at ``dest`` (``.xlsm`` or ``.xlsx``) laid out like the template and filled
    from the user's files (defaults: the bundled example), refreshed once. For ``.xlsm`` the
    Refresh button's module ``DEST.py`` is written beside it."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.excel.template import build_template
    from ascent_xl.market import MarketData
    from ascent_xl.presets import ASTI_2022
    from ascent_xl.terms_io import load_terms

    target = Path(dest)
    suffix = target.suffix.lower()
    if suffix not in (".xlsm", ".xlsx"):
        raise WorkbookError(f"{target}: name the new book .xlsm (with the Refresh button) or .xlsx")
    if target.exists():
        raise WorkbookError(f"{target} exists already; choose another name or refresh it instead")
    if suffix == ".xlsm" and not target.stem.isidentifier():
        raise WorkbookError(
            f"{target.name}: the Refresh button runs `import {target.stem}`, so name the book with "
            "letters, digits and underscores only (e.g. acme_notes_2024.xlsm)"
        )
    terms = load_terms(terms_file) if terms_file else ASTI_2022
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar) if vwaps_file else None
    # The bundled example events only fit the bundled VWAPs: with your VWAPs, start with none.
    events = events_from_csv(events_file) if events_file else ([] if vwaps_file else None)
    work = target.parent / f".{target.stem}.build"
    try:
        built = build_template(work, terms=terms, market=market, events=events, name=target.stem,
                               xlsm=suffix == ".xlsm", xlsx=suffix == ".xlsx")
        shutil.move(str(built[0]), target)
        if suffix == ".xlsm":
            shutil.move(str(work / f"{target.stem}.py"), target.parent / f"{target.stem}.py")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target

