"""The pain diary as CSV: export every rating, import a diary back all or nothing.

The format, one rating a line::

    timestamp,context,rating,note,session
    2024-03-04T09:00:00+01:00,before,4,stiff after sitting,12
    2024-03-04T09:40:00+01:00,after,3,,12
    2024-03-05T08:15:00+01:00,checkin,3,,

``timestamp`` is ISO 8601 local time with its UTC offset; ``context`` is ``before``, ``after``,
``during``, ``checkin`` or ``morning_after`` (the next-morning check of a session); ``rating`` a
whole number 0-10; ``session`` ties the ratings of one session together (the session's number in
the exporting app) and is empty for check-ins. A ``morning_after`` rating must name a session
that has a ``before`` rating in the same file, and no rating may be dated more than 10 minutes
after the moment of the import (clinical-notes.md v2).

Import also takes a diary as a person keeps it in a spreadsheet: ``2024-03-04 09:00`` (no
offset: local time), ``2024-03-04`` (a date alone: noon, local time), and any session label
(``Mon morning``); export always writes the full form above.

Text in, text out: the caller reads and writes the file (as UTF-8, with ``newline=""``).

A diary may come from anywhere, and the export is opened in spreadsheets:

* **export** neutralises formulas as OWASP advises for CSV injection: a cell starting with
  ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading ``'`` (so does a cell that already starts
  with ``'`` followed by one of those, so the rule can be undone exactly); cells holding a
  comma, a quote, CR or LF are quoted. Import removes that ``'`` again: export then import
  gives back exactly the same notes, a bare CR included;
* **import** refuses, with the line: files over :data:`MAX_DIARY_BYTES`, more than
  :data:`MAX_DIARY_ROWS` ratings, ratings and session numbers that are not small whole numbers
  (their digits are counted before conversion), times before :data:`EARLIEST_YEAR` or more
  than 10 minutes after now (:func:`~player.core.history.is_future_dated`). Nothing is imported
  from a file with a problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import TYPE_CHECKING, cast

from player.core.clinical import PAIN_MAX, PAIN_MIN
from player.core.history import RATING_CONTEXTS, PainRating, RatingContext, is_future_dated
from player.core.localtime import local_zone
from player.core.problems import Problem, error
from player.core.text import quoted, shorten

if TYPE_CHECKING:
    from _csv import Reader

HEADER = ("timestamp", "context", "rating", "note", "session")
_HEADER_LINE = ",".join(HEADER)

#: Largest diary file imported: 20 MiB is about 300,000 ratings with short notes.
MAX_DIARY_BYTES = 20 * 1024 * 1024
#: Most ratings imported from one file: ten a day for 27 years.
MAX_DIARY_ROWS = 100_000
#: Ratings dated before this year are refused (a typo, or a year such as 0001 from a bad cell).
EARLIEST_YEAR = 1900
#: Digits counted before a number is converted: a rating has at most 2, a session number 12.
RATING_DIGITS = 2
SESSION_DIGITS = 12
#: A session label kept by hand ("12", "Mon morning") may be this long at most.
MAX_SESSION_LABEL = 100
#: When a rating dated by its day alone is taken to have been given (local time).
DATE_ALONE_AT = time(12, 0)
#: Problems listed for one file; the rest are counted in one last problem.
MAX_DIARY_PROBLEMS = 200

#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Put before such a cell on export, and taken away again on import.
FORMULA_GUARD = "'"

# User-visible messages, in one place.
TOO_LARGE = ("The file is {size}; a pain diary may be at most {limit:,} bytes ({mib:g} MiB). "
             "Split it into smaller files and import them one by one.")
TOO_MANY_ROWS = ("The file has more than {limit:,} ratings; split it into smaller files and "
                 "import them one by one.")
TOO_EARLY = ("The timestamp {value} is before the year {year}; check the year.")
IN_THE_FUTURE = ("The timestamp {value} is later than now ({now}): a rating cannot be given in "
                 "the future. Check the date, or the clock of the device that wrote the diary.")
MORNING_AFTER_NO_SESSION = ("A morning_after rating must name its session (the session column "
                            "is empty).")
MORNING_AFTER_NO_BEFORE = ("This morning_after rating names session {session}, which has no "
                           "before rating in this file to compare it with.")
NOT_A_TIME = ("The timestamp {value} is not a date and time like 2024-03-04T09:00:00+01:00, "
              "2024-03-04 09:00 (local time) or 2024-03-04 (a date alone).")
LABEL_TOO_LONG = "A session label may be at most {limit} characters, not {label}."
MORE_PROBLEMS = ("{count:,} more problems are not listed; fix the ones above and import the "
                 "file again.")


def export_csv(ratings: Iterable[PainRating]) -> str:
    """Every rating as CSV text with :data:`HEADER`, oldest first.

    Times are written to the second, or to the microsecond when they have a fraction of a
    second (as ratings recorded in the window do), so that importing the export gives back the
    very same times and a second import of it adds nothing. ``body_area`` is not part of the
    format and is left out.
    """
    lines = [_HEADER_LINE]
    for r in sorted(ratings, key=lambda r: r.at):
        session = "" if r.session_id is None else str(r.session_id)
        when = r.at.isoformat(timespec="microseconds" if r.at.microsecond else "seconds")
        cells = [when, r.context, str(r.rating), r.note, session]
        lines.append(",".join(_csv_cell(guard_formula(cell)) for cell in cells))
    return "\n".join(lines) + "\n"


def guard_formula(cell: str) -> str:
    """``cell`` as a spreadsheet will not run it: a leading :data:`FORMULA_GUARD` before a
    formula start (and before a guard that precedes one, so :func:`unguard_formula` undoes
    exactly this)."""
    if cell.startswith(FORMULA_STARTS) or (
            cell.startswith(FORMULA_GUARD) and unguard_formula(cell) != cell):
        return FORMULA_GUARD + cell
    return cell


def unguard_formula(cell: str) -> str:
    """The cell :func:`guard_formula` was given (a cell without a guard is left as it is)."""
    rest = cell[len(FORMULA_GUARD):]
    if cell.startswith(FORMULA_GUARD) and rest.startswith((*FORMULA_STARTS, FORMULA_GUARD)):
        return rest
    return cell


def _csv_cell(cell: str) -> str:
    """One CSV cell: quoted when it holds a comma, a quote, CR or LF (Python's csv module
    leaves a bare CR unquoted, and reading it back then splits the line)."""
    if any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@dataclass(frozen=True)
class DiaryImport:
    """The result of reading a diary: the ratings, or the problems and no ratings at all."""

    ratings: tuple[PainRating, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when the whole file was read without a problem."""
        return not self.problems


