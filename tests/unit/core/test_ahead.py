"""Cues handed over ahead: the engine's preview, the cues made of it, and the audio queue.

Every time here is a number on a fake clock; nothing sleeps.
"""

from __future__ import annotations

from pathlib import Path

from player.audio.schedule import CueQueue
from player.core.ahead import CuesAhead, TimedCue, event_key, timed_cue
from player.core.engine import (
    Beat,
    CountdownSecond,
    EngineEvent,
    SessionEngine,
    SessionFinished,
    StepStarted,
    TempoPhase,
)
from player.core.routine import Block, CadenceStep, Exercise, ExerciseStep, Routine, Sides, Tempo
from player.core.timeline import build_timeline
from tests.fakes import FakeClock

T0 = 1000.0
SQUAT = Exercise("bodyweight_squat", "Bodyweight squat")
SIDE_PLANK = Exercise("side_plank", "Side plank")
BRIDGE = Exercise("glute_bridge", "Glute bridge")
A, B, C = Path("a.wav"), Path("b.wav"), Path("c.wav")


def engine_of(*steps: object) -> tuple[SessionEngine, FakeClock, list[EngineEvent]]:
    routine = Routine(title="Ahead", blocks=(Block("Main", steps),), lead_in=2.0)  # type: ignore[arg-type]
    clock = FakeClock(T0)
    engine = SessionEngine(build_timeline(routine), clock)
    events: list[EngineEvent] = []
    engine.subscribe(events.append)
    engine.start()
    return engine, clock, events


def drive(engine: SessionEngine, clock: FakeClock, until: float) -> None:
    due = engine.tick()
    while due is not None and due <= until:
        clock.set(due)
        due = engine.tick()
    clock.set(max(clock.time, until))
    engine.tick()


def tempo_and_sides() -> tuple[SessionEngine, FakeClock, list[EngineEvent]]:
    return engine_of(
        ExerciseStep(SQUAT, reps=3, tempo=Tempo(up=1, hold=1, down=2)),
        ExerciseStep(SIDE_PLANK, hold=6, sides=Sides.BOTH, switch_time=3),
        CadenceStep(bpm=120, seconds=4),
    )


def test_the_preview_is_exactly_what_the_engine_then_emits() -> None:
    engine, clock, events = tempo_and_sides()
    preview = engine.preview(T0 + 40)
    assert engine.index == 0 and clock.time == T0  # nothing moved
    before = len(events)
    drive(engine, clock, T0 + 40)
    emitted = events[before:]
    assert [event_key(e) for e in preview] == [event_key(e) for e in emitted]
    kinds = {type(e) for e in preview}
    assert {TempoPhase, Beat, CountdownSecond, StepStarted, SessionFinished} <= kinds


def test_the_preview_stops_where_the_engine_waits_for_the_person() -> None:
    engine, _, _ = engine_of(ExerciseStep(BRIDGE, hold=5), ExerciseStep(BRIDGE, reps=10),
                             ExerciseStep(BRIDGE, hold=5))
    preview = engine.preview(T0 + 600)
    started = [e.step.index for e in preview if isinstance(e, StepStarted)]
    assert started == [1, 2]  # the untimed set starts, and nothing after it is foreseen
    assert not any(isinstance(e, SessionFinished) for e in preview)


def test_a_paused_engine_foresees_nothing() -> None:
    engine, clock, _ = tempo_and_sides()
    clock.advance(1)
    engine.pause()
    assert engine.preview(T0 + 60) == ()


def test_a_cue_of_several_files_plays_them_one_after_another() -> None:
    lengths = {A: 0.4, B: 1.0, C: 0.2}
    cue = timed_cue(T0, [A, B, C], lengths.__getitem__, 0.1, interrupt=True)
    assert cue.files == ((T0, A), (T0 + 0.5, B), (T0 + 1.6, C))
    assert cue.interrupt


def test_each_event_is_handed_over_once_and_known_when_it_comes() -> None:
    engine, clock, events = tempo_and_sides()
    ahead = CuesAhead(lambda e: (A,) if isinstance(e, TempoPhase | StepStarted) else (),
                      lambda p: 0.3, 0.05)
    first = ahead.hand_over(engine.preview(T0 + 3), T0)
    again = ahead.hand_over(engine.preview(T0 + 3), T0)
    assert first and again == []
    assert all(T0 <= cue.at <= T0 + 3 for cue in first)
    before = len(events)
    drive(engine, clock, T0 + 3)
    tempo = [e for e in events[before:] if isinstance(e, TempoPhase)]
    assert tempo and all(ahead.was_handed(e) for e in tempo)
    later = engine.preview(T0 + 6)
    assert not any(ahead.was_handed(e) for e in later if e.at > T0 + 3)


def test_a_command_forgets_only_what_was_still_to_come() -> None:
    engine, clock, _ = tempo_and_sides()
    ahead = CuesAhead(lambda e: (A,), lambda p: 0.0, 0.0)
    ahead.hand_over(engine.preview(T0 + 3), T0)
    handed = len(ahead)
    clock.set(T0 + 2.5)
    ahead.forget_after(clock.time)
    assert 0 < len(ahead) < handed
    past = [e for e in engine.preview(T0 + 3) if e.at <= T0 + 2.5]
    assert all(ahead.was_handed(e) for e in past)


def test_the_queue_starts_files_at_their_deadlines_in_order() -> None:
    queue = CueQueue()
    queue.add(TimedCue(T0 + 1, ((T0 + 1, A), (T0 + 1.5, B))))
    queue.add(TimedCue(T0 + 0.5, ((T0 + 0.5, C),)))
    assert queue.next_deadline() == T0 + 0.5
    assert queue.pop_due(T0 + 0.49) == ([], [])
    assert queue.pop_due(T0 + 0.5) == ([C], [])
    assert queue.pop_due(T0 + 1.2) == ([A], [])
    assert queue.next_deadline() == T0 + 1.5
    assert queue.pop_due(T0 + 2) == ([B], [])
    assert queue.next_deadline() is None


def test_a_new_step_cuts_short_the_announcement_still_running() -> None:
    queue = CueQueue()
    queue.add(TimedCue(T0, ((T0, A), (T0 + 1, B), (T0 + 2, C))))
    queue.add(TimedCue(T0 + 1.5, ((T0 + 1.5, A),), interrupt=True))
    assert queue.pop_due(T0 + 1) == ([A, B], [])
    assert queue.pop_due(T0 + 2.5) == ([A], [])  # C would have talked over the new step
    assert len(queue) == 0


def test_cancel_drops_everything_handed_over() -> None:
    queue = CueQueue()
    queue.add(TimedCue(T0 + 1, ((T0 + 1, A), (T0 + 2, B))))
    assert queue.cancel() == 2
    assert queue.pop_due(T0 + 5) == ([], []) and queue.next_deadline() is None


def test_files_long_overdue_are_dropped_not_played_in_a_burst() -> None:
    queue = CueQueue(late_limit=1.0)
    queue.add(TimedCue(T0, ((T0, A), (T0 + 4, B))))
    assert queue.pop_due(T0 + 4.5) == ([B], [A])
