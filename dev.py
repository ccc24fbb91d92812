#!/usr/bin/env python3
"""Set up everything the project needs in ``.venv/`` and run the app or the tests.

    python3 dev.py run [ARGS...]    set up, then start the app on the bundled routines
    python3 dev.py test [PYTEST-ARGS...]   set up, then run every check and the whole test suite
    python3 dev.py lock [--upgrade]  refresh the lock files after a change to pyproject.toml
    python3 dev.py wheel            build the app's wheel into dist/ (bundled routines and media included)

Only the standard library is used here, so this works on a fresh clone with nothing but
Python 3.11+. Dependencies come from the lock files in ``requirements/`` (every package pinned
with its hashes), so every machine installs the same versions. On headless Linux run as root,
the few Debian libraries Qt needs are installed with apt-get; without root the exact install
line is printed instead.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

LOCK_DIR = ROOT / "requirements"
#: The app's own dependencies, pinned with hashes (what ``dev.py run`` installs).
APP_LOCK = LOCK_DIR / "app.txt"
#: The app's and the test tools' dependencies, pinned with hashes (what ``dev.py test`` installs).
TEST_LOCK = LOCK_DIR / "test.txt"
#: Extra inputs: the build backend (both locks; editable installs run without build isolation,
#: so the backend is pinned too) and the lock tool itself (the test lock only).
BUILD_IN = LOCK_DIR / "build.in"
TOOLS_IN = LOCK_DIR / "tools.in"
LOCK_COMMAND = "python3 dev.py lock"
#: The Node.js packages the editor test drives (yaml-language-server), pinned in their own lock.
NODE_TESTS = ROOT / "tests" / "lsp"
NODE_INSTALL_LINE = "npm ci --prefix tests/lsp"
DIGEST_PREFIX = "# input-digest: "

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
# Programs some tests use, with the Debian package of each: strace watches every file the window
# opens (tests/integration/test_pictures_strace.py); dbus-daemon runs a private session bus for
# the keep-awake test. Without one, the tests that need it are skipped, naming its package.
TEST_PROGRAMS = {"strace": "strace", "dbus-daemon": "dbus-daemon"}


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(cmd: list[str | os.PathLike[str]], **kwargs: object) -> int:
    return subprocess.call([str(c) for c in cmd], **kwargs)  # type: ignore[arg-type]


def missing_packages(libs: dict[str, str], programs: dict[str, str] | None = None) -> list[str]:
    missing = {pkg for lib, pkg in libs.items() if ctypes.util.find_library(lib) is None}
    missing |= {pkg for name, pkg in (programs or {}).items() if shutil.which(name) is None}
    return sorted(missing)


def ensure_system_libraries(libs: dict[str, str], programs: dict[str, str] | None = None,
                            what: str = "Qt needs system libraries") -> bool:
    """Install (as root) or name (otherwise) the Debian packages of ``libs`` (shared libraries)
    and ``programs`` (commands). True when all present."""
    if platform.system() != "Linux":
        return True
    missing = missing_packages(libs, programs)
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
    say(f"{what} that are missing. Install them with:")
    print(f"    sudo {line}", flush=True)
    return False


def ensure_test_programs(programs: dict[str, str]) -> None:
    """Install (as root, on Debian) the programs some tests use; otherwise say which are missing
    (the tests that need them are skipped, so this never stops the run)."""
    missing = sorted({pkg for prog, pkg in programs.items() if shutil.which(prog) is None})
    if not missing or platform.system() != "Linux":
        return
    line = "apt-get install -y --no-install-recommends " + " ".join(missing)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"installing programs the tests use: {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if run(["apt-get", "update", "-qq"], env=env) == 0 and run(line.split(), env=env) == 0:
            return
    say(f"tests that need {', '.join(missing)} are skipped; install with:  sudo {line}")


def lock_inputs(root: Path = ROOT) -> dict[str, object]:
    """What the locks are made from: pyproject's dependency tables and the extra ``.in`` files."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject.get("project", {})
    inputs: dict[str, object] = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-system": pyproject.get("build-system", {}).get("requires", []),
    }
    for extra in (BUILD_IN, TOOLS_IN):
        path = root / extra.relative_to(ROOT)
        inputs[extra.name] = path.read_text(encoding="utf-8") if path.exists() else None
    return inputs


