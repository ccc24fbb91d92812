"""Durations written as people write them: ``45s``, ``2m``, ``1m30s``, ``1h``, ``90`` (seconds)."""

from __future__ import annotations

import math
import re

#: Longest duration any step may have; anything longer is a typo (4 hours).
MAX_DURATION_SECONDS = 4 * 60 * 60

_UNITS = {"h": 3600.0, "m": 60.0, "min": 60.0, "s": 1.0, "sec": 1.0}
_PART = r"(\d+(?:\.\d+)?)\s*(h|min|m|sec|s)"
_DURATION = re.compile(rf"^\s*-?\s*(?:{_PART}\s*)+$")
_PARTS = re.compile(_PART)

#: For the JSON Schema: the same text forms (without sign; negatives are rejected anyway).
DURATION_PATTERN = r"^\s*(?:\d+(?:\.\d+)?\s*(?:h|min|m|sec|s)\s*)+$|^\s*\d+(?:\.\d+)?\s*$"
DURATION_HELP = "a duration like 45s, 2m, 1m30s or 90 (seconds)"


class DurationError(ValueError):
    """The value is not a usable duration; the message says why."""


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
        raise DurationError("must be a finite duration")
    if seconds < 0:
        raise DurationError("must not be negative")
    if seconds > MAX_DURATION_SECONDS:
        raise DurationError("is longer than 4 hours, which no step needs; check for a typo")
    return seconds


def _parse_text(text: str) -> float:
    stripped = text.strip()
    try:
        return float(stripped)
    except ValueError:
        pass
    if not _DURATION.match(stripped):
        raise DurationError(f"must be {DURATION_HELP}")
    total = sum(float(n) * _UNITS[u] for n, u in _PARTS.findall(stripped))
    return -total if stripped.startswith("-") else total


def format_duration(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``) for display."""
    whole = max(0, math.ceil(seconds - 1e-9))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
