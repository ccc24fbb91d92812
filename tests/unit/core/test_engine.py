"""The session engine, driven by a fake clock: no test sleeps."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence

import pytest

from player.core.engine import (
    AwaitingConfirmation,
    AwaitingDone,
    BarrierConfirmed,
    Beat,
    CountdownSecond,
    EngineEvent,
    EngineState,
    Paused,
    Resumed,
    SessionEngine,
    SessionFinished,
    SessionStarted,
    SkinCheckDue,
    StepFinished,
    StepStarted,
    TempoPhase,
    step_schedule,
)
from player.core.routine import (
    Block,
    CadenceStep,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    Routine,
    Sides,
    Step,
    Tempo,
)
from player.core.timeline import StepKind, Timeline, TimelineStep, build_timeline
from tests.fakes import FakeClock

T0 = 1000.0
STATE_EVENTS = (StepStarted, StepFinished, SessionFinished, SkinCheckDue)

PLANK = Exercise("plank", "Plank")
BRIDGE = Exercise("glute_bridge", "Glute bridge")
SIDE_PLANK = Exercise("side_plank", "Side plank")
SQUAT = Exercise("bodyweight_squat", "Bodyweight squat")


def routine(*steps: Step, lead_in: float = 5.0) -> Routine:
    """A one-block routine of ``steps``."""
    return Routine(title="Test", blocks=(Block("Main", steps),), lead_in=lead_in)


def every_kind() -> Timeline:
    """0 lead-in 5, 1 plank 30, 2 bridge untimed, 3 rest 10, 4 side plank L 20, 5 switch 5,
    6 side plank R 20, 7 ice 60, 8 heat 60, 9 cadence 10 s at 180 bpm."""
    return build_timeline(
        routine(
            ExerciseStep(PLANK, hold=30),
            ExerciseStep(BRIDGE, reps=10, rest_after=10),
            ExerciseStep(SIDE_PLANK, hold=20, sides=Sides.BOTH, switch_time=5),
            IceStep(60),
            HeatStep(60),
            CadenceStep(bpm=180, seconds=10),
        )
    )


def uniform(count: int, seconds: float) -> Timeline:
    """``count`` rest steps of ``seconds`` each, built by hand."""
    steps = tuple(
        TimelineStep(i, "Main", StepKind.REST, "Rest", i * seconds, seconds) for i in range(count)
    )
    return Timeline("Uniform", steps)


class Session:
    """An engine on a fake clock, with every event it emitted."""

    def __init__(self, timeline: Timeline, start: bool = True) -> None:
        self.clock = FakeClock(T0)
        self.engine = SessionEngine(timeline, self.clock)
        self.events: list[EngineEvent] = []
        self.engine.subscribe(self.events.append)
        if start:
            self.engine.start()

    def at(self, offset: float) -> list[EngineEvent]:
        """Jump to ``T0 + offset``, tick once, return the new events."""
        before = len(self.events)
        self.clock.set(T0 + offset)
        self.engine.tick()
        return self.events[before:]

    def drive(self, until: float) -> list[EngineEvent]:
        """Tick like a perfect driver, exactly at every due time up to ``T0 + until``."""
        before = len(self.events)
        due = self.engine.tick()
        while due is not None and due <= T0 + until:
            self.clock.set(due)
            due = self.engine.tick()
        self.clock.set(max(self.clock.time, T0 + until))
        self.engine.tick()
        return self.events[before:]

    def command(self, fn: Callable[[], bool]) -> list[EngineEvent]:
        """Run a command, return the new events."""
        before = len(self.events)
        fn()
        return self.events[before:]

    def go_to(self, index: int) -> None:
        """Reach step ``index`` with next()."""
        while self.engine.index < index:
            self.engine.next()


def kinds(events: Sequence[EngineEvent]) -> list[str]:
    """Event class names, for readable order checks."""
    return [type(e).__name__ for e in events]


def of(events: Sequence[EngineEvent], cls: type[EngineEvent]) -> list[EngineEvent]:
    """The events of one class."""
    return [e for e in events if isinstance(e, cls)]


def started(events: Sequence[EngineEvent]) -> list[StepStarted]:
    """The StepStarted events."""
    return [e for e in events if isinstance(e, StepStarted)]


def finished(events: Sequence[EngineEvent]) -> list[StepFinished]:
    """The StepFinished events."""
    return [e for e in events if isinstance(e, StepFinished)]


def entry_state(step: TimelineStep) -> EngineState:
    """The state a step starts in."""
    if step.kind in (StepKind.ICE, StepKind.HEAT):
        return EngineState.AWAITING_CONFIRMATION
    if not step.timed:
        return EngineState.AWAITING_DONE
    return EngineState.RUNNING


def assert_paired(events: Sequence[EngineEvent], open_step: TimelineStep | None = None) -> None:
    """Each StepStarted is closed by one StepFinished of that step before anything else starts.

    ``open_step`` is the step in play before ``events``.
    """
    for e in events:
        if isinstance(e, StepStarted):
            assert open_step is None, f"{e.step.name} started while {open_step} was open"
            open_step = e.step
        elif isinstance(e, StepFinished):
            assert e.step == open_step
            open_step = None
        elif isinstance(e, SessionFinished):
            assert open_step is None


# --- a whole routine -------------------------------------------------------------------------
def test_a_whole_routine_plays_to_the_end() -> None:
    s = Session(every_kind())
    steps = s.engine.timeline.steps
    assert kinds(s.events) == ["SessionStarted", "StepStarted"]
    s.drive(35)  # lead-in 5 + plank 30
    assert s.engine.state is EngineState.AWAITING_DONE
    assert s.engine.current == steps[2]
    s.clock.set(T0 + 60)
    assert s.engine.done()
    s.drive(60 + 10 + 20 + 5 + 20)  # rest, left, switch, right
    assert s.engine.state is EngineState.AWAITING_CONFIRMATION
    s.clock.set(T0 + 200)
    assert s.engine.confirm_barrier()
    s.drive(260)
    assert s.engine.state is EngineState.AWAITING_CONFIRMATION
    assert s.engine.current == steps[8]
    s.clock.set(T0 + 300)
    s.engine.confirm_barrier()
    s.drive(370)

    assert s.engine.state is EngineState.FINISHED
    assert s.engine.current is None
    assert s.engine.progress == 1.0
    assert s.engine.total_remaining_seconds() == 0.0
    assert s.engine.next_due() is None
    assert isinstance(s.events[-1], SessionFinished) and s.events[-1].completed
    assert s.events[-1].at == T0 + 370
    assert [e.step.index for e in started(s.events)] == list(range(10))
    assert [f.status for f in finished(s.events)] == ["completed"] * 10
    assert [f.actual_seconds for f in finished(s.events)] == [5, 30, 25, 10, 20, 5, 20, 60, 60, 10]
    assert [e.step.kind for e in of(s.events, SkinCheckDue)] == [StepKind.ICE, StepKind.HEAT]
    assert not any(e.stale for e in s.events)
    assert_paired(s.events)


def test_step_start_times_follow_the_timeline_when_nothing_waits() -> None:
    timeline = build_timeline(
        routine(ExerciseStep(PLANK, hold=30, sets=3, rest_between_sets=15, rest_after=20))
    )
    s = Session(timeline)
    s.drive(timeline.total_seconds)
    assert [e.at - T0 for e in started(s.events)] == [st.start_seconds for st in timeline.steps]
    assert s.engine.state is EngineState.FINISHED


def test_an_empty_timeline_finishes_at_once() -> None:
    s = Session(Timeline("Empty", ()))
    assert kinds(s.events) == ["SessionStarted", "SessionFinished"]
    assert s.engine.state is EngineState.FINISHED


def test_the_engine_is_idle_until_started() -> None:
    s = Session(every_kind(), start=False)
    assert s.engine.state is EngineState.IDLE
    assert s.engine.current is None
    assert s.engine.tick() is None
    assert s.engine.total_remaining_seconds() == s.engine.timeline.total_seconds
    assert not s.engine.pause() and not s.engine.next() and not s.engine.stop()
    assert s.events == []
    assert s.engine.start() and not s.engine.start()
    assert isinstance(s.events[0], SessionStarted) and s.events[0].at == T0


# --- pause and resume ------------------------------------------------------------------------
@pytest.mark.parametrize("paused_for", [7.25, 2 * 3600.0])
def test_pause_shifts_every_remaining_deadline_by_the_time_paused(paused_for: float) -> None:
    s = Session(every_kind())
    s.drive(10)  # 5 s into the plank (5..35)
    assert s.command(s.engine.pause) == [Paused(at=T0 + 10)]
    assert s.engine.state is EngineState.PAUSED
    assert s.engine.resume_state is EngineState.RUNNING
    assert s.engine.next_due() is None
    s.clock.set(T0 + 10 + paused_for)
    assert s.engine.tick() is None
    assert s.engine.remaining_seconds() == 25.0
    assert s.engine.elapsed_in_step() == 5.0

    resumed = s.command(s.engine.resume)
    assert resumed == [Resumed(paused_for, at=T0 + 10 + paused_for)]
    assert s.engine.state is EngineState.RUNNING
    assert s.engine.next_due() == T0 + 20 + paused_for  # halfway at 15 s into the plank
    later = s.drive(35 + paused_for)
    assert [(type(e).__name__, e.at - T0 - paused_for) for e in later] == [
        ("Halfway", 20.0),
        ("CountdownSecond", 32.0),
        ("CountdownSecond", 33.0),
        ("CountdownSecond", 34.0),
        ("StepFinished", 35.0),
        ("StepStarted", 35.0),
        ("AwaitingDone", 35.0),
    ]
    assert finished(later)[0].actual_seconds == 30.0


def test_pause_and_resume_only_apply_in_their_states() -> None:
    s = Session(every_kind())
    assert not s.engine.resume()
    assert s.engine.pause()
    assert not s.engine.pause()
    assert s.engine.resume()
    assert not s.engine.resume()


def test_pause_catches_up_first_so_it_applies_to_the_step_now_due() -> None:
    s = Session(every_kind())
    s.clock.set(T0 + 5.5)  # the lead-in ended at 5, no tick since
    events = s.command(s.engine.pause)
    assert kinds(events) == ["StepFinished", "StepStarted", "Paused"]
    assert s.engine.resume_state is EngineState.RUNNING
    assert s.engine.current == s.engine.timeline.steps[1]
    assert s.engine.elapsed_in_step() == 0.5


@pytest.mark.parametrize("index", [2, 7])
def test_pause_is_allowed_while_waiting_for_the_person(index: int) -> None:
    s = Session(every_kind())
    s.go_to(index)
    waiting = s.engine.state
    s.clock.advance(3)
    assert s.engine.pause()
    s.clock.advance(100)
    assert s.engine.resume()
    assert s.engine.state is waiting
    expected = 3.0 if waiting is EngineState.AWAITING_DONE else 0.0
    assert s.engine.elapsed_in_step() == expected


def test_done_while_paused_resumes_then_completes_the_set() -> None:
    s = Session(every_kind())
    s.go_to(2)
    s.clock.advance(12)
    s.engine.pause()
    s.clock.advance(60)
    events = s.command(s.engine.done)
    assert kinds(events) == ["Resumed", "StepFinished", "StepStarted"]
    assert finished(events)[0].status == "completed"
    assert finished(events)[0].actual_seconds == 12.0


def test_confirm_while_paused_resumes_then_starts_the_timer() -> None:
    s = Session(every_kind())
    s.go_to(7)
    s.engine.pause()
    s.clock.advance(30)
    events = s.command(s.engine.confirm_barrier)
    assert kinds(events) == ["Resumed", "BarrierConfirmed"]
    assert s.engine.state is EngineState.RUNNING
    assert s.engine.next_due() == s.clock.time + 30  # halfway of 60 s


# --- navigation at every kind of step ----------------------------------------------------------
# (index in every_kind(), confirm the barrier first)
PLACES = [
    pytest.param(0, False, id="lead_in"),
    pytest.param(1, False, id="exercise_timed"),
    pytest.param(2, False, id="exercise_untimed"),
    pytest.param(3, False, id="rest"),
    pytest.param(4, False, id="exercise_left"),
    pytest.param(5, False, id="switch_sides"),
    pytest.param(6, False, id="exercise_right"),
    pytest.param(7, False, id="ice_awaiting_confirmation"),
    pytest.param(7, True, id="ice_running"),
    pytest.param(8, False, id="heat_awaiting_confirmation"),
    pytest.param(8, True, id="heat_running"),
    pytest.param(9, False, id="cadence"),
]


def at_place(index: int, confirm: bool) -> Session:
    """A session 2 s into step ``index`` (ice/heat confirmed first when ``confirm``)."""
    s = Session(every_kind())
    s.go_to(index)
    if confirm:
        assert s.engine.confirm_barrier()
    s.clock.advance(2)
    s.engine.tick()
    return s


def expected_actual(index: int, confirm: bool) -> float:
    """Timer seconds of a step left 2 s in: 0 for ice/heat still awaiting the barrier."""
    return 0.0 if index in (7, 8) and not confirm else 2.0


def check_move(s: Session, events: list[EngineEvent], left: int, confirm: bool, to: int) -> None:
    steps = s.engine.timeline.steps
    leaving = finished(events)
    assert len(leaving) == 1
    assert leaving[0].step == steps[left]
    assert leaving[0].status == "skipped"
    assert leaving[0].actual_seconds == expected_actual(left, confirm)
    assert leaving[0].at == s.clock.time
    skin = of(events, SkinCheckDue)
    assert len(skin) == (1 if left in (7, 8) and confirm else 0)
    assert started(events)[0].step == steps[to]
    assert started(events)[0].at == s.clock.time
    assert s.engine.current == steps[to]
    assert s.engine.state is entry_state(steps[to])
    assert s.engine.elapsed_in_step() == 0.0
    if steps[to].timed:
        assert s.engine.remaining_seconds() == steps[to].duration_seconds
    assert_paired(events, steps[left])


@pytest.mark.parametrize(("index", "confirm"), PLACES)
def test_next_skips_the_step_and_starts_the_next(index: int, confirm: bool) -> None:
    s = at_place(index, confirm)
    events = s.command(s.engine.next)
    if index == 9:
        assert finished(events)[0].status == "skipped"
        assert isinstance(events[-1], SessionFinished) and events[-1].completed
        assert s.engine.state is EngineState.FINISHED
    else:
        check_move(s, events, index, confirm, index + 1)


@pytest.mark.parametrize(("index", "confirm"), PLACES)
def test_previous_starts_the_previous_step(index: int, confirm: bool) -> None:
    s = at_place(index, confirm)
    events = s.command(s.engine.previous)
    check_move(s, events, index, confirm, max(index - 1, 0))


@pytest.mark.parametrize(("index", "confirm"), PLACES)
def test_restart_step_starts_the_same_step_again(index: int, confirm: bool) -> None:
    s = at_place(index, confirm)
    events = s.command(s.engine.restart_step)
    check_move(s, events, index, confirm, index)


@pytest.mark.parametrize(("index", "confirm"), PLACES)
def test_navigation_while_paused_resumes_first(index: int, confirm: bool) -> None:
    s = at_place(index, confirm)
    s.engine.pause()
    s.clock.advance(50)
    events = s.command(s.engine.restart_step)
    assert isinstance(events[0], Resumed) and events[0].paused_seconds == 50
    check_move(s, events[1:], index, confirm, index)


def test_previous_is_not_a_restart_however_long_the_step_ran() -> None:
    s = Session(every_kind())
    s.go_to(1)
    s.clock.advance(25)
    events = s.command(s.engine.previous)
    assert started(events)[0].step.kind is StepKind.LEAD_IN


def test_a_restarted_step_runs_its_full_length_from_the_restart() -> None:
    s = Session(every_kind())
    s.drive(20)  # 15 s into the plank
    s.engine.restart_step()
    later = s.drive(20 + 30)
    assert [(type(e).__name__, e.at - T0) for e in later if not isinstance(e, CountdownSecond)] == [
        ("Halfway", 35.0),
        ("StepFinished", 50.0),
        ("StepStarted", 50.0),
        ("AwaitingDone", 50.0),
    ]


# --- done and barrier confirmation -------------------------------------------------------------
def test_done_completes_an_untimed_set_and_the_next_step_counts_from_then() -> None:
    s = Session(every_kind())
    s.drive(35)
    assert s.engine.remaining_seconds() is None
    assert s.engine.next_due() is None
    s.clock.set(T0 + 47.5)
    assert s.engine.elapsed_in_step() == 12.5
    events = s.command(s.engine.done)
    assert kinds(events) == ["StepFinished", "StepStarted"]
    assert finished(events)[0].status == "completed"
    assert finished(events)[0].actual_seconds == 12.5
    assert s.engine.next_due() == T0 + 47.5 + 7  # the rest's first countdown second
    s.drive(57.5)
    assert s.engine.current == s.engine.timeline.steps[4]
    assert started(s.events)[-1].at == T0 + 57.5


@pytest.mark.parametrize(("index", "confirm"), [p for p in PLACES if p.values[0] != 2])
def test_done_applies_only_to_an_untimed_set(index: int, confirm: bool) -> None:
    s = at_place(index, confirm)
    assert s.command(s.engine.done) == []


@pytest.mark.parametrize(("index", "confirm"), [p for p in PLACES if p.values[0] not in (7, 8)])
def test_confirm_barrier_applies_only_to_ice_and_heat(index: int, confirm: bool) -> None:
    s = at_place(index, confirm)
    assert s.command(s.engine.confirm_barrier) == []


@pytest.mark.parametrize(("index", "kind"), [(7, StepKind.ICE), (8, StepKind.HEAT)])
def test_ice_and_heat_wait_for_the_barrier_before_their_timer(index: int, kind: StepKind) -> None:
    s = Session(every_kind())
    s.go_to(index)
    step = s.engine.timeline.steps[index]
    assert step.kind is kind
    assert kinds(s.events[-2:]) == ["StepStarted", "AwaitingConfirmation"]
    assert s.events[-1] == AwaitingConfirmation(step, at=s.clock.time)
    s.clock.advance(600)
    assert s.engine.tick() is None
    assert s.engine.remaining_seconds() == 60.0
    assert s.engine.elapsed_in_step() == 0.0
    confirmed_at = s.clock.time
    assert s.command(s.engine.confirm_barrier) == [BarrierConfirmed(step, at=confirmed_at)]
    assert not s.engine.confirm_barrier()
    end = confirmed_at - T0 + 60
    events = s.drive(end)
    assert [(type(e).__name__, e.at - confirmed_at) for e in events[:6]] == [
        ("Halfway", 30.0),
        ("CountdownSecond", 57.0),
        ("CountdownSecond", 58.0),
        ("CountdownSecond", 59.0),
        ("StepFinished", 60.0),
        ("SkinCheckDue", 60.0),
    ]
    assert finished(events)[0].actual_seconds == 60.0


def test_skipping_ice_before_the_barrier_asks_no_skin_check() -> None:
    s = Session(every_kind())
    s.go_to(7)
    assert of(s.command(s.engine.next), SkinCheckDue) == []


# --- stop --------------------------------------------------------------------------------------
def test_stop_skips_the_step_and_ends_the_session_not_completed() -> None:
    s = Session(every_kind())
    s.drive(20)
    progress = s.engine.progress
    events = s.command(s.engine.stop)
    assert kinds(events) == ["StepFinished", "SessionFinished"]
    assert finished(events)[0].status == "skipped"
    assert finished(events)[0].actual_seconds == 15.0
    assert events[-1] == SessionFinished(False, at=T0 + 20)
    assert s.engine.state is EngineState.STOPPED
    assert s.engine.progress == progress
    assert s.engine.current is None
    count = len(s.events)
    for command in (s.engine.stop, s.engine.next, s.engine.pause, s.engine.done, s.engine.start):
        assert not command()
    s.clock.advance(1000)
    assert s.engine.tick() is None
    assert len(s.events) == count


def test_stop_while_paused_counts_the_step_up_to_the_pause() -> None:
    s = Session(every_kind())
    s.drive(12)
    s.engine.pause()
    s.clock.advance(300)
    events = s.command(s.engine.stop)
    assert kinds(events) == ["StepFinished", "SessionFinished"]
    assert finished(events)[0].actual_seconds == 7.0


# --- timing of the sonic events ----------------------------------------------------------------
def test_tempo_phases_come_in_order_at_their_boundaries() -> None:
    timeline = build_timeline(
        routine(ExerciseStep(SQUAT, reps=2, tempo=Tempo(up=2, hold=3, down=2)), lead_in=0)
    )
    s = Session(timeline)
    s.drive(14)
    events = s.events[2:]  # after SessionStarted, StepStarted
    timed = [
        (
            e.at - T0,
            type(e).__name__,
            getattr(e, "rep", None),
            getattr(e, "phase", None),
            getattr(e, "seconds_left", None),
        )
        for e in events
    ]
    assert timed == [
        (0.0, "TempoPhase", 1, "up", None),
        (2.0, "TempoPhase", 1, "hold", None),
        (5.0, "TempoPhase", 1, "down", None),
        (7.0, "TempoPhase", 2, "up", None),
        (9.0, "TempoPhase", 2, "hold", None),
        (11.0, "CountdownSecond", None, None, 3),
        (12.0, "TempoPhase", 2, "down", None),
        (12.0, "CountdownSecond", None, None, 2),
        (13.0, "CountdownSecond", None, None, 1),
        (14.0, "StepFinished", None, None, None),
        (14.0, "SessionFinished", None, None, None),
    ]


def test_the_first_tempo_phase_follows_its_step_start() -> None:
    timeline = build_timeline(routine(ExerciseStep(SQUAT, reps=3, tempo=Tempo(1, 0, 1)), lead_in=0))
    s = Session(timeline)
    assert kinds(s.events) == ["SessionStarted", "StepStarted", "TempoPhase"]
    phases = [e for e in s.drive(6) if isinstance(e, TempoPhase)]
    assert [(p.rep, p.phase) for p in phases] == [
        (1, "down"),
        (2, "up"),
        (2, "down"),
        (3, "up"),
        (3, "down"),
    ]


def test_beats_at_180_bpm_fall_every_third_of_a_second_from_the_step_start() -> None:
    timeline = build_timeline(routine(CadenceStep(bpm=180, seconds=10), lead_in=3))
    s = Session(timeline)
    s.drive(13)
    events = s.events
    beats = [e for e in events if isinstance(e, Beat)]
    start = T0 + 3
    assert [b.n for b in beats] == list(range(30))
    assert [b.at for b in beats] == [start + n * 60 / 180 for n in range(30)]
    assert started(events)[1].at == start
    assert kinds(events).index("Beat") == kinds(events).index("StepStarted", 2) + 1


def test_beats_are_computed_not_accumulated_over_a_long_drill() -> None:
    timeline = build_timeline(routine(CadenceStep(bpm=173, seconds=600), lead_in=0))
    s = Session(timeline)
    s.drive(600)
    beats = [e for e in s.events if isinstance(e, Beat)]
    assert len(beats) == 1730
    assert beats[-1].at == T0 + 1729 * 60 / 173


def test_countdown_and_halfway_rules() -> None:
    def names(kind: StepKind, seconds: float) -> list[tuple[str, float]]:
        step = TimelineStep(0, "Main", kind, "x", 0, seconds)
        return [(type(e).__name__, e.at) for e in step_schedule(step)]

    assert names(StepKind.REST, 3) == []
    assert names(StepKind.REST, 4) == [
        ("CountdownSecond", 1),
        ("CountdownSecond", 2),
        ("CountdownSecond", 3),
    ]
    assert names(StepKind.REST, 40)[0] == ("CountdownSecond", 37)
    assert names(StepKind.EXERCISE, 19) == names(StepKind.REST, 19)
    assert names(StepKind.EXERCISE, 20)[0] == ("Halfway", 10)
    assert names(StepKind.ICE, 600)[0] == ("Halfway", 300)
    assert names(StepKind.HEAT, 600)[0] == ("Halfway", 300)
    assert names(StepKind.CADENCE, 60) == names(StepKind.REST, 60)  # bpm None: no beats
    assert ("Halfway", 30) not in names(StepKind.LEAD_IN, 60)


# --- no drift ----------------------------------------------------------------------------------
def test_boundaries_land_on_their_deadlines_however_late_the_ticks() -> None:
    timeline = uniform(1000, 1.0)
    s = Session(timeline)
    rng = random.Random(7)
    t = 0.0
    while s.engine.state is EngineState.RUNNING:
        t += rng.uniform(0.05, 0.95)  # irregular ticks, each one late
        s.at(t)
    assert [e.at for e in started(s.events)] == [T0 + i for i in range(1000)]
    assert [e.at for e in finished(s.events)] == [T0 + i + 1 for i in range(1000)]
    assert s.events[-1] == SessionFinished(True, at=T0 + 1000)


def test_fractional_steps_stay_on_the_timeline_without_accumulating() -> None:
    timeline = uniform(3000, 0.7)
    s = Session(timeline)
    s.drive(3000 * 0.7 + 1)
    starts = [e.at - T0 for e in started(s.events)]
    assert starts == pytest.approx([st.start_seconds for st in timeline.steps], abs=1e-9)


# --- stale cues --------------------------------------------------------------------------------
def test_a_long_stall_catches_up_state_but_drops_stale_sounds() -> None:
    s = Session(every_kind())
    s.at(1)
    events = s.at(200)  # slept through the lead-in end and the whole plank
    assert [(type(e).__name__, e.at - T0, e.stale) for e in events] == [
        ("StepFinished", 5.0, True),
        ("StepStarted", 5.0, True),
        ("StepFinished", 35.0, True),
        ("StepStarted", 35.0, True),
        ("AwaitingDone", 35.0, True),
    ]
    assert s.engine.state is EngineState.AWAITING_DONE
    assert s.engine.elapsed_in_step() == 165.0


def test_a_stall_inside_a_cadence_drill_drops_the_missed_beats() -> None:
    timeline = build_timeline(routine(CadenceStep(bpm=180, seconds=60), lead_in=0))
    s = Session(timeline)
    s.at(10)
    events = s.at(40)
    beats = [e for e in events if isinstance(e, Beat)]
    assert [b.n for b in beats] == [117, 118, 119, 120]  # due within the last second only
    assert all(b.at >= T0 + 39 for b in beats)
    assert s.engine.next_due() == T0 + 121 / 3


def test_sounds_less_than_a_second_late_still_play() -> None:
    s = Session(every_kind())
    events = s.at(5 + 15.9)  # halfway was due at 20
    assert [type(e).__name__ for e in events][-1] == "Halfway"
    assert not events[-1].stale


def test_the_state_story_is_the_same_however_the_ticks_fall() -> None:
    def story(tick_at: list[float]) -> list[tuple[str, float]]:
        s = Session(every_kind())
        for t in tick_at:
            s.at(t)
        s.engine.done()
        return [(type(e).__name__, e.at) for e in s.events if isinstance(e, STATE_EVENTS)]

    assert story([100]) == story([0.5 * i for i in range(1, 201)]) == story([4.99, 5, 34.99, 100])


# --- display helpers and totals ------------------------------------------------------------------
def test_next_second_boundary_follows_the_countdown_and_the_count_up() -> None:
    s = Session(every_kind())
    assert s.engine.next_second_boundary() == T0 + 1
    s.clock.set(T0 + 1.25)
    assert s.engine.next_second_boundary() == T0 + 2
    s.clock.set(T0 + 2)
    assert s.engine.next_second_boundary() == T0 + 3
    s.drive(35)
    s.clock.set(T0 + 36.5)
    assert s.engine.next_second_boundary() == T0 + 37  # counting up from 35
    s.engine.pause()
    assert s.engine.next_second_boundary() is None


def test_total_remaining_and_progress() -> None:
    s = Session(every_kind())
    total = s.engine.timeline.total_seconds
    assert total == 5 + 30 + 40 + 10 + 20 + 5 + 20 + 60 + 60 + 10
    assert s.engine.total_remaining_seconds() == total
    assert s.engine.progress == 0.0
    s.drive(20)
    assert s.engine.total_remaining_seconds() == total - 20
    assert s.engine.progress == pytest.approx(20 / total)
    s.drive(35 + 100)  # the untimed set overruns its 40 s estimate: counted as 0 left, not less
    assert s.engine.total_remaining_seconds() == total - 35 - 40


# --- delivery ----------------------------------------------------------------------------------
def test_a_subscriber_may_call_commands_and_order_is_kept() -> None:
    s = Session(every_kind(), start=False)
    seen: list[str] = []

    def on_event(event: EngineEvent) -> None:
        seen.append(type(event).__name__)
        if isinstance(event, AwaitingDone):
            s.engine.done()  # re-entrant: queued after the current events

    s.engine.subscribe(on_event)
    s.engine.start()
    s.drive(35)
    assert seen[-5:] == [
        "StepFinished",
        "StepStarted",
        "AwaitingDone",
        "StepFinished",
        "StepStarted",
    ]
    assert s.engine.current == s.engine.timeline.steps[3]


def test_unsubscribe_stops_delivery() -> None:
    s = Session(every_kind(), start=False)
    other: list[EngineEvent] = []
    unsubscribe = s.engine.subscribe(other.append)
    s.engine.start()
    unsubscribe()
    s.engine.pause()
    assert kinds(other) == ["SessionStarted", "StepStarted"]
    assert kinds(s.events)[-1] == "Paused"


def test_events_are_frozen_values() -> None:
    event = Paused(at=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.at = 2.0  # type: ignore[misc]
    assert event == Paused(at=1.0)
    assert event != Paused(at=1.0, stale=True)


# --- lengthening a rest (the skin's rest before ice or heat) -------------------------------------
def rest_then_ice() -> Timeline:
    """0 rest 10 s (10..20 after the lead-in's 10), 1 ice 60 s, built by hand."""
    return Timeline("Rest then ice", (
        TimelineStep(0, "Main", StepKind.LEAD_IN, "Get ready", 0, 10),
        TimelineStep(1, "Main", StepKind.REST, "Rest", 10, 10),
        TimelineStep(2, "Main", StepKind.ICE, "Ice", 20, 60),
    ))


@pytest.mark.parametrize("paused", [False, True])
def test_a_rest_lengthened_ends_that_much_later_with_its_countdown_moved(paused: bool) -> None:
    from player.core.engine import StepLengthened

    s = Session(rest_then_ice())
    s.drive(14)  # 4 s into the rest
    if paused:
        s.engine.pause()
    total = s.engine.total_remaining_seconds()
    events = s.command(lambda: s.engine.lengthen_current(30))
    [event] = events
    assert isinstance(event, StepLengthened) and event.seconds == 30
    assert event.step.duration_seconds == 40 and event.step.index == 1
    assert s.engine.current == event.step
    assert s.engine.remaining_seconds() == 36.0
    assert s.engine.total_remaining_seconds() == total + 30
    if paused:
        s.clock.set(T0 + 100)  # 86 s paused
        s.engine.resume()
    shift = 86.0 if paused else 0.0
    later = s.drive(60 + shift)
    assert [(type(e).__name__, e.at - T0 - shift) for e in later if not isinstance(e, Resumed)
            ] == [
        ("CountdownSecond", 47.0), ("CountdownSecond", 48.0), ("CountdownSecond", 49.0),
        ("StepFinished", 50.0), ("StepStarted", 50.0), ("AwaitingConfirmation", 50.0)]
    assert finished(later)[0].actual_seconds == 40.0  # what it ran, the added time included


def test_a_rest_lengthened_in_its_countdown_counts_down_again_at_its_new_end() -> None:
    s = Session(rest_then_ice())
    s.drive(18.5)  # the countdown's 3 and 2 have sounded
    assert s.engine.lengthen_current(5)
    later = s.drive(26)
    assert [(type(e).__name__, e.at - T0) for e in later] == [
        ("CountdownSecond", 22.0), ("CountdownSecond", 23.0), ("CountdownSecond", 24.0),
        ("StepFinished", 25.0), ("StepStarted", 25.0), ("AwaitingConfirmation", 25.0)]


def test_progress_counts_the_added_rest() -> None:
    s = Session(rest_then_ice())
    s.drive(15)
    before = s.engine.progress
    s.engine.lengthen_current(80)
    assert s.engine.progress < before  # more of the session is left
    assert 0.0 <= s.engine.progress <= 1.0


@pytest.mark.parametrize("seconds", [0.0, -5.0, float("nan"), float("inf")])
def test_a_rest_is_lengthened_only_by_a_positive_time(seconds: float) -> None:
    s = Session(rest_then_ice())
    s.drive(12)
    assert s.command(lambda: s.engine.lengthen_current(seconds)) == []
    assert s.engine.remaining_seconds() == 8.0


def test_only_a_rest_in_play_can_be_lengthened() -> None:
    s = Session(rest_then_ice(), start=False)
    assert not s.engine.lengthen_current(10)  # idle
    s.engine.start()
    assert not s.engine.lengthen_current(10)  # the lead-in
    s.drive(25)  # the ice waits for its barrier
    assert not s.engine.lengthen_current(10)
    s.engine.confirm_barrier()
    assert not s.engine.lengthen_current(10)  # the ice's own time is capped, never lengthened
    assert s.engine.remaining_seconds() == 60.0
    s.engine.stop()
    assert not s.engine.lengthen_current(10)
    exercise = Session(every_kind())
    exercise.drive(6)
    assert not exercise.engine.lengthen_current(10)  # the plank's hold is prescribed


@pytest.mark.parametrize("how", ["restart_step", "previous"])
def test_a_lengthened_rest_played_again_has_its_routine_length(how: str) -> None:
    s = Session(rest_then_ice())
    s.drive(12)
    s.engine.lengthen_current(100)
    total = s.engine.total_remaining_seconds()
    if how == "previous":
        s.engine.next()  # to the ice, then back to the rest
    getattr(s.engine, how)()
    assert s.engine.current is not None and s.engine.current.name == "Rest"
    assert s.engine.current.duration_seconds == 10
    assert s.engine.remaining_seconds() == 10.0
    assert s.engine.total_remaining_seconds() == total - 100 + 2  # 2 s of the rest had run
    later = s.drive(12 + 10)
    assert started(later)[-1].step.kind is StepKind.ICE
