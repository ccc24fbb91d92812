"""What the player shows: plain text from files, caps, pictures, the next step, the clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from player.core.engine import EngineState
from player.core.routine import Exercise
from player.core.timeline import StepKind, TimelineStep
from player.ui.dialogs.session_dialogs import BarrierDialog, SkinCheckDialog
from player.ui.pages.player_view import cap_text, set_text, side_text
from player.ui.widgets.illustration import PLACEHOLDER, picture_for
from tests.unit.ui.harness import Harness

HTML = "<b>x</b><img src=file:///etc/passwd>"

HOSTILE = f"""\
format: 1
title: "{HTML} title"
description: "{HTML} description"
author: "{HTML}"
exercises:
  odd_move:
    name: "{HTML} move"
    instructions: ["{HTML} instruction"]
    feel: ["{HTML} feel"]
    cautions: ["{HTML} caution"]
blocks:
  - name: "{HTML} block"
    steps:
      - exercise: odd_move
        hold: 10s
        note: "{HTML} note"
"""

CAPPED = """\
format: 1
title: Long ice
defaults: {lead_in: 0s}
blocks:
  - name: Recovery
    steps:
      - ice: 25m
"""


def start(h: Harness, path: Path) -> None:
    """Open and start ``path``."""
    h.window.open_file(path)
    assert h.window.start_routine(path.resolve(), 1)
    h.settle()


def test_every_label_is_plain_text_and_file_html_is_shown_literally(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    harness.window.open_file(path)
    preview = harness.window.preview
    assert preview.title_label.text() == f"{HTML} title"
    start(harness, path)
    harness.advance(5)  # past the lead-in
    p = harness.player
    assert p.name_label.text() == f"{HTML} move"
    assert p.instructions_section.body.text() == f"\u2022 {HTML} instruction"
    assert p.feel_section.body.text() == f"\u2022 {HTML} feel"
    assert p.cautions_section.body.text() == f"\u2022 {HTML} caution"
    assert p.note_section.body.text() == f"{HTML} note"
    labels = harness.window.findChildren(QLabel)
    assert labels and all(label.textFormat() is Qt.TextFormat.PlainText for label in labels)
    assert sum(HTML in label.text() for label in labels) >= 8


def test_a_capped_ice_step_says_so_and_waits_for_the_barrier(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([False, True])
    asked: list[TimelineStep] = []

    def ask(cls, parent, step):
        asked.append(step)
        return next(answers)

    monkeypatch.setattr(BarrierDialog, "ask", classmethod(ask))
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    path = tmp_path / "ice.yaml"
    path.write_text(CAPPED)
    start(harness, path)
    p = harness.player
    assert p.name_label.text() == "Ice"
    assert p.cap_label.text() == "Capped at 20:00 (the file asked for 25:00)"
    assert p.cap_label.isVisibleTo(p)
    assert p.countdown_text == "20:00"
    # "Not yet": the timer does not start, and Enter asks again.
    assert len(asked) == 1
    assert harness.engine.state is EngineState.AWAITING_CONFIRMATION
    assert harness.window.commands.done.text() == "Start timer"
    harness.advance(60)
    assert p.countdown_text == "20:00"
    harness.window.commands.done.trigger()
    assert len(asked) == 2
    assert harness.engine.state is EngineState.RUNNING
    harness.advance(90)
    assert p.countdown_text == "18:30"


def test_a_skin_problem_pauses_and_advises(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    monkeypatch.setattr(BarrierDialog, "ask", classmethod(lambda cls, parent, step: True))
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: False))
    path = tmp_path / "ice.yaml"
    path.write_text(CAPPED.replace("ice: 25m", "ice: 2s\n      - heat: 2s"))
    start(harness, path)
    with qtbot.waitSignal(harness.app.controller.skin_problem_reported):
        harness.advance(2)
    p = harness.player
    assert harness.engine.state is EngineState.PAUSED
    assert "Do not use ice or heat again" in p.notice_label.text()
    assert p.notice_label.isVisibleTo(p)


def test_an_exercise_without_illustration_shows_the_placeholder_and_a_warning() -> None:
    step = TimelineStep(0, "Main", StepKind.EXERCISE, "Odd", 0, 10,
                        exercise=Exercise("odd", "Odd"), side="right", mirrored=True)
    picture = picture_for(step)
    assert picture.path == PLACEHOLDER and picture.missing and not picture.mirrored


def test_the_missing_picture_warning_is_shown(harness: Harness, tmp_path: Path, qtbot) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(HOSTILE)
    start(harness, path)
    harness.advance(5)
    p = harness.player
    assert p.illustration.picture.path == PLACEHOLDER
    assert p.missing_picture.isVisibleTo(p)
    assert p.missing_label.text() == "This exercise has no illustration"
    qtbot.waitUntil(lambda: p.illustration.drawn)


def test_step_texts() -> None:
    step = TimelineStep(3, "Main", StepKind.EXERCISE, "Plank", 0, 30, side="left", set=2, sets=3)
    assert (set_text(step), side_text(step)) == ("Set 2 of 3", "Left side")
    single = TimelineStep(3, "Main", StepKind.EXERCISE, "Plank", 0, 30, set=1, sets=1)
    assert set_text(single) == "" and side_text(single) == ""
    ice = TimelineStep(0, "R", StepKind.ICE, "Ice", 0, 1200, requested_seconds=1500)
    assert cap_text(ice) == "Capped at 20:00 (the file asked for 25:00)"


def test_the_countdown_is_large(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    harness.window.resize(1200, 800)
    harness.window.open_file(path)
    harness.window.start_routine(path.resolve())
    harness.settle()
    countdown = harness.player.countdown
    body = harness.player.next_label.font()
    assert countdown.font().pixelSize() >= 4 * body.pointSizeF() * 96 / 72


HOLD = """\
format: 1
title: One hold
defaults: {lead_in: 0s}
blocks:
  - name: Main
    steps:
      - exercise: glute_bridge
        hold: 30s
