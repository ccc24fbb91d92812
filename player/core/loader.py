"""Load and validate routine files and the exercise library into the routine model.

Every problem in a file is collected, with its line, column and field path, before anything is
reported. Routine files are untrusted: reading is done by :mod:`player.core.yamlsafe`, and media
paths may only point inside the routine's own folder or the bundled media folder.

The work is bounded whatever a file says (:mod:`player.core.limits`): the timeline's steps and
length are counted from the checked values, for every week, before a step is built; "did you
mean" suggestions are given for the first few unknown ids only; at most
:data:`~player.core.limits.MAX_REPORTED_PROBLEMS` problems are listed. Every check is linear.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from player.core import bundled
from player.core.clinical import HEAT_MAX_SECONDS, ICE_MAX_SECONDS, CareThresholds
from player.core.durations import format_duration
from player.core.limits import MAX_REPORTED_PROBLEMS, MAX_ROUTINE_SECONDS, MAX_TIMELINE_STEPS
from player.core.problems import Problem, Severity, warning
from player.core.routine import (
    FORMAT_VERSION,
    Block,
    CadenceStep,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    PainChecks,
    Progression,
    RestStep,
    Routine,
    Schedule,
    Sides,
    Step,
    Tempo,
)
from player.core.schema import INVALID, LIBRARY, ROUTINE, Context, Struct, key_path
from player.core.text import quoted
from player.core.timeline import UNTIMED_REP_ESTIMATE_SECONDS
from player.core.yamlsafe import MAP, SCALAR, SEQ, Node, decode, parse, read_text

#: Migrations of older routine formats: ``MIGRATIONS[n]`` rewrites a format-n tree into format
#: n+1 in place and returns any problems. Format 1 is the first, so there are none yet.
MIGRATIONS: dict[int, Callable[[Node], list[Problem]]] = {}

_STEP_DEFAULTS = {"lead_in": 5.0, "rest_between_sets": 30.0, "rest_after": 0.0, "switch_time": 5.0}


@dataclass(frozen=True)
class LoadResult:
    """A routine (None when the file has errors) and every problem found."""

    routine: Routine | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make the file unusable."""
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems the player can live with (e.g. a missing picture)."""
        return tuple(p for p in self.problems if not p.is_error)


@dataclass(frozen=True)
class Library:
    """Exercise definitions by id, and any problems in the library file."""

    exercises: dict[str, Exercise]
    problems: tuple[Problem, ...] = ()


def load_library(path: Path = bundled.LIBRARY_FILE, media_dir: Path = bundled.MEDIA_DIR) -> Library:
    """Load the bundled exercise library (or another library file)."""
    text, problems = read_text(path)
    if text is None:
        return Library({}, tuple(problems))
    root, problems = parse(text)
    if root is None:
        return Library({}, tuple(problems))
    return _library_from_root(root, problems, path, media_dir)


def _library_from_root(root: Node, problems: list[Problem], path: Path,
                       media_dir: Path) -> Library:
    ctx = Context(problems)
    values = _check_format(root, LIBRARY, ctx)
    if values is INVALID:
        return Library({}, reported(ctx.problems))
    media = _Media(path.parent, media_dir, ctx)
    exercises = _exercise_defs(values["exercises"], root.value["exercises"], media, "exercises")
    return Library(exercises, reported(ctx.problems))


def validate_file(path: Path, library: Library | None = None,
                  media_dir: Path = bundled.MEDIA_DIR,
                  today: dt.date | None = None) -> tuple[Problem, ...]:
    """Every problem in a routine file, or in an exercise library file (one with `exercises`
    but no `title` or `blocks`), so ``validate player/content/routines/*.yaml`` checks both kinds."""
    text, problems = read_text(path)
    if text is None:
        return tuple(problems)
    root, problems = parse(text)
    if root is None:
        return reported(problems)
    if root.kind == MAP and "exercises" in root.value and not {"title", "blocks"} & set(
            root.value):
        return _library_from_root(root, problems, path, media_dir).problems
    return _routine_from_root(root, problems, path, library, media_dir, today).problems


def load_routine(path: Path, library: Library | None = None, media_dir: Path = bundled.MEDIA_DIR,
                 today: dt.date | None = None) -> LoadResult:
    """Read, validate and build the routine in ``path``."""
    text, problems = read_text(path)
    if text is None:
        return LoadResult(None, tuple(problems))
    return load_routine_text(text, path, library, media_dir, today)


def load_routine_bytes(data: bytes, path: Path, library: Library | None = None,
                       media_dir: Path = bundled.MEDIA_DIR,
                       today: dt.date | None = None) -> LoadResult:
    """As :func:`load_routine` for content already in memory (``path`` locates its media)."""
    text, problems = decode(data)
    if text is None:
        return LoadResult(None, tuple(problems))
    return load_routine_text(text, path, library, media_dir, today)


def load_routine_text(text: str, path: Path, library: Library | None = None,
                      media_dir: Path = bundled.MEDIA_DIR,
                      today: dt.date | None = None) -> LoadResult:
    """Validate and build a routine from its text; ``path`` is where it lives (for media)."""
    root, problems = parse(text)
    if root is None:
        return LoadResult(None, reported(problems))
    return _routine_from_root(root, problems, path, library, media_dir, today)


def _routine_from_root(root: Node, problems: list[Problem], path: Path, library: Library | None,
                       media_dir: Path, today: dt.date | None) -> LoadResult:
    ctx = Context(problems)
    values = _check_format(root, ROUTINE, ctx)
    if root.kind != MAP:
        return LoadResult(None, reported(ctx.problems))
    lib = library if library is not None else load_library(media_dir=media_dir)
    _check_references(root, lib, ctx)
    routine = None
    if values is not INVALID:
        if _check_size(values, root, ctx):  # before anything is built
            routine = _RoutineBuilder(values, root, path, lib, media_dir, ctx).build()
        _review_warning(values, root, today or dt.date.today(), ctx)
    found = reported(ctx.problems)
    if any(p.is_error for p in found):
        return LoadResult(None, found)
    return LoadResult(routine, found)


#: The last line when a file has more than MAX_REPORTED_PROBLEMS problems.
MORE_PROBLEMS = ("{count:,} more problems are not listed ({errors:,} of them errors); fix the "
                 "ones above and check the file again")


def reported(problems: list[Problem]) -> tuple[Problem, ...]:
    """The problems in file order; past :data:`~player.core.limits.MAX_REPORTED_PROBLEMS`,
    the rest are counted in one last problem at the first one left out."""
    ordered = sorted(problems, key=_position)
    if len(ordered) <= MAX_REPORTED_PROBLEMS:
        return tuple(ordered)
    shown, rest = ordered[:MAX_REPORTED_PROBLEMS], ordered[MAX_REPORTED_PROBLEMS:]
    errors = sum(p.is_error for p in rest)
    summary = Problem(Severity.ERROR if errors else Severity.WARNING,
                      MORE_PROBLEMS.format(count=len(rest), errors=errors),
                      rest[0].line, rest[0].col)
    return (*shown, summary)


def _check_format(root: Node, struct: Struct, ctx: Context) -> Any:
    if root.kind != MAP:
        return ctx.fail(root, "", f"the top level must be a mapping of `key: value` lines "
                                  f"(format, title, blocks ...), not {_kind_name(root)}")
    fmt = root.value.get("format")
    if fmt is not None and fmt.kind == SCALAR and isinstance(fmt.value, int) \
            and not isinstance(fmt.value, bool):
        if fmt.value > FORMAT_VERSION:
            return ctx.fail(fmt, "format", f"this file is written in format {fmt.value}, newer "
                                           f"than this app reads ({FORMAT_VERSION}); update the app")
        for version in range(fmt.value, FORMAT_VERSION):
            if version not in MIGRATIONS:
                return ctx.fail(fmt, "format", f"format {version} is not a known routine format")
            ctx.problems.extend(MIGRATIONS[version](root))
    return struct.check(root, "", ctx)


def _position(p: Problem) -> tuple[int, int]:
    return (p.line or 0, p.col or 0)


def _check_references(root: Node, library: Library, ctx: Context) -> None:
    """Report every reference to an unknown exercise, even where other fields have errors."""
    known = _Known(set(library.exercises))
    own = _child(root, "exercises", MAP)
    if own is not None:
        known.ids.update(k for k in own.value if isinstance(k, str))
        for ex_id, ex_node in own.value.items():
            _check_reference(_child(ex_node, "easier", SCALAR), known,
                             f"{key_path('exercises', ex_id)}.easier", ctx)
    blocks = _child(root, "blocks", SEQ)
    for b, block in enumerate(blocks.value if blocks is not None else ()):
        steps = _child(block, "steps", SEQ)
        for i, step in enumerate(steps.value if steps is not None else ()):
            _check_reference(_child(step, "exercise", SCALAR), known,
                             f"blocks[{b}].steps[{i}].exercise", ctx)


class _Known:
    """The known exercise ids, and the same sorted once for suggestions (only when needed)."""

    def __init__(self, ids: set[str]) -> None:
        self.ids = ids
        self._sorted: list[str] | None = None

    def sorted(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.ids)
        return self._sorted


def _child(node: Node | None, key: str, kind: str) -> Node | None:
    if node is None or node.kind != MAP:
        return None
    child = node.value.get(key)
    return child if child is not None and child.kind == kind else None


def _check_reference(node: Node | None, known: _Known, path: str, ctx: Context) -> None:
    if node is None or not isinstance(node.value, str) or node.value in known.ids:
        return
    hint = ctx.suggest(node.value, known.sorted()) if ctx.suggestions_left > 0 else ""
    ctx.fail(node, path, f"no exercise with id {quoted(node.value)} in this file's `exercises` "
                         f"or the bundled library{hint}")


#: Refusals of a routine whose timeline would be too big; {week} is "" or " in week N".
TOO_MANY_STEPS = (
    "this routine would play {total:,} steps{week}, more than the {limit:,} one session may "
    "have (every set, side, switch of sides and rest is a step); it passes the limit at this "
    "step. Use fewer sets, sides or steps, or split it into several routines")
TOO_LONG = (
    "this routine would take {total}{week}, longer than the {limit} hours one session may last; "
    "it passes the limit at this step. Use shorter or fewer steps, or split it into several "
    "routines")


def _check_size(values: dict[str, Any], root: Node, ctx: Context) -> bool:
    """True when the timeline of every week stays within MAX_TIMELINE_STEPS and
    MAX_ROUTINE_SECONDS; else an error at the step where the worst week passes the limit.

    Counted from the checked values, before any step is built: one pass over the steps and
    their progressions, whatever sets x sides the file asks for (or its aliases repeat).
    """
    sizer = _Sizer(values)
    # The timeline's size in week 1, and how it changes in each week a progression starts.
    steps, seconds = sizer.lead_in()
    step_changes: dict[int, int] = {}
    second_changes: dict[int, float] = {}
    for block in values["blocks"]:
        for kind, v, _ in block["steps"]:
            states = sizer.states(kind, v)
            steps, seconds = steps + states[0][1], seconds + states[0][2]
            for (week, n, sec), (_, n_before, sec_before) in zip(states[1:], states,
                                                                 strict=False):
                step_changes[week] = step_changes.get(week, 0) + n - n_before
                second_changes[week] = second_changes.get(week, 0.0) + sec - sec_before
    worst_steps, worst_seconds = (steps, -1), (seconds, -1)  # (size, -week): earliest on a tie
    for week in sorted(step_changes):
        steps, seconds = steps + step_changes[week], seconds + second_changes[week]
        worst_steps = max(worst_steps, (steps, -week))
        worst_seconds = max(worst_seconds, (seconds, -week))
    if worst_steps[0] > MAX_TIMELINE_STEPS:
        week = -worst_steps[1]
        sizer.fail_at(week, lambda n, _: n > MAX_TIMELINE_STEPS, root, ctx, TOO_MANY_STEPS.format(
            total=worst_steps[0], week=_in_week(week), limit=MAX_TIMELINE_STEPS))
        return False
    if worst_seconds[0] > MAX_ROUTINE_SECONDS:
        week = -worst_seconds[1]
        sizer.fail_at(week, lambda _, sec: sec > MAX_ROUTINE_SECONDS, root, ctx, TOO_LONG.format(
            total=format_duration(worst_seconds[0]), week=_in_week(week),
            limit=MAX_ROUTINE_SECONDS // 3600))
        return False
    return True


def _in_week(week: int) -> str:
    return "" if week == 1 else f" in week {week}"


class _Sizer:
    """How many timeline steps, and seconds, each routine step expands to (as
    :func:`player.core.timeline.build_timeline` expands it), from the checked values."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.defaults = {**_STEP_DEFAULTS, **values.get("defaults", {})}

    def lead_in(self) -> tuple[int, float]:
        lead_in = self.defaults["lead_in"]
        return (1, lead_in) if lead_in > 0 else (0, 0.0)

    def steps(self) -> Iterator[tuple[int, int, str, dict[str, Any], Node]]:
        """(block index, step index, kind, values, node) of every step, in order."""
        for b, block in enumerate(self.values["blocks"]):
            for i, (kind, v, node) in enumerate(block["steps"]):
                yield b, i, kind, v, node

    def states(self, kind: str, v: dict[str, Any]) -> list[tuple[int, int, float]]:
        """(from week, steps, seconds) of the step in week 1 and in each week it changes."""
        if kind == "rest":
            return [(1, 1, v["rest"])]
        if kind == "ice":
            return [(1, 1, min(v["ice"], ICE_MAX_SECONDS))]
        if kind == "heat":
            return [(1, 1, min(v["heat"], HEAT_MAX_SECONDS))]
        if kind == "cadence":
            return [(1, 1, v["duration"])]
        hold, reps, sets = v.get("hold"), v.get("reps"), v.get("sets", 1)
        states = [(1, *self._exercise(v, hold, reps, sets))]
        if "progression" not in v:
            return states
        for week, p in sorted((int(k.split()[1]), p) for k, p in v["progression"].items()):
            hold, reps, sets = p.get("hold", hold), p.get("reps", reps), p.get("sets", sets)
            states.append((week, *self._exercise(v, hold, reps, sets)))
        return states

    def at_week(self, kind: str, v: dict[str, Any], week: int) -> tuple[int, float]:
        """Steps and seconds of one step in ``week``."""
        _, n, sec = [s for s in self.states(kind, v) if s[0] <= week][-1]
        return n, sec

    def _exercise(self, v: dict[str, Any], hold: float | None, reps: int | None,
                  sets: int) -> tuple[int, float]:
        sides = 2 if v.get("sides") == "both" else 1
        switch = v.get("switch_time", self.defaults["switch_time"])
        between = v.get("rest_between_sets", self.defaults["rest_between_sets"])
        after = v.get("rest_after", self.defaults["rest_after"])
        tempo = v.get("tempo")
        if hold is not None:
            per_side = hold
        elif tempo:
            per_side = (reps or 1) * sum(tempo.get(k, 0.0) for k in ("up", "hold", "down"))
        else:
            per_side = (reps or 1) * UNTIMED_REP_ESTIMATE_SECONDS
        switches = sides - 1 if switch > 0 else 0
        rests = sets - 1 if between > 0 else 0
        steps = sets * (sides + switches) + rests + (1 if after > 0 else 0)
        seconds = sets * (sides * per_side + switches * switch) + rests * between + after
        return steps, seconds

    def fail_at(self, week: int, passed: Callable[[int, float], bool], root: Node, ctx: Context,
                message: str) -> None:
        """Report ``message`` at the first step where the running total in ``week`` passes."""
        steps, seconds = self.lead_in()
        for b, i, kind, v, node in self.steps():
            n, sec = self.at_week(kind, v, week)
            steps, seconds = steps + n, seconds + sec
            if passed(steps, seconds):
                ctx.fail(node, f"blocks[{b}].steps[{i}]", message)
                return
        ctx.fail(root, "", message)  # not reached: the same sums passed the limit above


def _kind_name(node: Node) -> str:
    return {"map": "a mapping", "seq": "a list"}.get(node.kind,
                                                     f"the single value {quoted(node.value)}")


def _review_warning(values: dict[str, Any], root: Node, today: dt.date, ctx: Context) -> None:
    review = values.get("review_by")
    if isinstance(review, dt.date) and review < today:
        node = root.value["review_by"]
        ctx.problems.append(warning(f"the review date {review.isoformat()} has passed; ask the "
                                    "author (your physiotherapist) to review this routine",
                                    node.line, node.col, "review_by"))


class _Media:
    """Resolves media paths: relative to the routine's folder, else in the bundled media."""

    def __init__(self, base_dir: Path, media_dir: Path, ctx: Context) -> None:
        self.roots = [base_dir.resolve()]
        bundled_root = media_dir.resolve()
        if bundled_root not in self.roots:
            self.roots.append(bundled_root)
        self.ctx = ctx

    def resolve(self, value: str, node: Node, path: str, stand_in: str) -> Path | None:
        posix = PurePosixPath(value.replace("\\", "/"))
        shown = quoted(value)
        if posix.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
            self.ctx.fail(node, path, f"media path {shown} must be relative to the routine file "
                                      "(absolute paths are not read)")
            return None
        if ".." in posix.parts:
            self.ctx.fail(node, path, f"media path {shown} must not leave the routine's folder "
                                      "(`..` is not allowed)")
            return None
        for root in self.roots:
            candidate = root.joinpath(*posix.parts)
            try:
                if not (candidate.is_symlink() or candidate.exists()):
                    continue
                real = candidate.resolve()
                inside = any(real.is_relative_to(r) for r in self.roots)
                regular = inside and real.is_file()
            except (OSError, RuntimeError) as exc:  # a name too long, a loop of links
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.ctx.problems.append(warning(
                    MEDIA_UNREADABLE.format(value=shown, reason=reason, stand_in=stand_in),
                    node.line, node.col, path))
                return None
            if not inside:
                self.ctx.fail(node, path, f"media path {shown} is a link that points outside "
                                          "the routine's folder and the bundled media")
                return None
            if regular:
                return real
        self.ctx.problems.append(warning(f"media file {shown} not found next to the routine or "
                                         f"in the bundled media; {stand_in}",
                                         node.line, node.col, path))
        return None


#: A media path the file system cannot look up (too long a name, a loop of links).
MEDIA_UNREADABLE = "media file {value} cannot be looked up ({reason}); {stand_in}"


def _exercise_defs(values: dict[str, Any], node: Node, media: _Media,
                   path: str) -> dict[str, Exercise]:
    out: dict[str, Exercise] = {}
    for ex_id, v in values.items():
        n = node.value[ex_id]
        sub = key_path(path, ex_id)
        illustration = sound = None
        if "illustration" in v:
            illustration = media.resolve(v["illustration"], n.value["illustration"],
                                         f"{sub}.illustration", "a placeholder is shown instead")
        else:
            default = bundled.ILLUSTRATIONS_DIR / f"{ex_id}.svg"
            illustration = default if default.is_file() else None
        if "sound" in v:
            sound = media.resolve(v["sound"], n.value["sound"], f"{sub}.sound",
                                  "the spoken name or a tone is played instead")
        out[ex_id] = Exercise(
            id=ex_id, name=v["name"], instructions=v.get("instructions", ()),
            feel=v.get("feel", ()), cautions=v.get("cautions", ()), illustration=illustration,
            sound=sound, easier=v.get("easier"), sources=v.get("sources", ()))
    return out


class _RoutineBuilder:
    """Turns checked values into a Routine, reporting cross-references with their locations."""

    def __init__(self, values: dict[str, Any], root: Node, path: Path, library: Library,
                 media_dir: Path, ctx: Context) -> None:
        self.values, self.root, self.path, self.ctx = values, root, path, ctx
        self.media = _Media(path.parent, media_dir, ctx)
        own = _exercise_defs(values.get("exercises", {}), root.value.get("exercises"),
                             self.media, "exercises") if "exercises" in values else {}
        self.exercises = {**library.exercises, **own}
        self.defaults = {**_STEP_DEFAULTS, **values.get("defaults", {})}
        self.thermal_nodes: list[tuple[Node, str]] = []  # each ice and heat step, in order

    def build(self) -> Routine:
        v = self.values
        blocks = tuple(self._block(b, self.root.value["blocks"].value[i], f"blocks[{i}]")
                       for i, b in enumerate(v["blocks"]))
        schedule = v.get("schedule", {})
        checks = v.get("pain_checks", {})
        routine = Routine(
            title=v["title"], blocks=blocks, format=v["format"],
            description=v.get("description", ""), author=v.get("author", ""),
            version=v.get("version", ""), written=v.get("written"), review_by=v.get("review_by"),
            language=v.get("language", "en"), audience=v.get("audience", ""),
            sources=v.get("sources", ()), notes=v.get("notes", ""),
            schedule=Schedule(schedule.get("times_per_week"), tuple(schedule.get("weekdays", ())),
                              schedule.get("weeks")),
            lead_in=self.defaults["lead_in"],
            pain_checks=PainChecks(checks.get("before", True), checks.get("after", True),
                                   checks.get("per_exercise", False),
                                   CareThresholds(**checks.get("thresholds", {}))),
            path=self.path)
        if self.thermal_nodes:
            self._gap_warnings(routine)
        return routine

    def _gap_warnings(self, routine: Routine) -> None:
        """A warning at each ice or heat step that starts sooner than clinical-notes.md v2
        allows after the last one (the player waits; see :func:`player.core.thermal.routine_gaps`)."""
        from player.core.thermal import (
            PlannedKind,
            PlannedStep,
            ThermalKind,
            gap_warning,
            routine_gaps,
        )
        from player.core.timeline import StepKind, build_timeline

        steps = build_timeline(routine).steps
        kinds: dict[StepKind, PlannedKind] = {StepKind.ICE: "ice", StepKind.HEAT: "heat",
                                              StepKind.REST: "rest"}
        planned = [PlannedStep(kinds.get(s.kind, "other"), s.planned_seconds) for s in steps]
        thermal = [i for i, s in enumerate(steps) if s.kind in (StepKind.ICE, StepKind.HEAT)]
        for fix in routine_gaps(planned):
            ordinal = thermal.index(fix.index)
            if ordinal >= len(self.thermal_nodes):
                continue
            node, path = self.thermal_nodes[ordinal]
            other: ThermalKind = "ice" if fix.reason == "ice_gap" or fix.kind == "heat" else "heat"
            self.ctx.problems.append(warning(gap_warning(fix, other), node.line, node.col, path))

    def _lookup(self, ex_id: str) -> Exercise | None:
        return self.exercises.get(ex_id)  # unknown ids were reported by _check_references

    def _block(self, values: dict[str, Any], node: Node, path: str) -> Block:
        steps: list[Step] = []
        for i, (kind, v, step_node) in enumerate(values["steps"]):
            step = self._step(kind, v, step_node, f"{path}.steps[{i}]")
            if step is not None:
                steps.append(step)
        return Block(values["name"], tuple(steps))

    def _step(self, kind: str, v: dict[str, Any], node: Node, path: str) -> Step | None:
        note = v.get("note", "")
        if kind == "rest":
            return RestStep(v["rest"], note)
        if kind in ("ice", "heat"):
            self.thermal_nodes.append((node, path))
        if kind == "ice":
            self._cap_warning(v["ice"], ICE_MAX_SECONDS, "ice", node, path)
            return IceStep(v["ice"], note)
        if kind == "heat":
            self._cap_warning(v["heat"], HEAT_MAX_SECONDS, "heat", node, path)
            return HeatStep(v["heat"], note)
        if kind == "cadence":
            ex = self._lookup(v["exercise"]) if "exercise" in v else None
            return CadenceStep(v["cadence"], v["duration"], v.get("name", "Cadence drill"), ex, note)
        ex = self._lookup(v["exercise"])
        if ex is None:
            return None
        tempo = v.get("tempo")
        checks = self.values.get("pain_checks", {})
        return ExerciseStep(
            exercise=ex, hold=v.get("hold"), reps=v.get("reps"),
            tempo=Tempo(tempo.get("up", 0.0), tempo.get("hold", 0.0), tempo.get("down", 0.0),
                        order=tuple(tempo)) if tempo else None,
            sets=v.get("sets", 1),
            rest_between_sets=v.get("rest_between_sets", self.defaults["rest_between_sets"]),
            rest_after=v.get("rest_after", self.defaults["rest_after"]),
            sides=Sides(v.get("sides", "none")),
            switch_time=v.get("switch_time", self.defaults["switch_time"]),
            progressions=tuple(Progression(int(k.split()[1]), p.get("hold"), p.get("reps"),
                                           p.get("sets"))
                               for k, p in v.get("progression", {}).items()),
            pain_check=v.get("pain_check", checks.get("per_exercise", False)),
            note=note)

    def _cap_warning(self, seconds: float, cap: int, what: str, node: Node, path: str) -> None:
        if seconds > cap:
            n = node.value[what]
            self.ctx.problems.append(warning(
                f"{what} for {format_duration(seconds)} is longer than the {cap // 60}-minute "
                f"safety limit; the player stops it at {cap // 60} minutes", n.line, n.col,
                f"{path}.{what}"))
