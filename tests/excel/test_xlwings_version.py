"""The books' VBA belongs to the installed xlwings: xlwings loads UDFs (Windows) and runs the
Refresh button (macOS) only when the workbook's VBA module and the Python package are the same
version, so the shipped template, a fresh `ascent-xl new` book and the pin in pyproject.toml must
all say the same version."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement

from ascent_xl.cli import _register, cli
from ascent_xl.errors import WorkbookError
from ascent_xl.excel.vba import installed_xlwings_version
from tests.helpers import vba

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_xlwings_is_the_one_pyproject_pins_exactly():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = [Requirement(d) for d in deps if Requirement(d).name == "xlwings"]
    assert len(pins) == 1 and re.fullmatch(r"==\d+\.\d+\.\d+", str(pins[0].specifier)), pins
    assert str(pins[0].specifier)[2:] == version("xlwings") == installed_xlwings_version()


def test_the_shipped_template_carries_the_installed_xlwings_vba():
    book = ROOT / "workbooks" / "ascent_advance_notes.xlsm"
    assert vba.vba_xlwings_version(book) == version("xlwings")
    code = vba.vba_modules(book)["xlwings"]
    assert f'"xlwings64-{version("xlwings")}.dll"' in code  # what Windows Excel loads
    assert '"xlwings-" & XLWINGS_VERSION & ".applescript"' in code  # what macOS Excel calls


def test_a_new_book_carries_the_installed_xlwings_vba(tmp_path):
    book = tmp_path / "acme_notes.xlsm"
    _register()
    result = CliRunner().invoke(cli, ["new", str(book)])
    assert result.exit_code == 0, result.output
    assert vba.vba_xlwings_version(book) == version("xlwings")


def test_a_book_whose_dll_differs_from_its_version_is_refused(tmp_path, monkeypatch):
    book = ROOT / "workbooks" / "ascent_advance_notes.xlsm"
    real = vba.vba_modules(book)
    ours = f'"xlwings64-{version("xlwings")}.dll"'
    bad = dict(real, xlwings=real["xlwings"].replace(ours, '"xlwings64-9.9.9.dll"', 1))
    monkeypatch.setattr(vba, "vba_modules", lambda path: bad)
    with pytest.raises(WorkbookError, match=r"loads the DLL of 9\.9\.9"):
        vba.vba_xlwings_version(book)
