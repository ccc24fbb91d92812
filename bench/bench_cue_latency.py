"""Cue latency as the runner hears it: the real app in an X window, measured from outside.

    .venv/bin/python bench/bench_cue_latency.py [--display :12] [--runs quiet,hog]
        [--outputs process,thread,process-plain] [--routine F]

A child process runs the real window (``build_app``/``show_window``/``finish_startup`` as
``run_gui`` does, the real audio output, the real monotonic clock) on an X server (an Xvfb
started on ``--display`` unless ``$DISPLAY`` already works) and plays a routine of about four
minutes with tempo sets, per-side steps, a 168 and a 180 bpm cadence drill and rests; the
questions a person answers (first-run notice, symptoms, pain ratings) are answered without
being shown. aplay is pointed (``ALSA_CONFIG_PATH``) at ALSA's ``file`` plugin over the ``null``
device, so no sound card is needed and every player process is real.

``--outputs`` names the audio outputs to compare, each run in turn for every kind of run:
``process`` is the app's (the cue process, asking for nice -10 and SCHED_RR, granted to root),
``process-plain`` the same without asking for a priority (what most users get), ``thread`` the
app's own scheduler thread (the output before the cue process, and its fallback).

This process timestamps every player start from outside the app: the kernel's process-event
connector (netlink, needs root) reports each fork of the app and of its descendants, and each
exec, with the kernel's monotonic time; a player is a descendant that starts no process itself
(the cue process starts them all, and is no player). Without root it falls back to polling ``/proc`` every millisecond
(coarser: the figure then includes up to a millisecond of polling). Each exec is matched to the
planned moment of a cue file: the session's start, the engine's own schedule (the tempo phases,
beats, countdown, step boundaries) and the cue rules (which files, one after another), the plan
the child writes when the session ends. Printed per run, in milliseconds: median / p95 / max of
(player exec - planned moment) over every cue file, the same over step boundaries alone, and
the files with no player start within 250 ms (missed). ``hog`` runs one busy process per core
for the whole session, at the app's own priority. The baselines of the same invocation: the
quiet run (median), and the first output of the same kind of run (p95 and max). Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MATCH_WINDOW = 0.25

ROUTINE = """\
format: 1
title: Cue latency bench
defaults: {lead_in: 5s, rest_after: 10s, switch_time: 5s}
blocks:
  - name: Tempo
    steps:
      - exercise: glute_bridge
        reps: 8
        tempo: {up: 1s, hold: 1s, down: 1s}
      - exercise: bird_dog
        sides: both
        reps: 4
        tempo: {up: 1s, hold: 2s, down: 1s}
  - name: Holds
    steps:
      - exercise: side_plank
        sides: both
        hold: 15s
      - exercise: plank
        hold: 20s
  - name: Cadence
    steps:
      - cadence: 168
        duration: 40s
        exercise: quick_feet
      - cadence: 180
        duration: 30s
        exercise: quick_feet
"""


# --- watching player starts from outside -------------------------------------------------------
class ProcConnector:
    """Fork and exec events of every process, from the kernel (root only)."""

    method = "kernel process-event connector"

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 11)  # NETLINK_CONNECTOR
        self.sock.bind((0, 1))  # CN_IDX_PROC
        header = struct.pack("=IHHII", 16 + 20 + 4, 3, 0, 0, 0)  # NLMSG_DONE
        cn_msg = struct.pack("=IIIIHH", 1, 1, 0, 0, 4, 0)  # CN_IDX_PROC, CN_VAL_PROC, len 4
        self.sock.send(header + cn_msg + struct.pack("=I", 1))  # PROC_CN_MCAST_LISTEN
        self.sock.settimeout(0.2)
        self.forks: list[tuple[int, int]] = []  # (parent tgid, child pid)
        self.execs: list[tuple[float, int]] = []  # (monotonic seconds, pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            body = data[16 + 20:]
            if len(body) < 16:
                continue
            what, _, stamp = struct.unpack_from("=IIQ", body)
            if what == 0x1 and len(body) >= 32:  # PROC_EVENT_FORK
                _, parent_tgid, child_pid, _ = struct.unpack_from("=IIII", body, 16)
                self.forks.append((parent_tgid, child_pid))
            elif what == 0x2 and len(body) >= 24:  # PROC_EVENT_EXEC
                pid, _ = struct.unpack_from("=II", body, 16)
                self.execs.append((stamp / 1e9, pid))

    def player_starts(self, app_pid: int) -> list[float]:
        """Exec times of the app's descendants that started no process themselves."""
        return [t for t, _ in self.player_execs(app_pid)]

    def player_execs(self, app_pid: int) -> list[tuple[float, int]]:
        """(exec time, pid) of the app's descendants that started no process themselves."""
        descendants = {app_pid}
        for parent, child in self.forks:  # in the order the kernel reported them
            if parent in descendants:
                descendants.add(child)
        parents = {parent for parent, _ in self.forks}
        players = descendants - parents - {app_pid}
        return sorted((t, pid) for t, pid in self.execs if pid in players)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


