"""The symptom questions of clinical-notes.md v2 as a model: tiers, answers, re-asking, checks.

Three tiers of questions (:data:`SYMPTOM_QUESTIONS`): signs that need emergency help now,
signs that need urgent care today, and two that mean "see a professional soon". Answers are
recorded as they are given (:class:`~player.core.history.SymptomAnswers`, one record per answer
or per form, a cancelled form's answers included), and the latest answer to each question
counts. Pure functions; ``now`` is passed in.

* :func:`standing_yes`: the yes answers that still stand. A yes stands until the person
  answers that question no again; a red flag also ends when they confirm a clinician has
  assessed (emergency) or checked (urgent today) it, recorded with the date
  (:class:`~player.core.history.CareConfirmation`), unless it is answered yes again after.
* :func:`start_confirmed_today`: "I will contact them today, start anyway", given today
  after the urgent-today answers, lets routines start today (not tomorrow).
* :func:`questions_due`: which questions to ask now, and why: never answered; the emergency
  questions again 7 days after they were last answered; and at once after a rating of 7 or
  more or a leg-symptom "This hurts". A first-day "no" does not stand for good.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from player.core.clinical import DEFAULT_THRESHOLDS, SYMPTOMS_REASK_DAYS, CareThresholds
from player.core.days import local_date, zone_of
from player.core.history import (
    SYMPTOM_FIELDS,
    AdviceLevel,
    CareConfirmation,
    PainRating,
    SymptomAnswers,
    SymptomSource,
    is_future_dated,
)

Tier = Literal["emergency", "urgent_today", "see_professional"]
"""A question's tier: the advice level a yes to it gives."""


@dataclass(frozen=True)
class SymptomQuestion:
    """One symptom question: its :class:`SymptomAnswers` field, what to ask, the reason shown
    for a yes, and its tier (the advice level a yes gives)."""

    field: str
    question: str
    reason: str
    level: Tier

    @property
    def red_flag(self) -> bool:
        """True for the emergency and urgent-today questions."""
        return self.level != "see_professional"


