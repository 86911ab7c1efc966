"""Read the VBA source code out of an ``xl/vbaProject.bin`` (read only; nothing here writes VBA).

``vbaProject.bin`` is an OLE compound file ([MS-CFB]) whose ``VBA/dir`` stream lists the modules
and whose module streams hold the source compressed with the [MS-OVBA] algorithm. This is just
enough of both formats to list the modules and their code, so a test (or :func:`add_buttons`) can
check that a macro exists without Excel.
"""

from __future__ import annotations

import struct

from ascent_xl.errors import WorkbookError

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_MAX_SECTORS = 1 << 20  # guards against loops in a corrupt sector chain


class _Cfb:
    """The streams of an OLE compound file, by path (``"VBA/dir"``)."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(_CFB_MAGIC) or len(data) < 512:
            raise ValueError("not an OLE compound file")
        self.data = data
        self.sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
        self.mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
        n_fat, first_dir = struct.unpack_from("<II", data, 44)
        self.cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 56)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s != _FREE]
        sector = first_difat
        for _ in range(n_difat):
            if sector in (_END_OF_CHAIN, _FREE):
                break
            entries = struct.unpack_from(f"<{self.sector_size // 4}I", data, self._offset(sector))
            fat_sectors.extend(s for s in entries[:-1] if s != _FREE)
            sector = entries[-1]
        fat_bytes = b"".join(self._sector(s) for s in fat_sectors[:n_fat])
        self.fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)
        dir_bytes = self._chain(first_dir)
        self.entries = [dir_bytes[i:i + 128] for i in range(0, len(dir_bytes) - 127, 128)]
        root = self.entries[0]
        self.ministream = self._chain(struct.unpack_from("<I", root, 116)[0])
        minifat_bytes = self._chain(first_minifat) if first_minifat != _END_OF_CHAIN else b""
        self.minifat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)
        self.paths: dict[str, int] = {}
        self._walk(struct.unpack_from("<I", root, 76)[0], "")

    def _offset(self, sector: int) -> int:
        return (sector + 1) * self.sector_size

    def _sector(self, sector: int) -> bytes:
        start = self._offset(sector)
        return self.data[start:start + self.sector_size]

    def _chain(self, sector: int) -> bytes:
        out = []
        for _ in range(_MAX_SECTORS):
            if sector in (_END_OF_CHAIN, _FREE) or sector >= len(self.fat):
                break
            out.append(self._sector(sector))
            sector = self.fat[sector]
        return b"".join(out)

    def _walk(self, index: int, prefix: str) -> None:
        stack = [index]
        seen: set[int] = set()
        while stack:
            i = stack.pop()
            if i == _FREE or i in seen or i >= len(self.entries):
                continue
            seen.add(i)
            entry = self.entries[i]
            name_len = struct.unpack_from("<H", entry, 64)[0]
            name = entry[:max(name_len - 2, 0)].decode("utf-16-le", "replace")
            kind = entry[66]
            left, right, child = struct.unpack_from("<III", entry, 68)
            path = f"{prefix}{name}"
            self.paths[path.lower()] = i
            stack.extend((left, right))
            if kind == 1:  # storage
                self._walk(child, path + "/")

    def read(self, path: str) -> bytes:
        """The bytes of the stream at ``path`` (case-insensitive)."""
        entry = self.entries[self.paths[path.lower()]]
        start = struct.unpack_from("<I", entry, 116)[0]
        size = struct.unpack_from("<Q", entry, 120)[0]
        if self.sector_size == 512:
            size &= 0xFFFFFFFF
        if size < self.cutoff:
            out = []
            sector = start
            for _ in range(_MAX_SECTORS):
                if sector in (_END_OF_CHAIN, _FREE) or sector >= len(self.minifat):
                    break
                pos = sector * self.mini_size
                out.append(self.ministream[pos:pos + self.mini_size])
                sector = self.minifat[sector]
            return b"".join(out)[:size]
        return self._chain(start)[:size]


def decompress(data: bytes) -> bytes:
    """Decompress an [MS-OVBA] 2.4.1 compressed container."""
    if not data or data[0] != 1:
        raise ValueError("not a VBA compressed container")
    out = bytearray()
    pos = 1
    while pos + 2 <= len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:  # raw chunk: 4096 literal bytes
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bits = max((len(out) - chunk_start - 1).bit_length(), 4)
                offset = (token >> (16 - bits)) + 1
                length = (token & (0xFFFF >> bits)) + 3
                if offset > len(out) - chunk_start:
                    raise ValueError("corrupt VBA compressed data")
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def modules(vba_bin: bytes, *, where: str = "vbaProject.bin") -> dict[str, str]:
    """The VBA modules of a ``vbaProject.bin``: module name → source code."""
    try:
        cfb = _Cfb(vba_bin)
        project = "vba/" if "vba/dir" in cfb.paths else next(
            p[:-3] for p in cfb.paths if p.endswith("/vba/dir"))
        records = decompress(cfb.read(project + "dir"))
        codepage = "cp1252"
        found: dict[str, str] = {}
        name = stream = None
        offset = 0
        pos = 0
        while pos + 6 <= len(records):
            rid, size = struct.unpack_from("<HI", records, pos)
            if rid == 0x0009:  # PROJECTVERSION: its size field does not count its 6 bytes
                size = 6
            body = records[pos + 6:pos + 6 + size]
            pos += 6 + size
            if rid == 0x0003:
                codepage = f"cp{struct.unpack_from('<H', body)[0]}"
            elif rid == 0x0019:
                name = body.decode(codepage, "replace")
            elif rid == 0x001A:
                stream = body.decode(codepage, "replace")
            elif rid == 0x0031:
                offset = struct.unpack_from("<I", body)[0]
            elif rid == 0x002B and name is not None:
                raw = cfb.read(project + (stream or name))
                found[name] = decompress(raw[offset:]).decode(codepage, "replace").replace("\r\n", "\n")
                name = stream = None
                offset = 0
        return found
    except (ValueError, KeyError, StopIteration, struct.error, IndexError, LookupError) as exc:
        raise WorkbookError(f"{where}: cannot read the VBA project ({exc})") from exc
