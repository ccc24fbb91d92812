"""A paginated ``QTextDocument`` for PDFs: the builder, the page geometry and the checks.

Shared by the report (:mod:`player.ui.report_pdf`) and the handout
(:mod:`player.ui.handout_pdf`): :class:`Document` builds paragraphs, headings, bullets, tables
and boxes laid out by Qt for a paint device a page wide and paginated every page height;
:func:`keep_with_next` keeps headings with what follows, :func:`split_at_page_ends` makes each
paragraph that runs onto the next page two paragraphs, and :func:`lines` gives every line of
text placed, for the tests' checks that nothing overlaps.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QLocale, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextOption,
    QTextTable,
    QTextTableCellFormat,
    QTextTableFormat,
)

# --- Geometry (points) and style -------------------------------------------------------------
RESOLUTION: Final = 300  # dots per inch of the drawing; the text and lines stay vector
PT: Final = RESOLUTION / 72  # device pixels per point
# Qt scales vertical block margins and every table length (border, padding, spacing, margins,
# fixed widths) from 96-dpi pixels to the device; they are given in those units.
LEN: Final = 96 / 72

#: The territories whose paper is US Letter (CLDR's paperSize data); elsewhere A4.
LETTER_TERRITORIES: Final = frozenset({
    QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
    QLocale.Country.Philippines, QLocale.Country.Chile, QLocale.Country.Colombia,
    QLocale.Country.Venezuela, QLocale.Country.PuertoRico, QLocale.Country.Belize,
    QLocale.Country.CostaRica, QLocale.Country.Guatemala, QLocale.Country.Nicaragua,
    QLocale.Country.Panama, QLocale.Country.ElSalvador,
})

BODY_PT: Final = 9
SMALL_PT: Final = 8
TABLE_PT: Final = 8
GREY: Final = QColor(85, 85, 85)
RULE: Final = QColor(170, 170, 170)
RULE_WIDTH: Final = 0.75  # points
TABLE_GAP: Final = 9.0  # points after a table
RIGHT: Final = Qt.AlignmentFlag.AlignRight
CENTRE: Final = Qt.AlignmentFlag.AlignHCenter
HEADER_FILL: Final = QColor(232, 232, 232)

KEEP_WITH_NEXT: Final = QTextFormat.Property.UserProperty + 1
NBSP: Final = "\u00a0"

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


def page_size_for(locale: QLocale | None = None) -> QPageSize:
    """US Letter where the locale's paper is Letter (US customary measures, or a territory
    of :data:`LETTER_TERRITORIES`), else A4. *locale* is by default the app's (``QLocale()``)."""
    locale = QLocale() if locale is None else locale
    letter = (locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
              or locale.territory() in LETTER_TERRITORIES)
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


# --- What was placed where -----------------------------------------------------------------


@dataclass(frozen=True)
class TextBox:
    """One line of text (or a drawing, or one of its labels) as placed: ``page`` from 1, and
    ``rect`` in points from the page's top-left corner. ``kind`` is ``body``, ``footer``,
    ``chart`` (a label inside the report's chart, whose own box is a ``body`` line) or
    ``picture`` (an exercise's picture in the handout)."""

    page: int
    rect: QRectF
    text: str
    kind: str



# --- The document ----------------------------------------------------------------------------


def keep_units(text: str) -> str:
    """No line break between a number and its unit: ``30 %`` keeps together."""
    return text.replace(" %", NBSP + "%").replace(" \u00b0C", NBSP + "\u00b0C")


