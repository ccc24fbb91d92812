"""Cues handed over ahead of time: which file starts when, and what a cancel or a new step drops.

Pure bookkeeping, no thread and no clock of its own: the output's scheduler thread keeps a
:class:`CueQueue` under its lock, asks it what is due at the time it read, and sleeps until
:meth:`CueQueue.next_deadline`. Times are absolute monotonic seconds, the engine's clock.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from player.core.ahead import TimedCue

#: A file this late when its turn comes is not played (the machine slept, the thread stalled):
#: a burst of old cues would only confuse.
LATE_LIMIT_SECONDS = 1.0


@dataclass(frozen=True, order=True)
class _Entry:
    deadline: float
    seq: int
    cue_at: float
    path: Path


class CueQueue:
    """The files waiting for their start time, earliest first."""

    def __init__(self, late_limit: float = LATE_LIMIT_SECONDS) -> None:
        self._late_limit = late_limit
        self._heap: list[_Entry] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, cue: TimedCue) -> None:
        """Take ``cue`` over; an interrupting cue first drops what it interrupts."""
        if cue.interrupt:
            kept = [e for e in self._heap if not (e.cue_at < cue.at <= e.deadline)]
            if len(kept) != len(self._heap):
                heapq.heapify(kept)
                self._heap = kept
        for deadline, path in cue.files:
            heapq.heappush(self._heap, _Entry(deadline, next(self._seq), cue.at, path))

    def add_all(self, cues: Iterable[TimedCue]) -> None:
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

    def pop_due(self, now: float) -> tuple[list[Path], list[Path]]:
        """The files due by ``now``, in start order, and those dropped for being too late."""
        due: list[Path] = []
        late: list[Path] = []
        while self._heap and self._heap[0].deadline <= now:
            entry = heapq.heappop(self._heap)
            (late if now - entry.deadline > self._late_limit else due).append(entry.path)
        return due, late
