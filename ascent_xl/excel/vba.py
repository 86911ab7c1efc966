"""The skeleton of a macro-enabled deal book, built with libraries: the installed xlwings' VBA
project, an ``xlwings.conf`` sheet and the Refresh buttons.

- :func:`vba_project` is the ``vbaProject.bin`` of ``xlwings quickstart NAME --standalone`` (the
  ``quickstart_standalone.xlsm`` of the installed xlwings package, so the book's VBA is always
  the installed xlwings' own) with ``Module1`` holding :data:`SAMPLE_CALL`, the Refresh macro;
  pyOpenVBA replaces the module's source (it rewrites the compound file and clears the compiled
  cache, so Excel compiles the new source on open).
- :func:`skeleton_xlsm` writes the workbook with XlsxWriter (``add_vba_project``,
  ``insert_button``, ``set_vba_name``): the sheets, the active ``xlwings.conf`` sheet holding
  settings in the layout xlwings' VBA reads, and form-control buttons that run ``SampleCall``.

openpyxl then fills the skeleton: ``load_workbook(path, keep_vba=True)`` keeps ``vbaProject.bin``
and the buttons' VML drawings byte for byte on save (tests/excel/test_excel_vba.py checks it);
a sheet with buttons must carry no cell comments, whose VML openpyxl writes itself.

Not verified here (no Excel on Linux): that Excel shows and runs the buttons. LibreOffice opens
the files and shows the buttons.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ascent_xl.errors import WorkbookError

CONFIG_SHEET = "xlwings.conf"
"""Title of the sheet xlwings' VBA reads settings from (``PROJECT_NAME & ".conf"``)."""

XLWINGS_CONFIG_KEYS = (
    "Interpreter_Win", "Interpreter_Mac", "Interpreter", "PYTHONPATH", "Conda Path", "Conda Env",
    "UDF Modules", "Debug UDFs", "Use UDF Server", "Show Console", "ADD_WORKBOOK_TO_PYTHONPATH",
    "ONEDRIVE_CONSUMER_WIN", "ONEDRIVE_CONSUMER_MAC", "ONEDRIVE_COMMERCIAL_WIN",
    "ONEDRIVE_COMMERCIAL_MAC", "SHAREPOINT_WIN", "SHAREPOINT_MAC", "LICENSE_KEY", "Temp Dir",
    "SHOW_ERROR_POPUPS",
)
"""Settings the xlwings VBA module reads with ``GetConfig`` (it upper-cases the key in column A
and compares it with these, upper-cased); spelt as xlwings' own quickstart sheet spells them."""

REFRESH_MACRO = "SampleCall"
"""The macro a Refresh button runs: ``Module1.SampleCall`` (:data:`SAMPLE_CALL`)."""

REFRESH_CAPTION = "Refresh"

BUTTON_SIZE = (128, 40)
"""A button's width and height in pixels: two default columns (64 px) by two rows (20 px)."""

SAMPLE_CALL = """Attribute VB_Name = "Module1"
Sub SampleCall()
    ' Refresh button: runs main() of the Python module named like this book (ascent-xl).
    ' The name is checked first, so that a renamed file cannot become Python code.
    mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))
    If Not mymodule Like "[A-Za-z]*" Or mymodule Like "*[!A-Za-z0-9_]*" Then
        MsgBox "The book's name '" & ThisWorkbook.Name & "' is not a Python module name. Rename " & _
            "it with letters, digits and underscores only (e.g. acme_notes_2024.xlsm), and its " & _
            ".py file alike, then press Refresh again.", vbExclamation, "ascent-xl"
        Exit Sub
    End If
    RunPython "import " & mymodule & ";" & mymodule & ".main()"
End Sub
"""
"""The source of ``Module1`` in the books ascent-xl builds: xlwings' quickstart ``SampleCall``
(``RunPython "import NAME; NAME.main()"`` with NAME the book's file name without extension),
plus a check that refuses, with a message box, a name that is not a plain module name: a book
renamed ``a;import os;os.system('x');a.xlsm`` would otherwise run that code."""

# Document modules of the quickstart's VBA project: the workbook's and its two sheets'.
_WORKBOOK_CODE_NAME = "ThisWorkbook"
_FIRST_SHEET_CODE_NAME = "Sheet1"
_CONFIG_CODE_NAME = "Sheet2"


def quickstart_template() -> Path:
    """The workbook ``xlwings quickstart NAME --standalone`` copies: ``quickstart_standalone.xlsm``
    in the installed xlwings package."""
    import xlwings

    source = Path(xlwings.__file__).resolve().parent / "quickstart_standalone.xlsm"
    if not source.is_file():
        raise WorkbookError(f"xlwings {xlwings.__version__} has no quickstart_standalone.xlsm; "
                            "install the xlwings version pyproject.toml pins")
    return source


def installed_xlwings_version() -> str:
    """The version of the installed xlwings package."""
    import xlwings

    return str(xlwings.__version__)


