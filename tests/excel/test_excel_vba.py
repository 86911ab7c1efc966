"""ascent_xl.excel.vba: the xlwings macro workbook, its config sheet, and form-control buttons."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import _package as pkg
from ascent_xl.excel import vba
from ascent_xl.excel.recalc import _converted
from ascent_xl.excel.vba import (
    Button,
    add_buttons,
    base_xlsm,
    configure,
    list_buttons,
    macros,
    read_xlwings_config,
    vba_modules,
)
from tests.helpers.soffice import require_soffice

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


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def sheet_xml(path: Path, title: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(pkg.find_sheet(zf, path, title).part)


def child_order(xml: bytes) -> list[str]:
    return [c.local for c in pkg.outline(xml, "sheet").children]


def assert_schema_order(xml: bytes) -> None:
    names = child_order(xml)
    positions = [WORKSHEET_ORDER.index(n) for n in names]
    assert positions == sorted(positions), names
    assert len(set(names)) == len(names), names


def roundtrip(path: Path, edit=None) -> None:
    wb = load_workbook(path, keep_vba=True)
    if edit:
        edit(wb)
    wb.save(path)


@pytest.fixture
def deal_book(tmp_path) -> Path:
    """A macro book as the template code makes it: renamed sheets, a table, styled inputs."""
    path = base_xlsm(tmp_path / "deal.xlsm")
    wb = load_workbook(path, keep_vba=True)
    ws = wb["Sheet1"]
    ws.title = "Inputs"
    for row in [("Item", "Value"), ("Principal", 100), ("Rate", 5)]:
        ws.append(row)
    ws.add_table(Table(displayName="Inputs", ref="A1:B3"))
    wb.create_sheet("Outputs")["A1"] = "=Inputs!B2*2"
    wb.save(path)
    return path


def test_base_xlsm_is_what_xlwings_quickstart_standalone_makes(tmp_path):
    (tmp_path / "mine").mkdir()
    ours = base_xlsm(tmp_path / "mine" / "book.xlsm")
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["book.xlsm"]
    done = subprocess.run([sys.executable, "-m", "xlwings.cli", "quickstart", "demo", "--standalone"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert ours.read_bytes() == (tmp_path / "demo" / "demo.xlsm").read_bytes()
    again = base_xlsm(tmp_path / "again.xlsm")
    assert again.read_bytes() == ours.read_bytes(), "same xlwings version, same bytes"


def test_base_xlsm_falls_back_to_running_the_quickstart_command(tmp_path, monkeypatch):
    reference = base_xlsm(tmp_path / "reference.xlsm").read_bytes()
    monkeypatch.setattr(vba, "quickstart_template", lambda: None)
    made = base_xlsm(tmp_path / "fallback.xlsm")
    assert made.read_bytes() == reference
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fallback.xlsm", "reference.xlsm"]


def test_base_xlsm_refuses_to_overwrite_or_a_wrong_extension(tmp_path):
    path = base_xlsm(tmp_path / "b.xlsm")
    with pytest.raises(WorkbookError, match="already exists; delete it or pass overwrite=True"):
        base_xlsm(path)
    base_xlsm(path, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsm"], "no .bak left behind"
    with pytest.raises(WorkbookError, match="must end in .xlsm"):
        base_xlsm(tmp_path / "b.xlsx")
    empty = tmp_path / ".b.xlsm.123.tmp"  # atomic_write's temporary file
    empty.touch()
    assert base_xlsm(empty).read_bytes() == path.read_bytes()


def test_base_xlsm_holds_the_xlwings_vba_project(tmp_path):
    path = base_xlsm(tmp_path / "b.xlsm")
    parts = members(path)
    assert b"xlwings" in parts["xl/vbaProject.bin"]
    code = vba_modules(path)
    assert "Function RunPython" in code["xlwings"]
    assert "Sub ImportPythonUDFs" in code["xlwings"]
    assert 'Public Const PROJECT_NAME As String = "xlwings"' in code["xlwings"]
    assert "Sub SampleCall()" in code["Module1"]
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in code["Module1"]
    assert "Module1.SampleCall" in macros(path)
    wb = load_workbook(path, keep_vba=True)
    assert wb.sheetnames == ["Sheet1", "_xlwings.conf"]
    assert wb.vba_archive is not None


def test_config_keys_are_the_ones_xlwings_reads(tmp_path):
    import xlwings

    bas = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    read = set(re.findall(r'GetConfig\("([^"]+)"', bas))
    assert {k.upper() for k in vba.XLWINGS_CONFIG_KEYS} == read
    quickstart = load_workbook(base_xlsm(tmp_path / "b.xlsm"))["_xlwings.conf"]
    keys = [quickstart.cell(row=r, column=1).value for r in range(1, 10)]
    assert set(keys) <= set(vba.XLWINGS_CONFIG_KEYS)
    assert quickstart["A10"].value is None, "xlwings reads from A1 down to the first blank"


def test_configure_activates_the_config_sheet(deal_book):
    before = members(deal_book)["xl/vbaProject.bin"]
    configure(deal_book, {"udf modules": "ascent_xl.excel.udfs", "Interpreter_Win": "",
                                  "PYTHONPATH": None, "Debug UDFs": False, "Show Console": True})
    assert read_xlwings_config(deal_book) == {
        "UDF Modules": "ascent_xl.excel.udfs", "Interpreter_Win": None, "Debug UDFs": False,
        "Show Console": True}
    wb = load_workbook(deal_book, keep_vba=True)
    assert wb.sheetnames == ["Inputs", "xlwings.conf", "Outputs"]
    ws = wb["xlwings.conf"]
    assert [ws.cell(row=r, column=1).value for r in range(1, 6)] == [
        "UDF Modules", "Interpreter_Win", "Debug UDFs", "Show Console", None]
    assert "xlwings settings" in ws["D1"].value
    assert ws.sheet_state == "visible"
    parts = members(deal_book)
    assert parts["xl/vbaProject.bin"] == before
    assert b"macroEnabled.main+xml" in parts["[Content_Types].xml"]
    assert b'codeName="ThisWorkbook"' in parts["xl/workbook.xml"]
    assert sorted(p.name for p in deal_book.parent.iterdir()) == ["deal.xlsm"]

    configure(deal_book, udf_modules="other", interpreter_win="C:/py/pythonw.exe", hidden=True)
    assert read_xlwings_config(deal_book) == {"UDF Modules": "other",
                                               "Interpreter_Win": "C:/py/pythonw.exe"}
    wb = load_workbook(deal_book, keep_vba=True)
    assert wb["xlwings.conf"].sheet_state == "hidden"
    assert wb.active.title == "Inputs"


def test_configure_rejects_bad_settings(deal_book):
    with pytest.raises(WorkbookError, match="'UDF Module' is not an xlwings setting"):
        configure(deal_book, {"UDF Module": "x"})
    with pytest.raises(WorkbookError, match="given twice"):
        configure(deal_book, {"UDF Modules": "x", "udf modules": "y"})


def test_works_on_a_temporary_file_name(tmp_path):
    """The template builds the book in atomic_write's temporary file (NAME.xlsm.XXXX.tmp)."""
    from ascent_xl.fileio import atomic_write

    def build(tmp: Path) -> None:
        base_xlsm(tmp)
        configure(tmp, udf_modules="ascent_xl.excel.udfs")
        add_buttons(tmp, [("Sheet1", "Refresh", "SampleCall", "D3")])

    path = atomic_write(tmp_path / "deal.xlsm", build)
    assert read_xlwings_config(path) == {"UDF Modules": "ascent_xl.excel.udfs"}
    assert list_buttons(path) == [{"sheet": "Sheet1", "caption": "Refresh", "macro": "SampleCall",
                                   "anchor": "D3:E4"}], "one cell: a button two cells wide and high"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.xlsm"]


