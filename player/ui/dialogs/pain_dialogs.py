"""Asking for a 0-10 pain rating, the in-session "this hurts" question, and what to do next.

* ``PainRatingDialog.ask(parent, context, title) -> (rating, note, body_area) | None``: the
  rating before or after a session, during one, or in a daily check-in; None when skipped.
* ``HurtsDialog.ask(parent, has_easier_variant, stop_level, stop_signs=()) -> (rating | None,
  feel, signs) | None``: what the pain is like mid-exercise (sharp, a dull ache, pain spreading
  down a leg, or numbness or tingling in a leg), and which of the exercise's ``stop_if`` signs
  (format 1.1) the person ticked; the caller applies :func:`player.core.care.in_session_action`
  or, for a sign, :func:`player.core.stop_signs.care_kind`.
* ``InSessionAdvice.ask(parent, action, exercise, easier, finished=False) -> choice``: says in
  plain words to stop the exercise and try its easier variant, or to skip it, or that carrying
  on is fine (``finished``: said after the exercise's last set, by the per-exercise check).

The 0-10 scale shows the anchor words of :data:`~player.core.clinical.PAIN_ANCHORS` under the
numbers; digit keys choose a number (1 then 0 for 10), arrow keys move, Enter accepts.
"""

from __future__ import annotations

import time
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from player.core.care import InSessionAction
from player.core.clinical import IN_SESSION_STOP_LEVEL, PAIN_ANCHORS, PAIN_MAX, PAIN_MIN
from player.core.history import RatingContext
from player.core.stop_signs import CHOICES_HEADING, StopSign
from player.core.text import without_bidi_controls
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole

#: The question asked for each kind of rating.
QUESTIONS: dict[RatingContext, str] = {
    "before": "How bad is your back pain right now, before you start?",
    "after": "How bad is your back pain now, after the session?",
    "during": "How bad is the pain right now?",
    "checkin": "How bad is your back pain right now?",
    "morning_after": ("How is your back this morning, compared with before yesterday's "
                      "session?"),
}
#: "This hurts": what the pain feels like, in the order offered.
FEELS: tuple[tuple[PainFeel, str, str], ...] = (
    ("sharp", "&Sharp or stabbing", "Sharp or stabbing pain"),
    ("ache", "&Dull ache or soreness", "Dull ache or soreness"),
    ("leg_pain", "Pain spreading down my &leg", "Pain spreading down a leg"),
    ("leg_numb", "&Numbness or tingling in my leg", "Numbness or tingling in a leg"),
)
HURTS_RULE = ("Sharp or stabbing pain, or pain of {stop_level} or more, means stop this "
              "exercise: {then}. Pain spreading down a leg, or numbness or tingling in a leg, "
              "means stop it and answer a few questions. Mild soreness that eases as you warm "
              "up is fine.")
HURTS_THEN_EASIER = "you will be offered an easier version of it"
HURTS_THEN_SKIP = "you will be asked to skip it"
FINISHED_STOP = ("That rating means stop: {exercise} is not played again in this session "
                 "as it was.")
#: Body areas offered (the person may type another).
BODY_AREAS = ("", "Lower back", "Lower back, left side", "Lower back, right side", "Buttock",
              "Hip", "One leg", "Both legs", "Upper back", "Neck")
KEYS_HINT = "Press 0 to 9 (1 then 0 for 10) or click a number. Enter saves."
# Bands shown under the numbers: (first, last, words), from PAIN_ANCHORS.
_BANDS = ((0, 0), (1, 3), (4, 6), (7, 9), (10, 10))
_TEN_WINDOW_SECONDS = 1.0  # "1" then "0" within this long is 10

PainAnswer = tuple[int, str, str]
PainFeel = Literal["sharp", "ache", "leg_pain", "leg_numb"]
"""What "This hurts" says the pain is like: sharp or stabbing; a dull ache or soreness; pain
spreading down a leg; numbness or tingling in a leg (the last two lead to the symptom
questions, clinical-notes.md v2)."""
HurtsAnswer = tuple[int | None, PainFeel | None, tuple[StopSign, ...]]
LEG_FEELS: frozenset[PainFeel] = frozenset({"leg_pain", "leg_numb"})
InSessionChoice = Literal["easier", "skip", "stop", "continue", "easier_routine"]
#: Offered when the routine links an easier routine (format 1.1) and the exercise must stop.
EASIER_ROUTINE_CHOICE = "Switch to the easier routine"
EASIER_ROUTINE_TEXT = ("Your physiotherapist has linked an easier routine for a day like this: "
                       "you can end this session and open it.")


