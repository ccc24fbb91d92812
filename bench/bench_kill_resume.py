"""Kill -9 sweep: a session killed at random moments, then resumed from what the history kept.

    .venv/bin/python bench/bench_kill_resume.py [--runs 30] [--seed 9] [--tick 0.5]
        [--kill-on write|tick] [--moments 373,640.5,...]

Writes a small routine (week 3 doses differ from week 1's; sets, sides, an untimed set and a
12-minute ice step) into a temporary folder. For each of ``--runs`` random moments of its week-3
session (seeded, printed; or the ``--moments`` given), a child process (this file with
``--child``) opens a HistoryStore on its own data folder, builds the week-3 plan, starts a
SessionLog and plays the Qt-free SessionEngine on a fake clock, moved ``--tick`` seconds of
session time at a time as fast as it can: every StepFinished goes to
``SessionLog.on_step_finished`` and every tick to ``SessionLog.on_clock(step, elapsed)``, as the
app's recorder does. It confirms the ice barrier after 2 s and presses Done on an untimed set
after 3 s a repetition. From the moment's tick K on it prints, flushed each time, ``> k`` before
moving its clock to tick k, ``= k origin elapsed`` after the tick, and ``w k kind`` / ``W k``
just before and after each store write (record_step, record_progress). It runs at a lower
priority (nice 10) so that the parent wakes at once.

The parent sends SIGKILL as soon as it reads the first ``w`` line (``--kill-on write``, the
default: the kill lands in, or just after, a store write) or ``> K`` (``--kill-on tick``), then
reads what the child printed before dying: its clock reached at most the last announced tick
and at least the last finished one. The same play is simulated in the parent (no store: the
play is deterministic), which says what was really done by either tick; the child's ``=``
lines are checked against it. The parent then reopens the store, finds the interrupted session,
calls ``check_resume`` with it and its recorded step origins, and checks:

* the store opens cleanly, with one interrupted session whose recorded steps are exactly the
  first n routine steps, all completed, n between the steps finished by the two ticks;
* the resumed plan has week 3's doses: every step from its start equals build_plan(routine, 3)'s
  step of the same origin (the first one may only be shortened by what was played);
* its first step is the right one: the step after the last recorded one (the lead-in is never
  replayed) which, with the count check, is the step in progress at the kill or the one whose
  end the kill beat the write of (an ice step whose whole length was recorded is passed over);
* for the ice: what was applied before the kill (by the last announced tick, the upper bound)
  plus what the resumed plan gives is at most 20 minutes and at most the ice step's length.

It prints one line a run and a summary: runs, all-ok count, the largest ice total, the most
ice dropped, the most time re-done after a resume (played before the kill and played again:
timed steps, and untimed sets, which start over), and how far past its moment each kill landed.
It exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from player.core.clinical import ICE_MAX_SECONDS
from player.core.engine import (
    EngineEvent,
    EngineState,
    SessionEngine,
    StepFinished,
    StepStarted,
)
from player.core.history import routine_file_hash
from player.core.loader import Library, load_library, load_routine
from player.core.plan import SessionPlan, build_plan
from player.core.resume import ALL_DONE, check_resume
from player.core.routine import Routine
from player.core.timeline import StepKind, TimelineStep

WEEK = 3
T0 = 1000.0  # the fake monotonic clock at the session's start
STARTED = datetime(2026, 11, 23, 7, 30, tzinfo=timezone(timedelta(hours=1)))
BARRIER_DELAY = 2.0  # seconds the child waits before confirming the cloth barrier
DONE_PER_REP = 3.0  # seconds a repetition before the child presses Done on an untimed set
CHILD_TIMEOUT = 60.0
CHILD_NICENESS = 10

ROUTINE = """\
format: 1
title: Kill sweep
schedule: {times_per_week: 3, weeks: 6}
defaults: {lead_in: 5s, rest_between_sets: 10s, rest_after: 5s, switch_time: 3s}
pain_checks: {before: false, after: false}
blocks:
  - name: Strength
    steps:
      - exercise: glute_bridge
        sets: 2
        reps: 6
        tempo: {up: 1s, hold: 2s, down: 1s}
        progression:
          week 3: {reps: 8}
      - exercise: side_plank
        sides: both
        sets: 2
        hold: 15s
        progression:
          week 2: {hold: 20s}
          week 3: {hold: 25s}
      - exercise: dead_bug
        reps: 6
        progression:
          week 3: {sets: 2}
      - exercise: plank
        sets: 2
        hold: 20s
        progression:
          week 3: {hold: 30s, sets: 3}
  - name: Recovery
    steps:
      - ice: 12m
        note: Thin damp cloth between the pack and your skin.
      - exercise: knee_to_chest
        sides: both
        hold: 20s
        rest_after: 0s
