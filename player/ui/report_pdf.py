"""The PDF report a person takes to their physiotherapist: a summary page, then the details.

:func:`write_report_pdf` lays a :class:`~player.core.report.Report` out as a ``QTextDocument``
(Qt's own text layout: wrapping, tables whose header row repeats on each page, page breaks)
and prints it page by page into a ``QPdfWriter``, with a footer on each page: who and when,
"Page N of M" and that it is not a diagnosis. Page 1 is the summary a physiotherapist reads in
a minute: the advice now and why, adherence by week, the pain chart
(:func:`player.ui.widgets.pain_chart.paint_pain_chart`, drawn as vectors inside the document),
which exercises hurt and the red-flag answers. Then every rating with its note in full, every
session, and the care banner's history. Nothing is cut short or drawn over anything else at any
length: the layout engine places every line, and :func:`render_report_pdf` returns the boxes
it placed so that the tests can check them.

The paper is A4, or US Letter where the locale uses it (:func:`page_size_for`). The document is
made in memory and the file written atomically and owner-only (0600: it is health data), with
:func:`player.private_files.write_atomically`; QSaveFile would make it 0644 under the usual
umask. Works without a window: a ``QGuiApplication`` on the offscreen platform is made if none
exists.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final, TypeVar

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QLineF,
    QMarginsF,
    QPointF,
    QRect,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPyTextObject,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTableFormat,
)

from player import private_files
from player.core.care import NOT_A_DIAGNOSIS, SYMPTOM_QUESTIONS
from player.core.history import PainRating, Session
from player.core.report import (
    CLINICIAN_NOTES_HEADING,
    CONFIRMATIONS_HEADING,
    RED_FLAG_STOPS_HEADING,
    Report,
    adherence_lines,
    advice_heading,
    chart_period,
    clinician_note_lines,
    confirmation_words,
    exercise_name,
    exercise_pain,
    format_day,
    pain_lines,
    red_flag_stop_lines,
)
from player.core.timeline import prescriber_text
from player.ui.widgets.paged_document import CENTRE as _CENTRE
from player.ui.widgets.paged_document import (
    FOOTER_GAP,
    RESOLUTION,
    Document,
    Into,
    PagedPrinter,
    TextBox,
    ensure_gui_application,
    page_size_for,
)
from player.ui.widgets.paged_document import GREY as _GREY
from player.ui.widgets.paged_document import NBSP as _NBSP
from player.ui.widgets.paged_document import PT as _PT
from player.ui.widgets.paged_document import RIGHT as _RIGHT
from player.ui.widgets.paged_document import SMALL_PT as _SMALL_PT
from player.ui.widgets.paged_document import cell_text as _cell_text
from player.ui.widgets.paged_document import keep_with_next as _keep_with_next
from player.ui.widgets.paged_document import lines as _lines
from player.ui.widgets.paged_document import split_at_page_ends as _split_at_page_ends
from player.ui.widgets.pain_chart import (
    ChartColors,
    ChartData,
    ChartInk,
    paint_pain_chart,
    resting_trend,
)

# --- User-visible text, in one place for translation ----------------------------------------

TITLE: Final = "Exercise and pain report"
CREATOR: Final = "Routine Player"
PATIENT: Final = "Patient: {name}"
PATIENT_BLANK: Final = "Patient: ____________________________________"
ROUTINE: Final = "Routine: {title}{version}"
ROUTINE_VERSION: Final = " (version {version})"
ROUTINE_UNKNOWN: Final = "Routine: not known"
GENERATED: Final = "Generated {day}, {time}"
FOOTER: Final = ("Made by Routine Player from the person's own pain diary and session log. "
                 "It is not medical advice and not a diagnosis.")
FOOTER_WHO: Final = "{title}{patient} \u00b7 generated {day}"
FOOTER_PATIENT: Final = " \u00b7 {name}"
PAGE_OF: Final = "Page {page} of {pages}"

ADVICE_NOW: Final = "Advice now \u2014 {heading}"
ADVICE_WHY: Final = "Why:"
ADVICE_NO_REASONS: Final = "None of the care rules applies to the ratings and answers so far."
ADVICE_WHAT_TO_DO: Final = "What to do: {text}"

ADHERENCE_HEADING: Final = "Sessions done, week by week"
ADHERENCE_WEEK: Final = "Week"
ADHERENCE_PRESCRIBED: Final = "Prescribed"
ADHERENCE_DONE: Final = "Done"
ADHERENCE_ALL: Final = "All"
ADHERENCE_EARLIER: Final = "1\u2013{last}"
SESSIONS_RECORDED: Final = "Sessions recorded in all: {count}."

PAIN_HEADING: Final = "Pain trend (0 = no pain, 10 = worst pain imaginable)"
CHART_CAPTION: Final = ("Chart: {start} to {end}, {shown} of {total} ratings. Each kind of "
                        "rating has its own marker; the band is 2 points either side of the "
                        "starting level, the smallest change that matters (Ostelo et al. 2008).")

EXERCISES_HEADING: Final = "Which exercises hurt"
EXERCISES_INTRO: Final = "Pain ratings given during a session, by exercise, the most painful first."
EXERCISES_NONE: Final = "No pain ratings were given during an exercise."
EXERCISE_COLUMNS: Final = ("Exercise", "Ratings", "Median", "Highest")

SYMPTOMS_HEADING: Final = "Red-flag questions"
SYMPTOMS_NEVER: Final = "The symptom questions have not been answered."

SYMPTOMS_WHEN: Final = "Last answered {day}, {time}."
SYMPTOMS_ALL_NO: Final = "No to all {count} questions."
SYMPTOMS_OTHERS_NO: Final = "No to the other {count}."
SYMPTOM_YES: Final = "Yes: {question} ({level})"
#: How the answers' levels are named after a yes.
SYMPTOM_LEVELS: Final = {"urgent": "red flag: urgent care",
                         "see_professional": "see a professional soon"}

RATINGS_NOUN: Final = ("rating", "ratings")
MONTH_TITLE: Final = "{month}: {count} {noun}"
MONTH_PART_TITLE: Final = "{month}: {noun} {first}\u2013{last} of {count}"
RATINGS_HEADING: Final = "Every pain rating ({count}, oldest first)"
RATINGS_NONE: Final = "No pain ratings yet."
RATING_COLUMNS: Final = ("When", "Context", "Pain", "Exercise", "Body area", "Note")
#: How each kind of rating is named in the table.
RATING_CONTEXTS: Final = {"before": "Before session", "after": "After session",
                          "during": "During session", "checkin": "Check-in"}

SESSIONS_NOUN: Final = ("session", "sessions")
SESSIONS_HEADING: Final = "Sessions ({count}, oldest first)"
SESSIONS_NONE: Final = "No sessions yet."
SESSION_COLUMNS: Final = ("Started", "Routine", "Week", "Outcome", "Exercise time done")
#: How each session outcome is named.
OUTCOMES: Final = {"completed": "Completed", "partly_done": "Partly done",
                   "stopped": "Stopped", "interrupted": "Interrupted",
                   "in_progress": "In progress", "stopped_red_flag": "Stopped for a red flag"}
NOT_KNOWN: Final = "not known"

BANNER_HEADING: Final = "Care banner: when it was shown or dismissed ({count})"
BANNER_NONE: Final = "The care banner has not been shown."
BANNER_COLUMNS: Final = ("When", "Banner", "Advice", "Reasons")
#: The banner's actions, as listed.
BANNER_ACTIONS: Final = {"shown": "shown", "dismissed": "dismissed"}

# --- Geometry (points) and style -------------------------------------------------------------

#: Page margins in millimetres: left, top, right, bottom (the footer sits inside them).
MARGINS_MM: Final = (16.0, 13.0, 16.0, 10.0)
CHART_HEIGHT: Final = 180.0
MAX_TABLE_ROWS: Final = 200  # rows in one table (a month with more comes in parts)
MAX_WEEK_COLUMNS: Final = 12  # weeks in the adherence table; earlier ones are summed up


#: The advice box's tint and edge by level; a level not listed (a newer care rule's) is shown
#: as the most serious one rather than as reassuring.
_ADVICE_STYLE: Final = {"none": (QColor(234, 244, 234), QColor(70, 140, 70)),
                        "see_professional": (QColor(253, 243, 220), QColor(200, 140, 20))}
_ADVICE_ALERT: Final = (QColor(253, 228, 228), QColor(190, 30, 30))

_CHART_OBJECT: Final = QTextFormat.ObjectTypes.UserObject + 1

_T = TypeVar("_T")


@dataclass(frozen=True)
class RenderedReport:
    """The PDF's bytes and its layout, in points: every page has the same ``body`` area, the
    ``footer`` area below it; ``chart_lines`` are the chart's grid lines on their page."""

    data: bytes
    pages: int
    page: QRectF
    body: QRectF
    footer: QRectF
    boxes: tuple[TextBox, ...]
    chart_lines: tuple[tuple[int, QLineF], ...]


