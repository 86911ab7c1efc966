"""ascent_xl.excel.vba: the macro book's skeleton (XlsxWriter), its VBA project (xlwings'
quickstart project with the Refresh macro, pyOpenVBA), its config sheet and buttons; and that
openpyxl keeps the VBA project and the buttons when it fills and saves the book. What the book
carries is read back with other libraries (olevba, defusedxml: tests/helpers/vba.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import olefile
import pytest
from openpyxl import load_workbook

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import _package as pkg
from ascent_xl.excel import vba
from ascent_xl.excel.render import converted
from ascent_xl.fileio import atomic_write
from tests.helpers.soffice import require_soffice
from tests.helpers.vba import (
    list_buttons,
    macros,
    read_xlwings_config,
    vba_modules,
    vba_xlwings_version,
)

# CT_Worksheet, ECMA-376 Part 1, 18.3.1.99: the order of a worksheet's child elements.
WORKSHEET_ORDER = [
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
]
SHEETS = ("Guide", "Inputs", "Summary", "Schedule", vba.CONFIG_SHEET)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def sheet_xml(path: Path, title: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(next(s.part for s in pkg.sheets(zf, path) if s.title == title))


def assert_schema_order(xml: bytes) -> None:
    names = [c.local for c in pkg.outline(xml, "sheet").children]
    positions = [WORKSHEET_ORDER.index(n) for n in names]
    assert positions == sorted(positions), names
    assert len(set(names)) == len(names), names


@pytest.fixture
def skeleton(tmp_path) -> Path:
    return vba.skeleton_xlsm(tmp_path / "deal.xlsm", sheets=SHEETS,
                             buttons=[("Summary", "D3"), ("Schedule", "D3")],
                             settings={"UDF Modules": "ascent_xl.excel.udfs"})


def test_the_vba_project_is_the_quickstarts_with_the_checked_refresh_macro():
    quickstart = zipfile.ZipFile(vba.quickstart_template()).read("xl/vbaProject.bin")
    ours = vba.vba_project()
    assert ours == vba.vba_project(), "the same xlwings, the same bytes"
    with olefile.OleFileIO(quickstart) as old, olefile.OleFileIO(ours) as new:
        assert new.listdir() == old.listdir()
        changed = [p for p in old.listdir() if new.openstream(p).read() != old.openstream(p).read()]
        # Module1's source, the dir stream's record of it, and the compiled cache Office rebuilds.
        assert changed == [["VBA", "Module1"], ["VBA", "_VBA_PROJECT"], ["VBA", "dir"]]
        header = old.openstream(["VBA", "_VBA_PROJECT"]).read()
        assert new.openstream(["VBA", "_VBA_PROJECT"]).read()[:4] == header[:4]  # reserved, version


def test_the_skeleton_carries_the_installed_xlwings_vba(skeleton):
    import xlwings

    code = vba_modules(skeleton)
    quickstart = vba_modules(vba.quickstart_template())
    assert code["Module1"] == vba.SAMPLE_CALL
    assert {k: v for k, v in code.items() if k != "Module1"} == {
        k: v for k, v in quickstart.items() if k != "Module1"}
    assert sorted(code) == ["Dictionary", "Module1", "Sheet1", "Sheet2", "ThisWorkbook", "xlwings"]
    assert "Function RunPython" in code["xlwings"] and "Sub ImportPythonUDFs" in code["xlwings"]
    assert vba_xlwings_version(skeleton) == xlwings.__version__ == vba.installed_xlwings_version()
    assert "Module1.SampleCall" in macros(skeleton)


def test_the_skeleton_has_the_sheets_settings_and_buttons(skeleton):
    wb = load_workbook(skeleton, keep_vba=True)
    assert wb.sheetnames == list(SHEETS)
    assert wb.vba_archive is not None
    # Document modules: the quickstart's Sheet1 and Sheet2 are the first and the config sheet.
    assert [wb[t].sheet_properties.codeName for t in SHEETS] == ["Sheet1", "Sheet3", "Sheet4", "Sheet5", "Sheet2"]
    parts = members(skeleton)
    assert b'codeName="ThisWorkbook"' in parts["xl/workbook.xml"]
    assert b"macroEnabled.main+xml" in parts["[Content_Types].xml"]
    assert read_xlwings_config(skeleton) == {"UDF Modules": "ascent_xl.excel.udfs"}
    assert list_buttons(skeleton) == [
        {"sheet": "Summary", "caption": "Refresh", "macro": "SampleCall", "anchor": "D3:E4"},
        {"sheet": "Schedule", "caption": "Refresh", "macro": "SampleCall", "anchor": "D3:E4"}]


def test_config_rows_spell_keys_as_xlwings_and_keep_text_as_text(tmp_path):
    rows = vba.config_rows({"udf modules": "ascent_xl.excel.udfs", "Interpreter_Win": "",
                            "PYTHONPATH": None, "Debug UDFs": False, "show console": True,
                            "Temp Dir": Path("/tmp")})
    assert rows == [("UDF Modules", "ascent_xl.excel.udfs"), ("Interpreter_Win", ""),
                    ("Debug UDFs", False), ("Show Console", True), ("Temp Dir", "/tmp")]
    with pytest.raises(WorkbookError, match="'UDF Module' is not an xlwings setting"):
        vba.config_rows({"UDF Module": "x"})
    with pytest.raises(WorkbookError, match="given twice"):
        vba.config_rows({"UDF Modules": "x", "udf_modules": "y"})
    path = vba.skeleton_xlsm(tmp_path / "t.xlsm", sheets=[vba.CONFIG_SHEET],
                             settings={"PYTHONPATH": "=1+1", "Show Console": True})
    ws = load_workbook(path)[vba.CONFIG_SHEET]
    assert (ws["B1"].value, ws["B1"].data_type) == ("=1+1", "s"), "text, never a formula"
    assert ws["B2"].value is True


def test_config_keys_are_the_ones_xlwings_reads():
    import xlwings

    bas = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    assert {k.upper() for k in vba.XLWINGS_CONFIG_KEYS} == set(re.findall(r'GetConfig\("([^"]+)"', bas))


def test_the_skeleton_refuses_a_book_without_config_sheet_or_a_button_off_the_sheets(tmp_path):
    with pytest.raises(WorkbookError, match="needs a 'xlwings.conf' sheet"):
        vba.skeleton_xlsm(tmp_path / "a.xlsm", sheets=["Guide"])
    with pytest.raises(WorkbookError, match="a button on sheet 'Nope', which the book has not"):
        vba.skeleton_xlsm(tmp_path / "a.xlsm", sheets=SHEETS, buttons=[("Nope", "A1")])
    assert not list(tmp_path.iterdir())


def test_the_skeleton_is_written_to_a_temporary_file_name(tmp_path):
    """The template builds the book in atomic_write's temporary file (.NAME.xlsm.XXXX.tmp)."""
    path = atomic_write(tmp_path / "deal.xlsm", lambda tmp: vba.skeleton_xlsm(
        tmp, sheets=SHEETS, buttons=[("Summary", "B2")]))
    assert [b["anchor"] for b in list_buttons(path)] == ["B2:C3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.xlsm"]


