"""Dialogs that ask the person something, each behind a small classmethod tests can replace.

``BarrierDialog.ask(parent, step) -> bool | "skip"`` (its "Skip this step" button), ``SkinCheckDialog.ask(parent, step) -> bool``,
``StopDialog.ask(parent, closing) -> bool``, ``KeyboardDialog.show_keys(parent, rows)``,
``OpenRoutineDialog.ask(parent, folder) -> Path | None`` and
``ErrorDialog.show_error(parent, summary, details)``. Every text is plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from player.core.durations import format_duration
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole

if TYPE_CHECKING:
    from player.core.timeline import TimelineStep

#: What the person must do before an ice or heat timer starts (clinical-notes.md, Ice and heat),
#: by step kind (``StepKind.ICE`` / ``StepKind.HEAT``, which are these strings).
BARRIER_ADVICE: dict[str, tuple[str, ...]] = {
    "ice": (
        "Wrap the cold pack in a thin, damp cloth or towel. Never put ice on bare skin.",
        "Stop at once if your skin burns, goes numb or turns white.",
        "Skip ice if you have poor circulation, Raynaud's, or reduced feeling in your skin.",
    ),
    "heat": (
        "Put a towel between the heat pack and your skin, and use a low setting.",
        "Never fall asleep with a heat pad on.",
        "Do not use heat on swollen, bruised or numb skin.",
    ),
}

SKIN_CHECK_QUESTION = "Take the pack off and look at your skin. Is it its normal colour and feeling?"
SKIN_PROBLEM_ADVICE = (
    "Leave the pack off and let your skin come back to its normal temperature slowly. "
    "Do not use ice or heat again until it looks and feels normal. If it stays numb, white "
    "or blistered, get advice from a health professional."
)


class _Question(QDialog):
    """A short question with plain-text lines and two answers."""

    def __init__(self, parent: QWidget | None, title: str, heading: str, lines: list[str],
                 yes: str, no: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxQuestion).pixmap(size, size))
        layout.addWidget(icon, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(TextLabel(heading, TextRole.HEADING, wrap=True))
        for line in lines:
            layout.addWidget(TextLabel(line, wrap=True))
        buttons = QDialogButtonBox(self)
        self.yes_button = QPushButton(yes)
        self.yes_button.setAccessibleName(yes)
        self.yes_button.setDefault(True)
        self.no_button = QPushButton(no)
        self.no_button.setAccessibleName(no)
        buttons.addButton(self.yes_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.no_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


BarrierAnswer = bool | Literal["skip"]
"""True: the barrier is in place, start the timer; False: not yet; ``skip``: skip this step."""
SKIP_STEP = "Skip this step"


class BarrierDialog(_Question):
    """Asks the person to confirm a cloth barrier before an ice or heat timer starts; "Skip
    this step" skips it (clinical-notes.md v2: every thermal prompt can skip its step)."""

    def __init__(self, parent: QWidget | None, step: TimelineStep) -> None:
        what = "ice" if step.kind == "ice" else "heat"
        lines = list(BARRIER_ADVICE.get(step.kind, ()))
        if step.capped and step.requested_seconds is not None:
            lines.append(f"The timer is capped at {format_duration(step.planned_seconds)} "
                         f"(the routine asked for {format_duration(step.requested_seconds)}).")
        if step.note:
            lines.append(step.note)
        super().__init__(parent, f"Before the {what}",
                         f"Is there a cloth between the {what} pack and your skin?", lines,
                         "Yes, start the timer", "Not yet")
        self.skipped = False
        self.skip_button = QPushButton(SKIP_STEP)
        self.skip_button.setAccessibleName(SKIP_STEP)
        self.skip_button.clicked.connect(self._skip)
        box = self.findChild(QDialogButtonBox)
        if box is not None:
            box.addButton(self.skip_button, QDialogButtonBox.ButtonRole.ActionRole)

    def _skip(self) -> None:
        self.skipped = True
        self.reject()

    @classmethod
    def ask(cls, parent: QWidget | None, step: TimelineStep) -> BarrierAnswer:
        """True when the person confirms the barrier, ``skip`` to skip the step."""
        dialog = cls(parent, step)
        confirmed = _run(dialog)
        return "skip" if dialog.skipped else confirmed


