"""The flow layout: a row of buttons that wraps onto more rows rather than squeezing them."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPushButton, QWidget

from player.ui.widgets.flow_layout import FlowLayout


def _row(qapp, width: int) -> tuple[QWidget, list[QPushButton]]:
    host = QWidget()
    layout = FlowLayout(host)
    buttons = [QPushButton(text) for text in ("Open a routine file\u2026", "My routines folder")]
    layout.addWidget(buttons[0])
    layout.addStretch(1)
    layout.insertWidget(1, buttons[1])  # before the stretch, as the care features add theirs
    layout.setGeometry(QRect(0, 0, width, layout.heightForWidth(width)))
    return host, buttons


def test_the_buttons_share_a_row_when_it_is_wide_enough(qapp) -> None:
    host, (first, second) = _row(qapp, 800)
    assert first.y() == second.y()
    assert second.x() > first.geometry().right()
    assert all(b.width() >= b.sizeHint().width() for b in (first, second))


def test_a_narrow_row_wraps_and_no_button_is_squeezed(qapp) -> None:
    first_width = QPushButton("Open a routine file\u2026").sizeHint().width()
    host, (first, second) = _row(qapp, first_width + 20)
    assert second.y() > first.geometry().bottom()
    assert all(b.width() >= b.sizeHint().width() for b in (first, second))
    layout = host.layout()
    assert layout.heightForWidth(first_width + 20) > layout.heightForWidth(800)


def test_what_follows_a_stretch_sits_at_the_right_edge(qapp) -> None:
    host = QWidget()
    layout = FlowLayout(host)
    title, button = QPushButton("Your history"), QPushButton("Back")
    layout.addWidget(title)
    layout.addStretch(1)
    layout.addWidget(button)
    layout.setGeometry(QRect(0, 0, 600, layout.heightForWidth(600)))
    assert button.geometry().right() == 600 - 1
    assert title.x() == 0
