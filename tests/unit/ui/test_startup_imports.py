"""What the window imports before its first paint: nothing that only start-up's later work or a
session needs (each module imported then delays the first paint; issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from player import paths
from player.settings import Settings, save_settings

ROOT = Path(__file__).resolve().parents[3]

#: Run in a fresh interpreter: the window built and shown as run_gui does, the modules loaded
#: listed at its first paint (before finish_startup, which follows that paint).
CHILD = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from player.ui.application import build_app, playsound_output, show_window
from player.ui.controllers.single_instance import claim_or_hand_over

qapp = QApplication([sys.argv[0]])
data = Path(sys.argv[1])
guard = claim_or_hand_over(data)
app = build_app(qapp, data, playsound_output)
seen = []

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not seen:
            seen.append({"modules": sorted(sys.modules), "listed": len(app.library.entries()),
                         "started": app.ready})
            QTimer.singleShot(0, qapp.quit)
        return False

painted = FirstPaint()
app.window.installEventFilter(painted)
show_window(app)
qapp.exec()
guard.release()
print(json.dumps(seen[0]))
"""

#: Each is needed only after the first paint: the history and care rules, the routine model
#: and loader, the runner's week, the sound library, the single-instance dialog, the player,
#: the screen kept awake (made when the first session starts), dates (the settings keep
#: programme starts as text until they are read).
LATER = (
    "player.core.cadence", "player.core.history", "player.core.loader", "player.core.reminders",
    "player.core.report", "player.core.routine", "player.core.today", "player.store",
    "player.audio", "player.ui.care_features", "player.ui.week_features",
    "player.ui.controllers.collector", "player.ui.controllers.keep_awake",
    "player.ui.dialogs.already_open",
    "player.ui.pages.player_view", "PySide6.QtDBus", "datetime", "playsound3", "sqlite3",
    "statistics", "yaml",
)


def test_the_first_paint_waits_for_nothing_that_start_up_does_later(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    save_settings(paths.settings_file(data), Settings(notice_accepted=True))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(data)], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["listed"] > 0 and seen["started"] is False  # the list shown, nothing checked
    loaded = set(seen["modules"])
    early = sorted(m for m in loaded
                   if any(m == name or m.startswith(name + ".") for name in LATER))
    assert early == []
    assert "player.ui.main_window" in loaded  # the child did build the real window


#: The rest of start-up on an empty history: finish_startup and the library's check.
COMPLETE_CHILD = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from player.ui.application import build_app, finish_startup, playsound_output

qapp = QApplication([sys.argv[0]])
app = build_app(qapp, Path(sys.argv[1]), playsound_output)
app.library.refresh_titles()
finish_startup(app)
app.library.wait_until_checked()
qapp.processEvents()
print(json.dumps({"modules": sorted(sys.modules), "banner": app.care is not None
                  and app.care.store is not None, "listed": len(app.library.entries())}))
app.care.close()
"""

#: Needed by the complete window only with a history, or when a dialog, the history page or
#: the report opens.
NOT_FOR_AN_EMPTY_HISTORY = (
    "player.core.report", "statistics", "player.ui.dialogs.pain_dialogs",
    "player.ui.dialogs.symptoms_dialog", "player.ui.dialogs.history_dialogs",
    "player.ui.dialogs.first_run", "player.ui.widgets.pain_chart",
)


def test_the_window_completes_an_empty_history_without_the_report_or_the_dialogs(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    save_settings(paths.settings_file(data), Settings(notice_accepted=True))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", COMPLETE_CHILD, str(data)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
                         check=False)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["banner"] and seen["listed"] > 0
    loaded = set(seen["modules"])
    assert "player.ui.care_features" in loaded and "player.core.loader" in loaded
    assert sorted(loaded & set(NOT_FOR_AN_EMPTY_HISTORY)) == []


#: As the app starts (player.app.main): the library checked in a child process meanwhile.
EARLY_CHILD = """
import json, sys
from pathlib import Path
from player import library_check
early = library_check.start(Path(sys.argv[1]))
from PySide6.QtWidgets import QApplication
from player.ui.application import build_app, finish_startup, playsound_output

qapp = QApplication([sys.argv[0]])
app = build_app(qapp, Path(sys.argv[1]), playsound_output, early_check=early)
app.library.refresh_titles()
finish_startup(app)
app.library.wait_until_checked()
qapp.processEvents()
print(json.dumps({"modules": sorted(sys.modules), "banner": app.care is not None
                  and app.care.store is not None,
                  "checked": [e.checked and e.total_seconds is not None
                              for e in app.library.entries()]}))
app.care.close()
app.library.close_early_check()
"""

#: What the child's check spares the app until a routine is chosen or played.
LEFT_TO_THE_CHILD = ("yaml", "player.core.loader", "player.core.schema", "player.core.yamlsafe",
                     "player.core.routine", "player.core.timeline")


def test_with_the_child_s_check_the_window_completes_without_the_yaml_parser_or_the_loader(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    save_settings(paths.settings_file(data), Settings(notice_accepted=True))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", EARLY_CHILD, str(data)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
                         check=False)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["banner"] and seen["checked"] and all(seen["checked"])
    loaded = set(seen["modules"])
    assert "player.ui.care_features" in loaded and "player.ui.week_features" in loaded
    assert sorted(loaded & set(LEFT_TO_THE_CHILD + NOT_FOR_AN_EMPTY_HISTORY)) == []
