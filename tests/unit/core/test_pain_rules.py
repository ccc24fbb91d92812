"""The pain rules of clinical-notes.md v2, each at and either side of its threshold.

Days are local days in Europe/London; the windows cross the change to summer time (Sunday 31
March 2024). Every table runs twice: with a zoneinfo "now", and with fixed UTC offsets as the
app's clock gives them (each time keeping the offset it was recorded with).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from player.core.care import assess, needs_rating, reference_level
from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.history import PainRating
from player.core.pain import RestingHistory, morning_after_due, session_checks, severe_days

LONDON = ZoneInfo("Europe/London")
TODAY = date(2024, 4, 14)  # a Sunday, two weeks after the clocks went forward
NOON = 12


def d(offset: int) -> date:
    """The day *offset* days from TODAY."""
    return TODAY + timedelta(days=offset)


def on(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def checkin(offset: int, value: int, hour: int = 9, minute: int = 0) -> PainRating:
    return PainRating(on(d(offset), hour, minute), "checkin", value)


def daily(first: int, last: int, value: int) -> list[PainRating]:
    """A check-in of *value* every day from day *first* to day *last* (offsets)."""
    return [checkin(i, value) for i in range(first, last + 1)]


def twice_a_week(first: int, last: int, value: int) -> list[PainRating]:
    """Before-session ratings of *value* on Tuesdays and Saturdays (the cadence drill's 2 a
    week), from day *first* to day *last*."""
    out = []
    for i in range(first, last + 1):
        if d(i).weekday() in (1, 5):
            out.append(PainRating(on(d(i), 18), "before", value, session_id=1000 + i - first))
    return out


def session(sid: int, day: date, before: int, after: int | None = None,
            morning: int | None = None, hour: int = 18) -> list[PainRating]:
    """A session at *hour* on *day*: its before rating, its after rating an hour later, and
    its morning_after rating at 07:00 the next day."""
    out = [PainRating(on(day, hour), "before", before, session_id=sid)]
    if after is not None:
        out.append(PainRating(on(day, hour + 1), "after", after, session_id=sid))
    if morning is not None:
        out.append(PainRating(on(day + timedelta(days=1), 7), "morning_after", morning,
                              session_id=sid))
    return out


def fixed(at: datetime) -> datetime:
    offset = at.utcoffset()
    assert offset is not None
    return at.astimezone(timezone(offset))


ZoneMode = Callable[[datetime], datetime]


@pytest.fixture(params=["zoneinfo", "fixed offsets"])
def zoned(request: pytest.FixtureRequest) -> ZoneMode:
    """How times reach the rules: as zoneinfo times, or with fixed offsets."""
    return (lambda at: at) if request.param == "zoneinfo" else fixed


def convert(ratings: Sequence[PainRating], zoned: ZoneMode) -> list[PainRating]:
    return [replace(r, at=zoned(r.at)) for r in ratings]


# --- the levels -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCase:
    name: str
    ratings: list[PainRating]
    weekly: float | None = None
    recent: float | None = None
    recent_kind: str | None = None


LEVEL_CASES = [
    LevelCase("one rating is no weekly level", [checkin(0, 4)]),
    LevelCase("two in 7 days make a weekly level", [checkin(-6, 4), checkin(0, 6)], 5.0, 5.0,
              "week"),
    LevelCase("7 days ago is outside the week, inside the two weeks",
              [checkin(-7, 4), checkin(0, 6)], None, 5.0, "two_weeks"),
    LevelCase("13 days ago is inside the two weeks (across the clock change)",
              [checkin(-13, 2), checkin(0, 6)], None, 4.0, "two_weeks"),
    LevelCase("14 days ago is outside the two weeks", [checkin(-14, 2), checkin(0, 6)]),
    LevelCase("after and during ratings are not resting",
              [PainRating(on(d(-1)), "after", 8, session_id=1),
               PainRating(on(d(-1)), "during", 8, session_id=1), checkin(0, 2)]),
    LevelCase("morning-after ratings are resting",
              [PainRating(on(d(-1), 7), "morning_after", 6, session_id=1), checkin(0, 2)],
              4.0, 4.0, "week"),
]


@pytest.mark.parametrize("case", LEVEL_CASES, ids=[c.name for c in LEVEL_CASES])
def test_weekly_and_recent_levels(case: LevelCase, zoned: ZoneMode) -> None:
    history = RestingHistory(convert(case.ratings, zoned), zoned(on(TODAY, NOON)))
    weekly = history.weekly_level(TODAY)
    recent = history.recent_level()
    assert (None if weekly is None else weekly.value) == case.weekly
    assert (None if recent is None else recent.value) == case.recent
    assert (None if recent is None else recent.kind) == case.recent_kind


@dataclass(frozen=True)
class EpisodeCase:
    name: str
    ratings: list[PainRating]
    starts: list[datetime]
    baseline: float | None = None


EPISODE_CASES = [
    EpisodeCase("the first resting rating ever starts one, whatever its value",
                [checkin(-3, 0), checkin(0, 2)], [on(d(-3))], 1.0),
    EpisodeCase("3 after 29 settled days starts a new one",
                [checkin(-29, 5), checkin(-10, 1), checkin(0, 4)], [on(d(-29)), on(d(0))], 4.0),
    EpisodeCase("3 after 28 settled days does not",
                [checkin(-28, 5), checkin(-10, 1), checkin(0, 4)], [on(d(-28))]),
    EpisodeCase("a silence after 3 or more does not end an episode",
                [checkin(-90, 5), checkin(0, 4)], [on(d(-90))]),
    EpisodeCase("a flare after a silence that followed low ratings is a new one",
                [checkin(-90, 5), checkin(-60, 1), checkin(0, 3)], [on(d(-90)), on(d(0))], 3.0),
    EpisodeCase("2 is not a new episode", [checkin(-60, 1), checkin(0, 2)], [on(d(-60))]),
    EpisodeCase("a 3 earlier on the same day counts against a later one",
                [checkin(-40, 1), checkin(0, 4, 8), checkin(0, 1, 9), checkin(0, 3, 10)],
                [on(d(-40)), on(d(0), 8)], 3.0),
    EpisodeCase("the baseline is days 0 .. 6, from its first rating on",
                [checkin(-40, 1), checkin(-10, 1, 8), checkin(-10, 5, 9), checkin(-7, 7),
                 checkin(-4, 8), checkin(-3, 0)], [on(d(-40)), on(d(-10), 9)], 7.0),
]


@pytest.mark.parametrize("case", EPISODE_CASES, ids=[c.name for c in EPISODE_CASES])
def test_episodes(case: EpisodeCase, zoned: ZoneMode) -> None:
    history = RestingHistory(convert(case.ratings, zoned), zoned(on(TODAY, NOON)))
    assert [e.started for e in history.episodes()] == case.starts
    current = history.current_episode()
    assert current is not None
    if case.baseline is not None:
        assert current.baseline.value == case.baseline


@dataclass(frozen=True)
class ReferenceCase:
    name: str
    ratings: list[PainRating]
    value: float | None
    kind: str | None = None


REFERENCE_CASES = [
    ReferenceCase("the lowest weekly level of days -35 .. -7",
                  daily(-30, -24, 4) + daily(-14, -8, 2) + daily(-1, 0, 5), 2.0, "lowest_week"),
    ReferenceCase("a weekly level of day -7 counts",
                  [checkin(-8, 3), checkin(-7, 3), checkin(0, 5)], 3.0, "lowest_week"),
    ReferenceCase("a week ending on day -6 does not (it is this week)",
                  [checkin(-7, 3), checkin(-6, 1), checkin(0, 5)], 3.0, "weeks"),
    ReferenceCase("the weekly level of day -35 reaches back to day -41",
                  [checkin(-41, 1), checkin(-40, 1), checkin(0, 5)], 1.0, "lowest_week"),
    ReferenceCase("day -42 is outside every reference week",
                  [checkin(-42, 3), checkin(-41, 3), checkin(-1, 5), checkin(0, 5)], None),
    ReferenceCase("one rating in days -35 .. -7 is enough without a weekly level",
                  [checkin(-20, 2), checkin(0, 5)], 2.0, "weeks"),
    ReferenceCase("else the episode's baseline, when it began within 42 days",
                  [checkin(-5, 3), checkin(-4, 3), checkin(0, 5)], 3.0, "episode_baseline"),
    ReferenceCase("an episode begun on day -41 still gives its baseline",
                  [checkin(-41, 3), checkin(-1, 5), checkin(0, 5)], 3.0, "episode_baseline"),
    ReferenceCase("one begun on day -42 does not",
                  [checkin(-42, 3), checkin(-1, 5), checkin(0, 5)], None),
]


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=[c.name for c in REFERENCE_CASES])
def test_reference_level(case: ReferenceCase, zoned: ZoneMode) -> None:
    now = zoned(on(TODAY, NOON))
    history = RestingHistory(convert(case.ratings, zoned), now)
    level = history.reference_level()
    assert (None if level is None else level.value) == case.value
    assert (None if level is None else level.kind) == case.kind
    assert reference_level(convert(case.ratings, zoned), now) == case.value


# --- the rules, through assess ----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    ratings: list[PainRating]
    codes: set[str]
    now: datetime = field(default_factory=lambda: on(TODAY, NOON))
    thresholds: CareThresholds = DEFAULT_THRESHOLDS
    words: str = ""
    """A phrase the first reason's words must contain."""


