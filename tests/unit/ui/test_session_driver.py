"""The Qt session driver, on a fake clock: advance the clock, then call the timer's slot."""

from __future__ import annotations

import sys

import pytest
from pytestqt.qtbot import QtBot

from player.core.engine import (
    Beat,
    EngineEvent,
    EngineState,
    SessionEngine,
    StepFinished,
    StepStarted,
)
from player.core.routine import (
    Block,
    CadenceStep,
    Exercise,
    ExerciseStep,
    IceStep,
    Routine,
)
from player.core.timeline import StepKind, Timeline, TimelineStep, build_timeline
from player.ui.controllers.session_driver import SessionDriver
from tests.fakes import FakeClock

T0 = 1000.0
PLANK = Exercise("plank", "Plank")
BRIDGE = Exercise("glute_bridge", "Glute bridge")

# 0 lead-in 5, 1 plank 30, 2 bridge untimed, 3 ice 60, 4 cadence 10 s at 180 bpm
TIMELINE = build_timeline(
    Routine(
        title="Driver",
        blocks=(
            Block(
                "Main",
                (
                    ExerciseStep(PLANK, hold=30),
                    ExerciseStep(BRIDGE, reps=10),
                    IceStep(60),
                    CadenceStep(bpm=180, seconds=10),
                ),
            ),
        ),
    )
)


class Rig:
    """A driver on a fake clock, recording every event it re-emits."""

    def __init__(self, qtbot: QtBot, timeline: Timeline = TIMELINE) -> None:
        self.clock = FakeClock(T0)
        self.driver = SessionDriver(SessionEngine(timeline, self.clock), self.clock)
        self.events: list[EngineEvent] = []
        self.driver.event_emitted.connect(self.events.append)
        self.qtbot = qtbot

    def wake_at(self, offset: float) -> None:
        """Move the clock to ``T0 + offset`` and fire the timer's slot, as the timer would."""
        self.clock.set(T0 + offset)
        self.driver.tick()

    @property
    def interval(self) -> int:
        return self.driver.timer.interval()


@pytest.fixture
def rig(qtbot: QtBot) -> Rig:
    return Rig(qtbot)


def test_start_emits_the_first_step_and_sleeps_until_the_next_second(rig: Rig) -> None:
    steps: list[TimelineStep] = []
    rig.driver.step_started.connect(steps.append)
    with rig.qtbot.waitSignals(
        [rig.driver.session_started, rig.driver.step_started], order="strict"
    ):
        assert rig.driver.start()
    assert steps == [TIMELINE.steps[0]]
    assert rig.driver.timer.isActive()
    assert rig.driver.timer.isSingleShot()
    assert rig.interval == 1000
    assert rig.driver.display_seconds == 5


def test_the_timer_is_set_to_the_next_deadline_after_a_late_wake(rig: Rig) -> None:
    rig.driver.start()
    rig.wake_at(1.3)  # 300 ms late for the 1 s boundary: next wake at 2.0
    assert rig.interval == 700
    rig.wake_at(2.0)  # countdown beep at 2 (3 s left), boundary at 3
    assert rig.interval == 1000
    assert rig.driver.display_seconds == 3
    with rig.qtbot.waitSignal(rig.driver.step_started) as blocker:
        rig.wake_at(5.004)
    assert blocker.args == [TIMELINE.steps[1]]
    assert rig.interval == 996  # the plank's first second ends at 6.0


def test_the_interval_follows_the_engine_next_due_when_it_comes_first(rig: Rig) -> None:
    rig.driver.start()
    rig.driver.next()
    rig.driver.next()
    rig.driver.next()
    rig.driver.confirm_barrier()
    rig.driver.next()  # cadence: beats every 1/3 s
    assert rig.driver.engine.current == TIMELINE.steps[4]
    assert rig.driver.scheduled_wake == T0 + 1 / 3  # beat 1
    assert rig.interval == 334  # 333.3 ms rounded up: a timer may wake late, never early
    rig.wake_at(0.34)
    assert rig.driver.scheduled_wake == T0 + 2 / 3  # beat 2
    assert rig.interval == 327


