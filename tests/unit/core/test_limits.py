"""Hard limits: a file cannot make the loader build millions of steps, nor take long to check."""

from __future__ import annotations

import datetime as dt
import random
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from player.core import limits
from player.core import loader as loader_mod
from player.core.loader import load_library, load_routine, validate_file
from player.core.schema import ROUTINE, Context
from player.core.timeline import build_timeline
from player.core.yamlsafe import parse

HEAD = """\
format: 1
title: Limits
defaults: {lead_in: 0s, rest_between_sets: 0s}
blocks:
  - name: Main
    steps:
"""


@pytest.fixture(scope="module")
def library() -> loader_mod.Library:
    return load_library()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def located(tmp_path: Path, text: str, library: loader_mod.Library) -> list[str]:
    result = load_routine(write(tmp_path, text), library, today=dt.date(2026, 11, 21))
    return [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}" for p in result.problems]


def fifty_set_steps(count: int) -> str:
    return "".join("      - {exercise: plank, hold: 1s, sets: 50}\n" for _ in range(count))


# --- timeline steps ------------------------------------------------------------------------------

def test_a_routine_of_exactly_the_step_limit_loads_and_plays_that_many(tmp_path, library):
    assert limits.MAX_TIMELINE_STEPS == 5_000
    result = load_routine(write(tmp_path, HEAD + fifty_set_steps(100)), library)
    assert result.problems == ()
    assert len(build_timeline(result.routine).steps) == 5_000


def test_one_step_over_the_limit_is_refused_at_that_step(tmp_path, library):
    text = HEAD + fifty_set_steps(100) + "      - rest: 1s\n"
    assert located(tmp_path, text, library) == [
        "107:9: error: block 'Main', step 101 (rest): this routine would play 5,001 steps, more than "
        "the 5,000 one session may have (every set, side, switch of sides and rest is a step); "
        "it passes the limit at this step. Use fewer sets, sides or steps, or split it into "
        "several routines"]


def test_a_progression_that_passes_the_limit_names_its_week(tmp_path, library):
    text = (HEAD + fifty_set_steps(99)
            + "      - {exercise: plank, hold: 1s, sets: 10, progression: {week 4: {sets: 50},"
              " week 6: {sets: 49}}}\n" + "      - rest: 1s\n")
    found = located(tmp_path, text, library)
    assert len(found) == 1, found
    assert found[0].startswith("107:9: error: block 'Main', step 101 (rest): this routine would play "
                               "5,001 steps in week 4, more than the 5,000")


def test_an_alias_bomb_of_millions_of_steps_is_refused_without_building_them(tmp_path, library):
    # How fast is bench/bench_hostile.py's figure; here, that the steps are never built.
    step = "{exercise: plank, hold: 1s, sets: 50, sides: both}"
    text = ("format: 1\ntitle: Bomb\nblocks:\n  - &b\n    name: B\n    steps: ["
            + ", ".join([f"&s {step}"] + ["*s"] * 499) + "]\n" + "  - *b\n" * 39)
    path = write(tmp_path, text)
    assert path.stat().st_size < 3_000
    tracemalloc.start()
    try:
        problems = validate_file(path, library)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024
    assert [p.line for p in problems] == [6]
    assert "would play 3,980,001 steps" in problems[0].message


# --- routine duration ----------------------------------------------------------------------------

def test_eight_hours_load_and_a_second_more_is_refused(tmp_path, library):
    assert limits.MAX_ROUTINE_SECONDS == 8 * 3600
    eight = HEAD + "      - {exercise: plank, hold: 4h}\n      - {exercise: plank, hold: 4h}\n"
    loaded = load_routine(write(tmp_path, eight), library)
    assert loaded.errors == () and loaded.routine is not None  # implausible: only warned
    found = located(tmp_path, eight + "      - rest: 1s\n", library)
    assert found == [
        "9:9: error: block 'Main', step 3 (rest): this routine would take 8:00:01, longer than the 8 "
        "hours one session may last; it passes the limit at this step. Use shorter or fewer "
        "steps, or split it into several routines"]