def write_report_pdf(report: Report, path: Path, patient: str = "",
                     page_size: QPageSize | None = None) -> int:
    """Write the report to *path* (0600, atomically); returns its number of pages.

    Raises ``OSError`` if it cannot be written.
    """
    rendered = render_report_pdf(report, patient, page_size, record=False)
    private_files.write_atomically(path, rendered.data)
    return rendered.pages


def render_report_pdf(report: Report, patient: str = "", page_size: QPageSize | None = None,
                      *, record: bool = True) -> RenderedReport:
    """The report as PDF bytes on *page_size* paper (by default :func:`page_size_for` the
    locale), with where each line of text was placed (unless not ``record``: then no
    boxes)."""
    ensure_gui_application()
    target = QBuffer()
    target.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    writer.setTitle(TITLE)
    writer.setCreator(CREATOR)
    left, top, right, bottom = MARGINS_MM
    writer.setPageLayout(QPageLayout(page_size or page_size_for(),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(left, top, right, bottom),
                                     QPageLayout.Unit.Millimeter))
    printer = _Printer(writer, report, patient)
    painter = QPainter(writer)
    try:
        printer.print_pages(painter)
    finally:
        painter.end()
    target.close()
    return printer.result(bytes(target.data().data()), record)


# --- The document ----------------------------------------------------------------------------


