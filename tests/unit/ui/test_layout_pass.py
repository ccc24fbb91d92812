"""A layout pass: at laptop sizes, with normal and large text, no visible label is cut.

A label is cut when it is narrower than its text needs (one line), shorter than its wrapped
text needs at its width, or partly hidden by a widget it sits in (a scroll area too small for
it: text cut mid-line). A tree's item (the library, the preview's steps) is cut when its cell
is narrower or shorter than its text needs (elided with "..."). Every page a person sees during a session is walked, every kind of step
included, and paused. The count is printed as the layout figure (docs/figures.md):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -s tests/unit/ui/test_layout_pass.py
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QStyle, QTreeView, QWidget

from player.core.engine import EngineState
from player.core.timeline import StepKind
from player.settings import Settings
from tests.unit.ui.harness import Harness

#: Laptop screens, and the narrowest window the layout is made for (picture above the clock).
SIZES = [(1024, 600), (1280, 800), (1920, 1080), (760, 1000)]

ROUTINE = """\
format: 1
title: A routine with a long enough title to test how the header copes with it
schedule: {times_per_week: 3, weeks: 6}
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
      - exercise: pelvic_tilt
        reps: 10
        tempo: {up: 1s, hold: 3s, down: 1s}
      - rest: 10s
      - cadence: 180
        duration: 1m
        name: Quick feet at 180
        exercise: quick_feet
"""


def _shown_rect(label: QLabel, root: QWidget) -> QRect:
    """The part of ``label`` (in its own coordinates) that the widgets it sits in let show."""
    shown = label.rect()
    widget: QWidget = label
    offset = widget.pos()
    parent = widget.parentWidget()
    while parent is not None and widget is not root:
        shown = shown.intersected(parent.rect().translated(-offset))
        widget = parent
        offset += widget.pos()
        parent = widget.parentWidget()
    return shown


def _item_need(tree: QTreeView, index: QModelIndex, width: int) -> tuple[int, int]:
    """The width (one line) and height (wrapped at ``width`` when the tree wraps) that an
    item's text, its icon and the style's margins need."""
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font if isinstance(font, QFont) else tree.font())
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    icon = 0
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:
        icon = tree.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 2 * margin
    text = str(index.data())
    one_line = metrics.horizontalAdvance(text) + 2 * margin + icon
    if not tree.wordWrap():
        return one_line, metrics.height()
    box = metrics.boundingRect(QRect(0, 0, max(1, width - 2 * margin - icon), 100_000),
                               int(Qt.TextFlag.TextWordWrap), text)
    widest_word = max(metrics.horizontalAdvance(word) for word in text.split() or [""])
    return min(one_line, widest_word + 2 * margin + icon), box.height()


def cut_items(tree: QTreeView) -> list[str]:
    """The shown items of ``tree`` whose text is elided or cut (its rows and columns)."""
    cut = []
    model = tree.model()
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                if column == 0 and tree.isExpanded(index):
                    pending.append(index)
                if not index.data() or tree.isRowHidden(row, parent):
                    continue
                rect = tree.visualRect(index)
                width, height = _item_need(tree, index, rect.width())
                if width > rect.width() + 1 or height > rect.height() + 1:
                    cut.append(f"item {str(index.data())[:30]!r}: {rect.width()}x"
                               f"{rect.height()} < {width}x{height}")
    return cut


def cut_labels(root: QWidget) -> list[str]:
    """The visible labels, buttons and tree items under ``root`` whose text does not fit."""
    cut = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text() or label.width() <= 0:
            continue
        name = f"{label.accessibleName() or label.text()[:30]!r}"
        hint = label.sizeHint()
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                cut.append(f"{name}: height {label.height()} < {need}")
                continue
        elif hint.width() > label.width() + 1 or label.minimumSizeHint().height() > \
                label.height() + 1:
            cut.append(f"{name}: {label.width()}x{label.height()} < {hint.width()}x"
                       f"{label.minimumSizeHint().height()}")
            continue
        shown = _shown_rect(label, root)
        if not shown.isEmpty() and shown.size() != label.size():  # partly hidden
            cut.append(f"{name}: {shown.width()}x{shown.height()} of {label.width()}x"
                       f"{label.height()} px shown")
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root) and button.text() and \
                button.sizeHint().width() > button.width() + 1:
            cut.append(f"button {button.text()!r}: width {button.width()} < "
                       f"{button.sizeHint().width()}")
    for tree in root.findChildren(QTreeView):
        if tree.isVisibleTo(root):
            cut += cut_items(tree)
    return cut


def walk_pages(h: Harness, tmp_path: Path) -> dict[str, list[str]]:
    """Every page of a session, each kind of step among them: its cut labels."""
    path = tmp_path / "layout.yaml"
    path.write_text(ROUTINE)
    h.window.open_file(path)
    h.settle()
    found = {"library and preview": cut_labels(h.window)}
    assert h.window.start_routine(path)
    h.advance(1)
    h.settle()
    found["lead-in"] = cut_labels(h.window)
    controller = h.app.controller
    while controller.in_play:
        step = h.engine.current
        assert step is not None
        page = f"{step.index}: {step.kind.value} {step.name}"
        h.advance(1)
        h.settle()
        found[page] = cut_labels(h.window)
        if step.kind is StepKind.EXERCISE and step.timed and "paused" not in found:
            controller.pause()
            h.settle()
            assert h.engine.state is EngineState.PAUSED
            found["paused"] = cut_labels(h.window)
            controller.resume()
        controller.next()
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
    return found


CASES = [pytest.param(size, large, id=f"{size[0]}x{size[1]}-{'large' if large else 'normal'} text")
         for size in SIZES for large in (False, True)]


@pytest.mark.parametrize(("size", "large"), CASES)
def test_no_label_is_cut_at_laptop_sizes(make_harness, tmp_path: Path, size: tuple[int, int],
                                         large: bool, capsys: pytest.CaptureFixture[str]) -> None:
    h: Harness = make_harness(Settings(large_text=large, notice_accepted=True))
    h.show()
    h.window.resize(*size)
    found = walk_pages(h, tmp_path)
    count = sum(len(cut) for cut in found.values())
    with capsys.disabled():
        print(f"\nlayout pass {size[0]}x{size[1]}, {'large' if large else 'normal'} text: "
              f"{count} cut labels on {len(found)} pages")
    assert {page: cut for page, cut in found.items() if cut} == {}