def test_untimed_sets_count_at_their_estimate_and_ice_at_its_cap(tmp_path, library):
    # 50 sets x 2 sides x 500 reps x 4 s, and 50 switches of 5 s; ice asked for 4 h is
    # played for 20 minutes.
    text = HEAD + "      - {exercise: plank, reps: 500, sets: 50, sides: both}\n"
    assert "would take 55:37:30" in located(tmp_path, text, library)[0]
    ice = HEAD + "".join("      - ice: 4h\n" for _ in range(24))
    assert [f for f in located(tmp_path, ice, library) if "error" in f] == []


# --- the count matches the timeline --------------------------------------------------------------

def random_step(rng: random.Random) -> str:
    kind = rng.choice(["hold", "reps", "tempo", "rest", "ice", "heat", "cadence"])
    if kind in ("rest", "ice", "heat"):
        return f"      - {{{kind}: {rng.choice(['0.5s', '10s', '25m', '40m'])}}}\n"
    if kind == "cadence":
        return "      - {cadence: 170, duration: 1m}\n"
    fields = [f"exercise: {rng.choice(['plank', 'side_plank', 'glute_bridge'])}",
              f"sets: {rng.randint(1, 6)}", f"sides: {rng.choice(['none', 'both', 'left'])}"]
    for name in ("rest_between_sets", "rest_after", "switch_time"):
        if rng.random() < 0.5:
            fields.append(f"{name}: {rng.choice(['0s', '7s'])}")
    if kind == "hold":
        fields.append(f"hold: {rng.choice(['15s', '1m'])}")
        change = "hold: 40s"
    else:
        fields.append(f"reps: {rng.randint(1, 12)}")
        if kind == "tempo":
            fields.append("tempo: {up: 1s, down: 2s}")
        change = f"reps: {rng.randint(1, 12)}"
    if rng.random() < 0.6:
        weeks = sorted(rng.sample(range(2, 9), rng.randint(1, 3)))
        entries = [f"week {w}: {{{rng.choice([change, f'sets: {rng.randint(1, 6)}'])}}}"
                   for w in weeks]
        fields.append("progression: {" + ", ".join(entries) + "}")
    return "      - {" + ", ".join(fields) + "}\n"


@pytest.mark.parametrize("seed", range(40))
def test_the_counted_size_is_the_built_timeline_in_every_week(seed, library):
    rng = random.Random(seed)
    lead_in = rng.choice(["0s", "5s"])
    text = (f"format: 1\ntitle: R\ndefaults: {{lead_in: {lead_in}, rest_after: "
            f"{rng.choice(['0s', '3s'])}}}\nblocks:\n")
    for b in range(rng.randint(1, 3)):
        text += f"  - name: B{b}\n    steps:\n" + "".join(
            random_step(rng) for _ in range(rng.randint(1, 6)))
    root, problems = parse(text)
    assert root is not None and not problems
    values = ROUTINE.check(root, "", Context([]))
    routine = loader_mod.load_routine_text(text, Path("r.yaml"), library).routine
    assert routine is not None
    sizer = loader_mod._Sizer(values)
    for week in range(1, 10):
        timeline = build_timeline(routine, week)
        steps, seconds = sizer.lead_in()
        for *_, kind, v, _ in sizer.steps():
            n, sec = sizer.at_week(kind, v, week)
            steps, seconds = steps + n, seconds + sec
        assert steps == len(timeline.steps), (week, text)
        assert seconds == pytest.approx(timeline.total_seconds), (week, text)


# --- maps, suggestions and the number of problems ------------------------------------------------

def own_exercises(count: int) -> str:
    return "exercises:\n" + "".join(f"  own_{i}: {{name: Own {i}}}\n" for i in range(count))