def cell_text(text: str) -> str:
    """Text for one block: its line breaks kept as breaks inside the block."""
    return keep_units(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\u2028")


class Document:
    """Builds a ``QTextDocument``, laid out for *device*, *width* pixels wide and
    paginated every *height* pixels."""

    def __init__(self, device: QPaintDevice, width: float, height: float) -> None:
        self.doc = QTextDocument()
        self.doc.documentLayout().setPaintDevice(device)
        self.doc.setDocumentMargin(0)
        self.doc.setPageSize(QSizeF(width, height))
        self.doc.setUndoRedoEnabled(False)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.doc.setDefaultTextOption(option)
        self.family = QGuiApplication.font().family()
        self.doc.setDefaultFont(self.font(BODY_PT))
        self.width = width
        self.cursor = QTextCursor(self.doc)
        # One edit: the document is laid out once, when it is complete (laying it out as it
        # grows takes time in the square of the rows of a table).
        self.cursor.beginEditBlock()
        self._editing = self.cursor
        self._empty_block = True  # the block under the cursor can take the next paragraph

    def font(self, points: float, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPointSizeF(points)
        font.setBold(bold)
        font.setItalic(italic)
        return font

    def char(self, points: float = BODY_PT, *, bold: bool = False, italic: bool = False,
             colour: QColor | None = None) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFont(self.font(points, bold, italic))
        if colour is not None:
            fmt.setForeground(colour)
        return fmt

    @staticmethod
    def block(*, top: float = 0, bottom: float = 2, indent: float = 0, hanging: float = 0,
              keep_with_next: bool = False, page_break: bool = False) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setTopMargin(top * LEN)
        fmt.setBottomMargin(bottom * LEN)
        fmt.setLeftMargin((indent + hanging) * PT)
        fmt.setTextIndent(-hanging * PT)
        if keep_with_next:
            fmt.setProperty(KEEP_WITH_NEXT, True)
        if page_break:
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        return fmt

    def paragraph(self, text: str, char: QTextCharFormat | None = None,
                  block: QTextBlockFormat | None = None) -> None:
        block = block or self.block()
        char = char or self.char()
        if self._empty_block:  # (its char format is left alone: in a box, it is the box's)
            self.cursor.setBlockFormat(block)
            self._empty_block = False
        else:
            self.cursor.insertBlock(block, char)
        self.cursor.insertText(cell_text(text), char)

    def heading(self, text: str, *, page_break: bool = False, top: float = 11) -> None:
        self.paragraph(text, self.char(12, bold=True),
                       self.block(top=0 if page_break else top, bottom=3, keep_with_next=True,
                                  page_break=page_break))

    def bullet(self, text: str, char: QTextCharFormat | None = None) -> None:
        self.paragraph(f"\u2022{NBSP}{NBSP}{text}", char, self.block(bottom=1.5, indent=2,
                                                                       hanging=8))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], *, title: str = "",
              align: Mapping[int, Qt.AlignmentFlag] | None = None,
              header_column: bool = False, fixed: bool = False) -> None:
        """A table with *header* as its first row (under a *title* row across the table, if
        given), repeated at the top of each page it runs onto. *widths* in percent of the page,
        or in points when ``fixed`` (the table is then as wide as its columns); *align* aligns
        columns by index. ``header_column`` shades the first column too."""
        titled = 1 if title else 0
        fmt = QTextTableFormat()
        fmt.setBorderCollapse(True)
        fmt.setBorder(0)
        fmt.setCellPadding(2 * LEN)
        fmt.setCellSpacing(0)
        fmt.setHeaderRowCount(1 + titled)
        fmt.setTopMargin(2 * LEN)
        fmt.setBottomMargin(TABLE_GAP * LEN)
        if fixed:
            fmt.setAlignment(Qt.AlignmentFlag.AlignLeft)
            fmt.setColumnWidthConstraints(
                [QTextLength(QTextLength.Type.FixedLength, w * LEN) for w in widths])
        else:
            fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            fmt.setColumnWidthConstraints(
                [QTextLength(QTextLength.Type.PercentageLength, w) for w in widths])
        self._leave_empty_block()
        table = self.cursor.insertTable(len(rows) + 1 + titled, len(header), fmt)
        head = self.char(TABLE_PT, bold=True)
        body = self.char(TABLE_PT)
        plain = QTextTableCellFormat()  # a rule under each row
        plain.setBottomBorder(RULE_WIDTH * LEN)
        plain.setBottomBorderBrush(RULE)
        plain.setBottomBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        shade = QTextTableCellFormat(plain)
        shade.setBackground(HEADER_FILL)
        if title:
            table.mergeCells(0, 0, 1, len(header))
            cell = table.cellAt(0, 0)
            cell.setFormat(shade)
            cell.firstCursorPosition().insertText(cell_text(title), self.char(BODY_PT,
                                                                               bold=True))
        aligned = {c: QTextBlockFormat() for c in (align or {})}
        for c, block in aligned.items():
            block.setAlignment((align or {})[c])
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                cell = table.cellAt(r + titled, c)
                strong = r == 0 or (header_column and c == 0)
                cell.setFormat(shade if strong else plain)
                at = cell.firstCursorPosition()
                if c in aligned:
                    at.setBlockFormat(aligned[c])
                at.insertText(cell_text(value), head if strong else body)
        self._after_frame()

    def insert_table(self, rows: int, columns: int, fmt: QTextTableFormat) -> QTextTable:
        """An empty table after what is written so far; the document goes on after it (write
        into its cells with :meth:`into`)."""
        self._leave_empty_block()
        table = self.cursor.insertTable(rows, columns, fmt)
        self._after_frame()
        return table

    def boxed(self, fill: QColor, edge: QColor) -> QTextCursor:
        """A shaded box across the page with a coloured left edge; returns a cursor in it
        (write into it with :meth:`into`)."""
        fmt = QTextTableFormat()
        fmt.setBorderCollapse(True)
        fmt.setBorder(0)
        fmt.setCellPadding(5 * LEN)
        fmt.setCellSpacing(0)
        fmt.setTopMargin(2 * LEN)
        fmt.setBottomMargin(TABLE_GAP * LEN)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        self._leave_empty_block()
        table = self.cursor.insertTable(1, 1, fmt)
        cell_fmt = QTextTableCellFormat()
        cell_fmt.setBackground(fill)
        cell_fmt.setLeftBorder(3 * LEN)
        cell_fmt.setLeftBorderBrush(edge)
        cell_fmt.setLeftBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        cell = table.cellAt(0, 0)
        cell.setFormat(cell_fmt)
        return cell.firstCursorPosition()

    def into(self, cursor: QTextCursor) -> Into:
        return Into(self, cursor)


    def laid_out(self) -> QTextDocument:
        """The document, complete and laid out."""
        self._editing.endEditBlock()
        self.doc.pageCount()
        return self.doc

    def _leave_empty_block(self) -> None:
        """A table goes after the paragraph under the cursor (or in place of an empty one)."""
        if not self._empty_block:
            self.cursor.insertBlock(self.block(bottom=0), self.char(2))

    def _after_frame(self) -> None:
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self._empty_block = True


