"""Subcommands that need no window: validate, timeline (history and report join them).

What they print comes partly from other people's files, so every piece of file text goes
through :func:`player.core.text.escape_controls`: a terminal shows an ESC, an OSC-8 link, a
carriage return, a newline inside a name or a bidi override as an escape (``\x1b``, ``\r``,
``\n``, ``\u202e``) and obeys none of them, so no file can fake a line of the app's output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from player.core.durations import format_duration
from player.core.loader import Library, load_library, load_routine, validate_file
from player.core.text import escape_controls
from player.core.timeline import (
    UNTIMED_REP_ESTIMATE_SECONDS,
    Timeline,
    build_timeline,
    describe_step,
)


def cmd_validate(paths: list[str], out: TextIO | None = None) -> int:
    """Print every problem as ``PATH:LINE:COL: error: MESSAGE``; 0 when all files are valid."""
    out = out or sys.stdout
    library = load_library()
    bad = 0
    for name in paths:
        problems = validate_file(Path(name), library)
        for problem in problems:
            print(escape_controls(problem.format(name)), file=out)
        if any(p.is_error for p in problems):
            bad += 1
    print(f"{len(paths) - bad} of {len(paths)} file(s) valid", file=sys.stderr)
    return 1 if bad else 0


def cmd_timeline(name: str, as_json: bool, week: int = 1, out: TextIO | None = None,
                 library: Library | None = None) -> int:
    """Print the resolved step list with start times and the total time."""
    out = out or sys.stdout
    result = load_routine(Path(name), library or load_library())
    if result.routine is None:
        for problem in result.problems:
            print(escape_controls(problem.format(name)), file=sys.stderr)
        return 1
    timeline = build_timeline(result.routine, week)
    if as_json:
        json.dump(timeline_json(timeline), out, indent=2)
        out.write("\n")
    else:
        print_timeline(timeline, out)
    return 0


def timeline_json(timeline: Timeline) -> dict[str, object]:
    """The ``timeline --json`` object."""
    return {
        "title": timeline.title,
        "total_seconds": timeline.total_seconds,
        "steps": [
            {
                "index": s.index,
                "block": s.block,
                "kind": s.kind.value,
                "name": s.name,
                "exercise": s.exercise.id if s.exercise else None,
                "side": s.side,
                "set": s.set,
                "sets": s.sets,
                "reps": s.reps,
                "start_seconds": s.start_seconds,
                "duration_seconds": s.duration_seconds,
                "estimated_seconds": None if s.timed else s.planned_seconds,
                "requested_seconds": s.requested_seconds,
                "bpm": s.bpm,
            }
            for s in timeline.steps
        ],
    }


def print_timeline(timeline: Timeline, out: TextIO) -> None:
    """The human-readable timeline; text from the file is escaped (:func:`escape_controls`)."""
    print(escape_controls(timeline.title), file=out)
    blocks = {s.block: escape_controls(s.block) for s in timeline.steps}
    width = max((len(b) for b in blocks.values()), default=0)
    for s in timeline.steps:
        length = format_duration(s.planned_seconds)
        detail = describe_step(s)
        line = (f"{format_duration(s.start_seconds):>8}  {length if s.timed else '~' + length:>7}"
                f"  {blocks[s.block]:<{width}}  {escape_controls(s.name)}"
                + (f" ({detail})" if detail else ""))
        print(escape_controls(line), file=out)
    print(f"Total: {format_duration(timeline.total_seconds)} (untimed steps counted at "
          f"{UNTIMED_REP_ESTIMATE_SECONDS:g} s a repetition)", file=out)
