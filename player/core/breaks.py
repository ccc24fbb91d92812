"""Sitting breaks: a reminder to stand up and move after a spell at the computer.

The guides' advice (``docs/clinical-rules.md``; clinical notes version 2, "Long sitting"):
stand up, stretch and move every 30 minutes. The app cannot see whether the person sits, so
it counts time at the computer from what it can know: it starts when the app starts (or the
reminder is turned on), starts again after a break is taken or skipped, and after a time away
from the computer where the desktop reports idle time (:data:`AWAY_RESETS_AFTER`). Without
idle time, it counts wall time while the app runs, and "Snooze" puts the reminder off for
:data:`SNOOZE_MINUTES`. Breaks are recorded apart from sessions (:class:`DeskBreak`), so they
never count for a routine's adherence. Pure Python, no Qt; times are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

#: Clinical notes v2, "Long sitting: stand up, stretch and move every 30 minutes" (patient
#: guides for runners with lower-back pain).
SITTING_BREAK_MINUTES: Final = 30
#: How long "Snooze" puts the reminder off (the same half hour).
SNOOZE_MINUTES: Final = 30
#: Idle this long (no keyboard or mouse, where the desktop says) counts as having got up.
AWAY_RESETS_AFTER: Final = timedelta(minutes=5)
#: The bundled routine the reminder offers.
DESK_ROUTINE_FILE: Final = "desk-break.yaml"

BreakAction = Literal["taken", "snoozed", "skipped"]
BREAK_ACTIONS: Final = ("taken", "snoozed", "skipped")


@dataclass(frozen=True)
class DeskBreak:
    """What the person did when a sitting-break reminder came, and when."""

    at: datetime
    action: BreakAction

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        if self.action not in BREAK_ACTIONS:
            raise ValueError(f"action must be one of {', '.join(BREAK_ACTIONS)}")


class SittingClock:
    """When the next sitting-break reminder is due.

    ``interval`` is the spell at the computer after which it comes. Times are compared in
    UTC, so a daylight-saving change does not move a reminder by an hour.
    """

    def __init__(self, now: datetime,
                 interval: timedelta = timedelta(minutes=SITTING_BREAK_MINUTES)) -> None:
        self.interval = interval
        self._since = _utc(now)
        self._due = self._since + interval

    @property
    def due(self) -> datetime:
        """When the reminder comes (UTC)."""
        return self._due

    def idle(self, idle_for: timedelta, now: datetime) -> None:
        """The desktop says there has been no input for ``idle_for`` at ``now``: a long
        enough spell away starts the count again from ``now``."""
        if idle_for >= AWAY_RESETS_AFTER:
            self._restart(now)

    def answered(self, action: BreakAction, now: datetime) -> None:
        """The person took, skipped or snoozed the break at ``now``."""
        if action == "snoozed":
            self._due = _utc(now) + timedelta(minutes=SNOOZE_MINUTES)
        else:
            self._restart(now)

    def is_due(self, now: datetime) -> bool:
        """True once the reminder should come."""
        return _utc(now) >= self._due

    def wait(self, now: datetime) -> timedelta:
        """How long until the reminder (zero when due)."""
        return max(timedelta(0), self._due - _utc(now))

    def _restart(self, now: datetime) -> None:
        self._since = _utc(now)
        self._due = self._since + self.interval


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def breaks_summary(breaks: list[DeskBreak], since: datetime) -> str:
    """One line for the history page: breaks taken since ``since`` (e.g. the last 7 days)."""
    taken = sum(1 for b in breaks if b.action == "taken" and _utc(b.at) >= _utc(since))
    if not taken:
        return NO_BREAKS
    return BREAKS_TAKEN.format(n=taken, s="" if taken == 1 else "s")


# User-visible text, in one place for translation.
NO_BREAKS = "Sitting breaks: none taken in the last 7 days."
BREAKS_TAKEN = "Sitting breaks: {n} desk break{s} taken in the last 7 days."
REMINDER_TITLE = "Time to stand up"
REMINDER_TEXT = ("You have been at the computer for {minutes} minutes. Stand up, stretch and "
                 "move for a minute: it eases a back that sitting stiffens.")
TAKE = "Start the desk break"
SNOOZE = "In {minutes} minutes"
SKIP = "Not now"