def test_add_buttons_writes_a_valid_vml_button(deal_book):
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3"),
                            Button("Outputs", "Go & <run> \"now\" — é", "Module1.SampleCall", "b2:b2")])
    assert list_buttons(deal_book) == [
        {"sheet": "Inputs", "caption": "Refresh", "macro": "SampleCall", "anchor": "D2:E3"},
        {"sheet": "Outputs", "caption": 'Go & <run> "now" — é', "macro": "Module1.SampleCall",
         "anchor": "B2:B2"},
    ]
    parts = members(deal_book)
    inputs = sheet_xml(deal_book, "Inputs")
    assert_schema_order(inputs)
    assert child_order(inputs)[-2:] == ["legacyDrawing", "tableParts"]
    rid = re.search(rb'<legacyDrawing xmlns:r="[^"]+" r:id="(\w+)"/>', inputs)[1].decode()
    with zipfile.ZipFile(deal_book) as zf:
        rels = pkg.relationships(zf, pkg.find_sheet(zf, deal_book, "Inputs").part)
    vml_rel = next(r for r in rels if r["Id"] == rid)
    assert vml_rel["Type"] == vba.VML_REL_TYPE
    vml = parts[vml_rel["part"]].decode()
    assert '<x:ClientData ObjectType="Button">' in vml
    assert "<x:FmlaMacro>[0]!SampleCall</x:FmlaMacro>" in vml
    assert "<x:Anchor>3, 0, 1, 0, 5, 0, 3, 0</x:Anchor>" in vml
    assert parts["[Content_Types].xml"].count(b'Default Extension="vml"') == 1
    assert parts["xl/vbaProject.bin"] == members(base_xlsm(deal_book.with_name("ref.xlsm")))["xl/vbaProject.bin"]
    # VML shape ids must be unique across the workbook: one id block per drawing.
    blocks = [re.search(rb'idmap v:ext="edit" data="(\d+)"', d)[1] for n, d in parts.items() if n.endswith(".vml")]
    assert len(blocks) == len(set(blocks)) == 2


