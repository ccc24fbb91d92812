"""The Linux menu entry: a ``.desktop`` file and the app's icon, in the user's data folder.

:func:`install` writes ``$XDG_DATA_HOME/applications/routine-player.desktop`` (freedesktop Desktop
Entry Specification) and copies the bundled icon to
``$XDG_DATA_HOME/icons/hicolor/scalable/apps/routine-player.svg`` (Icon Theme Specification), so
the app shows in the desktop's application menu and search with its icon, and a routine file can
be opened with it. :func:`uninstall` removes exactly those two files. ``XDG_DATA_HOME`` defaults
to ``~/.local/share`` when it is unset, empty or not absolute (XDG Base Directory Specification).

``routine-player --install-desktop-entry`` and ``--uninstall-desktop-entry`` run :func:`run`.
No Qt is imported here, so those commands start fast and need no display.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from player import APP_ID
from player.core.bundled import APP_ICON_FILE
from player.paths import atomic_write_text

# What the menu shows. Name is the window title (player.ui.main_window.APP_TITLE; a test checks).
ENTRY_NAME = "Routine Player"
ENTRY_GENERIC_NAME = "Exercise Routine Player"
ENTRY_COMMENT = "Play lower-back exercise routines for runners, timed and cued out loud"
#: Extra search terms for the menu (the Name and Comment are searched too).
ENTRY_KEYWORDS = ("exercise", "workout", "routine", "running", "runner", "back pain",
                  "physiotherapy", "stretching", "timer")

# Messages (the command line's; "routine-player: " is put before the errors).
MSG_WROTE = "wrote {path}"
MSG_REMOVED = "removed {path}"
MSG_NOTHING_TO_REMOVE = "no menu entry to remove (looked for {path})"
MSG_LINUX_ONLY = "the menu entry is Linux-only"
MSG_CANNOT_READ = "cannot read {path}: {reason}"
MSG_CANNOT_WRITE = "cannot write {path}: {reason}"
MSG_CANNOT_REMOVE = "cannot remove {path}: {reason}"
MSG_PREFIX = "routine-player: "

#: The console script pyproject.toml installs; the menu entry runs it when that is what runs now.
SCRIPT_NAME = "routine-player"
#: One main category only: each main category is a separate place in the menu.
CATEGORIES = ("Utility",)
#: Permissions of the two files: nothing private in them, and readable like any other entry.
FILE_MODE = 0o644
#: Exit codes of :func:`run`.
EXIT_OK, EXIT_FAILED, EXIT_UNSUPPORTED = 0, 1, 2

# Desktop Entry Specification, "The Exec key": an argument containing any of these is quoted.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# ...and inside the double quotes these four are escaped with a backslash.
_EXEC_ESCAPED_IN_QUOTES = frozenset("\"`$\\")
GTK_ICON_CACHE_TOOL = "gtk-update-icon-cache"


class UnsupportedPlatformError(Exception):
    """The menu entry is a freedesktop (Linux) thing; this is another platform."""

    def __init__(self) -> None:
        super().__init__(MSG_LINUX_ONLY)


class DesktopEntryError(Exception):
    """A file of the menu entry could not be read, written or removed; names the file."""

    def __init__(self, template: str, path: Path, exc: OSError) -> None:
        super().__init__(template.format(path=path, reason=exc.strerror or exc))
        self.path = path


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when that is unset, empty or relative."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def entry_file(home: Path) -> Path:
    """Where the ``.desktop`` file goes under the data home ``home``."""
    return home / "applications" / f"{APP_ID}.desktop"


def icon_file(home: Path) -> Path:
    """Where the icon goes under ``home``: the hicolor theme, every desktop's fallback."""
    return home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def launcher_command(argv0: str | None = None, executable: str | None = None) -> list[str]:
    """The command that starts the app now running, as absolute paths.

    The ``routine-player`` script when that is what runs (``argv0``, default ``sys.argv[0]``,
    resolved), else ``executable -m player`` (default ``sys.executable``, not resolved: a virtual
    environment's python is a link to the system one and only works under its own name).
    """
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.name == SCRIPT_NAME and script.is_file():
        return [str(script.resolve())]
    python = sys.executable if executable is None else executable
    return [str(Path(python or "python3").absolute()), "-m", "player"]


def quote_exec_argument(arg: str) -> str:
    """One argument of an ``Exec`` value, quoted by the spec's rules where it needs quoting.

    This is the command line before the general string escapes (see :func:`escape_string`);
    a literal ``%`` is written ``%%`` so it is not read as a field code.
    """
    arg = arg.replace("%", "%%")
    if arg and not any(c in _EXEC_RESERVED for c in arg):
        return arg
    quoted = "".join("\\" + c if c in _EXEC_ESCAPED_IN_QUOTES else c for c in arg)
    return f'"{quoted}"'


def escape_string(value: str) -> str:
    """A value of type string or localestring, with the spec's escapes (``\\\\ \\n \\t \\r``)."""
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def _escape_list(items: tuple[str, ...]) -> str:
    return "".join(escape_string(item).replace(";", "\\;") + ";" for item in items)


