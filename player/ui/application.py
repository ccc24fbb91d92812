"""Builds the window and runs it: the GUI half of the composition root.

:func:`build_app` makes and wires every object (tests, the screenshot script and the benchmarks
call it too, with their own audio output and clock); :func:`show_window` shows the window with
the routine titles listed, and once it is on the screen :func:`finish_startup` does the rest:
it checks every routine, opens the history and decides the care banner, and opens the file from
the command line; the audio output (which loads the sound library) and the player page follow
when the window is complete or a session needs them. :func:`run_gui` adds the real
``QApplication``, logging, the error hook, the real audio output and the event loop.
"""

from __future__ import annotations

import linecache
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from player import APP_ID, paths, private_files
from player.core.bundled import APP_ICON_FILE, bundled_routines
from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.cue_player import CuePlayer, SoundStatus
from player.ui.controllers.library_model import RoutineLibrary
from player.ui.controllers.session_controller import SessionController
from player.ui.controllers.single_instance import bring_to_front, claim_or_hand_over
from player.ui.main_window import APP_TITLE, MainWindow
from player.ui.widgets.style import TextSize

if TYPE_CHECKING:
    from player.audio import AudioOutput, UnavailableCallback
    from player.core.engine import Clock
    from player.library_check import EarlyCheck
    from player.ui.care_features import CareFeatures
    from player.ui.controllers.collector import GuiThreadCollector
    from player.ui.week_features import WeekFeatures

log = logging.getLogger(__name__)

#: Qt's application name and desktop file name: the shared app id, so that the window's X11
#: WM_CLASS and Wayland app_id match the menu entry (player.desktop_entry).
APP_NAME = APP_ID
#: The log file, in the data folder: unexpected errors are written here with their traceback.
LOG_FILE_NAME = "routine-player.log"
LOG_FILE_MAX_BYTES = 512_000
#: How long after the library's first check :func:`finish_idle_startup` runs (unless a session
#: needs it sooner): the window is complete by then, and the sound library loads while it idles.
IDLE_STARTUP_DELAY_MS = 300

#: Makes the audio output, given the callback it must call when sound turns out not to work.
AudioFactory = Callable[["UnavailableCallback"], "AudioOutput"]


@dataclass
class App:
    """Everything :func:`build_app` made, for whoever drives the window.

    ``audio`` is None until :func:`finish_startup` made it with ``audio_factory``.
    """

    window: MainWindow
    settings: AppSettings
    library: RoutineLibrary
    controller: SessionController
    cue_player: CuePlayer
    sound_status: SoundStatus
    text_size: TextSize
    data_dir: Path
    audio_factory: AudioFactory
    audio: AudioOutput | None = None
    ready: bool = field(default=False)
    #: History, ratings and the care banner (player.ui.care_features), made by finish_startup.
    care: CareFeatures | None = None
    #: Reminders and the tray (player.ui.week_features), made by finish_startup.
    week: WeekFeatures | None = None
    #: Python's garbage collector, run on the GUI thread only; made by finish_startup.
    collector: GuiThreadCollector | None = None


def build_app(qapp: QApplication, data_dir: Path, audio_factory: AudioFactory,
              clock: Clock | None = None, early_check: EarlyCheck | None = None) -> App:
    """Make the settings, library, session controller and the window, and wire them.

    Nothing is shown, no routine is read and no sound is loaded yet: call :func:`show_window`.
    ``early_check`` is the library check started before Qt (:func:`player.library_check.start`).
    """
    user_dir = paths.user_routines_dir(data_dir)
    folder_problem = _make_folders(data_dir, user_dir)
    settings = AppSettings.load(paths.settings_file(data_dir))
    status = SoundStatus()
    cue_player = CuePlayer(settings, status)
    controller = SessionController(cue_player, settings, clock)
    library = RoutineLibrary(bundled_routines, user_dir, settings, early_check=early_check)
    text_size = TextSize(qapp)
    if settings.large_text:
        text_size.set_large(True)
    window = MainWindow(library, settings, controller, cue_player, text_size)
    for obj in (settings, status, cue_player, controller, library):
        obj.setParent(window)
    for message in (settings.load_warning, folder_problem):
        if message:
            window.show_status(message, seconds=30)
    return App(window, settings, library, controller, cue_player, status, text_size, data_dir,
               audio_factory)


def show_window(app: App, file: str | Path | None = None, start: bool = False) -> None:
    """Show the window with the routine titles listed; :func:`finish_startup` follows its
    first paint and opens ``file`` (starting it with ``start``)."""
    app.library.refresh_titles()
    app.window.first_painted.connect(lambda: finish_startup(app, file, start))
    app.window.fit_to_screen()
    app.window.show()


