"""One window per data folder: a second one says "Routine Player is already open", brings the
first forward and never offers that window's live session as unfinished; a lock left by a
killed window is taken over."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from player.ui import application
from player.ui.controllers import single_instance
from player.ui.controllers.single_instance import (
    LOCK_FILE_NAME,
    REQUEST_FILE_NAME,
    InstanceGuard,
    OtherInstance,
    bring_to_front,
    claim,
    claim_or_hand_over,
)
from player.ui.dialogs.already_open import ALREADY_OPEN, BRING_FORWARD, AlreadyOpenDialog
from player.ui.dialogs.history_dialogs import InterruptedDialog
from tests.permissions import read_only

ROOT = Path(__file__).resolve().parents[3]

# A first window, reduced to what matters here: it holds the lock and says when it is asked to
# come forward.
FIRST_WINDOW = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from player.ui.controllers.single_instance import InstanceGuard, claim

app = QCoreApplication([])
guard = claim(Path(sys.argv[1]))
assert isinstance(guard, InstanceGuard) and guard.locked, guard
def raised():
    print("RAISED", flush=True)
    app.quit()
guard.raise_requested.connect(raised)
print("READY", flush=True)
sys.exit(app.exec())
"""


@pytest.fixture
def first_window(tmp_path: Path):
    """Starts the first window in its own process, on ``tmp_path / "data"``."""
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        child = subprocess.Popen([sys.executable, "-c", FIRST_WINDOW, str(tmp_path / "data")],
                                 stdout=subprocess.PIPE, text=True, env=env)
        started.append(child)
        assert child.stdout is not None
        assert child.stdout.readline() == "READY\n"  # blocks until it holds the lock
        return child

    yield start
    for child in started:
        if child.poll() is None:
            child.kill()
        child.communicate()


def lock_owner(data: Path) -> int:
    return int((data / LOCK_FILE_NAME).read_text().split("\n", 1)[0])


def test_a_second_window_finds_the_first_and_brings_it_forward(tmp_path: Path,
                                                               first_window) -> None:
    child = first_window()
    data = tmp_path / "data"
    found = claim(data)
    assert found == OtherInstance(child.pid, data / REQUEST_FILE_NAME)
    assert lock_owner(data) == child.pid  # the first window's lock is left as it is
    assert found.bring_forward() is None
    out, _ = child.communicate(timeout=60)
    assert out == "RAISED\n" and child.returncode == 0


def test_a_lock_left_by_a_killed_window_is_taken_over(qapp: QApplication, tmp_path: Path,
                                                      first_window) -> None:
    child = first_window()
    child.kill()
    child.wait()
    data = tmp_path / "data"
    assert lock_owner(data) == child.pid  # left behind, its process gone
    guard = claim(data)
    try:
        assert isinstance(guard, InstanceGuard) and guard.locked
        assert lock_owner(data) == os.getpid()
    finally:
        guard.release()
    assert not (data / LOCK_FILE_NAME).exists()


def test_a_lock_whose_pid_now_belongs_to_another_program_of_that_name_is_taken_over(
        qapp: QApplication, tmp_path: Path) -> None:
    from PySide6.QtCore import QLockFile

    probe = QLockFile(str(tmp_path / "probe.lock"))  # what Qt writes in a lock, from here
    assert probe.tryLock(0)
    written = (tmp_path / "probe.lock").read_text()
    probe.unlock()
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)  # a live Python that is not a window
    try:
        data = tmp_path / "data"
        data.mkdir()
        # The lock of a killed window whose pid the system has since given to that Python.
        (data / LOCK_FILE_NAME).write_text(str(other.pid) + written[written.index("\n"):])
        by_pid = QLockFile(str(data / LOCK_FILE_NAME))
        by_pid.setStaleLockTime(0)
        assert not by_pid.tryLock(0)  # by its pid and name alone the lock looks held
        guard = claim(data)
        assert isinstance(guard, InstanceGuard) and guard.locked
        assert lock_owner(data) == os.getpid()
        guard.release()
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait()


def test_the_lock_is_held_until_released(qapp: QApplication, tmp_path: Path) -> None:
    guard = claim(tmp_path)
    assert isinstance(guard, InstanceGuard) and guard.locked
    assert claim(tmp_path) == OtherInstance(os.getpid(), tmp_path / REQUEST_FILE_NAME)
    guard.release()
    again = claim(tmp_path)
    assert isinstance(again, InstanceGuard) and again.locked
    again.release()


def test_each_request_to_come_forward_is_seen(qapp: QApplication, qtbot, tmp_path: Path) -> None:
    guard = claim(tmp_path)
    assert isinstance(guard, InstanceGuard)
    requests: list[bool] = []
    guard.raise_requested.connect(lambda: requests.append(True))
    other = OtherInstance(os.getpid(), tmp_path / REQUEST_FILE_NAME)
    try:
        for count in (1, 2):
            assert other.bring_forward() is None
            qtbot.waitUntil(lambda count=count: len(requests) == count)
            assert (tmp_path / REQUEST_FILE_NAME).stat().st_size == 0
    finally:
        guard.release()


