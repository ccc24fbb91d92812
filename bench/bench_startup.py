"""Start-up time: process start to the first paint, and to the window complete.

    .venv/bin/python bench/bench_startup.py [--runs 10] [--platform xcb|offscreen] [--years 10]

Each run starts a fresh Python process. The app child builds the window with the same functions
``run_gui`` uses (``build_app`` with its playsound3 output factory, then ``show_window``, whose
first paint runs ``finish_startup``) and prints the wall-clock time at two moments:

* **first paint**: the window's first paint, once the library list is populated by title;
* **window complete**: the first paint after every routine file is checked and listed (the
  background check's ``checked`` signal), the care banner decided (``CareController.refresh``
  has run on the history) and the history open (``care.store``), start-up's questions included.

The bare child does the same for QApplication + QMainWindow + show. It is timed with an empty
history and with ``--years`` years of daily use (built once with ``bench_history.build``: one
session a day, about 14 steps, before and after ratings, a check-in every fifth day). The kinds
alternate, so all see the same machine load. Prints each median and its ratio to the bare
window (issue 12's targets: first paint <= 1.5 x bare; complete <= 2 x with an empty history,
<= 2.5 x with 10 years). With ``--platform xcb`` (the default when Xvfb is installed) the windows
are real X windows on a private Xvfb server.

``--compare TREE`` times the app of another checkout too (e.g. ``git archive main`` unpacked),
alternating with this one in the same runs, to measure a change before and after.

``--reference`` (a diagnostic; it changes neither figure above) also times a third child: a
plain PySide6 window with the same kinds of widgets as the library page (a menu bar, two
buttons with standard icons, a two-column tree of routines, a label, a status bar) and none of
the app's code, to tell what any PySide6 window of that kind pays (Qt's enums built as Python
enums, the font database, the icon theme, the first item view) from what the app adds.

Python's compiled bytecode is kept in a temporary cache (``PYTHONPYCACHEPREFIX``), filled by an
uncounted warm-up run, as an installed app has it; ``--no-bytecode-cache`` measures a start
that compiles every module first (what PYTHONDONTWRITEBYTECODE=1 gives).
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
{path_setup}
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def __init__(self, ready, complete=None):
        super().__init__()
        self.ready = ready
        self.complete = complete
    def eventFilter(self, obj, event):
        if event.type() != QEvent.Type.Paint:
            return False
        if self.ready():
            print(f"SHOWN {{time.time():.6f}}", flush=True)
            self.ready = lambda: False
            if self.complete is None:
                QTimer.singleShot(0, QApplication.quit)
        elif self.complete is not None and self.complete():
            print(f"COMPLETE {{time.time():.6f}}", flush=True)
            self.complete = None
            QTimer.singleShot(0, QApplication.quit)
        return False
"""

APP_CHILD = """
import gc
gc.disable()  # as player.app.main does before importing Qt; finish_startup turns it back on
import sys
{path_setup}
from pathlib import Path
import player
early = {{}}
if (Path(player.__file__).parent / "library_check.py").exists():  # not in trees before it
    from player import library_check  # as player.app.main does before importing Qt
    early["early_check"] = library_check.start(Path({data!r}))
""" + _CHILD_PRELUDE + """
from player.ui.application import (build_app, configure_logging, install_excepthook,
                                   playsound_output, show_window)
qapp = QApplication([sys.argv[0]])
configure_logging(Path({data!r}))
install_excepthook(lambda: None, None)
app = build_app(qapp, Path({data!r}), playsound_output, **early)
checked = []
app.library.checked.connect(lambda: (checked.append(1), app.window.update()))

def complete():
    care = app.care
    return (bool(checked) and app.ready and care is not None and care.store is not None
            and all(e.checked for e in app.library.entries()))

painted = FirstPaint(lambda: len(app.library.entries()) > 0, complete)
app.window.installEventFilter(painted)
show_window(app)
qapp.exec()
if app.care is not None:
    app.care.close()
if early:
    app.library.close_early_check()
if app.audio is not None:  # made once the window is complete, maybe not yet
    app.audio.close(timeout=0)
"""