"""


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.time = T0

    def now(self) -> float:
        """The fake monotonic time, in seconds."""
        return self.time


@dataclass(frozen=True)
class Snapshot:
    """What the play had reached after a tick."""

    origin: int | None  # the step in play (None once finished)
    elapsed: float  # its timer (0 while the ice waits for the barrier)
    finished: int  # routine steps finished so far (they are finished in order)
    ice_applied: float  # seconds of ice applied so far


class Player:
    """Plays a plan on a fake clock the way the child does; with a SessionLog when given one."""

    def __init__(self, plan: SessionPlan, tick: float,
                 on_step_finished: Callable[[StepFinished], object] | None = None,
                 on_clock: Callable[[TimelineStep, float], object] | None = None) -> None:
        self.plan, self.tick_seconds = plan, tick
        self.clock = FakeClock()
        self.engine = SessionEngine(plan.timeline, self.clock)
        self.entered = T0
        self.finished = 0
        self.actuals: list[float] = []  # each finished step's timer time, in order
        self.ice_done = 0.0
        self.on_step_finished, self.on_clock = on_step_finished, on_clock
        self.engine.subscribe(self._on_event)

    def _on_event(self, event: EngineEvent) -> None:
        if isinstance(event, StepStarted):
            self.entered = event.at
        elif isinstance(event, StepFinished):
            self.finished += 1
            self.actuals.append(event.actual_seconds)
            if event.step.kind is StepKind.ICE:
                self.ice_done += event.actual_seconds
            if self.on_step_finished is not None:
                self.on_step_finished(event)

    @property
    def over(self) -> bool:
        """True once the session has ended."""
        return self.engine.state in (EngineState.FINISHED, EngineState.STOPPED)

    def start(self) -> None:
        """Start the session (at its first step)."""
        self.engine.start(self.plan.start_at)

    def move_clock(self, k: int) -> None:
        """Move the clock to tick ``k``."""
        self.clock.time = T0 + k * self.tick_seconds

    def play_tick(self) -> None:
        """What the app does when it wakes: the engine catches up, the person acts, the
        recorder saves how far the step has got."""
        engine = self.engine
        engine.tick()
        now = self.clock.time
        step, state = engine.current, engine.state
        if state is EngineState.AWAITING_CONFIRMATION and now - self.entered >= BARRIER_DELAY:
            engine.confirm_barrier()
        elif state is EngineState.AWAITING_DONE and step is not None and \
                now - self.entered >= (step.reps or 1) * DONE_PER_REP:
            engine.done()
        step = engine.current
        if self.on_clock is not None and step is not None:
            self.on_clock(step, engine.elapsed_in_step())

    def snapshot(self) -> Snapshot:
        """Where the play is now."""
        step = self.engine.current
        elapsed = self.engine.elapsed_in_step()
        ice = self.ice_done + (elapsed if step is not None and step.kind is StepKind.ICE else 0)
        return Snapshot(None if step is None else step.origin, elapsed, self.finished, ice)


@dataclass(frozen=True)
class Truth:
    """What the play really did: ``snapshots[k]`` after tick k (0: the start) to its end, and
    each step's timer time (``actuals[origin]``)."""

    snapshots: list[Snapshot]
    actuals: list[float]


def simulate(plan: SessionPlan, tick: float) -> Truth:
    """The play, tick by tick, as the child plays it (without a store)."""
    player = Player(plan, tick)
    player.start()
    snapshots = [player.snapshot()]
    k = 0
    while not player.over:
        k += 1
        player.move_clock(k)
        player.play_tick()
        snapshots.append(player.snapshot())
    return Truth(snapshots, player.actuals)


