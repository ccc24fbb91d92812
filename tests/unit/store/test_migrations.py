"""Migrations: from a fixture database of every older version, one transaction each."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.breaks import DeskBreak
from player.core.history import BannerEvent, CareConfirmation, PainRating
from player.store import db as db_module
from player.store.db import (
    DB_FILENAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    migrate,
    open_database,
    run_script,
    user_version,
)
from player.store.history import HistoryStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "db"
NOW = datetime(2024, 5, 1, 10, 15, 30, tzinfo=timezone(timedelta(hours=2)))


def clock() -> datetime:
    return NOW


def fixture_versions() -> list[int]:
    files = FIXTURES.glob("history-v*.sqlite3")
    return sorted(int(p.stem.removeprefix("history-v")) for p in files)


def copy_fixture(version: int, data_dir: Path) -> Path:
    data_dir.mkdir(exist_ok=True)
    target = data_dir / DB_FILENAME
    shutil.copyfile(FIXTURES / f"history-v{version}.sqlite3", target)
    return target


def schema(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        return set(rows)
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_older_version() -> None:
    assert fixture_versions() == list(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", fixture_versions())
def test_old_history_is_upgraded_with_everything_kept(version: int, tmp_path: Path) -> None:
    copy_fixture(version, tmp_path)
    with HistoryStore.open(tmp_path, clock=clock) as store:
        assert store.notices == ()
        sessions = store.sessions()
        later = version >= 6  # version 6's sample adds a session stopped for a red flag
        assert [(s.id, s.outcome) for s in sessions] == [
            (1, "completed"),
            (2, "stopped"),
            (3, "in_progress"),
            *([(4, "stopped_red_flag")] if later else []),
        ]
        assert [(s.steps_completed, s.steps_skipped) for s in sessions] == [
            (3, 0), (1, 1), (1, 0), *([(1, 1)] if later else [])]
        assert [s.routine_title for s in sessions] == [
            "Core basics", "Core basics", "Stretches", *(["Core basics"] if later else [])]
        assert sessions[2].started_at.utcoffset() == timedelta(hours=2)

        ratings = store.ratings()
        assert [(r.context, r.rating, r.session_id) for r in ratings] == [
            ("before", 4, 1),
            ("after", 3, 1),
            *([("morning_after", 3, 1)] if version >= 4 else []),
            ("checkin", 4, None),
            ("before", 5, 2),
            ("during", 6, 2),
            ("before", 3, 3),
        ]
        assert ratings[0].note == "stiff, after sitting"
        assert ratings[0].body_area == "lower back"
        assert ratings[-1].note == "ünïcödé ✓"

        steps = store.steps(1)
        assert [s.step_name for s in steps] == ["Warm-up walk", "Glute bridge", "Rest"]
        assert steps[1].actual_seconds == 62.5
        assert store.steps(3)[0].planned_seconds is None

        symptoms = store.latest_symptoms()
        assert symptoms is not None and symptoms.yes() == ("leg_pain_shooting",)
        # Answered as given: the questions version 2 added were not asked then.
        assert set(symptoms.answered()) == {
            "bladder_bowel", "saddle_numbness", "leg_weakness", "serious_fall", "fever",
            "cancer_history", "weight_loss", "leg_pain_shooting", "cannot_stand_straight",
            *(["night_pain"] if version >= 4 else [])}
        assert [a.source for a in store.symptom_history()] == ["form"] * (2 if version >= 4 else 1)

        assert [s.id for s in store.interrupted_sessions()] == [3]

        # Tables added by later migrations work.
        events = len(store.banner_events())
        assert events == {1: 0, 2: 1, 3: 2}.get(version, 3)
        store.add_banner_event(BannerEvent(NOW, "see_professional", ("a reason",), "shown"))
        assert len(store.banner_events()) == events + 1
        store.add_rating(PainRating(NOW, "checkin", 2))
        store.add_rating(PainRating(NOW, "morning_after", 3, session_id=2))
        assert store.ratings()[-1].context == "morning_after"
        app = store.start_thermal("heat", NOW, session_id=3, step_index=0)
        store.record_skin_check(app, "normal", NOW)
        assert [a.skin for a in store.thermal_applications()] == \
            ["normal"] * (2 if version >= 4 else 1)
        kept = len(store.desk_breaks())
        assert kept == (2 if version >= 5 else 0)
        store.add_desk_break(DeskBreak(NOW, "taken"))
        assert store.desk_breaks()[-1] == DeskBreak(NOW, "taken")
        assert len(store.desk_breaks()) == kept + 1
        # Migration 6: a session can be recorded as stopped for a red flag.
        store.finish_session(3, "stopped_red_flag", NOW)
        assert store.session(3) is not None and store.session(3).outcome == "stopped_red_flag"


def test_version_1_urgent_banner_events_become_emergency(tmp_path: Path) -> None:
    copy_fixture(3, tmp_path)
    with HistoryStore.open(tmp_path, clock=clock) as store:
        events = store.banner_events()
        assert [e.level for e in events] == ["see_professional", "emergency"]
        assert events[1].reasons == ("You reported back pain and a history of cancer.",)
        assert events[1].codes == ()
        store.add_confirmation(CareConfirmation(NOW, "urgent_today", "clinician_checked"))
        assert len(store.confirmations()) == 1


def test_a_version_3_history_keeps_what_its_sessions_played(tmp_path: Path) -> None:
    copy_fixture(3, tmp_path)
    with HistoryStore.open(tmp_path, clock=clock) as store:
        first = store.session(1)
        assert first is not None
        assert (first.routine_path, first.week, first.variants) == (
            "/home/r/core.yaml", 2, ((1, "knee-plank"),))
        assert first.thresholds is not None and first.thresholds.severe_count == 1
        assert (first.planned_exercise_seconds, first.done_exercise_seconds) == (360.0, 362.5)
        resumable = store.session(3)
        assert resumable is not None
        assert (resumable.current_step, resumable.current_elapsed) == (1, 12.5)
        assert [r.exercise_id for r in store.ratings() if r.context == "during"] == ["plank"]


def test_a_version_5_history_keeps_every_column_of_its_sessions(tmp_path: Path) -> None:
    """Migration 6 rebuilds the sessions table: what each session played, how far it got and
    its exercise time survive, and the rows referring to sessions still do."""
    copy_fixture(5, tmp_path)
    with HistoryStore.open(tmp_path, clock=clock) as store:
        first = store.session(1)
        assert first is not None
        assert (first.routine_path, first.week, first.variants) == (
            "/home/r/core.yaml", 2, ((1, "knee-plank"),))
        assert first.thresholds is not None and first.thresholds.severe_count == 1
        assert (first.planned_exercise_seconds, first.done_exercise_seconds) == (360.0, 362.5)
        resumable = store.session(3)
        assert resumable is not None
        assert (resumable.current_step, resumable.current_elapsed) == (1, 12.5)
        assert [a.session_id for a in store.thermal_applications()] == [1]
        assert [s.step_name for s in store.steps(2)] == ["Warm-up walk", "Plank"]


def test_an_unknown_outcome_is_still_refused_after_migration_6(tmp_path: Path) -> None:
    copy_fixture(5, tmp_path)
    HistoryStore.open(tmp_path, clock=clock).close()
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE sessions SET outcome = 'abandoned' WHERE id = 1")
        conn.execute("UPDATE sessions SET outcome = 'stopped_red_flag' WHERE id = 1")
    finally:
        conn.close()


@pytest.mark.parametrize("version", fixture_versions())
def test_stored_step_counts_are_kept_by_every_write_of_a_step(version: int,
                                                              tmp_path: Path) -> None:
    """Migration 7 counts each session's steps into the sessions table; from then on the
    triggers keep the counts equal to a count of the step events, whatever writes them."""
    copy_fixture(version, tmp_path)
    HistoryStore.open(tmp_path, clock=clock).close()
    counted = """
        SELECT s.id, s.steps_completed, s.steps_skipped,
               (SELECT count(*) FROM step_events AS e
                WHERE e.session_id = s.id AND e.status = 'completed'),
               (SELECT count(*) FROM step_events AS e
                WHERE e.session_id = s.id AND e.status = 'skipped')
        FROM sessions AS s ORDER BY s.id"""
    conn = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    try:
        def stored_and_counted() -> list[tuple[int, ...]]:
            rows = conn.execute(counted).fetchall()
            assert [(sid, a, b) for sid, a, b, _c, _d in rows] == \
                [(sid, c, d) for sid, _a, _b, c, d in rows]
            return [(sid, a, b) for sid, a, b, _c, _d in rows]

        assert stored_and_counted()[:3] == [(1, 3, 0), (2, 1, 1), (3, 1, 0)]
        conn.execute(
            "INSERT INTO step_events (session_id, step_index, step_name, kind, status,"
            " actual_seconds, at) VALUES (3, 1, 'Plank', 'exercise', 'skipped', 2,"
            " '2024-04-01T07:01:00+02:00')")
        assert stored_and_counted()[2] == (3, 1, 1)
        conn.execute("UPDATE step_events SET status = 'completed' WHERE step_name = 'Plank'"
                     " AND session_id = 3")
        assert stored_and_counted()[2] == (3, 2, 0)
        conn.execute("UPDATE step_events SET session_id = 2 WHERE session_id = 3"
                     " AND step_index = 1")
        assert stored_and_counted()[1:3] == [(2, 2, 1), (3, 1, 0)]
        conn.execute("DELETE FROM step_events WHERE session_id = 1 AND step_index = 0")
        assert stored_and_counted()[0] == (1, 2, 0)
    finally:
        conn.close()


@pytest.mark.parametrize("version", fixture_versions())
def test_a_backup_is_made_before_upgrading(version: int, tmp_path: Path) -> None:
    copy_fixture(version, tmp_path)
    db = open_database(tmp_path, clock=clock)
    try:
        assert db.version_found == version
        assert db.backup_path == tmp_path / f"{DB_FILENAME}.bak-v{version}-20240501-101530"
    finally:
        db.close()
    backup = sqlite3.connect(db.backup_path)
    try:
        assert user_version(backup) == version
        assert backup.execute("SELECT count(*) FROM pain_ratings").fetchone()[0] == \
            (7 if version >= 4 else 6)
    finally:
        backup.close()


@pytest.mark.parametrize("version", fixture_versions())
def test_upgraded_schema_is_the_same_as_a_new_one(version: int, tmp_path: Path) -> None:
    upgraded = copy_fixture(version, tmp_path / "old")
    open_database(upgraded.parent, clock=clock).close()
    open_database(tmp_path / "new", clock=clock).close()
    assert schema(upgraded) == schema(tmp_path / "new" / DB_FILENAME)


def test_a_failing_migration_leaves_the_last_good_version(tmp_path: Path) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    path = copy_fixture(1, tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, SCHEMA_VERSION + 1, (*MIGRATIONS, broken))
        assert user_version(conn) == SCHEMA_VERSION
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables
        assert "banner_events" in tables
        assert not conn.in_transaction
    finally:
        conn.close()


def test_a_failed_upgrade_says_where_the_backup_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    copy_fixture(1, tmp_path)
    with pytest.raises(StoreError) as caught:
        open_database(tmp_path, clock=clock)
    assert "Could not upgrade your history" in str(caught.value)
    assert "bak-v1-20240501-101530" in str(caught.value)


def test_run_script_keeps_triggers_whole() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        run_script(
            conn,
            """
            CREATE TABLE t (x);
            CREATE TABLE log (x);
            CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
                INSERT INTO log VALUES (new.x);
                INSERT INTO log VALUES (new.x + 1);
            END;
            INSERT INTO t VALUES (1);
            """,
        )
        assert conn.execute("SELECT x FROM log ORDER BY x").fetchall() == [(1,), (2,)]
        with pytest.raises(ValueError, match="incomplete"):
            run_script(conn, "CREATE TABLE u (x)")
    finally:
        conn.close()
