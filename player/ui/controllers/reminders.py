"""The reminders' one timer, and the tray icon that shows them.

:class:`ReminderTimer` asks :func:`player.core.reminders.next_reminder` (through the ``find``
function it is given) for the next reminder and waits for it with one precise single-shot
timer, woken at the latest on the next quarter hour of the clock to look again (so a changed
clock, a resumed laptop or a routine done meanwhile is noticed; 4 wake-ups an hour when idle,
on the quarter hours the app's other look-again timers wake on too:
:mod:`player.core.wake_times`). A reminder found too late (the computer slept through it) is
dropped, not shown hours late.

:class:`Tray` is the system-tray icon with its menu (open, start what is due, pause reminders
for today, quit); where the desktop has no tray, :meth:`Tray.available` says so and the window
shows reminders in its message strip instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from player.core.reminders import Reminder, milliseconds_until
from player.core.wake_times import ms_to_look_again


class ReminderTimer(QObject):
    """Emits :attr:`fired` with each reminder at its moment (see the module's docstring)."""

    fired = Signal(object)
    """A :class:`~player.core.reminders.Reminder` that is due now."""

    def __init__(self, now: Callable[[], datetime],
                 find: Callable[[datetime], Reminder | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._find = find
        self._next: Reminder | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def next_reminder(self) -> Reminder | None:
        """The reminder waited for, if any."""
        return self._next

    @property
    def wait_ms(self) -> int | None:
        """How long the timer is set for (None: not running)."""
        return self._timer.interval() if self._timer.isActive() else None

    def rearm(self) -> None:
        """Look for the next reminder again (after the settings or the history changed)."""
        self._next = self._find(self._now())
        if self._next is None:
            self._timer.stop()
            return
        now = self._now()
        self._timer.start(min(milliseconds_until(self._next, now), ms_to_look_again(now)))

    def stop(self) -> None:
        """No more reminders until :meth:`rearm`."""
        self._next = None
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        due = self._next
        now = self._now()
        if due is not None and milliseconds_until(due, now) == 0:
            self._next = None
            if not due.is_stale(now):
                self.fired.emit(due)
        self.rearm()


class Tray(QObject):
    """The tray icon and its menu; signals say what the person chose."""

    open_requested = Signal()
    start_due_requested = Signal()
    pause_today_requested = Signal()
    quit_requested = Signal()
    message_clicked = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu()
        self.open_action = self._action(OPEN, self.open_requested)
        self.start_action = self._action(START_DUE, self.start_due_requested)
        self.pause_action = self._action(PAUSE_TODAY, self.pause_today_requested)
        self.menu.addSeparator()
        self.quit_action = self._action(QUIT, self.quit_requested)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip(TOOLTIP)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_icon_activated)
        self.icon.messageClicked.connect(self.message_clicked)

    @staticmethod
    def available() -> bool:
        """True when the desktop shows tray icons."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def _action(self, text: str, signal: SignalInstance) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(signal)
        return action

    def set_due(self, titles: tuple[str, ...]) -> None:
        """Offer to start what is due (the first of ``titles``), or grey the item out."""
        self.start_action.setEnabled(bool(titles))
        self.start_action.setText(START_TITLE.format(title=titles[0]) if titles else START_DUE)

    def set_paused_today(self, paused: bool) -> None:
        """Show whether reminders are paused for today."""
        self.pause_action.setText(RESUME_TODAY if paused else PAUSE_TODAY)

    def show(self) -> None:
        """Put the icon in the tray."""
        self.icon.show()

    def hide(self) -> None:
        """Take it out."""
        self.icon.hide()

    def notify(self, title: str, text: str) -> None:
        """A desktop notification from the icon."""
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information)

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()


# User-visible text, in one place for translation.
TOOLTIP = "Routine Player: reminders are on"
OPEN = "Open Routine Player"
START_DUE = "Start what is due"
START_TITLE = "Start {title}"
PAUSE_TODAY = "Pause reminders for today"
RESUME_TODAY = "Reminders are paused for today: turn them back on"
QUIT = "Quit"
