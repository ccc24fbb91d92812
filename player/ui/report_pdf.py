"""The one-page PDF report a person takes to their physiotherapist.

:func:`write_report_pdf` draws a :class:`~player.core.report.Report` on an A4 page with Qt's own
PDF writer (``QPdfWriter`` and ``QPainter``; no other dependency): who (a blank line to fill in
when the name is not known), which routine, sessions done against those prescribed week by week,
the pain chart (:func:`player.ui.widgets.pain_chart.paint_pain_chart`), the current advice with "not a
diagnosis", the care banner's events and the date. The page is drawn in memory and the file
written atomically and owner-only (0600: it is health data), with
:func:`player.private_files.write_atomically`; QSaveFile would make it 0644 under the usual umask.
Works without a window: a ``QGuiApplication`` on the offscreen platform is made if none exists.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from player import private_files
from player.core.care import NOT_A_DIAGNOSIS
from player.core.progress import WeekAdherence
from player.core.report import (
    ADVICE_HEADINGS,
    Report,
    adherence_lines,
    format_day,
    pain_lines,
)
from player.ui.widgets.pain_chart import (
    ChartColors,
    ChartData,
    paint_pain_chart,
    resting_trend,
)

TITLE = "Exercise and pain report"
RESOLUTION = 300  # dots per inch of the drawing; the text and lines stay vector
CHART_DAYS = 182  # the chart shows at most the last six months
MAX_WEEKS = 8  # weeks listed in the sessions table
MAX_BOXES = 16  # boxes drawn for a week (the format allows up to 14 sessions a week)
FOOTER = ("Made by Routine Player from the person's own pain diary and session log. "
          "It is not medical advice and not a diagnosis.")

_gui_app: QGuiApplication | None = None  # kept alive for the life of the process


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new one on the offscreen platform (no display needed)."""
    global _gui_app
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    _gui_app = QGuiApplication([sys.argv[0] if sys.argv else "routine-player",
                                "-platform", "offscreen"])
    return _gui_app


def write_report_pdf(report: Report, path: Path, patient: str = "") -> None:
    """Write the one-page report to *path* (0600); raises ``OSError`` if it cannot be written."""
    ensure_gui_application()
    target = QBuffer()
    target.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    writer.setTitle(TITLE)
    writer.setCreator("Routine Player")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    try:
        page = QRectF(writer.pageLayout().paintRectPixels(RESOLUTION))
        page.moveTo(0, 0)
        _Page(painter, page, RESOLUTION / 72).draw(report, patient)
    finally:
        painter.end()
    private_files.write_atomically(path, bytes(target.data().data()))


