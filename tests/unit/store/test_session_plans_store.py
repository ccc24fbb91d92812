"""What a stored session remembers of its plan: file, week, thresholds, variants, progress."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.history import PainRating, StepEvent
from player.store.db import DB_FILENAME, migrate
from player.store.history import HistoryStore, thresholds_from_json, thresholds_json

CET = timezone(timedelta(hours=1))
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=CET)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path) as opened:
        yield opened


def test_a_session_keeps_what_it_played(store: HistoryStore) -> None:
    strict = CareThresholds(worsening_points=1, severe_count=1)
    sid = store.start_session(routine_title="Core", started_at=T0, routine_file_hash="h",
                              routine_path="/home/r/core.yaml", week=5, thresholds=strict,
                              planned_exercise_seconds=600.0)
    stored = store.session(sid)
    assert stored is not None
    assert (stored.routine_path, stored.week, stored.thresholds) == ("/home/r/core.yaml", 5, strict)
    assert stored.planned_exercise_seconds == 600.0
    assert stored.variants == () and stored.current_step is None


def test_progress_and_variants_are_saved_and_cleared_by_the_next_step(
        store: HistoryStore) -> None:
    sid = store.start_session(routine_title="Core", started_at=T0)
    store.record_progress(sid, 4, 12.5)
    store.record_variants(sid, [(6, "knee-plank"), (4, "knee-plank")])
    stored = store.session(sid)
    assert stored is not None
    assert (stored.current_step, stored.current_elapsed) == (4, 12.5)
    assert stored.variants == ((4, "knee-plank"), (6, "knee-plank"))

    store.record_step(StepEvent(sid, 4, "Plank", "exercise", "completed", 30.0, T0, 30.0),
                      exercise_seconds_done=30.0)
    stored = store.session(sid)
    assert stored is not None
    assert (stored.current_step, stored.current_elapsed) == (None, 0.0)
    assert stored.done_exercise_seconds == 30.0


def test_finishing_clears_the_step_in_progress(store: HistoryStore) -> None:
    sid = store.start_session(routine_title="Core", started_at=T0)
    store.record_progress(sid, 2, 3.0)
    store.finish_session(sid, "partly_done", T0 + timedelta(minutes=5))
    stored = store.session(sid)
    assert stored is not None
    assert (stored.outcome, stored.current_step) == ("partly_done", None)


def test_bad_progress_is_refused(store: HistoryStore) -> None:
    sid = store.start_session(routine_title="Core", started_at=T0)
    with pytest.raises(ValueError):
        store.record_progress(sid, -1, 0.0)
    with pytest.raises(ValueError):
        store.record_step(StepEvent(sid, 0, "Plank", "exercise", "completed", 1.0, T0),
                          exercise_seconds_done=-1.0)


def test_a_rating_keeps_its_exercise(store: HistoryStore) -> None:
    sid = store.start_session(routine_title="Core", started_at=T0)
    store.add_rating(PainRating(T0, "during", 5, session_id=sid, exercise_id="side-plank"))
    assert [r.exercise_id for r in store.ratings()] == ["side-plank"]


@pytest.mark.parametrize("text", [
    "", "not json", "[]", '{"worsening_points": "2"}', '{"worsening_points": true}',
    # Looser than the cited default, or below a threshold's minimum: never trusted.
    '{"worsening_points": 99}', '{"severe_count": 0}',
])
def test_unreadable_or_loose_thresholds_are_not_trusted(text: str) -> None:
    assert thresholds_from_json(text) is None


def test_thresholds_round_trip() -> None:
    strict = CareThresholds(persisting_level=3)
    assert thresholds_from_json(thresholds_json(strict)) == strict
    assert thresholds_from_json(thresholds_json(DEFAULT_THRESHOLDS)) == DEFAULT_THRESHOLDS
    assert thresholds_json(None) == ""


def test_the_upgrade_judges_old_completed_sessions_by_their_steps(tmp_path: Path) -> None:
    """A session stored as completed with exercises skipped becomes partly done, and its
    exercise time done is what its exercise steps did (never more than planned)."""
    path = tmp_path / DB_FILENAME
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    conn.executescript("""
        INSERT INTO sessions VALUES (1, 'Core', '', '', '2024-03-04T09:00:00+01:00',
                                     '2024-03-04T09:30:00+01:00', 'completed');
        INSERT INTO sessions VALUES (2, 'Core', '', '', '2024-03-05T09:00:00+01:00',
                                     '2024-03-05T09:30:00+01:00', 'completed');
        INSERT INTO step_events (session_id, step_index, step_name, kind, status,
                                 planned_seconds, actual_seconds, at) VALUES
            (1, 0, 'Plank', 'exercise', 'completed', 30, 31, '2024-03-04T09:01:00+01:00'),
            (1, 1, 'Rest', 'rest', 'completed', 30, 30, '2024-03-04T09:02:00+01:00'),
            (1, 2, 'Bridge', 'exercise', 'skipped', 60, 4, '2024-03-04T09:02:04+01:00'),
            (2, 0, 'Plank', 'exercise', 'completed', 30, 30, '2024-03-05T09:01:00+01:00'),
            (2, 1, 'Bird-dog', 'exercise', 'completed', NULL, 45, '2024-03-05T09:02:00+01:00');
        INSERT INTO pain_ratings (at, context, rating, session_id) VALUES
            ('2024-03-04T09:31:00+01:00', 'after', 3, 1);
    """)
    conn.close()
    with HistoryStore.open(tmp_path) as store:
        first, second = store.sessions()
        assert (first.outcome, first.done_exercise_seconds) == ("partly_done", 34.0)
        assert (second.outcome, second.done_exercise_seconds) == ("completed", 75.0)
        assert first.planned_exercise_seconds is None and first.done_share is None
        assert [(r.session_id, r.exercise_id) for r in store.ratings()] == [(1, "")]
        assert len(store.steps(1)) == 3  # the rebuild did not cascade to the steps
