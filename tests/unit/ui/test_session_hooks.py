"""Time kept by the engine, start guards and session signals, spoken cues, quick titles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from player.core.bundled import bundled_routines
from player.core.loader import load_library, load_routine
from player.settings import Settings
from player.ui.controllers.library_model import Group, quick_title
from player.ui.controllers.session_controller import Session
from player.ui.dialogs.session_dialogs import StopDialog
from tests.unit.ui.harness import Harness

ROUTINE = """\
format: 1
title: Hooks
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 20m
      - exercise: glute_bridge
        hold: 10s
"""


def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "hooks.yaml"
    path.write_text(ROUTINE)
    return path.resolve()


def test_the_view_reads_the_engine_and_never_counts_ticks(harness: Harness, tmp_path: Path) -> None:
    path = routine_file(tmp_path)
    assert harness.window.start_routine(path)
    harness.advance(2)
    p = harness.player
    assert p.countdown_text == "20:00"
    for _ in range(50):  # the timer firing without time passing changes nothing
        harness.driver.timer.timeout.emit()
    harness.settle()
    assert p.countdown_text == "20:00"
    # The machine sleeps (or the window is hidden) for 7.5 minutes: one late wake-up is enough.
    harness.clock.advance(7 * 60 + 30)
    harness.driver.timer.timeout.emit()
    harness.settle()
    assert p.countdown_text == "12:30"
    assert p.time_left_label.text() == "12:40 left"


def test_a_start_guard_can_refuse_a_session(harness: Harness, tmp_path: Path) -> None:
    asked: list[Session] = []

    def guard(session: Session) -> bool:
        asked.append(session)
        return False

    harness.app.controller.add_start_guard(guard)
    assert not harness.window.start_routine(routine_file(tmp_path))
    assert [s.routine.title for s in asked] == ["Hooks"]
    assert harness.app.controller.session is None
    assert harness.window.pages.currentWidget() is harness.window.library_page


def test_session_signals_for_the_history(harness: Harness, tmp_path: Path, qtbot) -> None:
    controller = harness.app.controller
    seen: list[str] = []
    controller.session_started.connect(lambda s: seen.append(f"started {s.routine.title}"))
    controller.step_finished.connect(lambda e: seen.append(f"{e.step.name} {e.status}"))
    controller.session_finished.connect(lambda done: seen.append(f"finished {done}"))
    harness.window.start_routine(routine_file(tmp_path))
    harness.advance(2)
    harness.window.commands.next.trigger()
    with qtbot.waitSignal(controller.session_finished):
        harness.advance(10)
    assert seen == ["started Hooks", "Get ready completed", "Plank skipped",
                    "Glute bridge completed", "finished True"]


def test_closing_the_window_mid_session_asks_then_stops_the_session_and_closes(
        harness: Harness, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(StopDialog, "ask", classmethod(
        lambda cls, parent, closing=False: asked.append(closing) or True))
    harness.show()
    harness.window.start_routine(routine_file(tmp_path))
    with qtbot.waitSignal(harness.app.controller.session_finished) as blocker:
        harness.window.close()
    assert asked == [True] and blocker.args == [False]
    qtbot.waitUntil(lambda: not harness.window.isVisible())


def test_closing_the_window_mid_session_can_be_called_off(
        harness: Harness, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StopDialog, "ask", classmethod(lambda cls, parent, closing=False: False))
    harness.show()
    harness.window.start_routine(routine_file(tmp_path))
    harness.advance(1)
    harness.window.close()
    harness.settle()
    assert harness.window.isVisible() and harness.app.controller.in_play


def test_spoken_cues_say_the_exercise_after_its_tone(make_harness, tmp_path: Path, qtbot) -> None:
    h = make_harness(Settings(spoken_cues=True, notice_accepted=True))
    h.show()
    h.window.start_routine(routine_file(tmp_path))
    h.advance(2)
    assert h.output.played_names[-1] == "go"  # the tone at once, the words after it
    qtbot.waitUntil(lambda: h.output.played_names[-1] == "plank", timeout=3000)
    h.window.spoken_action.trigger()
    assert not h.app.settings.spoken_cues
    h.output.clear()
    h.window.commands.next.trigger()
    assert h.output.played_names == ["go"]


def test_quick_titles_match_the_real_titles_of_the_bundled_routines() -> None:
    library = load_library()
    for path in bundled_routines():
        assert quick_title(path) == load_routine(path, library).routine.title


def test_the_list_shows_titles_before_anything_is_checked(make_harness, qapp: QApplication) -> None:
    from player.ui.application import show_window

    h = make_harness()
    show_window(h.app)  # the first paint has not happened: nothing is checked yet
    entries = h.app.library.entries()
    assert entries and all(not e.checked for e in entries)
    assert {e.group for e in entries} == {Group.BUNDLED}
    h.window.first_painted.emit()
    assert h.app.ready and h.app.library.checking  # checked on a worker thread
    h.app.library.wait_until_checked()
    assert all(e.checked for e in h.app.library.entries())
