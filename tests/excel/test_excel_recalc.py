"""LibreOffice headless (ascent_xl.excel.render: finding soffice, its private profile, time-outs)
and the tests' recalculation with it (tests/helpers/recalc.py)."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import render
from ascent_xl.excel.render import find_soffice, soffice_available
from tests.helpers.recalc import read_values, recalculate
from tests.helpers.soffice import require_soffice

# Formulas LibreOffice must recalculate as Excel does, with the value Excel gives. Functions
# added in Excel 2010 and later are stored in the file with the "_xlfn." prefix, as Excel does.
SUPPORTED = {
    "A1": ("=SUM(Data!C2:C5)", 100),
    "A2": ('=IF(A1>50,"big","small")', "big"),
    "A3": ('=INDEX(Data!C2:C5,MATCH("West",Data!A2:A5,0))', 20),
    "A4": ('=SUMIFS(Data!C2:C5,Data!A2:A5,"East")', 40),
    "A5": ('=_xlfn.MAXIFS(Data!C2:C5,Data!B2:B5,"B")', 30),
    "A6": ('=_xlfn.MINIFS(Data!C2:C5,Data!A2:A5,"East")', 10),
    "A7": ('=COUNTIF(Data!A2:A5,"East")', 2),
    "A8": ("=Rate*2", 14),
    "A9": ("=SUM(Sales[Amount])", 100),
    "A10": ('=SUMIFS(Sales[Amount],Sales[Region],"East")', 40),
    "A11": ("=COUNTA(Sales[Region])", 4),
    "A12": ('=VLOOKUP("North",Data!A2:C5,3,FALSE)', 40),
    "A13": ("=SUMPRODUCT(Data!C2:C5,Data!C2:C5)", 3000),
    "A14": ('=IFERROR(1/0,"err")', "err"),
    "A15": ("=EOMONTH(DATE(2023,1,15),1)", 44985),  # 2023-02-28 as a date serial
    "A16": ("=AVERAGE(Data!C2:C5)+MIN(Data!C2:C5)+SMALL(Data!C2:C5,2)", 55),
    "A17": ('=_xlfn.IFS(A1>50,"big",TRUE,"small")', "big"),
    "A18": ('=_xlfn.TEXTJOIN(",",TRUE,Data!A2:A3)', "East,West"),
    "A19": ("=ROUND(Rate/3,4)", 2.3333),
    "A20": ('=_xlfn.SWITCH(Data!A2,"East","E","other")', "E"),
    "A21": ("=_xlfn.CONCAT(Data!A2,Data!B2)", "EastA"),
    "A22": ("=XIRR({-100,110},{44927,45292})", 0.1),  # 2023-01-01 to 2024-01-01
}
# Not recalculated by LibreOffice 7.4 (recorded, not asserted: newer versions may add them).
UNSUPPORTED = {
    "B1": '=_xlfn.XLOOKUP("West",Data!A2:A5,Data!C2:C5)',
    "B2": "=_xlfn.LET(_xlpm.x,2,_xlpm.x*3)",
    "B3": "=SUM(_xlfn._xlws.FILTER(Data!C2:C5,Data!C2:C5>15))",
    "B4": "=_xlfn.XMATCH(30,Data!C2:C5)",
    "B5": '=MAXIFS(Data!C2:C5,Data!B2:B5,"B")',  # without "_xlfn.": #NAME? here and in Excel
    "B6": "=SUM(_xlfn._xlws.SORT(Data!C2:C5))",
    "B7": "=SUM(_xlfn.UNIQUE(Data!C2:C5))",
    "B8": "=SUM(_xlfn.SEQUENCE(3))",
    "B9": "=_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(2)",
}
STALE = 999  # a cached value LibreOffice must not keep


def sales_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in [("Region", "Product", "Amount"), ("East", "A", 10), ("West", "B", 20),
                ("East", "B", 30), ("North", "A", 40)]:
        ws.append(row)
    table = Table(displayName="Sales", ref="A1:C5")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws["E1"] = 7
    wb.defined_names["Rate"] = DefinedName("Rate", attr_text="Data!$E$1")
    calc = wb.create_sheet("Calc")
    for cell, (formula, _) in SUPPORTED.items():
        calc[cell] = formula
    for cell, formula in UNSUPPORTED.items():
        calc[cell] = formula
    calc["C1"] = "=Data!C2+1"
    wb.save(path)
    # Give C1 a stale cached value, as a file last saved by Excel would have.
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = parts["xl/worksheets/sheet2.xml"]
    empty = re.search(rb"<f>Data!C2\+1</f>(<v ?/>|<v></v>)", sheet)  # openpyxl's empty value
    assert empty is not None
    parts["xl/worksheets/sheet2.xml"] = sheet.replace(empty.group(0), f"<f>Data!C2+1</f><v>{STALE}</v>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@pytest.mark.libreoffice
def test_libreoffice_recalculates_excel_functions(tmp_path):
    require_soffice()
    src = sales_workbook(tmp_path / "sales.xlsx")
    before = src.read_bytes()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = recalculate(src, out_dir)  # no time asserted: LibreOffice's speed is no unit test's
    assert out == out_dir / "sales.recalc.xlsx" and out.is_file()
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sales.xlsx"]

    values = read_values(out, [f"Calc!{c}" for c in SUPPORTED] + ["Calc!C1", "Rate"]
                         + [f"Calc!{c}" for c in UNSUPPORTED])
    wrong = {c: (values[f"Calc!{c}"], want) for c, (_, want) in SUPPORTED.items()
             if values[f"Calc!{c}"] != pytest.approx(want)}
    assert not wrong, wrong
    assert values["Calc!C1"] == 11, "the stale cached value must be recalculated"
    assert values["Rate"] == 7
    print("not calculated:", {formula: values[f"Calc!{c}"] for c, formula in UNSUPPORTED.items()})


@pytest.mark.libreoffice
def test_recalculate_writes_beside_the_input_by_default(tmp_path):
    require_soffice()
    wb = Workbook()
    wb.active["A1"] = 2
    wb.active["A2"] = "=A1^10"
    src = tmp_path / "book.xlsx"
    wb.save(src)
    out = recalculate(src)
    assert out == tmp_path / "book.recalc.xlsx"
    assert read_values(out, ["Sheet!A2"]) == {"Sheet!A2": 1024}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.recalc.xlsx", "book.xlsx"]


def test_read_values_cells_ranges_and_names(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "My 'Deal'"
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = 1, "x", 2.5, None
    other = wb.create_sheet("Other")
    other["C3"] = "#N/A"
    wb.defined_names["First"] = DefinedName("First", attr_text="'My ''Deal'''!$A$1")
    wb.defined_names["Block"] = DefinedName("Block", attr_text="'My ''Deal'''!$A$1:$B$2")
    wb.defined_names["Two"] = DefinedName("Two", attr_text="Other!$C$3,Other!$A$1")
    other.defined_names["Local"] = DefinedName("Local", attr_text="Other!$C$3")
    path = tmp_path / "v.xlsx"
    wb.save(path)
    got = read_values(path, ["'My ''Deal'''!A1", "'My ''Deal'''!$A$2", "'My ''Deal'''!A1:B2",
                             "First", "Block", "Other!Local", "Other!C3"])
    assert got == {"'My ''Deal'''!A1": 1, "'My ''Deal'''!$A$2": 2.5,
                   "'My ''Deal'''!A1:B2": [[1, "x"], [2.5, None]], "First": 1,
                   "Block": [[1, "x"], [2.5, None]], "Other!Local": "#N/A", "Other!C3": "#N/A"}
    with pytest.raises(WorkbookError, match="no sheet named 'Nope'.*sheets are My 'Deal', Other"):
        read_values(path, ["Nope!A1"])
    with pytest.raises(WorkbookError, match="no defined name 'Missing'"):
        read_values(path, ["Missing"])
    with pytest.raises(WorkbookError, match="neither a cell"):
        read_values(path, ["Other!Total"])
    with pytest.raises(WorkbookError, match="does not refer to one cell range"):
        read_values(path, ["Two"])


def test_find_soffice_override_and_missing(tmp_path, monkeypatch):
    monkeypatch.setenv(render.SOFFICE_ENV, str(tmp_path / "nope"))
    with pytest.raises(WorkbookError, match="is not a file"):
        find_soffice()
    monkeypatch.delenv(render.SOFFICE_ENV)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(render, "_CANDIDATES", ())
    assert not soffice_available()
    with pytest.raises(WorkbookError, match="apt-get install libreoffice-calc-nogui"):
        find_soffice()
    wb = Workbook()
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(WorkbookError, match="not found"):
        recalculate(tmp_path / "b.xlsx")


def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return script


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform == "win32", reason="shell-script stand-in for soffice")
def test_timeout_kills_libreoffice_and_its_children(tmp_path, monkeypatch):
    # The stand-in writes "finished" only if its 30-second child ends by itself: recalculate must
    # stop waiting at its timeout and kill the group first (no clock read here: the file tells).
    pid_file, finished = tmp_path / "child.pid", tmp_path / "finished"
    monkeypatch.setenv(render.SOFFICE_ENV, str(fake_soffice(
        tmp_path, f"sleep 30 &\necho $! > {pid_file}\nwait\ntouch {finished}")))
    wb = Workbook()
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(WorkbookError, match=r"b.xlsx: LibreOffice did not finish within 1 s"):
        recalculate(tmp_path / "b.xlsx", timeout=1)
    assert not alive(int(pid_file.read_text())), "the process group must be killed"
    assert not finished.exists(), "recalculate waited for LibreOffice past its timeout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx", "child.pid", "fake-soffice"]


@pytest.mark.skipif(sys.platform == "win32", reason="shell-script stand-in for soffice")
def test_libreoffice_failure_and_missing_output(tmp_path, monkeypatch):
    wb = Workbook()
    wb.save(tmp_path / "b.xlsx")
    monkeypatch.setenv(render.SOFFICE_ENV, str(fake_soffice(tmp_path, "echo boom >&2\nexit 3")))
    with pytest.raises(WorkbookError, match=r"LibreOffice failed \(exit 3\): boom"):
        recalculate(tmp_path / "b.xlsx")
    monkeypatch.setenv(render.SOFFICE_ENV, str(fake_soffice(tmp_path, "exit 0")))
    with pytest.raises(WorkbookError, match="did not convert the file to xlsx"):
        recalculate(tmp_path / "b.xlsx")


def test_recalculate_checks_its_arguments(tmp_path):
    with pytest.raises(WorkbookError, match="file not found"):
        recalculate(tmp_path / "missing.xlsx")
    wb = Workbook()
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(WorkbookError, match="does not exist"):
        recalculate(tmp_path / "b.xlsx", tmp_path / "no-such-folder")


def test_private_profile_forces_recalculation_on_load():
    # The registry keys and values LibreOffice reads (share/registry/main.xcd, Calc schema).
    assert 'oor:path="/org.openoffice.Office.Calc/Formula/Load"' in render._REGISTRY
    assert '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value>' in render._REGISTRY
    assert '<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value>' in render._REGISTRY
