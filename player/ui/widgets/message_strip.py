"""A line across the top of the window for what the person needs to know now.

The status bar is easy to miss (and off the screen on a small laptop with a panel): a store
error, a start that was refused, sound that is unavailable are said here, in the window, until
they are closed or time out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import PAGE_MARGIN

# User-visible text, in one place for translation.
CLOSE = "Close"


class MessageStrip(QFrame):
    """One message at a time, in plain text, with a Close button; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.setAutoFillBackground(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(PAGE_MARGIN, 6, PAGE_MARGIN, 6)
        self.label = TextLabel("", wrap=True)
        self.label.setAccessibleName("Message")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.label, 1)
        self.close_button = QPushButton(CLOSE)
        self.close_button.setAccessibleName("Close the message")
        self.close_button.clicked.connect(self.dismiss)
        row.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    @property
    def text(self) -> str:
        """The message shown ("" when hidden)."""
        return self.label.text() if self.isVisibleTo(self.parentWidget() or self) else ""

    def show_message(self, text: str, seconds: int) -> None:
        """Show ``text`` for ``seconds`` (or until closed), in place of any earlier message."""
        self.label.setText(text)
        self.show()
        self._timer.start(seconds * 1000)

    def dismiss(self) -> None:
        """Hide the message."""
        self._timer.stop()
        self.hide()
