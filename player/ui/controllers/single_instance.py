"""One window per data folder: a second one says so and brings the first forward.

Two windows on one history would each take the other's session in play for one cut short,
offer to resume it and write its steps twice. So the window that opens first holds a lock
file in the data folder (:data:`LOCK_FILE_NAME`, Qt's :class:`QLockFile`: the owner's pid,
host and program name). A second window finds it held by a live process and closes without
opening the history (:func:`claim_or_hand_over`), after offering to bring the first window
forward: it writes a line to :data:`REQUEST_FILE_NAME`, which the first one watches. A lock
whose owner is no longer running (the app was killed) is stale and taken over, even when its
pid has since been given to another program (:func:`_remove_if_unheld`).

Only the window takes the lock: the commands that read the history (``report``, ``history
export``) open it read-only and work while the window is open. Nothing here needs a network
module: the lock and the file watcher are QtCore.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from player import private_files

log = logging.getLogger(__name__)

#: Held by the window that is open on the data folder.
LOCK_FILE_NAME = "routine-player.lock"
#: A second window appends :data:`RAISE_REQUEST` here to ask the first to come forward.
REQUEST_FILE_NAME = "routine-player.raise"
RAISE_REQUEST = b"raise\n"


class InstanceGuard(QObject):
    """Held by the window open on the data folder: its lock, and the watch for requests to
    come forward (:attr:`raise_requested`). :meth:`release` when the window closes."""

    raise_requested = Signal()

    def __init__(self, lock: QLockFile | None, request_file: Path | None) -> None:
        super().__init__()
        self._lock = lock
        self._request_file = request_file
        self._watcher: QFileSystemWatcher | None = None
        if request_file is not None:
            self._watcher = QFileSystemWatcher([str(request_file)], self)
            self._watcher.fileChanged.connect(self._on_request_file_changed)

    @property
    def locked(self) -> bool:
        """False when the folder could not take a lock (the app runs anyway)."""
        return self._lock is not None and self._lock.isLocked()

    def release(self) -> None:
        """Remove the lock (another window may open on the folder from now on)."""
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
        if self._request_file is not None:
            with contextlib.suppress(OSError):
                self._request_file.unlink()
            self._request_file = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _on_request_file_changed(self, _path: str) -> None:
        file = self._request_file
        if file is None or self._watcher is None:
            return
        try:
            asked = file.stat().st_size > 0
            if asked:
                os.truncate(file, 0)  # its own change is seen again, with nothing in it
        except OSError as exc:
            log.warning("cannot read %s: %s", file, exc)
            return
        if str(file) not in self._watcher.files():  # replaced or removed: watch it again
            with contextlib.suppress(OSError):
                private_files.create_private_file(file)
            self._watcher.addPath(str(file))
        if asked:
            self.raise_requested.emit()


@dataclass(frozen=True)
class OtherInstance:
    """The live window that holds the data folder's lock."""

    pid: int
    request_file: Path

    def bring_forward(self) -> str | None:
        """Ask that window to come forward; None when asked, else why it could not be."""
        try:
            fd = os.open(self.request_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, RAISE_REQUEST)
            finally:
                os.close(fd)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None


def claim(data_dir: Path) -> InstanceGuard | OtherInstance:
    """Take the data folder's lock, or name the live window that holds it.

    A stale lock (its process is gone) is taken over. When the folder cannot hold a lock
    (it cannot be created or written), the app runs without one: the history will say what
    is wrong with the folder.
    """
    lock_path = data_dir / LOCK_FILE_NAME
    request_file = data_dir / REQUEST_FILE_NAME
    try:
        private_files.ensure_private_dir(data_dir)
    except OSError as exc:
        log.warning("cannot create %s: %s", data_dir, exc)
        return InstanceGuard(None, None)
    lock = QLockFile(str(lock_path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran
    taken = lock.tryLock(0)
    if not taken and lock.error() == QLockFile.LockError.LockFailedError \
            and _remove_if_unheld(lock_path):
        taken = lock.tryLock(0)
    if taken:
        private_files.ensure_private_files([lock_path])
        try:
            private_files.create_private_file(request_file)
            if request_file.stat().st_size:
                os.truncate(request_file, 0)  # an old request is not for this window
        except OSError as exc:
            log.warning("cannot create %s: %s", request_file, exc)
            return InstanceGuard(lock, None)
        return InstanceGuard(lock, request_file)
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()
        pid = int(info[0]) if info else 0
        return OtherInstance(pid, request_file)
    log.warning("cannot take the lock %s (%s); running without it", lock_path, lock.error())
    return InstanceGuard(None, None)


def _remove_if_unheld(lock_path: Path) -> bool:
    """Remove a lock file whose owner is gone although its pid is alive; True if removed.

    Qt judges a lock by its pid (and program name), so a lock left by a killed window whose
    pid now belongs to another program of the same name (another Python, say) would look
    held for ever. But the owner also holds an ``flock`` on the file for as long as it runs,
    which the system drops when it dies: if that lock can be taken, nobody holds the file.
    POSIX only; where ``flock`` does not work the pid decides.
    """
    if sys.platform == "win32":
        return False
    import fcntl

    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino != os.stat(lock_path).st_ino:
            return False  # replaced meanwhile: by a window that holds it now
        os.unlink(lock_path)
    except OSError:
        return False
    finally:
        os.close(fd)
    log.info("removed %s, left by a window that is no longer running", lock_path)
    return True


Ask = Callable[[QWidget | None, Path, int], bool]


def claim_or_hand_over(data_dir: Path, ask: Ask | None = None) -> InstanceGuard | None:
    """The lock for this window, or None when another window is open on *data_dir*.

    Then the person is told "Routine Player is already open" and asked (*ask*, by default
    :meth:`AlreadyOpenDialog.ask`) whether to bring that window forward; this window must
    close without opening the history, whose session in play belongs to the other.
    """
    found = claim(data_dir)
    if isinstance(found, InstanceGuard):
        return found
    from player.ui.dialogs.already_open import AlreadyOpenDialog  # only with another window

    ask = ask or AlreadyOpenDialog.ask
    if ask(None, data_dir, found.pid):
        why = found.bring_forward()
        if why is not None:
            AlreadyOpenDialog.show_unreachable(None, why)
    return None


def bring_to_front(window: QWidget) -> None:
    """Show *window* un-minimised, raised and active (as far as the desktop allows)."""
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
