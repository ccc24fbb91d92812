"""What the app costs while it waits in the tray: CPU and wake-ups with the window closed.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_idle_tray.py [--minutes 10]

Runs two child processes side by side for ``--minutes``, each measuring itself after a
10-second settle:

* ``bare``: a bare QApplication running its event loop (the baseline);
* ``app``: the whole app as ``run_gui`` builds it (single-instance server, audio output,
  history, care and week features) with reminders on for a routine due later today, the
  morning check and the tray, then its window closed once start-up is complete, so it waits
  in the tray (with ``--in-tray``, started in the tray as the autostart entry starts it).

For each it prints the CPU time from ``/proc/self/stat`` (user + system, in clock ticks of
10 ms) as a percentage of one core, the same from ``time.process_time`` (nanoseconds, for
figures under a tick), and the wake-ups two ways:

* **wake episodes**, how often the process wakes: this parent reads every thread's
  ``voluntary_ctxt_switches`` in ``/proc/PID/task/*/status`` of both children every
  :data:`SAMPLE_SECONDS`, from outside (reading them does not wake the child), and changes
  closer than :data:`EPISODE_GAP_SECONDS` apart, in any thread, are one episode: one wake of
  the process, however many threads it takes along. Printed: episodes, a minute, the shortest
  gap between two, and the app's episodes one by one (when, which threads, and which are an
  idle-time question). The episodes the measurement's own start and end make (the timers
  that start and end it, in both children) are not counted;
* **switches**: the voluntary context switches summed over the threads (each wake costs one
  or more), as the child counts them from ``/proc/self/task/*`` at the start and end, per
  thread.

Goals: the app <= 0.5 % of one core, and no more than one wake a minute above the bare
baseline, never two closer than a minute apart except for one-off events: the gaps are judged
over the whole run and from :data:`SETTLED_AFTER_SECONDS` on, when start-up's one-offs are
over (``--name-timers`` names the timers behind each episode). The offscreen platform has no
real tray; the tray is taken as available (as the tests do), so the icon and its menu are
built, and what would talk to a panel is not measured.

Sitting breaks are on too, with a private session bus (``tests/private_bus.py``) serving a fake
GNOME idle monitor (``tests/integration/dbus_child/fake_idle_monitor.py``) to both children; the
app's next break is put due :data:`BREAK_AFTER_SECONDS` into the measurement (the app wakes for
it on the whole minute after, and asks the desktop's idle time then: once a break). The app's
first question, which connects to the bus, comes 5 s after its start, in the settle. The
questions are counted, with when they came and the switches each cost, measured around the call.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SETTLE_SECONDS = 10
CPU_GOAL_PERCENT = 0.5
WAKE_GOAL_PER_MINUTE = 1.0
#: The shortest time between two wakes the goal allows (one-off events aside): a minute, less
#: a second for a timer's own slack (one that wakes every minute is within the goal).
WAKE_GOAL_GAP_SECONDS = 59.0
#: How often this parent reads the children's switch counts.
SAMPLE_SECONDS = 0.025
#: Changes closer than this are one wake episode.
EPISODE_GAP_SECONDS = 0.2
#: Where the app's sitting break falls in the measurement (its idle-time question).
BREAK_AFTER_SECONDS = 300
#: Start-up leaves one-off wakes behind for a while (the end of a start-up message's 30 s):
#: the goal's gaps are also judged from here on.
SETTLED_AFTER_SECONDS = 120


def cpu_seconds() -> float:
    """User + system CPU of this process so far, from /proc/self/stat."""
    with open("/proc/self/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_switches() -> dict[str, int]:
    """Voluntary context switches of each thread (``name/tid``) of this process."""
    out = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            status = (task / "status").read_text()
        except OSError:
            continue  # the thread ended meanwhile
        for line in status.splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                out[f"{name}/{task.name}"] = int(line.split()[1])
    return out


def measure(seconds: float) -> dict[str, object]:
    """Run the event loop for ``seconds`` after the settle; CPU and switches over that time,
    and the measurement's start and end on the monotonic clock (shared with the parent)."""
    from PySide6.QtCore import QEventLoop, QTimer

    def run_for(s: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(round(s * 1000), loop.quit)
        loop.exec()

    run_for(SETTLE_SECONDS)
    cpu0, fine0, wall0 = cpu_seconds(), time.process_time(), time.monotonic()
    before = thread_switches()
    run_for(seconds)
    cpu1, fine1, wall1 = cpu_seconds(), time.process_time(), time.monotonic()
    after = thread_switches()
    threads = {name: after[name] - before.get(name, 0) for name in after}
    return {"cpu": cpu1 - cpu0, "cpu_fine": fine1 - fine0, "wall": wall1 - wall0,
            "threads": threads, "window": [wall0, wall1]}


def child_bare(seconds: float) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    result = measure(seconds)
    del app
    return result


class TimerNames:
    """Notes each timer event the GUI thread's objects get, with its receiver's class and its
    parents' (``--name-timers``: an event filter on the application, which costs a little
    CPU for every event, so the figures are taken without it)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.fired: list[tuple[float, str]] = []
        fired = self.fired

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Timer:
                    names = []
                    obj: QObject | None = watched
                    while obj is not None and len(names) < 3:
                        names.append(obj.metaObject().className()
                                     + (f"({obj.objectName()})" if obj.objectName() else ""))
                        obj = obj.parent()
                    fired.append((time.monotonic(), " < ".join(names)))
                return False

        self.filter = Filter()


def child_app(seconds: float, data_dir: Path, name_timers: bool,
              in_tray: bool) -> dict[str, object]:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from player.core.breaks import SittingClock
    from player.core.bundled import ROUTINES_DIR
    from player.core.reminders import ReminderSettings, RoutineReminder
    from player.settings import Settings, save_settings
    from player.ui.application import (
        build_app,
        identify_application,
        playsound_output,
        show_window,
        start_in_tray,
    )
    from player.ui.controllers.reminders import Tray
    from player.ui.controllers.single_instance import claim_or_hand_over

    later = (datetime.now() + timedelta(hours=3)).time().replace(second=0, microsecond=0)
    settings = Settings(notice_accepted=True)
    settings.set_reminders(ReminderSettings(
        enabled=True, sitting_breaks=True,
        routines=(RoutineReminder(str(ROUTINES_DIR / "flare-up-day.yaml"), "Flare-up day",
                                  (later,)),)))
    save_settings(data_dir / "settings.json", settings)
    Tray.available = staticmethod(lambda: True)  # type: ignore[method-assign]
    qapp = QApplication(sys.argv[:1])
    names = TimerNames() if name_timers else None
    if names is not None:
        qapp.installEventFilter(names.filter)
    identify_application(qapp)
    instance = claim_or_hand_over(data_dir)
    assert instance is not None
    app = build_app(qapp, data_dir, playsound_output)
    if in_tray:
        start_in_tray(app)  # as the autostart entry starts it: the window never shown
    else:
        show_window(app)
    # Closed once start-up is complete (the routines checked, the audio output made) and the
    # window has been seen for a second: closed earlier, the start-up work still to come
    # fills Qt's pixmap cache, whose flush timer then wakes the app at 30 and 60 s.
    deadline = time.monotonic() + 30
    seen_until: float | None = None
    while time.monotonic() < deadline and (seen_until is None or time.monotonic() < seen_until):
        QCoreApplication.processEvents()
        time.sleep(0.02)
        if seen_until is None and app.ready and app.audio is not None:
            seen_until = time.monotonic() + 1
    assert app.week is not None and app.week.tray is not None, "no tray: reminders not on"
    if not in_tray:
        app.window.close()
    assert not app.window.isVisible(), "closing the window did not keep the app in the tray"
    week = app.week
    probe = week.idle
    asked: list[tuple[float, float]] = []
    costs: list[int] = []

    class Counted:
        def idle_time(self) -> timedelta | None:
            before = sum(thread_switches().values())
            start = time.monotonic()
            answer = probe.idle_time()
            asked.append((start, time.monotonic()))
            costs.append(sum(thread_switches().values()) - before)
            return answer

    week.idle = Counted()
    # The break BREAK_AFTER_SECONDS into the measurement.
    assert week.sitting is not None
    week.sitting = SittingClock(week._now() - week.sitting.interval  # noqa: SLF001
                                + timedelta(seconds=SETTLE_SECONDS + BREAK_AFTER_SECONDS))
    week._arm_break()  # noqa: SLF001
    result = measure(seconds)
    result["next_reminder_wait_ms"] = app.week.timer.wait_ms
    result["idle_asked"] = asked
    result["idle_known"] = week.idle_known
    result["idle_costs"] = costs
    result["timers"] = [] if names is None else names.fired
    if app.audio is not None:
        app.audio.close()
    if app.care is not None:
        app.care.close()
    return result


class OutsideSampler:
    """Reads the voluntary switch count of every thread of process ``pid`` from outside.

    Each :meth:`sample` that sees a count grow records ``(seen_after, seen_at, {thread:
    switches})``: the changes happened between the previous sample and this one. The first
    sample is the starting point, not a change.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.changes: list[tuple[float, float, dict[str, int]]] = []
        self._files: dict[str, int] = {}
        self._names: dict[str, str] = {}
        self._last: dict[str, int] = {}
        self._previous: float | None = None

    def _count(self, tid: str) -> int:
        fd = self._files.get(tid)
        if fd is None:
            fd = self._files[tid] = os.open(f"/proc/{self.pid}/task/{tid}/status", os.O_RDONLY)
        data = os.pread(fd, 4096, 0)
        key = b"voluntary_ctxt_switches:"
        at = data.index(key) + len(key)
        return int(data[at:data.index(b"\n", at)])

    def sample(self) -> None:
        """Read every thread's count once (threads that ended are skipped)."""
        now = time.monotonic()
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return  # the child has gone
        grown: dict[str, int] = {}
        for tid in tids:
            try:
                count = self._count(tid)
            except (OSError, ValueError):
                continue
            if count != self._last.get(tid, 0):
                grown[tid] = count - self._last.get(tid, 0)
                self._last[tid] = count
        if grown and self._previous is not None:
            named = {}
            for tid, n in grown.items():
                with contextlib.suppress(OSError):  # again: a thread may name itself late
                    comm = Path(f"/proc/{self.pid}/task/{tid}/comm")
                    self._names[tid] = comm.read_text().strip()
                named[f"{self._names.get(tid, '?')}/{tid}"] = n
            self.changes.append((self._previous, now, named))
        self._previous = now

    def close(self) -> None:
        """Close the files it holds open."""
        for fd in self._files.values():
            os.close(fd)
        self._files.clear()


@dataclass
class Episode:
    """One wake of the process: changes seen within :data:`EPISODE_GAP_SECONDS` of another."""

    start: float  # the sample before its first change (it woke after this)
    end: float  # the sample that saw its last change
    threads: dict[str, int] = field(default_factory=dict)

    @property
    def switches(self) -> int:
        return sum(self.threads.values())


def episodes(changes: list[tuple[float, float, dict[str, int]]], window: tuple[float, float],
             ) -> list[Episode]:
    """The wake episodes within ``window`` (monotonic start, end), without the ones that the
    measurement's own start and end make (within :data:`EPISODE_GAP_SECONDS` of them: the
    timers that start and end it, in both children)."""
    start, end = window
    out: list[Episode] = []
    for after, seen, threads in changes:
        if seen <= start or after >= end:
            continue
        if out and after - out[-1].end < EPISODE_GAP_SECONDS:
            last = out[-1]
            last.end = seen
            for name, n in threads.items():
                last.threads[name] = last.threads.get(name, 0) + n
        else:
            out.append(Episode(after, seen, dict(threads)))
    if out and out[0].start < start + EPISODE_GAP_SECONDS:
        out.pop(0)  # the settle timer's wake, which starts the measurement
    if out and out[-1].end > end - EPISODE_GAP_SECONDS:
        out.pop()  # the timer that ends it
    return out


def shortest_gap(found: list[Episode]) -> tuple[float, int] | None:
    """The shortest time between the starts of two episodes in a row, and the later's index."""
    gaps = [(b.start - a.start, i + 1) for i, (a, b) in enumerate(zip(found, found[1:],
                                                                      strict=False))]
    return min(gaps) if gaps else None


def idle_bus(folder: Path) -> tuple[str, list[subprocess.Popen[str]]] | None:
    """A private session bus serving a fake GNOME idle monitor: its address and processes
    (None without dbus-daemon: then the app counts wall time and asks nothing)."""
    if shutil.which("dbus-daemon") is None:
        print("bench_idle_tray: no dbus-daemon, so no idle time to ask", file=sys.stderr)
        return None
    from tests.private_bus import start_bus

    bus_dir = Path(tempfile.mkdtemp(prefix="rp-bus-", dir=folder))
    daemon = start_bus(bus_dir, stderr=subprocess.DEVNULL)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    fake = ROOT / "tests" / "integration" / "dbus_child" / "fake_idle_monitor.py"
    service = subprocess.Popen([sys.executable, str(fake), address, "mutter"],
                               stdout=subprocess.PIPE, text=True)
    assert service.stdout is not None and service.stdout.readline().strip() == "ready"
    return address, [service, daemon]


def report(name: str, result: dict[str, object], baseline: dict[str, object] | None) -> None:
    cpu, wall = float(result["cpu"]), float(result["wall"])  # type: ignore[arg-type]
    threads: dict[str, int] = result["threads"]  # type: ignore[assignment]
    found: list[Episode] = result["episodes"]  # type: ignore[assignment]
    wakes = sum(threads.values())
    minutes = wall / 60
    fine = float(result["cpu_fine"])  # type: ignore[arg-type]
    gap = shortest_gap(found)
    print(f"{name:<5} CPU {cpu * 1000:7.1f} ms = {100 * cpu / wall:6.3f} % of one core "
          f"(clock_gettime: {fine * 1000:.2f} ms)")
    line = (f"      wake episodes {len(found):4d} = {len(found) / minutes:5.2f} a minute, "
            f"shortest gap {'-' if gap is None else f'{gap[0]:.1f} s'};   "
            f"switches {wakes:5d} = {wakes / minutes:6.2f} a minute")
    if baseline is not None:
        base_threads: dict[str, int] = baseline["threads"]  # type: ignore[assignment]
        base_found: list[Episode] = baseline["episodes"]  # type: ignore[assignment]
        extra = wakes - sum(base_threads.values())
        extra_episodes = len(found) - len(base_found)
        base_cpu = float(baseline["cpu"])  # type: ignore[arg-type]
        line += (f"\n      above bare: {100 * (cpu - base_cpu) / wall:+.3f} % of a core, "
                 f"{extra_episodes:+d} episodes = {extra_episodes / minutes:+.2f} a minute, "
                 f"{extra:+d} switches = {extra / minutes:+.2f} a minute")
    print(line)
    for thread, count in sorted(threads.items(), key=lambda kv: -kv[1]):
        print(f"        {thread:<28} {count:5d} switches")


def label(episode: Episode, asked: list[tuple[float, float]],
          timers: list[tuple[float, str]]) -> str:
    """What an episode of the app was, where the bench knows."""
    out = []
    for start, end in asked:
        if episode.start - EPISODE_GAP_SECONDS <= end and start <= episode.end:
            out.append("idle-time question")
    for at, name in timers:
        if episode.start - EPISODE_GAP_SECONDS <= at <= episode.end:
            out.append(f"timer: {name}")
    return "; ".join(dict.fromkeys(out))


def timeline(result: dict[str, object]) -> None:
    """The app's episodes one by one."""
    found: list[Episode] = result["episodes"]  # type: ignore[assignment]
    start = float(result["window"][0])  # type: ignore[index]
    asked: list[tuple[float, float]] = result["idle_asked"]  # type: ignore[assignment]
    timers: list[tuple[float, str]] = result["timers"]  # type: ignore[assignment]
    previous: float | None = None
    print("app's wake episodes (seconds into the measurement, gap from the one before):")
    for episode in found:
        gap = "" if previous is None else f"+{episode.start - previous:.1f} s"
        threads = ", ".join(f"{name.split('/')[0]} {n}" for name, n in episode.threads.items())
        print(f"  {episode.start - start:8.2f} s {gap:>10}  {episode.switches:3d} switches "
              f"({threads})  {label(episode, asked, timers)}")
        previous = episode.start


def run_children(minutes: float, folder: str, env: dict[str, str],
                 options: list[str]) -> dict[str, dict[str, object]]:
    """Run both children side by side, sampling their threads from here meanwhile."""
    children = {
        kind: subprocess.Popen(
            [sys.executable, __file__, "--minutes", str(minutes), "--child", kind,
             "--data-dir", f"{folder}/data", *options],
            stdout=subprocess.PIPE, text=True, env=env)
        for kind in ("bare", "app")}
    samplers = {kind: OutsideSampler(child.pid) for kind, child in children.items()}
    while any(child.poll() is None for child in children.values()):
        for sampler in samplers.values():
            sampler.sample()
        time.sleep(SAMPLE_SECONDS)
    results = {}
    for kind, child in children.items():
        out, _ = child.communicate()
        samplers[kind].close()
        if child.returncode != 0:
            raise SystemExit(f"bench_idle_tray: the {kind} child failed ({child.returncode})")
        result = json.loads(out.strip().splitlines()[-1])
        result["episodes"] = episodes(samplers[kind].changes, tuple(result["window"]))
        results[kind] = result
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--name-timers", action="store_true",
                        help="name the app's timers that fire (costs a little CPU an event)")
    parser.add_argument("--in-tray", action="store_true",
                        help="start the app in the tray, as the autostart entry does")
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    seconds = args.minutes * 60
    if args.child == "bare":
        print(json.dumps(child_bare(seconds)))
        return 0
    if args.child == "app":
        print(json.dumps(child_app(seconds, args.data_dir, args.name_timers, args.in_tray)))
        return 0
    with tempfile.TemporaryDirectory(prefix="rp-bench-idle-") as folder:
        env = {**os.environ, "HOME": folder, "XDG_CONFIG_HOME": f"{folder}/config",
               "XDG_DATA_HOME": f"{folder}/share", "XDG_RUNTIME_DIR": folder}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        bus = idle_bus(Path(folder))
        if bus is not None:
            env["DBUS_SESSION_BUS_ADDRESS"] = bus[0]
        try:
            options = [*(["--name-timers"] if args.name_timers else []),
                       *(["--in-tray"] if args.in_tray else [])]
            results = run_children(args.minutes, folder, env, options)
        finally:
            for proc in bus[1] if bus is not None else ():
                proc.terminate()
                proc.wait()
    print(f"idle for {args.minutes:g} min after a {SETTLE_SECONDS} s settle, offscreen, "
          f"{'started in the tray' if args.in_tray else 'the window closed to the tray'}, "
          f"both processes side by side on {os.cpu_count()} core(s); threads read from "
          f"outside every {SAMPLE_SECONDS * 1000:g} ms, changes within "
          f"{EPISODE_GAP_SECONDS * 1000:g} ms one episode")
    report("bare", results["bare"], None)
    report("app", results["app"], results["bare"])
    app, bare = results["app"], results["bare"]
    timeline(app)
    wall = float(app["wall"])
    minutes = wall / 60
    cpu_percent = 100 * float(app["cpu"]) / wall
    found: list[Episode] = app["episodes"]
    extra = (len(found) - len(bare["episodes"])) / minutes
    print(f"next reminder timer set for {app['next_reminder_wait_ms']} ms")
    costs = app["idle_costs"]
    start = float(app["window"][0])
    when = ", ".join(f"{at - start:+.1f} s: {cost}" for (at, _), cost in
                     zip(app["idle_asked"], costs, strict=True))
    print(f"sitting break due {BREAK_AFTER_SECONDS} s in: the desktop's idle time asked "
          f"{len(costs)} time(s) (known: {app['idle_known']}); when (from the measurement's "
          f"start, - in the settle) and the switches each cost: {when}")
    close = [(b.start - a.start, b) for a, b in zip(found, found[1:], strict=False)
             if b.start - a.start < WAKE_GOAL_GAP_SECONDS]
    for gap, episode in close:
        print(f"closer than {WAKE_GOAL_GAP_SECONDS:g} s: the episode at "
              f"{episode.start - start:.1f} s, {gap:.1f} s after the one before")
    settled = start + SETTLED_AFTER_SECONDS
    late = [e for e in found if e.start >= settled]
    late_close = [(gap, e) for gap, e in close if e.start >= settled]
    late_minutes = (float(app["window"][1]) - settled) / 60
    base_late = [e for e in bare["episodes"] if e.start >= float(bare["window"][0])
                 + SETTLED_AFTER_SECONDS]
    late_gap = shortest_gap(late)
    if late_minutes > 0:
        print(f"from {SETTLED_AFTER_SECONDS} s on (start-up's one-offs over): "
              f"{len(late)} episodes = {len(late) / late_minutes:.2f} a minute "
              f"({(len(late) - len(base_late)) / late_minutes:+.2f} above bare), shortest gap "
              f"{'-' if late_gap is None else f'{late_gap[0]:.1f} s'}")
    print(f"goal CPU <= {CPU_GOAL_PERCENT} % of one core: "
          f"{'met' if cpu_percent <= CPU_GOAL_PERCENT else 'NOT met'} ({cpu_percent:.3f} %); "
          f"goal <= {WAKE_GOAL_PER_MINUTE:g} wake a minute above bare: "
          f"{'met' if extra <= WAKE_GOAL_PER_MINUTE else 'NOT met'} ({extra:+.2f}); "
          f"no two wakes closer than {WAKE_GOAL_GAP_SECONDS:g} s: "
          f"{'met' if not close else f'{len(close)} closer (see above)'} over the whole run, "
          f"{'-' if late_minutes <= 0 else 'met' if not late_close else 'NOT met'} from "
          f"{SETTLED_AFTER_SECONDS} s on")
    return 0


if __name__ == "__main__":
    sys.exit(main())