STRICT = replace(DEFAULT_THRESHOLDS, worsening_points=1)

CASES = [
    Case("no ratings at all", [], set()),
    # --- getting worse (recent level 2+ points above the reference level)
    Case("2 points above the best week of the month before",
         daily(-20, -19, 2) + [checkin(-1, 4), checkin(0, 4)], {"getting_worse"},
         words="Your usual pain over the last 7 days is 4/10, 2 points above your best week of "
               "the month before (2/10, the 7 days to Sun 31 Mar 2024)."),
    Case("1.5 points is not worse", daily(-20, -19, 2) + [checkin(-1, 3), checkin(0, 4)], set()),
    Case("a stricter threshold makes 1.5 points count",
         daily(-20, -19, 2) + [checkin(-1, 3), checkin(0, 4)], {"getting_worse"},
         thresholds=STRICT),
    Case("a 0 from 200 days ago does not make 2/10 worse",
         [checkin(-200, 0)] + twice_a_week(-40, 0, 2) + [checkin(0, 2)], set()),
    Case("a relapse 7 -> 1 -> 5 is caught",
         twice_a_week(-70, -45, 7) + twice_a_week(-40, -8, 1) + [checkin(-3, 5), checkin(0, 5)],
         {"getting_worse"}),
    Case("a new flare after months at 0 is a new bout: worse, and persisting from its start",
         twice_a_week(-120, -17, 0) + twice_a_week(-16, -1, 5) + [checkin(-16, 5), checkin(0, 5)],
         {"getting_worse", "persisting"}),
    # --- persisting (day 14 of the episode; day 42 whatever the improvement)
    Case("persisting: day 13 of the bout is too early", daily(-13, 0, 5), set()),
    Case("persisting: day 14 counts", daily(-14, 0, 5), {"persisting"},
         words="Your usual pain is 5/10, 14 days into this bout of pain (it began on Sun 31 Mar "
               "2024), and has not improved by 2 points or 30 % from where it started (5/10)."),
    Case("not persisting once improved by 2 points (6 -> 4)",
         daily(-20, -14, 6) + daily(-6, 0, 4), set()),
    Case("persisting when improved by 1.5 points and 25 % (6 -> 4.5)",
         daily(-20, -14, 6) + daily(-5, -3, 4) + daily(-2, 0, 5), {"persisting"}),
    Case("not persisting below 4 (5 -> 3.5)",
         daily(-20, -14, 5) + daily(-5, -3, 3) + daily(-2, 0, 4), set()),
    Case("exactly 30 % counts as improved (5 -> 3.5, stricter level 3)",
         daily(-20, -14, 5) + daily(-5, -3, 3) + daily(-2, 0, 4), set(),
         thresholds=replace(DEFAULT_THRESHOLDS, persisting_level=3)),
    Case("improved 4 points (8 -> 4) but still 4 on day 41 is fine",
         daily(-41, -35, 8) + daily(-6, 0, 4), set()),
    Case("improved 4 points (8 -> 4) but still 4 on day 42",
         daily(-42, -36, 8) + daily(-6, 0, 4), {"persisting_long"},
         words="Your usual pain is still 4/10, 42 days into this bout of pain"),
    Case("2 sessions a week at 6/10 for 8 weeks (the cadence drill)",
         twice_a_week(-56, 0, 6), {"persisting_long"}),
    # --- when the ratings stop
    Case("a warning does not vanish when ratings stop (judged as of the last rating)",
         daily(-47, -27, 5), {"persisting"},
         words="This is based on your ratings up to Mon 18 Mar 2024: please rate your pain again."),
    Case("ratings 28 days old give no advice", daily(-48, -28, 5), set()),
    # --- repeated severe pain (7+ on 2 different days of the last 7)
    Case("7s on day -6 and today", [checkin(-6, 7), checkin(0, 7)], {"repeated_severe"},
         words="You rated your pain 7/10 or higher on 2 different days of the last 7 days "
               "(Mon 8 Apr 2024, Sun 14 Apr 2024)."),
    Case("a 7 on day -7 is outside the 7 days", [checkin(-7, 7), checkin(0, 7)], set()),
    Case("two 7s on one day are one bad day",
         [checkin(0, 7, 8), PainRating(on(d(0), 10), "during", 9, session_id=1)], set()),
    Case("any context counts",
         [PainRating(on(d(-2), 10), "during", 8, session_id=1),
          PainRating(on(d(-1), 19), "after", 7, session_id=2)], {"repeated_severe"}),
    Case("6s are not severe", [checkin(-1, 6), checkin(0, 6)], set()),
    Case("a stricter count makes one severe day count", [checkin(0, 7)], {"repeated_severe"},
         thresholds=replace(DEFAULT_THRESHOLDS, severe_count=1),
         words="or higher on 1 day of the last 7 days (Sun 14 Apr 2024)."),
    # --- ratings in the future
    Case("a rating 10 minutes ahead of the clock counts",
         [checkin(-1, 7), PainRating(on(TODAY, NOON, 10), "checkin", 7)], {"repeated_severe"}),
    Case("one more than 10 minutes ahead is not part of the history yet",
         [checkin(-1, 7), PainRating(on(TODAY, NOON, 11), "checkin", 7)], set()),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pain_rules(case: Case, zoned: ZoneMode) -> None:
    advice = assess(convert(case.ratings, zoned), None, zoned(case.now), case.thresholds)
    assert set(advice.codes) == case.codes
    assert advice.reasons == tuple(r.words for r in advice.details)
    if case.words:
        assert case.words in advice.reasons[0]
    if case.codes:
        assert advice.level == "see_professional"


def test_a_stale_judgement_says_its_day_and_asks_for_a_rating() -> None:
    ratings = daily(-47, -27, 5)
    advice = assess(ratings, None, on(TODAY, NOON))
    assert advice.as_of == d(-27)
    assert advice.details[0].dates[-1] == d(-27)
    assert needs_rating(ratings, on(TODAY, NOON))
    assert not needs_rating(ratings + [checkin(-1, 5), checkin(0, 5)], on(TODAY, NOON))
    fresh = assess(daily(-20, 0, 5), None, on(TODAY, NOON))
    assert fresh.as_of is None and "based on your ratings" not in fresh.reasons[0]


def test_pain_reasons_carry_the_dates_they_rest_on() -> None:
    advice = assess([checkin(-6, 7), checkin(-3, 2), checkin(0, 8)], None, on(TODAY, NOON))
    assert advice.details[0].code == "repeated_severe"
    assert advice.details[0].dates == (d(-6), d(0))
    assert advice.details[0].to_json()["dates"] == [d(-6).isoformat(), d(0).isoformat()]


# --- severe days across the clock change -------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "counted"),
    [
        # 00:30 GMT on Sunday 31 March is that Sunday, six days before Saturday 6 April.
        (datetime(2024, 3, 31, 0, 30, tzinfo=UTC), True),
        # 23:30 GMT on the Saturday is the Saturday, 7 days before: not counted (at summer's
        # offset it would look like 00:30 on the Sunday).
        (datetime(2024, 3, 30, 23, 30, tzinfo=UTC), False),
    ],
)
def test_severe_days_either_side_of_the_clock_change(at: datetime, counted: bool,
                                                     zoned: ZoneMode) -> None:
    now = zoned(datetime(2024, 4, 6, 12, 0, tzinfo=LONDON))
    ratings = [PainRating(at, "checkin", 8)]
    assert bool(severe_days(ratings, now, 7)) is counted


