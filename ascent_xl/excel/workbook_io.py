"""Deal books on disk, without Excel: refresh a book headless, and start a new deal book.

Files are checked before openpyxl opens them (zip bombs, XML entity bombs, too many cells, a book
open in Excel) and written to a temporary file that is renamed into place, keeping the previous
version as ``NAME.xlsm.bak``: a failed refresh never leaves a half-written book. The book's lock
file stops a second refresh of the same book, and a book saved by someone else while the refresh
ran is not replaced (see :mod:`ascent_xl.fileio`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import keyword
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ascent_xl.errors import WorkbookError
from ascent_xl.excel.book import OpenpyxlBook
from ascent_xl.excel.cached import save_with_values
from ascent_xl.excel.refresh import RefreshResult, closes_missing, refresh_book
from ascent_xl.excel.template import keep_charts
from ascent_xl.fileio import FileStamp, atomic_write, check_writable, file_lock


def load_book(path: str | os.PathLike[str]) -> object:
    """Open a deal book with openpyxl after the safety checks; ``.xlsm`` keeps its VBA."""
    from ascent_xl.excel.safety import open_workbook

    p = Path(path)
    return open_workbook(p, keep_vba=p.suffix.lower() == ".xlsm")


def check_module_name(book: str | os.PathLike[str]) -> str:
    """The name of the module an ``.xlsm`` book's Refresh button imports (the file name without
    extension), refused unless it is a plain Python name that imports this book's module: not a
    keyword (``class``), not a module Python or an installed package already has (``json``,
    ``xlwings``, ``ascent_xl``), letters, digits and underscores only (no ``;`` or quotes)."""
    p = Path(book)
    stem = p.stem
    example = "e.g. acme_notes_2024.xlsm"
    if not (stem.isidentifier() and stem.isascii()):
        raise WorkbookError(
            f"{p.name}: the Refresh button runs `import {stem}`, so name the book with letters, "
            f"digits and underscores only, not starting with a digit ({example})")
    if keyword.iskeyword(stem) or keyword.issoftkeyword(stem):
        raise WorkbookError(f"{p.name}: {stem!r} is a Python keyword and cannot be imported by the "
                            f"Refresh button; choose another name ({example})")
    if stem in sys.stdlib_module_names or stem in sys.builtin_module_names or _importable(stem, p.parent):
        raise WorkbookError(
            f"{p.name}: a Python module named {stem!r} exists already (standard library or an "
            f"installed package), so the Refresh button would import it instead of {stem}.py; "
            f"choose another name ({example})")
    return stem


def _importable(name: str, book_folder: Path) -> bool:
    """Whether ``import name`` finds a module somewhere other than the book's own folder."""
    folder = os.path.realpath(book_folder)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    origin = spec.origin or next(iter(spec.submodule_search_locations or []), None)
    if origin and os.path.dirname(os.path.realpath(origin)) == folder:
        return False  # the book's own NAME.py (checked by its callers)
    return True


def write_button_module(book: str | os.PathLike[str]) -> Path | None:
    """Write ``NAME.py`` beside the ``.xlsm`` book ``NAME.xlsm`` for its Refresh button; an
    existing ``NAME.py`` is left as it is. Returns the path written, or ``None`` when the file was
    there already."""
    from ascent_xl.excel.template import entry_module_text

    p = Path(book)
    module = p.with_suffix(".py")
    try:
        with open(module, "x", encoding="utf-8") as fh:
            fh.write(entry_module_text(p.stem))
    except FileExistsError:
        return None
    except OSError as exc:
        raise WorkbookError(f"{module}: cannot be written ({exc.strerror or exc})") from exc
    return module


def _values_of(path: Path) -> object:
    """The book at ``path`` with each formula's last calculated value (for formula inputs)."""
    from ascent_xl.excel.safety import open_workbook

    return open_workbook(path, data_only=True)


FULL_REFRESH_ENV = "ASCENT_XL_FULL_REFRESH"
"""Set to 1 to make every refresh rewrite its results, even when the book's are current."""


def refresh_file(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                 full: bool | None = None) -> RefreshResult:
    """Refresh the book at ``path`` and write it to ``out`` (default: in place). On bad input
    nothing is written and the result lists the problems; on success the file is replaced
    atomically and the previous version kept as ``.bak``. Refused: a book another refresh is
    writing (its lock), a read-only book or folder, and a book saved by someone else while this
    refresh ran (nothing is written; that edit stays). A book refreshed in place that already
    holds the results of its inputs is left as it is (``written`` False; see
    :mod:`ascent_xl.excel.fastread`), unless ``full`` (default: the setting
    ``ASCENT_XL_FULL_REFRESH=1``)."""
    with gc_paused():
        return _refresh_file(path, out, full=full)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, then back as it was (the memory
    it would free is freed when the block ends). A refresh holds the whole openpyxl workbook (a
    1,000-event book: millions of objects) while it builds many small ones, and each of the
    collector's full passes walks the whole heap: 0.6 s of a 4.5 s refresh of that book, measured
    with ``gc.callbacks``. Objects no longer referenced are freed at once as ever; only reference
    cycles wait for the end of the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _refresh_file(path: str | os.PathLike[str], out: str | os.PathLike[str] | None, *,
                  full: bool | None) -> RefreshResult:
    if full is None:
        full = os.environ.get(FULL_REFRESH_ENV, "").strip() == "1"
    src = Path(path)
    dest = Path(out) if out is not None else src
    if dest.suffix.lower() != src.suffix.lower():
        why = ("a book with macros is .xlsm" if src.suffix.lower() == ".xlsm"
               else "the file holds no macros: an .xlsm name would not give it any")
        raise WorkbookError(f"--out {dest}: keep the book's extension {src.suffix} ({why})")
    if out is not None and dest.suffix.lower() == ".xlsm":
        check_module_name(dest)
    with file_lock(dest):
        check_writable(dest)
        stamp = FileStamp.of(dest)
        if out is None and not full:
            from ascent_xl.excel.fastread import current_results
            from ascent_xl.excel.safety import check_workbook_file

            check_workbook_file(src)
            current = current_results(src)
            if current is not None:
                current.written = False
                return current  # its results are those of its inputs: nothing to write
        wb = load_book(src)
        try:
            keep_charts(src, wb)
            book = OpenpyxlBook(wb, values=lambda: _values_of(src))
            result = refresh_book(book, full=full)
            if result.ok:  # the array formulas' results are the refresh's: not calculated twice
                atomic_write(dest, lambda tmp: save_with_values(wb, tmp, known=book.array_results), expect=stamp,
                             locked=True)
        finally:
            _close_archive(wb)
    if result.ok and out is not None and dest.suffix.lower() == ".xlsm":
        result.module = write_button_module(dest)
    return result


