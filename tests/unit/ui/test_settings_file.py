"""The settings file: defaults, round trip, corrupt files, recent files, the Qt model."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest

from player.settings import MAX_RECENT_FILES, Settings, load_settings, save_settings
from player.ui.controllers.app_settings import AppSettings


def test_missing_file_gives_defaults_without_warning(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "settings.json")
    assert loaded.settings == Settings()
    assert loaded.warning is None


def test_round_trip_keeps_values_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"muted": True, "from_a_newer_version": {"x": 1}}))
    loaded = load_settings(path).settings
    loaded.large_text = True
    assert save_settings(path, loaded) is None
    data = json.loads(path.read_text())
    assert data["muted"] is True and data["large_text"] is True
    assert data["from_a_newer_version"] == {"x": 1}
    assert load_settings(path).settings == loaded


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "\"muted\"", ""])
def test_corrupt_file_falls_back_to_defaults_with_a_warning(
        tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text)
    with caplog.at_level(logging.WARNING):
        loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.warning is not None and "default" in loaded.warning
    assert any("settings" in r.getMessage() for r in caplog.records)


def test_undecodable_file_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded = load_settings(path)
    assert loaded.settings == Settings() and loaded.warning


def test_wrong_types_fall_back_per_key(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"muted": "yes", "large_text": True, "recent_files": "a.yaml"}))
    loaded = load_settings(path)
    assert loaded.settings.muted is False  # default
    assert loaded.settings.large_text is True  # kept
    assert loaded.settings.recent_files == []
    assert loaded.warning is not None and "muted" in loaded.warning


def test_recent_files_move_to_front_and_keep_ten(tmp_path: Path) -> None:
    settings = Settings()
    for i in range(MAX_RECENT_FILES + 3):
        settings.recent_files = settings.with_recent(tmp_path / f"r{i}.yaml")
    settings.recent_files = settings.with_recent(tmp_path / "r5.yaml")
    assert len(settings.recent_files) == MAX_RECENT_FILES
    assert settings.recent_files[0] == str((tmp_path / "r5.yaml").resolve())
    assert settings.recent_files.count(str((tmp_path / "r5.yaml").resolve())) == 1


def test_save_failure_is_a_message_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    message = save_settings(blocker / "settings.json", Settings())
    assert message is not None and "could not be saved" in message


def test_app_settings_saves_and_announces_each_change(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    model = AppSettings.load(path)
    with qtbot.waitSignal(model.muted_changed) as blocker:
        model.set_muted(True)
    assert blocker.args == [True]
    with qtbot.assertNotEmitted(model.muted_changed):
        model.set_muted(True)  # no change, no signal
    with qtbot.waitSignal(model.recent_files_changed):
        model.add_recent_file(tmp_path / "a.yaml")
    again = AppSettings.load(path)
    assert again.muted is True
    assert again.recent_files == [(tmp_path / "a.yaml").resolve()]


def test_app_settings_reports_save_failures(qtbot, tmp_path: Path) -> None:
    blocker_file = tmp_path / "file"
    blocker_file.write_text("")
    model = AppSettings.load(blocker_file / "settings.json")
    with qtbot.waitSignal(model.save_failed):
        model.set_large_text(True)
    assert model.large_text is True  # the change still applies


# --- Owner only ---------------------------------------------------------------------------------

needs_modes = pytest.mark.skipif(os.name == "nt", reason="file modes mean nothing on Windows")


@needs_modes
def test_saved_settings_are_0600_in_a_0700_folder(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "data" / "settings.json"
    assert save_settings(path, Settings(muted=True)) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert save_settings(path, Settings(muted=False)) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@needs_modes
def test_a_readable_settings_file_is_tightened_once_when_read(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"muted": True}))
    path.chmod(0o644)
    with caplog.at_level(logging.INFO, "player.private_files"):
        assert load_settings(path).settings.muted is True
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [r.getMessage() for r in caplog.records] == [
            f"made {path} private: mode 0644 -> 0600"]
        caplog.clear()
        load_settings(path)
        assert caplog.records == []
