"""The thin Qt adapter that plays a :class:`~player.core.engine.SessionEngine` in real time.

One single-shot ``QTimer`` (``Qt.PreciseTimer``) sleeps exactly until the next thing due: the
engine's next cue or deadline, or the next whole-second change of the step clock, whichever comes
first. Nothing polls: while a 20-minute heat step counts down the driver wakes once a second, and
not at all while paused or waiting for "Done" / the barrier confirmation (bar the count-up).

Signals (all emitted on the thread that owns the driver, synchronously, in engine order):

``event_emitted(object)``
    Every engine event, in order (the cue player listens here).
``session_started()``, ``paused()``, ``resumed()``
``step_started(object)``, ``awaiting_done(object)``, ``awaiting_confirmation(object)``,
``barrier_confirmed(object)``, ``skin_check_due(object)``
    The :class:`~player.core.timeline.TimelineStep` concerned.
``step_finished(object)``
    The :class:`~player.core.engine.StepFinished` event (step, status, actual_seconds).
``session_finished(bool)``
    True when the session reached its end, False when stopped.
``state_changed(str)``
    The new :class:`~player.core.engine.EngineState` value, once per command or wake-up.
``command_started()``
    A command (pause, next, stop, ...) is about to change the plan: cues handed over ahead are
    no longer right.
``rescheduled()``
    The driver has processed a wake-up or a command and set its timer (at least once a second
    while a step counts down): the moment to hand over the cues of the coming seconds.
``display_changed()``
    What a clock display shows changed (:attr:`SessionDriver.display_seconds`, the step or the
    state): about once a second while counting, aligned to the countdown's second boundaries.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from player.core.engine import (
    AwaitingConfirmation,
    AwaitingDone,
    BarrierConfirmed,
    Clock,
    EngineEvent,
    EngineState,
    MonotonicClock,
    Paused,
    Resumed,
    SessionEngine,
    SessionFinished,
    SessionStarted,
    SkinCheckDue,
    StepFinished,
    StepStarted,
)
from player.core.timeline import Timeline

# Clock readings this close to a second boundary count as on it (float noise, timer rounding).
_EPSILON = 1e-6

_DisplayKey = tuple[EngineState, int, int | None]


class SessionDriver(QObject):
    """Drives ``engine`` from Qt's event loop and re-emits its events as Qt signals."""

    event_emitted = Signal(object)
    session_started = Signal()
    step_started = Signal(object)
    awaiting_done = Signal(object)
    awaiting_confirmation = Signal(object)
    barrier_confirmed = Signal(object)
    skin_check_due = Signal(object)
    step_finished = Signal(object)
    paused = Signal()
    resumed = Signal()
    session_finished = Signal(bool)
    state_changed = Signal(str)
    display_changed = Signal()
    command_started = Signal()
    rescheduled = Signal()

    def __init__(self, engine: SessionEngine, clock: Clock, parent: QObject | None = None) -> None:
        """Wrap ``engine``, whose clock is ``clock``; no timer runs until :meth:`start`."""
        super().__init__(parent)
        self._engine = engine
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self._state = engine.state
        self._display: _DisplayKey | None = None
        self._wake_at: float | None = None
        engine.subscribe(self._on_engine_event)

    @classmethod
    def for_timeline(
        cls, timeline: Timeline, clock: Clock | None = None, parent: QObject | None = None
    ) -> SessionDriver:
        """A driver over a new engine for ``timeline`` on ``clock`` (the real monotonic clock)."""
        clock = clock or MonotonicClock()
        return cls(SessionEngine(timeline, clock), clock, parent)

    # --- read-only --------------------------------------------------------------------------
    @property
    def engine(self) -> SessionEngine:
        """The engine played (read its state; send commands through the driver)."""
        return self._engine

    @property
    def timer(self) -> QTimer:
        """The single-shot timer (exposed for tests and benchmarks)."""
        return self._timer

    @property
    def scheduled_wake(self) -> float | None:
        """The clock time the timer was last set to wake at, None when it is stopped."""
        return self._wake_at if self._timer.isActive() else None

    @property
    def display_seconds(self) -> int | None:
        """Whole seconds for a clock display: left in a timed step, elapsed in an untimed one."""
        remaining = self._engine.remaining_seconds()
        if remaining is not None:
            return max(0, math.ceil(remaining - _EPSILON))
        if self._engine.state in (EngineState.AWAITING_DONE, EngineState.PAUSED):
            return math.floor(self._engine.elapsed_in_step() + _EPSILON)
        return None

    # --- commands ---------------------------------------------------------------------------
    def start(self, at_position: int = 0) -> bool:
        """Start the session (at ``at_position`` of its plan)."""
        return self._command(lambda: self._engine.start(at_position))

    @Slot()
    def pause(self) -> bool:
        """Pause."""
        return self._command(self._engine.pause)

    @Slot()
    def resume(self) -> bool:
        """Resume after a pause."""
        return self._command(self._engine.resume)

    @Slot()
    def toggle_pause(self) -> bool:
        """Pause when playing, resume when paused."""
        if self._engine.state is EngineState.PAUSED:
            return self.resume()
        return self.pause()

    @Slot()
    def next(self) -> bool:
        """Skip to the next step."""
        return self._command(self._engine.next)

    @Slot()
    def previous(self) -> bool:
        """Go back to the previous step."""
        return self._command(self._engine.previous)

    @Slot()
    def restart_step(self) -> bool:
        """Start the current step again."""
        return self._command(self._engine.restart_step)

    @Slot()
    def done(self) -> bool:
        """Confirm an untimed repetition set."""
        return self._command(self._engine.done)

    @Slot()
    def confirm_barrier(self) -> bool:
        """Confirm the cloth barrier of an ice or heat step."""
        return self._command(self._engine.confirm_barrier)

    def lengthen_current(self, seconds: float) -> bool:
        """Make the rest in play ``seconds`` longer (see
        :meth:`~player.core.engine.SessionEngine.lengthen_current`)."""
        return self._command(lambda: self._engine.lengthen_current(seconds))

    @Slot()
    def stop(self) -> bool:
        """End the session early."""
        return self._command(self._engine.stop)

    @Slot()
    def tick(self) -> None:
        """Process everything due now and sleep until the next thing (the timer calls this)."""
        self._engine.tick()
        self._reschedule()

    # --- internals --------------------------------------------------------------------------
    def _command(self, command: Callable[[], bool]) -> bool:
        self.command_started.emit()
        result = command()
        self._reschedule()
        return result

    def _reschedule(self) -> None:
        due = self._wake_at = self._next_wake()
        if due is None:
            self._timer.stop()
        else:
            self._timer.start(_milliseconds_until(due, self._clock.now()))
        self.rescheduled.emit()
        self._emit_changes()

    def _next_wake(self) -> float | None:
        times = (self._engine.next_due(), self._engine.next_second_boundary())
        return min((t for t in times if t is not None), default=None)

    def _emit_changes(self) -> None:
        state = self._engine.state
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)
        display = (state, self._engine.index, self.display_seconds)
        if display != self._display:
            self._display = display
            self.display_changed.emit()

    def _on_engine_event(self, event: EngineEvent) -> None:
        self.event_emitted.emit(event)
        match event:
            case SessionStarted():
                self.session_started.emit()
            case StepStarted(step=step):
                self.step_started.emit(step)
            case AwaitingDone(step=step):
                self.awaiting_done.emit(step)
            case AwaitingConfirmation(step=step):
                self.awaiting_confirmation.emit(step)
            case BarrierConfirmed(step=step):
                self.barrier_confirmed.emit(step)
            case SkinCheckDue(step=step):
                self.skin_check_due.emit(step)
            case StepFinished():
                self.step_finished.emit(event)
            case Paused():
                self.paused.emit()
            case Resumed():
                self.resumed.emit()
            case SessionFinished(completed=completed):
                self.session_finished.emit(completed)


def _milliseconds_until(due: float, now: float) -> int:
    """Whole milliseconds from ``now`` to ``due``, never early: a timer can only wake late.

    Float noise of a microsecond is forgiven (700.0000001 ms is 700), but a due time still ahead
    gets at least 1 ms, so a wake-up can never spin without the clock reaching it.
    """
    milliseconds = math.ceil((due - now) * 1000 - _EPSILON * 1000)
    return max(milliseconds, 1) if due > now else 0
