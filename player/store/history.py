"""The history repository: every read and write of the history database, and all its SQL.

Each write is its own committed transaction as soon as the method returns, so a step, a rating
or a symptom answer survives the app being killed right after. Reads return the plain records
of :mod:`player.core.history`. Any database failure is raised as a
:class:`~player.store.db.StoreError` with a plain message; nothing saved before is lost.

Times are stored as ISO 8601 local time with the UTC offset (``2024-03-04T09:00:00+01:00``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from dataclasses import replace as _replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from player.core.breaks import DeskBreak
from player.core.clinical import (
    DEFAULT_THRESHOLDS,
    PAIN_MAX,
    PAIN_MIN,
    STRICTER_IS_LOWER,
    CareThresholds,
)
from player.core.history import (
    IMPORTED_ROUTINE_TITLE,
    RATING_CONTEXTS,
    SESSION_OUTCOMES,
    SYMPTOM_FIELDS,
    BannerEvent,
    CareConfirmation,
    HistoryData,
    PainRating,
    Session,
    SessionOutcome,
    StepEvent,
    SymptomAnswers,
    require_aware,
)
from player.core.symptoms import merged
from player.core.thermal import (
    SCREEN_FIELDS,
    SKIN_RESULTS,
    THERMAL_KINDS,
    DamagedThermal,
    SkinRecheck,
    SkinResult,
    ThermalApplication,
    ThermalKind,
    ThermalScreen,
)
from player.store.db import (
    OpenedDatabase,
    StoreError,
    explain,
    open_database,
    open_read_only,
    transaction,
)

# User-visible text, in one place for translation.
SCREEN_DAMAGED = ("Your last answers to the ice and heat questions could not be read (the "
                  "record saved {at} is damaged: {why}). They count as not answered: please "
                  "answer the questions again.")


@dataclass(frozen=True)
class ThermalRecords:
    """Every ice and heat application and skin recheck that can be read, oldest first, and
    those that cannot (:class:`~player.core.thermal.DamagedThermal`, in the order written)."""

    applications: tuple[ThermalApplication, ...] = ()
    rechecks: tuple[SkinRecheck, ...] = ()
    damaged: tuple[DamagedThermal, ...] = ()


class DamagedRecordError(StoreError):
    """A record read back is not one the app wrote (edited or damaged): it is not used, and
    ``str()`` says so in plain words. The rest of the history is unaffected."""

_FINAL_OUTCOMES = ("completed", "partly_done", "stopped", "interrupted", "stopped_red_flag")

# The step counts are kept in the sessions table (schema 7, kept by triggers on step_events).
_SESSIONS = """
    SELECT s.id, s.routine_title, s.routine_version, s.routine_file_hash, s.started_at,
           s.ended_at, s.outcome, s.steps_completed, s.steps_skipped, s.routine_path, s.week,
           s.thresholds, s.variants, s.current_step, s.current_elapsed,
           s.planned_exercise_seconds, s.done_exercise_seconds
    FROM sessions AS s
