"""A brief screen flash: the visual cue when sound is muted or unavailable."""

from __future__ import annotations

import time

from PySide6.QtCore import QEasingCurve, QEvent, QObject, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

#: How long a flash takes to fade out, in milliseconds.
FLASH_MS = 300
#: Strongest tint of the flash (0..1): noticeable from the side of the eye, never glaring.
FLASH_OPACITY = 0.45
#: At most one flash in this many seconds: under three flashes a second (WCAG 2.3.1), also
#: when a fast metronome asks for more.
MIN_FLASH_INTERVAL = 0.4


class FlashOverlay(QWidget):
    """Covers its parent and fades a tint of the palette's highlight colour out.

    Passes every mouse event through, follows the parent's size, and is hidden between flashes.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._covered = parent
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._level = 0.0
        self._last = -MIN_FLASH_INTERVAL
        self.flash_count = 0
        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(1.0)
        self._animation.setEndValue(0.0)
        self._animation.setDuration(FLASH_MS)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.valueChanged.connect(self._on_animation_value_changed)
        self._animation.finished.connect(self._on_animation_finished)
        parent.installEventFilter(self)
        self.hide()

    @property
    def level(self) -> float:
        """The current strength of the flash (0 when none)."""
        return self._level

    def flash(self) -> bool:
        """Start a flash; False when one was shown too recently."""
        now = time.monotonic()
        if now - self._last < MIN_FLASH_INTERVAL:
            return False
        self._last = now
        self.flash_count += 1
        self.setGeometry(self._covered.rect())
        self.raise_()
        self.show()
        self._animation.stop()
        self._level = 1.0
        self._animation.start()
        self.update()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep covering the parent when it is resized."""
        if watched is self._covered and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._covered.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the tint."""
        if self._level <= 0:
            return
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        color.setAlphaF(max(0.0, min(1.0, self._level * FLASH_OPACITY)))
        painter = QPainter(self)
        painter.fillRect(self.rect(), color)
        painter.end()

    def _on_animation_value_changed(self, value: float) -> None:
        self._level = float(value)
        self.update()

    def _on_animation_finished(self) -> None:
        self._level = 0.0
        self.hide()
