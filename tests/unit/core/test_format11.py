"""Routine format 1.1: what it adds (prescriber, clinician notes, sessions a day, plausibility
warnings), each new field checked where it is written, and 1.0 files read exactly as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from player.core import bundled
from player.core import loader as loader_mod
from player.core.loader import load_library, load_routine
from player.core.routine import Prescriber
from player.core.timeline import build_timeline

TODAY = dt.date(2026, 11, 21)

V11 = """\
format: 1.1
title: Test
prescriber: {name: A. Physio, clinic: Northside Physio, phone: "0161 555 0123"}
clinician_notes: Watch for peripheralisation.
schedule: {times_per_week: 7, sessions_per_day: 2, weeks: 2}
blocks:
  - name: Strength
    steps:
      - exercise: plank
        hold: 30s
        note: Breathe normally.
        clinician_notes: Check lumbar position at review.
      - rest: 30s
        clinician_notes: Ask about pain here.
"""


@pytest.fixture(scope="module")
def library() -> loader_mod.Library:
    return load_library()


def lines(tmp_path: Path, text: str, library: loader_mod.Library) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    return [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}" for p in result.problems]


def load(tmp_path: Path, text: str, library: loader_mod.Library):  # type: ignore[no-untyped-def]
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    assert result.errors == (), result.problems
    return result.routine


def test_format_11_fields_reach_the_model(tmp_path, library):
    routine = load(tmp_path, V11, library)
    assert routine.format == "1.1"
    assert routine.prescriber == Prescriber("A. Physio", "Northside Physio", "0161 555 0123")
    assert routine.clinician_notes == "Watch for peripheralisation."
    assert routine.schedule.sessions_per_day == 2
    plank, rest = routine.blocks[0].steps
    assert plank.note == "Breathe normally."
    assert plank.clinician_notes == "Check lumbar position at review."
    assert rest.clinician_notes == "Ask about pain here."


@pytest.mark.parametrize(("written", "version"), [("1", "1.0"), ("1.0", "1.0"), ("1.1", "1.1")])
def test_format_versions_read(tmp_path, library, written, version):
    text = f"format: {written}\ntitle: T\nblocks:\n  - name: M\n    steps:\n      - rest: 5s\n"
    assert load(tmp_path, text, library).format == version


@pytest.mark.parametrize(("written", "message"), [
    ("1.2", "1:9: error: format: this file is written in format 1.2, newer than this app reads "
            "(1.1); update the app"),
    ("2", "1:9: error: format: this file is written in format 2, newer than this app reads "
          "(1.1); update the app"),
    ('"1.1"', '1:9: error: format: must be a routine format version: 1.0, 1.1; found "1.1", '
              "which the quotes make text: write 1.1 without the quotes"),
    ("-1", "1:9: error: format: must be a routine format version: 1.0, 1.1; found -1"),
    ("yes", "1:9: error: format: must be a routine format version: 1.0, 1.1; found yes "
            "(a yes/no value)"),
])
def test_unknown_format_versions_are_refused_at_the_field(tmp_path, library, written, message):
    text = f"format: {written}\ntitle: T\nblocks:\n  - name: M\n    steps:\n      - rest: 5s\n"
    assert lines(tmp_path, text, library) == [message]


def test_newer_fields_in_a_10_file_are_errors_at_each_field(tmp_path, library):
    found = lines(tmp_path, V11.replace("format: 1.1", "format: 1"), library)
    fix = "but this file says `format: 1`; write `format: 1.1` at the top of the file to use it"
    assert found == [
        f"3:1: error: prescriber: `prescriber` is new in format 1.1, {fix}",
        f"4:1: error: clinician_notes: `clinician_notes` is new in format 1.1, {fix}",
        f"5:31: error: schedule.sessions_per_day: `sessions_per_day` is new in format 1.1, {fix}",
        f"12:9: error: block 'Strength', step 1 (Plank), clinician_notes: `clinician_notes` is "
        f"new in format 1.1, {fix}",
        f"14:9: error: block 'Strength', step 2 (rest), clinician_notes: `clinician_notes` is "
        f"new in format 1.1, {fix}",
    ]


@pytest.mark.parametrize(("change", "message"), [
    ("prescriber: {name: A. Physio, phone: 01615550123}",
     "3:38: error: prescriber.phone: must be text; found 01615550123; to mean it as text, put "
     'it in quotes: "01615550123"'),
    ('prescriber: {name: A. Physio, phone: "call me"}',
     "3:38: error: prescriber.phone: must be a phone number of digits, spaces and + ( ) - . / "
     '(an extension as `ext 12`); found "call me"'),
    ("prescriber: {name: A. Physio, clinc: Northside}",
     "3:31: error: prescriber.clinc: unknown field `clinc` in prescriber (did you mean "
     "`clinic`?) (allowed: name, clinic, phone)"),
    ("prescriber: {clinic: Northside}",
     "3:13: error: prescriber: prescriber is missing the required field `name` (Who prescribed "
     "it, as the patient knows them (e.g. A. Physio, MCSP).)"),
    ("prescriber: {name: " + "A" * 121 + "}",
     "3:20: error: prescriber.name: is 121 characters long; at most 120"),
    ("prescriber: A. Physio",
     "3:13: error: prescriber: must be a mapping of prescriber fields (`key: value` lines); "
     "found A. Physio"),
])
def test_prescriber_mistakes_are_located(tmp_path, library, change, message):
    text = V11.replace(V11.splitlines()[2], change)
    assert lines(tmp_path, text, library) == [message]


@pytest.mark.parametrize(("change", "message"), [
    ("sessions_per_day: 0", "5:49: error: schedule.sessions_per_day: must be from 1 to 12 "
                            "sessions a day; found 0"),
    ("sessions_per_day: 13", "5:49: error: schedule.sessions_per_day: must be from 1 to 12 "
                             "sessions a day; found 13"),
    ("sessions_per_day: twice", "5:49: error: schedule.sessions_per_day: must be a whole number "
                                "from 1 to 12; found twice"),
    ("session_per_day: 2", "5:31: error: schedule.session_per_day: unknown field "
                           "`session_per_day` in schedule (did you mean `sessions_per_day`?) "
                           "(allowed: times_per_week, weekdays, weeks, sessions_per_day)"),
])
def test_sessions_per_day_mistakes_are_located(tmp_path, library, change, message):
    text = V11.replace("sessions_per_day: 2", change)
    assert lines(tmp_path, text, library) == [message]


def test_clinician_notes_limits(tmp_path, library):
    text = V11.replace("clinician_notes: Ask about pain here.", "clinician_notes: " + "x" * 1001)
    assert lines(tmp_path, text, library) == [
        "14:26: error: block 'Strength', step 2 (rest), clinician_notes: is 1,001 characters "
        "long; at most 1000"]


def _strip_format(routine):  # type: ignore[no-untyped-def]
    return dataclasses.replace(routine, format="", path=None)


#: The bundled routines that need format 1.1 only for their clinician notes (the cadence drill
#: also sets its beats above the runner's own cadence, which 1.0 cannot say).
NOTES_ONLY_ROUTINES = [p for p in bundled.bundled_routines() if p.name != "cadence-drill.yaml"]


def _as_format_1(text: str) -> str:
    """The routine without its clinician notes, as format 1."""
    text = re.sub(r"^clinician_notes: >-\n(?:  .*\n)+", "", text, count=1, flags=re.M)
    return text.replace("\nformat: 1.1\n", "\nformat: 1\n", 1)


def test_every_bundled_routine_keeps_its_clinician_notes_to_the_clinician():
    for path in bundled.bundled_routines():
        text = path.read_text(encoding="utf-8")
        assert "\nformat: 1.1\n" in text and "\nclinician_notes: >-\n" in text, path.name


@pytest.mark.parametrize("path", NOTES_ONLY_ROUTINES, ids=lambda p: p.name)
def test_bundled_routines_mean_the_same_in_10_and_11(tmp_path, library, path):
    new = load_routine(path, library, today=TODAY)
    assert new.errors == () and new.routine is not None and new.routine.format == "1.1"
    assert new.routine.prescriber is None and new.routine.clinician_notes
    assert new.routine.schedule.sessions_per_day == 1
    copy = tmp_path / path.name
    copy.write_text(_as_format_1(path.read_text(encoding="utf-8")), encoding="utf-8")
    old = load_routine(copy, library, today=TODAY)
    assert old.errors == () and old.routine is not None and old.routine.format == "1.0"
    assert old.routine.clinician_notes == ""
    weeks = old.routine.schedule.weeks or 1
    for week in range(1, weeks + 1):
        assert build_timeline(new.routine, week) == build_timeline(old.routine, week)


# --- shown to the clinician: timeline, report -------------------------------------------------

def test_timeline_shows_prescriber_schedule_and_clinician_notes(tmp_path, library):
    import io

    from player.cli import cmd_timeline

    path = tmp_path / "r.yaml"
    path.write_text(V11, encoding="utf-8")
    out = io.StringIO()
    assert cmd_timeline(str(path), False, out=out, library=library) == 0
    text = out.getvalue().splitlines()
    assert text[:4] == ["Test", "Prescribed by A. Physio, Northside Physio, 0161 555 0123",
                        "Schedule: 2 times a day, every day for 2 weeks",
                        "Clinician notes: Watch for peripheralisation."]
    plank = next(i for i, line in enumerate(text) if "Plank" in line)
    assert text[plank + 1].strip() == "clinician notes: Check lumbar position at review."
    rest = next(i for i, line in enumerate(text) if line.endswith("Rest"))
    assert text[rest + 1].strip() == "clinician notes: Ask about pain here."
    assert sum("clinician notes:" in line for line in text) == 2


def test_timeline_json_carries_the_format_11_fields(tmp_path, library):
    import io
    import json

    from player.cli import cmd_timeline

    path = tmp_path / "r.yaml"
    path.write_text(V11, encoding="utf-8")
    out = io.StringIO()
    assert cmd_timeline(str(path), True, out=out, library=library) == 0
    doc = json.loads(out.getvalue())
    assert doc["prescriber"] == {"name": "A. Physio", "clinic": "Northside Physio",
                                 "phone": "0161 555 0123"}
    assert doc["sessions_per_day"] == 2
    assert doc["clinician_notes"] == "Watch for peripheralisation."
    assert [s["clinician_notes"] for s in doc["steps"] if s["clinician_notes"]] == [
        "Check lumbar position at review.", "Ask about pain here."]


def test_the_report_shows_prescriber_and_clinician_notes(tmp_path, library):
    from player.core.history import HistoryData
    from player.core.report import build_report, format_report

    routine = load(tmp_path, V11, library)
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    report = build_report(HistoryData(), routine, now)
    text = format_report(report)
    assert "Prescribed by A. Physio, Northside Physio, 0161 555 0123" in text
    assert "  Watch for peripheralisation." in text
    assert "  Strength, Plank: Check lumbar position at review." in text
    assert "  Strength, Rest: Ask about pain here." in text
    assert report.to_json()["routine"]["prescriber"]["phone"] == "0161 555 0123"


@pytest.mark.parametrize(("schedule", "text"), [
    ("{times_per_week: 7, sessions_per_day: 2, weeks: 6}", "2 times a day, every day for 6 weeks"),
    ("{times_per_week: 5, sessions_per_day: 3}", "3 times a day, 5 days a week"),
    ("{weekdays: [mon, thu], sessions_per_day: 2}", "2 times a day on Mon, Thu"),
    ("{times_per_week: 3, weeks: 4}", "3 times a week for 4 weeks"),
    ("{times_per_week: 3, sessions_per_day: 1}", "3 times a week"),
])
def test_schedule_text_says_times_a_day(tmp_path, library, schedule, text):
    from player.core.timeline import schedule_text

    routine = load(tmp_path, V11.replace(V11.splitlines()[4], f"schedule: {schedule}"), library)
    assert schedule_text(routine.schedule) == text


# --- adherence with sessions a day ------------------------------------------------------------

def _session(n: int, day: dt.date, hour: int):  # type: ignore[no-untyped-def]
    from player.core.history import Session

    started = dt.datetime.combine(day, dt.time(hour), dt.UTC)
    return Session(n, "Twice a day", "1", "h", started, None, "completed")  # type: ignore[arg-type]


def test_adherence_counts_sessions_per_day_against_the_prescription():
    from player.core.progress import Schedule, adherence

    monday = dt.date(2024, 3, 4)
    schedule = Schedule(start=monday, weeks=2, times_per_week=7, sessions_per_day=2)
    assert schedule.per_week == 14
    sessions = [_session(i, monday + dt.timedelta(days=d), h) for i, (d, h) in enumerate([
        (0, 8), (0, 18), (0, 21),  # Monday: 3 done, only 2 count
        (1, 8),  # Tuesday: 1 of 2
        *((d, h) for d in range(2, 7) for h in (8, 18)),  # Wednesday to Sunday: 2 each
    ])]
    result = adherence(sessions, schedule, today=monday + dt.timedelta(days=8))
    first = result.weeks[0]
    assert (first.prescribed, first.done, first.started, first.met) == (14, 13, 14, False)
    assert result.percent == round(100 * 13 / 14, 1)
    assert result.to_json()["schedule"]["sessions_per_day"] == 2


def test_one_session_a_day_counts_by_week_as_before():
    from player.core.progress import Schedule, adherence

    monday = dt.date(2024, 3, 4)
    schedule = Schedule(start=monday, weeks=1, times_per_week=3)
    sessions = [_session(i, monday, h) for i, h in enumerate((8, 12, 18))]  # 3 on one day
    assert adherence(sessions, schedule, today=monday + dt.timedelta(days=8)).weeks[0].done == 3


def test_sessions_per_day_outside_1_to_12_is_refused_by_the_progress_schedule():
    from player.core.progress import Schedule

    with pytest.raises(ValueError, match="sessions_per_day must be 1-12"):
        Schedule(start=dt.date(2024, 3, 4), weeks=1, times_per_week=7, sessions_per_day=13)


def test_the_report_describes_twice_a_day(tmp_path, library):
    from player.core.history import HistoryData
    from player.core.report import build_report, format_report

    routine = load(tmp_path, V11, library)
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    text = format_report(build_report(HistoryData(), routine, now))
    assert "Prescribed: 2 times a day, every day for 2 weeks" in text
    assert "14 times a week" not in text


# --- plausibility warnings --------------------------------------------------------------------

DOSES = """\
format: 1
title: Test
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 10m
        progression: {week 2: {hold: 4m}}
      - exercise: side_plank
        hold: 3m30s
      - exercise: hamstring_stretch
        hold: 3m
        sides: both
      - exercise: glute_bridge
        reps: 300
        tempo: {up: 3s, down: 4s}
      - exercise: easy_walk
        hold: 40m
      - rest: 20m
