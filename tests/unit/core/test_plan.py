"""The session plan: positions, origins, an easier variant mid-exercise and a resume (no Qt)."""

from __future__ import annotations

import pytest

from player.core.clinical import ICE_MAX_SECONDS
from player.core.engine import SessionEngine, StepStarted
from player.core.plan import (
    MIN_RESUMED_SECONDS,
    PlanError,
    StepProgress,
    build_plan,
    step_label,
)
from player.core.routine import (
    Block,
    Exercise,
    ExerciseStep,
    IceStep,
    Progression,
    RestStep,
    Routine,
    Sides,
)
from player.core.timeline import StepKind
from tests.fakes import FakeClock

KNEE_PLANK = Exercise("knee_plank", "Plank on knees")
PLANK = Exercise("plank", "Plank", easier="knee_plank")
BRIDGE = Exercise("glute_bridge", "Glute bridge")


def routine(*steps, lead_in=5.0) -> Routine:
    return Routine(title="T", blocks=(Block("Main", tuple(steps)),), lead_in=lead_in)


def core(week_hold: float = 20) -> Routine:
    return routine(
        ExerciseStep(PLANK, hold=20, sets=2, sides=Sides.BOTH, rest_between_sets=10,
                     progressions=(Progression(3, hold=week_hold),)),
        RestStep(15),
        ExerciseStep(BRIDGE, reps=10),
        IceStep(12 * 60),
    )


def names(plan) -> list[str]:
    return [s.name for s in plan.steps]


def test_positions_are_their_own_and_origins_follow_the_routine() -> None:
    plan = build_plan(core())
    assert [s.index for s in plan.steps] == list(range(len(plan)))
    assert [s.origin for s in plan.steps] == list(range(len(plan)))
    assert plan.position_label(0) == "Step 1 of 11" == step_label(plan.timeline, 0)
    assert plan.following(len(plan) - 1) is None
    assert plan.following(0) is plan.steps[1]


def test_the_week_chooses_the_doses() -> None:
    assert build_plan(core(40), week=1).steps[1].duration_seconds == 20
    assert build_plan(core(40), week=3).steps[1].duration_seconds == 40
    assert build_plan(core(40), week=3).week == 3


def test_an_easier_variant_replaces_the_rest_of_that_exercise_and_keeps_the_numbering() -> None:
    plan = build_plan(core())
    second = plan.step_at(3)  # set 1, right side
    assert (second.name, second.side, second.set) == ("Plank", "right", 1)
    easier = plan.with_easier_variant(3, KNEE_PLANK)
    assert len(easier) == len(plan)
    assert easier.start_at == 3
    assert [s.index for s in easier.steps] == list(range(len(plan)))
    assert names(easier)[:8] == ["Get ready", "Plank", "Switch sides", "Plank on knees",
                                 "Rest", "Plank on knees", "Switch sides", "Plank on knees"]
    assert names(easier)[8:] == names(plan)[8:]  # the rest and the bridge are untouched
    assert easier.step_at(4).exercise is KNEE_PLANK  # the rest between sets belongs to it
    assert easier.step_at(8).exercise is None
    assert easier.variants == ((3, "knee_plank"), (4, "knee_plank"), (5, "knee_plank"),
                               (6, "knee_plank"), (7, "knee_plank"))
    assert plan.step_at(3).name == "Plank"  # plans are values: the old one is unchanged


def test_an_easier_variant_brings_its_own_breathing_and_keeps_the_steps_cues() -> None:
    hard = Exercise("plank", "Plank", easier="knee_plank", breathing="Breathe steadily")
    soft = Exercise("knee_plank", "Plank on knees", breathing="Breathe out slowly")
    own = ExerciseStep(hard, hold=20, load="none", breathing="Count your breaths")
    plain = ExerciseStep(hard, hold=20, sets=2, rest_between_sets=10)
    plan = build_plan(routine(own, plain, lead_in=0))
    easier = plan.with_easier_variant(1, soft)
    assert [(s.name, s.breathing) for s in easier.steps] == [
        ("Plank", "Count your breaths"), ("Plank on knees", "Breathe out slowly"),
        ("Rest", ""), ("Plank on knees", "Breathe out slowly")]
    swapped_own = plan.with_easier_variant(0, soft).step_at(0)
    assert (swapped_own.breathing, swapped_own.load) == ("Count your breaths", "none")


