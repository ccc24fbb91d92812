"""Format 1.1's ``load`` and ``breathing``: one line each, carried to every set, the load
progressing by week, the step's breathing over its exercise's, refused under format 1.0."""

from __future__ import annotations

import pytest

from player.core.routine import Routine
from player.core.timeline import StepKind, build_timeline
from tests.unit.core.routine_text import load

ROUTINE = """\
format: 1.1
title: Cues
schedule: {times_per_week: 3, weeks: 4}
exercises:
  band_row:
    name: Band row
    breathing: Breathe out as you pull.
blocks:
  - name: Main
    steps:
      - exercise: band_row
        reps: 10
        sets: 2
        load: Green band
        progression:
          week 3: {load: Blue band}
      - exercise: band_row
        reps: 8
        breathing: Breathe steadily.
      - exercise: glute_bridge
        reps: 10
"""


def cues(routine: Routine, week: int) -> list[tuple[str, str]]:
    return [(s.load, s.breathing) for s in build_timeline(routine, week).steps
            if s.kind is StepKind.EXERCISE]


def test_load_and_breathing_reach_every_set_and_progress_by_week(tmp_path, library):
    routine, problems = load(tmp_path, ROUTINE, library)
    assert problems == [] and routine is not None
    pull = "Breathe out as you pull."
    assert cues(routine, 1) == [("Green band", pull), ("Green band", pull),
                                ("", "Breathe steadily."), ("", "")]
    assert cues(routine, 3)[:2] == [("Blue band", pull), ("Blue band", pull)]


@pytest.mark.parametrize(("written", "message"), [
    ("load: 2", "load: must be text; found 2; to mean it as text, put it in quotes: \"2\""),
    ("load: ''", "load: must not be empty"),
    ("load: " + "x" * 121, "load: is 121 characters long; at most 120"),
    ("lod: Green band", "lod: unknown field `lod` in exercise step (did you mean `load`?)"),
    ("breathing: [in, out]", "breathing: must be text; found a list"),
])
def test_a_wrong_cue_is_an_error_at_it(tmp_path, library, written, message):
    text = ROUTINE.replace("        load: Green band\n", f"        {written}\n")
    _, problems = load(tmp_path, text, library)
    assert len(problems) == 1 and problems[0].startswith("14:")
    assert f"step 1 (Band row), {message}" in problems[0]


def test_cues_under_format_10_say_to_write_11(tmp_path, library):
    _, problems = load(tmp_path, ROUTINE.replace("format: 1.1", "format: 1.0"), library)
    assert [p.split(": error: ")[0] for p in problems] == ["7:5", "14:9", "16:20", "19:9"]
    assert all("is new in format 1.1" in p for p in problems)


def test_timeline_says_the_cues_and_stop_signs_once_per_exercise_step(tmp_path, library):
    import io

    from player.cli import cmd_timeline

    path = tmp_path / "r.yaml"
    path.write_text(ROUTINE.replace("        load: Green band\n",
                                    "        load: Green band\n        stop_if: [numbness]\n"),
                    encoding="utf-8")
    out = io.StringIO()
    assert cmd_timeline(str(path), False, out=out, library=library) == 0
    lines = [line.strip() for line in out.getvalue().splitlines()]
    assert lines.count("load: Green band") == 1  # under set 1, not again under set 2
    assert lines.count("breathing: Breathe out as you pull.") == 1
    assert lines.count("breathing: Breathe steadily.") == 1
    assert lines.count("Stop if you feel numbness or tingling.") == 1
    assert lines.index("load: Green band") == lines.index("Stop if you feel numbness or "
                                                          "tingling.") - 2