class _ChartObject(QPyTextObject):
    """Draws the pain chart where the document placed it, and records what it drew."""

    def __init__(self, data: ChartData, size: QSizeF, font: QFont) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.font = font
        self.ink = ChartInk()
        self.placed: QRectF | None = None

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:  # noqa: N802
        return self.size

    def drawObject(self, painter: QPainter, rect: QRectF | QRect,  # noqa: N802
                   doc: QTextDocument, pos: int, fmt: QTextFormat) -> None:
        rect = QRectF(rect)
        painter.save()
        try:
            painter.setFont(self.font)
            self.ink = ChartInk()
            paint_pain_chart(painter, rect, self.data, ChartColors.for_print(),
                             unit=0.75 * _PT, ink=self.ink)
            self.placed = QRectF(rect)
        finally:
            painter.restore()


class _Document(Document):
    """The shared document, with the pain chart drawn inside it."""

    def __init__(self, device: QPaintDevice, width: float, height: float) -> None:
        super().__init__(device, width, height)
        self.chart: _ChartObject | None = None

    def chart_block(self, data: ChartData, height: float) -> None:
        self.chart = _ChartObject(data, QSizeF(self.width, height * _PT), self.font(7.5))
        self.doc.documentLayout().registerHandler(_CHART_OBJECT, self.chart)
        self.paragraph("", block=self.block(bottom=2))
        fmt = QTextCharFormat()
        fmt.setObjectType(_CHART_OBJECT)
        self.cursor.insertText("\ufffc", fmt)


_Into = Into


# --- The report's sections -------------------------------------------------------------------


