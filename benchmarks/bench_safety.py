"""Speed of refusing a hostile workbook file (ascent_xl.excel.safety), as a ratio against checking a
small genuine workbook in the same run. The unit tests (tests/excel/test_excel_safety.py) bound the
work a refusal does (bytes unpacked, openpyxl never reached) and assert no time; this is where the
time is measured.

Cases, each against the check of a 5-row genuine workbook (the baseline, about a millisecond):
- a zip bomb: 500 MiB of zeros packed into about 500 KB (refused from the zip directory);
- an entity bomb: a sheet with a "billion laughs" DTD (refused from the part's prolog);
- for context, what the refusal avoids: unpacking the bomb's sheet (500 MiB, once).
Target: a refusal costs about what the small file's check does (ratio under 3), thousands of times
less than unpacking the bomb.

Run: python benchmarks/bench_safety.py [--quick]
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from pathlib import Path

from harness import best_time, compare, quick, report
from openpyxl import Workbook

from ascent_xl.errors import WorkbookError
from ascent_xl.excel.safety import check_workbook_file

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10)
                     for k in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            b"</sheetData></worksheet>")


def genuine(path: Path) -> Path:
    wb = Workbook()
    for i in range(1, 6):
        wb.active.append([f"row {i}", i, f"=B{i}*2"])
    wb.save(path)
    return path


def zip_bomb(path: Path, mib: int) -> Path:
    """A well-formed zip whose sheet unpacks to ``mib`` MiB of zeros (one deflated MiB repeated)."""
    one = b"\0" * (1 << 20)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = block.compress(one) + block.flush(zlib.Z_FULL_FLUSH)
    stream = packed * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(one, crc)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    # append the raw member by hand: zipfile cannot write an already-deflated stream
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    central_at = int.from_bytes(data[end + 16:end + 20], "little")
    central = data[central_at:end]
    name = b"xl/worksheets/sheet1.xml"
    offset = central_at
    local = (b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little") + bytes(4)
             + crc.to_bytes(4, "little") + len(stream).to_bytes(4, "little")
             + (mib << 20).to_bytes(4, "little") + len(name).to_bytes(2, "little") + bytes(2) + name)
    entry = (b"PK\x01\x02" + (20).to_bytes(2, "little") + (20).to_bytes(2, "little") + bytes(2)
             + (8).to_bytes(2, "little") + bytes(4) + crc.to_bytes(4, "little")
             + len(stream).to_bytes(4, "little") + (mib << 20).to_bytes(4, "little")
             + len(name).to_bytes(2, "little") + bytes(12) + offset.to_bytes(4, "little") + name)
    count = int.from_bytes(data[end + 10:end + 12], "little") + 1
    body = bytes(data[:central_at]) + local + stream
    directory = bytes(central) + entry
    tail = (b"PK\x05\x06" + bytes(4) + count.to_bytes(2, "little") + count.to_bytes(2, "little")
            + len(directory).to_bytes(4, "little") + len(body).to_bytes(4, "little") + bytes(2))
    path.write_bytes(body + directory + tail)
    return path


def entity_bomb(src: Path, path: Path) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = LAUGHS if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info)
            zout.writestr(info.filename, data)
    return path


def refuse(path: Path) -> None:
    try:
        check_workbook_file(path)
    except WorkbookError:
        return
    raise AssertionError(f"{path} was not refused")


def main() -> None:
    mib = 50 if quick() else 500
    reps, number = (3, 5) if quick() else (7, 20)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good = genuine(folder / "good.xlsx")
        bomb = zip_bomb(folder / "bomb.xlsx", mib)
        laughs = entity_bomb(good, folder / "laughs.xlsx")
        check_workbook_file(good)
        rows = []
        for label, path in ((f"zip bomb ({mib} MiB unpacked)", bomb), ("entity bomb (billion laughs)", laughs)):
            base, refusal, ratio = compare(lambda: check_workbook_file(good), lambda p=path: refuse(p),
                                           number=number, repeat=reps)
            rows.append({"case": label, "genuine_check": base, "refusal": refusal, "ratio": ratio})

        def unpack() -> None:
            with zipfile.ZipFile(bomb) as zf, zf.open("xl/worksheets/sheet1.xml") as fh:
                while fh.read(1 << 24):
                    pass

        unpacked = best_time(unpack, repeat=1)
        rows.append({"case": f"context: unpacking the bomb's {mib} MiB", "genuine_check": rows[0]["genuine_check"],
                     "refusal": unpacked, "ratio": unpacked / rows[0]["genuine_check"]})
    report("refusing hostile workbook files: refusal / check of a 5-row genuine book", rows)


if __name__ == "__main__":
    main()
