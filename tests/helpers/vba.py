"""Read back what a macro-enabled book carries, with libraries independent of the code that
wrote it: its VBA modules (oletools' olevba), the xlwings version of its VBA, its form-control
buttons (the VML drawings, parsed with defusedxml) and its ``xlwings.conf`` settings (openpyxl).
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from typing import Any

from defusedxml import ElementTree

from ascent_xl.errors import WorkbookError
from ascent_xl.excel.vba import CONFIG_SHEET

_VML = "{urn:schemas-microsoft-com:vml}"
_EXCEL = "{urn:schemas-microsoft-com:office:excel}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PUBLIC_SUB = re.compile(r"(?mi)^[ \t]*(?:public[ \t]+)?sub[ \t]+([A-Za-z][A-Za-z0-9_]*)[ \t]*\([ \t]*\)")
_VBA_VERSION = re.compile(r'(?m)^\s*(?:Public\s+)?Const\s+XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"')
_DLL_VERSION = re.compile(r'"xlwings(?:32|64)-([0-9][^"]*)\.dll"')


def vba_modules(path: str | os.PathLike[str]) -> dict[str, str]:
    """The VBA modules of the ``.xlsm`` at ``path`` (read with olevba): name -> source code."""
    from oletools.olevba import VBA_Parser

    with zipfile.ZipFile(path) as zf:
        data = zf.read("xl/vbaProject.bin")
    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n")
                for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def vba_xlwings_version(path: str | os.PathLike[str]) -> str:
    """The xlwings version the VBA project of the book belongs to: its ``XLWINGS_VERSION``
    constant, which must also be the version of every ``xlwings64-X.Y.Z.dll`` it declares."""
    code = vba_modules(path).get("xlwings", "")
    found = _VBA_VERSION.findall(code)
    if len(found) != 1:
        raise WorkbookError(f"{path}: its VBA has no xlwings module with one XLWINGS_VERSION")
    dlls = set(_DLL_VERSION.findall(code))
    if dlls - {found[0]}:
        raise WorkbookError(f"{path}: its VBA declares xlwings {found[0]} but loads the DLL of "
                            f"{', '.join(sorted(dlls - {found[0]}))}")
    return found[0]


def macros(path: str | os.PathLike[str]) -> list[str]:
    """The public argument-less ``Sub``s of the book's VBA, as ``Module.Sub``."""
    return [f"{module}.{sub}" for module, code in vba_modules(path).items()
            for sub in _PUBLIC_SUB.findall(code)]


def _targets(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in zf.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(zf.read(rels)).iter(f"{_PKG}Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = (posixpath.normpath(target.lstrip("/")) if target.startswith("/")
                                  else posixpath.normpath(posixpath.join(folder, target)))
    return out


def list_buttons(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The form-control buttons of the book, in sheet order: dicts with ``sheet``, ``caption``,
    ``macro`` (without the ``[0]!`` prefix) and ``anchor`` (the cells it covers, ``D3:E4``)."""
    from openpyxl.utils.cell import get_column_letter

    found = []
    with zipfile.ZipFile(path) as zf:
        book = _targets(zf, "xl/workbook.xml")
        for sheet in ElementTree.fromstring(zf.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
            part = book[sheet.get(f"{_REL}id", "")]
            legacy = ElementTree.fromstring(zf.read(part)).find(f"{_MAIN}legacyDrawing")
            if legacy is None:
                continue
            vml = ElementTree.fromstring(zf.read(_targets(zf, part)[legacy.get(f"{_REL}id", "")]))
            for shape in vml.iter(f"{_VML}shape"):
                data = shape.find(f"{_EXCEL}ClientData")
                if data is None or data.get("ObjectType") != "Button":
                    continue
                c1, _, r1, _, c2, c2_off, r2, r2_off = (
                    int(x) for x in data.findtext(f"{_EXCEL}Anchor", "").split(","))
                last_c = c2 if c2_off > 0 else c2 - 1
                last_r = r2 if r2_off > 0 else r2 - 1
                found.append({
                    "sheet": sheet.get("name", ""),
                    "caption": "".join(shape.find(f"{_VML}textbox").itertext()).strip(),
                    "macro": re.sub(r"^\[\d+\]!", "", data.findtext(f"{_EXCEL}FmlaMacro", "")),
                    "anchor": f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(last_c + 1)}{last_r + 1}",
                })
    return found


def read_xlwings_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The settings in the ``xlwings.conf`` sheet as xlwings' VBA reads them: column A from A1
    down to the first empty cell; ``{}`` if there is no such sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(path, keep_vba=True)
    if CONFIG_SHEET not in wb.sheetnames:
        return {}
    ws = wb[CONFIG_SHEET]
    found: dict[str, Any] = {}
    row = 1
    while ws.cell(row=row, column=1).value not in (None, ""):
        found[str(ws.cell(row=row, column=1).value)] = ws.cell(row=row, column=2).value
        row += 1
    return found
