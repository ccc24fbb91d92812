"""Calendar days and times of day in the device's time zone, for the care rules.

The care rules count calendar days ("the last 7 days", "day 14 of the episode", "from 04:00 on
the day after a session"; clinical-notes.md, "Levels of the recent pain") in the device's
current time zone. Every stored time carries the UTC offset in force when it was recorded, and
the rules take the zone from the ``now`` they are given:

* with a zone that knows its rules (a :class:`zoneinfo.ZoneInfo`, e.g. ``Europe/London``), a
  time's day is its day in that zone, so a rating at 00:30 BST on the day the clocks change
  falls on the right day whatever the season now;
* with a fixed UTC offset (what ``datetime.now().astimezone()`` gives), the offset of today
  cannot say when the clocks changed, so each time is taken on the wall clock it was recorded
  by: its own date and time of day. Within one zone the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

__all__ = [
    "WEEKDAY_NAMES", "elapsed", "local_date", "local_dates", "local_wall", "wall_time_on",
    "zone_of",
]

#: Weekday names as routine files write them, Monday first (``date.weekday()`` order).
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def zone_of(now: datetime) -> tzinfo:
    """The zone the rules count days in: that of *now*, which must be timezone-aware."""
    zone = now.tzinfo
    if zone is None or now.utcoffset() is None:
        raise ValueError(f"now must be a datetime with a time zone, got {now!r}")
    return zone


def _fixed(zone: tzinfo) -> bool:
    return isinstance(zone, timezone)


def local_wall(at: datetime, zone: tzinfo) -> datetime:
    """The wall-clock time (naive) of *at* in *zone* (see the module notes for fixed offsets)."""
    if _fixed(zone) or at.tzinfo is zone:
        return at.replace(tzinfo=None)
    return at.astimezone(zone).replace(tzinfo=None)


def local_date(at: datetime, zone: tzinfo) -> date:
    """The calendar day of *at* in *zone* (see the module notes for fixed offsets)."""
    if _fixed(zone) or at.tzinfo is zone:
        return at.date()
    return at.astimezone(zone).date()


def local_dates(times: Iterable[datetime], zone: tzinfo) -> list[date]:
    """:func:`local_date` of each of *times*, for years of them at once."""
    if _fixed(zone):
        return [at.date() for at in times]
    return [at.date() if at.tzinfo is zone else at.astimezone(zone).date() for at in times]


def wall_time_on(day: date, hour: int, minute: int = 0) -> datetime:
    """*hour*:*minute* on *day* as a naive wall-clock time, to compare with :func:`local_wall`."""
    return datetime.combine(day, time(hour, minute))


def elapsed(at: datetime, seconds: float) -> datetime:
    """The instant *seconds* of real time after *at* (in UTC).

    ``at + timedelta(...)`` on a zoneinfo time adds wall-clock time, so a 24-hour hold across
    the change to summer time would end an hour early; this never does.
    """
    return at.astimezone(UTC) + timedelta(seconds=seconds)
