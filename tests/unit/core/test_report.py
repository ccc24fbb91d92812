"""The report model's parts for the PDF's summary page: the chart's period, the exercises that
hurt, the red-flag answers it carries and advice levels it does not know yet."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from player.core.history import HistoryData, PainRating, SymptomAnswers
from player.core.loader import Library
from player.core.report import (
    CHART_MAX_DAYS,
    CHART_MIN_DAYS,
    NO_EXERCISE,
    ExercisePain,
    advice_heading,
    build_report,
    chart_period,
    exercise_name,
    exercise_pain,
)
from player.core.routine import Block, Exercise, ExerciseStep, Routine

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=TZ)
PAD = timedelta(hours=12)


def checkins(*days_ago: float) -> list[PainRating]:
    return [PainRating(NOW - timedelta(days=d), "checkin", 3) for d in days_ago]


def test_the_chart_spans_the_ratings_from_the_first_to_the_last():
    start, end = chart_period(checkins(60, 30, 2), NOW)
    assert start == NOW - timedelta(days=60) - PAD
    assert end == NOW - timedelta(days=2) + PAD


def test_a_short_history_gets_four_weeks_ending_with_its_last_rating():
    start, end = chart_period(checkins(5, 3), NOW)
    assert end == NOW - timedelta(days=3) + PAD
    assert end - start == timedelta(days=CHART_MIN_DAYS)


def test_a_long_history_shows_its_last_six_months_from_the_first_rating_in_them():
    ratings = checkins(*range(400, 0, -10))  # every 10 days, 400 days back to 10 days ago
    start, end = chart_period(ratings, NOW)
    assert end - start <= timedelta(days=CHART_MAX_DAYS)
    first_shown = min(r.at for r in ratings if start <= r.at)
    assert first_shown - start == PAD  # starts at a rating, not at an empty stretch
    assert end == NOW - timedelta(days=10) + PAD


def test_no_chart_without_a_rating_up_to_now():
    assert chart_period([], NOW) is None
    assert chart_period([PainRating(NOW + timedelta(days=1), "checkin", 3)], NOW) is None


def test_exercises_that_hurt_are_grouped_worst_first_with_their_names():
    routine = Routine("R", (Block("Main", (ExerciseStep(Exercise("bird-dog", "Bird dog")),)),))
    library = Library({"side-plank": Exercise("side-plank", "Side plank")})
    at = NOW - timedelta(days=1)
    ratings = (
        [PainRating(at, "during", v, exercise_id="bird-dog") for v in (2, 3, 7)]
        + [PainRating(at, "during", v, exercise_id="side-plank") for v in (5, 6)]
        + [PainRating(at, "during", 4, exercise_id="lower_back-rotation"),
           PainRating(at, "during", 1), PainRating(at, "before", 9, exercise_id="bird-dog")]
    )
    report = build_report(HistoryData(tuple(ratings)), routine, NOW, library=library)
    assert exercise_pain(report) == (
        ExercisePain("side-plank", "Side plank", 2, 5.5, 6),
        ExercisePain("lower_back-rotation", "Lower back rotation", 1, 4.0, 4),
        ExercisePain("bird-dog", "Bird dog", 3, 3.0, 7),
        ExercisePain("", NO_EXERCISE, 1, 1.0, 1),
    )
    assert exercise_name(report, "bird-dog") == "Bird dog"


def test_the_report_carries_the_latest_symptom_answers():
    answers = SymptomAnswers(NOW - timedelta(days=1), fever=True)
    report = build_report(HistoryData(symptoms=answers), None, NOW)
    assert report.symptoms == answers


@pytest.mark.parametrize(("level", "heading"), [
    ("emergency", "Emergency: get emergency help now"),
    ("urgent_today", "Urgent: contact your GP, an urgent-care line or your cancer team today"),
    ("see_professional", "See a professional soon"),
    ("call_an_ambulance", "Advice: call an ambulance"),  # a level of newer rules: named, no error
])
def test_advice_headings_name_every_level(level, heading):
    assert advice_heading(level) == heading
