"""The notice shown on first use: the app is not medical advice and does not replace a clinician.

``FirstRunNotice.ask(parent) -> bool``: True when the person accepts and carries on. The caller
remembers the answer (e.g. in the settings) and asks again until it is accepted.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole

TITLE = "Before you start"
HEADING = "This app is not medical advice"
LINES = (
    "Routine Player plays exercise routines and keeps a diary of your pain. It does not "
    "diagnose anything and it does not replace a doctor, physiotherapist or other clinician.",
    "If the app suggests seeing a professional, it is because of rules about pain diaries, not "
    "because it knows what is wrong. Only a clinician who examines you can say that.",
    "Stop any exercise that causes sharp or stabbing pain. If you have new trouble passing "
    "urine, lose control of your bladder or bowel, feel numb around your genitals or buttocks, "
    "or your legs become weak, get urgent medical help at once.",
)
ACCEPT_TEXT = "I understand, continue"
DECLINE_TEXT = "Quit"


class FirstRunNotice(QDialog):
    """The first-run notice, with "I understand" and "Quit"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(True)
        self.setAccessibleName(TITLE)
        self.setAccessibleDescription(HEADING + ". " + " ".join(LINES))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
        layout.addWidget(icon)
        layout.addWidget(TextLabel(HEADING, TextRole.HEADING, wrap=True))
        for line in LINES:
            layout.addWidget(TextLabel(line, wrap=True))
        buttons = QDialogButtonBox(self)
        self.accept_button = QPushButton(ACCEPT_TEXT)
        self.accept_button.setAccessibleName(ACCEPT_TEXT)
        self.accept_button.setDefault(True)
        self.decline_button = QPushButton(DECLINE_TEXT)
        self.decline_button.setAccessibleName("Quit the app")
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.decline_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.accept_button.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        """Show the notice; True when the person accepts it."""
        dialog = cls(parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
