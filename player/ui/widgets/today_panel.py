"""The "Today" section at the top of the library: what is due, and where each programme stands.

Handed rows already worded (:func:`player.core.today.standing_words`) and whether the
next-morning check is pending; it lays them out and says what the person chose through its
signals. Titles come from routine files written by other people, so every label is plain text.
Hidden while there is nothing scheduled and no check pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QVBoxLayout, QWidget

from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole


@dataclass(frozen=True)
class TodayRow:
    """One scheduled routine: its file, title, the standing in words, and whether it is due."""

    path: Path
    title: str
    standing: str
    due: bool


class TodayPanel(QFrame):
    """Lists what is due today (each with Start), the morning check when pending, and the other
    scheduled routines' standing."""

    start_requested = Signal(Path)
    morning_check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(ACCESSIBLE_NAME)
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(HEADING, TextRole.HEADING))
        self._grid = QGridLayout()
        self._grid.setColumnStretch(0, 1)
        layout.addLayout(self._grid)
        self._rows: list[TodayRow] = []
        self._morning = False
        self.start_buttons: dict[Path, QPushButton] = {}
        self.morning_button: QPushButton | None = None
        self.setVisible(False)

    @property
    def rows(self) -> list[TodayRow]:
        """The rows shown."""
        return list(self._rows)

    def lines(self) -> list[str]:
        """The text shown, one string a line (what a person reads, in order)."""
        out = []
        for i in range(self._grid.count()):
            item = self._grid.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, TextLabel) and widget.text():
                out.append(widget.text())
        return out

    def show_today(self, rows: list[TodayRow], morning_pending: bool) -> None:
        """Show ``rows`` (due first, in the order given) and the morning check if pending."""
        if rows == self._rows and morning_pending == self._morning:
            return
        self._rows, self._morning = list(rows), morning_pending
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.start_buttons = {}
        self.morning_button = None
        line = 0
        if morning_pending:
            self._grid.addWidget(TextLabel(MORNING_PENDING, wrap=True), line, 0)
            self.morning_button = QPushButton(RATE_NOW)
            self.morning_button.clicked.connect(self.morning_check_requested)
            self._grid.addWidget(self.morning_button, line, 1)
            line += 1
        due = [r for r in rows if r.due]
        if rows and not due:
            self._grid.addWidget(TextLabel(NOTHING_DUE, dim=True), line, 0)
            line += 1
        for row in [*due, *(r for r in rows if not r.due)]:
            self._grid.addWidget(TextLabel(row.title, wrap=True), line, 0)
            if row.due:
                button = QPushButton(START)
                button.setAccessibleName(START_NAME.format(title=row.title))
                button.clicked.connect(lambda _=False, p=row.path: self.start_requested.emit(p))
                self.start_buttons[row.path] = button
                self._grid.addWidget(button, line, 1, 2, 1)
            self._grid.addWidget(TextLabel(row.standing, TextRole.SMALL, wrap=True,
                                           dim=not row.due), line + 1, 0)
            line += 2
        self.setVisible(bool(rows) or morning_pending)


# User-visible text, in one place for translation.
ACCESSIBLE_NAME = "Today"
HEADING = "Today"
NOTHING_DUE = "Nothing is due today."
MORNING_PENDING = "The morning after your last session: how is your back?"
RATE_NOW = "Rate it now"
START = "Start"
START_NAME = "Start {title}"
