"""Render a workbook to PNG images without Excel (``ascent-xl template render``): LibreOffice
headless prints it to PDF, then ``pdftoppm`` (poppler-utils) turns the pages into PNGs. For
previews, screenshots in documentation and visual checks of templates; LibreOffice's rendering
is close to, not identical to, Excel's.

Each LibreOffice run uses a private, throw-away profile whose settings force recalculation on
load (``OOXMLRecalcMode`` and ``ODFRecalcMode`` = 0, "always"; without it LibreOffice keeps the
cached values stored in the file), so runs do not share state and may run in parallel. The
``ASCENT_*`` UDFs do not exist in LibreOffice: in the copy rendered, their formulas are replaced by
the values the book stores (a refreshed book stores every formula's value), so they show as
Excel shows them. The tests' LibreOffice recalculation (tests/helpers/recalc.py) runs
through :func:`converted` too.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import _package as pkg

SOFFICE_ENV = "ASCENT_XL_SOFFICE"
"""Environment variable that may hold the full path of the ``soffice`` program."""

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-calc-nogui) or set "
                f"{SOFFICE_ENV} to the path of soffice")

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


PDFTOPPM_HINT = "install poppler-utils (Debian/Ubuntu: apt-get install poppler-utils)"
_SINGLE_PAGE_SHEETS = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def find_pdftoppm() -> Path:
    """The path of poppler's ``pdftoppm``; :class:`WorkbookError` saying how to install it."""
    found = shutil.which("pdftoppm")
    if not found:
        raise WorkbookError(f"pdftoppm not found; {PDFTOPPM_HINT}")
    return Path(found)


def render_png(path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
               sheets: Sequence[str] | None = None, dpi: int = 110,
               one_page_per_sheet: bool = False, timeout: float = 120) -> list[Path]:
    """Render the workbook at ``path`` to PNG files in ``out_dir`` (created if missing) and
    return their paths in order. By default the sheets are paginated as LibreOffice prints them
    (hidden sheets left out) and the pages are written as ``NAME-01.png``, ``NAME-02.png``...;
    ``sheets`` restricts the output to those sheets (the others are hidden in a temporary copy).
    With ``one_page_per_sheet``, each sheet is drawn whole on one page and written as
    ``NAME-<sheet>.png``; then ``sheets`` picks the sheets to write (default: the visible ones).
    ``dpi`` sets the resolution. The input file is not touched; existing PNGs of the same names
    are replaced. Raises :class:`WorkbookError` if LibreOffice or pdftoppm is missing or fails,
    or a sheet does not exist."""
    from ascent_xl.excel.safety import check_workbook_file

    src = Path(path)
    check_workbook_file(src)
    if dpi < 10 or dpi > 1200:
        raise WorkbookError(f"dpi {dpi} is out of range; use 10 to 1200 (110 is screen size)")
    with zipfile.ZipFile(src) as zf:
        book_sheets = pkg.sheets(zf, src)
    titles = [s.title for s in book_sheets]
    for title in sheets or ():
        if title not in titles:
            raise WorkbookError(f"{src}: no sheet named {title!r}; the sheets are "
                                f"{', '.join(repr(t) for t in titles)}")
    pdftoppm = find_pdftoppm()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ascent-render-") as tmp_name:
        tmp = Path(tmp_name)
        book = tmp / f"book{src.suffix.lower()}"
        shutil.copyfile(src, book)
        if sheets and not one_page_per_sheet:
            _show_only(book, list(sheets))
        convert_to = _SINGLE_PAGE_SHEETS if one_page_per_sheet else "pdf"
        _udf_values(book)
        with converted(book, convert_to, timeout=timeout, label=src) as pdf:
            pages = tmp / "pages"
            pages.mkdir()
            _run([str(pdftoppm), "-png", "-r", str(dpi), str(pdf), str(pages / "page")],
                 src=src, timeout=timeout, tool="pdftoppm")
        images = sorted(pages.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not images:
            raise WorkbookError(f"{src}: LibreOffice printed no page (are the sheets empty?)")
        if not one_page_per_sheet:
            width = max(2, len(str(len(images))))
            return [_move(image, folder / f"{src.stem}-{i:0{width}d}.png")
                    for i, image in enumerate(images, 1)]
        if len(images) != len(titles):
            raise WorkbookError(f"{src}: LibreOffice printed {len(images)} pages for {len(titles)} "
                                "sheets; render without one_page_per_sheet")
        chosen = list(sheets) if sheets else [s.title for s in book_sheets if s.state == "visible"]
        return [_move(images[titles.index(title)], folder / f"{src.stem}-{_slug(title)}.png")
                for title in chosen]


_UDF_FORMULA = re.compile(rb"<f(?:\s[^>]*)?>[^<]*ASCENT_[^<]*</f>")


def _udf_values(book: Path) -> None:
    """In the copy ``book``, replace each formula that calls an ``ASCENT_*`` function by the
    value the book stores for it (LibreOffice would show ``#NAME?``)."""
    with zipfile.ZipFile(book) as zf:
        parts = {s.part: zf.read(s.part) for s in pkg.sheets(zf, book)}
    changed = {part: _UDF_FORMULA.sub(b"", xml) for part, xml in parts.items()}
    changed = {part: xml for part, xml in changed.items() if xml != parts[part]}
    if changed:
        pkg.rewrite_zip(book, changed)


def _move(image: Path, target: Path) -> Path:
    try:
        os.replace(image, target)
    except OSError:  # another file system
        shutil.copyfile(image, target)
    return target


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", title).strip("_") or "sheet"


def _show_only(book: Path, keep: list[str]) -> None:
    """Hide every sheet of ``book`` but ``keep`` (by editing xl/workbook.xml in place) and make
    the first kept sheet the active one."""
    with zipfile.ZipFile(book) as zf:
        part = pkg.workbook_part(zf)
        xml = zf.read(part)
    tree = pkg.outline(xml, f"{book}: {part}", expand=("sheets", "bookViews"))
    edits: list[tuple[int, str, dict[str, str]]] = []
    order = []
    for child in tree.children:
        if child.local == "sheets":
            for qname, attrs, start in child.children:
                new = {k: v for k, v in attrs.items() if k != "state"}
                if attrs.get("name") not in keep:
                    new["state"] = "hidden"
                order.append(attrs.get("name"))
                edits.append((start, qname, new))
    first = min(order.index(title) for title in keep)
    for child in tree.children:
        if child.local == "bookViews":
            for qname, attrs, start in child.children:
                edits.append((start, qname, {**attrs, "activeTab": str(first), "firstSheet": str(first)}))
    for start, qname, attrs in sorted(edits, key=lambda e: e[0], reverse=True):
        xml = pkg.rewrite_start_tag(xml, start, qname, attrs)
    # LibreOffice prints a hidden sheet's print area: drop those of the hidden sheets (a copy)
    hidden = {str(i) for i, name in enumerate(order) if name not in keep}
    xml = re.sub(rb'<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
                 lambda m: b"" if m.group(1).decode() in hidden else m.group(0), xml)
    pkg.rewrite_zip(book, {part: xml})


@contextlib.contextmanager
def converted(src: Path, convert_to: str, *, timeout: float,
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
