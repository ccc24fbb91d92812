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
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(lambda cls, parent, easier, stop, signs=(): (5, True, ())))
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


WEEKS = """\
format: 1
title: Weeks
defaults: {lead_in: 2s, rest_between_sets: 2s}
schedule: {times_per_week: 3, weeks: 4}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 4s
        sets: 2
        progression:
          week 3: {hold: 8s}
      - exercise: glute_bridge
        hold: 3s
"""


def stored_week_3_session(store: HistoryStore, path: Path, done: int) -> int:
    """A week-3 session of ``path`` killed ``done`` steps in, 2 s into the next step."""
    now = local_now()
    sid = store.start_session(routine_title="Weeks", started_at=now, routine_path=str(path),
                              routine_file_hash=routine_file_hash(path.read_bytes()), week=3)
    names = ["Get ready", "Plank", "Rest", "Plank", "Glute bridge"]
    for index in range(done):
        store.record_step(StepEvent(sid, index, names[index], "exercise", "completed", 2.0, now))
    store.record_progress(sid, done, 2.0)
    return sid


def test_a_week_3_session_resumes_with_week_3_doses_and_the_time_left(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    path = tmp_path / "weeks.yaml"
    path.write_text(WEEKS)
    with HistoryStore.open(isolated_data_dir) as store:
        sid = stored_week_3_session(store, path, done=3)  # killed 2 s into plank set 2
    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(
        lambda cls, parent, session, can_resume, *rest: "resume"))
    h = make_harness()
    h.show()
    session = h.app.controller.session
    assert session is not None and session.week == 3
    assert h.player.step_count_label.text() == "Step 4 of 5"
    assert h.engine.current.name == "Plank" and h.engine.current.set == 2
    assert h.engine.current.duration_seconds == pytest.approx(8 - 2)  # week 3's 8 s, 2 s done
    assert h.player.next_label.text().startswith("Next: Glute bridge")
    h.advance(6.05 + 3.05)
    assert h.player.finished_title.text() == "Routine complete. Well done!"
    with HistoryStore.open(isolated_data_dir) as store:
        [stored] = store.sessions()
        assert stored.id == sid and stored.outcome == "completed" and stored.week == 3


@pytest.mark.parametrize("change", ["edited", "gone"])
def test_a_session_whose_file_changed_or_went_is_never_resumed(
        change: str, make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    path = tmp_path / "weeks.yaml"
    path.write_text(WEEKS)
    with HistoryStore.open(isolated_data_dir) as store:
        sid = stored_week_3_session(store, path, done=3)
    if change == "edited":
        path.write_text(WEEKS.replace("hold: 3s", "hold: 5s"))
    else:
        path.unlink()
    offered: list[tuple[bool, str, bool]] = []

    def ask(cls, parent, session, can_resume, problem="", can_start_fresh=False):
        offered.append((can_resume, problem, can_start_fresh))
        return "fresh" if can_start_fresh else "close"

    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(ask))
    h = make_harness()
    h.show()
    [(can_resume, problem, fresh)] = offered
    assert not can_resume and str(path) in problem
    if change == "edited":
        assert "has changed" in problem and fresh
        session = h.app.controller.session
        assert session is not None and session.week == 3
        assert h.player.step_count_label.text() == "Step 1 of 5"  # afresh, from the start
    else:
        assert "no longer there" in problem and not fresh
        assert h.app.controller.session is None
    with HistoryStore.open(isolated_data_dir) as store:
        assert store.session(sid).outcome == "interrupted"  # kept as it was, never resumed


def test_pressing_next_through_a_routine_is_not_called_complete(
        harness: Harness, tmp_path: Path, isolated_data_dir: Path) -> None:
    assert harness.window.start_routine(routine_file(tmp_path))
    harness.advance(2.05)  # the lead-in
    harness.advance(4.05)  # plank set 1 done
    while harness.app.controller.in_play:
        harness.app.controller.next()
    harness.settle()
    assert harness.player.finished_title.text() == "Session over: part of the routine was done"
    assert harness.player.finished_summary.text().splitlines()[1].startswith(
        "1 of 7 steps; 6 skipped")
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "partly_done" and not session.counts_for_adherence
