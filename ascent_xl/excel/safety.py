"""Checks to run on a user's workbook file before openpyxl opens it.

An ``.xlsx``/``.xlsm`` file is a zip of XML parts, so a hostile or broken file can hang or exhaust
the machine (a zip bomb, an XML "billion laughs" entity bomb) or fail deep inside openpyxl with a
message no finance user can act on. :func:`check_workbook_file` refuses such files quickly, using
only the zip directory and the first bytes of each XML part, and says what to do.
:func:`open_workbook` runs the check, then ``openpyxl.load_workbook``.

The XML prolog check is defusedxml's parser (it refuses a DTD and any entity). The zip-bomb,
size, cell-count, lock and access checks are written here because no library does them: zipfile
and openpyxl unpack what a file asks for, openpyxl reads every cell before one can count them,
and the lock files of Excel (``~$BOOK.xlsx``) and LibreOffice (``.~lock.BOOK.xlsx#``) are
those programs' conventions, not part of the file format.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from ascent_xl.errors import WorkbookError

KIB = 1024
MIB = 1024 * KIB

DEFAULT_MAX_RATIO = 100
"""Largest accepted compression ratio (unpacked / packed), overall and per zip member."""

DEFAULT_MAX_UNPACKED = 200 * MIB
"""Largest accepted total unpacked size of all zip members."""

RATIO_FLOOR = MIB
"""Ratios are only checked above this unpacked size: small parts compress well and are harmless."""

DEFAULT_MAX_CELLS = 1_000_000
"""Largest accepted number of cells in a book (all sheets). A deal book holds tens of thousands;
openpyxl needs about 0.5 KB of memory and 25 microseconds per cell, so a 3-million-cell book took
73 s and 1.6 GB to refresh. Set ``ASCENT_XL_MAX_CELLS`` to change the limit."""

MAX_CELLS_ENV = "ASCENT_XL_MAX_CELLS"

PROLOG_CAP = 256 * KIB
"""At most this many unpacked bytes of an XML part are read to find its root element."""

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 16 * KIB
_SCAN_CHUNK = 4 * MIB


def check_workbook_file(
    path: str | os.PathLike[str],
    *,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_unpacked: int = DEFAULT_MAX_UNPACKED,
    for_writing: bool = False,
    max_cells: int | None = None,
) -> None:
    """Refuse, with a :class:`WorkbookError` that names the file and says what to do, a workbook
    file that is missing, open in Excel or LibreOffice (lock file beside it), unreadable (or not
    writable, with ``for_writing``), not a zip, missing the workbook part, a zip bomb (total
    unpacked size above ``max_unpacked`` bytes, or a compression ratio above ``max_ratio``
    overall or for one member), holding XML with a DTD or entity declarations, or holding more
    than ``max_cells`` cells (default :func:`max_cells_setting`). Fast: the zip directory, the
    prolog of each XML part, and the worksheets' bytes scanned for cells (not parsed). Returns
    ``None`` when the file is fine.
    """
    p = Path(path)
    _check_exists(p)
    _check_not_locked(p)
    _check_access(p, for_writing=for_writing)
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError(
            f"{p}: not an Excel .xlsx/.xlsm file, or corrupt ({exc}); "
            "open it in Excel and save it again as .xlsx or .xlsm") from exc
    with zf:
        infos = zf.infolist()
        _check_parts(p, {i.filename for i in infos})
        _check_sizes(p, infos, max_ratio=max_ratio, max_unpacked=max_unpacked)
        for info in infos:
            if info.filename.lower().endswith(_XML_SUFFIXES) and not info.is_dir():
                _check_xml_prolog(p, zf, info)
        _check_cells(p, zf, infos, max_cells_setting() if max_cells is None else max_cells)


def max_cells_setting() -> int:
    """The cells-per-book limit: ``ASCENT_XL_MAX_CELLS`` if set (a whole number), else
    :data:`DEFAULT_MAX_CELLS`."""
    text = os.environ.get(MAX_CELLS_ENV, "").strip().replace("_", "")
    if not text:
        return DEFAULT_MAX_CELLS
    if not text.isdigit() or int(text) < 1:
        raise WorkbookError(f"setting {MAX_CELLS_ENV}={os.environ[MAX_CELLS_ENV]!r}: write a whole "
                            f"number of cells, e.g. {MAX_CELLS_ENV}=2000000, or unset it")
    return int(text)


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")


def count_cells(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo] | None = None) -> int:
    """Cells (``<c>`` elements) in the worksheets of an open workbook zip, counted by scanning
    their bytes (``bytes.count``, no XML parsing: about 0.3 s per million cells, most of it
    unzipping), with the namespace prefix the worksheet's root element uses, if any."""
    total = 0
    for info in infos if infos is not None else zf.infolist():
        name = info.filename.lower()
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        needles: tuple[bytes, ...] = ()
        head = tail = b""
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_SCAN_CHUNK)
                if not needles:  # find the root element's prefix first (in its first bytes)
                    head += chunk
                    root = _ROOT.search(head)
                    if root is None and chunk and len(head) < PROLOG_CAP:
                        continue
                    prefix = root.group(1) + b":" if root and root.group(1) else b""
                    needles = tuple(b"<" + prefix + b"c" + end for end in (b" ", b">", b"/"))
                    data = head
                elif not chunk:
                    break
                else:
                    data = tail + chunk
                total += sum(data.count(n) for n in needles)
                tail = data[-(len(needles[0]) - 1):]  # shorter than a needle: never counted twice
                if not chunk:
                    break
    return total


