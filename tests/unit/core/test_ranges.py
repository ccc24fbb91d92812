"""Format 1.1's ranges, ``reps: 8-12`` and ``hold: 10-20m``: played as untimed sets ending with
Done that show the range, counted at their most in the limits, and refused where a set must be
timed or counted, or under format 1.0."""

from __future__ import annotations

import pytest

from player.core.timeline import StepKind, build_timeline, describe_step, dose_text_of
from tests.unit.core.routine_text import load

ROUTINE = """\
format: 1.1
title: Ranges
schedule: {times_per_week: 3, weeks: 4}
blocks:
  - name: Main
    steps:
      - exercise: glute_bridge
        reps: 8-12
        sets: 2
        progression:
          week 3: {reps: 12}
      - exercise: easy_walk
        hold: 10-20m
        note: As you tolerate it.
      - exercise: dead_bug
        reps: 5 - 8
        sides: alternating
      - exercise: plank
        hold: 20s-45s
"""


def test_ranges_are_untimed_sets_that_show_the_range(tmp_path, library):
    routine, problems = load(tmp_path, ROUTINE, library)
    assert problems == [] and routine is not None
    bridge, walk, bug, plank = routine.blocks[0].steps
    assert (bridge.reps, bridge.reps_max) == (8, 12)
    assert (walk.hold, walk.hold_max) == (600.0, 1200.0)
    assert (bug.reps, bug.reps_max) == (5, 8)
    assert (plank.hold, plank.hold_max) == (20.0, 45.0)
    steps = [s for s in build_timeline(routine).steps if s.kind is StepKind.EXERCISE]
    assert all(not s.timed for s in steps)  # each ends with Done
    assert [dose_text_of(s) for s in steps] == ["8-12 reps", "8-12 reps", "10-20 min",
                                                "10-16 reps", "20-45 s"]
    assert describe_step(steps[2]) == "10-20 min, press Done"
    assert describe_step(steps[0]) == "set 1/2, 8-12 reps, press Done"
    # Estimated at the most of the range, as the size limits count it.
    assert [s.planned_seconds for s in steps] == [48.0, 48.0, 1200.0, 64.0, 45.0]


def test_a_progression_of_one_number_ends_the_range(tmp_path, library):
    routine, _ = load(tmp_path, ROUTINE, library)
    assert routine is not None
    week3 = [s for s in build_timeline(routine, 3).steps if s.name == "Glute bridge"]
    assert [dose_text_of(s) for s in week3] == ["12 reps", "12 reps"]


@pytest.mark.parametrize(("written", "message"), [
    ("reps: 12-8", "reps: a range goes from the least to the most; write 8-12"),
    ("reps: 8-8", "reps: a range needs two different ends; write one value: 8"),
    ("reps: 8-600", "reps: must be from 1 to 500; found 600"),
    ("reps: 0-8", "reps: must be from 1 to 500; found 0"),
    ("hold: 20-10m", "hold: a range goes from the least to the most; write 10-20m"),
    ("hold: 10m-5h", "hold: is longer than 4 hours, which no step needs; check for a typo; "
                     "found 5h"),
    ("hold: 1-2 hourz", "hold: hourz is not a unit of time"),
])
def test_a_wrong_range_is_an_error_at_it(tmp_path, library, written, message):
    text = ROUTINE.replace("        reps: 8-12\n", f"        {written}\n").replace(
        "          week 3: {reps: 12}\n", "          week 3: {sets: 3}\n")
    _, problems = load(tmp_path, text, library)
    assert len(problems) == 1 and problems[0].startswith("8:15: error: block 'Main', step 1")
    assert f"(Glute bridge), {message}" in problems[0]


def test_a_range_with_a_tempo_or_held_reps_says_what_to_write(tmp_path, library):
    tempo = ROUTINE.replace("        sets: 2\n", "        sets: 2\n        tempo: {up: 2s}\n", 1)
    _, problems = load(tmp_path, tempo, library)
    assert problems == ["8:15: error: block 'Main', step 1 (Glute bridge), reps: a range of "
                        "reps is played as a set you end with Done, so it cannot have a "
                        "`tempo`; give one number of reps, or remove the tempo"]
    held = ROUTINE.replace("        sets: 2\n", "        sets: 2\n        hold: 5s\n", 1)
    _, problems = load(tmp_path, held, library)
    assert problems == ["8:15: error: block 'Main', step 1 (Glute bridge), reps: with `reps` "
                        "and `hold` (each repetition held), give one value of each, not a "
                        "range"]


def test_ranges_under_format_10_say_to_write_11(tmp_path, library):
    text = ROUTINE.replace("format: 1.1", "format: 1.0").replace(
        "        sides: alternating\n", "")
    _, problems = load(tmp_path, text, library)
    assert [p.split(": error: ")[0] for p in problems] == ["8:15", "13:15", "16:15", "18:15"]
    assert problems[1].endswith("hold: a range (10-20m) is new in format 1.1, but this file "
                                "says `format: 1.0`; write `format: 1.1` at the top of the "
                                "file, or give one value")


def test_a_range_too_long_for_its_kind_is_warned_at_its_most(tmp_path, library):
    text = ROUTINE.replace("hold: 20s-45s", "hold: 30s-20m")
    _, problems = load(tmp_path, text, library)
    assert len(problems) == 1 and problems[0].startswith("19:15: warning:")


def test_a_quoted_range_is_text_for_reps(tmp_path, library):
    text = ROUTINE.replace("reps: 8-12", 'reps: "8-12"')
    _, problems = load(tmp_path, text, library)
    assert len(problems) == 1 and "must be a whole number from 1 to 500" in problems[0]


@pytest.mark.parametrize(("written", "seconds"), [
    ("hold: 1m30s-2m", (90.0, 120.0)), ("hold: 10 - 20m", (600.0, 1200.0)),
    ("hold: 10-20 mins", (600.0, 1200.0)), ("hold: 30s-1 minute", (30.0, 60.0)),
])
def test_ranges_of_time_as_people_write_them(tmp_path, library, written, seconds):
    routine, problems = load(tmp_path, ROUTINE.replace("hold: 20s-45s", written), library)
    assert not [p for p in problems if ": error:" in p] and routine is not None
    assert bool(problems) == (seconds[1] > 180)  # a plank that long is warned, at its most
    plank = routine.blocks[0].steps[3]
    assert (plank.hold, plank.hold_max) == seconds
