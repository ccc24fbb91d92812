"""Asks the runner's own cadence: tap a key on each step for 30 seconds, or type it.

The first tap (Space, or the Tap button) starts the count, and the seconds left are shown
counting down; after :data:`~player.core.cadence.TAP_SECONDS` the steps a minute are worked
out (:func:`player.core.cadence.cadence_from_taps`) and written in the field, where the person
may correct them. Holding Space down taps once: the key's auto-repeat is not a step. What is
typed is checked as it is typed; OK waits for a cadence that can be used. The time comes from
``now`` (monotonic seconds), so tests tap at chosen moments.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.core.cadence import (
    DRILL_MAX,
    DRILL_MIN,
    TAP_SECONDS,
    CadenceError,
    cadence_from_taps,
    parse_own_cadence,
)
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole


class OwnCadenceDialog(QDialog):
    """The own-cadence question; :meth:`value` is the cadence after OK."""

    def __init__(self, current: int | None, parent: QWidget | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._now = now
        self._taps: list[float] = []
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(EXPLAIN.format(seconds=TAP_SECONDS, lo=DRILL_MIN,
                                                  hi=DRILL_MAX), wrap=True))
        row = QHBoxLayout()
        self.tap_button = QPushButton(TAP)
        self.tap_button.setAutoDefault(False)
        self.tap_button.clicked.connect(lambda: self.tap())
        row.addWidget(self.tap_button)
        self.tap_status = TextLabel(TAP_HINT, TextRole.SMALL, wrap=True, dim=True)
        row.addWidget(self.tap_status, 1)
        layout.addLayout(row)
        #: The seconds left of the count, shown while it runs.
        self.countdown = TextLabel(SECONDS_LEFT.format(seconds=TAP_SECONDS), TextRole.HEADING)
        self.countdown.setAccessibleName(COUNTDOWN_NAME)
        policy = self.countdown.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # its room is kept: the dialog does not reflow
        self.countdown.setSizePolicy(policy)
        self.countdown.setVisible(False)
        layout.addWidget(self.countdown)
        field_row = QHBoxLayout()
        field_row.addWidget(TextLabel(FIELD_LABEL))
        self.field = QLineEdit("" if current is None else str(current))
        self.field.setAccessibleName(FIELD_LABEL)
        self.field.textChanged.connect(self._check)
        self.field.installEventFilter(self)  # Space taps even while the field has the focus
        field_row.addWidget(self.field)
        layout.addLayout(field_row)
        self.error = TextLabel("", TextRole.SMALL, wrap=True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._end = QTimer(self)
        self._end.setSingleShot(True)
        self._end.timeout.connect(self.finish_tapping)
        self._tick = QTimer(self)  # once a second from the first tap, for the countdown
        self._tick.setInterval(1000)
        self._tick.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick.timeout.connect(self.show_seconds_left)
        self._check()

    @property
    def counting(self) -> bool:
        """True from the first tap until the count is worked out."""
        return bool(self._taps)

    def seconds_left(self) -> int:
        """Whole seconds left of the count (rounded up; :data:`TAP_SECONDS` before it starts)."""
        if not self._taps:
            return TAP_SECONDS
        return max(0, math.ceil(TAP_SECONDS - (self._now() - self._taps[0])))

    def show_seconds_left(self) -> None:
        """Show the seconds left (each second while counting)."""
        if self._taps:
            self.countdown.setText(SECONDS_LEFT.format(seconds=self.seconds_left()))

    def tap(self) -> None:
        """One step: the first starts the count, the rest are counted until the time is up."""
        at = self._now()
        if self._taps and at - self._taps[0] > TAP_SECONDS:
            return
        if not self._taps:
            self._end.start(TAP_SECONDS * 1000)
            self._tick.start()
            self.countdown.setVisible(True)
        self._taps.append(at)
        self.tap_status.setText(COUNTING.format(n=len(self._taps)))
        self.show_seconds_left()

    def finish_tapping(self) -> None:
        """Work out the cadence from the taps and put it in the field."""
        self._end.stop()
        self._tick.stop()
        self.countdown.setVisible(False)
        taps, self._taps = self._taps, []
        try:
            self.field.setText(str(cadence_from_taps(taps)))
            self.tap_status.setText(COUNTED)
        except CadenceError as exc:
            self.tap_status.setText(str(exc))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Space taps."""
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.tap()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Space in the field taps too (a cadence has no spaces)."""
        if (watched is self.field and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Space):
            if not event.isAutoRepeat():
                self.tap()
            return True
        return super().eventFilter(watched, event)

    def value(self) -> int | None:
        """The cadence in the field, or None when it cannot be used."""
        try:
            return parse_own_cadence(self.field.text())
        except CadenceError:
            return None

    def _check(self) -> None:
        text = self.field.text().strip()
        try:
            parse_own_cadence(text)
            self.error.set_text_or_hide("")
            ok = True
        except CadenceError as exc:
            self.error.set_text_or_hide(str(exc) if text else "")
            ok = False
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if button is not None:
            button.setEnabled(ok)

    @classmethod
    def ask(cls, parent: QWidget | None, current: int | None) -> int | None:
        """The runner's cadence, or None when they would rather not say now."""
        dialog = cls(current, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


# User-visible text, in one place for translation.
TITLE = "Your running cadence"
EXPLAIN = ("This drill sets its beat a little above your own cadence, the steps you take a "
           "minute on an easy run. Jog on the spot (or on a treadmill) at your easy pace and "
           "press Space, or Tap, on every step for {seconds} seconds; or type the number if "
           "you know it. The beat is then kept between {lo} and {hi}.")
TAP = "Tap"
TAP_HINT = "The count starts with your first tap."
COUNTING = "{n} steps so far: keep tapping until the count ends."
SECONDS_LEFT = "{seconds} s left"
COUNTDOWN_NAME = "Seconds left of the count"
COUNTED = "Counted: check the number, then OK."
FIELD_LABEL = "Steps a minute"