class Into:
    """``with document.into(cursor):`` writes the paragraphs into a box, then goes on after
    it."""

    def __init__(self, document: Document, cursor: QTextCursor) -> None:
        self.document = document
        self.cursor = cursor

    def __enter__(self) -> None:
        self.outer = self.document.cursor
        self.document.cursor = self.cursor
        self.document._empty_block = True

    def __exit__(self, *exc: object) -> None:
        self.document.cursor = self.outer
        self.document._after_frame()



# --- Where the lines went --------------------------------------------------------------------


def blocks(doc: QTextDocument) -> Iterator[QTextBlock]:
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def lines(doc: QTextDocument) -> Iterator[tuple[QRectF, str]]:
    """Every line of text in *doc* that holds something, in document coordinates."""
    layout = doc.documentLayout()
    for block in blocks(doc):
        text_layout = block.layout()
        corner = layout.blockBoundingRect(block).topLeft()
        text = block.text()
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            rect = line.naturalTextRect()
            if rect.width() <= 0:
                continue
            yield (rect.translated(corner),
                   text[line.textStart():line.textStart() + line.textLength()])


def first_line_top(doc: QTextDocument, block: QTextBlock) -> float:
    rect = doc.documentLayout().blockBoundingRect(block)
    text_layout = block.layout()
    if text_layout.lineCount() == 0:
        return rect.top()
    return rect.top() + text_layout.lineAt(0).y()


def last_line_bottom(doc: QTextDocument, block: QTextBlock) -> float:
    rect = doc.documentLayout().blockBoundingRect(block)
    text_layout = block.layout()
    count = text_layout.lineCount()
    if count == 0:
        return rect.bottom()
    return rect.top() + text_layout.lineAt(count - 1).naturalTextRect().bottom()


