"""Small widgets shared by the views: plain-text labels sized by role, the big countdown."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPalette, QResizeEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget

from player.core.text import without_bidi_controls
from player.ui.widgets.style import TextRole, role_font


class TextLabel(QLabel):
    """A label that always shows plain text (never rich text from a file), sized by its role.

    Text from routine files may contain ``<b>`` or ``<img>``; Qt would guess rich text and render
    it, so every label in the app is one of these. Bidi controls are removed from what it shows
    (:func:`~player.core.text.without_bidi_controls`), so file text cannot reorder the app's own
    text beside it. ``dim`` shows secondary text in the palette's
    placeholder colour, so it follows light and dark schemes.
    """

    def __init__(self, text: str = "", role: TextRole = TextRole.BODY, *, wrap: bool = False,
                 dim: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._role = role
        self.setWordWrap(wrap)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if dim:
            self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._apply_font()
        self.setText(text)

    @property
    def role(self) -> TextRole:
        """The text's role (decides its size)."""
        return self._role

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Show ``text`` as plain text, without bidi controls."""
        super().setText(without_bidi_controls(text))

    def set_text_or_hide(self, text: str) -> None:
        """Show ``text``, or hide the label when it is empty."""
        self.setText(text)
        self.setVisible(bool(text))

    def follow_application_font(self) -> None:
        """Derive the font from the application font again (the large-text mode)."""
        self._apply_font()

    def _apply_font(self) -> None:
        if self._role is not TextRole.BODY:
            self.setFont(role_font(self._role))


class CountdownLabel(QLabel):
    """The large ``mm:ss`` countdown, sized to fill its space so it reads from across a room.

    The font grows with the widget (between a floor tied to the application font and a ceiling),
    using tabular digits so the text does not jiggle as it counts.
    """

    #: The countdown never gets smaller than this many times the application font.
    MIN_SCALE = 4.0
    #: ... or than this many times, in a window too low for more (see :meth:`set_compact`).
    COMPACT_MIN_SCALE = 2.5

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QSizePolicy  # the player page is built after the first paint

        super().__init__(parent)
        self._min_scale = self.MIN_SCALE
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setText("00:00")
        self._fit()

    def follow_application_font(self) -> None:
        """Refit after the application font changed (the large-text mode)."""
        self._fit()
        self.updateGeometry()

    def set_compact(self, compact: bool) -> None:
        """In a low window let the digits shrink further, so the text under them fits."""
        scale = self.COMPACT_MIN_SCALE if compact else self.MIN_SCALE
        if scale != self._min_scale:
            self._min_scale = scale
            self._fit()
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit the digits to the new size."""
        super().resizeEvent(event)
        self._fit()

    def minimumSizeHint(self) -> QSize:
        """Room for the digits at the smallest allowed size."""
        metrics = QFontMetricsF(self._font_at(self._min_pixels()))
        size = metrics.size(0, "00:00")
        return size.toSize()

    def _min_pixels(self) -> float:
        app_font = QApplication.font()
        points = app_font.pointSizeF() if app_font.pointSizeF() > 0 else 10.0
        return points * 96 / 72 * self._min_scale

    def _font_at(self, pixels: float) -> QFont:
        font = QFont(QApplication.font())
        font.setPixelSize(max(1, int(pixels)))
        font.setWeight(QFont.Weight.Bold)
        font.setFeature(QFont.Tag("tnum"), 1)  # tabular digits
        return font

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Show ``text``, refitting when it is wider or narrower than a clock (``12 reps``)."""
        refit = max(len(text), 5) != max(len(self.text()), 5)
        super().setText(text)
        if refit:
            self._fit()

    def _fit(self) -> None:
        # Fit "00:00" (or a longer text, "12 reps") to the room and never below the floor.
        height_px = self.height() * 0.8
        probe = QFontMetricsF(self._font_at(100))
        widest = max(probe.horizontalAdvance("00:00"), probe.horizontalAdvance(self.text()))
        width_px = self.width() * 0.92 / max(1.0, widest) * 100
        pixels = max(self._min_pixels(), min(height_px, width_px, 260.0))
        self.setFont(self._font_at(pixels))
