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

from player.core import bundled, pictures, plausible
from player.core.cadence import ASSUMED_OWN, beats_above
from player.core.clinical import HEAT_MAX_SECONDS, ICE_MAX_SECONDS, CareThresholds
from player.core.durations import DurationError, format_duration, parse_duration
from player.core.limits import MAX_REPORTED_PROBLEMS, MAX_ROUTINE_SECONDS, MAX_TIMELINE_STEPS
from player.core.places import name_places
from player.core.problems import Problem, Severity, code, error, warning
from player.core.routine import (
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    Block,
    CadenceStep,
    DoseRange,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    PainChecks,
    Prescriber,
    Progression,
    RestStep,
    Routine,
    Schedule,
    Sides,
    Step,
    Tempo,
)
from player.core.schema import (
    DEFAULTS,
    INVALID,
    LIBRARY,
    MAX_BLOCKS,
    MAX_STEPS_IN_BLOCK,
    ROUTINE,
    STEP,
    WEEK_PATTERN,
    Context,
    Struct,
    found,
    key_path,
    version_of,
)
from player.core.stop_signs import merged
from player.core.timeline import UNTIMED_REP_ESTIMATE_SECONDS
from player.core.yamlsafe import MAP, SCALAR, SEQ, Node, decode, parse, read_text

#: Migrations of older routine formats: ``MIGRATIONS[n]`` rewrites a format-n tree into format
#: n+1 in place and returns any problems. Format 1 is the first, so there are none yet (1.1
#: only adds fields to 1.0, so a 1.0 file needs none).
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
    root, problems = parse(text, keep_going=True)
    if root is None:
        return Library({}, tuple(problems))
    return _library_from_root(root, problems, path, media_dir)


def _library_from_root(root: Node, problems: list[Problem], path: Path,
                       media_dir: Path) -> Library:
    read = len(problems)
    ctx = Context(problems)
    values = _check_format(root, LIBRARY, ctx)
    media = _Media(path.parent, media_dir, ctx)
    if values is INVALID or any(p.is_error for p in problems[:read]):  # no exercises, as before
        _check_media(root, media, _with_errors(ctx), ctx)
        return Library({}, _named(_after_reading(ctx.problems, read), root, dict))
    exercises = _exercise_defs(values["exercises"], root.value["exercises"], media, "exercises")
    return Library(exercises, _named(ctx.problems, root, dict))


def validate_file(path: Path, library: Library | None = None,
                  media_dir: Path = bundled.MEDIA_DIR,
                  today: dt.date | None = None) -> tuple[Problem, ...]:
    """Every problem in a routine file, or in an exercise library file (one with `exercises`
    but no `title` or `blocks`), so ``validate player/content/routines/*.yaml`` checks both kinds."""
    text, problems = read_text(path)
    if text is None:
        return tuple(problems)
    root, problems = parse(text, keep_going=True)
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
    root, problems = parse(text, keep_going=True)
    if root is None:
        return LoadResult(None, reported(problems))
    return _routine_from_root(root, problems, path, library, media_dir, today)


def _routine_from_root(root: Node, problems: list[Problem], path: Path, library: Library | None,
                       media_dir: Path, today: dt.date | None) -> LoadResult:
    read = len(problems)
    ctx = Context(problems)
    values = _check_format(root, ROUTINE, ctx)
    if root.kind != MAP:
        return LoadResult(None, reported(ctx.problems))
    lib = library if library is not None else load_library(media_dir=media_dir)
    _check_references(root, lib, ctx)
    _check_progression_weeks(root, ctx)
    routine = None
    if values is not INVALID:
        if _check_size(values, root, ctx, warn_long=True):  # before anything is built
            routine = _RoutineBuilder(values, root, path, lib, media_dir, ctx).build()
    else:  # what the builder checks, on whatever is valid, so every problem shows at once
        bad = _with_errors(ctx)
        _check_media(root, _Media(path.parent, media_dir, ctx), bad, ctx)
        _check_caps(root, bad, ctx)
        _check_size_of_valid_steps(root, ctx)
        easier = _child(root, "easier_routine", SCALAR)
        if easier is not None and isinstance(easier.value, str) and "easier_routine" not in bad:
            resolve_easier_routine(easier.value, easier, path, ctx)
    _review_warning(root, today or dt.date.today(), ctx)
    found = _named(_after_reading(ctx.problems, read), root, lambda: _exercise_names(root, lib))
    if any(p.is_error for p in found):
        return LoadResult(None, found)
    return LoadResult(routine, found)


