"""The session as it is played, written to the history so that a kill loses almost nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.clinical import ICE_MAX_SECONDS, CareThresholds
from player.core.engine import StepFinished
from player.core.history import StepStatus, routine_file_hash
from player.core.loader import Library, load_library, load_routine
from player.core.outcome import EndReason
from player.core.plan import SessionPlan, StepProgress, build_plan
from player.core.resume import ALL_DONE, check_resume
from player.core.timeline import StepKind, TimelineStep
from player.store.history import HistoryStore
from player.store.session_log import PROGRESS_SAVE_SECONDS, SessionLog
from tests.fakes import FakeClock

# Week 1: 0 lead-in 5 s, 1 plank 20 s, 2 rest 10 s, 3 plank 20 s, 4 cat cow (6 untimed reps,
# 24 s estimate), 5 ice, 6 rest 1 min. From week 3 the planks are 30 s.
ROUTINE = """\
format: 1
title: Logged
defaults: {{lead_in: 5s, rest_between_sets: 10s, rest_after: 0s}}
pain_checks:
  thresholds: {{severe_level: 6}}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 20s
        sets: 2
        progression: {{week 3: {{hold: 30s}}}}
      - exercise: cat_cow
        reps: 6
      - ice: {ice}
      - rest: 1m
"""
LEAD_IN, PLANK_1, REST, PLANK_2, CAT_COW, ICE, SKIN_REST = range(7)
EVERY = PROGRESS_SAVE_SECONDS

CET = timezone(timedelta(hours=1))
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=CET)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def store(isolated_data_dir: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(isolated_data_dir) as opened:
        yield opened


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=0.0)


def wall(clock: FakeClock) -> datetime:
    """The local time ``clock`` stands for."""
    return T0 + timedelta(seconds=clock.now())


@pytest.fixture
def log(store: HistoryStore, clock: FakeClock) -> SessionLog:
    return SessionLog(store, lambda: wall(clock))


def routine_file(folder: Path, ice: str = "12m") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "logged.yaml"
    path.write_text(ROUTINE.format(ice=ice), encoding="utf-8")
    return path


def plan_of(path: Path, library: Library, week: int = 1) -> SessionPlan:
    result = load_routine(path, library)
    assert result.routine is not None, result.problems
    return build_plan(result.routine, week)


@pytest.fixture
def plan(tmp_path: Path, library: Library) -> SessionPlan:
    return plan_of(routine_file(tmp_path), library)


def finished(step: TimelineStep, status: StepStatus, seconds: float) -> StepFinished:
    return StepFinished(at=0.0, step=step, status=status, actual_seconds=seconds)


def begun(log: SessionLog, plan: SessionPlan) -> int:
    """Begin a session of ``plan`` as the window does, with the hash of its file."""
    assert plan.routine.path is not None
    file_hash = routine_file_hash(plan.routine.path.read_bytes())
    return log.begin(plan, thresholds=CareThresholds(), file_hash=file_hash)


def progress(store: HistoryStore, session_id: int) -> tuple[int | None, float]:
    stored = store.session(session_id)
    assert stored is not None
    return stored.current_step, stored.current_elapsed


# --- begin -------------------------------------------------------------------------------------

def test_the_start_stores_the_file_week_thresholds_and_planned_exercise_time(
        tmp_path: Path, library: Library, store: HistoryStore, clock: FakeClock,
        log: SessionLog) -> None:
    path = routine_file(tmp_path)
    plan = plan_of(path, library, week=3)
    strict = CareThresholds(severe_level=6)
    clock.advance(90)
    sid = log.begin(plan, thresholds=strict, file_hash="abc123")
    assert log.session_id == sid
    stored = log.stored()
    assert stored is not None and stored == store.session(sid)
    assert (stored.routine_title, stored.routine_path, stored.routine_file_hash) == (
        "Logged", str(path), "abc123")
    assert (stored.week, stored.thresholds) == (3, strict)
    assert stored.planned_exercise_seconds == 30 + 30 + 24  # week 3's planks, cat cow estimate
    assert stored.started_at == T0 + timedelta(seconds=90)
    assert (stored.outcome, stored.ended_at, stored.current_step) == ("in_progress", None, None)
    assert stored.done_exercise_seconds == 0.0


def test_nothing_is_written_before_a_session_begins(plan: SessionPlan, store: HistoryStore,
                                                    log: SessionLog) -> None:
    log.on_step_finished(finished(plan.step_at(PLANK_1), "completed", 20.0))
    assert not log.on_clock(plan.step_at(PLANK_1), 6.0)
    assert log.finish("end") is None
    assert (log.session_id, log.stored()) == (None, None)
    assert store.sessions() == []


# --- steps -------------------------------------------------------------------------------------

def test_each_finished_step_is_recorded_with_the_exercise_time_it_adds(
        plan: SessionPlan, store: HistoryStore, clock: FakeClock, log: SessionLog) -> None:
    sid = begun(log, plan)
    played: list[tuple[int, StepStatus, float]] = [
        (LEAD_IN, "completed", 5.0),
        (PLANK_1, "completed", 20.4),  # a little over: counts 20
        (REST, "skipped", 3.0),  # rests add nothing
        (PLANK_2, "skipped", 7.5),  # what it ran
        (CAT_COW, "completed", 41.0),  # untimed: its estimate, 24
        (ICE, "completed", 720.0),  # ice adds nothing
    ]
    for origin, status, seconds in played:
        clock.advance(seconds)
        log.on_step_finished(finished(plan.step_at(origin), status, seconds))
    steps = store.steps(sid)
    assert [(s.step_index, s.status, s.actual_seconds) for s in steps] == played
    assert [s.kind for s in steps] == ["lead_in", "exercise", "rest", "exercise", "exercise",
                                       "ice"]
    assert [s.planned_seconds for s in steps] == [5.0, 20.0, 10.0, 20.0, None, 720.0]
    assert steps[-1].at == T0 + timedelta(seconds=sum(p[2] for p in played))
    stored = store.session(sid)
    assert stored is not None
    assert stored.done_exercise_seconds == pytest.approx(20.0 + 7.5 + 24.0)
    assert (stored.steps_completed, stored.steps_skipped) == (4, 2)


def test_a_finished_step_clears_the_progress_saved_for_it(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    assert log.on_clock(plan.step_at(PLANK_1), 3.0)
    assert progress(store, sid) == (PLANK_1, 3.0)
    log.on_step_finished(finished(plan.step_at(PLANK_1), "completed", 20.0))
    assert progress(store, sid) == (None, 0.0)


def test_a_step_played_again_never_adds_more_exercise_time_than_it_holds(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    plank = plan.step_at(PLANK_1)
    log.on_step_finished(finished(plank, "skipped", 12.0))  # restarted after 12 s
    log.on_step_finished(finished(plank, "completed", 20.0))
    log.on_step_finished(finished(plan.step_at(REST), "skipped", 1.0))  # back to it
    log.on_step_finished(finished(plank, "completed", 20.0))
    stored = store.session(sid)
    assert stored is not None
    assert stored.done_exercise_seconds == 20.0
    assert len(store.steps(sid)) == 4  # every step is still recorded


def test_an_exercise_swapped_for_an_easier_one_adds_no_more_than_the_step_holds(
        plan: SessionPlan, store: HistoryStore, library: Library, log: SessionLog) -> None:
    sid = begun(log, plan)
    log.on_step_finished(finished(plan.step_at(PLANK_1), "skipped", 6.0))  # it hurt
    easier = plan.with_easier_variant(PLANK_1, library.exercises["knee_plank"])
    log.carry_on(sid, easier)
    log.on_step_finished(finished(easier.step_at(PLANK_1), "completed", 20.0))
    stored = store.session(sid)
    assert stored is not None
    assert stored.done_exercise_seconds == 20.0


# --- progress ----------------------------------------------------------------------------------

def test_progress_is_written_at_the_first_tick_then_every_save_interval(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    plank = plan.step_at(PLANK_1)
    written = {t: log.on_clock(plank, t) for t in (0.5, 1.0, 3.0, 5.4, 5.5, 9.0, 10.4, 10.6)}
    assert written == {0.5: True, 1.0: False, 3.0: False, 5.4: False, 5.5: True, 9.0: False,
                       10.4: False, 10.6: True}
    assert progress(store, sid) == (PLANK_1, 10.6)


def test_progress_not_yet_due_leaves_the_last_write_in_place(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    plank = plan.step_at(PLANK_1)
    assert log.on_clock(plank, 2.0)
    assert not log.on_clock(plank, 6.9)
    assert progress(store, sid) == (PLANK_1, 2.0)
    assert log.on_clock(plank, 7.0)
    assert progress(store, sid) == (PLANK_1, 7.0)


def test_a_new_step_is_written_at_once(plan: SessionPlan, store: HistoryStore,
                                       log: SessionLog) -> None:
    sid = begun(log, plan)
    assert log.on_clock(plan.step_at(PLANK_1), 19.0)
    # The rest starts straight after, long before another save interval has passed.
    assert log.on_clock(plan.step_at(REST), 0.5)
    assert progress(store, sid) == (REST, 0.5)


def test_a_step_started_again_is_written_at_once(plan: SessionPlan, store: HistoryStore,
                                                 log: SessionLog) -> None:
    sid = begun(log, plan)
    plank = plan.step_at(PLANK_1)
    assert log.on_clock(plank, 4.0)
    log.on_step_finished(finished(plank, "skipped", 4.0))  # restarted from its beginning
    assert log.on_clock(plank, 0.5)
    assert progress(store, sid) == (PLANK_1, 0.5)


@pytest.mark.parametrize("position", [LEAD_IN, PLANK_1, REST, SKIN_REST])
@pytest.mark.parametrize("elapsed", [0.0, -1.0])
def test_no_time_on_the_clock_of_a_step_that_is_not_ice_or_heat_writes_nothing(
        plan: SessionPlan, store: HistoryStore, log: SessionLog, position: int,
        elapsed: float) -> None:
    sid = begun(log, plan)
    assert not log.on_clock(plan.step_at(position), elapsed)
    assert progress(store, sid) == (None, 0.0)


def test_ice_reserves_its_first_seconds_from_its_start(plan: SessionPlan, store: HistoryStore,
                                                       log: SessionLog) -> None:
    sid = begun(log, plan)
    ice = plan.step_at(ICE)
    assert log.on_clock(ice, 0.0)  # the barrier question, or the timer just started
    assert progress(store, sid) == (ICE, 2 * EVERY)
    assert not log.on_clock(ice, 0.0)
    assert not log.on_clock(ice, EVERY - 0.1)
    assert log.on_clock(ice, EVERY)
    assert progress(store, sid) == (ICE, 3 * EVERY)


def test_an_untimed_step_writes_no_progress(plan: SessionPlan, store: HistoryStore,
                                            log: SessionLog) -> None:
    sid = begun(log, plan)
    cat_cow = plan.step_at(CAT_COW)
    assert cat_cow.duration_seconds is None
    assert not log.on_clock(cat_cow, 12.0)
    assert not log.on_clock(cat_cow, 30.0)
    assert progress(store, sid) == (None, 0.0)


def test_an_exercise_records_the_time_it_really_reached_never_more_than_its_length(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    plank = plan.step_at(PLANK_1)
    assert log.on_clock(plank, 12.25)
    assert progress(store, sid) == (PLANK_1, 12.25)
    assert log.on_clock(plank, 21.0)  # the timer a little past the deadline
    assert progress(store, sid) == (PLANK_1, 20.0)


def test_a_resumed_step_records_the_time_done_before_too(plan: SessionPlan,
                                                         store: HistoryStore,
                                                         log: SessionLog) -> None:
    sid = begun(log, plan)
    resumed = plan.resume([LEAD_IN, PLANK_1, REST], StepProgress(PLANK_2, 12.0))
    log.carry_on(sid, resumed)
    plank = resumed.steps[resumed.start_at]
    assert (plank.duration_seconds, plank.done_before) == (8.0, 12.0)
    assert log.on_clock(plank, 2.0)
    assert progress(store, sid) == (PLANK_2, 14.0)


@pytest.mark.parametrize("every", [EVERY, 2.0])
def test_ice_records_two_save_intervals_ahead_of_its_clock(
        plan: SessionPlan, store: HistoryStore, clock: FakeClock, every: float) -> None:
    log = SessionLog(store, lambda: wall(clock), save_every=every)
    sid = begun(log, plan)
    ice = plan.step_at(ICE)
    assert log.on_clock(ice, 1.0)
    assert progress(store, sid) == (ICE, 1.0 + 2 * every)
    assert not log.on_clock(ice, 1.0 + every - 0.1)
    assert log.on_clock(ice, 1.0 + every)
    assert progress(store, sid) == (ICE, 1.0 + 3 * every)


def test_ice_ahead_of_its_clock_never_records_more_than_its_length(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    ice = plan.step_at(ICE)
    assert log.on_clock(ice, 12 * 60 - 5)
    assert progress(store, sid) == (ICE, 12 * 60)


def test_ice_capped_at_20_minutes_never_records_more_than_20_minutes(
        tmp_path: Path, library: Library, store: HistoryStore, log: SessionLog) -> None:
    plan = plan_of(routine_file(tmp_path, ice="25m"), library)
    sid = begun(log, plan)
    ice = plan.step_at(ICE)
    assert (ice.duration_seconds, ice.requested_seconds) == (ICE_MAX_SECONDS, 25 * 60)
    assert log.on_clock(ice, ICE_MAX_SECONDS - 3)
    assert progress(store, sid) == (ICE, ICE_MAX_SECONDS)


def test_resumed_ice_records_ahead_of_its_clock_up_to_its_original_length(
        plan: SessionPlan, store: HistoryStore, log: SessionLog) -> None:
    sid = begun(log, plan)
    resumed = plan.resume(range(ICE), StepProgress(ICE, 11 * 60))
    log.carry_on(sid, resumed)
    ice = resumed.steps[resumed.start_at]
    assert (ice.kind, ice.duration_seconds, ice.done_before) == (StepKind.ICE, 60.0, 660.0)
    assert log.on_clock(ice, 1.0)
    assert progress(store, sid) == (ICE, 660.0 + 1.0 + 2 * EVERY)
    assert log.on_clock(ice, 55.0)
    assert progress(store, sid) == (ICE, 12 * 60)


# --- finish ------------------------------------------------------------------------------------

ALL_DONE_STATUSES: list[tuple[int, StepStatus]] = [(o, "completed") for o in range(7)]


@pytest.mark.parametrize(("reason", "statuses", "outcome"), [
    ("end", ALL_DONE_STATUSES, "completed"),
    ("end", [(LEAD_IN, "skipped"), (PLANK_1, "completed"), (REST, "skipped"),
             (PLANK_2, "completed"), (CAT_COW, "completed"), (ICE, "skipped"),
             (SKIN_REST, "skipped")], "completed"),
    ("end", [(o, "skipped" if o == CAT_COW else "completed") for o in range(7)], "partly_done"),
    ("end", [(o, "skipped" if o == PLANK_2 else "completed") for o in range(7)], "partly_done"),
    ("stopped", ALL_DONE_STATUSES, "stopped"),
    ("stopped", ALL_DONE_STATUSES[:2], "stopped"),
    ("stopped_for_pain", ALL_DONE_STATUSES, "partly_done"),
    ("stopped_for_pain", ALL_DONE_STATUSES[:2], "partly_done"),
], ids=["all-done", "only-exercises-done", "untimed-skipped", "plank-skipped", "stopped-late",
        "stopped-early", "pain-late", "pain-early"])
def test_the_stored_outcome_is_judged_by_the_recorded_steps(
        plan: SessionPlan, store: HistoryStore, clock: FakeClock, log: SessionLog,
        reason: EndReason, statuses: list[tuple[int, StepStatus]], outcome: str) -> None:
    sid = begun(log, plan)
    for origin, status in statuses:
        log.on_step_finished(finished(plan.step_at(origin), status, 1.0))
    log.on_clock(plan.step_at(SKIN_REST), 2.0)
    clock.advance(600)
    assert log.finish(reason) == outcome
    stored = store.session(sid)
    assert stored is not None
    assert (stored.outcome, stored.ended_at) == (outcome, T0 + timedelta(seconds=600))
    assert stored.current_step is None
    assert store.interrupted_sessions() == []


def test_an_exercise_skipped_then_done_with_an_easier_variant_completes_the_session(
        plan: SessionPlan, store: HistoryStore, library: Library, log: SessionLog) -> None:
    sid = begun(log, plan)
    log.on_step_finished(finished(plan.step_at(LEAD_IN), "completed", 5.0))
    log.on_step_finished(finished(plan.step_at(PLANK_1), "skipped", 6.0))  # it hurt
    easier = plan.with_easier_variant(PLANK_1, library.exercises["knee_plank"])
    log.carry_on(sid, easier)
    for origin in range(PLANK_1, len(easier)):
        log.on_step_finished(finished(easier.step_at(origin), "completed", 1.0))
    assert log.finish("end") == "completed"
    stored = store.session(sid)
    assert stored is not None and stored.outcome == "completed"


# --- carry on ----------------------------------------------------------------------------------

def test_carrying_on_with_an_easier_variant_records_it(plan: SessionPlan, store: HistoryStore,
                                                       library: Library,
                                                       log: SessionLog) -> None:
    sid = begun(log, plan)
    easier = plan.with_easier_variant(PLANK_1, library.exercises["knee_plank"])
    log.carry_on(sid, easier)
    stored = store.session(sid)
    assert stored is not None
    assert stored.variants == ((PLANK_1, "knee_plank"), (REST, "knee_plank"),
                               (PLANK_2, "knee_plank"))
    assert log.session_id == sid
    log.on_step_finished(finished(easier.step_at(PLANK_1), "completed", 20.0))
    assert [(s.step_index, s.step_name) for s in store.steps(sid)] == [
        (PLANK_1, "Plank on knees")]


def test_carrying_on_without_variants_records_none(plan: SessionPlan,
                                                   store: HistoryStore,
                                                   log: SessionLog) -> None:
    sid = begun(log, plan)
    log.carry_on(sid, plan.resume([LEAD_IN]))
    stored = store.session(sid)
    assert stored is not None and stored.variants == ()


def test_a_session_resumed_after_a_kill_is_judged_on_every_step_recorded(
        tmp_path: Path, library: Library, isolated_data_dir: Path, clock: FakeClock) -> None:
    path = routine_file(tmp_path)
    plan = plan_of(path, library)
    first = HistoryStore.open(isolated_data_dir)
    try:
        log = SessionLog(first, lambda: wall(clock))
        sid = begun(log, plan)
        for origin in (LEAD_IN, PLANK_1, REST):
            log.on_step_finished(finished(plan.step_at(origin), "completed",
                                          plan.step_at(origin).planned_seconds))
        assert log.on_clock(plan.step_at(PLANK_2), 12.0)
        # Killed here: nothing more is written. Another process opens the history.
        with HistoryStore.open(isolated_data_dir) as second:
            [interrupted] = second.interrupted_sessions()
            assert interrupted.id == sid
            done = [s.step_index for s in second.steps(sid)]
            check = check_resume(interrupted, done, [], library, dict(library.exercises))
            resumed = check.plan
            assert resumed is not None
            second.resume_session(sid)
            again = SessionLog(second, lambda: wall(clock))
            again.carry_on(sid, resumed)
            plank = resumed.steps[resumed.start_at]
            assert (plank.origin, plank.duration_seconds) == (PLANK_2, 8.0)
            again.on_step_finished(finished(plank, "completed", 8.0))
            for origin in range(CAT_COW, len(resumed)):
                again.on_step_finished(finished(resumed.step_at(origin), "completed", 1.0))
            assert again.finish("end") == "completed"
            stored = second.session(sid)
            assert stored is not None
            assert stored.done_exercise_seconds == 20.0 + 20.0 + 24.0
            assert stored.done_share == 1.0 and stored.counts_for_adherence
    finally:
        first.close()


# --- a kill during ice -------------------------------------------------------------------------

def play_ice_until(log: SessionLog, ice: TimelineStep, killed_at: float, tick: float) -> None:
    """Feed the clock as the window does, every ``tick`` from the step's start, up to the
    moment of the kill (after which nothing is fed)."""
    n = 0
    while n * tick <= killed_at:
        log.on_clock(ice, n * tick)
        n += 1


def resumed_ice_seconds(data_dir: Path, sid: int, library: Library) -> tuple[float, SessionPlan
                                                                             | None]:
    """What a new process would play of the ice after the kill."""
    with HistoryStore.open(data_dir) as reopened:
        [interrupted] = reopened.interrupted_sessions()
        assert interrupted.id == sid
        done = [s.step_index for s in reopened.steps(sid)]
    check = check_resume(interrupted, done, [], library, dict(library.exercises))
    if check.plan is None:
        assert check.problem == ALL_DONE
        return 0.0, None
    step = check.plan.steps[check.plan.start_at]
    if step.kind is not StepKind.ICE:  # its time already used up: the next step plays
        return 0.0, check.plan
    assert step.duration_seconds is not None
    return step.duration_seconds, check.plan


def killed_during_ice(tmp_path: Path, library: Library, asked: str, tick: float,
                      killed_at: float) -> tuple[float, float]:
    """Play up to the ice, kill ``killed_at`` seconds into it; (its planned length, what a
    resume plays of it)."""
    data = tmp_path / f"kill-{killed_at}"
    plan = plan_of(routine_file(tmp_path / "routine", ice=asked), library)
    clock = FakeClock(start=0.0)
    first = HistoryStore.open(data)
    try:
        log = SessionLog(first, lambda: wall(clock))
        sid = begun(log, plan)
        for origin in range(ICE):
            log.on_step_finished(finished(plan.step_at(origin), "completed",
                                          plan.step_at(origin).planned_seconds))
        ice = plan.step_at(ICE)
        play_ice_until(log, ice, killed_at, tick)
        assert ice.duration_seconds is not None
        left, _ = resumed_ice_seconds(data, sid, library)
        return ice.duration_seconds, left
    finally:
        first.close()


@pytest.mark.parametrize("tick", [1.0, 0.25])
@pytest.mark.parametrize("asked", ["12m", "25m"])
def test_a_kill_during_ice_never_resumes_more_ice_than_was_left(
        tmp_path: Path, library: Library, asked: str, tick: float) -> None:
    planned = {"12m": 12 * 60, "25m": ICE_MAX_SECONDS}[asked]
    moments = [0.0, tick / 2, tick, 2 * tick, EVERY, EVERY + 0.01, 2 * EVERY - 0.01, 61.3, 11 * 60 + 0.5,
               planned - 2 * EVERY - 0.5, planned - EVERY, planned - 1.0, planned - tick / 2]
    for killed_at in moments:
        total, left = killed_during_ice(tmp_path, library, asked, tick, killed_at)
        assert total == planned
        applied = killed_at + left  # before the kill, as really elapsed, and after the resume
        where = f"killed {killed_at} s into {asked} of ice"
        assert applied <= planned, where
        assert applied <= ICE_MAX_SECONDS, where
        # ... and never much less: at most the lead it keeps over the clock is lost.
        assert applied >= planned - 2 * EVERY - 1e-9, where


def test_two_kills_during_one_ice_step_never_apply_more_than_its_length(
        tmp_path: Path, library: Library, isolated_data_dir: Path, clock: FakeClock) -> None:
    plan = plan_of(routine_file(tmp_path, ice="25m"), library)
    first = HistoryStore.open(isolated_data_dir)
    try:
        log = SessionLog(first, lambda: wall(clock))
        sid = begun(log, plan)
        for origin in range(ICE):
            log.on_step_finished(finished(plan.step_at(origin), "completed",
                                          plan.step_at(origin).planned_seconds))
        play_ice_until(log, plan.step_at(ICE), killed_at=9 * 60 + 42.5, tick=1.0)
        left, resumed = resumed_ice_seconds(isolated_data_dir, sid, library)
        assert resumed is not None
        with HistoryStore.open(isolated_data_dir) as second:
            second.resume_session(sid)
            again = SessionLog(second, lambda: wall(clock))
            again.carry_on(sid, resumed)
            ice = resumed.steps[resumed.start_at]
            assert ice.duration_seconds == left
            play_ice_until(again, ice, killed_at=7 * 60 + 3.7, tick=1.0)
        left_after_second, _ = resumed_ice_seconds(isolated_data_dir, sid, library)
        applied = (9 * 60 + 42.5) + (7 * 60 + 3.7) + left_after_second
        assert applied <= ICE_MAX_SECONDS
        assert applied >= ICE_MAX_SECONDS - 2 * 2 * EVERY
    finally:
        first.close()
