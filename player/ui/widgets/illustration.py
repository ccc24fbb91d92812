"""The exercise illustration: a picture painted on a light card, mirrored for the other side.

Pictures come with routine files from other people, so Qt never reads one by path: the bytes are
read and checked by :mod:`player.core.pictures` (allowed folders only, ordinary files, capped,
self-contained SVG) and turned into an image from memory by ``QImageReader`` on a buffer, its
format fixed (an SVG is drawn by Qt's SVG plugin, a ``QSvgRenderer`` on the bytes) and a PNG's or
JPEG's size checked before decoding. Reading and checking are done on worker threads, so no
file (a slow disk, a FIFO) holds up the window, and so is decoding a PNG or JPEG; an SVG is drawn
on the GUI thread, within its caps (Qt's SVG drawing on a worker deadlocked against the window's
own icons). The card stays empty for the moment it takes. A picture
that is refused or cannot be drawn shows the placeholder, and :attr:`problem_changed` says why.
"""

from __future__ import annotations

import itertools
import logging
import math
import queue
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from player.core import bundled, pictures
from player.core.pictures import PictureFile, PictureKind, PictureRefused
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

#: Pictures are drawn into an image whose longer side is the card's (in device pixels), rounded
#: up to a multiple of this, and between the two bounds below.
RENDER_STEP = 400
RENDER_MIN = 800
RENDER_MAX = 2400
#: Drawn pictures kept for reuse (at most RENDER_MAX² × 4 bytes each).
CACHE_SIZE = 8
#: Threads that read and draw pictures.
WORKERS = 2
#: The most memory Qt may take to decode one PNG or JPEG (MB): a picture of MAX_PIXELS, 4 bytes
#: each, with room to spare.
DECODE_LIMIT_MB = math.ceil(pictures.MAX_PIXELS * 4 / pictures.MB) + 16

# User-visible text ({name} is the picture's file name).
CANNOT_DRAW = "the picture {name} could not be drawn (it may be damaged); save it again"
REASON_SHOWN = "{reason}."
ACCESSIBLE_NAME = "Exercise illustration"
MIRRORED_DESCRIPTION = "Mirrored illustration"

_QT_FORMATS = {PictureKind.SVG: b"svg", PictureKind.PNG: b"png", PictureKind.JPEG: b"jpeg"}
_URGENT, _AHEAD = 0, 1  # request priorities: the picture shown now, one wanted soon


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


# --- drawing from memory (on worker threads) ----------------------------------------------------

@dataclass(frozen=True)
class Drawing:
    """A picture ready to paint: the image (the placeholder's when the picture is refused), and
    why the picture itself is not shown ("" when it is)."""

    path: Path
    side: int
    image: QImage | None
    reason: str = ""
    pending: PictureFile | None = None
    """Read and checked on a worker, still to be drawn on the GUI thread (see prepare)."""


def _drawn_on_gui_thread(picture: PictureFile) -> bool:
    """True for a picture to draw on the GUI thread: every SVG. Qt's SVG drawing on a worker
    thread deadlocked against the GUI thread's own icon drawing (QStyle's standard icons, the
    offscreen platform, PySide6 6.11), so the worker only reads and checks an SVG (the part
    that can block: a slow disk, a FIFO) and the GUI thread draws it, within the size caps."""
    return picture.kind is PictureKind.SVG


def prepare(path: Path, folders: tuple[Path, ...], side: int, *,
            on_gui_thread: bool = True) -> Drawing:
    """Read, check and draw the picture at ``path`` into an image at most ``side`` pixels on its
    longer side. Never raises: a refusal or failure gives the placeholder and the reason.

    Off the GUI thread (``on_gui_thread`` False) an SVG is read and checked but not drawn: the drawing comes back with ``image`` None and ``pending`` set, for the GUI thread
    to finish with :func:`finish`."""
    try:
        picture = pictures.read_picture(path, folders)
        if not on_gui_thread and _drawn_on_gui_thread(picture):
            return Drawing(path, side, None, pending=picture)
        return Drawing(path, side, _image(picture, side))
    except PictureRefused as refused:
        reason = refused.message
    except Exception:  # a picture must never take the window down
        log.exception("cannot draw the picture %s", path)
        reason = CANNOT_DRAW.format(name=path.name)
    log.warning("picture not shown: %s", reason)
    if not on_gui_thread:
        try:
            return Drawing(path, side, None, reason,
                           pending=pictures.read_picture(PLACEHOLDER, (bundled.MEDIA_DIR,)))
        except Exception:
            log.exception("cannot read the placeholder")
            return Drawing(path, side, None, reason)
    try:
        placeholder = _image(pictures.read_picture(PLACEHOLDER, (bundled.MEDIA_DIR,)), side)
    except Exception:
        log.exception("cannot draw the placeholder")
        placeholder = None
    return Drawing(path, side, placeholder, reason)


