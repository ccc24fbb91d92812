"""Runs one session at a time: the engine and its Qt driver, the cues, the ice/heat prompts.

The player view is handed a :class:`SessionController` and subscribes to its signals; it never
keeps time itself, it reads the engine (``display_seconds``, ``engine.progress``, ...) whenever
``display_changed`` says something changed.

Hooks for other features (pain ratings, history): :meth:`SessionController.add_start_guard`
can veto a start (e.g. a pain rating dialog, an urgent care banner), and the signals
``session_started(Session)``, ``step_started(TimelineStep)``, ``step_finished(StepFinished)``,
``session_finished(bool)`` and ``skin_problem_reported(TimelineStep)`` say what happened.

The engine, its driver and the cue map are imported with the first session, and the ice/heat
dialogs when first asked, so the window opens without them; the clock defaults to the engine's
monotonic clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from player.core import bundled
from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.cue_player import CuePlayer

if TYPE_CHECKING:  # loaded with the first session, so the window opens without them
    from player.core.ahead import CuesAhead
    from player.core.cues import CueMap
    from player.core.engine import Clock, EngineEvent, SessionEngine, StepFinished
    from player.core.history import StepStatus
    from player.core.outcome import EndReason, FinishSummary
    from player.core.plan import SessionPlan
    from player.core.routine import Routine
    from player.core.timeline import Timeline, TimelineStep
    from player.ui.controllers.session_driver import SessionDriver

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Session:
    """What is being played: a session plan (the routine, its week, the steps by position)."""

    plan: SessionPlan
    continues: bool = False
    """True when it carries on the session just stopped ("Resume from step N")."""

    @property
    def routine(self) -> Routine:
        """The routine being played."""
        return self.plan.routine

    @property
    def timeline(self) -> Timeline:
        """The steps played, by position (``timeline.steps[i].index == i``)."""
        return self.plan.timeline

    @property
    def week(self) -> int:
        """The programme week whose doses are played."""
        return self.plan.week


#: A check run before a session starts; returning False cancels the start.
StartGuard = Callable[[Session], bool]


class SessionController(QObject):
    """Owns the session in play and relays what happens in it as Qt signals."""

    session_started = Signal(object)  # Session
    step_started = Signal(object)  # TimelineStep
    step_finished = Signal(object)  # player.core.engine.StepFinished
    session_finished = Signal(bool)  # True when played to the end, False when stopped
    session_closed = Signal()  # the person left the player (back to the library)
    state_changed = Signal(str)  # EngineState value
    display_changed = Signal()  # the clock, the step or the state changed: read the engine
    tempo_phase_changed = Signal(object)  # TempoPhase
    beat_reached = Signal(int)
    awaiting_done = Signal(object)  # TimelineStep
    awaiting_confirmation = Signal(object)  # TimelineStep
    barrier_confirmed = Signal(object)  # TimelineStep
    skin_problem_reported = Signal(object)  # TimelineStep after which the skin was not normal
    skin_checked = Signal(object, bool)  # TimelineStep, True when the skin looked normal

    def __init__(self, cue_player: CuePlayer, settings: AppSettings, clock: Clock | None = None, *,
                 media_root: Path = bundled.MEDIA_DIR, hand_ahead: bool | None = None,
                 parent: QObject | None = None) -> None:
        """``hand_ahead``: hand cues to the audio side ahead with their deadlines; by default
        only on the real monotonic clock (the output's), not on a test's fake one."""
        super().__init__(parent)
        self._hand_ahead = clock is None if hand_ahead is None else hand_ahead
        self._cue_player = cue_player
        self._settings = settings
        self._clock = clock
        self._media_root = media_root
        self._guards: list[StartGuard] = []
        self._thermal_guards: list[Callable[[TimelineStep], bool]] = []
        self._session: Session | None = None
        self._driver: SessionDriver | None = None
        self._cues: CueMap | None = None
        self._ahead: CuesAhead | None = None
        self._dialog_parent: QWidget | None = None
        self._asking = False
        self._statuses: list[tuple[int, StepStatus]] = []
        self._active_seconds = 0.0
        self._end_reason: EndReason = "end"
        self._summary: FinishSummary | None = None
        self._stopped_at: tuple[int, float] | None = None  # (position, step seconds) at a stop
        settings.spoken_cues_changed.connect(self._on_spoken_cues_changed)
        settings.muted_changed.connect(self._cancel_ahead)

    # --- read-only --------------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        """The session being played (or just ended), None in the library."""
        return self._session

    @property
    def driver(self) -> SessionDriver | None:
        """The Qt driver of the current session (its timer wakes the engine)."""
        return self._driver

    @property
    def engine(self) -> SessionEngine | None:
        """The engine of the current session."""
        return self._driver.engine if self._driver is not None else None

    @property
    def cues(self) -> CueMap | None:
        """Which sound files each event of the current session plays."""
        return self._cues

    @property
    def step_statuses(self) -> tuple[tuple[int, StepStatus], ...]:
        """(routine step, status) of every step finished in this session so far, including
        those carried over from before a resume or an easier variant."""
        return tuple(self._statuses)

    @property
    def active_seconds(self) -> float:
        """Timer seconds of the steps finished in this session (pauses excluded)."""
        return self._active_seconds

    @property
    def end_reason(self) -> EndReason:
        """Why the last session ended: reached its end, stopped, or stopped for pain."""
        return self._end_reason

    @property
    def summary(self) -> FinishSummary | None:
        """What the session that just ended did (None until one ends)."""
        return self._summary

    @property
    def in_play(self) -> bool:
        """True while a step is in play (started, not finished or stopped)."""
        engine = self.engine
        return engine is not None and engine.current is not None

    @property
    def display_seconds(self) -> int | None:
        """Whole seconds for the big clock: left in a timed step, elapsed in an untimed one."""
        return self._driver.display_seconds if self._driver is not None else None

    def states(self) -> tuple[str, str]:
        """The engine's state and the state it waits in (the one to resume to while paused).

        Both are :class:`~player.core.engine.EngineState` values; ``idle`` without a session.
        """
        engine = self.engine
        if engine is None:
            return ("idle", "idle")
        return (engine.state, engine.resume_state or engine.state)

    def set_dialog_parent(self, widget: QWidget | None) -> None:
        """The window the barrier and skin-check dialogs belong to."""
        self._dialog_parent = widget

    def add_start_guard(self, guard: StartGuard) -> None:
        """Run ``guard`` before every start; a guard returning False cancels it."""
        self._guards.append(guard)

    def add_thermal_guard(self, guard: Callable[[TimelineStep], bool]) -> None:
        """Run ``guard`` before the barrier of an ice or heat step is asked; False means it
        took the step in hand (skipped it, or made it wait) and nothing is asked now."""
        self._thermal_guards.append(guard)

    # --- commands ---------------------------------------------------------------------------
    def start(self, plan: SessionPlan,
              carried: Sequence[tuple[int, StepStatus]] = (), carried_seconds: float = 0.0,
              *, continues: bool = False) -> bool:
        """Start playing ``plan`` at its ``start_at``; False when a start guard said no.

        ``carried`` are the steps already finished in this session (resuming it, or going on
        with an easier variant), ``carried_seconds`` their timer time; ``continues`` says it
        carries on the session just stopped (see :meth:`resume_stopped`).
        """
        from player.core.cues import CueMap
        from player.core.engine import MonotonicClock

        if self._clock is None:
            self._clock = MonotonicClock()
        session = Session(plan, continues)
        timeline = plan.timeline
        if not all(guard(session) for guard in self._guards):
            return False
        if self.in_play:
            self.stop()
        self._drop_driver()
        self._session = session
        self._statuses = list(carried)
        self._active_seconds = carried_seconds
        self._end_reason, self._summary, self._stopped_at = "end", None, None
        self._cues = CueMap(self._media_root, timeline, spoken=self._settings.spoken_cues)
        self._ahead = self._cue_player.cues_ahead(self._sounds_for)
        self._driver = self._make_driver(timeline)
        self.session_started.emit(session)
        self._driver.start(plan.start_at)
        return True

    def toggle_pause(self) -> bool:
        """Pause, or resume when paused."""
        return self._driver is not None and self._driver.toggle_pause()

    def pause(self) -> bool:
        """Pause the session (e.g. while another dialog asks something)."""
        return self._driver is not None and self._driver.pause()

    def resume(self) -> bool:
        """Resume after a pause."""
        return self._driver is not None and self._driver.resume()

    def next(self) -> bool:
        """Skip to the next step."""
        return self._driver is not None and self._driver.next()

    def previous(self) -> bool:
        """Go back to the previous step."""
        return self._driver is not None and self._driver.previous()

    def restart_step(self) -> bool:
        """Start the current step again."""
        return self._driver is not None and self._driver.restart_step()

    def lengthen_current(self, seconds: float) -> bool:
        """Make the rest in play ``seconds`` longer (the skin's rest before ice or heat)."""
        return self._driver is not None and self._driver.lengthen_current(seconds)

    def stop(self, *, for_pain: bool = False, for_red_flag: bool = False) -> bool:
        """End the session early (``for_pain``: because it hurt, not by choice;
        ``for_red_flag``: because of an emergency or urgent-today answer, and not to be carried
        on from where it stopped)."""
        if self._driver is None:
            return False
        engine = self._driver.engine
        current = engine.current
        if current is not None and not (for_pain or for_red_flag):
            self._stopped_at = (current.index, engine.elapsed_in_step())
        self._end_reason = ("stopped_red_flag" if for_red_flag
                            else "stopped_for_pain" if for_pain else "stopped")
        return self._driver.stop()

    def request_stop(self, *, closing: bool = False) -> bool:
        """Esc and Stop: ask first (the session waits paused meanwhile), then stop; True when
        stopped. ``closing``: the question is about closing the app."""
        if not self.in_play:
            return False
        from player.ui.dialogs.session_dialogs import StopDialog

        paused = self.pause()
        if StopDialog.ask(self._dialog_parent, closing) and self.in_play:
            return self.stop()
        if paused:
            self.resume()
        return False

    def resumable_plan(self) -> SessionPlan | None:
        """After a stop by choice, the plan that carries the session on from the step it was
        stopped in (that step again from its start; ice or heat with only what is left of its
        cap). None otherwise."""
        from player.core.plan import CAPPED_KINDS, PlanError, StepProgress

        if self._session is None or self._stopped_at is None or self.in_play:
            return None
        plan = self._session.plan
        position, elapsed = self._stopped_at
        step = plan.step_at(position)
        before = {origin for origin, _ in self._statuses if origin < step.origin}
        progress = StepProgress(step.origin, elapsed) if step.kind in CAPPED_KINDS else None
        try:
            return plan.resume(before, progress)
        except PlanError:
            return None

    def resume_stopped(self) -> bool:
        """Carry on the session just stopped (see :meth:`resumable_plan`); False when it
        cannot be."""
        plan = self.resumable_plan()
        if plan is None:
            return False
        return self.start(plan, self._statuses, self._active_seconds, continues=True)

    def confirm(self) -> bool:
        """The Enter key: "Done" for an untimed set, or confirm the barrier for ice and heat."""
        if self._driver is None:
            return False
        from player.core.engine import EngineState

        _, waiting = self.states()
        if waiting is EngineState.AWAITING_DONE:
            return self._driver.done()
        if waiting is EngineState.AWAITING_CONFIRMATION:
            return self._ask_barrier(explicit=True)
        return False

    def close_session(self) -> None:
        """Leave the player: stop a session still in play and forget it."""
        if self.in_play:
            self.stop()
        self._drop_driver()
        self._session = None
        self.session_closed.emit()

    # --- internals --------------------------------------------------------------------------
    def _make_driver(self, timeline: Timeline) -> SessionDriver:
        from player.core.engine import SessionEngine
        from player.ui.controllers.session_driver import SessionDriver

        assert self._clock is not None
        driver = SessionDriver(SessionEngine(timeline, self._clock), self._clock, self)
        driver.event_emitted.connect(self._on_event_emitted)
        driver.step_started.connect(self.step_started)
        driver.step_finished.connect(self._on_step_finished)
        driver.session_finished.connect(self._on_session_finished)
        driver.state_changed.connect(self.state_changed)
        driver.display_changed.connect(self.display_changed)
        driver.awaiting_done.connect(self.awaiting_done)
        driver.awaiting_confirmation.connect(self._on_awaiting_confirmation)
        driver.barrier_confirmed.connect(self.barrier_confirmed)
        driver.skin_check_due.connect(self._on_skin_check_due)
        driver.command_started.connect(self._cancel_ahead)
        driver.rescheduled.connect(self._hand_over)
        return driver

    def _drop_driver(self) -> None:
        self._cue_player.cancel()
        if self._driver is None:
            return
        self._driver.timer.stop()
        self._driver.blockSignals(True)
        self._driver.deleteLater()
        self._driver = None

    def _sounds_for(self, event: EngineEvent) -> tuple[Path, ...]:
        return self._cues.sounds_for(event) if self._cues is not None else ()

    def _hand_over(self) -> None:
        """Hand the cues of the coming seconds to the audio side, each once."""
        engine = self.engine
        if engine is None or self._ahead is None or not self._hand_ahead \
                or not self._cue_player.schedules_ahead:
            return
        from player.core.ahead import LOOKAHEAD_SECONDS

        assert self._clock is not None
        now = self._clock.now()
        self._cue_player.hand_over(
            self._ahead.hand_over(engine.preview(now + LOOKAHEAD_SECONDS), now))

    def _cancel_ahead(self) -> None:
        """The plan changes (a command, mute): what was handed over for later is dropped."""
        if self._ahead is None:
            return
        assert self._clock is not None
        self._cue_player.cancel()
        self._ahead.forget_after(self._clock.now())

    def _on_event_emitted(self, event: EngineEvent) -> None:
        from player.core.ahead import interrupts
        from player.core.engine import Beat, TempoPhase

        if self._ahead is not None and not self._ahead.was_handed(event):
            assert self._clock is not None
            now = self._clock.now() if self._hand_ahead else None
            self._cue_player.play(self._sounds_for(event), interrupt=interrupts(event), now=now)
        if isinstance(event, TempoPhase):
            self.tempo_phase_changed.emit(event)
        elif isinstance(event, Beat):
            self.beat_reached.emit(event.n)

    def _on_step_finished(self, event: StepFinished) -> None:
        self._statuses.append((event.step.origin, event.status))
        self._active_seconds += event.actual_seconds
        self.step_finished.emit(event)

    def _on_session_finished(self, completed: bool) -> None:
        from player.core.outcome import exercise_origins, finish_summary, session_outcome

        if completed:
            self._end_reason = "end"
        if self._session is not None:
            plan = self._session.plan
            done = [origin for origin, status in self._statuses if status == "completed"]
            outcome = session_outcome(self._end_reason, exercise_origins(plan), done)
            self._summary = finish_summary(outcome, plan, self._statuses)
        self.session_finished.emit(completed)

    def _on_awaiting_confirmation(self, step: TimelineStep) -> None:
        self.awaiting_confirmation.emit(step)
        # Asked from the event loop, not from inside the engine's event delivery.
        QTimer.singleShot(0, self, self._ask_barrier)

    def _ask_barrier(self, explicit: bool = False) -> bool:
        engine = self.engine
        if engine is None or self._asking:
            return False
        from player.core.engine import EngineState

        waiting = engine.state is EngineState.AWAITING_CONFIRMATION or (
            explicit and engine.resume_state is EngineState.AWAITING_CONFIRMATION)
        step = engine.current
        if not waiting or step is None:
            return False
        from player.ui.dialogs.session_dialogs import BarrierDialog

        self._asking = True
        try:
            if not all(guard(step) for guard in self._thermal_guards):
                return False
            confirmed = BarrierDialog.ask(self._dialog_parent, step)
        finally:
            self._asking = False
        if confirmed == "skip":
            return self.engine is engine and engine.current == step and self.next()
        if confirmed and self.engine is engine and engine.current == step:
            return self._driver is not None and self._driver.confirm_barrier()
        return False

    def _on_skin_check_due(self, step: TimelineStep) -> None:
        QTimer.singleShot(0, self, lambda: self._ask_skin(step))

    def _ask_skin(self, step: TimelineStep) -> None:
        if self._driver is None:
            return
        from player.ui.dialogs.session_dialogs import SkinCheckDialog

        self._asking = True
        try:
            normal = SkinCheckDialog.ask(self._dialog_parent, step)
        finally:
            self._asking = False
        self.skin_checked.emit(step, bool(normal))
        if not normal:
            self.pause()
            self.skin_problem_reported.emit(step)
        else:
            self._ask_barrier()  # a pack that was waiting for this answer asks now

    def _on_spoken_cues_changed(self, spoken: bool) -> None:
        if self._cues is not None:
            self._cues = self._cues.with_spoken(spoken)
            self._cancel_ahead()
            self._hand_over()