def _build(doc: _Document, report: Report, patient: str) -> None:
    _title(doc, report, patient)
    _advice(doc, report)
    _adherence(doc, report)
    _clinician_notes(doc, report)
    _pain(doc, report)
    _exercises(doc, report)
    _symptoms(doc, report)
    _red_flag_stops(doc, report)
    _ratings(doc, report)
    _sessions(doc, report)
    _banner(doc, report)


def _title(doc: _Document, report: Report, patient: str) -> None:
    generated = report.generated
    doc.paragraph(TITLE, doc.char(18, bold=True), doc.block(bottom=4))
    doc.paragraph(PATIENT.format(name=patient.strip()) if patient.strip() else PATIENT_BLANK,
                  doc.char(10.5), doc.block(bottom=2))
    routine = report.routine
    if routine is None:
        doc.paragraph(ROUTINE_UNKNOWN, doc.char(10.5), doc.block(bottom=2))
    else:
        version = ROUTINE_VERSION.format(version=routine.version) if routine.version else ""
        doc.paragraph(ROUTINE.format(title=routine.title, version=version), doc.char(10.5),
                      doc.block(bottom=2))
        if routine.prescriber is not None:
            doc.paragraph(prescriber_text(routine.prescriber), doc.char(10.5), doc.block(bottom=2))
    doc.paragraph(GENERATED.format(day=format_day(generated.date()), time=f"{generated:%H:%M}"),
                  doc.char(_SMALL_PT, colour=_GREY), doc.block(bottom=4))


def _clinician_notes(doc: _Document, report: Report) -> None:
    """The routine's clinician notes (format 1.1): the report is for the clinician."""
    notes = clinician_note_lines(report.routine) if report.routine is not None else []
    if notes:
        doc.heading(CLINICIAN_NOTES_HEADING)
        for line in notes:
            doc.bullet(line)


def _advice(doc: _Document, report: Report) -> None:
    advice = report.advice
    fill, edge = _ADVICE_STYLE.get(advice.level, _ADVICE_ALERT)
    with doc.into(doc.boxed(fill, edge)):
        doc.paragraph(ADVICE_NOW.format(heading=advice_heading(advice.level)),
                      doc.char(12.5, bold=True), doc.block(bottom=3))
        if advice.reasons:
            doc.paragraph(ADVICE_WHY, doc.char(bold=True), doc.block(bottom=1))
            for reason in advice.reasons:
                doc.bullet(reason)
        elif advice.level == "none":
            doc.paragraph(ADVICE_NO_REASONS)
        if advice.what_to_do:
            doc.paragraph(ADVICE_WHAT_TO_DO.format(text=advice.what_to_do), doc.char(bold=True),
                          doc.block(top=2, bottom=2))
        doc.paragraph(NOT_A_DIAGNOSIS, doc.char(italic=True), doc.block(bottom=0))


def _adherence(doc: _Document, report: Report) -> None:
    doc.heading(ADHERENCE_HEADING)
    doc.paragraph(" ".join(adherence_lines(report)), block=doc.block(bottom=3))
    done = report.adherence
    if done is None or not done.weeks:
        doc.paragraph(SESSIONS_RECORDED.format(count=report.sessions_total))
        return
    weeks = list(done.weeks)
    header, prescribed, counted = [ADHERENCE_WEEK], [ADHERENCE_PRESCRIBED], [ADHERENCE_DONE]
    if len(weeks) > MAX_WEEK_COLUMNS:
        earlier, weeks = weeks[:-(MAX_WEEK_COLUMNS - 1)], weeks[-(MAX_WEEK_COLUMNS - 1):]
        header.append(ADHERENCE_EARLIER.format(last=earlier[-1].number))
        prescribed.append(str(sum(w.prescribed for w in earlier)))
        counted.append(str(sum(w.done for w in earlier)))
    for week in weeks:
        header.append(str(week.number))
        prescribed.append(str(week.prescribed))
        counted.append(str(week.done))
    header.append(ADHERENCE_ALL)
    prescribed.append(str(sum(w.prescribed for w in done.weeks)))
    counted.append(str(done.sessions_done))
    doc.table(header, [prescribed, counted],
              [58.0] + [30.0] * (len(header) - 2) + [34.0],
              align=dict.fromkeys(range(1, len(header)), _RIGHT), header_column=True, fixed=True)


