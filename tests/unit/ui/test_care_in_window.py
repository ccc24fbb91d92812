"""History, ratings and the care banner in the real window, on a fake clock.

Each test answers the dialogs by replacing their classmethods, then checks what the window
shows and what the history database holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from player.core.history import SYMPTOM_FIELDS, PainRating, StepEvent, SymptomAnswers
from player.core.stop_signs import StopSign
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now
from player.ui.dialogs.history_dialogs import InterruptedDialog
from player.ui.dialogs.pain_dialogs import HurtsDialog, InSessionAdvice, PainRatingDialog
from player.ui.dialogs.symptoms_dialog import SymptomsDialog
from tests.unit.ui.harness import Harness

SHORT = """\
format: 1
title: Short one
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 4s
        sets: 2
        rest_between_sets: 2s
      - exercise: glute_bridge
        hold: 3s
        pain_check: true
"""


@pytest.fixture
def ratings_given(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answers every pain rating: 3 before, 2 during, 4 after; records the contexts asked."""
    asked: list[str] = []
    answers = {"before": 3, "during": 2, "after": 4, "checkin": 5}

    def ask(cls, parent, context, title):
        asked.append(context)
        return (answers[context], f"{context} note", "lower back")

    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(ask))
    return asked


def routine_file(tmp_path: Path, text: str = SHORT) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(text)
    return path


def stored(data_dir: Path) -> HistoryStore:
    return HistoryStore.open(data_dir)


def test_a_session_its_steps_and_ratings_are_recorded_as_they_happen(
        harness: Harness, tmp_path: Path, ratings_given: list[str],
        isolated_data_dir: Path) -> None:
    path = routine_file(tmp_path)
    harness.window.open_file(path)
    assert harness.window.start_routine(path)
    harness.advance(2 + 4 + 2)  # lead-in, plank set 1, rest: each step committed when it ends
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "in_progress" and session.routine_title == "Short one"
        assert [s.step_name for s in store.steps(session.id)] == ["Get ready", "Plank", "Rest"]
    harness.advance(4 + 3)
    harness.settle()  # the "during" rating after the bridge (pain_check), then the "after" one
    harness.settle()
    assert ratings_given == ["before", "during", "after"]
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "completed"
        assert [(r.context, r.rating, r.session_id) for r in store.ratings()] == [
            ("before", 3, session.id), ("during", 2, session.id), ("after", 4, session.id)]
        steps = store.steps(session.id)
        assert [(s.step_name, s.status) for s in steps] == [
            ("Get ready", "completed"), ("Plank", "completed"), ("Rest", "completed"),
            ("Plank", "completed"), ("Glute bridge", "completed")]
        assert steps[1].actual_seconds == pytest.approx(4.0)


def test_a_red_flag_shows_the_urgent_banner_and_no_routine_starts(
        make_harness, tmp_path: Path, isolated_data_dir: Path) -> None:
    with stored(isolated_data_dir) as store:
        store.add_symptoms(SymptomAnswers(local_now(), saddle_numbness=True))
    h = make_harness()
    h.show()
    banner = h.app.care.banner
    assert banner.isVisibleTo(h.window)
    assert "emergency" in banner.heading.text().lower()
    assert not banner.dismiss_button.isVisibleTo(banner)
    path = routine_file(tmp_path)
    assert h.window.start_routine(path) is False
    assert "cannot start" in h.window.statusBar().currentMessage()
    with stored(isolated_data_dir) as store:
        assert store.sessions() == [] and [e.action for e in store.banner_events()] == ["shown"]


def worsening_history(store: HistoryStore, now: datetime) -> None:
    """Resting ratings of 2 in the first week, 6 in the last: 4 points worse."""
    start = now - timedelta(days=20)
    for day in range(5):
        store.add_rating(PainRating(start + timedelta(days=day), "checkin", 2))
    for day in range(5):
        store.add_rating(PainRating(now - timedelta(days=day, hours=1), "checkin", 6))


def test_see_a_professional_can_be_dismissed_for_the_day_and_comes_back(
        make_harness, isolated_data_dir: Path) -> None:
    now = local_now()
    with stored(isolated_data_dir) as store:
        worsening_history(store, now)
    h = make_harness()
    h.show()
    care, banner = h.app.care.care, h.app.care.banner
    assert banner.isVisibleTo(h.window) and banner.dismiss_button.isVisibleTo(banner)
    assert "2 points" in banner.reasons.text() or "points above" in banner.reasons.text()
    banner.dismiss_button.click()
    assert not banner.isVisibleTo(h.window)
    care.refresh(now + timedelta(minutes=5))
    assert not banner.isVisibleTo(h.window)  # hidden for the rest of the day
    care.refresh(now + timedelta(days=1))
    assert banner.isVisibleTo(h.window)  # it still holds the next day: back
    with stored(isolated_data_dir) as store:
        assert [e.action for e in store.banner_events()][:2] == ["shown", "dismissed"]


