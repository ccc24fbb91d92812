"""Reminders in the real window: the menu, the timer on a fake wall clock, the tray, closing
to the tray and quitting, a routine file that disappeared."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QPixmap, QPixmapCache
from PySide6.QtWidgets import QApplication

from player.core.bundled import ROUTINES_DIR
from player.core.reminders import ReminderSettings, RoutineReminder
from player.settings import Settings
from player.ui import week_features
from player.ui.controllers.reminders import Tray
from player.ui.week_features import MissingRoutineQuestion

ZONE = ZoneInfo("Europe/London")
CORE = ROUTINES_DIR / "core-strength.yaml"


class WallClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)  # a Monday morning

    def __call__(self, zone: object = None) -> datetime:
        return self.at


@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> WallClock:
    clock = WallClock()
    monkeypatch.setattr(week_features, "local_now", clock)
    monkeypatch.setattr(week_features, "local_zone", lambda: ZONE)
    monkeypatch.setenv("TZ", "Europe/London")
    return clock


def settings_with(*reminders: RoutineReminder, enabled: bool = True) -> Settings:
    settings = Settings(spoken_cues=False, notice_accepted=True)
    settings.set_reminders(ReminderSettings(enabled=enabled, routines=reminders,
                                            morning_check=None))
    return settings


def test_the_menu_has_reminders_and_nothing_is_armed_while_they_are_off(make_harness, wall):
    h = make_harness(settings_with(enabled=False))
    h.show()
    assert h.app.week is not None
    assert h.app.week.reminders_action in h.window.session_menu.actions()
    assert h.app.week.timer.next_reminder is None
    scheduled = {r.title for r in h.app.week.scheduled_routines()}
    assert "Core strength for runners" in scheduled


def test_without_a_tray_the_reminder_comes_in_the_window(make_harness, wall, monkeypatch):
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: False))
    h = make_harness(settings_with(RoutineReminder(str(CORE), "Core strength for runners",
                                                   (time(18, 0),))))
    h.show()
    week = h.app.week
    assert week.tray is None
    assert week.timer.next_reminder.at == datetime(2026, 12, 7, 18, 0, tzinfo=ZONE)
    wall.at = datetime(2026, 12, 7, 18, 0, 1, tzinfo=ZONE)
    week.timer._on_timer_timeout()  # noqa: SLF001 - its timeout, without waiting
    assert "Time for Core strength for runners." in h.window.message_strip.text
    assert week.timer.next_reminder.at == datetime(2026, 12, 8, 18, 0, tzinfo=ZONE)


# The offscreen platform has no tray and cannot raise windows; it says so.
OFFSCREEN_TRAY = pytest.mark.qt_log_ignore("systemTrayWindowChanged", "does not support raise")


@OFFSCREEN_TRAY
def test_with_a_tray_closing_keeps_the_app_and_quit_ends_it(make_harness, wall, monkeypatch):
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    notes: list[tuple[str, str]] = []
    monkeypatch.setattr(Tray, "notify", lambda self, title, text: notes.append((title, text)))
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    h = make_harness(settings_with(RoutineReminder(str(CORE), "Core strength for runners",
                                                   (time(18, 0),))))
    h.show()
    week = h.app.week
    assert week.tray is not None and not QApplication.quitOnLastWindowClosed()
    assert week.tray.start_action.text() == "Start Core strength for runners"
    pixmap = QPixmap(8, 8)
    key = QPixmapCache.insert(pixmap)
    h.window.close()
    assert not h.window.isVisible() and quits == []
    # An empty pixmap cache stops its 30-second flush timer: nothing wakes the app but reminders.
    assert not QPixmapCache.find(key, QPixmap())
    assert len(notes) == 1 and "keeps running" in notes[0][1]
    week.show_window()
    h.window.close()
    assert len(notes) == 1  # said once
    week.show_window()
    week.tray.quit_action.trigger()
    h.settle()
    assert quits == [True]
    QApplication.setQuitOnLastWindowClosed(True)


@OFFSCREEN_TRAY
def test_pause_for_today_moves_the_next_reminder_to_tomorrow(make_harness, wall, monkeypatch):
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    monkeypatch.setattr(Tray, "notify", lambda self, title, text: None)
    h = make_harness(settings_with(RoutineReminder(str(CORE), "Core strength for runners",
                                                   (time(18, 0),))))
    h.show()
    week = h.app.week
    week.tray.pause_action.trigger()
    assert week.reminders().paused_on == wall.at.date()
    assert week.timer.next_reminder.at.date() == datetime(2026, 12, 8).date()
    assert "paused" in week.tray.pause_action.text()
    week.tray.pause_action.trigger()
    assert week.timer.next_reminder.at.date() == wall.at.date()
    QApplication.setQuitOnLastWindowClosed(True)


def test_a_routine_file_that_disappeared_is_said_and_its_reminder_can_go(
        make_harness, wall, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: False))
    gone = tmp_path / "gone.yaml"
    asked: list[str] = []
    monkeypatch.setattr(MissingRoutineQuestion, "ask",
                        classmethod(lambda cls, parent, text: asked.append(text) or True))
    h = make_harness(settings_with(RoutineReminder(str(gone), "Patient's own", (time(18, 0),))))
    h.show()
    week = h.app.week
    wall.at = datetime(2026, 12, 7, 18, 0, 5, tzinfo=ZONE)
    week.timer._on_timer_timeout()  # noqa: SLF001
    assert asked and "no longer there" in asked[0] and str(gone) in asked[0]
    assert week.reminders().routines == ()
    assert week.timer.next_reminder is None


@OFFSCREEN_TRAY
def test_started_in_the_tray_the_window_waits_unless_there_is_no_tray(
        make_harness, wall, monkeypatch):
    from player.ui.application import start_in_tray

    monkeypatch.setattr(Tray, "notify", lambda self, title, text: None)
    reminder = RoutineReminder(str(CORE), "Core strength for runners", (time(18, 0),))
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    h = make_harness(settings_with(reminder))
    start_in_tray(h.app)
    h.settle()
    assert h.app.week.tray is not None and not h.window.isVisible()
    h.app.week.tray.open_action.trigger()
    assert h.window.isVisible()
    QApplication.setQuitOnLastWindowClosed(True)


def test_started_in_the_tray_without_one_the_window_opens(make_harness, wall, monkeypatch):
    from player.ui.application import start_in_tray

    monkeypatch.setattr(Tray, "available", staticmethod(lambda: False))
    h = make_harness(settings_with(RoutineReminder(str(CORE), "Core", (time(18, 0),))))
    start_in_tray(h.app)
    h.settle()
    assert h.window.isVisible()


def sitting_settings() -> Settings:
    settings = Settings(spoken_cues=False, notice_accepted=True)
    settings.set_reminders(ReminderSettings(sitting_breaks=True, morning_check=None))
    return settings


def test_after_half_an_hour_it_offers_the_desk_break_and_records_it(make_harness, wall,
                                                                    monkeypatch):
    from player.ui.dialogs.reminders_dialog import SittingBreakQuestion
    from player.ui.pages.history_view import HistoryView

    answers = ["snoozed", "taken"]
    asked: list[int] = []
    monkeypatch.setattr(SittingBreakQuestion, "ask", classmethod(
        lambda cls, parent, minutes: asked.append(minutes) or answers.pop(0)))
    h = make_harness(sitting_settings())
    h.show()
    week = h.app.week
    assert week.break_timer.isActive() and week.break_timer.interval() == 15 * 60 * 1000
    wall.at = datetime(2026, 12, 7, 9, 29, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001 - its timeout, without waiting
    assert asked == [] and week.break_timer.interval() == 60 * 1000
    wall.at = datetime(2026, 12, 7, 9, 30, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert asked == [30]  # snoozed: again in half an hour
    assert not week.sitting.is_due(datetime(2026, 12, 7, 9, 59, tzinfo=ZONE))
    wall.at = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert asked == [30, 30]
    store = h.app.care.store
    assert [b.action for b in store.desk_breaks()] == ["snoozed", "taken"]
    assert h.app.controller.in_play
    assert h.app.controller.driver.engine.timeline.title == "Desk break"
    assert store.sessions()[-1].routine_title == "Desk break"  # played like any routine
    page = HistoryView()
    h.window.page_shown.emit(page)
    assert page.breaks_label.text() == "Sitting breaks: 1 desk break taken in the last 7 days."


def test_no_break_reminder_in_the_middle_of_a_session(make_harness, wall, monkeypatch):
    from player.ui.dialogs.reminders_dialog import SittingBreakQuestion

    monkeypatch.setattr(SittingBreakQuestion, "ask", classmethod(
        lambda cls, parent, minutes: pytest.fail("asked during a session")))
    h = make_harness(sitting_settings())
    h.show(CORE, start=True)
    assert h.app.controller.in_play
    wall.at = datetime(2026, 12, 7, 9, 45, tzinfo=ZONE)
    h.app.week._on_break_timer_timeout()  # noqa: SLF001
    assert h.app.week.sitting.due == datetime(2026, 12, 7, 10, 15, tzinfo=ZONE)


@OFFSCREEN_TRAY
def test_the_trays_start_plays_the_routine_that_is_due(make_harness, wall, monkeypatch):
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    h = make_harness(settings_with(RoutineReminder(str(CORE), "Core strength for runners",
                                                   (time(18, 0),))))
    h.show()
    h.app.week.tray.start_action.trigger()
    assert h.app.controller.in_play
    assert h.app.controller.driver.engine.timeline.title == "Core strength for runners"
    QApplication.setQuitOnLastWindowClosed(True)


@OFFSCREEN_TRAY
def test_in_the_tray_a_reminder_for_a_vanished_file_says_so_and_asks_when_opened(
        make_harness, wall, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    notes: list[str] = []
    monkeypatch.setattr(Tray, "notify", lambda self, title, text: notes.append(text))
    asked: list[str] = []
    monkeypatch.setattr(MissingRoutineQuestion, "ask",
                        classmethod(lambda cls, parent, text: asked.append(text) or True))
    gone = tmp_path / "gone.yaml"
    h = make_harness(settings_with(RoutineReminder(str(gone), "Patient's own", (time(18, 0),))))
    h.show()
    week = h.app.week
    h.window.close()  # to the tray
    assert not h.window.isVisible()
    wall.at = datetime(2026, 12, 7, 18, 0, 5, tzinfo=ZONE)
    week.timer._on_timer_timeout()  # noqa: SLF001
    assert "Time for Patient's own." in notes[-1] and "no longer there" in notes[-1]
    assert asked == []  # no question from a hidden window
    week.tray.open_action.trigger()
    assert h.window.isVisible()
    assert len(asked) == 1 and str(gone) in asked[0]
    assert week.reminders().routines == ()
    QApplication.setQuitOnLastWindowClosed(True)


def minutes_armed(week) -> float:
    return week.break_timer.interval() / 60_000


def test_the_desktops_idle_time_is_asked_once_soon_after_the_start_and_then_once_a_break(
        make_harness, wall, monkeypatch):
    from datetime import timedelta

    from player.ui.dialogs.reminders_dialog import SittingBreakQuestion

    asked: list[int] = []
    monkeypatch.setattr(SittingBreakQuestion, "ask", classmethod(
        lambda cls, parent, minutes: asked.append(minutes) or "skipped"))
    h = make_harness(sitting_settings())
    h.show()
    week = h.app.week
    week.idle.idle_for = timedelta(seconds=20)
    assert week.idle.asked == 0 and week.first_idle_timer.isActive()
    assert week.first_idle_timer.interval() == week_features.FIRST_IDLE_QUESTION_MS
    week.first_idle_timer.timeout.emit()  # connects and finds the service, off the break
    assert week.idle.asked == 1 and week.idle_known is True
    assert week.sitting.due == datetime(2026, 12, 7, 9, 30, tzinfo=ZONE)  # answer used later
    assert minutes_armed(week) == 15
    wall.at = datetime(2026, 12, 7, 9, 15, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001 - its timeout, without waiting
    assert week.idle.asked == 1 and minutes_armed(week) == 15  # nothing asked on the way
    week.idle.idle_for = timedelta(minutes=7)  # gone for a coffee
    wall.at = datetime(2026, 12, 7, 9, 30, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert week.idle.asked == 2 and asked == []  # no question to an empty chair
    assert week.sitting.due == datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)  # counted from now
    assert minutes_armed(week) == 15
    wall.at = datetime(2026, 12, 7, 9, 45, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert week.idle.asked == 2 and minutes_armed(week) == 15
    week.idle.idle_for = timedelta(minutes=4, seconds=59)  # back, not long enough away
    wall.at = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert week.idle.asked == 3 and asked == [30]  # at the computer at the half hour


def test_the_first_idle_question_is_not_asked_twice_nor_with_sitting_breaks_off(
        make_harness, wall, monkeypatch):
    from player.ui.dialogs.reminders_dialog import RemindersDialog

    h = make_harness(settings_with(RoutineReminder(str(CORE), "Core", (time(18, 0),))))
    h.show()
    week = h.app.week
    assert not week.first_idle_timer.isActive() and week.sitting is None  # breaks off
    week.first_idle_timer.timeout.emit()
    assert week.idle.asked == 0
    h.app.settings.set_reminders(replace(week.reminders(), sitting_breaks=True))
    assert week.first_idle_timer.isActive()  # turned on: asked soon
    monkeypatch.setattr(RemindersDialog, "ask", classmethod(lambda cls, *args: None))
    week.edit_reminders()  # the dialog asked meanwhile, to say how the count works
    assert week.idle.asked == 1
    week.first_idle_timer.timeout.emit()
    assert week.idle.asked == 1  # known already: not asked again
    h.app.settings.set_reminders(replace(week.reminders(), sitting_breaks=False))
    assert not week.first_idle_timer.isActive() and week.sitting is None
    h.app.settings.set_reminders(replace(week.reminders(), sitting_breaks=True))
    assert not week.first_idle_timer.isActive()  # on again: the answer is known


def test_without_idle_time_from_the_desktop_wall_time_counts_and_the_setting_says_so(
        make_harness, wall, monkeypatch):
    from player.ui.dialogs import reminders_dialog
    from player.ui.dialogs.reminders_dialog import RemindersDialog, SittingBreakQuestion

    asked: list[int] = []
    monkeypatch.setattr(SittingBreakQuestion, "ask", classmethod(
        lambda cls, parent, minutes: asked.append(minutes) or "skipped"))
    shown: list[bool] = []
    monkeypatch.setattr(RemindersDialog, "ask", classmethod(
        lambda cls, parent, routines, current, tray, idle_known: shown.append(idle_known)))
    h = make_harness(sitting_settings())
    h.show()
    week = h.app.week
    assert week.idle.idle_for is None  # this desktop does not say
    h.app.week.edit_reminders()
    assert shown == [False] and week.idle_known is False
    wall.at = datetime(2026, 12, 7, 9, 15, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert minutes_armed(week) == 15  # straight to the break: nothing to ask on the way
    wall.at = datetime(2026, 12, 7, 9, 30, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert asked == [30]
    wall_time = RemindersDialog([], ReminderSettings(), True, idle_known=False)
    assert "does not say when the computer is left alone" in wall_time.sitting_note.text()
    assert "In 30 minutes" in wall_time.sitting_note.text()
    idle_time = RemindersDialog([], ReminderSettings(), True, idle_known=True)
    assert idle_time.sitting_note.text() == reminders_dialog.SITTING_IDLE.format(minutes=5)


@OFFSCREEN_TRAY
def test_in_the_tray_every_timer_that_looks_again_wakes_on_the_same_quarter_hour(
        make_harness, monkeypatch):
    from datetime import timedelta

    # The real clock here: the collector and the morning look read it too.
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    later = (datetime.now() + timedelta(hours=3)).time().replace(second=0, microsecond=0)
    settings = settings_with(RoutineReminder(str(CORE), "Core strength for runners", (later,)))
    settings.set_reminders(replace(settings.reminders()[0], sitting_breaks=True))
    h = make_harness(settings)
    h.show()
    h.window.close()  # to the tray
    assert not h.window.isVisible()
    timers = {"reminders": h.app.week.timer._timer,  # noqa: SLF001 - their timers
              "sitting break": h.app.week.break_timer,
              "morning check": h.app.care._morning_timer,  # noqa: SLF001
              "collector": h.app.collector._timer}  # noqa: SLF001
    now = datetime.now().astimezone()
    ends = {name: now + timedelta(milliseconds=t.remainingTime()) for name, t in timers.items()}
    assert all(t.isActive() for t in timers.values())
    def off_a_quarter(at: datetime) -> float:
        off = (at.minute % 15) * 60 + at.second + at.microsecond / 1e6
        return min(off, 15 * 60 - off)

    assert all(off_a_quarter(end) < 1 for end in ends.values()), ends
    if timedelta(seconds=3) < min(ends.values()) - now:  # not armed on either side of one
        assert max(ends.values()) - min(ends.values()) < timedelta(seconds=1), ends  # one wake
    QApplication.setQuitOnLastWindowClosed(True)


def test_a_break_comes_on_its_whole_minute_where_the_other_timers_wake(make_harness, wall,
                                                                       monkeypatch):
    from player.ui.dialogs.reminders_dialog import SittingBreakQuestion

    asked: list[int] = []
    monkeypatch.setattr(SittingBreakQuestion, "ask", classmethod(
        lambda cls, parent, minutes: asked.append(minutes) or "skipped"))
    wall.at = datetime(2026, 12, 7, 9, 0, 12, tzinfo=ZONE)
    h = make_harness(sitting_settings())
    h.show()
    week = h.app.week
    assert week.sitting.due == datetime(2026, 12, 7, 9, 30, 12, tzinfo=ZONE)
    assert week.break_timer.interval() == (15 * 60 - 12) * 1000  # the quarter hour first
    wall.at = datetime(2026, 12, 7, 9, 29, 30, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001 - its timeout, without waiting
    assert week.break_timer.interval() == 30_000  # 9:30, the next quarter hour
    wall.at = datetime(2026, 12, 7, 9, 30, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert asked == [] and week.break_timer.interval() == 60_000  # due at 9:30:12: 9:31
    wall.at = datetime(2026, 12, 7, 9, 31, tzinfo=ZONE)
    week._on_break_timer_timeout()  # noqa: SLF001
    assert asked == [30]