def input_digest(root: Path = ROOT) -> str:
    """A digest of :func:`lock_inputs`, written at the top of each lock when it is made."""
    text = json.dumps(lock_inputs(root), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def locked_digest(lock: Path) -> str | None:
    """The input digest a lock file was made from, or None when it has none."""
    try:
        with lock.open(encoding="utf-8") as fh:
            first = fh.readline().strip()
    except OSError:
        return None
    return first[len(DIGEST_PREFIX):].strip() if first.startswith(DIGEST_PREFIX) else None


def lock_problem(lock: Path, root: Path = ROOT) -> str | None:
    """Why ``lock`` cannot be installed as it is (missing, or made from other inputs), or None."""
    name = lock.relative_to(root) if lock.is_relative_to(root) else lock
    if not lock.exists():
        return f"{name} is missing. Make it with:  {LOCK_COMMAND}"
    if locked_digest(lock) != input_digest(root):
        return (f"{name} does not match pyproject.toml (its dependencies changed since the lock "
                f"was made). Refresh the lock with:  {LOCK_COMMAND}")
    return None


def create_venv() -> None:
    """Create .venv with pip, unless it is there."""
    if PY.exists():
        return
    say(f"creating {VENV}")
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    except (subprocess.CalledProcessError, OSError) as exc:
        say(f"could not create the virtual environment ({exc}).")
        say("On Debian/Ubuntu install it with:  sudo apt-get install -y python3-venv")
        sys.exit(1)


PIP_QUIET = ["-q", "--disable-pip-version-check"]


def ensure_node_packages(folder: Path = NODE_TESTS) -> bool:
    """Install the editor test's Node.js packages with ``npm ci`` (exactly its lock), once per
    change of the lock. Without npm, say how to get them (that test then skips). False when
    npm is there but the install failed."""
    lock = folder / "package-lock.json"
    if not lock.exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        say("npm is not installed, so the editor test (tests/lsp) will be skipped. Install "
            f"Node.js and npm (sudo apt-get install -y nodejs npm), then:  {NODE_INSTALL_LINE}")
        return True
    stamp = folder / "node_modules" / ".installed-lock"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return True
    say(f"installing the editor test's Node.js packages ({lock.relative_to(ROOT)}) with npm ci")
    if run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder) != 0:
        say(f"npm could not install {lock.relative_to(ROOT)} (see its error above): is the npm "
            "registry out of reach, or is there no network?")
        return False
    stamp.write_text(digest)
    return True


def ensure_venv(lock: Path) -> None:
    """Create .venv, install exactly ``lock`` and the project (editable), once per change."""
    problem = lock_problem(lock)
    if problem:
        say(problem)
        sys.exit(1)
    create_venv()
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{lock.stem}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    name = lock.relative_to(ROOT)
    say(f"installing the locked dependencies ({name}) and the project into .venv")
    pip = [PY, "-m", "pip", "install", *PIP_QUIET]
    if run([*pip, "--require-hashes", "--no-deps", "-r", lock], cwd=ROOT) != 0:
        say(f"pip could not install {name} (see its error above): is a package registry "
            "out of reach, or is there no network?")
        sys.exit(1)
    if run([*pip, "--no-deps", "--no-build-isolation", "-e", "."], cwd=ROOT) != 0:
        say("pip could not install the project itself into .venv (see its error above)")
        sys.exit(1)
    stamp.write_text(digest)


def locked_requirement(lock: Path, name: str) -> str:
    """The lines of one package's pin in ``lock`` (name==version with its hashes)."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    picked: list[str] = []
    for line in lines:
        if picked and not line.startswith((" ", "\t")):
            break
        starts = picked or line.lower().startswith(name.lower() + "==")
        if starts and not line.lstrip().startswith("#"):
            picked.append(line)
    if not picked:
        raise SystemExit(f"[dev.py] {name} is not pinned in {lock}")
    return "\n".join(picked).rstrip(" \\") + "\n"


#: What a wheel is built from is copied first, so nothing left over in the checkout (a stale
#: ``build/`` folder, caches, the virtual environment) can end up in it.
_NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                      ".*_cache", "bench", "tests", "docs", "scripts")


def build_wheel(out_dir: Path, python: Path = PY) -> Path:
    """Build the app's wheel into ``out_dir`` with the locked setuptools; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="routine-player-src-") as tmp:
        source = Path(tmp) / "src"
        shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
        before = set(out_dir.glob("*.whl"))
        if run([python, "-m", "pip", "wheel", *PIP_QUIET, "--no-deps", "--no-build-isolation",
                "-w", out_dir, source]) != 0:
            raise SystemExit("[dev.py] pip could not build the wheel (see its error above)")
    made = sorted(set(out_dir.glob("*.whl")) - before) or sorted(out_dir.glob("*.whl"))
    return made[-1]


