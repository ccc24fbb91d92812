"""A fake desktop idle time on the bus at ``argv[1]``: ``argv[2]`` says which services serve.

Run as a child process by ``tests/integration/test_idle_dbus.py``. ``mutter`` serves GNOME's
``org.gnome.Mutter.IdleMonitor`` (``GetIdletime``: 7000 ms), ``screensaver`` serves
``org.freedesktop.ScreenSaver`` (``GetSessionIdleTime``: 42 s), ``both`` serves the two. It
prints ``ready`` once it owns the names, then serves until it is terminated.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

MUTTER_MS = 7000
SCREENSAVER_S = 42


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class FakeMutter(QObject):
    """GNOME's idle monitor: milliseconds, as a uint64."""

    @Slot(result="qulonglong")
    def GetIdletime(self) -> int:  # noqa: N802 - the D-Bus name
        return MUTTER_MS


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class FakeScreenSaver(QObject):
    """KDE's and others' screensaver: seconds, as a uint32."""

    @Slot(result="uint")
    def GetSessionIdleTime(self) -> int:  # noqa: N802 - the D-Bus name
        return SCREENSAVER_S


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.connectToBus(sys.argv[1], "fake-idle")
    kind = sys.argv[2]
    served = []
    if kind in ("mutter", "both"):
        served.append(("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                       FakeMutter()))
    if kind in ("screensaver", "both"):
        served.append(("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                       FakeScreenSaver()))
    for name, path, service in served:
        exported = bus.registerObject(path, service,
                                      QDBusConnection.RegisterOption.ExportAllSlots)
        if not (bus.isConnected() and exported and bus.registerService(name)):
            print(f"cannot serve {name}: {bus.lastError().message()}", flush=True)
            return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
