"""How a session ended, judged by what was done: its outcome, its exercise time, its summary.

A session is ``completed`` when every exercise step of its plan was done (with an easier variant
counts), ``partly_done`` when it reached its end with exercises skipped or was stopped for pain,
``stopped`` when the person stopped it, and ``stopped_red_flag`` when an emergency or urgent-today
answer given mid-session stopped it (whatever was done before). Exercise time is what adherence is measured on
(:data:`player.core.clinical.ADHERENT_SHARE`): exercise and cadence steps only; rests, lead-ins,
side switches and ice or heat do not count.

Pure Python, no Qt: the window, the recorder and the report read these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from player.core.history import SessionOutcome, StepStatus
from player.core.plan import CAPPED_KINDS, SessionPlan
from player.core.timeline import StepKind, TimelineStep

EndReason = Literal["end", "stopped", "stopped_for_pain", "stopped_red_flag"]
"""Why a session ended: it reached its end, the person stopped it, it was stopped for pain, or
the app stopped it at a red-flag answer."""

#: The kinds of step whose time is exercise time.
EXERCISE_KINDS = frozenset({StepKind.EXERCISE, StepKind.CADENCE})


def planned_exercise_seconds(plan: SessionPlan) -> float:
    """The exercise time the whole plan holds (untimed steps by their documented estimate)."""
    return sum(s.planned_seconds + s.done_before for s in plan.steps if s.kind in EXERCISE_KINDS)


def exercise_origins(plan: SessionPlan) -> frozenset[int]:
    """The routine steps a session of the plan must do to be ``completed``: its exercise
    steps; for a plan without any (ice and heat only), its treatment steps; else every step
    but the lead-in."""
    exercises = frozenset(s.origin for s in plan.steps if s.kind in EXERCISE_KINDS)
    if exercises:
        return exercises
    treatments = frozenset(s.origin for s in plan.steps if s.kind in CAPPED_KINDS)
    if treatments:
        return treatments
    return frozenset(s.origin for s in plan.steps if s.kind is not StepKind.LEAD_IN)


def exercise_seconds_done(step: TimelineStep, status: StepStatus, actual_seconds: float) -> float:
    """How much exercise time a finished step adds: none for a rest or a treatment; a completed
    untimed step its estimate; a timed step what it ran (with any part done before a resume),
    never more than it was planned for; a skipped untimed step nothing."""
    if step.kind not in EXERCISE_KINDS:
        return 0.0
    if step.duration_seconds is None:
        return step.planned_seconds if status == "completed" else 0.0
    planned = step.duration_seconds + step.done_before
    return max(0.0, min(planned, actual_seconds + step.done_before))


def session_outcome(reason: EndReason, exercise_steps: Iterable[int],
                    completed_steps: Iterable[int]) -> SessionOutcome:
    """The outcome of a session that ended for ``reason``, given the routine steps that are
    exercise steps and those recorded as completed."""
    if reason in ("stopped", "stopped_red_flag"):
        return reason
    if reason == "stopped_for_pain":
        return "partly_done"
    return "completed" if set(exercise_steps) <= set(completed_steps) else "partly_done"


@dataclass(frozen=True)
class FinishSummary:
    """What a finished session did: steps done and skipped out of those planned."""

    outcome: SessionOutcome
    done: int
    skipped: int
    total: int

    @property
    def headline(self) -> str:
        """The finish page's title: praise only when every exercise was done."""
        return {
            "completed": FINISH_COMPLETED,
            "partly_done": FINISH_PARTLY,
            "stopped": FINISH_STOPPED,
            "stopped_red_flag": FINISH_RED_FLAG,
        }.get(self.outcome, FINISH_STOPPED)

    @property
    def detail(self) -> str:
        """``28 of 39 steps; 4 skipped``."""
        text = f"{self.done} of {self.total} steps"
        return f"{text}; {self.skipped} skipped" if self.skipped else text


# User-visible text, in one place for translation.
FINISH_COMPLETED = "Routine complete. Well done!"
FINISH_PARTLY = "Session over: part of the routine was done"
FINISH_STOPPED = "Session stopped"
FINISH_RED_FLAG = "Session stopped because of your answer: please read the advice at the top"


def finish_summary(outcome: SessionOutcome, plan: SessionPlan,
                   statuses: Iterable[tuple[int, StepStatus]]) -> FinishSummary:
    """The summary of a session of ``plan`` whose recorded steps are ``statuses`` (routine step,
    status), lead-ins left out of every count. A step recorded as skipped and later completed
    (an exercise carried on with an easier variant) counts as done."""
    counted = {s.origin for s in plan.steps if s.kind is not StepKind.LEAD_IN}
    done: set[int] = set()
    skipped: set[int] = set()
    for origin, status in statuses:
        if origin in counted:
            (done if status == "completed" else skipped).add(origin)
    return FinishSummary(outcome, len(done), len(skipped - done), len(counted))
