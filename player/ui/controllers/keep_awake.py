"""Keeps the screen awake while a session plays: no screensaver, no sleep during a 12-minute ice.

:class:`KeepAwake` listens to the :class:`~player.ui.controllers.session_controller.SessionController`
and holds an :class:`Inhibitor` while a step is in play and not paused (counting down, waiting
for "Done" or for the ice/heat barrier); it releases it on pause, stop, finish, leaving the
player (closing the window stops the session first) and when the application quits.

The window is tested with a fake inhibitor; the real ones are:

* :class:`FreedesktopScreenSaver` (Linux and the BSDs): ``Inhibit``/``UnInhibit`` of the
  freedesktop ``org.freedesktop.ScreenSaver`` interface on the session bus, through QtDBus
  (imported with the first session). GNOME, KDE Plasma, Xfce and others implement it, and
  drop an inhibition when the process that asked leaves the bus, so a crash leaks nothing.
* :class:`UnsupportedPlatform` elsewhere: nothing is held (a documented limit, see README).

When the screen cannot be kept awake the reason is given once (``unavailable``) and the session
plays on. Calls are synchronous with a short timeout: a reply takes a fraction of a millisecond
(``bench/bench_keep_awake.py``), and a screensaver that hangs can hold the window up for at
most :data:`CALL_TIMEOUT_MS` a call. Where no session bus can be found QtDBus is not loaded.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

    from player.ui.controllers.session_controller import SessionController

log = logging.getLogger(__name__)

#: Engine states (values of :class:`player.core.engine.EngineState`) in which the screen stays
#: on: a step counting down, an untimed set waiting for "Done", ice or heat waiting for the
#: barrier check. Paused, finished, stopped and idle let it sleep.
AWAKE_STATES = frozenset({"running", "awaiting_done", "awaiting_confirmation"})

#: What the desktop is told (some show it, e.g. GNOME's "apps preventing sleep").
REASON = "Playing an exercise session"
SERVICE = "org.freedesktop.ScreenSaver"
OBJECT_PATH = "/org/freedesktop/ScreenSaver"
INTERFACE = "org.freedesktop.ScreenSaver"
#: The longest a call to the screensaver may hold up the window (ms).
CALL_TIMEOUT_MS = 1000

# Why the screen may sleep, as the person is told (once).
NO_SESSION_BUS = "there is no desktop session bus (D-Bus) to ask ({detail})"
NO_BUS_ADDRESS = "DBUS_SESSION_BUS_ADDRESS is not set and there is no $XDG_RUNTIME_DIR/bus"
NO_SERVICE = ("the desktop offers no screensaver service (org.freedesktop.ScreenSaver) on "
              "its session bus")
CALL_FAILED = "the desktop's screensaver refused to stay off ({detail})"
UNSUPPORTED = ("keeping the screen awake is only done on Linux desktops; on this system, "
               "change the power settings for long sessions")


class Inhibitor(Protocol):
    """Something that keeps the screen awake while held."""

    def hold(self, reason: str) -> str | None:
        """Keep the screen awake; returns None when it is held, else why it cannot be.

        Holding while already held changes nothing.
        """

    def release(self) -> None:
        """Let the screen sleep again; nothing happens when it is not held. Never raises."""


class UnsupportedPlatform:
    """The inhibitor of a platform where the app does not keep the screen awake."""

    def hold(self, reason: str) -> str | None:
        """Never held: returns :data:`UNSUPPORTED`."""
        return UNSUPPORTED

    def release(self) -> None:
        """Nothing to release."""


class FreedesktopScreenSaver:
    """``org.freedesktop.ScreenSaver`` on the session bus (or the bus ``connect`` returns).

    ``Inhibit(application, reason)`` returns a cookie; ``UnInhibit(cookie)`` gives it back.
    The cookie is a D-Bus ``uint32``: PySide6 would send a Python int as ``int32``, which the
    desktops refuse, so ``UnInhibit`` goes through an introspected ``QDBusInterface``, which
    converts it to the signature the service declares.
    """

    def __init__(self, application: str,
                 connect: Callable[[], QDBusConnection] | None = None) -> None:
        self._application = application
        self._connect = connect
        self._interface: QDBusInterface | None = None
        self._cookie: int | None = None

    @property
    def cookie(self) -> int | None:
        """The cookie of the inhibition held, None when none is."""
        return self._cookie

    def hold(self, reason: str) -> str | None:
        """Ask the screensaver to stay off (once; again after a release)."""
        if self._cookie is not None:
            return None
        interface, problem = self._find_interface()
        if interface is None:
            return problem
        reply = interface.call("Inhibit", self._application, reason)
        arguments = reply.arguments()
        if reply.errorName() or not arguments or not isinstance(arguments[0], int):
            self._interface = None  # the service may come back: look for it again next time
            return CALL_FAILED.format(detail=reply.errorMessage() or "no cookie in its reply")
        self._cookie = arguments[0]
        log.info("screensaver inhibited (cookie %d)", self._cookie)
        return None

    def release(self) -> None:
        """Give the cookie back; a failure is logged (the bus drops it when the app exits)."""
        cookie, self._cookie = self._cookie, None
        if cookie is None or self._interface is None:
            return
        from PySide6.QtCore import Q_ARG, QMetaObject, Qt

        try:
            called = QMetaObject.invokeMethod(self._interface, "UnInhibit",
                                              Qt.ConnectionType.DirectConnection,
                                              Q_ARG("uint", cookie))
            error = self._interface.lastError()
        except Exception:  # never let the screensaver break a stop or a close
            log.exception("could not give the screensaver its cookie %d back", cookie)
            return
        if not called or error.isValid():
            log.warning("the screensaver did not take its cookie %d back: %s", cookie,
                        error.message() or "no such method")
        else:
            log.info("screensaver released (cookie %d)", cookie)

    def _find_interface(self) -> tuple[QDBusInterface | None, str]:
        if self._interface is not None:
            return self._interface, ""
        if self._connect is None and not session_bus_configured():
            return None, NO_SESSION_BUS.format(detail=NO_BUS_ADDRESS)
        from PySide6.QtDBus import QDBusConnection, QDBusInterface

        bus = self._connect() if self._connect is not None else QDBusConnection.sessionBus()
        if not bus.isConnected():
            return None, NO_SESSION_BUS.format(detail=bus.lastError().message() or "none set")
        registered = bus.interface().isServiceRegistered(SERVICE)
        if not registered.isValid() or not registered.value():
            return None, NO_SERVICE
        interface = QDBusInterface(SERVICE, OBJECT_PATH, INTERFACE, bus)
        if not interface.isValid():
            return None, NO_SERVICE
        interface.setTimeout(CALL_TIMEOUT_MS)
        self._interface = interface
        return interface, ""


def session_bus_configured(env: Mapping[str, str] = os.environ) -> bool:
    """Whether a session bus can be found where libdbus looks: ``DBUS_SESSION_BUS_ADDRESS``,
    then ``$XDG_RUNTIME_DIR/bus``.

    libdbus would go on to start a bus of its own for the X11 display ("autolaunch"); such a new
    bus has no screensaver on it, so when this is False the app does not ask (nor load QtDBus).
    """
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    return runtime is not None and runtime != "" and Path(runtime, "bus").exists()


def platform_inhibitor(application: str) -> Inhibitor:
    """The inhibitor for this platform (nothing is asked of the desktop until a session)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return FreedesktopScreenSaver(application)
    return UnsupportedPlatform()