class ProcPoller:
    """New ``aplay`` processes, found by polling /proc every millisecond (no root needed)."""

    method = "polling /proc every 1 ms"

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            for name in os.listdir("/proc"):
                if name.isdigit() and int(name) not in self.seen:
                    try:
                        comm = Path("/proc", name, "comm").read_text().strip()
                    except OSError:
                        continue
                    if comm == "aplay":
                        self.seen[int(name)] = now
            time.sleep(0.001)

    def player_starts(self, app_pid: int) -> list[float]:
        return sorted(self.seen.values())

    def player_execs(self, app_pid: int) -> list[tuple[float, int]]:
        return sorted((t, pid) for pid, t in self.seen.items())

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def watcher() -> ProcConnector | ProcPoller:
    try:
        return ProcConnector()
    except OSError:
        return ProcPoller()


# --- the figures -------------------------------------------------------------------------------
def match(planned: list[float], observed: list[float]) -> tuple[list[float], int]:
    """Latency of each planned moment to its player start (in order), and how many had none."""
    latencies: list[float] = []
    missed = 0
    j = 0
    for p in sorted(planned):
        while j < len(observed) and observed[j] < p - MATCH_WINDOW:
            j += 1
        if j < len(observed) and observed[j] - p <= MATCH_WINDOW:
            latencies.append(observed[j] - p)
            j += 1
        else:
            missed += 1
    return latencies, missed


def percentile(values: list[float], q: float = 0.95) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    if not values:
        return "no data"
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):6.1f} / {percentile(ms):6.1f} / {max(ms):6.1f}"


