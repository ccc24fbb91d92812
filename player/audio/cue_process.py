"""The cue process: a small long-lived process that starts each cue's player at its deadline.

The app (:class:`player.audio.process_output.CueProcessOutput`) starts it once, with
:data:`STUB`, and hands it cues over its standard input; it starts each player itself with
``os.posix_spawn`` at the file's deadline and says over its standard output what became of each.
No lock or thread of the app can hold it up, it can ask for a higher priority than the app's
(below), and it is small (the standard library and :mod:`player.audio.schedule`), so it
waits for nothing but a core.

The messages are JSON, one object a line. From the app, each with a rising ``seq``:
``{"seq": n, "cues": [[at, interrupt, [[deadline, path, limit], ...]], ...]}`` (``limit``: the
seconds after its start at which the player counts as hung, or why the clip cannot be played)
and ``{"seq": n, "cancel": true}``. To the app: ``{"ready": {...}}`` (the priority it got and
what it was refused, see :func:`raise_priority`), ``{"exit": path, "status": n, "alone": bool}``,
``{"hung": path}`` (killed and reaped), ``{"failed": path, "reason": text}``, ``{"missing":
text}`` (no player program any more), ``{"late": path}`` (dropped: its moment passed over a
second ago), ``{"idle": seq}`` (nothing waits or plays, every message up to ``seq`` taken in)
and ``{"error": text}`` before it ends on a bug. It ends, stopping and reaping its players,
when its standard input closes: when the app closes the output or ends in any way.

Times are ``time.monotonic()`` seconds, Linux's ``CLOCK_MONOTONIC``: the same clock in every
process, so the deadlines the app's engine computes hold here unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import IO, Any, NamedTuple

from player.audio.schedule import Schedule

#: What the app runs with ``sys.executable -I -S -c STUB ROOT CONFIG``: ROOT is the directory
#: holding the ``player`` package, CONFIG the JSON of :func:`main`'s configuration. ``-I -S``:
#: no site packages, no environment variables or user directories that could change Python.
STUB = ("import sys; sys.path.insert(0, sys.argv[1]); "
        "from player.audio.cue_process import main; sys.exit(main(sys.argv[2]))")

#: The nice value and the real-time (SCHED_RR) priority the process asks for; most users may
#: not raise either (then the process keeps the app's priority and says so in its ready message).
NICE = -10
RR_PRIORITY = 10
#: The CPU time (microseconds) the process may run at a real-time policy without blocking, its
#: RLIMIT_RTTIME: rtkit grants real time only to a process whose soft and hard limits are no
#: higher than its RTTimeUSecMax (200 ms by default). The loop blocks between cues, far sooner.
RTTIME_USEC = 200_000
#: How often players are looked at where the kernel cannot say that one ended (no pidfd).
POLL_SECONDS = 0.05
_READ_BYTES = 65536
_DEVNULL_ACTIONS = [
    (os.POSIX_SPAWN_OPEN, fd, os.devnull, flags, 0)
    for fd, flags in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY))
] if hasattr(os, "posix_spawn") else []


class Order(NamedTuple):
    """One file to start: its path, its limit (seconds to hung, or why it is refused) and when
    it was received."""

    path: str
    limit: float | str
    received: float = 0.0
    deadline: float = 0.0


class WireCue(NamedTuple):
    """A cue as it came over the pipe (a :class:`~player.audio.schedule.Cue`)."""

    at: float
    interrupt: bool
    files: tuple[tuple[float, Order], ...]


def decode_cues(items: Sequence[Any], received: float = 0.0) -> list[WireCue]:
    """The cues of a ``cues`` message, received at ``received``."""
    return [WireCue(float(at), bool(interrupt),
                    tuple((float(deadline), Order(str(path), limit, received, float(deadline)))
                          for deadline, path, limit in files))
            for at, interrupt, files in items]


def limit_rttime(usec: int = RTTIME_USEC) -> str:
    """Set this process's RLIMIT_RTTIME (soft and hard) to ``usec`` or lower, so that rtkit may
    make it real time; what was set, or why not."""
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_RTTIME)
        limit = usec if hard == resource.RLIM_INFINITY else min(usec, hard)
        resource.setrlimit(resource.RLIMIT_RTTIME, (limit, limit))
    except (OSError, ValueError, AttributeError) as exc:
        return f"refused: {exc}"
    return str(limit)


def raise_priority(nice: int = NICE, rr_priority: int = RR_PRIORITY) -> dict[str, Any]:
    """Ask for a lower nice value and the SCHED_RR policy; what was granted, what refused.

    Also says the process's ``pid`` and ``tid`` and what was ``refused`` (``"nice"``,
    ``"policy"``), so the app can ask rtkit for them, and the RLIMIT_RTTIME set (``rttime``).
    """
    got: dict[str, Any] = {"pid": os.getpid(), "tid": threading.get_native_id(),
                           "rttime": limit_rttime()}
    try:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        got["nice"] = str(nice)
    except (OSError, AttributeError) as exc:
        got["nice"] = f"refused: {exc}"
    try:
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(rr_priority))
        got["policy"] = f"SCHED_RR {rr_priority}"
    except (OSError, AttributeError) as exc:
        got["policy"] = f"SCHED_RR refused: {exc}"
    got["refused"] = [name for name in ("nice", "policy") if "refused" in got[name]]
    return got


class CueProcess:
    """The loop of the cue process: reads the app's messages from ``inbox`` (a file
    descriptor), starts ``command`` + each file at its deadline, writes reports to ``outbox``."""

    def __init__(self, command: Sequence[str], inbox: int, outbox: int, *,
                 clock: Callable[[], float] = time.monotonic, real_time: bool = False,
                 trace: IO[str] | None = None) -> None:
        self._command = list(command)
        self._trace = trace
        self._inbox = inbox
        self._outbox = outbox
        self._clock = clock
        self._can_pidfd = hasattr(os, "pidfd_open")
        self._schedule: Schedule[Order, int] = Schedule(
            poll_interval=None if self._can_pidfd else POLL_SECONDS)
        self._paths: dict[int, str] = {}
        self._pidfds: dict[int, int] = {}
        self._seq = 0
        self._told_idle: int | None = None
        self._buffer = b""
        self._real_time = real_time
        self._spawn_options: dict[str, Any] = {
            "file_actions": _DEVNULL_ACTIONS,
            "setsigdef": (signal.SIGPIPE, signal.SIGXFSZ),
        }

    def report(self, message: dict[str, Any]) -> None:
        """Tell the app ``message`` (one line)."""
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(self._outbox, data):]

    def serve(self) -> None:
        """Start files at their deadlines until the app closes the pipe, then stop players."""
        try:
            while self._step():
                pass
        finally:
            self._stop_all()

    def _step(self) -> bool:
        """Wait for a message, a deadline or a player's end, and act on it; False at the end."""
        schedule = self._schedule
        watched = [self._inbox, *self._pidfds.values()]
        readable, _, _ = select.select(watched, [], [], schedule.timeout(self._clock()))
        if self._inbox in readable:
            data = os.read(self._inbox, _READ_BYTES)
            if not data:
                return False
            self._take(data)
        now = self._clock()
        due, late = schedule.pop_due(now)
        for order in due:
            self._start(order, now)
        for order in late:
            self.report({"late": order.path})
        self._reap(self._clock())
        if schedule.idle and self._told_idle != self._seq:
            self._told_idle = self._seq
            self.report({"idle": self._seq})
        return True

    def _take(self, data: bytes) -> None:
        received = self._clock()
        *lines, self._buffer = (self._buffer + data).split(b"\n")
        for line in lines:
            message = json.loads(line)
            self._seq = int(message.get("seq", self._seq))
            self._told_idle = None
            if message.get("cancel"):
                self._schedule.queue.cancel()
            self._schedule.queue.add_all(decode_cues(message.get("cues", ()), received))

    def _start(self, order: Order, woke: float) -> None:
        if isinstance(order.limit, str):
            self.report({"failed": order.path, "reason": order.limit})
            return
        argv = [*self._command, order.path]
        try:
            pid = os.posix_spawn(argv[0], argv, os.environ, **self._spawn_options)
        except FileNotFoundError as exc:
            self.report({"missing": f"{self._command[0]}: {exc.strerror}"})
            return
        except OSError as exc:
            self.report({"failed": order.path,
                         "reason": f"the sound player could not be started: {exc}"})
            return
        self._paths[pid] = order.path
        if self._can_pidfd:
            with contextlib.suppress(OSError):
                self._pidfds[pid] = os.pidfd_open(pid)
        spawned = self._clock()
        if self._real_time:
            self._normal_policy(pid)
        self._schedule.started(pid, spawned, order.limit)
        if self._trace is not None:  # a benchmark's: where a late start lost its time
            self._trace.write(
                f"{order.deadline!r} {order.received!r} {woke!r} {spawned!r} {pid}\n")
            self._trace.flush()

    @staticmethod
    def _normal_policy(pid: int) -> None:
        """Put a player started by a real-time process back at the normal policy (keeping its
        nice value): a player stuck in a loop must not take a core from everything else.

        Done once ``posix_spawn`` has returned, when the player has been exec'd: asked for in
        the spawn itself, the change comes between ``vfork`` and exec, and the child can then be
        kept off its core for milliseconds before its exec, under load (measured: 4-9 ms)."""
        with contextlib.suppress(OSError):
            os.sched_setscheduler(pid, os.SCHED_OTHER, os.sched_param(0))

    def _reap(self, now: float) -> None:
        for entry in self._schedule.running:
            status = self._exit_status(entry.handle, os.WNOHANG)
            if status is not None:
                self._forget(entry.handle)
                self.report({"exit": self._paths.pop(entry.handle, ""), "status": status,
                             "alone": entry.alone})
        for entry in self._schedule.overdue(now):
            with contextlib.suppress(ProcessLookupError):
                os.kill(entry.handle, signal.SIGKILL)
            self._exit_status(entry.handle, 0)
            self._forget(entry.handle)
            self.report({"hung": self._paths.pop(entry.handle, "")})

    def _exit_status(self, pid: int, flags: int) -> int | None:
        try:
            done, status = os.waitpid(pid, flags)
        except ChildProcessError:
            return 0
        return os.waitstatus_to_exitcode(status) if done else None

    def _forget(self, pid: int) -> None:
        self._schedule.finished(pid)
        pidfd = self._pidfds.pop(pid, None)
        if pidfd is not None:
            os.close(pidfd)

    def _stop_all(self) -> None:
        """Stop the players still running and reap them all; what waits never plays."""
        self._schedule.queue.cancel()
        running = [entry.handle for entry in self._schedule.running]
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        give_up = time.monotonic() + 1.0
        for pid in running:
            while self._exit_status(pid, os.WNOHANG) is None:
                if time.monotonic() >= give_up:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    self._exit_status(pid, 0)
                    break
                time.sleep(0.005)
            self._forget(pid)


def _real_time() -> bool:
    try:
        return os.sched_getscheduler(0) in (os.SCHED_RR, os.SCHED_FIFO)
    except (OSError, AttributeError):
        return False


def main(config_text: str) -> int:
    """Run the cue process with the JSON ``config_text``: ``command`` (the player and its
    arguments before the file), ``priority`` (whether to ask for a higher one) and ``trace``
    (a file to write, for each player started, its file's deadline, when it was received, when
    the process woke for it and when the player had started, and its pid: for benchmarks)."""
    config = json.loads(config_text)
    got = raise_priority() if config.get("priority") else {}
    trace = open(config["trace"], "a", encoding="utf-8") if config.get("trace") else None  # noqa: SIM115
    process = CueProcess(config["command"], sys.stdin.fileno(), sys.stdout.fileno(),
                         real_time=_real_time(), trace=trace)
    try:
        process.report({"ready": got})
        process.serve()
    except BrokenPipeError:  # the app is gone: its players are stopped all the same
        return 0
    except Exception as exc:  # told to the app, which logs it and carries on without us
        with contextlib.suppress(OSError):
            process.report({"error": f"{type(exc).__name__}: {exc}"})
        return 1
    return 0
