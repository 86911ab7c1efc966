"""Safe file writing: write to a temporary file beside the target, flush it to disk, then rename
it into place, keeping the previous version as ``NAME.bak`` (itself written the same way). A
crash at any moment leaves the old file, and the old backup, intact.

- A lock file ``.NAME.lock`` beside the target (created with ``O_EXCL``, holding the writer's
  process id) makes a second writer of the same file refuse instead of interleaving; a lock left
  by a process that no longer runs is taken over.
- :func:`atomic_write` with ``expect`` (a :class:`FileStamp` taken when the file was read)
  refuses to replace a file that changed since: an edit saved meanwhile is never lost.
- A read-only target and an unwritable folder are refused with a message, a symlink is written
  through to its target, and temporary files left by a killed writer are removed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ascent_xl.errors import AscentError

_CHUNK = 1024 * 1024
_TMP_RANDOM = r"[a-z0-9_]{8}"  # the random part of tempfile.mkstemp's names


class FileBusyError(AscentError):
    """Another process is writing the file (its lock file is beside it)."""


class FileChangedError(AscentError):
    """The file changed on disk after it was read: replacing it would lose that edit."""


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of ``path`` is kept: ``NAME.EXT.bak`` beside the file (beside
    the symlink's target for a symlink)."""
    p = real_path(path)
    return p.with_name(p.name + ".bak")


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file a writer of ``path`` holds: ``.NAME.EXT.lock`` beside it."""
    p = real_path(path)
    return p.with_name(f".{p.name}.lock")


def real_path(path: str | os.PathLike[str]) -> Path:
    """``path`` with symlinks resolved (a symlinked book is written through to its target)."""
    return Path(os.path.realpath(path))


@dataclass(frozen=True)
class FileStamp:
    """Size, modification time and SHA-256 of a file's content at one moment."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileStamp | None:
        """The stamp of ``path`` now, or ``None`` when there is no such file."""
        p = Path(path)
        try:
            st = p.stat()
            digest = hashlib.sha256()
            with open(p, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise AscentError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
        return cls(st.st_size, st.st_mtime_ns, digest.hexdigest())


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill would end the process there; assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_lock(lock: Path) -> tuple[int, str] | None:
    try:
        pid_text, _, host = lock.read_text(encoding="utf-8").partition(" ")
        return int(pid_text), host.strip()
    except (OSError, ValueError):
        return None


@contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the lock of ``path`` (``.NAME.lock`` beside it) for the ``with`` block; a
    :class:`FileBusyError` if another running process holds it. Removes temporary files a killed
    writer of ``path`` left behind. Yields the resolved ``path``."""
    target = real_path(path)
    lock = lock_path(target)
    _check_folder(target)
    me = f"{os.getpid()} {socket.gethostname()}"
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _read_lock(lock)
            if owner is not None and owner[1] == socket.gethostname() and not _pid_alive(owner[0]):
                lock.unlink(missing_ok=True)  # its writer was killed: take the lock over
                continue
            who = f"process {owner[0]} on {owner[1]}" if owner else "another process"
            raise FileBusyError(
                f"{target.name} is being written by {who} (lock file {lock.name} beside it); "
                f"wait for it to finish and try again (if nothing runs, delete {lock.name})") from None
        except OSError as exc:
            raise _folder_error(target, exc) from exc
        break
    else:  # pragma: no cover - the stale lock came back between two attempts
        raise FileBusyError(f"{target.name}: lock file {lock.name} keeps coming back; try again")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(me)
        remove_orphans(target)
        yield target
    finally:
        if _read_lock(lock) == (os.getpid(), socket.gethostname()):
            lock.unlink(missing_ok=True)


def remove_orphans(path: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files (``.NAME.XXXXXXXX.tmp``, ``.NAME.bak.XXXXXXXX.tmp``) a killed
    writer of ``path`` left beside it; returns them. Call only while holding its lock."""
    target = real_path(path)
    pattern = re.compile(rf"^\.{re.escape(target.name)}(?:\.bak)?\.{_TMP_RANDOM}\.tmp$")
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if pattern.match(name):
            orphan = target.parent / name
            try:
                orphan.unlink()
                removed.append(orphan)
            except OSError:
                pass
    return removed


def _check_folder(target: Path) -> None:
    folder = target.parent
    if not folder.exists():
        raise AscentError(f"folder {folder} does not exist; create it or choose another path")
    if not folder.is_dir():
        raise AscentError(f"{folder} is not a folder; choose another path")


def _folder_error(target: Path, exc: OSError) -> AscentError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return AscentError(f"cannot write in the folder {target.parent} (permission denied); "
                           "choose a folder you can write to (--out) or ask for write access")
    return AscentError(f"cannot write in the folder {target.parent} ({exc.strerror or exc}); "
                       "choose another folder")


def check_writable(path: str | os.PathLike[str]) -> None:
    """Refuse a file that exists and may not be written (read-only: marked so, even for an
    administrator who could write it), and a folder where no file can be created; the message
    says what to do."""
    target = real_path(path)
    _check_folder(target)
    if target.exists() and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222):
        raise AscentError(
            f"{target}: the file is read-only; make it writable (file Properties, or chmod u+w) "
            "or write the result elsewhere with --out")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise _folder_error(target, PermissionError(errno.EACCES, "permission denied"))


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _new_mode(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)  # mkstemp makes 0600; a new file gets the usual permissions
    os.umask(umask)
    return 0o666 & ~umask


def copy_into(source: Path, dest: Path) -> str:
    """Copy ``source``'s bytes to ``dest`` chunk by chunk; returns their SHA-256."""
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(dest, "wb") as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _replace(target: Path, write: Callable[[Path], object], *, mode: int,
             before_rename: Callable[[], None] | None = None) -> None:
    """Write a temporary file with ``write``, fsync it, call ``before_rename`` (which may
    refuse), rename it over ``target`` and fsync the folder; the temporary file goes on any
    error."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _folder_error(target, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, mode)
        _fsync_file(tmp)
        if before_rename is not None:
            before_rename()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], object], *, backup: bool = True,
                 expect: FileStamp | None = None, locked: bool = False) -> Path:
    """Call ``write(tmp)`` to produce the new file at a temporary path in the same folder, then
    rename it over ``path`` (through a symlink, onto its target). With ``backup``, the file being
    replaced is kept as ``NAME.EXT.bak``, written atomically too, once the new file is complete.
    With ``expect``, refuse (:class:`FileChangedError`) when ``path`` is no longer the file
    stamped then, checked just before the rename. The lock of ``path`` is held unless the caller
    holds it (``locked``). Returns ``path``. Errors leave ``path`` and its backup as they were."""
    if not locked:
        with file_lock(path):
            return atomic_write(path, write, backup=backup, expect=expect, locked=True)
    target = real_path(path)
    check_writable(target)

    def changed() -> FileChangedError:
        return FileChangedError(
            f"{target.name} changed on disk while it was being written (saved in Excel?); "
            "nothing was written and your edit is kept: run the command again")

    def keep_previous() -> None:
        if expect is not None and FileStamp.of(target) != expect:
            raise changed()
        if backup and target.exists():
            def copy(tmp: Path) -> None:
                digest = copy_into(target, tmp)
                if expect is not None and digest != expect.sha256:
                    raise changed()
            _replace(backup_path(target), copy, mode=_new_mode(target))
        if expect is not None and FileStamp.of(target) != expect:
            raise changed()

    _replace(target, write, mode=_new_mode(target), before_rename=keep_previous)
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, backup: bool = True) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), backup=backup)
