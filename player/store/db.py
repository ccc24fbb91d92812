"""Opening the history database: pragmas, numbered migrations, backups and damaged files.

One SQLite file, ``history.sqlite3``, in the data folder the caller passes in (this module never
picks a folder itself). On open:

* a history written by a newer version of the app is left exactly as it is, neither moved nor
  written: :class:`NewerHistoryError` says which version to install, and the app runs without
  history (an older app must never fork a person's record into two);
* a file that is not a database, fails ``PRAGMA integrity_check`` (run after a session was cut
  short, and otherwise every :data:`INTEGRITY_CHECK_DAYS` days), has tables or columns that
  are not those of its version (checked at every start, :func:`schema_problem`), or is some
  other program's database is never written to: it is renamed aside
  (``history.sqlite3.corrupt-<time>``, ``.unrecognised-<time>``, with its ``-wal``/``-shm``
  files) and a fresh history is started; :attr:`OpenedDatabase.notices` says so in words the
  app can show;
* an older schema is first copied with SQLite's backup API to ``history.sqlite3.bak-v<N>-<time>``
  and then migrated one numbered step at a time, each step in its own transaction;
* a folder or file that cannot be written, or a full disk, raises :class:`StoreError` saying
  so ("permission denied", "the disk is full") with the path.

:func:`open_read_only` is for the commands that only read: it creates, migrates, moves and
writes nothing.

WAL journaling with ``synchronous=NORMAL``: a committed transaction survives the process being
killed (not necessarily a power cut), which is the durability the session log needs.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final, Literal

from player import private_files

DB_FILENAME: Final = "history.sqlite3"
BUSY_TIMEOUT_SECONDS: Final = 5.0
_SIDE_FILES: Final = ("-wal", "-shm", "-journal")


class StoreError(Exception):
    """The history could not be opened or saved. ``str()`` is a plain message for the person.

    Whatever was saved before the failure is kept; the app can keep running without history.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class NewerHistoryError(StoreError):
    """The history was written by a newer version of the app; it was not changed at all."""

    def __init__(self, path: Path, reader_version: str) -> None:
        install = (f"Install version {reader_version} or later to go on using it."
                   if reader_version else "Install the newer version again to go on using it.")
        super().__init__(f"{NEWER_HISTORY} {install}", path)
        self.reader_version = reader_version


# User-visible text, in one place for translation.
NEWER_HISTORY = ("This history was written by a newer version of Routine Player; "
                 "nothing was changed.")
KEPT = "Everything saved before is kept."
DISK_FULL = "the disk is full ({folder}). Free some space and try again. " + KEPT
CANNOT_WRITE = ("permission denied: the history file or its folder cannot be written to "
                "({path}). Check that the folder exists and that you may write to it. " + KEPT)
CANNOT_READ = ("permission denied: the history file cannot be read ({path}). Check that you "
               "may read it and its folder. Nothing was changed.")
READ_ONLY_DAMAGED = ("Your history file {path} is damaged ({why}); nothing was changed. Open "
                     "Routine Player: it keeps the damaged file aside and starts a new history.")
READ_ONLY_UNRECOGNISED = ("The history file {path} was not made by Routine Player; nothing was "
                          "changed. Open the app to keep it aside and start a new history.")
SCHEMA_TABLE_MISSING = "the table {table} is missing"
SCHEMA_COLUMN_MISSING = "the table {table} has no column {column}"
SCHEMA_COLUMNS_CHANGED = "the columns of the table {table} are not the ones this version made"


# --- Migrations ----------------------------------------------------------------------------------

Migration = Callable[[sqlite3.Connection], None]
"""Migration N takes the schema from version N-1 to N; it runs inside the caller's transaction."""


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement of *script* in the current transaction.

    ``executescript`` would commit first, so statements are split (with
    :func:`sqlite3.complete_statement`, which copes with triggers) and run one by one.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


