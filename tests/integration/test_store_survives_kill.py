"""A process killed mid-session loses nothing it had reported as saved."""

from __future__ import annotations

import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.store.db import DB_FILENAME
from player.store.history import HistoryStore

ROOT = Path(__file__).resolve().parents[2]

# Opens the store, starts a session, then records steps and ratings as fast as it can, printing
# a line after each commit returns, until it is killed (or, as a safety net, sleeps).
CHILD = r"""
import sys, time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from player.core.history import PainRating, StepEvent
from player.store.history import HistoryStore

store = HistoryStore.open(Path(sys.argv[1]))
t0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone(timedelta(hours=1)))
sid = store.start_session(routine_title="Core basics", started_at=t0)
print(f"session {sid}", flush=True)
for i in range(100_000):
    at = t0 + timedelta(seconds=10 * i)
    store.record_step(StepEvent(sid, i, f"Step {i}", "exercise", "completed", 9.5, at, 10.0))
    print(f"step {i}", flush=True)
    if i % 3 == 0:
        store.add_rating(PainRating(at, "during", i % 11, note=f"n{i}", session_id=sid))
        print(f"rating {i}", flush=True)
time.sleep(600)
"""

READ_TIMEOUT_SECONDS = 60


def read_lines(proc: subprocess.Popen[str], count: int) -> list[str]:
    """The child's first *count* lines (fails if it dies or goes quiet first)."""
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + READ_TIMEOUT_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while len(lines) < count:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                pytest.fail(f"the child went quiet after {len(lines)} lines")
            line = proc.stdout.readline()
            if not line:
                errors = proc.stderr.read() if proc.stderr else ""
                pytest.fail(f"the child exited after {lines[-3:]}: {errors}")
            lines.append(line.strip())
    return lines


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("lines_before_kill", [1, 40, 400])
def test_everything_reported_survives_sigkill(tmp_path: Path, lines_before_kill: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    ) as proc:
        try:
            lines = read_lines(proc, lines_before_kill)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    session_id = int(lines[0].split()[1])
    reported_steps = {int(line.split()[1]) for line in lines if line.startswith("step ")}
    reported_ratings = {int(line.split()[1]) for line in lines if line.startswith("rating ")}

    with HistoryStore.open(tmp_path) as store:
        assert store.notices == ()
        stored_steps = {s.step_index for s in store.steps(session_id)}
        stored_ratings = {int(r.note[1:]) for r in store.ratings()}
        assert reported_steps <= stored_steps
        assert reported_ratings <= stored_ratings
        assert [s.id for s in store.interrupted_sessions()] == [session_id]
        store.close_session_as_interrupted(session_id)

    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        outcome = conn.execute("SELECT outcome FROM sessions").fetchall()
        assert outcome == [("interrupted",)]
    finally:
        conn.close()
