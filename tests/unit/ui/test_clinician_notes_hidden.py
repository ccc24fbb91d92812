"""Format 1.1's clinician notes are for the clinician: the patient's preview and the player
never show them, while the preview does say who prescribed the routine."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QTreeWidget, QWidget

from tests.unit.ui.harness import Harness

SECRET = "SECRET-watch-for-peripheralisation"

ROUTINE = f"""\
format: 1.1
title: Twice a day
prescriber: {{name: A. Physio, clinic: Northside Physio, phone: "0161 555 0123"}}
clinician_notes: {SECRET} routine
notes: Do these slowly.
schedule: {{times_per_week: 7, sessions_per_day: 2, weeks: 2}}
pain_checks: {{before: false, after: false}}
defaults: {{lead_in: 2s}}
blocks:
  - name: Main
    steps:
      - exercise: knee_to_chest
        hold: 3s
        sets: 2
        rest_between_sets: 2s
        note: Breathe out and relax.
        clinician_notes: {SECRET} exercise
      - rest: 2s
        clinician_notes: {SECRET} rest
"""


def every_text(root: QWidget) -> str:
    """Every label's text, every tree cell and every tooltip under ``root``, shown or not."""
    texts = [label.text() for label in root.findChildren(QLabel)]
    texts += [w.toolTip() for w in root.findChildren(QWidget)]
    texts += [w.accessibleDescription() for w in root.findChildren(QWidget)]
    for tree in root.findChildren(QTreeWidget):
        stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            texts += [item.text(c) for c in range(tree.columnCount())]
            texts += [item.toolTip(c) for c in range(tree.columnCount())]
            stack += [item.child(i) for i in range(item.childCount())]
    return "\n".join(texts)


def test_preview_shows_the_prescriber_and_twice_a_day_but_no_clinician_notes(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    harness.window.open_file(path)
    preview = harness.window.preview
    assert preview.currentWidget() is preview.routine_page
    assert preview.prescriber_label.text() == ("Prescribed by A. Physio, Northside Physio, "
                                               "0161 555 0123")
    assert "2 times a day, every day for 2 weeks" in preview.facts_label.text()
    assert "14 times a week" not in preview.facts_label.text()
    assert "Do these slowly." in preview.notes_label.text()  # the patient's notes are shown
    assert SECRET not in every_text(harness.window)


def test_the_player_never_shows_clinician_notes(make_harness, tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    h = make_harness()
    h.show(file=path, start=True)
    assert h.window.pages.currentWidget() is h.player
    seen_note = False
    for _ in range(40):  # the whole session, half a second at a time
        text = every_text(h.window)
        assert SECRET not in text
        seen_note |= "Breathe out and relax." in text
        h.advance(0.5)
    assert seen_note  # the patient's note is shown during the exercise
    assert SECRET not in every_text(h.window)
