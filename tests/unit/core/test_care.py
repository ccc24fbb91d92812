"""The care rules of clinical-notes.md, checked against a table of named histories."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import pytest

from player.core.care import (
    NOT_A_DIAGNOSIS,
    SEE_PROFESSIONAL_WHAT_TO_DO,
    SYMPTOM_QUESTIONS,
    URGENT_WHAT_TO_DO,
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
    return SymptomAnswers(at=at(0), **yes)


# Each reason is recognised by a phrase only its rule uses.
RULE_PHRASES = {
    "worse": "above where you started",
    "persisting": "days after your first rating",
    "severe": "or higher",
    "sessions_hurt": "higher than before it",
    **{q.field: q.reason for q in SYMPTOM_QUESTIONS},
}


def rules_in(advice: Advice) -> set[str]:
    found = {rule for rule, phrase in RULE_PHRASES.items() for r in advice.reasons if phrase in r}
    assert len(found) == len(advice.reasons), f"unrecognised reason in {advice.reasons}"
    return found


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
    Case("steady mild pain", checkins(0, 3, 3, 3) + checkins(20, 3, 3, 3), 22, "none", set()),
    Case(
        "getting worse by exactly 2 points",
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3),
        22,
        "see_professional",
        {"worse"},
    ),
    Case(
        "exactly 2 points through half-point medians (1.5 -> 3.5)",
        checkins(0, 1, 2) + checkins(20, 3, 4, 3, 4),
        23,
        "see_professional",
        {"worse"},
    ),
    Case(
        "1.5 points through medians is not worse (1.5 -> 3)",
        checkins(0, 1, 2) + checkins(20, 3, 3, 3),
        22,
        "none",
        set(),
    ),
    Case(
        "1 -> 2 is a 100 % rise but only 1 point: noise",
        checkins(0, 1, 1, 1) + checkins(20, 2, 2, 2),
        22,
        "none",
        set(),
    ),
    Case(
        "a stricter worsening threshold makes 1 -> 2 count",
        checkins(0, 1, 1, 1) + checkins(20, 2, 2, 2),
        22,
        "see_professional",
        {"worse"},
        thresholds=STRICT_WORSE,
    ),
    Case(
        "only 2 recent resting ratings: no recent level",
        checkins(0, 1, 1, 1) + checkins(20, 3, 3),
        21,
        "none",
        set(),
    ),
    Case(
        "a rating exactly 7 days old is outside the recent window",
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3),
        27,
        "none",
        set(),
    ),
    Case(
        "after-session ratings are not resting ratings",
        checkins(0, 1, 1, 1)
        + [PainRating(at(20 + i), "after", 3, session_id=i + 1) for i in range(3)],
        22,
        "none",
        set(),
    ),
    Case(
        "ratings from day 7 on are not part of the baseline (2, not 0)",
        checkins(0, 2) + checkins(7, 0, 0) + checkins(20, 3, 3, 3),
        22,
        "none",
        set(),
    ),
    Case(
        "persisting: day 13 is too early",
        checkins(0, 5, 5, 5) + checkins(11, 5, 5, 5),
        14 - 1 / (24 * 60),
        "none",
        set(),
    ),
    Case(
        "persisting: day 14 counts",
        checkins(0, 5, 5, 5) + checkins(11, 5, 5, 5),
        14,
        "see_professional",
        {"persisting"},
    ),
    Case(
        "not persisting once improved by 2 points (6 -> 4)",
        checkins(0, 6, 6, 6) + checkins(18, 4, 4, 4),
        20,
        "none",
        set(),
    ),
    Case(
        "persisting when improved by 1.5 points and 25 % (6 -> 4.5)",
        checkins(0, 6, 6, 6) + checkins(17, 4, 5, 4, 5),
        20,
        "see_professional",
        {"persisting"},
    ),
    Case(
        "not persisting below the moderate level (5 -> 3)",
        checkins(0, 5, 5, 5) + checkins(18, 3, 3, 3),
        20,
        "none",
        set(),
    ),
    Case(
        "stricter persisting level 2: improved 37.5 % (4 -> 2.5) is enough",
        checkins(0, 4, 4, 4) + checkins(17, 2, 3, 2, 3),
        20,
        "none",
        set(),
        thresholds=replace(DEFAULT_THRESHOLDS, persisting_level=2),
    ),
    Case(
        "stricter persisting level 2: 1 point and 25 % (4 -> 3) persists",
        checkins(0, 4, 4, 4) + checkins(18, 3, 3, 3),
        20,
        "see_professional",
        {"persisting"},
        thresholds=replace(DEFAULT_THRESHOLDS, persisting_level=2),
    ),
    Case(
        "exactly 30 % (5 -> 3.5) counts as improved",
        checkins(0, 5, 5, 5) + checkins(17, 3, 4, 3, 4),
        20,
        "none",
        set(),
        thresholds=replace(DEFAULT_THRESHOLDS, persisting_level=3),
    ),
    Case(
        "improved 4 points (8 -> 4) but still moderate: day 41 is fine",
        checkins(0, 8, 8, 8) + checkins(39, 4, 4, 4),
        41,
        "none",
        set(),
    ),
    Case(
        "improved 4 points (8 -> 4) but still moderate at day 42",
        checkins(0, 8, 8, 8) + checkins(39, 4, 4, 4),
        42,
        "see_professional",
        {"persisting"},
    ),
    Case(
        "a stricter long limit (30 days) brings the day-42 rule forward",
        checkins(0, 8, 8, 8) + checkins(28, 4, 4, 4),
        30,
        "see_professional",
        {"persisting"},
        thresholds=replace(DEFAULT_THRESHOLDS, persisting_long_days=30),
    ),
    Case(
        "repeated severe: two 7s of any kind within 7 days",
        [PainRating(at(3), "during", 7, session_id=1), PainRating(at(5), "after", 8, session_id=1)],
        6,
        "see_professional",
        {"severe"},
    ),
    Case(
        "one severe rating is not repeated",
        [PainRating(at(3), "during", 9, session_id=1)] + checkins(4, 2, 2),
        6,
        "none",
        set(),
    ),
    Case(
        "a severe rating exactly 7 days old no longer counts",
        [PainRating(at(3), "checkin", 7), PainRating(at(9), "checkin", 7)],
        10,
        "none",
        set(),
    ),
    Case(
        "two 6s are not severe",
        [PainRating(at(3), "checkin", 6), PainRating(at(4), "checkin", 6)],
        5,
        "none",
        set(),
    ),
    Case(
        "a stricter severe level (6) makes two 6s count",
        [PainRating(at(3), "checkin", 6), PainRating(at(4), "checkin", 6)],
        5,
        "see_professional",
        {"severe"},
        thresholds=replace(DEFAULT_THRESHOLDS, severe_level=6),
    ),
    Case(
        "sessions that hurt: 3 of the last 5 rise by 2",
        session(1, 1, 2, 4) + session(2, 2, 2, 4) + session(3, 3, 2, 2) + session(4, 4, 2, 5)
        + session(5, 5, 2, 3),
        6,
        "see_professional",
        {"sessions_hurt"},
    ),
    Case(
        "sessions that hurt: 2 of the last 5 is not enough",
        session(1, 1, 2, 4) + session(2, 2, 2, 3) + session(3, 3, 2, 2) + session(4, 4, 2, 5)
        + session(5, 5, 2, 3),
        6,
        "none",
        set(),
    ),
    Case(
        "sessions that hurt long ago drop out of the last 5",
        session(1, 1, 2, 4) + session(2, 2, 2, 4) + session(3, 3, 2, 4)
        + [r for d in range(4, 9) for r in session(d, d, 2, 2)],
        9,
        "none",
        set(),
    ),
    Case(
        "sessions without an after rating are not among the last 5",
        session(1, 1, 2, 4) + session(2, 2, 2, 4) + session(3, 3, 2, 4)
        + session(4, 4, 2, None) + session(5, 5, 2, None) + session(6, 6, 2, 2),
        7,
        "see_professional",
        {"sessions_hurt"},
    ),
    Case(
        "a stricter count (2 of 5) makes two painful sessions count",
        session(1, 1, 2, 4) + session(2, 2, 2, 3) + session(3, 3, 2, 2) + session(4, 4, 2, 5),
        6,
        "see_professional",
        {"sessions_hurt"},
        thresholds=replace(DEFAULT_THRESHOLDS, sessions_hurt_count=2),
    ),
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
        "a red flag is urgent and beats see-a-professional, whose reasons still show",
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3),
        22,
        "urgent",
        {"saddle_numbness", "leg_pain_shooting", "worse"},
        symptoms=answers(saddle_numbness=True, leg_pain_shooting=True),
    ),
    Case(
        "every red flag is listed",
        [],
        0,
        "urgent",
        {"bladder_bowel", "leg_weakness", "fever", "serious_fall", "weight_loss", "cancer_history"},
        symptoms=answers(
            bladder_bowel=True,
            leg_weakness=True,
            fever=True,
            serious_fall=True,
            weight_loss=True,
            cancer_history=True,
        ),
    ),
    Case(
        "ratings after now are ignored",
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3),
        21.5,
        "none",
        set(),
    ),
    Case(
        "several rules at once are all listed",
        checkins(0, 2, 2, 2)
        + checkins(20, 5, 5, 5)
        + session(20.1, 1, 5, 8)
        + session(21.1, 2, 5, 8)
        + session(22.1, 3, 5, 7),
        23,
        "see_professional",
        {"worse", "persisting", "severe", "sessions_hurt"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_assess(case: Case) -> None:
    advice = assess(case.ratings, case.symptoms, at(case.now), case.thresholds)
    assert advice.level == case.level
    assert rules_in(advice) == case.rules


def test_the_table_covers_every_rule() -> None:
    covered = set().union(*(c.rules for c in CASES))
    assert covered == set(RULE_PHRASES)


def test_urgent_reasons_come_first_and_say_what_to_do() -> None:
    advice = assess(
        checkins(0, 1, 1, 1) + checkins(20, 3, 3, 3), answers(fever=True), at(22)
    )
    assert advice.reasons[0] == next(q.reason for q in SYMPTOM_QUESTIONS if q.field == "fever")
    assert advice.what_to_do == URGENT_WHAT_TO_DO
    assert advice.blocks_routine
    assert not advice.dismissible


def test_reason_is_a_plain_sentence_with_the_numbers() -> None:
    advice = assess(checkins(0, 4, 4, 4) + checkins(20, 6, 6, 6), None, at(22))
    assert advice.reasons[0] == (
        "Your usual pain over the last 7 days (6/10) is 2 points above where you started (4/10)."
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


def test_baseline_window_starts_at_the_first_rating_of_any_kind() -> None:
    first = PainRating(at(0), "after", 9, session_id=1)
    ratings = [first, *checkins(6.9, 2), *checkins(7, 8)]
    assert baseline(ratings) == 2.0


def test_baseline_needs_a_resting_rating_in_the_first_week() -> None:
    assert baseline([]) is None
    assert baseline([PainRating(at(0), "during", 5, session_id=1), *checkins(8, 3)]) is None


def test_recent_level_needs_three_resting_ratings() -> None:
    assert recent_level(checkins(0, 4, 6), at(2)) is None
    assert recent_level(checkins(0, 4, 6, 5), at(3)) == 5.0
    assert recent_level(checkins(0, 4, 6, 5, 7), at(4)) == 5.5


# --- banner visibility ------------------------------------------------------------------------


def test_see_professional_banner_can_be_dismissed_for_the_day() -> None:
    advice = Advice("see_professional", ("r",), SEE_PROFESSIONAL_WHAT_TO_DO)
    dismissed = BannerEvent(at(1), "see_professional", ("r",), "dismissed")
    shown = BannerEvent(at(1), "see_professional", ("r",), "shown")
    assert banner_visible(advice, [shown], at(1.1))
    assert not banner_visible(advice, [shown, dismissed], at(1.1))
    assert banner_visible(advice, [shown, dismissed], at(2))


def test_urgent_banner_cannot_be_dismissed() -> None:
    advice = Advice("urgent", ("r",), URGENT_WHAT_TO_DO)
    dismissed = BannerEvent(at(1), "urgent", ("r",), "dismissed")
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
