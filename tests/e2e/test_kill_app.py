"""The real app, killed with SIGKILL mid-session, loses nothing it had already recorded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player import paths
from player.settings import Settings, save_settings
from player.store.history import HistoryStore
from tests.unit.ui.conftest import answer_every_question_no

ROUTINE = """\
format: 1
title: Killed midway
defaults: {lead_in: 1s, rest_between_sets: 1s}
pain_checks: {before: false, after: false}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 1s
        sets: 30
"""
STEPS_BEFORE_KILL = 6
DEADLINE_SECONDS = 60


def steps_recorded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM step_events").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_session_keeps_every_recorded_step(tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_settings(paths.settings_file(data), Settings(notice_accepted=True, muted=True))
    answer_every_question_no(data)  # else the symptom questions come before the session
    routine = tmp_path / "killed.yaml"
    routine.write_text(ROUTINE)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-m", "player", "--data-dir", str(data),
                            str(routine), "--start"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = paths.database_file(data)
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while steps_recorded(db) < STEPS_BEFORE_KILL:
            assert app.poll() is None, "the app ended before it was killed"
            assert time.monotonic() < deadline, "the app recorded too few steps in time"
            time.sleep(0.05)
        seen_before_kill = steps_recorded(db)
        app.send_signal(signal.SIGKILL)
        app.wait(10)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    assert app.returncode == -signal.SIGKILL
    with HistoryStore.open(data) as store:
        assert store.notices == ()  # opened as it was: not corrupt, not set aside
        [interrupted] = store.interrupted_sessions()
        assert interrupted.routine_title == "Killed midway"
        steps = store.steps(interrupted.id)
        assert len(steps) >= seen_before_kill
        assert [s.step_index for s in steps] == list(range(len(steps)))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
