"""The main window: a banner slot, then the library page or the player page.

Where other features plug in (see also :mod:`player.ui.controllers.session_controller`):

* :attr:`MainWindow.banner_area` -- a ``QVBoxLayout`` at the very top of the central widget,
  above both pages (e.g. the care banner);
* :attr:`MainWindow.library_actions` -- the row of buttons at the top of the library page
  (e.g. a daily check-in or a history button), and :attr:`MainWindow.today_area` below it
  (the "Today" section); :meth:`MainWindow.add_page` adds a page (e.g. a
  history view) that :meth:`MainWindow.show_page` switches to;
* :attr:`PlayerView.extra_controls` / :attr:`PlayerView.finished_extras` on :attr:`player`.

The player page is built on first use of :attr:`MainWindow.player` (when a session first
starts), so neither the first paint nor the rest of start-up loads the session machinery: a
feature that adds to it does so through :meth:`MainWindow.on_player_page`. The preview builds
its routine and errors pages with the first routine it shows; the screen flash is made with the
first visual cue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from player.ui.controllers.actions import SessionActions
from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.cue_player import CuePlayer
from player.ui.controllers.library_model import ROUTINE_SUFFIXES, RoutineLibrary
from player.ui.controllers.session_controller import SessionController
from player.ui.pages.library_view import LibraryView
from player.ui.pages.preview_view import PreviewView
from player.ui.widgets.flow_layout import FlowLayout
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.message_strip import MessageStrip
from player.ui.widgets.style import PAGE_MARGIN, TextSize

if TYPE_CHECKING:  # the event classes are made by PySide6 when an event first comes
    from datetime import date

    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent

    from player.core.loader import LoadResult
    from player.core.programme import Programme
    from player.core.routine import Routine
    from player.ui.controllers.keep_awake import Inhibitor, KeepAwake
    from player.ui.dialogs.guide_dialog import GuideDialog
    from player.ui.pages.player_view import PlayerView
    from player.ui.widgets.flash import FlashOverlay

log = logging.getLogger(__name__)

APP_TITLE = "Routine Player"
#: The smallest window the layout is made for (a 1024x600 netbook with a panel and a title bar).
MINIMUM_SIZE = (760, 480)
#: The size it opens at on an ordinary screen; on a smaller one it takes all the free area.
PREFERRED_SIZE = (1200, 800)
#: On a bigger screen (a 4K monitor) it opens at this share of the free area instead.
LARGE_SCREEN_SHARE = 0.6
#: Room left for a title bar and borders before the window manager has framed the window.
FRAME_ALLOWANCE = (16, 48)
#: How often a close that waits for a question to be answered looks again (ms).
CLOSE_RETRY_MS = 200
#: The View menu's note when the screen cannot be kept awake during sessions.
SCREEN_MAY_SLEEP = "The screen may dim or sleep during sessions"
SCREEN_MAY_SLEEP_BECAUSE = "The screen cannot be kept on while a session plays: {reason}."
ABOUT_BACK_MENU_TEXT = "About your &back\u2026"
#: The handout from the preview: where it went, or why not.
HANDOUT_SAVED = "Handout for week {week} saved to {path} ({pages} page(s))"
HANDOUT_PICTURES_LEFT_OUT = "; {count} picture(s) left out: {reasons}"
HANDOUT_NOT_SAVED = "The handout could not be saved: {reason}"
HANDOUT_NAME = "{stem}-week-{week}-handout.pdf"


def opening_size(free: QSize, frame: QSize) -> QSize:
    """The window's size (inside its frame) on a screen whose free area is ``free``.

    :data:`PREFERRED_SIZE`, or :data:`LARGE_SCREEN_SHARE` of a big screen, never more than the
    free area less the title bar and borders (a small laptop gets all of it, not a box with
    unused margins), never less than :data:`MINIMUM_SIZE`.
    """
    room = free - frame
    width = min(room.width(), max(PREFERRED_SIZE[0], int(free.width() * LARGE_SCREEN_SHARE)))
    height = min(room.height(), max(PREFERRED_SIZE[1], int(free.height() * LARGE_SCREEN_SHARE)))
    return QSize(max(width, MINIMUM_SIZE[0]), max(height, MINIMUM_SIZE[1]))


class MainWindow(QMainWindow):
    """The routine player's window. Handed its models; builds and wires its views.

    ``first_painted`` is emitted once, just after the window was first drawn on the screen:
    the rest of start-up waits for it.
    """

    first_painted = Signal()
    page_shown = Signal(object)  # the page widget just shown (see show_page)
    player_page_built = Signal(object)  # the PlayerView, once (see on_player_page)

    def __init__(self, library: RoutineLibrary, settings: AppSettings,
                 controller: SessionController, cue_player: CuePlayer,
                 text_size: TextSize | None = None, parent: QWidget | None = None, *,
                 inhibitor: Inhibitor | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.controller = controller
        self.cue_player = cue_player
        self.text_size = text_size
        self._told_no_sound = False
        self._player: PlayerView | None = None
        self._flash: FlashOverlay | None = None
        self._painted = False
        self._quitting = False
        #: Asked when the window is closed: True hides it instead (reminders keep the tray).
        self.hide_to_tray: Callable[[], bool] | None = None
        #: Asked for each routine about to start: the routine to play (its cadence steps set
        #: above the runner's own cadence; :mod:`player.ui.week_features` asks it the first
        #: time). Until the week's features are installed, the own cadence known, if any.
        self.prepare_routine: Callable[[Routine], Routine] = self.as_played
        #: Shortcuts of buttons that are in no menu (e.g. "This hurts"), for Help > Keyboard.
        self.extra_shortcuts: list[tuple[str, str]] = []
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*PREFERRED_SIZE)
        controller.set_dialog_parent(self)
        self.commands = SessionActions(controller, settings, self)
        self._inhibitor = inhibitor
        self._keep_awake: KeepAwake | None = None  # made when the first session starts
        controller.session_started.connect(self._on_first_session_started)
        self._about_back: GuideDialog | None = None  # made when first asked for
        self._build_central()
        self._build_menus()
        self._build_status_bar()
        self._wire()

    # --- building ----------------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        #: At the very top, above every page: where a banner goes.
        self.banner_area = QVBoxLayout()
        self.banner_area.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.banner_area)
        self.message_strip = MessageStrip(central)
        outer.addWidget(self.message_strip)
        self.pages = QStackedWidget(central)
        outer.addWidget(self.pages, 1)
        self.library_page = self._build_library_page()
        self.pages.addWidget(self.library_page)
        self.setCentralWidget(central)
        self._central = central

    def _build_library_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN // 2, PAGE_MARGIN, PAGE_MARGIN // 2)
        #: The row of buttons at the top of the library page (more rows when it is narrow).
        self.library_actions = FlowLayout()
        self.open_button = self._page_button("Open a routine file\u2026", "Open a routine file",
                                             QStyle.StandardPixmap.SP_DialogOpenButton)
        self.folder_button = self._page_button("My routines folder",
                                               "Show my routines folder",
                                               QStyle.StandardPixmap.SP_DirOpenIcon)
        self.library_actions.addWidget(self.open_button)
        self.library_actions.addWidget(self.folder_button)
        self.library_actions.addStretch(1)
        layout.addLayout(self.library_actions)
        #: Below the buttons, above the list: where the "Today" section goes.
        self.today_area = QVBoxLayout()
        layout.addLayout(self.today_area)
        self.library_view = LibraryView(self.library)
        self.preview = PreviewView(self.library)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addWidget(self.library_view, 1)
        column_layout.addWidget(self.library_view.empty_hint)
        splitter.addWidget(column)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([340, 860])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        return page

    def _page_button(self, text: str, name: str, icon: QStyle.StandardPixmap) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setIcon(self.style().standardIcon(icon))
        button.setMinimumHeight(34)
        return button

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = QAction("&Open\u2026", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._on_open_triggered)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addMenu(self.recent_menu)
        folder_action = file_menu.addAction("Show my routines &folder")
        folder_action.triggered.connect(self._on_folder_triggered)
        reload_action = file_menu.addAction("Re&load the library")
        reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        reload_action.triggered.connect(self.library.check_in_background)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        # The desktop's own quit keys, or Ctrl+Q where the desktop has none (as under a bare
        # window manager), so the key the README and Help > Keyboard name always works.
        quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                 or [QKeySequence("Ctrl+Q")])
        quit_action.triggered.connect(self.quit)

        #: Added to by the runner's-week features (reminders) once they are installed.
        self.session_menu = bar.addMenu("&Session")
        for action in self.commands.session_actions:
            self.session_menu.addAction(action)
            self.addAction(action)

        self.view_menu = view_menu = bar.addMenu("&View")
        self.large_text_action = QAction("&Large text", self)
        self.large_text_action.setCheckable(True)
        self.large_text_action.setChecked(self.settings.large_text)
        self.large_text_action.toggled.connect(self.settings.set_large_text)
        view_menu.addAction(self.large_text_action)

        sound_menu = bar.addMenu("S&ound")
        sound_menu.addAction(self.commands.mute)
        self.addAction(self.commands.mute)
        self.spoken_action = QAction("&Spoken cues", self)
        self.spoken_action.setCheckable(True)
        self.spoken_action.setChecked(self.settings.spoken_cues)
        self.spoken_action.toggled.connect(self.settings.set_spoken_cues)
        sound_menu.addAction(self.spoken_action)

        #: Filled by the history features once the history is open (before Help, as usual).
        self.history_menu = bar.addMenu("&History")
        help_menu = bar.addMenu("&Help")
        self.about_back_action = help_menu.addAction(ABOUT_BACK_MENU_TEXT,
                                                     self.show_about_your_back)
        keys = help_menu.addAction("&Keyboard\u2026", self._on_keyboard_triggered)
        keys.setShortcut(QKeySequence.StandardKey.HelpContents)
        help_menu.addAction("&About", self._on_about_triggered)

    def _build_status_bar(self) -> None:
        self.sound_label = TextLabel("", dim=True)
        self.sound_label.setAccessibleName("Sound status")
        self.statusBar().addPermanentWidget(self.sound_label)
        self._update_sound_label()

    def _wire(self) -> None:
        self.open_button.clicked.connect(self._on_open_triggered)
        self.folder_button.clicked.connect(self._on_folder_triggered)
        self.library_view.routine_selected.connect(self._on_routine_selected)
        self.library_view.routine_activated.connect(self._on_routine_activated)
        self.preview.start_requested.connect(self.start_routine)
        self.preview.reload_requested.connect(self._on_reload_requested)
        self.preview.handout_requested.connect(self.save_handout)
        self.preview.easier_requested.connect(self.open_file)
        self.preview.programme_start_chosen.connect(self._on_programme_start_chosen)
        self.preview.set_programme_source(self.programme_without_history)
        self.cue_player.visual_cue.connect(self._on_visual_cue)
        self.cue_player.sound_failed.connect(self._on_sound_failed)
        self.settings.muted_changed.connect(self._on_muted_changed)
        self.settings.large_text_changed.connect(self._on_large_text_changed)
        self.settings.save_failed.connect(self._on_save_failed)

    # --- public ------------------------------------------------------------------------------
    @property
    def flash(self) -> FlashOverlay:
        """The screen flash over the window's contents (made with the first visual cue)."""
        if self._flash is None:
            from player.ui.widgets.flash import FlashOverlay

            self._flash = FlashOverlay(self._central)
        return self._flash

    @property
    def keep_awake(self) -> KeepAwake:
        """Keeps the screen awake while a session plays (with the ``inhibitor`` given, else the
        platform's): made when the first session starts, or on first use, so the first
        paint does not load it."""
        if self._keep_awake is None:
            from player.ui.controllers import keep_awake

            self._keep_awake = keep_awake.KeepAwake(
                self.controller, self._inhibitor or keep_awake.platform_inhibitor(APP_TITLE),
                self)
            self._keep_awake.unavailable.connect(self._on_keep_awake_unavailable)
        return self._keep_awake

    @property
    def player(self) -> PlayerView:
        """The player page (built on first use)."""
        return self.build_player_page()

    def build_player_page(self) -> PlayerView:
        """Build the player page unless it exists (telling :meth:`on_player_page`'s callbacks);
        returns it."""
        if self._player is None:
            from player.ui.pages.player_view import PlayerView

            player = self._player = PlayerView(self.controller, self.commands)
            player.back_requested.connect(self.back_to_library)
            player.again_requested.connect(self._on_again_requested)
            player.resume_requested.connect(self._on_resume_requested)
            self.pages.insertWidget(1, player)
            self.player_page_built.emit(player)
        return self._player

    def on_player_page(self, callback: Callable[[PlayerView], None]) -> None:
        """Call ``callback`` with the player page once it is built (now, if it is): how a
        feature adds its controls without building the page before a session needs it."""
        if self._player is not None:
            callback(self._player)
        else:
            self.player_page_built.connect(callback)

    def fit_to_screen(self) -> None:
        """Open at :data:`PREFERRED_SIZE`, or smaller when the screen's free area (panels and
        title bar left out) is: so the window, its status line included, is all on the screen,
        centred there."""
        screen = self.screen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()  # title bar and borders
        if frame.isEmpty():  # not yet on the screen: the window manager has not framed it
            frame = QSize(*FRAME_ALLOWANCE)
        self.resize(opening_size(free.size(), frame))
        self.move(free.center() - self.frameGeometry().center() + self.pos())

    def add_page(self, page: QWidget) -> int:
        """Add a page (e.g. a history view) beside the library and player pages."""
        return self.pages.addWidget(page)

    def show_page(self, page: QWidget) -> None:
        """Show ``page`` (one added with :meth:`add_page`, or :attr:`library_page`)."""
        self.pages.setCurrentWidget(page)
        self.page_shown.emit(page)

    def show_status(self, message: str, seconds: int = 8) -> None:
        """Tell the person ``message``: in a line at the top of the window, where it is seen,
        and in the status bar (for ``seconds``, or until closed)."""
        self.message_strip.show_message(message, seconds)
        self.statusBar().showMessage(message, seconds * 1000)

    def open_file(self, path: Path, start: bool = False) -> LoadResult:
        """Open a routine file: list it under the recent files and preview it (or its errors).

        With ``start`` and no errors the session starts at once.
        """
        path = Path(path).expanduser().absolute()
        result = self.library.load(path)
        if self.controller.in_play:
            self.show_status("Stop the session first to open another routine.")
            return result
        if path.is_file():
            self.settings.add_recent_file(path)
        self.show_page(self.library_page)
        if not self.library_view.select_path(path):
            self.preview.show_result(path, result)
        if result.routine is None:
            self.show_status(f"{path.name} has {len(result.errors)} problem(s); see the list.")
        elif start:  # this week of its programme, as the preview just offered it
            self.start_routine(path, self.preview.week if self.preview.path == path else 1)
        return result

    def start_routine(self, path: Path, week: int = 1) -> bool:
        """Start playing the routine in ``path`` at ``week``; False when it cannot start."""
        from player.core.plan import build_plan

        result = self.library.load(path)
        if result.routine is None:
            self.preview.show_result(path, result)
            return False
        plan = build_plan(self.prepare_routine(result.routine), week)
        player = self.player  # subscribed before the session's first events
        if not self.controller.start(plan):
            return False
        self.show_page(player)
        player.setFocus()
        return True

    def as_played(self, routine: Routine) -> Routine:
        """The routine as this person plays it, asking nothing: its cadence steps above their
        own cadence once known (the preview, the handout and a resumed session use it)."""
        from player.core.cadence import with_own_cadence

        return with_own_cadence(routine, self.settings.own_cadence())

    def refresh_preview(self) -> None:
        """Show the previewed routine again as it now plays (e.g. the own cadence changed)."""
        path = self.preview.path
        if path is not None:
            self.preview.show_result(path, self._shown(self.library.load(path)))

    def back_to_library(self) -> None:
        """Leave the player for the library."""
        self.controller.close_session()
        self.show_page(self.library_page)
        self.library_view.setFocus()

    # --- events ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        """Notice the first paint (``first_painted`` follows once it is on the screen).

        Only paint events come to Python this way; overriding ``event()`` would bring every
        event the window gets.
        """
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask before closing over a session in play; it is then recorded as stopped and the
        window closes once the questions after a session (its pain rating) are answered."""
        if self.controller.in_play:
            event.ignore()
            if self.controller.request_stop(closing=True):
                self._close_when_settled()
            else:
                self._quitting = False  # the person chose to carry on
            return
        if QApplication.activeModalWidget() is not None:  # a rating still open: answer it first
            event.ignore()
            self._close_when_settled()
            return
        if not self._quitting and self.hide_to_tray is not None and self.hide_to_tray():
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)
        if self._quitting:
            QTimer.singleShot(0, QApplication.quit)

    def quit(self) -> None:
        """Close the window and end the app, even when reminders would keep it in the tray
        (asking first over a session in play, as closing does)."""
        self._quitting = True
        self.close()

    def _close_when_settled(self) -> None:
        QTimer.singleShot(CLOSE_RETRY_MS, self, self._close_if_settled)

    def _close_if_settled(self) -> None:
        if QApplication.activeModalWidget() is None:
            self.close()
        else:
            self._close_when_settled()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept routine files."""
        if self._dropped_routine(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Open a dropped routine file."""
        path = self._dropped_routine(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)

    @staticmethod
    def _dropped_routine(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in ROUTINE_SUFFIXES:
                return Path(url.toLocalFile())
        return None

    # --- slots -------------------------------------------------------------------------------
    def _on_routine_selected(self, path: Path) -> None:
        self.preview.show_result(path, self._shown(self.library.load(path)))

    def _shown(self, result: LoadResult) -> LoadResult:
        if result.routine is None:
            return result
        return replace(result, routine=self.as_played(result.routine))

    def _on_routine_activated(self, path: Path) -> None:
        if self.library.load(path).routine is not None:
            self.start_routine(path, self.preview.week if self.preview.path == path else 1)

    def programme_without_history(self, routine: Routine) -> Programme | None:
        """A routine's programme from the start chosen in the preview alone (before the
        history is open, or without one)."""
        from datetime import date  # not loaded before the first paint

        from player.core.programme import programme_for

        today = date.today()
        return programme_for(routine, (), today, self.settings.chosen_starts())

    def _on_programme_start_chosen(self, title: str, start: date) -> None:
        self.settings.set_programme_start(title, start)
        self.preview.refresh_programme()

    def save_handout(self, path: Path, week: int) -> None:
        """Ask where, then write the printable handout of the routine at ``path`` for
        ``week``; the status line says where it went or why not."""
        from player.core.loader import week_problem
        from player.ui.dialogs.handout_dialog import HandoutFileDialog
        from player.ui.handout_pdf import write_handout_pdf

        routine = self.library.load(path).routine
        if routine is None:
            return
        routine = self.as_played(routine)
        reason = week_problem(routine, week)
        if reason:
            self.show_status(HANDOUT_NOT_SAVED.format(reason=reason), seconds=30)
            return
        target = HandoutFileDialog.ask(self, HANDOUT_NAME.format(stem=path.stem, week=week))
        if target is None:
            return
        # Under a second even for the 60-exercise worst case (bench/bench_handout.py), so it is
        # made here with a busy cursor: on a worker, Qt's SVG drawing has deadlocked against
        # the window's own (see player.ui.widgets.illustration).
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write_handout_pdf(routine, target, week)
        except OSError as exc:
            self.show_status(HANDOUT_NOT_SAVED.format(reason=exc.strerror or exc), seconds=30)
            return
        finally:
            QApplication.restoreOverrideCursor()
        message = HANDOUT_SAVED.format(week=week, path=target, pages=written.pages)
        if written.problems:
            message += HANDOUT_PICTURES_LEFT_OUT.format(count=len(written.problems),
                                                        reasons="; ".join(written.problems))
        self.show_status(message, seconds=30 if written.problems else 8)

    def _on_reload_requested(self, path: Path) -> None:
        self.library.check_in_background()
        self.preview.show_result(path, self._shown(self.library.load(path)))

    def _on_again_requested(self) -> None:
        session = self.controller.session
        if session is not None and session.routine.path is not None:
            self.start_routine(session.routine.path, session.week)

    def _on_resume_requested(self) -> None:
        if self.controller.resume_stopped():
            self.player.setFocus()

    def _on_open_triggered(self) -> None:
        from player.ui.dialogs.session_dialogs import OpenRoutineDialog

        path = OpenRoutineDialog.ask(self, self.library.user_dir)
        if path is not None:
            self.open_file(path)

    def _on_folder_triggered(self) -> None:
        folder = self.library.user_dir
        folder.mkdir(parents=True, exist_ok=True)
        from PySide6.QtCore import QUrl  # QUrl builds five enums: not before the first paint
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files
        if not recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))

    def keyboard_shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every command with a shortcut, in menu order."""
        rows: list[tuple[str, str]] = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if not isinstance(menu, QMenu):
                continue
            for action in menu.actions():
                keys = [k.toString(QKeySequence.SequenceFormat.NativeText)
                        for k in action.shortcuts()]
                if keys and action.text():
                    rows.append((" or ".join(keys), action.text().replace("&", "")))
        rows += [(k, what) for k, what in self.extra_shortcuts]
        return rows

    def show_about_your_back(self, section: str = "") -> GuideDialog:
        """Show the "About your back" page (at ``section``, a section id, or at the top)."""
        if self._about_back is None:
            from player.core.bundled import ABOUT_YOUR_BACK_FILE
            from player.ui.dialogs.guide_dialog import GuideDialog

            self._about_back = GuideDialog(ABOUT_YOUR_BACK_FILE, self)
        self._about_back.show_section(section)
        return self._about_back

    def _on_keyboard_triggered(self) -> None:
        from player.ui.dialogs.session_dialogs import KeyboardDialog

        KeyboardDialog.show_keys(self, self.keyboard_shortcuts())

    def _on_about_triggered(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_TITLE}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{APP_TITLE}: exercise routines for runners with lower-back pain.\n\n"
                    "This app is not medical advice and does not replace a clinician.")
        box.exec()
        box.deleteLater()

    def _on_visual_cue(self) -> None:
        step = self.controller.engine.current if self.controller.engine else None
        if step is not None and step.kind == "cadence":
            return  # the beat indicator shows every beat; the window does not pulse with it
        self.flash.flash()

    def _on_sound_failed(self, reason: str) -> None:
        self._update_sound_label()
        if self._told_no_sound:
            return
        self._told_no_sound = True
        self.show_status(f"Sound is unavailable: {reason}. Cues are shown as a screen flash.",
                         seconds=20)

    def _on_muted_changed(self, _muted: bool) -> None:
        self._update_sound_label()

    def _on_large_text_changed(self, large: bool) -> None:
        self.large_text_action.setChecked(large)
        if self.text_size is not None:
            self.text_size.set_large(large)

    def _on_save_failed(self, message: str) -> None:
        self.show_status(message)

    def _on_first_session_started(self, _session: object) -> None:
        self.controller.session_started.disconnect(self._on_first_session_started)
        _ = self.keep_awake  # made now, before the session's first state

    def _on_keep_awake_unavailable(self, reason: str) -> None:
        # Said quietly, once: an entry at the end of the View menu (and the log).
        self.view_menu.addSeparator()
        note = self.view_menu.addAction(SCREEN_MAY_SLEEP)
        note.setEnabled(False)
        note.setToolTip(SCREEN_MAY_SLEEP_BECAUSE.format(reason=reason))
        note.setStatusTip(note.toolTip())
        self.view_menu.setToolTipsVisible(True)

    def _update_sound_label(self) -> None:
        if self.settings.muted:
            self.sound_label.setText("Cues muted (M): screen flash")
        elif self.cue_player.sound_unavailable:
            self.sound_label.setText("No sound: screen flash")
        else:
            self.sound_label.setText("")