# --- sessions that flare it -------------------------------------------------------------------


def flare_case(name: str, ratings: list[PainRating], codes: set[str],
               now: datetime | None = None) -> Case:
    return Case(name, ratings, codes, now or on(TODAY, NOON))


FLARES = [
    flare_case("3 of the last 5 worse by 2 the next morning",
               session(1, d(-12), 2, morning=4) + session(2, d(-9), 2, morning=4)
               + session(3, d(-6), 2, morning=2) + session(4, d(-4), 2, morning=5)
               + session(5, d(-2), 2, morning=3), {"sessions_flare"}),
    flare_case("2 of the last 5 is not enough",
               session(1, d(-12), 2, morning=4) + session(2, d(-9), 2, morning=3)
               + session(3, d(-6), 2, morning=2) + session(4, d(-4), 2, morning=5)
               + session(5, d(-2), 2, morning=3), set()),
    flare_case("pain that rises after a session and settles by the morning is fine",
               [r for i in range(5) for r in session(i, d(-10 + 2 * i), 2, 5, morning=2)], set()),
    flare_case("pain worse the next morning is caught though it was fine after",
               [r for i in range(3) for r in session(i, d(-10 + 2 * i), 2, 2, morning=4)],
               {"sessions_flare"}),
    flare_case("after ratings judge a session once the day after it has ended",
               [r for i in range(3) for r in session(i, d(-4 + i), 2, 4)], {"sessions_flare"}),
    flare_case("last night's session waits for this morning's rating",
               [r for i in range(3) for r in session(i, d(-3 + i), 2, 4)], set()),
    flare_case("a session on day -13 is within the 14 days",
               session(1, d(-13), 2, morning=4) + session(2, d(-9), 2, morning=4)
               + session(3, d(-6), 2, morning=4), {"sessions_flare"}),
    flare_case("one on day -14 is not",
               session(1, d(-14), 2, morning=4) + session(2, d(-9), 2, morning=4)
               + session(3, d(-6), 2, morning=4), set()),
    flare_case("only the last 5 judged sessions count",
               [r for i in range(3) for r in session(i, d(-12 + i), 2, morning=4)]
               + [r for i in range(5) for r in session(10 + i, d(-8 + i), 2, morning=2)], set()),
    flare_case("sessions that cannot be judged are not among the last 5",
               [r for i in range(3) for r in session(i, d(-12 + i), 2, morning=4)]
               + [r for i in range(5) for r in session(10 + i, d(-8 + i), 2)], {"sessions_flare"}),
    flare_case("a rise of 1 is not a flare",
               [r for i in range(5) for r in session(i, d(-10 + 2 * i), 2, morning=3)], set()),
]


