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


def written(harness: Harness) -> None:
    """Wait for the handout's worker, then deliver its answer (queued to the GUI thread)."""
    assert harness.window.wait_for_handout(timeout=60)
    harness.qapp.processEvents()


def test_the_button_saves_the_handout_of_the_week_shown(harness: Harness, tmp_path: Path,
                                                        monkeypatch) -> None:
    target = tmp_path / "handout.pdf"
    asked = ask_with(monkeypatch, target)
    harness.window.open_file(CORE)
    preview = harness.window.preview
    preview.week_box.setValue(3)
    preview.handout_button.click()
    assert asked == ["core-strength-week-3-handout.pdf"]
    assert harness.window.statusBar().currentMessage() == "Making the handout for week 3\u2026"
    written(harness)
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
    written(harness)
    assert harness.window.statusBar().currentMessage().startswith(
        "The handout could not be saved")


def test_a_week_outside_the_schedule_is_refused(harness: Harness, monkeypatch) -> None:
    asked = ask_with(monkeypatch, None)
    harness.window.open_file(CORE)
    harness.window.save_handout(CORE, 9)
    assert not asked
    assert "week 9" in harness.window.statusBar().currentMessage()


def test_the_window_keeps_working_while_the_handout_is_made(harness: Harness, tmp_path: Path,
                                                           monkeypatch) -> None:
    import threading

    from player.ui import handout_pdf

    started, release = threading.Event(), threading.Event()
    real = handout_pdf.write_handout_pdf
    threads: list[str] = []

    def slow(*args, **kwargs):
        threads.append(threading.current_thread().name)
        started.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(handout_pdf, "write_handout_pdf", slow)
    first, second = tmp_path / "one.pdf", tmp_path / "two.pdf"
    answers = iter([first, second])
    monkeypatch.setattr(HandoutFileDialog, "ask", classmethod(lambda cls, p, s: next(answers)))
    harness.window.open_file(CORE)
    harness.window.preview.handout_button.click()
    assert started.wait(30)
    # While the worker is busy the window answers: the week box moves, a second asks to wait.
    harness.window.preview.week_box.setValue(2)
    assert harness.window.preview.week == 2
    harness.window.preview.handout_button.click()
    assert "still being made" in harness.window.statusBar().currentMessage()
    release.set()
    written(harness)
    assert threads == ["handout"]  # made off the GUI thread
    assert first.read_bytes().startswith(b"%PDF-") and not second.exists()
    assert harness.window.statusBar().currentMessage().startswith("Handout for week 1 saved")


def test_closing_the_window_waits_for_the_handout(harness: Harness, tmp_path: Path,
                                                 monkeypatch) -> None:
    target = tmp_path / "handout.pdf"
    ask_with(monkeypatch, target)
    harness.window.open_file(CORE)
    harness.window.preview.handout_button.click()
    harness.window.quit()
    assert target.read_bytes().startswith(b"%PDF-")  # finished, not cut off
