"""The library checks routine files on a worker thread; a bad file never stops start-up.

Every hostile routine of the corpus is put in the person's routines folder (one of them also
among the recent files): the window starts, lists every one (broken ones marked), and the
history, the care banner and the week features are all there. Files are read and checked on a
pool thread, never on the GUI thread; a file whose check fails in an unforeseen way is listed as
broken and the others are checked. ``bench/bench_library_responsive.py`` measures how long the
event loop is ever blocked meanwhile.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from player import paths
from player.core import loader
from player.ui.controllers.library_model import Group
from tests.unit.test_hostile_corpus import ROUTINE_CASES, ROUTINES


def _hostile_folder(data_dir: Path) -> Path:
    folder = paths.user_routines_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for case in ROUTINE_CASES:
        shutil.copy(ROUTINES / f"{case.name}.yaml", folder)
    return folder


def test_every_hostile_file_is_listed_and_start_up_finishes(
        make_harness, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _hostile_folder(isolated_data_dir)
    threads: dict[str, str] = {}
    real = loader.load_routine

    def recording(path: Path, *args, **kwargs):
        threads[Path(path).name] = threading.current_thread().name
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_routine", recording)
    h = make_harness()
    h.app.settings.add_recent_file(folder / "bomb-alias-steps.yaml")
    h.show()
    entries = {e.path.name: e for e in h.app.library.entries() if e.group is Group.USER}
    assert set(entries) == {f"{c.name}.yaml" for c in ROUTINE_CASES}
    for case in ROUTINE_CASES:
        entry = entries[f"{case.name}.yaml"]
        broken = case.line is not None and case.severity == "error"
        assert entry.checked and entry.usable is not broken, case.name
    main = threading.main_thread().name
    assert all(threads[f"{c.name}.yaml"] != main for c in ROUTINE_CASES), threads
    # nothing switched off: the history, the care banner and the week's features are there
    assert h.app.care is not None and h.app.week is not None
    assert h.app.care.banner is not None
    assert h.window.library_view.select_path(folder / "bomb-alias-steps.yaml")


def test_a_file_whose_check_fails_is_listed_broken_and_the_others_are_checked(
        make_harness, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _hostile_folder(isolated_data_dir)
    real = loader.load_routine

    def failing(path: Path, *args, **kwargs):
        if Path(path).name == "bidi-override-name.yaml":
            raise RuntimeError("a bug this file finds")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_routine", failing)
    h = make_harness()
    h.show()
    entry = h.app.library.entry_for(folder / "bidi-override-name.yaml")
    assert entry is not None and entry.checked and not entry.usable
    other = h.app.library.entry_for(folder / "bidi-isolate-escape.yaml")
    assert other is not None and other.usable and other.total_seconds == 15  # the get-ready and the hold
    assert h.app.care is not None and h.app.week is not None


def test_a_newer_check_supersedes_one_still_running(harness, tmp_path: Path) -> None:
    library = harness.app.library
    before = library.entries()
    library.check_in_background()
    library.check_in_background()
    assert library.checking
    library.wait_until_checked()
    assert not library.checking
    assert [e.path for e in library.entries()] == [e.path for e in before]