def keep_with_next(doc: QTextDocument, page_height: float) -> None:
    """Move a heading (and its introduction) to the next page when what it introduces does
    not start on the same page: no heading is left alone at the foot of a page."""
    found = list(blocks(doc))
    index = 0
    while index < len(found) - 1:
        block = found[index]
        if not block.blockFormat().boolProperty(KEEP_WITH_NEXT):
            index += 1
            continue
        here = int(last_line_bottom(doc, block) // page_height)
        there = int(first_line_top(doc, found[index + 1]) // page_height)
        if here == there:
            index += 1
            continue
        first = index  # the start of the run of blocks that must stay together
        while first > 0 and found[first - 1].blockFormat().boolProperty(KEEP_WITH_NEXT):
            first -= 1
        start = found[first]
        top = first_line_top(doc, start)
        if start.blockFormat().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore \
                or top % page_height < 1:
            index += 1  # already at the top of a page: nothing better to do
            continue
        cursor = QTextCursor(start)
        fmt = QTextBlockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.mergeBlockFormat(fmt)
        index += 1


def split_at_page_ends(doc: QTextDocument, page_height: float) -> None:
    """Make each paragraph that runs on from one page to the next two paragraphs, one on each.

    Where it goes is unchanged, but a page is then drawn from the paragraphs on it only: Qt
    draws a paragraph's last line before the area drawn too (hidden by the clip, but still in
    the PDF's text, where it would be found, read out and copied twice).
    """
    for _attempt in range(3):
        splits: list[tuple[int, QTextBlockFormat]] = []
        layout = doc.documentLayout()
        for block in blocks(doc):
            text_layout = block.layout()
            if text_layout.lineCount() < 2:
                continue
            top = layout.blockBoundingRect(block).top()
            page = int((top + text_layout.lineAt(0).y() + 0.5) // page_height)
            for i in range(1, text_layout.lineCount()):
                line = text_layout.lineAt(i)
                here = int((top + line.y() + 0.5) // page_height)
                if here != page:
                    splits.append((block.position() + line.textStart(), block.blockFormat()))
                    page = here
        if not splits:
            return
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        for position, original in reversed(splits):
            cursor = QTextCursor(doc)
            cursor.setPosition(position)
            if doc.characterAt(position - 1) == "\u2028":
                cursor.deletePreviousChar()
            rest = QTextBlockFormat(original)
            rest.setTopMargin(0)
            rest.setTextIndent(0)
            rest.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
            rest.clearProperty(KEEP_WITH_NEXT)
            cursor.insertBlock(rest, cursor.charFormat())
        edit.endEditBlock()


#: Points between a page's body and its footer's rule.
FOOTER_GAP: Final = 8.0


class PagedPrinter:
    """Prints a laid-out :class:`Document` page by page with a footer under each, and records
    where every footer line went. Subclasses set ``writer``, ``document``, ``origin`` (the
    paint area's corner on the page), ``width``, ``body_height``, ``pages`` and
    ``footer_boxes``, and say what each page's footer holds (:meth:`footer`)."""

    writer: QPdfWriter
    document: Document
    origin: QPointF
    width: float
    body_height: float
    pages: int
    footer_boxes: list[TextBox]

    def footer(self, page: int, pages: int) -> QTextDocument:
        """The footer of page ``page`` of ``pages``."""
        raise NotImplementedError

    def print_pages(self, painter: QPainter) -> None:
        """Draw every page's part of the document, then its rule and footer."""
        layout = self.document.doc.documentLayout()
        footer_top = self.body_height + FOOTER_GAP * PT
        for index in range(self.pages):
            if index:
                self.writer.newPage()
            painter.save()
            painter.translate(0, -index * self.body_height)
            page = QRectF(0, index * self.body_height, self.width, self.body_height)
            painter.setClipRect(page)
            context = QAbstractTextDocumentLayout.PaintContext()
            # A hair inside the page: a line that only touches its edge is on the next (or
            # the last) page, and must not be drawn here too, even clipped away.
            context.clip = page.adjusted(0, 0.5, 0, -0.5)
            layout.draw(painter, context)
            painter.restore()
            painter.setPen(QPen(RULE, 0.5 * PT))
            rule_y = footer_top - 3 * PT
            painter.drawLine(QPointF(0, rule_y), QPointF(self.width, rule_y))
            footer = self.footer(index + 1, self.pages)
            painter.save()
            painter.translate(0, footer_top)
            footer.drawContents(painter)
            painter.restore()
            for rect, text in lines(footer):
                self.footer_boxes.append(
                    TextBox(index + 1, self.to_page(rect.translated(0, footer_top)), text,
                            "footer"))

    def to_page(self, rect: QRectF) -> QRectF:
        """Pixels in the paint area to points from the page's corner."""
        return QRectF((rect.x() + self.origin.x()) / PT, (rect.y() + self.origin.y()) / PT,
                      rect.width() / PT, rect.height() / PT)
