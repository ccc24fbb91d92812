"""Every problem in one pass, each at its own place, worded for the physio who wrote the file.

Table-driven: each row is a small routine (or a change to one) and the exact lines
``validate`` prints for it, as ``LINE:COL: severity: place: message``.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from player.core import loader as loader_mod
from player.core.durations import DurationError, clock_time_fix, parse_duration
from player.core.loader import load_library, load_routine
from player.core.places import place
from player.core.yamlsafe import parse

TODAY = dt.date(2026, 11, 21)
CLOCK = ("{text} is a clock time, which routine files do not use (YAML reads it as the number "
         "{n}, in base 60); write {fix}")

BASE = """\
format: 1
title: Test
blocks:
  - name: Strength
    steps:
      - exercise: plank
        hold: 30s
"""


@pytest.fixture(scope="module")
def library() -> loader_mod.Library:
    return load_library()


def lines(tmp_path: Path, text: str, library: loader_mod.Library) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    return [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}" for p in result.problems]


# --- durations --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "seconds"), [
    ("30 seconds", 30), ("1 second", 1), ("45 secs", 45), ("1 min", 60), ("20 mins", 1200),
    ("1 minute", 60), ("2 minutes", 120), ("2 hours", 7200), ("1 hour", 3600), ("1 hr", 3600),
    ("1 minute 30 seconds", 90), ("1m 30s", 90), ("1.5 minutes", 90), ("20 Mins", 1200),
    ("45s", 45), ("2m", 120), ("1m30s", 90), ("90", 90),
])
def test_natural_durations_are_accepted(tmp_path, library, text, seconds):
    assert parse_duration(text) == seconds
    path = tmp_path / "r.yaml"
    path.write_text(BASE.replace("hold: 30s", f"hold: {text}"), encoding="utf-8")
    result = load_routine(path, library)
    assert result.errors == () and result.routine is not None  # a long plank is only warned
    assert result.routine.blocks[0].steps[0].hold == seconds


@pytest.mark.parametrize(("value", "message"), [
    # YAML 1.1 reads a plain 1:30 as the number 90: refused as written, with the fix.
    ("1:30", CLOCK.format(text="1:30", n=90, fix="1m30s")),
    ("0:45", CLOCK.format(text="0:45", n=45, fix="45s")),
    ("1:30:00", CLOCK.format(text="1:30:00", n=5400, fix="1h30m")),
    ("'1:30'", CLOCK.format(text="1:30", n=90, fix="1m30s")),
    ("30 sek", "sek is not a unit of time (use s, m or h, or seconds, minutes, hours); "
               "write 30s; found 30 sek"),
    ("2 minuts", "minuts is not a unit of time (use s, m or h, or seconds, minutes, hours); "
                 "write 2m; found 2 minuts"),
    ("1,5m", "decimals are written with a point; write 1.5m; found 1,5m"),
    ("thirty", "must be a duration like 45s, 2m, 1m30s, 30 seconds or 90 (seconds); write it "
               "like 30s, 2m or 1m30s; found thirty"),
    ("-30s", "must not be negative; write how long, such as 30s; found -30s"),
    ("0s", "must be longer than zero (write at least 1s); found 0s"),
])
def test_bad_durations_say_what_to_write(tmp_path, library, value, message):
    found = lines(tmp_path, BASE.replace("hold: 30s", f"hold: {value}"), library)
    assert found == [f"7:15: error: block 'Strength', step 1 (Plank), hold: {message}"]


@pytest.mark.parametrize(("text", "fix"), [
    ("1:30", "write 1m30s"), ("10:00", "write 10m"), ("1:00:30", "write 1h30s"),
    ("1:30.5", "write 1m30.5s"), ("30s", ""), ("1:3a", ""), ("12", ""),
])
def test_clock_time_fix(text, fix):
    assert clock_time_fix(text).endswith(fix) if fix else clock_time_fix(text) == ""


@pytest.mark.parametrize(("change", "line"), [
    ("reps: 1:30", 7), ("sets: 1:05", 7)])
def test_a_base_60_number_is_refused_where_a_whole_number_is_wanted(tmp_path, library, change,
                                                                    line):
    # Format 1.0 took `reps: 1:30` as 90 reps (YAML 1.1); a physio never means that, and the
    # editor refuses it, so validate does too (the safer reading; see docs/routine-format.md).
    found = lines(tmp_path, BASE.replace("hold: 30s", change), library)
    text = change.split(": ")[1]
    assert any(f"{line}:" in f and f"found {text}, which YAML reads as the number" in f
               for f in found), found


def test_clock_time_in_a_duration_raises_through_parse_duration_too():
    with pytest.raises(DurationError, match="write 1m30s"):
        parse_duration("1:30")


# --- values shown as written, and quotes that are the mistake ---------------------------------

@pytest.mark.parametrize(("change", "line", "expected"), [
    ("        sets: '3'\n", "8:15",
     "block 'Strength', step 1 (Plank), sets: must be a whole number from 1 to 50; found '3', "
     "which the quotes make text: write 3 without the quotes"),
    ('        sets: "3"\n', "8:15",
     "block 'Strength', step 1 (Plank), sets: must be a whole number from 1 to 50; found \"3\", "
     "which the quotes make text: write 3 without the quotes"),
    ("        sets: three\n", "8:15",
     "block 'Strength', step 1 (Plank), sets: must be a whole number from 1 to 50; found three"),
    ('        pain_check: "true"\n', "8:21",
     "block 'Strength', step 1 (Plank), pain_check: must be true or false; found \"true\", "
     "which the quotes make text: write true without the quotes"),
    ("        sets: 3x\n", "8:15",
     "block 'Strength', step 1 (Plank), sets: must be a whole number from 1 to 50; found 3x; "
     "write only the number: 3"),
    ("        sets: 3 sets\n", "8:15",
     "block 'Strength', step 1 (Plank), sets: must be a whole number from 1 to 50; found 3 "
     "sets; write only the number: 3"),
    ("        pain_check: 1\n", "8:21",
     "block 'Strength', step 1 (Plank), pain_check: must be true or false; found 1"),
    ("        note: 12\n", "8:15",
     "block 'Strength', step 1 (Plank), note: must be text; found 12; to mean it as text, put "
     "it in quotes: \"12\""),
    ("        note: yes\n", "8:15",
     "block 'Strength', step 1 (Plank), note: must be text; found yes (a yes/no value); to mean "
     "it as text, put it in quotes: \"yes\""),
    ("        sides: Both\n", "8:16",
     "block 'Strength', step 1 (Plank), sides: must be one of: none, both, left, right, alternating; found "
     "Both (did you mean `both`?)"),
    ("        sides:\n", "8:15",
     "block 'Strength', step 1 (Plank), sides: must be one of: none, both, left, right, alternating; found "
     "nothing (an empty value)"),
])
def test_found_values_are_shown_as_written(tmp_path, library, change, line, expected):
    found = lines(tmp_path, BASE + change, library)
    assert found == [f"{line}: error: {expected}"]


@pytest.mark.parametrize(("written", "fix"), [
    ("2026/01/05", "found 2026/01/05; write 2026-01-05"),
    ("2026.01.05", "found 2026.01.05; write 2026-01-05"),
    ("05/01/2026", "found 05/01/2026; write it year first, as YYYY-MM-DD"),
    ("5.1.2026", "found 5.1.2026; write it year first, as YYYY-MM-DD"),
    ("next week", "found next week"),
])
def test_dates_written_another_way_say_how_to_write_them(tmp_path, library, written, fix):
    found = lines(tmp_path, BASE + f"review_by: {written}\n", library)
    assert found == [f"8:12: error: review_by: must be a date written YYYY-MM-DD; {fix}"]


def test_a_quoted_date_says_to_drop_the_quotes(tmp_path, library):
    found = lines(tmp_path, BASE + 'written: "2026-01-05"\n', library)
    assert found == ['8:10: error: written: must be a date written YYYY-MM-DD; found '
                     '"2026-01-05", which the quotes make text: write 2026-01-05 without the '
                     'quotes']


def test_no_python_quoting_in_any_message(tmp_path, library):
    text = BASE.replace("plank", "plankk") + "        sets: '3'\n        sidez: both\n"
    found = lines(tmp_path, text, library)
    assert found == [
        "6:19: error: block 'Strength', step 1 (plankk), exercise: no exercise with id `plankk` "
        "in this file's `exercises` or the bundled library (did you mean `plank`?)",
        "8:15: error: block 'Strength', step 1 (plankk), sets: must be a whole number from 1 to "
        "50; found '3', which the quotes make text: write 3 without the quotes",
        "9:9: error: block 'Strength', step 1 (plankk), sidez: unknown field `sidez` in exercise "
        "step (did you mean `sides`?) (allowed: exercise, hold, reps, tempo, sets, "
        "rest_between_sets, rest_after, sides, switch_time, progression, pain_check, stop_if, "
            "load, breathing, note, clinician_notes)",
    ]


# --- every problem in one pass ----------------------------------------------------------------

ONE_PASS = [
    pytest.param(  # a step rule behind an invalid field of the same step
        BASE + "        sets: 0\n        reps: 10\n",
        ["7:9: error: block 'Strength', step 1 (Plank), hold: `reps` with `hold` (each "
         "repetition held for that time, e.g. 10 x 10s) is new in format 1.1, but this file says "
         "`format: 1`; write `format: 1.1` at the top of the file, or give either `hold` or "
         "`reps`",
         "8:15: error: block 'Strength', step 1 (Plank), sets: must be from 1 to 50; found 0"],
        id="rule-beside-a-bad-field"),
    pytest.param(  # tempo with hold, and a bad tempo phase
        BASE + "        tempo: {up: 2x}\n",
        ["6:9: error: block 'Strength', step 1 (Plank): `tempo` times each repetition, so it "
         "needs `reps`, not `hold`",
         "8:21: error: block 'Strength', step 1 (Plank), tempo.up: x is not a unit of time (use "
         "s, m or h, or seconds, minutes, hours); write 2s; found 2x"],
        id="tempo-rule-and-phase"),
    pytest.param(  # a schedule rule behind a bad weeks
        BASE + "schedule: {times_per_week: 3, weekdays: [mon], weeks: 0}\n",
        ["8:11: error: schedule: give either `times_per_week` or `weekdays`, not both",
         "8:55: error: schedule.weeks: must be from 1 to 104; found 0"],
        id="schedule-rule-and-field"),
    pytest.param(  # media, ice cap and review date while the title is missing
        """\
        format: 1
        review_by: 2025-01-01
        exercises:
          mine:
            name: Mine
            illustration: ../x.svg
            sound: /etc/x.wav
        blocks:
          - name: Strength
            steps:
              - exercise: mine
                hold: 10s
              - ice: 25m
              - heat: 45m
        """,
        ["1:1: error: routine is missing the required field `title` (Title shown in the "
         "library.)",
         "2:12: warning: review_by: the review date 2025-01-01 has passed; ask the author (your "
         "physiotherapist) to review this routine",
         "6:19: error: exercise `mine`, illustration: media path `../x.svg` must not leave the "
         "routine's folder (`..` is not allowed)",
         "7:12: error: exercise `mine`, sound: media path `/etc/x.wav` must be relative to the "
         "routine file (absolute paths are not read)",
         "13:14: warning: block 'Strength', step 2 (ice), ice: ice for 25:00 is longer than the "
         "20-minute safety limit; the player stops it at 20 minutes",
         "14:15: warning: block 'Strength', step 3 (heat), heat: heat for 45:00 is longer than "
         "the 30-minute safety limit; the player stops it at 30 minutes"],
        id="whole-file-checks-behind-a-first-level-error"),
    pytest.param(  # a bad ice value gets its error, not also a cap warning
        BASE + "      - ice: 25 minuts\n",
        ["8:14: error: block 'Strength', step 2 (ice), ice: minuts is not a unit of time (use s, "
         "m or h, or seconds, minutes, hours); write 25m; found 25 minuts"],
        id="no-cap-warning-for-a-bad-value"),
    pytest.param(  # progression problems, each at its own key, and a week past the schedule
        BASE + "        progression:\n          week 1: {hold: 40s}\n          week 3:\n"
               "            reps: 12\n          week 9: {hold: 50s}\n"
               "schedule: {weeks: 4}\n",
        ["9:11: error: block 'Strength', step 1 (Plank), progression, week 1: progressions start "
         "from week 2 (week 1 is the step itself); change the step's own values, or write "
         "`week 2` or later",
         "11:13: error: block 'Strength', step 1 (Plank), progression, week 3, reps: changes "
         "`reps`, but this step is done by `hold`; write `hold` here instead",
         "12:11: error: block 'Strength', step 1 (Plank), progression, week 9: the schedule has 4 "
         "week(s) (`schedule: weeks: 4`), so `week 9` is never played; remove it, or make the "
         "schedule 9 weeks or longer"],
        id="progression-keys"),
    pytest.param(  # a week past the schedule even where the step has other errors
        BASE + "        sets: 0\n        progression: {week 5: {hold: 40s}}\n"
               "schedule: {weeks: 4}\n",
        ["8:15: error: block 'Strength', step 1 (Plank), sets: must be from 1 to 50; found 0",
         "9:23: error: block 'Strength', step 1 (Plank), progression, week 5: the schedule has 4 "
         "week(s) (`schedule: weeks: 4`), so `week 5` is never played; remove it, or make the "
         "schedule 5 weeks or longer"],
        id="progression-past-schedule-beside-an-error"),
    pytest.param(  # reading errors that leave the structure clear do not hide the rest
        BASE + "        hold: 40s\n        sets: 0\nwritten: 2026-02-30\n",
        ["8:9: error: duplicate key `hold` (first defined on line 7); write each key once",
         "9:15: error: block 'Strength', step 1 (Plank), sets: must be from 1 to 50; found 0",
         "10:10: error: 2026-02-30 is not a valid date (write it YYYY-MM-DD, a day that "
         "exists)"],
        id="duplicate-key-and-impossible-date-beside-other-errors"),
    pytest.param(  # the session limit, counted on the steps without errors
        "format: 1\ntitle: Long\nblocks:\n  - name: Main\n    steps:\n"
        + "      - exercise: plank\n        hold: 1h\n" * 9
        + "      - exercise: plank\n        hold: 30s\n        sets: 0\n",
        ["20:9: error: block 'Main', step 8 (Plank): this routine would take 9:00:05, longer "
         "than the 8 hours one session may last; it passes the limit at this step. Use shorter "
         "or fewer steps, or split it into several routines",
         "26:15: error: block 'Main', step 10 (Plank), sets: must be from 1 to 50; found 0"],
        id="session-limit-beside-an-error"),
    pytest.param(  # ... but not guessed at when the defaults themselves have errors
        "format: 1\ntitle: Long\ndefaults: {lead_in: 5 sek}\nblocks:\n  - name: Main\n"
        "    steps:\n" + "      - exercise: plank\n        hold: 1h\n" * 9,
        ["3:21: error: defaults.lead_in: sek is not a unit of time (use s, m or h, or seconds, "
         "minutes, hours); write 5s; found 5 sek"],
        id="no-session-limit-with-bad-defaults"),
    pytest.param(  # a syntax error still stops reading: nothing after it can be trusted
        BASE + "        sets: [1\n        reps: 0\n",
        ["9:13: error: YAML syntax error: while parsing a flow sequence did not find "
         "expected ',' or ']'"],
        id="syntax-error-stops"),
]


@pytest.mark.parametrize(("text", "expected"), ONE_PASS)
def test_every_problem_in_one_pass(tmp_path, library, text, expected):
    assert lines(tmp_path, text, library) == expected


def test_a_file_with_only_a_duplicate_key_is_not_played(tmp_path, library):
    path = tmp_path / "r.yaml"
    path.write_text(BASE + "        hold: 40s\n", encoding="utf-8")
    result = load_routine(path, library)
    assert result.routine is None and [p.line for p in result.errors] == [8]


def test_the_last_week_of_the_schedule_may_have_a_progression(tmp_path, library):
    text = BASE + "        progression: {week 4: {hold: 40s}}\nschedule: {weeks: 4}\n"
    assert lines(tmp_path, text, library) == []


# --- places as a physio reads them ------------------------------------------------------------

PLACES_FILE = """\
format: 1
title: Places
exercises:
  wall_sit: {name: Wall sit, instructions: [a, b, c]}
