"""Loading and validating routine files: every problem, with its place, and nothing unsafe."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
import tracemalloc
from pathlib import Path

import pytest
import yaml

from player.core import loader as loader_mod
from player.core import yamlsafe
from player.core.clinical import DEFAULT_THRESHOLDS
from player.core.loader import load_library, load_routine, load_routine_bytes
from player.core.routine import Sides
from tests.pictures import png

MINIMAL = """\
format: 1
title: Test
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 30s
"""


@pytest.fixture(scope="module")
def library() -> loader_mod.Library:
    return load_library()


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, library: loader_mod.Library) -> list[str]:
    result = load_routine(write(tmp_path, text), library, today=dt.date(2026, 11, 21))
    return [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}" for p in result.problems]


def only(found: list[str]) -> str:
    assert len(found) == 1, found
    return found[0]


def test_minimal_routine_loads(tmp_path, library):
    result = load_routine(write(tmp_path, MINIMAL), library)
    assert result.problems == ()
    step = result.routine.blocks[0].steps[0]
    assert step.exercise.id == "plank" and step.hold == 30.0
    assert step.exercise.illustration is not None and step.exercise.illustration.name == "plank.svg"


def test_every_problem_is_reported_with_its_place(tmp_path, library):
    found = problems(tmp_path, """\
        format: 1
        titel: Core
        blocks:
          - name: Strength
            steps:
              - exercise: glute_brige
                sets: 0
                reps: 10
              - excercise: plank
              - rest: abc
              - exercise: plank
                hold: 30s
                sides: bth
        """, library)
    assert found == [
        "1:1: error: routine is missing the required field `title` (Title shown in the library.)",
        "2:1: error: titel: unknown field `titel` in routine (did you mean `title`?) (allowed: "
        "format, title, description, author, version, written, review_by, language, audience, "
        "sources, notes, clinician_notes, prescriber, easier_routine, schedule, defaults, pain_checks, exercises, "
        "blocks)",
        "6:19: error: block 'Strength', step 1 (glute_brige), exercise: no exercise with id "
        "`glute_brige` in this "
        "file's `exercises` or the bundled library (did you mean `glute_bridge`?)",
        "7:15: error: block 'Strength', step 1 (glute_brige), sets: must be from 1 to 50; "
        "found 0",
        "9:9: error: block 'Strength', step 2: a step needs one of: exercise, rest, ice, heat, cadence; "
        "found keys excercise (did you mean `exercise`?)",
        "10:15: error: block 'Strength', step 3 (rest), rest: must be a duration like 45s, 2m, "
        "1m30s, 30 seconds or 90 (seconds); write it like 30s, 2m or 1m30s; found abc",
        "13:16: error: block 'Strength', step 4 (Plank), sides: must be one of: none, both, "
        "left, right, alternating; found bth (did you mean `both`?)",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5s", "hold: must not be negative; write how long, such as 30s; found -5s"),
        ("0", "hold: must be longer than zero (write at least 1s); found 0"),
        (".inf", "hold: must be a finite duration; write how long, such as 30s; found .inf"),
        (".nan", "hold: must be a finite duration; write how long, such as 30s; found .nan"),
        ("5h", "hold: is longer than 4 hours, which no step needs; check for a typo; found 5h"),
        ("[1]", "hold: must be a duration like 45s, 2m, 1m30s, 30 seconds or 90 (seconds); "
                "found a list"),
        ("yes", "hold: must be a duration like 45s, 2m, 1m30s, 30 seconds or 90 (seconds); "
                "found yes (a yes/no value)"),
    ],
)
def test_bad_durations(tmp_path, library, value, message):
    found = only(problems(tmp_path, MINIMAL.replace("hold: 30s", f"hold: {value}"), library))
    assert found.startswith("7:15: error: block 'Main', step 1 (Plank), ")
    assert message in found


@pytest.mark.parametrize(("text", "seconds"), [("45s", 45), ("2m", 120), ("1m30s", 90),
                                               ("90", 90), ("1.5m", 90), ("1h", 3600)])
def test_durations_as_people_write_them(tmp_path, library, text, seconds):
    result = load_routine(write(tmp_path, MINIMAL.replace("30s", text)), library)
    assert result.routine.blocks[0].steps[0].hold == seconds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: error: the file is empty"),
        ("# only a comment\n", "1:1: error: the file is empty"),
        ("- a\n- b\n", "1:1: error: the top level must be a mapping"),
        ("just words\n", "1:1: error: the top level must be a mapping"),
        ("a: 1\na: 2\n", "2:1: error: duplicate key `a` (first defined on line 1)"),
        ("---\na: 1\n---\nb: 2\n", "3:1: error: more than one YAML document"),
        ("a:\n\tb: 1\n", "2:1: error: tab character used for indentation"),
        ("a: b: c\n", "1:5: error: YAML syntax error: mapping values are not allowed"),
        ("a: [1, 2\n", "error: YAML syntax error"),
        ("a: !!python/object/apply:os.system ['echo hi']\n",
         "1:4: error: the tag !!python/object/apply:os.system is not allowed"),
        ("a: !!binary aGk=\n", "1:4: error: the tag !!binary is not allowed"),
        ("a: !custom x\n", "1:4: error: the tag !custom is not allowed"),
        ("a: *nope\n", "1:4: error: alias *nope refers to an anchor that is not defined"),
        ("format: 2\n", "1:9: error: format: this file is written in format 2, newer than"),
        ("? [a, b]\n: 1\n", "1:3: error: a mapping key must be a plain word"),
        ("a: \x07\n", "error: character not allowed in YAML"),
    ],
)
def test_file_level_errors_have_a_place(tmp_path, library, text, expected):
    found = problems(tmp_path, text, library)
    assert any(expected in f for f in found), found


def test_python_tags_never_construct_anything(tmp_path, library):
    marker = tmp_path / "pwned"
    text = f"format: 1\ntitle: !!python/object/apply:os.system ['touch {marker}']\nblocks: []\n"
    result = load_routine(write(tmp_path, text), library)
    assert result.routine is None and "not allowed" in result.errors[0].message
    assert not marker.exists()


def test_alias_bomb_is_refused_with_bounded_memory(tmp_path, library):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    tracemalloc.start()
    try:
        result = load_routine(path, library)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.routine is None
    assert "alias bomb" in result.errors[0].message
    assert peak < 20 * 1024 * 1024


def test_recursive_alias_is_an_error(tmp_path, library):
    found = problems(tmp_path, "a: &a [*a]\n", library)
    assert any("not defined before it (or to itself)" in f for f in found), found


DEEP_SHAPES = {
    "flow sequences": lambda d: "a: " + "[" * d + "]" * d + "\n",
    "flow mappings": lambda d: "a: " + "{a: " * d + "}" * d + "\n",
    "flow over many lines": lambda d: "a:\n" + "  [\n" * d + "  ]\n" * d,
    "unclosed flow": lambda d: "- " + "[" * d + "\n",
    "after plain text": lambda d: "t: words, with: colons and 'quotes' #\n" * 50 + "a: "
                                  + "[" * d + "]" * d + "\n",
}


@pytest.fixture(params=["libyaml", "pure Python"])
def either_parser(request, monkeypatch):
    """Run with PyYAML's libyaml-based parser and with its pure-Python one."""
    if request.param == "pure Python":
        monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("this PyYAML was built without libyaml")
    return request.param


