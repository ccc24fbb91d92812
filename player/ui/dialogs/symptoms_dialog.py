"""The symptom questions of :data:`player.core.care.SYMPTOM_QUESTIONS` (or those due), yes or no.

``SymptomsDialog.ask(parent, now=None, *, fields=None, may_put_off=False, record=None)
-> FormResult``: ``saved``, ``cancelled`` or ``put_off``.

Answers are recorded as they are given (clinical-notes.md v2): each Yes or No chosen is passed
at once to ``record`` as a :class:`SymptomAnswers` holding that one answer, so closing or
cancelling the form keeps what was answered. Nothing is answered for the person: each question
has a "Yes" and a "No" and neither is chosen at first, so a red flag is never recorded as "no" by
default; "Save" is enabled once every question shown has an answer, and a line says how many are
left. The emergency questions come first, under a line saying that any "yes" there means getting
emergency help now (answering one of them yes shows that again, at once, in a strong warning),
then those that need care today. At first run the whole form may be put off once ("Ask me before
my next session").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player.core.care import SYMPTOM_QUESTIONS, URGENT_WHAT_TO_DO, SymptomQuestion
from player.core.history import SymptomAnswers
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole

TITLE = "Symptom questions"
INTRO = ("Please answer every question. Your answers stay on this computer and help the app "
         "tell you when to get care. They are not a diagnosis.")
URGENT_GROUP = "Signs that need emergency help"
URGENT_GROUP_NOTE = ("If you answer yes to any question in this group, get emergency help now: "
                     "go to an emergency department or call your emergency number.")
TODAY_GROUP = "Signs that need care today"
TODAY_GROUP_NOTE = ("If you answer yes to any question in this group, contact your GP, an "
                    "urgent-care line or your cancer team today.")
SOON_GROUP = "Signs to see a GP or physiotherapist soon"
URGENT_WARNING = "You answered yes to a sign that needs urgent care. " + URGENT_WHAT_TO_DO
TODAY_WARNING = ("You answered yes to a sign that needs care today. Contact your GP, an "
                 "urgent-care line or your cancer team today.")
SAVE_TEXT = "Save my answers"
CANCEL_TEXT = "Close"
CANCEL_NAME = "Close: the answers given so far are kept"
PUT_OFF_TEXT = "Ask me before my next session"
KEPT_NOTE = "Each answer is saved as soon as you choose it."
ALL_ANSWERED = "Every question is answered."
LEFT_ONE = "1 question still to answer."
LEFT_MANY = "{count} questions still to answer."

FormResult = Literal["saved", "cancelled", "put_off"]
Record = Callable[[SymptomAnswers], object]


class _Question(QWidget):
    """One question with a Yes and a No, neither chosen at first."""

    def __init__(self, question: SymptomQuestion, number: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.question = question
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        self.label = TextLabel(f"{number}. {question.question}", wrap=True)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        self.yes = QRadioButton("Yes", self)
        self.no = QRadioButton("No", self)
        self.yes.setAccessibleName(f"Yes: {question.question}")
        self.no.setAccessibleName(f"No: {question.question}")
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        row.addSpacing(16)
        row.addWidget(self.yes)
        row.addSpacing(24)
        row.addWidget(self.no)
        row.addStretch(1)
        layout.addLayout(row)
        self.label.setBuddy(self.yes)

    @property
    def answered(self) -> bool:
        """True once Yes or No is chosen."""
        return self.group.checkedButton() is not None


class SymptomsDialog(QDialog):
    """Asks every symptom question; Save once all are answered."""

    def __init__(self, parent: QWidget | None = None, now: datetime | None = None, *,
                 fields: Sequence[str] | None = None, may_put_off: bool = False,
                 record: Record | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._fields = None if fields is None else frozenset(fields)
        self._record = record
        self.result_kind: FormResult = "cancelled"
        self.setWindowTitle(TITLE)
        self.setModal(True)
        self.setAccessibleName(TITLE)
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        outer.addWidget(TextLabel(TITLE, TextRole.HEADING))
        outer.addWidget(TextLabel(INTRO, wrap=True))
        self.warning = TextLabel(URGENT_WARNING, TextRole.HEADING, wrap=True)
        self.warning.setAccessibleName("Urgent warning")
        self.warning.setAutoFillBackground(True)
        self.warning.setMargin(8)
        palette = self.warning.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(165, 0, 28))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("white"))
        self.warning.setPalette(palette)
        self.warning.setForegroundRole(QPalette.ColorRole.WindowText)
        self.warning.hide()
        outer.addWidget(self.warning)
        self.today_warning = TextLabel(TODAY_WARNING, TextRole.HEADING, wrap=True)
        self.today_warning.setAccessibleName("Warning: care today")
        self.today_warning.hide()
        outer.addWidget(self.today_warning)
        outer.addWidget(self._questions_area(), 1)
        outer.addWidget(TextLabel(KEPT_NOTE, TextRole.SMALL, wrap=True, dim=True))
        self.remaining = TextLabel("", wrap=True)
        self.remaining.setAccessibleName("Questions left to answer")
        outer.addWidget(self.remaining)
        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(SAVE_TEXT)
        self.save_button.setAccessibleName(SAVE_TEXT)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(CANCEL_TEXT)
        self.cancel_button.setAccessibleName(CANCEL_NAME)
        self.put_off_button = QPushButton(PUT_OFF_TEXT)
        self.put_off_button.setAccessibleName(PUT_OFF_TEXT)
        self.put_off_button.clicked.connect(self._put_off)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.put_off_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.put_off_button.setVisible(may_put_off)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(640, 720)
        self._update()
        self.questions[0].yes.setFocus()

    def _questions_area(self) -> QScrollArea:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(4)
        self.questions: list[_Question] = []
        def tier(level: str) -> list[SymptomQuestion]:
            return [q for q in SYMPTOM_QUESTIONS if q.level == level
                    and (self._fields is None or q.field in self._fields)]

        for heading, note, group in ((URGENT_GROUP, URGENT_GROUP_NOTE, tier("emergency")),
                                     (TODAY_GROUP, TODAY_GROUP_NOTE, tier("urgent_today")),
                                     (SOON_GROUP, "", tier("see_professional"))):
            if not group:
                continue
            layout.addWidget(TextLabel(heading, TextRole.HEADING, wrap=True))
            if note:
                emphasis = TextLabel(note, wrap=True)
                font = emphasis.font()
                font.setBold(True)
                emphasis.setFont(font)
                layout.addWidget(emphasis)
            for question in group:
                item = _Question(question, len(self.questions) + 1, body)
                item.group.buttonToggled.connect(self._update)
                item.yes.toggled.connect(
                    lambda on, field=question.field: self._answered(field, True, on))
                item.no.toggled.connect(
                    lambda on, field=question.field: self._answered(field, False, on))
                self.questions.append(item)
                layout.addWidget(item)
            line = QFrame(body)
            line.setFrameShape(QFrame.Shape.HLine)
            layout.addWidget(line)
        layout.addStretch(1)
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(body)
        area.setAccessibleName("Questions")
        return area

    def _at(self) -> datetime:
        return self._now or datetime.now().astimezone()

    def answers(self) -> SymptomAnswers | None:
        """The answers to the questions shown, or None while one is unanswered."""
        if not all(q.answered for q in self.questions):
            return None
        given: dict[str, Any] = {q.question.field: q.yes.isChecked() for q in self.questions}
        return SymptomAnswers(self._at(), **given)

    @property
    def urgent_yes(self) -> bool:
        """True when an emergency question is answered yes."""
        return any(q.question.level == "emergency" and q.yes.isChecked() for q in self.questions)

    @property
    def today_yes(self) -> bool:
        """True when an urgent-today question is answered yes."""
        return any(q.question.level == "urgent_today" and q.yes.isChecked()
                   for q in self.questions)

    def accept(self) -> None:
        """Close with the answers, once every question is answered."""
        if self.answers() is not None:
            self.result_kind = "saved"
            super().accept()

    def _put_off(self) -> None:
        self.result_kind = "put_off"
        super().accept()

    def _answered(self, field: str, yes: bool, checked: bool) -> None:
        """Record one answer the moment it is given."""
        if checked and self._record is not None:
            values: dict[str, Any] = {field: yes}
            self._record(SymptomAnswers(self._at(), **values))

    @classmethod
    def ask(cls, parent: QWidget | None = None, now: datetime | None = None, *,
            fields: Sequence[str] | None = None, may_put_off: bool = False,
            record: Record | None = None) -> FormResult:
        """``saved`` (every question answered), ``put_off`` or ``cancelled``; each answer was
        passed to *record* as it was given, whatever the result."""
        dialog = cls(parent, now, fields=fields, may_put_off=may_put_off, record=record)
        try:
            dialog.exec()
            return dialog.result_kind
        finally:
            dialog.deleteLater()

    def _update(self, *_args: object) -> None:
        left = sum(1 for q in self.questions if not q.answered)
        self.remaining.setText(ALL_ANSWERED if not left else
                               LEFT_ONE if left == 1 else LEFT_MANY.format(count=left))
        self.save_button.setEnabled(left == 0)
        self.warning.setVisible(self.urgent_yes)
        self.today_warning.setVisible(self.today_yes and not self.urgent_yes)
