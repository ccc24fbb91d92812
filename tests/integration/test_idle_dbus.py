"""The desktop's idle time over D-Bus: a private bus, fake GNOME and KDE idle services.

A private ``dbus-daemon`` runs for each test (as in ``test_keep_awake_dbus.py``); a child
process serves GNOME's ``org.gnome.Mutter.IdleMonitor``, the freedesktop
``org.freedesktop.ScreenSaver``, both, or neither; the probe asks from this process over its
own connection to that bus.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from player.ui.controllers.idle_probe import MUTTER, SCREENSAVER, DesktopIdleProbe
from tests.integration.test_keep_awake_dbus import (
    ROOT,
    bus_address,
    pytestmark,
    read_line,
    stop,
)

__all__ = ["bus_address", "pytestmark"]  # the same private bus and skips (Linux, dbus-daemon)

HERE = Path(__file__).resolve().parent
FAKE_IDLE = HERE / "dbus_child" / "fake_idle_monitor.py"
_names = itertools.count()

ServeIdle = Callable[[str], subprocess.Popen[str]]


@pytest.fixture
def serve(bus_address: str) -> Iterator[ServeIdle]:
    """Start the fake idle services of a kind on the private bus (stopped after the test)."""
    started: list[subprocess.Popen[str]] = []

    def start(kind: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, str(FAKE_IDLE), bus_address, kind],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT)
        started.append(proc)
        assert read_line(proc) == "ready"
        return proc

    yield start
    for proc in started:
        stop(proc)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def probe_on(address: str) -> DesktopIdleProbe:
    from PySide6.QtDBus import QDBusConnection

    name = f"idle-test-{next(_names)}"
    return DesktopIdleProbe(lambda: QDBusConnection.connectToBus(address, name))


def test_gnomes_idle_monitor_in_milliseconds(qapp, bus_address: str, serve: ServeIdle) -> None:
    serve("mutter")
    probe = probe_on(bus_address)
    assert probe.idle_time() == timedelta(seconds=7)
    assert probe.service == MUTTER.service


def test_the_freedesktop_screensaver_in_seconds(qapp, bus_address: str,
                                                serve: ServeIdle) -> None:
    serve("screensaver")
    probe = probe_on(bus_address)
    assert probe.idle_time() == timedelta(seconds=42)
    assert probe.service == SCREENSAVER.service


def test_gnomes_monitor_is_asked_before_the_screensaver(qapp, bus_address: str,
                                                        serve: ServeIdle) -> None:
    serve("both")  # GNOME Shell owns both names; only Mutter's answer can be trusted there
    assert probe_on(bus_address).idle_time() == timedelta(seconds=7)


def test_no_service_is_none_and_a_service_that_leaves_is_noticed(
        qapp, bus_address: str, serve: ServeIdle) -> None:
    probe = probe_on(bus_address)
    assert probe.idle_time() is None  # nothing serves: wall time
    service = serve("screensaver")
    assert probe.idle_time() == timedelta(seconds=42)  # looked for again, found
    stop(service)
    assert probe.idle_time() is None and probe.service == ""


def test_no_session_bus_is_none(qapp, tmp_path: Path) -> None:
    assert probe_on(f"unix:path={tmp_path / 'no-such-bus'}").idle_time() is None
