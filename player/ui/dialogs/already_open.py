"""The question a second window asks when Routine Player is already open on its data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from player.core.text import without_bidi_controls

# User-visible text, in one place for translation.
ALREADY_OPEN = "Routine Player is already open"
ALREADY_OPEN_DETAIL = ("It is open in another window, on the same data folder ({folder}{pid}). "
                       "Only one window at a time can keep your history, so this one will "
                       "close.")
PROCESS = "; process {pid}"
BRING_FORWARD = "Bring that window forward"
CLOSE = "Close"
UNREACHABLE = ("That window could not be asked to come forward ({why}). Switch to it from "
               "your task bar or window list.")


class AlreadyOpenDialog:
    """Says the app is already open and offers to bring that window forward."""

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path, pid: int) -> bool:
        """True when the person wants the other window brought forward; *pid* is that
        window's process (0 when the lock file did not say)."""
        box = QMessageBox(QMessageBox.Icon.Information, ALREADY_OPEN, ALREADY_OPEN, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        process = PROCESS.format(pid=pid) if pid > 0 else ""
        box.setInformativeText(without_bidi_controls(
            ALREADY_OPEN_DETAIL.format(folder=folder, pid=process)))
        forward = box.addButton(BRING_FORWARD, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(CLOSE, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(forward)
        box.exec()
        return box.clickedButton() is forward

    @classmethod
    def show_unreachable(cls, parent: QWidget | None, why: str) -> None:
        """The other window could not be asked to come forward."""
        box = QMessageBox(QMessageBox.Icon.Warning, ALREADY_OPEN, "",
                          QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(without_bidi_controls(UNREACHABLE.format(why=why)))
        box.exec()
