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
