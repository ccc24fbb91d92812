"""Problems found in a routine file: what, where, how bad."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from player.core.text import ELLIPSIS, MESSAGE_VALUE_CHARS, escape_controls


class Severity(StrEnum):
    """An error makes the file unusable; a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem, with its 1-based line and column where the file has one.

    ``path`` is the field's place for programs (``blocks[1].steps[3].hold``, zero-based);
    ``where`` the same place as a physio reads it (``block 'Strength', step 4 (Leg raise),
    hold``), filled in by the loader, which knows the names. Messages show ``where``.
    """

    severity: Severity
    message: str
    line: int | None = None
    col: int | None = None
    path: str = ""
    where: str = ""

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity is Severity.ERROR

    def describe(self) -> str:
        """The message with its place in front, e.g. ``block 'Main', step 2 (Plank), hold: ...``
        (the field path when no place was named)."""
        place = self.where or self.path
        return f"{place}: {self.message}" if place else self.message

    def format(self, filename: str) -> str:
        """``FILE:LINE:COL: error: MESSAGE``, as compilers print, so editors can jump to it."""
        line = self.line if self.line is not None else 1
        col = self.col if self.col is not None else 1
        return f"{filename}:{line}:{col}: {self.severity.value}: {self.describe()}"


def error(message: str, line: int | None = None, col: int | None = None, path: str = "") -> Problem:
    """Shorthand for an error problem."""
    return Problem(Severity.ERROR, message, line, col, path)


def warning(message: str, line: int | None = None, col: int | None = None, path: str = "") -> Problem:
    """Shorthand for a warning problem."""
    return Problem(Severity.WARNING, message, line, col, path)


def shown(text: str, limit: int = MESSAGE_VALUE_CHARS) -> str:
    """Text from a file as a message shows it: as written, without quotes added, with control
    characters as escapes (``\\x1b``); longer than ``limit``, cut with an ellipsis and its
    length: ``aaaa… (500,000 characters)``."""
    if len(text) <= limit:
        return escape_controls(text)
    return f"{escape_controls(text[: limit - 1])}{ELLIPSIS} ({len(text):,} characters)"


def code(text: object) -> str:
    """A name from a file (a field, an id, a path) in a message: ```plank```, as :func:`shown`."""
    return f"`{shown(str(text))}`"