def _pain(doc: _Document, report: Report) -> None:
    doc.heading(PAIN_HEADING)
    doc.paragraph(" ".join(pain_lines(report.pain)), block=doc.block(bottom=3))
    ratings = sorted(report.ratings, key=lambda r: r.at)
    period = chart_period(ratings, report.generated)
    if period is None:
        return
    start, end = period
    shown = sum(1 for r in ratings if start <= r.at <= end)
    doc.paragraph(CHART_CAPTION.format(start=format_day(start.date()), end=format_day(end.date()),
                                       shown=shown, total=len(ratings)),
                  doc.char(_SMALL_PT, colour=_GREY), doc.block(bottom=2, keep_with_next=True))
    doc.chart_block(ChartData(ratings, start, end, report.pain.baseline,
                              resting_trend(ratings, start, end)),
                    CHART_HEIGHT)


def _exercises(doc: _Document, report: Report) -> None:
    doc.heading(EXERCISES_HEADING)
    rows = exercise_pain(report)
    if not rows:
        doc.paragraph(EXERCISES_NONE)
        return
    doc.paragraph(EXERCISES_INTRO, doc.char(_SMALL_PT, colour=_GREY),
                  doc.block(bottom=1, keep_with_next=True))
    doc.table(EXERCISE_COLUMNS,
              [(e.name, str(e.ratings), f"{e.median:g}", str(e.highest)) for e in rows],
              (250, 50, 50, 50), align=dict.fromkeys((1, 2, 3), _RIGHT), fixed=True)


def _symptoms(doc: _Document, report: Report) -> None:
    doc.heading(SYMPTOMS_HEADING)
    answers = report.symptoms
    if answers is None:
        doc.paragraph(SYMPTOMS_NEVER)
        return
    yes = set(answers.yes())
    when = SYMPTOMS_WHEN.format(day=format_day(answers.at.date()), time=f"{answers.at:%H:%M}")
    if not yes:
        doc.paragraph(f"{when} {SYMPTOMS_ALL_NO.format(count=len(SYMPTOM_QUESTIONS))}")
        _confirmations(doc, report)
        return
    doc.paragraph(when, block=doc.block(bottom=1.5, keep_with_next=True))
    strong = doc.char(bold=True)
    for question in SYMPTOM_QUESTIONS:
        if question.field in yes:
            level = SYMPTOM_LEVELS.get(question.level, question.level.replace("_", " "))
            doc.bullet(SYMPTOM_YES.format(question=question.question, level=level), strong)
    if len(yes) < len(SYMPTOM_QUESTIONS):
        doc.paragraph(SYMPTOMS_OTHERS_NO.format(count=len(SYMPTOM_QUESTIONS) - len(yes)),
                      block=doc.block(indent=2))
    _confirmations(doc, report)


def _confirmations(doc: _Document, report: Report) -> None:
    """The "a clinician has checked this" and "start anyway" records, with their dates."""
    if not report.confirmations:
        return
    doc.paragraph(CONFIRMATIONS_HEADING, block=doc.block(bottom=1.5, keep_with_next=True))
    for c in report.confirmations:
        doc.bullet(f"{format_day(c.at.date())} {c.at:%H:%M}: {confirmation_words(c)}")


def _red_flag_stops(doc: _Document, report: Report) -> None:
    """The sessions stopped because of a red-flag answer given during them, with their dates."""
    if not report.red_flag_stops:
        return
    doc.paragraph(RED_FLAG_STOPS_HEADING, block=doc.block(bottom=1.5, keep_with_next=True))
    for line in red_flag_stop_lines(report):
        doc.bullet(line)


def _when(at: datetime) -> str:
    """``Wed 28 Feb 2024 17:00``, on one line (its column is made wide enough)."""
    return f"{format_day(at.date())} {at:%H:%M}".replace(" ", _NBSP)


