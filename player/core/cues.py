"""What to play for each session event: engine events in, sound file paths out.

Pure mapping (no Qt, no playback). The cue files live under the media folder handed in::

    <media>/cues/tones/<name>.wav              short tones: always played (unless the output is muted)
    <media>/cues/voice/<phrase>.wav            spoken phrases: only when ``spoken`` is on
    <media>/cues/voice/exercises/<id>.wav      spoken names of the bundled library's exercises

An exercise's own ``sound`` file (from its routine) wins over the bundled spoken name; when
neither exists the spoken "go" stands in. Muting is the audio output's job, not this module's.

:meth:`CueMap.sounds_for` returns the files for one event in the order they are meant to be heard
(a tone first, then phrases); an output that starts every file at once should space them out,
e.g. with :func:`sequence_offsets`. Events marked ``stale`` (state caught up after a stall) get no
sound at all, so waking from sleep does not replay a burst of announcements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from player.core.engine import (
    AwaitingDone,
    BarrierConfirmed,
    Beat,
    CountdownSecond,
    EngineEvent,
    Halfway,
    SessionFinished,
    SkinCheckDue,
    StepStarted,
    TempoPhase,
)
from player.core.routine import Exercise
from player.core.timeline import StepKind, Timeline, TimelineStep

TONES = Path("cues", "tones")
VOICE = Path("cues", "voice")
EXERCISE_VOICE = VOICE / "exercises"

#: Tone names, as in ``media/cues/tones/<name>.wav``.
TONE_NAMES = frozenset(
    {
        "get_ready", "beep", "go", "halfway", "switch_sides", "rest",
        "tempo_up", "tempo_hold", "tempo_down", "finished", "metronome",
    }
)  # fmt: skip
#: Phrase names, as in ``media/cues/voice/<name>.wav``.
PHRASE_NAMES = frozenset(
    {
        "get_ready", "go", "switch_sides", "rest", "last_set", "halfway", "finished", "next",
        "ice_on", "heat_on", "check_skin", "done_when_ready", "left_side", "right_side",
    }
)  # fmt: skip

_SIDE_PHRASES = {"left": "left_side", "right": "right_side"}
_PACK_PHRASES = {StepKind.ICE: "ice_on", StepKind.HEAT: "heat_on"}


class CueMap:
    """Maps engine events to the cue files to play, for one session.

    ``media_root`` is the bundled media folder; ``timeline`` (optional) lets the lead-in and
    rests announce the exercise that comes next; ``spoken`` turns the spoken phrases on or off
    (tones stay). ``is_file`` is how the existence of spoken exercise names is checked
    (injectable for tests).
    """

    def __init__(
        self,
        media_root: Path,
        timeline: Timeline | None = None,
        *,
        spoken: bool = True,
        is_file: Callable[[Path], bool] = Path.is_file,
    ) -> None:
        self.media_root = Path(media_root)
        self.timeline = timeline
        self.spoken = spoken
        self._is_file = is_file

    def with_spoken(self, spoken: bool) -> CueMap:
        """The same map with spoken phrases turned on or off."""
        return CueMap(self.media_root, self.timeline, spoken=spoken, is_file=self._is_file)

    def sounds_for(self, event: EngineEvent) -> tuple[Path, ...]:
        """The files to play for ``event``, in order; empty for silent or stale events."""
        if event.stale:
            return ()
        match event:
            case StepStarted(step=step):
                return self._step_started(step)
            case AwaitingDone():
                return self._voice("done_when_ready")
            case BarrierConfirmed():
                return self._tone("go")
            case CountdownSecond():
                return self._tone("beep")
            case Halfway():
                return self._tone("halfway") + self._voice("halfway")
            case TempoPhase(phase=phase):
                return self._tone(f"tempo_{phase}")
            case Beat():
                return self._tone("metronome")
            case SkinCheckDue():
                return self._tone("get_ready") + self._voice("check_skin")
            case SessionFinished(completed=True):
                return self._tone("finished") + self._voice("finished")
        return ()

    def tone(self, name: str) -> Path:
        """The path of tone ``name``."""
        return self.media_root / TONES / f"{name}.wav"

    def phrase(self, name: str) -> Path:
        """The path of spoken phrase ``name``."""
        return self.media_root / VOICE / f"{name}.wav"

    def exercise_name(self, exercise: Exercise) -> Path | None:
        """The spoken name of ``exercise``: its own sound, else the bundled one, else None."""
        candidates = []
        if exercise.sound is not None:
            candidates.append(self.media_root / exercise.sound)  # absolute paths stay as they are
        candidates.append(self.media_root / EXERCISE_VOICE / f"{exercise.id}.wav")
        return next((path for path in candidates if self._is_file(path)), None)

    # --- per step kind ----------------------------------------------------------------------
    def _step_started(self, step: TimelineStep) -> tuple[Path, ...]:
        kind = step.kind
        if kind is StepKind.LEAD_IN:
            return self._tone("get_ready") + self._voice("get_ready") + self._upcoming(step)
        if kind is StepKind.EXERCISE:
            return self._tone("go") + self._exercise_words(step)
        if kind is StepKind.CADENCE:
            return self._tone("go") + self._name_or_go(step)
        if kind is StepKind.REST:
            upcoming = self._upcoming(step)
            announce = self._voice("next") + upcoming if upcoming else ()
            return self._tone("rest") + self._voice("rest") + announce
        if kind is StepKind.SWITCH_SIDES:
            return self._tone("switch_sides") + self._voice("switch_sides")
        if kind in _PACK_PHRASES:
            return self._tone("get_ready") + self._voice(_PACK_PHRASES[kind])
        return ()

    def _exercise_words(self, step: TimelineStep) -> tuple[Path, ...]:
        words = self._voice("last_set") if step.is_last_set else ()
        words += self._name_or_go(step)
        if step.side in _SIDE_PHRASES:
            words += self._voice(_SIDE_PHRASES[step.side])
        return words

    def _name_or_go(self, step: TimelineStep) -> tuple[Path, ...]:
        name = self._spoken_name(step)
        return name if name else self._voice("go")

    def _spoken_name(self, step: TimelineStep) -> tuple[Path, ...]:
        if not self.spoken or step.exercise is None:
            return ()
        path = self.exercise_name(step.exercise)
        return (path,) if path is not None else ()

    def _upcoming(self, step: TimelineStep) -> tuple[Path, ...]:
        """The spoken name of the exercise right after ``step``, when there is one."""
        if self.timeline is None:
            return ()
        following = self.timeline.steps[step.index + 1 : step.index + 2]
        if not following or following[0].kind not in (StepKind.EXERCISE, StepKind.CADENCE):
            return ()
        return self._spoken_name(following[0])

    # --- building blocks --------------------------------------------------------------------
    def _tone(self, name: str) -> tuple[Path, ...]:
        return (self.tone(name),)

    def _voice(self, name: str) -> tuple[Path, ...]:
        return (self.phrase(name),) if self.spoken else ()


def sequence_offsets(
    paths: Iterable[Path], seconds_of: Callable[[Path], float], gap: float = 0.05
) -> tuple[tuple[float, Path], ...]:
    """When to start each of ``paths`` (seconds from now) so they play one after another.

    ``seconds_of`` gives a file's length (e.g. read from its WAV header); ``gap`` separates them.
    """
    offsets: list[tuple[float, Path]] = []
    t = 0.0
    for path in paths:
        offsets.append((t, path))
        t += seconds_of(path) + gap
    return tuple(offsets)