def vba_project() -> bytes:
    """The ``vbaProject.bin`` of the installed xlwings' quickstart workbook, with ``Module1``'s
    source replaced by :data:`SAMPLE_CALL` (pyOpenVBA edits a copy of the workbook; the source
    is stored with CRLF line ends, as the VBA editor stores it)."""
    from pyopenvba import ExcelFile

    with tempfile.TemporaryDirectory(prefix="ascent-vba-") as folder:
        copy = Path(folder) / "quickstart.xlsm"
        shutil.copyfile(quickstart_template(), copy)
        with ExcelFile(copy) as book:
            book.set_module("Module1", SAMPLE_CALL.replace("\n", "\r\n"))
            book.save()
        with zipfile.ZipFile(copy) as zf:
            return zf.read("xl/vbaProject.bin")


def _config_key(key: str) -> str:
    return str(key).strip().upper().replace(" ", "_")


def config_rows(settings: Mapping[str, Any]) -> list[tuple[str, str | bool]]:
    """The ``xlwings.conf`` rows for ``settings`` (``{"UDF Modules": "ascent_xl.excel.udfs"}``):
    keys matched against :data:`XLWINGS_CONFIG_KEYS` ignoring case and treating spaces and
    underscores alike, and spelt as xlwings spells them; a value of ``None`` leaves the key out
    (xlwings then falls back to the user's xlwings.conf and the add-in), ``""`` sets it empty,
    booleans stay booleans, anything else becomes its text."""
    canonical = {_config_key(k): k for k in XLWINGS_CONFIG_KEYS}
    rows: list[tuple[str, str | bool]] = []
    seen: set[str] = set()
    for key, value in settings.items():
        norm = _config_key(key)
        if norm not in canonical:
            raise WorkbookError(f"{key!r} is not an xlwings setting; use one of "
                                f"{', '.join(XLWINGS_CONFIG_KEYS)}")
        if norm in seen:
            raise WorkbookError(f"xlwings setting {key!r} given twice; give it once")
        seen.add(norm)
        if value is not None:
            rows.append((canonical[norm], value if isinstance(value, str | bool) else str(value)))
    return rows


def skeleton_xlsm(path: str | os.PathLike[str], *, sheets: Iterable[str],
                  buttons: Iterable[tuple[str, str]] = (),
                  settings: Mapping[str, Any] | None = None) -> Path:
    """Write to ``path`` (any name: the temporary file of :func:`ascent_xl.fileio.atomic_write`
    too) an empty macro-enabled workbook with XlsxWriter: the sheets titled ``sheets`` in order
    (one must be :data:`CONFIG_SHEET`), the VBA project :func:`vba_project`, the ``settings`` in
    the config sheet (keys in column A from A1 down, values in column B, see :func:`config_rows`)
    and a Refresh button running :data:`REFRESH_MACRO` at each ``(sheet, cell)`` of ``buttons``
    (its top-left corner; it covers :data:`BUTTON_SIZE`). The first sheet and the config sheet
    get the quickstart's document modules (``Sheet1``, ``Sheet2``); returns ``path``."""
    import xlsxwriter
    from xlsxwriter.utility import xl_cell_to_rowcol

    titles = list(sheets)
    if CONFIG_SHEET not in titles:
        raise WorkbookError(f"a macro-enabled book needs a {CONFIG_SHEET!r} sheet; add it to sheets")
    by_sheet: dict[str, list[str]] = {}
    for sheet, cell in buttons:
        if sheet not in titles:
            raise WorkbookError(f"a button on sheet {sheet!r}, which the book has not; "
                                f"the sheets are {', '.join(titles)}")
        by_sheet.setdefault(sheet, []).append(cell)
    rows = config_rows(settings or {})
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_vba_project(io.BytesIO(vba_project()), is_stream=True)
    book.set_vba_name(_WORKBOOK_CODE_NAME)
    spare = (f"Sheet{n}" for n in range(3, len(titles) + 3))
    for i, title in enumerate(titles):
        ws = book.add_worksheet(title)
        ws.set_vba_name(_FIRST_SHEET_CODE_NAME if i == 0 else
                        _CONFIG_CODE_NAME if title == CONFIG_SHEET else next(spare))
        for cell in by_sheet.get(title, []):
            row, col = xl_cell_to_rowcol(cell)
            ws.insert_button(row, col, {"macro": REFRESH_MACRO, "caption": REFRESH_CAPTION,
                                        "width": BUTTON_SIZE[0], "height": BUTTON_SIZE[1]})
        if title == CONFIG_SHEET:
            for r, (key, value) in enumerate(rows):
                ws.write_string(r, 0, key)
                if isinstance(value, bool):
                    ws.write_boolean(r, 1, value)
                else:
                    ws.write_string(r, 1, value)  # text stays text, never a formula
    book.close()
    target = Path(path)
    target.write_bytes(out.getvalue())
    return target
