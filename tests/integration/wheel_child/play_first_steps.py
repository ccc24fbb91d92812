"""Run by the installed environment's Python: open the real window on a bundled routine, start it
and let it play its first steps on a clock that runs 20 times faster than real time.

    python play_first_steps.py DATA_DIR ROUTINE_FILE_NAME

Prints one JSON line: where the package was imported from, the step names the window showed,
and the cue files it played. Only the installed package is imported (no test helpers), so this
runs without the checkout.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import player
from player import paths
from player.audio import AudioOutput
from player.core import bundled
from player.core.engine import MonotonicClock
from player.core.history import SYMPTOM_FIELDS, SymptomAnswers
from player.core.thermal import SCREEN_FIELDS, ThermalScreen
from player.settings import Settings, save_settings
from player.store.history import HistoryStore
from player.ui.application import build_app, show_window
from player.ui.dialogs.pain_dialogs import PainRatingDialog

SPEED = 20.0
STEPS = 3
DEADLINE_MS = 60_000


class FastClock:
    """Monotonic time, ``SPEED`` times faster: the real timers drive it, the steps pass sooner."""

    def __init__(self) -> None:
        self.real = MonotonicClock()
        self.start = self.real.now()

    def now(self) -> float:
        return self.start + (self.real.now() - self.start) * SPEED


class Recorder(AudioOutput):
    """Keeps the cue files the app asked to play (the machine may have no sound card)."""

    def __init__(self, report: object = None) -> None:
        super().__init__(None)
        self.played: list[Path] = []

    def play(self, path: Path) -> None:
        self.played.append(Path(path))


def main() -> int:
    data, routine = Path(sys.argv[1]), bundled.ROUTINES_DIR / sys.argv[2]
    save_settings(paths.settings_file(data), Settings(notice_accepted=True))
    with HistoryStore.open(data) as store:  # no to every question, as a session needs first
        at = datetime.now().astimezone()
        store.add_symptoms(SymptomAnswers(at, **dict.fromkeys(SYMPTOM_FIELDS, False)))
        store.add_thermal_screen(ThermalScreen(at, **dict.fromkeys(SCREEN_FIELDS, False)))
    PainRatingDialog.ask = classmethod(lambda cls, *args: None)  # type: ignore[assignment, method-assign]
    qapp = QApplication(sys.argv[:1])
    output = Recorder()
    app = build_app(qapp, data, lambda report: output, FastClock())
    shown: list[str] = []

    def note_step() -> None:
        shown.append(app.window.player.name_label.text())
        if len(shown) >= STEPS:
            qapp.quit()

    # Read the label once the window has handled the step too.
    app.controller.step_started.connect(lambda step: QTimer.singleShot(0, note_step))
    QTimer.singleShot(DEADLINE_MS, qapp.quit)
    show_window(app, routine, start=True)
    qapp.exec()
    app.controller.close_session()
    print(json.dumps({
        "package": str(Path(player.__file__).parent),
        "shown": shown,
        "played": [p.relative_to(bundled.MEDIA_DIR).as_posix() for p in output.played
                   if p.is_relative_to(bundled.MEDIA_DIR)],
        "played_from_package": all(p.is_file() and p.is_relative_to(bundled.MEDIA_DIR)
                                   for p in output.played),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
