"""Files only their owner can read: the data folder 0700, the history, settings and exports 0600.

The history holds health data (pain ratings, symptom answers), so nobody else on the machine
should be able to read it, whatever the umask. Everything here is umask-independent: a new
folder or file is given its mode with ``chmod`` after it is made, and a new file is never
readable by others, not even for a moment (it is created ``0600`` and written in place, or
written to a ``0600`` temporary file that is then renamed over the target).

A folder or file made by an older version, or by hand, that group or others may use is
tightened (the owner's own bits are kept, so a read-only file stays read-only) and one line is
logged naming it, its old and its new mode; the next time it is already private and nothing is
logged. A mode that cannot be changed is logged as a warning and otherwise ignored: the app
still works. A shared folder (sticky bit, like ``/tmp``) or another user's path is never
changed, only named in a warning.

On Windows (``os.name == "nt"``) the modes mean nothing and these functions only create and
write: the per-user data folder is already private there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from collections.abc import Iterable
from io import TextIOWrapper
from pathlib import Path
from typing import Final, cast

log = logging.getLogger(__name__)

#: The data folder: its owner may list, enter and change it; nobody else may do anything.
PRIVATE_DIR_MODE: Final = 0o700
#: The history, its journal files, backups, settings, the log and exports: owner read/write.
PRIVATE_FILE_MODE: Final = 0o600
#: The bits that give group or others any access; a private path has none of them.
_NOT_PRIVATE: Final = stat.S_IRWXG | stat.S_IRWXO

_POSIX: Final = os.name != "nt"


def ensure_private_dir(path: Path) -> Path:
    """Make sure the folder *path* exists and only its owner may use it; returns *path*.

    A missing folder is created (with missing parents, which get the usual modes) and given
    :data:`PRIVATE_DIR_MODE`; an existing one that group or others may use is tightened, with
    one log line. Raises ``OSError`` when the folder cannot be created.
    """
    if path.is_dir():
        _tighten(path)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise
        _tighten(path)  # made by someone else meanwhile
        return path
    if _POSIX:
        os.chmod(path, PRIVATE_DIR_MODE)  # the umask may have taken bits from the mkdir mode
    return path


def ensure_private_file(path: Path) -> bool:
    """Tighten the existing file *path* if group or others may use it, with one log line.

    Returns True when its mode was changed; a missing file is not an error (False).
    """
    return _tighten(path)


def ensure_private_files(paths: Iterable[Path]) -> list[Path]:
    """:func:`ensure_private_file` for each of *paths*; returns those that were tightened."""
    return [path for path in paths if _tighten(path)]


def create_private_file(path: Path) -> bool:
    """Create *path* empty with :data:`PRIVATE_FILE_MODE` if it does not exist.

    For a library that opens the file by name next and keeps the mode of what it finds
    (SQLite, which also gives its ``-wal``, ``-shm`` and ``-journal`` files the mode of the
    database). Returns True when the file was created; an existing file is left as it is.
    Raises ``OSError`` when it cannot be created.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    try:
        _make_fd_private(fd)
    finally:
        os.close(fd)
    return True


def prepare_private_file(path: Path) -> None:
    """Before a library opens *path* by name: create it ``0600`` if missing, else tighten it.

    Never raises: when the file cannot be created, the library's own open fails and says why
    in its own words.
    """
    if not _POSIX:
        return
    with contextlib.suppress(OSError):
        if not create_private_file(path):
            _tighten(path)


def private_opener(path: str | os.PathLike[str], flags: int) -> int:
    """An ``opener`` for :func:`open` that creates a missing file with :data:`PRIVATE_FILE_MODE`.

    ``open(path, "a", opener=private_opener)``: a file it creates is private from the first
    byte, whatever the umask. An existing file is opened as it is, its mode unchanged and
    nothing logged (this also serves the log file, which must not log while it opens); use
    :func:`ensure_private_file` for that.
    """
    if not _POSIX or not flags & os.O_CREAT:
        return os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        fd = os.open(path, flags | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        if flags & os.O_EXCL:  # mode "x": the caller asked for a new file
            raise
        return os.open(path, flags & ~os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        _make_fd_private(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path*, owner-only, so that a crash leaves either the old file or the new.

    The bytes go to a ``0600`` temporary file in the same folder, which is flushed to disk and
    renamed over *path*: the result is ``0600`` whatever the old file's mode or the umask, and
    no other user ever sees a partial or a readable file. The folder must exist.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            _make_fd_private(fh.fileno())
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class PrivateFileHandler(logging.FileHandler):
    """A :class:`logging.FileHandler` whose file, when it makes it, is ``0600`` from the start.

    The log names the person's routines and, in tracebacks, their data. An existing log file's
    mode is left to :func:`ensure_private_file`, called once the handler is in place.
    """

    def _open(self) -> TextIOWrapper:
        # The base class opens the same way, only without the opener; the mode is text ("a").
        return cast(TextIOWrapper, open(self.baseFilename, self.mode, encoding=self.encoding,
                                        errors=self.errors, opener=private_opener))


def _make_fd_private(fd: int) -> None:
    if _POSIX:
        os.fchmod(fd, PRIVATE_FILE_MODE)


def _tighten(path: Path) -> bool:
    """Take group and other bits off *path* if it has any, logging it; True if changed."""
    if not _POSIX:
        return False
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("could not check who may read %s: %s", path, exc)
        return False
    old = stat.S_IMODE(found.st_mode)
    if not old & _NOT_PRIVATE:
        return False
    # Never close a folder that is meant to be shared (--data-dir /tmp, even as root) or
    # someone else's: they are named in a warning instead, each time, and left as they are.
    if stat.S_ISDIR(found.st_mode) and old & stat.S_ISVTX:
        log.warning("%s is a shared folder (mode %04o): left as it is; keep your data in a "
                    "folder of your own", path, old)
        return False
    if found.st_uid != os.geteuid():
        log.warning("%s belongs to another user (mode %04o): left as it is", path, old)
        return False
    new = old & ~_NOT_PRIVATE
    try:
        os.chmod(path, new)
    except OSError as exc:
        log.warning("could not make %s private (mode %04o): %s", path, old, exc)
        return False
    log.info("made %s private: mode %04o -> %04o", path, old, new)
    return True
