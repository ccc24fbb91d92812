"""A fake ``org.freedesktop.RealtimeKit1`` on the bus at ``argv[1]``; logs each call to ``argv[2]``.

Run as a child process by ``tests/integration/test_rtkit_dbus.py``. ``argv[3]`` is ``grant``
(both calls granted) or ``no-realtime`` (``MakeThreadRealtimeWithPID`` answered with rtkit's
error for a process it will not make real time). It prints ``ready`` once it owns the name,
then serves until terminated. Each call is one JSON line: ``{"call": name, "signature": s,
"process": pid, "thread": tid, "priority": n}``. Its properties MaxRealtimePriority 5 and
MinNiceLevel -7 are lower than the cue process asks for, so the client must read them.

A virtual object, not a QObject's slots: PySide6 offers a slot no way to send an error reply.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusVariant, QDBusVirtualObject

INTERFACE = "org.freedesktop.RealtimeKit1"
PATH = "/org/freedesktop/RealtimeKit1"
PROPERTIES = {"MaxRealtimePriority": 5, "MinNiceLevel": -7}
INTROSPECTION = """\
<interface name="org.freedesktop.RealtimeKit1">
  <method name="MakeThreadRealtimeWithPID">
    <arg name="process" type="t" direction="in"/>
    <arg name="thread" type="t" direction="in"/>
    <arg name="priority" type="u" direction="in"/>
  </method>
  <method name="MakeThreadHighPriorityWithPID">
    <arg name="process" type="t" direction="in"/>
    <arg name="thread" type="t" direction="in"/>
    <arg name="priority" type="i" direction="in"/>
  </method>
  <property name="MaxRealtimePriority" type="i" access="read"/>
  <property name="MinNiceLevel" type="i" access="read"/>
</interface>
"""
SIGNATURES = {"MakeThreadRealtimeWithPID": "ttu", "MakeThreadHighPriorityWithPID": "tti"}


class FakeRtkit(QDBusVirtualObject):
    """Grants (or refuses real time) and records what it was asked."""

    def __init__(self, log_path: str, mode: str) -> None:
        super().__init__()
        self._log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - open while serving
        self._mode = mode

    def introspect(self, path: str) -> str:
        return INTROSPECTION

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:  # noqa: N802
        member, args = message.member(), message.arguments()
        if message.interface() == "org.freedesktop.DBus.Properties" and member == "Get":
            if args[1] not in PROPERTIES:
                reply = message.createErrorReply("org.freedesktop.DBus.Error.UnknownProperty",
                                                 args[1])
            else:
                reply = message.createReply()
                reply.setArguments([QDBusVariant(PROPERTIES[args[1]])])
        elif member in SIGNATURES:
            process, thread, priority = args
            self._log.write(json.dumps({"call": member, "signature": message.signature(),
                                        "process": process, "thread": thread,
                                        "priority": priority}) + "\n")
            self._log.flush()
            if member == "MakeThreadRealtimeWithPID" and self._mode == "no-realtime":
                reply = message.createErrorReply("org.freedesktop.DBus.Error.AccessDenied",
                                                 "Operation not permitted")
            else:
                reply = message.createReply()
        else:
            return False
        connection.send(reply)
        return True


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.connectToBus(sys.argv[1], "fake-rtkit")
    service = FakeRtkit(sys.argv[2], sys.argv[3])
    if not (bus.isConnected() and bus.registerVirtualObject(PATH, service)
            and bus.registerService(INTERFACE)):
        print(f"cannot serve: {bus.lastError().message()}", flush=True)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
