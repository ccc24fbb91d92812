"""The routine library as a Qt model: bundled routines, the person's folder, recent files.

Listing is in two steps, so the window can show the list before anything heavy is loaded:
:meth:`RoutineLibrary.refresh_titles` reads only each file's ``title:`` line (no YAML parser,
no validation: under a millisecond for the bundled set); :meth:`RoutineLibrary.check_in_background`
then loads and validates every file on a worker thread (about a millisecond each, up to a second
for the largest file the limits allow), and the results come back to the GUI thread by a queued
signal, which fills in the lengths and marks broken files. A file that cannot be read or fails
in any way is listed with its errors; it never stops the others. Load results are cached by file
path, size and modification time.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from player.ui.controllers.app_settings import AppSettings

if TYPE_CHECKING:
    from player.core.loader import Library, LoadResult
    from player.core.played import CheckedRoutine
    from player.library_check import Checked, EarlyCheck

log = logging.getLogger(__name__)

ROUTINE_SUFFIXES = (".yaml", ".yml")
_TITLE_LINE = re.compile(r"^title:[ \t]*(?P<title>[^#\n]*?)[ \t]*(?:#.*)?$", re.MULTILINE)
_TITLE_READ_BYTES = 16_384


class Group(StrEnum):
    """Where a listed routine comes from."""

    BUNDLED = "Bundled routines"
    USER = "My routines"
    RECENT = "Recently opened"


@dataclass(frozen=True)
class LibraryEntry:
    """One listed routine file.

    ``checked`` is False while only the title line has been read; ``total_seconds`` is None
    until the file is checked, and for files with errors.
    """

    path: Path
    group: Group
    title: str
    total_seconds: float | None
    error_count: int
    checked: bool = True

    @property
    def usable(self) -> bool:
        """True unless the file is known to have errors."""
        return self.error_count == 0


def quick_title(path: Path) -> str:
    """The routine's title from its ``title:`` line, without parsing the YAML.

    Good for plain and quoted one-line titles; anything else shows the file name until the
    file is checked.
    """
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(_TITLE_READ_BYTES)
    except OSError:
        return path.name
    match = _TITLE_LINE.search(head)
    title = match.group("title").strip() if match else ""
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
        title = title[1:-1]
    return title or path.name


_CacheKey = tuple[int, int]
_Listing = list[tuple[Path, Group]]


class _Checked(QObject):
    """Carries a background check's entries to the GUI thread (a queued signal)."""

    done = Signal(int, object)


class _Check(QRunnable):
    """Lists the folders and checks every file on a pool thread; emits ``done``."""

    def __init__(self, library: RoutineLibrary, generation: int, recent: list[Path]) -> None:
        super().__init__()
        self._library = library
        self._generation = generation
        self._recent = recent
        self.signals = _Checked()

    def run(self) -> None:
        """Check every file, each on its own, and hand the entries over (the early check's
        results are taken for the files it checked as they are now)."""
        entries: list[LibraryEntry] = []
        try:
            early = self._library._early_check
            found = early.results() if early is not None else None
            for path, group in self._library._files(self._recent):
                entries.append(self._library._entry(path, group, found))
        except Exception:  # the listing itself failed: show what was checked, never crash
            log.exception("checking the routine library failed")
        self.signals.done.emit(self._generation, entries)


