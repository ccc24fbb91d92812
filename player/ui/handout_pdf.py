"""The printable handout of a routine: what to do in one week, each exercise with its picture.

:func:`write_handout_pdf` lays a :class:`~player.core.routine.Routine` out for one week of its
schedule as a ``QTextDocument`` (the report's builder, :mod:`player.ui.widgets.paged_document`)
and prints it page by page into a ``QPdfWriter``: the title and who wrote the routine, the
week's schedule in words, then block by block each exercise beside its picture (the picture and
a mirrored copy where the step is done on each side, a mirrored one for the right side alone),
the dose, how to do it, what to feel and the cautions; rests, ice and heat as a line each; a
tick-box grid of the programme's weeks by sessions a week; the sources. A clinician copy (with
``clinician``) adds a page of what the clinician checks: the file, the dates, how each dose
changes by week and where each exercise comes from.

Pictures are read by :mod:`player.core.pictures` (allowed folders only, checked, capped) and
drawn from memory by :func:`player.ui.widgets.illustration.prepare`: no path is handed to Qt.
A picture that is refused is left out and said in :attr:`RenderedHandout.problems`, never
replaced by the placeholder. Nothing is drawn over anything else at any length: an exercise is
moved whole to the next page when it would straddle one (unless it is longer than a page), and
:func:`render_handout_pdf` returns where every line and picture went, for the tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPyTextObject,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableCellFormat,
    QTextTableFormat,
)

from player import private_files
from player.core import pictures
from player.core.clinical import HEAT_MAX_SECONDS, ICE_MAX_SECONDS
from player.core.report import clinician_note_lines
from player.core.routine import (
    CadenceStep,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    RestStep,
    Routine,
    Sides,
    Step,
)
from player.core.timeline import build_timeline, prescriber_text
from player.ui.widgets.illustration import prepare
from player.ui.widgets.paged_document import (
    FOOTER_GAP,
    GREY,
    KEEP_WITH_NEXT,
    LEN,
    NBSP,
    PT,
    RESOLUTION,
    SMALL_PT,
    Document,
    PagedPrinter,
    TextBox,
    ensure_gui_application,
    keep_with_next,
    lines,
    page_size_for,
    split_at_page_ends,
)

# --- User-visible text, in one place for translation ----------------------------------------

CREATOR: Final = "Routine Player"
BY: Final = "By {author}"
VERSION: Final = "version {version}"
WRITTEN: Final = "written {day}"
REVIEW_BY: Final = "review by {day}"
BYLINE_SEPARATOR: Final = "  \u00b7  "
WRITTEN_FOR: Final = "Written for: {audience}"
NOTES_HEADING: Final = "Notes"

SCHEDULE_HEADING: Final = "Your week"
TIMES_A_WEEK: Final = ("Once a week", "{count} times a week")
ON_DAYS: Final = "On {days}"
FOR_WEEKS: Final = ("for {count} week", "for {count} weeks")
NO_SCHEDULE: Final = "No schedule is given: do it as your physiotherapist advised."
THIS_WEEK: Final = "This handout is for week {week} of {weeks}."
THIS_WEEK_OPEN: Final = "This handout is for week {week}."
CHANGES_LATER: Final = "The amounts change from week {weeks}: print the handout again then."
SESSION_TIME: Final = "A session takes about {time}."
SCHEDULE_LINE: Final = "{how}."
WEEKDAY_NAMES: Final = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday",
                        "thu": "Thursday", "fri": "Friday", "sat": "Saturday",
                        "sun": "Sunday"}
WEEKDAY_SHORT: Final = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
                        "sat": "Sat", "sun": "Sun"}
AND: Final = " and "

SET_OF_REPS: Final = ("{sets} set of {reps} repetitions", "{sets} sets of {reps} repetitions")
REPS: Final = ("{reps} repetition", "{reps} repetitions")
#: A range (format 1.1): "8 to 12" repetitions, "10 minutes to 20 minutes".
RANGE: Final = "{low} to {high}"
HOLD: Final = "hold for {time}"
SETS_HOLD: Final = ("{sets} time: hold for {time}", "{sets} times: hold for {time} each time")
TEMPO: Final = "each repetition {phases}"
PHASES: Final = {"up": "{time} up", "hold": "{time} hold", "down": "{time} down"}
OWN_PACE: Final = "at your own pace"
EACH_SIDE: Final = "on each side, left then right"
ONE_SIDE: Final = {"left": "on your left side", "right": "on your right side"}
REST_BETWEEN: Final = "rest {time} between sets"
REST_AFTER: Final = "then rest {time}"
DOSE_JOIN: Final = "; "
HOW_HEADING: Final = "How to do it"
FEEL_HEADING: Final = "What you should feel"
CAUTIONS_HEADING: Final = "Take care"
STOP_IF_HEADING: Final = "Stop if"
#: Format 1.1 cues under the dose; {text} from the routine file.
LOAD_LINE: Final = "Load: {text}"
BREATHING_LINE: Final = "Breathing: {text}"
#: A week's dose in the clinician's table when a progression swaps the exercise (format 1.1).
CLINICIAN_OTHER_EXERCISE: Final = "{name}: {dose}"
NOTE: Final = "Note: {text}"
SIDE_CAPTIONS: Final = {"left": "Left side", "right": "Right side (mirrored)"}
REST_LINE: Final = "Rest for {time}."
ICE_LINE: Final = "Ice pack on your lower back for {time}."
HEAT_LINE: Final = "Heat pack on your lower back for {time}."
CAPPED: Final = " (the file asks for {asked}; the player stops at {cap})"
CADENCE_DOSE: Final = "{bpm} steps a minute for {time}, to the beat"

GRID_HEADING: Final = "Tick a box for each session you do"
GRID_WEEK: Final = "Week"
GRID_WEEK_ROW: Final = "Week {week}"
GRID_SESSION: Final = "{number}"
GRID_OPEN: Final = "No number of weeks is given: the grid has {weeks}."
GRID_ANY_DAYS: Final = "No number of sessions a week is given: a box for each day."

SOURCES_HEADING: Final = "Sources"

CLINICIAN_HEADING: Final = "Clinician copy"
CLINICIAN_INTRO: Final = ("For the clinician: what the patient's copy above is made from, and "
                          "how each dose changes by week.")
CLINICIAN_FILE: Final = "File: {name}"
CLINICIAN_TOTAL: Final = "Session time in week {week}: about {time} ({steps} steps played)."
CLINICIAN_DOSES: Final = "Doses by week"
CLINICIAN_DOSE_COLUMNS: Final = ("Exercise", "Weeks", "Dose")
CLINICIAN_WEEKS: Final = ("{first}", "{first}\u2013{last}", "{first} on")
CLINICIAN_EXERCISE_SOURCES: Final = "Where each exercise comes from"
CLINICIAN_NO_SOURCES: Final = "{name}: no source given."
CLINICIAN_SOURCE: Final = "{name}: {sources}"
CLINICIAN_EXTRAS: Final = "From the prescriber"

FOOTER: Final = "{title} \u00b7 week {week}{copy} \u00b7 made by Routine Player from the routine file"
FOOTER_CLINICIAN: Final = " \u00b7 with the clinician copy"
PAGE_OF: Final = "Page {page} of {pages}"
PICTURE_LEFT_OUT: Final = "{exercise}: the picture is left out: {reason}"

SECONDS: Final = "{n} s"
MINUTES: Final = "{n} min"
HOURS: Final = "{n} h"

# --- Geometry (points) and style -------------------------------------------------------------

#: Page margins in millimetres: left, top, right, bottom (the footer sits inside them).
MARGINS_MM: Final = (16.0, 13.0, 16.0, 10.0)
PICTURE_COLUMN: Final = 128.0  # points: the pictures' column beside each exercise
PICTURE_BOX: Final = (118.0, 88.0)  # points: the most a picture takes, width and height
#: The longer side, in pixels, pictures are drawn at (a little over the printed size at
#: :data:`~player.ui.widgets.paged_document.RESOLUTION`).
PICTURE_PIXELS: Final = 640
GRID_BOX: Final = 22.0  # points: a tick box's width
GRID_OPEN_WEEKS: Final = 6  # rows of the grid when the schedule gives no number of weeks
GRID_WEEKS_A_TABLE: Final = 13  # weeks in one table of the grid (a quarter of a year)
#: The paper sizes ``handout --paper`` offers.
PAPERS: Final = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
_BODY: Final = 9.5
_CARD_EDGE: Final = QColor(200, 200, 200)
_GRID_EDGE: Final = QColor(90, 90, 90)
_PICTURE_OBJECT: Final = QTextFormat.ObjectTypes.UserObject + 2
_PICTURE_ID: Final = QTextFormat.Property.UserProperty + 10
_OBJECT: Final = "\ufffc"


def _plural(forms: tuple[str, str], count: int, **fields: object) -> str:
    return (forms[0] if count == 1 else forms[1]).format(count=count, **fields)


def seconds_text(seconds: float) -> str:
    """``30 s``, ``1 min``, ``1 min 30 s``, ``1 h 5 min``: a duration as a person reads it."""
    whole = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(HOURS.format(n=hours))
    if minutes:
        parts.append(MINUTES.format(n=minutes))
    if secs or not parts:
        parts.append(SECONDS.format(n=secs))
    return " ".join(part.replace(" ", NBSP) for part in parts)


def _words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + AND + items[-1]


def schedule_words(routine: Routine) -> str:
    """``3 times a week for 6 weeks.`` / ``On Monday, Wednesday and Friday.``"""
    s = routine.schedule
    if s.weekdays:
        how = ON_DAYS.format(days=_words([WEEKDAY_NAMES.get(d, d) for d in s.weekdays]))
    elif s.times_per_week:
        how = _plural(TIMES_A_WEEK, s.times_per_week)
    else:
        return NO_SCHEDULE
    if s.weeks:
        how = f"{how} {_plural(FOR_WEEKS, s.weeks)}"
    return SCHEDULE_LINE.format(how=how)


def dose_text(step: ExerciseStep) -> str:
    """The dose of one step as a sentence: sets, repetitions or hold, tempo, sides, rests."""
    parts = []
    if step.hold is not None:
        time = seconds_text(step.hold)
        if step.hold_max is not None:  # format 1.1: a range
            time = RANGE.format(low=time, high=seconds_text(step.hold_max))
        parts.append(HOLD.format(time=time) if step.sets == 1
                     else _plural(SETS_HOLD, step.sets, sets=step.sets, time=time))
    elif step.reps is not None:
        reps = str(step.reps) if step.reps_max is None \
            else RANGE.format(low=step.reps, high=step.reps_max)
        many = step.reps != 1 or step.reps_max is not None
        parts.append(REPS[many].format(reps=reps) if step.sets == 1
                     else SET_OF_REPS[step.sets != 1].format(sets=step.sets, reps=reps))
        if step.tempo is not None:
            phases = [PHASES[name].format(time=seconds_text(secs))
                      for name, secs in step.tempo.phases()]
            parts.append(TEMPO.format(phases=", ".join(phases)))
        else:
            parts.append(OWN_PACE)
    if step.sides is Sides.BOTH:
        parts.append(EACH_SIDE)
    elif step.sides in (Sides.LEFT, Sides.RIGHT):
        parts.append(ONE_SIDE[step.sides.value])
    if step.sets > 1 and step.rest_between_sets > 0:
        parts.append(REST_BETWEEN.format(time=seconds_text(step.rest_between_sets)))
    if step.rest_after > 0:
        parts.append(REST_AFTER.format(time=seconds_text(step.rest_after)))
    text = DOSE_JOIN.join(parts)
    return text[:1].upper() + text[1:] + "."


def _stop_if(step: ExerciseStep) -> tuple[str, ...]:
    """The step's structured "stop if" signs (format 1.1), one line each."""
    return tuple(sign.line() for sign in step.stop_if)


