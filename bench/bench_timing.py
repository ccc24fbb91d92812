"""How punctual the session driver is on real timers, and what it costs while idle.

Timing (default): plays ``--steps`` steps of ``--step-seconds`` then one ``--long`` step through
:class:`player.ui.controllers.session_driver.SessionDriver` on Qt's event loop, with one CPU-burning process
per core beside it (``--load 0`` for none). For every step boundary it records the lateness: when
the ``StepStarted`` signal arrived minus the boundary's deadline computed from the session start
and the timeline. It prints count, mean, p95 and max lateness in ms, and the trend (first half vs
second half, least-squares slope) to show whether drift grows. Target: every boundary within
20 ms, no growth (reported, not asserted).

Idle (``--idle SECONDS``): one long step counts down for SECONDS with no load; prints the number
of wake-ups and the process CPU time as a percentage of one core. Target: <= 2 %.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_timing.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_timing.py --steps 60 --long 60
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_timing.py --idle 60
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QTimer  # noqa: E402

from player.core.engine import (  # noqa: E402
    EngineEvent,
    MonotonicClock,
    SessionFinished,
    SessionStarted,
    StepStarted,
)
from player.core.timeline import StepKind, Timeline, TimelineStep  # noqa: E402
from player.ui.controllers.session_driver import SessionDriver  # noqa: E402

TARGET_MS = 20.0
IDLE_TARGET_PERCENT = 2.0


def build_timeline(steps: int, step_seconds: float, long_seconds: float) -> Timeline:
    """``steps`` short rests, then one long exercise (which has halfway and countdown cues)."""
    items = [
        TimelineStep(i, "Bench", StepKind.REST, "Short", i * step_seconds, step_seconds)
        for i in range(steps)
    ]
    if long_seconds > 0:
        start = steps * step_seconds
        items.append(TimelineStep(steps, "Bench", StepKind.EXERCISE, "Long", start, long_seconds))
    return Timeline("Timing bench", tuple(items))


@contextmanager
def cpu_load(processes: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``processes`` busy-looping Python processes, killed on exit."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


@dataclass
class Recorder:
    """Collects when each boundary's signal arrived, and counts the timer's wake-ups."""

    timeline: Timeline
    session_start: float | None = None
    wakeups: int = 0

    def __post_init__(self) -> None:
        self.arrivals: list[tuple[float, float]] = []  # (deadline, arrival)

    def on_event(self, event: EngineEvent) -> None:
        arrived = time.monotonic()
        if isinstance(event, SessionStarted):
            self.session_start = event.at
        elif isinstance(event, StepStarted) and self.session_start is not None:
            if event.step.index > 0:  # step 0 starts with the session: not a timed boundary
                deadline = self.session_start + event.step.start_seconds
                self.arrivals.append((deadline, arrived))
        elif isinstance(event, SessionFinished) and self.session_start is not None:
            self.arrivals.append((self.session_start + self.timeline.total_seconds, arrived))
            QCoreApplication.quit()

    def on_wakeup(self) -> None:
        self.wakeups += 1

    def lateness_ms(self) -> list[float]:
        return [(arrived - deadline) * 1000 for deadline, arrived in self.arrivals]


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered)))
    return ordered[rank - 1]


def report_timing(lateness: list[float], wakeups: int, seconds: float, load: int) -> None:
    half = len(lateness) // 2
    first, second = lateness[:half], lateness[half:]
    slope = statistics.linear_regression(range(len(lateness)), lateness).slope
    print(f"load: {load} busy process(es) on {os.cpu_count()} core(s); {seconds:.1f} s played")
    print(f"boundaries: {len(lateness)}   timer wake-ups: {wakeups}")
    print(
        f"lateness ms: mean {statistics.fmean(lateness):.2f}  p95 {percentile(lateness, 0.95):.2f}"
        f"  max {max(lateness):.2f}  min {min(lateness):.2f}"
    )
    print(
        f"trend: first half mean {statistics.fmean(first):.2f} ms, second half mean "
        f"{statistics.fmean(second):.2f} ms; slope {slope * 1000:+.4f} us per boundary"
    )
    within = sum(1 for ms in lateness if 0 <= ms <= TARGET_MS)
    print(f"target: {within}/{len(lateness)} boundaries within 0..{TARGET_MS:.0f} ms")


def run_timing(args: argparse.Namespace) -> None:
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    timeline = build_timeline(args.steps, args.step_seconds, args.long)
    driver = SessionDriver.for_timeline(timeline, MonotonicClock())
    recorder = Recorder(timeline)
    driver.event_emitted.connect(recorder.on_event)
    driver.timer.timeout.connect(recorder.on_wakeup)
    load = args.load if args.load is not None else (os.cpu_count() or 1)
    with cpu_load(load):
        time.sleep(0.5)  # let the load get going
        QTimer.singleShot(0, driver.start)
        began = time.monotonic()
        app.exec()
        played = time.monotonic() - began
    report_timing(recorder.lateness_ms(), recorder.wakeups, played, load)


def run_idle(seconds: float) -> None:
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    timeline = build_timeline(0, 0, seconds + 10)
    driver = SessionDriver.for_timeline(timeline, MonotonicClock())
    recorder = Recorder(timeline)
    driver.timer.timeout.connect(recorder.on_wakeup)
    marks: dict[str, tuple[float, float, resource.struct_rusage]] = {}

    def mark(name: str) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        marks[name] = (time.monotonic(), time.process_time(), usage)

    def begin() -> None:
        driver.start()
        recorder.wakeups = 0
        mark("begin")
        QTimer.singleShot(round(seconds * 1000), end)

    def end() -> None:
        mark("end")
        driver.stop()
        QCoreApplication.quit()

    QTimer.singleShot(0, begin)
    app.exec()
    (wall0, cpu0, ru0), (wall1, cpu1, ru1) = marks["begin"], marks["end"]
    wall, cpu = wall1 - wall0, cpu1 - cpu0
    switches = (ru1.ru_nvcsw - ru0.ru_nvcsw) + (ru1.ru_nivcsw - ru0.ru_nivcsw)
    print(f"idle: one {seconds + 10:.0f} s step counting down, measured for {wall:.2f} s")
    print(f"timer wake-ups: {recorder.wakeups} ({recorder.wakeups / wall:.2f} per second)")
    print(f"context switches: {switches}")
    print(
        f"process CPU: {cpu * 1000:.1f} ms = {100 * cpu / wall:.3f} % of one core "
        f"(target <= {IDLE_TARGET_PERCENT:.0f} %)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60, help="short steps (default 60)")
    parser.add_argument("--step-seconds", type=float, default=1.0, help="short step length")
    parser.add_argument("--long", type=float, default=60.0, help="the long step's seconds")
    parser.add_argument("--load", type=int, default=None, help="busy processes (default: cores)")
    parser.add_argument(
        "--idle",
        type=float,
        default=None,
        metavar="SECONDS",
        help="measure wake-ups and CPU while one long step counts down",
    )
    args = parser.parse_args(argv)
    if args.idle is not None:
        run_idle(args.idle)
    else:
        run_timing(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
