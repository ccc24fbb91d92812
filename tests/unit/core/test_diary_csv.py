"""Pain diary CSV: export, import all-or-nothing, and the round trip."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from player.core.diary_csv import HEADER, export_csv, guard_formula, import_csv, unguard_formula
from player.core.history import PainRating

WINTER = timezone(timedelta(hours=1))
SUMMER = timezone(timedelta(hours=2))

RATINGS = [
    PainRating(datetime(2024, 3, 4, 9, 0, tzinfo=WINTER), "before", 4, "stiff, after sit", "", 12),
    PainRating(datetime(2024, 3, 4, 9, 40, tzinfo=WINTER), "during", 6, 'a "sharp" twinge', "", 12),
    PainRating(datetime(2024, 3, 4, 9, 45, tzinfo=WINTER), "after", 3, "", "", 12),
    PainRating(datetime(2024, 3, 5, 8, 15, tzinfo=WINTER), "checkin", 0, "line one\nline two"),
    PainRating(datetime(2024, 4, 1, 7, 0, tzinfo=SUMMER), "checkin", 10, "ünïcödé ✓"),
]

GOOD = (
    "timestamp,context,rating,note,session\n"
    "2024-03-04T09:00:00+01:00,before,4,,12\n"
    "2024-03-04T09:45:00+01:00,after,3,,12\n"
)


def test_export_header_and_rows() -> None:
    text = export_csv(RATINGS[:3])
    lines = text.splitlines()
    assert lines[0] == "timestamp,context,rating,note,session"
    assert lines[1] == '2024-03-04T09:00:00+01:00,before,4,"stiff, after sit",12'
    assert lines[3] == "2024-03-04T09:45:00+01:00,after,3,,12"


def test_export_is_oldest_first_and_checkins_have_no_session() -> None:
    text = export_csv(RATINGS[::-1])
    assert text.splitlines()[1].startswith("2024-03-04T09:00:00+01:00")
    assert text.splitlines()[-1] == "2024-04-01T07:00:00+02:00,checkin,10,ünïcödé ✓,"


def test_export_of_nothing_is_the_header() -> None:
    assert export_csv([]) == ",".join(HEADER) + "\n"


def test_round_trip() -> None:
    result = import_csv(export_csv(RATINGS))
    assert result.ok
    assert list(result.ratings) == RATINGS


def test_round_trip_with_bom_and_crlf() -> None:
    text = "\ufeff" + export_csv(RATINGS).replace("\n", "\r\n")
    result = import_csv(text)
    assert result.problems == ()
    # The note's own line break comes back as the file's CRLF, as spreadsheets write it.
    assert [r.note.replace("\r\n", "\n") for r in result.ratings] == [r.note for r in RATINGS]
    assert [r.at for r in result.ratings] == [r.at for r in RATINGS]


def test_blank_lines_are_skipped() -> None:
    result = import_csv(GOOD.replace("\n", "\n\n", 1) + "\n\n")
    assert result.ok
    assert len(result.ratings) == 2


def test_utc_z_suffix_is_accepted() -> None:
    result = import_csv("timestamp,context,rating,note,session\n2024-03-04T08:00:00Z,checkin,2,,\n")
    assert result.ok
    assert result.ratings[0].at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("name", "text", "line", "phrase"),
    [
        ("empty file", "", 1, "empty"),
        ("only blank lines", "\n\n", 1, "empty"),
        ("missing header", "2024-03-04T09:00:00+01:00,before,4,,12\n", 1, "first line"),
        ("wrong columns", "time,context,rating\n", 1, "first line"),
        ("too few values", GOOD + "2024-03-05T09:00:00+01:00,checkin,3\n", 4, "found 3"),
        ("too many values", GOOD + "2024-03-05T09:00:00+01:00,checkin,3,,,x\n", 4, "found 6"),
        ("bad timestamp", GOOD + "yesterday,checkin,3,,\n", 4, "not a date and time"),
        ("no offset", GOOD + "2024-03-05T09:00:00,checkin,3,,\n", 4, "no time-zone offset"),
        ("bad context", GOOD + "2024-03-05T09:00:00+01:00,evening,3,,\n", 4, "context"),
        ("rating too high", GOOD + "2024-03-05T09:00:00+01:00,checkin,11,,\n", 4, "0 to 10"),
        ("negative rating", GOOD + "2024-03-05T09:00:00+01:00,checkin,-1,,\n", 4, "0 to 10"),
        ("decimal rating", GOOD + "2024-03-05T09:00:00+01:00,checkin,4.5,,\n", 4, "0 to 10"),
        ("empty rating", GOOD + "2024-03-05T09:00:00+01:00,checkin,,,\n", 4, "0 to 10"),
        ("superscript", GOOD + "2024-03-05T09:00:00+01:00,checkin,²,,\n", 4, "0 to 10"),
        ("bad session", GOOD + "2024-03-05T09:00:00+01:00,before,3,,abc\n", 4, "session"),
        ("session zero", GOOD + "2024-03-05T09:00:00+01:00,before,3,,0\n", 4, "session"),
        ("huge note", GOOD + "2024-03-05T09:00:00+01:00,checkin,3," + "x" * 200_000 + ",\n", 4,
         "cannot be read"),
    ],
)
def test_a_bad_line_imports_nothing(name: str, text: str, line: int, phrase: str) -> None:
    result = import_csv(text)
    assert result.ratings == ()
    assert not result.ok
    assert [p.line for p in result.problems] == [line]
    assert phrase in result.problems[0].message


def test_every_bad_value_of_every_line_is_reported() -> None:
    text = (
        GOOD
        + "2024-03-05T09:00:00+01:00,checkin,3,fine,\n"
        + "soon,later,eleven,,x\n"
        + '2024-03-06T09:00:00+01:00,checkin,3,"a note\nover two lines",\n'
        + "2024-03-07T09:00:00+01:00,checkin,12,,\n"
    )
    result = import_csv(text)
    assert result.ratings == ()
    assert [p.line for p in result.problems] == [5, 5, 5, 5, 8]
    assert all(p.is_error for p in result.problems)


# --- hostile diaries -----------------------------------------------------------------------------

HOSTILE_NOTES = [
    "=HYPERLINK(\"http://evil\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tindented", "\rreturn",
    "'=already quoted", "'", "''", "'plain", "bare\rcarriage return", "ends with CR\r",
    "crlf\r\ninside", "comma, and \"quotes\"", "  spaces  ", "-", "=", "==",
]


def test_export_neutralises_formula_starts_as_owasp_says() -> None:
    ratings = [PainRating(datetime(2024, 3, 4, 9, i, tzinfo=WINTER), "checkin", 1, note)
               for i, note in enumerate(HOSTILE_NOTES)]
    text = export_csv(ratings)
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert len(rows) == len(HOSTILE_NOTES)  # no note split a line
    for row in rows:
        assert len(row) == 5
        assert not row[3].startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert rows[0][3] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert rows[6][3] == "''=already quoted"
    assert rows[9][3] == "'plain"  # no formula after the quote: left as it is


def test_hostile_notes_round_trip_exactly() -> None:
    ratings = [PainRating(datetime(2024, 3, 4, 9, i, tzinfo=WINTER), "checkin", 1, note, "", 7)
               for i, note in enumerate(HOSTILE_NOTES)]
    result = import_csv(export_csv(ratings))
    assert result.problems == ()
    assert list(result.ratings) == ratings


@pytest.mark.parametrize("seed", range(20))
def test_the_formula_guard_is_undone_exactly(seed: int) -> None:
    import random

    rng = random.Random(seed)
    for _ in range(200):
        cell = "".join(rng.choice("'=+-@\t\rab ,\"\n") for _ in range(rng.randint(0, 6)))
        guarded = guard_formula(cell)
        assert unguard_formula(guarded) == cell
        assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))

