"""The Refresh button's macro checks the book's name before it builds `import NAME` (issue 11):
a book renamed `a;import os;os.system('x');a.xlsm` must not run that code."""

from __future__ import annotations

import re

import pytest

from ascent_xl.excel import vba
from ascent_xl.excel.workbook_io import new_deal_book
from tests.helpers.vba import list_buttons, macros, vba_modules, vba_xlwings_version


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


def test_the_new_books_button_macro_checks_the_name_before_runpython(new_book):
    code = vba_modules(new_book)
    source = code["Module1"]
    assert source == vba.SAMPLE_CALL
    check, run = source.index("If Not mymodule Like"), source.index('RunPython "import " & mymodule')
    assert check < source.index("Exit Sub") < run
    for stem in ("mydeal", "acme_notes_2024", "A1"):
        assert _accepted(source, stem), stem
    for stem in ("a;import os;os.system('calc');a", "x'y", 'x"y', "a b", "2024deal", "", "_x", "é"):
        assert not _accepted(source, stem), stem
    # Everything else is the quickstart's: the other modules, the version, the macro list.
    quickstart = vba_modules(vba.quickstart_template())
    assert {k: v for k, v in code.items() if k != "Module1"} == {k: v for k, v in quickstart.items() if k != "Module1"}
    assert "Module1.SampleCall" in macros(new_book)
    assert vba_xlwings_version(new_book) == vba_xlwings_version(vba.quickstart_template())
    assert {(b["sheet"], b["macro"]) for b in list_buttons(new_book)} == {
        ("Summary", "SampleCall"), ("Schedule", "SampleCall")}


def test_the_new_books_package_is_whole(new_book):
    """After XlsxWriter, pyOpenVBA, openpyxl and the cached values, every part of the package is
    where its relationships and content types say (pyOpenVBA's package check)."""
    from pyopenvba import check_file

    report = check_file(new_book)
    assert report.complete and report.issues == ()
    assert report.checked_parts >= 30