def test_the_daily_check_in_is_one_click_from_the_library(
        harness: Harness, ratings_given: list[str], isolated_data_dir: Path) -> None:
    harness.app.care.checkin_button.click()
    assert ratings_given == ["checkin"]
    with stored(isolated_data_dir) as store:
        [rating] = store.ratings()
        assert (rating.context, rating.rating, rating.note, rating.session_id) == (
            "checkin", 5, "checkin note", None)


def play_to_first_plank(h: Harness, path: Path) -> None:
    h.window.open_file(path)
    assert h.window.start_routine(path)
    h.advance(2.5)
    assert h.engine.current.name == "Plank"


def test_this_hurts_with_a_sharp_pain_offers_the_easier_variant(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    offered: list[tuple[str, str | None]] = []
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(lambda cls, parent, easier, stop, signs=(): (7, "sharp", ())))

    def advice(cls, parent, action, exercise, easier=None):
        offered.append((action, easier))
        return "easier"

    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(advice))
    questions: list[str] = []
    monkeypatch.setattr(SymptomsDialog, "ask", classmethod(
        lambda cls, parent, *args, **kwargs: questions.append("asked") or "cancelled"))
    play_to_first_plank(harness, routine_file(tmp_path))
    harness.app.care.hurts_button.click()
    assert offered == [("offer_easier", "Plank on knees")]
    harness.settle()
    assert questions == ["asked"]  # a severe rating (7) offers the symptom questions again
    assert harness.engine.current.name == "Plank on knees"
    harness.advance(4 + 2 + 0.1)  # the easier set, the rest, then set 2 is easier too
    assert harness.engine.current.name == "Plank on knees"
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()  # one session, carried on with the easier variant
        names = [(s.step_name, s.status) for s in store.steps(session.id)]
        assert names[:3] == [("Get ready", "completed"), ("Plank", "skipped"),
                             ("Plank on knees", "completed")]
        [rating] = store.ratings()
        assert (rating.context, rating.rating, rating.session_id) == ("during", 7, session.id)


def test_this_hurts_on_an_exercise_without_easier_variant_skips_all_its_remaining_sets(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    text = SHORT.replace("exercise: plank", "exercise: pelvic_tilt")
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(lambda cls, parent, easier, stop, signs=(): (6, "ache", ())))
    seen: list[str] = []
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None: seen.append(action) or "skip"))
    h = harness
    path = routine_file(tmp_path, text)
    h.window.open_file(path)
    assert h.window.start_routine(path)
    h.advance(2.5)
    h.app.care.hurts_button.click()
    assert seen == ["skip"]
    assert h.engine.current.name == "Glute bridge"  # set 2 of bird dog does not play
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert [(s.step_name, s.status) for s in store.steps(session.id)] == [
            ("Get ready", "completed"), ("Pelvic tilt", "skipped"), ("Rest", "skipped"),
            ("Pelvic tilt", "skipped")]


STOP_SIGNS = SHORT.replace("format: 1\n", "format: 1.1\n").replace(
    "        sets: 2\n", "        sets: 2\n        stop_if: [spreading, {pain_above: 3}, "
    "{other: Pain in the knee}]\n", 1)


def test_a_routine_stop_sign_is_shown_before_the_exercise_and_offered_in_this_hurts(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[tuple[StopSign, ...]] = []
    advice: list[str] = []
    knee = StopSign("other", text="Pain in the knee")

    def hurts(cls, parent, easier, stop, signs=()):
        offered.append(signs)
        return (None, None, (knee,))

    monkeypatch.setattr(HurtsDialog, "ask", classmethod(hurts))
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None: advice.append(action) or "continue"))
    h = harness
    path = routine_file(tmp_path, STOP_SIGNS)
    h.window.open_file(path)
    assert h.window.start_routine(path)
    cautions = h.window.player.cautions_section.body.text()
    assert h.engine.current.name == "Get ready"  # said before the plank starts
    assert "Stop if the pain is above 3 out of 10." in cautions
    assert "Stop if pain in the knee." in cautions
    h.advance(2.5)
    assert h.engine.current.name == "Plank"
    h.app.care.hurts_button.click()
    assert offered == [(StopSign("spreading"), StopSign("pain_above", pain_above=3), knee)]
    assert advice == ["offer_easier"]  # no rating, not sharp: the physio's sign alone stops it
    assert h.engine.current.name == "Glute bridge"  # "carry on" is not offered: skipped


