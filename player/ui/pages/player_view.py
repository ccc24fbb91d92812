"""The player: the step, a large countdown, the illustration, what to do and feel, controls.

Handed the :class:`SessionController`; everything shown is read from the engine whenever the
controller says something changed, so the view never keeps time itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.core import pictures
from player.core.durations import format_duration
from player.core.engine import EngineState, TempoPhase
from player.core.plan import step_label
from player.core.timeline import StepKind, Timeline, TimelineStep, describe_step, dose_text_of
from player.ui.controllers.actions import SessionActions
from player.ui.controllers.session_controller import Session, SessionController
from player.ui.dialogs.session_dialogs import BARRIER_ADVICE, SKIN_PROBLEM_ADVICE
from player.ui.widgets.beat_indicator import BeatIndicator
from player.ui.widgets.illustration import IllustrationView, picture_for
from player.ui.widgets.labels import CountdownLabel, TextLabel
from player.ui.widgets.style import PAGE_MARGIN, TextRole

# User-visible text, in one place for translation.
_PHASE_WORDS = {"up": "Up", "hold": "Hold", "down": "Down"}
INSTRUCTIONS_HEADING = "How to do it"
PLAY_AGAIN = "Play again"
START_AGAIN = "Start again"
RESUME_FROM = "Resume from step {n}"
NO_ILLUSTRATION = "This exercise has no illustration"
#: The longest text the Done button takes (see player.ui.controllers.actions).
LONGEST_DONE_TEXT = "Start timer"
PAUSED = "Paused \u2014 Space to go on"
#: Format 1.1 cues of an exercise step, under its note; {text} from the routine file.
LOAD_LINE = "Load: {text}"
BREATHING_LINE = "Breathing: {text}"
DONE_AFTER_REPS = "Press Done (Enter) when you have finished the repetitions."
#: An untimed range of time (format 1.1: ``10-20 min``): no clock, the person says when.
DONE_AFTER_TIME = "Go on for the time shown, as you tolerate it, then press Done (Enter)."
DONE_WORD = "Done?"
UP_NEXT = "Up next: {name}"

#: Narrower than this many times its height, the page puts the picture above the countdown.
PICTURE_ABOVE_RATIO = 1.2
#: The details (how to do it, what to feel) are never shorter than this, in pixels.
DETAILS_MIN_HEIGHT = 110
#: A details column's width share never goes below this many characters' worth.
DETAILS_MIN_SHARE = 100
#: A session button's least width while it shows its words.
TEXT_BUTTON_WIDTH = 96
#: A session button's width when the window is too narrow for their words (icon only).
ICON_BUTTON_WIDTH = 44
#: Room a session button needs beside its icon and words (padding and the gap between them).
BUTTON_PADDING = 26
#: A page lower than this many lines of text is compact: hidden lines give up their room (the
#: clock may move a little between steps) and the countdown may shrink further, so that what
#: to do is never cut (1024x600 with large text).
COMPACT_LINES = 34
#: How opaque the pause overlay is over the countdown (0-255): digits showing through blur the words.
PAUSE_OVERLAY_ALPHA = 255


def side_text(step: TimelineStep) -> str:
    """``Left side`` / ``Right side`` / empty."""
    return f"{step.side.capitalize()} side" if step.side else ""


def set_text(step: TimelineStep) -> str:
    """``Set 2 of 3`` for a multi-set exercise, else empty."""
    if step.sets and step.sets > 1 and step.set:
        return f"Set {step.set} of {step.sets}"
    return ""


def cap_text(step: TimelineStep) -> str:
    """The cap notice for ice and heat the player shortened, else empty."""
    if step.requested_seconds is None:
        return ""
    return (f"Capped at {format_duration(step.planned_seconds)} "
            f"(the file asked for {format_duration(step.requested_seconds)})")


def next_text(timeline: Timeline, step: TimelineStep) -> str:
    """What comes after ``step``."""
    following = timeline.steps[step.index + 1 : step.index + 2]
    if not following:
        return "Next: the end of the routine"
    nxt = following[0]
    detail = describe_step(nxt)
    length = (format_duration(nxt.duration_seconds) if nxt.duration_seconds is not None
              else "when you're done")
    return f"Next: {nxt.name}" + (f" ({detail})" if detail else "") + f", {length}"


class _Section(QWidget):
    """A heading and plain-text lines, hidden when there are no lines."""

    def __init__(self, heading: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.heading = TextLabel(heading, TextRole.HEADING)
        self.body = TextLabel("", wrap=True)
        self.body.setAccessibleName(name)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)

    def set_lines(self, lines: tuple[str, ...] | list[str], bullets: bool = True) -> None:
        """Show ``lines`` (bulleted), or hide the section."""
        text = "\n".join(f"\u2022 {line}" if bullets else line for line in lines)
        self.body.setText(text)
        self.setVisible(bool(lines))


class PlayerView(QWidget):
    """Shows the session in play and, at its end, a short summary.

    Layouts other features add to: :attr:`extra_controls` (beside the session buttons, e.g. a
    "this hurts" button) and :attr:`finished_extras` (on the summary, e.g. a pain rating).
    """

    back_requested = Signal()
    again_requested = Signal()
    resume_requested = Signal()

    def __init__(self, controller: SessionController, actions: SessionActions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._actions = actions
        self._step: TimelineStep | None = None
        self._button_words: dict[QAbstractButton, str] = {}  # a button's words (icon-only mode)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._build_session_page())
        self._stack.addWidget(self._build_finished_page())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        controller.session_started.connect(self._on_session_started)
        controller.step_started.connect(self._on_step_started)
        controller.display_changed.connect(self._on_display_changed)
        controller.state_changed.connect(self._on_state_changed)
        controller.tempo_phase_changed.connect(self._on_tempo_phase_changed)
        controller.beat_reached.connect(self._on_beat_reached)
        controller.skin_problem_reported.connect(self._on_skin_problem_reported)
        controller.barrier_confirmed.connect(self._on_barrier_confirmed)
        controller.session_finished.connect(self._on_session_finished)

    # --- building ----------------------------------------------------------------------------
    def _build_session_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN // 2, PAGE_MARGIN, PAGE_MARGIN // 2)
        layout.setSpacing(10)
        layout.addLayout(self._build_top_bar())
        #: Picture beside the countdown, or above it in a narrow window (see resizeEvent).
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(PAGE_MARGIN)
        self.body.addLayout(self._build_picture_column(), 5)
        self.body.addWidget(self._build_clock_panel(), 6)
        layout.addLayout(self.body, 5)
        self.details = self._build_details()
        content = self.details.widget()
        layout.addWidget(self.details, 2)
        # Refit the details once the page has its size, and when their text wraps anew.
        page.installEventFilter(self)
        if content is not None:
            content.installEventFilter(self)
        self.next_label = TextLabel("", TextRole.HEADING)
        self.next_label.setAccessibleName("Next step")
        layout.addWidget(self.next_label)
        layout.addLayout(self._build_controls())
        return page

    def _build_top_bar(self) -> QVBoxLayout:
        bar = QVBoxLayout()
        bar.setSpacing(4)
        row = QHBoxLayout()
        self.routine_label = TextLabel("", TextRole.HEADING, wrap=True)  # long titles wrap
        self.routine_label.setAccessibleName("Routine")
        self.block_label = TextLabel("", TextRole.BODY, dim=True)
        self.block_label.setAccessibleName("Block")
        self.step_count_label = TextLabel("", TextRole.BODY, dim=True)
        self.step_count_label.setAccessibleName("Step number")
        self.time_left_label = TextLabel("", TextRole.HEADING)
        self.time_left_label.setAccessibleName("Time left in the routine")
        row.addWidget(self.routine_label, 1)
        row.addWidget(self.block_label)
        row.addWidget(self.step_count_label)
        row.addSpacing(PAGE_MARGIN)
        row.addWidget(self.time_left_label)
        bar.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress.setAccessibleName("Progress through the routine")
        bar.addWidget(self.progress)
        return bar

    def _build_picture_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.illustration = IllustrationView()
        column.addWidget(self.illustration, 1)
        self.missing_picture = QWidget()
        row = QHBoxLayout(self.missing_picture)
        row.setContentsMargins(0, 0, 0, 0)
        icon = TextLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        row.addWidget(icon)
        self.missing_label = TextLabel(NO_ILLUSTRATION, TextRole.SMALL, wrap=True, dim=True)
        self.illustration.problem_changed.connect(self._show_picture_note)
        row.addWidget(self.missing_label, 1)
        self.missing_picture.hide()
        column.addWidget(self.missing_picture)
        return column

    def _build_clock_panel(self) -> QWidget:
        self.clock_panel = QWidget()
        column = QVBoxLayout(self.clock_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.name_label = TextLabel("", TextRole.TITLE, wrap=True)
        self.name_label.setAccessibleName("Step")
        column.addWidget(self.name_label)
        row = QHBoxLayout()
        self.set_label = TextLabel("", TextRole.STATUS)
        self.set_label.setAccessibleName("Set")
        self.side_label = TextLabel("", TextRole.STATUS)
        self.side_label.setAccessibleName("Side")
        row.addWidget(self.set_label)
        row.addSpacing(PAGE_MARGIN)
        row.addWidget(self.side_label)
        row.addStretch(1)
        column.addLayout(row)
        self.countdown = CountdownLabel()
        self.countdown.setAccessibleName("Countdown")
        column.addWidget(self.countdown, 1)
        # Over the countdown, outside the layout: showing it moves nothing.
        self.paused_label = TextLabel(PAUSED, TextRole.TITLE, wrap=True, parent=self.clock_panel)
        self.paused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_label.setAccessibleName("Paused")
        self.paused_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.paused_label.setMargin(8)
        self.paused_label.setAutoFillBackground(True)
        self._colour_pause_overlay()
        self.paused_label.hide()
        self.countdown.installEventFilter(self)
        self.caption_label = TextLabel("", TextRole.BODY, dim=True, wrap=True)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.caption_label.setAccessibleName("Timer status")
        column.addWidget(self.caption_label)
        self.reps_label = TextLabel("", TextRole.EMPHASIS)
        self.reps_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.reps_label.setAccessibleName("Repetitions")
        column.addWidget(self.reps_label)
        self.beat_indicator = BeatIndicator()
        column.addWidget(self.beat_indicator, 0, Qt.AlignmentFlag.AlignHCenter)
        self.beat_indicator.hide()
        self.cap_label = TextLabel("", TextRole.HEADING, wrap=True)
        self.cap_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.cap_label.setAccessibleName("Safety cap")
        column.addWidget(self.cap_label)
        self._compact: bool | None = None
        self._set_compact(False)
        self.notice_label = TextLabel("", TextRole.BODY, wrap=True)
        self.notice_label.setAccessibleName("Notice")
        self.notice_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice_label.setMargin(8)
        self.notice_label.hide()
        column.addWidget(self.notice_label)
        return self.clock_panel

    def _build_details(self) -> QScrollArea:
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(PAGE_MARGIN * 2)
        self.note_section = _Section("Note", "Note")
        self.instructions_section = _Section(INSTRUCTIONS_HEADING, "Instructions")
        self.feel_section = _Section("What you should feel", "What you should feel")
        self.cautions_section = _Section("Take care", "Cautions")
        for section in (self.instructions_section, self.feel_section, self.cautions_section,
                        self.note_section):
            row.addWidget(section, 1, Qt.AlignmentFlag.AlignTop)  # see _share_details_width
        area = QScrollArea()
        area.setWidget(content)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setAccessibleName("Exercise details")
        area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        area.setMinimumHeight(DETAILS_MIN_HEIGHT)
        return area

    def _build_controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.buttons: dict[str, QToolButton] = {}
        for action in self._actions.session_actions:
            row.addWidget(self._button(action))
        done = self.buttons[self._actions.done.text()]
        # Wide enough for both of its texts, so the row does not move when it changes.
        text = done.defaultAction().text()
        done.defaultAction().setText(LONGEST_DONE_TEXT)
        done.setMinimumWidth(max(done.minimumWidth(), done.sizeHint().width()))
        self._done_width = done.minimumWidth()
        done.defaultAction().setText(text)
        row.addStretch(1)
        #: Beside the session buttons: where other features add their controls.
        self.extra_controls = QHBoxLayout()
        row.addLayout(self.extra_controls)
        row.addWidget(self._button(self._actions.mute))
        return row

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setMinimumHeight(40)
        button.setMinimumWidth(TEXT_BUTTON_WIDTH)
        button.setAccessibleName(action.text())
        button.setAccessibleDescription(action.statusTip())
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        action.changed.connect(lambda b=button, a=action: b.setAccessibleName(a.text()))
        self.buttons[action.text()] = button
        return button

    def _build_finished_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(PAGE_MARGIN * 3, PAGE_MARGIN * 3, PAGE_MARGIN * 3,
                                  PAGE_MARGIN * 3)
        layout.addStretch(1)
        self.finished_title = TextLabel("", TextRole.TITLE, wrap=True)
        self.finished_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.finished_title.setAccessibleName("Session result")
        layout.addWidget(self.finished_title)
        self.finished_summary = TextLabel("", TextRole.STATUS, wrap=True, dim=True)
        self.finished_summary.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.finished_summary.setAccessibleName("Session summary")
        layout.addWidget(self.finished_summary)
        #: Below the summary: where other features add theirs (e.g. an after-session rating).
        self.finished_extras = QVBoxLayout()
        layout.addLayout(self.finished_extras)
        row = QHBoxLayout()
        row.addStretch(1)
        self.back_button = QPushButton("Back to the library")
        self.back_button.setAccessibleName("Back to the library")
        self.back_button.setMinimumSize(200, 48)
        self.back_button.clicked.connect(self.back_requested)
        self.again_button = QPushButton("Play again")
        self.again_button.setAccessibleName("Play the routine again")
        self.again_button.setMinimumSize(200, 48)
        self.again_button.clicked.connect(self.again_requested)
        self.resume_button = QPushButton("")
        self.resume_button.setAccessibleName("Resume the session")
        self.resume_button.setMinimumSize(200, 48)
        self.resume_button.clicked.connect(self.resume_requested)
        self.resume_button.hide()
        row.setSpacing(PAGE_MARGIN)
        row.addWidget(self.resume_button)
        row.addWidget(self.again_button)
        row.addWidget(self.back_button)
        row.addStretch(1)
        layout.addSpacing(PAGE_MARGIN)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    # --- reading -----------------------------------------------------------------------------
    @property
    def showing_summary(self) -> bool:
        """True once the session ended and its summary is shown."""
        return self._stack.currentIndex() == 1

    @property
    def countdown_text(self) -> str:
        """What the big clock shows."""
        return self.countdown.text()

    # --- layout ------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        """Reflow: the picture beside the countdown, or above it when the page is narrow."""
        super().resizeEvent(event)
        narrow = self.width() < self.height() * PICTURE_ABOVE_RATIO
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if narrow
                               else QBoxLayout.Direction.LeftToRight)
        self._set_compact(self._is_low())
        self._fit_details()
        self._fit_controls()

    def follow_application_font(self) -> None:
        """After the large-text mode changed: the buttons' words may no longer fit beside, and
        the page may have become compact (or no longer be)."""
        self._set_compact(self._is_low())
        self._fit_controls()

    def _is_low(self) -> bool:
        return self.height() < COMPACT_LINES * self.fontMetrics().height()

    @property
    def compact(self) -> bool:
        """True while the page is too low for the room kept for hidden lines."""
        return bool(self._compact)

    def _set_compact(self, compact: bool) -> None:
        """Hidden lines keep their room, so the clock does not move from step to step, unless
        the page is compact (see :data:`COMPACT_LINES`)."""
        if compact == self._compact:
            return
        self._compact = compact
        for label in (self.set_label, self.side_label, self.caption_label, self.reps_label):
            policy = label.sizePolicy()
            policy.setRetainSizeWhenHidden(not compact)
            label.setSizePolicy(policy)
        self.countdown.set_compact(compact)

    def _control_buttons(self) -> list[QAbstractButton]:
        items = (self.extra_controls.itemAt(i) for i in range(self.extra_controls.count()))
        extra = [item.widget() for item in items if item is not None]
        return [*self.buttons.values(), *(b for b in extra if isinstance(b, QAbstractButton))]

    def _fit_controls(self) -> None:
        """Words beside the session buttons' icons, or icons only (their words in the tooltip
        and accessible name) when the window is too narrow for the whole row."""
        buttons = self._control_buttons()
        wide = 2 * PAGE_MARGIN
        for button in buttons:
            words = self._button_words.setdefault(button, button.text())
            if isinstance(button, QToolButton) and button.defaultAction() is self._actions.done:
                words = LONGEST_DONE_TEXT
            need = button.fontMetrics().horizontalAdvance(words) + button.iconSize().width()
            wide += max(need + BUTTON_PADDING, TEXT_BUTTON_WIDTH) + 8
        icons_only = self.width() < wide
        for button in buttons:
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly if icons_only
                                          else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            else:
                button.setText("" if icons_only else self._button_words[button])
                button.setToolTip(button.toolTip() or self._button_words[button])
            done = isinstance(button, QToolButton) and \
                button.defaultAction() is self._actions.done
            button.setMinimumWidth(ICON_BUTTON_WIDTH if icons_only
                                   else self._done_width if done else TEXT_BUTTON_WIDTH)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the pause overlay over the countdown as the countdown moves or resizes; refit
        the details when the page or their text changes size (a step, the large-text mode)."""
        if watched is self.countdown and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place_pause_overlay()
        elif event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) and (
                watched is self.details.widget() or watched is self.details.parentWidget()):
            self._fit_details()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        """Recolour the pause overlay when the palette changes (a dark scheme); with a new
        font (the large-text mode) the page may become compact, or no longer be."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_pause_overlay()
        elif event.type() == QEvent.Type.FontChange:
            self._set_compact(self._is_low())

    def _colour_pause_overlay(self) -> None:
        palette = self.paused_label.palette()
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        colour.setAlpha(PAUSE_OVERLAY_ALPHA)
        palette.setColor(QPalette.ColorRole.Window, colour)
        palette.setColor(QPalette.ColorRole.WindowText,
                         self.palette().color(QPalette.ColorRole.HighlightedText))
        self.paused_label.setPalette(palette)

    def _place_pause_overlay(self) -> None:
        """Cover the countdown, full width of its column, tall enough for the wrapped words."""
        area = self.countdown.geometry()
        width = self.clock_panel.width()
        height = max(area.height(), self.paused_label.heightForWidth(width))
        top = max(0, min(area.center().y() - height // 2, self.clock_panel.height() - height))
        self.paused_label.setGeometry(0, top, width, height)
        self.paused_label.raise_()

    def _fit_details(self) -> None:
        """Give the details the height their text needs, as far as the picture and the
        countdown can give up room and keep their own minimum; past that they scroll."""
        content = self.details.widget()
        rows = content.layout() if content is not None else None
        if rows is None:
            return
        need = rows.totalHeightForWidth(self.details.viewport().width())
        spare = self.body.geometry().height() - self.body.minimumSize().height()
        room = self.details.height() + spare
        self.details.setMinimumHeight(max(DETAILS_MIN_HEIGHT, min(need, room)))

    # --- slots -------------------------------------------------------------------------------
    def _on_session_started(self, session: Session) -> None:
        self._stack.setCurrentIndex(0)
        self.routine_label.setText(session.routine.title)
        self.illustration.set_folders(pictures.allowed_folders(session.routine.path))
        self.notice_label.hide()

    def _on_step_started(self, step: TimelineStep) -> None:
        session = self._controller.session
        if session is None:
            return
        timeline = session.timeline
        self._step = step
        self.notice_label.hide()
        self.block_label.setText(f"{step.block}  \u00b7" if step.block else "")
        self.step_count_label.setText(step_label(timeline, step.index))
        self.name_label.setText(self._title(step, timeline))
        self.set_label.set_text_or_hide(set_text(step))
        self.side_label.set_text_or_hide(side_text(step))
        self.reps_label.set_text_or_hide(self._reps_text(step))
        self.cap_label.set_text_or_hide(cap_text(step))
        self.beat_indicator.reset()
        self.beat_indicator.setVisible(step.kind is StepKind.CADENCE and bool(step.bpm))
        self.illustration.set_picture(picture_for(step, timeline))
        self._show_picture_note(self.illustration.problem)
        upcoming = timeline.steps[step.index + 1 : step.index + 2]
        if upcoming:
            self.illustration.prefetch(picture_for(upcoming[0], timeline))
        self.next_label.setText(next_text(timeline, step))
        self._show_details(step, timeline)
        self._fit_details()
        self._on_display_changed()

    def _show_picture_note(self, problem: str) -> None:
        """Under the picture: why it is not shown, or that the exercise has none."""
        picture = self.illustration.picture
        self.missing_label.setText(problem or NO_ILLUSTRATION)
        self.missing_picture.setVisible(bool(problem) or (picture is not None and picture.missing))

    def _on_display_changed(self) -> None:
        engine = self._controller.engine
        if engine is None:
            return
        seconds = self._controller.display_seconds
        step = self._step
        if step is not None and step.kind is StepKind.EXERCISE and not step.timed:
            # An untimed set shows what to do, never a clock counting up.
            self.countdown.setText(dose_text_of(step) or DONE_WORD)  # 10 reps, 8-12 reps
        else:
            self.countdown.setText(format_duration(seconds) if seconds is not None else "")
        self.time_left_label.setText(f"{format_duration(engine.total_remaining_seconds())} left")
        self.progress.setValue(round(engine.progress * 1000))
        self._show_caption(engine.state, engine.resume_state)

    def _on_state_changed(self, _state: str) -> None:
        self._on_display_changed()

    def _on_tempo_phase_changed(self, event: TempoPhase) -> None:
        step = self._step
        if step is None or event.step.index != step.index:
            return
        self.reps_label.set_text_or_hide(
            f"Rep {event.rep} of {step.reps}  \u00b7  {_PHASE_WORDS[event.phase]}")

    def _on_beat_reached(self, n: int) -> None:
        step = self._step
        if step is not None and step.bpm:
            self.beat_indicator.mark(n)

    def _on_barrier_confirmed(self, _step: TimelineStep) -> None:
        self._on_display_changed()

    def _on_skin_problem_reported(self, _step: TimelineStep) -> None:
        self.notice_label.setText(SKIN_PROBLEM_ADVICE)
        self.notice_label.show()

    def _on_session_finished(self, completed: bool) -> None:
        session = self._controller.session
        title = session.routine.title if session else ""
        summary = self._controller.summary
        self.finished_title.setText(summary.headline if summary else "")
        detail = summary.detail if summary else ""
        self.finished_summary.setText(
            f"{title}\n{detail}, "
            f"{format_duration(self._controller.active_seconds)} on the clock.")
        self.again_button.setText(PLAY_AGAIN if completed else START_AGAIN)
        self.progress.setValue(round(self._controller.engine.progress * 1000)
                               if self._controller.engine else 0)
        resumable = self._controller.resumable_plan()
        if resumable is not None:
            self.resume_button.setText(RESUME_FROM.format(n=resumable.start_at + 1))
        self.resume_button.setVisible(resumable is not None)
        self._stack.setCurrentIndex(1)
        (self.resume_button if resumable is not None else self.back_button).setFocus()

    # --- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _title(step: TimelineStep, timeline: Timeline) -> str:
        if step.kind is StepKind.LEAD_IN:
            upcoming = timeline.steps[step.index + 1 : step.index + 2]
            return f"Get ready: {upcoming[0].name}" if upcoming else "Get ready"
        if step.kind is StepKind.SWITCH_SIDES and step.exercise is not None:
            return f"Switch sides: {step.exercise.name}"
        return step.name

    @staticmethod
    def _reps_text(step: TimelineStep) -> str:
        if step.kind is StepKind.CADENCE and step.bpm:
            return f"{step.bpm} steps a minute"
        if step.kind is not StepKind.EXERCISE or not step.reps:
            return ""
        if step.tempo is not None:
            return f"Rep 1 of {step.reps}"
        return "" if not step.timed else f"{step.reps} reps"  # untimed: the big text says it

    def _show_caption(self, state: EngineState, resume: EngineState | None) -> None:
        step = self._step
        waiting = resume if state is EngineState.PAUSED else state
        if state is EngineState.PAUSED:
            self._place_pause_overlay()
        self.paused_label.setVisible(state is EngineState.PAUSED)
        if state is EngineState.PAUSED:
            text = ""
        elif waiting is EngineState.AWAITING_DONE:
            text = DONE_AFTER_TIME if self._step is not None and self._step.hold_range \
                else DONE_AFTER_REPS
        elif waiting is EngineState.AWAITING_CONFIRMATION:
            text = "Waiting for you to confirm the cloth barrier: press Start timer (Enter)."
        elif step is not None and step.kind is StepKind.LEAD_IN:
            text = "Starting soon"
        else:
            text = ""
        self.caption_label.set_text_or_hide(text)
        self.countdown.setForegroundRole(QPalette.ColorRole.PlaceholderText
                                         if state is EngineState.PAUSED
                                         else QPalette.ColorRole.WindowText)

    def _show_details(self, step: TimelineStep, timeline: Timeline) -> None:
        exercise = step.exercise if step.kind in (
            StepKind.EXERCISE, StepKind.CADENCE, StepKind.SWITCH_SIDES) else None
        pack = step.kind if step.kind in BARRIER_ADVICE else None
        ahead = False
        upcoming = timeline.steps[step.index + 1 : step.index + 2]
        stop_if = step.stop_if
        if step.kind in (StepKind.LEAD_IN, StepKind.REST, StepKind.SWITCH_SIDES):
            stop_if = upcoming[0].stop_if if upcoming else ()  # said before the exercise
        if step.kind in (StepKind.LEAD_IN, StepKind.REST):
            if upcoming and upcoming[0].kind in (StepKind.EXERCISE, StepKind.CADENCE):
                exercise = upcoming[0].exercise  # read ahead while waiting
                ahead = True
            elif upcoming and upcoming[0].kind in BARRIER_ADVICE:
                pack = upcoming[0].kind
        if pack is not None:
            self.instructions_section.heading.setText("Keep your skin safe")
            self.instructions_section.set_lines(BARRIER_ADVICE[pack])
        else:
            self.instructions_section.heading.setText(
                UP_NEXT.format(name=exercise.name) if ahead and exercise else INSTRUCTIONS_HEADING)
            self.instructions_section.set_lines(exercise.instructions if exercise else ())
        self.feel_section.set_lines(exercise.feel if exercise else ())
        self.cautions_section.set_lines(
            [*(exercise.cautions if exercise else ()), *(sign.line() for sign in stop_if)])
        cues = [LOAD_LINE.format(text=step.load) if step.load else "",
                BREATHING_LINE.format(text=step.breathing) if step.breathing else ""]
        self.note_section.set_lines([line for line in (step.note, *cues) if line],
                                    bullets=False)
        self._share_details_width()

    def _share_details_width(self) -> None:
        """Widths in proportion to each section's text, so the columns end at about the same
        height and the details need as little room as they can."""
        row = self.instructions_section.parentWidget()
        layout = row.layout() if row is not None else None
        if not isinstance(layout, QBoxLayout):
            return
        for section in (self.instructions_section, self.feel_section, self.cautions_section,
                        self.note_section):
            layout.setStretchFactor(section, max(len(section.body.text()), DETAILS_MIN_SHARE))
