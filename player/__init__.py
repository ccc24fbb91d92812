"""Routine player: plays exercise routines written as YAML files."""

#: The app's id, shared by everything the desktop sees: the menu entry's file name
#: (``routine-player.desktop``, see :mod:`player.desktop_entry`), its icon name, and Qt's
#: application name and desktop file name (``player.ui.application``), which become the window's
#: X11 WM_CLASS and Wayland app_id, so the desktop matches the window to its menu entry.
APP_ID = "routine-player"
