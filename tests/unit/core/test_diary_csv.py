"""Pain diary CSV: export, import all-or-nothing, and the round trip."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from player.core import diary_csv
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
        ("bad context", GOOD + "2024-03-05T09:00:00+01:00,evening,3,,\n", 4, "context"),
        ("rating too high", GOOD + "2024-03-05T09:00:00+01:00,checkin,11,,\n", 4, "0 to 10"),
        ("negative rating", GOOD + "2024-03-05T09:00:00+01:00,checkin,-1,,\n", 4, "0 to 10"),
        ("decimal rating", GOOD + "2024-03-05T09:00:00+01:00,checkin,4.5,,\n", 4, "0 to 10"),
        ("empty rating", GOOD + "2024-03-05T09:00:00+01:00,checkin,,,\n", 4, "0 to 10"),
        ("superscript", GOOD + "2024-03-05T09:00:00+01:00,checkin,²,,\n", 4, "0 to 10"),
        ("long session label", GOOD + "2024-03-05T09:00:00+01:00,before,3,," + "a" * 101 + "\n",
         4, "session label may be at most 100"),
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
        + "soon,later,eleven,," + "x" * 101 + "\n"
        + '2024-03-06T09:00:00+01:00,checkin,3,"a note\nover two lines",\n'
        + "2024-03-07T09:00:00+01:00,checkin,12,,\n"
    )
    result = import_csv(text)
    assert result.ratings == ()
    assert [p.line for p in result.problems] == [5, 5, 5, 5, 8]
    assert all(p.is_error for p in result.problems)


# --- hostile diaries -----------------------------------------------------------------------------

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=WINTER)
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
    result = import_csv(export_csv(ratings), now=NOW)
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


# --- morning-after ratings and ratings dated in the future (clinical-notes.md v2) -------------

IMPORTED_AT = datetime(2024, 3, 6, 12, 0, tzinfo=WINTER)


def test_a_morning_after_rating_comes_back_with_its_session() -> None:
    text = GOOD + "2024-03-05T07:30:00+01:00,morning_after,5,,12\n"
    result = import_csv(text, IMPORTED_AT)
    assert result.ok
    assert [(r.context, r.session_id) for r in result.ratings][-1] == ("morning_after", 12)
    assert import_csv(export_csv(result.ratings)).ratings == result.ratings


@pytest.mark.parametrize(
    ("name", "row", "phrase"),
    [
        ("5000-digit rating", "2024-03-05T09:00:00+01:00,checkin," + "9" * 5000 + ",,",
         "The rating must be a whole number from 0 to 10, not '999"),
        ("three-digit rating", "2024-03-05T09:00:00+01:00,checkin,100,,", "0 to 10"),
        ("huge session", "2024-03-05T09:00:00+01:00,before,3,," + "1" * 5000,
         "A session label may be at most 100 characters, not '111"),
        ("year 1", "0001-01-01T00:00:00+01:00,checkin,3,,", "is before the year 1900"),
        ("1899", "1899-12-31T23:59:59+00:00,checkin,3,,", "is before the year 1900"),
        ("future", "2024-06-02T12:00:01+01:00,checkin,3,,", "is later than now"),
        ("year 9999", "9999-12-31T23:59:59-12:00,checkin,3,,", "is later than now"),
        ("bad timestamp, long", "x" * 5000 + ",checkin,3,,", "not a date and time"),
    ],
)
def test_absurd_values_are_refused_with_their_line(name: str, row: str, phrase: str) -> None:
    result = import_csv(GOOD + row + "\n", now=NOW)
    assert result.ratings == ()
    assert [p.line for p in result.problems] == [4], result.problems
    assert phrase in result.problems[0].message
    assert len(result.problems[0].message) < 300


def test_ten_minutes_of_clock_skew_are_allowed_and_1900_is_not_too_early() -> None:
    result = import_csv(GOOD + "2024-06-01T12:10:00+01:00,checkin,3,,\n"
                        "1900-01-01T00:00:00+00:00,checkin,2,,\n", now=NOW)
    assert result.ok and len(result.ratings) == 4


def test_a_diary_over_the_size_limit_is_refused_before_reading(monkeypatch) -> None:
    monkeypatch.setattr(diary_csv, "MAX_DIARY_BYTES", 1000)
    result = import_csv(GOOD + "2024-03-05T09:00:00+01:00,checkin,3," + "x" * 1000 + ",\n")
    assert result.ratings == ()
    assert [p.line for p in result.problems] == [1]
    assert "a pain diary may be at most 1,000 bytes" in result.problems[0].message


def test_more_rows_than_the_limit_are_refused_at_the_first_one_over(monkeypatch) -> None:
    monkeypatch.setattr(diary_csv, "MAX_DIARY_ROWS", 3)
    rows = "".join(f"2024-03-0{d}T09:00:00+01:00,checkin,3,,\n" for d in range(1, 6))
    result = import_csv(GOOD + rows, now=NOW)
    assert result.ratings == ()
    assert [p.line for p in result.problems] == [5]
    assert "more than 3 ratings" in result.problems[0].message


def test_a_file_of_bad_lines_lists_the_first_problems_and_counts_the_rest() -> None:
    text = GOOD + "bad,checkin,3,,\n" * 500
    result = import_csv(text, now=NOW)
    assert len(result.problems) == diary_csv.MAX_DIARY_PROBLEMS + 1
    assert result.problems[-1].line == 4 + diary_csv.MAX_DIARY_PROBLEMS
    assert result.problems[-1].message.startswith("300 more problems are not listed")


def test_times_with_a_fraction_of_a_second_round_trip_exactly() -> None:
    recorded = PainRating(datetime(2024, 3, 4, 9, 0, 5, 123456, tzinfo=WINTER), "after", 3)
    text = export_csv([recorded, RATINGS[0]])
    assert text.splitlines()[1] == "2024-03-04T09:00:00+01:00,before,4,\"stiff, after sit\",12"
    assert text.splitlines()[2].startswith("2024-03-04T09:00:05.123456+01:00,after,3")
    assert list(import_csv(text).ratings) == [RATINGS[0], recorded]


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("cell", "expected"), [
    ("2024-03-30 09:00", datetime(2024, 3, 30, 9, 0, tzinfo=timezone(timedelta(0)))),
    ("2024-04-02T09:00:00", datetime(2024, 4, 2, 9, 0, tzinfo=timezone(timedelta(hours=1)))),
    ("2024-04-02", datetime(2024, 4, 2, 12, 0, tzinfo=timezone(timedelta(hours=1)))),
    ("2024-10-28", datetime(2024, 10, 28, 12, 0, tzinfo=timezone(timedelta(0)))),
    ("2024-04-02T09:00:00+02:00", datetime(2024, 4, 2, 9, 0, tzinfo=timezone(timedelta(hours=2)))),
])
def test_a_diary_kept_in_a_spreadsheet_is_read_in_local_time(
        cell: str, expected: datetime) -> None:
    """No offset: local time (each side of a daylight-saving change); a date alone: noon."""
    result = import_csv(f"timestamp,context,rating,note,session\n{cell},checkin,3,,\n",
                        now=datetime(2024, 11, 1, tzinfo=LONDON), zone=LONDON)
    assert result.ok, result.problems
    [rating] = result.ratings
    assert rating.at == expected and rating.at.utcoffset() == expected.utcoffset()


def test_any_session_label_ties_its_ratings_together_and_never_joins_a_number() -> None:
    text = ("timestamp,context,rating,note,session\n"
            "2024-03-04 09:00,before,4,,Mon morning\n"
            "2024-03-04 09:40,after,3,,Mon morning\n"
            "2024-03-05 09:00,before,5,,1\n"
            "2024-03-05 09:30,after,6,,1\n"
            "2024-03-06 09:00,before,2,,0\n")
    result = import_csv(text, now=datetime(2024, 4, 1, tzinfo=LONDON), zone=LONDON)
    assert result.ok, result.problems
    ids = [r.session_id for r in result.ratings]
    assert ids[0] == ids[1] and ids[2] == ids[3] == 1
    assert len({ids[0], ids[2], ids[4]}) == 3


@pytest.mark.parametrize(
    ("name", "row", "phrase"),
    [
        ("names no session", "2024-03-05T07:30:00+01:00,morning_after,5,,", "must name its session"),
        ("a session with no before", "2024-03-05T07:30:00+01:00,morning_after,5,,13",
         "no before rating"),
    ],
)
def test_a_morning_after_rating_needs_a_session_with_a_before_rating(
        name: str, row: str, phrase: str) -> None:
    result = import_csv(GOOD + "2024-03-04T10:00:00+01:00,after,3,,13\n" + row + "\n",
                        IMPORTED_AT)
    assert result.ratings == ()
    assert [p.line for p in result.problems] == [5]
    assert phrase in result.problems[0].message


@pytest.mark.parametrize(
    ("ahead", "ok"),
    [
        (timedelta(minutes=9, seconds=59), True),
        (timedelta(minutes=10), True),  # 10 minutes ahead is a clock's skew
        (timedelta(minutes=10, seconds=1), False),  # more than 10 minutes: an error at its line
        (timedelta(days=1), False),
    ],
)
def test_a_rating_dated_in_the_future_is_an_error_at_its_line(ahead: timedelta, ok: bool) -> None:
    # Across the change to summer time: the import is in summer, the rating's offset winter.
    now = datetime(2024, 3, 31, 12, 0, tzinfo=SUMMER)
    at = (now + ahead).astimezone(WINTER)
    result = import_csv(GOOD + f"{at.isoformat()},checkin,3,,\n", now)
    assert result.ok is ok
    if not ok:
        assert [p.line for p in result.problems] == [4]
        assert "later than now" in result.problems[0].message
        assert result.ratings == ()


def test_the_readme_example_diary_imports_as_documented() -> None:
    """The example in the README's import/export section: four ratings, the morning-after one
    tied to its session."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    result = import_csv(example, IMPORTED_AT)
    assert result.problems == ()
    assert [(r.context, r.rating, r.session_id is not None) for r in result.ratings] == [
        ("before", 4, True), ("after", 5, True), ("morning_after", 3, True),
        ("checkin", 3, False)]
    assert len({r.session_id for r in result.ratings[:3]}) == 1
