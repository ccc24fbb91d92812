"""When to recommend professional care: the banner's rules as pure functions.

The rules are those of ``clinical-notes.md`` version 2 ("When to recommend professional care"),
implemented as written; docs/clinical-rules.md says the same in plain words. Nothing here reads
a clock or a file: the caller passes the ratings, the symptom answers and ``now``, whose zone is
the one days are counted in. The pain levels, episodes and the next-morning judgement of a
session are in :mod:`player.core.pain`; thresholds a routine may make stricter come from a
:class:`~player.core.clinical.CareThresholds`, the fixed windows are the cited constants of
:mod:`player.core.clinical`.

Each reason has a stable ``code``, plain ``words`` and, for pain reasons, the ``dates`` it
rests on (:class:`Reason`). The app advises; it never diagnoses. Every banner shows
:data:`NOT_A_DIAGNOSIS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal

from player.core.clinical import (
    DEFAULT_THRESHOLDS,
    MCID_FRACTION,
    MCID_POINTS,
    SESSIONS_HURT_WINDOW,
    SESSIONS_HURT_WINDOW_DAYS,
    SEVERE_WINDOW_DAYS,
    CareThresholds,
)
from player.core.days import local_date, zone_of
from player.core.history import (
    AdviceLevel,
    BannerEvent,
    CareConfirmation,
    PainRating,
    SymptomAnswers,
)
from player.core.pain import Level, RestingHistory, as_of, session_checks, severe_days
from player.core.symptoms import (
    QUESTIONS_BY_FIELD,
    level_rank,
    standing_yes,
    start_confirmed_today,
)
from player.core.symptoms import SYMPTOM_QUESTIONS as SYMPTOM_QUESTIONS  # re-exported
from player.core.symptoms import SymptomQuestion as SymptomQuestion  # re-exported

NOT_A_DIAGNOSIS: Final = (
    "This is not a diagnosis: only a clinician who examines you can say what is causing your pain."
)

EMERGENCY_WHAT_TO_DO: Final = (
    "Get emergency help now: go to an emergency department or call your emergency number. "
    "Do not start the routine."
)
#: The emergency advice (the one level of red flags version 1 had).
URGENT_WHAT_TO_DO: Final = EMERGENCY_WHAT_TO_DO
URGENT_TODAY_WHAT_TO_DO: Final = (
    "Contact your GP, an urgent-care line or your cancer team today."
)
SEE_PROFESSIONAL_WHAT_TO_DO: Final = (
    "Make an appointment with your GP or a physiotherapist soon and show them your pain diary. "
    "Until then, go gently: stop for sharp pain, or pain that keeps getting worse."
)

# --- The words of the pain reasons (user-visible; one place for translation) -------------------
WORSE_WORDS: Final = ("Your usual pain {recent_span} is {recent}/10, {points} above "
                      "{reference_span} ({reference}/10{reference_when}).")
RECENT_SPANS: Final[Mapping[str, str]] = {
    "week": "over the last 7 days",
    "two_weeks": "over the last two weeks",
}
REFERENCE_SPANS: Final[Mapping[str, tuple[str, str]]] = {
    "lowest_week": ("your best week of the month before", ", the 7 days to {day}"),
    "weeks": ("your usual pain in the month before", ""),
    "episode_baseline": ("where this bout of pain started", ", on {day}"),
}
PERSISTING_WORDS: Final = (
    "Your usual pain is {recent}/10, {days} days into this bout of pain (it began on {start}), "
    "and has not improved by {points} or {percent} % from where it started ({baseline}/10).")
PERSISTING_LONG_WORDS: Final = (
    "Your usual pain is still {recent}/10, {days} days into this bout of pain (it began on "
    "{start}). Most back pain settles within 6 weeks.")
SEVERE_WORDS: Final = ("You rated your pain {level}/10 or higher on {count} of the last {window} "
                       "days ({days}).")
FLARE_WORDS: Final = (
    "{count} of your last {judged} sessions flared your pain: the next morning (or after the "
    "session, when there was no morning rating) it was at least {rise} higher than before the "
    "session ({days}).")
STALE_WORDS: Final = " This is based on your ratings up to {day}: please rate your pain again."

ReasonCode = str
"""A reason's stable code: ``getting_worse``, ``persisting``, ``persisting_long``,
``repeated_severe``, ``sessions_flare``, or ``symptom.<question field>``."""

WHAT_TO_DO: Final[Mapping[AdviceLevel, str]] = {
    "none": "",
    "see_professional": SEE_PROFESSIONAL_WHAT_TO_DO,
    "urgent_today": URGENT_TODAY_WHAT_TO_DO,
    "emergency": EMERGENCY_WHAT_TO_DO,
}

InSessionAction = Literal["continue", "offer_easier", "skip"]


def format_day(day: date) -> str:
    """``Mon 4 Mar 2024``: how the reasons name a day."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _days_words(days: Sequence[date]) -> str:
    return ", ".join(format_day(d) for d in days)


