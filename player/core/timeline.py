"""The resolved step list of a routine: every set, side, rest and lead-in, with start times.

The timeline is what the session engine plays and what ``routine-player timeline`` prints, so a
physiotherapist checks exactly what the patient will be guided through.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.core.clinical import HEAT_MAX_SECONDS, ICE_MAX_SECONDS
from player.core.durations import format_duration
from player.core.routine import (
    CadenceStep,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    Prescriber,
    RestStep,
    Routine,
    Schedule,
    Sides,
    Tempo,
)
from player.core.step_kinds import StepKind as StepKind  # re-exported
from player.core.stop_signs import StopSign

#: Seconds assumed per repetition of an untimed "done" set, to estimate start times after it.
UNTIMED_REP_ESTIMATE_SECONDS = 4.0


@dataclass(frozen=True)
class TimelineStep:
    """One step the player plays.

    ``duration_seconds`` is None for an untimed repetition set that waits for "Done"; its
    ``planned_seconds`` is then an estimate (reps x UNTIMED_REP_ESTIMATE_SECONDS) used for the
    start times of the steps after it. ``requested_seconds`` is what the file asked for when the
    player capped it (ice, heat).

    ``index`` is the step's position in what is played; ``origin`` is the position of the
    routine step it came from in the routine's own timeline (the same until a session plan,
    :mod:`player.core.plan`, swaps or resumes steps). ``done_before`` is how many seconds of it
    were played before an interruption (its ``duration_seconds`` is then what is left).
    """

    index: int
    block: str
    kind: StepKind
    name: str
    start_seconds: float
    duration_seconds: float | None
    side: str | None = None
    set: int | None = None
    sets: int | None = None
    exercise: Exercise | None = None
    reps: int | None = None
    tempo: Tempo | None = None
    bpm: int | None = None
    requested_seconds: float | None = None
    note: str = ""
    pain_check: bool = False
    """Ask for a pain rating when this step ends: only the last set and side of an exercise
    whose routine step asks for it."""
    mirrored: bool = False
    origin: int = -1
    done_before: float = 0.0
    clinician_notes: str = ""
    """For the clinician only (``timeline``, the report): set on the first step played of a
    routine step that has them. The player and the patient's preview never show it."""
    stop_if: tuple[StopSign, ...] = ()
    """When to stop this exercise (format 1.1), on each of its sets and sides."""
    reps_max: int | None = None
    """With ``reps``, a range of repetitions (format 1.1): an untimed set, ended with Done."""
    hold_range: tuple[float, float] | None = None
    """A range of time (format 1.1: ``10-20m``): an untimed set, ended with Done."""
    load: str = ""
    breathing: str = ""
    """Format 1.1 cues shown during the exercise: the load, and how to breathe."""

    def __post_init__(self) -> None:
        if self.origin < 0:
            object.__setattr__(self, "origin", self.index)

    @property
    def timed(self) -> bool:
        """True when the step ends by itself at its deadline."""
        return self.duration_seconds is not None

    @property
    def planned_seconds(self) -> float:
        """The duration, or the documented estimate for an untimed step."""
        if self.duration_seconds is not None:
            return self.duration_seconds
        if self.hold_range is not None:  # the most of the range, as the size limits count it
            return self.hold_range[1]
        return (self.reps_max or self.reps or 1) * UNTIMED_REP_ESTIMATE_SECONDS

    @property
    def capped(self) -> bool:
        """True when the player shortened what the file asked for."""
        return self.requested_seconds is not None

    @property
    def is_last_set(self) -> bool:
        """True on the last set of a multi-set exercise."""
        return self.sets is not None and self.sets > 1 and self.set == self.sets


@dataclass(frozen=True)
class Timeline:
    """The whole resolved routine."""

    title: str
    steps: tuple[TimelineStep, ...]

    @property
    def total_seconds(self) -> float:
        """Total planned time, untimed steps counted at their estimate."""
        if not self.steps:
            return 0.0
        last = self.steps[-1]
        return last.start_seconds + last.planned_seconds


class _Builder:
    def __init__(self, title: str) -> None:
        self.title = title
        self.steps: list[TimelineStep] = []
        self.clock = 0.0

    def add(self, block: str, kind: StepKind, name: str, duration: float | None, **kw: object) -> None:
        step = TimelineStep(
            index=len(self.steps),
            block=block,
            kind=kind,
            name=name,
            start_seconds=self.clock,
            duration_seconds=duration,
            **kw,  # type: ignore[arg-type]
        )
        self.steps.append(step)
        self.clock += step.planned_seconds