def test_state_signals_for_pause_resume_and_waiting(rig: Rig) -> None:
    states: list[str] = []
    rig.driver.state_changed.connect(states.append)
    rig.driver.start()
    with rig.qtbot.waitSignal(rig.driver.paused):
        rig.driver.pause()
    assert not rig.driver.timer.isActive()
    rig.clock.advance(3600)
    with rig.qtbot.waitSignal(rig.driver.resumed):
        rig.driver.toggle_pause()
    assert rig.interval == 1000
    with rig.qtbot.waitSignal(rig.driver.awaiting_done) as waiting:
        rig.driver.next()
        rig.driver.next()
    assert waiting.args == [TIMELINE.steps[2]]
    assert rig.driver.timer.isActive()  # the count-up display still refreshes every second
    with rig.qtbot.waitSignal(rig.driver.awaiting_confirmation):
        rig.driver.done()
    assert not rig.driver.timer.isActive()  # nothing counts until the barrier is confirmed
    with rig.qtbot.waitSignal(rig.driver.barrier_confirmed):
        rig.driver.confirm_barrier()
    assert rig.driver.timer.isActive()
    assert states == ["running", "paused", "running", "awaiting_done", "awaiting_confirmation",
                      "running"]  # fmt: skip


def test_finishing_steps_and_the_session_arrive_as_signals(rig: Rig) -> None:
    finished: list[StepFinished] = []
    rig.driver.step_finished.connect(finished.append)
    rig.driver.start()
    rig.wake_at(35)
    rig.driver.done()
    rig.driver.confirm_barrier()
    with rig.qtbot.waitSignal(rig.driver.skin_check_due) as skin:
        rig.wake_at(35 + 60)
    assert skin.args == [TIMELINE.steps[3]]
    with rig.qtbot.waitSignal(rig.driver.session_finished) as blocker:
        rig.wake_at(35 + 70)
    assert blocker.args == [True]
    assert [f.status for f in finished] == ["completed"] * 5
    assert not rig.driver.timer.isActive()
    assert rig.driver.engine.state is EngineState.FINISHED


def test_stop_emits_session_finished_false(rig: Rig) -> None:
    rig.driver.start()
    with rig.qtbot.waitSignal(rig.driver.session_finished) as blocker:
        assert rig.driver.stop()
    assert blocker.args == [False]
    assert not rig.driver.timer.isActive()
    assert not rig.driver.stop()


def test_display_changes_once_a_second_not_on_every_beat(qtbot: QtBot) -> None:
    timeline = build_timeline(
        Routine("Beat", (Block("Main", (CadenceStep(bpm=180, seconds=10),)),), lead_in=0)
    )
    rig = Rig(qtbot, timeline)
    shown: list[int | None] = []
    rig.driver.display_changed.connect(lambda: shown.append(rig.driver.display_seconds))
    rig.driver.start()
    wakes = 0
    while (wake := rig.driver.scheduled_wake) is not None and rig.clock.time < T0 + 3:
        rig.clock.set(wake)
        rig.driver.tick()
        wakes += 1
    assert shown == [10, 9, 8, 7]
    assert len([e for e in rig.events if isinstance(e, Beat)]) == 10  # beats 0..9 in 3 s
    assert wakes == 9  # one per beat; the second boundaries fall on beats


def test_events_arrive_in_engine_order(rig: Rig) -> None:
    rig.driver.start()
    rig.wake_at(100)
    kinds = [type(e).__name__ for e in rig.events]
    assert kinds == ["SessionStarted", "StepStarted", "StepFinished", "StepStarted",
                     "StepFinished", "StepStarted", "AwaitingDone"]  # fmt: skip
    assert all(e.stale for e in rig.events[2:])


def test_real_timers_play_a_short_timeline_to_the_end(qtbot: QtBot) -> None:
    steps = tuple(TimelineStep(i, "Main", StepKind.REST, "Rest", i * 0.05, 0.05) for i in range(4))
    driver = SessionDriver.for_timeline(Timeline("Short", steps))
    starts: list[StepStarted] = []
    driver.event_emitted.connect(lambda e: starts.append(e) if isinstance(e, StepStarted) else None)
    with qtbot.waitSignal(driver.session_finished, timeout=5000) as blocker:
        driver.start()
    assert blocker.args == [True]
    assert [s.step.index for s in starts] == [0, 1, 2, 3]


def test_thousands_of_signals_leave_true_alone(qtbot: QtBot) -> None:
    """Guards the PySide6 pin: 6.12.0's emit() drops a reference to True and aborts Python."""
    steps = tuple(TimelineStep(i, "Main", StepKind.REST, "Rest", i * 5.0, 5.0) for i in range(400))
    rig = Rig(qtbot, Timeline("Many", steps))
    rig.driver.start()
    before = sys.getrefcount(True)
    rig.wake_at(400 * 5.0)
    assert len(rig.events) > 800  # each also re-emitted as its own signal: > 1600 emits
    assert sys.getrefcount(True) >= before - 50
