"""Format 1.1's structured ``stop_if``: checked where it is written, carried to every set and
side of the timeline, matched by what the person says, and refused under format 1.0."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from player.core.loader import Library, load_library, load_routine
from player.core.stop_signs import StopSign, care_kind, matched, merged
from player.core.timeline import StepKind, build_timeline

TODAY = dt.date(2026, 11, 21)

ROUTINE = """\
format: 1.1
title: Stop signs
exercises:
  my_bridge:
    name: My bridge
    stop_if: [numbness]
blocks:
  - name: Main
    steps:
      - exercise: my_bridge
        reps: 10
        sets: 2
        sides: both
        stop_if:
          - spreading
          - pain_above: 5
          - other: Pain in the front of the knee
          - numbness
"""

KNEE = StopSign("other", text="Pain in the front of the knee")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def problems(tmp_path: Path, text: str, library: Library) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    return [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}" for p in result.problems]


def test_the_exercise_signs_then_the_step_signs_reach_every_set_and_side(tmp_path, library):
    path = tmp_path / "r.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    assert result.errors == ()
    assert result.routine is not None
    step = result.routine.blocks[0].steps[0]
    assert step.stop_if == (StopSign("numbness"), StopSign("spreading"),
                            StopSign("pain_above", pain_above=5), KNEE)  # numbness once
    played = [s for s in build_timeline(result.routine).steps if s.kind is StepKind.EXERCISE]
    assert len(played) == 4 and all(s.stop_if == step.stop_if for s in played)
    assert [s.line() for s in step.stop_if] == [
        "Stop if you feel numbness or tingling.",
        "Stop if symptoms spread away from your spine (into your buttock or down a leg).",
        "Stop if the pain is above 5 out of 10.",
        "Stop if pain in the front of the knee.",
    ]


@pytest.mark.parametrize(("sign", "message"), [
    ("spredding", "must be one of: spreading, numbness, sharp, or a mapping of one key, "
                  "`pain_above: N` (0 to 9) or `other: your own words`; found spredding "
                  "(did you mean `spreading`?)"),
    ("{pain_abov: 3}", "pain_abov: unknown field `pain_abov` in stop sign (did you mean "
                       "`pain_above`?) (allowed: pain_above, other)"),
    ("{pain_above: 10}", "pain_above: must be from 0 to 9 (a rating out of 10); found 10"),
    ("{pain_above: '5'}", "pain_above: must be a whole number from 0 to 9; found '5', which the "
                          "quotes make text: write 5 without the quotes"),
    ("{pain_above: 3, other: knee}", "a stop sign has exactly one key, `pain_above` or "
                                     "`other`; found pain_above, other"),
    ("{other: ''}", "other: must not be empty"),
    ("{}", "must be one of: spreading, numbness, sharp, or a mapping of one key, `pain_above: "
           "N` (0 to 9) or `other: your own words`; found an empty mapping"),
])
def test_a_wrong_sign_is_an_error_at_it(tmp_path, library, sign, message):
    text = ROUTINE.replace("          - numbness\n", f"          - {sign}\n")
    [found] = problems(tmp_path, text, library)
    assert found.startswith("18:")
    assert found.endswith(message)
    assert "block 'Main', step 1 (My bridge), stop_if, item 4" in found


def test_every_wrong_sign_shows_in_one_pass(tmp_path, library):
    text = ROUTINE.replace("- spreading", "- spredding").replace("- numbness\n", "- {}\n")
    assert [p.split(": ")[0] for p in problems(tmp_path, text, library)] == ["15:13", "18:13"]


def test_stop_if_is_a_list(tmp_path, library):
    text = ROUTINE.replace("    stop_if: [numbness]", "    stop_if: numbness")
    assert problems(tmp_path, text, library) == [
        "6:14: error: exercise `my_bridge`, stop_if: must be a list (lines starting with '- '); "
        "found numbness"]


def test_stop_if_under_format_10_says_to_write_11(tmp_path, library):
    found = problems(tmp_path, ROUTINE.replace("format: 1.1", "format: 1.0"), library)
    fix = "but this file says `format: 1.0`; write `format: 1.1` at the top of the file to use it"
    assert found == [
        f"6:5: error: exercise `my_bridge`, stop_if: `stop_if` is new in format 1.1, {fix}",
        f"14:9: error: block 'Main', step 1 (My bridge), stop_if: `stop_if` is new in format "
        f"1.1, {fix}",
    ]


def test_what_the_person_says_matches_signs():
    signs = (StopSign("spreading"), StopSign("pain_above", pain_above=5), KNEE)
    assert matched(signs, (), None) == ()
    assert matched(signs, (), 5) == ()  # above 5, not at it
    assert matched(signs, (), 6) == (signs[1],)
    assert matched(signs, (KNEE,), 2) == (KNEE,)
    assert care_kind(()) is None
    assert care_kind((KNEE,)) == "stop"
    assert care_kind((KNEE, StopSign("numbness"))) == "leg_numb"
    assert care_kind((StopSign("numbness"), StopSign("spreading"))) == "leg_pain"
    assert merged((KNEE,), (StopSign("sharp"), KNEE)) == (KNEE, StopSign("sharp"))


def test_the_docs_stop_if_example_gives_four_signs(tmp_path, library):
    import re

    doc = (Path(__file__).resolve().parents[3] / "docs" / "routine-format.md").read_text(
        encoding="utf-8")
    example = re.search(r"<!-- how-stop-if -->\s*```yaml\n(.*?)^```", doc, re.S | re.M)
    assert example
    path = tmp_path / "r.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    assert result.problems == () and result.routine is not None
    assert [s.kind for s in result.routine.blocks[0].steps[0].stop_if] == [
        "spreading", "numbness", "pain_above", "other"]


@pytest.mark.parametrize(("text", "line"), [
    ("Pain in the front of the knee", "Stop if pain in the front of the knee."),
    ("ITB pain", "Stop if ITB pain."),
    ("I feel dizzy.", "Stop if I feel dizzy."),
    ("dizziness", "Stop if dizziness."),
])
def test_an_own_sign_reads_as_a_sentence(text, line):
    assert StopSign("other", text=text).line() == line