"""


def test_implausible_doses_are_warnings_at_their_values(tmp_path, library):
    from player.core import plausible

    found = lines(tmp_path, DOSES, library)
    plank = ("longer than 3 minutes: more than planks and side planks are held in practice "
             "(healthy adults hold them about 1.5-2.5 minutes: McGill 1999); check the time")
    assert found == [
        f"7:15: warning: block 'Main', step 1 (Plank), hold: held for 10m, {plank} (did you "
        "mean 10s?)",
        f"8:38: warning: block 'Main', step 1 (Plank), progression, week 2, hold: held for 4m, "
        f"{plank} (did you mean 4s?)",
        f"10:15: warning: block 'Main', step 2 (Side plank), hold: held for 3m30s, {plank}",
        "12:15: warning: block 'Main', step 3 (Hamstring stretch), hold: held for 3m, longer "
        "than 2 minutes: twice the longest stretch hold advised (ACSM: 10-30 s, up to 60 s); "
        "check the time (did you mean 3s?)",
        "15:15: warning: block 'Main', step 4 (Glute bridge), reps: one set lasts 35:00, longer "
        "than 30 minutes, which is more than a home exercise set; check the time",
        "17:9: warning: block 'Main', step 5 (Easy walk): the session lasts 1:54:40, longer "
        "than 90 minutes, which is more than a home programme usually takes; it passes 90 "
        "minutes at this step. Check the times, or split it into several routines",
        "18:15: warning: block 'Main', step 5 (Easy walk), hold: one set lasts 40m, longer than "
        "30 minutes, which is more than a home exercise set; check the time (did you mean 40s?)",
    ]
    assert plausible.PLANK_HOLD_MAX_SECONDS == 180 and plausible.STRETCH_HOLD_MAX_SECONDS == 120
    # Warnings only: the routine still loads and plays.
    path = tmp_path / "r.yaml"
    assert load_routine(path, library, today=TODAY).routine is not None


def test_doses_at_the_limits_are_not_warned(tmp_path, library):
    text = (DOSES.replace("hold: 10m", "hold: 3m").replace("hold: 4m", "hold: 2m")
            .replace("hold: 3m30s", "hold: 3m").replace("hold: 3m\n        sides", "hold: 2m\n"
                                                        "        sides")
            .replace("reps: 300", "reps: 257").replace("hold: 40m", "hold: 30m")
            .replace("rest: 20m", "rest: 5m"))
    assert lines(tmp_path, text, library) == []


def test_the_longest_week_decides_the_session_warning(tmp_path, library):
    text = """\
