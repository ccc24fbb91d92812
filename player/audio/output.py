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

import logging
import os
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

# queue, shutil and subprocess are imported where they are used: the window imports this
# module before its first paint, and only the worker thread needs them.

log = logging.getLogger(__name__)

UnavailableCallback = Callable[[str], None]


class AudioOutput(ABC):
    """Plays sound files without blocking; reports once if sound does not work."""

    def __init__(self, on_unavailable: UnavailableCallback | None = None) -> None:
        self._on_unavailable = on_unavailable
        self._report_lock = threading.Lock()
        self._reported = False
        self._available: bool | None = None

    @property
    def available(self) -> bool | None:
        """True once sound is known to work, False once known not to, None until then."""
        return self._available

    @abstractmethod
    def play(self, path: Path) -> None:
        """Start playing the sound file at ``path`` and return at once."""

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


_STOP = object()


@dataclass
class _Playing:
    """A sound the worker started, and whether no other sound was playing when it started."""

    sound: Any  # playsound3.Sound
    alone: bool


class PlaysoundOutput(AudioOutput):
    """Plays sounds with playsound3 from one daemon worker thread.

    The worker imports playsound3 (slow: it probes for players) as soon as the output is made,
    so neither the caller's thread nor its start-up waits for it; ``play`` only queues the path.
    Sound is reported unavailable, once, when playsound3 cannot be loaded or finds no player,
    when :func:`missing_sound_device_reason` finds no device, when the player cannot be
    started, or when the first player process to finish exits with an error status. A missing
    sound file is only logged: one bad cue must not silence the others.

    ``backend`` names a playsound3 backend ("alsa", "gstreamer", ...); by default playsound3's
    choice (which honours ``PLAYSOUND3_BACKEND``), else "alsa" when ``aplay`` exists, since
    playsound3 only offers "alsa" when mpg123 is installed too, which WAV files do not need.
    """

    def __init__(
        self,
        on_unavailable: UnavailableCallback | None = None,
        *,
        backend: str | None = None,
        poll_interval: float = 0.05,
    ) -> None:
        import queue

        super().__init__(on_unavailable)
        self._requested_backend = backend
        self._poll_interval = poll_interval
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._busy = threading.Condition()
        self._pending = 0  # queued or playing
        self._closed = False
        # One long-lived thread: playsound3 asks Linux to end a player when the thread that
        # started it ends, so a thread per sound would cut sounds short.
        self._thread = threading.Thread(target=self._run, name="audio-output", daemon=True)
        self._thread.start()

    def play(self, path: Path) -> None:
        """Queue ``path`` for the worker and return at once; ignored once closed or unavailable."""
        if self._closed or self._available is False:
            return
        with self._busy:
            self._pending += 1
        self._queue.put(Path(path))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued sound has finished playing; False on timeout.

        For tests, benchmarks and a last cue before quitting, never for the GUI thread.
        """
        with self._busy:
            return self._busy.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 2.0) -> None:
        """Stop sounds still playing and the worker thread. Safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)

    # --- worker thread ---------------------------------------------------------------------

    def _run(self) -> None:
        playing: list[_Playing] = []
        try:
            self._serve(self._load(), playing)
        except Exception as exc:  # a bug here must not leave callers waiting for this thread
            log.exception("the audio worker failed")
            self._mark_unavailable(f"the audio worker failed: {exc}")
        finally:
            self._stop_all(playing)

    def _serve(self, loaded: tuple[str, ModuleType] | None, playing: list[_Playing]) -> None:
        """Start queued sounds and reap finished ones until told to stop."""
        import queue

        while True:
            timeout = self._poll_interval if playing else None
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = None
            if item is _STOP:
                return
            if item is not None:
                self._start(item, loaded, playing)
            self._reap(playing)

    def _load(self) -> tuple[str, ModuleType] | None:
        """Import playsound3 and pick a backend; None (and reported) when sound cannot work."""
        import shutil

        try:
            import playsound3
        except Exception as exc:
            self._mark_unavailable(f"the playsound3 library could not be loaded: {exc}")
            return None
        backend = self._requested_backend or playsound3.DEFAULT_BACKEND
        if backend is None and shutil.which("aplay"):
            backend = "alsa"
        if backend is None:
            self._mark_unavailable("no audio player found (install GStreamer, FFmpeg or ALSA)")
            return None
        reason = missing_sound_device_reason()
        if reason is not None:
            self._mark_unavailable(reason)
            return None
        return backend, playsound3

    def _start(
        self, path: Path, loaded: tuple[str, ModuleType] | None, playing: list[_Playing]
    ) -> None:
        """Start one sound, or drop it when sound does not work or the file is missing."""
        if loaded is None or self._available is False:
            self._done()
        elif not path.is_file():
            log.warning("sound file not found: %s", path)
            self._done()
        else:
            backend, playsound3 = loaded
            alone = not playing
            try:
                sound = playsound3.playsound(path, block=False, backend=backend)
                playing.append(_Playing(sound, alone))
            except Exception as exc:
                self._mark_unavailable(f"the sound player could not be started: {exc}")
                self._done()

    def _reap(self, playing: list[_Playing]) -> None:
        """Forget finished sounds; the first one's exit status tells whether sound works.

        A failure only counts when the sound started with no other playing: a player may also
        fail because another one holds a device that cannot mix.
        """
        for entry in list(playing):
            status = entry.sound.subprocess.poll()
            if status is None:
                continue
            playing.remove(entry)
            self._done()
            if status == 0:
                self._mark_available()
            elif self._available is None and status > 0 and entry.alone:
                self._mark_unavailable(
                    f"the sound player failed (exit status {status}); is there a sound device?"
                )
            else:
                log.warning("the sound player exited with status %s", status)

    def _stop_all(self, playing: list[_Playing]) -> None:
        """Stop the sounds still playing and wait for their players; queued sounds never play."""
        for entry in playing:
            entry.sound.stop()
        for entry in playing:
            _wait_for_exit(entry.sound)
        playing.clear()
        with self._busy:
            self._pending = 0
            self._busy.notify_all()

    def _done(self) -> None:
        with self._busy:
            self._pending -= 1
            self._busy.notify_all()


def _wait_for_exit(sound: Any) -> None:
    """Wait for a stopped sound's player, killing a player process that ignores the stop."""
    import subprocess

    process = sound.subprocess
    if not isinstance(process, subprocess.Popen):
        sound.wait()
        return
    try:
        process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