_V1_CORE_TABLES = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    routine_title TEXT NOT NULL,
    routine_version TEXT NOT NULL DEFAULT '',
    routine_file_hash TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'in_progress'
        CHECK (outcome IN ('in_progress', 'completed', 'stopped', 'interrupted'))
);
CREATE TABLE step_events (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    step_index INTEGER NOT NULL CHECK (step_index >= 0),
    step_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('completed', 'skipped')),
    planned_seconds REAL,
    actual_seconds REAL NOT NULL CHECK (actual_seconds >= 0),
    at TEXT NOT NULL
);
CREATE TABLE pain_ratings (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    context TEXT NOT NULL CHECK (context IN ('before', 'after', 'during', 'checkin')),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT '',
    body_area TEXT NOT NULL DEFAULT '',
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL
);
CREATE TABLE symptom_answers (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    bladder_bowel INTEGER NOT NULL CHECK (bladder_bowel IN (0, 1)),
    saddle_numbness INTEGER NOT NULL CHECK (saddle_numbness IN (0, 1)),
    leg_weakness INTEGER NOT NULL CHECK (leg_weakness IN (0, 1)),
    fever INTEGER NOT NULL CHECK (fever IN (0, 1)),
    serious_fall INTEGER NOT NULL CHECK (serious_fall IN (0, 1)),
    weight_loss INTEGER NOT NULL CHECK (weight_loss IN (0, 1)),
    cancer_history INTEGER NOT NULL CHECK (cancer_history IN (0, 1)),
    leg_pain_shooting INTEGER NOT NULL CHECK (leg_pain_shooting IN (0, 1)),
    cannot_stand_straight INTEGER NOT NULL CHECK (cannot_stand_straight IN (0, 1))
);
"""

_V2_INDEXES_AND_BANNER_EVENTS = """
CREATE INDEX step_events_by_session ON step_events (session_id, status);
CREATE INDEX pain_ratings_by_session ON pain_ratings (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX sessions_in_progress ON sessions (id) WHERE outcome = 'in_progress';
CREATE TABLE banner_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('none', 'see_professional', 'urgent')),
    reasons TEXT NOT NULL DEFAULT '[]',
    action TEXT NOT NULL CHECK (action IN ('shown', 'dismissed'))
);
"""


def _v1_core_tables(conn: sqlite3.Connection) -> None:
    """Sessions, their steps, pain ratings and symptom answers."""
    run_script(conn, _V1_CORE_TABLES)


def _v2_indexes_and_banner_events(conn: sqlite3.Connection) -> None:
    """Indexes for the history view and interrupted sessions; the banner's event log."""
    run_script(conn, _V2_INDEXES_AND_BANNER_EVENTS)


# SQLite cannot change a CHECK constraint in place: the sessions table is rebuilt (foreign keys
# are off during migrations, see migrate) and its rows copied, ids kept.
_V3_SESSION_PLANS = """
CREATE TABLE sessions_v3 (
    id INTEGER PRIMARY KEY,
    routine_title TEXT NOT NULL,
    routine_version TEXT NOT NULL DEFAULT '',
    routine_file_hash TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'in_progress'
        CHECK (outcome IN ('in_progress', 'completed', 'partly_done', 'stopped', 'interrupted')),
    routine_path TEXT NOT NULL DEFAULT '',
    week INTEGER NOT NULL DEFAULT 1 CHECK (week >= 1),
    thresholds TEXT NOT NULL DEFAULT '',
    variants TEXT NOT NULL DEFAULT '[]',
    current_step INTEGER CHECK (current_step >= 0),
    current_elapsed REAL NOT NULL DEFAULT 0 CHECK (current_elapsed >= 0),
    planned_exercise_seconds REAL CHECK (planned_exercise_seconds >= 0),
    done_exercise_seconds REAL NOT NULL DEFAULT 0 CHECK (done_exercise_seconds >= 0)
);
INSERT INTO sessions_v3 (id, routine_title, routine_version, routine_file_hash, started_at,
                         ended_at, outcome, done_exercise_seconds)
SELECT s.id, s.routine_title, s.routine_version, s.routine_file_hash, s.started_at, s.ended_at,
       CASE WHEN s.outcome = 'completed' AND EXISTS (
                SELECT 1 FROM step_events AS e
                WHERE e.session_id = s.id AND e.kind = 'exercise' AND e.status = 'skipped')
            THEN 'partly_done' ELSE s.outcome END,
       (SELECT coalesce(sum(min(e.actual_seconds, coalesce(e.planned_seconds, e.actual_seconds))),
                        0)
        FROM step_events AS e WHERE e.session_id = s.id AND e.kind = 'exercise')
FROM sessions AS s;
DROP INDEX sessions_in_progress;
DROP TABLE sessions;
ALTER TABLE sessions_v3 RENAME TO sessions;
CREATE INDEX sessions_in_progress ON sessions (id) WHERE outcome = 'in_progress';
ALTER TABLE pain_ratings ADD COLUMN exercise_id TEXT NOT NULL DEFAULT '';
CREATE TABLE app_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _v3_session_plans(conn: sqlite3.Connection) -> None:
    """What each session played (file path, week, thresholds, easier variants), how far its step
    in progress got, and how much of its exercise time was done, so that a resume rebuilds
    exactly that plan and adherence counts what was done; ``partly_done`` sessions (sessions
    stored as completed with exercises skipped become so); the exercise a pain check was about;
    ``app_info``, where each version that migrates the file says it reads it (see
    :data:`READER_VERSION_KEY`), so that an older version can name the one to install.
    """
    run_script(conn, _V3_SESSION_PLANS)


# Version 2 of the care rules (clinical-notes.md). CHECK constraints change, so pain_ratings
# is rebuilt (ids kept; nothing refers to it).
_V4_CARE_RULES_V2 = """
CREATE TABLE pain_ratings_v4 (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    context TEXT NOT NULL
        CHECK (context IN ('before', 'after', 'during', 'checkin', 'morning_after')),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT '',
    body_area TEXT NOT NULL DEFAULT '',
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    exercise_id TEXT NOT NULL DEFAULT ''
);
INSERT INTO pain_ratings_v4 (id, at, context, rating, note, body_area, session_id, exercise_id)
SELECT id, at, context, rating, note, body_area, session_id, exercise_id FROM pain_ratings;
DROP INDEX pain_ratings_by_session;
DROP TABLE pain_ratings;
ALTER TABLE pain_ratings_v4 RENAME TO pain_ratings;
CREATE INDEX pain_ratings_by_session ON pain_ratings (session_id) WHERE session_id IS NOT NULL;
CREATE TABLE symptom_answers_v4 (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'this_hurts', 'put_off')),
    bladder_bowel INTEGER CHECK (bladder_bowel IN (0, 1)),
    urine_sensation INTEGER CHECK (urine_sensation IN (0, 1)),
    saddle_numbness INTEGER CHECK (saddle_numbness IN (0, 1)),
    wiping_numbness INTEGER CHECK (wiping_numbness IN (0, 1)),
    sexual_sensation INTEGER CHECK (sexual_sensation IN (0, 1)),
    leg_weakness INTEGER CHECK (leg_weakness IN (0, 1)),
    gait_change INTEGER CHECK (gait_change IN (0, 1)),
    both_legs INTEGER CHECK (both_legs IN (0, 1)),
    serious_fall INTEGER CHECK (serious_fall IN (0, 1)),
    fever INTEGER CHECK (fever IN (0, 1)),
    cancer_history INTEGER CHECK (cancer_history IN (0, 1)),
    weight_loss INTEGER CHECK (weight_loss IN (0, 1)),
    night_pain INTEGER CHECK (night_pain IN (0, 1)),
    thoracic_pain INTEGER CHECK (thoracic_pain IN (0, 1)),
    minor_fall INTEGER CHECK (minor_fall IN (0, 1)),
    immune_drugs INTEGER CHECK (immune_drugs IN (0, 1)),
    leg_pain_shooting INTEGER CHECK (leg_pain_shooting IN (0, 1)),
    cannot_stand_straight INTEGER CHECK (cannot_stand_straight IN (0, 1))
);
INSERT INTO symptom_answers_v4 (id, at, source, bladder_bowel, saddle_numbness, leg_weakness,
                                fever, serious_fall, weight_loss, cancer_history,
                                leg_pain_shooting, cannot_stand_straight)
