"""Reminders: typed settings checked with reasons, the next reminder found with a fake clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from player.core.reminders import (
    LATE_REMINDER_GRACE,
    Reminder,
    ReminderSettingError,
    ReminderSettings,
    RoutineReminder,
    milliseconds_until,
    next_reminder,
    parse_time,
    parse_times,
    parse_weekdays,
    reminder_text,
)

LONDON = ZoneInfo("Europe/London")
CORE = RoutineReminder("/r/core.yaml", "Core strength", (time(18, 0),), ("mon", "wed", "fri"))
WALK = RoutineReminder("/r/walk.yaml", "Easy walk", (time(7, 30), time(18, 0)))


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def always(_entry: RoutineReminder, _day: date) -> bool:
    return True


@pytest.mark.parametrize(("text", "value"), [
    ("18:30", time(18, 30)), ("8:05", time(8, 5)), (" 07.45 ", time(7, 45)),
    ("18h00", time(18, 0)), ("00:00", time(0, 0)), ("23:59", time(23, 59)),
])
def test_times_people_type_are_read(text, value):
    assert parse_time(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("25:00", "hours go from 00 to 23"), ("24:00", "hours go from 00 to 23"),
    ("18:60", "minutes go from 00 to 59"), ("6pm", "write it as hours:minutes"),
    ("", "write it as hours:minutes"), ("18:5", "write it as hours:minutes"),
])
def test_times_that_are_not_times_of_day_are_refused_with_the_reason(text, reason):
    with pytest.raises(ReminderSettingError, match=reason):
        parse_time(text)


def test_several_times_and_the_days_of_the_week():
    assert parse_times("18:00, 8:00 18:00") == (time(8, 0), time(18, 0))
    assert parse_weekdays(["Fri", "mon", "Wednesday"]) == ("mon", "wed", "fri")
    with pytest.raises(ReminderSettingError, match="at least one day"):
        parse_weekdays([])
    with pytest.raises(ReminderSettingError, match="at least one time"):
        parse_times(" , ")
    with pytest.raises(ReminderSettingError, match="'xyz' is not a day"):
        parse_weekdays(["xyz"])
    with pytest.raises(ReminderSettingError, match="at least one day"):
        RoutineReminder("/r/a.yaml", "A", weekdays=())


def test_reminders_off_give_nothing():
    assert next_reminder(at(2026, 12, 7, 9), LONDON, ReminderSettings(routines=(CORE,)),
                         always) is None


def test_the_next_reminder_is_on_the_routines_days_at_its_time():
    settings = ReminderSettings(enabled=True, routines=(CORE,), morning_check=None)
    monday = at(2026, 12, 7, 9)
    assert next_reminder(monday, LONDON, settings, always) == Reminder(
        at(2026, 12, 7, 18), ("Core strength",), ("/r/core.yaml",))
    # After Monday's time has passed, Wednesday's comes next (Tuesday is not one of its days).
    assert next_reminder(at(2026, 12, 7, 18, 1), LONDON, settings, always).at == \
        at(2026, 12, 9, 18)


def test_only_when_the_routine_is_due_and_not_on_a_paused_day():
    done_monday = {date(2026, 12, 7)}
    settings = ReminderSettings(enabled=True, routines=(CORE,), morning_check=None,
                                paused_on=date(2026, 12, 9))
    found = next_reminder(at(2026, 12, 7, 9), LONDON, settings,
                          lambda _e, day: day not in done_monday)
    assert found.at == at(2026, 12, 11, 18)  # Monday done, Wednesday paused: Friday


def test_reminders_at_the_same_minute_come_as_one():
    settings = ReminderSettings(enabled=True, routines=(CORE, WALK), morning_check=None)
    found = next_reminder(at(2026, 12, 7, 8), LONDON, settings, always)
    assert found == Reminder(at(2026, 12, 7, 18), ("Core strength", "Easy walk"),
                             ("/r/core.yaml", "/r/walk.yaml"))
    assert reminder_text(found) == "Time for Core strength, Easy walk."


def test_the_morning_check_has_its_own_time():
    settings = ReminderSettings(enabled=True, routines=(CORE,), morning_check=time(8, 0))
    found = next_reminder(at(2026, 12, 8, 6), LONDON, settings, always,
                          morning_check_due=lambda moment: moment.date() == date(2026, 12, 8))
    assert found == Reminder(at(2026, 12, 8, 8), morning_check=True)
    assert "this morning" in reminder_text(found)


def test_local_times_stay_local_across_a_daylight_saving_change():
    # Clocks go forward on Sunday 29 March 2026 in London: 18:00 is 17:00 UTC after it.
    settings = ReminderSettings(enabled=True, routines=(WALK,), morning_check=None)
    saturday_evening = at(2026, 3, 28, 18, 30)
    found = next_reminder(saturday_evening, LONDON, settings, always)
    assert found.at == at(2026, 3, 29, 7, 30)
    assert found.at.astimezone(ZoneInfo("UTC")).hour == 6
    assert milliseconds_until(found, saturday_evening) == 12 * 3600 * 1000  # 13 h of wall clock, 12 h of real time


def test_a_reminder_found_long_after_its_moment_is_stale():
    reminder = Reminder(at(2026, 12, 7, 18), ("Core strength",))
    assert not reminder.is_stale(reminder.at + LATE_REMINDER_GRACE)
    assert reminder.is_stale(reminder.at + LATE_REMINDER_GRACE + timedelta(seconds=1))
    assert milliseconds_until(reminder, reminder.at + timedelta(seconds=5)) == 0


def test_settings_round_trip_through_the_settings_file():
    from player.core.reminders import settings_from_json, settings_to_json

    settings = ReminderSettings(enabled=True, routines=(CORE, WALK), morning_check=None,
                                paused_on=date(2026, 12, 7), start_with_desktop=True)
    assert settings_from_json(settings_to_json(settings)) == (settings, [])
    assert settings_from_json(None) == (ReminderSettings(), [])


def test_settings_edited_by_hand_keep_what_is_usable_and_say_what_is_not():
    from player.core.reminders import settings_from_json

    loaded, problems = settings_from_json({
        "enabled": True,
        "routines": [{"path": "/r/a.yaml", "title": "A", "times": ["25:00"],
                      "weekdays": ["mon"]},
                     {"path": "/r/b.yaml", "title": "B", "times": ["7:30"], "weekdays": []},
                     {"path": "/r/c.yaml", "title": "C", "times": ["7:30"],
                      "weekdays": ["tue"]},
                     "nonsense"],
        "morning_check": "8 o'clock",
        "paused_on": "yesterday",
    })
    assert [r.title for r in loaded.routines] == ["C"]
    assert loaded.enabled and loaded.morning_check == time(8, 0)
    assert len(problems) == 5
    assert any("hours go from 00 to 23" in p for p in problems)
    assert any("at least one day" in p for p in problems)
    assert settings_from_json([1, 2])[1] != []