def _clinician_extras(routine: Routine) -> tuple[str, ...]:
    """What the clinician copy adds from format 1.1: the ``prescriber`` (name, clinic, phone)
    and the ``clinician_notes`` (the routine's, then each step's), one line each."""
    prescriber = prescriber_text(routine.prescriber)
    return tuple(line for line in (prescriber, *clinician_note_lines(routine)) if line)


# --- What was placed where -----------------------------------------------------------------


@dataclass(frozen=True)
class RenderedHandout:
    """The PDF's bytes and its layout, in points: every page has the same ``body`` area, the
    ``footer`` below it; ``boxes`` are every line of text and every picture (kind
    ``picture``, its text the file's name); ``problems`` the pictures left out and why."""

    data: bytes
    pages: int
    page: QRectF
    body: QRectF
    footer: QRectF
    boxes: tuple[TextBox, ...]
    problems: tuple[str, ...]


def paper_size(name: str | None) -> QPageSize | None:
    """``a4`` or ``letter`` as a page size; None (the locale's) for None."""
    if name is None:
        return None
    return QPageSize(PAPERS[name.lower()])


def write_handout_pdf(routine: Routine, path: Path, week: int = 1, *, clinician: bool = False,
                      page_size: QPageSize | None = None) -> RenderedHandout:
    """Write the handout for *week* to *path* (atomically); returns what was written (its
    pages and the pictures left out, without the boxes).

    Raises ``OSError`` if it cannot be written.
    """
    rendered = render_handout_pdf(routine, week, clinician=clinician, page_size=page_size,
                                  record=False)
    private_files.write_atomically(path, rendered.data)
    return rendered


