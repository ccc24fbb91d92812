"""The history view and the care advice at ten years of daily use.

    .venv/bin/python bench/bench_history_view.py [--years 10] [--repeat 7]

Builds the same history as ``bench_history.py`` (its builder: 3,650 sessions, ~49,000 step
events, ~8,000 ratings for ten years), then prints the median over ``--repeat`` runs of:

* opening the history view from loaded data: construct it, ``set_history(...)`` and the first
  paint (``widget.grab()`` renders the whole page offscreen);
* the same, counting the load from the database (``HistoryData.from_store``);
* the advice: a new ``CareController`` reading the store and applying the rules (what the app
  does on start), and ``assess(...)`` alone on loaded data.

The first (cold) run is printed too. Targets: each at most 100 ms. Figures only, no asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_history import build  # noqa: E402 - after the path set-up above
from PySide6.QtWidgets import QApplication  # noqa: E402

from player.core.care import assess  # noqa: E402
from player.core.routine import Block, Routine, Schedule  # noqa: E402
from player.history_cli import HistoryData  # noqa: E402
from player.store.history import HistoryStore  # noqa: E402
from player.ui.controllers.care_controller import CareController  # noqa: E402
from player.ui.pages.history_view import HistoryView  # noqa: E402

#: The routine the bench history plays (bench_history.build), prescribed 3 times a week.
ROUTINE = Routine("Core basics", (Block("Main", ()),), schedule=Schedule(times_per_week=3))


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(first run, median of the runs after it) in milliseconds."""
    times = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times[0], statistics.median(times[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        sessions, steps, ratings = build(data_dir, 365 * args.years, random.Random(1))
        print(f"history: {sessions:,} sessions, {steps:,} step events, {ratings:,} ratings")
        with HistoryStore.open(data_dir) as store:
            history = HistoryData.from_store(store)
            now = history.ratings[-1].at + timedelta(hours=1)
            views: list[HistoryView] = []

            def open_view(data: HistoryData | None = None) -> None:
                view = HistoryView()
                view.resize(1200, 800)
                view.set_history(data or HistoryData.from_store(store), ROUTINE, now)
                view.grab()
                views.append(view)

            loaded = timings(lambda: open_view(history), args.repeat)
            from_store = timings(open_view, args.repeat)
            # What the app does (player.ui.care_features): its CareController already holds the
            # ratings, answers and banner events; only the sessions are read for the view.
            care = CareController(store, clock=lambda: now)
            care.refresh()
            in_app = timings(lambda: open_view(HistoryData(
                care.ratings, tuple(store.sessions()), care.symptoms, care.banner_events)),
                args.repeat)
            controller = timings(
                lambda: CareController(store, clock=lambda: now).refresh(), args.repeat)
            rules = timings(lambda: assess(history.ratings, history.symptoms, now), args.repeat)
            for view in views:
                view.deleteLater()
            app.processEvents()

    rows = (
        ("open the history view (loaded data + first paint)", loaded),
        ("open the history view, loading from the database", from_store),
        ("open the history view as the app does (sessions read)", in_app),
        ("advice: new CareController, read store + assess", controller),
        ("advice: assess(...) on loaded ratings", rules),
    )
    print(f"{'':52} {'first':>8} {'median':>8}   (target <= 100 ms)")
    for label, (first, median) in rows:
        print(f"{label:52} {first:7.1f}  {median:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
