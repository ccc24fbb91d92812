"""The idle probe against a fake bus object: the bus is connected once, the service that
answered is asked first from then on, and a service that stops answering is looked for again.

(``tests/integration/test_idle_dbus.py`` asks fake services on a real private bus.)
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtDBus import QDBusMessage

from player.ui.controllers.idle_probe import MUTTER, SCREENSAVER, DesktopIdleProbe


class FakeBus:
    """Answers the services in ``answers`` (name: value); any other, as the bus daemon does
    for a name nobody owns, with an error. Records the services asked, in order."""

    def __init__(self, answers: dict[str, int]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def isConnected(self) -> bool:  # noqa: N802 - QDBusConnection's name
        return True

    def call(self, message: QDBusMessage, mode: object, timeout: int) -> QDBusMessage:
        self.asked.append(message.service())
        if message.service() in self.answers:
            return message.createReply(self.answers[message.service()])
        return message.createErrorReply("org.freedesktop.DBus.Error.ServiceUnknown",
                                        "The name is not activatable")


def probe_with(bus: FakeBus) -> tuple[DesktopIdleProbe, list[FakeBus]]:
    connected: list[FakeBus] = []

    def connect() -> FakeBus:
        connected.append(bus)
        return bus

    return DesktopIdleProbe(connect), connected  # type: ignore[arg-type]


def test_the_bus_is_connected_once_and_the_answering_service_asked_first(qapp) -> None:
    bus = FakeBus({SCREENSAVER.service: 42})  # KDE: no Mutter
    probe, connected = probe_with(bus)
    assert probe.idle_time() == timedelta(seconds=42)
    assert bus.asked == [MUTTER.service, SCREENSAVER.service]
    assert probe.idle_time() == timedelta(seconds=42)
    assert probe.idle_time() == timedelta(seconds=42)
    assert bus.asked == [MUTTER.service, SCREENSAVER.service, SCREENSAVER.service,
                         SCREENSAVER.service]  # found once: one call a question after
    assert len(connected) == 1


def test_a_service_that_stops_answering_is_looked_for_again(qapp) -> None:
    bus = FakeBus({MUTTER.service: 7000})
    probe, _ = probe_with(bus)
    assert probe.idle_time() == timedelta(seconds=7) and bus.asked == [MUTTER.service]
    bus.answers = {SCREENSAVER.service: 42}  # the desktop changed
    bus.asked.clear()
    assert probe.idle_time() == timedelta(seconds=42)
    assert bus.asked == [MUTTER.service, MUTTER.service, SCREENSAVER.service]
    assert probe.service == SCREENSAVER.service
    bus.answers = {}
    assert probe.idle_time() is None and probe.service == ""