@pytest.mark.parametrize("shape", DEEP_SHAPES)
@pytest.mark.parametrize("depth", [65, 100, 10_000, 100_000])
def test_deep_nesting_is_our_located_error_not_a_crash(tmp_path, library, either_parser, shape,
                                                      depth):
    text = DEEP_SHAPES[shape](depth)
    if len(text) > yamlsafe.MAX_FILE_BYTES:
        text = text[: yamlsafe.MAX_FILE_BYTES - 1] + "\n"
    tracemalloc.start()
    try:
        found = problems(tmp_path, text, library)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Exactly our error, at the first bracket past the limit, whatever PyYAML would have said.
    assert len(found) == 1, found
    assert found[0].endswith("error: nested more than 64 levels deep"), found
    line, col = (int(x) for x in found[0].split(":")[:2])
    lines = text.splitlines()
    opened = sum(lines[i].count("[") + lines[i].count("{") for i in range(line - 1))
    opened += (lines[line - 1][:col].count("[") + lines[line - 1][:col].count("{"))
    assert opened == 65
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize("depth", [65, 1_000])
def test_deep_block_nesting_is_our_located_error(tmp_path, library, either_parser, depth):
    text = "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "b: 1\n"
    found = problems(tmp_path, text, library)
    assert found == ["65:129: error: nested more than 64 levels deep"]


