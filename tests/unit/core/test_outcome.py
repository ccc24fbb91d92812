"""How a session ended, judged by what was done: outcome, exercise time, summary, adherence."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.clinical import ADHERENT_SHARE
from player.core.history import Session, SessionOutcome, StepStatus
from player.core.loader import Library, load_library, load_routine_text
from player.core.outcome import (
    FINISH_COMPLETED,
    FinishSummary,
    exercise_origins,
    exercise_seconds_done,
    finish_summary,
    planned_exercise_seconds,
    session_outcome,
)
from player.core.plan import SessionPlan, StepProgress, build_plan
from player.core.timeline import StepKind

# Positions (= origins) of the week-1 plan:
# 0 lead-in 5 s, 1 side plank left 20 s, 2 switch sides 5 s, 3 side plank right 20 s,
# 4 rest 15 s, 5 cat cow (6 untimed reps: 24 s estimate), 6 cadence 1 min, 7 ice 12 min,
# 8 heat 10 min.
ROUTINE = """\
format: 1
title: Outcome
defaults: {lead_in: 5s, rest_between_sets: 10s, rest_after: 0s, switch_time: 5s}
blocks:
  - name: Main
    steps:
      - exercise: side_plank
        hold: 20s
        sides: both
      - rest: 15s
      - exercise: cat_cow
        reps: 6
      - cadence: 180
        duration: 1m
        exercise: quick_feet
      - ice: 12m
      - heat: 10m