#: Weeks a routine without ``schedule: weeks`` may be shown for (the schema's longest schedule).
MAX_WEEKS = 104
#: A week asked for (``timeline --week N``) that the routine's schedule does not have.
WEEK_OUTSIDE_SCHEDULE = ("week {week} is not in this routine's schedule, which has weeks 1 to "
                         "{weeks}; give a week from 1 to {weeks}")
WEEK_OUT_OF_RANGE = "week {week} does not exist; weeks are counted from 1 to {weeks}"


def week_problem(routine: Routine, week: int) -> str:
    """Why ``week`` cannot be shown for ``routine`` (outside its schedule), or ""."""
    weeks = routine.schedule.weeks
    if weeks is not None and not 1 <= week <= weeks:
        return WEEK_OUTSIDE_SCHEDULE.format(week=week, weeks=weeks)
    if not 1 <= week <= MAX_WEEKS:
        return WEEK_OUT_OF_RANGE.format(week=week, weeks=MAX_WEEKS)
    return ""


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
    version = version_of(fmt) if fmt is not None else None
    if fmt is not None and version is not None:
        major = int(version.split(".")[0])
        if version not in FORMAT_VERSIONS and major >= 1:
            shown_as = version if major == 1 else str(major)
            return ctx.fail(fmt, "format", FORMAT_NEWER.format(version=shown_as,
                                                               newest=FORMAT_VERSION))
        for old in range(major, 1):
            if old not in MIGRATIONS:
                return ctx.fail(fmt, "format", f"format {old} is not a known routine format")
            ctx.problems.extend(MIGRATIONS[old](root))
        ctx.version = version_of(fmt) or FORMAT_VERSION
        ctx.version_written = (fmt.source or str(fmt.value)).strip()
    return struct.check(root, "", ctx)


#: A file in a format newer than the app's.
FORMAT_NEWER = ("this file is written in format {version}, newer than this app reads "
                "({newest}); update the app")


def _position(p: Problem) -> tuple[int, int]:
    return (p.line or 0, p.col or 0)


def _after_reading(problems: list[Problem], read: int) -> list[Problem]:
    """``problems`` without the checks' errors at a place where reading the file (its first
    ``read`` problems: a duplicate key, a date that does not exist) has already said what is
    wrong."""
    places = {_position(p) for p in problems[:read] if p.is_error}
    if not places:
        return problems
    return problems[:read] + [p for p in problems[read:]
                              if not (p.is_error and _position(p) in places)]


def _named(problems: list[Problem], root: Node,
           names: Callable[[], dict[str, str]]) -> tuple[Problem, ...]:
    """The problems to report, each with its place named (:mod:`player.core.places`);
    ``names`` gives the exercise names, asked for only when a problem has a place."""
    found = reported(problems)
    return name_places(found, root, names()) if any(p.path for p in found) else found


def _exercise_names(root: Node, library: Library) -> dict[str, str]:
    """Exercise id to name, the file's own over the library's, for naming steps in places."""
    names = {ex_id: ex.name for ex_id, ex in library.exercises.items()}
    own = _child(root, "exercises", MAP)
    for ex_id, ex_node in own.value.items() if own is not None else ():
        name = _child(ex_node, "name", SCALAR)
        if isinstance(ex_id, str) and name is not None and isinstance(name.value, str):
            names[ex_id] = name.value
    return names


def _with_errors(ctx: Context) -> set[str]:
    """The field paths that already have an error (nothing more is said about them)."""
    return {p.path for p in ctx.problems if p.is_error}


