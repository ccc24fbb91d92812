"""The programme: which week of a routine's schedule the person is in.

A routine with a schedule is a programme (``3 times a week for 6 weeks``). It starts on the day
of its first session, or on the day the person chose in the preview; the week is counted from
there, 7 days each, so the preview offers this week's doses, and the history and the report say
"week 3 of 6". Pure Python, no Qt; ``today`` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from player.core.history import IMPORTED_ROUTINE_TITLE, Session

if TYPE_CHECKING:  # the routine model is loaded by whoever loads a routine
    from player.core.routine import Routine


@dataclass(frozen=True)
class Programme:
    """A routine's schedule as followed: from ``start``, for ``weeks`` weeks (None: open)."""

    start: date
    weeks: int | None
    chosen: bool = False
    """True when the person chose the start (else it is the first session's day)."""

    def week_on(self, today: date) -> int:
        """The week ``today`` falls in, from 1 (a day before the start is week 1)."""
        return max(0, (today - self.start).days) // 7 + 1

    def current_week(self, today: date) -> int:
        """The week whose doses to play today: :meth:`week_on`, kept within the programme."""
        week = self.week_on(today)
        return min(week, self.weeks) if self.weeks else week

    def finished(self, today: date) -> bool:
        """True once every week of a programme of known length has passed."""
        return self.weeks is not None and self.week_on(today) > self.weeks

    def label(self, today: date) -> str:
        """``week 3 of 6``, ``week 3``, or ``finished (6 weeks)``."""
        week = self.week_on(today)
        if self.weeks is None:
            return WEEK.format(week=week)
        if week > self.weeks:
            return FINISHED.format(weeks=self.weeks, s="" if self.weeks == 1 else "s")
        return WEEK_OF.format(week=week, weeks=self.weeks)


# User-visible text, in one place for translation.
WEEK = "week {week}"
WEEK_OF = "week {week} of {weeks}"
FINISHED = "finished ({weeks} week{s})"


def is_programme(routine: Routine) -> bool:
    """True when the routine prescribes a schedule (sessions a week, weekdays or weeks)."""
    s = routine.schedule
    return bool(s.weekdays or s.times_per_week or s.weeks)


def programme_for(routine: Routine, sessions: Iterable[Session], today: date,
                  chosen_starts: Mapping[str, date] | None = None) -> Programme | None:
    """``routine``'s programme: from the start chosen for its title, else from the day of its
    first session, else from ``today``; None when the routine has no schedule."""
    if not is_programme(routine):
        return None
    weeks = routine.schedule.weeks or None
    chosen = (chosen_starts or {}).get(routine.title)
    if chosen is not None:
        return Programme(chosen, weeks, chosen=True)
    played = [s.started_at.date() for s in sessions
              if s.routine_title == routine.title and s.routine_title != IMPORTED_ROUTINE_TITLE]
    return Programme(min(played, default=today), weeks)
