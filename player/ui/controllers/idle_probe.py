"""How long the computer has had no keyboard or mouse input, where the desktop says.

The sitting-break reminder (:class:`player.core.breaks.SittingClock`) counts a spell away from
the computer as having got up. Qt offers no idle time, so on Linux the desktop is asked over
the session bus, through QtDBus (imported with the first question):

* GNOME's ``org.gnome.Mutter.IdleMonitor`` (``/org/gnome/Mutter/IdleMonitor/Core``,
  ``GetIdletime``, milliseconds). GNOME Shell also owns ``org.freedesktop.ScreenSaver`` but
  answers ``GetSessionIdleTime`` with an error, so Mutter is asked first;
* ``org.freedesktop.ScreenSaver.GetSessionIdleTime`` (KDE Plasma and others, seconds).

Where neither answers, :meth:`DesktopIdleProbe.idle_time` is None and the reminder counts wall
time, with "snooze" (the sitting-breaks setting says so). Calls are synchronous with a short
timeout, made once soon after sitting breaks are turned on (that one connects to the bus and
finds the service) and then once a break, at it (see :mod:`player.ui.week_features`): each
wakes the process once, a few context switches across its main and QtDBus threads
(``bench/bench_idle_tray.py``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from player.ui.controllers.keep_awake import CALL_TIMEOUT_MS, session_bus_configured

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IdleService:
    """A D-Bus method that answers the idle time, and the unit of its answer."""

    service: str
    path: str
    interface: str
    method: str
    milliseconds: bool


MUTTER = IdleService("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                     "org.gnome.Mutter.IdleMonitor", "GetIdletime", milliseconds=True)
SCREENSAVER = IdleService("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                          "org.freedesktop.ScreenSaver", "GetSessionIdleTime",
                          milliseconds=False)
#: Asked in this order; the first that answers is kept.
SERVICES = (MUTTER, SCREENSAVER)


class IdleProbe(Protocol):
    """Something that can say how long the computer has been left alone."""

    def idle_time(self) -> timedelta | None:
        """Time since the last keyboard or mouse input; None when it cannot be known."""


class NoIdleProbe:
    """A platform where the app does not ask the desktop: idle time is never known."""

    def idle_time(self) -> timedelta | None:
        """Always None."""
        return None


class DesktopIdleProbe:
    """Asks the desktop over the session bus (or the bus ``connect`` returns).

    Plain method calls, with no introspection and no look-up of the names first: a service
    that is not there answers with an error at once, and the next is asked. The one that
    answered is asked first from then on; the bus is connected once.
    """

    def __init__(self, connect: Callable[[], QDBusConnection] | None = None) -> None:
        self._connect = connect
        self._bus: QDBusConnection | None = None
        self._found: IdleService | None = None

    @property
    def service(self) -> str:
        """The name of the service that last answered ("" before one has)."""
        return "" if self._found is None else self._found.service

    def idle_time(self) -> timedelta | None:
        """The idle time from the first service that answers, None when none does."""
        bus = self._session_bus()
        if bus is None:
            return None
        if self._found is not None:
            answer = _ask(bus, self._found)
            if answer is not None:
                return answer
            self._found = None  # the desktop may have changed: look again
        for service in SERVICES:
            answer = _ask(bus, service)
            if answer is not None:
                self._found = service
                log.info("idle time from %s", service.service)
                return answer
        return None

    def _session_bus(self) -> QDBusConnection | None:
        if self._bus is None:
            if self._connect is None and not session_bus_configured():
                return None
            from PySide6.QtDBus import QDBusConnection

            self._bus = self._connect() if self._connect is not None \
                else QDBusConnection.sessionBus()
        return self._bus if self._bus.isConnected() else None


def _ask(bus: QDBusConnection, service: IdleService) -> timedelta | None:
    from PySide6.QtDBus import QDBus, QDBusMessage

    call = QDBusMessage.createMethodCall(service.service, service.path, service.interface,
                                         service.method)
    try:
        reply = bus.call(call, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
    except Exception:  # the reminder must go on whatever the desktop does
        log.exception("could not ask %s for the idle time", service.service)
        return None
    arguments = reply.arguments()
    if reply.type() != QDBusMessage.MessageType.ReplyMessage or not arguments \
            or not isinstance(arguments[0], int) or arguments[0] < 0:
        return None
    value = arguments[0]
    return timedelta(milliseconds=value) if service.milliseconds else timedelta(seconds=value)


def platform_idle_probe() -> IdleProbe:
    """The idle probe for this platform (nothing is asked until a reminder is near)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return DesktopIdleProbe()
    return NoIdleProbe()