def import_csv(text: str, now: datetime | None = None,
               zone: tzinfo | None = None) -> DiaryImport:
    """Read a diary written by :func:`export_csv`, or kept by hand in a spreadsheet (a leading
    UTF-8 BOM and CRLF are fine).

    As people keep them: a time without an offset is local time in ``zone`` (default the
    system's, with its daylight-saving rules), a date alone is noon that day, and a session may
    be any label (the ratings with the same label are one session). If any line is bad, every
    problem is reported with its line number (up to :data:`MAX_DIARY_PROBLEMS`) and no rating
    is returned. Blank lines are skipped. ``now`` (default: the current time) is what "in the
    future" is measured from.
    """
    if len(text) > MAX_DIARY_BYTES:  # a character is at least a byte
        return DiaryImport((), (too_large(len(text.encode("utf-8", "replace"))),))
    now = now or datetime.now(UTC)
    zone = zone or local_zone()
    sessions: dict[str, int] = {}  # a label that is no number -> the number tying its ratings
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows = _numbered_rows(reader)
    try:
        first = next(rows, None)
    except csv.Error as exc:
        return DiaryImport((), (_csv_problem(exc, reader),))
    if first is None:
        empty = error(f"The file is empty: the first line must be {_HEADER_LINE}", 1)
        return DiaryImport((), (empty,))
    header_line, header = first
    if tuple(cell.strip() for cell in header) != HEADER:
        return DiaryImport((), (_header_problem(header, header_line),))
    problems: list[Problem] = []
    more, first_left_out = 0, 0
    ratings: list[tuple[int, PainRating]] = []
    try:
        for count, (line, row) in enumerate(rows, 1):
            if count > MAX_DIARY_ROWS:
                problems.append(error(TOO_MANY_ROWS.format(limit=MAX_DIARY_ROWS), line))
                break
            rating, messages = _parse_row(row, now, zone, sessions)
            for message in messages:
                if len(problems) < MAX_DIARY_PROBLEMS:
                    problems.append(error(message, line))
                else:
                    more, first_left_out = more + 1, first_left_out or line
            if rating is not None:
                ratings.append((line, rating))
    except csv.Error as exc:
        problems.append(_csv_problem(exc, reader))
    for problem in _morning_after_problems(ratings):
        if len(problems) < MAX_DIARY_PROBLEMS:
            problems.append(problem)
        else:
            more, first_left_out = more + 1, first_left_out or problem.line or 1
    problems.sort(key=lambda p: p.line or 0)
    if more:
        problems.append(error(MORE_PROBLEMS.format(count=more), first_left_out))
    if problems:
        return DiaryImport((), tuple(problems))
    return DiaryImport(tuple(r for _line, r in ratings), ())