class _Page:
    """Lays the report out top to bottom; sizes are in points (``self.u`` pixels each)."""

    def __init__(self, painter: QPainter, page: QRectF, unit: float) -> None:
        self.p = painter
        self.page = page
        self.u = unit
        self.y = page.top()
        self.black = QColor("black")
        self.grey = QColor(90, 90, 90)

    def font(self, points: float, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont(QGuiApplication.font())
        font.setPointSizeF(points)
        font.setBold(bold)
        font.setItalic(italic)
        return font

    def text(self, text: str, points: float = 9.5, *, bold: bool = False, italic: bool = False,
             colour: QColor | None = None, indent: float = 0, gap: float = 2) -> float:
        """Wrapped plain text at the cursor; returns its height in pixels."""
        self.p.setFont(self.font(points, bold, italic))
        self.p.setPen(colour or self.black)
        box = QRectF(self.page.left() + indent * self.u, self.y,
                     self.page.width() - indent * self.u, self.page.bottom() - self.y)
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)
        used = self.p.boundingRect(box, flags, text)
        self.p.drawText(box, flags, text)
        self.y += used.height() + gap * self.u
        return used.height()

    def heading(self, text: str) -> None:
        self.y += 7 * self.u
        self.text(text, 11.5, bold=True, gap=1)
        self.p.setPen(QPen(self.grey, 0.6 * self.u))
        self.p.drawLine(QPointF(self.page.left(), self.y), QPointF(self.page.right(), self.y))
        self.y += 4 * self.u

    def draw(self, report: Report, patient: str) -> None:
        self._title(report, patient)
        self._sessions(report)
        self._pain(report)
        self._advice(report)
        self._banner_events(report)
        self._footer(report)

    def _title(self, report: Report, patient: str) -> None:
        self.p.setFont(self.font(8.5))
        self.p.setPen(self.grey)
        generated = f"Generated {format_day(report.generated.date())}, {report.generated:%H:%M}"
        self.p.drawText(QRectF(self.page.left(), self.y, self.page.width(), 20 * self.u),
                        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), generated)
        self.text(TITLE, 17, bold=True, gap=6)
        self.text(f"Patient: {patient}" if patient.strip() else
                  "Patient: ____________________________________", 10.5, gap=4)
        if report.routine is not None:
            version = (f" (version {report.routine.version})" if report.routine.version else "")
            self.text(f"Routine: {report.routine.title}{version}", 10.5, gap=1)
        else:
            self.text("Routine: not known", 10.5, gap=1)

    def _sessions(self, report: Report) -> None:
        self.heading("Sessions done against those prescribed")
        for line in adherence_lines(report):
            self.text(line, 9.5, gap=1)
        done = report.adherence
        if done is None or not done.weeks:
            self.text(f"Sessions recorded in all: {report.sessions_total}.", 9.5)
            return
        self.y += 3 * self.u
        weeks = done.weeks[-MAX_WEEKS:]
        columns = (0, 45, 200, 420)  # points from the left
        self.p.setFont(self.font(9, bold=True))
        self.p.setPen(self.black)
        row_h = 13 * self.u
        for x, title in zip(columns, ("Week", "Dates", "Done / prescribed", "Started"),
                            strict=True):
            self._cell(x, title)
        self.y += row_h
        self.p.setFont(self.font(9))
        for week in weeks:
            self._week_row(week, columns)
            self.y += row_h
        if len(done.weeks) > len(weeks):
            earlier = done.weeks[: -len(weeks)]
            self.text(f"Weeks 1-{earlier[-1].number}: {sum(w.done for w in earlier)} of "
                      f"{sum(w.prescribed for w in earlier)} sessions done.", 9,
                      colour=self.grey)

    def _cell(self, x: float, text: str) -> None:
        self.p.drawText(QRectF(self.page.left() + x * self.u, self.y, 200 * self.u, 13 * self.u),
                        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)

    def _week_row(self, week: WeekAdherence, columns: tuple[int, ...]) -> None:
        self.p.setPen(self.black)
        self._cell(columns[0], str(week.number))
        self._cell(columns[1], f"{week.start:%d %b} - {week.end:%d %b %Y}")
        self._cell(columns[2], f"{week.done} / {week.prescribed}")
        self._cell(columns[3], str(week.started))
        # One box a prescribed session, filled when done: the week at a glance.
        size = 7 * self.u
        x = self.page.left() + (columns[2] + 50) * self.u
        top = self.y + 3 * self.u
        for i in range(min(MAX_BOXES, max(week.prescribed, week.done))):
            box = QRectF(x + i * (size + 2 * self.u), top, size, size)
            self.p.setPen(QPen(self.black, 0.6 * self.u))
            self.p.setBrush(self.black if i < week.done else Qt.BrushStyle.NoBrush)
            self.p.drawRect(box)
        self.p.setBrush(Qt.BrushStyle.NoBrush)

    def _pain(self, report: Report) -> None:
        self.heading("Pain (0 = no pain, 10 = worst pain imaginable)")
        for line in pain_lines(report.pain):
            self.text(line, 9.5, gap=1)
        ratings = report.ratings
        if not ratings:
            return
        end = report.generated
        start = max(ratings[0].at, end - timedelta(days=CHART_DAYS)) - timedelta(days=1)
        self.text(f"Chart: {format_day(start.date())} to {format_day(end.date())}. Each kind "
                  "of rating has its own marker; the band is 2 points either side of the "
                  "starting level, the smallest change that matters (Ostelo et al. 2008).",
                  8.5, colour=self.grey, gap=3)
        height = 200 * self.u
        rect = QRectF(self.page.left(), self.y, self.page.width(), height)
        self.p.setFont(self.font(7.5))
        data = ChartData(ratings, start, end, report.pain.baseline, resting_trend(ratings))
        paint_pain_chart(self.p, rect, data, ChartColors.for_print(), unit=0.75 * self.u)
        self.y += height + 2 * self.u

    def _advice(self, report: Report) -> None:
        advice = report.advice
        self.heading(f"Current advice: {ADVICE_HEADINGS[advice.level]}")
        for reason in advice.reasons:
            self.text(f"\u2022 {reason}", 9.5, indent=6, gap=1)
        if advice.what_to_do:
            self.text(advice.what_to_do, 9.5, bold=True, gap=2)
        self.text(NOT_A_DIAGNOSIS, 9.5, italic=True)

    def _banner_events(self, report: Report) -> None:
        self.heading("Care banner: when it was shown or dismissed")
        events = report.banner_events
        if not events:
            self.text("The care banner has not been shown.", 9.5)
            return
        line_h = 12 * self.u
        room = int((self.page.bottom() - 28 * self.u - self.y) // line_h)
        shown = events
        if len(events) > room:  # keep a line to say how many are left out
            shown = events[-(room - 1):] if room > 1 else ()
        self.p.setFont(self.font(8.5))
        metrics = self.p.fontMetrics()
        text_left = 165 * self.u
        for e in reversed(shown):
            first = e.reasons[0] if e.reasons else ""
            more = f" (+{len(e.reasons) - 1} more)" if len(e.reasons) > 1 else ""
            line = metrics.elidedText(f"{ADVICE_HEADINGS[e.level]}: {first}{more}",
                                      Qt.TextElideMode.ElideRight,
                                      int(self.page.width() - text_left))
            self.p.setPen(self.black)
            for x, text in ((0, f"{format_day(e.at.date())} {e.at:%H:%M}"),
                            (112 * self.u, e.action), (text_left, line)):
                self.p.drawText(QRectF(self.page.left() + x, self.y, self.page.width() - x,
                                       line_h),
                                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                text)
            self.y += line_h
        if len(shown) < len(events):
            self.text(f"{len(events) - len(shown)} earlier events are not listed "
                      "(routine-player report --json lists them all).", 8.5, colour=self.grey)

    def _footer(self, report: Report) -> None:
        self.y = self.page.bottom() - 22 * self.u
        self.p.setPen(QPen(self.grey, 0.6 * self.u))
        self.p.drawLine(QPointF(self.page.left(), self.y), QPointF(self.page.right(), self.y))
        self.y += 3 * self.u
        self.text(f"{FOOTER} Generated {format_day(report.generated.date())}.", 8,
                  colour=self.grey)
