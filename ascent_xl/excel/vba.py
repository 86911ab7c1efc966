"""Macro-enabled workbooks without Excel: the xlwings VBA project, its config sheet, and
form-control buttons that run a macro.

- :func:`base_xlsm` writes the workbook ``xlwings quickstart NAME --standalone`` creates: its VBA
  project holds the xlwings module (``RunPython``, ``ImportPythonUDFs``) and ``Module1.SampleCall``,
  which runs ``import <book name>; <book name>.main()``; a ``_xlwings.conf`` sheet holds settings.
- :func:`configure` turns that sheet into the active ``xlwings.conf`` sheet.
- :func:`add_buttons` adds legacy (VML) form-control buttons that call a macro; :func:`list_buttons`
  reads them back. openpyxl keeps them (and ``vbaProject.bin``) only when the workbook is loaded with
  ``load_workbook(path, keep_vba=True)``; keep cell comments off sheets with buttons, because
  openpyxl writes its own VML for comments.
- :func:`vba_modules` reads the VBA source code, to check which macros a workbook has.

Not verified here (no Excel on Linux): that Excel shows and runs the buttons. LibreOffice opens the
files and shows the buttons.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import _package as pkg
from ascent_xl.fileio import atomic_write

CONFIG_SHEET = "xlwings.conf"
"""Title of the sheet xlwings' VBA reads settings from (``PROJECT_NAME & ".conf"``)."""

QUICKSTART_CONFIG_SHEET = "_xlwings.conf"
"""Title of the inactive settings sheet in the quickstart workbook."""

XLWINGS_CONFIG_KEYS = (
    "Interpreter_Win", "Interpreter_Mac", "Interpreter", "PYTHONPATH", "Conda Path", "Conda Env",
    "UDF Modules", "Debug UDFs", "Use UDF Server", "Show Console", "ADD_WORKBOOK_TO_PYTHONPATH",
    "ONEDRIVE_CONSUMER_WIN", "ONEDRIVE_CONSUMER_MAC", "ONEDRIVE_COMMERCIAL_WIN",
    "ONEDRIVE_COMMERCIAL_MAC", "SHAREPOINT_WIN", "SHAREPOINT_MAC", "LICENSE_KEY", "Temp Dir",
    "SHOW_ERROR_POPUPS",
)
"""Settings the xlwings VBA module reads with ``GetConfig`` (it upper-cases the key in column A
and compares it with these, upper-cased); spelt as xlwings' own quickstart sheet spells them."""

VML_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
VML_REL_TYPE = pkg.REL_NS + "/vmlDrawing"
_COMMENTS_REL_TYPE = pkg.REL_NS + "/comments"
_VML_NS = "urn:schemas-microsoft-com:vml"
_OFFICE_NS = "urn:schemas-microsoft-com:office:office"
_EXCEL_NS = "urn:schemas-microsoft-com:office:excel"

# CT_Worksheet (ECMA-376 Part 1, 18.3.1.99): the elements that follow <legacyDrawing>.
_AFTER_LEGACY_DRAWING = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                         "webPublishItems", "tableParts", "extLst")

DEFAULT_BUTTON_CELLS = (2, 2)
"""Columns and rows a button covers when its anchor is a single cell."""

_MACRO = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_]*\.)?[A-Za-z][A-Za-z0-9_]*$")
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")
_PUBLIC_SUB = re.compile(r"(?mi)^[ \t]*(?:public[ \t]+)?sub[ \t]+([A-Za-z][A-Za-z0-9_]*)[ \t]*\([ \t]*\)")
_POINTS_PER_COLUMN = 48.0  # Excel's default column width (64 px) and row height (20 px), in pt
_POINTS_PER_ROW = 15.0
_SHAPES_PER_BLOCK = 1024  # VML shape ids come in blocks of 1024 declared by <o:idmap data=...>


@dataclass(frozen=True)
class Button:
    """A form-control button on ``sheet`` showing ``caption`` that runs the VBA macro ``macro``
    (``"SampleCall"`` or ``"Module1.SampleCall"``), placed over the cell range ``anchor``
    (``"B2:C3"``: from the top-left corner of B2 to the bottom-right corner of C3). A single cell
    (``"B2"``) is the top-left cell of a button :data:`DEFAULT_BUTTON_CELLS` cells in size."""

    sheet: str
    caption: str
    macro: str
    anchor: str


