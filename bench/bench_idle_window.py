"""Idle CPU while counting down, in the real window, repaint included.

    .venv/bin/python bench/bench_idle_window.py [--seconds 30] [--runs 3] [--platform xcb|offscreen]

Each run starts a fresh Python process. The app child builds the window as ``run_gui`` does
(``build_app`` + ``show_window``, the real monotonic clock and the real Qt timer; a silent audio
output, as there is no sound card), starts a routine of one 10-minute hold, answers the
questions asked before it, lets the window settle, then measures its own CPU time (user +
system) over ``--seconds`` of the countdown, counting the countdown label's repaints. The
baseline child is a bare PySide6 window that does the same visible work: a large label set to
the next ``mm:ss`` once a second by a QTimer. The two kinds alternate, so both see the same load.

With ``--platform xcb`` (the default when Xvfb is installed) the windows are real X windows on a
private Xvfb server; the X server's own CPU time over each measurement is printed beside
(painting into the server's frame buffer is work the machine does for the window, too).

Prints the median share of one core for each, and their difference and ratio (target: the app
<= 1 % of one core while counting down).
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

_CHILD_PRELUDE = """
import sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

SECONDS = {seconds!r}

class Paints(QObject):
    count = 0
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            Paints.count += 1
        return False

def measure(begin_hook=lambda: None):
    begin_hook()
    start = (time.monotonic(), time.process_time(), Paints.count)
    print("BEGIN", flush=True)
    def end():
        wall, cpu, paints = (time.monotonic() - start[0], time.process_time() - start[1],
                             Paints.count - start[2])
        print(f"RESULT {{wall:.6f}} {{cpu:.6f}} {{paints}}", flush=True)
        QApplication.exit(0)  # quit() would ask the window to close, which a session may refuse
    QTimer.singleShot(round(SECONDS * 1000), end)
"""

APP_CHILD = _CHILD_PRELUDE + """
from pathlib import Path
from player.audio import AudioOutput
from player.core.engine import EngineState
from player.settings import Settings, save_settings
from player import paths
from player.ui.application import build_app, show_window

class Silent(AudioOutput):
    def __init__(self, on_unavailable=None):
        super().__init__(on_unavailable)
        self._available = True
    def play(self, path):
        pass

data = Path({data!r})
save_settings(paths.settings_file(data), Settings(notice_accepted=True))
routine = data / "hold.yaml"
routine.write_text("format: 1\\ntitle: Idle\\ndefaults: {{lead_in: 0s}}\\nblocks:\\n"
                   "  - name: One\\n    steps:\\n      - exercise: plank\\n        hold: 10m\\n")
qapp = QApplication([sys.argv[0]])
app = build_app(qapp, data, Silent)
show_window(app)

def answer():
    dialog = qapp.activeModalWidget()
    if dialog is not None:
        if hasattr(dialog, "scale"):  # the rating before the session
            dialog.scale.set_rating(2)
        for question in getattr(dialog, "questions", ()):
            question.no.setChecked(True)
        for _yes, no in getattr(dialog, "answers_given", {{}}).values():
            no.setChecked(True)
        button = getattr(dialog, "save_button", None) or getattr(dialog, "yes_button", None)
        if button is not None:
            button.click()
        else:
            dialog.accept()
    engine = app.controller.engine
    if engine is not None and engine.state is EngineState.RUNNING:
        answerer.stop()
        app.window.player.countdown.installEventFilter(paints)
        QTimer.singleShot(3000, measure)  # let the first paints and lazy imports settle

paints = Paints()
answerer = QTimer()
answerer.timeout.connect(answer)
answerer.start(100)  # before the start, which may ask its questions in a modal dialog
QTimer.singleShot(1000, lambda: app.window.start_routine(routine))
qapp.exec()
if app.controller.in_play:
    app.controller.stop()
app.audio.close(timeout=0)
"""

BARE_CHILD = _CHILD_PRELUDE + """
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QMainWindow

qapp = QApplication([sys.argv[0]])
window = QMainWindow()
label = QLabel("10:00")
label.setAlignment(Qt.AlignmentFlag.AlignCenter)
font = QFont(label.font())
font.setPixelSize(160)
font.setBold(True)
label.setFont(font)
window.setCentralWidget(label)
window.resize(1200, 760)
window.show()
left = [600]
def tick():
    left[0] -= 1
    label.setText(f"{{left[0] // 60:02d}}:{{left[0] % 60:02d}}")
timer = QTimer()
timer.timeout.connect(tick)
paints = Paints()
label.installEventFilter(paints)
QTimer.singleShot(1000, lambda: (timer.start(1000), QTimer.singleShot(3000, measure)))
qapp.exec()
"""


def server_cpu(pid: int | None) -> float:
    """CPU seconds the process ``pid`` (the X server) has used, 0 without one."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def run_child(code: str, env: dict[str, str], server: int | None,
              seconds: float) -> tuple[float, float, int, float]:
    """(wall s, cpu s, countdown repaints, X server cpu s) over the child's measurement."""
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    x_begin = x_end = 0.0
    result: tuple[float, float, int] | None = None
    for line in process.stdout:
        if line.startswith("BEGIN"):
            x_begin = server_cpu(server)
        elif line.startswith("RESULT"):
            x_end = server_cpu(server)
            wall, cpu, paints = line.split()[1:]
            result = (float(wall), float(cpu), int(paints))
    _out, err = process.communicate(timeout=seconds + 60)
    if result is None:
        raise RuntimeError(f"the child did not report a measurement:\n{err}")
    return (*result, x_end - x_begin)


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--platform", choices=("xcb", "offscreen"),
                        default="xcb" if shutil.which("Xvfb") else "offscreen")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform}
    server = None
    if args.platform == "xcb":
        server = subprocess.Popen(["Xvfb", ":96", "-screen", "0", "1280x800x24", "-nolisten",
                                   "tcp"], stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        env["DISPLAY"] = ":96"
    results: dict[str, list[tuple[float, float, int, float]]] = {"bare": [], "app": []}
    try:
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="bench-idle-") as data:
                app_code = APP_CHILD.format(root=str(ROOT), seconds=args.seconds, data=data)
                bare_code = BARE_CHILD.format(root=str(ROOT), seconds=args.seconds)
                pid = server.pid if server is not None else None
                results["bare"].append(run_child(bare_code, env, pid, args.seconds))
                results["app"].append(run_child(app_code, env, pid, args.seconds))
    finally:
        if server is not None:
            server.terminate()
            server.wait(5)
    print(f"platform: {args.platform}, {args.runs} runs of {args.seconds:.0f} s each, "
          f"python {sys.version.split()[0]}")
    shares = {}
    for name, label in (("bare", "bare window, a label counting down"),
                        ("app", "routine player counting down      ")):
        runs = results[name]
        share = statistics.median(cpu / wall * 100 for wall, cpu, _p, _x in runs)
        paints = statistics.median(p / wall for wall, _c, p, _x in runs)
        xshare = statistics.median(x / wall * 100 for wall, _c, _p, x in runs)
        shares[name] = share
        print(f"{label}: {share:.3f} % of one core (median; runs "
              + ", ".join(f"{cpu / wall * 100:.3f}" for wall, cpu, _p, _x in runs)
              + f"), {paints:.2f} countdown repaints a second"
              + (f", X server {xshare:.3f} %" if server is not None else ""))
    print(f"app - bare: {shares['app'] - shares['bare']:+.3f} points; "
          f"app / bare: {shares['app'] / max(shares['bare'], 1e-9):.2f}x  "
          f"(target: app <= 1 % of one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
