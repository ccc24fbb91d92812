"""Is the window ever frozen while the library checks every hostile routine file?

    .venv/bin/python bench/bench_library_responsive.py [--runs 3] [--platform offscreen|xcb]

Puts every routine of the hostile corpus (``tests/fixtures/hostile/routines`` and
``pictures``, with their pictures) in a new data folder's routines folder, builds the real
window as ``run_gui`` does (a silent audio output), shows it and finishes start-up, and measures
the event loop's responsiveness with a 10 ms precise ``QTimer``: each tick records how late it
fired (its interval minus 10 ms), which is how long the event loop was blocked. Three phases,
each run in the same process and the same run:

* **idle** (the baseline): the window shown, nothing loading, for 1 s;
* **background check**: ``RoutineLibrary.check_in_background`` (what start-up and "Read the
  folders again" do) until the last file is listed, plus 100 ms;
* **on the GUI thread** (for comparison, what the app did before): ``RoutineLibrary.refresh``
  with an empty cache, which blocks the loop for the whole check.

Prints, per phase, the longest block, the 99th percentile of lateness and the phase's length.
Issue 11's goal: the event loop is never blocked over 200 ms while the library loads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
TICK_MS = 10
GOAL_MS = 200


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--platform", choices=("offscreen", "xcb"), default="offscreen")
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = args.platform

    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from player import paths
    from player.audio.output import NullOutput
    from player.settings import Settings, save_settings
    from player.ui.application import build_app, finish_startup, show_window

    qapp = QApplication.instance() or QApplication([sys.argv[0]])

    class Lateness:
        """A 10 ms timer that records how late each tick comes."""

        def __init__(self) -> None:
            self.late_ms: list[float] = []
            self.clock = QElapsedTimer()
            self.timer = QTimer()
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(TICK_MS)
            self.timer.timeout.connect(self._tick)

        def start(self) -> None:
            self.late_ms.clear()
            self.clock.start()
            self.timer.start()

        def stop(self) -> list[float]:
            self.timer.stop()
            self._tick()  # the block that may still be running when the phase ends
            return list(self.late_ms)

        def _tick(self) -> None:
            elapsed = self.clock.nsecsElapsed() / 1e6
            self.clock.restart()
            self.late_ms.append(max(0.0, elapsed - TICK_MS))

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    results: dict[str, list[tuple[float, float, float]]] = {"idle": [], "background": [],
                                                            "gui thread": []}
    files = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="bench-responsive-") as tmp:
            data = Path(tmp) / "data"
            folder = paths.user_routines_dir(data)
            folder.mkdir(parents=True)
            for source in (HOSTILE / "routines", HOSTILE / "pictures"):
                for path in source.iterdir():
                    shutil.copy(path, folder)
            files = len(list(folder.glob("*.yaml")))
            save_settings(paths.settings_file(data), Settings(notice_accepted=True))
            app = build_app(qapp, data, NullOutput)
            show_window(app)
            finish_startup(app)
            app.library.wait_until_checked()
            meter = Lateness()

            start = time.perf_counter()
            meter.start()
            spin(1000)
            results["idle"].append(summary(meter.stop(), time.perf_counter() - start))

            app.library._cache.clear()  # every file read and checked again
            start = time.perf_counter()
            meter.start()
            done = QEventLoop()
            app.library.checked.connect(done.quit)
            app.library.check_in_background()
            done.exec()
            spin(100)
            results["background"].append(summary(meter.stop(), time.perf_counter() - start))

            app.library._cache.clear()
            start = time.perf_counter()
            meter.start()
            QTimer.singleShot(0, app.library.refresh)
            spin(100)
            results["gui thread"].append(summary(meter.stop(), time.perf_counter() - start))

            if app.care is not None:
                app.care.close()
            app.window.close()
            app.window.deleteLater()
            qapp.processEvents()

    print(f"{files} hostile routine files in the routines folder; {args.runs} runs; platform "
          f"{args.platform}; a {TICK_MS} ms timer's lateness = how long the loop was blocked")
    print(f"{'phase':<34} {'longest block':>14} {'p99 late':>9} {'phase length':>13}")
    names = {"idle": "idle window (baseline)",
             "background": "library checked in background",
             "gui thread": "library checked on GUI thread"}
    for key, runs in results.items():
        worst = max(r[0] for r in runs)
        p99 = statistics.median(r[1] for r in runs)
        length = statistics.median(r[2] for r in runs)
        print(f"{names[key]:<34} {worst:>11.1f} ms {p99:>6.1f} ms {length * 1000:>10.0f} ms")
    idle = max(r[0] for r in results["idle"])
    background = max(r[0] for r in results["background"])
    print(f"longest block in the background check: {background:.1f} ms "
          f"({background / max(idle, 0.1):.1f} x idle; goal: never over {GOAL_MS} ms)")
    return 0


def summary(late_ms: list[float], seconds: float) -> tuple[float, float, float]:
    """Longest lateness, 99th percentile of lateness (ms) and the phase's length (s)."""
    ordered = sorted(late_ms) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return ordered[-1], p99, seconds


if __name__ == "__main__":
    sys.exit(main())
