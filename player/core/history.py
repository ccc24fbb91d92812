"""The records the history keeps: pain ratings, symptom answers, sessions, steps, banner events.

Plain frozen dataclasses with no behaviour beyond checking their own values, shared by the care
rules (:mod:`player.core.care`), the progress summaries (:mod:`player.core.progress`), the diary
CSV (:mod:`player.core.diary_csv`) and the SQLite repository (``player.store.history``).

Every time is a timezone-aware :class:`~datetime.datetime` (local time with its UTC offset), so
that ratings made either side of a daylight-saving change still compare correctly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, get_args

from player.core.clinical import (
    ADHERENT_SHARE,
    FUTURE_TOLERANCE_SECONDS,
    PAIN_MAX,
    PAIN_MIN,
    CareThresholds,
)

RatingContext = Literal["before", "after", "during", "checkin", "morning_after"]
"""When a rating was given: before or after a session, during one, in a daily check-in, or in
the next-morning check of a session (``morning_after``, tied to that session)."""

RATING_CONTEXTS: Final[tuple[RatingContext, ...]] = get_args(RatingContext)

#: "Resting ratings" (clinical-notes.md v2): before a session, daily check-ins and next-morning
#: checks.
RESTING_CONTEXTS: Final[frozenset[RatingContext]] = frozenset({"before", "checkin", "morning_after"})

#: Contexts that must name their session.
SESSION_CONTEXTS: Final[frozenset[RatingContext]] = frozenset(
    {"before", "after", "during", "morning_after"})

SessionOutcome = Literal["in_progress", "completed", "partly_done", "stopped", "interrupted",
                         "stopped_red_flag"]
"""``in_progress`` until finished. ``completed``: every exercise step was done; ``partly_done``:
played to the end with exercises skipped, or stopped for pain; ``stopped``: stopped by choice;
``interrupted``: the app was closed or killed during the session and it was not resumed;
``stopped_red_flag``: stopped by the app at an emergency or urgent-today answer given mid-session
(clinical-notes.md v2), never counted as adherence."""

SESSION_OUTCOMES: Final[tuple[SessionOutcome, ...]] = get_args(SessionOutcome)

StepStatus = Literal["completed", "skipped"]
STEP_STATUSES: Final[tuple[StepStatus, ...]] = get_args(StepStatus)

AdviceLevel = Literal["none", "see_professional", "urgent_today", "emergency"]
"""The care banner's levels, mildest first (clinical-notes.md v2)."""

ADVICE_LEVELS: Final[tuple[AdviceLevel, ...]] = get_args(AdviceLevel)

BannerAction = Literal["shown", "dismissed"]
BANNER_ACTIONS: Final[tuple[BannerAction, ...]] = get_args(BannerAction)

#: The title of the session an imported diary's ratings are kept under (not a routine).
IMPORTED_ROUTINE_TITLE = "Imported pain diary"


def require_aware(value: datetime, name: str) -> None:
    """Raise ``ValueError`` unless *value* is a timezone-aware datetime."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be a datetime with a UTC offset, got {value!r}")


def is_future_dated(at: datetime, now: datetime) -> bool:
    """True when *at* is more than 10 minutes ahead of *now* (clinical-notes.md v2: such a
    rating is an error; the app never stores one). A few minutes ahead is a clock's skew."""
    return at > latest_allowed(now)


def latest_allowed(now: datetime) -> datetime:
    """The latest time a rating given by *now* may carry (10 minutes' skew), in UTC: compare
    with ``<=`` (an aware comparison across zones is by the instant)."""
    return now.astimezone(UTC) + timedelta(seconds=FUTURE_TOLERANCE_SECONDS)


def _require_choice(value: str, choices: tuple[str, ...], name: str) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


@dataclass(frozen=True)
class PainRating:
    """One 0-10 pain rating (NRS) with when and why it was given.

    ``session_id`` ties ``before``/``after``/``during``/``morning_after`` ratings to their
    session; check-ins have none. ``exercise_id`` names the exercise a ``during`` rating was about, when known.
    """

    at: datetime
    context: RatingContext
    rating: int
    note: str = ""
    body_area: str = ""
    session_id: int | None = None
    exercise_id: str = ""

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        _require_choice(self.context, RATING_CONTEXTS, "context")
        if (
            isinstance(self.rating, bool)
            or not isinstance(self.rating, int)
            or not PAIN_MIN <= self.rating <= PAIN_MAX
        ):
            raise ValueError(
                f"rating must be a whole number {PAIN_MIN}-{PAIN_MAX}, got {self.rating!r}"
            )
        if self.context == "morning_after" and self.session_id is None:
            raise ValueError("a morning_after rating must name its session")

    @property
    def resting(self) -> bool:
        """True for a resting rating (before a session, a check-in or a next-morning check)."""
        return self.context in RESTING_CONTEXTS


