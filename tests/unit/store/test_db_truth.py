"""The history database tells the truth: an edited schema is damage, a full disk and a denied
permission say so, with the path, and nothing already recorded is lost."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.history import PainRating
from player.store import db as db_module
from player.store.db import (
    DB_FILENAME,
    SCHEMA_VERSION,
    StoreError,
    expected_columns,
    explain,
    open_database,
    schema_problem,
    table_columns,
    user_version,
)
from player.store.history import HistoryStore
from tests.tiny_fs import fill, tiny_filesystem

NOW = datetime(2024, 5, 1, 10, 15, 30, tzinfo=timezone(timedelta(hours=2)))
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "db"


def clock() -> datetime:
    return NOW


def rating(i: int) -> PainRating:
    return PainRating(NOW + timedelta(minutes=i), "checkin", i % 11, note=f"note {i}")


def make_history(data_dir: Path, ratings: int = 5) -> Path:
    with HistoryStore.open(data_dir, clock=clock) as store:
        for i in range(ratings):
            store.add_rating(rating(i))
        return store.path


def edit(path: Path, *statements: str) -> bytes:
    """Change the file as someone with the sqlite3 shell would; returns its bytes after."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return path.read_bytes()


# --- A schema that does not match is a damaged history -------------------------------------------


@pytest.mark.parametrize(("statements", "said"), [
    (("ALTER TABLE pain_ratings DROP COLUMN note",), "the table pain_ratings has no column note"),
    (("DROP TABLE care_confirmations",), "the table care_confirmations is missing"),
    (("ALTER TABLE sessions RENAME COLUMN week TO wk",), "the table sessions has no column week"),
    (("CREATE TABLE skin_rechecks_new (id INTEGER PRIMARY KEY, at TEXT NOT NULL, normal TEXT)",
      "DROP TABLE skin_rechecks",
      "ALTER TABLE skin_rechecks_new RENAME TO skin_rechecks"),
     "the columns of the table skin_rechecks are not the ones this version made"),
])
def test_an_edited_schema_is_kept_aside_like_a_corrupt_file(
        tmp_path: Path, statements: tuple[str, ...], said: str) -> None:
    path = make_history(tmp_path)
    edited = edit(path, *statements)
    with HistoryStore.open(tmp_path, clock=clock) as store:
        aside = tmp_path / f"{DB_FILENAME}.corrupt-20240501-101530"
        assert aside.read_bytes() == edited  # kept, byte for byte, never deleted
        assert len(store.notices) == 1
        notice = store.notices[0]
        assert notice.startswith("Your history file is damaged and could not be read")
        assert said in notice and str(aside) in notice
        assert "A new, empty history has been started." in notice
        # The fresh history records what the edited one would have silently lost.
        session = store.start_session(routine_title="Morning", started_at=NOW, week=2)
        store.add_rating(PainRating(NOW, "before", 3, session_id=session))
        assert [s.week for s in store.sessions()] == [2]
        assert len(store.ratings()) == 1


def test_the_notice_for_an_edited_schema_is_the_one_for_a_corrupt_file(tmp_path: Path) -> None:
    edited_dir, corrupt_dir = tmp_path / "edited", tmp_path / "corrupt"
    edit(make_history(edited_dir), "DROP TABLE banner_events")
    corrupt_dir.mkdir()
    (corrupt_dir / DB_FILENAME).write_bytes(b"not a database" * 500)
    notices = []
    for folder in (edited_dir, corrupt_dir):
        db = open_database(folder, clock=clock)
        notices.append(db.notices[0].replace(str(folder), "FOLDER"))
        db.close()
    edited, corrupt = (re.sub(r"\([^)]*\)", "(WHY)", n, count=1) for n in notices)
    assert edited == corrupt


def test_tables_the_app_does_not_know_are_left_alone(tmp_path: Path) -> None:
    path = make_history(tmp_path)
    edit(path, "CREATE TABLE my_own_notes (at TEXT, text TEXT)")
    with HistoryStore.open(tmp_path, clock=clock) as store:
        assert store.notices == ()
        assert len(store.ratings()) == 5
    assert list(tmp_path.glob(f"{DB_FILENAME}.corrupt-*")) == []


