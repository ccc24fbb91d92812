"""What is due today: last done, this week's count, the programme week, due or not."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from player.core.history import Session
from player.core.routine import Block, Routine, Schedule
from player.core.today import (
    due_on,
    due_today,
    last_done_words,
    routine_today,
    standing_words,
)

TZ = timezone(timedelta(hours=1))
START = date(2026, 11, 2)  # a Monday
MWF = Routine("Core", (Block("Main", ()),), schedule=Schedule(weekdays=("mon", "wed", "fri"),
                                                            weeks=6))
THREE_A_WEEK = Routine("Stretches", (Block("Main", ()),),
                       schedule=Schedule(times_per_week=3, weeks=4))
UNSCHEDULED = Routine("Flare-up", (Block("Main", ()),))


def played(title: str, day: date, outcome: str = "completed", sid: int = 1) -> Session:
    at = datetime(day.year, day.month, day.day, 18, 0, tzinfo=TZ)
    return Session(sid, title, "1", "", at, at + timedelta(minutes=20), outcome)


def sessions_on(title: str, *days: date) -> list[Session]:
    return [played(title, d, sid=i + 1) for i, d in enumerate(days)]


def test_a_routine_without_a_schedule_has_no_standing():
    assert routine_today(UNSCHEDULED, [], START) is None
    assert due_today([UNSCHEDULED], [], START) == []


@pytest.mark.parametrize(("today", "due"), [
    (START, True),                      # Monday, not done yet
    (START + timedelta(days=1), False),  # Tuesday is not one of its days
    (START + timedelta(days=2), True),   # Wednesday
    (START + timedelta(days=6), False),  # Sunday
])
def test_weekday_routines_are_due_on_their_days(today, due):
    chosen = {"Core": START}  # nothing played yet
    assert routine_today(MWF, [], today, chosen).due_today is due


def test_done_today_is_not_due_and_says_so():
    history = sessions_on("Core", START)
    standing = routine_today(MWF, history, START)
    assert (standing.done_today, standing.due_today, standing.done_this_week) == (True, False, 1)
    assert standing_words(standing, START) == \
        "Week 1 of 6 \u00b7 1 of 3 this week \u00b7 last done today \u00b7 done today"


def test_a_session_stopped_early_does_not_count_as_done():
    history = [played("Core", START, "stopped")]
    standing = routine_today(MWF, history, START, {"Core": START})
    assert (standing.done_today, standing.due_today, standing.last_done) == (False, True, None)


def test_times_a_week_is_due_until_the_week_is_met_and_the_week_is_the_programmes():
    # The programme started on a Wednesday: its weeks run Wednesday to Tuesday.
    wed = START + timedelta(days=2)
    history = sessions_on("Stretches", wed, wed + timedelta(days=1), wed + timedelta(days=3))
    saturday = wed + timedelta(days=3)
    sunday = wed + timedelta(days=4)
    assert routine_today(THREE_A_WEEK, history[:2], saturday).due_today is True
    met = routine_today(THREE_A_WEEK, history, sunday)
    assert (met.done_this_week, met.due_today, met.last_done) == (3, False, saturday)
    next_week = routine_today(THREE_A_WEEK, history, wed + timedelta(days=7))
    assert (next_week.done_this_week, next_week.due_today) == (0, True)
    assert next_week.week_label == "week 2 of 4"


def test_a_finished_programme_is_not_due():
    history = sessions_on("Stretches", START)
    after = START + timedelta(weeks=4)
    standing = routine_today(THREE_A_WEEK, history, after)
    assert standing.due_today is False and standing.week_label == "finished (4 weeks)"


def test_a_chosen_start_in_the_future_is_not_due_before_it():
    chosen = {"Core": START + timedelta(days=7)}
    assert routine_today(MWF, [], START, chosen).due_today is False
    assert routine_today(MWF, [], START + timedelta(days=7), chosen).due_today is True


def test_due_today_lists_only_what_is_due_in_the_order_given():
    history = sessions_on("Core", START)
    due = due_today([MWF, UNSCHEDULED, THREE_A_WEEK], history, START)
    assert [d.title for d in due] == ["Stretches"]
    assert due_on(MWF, history, START + timedelta(days=2)) is True


def test_another_routines_sessions_do_not_count():
    history = sessions_on("Stretches", START)
    assert routine_today(MWF, history, START, {"Core": START}).done_today is False


@pytest.mark.parametrize(("days_ago", "words"), [
    (None, "not done yet"), (0, "last done today"), (1, "last done yesterday"),
    (3, "last done 3 days ago"), (7, "last done 7 days ago"), (8, "last done on 25 Oct 2026"),
])
def test_last_done_words(days_ago, words):
    day = None if days_ago is None else START - timedelta(days=days_ago)
    assert last_done_words(day, START) == words