def entry_text(command: list[str]) -> str:
    """The ``.desktop`` file that starts ``command``, with ``%f`` for a routine file."""
    exec_line = " ".join(quote_exec_argument(arg) for arg in command) + " %f"
    keys = {
        "Type": "Application",
        "Version": "1.4",  # all its keys are 1.4 ones; older validators reject 1.5
        "Name": escape_string(ENTRY_NAME),
        "GenericName": escape_string(ENTRY_GENERIC_NAME),
        "Comment": escape_string(ENTRY_COMMENT),
        "Icon": APP_ID,
        # The menu hides the entry once the program is gone (e.g. after pipx uninstall).
        "TryExec": escape_string(command[0]),
        "Exec": escape_string(exec_line),
        "Terminal": "false",
        "Categories": _escape_list(CATEGORIES),
        "Keywords": _escape_list(ENTRY_KEYWORDS),
        # Qt sets the X11 WM_CLASS class to the application name, which is the app id.
        "StartupWMClass": APP_ID,
        "StartupNotify": "true",
    }
    return "[Desktop Entry]\n" + "".join(f"{key}={value}\n" for key, value in keys.items())


def _check_platform() -> None:
    if not sys.platform.startswith("linux"):
        raise UnsupportedPlatformError


def _write(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)  # creates the missing folders
        path.chmod(FILE_MODE)
    except OSError as exc:
        raise DesktopEntryError(MSG_CANNOT_WRITE, path, exc) from exc


def install(data_home: Path | None = None) -> list[Path]:
    """Write the menu entry and its icon under the data home; returns the files written.

    ``data_home`` defaults to :func:`xdg_data_home`. The icon goes first, so the entry never
    points at a missing one. Raises :class:`UnsupportedPlatformError` off Linux and
    :class:`DesktopEntryError` (naming the file) when a file cannot be read or written.
    """
    _check_platform()
    home = xdg_data_home() if data_home is None else data_home
    try:
        icon = APP_ICON_FILE.read_text(encoding="utf-8")
    except OSError as exc:
        raise DesktopEntryError(MSG_CANNOT_READ, APP_ICON_FILE, exc) from exc
    written = [icon_file(home), entry_file(home)]
    _write(written[0], icon)
    _write(written[1], entry_text(launcher_command()))
    _icon_theme_changed(home)
    return written


def uninstall(data_home: Path | None = None) -> list[Path]:
    """Remove the menu entry and icon :func:`install` wrote; returns the files removed.

    Files already gone are fine (so it can run twice); nothing else is touched, not even the
    folders install may have created. Raises like :func:`install`.
    """
    _check_platform()
    home = xdg_data_home() if data_home is None else data_home
    removed = []
    for path in (entry_file(home), icon_file(home)):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopEntryError(MSG_CANNOT_REMOVE, path, exc) from exc
        removed.append(path)
    if icon_file(home) in removed:
        _icon_theme_changed(home)
    return removed


def xdg_config_home() -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` when that is unset, empty or relative."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".config"


def autostart_file(config_home: Path) -> Path:
    """Where the entry that starts the app with the desktop session goes (XDG Autostart)."""
    return config_home / "autostart" / f"{APP_ID}.desktop"


def autostart_text(command: list[str]) -> str:
    """The autostart entry: the menu entry's keys, starting ``command`` (no file to open)."""
    exec_line = " ".join(quote_exec_argument(arg) for arg in command)
    lines = [line for line in entry_text(command).splitlines()
             if not line.startswith(("Exec=", "StartupNotify="))]
    return "\n".join([*lines, f"Exec={escape_string(exec_line)}",
                      "X-GNOME-Autostart-enabled=true"]) + "\n"


def set_autostart(enabled: bool, args: tuple[str, ...] = (), config_home: Path | None = None
                  ) -> Path | None:
    """Write (``enabled``) or remove the autostart entry; returns the file written or removed,
    None when there was nothing to remove. ``args`` go after the launcher command (the app
    passes the option that starts it in the tray). Raises like :func:`install`."""
    _check_platform()
    path = autostart_file(xdg_config_home() if config_home is None else config_home)
    if enabled:
        _write(path, autostart_text([*launcher_command(), *args]))
        return path
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DesktopEntryError(MSG_CANNOT_REMOVE, path, exc) from exc
    return path


def _icon_theme_changed(home: Path) -> None:
    """Tell icon lookups that the user's hicolor theme changed (best effort, never fails).

    GTK and Qt rescan a theme whose folder's modification time changed, so it is touched.
    A GTK icon cache there lists the icons it knew and would hide a new one: an existing cache
    is rebuilt, when the tool is installed; none is made where there was none. (No
    ``update-desktop-database``: it only indexes MimeType keys, and the entry has none.)
    """
    theme = home / "icons" / "hicolor"
    try:
        os.utime(theme)
    except OSError:
        return
    tool = shutil.which(GTK_ICON_CACHE_TOOL)
    if tool is None or not (theme / "icon-theme.cache").is_file():
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([tool, "--quiet", "--force", "--ignore-theme-index", str(theme)],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30, check=False)


def run(action: str) -> int:
    """``--install-desktop-entry`` (``action="install"``) or ``--uninstall-desktop-entry``.

    Prints each file written or removed; returns 0, or 1 with a one-line message naming the file
    when one cannot be written or removed, or 2 off Linux.
    """
    try:
        if action == "install":
            for path in install():
                print(MSG_WROTE.format(path=path))
        else:
            removed = uninstall()
            for path in removed:
                print(MSG_REMOVED.format(path=path))
            if not removed:
                print(MSG_NOTHING_TO_REMOVE.format(path=entry_file(xdg_data_home())))
    except UnsupportedPlatformError as exc:
        print(MSG_PREFIX + str(exc), file=sys.stderr)
        return EXIT_UNSUPPORTED
    except DesktopEntryError as exc:
        print(MSG_PREFIX + str(exc), file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # not one of the files: e.g. the home folder cannot be read
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{MSG_PREFIX}{where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except RuntimeError as exc:  # Path.home(): no HOME and no password database entry
        print(MSG_PREFIX + str(exc), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
