"""How long keeping the screen awake holds up the window: Inhibit and UnInhibit over D-Bus.

    .venv/bin/python bench/bench_keep_awake.py [--cycles 200]

The calls are synchronous (see player/ui/controllers/keep_awake.py), so each one is time the
window's event loop is held up at a play, pause, resume or stop. This starts a private
``dbus-daemon`` and the fake screensaver of the tests (a child process), then, in this process:

* ``baseline``: ``org.freedesktop.DBus.Peer.Ping`` to the fake (a bare round trip to the same
  process, the least any call can cost);
* ``first hold``: the first ``Inhibit``, with finding the service and introspecting it;
* ``hold`` and ``release``: ``Inhibit`` and ``UnInhibit`` of ``--cycles`` pause/resume cycles;
* the resident memory QtDBus, its connection thread and the calls add to this process.

Prints the median, 95th percentile and worst of each, in milliseconds, and each median as a
multiple of the baseline's. Needs dbus-daemon (``apt-get install dbus-daemon``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.private_bus import start_bus  # noqa: E402 - after the path set-up above

FAKE_SERVICE = ROOT / "tests" / "integration" / "dbus_child" / "fake_screensaver.py"


def rss_mib() -> float:
    """Current resident set size of this process, in MiB (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def summary(name: str, seconds: list[float], baseline: float | None) -> str:
    ms = sorted(s * 1000 for s in seconds)
    median = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    ratio = f"  ({median / baseline:.1f}x baseline)" if baseline else ""
    return (f"{name:<11} n={len(ms):<4} median {median:7.3f} ms  p95 {p95:7.3f} ms  "
            f"worst {ms[-1]:7.3f} ms{ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("dbus-daemon") is None:
        print("bench_keep_awake: dbus-daemon is not installed", file=sys.stderr)
        return 2
    from PySide6.QtCore import QCoreApplication

    from player.ui.controllers.keep_awake import REASON, FreedesktopScreenSaver

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    rss_before = rss_mib()
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    folder = Path(tempfile.mkdtemp(prefix="rp-bench-bus-"))
    daemon = start_bus(folder, stderr=subprocess.DEVNULL)
    service: subprocess.Popen[str] | None = None
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        service = subprocess.Popen([sys.executable, str(FAKE_SERVICE), address,
                                    str(folder / "calls.jsonl")], stdout=subprocess.PIPE,
                                   text=True)
        assert service.stdout is not None and service.stdout.readline().strip() == "ready"
        bus = QDBusConnection.connectToBus(address, "bench")
        ping = QDBusMessage.createMethodCall("org.freedesktop.ScreenSaver",
                                             "/org/freedesktop/ScreenSaver",
                                             "org.freedesktop.DBus.Peer", "Ping")
        pings = []
        for _ in range(args.cycles):
            t0 = time.perf_counter()
            bus.call(ping)
            pings.append(time.perf_counter() - t0)
        inhibitor = FreedesktopScreenSaver("Routine Player", connect=lambda: bus)
        t0 = time.perf_counter()
        assert inhibitor.hold(REASON) is None
        first = [time.perf_counter() - t0]
        inhibitor.release()
        holds, releases = [], []
        for _ in range(args.cycles):
            t0 = time.perf_counter()
            assert inhibitor.hold(REASON) is None
            t1 = time.perf_counter()
            inhibitor.release()
            holds.append(t1 - t0)
            releases.append(time.perf_counter() - t1)
        rss_after = rss_mib()
        baseline = statistics.median(pings) * 1000
        print(summary("baseline", pings, None))
        print(summary("first hold", first, baseline))
        print(summary("hold", holds, baseline))
        print(summary("release", releases, baseline))
        print(f"resident memory of QtDBus, its connection and the calls: "
              f"+{rss_after - rss_before:.2f} MiB ({rss_before:.1f} -> {rss_after:.1f} MiB)")
        del app
        return 0
    finally:
        for process in (service, daemon):
            if process is not None:
                process.terminate()
                process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
