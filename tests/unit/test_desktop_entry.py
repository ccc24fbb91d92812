"""The Linux menu entry: the .desktop file and icon, where they go, removing them, the CLI flags."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player import APP_ID, desktop_entry
from player.app import main
from player.core.bundled import APP_ICON_FILE

ROOT = Path(__file__).resolve().parents[2]
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game",
                   "Graphics", "Network", "Office", "Science", "Settings", "System", "Utility"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh XDG_DATA_HOME, not created yet."""
    folder = tmp_path / "xdg" / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture
def script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend the ``routine-player`` console script is what runs."""
    path = tmp_path / "bin" / "routine-player"
    path.parent.mkdir()
    path.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(path)])
    return path


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def unescape(value: str) -> str:
    """The Desktop Entry spec's string escapes, undone."""
    out, chars = [], iter(value)
    for c in chars:
        if c == "\\":
            c = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[next(chars)]
        out.append(c)
    return "".join(out)


def split_exec(value: str) -> list[str]:
    """An Exec value as a launcher reads it: escapes, then quoting, then field codes (%f gone)."""
    line, args, i = unescape(value), [], 0
    while i < len(line):
        if line[i] == " ":
            i += 1
            continue
        arg = ""
        if line[i] == '"':
            i += 1
            while line[i] != '"':
                if line[i] == "\\":
                    i += 1
                arg += line[i]
                i += 1
            i += 1
        else:
            while i < len(line) and line[i] != " ":
                arg += line[i]
                i += 1
        if arg != "%f":
            args.append(arg.replace("%%", "%"))
    return args


def test_install_writes_the_entry_and_the_icon(home: Path, script: Path) -> None:
    written = desktop_entry.install()
    entry = home / "applications" / f"{APP_ID}.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert written == [icon, entry]
    assert icon.read_bytes() == APP_ICON_FILE.read_bytes()
    assert entry.stat().st_mode & 0o777 == 0o644
    keys = read_entry(entry)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "Routine Player"
    assert keys["GenericName"] and keys["Comment"] and keys["Keywords"].endswith(";")
    assert keys["Exec"] == f"{script} %f"
    assert keys["TryExec"] == str(script)
    assert keys["Icon"] == APP_ID
    assert keys["Terminal"] == "false"
    assert keys["StartupWMClass"] == APP_ID
    categories = keys["Categories"].split(";")
    assert categories[-1] == "" and MAIN_CATEGORIES & set(categories)
    assert not [p for p in home.rglob(".*")]  # no temporary file left behind


def test_the_entry_is_named_like_the_window_and_matches_qt(home: Path) -> None:
    from player.ui.application import APP_NAME
    from player.ui.main_window import APP_TITLE

    assert desktop_entry.ENTRY_NAME == APP_TITLE
    assert APP_NAME == APP_ID  # setApplicationName/setDesktopFileName: WM_CLASS and app_id


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed "
                           "(apt-get install desktop-file-utils)")
def test_desktop_file_validate_accepts_the_entry(home: Path, script: Path) -> None:
    entry = desktop_entry.install()[-1]
    out = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_install_creates_the_missing_folders_and_runs_twice(home: Path, script: Path) -> None:
    assert not home.exists()
    first = desktop_entry.install()
    assert all(p.is_file() for p in first)
    assert desktop_entry.install() == first


@pytest.mark.parametrize("value", [None, "", "relative/share"])
def test_without_an_absolute_xdg_data_home_it_is_the_local_share_folder(
        value: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "person"))
    monkeypatch.chdir(tmp_path)
    if value is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", value)
    share = tmp_path / "person" / ".local" / "share"
    assert desktop_entry.xdg_data_home() == share
    assert desktop_entry.install()[-1] == share / "applications" / f"{APP_ID}.desktop"
    assert not (tmp_path / "relative").exists()


def test_an_explicit_data_home_wins(tmp_path: Path, home: Path, script: Path) -> None:
    written = desktop_entry.install(tmp_path / "elsewhere")
    assert all(p.is_relative_to(tmp_path / "elsewhere") for p in written)
    assert desktop_entry.uninstall(tmp_path / "elsewhere") == written[::-1]
    assert not home.exists()


def test_uninstall_removes_only_what_install_wrote_and_can_run_twice(
        home: Path, script: Path) -> None:
    icon, entry = desktop_entry.install()
    other = home / "applications" / "someone-else.desktop"
    other.write_text("[Desktop Entry]\n")
    assert desktop_entry.uninstall() == [entry, icon]
    assert not entry.exists() and not icon.exists()
    assert other.exists() and icon.parent.is_dir()  # folders and other apps' files stay
    assert desktop_entry.uninstall() == []


