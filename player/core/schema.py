"""The routine format, declared once: it checks files and it exports the JSON Schema.

Each field type knows how to check a located YAML value (collecting every problem with its line,
column and field path) and how to describe itself as JSON Schema, so the published schema in
``player/content/routines/`` and the validator cannot drift apart (a test compares them).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from player.core.clinical import DEFAULT_THRESHOLDS, STRICTER_IS_LOWER
from player.core.durations import (
    DURATION_HELP,
    MAX_DURATION_SECONDS,
    DurationError,
    clock_time_fix,
    parse_duration,
)
from player.core.jsonpatterns import MEDIA_REFUSED, YAML11_BOOLEANS, any_case, duration_pattern
from player.core.limits import (
    MAX_EXERCISES,
    MAX_SUGGESTION_CANDIDATES,
    MAX_SUGGESTION_WORD,
    MAX_SUGGESTIONS,
)
from player.core.problems import Problem, code, error, shown
from player.core.routine import FORMAT_VERSION, FORMAT_VERSIONS, DoseRange
from player.core.stop_signs import KEYED as STOP_KEYED
from player.core.stop_signs import WORDS as STOP_WORDS
from player.core.stop_signs import StopSign
from player.core.text import LINE_BREAKS, has_visible, is_control, shorten
from player.core.yamlsafe import MAP, SCALAR, SEQ, Node


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


#: Returned by a check that failed (its problem is already recorded).
INVALID: Any = _Invalid()


@dataclass
class Context:
    """Collects problems while checking, and how many "did you mean" suggestions are left.

    Suggestions cost a fuzzy comparison with every candidate, so only the first
    :data:`~player.core.limits.MAX_SUGGESTIONS` unknown words of a file get one: checking stays
    linear however many unknown names a file has.
    """

    problems: list[Problem] = field(default_factory=list)
    suggestions_left: int = MAX_SUGGESTIONS
    #: The format version the file says it is written in (the newest until it is known), so
    #: fields newer than that are refused at their key.
    version: str = FORMAT_VERSION
    #: The format as the file writes it (``1`` or ``1.0``), for messages.
    version_written: str = FORMAT_VERSION

    def fail(self, node: Node, path: str, message: str) -> Any:
        self.problems.append(error(message, node.line, node.col, path))
        return INVALID

    def suggest(self, word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
        """`` (did you mean `x`?)`` for the closest of ``choices``, or "" (also when the budget
        of suggestions is spent, or ``word`` is longer than any name could be)."""
        if self.suggestions_left <= 0 or not word or len(word) > MAX_SUGGESTION_WORD:
            return ""
        candidates = choices if isinstance(choices, list) else list(choices)
        if len(candidates) > MAX_SUGGESTION_CANDIDATES:
            return ""
        self.suggestions_left -= 1
        match = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
        return f" (did you mean `{match[0]}`?)" if match else ""


def key_path(path: str, key: object) -> str:
    """The field path of ``key`` under ``path``: a long key is shortened, and one with
    invisible or control characters shows them as escapes (``\\u202e``), as :func:`found` does."""
    name = shorten(str(key))
    if not name.isprintable():
        name = repr(name)[1:-1]
    return f"{path}.{name}" if path else name


def found(node: Node) -> str:
    """How a found value is shown in a message: as the file writes it, in the file's own quotes
    when it has them (``"3"``), never in quotes the app adds."""
    if node.kind == MAP:
        return "a mapping"
    if node.kind == SEQ:
        return "a list"
    v = node.value
    if v is None:
        return "nothing (an empty value)"
    if isinstance(v, str):
        text = shown(v, FOUND_CHARS)
        return f"{node.style}{text}{node.style}" if node.style in _QUOTES else text
    written = shown(node.source, FOUND_CHARS) if node.source is not None else str(v)
    return f"{written} (a yes/no value)" if isinstance(v, bool) else written


_QUOTES = ("'", '"')
#: A value in quotes where the field wants a number, yes/no or date: {found} is as written.
IN_QUOTES = "{found}, which the quotes make text: write {text} without the quotes"
#: A number, yes/no or date where the field wants text: YAML read it as something else.
NEEDS_QUOTES = "{found}; to mean it as text, put it in quotes: \"{text}\""


def _unquote_fix(node: Node, looks_right: Callable[[str], object]) -> str:
    """``found ...`` for a message, saying to drop the quotes when they are the mistake."""
    v = node.value
    if node.kind == SCALAR and isinstance(v, str) and node.style in _QUOTES \
            and looks_right(v.strip()):
        return IN_QUOTES.format(found=found(node), text=shown(v.strip(), FOUND_CHARS))
    return found(node)


#: A number followed by a word (``10x``, ``12 reps``): {number} is what to write.
NUMBER_AND_WORD = "{found}; write only the number: {number}"
#: A date written another way than YYYY-MM-DD.
DATE_OTHER_ORDER = "{found}; write it year first, as YYYY-MM-DD"
DATE_OTHER_MARKS = "{found}; write {fixed}"


def _number_fix(node: Node) -> str:
    """``found ...`` for a whole-number field."""
    v = node.value
    if node.kind == SCALAR and isinstance(v, str) and node.style not in _QUOTES:
        m = _NUMBER_FIRST.match(v)
        if m:
            return NUMBER_AND_WORD.format(found=found(node), number=m.group(1))
    return _unquote_fix(node, _WHOLE_NUMBER.fullmatch)


def _date_fix(node: Node) -> str:
    """``found ...`` for a date field."""
    v = node.value
    if node.kind == SCALAR and isinstance(v, str):
        m = _DATE_MARKS.fullmatch(v.strip())
        if m:
            return DATE_OTHER_MARKS.format(found=found(node), fixed="-".join(m.groups()))
        if _DAY_FIRST.fullmatch(v.strip()):
            return DATE_OTHER_ORDER.format(found=found(node))
    return _unquote_fix(node, _ISO_DATE.fullmatch)


_NUMBER_FIRST = re.compile(r"\s*(\d+)\s*[^\d\s.:,].*")
_DATE_MARKS = re.compile(r"(\d{4})[/.](\d{2})[/.](\d{2})")
_DAY_FIRST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")
_WHOLE_NUMBER = re.compile(r"[-+]?\d+")
_YES_NO = frozenset({"true", "false", "yes", "no", "on", "off"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


#: Longest piece of a found value shown in a message.
FOUND_CHARS = 60
#: How :class:`Text` names the control characters it refuses.
_CONTROL_NAMES = {"\x1b": "escape", "\r": "carriage return", "\n": "line break",
                  "\x07": "bell", "\x08": "backspace", "\x00": "null"}
INVISIBLE_ONLY = ("must not be empty: it has only invisible characters (spaces, zero-width "
                  "spaces or other characters that show nothing)")
CONTROL_CHARACTER = ("contains a control character ({name}) that text cannot show; remove it "
                     "(in quotes, it is written with a backslash, such as \\e or \\r)")
NOT_ONE_LINE = "must be one line; it contains a line break"


_NO_TAB_LF = str.maketrans("", "", "\t\n")


def _control_name(char: str) -> str:
    return _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")


class Type:
    """A field type: checks a Node and describes itself as JSON Schema."""

    description = ""

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def json(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass
class Text(Type):
    """A line or paragraph of text. Numbers are accepted where ``numbers_ok`` (e.g. versions)."""

    max_len: int = 2000
    min_len: int = 0
    pattern: str | None = None
    pattern_help: str = ""
    numbers_ok: bool = False
    #: Titles and names: a line break inside is refused (TAB and LF are allowed elsewhere).
    one_line: bool = False

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        v = node.value
        if node.kind == SCALAR and self.numbers_ok and isinstance(v, int | float) \
                and not isinstance(v, bool):
            v = str(v)
        if node.kind != SCALAR or not isinstance(v, str):
            shown_as = found(node)
            if node.kind == SCALAR and node.source is not None:
                shown_as = NEEDS_QUOTES.format(found=shown_as, text=shown(node.source, FOUND_CHARS))
            return ctx.fail(node, path, f"must be text; found {shown_as}")
        if len(v.strip()) < self.min_len:
            return ctx.fail(node, path, "must not be empty")
        if len(v) > self.max_len:
            return ctx.fail(node, path, f"is {len(v):,} characters long; at most {self.max_len}")
        problem = self._character_problem(v.strip())
        if problem:
            return ctx.fail(node, path, problem)
        if self.min_len and not has_visible(v):
            return ctx.fail(node, path, INVISIBLE_ONLY)
        if self.pattern and not re.fullmatch(self.pattern, v):
            return ctx.fail(node, path, f"must be {self.pattern_help}; found {found(node)}")
        return v.strip()

    def _character_problem(self, v: str) -> str:
        """Why ``v`` cannot be shown as it is (a control character, a break in one line), or ""."""
        if v.isprintable():
            return ""  # the common case, checked in C
        if v.translate(_NO_TAB_LF).isprintable():  # lines of text: also checked in C
            return NOT_ONE_LINE if self.one_line and "\n" in v else ""
        for c in v:
            if is_control(c) and c not in "\t\n":
                return CONTROL_CHARACTER.format(name=_control_name(c))
            if self.one_line and (c == "\n" or c in LINE_BREAKS):
                return NOT_ONE_LINE
        return ""

    def json(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": ["string", "number"] if self.numbers_ok else "string",
                             "maxLength": self.max_len}
        if self.min_len:
            s["minLength"] = self.min_len
        if self.pattern:
            s["pattern"] = "^(?:" + self.pattern + ")$"
            s["patternErrorMessage"] = f"must be {self.pattern_help}"
        else:
            # What _character_problem and the emptiness checks refuse, for editors: control
            # characters (TAB and LF aside), line breaks in one-line text, only spaces.
            refused = r"\x00-\x08\x0b-\x1f\x7f-\x9f" + (r"\n\u2028\u2029" if self.one_line else "")
            visible = r"(?=[\s\S]*\S)" if self.min_len else ""
            s["pattern"] = f"^{visible}[^{refused}]*$"
            s["patternErrorMessage"] = TEXT_PATTERN_HELP[(bool(self.min_len), self.one_line)]
        return s


@dataclass
class Lines(Type):
    """Text lines: a single string or a list of strings."""

    max_items: int = 30
    item: Text = field(default_factory=lambda: Text(max_len=500))

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind == SCALAR and isinstance(node.value, str):
            v = self.item.check(node, path, ctx)
            return INVALID if v is INVALID else (v,)
        if node.kind != SEQ:
            return ctx.fail(node, path, f"must be text or a list of text lines; found {found(node)}")
        if len(node.value) > self.max_items:
            return ctx.fail(node, path, f"has {len(node.value):,} lines; at most {self.max_items}")
        out = [self.item.check(n, f"{path}[{i}]", ctx) for i, n in enumerate(node.value)]
        return INVALID if INVALID in out else tuple(out)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [self.item.json(), {"type": "array", "items": self.item.json(),
                                             "maxItems": self.max_items}]}


#: A whole number written like a clock time (``weeks: 1:30``).
BASE_60_NUMBER = ("must be a whole number from {lo} to {hi}; found {text}, which YAML reads as "
                  "the number {number} (in base 60): write the number you mean")


@dataclass
class Int(Type):
    """A whole number within limits."""

    lo: int
    hi: int
    unit: str = ""

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        v = node.value
        if node.kind == SCALAR and node.source is not None and ":" in node.source:
            # YAML 1.1 read `1:30` as the number 90 (base 60): refuse it as written.
            return ctx.fail(node, path, BASE_60_NUMBER.format(text=node.source.strip(), number=v,
                                                              lo=self.lo, hi=self.hi))
        if node.kind != SCALAR or isinstance(v, bool) or not isinstance(v, int):
            what = _number_fix(node)
            return ctx.fail(node, path, f"must be a whole number from {self.lo} to {self.hi}; "
                                        f"found {what}")
        if not self.lo <= v <= self.hi:
            return ctx.fail(node, path, f"must be from {self.lo} to {self.hi}{self.unit}; found {v}")
        return v

    def json(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.lo, "maximum": self.hi}


class Bool(Type):
    """true or false."""

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != SCALAR or not isinstance(node.value, bool):
            what = _unquote_fix(node, lambda t: t.lower() in _YES_NO)
            return ctx.fail(node, path, f"must be true or false; found {what}")
        return node.value

    def json(self) -> dict[str, Any]:
        # `yes`/`no`/`on`/`off` are booleans to the validator (YAML 1.1), text to an editor.
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": YAML11_BOOLEANS}]}


class Date(Type):
    """A calendar date written YYYY-MM-DD."""

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        v = node.value
        if node.kind == SCALAR and isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return v
        return ctx.fail(node, path, f"must be a date written YYYY-MM-DD; found {_date_fix(node)}")

    def json(self) -> dict[str, Any]:
        return {"type": "string", "format": "date",
                "pattern": r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"}


#: The editor's message for a wrong duration ({help}: DURATION_HELP; {zero}: DURATION_NOT_ZERO
#: where zero is refused).
DURATION_EDITOR_HELP = "must be {help}{zero}, at most {hours} hours"
DURATION_NOT_ZERO = ", more than zero"


@dataclass
class Duration(Type):
    """A duration (see player.core.durations); zero only where ``zero_ok``."""

    zero_ok: bool = False

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != SCALAR:
            return ctx.fail(node, path, f"must be {DURATION_HELP}; found {found(node)}")
        # YAML 1.1 has already read a plain `1:30` as the number 90: refuse it as written.
        written = node.source if node.source is not None else node.value
        clock = clock_time_fix(written) if isinstance(written, str) else ""
        if clock:
            return ctx.fail(node, path, clock)
        try:
            seconds = parse_duration(node.value)
        except DurationError as exc:
            return ctx.fail(node, path, f"{exc}; found {found(node)}")
        if seconds == 0 and not self.zero_ok:
            return ctx.fail(node, path, f"must be longer than zero (write at least 1s); "
                                        f"found {found(node)}")
        return seconds

    def json(self) -> dict[str, Any]:
        # One schema for both types (`maximum` applies to numbers, `pattern` to text), so an
        # editor reports the pattern's message for a wrong text, not "Expected number".
        s: dict[str, Any] = {"type": ["string", "number"], "maximum": MAX_DURATION_SECONDS,
                             "pattern": duration_pattern(self.zero_ok),
                             "patternErrorMessage": DURATION_EDITOR_HELP.format(
                                 help=DURATION_HELP, zero="" if self.zero_ok else DURATION_NOT_ZERO,
                                 hours=MAX_DURATION_SECONDS // 3600),
                             "examples": ["30s"]}
        s["minimum" if self.zero_ok else "exclusiveMinimum"] = 0
        return s


#: Ranges (format 1.1) and their mistakes; {found} as written.
RANGE_NEWER = ("a range ({found}) is new in format {since}, but this file says `format: "
               "{version}`; write `format: {since}` at the top of the file, or give one value")
RANGE_ORDER = "a range goes from the least to the most; write {fix}"
RANGE_SAME = "a range needs two different ends; write one value: {fix}"
#: The editor's message for text that does not look like a range.
RANGE_EDITOR_HELP = "a range is written from the least to the most, e.g. 8-12 or 10-20m"
_RANGE = re.compile(r"\s*([0-9][^-]*?)\s*-\s*([0-9].*?)\s*")
_BARE_NUMBER = re.compile(r"[0-9.]+")
_UNIT_AFTER = re.compile(r"([0-9.]+)\s*([A-Za-z][A-Za-z ]*)")


@dataclass
class RangeOr(Type):
    """One value of ``single`` or, in format 1.1, a range of two written ``8-12`` or ``10-20m``
    (a unit written only at the end applies to both); checked into a
    :class:`~player.core.routine.DoseRange`."""

    single: Int | Duration

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        v = node.value
        m = _RANGE.fullmatch(v) if node.kind == SCALAR and isinstance(v, str) and "-" in v \
            and node.style not in _QUOTES else None
        if m is None:
            return self.single.check(node, path, ctx)
        low_text, high_text = m.group(1), m.group(2)
        # `10-20m`: a unit written only at the end applies to both ends.
        after = _UNIT_AFTER.fullmatch(high_text) if isinstance(self.single, Duration) \
            and _BARE_NUMBER.fullmatch(low_text) else None
        unit = after.group(2) if after else ""
        low = self.single.check(_piece(node, low_text + unit, self.single), path, ctx)
        if low is INVALID:  # (one message: a wrong unit is wrong at both ends)
            return INVALID
        high = self.single.check(_piece(node, high_text, self.single), path, ctx)
        if high is INVALID:
            return INVALID
        if _version_key(ctx.version) < _version_key(V1_1):
            return ctx.fail(node, path, RANGE_NEWER.format(found=found(node), since=V1_1,
                                                           version=ctx.version_written))
        if low == high:
            return ctx.fail(node, path, RANGE_SAME.format(fix=shown(low_text + unit, FOUND_CHARS)))
        if low > high:
            fix = f"{after.group(1)}-{low_text}{unit}" if after else f"{high_text}-{low_text}"
            return ctx.fail(node, path, RANGE_ORDER.format(fix=shown(fix, FOUND_CHARS)))
        return DoseRange(low, high)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [self.single.json(), {"type": "string", "pattern": RANGE_JSON_PATTERN,
                                               "patternErrorMessage": RANGE_EDITOR_HELP}]}


#: For editors: what looks like a range (the ends are checked by ``validate`` alone).
RANGE_JSON_PATTERN = r"^\s*[0-9][^-]*-\s*[0-9][0-9.A-Za-z ]*$"


def _piece(node: Node, text: str, single: Int | Duration) -> Node:
    """One end of a range as a node at the range's place."""
    value: Any = int(text) if isinstance(single, Int) and text.isdigit() else text
    return Node(SCALAR, value, node.line, node.col)


