"""Format 1.1's load, breathing and stop signs where the patient reads them: the player's
note beside the exercise, and the handout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPageSize

from player.core.loader import load_routine
from player.ui.handout_pdf import render_handout_pdf
from tests.unit.ui.harness import Harness

ROUTINE = """\
format: 1.1
title: Cues
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: glute_bridge
        hold: 10s
        load: Green band round the knees
        breathing: Breathe out as you lift
        note: Keep your ribs down.
        stop_if: [numbness, {pain_above: 4}]
"""


def test_the_player_shows_load_and_breathing_under_the_note(harness: Harness,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(ROUTINE)
    harness.window.open_file(path)
    assert harness.window.start_routine(path.resolve())
    harness.advance(2.1)
    player = harness.player
    assert player.name_label.text() == "Glute bridge"
    assert player.note_section.body.text().splitlines() == [
        "Keep your ribs down.", "Load: Green band round the knees",
        "Breathing: Breathe out as you lift"]
    assert "Stop if the pain is above 4 out of 10." in player.cautions_section.body.text()


def test_the_handout_prints_load_breathing_and_stop_signs(qapp, tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(ROUTINE)
    routine = load_routine(path).routine
    assert routine is not None
    rendered = render_handout_pdf(routine, 1, page_size=QPageSize(QPageSize.PageSizeId.A4))
    text = " ".join(b.text for b in rendered.boxes).replace("\u00a0", " ")
    for expected in ("Load: Green band round the knees", "Breathing: Breathe out as you lift",
                     "Stop if you feel numbness or tingling.",
                     "Stop if the pain is above 4 out of 10."):
        assert expected in text