@pytest.mark.parametrize("case", FLARES, ids=[c.name for c in FLARES])
def test_sessions_that_flare(case: Case, zoned: ZoneMode) -> None:
    test_pain_rules(case, zoned)


SAT = date(2024, 3, 30)  # the clocks go forward early on Sunday 31 March


@pytest.mark.parametrize(
    ("name", "extra", "now", "judged_by", "rise"),
    [
        ("a check-in before 04:00 does not serve", [PainRating(on(SAT + timedelta(days=1), 3, 59),
                                                               "checkin", 6)],
         on(date(2024, 4, 1), 9), "after", 1),
        ("a check-in at 04:00 (summer time, after the change) serves",
         [PainRating(on(SAT + timedelta(days=1), 4, 0), "checkin", 6)],
         on(date(2024, 4, 1), 9), "checkin", 4),
        ("on day +2 a check-in still serves",
         [PainRating(on(SAT + timedelta(days=2), 20), "checkin", 6)],
         on(date(2024, 4, 3), 9), "checkin", 4),
        ("on day +3 it does not", [PainRating(on(SAT + timedelta(days=3), 8), "checkin", 6)],
         on(date(2024, 4, 3), 9), "after", 1),
        ("nor after the next session started",
         [PainRating(on(SAT + timedelta(days=1), 8), "before", 3, session_id=2),
          PainRating(on(SAT + timedelta(days=1), 9), "checkin", 6)],
         on(date(2024, 4, 1), 9), "after", 1),
        ("its own morning_after rating comes first",
         [PainRating(on(SAT + timedelta(days=1), 5), "checkin", 6),
          PainRating(on(SAT + timedelta(days=1), 8), "morning_after", 2, session_id=1)],
         on(date(2024, 4, 1), 9), "morning_after", 0),
        ("without a morning rating, not judged on the day after", [],
         on(SAT + timedelta(days=1), 23, 59), None, None),
        ("then judged by the after rating once that day has ended", [],
         on(SAT + timedelta(days=2), 0, 0), "after", 1),
    ],
)
def test_what_a_session_is_judged_by(name: str, extra: list[PainRating], now: datetime,
                                     judged_by: str | None, rise: int | None,
                                     zoned: ZoneMode) -> None:
    ratings = session(1, SAT, 2, after=3, hour=18) + extra
    checks = session_checks(convert(ratings, zoned), zoned(now))
    first = checks[0]
    assert (first.session_id, first.day) == (1, SAT)
    assert (first.judged_by, first.rise) == (judged_by, rise)


