"""The history page: a calendar of sessions, adherence, the pain chart and the list of sessions.

Handed the report (:meth:`HistoryView.set_report`, the :class:`~player.core.report.Report` the
PDF and ``report`` print, so they count the same sessions), it stays fast with years of history: the list is a
model/view table (:class:`SessionTableModel`), the calendar formats only the month on show, and
the chart draws only the period chosen.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Final, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player.core.clinical import PAIN_ANCHORS
from player.core.history import HistoryData, Session, SessionPain, session_pains
from player.core.programme import Programme
from player.core.progress import Adherence, PainTrend
from player.core.report import Report, build_report, change_words, chart_period, format_day
from player.core.routine import Routine
from player.ui.widgets.flow_layout import FlowLayout
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.pain_chart import PainChart, mix_colours
from player.ui.widgets.style import PAGE_MARGIN, TextRole

OUTCOME_WORDS = {
    "completed": "Completed",
    "partly_done": "Partly done",
    "stopped": "Stopped early",
    "interrupted": "Interrupted",
    "in_progress": "In progress",
    "stopped_red_flag": "Stopped for a red flag",
}
#: The chart period that fits the ratings, as the report's chart does (see ``chart_period``).
FIT_TO_RATINGS: Final = "fit"
#: The chart's periods: label and days back from now (None: everything).
CHART_PERIODS: tuple[tuple[str, int | None | Literal["fit"]], ...] = (
    ("Your ratings", FIT_TO_RATINGS), ("Last 4 weeks", 28), ("Last 3 months", 91),
    ("Last year", 365), ("Everything", None))
DEFAULT_PERIOD = 0
#: The sessions' order (start, then id; the list shows it reversed), as one key made in C.
_NEWEST_FIRST = operator.attrgetter("started_at", "id")
#: Shown for a step count that was not read.
NOT_COUNTED = "\u2013"


def _count_text(count: int | None) -> str:
    """A step count, or a dash when the sessions were read without counting their steps."""
    return NOT_COUNTED if count is None else str(count)


def _rating_text(value: int | None) -> str:
    return "\u2013" if value is None else f"{value} ({PAIN_ANCHORS[value]})"


class SessionTableModel(QAbstractTableModel):
    """The sessions, newest first, with their outcome, step counts and pain before and after."""

    COLUMNS = ("Date", "Routine", "Outcome", "Steps done", "Skipped", "Pain before", "Pain after")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sessions: list[Session] = []
        self._pains: dict[int, SessionPain] = {}
        self._rows: dict[int, int] = {}

    def set_sessions(self, sessions: Sequence[Session], pains: Sequence[SessionPain]) -> None:
        """Show *sessions* (any order) with the before/after ratings in *pains*."""
        self.beginResetModel()
        self._sessions = sorted(sessions, key=_NEWEST_FIRST, reverse=True)
        self._pains = {p.session_id: p for p in pains}
        self._rows = {s.id: row for row, s in enumerate(self._sessions)}
        self.endResetModel()

    def session_at(self, row: int) -> Session:
        """The session shown in *row*."""
        return self._sessions[row]

    def pain_of(self, session_id: int) -> SessionPain | None:
        """The before/after ratings of a session, if any."""
        return self._pains.get(session_id)

    def row_of(self, session_id: int) -> int | None:
        """The row showing that session."""
        return self._rows.get(session_id)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """One row a session."""
        return 0 if parent.isValid() else len(self._sessions)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """See :attr:`COLUMNS`."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The text of a cell; numbers are right-aligned."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() in (3, 4):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        # The tooltip says a cell's whole text: the columns keep a fixed width (nothing is
        # measured over thousands of rows), so a long routine title ends in "...".
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        s = self._sessions[index.row()]
        column = index.column()
        if column == 0:
            return f"{format_day(s.started_at.date())}, {s.started_at:%H:%M}"
        if column == 1:
            return s.routine_title
        if column == 2:
            return OUTCOME_WORDS.get(s.outcome, s.outcome)
        if column == 3:
            return _count_text(s.steps_completed)
        if column == 4:
            return _count_text(s.steps_skipped)
        pain = self._pains.get(s.id)
        value = None if pain is None else pain.before if column == 5 else pain.after
        return _rating_text(value)


