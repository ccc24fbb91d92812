"""Local time with its daylight-saving rules, for "today" and "tomorrow morning".

``datetime.now().astimezone()`` gives a fixed UTC offset: converting another instant to it uses
today's offset, so near midnight around a daylight-saving change an event lands on the wrong
calendar day (a banner hidden "for today" shows again, or stays hidden into the next day).
:func:`local_now` gives a time in the system's zone with its rules (:mod:`zoneinfo`), so
``event.astimezone(now.tzinfo).date()`` is the local calendar date the person saw.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Where Linux and macOS keep the system's zone rules.
SYSTEM_ZONE_FILE = "/etc/localtime"


@functools.cache
def local_zone() -> tzinfo:
    """The system's time zone with its rules: ``$TZ`` when it names one, else
    :data:`SYSTEM_ZONE_FILE`; else (no zone database, e.g. Windows without ``tzdata``) the
    current fixed offset, which is wrong only across a daylight-saving change."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    try:
        with open(SYSTEM_ZONE_FILE, "rb") as rules:
            return ZoneInfo.from_file(rules, key="localtime")
    except (OSError, ValueError):
        pass
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None
    return fixed


def local_now(zone: tzinfo | None = None) -> datetime:
    """Now, in ``zone`` (default :func:`local_zone`)."""
    return datetime.now(zone or local_zone())


def local_date(at: datetime, zone: tzinfo) -> date:
    """The calendar date of instant ``at`` in ``zone``."""
    return at.astimezone(zone).date()


def next_local_midnight(now: datetime, after: timedelta = timedelta(0)) -> datetime:
    """The next midnight in ``now``'s zone (plus ``after``), as an aware time.

    With a zone that has rules the wall clock is taken as such (a day of 23 or 25 hours is
    fine); with a fixed offset, the system's offset in force then is used.
    """
    day = now.date() + timedelta(days=1)
    wall = datetime.combine(day, time(0, 0)) + after
    if isinstance(now.tzinfo, ZoneInfo):
        return wall.replace(tzinfo=now.tzinfo)
    return wall.astimezone()


def seconds_between(start: datetime, end: datetime) -> float:
    """Real seconds from ``start`` to ``end`` (Python subtracts two times of one zone as wall
    clocks, which is an hour off across a daylight-saving change)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