def build_timeline(routine: Routine, week: int = 1) -> Timeline:
    """Resolve ``routine`` into the ordered steps played in ``week`` (1-based)."""
    b = _Builder(routine.title)
    if routine.lead_in > 0:
        first_block = routine.blocks[0].name if routine.blocks else ""
        b.add(first_block, StepKind.LEAD_IN, "Get ready", routine.lead_in)
    for block in routine.blocks:
        for step in block.steps:
            if isinstance(step, ExerciseStep):
                _add_exercise(b, block.name, step.for_week(week))
            elif isinstance(step, RestStep):
                b.add(block.name, StepKind.REST, "Rest", step.seconds, note=step.note,
                      clinician_notes=step.clinician_notes)
            elif isinstance(step, IceStep):
                _add_capped(b, block.name, StepKind.ICE, "Ice", step.seconds, ICE_MAX_SECONDS,
                            step.note, step.clinician_notes)
            elif isinstance(step, HeatStep):
                _add_capped(b, block.name, StepKind.HEAT, "Heat", step.seconds, HEAT_MAX_SECONDS,
                            step.note, step.clinician_notes)
            elif isinstance(step, CadenceStep):
                b.add(
                    block.name,
                    StepKind.CADENCE,
                    step.name,
                    step.seconds,
                    bpm=step.bpm,
                    exercise=step.exercise,
                    note=step.note,
                    clinician_notes=step.clinician_notes,
                )
    return Timeline(routine.title, tuple(b.steps))


def _add_capped(
    b: _Builder, block: str, kind: StepKind, name: str, asked: float, cap: float, note: str,
    clinician_notes: str,
) -> None:
    if asked > cap:
        b.add(block, kind, name, float(cap), requested_seconds=asked, note=note,
              clinician_notes=clinician_notes)
    else:
        b.add(block, kind, name, asked, note=note, clinician_notes=clinician_notes)


def _exercise_seconds(step: ExerciseStep) -> float | None:
    if step.hold_max is not None:
        return None  # a range of time: ended with Done
    if step.hold is not None:
        return step.hold
    if step.reps is not None and step.tempo is not None:
        return step.reps * step.tempo.rep_seconds
    return None  # untimed repetitions: wait for "Done"


def _add_exercise(b: _Builder, block: str, step: ExerciseStep) -> None:
    ex = step.exercise
    sides: list[str | None]
    reps, reps_max = step.reps, step.reps_max
    hold_range = (step.hold, step.hold_max) \
        if step.hold is not None and step.hold_max is not None else None
    if step.sides is Sides.ALTERNATING:  # one set plays the reps of both sides, taking turns
        sides = [Sides.ALTERNATING.value]
        reps = 2 * (step.reps or 1)
        reps_max = 2 * reps_max if reps_max is not None else None
    elif step.sides is Sides.BOTH:
        sides = ["left", "right"]
    elif step.sides in (Sides.LEFT, Sides.RIGHT):
        sides = [step.sides.value]
    else:
        sides = [None]
    duration = _exercise_seconds(step)
    if duration is not None and step.sides is Sides.ALTERNATING:
        duration *= 2
    for set_no in range(1, step.sets + 1):
        for i, side in enumerate(sides):
            if i > 0 and step.switch_time > 0:
                b.add(block, StepKind.SWITCH_SIDES, "Switch sides", step.switch_time, exercise=ex)
            b.add(
                block,
                StepKind.EXERCISE,
                ex.name,
                duration,
                side=side,
                set=set_no,
                sets=step.sets,
                exercise=ex,
                reps=reps,
                reps_max=reps_max,
                hold_range=hold_range,
                tempo=step.tempo,
                note=step.note,
                stop_if=step.stop_if,
                load=step.load,
                breathing=step.breathing_cue,
                clinician_notes=step.clinician_notes if set_no == 1 and i == 0 else "",
                # Asked once per exercise, after its last set and side.
                pain_check=step.pain_check and set_no == step.sets and i == len(sides) - 1,
                mirrored=side == "right",
            )
        if set_no < step.sets and step.rest_between_sets > 0:
            b.add(block, StepKind.REST, "Rest", step.rest_between_sets, exercise=ex)
    if step.rest_after > 0:
        b.add(block, StepKind.REST, "Rest", step.rest_after)


