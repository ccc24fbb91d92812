"""The report: adherence, the pain trend, the advice and the banner's history, in one model.

:func:`report_for` builds it from a :class:`HistoryData` (what the history holds), for the
``report`` command (text, ``--json``, ``--pdf``), the history page and the PDF the window saves,
so that they can never disagree; the care banner uses the same thresholds
(:func:`thresholds_in_force`): those stored with the sessions of the routine being followed.

Adherence is measured against the schedule of the routine given, else of the routine played
last when its file can still be found (by its content hash, else by title and version, among
the candidates the caller passes); without either there is no schedule.

Pure Python, no Qt, no database: the store gives the history, the caller the candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any, Final

from player.core.care import NOT_A_DIAGNOSIS, Advice, assess
from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.history import (
    IMPORTED_ROUTINE_TITLE,
    BannerEvent,
    CareConfirmation,
    HistoryData,
    PainRating,
    Session,
    SymptomAnswers,
)
from player.core.loader import Library
from player.core.played import PLAYED_ORDER as _PLAYED_ORDER
from player.core.played import find_played_routine as find_played_routine  # re-exported
from player.core.played import last_played as last_played  # re-exported
from player.core.played import thresholds_in_force as thresholds_in_force  # re-exported
from player.core.programme import Programme, programme_for
from player.core.progress import Adherence, PainTrend, Schedule, adherence, pain_trend
from player.core.routine import CadenceStep, ExerciseStep, HeatStep, IceStep, RestStep, Routine
from player.core.text import escape_controls
from player.core.timeline import prescriber_text

# User-visible text, in one place for translation.
#: Headings for the advice levels, as the report words them.
ADVICE_HEADINGS = {
    "emergency": "Emergency: get emergency help now",
    "urgent_today": "Urgent: contact your GP, an urgent-care line or your cancer team today",
    "see_professional": "See a professional soon",
    "none": "No warning signs in the pain diary or the symptom answers",
}

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- Which routine, which schedule, which thresholds ----------------------------------------


def played_sessions(sessions: Iterable[Session]) -> tuple[Session, ...]:
    """The sessions of routines, oldest first: an imported diary's ratings are kept under a
    session of their own (:data:`~player.core.history.IMPORTED_ROUTINE_TITLE`), not shown or
    counted as one."""
    played = [s for s in sessions if s.routine_title != IMPORTED_ROUTINE_TITLE]
    return tuple(sorted(played, key=_PLAYED_ORDER))


def schedule_for(routine: Routine, sessions: Iterable[Session], today: date,
                 chosen_starts: Mapping[str, date] | None = None, *,
                 programme: Programme | None = None) -> Schedule | None:
    """The routine's schedule as :mod:`player.core.progress` measures it, or None without one.

    It starts when its programme does (:func:`~player.core.programme.programme_for`: the day
    chosen, else its first session, else today; or ``programme``, when the caller has it) and
    runs for the routine's ``weeks``, or, without them, up to the current week.
    """
    prescribed = routine.schedule
    weekdays = (frozenset(_WEEKDAYS.index(d) for d in prescribed.weekdays)
                if prescribed.weekdays else None)
    times = None if weekdays else prescribed.times_per_week
    if programme is None:
        programme = programme_for(routine, sessions, today, chosen_starts)
    if (weekdays is None and times is None) or programme is None:
        return None
    weeks = prescribed.weeks or programme.week_on(today)
    return Schedule(start=programme.start, weeks=weeks, times_per_week=times, weekdays=weekdays,
                    sessions_per_day=prescribed.sessions_per_day)


def describe_schedule(schedule: Schedule) -> str:
    """``3 times a week for 6 weeks, from Mon 4 Mar 2024`` (or the chosen weekdays)."""
    if schedule.weekdays is not None:
        names = ", ".join(_WEEKDAYS[d].capitalize() for d in sorted(schedule.weekdays))
        how = f"on {names}"
    else:
        count = schedule.times_per_week
        how = "once a week" if count == 1 else f"{count} times a week"
    if schedule.sessions_per_day > 1:  # "2 times a day, every day", not "14 times a week"
        days = ("every day" if schedule.times_per_week == 7 else
                how if schedule.weekdays is not None else f"{count} days a week")
        how = f"{schedule.sessions_per_day} times a day, {days}"
    weeks = "1 week" if schedule.weeks == 1 else f"{schedule.weeks} weeks"
    return f"{how} for {weeks}, from {format_day(schedule.start)}"


def format_day(day: date) -> str:
    """``Mon 4 Mar 2024``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


