"""What the window says when the history is edited, or the disk fills up mid-session: in plain
words with the path, never a traceback, and nothing already recorded is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from player import paths
from player.settings import Settings, save_settings
from player.store.db import DB_FILENAME
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now
from player.ui.dialogs.history_dialogs import NoticeDialog
from tests.tiny_fs import fill, tiny_filesystem
from tests.unit.ui.harness import Harness

ROUTINE = """\
format: 1
title: Ten planks
defaults: {lead_in: 1s}
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 2s
        sets: 10
        rest_between_sets: 1s
"""


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch, no_care_dialogs: None) -> list[str]:
    """The notices the window shows (every other care dialog is unexpected)."""
    shown: list[str] = []
    monkeypatch.setattr(NoticeDialog, "show_notice",
                        classmethod(lambda cls, parent, text: shown.append(text)))
    return shown


def routine(tmp_path: Path) -> Path:
    path = tmp_path / "planks.yaml"
    path.write_text(ROUTINE)
    return path


def harness_on(qapp: QApplication, data_dir: Path) -> Harness:
    h = Harness(qapp, data_dir, Settings(spoken_cues=False, notice_accepted=True))
    h.show()
    return h


def test_an_edited_history_is_kept_aside_with_a_notice_and_new_sessions_are_recorded(
        qapp: QApplication, isolated_data_dir: Path, tmp_path: Path,
        notices: list[str], questions_answered_no: list[tuple[str, ...]]) -> None:
    with HistoryStore.open(isolated_data_dir) as store:
        store.start_session(routine_title="Before the edit", started_at=local_now())
    conn = sqlite3.connect(isolated_data_dir / DB_FILENAME)
    conn.execute("ALTER TABLE sessions DROP COLUMN done_exercise_seconds")
    conn.commit()
    conn.close()
    h = harness_on(qapp, isolated_data_dir)
    try:
        assert len(notices) == 1
        assert notices[0].startswith("Your history file is damaged and could not be read "
                                     "(the table sessions has no column done_exercise_seconds)")
        assert len(list(isolated_data_dir.glob(f"{DB_FILENAME}.corrupt-*"))) == 1
        assert h.window.start_routine(routine(tmp_path))
        h.advance(5)
        assert h.app.care is not None and h.app.care.store is not None
        stored = h.app.care.store.sessions()
        assert [s.routine_title for s in stored] == ["Ten planks"]
        assert h.app.care.store.steps(stored[0].id)
    finally:
        h.close()


def test_a_full_disk_mid_session_is_said_in_the_window_and_keeps_the_steps_saved(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        no_care_dialogs: None, questions_answered_no: list[tuple[str, ...]]) -> None:
    with tiny_filesystem(tmp_path / "tiny", size="2m") as tiny:
        data = tiny / "data"
        monkeypatch.setenv("ROUTINE_PLAYER_DATA_DIR", str(data))
        h = harness_on(qapp, data)
        try:
            assert h.window.start_routine(routine(tmp_path))
            h.advance(4)  # lead-in and the first plank
            store = h.app.care.store if h.app.care is not None else None
            assert store is not None
            session = store.sessions()[-1].id
            saved = len(store.steps(session))
            assert saved >= 2
            filler = fill(tiny)
            h.advance(20)  # the rest of the planks, none of which can be saved
            message = h.window.statusBar().currentMessage()
            assert message.startswith("Could not save")
            assert f"the disk is full ({data})" in message
            assert "Everything saved before is kept." in message
            filler.unlink()
        finally:
            h.close()
        with HistoryStore.open(data) as after:
            assert len(after.steps(session)) >= saved


def test_a_data_folder_that_cannot_be_written_is_permission_denied_in_a_notice(
        qapp: QApplication, isolated_data_dir: Path, notices: list[str]) -> None:
    from tests.permissions import read_only

    with HistoryStore.open(isolated_data_dir) as store:
        store.start_session(routine_title="Recorded", started_at=local_now())
    (isolated_data_dir / "routines").mkdir(exist_ok=True)
    save_settings(paths.settings_file(isolated_data_dir),
                  Settings(spoken_cues=False, notice_accepted=True))
    path = isolated_data_dir / DB_FILENAME
    before = path.read_bytes()
    with read_only(isolated_data_dir, path):
        h = Harness(qapp, isolated_data_dir)
        h.show()
        try:
            assert notices == [
                "Could not open your history: permission denied: the history file or its "
                f"folder cannot be written to ({path}). Check that the folder exists and that "
                "you may write to it. Everything saved before is kept. The app works without "
                "your history until this is fixed; nothing already saved has been changed."]
        finally:
            h.close()
    assert path.read_bytes() == before
