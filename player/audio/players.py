"""Starting the player playsound3 would use, cheaply: ``os.posix_spawn`` (or, where there is
none, ``subprocess.Popen`` without ``preexec_fn``), no Python in the child.

playsound3 starts its players with a ``preexec_fn`` (to have Linux end them with the thread
that started them), which makes CPython fork the whole app and run Python in the child before
the player is exec'd: 7 ms typically and up to 40 ms for the app's 90 MB process, late for a
metronome. ``posix_spawn`` (glibc: ``vfork``, then exec) starts the player in one call, and so
does ``Popen`` without ``preexec_fn`` where there is no ``posix_spawn``. playsound3 still chooses the backend (its probe of what is installed, ``PLAYSOUND3_BACKEND``);
this module only knows the command line of each backend that is a separate program, and
leaves the others (Windows, macOS AppKit) to playsound3 itself. The output stops its players
when it is closed, so nothing is lost without the death signal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class Process(Protocol):
    """What the output needs of a started player (``subprocess.Popen`` has it)."""

    def poll(self) -> int | None:
        """The exit status, None while running."""
        ...

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit status."""
        ...

    def terminate(self) -> None:
        """Ask the player to stop."""
        ...

    def kill(self) -> None:
        """Stop the player at once."""
        ...


class ClipRefused(ValueError):
    """This player cannot play this kind of file (e.g. ``aplay`` and an ``.ogg`` clip)."""


class PlayerMissing(OSError):
    """The player program is not installed (any more)."""


#: backend -> (program, arguments before the file, the suffixes it plays; None: any).
_COMMANDS: dict[str, tuple[str, tuple[str, ...], frozenset[str] | None]] = {
    "alsa": ("aplay", ("--quiet",), frozenset({".wav"})),
    "gstreamer": ("gst-play-1.0", ("--no-interactive", "--quiet"), None),
    "ffplay": ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet"), None),
    "afplay": ("afplay", (), None),
}

REFUSED = "the {backend} player cannot play {suffix} files; convert the clip to WAV"
MISSING = "the sound player {program} is not installed"


@dataclass(frozen=True)
class Player:
    """Starts one backend's player for a file; ``start(path)`` returns the running process.

    ``command`` is the program and the arguments before the file when the backend is a
    separate program (which the cue process can start itself), None when playsound3 plays
    (Windows, macOS); ``suffixes`` the kinds of file it plays (None: any).
    """

    backend: str
    start: Callable[[Path], Process]
    command: tuple[str, ...] | None = None
    suffixes: frozenset[str] | None = None

    def refusal(self, path: Path) -> str | None:
        """Why this player cannot play ``path``'s kind of file, None when it can."""
        suffix = path.suffix.lower()
        if self.suffixes is None or suffix in self.suffixes:
            return None
        program = Path(self.command[0]).name if self.command else self.backend
        return REFUSED.format(backend=program, suffix=suffix or "such")


def player_for(backend: str, playsound3: Any,
               which: Callable[[str], str | None] = shutil.which) -> Player:
    """The way to play through ``backend``: its program started directly when it is one this
    module knows, else ``playsound3.playsound`` itself. :class:`PlayerMissing` when the
    program is not installed."""
    known = _COMMANDS.get(backend.lower())
    if known is None:
        return Player(backend, lambda path: _Playsound3Process(playsound3, path, backend))
    program, arguments, suffixes = known
    executable = which(program)
    if executable is None:
        raise PlayerMissing(MISSING.format(program=program))
    command = (executable, *arguments)

    def start(path: Path) -> Process:
        refused = player.refusal(path)
        if refused is not None:
            raise ClipRefused(refused)
        try:
            if _CAN_SPAWN:
                return _Spawned.start([*command, str(path)])
            return subprocess.Popen(
                [*command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, close_fds=True)
        except FileNotFoundError:
            raise PlayerMissing(MISSING.format(program=program)) from None

    player = Player(backend, start, command, suffixes)
    return player


_CAN_SPAWN = hasattr(os, "posix_spawn") and hasattr(os, "waitpid")
#: The player's standard input and outputs all go to /dev/null.
_DEVNULL_ACTIONS = [
    (os.POSIX_SPAWN_OPEN, fd, os.devnull, flags, 0)
    for fd, flags in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY))
] if _CAN_SPAWN else []


class _Spawned:
    """A player started with one ``os.posix_spawn`` call (glibc: ``vfork`` and exec, no
    Python in the child, and the caller's thread inside the interpreter only once), reaped
    with ``waitpid``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    @classmethod
    def start(cls, argv: list[str]) -> _Spawned:
        """Start ``argv`` (its first item an absolute path)."""
        return cls(os.posix_spawn(argv[0], argv, os.environ, file_actions=_DEVNULL_ACTIONS))

    def poll(self) -> int | None:
        """The exit status (negative: the signal that ended it), None while running."""
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit status; ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
        if timeout is None:
            while self.returncode is None:
                self._reap(0)
            return self.returncode
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.005)
        assert self.returncode is not None
        return self.returncode

    def terminate(self) -> None:
        """Ask the player to stop (SIGTERM)."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """Stop the player at once (SIGKILL)."""
        self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, number)

    def _reap(self, flags: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:  # reaped elsewhere: its status is lost
            self.returncode = 0
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)


class _Playsound3Process:
    """A sound played by playsound3 itself, seen as a process."""

    def __init__(self, playsound3: Any, path: Path, backend: str) -> None:
        self._sound = playsound3.playsound(path, block=False, backend=backend)

    def poll(self) -> int | None:
        """The player's exit status, None while it plays."""
        status: int | None = self._sound.subprocess.poll()
        return status

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the player (playsound3's own players take no timeout)."""
        process = self._sound.subprocess
        if isinstance(process, subprocess.Popen):
            return process.wait(timeout)
        status: int = process.wait()
        return status

    def terminate(self) -> None:
        """Stop the sound."""
        self._sound.stop()

    def kill(self) -> None:
        """Stop the sound at once where the player is a process."""
        process = self._sound.subprocess
        if isinstance(process, subprocess.Popen):
            process.kill()
        else:
            self._sound.stop()