def test_an_easier_variant_where_there_is_no_exercise_is_refused() -> None:
    plan = build_plan(core())
    with pytest.raises(PlanError, match="step 1 .*Get ready"):
        plan.with_easier_variant(0, KNEE_PLANK)
    with pytest.raises(PlanError, match="no step 99 in a plan of 11 steps"):
        plan.with_easier_variant(98, KNEE_PLANK)


def test_a_resume_starts_after_the_last_step_done_without_a_lead_in() -> None:
    plan = build_plan(core(40), week=3).resume(done_origins=[0, 1, 2])
    assert plan.resumed and plan.week == 3
    assert plan.start_at == 3
    assert plan.steps[plan.start_at].name == "Plank"
    assert plan.steps[plan.start_at].duration_seconds == 40  # the week's dose, not week 1's
    assert plan.position_label(plan.start_at) == "Step 4 of 11"


def test_a_resume_plays_only_what_was_left_of_the_step_in_progress() -> None:
    plan = build_plan(core()).resume([0, 1], StepProgress(origin=2, elapsed_seconds=1.5))
    step = plan.steps[plan.start_at]
    assert step.kind is StepKind.SWITCH_SIDES
    assert step.duration_seconds == pytest.approx(3.5)
    assert step.done_before == pytest.approx(1.5)
    assert plan.steps[plan.start_at + 1].start_seconds == pytest.approx(
        step.start_seconds + 3.5)


def test_a_nearly_finished_step_still_plays_a_few_seconds() -> None:
    plan = build_plan(core()).resume([0], StepProgress(origin=1, elapsed_seconds=19.9))
    assert plan.steps[plan.start_at].duration_seconds == MIN_RESUMED_SECONDS


def test_ice_resumed_gets_only_what_is_left_of_its_cap() -> None:
    base = build_plan(core())
    ice = next(s for s in base.steps if s.kind is StepKind.ICE)
    done = range(ice.origin)
    plan = base.resume(done, StepProgress(ice.origin, 11 * 60))
    resumed = plan.steps[plan.start_at]
    assert resumed.kind is StepKind.ICE
    assert resumed.duration_seconds == 60
    assert resumed.done_before + resumed.duration_seconds <= ICE_MAX_SECONDS
    with pytest.raises(PlanError, match="already done"):
        base.resume(done, StepProgress(ice.origin, 12 * 60))  # nothing left after it


def test_a_resume_re_applies_the_easier_variant_chosen_before() -> None:
    variants = build_plan(core()).with_easier_variant(3, KNEE_PLANK).variants
    plan = build_plan(core()).resume([0, 1, 2, 3, 4], None, variants,
                                     {"knee_plank": KNEE_PLANK})
    assert plan.steps[plan.start_at].name == "Plank on knees"
    assert plan.steps[plan.start_at].origin == 5


def test_a_resume_with_nothing_left_is_refused() -> None:
    plan = build_plan(core())
    with pytest.raises(PlanError, match="already done"):
        plan.resume(range(len(plan)))


def test_the_engine_starts_a_plan_at_its_position() -> None:
    plan = build_plan(core()).with_easier_variant(3, KNEE_PLANK)
    clock = FakeClock()
    engine = SessionEngine(plan.timeline, clock)
    events: list[object] = []
    engine.subscribe(events.append)
    engine.start(plan.start_at)
    started = [e for e in events if isinstance(e, StepStarted)]
    assert [e.step.index for e in started] == [3]
    assert engine.current is not None and engine.current.name == "Plank on knees"
