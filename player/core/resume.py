"""Carrying on an interrupted session: find its routine file, check it, rebuild its plan.

A session is resumed only from the very file it played, unchanged: the stored path with the
stored hash (for sessions recorded before paths were kept, a file among the candidates with that
hash). A file that is gone or has changed gives a plain :attr:`ResumeCheck.problem` and, when a
file of that routine still loads, the routine to start afresh instead. The plan is rebuilt with
the stored week and easier variants, the step in progress gets only its remaining time, and ice
or heat only what is left of its capped application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from player.core.history import Session, routine_file_hash
from player.core.loader import Library, load_routine_bytes
from player.core.plan import PlanError, SessionPlan, StepProgress, build_plan
from player.core.routine import Exercise, Routine
from player.core.yamlsafe import read_limited

# User-visible text, in one place for translation.
GONE = "Its routine file, {path}, is no longer there, so it cannot be resumed."
CHANGED = ("Its routine file, {path}, has changed since, so it cannot be resumed as it was: "
           "the steps may no longer match.")
UNREADABLE = "Its routine file, {path}, no longer loads, so it cannot be resumed."
NOT_FOUND = "The routine file it played is not found, so it cannot be resumed."
ALL_DONE = "Every step of it was already done."


@dataclass(frozen=True)
class ResumeCheck:
    """Whether a stored session can be resumed.

    ``plan`` is the plan that carries it on, or None with ``problem`` saying why not; then
    ``fresh`` is the routine as its file is now, when it loads, to offer a fresh start.
    """

    plan: SessionPlan | None
    problem: str = ""
    fresh: Routine | None = None


def check_resume(session: Session, done_origins: Iterable[int], candidates: Iterable[Path],
                 library: Library | None = None,
                 exercises: dict[str, Exercise] | None = None,
                 prepare: Callable[[Routine], Routine] | None = None) -> ResumeCheck:
    """Find the file ``session`` played and rebuild its plan after ``done_origins``.

    ``candidates`` are searched (by hash only) when the session has no stored path.
    ``exercises`` are where easier variants are looked up besides the routine's own.
    ``prepare`` makes the routine as it was played from the routine as its file says, as
    when the session started (e.g. the drill's beats above the runner's own cadence); the
    ``fresh`` routine of a check that fails is left as the file says.
    """
    if session.routine_path:
        path = Path(session.routine_path)
        try:
            data = read_limited(path)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return ResumeCheck(None, GONE.format(path=path))
        except OSError:  # still there, but it cannot be read (permissions, a disk error)
            return ResumeCheck(None, UNREADABLE.format(path=path))
        routine = load_routine_bytes(data, path, library).routine
        if routine is None:
            return ResumeCheck(None, UNREADABLE.format(path=path))
        if session.routine_file_hash and routine_file_hash(data) != session.routine_file_hash:
            return ResumeCheck(None, CHANGED.format(path=path), routine)
    else:
        found = _by_hash(session, candidates, library)
        if found is None:
            return ResumeCheck(None, NOT_FOUND)
        routine = found
    if prepare is not None:
        routine = prepare(routine)
    known = {e.id: e for e in routine.exercises()}
    known = {**(exercises or {}), **known}
    progress = (None if session.current_step is None
                else StepProgress(session.current_step, session.current_elapsed))
    try:
        plan = build_plan(routine, session.week).resume(done_origins, progress,
                                                        session.variants, known)
    except PlanError:
        return ResumeCheck(None, ALL_DONE)
    return ResumeCheck(plan)


def _by_hash(session: Session, candidates: Iterable[Path],
             library: Library | None) -> Routine | None:
    if not session.routine_file_hash:
        return None
    for path in candidates:
        try:
            data = read_limited(path)
        except OSError:
            continue
        if routine_file_hash(data) == session.routine_file_hash:
            return load_routine_bytes(data, path, library).routine
    return None