class RoutineLibrary(QObject):
    """Lists and loads routine files.

    ``exercises`` is the exercise library routines refer to; by default the bundled one,
    loaded on first need. ``entries_changed`` is emitted after each refresh (and when the
    recent files change). ``early_check`` is the child process started before the window
    (:mod:`player.library_check`): the first background check lists its results.
    """

    entries_changed = Signal()
    #: Emitted when a background check has listed every file with its result.
    checked = Signal()

    def __init__(self, bundled: Callable[[], Iterable[Path]], user_dir: Path,
                 settings: AppSettings, exercises: Library | None = None,
                 parent: QObject | None = None, early_check: EarlyCheck | None = None) -> None:
        super().__init__(parent)
        self._exercises = exercises
        self._early_check = early_check
        self._bundled = bundled
        self._user_dir = user_dir
        self._settings = settings
        self._cache: dict[Path, tuple[_CacheKey, LoadResult, float | None]] = {}
        self._lock = threading.Lock()  # the cache and the exercise library, shared with the pool
        self._entries: list[LibraryEntry] = []
        self._checked = False
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: set[_Check] = set()
        self._finished: list[_Check] = []  # dropped at the next check, never inside their signal
        settings.recent_files_changed.connect(self._on_recent_files_changed)

    @property
    def exercises(self) -> Library:
        """The exercise library routines refer to."""
        with self._lock:
            if self._exercises is None:
                from player.core.loader import load_library

                self._exercises = load_library()
            return self._exercises

    @property
    def user_dir(self) -> Path:
        """The person's own routines folder."""
        return self._user_dir

    def entries(self) -> list[LibraryEntry]:
        """Every listed routine, grouped in :class:`Group` order."""
        return list(self._entries)

    def entry_for(self, path: Path) -> LibraryEntry | None:
        """The entry for ``path``, if listed."""
        target = _key(path)
        return next((e for e in self._entries if _key(e.path) == target), None)

    def refresh_titles(self) -> None:
        """List every routine file by its title line only (fast; nothing is validated)."""
        self._entries = [LibraryEntry(path, group, quick_title(path), None, 0, checked=False)
                         for path, group in self._files(self._settings.recent_files)]
        self.entries_changed.emit()

    @property
    def checking(self) -> bool:
        """True while a background check is running."""
        return bool(self._running)

    def refresh(self) -> None:
        """List and check every routine file now, on this thread (the folders and recent files
        are read again). The window uses :meth:`check_in_background`."""
        self._checked = True
        self._generation += 1
        self._entries = [self._entry(path, group)
                         for path, group in self._files(self._settings.recent_files)]
        self.entries_changed.emit()

    def check_in_background(self) -> None:
        """List and check every routine file on a worker thread; ``entries_changed`` and
        ``checked`` follow on this thread when all are done. A newer call supersedes a check
        still running (its entries are dropped)."""
        self._checked = True
        self._generation += 1
        self._finished.clear()
        job = _Check(self, self._generation, list(self._settings.recent_files))
        job.signals.done.connect(self._on_checked)
        self._running.add(job)
        job.setAutoDelete(False)  # kept in _running until its entries have arrived
        self._pool.start(job)

    def warm_in_background(self) -> None:
        """Load every listed file into the cache on a worker thread, so the first routine
        chosen shows at once; lists nothing (after an early check, whose results are only
        what the list shows)."""
        paths = [e.path for e in self._entries]
        self._pool.start(lambda: self._warm(paths))

    def _warm(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                self._load(path)
            except Exception:  # listed as it was; loading it when chosen says what is wrong
                log.exception("loading %s failed", path)

    def checked_routines(self, paths: Iterable[Path]) -> list[CheckedRoutine] | None:
        """What the early check found in each of ``paths`` that loads as a routine, in that
        order; None unless it has checked every one of them, as they are now (never waits:
        for the GUI thread)."""
        early = self._early_check
        found = early.results_if_in() if early is not None else None
        if found is None:
            return None
        routines = []
        for path in paths:
            checked = found.get(_key(path))
            try:
                if checked is None or not checked.matches(path.stat()):
                    return None
            except OSError:
                return None
            if checked.played is not None:
                routines.append(checked.played)
        return routines

    def close_early_check(self) -> None:
        """Stop the early check if it is still running (at exit), and forget it."""
        early, self._early_check = self._early_check, None
        if early is not None:
            early.close()

    def wait_until_checked(self) -> None:
        """Block until the background check is done and its entries are listed (for tests,
        benchmarks and scripts; the window never waits)."""
        while self._running:
            self._pool.waitForDone()
            QCoreApplication.sendPostedEvents(self)
            QCoreApplication.sendPostedEvents()

    def load(self, path: Path) -> LoadResult:
        """Load ``path`` (from the cache when the file has not changed)."""
        return self._load(Path(path))[0]

    def cached(self, path: Path) -> LoadResult | None:
        """``path``'s load result from the last check, if the file has not changed since; None
        otherwise. Nothing is read or validated (the GUI thread may ask this of every file)."""
        path = Path(path)
        try:
            stat = path.stat()
        except OSError:
            return None
        known = self._from_cache(path, stat)
        return None if known is None else known[0]

    def _from_cache(self, path: Path, stat: os.stat_result) -> tuple[LoadResult, float | None] | None:
        """The cached load result and length of ``path``, if the file is as ``stat`` finds it."""
        with self._lock:
            cached = self._cache.get(path)
        if cached is None or cached[0] != (stat.st_mtime_ns, stat.st_size):
            return None
        return cached[1], cached[2]

    def _load(self, path: Path) -> tuple[LoadResult, float | None]:
        """The load result and the routine's length (None with errors), cached."""
        from player.core.loader import load_routine
        from player.core.timeline import build_timeline

        exercises = self.exercises
        try:
            stat = path.stat()
        except OSError:
            return load_routine(path, exercises), None  # reports the file as unreadable
        known = self._from_cache(path, stat)
        if known is not None:
            return known
        stamp: _CacheKey = (stat.st_mtime_ns, stat.st_size)
        result = load_routine(path, exercises)
        total = build_timeline(result.routine).total_seconds if result.routine else None
        with self._lock:
            self._cache[path] = (stamp, result, total)
        return result, total

    def _files(self, recent: list[Path]) -> _Listing:
        files = [(p, Group.BUNDLED) for p in self._bundled()]
        files += [(p, Group.USER) for p in self._user_files()]
        listed = {_key(p) for p, _ in files}
        for path in recent:
            if _key(path) not in listed and path.is_file():
                files.append((path, Group.RECENT))
                listed.add(_key(path))
        return files

    def _user_files(self) -> list[Path]:
        try:
            return sorted(p for p in self._user_dir.iterdir()
                          if p.suffix.lower() in ROUTINE_SUFFIXES and p.is_file())
        except OSError as exc:
            log.warning("cannot list %s: %s", self._user_dir, exc)
            return []

    def _entry(self, path: Path, group: Group,
               found: dict[Path, Checked] | None = None) -> LibraryEntry:
        if found is not None:
            early = found.get(_key(path))
            try:
                unchanged = early is not None and early.matches(path.stat())
            except OSError:
                unchanged = False
            if early is not None and unchanged:
                return LibraryEntry(path, group, early.title or path.name, early.total_seconds,
                                    early.error_count)
        try:
            result, total = self._load(path)
        except Exception:  # a bug the file found: that file is listed as broken, nothing else
            log.exception("checking %s failed", path)
            return LibraryEntry(path, group, path.name, None, 1)
        if result.routine is None:
            return LibraryEntry(path, group, path.name, None, len(result.errors))
        return LibraryEntry(path, group, result.routine.title, total, 0)

    def _on_checked(self, generation: int, entries: list[LibraryEntry]) -> None:
        done = {job for job in self._running if job._generation <= generation}
        self._running -= done
        self._finished += done
        if generation != self._generation:
            return  # a newer check (or a refresh) has superseded this one
        self._entries = entries
        self.entries_changed.emit()
        self.checked.emit()

    def _on_recent_files_changed(self) -> None:
        if not self._checked:
            self.refresh_titles()
            return
        # Listed at once (each file as last checked, or by its title line), checked after.
        self._entries = [self._known_entry(path, group)
                         for path, group in self._files(self._settings.recent_files)]
        self.entries_changed.emit()
        self.check_in_background()

    def _known_entry(self, path: Path, group: Group) -> LibraryEntry:
        try:
            stat = path.stat()
        except OSError:
            return LibraryEntry(path, group, path.name, None, 1)
        known = self._from_cache(path, stat)
        if known is None:
            return LibraryEntry(path, group, quick_title(path), None, 0, checked=False)
        result, total = known
        if result.routine is None:
            return LibraryEntry(path, group, path.name, None, len(result.errors))
        return LibraryEntry(path, group, result.routine.title, total, 0)


def _key(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path)
