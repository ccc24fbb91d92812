"""Under strace: drawing a hostile routine's pictures opens none of the files they point at.

The audit-hook test in ``tests/unit/ui`` sees what Python opens; this one sees what the whole
process opens, Qt's own C++ included, so a renderer that followed an ``<image href>`` (to a file
outside, ``/proc/self/environ``, a device, a FIFO) would show here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pictures import hostile_routine

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "integration" / "pictures_child" / "draw_pictures.py"
OPENED = re.compile(r'^\d+\s+(?:open|openat|openat2)\((?:[^,]+, )?"((?:[^"\\]|\\.)*)"')
SOCKET = re.compile(r"^\d+\s+(socket|connect)\(")

needs_strace = pytest.mark.skipif(shutil.which("strace") is None,
                                  reason="strace not installed (apt-get install strace)")


def traced(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run the child under ``strace -f``; its result and every line strace wrote."""
    log = tmp_path / "trace.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        ["strace", "-f", "-qq", "-s", "4096", "-e", "trace=open,openat,openat2,socket,connect",
         "-o", str(log), sys.executable, str(CHILD), *args],
        capture_output=True, text=True, timeout=90, cwd=ROOT, env=env, check=False)
    return result, log.read_text(errors="replace").splitlines() if log.exists() else []


@needs_strace
@pytest.mark.slow
def test_drawing_hostile_pictures_opens_nothing_they_point_at(tmp_path: Path) -> None:
    routine, outside, direct = hostile_routine(tmp_path)
    result, lines = traced(tmp_path, str(routine), *map(str, direct))
    if result.returncode != 0 and not lines:
        pytest.skip(f"strace cannot trace here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"drawn {10 + len(direct)}"
    opened = [m.group(1) for line in lines if (m := OPENED.match(line))]
    assert any(path.endswith("image0.svg") for path in opened), "strace saw no picture read"
    pointed_at = [str(outside), "/proc/self/environ", "/dev/zero", "pipe.png"]
    assert [p for p in opened if any(target in p for target in pointed_at)] == []
    # In the test's folder only the routine's own files are read, and Qt's font cache in HOME.
    own = (str(routine.parent) + "/", str(tmp_path / "home") + "/")
    assert [p for p in opened if p.startswith(str(tmp_path)) and not p.startswith(own)] == []
    assert [line for line in lines if SOCKET.match(line)] == []
