"""The app's audio output: cues handed with their deadlines to a small cue process.

Under a CPU hog, a thread inside the app can start a player late twice over: it waits for the
interpreter lock while the GUI thread, holding it, is off its core, and it waits for a core at
the app's priority. :class:`CueProcessOutput` therefore starts one small long-lived process
(:mod:`player.audio.cue_process`), asks it to take a higher priority where the system allows,
and writes each cue to it as soon as it is handed over, seconds ahead; that process starts the
player itself at the deadline. Its reports (a clip that failed, a player that hung, the first
exit status) come back over a pipe to this output's thread, which tells the callbacks as
:class:`~player.audio.output.PlaysoundOutput` does.

If the cue process ends while the app plays, it is started again once; if it ends again (or
cannot be started), the cues are played from :class:`~player.audio.output.PlaysoundOutput`'s
thread inside the app from then on, said once in the log. Where the player is not a separate
program (playsound3 on Windows or macOS), or there is no ``posix_spawn``, that thread plays
from the start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from player.audio.output import (
    EXIT_REASON,
    HANG_MARGIN_SECONDS,
    HANGS_REASON,
    HUNG_REASON,
    MAX_HANGS,
    NO_SOUND_REASON,
    NOT_STARTED_REASON,
    AudioOutput,
    ClipLengths,
    PlaysoundOutput,
    UnavailableCallback,
    load_player,
)
from player.audio.schedule import LATE_LIMIT_SECONDS, exit_verdict
from player.core.ahead import TimedCue

if TYPE_CHECKING:
    from player.audio.players import Player

log = logging.getLogger(__name__)

#: The directory holding the ``player`` package, put on the cue process's path.
_ROOT = Path(__file__).resolve().parents[2]
#: How long a write to the cue process may wait for room in the pipe before it counts as stuck.
_WRITE_WAIT_SECONDS = 0.5
#: How many times a cue process that ended is started again before the thread takes over.
RESTARTS = 1
RESTARTED = "the cue process ended (%s); starting it again"
FELL_BACK = "cues are played from the app's own thread from now on: %s"


class CueProcessOutput(AudioOutput):
    """Plays cues through the cue process, each file at its deadline; never blocks its caller.

    ``backend``, ``hang_margin`` and ``max_hangs`` as for
    :class:`~player.audio.output.PlaysoundOutput`; ``raise_priority``: let the cue process ask
    for a lower nice value and the SCHED_RR policy (refused to most users: it then runs at the
    app's priority, and says so in the log); ``on_priority_refused``: called with the cue
    process's pid and thread id when it was refused either (from this output's thread: it must
    return at once), so the app can ask for them elsewhere (rtkit); ``trace``: a file the cue
    process writes the times of each start to (see :func:`player.audio.cue_process.main`), for
    benchmarks.
    ``on_unavailable`` and the clip-failed callback are called from this output's thread.
    """

    schedules = True

    def __init__(
        self,
        on_unavailable: UnavailableCallback | None = None,
        *,
        backend: str | None = None,
        hang_margin: float = HANG_MARGIN_SECONDS,
        max_hangs: int = MAX_HANGS,
        raise_priority: bool = True,
        on_priority_refused: Callable[[int, int], object] | None = None,
        trace: Path | None = None,
    ) -> None:
        super().__init__(on_unavailable)
        self._requested_backend = backend
        self._hang_margin = hang_margin
        self._max_hangs = max_hangs
        self._raise_priority = raise_priority
        self._on_priority_refused = on_priority_refused
        self._trace = trace
        self._hangs = 0
        self._lock = threading.Condition()
        self._pending: list[TimedCue] = []  # handed over, not known to be over: sent again
        self._player: Player | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._fallback: PlaysoundOutput | None = None
        self._clips = ClipLengths()
        self._seq = 0  # of the last message written
        self._idle_seq = -1  # the last message the process said it is idle after
        self._ready = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="audio-output", daemon=True)
        self._thread.start()

    @property
    def available(self) -> bool | None:
        """True once sound is known to work, False once known not to, None until then."""
        fallback = self._fallback
        if self._available is None and fallback is not None:
            return fallback.available
        return self._available

    @property
    def pid(self) -> int | None:
        """The cue process's id while one runs (for tests and benchmarks)."""
        process = self._process
        return None if process is None else process.pid

    @property
    def fallen_back(self) -> bool:
        """True once the cues are played from the app's own thread instead."""
        return self._fallback is not None

    def play(self, path: Path) -> None:
        """Start ``path`` as soon as possible and return at once."""
        now = time.monotonic()
        self.schedule([TimedCue(now, ((now, Path(path)),))])

    def schedule(self, cues: Sequence[TimedCue]) -> None:
        """Hand ``cues`` to the cue process, which starts each file at its deadline; returns at
        once. Ignored once closed or unavailable."""
        if self._closed or self._available is False or not cues:
            return
        with self._lock:
            fallback = self._fallback
            if fallback is None:
                now = time.monotonic()
                self._pending = [c for c in self._pending
                                 if c.files and c.files[-1][0] > now - LATE_LIMIT_SECONDS]
                self._pending.extend(cues)
                if self._process is not None:
                    self._send({"cues": self._encode(cues)})
        if fallback is not None:
            fallback.schedule(cues)

    def cancel(self) -> None:
        """Forget every file that has not started yet (a pause, a skip, a stop)."""
        with self._lock:
            fallback = self._fallback
            self._pending.clear()
            if self._process is not None:
                self._send({"cancel": True})
        if fallback is not None:
            fallback.cancel()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every file handed over has played and finished; False on timeout.

        For tests, benchmarks and a last cue before quitting, never for the GUI thread.
        """
        give_up = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            if not self._lock.wait_for(
                    lambda: self._closed or self._fallback is not None or (
                        self._ready and (self._process is None or self._idle_seq >= self._seq)),
                    timeout):
                return False
            fallback = self._fallback
        if fallback is None:
            return True
        return fallback.wait_idle(None if give_up is None else max(0.0, give_up - time.monotonic()))

    def close(self, timeout: float = 2.0) -> None:
        """Stop sounds still playing, end the cue process and join the thread. Safe to call more
        than once; with ``timeout`` 0 the process ends by itself shortly after."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._pending.clear()
            process, fallback = self._process, self._fallback
            self._process = None
            if process is not None:  # its end of the pipe: it stops its players and ends
                _close_quietly(process.stdin)
            self._lock.notify_all()
        if fallback is not None:
            fallback.close(timeout)
        self._thread.join(timeout)
        if process is not None and timeout > 0 and process.poll() is None:
            process.kill()
            process.wait()

    # --- writing to the cue process (any thread, under the lock) -----------------------------

    def _encode(self, cues: Sequence[TimedCue]) -> list[Any]:
        """``cues`` as the cue process reads them: each file with its hang limit or refusal."""
        player = self._player
        assert player is not None
        encoded = []
        for cue in cues:
            files = []
            for deadline, path in cue.files:
                limit: float | str | None = player.refusal(path)
                if limit is None:
                    seconds = self._clips.of(path)
                    limit = seconds if isinstance(seconds, str) else seconds + self._hang_margin
                files.append([deadline, str(path), limit])
            encoded.append([cue.at, cue.interrupt, files])
        return encoded

    def _send(self, message: dict[str, Any]) -> None:
        """Write ``message`` to the cue process; one that does not take it in is stopped (its
        thread then starts another or takes over)."""
        process = self._process
        assert process is not None and process.stdin is not None
        self._seq += 1
        message["seq"] = self._seq
        data = (json.dumps(message) + "\n").encode()
        try:
            fd = process.stdin.fileno()
            while data:
                try:
                    data = data[os.write(fd, data):]
                except BlockingIOError:
                    if not select.select([], [fd], [], _WRITE_WAIT_SECONDS)[1]:
                        raise TimeoutError("the cue process takes no more cues") from None
        except (OSError, ValueError) as exc:
            log.warning("cues could not be handed to the cue process: %s", exc)
            process.kill()

    # --- the output's thread -----------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._player = load_player(self._requested_backend, self._mark_unavailable)
            self._serve()
        except Exception as exc:  # a bug here must not leave callers waiting for this thread
            log.exception("the audio thread failed")
            self._mark_unavailable(f"the audio thread failed: {exc}")
        finally:
            with self._lock:
                self._ready = True
                self._lock.notify_all()

    def _serve(self) -> None:
        """Run the cue process (again once if it ends), reading its reports, until closed."""
        player = self._player
        if player is None:
            return
        if player.command is None or not hasattr(os, "posix_spawn"):
            self._fall_back("the player is not a separate program", quietly=True)
            return
        ends = 0
        while True:
            try:
                process = self._launch(player.command, again=ends > 0)
            except OSError as exc:
                self._fall_back(f"the cue process could not be started: {exc}")
                return
            if process is None:  # closed meanwhile
                return
            assert process.stdout is not None
            self._read(process.stdout)
            status = process.wait()
            _close_quietly(process.stdout)
            with self._lock:
                _close_quietly(process.stdin)
                self._process = None
                self._ready = False
                if self._closed:
                    return
            why = f"exit status {status}"
            ends += 1
            if ends > RESTARTS:
                self._fall_back(f"the cue process ended again ({why})")
                return
            log.warning(RESTARTED, why)

    def _launch(self, command: Sequence[str], again: bool) -> subprocess.Popen[bytes] | None:
        """Start a cue process and hand it what was handed over before (``again``: only the
        files still to come, the others may have played); None once closed."""
        from player.audio.cue_process import STUB

        config = json.dumps({"command": list(command), "priority": self._raise_priority,
                             "trace": None if self._trace is None else str(self._trace)})
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", STUB, str(_ROOT), config],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True, start_new_session=True, bufsize=0)
        assert process.stdin is not None
        os.set_blocking(process.stdin.fileno(), False)
        with self._lock:
            if self._closed:
                _close_quietly(process.stdin)
                process.wait()
                return None
            self._process = process
            self._idle_seq = -1
            pending = _still_to_come(self._pending, time.monotonic()) if again else self._pending
            self._send({"cues": self._encode(pending)})
        return process

    def _read(self, reports: IO[bytes]) -> None:
        """Act on the cue process's reports until it ends."""
        for line in reports:
            try:
                self._on_report(json.loads(line))
            except Exception:  # one bad report must not cost the rest
                log.exception("the cue process said something unreadable: %r", line[:200])

    def _on_report(self, message: dict[str, Any]) -> None:
        if "idle" in message:
            with self._lock:
                self._idle_seq = int(message["idle"])
                if self._idle_seq >= self._seq:
                    self._pending.clear()
                self._lock.notify_all()
        elif "exit" in message:
            path, status = Path(message["exit"]), int(message["status"])
            verdict = exit_verdict(status, bool(message["alone"]), self._available)
            if verdict == "works":
                self._mark_available()
            elif verdict == "no_sound":
                self._mark_unavailable(NO_SOUND_REASON.format(status=status))
            else:
                self._clip_failed(path, EXIT_REASON.format(status=status))
        elif "hung" in message:
            self._hangs += 1
            self._clip_failed(Path(message["hung"]), HUNG_REASON)
            if self._hangs >= self._max_hangs:
                self.cancel()
                self._mark_unavailable(HANGS_REASON.format(n=self._hangs))
        elif "failed" in message:
            self._clip_failed(Path(message["failed"]), str(message["reason"]))
        elif "missing" in message:
            self._mark_unavailable(NOT_STARTED_REASON.format(error=message["missing"]))
        elif "late" in message:
            log.info("cue %s dropped: its moment passed over a second ago", message["late"])
        elif "ready" in message:
            log.info("cue process %s ready, priority: %s", self.pid, message["ready"] or "the app's")
            with self._lock:
                self._ready = True
                self._lock.notify_all()
            got = message["ready"]
            if got.get("refused") and self._on_priority_refused is not None:
                self._on_priority_refused(int(got["pid"]), int(got["tid"]))
        elif "error" in message:
            log.error("the cue process failed: %s", message["error"])

    def _fall_back(self, why: str, quietly: bool = False) -> None:
        """Play from a thread in the app from now on, with what is still to come."""
        player = self._player
        assert player is not None
        (log.info if quietly else log.warning)(FELL_BACK, why)
        fallback = PlaysoundOutput(self._mark_unavailable, backend=player.backend,
                                   hang_margin=self._hang_margin,
                                   max_hangs=max(1, self._max_hangs - self._hangs))
        fallback.set_clip_failed_callback(self._clip_failed)
        with self._lock:
            if self._closed:
                fallback.close()
                return
            self._fallback = fallback
            pending, self._pending = self._pending, []
            self._lock.notify_all()
        fallback.schedule(_still_to_come(pending, time.monotonic()))


def _still_to_come(cues: Sequence[TimedCue], now: float) -> list[TimedCue]:
    """The files of ``cues`` due after ``now`` (earlier ones may have played already)."""
    kept = []
    for cue in cues:
        files = tuple((t, path) for t, path in cue.files if t > now)
        if files:
            kept.append(TimedCue(cue.at, files, cue.interrupt))
    return kept


def _close_quietly(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()
