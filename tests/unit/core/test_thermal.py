"""Ice and heat per clinical-notes.md v2, each rule at and either side of its limit.

Times are Europe/London's, across the change to summer time (01:00 GMT on 31 March 2024).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from player.core.clinical import ICE_GAP_SECONDS, SKIN_REST_SECONDS
from player.core.thermal import (
    THERMAL_SCREEN_QUESTIONS,
    DamagedThermal,
    PlannedStep,
    SkinRecheck,
    ThermalApplication,
    ThermalScreen,
    capped,
    decide,
    earliest_start,
    remaining_seconds,
    routine_gaps,
    screen_needed,
    screen_reasons,
    skin_status,
    stand_ins,
)

LONDON = ZoneInfo("Europe/London")
MIN = 60
# 00:20 GMT on Sunday 31 March: 40 minutes later is 01:00 GMT, which is 02:00 BST.
ICE_END = datetime(2024, 3, 31, 0, 20, tzinfo=LONDON)


def after(at: datetime, delta: timedelta) -> datetime:
    """*delta* of real time after *at*, in London (not wall-clock arithmetic)."""
    return (at.astimezone(UTC) + delta).astimezone(LONDON)


def before(at: datetime, delta: timedelta) -> datetime:
    return after(at, -delta)


ALL_NO = ThermalScreen(before(ICE_END, timedelta(days=30)), False, False, False, False)


def ice(minutes: float, line: int | None = None) -> PlannedStep:
    return PlannedStep("ice", minutes * MIN, line)


def heat(minutes: float, line: int | None = None) -> PlannedStep:
    return PlannedStep("heat", minutes * MIN, line)


def rest(minutes: float) -> PlannedStep:
    return PlannedStep("rest", minutes * MIN)


def exercise(minutes: float) -> PlannedStep:
    return PlannedStep("other", minutes * MIN)


@pytest.mark.parametrize(
    ("kind", "seconds", "expected"),
    [("ice", 1199, 1199), ("ice", 1200, 1200), ("ice", 1201, 1200),
     ("heat", 1799, 1799), ("heat", 1800, 1800), ("heat", 1801, 1800)],
)
def test_each_application_is_capped(kind: str, seconds: float, expected: float) -> None:
    assert capped(kind, seconds) == expected  # type: ignore[arg-type]


# --- within a routine: the rest is lengthened ---------------------------------------------------


GAPS = [
    ("heat 1 s short of the skin rest after ice", [ice(10), rest(19 + 59 / 60), heat(15, 7)],
     [(2, "skin_rest", 1.0, 1, 7)]),
    ("heat after exactly the skin rest", [ice(10), rest(20), heat(15)], []),
    ("heat after more than the skin rest", [ice(10), rest(21), heat(15)], []),
    ("ice 1 s short of the ice gap", [ice(20), rest(39 + 59 / 60), ice(10)],
     [(2, "ice_gap", 1.0, 1, None)]),
    ("ice after exactly the ice gap", [ice(20), rest(40), ice(10)], []),
    ("three 20-minute ice steps in a row", [ice(20), ice(20), ice(20)],
     [(1, "ice_gap", 40.0 * MIN, None, None), (2, "ice_gap", 40.0 * MIN, None, None)]),
    ("a pack longer than its cap counts only its cap", [ice(30), rest(40), ice(10)], []),
    ("ice after heat needs the skin rest too", [heat(20), rest(10), ice(10)],
     [(2, "skin_rest", 10.0 * MIN, 1, None)]),
    ("two heat steps need no gap", [heat(20), heat(20)], []),
    ("an exercise between counts as time", [ice(10), exercise(20), heat(15)], []),
    ("the strictest gap wins: ice soon after heat that followed ice",
     [ice(20), rest(20), heat(10), rest(5), ice(10)], [(4, "skin_rest", 15.0 * MIN, 3, None)]),
]


@pytest.mark.parametrize(("name", "steps", "fixes"), GAPS, ids=[g[0] for g in GAPS])
def test_routine_gaps(name: str, steps: list[PlannedStep],
                      fixes: list[tuple[int, str, float, int | None, int | None]]) -> None:
    found = routine_gaps(steps)
    assert [(f.index, f.reason, round(f.extra_seconds, 6), f.rest_index, f.line)
            for f in found] == fixes


def test_a_gap_fix_says_the_time_planned_and_needed() -> None:
    (fix,) = routine_gaps([ice(15), rest(5), heat(10)])
    assert (fix.planned_seconds, fix.needed_seconds) == (5 * MIN, SKIN_REST_SECONDS)


# --- across sessions ------------------------------------------------------------------------------


def applied(kind: str, start: datetime, minutes: float, *, session: int | None = 1,
            step: int | None = 0, ended: bool = True, skin: str | None = None,
            skin_at: datetime | None = None) -> ThermalApplication:
    end = after(start, timedelta(minutes=minutes))
    return ThermalApplication(kind, start, minutes * MIN, end, end if ended else None,  # type: ignore[arg-type]
                              session, step, skin, skin_at)  # type: ignore[arg-type]


LAST_ICE = applied("ice", before(ICE_END, timedelta(minutes=15)), 15, session=1)


@pytest.mark.parametrize(
    ("kind", "later", "action", "words"),
    [
        ("ice", timedelta(minutes=39, seconds=59), "wait",
         "Ice again from 02:00: at least 40 minutes between ice applications."),
        ("ice", timedelta(minutes=40), "start", ""),
        ("ice", timedelta(minutes=41), "start", ""),
        ("heat", timedelta(minutes=19, seconds=59), "wait",
         "Heat from 00:40: your skin needs 20 minutes"),
        ("heat", timedelta(minutes=20), "start", ""),
    ],
)
def test_ice_waits_for_the_gap_in_any_session(kind: str, later: timedelta, action: str,
                                              words: str) -> None:
    now = after(ICE_END, later)
    for zone in (LONDON, timezone(now.utcoffset() or timedelta(0))):
        decision = decide(kind, 15 * MIN, now.astimezone(zone),  # type: ignore[arg-type]
                          applications=[LAST_ICE], screen=ALL_NO, session_id=2, step_index=0)
        assert decision.action == action
        if words:
            assert decision.wait_until is not None
            assert decision.seconds == 15 * MIN  # what it gets once it may start
            if zone is LONDON:  # a fixed offset cannot know the clocks change at 01:00 GMT
                assert decision.words[0].startswith(words)


def test_earliest_start_takes_the_latest_end_of_each_kind() -> None:
    old = applied("ice", before(ICE_END, timedelta(hours=5)), 20, session=0)
    wait = earliest_start("ice", [old, LAST_ICE])
    assert wait is not None
    assert wait.reason == "ice_gap"
    assert wait.until == after(ICE_END, timedelta(seconds=ICE_GAP_SECONDS)).astimezone(UTC)
    assert earliest_start("heat", []) is None


@pytest.mark.parametrize(
    ("spent", "planned", "left"),
    [(12, 20, 8), (12, 25, 8), (10, 15, 5), (19.5, 20, 0.5), (20, 20, 0), (25, 20, 0)],
)
def test_an_interrupted_application_keeps_its_spent_time(spent: float, planned: float,
                                                         left: float) -> None:
    killed = applied("ice", before(ICE_END, timedelta(minutes=spent)), spent, session=3, step=4,
                     ended=False)
    assert remaining_seconds("ice", planned * MIN, [killed], 3, 4) == left * MIN
    decision = decide("ice", planned * MIN, after(ICE_END, timedelta(minutes=1)),
                      applications=[killed], screen=ALL_NO, session_id=3, step_index=4)
    # Resumed at once: not held back by its own ice gap, and only what is left of it.
    assert decision.action == ("start" if left else "skip")
    assert decision.seconds == left * MIN
    if not left:
        assert decision.code == "time_used"


def test_an_application_that_was_killed_counts_to_its_last_save() -> None:
    start = before(ICE_END, timedelta(minutes=10))
    killed = ThermalApplication("ice", start, 5 * MIN, ICE_END)  # saved at ICE_END, never ended
    assert killed.off_at == ICE_END
    wait = earliest_start("ice", [killed], session_id=9, step_index=0)
    assert wait is not None
    assert wait.until == after(ICE_END, timedelta(minutes=40)).astimezone(UTC)


# --- the skin ---------------------------------------------------------------------------------------


NOT_NORMAL = applied("ice", before(ICE_END, timedelta(minutes=15)), 15, skin="not_normal",
                     skin_at=ICE_END)


@pytest.mark.parametrize(
    ("later", "rechecks", "state"),
    [
        (timedelta(hours=23, minutes=59), [], "held"),
        (timedelta(hours=24), [], "ask"),
        (timedelta(hours=25), [SkinRecheck(after(ICE_END, timedelta(hours=24, minutes=1)), True)],
         "clear"),
        (timedelta(hours=25), [SkinRecheck(after(ICE_END, timedelta(hours=24, minutes=1)), False)],
         "held"),  # still not normal: another 24 hours
        (timedelta(hours=49), [SkinRecheck(after(ICE_END, timedelta(hours=24, minutes=1)), False)],
         "ask"),
    ],
)
def test_skin_not_normal_holds_ice_and_heat_for_24_hours(later: timedelta,
                                                         rechecks: list[SkinRecheck],
                                                         state: str) -> None:
    now = after(ICE_END, later)
    assert skin_status([NOT_NORMAL], rechecks, now).state == state
    for kind in ("ice", "heat"):
        decision = decide(kind, 10 * MIN, now, applications=[NOT_NORMAL],  # type: ignore[arg-type]
                          rechecks=rechecks, screen=ALL_NO, session_id=2, step_index=0)
        expected = {"held": "skip", "ask": "ask_skin", "clear": "start"}[state]
        assert decision.action == expected


def test_the_hold_says_until_when_on_the_clock_in_use() -> None:
    # Not normal at 00:20 GMT on the day the clocks go forward: held until 01:20 BST next day.
    decision = decide("heat", 10 * MIN, after(ICE_END, timedelta(hours=1)),
                      applications=[NOT_NORMAL], screen=ALL_NO)
    assert decision.code == "skin_held"
    assert "paused until 01:20" in decision.words[0]


def test_normal_skin_does_not_hold() -> None:
    fine = replace(NOT_NORMAL, skin="normal")
    assert skin_status([fine], [], after(ICE_END, timedelta(minutes=1))).state == "clear"


# --- the screen -------------------------------------------------------------------------------------


def test_the_screen_is_asked_before_the_first_thermal_step() -> None:
    assert screen_needed(None)
    half = ThermalScreen(ICE_END, circulation=False)
    assert screen_needed(half)
    assert not screen_needed(ALL_NO)
    assert decide("ice", 600, ICE_END, screen=None).action == "ask_screen"
    assert decide("heat", 600, ICE_END, screen=half).action == "ask_screen"
    assert [q.field for q in THERMAL_SCREEN_QUESTIONS] == [
        "circulation", "cold_urticaria", "reduced_feeling", "skin_damage"]


@pytest.mark.parametrize(
    ("answer", "ice_skipped", "heat_skipped"),
    [
        ("circulation", True, True),
        ("cold_urticaria", True, False),
        ("reduced_feeling", True, True),
        ("skin_damage", True, True),
    ],
)
def test_a_yes_skips_that_kind_with_advice_to_ask_a_clinician(answer: str, ice_skipped: bool,
                                                               heat_skipped: bool) -> None:
    screen = replace(ALL_NO, **{answer: True})
    for kind, skipped in (("ice", ice_skipped), ("heat", heat_skipped)):
        decision = decide(kind, 600, ICE_END, screen=screen)  # type: ignore[arg-type]
        assert (decision.action == "skip") is skipped
        assert bool(screen_reasons(kind, screen)) is skipped  # type: ignore[arg-type]
        if skipped:
            assert decision.code == f"screen.{answer}"
            assert "Ask a clinician" in decision.words[0]


# --- validate: gaps shorter than version 2 warn at the step's line ------------------------------

GAPS = """\
format: 1
title: Too close
blocks:
  - name: Recovery
    steps:
      - ice: 15m
      - rest: {rest}
      - heat: 15m
