"""Where the routine files a person plays may be: the recent files, their routines folder and
the bundled routines (to find the file a stored session played, for a resume or the report)."""

from __future__ import annotations

from pathlib import Path

from player import paths
from player.core import bundled
from player.settings import load_settings


def routine_candidates(data_dir: Path) -> list[Path]:
    """Where the routine played last may be: recent files, my routines folder, bundled ones."""
    recent = [Path(p) for p in load_settings(paths.settings_file(data_dir)).settings.recent_files]
    user_dir = paths.user_routines_dir(data_dir)
    own = sorted(p for p in user_dir.glob("*.y*ml")) if user_dir.is_dir() else []
    unique: dict[Path, None] = dict.fromkeys([*recent, *own, *bundled.bundled_routines()])
    return list(unique)