def render_handout_pdf(routine: Routine, week: int = 1, *, clinician: bool = False,
                       page_size: QPageSize | None = None,
                       record: bool = True) -> RenderedHandout:
    """The handout as PDF bytes on *page_size* paper (by default the locale's), with where
    each line and picture was placed (unless not ``record``)."""
    ensure_gui_application()
    target = QBuffer()
    target.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    writer.setTitle(routine.title)
    writer.setCreator(CREATOR)
    left, top, right, bottom = MARGINS_MM
    writer.setPageLayout(QPageLayout(page_size or page_size_for(),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(left, top, right, bottom),
                                     QPageLayout.Unit.Millimeter))
    printer = _Printer(writer, routine, week, clinician)
    painter = QPainter(writer)
    try:
        printer.print_pages(painter)
    finally:
        painter.end()
    target.close()
    return printer.result(bytes(target.data().data()), record)


# --- Pictures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    image: QImage
    mirrored: bool
    name: str


class _PictureObject(QPyTextObject):
    """Draws the pictures where the document placed them (mirrored where asked), and records
    where each went."""

    def __init__(self) -> None:
        super().__init__()
        self.pictures: list[_Placed] = []
        self.placed: dict[int, QRectF] = {}

    def add(self, image: QImage, mirrored: bool, name: str) -> int:
        self.pictures.append(_Placed(image, mirrored, name))
        return len(self.pictures) - 1

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:  # noqa: N802
        image = self.pictures[int(fmt.property(_PICTURE_ID))].image
        width, height = PICTURE_BOX
        scale = min(width / max(1, image.width()), height / max(1, image.height()))
        return QSizeF(image.width() * scale * PT, image.height() * scale * PT)

    def drawObject(self, painter: QPainter, rect: QRectF | QRect,  # noqa: N802
                   doc: QTextDocument, pos: int, fmt: QTextFormat) -> None:
        index = int(fmt.property(_PICTURE_ID))
        picture = self.pictures[index]
        rect = QRectF(rect)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if picture.mirrored:
                painter.translate(rect.right(), rect.top())
                painter.scale(-1, 1)
                painter.drawImage(QRectF(0, 0, rect.width(), rect.height()), picture.image)
            else:
                painter.drawImage(rect, picture.image)
        finally:
            painter.restore()
        painter.save()
        painter.setPen(QPen(_CARD_EDGE, 0.5 * PT))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        painter.restore()
        self.placed[index] = rect


