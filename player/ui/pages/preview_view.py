"""The preview of a routine (what, who, how often, how long, every step), or its errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from player.core.durations import format_duration
from player.core.text import without_bidi_controls
from player.ui.controllers.library_model import RoutineLibrary
from player.ui.widgets.flow_layout import FlowLayout
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import PAGE_MARGIN, TextRole
from player.ui.widgets.wrapping_items import wrap_items

if TYPE_CHECKING:  # the routine model is imported on first use, after the window is shown

    from player.core.loader import LoadResult
    from player.core.problems import Problem
    from player.core.programme import Programme
    from player.core.routine import Routine
    from player.core.timeline import Timeline

#: Gives the programme of a routine (None without a schedule): its start and its weeks.
ProgrammeSource = Callable[["Routine"], "Programme | None"]

# User-visible text, in one place for translation.
PROGRAMME_STARTED = "Programme started"
PROGRAMME_START_TIP = ("The week of the programme is counted from this day; it is the day of "
                       "your first session unless you change it.")
HANDOUT_BUTTON = "Print handout\u2026"
#: Format 1.1's ``easier_routine``: {name} is the linked file's name.
EASIER_BUTTON = "Easier routine"
EASIER_TIP = "Open the easier routine your physiotherapist linked for a bad day ({name})"
HANDOUT_TIP = ("Save a PDF to print: the chosen week's exercises with their pictures, doses "
               "and cautions, and a box to tick for each session")


def problem_line(problem: Problem) -> str:
    """``line:col: message`` for the list of problems."""
    return f"{problem.line or 1}:{problem.col or 1}: {problem.describe()}"


def schedule_text(routine: Routine) -> str:
    """``3 times a week for 6 weeks`` / ``Mon, Wed, Fri`` / ``2 times a day, every day`` /
    empty (:func:`player.core.timeline.schedule_text`)."""
    from player.core.timeline import schedule_text as text

    return text(routine.schedule)


def has_progressions(routine: Routine) -> bool:
    """True when some step changes with the weeks."""
    from player.core.routine import ExerciseStep

    return any(isinstance(step, ExerciseStep) and step.progressions
               for block in routine.blocks for step in block.steps)


def _pair(label: QWidget, field: QWidget) -> QWidget:
    """A label and its field, kept on one row when the row they sit in wraps."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field)
    return pair


