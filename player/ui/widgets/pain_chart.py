"""The pain chart: 0-10 ratings over time, the starting level and the change that matters.

:func:`paint_pain_chart` draws onto any ``QPainter`` (the :class:`PainChart` widget and the PDF
report both use it). Each kind of rating has its own marker shape *and* colour (before: circle,
after: square, check-in: diamond, during: triangle), so the chart reads without colour too. A
thin line follows the 7-day median of the resting ratings (the "recent level" of the care
rules). The baseline is a dashed line, and the band around it spans the 2-point minimal
clinically important change (MCID, Ostelo et al. 2008): a level outside the band has changed in
a way that matters.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from player.core.care import baseline as baseline_of
from player.core.clinical import (
    MCID_POINTS,
    PAIN_MAX,
    PAIN_MIN,
    WEEKLY_MIN_RATINGS,
    WEEKLY_WINDOW_DAYS,
)
from player.core.history import RATING_CONTEXTS, PainRating, RatingContext
from player.ui.widgets.style import mix_colours as mix_colours

#: What each kind of rating is called in the legend.
CONTEXT_LABELS: dict[RatingContext, str] = {
    "before": "Before a session",
    "after": "After a session",
    "checkin": "Check-in",
    "during": "During a session",
    "morning_after": "Next morning",
}
#: Said in the plot when no rating falls in the period shown.
NO_RATINGS_IN_PERIOD = "No pain ratings in this period"
STARTING_LEVEL = "starting level {level}"
POINTS_WORSE = "{points} points worse"
POINTS_BETTER = "{points} points better"
LEGEND_TREND = "7-day median"
LEGEND_BASELINE = "Starting level"
LEGEND_BAND = "\u00b1{points}\u00a0points"
_LEGEND_ORDER: tuple[RatingContext, ...] = ("before", "after", "morning_after", "checkin",
                                            "during")
# Hue of each kind of rating; lightness follows the palette (dark or light scheme).
_HUES: dict[RatingContext, int] = {"before": 215, "after": 24, "checkin": 140, "during": 285,
                                   "morning_after": 330}
_BAND_WORDS = ((2.0, "mild"), (5.0, "moderate"), (8.5, "severe"))


@dataclass(frozen=True)
class ChartColors:
    """The chart's colours: from a widget's palette, or black on white for print."""

    background: QColor
    text: QColor
    dim_text: QColor
    grid: QColor
    band: QColor
    baseline: QColor
    trend: QColor
    series: dict[str, QColor] = field(default_factory=dict)

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChartColors:
        """Colours that follow the palette, light or dark."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = base.lightness() < 128
        grid = mix_colours(base, text, 0.16)
        band = QColor(palette.color(QPalette.ColorRole.Highlight))
        band.setAlpha(60 if dark else 45)
        return cls(
            background=base, text=text,
            dim_text=mix_colours(base, text, 0.62),
            grid=grid, band=band,
            baseline=text,
            trend=mix_colours(base, text, 0.5),
            series={c: QColor.fromHsl(h, 170, 170 if dark else 95) for c, h in _HUES.items()},
        )

    @classmethod
    def for_print(cls) -> ChartColors:
        """Black on white (the PDF report)."""
        return cls.from_palette(_print_palette())


