"""When the timers of an app left waiting (in the tray) wake it, so that their wakes coincide.

A timer that only looks again (the reminders' longest sleep, a sitting break's, the
morning-after look, the garbage collector's while the window is hidden) wakes at the next
quarter hour of the clock; one that waits for a moment of its own (a reminder, a sitting
break) wakes on a whole minute. Their wakes fall together: the app in the tray wakes no more
often than once a minute, and four times an hour when nothing is due. Pure arithmetic on the
wall clock's milliseconds since the epoch (whole minutes and quarter hours of UTC are those
of every time zone in use).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

MINUTE_MS: Final = 60_000
QUARTER_HOUR_MS: Final = 15 * MINUTE_MS
#: A look-again timer sleeps at least this long, so that one woken on its quarter hour sleeps
#: to the next one rather than waking again at once.
LOOK_AGAIN_AFTER_MS: Final = 1_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


def ms_to_grid(now: datetime, earliest_ms: int, grid_ms: int) -> int:
    """Milliseconds from ``now`` (timezone-aware) to the first multiple of ``grid_ms`` since
    the epoch that is at least ``earliest_ms`` after it: never sooner than ``earliest_ms``."""
    now_us = (now - _EPOCH) // _MICROSECOND
    grid_us = grid_ms * 1000
    target_us = -(-(now_us + max(0, earliest_ms) * 1000) // grid_us) * grid_us
    return -(-(target_us - now_us) // 1000)


def ms_to_minute(now: datetime, earliest_ms: int) -> int:
    """How long to sleep from ``now`` to wake on the first whole minute ``earliest_ms`` on."""
    return ms_to_grid(now, earliest_ms, MINUTE_MS)


def ms_to_look_again(now: datetime) -> int:
    """How long a look-again timer sleeps from ``now``: to the next quarter hour (at most
    15 minutes, at least :data:`LOOK_AGAIN_AFTER_MS`)."""
    return ms_to_grid(now, LOOK_AGAIN_AFTER_MS, QUARTER_HOUR_MS)
