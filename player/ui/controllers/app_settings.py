"""The settings as a Qt model: widgets read it and subscribe to its change signals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from player.settings import Settings, load_settings, save_settings

if TYPE_CHECKING:
    from datetime import date

    from player.core.reminders import ReminderSettings

#: Where the sessions whose next-morning check was asked are kept in the settings file, and
#: how many of them (only the latest session's check can be due).
MORNING_ASKED_KEY = "morning_after_asked"
MORNING_ASKED_KEPT = 20
#: The runner's own cadence in the settings file (steps a minute).
OWN_CADENCE_KEY = "own_cadence"


class AppSettings(QObject):
    """Holds the :class:`Settings`, saves every change to ``path`` and announces it.

    ``load_warning`` is the message to show once when the file was corrupt; ``save_failed``
    carries a message when a change could not be written (the change still applies).
    """

    muted_changed = Signal(bool)
    spoken_cues_changed = Signal(bool)
    large_text_changed = Signal(bool)
    recent_files_changed = Signal()
    programme_starts_changed = Signal()
    reminders_changed = Signal()
    save_failed = Signal(str)

    def __init__(self, path: Path, settings: Settings, load_warning: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._settings = settings
        self.load_warning = load_warning

    @classmethod
    def load(cls, path: Path, parent: QObject | None = None) -> AppSettings:
        """Read the settings file (defaults when missing or corrupt)."""
        loaded = load_settings(path)
        return cls(path, loaded.settings, loaded.warning, parent)

    @property
    def path(self) -> Path:
        """The settings file."""
        return self._path

    @property
    def muted(self) -> bool:
        """True when cues are not played (the screen still flashes)."""
        return self._settings.muted

    @property
    def spoken_cues(self) -> bool:
        """True for spoken cues, False for tones only."""
        return self._settings.spoken_cues

    @property
    def large_text(self) -> bool:
        """True for the large-text mode."""
        return self._settings.large_text

    @property
    def recent_files(self) -> list[Path]:
        """Recently opened routine files, newest first."""
        return [Path(p) for p in self._settings.recent_files]

    @property
    def notice_accepted(self) -> bool:
        """True once the first-run notice (not medical advice) was accepted."""
        return self._settings.notice_accepted

    def accept_notice(self) -> None:
        """Remember that the first-run notice was accepted."""
        self._change("notice_accepted", True)

    def set_muted(self, value: bool) -> None:
        """Mute or unmute the cues."""
        if self._change("muted", value):
            self.muted_changed.emit(value)

    def set_spoken_cues(self, value: bool) -> None:
        """Choose spoken cues (True) or tones (False)."""
        if self._change("spoken_cues", value):
            self.spoken_cues_changed.emit(value)

    def set_large_text(self, value: bool) -> None:
        """Turn the large-text mode on or off."""
        if self._change("large_text", value):
            self.large_text_changed.emit(value)

    def chosen_starts(self) -> dict[str, date]:
        """The programme starts chosen in the preview, by routine title."""
        return self._settings.chosen_starts()

    def set_programme_start(self, title: str, start: date | None) -> None:
        """Start ``title``'s programme on ``start`` (None: from its first session again)."""
        starts = dict(self._settings.programme_starts)
        if start is None:
            starts.pop(title, None)
        else:
            starts[title] = start.isoformat()
        if self._change("programme_starts", starts):
            self.programme_starts_changed.emit()

    def reminders(self) -> tuple[ReminderSettings, list[str]]:
        """The reminder settings, and what part of them could not be used."""
        return self._settings.reminders()

    def set_reminders(self, reminders: ReminderSettings) -> None:
        """Keep and save ``reminders``."""
        if self._settings.reminders()[0] == reminders:
            return
        self._settings.set_reminders(reminders)
        message = save_settings(self._path, self._settings)
        if message is not None:
            self.save_failed.emit(message)
        self.reminders_changed.emit()

    def own_cadence(self) -> int | None:
        """The runner's own cadence (steps a minute), when told (see :mod:`player.core.cadence`)."""
        value = self._settings.extra.get(OWN_CADENCE_KEY)
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        from player.core.cadence import CadenceError, check_own_cadence  # the routine model

        try:
            return check_own_cadence(value)
        except CadenceError:
            return None

    def set_own_cadence(self, value: int) -> None:
        """Keep and save the runner's own cadence."""
        if self.own_cadence() == value:
            return
        self._settings.extra[OWN_CADENCE_KEY] = value
        message = save_settings(self._path, self._settings)
        if message is not None:
            self.save_failed.emit(message)

    def flag(self, name: str) -> bool:
        """A one-off flag kept in the settings file (e.g. "the tray was explained")."""
        return self._settings.extra.get(name) is True

    def set_flag(self, name: str) -> None:
        """Set a one-off flag (see :meth:`flag`) and save it."""
        if self.flag(name):
            return
        self._settings.extra[name] = True
        message = save_settings(self._path, self._settings)
        if message is not None:
            self.save_failed.emit(message)

    def morning_checks_asked(self) -> tuple[int, ...]:
        """The sessions whose next-morning check was already asked (asked once only)."""
        asked = self._settings.extra.get(MORNING_ASKED_KEY, [])
        if not isinstance(asked, list):
            return ()
        return tuple(i for i in asked if isinstance(i, int) and not isinstance(i, bool))

    def add_morning_check_asked(self, session_id: int) -> None:
        """Remember that the next-morning check of ``session_id`` was asked (the latest
        :data:`MORNING_ASKED_KEPT` are kept)."""
        asked = [*self.morning_checks_asked(), session_id][-MORNING_ASKED_KEPT:]
        self._change("extra", {**self._settings.extra, MORNING_ASKED_KEY: asked})

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` at the front of the recent files."""
        if self._change("recent_files", self._settings.with_recent(path)):
            self.recent_files_changed.emit()

    def remove_recent_file(self, path: Path) -> None:
        """Forget ``path`` (e.g. it no longer exists)."""
        kept = [p for p in self._settings.recent_files if Path(p) != Path(path)]
        if self._change("recent_files", kept):
            self.recent_files_changed.emit()

    def _change(self, key: str, value: object) -> bool:
        if getattr(self._settings, key) == value:
            return False
        setattr(self._settings, key, value)
        message = save_settings(self._path, self._settings)
        if message is not None:
            self.save_failed.emit(message)
        return True
