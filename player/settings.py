"""The person's settings: a small JSON file under the data folder.

Mute, spoken cues, large text, the recently opened routine files, the programme starts
chosen in the preview and the reminders (:mod:`player.core.reminders`). The file is written
atomically; a missing file means defaults, and a corrupt or half-wrong one falls back to the
defaults for what cannot be read, with a warning, never a crash. Keys this version does not
know are kept, so a newer version's settings survive a round trip through an older one.
Only its owner may read it (0600, in the 0700 data folder; an older, looser file is tightened
when read: :mod:`player.private_files`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player import private_files
from player.paths import atomic_write_text

if TYPE_CHECKING:
    from datetime import date

    from player.core.reminders import ReminderSettings

log = logging.getLogger(__name__)

#: How many recently opened files are remembered.
MAX_RECENT_FILES = 10

#: The settings file's key for the reminders' object.
REMINDERS_KEY = "reminders"

_BOOL_KEYS = ("muted", "spoken_cues", "large_text", "notice_accepted")


@dataclass
class Settings:
    """What the person chose; every field has a safe default."""

    muted: bool = False
    spoken_cues: bool = True
    large_text: bool = False
    #: The first-run notice (not medical advice) was read and accepted.
    notice_accepted: bool = False
    recent_files: list[str] = field(default_factory=list)
    #: The programme start the person chose, by routine title (ISO dates).
    programme_starts: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def chosen_starts(self) -> dict[str, date]:
        """:attr:`programme_starts` as dates (for :func:`player.core.programme.programme_for`)."""
        from datetime import date  # not loaded before the window's first paint

        return {title: date.fromisoformat(day) for title, day in self.programme_starts.items()}

    def reminders(self) -> tuple[ReminderSettings, list[str]]:
        """The reminder settings, and what part of them could not be used."""
        from player.core.reminders import settings_from_json  # with the week's features

        return settings_from_json(self.extra.get(REMINDERS_KEY))

    def set_reminders(self, reminders: ReminderSettings) -> None:
        """Keep ``reminders`` (saved with the rest by :func:`save_settings`)."""
        from player.core.reminders import settings_to_json

        self.extra[REMINDERS_KEY] = settings_to_json(reminders)

    def with_recent(self, path: Path | str) -> list[str]:
        """The recent-files list with ``path`` moved to the front, at most MAX_RECENT_FILES."""
        name = str(Path(path).resolve())
        rest = [p for p in self.recent_files if p != name]
        return [name, *rest][:MAX_RECENT_FILES]

    def to_json(self) -> str:
        """The file's text."""
        data = {**self.extra, "muted": self.muted, "spoken_cues": self.spoken_cues,
                "large_text": self.large_text, "notice_accepted": self.notice_accepted,
                "recent_files": list(self.recent_files),
                "programme_starts": dict(self.programme_starts)}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class LoadedSettings:
    """Settings read from a file, with a warning to show when part of it could not be used."""

    settings: Settings
    warning: str | None = None


def load_settings(path: Path) -> LoadedSettings:
    """Read ``path``; defaults when it is missing; defaults plus a warning when it is corrupt.

    A settings file that group or others may read is made private first (logged once).
    """
    private_files.ensure_private_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, UnicodeDecodeError) as exc:
        return _fallback(path, f"could not be read ({exc})")
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _fallback(path, f"is not valid JSON ({exc})")
    if not isinstance(data, dict):
        return _fallback(path, "does not hold a JSON object")
    return _from_mapping(path, data)


def save_settings(path: Path, settings: Settings) -> str | None:
    """Write ``settings`` atomically (0600, in a 0700 folder); a message if it could not be."""
    try:
        private_files.ensure_private_dir(path.parent)
        atomic_write_text(path, settings.to_json())
    except OSError as exc:
        log.warning("could not save settings to %s: %s", path, exc)
        return f"Your settings could not be saved ({exc.strerror or exc})."
    return None


def _fallback(path: Path, why: str) -> LoadedSettings:
    message = f"The settings file {path} {why}; the default settings are used."
    log.warning("%s", message)
    return LoadedSettings(Settings(), message)


def _from_mapping(path: Path, data: dict[str, Any]) -> LoadedSettings:
    settings = Settings(extra={k: v for k, v in data.items()
                               if k not in (*_BOOL_KEYS, "recent_files", "programme_starts")})
    bad: list[str] = []
    for key in _BOOL_KEYS:
        if key not in data:
            continue
        if isinstance(data[key], bool):
            setattr(settings, key, data[key])
        else:
            bad.append(key)
    recent = data.get("recent_files", [])
    if isinstance(recent, list) and all(isinstance(p, str) for p in recent):
        settings.recent_files = list(dict.fromkeys(recent))[:MAX_RECENT_FILES]
    else:
        bad.append("recent_files")
    starts = data.get("programme_starts", {})
    if isinstance(starts, dict) and all(
            isinstance(k, str) and isinstance(v, str) and _is_date(v) for k, v in starts.items()):
        settings.programme_starts = dict(starts)
    else:
        bad.append("programme_starts")
    if not bad:
        return LoadedSettings(settings)
    message = (f"Some settings in {path} could not be read ({', '.join(bad)}); "
               "their defaults are used.")
    log.warning("%s", message)
    return LoadedSettings(settings, message)


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
