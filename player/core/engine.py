"""The session engine: a clock-driven state machine that plays a :class:`Timeline`.

Pure Python: no Qt, no threads, no sleeping, no I/O. Time comes from an injected :class:`Clock`
(monotonic seconds). Every deadline is computed from the monotonic time the current step's timer
started, and a step that ends by itself hands its exact deadline on as the next step's start, so
the engine never counts ticks and cannot drift however late or irregular the ticks come. Pausing
shifts the step's start by exactly the time spent paused.

A driver (see ``player.ui.controllers.session_driver``) calls :meth:`SessionEngine.tick` and sleeps until the
time it returns; commands (:meth:`~SessionEngine.pause`, :meth:`~SessionEngine.next`, ...) may be
called at any time and first catch up with everything already due.

Events are frozen dataclasses delivered, in order, to the callbacks given to
:meth:`SessionEngine.subscribe`. They are delivered once the engine has processed everything due,
so a subscriber should read what happened from the event's fields rather than from the engine's
state; a subscriber may call commands (their events are queued after the current ones).

Every event carries ``at``, the monotonic time it was due, and ``stale``, True when it is emitted
more than :data:`STALE_AFTER_SECONDS` after ``at`` (after a stall: the machine slept, the window
was hidden). Purely sonic events (:data:`SONIC_EVENTS`) that are that late are dropped instead of
fired in a burst; state events are always emitted, marked stale so a cue mapper can keep quiet.

Navigation (:meth:`~SessionEngine.next`, :meth:`~SessionEngine.previous`,
:meth:`~SessionEngine.restart_step`) and the confirmations (:meth:`~SessionEngine.done`,
:meth:`~SessionEngine.confirm_barrier`) end a pause first (``Resumed`` is emitted), so the session
is always playing after them. Every ``StepStarted`` is followed by exactly one ``StepFinished`` for
that step before the next ``StepStarted`` or the ``SessionFinished``.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal, Protocol

from player.core.timeline import StepKind, Timeline, TimelineStep, rep_side

#: Purely sonic events due longer ago than this are dropped; later state events are marked stale.
STALE_AFTER_SECONDS = 1.0
#: A CountdownSecond is due at each of the last this many whole seconds of a timed step ...
COUNTDOWN_SECONDS = 3
#: ... provided the step lasts at least this long.
COUNTDOWN_MIN_STEP_SECONDS = 4.0
#: Exercise, ice and heat steps at least this long get a Halfway event.
HALFWAY_MIN_STEP_SECONDS = 20.0
_HALFWAY_KINDS = frozenset({StepKind.EXERCISE, StepKind.ICE, StepKind.HEAT})
#: Steps whose timer waits for the person to confirm a cloth barrier between pack and skin.
BARRIER_KINDS = frozenset({StepKind.ICE, StepKind.HEAT})


class Clock(Protocol):
    """A source of monotonic time in seconds."""

    def now(self) -> float:
        """The current monotonic time, in seconds."""
        ...


class MonotonicClock:
    """The real clock: :func:`time.monotonic`."""

    def now(self) -> float:
        """The current monotonic time, in seconds."""
        return time.monotonic()


class _FixedClock:
    """A clock stopped at ``t`` (for :meth:`SessionEngine.preview`)."""

    def __init__(self, t: float) -> None:
        self._t = t

    def now(self) -> float:
        """Always ``t``."""
        return self._t


class EngineState(StrEnum):
    """Where a session is."""

    IDLE = "idle"  # built, not started
    RUNNING = "running"  # a timed step counting down
    PAUSED = "paused"
    AWAITING_DONE = "awaiting_done"  # an untimed repetition set waits for done()
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # ice/heat waits for confirm_barrier()
    FINISHED = "finished"  # played to the end
    STOPPED = "stopped"  # ended early by stop()


#: States in which a step is in play (the session has started and not ended).
IN_PLAY_STATES = frozenset(
    {
        EngineState.RUNNING,
        EngineState.PAUSED,
        EngineState.AWAITING_DONE,
        EngineState.AWAITING_CONFIRMATION,
    }
)

StepStatus = Literal["completed", "skipped"]
Phase = Literal["up", "hold", "down"]


# --- Events ------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class _Event:
    at: float
    stale: bool = False


@dataclass(frozen=True)
class SessionStarted(_Event):
    """start() was called."""


@dataclass(frozen=True)
class StepStarted(_Event):
    """``step`` became the current step; ``step.kind`` tells lead-in, exercise, switch sides..."""

    step: TimelineStep


@dataclass(frozen=True)
class AwaitingDone(_Event):
    """An untimed repetition set started: the engine waits for done()."""

    step: TimelineStep


@dataclass(frozen=True)
class AwaitingConfirmation(_Event):
    """An ice or heat step started: its timer waits for confirm_barrier()."""

    step: TimelineStep


@dataclass(frozen=True)
class BarrierConfirmed(_Event):
    """The cloth barrier was confirmed: the ice or heat timer started."""

    step: TimelineStep


@dataclass(frozen=True)
class CountdownSecond(_Event):
    """``seconds_left`` whole seconds remain in a timed step (3, 2, 1)."""

    step: TimelineStep
    seconds_left: int


@dataclass(frozen=True)
class Halfway(_Event):
    """Half of an exercise, ice or heat step of 20 s or more has gone."""

    step: TimelineStep


@dataclass(frozen=True)
class TempoPhase(_Event):
    """Repetition ``rep`` (1-based) of a tempo'd set enters ``phase``."""

    step: TimelineStep
    rep: int
    phase: Phase

    @property
    def side(self) -> str | None:
        """The side this repetition is done on (left and right in turn with alternating
        sides; see :func:`player.core.timeline.rep_side`)."""
        return rep_side(self.step, self.rep)