def test_an_older_history_with_a_column_missing_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    shutil.copyfile(FIXTURES / "history-v3.sqlite3", path)
    edited = edit(path, "ALTER TABLE pain_ratings DROP COLUMN body_area")
    db = open_database(tmp_path, clock=clock)
    try:
        assert db.backup_path is None  # the damaged file was not "upgraded" first
        assert db.set_aside is not None and db.set_aside.read_bytes() == edited
        assert "the table pain_ratings has no column body_area" in db.notices[0]
        assert user_version(db.connection) == SCHEMA_VERSION
    finally:
        db.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_shipped_older_schema_matches_what_its_migrations_make(version: int) -> None:
    conn = sqlite3.connect(FIXTURES / f"history-v{version}.sqlite3")
    try:
        assert user_version(conn) == version
        assert schema_problem(conn, version) is None
    finally:
        conn.close()


def test_the_expected_schema_is_the_one_a_new_history_gets(tmp_path: Path) -> None:
    db = open_database(tmp_path, clock=clock)
    try:
        assert table_columns(db.connection) == expected_columns(SCHEMA_VERSION)
        assert "sessions" in expected_columns(SCHEMA_VERSION)
    finally:
        db.close()


# --- Disk full and permission denied say so -------------------------------------------------------


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # what the sqlite3 module sets on a real error
    return exc


def test_a_full_disk_is_named_with_the_folder(tmp_path: Path) -> None:
    error = explain(sqlite_error("database or disk is full", sqlite3.SQLITE_FULL),
                    "save your pain rating", tmp_path / DB_FILENAME)
    assert str(error) == (
        f"Could not save your pain rating: the disk is full ({tmp_path}). Free some space and "
        "try again. Everything saved before is kept.")
    assert "\n" not in str(error)


def test_an_io_error_on_a_nearly_full_disk_is_a_full_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shm_size = sqlite3.SQLITE_IOERR | (19 << 8)  # SQLITE_IOERR_SHMSIZE, as on a full tmpfs
    exc = sqlite_error("disk I/O error", shm_size)
    path = tmp_path / DB_FILENAME
    assert "the disk reported an error" in str(explain(exc, "open your history", path))
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(db_module.shutil, "disk_usage",
                        lambda _folder: usage._replace(free=4096))
    assert "the disk is full" in str(explain(exc, "open your history", path))


@pytest.mark.parametrize("code", [sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM,
                                  sqlite3.SQLITE_CANTOPEN])
def test_permission_denied_is_said_with_the_path(tmp_path: Path, code: int) -> None:
    path = tmp_path / DB_FILENAME
    written = explain(sqlite_error("attempt to write a readonly database", code),
                      "save the step you just finished", path)
    assert str(written).startswith("Could not save the step you just finished: permission "
                                   "denied: the history file or its folder cannot be written to")
    assert f"({path})" in str(written)
    read = explain(sqlite_error("unable to open database file", code), "read your history",
                   path, writing=False)
    assert "permission denied: the history file cannot be read" in str(read)
    assert f"({path})" in str(read) and "Nothing was changed." in str(read)


def test_a_failure_while_recording_the_check_is_a_plain_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_conn: sqlite3.Connection, _today: object) -> None:
        raise sqlite_error("database or disk is full", sqlite3.SQLITE_FULL)

    monkeypatch.setattr(db_module, "_record_integrity_check", full)
    with pytest.raises(StoreError, match="the disk is full"):
        open_database(tmp_path, clock=clock)


# --- A real, tiny, full file system -----------------------------------------------------------


def test_a_real_full_disk_says_so_and_loses_nothing(tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "tiny") as tiny:
        data = tiny / "data"
        make_history(data, ratings=20)
        filler = fill(tiny)
        with pytest.raises(StoreError) as opening:  # SQLite says "disk I/O error" here
            HistoryStore.open(data, clock=clock)
        assert "the disk is full" in str(opening.value)
        assert str(data) in str(opening.value)
        filler.unlink()
        with HistoryStore.open(data, clock=clock) as store:
            saved = len(store.ratings())
            fill(tiny)
            with pytest.raises(StoreError) as saving:
                for i in range(10_000):
                    store.add_rating(rating(100 + i))
                    saved += 1
            assert "Could not save your pain rating: the disk is full" in str(saving.value)
        (tiny / "filler").unlink()
        with HistoryStore.open(data, clock=clock) as store:
            assert len(store.ratings()) == saved >= 20
