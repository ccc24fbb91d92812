"""The library checked in a child process (player.library_check), and the played routine chosen
from what it found (player.core.played.played_among): the same answers as checking and parsing
in the app, and any fault in the child means the app checks the files itself."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from player import library_check, paths
from player.core import bundled
from player.core.clinical import DEFAULT_THRESHOLDS
from player.core.history import Session, routine_file_hash
from player.core.loader import load_library, load_routine
from player.core.played import find_played_routine, played_among
from player.core.timeline import build_timeline
from player.routine_files import routine_candidates
from tests.unit.test_hostile_corpus import ROUTINE_CASES, ROUTINES

NOW = datetime(2024, 3, 20, 9, 0, tzinfo=UTC)

STRICT = """\
format: 1
title: Strict routine
version: "2"
pain_checks:
  thresholds:
    severe_count: 1
    in_session_stop_level: 5
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 30s
"""


def _data_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    data = tmp_path / "data"
    folder = paths.user_routines_dir(data)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return data


def _in_app(path: Path) -> tuple[str | None, float | None, int]:
    """What the app's own check lists of ``path`` (RoutineLibrary._entry's rules)."""
    result = load_routine(path, load_library())
    if result.routine is None:
        return None, None, len(result.errors)
    return result.routine.title, build_timeline(result.routine).total_seconds, 0


def test_the_child_lists_every_file_as_the_app_would(tmp_path: Path) -> None:
    data = _data_dir(tmp_path, {"strict.yaml": STRICT, "broken.yaml": "format: 1\ntitle: [\n"})
    for case in ROUTINE_CASES:
        shutil.copy(ROUTINES / f"{case.name}.yaml", paths.user_routines_dir(data))
    early = library_check.start(data)
    assert early is not None
    found = early.results()
    assert found is not None
    candidates = routine_candidates(data)
    assert len(candidates) > len(ROUTINE_CASES) + 2
    for path in candidates:
        checked = found[path.resolve()]
        assert checked.matches(path.stat())
        assert (checked.title, checked.total_seconds, checked.error_count) == _in_app(path), path
        assert (checked.played is None) is (checked.title is None)
    strict = found[(paths.user_routines_dir(data) / "strict.yaml").resolve()].played
    assert strict is not None and strict.title == "Strict routine" and strict.version == "2"
    assert strict.thresholds == replace(DEFAULT_THRESHOLDS, severe_count=1,
                                        in_session_stop_level=5)
    assert strict.file_hash == routine_file_hash(STRICT.encode())
    assert early.results() is found  # read once, then kept


def test_the_output_reads_back_as_written() -> None:
    checked = library_check.check_files(sorted(bundled.ROUTINES_DIR.glob("*.yaml")))
    assert library_check.from_json(library_check.to_json(checked)) == {c.path: c for c in checked}


def _doc(**changes: object) -> str:
    checked = library_check.check_files([bundled.ROUTINES_DIR / "core-strength.yaml"])
    doc = json.loads(library_check.to_json(checked))
    item = doc["files"][0]
    for key, value in changes.items():
        if key == "version":
            doc["version"] = value
        elif key.startswith("thresholds."):
            item["played"]["thresholds"][key.split(".", 1)[1]] = value
        else:
            item[key] = value
    return json.dumps(doc)


@pytest.mark.parametrize("changes", [
    {"version": 2},
    {"mtime_ns": "1"},
    {"size": True},
    {"errors": None},
    {"title": None},  # a file with errors cannot be a routine too
    {"thresholds.severe_count": 99},  # laxer than the cited default: never from a routine
    {"thresholds.severe_count": 0},  # below its minimum
    {"thresholds.severe_count": 1.5},
    {"thresholds.made_up": 1},
])
def test_output_not_as_written_is_not_believed(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        library_check.from_json(_doc(**changes))


def _session(title: str = "Strict routine", version: str = "2", file_hash: str = "") -> Session:
    return Session(1, title, version, file_hash, NOW, NOW, "completed")


@pytest.mark.parametrize("session", [
    _session(file_hash=routine_file_hash(STRICT.encode())),
    _session(file_hash="0" * 64),  # edited since: found by title and version
    _session(version=""),
    _session(version="3"),  # no file of that version
    _session(title="Core strength for runners", version=""),
    _session(title="Nowhere"),
])
def test_the_played_routine_is_chosen_as_parsing_the_files_chooses(
        tmp_path: Path, session: Session) -> None:
    folded = STRICT.replace("title: Strict routine", "title: Strict\n  routine")
    other = STRICT.replace('version: "2"', 'version: "3"').replace("severe_count: 1",
                                                                   "severe_count: 2")
    data = _data_dir(tmp_path, {"a-folded.yaml": folded, "b-strict.yaml": STRICT,
                                "c-other.yaml": other, "d-broken.yaml": "title: [\n"})
    candidates = routine_candidates(data)
    checked = [c.played for c in library_check.check_files(candidates) if c.played is not None]
    parsed = find_played_routine(session, candidates, load_library())
    chosen = played_among(session, checked)
    if parsed is None:
        assert chosen is None
    else:
        assert chosen is not None and chosen.path == parsed.path.resolve()
        assert chosen.thresholds == parsed.pain_checks.thresholds


def _spawned(program: str, *args: str) -> library_check.EarlyCheck:
    output, into = os.pipe()
    pid = os.posix_spawn(program, [program, *args], os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, into, 1)])
    os.close(into)
    return library_check.EarlyCheck(pid, output)


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # reaped already
    return False


def test_a_child_that_takes_too_long_is_killed_and_reaped() -> None:
    early = _spawned(shutil.which("sleep") or "/bin/sleep", "30")
    pid = early._pid
    assert pid is not None
    started = time.monotonic()
    assert early.results(timeout=0.2) is None
    assert time.monotonic() - started < 10
    assert _gone(pid)
    assert early.results() is None and early.results_if_in() is None


@pytest.mark.parametrize("code", [
    "import sys; sys.exit(3)",
    "print('not json')",
    "print('{\"version\": 1, \"files\": [{\"path\": 1}]}')",
])
def test_a_child_that_fails_or_says_something_else_gives_no_results(code: str) -> None:
    early = _spawned(sys.executable, "-c", code)
    pid = early._pid
    assert pid is not None
    assert early.results() is None
    assert _gone(pid)


def test_a_child_never_asked_is_stopped_at_close(tmp_path: Path) -> None:
    early = _spawned(shutil.which("sleep") or "/bin/sleep", "30")
    pid = early._pid
    assert pid is not None
    early.close()
    assert _gone(pid)
    assert early.results_if_in() is None


def test_the_child_needs_its_data_folder() -> None:
    assert library_check.main([]) == 2
