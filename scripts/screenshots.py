"""Take the README's screenshots of the real app in a real X window (under Xvfb).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--display :99]

Starts its own Xvfb (unless --use-display is given), builds the window with the same functions
``run_gui`` uses (``build_app`` + ``show_window``), then drives it like a person would: selects a
routine, starts it, moves time on with a fake clock so a countdown is caught mid-way, confirms the
ice barrier in the real dialog, opens a broken file. Saves library.png, exercise.png,
barrier.png, ice.png, errors.png, finished.png, exercise-large-text.png, exercise-dark.png,
pain-rating.png, history.png, banner.png and symptoms.png
(the same view in a dark palette, to check that every colour follows the palette).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QPalette  # noqa: E402 - after the path

from player.audio import AudioOutput, UnavailableCallback  # noqa: E402

SIZE = (1280, 800)

CAPPED_ICE = """\
format: 1
title: Ice and heat after a long run
description: A cold pack for your lower back, a break for the skin, then heat.
author: A. Physio
defaults: {lead_in: 5s}
blocks:
  - name: Recovery
    steps:
      - ice: 25m
        note: Lie on your front with a pillow under your hips.
      - rest: 20m
        note: Let your skin return to its normal temperature.
      - heat: 15m
"""

BROKEN = """\
format: 1
title: My stretches
blocks:
  - name: Stretch
    steps:
      - exercise: hamstring_strech
        hold: 30 seconds
        sides: both
      - exercise: knee_to_chest
        reps: -3
      - rest: 2 minutes
