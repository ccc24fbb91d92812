"""Take docs/about-your-back.png: the care banner, and the page its link opens, in a real X window.

    .venv/bin/python scripts/screenshot_about.py [--out docs/about-your-back.png] [--display :98]

Starts its own Xvfb at 1280x800 with the openbox window manager (for the title bars, when it
is installed: ``apt-get install openbox``), builds the window as ``run_gui`` does, with the
returning user of ``scripts/screenshots.py`` whose check-ins have risen enough for the banner,
follows the banner's link as a person would (a click) and saves the whole screen. Also prints
whether the page's text fits its width (no horizontal scroll bar) at normal and large text.
"""

from __future__ import annotations

import argparse
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

from scripts.screenshots import SIZE, SilentOutput, seed_returning_user  # noqa: E402


def main() -> int:
    """Parse arguments; run the scenario inside Xvfb (with openbox when there is one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "about-your-back.png")
    parser.add_argument("--display", default=":98", help="the Xvfb display to start")
    parser.add_argument("--use-display", action="store_true",
                        help="use $DISPLAY as it is instead of starting Xvfb")
    args = parser.parse_args()
    if args.use_display:
        return shoot(args.out)
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("screenshot_about: Xvfb is not installed", file=sys.stderr)
        return 2
    server = subprocess.Popen([xvfb, args.display, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24",
                               "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    manager: subprocess.Popen[bytes] | None = None
    try:
        time.sleep(1.0)  # let the X server come up
        env = {**os.environ, "DISPLAY": args.display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        if shutil.which("openbox"):
            manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        else:
            print("screenshot_about: no openbox, so no title bars", file=sys.stderr)
        return subprocess.call([sys.executable, __file__, "--use-display", "--out",
                                str(args.out)], env=env)
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(5)


def shoot(out: Path) -> int:
    """Build the real window, show the banner, follow its link, save the screen."""
    from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from player.core.history import PainRating
    from player.ui.application import APP_NAME, build_app, show_window
    from tests.fakes import FakeClock

    qapp = QApplication([sys.argv[0]])
    qapp.setApplicationName(APP_NAME)
    data_dir = Path(tempfile.mkdtemp(prefix="screenshot-about-"))
    seed_returning_user(data_dir)
    app = build_app(qapp, data_dir, SilentOutput, FakeClock())
    window = app.window
    show_window(app)
    window.move(0, 0)
    window.resize(*SIZE)

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    settle()
    assert app.care is not None and app.care.store is not None
    now = datetime.now().astimezone()
    for hours in (70, 62, 54, 46, 38, 30, 20, 6):
        app.care.store.add_rating(PainRating(now - timedelta(hours=hours), "checkin", 6))
    app.care.care.reload()
    app.care.care.refresh()
    settle()
    link = app.care.banner.about_link
    assert link.isVisible(), "the banner is not shown"
    QTest.mouseClick(link, Qt.MouseButton.LeftButton)
    settle()
    dialog = window.show_about_your_back("see-someone")
    dialog.move(window.geometry().topLeft() + QPoint(window.width() - dialog.width() - 40, 60))
    settle(500)
    bar = dialog.browser.horizontalScrollBar()
    print(f"page {dialog.width()}x{dialog.height()}; fits its width: {not bar.isVisible()}")
    pixmap = qapp.primaryScreen().grabWindow(0)
    out.parent.mkdir(parents=True, exist_ok=True)
    pixmap.save(str(out))
    print(f"saved {out} ({pixmap.width()}x{pixmap.height()})")
    window.large_text_action.trigger()
    settle()
    print(f"large text: fits its width: {not bar.isVisible()}")
    window.large_text_action.trigger()
    dialog.close()
    window.close()
    if app.audio is not None:
        app.audio.close()
    if app.care is not None:
        app.care.close()
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