def _step_nodes(root: Node) -> Iterator[tuple[str, Node]]:
    """(field path, node) of every step written in the file, valid or not."""
    blocks = _child(root, "blocks", SEQ)
    for b, block in enumerate(blocks.value if blocks is not None else ()):
        steps = _child(block, "steps", SEQ)
        for i, step in enumerate(steps.value if steps is not None else ()):
            yield f"blocks[{b}].steps[{i}]", step


#: A progression for a week the schedule never reaches.
PROGRESSION_AFTER_SCHEDULE = (
    "the schedule has {weeks} week(s) (`schedule: weeks: {weeks}`), so {week} is never "
    "played; remove it, or make the schedule {n} weeks or longer")


def _check_progression_weeks(root: Node, ctx: Context) -> None:
    """An error at every progression week past the schedule's ``weeks``."""
    weeks = _child(_child(root, "schedule", MAP), "weeks", SCALAR)
    if weeks is None or isinstance(weeks.value, bool) or not isinstance(weeks.value, int) \
            or weeks.value < 1:
        return
    for path, step in _step_nodes(root):
        progression = _child(step, "progression", MAP)
        if progression is None:
            continue
        assert progression.keys is not None
        for key in progression.value:
            if isinstance(key, str) and re.fullmatch(WEEK_PATTERN, key) \
                    and int(key.split()[1]) > weeks.value:
                line, col = progression.keys[key]
                ctx.problems.append(error(PROGRESSION_AFTER_SCHEDULE.format(
                    weeks=weeks.value, week=code(key), n=int(key.split()[1])), line, col,
                    key_path(f"{path}.progression", key)))


def _check_media(root: Node, media: _Media, bad: set[str], ctx: Context) -> None:
    """Media paths of the file's own exercises, where the rest of the file has errors."""
    own = _child(root, "exercises", MAP)
    for ex_id, ex_node in own.value.items() if own is not None else ():
        sub = key_path("exercises", ex_id)
        for name, stand_in in (("illustration", PICTURE_STAND_IN), ("sound", SOUND_STAND_IN)):
            node = _child(ex_node, name, SCALAR)
            field_path = f"{sub}.{name}"
            if node is not None and isinstance(node.value, str) and field_path not in bad:
                found = media.resolve(node.value, node, field_path, stand_in)
                if name == "sound":
                    _check_sound(found, node, field_path, media)


def _check_caps(root: Node, bad: set[str], ctx: Context) -> None:
    """The ice and heat caps, where the rest of the file has errors."""
    for path, step in _step_nodes(root):
        for what in ("ice", "heat"):
            node = _child(step, what, SCALAR)
            field_path = f"{path}.{what}"
            if node is None or field_path in bad:
                continue
            try:
                seconds = parse_duration(node.value)
            except DurationError:
                continue
            _cap_warning(seconds, what, node, field_path, ctx)