def load(path: Path, library: Library) -> Routine:
    """The routine in ``path`` (it must load)."""
    result = load_routine(path, library)
    if result.routine is None:
        raise SystemExit(f"{path} does not load: {[str(p) for p in result.errors]}")
    return result.routine


# --- The child --------------------------------------------------------------------------------
def child(data_dir: Path, routine_path: Path, tick: float, report_from: int) -> int:
    """Play the week-3 session of ``routine_path`` into a history in ``data_dir``, reporting
    every tick and every store write from tick ``report_from`` on, on stdout; at the end, wait
    (on stdin) to be killed before recording the session's end."""
    from player.store.history import HistoryStore
    from player.store.session_log import SessionLog

    out = sys.stdout
    routine = load(routine_path, load_library())
    plan = build_plan(routine, WEEK)
    store = HistoryStore.open(data_dir)
    player = Player(plan, tick)
    log = SessionLog(store, lambda: STARTED + timedelta(seconds=player.clock.time - T0))
    player.on_step_finished, player.on_clock = log.on_step_finished, log.on_clock
    session_id = log.begin(plan, thresholds=routine.pain_checks.thresholds,
                           file_hash=routine_file_hash(routine_path.read_bytes()))
    k = 0

    def announced(name: str, write: Callable[..., None]) -> Callable[..., None]:
        def call(*args: object, **kwargs: object) -> None:
            if k >= report_from:
                out.write(f"w {k} {name}\n")
                out.flush()
            write(*args, **kwargs)
            if k >= report_from:
                out.write(f"W {k}\n")
                out.flush()
        return call

    # SessionLog writes through these two while a session plays: say when each starts, ends.
    store.record_step = announced("step", store.record_step)  # type: ignore[method-assign]
    store.record_progress = announced(  # type: ignore[method-assign]
        "progress", store.record_progress)
    out.write(f"S {session_id}\n")
    out.flush()
    player.start()
    while not player.over:
        k += 1
        report = k >= report_from
        if report:
            out.write(f"> {k}\n")
            out.flush()
        player.move_clock(k)
        player.play_tick()
        if report:
            step = player.engine.current
            out.write(f"= {k} {-1 if step is None else step.origin} "
                      f"{player.engine.elapsed_in_step():.3f}\n")
            out.flush()
    out.write("END\n")
    out.flush()
    sys.stdin.read()  # killed here if the kill came after the last tick
    log.finish("end")
    return 0


# --- The parent -------------------------------------------------------------------------------
@dataclass
class RunResult:
    """One kill and its resume."""

    run: int
    moment: float
    kill_tick: int
    lo: int  # last tick the child finished
    hi: int  # last tick it announced (its clock reached at most this)
    where: str
    in_tick: bool  # killed between "> k" and "= k"
    in_write: str  # the store write it was killed in ("w" without its "W"), or ""
    problems: list[str] = field(default_factory=list)
    resumed_at: str = ""
    ice_total: float = 0.0
    redone_timed: float = 0.0
    redone_untimed: float = 0.0
    ice_dropped: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return not self.problems


def _lower_priority() -> None:
    """In the child: give way to the parent, so that it wakes and kills without delay."""
    os.nice(CHILD_NICENESS)


