"""The ``history`` and ``report`` subcommands, and the report they share with the window.

``history export [--csv FILE]`` writes every pain rating as CSV; ``history import FILE`` reads a
diary back, all or nothing; ``report [--json] [--pdf FILE] [--routine FILE]`` prints adherence,
the pain trend and the current advice. :func:`build_report` gathers what the report says, so the
window's "save a report" button and the PDF (:mod:`player.ui.report_pdf`) say the same thing.

Adherence is measured against the schedule of ``--routine FILE``, else of the routine played
last when its file can still be found (by its content hash, else by title and version, among
the recent files, the person's routines folder and the bundled routines); without either there
is no schedule. Qt is imported only for ``--pdf``. The CSV and the PDF are written
owner-only (0600), like the history they come from (:mod:`player.private_files`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from player import paths, private_files
from player.core import bundled
from player.core.care import NOT_A_DIAGNOSIS, Advice, assess
from player.core.clinical import DEFAULT_THRESHOLDS
from player.core.diary_csv import export_csv, import_csv
from player.core.history import (
    BannerEvent,
    CareConfirmation,
    PainRating,
    Session,
    SymptomAnswers,
    routine_file_hash,
)
from player.core.loader import Library, load_library, load_routine_bytes
from player.core.progress import Adherence, PainTrend, Schedule, adherence, pain_trend
from player.core.routine import Routine
from player.settings import load_settings
from player.store.db import StoreError
from player.store.history import IMPORTED_ROUTINE_TITLE, HistoryStore

PROG = "routine-player"

#: Headings for the advice levels, as the report words them.
ADVICE_HEADINGS = {
    "emergency": "Emergency: get emergency help now",
    "urgent_today": "Urgent: contact your GP, an urgent-care line or your cancer team today",
    "see_professional": "See a professional soon",
    "none": "No warning signs in the pain diary or the symptom answers",
}

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- Reading the history ---------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryData:
    """Everything the report and the history view read from the history, loaded once."""

    ratings: tuple[PainRating, ...] = ()
    sessions: tuple[Session, ...] = ()
    symptoms: SymptomAnswers | None = None
    banner_events: tuple[BannerEvent, ...] = ()
    symptom_history: tuple[SymptomAnswers, ...] = ()
    """Every symptom answer as given (the care rules use these when there are any)."""
    confirmations: tuple[CareConfirmation, ...] = ()

    @classmethod
    def from_store(cls, store: HistoryStore) -> HistoryData:
        """Read it all from *store* (raises :class:`StoreError` like the store does)."""
        return cls(tuple(store.ratings()), tuple(store.sessions()), store.latest_symptoms(),
                   tuple(store.banner_events()), tuple(store.symptom_history()),
                   tuple(store.confirmations()))


def load_history(data_dir: Path, err: TextIO | None = None) -> HistoryData:
    """The history in *data_dir*; empty (and nothing created) when there is no database yet.

    What the store says while opening (e.g. a damaged file put aside) is printed on *err*.
    """
    if not paths.database_file(data_dir).exists():
        return HistoryData()
    with HistoryStore.open(data_dir) as store:
        for notice in store.notices:
            print(f"{PROG}: {notice}", file=err or sys.stderr)
        return HistoryData.from_store(store)


# --- Which routine, which schedule -------------------------------------------------------------


def last_played(sessions: Iterable[Session]) -> Session | None:
    """The latest session of a routine (imported diary sessions are not routines)."""
    played = [s for s in sessions if s.routine_title != IMPORTED_ROUTINE_TITLE]
    return max(played, key=lambda s: (s.started_at, s.id), default=None)


def routine_candidates(data_dir: Path) -> list[Path]:
    """Where the routine played last may be: recent files, my routines folder, bundled ones."""
    recent = [Path(p) for p in load_settings(paths.settings_file(data_dir)).settings.recent_files]
    user_dir = paths.user_routines_dir(data_dir)
    own = sorted(p for p in user_dir.glob("*.y*ml")) if user_dir.is_dir() else []
    unique: dict[Path, None] = dict.fromkeys([*recent, *own, *bundled.bundled_routines()])
    return list(unique)


def find_played_routine(session: Session, candidates: Iterable[Path],
                        library: Library | None = None) -> Routine | None:
    """The routine *session* played, if one of *candidates* still loads as it.

    A file with the session's content hash wins; else one with its title (and version, when
    the session has one).
    """
    by_title: Routine | None = None
    for path in candidates:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        same_file = bool(session.routine_file_hash) and (
            routine_file_hash(data) == session.routine_file_hash)
        routine = load_routine_bytes(data, path, library).routine
        if routine is None or routine.title != session.routine_title:
            continue
        if same_file:
            return routine
        if by_title is None and (not session.routine_version
                                 or routine.version == session.routine_version):
            by_title = routine
    return by_title


def schedule_for(routine: Routine, sessions: Iterable[Session], today: date) -> Schedule | None:
    """The routine's schedule as :mod:`player.core.progress` measures it, or None without one.

    It starts on the day the routine was first played (today if never) and runs for the
    routine's ``weeks``, or, without them, up to the current week.
    """
    prescribed = routine.schedule
    weekdays = (frozenset(_WEEKDAYS.index(d) for d in prescribed.weekdays)
                if prescribed.weekdays else None)
    times = None if weekdays else prescribed.times_per_week
    if weekdays is None and times is None:
        return None
    played = [s.started_at.date() for s in sessions if s.routine_title == routine.title]
    start = min(played, default=today)
    weeks = prescribed.weeks or max(1, (today - start).days // 7 + 1)
    return Schedule(start=start, weeks=weeks, times_per_week=times, weekdays=weekdays)


def describe_schedule(schedule: Schedule) -> str:
    """``3 times a week for 6 weeks, from Mon 4 Mar 2024`` (or the chosen weekdays)."""
    if schedule.weekdays is not None:
        names = ", ".join(_WEEKDAYS[d].capitalize() for d in sorted(schedule.weekdays))
        how = f"on {names}"
    else:
        count = schedule.times_per_week
        how = "once a week" if count == 1 else f"{count} times a week"
    weeks = "1 week" if schedule.weeks == 1 else f"{schedule.weeks} weeks"
    return f"{how} for {weeks}, from {format_day(schedule.start)}"


def format_day(day: date) -> str:
    """``Mon 4 Mar 2024``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What the report says, for the text, the JSON and the PDF."""

    generated: datetime
    routine: Routine | None
    schedule: Schedule | None
    adherence: Adherence | None
    pain: PainTrend
    advice: Advice
    ratings: tuple[PainRating, ...]
    banner_events: tuple[BannerEvent, ...]
    sessions_total: int

    def to_json(self) -> dict[str, Any]:
        """The ``report --json`` object."""
        routine = None if self.routine is None else {
            "title": self.routine.title,
            "version": self.routine.version,
            "path": None if self.routine.path is None else str(self.routine.path),
        }
        return {
            "generated": self.generated.isoformat(timespec="seconds"),
            "routine": routine,
            "advice": {
                "level": self.advice.level,
                "reasons": list(self.advice.reasons),
                "details": [d.to_json() for d in self.advice.details],
                "what_to_do": self.advice.what_to_do,
                "not_a_diagnosis": NOT_A_DIAGNOSIS,
            },
            "adherence": None if self.adherence is None else self.adherence.to_json(),
            "pain": self.pain.to_json(),
            "sessions": self.sessions_total,
            "banner_events": [
                {"at": e.at.isoformat(timespec="seconds"), "action": e.action, "level": e.level,
                 "reasons": list(e.reasons), "codes": list(e.codes)}
                for e in self.banner_events
            ],
        }


def build_report(history: HistoryData, routine: Routine | None, now: datetime) -> Report:
    """Adherence (against *routine*'s schedule), pain trend and advice as they stand at *now*.

    The routine's own (stricter) care thresholds apply when a routine is given.
    """
    thresholds = routine.pain_checks.thresholds if routine is not None else DEFAULT_THRESHOLDS
    today = now.date()
    schedule = None if routine is None else schedule_for(routine, history.sessions, today)
    done = None
    if routine is not None and schedule is not None:
        own = [s for s in history.sessions if s.routine_title == routine.title]
        done = adherence(own, schedule, today)
    return Report(
        generated=now,
        routine=routine,
        schedule=schedule,
        adherence=done,
        pain=pain_trend(history.ratings, now),
        advice=assess(history.ratings, history.symptom_history or history.symptoms, now,
                      thresholds, confirmations=history.confirmations,
                      session_starts={s.id: s.started_at for s in history.sessions}),
        ratings=history.ratings,
        banner_events=history.banner_events,
        sessions_total=sum(1 for s in history.sessions
                           if s.routine_title != IMPORTED_ROUTINE_TITLE),
    )


def adherence_lines(report: Report) -> list[str]:
    """Adherence in plain sentences (the schedule, this week, overall, the streak)."""
    if report.routine is None:
        return ["No routine to measure against: adherence needs a routine with a schedule."]
    if report.schedule is None or report.adherence is None:
        return [f"{report.routine.title} has no schedule, so adherence is not measured."]
    done = report.adherence
    lines = [f"Prescribed: {describe_schedule(report.schedule)}."]
    if done.weeks:
        week = done.weeks[-1]
        lines.append(f"This week (week {week.number}): {week.done} of {week.prescribed} "
                     "sessions done.")
    if done.percent is not None:
        lines.append(f"Overall: {done.percent:g} % of prescribed sessions done "
                     f"({done.sessions_done} sessions in {len(done.weeks)} weeks).")
    weeks = "week" if done.streak_weeks == 1 else "weeks"
    lines.append(f"On target {done.streak_weeks} {weeks} in a row.")
    return lines


def pain_lines(pain: PainTrend) -> list[str]:
    """The pain trend in plain sentences."""
    if not pain.ratings:
        return ["No pain ratings yet."]
    lines = [f"{pain.ratings} ratings ({pain.resting_ratings} resting: before a session or a "
             "daily check-in)."]
    lines.append("Starting level (median of the first week's resting ratings): "
                 + ("not enough ratings" if pain.baseline is None else f"{pain.baseline:g}/10")
                 + ".")
    lines.append("Recent level (median of the resting ratings of the last 7 days, else 14): "
                 + ("too few ratings" if pain.recent is None else f"{pain.recent:g}/10")
                 + ".")
    if pain.change_points is not None:
        lines.append(f"Change: {change_words(pain.change_points, pain.change_percent)}.")
    return lines


def change_words(points: float, percent: float | None) -> str:
    """``2 points better (-40 %)``, ``1 point worse (+25 %)`` or ``no change``."""
    if points == 0:
        return "no change"
    size = abs(points)
    word = "better" if points < 0 else "worse"
    text = f"{size:g} point{'' if size == 1 else 's'} {word}"
    return text if percent is None else f"{text} ({percent:+g} %)"


def format_report(report: Report) -> str:
    """The plain-text report."""
    out = [f"Exercise and pain report, {report.generated:%Y-%m-%d %H:%M}"]
    if report.routine is not None:
        version = f" (version {report.routine.version})" if report.routine.version else ""
        out.append(f"Routine: {report.routine.title}{version}")
    else:
        out.append("Routine: none found (give one with --routine FILE)")
    out += ["", "Adherence", *(f"  {line}" for line in adherence_lines(report))]
    out += ["", "Pain", *(f"  {line}" for line in pain_lines(report.pain))]
    out += ["", f"Current advice: {ADVICE_HEADINGS[report.advice.level]}"]
    out += [f"  - {reason}" for reason in report.advice.reasons]
    if report.advice.what_to_do:
        out.append(f"  {report.advice.what_to_do}")
    out.append(f"  {NOT_A_DIAGNOSIS}")
    if report.banner_events:
        out += ["", "Care banner (shown and dismissed)"]
        for e in report.banner_events:
            first = e.reasons[0] if e.reasons else ""
            out.append(f"  {e.at:%Y-%m-%d %H:%M}  {e.action:<9}  "
                       f"{ADVICE_HEADINGS[e.level]}: {first}")
    return "\n".join(out) + "\n"


# --- The subcommands ----------------------------------------------------------------------------


def cmd_history(data_dir: Path, ns: argparse.Namespace) -> int:
    """``history export [--csv FILE]`` and ``history import FILE``."""
    try:
        if ns.history_command == "export":
            return _export(data_dir, ns.csv)
        return _import(data_dir, Path(ns.file))
    except StoreError as exc:
        return _fail(str(exc))


def cmd_report(data_dir: Path, ns: argparse.Namespace, now: datetime | None = None) -> int:
    """``report [--json] [--pdf FILE] [--routine FILE]``: adherence, pain and the advice."""
    now = now or datetime.now().astimezone()
    try:
        history = load_history(data_dir)
    except StoreError as exc:
        return _fail(str(exc))
    routine_file = ns.routine
    if routine_file:
        routine, problem = _load_given_routine(Path(routine_file))
        if routine is None:
            return _fail(problem)
    else:
        session = last_played(history.sessions)
        routine = (None if session is None
                   else find_played_routine(session, routine_candidates(data_dir)))
    report = build_report(history, routine, now)
    if ns.json:
        json.dump(report.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_report(report))
    if ns.pdf:
        from player.ui.report_pdf import write_report_pdf

        try:
            write_report_pdf(report, Path(ns.pdf))
        except OSError as exc:
            return _fail(f"cannot write {ns.pdf}: {exc.strerror or exc}")
        print(f"wrote {ns.pdf}", file=sys.stderr)
    return 0


def _load_given_routine(path: Path) -> tuple[Routine | None, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"
    result = load_routine_bytes(data, path, load_library())
    if result.routine is None:
        for problem in result.errors:
            print(problem.format(str(path)), file=sys.stderr)
        return None, f"{path} is not a usable routine; see the problems above"
    return result.routine, ""


def _export(data_dir: Path, csv_file: str | None) -> int:
    text = export_csv(load_history(data_dir).ratings)
    if csv_file is None:
        sys.stdout.write(text)
        return 0
    try:
        # Bytes, so the line ends are export_csv's on every platform; 0600, like the history.
        private_files.write_atomically(Path(csv_file), text.encode("utf-8"))
    except OSError as exc:
        return _fail(f"cannot write {csv_file}: {exc.strerror or exc}")
    return 0


def _import(data_dir: Path, path: Path) -> int:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return _fail(f"{path} is not UTF-8 text; save it as UTF-8 CSV and try again")
    diary = import_csv(text, datetime.now().astimezone())
    if not diary.ok:
        for problem in diary.problems:
            print(f"{path}:{problem.line or 1}: error: {problem.message}", file=sys.stderr)
        count = len(diary.problems)
        print(f"{PROG}: nothing was imported: {count} problem{'' if count == 1 else 's'} "
              f"in {path}", file=sys.stderr)
        return 1
    with HistoryStore.open(data_dir) as store:
        for notice in store.notices:
            print(f"{PROG}: {notice}", file=sys.stderr)
        added = store.import_ratings(diary.ratings)
    known = len(diary.ratings) - added
    print(f"imported {added} rating{'' if added == 1 else 's'} from {path}"
          + (f" ({known} already in your history)" if known else ""))
    return 0


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 1
