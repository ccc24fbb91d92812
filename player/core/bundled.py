"""Where the bundled routines, exercise library and media live: inside the package.

They ship in the wheel as package data (``player/content/``), so an installed app (pip, pipx)
finds them exactly as a checkout does. This module is the one place that knows the layout.
"""

from __future__ import annotations

from pathlib import Path

#: The package's data folder. pip installs wheels unpacked, so this is a real folder.
CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
#: The bundled routines and the JSON Schemas.
ROUTINES_DIR = CONTENT_DIR / "routines"
#: Bundled illustrations and cue sounds.
MEDIA_DIR = CONTENT_DIR / "media"
#: Pre-rendered cue sounds (tones and spoken phrases).
CUES_DIR = MEDIA_DIR / "cues"
#: One SVG per exercise in the bundled library.
ILLUSTRATIONS_DIR = MEDIA_DIR / "illustrations"
#: The app's own icons.
ICONS_DIR = CONTENT_DIR / "icons"
#: The app's icon (SVG): the window icon and, copied into the icon theme, the menu entry's.
APP_ICON_FILE = ICONS_DIR / "routine-player.svg"
#: The bundled exercise library that routines refer to by id.
LIBRARY_FILE = ROUTINES_DIR / "exercises.yaml"
#: The published JSON Schemas (kept in sync with player.core.schema by a test).
ROUTINE_SCHEMA_FILE = ROUTINES_DIR / "routine.schema.json"
LIBRARY_SCHEMA_FILE = ROUTINES_DIR / "exercise-library.schema.json"
#: The advice pages (player.core.guide), every word of each in its file.
GUIDES_DIR = CONTENT_DIR / "guides"
#: The "About your back" page: Help menu, and the link in the care banners.
ABOUT_YOUR_BACK_FILE = GUIDES_DIR / "about-your-back.yaml"


def bundled_routines() -> list[Path]:
    """The bundled routine files, sorted by name (the exercise library is not a routine)."""
    return sorted(p for p in ROUTINES_DIR.glob("*.yaml") if p != LIBRARY_FILE)