def test_add_buttons_is_idempotent_and_moves_a_button(deal_book):
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3")])
    first = members(deal_book)
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3")])
    assert members(deal_book) == first
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "G5:H6"),
                            ("Inputs", "Check", "SampleCall", "G8:H9")])
    assert [(b["caption"], b["anchor"]) for b in list_buttons(deal_book)] == [
        ("Refresh", "G5:H6"), ("Check", "G8:H9")]
    assert sheet_xml(deal_book, "Inputs").count(b"legacyDrawing") == 1
    assert sorted(p.name for p in deal_book.parent.iterdir()) == ["deal.xlsm"]


def test_buttons_survive_an_openpyxl_round_trip(deal_book):
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3"),
                            ("Outputs", "Go", "SampleCall", "C2:D3")])
    expected = list_buttons(deal_book)
    vba_bin = members(deal_book)["xl/vbaProject.bin"]

    def edit(wb):
        wb["Inputs"]["B2"] = 250
        wb["Outputs"].append(["more"])

    roundtrip(deal_book, edit)
    assert list_buttons(deal_book) == expected
    parts = members(deal_book)
    assert parts["xl/vbaProject.bin"] == vba_bin
    assert b'Default Extension="vml"' in parts["[Content_Types].xml"]
    assert load_workbook(deal_book)["Inputs"]["B2"].value == 250
    assert_schema_order(sheet_xml(deal_book, "Inputs"))
    # After openpyxl rewrote the relationships (Id "anysvml", absolute target) adding again
    # still finds the button, and a second round trip keeps everything.
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3")])
    assert list_buttons(deal_book) == expected
    roundtrip(deal_book)
    assert list_buttons(deal_book) == expected


def test_buttons_on_many_sheets_survive_openpyxl(tmp_path):
    # openpyxl keeps a VML part of a macro book only if its name matches vmlDrawing<one digit>.vml
    path = base_xlsm(tmp_path / "many.xlsm")
    roundtrip(path, lambda wb: [wb.create_sheet(f"S{i}") for i in range(12)])
    add_buttons(path, [(f"S{i}", f"Run {i}", "SampleCall", "A1:B2") for i in range(12)])
    assert len(list_buttons(path)) == 12
    roundtrip(path)
    assert [b["caption"] for b in list_buttons(path)] == [f"Run {i}" for i in range(12)]


def test_sheet_parts_are_found_by_title_not_by_number(tmp_path):
    path = base_xlsm(tmp_path / "odd.xlsm")
    parts = members(path)
    # Move the first sheet's part to an unusual name, as other tools may write it.
    parts["xl/worksheets/main.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet1.xml", b"worksheets/main.xml")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/main.xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    add_buttons(path, [("Sheet1", "Refresh", "SampleCall", "B2:C3")])
    after = members(path)
    assert b"legacyDrawing" in after["xl/worksheets/main.xml"]
    assert b"legacyDrawing" not in after["xl/worksheets/sheet2.xml"]
    assert "xl/worksheets/_rels/main.xml.rels" in after
    assert_schema_order(after["xl/worksheets/main.xml"])
    assert list_buttons(path)[0]["sheet"] == "Sheet1"