blocks:
  - name: Warm-up
    steps:
      - rest: 10s
  - name: Strength
    steps:
      - exercise: plank
        hold: 30s
      - exercise: wall_sit
        reps: 5
        tempo: {up: 2s}
        progression: {week 3: {reps: 8}}
      - cadence: 180
        duration: 1m
        name: Quick feet
      - cadence: 170
        duration: 1m
  - steps: []
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("title", "title"),
    ("schedule.weeks", "schedule.weeks"),
    ("pain_checks.thresholds.severe_level", "pain_checks.thresholds.severe_level"),
    ("blocks", "blocks"),
    ("blocks[0]", "block 'Warm-up'"),
    ("blocks[0].steps[0].rest", "block 'Warm-up', step 1 (rest), rest"),
    ("blocks[1].steps[0].hold", "block 'Strength', step 1 (Plank), hold"),
    ("blocks[1].steps[1].tempo.up", "block 'Strength', step 2 (Wall sit), tempo.up"),
    ("blocks[1].steps[1].progression.week 3.reps",
     "block 'Strength', step 2 (Wall sit), progression, week 3, reps"),
    ("blocks[1].steps[2].cadence", "block 'Strength', step 3 (Quick feet), cadence"),
    ("blocks[1].steps[3]", "block 'Strength', step 4 (cadence drill)"),
    ("blocks[1].steps[9]", "block 'Strength', step 10"),
    ("blocks[2].steps", "block 3, steps"),
    ("exercises.wall_sit.instructions[2]", "exercise `wall_sit`, instructions, line 3"),
    ("schedule.weekdays[1]", "schedule.weekdays, item 2"),
    ("sources[0]", "sources, line 1"),
])
def test_places_count_from_one_and_use_names(library, path, expected):
    root, problems = parse(PLACES_FILE)
    assert problems == [] and root is not None
    names = {ex_id: ex.name for ex_id, ex in library.exercises.items()} | {"wall_sit": "Wall sit"}
    assert place(path, root, names) == expected