def steal_seconds() -> float:
    """CPU time the hypervisor took from this machine's virtual CPUs so far (0 elsewhere)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def worst_starts(execs: list[tuple[float, int]], trace_file: Path, n: int = 3) -> list[str]:
    """Where the latest player starts lost their time, from the cue process's trace: when it
    received the file, woke for it, and had the player started (exec seen in between)."""
    if not trace_file.exists():
        return []
    exec_at = dict((pid, t) for t, pid in execs)
    rows = []
    for line in trace_file.read_text().splitlines():
        deadline, received, woke, spawned, pid = line.split()
        if int(pid) in exec_at:
            rows.append((exec_at[int(pid)] - float(deadline), float(deadline) - float(received),
                         float(woke) - float(deadline), float(spawned) - float(woke)))
    rows.sort(reverse=True)
    return [f"late {late * 1000:6.1f} ms: handed {lead * 1000:.0f} ms ahead, woke "
            f"{wake * 1000:+.1f} ms, player started (vfork + exec) in {spawn * 1000:.1f} ms"
            for late, lead, wake, spawn in rows[:n]]


def alsa_file_config(directory: Path) -> Path:
    config = directory / "asound.conf"
    config.write_text(
        "pcm.!default {\n    type file\n    slave.pcm { type null }\n"
        f'    file "{directory / "captured.raw"}"\n    format "raw"\n}}\n', encoding="utf-8")
    return config


def x_display(requested: str) -> tuple[str, subprocess.Popen[bytes] | None]:
    """A working X display: $DISPLAY if it answers, else an Xvfb started on ``requested``."""
    current = os.environ.get("DISPLAY")
    if current and shutil.which("xdpyinfo") and subprocess.run(
            ["xdpyinfo", "-display", current], capture_output=True).returncode == 0:
        return current, None
    xvfb = subprocess.Popen(["Xvfb", requested, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket_path = Path("/tmp/.X11-unix", f"X{requested.lstrip(':')}")
    deadline = time.monotonic() + 10
    while not socket_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return requested, xvfb


def run_once(name: str, output: str, display: str, hog: bool, text: str) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-cues-{name}-{output}-"))
    routine = work / "long.yaml"
    routine.write_text(text, encoding="utf-8")
    plan_file = work / "plan.json"
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb",
               ALSA_CONFIG_PATH=str(alsa_file_config(work)))
    env.pop("PLAYSOUND3_BACKEND", None)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(os.cpu_count() or 1)] if hog else []
    watch = watcher()
    steal_before = steal_seconds()
    try:
        child = subprocess.Popen([sys.executable, __file__, "--child", str(routine),
                                  str(work / "data"), str(plan_file), output], env=env)
        child.wait(timeout=900)
    finally:
        for process in hogs:
            process.kill()
            process.wait()
        time.sleep(0.3)
        watch.close()
    steal = steal_seconds() - steal_before
    plan = json.loads(plan_file.read_text())
    execs = [(t, pid) for t, pid in watch.player_execs(child.pid) if t >= plan["t0"] - 1]
    worst = worst_starts(execs, work / "trace.txt")
    observed = [t for t in watch.player_starts(child.pid) if t >= plan["t0"] - 1]
    files, missed = match(plan["files"], observed)
    steps, steps_missed = match(plan["steps"], observed)
    return {"name": name, "output": output, "via": plan["via"], "method": watch.method, "files": files, "missed": missed,
            "steps": steps, "steps_missed": steps_missed, "planned": len(plan["files"]),
            "observed": len(observed), "sound": plan["sound"], "seconds": plan["seconds"],
            "steal": steal, "worst": worst}


def parent(args: argparse.Namespace) -> None:
    display, xvfb = x_display(args.display)
    try:
        text = Path(args.routine).read_text(encoding="utf-8") if args.routine else ROUTINE
        results = [run_once(name, output, display, name == "hog", text)
                   for name in args.runs.split(",") for output in args.outputs.split(",")]
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    print(f"Cue latency, real window on {display}, player starts seen by: {results[0]['method']}")
    print("player exec - planned moment, ms: median / p95 / max")
    quiet = {r["output"]: r for r in results if r["name"] == "quiet" and r["files"]}
    first = {}
    for r in results:
        first.setdefault(r["name"], r)
    for r in results:
        ratio = ""
        base = quiet.get(r["output"])
        if base is not None and r["files"] and r is not base:
            ratio += (f"   median {statistics.median(r['files']) / statistics.median(base['files']):.2f}"
                      "x quiet")
        other = first[r["name"]]
        if other is not r and r["files"] and other["files"]:
            ratio += (f"   p95 {percentile(r['files']) / percentile(other['files']):.2f}x, max "
                      f"{max(r['files']) / max(other['files']):.2f}x {other['output']}")
        label = f"{r['name']} {r['output']}"
        print(f"  {label:<20} every cue file ({len(r['files'])} of {r['planned']}, "
              f"{r['missed']} missed, {r['observed']} players seen, {r['seconds']:.0f} s, sound "
              f"{r['sound']}, {r['via']}): {summary(r['files'])}{ratio}")
        print(f"  {label:<20} step boundaries ({len(r['steps'])}, {r['steps_missed']} missed):"
              f" {' ' * 28}{summary(r['steps'])}")
        print(f"  {label:<20} stolen from the virtual CPUs by the host during the run: "
              f"{r['steal'] * 1000:.0f} ms")
        for line in r["worst"]:
            print(f"  {label:<20}   {line}")


# --- the app, in the child ---------------------------------------------------------------------
def output_factory(kind: str, trace: Path) -> Any:
    """The audio output ``kind`` (see ``--outputs``), made as the app makes its own; a cue
    process writes the times of each start to ``trace``."""
    from player.audio import CueProcessOutput, PlaysoundOutput
    from player.ui.application import GIL_SWITCH_SECONDS, playsound_output

    def thread(report: Any) -> Any:
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        return PlaysoundOutput(report)

    def plain(report: Any) -> Any:
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        return CueProcessOutput(report, raise_priority=False, trace=trace)

    def process(report: Any) -> Any:
        output = playsound_output(report)  # the app's, with the trace the app never asks for
        assert isinstance(output, CueProcessOutput)
        output._trace = trace
        return output

    return {"process": process, "process-plain": plain, "thread": thread}[kind]


def child(routine: Path, data_dir: Path, plan_file: Path, output: str) -> None:
    from datetime import datetime

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from player.core.cues import CueMap
    from player.core.engine import EngineEvent, SessionEngine, StepStarted
    from player.ui.application import build_app, finish_startup, show_window
    from player.ui.dialogs.first_run import FirstRunNotice
    from player.ui.dialogs.pain_dialogs import PainRatingDialog
    from player.ui.dialogs.symptoms_dialog import SymptomsDialog

    def answer_no(cls: object, parent: object = None, now: object = None, *, fields: object = None,
                  may_put_off: bool = False, record: Any = None) -> str:
        from player.core.history import SYMPTOM_FIELDS, SymptomAnswers

        if record is not None:
            record(SymptomAnswers(datetime.now().astimezone(),
                                  **dict.fromkeys(SYMPTOM_FIELDS, False)))  # type: ignore[arg-type]
        return "saved"

    # The bench answers the questions a person would answer, without showing them.
    FirstRunNotice.ask = classmethod(  # type: ignore[method-assign, assignment]
        lambda cls, parent=None: True)
    SymptomsDialog.ask = classmethod(answer_no)  # type: ignore[method-assign, assignment]
    PainRatingDialog.ask = classmethod(  # type: ignore[method-assign, assignment]
        lambda cls, parent, context, title="": (2, "", ""))

    qapp = QApplication([sys.argv[0]])
    data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(qapp, data_dir, output_factory(output, plan_file.with_name("trace.txt")))
    app.window.resize(1200, 800)
    show_window(app)
    for _ in range(10):
        qapp.processEvents()
    finish_startup(app)
    give_up = time.monotonic() + 60
    while app.audio is None and time.monotonic() < give_up:  # made after the library's check
        qapp.processEvents()
        time.sleep(0.01)
    audio: Any = app.audio
    audio.wait_idle(20)  # playsound3 loaded, its probes done: they are not cues
    controller = app.controller
    first: list[float] = []

    def on_started(session: object) -> None:
        engine = controller.engine
        assert engine is not None
        engine.subscribe(lambda e: first.append(e.at) if isinstance(e, StepStarted)
                         and not first else None)

    controller.session_started.connect(on_started)
    controller.session_finished.connect(lambda done: QTimer.singleShot(1500, qapp.quit))
    began = time.monotonic()
    QTimer.singleShot(200, lambda: app.window.start_routine(routine.resolve()))
    qapp.exec()
    seconds = time.monotonic() - began
    session = controller.session
    assert session is not None and first, "the session did not start"

    class Fixed:
        def __init__(self, t: float) -> None:
            self.t = t

        def now(self) -> float:
            return self.t

    t0 = first[0]
    ghost = SessionEngine(session.timeline, Fixed(t0))
    events: list[EngineEvent] = []
    ghost.subscribe(events.append)
    ghost.start()
    events += ghost.preview(t0 + 10**6)
    cues = CueMap(controller.cues.media_root if controller.cues else Path(), session.timeline,
                  spoken=app.settings.spoken_cues)
    ahead = app.cue_player.cues_ahead(cues.sounds_for)
    files: list[float] = []
    steps: list[float] = []
    for event in events:
        cue = ahead.cue_for(event)
        if cue is None:
            continue
        files += [t for t, _ in cue.files]
        if isinstance(event, StepStarted):
            steps.append(cue.files[0][0])
    sound = {None: "unknown", True: "works", False: "unavailable"}[audio.available]
    via = "the app's thread" if getattr(audio, "fallen_back", True) else "the cue process"
    plan_file.write_text(json.dumps({"t0": t0, "files": files, "steps": steps, "sound": sound,
                                     "seconds": seconds, "via": via}))
    app.window.close()
    audio.close()
    if app.care is not None:
        app.care.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--display", default=":12")
    parser.add_argument("--runs", default="quiet,hog")
    parser.add_argument("--outputs", default="process",
                        help="audio outputs to compare: process, process-plain, thread")
    parser.add_argument("--routine", help="play this routine file instead (timed steps only)")
    parser.add_argument("--child", nargs=4, metavar=("ROUTINE", "DATA", "PLAN", "OUTPUT"))
    args = parser.parse_args()
    if args.child:
        routine, data, plan, output = args.child
        child(Path(routine), Path(data), Path(plan), output)
    else:
        parent(args)


if __name__ == "__main__":
    main()
