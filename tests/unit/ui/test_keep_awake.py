"""The screen stays awake while a session plays, and only then (the window, with a fake)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from player.ui.controllers import keep_awake
from player.ui.controllers.keep_awake import UnsupportedPlatform
from player.ui.dialogs.session_dialogs import StopDialog
from player.ui.main_window import SCREEN_MAY_SLEEP
from tests.fakes import RecordingInhibitor
from tests.unit.ui.harness import Harness

#: The real one, before the autouse fixture puts a fake in its place.
REAL_PLATFORM_INHIBITOR = keep_awake.platform_inhibitor

ROUTINE = """\
format: 1
title: Awake
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


def fake(h: Harness) -> RecordingInhibitor:
    inhibitor = h.window.keep_awake.inhibitor
    assert isinstance(inhibitor, RecordingInhibitor)
    return inhibitor


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    path = tmp_path / "awake.yaml"
    path.write_text(ROUTINE)
    return path.resolve()


@pytest.fixture
def playing(harness: Harness, routine: Path) -> Harness:
    """The routine above started: the lead-in counts down."""
    assert harness.window.start_routine(routine)
    harness.settle()
    return harness


def test_nothing_is_held_in_the_library(harness: Harness) -> None:
    assert fake(harness).calls == []
    assert not harness.window.keep_awake.held


def test_held_while_playing_released_on_pause_and_held_again_on_resume(playing: Harness) -> None:
    inhibitor = fake(playing)
    assert inhibitor.calls == ["hold"] and inhibitor.held
    playing.advance(5)  # lead-in over, the plank counts down: still the one hold
    assert inhibitor.calls == ["hold"]
    assert playing.app.controller.toggle_pause()
    assert inhibitor.calls == ["hold", "release"] and not inhibitor.held
    assert playing.app.controller.toggle_pause()
    assert inhibitor.calls == ["hold", "release", "hold"] and inhibitor.held


def test_held_while_an_untimed_set_waits_for_done(playing: Harness) -> None:
    playing.advance(2 + 20 + 1)
    assert playing.engine.state == "awaiting_done"
    assert fake(playing).held and fake(playing).calls == ["hold"]


def test_released_when_the_session_finishes(playing: Harness) -> None:
    playing.advance(2 + 20 + 1)
    assert playing.app.controller.confirm()  # done with the bridges
    playing.advance(60)
    assert playing.engine.state == "finished"
    assert fake(playing).calls == ["hold", "release"]


def test_released_on_stop_and_on_leaving_the_player(playing: Harness) -> None:
    assert playing.app.controller.stop()
    assert fake(playing).calls == ["hold", "release"]
    playing.window.back_to_library()
    assert fake(playing).calls == ["hold", "release"]  # nothing held, nothing more to give


def test_released_when_the_window_closes_over_a_session(
        playing: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StopDialog, "ask", classmethod(lambda cls, parent, closing=False: True))
    playing.window.close()
    playing.settle()
    assert not fake(playing).held and fake(playing).calls[-1] == "release"


def test_a_stop_question_holds_nothing_and_keeping_on_holds_again(
        playing: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def ask(cls, parent, closing=False) -> bool:
        seen.append(fake(playing).held)
        return False  # "keep going"

    monkeypatch.setattr(StopDialog, "ask", classmethod(ask))
    assert not playing.app.controller.request_stop()
    assert seen == [False]  # paused while asked
    assert fake(playing).held


def test_released_when_the_application_quits_mid_session(playing: Harness,
                                                         qapp: QApplication) -> None:
    # The event loop ending without a close (a logout, Ctrl+C) emits aboutToQuit.
    qapp.aboutToQuit.emit()
    assert not fake(playing).held and fake(playing).calls == ["hold", "release"]


def test_a_desktop_without_a_screensaver_is_said_once_and_the_session_plays(
        harness: Harness, routine: Path) -> None:
    fake(harness).problem = keep_awake.NO_SERVICE
    assert harness.window.start_routine(routine)
    harness.advance(3)
    assert harness.app.controller.toggle_pause() and harness.app.controller.toggle_pause()
    notes = [a for a in harness.window.view_menu.actions() if a.text() == SCREEN_MAY_SLEEP]
    assert len(notes) == 1 and not notes[0].isEnabled()
    assert keep_awake.NO_SERVICE in notes[0].toolTip()
    assert harness.player.name_label.text() == "Plank"
    assert fake(harness).calls == ["hold", "hold"]  # asked again on resume, told once
    assert harness.app.controller.stop()
    assert fake(harness).calls == ["hold", "hold"]  # never held, so never released


def test_a_platform_without_support_is_a_reason_not_an_error(qapp: QApplication) -> None:
    assert UnsupportedPlatform().hold(keep_awake.REASON) == keep_awake.UNSUPPORTED
    UnsupportedPlatform().release()


def test_the_platform_inhibitor_is_the_freedesktop_one_on_linux(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keep_awake.sys, "platform", "linux")
    assert isinstance(REAL_PLATFORM_INHIBITOR("X"), keep_awake.FreedesktopScreenSaver)
    for other in ("darwin", "win32"):
        monkeypatch.setattr(keep_awake.sys, "platform", other)
        assert isinstance(REAL_PLATFORM_INHIBITOR("X"), keep_awake.UnsupportedPlatform)


def test_a_session_bus_is_looked_for_where_libdbus_looks(tmp_path: Path) -> None:
    assert keep_awake.session_bus_configured({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"})
    assert not keep_awake.session_bus_configured({})
    assert not keep_awake.session_bus_configured({"XDG_RUNTIME_DIR": str(tmp_path)})
    (tmp_path / "bus").touch()  # the systemd user bus's socket
    assert keep_awake.session_bus_configured({"XDG_RUNTIME_DIR": str(tmp_path)})
    assert not keep_awake.session_bus_configured({"DBUS_SESSION_BUS_ADDRESS": "",
                                                  "XDG_RUNTIME_DIR": ""})


def test_without_a_session_bus_nothing_is_asked_and_it_says_why(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    inhibitor = keep_awake.FreedesktopScreenSaver("Routine Player")
    problem = inhibitor.hold(keep_awake.REASON)
    assert problem == keep_awake.NO_SESSION_BUS.format(detail=keep_awake.NO_BUS_ADDRESS)
    assert inhibitor.cookie is None
    inhibitor.release()  # nothing held: nothing happens


class BrokenInhibitor(RecordingInhibitor):
    """An inhibitor whose hold raises, as a binding error would."""

    def hold(self, reason: str) -> str | None:
        self.calls.append("hold")
        raise TypeError("no such overload")


def test_an_inhibitor_that_raises_is_a_reason_and_the_session_plays(
        make_harness, routine: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keep_awake, "platform_inhibitor", lambda _app: BrokenInhibitor())
    h = make_harness()
    h.show()
    assert h.window.start_routine(routine)
    h.advance(3)
    assert h.player.name_label.text() == "Plank" and not h.window.keep_awake.held
    notes = [a for a in h.window.view_menu.actions() if a.text() == SCREEN_MAY_SLEEP]
    assert len(notes) == 1 and "no such overload" in notes[0].toolTip()
    assert "could not ask the screensaver" in caplog.text
