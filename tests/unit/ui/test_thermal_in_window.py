"""Ice and heat per clinical-notes.md v2 in the real window, on a fake clock.

The screen before the first step, "Skip this step", every application recorded, the skin check
that holds ice and heat for 24 hours, and ice again within 40 minutes across sessions waiting.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from player.core.engine import EngineState
from player.core.history import SYMPTOM_FIELDS, SymptomAnswers
from player.core.thermal import SCREEN_FIELDS, ThermalScreen
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now
from player.ui.dialogs.session_dialogs import BarrierDialog, SkinCheckDialog
from player.ui.dialogs.thermal_dialogs import SkinBackDialog, ThermalScreenDialog, ThermalWaitDialog
from tests.unit.ui.harness import Harness

ICE_THEN_HEAT = """\
format: 1
title: Ice then heat
defaults: {lead_in: 0s}
blocks:
  - name: Recovery
    steps:
      - ice: 3s
      - rest: 1s
      - heat: 3s
"""

ICE = """\
format: 1
title: Ice only
defaults: {lead_in: 0s}
blocks:
  - name: Recovery
    steps:
      - ice: 3s
"""


def routine(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "thermal.yaml"
    path.write_text(text)
    return path


def symptoms_answered(data_dir: Path) -> None:
    with HistoryStore.open(data_dir) as store:
        store.add_symptoms(SymptomAnswers(local_now() - timedelta(hours=1),
                                          **dict.fromkeys(SYMPTOM_FIELDS, False)))


@pytest.fixture
def barrier_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(BarrierDialog, "ask",
                        classmethod(lambda cls, parent, step: asked.append(step.kind) or True))
    return asked


def test_the_screen_comes_before_the_first_ice_and_a_yes_skips_that_kind(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    symptoms_answered(isolated_data_dir)  # no screen on record
    asked: list[ThermalScreen | None] = []

    def screen(cls, parent, known=None):
        asked.append(known)
        values = dict.fromkeys(SCREEN_FIELDS, False)
        return ThermalScreen(local_now(), **{**values, "cold_urticaria": True})

    monkeypatch.setattr(ThermalScreenDialog, "ask", classmethod(screen))
    monkeypatch.setattr(ThermalWaitDialog, "ask", classmethod(lambda cls, parent, words: "wait"))
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    h = make_harness(answered=False)
    h.show()
    assert h.window.start_routine(routine(tmp_path, ICE_THEN_HEAT))
    h.settle()
    assert asked == [None]  # asked once, before the first ice
    assert "hives from cold" in h.window.statusBar().currentMessage()
    assert "Ask a clinician" in h.window.statusBar().currentMessage()
    h.advance(1.1)  # the ice was skipped: the rest, then heat (cold urticaria skips ice only)
    h.settle()
    assert h.engine.current.name == "Heat" and barrier_yes == ["heat"]
    with HistoryStore.open(isolated_data_dir) as store:
        assert store.latest_thermal_screen().cold_urticaria is True
        [session] = store.sessions()
        assert [(s.step_name, s.status) for s in store.steps(session.id)][0] == ("Ice", "skipped")
    # Changeable later, from the menu: the answers given are shown again.
    h.app.care.thermal.change_screen()
    assert asked[-1] is not None and asked[-1].cold_urticaria is True


def test_skip_this_step_on_the_barrier_skips_it(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    monkeypatch.setattr(BarrierDialog, "ask", classmethod(lambda cls, parent, step: "skip"))
    assert harness.window.start_routine(routine(tmp_path, ICE))
    harness.settle()
    assert harness.app.controller.engine.current is None  # the only step, skipped
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        assert [(s.step_name, s.status) for s in store.steps(session.id)] == [("Ice", "skipped")]
        assert store.thermal_applications() == []  # nothing went on the skin


def test_every_application_is_recorded_with_its_skin_check(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    assert harness.window.start_routine(routine(tmp_path, ICE))
    harness.settle()
    harness.advance(3.1)
    harness.settle()
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        [ice] = store.thermal_applications()
        assert (ice.kind, ice.session_id, ice.skin) == ("ice", session.id, "normal")
        assert ice.seconds_applied == pytest.approx(3.0) and ice.ended_at is not None


def test_skin_not_normal_skips_the_rest_and_holds_ice_and_heat_for_a_day(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: False))
    path = routine(tmp_path, ICE_THEN_HEAT)
    assert harness.window.start_routine(path)
    harness.settle()
    harness.advance(3.1)
    harness.settle()
    assert harness.engine.state is EngineState.PAUSED  # the skin advice is shown
    harness.app.controller.resume()
    harness.advance(1.1)
    harness.settle()
    assert barrier_yes == ["ice"]  # heat was skipped, not asked
    assert "paused until" in harness.window.statusBar().currentMessage()
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        assert [(s.step_name, s.status) for s in store.steps(session.id)][-1] == (
            "Heat", "skipped")
        [ice] = store.thermal_applications()
        assert ice.skin == "not_normal"
    # The next session, an hour later: still held.
    thermal = harness.app.care.thermal
    thermal._clock = lambda: local_now() + timedelta(hours=1)
    harness.app.controller.close_session()
    assert harness.window.start_routine(path)
    harness.settle()
    assert barrier_yes == ["ice"]
    # After 24 hours the next step first asks whether the skin is back to normal.
    asked: list[str] = []
    monkeypatch.setattr(SkinBackDialog, "ask",
                        classmethod(lambda cls, parent: asked.append("skin") or True))
    thermal._clock = lambda: local_now() + timedelta(hours=25)
    harness.app.controller.close_session()
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    assert harness.window.start_routine(path)
    harness.settle()
    assert asked == ["skin"] and barrier_yes == ["ice", "ice"]
    with HistoryStore.open(isolated_data_dir) as store:
        assert [r.normal for r in store.skin_rechecks()] == [True]


def test_ice_within_40_minutes_of_the_last_ice_waits_then_starts(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    ended = local_now() - timedelta(minutes=10)
    with HistoryStore.open(isolated_data_dir) as store:  # ice in an earlier session
        app_id = store.start_thermal("ice", ended - timedelta(minutes=15))
        store.finish_thermal(app_id, 15 * 60.0, ended)
    words: list[tuple[str, ...]] = []
    monkeypatch.setattr(ThermalWaitDialog, "ask",
                        classmethod(lambda cls, parent, w: words.append(w) or "wait"))
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    assert harness.window.start_routine(routine(tmp_path, ICE))
    harness.settle()
    thermal = harness.app.care.thermal
    assert thermal.waiting_until is not None
    assert abs((thermal.waiting_until - (ended + timedelta(minutes=40))).total_seconds()) < 1
    local = (ended + timedelta(minutes=40)).astimezone(local_now().tzinfo)
    assert words and f"Ice again from {local:%H:%M}" in words[0][0]
    assert barrier_yes == [] and harness.engine.state is EngineState.PAUSED
    thermal.check_wait()  # not yet
    assert barrier_yes == []
    thermal._clock = lambda: ended + timedelta(minutes=40, seconds=1)
    thermal.check_wait()
    harness.settle()
    assert barrier_yes == ["ice"]
    assert harness.engine.state is EngineState.RUNNING


def test_ice_too_soon_may_be_skipped_instead(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    ended = local_now() - timedelta(minutes=5)
    with HistoryStore.open(isolated_data_dir) as store:
        app_id = store.start_thermal("ice", ended - timedelta(minutes=10))
        store.finish_thermal(app_id, 600.0, ended)
    monkeypatch.setattr(ThermalWaitDialog, "ask", classmethod(lambda cls, parent, w: "skip"))
    assert harness.window.start_routine(routine(tmp_path, ICE))
    harness.settle()
    assert barrier_yes == [] and harness.app.controller.engine.current is None


def test_an_interrupted_ice_application_keeps_its_spent_time(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    path = routine(tmp_path, ICE.replace("ice: 3s", "ice: 10s"))
    assert harness.window.start_routine(path)
    harness.settle()
    harness.advance(4)
    controller = harness.app.controller
    assert controller.stop()  # stopped by choice, mid-application
    assert controller.resume_stopped()  # "Resume from step 1"
    harness.settle()
    assert barrier_yes == ["ice", "ice"]  # the same step, not held back by its own gap
    assert harness.player.countdown_text == "00:06"  # only what is left of it
    harness.advance(6.1)
    harness.settle()
    with HistoryStore.open(isolated_data_dir) as store:
        first, second = store.thermal_applications()
        assert first.session_id == second.session_id and first.step_index == second.step_index
        assert first.seconds_applied == pytest.approx(4.0)
        assert second.seconds_applied == pytest.approx(6.0)
        assert sum(a.seconds_applied for a in (first, second)) <= 10.0 + 1e-6


def test_the_bundled_twenty_minute_skin_rest_lets_heat_start_without_waiting(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        barrier_yes: list[str]) -> None:
    # The care clock runs with the engine's (as both do on a real machine), the ice's end
    # recorded a moment late: heat after exactly 20 minutes of rest still starts at once.
    start = local_now()
    thermal = harness.app.care.thermal
    thermal._clock = lambda: start + timedelta(seconds=harness.clock.now() - t0)
    t0 = harness.clock.now()
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    path = routine(tmp_path, ICE_THEN_HEAT.replace("ice: 3s", "ice: 12m")
                   .replace("rest: 1s", "rest: 20m").replace("heat: 3s", "heat: 15m"))
    assert harness.window.start_routine(path)
    harness.settle()
    harness.advance(12 * 60 + 0.3, step=12 * 60 + 0.3)  # the timer wakes 0.3 s late
    harness.settle()
    harness.advance(20 * 60 - 0.3, step=20 * 60 - 0.3)  # at the rest's end, to the moment
    harness.settle()
    assert barrier_yes == ["ice", "heat"]  # no "Heat from HH:MM" wait


def test_a_damaged_latest_screen_is_said_and_asked_again_never_taken_as_no(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    from player.ui.controllers.thermal_care import SCREEN_UNREADABLE

    symptoms_answered(isolated_data_dir)
    with HistoryStore.open(isolated_data_dir) as store:
        # An earlier screen said "no" to everything; the latest one (a yes?) cannot be read.
        store.add_thermal_screen(ThermalScreen(local_now() - timedelta(days=9),
                                               **dict.fromkeys(SCREEN_FIELDS, False)))
        store.add_thermal_screen(ThermalScreen(local_now() - timedelta(days=2),
                                               **dict.fromkeys(SCREEN_FIELDS, False)))
        store._conn.execute("UPDATE thermal_screen SET at = 'not a time' WHERE id = 2")
    asked: list[tuple[ThermalScreen | None, str]] = []
    answers: list[ThermalScreen | None] = [None]  # closed the first time

    def screen(cls, parent, known=None, *, notice=""):
        asked.append((known, notice))
        return answers.pop(0) if answers else ThermalScreen(
            local_now(), **dict.fromkeys(SCREEN_FIELDS, False))

    monkeypatch.setattr(ThermalScreenDialog, "ask", classmethod(screen))
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: True))
    h = make_harness(answered=False)
    h.show()
    path = routine(tmp_path, ICE)
    assert h.window.start_routine(path)
    h.settle()
    assert asked == [(None, SCREEN_UNREADABLE)]  # neither the damaged nor the older answers
    assert barrier_yes == []  # the ice was skipped, not started
    assert "not answered" in h.window.statusBar().currentMessage()
    with HistoryStore.open(isolated_data_dir) as store:
        [session] = store.sessions()
        assert [(s.step_name, s.status) for s in store.steps(session.id)] == [("Ice", "skipped")]
        assert store.thermal_applications() == []
    h.app.controller.close_session()
    assert h.window.start_routine(path)  # asked again, still saying why; answered this time
    h.settle()
    assert asked[1] == (None, SCREEN_UNREADABLE) and barrier_yes == ["ice"]
    assert not h.app.care.thermal.screen_unreadable
    with HistoryStore.open(isolated_data_dir) as store:
        assert store.latest_thermal_screen().complete  # the new answers are the latest


ICE_TWICE = """\
format: 1
title: Ice twice
defaults: {lead_in: 0s}
blocks:
  - name: Recovery
    steps:
      - ice: 3s
      - rest: 1s
      - ice: 3s
