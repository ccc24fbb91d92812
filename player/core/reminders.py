"""Reminders: at the times the person chose, on the days a routine is due.

The person chooses, per routine, one or more times of day; a reminder comes at each of them
on the days that routine is due (see :mod:`player.core.today`), unless reminders are paused
for that day. The next-morning pain check has a time of its own. Everything here is pure
Python and takes ``now`` and the local ``zone``, so the tray's single timer can be tested
with a fake clock; local times are resolved in ``zone``, so a reminder at 18:00 stays at 18:00
across a daylight-saving change.

What is typed in the settings is checked here: :func:`parse_time` refuses ``25:00`` and
:func:`parse_weekdays` an empty list, each with the reason in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from player.core.days import WEEKDAY_NAMES

#: A reminder found this much after its moment (the computer was asleep) still comes; an older
#: one is dropped rather than shown hours late.
LATE_REMINDER_GRACE: Final = timedelta(minutes=30)
#: How far ahead :func:`next_reminder` looks for a day with something due.
LOOK_AHEAD_DAYS: Final = 8
DEFAULT_TIME: Final = time(18, 0)
DEFAULT_MORNING_TIME: Final = time(8, 0)

_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


class ReminderSettingError(ValueError):
    """A reminder setting that cannot be used; the message says why, in words."""


@dataclass(frozen=True)
class RoutineReminder:
    """Remind about the routine in file ``path`` (titled ``title``) at ``times`` on its days."""

    path: str
    title: str
    times: tuple[time, ...] = (DEFAULT_TIME,)
    weekdays: tuple[str, ...] = WEEKDAY_NAMES
    """The days reminders may come on (the routine must also be due that day)."""

    def __post_init__(self) -> None:
        if not self.times:
            raise ReminderSettingError(NO_TIMES)
        if not self.weekdays:
            raise ReminderSettingError(NO_DAYS)


@dataclass(frozen=True)
class ReminderSettings:
    """Whether reminders are on, for which routines, and the morning check's time."""

    enabled: bool = False
    routines: tuple[RoutineReminder, ...] = ()
    morning_check: time | None = DEFAULT_MORNING_TIME
    """When to remind about the next-morning pain check (None: never)."""
    paused_on: date | None = None
    """A day with no reminders ("pause reminders for today")."""
    start_with_desktop: bool = False
    sitting_breaks: bool = False
    """Remind to stand up after each spell at the computer (see :mod:`player.core.breaks`)."""


@dataclass(frozen=True)
class Reminder:
    """A reminder due ``at``: for the routines in ``titles``, or the morning check."""

    at: datetime
    titles: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    morning_check: bool = False

    def is_stale(self, now: datetime) -> bool:
        """True when it is too late to show it (see :data:`LATE_REMINDER_GRACE`)."""
        return _real(now) - _real(self.at) > LATE_REMINDER_GRACE


def parse_time(text: str) -> time:
    """``18:30`` (or ``18.30``, ``18h30``, ``8:05``) as a time of day; anything else is refused
    with the reason."""
    match = _TIME.match(text)
    if match is None:
        raise ReminderSettingError(BAD_TIME.format(text=text.strip()))
    hour, minute = int(match[1]), int(match[2])
    if hour > 23:
        raise ReminderSettingError(BAD_HOUR.format(text=text.strip()))
    if minute > 59:
        raise ReminderSettingError(BAD_MINUTE.format(text=text.strip()))
    return time(hour, minute)


def parse_times(text: str) -> tuple[time, ...]:
    """Times separated by commas or spaces (``8:00, 18:30``), sorted, each once."""
    parts = [p for p in re.split(r"[,\s]+", text) if p]
    if not parts:
        raise ReminderSettingError(NO_TIMES)
    return tuple(sorted({parse_time(p) for p in parts}))


def parse_weekdays(names: Iterable[str]) -> tuple[str, ...]:
    """Weekday names (``mon`` .. ``sun``, any case) in week order; an empty list is refused."""
    chosen = {n.strip().lower()[:3] for n in names if n.strip()}
    unknown = sorted(chosen - set(WEEKDAY_NAMES))
    if unknown:
        raise ReminderSettingError(BAD_DAY.format(day=unknown[0]))
    if not chosen:
        raise ReminderSettingError(NO_DAYS)
    return tuple(d for d in WEEKDAY_NAMES if d in chosen)