def test_in_the_rest_between_sets_this_hurts_offers_the_exercises_stop_signs(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[tuple[StopSign, ...]] = []

    def hurts(cls, parent, easier, stop, signs=()):
        offered.append(signs)
        return None  # back to the exercise

    monkeypatch.setattr(HurtsDialog, "ask", classmethod(hurts))
    h = harness
    path = routine_file(tmp_path, STOP_SIGNS)
    h.window.open_file(path)
    assert h.window.start_routine(path)
    h.advance(2 + 4 + 0.5)
    assert h.engine.current.name == "Rest" and h.engine.current.exercise is not None
    h.app.care.hurts_button.click()
    assert len(offered) == 1 and StopSign("spreading") in offered[0]
    assert h.engine.current.name == "Rest"  # going back resumes where it was


@pytest.mark.parametrize(("rating", "advised"), [(1, False), (2, True)])
def test_the_per_exercise_pain_check_stops_above_the_routines_pain_above(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        rating: int, advised: bool) -> None:
    def ask(cls, parent, context, title):
        return (rating if context == "during" else 0, "", "")

    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(ask))
    advice: list[tuple[str, bool]] = []

    def advise(cls, parent, action, exercise, easier=None, finished=False):
        advice.append((action, finished))
        return "skip"

    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(advise))
    text = STOP_SIGNS.replace("{pain_above: 3}", "{pain_above: 1}").replace(
        "        rest_between_sets: 2s\n", "        rest_between_sets: 2s\n        pain_check: true\n")
    path = routine_file(tmp_path, text)
    assert harness.window.start_routine(path)
    harness.advance(2 + 4 + 2 + 4 + 0.5)  # both plank sets, into the bridge
    harness.settle()
    assert advice == ([("offer_easier", True)] if advised else [])


def test_a_rating_with_a_stop_sign_ticked_keeps_the_sign_in_its_note(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    knee = StopSign("other", text="Pain in the knee")
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(
        lambda cls, parent, easier, stop, signs=(): (2, None, (knee,))))
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None: "skip"))
    h = harness
    path = routine_file(tmp_path, STOP_SIGNS)
    h.window.open_file(path)
    assert h.window.start_routine(path)
    h.advance(2.5)
    h.app.care.hurts_button.click()
    with stored(isolated_data_dir) as store:
        [rating] = [r for r in store.ratings() if r.context == "during"]
        assert (rating.rating, rating.note) == (2, "Stop signs: Pain in the knee")


@pytest.mark.parametrize(("rating", "stops"), [(3, False), (4, True)])
def test_a_rating_above_the_routines_pain_above_stops_the_exercise(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        rating: int, stops: bool) -> None:
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(
        lambda cls, parent, easier, stop, signs=(): (rating, "ache", ())))
    advice: list[str] = []
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None: advice.append(action) or "continue"))
    h = harness
    path = routine_file(tmp_path, STOP_SIGNS)
    h.window.open_file(path)
    assert h.window.start_routine(path)
    h.advance(2.5)
    h.app.care.hurts_button.click()
    assert advice == ["offer_easier" if stops else "continue"]
    assert (h.engine.current.name == "Glute bridge") == stops


def test_a_spreading_stop_sign_asks_the_leg_symptom_questions(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    monkeypatch.setattr(HurtsDialog, "ask", classmethod(
        lambda cls, parent, easier, stop, signs=(): (None, None, (StopSign("spreading"),))))
    asked = answering(monkeypatch)
    h = harness
    path = routine_file(tmp_path, STOP_SIGNS)
    h.window.open_file(path)
    assert h.window.start_routine(path)
    h.advance(2.5)
    h.app.care.hurts_button.click()
    h.settle()
    assert asked  # the symptom questions, as for pain spreading down a leg
    assert h.engine.current.name == "Glute bridge"
    with stored(isolated_data_dir) as store:
        assert any(a.source == "this_hurts" and a.leg_pain_shooting
                   for a in store.symptom_history())


def test_an_interrupted_session_is_offered_and_resumed_after_its_last_step(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    from player.core.history import routine_file_hash

    path = routine_file(tmp_path)
    now = local_now()
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Short one", started_at=now,
                                  routine_file_hash=routine_file_hash(path.read_bytes()))
        for index, name in enumerate(["Get ready", "Plank", "Rest"]):
            store.record_step(StepEvent(sid, index, name, "exercise", "completed", 2.0, now))
    offered: list[tuple[str, bool]] = []
    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(
        lambda cls, parent, session, can_resume, *rest: offered.append(
            (session.routine_title, can_resume)) or "resume"))
    h = make_harness()
    h.app.settings.add_recent_file(path)  # where the app finds the routine file again
    h.show()
    assert offered == [("Short one", True)]
    assert h.engine.current.name == "Plank" and h.engine.current.set == 2
    h.advance(4)
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.id == sid
        assert [s.step_index for s in store.steps(sid)] == [0, 1, 2, 3]


