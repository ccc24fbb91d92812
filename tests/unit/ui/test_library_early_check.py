"""The window lists the library from the check made in a child process before Qt was imported
(player.library_check), the care banner finds the routine an old history followed from it, and
whatever the child could not vouch for is checked in the app as before."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from player import library_check, paths
from player.core import loader, played
from player.core.clinical import DEFAULT_THRESHOLDS
from player.routine_files import routine_candidates
from player.store.history import HistoryStore
from player.ui.application import finish_idle_startup, finish_startup, show_window
from player.ui.controllers.library_model import Group
from tests.unit.test_hostile_corpus import ROUTINE_CASES, ROUTINES
from tests.unit.test_library_check import STRICT


def _listed(entries) -> dict[str, tuple]:
    return {e.path.name: (e.group, e.title, e.total_seconds, e.error_count, e.checked)
            for e in entries}


def _start_without_idle(h) -> None:
    """show() up to the complete window, without the idle work after it (the warm-up)."""
    show_window(h.app)
    finish_startup(h.app)
    h.app.library.wait_until_checked()
    h.qapp.processEvents()


@pytest.fixture
def hostile_folder(isolated_data_dir: Path) -> Path:
    folder = paths.user_routines_dir(isolated_data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for case in ROUTINE_CASES:
        shutil.copy(ROUTINES / f"{case.name}.yaml", folder)
    (folder / "strict.yaml").write_text(STRICT, encoding="utf-8")
    return folder


def test_the_list_from_the_child_is_the_list_the_app_makes_and_nothing_is_parsed_here(
        make_harness, hostile_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_app = make_harness()
    in_app.show()
    expected = _listed(in_app.app.library.entries())
    parsed: list[str] = []
    real = loader.load_routine
    monkeypatch.setattr(loader, "load_routine",
                        lambda path, *a, **k: parsed.append(Path(path).name) or real(path, *a, **k))
    h = make_harness(early_check=True)
    _start_without_idle(h)
    assert _listed(h.app.library.entries()) == expected
    assert {name for name, (group, *_rest) in expected.items() if group is Group.USER} \
        == {f"{c.name}.yaml" for c in ROUTINE_CASES} | {"strict.yaml"}
    assert parsed == []  # every file was vouched for by the child
    assert h.app.library.cached(hostile_folder / "strict.yaml") is None
    finish_idle_startup(h.app)  # then the files are loaded, off the GUI thread, for the preview
    h.app.library._pool.waitForDone()
    assert h.app.library.cached(hostile_folder / "strict.yaml") is not None
    assert h.window.library_view.select_path(hostile_folder / "strict.yaml")


def test_a_file_changed_since_the_child_checked_it_is_checked_here(
        make_harness, hostile_folder: Path) -> None:
    h = make_harness(early_check=True)
    early = h.app.library._early_check
    assert early is not None and early.results() is not None  # the child has checked it
    strict = hostile_folder / "strict.yaml"
    strict.write_text(STRICT.replace("title: Strict routine", "title: Stricter routine"),
                      encoding="utf-8")
    os.utime(strict, ns=(strict.stat().st_atime_ns, strict.stat().st_mtime_ns + 10**9))
    _start_without_idle(h)
    entry = h.app.library.entry_for(strict)
    assert entry is not None and entry.title == "Stricter routine"
    assert h.app.library.cached(strict) is not None  # loaded here
    assert h.app.library.checked_routines(routine_candidates(h.app.data_dir)) is None


def test_a_child_that_fails_leaves_the_check_to_the_app(
        make_harness, hostile_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_app = make_harness()
    in_app.show()
    expected = _listed(in_app.app.library.entries())

    def failing(data_dir: Path) -> library_check.EarlyCheck:
        output, into = os.pipe()
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", "import sys; sys.exit(1)"],
                             os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, into, 1)])
        os.close(into)
        return library_check.EarlyCheck(pid, output)

    monkeypatch.setattr(library_check, "start", failing)
    h = make_harness(early_check=True)
    _start_without_idle(h)
    assert _listed(h.app.library.entries()) == expected
    assert h.app.library.checked_routines(routine_candidates(h.app.data_dir)) is None


def test_an_old_history_is_judged_with_its_routine_s_thresholds_found_by_the_child(
        make_harness, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = paths.user_routines_dir(isolated_data_dir)
    folder.mkdir(parents=True)
    (folder / "strict.yaml").write_text(STRICT, encoding="utf-8")
    started = datetime.now(UTC) - timedelta(days=1)
    with HistoryStore.open(isolated_data_dir) as store:  # recorded before thresholds were kept
        sid = store.start_session(routine_title="Strict routine", routine_version="2",
                                  started_at=started)
        store.finish_session(sid, "completed", started + timedelta(minutes=20))
    in_app = make_harness()
    in_app.show()
    stricter = in_app.app.care.care.thresholds
    assert stricter != DEFAULT_THRESHOLDS and stricter.severe_count == 1
    in_app.close()

    def parsing(*_args, **_kwargs):
        raise AssertionError("the routine files were parsed again in the app")

    monkeypatch.setattr(played, "find_played_routine", parsing)
    h = make_harness(early_check=True)
    early = h.app.library._early_check
    assert early is not None and early.results() is not None  # in before the first paint
    h.show()
    assert h.app.care.care.thresholds == stricter
