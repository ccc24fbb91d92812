"""The library page: bundled, own and recent routines; the preview; a broken file's errors."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from player import paths
from player.core.bundled import bundled_routines
from player.core.loader import load_library, load_routine
from player.ui.controllers.library_model import Group
from player.ui.pages.preview_view import problem_line
from tests.unit.ui.harness import Harness

BROKEN = """\
format: 1
title: Broken
blocks:
  - name: Main
    steps:
      - exercise: plankk
        hold: 30s
      - rest: soon
"""

GOOD = """\
format: 1
title: My own stretches
description: Two stretches.
author: A. Physio
schedule: {times_per_week: 3, weeks: 4}
sources: [NHS exercises for back pain]
blocks:
  - name: Stretch
    steps:
      - exercise: hamstring_stretch
        sides: both
        hold: 30s
"""


def test_library_lists_every_bundled_routine_by_title(harness: Harness) -> None:
    library = load_library()
    titles = {load_routine(p, library).routine.title for p in bundled_routines()}
    entries = harness.app.library.entries()
    assert {e.title for e in entries if e.group is Group.BUNDLED} == titles
    view = harness.window.library_view
    shown = [view.topLevelItem(0).child(i).text(0)
             for i in range(view.topLevelItem(0).childCount())]
    assert set(shown) == titles
    assert all(e.usable for e in entries if e.group is Group.BUNDLED)


def test_user_routines_folder_is_created_and_listed(make_harness, isolated_data_dir: Path) -> None:
    folder = paths.user_routines_dir(isolated_data_dir)
    h = make_harness()
    assert folder.is_dir()
    (folder / "mine.yaml").write_text(GOOD)
    h.show()
    own = [e for e in h.app.library.entries() if e.group is Group.USER]
    assert [e.title for e in own] == ["My own stretches"]
    assert not h.window.library_view.empty_hint.isVisible()


def test_an_empty_own_folder_says_so_in_a_wrapped_label_not_a_cut_short_tree_item(
        make_harness) -> None:
    h = make_harness()
    h.show()
    view = h.window.library_view
    hint = view.empty_hint
    assert hint.isVisible() and hint.wordWrap()
    assert ".yaml" in hint.text()
    assert hint.toolTip() == str(h.app.library.user_dir)
    groups = [view.topLevelItem(i) for i in range(view.topLevelItemCount())]
    own = next(g for g in groups if g.text(0) == Group.USER.value)
    assert own.childCount() == 0


def test_selecting_a_routine_previews_it_like_the_timeline_command(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    harness.window.open_file(path)
    preview = harness.window.preview
    assert preview.currentWidget() is preview.routine_page
    assert preview.title_label.text() == "My own stretches"
    assert preview.byline_label.text().startswith("By A. Physio")
    assert "3 times a week for 4 weeks" in preview.facts_label.text()
    assert "Total 01:10" in preview.facts_label.text()
    rows = [preview.steps_tree.topLevelItem(i).text(3)
            for i in range(preview.steps_tree.topLevelItemCount())]
    assert rows == ["Get ready", "Hamstring stretch (left side)", "Switch sides",
                    "Hamstring stretch (right side)"]
    assert "NHS exercises for back pain" in preview.sources_label.text()


def test_a_broken_file_shows_its_errors_with_lines_in_the_window(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    result = harness.window.open_file(path)
    preview = harness.window.preview
    assert preview.currentWidget() is preview.errors_page
    shown = [preview.errors_list.item(i).text() for i in range(preview.errors_list.count())]
    assert shown == [problem_line(p) for p in result.errors]
    assert any(line.startswith("6:19: ") and "plankk" in line for line in shown)
    assert any(line.startswith("8:15: ") for line in shown)
    assert str(path) in preview.errors_path.text()
    assert not harness.window.controller.in_play
    # listed among the recent files, marked as having errors
    entry = harness.app.library.entry_for(path)
    assert entry is not None and entry.group is Group.RECENT and not entry.usable


def test_fixing_the_file_and_reading_it_again_shows_the_routine(
        harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "routine.yaml"
    path.write_text(BROKEN)
    harness.window.open_file(path)
    path.write_text(GOOD + "\n")  # a different size, so the cache sees the change
    harness.window.preview.reload_button.click()
    assert harness.window.preview.currentWidget() is harness.window.preview.routine_page


def test_missing_media_is_a_quiet_note(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "media.yaml"
    path.write_text(GOOD.replace("blocks:", "exercises:\n  own_move:\n    name: Own move\n"
                                 "    illustration: pictures/own.svg\nblocks:")
                    + "      - exercise: own_move\n        hold: 10s\n")
    harness.window.open_file(path)
    preview = harness.window.preview
    assert preview.currentWidget() is preview.routine_page
    assert "own.svg" in preview.warnings_label.text()
    assert preview.warnings_label.isVisibleTo(preview)


def test_recent_files_are_remembered(make_harness, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    first = make_harness()
    first.show(file=path)
    second = make_harness()
    second.show()
    assert second.app.settings.recent_files == [path.resolve()]
    assert any(e.group is Group.RECENT and e.path == path.resolve()
               for e in second.app.library.entries())


def test_a_dropped_file_is_opened(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "dropped.yaml"
    path.write_text(GOOD)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    harness.window.dropEvent(event)
    assert harness.window.preview.title_label.text() == "My own stretches"


def test_command_line_file_with_start_plays_at_once(make_harness, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    h = make_harness()
    h.show(file=path, start=True)
    assert h.window.pages.currentWidget() is h.player
    assert h.player.name_label.text() == "Get ready: Hamstring stretch"


def test_open_dialog_is_replaceable(harness: Harness, tmp_path: Path, monkeypatch) -> None:
    from player.ui.dialogs.session_dialogs import OpenRoutineDialog

    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    monkeypatch.setattr(OpenRoutineDialog, "ask", classmethod(lambda cls, parent, folder: path))
    harness.window.open_action.trigger()
    assert harness.window.preview.path == path.resolve()


def test_the_preview_builds_its_routine_and_errors_pages_once_the_window_is_complete(
        make_harness, qtbot) -> None:
    from player.ui.application import show_window

    h = make_harness()
    show_window(h.app)  # the first paint has not happened yet
    preview = h.window.preview
    assert preview.count() == 1 and not hasattr(preview, "errors_list")
    assert preview.week == 1
    h.window.first_painted.emit()
    assert h.app.care is not None and preview.count() == 1  # not on the way to complete
    qtbot.waitUntil(lambda: preview.count() == 3, timeout=5000)  # once checked, idle
    assert preview.errors_list.count() == 0
    assert preview.currentWidget() is preview.empty_page