"""


@pytest.mark.parametrize(("text", "needed", "why"), [
    (ICE_TWICE, 40 * 60, "at least 40 minutes from the end of one ice application to the next"),
    (ICE_THEN_HEAT, 20 * 60, "at least 20 minutes between ice and heat"),
])
def test_the_rest_before_a_pack_is_lengthened_so_it_starts_without_waiting(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        barrier_yes: list[str], text: str, needed: int, why: str) -> None:
    start = local_now()
    t0 = harness.clock.now()
    thermal = harness.app.care.thermal
    thermal._clock = lambda: start + timedelta(seconds=harness.clock.now() - t0)
    checked: list[str] = []
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(
        lambda cls, parent, step: checked.append(step.name) or True))
    assert harness.window.start_routine(routine(tmp_path, text))
    harness.settle()
    harness.advance(3.1)  # the first ice; its skin check is answered "normal"
    harness.settle()
    assert checked == ["Ice"]
    engine = harness.engine
    assert engine.current.name == "Rest"
    # The rest ends when the skin may have the next pack: *needed* after the ice ended.
    assert engine.remaining_seconds() == pytest.approx(needed - 0.1, abs=1.0)
    message = harness.window.statusBar().currentMessage()
    assert f"The rest is {needed // 60} minutes longer: {why}" in message
    harness.advance(needed - 1.5, step=60)
    harness.settle()
    assert engine.current.name == "Rest" and len(barrier_yes) == 1
    harness.advance(2, step=0.25)
    harness.settle()
    assert len(barrier_yes) == 2  # the next pack asks for its cloth at once: no wait dialog
    assert thermal.waiting_until is None


def test_no_rest_is_lengthened_when_the_skin_was_not_normal(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        barrier_yes: list[str]) -> None:
    monkeypatch.setattr(SkinCheckDialog, "ask", classmethod(lambda cls, parent, step: False))
    assert harness.window.start_routine(routine(tmp_path, ICE_THEN_HEAT))
    harness.settle()
    harness.advance(3.1)
    harness.settle()
    engine = harness.engine
    assert engine.current.name == "Rest"
    assert engine.remaining_seconds() <= 1.0  # as the routine has it: heat will not play
    assert "longer" not in harness.window.statusBar().currentMessage()


def test_a_damaged_application_is_said_once_and_counts_as_just_come_off(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    from player.ui.dialogs.thermal_dialogs import DamagedRecordsDialog

    start = local_now() - timedelta(hours=3)
    with HistoryStore.open(isolated_data_dir) as store:  # ice in an earlier session
        app_id = store.start_thermal("ice", start)
        store.finish_thermal(app_id, 15 * 60.0, start + timedelta(minutes=15))
        store.record_skin_check(app_id, "normal", start + timedelta(minutes=15))
        # Edited by hand: none of its times can be read, so it may have been a moment ago.
        store._conn.execute("UPDATE thermal_applications SET started_at = 'x', updated_at = 'x',"
                            " ended_at = 'later', skin_at = 'x' WHERE id = ?", (app_id,))
    told: list[tuple[str, ...]] = []
    monkeypatch.setattr(DamagedRecordsDialog, "tell",
                        classmethod(lambda cls, parent, lines: told.append(lines)))
    words: list[tuple[str, ...]] = []
    monkeypatch.setattr(ThermalWaitDialog, "ask",
                        classmethod(lambda cls, parent, w: words.append(w) or "skip"))
    path = routine(tmp_path, ICE)
    assert harness.window.start_routine(path)  # no traceback: the guard carries on
    harness.settle()
    assert len(told) == 1
    assert f"number {app_id}" in told[0][0] and "'later'" in told[0][0]
    assert "safer reading" in told[0][-1]
    # 40 minutes from when the records were read (a minute may have turned since).
    soon = {f"Ice again from {local_now() + timedelta(minutes=m):%H:%M}" for m in (39, 40)}
    assert len(words) == 1 and words[0][0][:len("Ice again from 00:00")] in soon
    assert barrier_yes == []  # skipped, not started too soon
    harness.app.controller.close_session()
    assert harness.window.start_routine(path)
    harness.settle()
    assert len(told) == 1 and len(words) == 2  # said once a run; the rule still applies
    with HistoryStore.open(isolated_data_dir) as store:  # nothing recorded is lost or changed
        row = store._conn.execute("SELECT kind, started_at, ended_at, seconds_applied, skin FROM"
                                  " thermal_applications").fetchall()
        assert row == [("ice", "x", "later", 900.0, "normal")]
        for session in store.sessions():
            assert [(s.step_name, s.status) for s in store.steps(session.id)] == [
                ("Ice", "skipped")]
        assert len(store.sessions()) == 2


def test_ice_and_heat_records_that_cannot_be_read_at_all_ask_the_skin_and_wait(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, barrier_yes: list[str]) -> None:
    from player.store.db import StoreError
    from player.ui.dialogs.thermal_dialogs import DamagedRecordsDialog

    def unreadable(self):
        raise StoreError("Could not read your history: the disk is failing.", None)

    monkeypatch.setattr(HistoryStore, "thermal_records", unreadable)
    told: list[tuple[str, ...]] = []
    monkeypatch.setattr(DamagedRecordsDialog, "tell",
                        classmethod(lambda cls, parent, lines: told.append(lines)))
    asked: list[str] = []
    monkeypatch.setattr(SkinBackDialog, "ask",
                        classmethod(lambda cls, parent: asked.append("skin") or True))
    monkeypatch.setattr(ThermalWaitDialog, "ask",
                        classmethod(lambda cls, parent, w: asked.append(w[0]) or "wait"))
    assert harness.window.start_routine(routine(tmp_path, ICE))
    harness.settle()
    assert told and "the disk is failing" in told[0][0]
    # Never "no earlier packs": the skin is asked about, and ice waits the full gap.
    assert asked[0] == "skin" and asked[1].startswith("Ice again from")
    assert barrier_yes == [] and harness.app.care.thermal.waiting_until is not None
