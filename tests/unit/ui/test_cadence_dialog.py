"""The own-cadence question (tap Space on each step for 30 s, or type it) and the drill set
above it: asked once, kept in the settings, played 5 % then 10 % above it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from player.core.bundled import ROUTINES_DIR
from player.settings import Settings
from player.ui.dialogs.cadence_dialog import OwnCadenceDialog

DRILL = ROUTINES_DIR / "cadence-drill.yaml"
#: A dialog shown on the offscreen platform says this.
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Ticks:
    def __init__(self) -> None:
        self.at = 100.0

    def __call__(self) -> float:
        return self.at


def ok_enabled(dialog: OwnCadenceDialog) -> bool:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    return button is not None and button.isEnabled()


def test_thirty_seconds_of_space_taps_fill_in_the_cadence(qtbot):
    clock = Ticks()
    dialog = OwnCadenceDialog(None, now=clock)
    qtbot.addWidget(dialog)
    assert not ok_enabled(dialog) and dialog.value() is None
    dialog.field.setFocus()
    for _ in range(81):  # 160 steps a minute for 30 s, tapped with Space in the field
        QTest.keyClick(dialog.field, Qt.Key.Key_Space)
        clock.at += 60 / 160
    assert dialog.field.text() == ""  # a space is a tap, never typed
    assert "81 steps" in dialog.tap_status.text()
    dialog.finish_tapping()
    assert dialog.field.text() == "160" and dialog.value() == 160 and ok_enabled(dialog)


def space(kind, autorepeat: bool):
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", autorepeat)


@OFFSCREEN_DIALOG
def test_the_seconds_left_count_down_from_the_first_tap_and_go_when_counted(qtbot):
    clock = Ticks()
    dialog = OwnCadenceDialog(None, now=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.countdown.isVisible()  # nothing counts before the first tap
    dialog.tap()
    assert dialog.countdown.isVisible() and dialog.countdown.text() == "30 s left"
    clock.at += 0.4
    dialog.tap()
    assert dialog.countdown.text() == "30 s left"  # 29.6 s: a whole second not yet gone
    clock.at += 11.6
    dialog.show_seconds_left()  # what the once-a-second timer does
    assert dialog.countdown.text() == "18 s left"
    clock.at += 18
    dialog.show_seconds_left()
    assert dialog.countdown.text() == "0 s left"
    dialog.finish_tapping()
    assert not dialog.countdown.isVisible() and not dialog.counting


@OFFSCREEN_DIALOG
def test_the_countdown_ticks_on_a_real_timer(qtbot):
    dialog = OwnCadenceDialog(None)  # the real monotonic clock
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tap()
    assert dialog.countdown.text() == "30 s left"
    qtbot.waitUntil(lambda: dialog.countdown.text() != "30 s left", timeout=5000)
    assert dialog.countdown.text() in {"29 s left", "28 s left"}  # ticking down, on its own
    dialog.finish_tapping()


@OFFSCREEN_DIALOG
def test_holding_space_down_is_one_tap_wherever_the_focus_is(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    clock = Ticks()
    dialog = OwnCadenceDialog(None, now=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    for target in (dialog.field, dialog, dialog.tap_button):
        QApplication.sendEvent(target, space(press, False))
        for _ in range(20):  # the key held: the desktop repeats it, release and press
            clock.at += 0.03
            QApplication.sendEvent(target, space(release, True))
            QApplication.sendEvent(target, space(press, True))
        QApplication.sendEvent(target, space(release, False))
        clock.at += 0.4
    assert "3 steps so far" in dialog.tap_status.text()  # one a hold, on each of the three
    assert dialog.field.text() == ""


def test_too_few_taps_or_an_impossible_number_are_refused_with_the_reason(qtbot):
    clock = Ticks()
    dialog = OwnCadenceDialog(158, now=clock)
    qtbot.addWidget(dialog)
    assert dialog.value() == 158 and ok_enabled(dialog)
    for _ in range(3):
        dialog.tap()
        clock.at += 0.4
    dialog.finish_tapping()
    assert "at least 10" in dialog.tap_status.text() and dialog.field.text() == "158"
    dialog.field.setText("25")
    assert not ok_enabled(dialog) and "not a running cadence" in dialog.error.text()
    dialog.field.setText("quick")
    assert not ok_enabled(dialog) and "not a number" in dialog.error.text()


def test_the_drill_asks_once_keeps_the_answer_and_plays_above_it(make_harness, monkeypatch):
    asked: list[int | None] = []

    def ask(cls, parent, current):
        asked.append(current)
        return 160

    monkeypatch.setattr(OwnCadenceDialog, "ask", classmethod(ask))
    h = make_harness(Settings(spoken_cues=False, notice_accepted=True))
    h.show()
    assert h.window.start_routine(DRILL)
    beats = [s.bpm for s in h.engine.timeline.steps if s.bpm]
    assert beats == [168, 168, 176, 176]  # 5 % then 10 % above 160
    assert h.app.settings.own_cadence() == 160 and asked == [None]
    h.app.controller.close_session()
    assert h.window.start_routine(DRILL)
    assert asked == [None]  # not asked again


def test_not_now_plays_the_assumed_beats_and_is_not_asked_again(make_harness, monkeypatch):
    asked: list[int | None] = []
    monkeypatch.setattr(OwnCadenceDialog, "ask",
                        classmethod(lambda cls, parent, current: asked.append(current)))
    h = make_harness(Settings(spoken_cues=False, notice_accepted=True))
    h.show()
    assert h.window.start_routine(DRILL)
    assert [s.bpm for s in h.engine.timeline.steps if s.bpm] == [173, 173, 182, 182]
    h.app.controller.close_session()
    h.window.start_routine(DRILL)
    assert asked == [None] and h.app.settings.own_cadence() is None
    monkeypatch.setattr(OwnCadenceDialog, "ask", classmethod(lambda cls, parent, current: 150))
    h.app.week.cadence_action.trigger()  # Session > Your running cadence…
    assert h.app.settings.own_cadence() == 150


def test_the_preview_shows_the_beats_above_the_own_cadence_once_known(make_harness):
    settings = Settings(spoken_cues=False, notice_accepted=True)
    settings.extra["own_cadence"] = 160
    h = make_harness(settings)
    h.show()
    h.window.open_file(DRILL)
    tree = h.window.preview.steps_tree
    steps = [tree.topLevelItem(i).text(3) for i in range(tree.topLevelItemCount())]
    assert any("168 beats/min" in s for s in steps) and any("176 beats/min" in s for s in steps)
    assert not any("173 beats/min" in s for s in steps)


def test_a_resumed_drill_plays_the_beats_above_the_own_cadence(make_harness, monkeypatch,
                                                               isolated_data_dir):
    from player.core.history import StepEvent, routine_file_hash
    from player.store.history import HistoryStore
    from player.ui.controllers.care_controller import local_now
    from player.ui.dialogs.history_dialogs import InterruptedDialog

    now = local_now()
    store = HistoryStore.open(isolated_data_dir)
    sid = store.start_session(routine_title="Cadence drill", started_at=now,
                              routine_file_hash=routine_file_hash(DRILL.read_bytes()),
                              routine_path=str(DRILL))
    store.record_step(StepEvent(sid, 0, "Get ready", "exercise", "completed", 5.0, now))
    store.close()
    offered: list[bool] = []
    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(
        lambda cls, parent, session, can_resume, *rest: offered.append(can_resume)
        or "resume"))
    settings = Settings(spoken_cues=False, notice_accepted=True)
    settings.extra["own_cadence"] = 160
    h = make_harness(settings)
    h.show()
    assert offered == [True] and h.app.controller.in_play
    timeline = h.engine.timeline
    assert [s.bpm for s in timeline.steps if s.bpm] == [168, 168, 176, 176]  # not 173, 182


def test_a_cadence_changed_in_the_menu_shows_in_the_preview_at_once(make_harness,
                                                                     monkeypatch):
    settings = Settings(spoken_cues=False, notice_accepted=True)
    settings.extra["own_cadence"] = 160
    h = make_harness(settings)
    h.show()
    h.window.open_file(DRILL)
    tree = h.window.preview.steps_tree

    def shown() -> str:
        return " ".join(tree.topLevelItem(i).text(3) for i in range(tree.topLevelItemCount()))

    assert "168 beats/min" in shown()
    monkeypatch.setattr(OwnCadenceDialog, "ask", classmethod(lambda cls, parent, current: 180))
    h.app.week.cadence_action.trigger()
    assert "189 beats/min" in shown() and "198 beats/min" in shown()  # 5 % and 10 % above 180
    assert "168 beats/min" not in shown()