def kill_at(routine_path: Path, data_dir: Path, tick: float, kill_tick: int,
            on_write: bool) -> tuple[list[str], int, bool]:
    """Start a child and SIGKILL it as soon as it announces ``kill_tick`` or, ``on_write``,
    the first store write from that tick on; returns its output lines, its return code and
    whether it was killed on that cue (not on a timeout or after finishing)."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", "--data-dir", str(data_dir),
         "--routine", str(routine_path), "--tick", str(tick), "--report-from", str(kill_tick)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=_lower_priority)
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    on_cue = False
    deadline = time.monotonic() + CHILD_TIMEOUT
    target = f"> {kill_tick}\n".encode()
    try:
        for raw in proc.stdout:
            if raw.startswith(b"w ") if on_write else raw == target:
                os.kill(proc.pid, signal.SIGKILL)
                on_cue = True
            lines.append(raw.decode())
            if on_cue or raw == b"END\n" or time.monotonic() > deadline:
                break
        else:
            raise RuntimeError(f"the child ended by itself ({proc.wait(10)}): "
                               + proc.stderr.read().decode())
        if not on_cue:
            proc.kill()  # finished or too slow: the run fails
        lines += [raw.decode() for raw in proc.stdout]  # what it wrote before dying
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    return lines, proc.returncode, on_cue


def step_name(step: TimelineStep) -> str:
    """A short description of ``step``."""
    side = f" {step.side}" if step.side else ""
    sets = f" set {step.set}/{step.sets}" if step.sets and step.sets > 1 else ""
    return f"{step.origin}:{step.name}{side}{sets}"


def check_run(run: int, moment: float, kill_tick: int, lines: list[str], returncode: int,
              on_cue: bool, data_dir: Path, routine: Routine, library: Library, plan: SessionPlan,
              truth: Truth) -> RunResult:
    """Reopen the store after a kill and check the resume (see the module docstring)."""
    from player.store.history import HistoryStore

    announced = [int(line.split()[1]) for line in lines if line.startswith(">")]
    finished = [int(line.split()[1]) for line in lines if line.startswith("=")]
    hi = max(announced, default=0)
    lo = max(finished, default=kill_tick - 1)  # it finished the tick before it announced
    snapshots = truth.snapshots
    at = snapshots[min(hi, len(snapshots) - 1)]
    where = "end" if at.origin is None else step_name(plan.steps[at.origin])
    writes = [line for line in lines if line[0] in "wW"]
    in_write = writes[-1].split()[2] if writes and writes[-1].startswith("w") else ""
    result = RunResult(run, moment, kill_tick, lo, hi, where, hi > lo, in_write)
    problems = result.problems
    if returncode != -signal.SIGKILL:
        problems.append(f"child ended with {returncode}, not killed by SIGKILL")
    if not on_cue:
        problems.append("the child was not killed at its moment (it finished, or timed out)")
    for line in lines:  # the child played what the parent simulated
        if line.startswith("="):
            _, k, origin, elapsed = line.split()
            snap = snapshots[int(k)]
            if int(origin) != (-1 if snap.origin is None else snap.origin) or \
                    abs(float(elapsed) - snap.elapsed) > 1e-3:
                problems.append(f"child and simulation differ at tick {k}: {line.strip()}")
                break
    if problems:
        return result

    with HistoryStore.open(data_dir) as store:
        if store.notices:
            problems.append(f"store notices on reopening: {store.notices}")
        interrupted = store.interrupted_sessions()
        if len(interrupted) != 1:
            problems.append(f"{len(interrupted)} interrupted sessions, not 1")
            return result
        session = interrupted[0]
        recorded = store.steps(session.id)
    origins = [s.step_index for s in recorded]
    n = len(origins)
    lo_snap, hi_snap = snapshots[lo], snapshots[min(hi, len(snapshots) - 1)]
    if origins != list(range(n)) or any(s.status != "completed" for s in recorded):
        problems.append(f"recorded steps are not the first {n} completed: {origins}")
    if not lo_snap.finished <= n <= hi_snap.finished:
        problems.append(f"{n} steps recorded, but {lo_snap.finished}-{hi_snap.finished} "
                        "were finished by the kill")
    if session.week != WEEK:
        problems.append(f"stored week {session.week}, not {WEEK}")

    check = check_resume(session, origins, [], library, dict(library.exercises))
    fresh = build_plan(routine, WEEK)
    ice_step = next(s for s in fresh.steps if s.kind is StepKind.ICE)
    ice_length = ice_step.duration_seconds or 0.0
    cap = min(float(ICE_MAX_SECONDS), ice_length)
    played = dict(enumerate(truth.actuals[:hi_snap.finished]))
    if hi_snap.origin is not None:
        played[hi_snap.origin] = hi_snap.elapsed
    if check.plan is None:
        if check.problem != ALL_DONE or n != len(fresh):
            problems.append(f"cannot resume: {check.problem}")
        result.resumed_at = "(nothing left)"
        result.ice_total = hi_snap.ice_applied
        if result.ice_total > cap + 1e-9:
            problems.append(f"ice {result.ice_total:.1f} s > {cap:.0f} s")
        return result

    resumed = check.plan
    first = resumed.steps[resumed.start_at]
    result.resumed_at = step_name(first) + (
        f" ({first.duration_seconds:.1f} s left)" if first.done_before else "")
    if resumed.week != WEEK or len(resumed) != len(fresh):
        problems.append(f"resumed plan: week {resumed.week}, {len(resumed)} steps; expected "
                        f"week {WEEK}, {len(fresh)} steps")
        return result
    # Week 3's doses, step by step from where it carries on.
    for step in resumed.steps[resumed.start_at:]:
        want = fresh.steps[step.origin]
        same = (step.name, step.kind, step.reps, step.sets, step.set, step.side,
                step.exercise) == (want.name, want.kind, want.reps, want.sets, want.set,
                                   want.side, want.exercise)
        if step.duration_seconds is None or want.duration_seconds is None:
            same = same and step.duration_seconds == want.duration_seconds
        elif step is first:
            same = same and abs(step.duration_seconds + step.done_before
                                - want.duration_seconds) < 1e-9
        else:
            same = same and step.duration_seconds == want.duration_seconds \
                and step.done_before == 0
        if not same:
            problems.append(f"resumed step {step_name(step)} is not week {WEEK}'s "
                            f"{step_name(want)} ({step.duration_seconds} s vs "
                            f"{want.duration_seconds} s)")
            break
    # The right next step: the one after the last recorded (the lead-in is never replayed).
    # With the count check above, it is the step in play at the kill, or the one whose end the
    # kill beat the write of; an ice step whose whole length was already recorded is passed.
    expected = n + 1 if fresh.steps[min(n, len(fresh) - 1)].kind is StepKind.LEAD_IN else n
    skipped_ice = (first.origin == expected + 1 and fresh.steps[expected].kind is StepKind.ICE
                   and session.current_step == expected
                   and session.current_elapsed >= ice_length)
    if first.origin != expected and not skipped_ice:
        problems.append(f"resumed at {step_name(first)}, expected step origin {expected}")
    # Ice: applied before the kill (upper bound) + what the resumed plan gives.
    resumed_ice = sum(s.duration_seconds or 0.0 for s in resumed.steps[resumed.start_at:]
                      if s.kind is StepKind.ICE)
    result.ice_total = hi_snap.ice_applied + resumed_ice
    result.ice_dropped = max(0.0, ice_length - result.ice_total)
    if result.ice_total > cap + 1e-9:
        problems.append(f"ice applied {hi_snap.ice_applied:.1f} s + resumed {resumed_ice:.1f} s"
                        f" = {result.ice_total:.1f} s > {cap:.0f} s")
    # Time re-done: played before the kill and played again after the resume.
    for step in resumed.steps[resumed.start_at:]:
        before = played.get(step.origin, 0.0)
        if before <= 0 or step.kind is StepKind.ICE:
            continue
        if step.duration_seconds is None:
            result.redone_untimed = max(result.redone_untimed, before)
        else:
            full = fresh.steps[step.origin].duration_seconds or 0.0
            result.redone_timed = max(result.redone_timed,
                                      before + step.duration_seconds - full)
    return result


@dataclass
class Sweep:
    """Every run's result, with the set-up it ran on."""

    seed: int
    session_seconds: float
    ice_length: float
    results: list[RunResult]
    seconds: float
    tick: float

    @property
    def all_ok(self) -> int:
        """How many runs passed every check."""
        return sum(r.ok for r in self.results)


