"""The package installs in xlwings Lite (Pyodide): a pure-Python wheel, whose dependencies in
Pyodide (``sys_platform == "emscripten"``) are pure Python or built by Pyodide, and whose Lite
adapter imports without the dependencies left out there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = {"sys_platform": "emscripten", "platform_system": "Emscripten", "platform_machine": "wasm32",
           "os_name": "posix", "extra": ""}
PYODIDE_BUILT = {"numpy", "pandas"}
"""Packages with compiled code that Pyodide itself ships built for WebAssembly."""
BINARY = (".so", ".pyd", ".dylib", ".dll")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (built,) = out.glob("*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_is_pure_python_and_holds_the_package(wheel):
    assert wheel.name == "ascent_xl-0.1.0-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.endswith(BINARY)]
    for needed in ("ascent_xl/excel/lite.py", "ascent_xl/excel/udfs.py", "ascent_xl/py.typed",
                   "ascent_xl/data/sample_vwaps.csv", "ascent_xl/data/sample_events.csv"):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "workbooks/", "tools/"))]
    # the tests' own tools stay out of the package (tests/helpers/recalc.py, tests/helpers/vba.py)
    assert not {"ascent_xl/excel/recalc.py", "ascent_xl/excel/_vbawrite.py"} & set(names)


def _name(requirement: Requirement) -> str:
    return requirement.name.lower().replace("_", "-")


@pytest.mark.slow
def test_every_dependency_in_pyodide_is_pure_python_or_built_by_pyodide(wheel):
    with zipfile.ZipFile(wheel) as zf:
        meta = Parser().parsestr(zf.read("ascent_xl-0.1.0.dist-info/METADATA").decode())
    direct = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    in_pyodide = {_name(r) for r in direct if r.marker is None or r.marker.evaluate(PYODIDE)}
    left_out = {_name(r) for r in direct} - in_pyodide
    # the add-in's own, and what only builds or saves books (not done there)
    assert {"xlwings", "matplotlib", "pycel", "xlsxwriter", "pyopenvba"} <= left_out
    assert "pytest" not in in_pyodide  # extras stay extras
    seen: dict[str, bool] = {}
    todo = [r for r in direct if _name(r) in in_pyodide]
    while todo:
        req = todo.pop()
        if _name(req) in seen or (req.marker is not None and not req.marker.evaluate(PYODIDE)):
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            pytest.fail(f"{req.name} is not installed here to inspect")
        seen[_name(req)] = any(str(f).endswith(BINARY) for f in dist.files or [])
        todo.extend(Requirement(r) for r in dist.requires or [])
    compiled = {name for name, binary in seen.items() if binary}
    assert compiled <= PYODIDE_BUILT, compiled
    assert {"exchange-calendars", "openpyxl", "click", "rich"} <= set(seen)


def test_the_lite_adapter_imports_without_what_pyodide_leaves_out():
    code = ("import sys\n"
            "for name in ('matplotlib', 'pycel', 'scipy', 'QuantLib'):\n"
            "    sys.modules[name] = None\n"
            "import ascent_xl.excel.lite as lite\n"
            "print(len(lite.FUNCTIONS), lite.ASCENT_PLACEMENT_FEE([[11250000]]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    count, fee = proc.stdout.split()
    assert int(count) >= 18 and float(fee) == 700_000  # the supplement's placement fee on $11.25m
