"""Format 1.1's ``easier_routine`` in the window: the preview's Easier routine button opens it,
and "This hurts" offers to end the session and open it when the exercise must stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.ui.dialogs.pain_dialogs import HurtsDialog, InSessionAdvice
from tests.unit.ui.harness import Harness

MAIN = """\
format: 1.1
title: Main routine
defaults: {lead_in: 2s}
easier_routine: easy.yaml
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 20s
      - exercise: glute_bridge
        hold: 10s
"""
EASY = """\
format: 1.1
title: Easy day
blocks:
  - name: Gentle
    steps:
      - exercise: pelvic_tilt
        reps: 8
"""


def files(tmp_path: Path) -> Path:
    (tmp_path / "easy.yaml").write_text(EASY)
    main = tmp_path / "main.yaml"
    main.write_text(MAIN)
    return main


def test_the_preview_offers_the_easier_routine(harness: Harness, tmp_path: Path) -> None:
    main = files(tmp_path)
    harness.window.open_file(main)
    preview = harness.window.preview
    assert preview.title_label.text() == "Main routine"
    assert preview.easier_button.isVisibleTo(preview)
    assert "easy.yaml" in preview.easier_button.toolTip()
    preview.easier_button.click()
    assert preview.title_label.text() == "Easy day"
    assert not preview.easier_button.isVisibleTo(preview)  # the easy day links none


@pytest.mark.parametrize("choice", ["easier_routine", "skip"])
def test_this_hurts_offers_to_switch_to_the_easier_routine(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, choice: str) -> None:
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(
        lambda cls, parent, easier, stop, signs=(): (None, "sharp", ())))
    offered: list[bool] = []

    def advice(cls, parent, action, exercise, easier=None, finished=False, *,
               easier_routine=False):
        offered.append(easier_routine)
        return choice

    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(advice))
    main = files(tmp_path)
    harness.window.open_file(main)
    assert harness.window.start_routine(main.resolve())
    harness.advance(2.1)
    harness.app.care.hurts_button.click()
    assert offered == [True]
    if choice == "easier_routine":
        assert not harness.app.controller.in_play  # this session ended, for pain
        assert harness.window.preview.title_label.text() == "Easy day"
    else:
        assert harness.app.controller.in_play
        assert harness.engine.current.name == "Glute bridge"


def test_without_a_link_the_switch_is_not_offered(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(
        lambda cls, parent, easier, stop, signs=(): (None, "sharp", ())))
    asked: list[dict[str, object]] = []
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None, **kw: asked.append(kw) or "skip"))
    main = files(tmp_path)
    main.write_text(MAIN.replace("easier_routine: easy.yaml\n", ""))
    assert harness.window.start_routine(main.resolve())
    harness.advance(2.1)
    harness.app.care.hurts_button.click()
    assert asked == [{}]
