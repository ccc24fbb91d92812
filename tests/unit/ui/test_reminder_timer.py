"""The reminders' timer with a fake clock, and the tray's menu."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtGui import QIcon

from player.core.reminders import ReminderSettings, RoutineReminder, next_reminder
from player.ui.controllers.reminders import ReminderTimer, Tray

LONDON = ZoneInfo("Europe/London")
CORE = RoutineReminder("/r/core.yaml", "Core strength", (time(18, 0),))


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def make_timer(qtbot, clock: Clock, done: set[date] | None = None) -> tuple[ReminderTimer, list]:
    settings = ReminderSettings(enabled=True, routines=(CORE,), morning_check=None)
    done = done if done is not None else set()
    timer = ReminderTimer(clock, lambda now: next_reminder(
        now, LONDON, settings, lambda _e, day: day not in done))
    fired: list = []
    timer.fired.connect(fired.append)
    return timer, fired


QUARTER_MS = 15 * 60 * 1000


def test_it_sleeps_to_the_next_quarter_hour_at_most_and_fires_at_the_moment(qtbot):
    clock = Clock(datetime(2026, 12, 7, 9, 0, tzinfo=LONDON))
    timer, fired = make_timer(qtbot, clock)
    timer.rearm()
    assert timer.next_reminder.at == datetime(2026, 12, 7, 18, 0, tzinfo=LONDON)
    assert timer.wait_ms == QUARTER_MS
    clock.at += timedelta(minutes=15, milliseconds=2)  # woken a little late
    timer._on_timer_timeout()  # noqa: SLF001 - the timer's timeout, without waiting for it
    assert fired == [] and timer.wait_ms == QUARTER_MS - 2  # on the quarter hour again
    clock.at = datetime(2026, 12, 7, 9, 37, 30, tzinfo=LONDON)  # re-armed between them
    timer.rearm()
    assert timer.wait_ms == 7 * 60 * 1000 + 30_000  # to 9:45, where the other looks wake
    clock.at = datetime(2026, 12, 7, 17, 55, tzinfo=LONDON)
    timer.rearm()
    assert timer.wait_ms == 5 * 60 * 1000
    clock.at = datetime(2026, 12, 7, 18, 0, 0, 300_000, tzinfo=LONDON)
    timer._on_timer_timeout()  # noqa: SLF001
    assert [r.titles for r in fired] == [("Core strength",)]
    assert timer.next_reminder.at == datetime(2026, 12, 8, 18, 0, tzinfo=LONDON)


def test_a_reminder_slept_through_is_dropped_and_a_done_routine_is_not_reminded(qtbot):
    clock = Clock(datetime(2026, 12, 7, 17, 0, tzinfo=LONDON))
    done: set[date] = set()
    timer, fired = make_timer(qtbot, clock, done)
    timer.rearm()
    clock.at = datetime(2026, 12, 7, 21, 0, tzinfo=LONDON)  # the laptop slept from 17:00
    timer._on_timer_timeout()  # noqa: SLF001
    assert fired == []
    done.add(date(2026, 12, 8))
    timer.rearm()
    assert timer.next_reminder.at.date() == date(2026, 12, 9)
    timer.stop()
    assert timer.wait_ms is None and timer.next_reminder is None


def test_the_tray_menu_says_what_was_chosen(qtbot):
    tray = Tray(QIcon())
    seen: list[str] = []
    for name in ("open_requested", "start_due_requested", "pause_today_requested",
                 "quit_requested"):
        getattr(tray, name).connect(lambda name=name: seen.append(name))
    tray.set_due(())
    assert not tray.start_action.isEnabled()
    tray.set_due(("Core strength",))
    assert tray.start_action.isEnabled() and tray.start_action.text() == "Start Core strength"
    for action in (tray.open_action, tray.start_action, tray.pause_action, tray.quit_action):
        action.trigger()
    assert seen == ["open_requested", "start_due_requested", "pause_today_requested",
                    "quit_requested"]
    tray.set_paused_today(True)
    assert "paused" in tray.pause_action.text()
