"""The routine library checked in a child process, started before the window is built.

The window lists every routine file by its title line first, then checks each one (loads and
validates it, works out its length). Done in the app, that check holds Python's interpreter lock
while the window is finished (the care banner decided, the history opened), and it imports the
YAML parser and the validator first. :func:`start` runs it instead in a child Python process,
``python -m player.library_check DATA_DIR``, started by ``player.app.main`` before Qt is
imported: it uses the second core while the app imports Qt and paints its first frame, and its
results are there when the window asks for them (:meth:`EarlyCheck.results`).

The child checks the files that :func:`player.routine_files.routine_candidates` finds (recent
files, the person's routines folder, the bundled routines) and prints one JSON document with
each file's size, modification time and what the library lists of it (title, length, number of
errors), and, for a routine that loads, what tells whether a stored session played it (its content
hash, title, version and care thresholds: :class:`player.core.played.CheckedRoutine`), so the care
banner can judge an old history with its routine's thresholds without parsing the files again. A file the app lists that the child did not check, or that has changed since, is
checked in the app as before; so is everything when the child fails in any way (it is killed
after :data:`RESULT_TIMEOUT_SECONDS`). The child runs at a lower priority than the app, with a
CPU-time and a memory limit: routine files come from other people.

Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when used: this module is imported before the first paint
    from player.core.played import CheckedRoutine

log = logging.getLogger(__name__)

#: How long the app waits for the child's results before checking the files itself.
RESULT_TIMEOUT_SECONDS = 20.0
#: The child's limits: CPU seconds and address space (bytes).
CHILD_CPU_SECONDS = 20
CHILD_ADDRESS_SPACE = 4 * 1024**3
#: How much lower than the app the child runs (a nice increment): the window's first paint,
#: and the X server drawing it, keep their cores.
CHILD_NICE = 19
#: The version of the child's output; a child that prints another one is not believed.
OUTPUT_VERSION = 1

# What the log says (the window carries on and checks the files itself).
MSG_CANNOT_START = "cannot start the library check (%s): the app checks the files itself"
MSG_TOO_LONG = "the library check took over %.0f s: the app checks the files itself"
MSG_FAILED = "the library check failed (%s): the app checks the files itself"
MSG_STOPPED = "the library check stopped (exit %s): the app checks the files itself"
MSG_UNEXPECTED = "the library check said something unexpected (%s): the app checks the files itself"


@dataclass(frozen=True)
class Checked:
    """What the library lists of one checked file, and the file as it was checked."""

    path: Path
    mtime_ns: int
    size: int
    #: The routine's title, None for a file with errors (listed by its name).
    title: str | None
    #: The routine's length in seconds, None for a file with errors.
    total_seconds: float | None
    error_count: int
    #: For a routine that loads: what tells whether a session played it.
    played: CheckedRoutine | None = None

    def matches(self, stat: os.stat_result) -> bool:
        """True if the file is as it was when checked."""
        return (stat.st_mtime_ns, stat.st_size) == (self.mtime_ns, self.size)


def check_files(paths: list[Path]) -> list[Checked]:
    """Load and validate each file as the library does (every file on its own: one that cannot
    be read or breaks the loader is counted as one error, the others are checked)."""
    from player.core.history import routine_file_hash
    from player.core.loader import load_library, load_routine_bytes
    from player.core.played import CheckedRoutine, title_line
    from player.core.timeline import build_timeline
    from player.core.yamlsafe import read_limited

    exercises = load_library()
    checked = []
    for path in paths:
        try:
            stat = path.stat()
            data = read_limited(path)
            result = load_routine_bytes(data, path, exercises)
            routine = result.routine
            if routine is None:
                checked.append(Checked(_key(path), stat.st_mtime_ns, stat.st_size, None, None,
                                       len(result.errors)))
                continue
            played = CheckedRoutine(_key(path), routine_file_hash(data), title_line(data),
                                    routine.title, routine.version,
                                    routine.pain_checks.thresholds)
            checked.append(Checked(_key(path), stat.st_mtime_ns, stat.st_size, routine.title,
                                   build_timeline(routine).total_seconds, 0, played))
        except Exception:  # noqa: BLE001 - the app checks this file itself, and says why
            log.exception("checking %s failed", path)
    return checked


def to_json(checked: list[Checked]) -> str:
    """The child's output."""
    from player.core.clinical import CareThresholds

    return json.dumps({"version": OUTPUT_VERSION, "files": [
        {"path": str(c.path), "mtime_ns": c.mtime_ns, "size": c.size, "title": c.title,
         "total_seconds": c.total_seconds, "errors": c.error_count,
         "played": None if c.played is None else {
             "file_hash": c.played.file_hash, "title_line": c.played.title_line,
             "version": c.played.version,
             "thresholds": {f.name: getattr(c.played.thresholds, f.name)
                            for f in fields(CareThresholds)}}}
        for c in checked]})


def from_json(text: str) -> dict[Path, Checked]:
    """The child's output by resolved path; ValueError if it is not what :func:`to_json`
    writes."""
    doc = json.loads(text)
    if not isinstance(doc, dict) or doc.get("version") != OUTPUT_VERSION:
        raise ValueError("not a library check of this version")
    files = doc.get("files")
    if not isinstance(files, list):
        raise ValueError("no list of files")
    found: dict[Path, Checked] = {}
    for item in files:
        path = Path(_typed(item, "path", str))
        title = _typed(item, "title", (str, type(None)))
        played = _played(path, title, _typed(item, "played", (dict, type(None))))
        found[path] = Checked(path, _typed(item, "mtime_ns", int), _typed(item, "size", int),
                              title, _number_or_none(item, "total_seconds"),
                              _typed(item, "errors", int), played)
    return found


