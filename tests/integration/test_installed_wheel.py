"""The app as people install it: the wheel, in a new virtual environment, outside the checkout.

One wheel is built (``dev.build_wheel``, the same code as ``python3 dev.py wheel``) and installed
with the app lock into a fresh environment; every command then runs from an unrelated working
folder with nothing of the checkout on ``sys.path``, so the bundled routines, library, schemas and
media must come from the installed package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from player.core import bundled

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402 - the project's own set-up script, importable from the root

CHILD = Path(__file__).with_name("wheel_child") / "play_first_steps.py"
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    bin: Path
    site: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *args: str | Path, tool: str = "routine-player", timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run an installed console script (or the environment's Python) from ``cwd``."""
        exe = self.python if tool == "python" else self.bin / tool
        return subprocess.run([str(exe), *map(str, args)], cwd=self.cwd,
                              env={**self.env, **(env or {})}, capture_output=True, text=True,
                              timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    wheel = dev.build_wheel(base / "dist", Path(sys.executable))
    python = dev.install_wheel(wheel, base / "venv")
    cwd = base / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONNOUSERSITE="1", HOME=str(base / "home"))
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, cwd=cwd, env=env).stdout.strip())
    return Installed(wheel, python, python.parent, site, cwd, env)


def content_files(folder: Path) -> set[str]:
    return {p.relative_to(folder.parent.parent).as_posix() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_the_wheel_carries_every_bundled_routine_schema_and_media_file(installed: Installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = content_files(bundled.CONTENT_DIR)
    assert expected, "no bundled content found in the checkout"
    assert expected <= names, sorted(expected - names)[:10]
    assert not [n for n in names if n.startswith(("tests/", "bench/", "scripts/", "docs/"))]


def test_the_installed_app_reads_its_own_copy_not_the_checkout(installed: Installed):
    out = installed.run("-c", "from player.core import bundled; print(bundled.ROUTINES_DIR)",
                        tool="python")
    assert out.returncode == 0, out.stderr
    routines = Path(out.stdout.strip())
    assert routines.is_relative_to(installed.site)
    assert not routines.is_relative_to(ROOT)


def installed_routines(installed: Installed) -> list[Path]:
    folder = installed.site / "player" / "content" / "routines"
    found = sorted(p for p in folder.glob("*.yaml") if p.name != bundled.LIBRARY_FILE.name)
    assert [p.name for p in found] == [p.name for p in bundled.bundled_routines()]
    return found


def test_every_bundled_routine_validates_from_the_installed_app(installed: Installed):
    routines = installed_routines(installed)
    out = installed.run("validate", *routines)
    assert out.returncode == 0, out.stdout + out.stderr


def test_timeline_and_report_work_from_the_installed_app(installed: Installed, tmp_path: Path):
    core = installed.site / "player" / "content" / "routines" / "core-strength.yaml"
    out = installed.run("timeline", core, "--json")
    assert out.returncode == 0, out.stderr
    steps = json.loads(out.stdout)["steps"]
    assert [s["name"] for s in steps[:2]] == ["Get ready", "Cat cow"]

    data = tmp_path / "data"
    out = installed.run("--data-dir", data, "report", "--routine", core, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["routine"]["title"] == "Core strength for runners"
    pdf = tmp_path / "report.pdf"
    out = installed.run("--data-dir", data, "report", "--routine", core, "--pdf", pdf)
    assert out.returncode == 0, out.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_installed_window_plays_the_first_steps_of_a_bundled_routine(installed: Installed,
                                                                        tmp_path: Path):
    out = installed.run(CHILD, tmp_path / "data", "pre-run-warm-up.yaml", tool="python",
                        timeout=90)
    assert out.returncode == 0, out.stdout + out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(seen["package"]).is_relative_to(installed.site)
    assert seen["shown"][:3] == ["Get ready: March in place", "March in place", "Leg swings"]
    assert seen["played"][:2] == ["cues/tones/get_ready.wav", "cues/voice/get_ready.wav"]
    assert seen["played_from_package"]


def test_the_installed_app_adds_a_menu_entry_that_runs_itself(installed: Installed,
                                                              tmp_path: Path):
    share = tmp_path / "share"
    out = installed.run("--install-desktop-entry", env={"XDG_DATA_HOME": str(share)})
    assert out.returncode == 0, out.stderr
    entry = share / "applications" / "routine-player.desktop"
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / "routine-player.svg"
    assert out.stdout.splitlines() == [f"wrote {icon}", f"wrote {entry}"]
    script = (installed.bin / "routine-player").resolve()
    assert f"\nExec={script} %f\n" in entry.read_text(encoding="utf-8")
    assert icon.read_bytes() == (installed.site / "player" / "content" / "icons" /
                                 "routine-player.svg").read_bytes()
    out = installed.run("--uninstall-desktop-entry", env={"XDG_DATA_HOME": str(share)})
    assert out.returncode == 0, out.stderr
    assert not entry.exists() and not icon.exists()
