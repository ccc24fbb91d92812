"""The reminder settings dialog: bad times and no days refused in the field, with the reason."""

from __future__ import annotations

from datetime import time

from PySide6.QtWidgets import QDialogButtonBox

from player.core.reminders import ReminderSettings, RoutineReminder
from player.ui.dialogs.reminders_dialog import RemindersDialog, ScheduledRoutine

CORE = ScheduledRoutine("/r/core.yaml", "Core <b>strength</b>", ("mon", "wed", "fri"))
WALK = ScheduledRoutine("/r/walk.yaml", "Easy walk")


def ok_enabled(dialog: RemindersDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_a_routine_ticked_gets_its_own_days_and_the_default_time(qtbot):
    dialog = RemindersDialog([CORE, WALK], ReminderSettings(), tray_available=True)
    qtbot.addWidget(dialog)
    dialog.enabled.setChecked(True)
    dialog.rows[0].enabled.setChecked(True)
    result = dialog.settings()
    assert result.enabled
    assert result.routines == (RoutineReminder("/r/core.yaml", "Core <b>strength</b>",
                                               (time(18, 0),), ("mon", "wed", "fri")),)
    assert dialog.rows[0].enabled.text() == "Core <b>strength</b>"  # shown as written


def test_25_00_is_refused_in_its_field_and_ok_waits(qtbot):
    dialog = RemindersDialog([CORE], ReminderSettings(), tray_available=True)
    qtbot.addWidget(dialog)
    row = dialog.rows[0]
    row.enabled.setChecked(True)
    row.times.setText("25:00")
    assert "hours go from 00 to 23" in row.error.text() and not ok_enabled(dialog)
    row.times.setText("7:30, 18:00")
    assert row.error.text() == "" and ok_enabled(dialog)
    for box in row.days.values():
        box.setChecked(False)
    assert "at least one day" in row.error.text() and not ok_enabled(dialog)
    row.enabled.setChecked(False)  # a routine without reminders needs no days
    assert ok_enabled(dialog)


def test_the_morning_check_time_is_checked_too_and_the_current_settings_are_shown(qtbot):
    current = ReminderSettings(enabled=True, routines=(
        RoutineReminder("/r/walk.yaml", "Easy walk", (time(7, 0),), ("sat", "sun")),),
        morning_check=None, start_with_desktop=True)
    dialog = RemindersDialog([CORE, WALK], current, tray_available=False)
    qtbot.addWidget(dialog)
    assert not dialog.rows[0].enabled.isChecked() and dialog.rows[1].enabled.isChecked()
    assert dialog.rows[1].times.text() == "07:00"
    assert [d for d, box in dialog.rows[1].days.items() if box.isChecked()] == ["sat", "sun"]
    assert "no tray icons" in dialog.no_tray.text()
    assert dialog.settings() == current
    dialog.morning.setChecked(True)
    dialog.morning_time.setText("8:75")
    assert "minutes go from 00 to 59" in dialog.morning_error.text() and not ok_enabled(dialog)
    dialog.morning_time.setText("08:15")
    assert dialog.settings().morning_check == time(8, 15)
