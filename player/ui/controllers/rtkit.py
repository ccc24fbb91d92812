"""Asks rtkit (``org.freedesktop.RealtimeKit1`` on the system bus) for the cue process's priority.

The cue process asks the kernel for SCHED_RR and a lower nice value itself, which most users are
refused (see :mod:`player.audio.cue_process`). Desktops with PipeWire or PulseAudio run rtkit,
which grants them to a user's own processes within its limits: :func:`ask_rtkit` asks it for
real time (``MakeThreadRealtimeWithPID``, at the lower of the process's priority and rtkit's
``MaxRealtimePriority``) and, if that is refused, for a high priority
(``MakeThreadHighPriorityWithPID``, at the higher of the process's nice value and rtkit's
``MinNiceLevel``). The cue process has set its RLIMIT_RTTIME, as rtkit requires for real time.
rtkit sets SCHED_RESET_ON_FORK with real time, so the players the process starts are not.

:func:`ask_in_background` does it from a thread of its own, each call waiting at most
:data:`CALL_TIMEOUT_MS`: neither the window nor a cue waits for it. Whatever the outcome (no
system bus, no rtkit, refused) it is one line in the log; the person is told nothing, as cues
play either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from player.audio.cue_process import NICE, RR_PRIORITY

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.RealtimeKit1"
OBJECT_PATH = "/org/freedesktop/RealtimeKit1"
INTERFACE = "org.freedesktop.RealtimeKit1"
PROPERTIES = "org.freedesktop.DBus.Properties"
#: The longest one call to rtkit may take (ms); there are at most five.
CALL_TIMEOUT_MS = 250
#: rtkit's own defaults, used where its properties cannot be read.
DEFAULT_MAX_REALTIME_PRIORITY = 20
DEFAULT_MIN_NICE_LEVEL = -15

# What the log says (one line each time it is asked).
GRANTED_REALTIME = "rtkit made the cue process %d real time (SCHED_RR %d)"
GRANTED_NICE = "rtkit gave the cue process %d nice %d (real time refused: %s)"
NOT_GRANTED = "the cue process %d keeps the app's priority: %s"
NO_SYSTEM_BUS = "there is no system bus (D-Bus) to ask rtkit on ({detail})"
NO_SERVICE = "no rtkit (org.freedesktop.RealtimeKit1) on the system bus"
BOTH_REFUSED = "rtkit refused real time ({realtime}) and a high priority ({nice})"


def ask_rtkit(pid: int, tid: int,
              connect: Callable[[], QDBusConnection] | None = None) -> str:
    """Ask rtkit for real time for thread ``tid`` of process ``pid``, else a high priority;
    returns the log line of what it granted or why not. Blocks up to five short calls."""
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

    bus = connect() if connect is not None else QDBusConnection.systemBus()
    if not bus.isConnected():
        return NOT_GRANTED % (pid, NO_SYSTEM_BUS.format(
            detail=bus.lastError().message() or "none found"))
    registered = bus.interface().isServiceRegistered(SERVICE)
    if not registered.isValid() or not registered.value():
        return NOT_GRANTED % (pid, NO_SERVICE)
    properties = QDBusInterface(SERVICE, OBJECT_PATH, PROPERTIES, bus)
    properties.setTimeout(CALL_TIMEOUT_MS)
    interface = QDBusInterface(SERVICE, OBJECT_PATH, INTERFACE, bus)
    if not interface.isValid():
        return NOT_GRANTED % (pid, NO_SERVICE)
    interface.setTimeout(CALL_TIMEOUT_MS)
    priority = min(RR_PRIORITY, _property(properties, "MaxRealtimePriority",
                                          DEFAULT_MAX_REALTIME_PRIORITY))
    realtime = _call(interface, "MakeThreadRealtimeWithPID", pid, tid, ("uint", priority))
    if realtime is None:
        return GRANTED_REALTIME % (pid, priority)
    nice = max(NICE, _property(properties, "MinNiceLevel", DEFAULT_MIN_NICE_LEVEL))
    refused = _call(interface, "MakeThreadHighPriorityWithPID", pid, tid, ("int", nice))
    if refused is None:
        return GRANTED_NICE % (pid, nice, realtime)
    return NOT_GRANTED % (pid, BOTH_REFUSED.format(realtime=realtime, nice=refused))


def ask_in_background(pid: int, tid: int,
                      connect: Callable[[], QDBusConnection] | None = None) -> threading.Thread:
    """:func:`ask_rtkit` from a thread of its own, its outcome logged; returns at once."""

    def ask() -> None:
        try:
            log.info(ask_rtkit(pid, tid, connect))
        except Exception as exc:  # whatever the bus does, cues play on
            log.info(NOT_GRANTED, pid, f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=ask, name="rtkit", daemon=True)
    thread.start()
    return thread


def _property(properties: QDBusInterface, name: str, default: int) -> int:
    """rtkit's property ``name``, or ``default`` where it cannot be read."""
    from PySide6.QtDBus import QDBusVariant

    reply = properties.call("Get", INTERFACE, name)
    arguments = reply.arguments()
    value = arguments[0] if arguments and not reply.errorName() else None
    if isinstance(value, QDBusVariant):
        value = value.variant()
    return value if isinstance(value, int) else default


def _call(interface: QDBusInterface, method: str, pid: int, tid: int,
          priority: tuple[str, int]) -> str | None:
    """Call ``method(pid: u64, tid: u64, priority)``; None when granted, else why not.

    The ids are D-Bus ``uint64`` and the priority of the type rtkit declares: the introspected
    interface converts the typed arguments to its signature (a Python int alone would go as
    ``int32``, which rtkit refuses)."""
    from PySide6.QtCore import Q_ARG, QMetaObject, Qt

    called = QMetaObject.invokeMethod(interface, method, Qt.ConnectionType.DirectConnection,
                                      Q_ARG("qulonglong", pid), Q_ARG("qulonglong", tid),
                                      Q_ARG(*priority))
    error = interface.lastError()
    if not called:
        return f"no method {method}"
    if error.isValid():
        return error.message() or error.name()
    return None