def _ratings(doc: _Document, report: Report) -> None:
    ratings = sorted(report.ratings, key=lambda r: r.at)
    # The details start on a page of their own, when there are any.
    doc.heading(RATINGS_HEADING.format(count=len(ratings)), page_break=bool(ratings))
    if not ratings:
        doc.paragraph(RATINGS_NONE)
        return
    for title, part in _by_month(ratings, lambda r: r.at, RATINGS_NOUN):
        doc.table(RATING_COLUMNS, [_rating_row(report, r) for r in part],
                  (20, 13, 6, 14, 11, 36), title=title, align={2: _CENTRE})


def _by_month(items: Sequence[_T], at: Callable[[_T], datetime],
              noun: tuple[str, str]) -> Iterator[tuple[str, Sequence[_T]]]:
    """*items* (oldest first) a month at a time, with a title for each: ``March 2024: 31
    ratings``; a month of more than :data:`MAX_TABLE_ROWS` comes in parts."""
    start = 0
    while start < len(items):
        first = at(items[start])
        end = start
        while end < len(items) and (at(items[end]).year, at(items[end]).month) == (
                first.year, first.month):
            end += 1
        count = end - start
        month = f"{first:%B %Y}"
        for part in range(start, end, MAX_TABLE_ROWS):
            rows = items[part:min(end, part + MAX_TABLE_ROWS)]
            if count <= MAX_TABLE_ROWS:
                title = MONTH_TITLE.format(month=month, count=count,
                                           noun=noun[0] if count == 1 else noun[1])
            else:
                title = MONTH_PART_TITLE.format(month=month, first=part - start + 1,
                                                last=part - start + len(rows), count=count,
                                                noun=noun[1])
            yield title, rows
        start = end


def _rating_row(report: Report, rating: PainRating) -> tuple[str, ...]:
    exercise = exercise_name(report, rating.exercise_id) if rating.exercise_id else ""
    return (_when(rating.at), RATING_CONTEXTS.get(rating.context, rating.context),
            str(rating.rating), exercise, rating.body_area, rating.note)


def _sessions(doc: _Document, report: Report) -> None:
    sessions = report.sessions
    doc.heading(SESSIONS_HEADING.format(count=len(sessions)), page_break=bool(sessions))
    if not sessions:
        doc.paragraph(SESSIONS_NONE)
        return
    for title, part in _by_month(sessions, lambda s: s.started_at, SESSIONS_NOUN):
        doc.table(SESSION_COLUMNS, [_session_row(s) for s in part], (20, 40, 8, 14, 18),
                  title=title, align={2: _CENTRE, 4: _RIGHT})


def _session_row(session: Session) -> tuple[str, ...]:
    version = ROUTINE_VERSION.format(version=session.routine_version) \
        if session.routine_version else ""
    share = session.done_share
    done = NOT_KNOWN if share is None else f"{round(100 * share)}{_NBSP}%"
    outcome = OUTCOMES.get(session.outcome, session.outcome.replace("_", " "))
    return (_when(session.started_at), f"{session.routine_title}{version}", str(session.week),
            outcome, done)


def _banner(doc: _Document, report: Report) -> None:
    events = report.banner_events
    doc.heading(BANNER_HEADING.format(count=len(events)), top=14)
    if not events:
        doc.paragraph(BANNER_NONE)
        return
    doc.table(BANNER_COLUMNS,
              [(_when(e.at), BANNER_ACTIONS.get(e.action, e.action), advice_heading(e.level),
                "\n".join(e.reasons)) for e in sorted(events, key=lambda e: e.at)],
              (20, 11, 25, 44))


# --- Pages ---------------------------------------------------------------------------------


