"""The routine library as a Qt model: bundled routines, the person's folder, recent files.

Listing is in two steps, so the window can show the list before anything heavy is loaded:
:meth:`RoutineLibrary.refresh_titles` reads only each file's ``title:`` line (no YAML parser,
no validation: under a millisecond for the bundled set); :meth:`RoutineLibrary.refresh` then
loads and validates every file (about a millisecond each), which fills in the lengths and marks
broken files. Load results are cached by file path, size and modification time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from player.ui.controllers.app_settings import AppSettings

if TYPE_CHECKING:
    from player.core.loader import Library, LoadResult

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


class RoutineLibrary(QObject):
    """Lists and loads routine files.

    ``exercises`` is the exercise library routines refer to; by default the bundled one,
    loaded on first need. ``entries_changed`` is emitted after each refresh (and when the
    recent files change).
    """

    entries_changed = Signal()

    def __init__(self, bundled: Callable[[], Iterable[Path]], user_dir: Path,
                 settings: AppSettings, exercises: Library | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exercises = exercises
        self._bundled = bundled
        self._user_dir = user_dir
        self._settings = settings
        self._cache: dict[Path, tuple[_CacheKey, LoadResult]] = {}
        self._entries: list[LibraryEntry] = []
        self._checked = False
        settings.recent_files_changed.connect(self._on_recent_files_changed)

    @property
    def exercises(self) -> Library:
        """The exercise library routines refer to."""
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
                         for path, group in self._files()]
        self.entries_changed.emit()

    def refresh(self) -> None:
        """List and check every routine file (the folders and recent files are read again)."""
        self._checked = True
        self._entries = [self._entry(path, group) for path, group in self._files()]
        self.entries_changed.emit()

    def load(self, path: Path) -> LoadResult:
        """Load ``path`` (from the cache when the file has not changed)."""
        from player.core.loader import load_routine

        path = Path(path)
        try:
            stat = path.stat()
            stamp: _CacheKey = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return load_routine(path, self.exercises)  # reports the file as unreadable
        cached = self._cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        result = load_routine(path, self.exercises)
        self._cache[path] = (stamp, result)
        return result

    def _files(self) -> list[tuple[Path, Group]]:
        files = [(p, Group.BUNDLED) for p in self._bundled()]
        files += [(p, Group.USER) for p in self._user_files()]
        listed = {_key(p) for p, _ in files}
        for path in self._settings.recent_files:
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

    def _entry(self, path: Path, group: Group) -> LibraryEntry:
        from player.core.timeline import build_timeline

        result = self.load(path)
        if result.routine is None:
            return LibraryEntry(path, group, path.name, None, len(result.errors))
        total = build_timeline(result.routine).total_seconds
        return LibraryEntry(path, group, result.routine.title, total, 0)

    def _on_recent_files_changed(self) -> None:
        if self._checked:
            self.refresh()
        else:
            self.refresh_titles()


def _key(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path)