def test_openpyxl_keeps_the_vba_project_and_the_buttons_byte_for_byte(skeleton):
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    before = members(skeleton)
    wb = load_workbook(skeleton, keep_vba=True)
    ws = wb["Summary"]
    for row in [("Item", "Value"), ("Principal", 100), ("Rate", 5)]:
        ws.append(row)
    ws.add_table(Table(displayName="Items", ref="A1:B2"))
    ws.merge_cells("G10:H10")
    ws.conditional_formatting.add("B2:B3", CellIsRule(operator="lessThan", formula=["0"],
                                                      fill=PatternFill("solid", fgColor="FF0000")))
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    ws.add_data_validation(dv)
    dv.add("B2:B3")
    ws["A8"].hyperlink = "https://example.com"
    ws.column_dimensions["D"].width = 30
    wb.create_sheet("More", 2)["A1"] = "=Summary!B2*2"
    wb.save(skeleton)
    load_workbook(skeleton, keep_vba=True).save(skeleton)  # and a second round trip
    after = members(skeleton)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    vml = sorted(n for n in before if n.endswith(".vml"))
    assert vml == sorted(n for n in after if n.endswith(".vml")) and len(vml) == 2
    assert all(after[n] == before[n] for n in vml)
    assert [b["sheet"] for b in list_buttons(skeleton)] == ["Summary", "Schedule"]
    assert_schema_order(sheet_xml(skeleton, "Summary"))
    assert load_workbook(skeleton)["Summary"]["B2"].value == 100
    assert vba_modules(skeleton)["Module1"] == vba.SAMPLE_CALL


