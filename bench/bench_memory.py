"""Memory: peak RSS over a whole routine played in the real window, and growth over many plays.

    .venv/bin/python bench/bench_memory.py [--routine routines/core-strength.yaml] [--plays 100]

Each figure comes from a fresh child process on the offscreen platform:

* ``bare``: QApplication + QMainWindow + show, a few event-loop turns; peak RSS
  (``resource.getrusage(RUSAGE_SELF).ru_maxrss``);
* ``play``: the real window (built with ``build_app``/``show_window``/``finish_startup`` as
  ``run_gui`` does, with the real playsound3 output, which imports playsound3 as soon as it is
  made) plays the whole routine on a fast fake clock: the
  clock jumps to each wake-up the driver asks for, the driver's timer is fired by hand, the
  window repaints; every untimed set is confirmed and every ice/heat question answered "yes",
  the first-run notice accepted, the symptom questions answered "no" and every pain rating
  answered (2 of 10).
  Peak RSS, compared with bare (target <= 1.3 x). Where there is no sound device the output
  plays nothing, as in the app; where there is one, the cues' players are separate processes;
* ``reference`` (with ``--reference``; a diagnostic that changes no figure above): a plain
  PySide6 window with the same kinds of widgets as the app's library and player pages (a menu
  bar, a two-column tree, buttons with standard icons, a large countdown label, wrapped text,
  an SVG picture, a progress bar) and the libraries the app is built on (PyYAML reading the
  routine, a SQLite database in WAL mode written once a step, playsound3 imported), none of the
  app's code, its countdown label updated as often as the app's. It tells what any app made of
  these parts pays from what the app's own code adds;
* ``repeat``: one process plays a short routine again and again; current RSS (from
  ``/proc/self/statm``), the number of Python objects the garbage collector tracks and the
  number of widgets after 1, 10, N/2 and N plays, to show there is no growth.

Python's compiled bytecode is kept in a temporary cache (``PYTHONPYCACHEPREFIX``), as an
installed app has it, so no child compiles modules.

``--breakdown`` (a diagnostic; it changes no figure) also prints where the resident memory of
the bare and play children is at the end of the first play, by kind of mapping (from
``/proc/self/smaps``): the heap (Python objects, Qt objects, the window's backing store), Qt and
PySide6 libraries, fonts, OpenSSL, SQLite, Python with its extension modules, the rest.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The bundled routines and media (player.core.bundled), without importing the package here.
CONTENT = ROOT / "player" / "content"


def rss_mib() -> float:
    """Current resident set size of this process, in MiB (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: Kinds of memory for ``--breakdown``: (label, substrings of the mapping's path), first match.
PARTS = (
    ("heap: Python and Qt objects, backing store", ("[anon]", "[heap]", "[stack]")),
    ("Qt and PySide6 libraries", ("/PySide6/", "/shiboken6/")),
    ("fonts and font libraries", ("/fonts/", "fontconfig", "libfreetype", "libharfbuzz")),
    ("OpenSSL (libcrypto, libssl)", ("libcrypto", "libssl")),
    ("SQLite", ("sqlite",)),
    ("Python and its extension modules", ("python3", "libpython", "site-packages")),
)


def print_parts() -> None:
    """One ``PART <label> <KiB>`` line per kind of memory, from this process's smaps."""
    sizes = dict.fromkeys([label for label, _ in PARTS] + ["other"], 0)
    name = "[anon]"
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            fields = line.split()
            if fields and "-" in fields[0] and not fields[0].endswith(":"):
                name = fields[5] if len(fields) > 5 else "[anon]"
            elif fields and fields[0] == "Rss:":
                label = next((label for label, keys in PARTS
                              if any(key in name for key in keys)), "other")
                sizes[label] += int(fields[1])
    for label, kib in sizes.items():
        print(f"PART {kib} {label}")


def child_bare() -> None:
    """A bare PySide6 window."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    qapp = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()
    for _ in range(20):
        qapp.processEvents()
    print(f"PEAK {peak_mib():.1f}")
    print_parts()


def child_play(routine: Path, plays: int) -> None:
    """The real window playing ``routine`` ``plays`` times on a fast fake clock."""
    import gc

    gc.disable()  # as player.app.main does before importing Qt; finish_startup turns it back on

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from player.audio import PlaysoundOutput
    from player.ui.application import build_app, finish_startup, show_window
    from player.ui.dialogs.first_run import FirstRunNotice
    from player.ui.dialogs.pain_dialogs import PainRatingDialog
    from player.ui.dialogs.session_dialogs import BarrierDialog, SkinCheckDialog
    from player.ui.dialogs.symptoms_dialog import SymptomsDialog
    from tests.fakes import FakeClock

    def answer_no(cls: object, parent: object = None, now: object = None, *, fields: object = None,
                  may_put_off: bool = False, record: Any = None) -> str:
        from player.core.history import SYMPTOM_FIELDS, SymptomAnswers

        if record is not None:
            record(SymptomAnswers(datetime.now().astimezone(),
                                  **dict.fromkeys(SYMPTOM_FIELDS, False)))
        return "saved"

    def screen_no(cls: object, parent: object = None, known: object = None) -> Any:
        from player.core.thermal import SCREEN_FIELDS, ThermalScreen

        return ThermalScreen(datetime.now().astimezone(), **dict.fromkeys(SCREEN_FIELDS, False))

    class Counting(PlaysoundOutput):
        """The real output, counting the cue files it is handed."""

        count = 0

        def schedule(self, cues: Any) -> None:
            Counting.count += sum(len(cue.files) for cue in cues)
            super().schedule(cues)

    # The bench answers the questions a person would answer, without showing them.
    BarrierDialog.ask = classmethod(lambda cls, parent, step: True)  # type: ignore[method-assign]
    SkinCheckDialog.ask = classmethod(lambda cls, parent, step: True)  # type: ignore[method-assign]
    # The first-run notice is accepted, the symptom questions and the ice-and-heat screen
    # answered "no" (care rules v2: a session does not start before they are answered), every
    # pain rating answered 2 (no note, no body area).
    FirstRunNotice.ask = classmethod(lambda cls, parent=None: True)  # type: ignore[method-assign]
    SymptomsDialog.ask = classmethod(answer_no)  # type: ignore[method-assign]
    from player.ui.dialogs.thermal_dialogs import ThermalScreenDialog

    ThermalScreenDialog.ask = classmethod(screen_no)  # type: ignore[method-assign]
    PainRatingDialog.ask = classmethod(  # type: ignore[method-assign]
        lambda cls, parent, context, title="": (2, "", ""))

    qapp = QApplication([sys.argv[0]])
    clock = FakeClock()
    data = tempfile.mkdtemp(prefix="bench-memory-")
    app = build_app(qapp, Path(data), Counting, clock)
    app.window.resize(1200, 800)
    show_window(app)
    finish_startup(app)
    window, controller = app.window, app.controller

    def play_once() -> int:
        window.start_routine(routine.resolve())
        wakes = 0
        while controller.in_play:
            engine, driver = controller.engine, controller.driver
            if engine.state.value == "awaiting_done":
                controller.confirm()
            due = [t for t in (engine.next_due(), engine.next_second_boundary()) if t is not None]
            clock.set(max(clock.now(), min(due)) if due else clock.now() + 1)
            driver.timer.timeout.emit()
            qapp.processEvents()
            wakes += 1
        window.back_to_library()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
        gc.collect()
        return wakes

    marks = {1, 10, plays // 2, plays}
    for n in range(1, plays + 1):
        wakes = play_once()
        if n == 1:
            sound = {None: "unknown", True: "works", False: "unavailable"}[app.audio.available]
            print(f"WAKES {wakes} {Counting.count} {sound} {'playsound3' in sys.modules}")
            print(f"PEAK {peak_mib():.1f}")
            print_parts()
        if n in marks:
            print(f"RSS {n} {rss_mib():.1f} {len(gc.get_objects())} "
                  f"{len(QApplication.allWidgets())}")
    window.close()
    app.audio.close()


def child_reference(routine: Path, wakes: int) -> None:
    """A plain PySide6 window of the same kinds of widgets, on the same libraries, no app code."""
    import sqlite3

    import playsound3  # noqa: F401  (imported, as the app's output does)
    import yaml
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import (
        QApplication,
        QHBoxLayout,
        QLabel,
        QMainWindow,
        QProgressBar,
        QPushButton,
        QSplitter,
        QStackedWidget,
        QStyle,
        QTreeWidget,
        QTreeWidgetItem,
        QVBoxLayout,
        QWidget,
    )

    qapp = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1200, 800)
    for title in ("&File", "&Session", "&View", "S&ound", "&Help"):
        window.menuBar().addMenu(title)
    pages = QStackedWidget()
    library = QWidget()
    library_layout = QVBoxLayout(library)
    row = QHBoxLayout()
    for text, icon in (("Open a routine file", QStyle.StandardPixmap.SP_DialogOpenButton),
                       ("My routines folder", QStyle.StandardPixmap.SP_DirOpenIcon)):
        button = QPushButton(text)
        button.setIcon(window.style().standardIcon(icon))
        row.addWidget(button)
    library_layout.addLayout(row)
    tree = QTreeWidget()
    tree.setHeaderLabels(["Routine", "Length"])
    for name in sorted((CONTENT / "routines").glob("*.yaml")):
        tree.addTopLevelItem(QTreeWidgetItem([name.stem, "12:00"]))
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(tree)
    splitter.addWidget(QLabel("Choose a routine on the left"))
    library_layout.addWidget(splitter, 1)
    pages.addWidget(library)

    player = QWidget()
    layout = QVBoxLayout(player)
    title = QLabel("Glute bridge")
    title_font = QFont()
    title_font.setPointSize(24)
    title_font.setBold(True)
    title.setFont(title_font)
    countdown = QLabel("00:30")
    countdown_font = QFont()
    countdown_font.setPointSize(96)
    countdown.setFont(countdown_font)
    picture = QLabel()
    instructions = QLabel("Lie on your back, knees bent, feet flat; lift the hips. " * 4)
    instructions.setWordWrap(True)
    progress = QProgressBar()
    controls = QHBoxLayout()
    for text, icon in (("Previous", QStyle.StandardPixmap.SP_MediaSeekBackward),
                       ("Pause", QStyle.StandardPixmap.SP_MediaPause),
                       ("Next", QStyle.StandardPixmap.SP_MediaSeekForward),
                       ("Stop", QStyle.StandardPixmap.SP_MediaStop)):
        button = QPushButton(text)
        button.setIcon(window.style().standardIcon(icon))
        controls.addWidget(button)
    for widget in (title, countdown, picture, instructions, progress):
        layout.addWidget(widget)
    layout.addLayout(controls)
    pages.addWidget(player)
    window.setCentralWidget(pages)

    data = yaml.load(routine.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    db = sqlite3.connect(Path(tempfile.mkdtemp(prefix="bench-memory-")) / "history.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE steps (n INTEGER, name TEXT, at REAL)")
    window.show()
    for _ in range(20):
        qapp.processEvents()
    pages.setCurrentIndex(1)
    pictures = sorted((CONTENT / "media" / "illustrations").glob("*.svg"))
    steps = max(1, len(data.get("steps", [])))
    for n in range(wakes):
        if n % (wakes // steps or 1) == 0:
            pixmap = QPixmap(360, 360)
            pixmap.fill(Qt.GlobalColor.white)
            with QPainter(pixmap) as painter:
                QSvgRenderer(str(pictures[n % len(pictures)])).render(painter)
            picture.setPixmap(pixmap)
            db.execute("INSERT INTO steps VALUES (?, ?, ?)", (n, title.text(), n / 10))
            db.commit()
        countdown.setText(f"{n // 60 % 60:02d}:{n % 60:02d}")
        progress.setValue(n * 100 // wakes)
        qapp.processEvents()
    print(f"PEAK {peak_mib():.1f}")
    print_parts()


def run(kind: str, *extra: str, env: dict[str, str]) -> dict[str, list[str]]:
    """Run a child; its ``KEY values...`` lines by key."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, *extra], env=env,
                         capture_output=True, text=True, timeout=1800, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} child failed:\n{out.stdout}\n{out.stderr}")
    lines: dict[str, list[str]] = {}
    for line in out.stdout.splitlines():
        key, _, rest = line.partition(" ")
        lines.setdefault(key, []).append(rest)
    return lines


def main() -> int:
    """Run the children and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", type=Path, default=CONTENT / "routines" / "core-strength.yaml")
    parser.add_argument("--short-routine", type=Path,
                        default=CONTENT / "routines" / "pre-run-warm-up.yaml")
    parser.add_argument("--plays", type=int, default=100)
    parser.add_argument("--breakdown", action="store_true",
                        help="also print where the memory is, by kind (diagnostic)")
    parser.add_argument("--reference", action="store_true",
                        help="also measure a plain PySide6 window of the same kinds of widgets "
                             "on the same libraries (diagnostic)")
    parser.add_argument("--wakes", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("bare", "play", "reference"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        child_bare()
        return 0
    if args.child == "play":
        child_play(args.routine, args.plays)
        return 0
    if args.child == "reference":
        child_reference(args.routine, args.wakes)
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": pycache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # Fill the bytecode cache first, uncounted, as installing the app would.
        run("play", "--routine", str(args.short_routine), "--plays", "1", env=env)
        if args.reference:
            run("reference", "--routine", str(args.routine), "--wakes", "10", env=env)
        report(args, env)
    return 0


def report(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Run the measuring children and print their figures."""
    bare_child = run("bare", env=env)
    bare = float(bare_child["PEAK"][0])
    whole = run("play", "--routine", str(args.routine), "--plays", "1", env=env)
    peak = float(whole["PEAK"][0])
    wakes, cues, sound, loaded = whole["WAKES"][0].split()
    print(f"bare PySide6 window           : peak RSS {bare:.1f} MiB")
    print(f"{args.routine.name:<30}: peak RSS {peak:.1f} MiB over the whole routine "
          f"({wakes} wake-ups, {cues} cue files played, playsound3 loaded: {loaded == 'True'}, "
          f"sound {sound} here)")
    print(f"ratio play / bare             : {peak / bare:.2f}  (target <= 1.3)")
    children = {"bare": bare_child, "play": whole}
    if args.reference:
        reference = run("reference", "--routine", str(args.routine), "--wakes", wakes, env=env)
        children["reference"] = reference
        ref_peak = float(reference["PEAK"][0])
        print(f"plain window, same widgets and libraries (diagnostic): peak RSS {ref_peak:.1f} "
              f"MiB, {ref_peak / bare:.2f} x bare; the app is {peak / ref_peak:.2f} x this")
    if args.breakdown:
        print(f"{'resident memory by kind at the end (MiB)':<46}"
              + "".join(f"{name:>10}" for name in children))
        rows = zip(*(child["PART"] for child in children.values()), strict=True)
        for parts in rows:
            label = parts[0].split(" ", 1)[1]
            print(f"  {label:<44}" + "".join(f"{int(part.split(' ', 1)[0]) / 1024:10.1f}"
                                             for part in parts))
    repeat = run("play", "--routine", str(args.short_routine), "--plays", str(args.plays),
                 env=env)
    print(f"{args.short_routine.name} played {args.plays} times in one process:")
    for entry in repeat["RSS"]:
        n, mib, objects, widgets = entry.split()
        print(f"  after {int(n):>4} play(s): RSS {float(mib):.1f} MiB, {objects} Python objects, "
              f"{widgets} widgets")


if __name__ == "__main__":
    sys.exit(main())
