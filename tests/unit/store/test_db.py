"""Opening the history database: fresh, damaged, newer, foreign, read-only and full."""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.history import PainRating
from player.store.db import (
    DB_FILENAME,
    INTEGRITY_CHECK_DAYS,
    INTEGRITY_CHECKED_KEY,
    READER_VERSION_KEY,
    SCHEMA_VERSION,
    NewerHistoryError,
    OpenedDatabase,
    StoreError,
    app_version,
    open_database,
    user_version,
)
from player.store.history import HistoryStore

NOW = datetime(2024, 5, 1, 10, 15, 30, tzinfo=timezone(timedelta(hours=2)))


def clock() -> datetime:
    return NOW


def opened(data_dir: Path) -> OpenedDatabase:
    return open_database(data_dir, clock=clock)


def rating(i: int) -> PainRating:
    return PainRating(NOW + timedelta(minutes=i), "checkin", i % 11, note=f"note {i} " * 20)


def make_history(data_dir: Path, ratings: int = 5) -> Path:
    """A real history with *ratings* check-ins, closed cleanly; returns the file."""
    with HistoryStore(opened(data_dir)) as store:
        for i in range(ratings):
            store.add_rating(rating(i))
        return store.path


def count_ratings(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM pain_ratings").fetchone()[0])
    finally:
        conn.close()


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --- Fresh and ordinary opens ------------------------------------------------------------------


def test_fresh_database_has_the_latest_schema_and_pragmas(tmp_path: Path) -> None:
    db = opened(tmp_path / "data")
    try:
        conn = db.connection
        assert db.path == tmp_path / "data" / DB_FILENAME
        assert db.version_found == 0
        assert (db.backup_path, db.set_aside, db.notices) == (None, None, ())
        assert user_version(conn) == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        db.close()


def test_reopening_keeps_data_and_makes_no_backup(tmp_path: Path) -> None:
    make_history(tmp_path)
    db = opened(tmp_path)
    try:
        assert db.version_found == SCHEMA_VERSION
        assert db.backup_path is None
    finally:
        db.close()
    assert count_ratings(tmp_path / DB_FILENAME) == 5
    assert files_in(tmp_path) == {DB_FILENAME}


def test_empty_file_is_treated_as_a_new_history(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"")
    db = opened(tmp_path)
    try:
        assert db.notices == ()
        assert user_version(db.connection) == SCHEMA_VERSION
    finally:
        db.close()


# --- Damaged files: kept aside, never overwritten -----------------------------------------------


def assert_set_aside(tmp_path: Path, db: OpenedDatabase, label: str, original: bytes) -> None:
    assert db.set_aside == tmp_path / f"{DB_FILENAME}.{label}-20240501-101530"
    assert db.set_aside.read_bytes() == original
    assert len(db.notices) == 1
    assert str(db.set_aside) in db.notices[0]
    assert "new, empty history" in db.notices[0]
    assert user_version(db.connection) == SCHEMA_VERSION
    assert db.connection.execute("SELECT count(*) FROM pain_ratings").fetchone()[0] == 0


def test_random_bytes_are_kept_aside_and_a_fresh_history_started(tmp_path: Path) -> None:
    garbage = random.Random(1).randbytes(8192)
    (tmp_path / DB_FILENAME).write_bytes(garbage)
    db = opened(tmp_path)
    try:
        assert_set_aside(tmp_path, db, "corrupt", garbage)
        assert "damaged" in db.notices[0]
    finally:
        db.close()


def test_truncated_database_is_kept_aside(tmp_path: Path) -> None:
    path = make_history(tmp_path, ratings=300)
    data = path.read_bytes()
    truncated = data[: len(data) // 2]
    path.write_bytes(truncated)
    db = opened(tmp_path)
    try:
        assert_set_aside(tmp_path, db, "corrupt", truncated)
    finally:
        db.close()


def scribble(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    page_size = 4096
    data[3 * page_size : 5 * page_size] = random.Random(2).randbytes(2 * page_size)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_database_with_scribbled_pages_is_kept_aside_at_the_weekly_check(
        tmp_path: Path) -> None:
    path = make_history(tmp_path, ratings=300)  # checked (as new) on NOW's day
    data = scribble(path)
    later = NOW + timedelta(days=INTEGRITY_CHECK_DAYS)
    db = open_database(tmp_path, clock=lambda: later)
    try:
        assert db.set_aside is not None and db.set_aside.read_bytes() == data
    finally:
        db.close()


def test_a_history_left_by_a_crash_is_checked_at_once(tmp_path: Path) -> None:
    path = make_history(tmp_path, ratings=300)
    data = scribble(path)
    (tmp_path / f"{DB_FILENAME}-wal").write_bytes(b"")  # the crashed session's log
    db = opened(tmp_path)
    try:
        assert db.set_aside is not None and db.set_aside.read_bytes() == data
    finally:
        db.close()


def test_the_full_check_runs_once_a_week(tmp_path: Path) -> None:
    def checked_on() -> str:
        conn = sqlite3.connect(tmp_path / DB_FILENAME)
        try:
            return conn.execute("SELECT value FROM app_info WHERE key = ?",
                                (INTEGRITY_CHECKED_KEY,)).fetchone()[0]
        finally:
            conn.close()

    make_history(tmp_path)
    assert checked_on() == NOW.date().isoformat()
    for days, expected in ((3, NOW), (INTEGRITY_CHECK_DAYS, NOW + timedelta(days=7))):
        at = NOW + timedelta(days=days)
        open_database(tmp_path, clock=lambda at=at: at).close()
        assert checked_on() == expected.date().isoformat()


def test_journal_files_go_aside_with_their_database(tmp_path: Path) -> None:
    garbage = random.Random(3).randbytes(4096)
    (tmp_path / DB_FILENAME).write_bytes(garbage)
    (tmp_path / f"{DB_FILENAME}-wal").write_bytes(b"old wal")
    db = opened(tmp_path)
    try:
        assert db.set_aside is not None
        assert Path(f"{db.set_aside}-wal").read_bytes() == b"old wal"
    finally:
        db.close()


def test_orphan_journal_is_not_applied_to_a_new_history(tmp_path: Path) -> None:
    (tmp_path / f"{DB_FILENAME}-wal").write_bytes(b"left over")
    db = opened(tmp_path)
    db.close()
    aside = tmp_path / f"{DB_FILENAME}-wal.orphan-20240501-101530"
    assert aside.read_bytes() == b"left over"


def test_a_second_damaged_file_the_same_second_gets_its_own_name(tmp_path: Path) -> None:
    for _ in range(2):
        (tmp_path / DB_FILENAME).write_bytes(b"not a database" * 100)
        opened(tmp_path).close()
        (tmp_path / DB_FILENAME).unlink()
    assert {
        f"{DB_FILENAME}.corrupt-20240501-101530",
        f"{DB_FILENAME}.corrupt-20240501-101530-2",
    } <= files_in(tmp_path)


def _bump_to_newer(path: Path, reader: str | None) -> None:
    """Make *path* look written by a later version, the way that version would leave it."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE future (x)")
        conn.execute("INSERT INTO future VALUES (42)")
        if reader is not None:
            conn.execute("CREATE TABLE IF NOT EXISTS app_info (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT OR REPLACE INTO app_info VALUES (?, ?)",
                         (READER_VERSION_KEY, reader))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
    finally:
        conn.close()


def test_a_newer_history_is_left_exactly_as_it_is_and_names_the_version_to_install(
        tmp_path: Path) -> None:
    path = make_history(tmp_path)
    _bump_to_newer(path, "0.7.2")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(NewerHistoryError) as caught:
        opened(tmp_path)
    assert str(caught.value) == (
        "This history was written by a newer version of Routine Player; nothing was changed. "
        "Install version 0.7.2 or later to go on using it.")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert isinstance(caught.value, StoreError)  # so every caller runs on without history


def test_a_newer_history_without_a_reader_version_still_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    _bump_to_newer(path, None)
    with pytest.raises(NewerHistoryError, match="nothing was changed. Install the newer version"):
        opened(tmp_path)
    assert files_in(tmp_path) == {DB_FILENAME}


def test_each_version_that_migrates_a_history_records_that_it_reads_it(tmp_path: Path) -> None:
    path = make_history(tmp_path)
    conn = sqlite3.connect(path)
    try:
        assert dict(conn.execute("SELECT key, value FROM app_info"))[READER_VERSION_KEY] == (
            app_version())
    finally:
        conn.close()
    assert app_version()  # the tests run from an installed (editable) package

def test_another_programs_database_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE contacts (name)")
        conn.commit()
    finally:
        conn.close()
    original = path.read_bytes()
    db = opened(tmp_path)
    try:
        assert_set_aside(tmp_path, db, "unrecognised", original)
    finally:
        db.close()


# --- Read-only folders and files -----------------------------------------------------------------

_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


@contextlib.contextmanager
def permissions_enforced() -> Iterator[None]:
    """Make file permission bits apply to this thread, even when the tests run as root.

    Root ignores them through CAP_DAC_OVERRIDE; it is dropped from this thread's effective
    capabilities (still permitted, so it is put back afterwards). CI runs the tests as root.
    """
    if os.name == "nt":
        pytest.skip("read-only folders work differently on Windows")
    if os.geteuid() != 0:
        yield
        return
    if not sys.platform.startswith("linux"):
        pytest.skip("needs Linux capabilities to stop root ignoring file permissions")
    libc = ctypes.CDLL(None, use_errno=True)
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        pytest.skip("cannot read this thread's capabilities")
    saved = data[0].effective
    data[0].effective &= ~((1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH))
    if libc.capset(ctypes.byref(header), data) != 0:
        pytest.skip("cannot drop CAP_DAC_OVERRIDE")
    try:
        yield
    finally:
        data[0].effective = saved
        assert libc.capset(ctypes.byref(header), data) == 0


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    modes = {p: p.stat().st_mode for p in paths}
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        with permissions_enforced():
            yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def test_read_only_folder_without_history(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with read_only(folder), pytest.raises(StoreError) as caught:
        opened(folder)
    assert "cannot be written to" in str(caught.value)
    assert str(folder) in str(caught.value)
    assert files_in(folder) == set()


def test_read_only_folder_with_history_keeps_it_intact(tmp_path: Path) -> None:
    path = make_history(tmp_path)
    before = path.read_bytes()
    with read_only(tmp_path), pytest.raises(StoreError) as caught:
        opened(tmp_path)
    assert "cannot be written to" in str(caught.value)
    assert "Everything saved before is kept" in str(caught.value)
    assert path.read_bytes() == before
    assert count_ratings(path) == 5


def test_read_only_file_keeps_it_intact(tmp_path: Path) -> None:
    path = make_history(tmp_path)
    before = path.read_bytes()
    with read_only(path), pytest.raises(StoreError) as caught:
        opened(tmp_path)
    assert "cannot be written to" in str(caught.value)
    assert path.read_bytes() == before


def test_damaged_file_in_read_only_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"garbage" * 1000)
    with read_only(tmp_path), pytest.raises(StoreError) as caught:
        opened(tmp_path)
    assert "could not be moved aside" in str(caught.value)
    assert files_in(tmp_path) == {DB_FILENAME}


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(StoreError) as caught:
        opened(tmp_path / "file" / "data")
    assert "Could not create the folder" in str(caught.value)


# --- Failing while running ----------------------------------------------------------------------


def test_full_disk_mid_session_raises_and_keeps_what_was_saved(tmp_path: Path) -> None:
    db = opened(tmp_path)
    store = HistoryStore(db)
    saved = 0
    try:
        pages = db.connection.execute("PRAGMA page_count").fetchone()[0]
        db.connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError) as caught:
            for i in range(1000):
                store.add_rating(rating(i))
                saved += 1
        assert "disk is full" in str(caught.value)
        assert "Everything saved before is kept" in str(caught.value)
    finally:
        store.close()
    assert saved > 0
    assert count_ratings(tmp_path / DB_FILENAME) == saved


def test_read_only_connection_mid_session_raises_a_plain_error(tmp_path: Path) -> None:
    db = opened(tmp_path)
    with HistoryStore(db) as store:
        store.add_rating(rating(1))
        db.connection.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="cannot be written to"):
            store.add_rating(rating(2))
        db.connection.execute("PRAGMA query_only = OFF")
        assert len(store.ratings()) == 1
