"""The app's audio output end to end: the real cue process starting a fake player (a tiny script
that records when it started, its pid and its scheduling policy) or the real aplay.

Nothing here asserts how late a start is (that is ``bench/bench_cue_latency.py``'s figure): only
that files start at or after their deadlines, in order, that what is cancelled never starts,
that failures come back to the app, and that every process is reaped.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.audio import CueProcessOutput, TimedCue
from player.audio import output as output_module
from player.audio.cue_process import STUB
from player.core import bundled
from tests.integration.test_real_playback import (
    alsa_capture_config,
    assert_device_received,
    needs_aplay,
    short_clip,
)

CUE = bundled.CUES_DIR / "voice" / "go.wav"
TIMEOUT = 10.0
FRAME = 1 / 60
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(os, "posix_spawn"), reason="needs os.posix_spawn")

FAKE_PLAYER = """#!{python} -I
import os, sys, time
clip = sys.argv[-1]
name = os.path.basename(clip)
if clip.startswith("-"):  # playsound3's probe: aplay --version
    sys.exit(0)
with open({log!r}, "a") as log:
    log.write(f"{{time.monotonic()!r}} {{os.getpid()}} {{os.sched_getscheduler(0)}} {{clip}}\\n")
if "hang" in name:
    time.sleep(60)
sys.exit(1 if "fail" in name else 0)
"""


class Started:
    """What the fake player wrote: one (monotonic time, pid, policy, clip name) a start."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def read(self) -> list[tuple[float, int, int, str]]:
        if not self.log.exists():
            return []
        rows = []
        for line in self.log.read_text().splitlines():
            t, pid, policy, clip = line.split(" ", 3)
            rows.append((float(t), int(pid), int(policy), Path(clip).name))
        return rows

    @property
    def names(self) -> list[str]:
        return [name for _, _, _, name in self.read()]


