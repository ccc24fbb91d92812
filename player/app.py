"""The composition root: parse arguments, find paths, build and wire objects.

``routine-player [--data-dir DIR] [FILE] [--start]`` opens the window;
``routine-player [--data-dir DIR] SUBCOMMAND ...`` runs a subcommand without one;
``routine-player --install-desktop-entry`` (``--uninstall-desktop-entry``) adds the app to (removes
it from) the Linux application menu, also without one.
Qt is imported only when a window is needed, so the subcommands start fast.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable

SUBCOMMANDS = ("validate", "timeline", "handout", "history", "report")
MSG_ENTRY_FLAG_ALONE = "{flag} takes no FILE and no --start"


def _global_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--data-dir", metavar="DIR",
                   help="folder for everything the app writes (default: your user data folder; "
                        "also ROUTINE_PLAYER_DATA_DIR)")
    return p


def build_parser() -> argparse.ArgumentParser:
    """The full command line, for --help and the subcommands."""
    parser = argparse.ArgumentParser(
        prog="routine-player", parents=[_global_parser()],
        description="Plays exercise routines written as YAML files, with timers, cues and "
                    "pictures. Without a subcommand it opens the window.")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    v = sub.add_parser("validate", help="check routine files; prints PATH:LINE:COL: error: ...")
    v.add_argument("paths", nargs="+", metavar="PATH")
    t = sub.add_parser("timeline", help="the resolved step list with start times and total time")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--json", action="store_true", help="print JSON")
    t.add_argument("--week", type=int, default=1, help="week of the schedule (progressions)")
    ho = sub.add_parser("handout", help="a printable PDF handout of the routine for one week")
    ho.add_argument("file", metavar="FILE")
    ho.add_argument("--week", type=int, default=1, help="week of the schedule (progressions)")
    ho.add_argument("--pdf", metavar="OUT", required=True, help="the PDF file to write")
    ho.add_argument("--clinician", action="store_true",
                    help="add the clinician copy: the file, doses by week, sources")
    ho.add_argument("--paper", choices=("a4", "letter"),
                    help="paper size (default: your locale's)")
    _add_history_parsers(sub)
    return parser


def _add_history_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    h = sub.add_parser("history", help="export or import pain ratings as CSV")
    hs = h.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    e = hs.add_parser("export", help="write every rating as CSV (standard output by default)")
    e.add_argument("--csv", metavar="FILE", help="write to FILE instead of standard output")
    i = hs.add_parser("import", help="read ratings from a CSV file in the export format")
    i.add_argument("file", metavar="FILE")
    r = sub.add_parser("report", help="adherence, pain trend and the current advice")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.add_argument("--pdf", metavar="FILE",
                   help="write the PDF report for your physiotherapist: a summary page, then "
                   "every rating and every session")
    r.add_argument("--routine", metavar="FILE",
                   help="measure adherence against this routine's schedule (default: the routine "
                        "played last, when its file is found)")


def build_gui_parser() -> argparse.ArgumentParser:
    """The command line that opens the window."""
    parser = argparse.ArgumentParser(
        prog="routine-player", parents=[_global_parser()],
        description="Opens the routine player. Subcommands: " + ", ".join(SUBCOMMANDS) +
                    " (routine-player SUBCOMMAND --help).")
    parser.add_argument("file", nargs="?", metavar="FILE", help="a routine file to open")
    parser.add_argument("--start", action="store_true", help="start playing FILE at once")
    parser.add_argument("--in-tray", action="store_true",
                        help="start in the system tray for reminders, with no window (as the "
                             "'start when I log in' setting does); the window opens when the "
                             "desktop has no tray")
    entry = parser.add_argument_group("application menu (Linux)").add_mutually_exclusive_group()
    entry.add_argument("--install-desktop-entry", dest="desktop_entry", action="store_const",
                       const="install",
                       help="add the app, with its icon, to your desktop's application menu "
                            "(in ~/.local/share) and exit")
    entry.add_argument("--uninstall-desktop-entry", dest="desktop_entry", action="store_const",
                       const="uninstall", help="remove that menu entry and icon again and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``routine-player`` and ``python -m player``."""
    args = list(sys.argv[1:] if argv is None else argv)
    globals_, rest = _global_parser().parse_known_args(args)
    if rest and rest[0] in SUBCOMMANDS:
        ns = build_parser().parse_args(args)
        # A subcommand reads years of history into objects with no cycles among them and exits:
        # the cyclic collector would only walk them again and again (about 30 ms of a report).
        gc.disable()
        try:
            return _guarded(lambda: _run_subcommand(ns))
        finally:
            gc.enable()
    if rest and rest[0] in ("-h", "--help"):
        build_gui_parser().print_help()
        print("\nsubcommands:")
        build_parser().print_help()
        return 0
    gui_parser = build_gui_parser()
    ns = gui_parser.parse_args(args)
    if ns.desktop_entry:
        if ns.file is not None or ns.start:
            gui_parser.error(MSG_ENTRY_FLAG_ALONE.format(
                flag=f"--{ns.desktop_entry}-desktop-entry"))
        return _guarded(lambda: _run_desktop_entry(ns.desktop_entry))
    # Importing Qt and building the window make hundreds of thousands of long-lived objects
    # and next to no garbage, so the cyclic collector only slows the first paint down (by
    # about 5 ms). finish_startup() turns it back on once the window is on the screen.
    gc.disable()
    from player import library_check, paths

    # Before Qt is imported: the child checks the routine files on the other core meanwhile.
    early_check = library_check.start(paths.data_dir(ns.data_dir))
    from player.ui.application import run_gui

    return run_gui(data_dir_flag=ns.data_dir, file=ns.file, start=ns.start, in_tray=ns.in_tray,
                   early_check=early_check)


def _guarded(action: Callable[[], int]) -> int:
    """Run a subcommand; an unexpected failure is a one-line message, never a traceback."""
    try:
        return action()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a command-line user
        print(f"routine-player: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3


def _run_desktop_entry(action: str) -> int:
    from player import desktop_entry  # no Qt: writes two files

    return desktop_entry.run(action)


def _run_subcommand(ns: argparse.Namespace) -> int:
    from player import cli

    if ns.command == "validate":
        return cli.cmd_validate(ns.paths)
    if ns.command == "timeline":
        return cli.cmd_timeline(ns.file, ns.json, ns.week)
    if ns.command == "handout":
        return cli.cmd_handout(ns.file, ns.pdf, ns.week, clinician=ns.clinician,
                               paper=ns.paper)
    from player import paths
    from player.history_cli import cmd_history, cmd_report

    root = paths.data_dir(ns.data_dir)
    if ns.command == "history":
        return cmd_history(root, ns)
    return cmd_report(root, ns)


if __name__ == "__main__":
    sys.exit(main())
