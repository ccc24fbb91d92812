"""Timers of an app in the tray wake on whole minutes and quarter hours, so their wakes
coincide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from player.core.wake_times import (
    LOOK_AGAIN_AFTER_MS,
    MINUTE_MS,
    QUARTER_HOUR_MS,
    ms_to_grid,
    ms_to_look_again,
    ms_to_minute,
)

KATHMANDU = ZoneInfo("Asia/Kathmandu")  # UTC+05:45: a quarter hour there is one in UTC too
LONDON = ZoneInfo("Europe/London")


def at(hour: int, minute: int, second: int = 0, micro: int = 0,
       zone: ZoneInfo = LONDON) -> datetime:
    return datetime(2026, 12, 7, hour, minute, second, micro, tzinfo=zone)


def test_a_look_again_wakes_on_the_next_quarter_hour_of_the_local_clock() -> None:
    assert ms_to_look_again(at(9, 0)) == QUARTER_HOUR_MS
    assert ms_to_look_again(at(9, 7, 30)) == 7 * MINUTE_MS + 30_000
    assert ms_to_look_again(at(9, 14, 59, 500_000)) == QUARTER_HOUR_MS + 500  # not at once
    assert ms_to_look_again(at(9, 14, 58)) == 2_000
    woken = at(10, 3, zone=KATHMANDU) + timedelta(milliseconds=ms_to_look_again(
        at(10, 3, zone=KATHMANDU)))
    assert (woken.hour, woken.minute, woken.second) == (10, 15, 0)


def test_a_moment_of_its_own_is_kept_or_put_on_the_next_whole_minute() -> None:
    assert ms_to_minute(at(9, 0), 30 * MINUTE_MS) == 30 * MINUTE_MS
    woken = at(9, 0, 12, 250_000) + timedelta(milliseconds=ms_to_minute(at(9, 0, 12, 250_000),
                                                                        30 * MINUTE_MS))
    assert woken == at(9, 31)  # never sooner than asked: up to a minute later
    assert ms_to_minute(at(9, 30), 0) == 0  # due now, on the minute


def test_the_grid_is_on_the_epoch_and_never_sooner_than_asked() -> None:
    now = datetime(2026, 12, 7, 9, 0, 0, 1_000, tzinfo=UTC)  # 1 ms past a whole minute
    assert ms_to_grid(now, 0, MINUTE_MS) == MINUTE_MS - 1
    assert ms_to_grid(now, -5, MINUTE_MS) == MINUTE_MS - 1
    for earliest in (0, 1, 59_999, 60_000, 61_000):
        wait = ms_to_grid(now, earliest, MINUTE_MS)
        woken = now + timedelta(milliseconds=wait)
        assert wait >= earliest and woken.second == 0 and woken.microsecond == 0
    assert ms_to_grid(datetime(2026, 12, 7, 9, 0, 0, 400, tzinfo=UTC), 0, MINUTE_MS) == 60_000
    assert LOOK_AGAIN_AFTER_MS < MINUTE_MS