@dataclass(frozen=True)
class Beat(_Event):
    """Beat ``n`` (0-based) of a cadence step, due ``n * 60 / bpm`` seconds after its start."""

    step: TimelineStep
    n: int


@dataclass(frozen=True)
class StepFinished(_Event):
    """``step`` ended; ``actual_seconds`` is its timer time, pauses excluded.

    ``completed`` when its timer ran out or done() was called, ``skipped`` when it was left by
    next(), previous(), restart_step() or stop(). For ice and heat the timer starts at the barrier
    confirmation, so a step skipped before it has ``actual_seconds`` 0.
    """

    step: TimelineStep
    status: StepStatus
    actual_seconds: float


@dataclass(frozen=True)
class StepLengthened(_Event):
    """The rest in play was made ``seconds`` longer (:meth:`SessionEngine.lengthen_current`);
    ``step`` is the step as it now is (its ``duration_seconds`` includes them)."""

    step: TimelineStep
    seconds: float


@dataclass(frozen=True)
class SkinCheckDue(_Event):
    """An ice or heat step whose timer had started ended: the person should check their skin."""

    step: TimelineStep


@dataclass(frozen=True)
class Paused(_Event):
    """The session was paused."""


@dataclass(frozen=True)
class Resumed(_Event):
    """The session was resumed after ``paused_seconds``."""

    paused_seconds: float


@dataclass(frozen=True)
class SessionFinished(_Event):
    """The session ended: ``completed`` when it reached its end, False when stopped."""

    completed: bool


EngineEvent = (
    SessionStarted
    | StepStarted
    | AwaitingDone
    | AwaitingConfirmation
    | BarrierConfirmed
    | CountdownSecond
    | Halfway
    | TempoPhase
    | Beat
    | StepFinished
    | StepLengthened
    | SkinCheckDue
    | Paused
    | Resumed
    | SessionFinished
)
#: Events that only make a sound: dropped when more than STALE_AFTER_SECONDS late.
SONIC_EVENTS: tuple[type[EngineEvent], ...] = (CountdownSecond, Halfway, TempoPhase, Beat)
Subscriber = Callable[[EngineEvent], None]

_SonicEvent = CountdownSecond | Halfway | TempoPhase | Beat


