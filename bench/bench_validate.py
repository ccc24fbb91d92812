"""Validation cost against a bare parse with PyYAML's C loader, measured in the same run.

    .venv/bin/python bench/bench_validate.py [--files 1000] [--repeat 5]

First, what ``routine-player validate`` does (:func:`player.core.loader.validate_file`, the
library loaded once as the command does) on every bundled routine plus a generated routine of
1,000 steps, against reading the same files and ``yaml.load`` with ``CSafeLoader`` alone:
the ratio of the totals, target at most 2x. The 1,000-step routine is valid (it stays within
the loader's limits of 5,000 played steps and 8 hours), so every check and the building of the
model are timed, as for a real file.

Then (``--files 0`` skips it) the older figures: writes 1,000 routine files of ordinary size (3 blocks, 12 steps, metadata, own exercises) and
one of 300 steps (its holds and rests shortened, the same text otherwise, so that its session stays
within the loader's 8-hour limit) into a temporary folder, then times, per file, (a) reading + ``yaml.load`` with
``CSafeLoader`` and (b) reading + the full ``load_routine`` (safe event reading, schema checks,
references, media resolution, model building). Prints the medians of ``--repeat`` rounds and
the ratio b/a. Target: at most 2x.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # time this checkout's code, not an installed copy

from player.core import bundled  # noqa: E402 - after making the project importable
from player.core.loader import load_library, load_routine, validate_file  # noqa: E402

EXERCISES = ["plank", "side_plank", "glute_bridge", "bird_dog", "dead_bug", "leg_raise",
             "hamstring_stretch", "hip_flexor_stretch", "knee_to_chest", "cat_cow"]


def step_text(rng: random.Random) -> str:
    kind = rng.random()
    ex = rng.choice(EXERCISES)
    if kind < 0.4:
        return (f"      - exercise: {ex}\n        hold: {rng.choice(['20s', '30s', '45s', '1m'])}\n"
                f"        sets: {rng.randint(1, 3)}\n        sides: {rng.choice(['none', 'both'])}\n"
                "        progression: {week 3: {hold: 40s}}\n")
    if kind < 0.7:
        return (f"      - exercise: {ex}\n        reps: {rng.randint(5, 15)}\n"
                "        tempo: {up: 2s, hold: 3s, down: 2s}\n        sets: 2\n"
                "        rest_between_sets: 30s\n        note: Keep your back neutral.\n")
    if kind < 0.85:
        return f"      - exercise: {ex}\n        reps: {rng.randint(5, 12)}\n"
    return "      - rest: 1m\n        note: Breathe.\n"


def routine_text(rng: random.Random, steps: int) -> str:
    head = (
        "# yaml-language-server: $schema=routine.schema.json\n"
        "format: 1\ntitle: Generated routine\ndescription: A routine of ordinary size.\n"
        "author: A. Physio\nversion: 1.0\nwritten: 2026-11-01\nreview_by: 2027-11-01\n"
        "sources:\n  - NICE NG59 (2016, updated 2020)\n  - Qaseem et al., Ann Intern Med 2017\n"
        "schedule: {times_per_week: 3, weeks: 6}\ndefaults: {lead_in: 5s, rest_between_sets: 30s}\n"
        "pain_checks:\n  before: true\n  after: true\n  thresholds: {severe_level: 6}\n"
        "exercises:\n  wall_sit:\n    name: Wall sit\n    instructions:\n"
        "      - Back flat against the wall.\n      - Slide down until knees are at 90 degrees.\n"
        "    feel: Work in the front of the thighs.\n    cautions: [Stop if your knees hurt.]\n"
        "    easier: bodyweight_squat\nblocks:\n"
    )
    per_block = max(1, steps // 3)
    blocks = []
    for b in range(0, steps, per_block):
        body = "".join(step_text(rng) for _ in range(min(per_block, steps - b)))
        blocks.append(f"  - name: Block {b // per_block + 1}\n    steps:\n{body}")
    return head + "".join(blocks)


#: Shorter times for the 300-step file: as many values to read and check, a session of about 4 h
#: instead of 11 h (over player.core.limits.MAX_ROUTINE_SECONDS, so it would not load).
BRISK = {"hold: 20s": "hold: 5s", "hold: 30s": "hold: 6s", "hold: 45s": "hold: 8s",
         "hold: 1m\n": "hold: 9s\n", "hold: 40s": "hold: 9s", "rest: 1m": "rest: 9s",
         "tempo: {up: 2s, hold: 3s, down: 2s}": "tempo: {up: 1s, hold: 1s, down: 1s}",
         "rest_between_sets: 30s": "rest_between_sets: 9s"}


def brisk(text: str) -> str:
    """``text`` with the :data:`BRISK` replacements."""
    for old, new in BRISK.items():
        text = text.replace(old, new)
    return text


def thousand_steps(rng: random.Random, steps: int = 1000) -> str:
    """A valid routine of ``steps`` steps in 10 blocks: short holds, tempo reps, untimed reps,
    rests, sides and progressions, one set each, so that its session stays under 8 hours."""
    head = (
        "format: 1\ntitle: A thousand steps\nauthor: A. Physio\nwritten: 2026-11-01\n"
        "schedule: {times_per_week: 3, weeks: 6}\ndefaults: {lead_in: 5s, rest_after: 0s}\n"
        "blocks:\n")
    blocks = []
    per_block = steps // 10
    for b in range(10):
        body = []
        for _ in range(per_block):
            ex, kind = rng.choice(EXERCISES), rng.random()
            if kind < 0.35:
                body.append(f"      - exercise: {ex}\n        hold: {rng.choice(['5s', '8s'])}\n"
                            f"        sides: {rng.choice(['none', 'both'])}\n"
                            "        progression: {week 3: {hold: 10s}}\n")
            elif kind < 0.6:
                body.append(f"      - exercise: {ex}\n        reps: 3\n"
                            "        tempo: {up: 1s, hold: 1s, down: 1s}\n"
                            "        note: Keep your back neutral.\n")
            elif kind < 0.85:
                body.append(f"      - exercise: {ex}\n        reps: {rng.randint(2, 4)}\n")
            else:
                body.append("      - rest: 5 seconds\n")
        blocks.append(f"  - name: Block {b + 1}\n    steps:\n{''.join(body)}")
    return head + "".join(blocks)


def validate_figure(tmp: Path, repeat: int, rng: random.Random) -> None:
    """The issue's figure: validate on the bundled routines and a 1,000-step routine."""
    big = tmp / "thousand.yaml"
    big.write_text(thousand_steps(rng), encoding="utf-8")
    files = [*bundled.bundled_routines(), big]
    library = load_library()
    for path in files:
        problems = validate_file(path, library)
        assert not any(p.is_error for p in problems), (path, problems[:3])

    def bare(path: Path) -> None:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # noqa: S506

    def check(path: Path) -> None:
        validate_file(path, library)

    print(f"validate: {len(files) - 1} bundled routines + a 1,000-step routine "
          f"({big.stat().st_size / 1024:.0f} KiB); {repeat} rounds, each timing the bare parse "
          "and then validate on the same files; medians, and the median of the rounds' ratios")
    # The bundled routines are small: each round reads them 20 times, so that a round lasts
    # about as long as one of the big file and a moment's load on the machine weighs less.
    for label, group, times in (("all files", files, 1), ("bundled only", files[:-1], 20),
                                ("1,000 steps only", [big], 1)):
        bare_t, check_t = [], []
        for _ in range(repeat):  # interleaved, so both see the same load of the machine
            bare_t.append(time_total(group * times, bare) / times)
            check_t.append(time_total(group * times, check) / times)
        ratio = statistics.median(c / b for b, c in zip(bare_t, check_t, strict=True))
        print(f"  {label:>16}: bare CSafeLoader parse {statistics.median(bare_t) * 1000:7.2f} ms, "
              f"validate {statistics.median(check_t) * 1000:7.2f} ms, ratio {ratio:.2f}x "
              "(goal <= 2x)")


