"""Builds the real window (as run_gui does) on a fake clock with a recording audio output."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QWidget

from player import library_check, paths
from player.settings import Settings, save_settings
from player.ui.application import App, build_app, finish_idle_startup, finish_startup, show_window
from player.ui.pages.player_view import PlayerView
from tests.fakes import FakeClock, RecordingOutput


class Harness:
    """The app under test: ``app`` (what build_app made), its ``clock`` and ``output``."""

    def __init__(self, qapp: QApplication, data_dir: Path, settings: Settings | None = None,
                 clock: FakeClock | None = None, early_check: bool = False) -> None:
        if settings is not None:
            save_settings(paths.settings_file(data_dir), settings)
        self.qapp = qapp
        self.clock = clock or FakeClock()
        early = library_check.start(data_dir) if early_check else None  # as player.app.main
        self.app: App = build_app(qapp, data_dir, self._make_output, self.clock,
                                  early_check=early)
        self.window = self.app.window

    def _make_output(self, on_unavailable) -> RecordingOutput:
        self.output = RecordingOutput(on_unavailable)
        return self.output

    def show(self, file: Path | None = None, start: bool = False) -> None:
        """Show the window and finish starting up, as run_gui does (without waiting for the
        first paint, nor for the idle moment after it)."""
        show_window(self.app, file, start)
        finish_startup(self.app, file, start)
        self.app.library.wait_until_checked()
        self.qapp.processEvents()
        finish_idle_startup(self.app)

    @property
    def player(self) -> PlayerView:
        """The player page."""
        return self.window.player

    @property
    def driver(self):
        """The current session's driver."""
        driver = self.app.controller.driver
        assert driver is not None, "no session"
        return driver

    @property
    def engine(self):
        """The current session's engine."""
        return self.driver.engine

    def advance(self, seconds: float, step: float = 0.25) -> None:
        """Move the fake clock on by ``seconds`` in small steps, firing the driver each time.

        The driver's timer is fired by hand (never waited for), then queued calls (the
        barrier question) are let run.
        """
        left = seconds
        while left > 1e-9:
            dt = min(step, left)
            self.clock.advance(dt)
            left -= dt
            if self.app.controller.driver is not None:
                self.driver.timer.timeout.emit()
            self.qapp.processEvents()

    def settle(self) -> None:
        """Let queued calls run (no time passes on the fake clock)."""
        self.qapp.processEvents()

    def labels(self) -> list[QLabel]:
        """Every label in the window."""
        return self.window.findChildren(QLabel)

    def visible_texts(self, root: QWidget | None = None) -> list[str]:
        """The texts of the visible labels under ``root`` (default the window)."""
        root = root or self.window
        return [label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root)]

    def close(self) -> None:
        """Close the window (leaving a session still in play without asking, as a test's end
        is not a person closing it) and the history, and put the application font back."""
        self.app.controller.close_session()
        self.window.close()
        if self.app.collector is not None:
            self.app.collector.stop()
        if self.app.care is not None:
            self.app.care.close()
        self.app.library.close_early_check()
        self.app.text_size.restore()
        self.window.deleteLater()
        self.qapp.processEvents()
