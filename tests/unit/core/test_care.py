"""The care rules of clinical-notes.md v2 through assess: the levels, their order, the words.

The pain rules are tested threshold by threshold in test_pain_rules.py, the symptom model in
test_symptoms.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import pytest

from player.core.care import (
    EMERGENCY_WHAT_TO_DO,
    NOT_A_DIAGNOSIS,
    SEE_PROFESSIONAL_WHAT_TO_DO,
    SYMPTOM_QUESTIONS,
    URGENT_TODAY_WHAT_TO_DO,
    Advice,
    assess,
    banner_visible,
    baseline,
    in_session_action,
    recent_level,
)
from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.history import BannerEvent, PainRating, SymptomAnswers

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def at(day: float) -> datetime:
    """A time *day* days after the first rating (fractions allowed)."""
    return T0 + timedelta(days=day)


def checkins(first_day: float, *values: int) -> list[PainRating]:
    """Daily check-in ratings, one a day from *first_day*."""
    return [PainRating(at(first_day + i), "checkin", v) for i, v in enumerate(values)]


def session(day: float, sid: int, before: int | None, after: int | None) -> list[PainRating]:
    """The before and after ratings of one session on *day* (an hour apart)."""
    out = []
    if before is not None:
        out.append(PainRating(at(day), "before", before, session_id=sid))
    if after is not None:
        out.append(PainRating(at(day) + timedelta(hours=1), "after", after, session_id=sid))
    return out


def answers(**yes: bool) -> SymptomAnswers:
    """Every question answered: yes for those named, no for the others."""
    given = {q.field: False for q in SYMPTOM_QUESTIONS} | yes
    return SymptomAnswers(at(0), **given)


EMERGENCY = {q.field for q in SYMPTOM_QUESTIONS if q.level == "emergency"}
URGENT_TODAY = {q.field for q in SYMPTOM_QUESTIONS if q.level == "urgent_today"}


def rules_in(advice: Advice) -> set[str]:
    """The rules that applied, by code (symptom answers by their question's field)."""
    return {code.removeprefix("symptom.") for code in advice.codes}


PAIN_RULES = {"getting_worse", "persisting", "persisting_long", "repeated_severe",
              "sessions_flare"}


@dataclass(frozen=True)
class Case:
    name: str
    ratings: list[PainRating]
    now: float
    level: str
    rules: set[str]
    symptoms: SymptomAnswers | None = None
    thresholds: CareThresholds = DEFAULT_THRESHOLDS


STRICT_WORSE = replace(DEFAULT_THRESHOLDS, worsening_points=1)

CASES = [
    Case("no ratings at all", [], 0, "none", set()),
    Case(
        "pain shooting down a leg: see a professional",
        checkins(0, 2, 2, 2),
        3,
        "see_professional",
        {"leg_pain_shooting"},
        symptoms=answers(leg_pain_shooting=True),
    ),
    Case(
        "cannot stand up straight: see a professional",
        [],
        0,
        "see_professional",
        {"cannot_stand_straight"},
        symptoms=answers(cannot_stand_straight=True),
    ),
    Case(
        "all symptom answers no",
        checkins(0, 2, 2, 2),
        3,
        "none",
        set(),
        symptoms=answers(),
    ),
    Case(
        "an emergency sign beats see-a-professional, whose reasons still show",
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3),
        22,
        "emergency",
        {"saddle_numbness", "leg_pain_shooting", "getting_worse"},
        symptoms=answers(saddle_numbness=True, leg_pain_shooting=True),
    ),
    Case(
        "every emergency sign is listed",
        [],
        0,
        "emergency",
        EMERGENCY,
        symptoms=answers(**dict.fromkeys(EMERGENCY, True)),
    ),
    Case(
        "every urgent-today sign is listed",
        [],
        0,
        "urgent_today",
        URGENT_TODAY,
        symptoms=answers(**dict.fromkeys(URGENT_TODAY, True)),
    ),
    Case(
        "emergency beats urgent today",
        [],
        0,
        "emergency",
        {"cancer_history", "gait_change"},
        symptoms=answers(cancer_history=True, gait_change=True),
    ),
    Case(
        "a history of cancer alone is not an emergency",
        [],
        0,
        "urgent_today",
        {"cancer_history"},
        symptoms=answers(cancer_history=True),
    ),
    Case(
        "several pain rules at once are all listed",
        checkins(0, 4, 4, 4)
        + checkins(14, 6, 6, 6)
        + [r for sid, day in ((1, 10.4), (2, 12.4), (3, 14.4)) for r in (
            PainRating(at(day), "before", 6, session_id=sid),
            PainRating(at(round(day) + 1), "morning_after", 8, session_id=sid))],
        16.5,
        "see_professional",
        {"getting_worse", "persisting", "repeated_severe", "sessions_flare"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_assess(case: Case) -> None:
    advice = assess(case.ratings, case.symptoms, at(case.now), case.thresholds)
    assert advice.level == case.level
    assert rules_in(advice) == case.rules


def test_the_table_covers_every_symptom_question() -> None:
    covered = set().union(*(c.rules for c in CASES))
    assert covered - PAIN_RULES == {q.field for q in SYMPTOM_QUESTIONS}


def test_urgent_reasons_come_first_and_say_what_to_do() -> None:
    advice = assess(
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3), answers(fever=True), at(22)
    )
    assert advice.reasons[0] == next(q.reason for q in SYMPTOM_QUESTIONS if q.field == "fever")
    assert advice.codes == ("symptom.fever", "getting_worse")
    assert advice.what_to_do == URGENT_TODAY_WHAT_TO_DO
    assert advice.needs_confirmation and advice.blocks_routine
    assert not advice.dismissible


def test_emergency_advice_blocks_routines_and_says_go_now() -> None:
    advice = assess([], answers(bladder_bowel=True), at(1))
    assert advice.what_to_do == EMERGENCY_WHAT_TO_DO
    assert advice.blocks_routine and not advice.needs_confirmation and not advice.dismissible


def test_reason_is_a_plain_sentence_with_the_numbers() -> None:
    advice = assess(checkins(0, 4, 4, 4) + checkins(20, 6, 6, 6), None, at(22))
    assert advice.reasons[0] == (
        "Your usual pain over the last 7 days is 6/10, 2 points above your best week of the "
        "month before (4/10, the 7 days to Mon 11 Mar 2024)."
    )
    assert advice.what_to_do == SEE_PROFESSIONAL_WHAT_TO_DO
    assert advice.dismissible and not advice.blocks_routine


def test_no_advice_has_no_text() -> None:
    assert assess([], None, at(0)) == Advice("none", (), "")


def test_not_a_diagnosis_sentence() -> None:
    assert "not a diagnosis" in NOT_A_DIAGNOSIS


def test_input_order_does_not_matter() -> None:
    ratings = checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3) + session(21.1, 1, 3, 8)
    assert assess(ratings[::-1], None, at(22)) == assess(ratings, None, at(22))


# --- baseline and recent level ----------------------------------------------------------------


def test_baseline_is_the_current_episodes_first_week() -> None:
    first = PainRating(at(0), "after", 9, session_id=1)
    ratings = [first, *checkins(0.5, 4), *checkins(6.4, 6), *checkins(7, 0)]
    assert baseline(ratings) == 5.0  # days 0 .. 6 of the episode; the after rating is not resting


def test_baseline_needs_a_resting_rating() -> None:
    assert baseline([]) is None
    assert baseline([PainRating(at(0), "during", 5, session_id=1)]) is None


def test_recent_level_needs_two_resting_ratings() -> None:
    assert recent_level(checkins(0, 4), at(0)) is None
    assert recent_level(checkins(0, 4, 6), at(1)) == 5.0
    assert recent_level(checkins(0, 4, 6, 5, 7), at(4)) == 5.5


# --- banner visibility ------------------------------------------------------------------------


def test_see_professional_banner_can_be_dismissed_for_the_day() -> None:
    advice = Advice("see_professional", ("r",), SEE_PROFESSIONAL_WHAT_TO_DO)
    dismissed = BannerEvent(at(1), "see_professional", ("r",), "dismissed")
    shown = BannerEvent(at(1), "see_professional", ("r",), "shown")
    assert banner_visible(advice, [shown], at(1.1))
    assert not banner_visible(advice, [shown, dismissed], at(1.1))
    assert banner_visible(advice, [shown, dismissed], at(2))


@pytest.mark.parametrize("level", ["emergency", "urgent_today"])
def test_red_flag_banners_cannot_be_dismissed(level: str) -> None:
    advice = Advice(level, ("r",), EMERGENCY_WHAT_TO_DO)  # type: ignore[arg-type]
    dismissed = BannerEvent(at(1), level, ("r",), "dismissed")  # type: ignore[arg-type]
    assert banner_visible(advice, [dismissed], at(1.1))


def test_no_banner_without_advice() -> None:
    assert not banner_visible(Advice("none", (), ""), [], at(0))


# --- in session -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "sharp", "easier", "thresholds", "expected"),
    [
        (0, False, True, DEFAULT_THRESHOLDS, "continue"),
        (5, False, True, DEFAULT_THRESHOLDS, "continue"),
        (6, False, True, DEFAULT_THRESHOLDS, "offer_easier"),
        (6, False, False, DEFAULT_THRESHOLDS, "skip"),
        (10, False, False, DEFAULT_THRESHOLDS, "skip"),
        (2, True, True, DEFAULT_THRESHOLDS, "offer_easier"),
        (2, True, False, DEFAULT_THRESHOLDS, "skip"),
        (None, True, False, DEFAULT_THRESHOLDS, "skip"),
        (None, False, True, DEFAULT_THRESHOLDS, "continue"),
        (4, False, True, replace(DEFAULT_THRESHOLDS, in_session_stop_level=4), "offer_easier"),
        (3, False, True, replace(DEFAULT_THRESHOLDS, in_session_stop_level=4), "continue"),
    ],
)
def test_in_session_action(
    rating: int | None, sharp: bool, easier: bool, thresholds: CareThresholds, expected: str
) -> None:
    assert in_session_action(rating, sharp, easier, thresholds) == expected


@pytest.mark.parametrize("rating", [None, 0, 5, 6])
def test_a_leg_symptom_stops_the_exercise_without_an_easier_variant(rating: int | None) -> None:
    assert in_session_action(rating, False, True, leg_symptom=True) == "skip"
