"""The care controller: advice, banner events, ratings, symptom answers and store failures."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.clinical import DEFAULT_THRESHOLDS
from player.core.history import SYMPTOM_FIELDS, PainRating, SymptomAnswers
from player.store.db import StoreError
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import CareController, milliseconds_to_next_day

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=TZ)
START = NOW - timedelta(days=20)


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore.open(tmp_path / "data") as opened:
        yield opened


def calm_start(store: HistoryStore) -> None:
    """A first week of 2/10 check-ins (baseline 2) and nothing since."""
    for day in range(5):
        store.add_rating(PainRating(START + timedelta(days=day), "checkin", 2))


class BrokenStore:
    """A store that reads fine (empty) but cannot save anything."""

    def ratings(self):
        return []

    def latest_symptoms(self):
        return None

    def banner_events(self):
        return []

    def _fail(self, *_args):
        raise StoreError("Your history could not be saved: the disk is full.")

    add_rating = add_symptoms = add_banner_event = _fail


def test_nothing_is_read_until_the_first_refresh(store, qtbot):
    calm_start(store)
    controller = CareController(store, clock=lambda: NOW)
    assert controller.ratings == ()
    with qtbot.assertNotEmitted(controller.advice_changed):
        assert controller.refresh().level == "none"
    assert len(controller.ratings) == 5
    assert controller.routine_may_start()


def test_advice_changed_only_when_it_changes(store, qtbot):
    controller = CareController(store, clock=lambda: NOW)
    controller.refresh()
    with qtbot.waitSignal(controller.advice_changed, timeout=1000) as changed:
        controller.record_symptoms(SymptomAnswers(NOW, leg_weakness=True))
    assert changed.args[0].level == "emergency"
    with qtbot.assertNotEmitted(controller.advice_changed):
        controller.refresh(NOW + timedelta(minutes=1))
    assert not controller.routine_may_start()
    assert store.latest_symptoms().leg_weakness


def test_record_rating_saves_it_and_reports_it(store, qtbot):
    controller = CareController(store, clock=lambda: NOW)
    with qtbot.waitSignal(controller.rating_recorded, timeout=1000) as recorded:
        controller.record_rating("before", 3, note="<i>stiff</i>", body_area="Lower back",
                                 session_id=None)
    assert recorded.args[0].rating == 3
    saved = store.ratings()
    assert [(r.context, r.rating, r.note, r.body_area) for r in saved] == [
        ("before", 3, "<i>stiff</i>", "Lower back")]
    assert saved[0].at == NOW


def test_a_resting_rating_two_points_above_baseline_suggests_the_symptom_questions(store, qtbot):
    calm_start(store)
    controller = CareController(store, clock=lambda: NOW)
    controller.refresh()
    with qtbot.assertNotEmitted(controller.symptoms_check_suggested):
        controller.record_rating("checkin", 3, at=NOW)  # 1 point above: not yet
        controller.record_rating("after", 5, at=NOW)  # not a resting rating
    with qtbot.waitSignal(controller.symptoms_check_suggested, timeout=1000) as suggested:
        controller.record_rating("before", 4, at=NOW + timedelta(minutes=1))
    assert "2 points above your usual level before (2/10)" in suggested.args[0]
    with qtbot.assertNotEmitted(controller.symptoms_check_suggested):
        controller.record_rating("before", 5, at=NOW + timedelta(hours=2))  # once a day
    with qtbot.waitSignal(controller.symptoms_check_suggested, timeout=1000):
        controller.record_rating("checkin", 4, at=NOW + timedelta(days=1))


def test_no_suggestion_when_the_questions_were_answered_today(store, qtbot):
    calm_start(store)
    store.add_symptoms(SymptomAnswers(NOW - timedelta(hours=2),
                                      **dict.fromkeys(SYMPTOM_FIELDS, False)))
    controller = CareController(store, clock=lambda: NOW)
    with qtbot.assertNotEmitted(controller.symptoms_check_suggested):
        controller.record_rating("checkin", 6, at=NOW)


def test_a_severe_rating_of_any_kind_suggests_the_questions(store, qtbot):
    controller = CareController(store, clock=lambda: NOW)
    with qtbot.waitSignal(controller.symptoms_check_suggested, timeout=1000) as suggested:
        controller.record_rating("during", 8, at=NOW)
    assert suggested.args[0].startswith("You rated your pain 8/10.")


def test_stricter_thresholds_apply_at_once(store, qtbot):
    store.add_rating(PainRating(NOW - timedelta(days=1), "checkin", 7))
    controller = CareController(store, clock=lambda: NOW)
    assert controller.refresh().level == "none"
    with qtbot.waitSignal(controller.banner_changed, timeout=1000) as shown:
        controller.set_thresholds(replace(DEFAULT_THRESHOLDS, severe_count=1))
    assert shown.args[0].level == "see_professional"
    assert controller.thresholds.severe_count == 1


def test_shown_is_recorded_once_and_not_again_after_a_restart_the_same_day(store):
    store.add_symptoms(SymptomAnswers(NOW - timedelta(hours=1), leg_pain_shooting=True))
    CareController(store).refresh(NOW)
    CareController(store).refresh(NOW + timedelta(hours=1))  # the app opened again
    assert [e.action for e in store.banner_events()] == ["shown"]
    CareController(store).refresh(NOW + timedelta(days=1))
    assert [e.action for e in store.banner_events()] == ["shown", "shown"]


def test_new_reasons_are_recorded_as_a_new_shown_event(store):
    store.add_symptoms(SymptomAnswers(NOW - timedelta(hours=1), leg_pain_shooting=True))
    controller = CareController(store)
    controller.refresh(NOW)
    controller.record_symptoms(SymptomAnswers(NOW, leg_pain_shooting=True,
                                              cannot_stand_straight=True))
    events = store.banner_events()
    assert [len(e.reasons) for e in events] == [1, 2]


def test_store_failures_become_a_plain_message_and_the_app_keeps_going(qtbot):
    controller = CareController(BrokenStore(), clock=lambda: NOW)
    with qtbot.waitSignal(controller.store_failed, timeout=1000) as failed:
        entry = controller.record_rating("checkin", 8, at=NOW - timedelta(days=1))
    assert failed.args[0] == "Your history could not be saved: the disk is full."
    assert entry in controller.ratings  # still counts for today's advice
    controller.record_rating("checkin", 9, at=NOW)
    assert controller.advice.level == "see_professional"
    assert controller.banner_advice.level == "see_professional"
    with qtbot.waitSignal(controller.store_failed, timeout=1000):
        assert controller.record_symptoms(SymptomAnswers(NOW)) is False


def test_a_store_that_cannot_be_read_is_reported(qtbot):
    class Unreadable(BrokenStore):
        def ratings(self):
            raise StoreError("Your history could not be read.")

    controller = CareController(Unreadable(), clock=lambda: NOW)
    with qtbot.waitSignal(controller.store_failed, timeout=1000) as failed:
        assert controller.refresh().level == "none"
    assert failed.args[0] == "Your history could not be read."


def test_without_a_store_everything_stays_in_memory(qtbot):
    controller = CareController(None, clock=lambda: NOW)
    controller.record_symptoms(SymptomAnswers(NOW, fever=True))
    assert controller.advice.level == "urgent_today"
    assert [e.action for e in controller.banner_events] == ["shown"]


def test_start_guard_lets_a_routine_start_without_urgent_advice(store):
    controller = CareController(store, clock=lambda: NOW)
    assert controller.start_guard(object()) is True


def test_milliseconds_to_next_day():
    assert 0 < milliseconds_to_next_day(datetime.now().astimezone()) <= 25 * 3600 * 1000


def test_the_banner_comes_back_after_a_25_hour_day() -> None:
    from zoneinfo import ZoneInfo

    from player.ui.controllers.care_controller import milliseconds_to_next_day

    start = datetime(2024, 10, 27, 0, 0, tzinfo=ZoneInfo("Europe/London"))
    assert milliseconds_to_next_day(start) == (25 * 3600 + 5) * 1000
