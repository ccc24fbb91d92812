"""The rules side of care: the current advice, the banner's events, ratings and symptom answers.

:class:`CareController` applies :func:`player.core.care.assess` to the history and says what
changed with signals; the banner and the window only listen. Every write goes straight to the
:class:`~player.store.history.HistoryStore`; when the store fails, ``store_failed`` carries a
plain message and the app keeps going with what it has in memory.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from player.core import localtime
from player.core.care import Advice, assess, banner_visible, reference_level, stops_session
from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.history import (
    BannerAction,
    BannerEvent,
    CareConfirmation,
    ConfirmationKind,
    ConfirmedLevel,
    PainRating,
    RatingContext,
    SymptomAnswers,
)
from player.core.symptoms import QuestionsDue, merged, questions_due
from player.store.db import StoreError
from player.store.history import HistoryStore

NO_ADVICE = Advice("none", (), "")

# User-visible text, in one place for translation.
SEVERE_SUGGESTION = ("You rated your pain {rating}/10. Please answer the symptom questions "
                     "again, so the app can tell you if you need care.")
WORSE_SUGGESTION = ("Your pain ({rating}/10) is {points} points above your usual level before "
                    "({base}/10). Please answer the symptom questions again.")

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Now, in the system's zone with its daylight-saving rules (:mod:`player.core.localtime`)."""
    return localtime.local_now()