def finish(drawing: Drawing) -> Drawing:
    """On the GUI thread: draw what a worker left ``pending`` (see :func:`prepare`)."""
    if drawing.pending is None:
        return drawing
    try:
        image: QImage | None = _image(drawing.pending, drawing.side)
    except PictureRefused as refused:
        return Drawing(drawing.path, drawing.side, None, drawing.reason or refused.message)
    except Exception:  # a picture must never take the window down
        log.exception("cannot draw the picture %s", drawing.path)
        image = None
    return Drawing(drawing.path, drawing.side, image, drawing.reason)


def _image(picture: PictureFile, side: int) -> QImage:
    image = _svg_image(picture, side) if picture.kind is PictureKind.SVG \
        else _raster_image(picture, side)
    if image is None or image.isNull():
        raise PictureRefused(CANNOT_DRAW.format(name=picture.path.name))
    return image


def _fitted(size: QSizeF, side: int) -> QSize:
    """``size`` scaled so its longer side is ``side`` (never below one pixel)."""
    longer = max(size.width(), size.height())
    if longer <= 0:
        return QSize(side, side * 3 // 4)
    scale = side / longer
    return QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))


def _reader(picture: PictureFile) -> tuple[QImageReader, QBuffer]:
    """A reader of the picture's bytes in its own format (never guessed from the content)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(picture.data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, _QT_FORMATS[picture.kind])
    reader.setDecideFormatFromContent(False)
    return reader, buffer


def _svg_image(picture: PictureFile, side: int) -> QImage:
    # Qt's SVG image plugin: QSvgRenderer on the bytes, parsed and painted inside read(), which
    # lets go of Python's lock, so even a detailed drawing never stalls the window's thread (a
    # QSvgRenderer called from Python holds it throughout). The size is the one checked.
    reader, buffer = _reader(picture)
    reader.setScaledSize(_fitted(QSizeF(picture.width, picture.height), side))
    image = reader.read()
    buffer.close()
    return image


def _raster_image(picture: PictureFile, side: int) -> QImage | None:
    reader, buffer = _reader(picture)
    reader.setAutoTransform(True)  # photos taken on their side
    size = reader.size()  # the header only, as Qt reads it
    if not size.isValid() or size.width() * size.height() > pictures.MAX_PIXELS:
        return None
    if max(size.width(), size.height()) > side:
        reader.setScaledSize(_fitted(QSizeF(size), side))
    image = reader.read()
    buffer.close()
    return image


class _Store(QObject):
    """The drawn pictures (a small cache), the worker threads and their queue, for every view.

    Workers are daemon threads, so one stuck on a disk that never answers cannot keep the app
    from closing; results come back to the GUI thread through a queued signal.
    """

    arrived = Signal(object)  # a Drawing, emitted on a worker thread
    drawn = Signal(object)  # a Drawing, on the GUI thread, once it is in the cache

    def __init__(self) -> None:
        super().__init__()
        self._cache: OrderedDict[tuple[Path, int], Drawing] = OrderedDict()
        self._pending: set[tuple[Path, int]] = set()
        self._queue: queue.PriorityQueue[tuple[int, int, Path, tuple[Path, ...], int, int]] = (
            queue.PriorityQueue())
        self._order = itertools.count()
        self._generation = 0
        self._threads: list[threading.Thread] = []
        self.arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        QImageReader.setAllocationLimit(DECODE_LIMIT_MB)

    def get(self, path: Path, side: int) -> Drawing | None:
        """The drawing of ``path`` at ``side``, when it is ready."""
        drawing = self._cache.get((path, side))
        if drawing is not None:
            self._cache.move_to_end((path, side))
        return drawing

    def request(self, path: Path, folders: tuple[Path, ...], side: int,
                urgent: bool = True) -> None:
        """Have ``path`` read and drawn at ``side`` (:attr:`drawn` tells when)."""
        key = (path, side)
        if key in self._cache or key in self._pending:
            return
        self._pending.add(key)
        self._queue.put((_URGENT if urgent else _AHEAD, next(self._order), path, folders, side,
                         self._generation))
        if len(self._threads) < WORKERS:
            worker = threading.Thread(target=self._work, name="pictures", daemon=True)
            self._threads.append(worker)
            worker.start()

    def forget(self) -> None:
        """Drop every drawing (the files may have changed); ones on the way are not kept."""
        self._cache.clear()
        self._pending.clear()
        self._generation += 1

    def _work(self) -> None:
        while True:
            _, _, path, folders, side, generation = self._queue.get()
            drawing = prepare(path, folders, side, on_gui_thread=False)
            self.arrived.emit((generation, drawing))

    def _on_arrived(self, item: tuple[int, Drawing]) -> None:
        generation, drawing = item
        if generation != self._generation:
            return  # read before forget(): whoever still wants it has asked again
        drawing = finish(drawing)
        self._pending.discard((drawing.path, drawing.side))
        self._cache[(drawing.path, drawing.side)] = drawing
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        self.drawn.emit(drawing)


_store: _Store | None = None


def store() -> _Store:
    """The one picture store (made on first use, on the GUI thread)."""
    global _store
    if _store is None:
        _store = _Store()
    return _store


class IllustrationView(QWidget):
    """Paints one picture on a rounded light card, keeping its aspect ratio.

    Mirroring flips the drawing horizontally, so one illustration serves both sides. Pictures
    are read only inside :attr:`folders` (the routine's and the bundled media); one that is
    refused or cannot be drawn shows the placeholder, and :attr:`problem_changed` carries the
    reason in plain words ("" when the picture is shown).
    """

    problem_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picture: Picture | None = None
        self._drawing: Drawing | None = None
        self._problem = ""
        self._folders: tuple[Path, ...] = pictures.allowed_folders(None)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)
        self.setAccessibleName(ACCESSIBLE_NAME)
        store().drawn.connect(self._on_drawn)

    @property
    def picture(self) -> Picture | None:
        """What is shown."""
        return self._picture

    @property
    def mirrored(self) -> bool:
        """True when the drawing is flipped horizontally."""
        return self._picture is not None and self._picture.mirrored

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders pictures are read from."""
        return self._folders

    @property
    def drawn(self) -> bool:
        """True once the current picture (or the placeholder in its place) is painted."""
        return (self._picture is not None and self._drawing is not None
                and self._drawing.path == self._picture.path and self._drawing.image is not None)

    @property
    def image(self) -> QImage | None:
        """The image painted (the placeholder's for a refused picture), None while drawing."""
        return self._drawing.image if self._drawing is not None else None

    @property
    def problem(self) -> str:
        """Why the current picture is not shown, "" when it is (or is still being drawn)."""
        return self._problem

    def set_folders(self, folders: tuple[Path, ...]) -> None:
        """Read pictures only inside ``folders`` from now on, and read them afresh."""
        self._folders = folders
        store().forget()
        self._drawing = None
        self._show_or_request()

    def set_picture(self, picture: Picture) -> None:
        """Show ``picture`` (drawn on a worker thread when it is not ready)."""
        if picture == self._picture:
            return
        same_file = self._picture is not None and picture.path == self._picture.path
        self._picture = picture
        self.setAccessibleDescription(MIRRORED_DESCRIPTION if picture.mirrored else "")
        if not same_file:
            self._drawing = None
            self._set_problem("")
            self._show_or_request()
        self.update()

    def prefetch(self, picture: Picture) -> None:
        """Start drawing ``picture``, wanted soon, so it is ready when it is shown."""
        store().request(picture.path, self._folders, self._side(), urgent=False)

    def sizeHint(self) -> QSize:
        """A comfortable size for a 4:3 drawing."""
        return QSize(480, 360)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Draw the picture again, sharper, when the card grew past the drawing's size."""
        super().resizeEvent(event)
        if self._drawing is not None and self._side() > self._drawing.side:
            self._show_or_request()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the card and the picture, mirrored when asked."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        card = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(ILLUSTRATION_CARD_EDGE, 1))
        painter.setBrush(ILLUSTRATION_CARD)
        painter.drawRoundedRect(card, 14, 14)
        image = self.image
        if self._picture is None or image is None:
            painter.end()
            return
        target = _fit(QSizeF(image.size()), card.adjusted(2, 2, -2, -2))
        if self._picture.mirrored:
            painter.translate(target.center().x(), 0)
            painter.scale(-1, 1)
            painter.translate(-target.center().x(), 0)
        painter.drawImage(target, image)
        painter.end()

    def _side(self) -> int:
        """The size to draw at: the card's longer side in device pixels, in RENDER_STEP steps."""
        pixels = max(self.width(), self.height()) * self.devicePixelRatioF()
        return int(min(RENDER_MAX, max(RENDER_MIN, math.ceil(pixels / RENDER_STEP) * RENDER_STEP)))

    def _show_or_request(self) -> None:
        if self._picture is None:
            return
        side = self._side()
        ready = store().get(self._picture.path, side)
        if ready is not None:
            self._show(ready)
        else:
            store().request(self._picture.path, self._folders, side)

    def _on_drawn(self, drawing: Drawing) -> None:
        if self._picture is not None and drawing.path == self._picture.path and (
                self._drawing is None or drawing.side >= self._drawing.side):
            self._show(drawing)

    def _show(self, drawing: Drawing) -> None:
        self._drawing = drawing
        self._set_problem(REASON_SHOWN.format(reason=_sentence(drawing.reason))
                          if drawing.reason else "")
        self.update()

    def _set_problem(self, problem: str) -> None:
        if problem != self._problem:
            self._problem = problem
            self.problem_changed.emit(problem)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fit(size: QSizeF, room: QRectF) -> QRectF:
    """The largest rectangle of ``size``'s aspect ratio centred in ``room``."""
    if size.width() <= 0 or size.height() <= 0:
        return room
    scale = min(room.width() / size.width(), room.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    return QRectF(room.center().x() - w / 2, room.center().y() - h / 2, w, h)