@pytest.mark.libreoffice
def test_libreoffice_reads_the_buttons_and_the_vba_project(skeleton):
    require_soffice()
    with converted(skeleton, "ods", timeout=120) as ods, zipfile.ZipFile(ods) as zf:
        content = zf.read("content.xml").decode("utf-8")
        module = zf.read("Basic/VBAProject/Module1.xml").decode("utf-8")
        names = {n for n in zf.namelist() if n.startswith("Basic/VBAProject/")}
    assert re.findall(r'<form:button [^>]*form:label="([^"]*)"', content) == ["Refresh", "Refresh"]
    assert content.count("vnd.sun.star.script:VBAProject.Module1.SampleCall") == 2
    assert "If Not mymodule Like &quot;[A-Za-z]*&quot;" in module and "Exit Sub" in module
    assert {"Basic/VBAProject/xlwings.xml", "Basic/VBAProject/Dictionary.xml"} <= names


def test_package_xml_helpers_edit_text_in_place():
    tag = b'<sheets><sheet name="a&gt;b" odd=\'x>y\' r:id="rId1"/><sheet name="c"/></sheets>'
    start = tag.index(b"<sheet ")
    assert pkg.rewrite_start_tag(tag, start, "sheet", {"name": "a>b", "state": "hidden"}) == (
        b'<sheets><sheet name="a&gt;b" state="hidden"/><sheet name="c"/></sheets>')
    with pytest.raises(WorkbookError, match="refused: XML entity declarations in book: p"):
        pkg.outline(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "book: p")
    with pytest.raises(WorkbookError, match="UTF-16"):
        pkg.outline("<a/>".encode("utf-16"), "p")
    with pytest.raises(WorkbookError, match="corrupt XML in p"):
        pkg.outline(b"<a><b></a>", "p")
    assert pkg.resolve("xl/workbook.xml", "worksheets/sheet1.xml") == "xl/worksheets/sheet1.xml"
    assert pkg.resolve("xl/worksheets/sheet1.xml", "../drawings/vmlDrawing1.vml") == "xl/drawings/vmlDrawing1.vml"
    assert pkg.resolve("xl/worksheets/sheet1.xml", "/xl/drawings/vmlDrawing1.vml") == "xl/drawings/vmlDrawing1.vml"
    assert pkg.rels_part("xl/worksheets/sheet1.xml") == "xl/worksheets/_rels/sheet1.xml.rels"


def test_sheet_parts_are_found_by_title_not_by_number(skeleton):
    parts = members(skeleton)
    parts["xl/worksheets/main.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet1.xml", b"worksheets/main.xml")
    with zipfile.ZipFile(skeleton, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with zipfile.ZipFile(skeleton) as zf:
        assert [(s.title, s.part) for s in pkg.sheets(zf, skeleton)][:2] == [
            ("Guide", "xl/worksheets/main.xml"), ("Inputs", "xl/worksheets/sheet2.xml")]
