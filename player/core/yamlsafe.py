"""Read untrusted YAML into located values, refusing hostile input quickly and safely.

Routine files come from other people. This module gives ``yaml.safe_load`` semantics (plain
data: mappings, sequences, strings, numbers, booleans, null, dates) and nothing else:

* no language tags (``!!python/object`` and friends are errors; nothing is ever constructed);
* alias bombs ("billion laughs") are refused by counting the expanded size while reading;
* files over :data:`MAX_FILE_BYTES` are refused before parsing, and anything that is not a
  regular file (a FIFO, a device) before reading, so reading never blocks;
* whole numbers longer than :data:`~player.core.limits.MAX_NUMBER_DIGITS` digits, in any base,
  are refused before they are converted;
* nesting deeper than :data:`MAX_DEPTH` is an error, never a RecursionError (the tree is built
  from the parser's event stream with an explicit stack, not recursively); flow brackets
  (``[[[[...``) are counted by :func:`flow_nesting_problem` before PyYAML sees the text, since
  its scanner reads far ahead of the events and some versions stop at their own limit;
* invalid UTF-8, binary files, tabs used for indentation, duplicate keys, several documents and
  an empty file are errors with their line and column; values quoted in messages are shortened
  (:func:`player.core.text.quoted`).

The limits are in :mod:`player.core.limits`.

Values are wrapped in :class:`Node` so that every later error can name its line and column.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

from player.core.limits import MAX_DEPTH as MAX_DEPTH
from player.core.limits import MAX_EXPANDED_VALUES as MAX_EXPANDED_VALUES
from player.core.limits import MAX_FILE_BYTES as MAX_FILE_BYTES
from player.core.limits import MAX_NUMBER_DIGITS
from player.core.problems import Problem, code, error, shown
from player.core.text import shorten

#: Tab errors reported one by one before summarising the rest.
MAX_TAB_REPORTS = 10

# PyYAML's libyaml-based parser where present (much faster), else the pure-Python one.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_CORE + "map", _CORE + "seq", "!"}
_constructor = SafeConstructor()
_construct = {tag: SafeConstructor.yaml_constructors[tag] for tag in _SCALAR_TAGS}

MAP = "map"
SEQ = "seq"
SCALAR = "scalar"


class Node:
    """A YAML value with its 1-based position.

    ``value`` is a ``dict[key, Node]`` for a mapping (``keys`` then holds each key's own
    position), a ``list[Node]`` for a sequence, or a plain Python scalar. A scalar also keeps
    how it was written: ``style`` is ``'`` or ``"`` when it was in quotes (``|`` or ``>`` for a
    block of text, None when plain), and ``source`` its text as written when YAML read it as
    something else than text (``1:30`` for the number 90, ``yes`` for true), else None.
    """

    __slots__ = ("kind", "value", "line", "col", "keys", "size", "style", "source")

    def __init__(self, kind: str, value: Any, line: int, col: int) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.col = col
        self.keys: dict[Any, tuple[int, int]] | None = {} if kind == MAP else None
        self.size = 1
        self.style: str | None = None
        self.source: str | None = None

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.value!r}, {self.line}:{self.col})"

    def plain(self) -> Any:
        """The value with every Node unwrapped (for tests and debugging)."""
        if self.kind == MAP:
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == SEQ:
            return [v.plain() for v in self.value]
        return self.value


class _Abort(Exception):
    """Stop reading: the problem is already recorded."""


#: Why a path that is not a regular file is refused (a FIFO would block the reader for ever).
NOT_A_FILE = "not a regular file (a folder, a device or a pipe); a routine is a plain text file"


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (more than ``limit``: too large).

    Never blocks: the file is opened non-blocking and anything but a regular file (a FIFO, a
    device, a folder) raises :class:`OSError` (:class:`IsADirectoryError` for a folder) with
    :data:`NOT_A_FILE`, before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        os.close(fd)
        raise
    if not regular:
        os.close(fd)
        folder = os.path.isdir(path)
        raise (IsADirectoryError if folder else OSError)(errno.EISDIR if folder else errno.EINVAL,
                                                         NOT_A_FILE, str(path))
    with os.fdopen(fd, "rb") as fh:
        return fh.read(limit + 1)


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read ``path`` as UTF-8 text, refusing large, binary or badly encoded files and anything
    that is not a regular file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.is_file():
            return None, [_too_large(size)]
        data = read_limited(path)
    except OSError as exc:
        return None, [error(f"cannot read file: {exc.strerror or exc}")]
    return decode(data)


def _too_large(size: int | None) -> Problem:
    how_big = f"file is {size:,} bytes" if size is not None else "file is too large"
    return error(f"{how_big}; routine files are limited to {MAX_FILE_BYTES:,} bytes (1 MiB)",
                 1, 1)


def decode(data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode bytes as UTF-8 (a BOM is allowed); binary data, bad bytes and more than
    :data:`MAX_FILE_BYTES` are errors."""
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(None)]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error("file is encoded as UTF-16; save it as UTF-8", 1, 1)]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _position(data, nul)
        return None, [error("this is a binary file, not a YAML text file (found a NUL byte)",
                            line, col)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        bad = data[exc.start : exc.start + 4].hex(" ")
        return None, [error(f"file is not valid UTF-8 (bytes {bad}); save it as UTF-8", line, col)]


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def tab_problems(text: str) -> list[Problem]:
    """Errors for lines indented with tab characters, which YAML does not allow."""
    problems: list[Problem] = []
    if "\t" not in text:
        return problems  # the usual case, found in C
    count = 0
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            count += 1
            if count <= MAX_TAB_REPORTS:
                col = indent.index("\t") + 1
                problems.append(error("tab character used for indentation; YAML needs spaces",
                                      number, col))
    if count > MAX_TAB_REPORTS:
        problems.append(error(f"{count - MAX_TAB_REPORTS} more lines are indented with tabs"))
    return problems


def flow_nesting_problem(text: str) -> Problem | None:
    """An error at the first flow bracket nested deeper than :data:`MAX_DEPTH`, or None.

    One linear pass that knows just enough YAML to tell brackets that open a flow collection
    from brackets in text: quoted scalars, comments, plain scalars and block scalars (``|``,
    ``>``) are skipped. Block nesting is left to the event check in :class:`_TreeBuilder`.
    """
    depth = 0
    line, line_start = 1, 0
    i, n = 0, len(text)
    value_start = True  # block context: the next non-space character starts a node
    block_indent = -1  # inside a block scalar: lines indented deeper than this are its text

    def indent_of(pos: int) -> int:
        end = pos
        while end < n and text[end] == " ":
            end += 1
        return end - pos

    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None  # too few brackets to nest that deep, wherever they are
    while i < n:
        if depth or not value_start:
            # Inside plain text or a flow collection only these characters matter: jump there.
            found = (_FLOW_MARKS if depth else _PLAIN_MARKS).search(text, i)
            if found is None:
                break
            i = found.start()
        c = text[i]
        if c == "\n":
            line, line_start = line + 1, i + 1
            i += 1
            if depth == 0:
                value_start = True
                if block_indent >= 0:
                    ind = indent_of(i)
                    rest = text[i + ind : i + ind + 1]
                    if ind > block_indent or rest in ("", "\n", "\r"):
                        i = text.find("\n", i)
                        i = n if i < 0 else i
                        continue
                    block_indent = -1
            continue
        token_start = i == line_start or text[i - 1] in " \t\r[{,"
        if c == "#" and token_start:
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c in "'\"" and (token_start if depth else value_start):
            i = _skip_quoted(text, i)
            value_start = False
            continue
        if depth:
            if c in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return error(f"nested more than {MAX_DEPTH} levels deep", line,
                                 i - line_start + 1)
            elif c in "]}":
                depth -= 1
            i += 1
            continue
        if c in " \t\r":
            i += 1
            continue
        separated = text[i + 1 : i + 2] in (" ", "\n", "")
        if c == ":" and separated:
            value_start = True
        elif not (value_start and c in "-?" and separated):  # "- " and "? ": a node follows
            if value_start and c in "[{":
                depth = 1
            elif value_start and c in "|>":
                block_indent = indent_of(line_start)
            value_start = False  # else plain text, up to ": " or the end of the line
        i += 1
    return None


#: What :func:`flow_nesting_problem` stops at inside a flow collection, and in plain text.
_FLOW_MARKS = re.compile(r"[\n#'\"\[\]{}]")
_PLAIN_MARKS = re.compile(r"[\n#:]")


def _skip_quoted(text: str, i: int) -> int:
    """The index just after the quoted scalar that starts at ``i`` (or the end of the text)."""
    quote, n = text[i], len(text)
    i += 1
    while i < n:
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return n


def parse(text: str, keep_going: bool = False) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document into Nodes; on any error return the problems found.

    With ``keep_going``, a file whose only errors leave its structure clear (a duplicate key:
    the last value counts; a value that is not what its look or tag says, such as the date
    2026-02-30: kept as its text) is still returned, so that the rest of it can be checked in
    the same pass. Syntax errors, refused tags and anything over a limit return no tree.
    """
    problems = tab_problems(text)
    too_deep = flow_nesting_problem(text)
    if too_deep is not None:
        return None, [*problems, too_deep]
    builder = _TreeBuilder(problems)
    loader = _Loader(text)
    try:
        while loader.check_event():
            builder.feed(loader.get_event())
    except _Abort:
        pass
    except yaml.MarkedYAMLError as exc:
        if not problems:  # a tab already explains a scanner error better than libyaml does
            problems.append(_syntax_problem(exc))
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        problems.append(_reader_problem(text, exc))
    finally:
        loader.dispose()
    soft = {id(p) for p in builder.soft}
    if any(p.is_error and (id(p) not in soft or not keep_going) for p in problems):
        return None, problems
    if builder.root is None or (builder.root.kind == SCALAR and builder.root.value is None):
        problems.append(error("the file is empty; a routine starts with `format: 1` and a `title`",
                              1, 1))
        return None, problems
    return builder.root, problems


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    text = " ".join(s for s in (exc.context, exc.problem) if s)
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return error(f"YAML syntax error: {text}", line, col)


def _reader_problem(text: str, exc: yaml.YAMLError) -> Problem:
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        return error(f"character not allowed in YAML: {getattr(exc, 'reason', exc)}", line, col)
    return error(f"cannot read YAML: {exc}")


class _TreeBuilder:
    """Builds Nodes from parser events with an explicit stack (no recursion)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.stack: list[tuple[Node, Any, str | None]] = []  # (node, pending key, anchor)
        self.anchors: dict[str, Node] = {}
        self.root: Node | None = None
        self.documents = 0
        self.expanded = 0
        #: Errors that leave the structure clear (see :func:`parse`'s ``keep_going``).
        self.soft: list[Problem] = []

    def soft_error(self, message: str, line: int, col: int) -> None:
        problem = error(message, line, col)
        self.problems.append(problem)
        self.soft.append(problem)

    def fail(self, message: str, line: int, col: int) -> None:
        self.problems.append(error(message, line, col))
        raise _Abort

    def feed(self, ev: Any) -> None:
        if isinstance(ev, ScalarEvent):
            self._attach(self._scalar(ev), ev, ev.anchor)
        elif isinstance(ev, MappingStartEvent | SequenceStartEvent):
            line, col = _mark(ev)
            self._check_tag(ev.tag, line, col)
            if len(self.stack) >= MAX_DEPTH:
                self.fail(f"nested more than {MAX_DEPTH} levels deep", line, col)
            kind = MAP if isinstance(ev, MappingStartEvent) else SEQ
            node = Node(kind, {} if kind == MAP else [], line, col)
            self.stack.append((node, _NO_KEY, ev.anchor))
        elif isinstance(ev, MappingEndEvent | SequenceEndEvent):
            node, _, anchor = self.stack.pop()
            self._attach(node, ev, anchor)
        elif isinstance(ev, AliasEvent):
            target = self.anchors.get(ev.anchor or "")
            if target is None:
                self.fail(f"alias *{shorten(ev.anchor or '')} refers to an anchor that is not "
                          "defined before it (or to itself)", *_mark(ev))
            else:
                self._attach(target, ev, None, alias=True)
        elif isinstance(ev, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fail("more than one YAML document (a second `---`); a routine file holds "
                          "exactly one", *_mark(ev))

    def _check_tag(self, tag: str | None, line: int, col: int) -> None:
        if tag is not None and tag not in _ALLOWED_TAGS:
            shown = shorten(tag.replace(_CORE, "!!"))
            self.fail(f"the tag {shown} is not allowed: routine files hold plain data only "
                      "(text, numbers, lists and mappings)", line, col)

    def _scalar(self, ev: ScalarEvent) -> Node:
        line, col = _mark(ev)
        tag = ev.tag
        if tag is None:
            tag = _RESOLVER.resolve(ScalarNode, ev.value, ev.implicit)  # type: ignore[no-untyped-call]
        elif tag == "!":
            tag = _CORE + "str"
        self._check_tag(tag, line, col)
        if tag == _CORE + "str":
            node = Node(SCALAR, ev.value, line, col)
            node.style = ev.style
            return node
        if tag == _CORE + "int":
            digits = number_digits(ev.value)
            if digits > MAX_NUMBER_DIGITS:
                self.fail(TOO_MANY_DIGITS.format(digits=digits, limit=MAX_NUMBER_DIGITS),
                          line, col)
        try:
            value = _construct[tag](_constructor, ScalarNode(tag, ev.value))
        except Exception:  # PyYAML's constructors raise ValueError, KeyError, AttributeError...
            self.soft_error(NOT_A_VALID.format(value=shown(ev.value), what=_TAG_NAMES.get(
                tag, tag.replace(_CORE, ""))), line, col)
            value = ev.value  # kept as text; the checks after say nothing more at its place
        node = Node(SCALAR, value, line, col)
        node.style, node.source = ev.style, ev.value
        return node

    def _attach(self, node: Node, ev: Any, anchor: str | None, alias: bool = False) -> None:
        if anchor is not None:
            self.anchors[anchor] = node
        self.expanded += node.size if alias else 1
        if self.expanded > MAX_EXPANDED_VALUES:
            self.fail(f"aliases expand to more than {MAX_EXPANDED_VALUES:,} values; refusing "
                      "what looks like an alias bomb", *_mark(ev))
        if not self.stack:
            self.root = node
            return
        parent, key, parent_anchor = self.stack[-1]
        parent.size += node.size
        if parent.kind == SEQ:
            parent.value.append(node)
        elif key is _NO_KEY:
            self._take_key(parent, node, parent_anchor)
        else:
            parent.value[key] = node
            self.stack[-1] = (parent, _NO_KEY, parent_anchor)

    def _take_key(self, parent: Node, node: Node, parent_anchor: str | None) -> None:
        if node.kind != SCALAR:
            self.fail("a mapping key must be a plain word, not a list or mapping",
                      node.line, node.col)
        key = node.value
        if key is None or isinstance(key, bool | float) or not _hashable(key):
            key = "" if key is None else str(key)
        assert parent.keys is not None
        if key in parent.keys:
            first = parent.keys[key]
            self.soft_error(f"duplicate key {code(key)} (first defined on line {first[0]}); "
                            "write each key once",
                            node.line, node.col)
        parent.keys[key] = (node.line, node.col)
        self.stack[-1] = (parent, key, parent_anchor)


#: A value its tag (``!!bool``, ``!!float`` ...) or its look says it is, but is not.
NOT_A_VALID = "{value} is not a valid {what}"
_TAG_NAMES = {_CORE + "bool": "yes/no value (write true or false)",
              _CORE + "timestamp": "date (write it YYYY-MM-DD, a day that exists)",
              _CORE + "int": "whole number", _CORE + "float": "number",
              _CORE + "null": "empty value"}

#: The message for a whole number with more than :data:`MAX_NUMBER_DIGITS` digits.
TOO_MANY_DIGITS = ("this number is {digits:,} digits long; numbers in a routine file have at most "
                   "{limit} digits (check for a typo, or put the text in quotes)")


def number_digits(text: str) -> int:
    """How many digits a YAML 1.1 whole number has, in any base (``0x1F`` has 2, ``1:30`` 3).

    Signs, the ``0x``/``0o``/``0b`` prefix, ``_`` separators and base-60 ``:`` do not count.
    Linear in the text and converts nothing, so it is safe on a number of any length.
    """
    body = text.lstrip("+-").lower()
    if body[:2] in ("0x", "0o", "0b"):
        body = body[2:]
    return len(body) - body.count("_") - body.count(":")


def _mark(ev: Any) -> tuple[int, int]:
    """1-based line and column where a parser event starts."""
    return ev.start_mark.line + 1, ev.start_mark.column + 1


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_NO_KEY = object()
# Resolver state for implicit scalar tags; resolve() reads only class-level tables.
_RESOLVER = yaml.resolver.Resolver()
