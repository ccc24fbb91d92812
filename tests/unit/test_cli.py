"""The command line: compiler-style problems, exit codes, the timeline, no tracebacks."""

from __future__ import annotations

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
        f"{bad}:2:1: error: titel: unknown field 'titel' in routine (did you mean `title`?) "
        "(allowed: format, title, description, author, version, written, review_by, language, "
        "audience, sources, notes, schedule, defaults, pain_checks, exercises, blocks)",
        f"{bad}:7:15: error: blocks[0].steps[0].hold: must not be negative; found -1",
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