SELECT id, at, 'form', bladder_bowel, saddle_numbness, leg_weakness, fever, serious_fall,
       weight_loss, cancer_history, leg_pain_shooting, cannot_stand_straight
FROM symptom_answers;
DROP TABLE symptom_answers;
ALTER TABLE symptom_answers_v4 RENAME TO symptom_answers;
CREATE TABLE care_confirmations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('emergency', 'urgent_today')),
    kind TEXT NOT NULL CHECK (kind IN ('clinician_checked', 'will_contact_today')),
    CHECK (kind = 'clinician_checked' OR level = 'urgent_today')
);
CREATE TABLE banner_events_v4 (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    level TEXT NOT NULL
        CHECK (level IN ('none', 'see_professional', 'urgent_today', 'emergency')),
    reasons TEXT NOT NULL DEFAULT '[]',
    codes TEXT NOT NULL DEFAULT '[]',
    action TEXT NOT NULL CHECK (action IN ('shown', 'dismissed'))
);
INSERT INTO banner_events_v4 (id, at, level, reasons, action)
SELECT id, at, CASE level WHEN 'urgent' THEN 'emergency' ELSE level END, reasons, action
FROM banner_events;
DROP TABLE banner_events;
ALTER TABLE banner_events_v4 RENAME TO banner_events;
CREATE TABLE thermal_applications (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ice', 'heat')),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT,
    seconds_applied REAL NOT NULL DEFAULT 0 CHECK (seconds_applied >= 0),
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    step_index INTEGER CHECK (step_index >= 0),
    skin TEXT CHECK (skin IN ('normal', 'not_normal')),
    skin_at TEXT
);
CREATE INDEX thermal_applications_by_start ON thermal_applications (started_at);
CREATE TABLE skin_rechecks (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    normal INTEGER NOT NULL CHECK (normal IN (0, 1))
);
CREATE TABLE thermal_screen (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    circulation INTEGER CHECK (circulation IN (0, 1)),
    cold_urticaria INTEGER CHECK (cold_urticaria IN (0, 1)),
    reduced_feeling INTEGER CHECK (reduced_feeling IN (0, 1)),
    skin_damage INTEGER CHECK (skin_damage IN (0, 1))
);
"""


def _v4_care_rules_v2(conn: sqlite3.Connection) -> None:
    """What version 2 of the care rules keeps: ``morning_after`` ratings (the next-morning
    check, always tied to its session); symptom answers for the added signs, each question
    answered or not (NULL: not asked then) and where the answers came from (the questions,
    "This hurts", a form put off); the "a clinician has checked this" and "I will contact them
    today" confirmations; banner events at the new levels with their reasons' codes (version
    1's one red-flag level, ``urgent``, sent people to an emergency department: it becomes
    ``emergency``); every ice and heat application (kind, start, seconds applied, end, session
    and step, skin check), the "is your skin back to normal?" answers and the ice-and-heat
    screen's answers.
    """
    run_script(conn, _V4_CARE_RULES_V2)


_V5_DESK_BREAKS = """
CREATE TABLE desk_breaks (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('taken', 'snoozed', 'skipped'))
);
CREATE INDEX desk_breaks_by_time ON desk_breaks (at);
"""


def _v5_desk_breaks(conn: sqlite3.Connection) -> None:
    """Sitting breaks, kept apart from sessions: when the reminder to stand up came and what
    the person did (took the desk break, snoozed it, or skipped it)."""
    run_script(conn, _V5_DESK_BREAKS)


# The sessions table is rebuilt for its outcome's CHECK constraint, as in migration 3 (ids and
# every column kept; foreign keys are off during migrations).
_V6_RED_FLAG_STOPS = """
CREATE TABLE sessions_v6 (
    id INTEGER PRIMARY KEY,
    routine_title TEXT NOT NULL,
    routine_version TEXT NOT NULL DEFAULT '',
    routine_file_hash TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'in_progress'
        CHECK (outcome IN ('in_progress', 'completed', 'partly_done', 'stopped', 'interrupted',
                           'stopped_red_flag')),
    routine_path TEXT NOT NULL DEFAULT '',
    week INTEGER NOT NULL DEFAULT 1 CHECK (week >= 1),
    thresholds TEXT NOT NULL DEFAULT '',
    variants TEXT NOT NULL DEFAULT '[]',
    current_step INTEGER CHECK (current_step >= 0),
    current_elapsed REAL NOT NULL DEFAULT 0 CHECK (current_elapsed >= 0),
    planned_exercise_seconds REAL CHECK (planned_exercise_seconds >= 0),
    done_exercise_seconds REAL NOT NULL DEFAULT 0 CHECK (done_exercise_seconds >= 0)
);
INSERT INTO sessions_v6 (id, routine_title, routine_version, routine_file_hash, started_at,
                         ended_at, outcome, routine_path, week, thresholds, variants,
                         current_step, current_elapsed, planned_exercise_seconds,
                         done_exercise_seconds)