def describe_rating(rating: int) -> str:
    """``5 (moderate)``."""
    return f"{rating} ({PAIN_ANCHORS[rating]})"


class RatingScale(QWidget):
    """Eleven buttons, 0 to 10, with the anchor words under them; none chosen at first.

    :meth:`handle_key` lets the dialog holding it pass on digit and arrow keys.
    """

    rating_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pain rating from 0, no pain, to 10, worst pain imaginable")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        for value in range(PAIN_MIN, PAIN_MAX + 1):
            button = QPushButton(str(value), self)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setAccessibleName(f"{value}, {PAIN_ANCHORS[value]}")
            button.setMinimumSize(40, 40)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setStyleSheet("QPushButton:checked { background: palette(highlight);"
                                 " color: palette(highlighted-text); font-weight: bold; }")
            self.group.addButton(button, value)
            self.buttons.append(button)
            grid.addWidget(button, 0, value)
            grid.setColumnStretch(value, 1)
        for first, last in _BANDS:
            words = PAIN_ANCHORS[first]
            label = TextLabel(words if first == last else f"{first}-{last} {words}",
                              TextRole.SMALL, wrap=True, dim=True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, 1, first, 1, last - first + 1)
        self.group.idToggled.connect(self._on_id_toggled)
        self._last_digit: tuple[str, float] | None = None

    @property
    def rating(self) -> int | None:
        """The chosen rating, or None."""
        value = self.group.checkedId()
        return None if value < 0 else value

    def set_rating(self, value: int) -> None:
        """Choose *value* (0-10) and move the keyboard focus to it."""
        button = self.buttons[value]
        button.setChecked(True)
        button.setFocus()

    def handle_key(self, event: QKeyEvent) -> bool:
        """Digits choose (1 then 0 quickly is 10); Left/Right/Home/End move. True if used."""
        key = Qt.Key(event.key())
        text = event.text()
        if text.isdigit() and len(text) == 1:
            now = time.monotonic()
            last = self._last_digit
            if text == "0" and last and last[0] == "1" and now - last[1] < _TEN_WINDOW_SECONDS:
                self.set_rating(10)
                self._last_digit = None
            else:
                self.set_rating(int(text))
                self._last_digit = (text, now)
            return True
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_Up: 1}
        current = self.rating
        if key in moves:
            start = 0 if current is None else current + moves[key]
            self.set_rating(min(PAIN_MAX, max(PAIN_MIN, start)))
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.set_rating(PAIN_MIN if key == Qt.Key.Key_Home else PAIN_MAX)
            return True
        return False

    def _on_id_toggled(self, value: int, checked: bool) -> None:
        if checked:
            self.rating_changed.emit(value)


