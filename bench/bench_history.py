"""History store and care rules at ten years of daily use.

    .venv/bin/python bench/bench_history.py [--years 10] [--repeat 7]

Builds a temporary history through the repository (one session a day with about 14 steps,
before and after ratings, a check-in every fifth day: 3,650 sessions, ~51,000 step events,
~8,000 ratings for ten years), then prints the database size and the median over ``--repeat``
runs of: opening it (with its integrity check), loading what the history view needs (every
rating, every session with its step counts), ``assess(...)``, and adherence plus the pain
trend. Targets: each at most 100 ms; the file under 20 MB.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from player.core.care import assess
from player.core.history import PainRating, StepEvent, StepStatus, SymptomAnswers
from player.core.progress import Schedule, adherence, pain_trend
from player.store.history import HistoryStore

TZ = timezone(timedelta(hours=1))
START = datetime(2015, 1, 5, 7, 30, tzinfo=TZ)
STEPS = ["Warm-up walk", "Cat-cow", "Glute bridge", "Rest", "Bird-dog", "Dead bug", "Rest",
         "Side plank", "Plank", "Rest", "Hamstring stretch", "Hip-flexor stretch",
         "Knee to chest", "Child's pose"]


def build(data_dir: Path, days: int, rng: random.Random) -> tuple[int, int, int]:
    """Fill a history with *days* days of use; returns (sessions, steps, ratings)."""
    steps = ratings = 0
    with HistoryStore.open(data_dir) as store:
        for day in range(days):
            started = START + timedelta(days=day, minutes=rng.randint(0, 120))
            sid = store.start_session(routine_title="Core basics", started_at=started,
                                      routine_version="1", routine_file_hash="f" * 64)
            pain = rng.randint(1, 5)
            store.add_rating(PainRating(started, "before", pain, session_id=sid))
            at = started
            for index, name in enumerate(STEPS[: rng.randint(12, 16)]):
                seconds = float(rng.choice([30, 45, 60]))
                at += timedelta(seconds=seconds)
                status: StepStatus = "skipped" if rng.random() < 0.03 else "completed"
                store.record_step(StepEvent(sid, index, name, "exercise", status, seconds, at,
                                            seconds))
                steps += 1
            store.add_rating(PainRating(at, "after", max(0, pain + rng.randint(-2, 2)),
                                        note="fine" if rng.random() < 0.2 else "",
                                        session_id=sid))
            store.finish_session(sid, "completed", at)
            ratings += 2
            if day % 5 == 0:
                store.add_rating(PainRating(started + timedelta(hours=12), "checkin",
                                            rng.randint(1, 5), body_area="lower back"))
                ratings += 1
        store.add_symptoms(SymptomAnswers(START + timedelta(days=days)))
    return days, steps, ratings


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    days = 365 * args.years

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        t0 = time.perf_counter()
        sessions, steps, ratings = build(data_dir, days, random.Random(1))
        built = time.perf_counter() - t0
        size_mb = (data_dir / "history.sqlite3").stat().st_size / 1e6
        print(f"built {sessions:,} sessions, {steps:,} step events, {ratings:,} ratings "
              f"through the repository in {built:.1f} s")
        print(f"database size: {size_mb:.1f} MB (target < 20 MB)")

        open_ms = median_ms(lambda: HistoryStore.open(data_dir).close(), args.repeat)
        print(f"open (incl. integrity check): {open_ms:7.1f} ms")

        with HistoryStore.open(data_dir) as store:
            load_ms = median_ms(lambda: (store.ratings(), store.sessions()), args.repeat)
            all_ratings, all_sessions = store.ratings(), store.sessions()
            symptoms = store.latest_symptoms()
        now = all_ratings[-1].at + timedelta(hours=1)
        today = now.date()
        assert len(all_ratings) == ratings and len(all_sessions) == sessions

        assess_ms = median_ms(lambda: assess(all_ratings, symptoms, now), args.repeat)
        schedule = Schedule(start=date(2015, 1, 5), weeks=53 * args.years, times_per_week=3)
        progress_ms = median_ms(
            lambda: (adherence(all_sessions, schedule, today), pain_trend(all_ratings, now)),
            args.repeat,
        )
        print(f"load ratings + sessions with step counts: {load_ms:7.1f} ms (target <= 100)")
        print(f"assess(...):                              {assess_ms:7.1f} ms (target <= 100)")
        print(f"adherence + pain trend:                   {progress_ms:7.1f} ms (target <= 100)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
