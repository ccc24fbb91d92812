"""dev.py, behind the README's two commands: Qt's system libraries are installed or named."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
assert spec is not None and spec.loader is not None
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


@pytest.fixture
def linux_missing_egl_and_dbus(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """On Linux, with libEGL and libdbus missing; records the commands dev.py would run."""
    monkeypatch.setattr(dev.platform, "system", lambda: "Linux")
    monkeypatch.setattr(dev.ctypes.util, "find_library",
                        lambda name: None if name in ("EGL", "dbus-1") else f"lib{name}.so")
    ran: list[list[str]] = []
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: ran.append([str(c) for c in cmd]) or 0)
    return ran


def test_without_root_the_exact_install_line_is_printed(
        linux_missing_egl_and_dbus, monkeypatch, capsys) -> None:
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    assert dev.ensure_system_libraries(dev.QT_LIBS) is False
    out = capsys.readouterr().out
    assert "    sudo apt-get install -y --no-install-recommends libdbus-1-3 libegl1\n" in out
    assert linux_missing_egl_and_dbus == []  # nothing run without root


def test_as_root_the_libraries_are_installed(linux_missing_egl_and_dbus, monkeypatch) -> None:
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert dev.ensure_system_libraries(dev.QT_LIBS) is True
    assert linux_missing_egl_and_dbus == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "--no-install-recommends", "libdbus-1-3", "libegl1"],
    ]


def test_nothing_is_installed_when_every_library_is_there(monkeypatch) -> None:
    monkeypatch.setattr(dev.platform, "system", lambda: "Linux")
    monkeypatch.setattr(dev.ctypes.util, "find_library", lambda name: f"lib{name}.so")
    assert dev.missing_packages(dev.QT_LIBS) == []
    assert dev.ensure_system_libraries(dev.QT_LIBS) is True



def test_a_missing_test_program_is_installed_as_root_and_only_named_otherwise(
        monkeypatch, capsys) -> None:
    monkeypatch.setattr(dev.platform, "system", lambda: "Linux")
    # strace for the window's file figure, dbus-daemon for the keep-awake test; CI runs as root.
    monkeypatch.setattr(dev.shutil, "which",
                        lambda name: None if name in ("strace", "dbus-daemon")
                        else f"/usr/bin/{name}")
    ran: list[list[str]] = []
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: ran.append([str(c) for c in cmd]) or 0)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    dev.ensure_test_programs(dev.TEST_PROGRAMS)
    assert ran == []
    assert ("sudo apt-get install -y --no-install-recommends dbus-daemon strace"
            in capsys.readouterr().out)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    dev.ensure_test_programs(dev.TEST_PROGRAMS)
    assert ran == [["apt-get", "update", "-qq"],
                   ["apt-get", "install", "-y", "--no-install-recommends", "dbus-daemon",
                    "strace"]]

# --- The lock: what dev.py installs, and that it agrees with pyproject.toml -------------------

def locked_pins(lock: Path) -> dict[str, tuple[str, str, list[str]]]:
    """name -> (version, marker, hashes) for every package pinned in a lock file."""
    pins: dict[str, tuple[str, str, list[str]]] = {}
    current = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        stripped = line.strip().rstrip("\\").strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            requirement, _, marker = stripped.partition(";")
            name, sep, version = requirement.strip().partition("==")
            assert sep, f"{lock.name}: {line!r} is not pinned with =="
            current = canonical(name)
            pins[current] = (version.strip(), marker.strip(), [])
        elif stripped.startswith("--hash=sha256:"):
            pins[current][2].append(stripped.removeprefix("--hash=sha256:"))
    return pins


def canonical(name: str) -> str:
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("lock", [dev.APP_LOCK, dev.TEST_LOCK], ids=["app", "test"])
def test_the_lock_was_made_from_pyproject_as_it_is(lock) -> None:
    assert dev.lock_problem(lock) is None, dev.lock_problem(lock)


@pytest.mark.parametrize("lock", [dev.APP_LOCK, dev.TEST_LOCK], ids=["app", "test"])
def test_every_locked_package_is_pinned_with_hashes(lock) -> None:
    pins = locked_pins(lock)
    assert pins
    for name, (_version, _marker, hashes) in pins.items():
        assert hashes and all(len(h) == 64 for h in hashes), name


def test_every_direct_requirement_is_locked_at_a_version_it_allows() -> None:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    build = [line for line in dev.BUILD_IN.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    tools = [line for line in dev.TOOLS_IN.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    for lock, direct in [
        (dev.APP_LOCK, project["dependencies"] + build),
        (dev.TEST_LOCK, project["dependencies"] + project["optional-dependencies"]["test"]
         + build + tools),
    ]:
        pins = locked_pins(lock)
        for text in direct:
            req = Requirement(text)
            name = canonical(req.name)
            assert name in pins, f"{req.name} is not in {lock.name}"
            assert req.specifier.contains(pins[name][0], prereleases=True), (lock.name, text)


def test_the_app_lock_pins_the_same_versions_as_the_test_lock() -> None:
    app, test = locked_pins(dev.APP_LOCK), locked_pins(dev.TEST_LOCK)
    assert {n: v[0] for n, v in app.items()} == {n: test[n][0] for n in app}


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """pyproject.toml, requirements/ and its locks copied into a folder of their own."""
    (tmp_path / "requirements").mkdir()
    for path in [ROOT / "pyproject.toml", *sorted((ROOT / "requirements").iterdir())]:
        (tmp_path / path.relative_to(ROOT)).write_bytes(path.read_bytes())
    return tmp_path


def test_a_changed_dependency_makes_the_lock_stale_and_names_the_refresh_command(
        project_copy) -> None:
    lock = project_copy / "requirements" / "test.txt"
    assert dev.lock_problem(lock, project_copy) is None
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"PyYAML>=6.0.1"', '"PyYAML>=6.0.1", "rich"'))
    problem = dev.lock_problem(lock, project_copy)
    assert problem is not None
    assert "requirements/test.txt does not match pyproject.toml" in problem
    assert "python3 dev.py lock" in problem


def test_a_change_elsewhere_in_pyproject_keeps_the_lock(project_copy) -> None:
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('line-length = 100', 'line-length = 99'))
    assert dev.lock_problem(project_copy / "requirements" / "test.txt", project_copy) is None


def test_a_lock_without_its_digest_is_stale(project_copy) -> None:
    lock = project_copy / "requirements" / "app.txt"
    lock.write_text(lock.read_text().split("\n", 1)[1])
    assert "does not match" in (dev.lock_problem(lock, project_copy) or "")


def test_a_stale_lock_stops_dev_py_before_anything_is_installed(monkeypatch, capsys) -> None:
    monkeypatch.setattr(dev, "input_digest", lambda root=dev.ROOT: "sha256:other")
    ran: list[object] = []
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: ran.append(cmd) or 0)
    with pytest.raises(SystemExit) as exit_info:
        dev.ensure_venv(dev.TEST_LOCK)
    assert exit_info.value.code == 1
    assert "Refresh the lock with:  python3 dev.py lock" in capsys.readouterr().out
    assert ran == []


@pytest.fixture
def fake_venv(monkeypatch, tmp_path) -> Path:
    """dev.py pointed at an existing (empty) virtual environment in a temporary folder."""
    venv_dir = tmp_path / "venv"
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "bin" / "python").touch()
    monkeypatch.setattr(dev, "VENV", venv_dir)
    monkeypatch.setattr(dev, "PY", venv_dir / "bin" / "python")
    return venv_dir


def test_dev_py_installs_exactly_the_lock_then_the_project_without_its_dependencies(
        monkeypatch, fake_venv) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: ran.append([str(c) for c in cmd]) or 0)
    dev.ensure_venv(dev.APP_LOCK)
    assert len(ran) == 2
    assert ran[0][-4:] == ["--require-hashes", "--no-deps", "-r", str(dev.APP_LOCK)]
    assert ran[1][-4:] == ["--no-deps", "--no-build-isolation", "-e", "."]
    ran.clear()
    dev.ensure_venv(dev.APP_LOCK)  # a second run installs nothing
    assert ran == []


def test_a_failed_install_says_what_failed_in_one_line(monkeypatch, fake_venv, capsys) -> None:
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: 1)
    with pytest.raises(SystemExit):
        dev.ensure_venv(dev.TEST_LOCK)
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == ("[dev.py] pip could not install requirements/test.txt (see its error "
                       "above): is a package registry out of reach, or is there no network?")
    assert not (fake_venv / ".installed-test").exists()


def test_the_lock_command_reads_uv_from_the_test_lock() -> None:
    pinned = dev.locked_requirement(dev.TEST_LOCK, "uv")
    first, *hashes = pinned.strip().splitlines()
    assert first.startswith("uv==") and hashes
    assert all(h.strip().startswith("--hash=sha256:") for h in hashes)
    assert not pinned.rstrip().endswith("\\")


# --- The editor test's Node.js packages ---------------------------------------------------------

@pytest.fixture
def node_folder(tmp_path, monkeypatch) -> Path:
    """A copy of tests/lsp's package files in a temporary folder, dev.py's ROOT above it."""
    folder = tmp_path / "tests" / "lsp"
    folder.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        (folder / name).write_bytes((dev.NODE_TESTS / name).read_bytes())
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    return folder


def test_without_npm_the_editor_test_install_line_is_printed(node_folder, monkeypatch,
                                                              capsys) -> None:
    monkeypatch.setattr(dev.shutil, "which", lambda name: None)
    ran: list[object] = []
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: ran.append(cmd) or 0)
    assert dev.ensure_node_packages(node_folder) is True
    assert "npm ci --prefix tests/lsp" in capsys.readouterr().out
    assert ran == []


def test_npm_ci_installs_the_lock_once_per_change(node_folder, monkeypatch) -> None:
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    ran: list[tuple[list[str], object]] = []

    def fake_run(cmd, **kw):
        ran.append(([str(c) for c in cmd], kw.get("cwd")))
        (node_folder / "node_modules").mkdir(exist_ok=True)
        return 0

    monkeypatch.setattr(dev, "run", fake_run)
    assert dev.ensure_node_packages(node_folder) is True
    assert ran == [(["/usr/bin/npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                    node_folder)]
    assert dev.ensure_node_packages(node_folder) is True  # nothing changed: nothing run
    assert len(ran) == 1
    lock = node_folder / "package-lock.json"
    lock.write_text(lock.read_text().replace("1.25.0", "1.25.1"))
    assert dev.ensure_node_packages(node_folder) is True
    assert len(ran) == 2


def test_a_failed_npm_install_stops_the_tests_with_one_line(node_folder, monkeypatch,
                                                             capsys) -> None:
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev, "run", lambda cmd, **kw: 1)
    assert dev.ensure_node_packages(node_folder) is False
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(
        "[dev.py] npm could not install tests/lsp/package-lock.json")