class _RatingDialogBase(QDialog):
    """A dialog with a :class:`RatingScale` that takes digit keys wherever the focus is,
    except in a text field."""

    scale: RatingScale

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Pass digits and arrows to the scale, the rest to the dialog (Enter, Esc)."""
        if not self.scale.handle_key(event):
            super().keyPressEvent(event)


class PainRatingDialog(_RatingDialogBase):
    """Asks for a 0-10 rating, with an optional note and body area; may be skipped."""

    def __init__(self, parent: QWidget | None, context: RatingContext,
                 title: str = "Rate your pain") -> None:
        super().__init__(parent)
        title = without_bidi_controls(title)  # it may name a routine
        self.setWindowTitle(title)
        self.setModal(True)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        question = TextLabel(QUESTIONS[context], TextRole.HEADING, wrap=True)
        layout.addWidget(question)
        layout.addWidget(TextLabel(KEYS_HINT, TextRole.SMALL, wrap=True, dim=True))
        self.scale = RatingScale(self)
        self.scale.setAccessibleDescription(QUESTIONS[context])
        layout.addWidget(self.scale)
        self.chosen = TextLabel("No number chosen yet.", wrap=True)
        self.chosen.setAccessibleName("Chosen rating")
        layout.addWidget(self.chosen)
        form = QFormLayout()
        self.note = QLineEdit(self)
        self.note.setMaxLength(500)
        self.note.setPlaceholderText("For example: stiff after sitting")
        self.note.setAccessibleName("Note, optional")
        self.body_area = QComboBox(self)
        self.body_area.setEditable(True)
        self.body_area.addItems(list(BODY_AREAS))
        self.body_area.setAccessibleName("Where is the pain? Optional")
        edit = self.body_area.lineEdit()
        if edit is not None:
            edit.setPlaceholderText("Not given")
        for label, field in (("&Note (optional):", self.note),
                             ("&Where (optional):", self.body_area)):
            caption = QLabel(label, self)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            caption.setBuddy(field)
            form.addRow(caption, field)
        layout.addLayout(form)
        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save the rating")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        # A check-in is opened by hand: it is cancelled, not skipped.
        opened_by_hand = context == "checkin"
        self.skip_button = QPushButton("Cancel" if opened_by_hand else "Skip")
        self.skip_button.setAccessibleName("Cancel the check-in" if opened_by_hand
                                           else "Skip the rating")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.scale.rating_changed.connect(self._on_rating_changed)
        self.setMinimumWidth(560)
        self.scale.buttons[0].setFocus()

    def answer(self) -> PainAnswer | None:
        """The rating, note and body area, or None until a number is chosen."""
        rating = self.scale.rating
        if rating is None:
            return None
        return rating, self.note.text().strip(), self.body_area.currentText().strip()

    def accept(self) -> None:
        """Close with the answer (only once a number is chosen)."""
        if self.scale.rating is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, context: RatingContext,
            title: str = "Rate your pain") -> PainAnswer | None:
        """``(rating, note, body_area)``, or None when skipped."""
        dialog = cls(parent, context, title)
        try:
            return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _on_rating_changed(self, value: int) -> None:
        self.chosen.setText(f"You chose {describe_rating(value)}.")
        self.save_button.setEnabled(True)


class HurtsDialog(_RatingDialogBase):
    """"This hurts": is the pain sharp or stabbing, and how bad (optional)?"""

    def __init__(self, parent: QWidget | None, has_easier_variant: bool,
                 stop_level: int = IN_SESSION_STOP_LEVEL,
                 stop_signs: tuple[StopSign, ...] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("This hurts")
        self.setModal(True)
        self.setAccessibleName("This hurts")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(TextLabel("What does the pain feel like?", TextRole.HEADING, wrap=True))
        self.kind = QButtonGroup(self)
        self.feels: dict[PainFeel, QRadioButton] = {}
        for feel, text, name in FEELS:
            button = QRadioButton(text, self)
            button.setAccessibleName(name)
            self.kind.addButton(button)
            layout.addWidget(button)
            self.feels[feel] = button
        self.sharp, self.ache = self.feels["sharp"], self.feels["ache"]
        #: The exercise's own stop signs (format 1.1), each a box to tick; text from the file.
        self.signs: dict[StopSign, QCheckBox] = {}
        if stop_signs:
            layout.addWidget(TextLabel(CHOICES_HEADING, wrap=True))
        for sign in stop_signs:
            box = QCheckBox(without_bidi_controls(sign.choice_text()), self)
            box.setAccessibleName(sign.choice_text())
            box.toggled.connect(self._update_ok)
            layout.addWidget(box)
            self.signs[sign] = box
        layout.addWidget(TextLabel("How bad is it (optional)?", wrap=True))
        layout.addWidget(TextLabel(KEYS_HINT, TextRole.SMALL, wrap=True, dim=True))
        self.scale = RatingScale(self)
        layout.addWidget(self.scale)
        then = HURTS_THEN_EASIER if has_easier_variant else HURTS_THEN_SKIP
        layout.addWidget(TextLabel(HURTS_RULE.format(stop_level=stop_level, then=then),
                                   wrap=True))
        buttons = QDialogButtonBox(self)
        self.ok_button = QPushButton("Continue")
        self.ok_button.setAccessibleName("Continue with this answer")
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.cancel_button = QPushButton("Back to the exercise")
        self.cancel_button.setAccessibleName("Back to the exercise without answering")
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.buttonToggled.connect(self._update_ok)
        self.scale.rating_changed.connect(self._update_ok)
        self.setMinimumWidth(560)
        self.sharp.setFocus()

    def answer(self) -> HurtsAnswer | None:
        """``(rating or None, feel or None, signs ticked)``, or None until the pain was
        described, rated or a sign ticked."""
        ticked = tuple(sign for sign, box in self.signs.items() if box.isChecked())
        if self.kind.checkedButton() is None and self.scale.rating is None and not ticked:
            return None
        feel = next((f for f, button in self.feels.items() if button.isChecked()), None)
        return self.scale.rating, feel, ticked

    def accept(self) -> None:
        """Close with the answer (only once there is one)."""
        if self.answer() is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, has_easier_variant: bool,
            stop_level: int = IN_SESSION_STOP_LEVEL,
            stop_signs: tuple[StopSign, ...] = ()) -> HurtsAnswer | None:
        """``(rating or None, feel or None, signs ticked)``, or None when the person went back
        to the exercise."""
        dialog = cls(parent, has_easier_variant, stop_level, stop_signs)
        try:
            return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _update_ok(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.answer() is not None)


class InSessionAdvice(QDialog):
    """Says what to do after "this hurts", in plain words, and asks which way to go.

    The choice is ``easier`` (swap in the easier variant), ``skip`` (skip this exercise),
    ``stop`` (end the session) or ``continue`` (carry on gently). Closing the dialog picks the
    safe choice: skip when the exercise should stop, carry on otherwise.
    """

    def __init__(self, parent: QWidget | None, action: InSessionAction, exercise: str,
                 easier: str | None = None, finished: bool = False,
                 easier_routine: bool = False) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.choice: InSessionChoice = "continue" if action == "continue" else "skip"
        exercise = without_bidi_controls(exercise)  # names from the routine file
        easier = without_bidi_controls(easier) if easier is not None else None
        heading, text, options = self._wording(action, exercise, easier)
        if finished and action != "continue":
            text = FINISHED_STOP.format(exercise=exercise) + " " + text
        if easier_routine and action != "continue":
            text = f"{text} {EASIER_ROUTINE_TEXT}"
            options.insert(len(options) - 1, ("easier_routine", EASIER_ROUTINE_CHOICE))
        self.setWindowTitle(heading)
        self.setAccessibleName(heading)
        self.setAccessibleDescription(text)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(TextLabel(heading, TextRole.HEADING, wrap=True))
        self.text = TextLabel(text, wrap=True)
        layout.addWidget(self.text)
        row = QDialogButtonBox(self)
        self.buttons: dict[InSessionChoice, QPushButton] = {}
        for i, (choice, label) in enumerate(options):
            button = QPushButton(label)
            button.setAccessibleName(label)
            button.setDefault(i == 0)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            row.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            self.buttons[choice] = button
        layout.addWidget(row)
        self.setMinimumWidth(480)

    @staticmethod
    def _wording(action: InSessionAction, exercise: str, easier: str | None
                 ) -> tuple[str, str, list[tuple[InSessionChoice, str]]]:
        if action == "offer_easier" and easier:
            return ("Stop this exercise", (
                f"Stop {exercise} now. Try the easier version, {easier}, instead. If that hurts "
                "too, skip it."), [("easier", f"Try {easier}"), ("skip", "Skip this exercise"),
                                   ("stop", "End the session")])
        if action in ("offer_easier", "skip"):
            return ("Stop this exercise", (
                f"Stop {exercise} now and skip it. Carry on with the routine only if the next "
                "steps do not hurt. If the pain stays sharp or gets worse, end the session."),
                [("skip", "Skip this exercise"), ("stop", "End the session")])
        return ("Carry on gently", (
            "Mild soreness that eases as you warm up is fine to work through. Stop for sharp "
            "pain, or pain that keeps getting worse."),
            [("continue", "Carry on"), ("skip", "Skip this exercise")])

    def _choose(self, choice: InSessionChoice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, action: InSessionAction, exercise: str,
            easier: str | None = None, finished: bool = False, *,
            easier_routine: bool = False) -> InSessionChoice:
        """What the person chose (the safe choice if they closed the dialog); with
        ``easier_routine``, switching to the routine's easier routine is offered too."""
        dialog = cls(parent, action, exercise, easier, finished, easier_routine)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()
