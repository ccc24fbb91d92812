"""When to recommend professional care: the banner's rules as pure functions.

The rules are those of ``clinical-notes.md`` ("When to recommend professional care"), implemented
as written. Nothing here reads a clock or a file: the caller passes the ratings, the latest symptom
answers and ``now``. Thresholds a routine may make stricter come from a
:class:`~player.core.clinical.CareThresholds`; the fixed windows (7 days, at least 3 ratings,
the last 5 sessions) and the improvement a persisting pain must miss (2 points and 30 %) are the
cited constants of :mod:`player.core.clinical`.

The app advises; it never diagnoses. Every banner shows :data:`NOT_A_DIAGNOSIS`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from player.core.clinical import (
    BASELINE_WINDOW_DAYS,
    DEFAULT_THRESHOLDS,
    MCID_FRACTION,
    MCID_POINTS,
    RECENT_MIN_RATINGS,
    RECENT_WINDOW_DAYS,
    SESSIONS_HURT_WINDOW,
    SEVERE_WINDOW_DAYS,
    CareThresholds,
)
from player.core.history import (
    SYMPTOM_FIELDS,
    AdviceLevel,
    BannerEvent,
    PainRating,
    SymptomAnswers,
    session_pains,
)

NOT_A_DIAGNOSIS: Final = (
    "This is not a diagnosis: only a clinician who examines you can say what is causing your pain."
)

URGENT_WHAT_TO_DO: Final = (
    "Get urgent medical help now: go to an emergency department or call your emergency number. "
    "Do not start the routine."
)
SEE_PROFESSIONAL_WHAT_TO_DO: Final = (
    "Make an appointment with your GP or a physiotherapist soon and show them your pain diary. "
    "Until then, go gently and stop any exercise that hurts."
)

_LEVEL_ORDER: Final[dict[AdviceLevel, int]] = {"none": 0, "see_professional": 1, "urgent": 2}

InSessionAction = Literal["continue", "offer_easier", "skip"]


@dataclass(frozen=True)
class SymptomQuestion:
    """One symptom question: the :class:`SymptomAnswers` field, what to ask, and its level."""

    field: str
    question: str
    reason: str
    level: AdviceLevel


#: The symptom questions in the order to ask them (clinical-notes.md; NICE NG59, NICE CKS red
#: flags; NHS back-pain pages; patient guides for runners for the last two).
SYMPTOM_QUESTIONS: Final[tuple[SymptomQuestion, ...]] = (
    SymptomQuestion(
        "bladder_bowel",
        "Do you have new difficulty passing urine, or have you lost control of your bladder or "
        "bowel?",
        "You reported new difficulty passing urine, or loss of bladder or bowel control.",
        "urgent",
    ),
    SymptomQuestion(
        "saddle_numbness",
        "Do you have numbness or tingling around your genitals, buttocks or inner thighs?",
        "You reported numbness or tingling around your genitals, buttocks or inner thighs.",
        "urgent",
    ),
    SymptomQuestion(
        "leg_weakness",
        "Do you have new or worsening weakness in your legs, or pain or numbness in both legs?",
        "You reported new or worsening weakness in your legs, or pain or numbness in both legs.",
        "urgent",
    ),
    SymptomQuestion(
        "fever",
        "Do you have a fever (a temperature of 38 °C or above) with your back pain?",
        "You reported back pain with a fever of 38 °C or above.",
        "urgent",
    ),
    SymptomQuestion(
        "serious_fall",
        "Did your back pain start after a serious fall or accident?",
        "You reported back pain after a serious fall or accident.",
        "urgent",
    ),
    SymptomQuestion(
        "weight_loss",
        "Have you lost weight recently without trying?",
        "You reported back pain with weight loss you cannot explain.",
        "urgent",
    ),
    SymptomQuestion(
        "cancer_history",
        "Have you ever had cancer?",
        "You reported back pain and a history of cancer.",
        "urgent",
    ),
    SymptomQuestion(
        "leg_pain_shooting",
        "Does pain shoot down one of your legs?",
        "You reported pain shooting down a leg.",
        "see_professional",
    ),
    SymptomQuestion(
        "cannot_stand_straight",
        "Is the pain so bad that you cannot stand up straight?",
        "You reported pain so bad that you cannot stand up straight.",
        "see_professional",
    ),
)

assert tuple(q.field for q in SYMPTOM_QUESTIONS) == SYMPTOM_FIELDS


@dataclass(frozen=True)
class Advice:
    """What the banner says: its level, the reasons in plain words, and what to do.

    ``level`` is the worst level that applies; ``reasons`` lists every rule that applies, the
    urgent ones first. The banner always adds :data:`NOT_A_DIAGNOSIS`.
    """

    level: AdviceLevel
    reasons: tuple[str, ...]
    what_to_do: str

    @property
    def blocks_routine(self) -> bool:
        """True when the routine must not be started (an urgent red flag stands)."""
        return self.level == "urgent"

    @property
    def dismissible(self) -> bool:
        """True when the person may hide the banner for the rest of the day."""
        return self.level == "see_professional"


@dataclass(frozen=True)
class _Finding:
    level: AdviceLevel
    reason: str


# --- The two levels the other rules compare ------------------------------------------------------


def baseline(ratings: Iterable[PainRating]) -> float | None:
    """Median of the resting ratings in the first 7 days of ratings, or None without any.

    The 7 days run from the first rating of any kind: ``[first, first + 7 days)``.
    """
    ratings = list(ratings)
    if not ratings:
        return None
    start = min(r.at for r in ratings)
    end = start + timedelta(days=BASELINE_WINDOW_DAYS)
    resting = [r.rating for r in ratings if r.resting and start <= r.at < end]
    return float(statistics.median(resting)) if resting else None


def recent_level(ratings: Iterable[PainRating], now: datetime) -> float | None:
    """Median of the resting ratings in the last 7 days, ``(now - 7 days, now]``.

    None unless there are at least 3 of them.
    """
    start = now - timedelta(days=RECENT_WINDOW_DAYS)
    resting = [r.rating for r in ratings if r.resting and start < r.at <= now]
    if len(resting) < RECENT_MIN_RATINGS:
        return None
    return float(statistics.median(resting))


def first_rating_at(ratings: Iterable[PainRating]) -> datetime | None:
    """Time of the first rating of any kind, or None without ratings."""
    return min((r.at for r in ratings), default=None)


# --- The rules -----------------------------------------------------------------------------------


def _points(value: float) -> str:
    return f"{value:g}"


def _n_points(value: float) -> str:
    return f"{value:g} point" if value == 1 else f"{value:g} points"


def _getting_worse(
    base: float | None, recent: float | None, thresholds: CareThresholds
) -> _Finding | None:
    if base is None or recent is None or recent - base < thresholds.worsening_points:
        return None
    return _Finding(
        "see_professional",
        f"Your usual pain over the last {RECENT_WINDOW_DAYS} days ({_points(recent)}/10) is "
        f"{_n_points(recent - base)} above where you started ({_points(base)}/10).",
    )


def _improved_enough(base: float, recent: float) -> bool:
    """True when the fall from *base* to *recent* is at least 2 points or at least 30 %."""
    improvement = base - recent
    # The small tolerance keeps an exact 30 % (e.g. 5 -> 3.5) from failing on float rounding.
    return improvement >= MCID_POINTS or improvement >= MCID_FRACTION * base - 1e-9


def _persisting(
    first: datetime | None,
    base: float | None,
    recent: float | None,
    now: datetime,
    thresholds: CareThresholds,
) -> _Finding | None:
    if first is None or recent is None or recent < thresholds.persisting_level:
        return None
    elapsed = now - first
    days = elapsed.days
    if elapsed >= timedelta(days=thresholds.persisting_long_days):
        return _Finding(
            "see_professional",
            f"Your usual pain is still {_points(recent)}/10, {days} days after your first "
            "rating. Most back pain settles within a few weeks.",
        )
    if (
        elapsed >= timedelta(days=thresholds.persisting_days)
        and base is not None
        and not _improved_enough(base, recent)
    ):
        return _Finding(
            "see_professional",
            f"Your usual pain is still {_points(recent)}/10, {days} days after your first "
            f"rating, and has not improved by {_n_points(MCID_POINTS)} or "
            f"{round(MCID_FRACTION * 100)} % since you started ({_points(base)}/10).",
        )
    return None


def _repeated_severe(
    ratings: Sequence[PainRating], now: datetime, thresholds: CareThresholds
) -> _Finding | None:
    start = now - timedelta(days=SEVERE_WINDOW_DAYS)
    count = sum(1 for r in ratings if start < r.at <= now and r.rating >= thresholds.severe_level)
    if count < thresholds.severe_count:
        return None
    return _Finding(
        "see_professional",
        f"You rated your pain {thresholds.severe_level}/10 or higher "
        f"{'once' if count == 1 else f'{count} times'} in the last "
        f"{SEVERE_WINDOW_DAYS} days.",
    )


def _sessions_hurt(ratings: Sequence[PainRating], thresholds: CareThresholds) -> _Finding | None:
    rises = [p.rise for p in session_pains(ratings) if p.rise is not None]
    last = rises[-SESSIONS_HURT_WINDOW:]
    hurt = sum(1 for rise in last if rise >= thresholds.sessions_hurt_rise)
    if hurt < thresholds.sessions_hurt_count:
        return None
    return _Finding(
        "see_professional",
        f"In {hurt} of your last {len(last)} sessions, your pain after the session was at least "
        f"{_n_points(thresholds.sessions_hurt_rise)} higher than before it.",
    )


def _symptom_findings(symptoms: SymptomAnswers | None) -> list[_Finding]:
    if symptoms is None:
        return []
    return [_Finding(q.level, q.reason) for q in SYMPTOM_QUESTIONS if getattr(symptoms, q.field)]


def assess(
    ratings: Iterable[PainRating],
    symptoms: SymptomAnswers | None,
    now: datetime,
    thresholds: CareThresholds = DEFAULT_THRESHOLDS,
) -> Advice:
    """Apply every care rule to the history as it stood at *now*.

    *ratings* may be in any order; those after *now* are ignored. *symptoms* are the latest
    answers to the symptom questions; they stand until answered again. The worst level wins and
    every reason that applies is listed, urgent ones first.
    """
    history = sorted((r for r in ratings if r.at <= now), key=lambda r: r.at)
    base = baseline(history)
    recent = recent_level(history, now)
    findings = _symptom_findings(symptoms)
    for finding in (
        _getting_worse(base, recent, thresholds),
        _persisting(first_rating_at(history), base, recent, now, thresholds),
        _repeated_severe(history, now, thresholds),
        _sessions_hurt(history, thresholds),
    ):
        if finding is not None:
            findings.append(finding)
    return _advice(findings)


def _advice(findings: list[_Finding]) -> Advice:
    if not findings:
        return Advice("none", (), "")
    findings.sort(key=lambda f: -_LEVEL_ORDER[f.level])
    level = findings[0].level
    what_to_do = URGENT_WHAT_TO_DO if level == "urgent" else SEE_PROFESSIONAL_WHAT_TO_DO
    return Advice(level, tuple(f.reason for f in findings), what_to_do)


def banner_visible(advice: Advice, events: Iterable[BannerEvent], now: datetime) -> bool:
    """Whether to show the banner now.

    Urgent advice always shows. "See a professional" advice can be dismissed for the rest of the
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
) -> InSessionAction:
    """What to do with the current exercise after a mid-session report.

    A sharp or stabbing pain, or a rating at or above the stop level (6 by default), stops this
    exercise: offer its easier variant when the routine names one, else skip it. Otherwise
    (mild soreness that eases with warming up) carry on. *rating* is None when only the
    sharp-pain question was answered.
    """
    stop = sharp_pain or (rating is not None and rating >= thresholds.in_session_stop_level)
    if not stop:
        return "continue"
    return "offer_easier" if has_easier_variant else "skip"