"""


def test_pause_covers_the_countdown_with_words_and_moves_nothing(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "hold.yaml"
    path.write_text(HOLD)
    harness.window.resize(1280, 800)
    start(harness, path)
    harness.advance(1)
    p = harness.player
    before = {w.accessibleName(): w.geometry() for w in
              (p.countdown, p.name_label, p.illustration, p.details, p.next_label)}
    harness.app.controller.pause()
    harness.settle()
    assert harness.engine.state is EngineState.PAUSED
    assert p.paused_label.isVisibleTo(p) and p.paused_label.text() == "Paused \u2014 Space to go on"
    assert p.paused_label.geometry().contains(p.countdown.geometry().center())
    assert p.paused_label.height() >= p.paused_label.heightForWidth(p.paused_label.width())
    assert {w.accessibleName(): w.geometry() for w in
            (p.countdown, p.name_label, p.illustration, p.details, p.next_label)} == before
    harness.app.controller.resume()
    harness.settle()
    assert not p.paused_label.isVisibleTo(p)


@pytest.mark.parametrize(("size", "above"), [((1280, 800), False), ((800, 1000), True)])
def test_the_picture_goes_above_the_countdown_in_a_narrow_window(
        harness: Harness, tmp_path: Path, size: tuple[int, int], above: bool) -> None:
    path = tmp_path / "hold.yaml"
    path.write_text(HOLD)
    harness.window.resize(*size)
    start(harness, path)
    harness.advance(1)
    p = harness.player
    picture, clock = p.illustration.geometry(), p.clock_panel.geometry()
    if above:
        assert picture.bottom() < clock.top()
    else:
        assert picture.right() < clock.left() and picture.top() == clock.top()


def test_a_low_page_with_large_text_is_compact_and_keeps_no_room_for_hidden_lines(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "hold.yaml"
    path.write_text(HOLD)
    harness.show()
    harness.window.resize(1280, 800)
    start(harness, path)
    harness.advance(1)
    p = harness.player
    assert not p.compact
    assert p.reps_label.sizePolicy().retainSizeWhenHidden()
    roomy_floor = p.countdown.minimumSizeHint().height()
    harness.window.large_text_action.trigger()  # as from the View menu
    harness.window.resize(1024, 600)
    harness.settle()
    assert p.compact
    assert not p.reps_label.sizePolicy().retainSizeWhenHidden()
    assert not p.caption_label.sizePolicy().retainSizeWhenHidden()
    # Large text makes the font bigger, yet the digits' floor is lower than at normal size.
    assert p.countdown.minimumSizeHint().height() < roomy_floor
    harness.window.resize(1280, 800)
    harness.settle()
    assert not p.compact and p.reps_label.sizePolicy().retainSizeWhenHidden()