def rep_side(step: TimelineStep, rep: int) -> str | None:
    """The side repetition ``rep`` (1-based) of ``step`` is done on: with alternating sides,
    ``left`` for odd repetitions and ``right`` for even; else the step's side (None: both at
    once)."""
    if step.side == Sides.ALTERNATING.value:
        return "left" if rep % 2 else "right"
    return step.side


#: How the sides of a timeline step are described.
ALTERNATING_SIDES = "left and right in turn"
#: A set of repetitions each held (``reps: 10`` with ``hold: 10s``).
REPS_HELD = "{reps} reps, each held {hold} s"


def describe_step(step: TimelineStep) -> str:
    """One line of detail for a timeline step (sets, reps, side, cap)."""
    bits = []
    if step.sets and step.sets > 1:
        bits.append(f"set {step.set}/{step.sets}")
    if step.side == Sides.ALTERNATING.value:
        bits.append(ALTERNATING_SIDES)
    elif step.side:
        bits.append(f"{step.side} side")
    if step.reps:
        held = step.tempo.hold if step.tempo is not None else 0.0
        if step.tempo is not None and step.tempo.phases() == (("hold", held),):
            bits.append(REPS_HELD.format(reps=step.reps, hold=f"{held:g}"))
        else:
            bits.append(f"{dose_text_of(step)}" + ("" if step.timed else ", press Done"))
    elif step.hold_range is not None:
        bits.append(f"{dose_text_of(step)}, press Done")
    if step.bpm:
        bits.append(f"{step.bpm} beats/min")
    if step.requested_seconds is not None:
        bits.append(f"capped from {format_duration(step.requested_seconds)}")
    return ", ".join(bits)


#: A range of repetitions or time (format 1.1), as the player and ``timeline`` show it.
REPS_RANGE = "{low}-{high} reps"
MINUTES_RANGE = "{low:g}-{high:g} min"
SECONDS_RANGE = "{low:g}-{high:g} s"


def dose_text_of(step: TimelineStep) -> str:
    """``8-12 reps``, ``10 reps``, ``10-20 min`` or ``30-45 s`` for an exercise step; "" for a
    timed hold (its clock says it)."""
    if step.reps:
        if step.reps_max is not None:
            return REPS_RANGE.format(low=step.reps, high=step.reps_max)
        return f"{step.reps} reps"
    if step.hold_range is not None:
        low, high = step.hold_range
        if low % 60 == 0 and high % 60 == 0:
            return MINUTES_RANGE.format(low=low / 60, high=high / 60)
        return SECONDS_RANGE.format(low=low, high=high)
    return ""


# What the clinician's views (``timeline``, the report) and the preview say about a routine.
ONCE_A_WEEK = "Once a week"
TIMES_A_WEEK = "{n} times a week"
TIMES_A_DAY = "{n} times a day"
EVERY_DAY = "every day"
DAYS_A_WEEK = "{n} days a week"
ON_DAYS = "on {days}"
FOR_WEEKS = "for {n} week"
PRESCRIBED_BY = "Prescribed by {who}"


def schedule_text(schedule: Schedule) -> str:
    """``3 times a week for 6 weeks``, ``Mon, Wed, Fri``, ``2 times a day, every day``, or ""."""
    per_day = schedule.sessions_per_day
    days = ", ".join(day.capitalize() for day in schedule.weekdays)
    if per_day > 1:
        how = TIMES_A_DAY.format(n=per_day)
        if days:
            how += " " + ON_DAYS.format(days=days)
        elif schedule.times_per_week == 7:
            how += ", " + EVERY_DAY
        elif schedule.times_per_week:
            how += ", " + DAYS_A_WEEK.format(n=schedule.times_per_week)
    elif days:
        how = days
    elif schedule.times_per_week:
        how = ONCE_A_WEEK if schedule.times_per_week == 1 \
            else TIMES_A_WEEK.format(n=schedule.times_per_week)
    else:
        how = ""
    if schedule.weeks:
        weeks = FOR_WEEKS.format(n=schedule.weeks) + ("s" if schedule.weeks != 1 else "")
        how = f"{how} {weeks}" if how else weeks.capitalize()
    return how


def prescriber_text(prescriber: Prescriber | None) -> str:
    """``Prescribed by A. Physio, Northside Physio, 0161 555 0123``, or "" without one."""
    if prescriber is None:
        return ""
    who = ", ".join(part for part in (prescriber.name, prescriber.clinic, prescriber.phone) if part)
    return PRESCRIBED_BY.format(who=who)
