"""Kill -9 sweep: a week-3 session with an ice step, killed with SIGKILL at 30 seeded random
moments (each at the first store write from its moment), resumes from what the history kept:
week 3's doses, the right next step, and never more ice than the step's length.

The sweep itself is ``bench/bench_kill_resume.py`` (its docstring lists every check); this runs
it with the benchmark's default seed and fails on any failed check.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from player.core.clinical import ICE_MAX_SECONDS

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_kill_resume",
                                              ROOT / "bench" / "bench_kill_resume.py")
assert spec is not None and spec.loader is not None
sweep_module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = sweep_module
spec.loader.exec_module(sweep_module)

RUNS = 30
SEED = 9


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sessions_killed_at_random_moments_resume_with_their_week_and_safe_ice() -> None:
    lines: list[str] = []
    result = sweep_module.sweep(RUNS, SEED, report=lines.append)
    lines.append(sweep_module.summary(result))
    print("\n".join(lines))  # shown with -s, or with the failure
    failed = [line for line in lines if "FAIL" in line]
    assert not failed, "\n".join(failed)
    assert len(result.results) == RUNS and result.all_ok == RUNS
    assert sum(":Ice" in r.where for r in result.results) >= 5  # the ice step was really hit
    assert max(r.ice_total for r in result.results) <= min(ICE_MAX_SECONDS, result.ice_length)
