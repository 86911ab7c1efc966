"""ascent_xl.excel.safety: hostile or broken workbook files are refused, with a clear message,
having read little of them: no zip member unpacked past its prolog (a bomb's payload never
unpacked), openpyxl never reached. No time is asserted here (a loaded machine makes a time limit
flaky); the refusal's speed against a normal file's check is benchmarks/bench_safety.py."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import safety
from ascent_xl.excel.safety import PROLOG_CAP, check_workbook_file, open_workbook
from tests.helpers.work import counting_unzip

CHUNK = 16 * 1024  # safety reads a part's prolog in chunks of this size, up to PROLOG_CAP


def good_workbook(path: Path, rows: int = 5) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for i in range(1, rows + 1):
        ws.append([f"row {i}", i, f"=B{i}*2"])
    wb.save(path)
    return path


def replace_member(src: Path, dst: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == name else zin.read(info))
    return dst


def refused(path: Path, *, unpacked_at_most: int | None = None, **kwargs) -> str:
    """The refusal's message; the check read at most ``unpacked_at_most`` unpacked bytes (by
    default a prolog's worth, PROLOG_CAP plus one chunk, for each part it read)."""
    with counting_unzip() as read, pytest.raises(WorkbookError) as err:
        check_workbook_file(path, **kwargs)
    for member, n in read.by_member.items():
        assert n <= PROLOG_CAP + CHUNK, f"{member}: {n:,} bytes unpacked, more than its prolog"
    if unpacked_at_most is not None:
        assert read.total <= unpacked_at_most, f"{read.total:,} bytes unpacked"
    assert str(path) in str(err.value)
    return str(err.value)


def never_opened_by_openpyxl(monkeypatch) -> None:
    import openpyxl

    def load_workbook(*_args, **_kwargs):
        raise AssertionError("openpyxl.load_workbook reached for a file the check must refuse")

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>
"""


def write_raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of already-deflated members (name, raw deflate stream, crc32, unpacked size)."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                           len(encoded), 0) + encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                               len(data), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(out), 0)
    path.write_bytes(bytes(out + central + end))


def deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A well-formed xlsx-shaped zip whose sheet is 500 MiB of zeros packed into about 500 KB,
    built from one deflated MiB repeated (a full flush makes the blocks independent)."""
    mib = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    stream = block * 500 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(500):
        crc = zlib.crc32(mib, crc)
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    write_raw_zip(path, [
        ("[Content_Types].xml", *deflated(b'<?xml version="1.0"?><Types/>')),
        ("xl/workbook.xml", *deflated(b'<?xml version="1.0"?><workbook/>')),
        ("xl/worksheets/sheet1.xml", stream, crc, 500 << 20),
    ])
    return path


def test_a_normal_workbook_passes_and_opens(tmp_path):
    path = good_workbook(tmp_path / "ok.xlsx")
    check_workbook_file(path)
    check_workbook_file(path, for_writing=True)
    wb = open_workbook(path)
    assert wb["Data"]["B3"].value == 3


def test_the_zip_bomb_is_a_real_zip(zip_bomb):
    with zipfile.ZipFile(zip_bomb) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == 500 << 20
        with zf.open(info) as fh:
            assert fh.read(1 << 16) == b"\0" * (1 << 16)
    assert zip_bomb.stat().st_size < 600_000


def test_zip_bomb_is_refused(zip_bomb):
    message = refused(zip_bomb, unpacked_at_most=0)  # from the zip directory alone
    assert re.search(r"refused: unpacks to 500 MB from \d{3} KB \(possible zip bomb", message), message


def test_zip_bomb_refused_by_open_workbook_before_openpyxl_reads_it(zip_bomb, monkeypatch):
    never_opened_by_openpyxl(monkeypatch)
    with counting_unzip() as read, pytest.raises(WorkbookError, match="possible zip bomb"):
        open_workbook(zip_bomb)
    assert read.total == 0


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory) -> Path:
    """A genuine workbook that unpacks to more than 1 MiB."""
    return good_workbook(tmp_path_factory.mktemp("big") / "big.xlsx", rows=15000)


def test_total_unpacked_size_limit(big_workbook):
    path = big_workbook
    check_workbook_file(path)
    message = refused(path, max_unpacked=1 << 20, unpacked_at_most=0)
    assert "refused: unpacks to" in message and "possible zip bomb" in message and "limit 1.0 MB" in message


def test_compression_ratio_limit(big_workbook):
    message = refused(big_workbook, max_ratio=3, unpacked_at_most=0)
    assert "possible zip bomb" in message


