"""Subcommands that need no window: validate, timeline, handout (history and report join
them).

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
from player.core.loader import Library, load_library, load_routine, validate_file, week_problem
from player.core.routine import Routine
from player.core.text import escape_controls
from player.core.timeline import (
    UNTIMED_REP_ESTIMATE_SECONDS,
    StepKind,
    Timeline,
    TimelineStep,
    build_timeline,
    describe_step,
    prescriber_text,
    schedule_text,
)

#: The last line of ``validate``, on standard error.
MSG_VALID_FILES = "{valid} of {total} file(s) valid"
#: ``timeline --week N`` for a week the routine does not have.
MSG_BAD_WEEK = "{file}: --week {week}: {reason}"
#: ``timeline``'s lines for the clinician (the patient never sees these).
MSG_SCHEDULE = "Schedule: {text}"
MSG_CLINICIAN_NOTES = "Clinician notes: {text}"
MSG_STEP_CLINICIAN_NOTES = "{indent}clinician notes: {text}"
#: ``handout``: the file written, and a picture left out of it.
MSG_HANDOUT_WRITTEN = "Handout for week {week} written to {path} ({pages} page(s))"
MSG_HANDOUT_PICTURE = "{file}: warning: {problem}"
MSG_HANDOUT_UNWRITABLE = "{path}: cannot write the handout: {reason}"


def cmd_validate(paths: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print every problem as ``PATH:LINE:COL: error: MESSAGE``; 0 when all files are valid.

    The summary goes to standard error after the problems are flushed, on a line of its own
    (after an empty line when problems were listed), so it never runs on from the last problem
    whatever joins the two streams.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    library = load_library()
    bad = listed = 0
    for name in paths:
        problems = validate_file(Path(name), library)
        for problem in problems:
            print(escape_controls(problem.format(name)), file=out)
        listed += len(problems)
        if any(p.is_error for p in problems):
            bad += 1
    out.flush()
    summary = MSG_VALID_FILES.format(valid=len(paths) - bad, total=len(paths))
    err.write(("\n" if listed else "") + summary + "\n")
    err.flush()
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
    reason = week_problem(result.routine, week)
    if reason:
        print(escape_controls(MSG_BAD_WEEK.format(file=name, week=week, reason=reason)),
              file=sys.stderr)
        return 2
    timeline = build_timeline(result.routine, week)
    if as_json:
        json.dump(timeline_json(timeline, result.routine), out, indent=2)
        out.write("\n")
    else:
        print_timeline(timeline, out, result.routine)
    return 0


def timeline_json(timeline: Timeline, routine: Routine | None = None) -> dict[str, object]:
    """The ``timeline --json`` object (with the routine's prescriber, sessions a day and
    clinician notes when ``routine`` is given)."""
    extra: dict[str, object] = {}
    if routine is not None:
        p = routine.prescriber
        extra = {"prescriber": None if p is None else
                 {"name": p.name, "clinic": p.clinic, "phone": p.phone},
                 "sessions_per_day": routine.schedule.sessions_per_day,
                 "clinician_notes": routine.clinician_notes}
    return {
        "title": timeline.title,
        **extra,
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
                "reps_max": s.reps_max,
                "hold_range": list(s.hold_range) if s.hold_range is not None else None,
                "start_seconds": s.start_seconds,
                "duration_seconds": s.duration_seconds,
                "estimated_seconds": None if s.timed else s.planned_seconds,
                "requested_seconds": s.requested_seconds,
                "bpm": s.bpm,
                "clinician_notes": s.clinician_notes,
            }
            for s in timeline.steps
        ],
    }


#: Format 1.1 cues under an exercise's first set in ``timeline``; {text} from the file.
MSG_LOAD = "load: {text}"
MSG_BREATHING = "breathing: {text}"


def _step_cues(step: TimelineStep) -> list[str]:
    """The load, breathing and stop signs of an exercise step (format 1.1), a line each."""
    lines = [MSG_LOAD.format(text=step.load) if step.load else "",
             MSG_BREATHING.format(text=step.breathing) if step.breathing else ""]
    return [line for line in lines if line] + [sign.line() for sign in step.stop_if]


def print_timeline(timeline: Timeline, out: TextIO, routine: Routine | None = None) -> None:
    """The human-readable timeline; text from the file is escaped (:func:`escape_controls`).

    It is the clinician's view: with ``routine`` it also says who prescribed it, how often, and
    the clinician notes (the routine's, and each step's under its first line)."""
    print(escape_controls(timeline.title), file=out)
    if routine is not None:
        for line in (prescriber_text(routine.prescriber),
                     MSG_SCHEDULE.format(text=schedule_text(routine.schedule))
                     if schedule_text(routine.schedule) else "",
                     MSG_CLINICIAN_NOTES.format(text=routine.clinician_notes)
                     if routine.clinician_notes else ""):
            if line:
                print(escape_controls(line), file=out)
    blocks = {s.block: escape_controls(s.block) for s in timeline.steps}
    width = max((len(b) for b in blocks.values()), default=0)
    previous: TimelineStep | None = None  # the last exercise step printed
    for s in timeline.steps:
        length = format_duration(s.planned_seconds)
        detail = describe_step(s)
        line = (f"{format_duration(s.start_seconds):>8}  {length if s.timed else '~' + length:>7}"
                f"  {blocks[s.block]:<{width}}  {escape_controls(s.name)}"
                + (f" ({detail})" if detail else ""))
        print(escape_controls(line), file=out)
        if s.clinician_notes:
            print(escape_controls(MSG_STEP_CLINICIAN_NOTES.format(
                indent=" " * 19, text=s.clinician_notes)), file=out)
        first_set = s.kind is StepKind.EXERCISE and s.set == 1 and not (
            previous is not None and previous.set == 1 and previous.exercise == s.exercise)
        if first_set:
            for line in _step_cues(s):
                print(escape_controls(" " * 19 + line), file=out)
        if s.kind is StepKind.EXERCISE:
            previous = s
    print(f"Total: {format_duration(timeline.total_seconds)} (untimed steps counted at "
          f"{UNTIMED_REP_ESTIMATE_SECONDS:g} s a repetition)", file=out)


def cmd_handout(name: str, pdf: str, week: int = 1, *, clinician: bool = False,
                paper: str | None = None, library: Library | None = None,
                out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Write the routine's printable handout for ``week`` to ``pdf``: 0 when written, 1 when
    the file has errors, 2 for a week outside its schedule, 4 when the PDF cannot be
    written. A picture left out is a warning on standard error."""
    out = out or sys.stdout
    err = err or sys.stderr
    result = load_routine(Path(name), library or load_library())
    if result.routine is None:
        for problem in result.problems:
            print(escape_controls(problem.format(name)), file=err)
        return 1
    reason = week_problem(result.routine, week)
    if reason:
        print(escape_controls(MSG_BAD_WEEK.format(file=name, week=week, reason=reason)),
              file=err)
        return 2
    from player.ui.handout_pdf import paper_size, write_handout_pdf  # Qt, only here

    try:
        written = write_handout_pdf(result.routine, Path(pdf), week, clinician=clinician,
                                    page_size=paper_size(paper))
    except OSError as exc:
        print(escape_controls(MSG_HANDOUT_UNWRITABLE.format(path=pdf,
                                                            reason=exc.strerror or exc)),
              file=err)
        return 4
    for left_out in written.problems:
        print(escape_controls(MSG_HANDOUT_PICTURE.format(file=name, problem=left_out)),
              file=err)
    print(escape_controls(MSG_HANDOUT_WRITTEN.format(week=week, path=pdf, pages=written.pages)),
          file=out)
    return 0
