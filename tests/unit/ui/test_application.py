"""run_gui and the error hook: the window opens, and errors become a message, not a traceback."""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from player import APP_ID
from player.ui import application
from player.ui.application import (
    LOG_FILE_NAME,
    identify_application,
    install_excepthook,
    run_gui,
)
from player.ui.dialogs.first_run import FirstRunNotice
from player.ui.dialogs.session_dialogs import ErrorDialog
from player.ui.dialogs.symptoms_dialog import SymptomsDialog
from player.ui.main_window import MainWindow
from tests.fakes import RecordingOutput


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Replaces the error message box; records (summary, details)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(ErrorDialog, "show_error",
                        classmethod(lambda cls, parent, summary, details:
                                    shown.append((summary, details))))
    return shown


def test_an_uncaught_error_is_logged_and_shown(
        shown_errors: list[tuple[str, str]], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    restore = install_excepthook(lambda: None, tmp_path / "app.log")
    try:
        hook = sys.excepthook
        try:
            raise ValueError("the engine fell over")
        except ValueError as exc:
            with caplog.at_level(logging.ERROR):
                hook(type(exc), exc, exc.__traceback__)
    finally:
        restore()
    assert sys.excepthook is not hook
    assert len(shown_errors) == 1
    summary, details = shown_errors[0]
    assert "went wrong" in summary
    assert "ValueError: the engine fell over" in details and "app.log" in details
    assert any(r.exc_info and r.exc_info[0] is ValueError for r in caplog.records)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_hook(shown_errors: list[tuple[str, str]], qtbot,
                                              tmp_path: Path) -> None:
    def broken() -> None:
        raise RuntimeError("broken slot")

    restore = install_excepthook(lambda: None, tmp_path / "app.log")
    try:
        QTimer.singleShot(0, broken)
        qtbot.waitUntil(lambda: bool(shown_errors))
    finally:
        restore()
    assert "RuntimeError: broken slot" in shown_errors[0][1]


def test_the_application_has_the_app_id_and_the_bundled_icon(qapp: QApplication) -> None:
    identify_application(qapp)
    assert qapp.applicationName() == APP_ID  # the X11 WM_CLASS class, StartupWMClass
    assert qapp.desktopFileName() == APP_ID  # the Wayland app_id, the .desktop file's name
    icon = qapp.windowIcon()
    assert not icon.isNull()
    for size in (16, 48, 256):  # the SVG renders (the svg icon engine is there) at every size
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the opaque background


def test_run_gui_opens_the_window_with_a_file_and_returns_the_exit_code(
        qapp: QApplication, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.audio.CueProcessOutput", lambda report, **_: RecordingOutput(report))
    routine = tmp_path / "broken.yaml"
    routine.write_text("format: 1\ntitle: [unclosed\n")
    data = tmp_path / "data"
    seen: dict[str, object] = {}

    def look_then_quit(qapp: QApplication) -> int:
        # The preview's errors page is built after the first paint: wait for the file to be
        # shown (its path set) before looking at the list.
        qtbot.waitUntil(lambda: any(isinstance(w, MainWindow) and w.isVisible()
                                    and w.preview.path is not None
                                    and w.preview.errors_list.count()
                                    for w in QApplication.topLevelWidgets()))
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                   and w.isVisible()]
        seen["windows"] = len(windows)
        window = windows[-1]
        seen["errors"] = window.preview.errors_list.count()
        seen["hook"] = sys.excepthook
        window.close()
        window.deleteLater()
        return 0

    # The real loop would end with QApplication.quit(), after which no nested event loop (as
    # pytest-qt's waits use) runs in this process: look at the window in its place instead.
    monkeypatch.setattr(application, "run_event_loop", look_then_quit)
    asked: list[str] = []
    monkeypatch.setattr(FirstRunNotice, "ask",
                        classmethod(lambda cls, parent: asked.append("notice") or True))
    monkeypatch.setattr(SymptomsDialog, "ask",
                        classmethod(lambda cls, parent, *a, **k: asked.append("symptoms")
                                    or "cancelled"))
    hook_before = sys.excepthook
    assert run_gui(data_dir_flag=str(data), file=str(routine), start=True) == 0
    assert asked == ["notice", "symptoms"]  # a first run: the notice, then the questions
    assert seen["windows"] == 1
    assert seen["errors"] >= 1  # the broken file's errors, in the window
    assert seen["hook"] is not hook_before  # our hook was in place while running
    assert not qapp.windowIcon().isNull()
    assert sys.excepthook is hook_before
    assert (data / "routines").is_dir()
    assert (data / LOG_FILE_NAME).exists()
    if os.name != "nt":  # the health data is its owner's only
        assert mode_of(data) == 0o700
        assert {p.name: mode_of(p) for p in data.iterdir() if p.is_file()} == {
            LOG_FILE_NAME: 0o600, "history.sqlite3": 0o600, "settings.json": 0o600}


def test_the_audio_output_asks_rtkit_for_the_priority_its_cue_process_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from player.ui.controllers import rtkit

    made: list[dict[str, object]] = []
    monkeypatch.setattr("player.audio.CueProcessOutput",
                        lambda report, **options: made.append(options) or RecordingOutput(report))
    monkeypatch.setattr(sys, "setswitchinterval", lambda seconds: None)
    assert isinstance(application.playsound_output(lambda reason: None), RecordingOutput)
    assert made == [{"on_priority_refused": rtkit.ask_in_background}]


def test_the_garbage_collector_is_off_until_the_first_paint_then_runs_on_the_gui_thread(
        qapp: QApplication, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from player import app as entry_point
    from player.ui.controllers import collector

    seen: list[bool] = []
    def run_gui(data_dir_flag, file, start, in_tray, early_check):
        seen.append(gc.isenabled())
        if early_check is not None:
            early_check.close()
        return 0

    monkeypatch.setattr(application, "run_gui", run_gui)
    monkeypatch.setattr("player.audio.CueProcessOutput", lambda report, **_: RecordingOutput(report))
    monkeypatch.setattr(FirstRunNotice, "ask", classmethod(lambda cls, parent: True))
    monkeypatch.setattr(SymptomsDialog, "ask",
                        classmethod(lambda cls, parent, *a, **k: "cancelled"))
    try:
        assert entry_point.main(["--data-dir", str(tmp_path / "data")]) == 0
        assert seen == [False]  # off while Qt is imported and the window built
        # The real start-up goes on to the first paint, which hands collecting to a timer on
        # the GUI thread: the interpreter's own stays off, so no worker thread collects.
        built = application.build_app(qapp, tmp_path / "data", application.playsound_output)
        qtbot.addWidget(built.window)
        application.show_window(built)
        assert not gc.isenabled()
        qtbot.waitUntil(lambda: built.ready)
        assert not gc.isenabled() and built.collector is not None
        assert built.collector.interval_ms == collector.SHOWN_INTERVAL_MS
        built.collector.stop()
        assert gc.isenabled()
        assert built.care is not None
        qtbot.waitUntil(lambda: built.audio is not None)  # once the window is complete
        assert built.audio is not None
        built.audio.close()
        built.care.close()
    finally:
        gc.enable()


# --- The data folder and the log are private ----------------------------------------------------

needs_modes = pytest.mark.skipif(os.name == "nt", reason="file modes mean nothing on Windows")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def logging_configured() -> Iterator[Callable[[Path], Path]]:
    """configure_logging(data_dir) as at each start of the app: the previous start's handlers
    removed first; all removed and the root level restored after the test."""
    root = logging.getLogger()
    level, added = root.level, []

    def remove_added() -> None:
        for handler in added:
            root.removeHandler(handler)
            handler.close()
        added.clear()

    def configure(data_dir: Path) -> Path:
        remove_added()
        log_file, handlers = application.configure_logging(data_dir)
        added.extend(handlers)
        assert log_file is not None
        return log_file

    yield configure
    remove_added()
    root.setLevel(level)


def made_private(log_file: Path) -> list[str]:
    return [line.split(": ", 1)[1] for line in log_file.read_text(encoding="utf-8").splitlines()
            if " player.private_files: " in line]


@needs_modes
def test_a_new_data_folder_is_0700_and_the_log_0600(
        umask: int, tmp_path: Path, logging_configured: Callable[[Path], Path]) -> None:
    data = tmp_path / "new" / "data"
    log_file = logging_configured(data)
    logging.getLogger("test").warning("written")
    assert mode_of(data) == 0o700
    assert mode_of(log_file) == 0o600
    assert made_private(log_file) == []


@needs_modes
def test_a_readable_folder_and_log_are_tightened_once_and_it_is_logged(
        tmp_path: Path, logging_configured: Callable[[Path], Path]) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / LOG_FILE_NAME).write_text("an older version's log\n", encoding="utf-8")
    rotated = data / f"{LOG_FILE_NAME}.1"
    rotated.write_text("older still\n", encoding="utf-8")
    for path in (data / LOG_FILE_NAME, rotated):
        path.chmod(0o644)

    log_file = logging_configured(data)
    assert (mode_of(data), mode_of(log_file), mode_of(rotated)) == (0o700, 0o600, 0o600)
    lines = [f"made {data} private: mode 0755 -> 0700",
             f"made {log_file} private: mode 0644 -> 0600",
             f"made {rotated} private: mode 0644 -> 0600"]
    assert made_private(log_file) == lines

    logging_configured(data)  # the next start
    assert made_private(log_file) == lines  # nothing more the second time