"""
_RATINGS = ("SELECT at, context, rating, note, body_area, session_id, exercise_id"
            " FROM pain_ratings ORDER BY id")


def _iso(at: datetime) -> str:
    return at.isoformat()


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _instant(at: datetime) -> int:
    """The whole second ``at`` falls in, as a POSIX time (exports keep whole seconds)."""
    return math.floor(at.timestamp())


class HistoryStore:
    """Sessions, steps, pain ratings, symptom answers and confirmations, banner events, and ice
    and heat applications, kept in SQLite.

    Use :meth:`open` (or pass an :class:`~player.store.db.OpenedDatabase`), and :meth:`close`
    when done; it is also a context manager. One instance per process, used from one thread.
    """

    def __init__(self, database: OpenedDatabase) -> None:
        self._db = database
        self._conn = database.connection
        self._own_sessions: set[int] = set()

    @classmethod
    def open(
        cls, data_dir: Path, *, clock: Callable[[], datetime] | None = None
    ) -> HistoryStore:
        """Open the history in *data_dir* (see :func:`~player.store.db.open_database`)."""
        if clock is None:
            return cls(open_database(data_dir))
        return cls(open_database(data_dir, clock=clock))

    @classmethod
    def open_read_only(cls, data_dir: Path) -> HistoryStore | None:
        """Open the history in *data_dir* for reading only (see
        :func:`~player.store.db.open_read_only`); None when there is no history yet."""
        database = open_read_only(data_dir)
        return None if database is None else cls(database)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._db.path

    @property
    def notices(self) -> tuple[str, ...]:
        """What happened while opening that the person should be told (e.g. a damaged file)."""
        return self._db.notices

    @property
    def backup_path(self) -> Path | None:
        """The copy made before an upgrade, if one ran when opening."""
        return self._db.backup_path

    def close(self) -> None:
        """Let SQLite tidy its statistics, then close the connection."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA optimize")
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _saving(self, doing: str) -> Iterator[None]:
        """Turn database failures into a plain :class:`StoreError` about *doing*."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"could not {doing}: {exc}") from exc
        except sqlite3.Error as exc:
            raise explain(exc, doing, self.path, writing=not self._db.read_only) from exc

    # --- Sessions and steps ------------------------------------------------------------------

    def start_session(
        self,
        *,
        routine_title: str,
        started_at: datetime,
        routine_version: str = "",
        routine_file_hash: str = "",
        routine_path: str = "",
        week: int = 1,
        thresholds: CareThresholds | None = None,
        planned_exercise_seconds: float | None = None,
    ) -> int:
        """Record that a session has started (outcome ``in_progress``); returns its id.

        ``routine_path``, ``routine_file_hash``, ``week`` and ``thresholds`` say what it plays,
        so that it can be resumed as it was; ``planned_exercise_seconds`` is its exercise time.
        """
        require_aware(started_at, "started_at")
        with self._saving("record the start of your session"):
            cursor = self._conn.execute(
                "INSERT INTO sessions (routine_title, routine_version, routine_file_hash,"
                " started_at, routine_path, week, thresholds, planned_exercise_seconds)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (routine_title, routine_version, routine_file_hash, _iso(started_at),
                 routine_path, week, thresholds_json(thresholds), planned_exercise_seconds),
            )
        session_id = cast(int, cursor.lastrowid)
        self._own_sessions.add(session_id)
        return session_id

    def record_step(self, step: StepEvent, exercise_seconds_done: float = 0.0) -> None:
        """Record a completed or skipped step; it is committed before this returns.

        ``exercise_seconds_done`` is added to the session's exercise time done, and the step
        in progress is cleared, in the same transaction.
        """
        if exercise_seconds_done < 0:
            raise ValueError("exercise_seconds_done must be 0 or more")
        with self._saving("save the step you just finished"), transaction(self._conn):
            self._conn.execute(
                "UPDATE sessions SET done_exercise_seconds = done_exercise_seconds + ?,"
                " current_step = NULL, current_elapsed = 0 WHERE id = ?",
                (exercise_seconds_done, step.session_id),
            )
            self._conn.execute(
                "INSERT INTO step_events (session_id, step_index, step_name, kind, status,"
                " planned_seconds, actual_seconds, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    step.session_id,
                    step.step_index,
                    step.step_name,
                    step.kind,
                    step.status,
                    step.planned_seconds,
                    step.actual_seconds,
                    _iso(step.at),
                ),
            )

    def record_progress(self, session_id: int, origin: int, elapsed_seconds: float) -> None:
        """Save how far the step in progress (routine step ``origin``) has got."""
        if origin < 0 or elapsed_seconds < 0:
            raise ValueError("origin and elapsed_seconds must be 0 or more")
        with self._saving("save how far your session has got"):
            self._conn.execute(
                "UPDATE sessions SET current_step = ?, current_elapsed = ? WHERE id = ?",
                (origin, elapsed_seconds, session_id),
            )

    def record_variants(self, session_id: int, variants: Iterable[tuple[int, str]]) -> None:
        """Save the easier variants chosen so far: (routine step, exercise id) pairs."""
        pairs = sorted((int(origin), str(exercise)) for origin, exercise in variants)
        with self._saving("save the easier exercise you chose"):
            self._conn.execute(
                "UPDATE sessions SET variants = ? WHERE id = ?", (json.dumps(pairs), session_id)
            )

    def finish_session(
        self, session_id: int, outcome: SessionOutcome, ended_at: datetime
    ) -> None:
        """Record how a session ended: ``completed``, ``partly_done``, ``stopped``,
        ``interrupted`` or ``stopped_red_flag``."""
        if outcome not in _FINAL_OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(_FINAL_OUTCOMES)}")
        require_aware(ended_at, "ended_at")
        with self._saving("record the end of your session"):
            cursor = self._conn.execute(
                "UPDATE sessions SET outcome = ?, ended_at = ?, current_step = NULL,"
                " current_elapsed = 0 WHERE id = ?",
                (outcome, _iso(ended_at), session_id),
            )
        if cursor.rowcount == 0:
            raise ValueError(f"there is no session {session_id}")
        self._own_sessions.discard(session_id)

    def interrupted_sessions(self) -> list[Session]:
        """Sessions still ``in_progress`` that this process did not start or resume.

        These were cut short when the app was closed or killed; offer to resume or close them.
        """
        with self._saving("read your history"):
            rows = self._conn.execute(
                _SESSIONS + " WHERE s.outcome = 'in_progress' ORDER BY s.id"
            ).fetchall()
        return [s for s in _sessions(rows) if s.id not in self._own_sessions]

    def resume_session(self, session_id: int) -> Session:
        """Carry on an interrupted session in this process; its steps so far are kept."""
        session = self.session(session_id)
        if session is None or session.outcome != "in_progress":
            raise ValueError(f"session {session_id} is not in progress")
        self._own_sessions.add(session_id)
        return session

    def reopen_stopped_session(self, session_id: int) -> None:
        """Carry on a session the person stopped in this process ("Resume from step N"): it is
        in progress again, its steps so far kept, until it ends anew."""
        with self._saving("resume your session"):
            cursor = self._conn.execute(
                "UPDATE sessions SET outcome = 'in_progress', ended_at = NULL"
                " WHERE id = ? AND outcome = 'stopped'", (session_id,))
        if cursor.rowcount == 0:
            raise ValueError(f"session {session_id} was not stopped")
        self._own_sessions.add(session_id)

    def close_session_as_interrupted(self, session_id: int) -> None:
        """Mark a session left in progress as ``interrupted``.

        Its end time is that of the last step or rating recorded for it (else its start).
        """
        with self._saving("close the interrupted session"):
            started = self._conn.execute(
                "SELECT started_at FROM sessions WHERE id = ? AND outcome = 'in_progress'",
                (session_id,),
            ).fetchone()
            if started is None:
                raise ValueError(f"session {session_id} is not in progress")
            times = self._conn.execute(
                "SELECT at FROM step_events WHERE session_id = ?"
                " UNION ALL SELECT at FROM pain_ratings WHERE session_id = ?",
                (session_id, session_id),
            ).fetchall()
            ended = max((_time(row[0]) for row in times), default=_time(started[0]))
            self._conn.execute(
                "UPDATE sessions SET outcome = 'interrupted', ended_at = ?"
                " WHERE id = ? AND outcome = 'in_progress'",
                (_iso(ended), session_id),
            )
        self._own_sessions.discard(session_id)

    def sessions(self, *, limit: int | None = None, step_counts: bool = True) -> list[Session]:
        """Sessions with their step counts, oldest first; *limit* keeps only the latest ones.

        The counts are stored with each session (schema 7), so reading them costs nothing:
        *step_counts* is kept for the callers that asked for them to be left out.
        """
        del step_counts
        query = _SESSIONS + " ORDER BY s.id DESC"
        params: tuple[Any, ...] = ()
        if limit is not None:
            query += " LIMIT ?"
            params = (limit,)
        with self._saving("read your history"):
            rows = self._conn.execute(query, params).fetchall()
        rows.reverse()
        return _sessions(rows)

    def session(self, session_id: int) -> Session | None:
        """One session with its step counts, or None."""
        with self._saving("read your history"):
            row = self._conn.execute(_SESSIONS + " WHERE s.id = ?", (session_id,)).fetchone()
        return None if row is None else _sessions([row])[0]

    def steps(self, session_id: int) -> list[StepEvent]:
        """The steps recorded for a session, in the order they happened."""
        with self._saving("read your history"):
            rows = self._conn.execute(
                "SELECT session_id, step_index, step_name, kind, status, actual_seconds, at,"
                " planned_seconds FROM step_events WHERE session_id = ? ORDER BY id",
                (session_id,),
            ).fetchall()
        return [
            StepEvent(sid, index, name, kind, status, actual, _time(at), planned)
            for sid, index, name, kind, status, actual, at, planned in rows
        ]

    # --- Pain ratings ------------------------------------------------------------------------

    def add_rating(self, rating: PainRating) -> int:
        """Save a pain rating; it is committed before this returns. Returns its id."""
        with self._saving("save your pain rating"):
            cursor = self._conn.execute(_INSERT_RATING, _rating_row(rating, rating.session_id))
        return cast(int, cursor.lastrowid)

    def import_ratings(self, ratings: Iterable[PainRating]) -> int:
        """Add ratings read from a pain diary, all or none; returns how many were new.

        A diary's session numbers come from the app that wrote it, so each becomes a new
        session titled :data:`IMPORTED_ROUTINE_TITLE` that keeps its before and after ratings
        together. A rating already in the history (the same instant to the second, whatever
        its offset, with the same context, rating and note) is skipped, so importing a file
        twice, or one's own export, adds nothing.
        """
        ratings = list(ratings)
        with self._saving("import your pain diary"), transaction(self._conn):
            known = {(_instant(_time(at)), context, rating, note) for at, context, rating, note
                     in self._conn.execute("SELECT at, context, rating, note FROM pain_ratings")}
            new = []
            for r in ratings:
                key = (_instant(r.at), r.context, r.rating, r.note)
                if key not in known:
                    known.add(key)
                    new.append(r)
            sessions = self._sessions_for_import(new)
            self._conn.executemany(
                _INSERT_RATING,
                [_rating_row(r, sessions.get(r.session_id)) for r in new],
            )
        return len(new)

    def _sessions_for_import(self, ratings: list[PainRating]) -> dict[int | None, int]:
        starts: dict[int, datetime] = {}
        for r in ratings:
            if r.session_id is not None:
                starts[r.session_id] = min(r.at, starts.get(r.session_id, r.at))
        mapping: dict[int | None, int] = {}
        for key, started in starts.items():
            cursor = self._conn.execute(
                "INSERT INTO sessions (routine_title, started_at, ended_at, outcome)"
                " VALUES (?, ?, ?, 'completed')",
                (IMPORTED_ROUTINE_TITLE, _iso(started), _iso(started)),
            )
            mapping[key] = cast(int, cursor.lastrowid)
        return mapping

    def ratings(self) -> list[PainRating]:
        """Every pain rating, oldest first."""
        with self._saving("read your pain diary"):
            rows = self._conn.execute(_RATINGS).fetchall()
        return _ratings(rows)

    # --- Symptom answers and banner events -----------------------------------------------------

    def add_symptoms(self, answers: SymptomAnswers) -> None:
        """Save answers to the symptom questions as given (a question not answered is NULL)."""
        columns = ", ".join(SYMPTOM_FIELDS)
        marks = ", ".join("?" for _ in SYMPTOM_FIELDS)
        values = [_flag(getattr(answers, name)) for name in SYMPTOM_FIELDS]
        with self._saving("save your answers"):
            self._conn.execute(
                f"INSERT INTO symptom_answers (at, source, {columns}) VALUES (?, ?, {marks})",
                (_iso(answers.at), answers.source, *values),
            )

    def snapshot(self, *, step_counts: bool = True) -> HistoryData:
        """Everything the report and the history page read, in one go (*step_counts*: see
        :meth:`sessions`)."""
        history = self.symptom_history()
        latest = merged(history, max(a.at for a in history)) if history else None
        return HistoryData(tuple(self.ratings()),
                           tuple(self.sessions(step_counts=step_counts)), latest,
                           tuple(self.banner_events()), tuple(history),
                           tuple(self.confirmations()))

    def symptom_history(self) -> list[SymptomAnswers]:
        """Every record of symptom answers, oldest first (as given; see
        :func:`player.core.symptoms.current_answers`)."""
        with self._saving("read your answers"):
            rows = self._conn.execute(
                f"SELECT at, source, {', '.join(SYMPTOM_FIELDS)} FROM symptom_answers ORDER BY id"
            ).fetchall()
        records = [_symptoms(row) for row in rows]
        records.sort(key=lambda a: a.at)
        return records

    def latest_symptoms(self) -> SymptomAnswers | None:
        """The latest answer to each question as one record, dated by the latest of them, or
        None without any answer (see :func:`player.core.symptoms.merged`)."""
        history = self.symptom_history()
        if not history:
            return None
        return merged(history, max(a.at for a in history))

    def add_confirmation(self, confirmation: CareConfirmation) -> None:
        """Save a "clinician has checked this" or "I will contact them today" confirmation."""
        with self._saving("save your confirmation"):
            self._conn.execute(
                "INSERT INTO care_confirmations (at, level, kind) VALUES (?, ?, ?)",
                (_iso(confirmation.at), confirmation.level, confirmation.kind),
            )

    def confirmations(self) -> list[CareConfirmation]:
        """Every confirmation, oldest first."""
        with self._saving("read your history"):
            rows = self._conn.execute(
                "SELECT at, level, kind FROM care_confirmations ORDER BY id").fetchall()
        return [CareConfirmation(_time(at), level, kind) for at, level, kind in rows]

    def add_desk_break(self, desk_break: DeskBreak) -> None:
        """Record what was done when a sitting-break reminder came (apart from sessions)."""
        with self._saving("record the sitting break"):
            self._conn.execute("INSERT INTO desk_breaks (at, action) VALUES (?, ?)",
                               (_iso(desk_break.at), desk_break.action))

    def desk_breaks(self, since: datetime | None = None) -> list[DeskBreak]:
        """The sitting breaks recorded, oldest first (from ``since`` on, when given)."""
        with self._saving("read your history"):
            rows = self._conn.execute("SELECT at, action FROM desk_breaks ORDER BY id").fetchall()
        out = [DeskBreak(_time(at), action) for at, action in rows]
        if since is not None:
            out = [b for b in out if b.at >= since]
        return out

    def add_banner_event(self, event: BannerEvent) -> None:
        """Record that the care banner was shown or dismissed (for the clinician's report)."""
        with self._saving("record the care banner"):
            self._conn.execute(
                "INSERT INTO banner_events (at, level, reasons, codes, action)"
                " VALUES (?, ?, ?, ?, ?)",
                (_iso(event.at), event.level, json.dumps(list(event.reasons)),
                 json.dumps(list(event.codes)), event.action),
            )

    def banner_events(self) -> list[BannerEvent]:
        """Every banner event, oldest first."""
        with self._saving("read your history"):
            rows = self._conn.execute(
                "SELECT at, level, reasons, action, codes FROM banner_events ORDER BY id"
            ).fetchall()
        return [
            BannerEvent(_time(at), level, tuple(json.loads(reasons)), action,
                        tuple(json.loads(codes)))
            for at, level, reasons, action, codes in rows
        ]

    # --- Ice and heat ----------------------------------------------------------------------

    def start_thermal(self, kind: ThermalKind, started_at: datetime, *,
                      session_id: int | None = None, step_index: int | None = None) -> int:
        """Record that an ice or heat application has started; returns its id."""
        require_aware(started_at, "started_at")
        with self._saving("record your ice or heat"):
            cursor = self._conn.execute(
                "INSERT INTO thermal_applications (kind, started_at, updated_at, session_id,"
                " step_index) VALUES (?, ?, ?, ?, ?)",
                (kind, _iso(started_at), _iso(started_at), session_id, step_index),
            )
        return cast(int, cursor.lastrowid)

    def record_thermal_progress(self, application_id: int, seconds_applied: float,
                                at: datetime) -> None:
        """Save how long the application has been on so far (it keeps that time if the app is
        killed)."""
        self._update_thermal(application_id, seconds_applied, at, ended=False)

    def finish_thermal(self, application_id: int, seconds_applied: float,
                       ended_at: datetime) -> None:
        """Record that the application came off after *seconds_applied* seconds."""
        self._update_thermal(application_id, seconds_applied, ended_at, ended=True)

    def _update_thermal(self, application_id: int, seconds: float, at: datetime,
                        ended: bool) -> None:
        require_aware(at, "at")
        if seconds < 0:
            raise ValueError("seconds_applied must be 0 or more")
        with self._saving("record your ice or heat"):
            cursor = self._conn.execute(
                "UPDATE thermal_applications SET seconds_applied = ?, updated_at = ?,"
                " ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?",
                (seconds, _iso(at), ended, _iso(at), application_id),
            )
        if cursor.rowcount == 0:
            raise ValueError(f"there is no ice or heat application {application_id}")

    def record_skin_check(self, application_id: int, result: SkinResult, at: datetime) -> None:
        """Save the skin check at the end of an application."""
        require_aware(at, "at")
        with self._saving("save your skin check"):
            cursor = self._conn.execute(
                "UPDATE thermal_applications SET skin = ?, skin_at = ? WHERE id = ?",
                (result, _iso(at), application_id),
            )
        if cursor.rowcount == 0:
            raise ValueError(f"there is no ice or heat application {application_id}")

    def thermal_applications(self) -> list[ThermalApplication]:
        """Every ice and heat application, oldest first; one that cannot be read raises
        :class:`DamagedRecordError` (the player reads :meth:`thermal_records` instead)."""
        records = self.thermal_records()
        if records.damaged:
            raise DamagedRecordError(records.damaged[0].words, self.path)
        return list(records.applications)

    def add_skin_recheck(self, recheck: SkinRecheck) -> None:
        """Save an answer to "is your skin back to normal?"."""
        with self._saving("save your skin check"):
            self._conn.execute("INSERT INTO skin_rechecks (at, normal) VALUES (?, ?)",
                               (_iso(recheck.at), int(recheck.normal)))

    def skin_rechecks(self) -> list[SkinRecheck]:
        """Every "is your skin back to normal?" answer, oldest first; one that cannot be read
        raises :class:`DamagedRecordError`."""
        records = self.thermal_records()
        damaged = [d for d in records.damaged if d.table == "recheck"]
        if damaged:
            raise DamagedRecordError(damaged[0].words, self.path)
        return list(records.rechecks)

    def thermal_records(self) -> ThermalRecords:
        """Every ice and heat application and skin recheck: those that can be read, and those
        that cannot (a time that is not one the app wrote, an impossible value), described,
        never dropped in silence and never changed."""
        with self._saving("read your history"):
            app_rows = self._conn.execute(
                "SELECT id, kind, started_at, seconds_applied, updated_at, ended_at, session_id,"
                " step_index, skin, skin_at FROM thermal_applications ORDER BY id").fetchall()
            check_rows = self._conn.execute(
                "SELECT id, at, normal FROM skin_rechecks ORDER BY id").fetchall()
        applications: list[ThermalApplication] = []
        damaged: list[DamagedThermal] = []
        waiting: list[DamagedThermal] = []  # damaged, until the next readable one is known
        for row in app_rows:
            read = _application(row)
            if isinstance(read, DamagedThermal):
                waiting.append(read)
                continue
            applications.append(read)
            damaged += [_replace(d, next_at=read.started_at) for d in waiting]
            waiting = []
        damaged += waiting
        rechecks: list[SkinRecheck] = []
        waiting = []
        for check_id, at, normal in check_rows:
            when = _read_time(at)
            if when is not None and type(normal) is int and normal in (0, 1):
                rechecks.append(SkinRecheck(when, bool(normal)))
                damaged += [_replace(d, next_at=when) for d in waiting]
                waiting = []
                continue
            why = (_time_why("its time", at) if when is None
                   else f"its answer is {_shown(normal)}, not yes or no")
            waiting.append(DamagedThermal("recheck", check_id, why, started_at=when))
        damaged += waiting
        applications.sort(key=lambda a: (a.started_at, a.id or 0))
        return ThermalRecords(tuple(applications), tuple(rechecks), tuple(damaged))

    def add_thermal_screen(self, screen: ThermalScreen) -> None:
        """Save the answers to the ice-and-heat screen (a change later is a new record)."""
        values = [_flag(getattr(screen, name)) for name in SCREEN_FIELDS]
        with self._saving("save your answers"):
            self._conn.execute(
                f"INSERT INTO thermal_screen (at, {', '.join(SCREEN_FIELDS)})"
                f" VALUES (?, {', '.join('?' for _ in SCREEN_FIELDS)})",
                (_iso(screen.at), *values),
            )

    def latest_thermal_screen(self) -> ThermalScreen | None:
        """The latest answers to the ice-and-heat screen, or None. A latest record that cannot
        be read raises :class:`DamagedRecordError`: an earlier record is never used in its
        place (the latest answers may have been a yes)."""
        with self._saving("read your answers"):
            row = self._conn.execute(
                f"SELECT at, {', '.join(SCREEN_FIELDS)} FROM thermal_screen"
                " ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        at, *values = row
        for name, v in zip(SCREEN_FIELDS, values, strict=True):
            if v is not None and (type(v) is not int or v not in (0, 1)):
                raise DamagedRecordError(SCREEN_DAMAGED.format(
                    at=at, why=f"the answer to {name} is {v!r}, not yes or no"), self.path)
        answers: dict[str, Any] = {name: None if v is None else bool(v)
                                   for name, v in zip(SCREEN_FIELDS, values, strict=True)}
        try:
            return ThermalScreen(_time(at), **answers)
        except (TypeError, ValueError) as exc:
            raise DamagedRecordError(SCREEN_DAMAGED.format(
                at=repr(at), why=f"its time cannot be read ({exc})"), self.path) from exc


_SHOWN_CHARS = 40


def _shown(value: object) -> str:
    """A stored value as the message shows it: short, and its quotes say it is data."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "\u2026"


def _read_time(value: object) -> datetime | None:
    """A stored time as the app writes it (ISO 8601 with its UTC offset), else None."""
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.utcoffset() is not None else None


def _time_why(name: str, value: object) -> str:
    return f"{name} is {_shown(value)}, which is not a time the app writes"


def _seconds(value: object) -> float | None:
    if type(value) not in (int, float):
        return None
    seconds = float(cast(float, value))
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and type(value) is int and value >= 0 else None


def _application(row: tuple[Any, ...]) -> ThermalApplication | DamagedThermal:
    """One row of ``thermal_applications``: the application, or what is wrong with it."""
    app_id, kind, started, seconds, updated, ended, sid, step, skin, skin_at = row
    why: list[str] = []
    read_kind = kind if kind in THERMAL_KINDS else None
    if read_kind is None:
        why.append(f"its kind is {_shown(kind)}, not ice or heat")
    times: dict[str, datetime | None] = {}
    for name, value, may_be_empty in (("its start", started, False),
                                      ("its last save", updated, False),
                                      ("its end", ended, True), ("its skin check's time",
                                                                 skin_at, True)):
        times[name] = _read_time(value)
        if times[name] is None and not (may_be_empty and value is None):
            why.append(_time_why(name, value))
    read_seconds = _seconds(seconds)
    if read_seconds is None:
        why.append(f"its time on the skin is {_shown(seconds)}, not a number of seconds")
    read_skin = skin if skin in SKIN_RESULTS else None
    if skin is not None and read_skin is None:
        why.append(f"its skin check is {_shown(skin)}, not an answer the app writes")
    read_sid, read_step = _whole(sid), _whole(step)
    if (sid is not None and read_sid is None) or (step is not None and read_step is None):
        why.append("its session or step is not a number")
    if not why:
        try:
            return ThermalApplication(
                cast(ThermalKind, read_kind), cast(datetime, times["its start"]),
                cast(float, read_seconds), cast(datetime, times["its last save"]),
                times["its end"], read_sid, read_step, read_skin,
                times["its skin check's time"], app_id)
        except ValueError as exc:
            why.append(str(exc))
    return DamagedThermal(
        "application", app_id, "; ".join(why), kind=read_kind, started_at=times["its start"],
        updated_at=times["its last save"], ended_at=times["its end"], skin=read_skin,
        skin_damaged=skin is not None and read_skin is None,
        skin_at=times["its skin check's time"], seconds_applied=read_seconds,
        session_id=read_sid, step_index=read_step)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _symptoms(row: tuple[Any, ...]) -> SymptomAnswers:
    at, source, *values = row
    answers: dict[str, Any] = {name: None if v is None else bool(v)
                               for name, v in zip(SYMPTOM_FIELDS, values, strict=True)}
    return SymptomAnswers(_time(at), **answers, source=source)


_INSERT_RATING = (
    "INSERT INTO pain_ratings (at, context, rating, note, body_area, session_id, exercise_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _rating_row(rating: PainRating, session_id: int | None) -> tuple[Any, ...]:
    return (
        _iso(rating.at),
        rating.context,
        rating.rating,
        rating.note,
        rating.body_area,
        session_id,
        rating.exercise_id,
    )


def thresholds_json(thresholds: CareThresholds | None) -> str:
    """How a session's thresholds are stored: JSON of every field, or '' when not known."""
    return "" if thresholds is None else json.dumps(asdict(thresholds), sort_keys=True)


@functools.lru_cache(maxsize=64)
def thresholds_from_json(text: str) -> CareThresholds | None:
    """The thresholds :func:`thresholds_json` stored; None when not known or not readable.

    Cached: every session of a routine stores the same text, and the result is immutable.
    """
    if not text:
        return None
    try:
        values = json.loads(text)
        known = {f.name for f in fields(CareThresholds)}
        if not isinstance(values, dict) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in values.values()):
            return None
        thresholds = CareThresholds(**{k: v for k, v in values.items() if k in known})
    except (ValueError, TypeError):
        return None
    # Never looser than the cited defaults, never below a threshold's minimum (as the loader).
    for name, (minimum, _meaning) in STRICTER_IS_LOWER.items():
        if not minimum <= getattr(thresholds, name) <= getattr(DEFAULT_THRESHOLDS, name):
            return None
    return thresholds


@functools.lru_cache(maxsize=256)
def _variants(text: str) -> tuple[tuple[int, str], ...]:
    try:
        pairs = json.loads(text)
        return tuple((int(origin), str(exercise)) for origin, exercise in pairs)
    except (ValueError, TypeError):
        return ()


_new = object.__new__
_parse_time = datetime.fromisoformat
_by_time = operator.attrgetter("at")


def _ratings(rows: list[tuple[Any, ...]]) -> list[PainRating]:
    """The ratings of rows of :data:`_RATINGS`, sorted by time.

    Rows this store wrote are made into records without the records' checks run again (the
    cheap ones are made here; the table's CHECK constraints hold the rest): for years of
    history the dataclass checks cost more than the query itself. A row that fails them is
    given to :class:`PainRating` itself, which raises saying what is wrong.
    """
    ratings: list[PainRating] = []
    append = ratings.append
    contexts = frozenset(RATING_CONTEXTS)
    for at, context, rating, note, area, sid, exercise in rows:
        when = _parse_time(at)
        values = {"at": when, "context": context, "rating": rating, "note": note,
                  "body_area": area, "session_id": sid, "exercise_id": exercise}
        if when.tzinfo is not None and context in contexts and type(rating) is int \
                and PAIN_MIN <= rating <= PAIN_MAX:
            record = _new(PainRating)
            record.__dict__.update(values)
            append(record)
        else:
            append(PainRating(**values))  # raises, saying what is wrong
    ratings.sort(key=_by_time)
    return ratings


def _sessions(rows: Iterable[tuple[Any, ...]]) -> list[Session]:
    """The sessions of rows of :data:`_SESSIONS`, in the rows' order (made as
    :func:`_ratings` makes ratings; a row that fails the checks goes to :class:`Session`)."""
    sessions: list[Session] = []
    append = sessions.append
    outcomes = frozenset(SESSION_OUTCOMES)
    for (sid, title, version, file_hash, started, ended, outcome, completed, skipped,
         path, week, thresholds, variants, current_step, current_elapsed, planned,
         done) in rows:
        started_at = _parse_time(started)
        ended_at = None if ended is None else _parse_time(ended)
        values = {
            "id": sid, "routine_title": title, "routine_version": version,
            "routine_file_hash": file_hash, "started_at": started_at, "ended_at": ended_at,
            "outcome": outcome, "steps_completed": completed, "steps_skipped": skipped,
            "routine_path": path, "week": week, "thresholds": thresholds_from_json(thresholds),
            "variants": _variants(variants), "current_step": current_step,
            "current_elapsed": current_elapsed, "planned_exercise_seconds": planned,
            "done_exercise_seconds": done}
        if started_at.tzinfo is not None and (ended_at is None or ended_at.tzinfo is not None) \
                and outcome in outcomes and type(week) is int and week >= 1:
            record = _new(Session)
            record.__dict__.update(values)
            append(record)
        else:
            append(Session(**values))  # raises, saying what is wrong
    return sessions
