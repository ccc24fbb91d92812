"""The runner's own cadence: beats a percentage above it within 150-200, from taps or typed,
and `cadence: {above_own_percent: 5}` in a routine file (format 1.1, located errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core.cadence import (
    ASSUMED_OWN,
    CadenceError,
    beats_above,
    cadence_from_taps,
    parse_own_cadence,
    uses_own_cadence,
    with_own_cadence,
)
from player.core.loader import load_routine
from player.core.routine import CadenceStep
from player.core.timeline import build_timeline

OWN = """\
format: {format}
title: Own cadence
blocks:
  - name: Drill
    steps:
      - cadence: {{above_own_percent: 5}}
        duration: 1m
      - cadence: 176
        duration: 1m
      - cadence: {{above_own_percent: 10}}
        duration: 1m
"""


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "own.yaml"
    path.write_text(text, encoding="utf-8")
    return load_routine(path)


@pytest.mark.parametrize(("own", "percent", "beats"), [
    (160, 5, 168), (160, 10, 176), (170, 10, 187),
    (130, 5, 150),   # raised to the floor
    (195, 10, 200),  # kept under the ceiling
])
def test_beats_are_the_percentage_above_within_150_to_200(own, percent, beats):
    assert beats_above(own, percent) == beats


def test_a_routine_plays_above_the_own_cadence_and_above_165_until_it_is_known(tmp_path):
    result = load(tmp_path, OWN.format(format="1.1"))
    assert result.errors == ()
    routine = result.routine
    assert uses_own_cadence(routine)
    steps = [s for b in routine.blocks for s in b.steps if isinstance(s, CadenceStep)]
    assert [s.above_own_percent for s in steps] == [5, None, 10]
    assert [s.bpm for s in steps] == [beats_above(ASSUMED_OWN, 5), 176,
                                      beats_above(ASSUMED_OWN, 10)]
    timeline = build_timeline(with_own_cadence(routine, 160))
    assert [s.bpm for s in timeline.steps if s.bpm] == [168, 176, 176]
    assert with_own_cadence(routine, None) is routine


def test_a_fixed_number_is_untouched(tmp_path):
    routine = load(tmp_path, OWN.format(format="1.1").split("      - cadence: {")[0]
                   + "      - cadence: 176\n        duration: 1m\n").routine
    assert not uses_own_cadence(routine)
    assert with_own_cadence(routine, 150) is routine


def test_the_object_in_a_format_1_file_is_refused_at_its_line(tmp_path):
    result = load(tmp_path, OWN.format(format="1"))
    assert result.routine is None
    assert [(p.line, p.path) for p in result.errors] == [
        (6, "blocks[0].steps[0].cadence"), (10, "blocks[0].steps[2].cadence")]
    assert "new in format 1.1" in result.errors[0].message


@pytest.mark.parametrize(("value", "where", "words"), [
    ("{above_own_percent: 50}", "cadence.above_own_percent", "from 1 to 20 %; found 50"),
    ("{above_own_percent: five}", "cadence.above_own_percent", "whole number"),
    ("{above_own: 5}", "cadence.above_own", "did you mean `above_own_percent`"),
    ("{}", "cadence", "missing the required field `above_own_percent`"),
])
def test_bad_values_are_located_and_explained(tmp_path, value, where, words):
    text = OWN.format(format="1.1").replace("{above_own_percent: 5}", value)
    result = load(tmp_path, text)
    assert result.routine is None
    assert any(p.line == 6 and p.path.endswith(where) and words in p.message
               for p in result.errors), [str(p) for p in result.errors]


def test_a_cadence_from_taps_counts_steps_a_minute():
    taps = [i * 60 / 162 for i in range(82)]  # 30 s of steps at 162 a minute
    assert cadence_from_taps(taps) == 162
    with pytest.raises(CadenceError, match="at least 10"):
        cadence_from_taps(taps[:5])
    with pytest.raises(CadenceError, match="not a running cadence"):
        cadence_from_taps([i * 2.0 for i in range(12)])  # 30 a minute: tapped too slowly


@pytest.mark.parametrize(("text", "words"), [("fast", "not a number"), ("", "not a number"),
                                             ("40", "not a running cadence"),
                                             ("300", "not a running cadence")])
def test_a_typed_cadence_is_checked(text, words):
    with pytest.raises(CadenceError, match=words):
        parse_own_cadence(text)
    assert parse_own_cadence(" 158 ") == 158
