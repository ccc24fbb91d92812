"""The runner's own cadence, and drill beats set a percentage above it.

A cadence step may say ``cadence: {above_own_percent: 5}`` (format 1.1) instead of a number:
its metronome is then the runner's own cadence raised by that much (Heiderscheit et al. 2011:
5-10 %), kept within :data:`DRILL_MIN`-:data:`DRILL_MAX`. The own cadence is asked once (steps
counted by tapping a key for 30 s, or typed) and kept in the settings; until it is known, such
a step plays above :data:`ASSUMED_OWN` (so 5 % is 173 and 10 % is 182, the common 170-180).
Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from player.core.routine import Block, CadenceStep, Routine

#: The drill's beats stay within these, whatever the percentage and the own cadence.
DRILL_MIN: Final = 150
DRILL_MAX: Final = 200
#: A step a percentage above the own cadence, before it is known.
ASSUMED_OWN: Final = 165
#: An own cadence typed or tapped is taken within these (steps a minute, running).
OWN_MIN: Final = 100
OWN_MAX: Final = 230
#: The percentage a routine may write.
PERCENT_MIN: Final = 1
PERCENT_MAX: Final = 20
#: How long the person taps, and the fewest taps that make a cadence.
TAP_SECONDS: Final = 30
MIN_TAPS: Final = 10


class CadenceError(ValueError):
    """An own cadence that cannot be used; the message says why, in words."""


def beats_above(own: int, percent: int) -> int:
    """The metronome ``percent`` above ``own``, within :data:`DRILL_MIN`-:data:`DRILL_MAX`."""
    return max(DRILL_MIN, min(DRILL_MAX, round(own * (100 + percent) / 100)))


def uses_own_cadence(routine: Routine) -> bool:
    """True when a step of ``routine`` is set above the runner's own cadence."""
    return any(isinstance(s, CadenceStep) and s.above_own_percent is not None
               for b in routine.blocks for s in b.steps)


def with_own_cadence(routine: Routine, own: int | None) -> Routine:
    """``routine`` with each step set above the own cadence at ``own`` beats (None: keep the
    beats :data:`ASSUMED_OWN` gives)."""
    if own is None or not uses_own_cadence(routine):
        return routine
    blocks = tuple(Block(b.name, tuple(
        replace(s, bpm=beats_above(own, s.above_own_percent))
        if isinstance(s, CadenceStep) and s.above_own_percent is not None else s
        for s in b.steps)) for b in routine.blocks)
    return replace(routine, blocks=blocks)


def parse_own_cadence(text: str) -> int:
    """A typed own cadence (steps a minute); anything else is refused with the reason."""
    try:
        value = int(text.strip())
    except ValueError:
        raise CadenceError(NOT_A_NUMBER.format(text=text.strip())) from None
    return check_own_cadence(value)


def check_own_cadence(value: int) -> int:
    """``value`` when it is a plausible running cadence, else refused with the reason."""
    if not OWN_MIN <= value <= OWN_MAX:
        raise CadenceError(OUT_OF_RANGE.format(value=value, lo=OWN_MIN, hi=OWN_MAX))
    return value


def cadence_from_taps(taps: Sequence[float]) -> int:
    """Steps a minute from the moments (seconds) of one tap a step; refused when too few."""
    if len(taps) < MIN_TAPS or taps[-1] <= taps[0]:
        raise CadenceError(TOO_FEW_TAPS.format(n=MIN_TAPS))
    return check_own_cadence(round((len(taps) - 1) * 60 / (taps[-1] - taps[0])))


# User-visible text, in one place for translation.
NOT_A_NUMBER = "'{text}' is not a number of steps a minute: write it as a whole number, like 160."
OUT_OF_RANGE = ("{value} steps a minute is not a running cadence: it is usually from {lo} to "
                "{hi}. Count again, or type it.")
TOO_FEW_TAPS = "Tap at least {n} times, once for each step, to count your cadence."