@pytest.mark.parametrize(
    "text",
    [
        "a: '" + "[" * 100 + "'\n",
        'a: "\\"' + "[" * 100 + '"\n',
        "a: it's " + "[" * 100 + "\n",
        "a: 1  # " + "[" * 100 + "\n",
        "a: |\n  " + "[" * 100 + "\n  more\nb: 1\n",
        "a: >-\n  " + "{" * 100 + "\n\n  more\n",
        "a: [" + "'[', " * 100 + "]\n",
        "a: [" + '"{ \\" [", ' * 100 + "]\n",
        "a: [x, y]  # " + "[" * 100 + "\n",
    ],
    ids=["single quotes", "double quotes", "plain text", "comment", "literal block", "folded",
         "quoted in flow", "escaped quotes in flow", "comment after flow"],
)
def test_brackets_in_text_are_not_nesting(text):
    assert yamlsafe.flow_nesting_problem(text) is None
    root, found = yamlsafe.parse(text)
    assert root is not None and not [p for p in found if p.is_error], found


def test_large_file_is_refused_before_parsing(tmp_path, library, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (yamlsafe.MAX_FILE_BYTES + 10) + b"\n")

    def no_parse(text: str) -> None:
        raise AssertionError("parsed a file over the size limit")

    monkeypatch.setattr(loader_mod, "parse", no_parse)
    result = load_routine(path, library)
    assert result.routine is None
    assert "limited to 1,048,576 bytes (1 MiB)" in result.errors[0].message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"format: 1\ntitle: caf\xe9\n", "2:11: error: file is not valid UTF-8 (bytes e9 0a)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "3:1: error: this is a binary file"),
        (b"\xff\xfef\x00o\x00", "1:1: error: file is encoded as UTF-16"),
    ],
)
def test_bad_encodings(tmp_path, library, data, expected):
    result = load_routine_bytes(data, tmp_path / "r.yaml", library)
    found = [f"{p.line}:{p.col}: error: {p.message}" for p in result.problems]
    assert result.routine is None and expected in found[0], found


def test_utf8_bom_is_accepted(tmp_path, library):
    result = load_routine_bytes(b"\xef\xbb\xbf" + MINIMAL.encode(), tmp_path / "r.yaml", library)
    assert result.routine is not None


# --- media paths -------------------------------------------------------------------------------

def routine_with_media(value: str) -> str:
    return f"""\
        format: 1
        title: Media
        exercises:
          mine:
            name: My exercise
            illustration: {value}
        blocks:
          - name: Main
            steps:
              - exercise: mine
                hold: 10s
        """


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("../secret.svg", "must not leave the routine's folder (`..` is not allowed)"),
        ("pics/../../secret.svg", "must not leave the routine's folder"),
        ("/etc/passwd.svg", "must be relative to the routine file (absolute paths are not read)"),
        ("C:/Windows/x.png", "must be relative to the routine file"),
        ("~/x.png", "must be relative to the routine file"),
        ("notes.txt", "must be a image file ending in .svg, .png, .jpg, .jpeg"),
    ],
)
def test_media_paths_that_leave_are_errors(tmp_path, library, value, expected):
    found = only(problems(tmp_path, routine_with_media(value), library))
    assert found.startswith("6:19: error: exercise `mine`, illustration: ")
    assert expected.replace("a image", "an image") in found.replace("a image", "an image")