"""


@pytest.mark.parametrize(("rest", "warned"), [("19m", True), ("20m", False), ("21m", False)])
def test_validate_warns_at_the_heat_step_when_the_skin_rest_is_short(
        tmp_path, rest: str, warned: bool) -> None:
    from player.core.loader import load_routine

    path = tmp_path / "gaps.yaml"
    path.write_text(GAPS.format(rest=rest))
    result = load_routine(path)
    assert result.routine is not None  # a warning, not an error
    gaps = [p for p in result.problems if "the skin needs" in p.message]
    assert bool(gaps) is warned
    if warned:
        [gap] = gaps
        assert (gap.line, gap.path) == (8, "blocks[0].steps[2]")
        assert "20:00" in gap.message and not gap.is_error
        assert gap.message.endswith("the player lengthens the rest before it")


@pytest.mark.parametrize(("between", "warned"), [("39m", True), ("40m", False)])
def test_validate_warns_at_an_ice_step_too_soon_after_ice(
        tmp_path, between: str, warned: bool) -> None:
    from player.core.loader import load_routine

    path = tmp_path / "ice.yaml"
    path.write_text(GAPS.format(rest=between).replace("heat: 15m", "ice: 10m"))
    gaps = [p for p in load_routine(path).problems if "40 minutes" in p.message]
    assert bool(gaps) is warned
    if warned:
        assert gaps[0].line == 8


# --- the rest before a thermal step, lengthened in the player ----------------------------------


@pytest.mark.parametrize(
    ("kind", "rest_ends_after", "extra", "reason"),
    [
        # ice 40 minutes after the last ice ended, across the change to summer time at 01:00
        ("ice", timedelta(minutes=5), 35 * MIN, "ice_gap"),
        ("ice", timedelta(minutes=39, seconds=59, milliseconds=500), 1, "ice_gap"),  # rounded up
        ("ice", timedelta(minutes=40), None, None),
        ("ice", timedelta(minutes=41), None, None),
        ("heat", timedelta(minutes=0), 20 * MIN, "skin_rest"),
        ("heat", timedelta(minutes=19), 1 * MIN, "skin_rest"),
        ("heat", timedelta(minutes=20), None, None),
    ],
)
def test_the_rest_before_a_thermal_step_is_lengthened_to_the_gap(
        kind: str, rest_ends_after: timedelta, extra: float | None, reason: str | None) -> None:
    from player.core.thermal import rest_extension

    ends = after(ICE_END, rest_ends_after)
    found = rest_extension(kind, 15 * MIN, ends, applications=[LAST_ICE],  # type: ignore[arg-type]
                           screen=ALL_NO, session_id=1, step_index=4)
    if extra is None:
        assert found is None
        return
    assert found is not None and (found.seconds, found.reason) == (extra, reason)
    # Lengthened by that much, the step may start when the rest ends: no wait is left.
    start = decide(kind, 15 * MIN, after(ends, timedelta(seconds=found.seconds)),  # type: ignore[arg-type]
                   applications=[LAST_ICE], screen=ALL_NO, session_id=1, step_index=4)
    assert start.action == "start"


def test_no_rest_is_lengthened_for_a_step_that_will_not_play() -> None:
    from player.core.thermal import rest_extension

    ends = after(ICE_END, timedelta(minutes=5))
    cold_hives = replace(ALL_NO, cold_urticaria=True)
    assert rest_extension("ice", 15 * MIN, ends, applications=[LAST_ICE],
                          screen=cold_hives) is None  # skipped at the step, with its reason
    assert rest_extension("ice", 15 * MIN, ends, applications=[LAST_ICE],
                          screen=None) is None  # the screen is asked at the step first
    not_normal = replace(LAST_ICE, skin="not_normal", skin_at=ICE_END)
    assert rest_extension("ice", 15 * MIN, ends, applications=[not_normal],
                          screen=ALL_NO) is None  # held for 24 hours


@pytest.mark.parametrize(("seconds", "words"), [
    (1, "The rest is 1 second longer"), (59, "The rest is 59 seconds longer"),
    (60, "The rest is 1 minute longer"), (61, "The rest is 2 minutes longer"),
    (35 * MIN, "The rest is 35 minutes longer: at least 40 minutes from the end of one ice"),
])
def test_the_lengthened_rest_says_how_much_and_why(seconds: float, words: str) -> None:
    from player.core.thermal import RestExtension

    assert RestExtension(seconds, "ice_gap").words.startswith(words)


# --- Damaged records: the safer reading -----------------------------------------------------------

def _decide_with(damaged: list[DamagedThermal], kind: str, now: datetime,
                 read_at: datetime | None = None,
                 rechecks: tuple[SkinRecheck, ...] = ()) -> tuple[str, str]:
    apps, checks = stand_ins(damaged, read_at or now)
    decision = decide(kind, 15 * MIN, now, applications=apps,  # type: ignore[arg-type]
                      rechecks=[*rechecks, *checks], screen=ALL_NO, session_id=9,
                      step_index=0)
    return decision.action, decision.code


NOTHING_READABLE = DamagedThermal("application", 4, "its start is 'x'")


@pytest.mark.parametrize(
    ("later", "kind", "expected"),
    [
        (timedelta(minutes=39, seconds=59), "ice", ("wait", "ice_gap")),
        (timedelta(minutes=40), "ice", ("start", "")),
        (timedelta(minutes=19, seconds=59), "heat", ("wait", "skin_rest")),
        (timedelta(minutes=20), "heat", ("start", "")),
    ],
)
def test_an_application_with_no_readable_time_counts_as_ice_and_heat_just_off(
        later: timedelta, kind: str, expected: tuple[str, str]) -> None:
    read_at = ICE_END  # 00:20 GMT: 40 minutes later is across the change to summer time
    assert _decide_with([NOTHING_READABLE], kind, after(read_at, later), read_at) == expected


def test_with_no_time_it_came_off_when_the_next_readable_one_started() -> None:
    next_start = before(ICE_END, timedelta(hours=3))
    damaged = replace(NOTHING_READABLE, next_at=next_start)
    assert _decide_with([damaged], "ice", after(next_start, timedelta(minutes=39)),
                        ICE_END)[0] == "wait"
    assert _decide_with([damaged], "ice", ICE_END)[0] == "start"  # 3 hours later


@pytest.mark.parametrize(
    ("damaged", "off"),
    [
        # Its end is readable: it came off then (its kind unreadable: ice and heat).
        (DamagedThermal("application", 1, "kind", ended_at=ICE_END, updated_at=ICE_END),
         ICE_END),
        # Only its start: on for up to the longest cap (heat's 30 minutes).
        (DamagedThermal("application", 1, "end", started_at=before(ICE_END, timedelta(
            minutes=30))), ICE_END),
        # A skin check's time after its last save: the latest readable time counts.
        (DamagedThermal("application", 1, "kind", updated_at=before(ICE_END, timedelta(
            minutes=5)), skin_at=ICE_END, skin="normal"), ICE_END),
    ],
)
def test_a_damaged_application_came_off_at_its_latest_readable_time(
        damaged: DamagedThermal, off: datetime) -> None:
    for kind, gap in (("ice", ICE_GAP_SECONDS), ("heat", SKIN_REST_SECONDS)):
        just_before = after(off, timedelta(seconds=gap - 1))
        assert _decide_with([damaged], kind, just_before, ICE_END + timedelta(days=1))[0] == (
            "wait")
        at_gap = after(off, timedelta(seconds=gap))
        assert _decide_with([damaged], kind, at_gap, ICE_END + timedelta(days=1))[0] == "start"


def test_a_known_kind_holds_back_only_by_its_own_gaps() -> None:
    damaged = DamagedThermal("application", 1, "seconds", kind="heat", ended_at=ICE_END,
                             updated_at=ICE_END)
    # Ice after heat waits the 20-minute skin rest, not the 40-minute ice gap.
    assert _decide_with([damaged], "ice", after(ICE_END, timedelta(minutes=20)))[0] == "start"
    assert _decide_with([damaged], "ice", after(ICE_END, timedelta(minutes=19)))[0] == "wait"


@pytest.mark.parametrize(
    ("later", "expected"),
    [(timedelta(hours=23, minutes=59), "skip"), (timedelta(hours=24), "ask_skin")],
)
def test_a_damaged_skin_check_counts_as_not_normal(later: timedelta, expected: str) -> None:
    damaged = DamagedThermal("application", 1, "skin", kind="ice", ended_at=ICE_END,
                             updated_at=ICE_END, skin_damaged=True, skin_at=ICE_END)
    assert _decide_with([damaged], "heat", after(ICE_END, later))[0] == expected


def test_a_damaged_skin_check_with_no_time_asks_at_once_and_never_holds_for_ever() -> None:
    damaged = replace(NOTHING_READABLE, skin_damaged=True)
    now = after(ICE_END, timedelta(days=3))
    assert _decide_with([damaged], "ice", now) == ("ask_skin", "skin_ask")
    answered = (SkinRecheck(now, True),)
    assert _decide_with([damaged], "heat", after(now, timedelta(minutes=20)), now,
                        answered)[0] == "start"


@pytest.mark.parametrize(
    ("damaged", "later", "expected"),
    [
        # Its time is readable, its answer is not: not normal then (a 24-hour hold).
        (DamagedThermal("recheck", 1, "answer", started_at=ICE_END),
         timedelta(hours=23, minutes=59), "skip"),
        (DamagedThermal("recheck", 1, "answer", started_at=ICE_END), timedelta(hours=24),
         "ask_skin"),
        # No time: the skin is asked about at once.
        (DamagedThermal("recheck", 1, "time"), timedelta(0), "ask_skin"),
    ],
)
def test_a_damaged_recheck_counts_as_skin_not_normal(damaged: DamagedThermal,
                                                     later: timedelta, expected: str) -> None:
    assert _decide_with([damaged], "ice", after(ICE_END, later), ICE_END)[0] == expected


def test_a_recheck_with_no_time_is_settled_by_the_next_readable_answer() -> None:
    answered = after(ICE_END, timedelta(hours=2))
    damaged = DamagedThermal("recheck", 1, "time", next_at=answered)
    later = after(ICE_END, timedelta(days=1))
    assert _decide_with([damaged], "ice", later, later,
                        (SkinRecheck(answered, True),))[0] == "start"


def test_damaged_words_say_which_record_and_what() -> None:
    assert NOTHING_READABLE.words == "An ice or heat record (number 4) is damaged: its start is 'x'."
    assert "number 2" in DamagedThermal("recheck", 2, "x").words
