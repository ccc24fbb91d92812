"""The preview's Print handout button: asks where, writes the week shown, says where it went."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core import bundled
from player.ui.dialogs.handout_dialog import HandoutFileDialog
from tests.unit.ui.harness import Harness

CORE = bundled.ROUTINES_DIR / "core-strength.yaml"


def ask_with(monkeypatch: pytest.MonkeyPatch, answer: Path | None) -> list[str]:
    asked: list[str] = []

    def ask(cls, parent, suggested: str) -> Path | None:
        asked.append(suggested)
        return answer

    monkeypatch.setattr(HandoutFileDialog, "ask", classmethod(ask))
    return asked


def test_the_button_saves_the_handout_of_the_week_shown(harness: Harness, tmp_path: Path,
                                                        monkeypatch) -> None:
    target = tmp_path / "handout.pdf"
    asked = ask_with(monkeypatch, target)
    harness.window.open_file(CORE)
    preview = harness.window.preview
    preview.week_box.setValue(3)
    preview.handout_button.click()
    assert asked == ["core-strength-week-3-handout.pdf"]
    assert target.read_bytes().startswith(b"%PDF-")
    message = harness.window.statusBar().currentMessage()
    assert message.startswith(f"Handout for week 3 saved to {target}")


def test_cancelling_the_dialog_writes_nothing(harness: Harness, tmp_path: Path,
                                             monkeypatch) -> None:
    asked = ask_with(monkeypatch, None)
    harness.window.open_file(CORE)
    harness.window.preview.handout_button.click()
    assert asked and not list(tmp_path.rglob("*.pdf"))
    assert "Handout" not in harness.window.statusBar().currentMessage()


def test_a_folder_that_cannot_be_written_is_a_message_not_a_crash(
        harness: Harness, tmp_path: Path, monkeypatch) -> None:
    ask_with(monkeypatch, tmp_path / "missing" / "handout.pdf")
    harness.window.open_file(CORE)
    harness.window.preview.handout_button.click()
    assert harness.window.statusBar().currentMessage().startswith(
        "The handout could not be saved")


def test_a_week_outside_the_schedule_is_refused(harness: Harness, monkeypatch) -> None:
    asked = ask_with(monkeypatch, None)
    harness.window.open_file(CORE)
    harness.window.save_handout(CORE, 9)
    assert not asked
    assert "week 9" in harness.window.statusBar().currentMessage()
