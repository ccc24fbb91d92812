"""Time and peak memory of ``validate`` (and ``history import``) on every hostile file.

    .venv/bin/python bench/bench_hostile.py [--only SUBSTRING] [--in-process]

For each routine in ``tests/fixtures/hostile/routines/`` and ``pictures/`` (and two made here:
a sparse 2 GiB file and a FIFO), one fresh process runs ``python -m player validate FILE``; for each diary in
``tests/fixtures/hostile/diaries/``, ``python -m player history import FILE`` into a new data
folder. Each command runs under its own small wrapper process, which prints the wall time of
the command and its peak resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of
the wrapper: only that one command is its child). A bundled routine is measured first, as the
baseline of a Python start with the app imported. Issue 11's figure is 5 s and 1 GiB for each
file; nothing here asserts it, it prints the numbers (the tests assert outcomes and bounded
work, a count of calls, never seconds).

``--in-process`` measures the same commands inside this one process instead (``cmd_validate``
and ``history import`` called directly, after a warm-up on the baseline): the wall time of each,
and in a second run the peak of the memory Python allocated for it (``tracemalloc``), without
the cost of starting Python, so the work the file itself causes stands out.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
BASELINE = ROOT / "player" / "content" / "routines" / "core-strength.yaml"

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, errors="replace")
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
first = (done.stdout or done.stderr).splitlines()[:1]
print(json.dumps({"code": done.returncode, "seconds": seconds, "peak_kib": peak_kib,
                  "first": first[0] if first else ""}))
"""


def measure(command: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run ``command`` under the wrapper; its exit code, seconds, peak KiB and first line."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True,
                         text=True, env=env, cwd=ROOT, check=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def measure_here(command: list[str]) -> dict[str, object]:
    """Run the app's ``command`` (arguments after ``python -m player``) in this process twice:
    timed alone, then under ``tracemalloc`` (which slows it) for the peak Python allocated. Its
    exit code, seconds, peak KiB and first line of output."""
    from contextlib import redirect_stderr, redirect_stdout

    from player.app import main as app_main

    def once() -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = app_main(command)
        first = (out.getvalue() or err.getvalue()).splitlines()[:1]
        return code, first[0] if first else ""

    start = time.perf_counter()
    code, first = once()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        once()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"code": code, "seconds": seconds, "peak_kib": peak // 1024, "first": first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="measure only files whose name has this")
    parser.add_argument("--in-process", action="store_true",
                        help="call the commands in this process (time and tracemalloc peak)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    player = [sys.executable, "-m", "player"]
    with tempfile.TemporaryDirectory() as tmp:
        env["ROUTINE_PLAYER_DATA_DIR"] = str(Path(tmp) / "data")
        big = Path(tmp) / "sparse-2-gib.yaml"
        with big.open("wb") as fh:
            fh.truncate(2 * 1024 ** 3)
        runs: list[tuple[str, int, list[str]]] = [
            ("(baseline) core-strength.yaml", BASELINE.stat().st_size,
             [*player, "validate", str(BASELINE)]),
            (big.name, big.stat().st_size, [*player, "validate", str(big)]),
        ]
        if hasattr(os, "mkfifo"):
            fifo = Path(tmp) / "fifo.yaml"
            os.mkfifo(fifo)
            runs.append((fifo.name, 0, [*player, "validate", str(fifo)]))
        for path in [*sorted((HOSTILE / "routines").glob("*.yaml")),
                     *sorted((HOSTILE / "pictures").glob("*.yaml"))]:
            runs.append((path.name, path.stat().st_size, [*player, "validate", str(path)]))
        for i, path in enumerate(sorted((HOSTILE / "diaries").glob("*.csv"))):
            data = str(Path(tmp) / f"diary-{i}")
            runs.append((path.name, path.stat().st_size,
                         [*player, "--data-dir", data, "history", "import", str(path)]))
        runs = [r for r in runs if args.only in r[0] or r[0].startswith("(baseline)")]
        run: Callable[[list[str]], dict[str, object]] = partial(measure, env=env)
        if args.in_process:
            os.environ.update(env)

            def run(command: list[str]) -> dict[str, object]:
                return measure_here(command[len(player):])

            run(runs[0][2])  # warm-up: imports and the exercise library read once
        peak = "py MiB" if args.in_process else "peak MiB"
        print(f"{'file':<36} {'bytes':>13} {'exit':>4} {'wall s':>7} {peak:>8}  first line")
        worst_s = worst_mib = 0.0
        for name, size, command in runs:
            r = run(command)
            seconds, mib = float(str(r["seconds"])), int(str(r["peak_kib"])) / 1024
            worst_s, worst_mib = max(worst_s, seconds), max(worst_mib, mib)
            first = str(r["first"]).split(": ", 1)[-1]
            print(f"{name:<36} {size:>13,} {r['code']:>4} {seconds:>7.2f} {mib:>8.1f}  "
                  f"{first[:70]}")
        how = "in this process" if args.in_process else "one process each"
        print(f"{len(runs)} runs ({how}); slowest {worst_s:.2f} s, largest peak {worst_mib:.1f} "
              "MiB (issue 11: at most 5 s and 1024 MiB each)")


if __name__ == "__main__":
    main()
