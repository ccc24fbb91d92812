"""Adherence to a schedule and the pain trend summary."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from player.core.history import PainRating, Session
from player.core.progress import Schedule, adherence, pain_trend, report_json

TZ = timezone(timedelta(hours=1))
MONDAY = date(2024, 3, 4)


def session(day: int, outcome: str = "completed") -> Session:
    """A session started at 18:00 local time, *day* days after the first Monday."""
    started = datetime.combine(MONDAY, datetime.min.time(), TZ) + timedelta(days=day, hours=18)
    return Session(day + 1, "Core", "1", "h", started, None, outcome)  # type: ignore[arg-type]


def test_times_per_week_counts_completed_sessions_per_week() -> None:
    schedule = Schedule(start=MONDAY, weeks=4, times_per_week=3)
    sessions = [
        session(0), session(2), session(4),  # week 1: 3 of 3
        session(7), session(9, "stopped"),  # week 2: 1 of 3 (one stopped)
        session(14), session(15), session(16), session(17),  # week 3: 4, capped at 3
    ]
    result = adherence(sessions, schedule, today=MONDAY + timedelta(days=22))
    assert [(w.number, w.done, w.started, w.counted) for w in result.weeks] == [
        (1, 3, 3, True),
        (2, 1, 2, True),
        (3, 4, 4, True),
        (4, 0, 0, False),
    ]
    assert result.percent == pytest.approx(round(100 * 7 / 9, 1))
    assert result.streak_weeks == 1
    assert result.sessions_done == 8


def test_an_unfinished_week_counts_only_once_its_target_is_met() -> None:
    schedule = Schedule(start=MONDAY, weeks=2, times_per_week=2)
    early = adherence([session(0), session(7)], schedule, MONDAY + timedelta(days=8))
    assert early.percent == 50.0  # week 1 (1 of 2) only; week 2 is under way
    assert early.weeks[1].counted is False
    met = adherence([session(0), session(7), session(8)], schedule, MONDAY + timedelta(days=8))
    assert met.percent == 75.0
    assert met.streak_weeks == 1


def test_weekday_schedule() -> None:
    schedule = Schedule(start=MONDAY, weeks=2, weekdays=frozenset({0, 2, 4}))
    result = adherence([session(0), session(1), session(4)], schedule, MONDAY + timedelta(days=20))
    assert [w.prescribed for w in result.weeks] == [3, 3]
    assert [w.done for w in result.weeks] == [3, 0]
    assert result.percent == 50.0
    assert result.streak_weeks == 0
    assert result.to_json()["schedule"]["weekdays"] == ["monday", "wednesday", "friday"]


def test_streak_counts_consecutive_weeks_on_target() -> None:
    schedule = Schedule(start=MONDAY, weeks=10, times_per_week=1)
    days = [0, 14, 21, 28]  # week 2 missed
    result = adherence([session(d) for d in days], schedule, MONDAY + timedelta(days=35))
    assert result.streak_weeks == 3


def test_before_the_schedule_starts_nothing_is_due() -> None:
    schedule = Schedule(start=MONDAY, weeks=4, times_per_week=3)
    result = adherence([], schedule, MONDAY - timedelta(days=1))
    assert (result.weeks, result.percent, result.streak_weeks) == ((), None, 0)


def test_sessions_outside_the_schedule_are_ignored() -> None:
    schedule = Schedule(start=MONDAY, weeks=1, times_per_week=2)
    result = adherence([session(-1), session(1), session(7)], schedule, MONDAY + timedelta(days=30))
    assert [w.done for w in result.weeks] == [1]
    assert result.percent == 50.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weeks": 2},
        {"weeks": 2, "times_per_week": 3, "weekdays": frozenset({1})},
        {"weeks": 0, "times_per_week": 3},
        {"weeks": 2, "times_per_week": 0},
        {"weeks": 2, "weekdays": frozenset()},
        {"weeks": 2, "weekdays": frozenset({7})},
    ],
)
def test_schedule_rejects_nonsense(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Schedule(start=MONDAY, **kwargs)  # type: ignore[arg-type]


def rating(day: float, value: int, context: str = "checkin") -> PainRating:
    at = datetime.combine(MONDAY, datetime.min.time(), TZ) + timedelta(days=day, hours=9)
    return PainRating(at, context, value)  # type: ignore[arg-type]


def test_pain_trend_summary() -> None:
    ratings = [rating(0, 6), rating(1, 6), rating(2, 6), rating(20, 3), rating(21, 4),
               rating(22, 5), rating(22.1, 9, "after")]
    now = ratings[-1].at + timedelta(hours=1)
    trend = pain_trend(ratings, now)
    assert (trend.baseline, trend.recent) == (6.0, 4.0)
    assert trend.change_points == -2.0
    assert trend.change_percent == -33.3
    assert (trend.first_rating, trend.last_rating) == (ratings[0].at, ratings[-1].at)
    assert (trend.ratings, trend.resting_ratings) == (7, 6)
    assert trend.episode_start == ratings[0].at.date()
    assert (trend.reference, trend.recent_from) == (6.0, "week")


def test_pain_trend_without_enough_ratings() -> None:
    trend = pain_trend([rating(0, 0), rating(1, 2)], now=rating(14, 0).at)
    assert trend.baseline == 1.0
    assert trend.recent is None  # none of the last 14 days
    assert (trend.change_points, trend.change_percent) == (None, None)
    one = pain_trend([rating(0, 3)], now=rating(1, 0).at)
    assert (one.baseline, one.recent) == (3.0, None)  # a recent level needs 2 ratings
    zero = pain_trend([rating(0, 0), rating(1, 0), rating(2, 1)], now=rating(2, 0).at)
    assert (zero.change_points, zero.change_percent) == (0.0, None)  # no percent of 0


def test_report_json_is_plain_json() -> None:
    schedule = Schedule(start=MONDAY, weeks=2, times_per_week=2)
    report = report_json(
        adherence([session(0)], schedule, MONDAY + timedelta(days=9)),
        pain_trend([rating(0, 4)], rating(1, 0).at),
    )
    assert json.loads(json.dumps(report)) == report
    assert set(report) == {"adherence", "pain"}
    assert report["adherence"]["weeks"][0] == {
        "week": 1,
        "start": "2024-03-04",
        "end": "2024-03-10",
        "prescribed": 2,
        "done": 1,
        "started": 1,
        "counted": True,
    }
    assert report["pain"]["first_rating"] == "2024-03-04T09:00:00+01:00"
    assert report_json(None, pain_trend([], rating(0, 0).at))["adherence"] is None
