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

Text in, text out: the caller reads and writes the file (as UTF-8, with ``newline=""``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from player.core.clinical import PAIN_MAX, PAIN_MIN
from player.core.history import RATING_CONTEXTS, PainRating, RatingContext, is_future_dated
from player.core.problems import Problem, error

if TYPE_CHECKING:
    from _csv import Reader

HEADER = ("timestamp", "context", "rating", "note", "session")
_HEADER_LINE = ",".join(HEADER)

# User-visible messages (problems at a line).
FUTURE_DATED = ("The timestamp {at} is later than now ({now}): a rating cannot be given in the "
                "future. Check the date, or the clock of the device that wrote the diary.")
MORNING_AFTER_NO_SESSION = ("A morning_after rating must name its session (the session column "
                            "is empty).")
MORNING_AFTER_NO_BEFORE = ("This morning_after rating names session {session}, which has no "
                           "before rating in this file to compare it with.")


def export_csv(ratings: Iterable[PainRating]) -> str:
    """Every rating as CSV text with :data:`HEADER`, oldest first.

    Times are written to the second. ``body_area`` is not part of the format and is left out.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in sorted(ratings, key=lambda r: r.at):
        session = "" if r.session_id is None else str(r.session_id)
        writer.writerow(
            [r.at.isoformat(timespec="seconds"), r.context, str(r.rating), r.note, session]
        )
    return out.getvalue()


@dataclass(frozen=True)
class DiaryImport:
    """The result of reading a diary: the ratings, or the problems and no ratings at all."""

    ratings: tuple[PainRating, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when the whole file was read without a problem."""
        return not self.problems


def import_csv(text: str, now: datetime | None = None) -> DiaryImport:
    """Read a diary written by :func:`export_csv` (a leading UTF-8 BOM and CRLF are fine).

    If any line is bad, every problem is reported with its line number and no rating is
    returned. Blank lines are skipped. With *now* (the moment of the import), a rating dated
    more than 10 minutes after it is a problem at its line.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        rows = list(_numbered_rows(reader))
    except csv.Error as exc:
        line = reader.line_num
        return DiaryImport((), (error(f"This line cannot be read as CSV ({exc}).", line),))
    if not rows:
        empty = error(f"The file is empty: the first line must be {_HEADER_LINE}", 1)
        return DiaryImport((), (empty,))
    header_line, header = rows[0]
    if tuple(cell.strip() for cell in header) != HEADER:
        return DiaryImport((), (_header_problem(header, header_line),))
    problems: list[Problem] = []
    ratings: list[tuple[int, PainRating]] = []
    for line, row in rows[1:]:
        rating, messages = _parse_row(row)
        if rating is not None and now is not None and is_future_dated(rating.at, now):
            messages.append(FUTURE_DATED.format(at=rating.at.isoformat(),
                                                now=now.isoformat(timespec="seconds")))
        problems.extend(error(message, line) for message in messages)
        if rating is not None:
            ratings.append((line, rating))
    problems.extend(_morning_after_problems(ratings))
    problems.sort(key=lambda p: p.line or 0)
    if problems:
        return DiaryImport((), tuple(problems))
    return DiaryImport(tuple(r for _line, r in ratings), ())


def _morning_after_problems(ratings: list[tuple[int, PainRating]]) -> Iterator[Problem]:
    """A ``morning_after`` rating must name a session with a ``before`` rating in the file."""
    with_before = {r.session_id for _line, r in ratings if r.context == "before"}
    for line, r in ratings:
        if r.context == "morning_after" and r.session_id not in with_before:
            yield error(MORNING_AFTER_NO_BEFORE.format(session=r.session_id), line)


def _numbered_rows(reader: Reader) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on (a quoted note may span lines)."""
    line = 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if row:
            yield start, row


def _header_problem(row: list[str], line: int) -> Problem:
    return error(
        f"The first line must be exactly {_HEADER_LINE} but it is {','.join(row)}", line
    )


def _parse_row(row: list[str]) -> tuple[PainRating | None, list[str]]:
    """The row's rating, or None and a message for every bad value in it."""
    if len(row) != len(HEADER):
        return None, [f"Expected {len(HEADER)} values ({', '.join(HEADER)}) but found {len(row)}."]
    timestamp, context, rating, note, session = (cell.strip() for cell in row)
    at = _parse_timestamp(timestamp)
    number = _whole_number(rating)
    session_id = _whole_number(session)
    messages = []
    if isinstance(at, str):
        messages.append(at)
    if context not in RATING_CONTEXTS:
        messages.append(
            f"The context must be one of {', '.join(RATING_CONTEXTS)}, not {context!r}."
        )
    if number is None or not PAIN_MIN <= number <= PAIN_MAX:
        messages.append(
            f"The rating must be a whole number from {PAIN_MIN} to {PAIN_MAX}, not {rating!r}."
        )
    if session and not session_id:
        messages.append(f"The session must be empty or a positive whole number, not {session!r}.")
    if context == "morning_after" and not session:
        messages.append(MORNING_AFTER_NO_SESSION)
    if messages or isinstance(at, str) or number is None:
        return None, messages
    return PainRating(at, cast(RatingContext, context), number, row[3], "", session_id), []


def _parse_timestamp(value: str) -> datetime | str:
    """The aware datetime, or a message saying what is wrong with *value*."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return f"The timestamp {value!r} is not a date and time like 2024-03-04T09:00:00+01:00."
    if at.utcoffset() is None:
        return f"The timestamp {value!r} has no time-zone offset (like +01:00 at the end)."
    return at


def _whole_number(value: str) -> int | None:
    """*value* as a whole number 0 or more, or None if it is not one (or empty)."""
    return int(value) if value.isascii() and value.isdigit() else None
