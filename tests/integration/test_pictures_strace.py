"""Opening the window on a hostile routine reads only what it should, and makes no socket.

Issue 11's figure. A child process opens the real window (offscreen) on a routine whose pictures
point everywhere they should not (files outside, ``file://``, ``..``, ``/proc/self/environ``,
``/dev/zero``, ``/etc/passwd``, a FIFO, an entity bomb, a CSS ``@import``) and whose title is
rich text loading a file, then plays every step. Every path the process opens must lie in the
routine's folder, the bundled media (and the app's own code), the data folder, or Qt's and
Python's own files (their install folders, the system libraries, fonts and font caches, locale
and time-zone data); it must make no socket and start no other program.

Two ways of watching: a Python audit hook inside the child (always available; it sees what
Python opens, not Qt's C++), and strace (when installed: ``dev.py test`` installs it on Debian)
which sees every ``open`` of the whole process, Qt's included, even ones that fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pictures import hostile_routine

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "integration" / "pictures_child" / "draw_pictures.py"
WINDOW_CHILD = ROOT / "tests" / "integration" / "pictures_child" / "open_window.py"
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
    assert result.stdout.strip() == f"drawn {11 + len(direct)}"
    opened = [m.group(1) for line in lines if (m := OPENED.match(line))]
    assert any(path.endswith("image0.svg") for path in opened), "strace saw no picture read"
    pointed_at = [str(outside), "/proc/self/environ", "/dev/zero", "pipe.png"]
    assert [p for p in opened if any(target in p for target in pointed_at)] == []
    # In the test's folder only the routine's own files are read, and Qt's font cache in HOME.
    own = (str(routine.parent) + "/", str(tmp_path / "home") + "/")
    assert [p for p in opened if p.startswith(str(tmp_path)) and not p.startswith(own)] == []
    assert [line for line in lines if SOCKET.match(line)] == []


# --- the window ------------------------------------------------------------------------------

#: Folders and files of the system Qt and Python read: libraries, the dynamic linker's cache,
#: fonts with their configuration and caches, locale and time-zone data, OpenSSL's configuration.
SYSTEM_FILES = ("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/etc/ld.so.cache",
                "/etc/ld.so.preload", "/etc/fonts", "/etc/localtime", "/etc/ssl",
                "/usr/share/fonts", "/usr/share/fontconfig", "/usr/local/share/fonts",
                "/var/cache/fontconfig", "/usr/share/locale", "/usr/share/zoneinfo",
                "/usr/share/X11", "/usr/share/icons", "/usr/share/mime", "/dev/null",
                "/dev/urandom", "/sys/devices/system/cpu")


def window_folders(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """The hostile routine, the folder its pictures point at, the data folder, and HOME."""
    routine, outside, _ = hostile_routine(tmp_path)
    return routine, outside, tmp_path / "data", tmp_path / "home"


def open_window(tmp_path: Path, routine: Path, data: Path, home: Path,
                prefix: list[str] = ()) -> dict[str, object]:
    """Run the window child (under ``prefix``, e.g. strace); what its audit hook recorded."""
    events = tmp_path / "events.json"
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "XDG_RUNTIME_DIR": str(runtime), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
    child = subprocess.Popen([*prefix, sys.executable, str(WINDOW_CHILD), str(data),
                              str(routine), str(events)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                             start_new_session=True)
    try:
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # strace's child too, stuck on a FIFO say
        child.communicate()
        raise AssertionError("the window did not finish in 60 s (something blocked)") from None
    assert child.returncode == 0, out + err
    recorded: dict[str, object] = json.loads(events.read_text())
    return recorded


def allowed_roots(tmp_path: Path, routine: Path, data: Path, home: Path) -> tuple[str, ...]:
    """Where the window may open files (each a folder or a file): the routine's folder, the app
    (its code and bundled media), the data folder, the child's own files, Qt's and Python's."""
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    return (str(routine.parent), str(data), str(home), str(tmp_path / "run"),
            str(tmp_path / "events.json"), str(ROOT / "player"), str(ROOT / "tests"),
            *sorted(python), *SYSTEM_FILES)


def outside_allowed(paths: list[str], roots: tuple[str, ...]) -> list[str]:
    """The paths (made absolute from the child's working folder) in none of ``roots``."""
    absolute = {os.path.normpath(os.path.join(ROOT, p)) for p in paths}
    return sorted(p for p in absolute if p != str(ROOT)
                  and not any(p == root or p.startswith(root + "/") for root in roots))


def check_window_run(recorded: dict[str, object]) -> None:
    """The steps were all played, each hostile picture shown as the placeholder with why."""
    steps = recorded["steps"]
    notes = recorded["notes"]
    assert isinstance(steps, list) and isinstance(notes, list)
    assert [s for s in steps if not str(s).startswith("Get ready")] == [
        *(f"image{i}" for i in range(8)), "fifo", "bomb", "style"]
    reasons = dict(zip(steps, notes, strict=True))
    assert all("links to another file" in reasons[f"image{i}"] for i in range(8))
    assert "is not an ordinary file" not in reasons["fifo"]  # the loader dropped it: none shown
    assert "DOCTYPE declarations" in reasons["bomb"]
    assert "links to another file" in reasons["style"]


def test_opening_the_window_on_a_hostile_routine_reads_only_allowed_files(tmp_path: Path) -> None:
    """Seen by a Python audit hook in the child: opens, sockets, programs started."""
    routine, outside, data, home = window_folders(tmp_path)
    recorded = open_window(tmp_path, routine, data, home)
    check_window_run(recorded)
    events = recorded["events"]
    assert isinstance(events, list)
    opened = [path for event, path in events if event in ("open", "os.open")
              and not path.isdigit()]  # a number is a file descriptor already open
    assert any(p.endswith("image0.svg") for p in opened), "the hook saw no picture read"
    assert outside_allowed(opened, allowed_roots(tmp_path, routine, data, home)) == []
    assert [p for p in opened if str(outside) in p or p.startswith(("/proc", "/dev/zero"))] == []
    assert [e for e in events if e[0].startswith("socket.")] == []
    assert [e for e in events if e[0] not in ("open", "os.open")
            and not e[0].startswith("socket.")] == []  # no program started


@needs_strace
@pytest.mark.slow
def test_under_strace_the_window_opens_only_allowed_files_and_no_socket(tmp_path: Path) -> None:
    """Seen by strace: every open of the whole process (Qt's C++ included, failed ones too)."""
    routine, outside, data, home = window_folders(tmp_path)
    log = tmp_path / "trace.txt"
    recorded = open_window(tmp_path, routine, data, home, prefix=[
        "strace", "-f", "-qq", "-s", "4096", "-o", str(log),
        "-e", "trace=open,openat,openat2,socket,connect,execve"])
    check_window_run(recorded)
    lines = log.read_text(errors="replace").splitlines()
    opened = [m.group(1) for line in lines if (m := OPENED.match(line))]
    assert any(p.endswith("image0.svg") for p in opened), "strace saw no picture read"
    assert outside_allowed(opened, allowed_roots(tmp_path, routine, data, home)) == []
    assert [p for p in opened if str(outside) in p or p.startswith(("/proc", "/dev/zero"))
            or p == "/etc/passwd"] == []
    assert [line for line in lines if SOCKET.match(line)] == []
    started = [line for line in lines if re.match(r"^\d+\s+execve\(", line)]
    assert len(started) == 1 and str(WINDOW_CHILD) in started[0], started  # only the child
