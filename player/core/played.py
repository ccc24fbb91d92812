"""Which routine a history follows, and the care thresholds it is judged with.

The care banner judges the history with the thresholds of the routine being followed: those
stored with its sessions, else (for a session recorded before they were stored) those of its
routine file, found by content hash, else by title and version (:func:`find_played_routine`,
which parses files; :func:`played_among`, the same choice from what a check of the files
already found, :class:`CheckedRoutine`). The report (:mod:`player.core.report`) uses the same.

Small on purpose: the window decides its banner from the first paint on, before the routine
loader is needed; the loader is imported only when a file must be parsed.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.history import IMPORTED_ROUTINE_TITLE, Session, routine_file_hash

if TYPE_CHECKING:
    from player.core.loader import Library
    from player.core.routine import Routine

#: Sessions in the order they were played (start, then id), as one key made in C.
PLAYED_ORDER = operator.attrgetter("started_at", "id")


@dataclass(frozen=True)
class CheckedRoutine:
    """What a check of one routine file found that tells whether a session played it."""

    path: Path
    #: :func:`~player.core.history.routine_file_hash` of the bytes checked.
    file_hash: str
    #: The title its ``title:`` line reads as (:func:`title_line`), a hint only.
    title_line: str
    title: str
    version: str
    thresholds: CareThresholds


def last_played(sessions: Iterable[Session]) -> Session | None:
    """The latest session of a routine (imported diary sessions are not routines)."""
    played = [s for s in sessions if s.routine_title != IMPORTED_ROUTINE_TITLE]
    return max(played, key=PLAYED_ORDER, default=None)


def thresholds_in_force(sessions: Iterable[Session], *, given: Routine | None = None,
                        played_thresholds: Callable[[], CareThresholds | None] | None = None,
                        ) -> CareThresholds:
    """The care thresholds the banner and the report judge the history with.

    Those of the routine being followed, as stored with its sessions: ``given``'s latest
    session (``given``'s own thresholds if it has none stored), else the session played last.
    For a last session recorded before thresholds were stored, ``played_thresholds`` may find
    them in its routine file (:func:`find_played_routine`, :func:`played_among`); else the
    defaults.
    """
    recorded = [s for s in sessions if s.routine_title != IMPORTED_ROUTINE_TITLE]
    if given is not None:
        own = [s for s in recorded if s.routine_title == given.title and s.thresholds]
        latest = max(own, key=PLAYED_ORDER, default=None)
        if latest is not None and latest.thresholds is not None:
            return latest.thresholds
        return given.pain_checks.thresholds
    last = last_played(recorded)
    if last is None:
        return DEFAULT_THRESHOLDS
    if last.thresholds is not None:
        return last.thresholds
    found = played_thresholds() if played_thresholds is not None else None
    return found if found is not None else DEFAULT_THRESHOLDS


def find_played_routine(session: Session, candidates: Iterable[Path],
                        library: Library | None = None) -> Routine | None:
    """The routine *session* played, if one of *candidates* still loads as it.

    A file with the session's content hash wins (found by hashing, so only that file is
    parsed); else one with its title (and version, when the session has one), tried first
    among the files whose ``title:`` line reads as that title, so the others are parsed only
    when none of those is it.
    """
    from player.core.loader import load_routine_bytes
    from player.core.yamlsafe import read_limited

    readable: list[tuple[Path, bytes]] = []
    for path in candidates:
        try:
            data = read_limited(path)  # a huge file, a FIFO or a device is not read
        except OSError:
            continue
        if session.routine_file_hash and routine_file_hash(data) == session.routine_file_hash:
            routine = load_routine_bytes(data, path, library).routine
            if routine is not None and routine.title == session.routine_title:
                return routine
        readable.append((path, data))
    readable.sort(key=lambda item: title_line(item[1]) != session.routine_title)  # stable
    for path, data in readable:
        routine = load_routine_bytes(data, path, library).routine
        if routine is None or routine.title != session.routine_title:
            continue
        if not session.routine_version or routine.version == session.routine_version:
            return routine
    return None


def played_among(session: Session, checked: Sequence[CheckedRoutine]) -> CheckedRoutine | None:
    """The file *session* played, chosen as :func:`find_played_routine` chooses among the same
    candidates in the same order, from what a check found in each (only files that loaded
    without errors)."""
    if session.routine_file_hash:
        for found in checked:
            if found.file_hash == session.routine_file_hash \
                    and found.title == session.routine_title:
                return found
    ordered = sorted(checked, key=lambda found: found.title_line != session.routine_title)
    for found in ordered:
        if found.title == session.routine_title and (
                not session.routine_version or found.version == session.routine_version):
            return found
    return None


_TITLE_LINE = re.compile(rb"^title:[ \t]*(?P<title>[^#\n]*?)[ \t]*(?:#.*)?$", re.MULTILINE)


def title_line(data: bytes) -> str:
    """The title as a plain or quoted one-line ``title:`` gives it ("" otherwise): a hint of
    which file to parse first, never the answer."""
    match = _TITLE_LINE.search(data, 0, 16_384)
    title = match.group("title").strip().decode("utf-8", "replace") if match else ""
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
        title = title[1:-1]
    return title
