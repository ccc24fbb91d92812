"""Pain diary CSV: export, import all-or-nothing, and the round trip."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from player.core.diary_csv import HEADER, export_csv, import_csv
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
