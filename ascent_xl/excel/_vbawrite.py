"""Give the Refresh button's macro a source that checks the book's name before it becomes code.

xlwings' quickstart macro ``Module1.SampleCall`` runs ``RunPython "import " & NAME & ";" & NAME &
".main()"`` with NAME the workbook's file name without extension: a book renamed
``a;import os;os.system('x');a.xlsm`` would run that code. :data:`SAMPLE_CALL` refuses (with a
message box) a name that is not a plain module name before calling ``RunPython``.

openpyxl and XlsxWriter only copy a ``vbaProject.bin``; olefile rewrites a stream only at its
old size. So the module's source is replaced here: the stream keeps its compiled part (which
Excel discards, since the project's ``_VBA_PROJECT`` version is 0xFFFF as the quickstart
writes it: Excel then compiles the source), the source is stored as an [MS-OVBA] 2.4.1
compressed container, and the compound file is
written again ([MS-CFB] version 3) with every other stream, name and time as it was.
"""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ascent_xl.errors import WorkbookError

SAMPLE_CALL = """Attribute VB_Name = "Module1"
Sub SampleCall()
    ' Refresh button: runs main() of the Python module named like this book (ascent-xl).
    ' The name is checked first, so that a renamed file cannot become Python code.
    mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))
    If Not mymodule Like "[A-Za-z]*" Or mymodule Like "*[!A-Za-z0-9_]*" Then
        MsgBox "The book's name '" & ThisWorkbook.Name & "' is not a Python module name. Rename " & _
            "it with letters, digits and underscores only (e.g. acme_notes_2024.xlsm), and its " & _
            ".py file alike, then press Refresh again.", vbExclamation, "ascent-xl"
        Exit Sub
    End If
    RunPython "import " & mymodule & ";" & mymodule & ".main()"
End Sub
"""
"""The source of ``Module1`` in the books ascent-xl builds (the quickstart's, plus the check)."""