def test_more_own_exercises_than_the_limit_is_one_error_at_the_map(tmp_path, library):
    text = ("format: 1\ntitle: Many\n" + own_exercises(501)
            + "blocks:\n  - name: Main\n    steps:\n      - {exercise: own_7, hold: 1s}\n")
    assert located(tmp_path, text, library) == [
        "4:3: error: exercises: has 501 exercises; at most 500"]
    text = text.replace("  own_500: {name: Own 500}\n", "")
    assert located(tmp_path, text, library) == []


def test_a_progression_has_at_most_52_weeks(tmp_path, library):
    weeks = ", ".join(f"week {w}: {{hold: 2s}}" for w in range(2, 55))
    text = HEAD + f"      - {{exercise: plank, hold: 1s, progression: {{{weeks}}}}}\n"
    found = located(tmp_path, text, library)
    assert len(found) == 1 and "progression: has 53 weeks; at most 52" in found[0], found


def test_only_the_first_unknown_ids_get_a_suggestion(tmp_path, library):
    steps = "".join(f"      - {{exercise: plank_{i}, hold: 1s}}\n" for i in range(30))
    found = located(tmp_path, HEAD + steps, library)
    assert len(found) == 30
    with_hint = [f for f in found if "did you mean `plank`?" in f]
    assert len(with_hint) == limits.MAX_SUGGESTIONS == 20
    assert found[:20] == with_hint


def test_many_unknown_ids_among_many_own_exercises_are_counted_not_all_listed(tmp_path, library):
    # How fast: bench/bench_hostile.py (timing asserts do not belong in unit tests).
    text = ("format: 1\ntitle: Many\n" + own_exercises(12_000) + "blocks:\n- name: M\n  steps:\n"
            + "".join(f"  - {{exercise: u{i}, hold: 1}}\n" for i in range(20_000)))
    path = write(tmp_path, text)
    assert path.stat().st_size < limits.MAX_FILE_BYTES
    problems = validate_file(path, library)
    assert problems[0].describe() == "exercises: has 12,000 exercises; at most 500"
    assert len(problems) == limits.MAX_REPORTED_PROBLEMS + 1
    assert problems[-1].message == ("19,802 more problems are not listed (19,802 of them "
                                    "errors); fix the ones above and check the file again")


def test_problems_past_the_limit_are_counted_at_the_first_left_out(tmp_path, library):
    steps = "".join(f"      - {{exercise: plank, hold: {-i - 1}}}\n" for i in range(250))
    found = located(tmp_path, HEAD + steps, library)
    assert len(found) == 201
    assert found[-1] == ("207:33: error: 50 more problems are not listed (50 of them errors); "
                         "fix the ones above and check the file again")


def test_a_step_with_thousands_of_keys_lists_a_few(tmp_path, library):
    keys = ", ".join(f"k{i}: 1" for i in range(5000))
    found = located(tmp_path, HEAD + f"      - {{{keys}}}\n", library)
    assert len(found) == 1
    assert found[0].endswith("found keys k0, k1, k2, k3, k4 and 4,995 more")


def test_a_huge_unknown_key_is_shortened_in_the_message_and_the_path(tmp_path, library):
    key = "k" * 500_000
    text = (f'format: 1\ntitle: Key\n? "{key}"\n: 1\n'
            'blocks: [{name: Main, steps: [{rest: 1s}]}]\n')
    found = located(tmp_path, text, library)
    assert len(found) == 1
    assert len(found[0]) < 500
    assert "… (500,000 characters)` in routine" in found[0]


# --- text that shows nothing, or controls the terminal -------------------------------------------

