"""Where the app writes: one data folder, chosen by flag, environment or platform default.

Everything the app writes (history database, settings, the user's own routines) lives under
:func:`data_dir`. ``--data-dir DIR`` wins, then ``ROUTINE_PLAYER_DATA_DIR``, then the platform's
user data folder. Tests always pass their own folder, so they never touch the real home.
The folder is 0700 and the files the app writes in it 0600 (:mod:`player.private_files`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from player import private_files

APP_DIR_NAME = "routine-player"
ENV_VAR = "ROUTINE_PLAYER_DATA_DIR"


def default_data_dir() -> Path:
    """The platform's per-user data folder for the app."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / APP_DIR_NAME


def data_dir(flag: str | None = None) -> Path:
    """The data folder: the ``--data-dir`` flag, else the environment variable, else the default."""
    chosen = flag or os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else default_data_dir()


def user_routines_dir(root: Path) -> Path:
    """Where the person's own routine files go (shown in the library)."""
    return root / "routines"


def database_file(root: Path) -> Path:
    """The history database."""
    return root / "history.sqlite3"


def settings_file(root: Path) -> Path:
    """The settings (mute, spoken cues, large text, recent files)."""
    return root / "settings.json"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a crash leaves either the old or the new file.

    Missing folders are created. The file is readable by its owner only (0600), see
    :func:`player.private_files.write_atomically`; chmod it afterwards to share it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    private_files.write_atomically(path, text.encode("utf-8"))
