"""The programme week: from the first session or the chosen start, 7 days a week."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from player.core.history import IMPORTED_ROUTINE_TITLE, Session
from player.core.programme import Programme, is_programme, programme_for
from player.core.routine import Block, Routine, Schedule

START = date(2024, 3, 4)  # a Monday
CET = timezone(timedelta(hours=1))


def routine(**schedule: object) -> Routine:
    return Routine(title="Core", blocks=(Block("Main", ()),), schedule=Schedule(**schedule))


def played(title: str, day: date, sid: int = 1) -> Session:
    at = datetime.combine(day, datetime.min.time(), tzinfo=CET).replace(hour=18)
    return Session(sid, title, "", "", at, at + timedelta(minutes=20), "completed")


@pytest.mark.parametrize(("today", "week", "label"), [
    (START - timedelta(days=3), 1, "week 1 of 6"),
    (START, 1, "week 1 of 6"),
    (START + timedelta(days=6), 1, "week 1 of 6"),
    (START + timedelta(days=7), 2, "week 2 of 6"),
    (START + timedelta(days=41), 6, "week 6 of 6"),
    (START + timedelta(days=42), 7, "finished (6 weeks)"),
])
def test_the_week_is_counted_from_the_start(today: date, week: int, label: str) -> None:
    programme = Programme(START, 6)
    assert programme.week_on(today) == week
    assert programme.label(today) == label
    assert programme.current_week(today) == min(week, 6)  # a finished one plays its last week
    assert programme.finished(today) is (week > 6)


def test_an_open_programme_has_no_end() -> None:
    programme = Programme(START, None)
    assert programme.label(START + timedelta(days=70)) == "week 11"
    assert not programme.finished(START + timedelta(days=700))


def test_it_starts_with_the_first_session_of_that_routine() -> None:
    core = routine(times_per_week=3, weeks=6)
    sessions = [played("Other", START - timedelta(days=30)),
                played(IMPORTED_ROUTINE_TITLE, START - timedelta(days=20)),
                played("Core", START + timedelta(days=2)), played("Core", START)]
    programme = programme_for(core, sessions, START + timedelta(days=16))
    assert programme == Programme(START, 6)
    assert programme.label(START + timedelta(days=16)) == "week 3 of 6"


def test_a_chosen_start_wins_and_a_new_routine_starts_today() -> None:
    core = routine(weekdays=("mon", "thu"))
    chosen = {"Core": START + timedelta(days=14)}
    today = START + timedelta(days=20)
    assert programme_for(core, [played("Core", START)], today, chosen) == Programme(
        START + timedelta(days=14), None, chosen=True)
    assert programme_for(core, [], today) == Programme(today, None)


def test_a_routine_without_a_schedule_is_no_programme() -> None:
    assert not is_programme(routine())
    assert programme_for(routine(), [played("Core", START)], START) is None
    assert is_programme(routine(weeks=4))
