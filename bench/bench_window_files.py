"""Every file the window opens on a hostile routine, counted by where it is (issue 11's figure).

    .venv/bin/python bench/bench_window_files.py

Runs the child of ``tests/integration/test_pictures_strace.py`` (the real window, offscreen,
playing a routine whose pictures point at files outside, ``/proc``, devices, a FIFO) under
strace when it is installed, else with only its Python audit hook, and prints how many distinct
paths it opened in each allowed place, how many outside them (the figure: 0), and the sockets
and programs it started (0 and 0). The test asserts the same; this prints the numbers.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.test_pictures_strace import (  # noqa: E402
    OPENED,
    SOCKET,
    SYSTEM_FILES,
    allowed_roots,
    open_window,
    outside_allowed,
    window_folders,
)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        routine, _, data, home = window_folders(tmp_path)
        log = tmp_path / "trace.txt"
        traced = shutil.which("strace") is not None
        prefix = ["strace", "-f", "-qq", "-s", "4096", "-o", str(log), "-e",
                  "trace=open,openat,openat2,socket,connect,execve"] if traced else []
        recorded = open_window(tmp_path, routine, data, home, prefix=prefix)
        events = recorded["events"]
        assert isinstance(events, list)
        if traced:
            lines = log.read_text(errors="replace").splitlines()
            opened = [m.group(1) for line in lines if (m := OPENED.match(line))]
            sockets = sum(bool(SOCKET.match(line)) for line in lines)
            programs = sum(bool(re.match(r"^\d+\s+execve\(", line)) for line in lines) - 1
        else:
            opened = [p for e, p in events if e in ("open", "os.open") and not p.isdigit()]
            sockets = sum(e.startswith("socket.") for e, _ in events)
            programs = sum(e not in ("open", "os.open") and not e.startswith("socket.")
                           for e, _ in events)
        distinct = sorted(set(opened))
        places = {
            "routine folder": (str(routine.parent),),
            "app (code, bundled media)": (str(ROOT / "player"),),
            "data folder": (str(data),),
            "HOME (Qt and font caches)": (str(home),),
            "Python and Qt install": tuple(
                r for r in allowed_roots(tmp_path, routine, data, home)
                if r.startswith(sys.base_prefix) or r.startswith(sys.prefix)),
            "system (libraries, fonts, locale)": SYSTEM_FILES,
        }
        print(f"watched by {'strace' if traced else 'the Python audit hook only'}; "
              f"{len(recorded['steps'])} steps played; {len(distinct)} distinct paths opened")
        for place, roots in places.items():
            count = len([p for p in distinct if not outside_allowed([p], roots)])
            print(f"  {place:<36} {count:>5}")
        outside = outside_allowed(distinct, allowed_roots(tmp_path, routine, data, home))
        print(f"  {'outside all of them':<36} {len(outside):>5}  {outside[:5]}")
        print(f"sockets made or connected: {sockets}; other programs started: {programs}")


if __name__ == "__main__":
    main()