def start_in_tray(app: App) -> None:
    """Start with only the tray icon (reminders); show the window when there is no tray or
    reminders are off, so the app never runs invisible."""
    app.library.refresh_titles()
    app.window.fit_to_screen()  # for when it is opened from the tray
    finish_startup(app)
    if app.week is None or app.week.tray is None:
        show_window(app)


def finish_startup(app: App, file: str | Path | None = None, start: bool = False) -> None:
    """The rest of start-up, once the window is on the screen (does nothing the second time).

    Hands the cyclic garbage collector (``player.app.main`` turns it off for the first paint)
    to the GUI thread (:mod:`player.ui.controllers.collector`), checks every routine, opens the
    history and wires the care features, opens ``file``. The routine files are checked on a
    worker thread (:meth:`RoutineLibrary.check_in_background`): no file can freeze the window.
    The audio output and the preview's pages follow once the window is complete
    (:func:`finish_idle_startup`), the player page when a session first starts.
    """
    if app.ready:
        return
    app.ready = True
    from player.ui.controllers.collector import GuiThreadCollector

    app.collector = GuiThreadCollector(app.window)
    _forget_module_sources()
    app.library.check_in_background()
    _after_window_complete(app)
    from player.ui.care_features import install_care

    app.care = install_care(app)
    from player.ui.week_features import install_week

    app.week = install_week(app)
    _forget_module_sources()
    if file is not None:
        app.window.open_file(Path(file), start=start)


def _after_window_complete(app: App) -> None:
    """Run :func:`finish_idle_startup` :data:`IDLE_STARTUP_DELAY_MS` after the library's first
    check (the window is complete by then), or when the player page is built if sooner."""
    def after_check() -> None:
        app.library.checked.disconnect(after_check)
        QTimer.singleShot(IDLE_STARTUP_DELAY_MS, app.window, lambda: finish_idle_startup(app))

    app.library.checked.connect(after_check)
    app.window.on_player_page(lambda _page: finish_idle_startup(app))


def finish_idle_startup(app: App) -> None:
    """The start-up work the complete window does not wait for (does nothing the second time):
    the preview's routine and errors pages (ready for the first routine chosen) and the audio
    output, whose worker thread imports playsound3, which probes for players: done with the rest
    of start-up, it held the interpreter lock while the library was checked and the care banner
    decided. The player page is built before a session's first cue, so no cue misses it.
    """
    app.window.preview.build_pages()
    app.library.warm_in_background()
    if app.audio is None:
        app.audio = app.audio_factory(app.sound_status.report)
        app.cue_player.set_output(app.audio)


def _forget_module_sources() -> None:
    """Drop the module source text that PySide6 leaves in :mod:`linecache` (a pure cache).

    PySide6's import hook (``shibokensupport.feature``) reads the whole source of every module
    imported after PySide6 with ``inspect.getsource``, to look for "PySide6" in it, and linecache
    keeps every file's lines: about 6 MiB by the end of a first session, never used again.
    A traceback reads the lines it shows again when it needs them.
    """
    linecache.clearcache()


def run_gui(data_dir_flag: str | None = None, file: str | None = None,
            start: bool = False, in_tray: bool = False,
            early_check: EarlyCheck | None = None) -> int:
    """Open the window (``routine-player [FILE] [--start] [--in-tray]``); returns the exit code.

    ``in_tray`` starts with the tray icon only, when reminders are on and the desktop has a
    tray (else the window opens as usual). When the app is already open on the data folder
    this says so, offers to bring that window forward and returns 0 without opening anything
    (:func:`~player.ui.controllers.single_instance.claim_or_hand_over`).
    """
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    identify_application(qapp)
    data_dir = paths.data_dir(data_dir_flag)
    instance = claim_or_hand_over(data_dir)
    if instance is None:  # open in another window, which owns the history and its session
        if early_check is not None:
            early_check.close()
        return 0
    log_file, handlers = configure_logging(data_dir)
    app: App | None = None
    restore_hook = install_excepthook(lambda: app.window if app else None, log_file)
    try:
        app = build_app(qapp, data_dir, playsound_output, early_check=early_check)
        window = app.window
        instance.raise_requested.connect(lambda: bring_to_front(window))
        if in_tray and file is None:
            start_in_tray(app)
        else:
            show_window(app, file, start)
        return run_event_loop(qapp)
    finally:
        restore_hook()
        if app is not None and app.collector is not None:
            app.collector.stop()
        if app is not None and app.audio is not None:
            app.audio.close()
        if app is not None and app.care is not None:
            app.care.close()
        if app is not None:
            app.library.close_early_check()
        elif early_check is not None:
            early_check.close()
        for handler in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
        instance.release()  # last: the history is closed, another window may open it