def test_an_interrupted_session_can_be_closed(
        make_harness, monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path) -> None:
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Gone", started_at=local_now())
    monkeypatch.setattr(InterruptedDialog, "ask", classmethod(
        lambda cls, parent, session, can_resume, *rest: "resume" if can_resume else "close"))
    h = make_harness()
    h.show()
    with stored(isolated_data_dir) as store:
        assert store.session(sid).outcome == "interrupted"


def test_the_history_page_opens_from_the_library(harness: Harness, ratings_given: list[str]) -> None:
    harness.app.care.checkin_button.click()
    harness.app.care.history_button.click()
    view = harness.window.pages.currentWidget()
    assert type(view).__name__ == "HistoryView"
    view.back_requested.emit()
    assert harness.window.pages.currentWidget() is harness.window.library_page


def test_a_history_that_cannot_be_opened_is_explained_and_the_app_keeps_running(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        questions_answered_no: list[tuple[str, ...]]) -> None:
    from player.store.db import StoreError
    from player.ui import care_features
    from player.ui.dialogs.history_dialogs import NoticeDialog

    def refuse(cls, data_dir, **kwargs):
        raise StoreError(f"Your history in {data_dir} cannot be written (the disk is full).",
                         data_dir)

    monkeypatch.setattr(care_features.HistoryStore, "open", classmethod(refuse))
    notices: list[str] = []
    monkeypatch.setattr(NoticeDialog, "show_notice",
                        classmethod(lambda cls, parent, text: notices.append(text)))
    h = make_harness()
    h.show()
    assert len(notices) == 1
    assert "the disk is full" in notices[0] and "nothing already saved has been changed" in notices[0]
    path = routine_file(tmp_path)
    assert h.window.start_routine(path)  # routines still play, without a history
    h.advance(3)
    assert h.engine.current.name == "Plank"
    h.app.care.history_button.click()
    assert "not available" in h.window.statusBar().currentMessage()


def test_a_history_from_a_newer_version_is_left_alone_and_the_app_plays_without_it(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, questions_answered_no: list[tuple[str, ...]]) -> None:
    import sqlite3

    from player.store.db import DB_FILENAME, READER_VERSION_KEY, SCHEMA_VERSION
    from player.ui.dialogs.history_dialogs import NoticeDialog

    with stored(isolated_data_dir) as store:
        store.start_session(routine_title="Kept", started_at=local_now())
    path = isolated_data_dir / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO app_info VALUES (?, '9.0')", (READER_VERSION_KEY,))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = {p.name: p.read_bytes() for p in isolated_data_dir.iterdir()}
    notices: list[str] = []
    monkeypatch.setattr(NoticeDialog, "show_notice",
                        classmethod(lambda cls, parent, text: notices.append(text)))
    h = make_harness()
    h.show()
    assert notices == [
        "This history was written by a newer version of Routine Player; nothing was changed. "
        "Install version 9.0 or later to go on using it. "
        "Until then the app works without your history."]
    assert h.window.start_routine(routine_file(tmp_path))
    h.advance(3)
    assert h.engine.current.name == "Plank"
    h.app.controller.close_session()
    h.window.close()
    assert {p.name: p.read_bytes() for p in isolated_data_dir.iterdir()
            if p.name.startswith(DB_FILENAME)} == before


SIDES_AND_SETS = """\
format: 1
title: Sides and sets
defaults: {lead_in: 2s}
pain_checks: {per_exercise: true}
blocks:
  - name: Main
    steps:
      - exercise: bird_dog
        hold: 2s
        sets: 2
        sides: both
        switch_time: 1s
        rest_between_sets: 1s
      - exercise: glute_bridge
        hold: 2s
        sets: 2
        rest_between_sets: 1s
"""


def test_the_pain_check_comes_once_per_exercise_after_its_last_set_and_side_before_the_after_rating(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    answered: list[str] = []

    def ask(cls, parent, context, title):
        QApplication.processEvents()  # a real dialog runs its own event loop while it is open
        answered.append(title)
        return (2, "", "")

    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(ask))
    path = routine_file(tmp_path, SIDES_AND_SETS)
    assert harness.window.start_routine(path)
    harness.advance(2 + 2 + 1 + 2 + 1 + 2 + 1 + 1.5)  # into bird dog set 2, right side
    harness.settle()
    assert answered == ["Before Sides and sets"]  # not between sides, not between sets
    harness.advance(1)
    harness.settle()
    assert answered[-1] == "After Bird dog"
    harness.advance(0.5 + 2 + 1 + 2 + 0.5)
    for _ in range(4):
        harness.settle()
    assert answered == ["Before Sides and sets", "After Bird dog", "After Glute bridge",
                        "After Sides and sets"]
    with stored(isolated_data_dir) as store:
        assert [(r.context, r.exercise_id) for r in store.ratings()] == [
            ("before", ""), ("during", "bird_dog"), ("during", "glute_bridge"), ("after", "")]


