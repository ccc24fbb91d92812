"""The visual metronome: two small marks, left foot and right foot, lit in turn on each beat.

Every beat is shown, at any cadence up to 200 a minute and beyond: the light moves from one
mark to the other rather than flashing the window. Each mark is small (:data:`MARK_SIZE` pixels
across, far under the "small area" of WCAG 2.3.1, a quarter of 10 degrees of vision, about
341 x 256 pixels), so the three-flashes-a-second limit that holds for the whole window does not
apply to it, and nothing large ever changes at the beat's rate.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

#: Diameter of each mark, in device-independent pixels.
MARK_SIZE = 28
#: Space between the two marks.
MARK_GAP = 24

# User-visible text, in one place for translation.
BEAT_NAME = "Beat: {side} foot"
SIDES = ("left", "right")


class BeatIndicator(QWidget):
    """Lights the left mark on even beats and the right mark on odd ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._beat: int | None = None
        self.beats_shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Metronome")

    @property
    def lit(self) -> int | None:
        """Which mark is lit: 0 (left), 1 (right), or None before the first beat."""
        return None if self._beat is None else self._beat % 2

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Two marks and the gap between them."""
        return QSize(2 * MARK_SIZE + MARK_GAP + 4, MARK_SIZE + 4)

    def mark(self, beat: int) -> None:
        """Show beat number ``beat`` (from 0)."""
        self._beat = beat
        self.beats_shown += 1
        self.setAccessibleDescription(BEAT_NAME.format(side=SIDES[beat % 2]))
        self.update()

    def reset(self) -> None:
        """No beat yet (a new step)."""
        self._beat = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """Both marks: the lit one filled with the highlight colour, the other an outline."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        lit_colour = palette.color(QPalette.ColorRole.Highlight)
        outline = QColor(palette.color(QPalette.ColorRole.WindowText))
        for side in (0, 1):
            x = 2 + side * (MARK_SIZE + MARK_GAP)
            rect = QRectF(x, 2, MARK_SIZE, MARK_SIZE)
            painter.setPen(outline)
            painter.setBrush(lit_colour if self.lit == side else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(rect)
        painter.end()