@dataclass(frozen=True)
class Reason:
    """One rule that applies: its stable code, its level, plain words and the days it rests on.

    ``dates`` are the local days of the ratings or sessions the reason rests on (empty for a
    symptom answer).
    """

    code: ReasonCode
    level: AdviceLevel
    words: str
    dates: tuple[date, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types (each of ``report --json``'s ``advice.details``)."""
        return {"code": self.code, "level": self.level, "words": self.words,
                "dates": [d.isoformat() for d in self.dates]}


@dataclass(frozen=True)
class Advice:
    """What the banner says: its level, the reasons in plain words, and what to do.

    ``level`` is the worst level that applies; ``reasons`` lists every rule that applies in
    plain words, the worst first, and ``details`` the same reasons with their codes and dates.
    ``as_of`` is the day getting worse and persisting were judged as of when that is not today
    (the person stopped rating; the words say so). ``start_confirmed`` is True when, with
    urgent-today advice, the person said today "I will contact them today, start anyway". The
    banner always adds :data:`NOT_A_DIAGNOSIS`.
    """

    level: AdviceLevel
    reasons: tuple[str, ...]
    what_to_do: str
    details: tuple[Reason, ...] = ()
    as_of: date | None = None
    start_confirmed: bool = False

    @property
    def blocks_routine(self) -> bool:
        """True when a routine must not be started now: emergency advice stands, or
        urgent-today advice without today's confirmation."""
        return self.level == "emergency" or self.needs_confirmation

    @property
    def needs_confirmation(self) -> bool:
        """True when urgent-today advice stands and routines may start only after the person
        confirms ("a clinician has checked this" or "I will contact them today, start
        anyway")."""
        return self.level == "urgent_today" and not self.start_confirmed

    @property
    def dismissible(self) -> bool:
        """True when the person may hide the banner for the rest of the day."""
        return self.level == "see_professional"

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        """The codes of the reasons, in order."""
        return tuple(d.code for d in self.details)


# --- The levels the rules compare (also for the history page, the chart and the report) --------


def baseline(ratings: Iterable[PainRating], now: datetime | None = None) -> float | None:
    """The current episode's baseline as of *now* (by default, the latest rating): the median
    of its resting ratings on its days 0 .. 6. None without resting ratings."""
    ratings = list(ratings)
    if now is None:
        if not ratings:
            return None
        now = max(ratings, key=lambda r: r.at).at
    episode = RestingHistory.of(ratings, now).current_episode()
    return None if episode is None else episode.baseline.value


def recent_level(ratings: Iterable[PainRating], now: datetime) -> float | None:
    """The recent level today: the weekly level (median of the last 7 days' resting ratings,
    at least 2), else the median of the last 14 days' (at least 2), else None."""
    level = RestingHistory.of(ratings, now).recent_level()
    return None if level is None else level.value


def reference_level(ratings: Iterable[PainRating], now: datetime) -> float | None:
    """The level getting worse is measured against today (see
    :meth:`~player.core.pain.RestingHistory.reference_level`), or None."""
    level = RestingHistory.of(ratings, now).reference_level()
    return None if level is None else level.value


def needs_rating(ratings: Iterable[PainRating], now: datetime) -> bool:
    """True when there is no recent level today, so the app should ask for a pain rating (the
    getting-worse and persisting rules are then judged from older ratings, or not at all)."""
    return RestingHistory.of(ratings, now).recent_level() is None


def first_rating_at(ratings: Iterable[PainRating]) -> datetime | None:
    """Time of the first rating of any kind, or None without ratings."""
    return min((r.at for r in ratings), default=None)


# --- The pain rules --------------------------------------------------------------------------


def _points(value: float) -> str:
    return f"{value:g}"


def _n_points(value: float) -> str:
    return f"{value:g} point" if value == 1 else f"{value:g} points"


def _improved_enough(base: float, recent: float) -> bool:
    """True when the fall from *base* to *recent* is at least 2 points or at least 30 %."""
    improvement = base - recent
    # The small tolerance keeps an exact 30 % (e.g. 5 -> 3.5) from failing on float rounding.
    return improvement >= MCID_POINTS or improvement >= MCID_FRACTION * base - 1e-9


def _stale(words: str, day: date, today: date) -> str:
    return words if day == today else words + STALE_WORDS.format(day=format_day(day))


def _getting_worse(recent: Level, reference: Level | None, today: date,
                   thresholds: CareThresholds) -> Reason | None:
    if reference is None or recent.value - reference.value < thresholds.worsening_points:
        return None
    span, when = REFERENCE_SPANS[reference.kind]
    words = WORSE_WORDS.format(
        recent_span=RECENT_SPANS[recent.kind], recent=_points(recent.value),
        points=_n_points(recent.value - reference.value), reference_span=span,
        reference=_points(reference.value), reference_when=when.format(day=format_day(reference.day)))
    dates = tuple(sorted({*reference.days, *recent.days}))
    return Reason("getting_worse", "see_professional", _stale(words, recent.day, today), dates)


def _persisting(history: RestingHistory, recent: Level,
                thresholds: CareThresholds) -> Reason | None:
    episode = history.current_episode()
    if episode is None or recent.value < thresholds.persisting_level:
        return None
    days = episode.day_number(recent.day)
    dates = tuple(sorted({episode.day0, *recent.days}))
    fields = {"recent": _points(recent.value), "days": days, "start": format_day(episode.day0)}
    if days >= thresholds.persisting_long_days:
        words = PERSISTING_LONG_WORDS.format(**fields)
        return Reason("persisting_long", "see_professional",
                      _stale(words, recent.day, history.today), dates)
    base = episode.baseline.value
    if days >= thresholds.persisting_days and not _improved_enough(base, recent.value):
        words = PERSISTING_WORDS.format(**fields, points=_n_points(MCID_POINTS),
                                        percent=round(MCID_FRACTION * 100),
                                        baseline=_points(base))
        return Reason("persisting", "see_professional",
                      _stale(words, recent.day, history.today), dates)
    return None


def _repeated_severe(ratings: Sequence[PainRating], now: datetime,
                     thresholds: CareThresholds) -> Reason | None:
    days = severe_days(ratings, now, thresholds.severe_level)
    if len(days) < thresholds.severe_count:
        return None
    count = "1 day" if len(days) == 1 else f"{len(days)} different days"
    words = SEVERE_WORDS.format(level=thresholds.severe_level, count=count,
                                window=SEVERE_WINDOW_DAYS, days=_days_words(days))
    return Reason("repeated_severe", "see_professional", words, days)


def _sessions_flare(ratings: Sequence[PainRating], now: datetime, thresholds: CareThresholds,
                    session_starts: Mapping[int, datetime] | None) -> Reason | None:
    today = local_date(now, zone_of(now))
    first = today - timedelta(days=SESSIONS_HURT_WINDOW_DAYS - 1)
    judged = [c for c in session_checks(ratings, now, session_starts, since=first)
              if c.judged_by is not None and first <= c.day <= today]
    last = judged[-SESSIONS_HURT_WINDOW:]
    flared = [c for c in last if (c.rise or 0) >= thresholds.sessions_hurt_rise]
    if len(flared) < thresholds.sessions_hurt_count:
        return None
    days = tuple(sorted({c.day for c in flared}))
    words = FLARE_WORDS.format(count=len(flared), judged=len(last),
                               rise=_n_points(thresholds.sessions_hurt_rise),
                               days=_days_words(days))
    return Reason("sessions_flare", "see_professional", words, days)


def pain_reasons(ratings: Iterable[PainRating], now: datetime,
                 thresholds: CareThresholds = DEFAULT_THRESHOLDS,
                 session_starts: Mapping[int, datetime] | None = None,
                 ) -> tuple[list[Reason], date | None]:
    """The pain rules that apply at *now*, and the day getting worse and persisting were judged
    as of when that is not today (see :func:`assess`)."""
    history = as_of(ratings, now)
    resting = RestingHistory.of(ratings, now, history)
    reasons: list[Reason] = []
    judged_on = resting.judging_day()
    recent = None if judged_on is None else resting.recent_level(judged_on)
    if recent is not None:
        for reason in (
            _getting_worse(recent, resting.reference_level(recent.day), resting.today,
                           thresholds),
            _persisting(resting, recent, thresholds),
        ):
            if reason is not None:
                reasons.append(reason)
    for reason in (_repeated_severe(history, now, thresholds),
                   _sessions_flare(history, now, thresholds, session_starts)):
        if reason is not None:
            reasons.append(reason)
    stale = judged_on if judged_on is not None and judged_on != resting.today else None
    return reasons, (stale if any(r.code in _JUDGED_AS_OF for r in reasons) else None)


_JUDGED_AS_OF: Final = frozenset({"getting_worse", "persisting", "persisting_long"})


Symptoms = SymptomAnswers | Iterable[SymptomAnswers] | None
"""The symptom answers: every record as given (oldest first or in any order), or just the
latest answers as one record, or None."""


def _records(symptoms: Symptoms) -> list[SymptomAnswers]:
    if symptoms is None:
        return []
    if isinstance(symptoms, SymptomAnswers):
        return [symptoms]
    return list(symptoms)


def assess(
    ratings: Iterable[PainRating],
    symptoms: Symptoms,
    now: datetime,
    thresholds: CareThresholds = DEFAULT_THRESHOLDS,
    *,
    confirmations: Iterable[CareConfirmation] = (),
    session_starts: Mapping[int, datetime] | None = None,
) -> Advice:
    """Apply every care rule to the history as it stood at *now*.

    *ratings* may be in any order; those more than 10 minutes after *now* are not part of the
    history yet. Getting worse and persisting are judged as of today when there is a recent
    level today, else as of the day of the last resting rating within the last 28 days (the
    words say so), else not at all; repeated severe pain and flaring sessions are judged as of
    today. *symptoms* are the symptom answers as given (the latest answer to each question
    counts; see :func:`player.core.symptoms.standing_yes`) and *confirmations* the person's
    "a clinician has checked this" and "I will contact them today" records. *session_starts*
    (session id to start time) lets sessions without ratings close the next-morning window of
    the one before. The worst level wins and every reason that applies is listed, the worst
    first.
    """
    records = _records(symptoms)
    confirmations = list(confirmations)
    reasons = [Reason(f"symptom.{a.field}", a.level, QUESTIONS_BY_FIELD[a.field].reason)
               for a in standing_yes(records, now, confirmations)]
    pain, stale = pain_reasons(ratings, now, thresholds, session_starts)
    confirmed = start_confirmed_today(records, now, confirmations)
    return _advice(reasons + pain, stale, confirmed)


def _advice(reasons: list[Reason], stale: date | None = None,
            start_confirmed: bool = False) -> Advice:
    if not reasons:
        return Advice("none", (), "")
    reasons.sort(key=lambda r: -level_rank(r.level))
    level = reasons[0].level
    return Advice(level, tuple(r.words for r in reasons), WHAT_TO_DO[level], tuple(reasons),
                  stale, start_confirmed and level == "urgent_today")


def stops_session(before: Advice, after: Advice) -> bool:
    """True when *after* (the advice once a mid-session answer was recorded) has an emergency
    or urgent-today reason that *before* did not: the session stops at once."""
    known = set(before.codes)
    return any(r.level in ("emergency", "urgent_today") and r.code not in known
               for r in after.details)


def banner_visible(advice: Advice, events: Iterable[BannerEvent], now: datetime) -> bool:
    """Whether to show the banner now.

    Emergency and urgent-today advice always shows (cannot be hidden). "See a professional" advice can be dismissed for the rest of the
    (local) day: it is hidden when a dismissal of that level was recorded on *now*'s date.
    """
    if advice.level == "none":
        return False
    if not advice.dismissible:
        return True
    today = now.date()
    return not any(
        e.action == "dismissed"
        and e.level == advice.level
        and e.at.astimezone(now.tzinfo).date() == today
        for e in events
    )


# --- In session ----------------------------------------------------------------------------------


def in_session_action(
    rating: int | None,
    sharp_pain: bool,
    has_easier_variant: bool,
    thresholds: CareThresholds = DEFAULT_THRESHOLDS,
    *,
    leg_symptom: bool = False,
) -> InSessionAction:
    """What to do with the current exercise after a mid-session report (the per-exercise pain
    check and "This hurts" alike).

    A sharp or stabbing pain, or a rating at or above the stop level (6 by default), stops this
    exercise: offer its easier variant when the routine names one, else skip it. A leg symptom
    (pain spreading down a leg, numbness or tingling in a leg) stops it with no easier variant:
    the symptom questions come first (:func:`player.core.symptoms.asks_at_once`). Otherwise
    (mild soreness that eases with warming up) carry on. *rating* is None when only the
    sharp-pain question was answered.
    """
    if leg_symptom:
        return "skip"
    stop = sharp_pain or (rating is not None and rating >= thresholds.in_session_stop_level)
    if not stop:
        return "continue"
    return "offer_easier" if has_easier_variant else "skip"
