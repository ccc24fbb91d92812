"""The ``history`` and ``report`` subcommands, and the report they share with the window.

``history export [--csv FILE]`` writes every pain rating as CSV; ``history import FILE`` reads a
diary back, all or nothing; ``report [--json] [--pdf FILE] [--routine FILE]`` prints adherence,
the pain trend and the current advice. The report itself is :mod:`player.core.report`, which the
history page and the PDF (:mod:`player.ui.report_pdf`) read too, so they say the same thing.

Adherence is measured against the schedule of ``--routine FILE``, else of the routine played
last when its file can still be found among :func:`~player.routine_files.routine_candidates` (the recent files, the
person's routines folder and the bundled routines). Qt is imported only for ``--pdf``. The CSV
and the PDF are written owner-only (0600), like the history they come from
(:mod:`player.private_files`).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from player import paths, private_files
from player.core.diary_csv import MAX_DIARY_BYTES, DiaryImport, export_csv, import_csv, too_large
from player.core.history import HistoryData
from player.core.loader import load_library, load_routine_bytes
from player.core.report import format_report, report_for
from player.core.routine import Routine
from player.core.text import escape_controls, escape_json
from player.core.yamlsafe import read_limited
from player.routine_files import routine_candidates
from player.settings import load_settings
from player.store.db import StoreError
from player.store.history import HistoryStore

PROG = "routine-player"
THERMAL_DAMAGED = ("{what} It is not part of this report or export, and is kept as it is "
                   "in the history.")
THERMAL_UNREADABLE = "the ice and heat records could not be read ({why}); the rest is reported"
NO_HISTORY_YET = ("there is no history yet in {folder}: it starts with your first session or "
                  "daily check-in")

# --- Reading the history ---------------------------------------------------------------------


def load_history(data_dir: Path, err: TextIO | None = None) -> HistoryData:
    """The history in *data_dir*, opened read-only: nothing is created, migrated or moved, so
    it works in a folder that cannot be written and while the app is open.

    With no database yet it is empty, and *err* says there is no history yet. Ice and heat
    records that cannot be read are named on *err* (the report does not use them), and the
    rest is read as usual.
    """
    err = err or sys.stderr
    store = HistoryStore.open_read_only(data_dir)
    if store is None:
        print(f"{PROG}: {NO_HISTORY_YET.format(folder=data_dir)}", file=err)
        return HistoryData()
    with store:
        data = store.snapshot()
        try:
            damaged = store.thermal_records().damaged
        except StoreError as exc:
            print(f"{PROG}: {escape_controls(THERMAL_UNREADABLE.format(why=exc))}", file=err)
        else:
            for record in damaged:
                text = THERMAL_DAMAGED.format(what=record.words)
                print(f"{PROG}: {escape_controls(text)}", file=err)
        return data


# --- The subcommands ----------------------------------------------------------------------------


def cmd_history(data_dir: Path, ns: argparse.Namespace) -> int:
    """``history export [--csv FILE]`` and ``history import FILE``."""
    try:
        if ns.history_command == "export":
            return _export(data_dir, ns.csv)
        return _import(data_dir, Path(ns.file))
    except StoreError as exc:
        return _fail(str(exc))


def cmd_report(data_dir: Path, ns: argparse.Namespace, now: datetime | None = None) -> int:
    """``report [--json] [--pdf FILE] [--routine FILE]``: adherence, pain and the advice."""
    now = now or datetime.now().astimezone()
    try:
        history = load_history(data_dir)
    except StoreError as exc:
        return _fail(str(exc))
    given = None
    if ns.routine:
        given, problem = _load_given_routine(Path(ns.routine))
        if given is None:
            return _fail(problem)
    starts = load_settings(paths.settings_file(data_dir)).settings.chosen_starts()
    report = report_for(history, now, routine_candidates(data_dir), given=given,
                        library=load_library(), chosen_starts=starts)
    if ns.json:
        sys.stdout.write(escape_json(json.dumps(report.to_json(), indent=2, ensure_ascii=False)))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_report(report))
    if ns.pdf:
        from player.ui.report_pdf import write_report_pdf

        try:
            write_report_pdf(report, Path(ns.pdf))
        except OSError as exc:
            return _fail(f"cannot write {ns.pdf}: {exc.strerror or exc}")
        print(f"wrote {ns.pdf}", file=sys.stderr)
    return 0


def _load_given_routine(path: Path) -> tuple[Routine | None, str]:
    try:
        data = read_limited(path)
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"
    result = load_routine_bytes(data, path, load_library())
    if result.routine is None:
        for problem in result.errors:
            print(escape_controls(problem.format(str(path))), file=sys.stderr)
        return None, f"{path} is not a usable routine; see the problems above"
    return result.routine, ""


def _export(data_dir: Path, csv_file: str | None) -> int:
    text = export_csv(load_history(data_dir).ratings)
    if csv_file is None:
        sys.stdout.write(text)
        return 0
    try:
        # Bytes, so the line ends are export_csv's on every platform; 0600, like the history.
        private_files.write_atomically(Path(csv_file), text.encode("utf-8"))
    except OSError as exc:
        return _fail(f"cannot write {csv_file}: {exc.strerror or exc}")
    return 0


def _import(data_dir: Path, path: Path) -> int:
    try:
        data = read_limited(path, MAX_DIARY_BYTES)  # never more than the limit, never a FIFO
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    if len(data) > MAX_DIARY_BYTES:
        diary = DiaryImport((), (too_large(_size(path)),))
    else:
        try:
            diary = import_csv(data.decode("utf-8"), datetime.now().astimezone())
        except UnicodeDecodeError:
            return _fail(f"{path} is not UTF-8 text; save it as UTF-8 CSV and try again")
    if not diary.ok:
        for problem in diary.problems:
            print(escape_controls(f"{path}:{problem.line or 1}: error: {problem.message}"),
                  file=sys.stderr)
        count = len(diary.problems)
        print(f"{PROG}: nothing was imported: {count} problem{'' if count == 1 else 's'} "
              f"in {path}", file=sys.stderr)
        return 1
    with HistoryStore.open(data_dir) as store:
        for notice in store.notices:
            print(f"{PROG}: {notice}", file=sys.stderr)
        added = store.import_ratings(diary.ratings)
    known = len(diary.ratings) - added
    print(f"imported {added} rating{'' if added == 1 else 's'} from {path}"
          + (f" ({known} already in your history)" if known else ""))
    return 0


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _fail(message: str) -> int:
    print(escape_controls(f"{PROG}: {message}"), file=sys.stderr)
    return 1
