"""The routine model: what a validated routine file means, as immutable values.

Objects here are produced only by :mod:`player.core.loader` from a file that passed validation,
so their invariants (positive durations, known exercise ids, media inside allowed folders) hold.
Durations are in seconds (float).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from player.core.clinical import DEFAULT_THRESHOLDS, CareThresholds
from player.core.stop_signs import StopSign

#: The routine format versions this app reads, oldest first; a 1.0 file means the same in 1.1
#: (1.1 only adds fields). A file may write 1.0 as ``format: 1``.
FORMAT_VERSIONS = ("1.0", "1.1")
#: The newest format: what the docs tell a physio to write.
FORMAT_VERSION = FORMAT_VERSIONS[-1]


class Sides(StrEnum):
    """Which side(s) an exercise step is done on."""

    NONE = "none"  # symmetrical exercise
    BOTH = "both"  # left, then switch, then right
    LEFT = "left"
    RIGHT = "right"
    #: Format 1.1: repetitions left, right, left, right ... within each set (``reps`` per side).
    ALTERNATING = "alternating"


@dataclass(frozen=True)
class Tempo:
    """Seconds for each phase of one repetition."""

    up: float
    hold: float
    down: float
    #: The order of the phases in one repetition, as written in the file (a squat goes down
    #: first: ``{down: 2s, hold: 1s, up: 2s}``).
    order: tuple[str, ...] = ("up", "hold", "down")

    @property
    def rep_seconds(self) -> float:
        """Duration of one repetition."""
        return self.up + self.hold + self.down

    def phases(self) -> tuple[tuple[str, float], ...]:
        """The non-zero phases of one repetition, in order, as (name, seconds)."""
        seconds = {"up": self.up, "hold": self.hold, "down": self.down}
        return tuple((name, seconds[name]) for name in self.order if seconds[name] > 0)


@dataclass(frozen=True)
class DoseRange:
    """``8-12`` reps or ``10-20m`` as written in a file (format 1.1): from ``low`` to ``high``."""

    low: float
    high: float


@dataclass(frozen=True)
class Exercise:
    """An exercise definition from the bundled library or a routine's own ``exercises``."""

    id: str
    name: str
    instructions: tuple[str, ...] = ()
    feel: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    illustration: Path | None = None
    sound: Path | None = None
    easier: str | None = None
    sources: tuple[str, ...] = ()
    #: When to stop it wherever it is used (format 1.1); a step may add its own.
    stop_if: tuple[StopSign, ...] = ()
    #: How to breathe during it (format 1.1), unless a step says otherwise.
    breathing: str = ""


@dataclass(frozen=True)
class Progression:
    """From ``from_week`` on, these values replace the step's own."""

    from_week: int
    hold: float | None = None
    reps: int | None = None
    sets: int | None = None
    #: Format 1.1: the rests, the tempo of each repetition, and the exercise itself (the step
    #: then plays it, with the same dose and sides).
    rest_between_sets: float | None = None
    rest_after: float | None = None
    tempo: Tempo | None = None
    exercise: Exercise | None = None
    load: str | None = None


@dataclass(frozen=True)
class ExerciseStep:
    """An exercise done for a hold time or a number of repetitions, in one or more sets."""

    exercise: Exercise
    hold: float | None = None
    reps: int | None = None
    tempo: Tempo | None = None
    sets: int = 1
    rest_between_sets: float = 30.0
    rest_after: float = 0.0
    sides: Sides = Sides.NONE
    switch_time: float = 5.0
    progressions: tuple[Progression, ...] = ()
    pain_check: bool = False
    #: When to stop (format 1.1): the exercise's own signs, then the step's, each once.
    stop_if: tuple[StopSign, ...] = ()
    #: Format 1.1 ranges: ``reps`` (``hold``) is then the least, this the most, and the set is
    #: played untimed, ending with Done, showing the range.
    reps_max: int | None = None
    hold_max: float | None = None
    #: Format 1.1 cues: the load (a band colour, kg, RPE) and the step's own breathing cue
    #: (:attr:`breathing_cue` falls back to the exercise's).
    load: str = ""
    breathing: str = ""
    note: str = ""
    #: For the clinician only (``timeline``, the report, a handout's clinician copy); never
    #: shown to the patient, unlike ``note``.
    clinician_notes: str = ""

    def for_week(self, week: int) -> ExerciseStep:
        """This step with every progression that applies by ``week`` folded in. On a step of
        repetitions, a new ``hold`` is the hold of each repetition (``reps`` with ``hold``)."""
        step = self
        for p in sorted(self.progressions, key=lambda p: p.from_week):
            if week < p.from_week:
                continue
            hold, tempo = step.hold, p.tempo or step.tempo
            if p.hold is not None and self.hold is None and tempo is not None:
                tempo = replace(tempo, hold=p.hold)
            elif p.hold is not None:
                hold = p.hold
            exercise = p.exercise or step.exercise
            step = replace(
                step, hold=hold, tempo=tempo, exercise=exercise,
                reps=p.reps if p.reps is not None else step.reps,
                reps_max=None if p.reps is not None else step.reps_max,  # a number ends a range
                hold_max=None if p.hold is not None else step.hold_max,
                load=step.load if p.load is None else p.load,
                sets=p.sets if p.sets is not None else step.sets,
                rest_between_sets=_either(p.rest_between_sets, step.rest_between_sets),
                rest_after=_either(p.rest_after, step.rest_after),
                stop_if=step.stop_if if exercise is step.exercise
                else tuple(dict.fromkeys((*step.stop_if, *exercise.stop_if))))
        return self if step == self else step

    @property
    def breathing_cue(self) -> str:
        """The step's own breathing cue, else its exercise's (format 1.1), or ""."""
        return self.breathing or self.exercise.breathing