_SECTOR = 512
_MINI = 64
_CUTOFF = 4096
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def compress(data: bytes) -> bytes:
    """An [MS-OVBA] 2.4.1 compressed container holding ``data``: one chunk per 4096 bytes, each
    of literal and copy tokens (a copy token repeats up to the longest earlier match in the
    chunk, found by a table of 3-byte prefixes), or stored raw when that is not shorter."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        body = _compress_chunk(chunk)
        if len(body) <= 4096:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        elif len(chunk) == 4096:
            out += struct.pack("<H", 0x3FFF) + chunk  # a raw chunk: exactly 4096 bytes
        else:  # pragma: no cover - text always compresses
            raise WorkbookError("VBA source cannot be compressed")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = 0
    while pos < len(chunk):
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= len(chunk):
                break
            bits = max((pos - 1).bit_length(), 4) if pos else 4
            longest = (0xFFFF >> bits) + 3
            best_len, best_off = 0, 0
            for cand in reversed(seen.get(chunk[pos:pos + 3], [])[-64:]):
                n = 0
                limit = min(longest, len(chunk) - pos)
                while n < limit and chunk[cand + n] == chunk[pos + n]:
                    n += 1
                if n > best_len:
                    best_len, best_off = n, pos - cand
            step = best_len if best_len >= 3 else 1
            if step >= 3:
                body[flag_at] |= 1 << bit
                body += struct.pack("<H", ((best_off - 1) << (16 - bits)) | (best_len - 3))
            else:
                body.append(chunk[pos])
            for k in range(pos, pos + step):
                seen.setdefault(chunk[k:k + 3], []).append(k)
            pos += step
    return bytes(body)


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    meta: bytes  # CLSID, state bits, creation and modification times (36 bytes)
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)


def _tree(ole: Any) -> _Entry:
    """The storages and streams of an ``olefile.OleFileIO``, with their bytes and metadata."""

    def entry(d: Any, path: list[str]) -> _Entry:
        clsid = uuid.UUID(d.clsid).bytes_le if d.clsid else b"\0" * 16
        meta = clsid + struct.pack("<IQQ", d.dwUserFlags, d.createTime, d.modifyTime)
        node = _Entry(d.name, d.entry_type, meta)
        if d.entry_type == 2:
            node.data = ole.openstream(path).read()
        else:
            node.children = [entry(k, [*path, k.name]) for k in d.kids]
        return node

    return entry(ole.root, [])


def _order(e: _Entry) -> tuple[int, str]:
    return (len(e.name), e.name.upper())  # [MS-CFB] 2.6.4: shorter names first, then by upper case


def write_cfb(root: _Entry) -> bytes:
    """An [MS-CFB] version 3 compound file holding ``root``'s tree (streams under 4096 bytes in
    the mini stream), each storage's children in a red-black tree."""
    entries: list[_Entry] = []
    links: dict[int, list[int]] = {}  # id -> [left, right, child, colour]

    def add(node: _Entry) -> int:
        entries.append(node)
        me = len(entries) - 1
        links[me] = [_NOSTREAM, _NOSTREAM, _NOSTREAM, 1]
        if node.kind != 2:
            kids = sorted(node.children, key=_order)
            ids = [add(k) for k in kids]
            deepest = _depth(len(ids))
            perfect = len(ids) == (1 << (deepest + 1)) - 1
            links[me][2] = _balanced(ids, links, 0, -1 if perfect else deepest)
        return me

    def _depth(n: int) -> int:
        return max(n.bit_length() - 1, 0)

    add(root)
    mini = bytearray()
    minifat: list[int] = []
    big: list[tuple[int, bytes]] = []
    starts: dict[int, int] = {}
    for i, e in enumerate(entries):
        if e.kind != 2:
            continue
        if len(e.data) < _CUTOFF:
            n = -(-len(e.data) // _MINI)
            starts[i] = len(minifat) if n else _END
            minifat += [len(minifat) + k + 1 for k in range(n - 1)] + ([_END] if n else [])
            mini += e.data + b"\0" * (n * _MINI - len(e.data))
        else:
            big.append((i, e.data))
    n_dir = -(-len(entries) * 128 // _SECTOR)
    n_minifat = -(-len(minifat) * 4 // _SECTOR)
    n_mini = -(-len(mini) // _SECTOR)
    n_big = [-(-len(d) // _SECTOR) for _, d in big]
    body = n_dir + n_minifat + n_mini + sum(n_big)
    n_fat = 1
    while n_fat * (_SECTOR // 4) < body + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise WorkbookError("VBA project too large to rewrite")
    fat = [_FATSECT] * n_fat
    sector = n_fat

    def chain(count: int) -> int:
        nonlocal sector
        if count == 0:
            return _END
        first = sector
        fat.extend(list(range(sector + 1, sector + count)) + [_END])
        sector += count
        return first

    first_dir = chain(n_dir)
    first_minifat = chain(n_minifat)
    first_mini = chain(n_mini)
    for (i, _), count in zip(big, n_big, strict=True):
        starts[i] = chain(count)
    fat += [_FREE] * (n_fat * (_SECTOR // 4) - len(fat))

    directory = bytearray()
    for i, e in enumerate(entries):
        name = e.name.encode("utf-16-le")[:62]
        left, right, child, colour = links[i]
        if e.kind == 2:
            start, size = starts[i], len(e.data)
        elif e.kind == 5:
            start, size = (first_mini, len(mini)) if mini else (_END, 0)
        else:
            start, size = 0, 0
        directory += (name + b"\0" * (64 - len(name)) + struct.pack("<HBB", len(name) + 2, e.kind, colour)
                      + struct.pack("<III", left, right, child) + e.meta + struct.pack("<IQ", start, size))
    empty = b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM) \
        + b"\0" * 36 + struct.pack("<IQ", 0, 0)
    while len(directory) < n_dir * _SECTOR:
        directory += empty

    header = bytearray(_MAGIC + b"\0" * 16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, _CUTOFF,
                          first_minifat if n_minifat else _END, n_minifat, _END, 0)
    header += struct.pack("<109I", *(list(range(n_fat)) + [_FREE] * (109 - n_fat)))
    out = io.BytesIO()
    out.write(bytes(header))
    out.write(struct.pack(f"<{len(fat)}I", *fat))
    out.write(bytes(directory))
    mf = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""
    out.write(mf + struct.pack("<I", _FREE) * ((n_minifat * _SECTOR - len(mf)) // 4))
    out.write(bytes(mini) + b"\0" * (n_mini * _SECTOR - len(mini)))
    for _, data in big:
        out.write(data + b"\0" * (-len(data) % _SECTOR))
    return out.getvalue()


def _balanced(ids: list[int], links: dict[int, list[int]], depth: int, red_depth: int) -> int:
    """Link ``ids`` (sorted) as a balanced binary search tree (halving, so every path to a leaf
    has the same length within one); returns its root. Nodes at ``red_depth`` (the deepest level
    of a tree that is not full; -1 for a full one) are red, the others black: then every path
    holds the same number of black nodes, a valid red-black tree."""
    if not ids:
        return _NOSTREAM
    mid = len(ids) // 2
    node = ids[mid]
    links[node][0] = _balanced(ids[:mid], links, depth + 1, red_depth)
    links[node][1] = _balanced(ids[mid + 1:], links, depth + 1, red_depth)
    links[node][3] = 0 if depth == red_depth else 1
    return node


def replace_module_source(vba_bin: bytes, module: str, source: str) -> bytes:
    """``vba_bin`` with the source of ``module`` replaced by ``source`` (CRLF line ends, the
    project's code page); everything else as it was."""
    import olefile
    from oletools.olevba import decompress_stream

    try:
        with olefile.OleFileIO(vba_bin) as ole:
            root = _tree(ole)
    except OSError as exc:
        raise WorkbookError(f"vbaProject.bin: not a VBA project ({exc})") from exc
    project = next(c for c in root.children if c.kind == 1 and c.name.upper() == "VBA")
    streams = {c.name.upper(): c for c in project.children if c.kind == 2}
    records = bytes(decompress_stream(bytearray(streams["DIR"].data)))
    codepage, offset, name, pos = "cp1252", None, None, 0
    while pos + 6 <= len(records):
        rid, size = struct.unpack_from("<HI", records, pos)
        size = 6 if rid == 0x0009 else size
        body = records[pos + 6:pos + 6 + size]
        pos += 6 + size
        if rid == 0x0003:
            codepage = f"cp{struct.unpack_from('<H', body)[0]}"
        elif rid == 0x001A:
            name = body.decode(codepage)
        elif rid == 0x0031 and name is not None and name.upper() == module.upper():
            offset = struct.unpack_from("<I", body)[0]
    stream = streams.get(module.upper())
    if offset is None or stream is None:
        raise WorkbookError(f"vbaProject.bin has no module {module}")
    text = source.replace("\r\n", "\n").replace("\n", "\r\n").encode(codepage)
    stream.data = stream.data[:offset] + compress(text)
    return write_cfb(root)


def secure_button_macro(xlsm: str | Path) -> None:
    """Rewrite, in place, the VBA project of the ``.xlsm`` at ``xlsm`` (a fresh copy of the
    quickstart workbook) so that ``Module1`` holds :data:`SAMPLE_CALL`."""
    path = Path(xlsm)
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == "xl/vbaProject.bin":
                data = replace_module_source(data, "Module1", SAMPLE_CALL)
            zf.writestr(info, data)
    path.write_bytes(out.getvalue())
