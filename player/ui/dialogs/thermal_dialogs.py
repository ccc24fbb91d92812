"""The ice and heat questions of clinical-notes.md v2, each behind a classmethod tests replace.

* ``ThermalScreenDialog.ask(parent, known=None, *, notice="") -> ThermalScreen | None``: the
  screen asked before the first ice or heat step ever (and from the menu later, and again when
  the last answers cannot be read, with *notice* saying so): poor circulation or Raynaud's, cold
  urticaria, diabetes or reduced feeling, broken skin, a rash or swelling. Every question needs
  a yes or a no; None when closed.
* ``ThermalWaitDialog.ask(parent, words) -> "wait" | "skip"``: ice (or heat) cannot start yet
  ("ice again from HH:MM"): wait for it, or skip this step.
* ``SkinBackDialog.ask(parent) -> bool | None``: after a hold, "is your skin back to normal?"
  (None: closed without answering, the step is skipped).
* ``DamagedRecordsDialog.tell(parent, lines) -> None``: ice and heat records that cannot be read,
  what the app does about them (shown once a run, before the next ice or heat step).

Every text is plain text, in module constants.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from player.core.thermal import ASK_SKIN_BACK, THERMAL_SCREEN_QUESTIONS, ThermalScreen
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole

SCREEN_TITLE = "Before ice or heat"
SCREEN_INTRO = ("Ice and heat are not safe for everyone. Please answer these questions; a yes "
                "means the app skips that kind of step and suggests you ask a clinician first. "
                "You can change your answers later (History menu).")
SCREEN_SAVE = "Save my answers"
SCREEN_CANCEL = "Not now (skip this step)"
SCREEN_LEFT = "{count} still to answer."
SCREEN_DONE = "Every question is answered."
WAIT_TITLE = "Not yet"
WAIT_BUTTON = "Wait"
SKIP_BUTTON = "Skip this step"
SKIN_TITLE = "Your skin"
SKIN_YES = "Yes, it is back to normal"
SKIN_NO = "No, not yet"
DAMAGED_TITLE = "Some ice and heat records cannot be read"
DAMAGED_OK = "I understand"

WaitChoice = Literal["wait", "skip"]


class ThermalScreenDialog(QDialog):
    """The contraindication screen: every question Yes or No, neither chosen at first (or as
    answered before, when changing them)."""

    def __init__(self, parent: QWidget | None = None, known: ThermalScreen | None = None,
                 now: datetime | None = None, notice: str = "") -> None:
        super().__init__(parent)
        self._now = now
        self.setWindowTitle(SCREEN_TITLE)
        self.setAccessibleName(SCREEN_TITLE)
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(SCREEN_TITLE, TextRole.HEADING))
        self.notice = TextLabel(notice, wrap=True)
        bold = self.notice.font()
        bold.setBold(True)
        self.notice.setFont(bold)
        self.notice.setVisible(bool(notice))
        layout.addWidget(self.notice)
        layout.addWidget(TextLabel(SCREEN_INTRO, wrap=True))
        self.answers_given: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self._groups: list[QButtonGroup] = []
        for question in THERMAL_SCREEN_QUESTIONS:
            layout.addWidget(TextLabel(question.question, wrap=True))
            row = QHBoxLayout()
            yes, no = QRadioButton("Yes", self), QRadioButton("No", self)
            yes.setAccessibleName(f"Yes: {question.question}")
            no.setAccessibleName(f"No: {question.question}")
            group = QButtonGroup(self)
            group.addButton(yes)
            group.addButton(no)
            group.buttonToggled.connect(self._update)
            self._groups.append(group)
            before = None if known is None else getattr(known, question.field)
            if before is not None:
                (yes if before else no).setChecked(True)
            row.addSpacing(16)
            row.addWidget(yes)
            row.addSpacing(24)
            row.addWidget(no)
            row.addStretch(1)
            layout.addLayout(row)
            self.answers_given[question.field] = (yes, no)
        self.remaining = TextLabel("", wrap=True)
        layout.addWidget(self.remaining)
        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(SCREEN_SAVE)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(SCREEN_CANCEL)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._update()

    def answers(self) -> ThermalScreen | None:
        """The answers, or None while one is missing."""
        values: dict[str, Any] = {}
        for field, (yes, no) in self.answers_given.items():
            if not (yes.isChecked() or no.isChecked()):
                return None
            values[field] = yes.isChecked()
        return ThermalScreen(self._now or datetime.now().astimezone(), **values)

    def accept(self) -> None:
        """Close with the answers, once all are given."""
        if self.answers() is not None:
            super().accept()

    def _update(self, *_args: object) -> None:
        left = sum(1 for g in self._groups if g.checkedButton() is None)
        self.remaining.setText(SCREEN_DONE if not left else SCREEN_LEFT.format(count=left))
        self.save_button.setEnabled(left == 0)

    @classmethod
    def ask(cls, parent: QWidget | None, known: ThermalScreen | None = None, *,
            notice: str = "") -> ThermalScreen | None:
        """The answers, or None when closed without saving; *notice* (plain text) is shown
        above the questions, e.g. why they are asked again."""
        dialog = cls(parent, known, notice=notice)
        try:
            return dialog.answers() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class _Choice(QDialog):
    """A heading, plain-text lines and two buttons; ``choice`` is the one pressed (or None)."""

    def __init__(self, parent: QWidget | None, title: str, lines: tuple[str, ...],
                 options: tuple[tuple[str, str], ...]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(title, TextRole.HEADING, wrap=True))
        for line in lines:
            layout.addWidget(TextLabel(line, wrap=True))
        buttons = QDialogButtonBox(self)
        self.buttons: dict[str, QPushButton] = {}
        for i, (key, text) in enumerate(options):
            button = QPushButton(text)
            button.setAccessibleName(text)
            button.setDefault(i == 0)
            button.clicked.connect(lambda _c=False, k=key: self._choose(k))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            self.buttons[key] = button
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def _choose(self, key: str) -> None:
        self.choice = key
        self.accept()

    def run(self) -> str | None:
        try:
            self.exec()
            return self.choice
        finally:
            self.deleteLater()


class ThermalWaitDialog(_Choice):
    """An ice or heat step that may not start yet: wait, or skip it."""

    def __init__(self, parent: QWidget | None, words: tuple[str, ...]) -> None:
        super().__init__(parent, WAIT_TITLE, words, (("wait", WAIT_BUTTON), ("skip", SKIP_BUTTON)))

    @classmethod
    def ask(cls, parent: QWidget | None, words: tuple[str, ...]) -> WaitChoice:
        """``wait`` or ``skip`` (closing the dialog skips: nothing starts too soon)."""
        return "wait" if cls(parent, words).run() == "wait" else "skip"


class SkinBackDialog(_Choice):
    """After a skin hold: is the skin back to normal?"""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, SKIN_TITLE, (ASK_SKIN_BACK,),
                         (("yes", SKIN_YES), ("no", SKIN_NO), ("skip", SKIP_BUTTON)))

    @classmethod
    def ask(cls, parent: QWidget | None) -> bool | None:
        """True (normal), False (not yet), or None (skipped without answering)."""
        choice = cls(parent).run()
        return None if choice in (None, "skip") else choice == "yes"


class DamagedRecordsDialog(_Choice):
    """Says which ice and heat records cannot be read, and the safer reading the app takes."""

    def __init__(self, parent: QWidget | None, lines: tuple[str, ...]) -> None:
        super().__init__(parent, DAMAGED_TITLE, lines, (("ok", DAMAGED_OK),))

    @classmethod
    def tell(cls, parent: QWidget | None, lines: tuple[str, ...]) -> None:
        """Show *lines* until the person closes the dialog."""
        cls(parent, lines).run()