def _check_references(root: Node, library: Library, ctx: Context) -> None:
    """Report every reference to an unknown exercise, even where other fields have errors."""
    known = _Known(set(library.exercises))
    own = _child(root, "exercises", MAP)
    if own is not None:
        known.ids.update(k for k in own.value if isinstance(k, str))
        for ex_id, ex_node in own.value.items():
            _check_reference(_child(ex_node, "easier", SCALAR), known,
                             f"{key_path('exercises', ex_id)}.easier", ctx)
    for path, step in _step_nodes(root):
        _check_reference(_child(step, "exercise", SCALAR), known, f"{path}.exercise", ctx)
        weeks = _child(step, "progression", MAP)
        for key, change in weeks.value.items() if weeks is not None else ():
            _check_reference(_child(change, "exercise", SCALAR), known,
                             f"{key_path(f'{path}.progression', key)}.exercise", ctx)


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
    ctx.fail(node, path, f"no exercise with id {code(node.value)} in this file's `exercises` "
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


def _check_size(values: dict[str, Any], root: Node, ctx: Context,
                warn_long: bool = False) -> bool:
    """True when the timeline of every week stays within MAX_TIMELINE_STEPS and
    MAX_ROUTINE_SECONDS; else an error at the step where the worst week passes the limit.
    With ``warn_long``, a session longer than :data:`player.core.plausible.ROUTINE_MAX_SECONDS`
    in its longest week is also warned at the step where it passes that.

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
    if warn_long and worst_seconds[0] > plausible.ROUTINE_MAX_SECONDS:
        week = -worst_seconds[1]
        sizer.fail_at(week, lambda _, sec: sec > plausible.ROUTINE_MAX_SECONDS, root, ctx,
                      plausible.ROUTINE_TOO_LONG.format(
                          time=format_duration(worst_seconds[0]), week=_in_week(week),
                          limit=_minutes(plausible.ROUTINE_MAX_SECONDS)), warn=True)
    return True


#: Stands in, in the size check of a file with errors, for a step that has errors of its own.
_SKIPPED = "skipped"


def _check_size_of_valid_steps(root: Node, ctx: Context) -> None:
    """The session limits (:func:`_check_size`) in a file with errors elsewhere, counting only
    the steps without errors: they alone passing a limit means the file passes it however the
    rest is fixed (no step makes a session shorter). Skipped when the defaults have errors (a
    fixed default may be shorter) or a list is over its own limit (already refused)."""
    scratch = Context(suggestions_left=0)  # its problems are already in ctx
    defaults_node = root.value.get("defaults")
    defaults = DEFAULTS.check(defaults_node, "defaults", scratch) \
        if defaults_node is not None else {}
    blocks = _child(root, "blocks", SEQ)
    if defaults is INVALID or blocks is None or len(blocks.value) > MAX_BLOCKS:
        return
    checked = []
    for block in blocks.value:
        steps = _child(block, "steps", SEQ)
        if steps is not None and len(steps.value) > MAX_STEPS_IN_BLOCK:
            return
        checked.append({"steps": [_valid_step(step, scratch)
                                  for step in (steps.value if steps is not None else ())]})
    _check_size({"blocks": checked, "defaults": defaults}, root, ctx)


def _valid_step(node: Node, scratch: Context) -> tuple[str, dict[str, Any], Node]:
    step = STEP.check(node, "", scratch)
    return (_SKIPPED, {}, node) if step is INVALID else step




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
        if kind == _SKIPPED:
            return [(1, 0, 0.0)]
        if kind == "rest":
            return [(1, 1, v["rest"])]
        if kind == "ice":
            return [(1, 1, min(v["ice"], ICE_MAX_SECONDS))]
        if kind == "heat":
            return [(1, 1, min(v["heat"], HEAT_MAX_SECONDS))]
        if kind == "cadence":
            return [(1, 1, v["duration"])]
        states = [(1, *self._exercise(v))]
        if "progression" not in v:
            return states
        current = dict(v)
        for week, p in sorted((int(k.split()[1]), p) for k, p in v["progression"].items()):
            current.update(p)  # a new hold, reps, sets, tempo or rest (the exercise: no change)
            states.append((week, *self._exercise(current)))
        return states

    def at_week(self, kind: str, v: dict[str, Any], week: int) -> tuple[int, float]:
        """Steps and seconds of one step in ``week``."""
        _, n, sec = [s for s in self.states(kind, v) if s[0] <= week][-1]
        return n, sec

    def _exercise(self, v: dict[str, Any]) -> tuple[int, float]:
        hold, reps, sets = _most(v.get("hold")), _most(v.get("reps")), v.get("sets", 1)
        sides = 2 if v.get("sides") == "both" else 1
        if v.get("sides") == "alternating":  # one set of reps on each side, taking turns
            reps = 2 * (reps or 1)
        switch = v.get("switch_time", self.defaults["switch_time"])
        between = v.get("rest_between_sets", self.defaults["rest_between_sets"])
        after = v.get("rest_after", self.defaults["rest_after"])
        tempo = v.get("tempo")
        if hold is not None and reps is not None:  # each repetition held (1.1)
            per_side = reps * hold
        elif hold is not None:
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
                message: str, warn: bool = False) -> None:
        """Report ``message`` (an error, or a warning when ``warn``) at the first step where the
        running total in ``week`` passes."""
        steps, seconds = self.lead_in()
        where, path = root, ""  # not kept: the same sums passed the limit
        for b, i, kind, v, node in self.steps():
            n, sec = self.at_week(kind, v, week)
            steps, seconds = steps + n, seconds + sec
            if passed(steps, seconds):
                where, path = node, f"blocks[{b}].steps[{i}]"
                break
        if warn:
            ctx.problems.append(warning(message, where.line, where.col, path))
        else:
            ctx.fail(where, path, message)


def _most(value: Any) -> Any:
    """The most of a range (format 1.1), for the size limits; any other value as it is."""
    return value.high if isinstance(value, DoseRange) else value


def _kind_name(node: Node) -> str:
    return {"map": "a mapping", "seq": "a list"}.get(node.kind,
                                                     f"the single value {found(node)}")


def _review_warning(root: Node, today: dt.date, ctx: Context) -> None:
    node = _child(root, "review_by", SCALAR)
    review = node.value if node is not None else None
    if isinstance(review, dt.date) and not isinstance(review, dt.datetime) and review < today:
        assert node is not None
        ctx.problems.append(warning(f"the review date {review.isoformat()} has passed; ask the "
                                    "author (your physiotherapist) to review this routine",
                                    node.line, node.col, "review_by"))


class _Media:
    """Resolves media paths: relative to the routine's folder, else in the bundled media."""

    def __init__(self, base_dir: Path, media_dir: Path, ctx: Context) -> None:
        self.base_dir, self.media_dir, self.ctx = base_dir, media_dir, ctx
        self._roots: list[Path] | None = None

    @property
    def roots(self) -> list[Path]:
        """The routine's folder and the bundled media folder, resolved when first needed (most
        routines name no media of their own, and resolving asks the file system)."""
        if self._roots is None:
            self._roots = [self.base_dir.resolve()]
            bundled_root = self.media_dir.resolve()
            if bundled_root not in self._roots:
                self._roots.append(bundled_root)
        return self._roots

    def resolve(self, value: str, node: Node, path: str, stand_in: str) -> Path | None:
        posix = PurePosixPath(value.replace("\\", "/"))
        shown = code(value)
        if posix.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
            self.ctx.fail(node, path, f"media path {shown} must be relative to the routine file "
                                      "(absolute paths are not read)")
            return None
        if ".." in posix.parts:
            self.ctx.fail(node, path, f"media path {shown} must not leave the routine's folder "
                                      "(`..` is not allowed)")
            return None
        special = False
        roots = self.roots
        for root in roots:
            candidate = root.joinpath(*posix.parts)
            try:
                if not (candidate.is_symlink() or candidate.exists()):
                    continue
                real = candidate.resolve()
                inside = any(real.is_relative_to(r) for r in roots)
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
            special = True
        if special:
            self.ctx.problems.append(warning(MEDIA_NOT_A_FILE.format(value=shown,
                                                                     stand_in=stand_in),
                                             node.line, node.col, path))
            return None
        self.ctx.problems.append(warning(f"media file {shown} not found next to the routine or "
                                         f"in the bundled media; {stand_in}",
                                         node.line, node.col, path))
        return None


#: ``easier_routine`` (format 1.1) problems; {value} as written.
EASIER_ROUTINE_OUTSIDE = ("easier routine {value} must be a file in this routine's folder "
                          "(or a folder inside it), written relative to it{why}")
EASIER_ROUTINE_SELF = "easier routine {value} is this file itself; name another routine file"
EASIER_ROUTINE_MISSING = ("easier routine {value} is not in this routine's folder; \"This hurts\" "
                          "and the preview will not offer it until it is")


def resolve_easier_routine(value: str, node: Node, path: Path, ctx: Context) -> Path | None:
    """The easier routine's file, inside the folder of the routine at ``path``: an error when it
    points outside (absolute, ``~``, ``..``, a link out) or at the file itself, a warning when it
    is not there (the routine still plays)."""
    posix = PurePosixPath(value.replace("\\", "/"))
    shown = code(value)
    if posix.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
        ctx.fail(node, "easier_routine", EASIER_ROUTINE_OUTSIDE.format(
            value=shown, why=" (absolute paths are not read)"))
        return None
    if ".." in posix.parts:
        ctx.fail(node, "easier_routine", EASIER_ROUTINE_OUTSIDE.format(
            value=shown, why=" (`..` is not allowed)"))
        return None
    folder = path.parent.resolve()
    candidate = folder.joinpath(*posix.parts)
    try:
        real = candidate.resolve()
        regular = real.is_file()
    except (OSError, RuntimeError):
        regular, real = False, candidate
    if regular and not real.is_relative_to(folder):
        ctx.fail(node, "easier_routine", EASIER_ROUTINE_OUTSIDE.format(
            value=shown, why=" (it is a link that points outside)"))
        return None
    if not regular:
        ctx.problems.append(warning(EASIER_ROUTINE_MISSING.format(value=shown), node.line,
                                    node.col, "easier_routine"))
        return None
    if real == path.resolve():
        ctx.fail(node, "easier_routine", EASIER_ROUTINE_SELF.format(value=shown))
        return None
    return real


#: What the player does instead of a missing picture or sound.
PICTURE_STAND_IN = "a placeholder is shown instead"
SOUND_STAND_IN = "the spoken name or a tone is played instead"


def _check_picture(picture: Path | None, node: Node, path: str, media: _Media) -> None:
    """Warn at ``node`` when :mod:`player.core.pictures` refuses the picture (the window then
    shows the placeholder, with the reason, in its place)."""
    if picture is not None and (reason := pictures.refusal(picture, media.roots)) is not None:
        media.ctx.problems.append(warning(f"{reason}; the app shows a placeholder instead",
                                          node.line, node.col, path))


#: A sound clip whose header is damaged or whose format not every player plays.
SOUND_REFUSED = "sound clip {value} {reason}; {stand_in}"


def _check_sound(sound: Path | None, node: Node, path: str, media: _Media) -> None:
    """Warn at ``node`` when the clip's WAV header cannot be trusted or it is not a WAV (the
    player then skips it and flashes)."""
    if sound is None:
        return
    from player.core.wavinfo import WavProblem, wav_info

    try:
        wav_info(sound)
    except WavProblem as exc:
        media.ctx.problems.append(warning(
            SOUND_REFUSED.format(value=code(str(node.value)), reason=exc,
                                 stand_in="the screen flashes instead"),
            node.line, node.col, path))


#: A media path the file system cannot look up (too long a name, a loop of links).
MEDIA_UNREADABLE = "media file {value} cannot be looked up ({reason}); {stand_in}"
#: A media path that names a folder, a pipe or a device: never opened (a pipe would block).
MEDIA_NOT_A_FILE = ("media file {value} is not an ordinary file (a folder, a pipe or a device), so "
                    "it is not read; {stand_in}")


def _exercise_defs(values: dict[str, Any], node: Node, media: _Media,
                   path: str) -> dict[str, Exercise]:
    out: dict[str, Exercise] = {}
    for ex_id, v in values.items():
        n = node.value[ex_id]
        sub = key_path(path, ex_id)
        illustration = sound = None
        if "illustration" in v:
            illustration = media.resolve(v["illustration"], n.value["illustration"],
                                         f"{sub}.illustration", PICTURE_STAND_IN)
            _check_picture(illustration, n.value["illustration"], f"{sub}.illustration", media)
        else:
            default = bundled.ILLUSTRATIONS_DIR / f"{ex_id}.svg"
            illustration = default if default.is_file() else None
        if "sound" in v:
            sound = media.resolve(v["sound"], n.value["sound"], f"{sub}.sound", SOUND_STAND_IN)
            _check_sound(sound, n.value["sound"], f"{sub}.sound", media)
        out[ex_id] = Exercise(
            id=ex_id, name=v["name"], instructions=v.get("instructions", ()),
            feel=v.get("feel", ()), cautions=v.get("cautions", ()), illustration=illustration,
            sound=sound, easier=v.get("easier"), sources=v.get("sources", ()),
            stop_if=tuple(v.get("stop_if", ())), breathing=v.get("breathing", ""))
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
                              schedule.get("weeks"), schedule.get("sessions_per_day", 1)),
            lead_in=self.defaults["lead_in"],
            pain_checks=PainChecks(checks.get("before", True), checks.get("after", True),
                                   checks.get("per_exercise", False),
                                   CareThresholds(**checks.get("thresholds", {}))),
            path=self.path, prescriber=_prescriber(v.get("prescriber")),
            clinician_notes=v.get("clinician_notes", ""),
            easier_routine=self._easier_routine(v.get("easier_routine")))
        if self.thermal_nodes:
            self._gap_warnings(routine)
        return routine

    def _gap_warnings(self, routine: Routine) -> None:
        """A warning at each ice or heat step that starts sooner than clinical-notes.md v2
        allows after the last one (the player lengthens the rest before it, or waits; see
        :func:`player.core.thermal.routine_gaps`)."""
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

    def _easier_routine(self, value: str | None) -> Path | None:
        if value is None:
            return None
        return resolve_easier_routine(value, self.root.value["easier_routine"], self.path,
                                      self.ctx)

    def _progression(self, week: int, p: dict[str, Any]) -> Progression:
        return Progression(week, p.get("hold"), p.get("reps"), p.get("sets"),
                           p.get("rest_between_sets"), p.get("rest_after"),
                           _tempo(p["tempo"]) if "tempo" in p else None,
                           self._lookup(p["exercise"]) if "exercise" in p else None,
                           p.get("load"))

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
        note, for_clinician = v.get("note", ""), v.get("clinician_notes", "")
        if kind == "rest":
            return RestStep(v["rest"], note, for_clinician)
        if kind in ("ice", "heat"):
            self.thermal_nodes.append((node, path))
        if kind == "ice":
            _cap_warning(v["ice"], "ice", node.value["ice"], f"{path}.ice", self.ctx)
            return IceStep(v["ice"], note, for_clinician)
        if kind == "heat":
            _cap_warning(v["heat"], "heat", node.value["heat"], f"{path}.heat", self.ctx)
            return HeatStep(v["heat"], note, for_clinician)
        if kind == "cadence":
            ex = self._lookup(v["exercise"]) if "exercise" in v else None
            beats, percent = v["cadence"], None
            if isinstance(beats, dict):  # {above_own_percent: 5} (format 1.1)
                percent = beats["above_own_percent"]
                beats = beats_above(ASSUMED_OWN, percent)
            return CadenceStep(beats, v["duration"], v.get("name", "Cadence drill"), ex, note,
                               for_clinician, percent)
        ex = self._lookup(v["exercise"])
        if ex is None:
            return None
        tempo = v.get("tempo")
        hold_max: float | None = None
        reps_max: int | None = None
        hold: Any = v.get("hold")
        reps: Any = v.get("reps")
        if isinstance(hold, DoseRange):  # 10-20m, played untimed (1.1)
            hold_max = hold.high
            hold = hold.low
        if isinstance(reps, DoseRange):  # 8-12 reps (1.1)
            reps_max = int(reps.high)
            reps = int(reps.low)
        if hold is not None and reps is not None:  # 10 x 10s: each repetition is a hold (1.1)
            tempo, hold = {"hold": hold}, None
        checks = self.values.get("pain_checks", {})
        step = ExerciseStep(
            exercise=ex, hold=hold, reps=reps, reps_max=reps_max, hold_max=hold_max,
            tempo=_tempo(tempo) if tempo else None,
            sets=v.get("sets", 1),
            rest_between_sets=v.get("rest_between_sets", self.defaults["rest_between_sets"]),
            rest_after=v.get("rest_after", self.defaults["rest_after"]),
            sides=Sides(v.get("sides", "none")),
            switch_time=v.get("switch_time", self.defaults["switch_time"]),
            progressions=tuple(self._progression(int(k.split()[1]), p)
                               for k, p in v.get("progression", {}).items()),
            pain_check=v.get("pain_check", checks.get("per_exercise", False)),
            stop_if=merged(ex.stop_if, v["stop_if"]) if "stop_if" in v else ex.stop_if,
            load=v.get("load", ""), breathing=v.get("breathing", ""),
            note=note, clinician_notes=for_clinician)
        _check_dose(step, node, path, self.ctx)
        return step