# --- The person's confirmations about red-flag advice (user-visible) --------------------------

CONFIRMATIONS_HEADING: Final = "What the person confirmed about red-flag advice"
CONFIRMATION_WORDS: Final[Mapping[tuple[str, str], str]] = {
    ("emergency", "clinician_checked"): "a clinician has assessed the emergency signs",
    ("urgent_today", "clinician_checked"): "a clinician has checked the signs that needed care "
                                           "today",
    ("urgent_today", "will_contact_today"): "I will contact them today, start anyway",
}


# --- Sessions stopped for a red flag (user-visible) ------------------------------------------

RED_FLAG_STOPS_HEADING: Final = ("Sessions stopped because of a red-flag answer given during them "
                                 "(not counted as done)")
RED_FLAG_STOP_LINE: Final = "{when}  {routine}"


def red_flag_stop_lines(report: Report) -> list[str]:
    """One line per session stopped for a red flag: when it started and its routine (text from
    the routine file: the caller escapes it for its medium)."""
    return [RED_FLAG_STOP_LINE.format(when=f"{format_day(s.started_at.date())} "
                                           f"{s.started_at:%H:%M}", routine=s.routine_title)
            for s in report.red_flag_stops]


def confirmation_words(confirmation: CareConfirmation) -> str:
    """What a confirmation said, in plain words."""
    key = (confirmation.level, confirmation.kind)
    return CONFIRMATION_WORDS.get(key, f"{confirmation.level}: {confirmation.kind}")


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
    sessions: tuple[Session, ...]
    """The sessions played, oldest first (an imported diary's ratings are not sessions)."""
    thresholds: CareThresholds = DEFAULT_THRESHOLDS
    programme: Programme | None = None
    symptoms: SymptomAnswers | None = None
    """The latest answers to the symptom questions (None: never answered)."""
    exercise_names: Mapping[str, str] = field(default_factory=dict)
    """Exercise names by id, for the per-exercise ratings (the routine's and the library's)."""
    confirmations: tuple[CareConfirmation, ...] = ()
    """The person's "a clinician has checked this" and "I will contact them today, start
    anyway" records, oldest first, for the clinician."""

    @property
    def sessions_total(self) -> int:
        """How many sessions were played."""
        return len(self.sessions)

    @property
    def red_flag_stops(self) -> tuple[Session, ...]:
        """The sessions the app stopped at an emergency or urgent-today answer given during
        them (outcome ``stopped_red_flag``), oldest first."""
        return tuple(s for s in self.sessions if s.outcome == "stopped_red_flag")

    def to_json(self) -> dict[str, Any]:
        """The ``report --json`` object."""
        routine = None if self.routine is None else {
            "title": self.routine.title,
            "version": self.routine.version,
            "path": None if self.routine.path is None else str(self.routine.path),
            "prescriber": None if self.routine.prescriber is None else {
                "name": self.routine.prescriber.name, "clinic": self.routine.prescriber.clinic,
                "phone": self.routine.prescriber.phone},
            "clinician_notes": clinician_note_lines(self.routine),
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
            "programme": None if self.programme is None else {
                "start": self.programme.start.isoformat(),
                "week": self.programme.week_on(self.generated.date()),
                "weeks": self.programme.weeks,
                "label": self.programme.label(self.generated.date()),
            },
            "adherence": None if self.adherence is None else self.adherence.to_json(),
            "pain": self.pain.to_json(),
            "sessions": self.sessions_total,
            "banner_events": [
                {"at": e.at.isoformat(timespec="seconds"), "action": e.action, "level": e.level,
                 "reasons": list(e.reasons), "codes": list(e.codes)}
                for e in self.banner_events
            ],
            "confirmations": [
                {"at": c.at.isoformat(timespec="seconds"), "level": c.level, "kind": c.kind}
                for c in self.confirmations
            ],
            "red_flag_stops": [
                {"session": s.id, "started": s.started_at.isoformat(timespec="seconds"),
                 "ended": None if s.ended_at is None else s.ended_at.isoformat(
                     timespec="seconds"),
                 "routine": s.routine_title}
                for s in self.red_flag_stops
            ],
        }