@dataclass(frozen=True)
class SessionPain:
    """The before- and after-session ratings of one session (either may be missing), and its
    own next-morning rating when one was given."""

    session_id: int
    started: datetime
    before: int | None
    after: int | None
    morning_after: int | None = None

    @property
    def rise(self) -> int | None:
        """How many points the after-session rating is above the before one, if both exist."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def routine_file_hash(data: bytes) -> str:
    """The hash stored with a session (``Session.routine_file_hash``): SHA-256 of the file."""
    return hashlib.sha256(data).hexdigest()


def session_pains(ratings: Iterable[PainRating]) -> list[SessionPain]:
    """Pair each session's before and after (and morning-after) ratings, oldest session first.

    A session's start is its earliest rating; when a session has several ratings of one kind
    (a corrected entry), the latest of that kind counts.
    """
    started: dict[int, datetime] = {}
    before: dict[int, PainRating] = {}
    after: dict[int, PainRating] = {}
    morning: dict[int, PainRating] = {}
    latest = {"before": before, "after": after, "morning_after": morning}
    for r in ratings:  # years of them, for the history page: plain dict look-ups
        sid = r.session_id
        if sid is None:
            continue
        at = r.at
        first = started.get(sid)
        if first is None or at < first:
            started[sid] = at
        of_kind = latest.get(r.context)
        if of_kind is not None:
            known = of_kind.get(sid)
            if known is None or at >= known.at:
                of_kind[sid] = r

    def value(of_kind: dict[int, PainRating], sid: int) -> int | None:
        found = of_kind.get(sid)
        return None if found is None else found.rating

    # Sorted by (start, session) as tuples, compared in C, before the records are made.
    return [SessionPain(sid, at, value(before, sid), value(after, sid), value(morning, sid))
            for at, sid in sorted([(at, sid) for sid, at in started.items()])]


SymptomSource = Literal["form", "this_hurts", "put_off"]
"""Where symptom answers came from: the symptom questions (``form``, answers recorded as they
are given, a cancelled form included), a leg-symptom choice in "This hurts" (``this_hurts``), or
the first-run form put off for once (``put_off``, no answers)."""

SYMPTOM_SOURCES: Final[tuple[SymptomSource, ...]] = get_args(SymptomSource)


@dataclass(frozen=True)
class SymptomAnswers:
    """Answers to the symptom questions given at ``at``: True for yes, False for no, None for a
    question not answered then (clinical-notes.md v2: answers are recorded as given).

    The emergency questions come first, then those for urgent care today, then the two that
    mean "see a professional soon". The question wording and tiers live in
    :data:`player.core.symptoms.SYMPTOM_QUESTIONS`. The latest answer to each question counts.
    """

    at: datetime
    # Emergency (clinical-notes.md v2, level 1; Finucane 2020, Greenhalgh 2018, NICE CKS).
    bladder_bowel: bool | None = None
    urine_sensation: bool | None = None
    saddle_numbness: bool | None = None
    wiping_numbness: bool | None = None
    sexual_sensation: bool | None = None
    leg_weakness: bool | None = None
    gait_change: bool | None = None
    both_legs: bool | None = None
    serious_fall: bool | None = None
    # Urgent, today (level 2; Finucane 2020, NICE CKS).
    fever: bool | None = None
    cancer_history: bool | None = None
    weight_loss: bool | None = None
    night_pain: bool | None = None
    thoracic_pain: bool | None = None
    minor_fall: bool | None = None
    immune_drugs: bool | None = None
    # See a professional soon (level 3).
    leg_pain_shooting: bool | None = None
    cannot_stand_straight: bool | None = None
    source: SymptomSource = "form"

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        _require_choice(self.source, SYMPTOM_SOURCES, "source")
        for name in SYMPTOM_FIELDS:
            if getattr(self, name) not in (True, False, None):
                raise ValueError(f"{name} must be True, False or None")
        if self.source == "put_off" and self.answered():
            raise ValueError("a put-off form has no answers")

    def yes(self) -> tuple[str, ...]:
        """Names of the questions answered yes, in question order."""
        return tuple(name for name in SYMPTOM_FIELDS if getattr(self, name) is True)

    def answered(self) -> tuple[str, ...]:
        """Names of the questions answered (yes or no), in question order."""
        return tuple(name for name in SYMPTOM_FIELDS if getattr(self, name) is not None)


#: The question fields of :class:`SymptomAnswers`, in order (everything but ``at``, ``source``).
SYMPTOM_FIELDS: Final[tuple[str, ...]] = tuple(
    f.name for f in fields(SymptomAnswers) if f.name not in ("at", "source")
)

ConfirmedLevel = Literal["emergency", "urgent_today"]
ConfirmationKind = Literal["clinician_checked", "will_contact_today"]
"""``clinician_checked``: a clinician has assessed (emergency) or checked (urgent today) the
signs answered yes before it; ``will_contact_today``: "I will contact them today, start anyway",
which lets routines start on that day only (urgent today)."""

CONFIRMED_LEVELS: Final[tuple[ConfirmedLevel, ...]] = get_args(ConfirmedLevel)
CONFIRMATION_KINDS: Final[tuple[ConfirmationKind, ...]] = get_args(ConfirmationKind)


@dataclass(frozen=True)
class CareConfirmation:
    """A confirmation the person gave about red-flag advice, recorded with its date."""

    at: datetime
    level: ConfirmedLevel
    kind: ConfirmationKind

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        _require_choice(self.level, CONFIRMED_LEVELS, "level")
        _require_choice(self.kind, CONFIRMATION_KINDS, "kind")
        if self.kind == "will_contact_today" and self.level != "urgent_today":
            raise ValueError("only urgent-today advice can be started anyway")


@dataclass(frozen=True)
class StepEvent:
    """One step of a session that was completed or skipped, written as it happens."""

    session_id: int
    step_index: int
    step_name: str
    kind: str
    status: StepStatus
    actual_seconds: float
    at: datetime
    planned_seconds: float | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        _require_choice(self.status, STEP_STATUSES, "status")
        if self.step_index < 0:
            raise ValueError("step_index must be 0 or more")
        if self.actual_seconds < 0:
            raise ValueError("actual_seconds must be 0 or more")


@dataclass(frozen=True)
class Session:
    """One played routine, with how many of its steps were completed and skipped (None when
    not known).

    What it played, so a resume can rebuild exactly that plan: the routine file
    (``routine_path``, ``routine_file_hash``), the programme ``week``, the care ``thresholds``
    in force (None for sessions recorded before they were kept) and the easier ``variants``
    chosen (routine step, exercise id). ``current_step`` is the routine step in progress and
    ``current_elapsed`` how far it got, as last saved. ``planned_exercise_seconds`` is the
    exercise time the plan held (rests and lead-ins excluded; None when not known) and
    ``done_exercise_seconds`` how much of it was done.
    """

    id: int
    routine_title: str
    routine_version: str
    routine_file_hash: str
    started_at: datetime
    ended_at: datetime | None
    outcome: SessionOutcome
    steps_completed: int | None = 0
    steps_skipped: int | None = 0
    routine_path: str = ""
    week: int = 1
    thresholds: CareThresholds | None = None
    variants: tuple[tuple[int, str], ...] = ()
    current_step: int | None = None
    current_elapsed: float = 0.0
    planned_exercise_seconds: float | None = None
    done_exercise_seconds: float = 0.0

    def __post_init__(self) -> None:
        require_aware(self.started_at, "started_at")
        if self.ended_at is not None:
            require_aware(self.ended_at, "ended_at")
        _require_choice(self.outcome, SESSION_OUTCOMES, "outcome")
        if self.week < 1:
            raise ValueError(f"week must be 1 or more, got {self.week!r}")

    @property
    def counts_for_adherence(self) -> bool:
        """True when at least :data:`~player.core.clinical.ADHERENT_SHARE` of the planned
        exercise time was done; for a session recorded before that was kept, or of a routine
        with no exercise time (ice and heat only), when it was completed. Never for a session
        stopped for a red flag: what was done then is not a session to count on."""
        if self.outcome == "stopped_red_flag":
            return False
        share = self.done_share
        if share is None:
            return self.outcome == "completed"
        return self.outcome != "in_progress" and share >= ADHERENT_SHARE

    @property
    def done_share(self) -> float | None:
        """The share (0-1) of the planned exercise time that was done, when it is known (None
        when the session planned none: a share of nothing says nothing)."""
        planned = self.planned_exercise_seconds
        if planned is None or planned <= 0:
            return None
        return min(1.0, self.done_exercise_seconds / planned)


@dataclass(frozen=True)
class BannerEvent:
    """The care banner was shown or dismissed; kept for the clinician's report."""

    at: datetime
    level: AdviceLevel
    reasons: tuple[str, ...]
    action: BannerAction
    codes: tuple[str, ...] = ()
    """The reasons' codes (:attr:`player.core.care.Reason.code`), when known."""

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        _require_choice(self.level, ADVICE_LEVELS, "level")
        _require_choice(self.action, BANNER_ACTIONS, "action")


@dataclass(frozen=True)
class HistoryData:
    """Everything the report and the history view read from the history, loaded once."""

    ratings: tuple[PainRating, ...] = ()
    sessions: tuple[Session, ...] = ()
    symptoms: SymptomAnswers | None = None
    banner_events: tuple[BannerEvent, ...] = ()
    symptom_history: tuple[SymptomAnswers, ...] = ()
    """Every symptom answer as given (the care rules use these when there are any)."""
    confirmations: tuple[CareConfirmation, ...] = ()
