"""The published JSON Schemas match the validator, and agree with it on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from player.core import bundled, schema
from player.core.loader import load_library, load_routine

ROOT = Path(__file__).resolve().parents[3]


def test_published_schemas_are_generated_from_the_model():
    # The script must import this checkout's player, not whichever one the venv installed.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "scripts/make_schema.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_published_schema_is_valid_draft7():
    doc = json.loads(bundled.ROUTINE_SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(doc)
    assert set(doc["properties"]) == set(schema.ROUTINE.fields)
    assert doc["required"] == ["format", "title", "blocks"]


def _as_json(path):
    # JSON Schema sees dates as strings, as the YAML language server does.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize("path", bundled.bundled_routines(), ids=lambda p: p.name)
def test_bundled_routines_satisfy_the_json_schema(path):
    validator = jsonschema.Draft7Validator(json.loads(bundled.ROUTINE_SCHEMA_FILE.read_text()))
    assert list(validator.iter_errors(_as_json(path))) == []


def test_library_satisfies_its_json_schema():
    validator = jsonschema.Draft7Validator(json.loads(bundled.LIBRARY_SCHEMA_FILE.read_text()))
    assert list(validator.iter_errors(_as_json(bundled.LIBRARY_FILE))) == []


BAD = [
    "format: 1\ntitle: x\nblocks: [{name: a, steps: [{exercise: plank, hold: 30s, colour: red}]}]\n",
    "format: 1\ntitle: x\nblocks: [{name: a, steps: [{rest: soon}]}]\n",
    "format: 1\ntitle: x\nblocks: [{name: a, steps: [{exercise: plank, sides: bth, hold: 3}]}]\n",
    "format: 1\ntitle: x\nblocks: [{name: a, steps: [{cadence: 500, duration: 1m}]}]\n",
    "format: 1\ntitle: x\nblocks: []\n",
    "format: 1\nblocks: [{name: a, steps: [{ice: 10m}]}]\n",
]


@pytest.mark.parametrize("text", BAD)
def test_schema_and_validator_both_reject(tmp_path, text):
    path = tmp_path / "r.yaml"
    path.write_text(text)
    assert load_routine(path, load_library()).errors
    validator = jsonschema.Draft7Validator(json.loads(bundled.ROUTINE_SCHEMA_FILE.read_text()))
    assert list(validator.iter_errors(yaml.safe_load(text)))


EDITOR_CATCHES = [
    "format: 1\ntitle: x\nblocks: [{name: a, steps: [{cadence: 180}]}]\n",
    # (hold with reps is 1.1's "each repetition held"; with a tempo too, both refuse it)
    "format: 1.1\ntitle: x\nblocks: [{name: a, steps: [{exercise: plank, hold: 3, reps: 4, "
    "tempo: {up: 2}}]}]\n",
    "format: 1\ntitle: x\nschedule: {times_per_week: 3, weekdays: [mon]}\n"
    "blocks: [{name: a, steps: [{rest: 3}]}]\n",
]


@pytest.mark.parametrize("text", EDITOR_CATCHES)
def test_editor_schema_catches_what_the_validator_catches(tmp_path, text):
    test_schema_and_validator_both_reject(tmp_path, text)
