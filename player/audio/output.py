"""Sound output that never blocks its caller.

:class:`AudioOutput` is what the rest of the app talks to: ``play(path)`` returns at once, and
``available`` says whether sound works (``None`` while that is not yet known). An output calls
its ``on_unavailable`` callback at most once, with a short reason, when sound turns out not to
work. That call comes from whatever thread found out (the worker thread for
:class:`PlaysoundOutput`), so a Qt caller should pass a callback that only emits a signal, of
an object the window cannot delete first: the worker may still report after the window is gone
(``player.ui.controllers.cue_player.SoundStatus`` does both).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from player.audio.schedule import Schedule, exit_verdict
from player.core.ahead import TimedCue

if TYPE_CHECKING:
    from player.audio.players import Player, Process

# shutil, subprocess and the player module are imported where they are used: the window
# imports this module before its first paint, and only the worker thread needs them.

log = logging.getLogger(__name__)

UnavailableCallback = Callable[[str], None]
#: Told the clip that was not played (or cut short) and why, from the output's thread.
ClipFailedCallback = Callable[[Path, str], None]


class AudioOutput(ABC):
    """Plays sound files without blocking; reports once if sound does not work."""

    def __init__(self, on_unavailable: UnavailableCallback | None = None) -> None:
        self._on_unavailable = on_unavailable
        self._report_lock = threading.Lock()
        self._reported = False
        self._available: bool | None = None
        self._on_clip_failed: ClipFailedCallback | None = None

    @property
    def available(self) -> bool | None:
        """True once sound is known to work, False once known not to, None until then."""
        return self._available

    @abstractmethod
    def play(self, path: Path) -> None:
        """Start playing the sound file at ``path`` and return at once."""

    #: True when :meth:`schedule` starts each file at its own deadline; False when it plays
    #: them at once, and a caller must hand each cue over when it is due.
    schedules = False

    def schedule(self, cues: Sequence[TimedCue]) -> None:
        """Start each file of ``cues`` at its deadline (here: at once, see :attr:`schedules`)."""
        for cue in cues:
            for _, path in cue.files:
                self.play(path)

    def cancel(self) -> None:  # noqa: B027 - nothing waits by default
        """Forget every file handed over by :meth:`schedule` that has not started yet."""

    def set_clip_failed_callback(self, callback: ClipFailedCallback | None) -> None:
        """Tell ``callback`` about each clip that could not be played (the others play)."""
        self._on_clip_failed = callback

    def _clip_failed(self, path: Path, reason: str) -> None:
        log.warning("sound clip %s not played: %s", path, reason)
        callback = self._on_clip_failed
        if callback is None:
            return
        try:
            callback(path, reason)
        except Exception:
            log.exception("on_clip_failed callback failed")

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Stop playing and release resources; ``play`` does nothing afterwards."""

    def _mark_available(self) -> None:
        if self._available is None:
            self._available = True

    def _mark_unavailable(self, reason: str) -> None:
        """Record that sound does not work and tell the callback, the first time only."""
        with self._report_lock:
            self._available = False
            if self._reported:
                return
            self._reported = True
        log.warning("sound unavailable: %s", reason)
        if self._on_unavailable is None:
            return
        try:
            self._on_unavailable(reason)
        except Exception:
            log.exception("on_unavailable callback failed")

    def __enter__(self) -> AudioOutput:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class NullOutput(AudioOutput):
    """Muted output: plays nothing and never reports (being muted is a choice, not a fault)."""

    def __init__(self, on_unavailable: UnavailableCallback | None = None) -> None:
        super().__init__(on_unavailable)
        self._available = False

    def play(self, path: Path) -> None:
        """Do nothing."""


def missing_sound_device_reason(
    environ: Mapping[str, str] = os.environ,
    cards_file: Path = Path("/proc/asound/cards"),
    home: Path | None = None,
    system_alsa_conf: Path = Path("/etc/asound.conf"),
) -> str | None:
    """Why this Linux machine surely cannot play sound, or None when it may be able to.

    Sure only when there is no ALSA sound card, no PulseAudio or PipeWire server to talk to and
    no ALSA configuration that could route sound elsewhere. Elsewhere than Linux: always None.
    """
    if not sys.platform.startswith("linux"):
        return None
    if _has_sound_server(environ) or _has_alsa_card(cards_file):
        return None
    home = Path(environ.get("HOME", "~")).expanduser() if home is None else home
    if "ALSA_CONFIG_PATH" in environ or (home / ".asoundrc").exists():
        return None
    if system_alsa_conf.exists():
        return None
    return "no sound device found (no sound card, no PulseAudio or PipeWire server)"


def _has_alsa_card(cards_file: Path) -> bool:
    try:
        text = cards_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(text.strip()) and "no soundcards" not in text


