"""Format 1.1's progressions of rest, tempo and the exercise itself by week: folded into each
week's timeline, counted in the size limits, checked at their own keys, refused under 1.0."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from player.core.loader import Library, load_library, load_routine
from player.core.routine import Tempo
from player.core.timeline import StepKind, build_timeline

TODAY = dt.date(2026, 11, 21)

ROUTINE = """\
format: 1.1
title: Progressing
schedule: {times_per_week: 3, weeks: 6}
blocks:
  - name: Main
    steps:
      - exercise: glute_bridge
        reps: 10
        sets: 2
        rest_between_sets: 30s
        tempo: {up: 2s, down: 2s}
        progression:
          week 3: {rest_between_sets: 20s, tempo: {up: 2s, hold: 3s, down: 2s}}
          week 5: {exercise: bird_dog, rest_after: 1m, reps: 8}
"""


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def problems(tmp_path: Path, text: str, library: Library) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    return [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}" for p in result.problems]


def played(tmp_path: Path, text: str, library: Library, week: int) -> list[tuple[str, str, float]]:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    assert result.errors == () and result.routine is not None, result.problems
    return [(s.kind.value, s.name, s.planned_seconds)
            for s in build_timeline(result.routine, week).steps if s.kind is not StepKind.LEAD_IN]


def test_each_week_plays_its_rest_tempo_and_exercise(tmp_path, library):
    assert played(tmp_path, ROUTINE, library, 2) == [
        ("exercise", "Glute bridge", 40.0), ("rest", "Rest", 30.0),
        ("exercise", "Glute bridge", 40.0)]
    assert played(tmp_path, ROUTINE, library, 3) == [
        ("exercise", "Glute bridge", 70.0), ("rest", "Rest", 20.0),
        ("exercise", "Glute bridge", 70.0)]
    # Week 5 builds on week 3: the tempo and rest stay, the exercise, reps and rest after change.
    assert played(tmp_path, ROUTINE, library, 5) == [
        ("exercise", "Bird dog", 56.0), ("rest", "Rest", 20.0),
        ("exercise", "Bird dog", 56.0), ("rest", "Rest", 60.0)]


def test_the_model_keeps_each_progression(tmp_path, library):
    path = tmp_path / "r.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    routine = load_routine(path, library, today=TODAY).routine
    assert routine is not None
    week3, week5 = routine.blocks[0].steps[0].progressions
    assert (week3.rest_between_sets, week3.tempo) == (20.0, Tempo(2.0, 3.0, 2.0))
    assert week5.exercise is not None and week5.exercise.id == "bird_dog"
    assert week5.rest_after == 60.0


def test_a_progressions_rest_counts_in_the_session_limit(tmp_path, library):
    text = ROUTINE.replace("rest_after: 1m", "rest_after: 4h, rest_between_sets: 4h")
    [found] = problems(tmp_path, text, library)
    assert "would take" in found and "in week 5" in found and found.startswith("7:9: error")


@pytest.mark.parametrize(("change", "message"), [
    ("exercise: bird_dgo", "14:30: error: block 'Main', step 1 (Glute bridge), progression, "
                           "week 5, exercise: no exercise with id `bird_dgo` in this file's "
                           "`exercises` or the bundled library (did you mean `bird_dog`?)"),
    ("exercise: Bird dog", "14:30: error: block 'Main', step 1 (Glute bridge), progression, "
                           "week 5, exercise: must be an id of lowercase letters, digits and "
                           "underscores starting with a letter; found Bird dog"),
    ("rest_after: soon", "14:32: error: block 'Main', step 1 (Glute bridge), progression, "
                         "week 5, rest_after:"),
    ("tempo: {up: 0s}", "14:27: error: block 'Main', step 1 (Glute bridge), progression, "
                        "week 5, tempo: a tempo needs at least one phase longer than zero"),
    ("rest_betwen_sets: 10s", "14:20: error: block 'Main', step 1 (Glute bridge), "
                              "progression, week 5, rest_betwen_sets: unknown field "
                              "`rest_betwen_sets` in progression (did you mean "
                              "`rest_between_sets`?)"),
])
def test_a_wrong_progression_is_an_error_at_its_own_key(tmp_path, library, change, message):
    text = ROUTINE.replace("exercise: bird_dog, rest_after: 1m, reps: 8", change)
    found = problems(tmp_path, text, library)
    assert found[0].startswith(message)
    assert all(f.startswith(found[0][:6]) for f in found)  # (an id that is not one: also unknown)


def test_a_tempo_progression_on_a_held_step_says_what_to_change(tmp_path, library):
    held = ROUTINE.replace("        reps: 10\n", "        hold: 20s\n").replace(
        "        tempo: {up: 2s, down: 2s}\n", "").replace(", reps: 8", "")
    [found] = problems(tmp_path, held, library)
    assert found == ("12:44: error: block 'Main', step 1 (Glute bridge), progression, week 3, "
                     "tempo: changes `tempo`, but this step is held for a time (`hold`); a tempo "
                     "times each repetition, so it needs a step of `reps`")
    each = ROUTINE.replace("        tempo: {up: 2s, down: 2s}\n", "        hold: 5s\n")
    [found] = problems(tmp_path, each, library)
    assert found.endswith("tempo: changes `tempo`, but each repetition of this step is held "
                          "(`reps` with `hold`); change `hold` here instead")


def test_the_new_progressions_under_format_10_say_to_write_11(tmp_path, library):
    found = problems(tmp_path, ROUTINE.replace("format: 1.1", "format: 1.0"), library)
    fix = "but this file says `format: 1.0`; write `format: 1.1` at the top of the file to use it"
    assert [f.split(": ", 1)[0] for f in found] == ["13:20", "13:44", "14:20", "14:40"]
    assert all(f.endswith(fix) for f in found)
    assert "`tempo` is new in format 1.1" in found[1]


def test_the_docs_progression_example_plays_its_four_weeks(tmp_path, library):
    import re

    doc = (Path(__file__).resolve().parents[3] / "docs" / "routine-format.md").read_text(
        encoding="utf-8")
    example = re.search(r"<!-- how-progression -->\s*```yaml\n(.*?)^```", doc, re.S | re.M)
    assert example
    weeks = [played(tmp_path, example.group(1), library, week) for week in (1, 2, 3, 4)]
    assert weeks[0][:2] == [("exercise", "Glute bridge", 60.0), ("rest", "Rest", 45.0)]
    assert weeks[1][:2] == [("exercise", "Glute bridge", 100.0), ("rest", "Rest", 30.0)]
    assert weeks[2][0] == ("exercise", "Glute bridge", 120.0)
    assert {name for _, name, _ in weeks[2]} == {"Glute bridge", "Rest", "Bird dog",
                                                   "Switch sides"}
    assert "Bird dog" not in {name for _, name, _ in weeks[3]}
    assert weeks[3][-1] == ("rest", "Rest", 30.0)
