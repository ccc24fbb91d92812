"""Writes a handout PDF on a worker thread, so the window keeps responding while it is made.

The window hands it the two halves of :mod:`player.ui.handout_pdf`: ``draw`` runs first, on the
GUI thread (drawing the pictures: Qt's SVG drawing on a worker has deadlocked against the GUI
thread's own), then ``write`` makes the document, its layout and the PDF on the worker. One
handout at a time; :attr:`HandoutWriter.written` says how it went, on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from player.core.routine import Routine

log = logging.getLogger(__name__)

#: Why a handout was not written when the cause is not the file system's (never a traceback).
UNEXPECTED = "something went wrong while making it (see the log)"


@dataclass(frozen=True)
class HandoutJob:
    """One handout asked for, and how it went: ``pages`` and the pictures left out when
    written, else ``error`` (what to tell the person)."""

    target: Path
    week: int
    pages: int = 0
    left_out: tuple[str, ...] = ()
    error: str = ""


class Written(Protocol):
    """What writing a handout returns (:class:`player.ui.handout_pdf.RenderedHandout`)."""

    @property
    def pages(self) -> int:
        """Pages written."""

    @property
    def problems(self) -> tuple[str, ...]:
        """The pictures left out, each with why."""


#: Draws a routine's pictures (on the GUI thread).
Draw = Callable[[Routine], Any]
#: Writes the handout of (routine, target, week) with the pictures drawn: ``drawn=``.
Write = Callable[..., Written]


class HandoutWriter(QObject):
    """Makes handouts off the GUI thread; emits ``written(HandoutJob)`` on the GUI thread."""

    written = Signal(object)

    def __init__(self, draw: Draw, write: Write, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._draw, self._write = draw, write
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        """True while a handout is being made."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, routine: Routine, target: Path, week: int) -> bool:
        """Start making the handout of ``routine`` for ``week`` into ``target``; False (nothing
        started) while another is being made."""
        if self.busy:
            return False
        drawn = self._draw(routine)  # here, on the GUI thread
        self._thread = threading.Thread(target=self._run, args=(routine, target, week, drawn),
                                        name="handout", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the handout being made (closing the window); True when none is left."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.busy

    def _run(self, routine: Routine, target: Path, week: int, drawn: object) -> None:
        try:
            written = self._write(routine, target, week, drawn=drawn)
            job = HandoutJob(target, week, written.pages, tuple(written.problems))
        except OSError as exc:
            job = HandoutJob(target, week, error=exc.strerror or str(exc))
        except Exception:  # the app never shows a traceback; the log keeps it
            log.exception("cannot make the handout %s", target)
            job = HandoutJob(target, week, error=UNEXPECTED)
        self.written.emit(job)  # queued to the GUI thread, where this object lives