def _tempo(values: dict[str, float]) -> Tempo:
    return Tempo(values.get("up", 0.0), values.get("hold", 0.0), values.get("down", 0.0),
                 order=tuple(values))


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} minutes"


def _written(node: Node) -> str:
    return (node.source if node.source is not None else str(node.value)).strip()


_MINUTES_ONLY = re.compile(r"(\d+)\s*(?:m|min|mins|minutes?)")


def _minutes_hint(node: Node, limit: float) -> str:
    """`` (did you mean 20s?)`` for ``20m`` when 20 seconds is within ``limit``, else ""."""
    m = _MINUTES_ONLY.fullmatch(_written(node))
    if m and 0 < int(m.group(1)) <= limit:
        return plausible.MINUTES_FOR_SECONDS.format(seconds=m.group(1))
    return ""


#: Holds up to this long are never warned (most are), so their exercise's kind is not looked up.
_SHORTEST_HOLD_LIMIT = min(limit for limit, _ in plausible.HOLD_LIMITS.values())


def _check_dose(step: ExerciseStep, node: Node, path: str, ctx: Context) -> None:
    """Plausibility warnings (:mod:`player.core.plausible`) at a step's hold, its progressions'
    holds, or its reps when one timed set lasts too long."""
    holds: list[tuple[float, Node, str]] = []
    most = step.hold_max if step.hold_max is not None else step.hold
    if most is not None and most > _SHORTEST_HOLD_LIMIT:
        holds.append((most, node.value["hold"], f"{path}.hold"))
    weeks = _child(node, "progression", MAP) if step.progressions else None
    for key, change in weeks.value.items() if weeks is not None else ():
        hold = _child(change, "hold", SCALAR)
        if hold is not None:
            holds.append((parse_duration(hold.value), hold,
                          f"{key_path(f'{path}.progression', key)}.hold"))
    kind_limit = plausible.HOLD_LIMITS.get(plausible.hold_kind(step.exercise)) if holds else None
    for seconds, at, where in holds:
        if seconds > plausible.SET_MAX_SECONDS:
            limit, message = plausible.SET_MAX_SECONDS, plausible.SET_TOO_LONG
        elif kind_limit is not None and seconds > kind_limit[0]:
            limit, message = kind_limit
        else:
            continue
        ctx.problems.append(warning(message.format(
            time=_written(at), limit=_minutes(limit), hint=_minutes_hint(at, limit)),
            at.line, at.col, where))
    if step.reps is not None and step.tempo is not None:
        reps = [(step.reps, node.value["reps"], f"{path}.reps")]
        for key, change in weeks.value.items() if weeks is not None else ():
            more = _child(change, "reps", SCALAR)
            if more is not None:
                reps.append((more.value, more, f"{key_path(f'{path}.progression', key)}.reps"))
        turns = 2 if step.sides is Sides.ALTERNATING else 1  # both sides' reps in one set
        for count, at, where in reps:
            seconds = turns * count * step.tempo.rep_seconds
            if seconds > plausible.SET_MAX_SECONDS:
                ctx.problems.append(warning(plausible.SET_TOO_LONG.format(
                    time=format_duration(seconds), limit=_minutes(plausible.SET_MAX_SECONDS),
                    hint=""), at.line, at.col, where))


def _prescriber(values: dict[str, Any] | None) -> Prescriber | None:
    if values is None:
        return None
    return Prescriber(values["name"], values.get("clinic", ""), values.get("phone", ""))


_CAPS = {"ice": ICE_MAX_SECONDS, "heat": HEAT_MAX_SECONDS}


def _cap_warning(seconds: float, what: str, node: Node, path: str, ctx: Context) -> None:
    """A warning when ice or heat is written longer than the player lets it last."""
    cap = _CAPS[what]
    if seconds > cap:
        ctx.problems.append(warning(
            f"{what} for {format_duration(seconds)} is longer than the {cap // 60}-minute "
            f"safety limit; the player stops it at {cap // 60} minutes", node.line, node.col,
            path))
