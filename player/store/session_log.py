"""Writes a session to the history as it is played, so that a kill loses almost nothing.

:class:`SessionLog` is fed what the session engine says (a step finished, the clock moved, the
session ended) and writes it through :class:`~player.store.history.HistoryStore`: the session with
what it plays (file, hash, week, thresholds, exercise time), each step as it ends, the easier
variants as they are chosen, and every :data:`PROGRESS_SAVE_SECONDS` how far the step in progress
has got. The outcome is judged by :mod:`player.core.outcome` from the steps recorded.

For ice and heat the saved progress runs ahead of the clock (:meth:`SessionLog.on_clock`), so
that after a kill the resumed application is never longer than what was left of it.

No Qt: the window's recorder is a thin adapter, and the kill-and-resume sweep drives this
directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from player.core.clinical import CareThresholds
from player.core.engine import StepFinished
from player.core.history import Session, SessionOutcome, StepEvent
from player.core.outcome import (
    EndReason,
    exercise_origins,
    exercise_seconds_done,
    planned_exercise_seconds,
    session_outcome,
)
from player.core.plan import CAPPED_KINDS, SessionPlan
from player.core.timeline import TimelineStep
from player.store.history import HistoryStore

#: How often (seconds of the step's timer) the step in progress is saved.
PROGRESS_SAVE_SECONDS = 5.0


class SessionLog:
    """The stored record of the session being played (one at a time)."""

    def __init__(self, store: HistoryStore, clock: Callable[[], datetime],
                 save_every: float = PROGRESS_SAVE_SECONDS) -> None:
        self._store = store
        self._clock = clock
        self._save_every = save_every
        self._id: int | None = None
        self._plan: SessionPlan | None = None
        self._saved: tuple[int, float] | None = None  # (origin, elapsed written)
        self._saved_at = 0.0  # the step timer's reading when it was written
        # Exercise seconds credited per routine step in this process, so that a step stopped
        # and then played again is never counted for more than it holds.
        self._credited: dict[int, float] = {}

    @property
    def session_id(self) -> int | None:
        """The stored id of the session being played (or just ended)."""
        return self._id

    def begin(self, plan: SessionPlan, *, thresholds: CareThresholds,
              file_hash: str = "") -> int:
        """Record the start of a new session of ``plan``; returns its id."""
        routine = plan.routine
        self._id = self._store.start_session(
            routine_title=routine.title, routine_version=routine.version,
            routine_file_hash=file_hash, started_at=self._clock(),
            routine_path="" if routine.path is None else str(routine.path),
            week=plan.week, thresholds=thresholds,
            planned_exercise_seconds=planned_exercise_seconds(plan))
        self._plan, self._saved = plan, None
        self._credited = {}
        return self._id

    def carry_on(self, session_id: int, plan: SessionPlan) -> None:
        """Go on recording stored session ``session_id``, now playing ``plan`` (a resume, or
        the rest of the session with an easier variant)."""
        if session_id != self._id:
            self._credited = {}
        self._id, self._plan, self._saved = session_id, plan, None
        if plan.variants:
            self._store.record_variants(session_id, plan.variants)

    def on_step_finished(self, event: StepFinished) -> None:
        """Record a completed or skipped step (with the exercise time it adds)."""
        if self._id is None:
            return
        step = event.step
        self._saved = None
        credited = self._credited.get(step.origin, 0.0)
        holds = step.planned_seconds + step.done_before
        done = exercise_seconds_done(step, event.status, event.actual_seconds)
        done = max(0.0, min(done, holds - credited))
        self._store.record_step(
            StepEvent(self._id, step.origin, step.name, step.kind.value, event.status,
                      event.actual_seconds, self._clock(), step.duration_seconds),
            exercise_seconds_done=done)
        self._credited[step.origin] = credited + done

    def on_clock(self, step: TimelineStep, elapsed: float) -> bool:
        """Save how far ``step`` has got (``elapsed`` seconds of its timer) when due; returns
        True when it wrote.

        Written when the step changed or :data:`PROGRESS_SAVE_SECONDS` have passed since the
        last write. For ice and heat it writes the time the step will have reached by the
        next write (the step's end at most), so that a kill before then never leaves less
        recorded than was really applied.
        """
        capped = step.kind in CAPPED_KINDS
        # Ice and heat reserve their first seconds from the step's start (the barrier question
        # included): a kill just after the timer starts then never gives the whole step again.
        if self._id is None or step.duration_seconds is None or (elapsed <= 0 and not capped):
            return False
        saved = self._saved
        if saved is not None and saved[0] == step.origin and \
                elapsed < self._saved_at + self._save_every:
            return False
        total = step.duration_seconds + step.done_before
        recorded = step.done_before + elapsed
        if capped:
            recorded = min(total, recorded + 2 * self._save_every)
        recorded = min(total, recorded)
        self._store.record_progress(self._id, step.origin, recorded)
        self._saved, self._saved_at = (step.origin, recorded), elapsed
        return True

    def reopen(self, plan: SessionPlan) -> None:
        """Carry on the session just stopped, now playing ``plan`` ("Resume from step N")."""
        if self._id is None:
            return
        self._store.reopen_stopped_session(self._id)
        self.carry_on(self._id, plan)

    def finish(self, reason: EndReason) -> SessionOutcome | None:
        """Record how the session ended, judged by its recorded steps; returns the outcome."""
        if self._id is None or self._plan is None:
            return None
        completed = [s.step_index for s in self._store.steps(self._id)
                     if s.status == "completed"]
        outcome = session_outcome(reason, exercise_origins(self._plan), completed)
        self._store.finish_session(self._id, outcome, self._clock())
        self._saved = None
        return outcome

    def stored(self) -> Session | None:
        """The session as stored now."""
        return None if self._id is None else self._store.session(self._id)