"""
LEAD_IN, LEFT, SWITCH, RIGHT, REST, CAT_COW, CADENCE, ICE, HEAT = range(9)
EXERCISES = (LEFT, RIGHT, CAT_COW, CADENCE)
PLANNED = 20 + 20 + 6 * 4 + 60  # exercise and cadence only

CET = timezone(timedelta(hours=1))
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=CET)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def plan(tmp_path: Path, library: Library) -> SessionPlan:
    result = load_routine_text(ROUTINE, tmp_path / "outcome.yaml", library)
    assert result.routine is not None, result.problems
    built = build_plan(result.routine)
    assert [s.kind for s in built.steps] == [
        StepKind.LEAD_IN, StepKind.EXERCISE, StepKind.SWITCH_SIDES, StepKind.EXERCISE,
        StepKind.REST, StepKind.EXERCISE, StepKind.CADENCE, StepKind.ICE, StepKind.HEAT]
    return built


def all_but(*left_out: int) -> list[int]:
    return [origin for origin in range(9) if origin not in left_out]


# --- session_outcome ---------------------------------------------------------------------------

def test_the_exercise_steps_are_the_exercise_and_cadence_steps(plan: SessionPlan) -> None:
    assert exercise_origins(plan) == frozenset(EXERCISES)


def test_reaching_the_end_with_every_exercise_done_is_completed(plan: SessionPlan) -> None:
    assert session_outcome("end", exercise_origins(plan), all_but()) == "completed"


def test_rests_lead_ins_side_switches_and_treatments_skipped_do_not_spoil_completed(
        plan: SessionPlan) -> None:
    completed = all_but(LEAD_IN, SWITCH, REST, ICE, HEAT)
    assert session_outcome("end", exercise_origins(plan), completed) == "completed"


@pytest.mark.parametrize("skipped", EXERCISES)
def test_reaching_the_end_with_any_exercise_skipped_is_partly_done(
        plan: SessionPlan, skipped: int) -> None:
    assert session_outcome("end", exercise_origins(plan), all_but(skipped)) == "partly_done"


def test_stopping_is_stopped_even_with_every_exercise_done(plan: SessionPlan) -> None:
    assert session_outcome("stopped", exercise_origins(plan), all_but()) == "stopped"
    assert session_outcome("stopped", exercise_origins(plan), []) == "stopped"


def test_stopping_for_pain_is_partly_done_however_much_was_done(plan: SessionPlan) -> None:
    assert session_outcome("stopped_for_pain", exercise_origins(plan), all_but()) == "partly_done"
    assert session_outcome("stopped_for_pain", exercise_origins(plan), []) == "partly_done"


def test_an_exercise_done_with_an_easier_variant_counts_as_done(plan: SessionPlan) -> None:
    easier = plan.with_easier_variant(LEFT, load_library().exercises["side_plank_knees"])
    assert exercise_origins(easier) == exercise_origins(plan)
    # The hard side plank was skipped, then the easier one completed at the same routine step.
    completed = [*all_but(LEFT), LEFT]
    assert session_outcome("end", exercise_origins(easier), completed) == "completed"


# --- planned_exercise_seconds ------------------------------------------------------------------

def test_planned_exercise_time_counts_exercise_and_cadence_only(plan: SessionPlan) -> None:
    # Lead-in 5 s, switch 5 s, rest 15 s, ice 12 min and heat 10 min are all left out;
    # the untimed cat cow counts at its estimate (6 reps x 4 s).
    assert planned_exercise_seconds(plan) == PLANNED == 124


def test_a_later_week_plans_its_own_exercise_time(tmp_path: Path, library: Library) -> None:
    text = ROUTINE.replace("        sides: both\n",
                           "        sides: both\n        progression: {week 3: {hold: 30s}}\n")
    result = load_routine_text(text, tmp_path / "weeks.yaml", library)
    assert result.routine is not None, result.problems
    assert planned_exercise_seconds(build_plan(result.routine, 1)) == PLANNED
    assert planned_exercise_seconds(build_plan(result.routine, 3)) == PLANNED + 2 * 10


def test_a_resumed_plan_still_plans_the_part_done_before_the_interruption(
        plan: SessionPlan) -> None:
    resumed = plan.resume([LEAD_IN, LEFT, SWITCH], StepProgress(RIGHT, 12.0))
    step = resumed.steps[resumed.start_at]
    assert (step.origin, step.duration_seconds, step.done_before) == (RIGHT, 8.0, 12.0)
    assert planned_exercise_seconds(resumed) == PLANNED


# --- exercise_seconds_done ---------------------------------------------------------------------

def test_a_timed_exercise_adds_what_it_ran(plan: SessionPlan) -> None:
    left = plan.step_at(LEFT)
    assert exercise_seconds_done(left, "completed", 20.0) == 20.0
    assert exercise_seconds_done(left, "skipped", 7.5) == 7.5
    assert exercise_seconds_done(plan.step_at(CADENCE), "skipped", 42.0) == 42.0


def test_a_timed_exercise_never_adds_more_than_it_was_planned_for(plan: SessionPlan) -> None:
    assert exercise_seconds_done(plan.step_at(LEFT), "completed", 20.3) == 20.0
    assert exercise_seconds_done(plan.step_at(CADENCE), "completed", 600.0) == 60.0


def test_an_untimed_exercise_adds_its_estimate_when_done_and_nothing_when_skipped(
        plan: SessionPlan) -> None:
    cat_cow = plan.step_at(CAT_COW)
    assert cat_cow.duration_seconds is None
    assert exercise_seconds_done(cat_cow, "completed", 95.0) == 24.0
    assert exercise_seconds_done(cat_cow, "skipped", 95.0) == 0.0


@pytest.mark.parametrize("position", [LEAD_IN, SWITCH, REST, ICE, HEAT])
@pytest.mark.parametrize("status", ["completed", "skipped"])
def test_a_step_that_is_not_exercise_adds_no_exercise_time(
        plan: SessionPlan, position: int, status: StepStatus) -> None:
    step = plan.step_at(position)
    assert step.duration_seconds is not None
    assert exercise_seconds_done(step, status, step.duration_seconds) == 0.0


def test_a_resumed_exercise_adds_the_part_done_before_too_but_never_more_than_planned(
        plan: SessionPlan) -> None:
    resumed = plan.resume([LEAD_IN, LEFT, SWITCH], StepProgress(RIGHT, 12.0))
    right = resumed.steps[resumed.start_at]
    assert exercise_seconds_done(right, "completed", 8.0) == 20.0
    assert exercise_seconds_done(right, "skipped", 3.0) == 15.0
    assert exercise_seconds_done(right, "skipped", 0.0) == 12.0
    assert exercise_seconds_done(right, "completed", 9.0) == 20.0


# --- finish_summary ----------------------------------------------------------------------------

def test_the_summary_leaves_the_lead_in_out_of_every_count(plan: SessionPlan) -> None:
    statuses: list[tuple[int, StepStatus]] = [(origin, "completed") for origin in range(9)]
    summary = finish_summary("completed", plan, statuses)
    assert (summary.done, summary.skipped, summary.total) == (8, 0, 8)
    skipped_lead_in = finish_summary("completed", plan, [(LEAD_IN, "skipped")])
    assert (skipped_lead_in.done, skipped_lead_in.skipped) == (0, 0)


def test_the_summary_counts_done_and_skipped_steps(plan: SessionPlan) -> None:
    statuses: list[tuple[int, StepStatus]] = [
        (LEFT, "completed"), (SWITCH, "skipped"), (RIGHT, "completed"), (REST, "skipped"),
        (CAT_COW, "skipped"), (CADENCE, "completed")]
    summary = finish_summary("partly_done", plan, statuses)
    assert (summary.done, summary.skipped, summary.total) == (3, 3, 8)
    assert summary.detail == "3 of 8 steps; 3 skipped"


def test_a_step_skipped_then_done_with_an_easier_variant_counts_once_as_done(
        plan: SessionPlan) -> None:
    easier = plan.with_easier_variant(LEFT, load_library().exercises["side_plank_knees"])
    statuses: list[tuple[int, StepStatus]] = [
        (LEAD_IN, "completed"), (LEFT, "skipped"), (LEFT, "completed")]
    summary = finish_summary("stopped", easier, statuses)
    assert (summary.done, summary.skipped, summary.total) == (1, 0, 8)
    assert summary.detail == "1 of 8 steps"


def test_the_detail_names_the_skipped_steps_only_when_there_are_some() -> None:
    assert FinishSummary("partly_done", 28, 4, 39).detail == "28 of 39 steps; 4 skipped"
    assert FinishSummary("completed", 39, 0, 39).detail == "39 of 39 steps"


def test_only_a_completed_session_is_praised() -> None:
    assert FinishSummary("completed", 8, 0, 8).headline == "Routine complete. Well done!"
    assert FINISH_COMPLETED == "Routine complete. Well done!"


@pytest.mark.parametrize("outcome", ["partly_done", "stopped", "interrupted", "in_progress"])
def test_a_session_not_completed_gets_no_praise(outcome: SessionOutcome) -> None:
    headline = FinishSummary(outcome, 8, 0, 8).headline
    assert "Well done" not in headline
    assert headline != FINISH_COMPLETED


def test_a_session_played_to_its_end_with_an_exercise_skipped_is_not_praised(
        plan: SessionPlan) -> None:
    statuses: list[tuple[int, StepStatus]] = [
        (origin, "skipped" if origin == CAT_COW else "completed") for origin in range(9)]
    completed = [origin for origin, status in statuses if status == "completed"]
    outcome = session_outcome("end", exercise_origins(plan), completed)
    summary = finish_summary(outcome, plan, statuses)
    assert summary.outcome == "partly_done"
    assert summary.headline != FINISH_COMPLETED
    assert summary.detail == "7 of 8 steps; 1 skipped"


# --- the 80 % rule -----------------------------------------------------------------------------

def session(outcome: SessionOutcome, done: float, planned: float | None = 100.0) -> Session:
    return Session(id=1, routine_title="Outcome", routine_version="", routine_file_hash="",
                   started_at=T0, ended_at=None if outcome == "in_progress" else T0,
                   outcome=outcome, planned_exercise_seconds=planned,
                   done_exercise_seconds=done)


def test_the_adherent_share_is_eighty_percent() -> None:
    assert ADHERENT_SHARE == 0.80


@pytest.mark.parametrize("outcome", ["completed", "partly_done"])
def test_seventy_nine_percent_of_the_exercise_time_does_not_count(
        outcome: SessionOutcome) -> None:
    s = session(outcome, done=79.0)
    assert s.done_share == pytest.approx(0.79)
    assert not s.counts_for_adherence


@pytest.mark.parametrize("outcome", ["completed", "partly_done"])
def test_eighty_percent_of_the_exercise_time_counts(outcome: SessionOutcome) -> None:
    assert session(outcome, done=80.0).counts_for_adherence
    assert session(outcome, done=PLANNED * 4 / 5, planned=PLANNED).counts_for_adherence
    assert not session(outcome, done=PLANNED * 4 / 5 - 0.5, planned=PLANNED).counts_for_adherence


def test_the_planned_time_of_a_real_plan_needs_eighty_percent_of_it_done(
        plan: SessionPlan) -> None:
    # Both planks, the cadence drill and the cat cow skipped: 100 of 124 s, about 81 %.
    done = sum(exercise_seconds_done(plan.step_at(o), "completed", 20.0) for o in (LEFT, RIGHT))
    done += exercise_seconds_done(plan.step_at(CADENCE), "completed", 60.0)
    done += exercise_seconds_done(plan.step_at(CAT_COW), "skipped", 30.0)
    s = session("partly_done", done=done, planned=planned_exercise_seconds(plan))
    assert done == 100.0
    assert s.counts_for_adherence
    # Without the right-side plank: 80 of 124 s, about 65 %.
    assert not session("partly_done", done - 20.0, planned_exercise_seconds(plan)
                       ).counts_for_adherence


def test_a_stopped_session_counts_when_eighty_percent_was_done_before_stopping() -> None:
    # What the code does (see history.Session.counts_for_adherence): the outcome does not
    # matter once the session has ended, only the share of exercise time done.
    assert session("stopped", done=90.0).counts_for_adherence
    assert not session("stopped", done=79.0).counts_for_adherence
    assert session("interrupted", done=80.0).counts_for_adherence


def test_a_session_still_in_progress_never_counts() -> None:
    assert not session("in_progress", done=100.0).counts_for_adherence


def test_the_share_done_is_never_more_than_all_of_it() -> None:
    assert session("completed", done=250.0).done_share == 1.0


def test_an_old_session_without_planned_time_counts_only_when_completed() -> None:
    assert session("completed", done=0.0, planned=None).counts_for_adherence
    assert session("completed", done=0.0, planned=None).done_share is None
    for outcome in ("partly_done", "stopped", "interrupted"):
        assert not session(outcome, done=1000.0, planned=None).counts_for_adherence


def test_a_session_that_planned_no_exercise_time_counts_only_when_completed() -> None:
    # An ice-and-heat routine has no exercise time: a share of nothing says nothing.
    assert session("stopped", done=0.0, planned=0.0).done_share is None
    assert not session("stopped", done=0.0, planned=0.0).counts_for_adherence
    assert session("completed", done=0.0, planned=0.0).counts_for_adherence



def test_an_ice_and_heat_routine_is_completed_only_when_its_treatments_were_done(
        library: Library) -> None:
    from player.core.bundled import bundled_routines
    from player.core.loader import load_routine

    [path] = [p for p in bundled_routines() if p.name == "ice-then-heat.yaml"]
    routine = load_routine(path, library).routine
    assert routine is not None
    treatments = build_plan(routine)
    must = exercise_origins(treatments)
    assert must and all(treatments.steps[treatments.position_of(o)].kind in
                        (StepKind.ICE, StepKind.HEAT) for o in must)
    assert planned_exercise_seconds(treatments) == 0
    assert session_outcome("end", must, []) == "partly_done"  # every step skipped
    assert session_outcome("end", must, sorted(must)) == "completed"


def test_a_red_flag_stop_has_its_own_outcome_however_much_was_done(plan: SessionPlan) -> None:
    assert session_outcome("stopped_red_flag", exercise_origins(plan), all_but()) == \
        "stopped_red_flag"
    assert session_outcome("stopped_red_flag", exercise_origins(plan), []) == "stopped_red_flag"


@pytest.mark.parametrize(("outcome", "done", "counts"), [
    ("completed", 100.0, True),
    ("stopped", 100.0, True),  # stopped by choice with the exercise time done still counts
    ("stopped_red_flag", 100.0, False),
    ("stopped_red_flag", 0.0, False),
])
def test_a_session_stopped_for_a_red_flag_never_counts_as_adherence(
        outcome: SessionOutcome, done: float, counts: bool) -> None:
    start = datetime(2024, 3, 4, 9, tzinfo=timezone(timedelta(hours=1)))
    session = Session(1, "Core", "1", "", start, start, outcome, planned_exercise_seconds=100.0,
                      done_exercise_seconds=done)
    assert session.counts_for_adherence is counts
    old = Session(2, "Core", "1", "", start, start, outcome)  # planned time not recorded
    assert old.counts_for_adherence is (outcome == "completed")