def test_entity_bomb_in_a_sheet_is_refused(tmp_path, monkeypatch):
    good = good_workbook(tmp_path / "good.xlsx")
    bomb = replace_member(good, tmp_path / "laughs.xlsx", "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    with zipfile.ZipFile(bomb) as zf:
        whole = sum(i.file_size for i in zf.infolist())
    # every byte the check reads is the file's own, never an expansion (&lol9; is 3e9 bytes)
    message = refused(bomb, unpacked_at_most=whole)
    assert "refused: XML entity declarations in xl/worksheets/sheet1.xml" in message
    never_opened_by_openpyxl(monkeypatch)
    with counting_unzip() as read, pytest.raises(WorkbookError, match="entity declarations"):
        open_workbook(bomb)
    assert read.total <= whole


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_any_dtd_is_refused(tmp_path, part):
    good = good_workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as zf:
        original = zf.read(part)
    body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
    hostile = b'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://example.com/x.dtd">' + body
    path = replace_member(good, tmp_path / "dtd.xlsx", part, hostile)
    assert f"XML entity declarations in {part}" in refused(path)


def test_a_dtd_hidden_behind_a_long_prolog_is_refused(tmp_path):
    good = good_workbook(tmp_path / "good.xlsx")
    padded = b'<?xml version="1.0"?>' + b"<!-- pad -->" * 20000 + BILLION_LAUGHS.split(b"?>", 1)[1]
    path = replace_member(good, tmp_path / "padded.xlsx", "xl/worksheets/sheet1.xml", padded)
    message = refused(path)
    assert "xl/worksheets/sheet1.xml" in message and "refused" in message


def test_truncated_file(tmp_path):
    data = good_workbook(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "not an Excel .xlsx/.xlsm file, or corrupt" in refused(path)


def test_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("date,amount\n2022-12-19,1000\n")
    assert "not an Excel .xlsx/.xlsm file, or corrupt" in refused(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "not an Excel .xlsx/.xlsm file, or corrupt" in refused(path)


def test_old_xls_or_password_protected(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "password-protected" in refused(path)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    assert "no xl/workbook.xml inside" in refused(path)


def test_missing_file(tmp_path):
    assert "file not found" in refused(tmp_path / "nowhere.xlsx")


def test_a_folder(tmp_path):
    folder = tmp_path / "deal.xlsx"
    folder.mkdir()
    assert "not a file" in refused(folder)


def test_locked_by_excel(tmp_path):
    path = good_workbook(tmp_path / "deal.xlsx")
    owner = tmp_path / "~$deal.xlsx"
    owner.write_bytes(b"\x05user")
    message = refused(path)
    assert "close it in Excel first" in message and "~$deal.xlsx" in message
    owner.unlink()
    check_workbook_file(path)


def test_locked_by_libreoffice(tmp_path):
    path = good_workbook(tmp_path / "deal.xlsx")
    (tmp_path / ".~lock.deal.xlsx#").write_text("user,host")
    assert "open in LibreOffice" in refused(path)


def test_cannot_be_opened(tmp_path, monkeypatch):
    path = good_workbook(tmp_path / "deal.xlsx")

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safety, "open", denied, raising=False)
    message = refused(path, for_writing=True)
    assert "cannot be read and written" in message and "close it in Excel first" in message


def test_open_workbook_turns_openpyxl_errors_into_workbook_errors(tmp_path):
    good = good_workbook(tmp_path / "good.xlsx")
    broken = replace_member(good, tmp_path / "broken.xlsx", "xl/worksheets/sheet1.xml",
                            b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1">')
    with pytest.raises(WorkbookError, match="broken.xlsx") as err:
        open_workbook(broken)
    assert "save it again" in str(err.value)


def test_open_workbook_reads_by_content_not_by_name(tmp_path):
    # e.g. atomic_write's temporary file NAME.xlsx.XXXX.tmp
    path = good_workbook(tmp_path / "deal.xlsx").rename(tmp_path / ".deal.xlsx.1234.tmp")
    assert open_workbook(path)["Data"]["B2"].value == 2
    csv = tmp_path / "deal.csv"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(WorkbookError, match="not an Excel .xlsx/.xlsm file"):
        open_workbook(csv)


def test_open_workbook_passes_options(tmp_path):
    path = good_workbook(tmp_path / "deal.xlsx")
    wb = open_workbook(path, read_only=True)
    try:
        assert next(wb["Data"].iter_rows(min_row=1, max_row=1, values_only=True))[0] == "row 1"
    finally:
        wb.close()