def test_an_exercise_skipped_whole_is_not_asked_about_but_one_partly_done_is(
        harness: Harness, tmp_path: Path, ratings_given: list[str]) -> None:
    path = routine_file(tmp_path, SIDES_AND_SETS)
    assert harness.window.start_routine(path)
    harness.advance(2)  # the lead-in
    for _ in range(7):  # bird dog: sides, switches, sets and the rest between, all skipped
        harness.app.controller.next()
    harness.settle()
    assert ratings_given == ["before"]
    harness.advance(2)  # glute bridge set 1 done, then the rest and set 2 skipped
    harness.app.controller.next()
    harness.app.controller.next()
    for _ in range(3):
        harness.settle()
    assert ratings_given == ["before", "during", "after"]


def test_a_stopped_session_resumed_is_one_stored_session_counted_once(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, ratings_given: list[str]) -> None:
    from player.ui.dialogs.session_dialogs import StopDialog

    monkeypatch.setattr(StopDialog, "ask", classmethod(lambda cls, parent, closing=False: True))
    path = routine_file(tmp_path)
    assert harness.window.start_routine(path)
    harness.advance(2 + 3)  # 3 s into the first 4 s plank set
    harness.window.commands.stop.trigger()
    harness.settle()
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "stopped"
    harness.player.resume_button.click()
    harness.settle()
    assert harness.engine.current.name == "Plank" and harness.engine.current.set == 1
    harness.advance(4 + 2 + 4 + 3)
    harness.settle()
    harness.settle()
    assert harness.player.finished_title.text() == "Routine complete. Well done!"
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "completed"
        assert session.planned_exercise_seconds == pytest.approx(4 + 4 + 3)
        # the 3 s of the stopped attempt are not added to the plank set played again
        assert session.done_exercise_seconds == pytest.approx(4 + 4 + 3)
        # one "before", and an "after" for the stop too: a stop is an end worth rating
        assert [r.context for r in store.ratings()] == ratings_given
    assert ratings_given == ["before", "after", "during", "after"]