def _print_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    palette.setColor(QPalette.ColorRole.Text, QColor("black"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(60, 110, 200))
    return palette


@dataclass(frozen=True)
class ChartData:
    """What to draw: ratings sorted by time, the period shown and the starting level."""

    ratings: Sequence[PainRating]
    start: datetime
    end: datetime
    baseline: float | None
    trend: Sequence[tuple[datetime, float]] = ()
    """The 7-day median of resting ratings at each resting rating (see :func:`resting_trend`;
    only those from ``start`` to ``end`` are drawn)."""


def resting_trend(ratings: Sequence[PainRating], start: datetime | None = None,
                  end: datetime | None = None) -> list[tuple[datetime, float]]:
    """At each resting rating, the median of the resting ratings of the 7 days up to it.

    Points with fewer than 2 resting ratings in their window are left out, as the care rules
    do for the weekly level. *ratings* must be sorted by time. With *start* and *end*, only
    the points from *start* to *end* (each the same as without them): only the ratings of
    that period and the 7 days before it are read, not years of them.
    """
    span = timedelta(days=WEEKLY_WINDOW_DAYS)
    lo = 0 if start is None else bisect.bisect_right(ratings, start - span, key=_time_of)
    hi = len(ratings) if end is None else bisect.bisect_right(ratings, end, key=_time_of)
    # Ratings are whole numbers 0-10, so the window is kept as a count of each value and its
    # median read off the counts: linear in the number of ratings, for years of them.
    window: deque[PainRating] = deque()
    counts = [0] * (PAIN_MAX + 1)
    trend: list[tuple[datetime, float]] = []
    for r in ratings[lo:hi]:
        if not r.resting:
            continue
        window.append(r)
        counts[r.rating] += 1
        while window[0].at <= r.at - span:
            counts[window.popleft().rating] -= 1
        if len(window) >= WEEKLY_MIN_RATINGS and (start is None or r.at >= start):
            trend.append((r.at, _median_of_counts(counts, len(window))))
    return trend


def _time_of(rating: PainRating) -> datetime:
    return rating.at


def _median_of_counts(counts: list[int], n: int) -> float:
    """The median of *n* whole numbers given as how many there are of each value."""
    low_rank, high_rank = (n - 1) // 2, n // 2
    seen = 0
    low = 0
    for value, count in enumerate(counts):
        if seen <= low_rank < seen + count:
            low = value
        if high_rank < seen + count:
            return (low + value) / 2
        seen += count
    raise ValueError("counts hold fewer than n values")


@dataclass
class ChartInk:
    """Where a painting put its text and its grid lines, in the painter's coordinates.

    Pass one to :func:`paint_pain_chart` to check a layout (the report's tests do): every
    label's box, and every grid, axis and baseline segment.
    """

    texts: list[tuple[str, QRectF]] = field(default_factory=list)
    lines: list[QLineF] = field(default_factory=list)


def paint_pain_chart(painter: QPainter, rect: QRectF, data: ChartData, colors: ChartColors, *,
                     unit: float = 1.0, legend: bool = True, ink: ChartInk | None = None) -> None:
    """Draw the chart inside *rect*; *unit* is the size of one pixel (line widths, markers).

    No line crosses a label: the labels inside the plot are placed first, the grid drawn
    around them, and they are drawn last on a pale plate, over the markers and the trend. *ink*, when given, records what was drawn where. The painter's pen,
    brush and antialiasing are put back as they were afterwards.
    """
    pen, brush = QPen(painter.pen()), QBrush(painter.brush())
    hints = painter.renderHints()
    try:
        _paint(_Canvas(painter, unit, ink or ChartInk()), rect, data, colors, legend)
    finally:
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.setRenderHints(hints)


class _Canvas:
    """The painter, the size of a pixel, and the labels the lines must go around."""

    def __init__(self, painter: QPainter, unit: float, ink: ChartInk) -> None:
        self.p = painter
        self.unit = unit
        self.ink = ink
        self.keep_clear: list[QRectF] = []
        self._labels: list[tuple[QRectF, str, QColor]] = []

    def text(self, box: QRectF, flags: Qt.AlignmentFlag, text: str, colour: QColor) -> QRectF:
        """Draw *text* in *box*; returns (and records) the box the text really takes."""
        self.p.setPen(colour)
        used = self.p.boundingRect(box, int(flags), text)
        self.p.drawText(box, int(flags), text)
        self.ink.texts.append((text, used))
        return used

    def label(self, box: QRectF, flags: Qt.AlignmentFlag, text: str, colour: QColor) -> None:
        """A label inside the plot: the lines drawn from now on go around it, and it is drawn
        last (:meth:`draw_labels`) on a pale plate, so that the data do not cross it."""
        used = self.p.boundingRect(box, int(flags), text)
        self.ink.texts.append((text, used))
        pad = 1.5 * self.unit
        self.keep_clear.append(used.adjusted(-pad, -pad, pad, pad))
        self._labels.append((used, text, colour))

    def draw_labels(self, background: QColor) -> None:
        plate = QColor(background)
        plate.setAlpha(200)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for box, text, colour in self._labels:
            self.p.fillRect(box.adjusted(-self.unit, 0, self.unit, 0), plate)
            self.p.setPen(colour)
            self.p.drawText(box, flags, text)

    def line(self, a: QPointF, b: QPointF, pen: QPen) -> None:
        """A horizontal or vertical line, broken where it would cross a label."""
        self.p.setPen(pen)
        for segment in _around(QLineF(a, b), self.keep_clear):
            self.p.drawLine(segment)
            self.ink.lines.append(segment)


def _around(line: QLineF, boxes: Sequence[QRectF]) -> list[QLineF]:
    """The parts of a horizontal or vertical *line* outside every one of *boxes*."""
    horizontal = abs(line.dy()) <= abs(line.dx())
    lo, hi = sorted((line.x1(), line.x2()) if horizontal else (line.y1(), line.y2()))
    at = line.y1() if horizontal else line.x1()
    cuts = []
    for box in boxes:
        across = (box.top(), box.bottom()) if horizontal else (box.left(), box.right())
        along = (box.left(), box.right()) if horizontal else (box.top(), box.bottom())
        if across[0] <= at <= across[1] and along[1] > lo and along[0] < hi:
            cuts.append(along)
    pieces: list[QLineF] = []
    for cut_lo, cut_hi in sorted(cuts):
        if cut_lo > lo:
            pieces.append(_segment(horizontal, at, lo, cut_lo))
        lo = max(lo, cut_hi)
    if lo < hi:
        pieces.append(_segment(horizontal, at, lo, hi))
    return pieces


def _segment(horizontal: bool, at: float, lo: float, hi: float) -> QLineF:
    return QLineF(lo, at, hi, at) if horizontal else QLineF(at, lo, at, hi)


def _paint(canvas: _Canvas, rect: QRectF, data: ChartData, colors: ChartColors,
           legend: bool) -> None:
    painter, unit = canvas.p, canvas.unit
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(rect, colors.background)
    metrics = painter.fontMetrics()
    line_h = metrics.height()
    top = rect.top() + 4 * unit
    if legend:
        top = _paint_legend(canvas, rect, colors) + 4 * unit
    left_w = metrics.horizontalAdvance("10") + 10 * unit
    right_w = metrics.horizontalAdvance("moderate") + 10 * unit
    plot = QRectF(rect.left() + left_w, top + line_h / 2,
                  rect.width() - left_w - right_w, rect.bottom() - top - line_h * 2 - 8 * unit)
    if plot.width() < 20 or plot.height() < 20:
        return
    frame = _Frame(plot, data.start, data.end)
    visible = _visible(data.ratings, data.start, data.end)
    # The labels inside the plot first, so that the lines can go around them.
    if data.baseline is not None:
        _paint_band(canvas, frame, data.baseline, colors)
    if not visible:
        canvas.label(plot, Qt.AlignmentFlag.AlignCenter, NO_RATINGS_IN_PERIOD, colors.dim_text)
    _paint_grid(canvas, frame, colors)
    _paint_dates(canvas, frame, colors)
    if data.baseline is not None:
        y = frame.y(data.baseline)
        canvas.line(QPointF(plot.left(), y), QPointF(plot.right(), y),
                    QPen(colors.baseline, 1.4 * unit, Qt.PenStyle.DashLine))
    if visible:
        _paint_markers(painter, frame, visible, colors, unit)
        _paint_trend(painter, frame, data.trend, colors, unit)
    canvas.draw_labels(colors.background)


class _Frame:
    """Maps times and ratings to points in the plot rectangle."""

    def __init__(self, plot: QRectF, start: datetime, end: datetime) -> None:
        self.plot = plot
        self.start = start
        self.end = end
        self._span = max((end - start).total_seconds(), 1.0)

    def x(self, at: datetime) -> float:
        return self.plot.left() + (at - self.start).total_seconds() / self._span * self.plot.width()

    def y(self, rating: float) -> float:
        return self.plot.bottom() - (rating - PAIN_MIN) / (PAIN_MAX - PAIN_MIN) * self.plot.height()


def _visible(ratings: Sequence[PainRating], start: datetime, end: datetime) -> Sequence[PainRating]:
    lo = bisect.bisect_left(ratings, start, key=lambda r: r.at)
    hi = bisect.bisect_right(ratings, end, key=lambda r: r.at)
    return ratings[lo:hi]


def _paint_legend(canvas: _Canvas, rect: QRectF, colors: ChartColors) -> float:
    """The legend across the top; returns the y below it."""
    painter, unit = canvas.p, canvas.unit
    metrics = painter.fontMetrics()
    size = 4 * unit
    x = rect.left() + 4 * unit
    y = rect.top() + 4 * unit + metrics.height() / 2
    entries: list[tuple[str, str]] = [(c, CONTEXT_LABELS[c]) for c in _LEGEND_ORDER]
    entries += [("trend", LEGEND_TREND), ("baseline", LEGEND_BASELINE),
                ("band", LEGEND_BAND.format(points=MCID_POINTS))]
    for key, label in entries:
        width = 2 * size + 6 * unit + metrics.horizontalAdvance(label) + 14 * unit
        if x + width > rect.right() and x > rect.left() + 4 * unit:
            x = rect.left() + 4 * unit
            y += metrics.height() + 2 * unit
        centre = QPointF(x + size, y)
        if key in RATING_CONTEXTS:
            _markers(painter, key, [centre], size, colors.series[key], colors.background, unit)
        elif key == "trend":
            painter.setPen(QPen(colors.trend, 1.5 * unit))
            painter.drawLine(QPointF(x, y), QPointF(x + 2 * size, y))
        elif key == "baseline":
            painter.setPen(QPen(colors.baseline, 1.2 * unit, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, y), QPointF(x + 2 * size, y))
        else:
            painter.fillRect(QRectF(x, y - size, 2 * size, 2 * size), colors.band)
        text_rect = QRectF(x + 2 * size + 6 * unit, y - metrics.height() / 2,
                           metrics.horizontalAdvance(label) + 2 * unit, metrics.height())
        canvas.text(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label,
                    colors.text)
        x += width
    return y + metrics.height() / 2


def _paint_grid(canvas: _Canvas, frame: _Frame, colors: ChartColors) -> None:
    unit = canvas.unit
    plot = frame.plot
    metrics = canvas.p.fontMetrics()
    for value in range(PAIN_MIN, PAIN_MAX + 1):
        y = frame.y(value)
        canvas.line(QPointF(plot.left(), y), QPointF(plot.right(), y),
                    QPen(colors.grid, (1.0 if value % 2 == 0 else 0.5) * unit))
        if value % 2 == 0:
            label = QRectF(plot.left() - 60 * unit, y - metrics.height() / 2, 56 * unit,
                           metrics.height())
            canvas.text(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        str(value), colors.text)
    for level, word in _BAND_WORDS:
        y = frame.y(level)
        canvas.text(QRectF(plot.right() + 6 * unit, y - metrics.height() / 2, 200 * unit,
                           metrics.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, word,
                    colors.dim_text)
    canvas.line(plot.bottomLeft(), plot.topLeft(), QPen(colors.grid, 1.0 * unit))


def _paint_band(canvas: _Canvas, frame: _Frame, base: float, colors: ChartColors) -> None:
    """The band of the change that matters around the starting level, and its labels (the
    dashed starting-level line itself is drawn with the grid, around the labels)."""
    unit = canvas.unit
    plot = frame.plot
    low = max(float(PAIN_MIN), base - MCID_POINTS)
    high = min(float(PAIN_MAX), base + MCID_POINTS)
    canvas.p.fillRect(QRectF(plot.left(), frame.y(high), plot.width(),
                             frame.y(low) - frame.y(high)), colors.band)
    metrics = canvas.p.fontMetrics()
    h = metrics.height()
    y = frame.y(base)
    label = STARTING_LEVEL.format(level=f"{base:g}")
    # Above the line, or below it when the line is the top of the plot.
    label_top = y - h - 1 * unit if y - h - 1 * unit >= plot.top() else y + 1 * unit
    box = QRectF(plot.left() + 4 * unit, label_top, metrics.horizontalAdvance(label) + 2 * unit,
                 h)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    canvas.label(box, flags, label, colors.text)
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    width = plot.width() - 4 * unit
    if high > base:
        box = QRectF(plot.left(), frame.y(high) + 1 * unit, width, h)
        canvas.label(box, right, POINTS_WORSE.format(points=MCID_POINTS), colors.dim_text)
    if low < base:
        box = QRectF(plot.left(), frame.y(low) - h - 1 * unit, width, h)
        canvas.label(box, right, POINTS_BETTER.format(points=MCID_POINTS), colors.dim_text)


def _paint_dates(canvas: _Canvas, frame: _Frame, colors: ChartColors) -> None:
    unit = canvas.unit
    plot = frame.plot
    metrics = canvas.p.fontMetrics()
    last_right = -1e9
    for day, label in _date_ticks(frame.start, frame.end):
        at = datetime.combine(day, datetime.min.time(), frame.start.tzinfo)
        x = frame.x(at)
        if not plot.left() - 0.5 <= x <= plot.right() + 0.5:
            continue
        canvas.line(QPointF(x, plot.top()), QPointF(x, plot.bottom() + 3 * unit),
                    QPen(colors.grid, 0.5 * unit))
        width = metrics.horizontalAdvance(label)
        left = min(max(x - width / 2, plot.left()), plot.right() - width)
        if left < last_right + 8 * unit:
            continue
        canvas.text(QRectF(left, plot.bottom() + 4 * unit, width + 2 * unit, metrics.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label, colors.text)
        last_right = left + width


def _date_ticks(start: datetime, end: datetime) -> list[tuple[date, str]]:
    """Tick days and labels for the period: days, weeks, months or years."""
    days = (end - start).days
    first, last = start.date(), end.date()
    if days <= 16:
        return [(first + timedelta(d), f"{first + timedelta(d):%a} {(first + timedelta(d)).day}")
                for d in range((last - first).days + 1)]
    if days <= 120:
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        weeks = range(0, (last - monday).days + 1, 7)
        return [(monday + timedelta(d), f"{(monday + timedelta(d)).day} "
                 f"{monday + timedelta(d):%b}") for d in weeks]
    month_step = 1 if days <= 400 else 3 if days <= 1100 else 12
    ticks: list[tuple[date, str]] = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if (month - 1) % month_step:
            continue
        day = date(year, month, 1)
        if day > last:
            return ticks
        ticks.append((day, f"{day:%Y}" if month_step == 12 else f"{day:%b %Y}"))


def _paint_trend(painter: QPainter, frame: _Frame, trend: Sequence[tuple[datetime, float]],
                 colors: ChartColors, unit: float) -> None:
    lo = bisect.bisect_left(trend, frame.start, key=lambda p: p[0])
    hi = bisect.bisect_right(trend, frame.end, key=lambda p: p[0])
    gap = timedelta(days=WEEKLY_WINDOW_DAYS)
    # Over years the daily trend is a scribble: more than one point every few pixels is
    # thinned to the median of each few-pixel column.
    column = max(1.0, 4 * unit)
    thin = hi - lo > frame.plot.width() / column
    segments: list[list[QPointF]] = []
    bucket: list[float] = []
    previous: datetime | None = None
    for at, level in trend[lo:hi]:
        x = frame.x(at)
        if previous is None or at - previous > gap:
            segments.append([])
            bucket = []
        previous = at
        if thin and segments[-1] and x - segments[-1][-1].x() < column:
            bucket.append(level)
            segments[-1][-1] = QPointF(segments[-1][-1].x(), frame.y(_median(bucket)))
            continue
        bucket = [level]
        segments[-1].append(QPointF(x, frame.y(level)))
    painter.setPen(QPen(colors.trend, (2.0 if thin else 1.5) * unit))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for segment in segments:
        if len(segment) > 1:
            painter.drawPolyline(QPolygonF(segment))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _paint_markers(painter: QPainter, frame: _Frame, ratings: Sequence[PainRating],
                   colors: ChartColors, unit: float) -> None:
    crowded = len(ratings) > frame.plot.width() / 3
    size = (2.2 if crowded else 3.6) * unit
    # Resting ratings last, so they sit on top of the after-session ones at the same spot.
    for context in ("during", "after", "checkin", "morning_after", "before"):
        points = [QPointF(frame.x(r.at), frame.y(r.rating)) for r in ratings
                  if r.context == context]
        colour = QColor(colors.series[context])
        if crowded:  # many overlapping markers: fainter, so the trend line reads through
            colour.setAlpha(110)
        if points:
            _markers(painter, context, points, size, colour, colors.background, unit)


def _markers(painter: QPainter, context: str, points: list[QPointF], size: float,
             colour: QColor, background: QColor, unit: float) -> None:
    """Filled circles (before), hollow squares (after), diamonds (check-in), triangles (during).

    Circles, squares and diamonds are wide-pen points, a few calls for any number of markers.
    """
    if context == "during":
        painter.setPen(QPen(background, 0.6 * unit))
        painter.setBrush(QBrush(colour))
        s = size * 1.15
        for p in points:
            x, y = p.x(), p.y()
            painter.drawPolygon(QPolygonF([QPointF(x, y - s), QPointF(x + s, y + s * 0.8),
                                           QPointF(x - s, y + s * 0.8)]))
        return
    polygon = QPolygonF(points)
    transform = painter.worldTransform()
    width = 2 * size
    if context == "checkin":  # a square turned 45 degrees
        turn = QTransform().rotate(45)
        polygon = turn.inverted()[0].map(polygon)
        painter.setWorldTransform(turn * transform)
        width = 1.7 * size
    elif context == "after":
        width = 1.75 * size
    cap = Qt.PenCapStyle.RoundCap if context == "before" else Qt.PenCapStyle.SquareCap
    for pen_colour, pen_width in ((background, width + 1.2 * unit), (colour, width)):
        painter.setPen(QPen(pen_colour, pen_width, Qt.PenStyle.SolidLine, cap))
        painter.drawPoints(polygon)
    if context == "after":
        painter.setPen(QPen(background, width - 2.8 * unit, Qt.PenStyle.SolidLine, cap))
        painter.drawPoints(polygon)
    painter.setWorldTransform(transform)


# --- The widget ---------------------------------------------------------------------------------


class PainChart(QWidget):
    """Shows :func:`paint_pain_chart` for a period of a pain history.

    Give it the ratings with :meth:`set_ratings` and choose the period with :meth:`set_period`.
    Its accessible description sums the period up in words, for screen readers.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ratings: list[PainRating] = []
        self._trend: list[tuple[datetime, float]] = []
        self._baseline: float | None = None
        now = datetime.now().astimezone()
        self._start = now - timedelta(days=30)
        self._end = now
        self.setAccessibleName("Pain chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)

    @property
    def baseline(self) -> float | None:
        """The starting level drawn (median of the first week's resting ratings)."""
        return self._baseline

    @property
    def period(self) -> tuple[datetime, datetime]:
        """The period shown."""
        return self._start, self._end

    def set_ratings(self, ratings: Sequence[PainRating], baseline: float | None = None) -> None:
        """Chart these ratings (any order) and their 7-day trend.

        *baseline* is the starting level when the caller already knows it; else (None) it is
        worked out from the ratings.
        """
        self._ratings = sorted(ratings, key=lambda r: r.at)
        self._baseline = baseline if baseline is not None else baseline_of(self._ratings)
        self._trend = resting_trend(self._ratings, self._start, self._end)
        self._describe()
        self.update()

    def set_period(self, start: datetime, end: datetime) -> None:
        """Show the ratings from *start* to *end* (aware datetimes)."""
        self._start, self._end = start, max(end, start + timedelta(hours=1))
        self._trend = resting_trend(self._ratings, self._start, self._end)
        self._describe()
        self.update()

    def chart_data(self) -> ChartData:
        """What is drawn, e.g. to paint the same chart elsewhere."""
        return ChartData(self._ratings, self._start, self._end, self._baseline, self._trend)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide and fairly low."""
        return QSize(640, 260)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Draw the chart with the palette's colours."""
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        paint_pain_chart(painter, QRectF(self.rect()), self.chart_data(),
                         ChartColors.from_palette(self.palette()))
        painter.end()

    def _describe(self) -> None:
        shown = _visible(self._ratings, self._start, self._end)
        if not shown:
            text = f"{NO_RATINGS_IN_PERIOD}."
        else:
            values = [r.rating for r in shown]
            text = (f"{len(shown)} ratings from {shown[0].at:%d %b %Y} to {shown[-1].at:%d %b %Y}"
                    f", lowest {min(values)}, highest {max(values)}, latest {values[-1]} of 10.")
        if self._baseline is not None:
            text += f" Starting level {self._baseline:g} of 10."
        self.setAccessibleDescription(text)
