"""The report on ten years of daily history: ``report --json`` and opening the history page.

    .venv/bin/python bench/bench_report.py [--years 10] [--repeat 15] [--cli-runs 7]
                                           [--page-runs 5] [--opens 6] [--fresh] [--profile]
                                           [--parts report,cli,page,breakdown]
                                           [--zone Europe/London]

Issue 9's figure: with 10 years of daily use (3,650 sessions, ~11,000 ratings) the report takes
at most 100 ms more than on an empty history, both for ``report --json`` and for opening the
history page, measured in the same run.

The history is written through the app's own write path (:class:`SessionLog` over a
:class:`HistoryStore`, as the window's recorder does): one session of the bundled
``core-strength.yaml`` a day (its file exists, so ``report_for`` finds it by its hash and
measures adherence against its schedule), every step of its plan (43 steps in weeks 1-4, 45 in
weeks 5-6; the programme restarted every six weeks, so the stored week cycles 1-6), with its
thresholds, planned and done exercise seconds; 0.3 % of exercise steps skipped (so about 6 %
of the sessions are ``partly_done``) and 1.5 % of sessions stopped early; a before and an
after rating per session and a daily check-in (3 x 3,650 = 10,950 ratings), a few notes,
symptom answers every 90 days and a few banner events. It ends yesterday as generated. The
database is cached under the temp dir, keyed by :data:`GENERATOR_VERSION`, the schema version
and the years (a history of an older schema would be copied into memory and migrated there by
every read-only ``report``, which a person's history, migrated once by the app, never is), and
copied into a fresh folder for every run (the app writes to it: banner events,
``PRAGMA optimize``); ``--fresh`` builds it again.

The empty history is a database the app has created with nothing in it (the person who has
installed the app and played nothing); the in-process report is also timed with no database
file at all (``load_history`` then opens nothing).

Measured, each as first run (cold), then median and p95 of the runs after it, in ms:

1. ``report --json`` in-process, as ``cmd_report`` does it: ``load_history`` (open the store
   read-only, read everything), ``routine_candidates`` + ``report_for``, ``to_json`` +
   ``json.dumps``, with the cyclic collector off as the command runs (before 2026-12-04 this
   bench left it on: 10-15 ms of the 10-year figure was the collector walking the records); the
   two histories alternate. Then the command itself as a subprocess, ``routine-player
   --data-dir D report --json`` (its console script's code, run by this Python with this
   checkout first on the path), wall time (Python start-up included), alternating.
2. Opening the history page in the real window (offscreen; built as
   ``tests/unit/ui/harness.py`` does: ``build_app``, ``show_window``, ``finish_startup``, with a
   silent audio output), in a fresh process per run so that the first open is a real first
   open: from calling ``CareFeatures.show_history()`` until the page has been laid out and
   painted (events processed until the page's first paint), the first open and the opens after
   it (back to the library in between).

Prints the database size, every figure for both histories, and the difference (10 years -
empty) against the 100 ms target; then (``breakdown``) what ``report --json`` spends on 10
years part by part, and issue 12's care advice figure on the same history (``assess``, target
50 ms). ``--parts`` makes only some of the measurements (e.g. to alternate with another
checkout: run this file from a ``git archive`` of it, whose own cache is keyed by its schema). ``--profile`` adds cProfile's top functions for the 10-year
report and the 10-year page opens. Figures only, no timing asserts.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from player import paths  # noqa: E402 - after the path set-up above
from player.core import bundled  # noqa: E402
from player.core.engine import StepFinished  # noqa: E402
from player.core.history import (  # noqa: E402
    BannerEvent,
    PainRating,
    StepStatus,
    SymptomAnswers,
    routine_file_hash,
)
from player.core.loader import load_library, load_routine  # noqa: E402
from player.core.outcome import EXERCISE_KINDS, EndReason  # noqa: E402
from player.core.plan import SessionPlan, build_plan  # noqa: E402
from player.core.report import report_for  # noqa: E402
from player.history_cli import load_history  # noqa: E402
from player.routine_files import routine_candidates  # noqa: E402
from player.settings import Settings, save_settings  # noqa: E402
from player.store.db import SCHEMA_VERSION  # noqa: E402
from player.store.history import HistoryStore  # noqa: E402
from player.store.session_log import SessionLog  # noqa: E402

#: Bump when the generated history changes, so that a cached database is built again.
GENERATOR_VERSION = 1
ROUTINE_FILE = bundled.ROUTINES_DIR / "core-strength.yaml"
TARGET_MS = 100.0
#: The measurements ``--parts`` chooses from: 1, 1b, 2 and the part-by-part table.
PARTS = ("report", "cli", "page", "breakdown")
#: The ``routine-player`` command as its console script runs it, with this checkout's code first
#: on the path (so that a ``git archive`` of another commit, which has no .venv, runs its own).
CLI = [sys.executable, "-c", "import sys; from player.app import main; sys.exit(main())"]
CLI_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


# --- The history -------------------------------------------------------------------------------


class _Clock:
    """The wall clock SessionLog reads, moved by the generator."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _pain_level(day: int, rng: random.Random) -> int:
    """Settling everyday back pain: about 4 at first, about 2 after a year, short flare-ups."""
    level = 2.0 + 2.2 * max(0.0, 1 - day / 365)
    if day % 120 in range(60, 64):  # a few days' flare-up three times a year
        level += 1.5
    return max(0, min(10, round(level + rng.gauss(0, 0.8))))


