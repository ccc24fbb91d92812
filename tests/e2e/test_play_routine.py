"""A whole short routine played in the real window on a fake clock, through every kind of step.

Nothing sleeps: the test moves the fake clock and fires the session driver's timer by hand. It
checks what the window shows and which cue files the (recording) audio output was asked to play.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from player.core.engine import EngineState, StepFinished
from player.core.timeline import StepKind, TimelineStep
from player.ui.dialogs.session_dialogs import BarrierDialog, SkinCheckDialog
from player.ui.dialogs.thermal_dialogs import ThermalWaitDialog
from tests.unit.ui.harness import Harness

TINY = """\
format: 1
title: Tiny routine
defaults: {lead_in: 3s, rest_between_sets: 2s, switch_time: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 6s
        sets: 2
      - rest: 3s
      - exercise: glute_bridge
        reps: 5
      - exercise: side_plank
        sides: both
        hold: 4s
      - exercise: bird_dog
        reps: 2
        tempo: {up: 1s, hold: 1s, down: 1s}
      - cadence: 120
        duration: 2s
  - name: Recovery
    steps:
      - ice: 1s
      - rest: 1s
      - heat: 1s
"""


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[TimelineStep]]:
    """Replaces the barrier and skin-check questions with a "yes" that records the step."""
    calls: dict[str, list[TimelineStep]] = {"barrier": [], "skin": []}

    def barrier(cls, parent, step):
        calls["barrier"].append(step)
        return True

    def skin(cls, parent, step):
        calls["skin"].append(step)
        return True

    monkeypatch.setattr(BarrierDialog, "ask", classmethod(barrier))
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(skin))
    monkeypatch.setattr(ThermalWaitDialog, "ask", classmethod(lambda cls, parent, words: "wait"))
    return calls


def press(h: Harness, key: Qt.Key) -> None:
    """Press ``key`` on the window, as a person would."""
    h.window.activateWindow()
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(h.window, key)
    h.settle()


def test_a_whole_routine_plays_to_the_end(harness: Harness, tmp_path: Path, qtbot,
                                          asked: dict[str, list[TimelineStep]]) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    h = harness
    p = h.player
    finished: list[StepFinished] = []
    h.app.controller.step_finished.connect(finished.append)
    h.window.open_file(path)
    with qtbot.waitSignal(h.app.controller.session_started):
        qtbot.mouseClick(h.window.preview.start_button, Qt.MouseButton.LeftButton)
    assert h.window.pages.currentWidget() is p

    # Lead-in: shows what comes first, with its picture.
    assert p.name_label.text() == "Get ready: Plank"
    assert p.countdown_text == "00:03"
    assert p.illustration.picture.path.name == "plank.svg"
    assert h.output.played_names == ["get_ready"]
    assert p.next_label.text().startswith("Next: Plank (set 1/2)")

    # Plank, set 1 of 2: a timed hold.
    h.advance(3)
    assert p.name_label.text() == "Plank"
    assert p.set_label.text() == "Set 1 of 2"
    assert not p.side_label.isVisibleTo(p)
    assert p.countdown_text == "00:06"
    assert h.output.played_names[-1] == "go"
    h.advance(2.5)
    assert p.countdown_text == "00:04"  # 3.5 s left, shown rounded up

    # Pause: the clock runs on, the countdown does not.
    press(h, Qt.Key.Key_Space)
    assert h.engine.state is EngineState.PAUSED
    assert p.paused_label.isVisibleTo(p) and "Space to go on" in p.paused_label.text()
    h.advance(30)
    assert p.countdown_text == "00:04"
    press(h, Qt.Key.Key_Space)
    assert h.engine.state is EngineState.RUNNING
    h.output.clear()
    h.advance(3.5)  # the last three seconds beep, then the set ends
    assert h.output.played_names[:3] == ["beep", "beep", "beep"]
    assert p.name_label.text() == "Rest"
    assert h.output.played_names[-1] == "rest"
    # A rest reads ahead: the next exercise's picture and instructions, said to be next.
    assert p.instructions_section.heading.text() == "Up next: Plank"
    assert p.illustration.picture.path.name == "plank.svg"

    # Next, previous: skip the rest, come back to it, skip it again.
    press(h, Qt.Key.Key_Right)
    assert (p.name_label.text(), p.set_label.text()) == ("Plank", "Set 2 of 2")
    press(h, Qt.Key.Key_Left)
    assert p.name_label.text() == "Rest"
    assert p.countdown_text == "00:02"
    press(h, Qt.Key.Key_Right)
    assert p.set_label.text() == "Set 2 of 2"
    h.advance(6 + 3)  # set 2, then the 3 s rest

    # Glute bridge: untimed repetitions wait for Done; the big text says how many, no clock.
    assert p.name_label.text() == "Glute bridge"
    assert p.countdown_text == "5 reps"
    assert h.engine.state is EngineState.AWAITING_DONE
    assert "Done" in p.caption_label.text()
    h.advance(40)
    assert p.countdown_text == "5 reps"
    assert h.engine.state is EngineState.AWAITING_DONE
    press(h, Qt.Key.Key_Return)

    # Side plank: left side as drawn, right side mirrored.
    assert (p.name_label.text(), p.side_label.text()) == ("Side plank", "Left side")
    assert not p.illustration.mirrored
    h.advance(4)
    assert p.name_label.text() == "Switch sides: Side plank"
    assert p.illustration.mirrored  # showing how the next side is done
    h.advance(2)
    assert (p.name_label.text(), p.side_label.text()) == ("Side plank", "Right side")
    assert p.illustration.mirrored
    assert p.illustration.picture.path.name == "side_plank.svg"
    h.advance(4)

    # Bird dog with a tempo: the rep counter follows the phases.
    assert p.name_label.text() == "Bird dog"
    assert p.reps_label.text() == "Rep 1 of 2  \u00b7  Up"
    h.advance(1)
    assert p.reps_label.text() == "Rep 1 of 2  \u00b7  Hold"
    h.advance(2)
    assert p.reps_label.text() == "Rep 2 of 2  \u00b7  Up"
    h.output.clear()
    h.advance(3)

    # Cadence: the metronome plays at 120 beats a minute (every half second).
    assert p.name_label.text() == "Cadence drill"
    h.advance(2)
    assert h.output.played_names.count("metronome") == 4

    # Ice: the timer waits for the cloth barrier, then the skin check.
    assert p.name_label.text() == "Ice"
    assert [s.kind for s in asked["barrier"]] == [StepKind.ICE]
    assert p.illustration.picture.path.name == "ice_pack.svg"
    assert not p.cap_label.isVisibleTo(p)
    h.advance(1)
    assert [s.kind for s in asked["skin"]] == [StepKind.ICE]
    assert p.name_label.text() == "Rest"
    # The rest before heat is lengthened to the 20 minutes the skin needs after the ice
    # (clinical-notes.md v2), so heat starts when it ends.
    assert "The rest is 20 minutes longer" in h.window.statusBar().currentMessage()
    left = h.engine.remaining_seconds()
    assert 20 * 60 - 2 < left <= 20 * 60 + 1
    thermal = h.app.care.thermal
    rest_ends = thermal.applications[-1].off_at + timedelta(minutes=20)
    thermal._clock = lambda: rest_ends  # the care clock at the rest's end
    h.advance(left + 0.01, step=left + 0.01)
    assert p.name_label.text() == "Heat"
    assert [s.kind for s in asked["barrier"]] == [StepKind.ICE, StepKind.HEAT]  # no wait
    assert thermal.waiting_until is None
    h.advance(1)
    assert [s.kind for s in asked["barrier"]] == [StepKind.ICE, StepKind.HEAT]
    assert [s.kind for s in asked["skin"]] == [StepKind.ICE, StepKind.HEAT]

    # The end.
    assert p.showing_summary
    assert p.finished_title.text() == "Routine complete. Well done!"
    assert h.output.played_names[-1] == "finished"
    assert "check_skin" not in h.output.played_names  # spoken cues are off in this test
    assert not h.window.commands.pause.isEnabled()
    statuses = [(e.step.index, e.status) for e in finished]
    assert statuses[-1] == (len(h.engine.timeline.steps) - 1, "completed")
    assert sum(1 for _, s in statuses if s == "skipped") == 3  # next, previous, next
    p.back_button.click()
    assert h.window.pages.currentWidget() is h.window.library_page
    assert h.app.controller.session is None