SELECT id, routine_title, routine_version, routine_file_hash, started_at, ended_at, outcome,
       routine_path, week, thresholds, variants, current_step, current_elapsed,
       planned_exercise_seconds, done_exercise_seconds
FROM sessions;
DROP INDEX sessions_in_progress;
DROP TABLE sessions;
ALTER TABLE sessions_v6 RENAME TO sessions;
CREATE INDEX sessions_in_progress ON sessions (id) WHERE outcome = 'in_progress';
"""


def _v6_red_flag_stops(conn: sqlite3.Connection) -> None:
    """Sessions the app stopped at an emergency or urgent-today answer given mid-session get
    their own outcome, ``stopped_red_flag`` (clinical-notes.md v2: "recorded as stopped for a
    red flag"), so the report can list them and adherence never counts them. Sessions recorded
    before keep their outcome: which ``stopped`` ones a red flag ended was not kept."""
    run_script(conn, _V6_RED_FLAG_STOPS)


# Each session keeps how many of its steps were completed and skipped, counted from its step
# events once and then kept by triggers on every write of a step event (however it is made),
# so that reading years of sessions does not count years of step events.
_V7_STEP_COUNTS = """
ALTER TABLE sessions ADD COLUMN steps_completed INTEGER NOT NULL DEFAULT 0
    CHECK (steps_completed >= 0);
ALTER TABLE sessions ADD COLUMN steps_skipped INTEGER NOT NULL DEFAULT 0
    CHECK (steps_skipped >= 0);
UPDATE sessions SET
    steps_completed = (SELECT count(*) FROM step_events AS e
                       WHERE e.session_id = sessions.id AND e.status = 'completed'),
    steps_skipped = (SELECT count(*) FROM step_events AS e
                     WHERE e.session_id = sessions.id AND e.status = 'skipped');
CREATE TRIGGER step_events_counted AFTER INSERT ON step_events
BEGIN
    UPDATE sessions SET steps_completed = steps_completed + (NEW.status = 'completed'),
                        steps_skipped = steps_skipped + (NEW.status = 'skipped')
    WHERE id = NEW.session_id;
END;
CREATE TRIGGER step_events_uncounted AFTER DELETE ON step_events
BEGIN
    UPDATE sessions SET steps_completed = steps_completed - (OLD.status = 'completed'),
                        steps_skipped = steps_skipped - (OLD.status = 'skipped')
    WHERE id = OLD.session_id;
END;
CREATE TRIGGER step_events_recounted AFTER UPDATE OF session_id, status ON step_events
BEGIN
    UPDATE sessions SET steps_completed = steps_completed - (OLD.status = 'completed'),
                        steps_skipped = steps_skipped - (OLD.status = 'skipped')
    WHERE id = OLD.session_id;
    UPDATE sessions SET steps_completed = steps_completed + (NEW.status = 'completed'),
                        steps_skipped = steps_skipped + (NEW.status = 'skipped')
    WHERE id = NEW.session_id;
END;
"""


def _v7_step_counts(conn: sqlite3.Connection) -> None:
    """Sessions keep their counts of completed and skipped steps (``steps_completed``,
    ``steps_skipped``), counted from the step events already there and kept by triggers on
    ``step_events``: the history page lists them for years of sessions, and counting 150,000
    step events at every open was most of the time it took."""
    run_script(conn, _V7_STEP_COUNTS)


#: Every migration ever shipped, in order. Never edit one that has been released: add another.
MIGRATIONS: Final[tuple[Migration, ...]] = (
    _v1_core_tables,
    _v2_indexes_and_banner_events,
    _v3_session_plans,
    _v4_care_rules_v2,
    _v5_desk_breaks,
    _v6_red_flag_stops,
    _v7_step_counts,
)
SCHEMA_VERSION: Final = len(MIGRATIONS)

#: ``app_info`` key: a version of the app that reads the file's schema (the first to migrate it
#: there). An older version that finds the file newer than it reads names this one.
READER_VERSION_KEY: Final = "reads_with_version"
#: ``app_info`` key: the day the history last passed ``PRAGMA integrity_check``.
INTEGRITY_CHECKED_KEY: Final = "integrity_checked_on"
#: The full integrity check runs when the last one is this many days old (or after a crash).
INTEGRITY_CHECK_DAYS: Final = 7


@functools.cache
def app_version() -> str:
    """This app's version as installed ("" when run from a tree that is not installed)."""
    import importlib.metadata  # slow to import (email, csv), and only needed by a migration

    try:
        return importlib.metadata.version("routine-player")
    except importlib.metadata.PackageNotFoundError:
        return ""


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the database header."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back if the block raises.

    The connection must be in autocommit mode (``isolation_level=None``), as
    :func:`open_database` makes it.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(
    conn: sqlite3.Connection,
    target: int = SCHEMA_VERSION,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    record_reader: bool = True,
) -> int:
    """Bring the schema up to version *target*, one migration per transaction.

    ``record_reader`` records this app's version as the file's reader once it reaches the
    target (not for a scratch schema). Returns the version found before migrating. If a migration fails the database stays at the
    last version that was reached and the error propagates.
    """
    found = user_version(conn)
    # Foreign keys are off while tables are rebuilt (SQLite's documented way: with them on,
    # dropping the old table would cascade), and checked before each migration commits.
    enforced = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for number in range(found + 1, target + 1):
            with transaction(conn):
                migrations[number - 1](conn)
                broken = conn.execute("PRAGMA foreign_key_check").fetchone()
                if broken is not None:
                    raise sqlite3.IntegrityError(
                        f"migration {number} broke a reference from table {broken[0]}")
                conn.execute(f"PRAGMA user_version = {number:d}")
                if (record_reader and number == target and _has_table(conn, "app_info")
                        and app_version()):
                    conn.execute("INSERT OR REPLACE INTO app_info (key, value) VALUES (?, ?)",
                                 (READER_VERSION_KEY, app_version()))
    finally:
        if enforced:
            conn.execute("PRAGMA foreign_keys = ON")
    return found


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


# --- The schema each version expects ------------------------------------------------------------

_COLUMNS = """
SELECT m.name, p.name, p.type, p."notnull", p.dflt_value, p.pk
FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!'
ORDER BY m.name, p.cid
"""

Column = tuple[str, str, int, "str | None", int]
"""A column as ``PRAGMA table_info`` describes it: name, type, not null, default, key."""


def table_columns(conn: sqlite3.Connection) -> dict[str, tuple[Column, ...]]:
    """Every table of *conn* with its columns in order (one query, reads only the schema)."""
    tables: dict[str, list[Column]] = {}
    for table, *column in conn.execute(_COLUMNS):
        tables.setdefault(table, []).append(tuple(column))
    return {table: tuple(columns) for table, columns in tables.items()}


@functools.cache
def expected_columns(version: int) -> dict[str, tuple[Column, ...]]:
    """The tables and columns that migrations 1 to *version* make, built once in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, version, record_reader=False)
        return table_columns(conn)
    finally:
        conn.close()


def schema_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """What is wrong with the tables of a history at schema *version*, or None.

    A table or column that is missing or changed (the file was edited by hand, or by another
    tool) means the app's reads and writes would fail or go unrecorded: the file is treated
    as damaged. Tables the app does not know are left alone. Indexes are not compared.
    """
    found = table_columns(conn)
    for table, columns in expected_columns(version).items():
        have = found.get(table)
        if have is None:
            return SCHEMA_TABLE_MISSING.format(table=table)
        if have != columns:
            names = {c[0] for c in have}
            missing = [c[0] for c in columns if c[0] not in names]
            if missing:
                return SCHEMA_COLUMN_MISSING.format(table=table, column=missing[0])
            return SCHEMA_COLUMNS_CHANGED.format(table=table)
    return None


# --- Errors in plain words -----------------------------------------------------------------------

_DAMAGED_CODES: Final = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_damage(exc: sqlite3.Error) -> bool:
    """True when SQLite says the file is not a database or is malformed."""
    return _primary_code(exc) in _DAMAGED_CODES


def explain(exc: sqlite3.Error, doing: str, path: Path, *, writing: bool = True) -> StoreError:
    """A :class:`StoreError` saying, in plain words, why *doing* failed.

    *doing* completes "Could not ...", e.g. ``"save your pain rating"``; *writing* is False for
    the read-only commands, whose "permission denied" is about reading. A full disk is named
    even when SQLite only says "disk I/O error" (growing its shared-memory file on a full disk
    does): an I/O error with less than :data:`LOW_DISK_SPACE_BYTES` free is a full disk.
    """
    code = _primary_code(exc)
    if code == sqlite3.SQLITE_IOERR and _disk_nearly_full(path.parent):
        code = sqlite3.SQLITE_FULL
    if code == sqlite3.SQLITE_FULL:
        why = DISK_FULL.format(folder=path.parent)
    elif code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        why = (CANNOT_WRITE if writing else CANNOT_READ).format(path=path)
    elif code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        why = f"another copy of the app is using the history. Close it and try again. {KEPT}"
    elif code in _DAMAGED_CODES:
        why = (
            "the history file is damaged. Restart the app: it will keep the damaged file "
            "aside and start a new history."
        )
    elif code == sqlite3.SQLITE_IOERR:
        why = f"the disk reported an error ({exc}). {KEPT}"
    else:
        why = f"of an unexpected database error ({exc}). {KEPT}"
    return StoreError(f"Could not {doing}: {why}", path)


#: Free space under which an I/O error from SQLite is reported as a full disk.
LOW_DISK_SPACE_BYTES: Final = 1 << 20


def _disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_DISK_SPACE_BYTES
    except OSError:
        return False


# --- Opening -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedDatabase:
    """An open, migrated history database and what happened while opening it."""

    connection: sqlite3.Connection
    path: Path
    version_found: int
    """Schema version of the file before opening (0 for a new history)."""
    backup_path: Path | None = None
    """The copy made before migrating, if a migration ran on an existing history."""
    set_aside: Path | None = None
    """Where an unusable file was moved to, if one was found."""
    notices: tuple[str, ...] = ()
    """Messages for the person about what was done, e.g. a damaged file kept aside."""
    read_only: bool = False
    """Opened by :func:`open_read_only`: every write fails."""

    def close(self) -> None:
        """Close the connection (SQLite folds the WAL back into the file)."""
        self.connection.close()


_Verdict = Literal["usable", "damaged", "newer", "unrecognised"]


@dataclass(frozen=True)
class _Inspection:
    verdict: _Verdict
    version: int = 0
    detail: str = ""
    checked: bool = False


def _local_now() -> datetime:
    return datetime.now().astimezone()


def open_database(
    data_dir: Path, *, clock: Callable[[], datetime] = _local_now
) -> OpenedDatabase:
    """Open (creating, migrating or replacing as needed) the history in *data_dir*.

    *clock* gives the time used in the names of backup and set-aside files. Raises
    :class:`StoreError` when the folder or file cannot be written, or the upgrade fails.
    """
    path = data_dir / DB_FILENAME
    try:
        private_files.ensure_private_dir(data_dir)
    except OSError as exc:
        raise StoreError(
            f"Could not create the folder for your history ({data_dir}): {exc.strerror}.", path
        ) from exc
    # The history, its journals, backups and set-aside copies an older version left readable.
    private_files.ensure_private_files(sorted(data_dir.glob(f"{DB_FILENAME}*")))
    now = clock()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    notices: list[str] = []
    set_aside, checked = _set_aside_if_unusable(path, stamp, notices, now.date())
    conn = _connect(path)
    try:
        found = user_version(conn)
        if found > SCHEMA_VERSION:  # made newer in a write-ahead log the inspection did not see
            raise NewerHistoryError(path, _reader_version(conn))
        backup = _backup(conn, path, found, stamp) if 0 < found < SCHEMA_VERSION else None
        _migrate(conn, path, backup)
        _check_writable(conn, path)
        if checked:
            _record_integrity_check(conn, now.date())
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, "open your history", path) from exc
    except BaseException:
        conn.close()
        raise
    return OpenedDatabase(conn, path, found, backup, set_aside, tuple(notices))


def open_read_only(data_dir: Path) -> OpenedDatabase | None:
    """Open the history in *data_dir* for reading only; None when there is none yet.

    For the commands that only read (``report``, ``history export``): nothing is created,
    migrated, moved or written, so they work in a folder that cannot be written and while the
    app has the history open. A history of an older version is copied into memory and
    migrated there. A damaged, foreign or edited file raises :class:`StoreError` (the app
    keeps it aside when it next starts), a newer one :class:`NewerHistoryError`.
    """
    path = data_dir / DB_FILENAME
    try:
        if path.stat().st_size == 0:
            return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"Could not open your history: "
                         f"{CANNOT_READ.format(path=path)}", path) from exc
    conn = _connect_read_only(path)
    try:
        found = _examine(conn, path, None)
        if found.verdict == "newer":
            raise NewerHistoryError(path, found.detail)
        if found.verdict == "damaged":
            raise StoreError(READ_ONLY_DAMAGED.format(path=path, why=found.detail), path)
        if found.verdict == "unrecognised":
            raise StoreError(READ_ONLY_UNRECOGNISED.format(path=path), path)
        if found.version < SCHEMA_VERSION:
            conn = _migrated_copy(conn, found.version)
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, "read your history", path, writing=False) from exc
    except BaseException:
        conn.close()
        raise
    return OpenedDatabase(conn, path, found.version, read_only=True)


def _migrated_copy(conn: sqlite3.Connection, version: int) -> sqlite3.Connection:
    """An in-memory copy of *conn* (closed) migrated from *version* to the current schema."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(copy)
        conn.close()
        migrate(copy, SCHEMA_VERSION)
        copy.execute("PRAGMA query_only = ON")
    except BaseException:
        copy.close()
        raise
    return copy


def _set_aside_if_unusable(path: Path, stamp: str, notices: list[str],
                           today: date) -> tuple[Path | None, bool]:
    """Where an unusable file was moved (or None), and whether the history that is opened
    was checked (or is new) today."""
    if not path.exists():
        _set_aside_orphans(path, stamp)
        return None, True
    if path.stat().st_size == 0:  # created but never written: SQLite treats it as empty
        return None, True
    found = _inspect(path, today)
    if found.verdict == "usable":
        return None, found.checked
    if found.verdict == "newer":
        raise NewerHistoryError(path, found.detail)
    labels = {"damaged": "corrupt"}
    aside = _move_aside(path, f"{labels.get(found.verdict, found.verdict)}-{stamp}")
    notices.append(_aside_notice(found, aside))
    return aside, True


def _aside_notice(found: _Inspection, aside: Path) -> str:
    fresh = "A new, empty history has been started."
    if found.verdict == "unrecognised":
        return (
            f"The history file was not one this app made. It has been kept unchanged as "
            f"{aside}. {fresh}"
        )
    return (
        f"Your history file is damaged and could not be read ({found.detail}). It has been "
        f"kept as {aside} in case it can be recovered. {fresh}"
    )


def _inspect(path: Path, today: date | None) -> _Inspection:
    """Look at an existing file through a read-only connection, which never changes it.

    The full ``PRAGMA integrity_check`` reads the whole file (about 75 ms for 10 years), so it
    runs when it is due (:func:`_integrity_check_due`; never when *today* is None), not at
    every start; the tables and columns are compared with those of the file's version
    (:func:`schema_problem`, one query on the schema) every time.
    """
    conn = _connect_read_only(path)
    try:
        return _examine(conn, path, today)
    finally:
        conn.close()


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change *path* and leaves nothing beside it.

    Without a ``-wal`` file to read, the file is opened as immutable: a plain read-only
    connection to a history in WAL mode would create a ``-wal`` and ``-shm`` it cannot
    remove (and cannot open at all in a folder that cannot be written). With one (the app
    is open, or was cut short), SQLite reads through it, as the writer left it.
    """
    unclean = _side_file(path, "-wal").exists()
    immutable = "" if unclean else "&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True,
                               timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise explain(exc, "open your history", path, writing=False) from exc
    try:
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, "open your history", path, writing=False) from exc
    return conn


def _examine(conn: sqlite3.Connection, path: Path, today: date | None) -> _Inspection:
    try:
        version = user_version(conn)
        if version > SCHEMA_VERSION:
            return _Inspection("newer", version, _reader_version(conn))
        unclean = _side_file(path, "-wal").exists()
        due = today is not None and (unclean or _integrity_check_due(conn, today))
        if due:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                return _Inspection("damaged", version, f"integrity check: {problems[0]}")
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return _Inspection("unrecognised")
        if version > 0 and (problem := schema_problem(conn, version)) is not None:
            return _Inspection("damaged", version, problem)
        return _Inspection("usable", version, checked=due)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return _Inspection("damaged", 0, str(exc))
        raise explain(exc, "open your history", path, writing=False) from exc


def _integrity_check_due(conn: sqlite3.Connection, today: date) -> bool:
    """True unless the history passed the full check in the last
    :data:`INTEGRITY_CHECK_DAYS` days (a file whose last session was cut short, with its
    write-ahead log left behind, is always checked: that is when damage is most likely)."""
    try:
        row = conn.execute("SELECT value FROM app_info WHERE key = ?",
                           (INTEGRITY_CHECKED_KEY,)).fetchone()
        last = date.fromisoformat(row[0]) if row is not None else None
    except (sqlite3.Error, ValueError):
        return True
    return last is None or not 0 <= (today - last).days < INTEGRITY_CHECK_DAYS


def _record_integrity_check(conn: sqlite3.Connection, today: date) -> None:
    if _has_table(conn, "app_info"):
        conn.execute("INSERT OR REPLACE INTO app_info (key, value) VALUES (?, ?)",
                     (INTEGRITY_CHECKED_KEY, today.isoformat()))


def _reader_version(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("SELECT value FROM app_info WHERE key = ?",
                           (READER_VERSION_KEY,)).fetchone()
    except sqlite3.Error:
        return ""
    return "" if row is None else str(row[0])


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _move_aside(path: Path, label: str) -> Path:
    """Rename *path* and its journal files to ``<name>.<label>``; never deletes anything."""
    target = _free_name(path.with_name(f"{path.name}.{label}"))
    try:
        os.replace(path, target)
        for suffix in _SIDE_FILES:
            side = _side_file(path, suffix)
            if side.exists():
                os.replace(side, _side_file(target, suffix))
    except OSError as exc:
        raise StoreError(
            f"Your history file cannot be used and could not be moved aside ({exc.strerror}). "
            f"Nothing was changed. Check that you may write to {path.parent}.",
            path,
        ) from exc
    return target


def _set_aside_orphans(path: Path, stamp: str) -> None:
    """Journal files without their database must not be applied to a new one."""
    for suffix in _SIDE_FILES:
        side = _side_file(path, suffix)
        if side.exists():
            _move_aside(side, f"orphan-{stamp}")


def _connect(path: Path) -> sqlite3.Connection:
    private_files.prepare_private_file(path)  # SQLite gives -wal and -shm the file's mode
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise explain(exc, "open your history", path) from exc
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, "open your history", path) from exc
    private_files.ensure_private_files(_side_file(path, s) for s in ("", *_SIDE_FILES))
    return conn


def _backup(conn: sqlite3.Connection, path: Path, version: int, stamp: str) -> Path:
    target = _free_name(path.with_name(f"{path.name}.bak-v{version}-{stamp}"))
    private_files.prepare_private_file(target)
    try:
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise explain(exc, "make a backup of your history before upgrading it", path) from exc
    return target


def _migrate(conn: sqlite3.Connection, path: Path, backup: Path | None) -> None:
    try:
        migrate(conn, SCHEMA_VERSION, MIGRATIONS)
    except sqlite3.Error as exc:
        error = explain(exc, "upgrade your history to this version of the app", path)
        if backup is not None:
            error = StoreError(
                f"{error.message} A copy from before the upgrade is at {backup}.", path
            )
        raise error from exc


def _check_writable(conn: sqlite3.Connection, path: Path) -> None:
    """Fail now, not mid-session, if the file or folder is read-only (nothing is changed)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA user_version = {user_version(conn):d}")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise explain(exc, "open your history for writing", path) from exc
