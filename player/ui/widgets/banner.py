"""The care banner: what the care rules advise, in plain words, at the top of the window.

:class:`CareBanner` shows an :class:`~player.core.care.Advice`: its level, every reason as a
bulleted line, what to do, and "This is not a diagnosis". Emergency and urgent-today advice is a
strong red panel with white text and the critical icon, and cannot be dismissed; "see a professional" is a calmer
amber panel with a "Hide for today" button. All text is plain text. Every banner ends with a
link to the "About your back" page, at its "When to see someone" section.

Red-flag advice carries the confirmations of clinical-notes.md v2: emergency advice "A clinician
has assessed this" and "Answer the questions again" (to say the symptoms are gone); urgent-today
advice "A clinician has checked this" and "I will contact them today, start anyway" (until given
today). The banner only says which was pressed (``confirmed(kind)``, ``answer_again``); the care
controller records it with the date.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from player.core.care import NOT_A_DIAGNOSIS, Advice
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole, mix_colours

#: The banner's heading for each level.
HEADINGS = {
    "emergency": "Get emergency help now",
    "urgent_today": "Contact your GP or an urgent-care line today",
    "see_professional": "See a GP or physiotherapist soon",
}
#: What assistive technology calls the banner at each level.
ACCESSIBLE_NAMES = {
    "emergency": "Emergency care advice",
    "urgent_today": "Urgent care advice for today",
    "see_professional": "Advice to see a professional",
}
DISMISS_TEXT = "Hide for today"
#: The link to the "About your back" page, opened at its section :data:`ABOUT_SECTION`.
ABOUT_LINK_TEXT = "About your back: when to see someone, and what helps"
ABOUT_SECTION = "see-someone"
ASSESSED_TEXT = "A clinician has assessed this"
CHECKED_TEXT = "A clinician has checked this"
START_ANYWAY_TEXT = "I will contact them today, start anyway"
ANSWER_AGAIN_TEXT = "Answer the questions again"

# White on this red is about 8:1 contrast (WCAG AAA), in light and dark schemes alike.
_URGENT_BACKGROUND = QColor(165, 0, 28)
_URGENT_TEXT = QColor("white")
_CALM_ACCENT = QColor(232, 163, 23)  # amber, mixed into the window colour


def bullet_list(lines: tuple[str, ...] | list[str]) -> str:
    """One ``• line`` per line, as plain text."""
    return "\n".join(f"\u2022 {line}" for line in lines)


class CareBanner(QFrame):
    """Shows the current care advice; hidden when there is none.

    Call :meth:`show_advice` with each new advice (connect
    :attr:`CareController.banner_changed <player.ui.controllers.care_controller.CareController>` to it).
    ``dismissed`` is emitted when the person hides a dismissible banner for today;
    ``about_requested(str)`` when they follow its link to the "About your back" page (with the
    id of the section to show).
    """

    dismissed = Signal()
    about_requested = Signal(str)
    confirmed = Signal(str)  # ConfirmationKind: clinician_checked or will_contact_today
    answer_again = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._advice = Advice("none", (), "")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 10)
        outer.setSpacing(12)
        self.icon = QLabel(self)
        self.icon.setTextFormat(Qt.TextFormat.PlainText)  # holds a pixmap; never rich text
        outer.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(4)
        self.heading = TextLabel("", TextRole.HEADING, wrap=True)
        self.heading.setAccessibleName("Advice")
        self.reasons = TextLabel("", wrap=True)
        self.reasons.setAccessibleName("Reasons")
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.what_to_do = TextLabel("", wrap=True)
        self.what_to_do.setAccessibleName("What to do")
        self.what_to_do.setTextInteractionFlags(self.reasons.textInteractionFlags())
        font = self.what_to_do.font()
        font.setBold(True)
        self.what_to_do.setFont(font)
        self.not_a_diagnosis = TextLabel(NOT_A_DIAGNOSIS, TextRole.SMALL, wrap=True)
        self.not_a_diagnosis.setAccessibleName("Not a diagnosis")
        # A flat, underlined button that reads as a link: every label stays plain text.
        self.about_link = QPushButton(ABOUT_LINK_TEXT, self)
        self.about_link.setFlat(True)
        self.about_link.setCursor(Qt.CursorShape.PointingHandCursor)
        link_font = self.about_link.font()
        link_font.setUnderline(True)
        self.about_link.setFont(link_font)
        self.about_link.setAccessibleName(ABOUT_LINK_TEXT)
        self.about_link.clicked.connect(self._on_about_link_clicked)
        for label in (self.heading, self.reasons, self.what_to_do, self.not_a_diagnosis):
            column.addWidget(label)
        column.addWidget(self.about_link, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addLayout(column, 1)
        self.dismiss_button = QPushButton(DISMISS_TEXT, self)
        self.dismiss_button.setAccessibleName("Hide this advice for today")
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        actions = QVBoxLayout()
        actions.setSpacing(4)
        actions.addWidget(self.dismiss_button)
        self.checked_button = QPushButton(CHECKED_TEXT, self)
        self.checked_button.clicked.connect(lambda: self.confirmed.emit("clinician_checked"))
        self.start_anyway_button = QPushButton(START_ANYWAY_TEXT, self)
        self.start_anyway_button.clicked.connect(lambda: self.confirmed.emit("will_contact_today"))
        self.answer_again_button = QPushButton(ANSWER_AGAIN_TEXT, self)
        self.answer_again_button.clicked.connect(self.answer_again)
        for button in (self.checked_button, self.start_anyway_button, self.answer_again_button):
            button.setAccessibleName(button.text())
            actions.addWidget(button)
        actions.addStretch(1)
        outer.addLayout(actions)
        self.hide()

    @property
    def advice(self) -> Advice:
        """The advice shown (level ``none`` while hidden)."""
        return self._advice

    def show_advice(self, advice: Advice) -> None:
        """Show *advice*, or hide the banner when its level is ``none``."""
        appeared = advice.level != "none" and (
            advice.level != self._advice.level or advice.reasons != self._advice.reasons)
        self._advice = advice
        if advice.level == "none":
            self.hide()
            return
        urgent = advice.level in ("emergency", "urgent_today")  # the strong panel; no hiding
        self.heading.setText(HEADINGS[advice.level])
        self.reasons.setText(bullet_list(advice.reasons))
        self.what_to_do.setText(advice.what_to_do)
        self.dismiss_button.setVisible(advice.dismissible)
        emergency = advice.level == "emergency"
        self.checked_button.setText(ASSESSED_TEXT if emergency else CHECKED_TEXT)
        self.checked_button.setAccessibleName(self.checked_button.text())
        self.checked_button.setVisible(urgent)
        self.start_anyway_button.setVisible(advice.needs_confirmation)
        self.answer_again_button.setVisible(emergency)
        self._apply_colours(urgent)
        self.setLineWidth(2 if urgent else 1)
        self.icon.setPixmap(self._icon(urgent))
        self.setAccessibleName(ACCESSIBLE_NAMES[advice.level])
        self.setAccessibleDescription(self.text())
        self.show()
        if appeared and urgent:
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def _icon(self, urgent: bool) -> QPixmap:
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        if not urgent:
            return self.style().standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        # The red "critical" icon would vanish on the red panel: put it on a white disc.
        ratio = self.devicePixelRatioF()
        disc = QPixmap(int((size + 8) * ratio), int((size + 8) * ratio))
        disc.setDevicePixelRatio(ratio)
        disc.fill(Qt.GlobalColor.transparent)
        painter = QPainter(disc)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_URGENT_TEXT)
        painter.drawEllipse(QRectF(0, 0, size + 8, size + 8))
        critical = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        painter.drawPixmap(4, 4, critical.pixmap(size, size))
        painter.end()
        return disc

    def text(self) -> str:
        """Everything the banner says, as plain text (also its accessible description)."""
        if self._advice.level == "none":
            return ""
        parts = [HEADINGS[self._advice.level], bullet_list(self._advice.reasons),
                 self._advice.what_to_do, NOT_A_DIAGNOSIS]
        return "\n".join(p for p in parts if p)

    def _apply_colours(self, urgent: bool) -> None:
        palette = QPalette(QApplication.palette(self))
        window = palette.color(QPalette.ColorRole.Window)
        if urgent:
            background, text = _URGENT_BACKGROUND, _URGENT_TEXT
        else:
            dark = window.lightness() < 128
            background = mix_colours(window, _CALM_ACCENT, 0.28 if dark else 0.22)
            text = palette.color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.Window, background)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        link = QPalette(palette)
        link.setColor(QPalette.ColorRole.ButtonText, text)  # the link reads on the panel
        link.setColor(QPalette.ColorRole.Button, background)
        self.about_link.setPalette(link)
        for label in (self.heading, self.reasons, self.what_to_do, self.not_a_diagnosis):
            label.setForegroundRole(QPalette.ColorRole.WindowText)
        self.setPalette(palette)

    def _on_about_link_clicked(self) -> None:
        self.about_requested.emit(ABOUT_SECTION)

    def _on_dismiss_clicked(self) -> None:
        if not self._advice.dismissible:
            return
        self.hide()
        self.dismissed.emit()
