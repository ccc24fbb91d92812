"""Durations written as people write them: ``45s``, ``2m``, ``1m30s``, ``1h``, ``90`` (seconds),
and in words: ``30 seconds``, ``1 min``, ``20 mins``, ``1 minute``, ``2 hours``.

A clock time such as ``1:30`` is refused with the fix (``write 1m30s``): YAML 1.1 reads it as a
number in base 60 (90), which is what a physio means only by chance. The reader keeps the text
as written (:attr:`player.core.yamlsafe.Node.source`), so :func:`clock_time_fix` sees it.
"""

from __future__ import annotations

import functools
import math
import re

#: Longest duration any step may have; anything longer is a typo (4 hours).
MAX_DURATION_SECONDS = 4 * 60 * 60

#: Every unit word, by the seconds it stands for. Matching is case-insensitive.
UNIT_WORDS = {
    3600.0: ("h", "hr", "hrs", "hour", "hours"),
    60.0: ("m", "min", "mins", "minute", "minutes"),
    1.0: ("s", "sec", "secs", "second", "seconds"),
}
_UNITS = {word: seconds for seconds, words in UNIT_WORDS.items() for word in words}
# Longest words first, so that `min` is not read as `m` followed by `in`.
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER = r"\d+(?:\.\d+)?"
_PART = rf"({_NUMBER})\s*({_UNIT})"


class _Patterns:
    """The text forms, compiled when a duration is first read: the window's first paint
    formats durations but reads none, and compiling them all takes about a millisecond."""

    def __init__(self) -> None:
        self.duration = re.compile(rf"^\s*-?\s*(?:{_PART}\s*)+$", re.IGNORECASE)
        self.parts = re.compile(_PART, re.IGNORECASE)
        # A number followed by a word that is not a unit: `30 sek`, `2 minuts`, `1,5m`.
        self.number_first = re.compile(rf"^\s*-?\s*({_NUMBER})\s*([^\d\s].*)$")
        self.decimal_comma = re.compile(rf"^\s*\d+,\d+\s*(?:{_UNIT})?\s*$", re.IGNORECASE)
        self.clock = re.compile(r"^\s*[-+]?\d+(?::[0-5]?\d)+(?:\.\d*)?\s*$")


@functools.cache
def _patterns() -> _Patterns:
    return _Patterns()


#: For the JSON Schema: the same text forms (without sign; negatives are rejected anyway).
#: ECMAScript-compatible: no inline flags, so upper case is spelled out.
DURATION_PATTERN = (
    r"^\s*(?:\d+(?:\.\d+)?\s*(?:" + "|".join(
        "".join(f"[{c.lower()}{c.upper()}]" for c in word)
        for word in sorted(_UNITS, key=len, reverse=True)) + r")\s*)+$|^\s*\d+(?:\.\d+)?\s*$")
DURATION_HELP = "a duration like 45s, 2m, 1m30s, 30 seconds or 90 (seconds)"

#: The fix offered for text that is no duration at all.
WRITE_LIKE = "write it like 30s, 2m or 1m30s"
#: A number with a unit word that is not one: {fix} is the likely meaning (``30s``).
UNKNOWN_UNIT = "{unit} is not a unit of time (use s, m or h, or seconds, minutes, hours); write {fix}"
#: ``1:30``: YAML reads clock times as base-60 numbers.
CLOCK_TIME = ("{text} is a clock time, which routine files do not use (YAML reads it as the "
              "number {number:g}, in base 60); write {fix}")
#: ``1,5m``: a decimal comma.
DECIMAL_COMMA = "decimals are written with a point; write {fix}"
NEGATIVE = "must not be negative; write how long, such as 30s"
NOT_FINITE = "must be a finite duration; write how long, such as 30s"
TOO_LONG = "is longer than 4 hours, which no step needs; check for a typo"


class DurationError(ValueError):
    """The value is not a usable duration; the message says why and what to write."""


def parse_duration(value: object) -> float:
    """Seconds for a duration value from a routine file; raises DurationError with the reason."""
    if isinstance(value, bool) or value is None:
        raise DurationError(f"must be {DURATION_HELP}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value)
    else:
        raise DurationError(f"must be {DURATION_HELP}")
    if not math.isfinite(seconds):
        raise DurationError(NOT_FINITE)
    if seconds < 0:
        raise DurationError(NEGATIVE)
    if seconds > MAX_DURATION_SECONDS:
        raise DurationError(TOO_LONG)
    return seconds


def _parse_text(text: str) -> float:
    stripped = text.strip()
    patterns = _patterns()
    if patterns.duration.match(stripped):  # the usual case: with units
        total = sum(float(n) * _UNITS[u.lower()] for n, u in patterns.parts.findall(stripped))
        return -total if stripped.startswith("-") else total
    try:
        return float(stripped)  # "90" in quotes
    except ValueError:
        raise DurationError(_text_fix(stripped)) from None


def _text_fix(text: str) -> str:
    """Why ``text`` is not a duration, and what to write instead."""
    clock = clock_time_fix(text)
    if clock:
        return clock
    comma = _patterns().decimal_comma.match(text)
    if comma:
        fixed = text.strip().replace(",", ".")
        return DECIMAL_COMMA.format(fix=fixed.replace(" ", ""))
    m = _patterns().number_first.match(text)
    if m:
        number, unit = m.groups()
        first = unit.strip()[:1].lower()
        letter = first if first in "hms" else "s"
        return UNKNOWN_UNIT.format(unit=unit.strip(), fix=f"{number}{letter}")
    return f"must be {DURATION_HELP}; {WRITE_LIKE}"


def clock_time_fix(text: str) -> str:
    """For a clock time such as ``1:30`` (as written in the file): why it is refused and what
    to write instead (``write 1m30s``); "" for any other text."""
    if not _patterns().clock.match(text):
        return ""
    body = text.strip().lstrip("+-")
    number = 0.0
    for part in body.split(":"):
        number = number * 60 + float(part)
    parts = body.split(":")
    whole = [float(p) for p in parts]
    units = ("h", "m", "s")[-len(whole):] if len(whole) <= 3 else ()
    if not units:
        return CLOCK_TIME.format(text=text.strip(), number=number, fix=f"{number:g}s")
    fix = "".join(f"{v:g}{u}" for v, u in zip(whole, units, strict=True) if v) or "0s"
    return CLOCK_TIME.format(text=text.strip(), number=number, fix=fix)


def format_duration(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``) for display."""
    whole = max(0, math.ceil(seconds - 1e-9))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
