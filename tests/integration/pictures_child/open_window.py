"""Child process for the window figure: open the real window on a routine and play it through.

    python open_window.py DATA_DIR ROUTINE EVENTS_JSON

Starts as ``run_gui`` does (application identity, logging into DATA_DIR, the window, start-up
after the first paint), offscreen, on a fake clock and a sound output that plays nothing (so no
sound device is opened), with the care dialogs answered "not now". It opens ROUTINE, starts it
and plays every step, waiting at each for its picture to be drawn and painting the window.

A Python audit hook, installed before anything of the app is imported, records every file
opened from Python (``open``, ``os.open``), every socket made or connected and every process
started; they are written to EVENTS_JSON with the step names seen and what the picture note
said. The test reads that file, and may run this under strace to see Qt's own opens too.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

EVENTS: list[list[str]] = []
_WATCHED = ("open", "os.open", "socket.__new__", "socket.connect", "socket.bind",
            "socket.getaddrinfo", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
            "os.spawn")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in _WATCHED:
        first = args[0] if args else ""
        EVENTS.append([event, os.fsdecode(first) if isinstance(first, (str, bytes)) else repr(first)])


sys.addaudithook(_hook)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from player import paths  # noqa: E402
from player.settings import Settings, save_settings  # noqa: E402
from player.ui.application import (  # noqa: E402
    build_app,
    configure_logging,
    identify_application,
    show_window,
)
from player.ui.dialogs.pain_dialogs import PainRatingDialog  # noqa: E402
from tests.fakes import FakeClock, RecordingOutput  # noqa: E402
from tests.unit.ui.conftest import answer_every_question_no  # noqa: E402

#: Longest the child plays (fake seconds) before giving up on the session ending.
MAX_SECONDS = 3600


def main(data_dir: Path, routine: Path, events_file: Path) -> int:
    qapp = QApplication([sys.argv[0]])
    identify_application(qapp)
    save_settings(paths.settings_file(data_dir), Settings(spoken_cues=False, notice_accepted=True))
    answer_every_question_no(data_dir)  # else the symptom questions come before the session
    _, handlers = configure_logging(data_dir)
    PainRatingDialog.ask = classmethod(lambda cls, *args: None)  # type: ignore[method-assign]
    clock = FakeClock()
    app = build_app(qapp, data_dir, RecordingOutput, clock)
    show_window(app)
    for _ in range(200):  # until the first paint has finished start-up
        qapp.processEvents()
        if app.ready:
            break
    window = app.window
    window.open_file(routine)
    if not window.start_routine(routine.resolve(), 1):
        print("the routine did not start")
        return 1
    names: list[str] = []
    notes: list[str] = []
    player = window.player
    for _ in range(int(MAX_SECONDS / 0.5)):
        driver = app.controller.driver
        if driver is None:
            break
        name = player.name_label.text()
        if not names or names[-1] != name:
            names.append(name)
            deadline = time.monotonic() + 10
            while not player.illustration.drawn and time.monotonic() < deadline:
                qapp.processEvents()  # the picture is drawn on a worker thread
                time.sleep(0.005)
            window.grab()  # paint it, as the screen would
            notes.append(player.missing_label.text() if player.missing_picture.isVisibleTo(player)
                         else "")
        clock.advance(0.5)
        driver.timer.timeout.emit()
        qapp.processEvents()
    app.controller.close_session()
    if app.care is not None:
        app.care.close()
    window.close()
    qapp.processEvents()
    for handler in handlers:
        handler.close()
    events_file.write_text(json.dumps({"events": EVENTS, "steps": names, "notes": notes}))
    return 0


if __name__ == "__main__":
    code = main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    sys.stdout.flush()
    os._exit(code)  # without waiting for a picture worker (daemon threads)