def _play(log: SessionLog, plan: SessionPlan, clock: _Clock, rng: random.Random) -> None:
    """The rest of a session begun with ``log.begin``: every step as it ends, then the end."""
    stop_at = rng.randrange(len(plan)) if rng.random() < 0.015 else None
    reason: EndReason = "end"
    for step in plan.steps:
        status: StepStatus = "completed"
        if step.index == stop_at:
            status, reason = "skipped", "stopped"
        elif step.kind in EXERCISE_KINDS and rng.random() < 0.003:
            status = "skipped"
        if step.duration_seconds is None:  # untimed: the person presses Done
            actual = step.planned_seconds * rng.uniform(0.8, 1.3) if status == "completed" \
                else rng.uniform(0, 5)
        else:
            actual = step.duration_seconds if status == "completed" \
                else step.duration_seconds * rng.uniform(0, 0.5)
        clock.at += timedelta(seconds=actual + rng.uniform(0, 2))
        log.on_step_finished(StepFinished(at=0.0, step=step, status=status,
                                          actual_seconds=actual))
        if reason == "stopped":
            break
    log.finish(reason)


def build_history(data_dir: Path, years: int, seed: int = 9,
                  zone: str | None = None) -> dict[str, Any]:
    """Fill ``data_dir`` with ``years`` of daily use ending yesterday; returns what it holds.

    The times are in the machine's UTC offset of now, or in ``zone`` (e.g. ``Europe/London``:
    then they change offset with summer time, as a person's do)."""
    rng = random.Random(seed)
    days = 365 * years
    routine = load_routine(ROUTINE_FILE, load_library()).routine
    assert routine is not None, f"{ROUTINE_FILE} does not load"
    file_hash = routine_file_hash(ROUTINE_FILE.read_bytes())
    thresholds = routine.pain_checks.thresholds
    weeks = routine.schedule.weeks or 6
    plans = {week: build_plan(routine, week) for week in range(1, weeks + 1)}
    now = datetime.now().astimezone()
    tz = now.tzinfo if zone is None else ZoneInfo(zone)
    first = now.date() - timedelta(days=days)
    counts = {"sessions": 0, "steps": 0, "ratings": 0, "symptoms": 0, "banner_events": 0}
    with HistoryStore.open(data_dir) as store:
        clock = _Clock(now)
        log = SessionLog(store, clock)
        for day in range(days):
            today = first + timedelta(days=day)
            started = datetime(today.year, today.month, today.day, 7, 0, tzinfo=tz) + \
                timedelta(minutes=rng.randint(0, 90))
            week = (day // 7) % len(plans) + 1
            pain = _pain_level(day, rng)
            clock.at = started
            sid = log.begin(plans[week], thresholds=thresholds, file_hash=file_hash)
            # Asked before the start, recorded once the session has its id (as the window does).
            store.add_rating(PainRating(started, "before", pain, session_id=sid))
            _play(log, plans[week], clock, rng)
            after = max(0, min(10, pain + rng.choice((-1, 0, 0, 0, 1))))
            note = rng.choice(("felt stiff at the start", "easier today", "tight hamstrings")) \
                if rng.random() < 0.05 else ""
            store.add_rating(PainRating(clock.at + timedelta(seconds=20), "after", after,
                                        note=note, session_id=sid))
            evening = datetime(today.year, today.month, today.day, 20, 0, tzinfo=tz) + \
                timedelta(minutes=rng.randint(0, 120))
            store.add_rating(PainRating(evening, "checkin", _pain_level(day, rng),
                                        body_area="lower back" if rng.random() < 0.3 else ""))
            counts["sessions"] += 1
            counts["steps"] += len(store.steps(sid))
            counts["ratings"] += 3
            if day % 90 == 0:
                store.add_symptoms(SymptomAnswers(started - timedelta(minutes=5)))
                counts["symptoms"] += 1
            if day % 120 == 62:  # the flare-up brought the banner up; dismissed the same day
                reason = "Your pain has been at 4/10 or more for a while."
                store.add_banner_event(BannerEvent(started, "see_professional", (reason,),
                                                   "shown"))
                store.add_banner_event(BannerEvent(started + timedelta(minutes=1),
                                                   "see_professional", (reason,), "dismissed"))
                counts["banner_events"] += 2
    counts.update(first_day=first.isoformat(), last_day=(first + timedelta(days=days - 1))
                  .isoformat(), generated=now.isoformat(timespec="seconds"))
    return counts


def cached_history(years: int, fresh: bool,
                   zone: str | None = None) -> tuple[Path, dict[str, Any]]:
    """The generated database (built once per generator version and years) and its counts."""
    name = f"routine-player-bench-report-v{GENERATOR_VERSION}-s{SCHEMA_VERSION}-{years}y"
    if zone is not None:
        name += "-" + zone.replace("/", "_")
    cache = Path(tempfile.gettempdir()) / name
    db, meta = paths.database_file(cache), cache / "meta.json"
    if fresh and cache.exists():
        shutil.rmtree(cache)
    if db.exists() and meta.exists():
        return db, json.loads(meta.read_text())
    building = Path(tempfile.mkdtemp(prefix="routine-player-bench-report-build-"))
    t0 = time.perf_counter()
    counts = build_history(building, years, zone=zone)
    counts["build_seconds"] = round(time.perf_counter() - t0, 1)
    (building / "meta.json").write_text(json.dumps(counts, indent=2))
    for side in building.glob(f"{paths.database_file(building).name}-*"):
        side.unlink()  # closed cleanly: the -wal was folded back into the file
    shutil.rmtree(cache, ignore_errors=True)
    building.rename(cache)
    counts["built_now"] = True
    return db, counts


def prepare(root: Path, cached_db: Path) -> tuple[Path, Path, Path]:
    """Data folders for this run: (ten years, empty database, no database at all)."""
    ten, empty, none = root / "ten-years", root / "empty", root / "no-database"
    for folder in (ten, empty, none):
        folder.mkdir(mode=0o700)
        # Accepted first-run notice (else the window asks); no recent files: the routine was
        # played from the library, so report_for finds it among the bundled routines.
        save_settings(paths.settings_file(folder), Settings(notice_accepted=True))
    shutil.copyfile(cached_db, paths.database_file(ten))
    os.chmod(paths.database_file(ten), 0o600)
    HistoryStore.open(empty).close()
    return ten, empty, none


# --- Figures ---------------------------------------------------------------------------------


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Runs:
    """Timings of one measurement: the first (cold) run and the runs after it."""

    def __init__(self, times: Sequence[float] = ()) -> None:
        self.times = list(times)

    def add(self, ms: float) -> None:
        self.times.append(ms)

    @property
    def first(self) -> float:
        return self.times[0]

    @property
    def warm(self) -> list[float]:
        return self.times[1:] or self.times

    @property
    def median(self) -> float:
        return statistics.median(self.warm)

    @property
    def p95(self) -> float:
        return p95(self.warm)


def print_table(title: str, rows: Sequence[tuple[str, Runs, Runs]], note: str = "") -> None:
    print(f"\n{title}")
    if note:
        print(f"  ({note})")
    head = f"  {'':34} {'empty':>25}   {'10 years':>25}   {'10 years - empty':>19}"
    print(head)
    print(f"  {'':34} {'first  median     p95':>25}   {'first  median     p95':>25}   "
          f"{'median     p95':>19}")
    for label, empty, ten in rows:
        d_med, d_p95 = ten.median - empty.median, ten.p95 - empty.p95
        print(f"  {label:34} {empty.first:7.1f} {empty.median:7.1f} {empty.p95:7.1f}   "
              f"{ten.first:7.1f} {ten.median:7.1f} {ten.p95:7.1f}   {d_med:7.1f} {d_p95:7.1f}")


def verdict(label: str, empty: Runs, ten: Runs) -> str:
    diff = ten.median - empty.median
    diff95 = ten.p95 - empty.p95
    ok = "within" if max(diff, diff95) <= TARGET_MS else "OVER"
    return (f"  {label:44} {diff:7.1f} ms median, {diff95:7.1f} ms p95 "
            f"-> {ok} the {TARGET_MS:.0f} ms target")


# --- 1. report --json ----------------------------------------------------------------------------


def report_once(data_dir: Path, now: datetime | None = None) -> tuple[float, float, float, int]:
    """``cmd_report --json``'s work on ``data_dir``: (load, report, json) ms and the text size.

    With the cyclic collector off, as ``player.app.main`` runs every subcommand.
    """
    gc.disable()
    try:
        t0 = time.perf_counter()
        history = load_history(data_dir, io.StringIO())
        t1 = time.perf_counter()
        report = report_for(history, now or datetime.now().astimezone(),
                            routine_candidates(data_dir))
        t2 = time.perf_counter()
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
        t3 = time.perf_counter()
    finally:
        gc.enable()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, len(text)


def bench_report_in_process(dirs: dict[str, Path], repeat: int) -> dict[str, dict[str, Runs]]:
    """Each history ``repeat + 1`` times (the first cold), the histories alternating."""
    out = {name: {k: Runs() for k in ("total", "load", "report", "json")} for name in dirs}
    names = list(dirs)
    for n in range(repeat + 1):
        for name in (names if n % 2 == 0 else names[::-1]):
            load, rep, js, _size = report_once(dirs[name])
            runs = out[name]
            runs["load"].add(load)
            runs["report"].add(rep)
            runs["json"].add(js)
            runs["total"].add(load + rep + js)
    return out


def bench_cli(dirs: dict[str, Path], runs: int) -> dict[str, Runs]:
    """``routine-player --data-dir D report --json`` wall time, alternating (first: warm-up)."""
    out = {name: Runs() for name in dirs}
    names = list(dirs)
    for n in range(runs + 1):
        for name in (names if n % 2 == 0 else names[::-1]):
            t0 = time.perf_counter()
            done = subprocess.run([*CLI, "--data-dir", str(dirs[name]), "report", "--json"],
                                  env=CLI_ENV, capture_output=True, check=False)
            out[name].add((time.perf_counter() - t0) * 1000)
            if done.returncode != 0:
                raise SystemExit(f"report --json failed on {name}: {done.stderr.decode()}")
            json.loads(done.stdout)
    return out


# --- 2. The history page ---------------------------------------------------------------------


def page_child(data_dir: Path, opens: int, profile: bool) -> None:
    """In a fresh process: the real window on ``data_dir``, ``opens`` opens of the history page.

    Prints one JSON line: the start-up, and for each open the ms spent in ``show_history()``
    and until the page's first paint.
    """
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from player.audio import AudioOutput
    from player.ui.application import build_app, finish_startup, show_window

    class Silent(AudioOutput):
        def play(self, path: Path) -> None:
            pass

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    from player.ui.dialogs.pain_dialogs import PainRatingDialog

    # The history ends yesterday, so the next-morning check is due at start-up: skip it, as a
    # person might, rather than wait on its dialog (it is not part of opening the page).
    PainRatingDialog.ask = classmethod(lambda cls, *args, **kwargs: None)  # type: ignore[assignment, method-assign]
    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    t0 = time.perf_counter()
    app = build_app(qapp, data_dir, Silent)
    app.window.resize(1200, 800)
    show_window(app)
    finish_startup(app)
    qapp.processEvents()
    startup = (time.perf_counter() - t0) * 1000
    care = app.care
    assert care is not None and care.store is not None, "the history did not open"
    profiler = cProfile.Profile() if profile else None
    results = []
    for n in range(opens):
        if n:
            app.window.back_to_library()
            for _ in range(3):
                qapp.processEvents()
        painted = FirstPaint()
        if profiler is not None and n:
            profiler.enable()
        t_start = time.perf_counter()
        care.show_history()
        t_called = time.perf_counter()
        view = care._history_view  # noqa: SLF001 - the bench watches the page it opened
        assert view is not None and app.window.pages.currentWidget() is view
        view.installEventFilter(painted)
        for _ in range(50):
            qapp.processEvents()
            if painted.at is not None:
                break
        t_end = time.perf_counter()
        if profiler is not None and n:
            profiler.disable()
        view.removeEventFilter(painted)
        assert painted.at is not None, "the history page was never painted"
        results.append({"total": (t_end - t_start) * 1000,
                        "call": (t_called - t_start) * 1000,
                        "events": (t_end - t_called) * 1000,
                        "sessions_shown": view.model.rowCount()})
    parts = page_parts(care, view) if not profile else {}
    print(json.dumps({"startup": startup, "opens": results, "parts": parts}), flush=True)
    if profiler is not None:
        print_profile(profiler, f"cProfile, history page opens 2-{opens}, 10 years "
                      f"(total over {opens - 1} opens)", file=sys.stderr)
    app.controller.close_session()
    app.window.close()
    care.close()


def page_parts(care: Any, view: Any, repeat: int = 7) -> dict[str, float]:
    """Medians (ms) of the parts of ``show_history()``, called one by one on the same objects."""
    from player.core.history import HistoryData

    def median_ms(fn: Any) -> float:
        return median_ms_of(fn, repeat)

    store = care.store
    sessions = tuple(store.sessions())
    data = HistoryData(care.care.ratings, sessions, care.care.symptoms, care.care.banner_events)
    make_report = care._report  # noqa: SLF001 - what show_history() calls
    report = make_report(data)
    return {
        "store.sessions()": median_ms(lambda: tuple(store.sessions())),
        "report_for (CareFeatures._report)": median_ms(lambda: make_report(data)),
        "HistoryView.set_report": median_ms(lambda: view.set_report(report)),
    }


def run_page_child(data_dir: Path, opens: int, profile: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--page-child", str(data_dir),
           "--opens", str(opens)] + (["--profile"] if profile else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if done.returncode != 0:
        raise SystemExit(f"page child failed on {data_dir}:\n{done.stderr}")
    if profile:
        sys.stdout.write(done.stderr)
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def bench_page(dirs: dict[str, Path], runs: int, opens: int) -> dict[str, dict[str, Any]]:
    """``runs`` fresh processes per history (alternating), each opening the page ``opens`` times."""
    out: dict[str, dict[str, Any]] = {
        name: {"first": [], "first_call": [], "first_events": [], "again": [], "again_call": [],
               "again_events": [], "startup": [], "rows": 0, "parts": []} for name in dirs}
    names = list(dirs)
    for n in range(runs):
        for name in (names if n % 2 == 0 else names[::-1]):
            data = run_page_child(dirs[name], opens)
            figures = out[name]
            figures["parts"].append(data["parts"])
            figures["startup"].append(data["startup"])
            first, *again = data["opens"]
            figures["first"].append(first["total"])
            figures["first_call"].append(first["call"])
            figures["first_events"].append(first["events"])
            figures["rows"] = first["sessions_shown"]
            for o in again:
                figures["again"].append(o["total"])
                figures["again_call"].append(o["call"])
                figures["again_events"].append(o["events"])
    return out


def print_load_parts(data_dir: Path, repeat: int) -> None:
    """What ``report --json`` spends on 10 years, part by part (medians, ms)."""
    from player.core.loader import load_library
    from player.core.report import build_report, find_played_routine, last_played
    from player.store.db import INTEGRITY_CHECK_DAYS, _inspect

    def median_ms(fn: Any) -> float:
        return median_ms_of(fn, repeat)

    db = paths.database_file(data_dir)
    rows = [("HistoryStore.open + close (integrity check incl.)",
             median_ms(lambda: HistoryStore.open(data_dir).close())),
            ("  of which the inspection (db._inspect, check not due)",
             median_ms(lambda: _inspect(db, date.today()))),
            ("  the full integrity check when due (weekly, or after a crash)",
             median_ms(lambda: _inspect(db, date.today() + timedelta(days=INTEGRITY_CHECK_DAYS))))]
    with HistoryStore.open(data_dir) as store:
        rows += [("store.ratings()", median_ms(store.ratings)),
                 ("store.sessions(step_counts=False) (as the report)",
                  median_ms(lambda: store.sessions(step_counts=False))),
                 ("store.sessions() with step counts (as the history page)",
                  median_ms(store.sessions)),
                 ("store.snapshot(step_counts=False) (all the report reads)",
                  median_ms(lambda: store.snapshot(step_counts=False)))]
        history = store.snapshot(step_counts=False)
    now = datetime.now().astimezone()
    last = last_played(history.sessions)
    candidates = routine_candidates(data_dir)
    library = load_library()
    routine = find_played_routine(last, candidates) if last else None
    rows += [("find_played_routine, no library (as the CLI)",
              median_ms(lambda: find_played_routine(last, candidates))),
             ("find_played_routine, library given (as the window)",
              median_ms(lambda: find_played_routine(last, candidates, library))),
             ("build_report", median_ms(lambda: build_report(history, routine, now)))]
    rows += advice_parts(history, routine, now, repeat)
    print(f"\nreport --json on 10 years, part by part (median of {repeat}, ms):")
    for label, ms in rows:
        print(f"  {label:58} {ms:7.1f}")


def advice_parts(history: Any, routine: Any, now: datetime,
                 repeat: int) -> list[tuple[str, float]]:
    """Issue 12's care advice figure on the same ten years: ``assess`` as the care controller
    and the report call it, on a new tuple of the ratings each time (so none of the rules'
    per-tuple caches is warm, as at the first assessment after start-up)."""
    from player.core.care import assess
    from player.core.report import thresholds_in_force

    thresholds = thresholds_in_force(history.sessions, given=routine)
    starts = {s.id: s.started_at for s in history.sessions}

    def advise() -> None:
        assess(tuple(list(history.ratings)), history.symptom_history or history.symptoms,
               now, thresholds, confirmations=history.confirmations, session_starts=starts)

    return [("care advice: assess(...), rules' caches cold (issue 12: <= 50)",
             median_ms_of(advise, repeat))]


def median_ms_of(fn: Any, repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn``, in ms."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


# --- Profiles ------------------------------------------------------------------------------------


def print_profile(profiler: cProfile.Profile, title: str, file: Any = None, top: int = 18) -> None:
    file = file or sys.stdout
    for key in ("tottime", "cumulative"):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        body = stream.getvalue()
        start = body.find("   ncalls")
        print(f"\n{title}, by {key}:", file=file)
        print(body[start:].rstrip(), file=file)


def profile_report(data_dir: Path, runs: int = 5) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        report_once(data_dir)
    profiler.disable()
    print_profile(profiler,
                  f"cProfile, report --json in-process, 10 years (total over {runs} runs)")


# --- The parts, printed ----------------------------------------------------------------------


def part_report(dirs: dict[str, Path], none: Path, repeat: int) -> list[str]:
    """1. ``report --json`` in-process; returns its verdict line."""
    ten = dirs["ten"]
    inproc = bench_report_in_process(dirs, repeat)
    history = load_history(ten)
    report = report_for(history, datetime.now().astimezone(), routine_candidates(ten))
    routine = report.routine
    print(f"report on 10 years: routine {routine.title if routine else None!r} "
          f"(found: {routine is not None}), schedule {report.schedule}, "
          f"{len(report.adherence.weeks) if report.adherence else 0} weeks of adherence, "
          f"{report.pain.ratings:,} ratings, advice {report.advice.level!r}; "
          f"--json is {report_once(ten)[3]:,} characters")
    nodb = Runs()
    for _ in range(repeat + 1):
        nodb.add(sum(report_once(none)[:3]))
    print_table(f"1. report --json in-process ({repeat} runs after a cold one, ms)", [
        ("total (as cmd_report)", inproc["empty"]["total"], inproc["ten"]["total"]),
        ("  load_history (open + read)", inproc["empty"]["load"], inproc["ten"]["load"]),
        ("  routine_candidates + report_for", inproc["empty"]["report"],
         inproc["ten"]["report"]),
        ("  to_json + json.dumps", inproc["empty"]["json"], inproc["ten"]["json"]),
    ])
    print(f"  no database file at all: first {nodb.first:.1f}, median {nodb.median:.1f}, "
          f"p95 {nodb.p95:.1f} ms")
    return [verdict("report --json, in-process", inproc["empty"]["total"],
                    inproc["ten"]["total"])]


def part_cli(dirs: dict[str, Path], runs: int) -> list[str]:
    """1b. ``report --json`` as a subprocess; returns its verdict line."""
    cli = bench_cli(dirs, runs)
    print_table(f"1b. routine-player --data-dir D report --json (its console script's code), "
                f"wall time "
                f"({runs} runs after a warm-up, ms)",
                [("subprocess (Python start-up incl.)", cli["empty"], cli["ten"])],
                note="'first' is the uncounted warm-up run")
    return [verdict("report --json, subprocess wall time", cli["empty"], cli["ten"])]


def part_page(dirs: dict[str, Path], runs: int, opens: int) -> list[str]:
    """2. Opening the history page; returns its verdict lines."""
    page = bench_page(dirs, runs, opens)
    e, t = page["empty"], page["ten"]

    def both(key: str) -> tuple[Runs, Runs]:  # every value counted ('first': the first one)
        return Runs([e[key][0], *e[key]]), Runs([t[key][0], *t[key]])

    print_table(
        f"2. history page, real offscreen window: show_history() until laid out and "
        f"painted ({runs} fresh windows each, ms)",
        [("first open", *both("first")),
         ("  show_history() call", *both("first_call")),
         ("  events until painted", *both("first_events")),
         (f"second open (opens 2-{opens})", *both("again")),
         ("  show_history() call", *both("again_call")),
         ("  events until painted", *both("again_events"))],
        note=("'first' is the first window's; median and p95 over every window "
              f"({runs} first opens; {runs * (opens - 1)} later opens)"))
    print("  show_history()'s parts, called one by one after the opens (median, ms):")
    for label in page["ten"]["parts"][0]:
        print(f"    {label:34} empty {statistics.median(x[label] for x in e['parts']):6.1f}"
              f"   10 years {statistics.median(x[label] for x in t['parts']):6.1f}")
    print(f"  sessions listed: empty {e['rows']}, 10 years {t['rows']:,}; window start-up "
          f"(build_app to finish_startup done): empty "
          f"{statistics.median(e['startup']):.0f} ms, 10 years "
          f"{statistics.median(t['startup']):.0f} ms (median)")
    return [verdict("history page, first open", Runs([0.0, *e["first"]]),
                    Runs([0.0, *t["first"]])),
            verdict("history page, second open", Runs([0.0, *e["again"]]),
                    Runs([0.0, *t["again"]]))]


# --- Main ----------------------------------------------------------------------------------------


def file_size(db: Path) -> str:
    size = db.stat().st_size
    sides = sum(p.stat().st_size for p in db.parent.glob(f"{db.name}-*"))
    extra = f" (+ {sides / 1e3:,.0f} kB -wal/-shm)" if sides else ""
    return f"{size / 1e6:.1f} MB{extra}" if size >= 1e6 else f"{size / 1e3:,.0f} kB{extra}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15,
                        help="in-process report runs per history after the cold one")
    parser.add_argument("--cli-runs", type=int, default=7,
                        help="report --json subprocess runs per history after a warm-up")
    parser.add_argument("--page-runs", type=int, default=5,
                        help="fresh window processes per history (each a first open)")
    parser.add_argument("--opens", type=int, default=6,
                        help="history page opens per window process (the first and the rest)")
    parser.add_argument("--fresh", action="store_true", help="build the 10-year history again")
    parser.add_argument("--zone", help="write the history's times in this zone (e.g. "
                        "Europe/London, so they change offset with summer time)")
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile's top functions for the 10-year report and page")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"which measurements to make, of {','.join(PARTS)} (default: all)")
    parser.add_argument("--page-child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.page_child:
        page_child(Path(args.page_child), args.opens, args.profile)
        return 0

    t0 = time.perf_counter()
    cached_db, counts = cached_history(args.years, args.fresh, args.zone)
    how = (f"built in {counts['build_seconds']} s" if counts.get("built_now")
           else f"cached, built on {counts['generated']} in {counts['build_seconds']} s")
    print(f"{args.years}-year history ({how}; {time.perf_counter() - t0:.1f} s now): "
          f"{counts['sessions']:,} sessions of {ROUTINE_FILE.name}, {counts['steps']:,} step "
          f"events, {counts['ratings']:,} ratings, {counts['symptoms']} symptom answers, "
          f"{counts['banner_events']} banner events; {counts['first_day']} to {counts['last_day']}")
    print(f"cache: {cached_db}")
    print(f"database file: {file_size(cached_db)}")

    with tempfile.TemporaryDirectory(prefix="routine-player-bench-report-") as tmp:
        ten, empty, none = prepare(Path(tmp), cached_db)
        dirs = {"empty": empty, "ten": ten}
        print(f"empty history: {file_size(paths.database_file(empty))} (created by the app, "
              "nothing in it)")

        parts = set(args.parts.split(","))
        verdicts: list[str] = []
        if "report" in parts:
            verdicts += part_report(dirs, none, args.repeat)
        if "cli" in parts:
            verdicts += part_cli(dirs, args.cli_runs)
        if "page" in parts:
            verdicts += part_page(dirs, args.page_runs, args.opens)
        if verdicts:
            print(f"\nAgainst the target (10 years - empty <= {TARGET_MS:.0f} ms):")
            print("\n".join(verdicts))
        if "breakdown" in parts:
            print_load_parts(ten, args.repeat)
        if args.profile:
            profile_report(ten)
            run_page_child(ten, args.opens, profile=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