class HistoryView(QWidget):
    """The history page. ``back_requested``: leave it; ``report_requested``: save the PDF report.

    Give it a report with :meth:`set_report` (or the data with :meth:`set_history`); it reads
    nothing by itself.
    """

    back_requested = Signal()
    report_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = datetime.now().astimezone()
        self._report = build_report(HistoryData(), None, self._now)
        self._by_day: dict[date, list[Session]] = {}
        self._build()
        self._wire()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN // 2, PAGE_MARGIN, PAGE_MARGIN // 2)
        layout.setSpacing(8)
        top = FlowLayout()  # the buttons go under the title when the page is narrow
        top.addWidget(TextLabel("Your history", TextRole.TITLE))
        top.addStretch(1)
        self.report_button = QPushButton("Save a report for your physiotherapist\u2026")
        self.report_button.setAccessibleName("Save a PDF report for your physiotherapist")
        self.back_button = QPushButton("Back to the routines")
        self.back_button.setAccessibleName("Back to the routines")
        top.addWidget(self.report_button)
        top.addWidget(self.back_button)
        layout.addLayout(top)
        self.adherence_label = TextLabel("", TextRole.HEADING, wrap=True)
        self.adherence_label.setAccessibleName("Sessions against your schedule")
        self.pain_label = TextLabel("", wrap=True)
        self.pain_label.setAccessibleName("Pain summary")
        #: Sitting breaks taken, set by the reminders (hidden while they are off).
        self.breaks_label = TextLabel("", dim=True, wrap=True)
        self.breaks_label.setAccessibleName("Sitting breaks")
        self.breaks_label.hide()
        layout.addWidget(self.adherence_label)
        layout.addWidget(self.pain_label)
        layout.addWidget(self.breaks_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_upper())
        splitter.addWidget(self._build_lower())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def _build_upper(self) -> QWidget:
        upper = QWidget(self)
        row = QHBoxLayout(upper)
        row.setContentsMargins(0, 0, 0, 0)
        column = QVBoxLayout()
        self.calendar = QCalendarWidget(upper)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setAccessibleName("Calendar of sessions")
        self.calendar.setAccessibleDescription(
            "Days with a completed session are bold and shaded; days with a session stopped "
            "early are in italics. Choosing a day shows its session in the list below.")
        column.addWidget(self.calendar)
        self.calendar_key = TextLabel("Bold and shaded: a completed session. Italic: a session "
                                      "stopped early.", TextRole.SMALL, wrap=True, dim=True)
        column.addWidget(self.calendar_key)
        column.addStretch(1)
        row.addLayout(column, 0)
        chart_column = QVBoxLayout()
        chart_top = QHBoxLayout()
        chart_top.addWidget(TextLabel("Pain over time", TextRole.HEADING))
        chart_top.addStretch(1)
        self.period = QComboBox(upper)
        self.period.addItems([label for label, _days in CHART_PERIODS])
        self.period.setCurrentIndex(DEFAULT_PERIOD)
        self.period.setAccessibleName("Period shown in the pain chart")
        chart_top.addWidget(self.period)
        chart_column.addLayout(chart_top)
        self.chart = PainChart(upper)
        chart_column.addWidget(self.chart, 1)
        row.addLayout(chart_column, 1)
        return upper

    def _build_lower(self) -> QWidget:
        lower = QWidget(self)
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(TextLabel("Sessions", TextRole.HEADING))
        self.model = SessionTableModel(self)
        self.table = QTableView(lower)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sessions, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights and column widths: nothing is measured over thousands of rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        samples = ("Wed 28 Sep 2025, 08:48", "Core strength routine", "Stopped early",
                   "Steps done", "Skipped", "10 (worst pain imaginable)", "")
        for column_index, sample in enumerate(samples):
            text = max(sample, SessionTableModel.COLUMNS[column_index], key=len)
            self.table.setColumnWidth(column_index, metrics.horizontalAdvance(text) + 24)
        column.addWidget(self.table, 1)
        self.details = TextLabel("", wrap=True)
        self.details.setAccessibleName("Details of the chosen session")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        column.addWidget(self.details)
        return lower

    def _wire(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.report_button.clicked.connect(self.report_requested)
        self.period.currentIndexChanged.connect(self._on_period_current_index_changed)
        self.calendar.currentPageChanged.connect(self._on_calendar_current_page_changed)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    # --- public ------------------------------------------------------------------------------
    @property
    def report(self) -> Report:
        """What is shown."""
        return self._report

    def set_history(self, history: HistoryData, routine: Routine | None = None,
                    now: datetime | None = None) -> None:
        """Show *history*; adherence is measured against *routine*'s schedule, if it has one."""
        self.set_report(build_report(history, routine, now or datetime.now().astimezone()))

    def set_report(self, report: Report) -> None:
        """Show what ``report`` says (the same report the PDF and ``report`` print)."""
        self._report = report
        self._now = report.generated
        today = self._now.date()
        sessions = report.sessions
        by_day: dict[date, list[Session]] = defaultdict(list)
        for s in sessions:
            by_day[s.started_at.date()].append(s)
        self._by_day = dict(by_day)
        self.model.set_sessions(sessions, session_pains(report.ratings))
        self.adherence_label.setText(adherence_summary(report.adherence, sessions,
                                                       report.routine, today,
                                                       report.programme))
        self.pain_label.setText(pain_summary(report.pain))
        self.chart.set_ratings(report.ratings, report.pain.baseline)
        self._apply_period()
        self.calendar.setSelectedDate(QDate(today.year, today.month, today.day))
        self._format_month(today.year, today.month)
        self.details.setText("Choose a session to see its details." if sessions
                             else "No sessions yet.")

    def set_breaks(self, text: str) -> None:
        """Show the sitting-breaks line (empty text hides it)."""
        self.breaks_label.setText(text)
        self.breaks_label.setVisible(bool(text))

    def select_session(self, session_id: int) -> bool:
        """Select a session in the list (and its day in the calendar)."""
        row = self.model.row_of(session_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    # --- internals -----------------------------------------------------------------------------
    def _apply_period(self) -> None:
        _label, days = CHART_PERIODS[self.period.currentIndex()]
        ratings = self._report.ratings
        fitted = chart_period(ratings, self._now) if days == FIT_TO_RATINGS else None
        if fitted is not None:
            self.chart.set_period(*fitted)
            return
        if days is None and ratings:
            start = min(ratings[0].at, self._now - timedelta(days=7))
        else:
            start = self._now - timedelta(days=days if isinstance(days, int) else 28)
        self.chart.set_period(start, self._now)

    def _format_month(self, year: int, month: int) -> None:
        """Mark the days with sessions on the page shown (and the days around it)."""
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears every format
        palette = self.calendar.palette()
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        done_format = QTextCharFormat()
        done_format.setFontWeight(QFont.Weight.Bold)
        done_format.setBackground(mix_colours(base, highlight, 0.35))
        done_format.setForeground(palette.color(QPalette.ColorRole.Text))
        started_format = QTextCharFormat()
        started_format.setFontItalic(True)
        started_format.setFontUnderline(True)
        first = date(year, month, 1)
        for offset in range(-7, 45):
            day = first + timedelta(days=offset)
            sessions = self._by_day.get(day)
            if sessions:
                done = any(s.outcome == "completed" for s in sessions)
                self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day),
                                                done_format if done else started_format)

    def _show_details(self, session: Session) -> None:
        pain = self.model.pain_of(session.id)
        lines = [f"{format_day(session.started_at.date())}, {session.started_at:%H:%M}"
                 + (f" to {session.ended_at:%H:%M}" if session.ended_at else "")
                 + f": {session.routine_title}"
                 + (f" (version {session.routine_version})" if session.routine_version else ""),
                 f"{OUTCOME_WORDS.get(session.outcome, session.outcome)}: "
                 f"{_count_text(session.steps_completed)} steps done, "
                 f"{_count_text(session.steps_skipped)} skipped."]
        if pain is not None and (pain.before is not None or pain.after is not None):
            lines.append(f"Pain before: {_rating_text(pain.before)}; after: "
                         f"{_rating_text(pain.after)}.")
        notes = [r for r in self._report.ratings if r.session_id == session.id
                 and (r.note or r.body_area)]
        for r in notes:
            where = f" ({r.body_area})" if r.body_area else ""
            lines.append(f"Note {r.context}{where}: {r.note}" if r.note
                         else f"Where {r.context}: {r.body_area}")
        self.details.setText("\n".join(lines))

    # --- slots -------------------------------------------------------------------------------
    def _on_period_current_index_changed(self, _index: int) -> None:
        self._apply_period()

    def _on_calendar_current_page_changed(self, year: int, month: int) -> None:
        self._format_month(year, month)

    def _on_calendar_clicked(self, qdate: QDate) -> None:
        sessions = self._by_day.get(date(qdate.year(), qdate.month(), qdate.day()))
        if sessions:
            self.select_session(max(sessions, key=lambda s: s.started_at).id)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        session = self.model.session_at(current.row())
        self._show_details(session)
        day = session.started_at.date()
        self.calendar.blockSignals(True)
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.blockSignals(False)
        self._format_month(day.year, day.month)


