"""Ice and heat in the player per clinical-notes.md v2: the rules of :mod:`player.core.thermal`
applied before every ice or heat step, and every application recorded.

Before the barrier of an ice or heat step is asked (a thermal guard of the
:class:`~player.ui.controllers.session_controller.SessionController`), :func:`decide` is applied
to every application on record, in any session: the screen is asked before the first step ever
(a yes skips that kind of step, with the reason), and again, saying why, when the latest
answers on record cannot be read (they never count as "no contraindications"); applications
and skin answers that cannot be read (or none at all, when the store fails) are said once, in
a dialog before the next ice or heat step, and count as the safer reading of
:func:`~player.core.thermal.stand_ins` (just come off; the skin asked about); a skin hold
skips the step (and so the session's remaining ice and heat after a skin check answered "not
normal"); a rest just before an ice or heat step is lengthened when the ice gap or the skin
rest needs more (:func:`~player.core.thermal.rest_extension`); after a hold, "is
your skin back to normal?"; a step that would start too soon after the last ice (40 minutes) or
between ice and heat (20 minutes), in this session or an earlier one, waits ("ice again from
HH:MM": the session waits paused and the step starts when the time comes) or is skipped. Every
application is written to the store as it happens: its start when the timer starts, how long it
has been on every few seconds (so a crash keeps its spent time), its end, and the skin check.

``status(str)`` carries plain words for the status bar; ``store_failed(str)`` a message when the
store could not be written (the rules then go on with what is in memory).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from player.core.days import elapsed
from player.core.step_kinds import StepKind
from player.core.thermal import (
    DAMAGED_SAFE,
    DamagedThermal,
    SkinRecheck,
    SkinResult,
    ThermalApplication,
    ThermalKind,
    ThermalScreen,
    decide,
    rest_extension,
    stand_ins,
)
from player.store.db import StoreError
from player.ui.dialogs.thermal_dialogs import (
    DamagedRecordsDialog,
    SkinBackDialog,
    ThermalScreenDialog,
    ThermalWaitDialog,
)

if TYPE_CHECKING:
    from player.core.engine import StepFinished
    from player.core.timeline import TimelineStep
    from player.store.history import HistoryStore
    from player.ui.controllers.session_controller import SessionController

# User-visible text, in one place for translation.
SCREEN_NOT_ANSWERED = ("Ice and heat skipped: the questions before ice or heat were not "
                       "answered. They are asked again before the next ice or heat step.")
SKIN_NOT_BACK = "Ice and heat skipped: your skin is not back to normal yet."
WAITING = "{words} The session waits until then; press Next to skip this step instead."
SKIPPED = "Step skipped. {words}"
STEP_SKIPPED = "Step skipped."
RECORDS_UNREADABLE = "Your ice and heat records could not be read: {why}"
DAMAGED_STATUS = ("Some ice and heat records cannot be read: the app takes the safer reading "
                  "of them (the gaps between packs apply).")
SCREEN_UNREADABLE = ("Your last answers to the ice and heat questions could not be read, so "
                     "they count as not answered: please answer them again.")

#: How often a waiting step looks whether its time has come, and how often an application's
#: time on the skin is saved (milliseconds; seconds of the step).
WAIT_CHECK_MS = 5_000
PROGRESS_EVERY_SECONDS = 10.0

Clock = Callable[[], datetime]


def _kind(step: TimelineStep) -> ThermalKind | None:
    if step.kind is StepKind.ICE:
        return "ice"
    if step.kind is StepKind.HEAT:
        return "heat"
    return None


class ThermalCare(QObject):
    """Applies the ice and heat rules to a session controller's steps and records them."""

    status = Signal(str)
    store_failed = Signal(str)

    def __init__(self, controller: SessionController, store: HistoryStore | None, *,
                 session_id: Callable[[], int | None], dialog_parent: Callable[[], QWidget],
                 clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._store = store
        self._session_id = session_id
        self._parent = dialog_parent
        self._clock = clock
        self._loaded = False
        self._applications: list[ThermalApplication] = []
        self._rechecks: list[SkinRecheck] = []
        # Counted in place of records that cannot be read (the safer reading), and what to say.
        self._assumed: tuple[list[ThermalApplication], list[SkinRecheck]] = ([], [])
        self._damaged_words: tuple[str, ...] = ()
        self._told_damaged = False
        self._screen: ThermalScreen | None = None
        self._screen_unreadable = False  # the latest record could not be read: ask again
        self._on: tuple[int | None, TimelineStep, datetime, float] | None = None
        self._last_id: int | None = None  # the application the skin check is about
        self._last_index: int | None = None
        self._waiting: tuple[TimelineStep, datetime] | None = None
        self._skin_pending = False  # an application ended: its skin check is still to come
        self._rest_after_skin: TimelineStep | None = None  # the rest that waits for that check
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(WAIT_CHECK_MS)
        self._wait_timer.timeout.connect(self.check_wait)
        controller.add_thermal_guard(self.guard)
        controller.step_started.connect(self._on_step_started)
        controller.barrier_confirmed.connect(self._on_barrier_confirmed)
        controller.display_changed.connect(self._on_display_changed)
        controller.step_finished.connect(self._on_step_finished)
        controller.skin_checked.connect(self._on_skin_checked)
        controller.session_finished.connect(self._on_session_finished)

    # --- read-only --------------------------------------------------------------------------
    @property
    def applications(self) -> tuple[ThermalApplication, ...]:
        """Every application known, oldest first."""
        self._load()
        return tuple(self._applications)

    @property
    def screen(self) -> ThermalScreen | None:
        """The latest answers to the screen."""
        self._load()
        return self._screen

    @property
    def waiting_until(self) -> datetime | None:
        """When the step waiting now may start, or None."""
        return self._waiting[1] if self._waiting is not None else None

    # --- the guard ----------------------------------------------------------------------------
    def guard(self, step: TimelineStep) -> bool:
        """Before the barrier of *step*: True to ask it; False when the step was skipped or
        made to wait."""
        kind = _kind(step)
        if kind is None:
            return True
        self._load()
        self._tell_damaged()
        for _ in range(3):  # the screen, then the skin, then the rules again
            now = self._clock()
            decision = decide(kind, step.planned_seconds + step.done_before, now,
                              applications=self._counted(), rechecks=self._counted_checks(),
                              screen=self._screen, session_id=self._session_id(),
                              step_index=step.origin)
            if decision.action == "start":
                self._waiting = None
                return True
            if decision.action == "ask_screen":
                answers = self._ask_screen()
                if answers is None:
                    return self._skip(step, SCREEN_NOT_ANSWERED)
                self.save_screen(answers)
                continue
            if decision.action == "ask_skin":
                normal = SkinBackDialog.ask(self._parent())
                if normal is None:
                    return self._skip(step, STEP_SKIPPED)
                self._add_recheck(SkinRecheck(now, normal))
                if not normal:
                    return self._skip(step, SKIN_NOT_BACK)
                continue
            words = " ".join(decision.words)
            if decision.action == "skip":
                return self._skip(step, SKIPPED.format(words=words))
            assert decision.wait_until is not None
            if ThermalWaitDialog.ask(self._parent(), decision.words) == "skip":
                return self._skip(step, STEP_SKIPPED)
            self._waiting = (step, decision.wait_until)
            self._controller.pause()
            self._wait_timer.start()
            self.status.emit(WAITING.format(words=words))
            return False
        return self._skip(step, STEP_SKIPPED)

    # --- the rest before a step ----------------------------------------------------------------
    def _on_step_started(self, step: TimelineStep) -> None:
        """A rest just before an ice or heat step that would end too soon for it (the ice gap,
        the skin rest; in this session or an earlier one) is lengthened to what the step
        needs, so the step starts when the rest ends instead of waiting after it."""
        if step.kind is not StepKind.REST:
            return
        if self._skin_pending:  # judged once the skin is known to be normal (else no pack)
            self._rest_after_skin = step
            return
        self._lengthen_rest(step)

    def _lengthen_rest(self, step: TimelineStep) -> None:
        engine = self._controller.engine
        if engine is None or engine.current != step:
            return
        steps = engine.timeline.steps
        after = steps[step.index + 1] if step.index + 1 < len(steps) else None
        kind = None if after is None else _kind(after)
        left = engine.remaining_seconds()
        if after is None or kind is None or left is None:
            return
        self._load()
        extension = rest_extension(kind, after.planned_seconds + after.done_before,
                                   elapsed(self._clock(), left),
                                   applications=self._counted(),
                                   rechecks=self._counted_checks(),
                                   screen=self._screen, session_id=self._session_id(),
                                   step_index=after.origin)
        if extension is not None and self._controller.lengthen_current(extension.seconds):
            self.status.emit(extension.words)

    def check_wait(self) -> None:
        """Start the waiting step once its time has come (the session resumes)."""
        if self._waiting is None:
            self._wait_timer.stop()
            return
        step, until = self._waiting
        engine = self._controller.engine
        if engine is None or engine.current != step:
            self._waiting = None
            self._wait_timer.stop()
            return
        if self._clock() < until:
            return
        self._waiting = None
        self._wait_timer.stop()
        self._controller.resume()
        self._controller.confirm()

    def _skip(self, step: TimelineStep, words: str) -> bool:
        self._waiting = None
        self.status.emit(words)
        engine = self._controller.engine
        if engine is not None and engine.current == step:
            self._controller.next()
        return False

    # --- the screen ---------------------------------------------------------------------------
    def change_screen(self) -> None:
        """Ask the screen again (from the menu), showing the answers given before."""
        self._load()
        answers = self._ask_screen()
        if answers is not None:
            self.save_screen(answers)

    @property
    def screen_unreadable(self) -> bool:
        """True while the latest answers on record could not be read (they count as not
        answered, never as "no contraindications", until answered again)."""
        self._load()
        return self._screen_unreadable

    def _ask_screen(self) -> ThermalScreen | None:
        if self._screen_unreadable:
            return ThermalScreenDialog.ask(self._parent(), None, notice=SCREEN_UNREADABLE)
        return ThermalScreenDialog.ask(self._parent(), self._screen)

    def save_screen(self, answers: ThermalScreen) -> None:
        """Record new answers to the screen (the latest count)."""
        self._screen = answers
        self._screen_unreadable = False
        if self._store is not None:
            try:
                self._store.add_thermal_screen(answers)
            except StoreError as exc:
                self.store_failed.emit(str(exc))

    @property
    def damaged_records(self) -> tuple[str, ...]:
        """What is wrong with each record that cannot be read, in plain words (empty: none)."""
        self._load()
        return self._damaged_words

    def _counted(self) -> list[ThermalApplication]:
        return [*self._applications, *self._assumed[0]]

    def _counted_checks(self) -> list[SkinRecheck]:
        return [*self._rechecks, *self._assumed[1]]

    def _tell_damaged(self) -> None:
        """Once a run, before an ice or heat step: which records cannot be read, and how they
        count."""
        if self._told_damaged or not self._damaged_words:
            return
        self._told_damaged = True
        self.status.emit(DAMAGED_STATUS)
        DamagedRecordsDialog.tell(self._parent(), (*self._damaged_words, DAMAGED_SAFE))

    # --- recording ----------------------------------------------------------------------------
    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self._store is None:
            return
        damaged: tuple[DamagedThermal, ...] = ()
        try:
            records = self._store.thermal_records()
            self._applications = list(records.applications)
            self._rechecks = list(records.rechecks)
            damaged = records.damaged
            self._damaged_words = tuple(d.words for d in damaged)
        except StoreError as exc:  # none can be read: as if one had just come off
            why = str(exc)
            damaged = (DamagedThermal("application", 0, why, skin_damaged=True),)
            self._damaged_words = (RECORDS_UNREADABLE.format(why=why),)
            self.store_failed.emit(why)
        if damaged:
            self._assumed = stand_ins(damaged, self._clock())
        try:
            self._screen = self._store.latest_thermal_screen()
        except StoreError as exc:  # damaged or unreadable: said, and the screen asked again
            self._screen, self._screen_unreadable = None, True
            self.store_failed.emit(str(exc))

    def _add_recheck(self, recheck: SkinRecheck) -> None:
        self._rechecks.append(recheck)
        if self._store is not None:
            try:
                self._store.add_skin_recheck(recheck)
            except StoreError as exc:
                self.store_failed.emit(str(exc))

    def _on_barrier_confirmed(self, step: TimelineStep) -> None:
        kind = _kind(step)
        if kind is None:
            return
        self._load()
        now, session_id = self._clock(), self._session_id()
        app_id: int | None = None
        if self._store is not None:
            try:
                app_id = self._store.start_thermal(kind, now, session_id=session_id,
                                                   step_index=step.origin)
            except StoreError as exc:
                self.store_failed.emit(str(exc))
        self._applications.append(ThermalApplication(kind, now, 0.0, now, None, session_id,
                                                     step.origin, id=app_id))
        self._on = (app_id, step, now, 0.0)

    def _update(self, seconds: float, *, ended: bool) -> None:
        assert self._on is not None
        app_id, step, started, _ = self._on
        # On the engine's time from the start: a late wake-up of the timer must not make the
        # next pack wait a moment longer than the rest the routine gives it.
        now = elapsed(started, seconds).astimezone(started.tzinfo)
        index = len(self._applications) - 1
        for i in range(len(self._applications) - 1, -1, -1):
            a = self._applications[i]
            if a.started_at == started and a.step_index == step.origin and a.ended_at is None:
                index = i
                break
        known = self._applications[index]
        self._applications[index] = ThermalApplication(
            known.kind, known.started_at, seconds, now, now if ended else None,
            known.session_id, known.step_index, id=known.id)
        self._on = (app_id, step, started, seconds)
        if ended:
            self._last_id, self._last_index = app_id, index
        if self._store is None or app_id is None:
            return
        try:
            if ended:
                self._store.finish_thermal(app_id, seconds, now)
            else:
                self._store.record_thermal_progress(app_id, seconds, now)
        except StoreError as exc:
            self.store_failed.emit(str(exc))

    def _on_display_changed(self) -> None:
        if self._on is None:
            return
        engine = self._controller.engine
        if engine is None or engine.current != self._on[1]:
            return
        seconds = engine.elapsed_in_step()
        if seconds - self._on[3] >= PROGRESS_EVERY_SECONDS:
            self._update(seconds, ended=False)

    def _on_step_finished(self, event: StepFinished) -> None:
        if self._on is not None and event.step == self._on[1]:
            self._update(event.actual_seconds, ended=True)
            self._on = None
            self._skin_pending = True

    def _on_skin_checked(self, _step: TimelineStep, normal: bool) -> None:
        self._record_skin(normal)
        rest, self._skin_pending, self._rest_after_skin = self._rest_after_skin, False, None
        if normal and rest is not None:
            self._lengthen_rest(rest)

    def _record_skin(self, normal: bool) -> None:
        index = self._last_index
        if index is None or index >= len(self._applications):
            return
        now = self._clock()
        result: SkinResult = "normal" if normal else "not_normal"
        known = self._applications[index]
        self._applications[index] = ThermalApplication(
            known.kind, known.started_at, known.seconds_applied, known.updated_at,
            known.ended_at, known.session_id, known.step_index, result, now, known.id)
        if self._store is not None and self._last_id is not None:
            try:
                self._store.record_skin_check(self._last_id, result, now)
            except StoreError as exc:
                self.store_failed.emit(str(exc))

    def _on_session_finished(self, _completed: bool) -> None:
        self._waiting = None
        self._skin_pending, self._rest_after_skin = False, None
        self._wait_timer.stop()
        if self._on is not None:  # stopped mid-application: its time so far is its time
            engine = self._controller.engine
            seconds = self._on[3] if engine is None else max(self._on[3],
                                                             engine.elapsed_in_step())
            self._update(seconds, ended=True)
            self._on = None