def test_a_session_without_ratings_closes_the_morning_of_the_one_before() -> None:
    ratings = session(1, SAT, 2, after=3) + [
        PainRating(on(SAT + timedelta(days=1), 9), "checkin", 6)]
    now = on(date(2024, 4, 2), 9)
    assert session_checks(ratings, now)[0].judged_by == "checkin"
    starts = {1: on(SAT, 18), 2: on(SAT + timedelta(days=1), 8)}
    assert session_checks(ratings, now, starts)[0].judged_by == "after"


# --- the next-morning check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extra", "now", "due"),
    [
        ("not before 04:00 on the next day", [], on(SAT + timedelta(days=1), 3, 59), False),
        ("due from 04:00 (summer time)", [], on(SAT + timedelta(days=1), 4, 0), True),
        ("still due on day +2", [], on(SAT + timedelta(days=2), 23, 59), True),
        ("not on day +3", [], on(SAT + timedelta(days=3), 0, 0), False),
        ("asked once: not after the answer",
         [PainRating(on(SAT + timedelta(days=1), 8), "morning_after", 3, session_id=1)],
         on(SAT + timedelta(days=1), 9), False),
        ("a check-in does not answer it",
         [PainRating(on(SAT + timedelta(days=1), 8), "checkin", 3)],
         on(SAT + timedelta(days=1), 9), True),
        ("closed by the next session",
         [PainRating(on(SAT + timedelta(days=1), 8), "before", 3, session_id=2)],
         on(SAT + timedelta(days=1), 9), False),
    ],
)
def test_morning_after_due(name: str, extra: list[PainRating], now: datetime, due: bool,
                           zoned: ZoneMode) -> None:
    ratings = convert(session(1, SAT, 2, after=3) + extra, zoned)
    found = morning_after_due(ratings, zoned(now))
    assert (found is not None) is due
    if found is not None:
        assert (found.session_id, found.session_day, found.before) == (1, SAT, 2)


