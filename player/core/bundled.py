"""Where the bundled routines, exercise library and media live (beside the package)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The bundled routines and the JSON Schemas.
ROUTINES_DIR = PROJECT_ROOT / "routines"
#: Bundled illustrations and cue sounds.
MEDIA_DIR = PROJECT_ROOT / "media"
#: The bundled exercise library that routines refer to by id.
LIBRARY_FILE = ROUTINES_DIR / "exercises.yaml"
#: The published JSON Schemas (kept in sync with player.core.schema by a test).
ROUTINE_SCHEMA_FILE = ROUTINES_DIR / "routine.schema.json"
LIBRARY_SCHEMA_FILE = ROUTINES_DIR / "exercise-library.schema.json"


def bundled_routines() -> list[Path]:
    """The bundled routine files, sorted by name (the exercise library is not a routine)."""
    return sorted(p for p in ROUTINES_DIR.glob("*.yaml") if p != LIBRARY_FILE)
