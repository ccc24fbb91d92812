"""Care advice on ten years of daily history, against an empty history in the same run.

    .venv/bin/python bench/bench_care.py [--years 10] [--repeat 31] [--seed 7]

Issue 10's figure: the care rules version 2 (:func:`player.core.care.assess`) on 10 years of
daily history, 3,650 sessions and 15,000 ratings including the next-morning checks, take at
most 50 ms; the same calls on an empty history are timed in the same run as the baseline.

The history is built in memory (the rules read no store; the window holds the same records in
its care controller): one session a day at a random time between 07:00 and 19:00 in
Europe/London (so the ten years cross twenty daylight-saving changes), each with a ``before``
and an ``after`` rating and, on 9 days in 10, a ``morning_after`` rating the next morning; a
daily ``checkin`` on the days that make the total 15,000 ratings; pain that drifts between 0
and 9 with flares; check-ins at midday and in the evening of random days; symptom answers (every question) every 7 days and a few red-flag
confirmations. ``now`` is the evening of the last day.

Timed for each history, first call (cold) then the median and p95 of ``--repeat`` calls after
it, and the median CPU time of this process (on a shared machine the wall time includes waits
for a core), in ms:

* ``assess(...)`` with the symptom history, the confirmations and the sessions' start times, as
  the care controller and ``report`` call it;
* ``questions_due(...)`` and ``morning_after_due(...)``, which the window also asks before a
  session and every 15 minutes.

Prints the sizes, every figure for both histories and the difference (10 years - empty) next to
the 50 ms target. Figures only, no timing asserts.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from player.core.care import assess  # noqa: E402 - after the path set-up above
from player.core.history import (  # noqa: E402
    SYMPTOM_FIELDS,
    CareConfirmation,
    PainRating,
    SymptomAnswers,
)
from player.core.pain import morning_after_due  # noqa: E402
from player.core.symptoms import questions_due  # noqa: E402

ZONE = ZoneInfo("Europe/London")
TARGET_MS = 50.0
TOTAL_RATINGS = 15_000


class History:
    """What the rules are given: ratings, symptom answers, confirmations, session starts."""

    def __init__(self) -> None:
        self.ratings: list[PainRating] = []
        self.symptoms: list[SymptomAnswers] = []
        self.confirmations: list[CareConfirmation] = []
        self.starts: dict[int, datetime] = {}


def build(years: int, seed: int, now: datetime) -> History:
    """Ten years (by default) of daily use ending on *now*'s day."""
    rng = random.Random(seed)
    days = 365 * years
    first = (now - timedelta(days=days - 1)).date()
    history = History()
    pain = 3.0
    sessions: list[tuple[datetime, int]] = []
    for day in range(days):
        pain = min(9.0, max(0.0, pain + rng.uniform(-0.8, 0.8)))
        if rng.random() < 0.01:
            pain = min(9.0, pain + 4)  # a flare
        on = first + timedelta(days=day)
        started = datetime(on.year, on.month, on.day, 7, 0, tzinfo=ZONE) + timedelta(
            minutes=rng.randint(0, 12 * 60))
        sid = day + 1
        history.starts[sid] = started
        level = round(pain)
        history.ratings.append(PainRating(started, "before", level, session_id=sid))
        history.ratings.append(PainRating(started + timedelta(minutes=35), "after",
                                          min(10, max(0, level + rng.choice((-1, 0, 0, 1, 2)))),
                                          session_id=sid))
        sessions.append((started, sid))
        if rng.random() < 0.9 and day < days - 1:
            morning = datetime(on.year, on.month, on.day, 7, 30, tzinfo=ZONE) + timedelta(days=1)
            history.ratings.append(PainRating(
                morning, "morning_after", min(10, max(0, level + rng.choice((-1, 0, 1)))),
                session_id=sid))
        if day % 7 == 0:
            values = {name: False for name in SYMPTOM_FIELDS}
            history.symptoms.append(SymptomAnswers(started - timedelta(minutes=2), **values))
    checkins = TOTAL_RATINGS - len(history.ratings)
    # Up to two a day (midday and evening), on days chosen at random.
    for n, slot in enumerate(sorted(rng.sample(range(2 * days), max(0, checkins)))):
        on = first + timedelta(days=slot // 2)
        at = datetime(on.year, on.month, on.day, 13 if slot % 2 == 0 else 21, 0, tzinfo=ZONE)
        history.ratings.append(PainRating(at, "checkin", rng.randint(0, 8), note=f"#{n}"))
    for year in range(years):  # a red flag a year, answered and confirmed
        at = datetime(first.year + year, 6, 1, 12, 0, tzinfo=ZONE)
        history.symptoms.append(SymptomAnswers(at, fever=True))
        history.confirmations.append(CareConfirmation(at + timedelta(hours=2), "urgent_today",
                                                      "clinician_checked"))
    history.ratings.sort(key=lambda r: r.at)
    return history


Figures = tuple[float, float, float, float]


def timed(call: Callable[[], object], repeat: int) -> Figures:
    """(cold, median, p95, median CPU) in ms: the first call, then *repeat* calls after it.
    The CPU time (this process only) shows how much of the wall time a busy machine added."""
    start = time.perf_counter()
    call()
    cold = (time.perf_counter() - start) * 1000
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        runs.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    runs.sort()
    p95 = runs[min(len(runs) - 1, math.ceil(0.95 * len(runs)) - 1)]
    return cold, statistics.median(runs), p95, statistics.median(cpu)


def calls(history: History, now: datetime) -> dict[str, Callable[[], object]]:
    """The calls timed, by name."""
    return {
        "assess": lambda: assess(history.ratings, history.symptoms, now,
                                 confirmations=history.confirmations,
                                 session_starts=history.starts),
        "questions_due": lambda: questions_due(history.symptoms, history.ratings, now),
        "morning_after_due": lambda: morning_after_due(history.ratings, now, history.starts),
    }


def main(argv: list[str] | None = None) -> int:
    """Build both histories, time the calls on each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=31)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    now = datetime(2026, 11, 30, 20, 0, tzinfo=ZONE)
    full = build(args.years, args.seed, now)
    empty = History()
    contexts: dict[str, int] = {}
    for r in full.ratings:
        contexts[r.context] = contexts.get(r.context, 0) + 1
    print(f"history: {len(full.starts):,} sessions, {len(full.ratings):,} ratings "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(contexts.items()))}), "
          f"{len(full.symptoms):,} symptom records, {len(full.confirmations)} confirmations")
    advice = assess(full.ratings, full.symptoms, now, confirmations=full.confirmations,
                    session_starts=full.starts)
    print(f"advice on the {args.years}-year history: {advice.level} {list(advice.codes)}")
    print(f"{'call':<20} {'history':<10} {'cold':>8} {'median':>8} {'p95':>8} {'cpu':>8}   "
          f"(ms, {args.repeat} runs after the first; cpu: median process time)")
    results: dict[tuple[str, str], Figures] = {}
    for name in calls(full, now):
        # Alternate the two histories so drift in the machine's load hits both alike.
        for label, history in (("empty", empty), (f"{args.years} years", full)):
            results[(name, label)] = timed(calls(history, now)[name], args.repeat)
            cold, median, p95, cpu = results[(name, label)]
            print(f"{name:<20} {label:<10} {cold:8.2f} {median:8.2f} {p95:8.2f} {cpu:8.2f}")
    _, base, _, base_cpu = results[("assess", "empty")]
    _, big, big_p95, big_cpu = results[("assess", f"{args.years} years")]
    verdict = "within" if big <= TARGET_MS else "OVER"
    print(f"assess, {args.years} years: median {big:.1f} ms (p95 {big_p95:.1f}, cpu "
          f"{big_cpu:.1f}), empty {base:.2f} ms (cpu {base_cpu:.2f}), difference "
          f"{big - base:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
