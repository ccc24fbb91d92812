"""A fake ``org.freedesktop.ScreenSaver`` on the bus at ``argv[1]``; logs each call to ``argv[2]``.

Run as a child process by ``tests/integration/test_keep_awake_dbus.py``. It prints ``ready`` once
it owns the name, then serves until it is terminated. Each call is one JSON line in the log:
``{"call": "Inhibit", "application": ..., "reason": ..., "cookie": N}`` or
``{"call": "UnInhibit", "cookie": N}``. Cookies start above 2**31, so a cookie sent back as a
signed 32-bit number (or not as ``uint32`` at all) matches no slot and is not logged.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

FIRST_COOKIE = 4_000_000_000


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class FakeScreenSaver(QObject):
    """Hands out cookies and records what it was asked."""

    def __init__(self, log_path: str) -> None:
        super().__init__()
        self._log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - open while serving
        self._next = FIRST_COOKIE

    def _record(self, entry: dict[str, object]) -> None:
        self._log.write(json.dumps(entry) + "\n")
        self._log.flush()

    @Slot(str, str, result="uint")
    def Inhibit(self, application: str, reason: str) -> int:  # noqa: N802 - the D-Bus name
        cookie, self._next = self._next, self._next + 1
        self._record({"call": "Inhibit", "application": application, "reason": reason,
                      "cookie": cookie})
        return cookie

    @Slot("uint")
    def UnInhibit(self, cookie: int) -> None:  # noqa: N802 - the D-Bus name
        self._record({"call": "UnInhibit", "cookie": cookie})


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.connectToBus(sys.argv[1], "fake-screensaver")
    service = FakeScreenSaver(sys.argv[2])
    exported = bus.registerObject("/org/freedesktop/ScreenSaver", service,
                                  QDBusConnection.RegisterOption.ExportAllSlots)
    if not (bus.isConnected() and exported
            and bus.registerService("org.freedesktop.ScreenSaver")):
        print(f"cannot serve: {bus.lastError().message()}", flush=True)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
