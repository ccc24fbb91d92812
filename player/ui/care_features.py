"""History, pain ratings and the care banner, wired into the window after its first paint.

:func:`install_care` opens the history database, puts the care banner at the top of the window,
adds the daily check-in, symptom questions and history page, and hooks the session controller:
every session, completed or skipped step and rating is written to the store as it happens
(:class:`~player.ui.controllers.session_recorder.SessionRecorder`), ratings are asked before and
after a session and after exercises that ask for it, and "This hurts" applies the in-session
rule. A store that cannot be opened or written is reported in plain words and the app keeps
running without history.

It is handed what it needs of the application (:class:`CareHost`), so it never imports it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton, QStyle, QWidget

from player.core.care import in_session_action
from player.core.history import Session as StoredSession
from player.core.step_kinds import StepKind
from player.core.symptoms import leg_symptom_report, put_off_record
from player.core.wake_times import ms_to_look_again
from player.store.db import NewerHistoryError, StoreError
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import CareController, local_now
from player.ui.controllers.session_recorder import SessionRecorder
from player.ui.controllers.thermal_care import ThermalCare
from player.ui.widgets.banner import CareBanner

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from player.core.care import Advice
    from player.core.clinical import CareThresholds
    from player.core.engine import StepFinished
    from player.core.history import HistoryData, StepStatus
    from player.core.plan import SessionPlan
    from player.core.programme import Programme
    from player.core.report import Report
    from player.core.resume import ResumeCheck
    from player.core.routine import Exercise, Routine
    from player.core.stop_signs import StopSign
    from player.ui.controllers.app_settings import AppSettings
    from player.ui.controllers.library_model import RoutineLibrary
    from player.ui.controllers.session_controller import Session, SessionController
    from player.ui.dialogs.symptoms_dialog import FormResult
    from player.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# User-visible text, in one place for translation.
EASIER_MISSING = ("The easier variant named for {exercise} ({easier}) is neither in this routine "
                  "nor in the exercise library, so it cannot be offered.")
HISTORY_UNAVAILABLE = "Your history is not available (see the earlier message)."
#: The note of a "This hurts" rating given with the routine's stop signs ticked (format 1.1).
STOP_SIGNS_NOTE = "Stop signs: {signs}"
RUNS_WITHOUT_HISTORY = "Until then the app works without your history."
RUNS_WITHOUT_HISTORY_UNTIL_FIXED = ("The app works without your history until this is fixed; "
                                    "nothing already saved has been changed.")
QUESTIONS_FIRST = ("Please answer every symptom question before starting a routine; the answers "
                   "you gave are kept.")
EMERGENCY_BLOCKS = ("Routines cannot start while the emergency advice at the top stands. "
                    "Please get emergency help now.")
URGENT_NEEDS_CONFIRMATION = ("Routines can start once you confirm on the advice at the top: a "
                             "clinician has checked this, or you will contact them today.")
MORNING_TITLE = "The morning after your session"
RED_FLAG_STOPPED = ("The session was stopped because of your answer: please read the advice at "
                    "the top. Everything you did so far is saved.")


class CareHost(Protocol):
    """What the care features need of the application (:class:`player.ui.application.App`)."""

    window: MainWindow
    controller: SessionController
    settings: AppSettings
    library: RoutineLibrary
    data_dir: Path


class CareFeatures(QObject):
    """Owns the store, the care controller, the banner, the history page and the rating hooks."""

    def __init__(self, app: CareHost, store: HistoryStore | None) -> None:
        super().__init__(app.window)
        self.app = app
        self.window = app.window
        self.controller = app.controller
        self.store = store
        self.care = CareController(store, parent=self)
        self.banner = CareBanner()
        self.recorder = SessionRecorder(store, parent=self) if store is not None else None
        self._pending_before: tuple[int, str, str] | None = None
        self._exercised: set[str] = set()  # exercises with a set done in this session
        self._stopped: dict[str, Exercise | None] = {}  # stopped for pain: easier, or skipped
        self._red_flag_stop = False  # the session was stopped at a red-flag answer
        self._prompts: list[Callable[[], None]] = []
        self._history_view: QWidget | None = None
        self._sessions: tuple[StoredSession, ...] | None = None  # the banner, preview, page
        self._build()
        self._wire()
        self.thermal = ThermalCare(self.controller, store, session_id=lambda: self.session_id,
                                   dialog_parent=lambda: self.window, clock=local_now,
                                   parent=self)
        self.thermal.status.connect(lambda words: self.window.show_status(words, seconds=60))
        self.thermal.store_failed.connect(self._on_store_failed)

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.window.banner_area.addWidget(self.banner)
        self.checkin_button = self._library_button(
            "Daily check-in\u2026", "Rate your pain now (daily check-in)",
            QStyle.StandardPixmap.SP_DialogYesButton)
        self.symptoms_button = self._library_button(
            "Symptom questions\u2026", "Answer the symptom questions",
            QStyle.StandardPixmap.SP_MessageBoxQuestion)
        self.history_button = self._library_button(
            "History", "Show your history, pain chart and report",
            QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.hurts_button = QPushButton(
            self.window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            "This hurts")
        self.hurts_button.setMinimumSize(96, 40)  # as big as the session buttons beside it
        self.hurts_button.setAccessibleName("This hurts: rate the pain and ease off")
        self.hurts_button.setShortcut(QKeySequence("H"))
        self.hurts_button.setToolTip("This hurts (H)")
        self.window.on_player_page(lambda page: page.extra_controls.addWidget(self.hurts_button))
        self.window.extra_shortcuts.append(("H", "This hurts: rate the pain and ease off"))
        menu = self.window.history_menu
        menu.addAction("Daily &check-in\u2026", self.check_in)
        menu.addAction("&Symptom questions\u2026", lambda: self.ask_symptoms())
        menu.addAction("&Ice and heat questions\u2026", lambda: self.thermal.change_screen())
        menu.addAction("&History and pain chart", self.show_history)
        menu.addAction("&Report for your physiotherapist (PDF)\u2026", self.save_report)

    def _library_button(self, text: str, name: str, icon: QStyle.StandardPixmap) -> QPushButton:
        button = QPushButton(self.window.style().standardIcon(icon), text)
        button.setAccessibleName(name)
        # Before the stretch that ends the row.
        row = self.window.library_actions
        row.insertWidget(row.count() - 1, button)
        return button

    def _wire(self) -> None:
        care, controller = self.care, self.controller
        care.banner_changed.connect(self.banner.show_advice)
        self.banner.dismissed.connect(care.dismiss_banner)
        self.banner.about_requested.connect(self.window.show_about_your_back)
        care.store_failed.connect(self._on_store_failed)
        care.start_blocked.connect(self._on_start_blocked)
        care.symptoms_check_suggested.connect(self._on_symptoms_check_suggested)
        care.red_flag_raised.connect(self._on_red_flag)
        self.banner.confirmed.connect(self._on_confirmed)
        self.banner.answer_again.connect(lambda: self.ask_symptoms())
        controller.add_start_guard(self._symptoms_guard)
        controller.add_start_guard(care.start_guard)
        controller.add_start_guard(self._ask_before)
        if self.recorder is not None:  # first, so a session has its id for the ratings below
            controller.session_started.connect(self.recorder.on_session_started)
            controller.step_finished.connect(self.recorder.on_step_finished)
            controller.session_finished.connect(self._record_finish)
            controller.display_changed.connect(self._record_clock)
            self.recorder.failed.connect(self._on_store_failed)
        controller.session_started.connect(self._on_session_started)
        controller.step_started.connect(self._on_step_started)
        controller.step_started.connect(self._on_step_started_stop)
        controller.step_finished.connect(self._on_step_finished)
        controller.session_finished.connect(self._on_session_finished)
        controller.session_closed.connect(self._on_session_closed)
        controller.session_started.connect(self._forget_sessions)
        controller.session_finished.connect(self._forget_sessions)
        self.window.preview.set_programme_source(self.programme_of)
        self.checkin_button.clicked.connect(self.check_in)
        self.symptoms_button.clicked.connect(lambda: self.ask_symptoms())
        self.history_button.clicked.connect(self.show_history)
        self.hurts_button.clicked.connect(self.this_hurts)
        self.hurts_button.setEnabled(False)

    def _record_finish(self, _completed: bool) -> None:
        if self.recorder is not None:
            self.recorder.on_session_finished(self.controller.end_reason)

    def _record_clock(self) -> None:
        engine = self.controller.engine
        step = engine.current if engine is not None else None
        if self.recorder is not None and engine is not None and step is not None:
            self.recorder.on_clock(step, engine.elapsed_in_step())

    @property
    def session_id(self) -> int | None:
        """The stored id of the session in play, if the history is available."""
        return self.recorder.session_id if self.recorder is not None else None

    # --- start-up ----------------------------------------------------------------------------
    def start(self, notices: list[str]) -> None:
        """Show the advice, then what needs the person's attention: first-run notice and
        questions, messages about the history file, sessions left unfinished."""
        self._follow_thresholds()
        self.care.set_session_starts(lambda: {s.id: s.started_at for s in self.sessions()})
        self.care.refresh()
        self.care.start_day_watch()
        settings = self.app.settings
        if not settings.notice_accepted:
            from player.ui.dialogs.first_run import FirstRunNotice  # dialogs: when shown

            if not FirstRunNotice.ask(self.window):
                self.window.close()
                return
            settings.accept_notice()
            self._ask_due()
        if notices:
            from player.ui.dialogs.history_dialogs import NoticeDialog

            for notice in notices:
                NoticeDialog.show_notice(self.window, notice)
        self._offer_interrupted()
        # Whether the next-morning check is due (it opens at 04:00) is looked at on each
        # quarter hour, when the reminders' timer wakes the app too (player.core.wake_times).
        self._morning_timer = QTimer(self)
        self._morning_timer.setSingleShot(True)
        self._morning_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._morning_timer.timeout.connect(self._on_morning_timer_timeout)
        self._on_morning_timer_timeout()

    def sessions(self) -> tuple[StoredSession, ...]:
        """The sessions recorded, with their step counts (stored with each session), read once
        and again after each session starts or ends: the banner, the preview's programme and
        the history page share them."""
        if self._sessions is None:
            self._sessions = self._read_sessions()
        return self._sessions

    def _read_sessions(self) -> tuple[StoredSession, ...]:
        if self.store is None:
            return ()
        try:
            return tuple(self.store.sessions())
        except StoreError as exc:
            self._on_store_failed(str(exc))
            return ()

    def programme_of(self, routine: Routine) -> Programme | None:
        """``routine``'s programme: from the start chosen, else its first session recorded."""
        from player.core.programme import programme_for

        return programme_for(routine, self.sessions(), local_now().date(),
                             self.app.settings.chosen_starts())

    def _forget_sessions(self, *_args: object) -> None:
        self._sessions = None
        self.window.preview.refresh_programme()

    def _follow_thresholds(self) -> None:
        """Judge the history with the thresholds of the routine being followed, as the report
        does (:func:`player.core.played.thresholds_in_force`), from the first paint on.

        With no session recorded there is no routine to follow: the controller keeps the
        default thresholds. For a last session recorded before thresholds were stored, its
        routine file is found among the candidates from what the library's early check found
        in them, else by parsing them (:func:`~player.core.played.find_played_routine`).
        """
        if self.store is None:
            return
        sessions = self.sessions()
        if not sessions:
            return
        from player.core.played import last_played, played_among, thresholds_in_force
        from player.routine_files import routine_candidates

        def played_thresholds() -> CareThresholds | None:
            last = last_played(sessions)
            if last is None:
                return None
            candidates = routine_candidates(self.app.data_dir)
            checked = self.app.library.checked_routines(candidates)
            if checked is not None:
                found = played_among(last, checked)
                return None if found is None else found.thresholds
            from player.core.played import find_played_routine

            routine = find_played_routine(last, candidates, self.app.library.exercises)
            return None if routine is None else routine.pain_checks.thresholds

        self.care.set_thresholds(
            thresholds_in_force(sessions, played_thresholds=played_thresholds), refresh=False)

    def close(self) -> None:
        """Close the history database."""
        if self.store is not None:
            self.store.close()
            self.store = None

    def _offer_interrupted(self) -> None:
        if self.store is None or self.recorder is None:
            return
        try:
            interrupted = self.store.interrupted_sessions()
        except StoreError as exc:
            self._on_store_failed(str(exc))
            return
        for stored in interrupted:
            try:
                self._offer_one(stored)
            except StoreError as exc:
                self._on_store_failed(str(exc))

    def _offer_one(self, stored: StoredSession) -> None:
        from player.core.plan import build_plan
        from player.ui.dialogs.history_dialogs import InterruptedDialog

        assert self.store is not None and self.recorder is not None
        steps = self.store.steps(stored.id)
        check = self._check_resume(stored, [s.step_index for s in steps])
        choice = InterruptedDialog.ask(self.window, stored, check.plan is not None,
                                       check.problem, check.fresh is not None)
        busy = self.controller.in_play
        if choice == "resume" and check.plan is not None and not busy:
            self.store.resume_session(stored.id)
            self.recorder.continue_with(stored.id)
            carried = [(s.step_index, s.status) for s in steps]
            if not self._start_plan(check.plan, carried):
                self.store.close_session_as_interrupted(stored.id)
            return
        self.store.close_session_as_interrupted(stored.id)
        if choice == "fresh" and check.fresh is not None and not busy:
            self._start_plan(build_plan(self.window.prepare_routine(check.fresh), stored.week))

    def _check_resume(self, stored: StoredSession, done: list[int]) -> ResumeCheck:
        from player.core.resume import check_resume
        from player.routine_files import routine_candidates

        library = self.app.library.exercises
        return check_resume(stored, done, routine_candidates(self.app.data_dir), library,
                            dict(library.exercises), prepare=self.window.as_played)

    def _start_plan(self, plan: SessionPlan,
                    carried: Sequence[tuple[int, StepStatus]] = ()) -> bool:
        player = self.window.player  # subscribed before the session's first events
        if not self.controller.start(plan, carried):
            if self.recorder is not None:
                self.recorder.cancel_continue()
            return False
        self.window.show_page(player)
        return True

    # --- ratings and questions ---------------------------------------------------------------
    def check_in(self) -> None:
        """The daily check-in: a 0-10 rating outside a session."""
        from player.ui.dialogs.pain_dialogs import PainRatingDialog

        answer = PainRatingDialog.ask(self.window, "checkin", "Daily check-in")
        if answer is not None:
            rating, note, area = answer
            self.care.record_rating("checkin", rating, note=note, body_area=area)

    def ask_symptoms(self, fields: Sequence[str] | None = None,
                     may_put_off: bool = False) -> FormResult:
        """Ask the symptom questions (*fields*, or all of them), recording each answer as it is
        given; a session in play waits paused meanwhile (and stops at a red flag)."""
        from player.ui.dialogs.symptoms_dialog import SymptomsDialog

        paused = self.controller.pause()
        try:
            result = SymptomsDialog.ask(self.window, fields=fields, may_put_off=may_put_off,
                                        record=self.care.record_symptoms)
        finally:
            if paused and self.controller.in_play:
                self.controller.resume()
        if result == "put_off":
            self.care.record_symptoms(put_off_record(local_now()))
        return result

    def _ask_due(self) -> bool:
        """Ask the symptom questions that are due, if any; True when none is left due (or the
        form was put off, the one time that is allowed)."""
        due = self.care.questions_due()
        if due is None:
            return True
        if self.ask_symptoms(due.fields, due.may_put_off) == "put_off":
            return True
        return self.care.questions_due() is None

    def _symptoms_guard(self, session: Session) -> bool:
        """Before a session: the questions due (first ones, weekly, after a trigger) need an
        answer; carrying on a session (resume, easier variant) asks nothing."""
        if session.continues or session.plan.resumed or session.plan.variants or (
                self.recorder is not None and self.recorder.continuing):
            return True
        if self.care.refresh().level == "emergency":
            return True  # the care guard refuses; the banner offers to answer again
        due = self.care.questions_due()
        if due is None:
            return True
        result = self.ask_symptoms(due.fields)  # no putting off before a session
        if result == "put_off" or self.care.questions_due() is None:
            return True
        self.window.show_status(QUESTIONS_FIRST, seconds=30)
        return False

    def _ask_before(self, session: Session) -> bool:
        from player.ui.dialogs.pain_dialogs import PainRatingDialog

        self._pending_before = None
        if session.continues or (self.recorder is not None and self.recorder.continuing):
            return True
        if session.routine.pain_checks.before:
            self._pending_before = PainRatingDialog.ask(
                self.window, "before", f"Before {session.routine.title}")
        return True

    def _on_session_started(self, session: Session) -> None:
        if not (session.continues or session.plan.resumed or session.plan.variants):
            self._exercised.clear()
            self._stopped.clear()
        self._red_flag_stop = False
        self.care.set_thresholds(session.routine.pain_checks.thresholds)
        if self._pending_before is not None:
            rating, note, area = self._pending_before
            self._pending_before = None
            self.care.record_rating("before", rating, note=note, body_area=area,
                                    session_id=self.session_id)

    def _on_step_started(self, step: object) -> None:
        current = self.controller.engine.current if self.controller.engine else None
        self.hurts_button.setEnabled(current is not None and current.exercise is not None)

    def _on_step_finished(self, event: StepFinished) -> None:
        step = event.step
        exercise = step.exercise
        if exercise is None or step.kind is not StepKind.EXERCISE:
            return
        if event.status == "completed":
            self._exercised.add(exercise.id)
        # The timeline marks only an exercise's last set and side; it is asked about when any
        # of its sets was done, even if this last one was skipped; never after "This hurts" or
        # the check itself stopped it (its pain was just rated), nor after a red-flag stop.
        if step.pain_check and exercise.id in self._exercised \
                and exercise.id not in self._stopped and not self._red_flag_stop:
            session_id = self.session_id
            self._prompt(lambda: self._ask_during(exercise, session_id, step.stop_if))

    def _ask_during(self, exercise: Exercise, session_id: int | None,
                    signs: tuple[StopSign, ...] = ()) -> None:
        """The per-exercise pain check; a rating at the stop level, or above the routine's
        ``pain_above`` sign (format 1.1), stops the exercise for the rest of the session, as
        "This hurts" does (clinical-notes.md v2). Not asked once the session was stopped for a
        red flag after this check was queued."""
        from player.core.stop_signs import matched
        from player.ui.dialogs.pain_dialogs import InSessionAdvice, PainRatingDialog

        if self._red_flag_stop:
            return
        paused = self.controller.pause()  # False when that was the last step
        answer = PainRatingDialog.ask(self.window, "during", f"After {exercise.name}")
        if answer is None:
            if paused:
                self.controller.resume()
            return
        rating, note, area = answer
        self.care.record_rating("during", rating, note=note, body_area=area,
                                session_id=session_id, exercise_id=exercise.id)
        above = matched(signs, (), rating)  # only pain_above: nothing is ticked here
        action = in_session_action(rating, bool(above), True, self.care.thresholds)
        if action == "continue" or not self.controller.in_play:
            if paused and self.controller.in_play:
                self.controller.resume()
            return
        easier = self._easier(exercise)
        if easier is None:
            action = "skip"
        choice = InSessionAdvice.ask(self.window, action, exercise.name,
                                     easier.name if easier is not None else None,
                                     finished=True)
        if choice == "continue":
            choice = "skip"  # at the stop level, carrying on is not offered
        self._apply_choice(choice, exercise, easier, paused)
        if choice != "stop" and paused and self.controller.in_play \
                and self.controller.states()[0] == "paused":
            self.controller.resume()

    def _on_session_finished(self, completed: bool) -> None:
        self.hurts_button.setEnabled(False)
        session = self.controller.session
        if self.recorder is not None and self.recorder.continuing:
            return
        if self._red_flag_stop:
            return  # the advice at the top comes first: no more ratings are asked
        if session is not None and session.routine.pain_checks.after:
            session_id = self.session_id
            self._prompt(lambda: self._ask_after(session.routine.title, session_id))

    def _ask_after(self, title: str, session_id: int | None) -> None:
        from player.ui.dialogs.pain_dialogs import PainRatingDialog

        answer = PainRatingDialog.ask(self.window, "after", f"After {title}")
        if answer is not None:
            rating, note, area = answer
            self.care.record_rating("after", rating, note=note, body_area=area,
                                    session_id=session_id)

    def _prompt(self, ask: Callable[[], None]) -> None:
        """Ask ``ask`` once the engine's signal has returned, after the prompts already queued.

        A rating dialog runs its own event loop: without the queue, a prompt queued while one
        is open (the "after" rating at the end of the last exercise) would open on top of it
        and be answered first.
        """
        self._prompts.append(ask)
        if len(self._prompts) == 1:
            QTimer.singleShot(0, self, self._run_prompts)

    def _run_prompts(self) -> None:
        while self._prompts:
            self._prompts[0]()
            self._prompts.pop(0)

    def _on_session_closed(self) -> None:
        self.hurts_button.setEnabled(False)

    def _on_morning_timer_timeout(self) -> None:
        self._morning_timer.start(ms_to_look_again(local_now()))
        self.ask_morning_after()

    def ask_morning_after(self, asked_for: bool = False) -> None:
        """The next-morning check of the last session, when it is due (from 04:00 on the day
        after it until the next session; clinical-notes.md v2), asked once unless the person
        ``asked_for`` it (the Today section's "Rate it now"): stored as its ``morning_after``
        rating."""
        from player.core.pain import morning_after_due

        if self.store is None or self.controller.in_play or self._prompts:
            return
        settings = self.app.settings
        starts = {s.id: s.started_at for s in self.sessions()}
        due = morning_after_due(self.care.ratings, local_now(), starts,
                                declined=() if asked_for else settings.morning_checks_asked())
        if due is None:
            return
        settings.add_morning_check_asked(due.session_id)
        from player.ui.dialogs.pain_dialogs import PainRatingDialog  # the dialog, when asked

        answer = PainRatingDialog.ask(self.window, "morning_after", MORNING_TITLE)
        if answer is not None:
            rating, note, area = answer
            self.care.record_rating("morning_after", rating, note=note, body_area=area,
                                    session_id=due.session_id)

    # --- "this hurts" ------------------------------------------------------------------------
    def this_hurts(self) -> None:
        """Rate the pain mid-exercise and apply the in-session rule: stop the exercise (easier
        variant or skip) for a sharp pain or a rating at the stop level; for a leg symptom stop
        it and ask the symptom questions at once."""
        from player.ui.dialogs.pain_dialogs import LEG_FEELS, HurtsDialog, InSessionAdvice

        engine = self.controller.engine
        step = engine.current if engine is not None else None
        if step is None or step.exercise is None:
            return
        exercise = step.exercise
        easier = self._easier(exercise)
        if easier is None and exercise.easier:
            self.window.show_status(EASIER_MISSING.format(
                exercise=exercise.name, easier=exercise.easier), seconds=30)
        paused = self.controller.pause()
        # In the rest between sets or a switch of sides, the signs of the exercise's next set.
        signs = step.stop_if or next(
            (s.stop_if for s in engine.timeline.steps[step.index + 1:]
             if s.kind is StepKind.EXERCISE and s.exercise == exercise), ()) \
            if engine is not None else step.stop_if
        answer = HurtsDialog.ask(self.window, easier is not None,
                                 self.care.thresholds.in_session_stop_level, signs)
        if answer is None:
            if paused:
                self.controller.resume()
            return
        rating, feel, ticked = answer
        # A stop sign of the routine's (format 1.1) that matched applies its care rule: a leg
        # symptom as if said so here, any other sign stops the exercise.
        from player.core.stop_signs import care_kind, matched

        sign_rule = care_kind(matched(signs, ticked, rating))
        if feel not in LEG_FEELS and sign_rule in ("leg_pain", "leg_numb"):
            feel = "leg_pain" if sign_rule == "leg_pain" else "leg_numb"
        leg = feel in LEG_FEELS
        session_id = self.session_id
        if leg:
            self.care.record_symptoms(leg_symptom_report(local_now(), feel == "leg_pain"))
        if rating is not None:
            # The routine's stop signs ticked go with the rating, for the report (format 1.1).
            note = STOP_SIGNS_NOTE.format(signs="; ".join(s.choice_text() for s in ticked)) \
                if ticked else ""
            self.care.record_rating("during", rating, note=note, session_id=session_id,
                                    exercise_id=exercise.id)
        if not self.controller.in_play:
            return  # a red flag stopped the session
        if leg:
            self._stop_exercise(exercise, None)
            self._ask_due_now()
            return
        action = in_session_action(rating, feel == "sharp" or sign_rule == "stop",
                                   easier is not None, self.care.thresholds)
        linked = self._easier_routine()
        # Offered only when there is one, so the dialog's answer stays as before otherwise.
        extra = {"easier_routine": True} if linked is not None and action != "continue" else {}
        choice = InSessionAdvice.ask(self.window, action, exercise.name,
                                     easier.name if easier is not None else None, **extra)
        if choice == "continue" and sign_rule is not None:
            choice = "skip"  # the physio said stop: carrying on is not offered
        if choice == "easier_routine" and linked is not None:
            self.controller.stop(for_pain=True)
            if not self.controller.in_play:
                self.window.open_file(linked)
            return
        self._apply_choice(choice, exercise, easier, paused)

    def _easier_routine(self) -> Path | None:
        """The easier routine the session's routine links (format 1.1), if it is there."""
        session = self.controller.session
        linked = session.routine.easier_routine if session is not None else None
        return linked if linked is not None and linked.is_file() else None

    def _apply_choice(self, choice: str, exercise: Exercise, easier: Exercise | None,
                      paused: bool) -> None:
        if not self.controller.in_play:
            return
        if choice == "easier" and easier is not None:
            self._stop_exercise(exercise, easier)
        elif choice == "skip":
            self._stop_exercise(exercise, None)
        elif choice == "stop":
            self.controller.stop(for_pain=True)
        elif paused:
            self.controller.resume()

    def _stop_exercise(self, exercise: Exercise, easier: Exercise | None) -> None:
        """Stop *exercise* for the rest of this session: its remaining sets, sides and the rests
        between them are skipped (recorded as skipped), or played as *easier*."""
        self._stopped[exercise.id] = easier
        self._apply_stop()

    def _on_step_started_stop(self, _step: object) -> None:
        QTimer.singleShot(0, self, self._apply_stop)

    def _apply_stop(self) -> None:
        """Skip (or make easier) the step in play when its exercise was stopped for pain."""
        from player.core.step_kinds import StepKind

        engine = self.controller.engine
        step = engine.current if engine is not None else None
        while step is not None and step.exercise is not None \
                and step.exercise.id in self._stopped and step.kind in (
                    StepKind.EXERCISE, StepKind.REST, StepKind.SWITCH_SIDES):
            easier = self._stopped[step.exercise.id]
            if easier is not None:
                self._switch_to(easier)
                return
            if not self.controller.next():
                return
            engine = self.controller.engine
            step = engine.current if engine is not None else None

    def _easier(self, exercise: Exercise) -> Exercise | None:
        session = self.controller.session
        if exercise.easier is None or session is None:
            return None
        for known in session.routine.exercises():
            if known.id == exercise.easier:
                return known
        return self.app.library.exercises.exercises.get(exercise.easier)

    def _switch_to(self, easier: Exercise) -> None:
        """Carry on the session with ``easier`` in place of the current exercise's remaining
        sets and sides (the current step is recorded as skipped)."""
        from player.core.plan import PlanError
        from player.ui.dialogs.history_dialogs import NoticeDialog

        session, engine = self.controller.session, self.controller.engine
        if session is None or engine is None or engine.current is None:
            return
        try:
            plan = session.plan.with_easier_variant(engine.index, easier)
        except PlanError as exc:
            NoticeDialog.show_notice(self.window, str(exc))
            return
        if self.recorder is not None and self.session_id is not None:
            self.recorder.continue_with(self.session_id)
        carried = self.controller.step_statuses
        if not self.controller.start(plan, carried, self.controller.active_seconds) \
                and self.recorder is not None:
            self.recorder.cancel_continue()

    # --- history -----------------------------------------------------------------------------
    def show_history(self) -> None:
        """The history page: calendar, adherence, pain chart and sessions."""
        from player.core.history import HistoryData
        from player.ui.pages.history_view import HistoryView

        if self.store is None:
            self.window.show_status(HISTORY_UNAVAILABLE)
            return
        if self._history_view is None:
            view = HistoryView()
            view.back_requested.connect(self.window.back_to_library)
            view.report_requested.connect(self.save_report)
            self.window.add_page(view)
            self._history_view = view
        # The care controller already holds every rating, the answers and the banner events.
        care = self.care
        data = HistoryData(care.ratings, self.sessions(), care.symptoms,
                           care.banner_events,
                           care.symptom_history, care.confirmations)
        self._history_view.set_report(self._report(data))  # type: ignore[attr-defined]
        self.window.show_page(self._history_view)

    def save_report(self) -> None:
        """Write the PDF report for the physiotherapist."""
        from player.ui.dialogs.history_dialogs import ReportFileDialog
        from player.ui.report_pdf import write_report_pdf

        if self.store is None:
            self.window.show_status(HISTORY_UNAVAILABLE)
            return
        path = ReportFileDialog.ask(self.window)
        if path is None:
            return
        try:
            write_report_pdf(self._report(self.store.snapshot()), path)
        except (StoreError, OSError) as exc:
            self._on_store_failed(f"The report could not be written: {exc}")
            return
        self.window.show_status(f"Report saved to {path}")

    def _report(self, data: HistoryData) -> Report:
        from player.core.report import report_for
        from player.routine_files import routine_candidates

        return report_for(data, local_now(), routine_candidates(self.app.data_dir),
                          library=self.app.library.exercises,
                          chosen_starts=self.app.settings.chosen_starts())

    # --- messages ----------------------------------------------------------------------------
    def _on_store_failed(self, message: str) -> None:
        log.warning("history: %s", message)
        self.window.show_status(message, seconds=30)

    def _on_start_blocked(self, advice: Advice) -> None:
        self.window.show_status(EMERGENCY_BLOCKS if advice.level == "emergency"
                                else URGENT_NEEDS_CONFIRMATION, seconds=30)

    def _on_symptoms_check_suggested(self, reason: str) -> None:
        self.window.show_status(reason, seconds=30)
        suggested = local_now()
        self._prompt(lambda: self._ask_suggested(suggested))

    def _ask_suggested(self, suggested: datetime) -> None:
        """After a rating that suggested the questions: those due at once (a severe rating),
        else the whole form (pain getting worse), unless they were answered since."""
        due = self.care.questions_due()
        if due is not None and due.at_once:
            self.ask_symptoms(due.fields)
        elif not any(a.at >= suggested for a in self.care.symptom_history):
            self.ask_symptoms()

    def _ask_due_now(self) -> None:
        """Ask the questions due at once (after a severe rating or a leg symptom), if any are
        still due."""
        due = self.care.questions_due()
        if due is not None and due.at_once:
            self.ask_symptoms(due.fields)

    def _on_red_flag(self, _advice: Advice) -> None:
        """An emergency or urgent-today answer mid-session stops the session at once (what was
        done is saved; the session is recorded as ``stopped_red_flag``)."""
        if self.controller.in_play:
            self._red_flag_stop = True
            self.controller.stop(for_red_flag=True)
            self.window.show_status(RED_FLAG_STOPPED, seconds=60)

    def _on_confirmed(self, kind: str) -> None:
        level = self.care.advice.level
        if level not in ("emergency", "urgent_today"):
            return
        if kind == "will_contact_today" and level == "urgent_today":
            self.care.record_confirmation("urgent_today", "will_contact_today")
        elif kind == "clinician_checked":
            self.care.record_confirmation(level, "clinician_checked")


def install_care(app: CareHost) -> CareFeatures:
    """Open the history and wire the care features into ``app``'s window (after first paint)."""
    notices: list[str] = []
    store: HistoryStore | None = None
    try:
        store = HistoryStore.open(app.data_dir)
        notices.extend(store.notices)
    except NewerHistoryError as exc:
        notices.append(f"{exc} {RUNS_WITHOUT_HISTORY}")
    except StoreError as exc:
        notices.append(f"{exc} {RUNS_WITHOUT_HISTORY_UNTIL_FIXED}")
    features = CareFeatures(app, store)
    features.start(notices)
    return features
