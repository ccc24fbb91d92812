"""The questions about the history: an unfinished session, a notice, where to save the report.

Each behind a small classmethod tests can replace. Every text is plain text: a routine's title
comes from a file someone else wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from player.core.history import Session as StoredSession
from player.core.text import without_bidi_controls


class InterruptedDialog:
    """Asks what to do with a session the app was closed or killed in."""

    @classmethod
    def ask(cls, parent: QWidget | None, session: StoredSession, can_resume: bool,
            problem: str = "", can_start_fresh: bool = False,
            ) -> Literal["resume", "fresh", "close"]:
        """"resume" (carry on where it stopped), "fresh" (start its routine again from the
        start, when it cannot be resumed) or "close" (keep it as interrupted)."""
        box = QMessageBox(parent)
        box.setWindowTitle("Unfinished session")
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the title comes from someone else's file
        when = session.started_at.strftime("%A %d %B at %H:%M")
        if can_resume:
            then = "Everything you did in it is saved. Resume it where it stopped, or close it?"
        else:
            offer = " Start the routine afresh, or close it?" if can_start_fresh \
                else " It can only be closed."
            then = f"Everything you did in it is saved. {problem}{offer}"
        # One plain-text label: an informative text would be shown as rich text.
        box.setText(without_bidi_controls(
            f"{session.routine_title}, started {when}, did not finish.\n\n{then}"))
        resume = box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole) if can_resume \
            else None
        fresh = box.addButton("Start afresh", QMessageBox.ButtonRole.AcceptRole) \
            if not can_resume and can_start_fresh else None
        box.addButton("Close it", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if resume is not None and clicked is resume:
            return "resume"
        if fresh is not None and clicked is fresh:
            return "fresh"
        return "close"


class NoticeDialog:
    """Tells something important once (a damaged history kept aside, a store error)."""

    @classmethod
    def show_notice(cls, parent: QWidget | None, text: str) -> None:
        """Show ``text`` (plain) until the person closes it."""
        box = QMessageBox(QMessageBox.Icon.Information, "Your history", "",
                          QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(without_bidi_controls(text))
        box.exec()


class ReportFileDialog:
    """Asks where to save the report PDF."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> Path | None:
        """The chosen file, or None."""
        name, _ = QFileDialog.getSaveFileName(parent, "Save the report for your physiotherapist",
                                              "routine-report.pdf", "PDF (*.pdf)")
        return Path(name) if name else None
