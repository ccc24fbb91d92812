"""Load and validate routine files and the exercise library into the routine model.

Every problem in a file is collected, with its line, column and field path, before anything is
reported. Routine files are untrusted: reading is done by :mod:`player.core.yamlsafe`, and media
paths may only point inside the routine's own folder or the bundled media folder.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from player.core import bundled, pictures
from player.core.clinical import HEAT_MAX_SECONDS, ICE_MAX_SECONDS, CareThresholds
from player.core.durations import format_duration
from player.core.problems import Problem, warning
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
from player.core.schema import INVALID, LIBRARY, ROUTINE, Context, Struct
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
        return Library({}, tuple(sorted(ctx.problems, key=_position)))
    media = _Media(path.parent, media_dir, ctx)
    exercises = _exercise_defs(values["exercises"], root.value["exercises"], media, "exercises")
    return Library(exercises, tuple(sorted(ctx.problems, key=_position)))


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
        return tuple(problems)
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
        return LoadResult(None, tuple(problems))
    return _routine_from_root(root, problems, path, library, media_dir, today)


def _routine_from_root(root: Node, problems: list[Problem], path: Path, library: Library | None,
                       media_dir: Path, today: dt.date | None) -> LoadResult:
    ctx = Context(problems)
    values = _check_format(root, ROUTINE, ctx)
    if root.kind != MAP:
        return LoadResult(None, tuple(ctx.problems))
    lib = library if library is not None else load_library(media_dir=media_dir)
    _check_references(root, lib, ctx)
    routine = None
    if values is not INVALID:
        routine = _RoutineBuilder(values, root, path, lib, media_dir, ctx).build()
        _review_warning(values, root, today or dt.date.today(), ctx)
    found = tuple(sorted(ctx.problems, key=_position))
    if any(p.is_error for p in found):
        return LoadResult(None, found)
    return LoadResult(routine, found)


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
    known = set(library.exercises)
    own = _child(root, "exercises", MAP)
    if own is not None:
        known.update(k for k in own.value if isinstance(k, str))
        for ex_id, ex_node in own.value.items():
            _check_reference(_child(ex_node, "easier", SCALAR), known, f"exercises.{ex_id}.easier",
                             ctx)
    blocks = _child(root, "blocks", SEQ)
    for b, block in enumerate(blocks.value if blocks is not None else ()):
        steps = _child(block, "steps", SEQ)
        for i, step in enumerate(steps.value if steps is not None else ()):
            _check_reference(_child(step, "exercise", SCALAR), known,
                             f"blocks[{b}].steps[{i}].exercise", ctx)


def _child(node: Node | None, key: str, kind: str) -> Node | None:
    if node is None or node.kind != MAP:
        return None
    child = node.value.get(key)
    return child if child is not None and child.kind == kind else None


def _check_reference(node: Node | None, known: set[str], path: str, ctx: Context) -> None:
    if node is None or not isinstance(node.value, str) or node.value in known:
        return
    match = difflib.get_close_matches(node.value, sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean `{match[0]}`?)" if match else ""
    ctx.fail(node, path, f"no exercise with id {node.value!r} in this file's `exercises` or the "
                         f"bundled library{hint}")


def _kind_name(node: Node) -> str:
    return {"map": "a mapping", "seq": "a list"}.get(node.kind, f"the single value {node.value!r}")


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
        if posix.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
            self.ctx.fail(node, path, f"media path {value!r} must be relative to the routine "
                                      "file (absolute paths are not read)")
            return None
        if ".." in posix.parts:
            self.ctx.fail(node, path, f"media path {value!r} must not leave the routine's folder "
                                      "(`..` is not allowed)")
            return None
        for root in self.roots:
            candidate = root.joinpath(*posix.parts)
            if candidate.is_symlink() or candidate.exists():
                real = candidate.resolve()
                if not any(real.is_relative_to(r) for r in self.roots):
                    self.ctx.fail(node, path, f"media path {value!r} is a link that points "
                                              "outside the routine's folder and the bundled media")
                    return None
                if real.is_file():
                    return real
        self.ctx.problems.append(warning(f"media file {value!r} not found next to the routine or "
                                         f"in the bundled media; {stand_in}",
                                         node.line, node.col, path))
        return None


def _check_picture(picture: Path | None, node: Node, path: str, media: _Media) -> None:
    """Warn at ``node`` when :mod:`player.core.pictures` refuses the picture (the window then
    shows the placeholder, with the reason, in its place)."""
    if picture is not None and (reason := pictures.refusal(picture, media.roots)) is not None:
        media.ctx.problems.append(warning(f"{reason}; the app shows a placeholder instead",
                                          node.line, node.col, path))


def _exercise_defs(values: dict[str, Any], node: Node, media: _Media,
                   path: str) -> dict[str, Exercise]:
    out: dict[str, Exercise] = {}
    for ex_id, v in values.items():
        n = node.value[ex_id]
        sub = f"{path}.{ex_id}"
        illustration = sound = None
        if "illustration" in v:
            illustration = media.resolve(v["illustration"], n.value["illustration"],
                                         f"{sub}.illustration", "a placeholder is shown instead")
            _check_picture(illustration, n.value["illustration"], f"{sub}.illustration", media)
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

    def build(self) -> Routine:
        v = self.values
        blocks = tuple(self._block(b, self.root.value["blocks"].value[i], f"blocks[{i}]")
                       for i, b in enumerate(v["blocks"]))
        schedule = v.get("schedule", {})
        checks = v.get("pain_checks", {})
        return Routine(
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