format: 1
title: Test
schedule: {times_per_week: 3, weeks: 6}
blocks:
  - name: Main
    steps:
      - exercise: easy_walk
        hold: 25m
        sets: 3
        rest_between_sets: 0s
        progression: {week 4: {sets: 4}}
"""
    assert lines(tmp_path, text, library) == [
        "7:9: warning: block 'Main', step 1 (Easy walk): the session lasts 1:40:05 in week 4, "
        "longer than 90 minutes, which is more than a home programme usually takes; it passes "
        "90 minutes at this step. Check the times, or split it into several routines"]


@pytest.mark.parametrize("path", bundled.bundled_routines(), ids=lambda p: p.name)
def test_bundled_routines_are_plausible(library, path):
    assert load_routine(path, library, today=TODAY).warnings == ()


# --- the docs' "How do I prescribe ..." examples ----------------------------------------------

DOC = Path(__file__).resolve().parents[3] / "docs" / "routine-format.md"


def _doc_example(marker: str) -> str:
    import re

    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)} -->\s*```yaml\n(.*?)^```", text, re.S | re.M)
    assert match, marker
    return match.group(1)


@pytest.mark.parametrize("marker", ["how-twice-a-day", "how-prescriber", "how-clinician-notes",
                                    "how-alternating",
                                    "how-reps-with-a-hold", "how-stop-if", "how-progression",
                                    "how-ranges", "how-load-breathing", "how-own-cadence",
                                    "minimal-example"])
def test_how_do_i_examples_validate_without_a_problem(tmp_path, library, marker):
    path = tmp_path / "r.yaml"
    path.write_text(_doc_example(marker), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    assert result.problems == () and result.routine is not None
    assert result.routine.format == "1.1"


def test_the_twice_a_day_example_says_twice_a_day(tmp_path, library):
    from player.core.timeline import prescriber_text, schedule_text

    twice = load(tmp_path, _doc_example("how-twice-a-day"), library)
    assert schedule_text(twice.schedule) == "2 times a day, every day for 2 weeks"
    who = load(tmp_path, _doc_example("how-prescriber"), library)
    assert prescriber_text(who.prescriber) == ("Prescribed by J. Example, physiotherapist, "
                                               "Northside Physiotherapy, +44 161 555 0123 ext 4")
    notes = load(tmp_path, _doc_example("how-clinician-notes"), library)
    assert notes.clinician_notes and notes.blocks[0].steps[0].clinician_notes


def test_the_docs_timeline_of_the_full_example_is_what_timeline_prints(tmp_path, library):
    import io

    from player.cli import cmd_timeline

    path = tmp_path / "full.yaml"
    path.write_text(_doc_example("full-example"), encoding="utf-8")
    out = io.StringIO()
    assert cmd_timeline(str(path), False, out=out, library=library) == 0
    assert "```text\n" + out.getvalue() + "```" in DOC.read_text(encoding="utf-8")


def test_the_newer_field_message_quotes_the_format_as_written(tmp_path, library):
    found = lines(tmp_path, V11.replace("format: 1.1", "format: 1.0"), library)
    assert len(found) == 5 and all("this file says `format: 1.0`;" in line for line in found)


# --- reps with a hold each ("10 x 10 s") ------------------------------------------------------

HELD_REPS = _doc_example("how-reps-with-a-hold")


def test_reps_with_a_hold_each_play_as_timed_reps_of_that_hold(tmp_path, library):
    from player.core.timeline import describe_step

    routine = load(tmp_path, HELD_REPS, library)
    step = routine.blocks[0].steps[0]
    assert step.hold is None and step.reps == 10 and step.tempo is not None
    assert step.tempo.phases() == (("hold", 10.0),)
    week1 = [s for s in build_timeline(routine, 1).steps if s.kind.value == "exercise"]
    assert [(s.duration_seconds, s.reps) for s in week1] == [(100.0, 10)]
    assert describe_step(week1[0]) == "10 reps, each held 10 s"
    week3 = [s for s in build_timeline(routine, 3).steps if s.kind.value == "exercise"]
    assert week3[0].duration_seconds == 150.0 and week3[0].tempo.hold == 15.0


def test_the_engine_cues_each_held_rep(tmp_path, library):
    from player.core.engine import TempoPhase, step_schedule

    routine = load(tmp_path, HELD_REPS, library)
    step = next(s for s in build_timeline(routine).steps if s.kind.value == "exercise")
    phases = [e for e in step_schedule(step) if isinstance(e, TempoPhase)]
    assert [(e.rep, e.phase, e.at) for e in phases] == [(n, "hold", 10.0 * (n - 1))
                                                        for n in range(1, 11)]


@pytest.mark.parametrize(("text", "message"), [
    (HELD_REPS.replace("format: 1.1", "format: 1"),
     "10:9: error: block 'Stretch', step 1 (Knee to chest), hold: `reps` with `hold` (each "
     "repetition held for that time, e.g. 10 x 10s) is new in format 1.1, but this file says "
     "`format: 1`; write `format: 1.1` at the top of the file, or give either `hold` or `reps`"),
    (HELD_REPS.replace("        hold: 10s ", "        tempo: {up: 2s}\n        hold: 10s "),
     "11:9: error: block 'Stretch', step 1 (Knee to chest), hold: with `tempo`, write the hold "
     "of each repetition in the tempo (`tempo: {hold: 10s}`), not as `hold`"),
])
def test_reps_with_a_hold_mistakes_are_at_the_hold(tmp_path, library, text, message):
    found = lines(tmp_path, text, library)
    assert message in found, found


# --- alternating sides ------------------------------------------------------------------------

ALTERNATING = _doc_example("how-alternating")


def test_alternating_sides_play_both_sides_reps_in_one_set_taking_turns(tmp_path, library):
    from player.core.engine import TempoPhase, step_schedule
    from player.core.timeline import describe_step, rep_side

    routine = load(tmp_path, ALTERNATING, library)
    sets = [s for s in build_timeline(routine).steps if s.kind.value == "exercise"]
    assert [(s.set, s.side, s.reps, s.duration_seconds) for s in sets] == [
        (1, "alternating", 10, 40.0), (2, "alternating", 10, 40.0)]
    assert not any(s.kind.value == "switch_sides" for s in build_timeline(routine).steps)
    assert describe_step(sets[0]) == "set 1/2, left and right in turn, 10 reps"
    assert [rep_side(sets[0], n) for n in range(1, 5)] == ["left", "right", "left", "right"]
    ups = [e for e in step_schedule(sets[0]) if isinstance(e, TempoPhase) and e.phase == "up"]
    assert [(e.rep, e.side, e.at) for e in ups[:3]] == [
        (1, "left", 0.0), (2, "right", 4.0), (3, "left", 8.0)]
    assert len(ups) == 10


def test_alternating_sides_are_counted_in_the_size_checks(tmp_path, library):
    text = ALTERNATING.replace("reps: 5  ", "reps: 300").replace("sets: 2", "sets: 2\n"
                                                                "        rest_between_sets: 0s")
    found = lines(tmp_path, text, library)
    # 2 sets x 600 reps x 4 s = 80 minutes: a set of 40 minutes is warned at its reps
    assert any("reps: one set lasts 40:00, longer than 30 minutes" in line for line in found)


@pytest.mark.parametrize(("change", "message"), [
    ("format: 1", "8:16: error: block 'Strength', step 1 (Dead bug), sides: `alternating` sides "
                  "are new in format 1.1, but this file says `format: 1`; write `format: 1.1` "
                  "at the top of the file, or use `both`"),
    ("hold", "8:16: error: block 'Strength', step 1 (Dead bug), sides: `alternating` sides take "
             "turns by repetition, so the step needs `reps` (per side); for a hold on each side, "
             "write `sides: both`"),
    ("typo", "8:16: error: block 'Strength', step 1 (Dead bug), sides: must be one of: none, "
             "both, left, right, alternating; found alternate (did you mean `alternating`?)"),
])
def test_alternating_mistakes_are_at_the_sides(tmp_path, library, change, message):
    text = {"format: 1": ALTERNATING.replace("format: 1.1", "format: 1"),
            "hold": ALTERNATING.replace("        reps: 5                  # per side: 10 in each "
                                        "set\n", "        hold: 5s\n")
            .replace("        tempo: {up: 2s, down: 2s}\n", ""),
            "typo": ALTERNATING.replace("sides: alternating", "sides: alternate")}[change]
    assert lines(tmp_path, text, library) == [message]
