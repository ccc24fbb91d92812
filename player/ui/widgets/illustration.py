"""The exercise illustration: an SVG painted on a light card, mirrored for the other side."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QSizeF
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from player.core import bundled
from player.core.timeline import StepKind, Timeline, TimelineStep
from player.ui.widgets.style import ILLUSTRATION_CARD, ILLUSTRATION_CARD_EDGE

log = logging.getLogger(__name__)

ILLUSTRATIONS_DIR = bundled.ILLUSTRATIONS_DIR
PLACEHOLDER = ILLUSTRATIONS_DIR / "placeholder.svg"
_KIND_PICTURES = {
    StepKind.REST: ILLUSTRATIONS_DIR / "rest.svg",
    StepKind.ICE: ILLUSTRATIONS_DIR / "ice_pack.svg",
    StepKind.HEAT: ILLUSTRATIONS_DIR / "heat_pack.svg",
}


@dataclass(frozen=True)
class Picture:
    """What to draw for a step: a file, whether to mirror it, whether the real one is missing."""

    path: Path
    mirrored: bool = False
    missing: bool = False


def picture_for(step: TimelineStep, timeline: Timeline | None = None) -> Picture:
    """The picture for ``step``.

    Exercises show their own illustration (the placeholder, marked missing, when they have none),
    mirrored on the right side; a rest before an exercise and the lead-in show what comes next;
    other rests, ice and heat have their own pictures; switching sides shows the exercise as
    the next side will be done.
    """
    if step.kind in (StepKind.LEAD_IN, StepKind.REST) and timeline is not None:
        upcoming = timeline.steps[step.index + 1 : step.index + 2]
        if upcoming and (upcoming[0].kind is StepKind.EXERCISE
                         or (step.kind is StepKind.LEAD_IN
                             and upcoming[0].kind is not StepKind.LEAD_IN)):
            return picture_for(upcoming[0], timeline)  # what comes next, to get ready for
    if step.kind in _KIND_PICTURES:
        return Picture(_KIND_PICTURES[step.kind])
    exercise = step.exercise
    if exercise is None:
        return Picture(PLACEHOLDER)
    mirrored = step.mirrored
    if step.kind is StepKind.SWITCH_SIDES and timeline is not None:
        upcoming = timeline.steps[step.index + 1 : step.index + 2]
        mirrored = bool(upcoming) and upcoming[0].mirrored
    if exercise.illustration is None:
        return Picture(PLACEHOLDER, mirrored=False, missing=step.kind is not StepKind.CADENCE)
    return Picture(exercise.illustration, mirrored=mirrored)


class IllustrationView(QWidget):
    """Paints one SVG on a rounded light card, keeping its aspect ratio.

    Mirroring flips the drawing horizontally, so one illustration serves both sides. A file that
    cannot be rendered falls back to the placeholder.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._picture: Picture | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)
        self.setAccessibleName("Exercise illustration")

    @property
    def picture(self) -> Picture | None:
        """What is shown."""
        return self._picture

    @property
    def mirrored(self) -> bool:
        """True when the drawing is flipped horizontally."""
        return self._picture is not None and self._picture.mirrored

    @property
    def renderer(self) -> QSvgRenderer:
        """The SVG renderer (valid once a picture is loaded)."""
        return self._renderer

    def set_picture(self, picture: Picture) -> None:
        """Show ``picture``."""
        if picture == self._picture:
            return
        if (self._picture is None or picture.path != self._picture.path) and \
                not self._renderer.load(str(picture.path)):
            log.warning("cannot render illustration %s", picture.path)
            self._renderer.load(str(PLACEHOLDER))
            picture = Picture(PLACEHOLDER, missing=True)
        self._picture = picture
        self.setAccessibleDescription("Mirrored illustration" if picture.mirrored else "")
        self.update()

    def sizeHint(self) -> QSize:
        """A comfortable size for a 4:3 drawing."""
        return QSize(480, 360)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the card and the drawing, mirrored when asked."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(ILLUSTRATION_CARD_EDGE, 1))
        painter.setBrush(ILLUSTRATION_CARD)
        painter.drawRoundedRect(card, 14, 14)
        if self._picture is None or not self._renderer.isValid():
            return
        target = _fit(QRectF(self._renderer.viewBoxF()).size(), card.adjusted(2, 2, -2, -2))
        if self._picture.mirrored:
            painter.translate(target.center().x(), 0)
            painter.scale(-1, 1)
            painter.translate(-target.center().x(), 0)
        self._renderer.render(painter, target)
        painter.end()


def _fit(size: QSizeF, room: QRectF) -> QRectF:
    """The largest rectangle of ``size``'s aspect ratio centred in ``room``."""
    if size.width() <= 0 or size.height() <= 0:
        return room
    scale = min(room.width() / size.width(), room.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    return QRectF(room.center().x() - w / 2, room.center().y() - h / 2, w, h)
