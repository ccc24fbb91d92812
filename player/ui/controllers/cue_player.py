"""Plays cue files one after another through an :class:`AudioOutput`, or asks for a flash.

An output that :attr:`~player.audio.AudioOutput.schedules` (the real one) is handed each cue with
the absolute start time of every file, seconds ahead (:meth:`CuePlayer.hand_over`), and starts
them itself on its own thread: painting and database writes on the GUI thread never sit between
a deadline and its sound. For an output that plays at once (test doubles), a cue of several
files (a tone, then "last set", then the exercise's name) is spaced out here with one
single-shot timer. When cues are muted or sound is unavailable, ``visual_cue`` asks the window
to flash instead; a single clip that cannot be played flashes too.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from player.ui.controllers.app_settings import AppSettings

if TYPE_CHECKING:
    from player.audio import AudioOutput
    from player.core.ahead import CuesAhead, TimedCue
    from player.core.engine import EngineEvent

log = logging.getLogger(__name__)

#: Silence between the files of one cue, in seconds.
CUE_GAP_SECONDS = 0.08
_UNKNOWN_LENGTH_SECONDS = 0.5


@functools.lru_cache(maxsize=256)
def wav_seconds(path: Path) -> float:
    """The length of a WAV file from its checked header (a guess when it cannot be trusted)."""
    from player.core.wavinfo import WavProblem, wav_info  # with the first cue

    try:
        return wav_info(path).seconds
    except WavProblem:
        return _UNKNOWN_LENGTH_SECONDS


class _Relay(QObject):
    """Carries a report from the audio output's thread to a :class:`SoundStatus`."""

    reported = Signal(str)
    clip_failed = Signal(str)


class SoundStatus(QObject):
    """Learns, from any thread, that sound does not work; tells the GUI thread once.

    Pass :meth:`report` as the audio output's ``on_unavailable`` callback: it only emits a
    signal, which Qt queues to this object's thread. The signal is a relay's, an object with
    no parent, kept alive by this Python object (and so by the output holding :meth:`report`):
    the output may report after the window deleted this object (at the app's end, while the
    worker is still loading the sound library), and then Qt drops the report.
    """

    unavailable = Signal(str)
    clip_failed = Signal(str)  # why one clip was not played; the others still are

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reason: str | None = None
        self._relay = _Relay()
        self._relay.reported.connect(self._on_reported)
        self._relay.clip_failed.connect(self.clip_failed)

    def report(self, reason: str) -> None:
        """Called by the audio output (possibly from its worker thread)."""
        self._relay.reported.emit(reason)

    def report_clip(self, path: Path, reason: str) -> None:
        """Called by the audio output when one clip could not be played (from its thread)."""
        self._relay.clip_failed.emit(reason)

    def _on_reported(self, reason: str) -> None:
        self.reason = reason
        self.unavailable.emit(reason)


class CuePlayer(QObject):
    """Plays the files of each cue in sequence; flashes instead when muted or without sound.

    The audio output is handed in with :meth:`set_output` (the app makes it once the window
    is shown, since starting it loads the sound library). ``seconds_of`` gives a file's length
    and ``gap`` the silence between files (both injectable, e.g. zero in tests so a whole cue
    is played at once).
    """

    visual_cue = Signal()
    sound_failed = Signal(str)

    def __init__(self, settings: AppSettings, status: SoundStatus, *,
                 seconds_of: Callable[[Path], float] = wav_seconds,
                 gap: float = CUE_GAP_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._audio: AudioOutput | None = None
        self._settings = settings
        self._status = status
        self._seconds_of = seconds_of
        self._gap = gap
        self._queue: deque[tuple[float, Path]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        status.unavailable.connect(self._on_status_unavailable)
        status.clip_failed.connect(self._on_clip_failed)

    @property
    def audio(self) -> AudioOutput | None:
        """The output sounds go to (None until one is set)."""
        return self._audio

    def set_output(self, audio: AudioOutput) -> None:
        """Play through ``audio`` from now on."""
        self._audio = audio
        audio.set_clip_failed_callback(self._status.report_clip)

    @property
    def schedules_ahead(self) -> bool:
        """True when cues should be handed over ahead (:meth:`hand_over`): sound works, is not
        muted, and the output starts files at their deadlines itself."""
        return self.sound_works and not self._settings.muted and self._audio is not None \
            and self._audio.schedules

    def cues_ahead(self, sounds_for: Callable[[EngineEvent], Sequence[Path]]) -> CuesAhead:
        """A :class:`~player.core.ahead.CuesAhead` timing files as this player does."""
        from player.core.ahead import CuesAhead

        return CuesAhead(sounds_for, self._seconds_of, self._gap)

    def hand_over(self, cues: Sequence[TimedCue]) -> None:
        """Give ``cues`` to the output, which starts each file at its own time."""
        if cues and self._audio is not None and self.schedules_ahead:
            self._audio.schedule(cues)

    @property
    def sound_unavailable(self) -> bool:
        """True once sound is known not to work."""
        return self._status.reason is not None or (
            self._audio is not None and self._audio.available is False)

    @property
    def sound_works(self) -> bool:
        """True while there is an output and sound is not known not to work."""
        return self._audio is not None and not self.sound_unavailable

    @property
    def pending(self) -> int:
        """How many files are waiting for their turn."""
        return len(self._queue)

    def play(self, paths: Sequence[Path], *, interrupt: bool = False,
             now: float | None = None) -> None:
        """Play ``paths`` one after another from now (``now``: the time on the session's
        clock, monotonic by default); ``interrupt`` drops what is still waiting."""
        if interrupt:
            self.cancel()
        if not paths:
            return
        if self._settings.muted or not self.sound_works or self._audio is None:
            self.visual_cue.emit()
            return
        if self._audio.schedules:
            from player.core.ahead import timed_cue

            start = time.monotonic() if now is None else now
            self._audio.schedule([timed_cue(start, paths, self._seconds_of, self._gap,
                                            interrupt=interrupt)])
            return
        from player.core.cues import sequence_offsets

        now = time.monotonic()
        offsets = sequence_offsets(paths, self._seconds_of, self._gap)
        for offset, path in offsets:
            if offset <= 0:
                self._audio.play(path)
            else:
                self._queue.append((now + offset, path))
        self._schedule()

    def cancel(self) -> None:
        """Forget the files still waiting to be played, here and handed to the output."""
        self._queue.clear()
        self._timer.stop()
        if self._audio is not None:
            self._audio.cancel()

    def _schedule(self) -> None:
        if not self._queue:
            self._timer.stop()
            return
        due = min(t for t, _ in self._queue)
        self._timer.start(max(0, round((due - time.monotonic()) * 1000)))

    def _on_timer_timeout(self) -> None:
        now = time.monotonic() + 0.005
        waiting = sorted(self._queue, key=lambda item: item[0])
        self._queue = deque(item for item in waiting if item[0] > now)
        if not self._settings.muted and self._audio is not None:
            for _, path in (item for item in waiting if item[0] <= now):
                self._audio.play(path)
        self._schedule()

    def _on_status_unavailable(self, reason: str) -> None:
        if self._audio is not None:
            self._audio.cancel()
        self.sound_failed.emit(reason)

    def _on_clip_failed(self, reason: str) -> None:
        log.info("cue shown as a flash: %s", reason)
        self.visual_cue.emit()