def test_morning_after_declined_or_without_before_is_not_asked() -> None:
    now = on(SAT + timedelta(days=1), 9)
    assert morning_after_due(session(1, SAT, 2), now, declined={1}) is None
    after_only = [PainRating(on(SAT, 19), "after", 3, session_id=1)]
    assert morning_after_due(after_only, now) is None
    assert morning_after_due([], now) is None


def test_a_morning_after_rating_must_name_its_session() -> None:
    with pytest.raises(ValueError, match="session"):
        PainRating(on(SAT), "morning_after", 3)


def test_session_checks_since_a_day_are_those_of_the_full_history() -> None:
    ratings = [r for i in range(60) for r in session(i, d(-59 + i), 2, after=3 + i % 3,
                                                        morning=2 + i % 4 if i % 2 else None)]
    ratings += [checkin(-30 + i, 4, 8) for i in range(0, 30, 3)]
    now = on(TODAY, NOON)
    full = session_checks(ratings, now)
    assert session_checks(ratings, now, since=d(-13)) == [c for c in full if c.day >= d(-13)]


def test_an_episodes_baseline_stops_where_the_next_begins() -> None:
    # First rating ever 0 (an episode of its own), then a 5 the next day starts a new one.
    history = RestingHistory([checkin(-10, 0), checkin(-9, 5), checkin(-8, 7)], on(TODAY, NOON))
    first, second = history.episodes()
    assert (first.baseline.value, first.baseline.count) == (0.0, 1)
    assert second.baseline.value == 6.0


