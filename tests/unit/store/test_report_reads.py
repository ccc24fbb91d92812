"""The store's quick reads give the report exactly what the checked, counted reads gave.

The sessions' step counts are stored (schema 7) and the rows are made into records without the
records' checks run again; a reference reader here does it the slow way (every record through
its checked constructor, the counts counted from the step events, the ratings sorted by time
as they always were), and the report, its JSON and the history page's data must be the same.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from player.core import bundled
from player.core.history import (
    BannerEvent,
    HistoryData,
    PainRating,
    Session,
    StepEvent,
    SymptomAnswers,
    routine_file_hash,
    session_pains,
)
from player.core.loader import load_library, load_routine
from player.core.report import report_for
from player.store.history import HistoryStore, _variants, thresholds_from_json

ZONE = ZoneInfo("Europe/London")  # the history crosses two clock changes
ROUTINE = bundled.ROUTINES_DIR / "core-strength.yaml"


def _fill(store: HistoryStore, days: int, seed: int) -> datetime:
    """A few months of use: sessions of a bundled routine (skips, stops, a red-flag stop, one
    left in progress), ratings of every kind with notes, one given late for an earlier time,
    an imported diary, symptom answers and banner events. Returns the moment after it."""
    rng = random.Random(seed)
    routine = load_routine(ROUTINE, load_library()).routine
    assert routine is not None
    digest = routine_file_hash(ROUTINE.read_bytes())
    first = datetime(2024, 2, 1, 7, 0, tzinfo=ZONE)
    for day in range(days):
        start = first + timedelta(days=day, minutes=rng.randint(0, 600))
        if rng.random() < 0.15:  # a day off: a check-in only
            store.add_rating(PainRating(start, "checkin", rng.randint(0, 6)))
            continue
        sid = store.start_session(routine_title=routine.title, started_at=start,
                                  routine_version=routine.version, routine_file_hash=digest,
                                  routine_path=str(ROUTINE), week=day // 7 % 6 + 1,
                                  thresholds=routine.pain_checks.thresholds,
                                  planned_exercise_seconds=600.0)
        store.add_rating(PainRating(start, "before", rng.randint(0, 7), session_id=sid,
                                    note=rng.choice(("", "", "", "stiff"))))
        at = start
        for index in range(rng.randint(3, 9)):
            at += timedelta(seconds=rng.randint(30, 120))
            status = "skipped" if rng.random() < 0.1 else "completed"
            store.record_step(StepEvent(sid, index, f"Step {index}", "exercise", status,
                                        rng.uniform(0, 90), at, 60.0),
                              exercise_seconds_done=rng.uniform(40, 120))
            if rng.random() < 0.05:
                store.add_rating(PainRating(at, "during", rng.randint(2, 8), session_id=sid,
                                            exercise_id=rng.choice(("plank", "bird-dog"))))
        if day == days - 1:
            break  # the last one is still in progress
        outcome = rng.choice(("completed", "completed", "completed", "partly_done", "stopped"))
        if day == days // 2:
            outcome = "stopped_red_flag"
        store.finish_session(sid, outcome, at + timedelta(seconds=30))  # type: ignore[arg-type]
        store.add_rating(PainRating(at + timedelta(minutes=1), "after", rng.randint(0, 8),
                                    session_id=sid, body_area=rng.choice(("", "lower back"))))
        if rng.random() < 0.7:
            store.add_rating(PainRating(start + timedelta(days=1, hours=1), "morning_after",
                                        rng.randint(0, 7), session_id=sid))
        if day % 30 == 3:
            store.add_symptoms(SymptomAnswers(start, fever=False, night_pain=rng.random() < 0.3))
            store.add_banner_event(BannerEvent(start, "see_professional", ("A reason.",),
                                               "shown", ("persisting",)))
    # Given late for a moment before the last ones: the store's order is not time order.
    store.add_rating(PainRating(first + timedelta(days=days - 3, hours=5), "checkin", 3))
    store.import_ratings([PainRating(first - timedelta(days=9), "before", 5, session_id=7),
                          PainRating(first - timedelta(days=9, minutes=-30), "after", 6,
                                     session_id=7),
                          PainRating(first - timedelta(days=8), "checkin", 4, note="diary")])
    return first + timedelta(days=days, hours=12)


def _reference(path: Path) -> tuple[tuple[PainRating, ...], tuple[Session, ...]]:
    """Ratings and sessions read the slow way: checked constructors, counted step events
    (and the ratings as stored were not in time order, so their sort is tested too)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        ratings = [
            PainRating(datetime.fromisoformat(at), context, rating, note, area, sid, exercise)
            for at, context, rating, note, area, sid, exercise in conn.execute(
                "SELECT at, context, rating, note, body_area, session_id, exercise_id"
                " FROM pain_ratings ORDER BY id")]
        assert ratings != sorted(ratings, key=lambda r: r.at)
        ratings.sort(key=lambda r: r.at)
        sessions = [
            Session(sid, title, version, digest, datetime.fromisoformat(started),
                    None if ended is None else datetime.fromisoformat(ended), outcome,
                    completed, skipped, routine_path, week, thresholds_from_json(thresholds),
                    _variants(variants), current_step, elapsed, planned, done)
            for (sid, title, version, digest, started, ended, outcome, completed, skipped,
                 routine_path, week, thresholds, variants, current_step, elapsed, planned,
                 done) in conn.execute("""
                SELECT s.id, s.routine_title, s.routine_version, s.routine_file_hash,
                       s.started_at, s.ended_at, s.outcome,
                       (SELECT count(*) FROM step_events AS e
                        WHERE e.session_id = s.id AND e.status = 'completed'),
                       (SELECT count(*) FROM step_events AS e
                        WHERE e.session_id = s.id AND e.status = 'skipped'),
                       s.routine_path, s.week, s.thresholds, s.variants, s.current_step,
                       s.current_elapsed, s.planned_exercise_seconds, s.done_exercise_seconds
                FROM sessions AS s ORDER BY s.id""")]
    finally:
        conn.close()
    return tuple(ratings), tuple(sessions)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_quick_reads_give_the_same_report_as_the_checked_reads(tmp_path: Path,
                                                                   seed: int) -> None:
    with HistoryStore.open(tmp_path) as store:
        now = _fill(store, 150, seed)
        quick = store.snapshot()
        path = store.path
    ratings, sessions = _reference(path)
    assert quick.ratings == ratings
    assert quick.sessions == sessions
    assert [type(s) for s in quick.sessions] == [Session] * len(sessions)
    assert sum(s.steps_skipped or 0 for s in sessions) > 0
    reference = HistoryData(ratings, sessions, quick.symptoms, quick.banner_events,
                            quick.symptom_history, quick.confirmations)
    library = load_library()
    candidates = bundled.bundled_routines()
    fast = report_for(quick, now, candidates, library=library)
    slow = report_for(reference, now, candidates, library=library)
    assert fast.routine is not None and fast.adherence is not None  # measured, not skipped
    assert json.dumps(fast.to_json(), indent=2) == json.dumps(slow.to_json(), indent=2)
    assert fast.sessions == slow.sessions
    assert session_pains(fast.ratings) == session_pains(slow.ratings)
    # The care rules sort ratings they are not given in time order: the same answer.
    shuffled = list(ratings)
    random.Random(seed).shuffle(shuffled)
    unsorted = report_for(HistoryData(tuple(shuffled), sessions, quick.symptoms,
                                      quick.banner_events, quick.symptom_history,
                                      quick.confirmations), now, candidates, library=library)
    assert json.dumps(unsorted.to_json()) == json.dumps(slow.to_json())


def test_a_row_the_quick_read_cannot_trust_is_refused_as_before(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path) as store:
        store.add_rating(PainRating(datetime(2024, 3, 1, 9, tzinfo=ZONE), "checkin", 3))
        conn = sqlite3.connect(store.path)
        try:
            conn.execute("UPDATE pain_ratings SET at = '2024-03-01T09:00:00'")  # no offset
            conn.commit()
        finally:
            conn.close()
        with pytest.raises(ValueError, match="UTC offset"):
            store.ratings()