def install_wheel(wheel: Path, venv_dir: Path, lock: Path = APP_LOCK) -> Path:
    """A new virtual environment with exactly ``lock`` and ``wheel``; returns its Python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    python = venv_dir / PY.relative_to(VENV)
    pip = [python, "-m", "pip", "install", *PIP_QUIET]
    if run([*pip, "--require-hashes", "--no-deps", "-r", lock]) != 0:
        raise SystemExit(f"[dev.py] pip could not install {lock.name} into {venv_dir}")
    if run([*pip, "--no-deps", wheel]) != 0:
        raise SystemExit(f"[dev.py] pip could not install {wheel.name} into {venv_dir}")
    return python


def cmd_wheel(args: list[str]) -> int:
    """Build the wheel into ``dist/`` (for ``pipx install dist/*.whl`` or sharing)."""
    ensure_venv(APP_LOCK)
    wheel = build_wheel(ROOT / "dist")
    say(f"built {wheel.relative_to(ROOT)} ({wheel.stat().st_size / 2**20:.1f} MiB)")
    return 0


def cmd_lock(args: list[str]) -> int:
    """Resolve pyproject.toml into both lock files with uv (pinned in the test lock)."""
    create_venv()
    uv = BIN / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
            fh.write(locked_requirement(TEST_LOCK, "uv"))
        try:
            if run([PY, "-m", "pip", "install", *PIP_QUIET, "--require-hashes", "--no-deps",
                    "-r", fh.name]) != 0:
                say("pip could not install uv, the lock tool")
                return 1
        finally:
            os.unlink(fh.name)
    digest = input_digest()
    compile_ = [uv, "pip", "compile", "--quiet", "--universal", "--generate-hashes",
                "--python-version", "3.11", "--no-header", *args]
    targets = [
        (APP_LOCK, ["pyproject.toml", BUILD_IN.relative_to(ROOT)]),
        (TEST_LOCK, ["pyproject.toml", BUILD_IN.relative_to(ROOT), TOOLS_IN.relative_to(ROOT),
                     "--extra", "test"]),
    ]
    for lock, inputs in targets:
        say(f"resolving {lock.relative_to(ROOT)}")
        if run([*compile_, *inputs, "-o", lock], cwd=ROOT) != 0:
            say(f"uv could not resolve {lock.relative_to(ROOT)} (see its error above)")
            return 1
        body = lock.read_text(encoding="utf-8")
        header = (f"{DIGEST_PREFIX}{digest}\n"
                  f"# Made by `{LOCK_COMMAND}` from pyproject.toml and requirements/*.in; "
                  "do not edit by hand.\n")
        lock.write_text(header + body, encoding="utf-8")
    say("the locks are up to date; commit requirements/")
    return 0


def cmd_run(args: list[str]) -> int:
    ensure_venv(APP_LOCK)
    libs = dict(QT_LIBS)
    headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if not headless:
        libs.update(QT_XCB_LIBS)
    if not ensure_system_libraries(libs):
        return 1
    app = BIN / "routine-player"
    return run([app, *args])


def cmd_test(args: list[str]) -> int:
    # Not fatal: without it the one test that needs it is skipped, naming the same line.
    ensure_venv(TEST_LOCK)
    if not ensure_system_libraries(QT_LIBS):
        return 1
    ensure_test_programs(TEST_PROGRAMS)
    if not ensure_node_packages():
        return 1
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    checks = [
        ("import contract: player/core imports no Qt", [BIN / "lint-imports"]),
        ("ruff", [BIN / "ruff", "check", "player", "tests", "bench", "scripts", "dev.py"]),
        ("mypy --strict: the whole player package", [BIN / "mypy"]),
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
    commands = {"run": cmd_run, "test": cmd_test, "lock": cmd_lock, "wheel": cmd_wheel}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    os.chdir(ROOT)
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