def test_as_of_orders_by_instant_across_the_repeated_hour_and_hands_out_copies():
    from player.core.pain import as_of

    zone = ZoneInfo("Europe/London")  # clocks went back at 02:00 BST on 27 Oct 2024
    first = datetime(2024, 10, 27, 1, 40, tzinfo=zone)  # 01:40 BST
    second = datetime(2024, 10, 27, 1, 10, fold=1, tzinfo=zone)  # 01:10 GMT, 30 min later
    ratings = (PainRating(second, "checkin", 5), PainRating(first, "checkin", 3))
    now = datetime(2024, 10, 28, 9, 0, tzinfo=zone)
    sorted_once = as_of(ratings, now)
    assert [r.rating for r in sorted_once] == [3, 5]
    sorted_once.clear()  # a caller changing its list does not change the next answer
    assert [r.rating for r in as_of(ratings, now)] == [3, 5]
    assert as_of(ratings, first) == [ratings[1]]  # another moment is answered afresh
    assert as_of(ratings, now) == [ratings[1], ratings[0]]  # and the later one again


def test_as_of_one_tuple_at_many_moments_is_what_each_moment_alone_gives() -> None:
    from player.core.pain import as_of

    start = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    ratings = tuple(PainRating(start + timedelta(hours=h), "checkin", h % 11)
                    for h in (50, 3, 27, 3, 90, 12))
    for hours in (100, 0, 3, 26.9, 40, 2.8, 200):  # later, earlier, then later again
        now = start + timedelta(hours=hours)
        assert as_of(ratings, now) == as_of(list(ratings), now)  # a list is never kept


@pytest.mark.parametrize("hours_later", [0, 9, 24 + 14, 2 * 24 + 14, 3 * 24 + 14, 9 * 24])
def test_severe_days_read_from_the_end_are_those_of_the_whole_history(hours_later: int) -> None:
    # A sorted history is read from its end back to the window's start only; a plain list is
    # read in full: the same days, across the clocks going forward (31 March 2024).
    from player.core.pain import as_of

    ratings = [r for i in range(60) for r in session(i, d(-59 + i), 2 + i % 6, after=3 + i % 5)]
    ratings += [checkin(-40 + i, 7 + i % 2, 8) for i in range(0, 40, 3)]
    now = (on(TODAY, 10).astimezone(UTC) + timedelta(hours=hours_later)).astimezone(LONDON)
    for level in (6, 7, 8):
        assert severe_days(as_of(ratings, now), now, level) == severe_days(ratings, now, level)


@pytest.mark.parametrize(("now", "due"), [
    (on(d(1), 3, 59), False), (on(d(1), 4), True), (on(d(2), 23, 59), True),
    (on(d(3), 0, 1), False)])
def test_the_next_morning_check_of_the_last_of_years_of_sessions(now: datetime, due: bool) -> None:
    ratings = [r for i in range(800) for r in session(i, d(-799 + i), 3, after=4,
                                                         morning=None if i == 799 else 3)]
    starts = {i: on(d(-799 + i), 18) for i in range(800)}
    found = morning_after_due(ratings, now, starts)
    assert (found is not None and found.session_id == 799) is due
    later = {**starts, 800: on(d(1), 8)}  # a session (no rating yet) the next morning
    assert morning_after_due(ratings, on(d(1), 9), later) is None


def test_the_levels_median_is_the_statistics_median() -> None:
    import random
    import statistics

    from player.core.pain import _median

    rng = random.Random(4)
    for n in (1, 2, 3, 4, 7, 14, 15):
        values = [rng.randint(0, 10) for _ in range(n)]
        assert _median(values) == statistics.median(values)
        assert isinstance(_median(values), float)