# --- The schedule of sonic events inside one step -----------------------------------------------
def step_schedule(step: TimelineStep) -> tuple[_SonicEvent, ...]:
    """The sonic events of a timed ``step``, ``at`` relative to its timer start, in play order.

    Events due at the same moment come rhythm first (tempo phase, beat), then halfway, then the
    countdown. Untimed steps have none.
    """
    duration = step.duration_seconds
    if duration is None:
        return ()
    events: list[_SonicEvent] = [*_tempo_phases(step, duration), *_beats(step, duration)]
    if step.kind in _HALFWAY_KINDS and duration >= HALFWAY_MIN_STEP_SECONDS:
        events.append(Halfway(step, at=duration / 2))
    if duration >= COUNTDOWN_MIN_STEP_SECONDS:
        events += [
            CountdownSecond(step, k, at=duration - k) for k in range(COUNTDOWN_SECONDS, 0, -1)
        ]
    return tuple(sorted(events, key=lambda e: e.at))  # stable: keeps the order above on ties


def _tempo_phases(step: TimelineStep, duration: float) -> list[TempoPhase]:
    tempo = step.tempo
    if step.kind is not StepKind.EXERCISE or tempo is None or not step.reps:
        return []
    rep_seconds = tempo.rep_seconds
    events: list[TempoPhase] = []
    for rep in range(1, step.reps + 1):
        offset = (rep - 1) * rep_seconds
        for name, seconds in tempo.phases():
            if offset >= duration:
                return events
            events.append(TempoPhase(step, rep, _phase(name), at=offset))
            offset += seconds
    return events


def _phase(name: str) -> Phase:
    if name == "up":
        return "up"
    if name == "hold":
        return "hold"
    return "down"


def _beats(step: TimelineStep, duration: float) -> list[Beat]:
    if step.kind is not StepKind.CADENCE or not step.bpm:
        return []
    count = math.ceil(duration * step.bpm / 60)
    times = ((n, n * 60 / step.bpm) for n in range(count))  # from the start, never accumulated
    return [Beat(step, n, at=t) for n, t in times if t < duration]