def identify_application(qapp: QApplication) -> None:
    """Give the application its name, title, desktop file name and icon.

    On X11 Qt makes the window's WM_CLASS class from the application name, on Wayland its app_id
    from the desktop file name: both are the app id, the name of the menu entry's ``.desktop``
    file (``StartupWMClass`` there too), so the desktop shows the window under that entry.
    The window icon is the bundled SVG (title bars, task switchers, the X11 _NET_WM_ICON).
    """
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationDisplayName(APP_TITLE)
    qapp.setDesktopFileName(APP_NAME)
    qapp.setWindowIcon(QIcon(str(APP_ICON_FILE)))


#: How long the GUI thread may keep Python's interpreter lock while an audio thread waits for
#: it at a cue's deadline (Python's default is 5 ms).
GIL_SWITCH_SECONDS = 0.001


def playsound_output(report: UnavailableCallback) -> AudioOutput:
    """The app's audio output (the cue process, its players those playsound3 picks), imported
    only when start-up makes it; rtkit is asked for the priority the cue process is refused."""
    from player.audio import CueProcessOutput
    from player.ui.controllers.rtkit import ask_in_background

    sys.setswitchinterval(GIL_SWITCH_SECONDS)  # for the thread it falls back to, if ever
    return CueProcessOutput(report, on_priority_refused=ask_in_background)


def run_event_loop(qapp: QApplication) -> int:
    """Run Qt's event loop until the last window closes; returns the exit code."""
    return qapp.exec()


def configure_logging(data_dir: Path) -> tuple[Path | None, list[logging.Handler]]:
    """Log warnings to stderr and everything from INFO to the log file in the data folder.

    The file is started afresh (the old one kept as ``.1``) once it passes LOG_FILE_MAX_BYTES.
    It is 0600, in the data folder made 0700 (:mod:`player.private_files`); a folder or log an
    older version left readable is tightened once the file logs, so the change is recorded.
    """
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("routine-player: %(levelname)s: %(message)s"))
    handlers: list[logging.Handler] = [console]
    path = data_dir / LOG_FILE_NAME
    log_file: Path | None = path
    rotated = path.with_name(path.name + ".1")
    try:
        if not data_dir.is_dir():
            private_files.ensure_private_dir(data_dir)  # a new folder: nothing to tighten
        if path.exists() and path.stat().st_size > LOG_FILE_MAX_BYTES:
            path.replace(rotated)
        to_file = private_files.PrivateFileHandler(path, encoding="utf-8")
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(to_file)
    except OSError as exc:
        log_file = None
        print(f"routine-player: cannot write the log file: {exc}", file=sys.stderr)
    for handler in handlers:
        root.addHandler(handler)
    if data_dir.is_dir():
        private_files.ensure_private_dir(data_dir)
        private_files.ensure_private_files([path, rotated])
    return log_file, handlers


def install_excepthook(parent: Callable[[], QWidget | None],
                       log_file: Path | None) -> Callable[[], None]:
    """Catch every uncaught exception: log it, tell the person in a message box.

    Also logs exceptions of other threads. Returns a function that puts the old hooks back.
    """
    previous, previous_thread_hook = sys.excepthook, threading.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        if showing:
            return  # one box at a time; the rest is in the log
        showing = True
        where = f"The details were written to {log_file}." if log_file else ""
        try:
            from player.ui.dialogs.session_dialogs import (
                ErrorDialog,  # not loaded before the first paint
            )

            ErrorDialog.show_error(
                parent(), "Something went wrong in the routine player.",
                f"{exc_type.__name__}: {exc}\n\nYou can carry on; if it happens again, please "
                f"report it. {where}")
        except Exception:
            log.exception("could not show the error message")
        finally:
            showing = False

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        name = getattr(args.thread, "name", "?")
        if args.exc_value is None:
            log.error("unexpected error in thread %s: %s", name, args.exc_type.__name__)
            return
        log.error("unexpected error in thread %s", name,
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook = previous
        threading.excepthook = previous_thread_hook

    return restore


def _make_folders(data_dir: Path, folder: Path) -> str | None:
    """The data folder (0700) and the person's routines folder in it; a message if not made."""
    try:
        private_files.ensure_private_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("cannot create %s: %s", folder, exc)
        return f"Your routines folder {folder} could not be created ({exc.strerror or exc})."
    return None
