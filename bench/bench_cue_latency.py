"""Measure cue latency of PlaysoundOutput and how long its caller is held up.

    .venv/bin/python bench/bench_cue_latency.py [--plays 50] [--interval 0.1] [--qt]

Figures printed, in milliseconds (p50 / p95 / max):

* ``play() blocks``: time spent inside ``play()`` by the caller (the GUI thread in the app).
* ``play() -> player started``: from calling ``play()`` to the player process running (its
  ``subprocess.Popen`` has returned, which happens once the child has exec'd the player).
* ``of which spawning``: the ``Popen`` call alone, inside the worker thread.
* ``caller stalls``: the main thread runs a 1 ms tick loop standing in for the GUI event loop
  while sounds are queued and started; a stall is how late a tick came. It includes time the
  caller waits for the GIL while the worker imports playsound3 or forks a player.

No sound card is needed: aplay is pointed (ALSA_CONFIG_PATH) at an ALSA configuration whose
default device is the ``file`` plugin over the ``null`` device, which records to a temporary
WAV file and plays as fast as it is fed. ``--qt`` first makes a QApplication so that the process
is as large as the app's (forking a large process costs more). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.audio import PlaysoundOutput  # noqa: E402 - after making the project importable
from player.core import bundled  # noqa: E402

CUES = sorted(bundled.CUES_DIR.rglob("*.wav"))
TICK = 0.001
PLAYERS = {"aplay", "gst-play-1.0", "ffplay", "mpg123", "afplay"}


def use_alsa_file_device(directory: Path) -> None:
    """Make ALSA's default device record to a WAV file in ``directory`` instead of a card."""
    config = directory / "asound.conf"
    config.write_text(
        "pcm.!default {\n"
        "    type file\n"
        "    slave.pcm { type null }\n"
        f'    file "{directory / "captured.wav"}"\n'
        '    format "wav"\n'
        "}\n",
        encoding="utf-8",
    )
    os.environ["ALSA_CONFIG_PATH"] = str(config)


def observe_player_starts(starts: queue.SimpleQueue[tuple[float, float]]) -> None:
    """Wrap subprocess.Popen so that each player launch reports (called, returned) times."""
    real_popen = subprocess.Popen

    def timed_popen(args: Sequence[str], *rest: object, **kwargs: object) -> subprocess.Popen:
        called = time.perf_counter()
        process = real_popen(args, *rest, **kwargs)  # type: ignore[call-overload]
        if Path(args[0]).name in PLAYERS and "--version" not in args:
            starts.put((called, time.perf_counter()))
        return process

    subprocess.Popen = timed_popen  # type: ignore[misc]


class TickLoop:
    """A stand-in for the GUI event loop: ticks every millisecond and records how late it was."""

    def __init__(self) -> None:
        self.stalls: list[float] = []

    def run_for(self, seconds: float, until: Callable[[], bool] = lambda: False) -> None:
        """Tick for ``seconds``, or less once ``until()`` is true."""
        end = time.perf_counter() + seconds
        last = time.perf_counter()
        while time.perf_counter() < end and not until():
            time.sleep(TICK)
            now = time.perf_counter()
            self.stalls.append(max(0.0, now - last - TICK))
            last = now


def timed_play(output: PlaysoundOutput, cue: Path) -> tuple[float, float]:
    """Call ``play`` and return (when it was called, how long it took)."""
    called = time.perf_counter()
    output.play(cue)
    return called, time.perf_counter() - called


def summary(label: str, seconds: list[float]) -> str:
    """One line: p50 / p95 / max of ``seconds``, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{label:<32} p50 {statistics.median(ms):8.3f}   p95 {p95:8.3f}   max {ms[-1]:8.3f}"
        f"   (n={len(ms)})"
    )


def run(plays: int, interval: float) -> None:
    """Play ``plays`` cues, one every ``interval`` seconds, and print the figures."""
    starts: queue.SimpleQueue[tuple[float, float]] = queue.SimpleQueue()
    observe_player_starts(starts)
    loop = TickLoop()
    reasons: list[str] = []

    created = time.perf_counter()
    output = PlaysoundOutput(reasons.append, backend="alsa")
    construct = time.perf_counter() - created
    called, _ = timed_play(output, CUES[0])
    loop.run_for(10, until=lambda: not starts.empty() or bool(reasons))
    if reasons:
        raise SystemExit(f"sound unavailable: {reasons[0]}")
    cold = starts.get()[1] - called
    loop.run_for(interval)
    cold_stalls, loop.stalls = loop.stalls, []

    blocked, latency, spawn = [], [], []
    for i in range(plays):
        called, took = timed_play(output, CUES[i % len(CUES)])
        blocked.append(took)
        loop.run_for(interval)
        popen_called, popen_returned = starts.get(timeout=10)
        latency.append(popen_returned - called)
        spawn.append(popen_returned - popen_called)
    output.wait_idle(10)
    output.close()

    print(f"backend: alsa (aplay), {plays} plays every {interval * 1000:.0f} ms, {len(CUES)} cues")
    print(f"PlaysoundOutput() blocks:        {construct * 1000:8.3f} ms")
    print(f"first play -> player started:    {cold * 1000:8.3f} ms (includes importing playsound3)")
    print(summary("play() blocks", blocked))
    print(summary("play() -> player started", latency))
    print(summary("  of which spawning (Popen)", spawn))
    print(summary("caller stalls, cold start", cold_stalls)
          + "  <- importing playsound3 on the worker (the app does it after the window shows)")
    print(summary("caller stalls while playing", loop.stalls))
    print(f"sound available: {output.available}")


def make_process_app_sized() -> None:
    """Load Qt and create a QApplication, as the app does before any sound plays."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    make_process_app_sized.app = QApplication([])  # type: ignore[attr-defined]


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=50, help="cues to play (default 50)")
    parser.add_argument(
        "--interval", type=float, default=0.1, help="seconds between plays (default 0.1)"
    )
    parser.add_argument("--qt", action="store_true", help="load Qt first, like the app")
    args = parser.parse_args()
    if args.qt:
        make_process_app_sized()
    with tempfile.TemporaryDirectory(prefix="bench-cues-") as tmp:
        use_alsa_file_device(Path(tmp))
        run(args.plays, args.interval)


if __name__ == "__main__":
    main()