def _local(day: date, at: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def _real(at: datetime) -> datetime:
    """``at`` in UTC: two times in one zoneinfo zone compare and subtract by wall clock, which
    is an hour out across a daylight-saving change."""
    return at.astimezone(UTC)


def next_reminder(now: datetime, zone: tzinfo, settings: ReminderSettings,
                  due: Callable[[RoutineReminder, date], bool],
                  morning_check_due: Callable[[datetime], bool] | None = None) -> Reminder | None:
    """The first reminder after ``now``, or None (reminders off, or nothing due for
    :data:`LOOK_AHEAD_DAYS` days).

    ``due(entry, day)`` says whether the entry's routine is due on ``day``;
    ``morning_check_due(at)`` whether the next-morning check would be due at ``at``. Reminders
    at the same minute come as one.
    """
    if not settings.enabled:
        return None
    today = now.astimezone(zone).date()
    real_now = _real(now)
    for offset in range(LOOK_AHEAD_DAYS):
        day = today + timedelta(days=offset)
        if day == settings.paused_on:
            continue
        found: dict[datetime, list[RoutineReminder]] = {}
        for entry in settings.routines:
            if WEEKDAY_NAMES[day.weekday()] not in entry.weekdays:
                continue
            moments = [_local(day, t, zone) for t in entry.times]
            moments = [m for m in moments if _real(m) > real_now]
            if moments and due(entry, day):
                for m in moments:
                    found.setdefault(m, []).append(entry)
        morning = None
        if settings.morning_check is not None and morning_check_due is not None:
            at = _local(day, settings.morning_check, zone)
            if _real(at) > real_now and morning_check_due(at):
                morning = at
        first = min([*found, *([morning] if morning else [])], key=_real, default=None)
        if first is None:
            continue
        entries = found.get(first, [])
        return Reminder(first, tuple(e.title for e in entries), tuple(e.path for e in entries),
                        morning_check=first == morning)
    return None


def milliseconds_until(reminder: Reminder, now: datetime) -> int:
    """How long a single-shot timer should wait for ``reminder`` (0 when it is due)."""
    return max(0, int((_real(reminder.at) - _real(now)).total_seconds() * 1000))


def reminder_text(reminder: Reminder) -> str:
    """The notification's words."""
    parts = []
    if reminder.titles:
        parts.append(ROUTINES_DUE.format(titles=", ".join(reminder.titles)))
    if reminder.morning_check:
        parts.append(MORNING_CHECK)
    return " ".join(parts)


# User-visible text, in one place for translation.
BAD_TIME = "'{text}' is not a time of day: write it as hours:minutes, for example 18:30."
BAD_HOUR = "'{text}' is not a time of day: hours go from 00 to 23."
BAD_MINUTE = "'{text}' is not a time of day: minutes go from 00 to 59."
NO_TIMES = "Choose at least one time for the reminder."
NO_DAYS = "Choose at least one day for the reminder."
BAD_DAY = "'{day}' is not a day of the week: use Mon, Tue, Wed, Thu, Fri, Sat or Sun."
ROUTINES_DUE = "Time for {titles}."
MORNING_CHECK = "How is your back this morning? Rate it before you start the day."
MISSING_ROUTINE = ("The reminder is for {title}, but its file is no longer there ({path}). "
                   "Remove this reminder?")


def settings_to_json(settings: ReminderSettings) -> dict[str, object]:
    """The ``reminders`` object of the settings file."""
    return {
        "enabled": settings.enabled,
        "routines": [{"path": r.path, "title": r.title,
                      "times": [t.strftime("%H:%M") for t in r.times],
                      "weekdays": list(r.weekdays)} for r in settings.routines],
        "morning_check": (None if settings.morning_check is None
                          else settings.morning_check.strftime("%H:%M")),
        "paused_on": None if settings.paused_on is None else settings.paused_on.isoformat(),
        "start_with_desktop": settings.start_with_desktop,
        "sitting_breaks": settings.sitting_breaks,
    }


def settings_from_json(data: object) -> tuple[ReminderSettings, list[str]]:
    """Reminder settings from the settings file's ``reminders`` object, and what could not be
    used (each a sentence; those parts fall back to the defaults)."""
    if data is None:
        return ReminderSettings(), []
    if not isinstance(data, dict):
        return ReminderSettings(), [BAD_SETTINGS]
    problems: list[str] = []
    routines = []
    for item in data.get("routines") or []:
        try:
            if not isinstance(item, dict) or not isinstance(item.get("path"), str):
                raise ReminderSettingError(BAD_SETTINGS)
            routines.append(RoutineReminder(
                item["path"], str(item.get("title") or item["path"]),
                parse_times(",".join(str(t) for t in item.get("times") or [])),
                parse_weekdays(str(d) for d in item.get("weekdays") or [])))
        except ReminderSettingError as exc:
            problems.append(str(exc))
    morning: time | None = DEFAULT_MORNING_TIME
    if "morning_check" in data:
        try:
            morning = None if data["morning_check"] is None \
                else parse_time(str(data["morning_check"]))
        except ReminderSettingError as exc:
            problems.append(str(exc))
    paused = None
    if isinstance(data.get("paused_on"), str):
        try:
            paused = date.fromisoformat(data["paused_on"])
        except ValueError:
            problems.append(BAD_SETTINGS)
    return ReminderSettings(
        enabled=data.get("enabled") is True,
        routines=tuple(routines),
        morning_check=morning,
        paused_on=paused,
        start_with_desktop=data.get("start_with_desktop") is True,
        sitting_breaks=data.get("sitting_breaks") is True,
    ), problems


BAD_SETTINGS = "Part of the reminder settings could not be read; check them in Reminders."
