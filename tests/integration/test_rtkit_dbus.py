"""rtkit is asked for the cue process's priority: a private bus standing for the system bus,
a fake ``org.freedesktop.RealtimeKit1`` in a child process recording every call.

The fake's limits (MaxRealtimePriority 5, MinNiceLevel -7) are below what the cue process asks
for, so the priorities sent show that rtkit's own limits were read and kept to.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection

from player.audio import CueProcessOutput
from player.ui.controllers import rtkit
from tests.integration import test_cue_process as cue_tests
from tests.integration import test_keep_awake_dbus as bus_tests
from tests.integration.test_cue_process import Started
from tests.integration.test_keep_awake_dbus import ROOT, read_line, stop

pytestmark = [*bus_tests.pytestmark, cue_tests.pytestmark]
bus_address = bus_tests.bus_address  # the fixtures
fake_player = cue_tests.fake_player

FAKE_SERVICE = Path(__file__).resolve().parent / "dbus_child" / "fake_rtkit.py"
PID, TID = 4_000_000_123, 4_000_000_456  # above 2**31: sent as int32 they would not arrive
JOIN_SECONDS = 10.0


def start_fake(bus_address: str, log: Path, mode: str) -> subprocess.Popen[str]:
    log.touch()
    service = subprocess.Popen([sys.executable, str(FAKE_SERVICE), bus_address, str(log), mode],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT)
    assert read_line(service) == "ready"
    return service


@pytest.fixture(params=["grant", "no-realtime"])
def fake_rtkit(request: pytest.FixtureRequest, bus_address: str,
               tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The fake rtkit serving on the private bus in one mode; yields the mode and its log."""
    log = tmp_path / "calls.jsonl"
    service = start_fake(bus_address, log, request.param)
    try:
        yield request.param, log
    finally:
        stop(service)
        for stream in (service.stdout, service.stderr):
            if stream is not None:
                stream.close()


def calls(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def connect_to(address: str) -> Callable[[], QDBusConnection]:
    # A name of its own: a connection's name is reused, and each test has a bus of its own.
    return lambda: QDBusConnection.connectToBus(address, f"rtkit-test {address}")


def expected_calls(mode: str, pid: int, tid: int) -> list[dict[str, object]]:
    realtime = {"call": "MakeThreadRealtimeWithPID", "signature": "ttu", "process": pid,
                "thread": tid, "priority": 5}  # min(RR_PRIORITY 10, MaxRealtimePriority 5)
    nice = {"call": "MakeThreadHighPriorityWithPID", "signature": "tti", "process": pid,
            "thread": tid, "priority": -7}  # max(NICE -10, MinNiceLevel -7)
    return [realtime] if mode == "grant" else [realtime, nice]


def test_real_time_is_asked_for_first_then_a_high_priority_within_rtkits_limits(
        qapp: object, bus_address: str, fake_rtkit: tuple[str, Path],
        caplog: pytest.LogCaptureFixture) -> None:
    mode, log = fake_rtkit
    caplog.set_level(logging.INFO, logger=rtkit.__name__)
    rtkit.ask_in_background(PID, TID, connect_to(bus_address)).join(JOIN_SECONDS)
    assert calls(log) == expected_calls(mode, PID, TID)
    said = [r.getMessage() for r in caplog.records if r.name == rtkit.__name__]
    if mode == "grant":
        assert said == [rtkit.GRANTED_REALTIME % (PID, 5)]
    else:
        assert said == [rtkit.GRANTED_NICE % (PID, -7, "Operation not permitted")]
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == rtkit.__name__)


def test_a_bus_without_rtkit_is_one_info_line(
        qapp: object, bus_address: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=rtkit.__name__)
    rtkit.ask_in_background(PID, TID, connect_to(bus_address)).join(JOIN_SECONDS)
    records = [r for r in caplog.records if r.name == rtkit.__name__]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.INFO, rtkit.NOT_GRANTED % (PID, rtkit.NO_SERVICE))]


def test_no_system_bus_is_one_info_line(
        qapp: object, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=rtkit.__name__)
    address = f"unix:path={tmp_path / 'no-such-bus'}"
    rtkit.ask_in_background(PID, TID, connect_to(address)).join(JOIN_SECONDS)
    records = [r for r in caplog.records if r.name == rtkit.__name__]
    assert len(records) == 1 and records[0].levelno == logging.INFO
    assert "no system bus" in records[0].getMessage()


def test_the_cue_process_refused_its_priority_asks_rtkit_with_its_ids_and_tells_no_one(
        qapp: object, bus_address: str, fake_rtkit: tuple[str, Path],
        fake_player: Started) -> None:
    """The real output and cue process; where the kernel grants the priority itself (root),
    the cue process's refusal is what its ready message would say to an ordinary user."""
    mode, log = fake_rtkit
    asked: list[object] = []
    reasons: list[str] = []

    def ask(pid: int, tid: int) -> None:
        asked.append(rtkit.ask_in_background(pid, tid, connect_to(bus_address)))

    out = CueProcessOutput(reasons.append, backend="alsa", on_priority_refused=ask)
    try:
        assert out.wait_idle(JOIN_SECONDS)
        pid = out.pid
        assert pid is not None
        if not asked:  # granted by the kernel: say what an ordinary user's process says
            out._on_report({"ready": {"pid": pid, "tid": pid, "refused": ["nice", "policy"]}})
        assert len(asked) == 1
        asked[0].join(JOIN_SECONDS)  # type: ignore[attr-defined]
        assert calls(log) == expected_calls(mode, pid, pid)
        assert reasons == []  # nothing for the person to read
    finally:
        out.close()
