"""Test doubles shared by the test suite."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from player.audio import AudioOutput, UnavailableCallback


class RecordingOutput(AudioOutput):
    """An :class:`AudioOutput` that plays nothing and records every path it is asked to play.

    ``fail(reason)`` makes it behave like an output that found sound does not work: it reports
    through ``on_unavailable`` (once) and ``available`` becomes False. It keeps recording either
    way, so a test can check what was asked for.
    """

    def __init__(
        self, on_unavailable: UnavailableCallback | None = None, *, available: bool | None = True
    ) -> None:
        super().__init__(on_unavailable)
        self._available = available
        self.played: list[Path] = []
        self.closed = False

    def play(self, path: Path) -> None:
        """Record ``path``."""
        self.played.append(Path(path))

    @property
    def played_names(self) -> list[str]:
        """The played files' names without ``.wav``, e.g. ``["beep", "go"]``."""
        return [path.stem for path in self.played]

    def fail(self, reason: str = "no sound device (simulated)") -> None:
        """Become unavailable and report ``reason`` as a real output would, at most once."""
        self._mark_unavailable(reason)

    def clear(self) -> None:
        """Forget what was played so far."""
        self.played.clear()

    def close(self) -> None:
        """Record that the output was closed."""
        self.closed = True


class FakeClock:
    """A :class:`player.core.engine.Clock` that moves only when a test moves it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start

    def now(self) -> float:
        """The fake monotonic time, in seconds."""
        return self.time

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds``; returns the new time."""
        self.time += seconds
        return self.time

    def set(self, time: float) -> None:
        """Jump to the absolute ``time`` (never backwards: the clock is monotonic)."""
        if time < self.time:
            raise ValueError(f"a monotonic clock cannot go back from {self.time} to {time}")
        self.time = time


class RecordingInhibitor:
    """A :class:`player.ui.controllers.keep_awake.Inhibitor` that records what it was asked.

    ``calls`` lists ``"hold"`` and ``"release"`` in order; ``held`` says whether it is held.
    With ``problem`` set, every hold fails with that reason (as a desktop without a
    screensaver service would).
    """

    def __init__(self, problem: str | None = None) -> None:
        self.problem = problem
        self.calls: list[str] = []
        self.held = False

    def hold(self, reason: str) -> str | None:
        """Record a hold; held unless ``problem`` is set."""
        self.calls.append("hold")
        if self.problem is None:
            self.held = True
        return self.problem

    def release(self) -> None:
        """Record a release."""
        self.calls.append("release")
        self.held = False


class FakeIdleProbe:
    """A :class:`player.ui.controllers.idle_probe.IdleProbe` whose answer the test sets.

    ``idle_for`` is what it says (None: the desktop does not say); ``asked`` counts the
    questions.
    """

    def __init__(self, idle_for: timedelta | None = None) -> None:
        self.idle_for = idle_for
        self.asked = 0

    def idle_time(self) -> timedelta | None:
        """Count the question; answer ``idle_for``."""
        self.asked += 1
        return self.idle_for