class CareController(QObject):
    """Owns the current advice and records what the banner did, for the clinician's report.

    ``advice_changed(Advice)`` whenever the advice changes; ``banner_changed(Advice)`` with what
    the banner should show (level ``none`` when there is nothing, or it was hidden for today);
    ``symptoms_check_suggested(str)`` when a new rating suggests asking the symptom questions
    again (the text says why); ``rating_recorded(PainRating)``,
    ``symptoms_recorded(SymptomAnswers)``; ``confirmation_recorded(CareConfirmation)``;
    ``red_flag_raised(Advice)`` when an answer just recorded added an emergency or urgent-today
    reason (a session in play stops at once); ``start_blocked(Advice)`` when :meth:`start_guard`
    refused a start; ``store_failed(str)`` with a plain message.

    Nothing is read until the first :meth:`refresh` (or :meth:`reload`).
    """

    advice_changed = Signal(object)
    banner_changed = Signal(object)
    symptoms_check_suggested = Signal(str)
    rating_recorded = Signal(object)
    symptoms_recorded = Signal(object)
    confirmation_recorded = Signal(object)
    red_flag_raised = Signal(object)
    start_blocked = Signal(object)
    store_failed = Signal(str)

    def __init__(self, store: HistoryStore | None,
                 thresholds: CareThresholds = DEFAULT_THRESHOLDS, *,
                 clock: Clock = local_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._thresholds = thresholds
        self._clock = clock
        self._loaded = False
        #: A tuple (replaced, never changed): the rules keep years of ratings sorted per tuple
        #: (:func:`player.core.pain.as_of`), so the banner and the start-up checks sort once.
        self._ratings: tuple[PainRating, ...] = ()
        self._symptom_history: list[SymptomAnswers] = []
        self._confirmations: list[CareConfirmation] = []
        self._events: list[BannerEvent] = []
        self._advice = NO_ADVICE
        self._banner = NO_ADVICE
        self._shown: tuple[str, tuple[str, ...]] | None = None
        self._suggested_on: datetime | None = None
        self._day_timer: QTimer | None = None
        self._session_starts: Callable[[], Mapping[int, datetime]] | None = None

    # --- read-only --------------------------------------------------------------------------
    @property
    def advice(self) -> Advice:
        """The advice as of the last :meth:`refresh`."""
        return self._advice

    @property
    def banner_advice(self) -> Advice:
        """What the banner shows: the advice, or level ``none`` when hidden for today."""
        return self._banner

    @property
    def thresholds(self) -> CareThresholds:
        """The care thresholds in force."""
        return self._thresholds

    @property
    def ratings(self) -> tuple[PainRating, ...]:
        """Every rating known, oldest first."""
        return self._ratings

    @property
    def symptoms(self) -> SymptomAnswers | None:
        """The latest answer to each symptom question, as one record (None: none given)."""
        if not self._symptom_history:
            return None
        return merged(self._symptom_history, max(a.at for a in self._symptom_history))

    @property
    def symptom_history(self) -> tuple[SymptomAnswers, ...]:
        """Every symptom answer as given, oldest first."""
        return tuple(self._symptom_history)

    @property
    def confirmations(self) -> tuple[CareConfirmation, ...]:
        """Every "a clinician has checked this" / "I will contact them today" record."""
        return tuple(self._confirmations)

    def questions_due(self, now: datetime | None = None) -> QuestionsDue | None:
        """Which symptom questions to ask now, and why (:func:`player.core.symptoms.questions_due`)."""
        now = now or self._clock()
        if not self._loaded:
            self.reload()
        return questions_due(self._symptom_history, self._ratings, now, self._thresholds)

    @property
    def banner_events(self) -> tuple[BannerEvent, ...]:
        """Every banner event known, oldest first."""
        return tuple(self._events)

    def routine_may_start(self) -> bool:
        """False while emergency advice stands, or urgent-today advice not confirmed today."""
        return not self._advice.blocks_routine

    # --- commands ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the ratings, the latest symptom answers and the banner events again."""
        self._loaded = True
        if self._store is None:
            return
        try:
            ratings = self._store.ratings()
            symptoms = self._store.symptom_history()
            confirmations = self._store.confirmations()
            events = self._store.banner_events()
        except StoreError as exc:
            self.store_failed.emit(str(exc))
            return
        self._ratings, self._events = tuple(ratings), events
        self._symptom_history, self._confirmations = symptoms, confirmations

    def set_session_starts(self, starts: Callable[[], Mapping[int, datetime]]) -> None:
        """Where the rules read every session's start (session id to time), so that a session
        without ratings still closes the next-morning window of the one before, as in the
        report."""
        self._session_starts = starts

    def set_thresholds(self, thresholds: CareThresholds, *, refresh: bool = True) -> None:
        """Use *thresholds* (those of the routine being followed), and refresh."""
        self._thresholds = thresholds
        if refresh:
            self.refresh()

    def refresh(self, now: datetime | None = None) -> Advice:
        """Apply the care rules as of *now*; record the banner when it appears or changes."""
        now = now or self._clock()
        if not self._loaded:
            self.reload()
        starts = self._session_starts() if self._session_starts is not None else None
        advice = assess(self._ratings, self._symptom_history, now, self._thresholds,
                        confirmations=self._confirmations, session_starts=starts)
        visible = banner_visible(advice, self._events, now)
        if visible:
            self._record_shown(advice, now)
        else:
            self._shown = None
        self._set(advice, advice if visible else NO_ADVICE)
        return advice

    def dismiss_banner(self, now: datetime | None = None) -> None:
        """Hide "see a professional" advice for the rest of today (urgent cannot be hidden)."""
        now = now or self._clock()
        if not self._banner.dismissible:
            return
        self._add_event(now, self._banner, "dismissed")
        self._shown = None
        self._set(self._advice, NO_ADVICE)

    def start_guard(self, _session: object = None) -> bool:
        """For ``SessionController.add_start_guard``: False (and ``start_blocked``) if urgent."""
        self.refresh()
        if self.routine_may_start():
            return True
        self.start_blocked.emit(self._advice)
        return False

    def record_rating(self, context: RatingContext, rating: int, *, note: str = "",
                      body_area: str = "", session_id: int | None = None,
                      at: datetime | None = None, exercise_id: str = "") -> PainRating:
        """Save a rating, refresh the advice, and suggest the symptom questions if it is high.

        A rating that could not be saved still counts for today's advice (``store_failed`` says
        it was not saved).
        """
        at = at or self._clock()
        if not self._loaded:
            self.reload()
        entry = PainRating(at, context, rating, note, body_area, session_id, exercise_id)
        if self._store is not None:
            try:
                self._store.add_rating(entry)
            except StoreError as exc:
                self.store_failed.emit(str(exc))
        ratings = list(self._ratings)
        bisect.insort(ratings, entry, key=lambda r: r.at)
        self._ratings = tuple(ratings)
        self.rating_recorded.emit(entry)
        self.refresh(at)
        reason = self._suggestion(entry)
        if reason:
            self._suggested_on = at
            self.symptoms_check_suggested.emit(reason)
        return entry

    def record_symptoms(self, answers: SymptomAnswers) -> bool:
        """Save the answers (one answer as it is given, or a whole form) and refresh the
        advice; ``red_flag_raised`` when they add an emergency or urgent-today reason. False
        when they could not be saved (they still count in memory)."""
        saved = True
        if not self._loaded:
            self.reload()
        if self._store is not None:
            try:
                self._store.add_symptoms(answers)
            except StoreError as exc:
                self.store_failed.emit(str(exc))
                saved = False
        before = self._advice
        bisect.insort(self._symptom_history, answers, key=lambda a: a.at)
        self.symptoms_recorded.emit(answers)
        after = self.refresh(answers.at)
        if stops_session(before, after):
            self.red_flag_raised.emit(after)
        return saved

    def record_confirmation(self, level: ConfirmedLevel, kind: ConfirmationKind,
                            at: datetime | None = None) -> CareConfirmation:
        """Save "a clinician has checked this" (``clinician_checked``) or "I will contact them
        today, start anyway" (``will_contact_today``) for the *level* shown, and refresh."""
        at = at or self._clock()
        if not self._loaded:
            self.reload()
        confirmation = CareConfirmation(at, level, kind)
        if self._store is not None:
            try:
                self._store.add_confirmation(confirmation)
            except StoreError as exc:
                self.store_failed.emit(str(exc))
        self._confirmations.append(confirmation)
        self.confirmation_recorded.emit(confirmation)
        self.refresh(at)
        return confirmation

    def start_day_watch(self) -> None:
        """Refresh just after each local midnight, so a banner hidden for today comes back."""
        if self._day_timer is None:
            self._day_timer = QTimer(self)
            self._day_timer.setSingleShot(True)
            self._day_timer.timeout.connect(self._on_day_timer_timeout)
        self._day_timer.start(milliseconds_to_next_day(self._clock()))

    # --- internals --------------------------------------------------------------------------
    def _set(self, advice: Advice, banner: Advice) -> None:
        advice_changed = advice != self._advice
        banner_changed = banner != self._banner
        self._advice, self._banner = advice, banner
        if advice_changed:
            self.advice_changed.emit(advice)
        if banner_changed:
            self.banner_changed.emit(banner)

    def _record_shown(self, advice: Advice, now: datetime) -> None:
        key = (advice.level, advice.reasons)
        if self._shown == key:
            return
        self._shown = key
        last = self._events[-1] if self._events else None
        again_today = (last is not None and last.action == "shown"
                       and (last.level, last.reasons) == key
                       and last.at.astimezone(now.tzinfo).date() == now.date())
        if not again_today:  # e.g. the app was restarted with the same banner
            self._add_event(now, advice, "shown")

    def _add_event(self, now: datetime, advice: Advice, action: BannerAction) -> None:
        event = BannerEvent(now, advice.level, advice.reasons, action, advice.codes)
        self._events.append(event)
        if self._store is None:
            return
        try:
            self._store.add_banner_event(event)
        except StoreError as exc:
            self.store_failed.emit(str(exc))

    def _suggestion(self, entry: PainRating) -> str:
        """Why to ask the symptom questions again after *entry*, or empty.

        A rating at or above the severe level asks the emergency questions again at once
        (clinical-notes.md v2), unless they were answered since; a resting rating 2 points
        above the reference level suggests them once a day.
        """
        limits = self._thresholds
        if entry.rating >= limits.severe_level:
            due = self.questions_due(entry.at)
            if due is not None and due.at_once:
                return SEVERE_SUGGESTION.format(rating=entry.rating)
            return ""
        today = entry.at.date()
        if self._suggested_on is not None and self._suggested_on.date() == today:
            return ""
        latest = self.symptoms
        if latest is not None and latest.at.astimezone(entry.at.tzinfo).date() == today:
            return ""
        base = reference_level(self._ratings, entry.at)
        if entry.resting and base is not None and entry.rating - base >= limits.worsening_points:
            return WORSE_SUGGESTION.format(rating=entry.rating, points=f"{entry.rating - base:g}",
                                           base=f"{base:g}")
        return ""

    def _on_day_timer_timeout(self) -> None:
        self.refresh()
        self.start_day_watch()


def milliseconds_to_next_day(now: datetime) -> int:
    """Milliseconds from *now* to a few seconds after the next local midnight."""
    midnight = localtime.next_local_midnight(now, after=timedelta(seconds=5))
    return max(1000, int(localtime.seconds_between(now, midnight) * 1000))
