"""Keyboard control, accessible names, large text, mute, and what happens without sound."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QProgressBar

from player import paths
from player.core.engine import EngineState
from player.settings import Settings, load_settings
from player.ui.dialogs.first_run import FirstRunNotice
from player.ui.dialogs.session_dialogs import StopDialog
from player.ui.dialogs.symptoms_dialog import SymptomsDialog
from player.ui.widgets.style import LARGE_TEXT_SCALE
from tests.unit.ui.harness import Harness

#: The real question, before the fixtures replace it.
REAL_STOP_ASK = StopDialog.__dict__["ask"]

ROUTINE = """\
format: 1
title: Keys
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 20s
      - exercise: glute_bridge
        reps: 8
      - exercise: bird_dog
        hold: 10s
"""


@pytest.fixture
def playing(harness: Harness, tmp_path: Path) -> Harness:
    """The harness with the routine above started and the lead-in over."""
    path = tmp_path / "keys.yaml"
    path.write_text(ROUTINE)
    harness.window.open_file(path)
    assert harness.window.start_routine(path.resolve())
    harness.window.activateWindow()
    harness.advance(2)
    assert harness.player.name_label.text() == "Plank"
    return harness


def key(h: Harness, qtbot, which: Qt.Key) -> None:
    """Press a key on the window."""
    qtbot.keyClick(h.window, which)
    h.settle()


def test_space_pauses_and_resumes(playing: Harness, qtbot) -> None:
    key(playing, qtbot, Qt.Key.Key_Space)
    assert playing.engine.state is EngineState.PAUSED
    assert playing.player.buttons["Pause"].text() == "Resume"
    key(playing, qtbot, Qt.Key.Key_Space)
    assert playing.engine.state is EngineState.RUNNING


def test_arrows_move_between_steps(playing: Harness, qtbot) -> None:
    key(playing, qtbot, Qt.Key.Key_Right)
    assert playing.player.name_label.text() == "Glute bridge"
    key(playing, qtbot, Qt.Key.Key_Left)
    assert playing.player.name_label.text() == "Plank"


@pytest.mark.parametrize("restart_key", [Qt.Key.Key_R, Qt.Key.Key_Backspace])
def test_r_and_backspace_restart_the_step(playing: Harness, qtbot, restart_key: Qt.Key) -> None:
    playing.advance(7)
    assert playing.player.countdown_text == "00:13"
    key(playing, qtbot, restart_key)
    assert playing.player.countdown_text == "00:20"


@pytest.mark.parametrize("done_key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_is_done_for_an_untimed_set(playing: Harness, qtbot, done_key: Qt.Key) -> None:
    key(playing, qtbot, done_key)  # nothing to confirm on a timed hold
    assert playing.player.name_label.text() == "Plank"
    key(playing, qtbot, Qt.Key.Key_Right)
    assert playing.engine.state is EngineState.AWAITING_DONE
    assert playing.window.commands.done.isEnabled()
    key(playing, qtbot, done_key)
    assert playing.player.name_label.text() == "Bird dog"


def answer_stop_question(qtbot, which: Qt.Key, seen: list[str]) -> None:
    """Once the real stop question is open, press ``which`` on it (noting the engine state)."""

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, StopDialog)
        seen.append(dialog.windowTitle())
        qtbot.keyClick(dialog, which)

    QTimer.singleShot(0, press)


#: Shown by the offscreen platform when a real dialog opens.
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def real_stop_question(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StopDialog, "ask", REAL_STOP_ASK)


@OFFSCREEN_DIALOG
def test_escape_asks_first_and_enter_confirms_the_stop(
        playing: Harness, qtbot, real_stop_question: None) -> None:
    seen: list[str] = []
    states: list[EngineState] = []
    playing.app.controller.state_changed.connect(lambda s: states.append(EngineState(s)))
    answer_stop_question(qtbot, Qt.Key.Key_Return, seen)
    with qtbot.waitSignal(playing.app.controller.session_finished) as blocker:
        key(playing, qtbot, Qt.Key.Key_Escape)
    assert seen == ["Stop the session"]
    assert states[0] is EngineState.PAUSED  # the clock waits while the question is open
    assert blocker.args == [False]
    assert playing.player.showing_summary
    assert playing.player.finished_title.text() == "Session stopped"


@OFFSCREEN_DIALOG
def test_escape_twice_keeps_the_session_going(
        playing: Harness, qtbot, real_stop_question: None) -> None:
    seen: list[str] = []
    answer_stop_question(qtbot, Qt.Key.Key_Escape, seen)
    key(playing, qtbot, Qt.Key.Key_Escape)
    assert seen == ["Stop the session"]
    assert playing.app.controller.in_play and not playing.player.showing_summary
    assert playing.engine.state is EngineState.RUNNING  # the pause for the question is undone
    playing.advance(1)
    assert playing.player.name_label.text() == "Plank"


def test_a_stopped_session_resumes_from_the_step_it_was_stopped_in(
        playing: Harness, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StopDialog, "ask", classmethod(lambda cls, parent, closing=False: True))
    playing.advance(20)  # the plank done; the glute bridge (untimed) waits for Done
    assert playing.player.name_label.text() == "Glute bridge"
    key(playing, qtbot, Qt.Key.Key_Escape)
    resume = playing.player.resume_button
    assert resume.isVisibleTo(playing.player) and resume.text() == "Resume from step 3"
    assert playing.player.again_button.text() == "Start again"
    resume.click()
    playing.settle()
    assert playing.app.controller.in_play
    assert playing.player.name_label.text() == "Glute bridge"
    assert playing.player.step_count_label.text() == "Step 3 of 4"
    key(playing, qtbot, Qt.Key.Key_Return)  # Done
    playing.advance(10)
    assert playing.player.showing_summary
    assert playing.player.finished_title.text() == "Routine complete. Well done!"
    assert not playing.player.resume_button.isVisibleTo(playing.player)


def test_m_mutes_and_muted_cues_flash_instead(playing: Harness, qtbot) -> None:
    key(playing, qtbot, Qt.Key.Key_M)
    assert playing.app.settings.muted
    assert load_settings(paths.settings_file(playing.app.data_dir)).settings.muted
    playing.output.clear()
    flashes = playing.window.flash.flash_count
    key(playing, qtbot, Qt.Key.Key_Right)
    assert playing.output.played == []
    assert playing.window.flash.flash_count == flashes + 1
    assert "muted" in playing.window.sound_label.text()
    key(playing, qtbot, Qt.Key.Key_M)
    assert not playing.app.settings.muted


def test_session_keys_do_nothing_in_the_library(harness: Harness, qtbot) -> None:
    assert not harness.window.commands.pause.isEnabled()
    qtbot.keyClick(harness.window, Qt.Key.Key_Space)
    assert harness.app.controller.session is None


def test_every_control_has_an_accessible_name(playing: Harness) -> None:
    window = playing.window
    controls = window.findChildren(QAbstractButton) + window.findChildren(QProgressBar)
    unnamed = [c for c in controls if c.isVisibleTo(window) and not c.accessibleName()]
    assert unnamed == []
    assert playing.player.countdown.accessibleName() == "Countdown"


def test_large_text_mode_makes_the_text_bigger_and_is_remembered(
        harness: Harness, qapp: QApplication) -> None:
    before_app = qapp.font().pointSizeF()
    title = harness.window.preview.title_label
    before_title = title.font().pointSizeF()
    harness.window.large_text_action.trigger()
    assert qapp.font().pointSizeF() == pytest.approx(before_app * LARGE_TEXT_SCALE)
    assert title.font().pointSizeF() == pytest.approx(before_title * LARGE_TEXT_SCALE)
    assert load_settings(paths.settings_file(harness.app.data_dir)).settings.large_text
    harness.window.large_text_action.trigger()
    assert qapp.font().pointSizeF() == pytest.approx(before_app)


def test_large_text_setting_applies_at_start(make_harness, qapp: QApplication) -> None:
    normal = qapp.font().pointSizeF()
    h = make_harness(Settings(large_text=True, spoken_cues=False, notice_accepted=True))
    assert h.window.large_text_action.isChecked()
    assert qapp.font().pointSizeF() == pytest.approx(normal * LARGE_TEXT_SCALE)


def test_without_sound_a_one_time_message_and_a_flash_on_each_cue(playing: Harness, qtbot) -> None:
    messages: list[str] = []
    playing.window.statusBar().messageChanged.connect(messages.append)
    playing.output.fail("no sound device (simulated)")
    qtbot.waitUntil(lambda: any("Sound is unavailable" in m for m in messages))
    assert "No sound" in playing.window.sound_label.text()
    flashes = playing.window.flash.flash_count
    key(playing, qtbot, Qt.Key.Key_Right)
    assert playing.window.flash.flash_count == flashes + 1
    assert playing.window.flash.isVisible()
    playing.output.fail("again")  # an output reports once; the window tells once too
    playing.app.sound_status.report("again")
    playing.settle()
    assert sum("Sound is unavailable" in m for m in messages) == 1


def test_a_corrupt_settings_file_is_a_warning_not_a_crash(
        make_harness, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = paths.settings_file(isolated_data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json")
    asked: list[str] = []
    monkeypatch.setattr(FirstRunNotice, "ask",
                        classmethod(lambda cls, parent: asked.append("notice") or True))
    monkeypatch.setattr(SymptomsDialog, "ask",
                        classmethod(lambda cls, parent, *a, **k: "cancelled"))
    h = make_harness()
    h.show()
    assert "default settings" in h.window.statusBar().currentMessage()
    assert h.app.settings.muted is False
    assert asked == ["notice"]  # the acceptance was in the lost file: the notice comes again


def test_labels_follow_the_palette(harness: Harness) -> None:
    """No label sets a style sheet colour: text colours come from the palette roles."""
    assert all(not label.styleSheet() for label in harness.window.findChildren(QLabel))
    assert not harness.window.styleSheet()


def test_a_style_change_while_playing_is_harmless(playing: Harness, qtbot, qapp: QApplication) -> None:
    """A new style (e.g. the system switching to dark) deletes the old style object."""
    original = qapp.style().name()
    qapp.setStyle("Fusion")
    try:
        key(playing, qtbot, Qt.Key.Key_Space)
        key(playing, qtbot, Qt.Key.Key_M)
        assert playing.engine.state is EngineState.PAUSED
    finally:
        qapp.setStyle(original)


def test_sound_is_not_called_unavailable_before_it_is_known(harness: Harness) -> None:
    assert harness.window.sound_label.text() == ""


def test_enter_on_a_listed_routine_starts_it(harness: Harness, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(ROUTINE)
    harness.window.open_file(path)
    view = harness.window.library_view
    view.setFocus()
    assert view.selected_path() == path.resolve()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    harness.settle()
    assert harness.window.pages.currentWidget() is harness.player
    assert harness.player.name_label.text() == "Get ready: Plank"