def test_legacy_drawing_goes_in_schema_order_among_many_elements(deal_book):
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    png = deal_book.with_name("logo.png")
    PILImage.new("RGB", (20, 10), "navy").save(png)

    def decorate(wb):
        ws = wb["Inputs"]
        ws.merge_cells("D10:E10")
        ws.conditional_formatting.add("B2:B3", CellIsRule(operator="lessThan", formula=["0"],
                                                          fill=PatternFill("solid", fgColor="FF0000")))
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        ws.add_data_validation(dv)
        dv.add("B2:B3")
        ws["A8"].hyperlink = "https://example.com"
        ws.print_options.gridLines = True
        ws.oddFooter.center.text = "Page &P"
        ws.add_image(Image(str(png)), "H1")

    roundtrip(deal_book, decorate)
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3")])
    xml = sheet_xml(deal_book, "Inputs")
    names = child_order(xml)
    assert {"mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
            "headerFooter", "drawing", "legacyDrawing", "tableParts"} <= set(names)
    assert_schema_order(xml)
    roundtrip(deal_book)
    assert_schema_order(sheet_xml(deal_book, "Inputs"))
    assert [b["caption"] for b in list_buttons(deal_book)] == ["Refresh"]


def test_add_buttons_errors(deal_book, tmp_path):
    with pytest.raises(WorkbookError, match=r"no sheet named 'Nope'; the sheets are 'Inputs', '_xlwings.conf', 'Outputs'"):
        add_buttons(deal_book, [("Nope", "Refresh", "SampleCall", "A1:B2")])
    with pytest.raises(WorkbookError, match="not a VBA macro name"):
        add_buttons(deal_book, [("Inputs", "Refresh", "Sample Call", "A1:B2")])
    with pytest.raises(WorkbookError, match="'Refresh' is not a public Sub.*available: .*Module1.SampleCall"):
        add_buttons(deal_book, [("Inputs", "Refresh", "Refresh", "A1:B2")])
    with pytest.raises(WorkbookError, match="is not a cell range"):
        add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "top left")])
    with pytest.raises(WorkbookError, match="from the top-left to the bottom-right"):
        add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "C3:B2")])
    with pytest.raises(WorkbookError, match="has no caption"):
        add_buttons(deal_book, [("Inputs", " ", "SampleCall", "A1:B2")])
    assert list_buttons(deal_book) == []

    plain = tmp_path / "plain.xlsx"
    load_workbook(deal_book).save(plain)
    with pytest.raises(WorkbookError, match="has no VBA project"):
        add_buttons(plain, [("Inputs", "Refresh", "SampleCall", "A1:B2")], check_macros=False)

    roundtrip(deal_book, lambda wb: setattr(wb["Outputs"]["A1"], "comment", Comment("note", "me")))
    with pytest.raises(WorkbookError, match="'Outputs' has cell comments"):
        add_buttons(deal_book, [("Outputs", "Refresh", "SampleCall", "A1:B2")])


@pytest.mark.libreoffice
def test_libreoffice_reads_the_buttons(deal_book, tmp_path):
    require_soffice()
    add_buttons(deal_book, [("Inputs", "Refresh", "SampleCall", "D2:E3"),
                            ("Outputs", "Go", "Module1.SampleCall", "B2:C3")])
    roundtrip(deal_book)
    with _converted(deal_book, "ods", timeout=120) as ods, zipfile.ZipFile(ods) as zf:
        content = zf.read("content.xml").decode("utf-8")
    labels = re.findall(r'<form:button [^>]*form:label="([^"]*)"', content)
    assert labels == ["Refresh", "Go"]
    assert content.count("vnd.sun.star.script:VBAProject.Module1.SampleCall") == 2


def test_package_xml_helpers_edit_text_in_place():
    empty = b'<?xml version="1.0"?>\n<Relationships xmlns="u"/>'
    assert pkg.insert_before_end(empty, pkg.outline(empty, "r"), "<R/>") == (
        b'<?xml version="1.0"?>\n<Relationships xmlns="u"><R/></Relationships>')
    prefixed = b'<x:worksheet xmlns:x="m" xmlns:mc="c" mc:Ignorable="x14ac"><x:sheetData/></x:worksheet>'
    tree = pkg.outline(prefixed, "s")
    assert tree.prefix == "x:" and [c.local for c in tree.children] == ["sheetData"]
    assert pkg.insert_before_end(prefixed, tree, "<x:a/>").endswith(b"<x:sheetData/><x:a/></x:worksheet>")
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


def test_an_unreadable_vba_project(tmp_path):
    path = base_xlsm(tmp_path / "b.xlsm")
    parts = members(path)
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(WorkbookError, match="b.xlsm: xl/vbaProject.bin: cannot read the VBA project"):
        vba_modules(path)
    with pytest.raises(WorkbookError, match="pass check_macros=False"):
        add_buttons(path, [("Sheet1", "Refresh", "SampleCall", "B2")])
    add_buttons(path, [("Sheet1", "Refresh", "SampleCall", "B2")], check_macros=False)
    assert [b["caption"] for b in list_buttons(path)] == ["Refresh"]
