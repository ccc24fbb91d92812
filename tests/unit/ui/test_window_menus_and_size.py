"""The window on the screen it has: its size, its menus in the usual order, its shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMenu

from player.ui.main_window import MINIMUM_SIZE, opening_size
from tests.unit.ui.harness import Harness


def test_the_menus_are_in_the_usual_order(harness: Harness) -> None:
    harness.show()
    titles = [a.text().replace("&", "") for a in harness.window.menuBar().actions()]
    assert titles == ["File", "Session", "View", "Sound", "History", "Help"]
    history = harness.window.history_menu
    assert isinstance(history, QMenu) and history.actions()  # filled once the history is open


def test_every_shortcut_is_listed_in_help_keyboard(harness: Harness) -> None:
    harness.show()
    listed = dict((what, keys) for keys, what in harness.window.keyboard_shortcuts())
    for what, keys in [("Pause", "Space"), ("Stop", "Esc"), ("Next", "Right"),
                       ("Previous", "Left"), ("Mute cues", "M"),
                       ("This hurts: rate the pain and ease off", "H"), ("Quit", "Ctrl+Q")]:
        assert listed[what].split(" or ")[0] == keys, what
    assert listed["Done"].startswith("Return")


def test_the_window_opens_within_the_free_part_of_the_screen(harness: Harness) -> None:
    window = harness.window
    window.fit_to_screen()
    free = window.screen().availableGeometry()
    assert window.width() <= max(free.width(), MINIMUM_SIZE[0])
    assert window.height() <= max(free.height(), MINIMUM_SIZE[1])
    assert window.size() == opening_size(free.size(),
                                         window.frameGeometry().size() - window.size())
    assert free.contains(window.frameGeometry()) or window.size().width() == MINIMUM_SIZE[0]


FRAME = QSize(2, 25)  # openbox's title bar and borders


@pytest.mark.parametrize(("free", "size"), [
    ((1024, 576), (1022, 551)),  # a netbook with a panel: all of the free area
    ((1280, 800), (1200, 775)),  # a 1280x800 laptop: the preferred width, all the height
    ((1920, 1050), (1200, 800)),  # a desktop: the preferred size
    ((3840, 2120), (2304, 1272)),  # 4K: a share of the screen, not a small box in the middle
    ((800, 500), (798, MINIMUM_SIZE[1])),  # never smaller than the layout is made for
])
def test_the_opening_size_follows_the_free_area(free: tuple[int, int],
                                                size: tuple[int, int]) -> None:
    assert opening_size(QSize(*free), FRAME) == QSize(*size)


def test_the_window_can_be_as_small_as_a_netbook(harness: Harness) -> None:
    harness.show()
    harness.window.resize(800, 500)
    assert harness.window.width() == 800 and harness.window.height() == 500


def test_a_refused_start_is_said_in_the_window_not_only_in_the_status_bar(
        harness: Harness, tmp_path) -> None:
    harness.show()
    path = tmp_path / "short.yaml"
    path.write_text("format: 1\ntitle: Short\nblocks:\n  - name: M\n    steps:\n"
                    "      - exercise: plank\n        hold: 5s\n")
    assert harness.window.start_routine(path)
    harness.window.open_file(path)  # another routine while one plays
    strip = harness.window.message_strip
    assert strip.isVisibleTo(harness.window)
    assert strip.text == "Stop the session first to open another routine."
    strip.close_button.click()
    assert not strip.isVisibleTo(harness.window)