@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", '"\\u200b\\u200b"'),
        ("title", '"\\u3164"'),
        ("title", '"\\u202e\\u2066\\u2069"'),
        ("title", '" \\u00a0\\u2060\\ufeff"'),
        ("block", '"\\u200d"'),
        ("exercise", '"\\u2800"'),
        ("cadence", '"\\u180e"'),
    ],
)
def test_titles_and_names_of_invisible_characters_are_refused_at_their_line(
        tmp_path, library, field, value):
    text = textwrap.dedent(f"""\
        format: 1
        title: {value if field == "title" else "Fine"}
        exercises:
          mine: {{name: {value if field == "exercise" else "Mine"}}}
        blocks:
          - name: {value if field == "block" else "Main"}
            steps:
              - {{exercise: mine, hold: 1s}}
              - {{cadence: 170, duration: 1m, name: {value if field == "cadence" else "Go"}}}
        """)
    found = located(tmp_path, text, library)
    line = {"title": 2, "exercise": 4, "block": 6, "cadence": 9}[field]
    assert len(found) == 1, found
    assert found[0].startswith(f"{line}:")
    assert found[0].endswith("must not be empty: it has only invisible characters (spaces, "
                             "zero-width spaces or other characters that show nothing)")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"\\e[31mRed"', "contains a control character (escape) that text cannot show"),
        ('"\\e]8;;http://x\\e\\\\Go\\e]8;;\\e\\\\"', "control character (escape)"),
        ('"To\\rtal"', "control character (carriage return)"),
        ('"Bell\\a"', "control character (bell)"),
        ('"C1\\x9b"', "control character (U+009B)"),
        ('"Two\\nlines"', "must be one line; it contains a line break"),
        ('"Two\\Llines"', "must be one line; it contains a line break"),
    ],
)
def test_control_characters_in_text_are_refused(tmp_path, library, value, message):
    found = located(tmp_path, HEAD.replace("title: Limits", f"title: {value}")
                    + "      - {exercise: plank, hold: 1s}\n", library)
    assert len(found) == 1 and found[0].startswith("2:8: error: title: "), found
    assert message in found[0]


def test_notes_may_have_line_breaks_and_tabs_but_not_carriage_returns(tmp_path, library):
    ok = HEAD + '      - {rest: 1s, note: "one\\ntwo\\tthree"}\n'
    assert located(tmp_path, ok, library) == []
    bad = HEAD + '      - {rest: 1s, note: "one\\rtwo"}\n'
    assert "control character (carriage return)" in located(tmp_path, bad, library)[0]


def test_the_format_doc_gives_every_limit_with_its_value():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "routine-format.md").read_text(
        encoding="utf-8")
    section = doc.split("\n## Limits\n", 1)[1]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in section.splitlines() if line.startswith("| ") and "---" not in line}
    assert rows["File size"] == f"1 MiB ({limits.MAX_FILE_BYTES:,} bytes)"
    assert rows["Steps in one session"] == f"{limits.MAX_TIMELINE_STEPS:,}"
    assert rows["Length of one session"] == f"{limits.MAX_ROUTINE_SECONDS // 3600} hours"
    assert rows["Digits in a whole number"] == str(limits.MAX_NUMBER_DIGITS)
    assert rows["Own exercises in one file"] == str(limits.MAX_EXERCISES)
    assert rows["Nesting"] == f"{limits.MAX_DEPTH} levels"
    assert rows["Values, with `*aliases` expanded"] == f"{limits.MAX_EXPANDED_VALUES:,}"
    assert rows['"Did you mean ...?" suggestions'] == (
        f"the first {limits.MAX_SUGGESTIONS} unknown names or ids")
    assert rows["Problems listed"] == str(limits.MAX_REPORTED_PROBLEMS)


def test_a_key_with_a_bidi_override_is_escaped_in_the_field_path(tmp_path, library):
    text = ('format: 1\ntitle: Key\n"evil\\u202e": 1\n'
            'blocks: [{name: Main, steps: [{rest: 1s}]}]\n')
    found = located(tmp_path, text, library)
    assert found == ["3:1: error: evil\\u202e: unknown field `evil\\u202e` in routine (allowed: "
                     "format, title, description, author, version, written, review_by, "
                     "language, audience, sources, notes, clinician_notes, prescriber, easier_routine, schedule, defaults, "
                     "pain_checks, "
                     "exercises, blocks)"]
