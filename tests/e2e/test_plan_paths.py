"""The paths a runner in pain takes, played in the real window: an easier variant mid-exercise and
a resume after the app was killed. At every step the header ("Step n of m"), "Next:" and the cues
must describe the step that is really there and the one that really follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core.engine import StepStarted
from player.core.history import StepEvent, routine_file_hash
from player.settings import Settings
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now
from player.ui.dialogs.history_dialogs import InterruptedDialog
from player.ui.dialogs.pain_dialogs import HurtsDialog, InSessionAdvice
from tests.unit.ui.harness import Harness

ROUTINE = """\
format: 1
title: Plan paths
defaults: {lead_in: 2s, rest_between_sets: 2s, switch_time: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 4s
        sets: 2
      - exercise: glute_bridge
        hold: 3s
      - exercise: side_plank
        hold: 3s
        sides: both
"""

#: (name shown, what "Next:" names, the cue files of the step's start) at each of the 8 steps.
EASIER_FROM_THE_FIRST_PLANK = [
    ("Get ready: Plank", "Plank", ["get_ready", "get_ready", "plank"]),
    ("Plank on knees", "Rest", ["go", "knee_plank"]),
    ("Rest", "Plank on knees", ["rest", "rest", "next", "knee_plank"]),
    ("Plank on knees", "Glute bridge", ["go", "last_set", "knee_plank"]),
    ("Glute bridge", "Side plank", ["go", "glute_bridge"]),
    ("Side plank", "Switch sides", ["go", "side_plank", "left_side"]),
    ("Switch sides: Side plank", "Side plank", ["switch_sides", "switch_sides"]),
    ("Side plank", "the end of the routine", ["go", "side_plank", "right_side"]),
]


def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan-paths.yaml"
    path.write_text(ROUTINE)
    return path


def seen(h: Harness) -> tuple[str, str, str, list[str]]:
    """What the window says about the step in play, and which cues its start plays."""
    p, engine, cues = h.player, h.engine, h.app.controller.cues
    assert engine is not None and engine.current is not None and cues is not None
    sounds = [path.stem for path in cues.sounds_for(StepStarted(at=0.0, step=engine.current))]
    return p.step_count_label.text(), p.name_label.text(), p.next_label.text(), sounds


def play_to_the_end(h: Harness, first: int, expected: list[tuple[str, str, list[str]]]) -> None:
    """From the step at position ``first``, check each step against ``expected`` and finish it."""
    for position in range(first, len(expected)):
        name, following, sounds = expected[position]
        count, shown, next_text, cues = seen(h)
        where = f"at step {position + 1}"
        assert count == f"Step {position + 1} of {len(expected)}", where
        assert shown == name, where
        assert next_text.startswith(f"Next: {following}"), where
        assert cues == sounds, where
        assert h.engine.current.duration_seconds is not None
        h.advance(h.engine.current.duration_seconds + 0.05)
    assert h.player.showing_summary


@pytest.fixture
def spoken(make_harness) -> Harness:
    h = make_harness(Settings(spoken_cues=True, notice_accepted=True))
    h.show()
    return h


def test_an_easier_variant_mid_exercise_keeps_the_numbering_next_and_cues_true(
        spoken: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(lambda cls, parent, easier, stop: (5, True)))
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None: "easier"))
    h = spoken
    path = routine_file(tmp_path)
    assert h.window.start_routine(path)
    assert seen(h)[:3] == ("Step 1 of 8", "Get ready: Plank", "Next: Plank (set 1/2), 00:04")
    h.advance(2.05)
    assert seen(h) == ("Step 2 of 8", "Plank", "Next: Rest, 00:02", ["go", "plank"])
    h.advance(1)
    h.app.care.hurts_button.click()
    h.settle()
    play_to_the_end(h, 1, EASIER_FROM_THE_FIRST_PLANK)
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        steps = [(s.step_index, s.step_name, s.status) for s in store.steps(session.id)]
    assert steps[:3] == [(0, "Get ready", "completed"), (1, "Plank", "skipped"),
                         (1, "Plank on knees", "completed")]
    assert [i for i, _, _ in steps[3:]] == list(range(2, 8))  # origins, as the routine has them


def test_a_resumed_session_carries_on_at_the_right_step_with_the_right_next(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    path = routine_file(tmp_path)
    now = local_now()
    with HistoryStore.open(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Plan paths", started_at=now,
                                  routine_file_hash=routine_file_hash(path.read_bytes()))
        for index, name in enumerate(["Get ready", "Plank", "Rest", "Plank"]):
            store.record_step(StepEvent(sid, index, name, "exercise", "completed", 2.0, now))
    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(
        lambda cls, parent, session, can_resume, *rest, **kw: "resume"))
    h = make_harness(Settings(spoken_cues=True, notice_accepted=True))
    h.app.settings.add_recent_file(path)
    h.show()
    expected = [(name.replace("Plank on knees", "Plank"), nxt.replace("Plank on knees", "Plank"),
                 [c.replace("knee_plank", "plank") for c in cues])
                for name, nxt, cues in EASIER_FROM_THE_FIRST_PLANK]
    play_to_the_end(h, 4, expected)
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        assert [s.step_index for s in store.steps(session.id)] == list(range(8))
