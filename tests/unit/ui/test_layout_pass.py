"""A layout pass: at laptop sizes, with normal and large text, no visible label is cut.

A label is cut when it is narrower than its text needs (one line) or shorter than its wrapped
text needs at its width. Every page a person sees during a session is walked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from player.settings import Settings
from tests.unit.ui.harness import Harness

SIZES = [(1024, 600), (1280, 800), (1920, 1080)]

ROUTINE = """\
format: 1
title: A routine with a long enough title to test how the header copes with it
defaults: {lead_in: 2s}
blocks:
  - name: Warm-up and strength
    steps:
      - exercise: glute_bridge
        hold: 5s
        sets: 2
        rest_between_sets: 3s
        note: Keep your ribs down and breathe out as you lift, then lower slowly.
      - exercise: side_plank
        hold: 5s
        sides: both
      - exercise: dead_bug
        reps: 8
"""


def cut_labels(root: QWidget) -> list[str]:
    """The visible labels under ``root`` whose text does not fit them."""
    cut = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text() or label.width() <= 0:
            continue
        hint = label.sizeHint()
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                cut.append(f"{label.accessibleName() or label.text()[:30]!r}: "
                           f"height {label.height()} < {need}")
        elif hint.width() > label.width() + 1:
            cut.append(f"{label.accessibleName() or label.text()[:30]!r}: "
                       f"width {label.width()} < {hint.width()}")
    return cut


@pytest.mark.parametrize("large", [False, True], ids=["normal text", "large text"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_label_is_cut_at_laptop_sizes(make_harness, tmp_path: Path, size: tuple[int, int],
                                         large: bool) -> None:
    h: Harness = make_harness(Settings(large_text=large, notice_accepted=True))
    h.show()
    h.window.resize(*size)
    path = tmp_path / "layout.yaml"
    path.write_text(ROUTINE)
    h.window.open_file(path)
    h.settle()
    found = {"library and preview": cut_labels(h.window)}
    assert h.window.start_routine(path)
    for name, seconds in [("lead-in", 1), ("exercise", 2), ("rest", 5.5)]:
        h.advance(seconds)
        h.settle()
        found[name] = cut_labels(h.window)
    while h.app.controller.in_play:
        h.app.controller.next()
    h.settle()
    found["finished"] = cut_labels(h.window)
    h.app.care.show_history()
    h.settle()
    found["history"] = cut_labels(h.window)
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\ntitle: Broken\nblocks: 3\n")
    h.window.back_to_library()
    h.window.open_file(broken)
    h.settle()
    found["errors"] = cut_labels(h.window)
    assert {page: cut for page, cut in found.items() if cut} == {}