def test_problems_keep_the_programs_path_beside_the_place(tmp_path, library):
    path = tmp_path / "r.yaml"
    path.write_text(BASE.replace("30s", "0"), encoding="utf-8")
    (problem,) = load_routine(path, library).problems
    assert problem.path == "blocks[0].steps[0].hold"
    assert problem.where == "block 'Strength', step 1 (Plank), hold"


# --- the documentation says what the code does ------------------------------------------------

FORMAT_DOC = Path(__file__).resolve().parents[3] / "docs" / "routine-format.md"


def _doc_table(marker: str) -> list[tuple[str, str]]:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    table = text.split(f"<!-- {marker} -->\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split(" | ", 1) for line in table.splitlines()[2:]]
    return [(left.strip(), right.strip()) for left, right in rows]


def test_every_documented_duration_is_read_as_documented():
    rows = _doc_table("durations-accepted")
    assert len(rows) >= 10
    for forms, means in rows:
        seconds = float(means.split()[0])
        for form in forms.split(", "):
            assert parse_duration(form.strip("`")) == seconds, form


@pytest.mark.parametrize("row", _doc_table("durations-refused"), ids=lambda r: r[0])
def test_every_documented_refusal_is_what_validate_says(tmp_path, library, row):
    written, says = row
    found = lines(tmp_path, BASE.replace("hold: 30s", f"hold: {written.strip('`')}"), library)
    assert found == [f"7:15: error: block 'Strength', step 1 (Plank), hold: {says}"]


def test_a_library_file_gets_its_media_checked_beside_other_errors(tmp_path):
    from player.core.loader import validate_file

    path = tmp_path / "lib.yaml"
    path.write_text("format: 1\nexercises:\n  wall_sit: {nme: Wall sit}\n"
                    "  bridge: {name: Bridge, illustration: ../up.svg}\n", encoding="utf-8")
    assert [f"{p.line}:{p.col}: {p.describe()}" for p in validate_file(path)] == [
        "3:13: exercise `wall_sit`: exercise definition is missing the required field `name` "
        "(Name shown and spoken.)",
        "3:14: exercise `wall_sit`, nme: unknown field `nme` in exercise definition (did you mean "
        "`name`?) (allowed: name, instructions, feel, cautions, illustration, sound, easier, "
        "sources, stop_if, breathing)",
        "4:40: exercise `bridge`, illustration: media path `../up.svg` must not leave the "
        "routine's folder (`..` is not allowed)",
    ]


def test_a_library_with_a_duplicate_key_gives_no_exercises(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text("format: 1\nexercises:\n  bridge: {name: Bridge}\n  bridge: {name: B}\n",
                    encoding="utf-8")
    library = load_library(path)
    assert library.exercises == {}
    assert [p.line for p in library.problems if p.is_error] == [4]
