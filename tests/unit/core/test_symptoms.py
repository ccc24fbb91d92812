"""The symptom questions of clinical-notes.md v2: tiers, answers as given, re-asking, checks.

Local days are Europe/London's; the weekly re-ask crosses the change to summer time (Sunday
31 March 2024).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from player.core.care import assess, stops_session
from player.core.clinical import DEFAULT_THRESHOLDS
from player.core.history import SYMPTOM_FIELDS, CareConfirmation, PainRating, SymptomAnswers
from player.core.symptoms import (
    EMERGENCY_FIELDS,
    SYMPTOM_QUESTIONS,
    URGENT_TODAY_FIELDS,
    asks_at_once,
    current_answers,
    leg_symptom_report,
    put_off_record,
    questions_due,
    standing_yes,
    start_confirmed_today,
)

LONDON = ZoneInfo("Europe/London")
MON = date(2024, 3, 25)  # the week before the clocks go forward


def on(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def days(n: int, hour: int = 9, minute: int = 0) -> datetime:
    return on(MON + timedelta(days=n), hour, minute)


def form(at: datetime, **yes: bool) -> SymptomAnswers:
    """The whole form: yes for those named, no for the rest."""
    given: dict[str, Any] = dict.fromkeys(SYMPTOM_FIELDS, False) | yes
    return SymptomAnswers(at, **given)


def checked(at: datetime, level: str = "urgent_today",
            kind: str = "clinician_checked") -> CareConfirmation:
    return CareConfirmation(at, level, kind)  # type: ignore[arg-type]


def test_the_tiers() -> None:
    assert set(EMERGENCY_FIELDS) >= {"bladder_bowel", "urine_sensation", "saddle_numbness",
                                     "wiping_numbness", "sexual_sensation", "leg_weakness",
                                     "gait_change", "both_legs", "serious_fall"}
    assert set(URGENT_TODAY_FIELDS) == {"fever", "cancer_history", "weight_loss", "night_pain",
                                        "thoracic_pain", "minor_fall", "immune_drugs"}
    tiers = [q.level for q in SYMPTOM_QUESTIONS]
    assert tiers == sorted(tiers, key=["emergency", "urgent_today", "see_professional"].index)
    cancer = next(q for q in SYMPTOM_QUESTIONS if q.field == "cancer_history")
    assert cancer.question == ("Have you ever had cancer, and is this back pain new or "
                               "different from before?")


# --- answers as given, and when a yes stops standing --------------------------------------------


STANDING = [
    ("a yes stands", [form(days(0), gait_change=True)], [], days(30), {"gait_change"}),
    ("answered no again, it is gone", [form(days(0), gait_change=True), form(days(1))], [],
     days(2), set()),
    ("a yes given alone (the form was then cancelled) stands",
     [form(days(0)), SymptomAnswers(days(1), saddle_numbness=True)], [], days(2),
     {"saddle_numbness"}),
    ("a later partial answer keeps the others",
     [form(days(0), fever=True), SymptomAnswers(days(1), gait_change=False)], [], days(2),
     {"fever"}),
    ("a clinician check of its tier at or after it clears a red flag",
     [form(days(0), fever=True)], [checked(days(0))], days(1), set()),
    ("a check before it does not", [form(days(1), fever=True)], [checked(days(0))], days(2),
     {"fever"}),
    ("a check of the other tier does not",
     [form(days(0), fever=True)], [checked(days(1), "emergency")], days(2), {"fever"}),
    ("an emergency ends when a clinician has assessed it",
     [form(days(0), both_legs=True)], [checked(days(1), "emergency")], days(2), set()),
    ("'I will contact them today' does not end it",
     [form(days(0), fever=True)], [checked(days(0), kind="will_contact_today")], days(1),
     {"fever"}),
    ("answered yes again after the check, it stands again",
     [form(days(0), fever=True), form(days(3), fever=True)], [checked(days(1))], days(4),
     {"fever"}),
    ("see-a-professional answers are not cleared by a check",
     [form(days(0), leg_pain_shooting=True)], [checked(days(1)), checked(days(1), "emergency")],
     days(2), {"leg_pain_shooting"}),
    ("answers after now are not given yet", [form(days(1), fever=True)], [], days(0), set()),
]


@pytest.mark.parametrize(("name", "history", "confirmations", "now", "standing"), STANDING,
                         ids=[s[0] for s in STANDING])
def test_standing_yes(name: str, history: list[SymptomAnswers],
                      confirmations: list[CareConfirmation], now: datetime,
                      standing: set[str]) -> None:
    assert {a.field for a in standing_yes(history, now, confirmations)} == standing
    advice = assess([], history, now, confirmations=confirmations)
    assert set(advice.codes) == {f"symptom.{f}" for f in standing}


def test_current_answers_say_when_and_where() -> None:
    history = [form(days(0)), leg_symptom_report(days(2), pain_down_leg=True)]
    answers = current_answers(history, days(3))
    assert (answers["leg_pain_shooting"].yes, answers["leg_pain_shooting"].source) == (
        True, "this_hurts")
    assert (answers["fever"].yes, answers["fever"].at) == (False, days(0))


# --- urgent today: start anyway, today only ------------------------------------------------------


@pytest.mark.parametrize(
    ("confirmed_at", "now", "start"),
    [
        (days(5, 8), days(5, 23, 59), True),  # Saturday 30 March, same day
        (days(5, 8), days(6, 0, 0), False),  # the next day (the clocks went forward overnight)
        (days(5, 7), days(5, 9), False),  # confirmed before the yes it would cover
    ],
)
def test_start_anyway_lasts_for_the_day(confirmed_at: datetime, now: datetime,
                                        start: bool) -> None:
    history = [form(days(5, 7, 30), night_pain=True)]
    confirmations = [checked(confirmed_at, kind="will_contact_today")]
    assert start_confirmed_today(history, now, confirmations) is start
    advice = assess([], history, now, confirmations=confirmations)
    assert advice.level == "urgent_today"
    assert advice.start_confirmed is start
    assert advice.blocks_routine is (not start)
    assert advice.needs_confirmation is (not start)
    assert not advice.dismissible


def test_start_anyway_never_unblocks_an_emergency() -> None:
    history = [form(days(0), fever=True, gait_change=True)]
    confirmations = [checked(days(0, 10), kind="will_contact_today")]
    advice = assess([], history, days(0, 11), confirmations=confirmations)
    assert advice.level == "emergency" and advice.blocks_routine
    assert not advice.start_confirmed


# --- when the questions are asked ----------------------------------------------------------------


def test_first_run_asks_everything_and_may_be_put_off_once() -> None:
    due = questions_due([], [], days(0))
    assert due is not None
    assert due.fields == SYMPTOM_FIELDS and due.reasons == ("not_answered",)
    assert due.may_put_off and not due.at_once
    again = questions_due([put_off_record(days(0))], [], days(1))
    assert again is not None and again.fields == SYMPTOM_FIELDS
    assert not again.may_put_off  # asked before the next session start, no second put-off


def test_a_cancelled_form_leaves_the_unanswered_questions_due() -> None:
    history = [SymptomAnswers(days(0), bladder_bowel=False, fever=True)]
    due = questions_due(history, [], days(0, 10))
    assert due is not None
    assert "bladder_bowel" not in due.fields and "fever" not in due.fields
    assert "gait_change" in due.fields


@pytest.mark.parametrize(
    ("answered", "now", "due"),
    [
        # Answered on Monday 25 March (GMT); the clocks go forward on Sunday 31 March.
        (days(0, 20), days(6, 23, 59), False),  # 6 days later
        (days(0, 20), days(7, 0, 0), True),  # 7 days after: the first session of the week
        (days(0, 20), days(8), True),
    ],
)
def test_the_emergency_questions_again_each_week(answered: datetime, now: datetime,
                                                 due: bool) -> None:
    found = questions_due([form(answered)], [], now)
    assert (found is not None) is due
    if found is not None:
        assert found.fields == EMERGENCY_FIELDS  # a first-day "no" does not stand for good
        assert found.reasons == ("weekly",)
        assert not found.at_once and not found.may_put_off


@pytest.mark.parametrize(
    ("rating", "due"),
    [(6, False), (7, True), (10, True)],
)
def test_at_once_after_a_severe_rating(rating: int, due: bool) -> None:
    history = [form(days(0))]
    ratings = [PainRating(days(1), "during", rating, session_id=1)]
    found = questions_due(history, ratings, days(1, 10))
    assert (found is not None) is due
    if found is not None:
        assert found.fields == EMERGENCY_FIELDS
        assert found.reasons == ("after_severe_rating",) and found.at_once
    assert asks_at_once(rating, False) is due
    # Answered again after the rating: nothing due.
    assert questions_due([*history, form(days(1, 9, 5))], ratings, days(1, 10)) is None


def test_a_stricter_severe_level_asks_sooner() -> None:
    strict = replace(DEFAULT_THRESHOLDS, severe_level=6)
    ratings = [PainRating(days(1), "checkin", 6)]
    assert questions_due([form(days(0))], ratings, days(1, 10), strict) is not None
    assert asks_at_once(6, False, strict)


@pytest.mark.parametrize("pain_down_leg", [True, False])
def test_at_once_after_a_leg_symptom_in_this_hurts(pain_down_leg: bool) -> None:
    report = leg_symptom_report(days(1), pain_down_leg)
    assert report.source == "this_hurts"
    assert report.yes() == (("leg_pain_shooting",) if pain_down_leg else ())
    found = questions_due([form(days(0)), report], [], days(1, 9, 1))
    assert found is not None
    assert found.reasons == ("after_leg_symptom",) and found.at_once
    assert found.fields == EMERGENCY_FIELDS
    assert asks_at_once(None, True)
    advice = assess([], [form(days(0)), report], days(1, 9, 1))
    assert advice.codes == (("symptom.leg_pain_shooting",) if pain_down_leg else ())


def test_nothing_due_when_all_is_answered_this_week() -> None:
    assert questions_due([form(days(0))], [PainRating(days(0, 8), "checkin", 8)],
                         days(3)) is None


# --- mid-session answers stop the session ---------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "stops"),
    [
        ([form(days(0))], [form(days(0)), SymptomAnswers(days(0, 10), fever=True)], True),
        ([form(days(0))], [form(days(0)), SymptomAnswers(days(0, 10), both_legs=True)], True),
        ([form(days(0))],
         [form(days(0)), SymptomAnswers(days(0, 10), cannot_stand_straight=True)], False),
        # An urgent-today sign confirmed before the session does not stop it again.
        ([form(days(0), fever=True)], [form(days(0), fever=True),
                                       SymptomAnswers(days(0, 10), gait_change=False)], False),
    ],
)
def test_a_new_red_flag_mid_session_stops_it(before: list[SymptomAnswers],
                                             after: list[SymptomAnswers], stops: bool) -> None:
    now = days(0, 10, 1)
    assert stops_session(assess([], before, now), assess([], after, now)) is stops
