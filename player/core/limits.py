"""Hard limits on what a routine file may ask of the app, checked before anything big is built.

Routine files come from other people. Whatever a file says, reading and checking it takes time
and memory in proportion to its size (every check is linear), and nothing it describes can make
the app build millions of steps or wait for hours. Each limit is far above what a real routine
needs; a file over one is refused with the line and column where it passes the limit.

The values are documented for physiotherapists in ``docs/routine-format.md`` (section "Limits");
a test keeps that page and these numbers in step.
"""

from __future__ import annotations

#: Routine and library files larger than this are refused before parsing (a routine is a few KiB).
MAX_FILE_BYTES = 1024 * 1024
#: Deeper nesting than this is refused; a routine needs about 6 levels.
MAX_DEPTH = 64
#: Values after expanding aliases (``*name``); a 300-step routine has a few thousand.
MAX_EXPANDED_VALUES = 200_000
#: Digits in one whole number, in any base YAML reads (decimal, hex ``0x``, octal, binary ``0b``,
#: base 60 ``1:30``); counted before the number is converted, so no size of number is costly.
MAX_NUMBER_DIGITS = 20
#: Steps one session may play: every set, side, switch of sides and rest is one step. A long
#: routine has a few hundred.
MAX_TIMELINE_STEPS = 5_000
#: Longest a session may last, in seconds: 8 hours (untimed sets counted at their estimate).
MAX_ROUTINE_SECONDS = 8 * 60 * 60
#: Exercises defined in one file (the routine's own ``exercises``, or a library file).
MAX_EXERCISES = 500
#: Unknown names and ids in one file that get a "did you mean ...?" suggestion; the rest are
#: reported without one, so a file full of unknown ids is still checked in a moment.
MAX_SUGGESTIONS = 20
#: Words longer than this get no suggestion (no field name or id is that long).
MAX_SUGGESTION_WORD = 64
#: Candidates a suggestion is looked for among; with more known ids than this (only a file over
#: MAX_EXERCISES has so many) unknown ids get no suggestion.
MAX_SUGGESTION_CANDIDATES = 1_000
#: Problems listed for one file; the rest are counted in one last line.
MAX_REPORTED_PROBLEMS = 200