@pytest.fixture
def fake_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Started:
    """A fake ``aplay`` first on PATH, and a device the output believes in."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "started.log"
    script = bin_dir / "aplay"
    script.write_text(FAKE_PLAYER.format(python=sys.executable, log=str(log)), encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(output_module, "missing_sound_device_reason", lambda: None)
    return Started(log)


@pytest.fixture
def reasons() -> list[str]:
    return []


@pytest.fixture
def output(fake_player: Started, reasons: list[str]) -> Iterator[CueProcessOutput]:
    out = CueProcessOutput(reasons.append, backend="alsa")
    assert out.wait_idle(TIMEOUT), "the cue process did not start"
    pid = out.pid
    assert pid is not None
    yield out
    out.close()
    assert_reaped(pid)


def assert_reaped(pid: int) -> None:
    """``pid`` has ended and been reaped: no process, not even a zombie."""
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def clips(tmp_path: Path, *names: str, seconds: float = 0.05) -> list[Path]:
    return [short_clip(tmp_path / f"{name}.wav", seconds) for name in names]


def test_each_file_starts_at_its_deadline_never_before_and_in_order(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path,
        reasons: list[str]) -> None:
    a, b, c = clips(tmp_path, "a", "b", "c")
    now = time.monotonic()
    deadlines = {"a.wav": now + 0.1, "b.wav": now + 0.3, "c.wav": now + 0.2}
    output.schedule([TimedCue(now + 0.1, ((now + 0.1, a), (now + 0.3, b))),
                     TimedCue(now + 0.2, ((now + 0.2, c),))])
    assert output.wait_idle(TIMEOUT)
    started = fake_player.read()
    assert [name for _, _, _, name in started] == ["a.wav", "c.wav", "b.wav"]
    assert all(t >= deadlines[name] for t, _, _, name in started)
    assert output.available is True and reasons == []
    for _, pid, _, _ in started:
        assert_reaped(pid)


def test_a_cancel_reaches_the_process_within_one_frame(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path) -> None:
    (soon,) = clips(tmp_path, "soon")
    now = time.monotonic()
    output.schedule([TimedCue(now + FRAME, ((now + FRAME, soon),)),
                     TimedCue(now + 30, ((now + 30, soon),))])
    output.cancel()  # a pause, a skip, back or stop: CuePlayer.cancel
    assert output.wait_idle(TIMEOUT)
    time.sleep(2 * FRAME)  # past the first deadline: a start that was not cancelled shows
    assert output.wait_idle(TIMEOUT)
    assert fake_player.names == []


def test_an_interrupting_cue_cuts_short_what_the_last_one_still_had_to_say(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path) -> None:
    tone, name, step = clips(tmp_path, "tone", "name", "step")
    now = time.monotonic()
    output.schedule([TimedCue(now + 0.05, ((now + 0.05, tone), (now + 0.5, name)))])
    output.schedule([TimedCue(now + 0.3, ((now + 0.3, step),), interrupt=True)])
    assert output.wait_idle(TIMEOUT)
    assert fake_player.names == ["tone.wav", "step.wav"]


def test_a_missing_refused_or_failing_clip_is_told_and_the_others_play(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path,
        reasons: list[str]) -> None:
    failed: list[tuple[str, str]] = []
    output.set_clip_failed_callback(lambda path, why: failed.append((path.name, why)))
    (good,) = clips(tmp_path, "good")
    ogg = tmp_path / "voice.ogg"
    ogg.write_bytes(b"OggS" + bytes(60))
    output.play(good)  # sound works first: a later error exit is the clip's
    assert output.wait_idle(TIMEOUT)
    (fails,) = clips(tmp_path, "fail")
    for path in (tmp_path / "gone.wav", ogg, fails, good):
        output.play(path)
    assert output.wait_idle(TIMEOUT)
    assert output.available is True and reasons == []
    names = fake_player.names
    assert names[0] == "good.wav" and sorted(names[1:]) == ["fail.wav", "good.wav"]
    why = dict(failed)
    assert set(why) == {"gone.wav", "voice.ogg", "fail.wav"}
    assert "cannot play .ogg files" in why["voice.ogg"]
    assert "status 1" in why["fail.wav"]


def test_a_first_player_failing_alone_means_no_sound_told_once(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path,
        reasons: list[str]) -> None:
    (fails,) = clips(tmp_path, "fail")
    output.play(fails)
    assert output.wait_idle(TIMEOUT)
    assert output.available is False
    output.play(fails)  # ignored from now on: the cues flash
    assert output.wait_idle(TIMEOUT)
    assert fake_player.names == ["fail.wav"]
    assert len(reasons) == 1 and "exit status 1" in reasons[0]


def test_hung_players_are_killed_and_reaped_then_cues_flash_with_one_message(
        fake_player: Started, tmp_path: Path, reasons: list[str]) -> None:
    (hang,) = clips(tmp_path, "hang")
    failed: list[str] = []
    out = CueProcessOutput(reasons.append, backend="alsa", hang_margin=0.1, max_hangs=2)
    try:
        out.set_clip_failed_callback(lambda path, why: failed.append(why))
        out.play(hang)
        assert out.wait_idle(TIMEOUT)
        assert out.available is None  # one hang: sound goes on
        out.play(hang)
        assert out.wait_idle(TIMEOUT)
        assert out.available is False
        out.play(hang)  # ignored from now on
        assert out.wait_idle(TIMEOUT)
    finally:
        out.close()
    assert len(reasons) == 1 and "stopped responding 2 times" in reasons[0]
    assert len(failed) == 2 and all("did not finish" in why for why in failed)
    started = fake_player.read()
    assert len(started) == 2
    for _, pid, _, _ in started:
        assert_reaped(pid)


def test_close_stops_what_plays_and_reaps_the_player_and_the_process(
        fake_player: Started, tmp_path: Path) -> None:
    (hang,) = clips(tmp_path, "hang", seconds=5)
    out = CueProcessOutput(backend="alsa")
    assert out.wait_idle(TIMEOUT)
    process = out.pid
    assert process is not None
    out.play(hang)
    give_up = time.monotonic() + TIMEOUT
    while not fake_player.read() and time.monotonic() < give_up:
        time.sleep(0.01)
    ((_, player, _, _),) = fake_player.read()
    out.close()
    out.close()
    assert out.wait_idle(0)
    assert_reaped(process)
    with pytest.raises(ProcessLookupError):  # the player was the cue process's child: reaped
        os.kill(player, 0)
    out.play(hang)  # after close: nothing, no error


def kill_and_wait(output: CueProcessOutput, pid: int) -> None:
    """Kill the cue process ``pid`` and wait until the output has made up its mind."""
    os.kill(pid, signal.SIGKILL)
    give_up = time.monotonic() + TIMEOUT
    while output.pid in (pid, None) and not output.fallen_back and time.monotonic() < give_up:
        time.sleep(0.01)


def test_a_cue_process_that_dies_is_started_again_once_then_the_thread_takes_over(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path, reasons: list[str],
        caplog: pytest.LogCaptureFixture) -> None:
    a, b, c = clips(tmp_path, "a", "b", "c")
    caplog.set_level(logging.WARNING, logger="player.audio.process_output")
    first = output.pid
    assert first is not None
    now = time.monotonic()
    output.schedule([TimedCue(now + 1.5, ((now + 1.5, a),))])  # handed to the first process
    kill_and_wait(output, first)
    second = output.pid
    assert second is not None and second != first and not output.fallen_back
    assert output.wait_idle(TIMEOUT)  # the second process played what the first was handed
    assert fake_player.names == ["a.wav"]
    output.play(b)
    assert output.wait_idle(TIMEOUT)
    now = time.monotonic()
    output.schedule([TimedCue(now + 1.5, ((now + 1.5, c),))])
    kill_and_wait(output, second)
    assert output.fallen_back and output.pid is None
    assert output.wait_idle(TIMEOUT)
    assert fake_player.names == ["a.wav", "b.wav", "c.wav"]
    assert_reaped(first)
    assert_reaped(second)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2
    assert "starting it again" in warnings[0] and "app's own thread" in warnings[1]
    assert reasons == [] and output.available is True


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may take SCHED_RR here")
def test_the_players_of_a_real_time_cue_process_run_at_the_normal_policy(
        output: CueProcessOutput, fake_player: Started, tmp_path: Path) -> None:
    pid = output.pid
    assert pid is not None
    assert os.sched_getscheduler(pid) == os.SCHED_RR
    assert os.getpriority(os.PRIO_PROCESS, pid) < 0
    output.play(clips(tmp_path, "a")[0])
    assert output.wait_idle(TIMEOUT)
    ((_, _, policy, _),) = fake_player.read()
    assert policy == os.SCHED_OTHER


def test_the_cue_process_imports_neither_qt_nor_playsound3_nor_the_core() -> None:
    code = STUB.split("from player")[0] + (
        "import player.audio.cue_process; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'playsound3', "
        "'player'))))")
    result = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(ROOT)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        ["player", "player.audio", "player.audio.cue_process", "player.audio.schedule"])


@needs_aplay
def test_a_cue_reaches_the_sound_device_through_the_cue_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]) -> None:
    config, capture = alsa_capture_config(tmp_path)
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))
    with CueProcessOutput(reasons.append, backend="alsa") as output:
        assert output.wait_idle(TIMEOUT)  # the process is up (a cue over a second late drops)
        output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is True
    assert reasons == []
    assert_device_received(capture, CUE)


def test_a_cue_process_that_cannot_start_leaves_the_cues_to_the_thread_said_once(
        fake_player: Started, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        reasons: list[str], caplog: pytest.LogCaptureFixture) -> None:
    from player.audio import process_output

    caplog.set_level(logging.WARNING, logger="player.audio.process_output")
    monkeypatch.setattr(process_output.sys, "executable", str(tmp_path / "no-python"))
    (a,) = clips(tmp_path, "a")
    with CueProcessOutput(reasons.append, backend="alsa") as out:
        assert out.wait_idle(TIMEOUT)
        assert out.fallen_back and out.pid is None
        out.play(a)
        assert out.wait_idle(TIMEOUT)
        assert out.available is True
    assert fake_player.names == ["a.wav"] and reasons == []
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "could not be started" in warnings[0]


def test_closing_without_waiting_lets_the_cue_process_end_by_itself(
        fake_player: Started) -> None:
    out = CueProcessOutput(backend="alsa")
    assert out.wait_idle(TIMEOUT)
    pid = out.pid
    assert pid is not None
    out.close(timeout=0)  # as a benchmark's child does on its way out
    give_up = time.monotonic() + TIMEOUT
    while time.monotonic() < give_up:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    assert_reaped(pid)  # ended on its pipe's close, and reaped by the output's thread
