"""``report`` and ``history export`` only read: the history is opened read-only, never created,
migrated or moved, so they work in a folder that cannot be written and while the app is open."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.app import main
from player.core.history import PainRating
from player.store.db import DB_FILENAME, SCHEMA_VERSION, open_read_only, user_version
from player.store.history import HistoryStore
from tests.permissions import read_only

NOW = datetime(2024, 3, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
READ_ONLY_COMMANDS = (("report",), ("report", "--json"), ("history", "export"))


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def make_history(data_dir: Path, ratings: int = 3) -> None:
    with HistoryStore.open(data_dir) as store:
        for i in range(ratings):
            store.add_rating(PainRating(NOW - timedelta(days=i), "checkin", 2 + i, note=f"n{i}"))


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS)
def test_without_a_history_they_say_so_and_create_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    data = tmp_path / "never-made"
    assert run(data, *args) == 0
    err = capsys.readouterr().err
    assert err == (f"routine-player: there is no history yet in {data}: it starts with your "
                   "first session or daily check-in\n")
    assert not data.exists()


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS)
def test_they_change_nothing_and_leave_no_files_behind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    make_history(tmp_path)
    before = snapshot(tmp_path)
    assert run(tmp_path, *args) == 0
    assert "n0" in capsys.readouterr().out or args[0] == "report"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS)
def test_they_work_in_a_folder_that_cannot_be_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    make_history(tmp_path)
    before = snapshot(tmp_path)
    with read_only(tmp_path, tmp_path / DB_FILENAME):
        assert run(tmp_path, *args) == 0
    out, err = capsys.readouterr()
    assert err == "" and out
    assert snapshot(tmp_path) == before


def test_they_read_what_the_open_app_has_saved_without_disturbing_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with HistoryStore.open(tmp_path) as app:  # the app, with its write-ahead log in use
        session = app.start_session(routine_title="Morning", started_at=NOW)
        app.add_rating(PainRating(NOW, "before", 4, note="live", session_id=session))
        assert (tmp_path / f"{DB_FILENAME}-wal").exists()
        assert run(tmp_path, "history", "export") == 0
        assert "live" in capsys.readouterr().out
        assert run(tmp_path, "report", "--json") == 0
        app.add_rating(PainRating(NOW, "after", 3, note="after the report", session_id=session))
        app.finish_session(session, "completed", NOW + timedelta(minutes=20))
    assert run(tmp_path, "history", "export") == 0
    assert "after the report" in capsys.readouterr().out


def test_an_older_history_is_read_through_a_migrated_copy_in_memory(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(FIXTURES / "history-v1.sqlite3", tmp_path / DB_FILENAME)
    before = snapshot(tmp_path)
    database = open_read_only(tmp_path)
    assert database is not None
    try:
        assert database.version_found == 1
        assert user_version(database.connection) == SCHEMA_VERSION
    finally:
        database.close()
    assert run(tmp_path, "history", "export") == 0
    assert capsys.readouterr().out.count("\n") > 1
    assert snapshot(tmp_path) == before  # no backup, no migration, no journal


def test_an_edited_schema_is_reported_not_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    make_history(tmp_path)
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    conn.execute("ALTER TABLE pain_ratings DROP COLUMN note")
    conn.commit()
    conn.close()
    before = snapshot(tmp_path)
    assert run(tmp_path, "report") == 1
    err = capsys.readouterr().err
    assert "is damaged (the table pain_ratings has no column note); nothing was changed" in err
    assert err.count("\n") == 1
    assert snapshot(tmp_path) == before


def test_a_history_that_cannot_be_read_is_permission_denied(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.name == "nt":
        pytest.skip("file modes work differently on Windows")
    make_history(tmp_path)
    path = tmp_path / DB_FILENAME
    path.chmod(0o000)
    try:
        with read_only():
            assert run(tmp_path, "history", "export") == 1
    finally:
        path.chmod(0o600)
    err = capsys.readouterr().err
    assert err == (f"routine-player: Could not open your history: permission denied: the "
                   f"history file cannot be read ({path}). Check that you may read it and its "
                   "folder. Nothing was changed.\n")


def test_import_still_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    diary = tmp_path / "diary.csv"
    diary.write_text("timestamp,context,rating,note,session\n"
                     "2024-03-04T09:00:00+01:00,checkin,4,,\n", encoding="utf-8")
    assert run(tmp_path / "d", "history", "import", str(diary)) == 0
    assert "imported 1 rating" in capsys.readouterr().out


def test_a_newer_history_is_named_and_left_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    make_history(tmp_path)
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = snapshot(tmp_path)
    assert run(tmp_path, "report") == 1
    assert capsys.readouterr().err.startswith(
        "routine-player: This history was written by a newer version of Routine Player; "
        "nothing was changed.")
    assert snapshot(tmp_path) == before


def test_a_read_that_is_refused_is_said_as_reading(tmp_path: Path) -> None:
    import sqlite3

    from player.store.db import StoreError

    make_history(tmp_path)
    store = HistoryStore.open_read_only(tmp_path)
    assert store is not None
    with store:
        refused = sqlite3.OperationalError("unable to open database file")
        refused.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN
        with pytest.raises(StoreError) as caught, store._saving("read your history"):
            raise refused
        assert "permission denied: the history file cannot be read" in str(caught.value)
        with pytest.raises(StoreError, match="permission denied"):
            store.add_rating(PainRating(NOW, "checkin", 1))  # nothing can be written
    again = HistoryStore.open_read_only(tmp_path)
    assert again is not None
    with again:
        assert len(again.ratings()) == 3