def test_symlink_pointing_out_is_an_error(tmp_path, library):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.svg").write_text("<svg/>")
    routine_dir = tmp_path / "routine"
    routine_dir.mkdir()
    os.symlink(outside / "secret.svg", routine_dir / "pic.svg")
    found = only(problems(routine_dir, routine_with_media("pic.svg"), library))
    assert "is a link that points outside the routine's folder" in found


def test_media_next_to_routine_and_bundled_media_resolve(tmp_path, library):
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "mine.png").write_bytes(png())
    result = load_routine(write(tmp_path, routine_with_media("pics/mine.png")), library)
    assert result.problems == ()
    assert result.routine.blocks[0].steps[0].exercise.illustration == (
        tmp_path / "pics" / "mine.png").resolve()
    result = load_routine(write(tmp_path, routine_with_media("illustrations/plank.svg")), library)
    assert result.routine.blocks[0].steps[0].exercise.illustration.name == "plank.svg"


def test_missing_media_is_a_warning(tmp_path, library):
    result = load_routine(write(tmp_path, routine_with_media("gone.png")), library)
    assert result.routine is not None
    assert [p.severity.value for p in result.problems] == ["warning"]
    assert "placeholder" in result.problems[0].message
    assert result.routine.blocks[0].steps[0].exercise.illustration is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_a_pipe_or_folder_named_as_media_is_a_warning_and_never_opened(tmp_path, library, kind):
    target = tmp_path / "pic.png"
    if kind == "pipe":
        os.mkfifo(target)  # opening it to read would wait for a writer for ever
    else:
        target.mkdir()
    result = load_routine(write(tmp_path, routine_with_media("pic.png")), library)
    assert result.routine is not None
    assert result.routine.blocks[0].steps[0].exercise.illustration is None
    assert [(p.line, p.severity.value, p.message) for p in result.problems] == [
        (6, "warning", "media file `pic.png` is not an ordinary file (a folder, a pipe or a "
                       "device), so it is not read; a placeholder is shown instead")]


# --- semantics ---------------------------------------------------------------------------------

def test_hold_and_reps_rules(tmp_path, library):
    base = MINIMAL.replace("        hold: 30s\n", "")
    assert "needs either `hold`" in only(problems(tmp_path, base, library))
    both = MINIMAL + "        reps: 10\n"
    assert "`reps` with `hold` (each repetition held for that time, e.g. 10 x 10s) is new in " \
        "format 1.1" in only(problems(tmp_path, both, library))
    tempo_hold = MINIMAL + "        tempo: {up: 2s}\n"
    assert "`tempo` times each repetition" in only(problems(tmp_path, tempo_hold, library))


def test_thresholds_can_only_be_stricter(tmp_path, library):
    text = MINIMAL + "pain_checks:\n  thresholds:\n    severe_level: 8\n    worsening_points: 1\n"
    found = only(problems(tmp_path, text, library))
    assert found.startswith("10:19: error: pain_checks.thresholds.severe_level: must be from 1 to 7")
    assert "only make it stricter" in found
    ok = MINIMAL + "pain_checks:\n  thresholds:\n    severe_level: 6\n"
    result = load_routine(write(tmp_path, ok), library)
    assert result.routine.pain_checks.thresholds.severe_level == 6
    assert result.routine.pain_checks.thresholds.worsening_points == (
        DEFAULT_THRESHOLDS.worsening_points)


