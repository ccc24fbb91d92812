"""The window's commands as QActions: one place for their names, keys and enabled states."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.session_controller import SessionController

Key = Qt.Key


def _action(parent: QObject, text: str, keys: list[QKeySequence | Key], tip: str) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setToolTip(f"{tip} ({QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)})")
    action.setStatusTip(tip)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    return action


class SessionActions(QObject):
    """Pause/resume, next, previous, restart, stop, done and mute, with their keys.

    Session commands are enabled only while a session is in play, so outside one their keys
    (Space, arrows, Enter, Esc) reach the library widgets as usual.
    """

    def __init__(self, controller: SessionController, settings: AppSettings,
                 icons: QWidget) -> None:
        super().__init__(controller)
        self._controller = controller
        self._icons = icons
        self._icon_cache: dict[QStyle.StandardPixmap, QIcon] = {}
        self._icon_style: QStyle | None = None
        self._paused = False
        icon = self._icon

        SP = QStyle.StandardPixmap
        self.pause = _action(self, "Pause", [Key.Key_Space], "Pause or resume")
        self.pause.setIcon(icon(SP.SP_MediaPause))
        self.previous = _action(self, "Previous", [Key.Key_Left], "Go back to the previous step")
        self.previous.setIcon(icon(SP.SP_MediaSeekBackward))
        self.next = _action(self, "Next", [Key.Key_Right], "Skip to the next step")
        self.next.setIcon(icon(SP.SP_MediaSeekForward))
        self.restart = _action(self, "Restart step", [Key.Key_R, Key.Key_Backspace],
                               "Start this step again")
        self.restart.setIcon(icon(SP.SP_BrowserReload))
        self.stop = _action(self, "Stop", [Key.Key_Escape], "End the session (asks first)")
        self.stop.setIcon(icon(SP.SP_MediaStop))
        self.done = _action(self, "Done", [Key.Key_Return, Key.Key_Enter],
                            "Finished the repetitions")
        self.done.setIcon(icon(SP.SP_DialogApplyButton))
        self.mute = _action(self, "Mute cues", [Key.Key_M], "Mute or unmute the sound cues")
        self.mute.setCheckable(True)
        self.mute.setChecked(settings.muted)
        self.mute.setIcon(icon(SP.SP_MediaVolumeMuted if settings.muted else SP.SP_MediaVolume))

        self.pause.triggered.connect(controller.toggle_pause)
        self.previous.triggered.connect(controller.previous)
        self.next.triggered.connect(controller.next)
        self.restart.triggered.connect(controller.restart_step)
        self.stop.triggered.connect(lambda: controller.request_stop())
        self.done.triggered.connect(controller.confirm)
        self.mute.toggled.connect(settings.set_muted)
        settings.muted_changed.connect(self._on_muted_changed)
        controller.state_changed.connect(self._on_state_changed)
        controller.session_closed.connect(self.update_enabled)
        self.update_enabled()

    @property
    def session_actions(self) -> list[QAction]:
        """The commands of a session in play, in toolbar order."""
        return [self.previous, self.pause, self.done, self.next, self.restart, self.stop]

    def update_enabled(self) -> None:
        """Enable what applies to the engine's current state."""
        playing = self._controller.in_play
        for action in self.session_actions:
            action.setEnabled(playing)
        state, waiting = self._controller.states()
        self.done.setEnabled(playing and waiting in ("awaiting_done", "awaiting_confirmation"))
        if waiting == "awaiting_confirmation":
            self.done.setText("Start timer")
            self.done.setStatusTip("Confirm the cloth barrier and start the timer")
        else:
            self.done.setText("Done")
            self.done.setStatusTip("Finished the repetitions")
        paused = state == "paused"
        if paused != self._paused:
            self._paused = paused
            self.pause.setText("Resume" if paused else "Pause")
            self.pause.setIcon(self._icon(QStyle.StandardPixmap.SP_MediaPlay if paused
                                          else QStyle.StandardPixmap.SP_MediaPause))

    def _on_state_changed(self, _state: str) -> None:
        self.update_enabled()

    def _on_muted_changed(self, muted: bool) -> None:
        self.mute.setChecked(muted)
        self.mute.setIcon(self._icon(
            QStyle.StandardPixmap.SP_MediaVolumeMuted if muted
            else QStyle.StandardPixmap.SP_MediaVolume))

    def _icon(self, which: QStyle.StandardPixmap) -> QIcon:
        # One icon per kind (a new QIcon each time would fill Qt's pixmap cache), asked again
        # of a new style: a style change deletes the old one.
        style = self._icons.style()
        if style is not self._icon_style:
            self._icon_style = style
            self._icon_cache.clear()
        if which not in self._icon_cache:
            self._icon_cache[which] = style.standardIcon(which)
        return self._icon_cache[which]
