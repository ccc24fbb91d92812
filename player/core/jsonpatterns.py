"""Regular expressions for the JSON Schema, written so that editors can run them.

Editors (the YAML language server, VS Code) run a schema's ``pattern`` as an ECMAScript regular
expression with the ``u`` flag, where Python-only syntax such as ``(?i:...)`` or ``(?P<...>)``
is an "Invalid pattern" error. Everything here uses only syntax both engines read the same way:
character classes (``[Ss][Vv][Gg]`` instead of a case-insensitive group), ``[0-9]`` instead of
``\\d`` (Unicode digits in Python), ``\\s``, groups, alternation and lookahead.

The duration pattern is derived from :func:`player.core.durations.parse_duration` itself: the
unit words it accepts are found by asking it, so the editor follows the validator when the
words it accepts change.
"""

from __future__ import annotations

from player.core.durations import MAX_DURATION_SECONDS, DurationError, parse_duration

#: Unit words a duration might be written with, by seconds per unit; the validator decides
#: which of them it accepts (see :func:`duration_units`).
CANDIDATE_UNITS: dict[int, tuple[str, ...]] = {
    3600: ("h", "hr", "hrs", "hour", "hours"),
    60: ("m", "min", "mins", "minute", "minutes"),
    1: ("s", "sec", "secs", "second", "seconds"),
}

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"


def any_case(word: str) -> str:
    """``[Ss][Vv][Gg]`` for ``svg``: a case-insensitive match without ``(?i)``."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else _escape(c) for c in word)


def _escape(char: str) -> str:
    # Only characters that are special in a regex get a backslash: under ECMAScript's `u` flag
    # an unneeded escape (such as `\-` outside a class) is itself an error.
    return "\\" + char if char in r"\^$.|?*+()[]{}/" else char


def _accepts(text: str) -> float | None:
    try:
        return parse_duration(text)
    except DurationError:
        return None


def duration_units() -> dict[int, tuple[list[str], bool]]:
    """For each unit length in seconds, the words the validator accepts for it, and whether it
    accepts them in any letter case (``30S``, ``1 Min``)."""
    out: dict[int, tuple[list[str], bool]] = {}
    for seconds, words in CANDIDATE_UNITS.items():
        accepted = [w for w in words
                    if _accepts(f"2 {w}") == 2 * seconds or _accepts(f"2{w}") == 2 * seconds]
        if accepted:
            any_letter_case = all(_accepts(f"2 {w.upper()}") == 2 * seconds
                                  and _accepts(f"2 {w.capitalize()}") == 2 * seconds
                                  for w in accepted)
            out[seconds] = (accepted, any_letter_case)
    return out


def below(n: int) -> str:
    """A regex for the whole numbers 0 to ``n - 1`` in decimal (``n`` >= 1), leading zeros
    allowed when shorter than ``n``."""
    digits = str(n)
    width = len(digits)
    if width == 1:
        return f"[0-{n - 1}]"
    alternatives = [f"[0-9]{{1,{width - 1}}}"]
    for i, d in enumerate(digits):
        lowest = 1 if i == 0 else 0
        top = int(d) - 1
        if top < lowest:
            continue
        rest = width - i - 1
        alternatives.append(digits[:i] + f"[{lowest}-{top}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(?:" + "|".join(alternatives) + ")"


def at_most(n: int) -> str:
    """A regex for a decimal number written ``D`` or ``D.D`` from 0 to ``n`` (``n`` >= 1)."""
    return f"0*(?:{below(n)}(?:\\.[0-9]+)?|{n}(?:\\.0+)?)"


def duration_pattern(zero_ok: bool) -> str:
    """The text forms of a duration the validator accepts, as an ECMAScript/Python regex.

    Each part (``1h``, ``30 seconds``) is bounded by the 4-hour limit on its own; a sum of
    parts over the limit (``3h90m``) is not caught here (the docs say so). A bare number in
    text (``"90"``) is seconds. Zero is refused unless ``zero_ok``.
    """
    parts = []
    zero_units = []
    for seconds, (words, any_letter_case) in sorted(duration_units().items(), reverse=True):
        spelled = [any_case(w) if any_letter_case else w for w in sorted(words, key=len,
                                                                         reverse=True)]
        unit = "(?:" + "|".join(spelled) + ")"
        zero_units.append(unit)
        parts.append(at_most(MAX_DURATION_SECONDS // seconds) + r"\s*" + unit)
    part = "(?:" + "|".join(parts) + ")"
    plain = at_most(MAX_DURATION_SECONDS)
    body = rf"\s*(?:{part}\s*)+$|^\s*{plain}\s*$"
    if zero_ok:
        return "^" + body
    zero = r"0*(?:\.0+)?"
    units = "(?:" + "|".join(zero_units) + ")"
    no_zero = rf"(?!\s*(?:{zero}\s*{units}\s*)+$)(?!\s*{zero}\s*$)"
    return "^" + no_zero + rf"\s*(?:{part}\s*)+$|^{no_zero}\s*{plain}\s*$"


#: A media path the validator refuses whatever follows: absolute (``/``, ``\``, ``C:``), from a
#: home folder (``~``), or with a ``..`` segment leaving the routine's folder.
MEDIA_REFUSED = r"[/\\~]|[A-Za-z]:|(?:[^\n]*[/\\])?\.\.(?:[/\\]|$)"

#: YAML 1.1 words PyYAML (and so ``validate``) reads as true or false; an editor reading YAML
#: 1.2 sees them as text.
YAML11_BOOLEANS = r"^(?:[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$"