def test_the_flags_print_each_file(home: Path, script: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--install-desktop-entry"]) == 0
    icon, entry = desktop_entry.icon_file(home), desktop_entry.entry_file(home)
    assert capsys.readouterr().out.splitlines() == [f"wrote {icon}", f"wrote {entry}"]
    assert main(["--uninstall-desktop-entry"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"removed {entry}", f"removed {icon}"]
    assert main(["--uninstall-desktop-entry"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"no menu entry to remove (looked for {entry})"]


@pytest.mark.parametrize("platform", ["darwin", "win32"])
@pytest.mark.parametrize("flag", ["--install-desktop-entry", "--uninstall-desktop-entry"])
def test_off_linux_the_flags_say_so_and_exit_2(
        platform: str, flag: str, home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    assert main([flag]) == 2
    captured = capsys.readouterr()
    assert captured.err == "routine-player: the menu entry is Linux-only\n"
    assert captured.out == ""
    assert not home.exists()
    with pytest.raises(desktop_entry.UnsupportedPlatformError):
        desktop_entry.install()


def test_a_path_with_a_space_is_quoted_in_exec(tmp_path: Path, home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "my apps" / "routine-player"
    path.parent.mkdir()
    path.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(path)])
    keys = read_entry(desktop_entry.install()[-1])
    assert keys["Exec"] == f'"{path}" %f'
    assert keys["TryExec"] == str(path)  # a plain string, not a command line
    assert split_exec(keys["Exec"]) == [str(path)]


@pytest.mark.parametrize("awkward", ["/opt/my apps/routine-player", '/o/"q"/r', "/o/$HOME/r",
                                     "/o/back\\slash/r", "/o/100%/r", "/o/`x`;&|<>~*?#()'/r",
                                     "/o/tab\there/r", "/plain/r"])
def test_exec_quoting_round_trips_through_the_spec_rules(awkward: str) -> None:
    command = [awkward, "-m", "player"]
    text = desktop_entry.entry_text(command)
    exec_value = next(line[5:] for line in text.splitlines() if line.startswith("Exec="))
    assert exec_value.endswith(" %f")
    assert split_exec(exec_value) == command
    if awkward == "/plain/r":
        assert exec_value == "/plain/r -m player %f"


def test_without_the_console_script_the_entry_runs_python_m_player(home: Path) -> None:
    assert desktop_entry.launcher_command("/src/player/__main__.py", "/venv/bin/python") == [
        "/venv/bin/python", "-m", "player"]
    assert desktop_entry.launcher_command("/nowhere/routine-player", "/venv/bin/python") == [
        "/venv/bin/python", "-m", "player"]  # not a file: not the script


def test_the_console_script_is_resolved(tmp_path: Path, script: Path) -> None:
    link = tmp_path / "link" / "routine-player"
    link.parent.mkdir()
    link.symlink_to(script)
    assert desktop_entry.launcher_command(str(link), "/py") == [str(script)]


def test_a_file_that_cannot_be_written_is_one_line_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["--install-desktop-entry"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"routine-player: cannot write {desktop_entry.icon_file(blocker)}: ")


def test_a_file_that_cannot_be_removed_is_one_line_naming_it(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = desktop_entry.entry_file(home)
    entry.mkdir(parents=True)  # a folder where the entry should be: unlink fails
    assert main(["--uninstall-desktop-entry"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"routine-player: cannot remove {entry}: ")


def test_the_flags_take_no_file(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--install-desktop-entry", "x.yaml"], ["--uninstall-desktop-entry", "--start"],
                 ["--install-desktop-entry", "--uninstall-desktop-entry"]):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_an_existing_gtk_icon_cache_is_rebuilt_and_none_is_made(
        home: Path, script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(desktop_entry.subprocess, "run",
                        lambda cmd, **kwargs: calls.append(cmd))
    theme = home / "icons" / "hicolor"
    desktop_entry.install()
    assert calls == []  # no cache there: none made
    (theme / "icon-theme.cache").write_bytes(b"")
    os.utime(theme, (0, 0))
    desktop_entry.uninstall()
    assert calls == [["/usr/bin/gtk-update-icon-cache", "--quiet", "--force",
                      "--ignore-theme-index", str(theme)]]
    assert theme.stat().st_mtime > 0  # touched, so icon lookups rescan the theme


def test_a_missing_or_failing_icon_cache_tool_is_fine(home: Path, script: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    theme = home / "icons" / "hicolor"
    theme.mkdir(parents=True)
    (theme / "icon-theme.cache").write_bytes(b"")
    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: None)
    assert len(desktop_entry.install()) == 2

    def broken(cmd: list[str], **kwargs: object) -> None:
        raise subprocess.TimeoutExpired(cmd, 30)

    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: "/usr/bin/x")
    monkeypatch.setattr(desktop_entry.subprocess, "run", broken)
    assert len(desktop_entry.uninstall()) == 2


def test_the_flags_run_without_importing_qt(home: Path, tmp_path: Path) -> None:
    code = ("import json, sys\n"
            "from player.app import main\n"
            "codes = [main(['--install-desktop-entry']), main(['--uninstall-desktop-entry'])]\n"
            "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print(json.dumps({'codes': codes, 'qt': qt}))\n")
    env = {**os.environ, "XDG_DATA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen == {"codes": [0, 0], "qt": []}
    assert not desktop_entry.entry_file(home).exists()


def test_autostart_is_written_and_removed_under_the_config_home(
        tmp_path: Path, script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "xdg" / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    path = desktop_entry.set_autostart(True, ("--in-tray",))
    assert path == config / "autostart" / f"{APP_ID}.desktop"
    keys = read_entry(path)
    assert split_exec(keys["Exec"]) == [str(script), "--in-tray"]
    assert "%f" not in keys["Exec"] and keys["Name"] == "Routine Player"
    assert keys["X-GNOME-Autostart-enabled"] == "true" and keys["Type"] == "Application"
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                             text=True, check=False)
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout
    assert desktop_entry.set_autostart(False) == path and not path.exists()
    assert desktop_entry.set_autostart(False) is None  # nothing left to remove


def test_without_an_absolute_xdg_config_home_it_is_dot_config(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")
    assert desktop_entry.xdg_config_home() == Path.home() / ".config"
