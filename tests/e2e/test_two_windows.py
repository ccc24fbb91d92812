"""The real app open on a data folder, and a second one started on it: the second says the app
is already open, asks the first to come forward and closes without touching the history; the
first's session goes on with no step written twice."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player import paths
from player.settings import Settings, save_settings
from player.ui.controllers.single_instance import LOCK_FILE_NAME, REQUEST_FILE_NAME
from tests.unit.ui.conftest import answer_every_question_no

ROOT = Path(__file__).resolve().parents[2]
ROUTINE = """\
format: 1
title: Played in the first window
defaults: {lead_in: 1s, rest_between_sets: 1s}
pain_checks: {before: false, after: false}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 1s
        sets: 40
"""
DEADLINE_SECONDS = 60

# The second window, as a person would start it, answering "Bring that window forward" and
# saying whether anything after that question ran.
SECOND_WINDOW = r"""
import sys
from player.ui.dialogs import already_open, history_dialogs
from player.ui import application

def ask(cls, parent, folder, pid):
    print(f"ASKED {pid}", flush=True)
    return True

def must_not(*args, **kwargs):
    print("WENT ON", flush=True)
    raise SystemExit(9)

already_open.AlreadyOpenDialog.ask = classmethod(ask)
history_dialogs.InterruptedDialog.ask = classmethod(must_not)
application.build_app = must_not
from player.app import main
sys.exit(main(sys.argv[1:]))
"""


def steps(db: Path) -> list[tuple[int, int]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT session_id, step_index FROM step_events").fetchall()
    except sqlite3.Error:
        return []


@pytest.mark.slow
def test_a_second_window_hands_over_to_the_first_and_never_resumes_its_session(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_settings(paths.settings_file(data), Settings(notice_accepted=True, muted=True))
    answer_every_question_no(data)  # else the symptom questions come before the session
    routine = tmp_path / "first.yaml"
    routine.write_text(ROUTINE)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    first = subprocess.Popen([sys.executable, "-m", "player", "--data-dir", str(data),
                              str(routine), "--start"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = paths.database_file(data)
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while len(steps(db)) < 3:  # the first window is well into its session
            assert first.poll() is None, "the first window ended"
            assert time.monotonic() < deadline, "the first window recorded too few steps"
            time.sleep(0.05)
        assert (data / LOCK_FILE_NAME).exists()
        second = subprocess.run([sys.executable, "-c", SECOND_WINDOW, "--data-dir", str(data)],
                                env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert second.stdout == f"ASKED {first.pid}\n"
        while (data / REQUEST_FILE_NAME).stat().st_size:  # the first window took the request
            assert time.monotonic() < deadline, "the first window did not see the request"
            time.sleep(0.05)
        outputs = []
        for command in (["report", "--json"], ["history", "export"]):  # only read: they work
            done = subprocess.run([sys.executable, "-m", "player", "--data-dir", str(data),
                                   *command], env=env, capture_output=True, text=True,
                                  timeout=60)
            assert done.returncode == 0 and done.stderr == "", done.stderr
            outputs.append(done.stdout)
        assert json.loads(outputs[0])["sessions"] == 1  # the first window's, in play
        assert outputs[1].startswith("timestamp,context,rating,note,session")
        recorded = len(steps(db))
        while len(steps(db)) < recorded + 3:  # and goes on playing
            assert first.poll() is None, "the first window ended"
            assert time.monotonic() < deadline, "the first window stopped recording"
            time.sleep(0.05)
    finally:
        first.kill()
        first.wait(10)
    written = steps(db)
    assert len({session for session, _ in written}) == 1
    assert [index for _, index in written] == list(range(len(written)))  # none twice
