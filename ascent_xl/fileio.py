"""Safe file writing: write to a temporary file beside the target, then rename it into place,
keeping the previous version as ``NAME.bak``. A crash mid-write leaves the old file intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ascent_xl.errors import AscentError


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of ``path`` is kept: ``NAME.EXT.bak``."""
    p = Path(path)
    return p.with_name(p.name + ".bak")


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], object], *, backup: bool = True) -> Path:
    """Call ``write(tmp)`` to produce the new file at a temporary path in the same folder, then
    rename it over ``path``. With ``backup``, an existing ``path`` is first copied to
    ``NAME.EXT.bak``. Returns ``path``. Errors leave ``path`` as it was."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise AscentError(f"folder {folder} does not exist; create it or choose another path")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        if backup and target.exists():
            shutil.copy2(target, backup_path(target))
        if target.exists():
            shutil.copymode(target, tmp)
        else:  # mkstemp makes 0600; a new file gets the usual permissions
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, *, backup: bool = True) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), backup=backup)
