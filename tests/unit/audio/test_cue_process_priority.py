"""The cue process's priority request: its RLIMIT_RTTIME (for rtkit) and what its ready says.

Run in a child process: the limit, once lowered, cannot be raised again by most users.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player.audio import cue_process

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import json, os, resource, sys
sys.path.insert(0, sys.argv[1])
from player.audio.cue_process import raise_priority
before = resource.getrlimit(resource.RLIMIT_RTTIME)
got = raise_priority()
print(json.dumps({"got": got, "pid": os.getpid(), "before": before,
                  "after": resource.getrlimit(resource.RLIMIT_RTTIME),
                  "policy": os.sched_getscheduler(0), "nice": os.getpriority(os.PRIO_PROCESS, 0)}))
"""

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_RTTIME"), reason="Linux's limit")


def run_child(*prefix: str) -> dict[str, object]:
    done = subprocess.run([*prefix, sys.executable, "-I", "-S", "-c", CHILD, str(ROOT)],
                          capture_output=True, text=True, timeout=30, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_cue_process_sets_its_rttime_limit_before_asking_for_real_time() -> None:
    result = run_child()
    usec = cue_process.RTTIME_USEC
    assert result["before"] != [usec, usec]  # the test shows a change
    assert result["after"] == [usec, usec]  # soft and hard, as rtkit requires
    assert result["got"]["rttime"] == str(usec)  # type: ignore[index]


def test_the_ready_message_says_its_ids_and_what_was_refused() -> None:
    result = run_child()
    got = result["got"]
    assert isinstance(got, dict)
    assert got["pid"] == result["pid"] and got["tid"] == result["pid"]  # its only thread
    refused = [name for name, granted in (("nice", result["nice"] == cue_process.NICE),
                                          ("policy", result["policy"] == os.SCHED_RR))
               if not granted]
    assert got["refused"] == refused  # from what the kernel says it has, not its own words


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs prlimit (util-linux)")
def test_a_lower_hard_limit_is_kept_not_raised() -> None:
    result = run_child("prlimit", "--rttime=50000:50000", "--")
    assert result["after"] == [50000, 50000]
    assert result["got"]["rttime"] == "50000"  # type: ignore[index]
