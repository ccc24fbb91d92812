"""Cues handed to the audio side ahead of time, each with its absolute deadline.

The engine knows what it will emit in the coming seconds if nobody presses anything
(:meth:`~player.core.engine.SessionEngine.preview`). :class:`CuesAhead` turns those events into
:class:`TimedCue` s (every file of a cue with its own start time, the files of one cue one after
another) and remembers which it handed over, so that when the engine really emits an event the
caller knows whether its sound is already on its way or must be played now (an event after a
command, such as the next step after "Done"). After a command the caller cancels what was handed
over and :meth:`CuesAhead.forget_after` s it; the next preview hands over the new plan.

Pure Python: times are the engine's monotonic seconds, lengths come from an injected function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from player.core.engine import EngineEvent, SessionFinished, StepStarted

#: How far ahead cues are handed over. The driver wakes at least once a second while a step
#: counts down, so every cue is handed over at least two seconds before it is due.
LOOKAHEAD_SECONDS = 3.0
#: Handed-over events are remembered this long after they were due (then forgotten).
_REMEMBER_SECONDS = 5.0

_EventKey = tuple[object, ...]


@dataclass(frozen=True)
class TimedCue:
    """One cue: the moment ``at`` its event is due, and each file with its own start time.

    ``interrupt`` (a new step, the end of the session) drops the files of earlier cues that
    would start at or after ``at``: a long announcement never runs into the next step.
    """

    at: float
    files: tuple[tuple[float, Path], ...]
    interrupt: bool = False


def timed_cue(at: float, paths: Sequence[Path], seconds_of: Callable[[Path], float],
              gap: float, *, interrupt: bool = False) -> TimedCue:
    """The cue of ``paths`` due at ``at``, played one after another with ``gap`` between them."""
    files: list[tuple[float, Path]] = []
    t = at
    for path in paths:
        files.append((t, Path(path)))
        t += seconds_of(path) + gap
    return TimedCue(at, tuple(files), interrupt)


def interrupts(event: EngineEvent) -> bool:
    """True for events whose cue cuts short what an earlier cue still has to say."""
    return isinstance(event, StepStarted | SessionFinished)


def event_key(event: EngineEvent) -> _EventKey:
    """What tells one event from another: its kind, its moment and what it is about."""
    step = getattr(event, "step", None)
    details = tuple(getattr(event, name, None) for name in ("rep", "phase", "n", "seconds_left"))
    return (type(event).__name__, event.at, None if step is None else step.index, *details)


class CuesAhead:
    """Remembers which events' cues were handed over, and makes the cues of new ones."""

    def __init__(self, sounds_for: Callable[[EngineEvent], Sequence[Path]],
                 seconds_of: Callable[[Path], float], gap: float) -> None:
        self.sounds_for = sounds_for
        self._seconds_of = seconds_of
        self._gap = gap
        self._handed: dict[_EventKey, float] = {}

    def __len__(self) -> int:
        return len(self._handed)

    def cue_for(self, event: EngineEvent, at: float | None = None) -> TimedCue | None:
        """The cue of ``event`` starting at ``at`` (its own moment by default); None if silent."""
        paths = self.sounds_for(event)
        if not paths:
            return None
        return timed_cue(event.at if at is None else at, paths, self._seconds_of, self._gap,
                         interrupt=interrupts(event))

    def hand_over(self, events: Iterable[EngineEvent], now: float) -> list[TimedCue]:
        """The cues of ``events`` (a preview) not handed over before; they count as handed now."""
        for key in [k for k, at in self._handed.items() if at < now - _REMEMBER_SECONDS]:
            del self._handed[key]
        cues: list[TimedCue] = []
        for event in events:
            key = event_key(event)
            if key in self._handed:
                continue
            self._handed[key] = event.at
            cue = self.cue_for(event)
            if cue is not None:
                cues.append(cue)
        return cues

    def was_handed(self, event: EngineEvent) -> bool:
        """True when ``event``'s cue was handed over ahead (so it must not be played again)."""
        return event_key(event) in self._handed

    def forget_after(self, now: float) -> None:
        """Forget the events due after ``now``: their cues were cancelled. Those due by then
        have started (or been dropped) and stay known, so a command catching up on them
        does not play them twice."""
        for key in [k for k, at in self._handed.items() if at > now]:
            del self._handed[key]
