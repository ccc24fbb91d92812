"""Text sizes by role, the large-text mode, and the few constants of the look.

Colours come from the palette (so the system's light or dark scheme is followed); the only fixed
colour is the illustration card's background, because the drawings are made for a light card.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

#: How much bigger every text is in the large-text mode.
LARGE_TEXT_SCALE = 1.3
#: Background of the card the illustrations are drawn on: the drawings' own light background,
#: so that a drawing and the card around it read as one.
ILLUSTRATION_CARD = QColor("#f6f4ee")
#: Outline of that card.
ILLUSTRATION_CARD_EDGE = QColor("#d9d4c7")
#: Space around page contents, in pixels.
PAGE_MARGIN = 18


class TextRole(StrEnum):
    """What a piece of text is, which decides its size relative to the application font."""

    BODY = "body"
    SMALL = "small"
    HEADING = "heading"
    TITLE = "title"
    STATUS = "status"  # set x of y, side: read at a glance during an exercise
    EMPHASIS = "emphasis"  # the repetition and its phase (up / hold / down)


_ROLE_SCALE = {
    TextRole.BODY: 1.0,
    TextRole.SMALL: 0.92,
    TextRole.HEADING: 1.25,
    TextRole.TITLE: 1.9,
    TextRole.STATUS: 1.45,
    TextRole.EMPHASIS: 1.8,
}
_ROLE_BOLD = {TextRole.HEADING, TextRole.TITLE, TextRole.STATUS, TextRole.EMPHASIS}


def role_font(role: TextRole, base: QFont | None = None) -> QFont:
    """The font for ``role``, derived from ``base`` (default: the application font)."""
    font = QFont(base if base is not None else QApplication.font())
    font.setPointSizeF(font.pointSizeF() * _ROLE_SCALE[role])
    if role in _ROLE_BOLD:
        font.setWeight(QFont.Weight.Bold if role is TextRole.TITLE else QFont.Weight.DemiBold)
    return font


class TextSize:
    """Switches the application font between the normal and the large-text size.

    Remembers the font the application started with, so switching back and forth never drifts.
    Widgets whose font is derived from the application font (labels with a :class:`TextRole`,
    the countdown) have a ``follow_application_font()`` method, called after every change.
    """

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._base = QFont(app.font())
        self._large = False

    @property
    def large(self) -> bool:
        """True while the large-text mode is on."""
        return self._large

    @property
    def base_font(self) -> QFont:
        """The application font as it was before any scaling."""
        return QFont(self._base)

    def set_large(self, large: bool) -> None:
        """Apply the large-text mode (or the normal size) to the whole application."""
        self._large = large
        font = QFont(self._base)
        if large:
            font.setPointSizeF(self._base.pointSizeF() * LARGE_TEXT_SCALE)
        self._apply(font)

    def restore(self) -> None:
        """Put the application font back as it was found."""
        self._apply(QFont(self._base))

    def _apply(self, font: QFont) -> None:
        self._app.setFont(font)
        for widget in self._app.allWidgets():
            follow = getattr(widget, "follow_application_font", None)
            if callable(follow):
                follow()


def mix_colours(a: QColor, b: QColor, t: float) -> QColor:
    """*a* moved a fraction *t* of the way to *b*."""
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)