class KeepAwake(QObject):
    """Holds ``inhibitor`` while ``controller``'s session is in play and not paused.

    ``unavailable(str)`` says, once, why the screen cannot be kept awake (the first time a
    session plays and it cannot); sessions play on regardless.
    """

    unavailable = Signal(str)

    def __init__(self, controller: SessionController, inhibitor: Inhibitor,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inhibitor = inhibitor
        self._held = False
        self._told = False
        controller.state_changed.connect(self.follow)
        controller.session_closed.connect(self.release)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release)

    @property
    def held(self) -> bool:
        """True while the screen is kept awake."""
        return self._held

    @property
    def inhibitor(self) -> Inhibitor:
        """What keeps the screen awake."""
        return self._inhibitor

    def release(self) -> None:
        """Let the screen sleep (nothing happens when it is not held)."""
        if self._held:
            self._held = False
            self._inhibitor.release()

    def follow(self, state: str) -> None:
        """Hold while ``state`` (the session's) is in :data:`AWAKE_STATES`, else release;
        called with each state change of the controller's session."""
        if state not in AWAKE_STATES:
            self.release()
        elif not self._held:
            try:
                problem = self._inhibitor.hold(REASON)
            except Exception as exc:  # the session must play on whatever the desktop does
                log.exception("could not ask the screensaver to stay off")
                problem = CALL_FAILED.format(detail=exc)
            self._held = problem is None
            if problem is not None and not self._told:
                self._told = True
                log.info("the screen may sleep during sessions: %s", problem)
                self.unavailable.emit(problem)
