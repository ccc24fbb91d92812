"""Text from other people's files, made safe to show: in a window, in a terminal, in a message.

Routine files and diaries are untrusted. Their text may hold characters that are invisible, that
reorder the text around them, or that a terminal obeys instead of showing:

* **bidi controls** (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates): a
  right-to-left override in an exercise name turns the app's own "00:03" after it into "30:00".
  :func:`isolate` wraps file text in a first-strong isolate (U+2068 ... U+2069) with the controls
  inside removed, so it can never reorder what comes after it; :func:`strip_controls` removes them;
* **control characters** (C0, DEL, C1: ESC starts terminal sequences such as OSC-8 links, CR
  moves back to the start of the line, a newline fakes a line of the app's own output):
  :func:`escape_controls` shows them as ``\\x1b``-style escapes for a terminal;
* **invisible text** (zero-width spaces, fillers): :func:`has_visible` tells a title that is
  really empty from one that only looks empty;
* **huge values**: :func:`quoted` shortens a value quoted in a message to
  :data:`MESSAGE_VALUE_CHARS` characters, so a 500 KB key does not become a 1 MB message line.

Nothing here imports Qt: the window, the command line and the loader all use it.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest piece of file text quoted in a message; longer ones are cut with an ellipsis.
MESSAGE_VALUE_CHARS = 80
ELLIPSIS = "\u2026"

#: First-strong isolate and pop directional isolate: what :func:`isolate` wraps text in.
FSI = "\u2068"
PDI = "\u2069"

#: Embeddings, overrides and isolates: the bidi controls that change the order of other text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Bidi marks: invisible strong characters (left-to-right, right-to-left, Arabic letter mark).
#: They cannot reorder text outside an isolate, so :func:`isolate` keeps them.
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
#: Characters that end a line besides LF: CR, NEL, line and paragraph separators, VT, FF.
LINE_BREAKS = frozenset("\r\x85\u2028\u2029\x0b\x0c")

# Letters and symbols that draw nothing although their category says they are visible.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180e")
# Categories of characters that draw nothing by themselves: controls, format characters
# (zero-width space, joiners, bidi controls, tags), spaces, separators, lone combining marks,
# surrogates and unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def is_control(char: str) -> bool:
    """True for a C0 or C1 control character or DEL (TAB and LF included)."""
    return unicodedata.category(char) == "Cc"


def has_visible(text: str) -> bool:
    """True when ``text`` has at least one character that draws something.

    Spaces, zero-width and other format characters, bidi controls, control characters, lone
    combining marks, variation selectors and filler letters (such as U+3164) draw nothing.
    """
    if text.isascii() and text.isprintable():
        return not text.isspace() and text != ""  # the common case, checked in C
    return any(c not in _FILLERS and unicodedata.category(c) not in _INVISIBLE_CATEGORIES
               and not 0xFE00 <= ord(c) <= 0xFE0F for c in text)


def strip_controls(text: str, keep_newlines: bool = False) -> str:
    """``text`` without bidi controls and control characters, for showing as plain text.

    Line breaks (CR, CRLF, NEL, U+2028/U+2029) become one LF when ``keep_newlines``, else a
    space; a TAB becomes a space; every other control character and every bidi embedding,
    override and isolate is removed. Bidi marks stay (they cannot reorder other text).
    """
    text = text.replace("\r\n", "\n")
    out = []
    for c in text:
        if c == "\n" or c in LINE_BREAKS:
            out.append("\n" if keep_newlines else " ")
        elif c == "\t":
            out.append(" ")
        elif c in BIDI_CONTROLS or is_control(c):
            continue
        else:
            out.append(c)
    return "".join(out)


_NO_BIDI_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


def without_bidi_controls(text: str) -> str:
    """``text`` with every bidi embedding, override and isolate removed, all else kept.

    The window puts everything it shows through this (its own text has none of them), so a
    right-to-left override or an unclosed isolate in file text cannot reorder the app's text
    beside it; right-to-left letters still show right to left, and bidi marks stay.
    """
    return text.translate(_NO_BIDI_CONTROLS) if not text.isascii() else text


def isolate(text: str, keep_newlines: bool = False) -> str:
    """``text`` with its controls removed (:func:`strip_controls`), wrapped in U+2068 ... U+2069.

    Put every piece of file text through this before joining it with the app's own text: a
    right-to-left name then stays inside its isolate and cannot reorder what follows it.
    """
    return FSI + strip_controls(text, keep_newlines) + PDI


def escape_controls(text: str) -> str:
    """``text`` for a terminal: control characters, line breaks and bidi controls and marks
    shown as escapes (``\\x1b``, ``\\r``, ``\\n``, ``\\u202e``), everything else as it is.

    A terminal then shows exactly what the file says and obeys none of it: no colours, links
    (OSC-8), cursor moves, carriage returns or lines that look like the app's own.
    """
    if text.isprintable():
        return text  # the common case, checked in C
    out = []
    for c in text:
        if c in BIDI_CONTROLS or c in BIDI_MARKS or c in LINE_BREAKS or c == "\n" \
                or is_control(c):
            out.append(_escape(c))
        else:
            out.append(c)
    return "".join(out)


def _escape(c: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if c in named:
        return named[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shorten(text: str, limit: int = MESSAGE_VALUE_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def quoted(value: object, limit: int = MESSAGE_VALUE_CHARS) -> str:
    """A value from a file as a message quotes it: ``'plank'``.

    Text is quoted as Python's ``repr`` does (controls and invisible characters come out as
    escapes such as ``\\x1b`` or ``\\u202e``); text longer than ``limit`` characters is cut, with
    an ellipsis and its full length: ``'aaaa'... (500,000 characters)``.
    """
    if not isinstance(value, str):
        return shorten(repr(value), limit)
    whole = repr(value[: limit + 1])
    if len(value) <= limit and len(whole) <= limit + 2:
        return whole
    n = limit
    while n > 1 and len(repr(value[:n])) > limit + 2:  # escapes make repr longer than the text
        n //= 2
    return f"{value[:n]!r}{ELLIPSIS} ({len(value):,} characters)"


def escape_json(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) made safe for a terminal.

    ``json`` escapes C0 controls but leaves DEL, C1 controls (U+009B is a CSI to some
    terminals), bidi controls and marks and line separators as they are. They can only occur
    inside strings, so writing them as ``\\uXXXX`` gives the same JSON, readable and inert.
    """
    if _JSON_UNSAFE.search(text) is None:  # indented JSON has line breaks: not isprintable()
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


_JSON_ESCAPED = BIDI_CONTROLS | BIDI_MARKS | {"\u2028", "\u2029"}
#: One character that escape_json writes as ``\uXXXX``: those above, DEL and the C1 controls.
_JSON_UNSAFE = re.compile("[" + "".join(sorted(_JSON_ESCAPED)) + "\x7f-\x9f]")