"""


class SilentOutput(AudioOutput):
    """Stands in for the speakers (Xvfb has no sound card) while claiming sound works."""

    def __init__(self, on_unavailable: UnavailableCallback | None = None) -> None:
        super().__init__(on_unavailable)
        self._available = True

    def play(self, path: Path) -> None:
        """Play nothing."""


def main() -> int:
    """Parse arguments; run the scenario inside Xvfb."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--display", default=":99", help="the Xvfb display to start")
    parser.add_argument("--use-display", action="store_true",
                        help="use $DISPLAY as it is instead of starting Xvfb")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}",
                        help="the screen and window size, e.g. 1024x600 (default %(default)s)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(n) for n in args.size.split("x"))
    if args.use_display:
        return shoot(args.out, (width, height))
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("screenshots: Xvfb is not installed", file=sys.stderr)
        return 2
    server = subprocess.Popen([xvfb, args.display, "-screen", "0", f"{width}x{height}x24",
                               "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)  # let the X server come up before Qt connects
        env = {**os.environ, "DISPLAY": args.display, "QT_QPA_PLATFORM": "xcb"}
        return subprocess.call([sys.executable, __file__, "--use-display", "--out",
                                str(args.out), "--size", args.size], env=env)
    finally:
        server.terminate()
        server.wait(5)


def shoot(out: Path, size: tuple[int, int] = SIZE) -> int:
    """Build the real window at ``size`` and take every screenshot."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from player.core.bundled import ROUTINES_DIR
    from player.core.engine import EngineState
    from player.core.timeline import StepKind
    from player.ui.application import APP_NAME, build_app, show_window
    from tests.fakes import FakeClock

    qapp = QApplication([sys.argv[0]])
    qapp.setApplicationName(APP_NAME)
    data_dir = Path(tempfile.mkdtemp(prefix="screenshots-"))
    seed_returning_user(data_dir)
    clock = FakeClock()
    app = build_app(qapp, data_dir, SilentOutput, clock)
    window = app.window
    show_window(app)
    window.move(0, 0)
    window.resize(*size)  # the whole screen, as a maximised window on that laptop

    def settle(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def advance(seconds: float, step: float = 0.5) -> None:
        while seconds > 1e-9:
            dt = min(step, seconds)
            clock.advance(dt)
            seconds -= dt
            if app.controller.driver is not None:
                app.controller.driver.tick()
            qapp.processEvents()
        settle(50)

    def save(name: str, whole_screen: bool = False) -> None:
        settle()
        pixmap = qapp.primaryScreen().grabWindow(0) if whole_screen else window.grab()
        path = out / name
        pixmap.save(str(path))
        print(f"saved {path} ({pixmap.width()}x{pixmap.height()})")

    def advance_to(predicate: Callable[[], bool], limit: float = 3600) -> None:
        spent = 0.0
        while not predicate() and spent < limit:
            advance(0.5)
            spent += 0.5

    shots_of_dialogs = {"BarrierDialog": "barrier.png", "PainRatingDialog": "pain-rating.png",
                        "SymptomsDialog": "symptoms.png"}

    def answer_dialogs() -> None:
        """Answer every question as a person would ("yes"; a pain rating of 2); photograph the
        first of a kind."""
        dialog = qapp.activeModalWidget()
        if dialog is None:
            return
        kind = type(dialog).__name__
        if kind == "PainRatingDialog":
            dialog.scale.set_rating(2)
        name = shots_of_dialogs.pop(kind, None)
        if name is not None:
            dialog.move(window.geometry().center() - dialog.rect().center())
            settle(200)
            save(name, whole_screen=True)
        if kind == "PainRatingDialog":
            dialog.save_button.click()
        elif kind == "SymptomsDialog":
            for question in dialog.questions:  # as a person without warning signs would
                question.no.setChecked(True)
            dialog.save_button.click()
        elif kind == "ThermalScreenDialog":
            for _yes, no in dialog.answers_given.values():
                no.setChecked(True)
            dialog.save_button.click()
        else:
            dialog.yes_button.click()

    answerer = QTimer()
    answerer.timeout.connect(answer_dialogs)
    answerer.start(100)

    settle(300)
    core = ROUTINES_DIR / "core-strength.yaml"
    window.library_view.select_path(core)
    save("library.png")

    # An exercise mid-countdown: the first glute bridge set, a few reps in.
    window.start_routine(core)
    engine = app.controller.engine
    def on_glute_bridge() -> bool:
        step = engine.current
        return step is not None and step.exercise is not None and \
            step.kind is StepKind.EXERCISE and step.exercise.id == "glute_bridge"

    advance(3)
    while not on_glute_bridge():
        app.controller.next()  # as a person skipping ahead would
    advance(23)
    save("exercise.png")

    # The same in a dark palette (as a system dark scheme would give).
    original_style = qapp.style().name()
    original_palette = qapp.palette()
    qapp.setStyle("Fusion")
    qapp.setPalette(dark_palette())
    save("exercise-dark.png")
    qapp.setPalette(original_palette)
    qapp.setStyle(original_style)

    # The large-text mode, as chosen from the View menu.
    window.large_text_action.trigger()
    save("exercise-large-text.png")
    window.large_text_action.trigger()
    window.back_to_library()

    # Ice with the cap notice: the barrier question, then the running timer.
    ice_file = data_dir / "routines" / "ice-long-run.yaml"
    ice_file.write_text(CAPPED_ICE, encoding="utf-8")
    app.library.refresh()
    window.open_file(ice_file)

    window.start_routine(ice_file)
    advance_to(lambda: app.controller.engine.state is EngineState.RUNNING
               and app.controller.engine.current.kind is StepKind.ICE)
    advance(7 * 60 + 12)
    save("ice.png")
    app.controller.stop()
    settle()
    save("finished.png")
    window.back_to_library()

    broken = data_dir / "routines" / "my-stretches.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    app.library.refresh()
    window.open_file(broken)
    save("errors.png")

    # The history page, then the banner once recent check-ins have risen.
    assert app.care is not None
    app.care.show_history()
    save("history.png")
    window.back_to_library()
    now = datetime.now().astimezone()
    # Enough 6/10 check-ins over three days to lift the 7-day median 2+ points above the start
    # (written to the history as those days' check-ins would have been).
    from player.core.history import PainRating

    for hours in (70, 62, 54, 46, 38, 30, 20, 6):
        app.care.store.add_rating(PainRating(now - timedelta(hours=hours), "checkin", 6))
    app.care.care.reload()
    app.care.care.refresh()
    window.library_view.select_path(core)
    save("banner.png")
    QTimer.singleShot(0, app.care.ask_symptoms)  # as from the "Symptom questions" button
    settle(500)

    window.close()
    if app.audio is not None:
        app.audio.close()
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def seed_returning_user(data_dir: Path) -> None:
    """Settings of someone who accepted the first-run notice, and two weeks of history: core
    strength three times a week with before/after ratings, pain settling from 4 to 2."""
    from player.core.history import PainRating, StepEvent
    from player.settings import Settings, save_settings
    from player.store.history import HistoryStore

    save_settings(data_dir / "settings.json", Settings(notice_accepted=True))
    now = datetime.now().astimezone().replace(hour=18, minute=0, second=0, microsecond=0)
    with HistoryStore.open(data_dir) as store:
        for i, days_ago in enumerate((19, 17, 15, 12, 10, 8, 5, 3)):
            start = now - timedelta(days=days_ago)
            sid = store.start_session(routine_title="Core strength for runners",
                                      routine_version="1.0", started_at=start)
            before = max(2, 4 - i // 3)
            store.add_rating(PainRating(start, "before", before, session_id=sid))
            for step in range(12):
                store.record_step(StepEvent(sid, step, "Step", "exercise", "completed", 30.0,
                                            start + timedelta(seconds=30 * step)))
            end = start + timedelta(minutes=21)
            store.add_rating(PainRating(end, "after", max(1, before - 1), session_id=sid))
            store.finish_session(sid, "completed", end)
        for days_ago in (18, 16, 13, 11, 9, 6, 4, 2):
            store.add_rating(PainRating(now - timedelta(days=days_ago, hours=9), "checkin",
                                        3 if days_ago > 10 else 2))


def dark_palette() -> QPalette:
    """A dark palette like a system dark scheme's."""
    from PySide6.QtGui import QColor

    p = QPalette()
    role = QPalette.ColorRole
    for r, c in ((role.Window, "#202124"), (role.WindowText, "#e8eaed"), (role.Base, "#17181a"),
                 (role.AlternateBase, "#26282b"), (role.Text, "#e8eaed"),
                 (role.Button, "#2d2f33"), (role.ButtonText, "#e8eaed"),
                 (role.Highlight, "#5b8def"), (role.HighlightedText, "#ffffff"),
                 (role.PlaceholderText, "#9aa0a6"), (role.ToolTipBase, "#2d2f33"),
                 (role.ToolTipText, "#e8eaed"), (role.Mid, "#3c4043"), (role.Dark, "#111214"),
                 (role.Light, "#4a4d52"), (role.Midlight, "#3a3d41"), (role.Shadow, "#000000")):
        p.setColor(r, QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor("#6f7479"))
    return p


if __name__ == "__main__":
    sys.exit(main())