REFERENCE_CHILD = _CHILD_PRELUDE + """
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSplitter, QStyle, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)
qapp = QApplication([sys.argv[0]])
window = QMainWindow()
window.resize(1200, 800)
for title in ("&File", "&Session", "&View", "S&ound", "&Help"):
    window.menuBar().addMenu(title)
central = QWidget()
layout = QVBoxLayout(central)
row = QHBoxLayout()
for text, icon in (("Open a routine file", QStyle.StandardPixmap.SP_DialogOpenButton),
                   ("My routines folder", QStyle.StandardPixmap.SP_DirOpenIcon)):
    button = QPushButton(text)
    button.setIcon(window.style().standardIcon(icon))
    row.addWidget(button)
row.addStretch(1)
layout.addLayout(row)
tree = QTreeWidget()
tree.setColumnCount(2)
tree.setHeaderLabels(["Routine", "Length"])
group = QTreeWidgetItem(["Bundled routines", ""])
tree.addTopLevelItem(group)
for i in range(8):
    group.addChild(QTreeWidgetItem([f"Routine {{i}}", "12:00"]))
tree.expandAll()
hint = QLabel("Choose a routine on the left")
hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
splitter = QSplitter(Qt.Orientation.Horizontal)
splitter.addWidget(tree)
splitter.addWidget(hint)
layout.addWidget(splitter, 1)
window.setCentralWidget(central)
window.statusBar().addPermanentWidget(QLabel(""))
painted = FirstPaint(lambda: True)
window.installEventFilter(painted)
window.show()
qapp.exec()
"""

BARE_CHILD = _CHILD_PRELUDE + """
qapp = QApplication([sys.argv[0]])
window = QMainWindow()
window.resize(1200, 800)
painted = FirstPaint(lambda: True)
window.installEventFilter(painted)
window.show()
qapp.exec()
"""


def run_child(code: str, env: dict[str, str], python: str = sys.executable,
              cwd: Path = ROOT) -> float:
    """Seconds from just before the process starts to the first paint it reports."""
    return run_moments(code, env, python, cwd)["SHOWN"]


def run_moments(code: str, env: dict[str, str], python: str = sys.executable,
                cwd: Path = ROOT) -> dict[str, float]:
    """Seconds from just before the process starts to each moment it reports (SHOWN, and
    COMPLETE for the app)."""
    started = time.time()
    out = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, cwd=cwd)
    moments = {line.split()[0]: float(line.split()[1]) - started
               for line in out.stdout.splitlines()
               if line.startswith(("SHOWN ", "COMPLETE "))}
    if "SHOWN" not in moments:
        raise RuntimeError(f"the child did not report its window:\n{out.stdout}\n{out.stderr}")
    return moments