class SkinCheckDialog(_Question):
    """Asks the person to check their skin after ice or heat."""

    def __init__(self, parent: QWidget | None, step: TimelineStep) -> None:
        what = "ice" if step.kind == "ice" else "heat"
        super().__init__(parent, "Check your skin", f"The {what} is finished.",
                         [SKIN_CHECK_QUESTION], "Yes, it looks normal",
                         "No: numb, white, blistered or burning")

    @classmethod
    def ask(cls, parent: QWidget | None, step: TimelineStep) -> bool:
        """True when the skin looks normal."""
        return _run(cls(parent, step))


class StopDialog(_Question):
    """Asks before a session is stopped (Enter stops, Esc keeps going)."""

    def __init__(self, parent: QWidget | None, closing: bool) -> None:
        if closing:
            super().__init__(parent, CLOSE_TITLE, CLOSE_HEADING, [STOP_SAVED],
                             CLOSE_YES, STOP_NO)
        else:
            super().__init__(parent, STOP_TITLE, STOP_HEADING, [STOP_SAVED, STOP_RESUMABLE],
                             STOP_YES, STOP_NO)

    @classmethod
    def ask(cls, parent: QWidget | None, closing: bool = False) -> bool:
        """True when the person confirms the stop (``closing``: and closing the app)."""
        return _run(cls(parent, closing))


# User-visible text of the stop question, in one place for translation.
STOP_TITLE = "Stop the session"
STOP_HEADING = "Stop this session?"
STOP_SAVED = "Everything you have done so far is saved."
STOP_RESUMABLE = "You can resume it from this step afterwards."
STOP_YES = "Stop the session"
STOP_NO = "Keep going"
CLOSE_TITLE = "A session is playing"
CLOSE_HEADING = "Stop the session and close Routine Player?"
CLOSE_YES = "Stop and close"


class KeyboardDialog(QDialog):
    """Help > Keyboard: every shortcut and what it does."""

    def __init__(self, parent: QWidget | None, rows: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(KEYBOARD_TITLE)
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(KEYBOARD_HEADING, TextRole.HEADING, wrap=True))
        from PySide6.QtWidgets import QGridLayout

        grid = QGridLayout()
        for row, (keys, what) in enumerate(rows):
            key_label = TextLabel(keys)
            key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key_label, row, 0)
            grid.addWidget(TextLabel(what, wrap=True), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @classmethod
    def show_keys(cls, parent: QWidget | None, rows: list[tuple[str, str]]) -> None:
        """Show the shortcuts until the dialog is closed."""
        _run(cls(parent, rows))


# User-visible text of the keyboard help, in one place for translation.
KEYBOARD_TITLE = "Keyboard"
KEYBOARD_HEADING = "Keyboard shortcuts"


class OpenRoutineDialog:
    """Asks for a routine file to open."""

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path) -> Path | None:
        """The chosen file, or None."""
        name, _ = QFileDialog.getOpenFileName(parent, "Open a routine", str(folder),
                                              "Routine files (*.yaml *.yml);;All files (*)")
        return Path(name) if name else None


class ErrorDialog(QDialog):
    """Tells the person that something went wrong, without a traceback in their face."""

    def __init__(self, parent: QWidget | None, summary: str, details: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(summary, TextRole.HEADING, wrap=True))
        layout.addWidget(TextLabel(details, wrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @classmethod
    def show_error(cls, parent: QWidget | None, summary: str, details: str) -> None:
        """Show the message and wait until it is closed."""
        _run(cls(parent, summary, details))


def _run(dialog: QDialog) -> bool:
    """Show ``dialog`` modally, free it afterwards; True when it was accepted."""
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
