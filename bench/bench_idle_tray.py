"""What the app costs while it waits in the tray: CPU and wake-ups with the window closed.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_idle_tray.py [--minutes 10]

Runs two child processes side by side for ``--minutes``, each measuring itself after a
10-second settle:

* ``bare``: a bare QApplication running its event loop (the baseline);
* ``app``: the whole app as ``run_gui`` builds it (single-instance server, audio output,
  history, care and week features) with reminders on for a routine due later today, the
  morning check and the tray, then its window closed, so it waits in the tray.

For each it prints the CPU time from ``/proc/self/stat`` (user + system, in clock ticks of
10 ms) as a percentage of one core, the same from ``time.process_time`` (nanoseconds, for
figures under a tick), and the wake-ups: voluntary context switches summed over ``/proc/self/task/*``,
per thread, so a thread that wakes too often is named. Goals: the app <= 0.5 % of one core,
and no more wake-ups than one a minute above the bare baseline. The offscreen platform has no
real tray; the tray is taken as available (as the tests do), so the icon and its menu are
built, and what would talk to a panel is not measured.

Sitting breaks are on too, with a private session bus (``tests/private_bus.py``) serving a fake
GNOME idle monitor (``tests/integration/dbus_child/fake_idle_monitor.py``) to both children; the
app's next break is put so that the question asked
:data:`~player.ui.week_features.IDLE_NEAR` before it comes 30 s into the measurement (the one
at the break too, in a run of 6 minutes or more). The questions are counted, with the wake-ups
each cost (the first connects to the bus and finds the service).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SETTLE_SECONDS = 10
CPU_GOAL_PERCENT = 0.5
WAKE_GOAL_PER_MINUTE = 1.0


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
    """Run the event loop for ``seconds`` after the settle; CPU and switches over that time."""
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
            "threads": threads}


def child_bare(seconds: float) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    result = measure(seconds)
    del app
    return result


def child_app(seconds: float, data_dir: Path) -> dict[str, object]:
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
    )
    from player.ui.controllers.reminders import Tray
    from player.ui.controllers.single_instance import claim_or_hand_over
    from player.ui.week_features import IDLE_NEAR

    later = (datetime.now() + timedelta(hours=3)).time().replace(second=0, microsecond=0)
    settings = Settings(notice_accepted=True)
    settings.set_reminders(ReminderSettings(
        enabled=True, sitting_breaks=True,
        routines=(RoutineReminder(str(ROUTINES_DIR / "flare-up-day.yaml"), "Flare-up day",
                                  (later,)),)))
    save_settings(data_dir / "settings.json", settings)
    Tray.available = staticmethod(lambda: True)  # type: ignore[method-assign]
    qapp = QApplication(sys.argv[:1])
    identify_application(qapp)
    instance = claim_or_hand_over(data_dir)
    assert instance is not None
    app = build_app(qapp, data_dir, playsound_output)
    show_window(app)
    deadline = time.monotonic() + 30
    while not app.ready and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert app.week is not None and app.week.tray is not None, "no tray: reminders not on"
    app.window.close()
    assert not app.window.isVisible(), "closing the window did not keep the app in the tray"
    week = app.week
    probe = week.idle
    asked: list[float] = []

    costs: list[int] = []

    class Counted:
        def idle_time(self) -> timedelta | None:
            asked.append(time.monotonic())
            before = sum(thread_switches().values())
            answer = probe.idle_time()
            costs.append(sum(thread_switches().values()) - before)
            return answer

    week.idle = Counted()
    # The question before the break 30 s into the measurement.
    assert week.sitting is not None
    week.sitting = SittingClock(week._now() - week.sitting.interval  # noqa: SLF001
                                + timedelta(seconds=SETTLE_SECONDS + 30) + IDLE_NEAR)
    week._arm_break()  # noqa: SLF001
    result = measure(seconds)
    result["next_reminder_wait_ms"] = app.week.timer.wait_ms
    result["idle_asked"] = len(asked)
    result["idle_known"] = week.idle_known
    gaps = [b - a for a, b in zip(asked, asked[1:], strict=False)]
    result["idle_shortest_gap_s"] = min(gaps) if gaps else None
    result["idle_costs"] = costs
    if app.audio is not None:
        app.audio.close()
    if app.care is not None:
        app.care.close()
    return result


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
    wakes = sum(threads.values())
    minutes = wall / 60
    fine = float(result["cpu_fine"])  # type: ignore[arg-type]
    line = (f"{name:<5} CPU {cpu * 1000:7.1f} ms = {100 * cpu / wall:6.3f} % of one core "
            f"(clock_gettime: {fine * 1000:.2f} ms)   "
            f"wake-ups {wakes:5d} = {wakes / minutes:6.2f} a minute")
    if baseline is not None:
        base_threads: dict[str, int] = baseline["threads"]  # type: ignore[assignment]
        extra = wakes - sum(base_threads.values())
        base_cpu = float(baseline["cpu"])  # type: ignore[arg-type]
        line += (f"   (above bare: {100 * (cpu - base_cpu) / wall:+.3f} % of a core, "
                 f"{extra:+d} wake-ups = {extra / minutes:+.2f} a minute)")
    print(line)
    for thread, count in sorted(threads.items(), key=lambda kv: -kv[1]):
        print(f"        {thread:<28} {count:5d} wake-ups")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    seconds = args.minutes * 60
    if args.child == "bare":
        print(json.dumps(child_bare(seconds)))
        return 0
    if args.child == "app":
        print(json.dumps(child_app(seconds, args.data_dir)))
        return 0
    with tempfile.TemporaryDirectory(prefix="rp-bench-idle-") as folder:
        env = {**os.environ, "HOME": folder, "XDG_CONFIG_HOME": f"{folder}/config",
               "XDG_DATA_HOME": f"{folder}/share", "XDG_RUNTIME_DIR": folder}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        bus = idle_bus(Path(folder))
        if bus is not None:
            env["DBUS_SESSION_BUS_ADDRESS"] = bus[0]
        children = {
            kind: subprocess.Popen(
                [sys.executable, __file__, "--minutes", str(args.minutes), "--child", kind,
                 "--data-dir", f"{folder}/data"], stdout=subprocess.PIPE, text=True, env=env)
            for kind in ("bare", "app")}
        results = {}
        for kind, child in children.items():
            out, _ = child.communicate()
            if child.returncode != 0:
                print(f"bench_idle_tray: the {kind} child failed ({child.returncode})",
                      file=sys.stderr)
                return 1
            results[kind] = json.loads(out.strip().splitlines()[-1])
        for proc in bus[1] if bus is not None else ():
            proc.terminate()
            proc.wait()
    print(f"idle for {args.minutes:g} min after a {SETTLE_SECONDS} s settle, offscreen, "
          f"both processes side by side on {os.cpu_count()} core(s)")
    report("bare", results["bare"], None)
    report("app", results["app"], results["bare"])
    app, bare = results["app"], results["bare"]
    wall = float(app["wall"])
    cpu_percent = 100 * float(app["cpu"]) / wall
    extra = (sum(app["threads"].values()) - sum(bare["threads"].values())) / (wall / 60)
    print(f"next reminder timer set for {app['next_reminder_wait_ms']} ms")
    gap = app["idle_shortest_gap_s"]
    print(f"sitting break near: the desktop's idle time asked {app['idle_asked']} time(s) "
          f"(known: {app['idle_known']}), shortest gap "
          f"{'-' if gap is None else f'{gap:.1f} s'}; wake-ups each cost: {app['idle_costs']}")
    print(f"goal CPU <= {CPU_GOAL_PERCENT} % of one core: "
          f"{'met' if cpu_percent <= CPU_GOAL_PERCENT else 'NOT met'} ({cpu_percent:.3f} %); "
          f"goal <= {WAKE_GOAL_PER_MINUTE:g} wake-up a minute above bare: "
          f"{'met' if extra <= WAKE_GOAL_PER_MINUTE else 'NOT met'} ({extra:.2f})")
    asking = sum(app["idle_costs"]) / (wall / 60)
    print(f"of which the idle-time questions, measured around each call: {asking:.2f} a minute; "
          f"the rest above bare: {extra - asking:+.2f} a minute")
    return 0


if __name__ == "__main__":
    sys.exit(main())