def build_report(history: HistoryData, routine: Routine | None, now: datetime,
                 thresholds: CareThresholds | None = None,
                 chosen_starts: Mapping[str, date] | None = None,
                 library: Library | None = None) -> Report:
    """Adherence (against *routine*'s schedule), pain trend and advice as they stand at *now*,
    judged with ``thresholds`` (by default :func:`thresholds_in_force` for the history).
    ``chosen_starts`` are the programme starts the person chose, by routine title; the
    exercises of ``library`` and of *routine* name the per-exercise ratings."""
    if thresholds is None:
        thresholds = thresholds_in_force(history.sessions, given=routine)
    today = now.date()
    programme = (None if routine is None
                 else programme_for(routine, history.sessions, today, chosen_starts))
    schedule = (None if routine is None
                else schedule_for(routine, history.sessions, today, chosen_starts,
                                  programme=programme))
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
        sessions=played_sessions(history.sessions),
        thresholds=thresholds,
        programme=programme,
        symptoms=history.symptoms,
        exercise_names=_exercise_names(routine, library),
        confirmations=tuple(sorted(history.confirmations, key=lambda c: c.at)),
    )


def _exercise_names(routine: Routine | None, library: Library | None) -> dict[str, str]:
    names = {} if library is None else {i: e.name for i, e in library.exercises.items()}
    if routine is not None:
        names.update((e.id, e.name) for e in routine.exercises())
    return names


def report_for(history: HistoryData, now: datetime, candidates: Iterable[Path], *,
               given: Routine | None = None, library: Library | None = None,
               chosen_starts: Mapping[str, date] | None = None) -> Report:
    """The report on ``history`` at ``now``: against ``given`` (the ``--routine`` file), else
    the routine played last when one of ``candidates`` still is its file."""
    routine = given
    if routine is None:
        session = last_played(history.sessions)
        routine = (None if session is None
                   else find_played_routine(session, candidates, library))
    thresholds = thresholds_in_force(history.sessions, given=given or routine)
    return build_report(history, routine, now, thresholds, chosen_starts, library)


def adherence_lines(report: Report) -> list[str]:
    """Adherence in plain sentences (the schedule, this week, overall, the streak)."""
    if report.routine is None:
        return ["No routine to measure against: adherence needs a routine with a schedule."]
    if report.schedule is None or report.adherence is None:
        return [f"{report.routine.title} has no schedule, so adherence is not measured."]
    done = report.adherence
    lines = [f"Prescribed: {describe_schedule(report.schedule)}."]
    today = report.generated.date()
    programme = report.programme
    if programme is not None:
        lines.append(f"Programme: {programme.label(today)}.")
    if done.weeks and not (programme is not None and programme.finished(today)):
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


#: The report's section of the routine's clinician notes (format 1.1), and one step's line.
CLINICIAN_NOTES_HEADING = "Clinician notes"
STEP_CLINICIAN_NOTE = "{block}, {step}: {text}"
#: How a step without an exercise is named there (a cadence drill by its own name).
STEP_NAMES = {RestStep: "Rest", IceStep: "Ice", HeatStep: "Heat"}


def clinician_note_lines(routine: Routine) -> list[str]:
    """The routine's clinician notes, then each step's as ``Block, Step: text`` (format 1.1;
    for the clinician's report only, never the patient)."""
    lines = [routine.clinician_notes] if routine.clinician_notes else []
    for block in routine.blocks:
        for step in block.steps:
            if step.clinician_notes:
                if isinstance(step, ExerciseStep):
                    name = step.exercise.name
                elif isinstance(step, CadenceStep):
                    name = step.name
                else:
                    name = STEP_NAMES[type(step)]
                lines.append(STEP_CLINICIAN_NOTE.format(block=block.name, step=name,
                                                        text=step.clinician_notes))
    return lines


