"""Asks where to save a routine's printable handout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

# User-visible text, in one place for translation.
TITLE = "Save the handout to print"
FILTER = "PDF (*.pdf)"


class HandoutFileDialog:
    """Asks where to save the handout PDF (a classmethod, so tests replace it)."""

    @classmethod
    def ask(cls, parent: QWidget | None, suggested: str) -> Path | None:
        """The chosen file (``suggested`` offered first), or None."""
        name, _ = QFileDialog.getSaveFileName(parent, TITLE, suggested, FILTER)
        return Path(name) if name else None
