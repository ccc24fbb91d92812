"""Write the routine and exercise-library JSON Schemas into player/content/routines/ from
player.core.schema.

    .venv/bin/python scripts/make_schema.py          # write
    .venv/bin/python scripts/make_schema.py --check  # exit 1 if the files are out of date
"""

from __future__ import annotations

import json
import sys

from player.core import bundled, schema
from player.core.loader import load_library

#: The bundled library's ids, offered for completion wherever a file names an exercise.
BUNDLED_IDS = sorted(load_library().exercises)

TARGETS = {
    bundled.ROUTINE_SCHEMA_FILE: schema.json_schema(schema.ROUTINE, schema.SCHEMA_ID, BUNDLED_IDS),
    bundled.LIBRARY_SCHEMA_FILE: schema.json_schema(
        schema.LIBRARY, schema.SCHEMA_ID.replace("routine-v1", "exercise-library-v1"),
        BUNDLED_IDS),
}


def render(doc: dict[str, object]) -> str:
    """The file text for a schema (stable key order, trailing newline)."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, doc in TARGETS.items():
        text = render(doc)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run scripts/make_schema.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