def sweep(runs: int = 30, seed: int = 9, tick: float = 0.5, on_write: bool = True,
          report: Callable[[str], object] = print,
          moments: list[float] | None = None) -> Sweep:
    """Kill ``runs`` children at random moments of the session (``on_write``: at the first
    store write from that moment) and check each resume."""
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-kill-") as tmp:
        folder = Path(tmp)
        routine_path = folder / "kill-sweep.yaml"
        routine_path.write_text(ROUTINE, encoding="utf-8")
        library = load_library()
        routine = load(routine_path, library)
        plan = build_plan(routine, WEEK)
        week1 = build_plan(routine, 1)
        if [s.duration_seconds for s in week1.steps] == [s.duration_seconds for s in plan.steps]:
            raise SystemExit("week 3 has the same doses as week 1: the routine is wrong")
        truth = simulate(plan, tick)
        ticks = len(truth.snapshots) - 1
        session_seconds = ticks * tick
        ice = next(s for s in plan.steps if s.kind is StepKind.ICE)
        ice_enters = next(k for k, snap in enumerate(truth.snapshots) if snap.origin == ice.origin)
        report(f"routine: {len(week1)} steps in week 1, {len(plan)} in week {WEEK}; the week-"
               f"{WEEK} session plays {session_seconds:.1f} s ({ticks} ticks of "
               f"{tick} s); ice {ice.duration_seconds:.0f} s at step {ice.origin}, entered at "
               f"{ice_enters * tick:.1f} s, its timer from "
               f"{ice_enters * tick + BARRIER_DELAY:.1f} s (barrier confirmed)")
        if moments is None:
            rng = random.Random(seed)
            moments = sorted(round(rng.uniform(tick, session_seconds - tick), 1)
                             for _ in range(runs))
            report(f"seed {seed}: moments (s) {', '.join(f'{m:.1f}' for m in moments)}")
        else:
            report(f"moments given (s): {', '.join(f'{m:.1f}' for m in moments)}")
        results = []
        for i, moment in enumerate(moments, 1):
            data_dir = folder / f"data-{i}"
            kill_tick = max(1, int(moment / tick))
            lines, returncode, on_cue = kill_at(routine_path, data_dir, tick, kill_tick,
                                                on_write)
            result = check_run(i, moment, kill_tick, lines, returncode, on_cue, data_dir,
                               routine, library, plan, truth)
            results.append(result)
            report(f"{i:3d} kill {moment:7.1f} s: reached {result.lo * tick:7.1f}-"
                   f"{result.hi * tick:7.1f} s"
                   f" {'in ' + result.in_write + ' write' if result.in_write else '':<17}"
                   f" in {result.where:<26} resumed at {result.resumed_at:<38}"
                   f" ice {result.ice_total:6.1f} s  "
                   + ("ok" if result.ok else "FAIL: " + "; ".join(result.problems)))
    return Sweep(seed, session_seconds, ice.duration_seconds or 0.0, results,
                 time.perf_counter() - began, tick)