def test_the_banner_and_the_report_judge_the_history_with_the_same_stored_thresholds(
        make_harness, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A physio's stricter thresholds, stored with the sessions, hold after a restart in the
    banner and in ``report --json`` alike, even once the routine file is gone."""
    import json

    from player.app import main
    from player.core.clinical import CareThresholds

    strict = CareThresholds(severe_level=5, severe_count=1)
    now = local_now()
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Strict", started_at=now - timedelta(days=1),
                                  routine_path="/gone/strict.yaml", thresholds=strict)
        store.finish_session(sid, "completed", now - timedelta(days=1) + timedelta(minutes=20))
        store.add_rating(PainRating(now - timedelta(hours=2), "checkin", 5))
    assert main(["--data-dir", str(isolated_data_dir), "report", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    h = make_harness()
    h.show()
    banner = h.app.care.banner
    assert h.app.care.care.thresholds == strict
    assert report["advice"]["level"] == h.app.care.care.advice.level == "see_professional"
    assert banner.isVisibleTo(h.window)
    assert report["advice"]["reasons"] == list(h.app.care.care.advice.reasons)


PROGRAMME = """\
format: 1
title: Six weeks
schedule: {times_per_week: 3, weeks: 6}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 20s
        progression:
          week 3: {hold: 30s}
"""


def test_the_preview_offers_this_week_of_the_programme_and_its_start_can_be_changed(
        make_harness, tmp_path: Path, isolated_data_dir: Path,
        questions_answered_no: list[tuple[str, ...]]) -> None:
    today = local_now()
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Six weeks", started_at=today - timedelta(days=15))
        store.finish_session(sid, "completed", today - timedelta(days=15) + timedelta(minutes=5))
    h = make_harness()
    h.show()
    path = routine_file(tmp_path, PROGRAMME)
    h.window.open_file(path)
    preview = h.window.preview
    assert preview.week_box.value() == 3 and preview.week == 3
    assert preview.programme_label.text() == "Week 3 of 6"
    assert preview.start_date.date().toPython() == (today - timedelta(days=15)).date()
    preview.start_date.setDate(preview.start_date.date().addDays(14))  # restarted a day ago
    assert h.app.settings.chosen_starts() == {"Six weeks": (today - timedelta(days=1)).date()}
    assert preview.week == 1 and preview.programme_label.text() == "Week 1 of 6"
    preview.start_date.setDate(preview.start_date.date().addDays(-14))
    assert preview.week == 3
    preview.start_button.click()
    assert h.app.controller.session.week == 3
    assert h.app.controller.session.plan.steps[1].duration_seconds == 30  # week 3's hold


# --- version 2 in the window: in-session stops, red flags, answers as given ---------------------

TWICE = """\
format: 1
title: Plank twice
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 4s
        pain_check: true
      - exercise: glute_bridge
        hold: 3s
      - exercise: plank
        hold: 4s
        sets: 2
        rest_between_sets: 1s
"""


def answering(monkeypatch: pytest.MonkeyPatch, yes: tuple[str, ...] = (),
              result: str = "saved") -> list[tuple[str, ...]]:
    """The symptom form answers the questions asked: yes to *yes*, no to the rest, each answer
    recorded as given; then closes with *result*."""
    asked: list[tuple[str, ...]] = []

    def ask(cls, parent, now=None, *, fields=None, may_put_off=False, record=None):
        fields = tuple(fields or SYMPTOM_FIELDS)
        asked.append(fields)
        for name in sorted(fields, key=lambda n: n not in yes):  # the yes answers first
            if record is not None:
                record(SymptomAnswers(local_now(), **{name: name in yes}))
        return result

    monkeypatch.setattr(SymptomsDialog, "ask", classmethod(ask))
    return asked


@pytest.mark.parametrize(("rating", "stops"), [(5, False), (6, True), (8, True)])
def test_a_per_exercise_rating_at_the_stop_level_stops_that_exercise_for_the_session(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path, rating: int, stops: bool) -> None:
    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(
        lambda cls, parent, context, title: (rating, "", "") if context == "during" else None))
    advised: list[tuple[str, bool]] = []

    def advice(cls, parent, action, exercise, easier=None, finished=False):
        advised.append((action, finished))
        return "skip"

    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(advice))
    asked = answering(monkeypatch)  # a rating of 7 or more asks the emergency questions again
    path = routine_file(tmp_path, TWICE)
    assert harness.window.start_routine(path)
    harness.advance(2 + 4 + 0.5)  # the lead-in and the first plank: its check comes
    harness.settle()
    assert advised == ([("offer_easier", True)] if stops else [])
    assert harness.engine.current.name == "Glute bridge"
    harness.advance(3 + 0.5)
    harness.settle()
    expected = "Glute bridge" if stops else "Plank"
    if stops:  # both sets of the second plank skipped: the session has ended
        assert harness.app.controller.engine is None or harness.engine.current is None
    else:
        assert harness.engine.current.name == expected
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        statuses = [(s.step_name, s.status) for s in store.steps(session.id)]
        assert ("Plank", "skipped") in statuses if stops else ("Plank", "skipped") not in statuses
        assert [(r.context, r.rating) for r in store.ratings()] == [("during", rating)]
    assert bool(asked) == (rating >= 7)


def test_a_leg_symptom_in_this_hurts_stops_the_exercise_and_asks_the_questions_at_once(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    monkeypatch.setattr(HurtsDialog, "ask",
                        classmethod(lambda cls, parent, easier, stop, signs=(): (None, "leg_pain", ())))
    asked = answering(monkeypatch)
    play_to_first_plank(harness, routine_file(tmp_path))
    harness.app.care.hurts_button.click()
    harness.settle()
    assert asked and "bladder_bowel" in asked[0] and "fever" not in asked[0]
    assert harness.engine.current.name == "Glute bridge"  # plank's second set skipped
    assert harness.app.controller.in_play
    banner = harness.app.care.banner
    assert banner.isVisibleTo(harness.window)  # pain down a leg: see a professional
    assert banner.advice.level == "see_professional"
    with stored(isolated_data_dir) as store:
        assert any(a.source == "this_hurts" and a.leg_pain_shooting
                   for a in store.symptom_history())


def test_an_emergency_answer_mid_session_stops_the_session_at_once(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    monkeypatch.setattr(HurtsDialog, "ask",
                        classmethod(lambda cls, parent, easier, stop, signs=(): (None, "leg_numb", ())))
    answering(monkeypatch, yes=("saddle_numbness",), result="cancelled")
    play_to_first_plank(harness, routine_file(tmp_path))
    harness.app.care.hurts_button.click()
    harness.settle()
    assert not harness.app.controller.in_play  # stopped at the yes, not at the form's end
    banner = harness.app.care.banner
    assert banner.isVisibleTo(harness.window) and banner.advice.level == "emergency"
    assert not banner.dismiss_button.isVisibleTo(banner)
    assert banner.answer_again_button.isVisibleTo(banner)
    assert "stopped because of your answer" in harness.window.statusBar().currentMessage()
    controller = harness.app.controller
    assert controller.summary is not None and controller.summary.outcome == "stopped_red_flag"
    assert "because of your answer" in controller.summary.headline
    assert controller.resumable_plan() is None  # not to be carried on from where it stopped
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "stopped_red_flag"  # its own outcome, never adherence
        assert not session.counts_for_adherence
        assert [s.step_name for s in store.steps(session.id)][:2] == ["Get ready", "Plank"]
        assert store.latest_symptoms().saddle_numbness is True  # kept though cancelled
    assert harness.window.start_routine(routine_file(tmp_path)) is False
    harness.app.care.show_history()
    view = harness.app.care._history_view
    model = view.model
    assert model.data(model.index(0, 2)) == "Stopped for a red flag"


def test_a_yes_then_cancel_at_first_run_is_kept_and_nothing_starts_unanswered(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    from player.settings import Settings
    from player.ui.dialogs.first_run import FirstRunNotice

    monkeypatch.setattr(FirstRunNotice, "ask", classmethod(lambda cls, parent: True))
    given: list[str] = []

    def yes_then_cancel(cls, parent, now=None, *, fields=None, may_put_off=False, record=None):
        given.append("form")
        record(SymptomAnswers(local_now(), weight_loss=True))
        return "cancelled"

    monkeypatch.setattr(SymptomsDialog, "ask", classmethod(yes_then_cancel))
    h = make_harness(Settings(spoken_cues=False, notice_accepted=False), answered=False)
    h.show()
    assert given == ["form"]
    assert h.app.care.banner.advice.level == "urgent_today"
    with stored(isolated_data_dir) as store:
        assert store.latest_symptoms().weight_loss is True
    path = routine_file(tmp_path)
    # The questions left unanswered come first; urgent today then waits for a confirmation.
    assert h.window.start_routine(path) is False
    assert given == ["form", "form"]
    assert "answer every symptom question" in h.window.statusBar().currentMessage()


def test_urgent_today_starts_after_i_will_contact_them_and_the_report_keeps_it(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    with stored(isolated_data_dir) as store:
        store.add_symptoms(SymptomAnswers(local_now() - timedelta(minutes=5),
                                          **{n: n == "fever" for n in SYMPTOM_FIELDS}))
    h = make_harness()
    h.show()
    banner = h.app.care.banner
    assert banner.advice.level == "urgent_today"
    assert banner.start_anyway_button.isVisibleTo(banner)
    path = routine_file(tmp_path)
    assert h.window.start_routine(path) is False
    assert "confirm" in h.window.statusBar().currentMessage()
    banner.start_anyway_button.click()
    assert not banner.start_anyway_button.isVisibleTo(banner)  # given for today
    assert banner.isVisibleTo(h.window)  # the advice still stands today
    assert h.window.start_routine(path)
    h.app.controller.close_session()
    banner.checked_button.click()
    assert not banner.isVisibleTo(h.window)
    with stored(isolated_data_dir) as store:
        assert [(c.level, c.kind) for c in store.confirmations()] == [
            ("urgent_today", "will_contact_today"), ("urgent_today", "clinician_checked")]


def test_the_first_run_questions_may_be_put_off_once_then_come_before_the_session(
        make_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    from player.settings import Settings
    from player.ui.dialogs.first_run import FirstRunNotice

    monkeypatch.setattr(FirstRunNotice, "ask", classmethod(lambda cls, parent: True))
    offered: list[bool] = []

    def put_off(cls, parent, now=None, *, fields=None, may_put_off=False, record=None):
        offered.append(may_put_off)
        return "put_off"

    monkeypatch.setattr(SymptomsDialog, "ask", classmethod(put_off))
    h = make_harness(Settings(spoken_cues=False, notice_accepted=False), answered=False)
    h.show()
    assert offered == [True]
    path = routine_file(tmp_path)
    asked = answering(monkeypatch)
    assert h.window.start_routine(path)  # asked before the session, all answered
    assert len(asked) == 1 and set(asked[0]) == set(SYMPTOM_FIELDS)
    with stored(isolated_data_dir) as store:
        assert [a.source for a in store.symptom_history()][0] == "put_off"


def test_the_next_morning_check_is_asked_once_and_tied_to_its_session(
        make_harness, monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path) -> None:
    from player.ui.dialogs.pain_dialogs import QUESTIONS

    # Two days ago (so the morning has opened at whatever hour the test runs).
    day = local_now().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Short one", started_at=day)
        store.add_rating(PainRating(day, "before", 3, session_id=sid))
        store.finish_session(sid, "completed", day + timedelta(minutes=20))
    asked: list[tuple[str, str]] = []

    def ask(cls, parent, context, title):
        asked.append((context, title))
        return (6, "stiff", "")

    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(ask))
    h = make_harness()
    h.show()
    assert asked == [("morning_after", "The morning after your session")]
    assert "compared with before yesterday's session" in QUESTIONS["morning_after"]
    with stored(isolated_data_dir) as store:
        [rating] = [r for r in store.ratings() if r.context == "morning_after"]
        assert (rating.rating, rating.session_id, rating.note) == (6, sid, "stiff")
    h.app.care.ask_morning_after()
    assert len(asked) == 1  # asked once


def test_a_skipped_next_morning_check_is_not_asked_again(
        make_harness, monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path) -> None:
    day = local_now().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Short one", started_at=day)
        store.add_rating(PainRating(day, "before", 3, session_id=sid))
        store.finish_session(sid, "completed", day + timedelta(minutes=20))
    asked: list[str] = []
    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(
        lambda cls, parent, context, title: asked.append(context)))
    h = make_harness()
    h.show()
    h.close()
    h = make_harness()  # the app opened again: the settings remember
    h.show()
    assert asked == ["morning_after"]


def test_a_check_in_much_worse_than_before_opens_the_whole_form_once(
        make_harness, monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path) -> None:
    now = local_now()
    with stored(isolated_data_dir) as store:
        for day in range(14, 35):  # 2/10 for three weeks, until two weeks ago
            store.add_rating(PainRating(now - timedelta(days=day), "checkin", 2))
        store.add_symptoms(SymptomAnswers(now - timedelta(days=3),
                                          **dict.fromkeys(SYMPTOM_FIELDS, False)))
    monkeypatch.setattr(PainRatingDialog, "ask",
                        classmethod(lambda cls, parent, context, title: (5, "", "")))
    asked = answering(monkeypatch)
    h = make_harness()
    h.show()
    h.app.care.checkin_button.click()
    h.settle()
    assert len(asked) == 1 and set(asked[0]) == set(SYMPTOM_FIELDS)
    assert "points above your usual level" in h.window.statusBar().currentMessage()


# --- the per-exercise pain check after a stop --------------------------------------------------

CHECKED = """\
format: 1
title: Checked plank
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 4s
        sets: 2
        rest_between_sets: 2s
        pain_check: true
      - exercise: glute_bridge
        hold: 3s
        pain_check: true
"""


def asked_ratings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every pain rating asked, as (context, title); the per-exercise checks answer 2."""
    asked: list[tuple[str, str]] = []

    def ask(cls, parent, context, title):
        asked.append((context, title))
        return (2, "", "") if context == "during" else None

    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(ask))
    return asked


