"""The pain side of the care rules (clinical-notes.md v2): levels, episodes and the next morning.

Pure functions over the ratings of :mod:`player.core.history`. Nothing here reads a clock:
``now`` is passed in, and its zone is the one days are counted in (:mod:`player.core.days`).
A rating dated more than 10 minutes after ``now`` is not part of the history as of ``now``
(:func:`~player.core.history.is_future_dated`; the app never stores one).

* :class:`RestingHistory` holds the resting ratings by local day and answers the level
  questions: the weekly level of a day, the recent level, the pain episodes and the reference
  level that getting worse is measured against.
* :func:`session_checks` says, for every session with a ``before`` rating, what it is judged
  by: its ``morning_after`` rating, else the first check-in of its next morning, else (once the
  day after it has ended) its ``after`` rating.
* :func:`morning_after_due` says whether the next-morning check of a session is due now.
* :func:`severe_days` lists the days of the last 7 with a severe rating.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import islice
from typing import Literal, NamedTuple

from player.core.clinical import (
    EPISODE_BASELINE_DAYS,
    EPISODE_QUIET_DAYS,
    EPISODE_QUIET_LEVEL,
    EPISODE_START_LEVEL,
    MORNING_AFTER_FROM_HOUR,
    MORNING_AFTER_MAX_DAYS,
    RECENT_FALLBACK_DAYS,
    RECENT_FALLBACK_MIN_RATINGS,
    REFERENCE_EPISODE_MAX_DAYS,
    REFERENCE_FROM_DAYS,
    REFERENCE_MIN_RATINGS,
    REFERENCE_TO_DAYS,
    SEVERE_WINDOW_DAYS,
    STALE_LIMIT_DAYS,
    WEEKLY_MIN_RATINGS,
    WEEKLY_WINDOW_DAYS,
)
from player.core.days import (
    elapsed,
    local_date,
    local_dates,
    local_wall,
    wall_time_on,
    zone_of,
)
from player.core.history import RESTING_CONTEXTS, PainRating, latest_allowed

LevelKind = Literal["week", "two_weeks", "lowest_week", "weeks", "episode_baseline"]
"""What a :class:`Level` is the median of: ``week``, the 7 days to its day (a weekly level);
``two_weeks``, the 14 days to its day; ``lowest_week``, the lowest weekly level of days -35 ..
-7; ``weeks``, all resting ratings of days -35 .. -7; ``episode_baseline``, the first week of
the current episode."""

JudgedBy = Literal["morning_after", "checkin", "after"]


class _AsOf(list[PainRating]):
    """Ratings already filtered to ``now`` and sorted (see :func:`as_of`)."""


#: The last tuple of ratings :func:`as_of` was asked of: the tuple, and its ratings sorted by
#: instant with those instants (any limit is then a bisection of them).
_RECENT_AS_OF: list[tuple[tuple[PainRating, ...], list[float], list[PainRating]]] = []


def as_of(ratings: Iterable[PainRating], now: datetime) -> list[PainRating]:
    """The ratings given up to *now* (10 minutes' clock skew allowed), oldest first.

    Filtered and sorted by instant, not by wall time (two ratings in the repeated hour of a
    daylight-saving change compare by their wall times within one zone). The report, the
    advice, the chart and the next-morning check each ask this of the same tuple of years of
    ratings, each at its own moment, so the last tuple's ratings are kept sorted with their
    instants (a copy is returned: callers may change it).
    """
    cut = latest_allowed(now).timestamp()
    if isinstance(ratings, tuple):
        for known, stamps, ordered in _RECENT_AS_OF:
            if known is ratings:
                return _AsOf(ordered[:bisect.bisect_right(stamps, cut)])
        # One instant per rating, compared and sorted as floats (aware datetimes compare
        # slower); the sort is stable, so equal instants keep the tuple's order. The store
        # gives them in time order already: then nothing is sorted.
        stamps = [r.at.timestamp() for r in ratings]
        if all(map(operator.le, stamps, islice(stamps, 1, None))):
            ordered = list(ratings)
        else:
            stamped = sorted(zip(stamps, ratings, strict=True), key=_first)
            stamps = [stamp for stamp, _ in stamped]
            ordered = [r for _, r in stamped]
        _RECENT_AS_OF[:] = [(ratings, stamps, ordered)]  # held here so its id stays its own
        return _AsOf(ordered[:bisect.bisect_right(stamps, cut)])
    stamped = [(stamp, r) for r in ratings if (stamp := r.at.timestamp()) <= cut]
    stamped.sort(key=_first)
    return _AsOf(r for _, r in stamped)


def _first(pair: tuple[float, PainRating]) -> float:
    return pair[0]


def _median(values: list[int]) -> float:
    """The median, as :func:`statistics.median` gives it (not imported: it costs start-up
    10 ms of fractions and decimal)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Level:
    """A median of resting ratings, and the days of the ratings it is the median of."""

    value: float
    kind: LevelKind
    day: date
    """The day it is the level of (for ``lowest_week``, the day of that weekly level)."""
    days: tuple[date, ...]
    """The days of the ratings it rests on, oldest first, each once."""
    count: int


@dataclass(frozen=True)
class Episode:
    """A bout of pain: from a resting rating of 3 or more after a settled spell (or the first
    resting rating ever), to the next such start."""

    started: datetime
    """When its first rating was given."""
    day0: date
    """The day of its first rating."""
    baseline: Level
    """The median of its resting ratings on days 0 .. 6, from its first rating on."""

    def day_number(self, day: date) -> int:
        """Which day of the episode *day* is (0 on the day it began)."""
        return (day - self.day0).days


class _Entry(NamedTuple):
    """A resting rating by its local day (a tuple: years of them are built on every call)."""

    day: date
    at: datetime
    rating: int


#: The last resting history built from a tuple of ratings (see :meth:`RestingHistory.of`).
_RECENT: list[tuple[tuple[PainRating, ...], datetime, RestingHistory]] = []


class RestingHistory:
    """The resting ratings up to ``now``, by local day, and the levels built from them."""

    def __init__(self, ratings: Iterable[PainRating], now: datetime) -> None:
        self.now = now
        self.zone: tzinfo = zone_of(now)
        self.today: date = local_date(now, self.zone)
        history = ratings if isinstance(ratings, _AsOf) else as_of(ratings, now)
        zone = self.zone
        resting = [r for r in history if r.context in RESTING_CONTEXTS]
        days = local_dates([r.at for r in resting], zone)
        make = tuple.__new__  # _Entry's own __new__ is Python: years of ratings go through
        entries = [make(_Entry, (day, r.at, r.rating))
                   for day, r in zip(days, resting, strict=True)]
        entries.sort(key=lambda e: e.day)  # stable: in time order within a day
        self._entries = entries
        self._days = [e.day for e in entries]
        self._episodes: list[Episode] | None = None

    @classmethod
    def of(cls, ratings: Iterable[PainRating], now: datetime,
           history: list[PainRating] | None = None) -> RestingHistory:
        """The resting history of ``ratings`` at ``now``, built once when the report, the
        advice and the chart all ask for the same tuple of ratings at the same moment (years
        of ratings take about 15 ms to sort into days)."""
        if isinstance(ratings, tuple):
            for known, at, built in _RECENT:
                if known is ratings and at == now:
                    return built
        # *history*: the same ratings already passed through as_of (not sorted again).
        built = cls(history if isinstance(history, _AsOf) else ratings, now)
        if isinstance(ratings, tuple):  # immutable, and held here so its id stays its own
            _RECENT[:] = [(ratings, now, built)]
        return built

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def last_day(self) -> date | None:
        """The day of the latest resting rating, or None without any."""
        return self._days[-1] if self._days else None

    def _window(self, first: date, last: date) -> list[_Entry]:
        lo = bisect.bisect_left(self._days, first)
        hi = bisect.bisect_right(self._days, last)
        return self._entries[lo:hi]

    @staticmethod
    def _level(entries: Sequence[_Entry], kind: LevelKind, day: date) -> Level:
        return Level(_median([e.rating for e in entries]), kind, day,
                     tuple(sorted({e.day for e in entries})), len(entries))

    def weekly_level(self, day: date) -> Level | None:
        """The median of the resting ratings of *day* and the 6 days before, with at least 2."""
        entries = self._window(day - timedelta(days=WEEKLY_WINDOW_DAYS - 1), day)
        if len(entries) < WEEKLY_MIN_RATINGS:
            return None
        return self._level(entries, "week", day)

    def recent_level(self, day: date | None = None) -> Level | None:
        """The recent level on *day* (today by default): its weekly level, else the median of
        the resting ratings of the 14 days to it when there are at least 2, else None."""
        day = self.today if day is None else day
        weekly = self.weekly_level(day)
        if weekly is not None:
            return weekly
        entries = self._window(day - timedelta(days=RECENT_FALLBACK_DAYS - 1), day)
        if len(entries) < RECENT_FALLBACK_MIN_RATINGS:
            return None
        return self._level(entries, "two_weeks", day)

    def judging_day(self) -> date | None:
        """The day getting worse and persisting are judged as of.

        Today when there is a recent level today; else the day of the last resting rating when
        that is within the last 28 days; else None (those rules give no advice).
        """
        if self.recent_level() is not None:
            return self.today
        last = self.last_day
        if last is None or last < self.today - timedelta(days=STALE_LIMIT_DAYS - 1):
            return None
        return last

    # --- episodes -------------------------------------------------------------------------

    def episodes(self) -> list[Episode]:
        """Every episode, oldest first (see :class:`Episode`)."""
        if self._episodes is None:
            starts = self._episode_starts()
            ends = [*starts[1:], len(self._entries)] if starts else []
            self._episodes = [self._episode(i, j) for i, j in zip(starts, ends, strict=True)]
        return self._episodes

    def _episode_starts(self) -> list[int]:
        starts: list[int] = []
        last_high: date | None = None  # the latest day with a resting rating above 2
        quiet = timedelta(days=EPISODE_QUIET_DAYS)
        for i, entry in enumerate(self._entries):
            settled = last_high is None or last_high < entry.day - quiet
            if i == 0 or (entry.rating >= EPISODE_START_LEVEL and settled
                          and self._entries[i - 1].rating <= EPISODE_QUIET_LEVEL):
                starts.append(i)
            if entry.rating > EPISODE_QUIET_LEVEL:
                last_high = entry.day
        return starts

    def _episode(self, start: int, next_start: int) -> Episode:
        first = self._entries[start]
        last_day = first.day + timedelta(days=EPISODE_BASELINE_DAYS - 1)
        end = min(bisect.bisect_right(self._days, last_day), next_start)
        return Episode(first.at, first.day,
                       self._level(self._entries[start:end], "episode_baseline", first.day))

    def current_episode(self) -> Episode | None:
        """The latest episode, or None without resting ratings."""
        found = self.episodes()
        return found[-1] if found else None

    # --- the reference level --------------------------------------------------------------

    def reference_level(self, day: date | None = None) -> Level | None:
        """What getting worse on *day* (today by default) is measured against.

        The lowest weekly level among days *day*-35 .. *day*-7; else the median of those days'
        resting ratings when there is at least one; else the current episode's baseline when
        the episode began within the 42 days to *day*; else None.
        """
        day = self.today if day is None else day
        first = day - timedelta(days=REFERENCE_FROM_DAYS)
        last = day - timedelta(days=REFERENCE_TO_DAYS)
        best: Level | None = None
        d = last
        while d >= first:  # latest first, so a tie keeps the most recent week
            weekly = self.weekly_level(d)
            if weekly is not None and (best is None or weekly.value < best.value):
                best = weekly
            d -= timedelta(days=1)
        if best is not None:
            return Level(best.value, "lowest_week", best.day, best.days, best.count)
        entries = self._window(first, last)
        if len(entries) >= REFERENCE_MIN_RATINGS:
            return self._level(entries, "weeks", last)
        episode = self.current_episode()
        if episode is not None and episode.day0 > day - timedelta(days=REFERENCE_EPISODE_MAX_DAYS):
            return episode.baseline
        return None


# --- Sessions and their next morning ------------------------------------------------------------


@dataclass(frozen=True)
class SessionCheck:
    """A session with a ``before`` rating, and what it is judged by as of ``now``."""

    session_id: int
    started: datetime
    day: date
    """The session's day: the day of its ``before`` rating."""
    before: int
    after: int | None
    morning_after: int | None
    """Its own ``morning_after`` rating, else the check-in that serves as one, else None."""
    morning_after_from: Literal["morning_after", "checkin"] | None
    judged_by: JudgedBy | None
    """None while the session cannot be judged yet (or at all)."""

    @property
    def rise(self) -> int | None:
        """Points the rating it is judged by is above its before rating (None: not judged)."""
        if self.judged_by is None:
            return None
        value = self.after if self.judged_by == "after" else self.morning_after
        assert value is not None
        return value - self.before


@dataclass
class _Session:
    sid: int
    started: datetime
    before: PainRating | None = None
    after: PainRating | None = None
    morning_after: PainRating | None = None


def _sessions(ratings: Sequence[PainRating],
              session_starts: Mapping[int, datetime] | None) -> list[_Session]:
    """Every session the ratings (or *session_starts*) name, by start; the latest rating of
    each kind counts (a corrected entry)."""
    found: dict[int, _Session] = {}
    for sid, started in (session_starts or {}).items():
        found[sid] = _Session(sid, started)
    for r in ratings:
        if r.session_id is None:
            continue
        s = found.get(r.session_id)
        if s is None:
            s = found[r.session_id] = _Session(r.session_id, r.at)
        elif r.at < s.started:
            s.started = r.at
        if r.context in ("before", "after", "morning_after"):
            current = getattr(s, r.context)
            if current is None or r.at >= current.at:
                setattr(s, r.context, r)
    return sorted(found.values(), key=lambda s: (s.started, s.sid))


def _morning_opens(day: date) -> datetime:
    """04:00 (wall clock) on the day after *day*."""
    return wall_time_on(day + timedelta(days=1), MORNING_AFTER_FROM_HOUR)


def session_checks(ratings: Iterable[PainRating], now: datetime,
                   session_starts: Mapping[int, datetime] | None = None,
                   since: date | None = None) -> list[SessionCheck]:
    """Every session with a ``before`` rating as of *now*, oldest first, and what it is judged by.

    A session is judged by its ``morning_after`` rating; without one, by the first check-in
    given from 04:00 on the day after the session's day until the next session starts (at most
    2 days after the session's day); without either, by its ``after`` rating once the day after
    the session's day has ended. *session_starts* (session id to start) adds sessions that have
    no rating, so that they still close the one before. With *since*, only sessions of that
    day or later are given (and only the ratings near them are read: years of history stay
    fast).
    """
    history = ratings if isinstance(ratings, _AsOf) else as_of(ratings, now)
    zone = zone_of(now)
    today = local_date(now, zone)
    if since is not None:
        # Two days' margin: a session's ratings may start before its before rating.
        cut = elapsed(now, -((today - since).days + 3) * 86400.0)
        first = len(history)
        while first > 0 and history[first - 1].at >= cut:
            first -= 1
        history = history[first:]
        session_starts = {k: v for k, v in (session_starts or {}).items() if v >= cut}
    sessions = _sessions(history, session_starts)
    starts = [s.started for s in sessions]
    checkins = [r for r in history if r.context == "checkin"]
    checkin_times = [r.at for r in checkins]
    checks: list[SessionCheck] = []
    for index, s in enumerate(sessions):
        if s.before is None:
            continue
        day = local_date(s.before.at, zone)
        if since is not None and day < since:
            continue
        later = bisect.bisect_right(starts, s.started, lo=index)
        next_start = starts[later] if later < len(starts) else None
        morning, source = _morning_after(s, day, next_start, checkins, checkin_times, zone)
        judged: JudgedBy | None = None
        if source is not None:
            judged = source
        elif s.after is not None and today >= day + timedelta(days=2):
            judged = "after"
        checks.append(SessionCheck(
            s.sid, s.started, day, s.before.rating,
            None if s.after is None else s.after.rating, morning, source, judged))
    return checks


def _morning_after(s: _Session, day: date, next_start: datetime | None,
                   checkins: Sequence[PainRating], checkin_times: Sequence[datetime],
                   zone: tzinfo) -> tuple[int | None, Literal["morning_after", "checkin"] | None]:
    if s.morning_after is not None:
        return s.morning_after.rating, "morning_after"
    opens = _morning_opens(day)
    last_day = day + timedelta(days=MORNING_AFTER_MAX_DAYS)
    assert s.before is not None
    for i in range(bisect.bisect_left(checkin_times, s.before.at), len(checkins)):
        checkin = checkins[i]
        if next_start is not None and checkin.at >= next_start:
            break
        wall = local_wall(checkin.at, zone)
        if wall.date() > last_day:
            break
        if wall >= opens:
            return checkin.rating, "checkin"
    return None, None


@dataclass(frozen=True)
class MorningAfterDue:
    """The next-morning check that is due: for which session, and its before rating."""

    session_id: int
    session_day: date
    before: int


def morning_after_due(ratings: Iterable[PainRating], now: datetime,
                      session_starts: Mapping[int, datetime] | None = None,
                      declined: Iterable[int] = ()) -> MorningAfterDue | None:
    """The ``morning_after`` rating to ask for now, if one is due.

    Due for the latest session started up to *now* when it has a ``before`` rating and no
    ``morning_after`` rating yet, from 04:00 local time on the day after its day until the next
    session starts, and at most 2 days after its day (the limit within which a check-in would
    serve as one). Asked once: sessions in *declined* (the person said "not now") are not
    asked again.
    """
    history = as_of(ratings, now)
    zone = zone_of(now)
    # Only a session of the last few days can be due: read only the ratings near them (a
    # session's day is at most 2 days back; 2 more days' margin for its earlier ratings).
    cut = elapsed(now, -(MORNING_AFTER_MAX_DAYS + 2) * 86400.0)
    first = len(history)
    while first > 0 and history[first - 1].at >= cut:
        first -= 1
    recent_starts = {k: v for k, v in (session_starts or {}).items() if v >= cut}
    sessions = [s for s in _sessions(history[first:], recent_starts) if s.started <= now]
    if not sessions:
        return None
    latest = sessions[-1]
    if latest.before is None or latest.morning_after is not None or latest.sid in set(declined):
        return None
    day = local_date(latest.before.at, zone)
    wall = local_wall(now, zone)
    if wall < _morning_opens(day) or wall.date() > day + timedelta(days=MORNING_AFTER_MAX_DAYS):
        return None
    return MorningAfterDue(latest.sid, day, latest.before.rating)


# --- Severe ratings -----------------------------------------------------------------------------


def severe_days(ratings: Iterable[PainRating], now: datetime, level: int) -> tuple[date, ...]:
    """The days of the last 7 (today and the 6 before) with a rating of *level* or more, of
    any context, oldest first."""
    zone = zone_of(now)
    today = local_date(now, zone)
    first = today - timedelta(days=SEVERE_WINDOW_DAYS - 1)
    limit = latest_allowed(now)
    if isinstance(ratings, _AsOf):  # sorted: read back from the end to the window's start only
        cut = elapsed(now, -(SEVERE_WINDOW_DAYS + 2) * 86400.0)
        start = len(ratings)
        while start > 0 and ratings[start - 1].at >= cut:
            start -= 1
        ratings = ratings[start:]
    days = {local_date(r.at, zone) for r in ratings if r.rating >= level and r.at <= limit}
    return tuple(sorted(d for d in days if first <= d <= today))
