"""Private folders and files: 0700 and 0600 whatever the umask; looser ones tightened once."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from player import private_files
from player.private_files import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    PrivateFileHandler,
    create_private_file,
    ensure_private_dir,
    ensure_private_file,
    ensure_private_files,
    prepare_private_file,
    private_opener,
    write_atomically,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="file modes mean nothing on Windows")

LOGGER = private_files.__name__


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER]


def test_the_modes_are_owner_only() -> None:
    assert PRIVATE_DIR_MODE == 0o700
    assert PRIVATE_FILE_MODE == 0o600


# --- New folders and files ----------------------------------------------------------------------


def test_a_new_folder_is_0700_with_its_missing_parents(
        umask: int, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    folder = tmp_path / "a" / "b" / "data"
    assert ensure_private_dir(folder) == folder
    assert mode_of(folder) == 0o700
    assert mode_of(folder.parent) == 0o777 & ~umask  # parents: the usual mode
    assert records(caplog) == []  # nothing was tightened


def test_a_folder_that_cannot_be_made_raises(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(OSError):
        ensure_private_dir(tmp_path / "file" / "data")
    with pytest.raises(OSError):
        ensure_private_dir(tmp_path / "file")


def test_a_new_empty_file_is_0600(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    assert create_private_file(path)
    assert mode_of(path) == 0o600
    assert path.read_bytes() == b""


def test_an_existing_file_is_not_created_again(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"kept")
    path.chmod(0o640)
    assert not create_private_file(path)
    assert path.read_bytes() == b"kept"
    assert mode_of(path) == 0o640


def test_prepare_creates_or_tightens_and_never_raises(
        umask: int, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    new = tmp_path / "new"
    prepare_private_file(new)
    assert mode_of(new) == 0o600
    old = tmp_path / "old"
    old.write_bytes(b"x")
    old.chmod(0o644)
    prepare_private_file(old)
    assert mode_of(old) == 0o600
    assert len(records(caplog)) == 1
    prepare_private_file(tmp_path / "missing" / "file")  # its folder is missing: no error


def test_the_opener_creates_files_0600(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", opener=private_opener) as fh:
        fh.write("data")
        assert mode_of(path) == 0o600  # before anything is written to disk
    assert path.read_text(encoding="utf-8") == "data"
    with open(path, "a", encoding="utf-8", opener=private_opener) as fh:
        fh.write(" more")
    assert path.read_text(encoding="utf-8") == "data more"


def test_the_opener_leaves_an_existing_files_mode_alone(tmp_path: Path) -> None:
    path = tmp_path / "old.log"
    path.write_text("old\n")
    path.chmod(0o644)
    with open(path, "a", encoding="utf-8", opener=private_opener) as fh:
        fh.write("new\n")
    assert mode_of(path) == 0o644  # ensure_private_file's job, with its log line
    with pytest.raises(FileExistsError):
        open(path, "x", opener=private_opener)  # noqa: SIM115 - it raises
    with open(tmp_path / "fresh", "x", opener=private_opener):
        pass
    assert mode_of(tmp_path / "fresh") == 0o600


def test_an_atomic_write_is_0600_and_replaces_a_looser_file(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_atomically(path, b"one")
    assert mode_of(path) == 0o600
    path.chmod(0o644)
    write_atomically(path, b"two")
    assert path.read_bytes() == b"two"
    assert mode_of(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"old")

    def disk_error(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", disk_error)
    with pytest.raises(OSError):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_the_log_handler_makes_its_file_0600(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "routine-player.log"
    handler = PrivateFileHandler(path, encoding="utf-8")
    try:
        assert mode_of(path) == 0o600
        handler.emit(logging.makeLogRecord({"msg": "hello"}))
    finally:
        handler.close()
    assert path.read_text(encoding="utf-8") == "hello\n"


# --- Tightening what an older version (or the umask) left ---------------------------------------


def test_a_looser_folder_is_tightened_once_with_one_log_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o755)
    ensure_private_dir(folder)
    assert mode_of(folder) == 0o700
    [line] = records(caplog)
    assert line.levelno == logging.INFO
    assert str(folder) in line.getMessage()
    assert "0755" in line.getMessage() and "0700" in line.getMessage()
    caplog.clear()
    ensure_private_dir(folder)
    assert records(caplog) == []


def test_a_looser_file_is_tightened_once_with_one_log_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    path = tmp_path / "settings.json"
    path.write_text("{}")
    path.chmod(0o644)
    assert ensure_private_file(path)
    assert mode_of(path) == 0o600
    [line] = records(caplog)
    assert str(path) in line.getMessage()
    assert "0644" in line.getMessage() and "0600" in line.getMessage()
    caplog.clear()
    assert not ensure_private_file(path)
    assert records(caplog) == []


def test_the_owners_own_bits_are_kept(tmp_path: Path) -> None:
    read_only = tmp_path / "read-only"
    read_only.write_text("x")
    read_only.chmod(0o444)
    script = tmp_path / "script"
    script.write_text("x")
    script.chmod(0o755)
    assert ensure_private_files([read_only, script, tmp_path / "missing"]) == [read_only, script]
    assert mode_of(read_only) == 0o400  # still read-only
    assert mode_of(script) == 0o700


def test_a_missing_file_is_not_an_error(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    assert not ensure_private_file(tmp_path / "missing")
    assert records(caplog) == []


def test_a_mode_that_cannot_be_changed_is_a_warning_not_an_error(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    path = tmp_path / "on-a-usb-stick"
    path.write_text("x")
    path.chmod(0o644)

    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    assert not ensure_private_file(path)
    [line] = records(caplog)
    assert line.levelno == logging.WARNING
    assert str(path) in line.getMessage()


def test_a_shared_folder_is_left_open_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: --data-dir /tmp must not close it to everyone else
    ensure_private_dir(shared)
    assert mode_of(shared) == 0o1777
    [line] = records(caplog)
    assert line.levelno == logging.WARNING
    assert str(shared) in line.getMessage() and "shared" in line.getMessage()


def test_another_users_file_is_left_alone_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    path = tmp_path / "theirs"
    path.write_text("x")
    path.chmod(0o644)
    monkeypatch.setattr(os, "geteuid", lambda: path.stat().st_uid + 1)
    assert not ensure_private_file(path)
    assert mode_of(path) == 0o644
    [line] = records(caplog)
    assert line.levelno == logging.WARNING and "another user" in line.getMessage()