def _check_cells(p: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limit: int) -> None:
    try:
        cells = count_cells(zf, infos)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise WorkbookError(f"{p}: corrupt zip ({exc}); open it in Excel and save it again") from exc
    if cells > limit:
        raise WorkbookError(
            f"{p}: refused: {cells:,} cells, above the limit of {limit:,} per book (a deal book "
            f"needs far fewer); delete unused rows and sheets in Excel, or raise the limit with "
            f"the setting {MAX_CELLS_ENV}={max(cells, 1) + 1}")


def open_workbook(path: str | os.PathLike[str], **openpyxl_kwargs: Any) -> Any:
    """Run :func:`check_workbook_file`, then return ``openpyxl.load_workbook(path, **kwargs)``;
    any error openpyxl or zipfile raises on a bad file becomes a :class:`WorkbookError` naming
    the file and saying what to do."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    check_workbook_file(p)
    # openpyxl refuses names not ending in .xlsx/.xlsm/.xltx/.xltm (such as atomic_write's
    # NAME.xlsm.XXXX.tmp); the content was checked above, so such files are read from memory.
    source: Any = p if p.suffix.lower() in _OPENPYXL_SUFFIXES else io.BytesIO(p.read_bytes())
    try:
        return load_workbook(source, **openpyxl_kwargs)
    except InvalidFileException as exc:
        raise WorkbookError(
            f"{p}: openpyxl cannot open this kind of file ({exc}); save it as .xlsx or .xlsm") from exc
    except WorkbookError:
        raise
    except MemoryError as exc:
        raise WorkbookError(f"{p}: too large to open in memory; remove unused rows and sheets") from exc
    except Exception as exc:  # openpyxl raises many types (KeyError, TypeError, ParseError...)
        raise WorkbookError(
            f"{p}: cannot be read ({type(exc).__name__}: {exc}); the file is damaged or not made by "
            "Excel: open it in Excel, save it again as .xlsx or .xlsm, and retry") from exc


def _check_exists(p: Path) -> None:
    if not p.exists():
        raise WorkbookError(f"{p}: file not found; check the path and the file name")
    if not p.is_file():
        raise WorkbookError(f"{p}: not a file (a folder?); give the path of an .xlsx or .xlsm file")


def _check_not_locked(p: Path) -> None:
    name = p.name
    excel_owners = {p.with_name("~$" + name)}
    if len(name) > 2:  # Office also writes owner files with the first two characters replaced
        excel_owners.add(p.with_name("~$" + name[2:]))
    for owner in sorted(excel_owners):
        if owner.exists():
            raise WorkbookError(
                f"{p}: the file is open in Excel (lock file {owner.name} beside it); close it in "
                f"Excel first (if Excel is closed, delete {owner.name})")
    lo_lock = p.with_name(f".~lock.{name}#")
    if lo_lock.exists():
        raise WorkbookError(
            f"{p}: the file is open in LibreOffice (lock file {lo_lock.name} beside it); close it "
            f"there first (if LibreOffice is closed, delete {lo_lock.name})")


def _check_access(p: Path, *, for_writing: bool) -> None:
    mode = "r+b" if for_writing else "rb"
    try:
        with open(p, mode) as fh:
            head = fh.read(8)
    except PermissionError as exc:
        what = "read and written" if for_writing else "read"
        raise WorkbookError(
            f"{p}: the file cannot be {what} (permission denied); close it in Excel first, or "
            "check that it is not read-only") from exc
    except OSError as exc:
        raise WorkbookError(f"{p}: the file cannot be opened ({exc.strerror or exc}); "
                            "close it in Excel first, or copy it to a local folder") from exc
    if head.startswith(_OLE2_MAGIC):
        raise WorkbookError(
            f"{p}: an old-format .xls or a password-protected workbook; remove the password and "
            "save it as .xlsx or .xlsm in Excel")
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(
            f"{p}: not an Excel .xlsx/.xlsm file, or corrupt; open it in Excel and save it again "
            "as .xlsx or .xlsm")


def _check_parts(p: Path, names: set[str]) -> None:
    for required in ("[Content_Types].xml", "xl/workbook.xml"):
        if required not in names:
            raise WorkbookError(
                f"{p}: not an Excel .xlsx/.xlsm file, or corrupt (no {required} inside); open it "
                "in Excel and save it again as .xlsx or .xlsm")


def _check_sizes(p: Path, infos: list[zipfile.ZipInfo], *, max_ratio: float, max_unpacked: int) -> None:
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    worst = None
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            worst = info
            break
    too_big = unpacked > max_unpacked
    overall = unpacked > RATIO_FLOOR and unpacked > max_ratio * max(packed, 1)
    if too_big or overall or worst is not None:
        on_disk = p.stat().st_size
        detail = (f"member {worst.filename} unpacks {worst.file_size / max(worst.compress_size, 1):.0f}x"
                  if worst is not None else
                  f"limit {_mb(max_unpacked)} MB" if too_big else
                  f"ratio {unpacked / max(packed, 1):.0f}x above {max_ratio:g}x")
        raise WorkbookError(
            f"{p}: refused: unpacks to {_mb(unpacked)} MB from {on_disk / KIB:.0f} KB "
            f"(possible zip bomb; {detail}); if the file is genuine, remove unused rows, sheets "
            "and images in Excel and save it again")


def _mb(size: float) -> str:
    return f"{size / MIB:.1f}" if size < 10 * MIB else f"{size / MIB:.0f}"


class _RootSeen(Exception):
    pass


class _StopAtRoot:
    """A parser target that stops the parse at the root element's start tag."""

    def start(self, *_args: Any) -> None:
        raise _RootSeen


