"""Child process for the strace test: load a routine and draw every picture it names, and the
extra picture paths given, in the real IllustrationView (offscreen), then print ``drawn N``.

    python draw_pictures.py ROUTINE [PICTURE ...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from player.core import pictures  # noqa: E402
from player.core.loader import load_library, load_routine  # noqa: E402
from player.ui.widgets.illustration import PLACEHOLDER, IllustrationView, Picture  # noqa: E402


def main(routine: Path, extra: list[Path]) -> int:
    app = QApplication([])
    result = load_routine(routine, load_library())
    if result.routine is None:
        print("routine refused:", [p.message for p in result.problems])
        return 1
    view = IllustrationView()
    view.set_folders(pictures.allowed_folders(routine))
    paths = [step.exercise.illustration or PLACEHOLDER
             for block in result.routine.blocks for step in block.steps]
    for path in [*paths, *extra]:
        view.set_picture(Picture(path))
        deadline = time.monotonic() + 5
        while not view.drawn:
            if time.monotonic() > deadline:
                print("not drawn:", path)
                return 1
            app.processEvents()
            time.sleep(0.005)
        view.grab()  # paint it, as the window would
    print("drawn", len(paths) + len(extra))
    return 0


if __name__ == "__main__":
    code = main(Path(sys.argv[1]), [Path(a) for a in sys.argv[2:]])
    sys.stdout.flush()
    os._exit(code)  # without waiting for a worker a broken build left stuck on a FIFO