def summary(result: Sweep) -> str:
    """The sweep's figures in a few lines."""
    rs = result.results
    in_ice = sum(1 for r in rs if ":Ice" in r.where)
    return "\n".join([
        f"runs: {len(rs)} (seed {result.seed}; {in_ice} killed during the ice step, "
        f"{sum(r.in_tick for r in rs)} inside a tick, {sum(bool(r.in_write) for r in rs)} "
        "inside a store write call)",
        f"all ok: {result.all_ok} of {len(rs)}",
        "session time reached at the kill, past the chosen moment: median "
        f"{statistics.median(r.hi * result.tick - r.moment for r in rs):.1f} s, max "
        f"{max(r.hi * result.tick - r.moment for r in rs):.1f} s",
        f"max ice total (applied before the kill + resumed): "
        f"{max((r.ice_total for r in rs), default=0):.1f} s (limit "
        f"{min(ICE_MAX_SECONDS, result.ice_length):.0f} s); most ice dropped: "
        f"{max((r.ice_dropped for r in rs), default=0):.1f} s",
        f"max re-done after resume: timed steps {max((r.redone_timed for r in rs), default=0):.1f}"
        f" s, untimed sets {max((r.redone_untimed for r in rs), default=0):.1f} s",
        f"sweep took {result.seconds:.1f} s",
    ])


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="kills (default 30)")
    parser.add_argument("--seed", type=int, default=9, help="random seed (default 9)")
    parser.add_argument("--tick", type=float, default=0.5,
                        help="seconds of session time a tick (default 0.5)")
    parser.add_argument("--kill-on", choices=("write", "tick"), default="write",
                        help="kill at the first store write from the moment (default), or at "
                        "the moment's tick")
    parser.add_argument("--moments", type=lambda text: [float(m) for m in text.split(",")],
                        help="comma-separated moments (s of session time) instead of random "
                        "ones, to reproduce a run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--routine", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report-from", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.data_dir, args.routine, args.tick, args.report_from)
    result = sweep(args.runs, args.seed, args.tick, args.kill_on == "write",
                   moments=args.moments)
    print(summary(result))
    return 0 if result.all_ok == len(result.results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