def _played(path: Path, title: str | None, item: dict[str, Any] | None) -> CheckedRoutine | None:
    from player.core.clinical import DEFAULT_THRESHOLDS, STRICTER_IS_LOWER, CareThresholds
    from player.core.played import CheckedRoutine

    if item is None:
        return None
    if title is None:
        raise ValueError("a file with errors said to be a routine")
    given = _typed(item, "thresholds", dict)
    if set(given) != {f.name for f in fields(CareThresholds)}:
        raise ValueError("thresholds with other names")
    for name, value in given.items():
        # A routine may only make a threshold stricter (lower), down to its minimum.
        if not isinstance(value, int) or isinstance(value, bool) \
                or not STRICTER_IS_LOWER[name][0] <= value <= getattr(DEFAULT_THRESHOLDS, name):
            raise ValueError(f"a threshold {name!r} a routine cannot have")
    return CheckedRoutine(path, _typed(item, "file_hash", str), _typed(item, "title_line", str),
                          title, _typed(item, "version", str), CareThresholds(**given))


def _typed(item: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(item, dict) or not isinstance(item.get(key), kind) \
            or isinstance(item.get(key), bool):
        raise ValueError(f"a file without a valid {key!r}")
    return item[key]


def _number_or_none(item: Any, key: str) -> float | None:
    value = _typed(item, key, (int, float, type(None)))
    return None if value is None else float(value)


class EarlyCheck:
    """The child checking the library, as the app sees it: its results, read once."""

    def __init__(self, pid: int, output: int) -> None:
        self._pid: int | None = pid
        self._output = output
        self._results: dict[Path, Checked] | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()

    def results(self, timeout: float = RESULT_TIMEOUT_SECONDS) -> dict[Path, Checked] | None:
        """The child's results by resolved path, waiting for them (on a worker thread: the
        wait holds no lock Python needs); None if the child failed or took too long."""
        with self._lock:
            if not self._done.is_set():
                self._results = self._collect(timeout)
                self._done.set()
            return self._results

    def results_if_in(self) -> dict[Path, Checked] | None:
        """The results if :meth:`results` has collected them already, else None (never
        waits: for the GUI thread)."""
        return self._results if self._done.is_set() else None

    def _collect(self, timeout: float) -> dict[Path, Checked] | None:
        import select
        import time

        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._output], [], [], left)[0]:
                    log.warning(MSG_TOO_LONG, timeout)
                    self.close()
                    return None
                chunk = os.read(self._output, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            code = self._reap()
        except OSError as exc:
            log.warning(MSG_FAILED, exc)
            self.close()
            return None
        if code != 0:
            log.warning(MSG_STOPPED, code)
            return None
        try:
            return from_json(b"".join(chunks).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning(MSG_UNEXPECTED, exc)
            return None

    def _reap(self) -> int:
        pid, self._pid = self._pid, None
        os.close(self._output)
        self._output = -1
        if pid is None:
            return -1
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    def close(self) -> None:
        """Stop the child if it is still running, and reap it (at exit, or after a fault)."""
        if self._pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self._pid, 9)  # SIGKILL, without importing signal
            with contextlib.suppress(OSError):
                self._reap()
        elif self._output >= 0:
            with contextlib.suppress(OSError):
                os.close(self._output)
            self._output = -1


def start(data_dir: Path) -> EarlyCheck | None:
    """Start the child that checks ``data_dir``'s routine library; None if it cannot start
    (the app then checks the files itself).

    Started with ``os.posix_spawn`` (``subprocess`` is not otherwise loaded before the first
    paint); its output comes over a pipe, its standard input and error are ``/dev/null``
    (a file the child cannot check is left to the app, which says why).
    """
    package_parent = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    try:
        output, into = os.pipe()
    except OSError as exc:
        log.warning(MSG_CANNOT_START, exc)
        return None
    try:
        pid = os.posix_spawn(
            sys.executable, [sys.executable, "-m", "player.library_check", str(data_dir)], env,
            file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                          (os.POSIX_SPAWN_DUP2, into, 1),
                          (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    except OSError as exc:
        log.warning(MSG_CANNOT_START, exc)
        os.close(output)
        return None
    finally:
        os.close(into)
    return EarlyCheck(pid, output)


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _limit_child() -> None:
    """Lower the child's priority and bound what a hostile file can make it use."""
    import resource

    for limit, value in ((resource.RLIMIT_CPU, CHILD_CPU_SECONDS),
                         (resource.RLIMIT_AS, CHILD_ADDRESS_SPACE)):
        try:
            _soft, hard = resource.getrlimit(limit)
            soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (soft, hard))
        except (OSError, ValueError):
            pass
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICE)


def main(argv: list[str] | None = None, out: IO[str] | None = None) -> int:
    """``python -m player.library_check DATA_DIR``: check the library, print JSON."""
    import gc

    gc.disable()  # a short life with no cycles worth collecting
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m player.library_check DATA_DIR", file=sys.stderr)
        return 2
    _limit_child()
    from player.routine_files import routine_candidates

    checked = check_files(routine_candidates(Path(args[0])))
    (out or sys.stdout).write(to_json(checked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