def time_total(paths: list[Path], action: Callable[[Path], None]) -> float:
    start = time.perf_counter()
    for path in paths:
        action(path)
    return time.perf_counter() - start


def time_per_file(paths: list[Path], action: Callable[[Path], None]) -> float:
    start = time.perf_counter()
    for path in paths:
        action(path)
    return (time.perf_counter() - start) / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000,
                        help="ordinary files for the older figures (0: skip them)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    library = load_library()
    with tempfile.TemporaryDirectory() as tmp:
        validate_figure(Path(tmp), args.repeat, random.Random(7))
        if args.files <= 0:
            return
        ordinary = []
        for i in range(args.files):
            path = Path(tmp) / f"routine_{i:04d}.yaml"
            path.write_text(routine_text(rng, 12), encoding="utf-8")
            ordinary.append(path)
        big = Path(tmp) / "big.yaml"
        big.write_text(brisk(routine_text(rng, 300)), encoding="utf-8")
        for p in ordinary[:3] + [big]:
            assert load_routine(p, library).routine is not None, p

        def bare(path: Path) -> None:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # noqa: S506

        def full(path: Path) -> None:
            load_routine(path, library)

        size = statistics.mean(p.stat().st_size for p in ordinary)
        print(f"ordinary files: {args.files}, mean {size / 1024:.1f} KiB; "
              f"300-step file: {big.stat().st_size / 1024:.1f} KiB; {args.repeat} rounds, medians")
        for label, paths in (("ordinary", ordinary), ("300 steps", [big] * 20)):
            bare_t, full_t = [], []
            for _ in range(args.repeat):
                bare_t.append(time_per_file(paths, bare))
                full_t.append(time_per_file(paths, full))
            b, f = statistics.median(bare_t), statistics.median(full_t)
            print(f"{label:>10}: bare CSafeLoader parse {b * 1000:7.3f} ms/file, "
                  f"validate+load {f * 1000:7.3f} ms/file, ratio {f / b:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