@dataclass
class Enum(Type):
    """One of a fixed set of words."""

    values: tuple[str, ...]

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        v = node.value
        if node.kind == SCALAR and isinstance(v, str) and v in self.values:
            return v
        allowed = ", ".join(self.values)
        hint = ctx.suggest(v, self.values) if isinstance(v, str) else ""
        return ctx.fail(node, path, f"must be one of: {allowed}; found {found(node)}{hint}")

    def json(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


@dataclass
class List(Type):
    """A list of items of one type."""

    item: Type
    min_items: int = 0
    max_items: int = 1000

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != SEQ:
            return ctx.fail(node, path, f"must be a list (lines starting with '- '); "
                                        f"found {found(node)}")
        n = len(node.value)
        if n < self.min_items:
            return ctx.fail(node, path, f"must have at least {self.min_items} item(s); found {n}")
        if n > self.max_items:
            return ctx.fail(node, path, f"has {n:,} items; at most {self.max_items}")
        out = [self.item.check(child, f"{path}[{i}]", ctx) for i, child in enumerate(node.value)]
        return INVALID if any(v is INVALID for v in out) else out

    def json(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "array", "items": self.item.json(), "maxItems": self.max_items}
        if self.min_items:
            s["minItems"] = self.min_items
        return s


@dataclass
class Field:
    """A named field of a Struct."""

    type: Type
    description: str
    required: bool = False
    default: Any = None
    #: The format version that added the field ("" for 1.0); a file in an older format that
    #: writes it gets an error at the field saying which format to write.
    since: str = ""


@dataclass
class Struct(Type):
    """A mapping with known fields; unknown keys are errors with a "did you mean"."""

    name: str
    fields: dict[str, Field]
    description: str = ""
    #: Extra whole-object checks: (values, node, path, ctx). They run even when some fields
    #: have errors (so every problem shows in one pass): ``values`` holds every field written,
    #: an invalid one as :data:`INVALID`, and a rule skips what it cannot judge.
    rules: tuple[Callable[[dict[str, Any], Node, str, Context], None], ...] = ()
    #: JSON Schema keywords expressing ``rules`` for editors, where JSON Schema can say them.
    json_extra: dict[str, Any] = field(default_factory=dict)

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != MAP:
            return ctx.fail(node, path, f"must be a mapping of {self.name} fields "
                                        f"(`key: value` lines); found {found(node)}")
        values: dict[str, Any] = {}
        ok = True
        assert node.keys is not None
        for key, child in node.value.items():
            sub = key_path(path, key)
            spec = self.fields.get(key) if isinstance(key, str) else None
            if spec is None:
                line, col = node.keys[key]
                hint = ctx.suggest(str(key), list(self.fields))
                allowed = ", ".join(self.fields)
                ctx.problems.append(error(f"unknown field {code(key)} in {self.name}{hint} "
                                          f"(allowed: {allowed})", line, col, sub))
                ok = False
                continue
            if spec.since and _version_key(ctx.version) < _version_key(spec.since):
                line, col = node.keys[key]
                ctx.problems.append(error(NEWER_FIELD.format(
                    field=code(key), since=spec.since, version=ctx.version_written), line, col,
                    sub))
                ok = False
            value = spec.type.check(child, sub, ctx)
            ok &= value is not INVALID
            values[key] = value
        for name, spec in self.fields.items():
            if spec.required and name not in node.value:
                ctx.fail(node, path, f"{self.name} is missing the required field `{name}` "
                                     f"({spec.description})")
                ok = False
        for rule in self.rules:
            before = len(ctx.problems)
            rule(values, node, path, ctx)
            ok &= len(ctx.problems) == before
        return values if ok else INVALID

    def json(self) -> dict[str, Any]:
        props = {}
        for name, f in self.fields.items():
            p = dict(f.type.json())
            p["description"] = f.description
            if f.default is not None:
                # An editor inserts the default as written: a duration reads better as "0s".
                duration = isinstance(f.type, Duration) and isinstance(f.default, int | float)
                p["default"] = f"{f.default:g}s" if duration else f.default
            props[name] = p
        s: dict[str, Any] = {"title": self.name.capitalize(), "type": "object",
                             "properties": props, "additionalProperties": False}
        required = [n for n, f in self.fields.items() if f.required]
        if required:
            s["required"] = required
        if self.description:
            s["description"] = self.description
        s.update(self.json_extra)
        return s


#: A field newer than the format the file says it is written in.
NEWER_FIELD = ("{field} is new in format {since}, but this file says `format: {version}`; "
               "write `format: {since}` at the top of the file to use it")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


#: A format version the app does not know.
FORMAT_UNKNOWN = ("must be a routine format version: {versions}; found {found}")


class Version(Type):
    """The ``format`` field: ``1`` (the same as ``1.0``), ``1.0`` or ``1.1``, checked as the
    loader reads it (:func:`player.core.loader._check_format` says when a file is newer)."""

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        version = version_of(node)
        if version in FORMAT_VERSIONS:
            return version
        what = _unquote_fix(node, lambda t: t in FORMAT_VERSIONS or t == "1")
        return ctx.fail(node, path, FORMAT_UNKNOWN.format(versions=", ".join(FORMAT_VERSIONS),
                                                          found=what))

    def json(self) -> dict[str, Any]:
        # 1 and 1.0 are one number to JSON: the enum has each version once.
        return {"type": "number", "enum": [float(v) if v != "1.0" else 1
                                           for v in FORMAT_VERSIONS]}


def version_of(node: Node) -> str | None:
    """``"1.0"`` for ``format: 1`` or ``1.0``, ``"1.1"`` for ``1.1``, ``"2.0"`` for ``2``; None
    for anything that is not a plain number (text, yes/no, a negative or huge number)."""
    v = node.value
    if node.kind != SCALAR or isinstance(v, bool) or not isinstance(v, int | float):
        return None
    written = (node.source or str(v)).strip()
    if isinstance(v, int) and written.isdigit() and len(written) <= 3:
        return f"{v}.0"
    if isinstance(v, float) and re.fullmatch(r"\d{1,3}\.\d{1,3}", written):
        major, minor = written.split(".")
        return f"{int(major)}.{int(minor)}"
    return None


@dataclass
class MapOf(Type):
    """A mapping from ids (matching ``key_pattern``) to values of one type."""

    value: Type
    key_pattern: str
    key_help: str
    max_items: int = 500
    #: What the entries are, for the message when there are more than ``max_items``.
    items_name: str = "entries"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != MAP:
            return ctx.fail(node, path, f"must be a mapping; found {found(node)}")
        if len(node.value) > self.max_items:  # before checking any entry
            return ctx.fail(node, path, f"has {len(node.value):,} {self.items_name}; at most "
                                        f"{self.max_items:,}")
        assert node.keys is not None
        out: dict[str, Any] = {}
        ok = True
        for key, child in node.value.items():
            sub = key_path(path, key)
            if not isinstance(key, str) or not re.fullmatch(self.key_pattern, key):
                line, col = node.keys[key]
                ctx.problems.append(error(f"{code(key)} must be {self.key_help}", line, col,
                                          sub))
                ok = False
                continue
            v = self.value.check(child, sub, ctx)
            ok &= v is not INVALID
            out[key] = v
        return out if ok else INVALID

    def json(self) -> dict[str, Any]:
        return {"type": "object", "maxProperties": self.max_items,
                "patternProperties": {"^(?:" + self.key_pattern + ")$": self.value.json()},
                "additionalProperties": False}


@dataclass
class Variant(Type):
    """A mapping whose kind is told by which one of ``kinds``' keys it has (steps)."""

    name: str
    kinds: dict[str, Struct]

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != MAP:
            return ctx.fail(node, path, f"a {self.name} must be a mapping starting with one of: "
                                        f"{', '.join(self.kinds)}; found {found(node)}")
        present = [k for k in self.kinds if k in node.value]
        # A key that is also a field of another present kind (a cadence step's `exercise`)
        # does not decide the kind.
        present = [k for k in present
                   if not any(k in self.kinds[o].fields for o in present if o != k)]
        if len(present) > 1:
            return ctx.fail(node, path, f"a {self.name} has exactly one of {', '.join(present)}; "
                                        "split it into separate steps")
        if not present:
            keys = [str(k) for k in node.value]
            hint = next((h for k in keys[:_SHOWN_KEYS]
                         if (h := ctx.suggest(k, list(self.kinds), cutoff=0.7))), "")
            return ctx.fail(node, path, f"a {self.name} needs one of: {', '.join(self.kinds)}; "
                                        f"found keys {_some_keys(keys)}{hint}")
        kind = present[0]
        values = self.kinds[kind].check(node, path, ctx)
        return INVALID if values is INVALID else (kind, values, node)

    def json(self) -> dict[str, Any]:
        return {"oneOf": [s.json() for s in self.kinds.values()]}


_SHOWN_KEYS = 5


def _some_keys(keys: list[str]) -> str:
    """The first few keys for a message, each shortened: ``a, b, c and 12 more``."""
    if not keys:
        return "none"
    shown = ", ".join(shorten(k, 40) for k in keys[:_SHOWN_KEYS])
    more = len(keys) - _SHOWN_KEYS
    return f"{shown} and {more:,} more" if more > 0 else shown


# --- The routine format, version 1 ------------------------------------------------------------

ID_PATTERN = r"[a-z][a-z0-9_]{0,63}"
ID_HELP = "an id of lowercase letters, digits and underscores starting with a letter"
WEEK_PATTERN = r"week \d{1,3}"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SIDES = ("none", "both", "left", "right", "alternating")
STEP_KINDS = ("exercise", "rest", "ice", "heat", "cadence")
MEDIA_HELP = ("a file path relative to the routine file, or the path of a bundled medium such as "
              "illustrations/plank.svg")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
SOUND_SUFFIXES = (".wav", ".mp3", ".ogg")
ROUTINE_SUFFIXES = (".yaml", ".yml")

_MEDIA_PATTERN = r"[^\0]{1,300}"


@dataclass
class MediaPath(Text):
    """A media file path; for editors it also refuses what the loader refuses whatever the
    files on disk (absolute paths, ``~``, ``..``)."""

    def json(self) -> dict[str, Any]:
        s = super().json()
        s["pattern"] = f"^(?!{MEDIA_REFUSED})" + s["pattern"][1:]
        return s


def _media(kind: str, suffixes: tuple[str, ...]) -> Text:
    # Letter case spelled out ([Pp][Nn][Gg]) rather than (?i:...): editors run this pattern as
    # an ECMAScript regex, which has no inline flags.
    ends = "|".join(any_case(s) for s in suffixes)
    return MediaPath(max_len=300, pattern=f"{_MEDIA_PATTERN}(?:{ends})",
                     pattern_help=f"a {kind} file ending in {', '.join(suffixes)}")


#: `reps` with `hold` (each repetition held) in a file older than 1.1, or beside a tempo.
HOLD_EACH_REP_NEWER = ("`reps` with `hold` (each repetition held for that time, e.g. 10 x 10s) "
                       "is new in format {since}, but this file says `format: {version}`; write "
                       "`format: {since}` at the top of the file, or give either `hold` or `reps`")
HOLD_EACH_REP_AND_TEMPO = ("with `tempo`, write the hold of each repetition in the tempo "
                           "(`tempo: {{hold: {hold}}}`), not as `hold`")


#: A range where the set must be timed or counted.
RANGE_WITH_TEMPO = ("a range of reps is played as a set you end with Done, so it cannot have a "
                    "`tempo`; give one number of reps, or remove the tempo")
RANGE_HELD_REPS = ("with `reps` and `hold` (each repetition held), give one value of each, not "
                   "a range")


def _ranges_fit(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    """A range (format 1.1) is played untimed: not with a tempo, nor with held repetitions."""
    if isinstance(values.get("reps"), DoseRange):
        at = "reps"
    elif isinstance(values.get("hold"), DoseRange):
        at = "hold"
    else:
        return
    if "reps" in values and "hold" in values:
        ctx.fail(node.value[at], f"{path}.{at}", RANGE_HELD_REPS)
    elif "tempo" in values:
        ctx.fail(node.value[at], f"{path}.{at}", RANGE_WITH_TEMPO)


def _reps_or_hold(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    has_hold, has_reps = "hold" in values, "reps" in values
    if not has_hold and not has_reps:
        ctx.fail(node, path, "an exercise step needs either `hold` (a time, e.g. 30s) or `reps` "
                             "(a number), not neither")
    elif has_hold and has_reps:  # 1.1: each repetition held for `hold`
        assert node.keys is not None
        line, col = node.keys["hold"]
        if _version_key(ctx.version) < _version_key(V1_1):
            ctx.problems.append(error(HOLD_EACH_REP_NEWER.format(
                since=V1_1, version=ctx.version_written), line, col, f"{path}.hold"))
        elif "tempo" in values:
            ctx.problems.append(error(HOLD_EACH_REP_AND_TEMPO.format(
                hold=found(node.value["hold"])), line, col,
                f"{path}.hold"))
    elif "tempo" in values and not has_reps:
        ctx.fail(node, path, "`tempo` times each repetition, so it needs `reps`, not `hold`")


#: Progression problems, each at its own key.
PROGRESSION_WEEK_1 = ("progressions start from week 2 (week 1 is the step itself); change the "
                      "step's own values, or write `week 2` or later")
PROGRESSION_TEMPO_NO_REPS = ("changes `tempo`, but this step is held for a time (`hold`); a "
                             "tempo times each repetition, so it needs a step of `reps`")
PROGRESSION_TEMPO_HELD = ("changes `tempo`, but each repetition of this step is held (`reps` with "
                          "`hold`); change `hold` here instead")
PROGRESSION_OTHER_FIELD = ("changes `{field}`, but this step is done by `{other}`; write "
                           "`{other}` here instead")


def _progression_fits(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    """Each week of a progression starts from week 2 and changes what the step has."""
    weeks = node.value.get("progression")
    if weeks is None or weeks.kind != MAP:
        return
    assert weeks.keys is not None
    for key, change in weeks.value.items():
        if not isinstance(key, str) or not re.fullmatch(WEEK_PATTERN, key):
            continue  # already refused by the mapping's key pattern
        week_path = key_path(f"{path}.progression", key)
        if int(key.split()[1]) < 2:
            line, col = weeks.keys[key]
            ctx.problems.append(error(PROGRESSION_WEEK_1, line, col, week_path))
        if change.kind != MAP:
            continue
        assert change.keys is not None
        for field_name, other in (("hold", "reps"), ("reps", "hold")):
            if field_name in change.value and field_name not in values and other in values:
                line, col = change.keys[field_name]
                ctx.problems.append(error(
                    PROGRESSION_OTHER_FIELD.format(field=field_name, other=other), line, col,
                    f"{week_path}.{field_name}"))
        if "tempo" in change.value and "hold" in values:
            line, col = change.keys["tempo"]
            message = PROGRESSION_TEMPO_HELD if "reps" in values else PROGRESSION_TEMPO_NO_REPS
            ctx.problems.append(error(message, line, col, f"{week_path}.tempo"))


#: `sides: alternating` in a file older than 1.1, or on a held step.
ALTERNATING_NEWER = ("`alternating` sides are new in format {since}, but this file says `format: "
                     "{version}`; write `format: {since}` at the top of the file, or use `both`")
ALTERNATING_NEEDS_REPS = ("`alternating` sides take turns by repetition, so the step needs "
                          "`reps` (per side); for a hold on each side, write `sides: both`")


def _alternating_fits(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    """``sides: alternating`` is 1.1, and needs repetitions."""
    if values.get("sides") != "alternating":
        return
    at = node.value["sides"]
    if _version_key(ctx.version) < _version_key(V1_1):
        ctx.fail(at, f"{path}.sides", ALTERNATING_NEWER.format(since=V1_1,
                                                               version=ctx.version_written))
    elif "reps" not in values and "hold" in values:
        ctx.fail(at, f"{path}.sides", ALTERNATING_NEEDS_REPS)


def _one_way_of_scheduling(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    if "times_per_week" in values and "weekdays" in values:
        ctx.fail(node, path, "give either `times_per_week` or `weekdays`, not both")


def _tempo_nonzero(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    phases = [values.get(k, 0.0) for k in ("up", "hold", "down")]
    if INVALID not in phases and sum(phases) <= 0:
        ctx.fail(node, path, "a tempo needs at least one phase longer than zero")


def _thresholds() -> Struct:
    fields_ = {}
    for name, (lo, meaning) in STRICTER_IS_LOWER.items():
        default = getattr(DEFAULT_THRESHOLDS, name)
        fields_[name] = Field(Int(lo, default, unit=" (a routine may only make it stricter, "
                                                     f"that is lower than the app's {default})"),
                              f"{meaning.capitalize()}; stricter only: {lo} to {default}.",
                              default=default)
    return Struct("thresholds", fields_, "Stricter care thresholds for this patient. Each may "
                  "only be lowered (the banner shows sooner), never raised above the app's cited "
                  "defaults.")


TEMPO = Struct("tempo", {
    "up": Field(Duration(zero_ok=True), "Seconds to lift / move into the position.", default=0),
    "hold": Field(Duration(zero_ok=True), "Seconds to hold at the top.", default=0),
    "down": Field(Duration(zero_ok=True), "Seconds to lower / return.", default=0),
}, "Timing of one repetition; the player counts each rep and cues the phases in the order "
   "written (write `down` first for a squat).",
    rules=(_tempo_nonzero,),
    json_extra={"anyOf": [{"required": [k], "properties": {k: Duration().json()}}
                          for k in ("up", "hold", "down")]})

#: Load and breathing cues (format 1.1): one line the patient reads during the exercise.
MAX_CUE_CHARS = 120
_ONE_LINE_CUE = Text(max_len=MAX_CUE_CHARS, min_len=1, one_line=True)
_LOAD = Field(_ONE_LINE_CUE, "The load (format 1.1), as the patient knows it: a band colour, "
              "kg, or how hard it should feel (e.g. Green band; 2 kg; RPE 6 of 10).", since="1.1")

PROGRESSION = Struct("progression", {
    "hold": Field(Duration(), "New hold time from that week on."),
    "reps": Field(Int(1, 500), "New number of repetitions from that week on."),
    "sets": Field(Int(1, 50), "New number of sets from that week on."),
    "rest_between_sets": Field(Duration(zero_ok=True), "New rest between sets from that week "
                               "on (format 1.1).", since="1.1"),
    "rest_after": Field(Duration(zero_ok=True), "New rest after the last set from that week on "
                        "(format 1.1).", since="1.1"),
    "tempo": Field(TEMPO, "New timing of each repetition from that week on (format 1.1; a step "
                   "of `reps` without `hold`).", since="1.1"),
    "exercise": Field(Text(max_len=64, pattern=ID_PATTERN, pattern_help=ID_HELP),
                      "Id of the exercise played from that week on, with the same dose and "
                      "sides (format 1.1).", since="1.1"),
    "load": Field(_ONE_LINE_CUE, "New load from that week on (format 1.1), e.g. Blue band.",
                  since="1.1"),
}, "Values that replace the step's own from the given week of the schedule.")

#: A ``stop_if`` sign that is neither a known word nor a mapping of one known key.
STOP_SIGN_HELP = ("must be one of: {words}, or a mapping of one key, `pain_above: N` (0 to 9) "
                  "or `other: your own words`")
STOP_SIGN_ONE_KEY = "a stop sign has exactly one key, `pain_above` or `other`; found {keys}"
#: Most signs on one exercise or step.
MAX_STOP_SIGNS = 10


def _one_stop_key(values: dict[str, Any], node: Node, path: str, ctx: Context) -> None:
    if len(node.value) > 1 and all(k in STOP_KEYED for k in node.value):
        ctx.fail(node, path, STOP_SIGN_ONE_KEY.format(keys=", ".join(map(str, node.value))))


STOP_SIGN_KEYED = Struct("stop sign", {
    "pain_above": Field(Int(0, 9, unit=" (a rating out of 10)"),
                        "Stop when the pain is above this rating out of 10."),
    "other": Field(Text(max_len=200, min_len=1, one_line=True),
                   "Your own words for the sign, as the patient reads it "
                   "(e.g. Pain in the front of the knee)."),
}, "A stop sign of your own: `pain_above: N` or `other: text`.", rules=(_one_stop_key,),
    json_extra={"minProperties": 1, "maxProperties": 1})


class StopSignType(Type):
    """One ``stop_if`` sign (format 1.1): a word of :data:`~player.core.stop_signs.WORDS`,
    ``pain_above: N`` or ``other: text``; checked into a :class:`StopSign`."""

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        v = node.value
        if node.kind == SCALAR and isinstance(v, str) and v in STOP_WORDS:
            return StopSign(v)
        if node.kind == MAP:
            values = STOP_SIGN_KEYED.check(node, path, ctx)
            if values is INVALID:
                return INVALID
            if not values:
                return ctx.fail(node, path, STOP_SIGN_HELP.format(words=", ".join(STOP_WORDS))
                                + "; found an empty mapping")
            if "pain_above" in values:
                return StopSign("pain_above", pain_above=values["pain_above"])
            return StopSign("other", text=values["other"])
        hint = ctx.suggest(v, [*STOP_WORDS, *STOP_KEYED]) if isinstance(v, str) else ""
        return ctx.fail(node, path, STOP_SIGN_HELP.format(words=", ".join(STOP_WORDS))
                        + f"; found {found(node)}{hint}")

    def json(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "enum": list(STOP_WORDS)}, STOP_SIGN_KEYED.json()]}


def _stop_if(where: str) -> Field:
    return Field(List(StopSignType(), min_items=1, max_items=MAX_STOP_SIGNS),
                 f"When to stop this exercise (format 1.1), {where}: `spreading` (symptoms "
                 "spreading away from the spine), `numbness` (numbness or tingling), `sharp` "
                 "(a sharp or stabbing pain), `pain_above: N` (a rating above N out of 10) or "
                 "`other: text`. Shown before the exercise and offered in \"This hurts\"; a "
                 "match stops the exercise.", since="1.1")


EXERCISE_DEF = Struct("exercise definition", {
    "name": Field(Text(max_len=80, min_len=1, one_line=True), "Name shown and spoken.",
                  required=True),
    "instructions": Field(Lines(), "Short lines telling how to do it, shown during the step."),
    "feel": Field(Lines(), "What the person should feel (e.g. a stretch in the back of the thigh)."),
    "cautions": Field(Lines(), "When to stop or ease off."),
    "illustration": Field(_media("image", IMAGE_SUFFIXES),
                          "Picture of the pose: " + MEDIA_HELP + ". Mirrored for the other side."),
    "sound": Field(_media("sound", SOUND_SUFFIXES),
                   "Own sound played when the exercise starts (e.g. your recorded voice): "
                   + MEDIA_HELP + "."),
    "easier": Field(Text(max_len=64, pattern=ID_PATTERN, pattern_help=ID_HELP),
                    "Id of an easier variant offered when this exercise hurts."),
    "sources": Field(Lines(), "Where the exercise comes from (guideline, paper, handout)."),
    "stop_if": _stop_if("wherever it is used"),
    "breathing": Field(_ONE_LINE_CUE, "How to breathe during it (format 1.1), e.g. Breathe out "
                       "as you lift; shown during the exercise and on the handout.", since="1.1"),
}, "An exercise: its text, picture and sound.")

_COMMON_NOTE = Field(Text(max_len=500), "A note for the patient, shown during the step.")
#: The newest format's version, for the fields it added.
V1_1 = "1.1"
#: Longest clinician note on one step, and on the whole routine.
MAX_STEP_CLINICIAN_NOTES = 1000
MAX_CLINICIAN_NOTES = 4000
_STEP_CLINICIAN_NOTES = Field(Text(max_len=MAX_STEP_CLINICIAN_NOTES),
                              "For the clinician only (format 1.1): shown by `timeline`, in the "
                              "report and a handout's clinician copy, never to the patient.",
                              since=V1_1)

EXERCISE_STEP = Struct("exercise step", {
    "exercise": Field(Text(max_len=64, pattern=ID_PATTERN, pattern_help=ID_HELP),
                      "Id of the exercise, from the routine's `exercises` or the bundled library.",
                      required=True),
    "hold": Field(RangeOr(Duration()), "Time to hold or do the exercise, per set and side; "
                  "with `reps` (format 1.1), the hold of each repetition (10 x 10s). A range "
                  "(format 1.1: `10-20m`) is played untimed, ending with Done."),
    "reps": Field(RangeOr(Int(1, 500)), "Repetitions per set and side; without `tempo` the "
                  "person presses Done when finished. A range (format 1.1: `8-12`) is played "
                  "that way, showing the range."),
    "tempo": Field(TEMPO, "Timing of each repetition; makes a reps set timed."),
    "sets": Field(Int(1, 50), "Number of sets.", default=1),
    "rest_between_sets": Field(Duration(zero_ok=True), "Rest between sets "
                               "(default: defaults.rest_between_sets)."),
    "rest_after": Field(Duration(zero_ok=True), "Rest after the last set "
                        "(default: defaults.rest_after)."),
    "sides": Field(Enum(SIDES), "none (both sides at once), both (left then right), left, "
                   "right, or alternating (format 1.1: reps left, right, left ... within each "
                   "set; needs reps).", default="none"),
    "switch_time": Field(Duration(zero_ok=True), "Time to switch sides (default: "
                         "defaults.switch_time)."),
    "progression": Field(MapOf(PROGRESSION, WEEK_PATTERN, "written `week N`, e.g. `week 3`",
                               max_items=52, items_name="weeks"),
                         "Changes by week, e.g. `week 3: {hold: 40s}`."),
    "pain_check": Field(Bool(), "Ask for a 0-10 pain rating after this exercise "
                        "(default: pain_checks.per_exercise)."),
    "stop_if": _stop_if("in this step (added to the exercise's own)"),
    "load": _LOAD,
    "breathing": Field(_ONE_LINE_CUE, "How to breathe during it (format 1.1); replaces the "
                       "exercise's own `breathing`.", since="1.1"),
    "note": _COMMON_NOTE,
    "clinician_notes": _STEP_CLINICIAN_NOTES,
}, "An exercise held for a time or done for repetitions.",
    rules=(_reps_or_hold, _progression_fits, _alternating_fits, _ranges_fit),
    json_extra={
        "oneOf": [{"required": ["hold"],
                   "not": {"anyOf": [{"required": ["reps"]}, {"required": ["tempo"]}]}},
                  {"required": ["reps"], "not": {"required": ["hold"]}},
                  # 1.1: each repetition held (the editor allows it under format 1 too).
                  {"required": ["reps", "hold"], "not": {"required": ["tempo"]}}],
        # A progression may change only the dose the step has (flagged at the week's line).
        "allOf": [*({"if": {"required": [dose], "not": {"required": [other]}},
                     "then": {"properties": {"progression": {
                         "additionalProperties": {"properties": {other: False}}}}}}
                    for dose, other in (("hold", "reps"), ("reps", "hold"))),
                  # A range (1.1) is played untimed: not with a tempo, nor held reps.
                  {"if": {"required": ["tempo"]},
                   "then": {"properties": {"reps": {"not": {"type": "string"}}}}},
                  {"if": {"required": ["reps", "hold"]},
                   "then": {"properties": {"reps": {"not": {"type": "string"}}, "hold": {
                       "not": {"type": "string", "pattern": RANGE_JSON_PATTERN}}}}},
                  # A progression's tempo times repetitions that are not held.
                  {"if": {"required": ["hold"]},
                   "then": {"properties": {"progression": {
                       "additionalProperties": {"properties": {"tempo": False}}}}}},
                  # Alternating sides take turns by repetition.
                  {"if": {"required": ["hold"], "not": {"required": ["reps"]}},
                   "then": {"properties": {"sides": {"not": {"const": "alternating"}}}}}]})

REST_STEP = Struct("rest step", {
    "rest": Field(Duration(), "How long to rest.", required=True),
    "note": _COMMON_NOTE,
    "clinician_notes": _STEP_CLINICIAN_NOTES,
}, "A rest.")

ICE_STEP = Struct("ice step", {
    "ice": Field(Duration(), "Ice time; the player caps it at 20 minutes whatever is written.",
                 required=True),
    "note": _COMMON_NOTE,
    "clinician_notes": _STEP_CLINICIAN_NOTES,
}, "A cold pack wrapped in a cloth. The person confirms the barrier before the timer starts.")

HEAT_STEP = Struct("heat step", {
    "heat": Field(Duration(), "Heat time; the player caps it at 30 minutes whatever is "
                  "written.", required=True),
    "note": _COMMON_NOTE,
    "clinician_notes": _STEP_CLINICIAN_NOTES,
}, "A heat pack wrapped in a towel. The person confirms the barrier before the timer starts.")

@dataclass
class Cadence(Type):
    """A cadence step's beats: a number, or (format 1.1) ``{above_own_percent: 5}``."""

    beats: Int
    above_own: Struct

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if node.kind != MAP:
            return self.beats.check(node, path, ctx)
        if _version_key(ctx.version) < _version_key(V1_1):
            return ctx.fail(node, path, OWN_CADENCE_NEWER.format(since=V1_1,
                                                                 version=ctx.version_written))
        return self.above_own.check(node, path, ctx)

    def json(self) -> dict[str, Any]:
        return {"oneOf": [self.beats.json(), self.above_own.json()]}


#: ``cadence: {above_own_percent: ...}`` in a file older than 1.1.
OWN_CADENCE_NEWER = ("a cadence above the runner's own is new in format {since}, but this file "
                     "says `format: {version}`; write `format: {since}` at the top of the file, "
                     "or give the beats a minute as a number")

OWN_CADENCE = Struct("cadence above your own", {
    "above_own_percent": Field(Int(1, 20, unit=" %"), "How far above the runner's own cadence "
                               "to set the beat, in percent (5-10 is usual); kept within "
                               "150-200.", required=True),
}, "The runner's own cadence, asked once, raised by a percentage (format 1.1).")

CADENCE_STEP = Struct("cadence step", {
    "cadence": Field(Cadence(Int(60, 240, unit=" beats per minute"), OWN_CADENCE),
                     "Metronome beats per minute (running cadence: 170-190 is a common rule of "
                     "thumb), or (format 1.1) `{above_own_percent: 5}` for 5 % above the "
                     "runner's own.", required=True),
    "duration": Field(Duration(), "How long the drill lasts.", required=True),
    "name": Field(Text(max_len=80, min_len=1, one_line=True), "Name shown.",
                  default="Cadence drill"),
    "exercise": Field(Text(max_len=64, pattern=ID_PATTERN, pattern_help=ID_HELP),
                      "Exercise whose picture and instructions to show."),
    "note": _COMMON_NOTE,
    "clinician_notes": _STEP_CLINICIAN_NOTES,
}, "A running-form drill with a metronome.")

#: Blocks in a routine, and steps in a block.
MAX_BLOCKS = 100
MAX_STEPS_IN_BLOCK = 500

STEP = Variant("step", {"exercise": EXERCISE_STEP, "rest": REST_STEP, "ice": ICE_STEP,
                        "heat": HEAT_STEP, "cadence": CADENCE_STEP})

BLOCK = Struct("block", {
    "name": Field(Text(max_len=80, min_len=1, one_line=True),
                  "Name of the block (Warm-up, Strength...).",
                  required=True),
    "steps": Field(List(STEP, min_items=1, max_items=MAX_STEPS_IN_BLOCK), "The steps, in order.",
                   required=True),
}, "A named group of steps.")

#: Most sessions a day: every 2 hours through a waking day (McKenzie's "every 2-3 hours").
MAX_SESSIONS_PER_DAY = 12
#: A phone number as people write it: digits, spaces, + ( ) - . /, and an extension.
PHONE_PATTERN = r"\+?[0-9][0-9 ()./-]{2,30}(?: ?(?:ext\.?|x) ?[0-9]{1,6})?"
PHONE_HELP = "a phone number of digits, spaces and + ( ) - . / (an extension as `ext 12`)"

PRESCRIBER = Struct("prescriber", {
    "name": Field(Text(max_len=120, min_len=1, one_line=True),
                  "Who prescribed it, as the patient knows them (e.g. A. Physio, MCSP).",
                  required=True),
    "clinic": Field(Text(max_len=120, one_line=True), "Clinic or practice."),
    "phone": Field(Text(max_len=40, pattern=PHONE_PATTERN, pattern_help=PHONE_HELP),
                   "Phone number for the patient to call, written in quotes (\"0161 555 0123\")."),
}, "Who prescribed the routine (format 1.1): shown in the preview, the report and the care "
   "banners (\"call your physiotherapist ...\").")

SCHEDULE = Struct("schedule", {
    "times_per_week": Field(Int(1, 14), "Sessions a week."),
    "weekdays": Field(List(Enum(WEEKDAYS), min_items=1, max_items=7), "Chosen days "
                      "(mon..sun), instead of times_per_week."),
    "weeks": Field(Int(1, 104), "For how many weeks."),
    "sessions_per_day": Field(Int(1, MAX_SESSIONS_PER_DAY, unit=" sessions a day"),
                              "Sessions on each day it is done, e.g. 2 for twice a day "
                              "(format 1.1).", default=1, since=V1_1),
}, "How often, for how long.", rules=(_one_way_of_scheduling,),
    json_extra={"not": {"required": ["times_per_week", "weekdays"]}})

DEFAULTS = Struct("defaults", {
    "lead_in": Field(Duration(zero_ok=True), "Get-ready time before the first step.",
                     default="5s"),
    "rest_between_sets": Field(Duration(zero_ok=True), "Rest between sets.", default="30s"),
    "rest_after": Field(Duration(zero_ok=True), "Rest after each exercise.", default="0s"),
    "switch_time": Field(Duration(zero_ok=True), "Time to switch sides.", default="5s"),
}, "Defaults for every step of this routine.")

PAIN_CHECKS = Struct("pain_checks", {
    "before": Field(Bool(), "Ask for a 0-10 rating before the session.", default=True),
    "after": Field(Bool(), "Ask for a 0-10 rating after the session.", default=True),
    "per_exercise": Field(Bool(), "Ask after every exercise.", default=False),
    "thresholds": Field(_thresholds(), "Stricter care thresholds for this patient."),
}, "Pain ratings and this patient's care thresholds.")

_EXERCISES = MapOf(EXERCISE_DEF, ID_PATTERN, ID_HELP, max_items=MAX_EXERCISES,
                   items_name="exercises")

ROUTINE = Struct("routine", {
    "format": Field(Version(), f"Format version of this file; write {FORMAT_VERSION} "
                    "(a file that says 1 or 1.0 is read as before).",
                    required=True),
    "title": Field(Text(max_len=120, min_len=1, one_line=True), "Title shown in the library.",
                   required=True),
    "description": Field(Text(max_len=2000), "What the routine is for, a few sentences."),
    "author": Field(Text(max_len=200), "Who wrote it (e.g. the physiotherapist)."),
    "version": Field(Text(max_len=40, numbers_ok=True, one_line=True),
                     "Version of this routine, e.g. 1.2."),
    "written": Field(Date(), "Date written, YYYY-MM-DD."),
    "review_by": Field(Date(), "Date by which a clinician should review it, YYYY-MM-DD."),
    "language": Field(Text(max_len=35, pattern=r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*",
                           pattern_help="a language tag such as en or en-GB"),
                      "Language of the text.", default="en"),
    "audience": Field(Text(max_len=300), "Who it is written for."),
    "sources": Field(Lines(max_items=50), "Where the content comes from: guidelines, papers."),
    "notes": Field(Text(max_len=4000), "Notes for the patient, shown in the preview."),
    "clinician_notes": Field(Text(max_len=MAX_CLINICIAN_NOTES), "Notes for the clinician only "
                             "(format 1.1): shown by `timeline`, in the report and a handout's "
                             "clinician copy, never to the patient.", since=V1_1),
    "prescriber": Field(PRESCRIBER, "Who prescribed it (format 1.1).", since=V1_1),
    "easier_routine": Field(_media("routine", ROUTINE_SUFFIXES),
                            "An easier routine for a bad day (format 1.1): a routine file in "
                            "this file's folder, e.g. flare-up-day.yaml, offered by \"This "
                            "hurts\" and the preview.", since=V1_1),
    "schedule": Field(SCHEDULE, "How often and for how long."),
    "defaults": Field(DEFAULTS, "Defaults for every step."),
    "pain_checks": Field(PAIN_CHECKS, "Pain ratings and stricter care thresholds."),
    "exercises": Field(_EXERCISES, "Exercises defined in this file (by id); they add to, or "
                       "replace, the bundled library's."),
    "blocks": Field(List(BLOCK, min_items=1, max_items=MAX_BLOCKS),
                    "The routine's blocks, in order.",
                    required=True),
}, "An exercise routine for the routine player.")

LIBRARY = Struct("exercise library", {
    "format": Field(Version(), f"Format version; write {FORMAT_VERSION}.", required=True),
    "exercises": Field(_EXERCISES, "Exercises by id.", required=True),
}, "A library of exercise definitions that routines refer to by id.")

SCHEMA_ID = "https://routine-player.invalid/schema/routine-v1.json"


#: The editor's message for a text that Text refuses (see Text.json), by (not empty, one line).
TEXT_PATTERN_HELP = {
    (False, False): "must be text without control characters",
    (False, True): "must be one line of text without control characters",
    (True, False): "must not be empty, and must have no control characters",
    (True, True): "must be one line of text, not empty, without control characters",
}
#: Fields that name an exercise by id: editors offer the bundled ids there.
EXERCISE_REFERENCES = ("exercise", "easier")  # also a progression's `exercise`
#: Values an editor inserts for a field with no default, instead of its guess (`0`, which is
#: invalid for every one of these).
JSON_EXAMPLES: dict[str, Any] = {
    "format": float(FORMAT_VERSION), "reps": 10, "sets": 2, "cadence": 180, "times_per_week": 3,
    "weeks": 4, "hold": "30s", "rest": "30s", "ice": "10m", "heat": "15m", "duration": "2m",
}
#: What an editor inserts for a new step of each kind ($1, $2: the places to type next).
STEP_SNIPPETS: dict[str, dict[str, Any]] = {
    "exercise": {"label": "exercise held for a time", "body": {"exercise": "$1", "hold": "30s"}},
    "rest": {"label": "rest", "body": {"rest": "30s"}},
    "ice": {"label": "ice", "body": {"ice": "10m"}},
    "heat": {"label": "heat", "body": {"heat": "15m"}},
    "cadence": {"label": "cadence drill", "body": {"cadence": 180, "duration": "2m"}},
}
#: What an editor inserts for an object field whose parts all default to zero (a tempo of
#: zeros is refused).
PROPERTY_SNIPPETS: dict[str, dict[str, Any]] = {
    "tempo": {"label": "tempo", "body": {"up": "2s", "down": "2s"}},
}
#: `week N` from week 2 on (week 1 is the step itself), for the progression keys.
_PROGRESSION_WEEK = r"^(?:week (?:0{0,2}[2-9]|0?[1-9][0-9]|[1-9][0-9]{2}))$"
_EXERCISE_REPS_SNIPPET = {"label": "exercise done for repetitions",
                          "body": {"exercise": "$1", "reps": 10, "sets": 2}}


def json_schema(struct: Struct = ROUTINE, schema_id: str = SCHEMA_ID,
                exercise_ids: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON Schema (draft-07, as the YAML language server expects) for ``struct``.

    ``exercise_ids`` (the bundled library's) are offered for completion wherever a field names
    an exercise; a file's own ids are still accepted there by the id pattern.
    """
    doc: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": schema_id,
                           **struct.json()}
    _older_format_refuses_newer_fields(doc, struct)
    _for_editors(doc, sorted(set(exercise_ids)))
    return doc


def _older_format_refuses_newer_fields(doc: dict[str, Any], struct: Struct) -> None:
    """For editors: a file that says ``format: 1`` may not have the fields 1.1 added, nor
    ``reps`` with ``hold`` (each flagged at its own key, as ``validate`` does)."""
    if struct is not ROUTINE:
        return
    doc["if"] = {"properties": {"format": {"const": 1}}, "required": ["format"]}
    step = {"properties": {**{name: False for name in _newer_fields(EXERCISE_STEP)},
                           "sides": {"not": {"const": "alternating"}},
                           "reps": {"not": {"type": "string"}},  # a range (1.1)
                           "hold": {"not": {"type": "string", "pattern": RANGE_JSON_PATTERN}},
                           "cadence": {"not": {"type": "object"}},
                           "progression": {"additionalProperties": {"properties": {
                               name: False for name in _newer_fields(PROGRESSION)}}}},
            "if": {"required": ["reps"]}, "then": {"properties": {"hold": False}}}
    doc["then"] = {"properties": {
        **{name: False for name in _newer_fields(ROUTINE)},
        "schedule": {"properties": {name: False for name in _newer_fields(SCHEDULE)}},
        "exercises": {"patternProperties": {"^(?:" + ID_PATTERN + ")$": {
            "properties": {name: False for name in _newer_fields(EXERCISE_DEF)}}}},
        "blocks": {"items": {"properties": {"steps": {"items": step}}}}}}


def _newer_fields(struct: Struct) -> list[str]:
    return [name for name, f in struct.fields.items() if f.since]


def _for_editors(node: Any, ids: list[str]) -> None:
    """Completion help, in place: bundled ids beside each exercise reference, an example value
    for fields an editor would otherwise fill with an invalid guess, and a titled snippet for
    each step kind."""
    if isinstance(node, list):
        for item in node:
            _for_editors(item, ids)
        return
    if not isinstance(node, dict):
        return
    weeks = node.get("patternProperties", {})
    if "^(?:" + WEEK_PATTERN + ")$" in weeks:
        node["patternProperties"] = {_PROGRESSION_WEEK: weeks.pop("^(?:" + WEEK_PATTERN + ")$"),
                                     **weeks}
    for name, prop in node.get("properties", {}).items():
        if not isinstance(prop, dict):
            continue
        if name in EXERCISE_REFERENCES and ids and prop.get("type") == "string":
            by_id = {k: prop.pop(k) for k in ("type", "maxLength", "pattern", "patternErrorMessage")
                     if k in prop}
            prop["anyOf"] = [{"type": "string", "enum": ids}, by_id]
        if name in JSON_EXAMPLES and "default" not in prop:
            prop["examples"] = [JSON_EXAMPLES[name]]
        if name in PROPERTY_SNIPPETS:
            prop["defaultSnippets"] = [PROPERTY_SNIPPETS[name]]
            # Else an editor inserts every part at its default: a tempo of zeros.
            for part in prop.get("properties", {}).values():
                part.pop("default", None)
    kinds = node.get("oneOf")
    if isinstance(kinds, list) and all(isinstance(k, dict) and "title" in k for k in kinds):
        for kind in kinds:
            key = next((k for k in kind.get("required", ()) if k in STEP_SNIPPETS), None)
            if key is not None:
                extra = [_EXERCISE_REPS_SNIPPET] if key == "exercise" else []
                kind["defaultSnippets"] = [STEP_SNIPPETS[key], *extra]
    for value in node.values():
        _for_editors(value, ids)
