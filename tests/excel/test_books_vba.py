"""The Refresh button's macro checks the book's name before it builds `import NAME` (issue 11):
a book renamed `a;import os;os.system('x');a.xlsm` must not run that code."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from ascent_xl.excel import _vbawrite
from ascent_xl.excel.recalc import _converted
from ascent_xl.excel.vba import base_xlsm, macros, vba_modules, vba_xlwings_version
from ascent_xl.excel.workbook_io import new_deal_book
from tests.helpers.soffice import require_soffice


@pytest.fixture(scope="module")
def new_book(tmp_path_factory):
    return new_deal_book(tmp_path_factory.mktemp("vba") / "mydeal.xlsm")


def _like(pattern: str) -> re.Pattern[str]:
    """VBA's ``Like`` pattern (``*``, ``?``, ``[A-Z]``, ``[!A-Z]``) as a regular expression."""
    out = ""
    for token in re.findall(r"\[!?[^\]]*\]|.", pattern):
        if token == "*":
            out += ".*"
        elif token == "?":
            out += "."
        elif token.startswith("[!"):
            out += "[^" + token[2:]
        elif token.startswith("["):
            out += token
        else:
            out += re.escape(token)
    return re.compile(out + r"\Z", re.S)


def _accepted(source: str, stem: str) -> bool:
    """Whether SampleCall's check (``If Not m Like A Or m Like B Then ... Exit Sub``) lets the
    module name ``stem`` through to RunPython."""
    m = re.search(r'If Not mymodule Like "([^"]+)" Or mymodule Like "([^"]+)" Then', source)
    assert m, "the name check is missing"
    first, bad = _like(m.group(1)), _like(m.group(2))
    return bool(first.match(stem)) and not bad.match(stem)


def test_the_new_books_button_macro_checks_the_name_before_runpython(new_book, tmp_path):
    code = vba_modules(new_book)
    source = code["Module1"]
    assert source == _vbawrite.SAMPLE_CALL
    check, run = source.index("If Not mymodule Like"), source.index('RunPython "import " & mymodule')
    assert check < source.index("Exit Sub") < run
    for stem in ("mydeal", "acme_notes_2024", "A1"):
        assert _accepted(source, stem), stem
    for stem in ("a;import os;os.system('calc');a", "x'y", 'x"y', "a b", "2024deal", "", "_x", "é"):
        assert not _accepted(source, stem), stem
    # Everything else is the quickstart's: the other modules, the version, the macro list.
    quickstart = vba_modules(base_xlsm(tmp_path / "q.xlsm"))
    assert {k: v for k, v in code.items() if k != "Module1"} == {k: v for k, v in quickstart.items() if k != "Module1"}
    assert "Module1.SampleCall" in macros(new_book)
    assert vba_xlwings_version(new_book) == vba_xlwings_version(tmp_path / "q.xlsm")


def test_the_rewritten_project_keeps_every_other_stream_byte_for_byte(tmp_path):
    import olefile

    original = zipfile.ZipFile(base_xlsm(tmp_path / "q.xlsm")).read("xl/vbaProject.bin")
    rewritten = _vbawrite.replace_module_source(original, "Module1", _vbawrite.SAMPLE_CALL)
    with olefile.OleFileIO(original) as old, olefile.OleFileIO(rewritten) as new:
        assert new.listdir() == old.listdir()
        for path in old.listdir():
            if path != ["VBA", "Module1"]:
                assert new.openstream(path).read() == old.openstream(path).read(), path
            assert new.getmtime(path) == old.getmtime(path) and new.getclsid(path) == old.getclsid(path)
        # The module keeps its compiled part (Excel discards it: _VBA_PROJECT's version is 0xFFFF).
        assert old.openstream(["VBA", "_VBA_PROJECT"]).read()[2:4] == b"\xff\xff"
    book = tmp_path / "r.xlsm"
    book.write_bytes((tmp_path / "q.xlsm").read_bytes())
    _vbawrite.secure_button_macro(book)
    assert vba_modules(book)["Module1"] == _vbawrite.SAMPLE_CALL
    # Written twice, the same bytes.
    assert _vbawrite.replace_module_source(original, "Module1", _vbawrite.SAMPLE_CALL) == rewritten


def test_compress_round_trips_through_the_reader():
    from oletools.olevba import decompress_stream

    def decompress(data: bytes) -> bytes:
        return bytes(decompress_stream(bytearray(data)))

    for size in (0, 1, 7, 8, 9, 4095, 4096, 4097, 10_000):
        data = bytes((i * 7) % 251 for i in range(size))
        assert decompress(_vbawrite.compress(data)) == data
    noise = bytes((i * 2654435761 >> 13) & 0xFF for i in range(8192))  # incompressible: raw chunks
    assert decompress(_vbawrite.compress(noise)) == noise


def test_libreoffice_reads_the_rewritten_vba_project(new_book):
    require_soffice()
    with _converted(Path(new_book), "ods", timeout=180) as ods:
        with zipfile.ZipFile(ods) as zf:
            module = zf.read("Basic/VBAProject/Module1.xml").decode("utf-8")
            names = {n for n in zf.namelist() if n.startswith("Basic/VBAProject/")}
    assert "If Not mymodule Like &quot;[A-Za-z]*&quot;" in module and "Exit Sub" in module
    assert {"Basic/VBAProject/xlwings.xml", "Basic/VBAProject/Dictionary.xml"} <= names