class PreviewView(QStackedWidget):
    """Shows the selected routine, or the list of its errors with their lines.

    Emits ``start_requested(path, week)`` from the Start button, ``handout_requested(path,
    week)`` from the Print handout button, ``easier_requested(path)`` from the Easier routine
    button (format 1.1) and ``reload_requested(path)`` from the errors page. Only the empty page is built at first, so the window opens sooner;
    :meth:`build_pages` builds the routine and errors pages (the window calls it once it is
    on the screen, and :meth:`show_result` when it comes first).
    """

    start_requested = Signal(Path, int)
    handout_requested = Signal(Path, int)
    easier_requested = Signal(Path)
    reload_requested = Signal(Path)
    programme_start_chosen = Signal(str, object)  # routine title, datetime.date

    def __init__(self, library: RoutineLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._path: Path | None = None
        self._routine: Routine | None = None
        self._pages_built = False
        self._programme_source: ProgrammeSource | None = None
        self._programme: Programme | None = None
        self.empty_page = self._build_empty_page()
        self.addWidget(self.empty_page)

    def build_pages(self) -> None:
        """Build the routine and errors pages unless they exist."""
        if self._pages_built:
            return
        self._pages_built = True
        self.routine_page = self._build_routine_page()
        self.errors_page = self._build_errors_page()
        self.addWidget(self.routine_page)
        self.addWidget(self.errors_page)

    @property
    def path(self) -> Path | None:
        """The file shown."""
        return self._path

    @property
    def week(self) -> int:
        """The week of the schedule chosen (1 when the routine has no weeks)."""
        return self.week_box.value() if self._pages_built else 1

    @property
    def programme(self) -> Programme | None:
        """The programme of the routine shown (None without a schedule)."""
        return self._programme

    def set_programme_source(self, source: ProgrammeSource) -> None:
        """Where the programme of a routine comes from (its start and weeks), so the week box
        offers the current week; the routine shown is shown again with it."""
        self._programme_source = source
        self.refresh_programme()

    def refresh_programme(self) -> None:
        """Read the programme of the routine shown again (its start was changed, or a
        session was played)."""
        if self._pages_built and self._routine is not None \
                and self.currentWidget() is self.routine_page:
            self._show_programme(self._routine)

    def show_result(self, path: Path, result: LoadResult) -> None:
        """Show the routine in ``result`` or, when it has errors, the errors."""
        self.build_pages()
        self._path = path
        self._routine = result.routine
        if result.routine is None:
            self._show_errors(path, result)
        else:
            self._show_routine(result.routine, result.warnings)

    def clear(self) -> None:
        """Show the empty page."""
        self._path = self._routine = None
        self.setCurrentWidget(self.empty_page)

    # --- pages ---------------------------------------------------------------------------------
    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        hint = TextLabel("Choose a routine on the left, or open a routine file "
                         "(File > Open, or drop it on this window).", TextRole.HEADING,
                         wrap=True, dim=True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        layout.addStretch(2)
        return page

    def _build_routine_page(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        layout.setSpacing(8)
        self.title_label = TextLabel("", TextRole.TITLE, wrap=True)
        self.title_label.setAccessibleName("Routine title")
        self.byline_label = TextLabel("", dim=True, wrap=True)
        self.byline_label.setAccessibleName("Author")
        self.prescriber_label = TextLabel("", dim=True, wrap=True)
        self.prescriber_label.setAccessibleName("Prescribed by")
        self.audience_label = TextLabel("", dim=True, wrap=True)
        self.audience_label.setAccessibleName("Written for")
        self.description_label = TextLabel("", wrap=True)
        self.description_label.setAccessibleName("Description")
        self.facts_label = TextLabel("", TextRole.HEADING, wrap=True)
        self.facts_label.setAccessibleName("Schedule and total time")
        for label in (self.title_label, self.byline_label, self.prescriber_label,
                      self.audience_label,
                      self.description_label, self.facts_label):
            layout.addWidget(label)
        layout.addLayout(self._build_start_row())
        layout.addWidget(TextLabel("Steps", TextRole.HEADING))
        self.steps_tree = self._build_steps_tree()
        layout.addWidget(self.steps_tree, 1)
        self.notes_heading = TextLabel("Notes", TextRole.HEADING)
        self.notes_label = TextLabel("", wrap=True)
        self.notes_label.setAccessibleName("Notes")
        layout.addWidget(self.notes_heading)
        layout.addWidget(self.notes_label)
        self.sources_heading = TextLabel("Sources", TextRole.HEADING)
        self.sources_label = TextLabel("", TextRole.SMALL, wrap=True)
        self.sources_label.setAccessibleName("Sources")
        self.sources_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sources_heading)
        layout.addWidget(self.sources_label)
        self.warnings_label = TextLabel("", TextRole.SMALL, wrap=True, dim=True)
        self.warnings_label.setAccessibleName("Notes about this file")
        layout.addWidget(self.warnings_label)
        area = QScrollArea()
        area.setWidget(content)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

    def _build_start_row(self) -> QVBoxLayout:
        # Two rows (the buttons, then the week and the programme's start), so the page fits a
        # 1024-pixel-wide screen beside the library without scrolling sideways; each wraps
        # onto more rows when narrower still (large text).
        rows = QVBoxLayout()
        row = FlowLayout()
        rows.addLayout(row)
        self.start_button = QPushButton("Start routine")
        self.start_button.setAccessibleName("Start routine")
        self.start_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.start_button.setMinimumHeight(44)
        self.start_button.setMinimumWidth(180)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._on_start_clicked)
        row.addWidget(self.start_button)
        self.handout_button = QPushButton(HANDOUT_BUTTON)
        self.handout_button.setAccessibleName(HANDOUT_BUTTON.rstrip("\u2026"))
        self.handout_button.setToolTip(HANDOUT_TIP)
        self.handout_button.setMinimumHeight(44)
        self.handout_button.clicked.connect(self._on_handout_clicked)
        row.addWidget(self.handout_button)
        self.easier_button = QPushButton(EASIER_BUTTON)
        self.easier_button.setAccessibleName(EASIER_BUTTON)
        self.easier_button.setMinimumHeight(44)
        self.easier_button.clicked.connect(self._on_easier_clicked)
        self.easier_button.hide()
        row.addWidget(self.easier_button)
        row = FlowLayout(spacing=PAGE_MARGIN)
        rows.addLayout(row)
        from PySide6.QtWidgets import QSpinBox  # with the page, after the first paint

        self.week_label = TextLabel("Week")
        self.week_box = QSpinBox()
        self.week_box.setRange(1, 52)
        self.week_box.setAccessibleName("Week of the schedule")
        self.week_box.valueChanged.connect(self._on_week_changed)
        self.week_label.setBuddy(self.week_box)
        row.addWidget(_pair(self.week_label, self.week_box))
        from PySide6.QtWidgets import QDateEdit

        self.programme_label = TextLabel("", dim=True)
        self.programme_label.setAccessibleName("Programme week")
        self.start_label = TextLabel(PROGRAMME_STARTED)
        self.start_date = QDateEdit()
        self.start_date.setCalendarPopup(True)
        self.start_date.setDisplayFormat("ddd d MMM yyyy")
        self.start_date.setAccessibleName("Programme started on")
        self.start_date.setToolTip(PROGRAMME_START_TIP)
        self.start_date.dateChanged.connect(self._on_start_date_changed)
        self.start_label.setBuddy(self.start_date)
        row.addWidget(self.programme_label)
        row.addWidget(_pair(self.start_label, self.start_date))
        return rows

    def _build_steps_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setAccessibleName("Steps of the routine")
        tree.setHeaderLabels(["Starts", "Length", "Block", "Step"])
        tree.setRootIsDecorated(False)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        wrap_items(tree)  # in a narrow window a step's name wraps rather than ends in "..."
        header = tree.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        tree.setMinimumHeight(220)
        return tree

    def _build_errors_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        layout.setSpacing(8)
        heading = QHBoxLayout()
        icon = TextLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        heading.addWidget(icon)
        self.errors_title = TextLabel("This routine file cannot be played", TextRole.TITLE,
                                      wrap=True)
        heading.addWidget(self.errors_title, 1)
        layout.addLayout(heading)
        self.errors_path = TextLabel("", dim=True, wrap=True)
        self.errors_path.setAccessibleName("File")
        self.errors_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.errors_path)
        self.errors_intro = TextLabel("", wrap=True)
        layout.addWidget(self.errors_intro)
        from PySide6.QtWidgets import QListWidget  # with the page, after the first paint

        self.errors_list = QListWidget()
        self.errors_list.setAccessibleName("Problems in the file")
        self.errors_list.setWordWrap(True)
        self.errors_list.setAlternatingRowColors(True)
        layout.addWidget(self.errors_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.reload_button = QPushButton("Read the file again")
        self.reload_button.setAccessibleName("Read the file again")
        self.reload_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_BrowserReload))
        self.reload_button.clicked.connect(self._on_reload_clicked)
        row.addWidget(self.reload_button)
        layout.addLayout(row)
        return page

    # --- filling -------------------------------------------------------------------------------
    def _show_routine(self, routine: Routine, warnings: tuple[Problem, ...]) -> None:
        self.title_label.setText(routine.title)
        by = [f"By {routine.author}" if routine.author else "",
              f"version {routine.version}" if routine.version else "",
              f"written {routine.written.isoformat()}" if routine.written else "",
              f"review by {routine.review_by.isoformat()}" if routine.review_by else ""]
        self.byline_label.set_text_or_hide("  \u00b7  ".join(b for b in by if b))
        from player.core.timeline import prescriber_text

        self.prescriber_label.set_text_or_hide(prescriber_text(routine.prescriber))
        self.audience_label.set_text_or_hide(f"Written for: {routine.audience}"
                                             if routine.audience else "")
        self.description_label.set_text_or_hide(routine.description)
        self.notes_label.set_text_or_hide(routine.notes)
        self.notes_heading.setVisible(bool(routine.notes))
        self.sources_label.setText("\n".join(f"\u2022 {s}" for s in routine.sources))
        self.sources_heading.setVisible(bool(routine.sources))
        self.sources_label.setVisible(bool(routine.sources))
        easier = routine.easier_routine
        self.easier_button.setVisible(easier is not None)
        self.easier_button.setToolTip(EASIER_TIP.format(name=easier.name) if easier else "")
        self.warnings_label.set_text_or_hide(
            "\n".join(f"Note, line {problem_line(w)}" for w in warnings))
        weeks = routine.schedule.weeks or 1
        show_weeks = weeks > 1 or has_progressions(routine)
        self.week_box.blockSignals(True)
        self.week_box.setRange(1, max(weeks, 52 if has_progressions(routine) else 1))
        self.week_box.setValue(1)
        self.week_box.blockSignals(False)
        self.week_label.setVisible(show_weeks)
        self.week_box.setVisible(show_weeks)
        self._show_programme(routine, fill=False)
        self._fill_steps(routine)
        self.setCurrentWidget(self.routine_page)

    def _show_programme(self, routine: Routine, fill: bool = True) -> None:
        """The programme's week and start; the week box on the current week."""
        programme = self._programme_source(routine) if self._programme_source else None
        self._programme = programme
        for widget in (self.programme_label, self.start_label, self.start_date):
            widget.setVisible(programme is not None)
        if programme is None:
            return
        from datetime import date  # not loaded before the first paint

        today = date.today()
        self.programme_label.setText(programme.label(today).capitalize())
        self.start_date.blockSignals(True)
        self.start_date.setDate(QDate(programme.start.year, programme.start.month,
                                      programme.start.day))
        self.start_date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.start_date.blockSignals(False)
        self.week_box.blockSignals(True)
        self.week_box.setValue(min(programme.current_week(today), self.week_box.maximum()))
        self.week_box.blockSignals(False)
        if fill:
            self._fill_steps(routine)

    def _fill_steps(self, routine: Routine) -> None:
        from player.core.timeline import build_timeline

        timeline = build_timeline(routine, self.week)
        facts = [schedule_text(routine), f"Total {format_duration(timeline.total_seconds)}"]
        self.facts_label.setText("  \u00b7  ".join(f for f in facts if f))
        self.facts_label.setToolTip("Untimed sets are counted at 4 seconds a repetition")
        self._fill_tree(timeline)

    def _fill_tree(self, timeline: Timeline) -> None:
        from player.core.timeline import describe_step

        self.steps_tree.clear()
        items = []
        for s in timeline.steps:
            length = format_duration(s.duration_seconds) if s.duration_seconds is not None \
                else f"~{format_duration(s.planned_seconds)}"
            detail = describe_step(s)
            name = s.name + (f" ({detail})" if detail else "")
            items.append(QTreeWidgetItem([format_duration(s.start_seconds), length,
                                          without_bidi_controls(s.block),
                                          without_bidi_controls(name)]))
        self.steps_tree.addTopLevelItems(items)

    def _show_errors(self, path: Path, result: LoadResult) -> None:
        errors = result.errors
        self.errors_path.setText(str(path))
        count = len(errors)
        self.errors_intro.setText(
            f"{count} problem{'s' if count != 1 else ''} found. Each line says where it is "
            "(line:column) and what to change. Fix them in a text editor, save, then read the "
            "file again.")
        self.errors_list.clear()
        self.errors_list.addItems([without_bidi_controls(problem_line(p)) for p in errors])
        warnings = [without_bidi_controls(f"(warning) {problem_line(p)}")
                    for p in result.warnings]
        self.errors_list.addItems(warnings)
        self.setCurrentWidget(self.errors_page)

    # --- slots ---------------------------------------------------------------------------------
    def _on_start_clicked(self) -> None:
        if self._path is not None and self._routine is not None:
            self.start_requested.emit(self._path, self.week)

    def _on_handout_clicked(self) -> None:
        if self._path is not None and self._routine is not None:
            self.handout_requested.emit(self._path, self.week)

    def _on_easier_clicked(self) -> None:
        if self._routine is not None and self._routine.easier_routine is not None:
            self.easier_requested.emit(self._routine.easier_routine)

    def _on_reload_clicked(self) -> None:
        if self._path is not None:
            self.reload_requested.emit(self._path)

    def _on_start_date_changed(self, day: QDate) -> None:
        from datetime import date

        if self._routine is not None:
            self.programme_start_chosen.emit(self._routine.title,
                                             date(day.year(), day.month(), day.day()))

    def _on_week_changed(self, _week: int) -> None:
        if self._routine is not None:
            self._fill_steps(self._routine)
