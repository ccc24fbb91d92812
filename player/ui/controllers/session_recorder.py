"""Writes the session in play to the history as it happens, for the window.

A thin Qt adapter: :class:`SessionRecorder` takes the session controller's signals and hands
them to :class:`~player.store.session_log.SessionLog` (Qt-free, where the rules live); a store
that fails becomes the :attr:`SessionRecorder.failed` signal with a plain message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from player.core.history import routine_file_hash
from player.store.db import StoreError
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now

if TYPE_CHECKING:
    from collections.abc import Callable

    from player.core.engine import StepFinished
    from player.core.outcome import EndReason
    from player.core.timeline import TimelineStep
    from player.store.session_log import SessionLog
    from player.ui.controllers.session_controller import Session

log = logging.getLogger(__name__)


class SessionRecorder(QObject):
    """Writes each session to the store as it is played, through a
    :class:`~player.store.session_log.SessionLog`; store failures become :attr:`failed`.

    ``continue_with(id)`` makes the next session the controller starts carry on stored session
    ``id`` (an interrupted session resumed, or the rest of a session switched to an easier
    variant) instead of starting a new one.
    """

    failed = Signal(str)

    def __init__(self, store: HistoryStore, clock: Callable[[], datetime] = local_now,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._made: SessionLog | None = None
        self._continue: int | None = None

    @property
    def _log(self) -> SessionLog:
        """The session log, made with the first session (importing it loads the engine and the
        plan, which start-up does not need)."""
        if self._made is None:
            from player.store.session_log import SessionLog

            self._made = SessionLog(self._store, self._clock)
        return self._made

    @property
    def session_id(self) -> int | None:
        """The stored id of the session being played (or just ended)."""
        return self._made.session_id if self._made is not None else None

    @property
    def continuing(self) -> bool:
        """True between :meth:`continue_with` and the start it applies to."""
        return self._continue is not None

    def continue_with(self, session_id: int) -> None:
        """The next session started carries on stored session ``session_id``."""
        self._continue = session_id

    def cancel_continue(self) -> None:
        """Forget a :meth:`continue_with` whose start did not happen."""
        self._continue = None

    def on_session_started(self, session: Session) -> None:
        """Record the start (or carry on the session named by :meth:`continue_with`)."""
        plan = session.plan
        if self._continue is not None:
            session_id, self._continue = self._continue, None
            self._save(lambda: self._log.carry_on(session_id, plan))
            return
        if session.continues and self._log.session_id is not None:
            self._save(lambda: self._log.reopen(plan))
            return
        routine = session.routine
        file_hash = ""
        if routine.path is not None:
            try:
                file_hash = _file_hash(routine.path)
            except OSError as exc:
                log.warning("cannot hash %s: %s", routine.path, exc)
        self._save(lambda: self._log.begin(
            plan, thresholds=routine.pain_checks.thresholds, file_hash=file_hash))

    def on_step_finished(self, event: StepFinished) -> None:
        """Record a completed or skipped step; committed before this returns."""
        self._save(lambda: self._log.on_step_finished(event))

    def on_clock(self, step: TimelineStep, elapsed: float) -> None:
        """Save how far the step in progress has got, when due."""
        self._save(lambda: self._log.on_clock(step, elapsed))

    def on_session_finished(self, reason: EndReason) -> None:
        """Record how the session ended (not when it goes on with an easier variant)."""
        if self._continue is not None:
            return
        self._save(lambda: self._log.finish(reason))

    def _save(self, action: Callable[[], object]) -> None:
        try:
            action()
        except StoreError as exc:
            self.failed.emit(str(exc))


def _file_hash(path: Path) -> str:
    from player.core.yamlsafe import read_limited  # and the YAML parser: when a session starts

    return routine_file_hash(read_limited(path))  # as bounded as the loader's read