# --- The document ----------------------------------------------------------------------------


class _Handout:
    """Writes the handout's sections into a :class:`Document`."""

    def __init__(self, doc: Document, routine: Routine, week: int, clinician: bool) -> None:
        self.doc = doc
        self.routine = routine
        self.week = week
        self.clinician = clinician
        self.folders = pictures.allowed_folders(routine.path)
        self.pictures = _PictureObject()
        doc.doc.documentLayout().registerHandler(_PICTURE_OBJECT, self.pictures)
        self.kept_whole: list[QTextTable] = []
        self.problems: list[str] = []
        self._drawn: dict[Path, QImage | None] = {}

    def build(self) -> None:
        self._title()
        self._schedule()
        for block in self.routine.blocks:
            self._block(block.name, block.steps)
        self._grid()
        self._sources()
        if self.clinician:
            self._clinician()

    # --- sections ----------------------------------------------------------------------
    def _title(self) -> None:
        doc, r = self.doc, self.routine
        doc.paragraph(r.title, doc.char(18, bold=True), doc.block(bottom=3))
        by = [BY.format(author=r.author) if r.author else "",
              VERSION.format(version=r.version) if r.version else "",
              WRITTEN.format(day=r.written.isoformat()) if r.written else "",
              REVIEW_BY.format(day=r.review_by.isoformat()) if r.review_by else ""]
        byline = BYLINE_SEPARATOR.join(b for b in by if b)
        if byline:
            doc.paragraph(byline, doc.char(SMALL_PT + 0.5, colour=GREY), doc.block(bottom=2))
        if r.prescriber is not None:  # who to call: on the patient's copy too
            doc.paragraph(prescriber_text(r.prescriber), doc.char(_BODY, bold=True),
                          doc.block(bottom=2))
        if r.audience:
            doc.paragraph(WRITTEN_FOR.format(audience=r.audience),
                          doc.char(SMALL_PT + 0.5, colour=GREY), doc.block(bottom=2))
        if r.description:
            doc.paragraph(r.description, doc.char(_BODY), doc.block(top=3, bottom=2))
        if r.notes:
            doc.paragraph(NOTES_HEADING, doc.char(_BODY, bold=True),
                          doc.block(top=3, bottom=1, keep_with_next=True))
            doc.paragraph(r.notes, doc.char(_BODY), doc.block(bottom=2))

    def _schedule(self) -> None:
        doc, r = self.doc, self.routine
        doc.heading(SCHEDULE_HEADING, top=8)
        lines_ = [schedule_words(r)]
        weeks = r.schedule.weeks
        lines_.append(THIS_WEEK.format(week=self.week, weeks=weeks) if weeks
                      else THIS_WEEK_OPEN.format(week=self.week))
        later = sorted({p.from_week for b in r.blocks for s in b.steps
                        if isinstance(s, ExerciseStep) for p in s.progressions
                        if p.from_week > self.week and (weeks is None or p.from_week <= weeks)})
        if later:
            lines_.append(CHANGES_LATER.format(weeks=_words([str(w) for w in later])))
        total = build_timeline(r, self.week).total_seconds
        lines_.append(SESSION_TIME.format(time=seconds_text(total)))
        doc.paragraph(" ".join(lines_), doc.char(_BODY), doc.block(bottom=4))

    def _block(self, name: str, steps: Sequence[Step]) -> None:
        doc = self.doc
        doc.heading(name, top=8)
        for step in steps:
            if isinstance(step, ExerciseStep):
                self._exercise(step.for_week(self.week))
            elif isinstance(step, CadenceStep):
                self._cadence(step)
            elif isinstance(step, RestStep):
                self._line(REST_LINE.format(time=seconds_text(step.seconds)), step.note)
            elif isinstance(step, IceStep):
                self._line(ICE_LINE.format(time=seconds_text(min(step.seconds, ICE_MAX_SECONDS)))
                           + self._capped(step.seconds, ICE_MAX_SECONDS), step.note)
            elif isinstance(step, HeatStep):
                self._line(HEAT_LINE.format(time=seconds_text(min(step.seconds,
                                                                  HEAT_MAX_SECONDS)))
                           + self._capped(step.seconds, HEAT_MAX_SECONDS), step.note)

    @staticmethod
    def _capped(asked: float, cap: float) -> str:
        return CAPPED.format(asked=seconds_text(asked), cap=seconds_text(cap)) \
            if asked > cap else ""

    def _line(self, text: str, note: str) -> None:
        doc = self.doc
        doc.paragraph(text, doc.char(_BODY), doc.block(top=2, bottom=2 if not note else 0))
        if note:
            doc.paragraph(note, doc.char(_BODY, italic=True), doc.block(bottom=2))

    def _exercise(self, step: ExerciseStep) -> None:
        sides: tuple[str | None, ...] = {Sides.BOTH: ("left", "right"), Sides.LEFT: ("left",),
                                         Sides.RIGHT: ("right",)}.get(step.sides, (None,))
        cues = (LOAD_LINE.format(text=step.load) if step.load else "",
                BREATHING_LINE.format(text=step.breathing_cue) if step.breathing_cue else "")
        self._row(step.exercise, step.exercise.name, dose_text(step), sides, step.note,
                  _stop_if(step), tuple(cue for cue in cues if cue))

    def _cadence(self, step: CadenceStep) -> None:
        dose = CADENCE_DOSE.format(bpm=step.bpm, time=seconds_text(step.seconds))
        self._row(step.exercise, step.name, dose[:1].upper() + dose[1:] + ".", (None,),
                  step.note, ())

    def _row(self, exercise: Exercise | None, name: str, dose: str,
             sides: tuple[str | None, ...], note: str, stop_if: tuple[str, ...],
             cues: tuple[str, ...] = ()) -> None:
        """One exercise: its pictures on the left, what to do on the right."""
        doc = self.doc
        fmt = QTextTableFormat()
        fmt.setBorder(0)
        fmt.setCellPadding(0)
        fmt.setCellSpacing(0)
        fmt.setTopMargin(4 * LEN)
        fmt.setBottomMargin(6 * LEN)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setColumnWidthConstraints([
            QTextLength(QTextLength.Type.FixedLength, PICTURE_COLUMN * LEN),
            QTextLength(QTextLength.Type.VariableLength, 0)])
        table = doc.insert_table(1, 2, fmt)
        self.kept_whole.append(table)
        image = self._image(exercise) if exercise is not None else None
        with doc.into(table.cellAt(0, 0).firstCursorPosition()):
            if image is not None:
                for side in sides:
                    self._picture(image, side == "right", exercise)
                    if side is not None:
                        doc.paragraph(SIDE_CAPTIONS[side], doc.char(SMALL_PT, colour=GREY),
                                      doc.block(bottom=4))
        with doc.into(table.cellAt(0, 1).firstCursorPosition()):
            doc.paragraph(name, doc.char(11.5, bold=True), doc.block(bottom=2))
            doc.paragraph(dose, doc.char(_BODY, bold=True), doc.block(bottom=3))
            for cue in cues:  # load and breathing (format 1.1)
                doc.paragraph(cue, doc.char(_BODY), doc.block(bottom=2))
            if note:
                doc.paragraph(NOTE.format(text=note), doc.char(_BODY, italic=True),
                              doc.block(bottom=3))
            if exercise is not None:
                self._list(HOW_HEADING, exercise.instructions, numbered=True)
                self._list(FEEL_HEADING, exercise.feel)
                self._list(CAUTIONS_HEADING, exercise.cautions)
            self._list(STOP_IF_HEADING, stop_if)

    def _list(self, heading: str, items: Sequence[str], numbered: bool = False) -> None:
        if not items:
            return
        doc = self.doc
        doc.paragraph(heading, doc.char(_BODY, bold=True),
                      doc.block(top=2, bottom=1, keep_with_next=True))
        for number, item in enumerate(items, 1):
            mark = f"{number}." if numbered else "\u2022"
            doc.paragraph(f"{mark}{NBSP}{NBSP}{item}", doc.char(_BODY),
                          doc.block(bottom=1.5, indent=2, hanging=10))

    def _picture(self, image: QImage, mirrored: bool, exercise: Exercise | None) -> None:
        doc = self.doc
        name = exercise.illustration.name if exercise and exercise.illustration else ""
        index = self.pictures.add(image, mirrored, name)
        doc.paragraph("", block=doc.block(bottom=1))
        fmt = QTextCharFormat()
        fmt.setObjectType(_PICTURE_OBJECT)
        fmt.setProperty(_PICTURE_ID, index)
        doc.cursor.insertText(_OBJECT, fmt)

    def _image(self, exercise: Exercise) -> QImage | None:
        """The exercise's picture drawn from its checked bytes, or None (none, or refused:
        then the reason is kept in :attr:`problems`)."""
        path = exercise.illustration
        if path is None:
            return None
        if path not in self._drawn:
            drawing = prepare(path, self.folders, PICTURE_PIXELS)
            image = drawing.image if not drawing.reason else None
            if drawing.reason:
                self.problems.append(PICTURE_LEFT_OUT.format(exercise=exercise.name,
                                                             reason=drawing.reason))
            self._drawn[path] = image if image is not None and not image.isNull() else None
        return self._drawn[path]

    def _grid(self) -> None:
        doc, s = self.doc, self.routine.schedule
        weeks = s.weeks or GRID_OPEN_WEEKS
        if s.weekdays:
            columns = [WEEKDAY_SHORT.get(d, d) for d in s.weekdays]
        else:
            count = s.times_per_week or 7
            columns = [GRID_SESSION.format(number=n) for n in range(1, count + 1)]
        doc.heading(GRID_HEADING, top=12)
        notes = []
        if not s.weeks:
            notes.append(GRID_OPEN.format(weeks=weeks))
        if not s.weekdays and not s.times_per_week:
            notes.append(GRID_ANY_DAYS)
        if notes:
            doc.paragraph(" ".join(notes), doc.char(SMALL_PT, colour=GREY),
                          doc.block(bottom=2, keep_with_next=True))
        fmt = QTextTableFormat()
        fmt.setBorderCollapse(True)
        fmt.setBorder(0.75 * LEN)
        fmt.setBorderBrush(_GRID_EDGE)
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setCellPadding(3 * LEN)
        fmt.setCellSpacing(0)
        fmt.setTopMargin(2 * LEN)
        fmt.setBottomMargin(6 * LEN)
        fmt.setAlignment(Qt.AlignmentFlag.AlignLeft)
        fmt.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.FixedLength, 56 * LEN)]
            + [QTextLength(QTextLength.Type.FixedLength, GRID_BOX * LEN)] * len(columns))
        head = doc.char(SMALL_PT, bold=True)
        box = doc.char(13)
        centre = QTextBlockFormat()
        centre.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        shade = QTextTableCellFormat()
        shade.setBackground(QColor(235, 235, 235))
        # A table of a few weeks at a time, each kept on one page: Qt would split a row
        # across two pages.
        for first in range(1, weeks + 1, GRID_WEEKS_A_TABLE):
            last = min(weeks, first + GRID_WEEKS_A_TABLE - 1)
            table = doc.insert_table(last - first + 2, len(columns) + 1, fmt)
            self.kept_whole.append(table)
            for c, text in enumerate([GRID_WEEK, *columns]):
                cell = table.cellAt(0, c)
                cell.setFormat(shade)
                at = cell.firstCursorPosition()
                at.setBlockFormat(centre)
                at.insertText(text, head)
            for row, w in enumerate(range(first, last + 1), 1):
                at = table.cellAt(row, 0).firstCursorPosition()
                at.insertText(GRID_WEEK_ROW.format(week=w).replace(" ", NBSP),
                              doc.char(SMALL_PT, bold=w == self.week))
                for c in range(1, len(columns) + 1):
                    table.cellAt(row, c).firstCursorPosition().insertText(NBSP, box)

    def _sources(self) -> None:
        doc, r = self.doc, self.routine
        if not r.sources:
            return
        doc.heading(SOURCES_HEADING, top=6)
        for source in r.sources:
            doc.paragraph(f"\u2022{NBSP}{NBSP}{source}", doc.char(SMALL_PT, colour=GREY),
                          doc.block(bottom=1, indent=2, hanging=8))

    def _clinician(self) -> None:
        doc, r = self.doc, self.routine
        doc.heading(CLINICIAN_HEADING, page_break=True)
        doc.paragraph(CLINICIAN_INTRO, doc.char(_BODY), doc.block(bottom=3))
        if r.path is not None:
            doc.paragraph(CLINICIAN_FILE.format(name=r.path.name), doc.char(_BODY))
        dates = [VERSION.format(version=r.version) if r.version else "",
                 WRITTEN.format(day=r.written.isoformat()) if r.written else "",
                 REVIEW_BY.format(day=r.review_by.isoformat()) if r.review_by else ""]
        if any(dates):
            line = BYLINE_SEPARATOR.join(d for d in dates if d)
            doc.paragraph(line[:1].upper() + line[1:], doc.char(_BODY))
        timeline = build_timeline(r, self.week)
        doc.paragraph(CLINICIAN_TOTAL.format(week=self.week,
                                             time=seconds_text(timeline.total_seconds),
                                             steps=len(timeline.steps)),
                      doc.char(_BODY), doc.block(bottom=3))
        extras = _clinician_extras(r)
        if extras:
            doc.heading(CLINICIAN_EXTRAS, top=6)
            for line in extras:
                doc.paragraph(line, doc.char(_BODY))
        rows = list(self._dose_rows())
        if rows:
            doc.heading(CLINICIAN_DOSES, top=6)
            doc.table(CLINICIAN_DOSE_COLUMNS, rows, (30, 12, 58))
        doc.heading(CLINICIAN_EXERCISE_SOURCES, top=6)
        for exercise in r.exercises():
            text = (CLINICIAN_SOURCE.format(name=exercise.name,
                                            sources="; ".join(exercise.sources))
                    if exercise.sources else CLINICIAN_NO_SOURCES.format(name=exercise.name))
            doc.paragraph(f"\u2022{NBSP}{NBSP}{text}", doc.char(SMALL_PT),
                          doc.block(bottom=1, indent=2, hanging=8))

    def _dose_rows(self) -> Iterator[tuple[str, str, str]]:
        """Each step that changes with the weeks: its dose for each run of weeks."""
        weeks = self.routine.schedule.weeks
        for block in self.routine.blocks:
            for step in block.steps:
                if not isinstance(step, ExerciseStep) or not step.progressions:
                    continue
                starts = sorted({1, *(p.from_week for p in step.progressions
                                      if weeks is None or p.from_week <= weeks)})
                for i, first in enumerate(starts):
                    last = starts[i + 1] - 1 if i + 1 < len(starts) else weeks
                    if last is None:
                        span = CLINICIAN_WEEKS[2].format(first=first)
                    elif last == first:
                        span = CLINICIAN_WEEKS[0].format(first=first)
                    else:
                        span = CLINICIAN_WEEKS[1].format(first=first, last=last)
                    week_step = step.for_week(first)
                    dose = dose_text(week_step)
                    if week_step.exercise is not step.exercise:  # format 1.1: another exercise
                        dose = CLINICIAN_OTHER_EXERCISE.format(name=week_step.exercise.name,
                                                               dose=dose)
                    yield (step.exercise.name if i == 0 else "", span, dose)