def test_ice_over_the_cap_is_a_warning_and_capped(tmp_path, library):
    text = MINIMAL + "      - ice: 25m\n      - heat: 45m\n"
    found = problems(tmp_path, text, library)
    assert found == [
        "8:14: warning: block 'Main', step 2 (ice), ice: ice for 25:00 is longer than the 20-minute "
        "safety limit; the player stops it at 20 minutes",
        # Heat straight after ice: the skin rest (clinical-notes.md v2) is warned too.
        "9:9: warning: block 'Main', step 3 (heat): Heat starts 00:00 after the last ice ends, but the "
        "skin needs 20:00 (at least 20 minutes between ice and heat); the player waits until "
        "then",
        "9:15: warning: block 'Main', step 3 (heat), heat: heat for 45:00 is longer than the 30-minute "
        "safety limit; the player stops it at 30 minutes",
    ]


def test_review_date_passed_is_a_warning(tmp_path, library):
    found = only(problems(tmp_path, MINIMAL + "review_by: 2025-01-01\n", library))
    assert found.startswith("8:12: warning: review_by: the review date 2025-01-01 has passed")


def test_own_exercises_override_and_easier_must_exist(tmp_path, library):
    text = """\
        format: 1
        title: Own
        exercises:
          plank:
            name: Physio's plank
            easier: knee_plnk
        blocks:
          - name: Main
            steps:
              - exercise: plank
                hold: 20s
        """
    assert "did you mean `knee_plank`" in only(problems(tmp_path, text, library))
    result = load_routine(write(tmp_path, text.replace("knee_plnk", "knee_plank")), library)
    assert result.routine.blocks[0].steps[0].exercise.name == "Physio's plank"


def test_full_step_options(tmp_path, library):
    text = """\
        format: 1
        title: Options
        defaults: {rest_between_sets: 20s, switch_time: 3s}
        blocks:
          - name: Main
            steps:
              - exercise: side_plank
                hold: 20s
                sets: 2
                sides: both
                rest_after: 1m
                progression: {week 3: {hold: 30s}, week 5: {sets: 3}}
                pain_check: true
                note: Keep hips high.
              - cadence: 180
                duration: 1m
                exercise: quick_feet
        """
    result = load_routine(write(tmp_path, text), library)
    assert result.problems == ()
    step = result.routine.blocks[0].steps[0]
    assert step.sides is Sides.BOTH and step.rest_between_sets == 20 and step.switch_time == 3
    assert step.for_week(1).hold == 20 and step.for_week(3).hold == 30
    assert step.for_week(5).sets == 3 and step.for_week(5).hold == 30
    assert result.routine.blocks[0].steps[1].bpm == 180


def test_migration_hook_runs_for_older_formats(tmp_path, library, monkeypatch):
    def from_format_0(root: yamlsafe.Node) -> list:
        root.value["format"].value = 1
        root.value["title"] = root.value.pop("name")
        root.keys["title"] = root.keys.pop("name")
        return []

    monkeypatch.setitem(loader_mod.MIGRATIONS, 0, from_format_0)
    text = MINIMAL.replace("format: 1", "format: 0").replace("title: Test", "name: Old")
    result = load_routine(write(tmp_path, text), library)
    assert result.problems == () and result.routine.title == "Old"


def test_progression_must_fit_the_step(tmp_path, library):
    text = MINIMAL + "        progression: {week 1: {hold: 40s}, week 3: {reps: 12}}\n"
    found = problems(tmp_path, text, library)
    assert found == [  # each at its own key, not at the first one
        "8:23: error: block 'Main', step 1 (Plank), progression, week 1: progressions start "
        "from week 2 (week 1 is the step itself); change the step's own values, or write "
        "`week 2` or later",
        "8:53: error: block 'Main', step 1 (Plank), progression, week 3, reps: changes `reps`, "
        "but this step is done by `hold`; write `hold` here instead",
    ]


