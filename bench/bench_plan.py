"""Session plan operations on the longest bundled routine, in microseconds.

    .venv/bin/python bench/bench_plan.py [--runs 2000] [--week 1]

Loads every bundled routine with the bundled exercise library, picks the one whose timeline has
the most steps in ``--week`` (it prints which, and its step count), then times with
``time.perf_counter_ns``, one call at a time over ``--runs`` repetitions after a short warm-up:

* ``build_plan(routine, week)``: the whole timeline resolved into a plan;
* ``plan.with_easier_variant(position, easier)`` at the exercise step nearest the middle of the
  session whose exercise has an easier variant (the rest of that exercise is swapped);
* ``plan.resume(done, in_progress)`` from the middle: every step before the middle step done,
  the middle step half played (what a kill-and-resume rebuilds);
* the same resume re-applying the easier variant chosen before the interruption (what
  :func:`player.core.resume.check_resume` does for a session with a stored variant).

Prints the median and p95 of each, in microseconds. Loading the files is not timed. The cyclic
garbage collector stays on, as in the app, so a collection may land in the p95. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from player.core import bundled
from player.core.loader import load_library, load_routine
from player.core.plan import SessionPlan, StepProgress, build_plan
from player.core.routine import Exercise, Routine
from player.core.timeline import StepKind

WARM_UP = 50


def percentile(values: list[float], fraction: float) -> float:
    """The value at ``fraction`` (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_us(fn: Callable[[], object], runs: int) -> list[float]:
    """Microseconds taken by each of ``runs`` calls of ``fn`` (after a warm-up)."""
    for _ in range(WARM_UP):
        fn()
    times = []
    clock = time.perf_counter_ns
    for _ in range(runs):
        t0 = clock()
        fn()
        times.append((clock() - t0) / 1000)
    return times


def longest_routine(week: int) -> tuple[Routine, dict[str, Exercise], list[tuple[str, int]]]:
    """The bundled routine with the most timeline steps in ``week``, the exercises known to it
    (library and its own), and every routine's (file name, step count)."""
    library = load_library()
    counts: list[tuple[str, int]] = []
    best: Routine | None = None
    for path in bundled.bundled_routines():
        routine = load_routine(path, library).routine
        if routine is None:
            raise SystemExit(f"{path.name} does not load")
        steps = len(build_plan(routine, week))
        counts.append((path.name, steps))
        if best is None or steps > len(build_plan(best, week)):
            best = routine
    assert best is not None, "no bundled routines"
    known = {**library.exercises, **{e.id: e for e in best.exercises()}}
    return best, known, counts


def middle_exercise(plan: SessionPlan, known: dict[str, Exercise]) -> tuple[int, Exercise]:
    """The position of the exercise step with an easier variant nearest the plan's middle,
    and that variant."""
    middle = len(plan) // 2
    candidates = [s for s in plan.steps if s.kind is StepKind.EXERCISE and s.exercise is not None
                  and s.exercise.easier in known]
    if not candidates:
        raise SystemExit("the routine has no exercise with an easier variant")
    step = min(candidates, key=lambda s: (abs(s.index - middle), s.index))
    assert step.exercise is not None and step.exercise.easier is not None
    return step.index, known[step.exercise.easier]


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000,
                        help="timed repetitions of each operation (default 2000)")
    parser.add_argument("--week", type=int, default=1, help="programme week (default 1)")
    args = parser.parse_args()
    week = args.week

    routine, known, counts = longest_routine(week)
    plan = build_plan(routine, week)
    print("bundled routines (timeline steps in week "
          f"{week}): " + ", ".join(f"{name} {n}" for name, n in counts))
    path = routine.path.name if routine.path is not None else routine.title
    print(f"longest: {path} ({routine.title!r}), {len(plan)} steps, "
          f"{plan.timeline.total_seconds / 60:.1f} min planned, week {week}")

    position, easier = middle_exercise(plan, known)
    step = plan.step_at(position)
    easier_plan = plan.with_easier_variant(position, easier)
    swapped = sum(1 for a, b in zip(plan.steps, easier_plan.steps, strict=True)
                  if a.exercise is not b.exercise)
    print(f"easier variant at step {position + 1} of {len(plan)}: {step.name} "
          f"(set {step.set}, side {step.side}) -> {easier.name}, {swapped} steps swapped")

    middle = len(plan) // 2
    mid_step = plan.step_at(middle)
    elapsed = (mid_step.planned_seconds or 0.0) / 2
    done = list(range(middle))
    progress = StepProgress(mid_step.origin, elapsed)
    resumed = plan.resume(done, progress)
    print(f"resume from the middle: steps 1-{middle} done, step {middle + 1} "
          f"({mid_step.name}, {mid_step.kind.value}) {elapsed:.1f} s in; "
          f"carries on at step {resumed.start_at + 1} of {len(resumed)}")
    variant_done = list(range(position))
    variants = easier_plan.variants

    rows = [
        ("build_plan", time_us(lambda: build_plan(routine, week), args.runs)),
        ("easier variant (mid-session)",
         time_us(lambda: plan.with_easier_variant(position, easier), args.runs)),
        ("resume from the middle", time_us(lambda: plan.resume(done, progress), args.runs)),
        ("resume, re-applying the variant",
         time_us(lambda: plan.resume(variant_done, None, variants, known), args.runs)),
    ]
    print()
    print(f"{'operation':<34} {'median us':>10} {'p95 us':>10} {'max us':>10}   (n={args.runs})")
    for label, times in rows:
        print(f"{label:<34} {statistics.median(times):10.1f} {percentile(times, 0.95):10.1f} "
              f"{max(times):10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
