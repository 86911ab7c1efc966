"""Recalculate a workbook without Excel, with LibreOffice headless, and read the computed values.

openpyxl writes formulas but never calculates them, so tests and checks that need the values of a
workbook's formulas run :func:`recalculate` (LibreOffice loads the file, recalculates every formula
and saves an ``.xlsx`` copy) and then :func:`read_values`. LibreOffice rewrites formulas and drops
macros on save: use its output to read values, never ship it.

Each run uses a private, throw-away LibreOffice profile whose settings force recalculation on load
(``OOXMLRecalcMode`` and ``ODFRecalcMode`` = 0, "always"); without it LibreOffice keeps the cached
values stored in the file. Runs do not share state, so they may run in parallel.

Measured with LibreOffice 7.4 (Debian): SUM, MIN, AVERAGE, SMALL, ROUND, IF, IFERROR,
INDEX/MATCH, VLOOKUP, SUMIFS, COUNTIF, COUNTA, SUMPRODUCT, DATE, EOMONTH, XIRR, MAXIFS, MINIFS,
IFS, SWITCH, TEXTJOIN, CONCAT, defined names and structured table references (``Sales[Amount]``)
are recalculated as Excel does; XLOOKUP, XMATCH, FILTER, UNIQUE, SORT, SEQUENCE, LET and LAMBDA
are not (see :data:`LIBREOFFICE_UNSUPPORTED`). Functions newer than Excel 2007 must be stored with
the ``_xlfn.`` prefix, as Excel stores them (``=_xlfn.MAXIFS(...)``; openpyxl writes formulas
verbatim): without it both Excel and LibreOffice show ``#NAME?``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ascent_xl.errors import WorkbookError

SOFFICE_ENV = "ASCENT_XL_SOFFICE"
"""Environment variable that may hold the full path of the ``soffice`` program."""

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-calc-nogui) or set "
                f"{SOFFICE_ENV} to the path of soffice")

LIBREOFFICE_UNSUPPORTED = ("XLOOKUP", "XMATCH", "FILTER", "UNIQUE", "SORT", "SEQUENCE", "LET", "LAMBDA")
"""Excel functions LibreOffice 7.4 cannot calculate (measured: the cell gets ``#NAME?`` or
``#VALUE!``): do not rely on :func:`recalculate` for workbooks that use them. User-defined
functions (the ``ASCENT_*`` UDFs) give ``#NAME?`` too, and so does every cell that depends on them."""

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

# Registry settings of the private profile: always recalculate OOXML and ODF files on load
# (0 = always, 1 = never, 2 = ask), from the schema in share/registry/main.xcd.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_CELL = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?$")


def find_soffice() -> Path:
    """The path of LibreOffice's ``soffice`` program: ``$ASCENT_XL_SOFFICE`` if set, else
    ``soffice``/``libreoffice`` on the PATH, else the usual install folders. Raises
    :class:`WorkbookError` saying how to install LibreOffice when none is found."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        if Path(override).is_file():
            return Path(override)
        raise WorkbookError(f"{SOFFICE_ENV}={override} is not a file; fix it or unset it")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise WorkbookError(f"LibreOffice (soffice) not found; {INSTALL_HINT}")


def soffice_available() -> bool:
    """Whether :func:`find_soffice` finds LibreOffice."""
    try:
        find_soffice()
    except WorkbookError:
        return False
    return True


def recalculate(path: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None, *,
                timeout: float = 120) -> Path:
    """Recalculate every formula of the ``.xlsx``/``.xlsm`` at ``path`` with LibreOffice headless
    and save the result as ``NAME.recalc.xlsx`` in ``out_dir`` (default: beside ``path``),
    replacing any earlier one; returns that path. The input file is not touched. Raises
    :class:`WorkbookError` if LibreOffice is missing, fails or takes longer than ``timeout``
    seconds."""
    from ascent_xl.excel.safety import check_workbook_file

    src = Path(path)
    check_workbook_file(src)
    folder = Path(out_dir) if out_dir is not None else src.parent
    if not folder.is_dir():
        raise WorkbookError(f"output folder {folder} does not exist; create it or choose another")
    target = folder / f"{src.stem}.recalc.xlsx"
    with _converted(src, "xlsx", timeout=timeout) as produced:
        tmp = folder / f".{target.name}.tmp"
        try:
            shutil.move(produced, tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


def read_values(path: str | os.PathLike[str], cells: Iterable[str]) -> dict[str, Any]:
    """The cached values of ``cells`` in the workbook at ``path`` (normally a file written by
    :func:`recalculate`), keyed by the request: ``"Sheet!A1"`` or ``"'My sheet'!B2"`` gives one
    value, ``"Sheet!A1:B3"`` a list of rows, a defined name (``"Total"``, or ``"Sheet!Name"`` for a
    sheet-scoped one) the value(s) of the cells it refers to. Error cells read as their error text
    (``"#N/A"``). Raises :class:`WorkbookError` naming the file and the unknown sheet or name."""
    from ascent_xl.excel.safety import open_workbook

    p = Path(path)
    wb = open_workbook(p, data_only=True)
    try:
        return {ref: _value_of(wb, p, ref) for ref in cells}
    finally:
        wb.close()


def _value_of(wb: Any, p: Path, ref: str) -> Any:
    sheet_name, sep, rest = ref.rpartition("!")
    if sep:
        sheet_name = sheet_name.strip()
        if len(sheet_name) >= 2 and sheet_name[0] == sheet_name[-1] == "'":
            sheet_name = sheet_name[1:-1].replace("''", "'")
        if sheet_name not in wb.sheetnames:
            raise WorkbookError(f"{p}: no sheet named {sheet_name!r} (asked for {ref!r}); "
                                f"sheets are {', '.join(wb.sheetnames)}")
        ws = wb[sheet_name]
        if _CELL.match(rest):
            return _cells(ws, rest)
        if rest in ws.defined_names:
            return _name_value(wb, p, ref, ws.defined_names[rest])
        raise WorkbookError(f"{p}: {ref!r} is neither a cell, a range nor a name of sheet "
                            f"{sheet_name!r}; use e.g. 'Sheet!B2'")
    if ref in wb.defined_names:
        return _name_value(wb, p, ref, wb.defined_names[ref])
    raise WorkbookError(f"{p}: no defined name {ref!r}; give a workbook name or 'Sheet!A1'")


def _name_value(wb: Any, p: Path, ref: str, defined: Any) -> Any:
    destinations = list(defined.destinations)
    if len(destinations) != 1:
        raise WorkbookError(f"{p}: defined name {ref!r} ({defined.attr_text}) does not refer to "
                            "one cell range; read its cells instead")
    sheet_name, coord = destinations[0]
    if sheet_name not in wb.sheetnames:  # openpyxl leaves quotes doubled: 'It''s'!A1
        sheet_name = sheet_name.replace("''", "'")
    if sheet_name not in wb.sheetnames:
        raise WorkbookError(f"{p}: defined name {ref!r} refers to missing sheet {sheet_name!r}")
    return _cells(wb[sheet_name], coord)


def _cells(ws: Any, coord: str) -> Any:
    coord = coord.replace("$", "")
    if ":" not in coord:
        return ws[coord].value
    return [[c.value for c in row] for row in ws[coord]]


@contextlib.contextmanager
def _converted(src: Path, convert_to: str, *, timeout: float,
               label: Path | None = None) -> Iterator[Path]:
    """Convert ``src`` with LibreOffice headless (``--convert-to convert_to``) in a private temp
    folder with a private profile; yield the produced file; delete everything afterwards.
    Error messages name ``label`` (default ``src``)."""
    soffice = find_soffice()
    name = label or src
    with tempfile.TemporaryDirectory(prefix="ascent-soffice-") as tmp_name:
        tmp = Path(tmp_name)
        profile = tmp / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        work = tmp / "in"
        out = tmp / "out"
        work.mkdir()
        out.mkdir()
        # Convert a copy, so LibreOffice's lock file never appears beside the user's file.
        copy = work / f"book{src.suffix.lower()}"
        shutil.copyfile(src, copy)
        cmd = [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
               "--convert-to", convert_to, "--outdir", str(out), str(copy)]
        _run(cmd, src=name, timeout=timeout)
        ext = convert_to.split(":", 1)[0]
        produced = out / f"{copy.stem}.{ext}"
        if not produced.is_file():
            raise WorkbookError(f"{name}: LibreOffice did not convert the file to {ext} (is it a "
                                "valid workbook? open it in Excel and save it again)")
        yield produced


def _run(cmd: list[str], *, src: Path, timeout: float, tool: str = "LibreOffice") -> None:
    """Run ``cmd`` in its own process group; kill the group after ``timeout`` seconds."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # LibreOffice's own Python must not see ours
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise WorkbookError(f"{src}: {tool} did not finish within {timeout:g} s; "
                            f"retry with a larger timeout, or check that {tool} runs") from None
    except BaseException:
        _kill(proc)
        raise
    if proc.returncode != 0:
        tail = (stderr or stdout).decode("utf-8", "replace").strip()[-400:]
        raise WorkbookError(f"{src}: {tool} failed (exit {proc.returncode}): {tail}")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group LibreOffice runs in (the launcher starts soffice.bin as a child)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except ProcessLookupError:
        pass
    proc.communicate()