def test_schedule_is_times_per_week_or_weekdays(tmp_path, library):
    text = MINIMAL + "schedule: {times_per_week: 3, weekdays: [mon, wed]}\n"
    assert "either `times_per_week` or `weekdays`, not both" in only(
        problems(tmp_path, text, library))


def test_missing_sound_warning_names_what_plays_instead(tmp_path, library):
    text = routine_with_media("pic.svg").replace("illustration: pic.svg", "sound: hello.wav")
    assert "the spoken name or a tone is played instead" in only(problems(tmp_path, text, library))


def test_validate_file_checks_library_files_as_libraries(tmp_path):
    from player.core.bundled import LIBRARY_FILE
    from player.core.loader import validate_file

    assert validate_file(LIBRARY_FILE) == ()
    bad = tmp_path / "lib.yaml"
    bad.write_text("format: 1\nexercises:\n  wall_sit: {nme: Wall sit}\n")
    assert [p.describe() for p in validate_file(bad)] == [
        "exercise `wall_sit`: exercise definition is missing the required field `name` (Name "
        "shown and spoken.)",
        "exercise `wall_sit`, nme: unknown field `nme` in exercise definition (did you mean "
        "`name`?) (allowed: name, instructions, feel, cautions, illustration, sound, easier, "
        "sources, stop_if, breathing)",
    ]


def test_tempo_phases_play_in_the_order_written(tmp_path, library):
    text = MINIMAL.replace("plank\n        hold: 30s", "bodyweight_squat\n        reps: 5\n"
                           "        tempo: {down: 2s, hold: 1s, up: 2s}")
    tempo = load_routine(write(tmp_path, text), library).routine.blocks[0].steps[0].tempo
    assert tempo.phases() == (("down", 2.0), ("hold", 1.0), ("up", 2.0))
    assert tempo.rep_seconds == 5.0


# --- numbers and files that cost nothing to refuse ----------------------------------------------

@pytest.mark.parametrize(
    ("value", "digits"),
    [
        ("1" + "0" * 4000, 4001),
        ("-" + "9" * 5000, 5000),
        ("0x" + "f" * 5000, 5000),
        ("0" + "7" * 5000, 5001),
        ("0b" + "1" * 5000, 5000),
        ("1" + ":30" * 2500, 5001),
        ("1" + "_000" * 2000, 6001),
        ("!!int " + "1" * 5000, 5000),
        ("9" * 21, 21),
    ],
    ids=["decimal", "negative", "hex", "octal", "binary", "base 60", "underscores", "tagged",
         "21 digits"],
)
def test_huge_whole_numbers_are_located_errors_in_every_base(tmp_path, library, value, digits):
    found = only(problems(tmp_path, MINIMAL.replace("hold: 30s", f"hold: {value}"), library))
    assert found == (f"7:15: error: this number is {digits:,} digits long; numbers in a routine "
                     "file have at most 20 digits (check for a typo, or put the text in quotes)")


@pytest.mark.parametrize("value", ["9" * 20, "0x" + "f" * 20, "1_000_000", "1:30"])
def test_whole_numbers_up_to_the_limit_are_read(tmp_path, library, value):
    found = problems(tmp_path, MINIMAL.replace("hold: 30s", f"hold: {value}"), library)
    assert not [f for f in found if "digits" in f], found


@pytest.mark.parametrize(("text", "digits"), [("0x1F", 2), ("-1_000", 4), ("1:30:00", 5),
                                              ("+0b101", 3), ("0o17", 2), ("017", 3)])
def test_number_digits(text, digits):
    assert yamlsafe.number_digits(text) == digits


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_what_is_not_a_regular_file_is_refused_without_blocking(tmp_path, library, kind):
    if kind == "fifo":
        path = tmp_path / "r.yaml"
        os.mkfifo(path)  # opening it for reading the ordinary way would wait for a writer
    elif kind == "folder":
        path = tmp_path / "r.yaml"
        path.mkdir()
    else:
        path = Path(os.devnull)
    result = load_routine(path, library)
    assert result.routine is None
    assert [p.message for p in result.errors] == [
        "cannot read file: not a regular file (a folder, a device or a pipe); a routine is a "
        "plain text file"]


