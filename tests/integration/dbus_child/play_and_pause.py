"""The real window on the session bus of ``$DBUS_SESSION_BUS_ADDRESS``, playing a short routine.

Run as a child process by ``tests/integration/test_keep_awake_dbus.py`` (a process of its own,
so Qt's session-bus connection is made from the address the test set). It plays, pauses,
resumes and stops a session, starts another and closes the window over it, printing one line
per action; then one JSON line with the View menu's notes (what it said when the screen could
not be kept awake).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from player.settings import Settings  # noqa: E402
from player.ui.dialogs.pain_dialogs import PainRatingDialog  # noqa: E402
from player.ui.dialogs.session_dialogs import StopDialog  # noqa: E402
from tests.unit.ui.conftest import answer_every_question_no  # noqa: E402
from tests.unit.ui.harness import Harness  # noqa: E402

ROUTINE = """\
format: 1
title: Awake on the bus
defaults: {lead_in: 2s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 20s
      - exercise: bird_dog
        hold: 10s
"""


def main() -> int:
    qapp = QApplication(sys.argv[:1])
    # Every pain rating skipped; "stop the session?" answered yes.
    PainRatingDialog.ask = classmethod(lambda cls, *args: None)  # type: ignore[method-assign]
    StopDialog.ask = classmethod(lambda cls, parent, closing=False: True)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        os.environ["ROUTINE_PLAYER_DATA_DIR"] = str(data)
        routine = Path(tmp) / "awake.yaml"
        routine.write_text(ROUTINE, encoding="utf-8")
        h = Harness(qapp, data, Settings(spoken_cues=False, notice_accepted=True))
        answer_every_question_no(data)  # else the symptom questions come before the session
        h.show()
        controller = h.app.controller
        steps = [
            ("start", lambda: h.window.start_routine(routine)),
            ("pause", controller.toggle_pause),
            ("resume", controller.toggle_pause),
            ("stop", controller.stop),
            ("start again", lambda: h.window.start_routine(routine)),
            ("close the window", h.window.close),
        ]
        for name, action in steps:
            h.advance(1)
            print(f"{name}: {action()}", flush=True)
            h.settle()
        notes = [a.toolTip() for a in h.window.view_menu.actions() if not a.isEnabled()]
        print(json.dumps({"notes": notes}), flush=True)
        h.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
