"""The handout's worker: pictures drawn on the GUI thread, the rest on the worker, one at a
time, and every failure a message (never a traceback)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from player.core.routine import Routine
from player.ui.controllers.handout_writer import UNEXPECTED, HandoutJob, HandoutWriter

ROUTINE = Routine(title="T", blocks=())


@dataclass(frozen=True)
class _Written:
    pages: int
    problems: tuple[str, ...]


def run(qapp, write) -> tuple[list[HandoutJob], list[str]]:  # type: ignore[no-untyped-def]
    drawn_on: list[str] = []

    def draw(routine: Routine) -> str:
        drawn_on.append(threading.current_thread().name)
        return "pictures"

    writer = HandoutWriter(draw, write)
    jobs: list[HandoutJob] = []
    writer.written.connect(jobs.append)
    assert writer.start(ROUTINE, Path("/tmp/x.pdf"), 2)
    assert writer.wait(30) and not writer.busy
    qapp.processEvents()
    return jobs, drawn_on


def test_the_pictures_are_drawn_here_and_the_handout_made_on_the_worker(qapp):
    made_on: list[tuple[str, object]] = []

    def write(routine, target, week, *, drawn):
        made_on.append((threading.current_thread().name, drawn))
        return _Written(3, ("a picture left out",))

    jobs, drawn_on = run(qapp, write)
    assert drawn_on == [threading.current_thread().name]
    assert made_on == [("handout", "pictures")]
    assert jobs == [HandoutJob(Path("/tmp/x.pdf"), 2, 3, ("a picture left out",))]


def test_a_failure_is_a_message(qapp, caplog):
    def disk_full(routine, target, week, *, drawn):
        raise OSError(28, "No space left on device")

    def broken(routine, target, week, *, drawn):
        raise ValueError("a bug")

    assert run(qapp, disk_full)[0][0].error == "No space left on device"
    assert run(qapp, broken)[0][0].error == UNEXPECTED
    assert "cannot make the handout" in caplog.text  # the log keeps the traceback


def test_one_handout_at_a_time(qapp):
    release = threading.Event()

    def slow(routine, target, week, *, drawn):
        assert release.wait(30)
        return _Written(1, ())

    writer = HandoutWriter(lambda routine: None, slow)
    assert writer.start(ROUTINE, Path("/tmp/a.pdf"), 1)
    assert writer.busy and not writer.start(ROUTINE, Path("/tmp/b.pdf"), 1)
    release.set()
    assert writer.wait(30)
