"""Sitting breaks: when the reminder to stand up comes, and what is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from player.core.breaks import (
    AWAY_RESETS_AFTER,
    SITTING_BREAK_MINUTES,
    SNOOZE_MINUTES,
    DeskBreak,
    SittingClock,
    breaks_summary,
)

ZONE = ZoneInfo("Europe/London")
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)
HALF_HOUR = timedelta(minutes=SITTING_BREAK_MINUTES)


def test_it_comes_after_half_an_hour_at_the_computer():
    clock = SittingClock(T0)
    assert SITTING_BREAK_MINUTES == 30
    assert not clock.is_due(T0 + HALF_HOUR - timedelta(seconds=1))
    assert clock.is_due(T0 + HALF_HOUR)
    assert clock.wait(T0 + timedelta(minutes=10)) == timedelta(minutes=20)
    assert clock.wait(T0 + timedelta(hours=2)) == timedelta(0)


@pytest.mark.parametrize(("action", "next_due"), [
    ("taken", HALF_HOUR), ("skipped", HALF_HOUR), ("snoozed", timedelta(minutes=SNOOZE_MINUTES)),
])
def test_each_answer_puts_the_next_one_off(action, next_due):
    clock = SittingClock(T0)
    answered = T0 + timedelta(minutes=31)
    clock.answered(action, answered)
    assert clock.due == (answered + next_due).astimezone(clock.due.tzinfo)


def test_a_spell_away_from_the_computer_starts_the_count_again():
    clock = SittingClock(T0)
    back = T0 + timedelta(minutes=20)
    clock.idle(AWAY_RESETS_AFTER - timedelta(seconds=1), back)
    assert clock.is_due(T0 + HALF_HOUR)
    clock.idle(AWAY_RESETS_AFTER, back)
    assert not clock.is_due(T0 + HALF_HOUR) and clock.is_due(back + HALF_HOUR)


def test_half_an_hour_is_real_time_across_the_change_of_the_clocks():
    before = datetime(2026, 10, 25, 1, 45, tzinfo=ZONE)  # 01:45 BST; at 02:00 BST it is 01:00 GMT
    clock = SittingClock(before)
    assert clock.is_due(datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=ZONE))


def test_desk_breaks_are_checked_and_summed_for_the_history():
    with pytest.raises(ValueError, match="timezone-aware"):
        DeskBreak(datetime(2026, 12, 7, 9, 0), "taken")
    with pytest.raises(ValueError, match="taken, snoozed, skipped"):
        DeskBreak(T0, "done")  # type: ignore[arg-type]
    week_ago = T0 - timedelta(days=7)
    breaks = [DeskBreak(T0 - timedelta(days=8), "taken"), DeskBreak(T0, "taken"),
              DeskBreak(T0, "snoozed"), DeskBreak(T0 + timedelta(hours=1), "taken")]
    assert breaks_summary(breaks, week_ago) == \
        "Sitting breaks: 2 desk breaks taken in the last 7 days."
    assert breaks_summary(breaks[:1], week_ago).endswith("none taken in the last 7 days.")
