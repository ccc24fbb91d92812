"""The history repository: what goes in comes back, written at once, in the right order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.history import (
    IMPORTED_ROUTINE_TITLE,
    SYMPTOM_FIELDS,
    BannerEvent,
    CareConfirmation,
    PainRating,
    StepEvent,
    SymptomAnswers,
    session_pains,
)
from player.store.db import DB_FILENAME
from player.store.history import HistoryStore

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=CET)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path) as opened:
        yield opened


def step(session_id: int, index: int, status: str = "completed") -> StepEvent:
    return StepEvent(
        session_id=session_id,
        step_index=index,
        step_name=f"Step {index}",
        kind="exercise",
        status=status,  # type: ignore[arg-type]
        actual_seconds=30.5,
        at=T0 + timedelta(minutes=index + 1),
        planned_seconds=30.0 if index else None,
    )


def other_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def test_a_session_with_steps_and_ratings_comes_back(store: HistoryStore) -> None:
    sid = store.start_session(
        routine_title="Core basics", started_at=T0, routine_version="3", routine_file_hash="h"
    )
    steps = [step(sid, 0), step(sid, 1, "skipped"), step(sid, 2)]
    for s in steps:
        store.record_step(s)
    before = PainRating(T0, "before", 4, "stiff", "lower back", sid)
    after = PainRating(T0 + timedelta(minutes=20), "after", 3, session_id=sid)
    store.add_rating(before)
    store.add_rating(after)
    store.finish_session(sid, "completed", T0 + timedelta(minutes=21))

    [session] = store.sessions()
    assert session.id == sid
    assert (session.routine_title, session.routine_version, session.routine_file_hash) == (
        "Core basics",
        "3",
        "h",
    )
    assert (session.started_at, session.ended_at) == (T0, T0 + timedelta(minutes=21))
    assert session.outcome == "completed"
    assert (session.steps_completed, session.steps_skipped) == (2, 1)
    assert store.steps(sid) == steps
    assert store.ratings() == [before, after]
    assert store.session(sid) == session
    assert store.session(999) is None
    # The counts are stored with the session: asking to leave them out still gives them.
    assert store.sessions(step_counts=False) == [session]
    assert store.snapshot(step_counts=False).sessions == (session,)
    assert store.snapshot().sessions == (session,)


def test_times_keep_their_offset_and_precision(store: HistoryStore) -> None:
    at = datetime(2024, 7, 1, 7, 30, 15, 123456, tzinfo=CEST)
    store.add_rating(PainRating(at, "checkin", 2))
    [back] = store.ratings()
    assert back.at == at
    assert back.at.utcoffset() == timedelta(hours=2)
    conn = other_connection(store.path)
    try:
        assert conn.execute("SELECT at FROM pain_ratings").fetchone()[0] == (
            "2024-07-01T07:30:15.123456+02:00"
        )
    finally:
        conn.close()


def test_ratings_are_in_time_order_across_a_clock_change(store: HistoryStore) -> None:
    # 02:30+02:00 is 00:30 UTC; 02:10+01:00 (after the clocks went back) is 01:10 UTC.
    first = PainRating(datetime(2024, 10, 27, 2, 30, tzinfo=CEST), "checkin", 3)
    second = PainRating(datetime(2024, 10, 27, 2, 10, tzinfo=CET), "checkin", 4)
    store.add_rating(first)
    store.add_rating(second)
    store.add_rating(PainRating(datetime(2024, 10, 26, 9, 0, tzinfo=CEST), "checkin", 1))
    assert [r.rating for r in store.ratings()] == [1, 3, 4]


def test_each_write_is_committed_at_once(store: HistoryStore) -> None:
    sid = store.start_session(routine_title="r", started_at=T0)
    store.record_step(step(sid, 0))
    store.add_rating(PainRating(T0, "during", 5, session_id=sid))
    conn = other_connection(store.path)
    try:
        assert conn.execute("SELECT count(*) FROM step_events").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM pain_ratings").fetchone()[0] == 1
    finally:
        conn.close()


def test_finish_session_checks_its_arguments(store: HistoryStore) -> None:
    sid = store.start_session(routine_title="r", started_at=T0)
    with pytest.raises(ValueError, match="outcome"):
        store.finish_session(sid, "in_progress", T0)
    with pytest.raises(ValueError, match="no session"):
        store.finish_session(sid + 1, "completed", T0)
    with pytest.raises(ValueError, match="UTC offset"):
        store.finish_session(sid, "completed", datetime(2024, 1, 1))


def test_a_rating_for_an_unknown_session_is_a_programming_error(store: HistoryStore) -> None:
    with pytest.raises(ValueError):
        store.add_rating(PainRating(T0, "before", 3, session_id=42))


def test_sessions_limit_keeps_the_latest_in_order(store: HistoryStore) -> None:
    ids = [store.start_session(routine_title=f"r{i}", started_at=T0 + timedelta(days=i))
           for i in range(5)]
    assert [s.id for s in store.sessions(limit=2)] == ids[-2:]
    assert [s.id for s in store.sessions()] == ids


def test_interrupted_sessions_are_those_left_by_an_earlier_process(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path) as first:
        killed = first.start_session(routine_title="r", started_at=T0)
        first.record_step(step(killed, 0))
        first.record_step(step(killed, 1))
        first.add_rating(PainRating(T0 + timedelta(minutes=5), "during", 4, session_id=killed))
        done = first.start_session(routine_title="r", started_at=T0 + timedelta(hours=1))
        first.finish_session(done, "completed", T0 + timedelta(hours=2))
        assert first.interrupted_sessions() == []
    with HistoryStore.open(tmp_path) as second:
        current = second.start_session(routine_title="r", started_at=T0 + timedelta(days=1))
        assert [s.id for s in second.interrupted_sessions()] == [killed]
        second.close_session_as_interrupted(killed)
        assert second.interrupted_sessions() == []
        closed = second.session(killed)
        assert closed is not None
        assert closed.outcome == "interrupted"
        assert closed.ended_at == T0 + timedelta(minutes=5)  # the last thing recorded
        with pytest.raises(ValueError):
            second.close_session_as_interrupted(killed)
        assert second.session(current) is not None


def test_an_interrupted_session_can_be_resumed(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path) as first:
        killed = first.start_session(routine_title="r", started_at=T0)
        first.record_step(step(killed, 0))
    with HistoryStore.open(tmp_path) as second:
        resumed = second.resume_session(killed)
        assert (resumed.id, resumed.steps_completed) == (killed, 1)
        assert second.interrupted_sessions() == []
        second.record_step(step(killed, 1))
        second.finish_session(killed, "completed", T0 + timedelta(minutes=9))
        with pytest.raises(ValueError):
            second.resume_session(killed)


def test_a_session_without_events_closes_at_its_start(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path) as first:
        sid = first.start_session(routine_title="r", started_at=T0)
    with HistoryStore.open(tmp_path) as second:
        second.close_session_as_interrupted(sid)
        closed = second.session(sid)
        assert closed is not None and closed.ended_at == T0


def test_symptom_answers_latest_wins(store: HistoryStore) -> None:
    assert store.latest_symptoms() is None
    store.add_symptoms(SymptomAnswers(T0, fever=True, leg_pain_shooting=True))
    latest = SymptomAnswers(T0 + timedelta(days=1), fever=False)
    store.add_symptoms(latest)
    assert store.latest_symptoms() == SymptomAnswers(latest.at, fever=False,
                                                     leg_pain_shooting=True)
    assert store.symptom_history() == [
        SymptomAnswers(T0, fever=True, leg_pain_shooting=True), latest]


def test_symptom_answers_are_kept_as_given(store: HistoryStore) -> None:
    given = [
        SymptomAnswers(T0, source="put_off"),
        SymptomAnswers(T0 + timedelta(days=1), gait_change=True),  # a yes, then the form closed
        SymptomAnswers(T0 + timedelta(days=2), leg_pain_shooting=True, source="this_hurts"),
        SymptomAnswers(T0 + timedelta(days=3), **dict.fromkeys(SYMPTOM_FIELDS, False)),
    ]
    for answers in given:
        store.add_symptoms(answers)
    assert store.symptom_history() == given
    assert store.symptom_history()[1].answered() == ("gait_change",)


def test_confirmations_round_trip(store: HistoryStore) -> None:
    confirmations = [
        CareConfirmation(T0, "urgent_today", "will_contact_today"),
        CareConfirmation(T0 + timedelta(days=1), "urgent_today", "clinician_checked"),
        CareConfirmation(T0 + timedelta(days=2), "emergency", "clinician_checked"),
    ]
    for c in confirmations:
        store.add_confirmation(c)
    assert store.confirmations() == confirmations


def test_an_emergency_cannot_be_started_anyway(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="urgent-today"):
        CareConfirmation(T0, "emergency", "will_contact_today")
    conn = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO care_confirmations (at, level, kind)"
                         " VALUES ('2024-03-04T09:00:00+01:00', 'emergency', 'will_contact_today')")
    finally:
        conn.close()


def test_symptom_table_has_a_column_per_question(store: HistoryStore) -> None:
    conn = other_connection(store.path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(symptom_answers)")]
    finally:
        conn.close()
    assert tuple(columns[:3]) == ("id", "at", "source")
    assert tuple(columns[3:]) == SYMPTOM_FIELDS


def test_banner_events_round_trip(store: HistoryStore) -> None:
    events = [
        BannerEvent(T0, "see_professional", ("Your pain is 2 points above", "ß ✓"), "shown"),
        BannerEvent(T0 + timedelta(minutes=1), "see_professional", (), "dismissed"),
        BannerEvent(T0 + timedelta(days=1), "emergency", ("red flag",), "shown",
                    ("symptom.gait_change",)),
        BannerEvent(T0 + timedelta(days=2), "urgent_today", ("r", "s"), "shown",
                    ("symptom.fever", "getting_worse")),
    ]
    for e in events:
        store.add_banner_event(e)
    assert store.banner_events() == events


def test_import_keeps_pairs_together_and_skips_duplicates(store: HistoryStore) -> None:
    own = store.start_session(routine_title="mine", started_at=T0)
    diary = [
        PainRating(T0 - timedelta(days=10), "before", 5, session_id=own),  # an id from elsewhere
        PainRating(T0 - timedelta(days=10, hours=-1), "after", 7, session_id=own),
        PainRating(T0 - timedelta(days=9), "checkin", 4, "a note"),
        PainRating(T0 - timedelta(days=8), "before", 3, session_id=77),
        PainRating(T0 - timedelta(days=8, hours=-1), "after", 3, session_id=77),
    ]
    assert store.import_ratings(diary) == 5
    assert store.import_ratings(diary) == 0

    ratings = store.ratings()
    assert [(r.at, r.context, r.rating, r.note) for r in ratings] == [
        (r.at, r.context, r.rating, r.note) for r in diary
    ]
    pairs = session_pains(ratings)
    assert [(p.before, p.after) for p in pairs] == [(5, 7), (3, 3)]
    assert own not in {p.session_id for p in pairs}
    imported = [s for s in store.sessions() if s.id in {p.session_id for p in pairs}]
    assert {s.routine_title for s in imported} == {IMPORTED_ROUTINE_TITLE}
    assert {s.outcome for s in imported} == {"completed"}


def test_store_leaves_a_single_file_when_closed(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path) as store:
        store.add_rating(PainRating(T0, "checkin", 1))
    assert [p.name for p in tmp_path.iterdir()] == [DB_FILENAME]
