"""The session plan: the steps one session plays, numbered by their own positions.

A plan is built from a routine and a week; switching to an easier variant and resuming an
interrupted session are operations that return a new plan. Every step's ``index`` is its position
in the plan (what "Step n of m", "Next:", the pictures and the cues read), and its ``origin`` is
the routine step it came from (what the history records), so the two can never be confused.

Pure Python, no Qt: the window, the cue map and the store read positions from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from player.core.routine import Exercise, Routine
from player.core.timeline import StepKind, Timeline, TimelineStep, build_timeline

#: A resumed timed step with less than this left is played for this long, so a resume never
#: flashes a step that ends at once (ice and heat excepted: they never exceed their cap).
MIN_RESUMED_SECONDS = 3.0
#: Kinds whose total time is capped per application (ice, heat): a resume gets only what is left.
CAPPED_KINDS = frozenset({StepKind.ICE, StepKind.HEAT})


class PlanError(ValueError):
    """A plan operation that does not apply (a position out of range, a finished session)."""


@dataclass(frozen=True)
class StepProgress:
    """How far the step at ``origin`` got before the session was interrupted."""

    origin: int
    elapsed_seconds: float


@dataclass(frozen=True)
class SessionPlan:
    """What one session plays: ``timeline`` (positions 0..n-1), starting at ``start_at``.

    ``variants`` maps the origin of each step whose exercise was replaced by an easier variant to
    that variant's id. ``resumed`` is True for a plan rebuilt to carry on an interrupted session.
    """

    routine: Routine
    week: int
    timeline: Timeline
    start_at: int = 0
    variants: tuple[tuple[int, str], ...] = ()
    resumed: bool = False

    # --- reading ----------------------------------------------------------------------------
    @property
    def steps(self) -> tuple[TimelineStep, ...]:
        """Every step, in play order; ``steps[i].index == i``."""
        return self.timeline.steps

    def __len__(self) -> int:
        return len(self.timeline.steps)

    def step_at(self, position: int) -> TimelineStep:
        """The step at ``position``; PlanError when there is none."""
        if not 0 <= position < len(self.steps):
            raise PlanError(f"no step {position + 1} in a plan of {len(self.steps)} steps")
        return self.steps[position]

    def following(self, position: int) -> TimelineStep | None:
        """The step after ``position``, or None at the end."""
        return self.steps[position + 1] if position + 1 < len(self.steps) else None

    def position_label(self, position: int) -> str:
        """``Step n of m`` for the step at ``position``."""
        return step_label(self.timeline, position)

    # --- operations -------------------------------------------------------------------------
    def with_easier_variant(self, position: int, easier: Exercise) -> SessionPlan:
        """The plan carrying on at ``position`` with ``easier`` in place of that step's exercise
        for the rest of its sets, sides and the rests between them.

        The plan keeps its length and numbering: only the exercise (and the shown name of its
        exercise steps) changes. PlanError when ``position`` holds no exercise.
        """
        step = self.step_at(position)
        hard = step.exercise
        if hard is None or step.kind not in (StepKind.EXERCISE, StepKind.REST,
                                             StepKind.SWITCH_SIDES):
            raise PlanError(f"step {position + 1} ({step.name}) has no exercise to make easier")
        steps = list(self.steps)
        swapped: list[tuple[int, str]] = []
        for i in range(position, len(steps)):
            s = steps[i]
            if s.exercise is not hard:
                break
            # A breathing cue that came with the hard exercise goes with it (format 1.1).
            breathing = easier.breathing \
                if s.kind is StepKind.EXERCISE and s.breathing == hard.breathing else s.breathing
            steps[i] = replace(s, exercise=easier, breathing=breathing,
                               name=easier.name if s.kind is StepKind.EXERCISE else s.name)
            swapped.append((s.origin, easier.id))
        known = dict(self.variants)
        known.update(swapped)
        return replace(self, timeline=Timeline(self.timeline.title, tuple(steps)),
                       start_at=position, variants=tuple(sorted(known.items())))

    def resume(self, done_origins: Iterable[int], in_progress: StepProgress | None = None,
               variants: Iterable[tuple[int, str]] = (),
               exercises: dict[str, Exercise] | None = None) -> SessionPlan:
        """The plan that carries on an interrupted session.

        It starts after the last step already recorded (``done_origins``), without a lead-in
        in between; the step that was in progress (``in_progress``) plays only its remaining
        time, and an ice or heat application gets only what is left of its capped length.
        ``variants`` (origin, exercise id) re-applies easier variants chosen before the
        interruption, looked up in ``exercises``. PlanError when nothing is left to play.
        """
        plan = self
        for origin, exercise_id in variants:
            easier = (exercises or {}).get(exercise_id)
            position = plan.position_of(origin)
            if easier is not None and position is not None:
                plan = plan.with_easier_variant(position, easier)
        done = set(done_origins)
        last_done = max(done, default=-1)
        start = next((s.index for s in plan.steps
                      if s.origin > last_done and s.kind is not StepKind.LEAD_IN), None)
        if start is None:
            raise PlanError("every step of this session was already done")
        steps = list(plan.steps)
        if in_progress is not None and in_progress.origin == steps[start].origin:
            steps[start] = _remaining(steps[start], in_progress.elapsed_seconds)
            if steps[start].duration_seconds == 0:  # an ice or heat cap already used up
                if start + 1 >= len(steps):
                    raise PlanError("every step of this session was already done")
                start += 1
        timeline = _renumbered(plan.timeline.title, steps)
        return replace(plan, timeline=timeline, start_at=start, resumed=True)

    def position_of(self, origin: int) -> int | None:
        """The position of the step that came from routine step ``origin``, if any."""
        return next((s.index for s in self.steps if s.origin == origin), None)


def build_plan(routine: Routine, week: int = 1) -> SessionPlan:
    """The plan for playing ``routine`` in ``week`` from its first step."""
    return SessionPlan(routine, week, build_timeline(routine, week))


def step_label(timeline: Timeline, position: int) -> str:
    """``Step n of m``."""
    return f"Step {position + 1} of {len(timeline.steps)}"


def _remaining(step: TimelineStep, elapsed: float) -> TimelineStep:
    """``step`` shortened to what is left after ``elapsed`` seconds of it."""
    if step.duration_seconds is None or elapsed <= 0:
        return step
    left = step.duration_seconds - elapsed
    if step.kind not in CAPPED_KINDS:
        left = max(left, MIN_RESUMED_SECONDS)
    left = max(0.0, min(step.duration_seconds, left))
    return replace(step, duration_seconds=left,
                   done_before=step.done_before + step.duration_seconds - left)


def _renumbered(title: str, steps: list[TimelineStep]) -> Timeline:
    """Start times recomputed from the durations (positions are already in order)."""
    clock = 0.0
    out = []
    for i, s in enumerate(steps):
        out.append(replace(s, index=i, start_seconds=clock))
        clock += s.planned_seconds
    return Timeline(title, tuple(out))