def _close_archive(wb: Any) -> None:
    """Close the in-memory zip openpyxl keeps an ``.xlsm``'s VBA in (``vba_archive``), now, while
    its buffer is open: left to the garbage collector (paused during the refresh, so it runs at
    the interpreter's exit), the zip's ``__del__`` could find its buffer closed first and print
    "Exception ignored ... I/O operation on closed file"."""
    archive = getattr(wb, "vba_archive", None)
    if archive is not None:
        archive.close()


def new_deal_book(dest: str | os.PathLike[str], *, terms_file: str | os.PathLike[str] | None = None,
                  vwaps_file: str | os.PathLike[str] | None = None,
                  events_file: str | os.PathLike[str] | None = None) -> Path:
    """A new deal book at ``dest`` (``.xlsm`` or ``.xlsx``) laid out like the template and filled
    from the user's files (defaults: the bundled example of the Ascent deal; another deal's terms
    need its VWAPs), refreshed once. For ``.xlsm`` the
    Refresh button's module ``DEST.py`` is written beside it. Never replaces a file: an existing
    book or ``DEST.py`` is refused, and so is a name the button cannot import."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.excel.template import build_template
    from ascent_xl.market import MarketData
    from ascent_xl.presets import ASTI_2022
    from ascent_xl.terms_io import load_terms

    target = Path(dest)
    suffix = target.suffix.lower()
    if suffix not in (".xlsm", ".xlsx"):
        raise WorkbookError(f"{target}: name the new book .xlsm (with the Refresh button) or .xlsx")
    if target.exists() or target.is_symlink():
        raise WorkbookError(f"{target} exists already; choose another name or refresh it instead")
    module = target.with_suffix(".py")
    if suffix == ".xlsm":
        check_module_name(target)
        if module.exists() or module.is_symlink():
            raise WorkbookError(
                f"{module} exists already and the new book's Refresh button would run it; move it "
                "away or choose another name for the book (nothing was written)")
    terms = load_terms(terms_file) if terms_file else ASTI_2022
    sample_issue = sorted({n.issue_date for n in ASTI_2022.notes})
    if not vwaps_file and sorted({n.issue_date for n in terms.notes}) != sample_issue:
        # the bundled VWAPs and events are the Ascent deal's sample: another deal's (another
        # company's, other dates) priced on them would be priced wrong
        raise WorkbookError(
            f"{terms_file}: the bundled VWAPs and events are the sample of the Ascent deal issued "
            f"{', '.join(map(str, sample_issue))}, not of '{terms.name}'; give this deal's VWAPs with "
            "--vwaps FILE (and its events with --events FILE) (nothing was written)")
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar) if vwaps_file else None
    missing = closes_missing(terms, market, book=False)
    if missing:
        raise WorkbookError(f"{terms_file}: {missing} (nothing was written)")
    # The bundled example events only fit the bundled VWAPs: with your VWAPs, start with none.
    events = events_from_csv(events_file) if events_file else ([] if vwaps_file else None)
    folder = target.parent if str(target.parent) else Path(".")
    check_writable(target)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.stem}.", suffix=".build", dir=folder))
    except OSError as exc:
        raise WorkbookError(f"cannot write in the folder {folder} ({exc.strerror or exc}); "
                            "choose another folder") from exc
    try:
        built = build_template(work, terms=terms, market=market, events=events, name=target.stem,
                               xlsm=suffix == ".xlsm", xlsx=suffix == ".xlsx")
        _place(built[0], target)
        if suffix == ".xlsm":
            try:
                _place(work / f"{target.stem}.py", module)
            except WorkbookError:
                target.unlink()  # the book without its module is no use; it is ours to remove
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the folder mkdtemp made for this build only
    return target


def _place(source: Path, target: Path) -> None:
    """Move ``source`` to ``target``, refusing (never replacing) an existing ``target``."""
    try:
        os.link(source, target)  # fails if target exists: no window where a file is replaced
    except FileExistsError:
        raise WorkbookError(f"{target} appeared while the book was being built; nothing "
                            "was replaced: move it away or choose another name") from None
    except OSError:  # no hard links on this file system: check, then rename
        if target.exists():
            raise WorkbookError(f"{target} exists already; nothing was replaced") from None
        os.replace(source, target)
        return
    source.unlink()