def test_after_this_hurts_stops_an_exercise_its_pain_check_is_not_asked_again(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    asked = asked_ratings(monkeypatch)
    monkeypatch.setattr(HurtsDialog, "ask",
                        classmethod(lambda cls, parent, easier, stop, signs=(): (6, "ache", ())))
    monkeypatch.setattr(InSessionAdvice, "ask", classmethod(
        lambda cls, parent, action, exercise, easier=None, finished=False, **_: "skip"))
    play_to_first_plank(harness, routine_file(tmp_path, CHECKED))
    harness.advance(4 + 2 + 1)  # the first set done, into the second (which has the check)
    assert harness.engine.current.name == "Plank"
    harness.app.care.hurts_button.click()
    harness.settle()
    assert harness.engine.current.name == "Glute bridge"  # the second set is stopped
    harness.advance(3.5)  # the glute bridge: its own check still comes
    harness.settle()
    assert [a for a in asked if a[0] == "during"] == [("during", "After Glute bridge")]
    with stored(isolated_data_dir) as store:
        assert [(r.context, r.rating, r.exercise_id) for r in store.ratings()] == [
            ("during", 6, "plank"), ("during", 2, "glute_bridge")]


def test_after_a_red_flag_stop_no_pain_check_is_asked_for_the_session(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_data_dir: Path) -> None:
    asked = asked_ratings(monkeypatch)
    monkeypatch.setattr(HurtsDialog, "ask",
                        classmethod(lambda cls, parent, easier, stop, signs=(): (None, "leg_numb", ())))
    answering(monkeypatch, yes=("bladder_bowel",), result="saved")
    play_to_first_plank(harness, routine_file(tmp_path, CHECKED))
    harness.advance(4 + 2 + 1)  # into the last set of the plank: a set was done
    assert harness.engine.current.name == "Plank"
    harness.app.care.hurts_button.click()
    harness.settle()
    assert not harness.app.controller.in_play
    harness.advance(10)
    harness.settle()
    assert asked == [("before", "Before Checked plank")]  # neither a pain check nor "after"
    with stored(isolated_data_dir) as store:
        [session] = store.sessions()
        assert session.outcome == "stopped_red_flag"
        assert store.ratings() == []