def _check_xml_prolog(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Parse ``info`` only up to its root element: a DTD (and so any entity) can only be there.
    defusedxml's parser refuses the DTD (``forbid_dtd``) and any entity declaration."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    if info.file_size == 0:
        return  # nothing to expand; openpyxl reports an empty part it needs
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True)
    read = 0
    try:
        with zf.open(info) as fh:
            while read < PROLOG_CAP:
                chunk = fh.read(_CHUNK)
                read += len(chunk)
                if not chunk:
                    parser.close()
                    break
                parser.feed(chunk)
    except _RootSeen:
        return
    except DefusedXmlException:
        raise WorkbookError(
            f"{p}: refused: XML entity declarations in {info.filename} (a DTD, as used by "
            "'billion laughs' attacks); Excel never writes these: do not use this file") from None
    except ParseError as exc:
        raise WorkbookError(f"{p}: corrupt XML in {info.filename} ({exc}); open it in Excel and "
                            "save it again") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError) as exc:
        raise WorkbookError(f"{p}: corrupt zip member {info.filename} ({exc}); open it in Excel "
                            "and save it again") from exc
    raise WorkbookError(f"{p}: refused: {info.filename} has no XML element in its first "
                        f"{PROLOG_CAP // KIB} KB; the file is damaged or hostile")