class _Printer(PagedPrinter):
    """Lays the document out in pages of the writer's body area and prints them with their
    footers, recording where every line went."""

    document: _Document

    def __init__(self, writer: QPdfWriter, report: Report, patient: str) -> None:
        self.writer = writer
        self.report = report
        self.patient = patient.strip()
        paint = QRectF(writer.pageLayout().paintRectPixels(RESOLUTION))
        full = QRectF(writer.pageLayout().fullRectPixels(RESOLUTION))
        self.origin = paint.topLeft()  # the paint area's corner on the page, in pixels
        self.page_px = full
        self.width = paint.width()
        probe = self.footer(10**4, 10**4)
        self.footer_height = probe.size().height()
        # Whole pixels: Qt's layout counts in 1/64 pixel, and a page height it cannot hold
        # exactly would start a page a hair before its top.
        self.body_height = float(math.floor(paint.height() - self.footer_height
                                            - FOOTER_GAP * _PT))
        self.document = _Document(writer, self.width, self.body_height)
        _build(self.document, report, patient)
        laid_out = self.document.laid_out()
        _keep_with_next(laid_out, self.body_height)
        _split_at_page_ends(laid_out, self.body_height)
        self.pages = self.document.doc.pageCount()
        self.footer_boxes: list[TextBox] = []

    def footer(self, page: int, pages: int) -> QTextDocument:
        """The footer: who and when with the page number, then the not-a-diagnosis line."""
        doc = _Document(self.writer, self.width, 0)
        grey = doc.char(7.5, colour=_GREY)
        fmt = QTextTableFormat()
        fmt.setBorder(0)
        fmt.setCellPadding(0)
        fmt.setCellSpacing(0)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 78),
                                       QTextLength(QTextLength.Type.PercentageLength, 22)])
        table = doc.cursor.insertTable(1, 2, fmt)
        generated = self.report.generated
        patient = FOOTER_PATIENT.format(name=self.patient) if self.patient else ""
        who = FOOTER_WHO.format(title=TITLE, patient=patient,
                                day=f"{format_day(generated.date())} {generated:%H:%M}")
        table.cellAt(0, 0).firstCursorPosition().insertText(_cell_text(who), grey)
        right = QTextBlockFormat()
        right.setAlignment(Qt.AlignmentFlag.AlignRight)
        at = table.cellAt(0, 1).firstCursorPosition()
        at.setBlockFormat(right)
        at.insertText(PAGE_OF.format(page=page, pages=pages), doc.char(7.5, bold=True))
        doc.cursor.movePosition(QTextCursor.MoveOperation.End)
        doc.cursor.setBlockFormat(doc.block(top=1, bottom=0))
        doc.cursor.insertText(_cell_text(FOOTER), grey)
        return doc.laid_out()

    def result(self, data: bytes, record: bool) -> RenderedReport:
        boxes = list(self.footer_boxes) if record else []
        for rect, text in _lines(self.document.doc) if record else ():
            page = int(rect.top() // self.body_height)
            boxes.append(TextBox(page + 1, self.to_page(rect.translated(
                0, -page * self.body_height)), text, "body"))
        lines: list[tuple[int, QLineF]] = []
        chart = self.document.chart
        if chart is not None and chart.placed is not None:
            page = int(chart.placed.top() // self.body_height)
            shift = QPointF(self.origin.x(), self.origin.y() - page * self.body_height)
            for text, rect in chart.ink.texts:
                boxes.append(TextBox(page + 1, self.to_page(rect.translated(
                    0, -page * self.body_height)), text, "chart"))
            for line in chart.ink.lines:
                moved = line.translated(shift)
                lines.append((page + 1, QLineF(moved.p1() / _PT, moved.p2() / _PT)))
        body = QRectF(self.origin.x() / _PT, self.origin.y() / _PT, self.width / _PT,
                      self.body_height / _PT)
        footer_top = self.origin.y() + self.body_height + FOOTER_GAP * _PT
        footer = QRectF(self.origin.x() / _PT, footer_top / _PT, self.width / _PT,
                        self.footer_height / _PT)
        page_rect = QRectF(0, 0, self.page_px.width() / _PT, self.page_px.height() / _PT)
        return RenderedReport(data, self.pages, page_rect, body, footer, tuple(boxes),
                              tuple(lines))

