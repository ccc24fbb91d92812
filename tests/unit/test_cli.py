"""The command line: compiler-style problems, exit codes, the timeline, no tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from player.app import main

GOOD = """\
format: 1
title: Short
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 30s
        sets: 2
      - exercise: glute_bridge
        reps: 10
"""


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_validate_prints_compiler_style_lines(tmp_path, capsys):
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, GOOD.replace("hold: 30s", "hold: -1").replace("title", "titel"),
                "bad.yaml")
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{bad}:1:1: error: routine is missing the required field `title` (Title shown in the "
        "library.)",
        f"{bad}:2:1: error: titel: unknown field `titel` in routine (did you mean `title`?) "
        "(allowed: format, title, description, author, version, written, review_by, language, "
        "audience, sources, notes, clinician_notes, prescriber, easier_routine, schedule, defaults, pain_checks, "
        "exercises, blocks)",
        f"{bad}:7:15: error: block 'Main', step 1 (Plank), hold: must not be negative; write how long, such as 30s; found -1",
    ]


def test_validate_missing_file_and_usage_errors(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "error: cannot read file" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2


def test_timeline_json(tmp_path, capsys):
    path = write(tmp_path, GOOD, "good.yaml")
    assert main(["timeline", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["title"] == "Short"
    steps = doc["steps"]
    assert [(s["kind"], s["name"], s["set"], s["start_seconds"], s["duration_seconds"])
            for s in steps] == [
        ("lead_in", "Get ready", None, 0.0, 5.0),
        ("exercise", "Plank", 1, 5.0, 30.0),
        ("rest", "Rest", None, 35.0, 30.0),
        ("exercise", "Plank", 2, 65.0, 30.0),
        ("exercise", "Glute bridge", 1, 95.0, None),
    ]
    assert steps[-1]["estimated_seconds"] == 40.0
    assert doc["total_seconds"] == 135.0
    assert {"index", "block", "kind", "name", "side", "set", "start_seconds",
            "duration_seconds"} <= set(steps[0])


def test_timeline_text_and_errors(tmp_path, capsys):
    path = write(tmp_path, GOOD, "good.yaml")
    assert main(["timeline", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Glute bridge (10 reps, press Done)" in out and "Total: 02:15" in out
    bad = write(tmp_path, "format: 1\n", "bad.yaml")
    assert main(["timeline", str(bad)]) == 1
    assert "missing the required field `title`" in capsys.readouterr().err


def test_console_script_runs_without_a_traceback(tmp_path):
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    result = subprocess.run([sys.executable, "-m", "player", "validate", str(binary)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{binary}:1:1: error: this is a binary file" in result.stdout


# --- output that cannot lie ----------------------------------------------------------------------

RLO = "\u202e"


def assert_inert(text: str) -> None:
    """No control character but the line ends, no bidi control or mark, no line separator."""
    assert not [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
    assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                               "\u200e\u200f\u061c\u2028\u2029")


def test_timeline_escapes_bidi_overrides_in_names(tmp_path, capsys):
    text = GOOD.replace("title: Short", f'title: "Short{RLO}"').replace(
        "blocks:", f'exercises:\n  mine: {{name: "Mine {RLO}00:03"}}\nblocks:').replace(
        "exercise: glute_bridge", "exercise: mine")
    path = write(tmp_path, text, "bidi.yaml")
    assert main(["timeline", str(path)]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert out.splitlines()[0] == "Short\\u202e"
    assert "Mine \\u202e00:03 (10 reps, press Done)" in out


def test_timeline_text_cannot_fake_lines_or_drive_the_terminal(capsys):
    from player.cli import print_timeline
    from player.core.timeline import StepKind, Timeline, TimelineStep

    hostile = "\x1b]8;;http://evil\x1b\\Plank\x1b]8;;\x1b\\\rTotal: 0:00\nTotal: 0:00\x9b2J"
    steps = (TimelineStep(0, f"Main{RLO}\n", StepKind.REST, hostile, 0.0, 30.0),
             TimelineStep(1, "Other", StepKind.REST, "Rest", 30.0, 30.0))
    out = io.StringIO()
    print_timeline(Timeline(f"Title\x1b[2J\r\n{RLO}", steps), out)
    text = out.getvalue()
    assert_inert(text)
    lines = text.splitlines()
    assert len(lines) == 4  # the title, two steps, the total: nothing more
    assert lines[0] == "Title\\x1b[2J\\r\\n\\u202e"
    assert "\\x1b]8;;http://evil\\x1b\\Plank\\x1b]8;;\\x1b\\\\rTotal: 0:00\\nTotal: 0:00\\x9b2J" \
        in lines[1]
    assert lines[1].index("  Main") == lines[2].index("  Other")  # columns still line up
    assert lines[-1].startswith("Total: 01:00")


def test_validate_escapes_file_text_and_file_names(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("title: Short", 'title: Short\n"\\e[2J\\rkey": 1'),
                 f"odd\x1b[31m{RLO}.yaml")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert_inert(out)
    assert len(out.splitlines()) == 1
    assert "odd\\x1b[31m\\u202e.yaml:3:1: error: " in out
    assert "unknown field `\\x1b[2J\\rkey` in routine" in out


def test_timeline_problems_are_escaped_too(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("title: Short", 'title: Short\n"\\u2028x\\e": 1'),
                 "bad.yaml")
    assert main(["timeline", str(path)]) == 1
    err = capsys.readouterr().err
    assert_inert(err)
    assert "unknown field `\\u2028x\\x1b`" in err


SCHEDULED = GOOD.replace("title: Short", "title: Short\nschedule: {times_per_week: 3, weeks: 4}")


@pytest.mark.parametrize(("text", "week", "code", "message"), [
    (SCHEDULED, "0", 2, "--week 0: week 0 is not in this routine's schedule, which has weeks 1 "
                        "to 4; give a week from 1 to 4"),
    (SCHEDULED, "-1", 2, "--week -1: week -1 is not in this routine's schedule"),
    (SCHEDULED, "99", 2, "--week 99: week 99 is not in this routine's schedule"),
    (SCHEDULED, "5", 2, "--week 5: week 5 is not in this routine's schedule"),
    (SCHEDULED, "1", 0, ""),
    (SCHEDULED, "4", 0, ""),
    (GOOD, "0", 2, "--week 0: week 0 does not exist; weeks are counted from 1 to 104"),
    (GOOD, "105", 2, "--week 105: week 105 does not exist"),
    (GOOD, "52", 0, ""),
])
def test_timeline_week_outside_the_schedule_is_an_error(tmp_path, capsys, text, week, code,
                                                        message):
    path = write(tmp_path, text, "r.yaml")
    assert main(["timeline", str(path), f"--week={week}"]) == code
    captured = capsys.readouterr()
    if code:
        assert captured.err.startswith(f"{path}: {message}")
        assert captured.err.count("\n") == 1 and captured.out == ""
    else:
        assert captured.err == "" and captured.out.splitlines()[-1].startswith("Total: ")


def test_validate_summary_is_on_its_own_line_after_the_problems(tmp_path):
    bad = write(tmp_path, GOOD.replace("hold: 30s", "hold: 1:30"), "bad.yaml")
    good = write(tmp_path, GOOD, "good.yaml")
    merged = subprocess.run([sys.executable, "-m", "player", "validate", str(bad), str(good)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            check=False, cwd=Path(__file__).resolve().parents[2])
    assert merged.returncode == 1
    assert merged.stdout.splitlines() == [
        f"{bad}:7:15: error: block 'Main', step 1 (Plank), hold: 1:30 is a clock time, which "
        "routine files do not use (YAML reads it as the number 90, in base 60); write 1m30s",
        "",
        "1 of 2 file(s) valid",
    ]


@pytest.mark.parametrize(("texts", "summary"), [
    ([GOOD], "1 of 1 file(s) valid\n"),
    ([GOOD, GOOD.replace("reps: 10", "reps: 0")], "\n1 of 2 file(s) valid\n"),
    ([GOOD.replace("review_by", "x") + "review_by: 2020-01-01\n"], "\n1 of 1 file(s) valid\n"),
])
def test_validate_summary_starts_a_line(tmp_path, texts, summary):
    paths = [str(write(tmp_path, t, f"r{i}.yaml")) for i, t in enumerate(texts)]
    from player.cli import cmd_validate

    out, err = io.StringIO(), io.StringIO()
    cmd_validate(paths, out, err)
    assert err.getvalue() == summary
    assert out.getvalue() == "" or out.getvalue().endswith("\n")
