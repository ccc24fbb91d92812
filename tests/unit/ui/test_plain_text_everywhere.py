"""Text from a routine file is plain text in every widget and dialog the window shows.

A hostile routine (rich text, an ``<img>`` pointing at a file, an ``<a href>``, bidi overrides
and isolates in its title, names, description and notes) is opened in the real window: listed,
previewed, played, stopped, listed in the history and offered as an unfinished session. Every
dialog and message box is really built and shown (``exec`` is replaced by a walk of its widgets,
then a close), and every widget that exists at each step is walked: each label must be plain
text, and no text anywhere (labels, buttons, items, window titles, tooltips) may hold a bidi
control, so nothing from the file can reorder the app's own text ("00:03" after a right-to-left
override would read "30:00").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from player.core.text import BIDI_CONTROLS
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now
from player.ui.dialogs import (
    already_open,
    first_run,
    pain_dialogs,
    reminders_dialog,
    session_dialogs,
    symptoms_dialog,
    thermal_dialogs,
)
from player.ui.dialogs.history_dialogs import InterruptedDialog, NoticeDialog
from player.ui.dialogs.session_dialogs import ErrorDialog, StopDialog

RICH = '<img src="file:///etc/passwd"><a href="https://evil.example/">click</a> <b>bold</b>'
OVERRIDE = "\u202e00:03"  # a right-to-left override: "00:03" after it reads "30:00"
ISOLATE = "\u2067open isolate"  # never closed: everything after it would be inside
TITLE = f"{RICH} Core {OVERRIDE}"

ROUTINE = f"""\
format: 1
title: '{TITLE}'
description: '{RICH} {ISOLATE}'
author: '<i>A. Physio</i> {OVERRIDE}'
exercises:
  mine:
    name: 'Plank {OVERRIDE} <img src="file:///etc/passwd">'
    feel: '{RICH}'
    cautions: ['{RICH} {OVERRIDE}']
    instructions: ['{RICH} {ISOLATE}']
blocks:
  - name: 'Main {ISOLATE}'
    steps:
      - exercise: mine
        hold: 10s
        note: '{RICH} {OVERRIDE}'
      - rest: 5s
      - exercise: mine
        hold: 10s
