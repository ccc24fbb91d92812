"""What is due today: for each routine with a schedule, when it was last done, this week's
count against the prescription, the programme week and whether a session is due today.

"This week" is the programme's week (7 days from its start, as adherence counts it), so the
library, the history and the report agree on "2 of 3 this week". A session counts when it
counts for adherence (:attr:`~player.core.history.Session.counts_for_adherence`). Pure Python,
no Qt; ``today`` is passed in.

A routine is due today when its programme has not finished, it was not already done today,
and either today is one of its weekdays, or (prescribed as times a week) fewer sessions than
prescribed were done this week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from player.core.days import WEEKDAY_NAMES as WEEKDAY_NAMES
from player.core.history import Session
from player.core.programme import Programme, programme_for

if TYPE_CHECKING:  # the routine model is loaded by whoever loads a routine
    from player.core.routine import Routine


@dataclass(frozen=True)
class RoutineToday:
    """Where one scheduled routine stands today."""

    title: str
    programme: Programme
    last_done: date | None
    """The day of the latest session that counted (None: never)."""
    done_this_week: int
    per_week: int | None
    """Sessions prescribed a week (None: the schedule gives only a number of weeks)."""
    done_today: bool
    due_today: bool
    week_label: str
    """``week 3 of 6`` (see :meth:`Programme.label`)."""


def routine_today(routine: Routine, sessions: Iterable[Session], today: date,
                  chosen_starts: Mapping[str, date] | None = None) -> RoutineToday | None:
    """Where ``routine`` stands on ``today``; None when it has no schedule."""
    sessions = list(sessions)
    programme = programme_for(routine, sessions, today, chosen_starts)
    if programme is None:
        return None
    week_start = programme.start + timedelta(weeks=programme.week_on(today) - 1)
    done_days = [s.started_at.date() for s in sessions
                 if s.routine_title == routine.title and s.counts_for_adherence]
    done_this_week = sum(1 for day in done_days if week_start <= day <= today)
    done_today = today in done_days
    schedule = routine.schedule
    per_week = schedule.sessions_per_week
    due = False
    if not done_today and not programme.finished(today) and today >= programme.start:
        if schedule.weekdays:
            due = WEEKDAY_NAMES[today.weekday()] in schedule.weekdays
        elif per_week:
            due = done_this_week < per_week
    return RoutineToday(
        title=routine.title,
        programme=programme,
        last_done=max((d for d in done_days if d <= today), default=None),
        done_this_week=done_this_week,
        per_week=per_week,
        done_today=done_today,
        due_today=due,
        week_label=programme.label(today),
    )


def due_on(routine: Routine, sessions: Iterable[Session], day: date,
           chosen_starts: Mapping[str, date] | None = None) -> bool:
    """True when ``routine`` is due on ``day`` (today or later), given the sessions so far.

    For a later day the sessions still to come are not known: a "times a week" routine is
    taken as due on every day of a week until its count is met, as it is today.
    """
    standing = routine_today(routine, sessions, day, chosen_starts)
    return standing is not None and standing.due_today


def due_today(routines: Iterable[Routine], sessions: Iterable[Session], today: date,
              chosen_starts: Mapping[str, date] | None = None) -> list[RoutineToday]:
    """The scheduled routines due today, in the order given."""
    sessions = list(sessions)
    out = []
    for routine in routines:
        standing = routine_today(routine, sessions, today, chosen_starts)
        if standing is not None and standing.due_today:
            out.append(standing)
    return out


def standing_words(standing: RoutineToday, today: date) -> str:
    """One line for the library: ``Week 3 of 6 · 2 of 3 this week · last done yesterday ·
    due today``."""
    parts = [standing.week_label[:1].upper() + standing.week_label[1:]]
    if standing.per_week:
        parts.append(THIS_WEEK.format(done=standing.done_this_week, of=standing.per_week))
    parts.append(last_done_words(standing.last_done, today))
    if standing.due_today:
        parts.append(DUE_TODAY)
    elif standing.done_today:
        parts.append(DONE_TODAY)
    return SEPARATOR.join(parts)


def last_done_words(day: date | None, today: date) -> str:
    """``never done``, ``last done today``, ``last done yesterday``, ``last done 3 days ago``
    or ``last done on 2 Mar 2026`` (more than a week ago)."""
    if day is None:
        return NEVER_DONE
    days = (today - day).days
    if days <= 0:
        return LAST_DONE_TODAY
    if days == 1:
        return LAST_DONE_YESTERDAY
    if days <= 7:
        return LAST_DONE_DAYS.format(days=days)
    return LAST_DONE_ON.format(day=f"{day.day} {day:%b %Y}")


# User-visible text, in one place for translation.
THIS_WEEK = "{done} of {of} this week"
DUE_TODAY = "due today"
DONE_TODAY = "done today"
NEVER_DONE = "not done yet"
LAST_DONE_TODAY = "last done today"
LAST_DONE_YESTERDAY = "last done yesterday"
LAST_DONE_DAYS = "last done {days} days ago"
LAST_DONE_ON = "last done on {day}"
SEPARATOR = " \u00b7 "
