"""The audio output's worker thread reports to the window, even while the window goes away."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from player import paths
from player.audio import AudioOutput, UnavailableCallback
from player.settings import Settings, save_settings
from player.ui.application import App, build_app, finish_startup, show_window
from tests.fakes import FakeClock


class SlowStartingOutput(AudioOutput):
    """An output whose worker thread finds out that sound does not work when ``go`` is set,
    as PlaysoundOutput's does once playsound3 is loaded (slow, on its own thread)."""

    def __init__(self, on_unavailable: UnavailableCallback | None = None) -> None:
        super().__init__(on_unavailable)
        self.go = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slow-audio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if self.go.wait(10):
            self._mark_unavailable("no sound device (simulated)")

    def play(self, path: Path) -> None:
        """Play nothing."""

    def report_now(self) -> None:
        """Let the worker report, and wait until it has."""
        self.go.set()
        self._thread.join(10)
        assert not self._thread.is_alive()

    def close(self) -> None:
        """Let the worker end."""
        self.go.set()


@pytest.fixture
def slow_app(qapp: QApplication, isolated_data_dir: Path, no_care_dialogs: None,
             qtbot: QtBot) -> Iterator[tuple[App, SlowStartingOutput]]:
    """The shown window, started up, with a SlowStartingOutput that has not reported yet."""
    made: list[SlowStartingOutput] = []

    def factory(report: UnavailableCallback) -> SlowStartingOutput:
        made.append(SlowStartingOutput(report))
        return made[-1]

    save_settings(paths.settings_file(isolated_data_dir),
                  Settings(spoken_cues=False, notice_accepted=True))
    app = build_app(qapp, isolated_data_dir, factory, FakeClock())
    show_window(app)
    finish_startup(app)
    qtbot.waitUntil(lambda: bool(made), timeout=5000)  # made once the window is complete
    assert app.audio is made[0]
    yield app, made[0]
    made[0].close()
    if shiboken6.isValid(app.window):
        close_window(qapp, app)


def close_window(qapp: QApplication, app: App) -> None:
    """Close and delete the window, as the app's end (or a test's) does."""
    app.controller.close_session()
    app.window.close()
    if app.care is not None:
        app.care.close()
    app.text_size.restore()
    app.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()


def test_a_report_from_the_worker_reaches_the_window(
        slow_app: tuple[App, SlowStartingOutput], qtbot: QtBot) -> None:
    app, output = slow_app
    with qtbot.waitSignal(app.cue_player.sound_failed, timeout=2000) as blocker:
        output.report_now()
    assert blocker.args == ["no sound device (simulated)"]
    assert app.sound_status.reason == "no sound device (simulated)"
    assert not app.cue_player.sound_works


def test_a_report_after_the_window_is_deleted_is_harmless(
        slow_app: tuple[App, SlowStartingOutput], qapp: QApplication,
        caplog: pytest.LogCaptureFixture) -> None:
    app, output = slow_app
    status = app.sound_status
    close_window(qapp, app)
    assert not shiboken6.isValid(status)  # the window took its objects with it
    with caplog.at_level(logging.WARNING):
        output.report_now()
        qapp.processEvents()
    assert "sound unavailable: no sound device (simulated)" in caplog.messages
    assert not [r for r in caplog.records if r.exc_info], caplog.text
    assert "callback failed" not in caplog.text
    assert "has been deleted" not in caplog.text
