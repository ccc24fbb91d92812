"""The resolved timeline: sets, sides, rests, lead-in, caps, progressions and estimates."""

from __future__ import annotations

from player.core.clinical import HEAT_MAX_SECONDS, ICE_MAX_SECONDS
from player.core.routine import (
    Block,
    CadenceStep,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    Progression,
    RestStep,
    Routine,
    Sides,
    Tempo,
)
from player.core.timeline import UNTIMED_REP_ESTIMATE_SECONDS, StepKind, build_timeline

PLANK = Exercise("plank", "Plank")
BRIDGE = Exercise("glute_bridge", "Glute bridge")


def routine(*steps, lead_in=5.0) -> Routine:
    return Routine(title="T", blocks=(Block("Main", tuple(steps)),), lead_in=lead_in)


def rows(tl):
    return [(s.kind.value, s.name, s.side, s.set, s.start_seconds, s.duration_seconds)
            for s in tl.steps]


def test_sets_sides_switch_and_rests_expand_in_order():
    step = ExerciseStep(PLANK, hold=20, sets=2, sides=Sides.BOTH, switch_time=5,
                        rest_between_sets=30, rest_after=10)
    tl = build_timeline(routine(step))
    assert rows(tl) == [
        ("lead_in", "Get ready", None, None, 0, 5),
        ("exercise", "Plank", "left", 1, 5, 20),
        ("switch_sides", "Switch sides", None, None, 25, 5),
        ("exercise", "Plank", "right", 1, 30, 20),
        ("rest", "Rest", None, None, 50, 30),
        ("exercise", "Plank", "left", 2, 80, 20),
        ("switch_sides", "Switch sides", None, None, 100, 5),
        ("exercise", "Plank", "right", 2, 105, 20),
        ("rest", "Rest", None, None, 125, 10),
    ]
    assert tl.total_seconds == 135
    assert [s.mirrored for s in tl.steps if s.kind is StepKind.EXERCISE] == [False, True] * 2
    assert [s.is_last_set for s in tl.steps if s.kind is StepKind.EXERCISE] == [
        False, False, True, True]


def test_tempo_makes_reps_timed_and_untimed_reps_use_the_estimate():
    timed = ExerciseStep(BRIDGE, reps=10, tempo=Tempo(2, 3, 2))
    untimed = ExerciseStep(BRIDGE, reps=8)
    tl = build_timeline(routine(timed, untimed, RestStep(15), lead_in=0))
    assert tl.steps[0].duration_seconds == 70 and tl.steps[0].timed
    assert tl.steps[1].duration_seconds is None and not tl.steps[1].timed
    assert tl.steps[1].planned_seconds == 8 * UNTIMED_REP_ESTIMATE_SECONDS
    assert tl.steps[2].start_seconds == 70 + 8 * UNTIMED_REP_ESTIMATE_SECONDS


def test_ice_and_heat_are_capped_whatever_the_file_says():
    tl = build_timeline(routine(IceStep(25 * 60), RestStep(20 * 60), HeatStep(45 * 60),
                                IceStep(12 * 60), lead_in=0))
    ice, _, heat, short_ice = tl.steps
    assert ice.duration_seconds == ICE_MAX_SECONDS and ice.requested_seconds == 25 * 60
    assert heat.duration_seconds == HEAT_MAX_SECONDS and heat.requested_seconds == 45 * 60
    assert short_ice.duration_seconds == 12 * 60 and not short_ice.capped


def test_progressions_apply_from_their_week():
    step = ExerciseStep(PLANK, hold=30, progressions=(Progression(3, hold=40),
                                                      Progression(5, sets=2)))
    assert build_timeline(routine(step), week=2).steps[1].duration_seconds == 30
    assert build_timeline(routine(step), week=3).steps[1].duration_seconds == 40
    week5 = build_timeline(routine(step), week=5)
    assert [s.set for s in week5.steps if s.kind is StepKind.EXERCISE] == [1, 2]


def test_cadence_and_single_side():
    tl = build_timeline(routine(CadenceStep(180, 60, "Quick feet"),
                                ExerciseStep(PLANK, hold=10, sides=Sides.RIGHT), lead_in=0))
    assert (tl.steps[0].kind, tl.steps[0].bpm, tl.steps[0].duration_seconds) == (
        StepKind.CADENCE, 180, 60)
    assert tl.steps[1].side == "right" and tl.steps[1].mirrored


def test_empty_lead_in_is_left_out():
    assert build_timeline(routine(RestStep(5), lead_in=0)).steps[0].kind is StepKind.REST


def test_the_pain_check_is_asked_once_after_the_last_set_and_side_of_its_exercise():
    checked = ExerciseStep(PLANK, hold=20, sets=3, sides=Sides.BOTH, switch_time=5,
                           rest_between_sets=30, pain_check=True)
    unchecked = ExerciseStep(BRIDGE, hold=10, sets=2)
    tl = build_timeline(routine(checked, unchecked))
    asked = [(s.name, s.set, s.side) for s in tl.steps if s.pain_check]
    assert asked == [("Plank", 3, "right")]