def make_data(folder: Path, years: int) -> Path:
    """A data folder that starts without questions (the notice accepted), with ``years`` of
    history (none for 0)."""
    import random

    sys.path.insert(0, str(ROOT))
    from player import paths
    from player.settings import Settings, save_settings

    folder.mkdir(parents=True, exist_ok=True)
    save_settings(paths.settings_file(folder), Settings(notice_accepted=True))
    if years:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_history import build

        build(folder, 365 * years, random.Random(12))
    return folder


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--platform", choices=("xcb", "offscreen"),
                        default="xcb" if shutil.which("Xvfb") else "offscreen")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile every module at each start")
    parser.add_argument("--reference", action="store_true",
                        help="also time a plain PySide6 window with the same kinds of widgets")
    parser.add_argument("--years", type=int, default=10,
                        help="years of history for the second app child (0: skip it)")
    parser.add_argument("--compare", metavar="TREE", type=Path,
                        help="also time the app of another checkout (e.g. main's files, from "
                             "git archive) in the same runs, alternating with this one")
    parser.add_argument("--installed-python", metavar="PYTHON",
                        help="also time the app installed (from its wheel) in the environment of "
                             "PYTHON, started from outside the checkout (bench/bench_wheel.py)")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform}
    pycache = tempfile.TemporaryDirectory(prefix="bench-pycache-")
    if args.no_bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache.name
    server = None
    if args.platform == "xcb" and "DISPLAY" not in os.environ:
        server = subprocess.Popen(["Xvfb", ":97", "-screen", "0", "1280x800x24", "-nolisten",
                                   "tcp"], stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        env["DISPLAY"] = ":97"
    try:
        with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
            data = str(make_data(Path(tmp) / "empty", 0))
            checkout = f"sys.path.insert(0, {str(ROOT)!r})"
            app_code = APP_CHILD.format(path_setup=checkout, data=data)
            years_code = ""
            if args.years:
                started = time.perf_counter()
                years_data = make_data(Path(tmp) / "years", args.years)
                print(f"built {args.years} years of history in "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
                years_code = APP_CHILD.format(path_setup=checkout, data=str(years_data))
            bare_code = BARE_CHILD.format(path_setup=checkout)
            reference_code = REFERENCE_CHILD.format(path_setup=checkout)
            installed_code = APP_CHILD.format(path_setup="", data=data)
            other = f"sys.path.insert(0, {str(args.compare)!r})" if args.compare else ""
            compare_code = APP_CHILD.format(path_setup=other, data=data)
            compare_years_code = years_code and APP_CHILD.format(path_setup=other,
                                                                 data=str(years_data))
            elsewhere = Path(data)

            def installed() -> float:
                return run_child(installed_code, env, str(args.installed_python), elsewhere)

            run_child(app_code, env)  # warm the file cache; not counted
            run_child(bare_code, env)
            if years_code:
                run_child(years_code, env)
            if args.reference:
                run_child(reference_code, env)
            if args.installed_python:
                installed()
            if args.compare:
                run_child(compare_code, env)
            compared: dict[str, list[float]] = {"SHOWN": [], "COMPLETE": [], "YEARS": []}
            app_times, bare_times, reference_times, installed_times = [], [], [], []
            complete_times: list[float] = []
            years_times: list[float] = []
            for _ in range(args.runs):
                moments = run_moments(app_code, env)
                app_times.append(moments["SHOWN"])
                complete_times.append(moments["COMPLETE"])
                bare_times.append(run_child(bare_code, env))
                if years_code:
                    years_times.append(run_moments(years_code, env)["COMPLETE"])
                if args.reference:
                    reference_times.append(run_child(reference_code, env))
                if args.installed_python:
                    installed_times.append(installed())
                if args.compare:
                    moments = run_moments(compare_code, env)
                    compared["SHOWN"].append(moments["SHOWN"])
                    compared["COMPLETE"].append(moments["COMPLETE"])
                    if compare_years_code:
                        compared["YEARS"].append(run_moments(compare_years_code,
                                                             env)["COMPLETE"])
    finally:
        pycache.cleanup()
        if server is not None:
            server.terminate()
            server.wait(5)
    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    cache = "none" if args.no_bytecode_cache else "warm"
    print(f"platform: {args.platform}, {args.runs} runs each, python {sys.version.split()[0]}, "
          f"bytecode cache: {cache}")
    print(f"bare PySide6 window : median {app_ms(bare_median)}  "
          f"(min {app_ms(min(bare_times))}, max {app_ms(max(bare_times))})")
    print(f"routine player      : median {app_ms(app_median)}  "
          f"(min {app_ms(min(app_times))}, max {app_ms(max(app_times))})")
    print(f"ratio app / bare    : {app_median / bare_median:.2f}  (target <= 1.5)")
    complete_median = statistics.median(complete_times)
    print(f"window complete, empty history: median {app_ms(complete_median)}  "
          f"(min {app_ms(min(complete_times))}, max {app_ms(max(complete_times))}), "
          f"{complete_median / bare_median:.2f} x bare  (target <= 2)")
    if years_times:
        years_median = statistics.median(years_times)
        print(f"window complete, {args.years} years     : median {app_ms(years_median)}  "
              f"(min {app_ms(min(years_times))}, max {app_ms(max(years_times))}), "
              f"{years_median / bare_median:.2f} x bare  (target <= 2.5)")
    if installed_times:
        installed_median = statistics.median(installed_times)
        print(f"installed from wheel: median {app_ms(installed_median)}  "
              f"(min {app_ms(min(installed_times))}, max {app_ms(max(installed_times))})")
        print(f"ratio installed / editable: {installed_median / app_median:.2f}")
    if args.compare:
        print(f"{args.compare} (same runs):")
        for label, key in (("first paint", "SHOWN"), ("window complete, empty history",
                                                      "COMPLETE"),
                           (f"window complete, {args.years} years", "YEARS")):
            if compared[key]:
                median = statistics.median(compared[key])
                print(f"  {label}: median {app_ms(median)}, {median / bare_median:.2f} x bare")
    if reference_times:
        reference_median = statistics.median(reference_times)
        print(f"plain PySide6 window with the library page's kinds of widgets (diagnostic): "
              f"median {app_ms(reference_median)}, {reference_median / bare_median:.2f} x bare")
    return 0


def app_ms(seconds: float) -> str:
    """``123.4 ms``."""
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
