"""The real window keeps the screen awake through D-Bus: a private bus, a fake screensaver.

A private ``dbus-daemon`` (a session bus of its own, with no service files, so nothing real is
started on it) runs for each test; a fake ``org.freedesktop.ScreenSaver`` in a child process
records every call; the window runs in another child with ``DBUS_SESSION_BUS_ADDRESS`` pointing
at the private bus, as a desktop session would set it.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.ui.controllers import keep_awake
from player.ui.main_window import APP_TITLE
from tests.private_bus import start_bus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FAKE_SERVICE = HERE / "dbus_child" / "fake_screensaver.py"
WINDOW_CHILD = HERE / "dbus_child" / "play_and_pause.py"
#: What to install where dbus-daemon is missing (Debian and Ubuntu; dev.py installs it for CI).
INSTALL_LINE = "apt-get install -y --no-install-recommends dbus-daemon"
READ_TIMEOUT_SECONDS = 60

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus session: Linux"),
    pytest.mark.skipif(shutil.which("dbus-daemon") is None,
                       reason=f"dbus-daemon is not installed: {INSTALL_LINE}"),
]


def read_line(proc: subprocess.Popen[str]) -> str:
    """The child's next line (fails if it exits or goes quiet first)."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=READ_TIMEOUT_SECONDS):
            pytest.fail(f"{proc.args!r} went quiet")
    line = proc.stdout.readline()
    if not line:
        errors = proc.stderr.read() if proc.stderr else ""
        pytest.fail(f"{proc.args!r} exited: {errors}")
    return line.strip()


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def bus_address() -> Iterator[str]:
    """The address of a private session bus, running for the test."""
    # A short folder: a unix socket's path must fit in 108 bytes.
    folder = Path(tempfile.mkdtemp(prefix="rp-bus-"))
    daemon = start_bus(folder)
    try:
        yield read_line(daemon)
    finally:
        stop(daemon)
        for stream in (daemon.stdout, daemon.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fake_screensaver(bus_address: str, tmp_path: Path) -> Iterator[Path]:
    """The fake screensaver serving on the private bus; yields its log of calls."""
    log = tmp_path / "calls.jsonl"
    log.touch()
    service = subprocess.Popen([sys.executable, str(FAKE_SERVICE), bus_address, str(log)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT)
    try:
        assert read_line(service) == "ready"
        yield log
    finally:
        stop(service)
        for stream in (service.stdout, service.stderr):
            if stream is not None:
                stream.close()


def run_window(bus_address: str) -> tuple[list[str], dict[str, list[str]]]:
    """Run the window child on ``bus_address``; its action lines and its View menu notes."""
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus_address, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)  # no X11 autolaunch of a bus of its own
    done = subprocess.run([sys.executable, str(WINDOW_CHILD)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return lines[:-1], json.loads(lines[-1])


def calls(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_inhibit_and_uninhibit_with_the_cookie_as_a_session_plays_pauses_and_stops(
        bus_address: str, fake_screensaver: Path) -> None:
    actions, report = run_window(bus_address)
    assert actions == ["start: True", "pause: True", "resume: True", "stop: True",
                       # close() waits for the stop question, answered yes: the window closes
                       # once the session is recorded as stopped
                       "start again: True", "close the window: False"]
    deadline = time.monotonic() + 10  # the log is written by another process
    while len(calls(fake_screensaver)) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    got = calls(fake_screensaver)
    inhibit = {"call": "Inhibit", "application": APP_TITLE, "reason": keep_awake.REASON}
    first = 4_000_000_000  # the fake's first cookie: above 2**31, so sent back as a uint32
    assert got == [
        {**inhibit, "cookie": first},  # start
        {"call": "UnInhibit", "cookie": first},  # pause
        {**inhibit, "cookie": first + 1},  # resume
        {"call": "UnInhibit", "cookie": first + 1},  # stop
        {**inhibit, "cookie": first + 2},  # start again
        {"call": "UnInhibit", "cookie": first + 2},  # the window closed over it
    ]
    assert report["notes"] == []  # nothing to say: it worked


def test_a_bus_without_a_screensaver_is_said_once_and_the_session_plays(
        bus_address: str) -> None:
    actions, report = run_window(bus_address)
    assert actions[0] == "start: True" and actions[3] == "stop: True"
    assert len(report["notes"]) == 1
    assert keep_awake.NO_SERVICE in report["notes"][0]


def test_no_session_bus_is_said_once_and_the_session_plays(tmp_path: Path) -> None:
    actions, report = run_window(f"unix:path={tmp_path / 'no-such-bus'}")
    assert actions[0] == "start: True" and actions[3] == "stop: True"
    assert len(report["notes"]) == 1
    assert "no desktop session bus" in report["notes"][0]
