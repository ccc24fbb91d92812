"""Cues handed over ahead of time: which file starts when, what a cancel or a new step drops, and
when a running player counts as hung.

Pure bookkeeping, no thread, no process and no clock of its own: every method that needs the
time is told it. Both schedulers use it: the output's thread in the app
(:class:`player.audio.output.PlaysoundOutput`) and the cue process
(:mod:`player.audio.cue_process`), which sleep until :meth:`Schedule.timeout` and ask what is
due at the time they read. Times are absolute monotonic seconds (Linux: ``CLOCK_MONOTONIC``,
the same in every process). Imports only the standard library, so the cue process stays small.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence
from typing import Generic, Literal, NamedTuple, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
H = TypeVar("H")

#: A file this late when its turn comes is not played (the machine slept, the scheduler stalled):
#: a burst of old cues would only confuse.
LATE_LIMIT_SECONDS = 1.0


class Cue(Protocol[T_co]):
    """What a queue needs of a cue (:class:`player.core.ahead.TimedCue` has it): the moment
    ``at`` it is due, each file with its own start time, and whether it cuts short earlier ones."""

    @property
    def at(self) -> float:
        """When the cue's event is due."""
        ...

    @property
    def files(self) -> Sequence[tuple[float, T_co]]:
        """Each file (or what stands for it) with its start time."""
        ...

    @property
    def interrupt(self) -> bool:
        """True when this cue drops what earlier cues would still start from ``at`` on."""
        ...


class _Entry(NamedTuple, Generic[T]):
    deadline: float
    seq: int
    cue_at: float
    item: T


class CueQueue(Generic[T]):
    """The files waiting for their start time, earliest first."""

    def __init__(self, late_limit: float = LATE_LIMIT_SECONDS) -> None:
        self._late_limit = late_limit
        self._heap: list[_Entry[T]] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, cue: Cue[T]) -> None:
        """Take ``cue`` over; an interrupting cue first drops what it interrupts."""
        if cue.interrupt:
            kept = [e for e in self._heap if not (e.cue_at < cue.at <= e.deadline)]
            if len(kept) != len(self._heap):
                heapq.heapify(kept)
                self._heap = kept
        for deadline, item in cue.files:
            heapq.heappush(self._heap, _Entry(deadline, next(self._seq), cue.at, item))

    def add_all(self, cues: Iterable[Cue[T]]) -> None:
        """Take each of ``cues`` over, in order."""
        for cue in cues:
            self.add(cue)

    def cancel(self) -> int:
        """Drop every file still waiting; returns how many."""
        dropped = len(self._heap)
        self._heap = []
        return dropped

    def next_deadline(self) -> float | None:
        """When the next file is due, None when nothing waits."""
        return self._heap[0].deadline if self._heap else None

    def pop_due(self, now: float) -> tuple[list[T], list[T]]:
        """The files due by ``now``, in start order, and those dropped for being too late."""
        due: list[T] = []
        late: list[T] = []
        while self._heap and self._heap[0].deadline <= now:
            entry = heapq.heappop(self._heap)
            (late if now - entry.deadline > self._late_limit else due).append(entry.item)
        return due, late


class Running(NamedTuple, Generic[H]):
    """A player a scheduler started: its handle, whether it started with no other playing, and
    when it counts as hung (its clip's length plus a margin after its start)."""

    handle: H
    alone: bool
    kill_at: float


class Schedule(Generic[T, H]):
    """A :class:`CueQueue` and the players started from it, for one scheduler loop.

    The loop sleeps :meth:`timeout`, then starts what :meth:`pop_due` gives (telling
    :meth:`started`), stops what :meth:`overdue` gives, and tells :meth:`finished` of each
    player that ended. ``poll_interval``: how often to look at running players when the loop
    cannot be woken by their end (None: it is woken, only kill times count).
    """

    def __init__(self, *, late_limit: float = LATE_LIMIT_SECONDS,
                 poll_interval: float | None = None) -> None:
        self.queue: CueQueue[T] = CueQueue(late_limit)
        self._poll_interval = poll_interval
        self._running: list[Running[H]] = []

    @property
    def running(self) -> list[Running[H]]:
        """The players started and not yet finished, oldest first."""
        return list(self._running)

    @property
    def idle(self) -> bool:
        """True when nothing waits and nothing plays."""
        return not self.queue and not self._running

    def pop_due(self, now: float) -> tuple[list[T], list[T]]:
        """See :meth:`CueQueue.pop_due`."""
        return self.queue.pop_due(now)

    def started(self, handle: H, now: float, seconds: float) -> bool:
        """Record a player started at ``now`` for a clip of ``seconds`` (its margin included);
        returns whether it started alone."""
        alone = not self._running
        self._running.append(Running(handle, alone, now + seconds))
        return alone

    def finished(self, handle: H) -> Running[H] | None:
        """Forget the player ``handle`` (it ended, or was stopped); its record, if it had one."""
        for entry in self._running:
            if entry.handle == handle:
                self._running.remove(entry)
                return entry
        return None

    def overdue(self, now: float) -> list[Running[H]]:
        """The players still running past their kill time (not forgotten: :meth:`finished`)."""
        return [entry for entry in self._running if entry.kill_at <= now]

    def timeout(self, now: float) -> float | None:
        """How long the loop may sleep: to the next deadline, kill time or look at players;
        None when nothing waits and nothing plays."""
        wakes = [self.queue.next_deadline()]
        wakes += [entry.kill_at for entry in self._running]
        if self._running and self._poll_interval is not None:
            wakes.append(now + self._poll_interval)
        soonest = min((t for t in wakes if t is not None), default=None)
        return None if soonest is None else max(0.0, soonest - now)


Verdict = Literal["works", "no_sound", "clip_failed"]


def exit_verdict(status: int, alone: bool, available: bool | None) -> Verdict:
    """What a player's exit ``status`` says: sound ``works`` (0), there is ``no_sound`` (an
    error exit of the first player to finish that started alone, before anything played), or
    only its clip failed.

    A failure only counts as "no sound" when nothing else was playing and nothing has played
    yet: a player may also fail because another one holds a device that cannot mix, or
    because of its clip.
    """
    if status == 0:
        return "works"
    if available is None and status > 0 and alone:
        return "no_sound"
    return "clip_failed"
