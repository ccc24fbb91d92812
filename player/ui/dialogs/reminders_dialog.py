"""The reminder settings: which routines, at what times, on which days; the morning check;
starting with the desktop.

What is typed is checked as it is typed (:mod:`player.core.reminders`): a time like ``25:00``
or a routine with no day ticked is refused in its field, with the reason beside it, and OK
stays disabled until every field can be used. Titles come from routine files written by
other people, so every label is plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from player.core.breaks import (
    AWAY_RESETS_AFTER,
    SITTING_BREAK_MINUTES,
    SNOOZE_MINUTES,
    BreakAction,
)
from player.core.breaks import REMINDER_TEXT as BREAK_TEXT
from player.core.breaks import REMINDER_TITLE as BREAK_TITLE
from player.core.breaks import SKIP as BREAK_SKIP
from player.core.breaks import SNOOZE as BREAK_SNOOZE
from player.core.breaks import TAKE as BREAK_TAKE
from player.core.reminders import (
    DEFAULT_MORNING_TIME,
    DEFAULT_TIME,
    ReminderSettingError,
    ReminderSettings,
    RoutineReminder,
    parse_time,
    parse_times,
    parse_weekdays,
)
from player.core.text import without_bidi_controls
from player.core.today import WEEKDAY_NAMES
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole

#: Minutes away that restart the sitting count (said in the setting).
AWAY_MINUTES = int(AWAY_RESETS_AFTER.total_seconds() // 60)


@dataclass(frozen=True)
class ScheduledRoutine:
    """A routine that can have reminders: its file, title and prescribed weekdays."""

    path: str
    title: str
    weekdays: tuple[str, ...] = ()
    """Its own days (a reminder's default); empty for "times a week"."""


class _RoutineRow:
    """One routine's checkbox, times field, day boxes and error text."""

    def __init__(self, routine: ScheduledRoutine, current: RoutineReminder | None) -> None:
        self.routine = routine
        self.enabled = QCheckBox(without_bidi_controls(routine.title))
        self.enabled.setChecked(current is not None)
        times = current.times if current else (DEFAULT_TIME,)
        self.times = QLineEdit(", ".join(t.strftime("%H:%M") for t in times))
        self.times.setAccessibleName(without_bidi_controls(TIMES_NAME.format(title=routine.title)))
        self.times.setToolTip(TIMES_HINT)
        days = current.weekdays if current else (routine.weekdays or WEEKDAY_NAMES)
        self.days = {}
        for name, label in zip(WEEKDAY_NAMES, DAY_LABELS, strict=True):
            box = QCheckBox(label)
            box.setChecked(name in days)
            self.days[name] = box
        self.error = TextLabel("", TextRole.SMALL, wrap=True)

    def value(self) -> RoutineReminder | None:
        """The reminder this row sets (None: off); raises with the reason when unusable."""
        if not self.enabled.isChecked():
            return None
        times = parse_times(self.times.text())
        days = parse_weekdays(d for d, box in self.days.items() if box.isChecked())
        return RoutineReminder(self.routine.path, self.routine.title, times, days)


class RemindersDialog(QDialog):
    """Edit :class:`ReminderSettings`; :meth:`settings` is the result after OK."""

    def __init__(self, routines: list[ScheduledRoutine], current: ReminderSettings,
                 tray_available: bool, idle_known: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._current = current
        layout = QVBoxLayout(self)
        self.enabled = QCheckBox(ENABLE)
        self.enabled.setChecked(current.enabled)
        layout.addWidget(self.enabled)
        if not tray_available:
            self.no_tray = TextLabel(NO_TRAY, TextRole.SMALL, wrap=True, dim=True)
            layout.addWidget(self.no_tray)
        grid = QGridLayout()
        by_path = {r.path: r for r in current.routines}
        self.rows: list[_RoutineRow] = []
        if not routines:
            layout.addWidget(TextLabel(NO_ROUTINES, wrap=True))
        for n, routine in enumerate(routines):
            row = _RoutineRow(routine, by_path.get(routine.path))
            self.rows.append(row)
            grid.addWidget(row.enabled, 3 * n, 0)
            grid.addWidget(row.times, 3 * n, 1)
            days = QHBoxLayout()
            for box in row.days.values():
                days.addWidget(box)
                box.toggled.connect(self._check)
            days.addStretch(1)
            grid.addLayout(days, 3 * n + 1, 1)
            grid.addWidget(row.error, 3 * n + 2, 1)
            row.enabled.toggled.connect(self._check)
            row.times.textChanged.connect(self._check)
        layout.addLayout(grid)
        morning = QHBoxLayout()
        self.morning = QCheckBox(MORNING)
        self.morning.setChecked(current.morning_check is not None)
        self.morning_time = QLineEdit((current.morning_check or DEFAULT_MORNING_TIME)
                                      .strftime("%H:%M"))
        self.morning_time.setAccessibleName(MORNING)
        self.morning_error = TextLabel("", TextRole.SMALL, wrap=True)
        morning.addWidget(self.morning)
        morning.addWidget(self.morning_time)
        layout.addLayout(morning)
        layout.addWidget(self.morning_error)
        self.morning.toggled.connect(self._check)
        self.morning_time.textChanged.connect(self._check)
        self.sitting = QCheckBox(SITTING.format(minutes=SITTING_BREAK_MINUTES))
        self.sitting.setChecked(current.sitting_breaks)
        layout.addWidget(self.sitting)
        #: How the spell at the computer is counted: the desktop's idle time, or wall time.
        self.sitting_note = TextLabel(
            SITTING_IDLE.format(minutes=AWAY_MINUTES) if idle_known else SITTING_WALL.format(minutes=SNOOZE_MINUTES),
            TextRole.SMALL, wrap=True, dim=True)
        layout.addWidget(self.sitting_note)
        self.autostart = QCheckBox(AUTOSTART)
        self.autostart.setChecked(current.start_with_desktop)
        layout.addWidget(self.autostart)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> bool:
        ok = True
        for row in self.rows:
            try:
                row.value()
                row.error.setText("")
            except ReminderSettingError as exc:
                row.error.setText(str(exc))
                ok = False
        try:
            self._morning_value()
            self.morning_error.setText("")
        except ReminderSettingError as exc:
            self.morning_error.setText(str(exc))
            ok = False
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(ok)
        return ok

    def _morning_value(self) -> time | None:
        return parse_time(self.morning_time.text()) if self.morning.isChecked() else None

    def settings(self) -> ReminderSettings:
        """The settings as the fields say (call after OK: every field is then usable)."""
        chosen = tuple(r for r in (row.value() for row in self.rows) if r is not None)
        return replace(self._current, enabled=self.enabled.isChecked(), routines=chosen,
                       morning_check=self._morning_value(),
                       start_with_desktop=self.autostart.isChecked(),
                       sitting_breaks=self.sitting.isChecked())

    @classmethod
    def ask(cls, parent: QWidget | None, routines: list[ScheduledRoutine],
            current: ReminderSettings, tray_available: bool,
            idle_known: bool = True) -> ReminderSettings | None:
        """The new settings, or None when cancelled (``idle_known``: the desktop says how
        long the computer has been left alone)."""
        dialog = cls(routines, current, tray_available, idle_known, parent)
        return dialog.settings() if dialog.exec() == QDialog.DialogCode.Accepted else None


class SittingBreakQuestion:
    """"Time to stand up": take the desk break, snooze it, or not now (tests replace it)."""

    @classmethod
    def ask(cls, parent: QWidget | None, minutes: int) -> BreakAction:
        """What the person chose ("skipped" when the box is closed)."""
        box = QMessageBox(parent)
        box.setWindowTitle(BREAK_TITLE)
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(BREAK_TEXT.format(minutes=minutes))
        take = box.addButton(BREAK_TAKE, QMessageBox.ButtonRole.AcceptRole)
        snooze = box.addButton(BREAK_SNOOZE.format(minutes=SNOOZE_MINUTES),
                               QMessageBox.ButtonRole.ActionRole)
        box.addButton(BREAK_SKIP, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(take)
        box.exec()
        clicked = box.clickedButton()
        if clicked is take:
            return "taken"
        if clicked is snooze:
            return "snoozed"
        return "skipped"


# User-visible text, in one place for translation.
TITLE = "Reminders"
SITTING = "Remind me to stand up and move every {minutes} minutes at the computer"
SITTING_IDLE = ("Away from the keyboard and mouse for {minutes} minutes or more when a "
                "reminder is due, as your desktop reports: no reminder comes, and the count "
                "starts again.")
SITTING_WALL = ("Your desktop does not say when the computer is left alone, so this counts the "
                "time Routine Player is running, away or not. \"In {minutes} minutes\" puts a "
                "reminder off.")
ENABLE = "Remind me on the days my routines are due"
NO_TRAY = ("Your desktop shows no tray icons, so reminders come only while the window is "
           "open, as a message at its top.")
NO_ROUTINES = "None of your routines has a schedule, so there is nothing to remind you of."
TIMES_NAME = "Reminder times for {title}"
TIMES_HINT = "One or more times of day, for example 7:30, 18:00"
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MORNING = "Remind me of the next-morning pain check at"
AUTOSTART = "Start Routine Player in the tray when I log in (Linux)"