"""

#: The dialogs' own entry points, taken before the conftest's fixtures replace them.
REAL = [(cls, name, vars(cls)[name]) for cls, name in (
    (InterruptedDialog, "ask"), (NoticeDialog, "show_notice"), (StopDialog, "ask"),
    (ErrorDialog, "show_error"), (session_dialogs.BarrierDialog, "ask"),
    (session_dialogs.SkinCheckDialog, "ask"), (pain_dialogs.HurtsDialog, "ask"),
    (pain_dialogs.InSessionAdvice, "ask"), (pain_dialogs.PainRatingDialog, "ask"),
    (symptoms_dialog.SymptomsDialog, "ask"), (first_run.FirstRunNotice, "ask"),
    (thermal_dialogs.ThermalScreenDialog, "ask"), (thermal_dialogs.ThermalWaitDialog, "ask"),
    (thermal_dialogs.SkinBackDialog, "ask"), (thermal_dialogs.DamagedRecordsDialog, "tell"))]

BROKEN = ROUTINE.replace("hold: 10s\n        note", "hold: soon\n        note")


def _has_bidi(text: str) -> bool:
    return any(c in BIDI_CONTROLS for c in text)


def _items(widget: QTreeWidget | QListWidget) -> Iterator[str]:
    if isinstance(widget, QListWidget):
        for i in range(widget.count()):
            item = widget.item(i)
            if item is not None:
                yield item.text()
                yield item.toolTip()
        return
    stack: list[QTreeWidgetItem] = [i for n in range(widget.topLevelItemCount())
                                    if (i := widget.topLevelItem(n)) is not None]
    while stack:
        item = stack.pop()
        for column in range(item.columnCount()):
            yield item.text(column)
            yield item.toolTip(column)
        stack += [c for n in range(item.childCount()) if (c := item.child(n)) is not None]


def problems_in(widget: QWidget) -> list[str]:
    """What is not plain, isolated text in ``widget`` and its children."""
    found = []
    for w in [widget, *widget.findChildren(QWidget)]:
        name = f"{type(w).__name__} {w.objectName()!r}"
        texts = [w.windowTitle(), w.toolTip(), w.accessibleName()]
        if w.toolTip() and GuiQt.mightBeRichText(w.toolTip()) and "evil" in w.toolTip():
            found.append(f"{name}: rich tooltip {w.toolTip()!r}")
        if isinstance(w, QLabel):
            texts.append(w.text())
            if w.text() and w.textFormat() != Qt.TextFormat.PlainText:
                found.append(f"{name}: {w.textFormat()} for {w.text()[:60]!r}")
            if w.openExternalLinks() and w.textFormat() != Qt.TextFormat.PlainText:
                found.append(f"{name}: opens links")
        if isinstance(w, QMessageBox):
            texts += [w.text(), w.informativeText(), w.detailedText()]
            if w.textFormat() != Qt.TextFormat.PlainText:
                found.append(f"{name}: message box in {w.textFormat()}")
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QTreeWidget | QListWidget):
            texts += list(_items(w))
        if isinstance(w, QTextEdit):
            texts.append(w.toPlainText())
            if "evil.example" in w.toHtml() and "href" in w.toHtml():
                found.append(f"{name}: a link from the file")
        found += [f"{name}: bidi control in {t[:60]!r}" for t in texts if _has_bidi(t)]
    return found


class Walker:
    """Walks every top-level widget now, and every dialog as it is shown."""

    def __init__(self, qapp: QApplication) -> None:
        self.qapp = qapp
        self.found: list[str] = []
        self.dialogs: list[str] = []

    def walk(self, where: str) -> None:
        self.qapp.processEvents()
        for top in self.qapp.topLevelWidgets():
            self.found += [f"{where}: {p}" for p in problems_in(top)]

    def exec_dialog(self, dialog: QDialog) -> int:
        dialog.show()
        self.qapp.processEvents()
        self.dialogs.append(type(dialog).__name__ + ": " + dialog.windowTitle())
        self.found += [f"{type(dialog).__name__}: {p}" for p in problems_in(dialog)]
        dialog.hide()
        return int(QDialog.DialogCode.Rejected)


@pytest.fixture
def walker(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Walker:
    """Dialogs and message boxes shown for real, walked, then closed (never waited on)."""
    w = Walker(qapp)
    monkeypatch.setattr(QDialog, "exec", lambda self: w.exec_dialog(self))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: w.exec_dialog(self))
    return w


#: Shown dialogs on the offscreen platform warn about size hints; nothing to do with the text.
offscreen_dialogs = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@offscreen_dialogs
def test_a_hostile_routine_is_plain_text_in_every_widget_and_dialog(
        make_harness, tmp_path: Path, isolated_data_dir: Path, walker: Walker,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from player import paths

    folder = paths.user_routines_dir(isolated_data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    with HistoryStore.open(isolated_data_dir) as store:  # offered as unfinished at start-up
        store.start_session(routine_title=TITLE, started_at=local_now() - timedelta(hours=1))
    # the real dialogs, not the conftest's replacements
    for cls, name, real in REAL:
        monkeypatch.setattr(cls, name, real)

    h = make_harness()
    h.show()
    assert any(d.startswith("QMessageBox: Unfinished session") for d in walker.dialogs), \
        walker.dialogs
    walker.walk("library")
    assert h.window.library_view.select_path(path.resolve())
    walker.walk("preview")
    h.window.open_file(broken)
    walker.walk("errors page")
    h.window.open_file(path)
    assert h.window.start_routine(path)
    for _ in range(4):
        h.advance(3)
        walker.walk("playing")
    NoticeDialog.show_notice(h.window, f"{RICH} {OVERRIDE}")
    ErrorDialog.show_error(h.window, f"{RICH} {OVERRIDE}", f"{RICH} {ISOLATE}")
    StopDialog.ask(h.window)
    h.advance(30)
    walker.walk("finished")
    h.app.care.history_button.click()
    walker.walk("history")
    assert len(walker.dialogs) >= 4, walker.dialogs
    assert walker.found == [], "\n".join(sorted(set(walker.found)))


HOSTILE = f"{RICH} {OVERRIDE} {ISOLATE}"


@offscreen_dialogs
def test_every_dialog_shows_file_text_plain(make_harness, tmp_path: Path, walker: Walker,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Each dialog the app has, opened through its own entry point with file text wherever it
    takes any (a step, an exercise, a title, a folder, a reason)."""
    from player.core.loader import load_routine
    from player.core.reminders import ReminderSettings
    from player.core.timeline import build_timeline

    for cls, name, real in REAL:
        monkeypatch.setattr(cls, name, real)
    path = tmp_path / "hostile.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    routine = load_routine(path).routine
    assert routine is not None
    step = next(s for s in build_timeline(routine).steps if s.kind.value == "exercise")
    h = make_harness()
    h.show()
    parent = h.window
    session_dialogs.BarrierDialog.ask(parent, step)
    session_dialogs.SkinCheckDialog.ask(parent, step)
    session_dialogs.KeyboardDialog.show_keys(parent, [(HOSTILE, HOSTILE)])
    pain_dialogs.InSessionAdvice.ask(parent, "offer_easier", HOSTILE, HOSTILE)
    pain_dialogs.InSessionAdvice.ask(parent, "skip", HOSTILE, None, True)
    pain_dialogs.HurtsDialog.ask(parent, True)
    pain_dialogs.PainRatingDialog.ask(parent, "after", HOSTILE)
    symptoms_dialog.SymptomsDialog.ask(parent)
    first_run.FirstRunNotice.ask(parent)
    thermal_dialogs.ThermalScreenDialog.ask(parent)
    thermal_dialogs.ThermalWaitDialog.ask(parent, (HOSTILE,))
    thermal_dialogs.SkinBackDialog.ask(parent)
    thermal_dialogs.DamagedRecordsDialog.tell(parent, (HOSTILE,))
    reminders_dialog.RemindersDialog.ask(
        parent, [reminders_dialog.ScheduledRoutine(str(path), HOSTILE, ("mon",))],
        ReminderSettings(), True)
    reminders_dialog.SittingBreakQuestion.ask(parent, 30)
    already_open.AlreadyOpenDialog.ask(parent, tmp_path / HOSTILE.replace("/", "|"), 4242)
    already_open.AlreadyOpenDialog.show_unreachable(parent, HOSTILE)
    NoticeDialog.show_notice(parent, HOSTILE)
    ErrorDialog.show_error(parent, HOSTILE, HOSTILE)
    h.window.show_guide() if hasattr(h.window, "show_guide") else None
    walker.walk("after every dialog")
    assert len(walker.dialogs) >= 18, walker.dialogs
    assert walker.found == [], "\n".join(sorted(set(walker.found)))
