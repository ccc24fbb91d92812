"""What telling the truth about the history costs at start-up and for the read-only commands.

    .venv/bin/python bench/bench_store_open.py [--years 10] [--repeat 15]

Builds a ten-year history as ``bench_history.py`` does (3,650 sessions, ~51,000 step events,
~8,000 ratings), then prints the median over ``--repeat`` runs of:

* the schema check alone (:func:`player.store.db.schema_problem`: one ``PRAGMA table_info``
  query over the file's tables, compared with the columns its version's migrations make);
* building those expected columns the first time (an in-memory database migrated once per
  process, then cached);
* opening the history as the window does (integrity check not due), with the schema check
  and, as the baseline measured in the same run, with it switched off;
* opening it read-only as ``report`` and ``history export`` do;
* taking and releasing the window's lock on the data folder (``QLockFile`` and the watch for
  requests to come forward).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_history import START, build, median_ms  # noqa: E402

from player.store import db  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        build(data_dir, 365 * args.years, random.Random(1))
        path = data_dir / db.DB_FILENAME
        print(f"history: {path.stat().st_size / 1e6:.1f} MB, {args.years} years")
        last_day = START + timedelta(days=365 * args.years)
        # Every open below is on the day of the last full check: it is not due.
        db.open_database(data_dir, clock=lambda: last_day).close()

        conn = db._connect_read_only(path)
        try:
            check_ms = median_ms(lambda: db.schema_problem(conn, db.SCHEMA_VERSION), args.repeat)
        finally:
            conn.close()

        def cold() -> None:
            db.expected_columns.cache_clear()
            db.expected_columns(db.SCHEMA_VERSION)

        cold_ms = median_ms(cold, args.repeat)
        db.expected_columns(db.SCHEMA_VERSION)

        def open_window() -> None:
            db.open_database(data_dir, clock=lambda: last_day).close()

        with_ms = median_ms(open_window, args.repeat)
        real = db.schema_problem
        db.schema_problem = lambda conn, version: None  # type: ignore[assignment]
        try:
            without_ms = median_ms(open_window, args.repeat)
        finally:
            db.schema_problem = real

        def open_read_only() -> None:
            opened = db.open_read_only(data_dir)
            assert opened is not None
            opened.close()

        ro_ms = median_ms(open_read_only, args.repeat)
        lock_ms = median_lock_ms(data_dir, args.repeat)
    print(f"schema check alone:                        {check_ms:7.2f} ms")
    print(f"expected schema, first time in a process:  {cold_ms:7.2f} ms")
    print(f"open as the window does, with the check:    {with_ms:7.2f} ms")
    print(f"  the same without the check (baseline):    {without_ms:7.2f} ms "
          f"(check adds {with_ms - without_ms:+.2f} ms)")
    print(f"open read-only (report, history export):    {ro_ms:7.2f} ms")
    print(f"take and release the window's lock:         {lock_ms:7.2f} ms")
    return 0


def median_lock_ms(data_dir: Path, repeat: int) -> float:
    from PySide6.QtCore import QCoreApplication

    from player.ui.controllers.single_instance import InstanceGuard, claim

    app = QCoreApplication.instance() or QCoreApplication([])

    def lock_and_release() -> None:
        guard = claim(data_dir)
        assert isinstance(guard, InstanceGuard) and guard.locked
        guard.release()
        app.processEvents()

    return median_ms(lock_and_release, repeat)


if __name__ == "__main__":
    raise SystemExit(main())
