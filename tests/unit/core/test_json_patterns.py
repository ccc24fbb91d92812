"""The JSON Schema's patterns run in editors (ECMAScript) and mean what the validator means."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from player.core import bundled, jsonpatterns, schema
from player.core.durations import DurationError, parse_duration

SCHEMAS = [bundled.ROUTINE_SCHEMA_FILE, bundled.LIBRARY_SCHEMA_FILE]


def _patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern":
                yield value
            elif key == "patternProperties":
                yield from value
            yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


ALL_PATTERNS = sorted({p for path in SCHEMAS
                       for p in _patterns(json.loads(path.read_text(encoding="utf-8")))})


def test_patterns_use_no_python_only_syntax():
    python_only = re.compile(r"\(\?[aiLmsux-]|\(\?P|\\[AZ]|\(\?#")
    assert ALL_PATTERNS
    assert [p for p in ALL_PATTERNS if python_only.search(p)] == []


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js: apt-get install nodejs")
def test_every_pattern_compiles_as_ecmascript_with_the_u_flag():
    script = ("const ps = JSON.parse(require('fs').readFileSync(0, 'utf8')); const bad = [];"
              "for (const p of ps) { try { new RegExp(p, 'u'); } catch (e) { bad.push(p); } }"
              "console.log(JSON.stringify(bad));")
    out = subprocess.run(["node", "-e", script], input=json.dumps(ALL_PATTERNS), text=True,
                         capture_output=True, check=True).stdout
    assert json.loads(out) == []


DURATIONS = [
    "30s", "45 s", "2m", "1m30s", "1m 30s", "1h", "1.5h", "4h", "4.0h", "5h", "4.5h", "241m",
    "240m", "90", " 90 ", "0", "0s", "0m0s", "0.5s", "14400", "14401", "14400s", "14401s",
    "30 seconds", "1 second", "1 min", "20 mins", "1 minute", "2 minutes", "2 hours", "1 hour",
    "2 hrs", "1:30", "1:30:00", "-5s", "5 S", "30 Seconds", "1 MIN", "abc", "", "s",
    "30sec", "30 secs", "1h30m", "1 h 30 m", "10mm", "1.5", "007s",
]


def _validator_accepts(text, zero_ok):
    try:
        seconds = parse_duration(text)
    except DurationError:
        return False
    return zero_ok or seconds > 0


@pytest.mark.parametrize("zero_ok", [False, True])
@pytest.mark.parametrize("text", DURATIONS)
def test_duration_pattern_accepts_what_the_validator_accepts(text, zero_ok):
    pattern = jsonpatterns.duration_pattern(zero_ok)
    assert bool(re.search(pattern, text)) == _validator_accepts(text, zero_ok)


@pytest.mark.parametrize("n", [1, 4, 9, 10, 59, 60, 100, 240, 999, 1000, 14400])
def test_below_is_exactly_the_numbers_under_n(n):
    pattern = re.compile(jsonpatterns.below(n))
    assert [i for i in range(n + 200) if pattern.fullmatch(str(i))] == list(range(n))


def test_media_pattern_refuses_what_the_loader_refuses_whatever_is_on_disk():
    pattern = schema._media("image", schema.IMAGE_SUFFIXES).json()["pattern"]
    ok = ["me.png", "pics/me.PNG", "a..b.svg", "illustrations/plank.svg", "x/.../y.jpg"]
    refused = ["/etc/me.png", "\\\\server\\me.png", "~/me.png", "C:/me.png", "../me.png",
               "pics/../../me.png", "pics\\..\\me.png", "me.gif", "me.png.txt"]
    assert [p for p in ok if not re.search(pattern, p)] == []
    assert [p for p in refused if re.search(pattern, p)] == []