#: The symptom questions in the order to ask them (clinical-notes.md v2: NICE NG59, NICE CKS,
#: Finucane et al. JOSPT 2020, Greenhalgh et al. 2018, NHS back-pain pages). User-visible text.
SYMPTOM_QUESTIONS: Final[tuple[SymptomQuestion, ...]] = (
    # --- Emergency: get emergency help now.
    SymptomQuestion(
        "bladder_bowel",
        "Do you have new difficulty passing urine, or have you lost control of your bladder or "
        "bowel?",
        "You reported new difficulty passing urine, or loss of bladder or bowel control.",
        "emergency",
    ),
    SymptomQuestion(
        "urine_sensation",
        "When you pass urine, do you have less feeling than usual, or less of an urge to go?",
        "You reported less feeling, or less urge, when passing urine.",
        "emergency",
    ),
    SymptomQuestion(
        "saddle_numbness",
        "Do you have numbness or tingling around your genitals, buttocks or inner thighs?",
        "You reported numbness or tingling around your genitals, buttocks or inner thighs.",
        "emergency",
    ),
    SymptomQuestion(
        "wiping_numbness",
        "Does it feel numb when you wipe yourself after using the toilet?",
        "You reported numbness when wiping after using the toilet.",
        "emergency",
    ),
    SymptomQuestion(
        "sexual_sensation",
        "Have you newly lost feeling in your genitals, or sensation during sex?",
        "You reported a new loss of sexual sensation.",
        "emergency",
    ),
    SymptomQuestion(
        "leg_weakness",
        "Do you have new or worsening weakness in a leg or foot, or a foot that drags or slaps "
        "when you walk?",
        "You reported new or worsening weakness in a leg or foot.",
        "emergency",
    ),
    SymptomQuestion(
        "gait_change",
        "Has the way you walk changed (for example, you trip, stumble or feel unsteady)?",
        "You reported a change in the way you walk.",
        "emergency",
    ),
    SymptomQuestion(
        "both_legs",
        "Do you have pain, numbness or tingling in both legs?",
        "You reported pain, numbness or tingling in both legs.",
        "emergency",
    ),
    SymptomQuestion(
        "serious_fall",
        "Did your back pain start after a major accident, such as a fall from a height or a "
        "road accident?",
        "You reported back pain after a major accident.",
        "emergency",
    ),
    # --- Urgent, today: contact your GP, an urgent-care line or your cancer team today.
    SymptomQuestion(
        "fever",
        "Do you have a fever (a temperature of 38 °C or above), or feel generally unwell, with "
        "your back pain?",
        "You reported back pain with a fever of 38 °C or above, or feeling unwell.",
        "urgent_today",
    ),
    SymptomQuestion(
        "cancer_history",
        "Have you ever had cancer, and is this back pain new or different from before?",
        "You reported a history of cancer, with back pain that is new or different.",
        "urgent_today",
    ),
    SymptomQuestion(
        "weight_loss",
        "Have you lost weight recently without trying?",
        "You reported weight loss you cannot explain.",
        "urgent_today",
    ),
    SymptomQuestion(
        "night_pain",
        "Do you have pain at night that does not ease when you rest or change position?",
        "You reported pain at night that does not ease with rest or changing position.",
        "urgent_today",
    ),
    SymptomQuestion(
        "thoracic_pain",
        "Do you have pain in your upper back, between or around your shoulder blades?",
        "You reported pain in your upper (thoracic) back.",
        "urgent_today",
    ),
    SymptomQuestion(
        "minor_fall",
        "Did your back pain start after a minor fall, and are you older, or do you have "
        "osteoporosis (thin bones), or take steroid tablets long-term?",
        "You reported back pain after a minor fall, with older age, osteoporosis or long-term "
        "steroids.",
        "urgent_today",
    ),
    SymptomQuestion(
        "immune_drugs",
        "Is your immune system weakened (for example by medicines or an illness), or have you "
        "ever injected drugs?",
        "You reported a weakened immune system, or injected drug use.",
        "urgent_today",
    ),
    # --- See a professional soon.
    SymptomQuestion(
        "leg_pain_shooting",
        "Does pain spread down one of your legs, below the knee?",
        "You reported pain spreading down one leg below the knee.",
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

QUESTIONS_BY_FIELD: Final[dict[str, SymptomQuestion]] = {q.field: q for q in SYMPTOM_QUESTIONS}
EMERGENCY_FIELDS: Final[tuple[str, ...]] = tuple(
    q.field for q in SYMPTOM_QUESTIONS if q.level == "emergency")
URGENT_TODAY_FIELDS: Final[tuple[str, ...]] = tuple(
    q.field for q in SYMPTOM_QUESTIONS if q.level == "urgent_today")


def tier_of(field: str) -> Tier:
    """The tier of the question *field*."""
    return QUESTIONS_BY_FIELD[field].level


# --- Answers as given ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenAnswer:
    """The latest answer to one question: yes or no, when, and where it came from."""

    field: str
    yes: bool
    at: datetime
    source: SymptomSource

    @property
    def level(self) -> Tier:
        """The question's tier."""
        return tier_of(self.field)


def _in_order(history: Iterable[SymptomAnswers], now: datetime) -> list[SymptomAnswers]:
    """The records up to *now*, oldest first (input order breaks ties)."""
    return sorted((a for a in history if not is_future_dated(a.at, now)), key=lambda a: a.at)


def current_answers(history: Iterable[SymptomAnswers], now: datetime) -> dict[str, GivenAnswer]:
    """The latest answer to each question answered up to *now*, by field."""
    found: dict[str, GivenAnswer] = {}
    # Latest first, so that years of weekly answers stop being read once every question has
    # its latest answer.
    for record in reversed(_in_order(history, now)):
        for name in record.answered():
            if name not in found:
                found[name] = GivenAnswer(name, getattr(record, name) is True, record.at,
                                          record.source)
        if len(found) == len(SYMPTOM_FIELDS):
            break
    return found


def merged(history: Iterable[SymptomAnswers], now: datetime) -> SymptomAnswers | None:
    """The latest answer to each question as one record, dated by the latest of them (None
    without any answer)."""
    answers = current_answers(history, now)
    if not answers:
        return None
    at = max(a.at for a in answers.values())
    values: dict[str, Any] = {name: a.yes for name, a in answers.items()}
    return SymptomAnswers(at, **values)


def _cleared(answer: GivenAnswer, confirmations: Iterable[CareConfirmation]) -> bool:
    return answer.level != "see_professional" and any(
        c.kind == "clinician_checked" and c.level == answer.level and c.at >= answer.at
        for c in confirmations)


def standing_yes(history: Iterable[SymptomAnswers], now: datetime,
                 confirmations: Iterable[CareConfirmation] = ()) -> tuple[GivenAnswer, ...]:
    """The yes answers that stand at *now*, in question order.

    A yes stands until the question is answered no again. A red flag (emergency or urgent
    today) also stands down when a "clinician has assessed / checked this" confirmation of its
    tier was given at or after it; answered yes again later, it stands again.
    """
    confirmed = [c for c in confirmations if not is_future_dated(c.at, now)]
    answers = current_answers(history, now)
    return tuple(answers[name] for name in SYMPTOM_FIELDS
                 if name in answers and answers[name].yes
                 and not _cleared(answers[name], confirmed))


def start_confirmed_today(history: Iterable[SymptomAnswers], now: datetime,
                          confirmations: Iterable[CareConfirmation] = ()) -> bool:
    """True when urgent-today advice stands and, today, after its latest yes, the person said
    "I will contact them today, start anyway" (routines may start today; not tomorrow)."""
    confirmed = [c for c in confirmations if not is_future_dated(c.at, now)]
    urgent = [a for a in standing_yes(history, now, confirmed) if a.level == "urgent_today"]
    if not urgent:
        return False
    zone = zone_of(now)
    today = local_date(now, zone)
    latest = max(a.at for a in urgent)
    return any(c.level == "urgent_today" and c.kind == "will_contact_today"
               and c.at >= latest and local_date(c.at, zone) == today for c in confirmed)


# --- When to ask --------------------------------------------------------------------------------

DueReason = Literal["not_answered", "weekly", "after_severe_rating", "after_leg_symptom"]
"""Why questions are due: some were never answered (first run, a cancelled form, questions
added since); the emergency questions were last answered 7 or more days ago; a rating of 7 or
more, or a leg-symptom "This hurts", came after they were last answered."""


@dataclass(frozen=True)
class QuestionsDue:
    """Which questions to ask, why, and how soon.

    ``at_once``: ask now, mid-session too (after a trigger); else before the next session
    starts. ``may_put_off``: the form may be put off this once ("ask me before my next
    session"); only the first time it is due and never after a trigger or a week.
    """

    fields: tuple[str, ...]
    reasons: tuple[DueReason, ...]
    at_once: bool
    may_put_off: bool


def questions_due(history: Iterable[SymptomAnswers], ratings: Iterable[PainRating],
                  now: datetime,
                  thresholds: CareThresholds = DEFAULT_THRESHOLDS) -> QuestionsDue | None:
    """The symptom questions to ask at *now*, or None when none is due.

    * Every question without an answer on record (``not_answered``).
    * The emergency questions whose last answer was given on a day 7 or more days before today
      (``weekly``: "before the first session of each week").
    * The emergency questions not answered since the latest rating at or above the severe level
      (7; a routine may set it lower), of any context, or the latest leg-symptom "This hurts"
      (``after_severe_rating``, ``after_leg_symptom``: at once).
    """
    records = _in_order(history, now)
    answers = current_answers(records, now)
    zone = zone_of(now)
    today = local_date(now, zone)
    due: dict[str, None] = {}
    reasons: list[DueReason] = []

    unanswered = [name for name in SYMPTOM_FIELDS if name not in answers]
    if unanswered:
        due.update(dict.fromkeys(unanswered))
        reasons.append("not_answered")
    week_ago = today - timedelta(days=SYMPTOMS_REASK_DAYS)
    stale = [name for name in EMERGENCY_FIELDS
             if name in answers and local_date(answers[name].at, zone) <= week_ago]
    if stale:
        due.update(dict.fromkeys(stale))
        reasons.append("weekly")

    at_once = False
    triggers: list[tuple[datetime, DueReason]] = []
    severe = [r.at for r in ratings
              if r.rating >= thresholds.severe_level and not is_future_dated(r.at, now)]
    if severe:
        triggers.append((max(severe), "after_severe_rating"))
    legs = [a.at for a in records if a.source == "this_hurts"]
    if legs:
        triggers.append((max(legs), "after_leg_symptom"))
    for when, why in sorted(triggers):
        behind = [name for name in EMERGENCY_FIELDS
                  if name not in answers or answers[name].at < when]
        if behind:
            due.update(dict.fromkeys(behind))
            reasons.append(why)
            at_once = True
    if not due:
        return None
    fields = tuple(name for name in SYMPTOM_FIELDS if name in due)
    put_off_before = any(a.source == "put_off" for a in records)
    may_put_off = reasons == ["not_answered"] and not put_off_before
    return QuestionsDue(fields, tuple(reasons), at_once, may_put_off)


def asks_at_once(rating: int | None, leg_symptom: bool,
                 thresholds: CareThresholds = DEFAULT_THRESHOLDS) -> bool:
    """True when a new report means asking the emergency questions now: a rating at or above
    the severe level, or a leg symptom (pain spreading down a leg, numbness or tingling in a
    leg) chosen in "This hurts"."""
    return leg_symptom or (rating is not None and rating >= thresholds.severe_level)


def leg_symptom_report(at: datetime, pain_down_leg: bool) -> SymptomAnswers:
    """The record of a leg symptom chosen in "This hurts": pain spreading down a leg is a yes to
    :data:`leg_pain_shooting <SYMPTOM_QUESTIONS>` (see a professional); numbness or tingling in
    a leg records only that it happened (the emergency questions follow at once)."""
    return SymptomAnswers(at, leg_pain_shooting=True if pain_down_leg else None,
                          source="this_hurts")


def put_off_record(at: datetime) -> SymptomAnswers:
    """The record of the first-run form put off ("ask me before my next session")."""
    return SymptomAnswers(at, source="put_off")


def level_rank(level: AdviceLevel) -> int:
    """0 for ``none`` up to 3 for ``emergency``: to pick the worst level."""
    return ("none", "see_professional", "urgent_today", "emergency").index(level)
