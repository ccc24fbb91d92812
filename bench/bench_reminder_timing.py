"""How close to its minute a reminder comes, on the real clock.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_reminder_timing.py [--count 3] [--load 1]

Runs :class:`player.ui.controllers.reminders.ReminderTimer` on Qt's event loop with the real
wall clock (``player.core.localtime.local_now``). Its ``find`` hands it a reminder at each of
the next ``--count`` whole minutes in turn, as
:func:`player.core.reminders.next_reminder` would for times chosen in the settings; each time
it fires, the script notes ``fired - minute``. ``--load`` busy processes compete for the CPU
(default none). As the baseline, in the same run and on the same loop, a bare precise
single-shot QTimer is started for the same kind of wait and its own lateness noted.

Prints each reminder's lateness in milliseconds, then the worst of both. Goal: every reminder
within 1 s of its minute. Takes up to ``--count`` minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL_MS = 1000.0


def next_minute(now: datetime) -> datetime:
    """The coming whole minute after ``now``."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--load", type=int, default=0, help="busy processes")
    args = parser.parse_args()
    from PySide6.QtCore import QCoreApplication, Qt, QTimer

    from player.core.localtime import local_now
    from player.core.reminders import Reminder
    from player.ui.controllers.reminders import ReminderTimer

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(args.load)]
    late_ms: list[float] = []
    bare_ms: list[float] = []
    state: dict[str, datetime] = {}

    def find(now: datetime) -> Reminder | None:
        if len(late_ms) >= args.count:
            return None
        state["at"] = at = next_minute(now)
        return Reminder(at, ("Bench routine",), ("/bench.yaml",))

    def on_fired(reminder: Reminder) -> None:
        late = (local_now() - reminder.at).total_seconds() * 1000
        late_ms.append(late)
        print(f"reminder {len(late_ms)} at {reminder.at:%H:%M:%S}: fired {late:+8.1f} ms",
              flush=True)
        if len(late_ms) >= args.count:
            QTimer.singleShot(0, app.quit)

    timer = ReminderTimer(lambda: local_now(), find)
    timer.fired.connect(on_fired)
    bare = QTimer()
    bare.setSingleShot(True)
    bare.setTimerType(Qt.TimerType.PreciseTimer)
    bare_target: dict[str, datetime] = {}

    def start_bare() -> None:
        # Aimed at half past each minute, so it never shares a wake-up with the reminder.
        now = local_now()
        target = now.replace(second=30, microsecond=0)
        if target <= now + timedelta(seconds=1):
            target += timedelta(minutes=1)
        bare_target["at"] = target
        bare.start(int((target - now).total_seconds() * 1000))

    def on_bare() -> None:
        bare_ms.append((local_now() - bare_target["at"]).total_seconds() * 1000)
        start_bare()

    bare.timeout.connect(on_bare)
    try:
        print(f"{args.count} reminder(s), one at each coming whole minute; "
              f"{args.load} busy process(es) on {os.cpu_count()} core(s)", flush=True)
        timer.rearm()
        start_bare()
        app.exec()
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
    worst = max(late_ms, key=abs)
    print(f"reminders: worst {worst:+.1f} ms, mean {sum(late_ms) / len(late_ms):+.1f} ms "
          f"(n={len(late_ms)})")
    if bare_ms:
        print(f"baseline (a bare precise QTimer, same waits): worst "
              f"{max(bare_ms, key=abs):+.1f} ms (n={len(bare_ms)})")
    ok = all(0 <= ms <= GOAL_MS for ms in late_ms)
    print(f"goal: every reminder within {GOAL_MS:.0f} ms after its minute: "
          f"{'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