def quickstart_template() -> Path | None:
    """The workbook ``xlwings quickstart NAME --standalone`` copies (``quickstart_standalone.xlsm``
    in the installed xlwings package), or ``None`` if this xlwings version has none."""
    import xlwings

    source = Path(xlwings.__file__).resolve().parent / "quickstart_standalone.xlsm"
    return source if source.is_file() else None


def base_xlsm(path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write to ``path`` the macro-enabled workbook of ``xlwings quickstart NAME --standalone``,
    whose VBA project is the xlwings module plus ``Module1.SampleCall``; returns ``path``. The same
    xlwings version gives the same bytes. Reads the quickstart file from the xlwings package (what
    the command copies); if that file moves in a later xlwings, runs the command in a temporary
    folder instead. Leaves no other file behind. Refuses an ``.xlsx`` name (Excel will not open
    macros in it) and a non-empty existing file unless ``overwrite`` (an empty one, such as the
    temporary file of :func:`ascent_xl.fileio.atomic_write`, is replaced)."""
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        raise WorkbookError(f"{target}: a workbook with macros must end in .xlsm; rename it")
    if target.exists() and target.stat().st_size > 0 and not overwrite:
        raise WorkbookError(f"{target} already exists; delete it or pass overwrite=True")
    source = quickstart_template()
    if source is not None:
        atomic_write(target, lambda tmp: shutil.copyfile(source, tmp), backup=False)
        return target
    with tempfile.TemporaryDirectory(prefix="ascent-quickstart-") as tmp_dir:
        made = _run_quickstart(Path(tmp_dir))
        atomic_write(target, lambda tmp: shutil.copyfile(made, tmp), backup=False)
    return target


def _run_quickstart(folder: Path, name: str = "ascent_base") -> Path:
    """Run ``python -m xlwings.cli quickstart NAME --standalone`` in ``folder``; the .xlsm made."""
    cmd = [sys.executable, "-m", "xlwings.cli", "quickstart", name, "--standalone"]
    try:
        done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WorkbookError(f"xlwings quickstart failed ({exc}); check that xlwings is installed") from exc
    made = folder / name / f"{name}.xlsm"
    if done.returncode != 0 or not made.is_file():
        raise WorkbookError(f"xlwings quickstart --standalone made no workbook: "
                            f"{(done.stderr or done.stdout).strip()[-300:]}; reinstall xlwings")
    return made


def _config_key(key: str) -> str:
    return str(key).strip().upper().replace(" ", "_")


def configure(path: str | os.PathLike[str], settings: Mapping[str, Any] | None = None, *,
              hidden: bool = False, backup: bool = False, **keywords: Any) -> None:
    """Make the workbook at ``path`` (from :func:`base_xlsm`) carry an active ``xlwings.conf``
    sheet holding the settings, given as a mapping (``{"UDF Modules": "ascent_xl.excel.udfs",
    "Interpreter_Win": ""}``) and/or as keywords (``udf_modules="ascent_xl.excel.udfs"``), in the
    layout xlwings' VBA ``GetConfigFromSheet`` reads: keys in column A from A1 down without gaps,
    values in column B. The quickstart's ``_xlwings.conf`` sheet is renamed and reused (or a sheet
    is added at the end). A value of ``None`` leaves the key out (xlwings then falls back to the
    user's xlwings.conf and the add-in), ``""`` sets it empty; booleans stay booleans. Keys are
    matched against :data:`XLWINGS_CONFIG_KEYS` ignoring case and treating spaces and underscores
    alike, and written as xlwings spells them. Saved with openpyxl (``keep_vba=True``),
    atomically; ``hidden`` hides the sheet."""
    from ascent_xl.excel.safety import open_workbook

    canonical = {_config_key(k): k for k in XLWINGS_CONFIG_KEYS}
    rows: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for key, value in [*(settings or {}).items(), *keywords.items()]:
        norm = _config_key(key)
        if norm not in canonical:
            raise WorkbookError(f"{path}: {key!r} is not an xlwings setting; use one of "
                                f"{', '.join(XLWINGS_CONFIG_KEYS)}")
        if norm in seen:
            raise WorkbookError(f"{path}: xlwings setting {key!r} given twice; give it once")
        seen.add(norm)
        if value is None:
            continue
        if not isinstance(value, (str, bool)):
            value = str(value)
        rows.append((canonical[norm], value))
    target = Path(path)
    wb = open_workbook(target, keep_vba=True)
    if wb.vba_archive is None:
        raise WorkbookError(f"{target}: has no VBA project; start from base_xlsm()")
    if CONFIG_SHEET in wb.sheetnames:
        ws = wb[CONFIG_SHEET]
    elif QUICKSTART_CONFIG_SHEET in wb.sheetnames:
        ws = wb[QUICKSTART_CONFIG_SHEET]
        ws.title = CONFIG_SHEET
    else:
        ws = wb.create_sheet(CONFIG_SHEET)
    for row in ws.iter_rows():
        for cell in row:
            cell.value = None
    for i, (key, value) in enumerate(rows, 1):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=value)
    ws.cell(row=1, column=4, value="xlwings settings, read by its VBA from A1 down; "
            "written by ascent-xl. Delete a row to fall back to the user's xlwings.conf.")
    ws.sheet_state = "hidden" if hidden else "visible"
    if hidden and wb.active is ws:
        wb.active = next(i for i, s in enumerate(wb.worksheets) if s.sheet_state == "visible")
    atomic_write(target, wb.save, backup=backup)


def read_xlwings_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The settings in the active ``xlwings.conf`` sheet as xlwings' VBA reads them: column A
    from A1 down to the first empty cell, keys as written; ``{}`` if there is no such sheet."""
    from ascent_xl.excel.safety import open_workbook

    wb = open_workbook(path, keep_vba=True)
    if CONFIG_SHEET not in wb.sheetnames:
        return {}
    ws = wb[CONFIG_SHEET]
    found: dict[str, Any] = {}
    row = 1
    while ws.cell(row=row, column=1).value not in (None, ""):
        found[str(ws.cell(row=row, column=1).value)] = ws.cell(row=row, column=2).value
        row += 1
    return found


def vba_modules(path: str | os.PathLike[str]) -> dict[str, str]:
    """The VBA modules of the ``.xlsm`` at ``path``: module name → source code (read only)."""
    with _open_zip(path) as zf:
        try:
            data = zf.read("xl/vbaProject.bin")
        except KeyError:
            raise WorkbookError(f"{path}: has no VBA project (xl/vbaProject.bin); "
                                "start from base_xlsm()") from None
    return _modules(data, where=f"{path}: xl/vbaProject.bin")


def _modules(vba_bin: bytes, *, where: str) -> dict[str, str]:
    """The modules of a ``vbaProject.bin`` (an OLE file of [MS-OVBA] compressed streams), read
    with oletools' VBA parser: module name -> source code."""
    from oletools.olevba import VBA_Parser

    try:
        parser = VBA_Parser("vbaProject.bin", data=vba_bin)
        try:
            return {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n")
                    for _, _, name, code in parser.extract_macros()}
        finally:
            parser.close()
    except Exception as exc:  # noqa: BLE001 - oletools raises its own and olefile's errors
        raise WorkbookError(f"{where}: cannot read the VBA project ({exc})") from exc


_VBA_VERSION = re.compile(r'(?m)^\s*(?:Public\s+)?Const\s+XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"')
_DLL_VERSION = re.compile(r'"xlwings(?:32|64)-([0-9][^"]*)\.dll"')


def vba_xlwings_version(path: str | os.PathLike[str]) -> str:
    """The xlwings version the VBA project of the ``.xlsm`` at ``path`` belongs to: its
    ``XLWINGS_VERSION`` constant, which must also be the version of every ``xlwings64-X.Y.Z.dll``
    it declares (Windows) and names the ``xlwings-X.Y.Z.applescript`` it calls (macOS). Excel
    loads the UDFs and runs Refresh only when it equals the installed xlwings package's."""
    code = vba_modules(path).get("xlwings", "")
    found = _VBA_VERSION.findall(code)
    if len(found) != 1:
        raise WorkbookError(f"{path}: its VBA has no xlwings module with one XLWINGS_VERSION; "
                            "rebuild the book with `ascent-xl new`")
    dlls = set(_DLL_VERSION.findall(code))
    if dlls - {found[0]}:
        raise WorkbookError(f"{path}: its VBA declares xlwings {found[0]} but loads the DLL of "
                            f"{', '.join(sorted(dlls - {found[0]}))}; rebuild the book with `ascent-xl new`")
    return found[0]


def installed_xlwings_version() -> str:
    """The version of the installed xlwings package."""
    import xlwings

    return str(xlwings.__version__)


def macros(path: str | os.PathLike[str]) -> list[str]:
    """The macros a button of the workbook at ``path`` can run: public ``Sub``s without
    arguments, as ``Module.Sub``."""
    return [f"{module}.{sub}" for module, code in vba_modules(path).items()
            for sub in _PUBLIC_SUB.findall(code)]


def add_buttons(path: str | os.PathLike[str], buttons: Iterable[Button | tuple[str, str, str, str]],
                *, check_macros: bool = True, backup: bool = False) -> None:
    """Add form-control buttons to the saved ``.xlsm`` at ``path``. Each button is a
    :class:`Button` or a tuple ``(sheet, caption, macro, anchor)``. A button with the caption and
    macro of one already on the sheet replaces it (so adding the same button twice keeps one).
    With ``check_macros``, every macro must be a public argument-less ``Sub`` of the workbook's
    VBA project. Writes a VML drawing part per sheet, the sheet's ``<legacyDrawing>`` and
    relationship, and the ``vml`` content type, then replaces the file atomically."""
    wanted = [b if isinstance(b, Button) else Button(*b) for b in buttons]
    target = Path(path)
    for button in wanted:
        _validate(target, button)
    if not wanted:
        return
    if check_macros:
        try:
            known = macros(target)
        except WorkbookError as exc:
            raise WorkbookError(f"{exc}; pass check_macros=False to add the buttons unchecked") from exc
        short = {m.split(".", 1)[1].lower() for m in known}
        for button in wanted:
            name = button.macro.lower()
            if name not in short and name not in {m.lower() for m in known}:
                raise WorkbookError(
                    f"{target}: macro {button.macro!r} of button {button.caption!r} is not a "
                    f"public Sub without arguments in the VBA project; available: {', '.join(known)}")
    by_sheet: dict[str, list[Button]] = {}
    for button in wanted:
        by_sheet.setdefault(button.sheet, []).append(button)
    with _open_zip(target) as zf:
        names = set(zf.namelist())
        if "xl/vbaProject.bin" not in names:
            raise WorkbookError(f"{target}: has no VBA project, so buttons could run no macro; "
                                "start from base_xlsm() and save as .xlsm")
        parts: dict[str, bytes] = {}
        for title, new in by_sheet.items():
            _add_to_sheet(zf, target, title, new, parts, names)
        if any(n.endswith(".vml") for n in parts):
            ct = parts.get("[Content_Types].xml", zf.read("[Content_Types].xml"))
            parts["[Content_Types].xml"] = _with_vml_default(ct, f"{target}: [Content_Types].xml")
    pkg.rewrite_zip(target, parts, backup=backup)


def list_buttons(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The form-control buttons of the workbook at ``path``, in sheet order: dicts with
    ``sheet``, ``caption``, ``macro`` (without the ``[0]!`` prefix) and ``anchor`` (cell range)."""
    found = []
    with _open_zip(path) as zf:
        for sheet in pkg.sheets(zf, path):
            vml = _legacy_vml_part(zf, path, sheet)
            if vml is None or vml not in zf.namelist():
                continue
            for shape in _read_vml(zf.read(vml), f"{path}: {vml}"):
                if shape["type"] == "Button":
                    found.append({"sheet": sheet.title, "caption": shape["caption"],
                                  "macro": shape["macro"], "anchor": shape["anchor"]})
    return found


def _open_zip(path: str | os.PathLike[str]) -> zipfile.ZipFile:
    from ascent_xl.excel.safety import check_workbook_file

    check_workbook_file(path)
    return zipfile.ZipFile(path)


def _validate(path: Path, button: Button) -> None:
    if not button.caption.strip():
        raise WorkbookError(f"{path}: a button on sheet {button.sheet!r} has no caption; give one")
    if not _MACRO.match(button.macro):
        raise WorkbookError(f"{path}: button {button.caption!r}: {button.macro!r} is not a VBA "
                            "macro name; use e.g. 'SampleCall' or 'Module1.SampleCall'")
    _anchor_box(path, button)


def _anchor_box(path: Path, button: Button) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row), 0-based, of the button's anchor."""
    from openpyxl.utils.cell import column_index_from_string

    m = _RANGE.match(button.anchor.strip())
    if not m:
        raise WorkbookError(f"{path}: button {button.caption!r}: anchor {button.anchor!r} is not "
                            "a cell range; use e.g. 'B2:C3'")
    c1, r1 = column_index_from_string(m[1].upper()), int(m[2])
    if m[3]:
        c2, r2 = column_index_from_string(m[3].upper()), int(m[4])
    else:
        c2, r2 = c1 + DEFAULT_BUTTON_CELLS[0] - 1, r1 + DEFAULT_BUTTON_CELLS[1] - 1
    if r1 < 1 or r2 < 1 or c1 > c2 or r1 > r2:
        raise WorkbookError(f"{path}: button {button.caption!r}: anchor {button.anchor!r} must go "
                            "from the top-left to the bottom-right cell, e.g. 'B2:C3'")
    return c1 - 1, r1 - 1, c2 - 1, r2 - 1


def _range_text(c1: int, r1: int, c2: int, r2: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"


def _legacy_vml_part(zf: zipfile.ZipFile, path: Any, sheet: pkg.Sheet) -> str | None:
    """The VML part the sheet's ``<legacyDrawing>`` points to, or ``None``."""
    tree = pkg.outline(zf.read(sheet.part), f"{path}: {sheet.part}")
    legacy = next((c for c in tree.children if c.local == "legacyDrawing"), None)
    if legacy is None:
        return None
    rid = next((v for k, v in legacy.attrs.items() if k.endswith(":id")), "")
    for rel in pkg.relationships(zf, sheet.part):
        if rel.get("Id") == rid:
            return rel.get("part")
    raise WorkbookError(f"{path}: sheet {sheet.title!r} has a legacyDrawing {rid} without a "
                        "relationship; the file is damaged: open it in Excel and save it again")


def _add_to_sheet(zf: zipfile.ZipFile, path: Path, title: str, new: list[Button],
                  parts: dict[str, bytes], names: set[str]) -> None:
    sheet = pkg.find_sheet(zf, path, title)
    rels = pkg.relationships(zf, sheet.part)
    if any(r.get("Type") == _COMMENTS_REL_TYPE for r in rels):
        raise WorkbookError(f"{path}: sheet {title!r} has cell comments, whose VML openpyxl "
                            "rewrites on save; remove the comments or put the buttons on another sheet")
    vml_part = _legacy_vml_part(zf, path, sheet)
    existing: list[dict[str, Any]] = []
    block = None
    if vml_part is not None and vml_part in names:
        xml = zf.read(vml_part)
        existing = _read_vml(xml, f"{path}: {vml_part}")
        others = sorted({str(s["type"]) for s in existing if s["type"] != "Button"})
        if others:
            raise WorkbookError(f"{path}: sheet {title!r} already has {', '.join(others)} shapes "
                                f"in {vml_part}; buttons can only be added to sheets without "
                                "comments or other form controls")
        block = _idmap_blocks(xml)[:1] or None
    if vml_part is None:
        vml_part = _new_vml_name(names | set(parts))
        rid = _new_rel_id(rels)
        parts[sheet.part] = _with_legacy_drawing(zf.read(sheet.part), f"{path}: {sheet.part}", rid)
        rels_name = pkg.rels_part(sheet.part)
        target = os.path.relpath(vml_part, os.path.dirname(sheet.part)).replace(os.sep, "/")
        fragment = (f'<Relationship Id="{rid}" Type="{VML_REL_TYPE}" '
                    f'Target="{pkg.xml_attr(target)}"/>')
        if rels_name in names:
            xml = zf.read(rels_name)
            tree = pkg.outline(xml, f"{path}: {rels_name}")
            parts[rels_name] = pkg.insert_before_end(xml, tree, fragment)
        else:
            parts[rels_name] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                f'<Relationships xmlns="{pkg.PKG_REL_NS}">{fragment}</Relationships>'
                                ).encode()
    if block is None:
        used = [b for n in names | set(parts) if n.endswith(".vml")
                for b in _idmap_blocks(parts.get(n) or zf.read(n))]
        # Block 1 (ids 1025-2047) is where openpyxl puts comment shapes, on every sheet.
        block = [max(used, default=1) + 1]
    shapes = [{"caption": s["caption"], "macro": s["macro"], "anchor": s["anchor"]} for s in existing]
    for button in new:
        entry = {"caption": button.caption, "macro": button.macro,
                 "anchor": _range_text(*_anchor_box(path, button))}
        same = next((i for i, s in enumerate(shapes)
                     if s["caption"] == button.caption and s["macro"].lower() == button.macro.lower()), None)
        if same is None:
            shapes.append(entry)
        else:
            shapes[same] = entry
    parts[vml_part] = _vml(path, title, block[0], shapes)


def _new_vml_name(names: set[str]) -> str:
    # openpyxl keeps VML parts of a macro workbook only if their name matches
    # r"xl/drawings/.*vmlDrawing\d\.vml" (one digit), so names beyond 9 keep that ending.
    n = 1
    while True:
        name = f"xl/drawings/vmlDrawing{n}.vml" if n < 10 else f"xl/drawings/{n}_vmlDrawing0.vml"
        if name not in names:
            return name
        n += 1


def _new_rel_id(rels: list[dict[str, str]]) -> str:
    ids = {r.get("Id") for r in rels}
    n = len(ids) + 1
    while f"rId{n}" in ids:
        n += 1
    return f"rId{n}"


def _with_legacy_drawing(xml: bytes, where: str, rid: str) -> bytes:
    """The sheet XML with ``<legacyDrawing r:id=rid/>`` at its place in the CT_Worksheet order."""
    tree = pkg.outline(xml, where)
    element = (f'<{tree.prefix}legacyDrawing xmlns:r="{pkg.REL_NS}" r:id="{rid}"/>')
    for child in tree.children:
        local = child.wrapped if child.local == "AlternateContent" else child.local
        if local in _AFTER_LEGACY_DRAWING:
            return pkg.insert(xml, child.start, element)
    return pkg.insert_before_end(xml, tree, element)


def _with_vml_default(xml: bytes, where: str) -> bytes:
    tree = pkg.outline(xml, where)
    for child in tree.children:
        if child.local == "Default" and child.attrs.get("Extension", "").lower() == "vml":
            return xml
    return pkg.insert_before_end(xml, tree, f'<{tree.prefix}Default Extension="vml" ContentType="{VML_CONTENT_TYPE}"/>')


def _idmap_blocks(xml: bytes) -> list[int]:
    m = re.search(rb'idmap[^>]*\bdata="([0-9, ]+)"', xml)
    return [int(x) for x in m[1].replace(b",", b" ").split()] if m else []


def _vml(path: Path, title: str, block: int, shapes: list[dict[str, str]]) -> bytes:
    out = [
        f'<xml xmlns:v="{_VML_NS}" xmlns:o="{_OFFICE_NS}" xmlns:x="{_EXCEL_NS}">',
        f' <o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>',
        (' <v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201"'
         ' path="m,l,21600r21600,l21600,xe">'),
        '  <v:stroke joinstyle="miter"/>',
        '  <v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>',
        '  <o:lock v:ext="edit" shapetype="t"/>',
        ' </v:shapetype>',
    ]
    if len(shapes) >= _SHAPES_PER_BLOCK:
        raise WorkbookError(f"{path}: too many buttons on sheet {title!r}")
    for i, shape in enumerate(shapes, 1):
        c1, r1, c2, r2 = _anchor_box(path, Button(title, shape["caption"], shape["macro"], shape["anchor"]))
        style = (f"position:absolute;margin-left:{c1 * _POINTS_PER_COLUMN:g}pt;"
                 f"margin-top:{r1 * _POINTS_PER_ROW:g}pt;"
                 f"width:{(c2 - c1 + 1) * _POINTS_PER_COLUMN:g}pt;"
                 f"height:{(r2 - r1 + 1) * _POINTS_PER_ROW:g}pt;z-index:{i};mso-wrap-style:tight")
        out += [
            (f' <v:shape id="_x0000_s{block * _SHAPES_PER_BLOCK + i}" type="#_x0000_t201" style="{style}"'
             ' o:button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'),
            '  <v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>',
            '  <o:lock v:ext="edit" rotation="t"/>',
            '  <v:textbox style="mso-direction-alt:auto" o:singleclick="f">',
            ('   <div style="text-align:center"><font face="Calibri" size="220" color="#000000">'
             f'{pkg.xml_text(shape["caption"])}</font></div>'),
            '  </v:textbox>',
            '  <x:ClientData ObjectType="Button">',
            f'   <x:Anchor>{c1}, 0, {r1}, 0, {c2 + 1}, 0, {r2 + 1}, 0</x:Anchor>',
            '   <x:PrintObject>False</x:PrintObject>',
            '   <x:AutoFill>False</x:AutoFill>',
            f'   <x:FmlaMacro>[0]!{shape["macro"]}</x:FmlaMacro>',
            '   <x:TextHAlign>Center</x:TextHAlign>',
            '   <x:TextVAlign>Center</x:TextVAlign>',
            '  </x:ClientData>',
            ' </v:shape>',
        ]
    out.append("</xml>\n")
    return "\n".join(out).encode("utf-8")


def _read_vml(xml: bytes, where: str) -> list[dict[str, Any]]:
    """The shapes of a VML part: ``type`` (ClientData ObjectType), caption, macro, anchor."""
    from openpyxl.utils.cell import get_column_letter

    shapes: list[dict[str, Any]] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[str] = []
    shape: dict[str, Any] | None = None
    text: list[str] = []

    def refuse(*_args: object) -> None:
        raise WorkbookError(f"{where}: refused: XML entity declarations")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal shape
        stack.append(name)
        if name == f"{_VML_NS} shape":
            shape = {"type": None, "caption": [], "macro": "", "anchor": ""}
        elif shape is not None and name == f"{_EXCEL_NS} ClientData":
            shape["type"] = attrs.get("ObjectType")
        text.clear()

    def chars(data: str) -> None:
        text.append(data)
        if shape is not None and f"{_VML_NS} textbox" in stack:
            shape["caption"].append(data)

    def stop(name: str) -> None:
        nonlocal shape
        stack.pop()
        value = "".join(text).strip()
        if shape is not None and name == f"{_EXCEL_NS} FmlaMacro":
            shape["macro"] = re.sub(r"^\[\d+\]!", "", value)
        elif shape is not None and name == f"{_EXCEL_NS} Anchor":
            nums = [int(x) for x in re.findall(r"-?\d+", value)]
            if len(nums) == 8:
                c1, _, r1, _, c2, c2_off, r2, r2_off = nums
                last_c = c2 if c2_off > 0 or c2 == c1 else c2 - 1
                last_r = r2 if r2_off > 0 or r2 == r1 else r2 - 1
                shape["anchor"] = (f"{get_column_letter(c1 + 1)}{r1 + 1}:"
                                   f"{get_column_letter(last_c + 1)}{last_r + 1}")
        elif name == f"{_VML_NS} shape" and shape is not None:
            shape["caption"] = "".join(shape["caption"]).strip()
            shapes.append(shape)
            shape = None
        text.clear()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = stop
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise WorkbookError(f"{where}: VML drawing is not well-formed XML ({exc}); buttons made "
                            "by Excel cannot be edited here: remove them in Excel first") from exc
    return shapes