# --- Pages ---------------------------------------------------------------------------------


class _Printer(PagedPrinter):
    """Lays the handout out in pages of the writer's body area and prints them with their
    footers, recording where every line and picture went."""

    def __init__(self, writer: QPdfWriter, routine: Routine, week: int, clinician: bool) -> None:
        self.writer = writer
        self.footer_text = FOOTER.format(title=routine.title, week=week,
                                         copy=FOOTER_CLINICIAN if clinician else "")
        paint = QRectF(writer.pageLayout().paintRectPixels(RESOLUTION))
        full = QRectF(writer.pageLayout().fullRectPixels(RESOLUTION))
        self.origin = paint.topLeft()
        self.page_px = full
        self.width = paint.width()
        self.footer_height = self.footer(10**4, 10**4).size().height()
        self.body_height = float(math.floor(paint.height() - self.footer_height
                                            - FOOTER_GAP * PT))
        self.document = Document(writer, self.width, self.body_height)
        self.handout = _Handout(self.document, routine, week, clinician)
        self.handout.build()
        laid_out = self.document.laid_out()
        for _attempt in range(3):
            moved = _keep_tables_whole(laid_out, self.handout.kept_whole,
                                       self.body_height)
            keep_with_next(laid_out, self.body_height)
            if not moved:
                break
        split_at_page_ends(laid_out, self.body_height)
        self.pages = laid_out.pageCount()
        self.footer_boxes: list[TextBox] = []

    def footer(self, page: int, pages: int) -> QTextDocument:
        doc = Document(self.writer, self.width, 0)
        fmt = QTextTableFormat()
        fmt.setBorder(0)
        fmt.setCellPadding(0)
        fmt.setCellSpacing(0)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 80),
                                       QTextLength(QTextLength.Type.PercentageLength, 20)])
        table = doc.insert_table(1, 2, fmt)
        with doc.into(table.cellAt(0, 0).firstCursorPosition()):
            doc.paragraph(self.footer_text, doc.char(7.5, colour=GREY), doc.block(bottom=0))
        right = QTextBlockFormat()
        right.setAlignment(Qt.AlignmentFlag.AlignRight)
        at = table.cellAt(0, 1).firstCursorPosition()
        at.setBlockFormat(right)
        at.insertText(PAGE_OF.format(page=page, pages=pages), doc.char(7.5, bold=True))
        return doc.laid_out()

    def _on_page(self, rect: QRectF, text: str, kind: str) -> TextBox:
        page = int(rect.top() // self.body_height)
        return TextBox(page + 1, self.to_page(rect.translated(0, -page * self.body_height)),
                       text, kind)

    def result(self, data: bytes, record: bool) -> RenderedHandout:
        boxes = list(self.footer_boxes) if record else []
        if record:
            for rect, text in lines(self.document.doc):
                if text.strip(_OBJECT + " "):  # a picture's line is the picture's box
                    boxes.append(self._on_page(rect, text, "body"))
            pictures_ = self.handout.pictures
            for index, rect in sorted(pictures_.placed.items()):
                boxes.append(self._on_page(rect, pictures_.pictures[index].name, "picture"))
        body = QRectF(self.origin.x() / PT, self.origin.y() / PT, self.width / PT,
                      self.body_height / PT)
        footer_top = self.origin.y() + self.body_height + FOOTER_GAP * PT
        footer = QRectF(self.origin.x() / PT, footer_top / PT, self.width / PT,
                        self.footer_height / PT)
        page_rect = QRectF(0, 0, self.page_px.width() / PT, self.page_px.height() / PT)
        return RenderedHandout(data, self.pages, page_rect, body, footer, tuple(boxes),
                               tuple(self.handout.problems))


def _keep_tables_whole(doc: QTextDocument, tables: Sequence[QTextTable],
                       page_height: float) -> bool:
    """Start on a new page each exercise that would straddle two (with the heading just before
    it, if any) unless it is longer than a page; True when one was moved.

    Every page break is decided from one layout: a break moves what follows it down by the rest
    of its page, so each later table's place is its laid-out place plus the moves before it.
    The breaks are then made in one edit (one new layout, not one per break: the worst case's
    36 breaks took 2 s). The caller checks again, so a place the sum got wrong is still fixed.
    """
    layout = doc.documentLayout()
    shift = 0.0
    breaks: list[tuple[QTextTable, QTextBlock | None]] = []
    for table in tables:
        rect = layout.frameBoundingRect(table)
        top = rect.top() + table.format().topMargin() + shift
        bottom = rect.bottom() - table.format().bottomMargin() + shift
        heading = _heading_before(doc, table)
        heading_top = layout.blockBoundingRect(heading).top() + shift \
            if heading is not None else None
        starts = int(top // page_height)
        alone = heading_top is not None and int(heading_top // page_height) != starts
        straddles = starts != int((bottom - 1) // page_height) \
            and bottom - top <= page_height - 1 and top % page_height >= 1
        if not (alone or straddles):
            continue
        moved_from = heading_top if heading_top is not None else rect.top() + shift
        shift += (int(moved_from // page_height) + 1) * page_height - moved_from
        breaks.append((table, heading))
    if not breaks:
        return False
    edit = QTextCursor(doc)
    edit.beginEditBlock()
    try:
        for table, heading in breaks:
            if heading is not None:
                fmt = QTextBlockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(heading).mergeBlockFormat(fmt)
            else:
                frame = table.format()
                frame.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                table.setFormat(frame)
    finally:
        edit.endEditBlock()
    return True


def _heading_before(doc: QTextDocument, table: QTextTable) -> QTextBlock | None:
    """The first of the headings that introduce *table* (kept with what follows), if any,
    past the empty paragraph a table is put after."""
    block = doc.findBlock(table.firstPosition() - 1)
    while block.isValid() and not block.text() and QTextCursor(block).currentTable() is None \
            and not block.blockFormat().boolProperty(KEEP_WITH_NEXT):
        block = block.previous()
    heading = None
    while block.isValid() and block.blockFormat().boolProperty(KEEP_WITH_NEXT):
        heading = block
        block = block.previous()
    return heading
