"""Every input of the public yaml-test-suite ends in a routine or a clean error, never a crash."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from player.core.loader import LoadResult, load_library, load_routine

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "yaml-test-suite" / "cases"
CASES = sorted(CORPUS.rglob("in.yaml")) if CORPUS.is_dir() else []
LIBRARY = load_library()
SECONDS_BEFORE_HANG = 5


def _hang(signum: int, frame: object) -> None:
    raise TimeoutError(f"loading took more than {SECONDS_BEFORE_HANG} s")


MISSING = (f"the yaml-test-suite corpus is not at {CORPUS}: these tests need the project's "
           "shared/ folder beside the repository root (as CI lays it out)")


def test_corpus_is_complete():
    """Missing corpus: a failure on CI (CI set), a skip that says how to get it elsewhere."""
    if not CASES:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    assert len(CASES) == 402


@pytest.mark.parametrize("case", CASES, ids=[str(c.parent.relative_to(CORPUS)) for c in CASES])
def test_corpus_input_ends_in_routine_or_clean_error(case: Path):
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(SECONDS_BEFORE_HANG)
    try:
        result = load_routine(case, LIBRARY)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(result, LoadResult)
    if result.routine is None:
        assert result.errors, "no routine and no error"
        for problem in result.errors:
            assert problem.message and "Traceback" not in problem.message
            assert problem.format(case.name).startswith(f"{case.name}:")
