"""Problems found in a routine file: what, where, how bad."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An error makes the file unusable; a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem, with its 1-based line and column where the file has one."""

    severity: Severity
    message: str
    line: int | None = None
    col: int | None = None
    path: str = ""

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity is Severity.ERROR

    def describe(self) -> str:
        """The message with the field path in front, e.g. ``blocks[0].steps[1].hold: ...``."""
        return f"{self.path}: {self.message}" if self.path else self.message

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
