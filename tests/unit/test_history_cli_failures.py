"""``history import`` on a full disk or in a folder it may not write: one line that says so with
the path, a non-zero exit, and every rating already recorded kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.app import main
from player.core.history import PainRating
from player.store.db import DB_FILENAME
from player.store.history import HistoryStore
from tests.permissions import read_only
from tests.tiny_fs import fill, tiny_filesystem

NOW = datetime(2024, 3, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def diary(folder: Path, rows: int) -> Path:
    path = folder / "diary.csv"
    lines = ["timestamp,context,rating,note,session"]
    lines += [f"{(NOW + timedelta(minutes=i)).isoformat()},checkin,{i % 11},{'x' * 200},"
              for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_history(data: Path, ratings: int) -> None:
    with HistoryStore.open(data) as store:
        for i in range(ratings):
            store.add_rating(PainRating(NOW - timedelta(days=i + 1), "checkin", 3, note="kept"))


def count(data: Path) -> int:
    store = HistoryStore.open_read_only(data)
    assert store is not None
    with store:
        return len(store.ratings())


def test_import_on_a_full_disk_says_so_and_keeps_what_was_recorded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = diary(tmp_path, 4000)  # far more than the space left
    with tiny_filesystem(tmp_path / "tiny", size="1m") as tiny:
        data = tiny / "data"
        make_history(data, 10)
        (tiny / "spare").write_bytes(b"\0" * 200_000)
        filler = fill(tiny)
        (tiny / "spare").unlink()  # room to open the history, not to import the diary
        assert main(["--data-dir", str(data), "history", "import", str(big)]) == 1
        err = capsys.readouterr().err
        assert err == (f"routine-player: Could not import your pain diary: the disk is full "
                       f"({data}). Free some space and try again. Everything saved before is "
                       "kept.\n")
        filler.unlink()
        assert count(data) == 10


def test_import_into_a_folder_that_cannot_be_written_is_permission_denied(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    make_history(data, 3)
    small = diary(tmp_path, 2)
    with read_only(data, data / DB_FILENAME):
        assert main(["--data-dir", str(data), "history", "import", str(small)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("routine-player: Could not open your history: permission denied: "
                          "the history file or its folder cannot be written to "
                          f"({data / DB_FILENAME}).")
    assert count(data) == 3