# --- The engine -----------------------------------------------------------------------------------
class SessionEngine:
    """Plays ``timeline`` against ``clock``; see the module docstring for the rules.

    Commands return True when they did something, False when they do not apply in the current
    state (they are then ignored).
    """

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock,
        *,
        stale_after: float = STALE_AFTER_SECONDS,
    ) -> None:
        self._timeline = timeline
        self._steps = timeline.steps
        self._clock = clock
        self._stale_after = stale_after
        self._subscribers: list[Subscriber] = []
        self._queue: list[EngineEvent] = []
        self._delivering = False
        self._state = EngineState.IDLE
        self._index = 0
        self._timer_start: float | None = None  # shifted by pauses; None until ice/heat confirmed
        self._schedule: tuple[_SonicEvent, ...] = ()
        self._next_cue = 0
        self._paused_at = 0.0
        self._resume_state = EngineState.RUNNING
        self._final_progress = 0.0
        self._now = 0.0  # the time of the operation in progress
        self._lengthened = 0.0  # seconds added to rests by lengthen_current, for progress

    # --- read-only state ---------------------------------------------------------------------
    @property
    def timeline(self) -> Timeline:
        """The timeline being played."""
        return self._timeline

    @property
    def state(self) -> EngineState:
        """The current state."""
        return self._state

    @property
    def index(self) -> int:
        """Position of the current step (0 before start, len(steps) once finished)."""
        return self._index

    @property
    def current(self) -> TimelineStep | None:
        """The step in play, or None when idle, finished or stopped."""
        return self._steps[self._index] if self._state in IN_PLAY_STATES else None

    @property
    def resume_state(self) -> EngineState | None:
        """While paused, the state resume() returns to; otherwise None."""
        return self._resume_state if self._state is EngineState.PAUSED else None

    def elapsed_in_step(self) -> float:
        """Seconds on the current step's timer, pauses excluded (0 before ice/heat confirmation)."""
        if self._state not in IN_PLAY_STATES or self._timer_start is None:
            return 0.0
        return max(0.0, self._frozen_now() - self._timer_start)

    def remaining_seconds(self) -> float | None:
        """Seconds left in a timed step (its full length while ice/heat awaits confirmation).

        None when no step is in play or the step is untimed.
        """
        step = self.current
        if step is None or step.duration_seconds is None:
            return None
        return max(0.0, step.duration_seconds - self.elapsed_in_step())

    def total_remaining_seconds(self) -> float:
        """Seconds left in the whole session, untimed steps counted at their planned estimate."""
        if self._state in (EngineState.FINISHED, EngineState.STOPPED):
            return 0.0
        if self._state is EngineState.IDLE:
            return self._total_seconds()
        later = self._steps[self._index + 1 :]
        return self._remaining_in_current() + sum(s.planned_seconds for s in later)

    @property
    def progress(self) -> float:
        """How far through the session, 0..1 (by planned time; frozen when stopped)."""
        if self._state in (EngineState.FINISHED, EngineState.STOPPED):
            return self._final_progress
        total = self._total_seconds()
        if total <= 0:
            return 0.0
        return min(1.0, max(0.0, 1.0 - self.total_remaining_seconds() / total))

    def next_due(self) -> float | None:
        """Absolute time of the next thing due (a cue or the step's deadline), or None."""
        if self._state is not EngineState.RUNNING or self._timer_start is None:
            return None
        return min(self._deadline(), self._next_cue_time())

    def next_second_boundary(self) -> float | None:
        """Absolute time the step clock's whole seconds next change, for a display refresh.

        Timed steps count down (boundaries at deadline - n), untimed ones count up (start + n).
        None when nothing is counting (not running, not awaiting done).
        """
        if self._state not in (EngineState.RUNNING, EngineState.AWAITING_DONE):
            return None
        if self._timer_start is None:
            return None
        now = self._clock.now()
        step = self._steps[self._index]
        if step.duration_seconds is None:
            return self._timer_start + math.floor(now - self._timer_start) + 1
        deadline = self._deadline()
        whole = math.floor(deadline - now)
        if deadline - whole <= now:
            whole -= 1
        return deadline - max(whole, 0)

    def preview(self, until: float) -> tuple[EngineEvent, ...]:
        """The events the engine will emit by itself up to the time ``until``, if no command
        comes first; nothing is changed or delivered.

        Each has the ``at`` it will have when it is emitted, so a cue player can hand sounds
        over ahead of time and recognise the real events later. The preview ends where the
        engine would wait for the person (an untimed set, a barrier) or the session ends.
        """
        if self._state is not EngineState.RUNNING:
            return ()
        ghost = copy.copy(self)
        ghost._clock = _FixedClock(until)
        ghost._subscribers = []
        ghost._queue = []
        ghost._stale_after = math.inf
        ghost._advance()
        return tuple(ghost._queue)

    # --- subscription -------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Deliver every event to ``callback``; returns a function that unsubscribes it."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    # --- commands -----------------------------------------------------------------------------
    def tick(self) -> float | None:
        """Process everything due up to now, emit its events, return :meth:`next_due`."""
        self._advance()
        self._deliver()
        return self.next_due()

    def start(self, at_position: int = 0) -> bool:
        """Start the session at its first step, or at ``at_position`` (a plan that carries on an
        easier variant or a resumed session); the steps before it count as already played."""
        if self._state is not EngineState.IDLE:
            return False
        self._now = self._clock.now()
        self._emit(SessionStarted(at=self._now))
        if 0 <= at_position < len(self._steps):
            self._enter(at_position, self._now)
            self._advance()
        else:
            self._end(completed=True, at=self._now)
        self._deliver()
        return True

    def pause(self) -> bool:
        """Pause a step in play (also allowed while awaiting done or confirmation)."""
        self._advance()
        if self._state not in IN_PLAY_STATES or self._state is EngineState.PAUSED:
            return self._deliver(False)
        self._resume_state = self._state
        self._paused_at = self._now
        self._state = EngineState.PAUSED
        self._emit(Paused(at=self._now))
        return self._deliver(True)

    def resume(self) -> bool:
        """Resume after pause(): the step's remaining deadlines move by the time paused."""
        if self._state is not EngineState.PAUSED:
            return False
        self._now = self._clock.now()
        self._end_pause()
        return self._deliver(True)

    def next(self) -> bool:
        """Skip the current step (StepFinished 'skipped') and start the next one."""
        return self._navigate(lambda i: i + 1, "skipped")

    def previous(self) -> bool:
        """Leave the current step ('skipped') and start the previous one from its beginning.

        Always the previous step, however long the current one has run: restarting the current
        step is restart_step()'s job. On the first step it restarts that step.
        """
        return self._navigate(lambda i: max(i - 1, 0), "skipped")

    def restart_step(self) -> bool:
        """Start the current step again from its beginning (ice/heat ask for the barrier again)."""
        return self._navigate(lambda i: i, "skipped")

    def done(self) -> bool:
        """Confirm an untimed repetition set: it finishes 'completed' and the next step starts."""
        if self._effective_state() is not EngineState.AWAITING_DONE:
            return self._deliver(False)
        return self._navigate(lambda i: i + 1, "completed")

    def lengthen_current(self, seconds: float) -> bool:
        """Make the rest in play ``seconds`` longer: its deadline, and its countdown, move on by
        that much (paused or not), and ``StepLengthened`` carries the step as it now is. The
        player uses it when the rest before an ice or heat step is shorter than the ice gap or
        the skin rest needs (:mod:`player.core.thermal`, clinical-notes.md v2).

        Only a timed rest: every other step's timing is what the routine prescribes. False (and
        nothing changes) when no rest is in play or ``seconds`` is not a positive number. The
        rest is longer for this play of it: entered again (previous, restart) it has its
        routine length.
        """
        self._advance()
        if self._state not in (EngineState.RUNNING, EngineState.PAUSED) \
                or self._timer_start is None or not 0 < seconds < math.inf:
            return self._deliver(False)
        step = self._steps[self._index]
        if step.kind is not StepKind.REST or step.duration_seconds is None:
            return self._deliver(False)
        longer = replace(step, duration_seconds=step.duration_seconds + seconds)
        self._steps = (*self._steps[:self._index], longer, *self._steps[self._index + 1:])
        self._lengthened += seconds
        # The cues of the longer rest still to come: those not yet due on its timer.
        done = self._frozen_now() - self._timer_start
        self._schedule = step_schedule(longer)
        self._next_cue = sum(1 for cue in self._schedule if cue.at <= done)
        self._emit(StepLengthened(longer, seconds, at=self._now))
        return self._deliver(True)

    def confirm_barrier(self) -> bool:
        """Confirm the cloth barrier of an ice or heat step: its timer starts now."""
        if self._effective_state() is not EngineState.AWAITING_CONFIRMATION:
            return self._deliver(False)
        self._end_pause()
        self._start_timer(self._now)
        self._emit(BarrierConfirmed(self._steps[self._index], at=self._now))
        self._advance()
        return self._deliver(True)

    def stop(self) -> bool:
        """End the session early: the current step is skipped, then SessionFinished(False)."""
        self._advance()
        if self._state not in IN_PLAY_STATES:
            return self._deliver(False)
        self._finish_current("skipped", self._now)
        self._end(completed=False, at=self._now)
        return self._deliver(True)

    # --- internals ----------------------------------------------------------------------------
    def _effective_state(self) -> EngineState:
        """Catch up, then the state ignoring a pause."""
        self._advance()
        return self._resume_state if self._state is EngineState.PAUSED else self._state

    def _navigate(self, target: Callable[[int], int], status: StepStatus) -> bool:
        self._advance()
        if self._state not in IN_PLAY_STATES:
            return self._deliver(False)
        self._end_pause()
        index = target(self._index)
        self._finish_current(status, self._now)
        if index < len(self._steps):
            self._enter(index, self._now)
            self._advance()
        else:
            self._end(completed=True, at=self._now)
        return self._deliver(True)

    def _advance(self) -> None:
        """Fire everything due up to now; finish steps whose deadline passed at that deadline."""
        self._now = now = self._clock.now()
        while self._state is EngineState.RUNNING and self._timer_start is not None:
            cue_time, deadline = self._next_cue_time(), self._deadline()
            if cue_time <= now and cue_time < deadline:
                self._fire_cue(cue_time)
            elif deadline <= now:
                self._finish_current("completed", deadline)
                if self._index + 1 < len(self._steps):
                    self._enter(self._index + 1, deadline)
                else:
                    self._end(completed=True, at=deadline)
            else:
                break

    def _fire_cue(self, due: float) -> None:
        cue = self._schedule[self._next_cue]
        self._next_cue += 1
        if self._now - due <= self._stale_after:
            self._emit(replace(cue, at=due))

    def _enter(self, index: int, at: float) -> None:
        self._unlengthen(index)
        step = self._steps[index]
        self._index = index
        self._timer_start = None
        self._schedule = ()
        self._emit(StepStarted(step, at=at))
        if step.kind in BARRIER_KINDS:
            self._state = EngineState.AWAITING_CONFIRMATION
            self._emit(AwaitingConfirmation(step, at=at))
        elif step.duration_seconds is None:
            self._state = EngineState.AWAITING_DONE
            self._timer_start = at
            self._emit(AwaitingDone(step, at=at))
        else:
            self._start_timer(at)

    def _start_timer(self, at: float) -> None:
        self._state = EngineState.RUNNING
        self._timer_start = at
        self._schedule = step_schedule(self._steps[self._index])
        self._next_cue = 0

    def _finish_current(self, status: StepStatus, at: float) -> None:
        step = self._steps[self._index]
        if status == "completed" and step.duration_seconds is not None:
            actual = step.duration_seconds  # ended at its deadline, exactly
        elif self._timer_start is None:
            actual = 0.0
        else:
            actual = max(0.0, self._frozen_now(at) - self._timer_start)
        self._emit(StepFinished(step, status, actual, at=at))
        if step.kind in BARRIER_KINDS and self._timer_start is not None:
            self._emit(SkinCheckDue(step, at=at))

    def _end(self, *, completed: bool, at: float) -> None:
        self._final_progress = 1.0 if completed else self.progress
        self._state = EngineState.FINISHED if completed else EngineState.STOPPED
        if completed:
            self._index = len(self._steps)
        self._timer_start = None
        self._emit(SessionFinished(completed, at=at))

    def _end_pause(self) -> None:
        if self._state is not EngineState.PAUSED:
            return
        paused_for = self._now - self._paused_at
        if self._timer_start is not None:
            self._timer_start += paused_for
        self._state = self._resume_state
        self._emit(Resumed(paused_for, at=self._now))

    def _deadline(self) -> float:
        duration = self._steps[self._index].duration_seconds
        if self._timer_start is None or duration is None:
            return math.inf
        return self._timer_start + duration

    def _next_cue_time(self) -> float:
        if self._timer_start is None or self._next_cue >= len(self._schedule):
            return math.inf
        return self._timer_start + self._schedule[self._next_cue].at

    def _frozen_now(self, at: float | None = None) -> float:
        """``at`` (or now), held at the pause time while paused."""
        now = self._clock.now() if at is None else at
        return min(now, self._paused_at) if self._state is EngineState.PAUSED else now

    def _unlengthen(self, index: int) -> None:
        """A rest lengthened in an earlier play is entered again (previous, restart) at its
        routine length: it is judged again when it starts."""
        original = self._timeline.steps[index]
        played = self._steps[index]
        if played is original:
            return
        self._lengthened -= (played.duration_seconds or 0.0) - (original.duration_seconds or 0.0)
        self._steps = (*self._steps[:index], original, *self._steps[index + 1:])

    def _total_seconds(self) -> float:
        return self._timeline.total_seconds + self._lengthened

    def _remaining_in_current(self) -> float:
        step = self._steps[self._index]
        return max(0.0, step.planned_seconds - self.elapsed_in_step())

    def _emit(self, event: EngineEvent) -> None:
        if self._now - event.at > self._stale_after:
            event = replace(event, stale=True)
        self._queue.append(event)

    def _deliver(self, result: bool = True) -> bool:
        """Hand queued events to subscribers in order (re-entrant calls only queue)."""
        if self._delivering:
            return result
        self._delivering = True
        try:
            while self._queue:
                event = self._queue.pop(0)
                for callback in tuple(self._subscribers):
                    callback(event)
        finally:
            self._delivering = False
        return result
