#!/usr/bin/env python3
"""Set up everything the project needs in ``.venv/`` and run the app or the tests.

    python3 dev.py run [ARGS...]    set up, then start the app on the bundled routines
    python3 dev.py test [PYTEST-ARGS...]   set up, then run every check and the whole test suite

Only the standard library is used here, so this works on a fresh clone with nothing but
Python 3.11+. On headless Linux run as root, the few Debian libraries Qt needs are installed
with apt-get; without root the exact install line is printed instead.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# Shared libraries PySide6's wheels load, with the Debian package that provides each.
QT_LIBS = {
    "GL": "libgl1",
    "EGL": "libegl1",
    "xkbcommon": "libxkbcommon0",
    "glib-2.0": "libglib2.0-0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
}
# Extra libraries for a real window on an X server (xcb platform plugin).
QT_XCB_LIBS = {
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
}


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(cmd: list[str | os.PathLike[str]], **kwargs: object) -> int:
    return subprocess.call([str(c) for c in cmd], **kwargs)  # type: ignore[arg-type]


def missing_packages(libs: dict[str, str]) -> list[str]:
    return sorted({pkg for lib, pkg in libs.items() if ctypes.util.find_library(lib) is None})


def ensure_system_libraries(libs: dict[str, str]) -> bool:
    """Install (as root) or name (otherwise) the Debian packages Qt needs. True when all present."""
    if platform.system() != "Linux":
        return True
    missing = missing_packages(libs)
    if not missing:
        return True
    line = "apt-get install -y --no-install-recommends " + " ".join(missing)
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and shutil.which("apt-get"):
        say(f"installing the system libraries Qt needs: {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if run(["apt-get", "update", "-qq"], env=env) == 0 and run(line.split(), env=env) == 0:
            return True
        say("apt-get failed; the line above shows what is needed")
        return False
    say("Qt needs system libraries that are missing. Install them with:")
    print(f"    sudo {line}", flush=True)
    return False


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project (editable) with the given extras, once per change."""
    if not PY.exists():
        say(f"creating {VENV}")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            say(f"could not create the virtual environment ({exc}).")
            say("On Debian/Ubuntu install it with:  sudo apt-get install -y python3-venv")
            sys.exit(1)
    spec = ".[" + extras + "]" if extras else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'app'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing the project and its dependencies ({spec}) into .venv")
    quiet = ["-q", "--disable-pip-version-check"]
    if run([PY, "-m", "pip", "install", *quiet, "-e", spec], cwd=ROOT) != 0:
        say("pip install failed")
        sys.exit(1)
    stamp.write_text(digest)


def cmd_run(args: list[str]) -> int:
    ensure_venv("")
    libs = dict(QT_LIBS)
    headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if not headless:
        libs.update(QT_XCB_LIBS)
    if not ensure_system_libraries(libs):
        return 1
    app = BIN / "routine-player"
    return run([app, *args])


def cmd_test(args: list[str]) -> int:
    ensure_venv("test")
    if not ensure_system_libraries(QT_LIBS):
        return 1
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    checks = [
        ("import contract: player/core imports no Qt", [BIN / "lint-imports"]),
        ("ruff", [BIN / "ruff", "check", "player", "tests", "bench", "scripts", "dev.py"]),
        ("mypy --strict: core, store, audio, command line", [BIN / "mypy"]),
    ]
    for title, cmd in checks:
        say(title)
        if run(cmd, cwd=ROOT, env=env) != 0:
            say(f"FAILED: {title}")
            return 1
    say("pytest")
    return run([PY, "-m", "pytest", *args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must run on any python3
        say("Python 3.11 or newer is needed")
        return 2
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    os.chdir(ROOT)
    return cmd_run(argv[1:]) if argv[0] == "run" else cmd_test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