def format_report(report: Report) -> str:
    """The plain-text report, for a terminal: text from files is escaped (no control character,
    bidi override or line break inside a field reaches the terminal)."""
    out = [f"Exercise and pain report, {report.generated:%Y-%m-%d %H:%M}"]
    if report.routine is not None:
        version = f" (version {report.routine.version})" if report.routine.version else ""
        out.append(f"Routine: {report.routine.title}{version}")
        if report.routine.prescriber is not None:
            out.append(prescriber_text(report.routine.prescriber))
        notes = clinician_note_lines(report.routine)
        if notes:
            out += ["", CLINICIAN_NOTES_HEADING, *(f"  {line}" for line in notes)]
    else:
        out.append("Routine: none found (give one with --routine FILE)")
    out += ["", "Adherence", *(f"  {line}" for line in adherence_lines(report))]
    out += ["", "Pain", *(f"  {line}" for line in pain_lines(report.pain))]
    out += ["", f"Current advice: {advice_heading(report.advice.level)}"]
    out += [f"  - {reason}" for reason in report.advice.reasons]
    if report.advice.what_to_do:
        out.append(f"  {report.advice.what_to_do}")
    out.append(f"  {NOT_A_DIAGNOSIS}")
    if report.confirmations:
        out += ["", CONFIRMATIONS_HEADING]
        out += [f"  {c.at:%Y-%m-%d %H:%M}  {confirmation_words(c)}" for c in report.confirmations]
    if report.red_flag_stops:
        out += ["", RED_FLAG_STOPS_HEADING, *(f"  {line}" for line in red_flag_stop_lines(report))]
    if report.banner_events:
        out += ["", "Care banner (shown and dismissed)"]
        for e in report.banner_events:
            first = e.reasons[0] if e.reasons else ""
            out.append(f"  {e.at:%Y-%m-%d %H:%M}  {e.action:<9}  "
                       f"{advice_heading(e.level)}: {first}")
    return "\n".join(escape_controls(line) for line in out) + "\n"


# --- For the PDF's summary page -------------------------------------------------------------

#: The chart's default period spans the ratings, but never less than this ...
CHART_MIN_DAYS = 28
#: ... nor more than this (the last six months of ratings).
CHART_MAX_DAYS = 182
_CHART_PAD = timedelta(hours=12)  # so the first and last markers are not cut by the frame

#: How a ``during`` rating with no exercise recorded is listed.
NO_EXERCISE = "Exercise not recorded"
#: The heading of an advice level this version does not know (a newer care rule's level).
UNKNOWN_ADVICE_HEADING = "Advice: {level}"


def advice_heading(level: str) -> str:
    """The heading for an advice level; a level without one of :data:`ADVICE_HEADINGS` (from
    a newer version of the care rules) is named in words rather than failing."""
    known = ADVICE_HEADINGS.get(level)
    if known is not None:
        return known
    return UNKNOWN_ADVICE_HEADING.format(level=level.replace("_", " "))


def chart_period(ratings: Iterable[PainRating], now: datetime) -> tuple[datetime, datetime] | None:
    """The period the report's pain chart shows by default: from the first rating of the
    last :data:`CHART_MAX_DAYS` days of ratings to the last one, widened to at least
    :data:`CHART_MIN_DAYS` days (back in time, so it still ends with the latest rating).
    None without a rating up to *now*."""
    times = [r.at for r in ratings if r.at <= now]
    if not times:
        return None
    end = max(times) + _CHART_PAD
    earliest = end - timedelta(days=CHART_MAX_DAYS)
    start = min(t for t in times if t - _CHART_PAD >= earliest) - _CHART_PAD
    return min(start, end - timedelta(days=CHART_MIN_DAYS)), end


@dataclass(frozen=True)
class ExercisePain:
    """The ``during`` ratings given for one exercise."""

    exercise_id: str
    name: str
    ratings: int
    median: float
    highest: int


def exercise_pain(report: Report) -> tuple[ExercisePain, ...]:
    """The ratings given during a session, grouped by exercise, the most painful first
    (highest median, then highest rating, then by name)."""
    by_id: dict[str, list[int]] = {}
    for r in report.ratings:
        if r.context == "during":
            by_id.setdefault(r.exercise_id, []).append(r.rating)
    rows = [ExercisePain(ident, exercise_name(report, ident), len(values),
                         float(median(values)), max(values))
            for ident, values in by_id.items()]
    rows.sort(key=lambda e: (-e.median, -e.highest, e.name.casefold(), e.exercise_id))
    return tuple(rows)


def exercise_name(report: Report, exercise_id: str) -> str:
    """The exercise's name, else its id in words (``cat-cow`` becomes ``Cat cow``);
    :data:`NO_EXERCISE` for none."""
    if not exercise_id:
        return NO_EXERCISE
    name = report.exercise_names.get(exercise_id)
    if name:
        return name
    words = exercise_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else exercise_id
