"""Low-level helpers for the parts of an ``.xlsx``/``.xlsm`` zip package (Open Packaging
Conventions): find the sheets' parts through the relationships, locate elements in an XML part
without re-serialising it, and rewrite the zip atomically.

Home-made because no library does it: openpyxl and XlsxWriter write whole workbooks, openpyxl
writes no formula's cached value and drops what it does not read (LibreOffice's charts, say),
while two steps here change a few bytes of a saved book and keep the rest as it is: the cached
values beside the formulas (:mod:`ascent_xl.excel.cached`) and the sheets hidden in a render's
copy (:mod:`ascent_xl.excel.render`).

XML is edited as text at byte offsets found with expat, never parsed and written back, because
rewriting changes namespace prefixes that ``mc:Ignorable`` attributes refer to by name. The
parser refuses any DTD and entity declaration, defusedxml's rule, by hand: defusedxml's parsers
give no byte offsets. (openpyxl reads a sheet through defusedxml and its other parts through
lxml without resolving entities; ``safety.check_workbook_file`` refuses a DTD before either
reads.)
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ascent_xl.errors import WorkbookError
from ascent_xl.fileio import atomic_write

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = REL_NS + "/officeDocument"


@dataclass(frozen=True)
class Element:
    """A top-level child element of an XML part's root: qualified and local name, byte offset of
    its start tag, its attributes and, if asked for, its own children."""

    qname: str
    local: str
    start: int
    attrs: dict[str, str]
    children: tuple[tuple[str, dict[str, str], int], ...] = ()


@dataclass(frozen=True)
class Outline:
    """The root element of an XML part (qualified name, attributes), its top-level children and
    the byte offset of the root's end tag."""

    root: str
    attrs: dict[str, str]
    children: list[Element]
    end: int


class _Refused(Exception):
    pass


def outline(xml: bytes, part: str, *, expand: tuple[str, ...] = ()) -> Outline:
    """Parse ``xml`` (refusing any DTD) and return its :class:`Outline`; the top-level elements
    whose local name is in ``expand`` also list their children (name, attributes, byte offset).
    Errors name ``part`` (say ``"FILE: xl/workbook.xml"``)."""
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff"):  # offsets below are only usable in UTF-8 text
        raise WorkbookError(f"{part} is UTF-16 XML, which Excel does not write; open the file in "
                            "Excel and save it again")
    parser = expat.ParserCreate()
    depth = 0
    roots: list[tuple[str, dict[str, str]]] = []
    children: list[Element] = []
    current: dict[str, Any] = {}
    end = -1

    def refuse(*_args: object) -> None:
        raise _Refused

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        if depth == 0:
            roots.append((name, attrs))
        elif depth == 1:
            current.clear()
            current.update(qname=name, start=parser.CurrentByteIndex, attrs=attrs, kids=[])
        elif depth == 2 and current["qname"].rsplit(":", 1)[-1] in expand:
            current["kids"].append((name, attrs, parser.CurrentByteIndex))
        depth += 1

    def stop(_name: str) -> None:
        nonlocal depth, end
        depth -= 1
        if depth == 1:
            qname = current["qname"]
            children.append(Element(qname, qname.rsplit(":", 1)[-1], current["start"],
                                    current["attrs"], tuple(current["kids"])))
        elif depth == 0:
            end = parser.CurrentByteIndex

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = stop
    try:
        parser.Parse(xml, True)
    except _Refused:
        raise WorkbookError(f"refused: XML entity declarations in {part}") from None
    except expat.ExpatError as exc:
        raise WorkbookError(f"corrupt XML in {part} ({exc})") from exc
    return Outline(roots[0][0], roots[0][1], children, end)


def rewrite_start_tag(xml: bytes, start: int, qname: str, attrs: dict[str, str]) -> bytes:
    """``xml`` with the start tag at byte offset ``start`` replaced by one with ``attrs``
    (keeping whether it was self-closing)."""
    quote = None
    end = start
    while end < len(xml):
        ch = xml[end:end + 1]
        if quote:
            if ch == quote:
                quote = None
        elif ch in (b'"', b"'"):
            quote = ch
        elif ch == b">":
            break
        end += 1
    closing = "/>" if xml[end - 1:end] == b"/" else ">"
    text = " ".join([qname] + [f'{k}="{xml_attr(v)}"' for k, v in attrs.items()])
    return xml[:start] + f"<{text}{closing}".encode() + xml[end + 1:]


def resolve(source_part: str, target: str) -> str:
    """The zip member name a relationship ``target`` of ``source_part`` points to."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def rels_part(part: str) -> str:
    """The relationships part of ``part``: ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(zf: zipfile.ZipFile, part: str) -> list[dict[str, str]]:
    """The relationships of ``part`` (``Id``, ``Type``, ``Target``, ``TargetMode`` and
    ``part``, the resolved member name); empty if it has none."""
    name = rels_part(part)
    if name not in zf.namelist():
        return []
    found = []
    for child in outline(zf.read(name), f"{zf.filename}: {name}").children:
        if child.local == "Relationship":
            rel = dict(child.attrs)
            if rel.get("TargetMode") != "External":
                rel["part"] = resolve(part, rel.get("Target", ""))
            found.append(rel)
    return found


def workbook_part(zf: zipfile.ZipFile) -> str:
    """The member name of the workbook part (normally ``xl/workbook.xml``)."""
    for rel in relationships(zf, ""):
        if rel.get("Type") == OFFICE_DOCUMENT:
            return rel["part"]
    return "xl/workbook.xml"


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: its title, zip member, relationship id and state."""

    title: str
    part: str
    rid: str
    state: str


def sheets(zf: zipfile.ZipFile, path: str | os.PathLike[str]) -> list[Sheet]:
    """The sheets of the workbook in ``zf`` in tab order, each with its part found through the
    workbook's relationships (never assuming ``sheetN.xml`` numbering)."""
    wb_part = workbook_part(zf)
    try:
        xml = zf.read(wb_part)
    except KeyError:
        raise WorkbookError(f"{path}: no {wb_part}; not an Excel workbook") from None
    rels = {r["Id"]: r for r in relationships(zf, wb_part)}
    found = []
    for child in outline(xml, f"{path}: {wb_part}", expand=("sheets",)).children:
        if child.local != "sheets":
            continue
        for _qname, attrs, _start in child.children:
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            rel = rels.get(rid)
            if rel is None:
                raise WorkbookError(f"{path}: sheet {attrs.get('name')!r} has no relationship {rid}")
            found.append(Sheet(attrs.get("name", ""), rel["part"], rid, attrs.get("state", "visible")))
    return found


def rewrite_zip(path: str | os.PathLike[str], parts: dict[str, bytes], *, backup: bool = False) -> None:
    """Rewrite the zip at ``path`` atomically with ``parts`` replaced or added (new ones at the
    end); every other member is copied unchanged, in order, with its date and compression."""
    src = Path(path)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            done = set()
            stamp = (1980, 1, 1, 0, 0, 0)
            for info in zin.infolist():
                stamp = info.date_time
                if info.filename in parts:
                    data = parts[info.filename]
                    done.add(info.filename)
                else:
                    data = zin.read(info)
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                zout.writestr(copy, data)
            for name, data in parts.items():
                if name not in done:
                    new = zipfile.ZipInfo(name, date_time=stamp)
                    new.compress_type = zipfile.ZIP_DEFLATED
                    zout.writestr(new, data)

    atomic_write(src, write, backup=backup)


def xml_attr(value: str) -> str:
    """``value`` escaped for a double-quoted XML attribute."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def xml_text(value: str) -> str:
    """``value`` escaped for XML character data."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