def test_bytes_over_the_size_limit_are_refused(tmp_path, library):
    data = b"# " + b"x" * yamlsafe.MAX_FILE_BYTES + b"\n"
    result = load_routine_bytes(data, tmp_path / "r.yaml", library)
    assert result.routine is None
    assert "limited to 1,048,576 bytes (1 MiB)" in result.errors[0].message


def test_read_limited_reads_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 100)
    assert yamlsafe.read_limited(path, 10) == b"x" * 11


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("? " + "k" * 5000 + "\n: 1\n? " + "k" * 5000 + "\n: 2\n", "duplicate key `kkkk"),
        ("a: !" + "t" * 5000 + " x\n", "the tag !ttt"),
        ("a: *" + "n" * 5000 + "\n", "alias *nnn"),
        ("a: !!float " + "z" * 5000 + "\n", "zzz"),
    ],
    ids=["duplicate key", "tag", "alias", "invalid number"],
)
def test_long_values_are_shortened_in_messages(tmp_path, library, text, expected):
    found = problems(tmp_path, text, library)
    assert any(expected in f for f in found), found
    assert all(len(f) < 400 for f in found), [len(f) for f in found]


def test_a_media_name_too_long_for_the_file_system_is_a_warning(tmp_path, library):
    found = only(problems(tmp_path, routine_with_media("é" * 200 + ".png"), library))
    assert found.startswith("6:19: warning: exercise `mine`, illustration: media file `éééé")
    assert "cannot be looked up (File name too long); a placeholder is shown instead" in found


def test_a_loop_of_links_is_a_warning_not_a_crash(tmp_path, library):
    os.symlink(tmp_path / "b.png", tmp_path / "a.png")
    os.symlink(tmp_path / "a.png", tmp_path / "b.png")
    found = only(problems(tmp_path, routine_with_media("a.png"), library))
    assert found.startswith("6:19: warning: exercise `mine`, illustration: media file `a.png` "
                            "cannot be looked up (")


def _sound_routine(tmp_path: Path, name: str, blob: bytes) -> str:
    (tmp_path / name).write_bytes(blob)
    return routine_with_media("pic.svg").replace("illustration: pic.svg", f"sound: {name}")


def _wav_bytes(rate: int = 16000, frames: int = 160, data_size: int | None = None) -> bytes:
    import struct

    data = b"\0\0" * frames
    size = len(data) if data_size is None else data_size
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt "
            + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", size) + data)


@pytest.mark.parametrize(
    ("name", "blob", "expected"),
    [
        ("rate0.wav", _wav_bytes(rate=0), "damaged WAV header (a sample rate of 0 Hz)"),
        ("huge.wav", _wav_bytes(data_size=2**31), "claims 2147483648 bytes of sound"),
        ("name.ogg", b"OggS" + bytes(40), "is not a WAV file"),
        ("NAME.WAV", b"RIFF....WAVEjunk", "has a damaged WAV header"),
    ],
    ids=["rate-0", "data-larger-than-file", "ogg", "upper-case-damaged"],
)
def test_a_sound_clip_that_cannot_be_trusted_is_warned_at_its_line(tmp_path, library, name,
                                                                    blob, expected):
    found = only(problems(tmp_path, _sound_routine(tmp_path, name, blob), library))
    assert found.startswith("6:12: warning: exercise `mine`, sound: sound clip")
    assert expected in found and "the screen flashes instead" in found


def test_a_good_sound_clip_gets_no_warning(tmp_path, library):
    assert problems(tmp_path, _sound_routine(tmp_path, "ok.wav", _wav_bytes()), library) == []
