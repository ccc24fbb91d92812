"""The runner's week in the window: reminders, from the tray where the desktop has one.

Installed after the care features (it reads the history they opened). Adds Session >
Reminders…; keeps one :class:`~player.ui.controllers.reminders.ReminderTimer` armed for the
next reminder; shows each reminder as a desktop notification from the tray icon, or, with no
tray, in the window's message strip. With reminders on and a tray, closing the window keeps
the app in the tray (said once, plainly); File > Quit and the tray's Quit end it. The
autostart entry follows the "start when I log in" setting.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon, QPixmapCache
from PySide6.QtWidgets import QApplication, QMessageBox

from player.core.breaks import (
    DESK_ROUTINE_FILE,
    SITTING_BREAK_MINUTES,
    DeskBreak,
    SittingClock,
    breaks_summary,
)
from player.core.breaks import (
    REMINDER_TEXT as BREAK_TEXT,
)
from player.core.breaks import (
    REMINDER_TITLE as BREAK_TITLE,
)
from player.core.bundled import APP_ICON_FILE, ROUTINES_DIR
from player.core.history import Session as StoredSession
from player.core.localtime import local_now, local_zone
from player.core.pain import morning_after_due
from player.core.reminders import (
    MISSING_ROUTINE,
    Reminder,
    ReminderSettings,
    RoutineReminder,
    next_reminder,
    reminder_text,
)
from player.core.today import due_on, routine_today, standing_words
from player.core.wake_times import ms_to_look_again, ms_to_minute
from player.store.db import StoreError
from player.ui.controllers import idle_probe
from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.library_model import RoutineLibrary
from player.ui.controllers.reminders import ReminderTimer, Tray
from player.ui.dialogs.reminders_dialog import (
    RemindersDialog,
    ScheduledRoutine,
    SittingBreakQuestion,
)
from player.ui.widgets.today_panel import TodayPanel, TodayRow

if TYPE_CHECKING:
    from collections.abc import Callable

    from player.core.routine import Routine
    from player.ui.care_features import CareFeatures
    from player.ui.controllers.session_controller import SessionController
    from player.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: The settings flag set once closing to the tray has been explained.
TRAY_EXPLAINED_FLAG = "tray_close_explained"
#: The settings flag set once the own cadence has been asked (asked once only).
OWN_CADENCE_ASKED_FLAG = "own_cadence_asked"
#: How long after sitting breaks are turned on (at start-up: once it is done) the desktop's
#: idle time is first asked: that question connects to the session bus and finds the idle
#: service, a one-off cost paid then rather than at the first break, in the tray's quiet.
#: After it, the idle time is asked once a break, at it.
FIRST_IDLE_QUESTION_MS: Final = 5000
#: The option the autostart entry starts the app with (see :mod:`player.app`).
IN_TRAY_OPTION = "--in-tray"


class WeekHost(Protocol):
    """What the week's features need of the application (:class:`player.ui.application.App`)."""

    window: MainWindow
    controller: SessionController
    settings: AppSettings
    library: RoutineLibrary
    care: CareFeatures | None