def _morning_after_problems(ratings: list[tuple[int, PainRating]]) -> Iterator[Problem]:
    """A ``morning_after`` rating must name a session with a ``before`` rating in the file."""
    with_before = {r.session_id for _line, r in ratings if r.context == "before"}
    for line, r in ratings:
        if r.context == "morning_after" and r.session_id not in with_before:
            yield error(MORNING_AFTER_NO_BEFORE.format(session=r.session_id), line)


def too_large(size: int | None) -> Problem:
    """The problem for a diary file of ``size`` bytes (None: larger than the limit), at line 1."""
    shown = f"{size:,} bytes" if size is not None else f"larger than {MAX_DIARY_BYTES:,} bytes"
    return error(TOO_LARGE.format(size=shown, limit=MAX_DIARY_BYTES,
                                  mib=MAX_DIARY_BYTES / (1024 * 1024)), 1)


def _csv_problem(exc: csv.Error, reader: Reader) -> Problem:
    return error(f"This line cannot be read as CSV ({exc}).", reader.line_num)


def _numbered_rows(reader: Reader) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on (a quoted note may span lines)."""
    line = 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if row:
            yield start, row


def _header_problem(row: list[str], line: int) -> Problem:
    shown = shorten(",".join(row), 120)
    return error(f"The first line must be exactly {_HEADER_LINE} but it is {shown}", line)


def _parse_row(row: list[str], now: datetime, zone: tzinfo,
               sessions: dict[str, int]) -> tuple[PainRating | None, list[str]]:
    """The row's rating, or None and a message for every bad value in it."""
    if len(row) != len(HEADER):
        return None, [f"Expected {len(HEADER)} values ({', '.join(HEADER)}) but found {len(row)}."]
    timestamp, context, rating, note, session = (unguard_formula(cell) for cell in row)
    timestamp, context, rating, session = (c.strip() for c in (timestamp, context, rating,
                                                                session))
    at = _parse_timestamp(timestamp, now, zone)
    number = _whole_number(rating, RATING_DIGITS)
    messages = []
    if isinstance(at, str):
        messages.append(at)
    if context not in RATING_CONTEXTS:
        messages.append(
            f"The context must be one of {', '.join(RATING_CONTEXTS)}, not {quoted(context)}."
        )
    if number is None or not PAIN_MIN <= number <= PAIN_MAX:
        messages.append(
            f"The rating must be a whole number from {PAIN_MIN} to {PAIN_MAX}, "
            f"not {quoted(rating)}."
        )
    session_id = None
    if len(session) > MAX_SESSION_LABEL:
        messages.append(LABEL_TOO_LONG.format(limit=MAX_SESSION_LABEL, label=quoted(session)))
    elif session:
        # A number is kept as it is; another label gets a number of its own below zero, so
        # that it never joins a numbered session (the store gives each a new session).
        session_id = _whole_number(session, SESSION_DIGITS)
        if not session_id:
            session_id = sessions.setdefault(session, -len(sessions) - 1)
    if context == "morning_after" and not session:
        messages.append(MORNING_AFTER_NO_SESSION)
    if messages or isinstance(at, str) or number is None:
        return None, messages
    return PainRating(at, cast(RatingContext, context), number, note, "", session_id), []


def _parse_timestamp(value: str, now: datetime, zone: tzinfo) -> datetime | str:
    """The aware datetime, or a message saying what is wrong with *value*: with no offset it
    is local time in ``zone``; a date alone is :data:`DATE_ALONE_AT` that day."""
    try:
        if len(value) == len("2024-03-04"):
            at = datetime.combine(date.fromisoformat(value), DATE_ALONE_AT)
        else:
            at = datetime.fromisoformat(value)
    except ValueError:
        return NOT_A_TIME.format(value=quoted(value))
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    if at.year < EARLIEST_YEAR:
        return TOO_EARLY.format(value=quoted(value), year=EARLIEST_YEAR)
    if is_future_dated(at, now):
        return IN_THE_FUTURE.format(value=quoted(value), now=now.isoformat(timespec="seconds"))
    return at


def _whole_number(value: str, max_digits: int) -> int | None:
    """*value* as a whole number 0 or more with at most *max_digits* digits, else None.

    The length is checked before ``int()``, which refuses (or takes long over) huge numbers.
    """
    if len(value) > max_digits or not (value.isascii() and value.isdigit()):
        return None
    return int(value)