def _has_sound_server(environ: Mapping[str, str]) -> bool:
    if environ.get("PULSE_SERVER"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return any(Path(runtime, name).exists() for name in ("pulse/native", "pipewire-0"))


#: A player still running this long after its clip should have ended is killed.
HANG_MARGIN_SECONDS = 2.0
#: A clip whose length cannot be read is given this long before its player counts as hung.
UNKNOWN_CLIP_SECONDS = 5.0
#: After this many hung players, sound is given up for the session: cues flash.
MAX_HANGS = 3
_CLIPS_KEPT = 1024
HANGS_REASON = ("the sound player stopped responding {n} times; the cues are shown as a flash "
                "from now on")
NO_SOUND_REASON = "the sound player failed (exit status {status}); is there a sound device?"
EXIT_REASON = "the sound player exited with status {status}"
HUNG_REASON = "the sound player did not finish and was stopped"
NOT_STARTED_REASON = "the sound player could not be started: {error}"


def load_player(backend: str | None, mark_unavailable: UnavailableCallback) -> Player | None:
    """Import playsound3 and pick its player for ``backend`` (None: playsound3's choice, else
    aplay); None, told to ``mark_unavailable``, when sound cannot work. Slow: not for the
    GUI thread."""
    import shutil

    from player.audio.players import PlayerMissing, player_for

    try:
        import playsound3
    except Exception as exc:
        mark_unavailable(f"the playsound3 library could not be loaded: {exc}")
        return None
    backend = backend or playsound3.DEFAULT_BACKEND
    if backend is None and shutil.which("aplay"):
        backend = "alsa"
    if backend is None:
        mark_unavailable("no audio player found (install GStreamer, FFmpeg or ALSA)")
        return None
    reason = missing_sound_device_reason()
    if reason is not None:
        mark_unavailable(reason)
        return None
    try:
        return player_for(backend, playsound3)
    except PlayerMissing as exc:
        mark_unavailable(NOT_STARTED_REASON.format(error=exc))
        return None


class ClipLengths:
    """Each clip's length in seconds, or why it cannot be played, read once per clip (the same
    tones come back all session)."""

    def __init__(self) -> None:
        self._clips: dict[Path, float | str] = {}

    def of(self, path: Path) -> float | str:
        """The length of ``path`` (a guess for a file that is not WAV), or why it is refused."""
        from player.core.wavinfo import WavProblem, wav_info

        seconds = self._clips.get(path)
        if seconds is None:
            seconds = UNKNOWN_CLIP_SECONDS
            if path.suffix.lower() == ".wav":
                try:
                    seconds = wav_info(path).seconds
                except WavProblem as exc:
                    seconds = f"{path.name} {exc}"
            elif not path.is_file():
                seconds = f"{path.name} was not found"
            if len(self._clips) >= _CLIPS_KEPT:
                self._clips.clear()
            self._clips[path] = seconds
        return seconds


@dataclass(eq=False)
class _Playing:
    """A player the thread started, and its clip."""

    path: Path
    process: Process


class PlaysoundOutput(AudioOutput):
    """Plays sounds from one scheduler thread in the app, each file at its deadline.

    The app plays through :class:`player.audio.process_output.CueProcessOutput` (a separate
    small process, which no lock in the app can hold up); this thread is its fallback when that
    process cannot run, and the output where there is no separate player program.

    The thread imports playsound3 (slow: it probes for players) as soon as the output is made,
    so neither the caller's thread nor its start-up waits for it. ``play`` and ``schedule`` only
    hand files over; the thread sleeps until the next deadline and starts the player itself,
    without waiting for the caller (the GUI thread may be painting or writing the database),
    through :func:`player.audio.players.player_for`: the player playsound3 chose, started with a
    cheap ``vfork``. ``cancel`` forgets what has not started yet.

    Sound is reported unavailable, once, when playsound3 cannot be loaded or finds no player,
    when :func:`missing_sound_device_reason` finds no device, when the player program is
    missing, when the first player process to finish exits with an error status, or after
    :data:`MAX_HANGS` players had to be killed for running past their clip's length plus
    :data:`HANG_MARGIN_SECONDS`. One bad clip (missing, damaged, a format the player refuses,
    an error exit once sound is known to work) is skipped and told to the clip-failed callback;
    the others keep playing.

    ``backend`` names a playsound3 backend ("alsa", "gstreamer", ...); by default playsound3's
    choice (which honours ``PLAYSOUND3_BACKEND``), else "alsa" when ``aplay`` exists, since
    playsound3 only offers "alsa" when mpg123 is installed too, which WAV files do not need.
    """

    schedules = True

    def __init__(
        self,
        on_unavailable: UnavailableCallback | None = None,
        *,
        backend: str | None = None,
        poll_interval: float = 0.05,
        hang_margin: float = HANG_MARGIN_SECONDS,
        max_hangs: int = MAX_HANGS,
    ) -> None:
        super().__init__(on_unavailable)
        self._requested_backend = backend
        self._hang_margin = hang_margin
        self._max_hangs = max_hangs
        self._hangs = 0
        self._lock = threading.Condition()
        # Its queue under _lock; its running players touched by the thread only.
        self._schedule: Schedule[Path, _Playing] = Schedule(poll_interval=poll_interval)
        self._clips = ClipLengths()  # the thread's
        self._busy = 0  # players running or being started
        self._ready = False  # the thread has loaded (or failed to load) the player
        self._closed = False
        # One long-lived thread, joined on close.
        self._thread = threading.Thread(target=self._run, name="audio-output", daemon=True)
        self._thread.start()

    def play(self, path: Path) -> None:
        """Start ``path`` as soon as possible and return at once."""
        now = time.monotonic()
        self.schedule([TimedCue(now, ((now, Path(path)),))])

    def schedule(self, cues: Sequence[TimedCue]) -> None:
        """Hand ``cues`` to the thread, which starts each file at its deadline; returns at once.
        Ignored once closed or unavailable."""
        if self._closed or self._available is False or not cues:
            return
        with self._lock:
            self._schedule.queue.add_all(cues)
            self._lock.notify_all()

    def cancel(self) -> None:
        """Forget every file that has not started yet (a pause, a skip, a stop)."""
        with self._lock:
            self._schedule.queue.cancel()
            self._lock.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every file handed over has played and finished; False on timeout.

        For tests, benchmarks and a last cue before quitting, never for the GUI thread.
        """
        with self._lock:
            return self._lock.wait_for(
                lambda: self._closed or (
                    self._ready and not self._schedule.queue and not self._busy),
                timeout)

    def close(self, timeout: float = 2.0) -> None:
        """Stop sounds still playing and join the thread. Safe to call more than once."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._schedule.queue.cancel()
            self._lock.notify_all()
        self._thread.join(timeout)

    # --- the scheduler thread ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            player = load_player(self._requested_backend, self._mark_unavailable)
            with self._lock:
                self._ready = True
                self._lock.notify_all()
            self._serve(player)
        except Exception as exc:  # a bug here must not leave callers waiting for this thread
            log.exception("the audio thread failed")
            self._mark_unavailable(f"the audio thread failed: {exc}")
        finally:
            self._stop_all()

    def _serve(self, player: Player | None) -> None:
        """Start files at their deadlines and reap finished players until closed."""
        schedule = self._schedule
        while True:
            with self._lock:
                if self._closed:
                    return
                due, late = schedule.pop_due(time.monotonic())
                if not due and not late:
                    self._lock.notify_all()  # wait_idle
                    self._lock.wait(schedule.timeout(time.monotonic()))
                    if self._closed:
                        return
                    due, late = schedule.pop_due(time.monotonic())
                self._busy += len(due)  # being started: not idle yet
            for path in late:
                log.info("cue %s dropped: its moment passed over a second ago", path)
            for path in due:
                self._start(path, player)
            self._reap()

    def _start(self, path: Path, player: Player | None) -> None:
        """Start one file, or skip it (telling why) when it cannot be played."""
        from player.audio.players import ClipRefused, PlayerMissing

        if player is None or self._available is False:
            return
        seconds = self._clips.of(path)
        if isinstance(seconds, str):
            self._clip_failed(path, seconds)
            return
        try:
            process = player.start(path)
        except ClipRefused as exc:
            self._clip_failed(path, str(exc))
            return
        except PlayerMissing as exc:
            self._mark_unavailable(NOT_STARTED_REASON.format(error=exc))
            return
        except Exception as exc:
            self._clip_failed(path, NOT_STARTED_REASON.format(error=exc))
            return
        self._schedule.started(_Playing(path, process), time.monotonic(),
                               seconds + self._hang_margin)

    def _reap(self) -> None:
        """Forget finished players and kill hung ones; the first exit status tells whether
        sound works (:func:`~player.audio.schedule.exit_verdict`)."""
        schedule = self._schedule
        now = time.monotonic()
        for entry in schedule.running:
            playing = entry.handle
            status = playing.process.poll()
            if status is None:
                if now < entry.kill_at:
                    continue
                _kill(playing.process)
                schedule.finished(playing)
                self._hung(playing.path)
                continue
            schedule.finished(playing)
            verdict = exit_verdict(status, entry.alone, self._available)
            if verdict == "works":
                self._mark_available()
            elif verdict == "no_sound":
                self._mark_unavailable(NO_SOUND_REASON.format(status=status))
            else:
                self._clip_failed(playing.path, EXIT_REASON.format(status=status))
        with self._lock:
            self._busy = len(schedule.running)
            self._lock.notify_all()

    def _hung(self, path: Path) -> None:
        self._hangs += 1
        self._clip_failed(path, HUNG_REASON)
        if self._hangs >= self._max_hangs:
            self.cancel()
            self._mark_unavailable(HANGS_REASON.format(n=self._hangs))

    def _stop_all(self) -> None:
        """Stop the players still running and reap them; files not started never play."""
        running = [entry.handle for entry in self._schedule.running]
        for playing in running:
            with contextlib.suppress(OSError):
                playing.process.terminate()
        for playing in running:
            _wait_for_exit(playing.process)
            self._schedule.finished(playing)
        with self._lock:
            self._ready = True
            self._busy = 0
            self._schedule.queue.cancel()
            self._lock.notify_all()


def _kill(process: Process) -> None:
    """Kill ``process`` and reap it."""
    with contextlib.suppress(OSError):
        process.kill()
    _wait_for_exit(process)


def _wait_for_exit(process: Process) -> None:
    """Wait for a stopped player, killing one that ignores the stop."""
    import subprocess

    try:
        process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