def adherence_summary(done: Adherence | None, sessions: Sequence[Session],
                      routine: Routine | None, today: date,
                      programme: Programme | None = None) -> str:
    """``Core strength, week 3 of 6 · This week: 2 of 3 sessions done · Overall: 83 % ...``."""
    if done is None or not done.weeks:
        monday = today - timedelta(days=today.weekday())
        count = sum(1 for s in sessions if s.counts_for_adherence
                    and monday <= s.started_at.date() <= today)
        why = ("no routine with a schedule is chosen" if routine is None
               else f"{routine.title} has no schedule")
        return (f"This week: {count} session{'' if count == 1 else 's'} done "
                f"(adherence is not measured: {why}).")
    parts = []
    if programme is not None and routine is not None:
        parts.append(f"{routine.title}, {programme.label(today)}")
    if programme is None or not programme.finished(today):
        week = done.weeks[-1]
        parts.append(f"This week: {week.done} of {week.prescribed} sessions done")
    if done.percent is not None:
        parts.append(f"Overall: {done.percent:g} % of prescribed sessions")
    weeks = "week" if done.streak_weeks == 1 else "weeks"
    parts.append(f"On target {done.streak_weeks} {weeks} in a row")
    return " \u00b7 ".join(parts)


def pain_summary(pain: PainTrend) -> str:
    """``Pain: started at 4/10; last 7 days 3/10 (1 point better).``"""
    if not pain.ratings:
        return "No pain ratings yet."
    start = "not enough ratings yet" if pain.baseline is None else f"{pain.baseline:g}/10"
    recent = ("too few ratings" if pain.recent is None else f"{pain.recent:g}/10")
    text = f"Pain: started at {start}; last 7 days {recent}"
    if pain.change_points is not None:
        text += f" ({change_words(pain.change_points, None)})"
    return text + f". {pain.ratings} ratings in all."

