"""Loading a routine written in a test, with every problem as ``LINE:COL: severity: message``
(for the format 1.1 tests that check fields and what they place where); the ``library``
fixture is in this folder's conftest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from player.core.loader import Library, load_routine
from player.core.routine import Routine

#: The day the tests' routines are checked on (their ``written`` and ``review_by`` dates).
TODAY = dt.date(2026, 11, 21)


def load(tmp_path: Path, text: str, library: Library) -> tuple[Routine | None, list[str]]:
    """The routine ``text`` written to a file and loaded, and its problems, placed."""
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    return result.routine, [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}"
                            for p in result.problems]
