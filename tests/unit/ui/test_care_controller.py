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

    def symptom_history(self):
        return []

    def confirmations(self):
        return []

    def banner_events(self):
        return []

    def _fail(self, *_args):
        raise StoreError("Your history could not be saved: the disk is full.")

    add_rating = add_symptoms = add_banner_event = add_confirmation = _fail


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


# --- version 2: answers as given, confirmations, questions due ----------------------------------


def all_no(at: datetime) -> SymptomAnswers:
    return SymptomAnswers(at, **dict.fromkeys(SYMPTOM_FIELDS, False))


def test_one_answer_at_a_time_is_kept_with_the_others(store):
    store.add_symptoms(all_no(NOW - timedelta(days=1)))
    controller = CareController(store, clock=lambda: NOW)
    controller.record_symptoms(SymptomAnswers(NOW, fever=True))  # one answer, as given
    assert controller.advice.level == "urgent_today"
    latest = controller.symptoms
    assert latest is not None and latest.fever is True and latest.saddle_numbness is False
    again = CareController(store, clock=lambda: NOW)  # read back from the store
    assert again.refresh().level == "urgent_today"
    assert len(again.symptom_history) == 2


def test_an_urgent_yes_blocks_until_confirmed_today_and_asks_again_tomorrow(store):
    store.add_symptoms(all_no(NOW - timedelta(days=1)))
    controller = CareController(store, clock=lambda: NOW)
    controller.record_symptoms(SymptomAnswers(NOW, cancer_history=True))
    assert not controller.routine_may_start()
    controller.record_confirmation("urgent_today", "will_contact_today", at=NOW)
    assert controller.routine_may_start()
    assert controller.advice.level == "urgent_today"  # the banner still stands today
    tomorrow = CareController(store, clock=lambda: NOW + timedelta(days=1))
    assert tomorrow.refresh().level == "urgent_today" and not tomorrow.routine_may_start()
    tomorrow.record_confirmation("urgent_today", "clinician_checked",
                                 at=NOW + timedelta(days=1))
    assert tomorrow.advice.level == "none" and tomorrow.routine_may_start()
    assert [c.kind for c in store.confirmations()] == ["will_contact_today", "clinician_checked"]


def test_an_emergency_cannot_be_started_anyway_only_assessed(store):
    store.add_symptoms(all_no(NOW - timedelta(days=1)))
    controller = CareController(store, clock=lambda: NOW)
    controller.record_symptoms(SymptomAnswers(NOW, bladder_bowel=True))
    assert controller.advice.level == "emergency" and not controller.routine_may_start()
    controller.record_confirmation("emergency", "clinician_checked", at=NOW + timedelta(hours=3))
    assert controller.advice.level == "none"


def test_a_new_red_flag_is_raised_once(store, qtbot):
    store.add_symptoms(all_no(NOW - timedelta(days=1)))
    controller = CareController(store, clock=lambda: NOW)
    controller.refresh()
    with qtbot.waitSignal(controller.red_flag_raised, timeout=1000) as raised:
        controller.record_symptoms(SymptomAnswers(NOW, saddle_numbness=True))
    assert raised.args[0].level == "emergency"
    with qtbot.assertNotEmitted(controller.red_flag_raised):  # the same reason again
        controller.record_symptoms(SymptomAnswers(NOW + timedelta(minutes=1),
                                                  saddle_numbness=True))
    with qtbot.assertNotEmitted(controller.red_flag_raised):  # see a professional only
        controller.record_symptoms(SymptomAnswers(NOW + timedelta(minutes=2),
                                                  leg_pain_shooting=True))


def test_the_emergency_questions_are_due_weekly_and_after_a_severe_rating(store):
    store.add_symptoms(all_no(NOW - timedelta(days=6)))
    controller = CareController(store, clock=lambda: NOW)
    assert controller.questions_due() is None
    assert controller.questions_due(NOW + timedelta(days=1)).reasons == ("weekly",)
    controller.record_rating("during", 7, at=NOW)
    due = controller.questions_due(NOW + timedelta(minutes=1))
    assert due is not None and due.at_once and "bladder_bowel" in due.fields
    assert "fever" not in due.fields  # only the emergency questions again