def test_the_second_window_says_so_and_asks_the_first_to_come_forward(
        qapp: QApplication, qtbot, tmp_path: Path) -> None:
    guard = claim(tmp_path)
    assert isinstance(guard, InstanceGuard)
    requests: list[bool] = []
    guard.raise_requested.connect(lambda: requests.append(True))
    asked: list[tuple[object, Path, int]] = []
    try:
        assert claim_or_hand_over(
            tmp_path, lambda parent, folder, pid: asked.append((parent, folder, pid)) or False
        ) is None
        assert asked == [(None, tmp_path, os.getpid())]
        assert (tmp_path / REQUEST_FILE_NAME).stat().st_size == 0  # "Close": nothing asked
        assert claim_or_hand_over(tmp_path, lambda parent, folder, pid: True) is None
        qtbot.waitUntil(lambda: requests == [True])
    finally:
        guard.release()


def test_a_window_that_cannot_be_asked_is_explained(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(AlreadyOpenDialog, "show_unreachable",
                        classmethod(lambda cls, parent, why: shown.append(why)))
    monkeypatch.setattr(single_instance, "claim",
                        lambda data: OtherInstance(42, tmp_path / "gone" / REQUEST_FILE_NAME))
    assert claim_or_hand_over(tmp_path, lambda parent, folder, pid: True) is None
    assert shown == ["No such file or directory"]


def test_a_second_window_never_opens_the_history_nor_offers_the_live_session(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    from datetime import datetime

    from player.store.history import HistoryStore

    guard = claim(isolated_data_dir)
    assert isinstance(guard, InstanceGuard)
    with HistoryStore.open(isolated_data_dir) as first:  # the first window's session in play
        live = first.start_session(routine_title="Live", started_at=datetime.now(UTC))

    def must_not(*args: object) -> object:
        raise AssertionError("the second window went on starting")

    asked: list[int] = []
    monkeypatch.setattr(AlreadyOpenDialog, "ask",
                        classmethod(lambda cls, parent, folder, pid: asked.append(pid) or True))
    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(must_not))
    monkeypatch.setattr(application, "build_app", must_not)
    monkeypatch.setattr(application, "configure_logging", must_not)
    requests: list[bool] = []
    guard.raise_requested.connect(lambda: requests.append(True))
    try:
        assert application.run_gui(data_dir_flag=str(isolated_data_dir)) == 0
        assert asked == [os.getpid()]
        with HistoryStore.open(isolated_data_dir) as store:
            assert store.session(live).outcome == "in_progress"
        assert (isolated_data_dir / REQUEST_FILE_NAME).read_bytes() == b"raise\n"
    finally:
        guard.release()


def test_a_folder_that_cannot_hold_a_lock_does_not_stop_the_app(qapp: QApplication,
                                                               tmp_path: Path) -> None:
    with read_only(tmp_path):
        guard = claim(tmp_path)
    assert isinstance(guard, InstanceGuard) and not guard.locked
    guard.release()
    assert list(tmp_path.iterdir()) == []


def test_the_lock_and_request_files_are_private(qapp: QApplication, tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("file modes work differently on Windows")
    guard = claim(tmp_path / "data")
    try:
        for name in (LOCK_FILE_NAME, REQUEST_FILE_NAME):
            assert (tmp_path / "data" / name).stat().st_mode & 0o777 == 0o600
    finally:
        guard.release()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_bring_to_front_restores_a_minimised_window(qapp: QApplication, qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    assert window.isMinimized()
    bring_to_front(window)
    assert not window.isMinimized() and window.isVisible()


def test_the_question_is_plain_text_and_offers_to_bring_the_window_forward(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "<b>bold</b> <img src=file:///etc/passwd>"
    seen: dict[str, object] = {}

    def answer(box: QMessageBox) -> int:
        seen["title"] = box.windowTitle()
        seen["texts"] = [box.text(), box.informativeText()]
        seen["formats"] = {label.textFormat() for label in box.findChildren(QLabel)
                           if label.text()}
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == BRING_FORWARD).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert AlreadyOpenDialog.ask(None, folder, 4242) is True
    assert seen["title"] == ALREADY_OPEN
    assert seen["texts"][0] == "Routine Player is already open"
    assert str(folder) in seen["texts"][1] and "4242" in seen["texts"][1]
    assert seen["formats"] == {Qt.TextFormat.PlainText}
    assert seen["buttons"] == ["Bring that window forward", "Close"]
    AlreadyOpenDialog.ask(None, folder, 0)  # the lock file did not name its process
    assert "process" not in seen["texts"][1] and f"({folder})" in seen["texts"][1]
