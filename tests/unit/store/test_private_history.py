"""The history is health data: its folder is 0700; the database, -wal, -shm and backups 0600."""

from __future__ import annotations

import logging
import os
import shutil
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player import private_files
from player.core.history import PainRating
from player.store.db import DB_FILENAME, open_database
from player.store.history import HistoryStore

pytestmark = pytest.mark.skipif(os.name == "nt", reason="file modes mean nothing on Windows")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "db"
NOW = datetime(2024, 5, 1, 10, 15, 30, tzinfo=timezone(timedelta(hours=2)))


def clock() -> datetime:
    return NOW


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def tightened(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == private_files.__name__]


def test_a_new_history_and_its_wal_and_shm_are_0600_in_a_0700_folder(
        umask: int, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, private_files.__name__)
    data = tmp_path / "data"
    with HistoryStore.open(data, clock=clock) as store:
        store.add_rating(PainRating(NOW, "checkin", 3))
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert modes(data) == {DB_FILENAME: 0o600, f"{DB_FILENAME}-wal": 0o600,
                               f"{DB_FILENAME}-shm": 0o600}
    assert tightened(caplog) == []  # made private, not tightened afterwards


def test_the_backup_before_an_upgrade_is_0600(umask: int, tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "history-v1.sqlite3", tmp_path / DB_FILENAME)
    db = open_database(tmp_path, clock=clock)
    try:
        assert db.backup_path is not None
        assert stat.S_IMODE(db.backup_path.stat().st_mode) == 0o600
    finally:
        db.close()


def test_a_history_an_older_version_left_readable_is_tightened_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    with HistoryStore.open(data, clock=clock) as store:
        store.add_rating(PainRating(NOW, "checkin", 3))
    backup = data / f"{DB_FILENAME}.bak-v1-20240101-000000"
    shutil.copyfile(FIXTURES / "history-v1.sqlite3", backup)
    data.chmod(0o755)
    (data / DB_FILENAME).chmod(0o644)
    backup.chmod(0o644)
    caplog.set_level(logging.INFO, private_files.__name__)

    with HistoryStore.open(data, clock=clock) as store:
        assert len(store.ratings()) == 1
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert set(modes(data).values()) == {0o600}  # with the new -wal and -shm
    assert tightened(caplog) == [  # one line each
        f"made {data} private: mode 0755 -> 0700",
        f"made {data / DB_FILENAME} private: mode 0644 -> 0600",
        f"made {backup} private: mode 0644 -> 0600",
    ]

    caplog.clear()
    with HistoryStore.open(data, clock=clock):
        pass
    assert tightened(caplog) == []