def _either(new: float | None, old: float) -> float:
    return old if new is None else new


@dataclass(frozen=True)
class RestStep:
    """A plain rest."""

    seconds: float
    note: str = ""
    clinician_notes: str = ""


@dataclass(frozen=True)
class IceStep:
    """Cold pack on the lower back; the player caps it (see clinical.ICE_MAX_SECONDS)."""

    seconds: float
    note: str = ""
    clinician_notes: str = ""


@dataclass(frozen=True)
class HeatStep:
    """Heat pack on the lower back; the player caps it (see clinical.HEAT_MAX_SECONDS)."""

    seconds: float
    note: str = ""
    clinician_notes: str = ""


@dataclass(frozen=True)
class CadenceStep:
    """A metronome drill: a beat at ``bpm`` for ``seconds``."""

    bpm: int
    seconds: float
    name: str = "Cadence drill"
    exercise: Exercise | None = None
    note: str = ""
    clinician_notes: str = ""
    above_own_percent: int | None = None
    """Set this much above the runner's own cadence (``bpm`` is then worked out from it, see
    :mod:`player.core.cadence`); None: ``bpm`` as written."""


Step = ExerciseStep | RestStep | IceStep | HeatStep | CadenceStep


@dataclass(frozen=True)
class Block:
    """A named group of steps (warm-up, strength, stretch, recovery)."""

    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Schedule:
    """How often and for how long the routine is prescribed."""

    times_per_week: int | None = None
    weekdays: tuple[str, ...] = ()
    weeks: int | None = None
    #: Sessions on each day the routine is done (McKenzie: 2 a day); 1 unless the file says.
    sessions_per_day: int = 1

    @property
    def sessions_per_week(self) -> int | None:
        """Prescribed days a week, from weekdays when given (each with ``sessions_per_day``)."""
        return len(self.weekdays) if self.weekdays else self.times_per_week


@dataclass(frozen=True)
class Prescriber:
    """Who prescribed the routine, for the patient to call (format 1.1)."""

    name: str
    clinic: str = ""
    #: As written in the file (spaces, ``+44``, an extension): a phone number is text.
    phone: str = ""


@dataclass(frozen=True)
class PainChecks:
    """When to ask for a 0-10 rating, and this patient's care thresholds."""

    before: bool = True
    after: bool = True
    per_exercise: bool = False
    thresholds: CareThresholds = DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class Routine:
    """A validated routine."""

    title: str
    blocks: tuple[Block, ...]
    #: The file's format version, ``"1.0"`` or ``"1.1"`` (see FORMAT_VERSIONS).
    format: str = FORMAT_VERSIONS[0]
    description: str = ""
    author: str = ""
    version: str = ""
    written: dt.date | None = None
    review_by: dt.date | None = None
    language: str = "en"
    audience: str = ""
    sources: tuple[str, ...] = ()
    notes: str = ""
    schedule: Schedule = field(default_factory=Schedule)
    lead_in: float = 5.0
    pain_checks: PainChecks = field(default_factory=PainChecks)
    path: Path | None = None
    #: Who prescribed it (format 1.1), or None.
    prescriber: Prescriber | None = None
    #: Notes for the clinician only (format 1.1): never shown to the patient, unlike ``notes``.
    clinician_notes: str = ""
    #: An easier routine file in the same folder (format 1.1), offered by "This hurts" and the
    #: preview; None when not written, or when the file is not there.
    easier_routine: Path | None = None

    def exercises(self) -> tuple[Exercise, ...]:
        """Every distinct exercise used by the routine, in order of first use."""
        seen: dict[str, Exercise] = {}
        for block in self.blocks:
            for step in block.steps:
                ex = getattr(step, "exercise", None)
                if ex is not None and ex.id not in seen:
                    seen[ex.id] = ex
        return tuple(seen.values())
