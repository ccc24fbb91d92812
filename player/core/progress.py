"""Adherence to the prescribed schedule and the pain trend, for the history view and the report.

Pure functions over the records of :mod:`player.core.history`; ``today``/``now`` are passed in.
Everything has a ``to_json()`` giving plain JSON types for ``report --json``.

Adherence rules (the clinical notes are silent; these are product choices):

* a session counts as done when at least 80 % of the exercise time it planned was done
  (:data:`~player.core.clinical.ADHERENT_SHARE`; sessions recorded before that was kept count
  when ``completed``); the others are listed as ``started`` but not done, on the local date it
  started;
* weeks run from the schedule's start date, 7 days each; a week's sessions beyond its target do
  not make up for another week;
* with several sessions a day prescribed (``sessions_per_day``, McKenzie's 2 a day), a week's
  target is its days times that number, and a day's sessions beyond it do not make up for
  another day (with one a day, as before format 1.1, sessions are counted by week only);
* a week counts toward the overall percent once it has ended, or as soon as its target is met,
  so an unfinished week never lowers the figure;
* the streak is the number of consecutive weeks, back from the latest counted week, whose
  target was met. Weeks rather than days, because the routines prescribe rest days between
  sessions and a daily streak would reward skipping them.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from player.core.history import RESTING_CONTEXTS, PainRating, Session
from player.core.pain import RestingHistory, as_of

JSON = dict[str, Any]
_WEEKDAY_NAMES = tuple(name.lower() for name in calendar.day_name)  # monday .. sunday
_MAX_TIMES_PER_WEEK = 21
_MAX_SESSIONS_PER_DAY = 12


@dataclass(frozen=True)
class Schedule:
    """What was prescribed: ``times_per_week`` sessions, or one on each of ``weekdays``
    (0 = Monday ... 6 = Sunday), for ``weeks`` weeks from ``start``. Give exactly one of the two.
    """

    start: date
    weeks: int
    times_per_week: int | None = None
    weekdays: frozenset[int] | None = None
    sessions_per_day: int = 1

    def __post_init__(self) -> None:
        if (self.times_per_week is None) == (self.weekdays is None):
            raise ValueError("give either times_per_week or weekdays")
        if self.weeks < 1:
            raise ValueError("weeks must be 1 or more")
        if self.times_per_week is not None and not 1 <= self.times_per_week <= _MAX_TIMES_PER_WEEK:
            raise ValueError(f"times_per_week must be 1-{_MAX_TIMES_PER_WEEK}")
        if self.weekdays is not None and (not self.weekdays or not self.weekdays <= set(range(7))):
            raise ValueError("weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday)")
        if not 1 <= self.sessions_per_day <= _MAX_SESSIONS_PER_DAY:
            raise ValueError(f"sessions_per_day must be 1-{_MAX_SESSIONS_PER_DAY}")

    @property
    def days_per_week(self) -> int:
        """Days (or, with one session a day, sessions) prescribed in each week."""
        if self.weekdays is not None:
            return len(self.weekdays)
        return self.times_per_week or 0

    @property
    def per_week(self) -> int:
        """Sessions prescribed in each week."""
        return self.days_per_week * self.sessions_per_day

    def to_json(self) -> JSON:
        """Plain JSON types."""
        return {
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "times_per_week": self.times_per_week,
            "weekdays": None
            if self.weekdays is None
            else [_WEEKDAY_NAMES[d] for d in sorted(self.weekdays)],
            "sessions_per_day": self.sessions_per_day,
        }


@dataclass(frozen=True)
class WeekAdherence:
    """One week of the schedule: prescribed sessions, done (completed) and started (any)."""

    number: int
    start: date
    end: date
    prescribed: int
    done: int
    started: int
    counted: bool
    """True once the week has ended or its target is met."""

    @property
    def met(self) -> bool:
        """True when at least the prescribed sessions were done."""
        return self.done >= self.prescribed

    def to_json(self) -> JSON:
        """Plain JSON types."""
        return {
            "week": self.number,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "prescribed": self.prescribed,
            "done": self.done,
            "started": self.started,
            "counted": self.counted,
        }


@dataclass(frozen=True)
class Adherence:
    """Sessions done against the schedule, week by week, up to today."""

    schedule: Schedule
    weeks: tuple[WeekAdherence, ...]
    percent: float | None
    """Done (capped at each week's target) over prescribed, for the counted weeks."""
    streak_weeks: int

    @property
    def sessions_done(self) -> int:
        """Completed sessions within the schedule's weeks so far."""
        return sum(w.done for w in self.weeks)

    def to_json(self) -> JSON:
        """Plain JSON types (the report's ``adherence`` object)."""
        return {
            "schedule": self.schedule.to_json(),
            "percent": self.percent,
            "streak_weeks": self.streak_weeks,
            "sessions_done": self.sessions_done,
            "weeks": [w.to_json() for w in self.weeks],
        }


def adherence(sessions: Iterable[Session], schedule: Schedule, today: date) -> Adherence:
    """Adherence to *schedule* from the first week up to the week containing *today*."""
    started: Counter[int] = Counter()
    done: Counter[int] = Counter()
    done_on: Counter[date] = Counter()
    shown = _weeks_started(schedule, today)
    for s in sessions:
        day = s.started_at.date()
        week = (day - schedule.start).days // 7
        if not 0 <= week < shown:  # before the programme, or after its last week
            continue
        started[week] += 1
        if s.counts_for_adherence:
            done_on[day] += 1
            if schedule.sessions_per_day == 1 or done_on[day] <= schedule.sessions_per_day:
                done[week] += 1
    weeks = tuple(
        _week(n, schedule, done[n], started[n], today)
        for n in range(shown)
    )
    counted = [w for w in weeks if w.counted]
    prescribed = sum(w.prescribed for w in counted)
    met = sum(min(w.done, w.prescribed) for w in counted)
    percent = round(100 * met / prescribed, 1) if prescribed else None
    return Adherence(schedule, weeks, percent, _streak(counted))


def _weeks_started(schedule: Schedule, today: date) -> int:
    if today < schedule.start:
        return 0
    return min(schedule.weeks, (today - schedule.start).days // 7 + 1)


def _week(index: int, schedule: Schedule, done: int, started: int, today: date) -> WeekAdherence:
    start = schedule.start + timedelta(weeks=index)
    end = start + timedelta(days=6)
    return WeekAdherence(
        number=index + 1,
        start=start,
        end=end,
        prescribed=schedule.per_week,
        done=done,
        started=started,
        counted=end < today or done >= schedule.per_week,
    )


def _streak(counted: list[WeekAdherence]) -> int:
    streak = 0
    for week in reversed(counted):
        if not week.met:
            break
        streak += 1
    return streak


# --- Pain trend ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PainTrend:
    """Where the resting pain of this episode started, where it is now, and the change
    (negative is better), as the care rules define them (clinical-notes.md v2)."""

    baseline: float | None
    """The current episode's baseline (median of its first week's resting ratings)."""
    recent: float | None
    """The recent level today (weekly, else from the last two weeks), or None."""
    change_points: float | None
    change_percent: float | None
    """Change relative to the baseline; None without both levels or with a baseline of 0."""
    first_rating: datetime | None
    last_rating: datetime | None
    ratings: int
    resting_ratings: int
    episode_start: date | None = None
    """The day the current episode (bout of pain) began."""
    reference: float | None = None
    """The level getting worse is measured against today, or None."""
    recent_from: str | None = None
    """``week`` (the last 7 days) or ``two_weeks`` (the last 14): what ``recent`` is from."""

    def to_json(self) -> JSON:
        """Plain JSON types (the report's ``pain`` object)."""
        return {
            "baseline": self.baseline,
            "recent": self.recent,
            "change_points": self.change_points,
            "change_percent": self.change_percent,
            "first_rating": None if self.first_rating is None else self.first_rating.isoformat(),
            "last_rating": None if self.last_rating is None else self.last_rating.isoformat(),
            "ratings": self.ratings,
            "resting_ratings": self.resting_ratings,
            "episode_start": None if self.episode_start is None else self.episode_start.isoformat(),
            "reference": self.reference,
            "recent_from": self.recent_from,
        }


def pain_trend(ratings: Iterable[PainRating], now: datetime) -> PainTrend:
    """Baseline and recent level as the care rules define them, and the change between them."""
    history = as_of(ratings, now)
    resting = RestingHistory.of(ratings, now)
    episode = resting.current_episode()
    base = None if episode is None else episode.baseline.value
    level = resting.recent_level()
    recent = None if level is None else level.value
    reference = resting.reference_level()
    change = None if base is None or recent is None else recent - base
    percent = None if change is None or not base else round(100 * change / base, 1)
    times = [r.at for r in history]
    return PainTrend(
        baseline=base,
        recent=recent,
        change_points=change,
        change_percent=percent,
        first_rating=min(times, default=None),
        last_rating=max(times, default=None),
        ratings=len(history),
        resting_ratings=sum(1 for r in history if r.context in RESTING_CONTEXTS),
        episode_start=None if episode is None else episode.day0,
        reference=None if reference is None else reference.value,
        recent_from=None if level is None else level.kind,
    )


def report_json(adherence: Adherence | None, pain: PainTrend) -> JSON:
    """The ``adherence`` and ``pain`` objects of ``report --json`` (adherence None: no schedule)."""
    return {"adherence": None if adherence is None else adherence.to_json(), "pain": pain.to_json()}
