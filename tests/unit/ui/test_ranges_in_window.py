"""Format 1.1's ranges in the window: an untimed set that shows the range and waits for Done,
and the handout's dose in words."""

from __future__ import annotations

from pathlib import Path

from player.core.engine import EngineState
from player.core.loader import load_routine
from player.ui.handout_pdf import dose_text
from player.ui.pages.player_view import DONE_AFTER_REPS, DONE_AFTER_TIME
from tests.unit.ui.harness import Harness

ROUTINE = """\
format: 1.1
title: Ranges
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: glute_bridge
        reps: 8-12
      - exercise: easy_walk
        hold: 10-20m
"""


def test_a_range_is_played_as_a_done_step_showing_the_range(harness: Harness,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "ranges.yaml"
    path.write_text(ROUTINE)
    harness.window.open_file(path)
    assert harness.window.start_routine(path.resolve())
    harness.advance(2.1)
    player = harness.player
    assert player.name_label.text() == "Glute bridge"
    assert harness.engine.state is EngineState.AWAITING_DONE
    assert player.countdown_text == "8-12 reps"
    assert player.caption_label.text() == DONE_AFTER_REPS
    harness.advance(3600)  # no clock: it waits however long it takes
    assert player.name_label.text() == "Glute bridge"
    harness.window.commands.done.trigger()
    assert player.name_label.text() == "Easy walk"
    assert harness.engine.state is EngineState.AWAITING_DONE
    assert player.countdown_text == "10-20 min"
    assert player.caption_label.text() == DONE_AFTER_TIME


def test_the_handout_says_a_range_in_words(tmp_path: Path) -> None:
    path = tmp_path / "ranges.yaml"
    path.write_text(ROUTINE.replace("reps: 8-12", "reps: 8-12\n        sets: 2"))
    routine = load_routine(path).routine
    assert routine is not None
    bridge, walk = routine.blocks[0].steps
    assert dose_text(bridge).startswith("2 sets of 8 to 12 repetitions")
    assert dose_text(walk).replace("\u00a0", " ").startswith("Hold for 10 min to 20 min")
