"""Bounded work, counted rather than timed: how many Python calls an action makes.

Tests of hostile input assert that handling a file is bounded work, not that it is fast: a
count of function calls does not depend on how loaded the machine is, and a quadratic check or
a built bomb shows up as millions of calls more. The action is stopped as soon as it passes its
budget, so a runaway check fails the test at once instead of hanging it. The times and memory
these files take are figures, printed by ``bench/bench_hostile.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")

#: Python calls (including calls into C functions) any one hostile file may cost. The worst file
#: in the corpus costs about 3.6 million; the expansion bomb as it was once built cost billions.
WORK_BUDGET = 10_000_000


class TooMuchWork(AssertionError):
    """The action made more calls than its budget allowed."""


def counted(call: Callable[[], T], budget: int = WORK_BUDGET) -> tuple[T, int]:
    """``call()`` and the number of calls it made, failing with :class:`TooMuchWork` the moment
    it makes more than ``budget`` (counted in this thread only)."""
    made = 0

    def count(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal made
        if event in ("call", "c_call"):
            made += 1
            if made > budget:
                sys.setprofile(None)
                raise TooMuchWork(f"more than {budget:,} calls: the work is not bounded")

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        result = call()
    finally:
        sys.setprofile(previous)
    return result, made