class WeekFeatures(QObject):
    """Reminders and the tray (see the module's docstring)."""

    def __init__(self, app: WeekHost, now: Callable[[], datetime] | None = None,
                 tray_available: Callable[[], bool] | None = None,
                 idle: idle_probe.IdleProbe | None = None) -> None:
        super().__init__(app.window)
        #: Asks the desktop how long the computer has been left alone (sitting breaks).
        self.idle = idle or idle_probe.platform_idle_probe()
        #: Whether the desktop said the idle time when last asked (None: not asked yet).
        self.idle_known: bool | None = None
        self.app = app
        self.window = app.window
        self.settings = app.settings
        self._now: Callable[[], datetime] = now or (lambda: local_now())
        self._tray_available = tray_available or (lambda: Tray.available())
        self.tray: Tray | None = None
        self.timer = ReminderTimer(self._now, self._find, parent=self)
        self.timer.fired.connect(self._on_timer_fired)
        self.reminders_action = self.window.session_menu.addAction(MENU_REMINDERS)
        self.reminders_action.triggered.connect(self.edit_reminders)
        self.cadence_action = self.window.session_menu.addAction(MENU_CADENCE)
        self.cadence_action.triggered.connect(self.ask_own_cadence)
        self.window.prepare_routine = self.prepare_routine
        self.window.hide_to_tray = self._hide_to_tray
        self.settings.reminders_changed.connect(self._apply)
        self.settings.reminders_changed.connect(self.refresh_today)
        self.last_shown: Reminder | None = None
        self._missing_pending: list[tuple[str, str]] = []  # (title, path) of files gone
        self.sitting: SittingClock | None = None
        self.break_timer = QTimer(self)
        self.break_timer.setSingleShot(True)
        self.break_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.break_timer.timeout.connect(self._on_break_timer_timeout)
        self.first_idle_timer = QTimer(self)
        self.first_idle_timer.setSingleShot(True)
        self.first_idle_timer.setInterval(FIRST_IDLE_QUESTION_MS)
        self.first_idle_timer.timeout.connect(self._on_first_idle_timer_timeout)
        app.controller.session_finished.connect(self._on_session_finished)
        self.window.page_shown.connect(self._on_page_shown)
        self._autostart: bool | None = None  # as last written (None: not yet looked at)
        self.today = TodayPanel()
        self.window.today_area.addWidget(self.today)
        self.today.start_requested.connect(self._on_today_start_requested)
        self.today.morning_check_requested.connect(self._on_morning_check_requested)
        app.library.entries_changed.connect(self.refresh_today)
        app.controller.session_finished.connect(self.refresh_today)
        self.settings.programme_starts_changed.connect(self.refresh_today)
        if app.care is not None:
            app.care.care.rating_recorded.connect(self.refresh_today)
        # A new day (or a check now open) shows when the person comes back to the window; no
        # timer of its own, so nothing more wakes the app while it waits.
        self.window.installEventFilter(self)

    # --- what is due -----------------------------------------------------------------------
    def reminders(self) -> ReminderSettings:
        """The reminder settings now."""
        return self.settings.reminders()[0]

    def scheduled_routines(self) -> list[ScheduledRoutine]:
        """The routines in the library that have a schedule (reminders can be set for them)."""
        out = []
        for entry in self.app.library.entries():
            if not entry.usable:
                continue
            routine = self.app.library.load(entry.path).routine
            if routine is None:
                continue
            s = routine.schedule
            if s.weekdays or s.times_per_week:
                out.append(ScheduledRoutine(str(entry.path), routine.title, s.weekdays))
        return out

    def _routine(self, path: str) -> Routine | None:
        if not Path(path).is_file():
            return None
        return self.app.library.load(Path(path)).routine

    def _sessions(self) -> tuple[StoredSession, ...]:
        care = self.app.care
        return care.sessions() if care is not None else ()

    def _due(self, entry: RoutineReminder, day: date) -> bool:
        routine = self._routine(entry.path)
        if routine is None:
            return True  # the reminder comes, and says the file is gone
        return due_on(routine, self._sessions(), day, self.settings.chosen_starts())

    def _morning_check_due(self, at: datetime) -> bool:
        care = self.app.care
        if care is None:
            return False
        starts = {s.id: s.started_at for s in self._sessions()}
        return morning_after_due(care.care.ratings, at, starts) is not None

    def _find(self, now: datetime) -> Reminder | None:
        return next_reminder(now, local_zone(), self.reminders(), self._due,
                             self._morning_check_due)

    # --- settings ----------------------------------------------------------------------------
    def start(self) -> None:
        """Apply the saved settings (tray, timer); say once what could not be read."""
        problems = self.settings.reminders()[1]
        if problems:
            self.window.show_status(problems[0], seconds=30)
        self._apply()
        self.refresh_today()

    def edit_reminders(self) -> None:
        """Session > Reminders…"""
        if self.idle_known is None:
            self._ask_idle()
        chosen = RemindersDialog.ask(self.window, self.scheduled_routines(), self.reminders(),
                                     self._tray_available(), self.idle_known is True)
        if chosen is not None:
            self.settings.set_reminders(chosen)

    def _apply(self) -> None:
        settings = self.reminders()
        if settings.enabled and self._tray_available():
            if self.tray is None:
                self.tray = Tray(QIcon(str(APP_ICON_FILE)), self)
                self.tray.open_requested.connect(self.show_window)
                self.tray.start_due_requested.connect(self.start_due)
                self.tray.pause_today_requested.connect(self.toggle_pause_today)
                self.tray.quit_requested.connect(self.window.quit)
                self.tray.message_clicked.connect(self.show_window)
            self.tray.set_paused_today(settings.paused_on == self._now().date())
            self.tray.set_due(tuple(self._due_titles()))
            self.tray.show()
            QApplication.setQuitOnLastWindowClosed(False)
        elif self.tray is not None:
            self.tray.hide()
            QApplication.setQuitOnLastWindowClosed(True)
        autostart = settings.start_with_desktop and settings.enabled
        # At start-up an entry not asked for is left be; after that it follows the setting.
        if autostart != self._autostart and (autostart or self._autostart is not None):
            self._write_autostart(autostart)
        self._autostart = autostart
        if settings.enabled:
            self.timer.rearm()
        else:
            self.timer.stop()
        if settings.sitting_breaks and self.sitting is None:
            self.sitting = SittingClock(self._now())
            if self.idle_known is None:
                self.first_idle_timer.start()
        elif not settings.sitting_breaks:
            self.sitting = None
            self.first_idle_timer.stop()
        self._arm_break()

    # --- the runner's own cadence -----------------------------------------------------------
    def prepare_routine(self, routine: Routine) -> Routine:
        """``routine`` with its cadence steps set above the runner's own cadence, asked the
        first time such a routine starts (once: "not now" plays the assumed beats)."""
        from player.core.cadence import uses_own_cadence, with_own_cadence

        if not uses_own_cadence(routine):
            return routine
        own = self.settings.own_cadence()
        if own is None and not self.settings.flag(OWN_CADENCE_ASKED_FLAG):
            self.settings.set_flag(OWN_CADENCE_ASKED_FLAG)
            own = self.ask_own_cadence()
        return with_own_cadence(routine, own)

    def ask_own_cadence(self) -> int | None:
        """Session > Your running cadence…: ask it (tap or type) and keep it."""
        from player.ui.dialogs.cadence_dialog import OwnCadenceDialog  # dialogs: when shown

        own = OwnCadenceDialog.ask(self.window, self.settings.own_cadence())
        if own is not None:
            self.settings.set_own_cadence(own)
            self.window.refresh_preview()  # its drill's beats, above the new cadence
        return own

    # --- the Today section -----------------------------------------------------------------
    def today_rows(self) -> list[TodayRow]:
        """Where each programme the person follows stands today, in library order.

        Followed: a scheduled routine played before, given a start in the preview, or with a
        reminder; the other bundled routines all have schedules too, and listing every one
        as due would bury what the person actually does.
        """
        today = self._now().date()
        sessions = self._sessions()
        starts = self.settings.chosen_starts()
        played = {s.routine_title for s in sessions}
        reminded = {Path(r.path) for r in self.reminders().routines}
        rows: list[TodayRow] = []
        seen: set[Path] = set()
        for entry in self.app.library.entries():
            # Only files the background check has read: none is loaded here, on the GUI
            # thread; the section is shown again when the check has listed them.
            if entry.path in seen or not entry.usable or not entry.checked:
                continue
            seen.add(entry.path)
            result = self.app.library.cached(entry.path)
            routine = None if result is None else result.routine
            standing = None if routine is None else routine_today(routine, sessions, today,
                                                                  starts)
            if standing is not None and (standing.programme.chosen or routine is not None
                                         and routine.title in played or entry.path in reminded):
                rows.append(TodayRow(entry.path, standing.title,
                                     standing_words(standing, today), standing.due_today))
        return rows

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Show today's state again each time the window is activated."""
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self.refresh_today()
        return super().eventFilter(watched, event)

    def refresh_today(self, *_args: object) -> None:
        """Show what is due today again (the history, the library, the day or a start changed)."""
        self.today.show_today(self.today_rows(), self._morning_check_due(self._now()))

    def _on_today_start_requested(self, path: Path) -> None:
        self.window.open_file(path, start=True)

    def _on_morning_check_requested(self) -> None:
        if self.app.care is not None:
            self.app.care.ask_morning_after(asked_for=True)
        self.refresh_today()

    def _write_autostart(self, enabled: bool) -> None:
        from player import desktop_entry  # imports subprocess: not on start-up's way

        try:
            desktop_entry.set_autostart(enabled, (IN_TRAY_OPTION,))
        except desktop_entry.UnsupportedPlatformError:
            pass
        except desktop_entry.DesktopEntryError as exc:
            self.window.show_status(AUTOSTART_FAILED.format(reason=exc), seconds=30)

    def _due_now(self) -> list[RoutineReminder]:
        """The reminded routines whose files are there and that are due today."""
        today = self._now().date()
        return [entry for entry in self.reminders().routines
                if (routine := self._routine(entry.path)) is not None
                and due_on(routine, self._sessions(), today, self.settings.chosen_starts())]

    def _due_titles(self) -> list[str]:
        return [entry.title for entry in self._due_now()]

    # --- the tray ----------------------------------------------------------------------------
    def _hide_to_tray(self) -> bool:
        if self.tray is None or not self.reminders().enabled or not self._tray_available():
            return False
        if not self.settings.flag(TRAY_EXPLAINED_FLAG):
            self.tray.notify(TRAY_TITLE, STILL_RUNNING)
            self.settings.set_flag(TRAY_EXPLAINED_FLAG)
        # Qt's pixmap cache looks every 30 s for pixmaps to drop, for as long as it holds any:
        # emptied, it stops, and a window in the tray wakes the app only for its reminders.
        QPixmapCache.clear()
        return True

    def show_window(self) -> None:
        """Bring the window back (from the tray)."""
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        if self._missing_pending:
            self._ask_missing()

    def start_due(self) -> None:
        """The tray's "Start …": open the first routine due today and start it."""
        due = self._due_now()
        if due:
            self.show_window()
            self.window.open_file(Path(due[0].path), start=True)

    def toggle_pause_today(self) -> None:
        """Pause reminders for today, or turn them back on."""
        settings = self.reminders()
        today = self._now().date()
        paused = None if settings.paused_on == today else today
        self.settings.set_reminders(replace(settings, paused_on=paused))

    # --- a reminder --------------------------------------------------------------------------
    def _on_timer_fired(self, reminder: Reminder) -> None:
        self.last_shown = reminder
        missing = [(t, p) for t, p in zip(reminder.titles, reminder.paths, strict=True)
                   if not Path(p).is_file()]
        text = reminder_text(reminder)
        if missing:
            text += " " + MISSING_FILE_NOTE.format(titles=", ".join(t for t, _ in missing))
        if self.tray is not None and self._tray_available():
            self.tray.notify(TRAY_TITLE, text)
            self.tray.set_due(tuple(self._due_titles()))
        if self.window.isVisible():
            self.window.show_status(text, seconds=120)
        self.refresh_today()
        self._missing_pending += [m for m in missing if m not in self._missing_pending]
        if self.window.isVisible():
            self._ask_missing()

    def _ask_missing(self) -> None:
        """Offer to remove each reminder whose file is gone (asked with the window shown: in
        the tray, the notification says so and the question waits for the window)."""
        pending, self._missing_pending = self._missing_pending, []
        for title, path in pending:
            self._offer_to_remove(title, path)

    def _offer_to_remove(self, title: str, path: str) -> None:
        if MissingRoutineQuestion.ask(self.window, MISSING_ROUTINE.format(title=title, path=path)):
            settings = self.reminders()
            kept = tuple(r for r in settings.routines if r.path != path)
            self.settings.set_reminders(replace(settings, routines=kept))


    # --- sitting breaks ------------------------------------------------------------------------
    def _arm_break(self) -> None:
        """Wake at the break, put on its whole minute, or on the next quarter hour to look
        again if sooner (the clock may have changed, or the computer slept): on the wakes the
        reminders' timer makes too (:mod:`player.core.wake_times`)."""
        if self.sitting is None:
            self.break_timer.stop()
            return
        now = self._now()
        due_ms = self.sitting.wait(now) // timedelta(milliseconds=1)
        self.break_timer.start(min(ms_to_minute(now, due_ms), ms_to_look_again(now)))

    def _on_first_idle_timer_timeout(self) -> None:
        if self.sitting is not None and self.idle_known is None:
            self._ask_idle()  # connects and finds the service; the answer changes nothing yet

    def _ask_idle(self) -> timedelta | None:
        """The desktop's idle time now (None where it does not say; then wall time counts)."""
        idle_for = self.idle.idle_time()
        if (idle_for is not None) != self.idle_known:
            log.info("idle time from the desktop: %s", "yes" if idle_for is not None else "no")
        self.idle_known = idle_for is not None
        return idle_for

    def _on_session_finished(self, _played_to_end: bool) -> None:
        if self.sitting is not None:  # a session is a spell of moving: count from its end
            self.sitting = SittingClock(self._now(), self.sitting.interval)
            self._arm_break()

    def _on_break_timer_timeout(self) -> None:
        now = self._now()
        sitting = self.sitting
        if sitting is None:
            return
        if not sitting.is_due(now):
            self._arm_break()
            return
        # Asked once a break, at it: away long enough, no reminder comes to an empty chair,
        # and the half hour counts again from now.
        idle_for = self._ask_idle()
        if idle_for is not None:
            sitting.idle(idle_for, now)
        if not sitting.is_due(now):
            self._arm_break()
            return
        if self.app.controller.in_play or not self.window.isVisible():
            if self.tray is not None and not self.window.isVisible():
                self.tray.notify(BREAK_TITLE, BREAK_TEXT.format(minutes=SITTING_BREAK_MINUTES))
            self.sitting = SittingClock(now, sitting.interval)
            self._arm_break()
            return
        action = SittingBreakQuestion.ask(self.window, SITTING_BREAK_MINUTES)
        now = self._now()
        care = self.app.care
        if care is not None and care.store is not None:
            try:
                care.store.add_desk_break(DeskBreak(now, action))
            except StoreError as exc:
                self.window.show_status(str(exc), seconds=30)
        sitting.answered(action, now)
        self._arm_break()
        if action == "taken":
            self.window.open_file(ROUTINES_DIR / DESK_ROUTINE_FILE, start=True)

    def _on_page_shown(self, page: object) -> None:
        from player.ui.pages.history_view import HistoryView

        if page is self.window.library_page:
            self.refresh_today()
        care = self.app.care
        if not isinstance(page, HistoryView) or care is None or care.store is None:
            return
        since = self._now() - timedelta(days=7)
        try:
            breaks = care.store.desk_breaks()
        except StoreError:
            return
        on = self.reminders().sitting_breaks
        page.set_breaks(breaks_summary(breaks, since) if on or breaks else "")


class MissingRoutineQuestion:
    """Asks whether to remove a reminder whose routine file is gone (tests replace it)."""

    @classmethod
    def ask(cls, parent: MainWindow, text: str) -> bool:
        """True to remove it."""
        box = QMessageBox(QMessageBox.Icon.Question, TRAY_TITLE, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # titles come from other people's files
        return box.exec() == QMessageBox.StandardButton.Yes


def install_week(app: WeekHost) -> WeekFeatures:
    """Wire reminders and the tray into ``app``'s window (after the care features)."""
    features = WeekFeatures(app)
    features.start()
    return features


# User-visible text, in one place for translation.
MENU_REMINDERS = "&Reminders\u2026"
MENU_CADENCE = "Your running &cadence\u2026"
TRAY_TITLE = "Routine Player"
STILL_RUNNING = ("Routine Player keeps running here for your reminders. Quit it from this "
                 "icon's menu, or turn reminders off in Session > Reminders.")
MISSING_FILE_NOTE = ("The file of {titles} is no longer there: open Routine Player to remove "
                     "the reminder.")
AUTOSTART_FAILED = "Could not set Routine Player to start when you log in: {reason}"
