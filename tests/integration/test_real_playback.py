"""Sound output end to end: real cues through playsound3 and aplay, and every failure path.

There is no sound card here, so the real-playback test points ALSA (via ALSA_CONFIG_PATH) at a
configuration whose default device is ALSA's ``file`` plugin: aplay then writes what it plays
into a WAV file, which the test compares with the cue.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from player.audio import NullOutput, PlaysoundOutput, missing_sound_device_reason
from player.audio import output as output_module
from player.audio import players as players_module
from player.core import bundled
from tests.fakes import RecordingOutput

ROOT = Path(__file__).resolve().parents[2]
CUE = bundled.CUES_DIR / "voice" / "go.wav"
TIMEOUT = 10.0

needs_aplay = pytest.mark.skipif(
    shutil.which("aplay") is None, reason="aplay not installed (apt-get install alsa-utils)"
)


def alsa_capture_config(directory: Path) -> tuple[Path, Path]:
    """Write an ALSA configuration whose default PCM records into a WAV file in ``directory``.

    Returns the configuration file (for ALSA_CONFIG_PATH) and the WAV file it will record to.
    """
    capture = directory / "captured.wav"
    config = directory / "asound.conf"
    config.write_text(
        "pcm.!default {\n"
        "    type file\n"
        "    slave.pcm { type null }\n"
        f'    file "{capture}"\n'
        '    format "wav"\n'
        "}\n",
        encoding="utf-8",
    )
    return config, capture


def wav_format_and_data(path: Path) -> tuple[tuple[int, int, int], bytes]:
    """(channels, rate, bits) and every byte after the data chunk's header.

    Reads the chunks by hand, ignoring the data chunk's declared size: a recorder that is cut
    short may leave it unset.
    """
    blob = path.read_bytes()
    assert blob[:4] == b"RIFF" and blob[8:12] == b"WAVE", f"{path} is not a WAV file"
    pos, fmt = 12, None
    while pos + 8 <= len(blob):
        chunk_id, size = blob[pos : pos + 4], struct.unpack_from("<I", blob, pos + 4)[0]
        if chunk_id == b"fmt ":
            _, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", blob, pos + 8)
            fmt = (channels, rate, bits)
        if chunk_id == b"data":
            assert fmt is not None, "data before fmt"
            return fmt, blob[pos + 8 :]
        pos += 8 + size + (size & 1)
    raise AssertionError(f"no data chunk in {path}")


def cue_format_and_frames(path: Path) -> tuple[tuple[int, int, int], bytes]:
    with wave.open(str(path), "rb") as wav:
        fmt = (wav.getnchannels(), wav.getframerate(), 8 * wav.getsampwidth())
        return fmt, wav.readframes(wav.getnframes())


def assert_device_received(capture: Path, cue: Path) -> bytes:
    """Assert *capture* holds *cue*'s format and samples first; return what follows them."""
    cue_format, cue_frames = cue_format_and_frames(cue)
    captured_format, captured = wav_format_and_data(capture)
    assert captured_format == cue_format
    assert captured.startswith(cue_frames), "the device did not receive the cue's samples"
    return captured[len(cue_frames) :]


@pytest.fixture
def reasons() -> list[str]:
    """Collects what an output reports through ``on_unavailable``."""
    return []


@pytest.fixture
def device_present(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the output believe there may be a sound device, as on a desktop."""
    monkeypatch.setattr(output_module, "missing_sound_device_reason", lambda: None)


@needs_aplay
@pytest.mark.parametrize("backend", ["alsa", None], ids=["alsa", "fallback-to-aplay"])
def test_a_cue_reaches_the_sound_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str], backend: str | None
) -> None:
    import playsound3

    config, capture = alsa_capture_config(tmp_path)
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))
    # As on a machine with aplay but without mpg123, where playsound3 offers no backend.
    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)

    with PlaysoundOutput(reasons.append, backend=backend) as output:
        output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is True
    assert reasons == []

    padding = assert_device_received(capture, CUE)
    assert padding.count(0) == len(padding), "unexpected audio after the cue"


def test_no_player_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    import playsound3

    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)
    monkeypatch.setenv("PATH", str(tmp_path))  # no aplay either

    with PlaysoundOutput(reasons.append) as output:
        for _ in range(3):
            output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is False
    assert len(reasons) == 1
    assert "no audio player" in reasons[0]


@pytest.mark.usefixtures("device_present")
def test_a_player_that_cannot_start_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with PlaysoundOutput(reasons.append, backend="alsa") as output:
        for _ in range(3):
            output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is False
    assert len(reasons) == 1
    assert "could not be started" in reasons[0]


@pytest.mark.usefixtures("device_present")
def test_a_player_failing_for_want_of_a_device_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    fake_aplay = tmp_path / "aplay"
    fake_aplay.write_text("#!/bin/sh\necho 'audio open error' >&2\nexit 1\n", encoding="utf-8")
    fake_aplay.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))

    with PlaysoundOutput(reasons.append, backend="alsa") as output:
        for _ in range(3):
            output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is False
        output.play(CUE)  # ignored from now on
    assert len(reasons) == 1
    assert "exit status 1" in reasons[0]


@pytest.mark.usefixtures("device_present")
def test_a_failure_while_another_sound_plays_is_not_taken_for_a_missing_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    fake_aplay = tmp_path / "aplay"  # like hardware without mixing: busy while playing "go"
    fake_aplay.write_text(
        '#!/bin/sh\ncase "$2" in *go.wav) sleep 0.3; exit 0;; *) exit 1;; esac\n',
        encoding="utf-8",
    )
    fake_aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    with PlaysoundOutput(reasons.append, backend="alsa") as output:
        output.play(CUE)
        output.play(CUE.with_name("rest.wav"))
        assert output.wait_idle(TIMEOUT)
        assert output.available is True
    assert reasons == []


def test_a_machine_without_sound_device_is_reported_once(
    monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    def must_not_play(path: Path) -> SimpleNamespace:
        raise AssertionError("played although there is no sound device")

    monkeypatch.setattr(output_module, "missing_sound_device_reason", lambda: "no device (test)")
    fake_player(monkeypatch, must_not_play)

    with PlaysoundOutput(reasons.append, backend="alsa") as output:
        output.play(CUE)
        output.play(CUE)
        assert output.wait_idle(TIMEOUT)
    assert reasons == ["no device (test)"]


def fake_player(monkeypatch: pytest.MonkeyPatch,
                start: Callable[[Path], SimpleNamespace]) -> None:
    """Make the output start ``start(path)`` instead of a real player."""
    monkeypatch.setattr(players_module, "player_for",
                        lambda backend, playsound3: players_module.Player(backend, start))


def finished_process() -> SimpleNamespace:
    return SimpleNamespace(poll=lambda: 0, wait=lambda timeout=None: 0,
                           terminate=lambda: None, kill=lambda: None)


@pytest.mark.usefixtures("device_present")
def test_play_returns_without_waiting_for_the_player(monkeypatch: pytest.MonkeyPatch) -> None:
    entered, release = threading.Event(), threading.Event()
    started: list[Path] = []

    def blocked_start(path: Path) -> SimpleNamespace:
        started.append(path)
        entered.set()
        assert release.wait(TIMEOUT)
        return finished_process()

    fake_player(monkeypatch, blocked_start)
    with PlaysoundOutput(backend="alsa") as output:
        output.play(CUE)
        assert entered.wait(TIMEOUT)
        # The thread is stuck inside the player; play() must still return at once.
        output.play(CUE)
        assert started == [CUE]
        release.set()
        assert output.wait_idle(TIMEOUT)
    assert started == [CUE, CUE]


@pytest.mark.usefixtures("device_present")
def test_a_missing_or_damaged_clip_is_skipped_and_told_without_muting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    played: list[Path] = []
    failed: list[tuple[Path, str]] = []

    def start(path: Path) -> SimpleNamespace:
        played.append(path)
        return finished_process()

    damaged = tmp_path / "rate0.wav"
    blob = bytearray(CUE.read_bytes())
    blob[24:28] = b"\0\0\0\0"  # sample rate 0
    damaged.write_bytes(bytes(blob))
    fake_player(monkeypatch, start)
    with PlaysoundOutput(reasons.append, backend="alsa") as output:
        output.set_clip_failed_callback(lambda path, why: failed.append((path, why)))
        output.play(tmp_path / "no-such-cue.wav")
        output.play(damaged)
        output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is True
    assert played == [CUE]
    assert reasons == []
    assert [path.name for path, _ in failed] == ["no-such-cue.wav", "rate0.wav"]
    assert "sample rate of 0 Hz" in failed[1][1]


@pytest.mark.usefixtures("device_present")
def test_close_stops_a_sound_still_playing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    fake_aplay = tmp_path / "aplay"
    fake_aplay.write_text(
        f"#!/bin/sh\necho $$ > {pid_file}.tmp\nmv {pid_file}.tmp {pid_file}\nexec sleep 60\n",
        encoding="utf-8",
    )
    fake_aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    output = PlaysoundOutput(backend="alsa")
    output.play(CUE)
    deadline = time.monotonic() + TIMEOUT
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    pid = int(pid_file.read_text())
    output.close()

    assert output.wait_idle(0)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_play_after_close_does_nothing() -> None:
    output = PlaysoundOutput(backend="alsa")
    output.close()
    output.close()
    output.play(CUE)
    assert output.wait_idle(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only detection")
@pytest.mark.parametrize(
    ("setup", "has_device"),
    [
        ("nothing", False),
        ("no_soundcards", False),
        ("card", True),
        ("pulse", True),
        ("pipewire", True),
        ("asoundrc", True),
        ("alsa_config_path", True),
        ("system_asound_conf", True),
    ],
)
def test_missing_sound_device_reason(tmp_path: Path, setup: str, has_device: bool) -> None:
    runtime, home = tmp_path / "run", tmp_path / "home"
    runtime.mkdir()
    home.mkdir()
    cards, system_conf = tmp_path / "cards", tmp_path / "asound.conf"
    environ = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(home)}
    if setup == "no_soundcards":
        cards.write_text("--- no soundcards ---\n")
    elif setup == "card":
        cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    elif setup == "pulse":
        (runtime / "pulse").mkdir()
        (runtime / "pulse" / "native").touch()
    elif setup == "pipewire":
        (runtime / "pipewire-0").touch()
    elif setup == "asoundrc":
        (home / ".asoundrc").touch()
    elif setup == "alsa_config_path":
        environ["ALSA_CONFIG_PATH"] = str(tmp_path / "x.conf")
    elif setup == "system_asound_conf":
        system_conf.touch()

    reason = missing_sound_device_reason(environ, cards, system_alsa_conf=system_conf)
    assert (reason is None) == has_device


def test_importing_the_package_loads_neither_playsound3_nor_qt() -> None:
    code = (
        "import sys, player.audio\n"
        "print(sorted(m for m in sys.modules if m.startswith(('playsound3', 'PySide6'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_null_output_is_silent_and_never_reports(reasons: list[str]) -> None:
    with NullOutput(reasons.append) as output:
        output.play(CUE)
        assert output.available is False
    assert reasons == []


def test_recording_output_records_and_reports_once(reasons: list[str]) -> None:
    output = RecordingOutput(reasons.append)
    output.play(CUE)
    output.fail("gone")
    output.fail("gone again")
    output.play(CUE)
    assert output.played_names == ["go", "go"]
    assert output.available is False
    assert reasons == ["gone"]


def short_clip(path: Path, seconds: float = 0.05) -> Path:
    """A valid mono 16 kHz WAV of silence lasting ``seconds``."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"\0\0" * int(16000 * seconds))
    return path


@pytest.mark.usefixtures("device_present")
def test_hung_players_are_killed_and_reaped_then_cues_flash_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    pids = tmp_path / "pids"
    fake_aplay = tmp_path / "aplay"
    fake_aplay.write_text(f"#!/bin/sh\necho $$ >> {pids}\nexec sleep 60\n", encoding="utf-8")
    fake_aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    clip = short_clip(tmp_path / "tick.wav")
    failed: list[str] = []

    with PlaysoundOutput(reasons.append, backend="alsa", poll_interval=0.01, hang_margin=0.1,
                         max_hangs=2) as output:
        output.set_clip_failed_callback(lambda path, why: failed.append(why))
        output.play(clip)
        assert output.wait_idle(TIMEOUT)
        assert output.available is None  # one hang: sound goes on
        output.play(clip)
        assert output.wait_idle(TIMEOUT)
        assert output.available is False
        output.play(clip)  # ignored from now on: the cues flash
        assert output.wait_idle(TIMEOUT)
    assert len(reasons) == 1 and "stopped responding 2 times" in reasons[0]
    assert len(failed) == 2 and all("did not finish" in why for why in failed)
    started = [int(line) for line in pids.read_text().split()]
    assert len(started) == 2
    for pid in started:  # killed and reaped: no process, not even a zombie
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.mark.usefixtures("device_present")
def test_a_clip_the_player_cannot_play_is_skipped_and_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasons: list[str]
) -> None:
    fake_aplay = tmp_path / "aplay"
    fake_aplay.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake_aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    ogg = tmp_path / "name.ogg"
    ogg.write_bytes(b"OggS" + bytes(60))
    failed: list[str] = []
    with PlaysoundOutput(reasons.append, backend="alsa") as output:
        output.set_clip_failed_callback(lambda path, why: failed.append(why))
        output.play(ogg)
        output.play(short_clip(tmp_path / "ok.wav"))
        assert output.wait_idle(TIMEOUT)
        assert output.available is True
    assert reasons == []
    assert len(failed) == 1 and "cannot play .ogg files" in failed[0]


@pytest.mark.usefixtures("device_present")
def test_players_are_started_without_python_in_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_spawn = os.posix_spawn
    calls: list[list[str]] = []

    def recording_spawn(path: str, argv: list[str], env: object, **kwargs: object) -> int:
        calls.append(list(argv))
        return real_spawn(path, argv, env, **kwargs)  # type: ignore[arg-type]

    def no_popen(*args: object, **kwargs: object) -> None:
        raise AssertionError("a player was started through subprocess.Popen")

    fake_aplay = tmp_path / "aplay"
    fake_aplay.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake_aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(players_module.os, "posix_spawn", recording_spawn)
    with PlaysoundOutput(backend="alsa") as output:
        assert output.wait_idle(TIMEOUT)  # playsound3's own probes are done
        monkeypatch.setattr(players_module.subprocess, "Popen", no_popen)
        output.play(CUE)
        assert output.wait_idle(TIMEOUT)
        assert output.available is True
    # The program and arguments playsound3 would run, in one posix_spawn call.
    assert calls == [[str(fake_aplay), "--quiet", str(CUE)]]


@pytest.mark.usefixtures("device_present")
def test_a_spawned_player_that_is_stopped_is_reaped(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    process = players_module._Spawned.start(["/bin/sleep", "30"])
    assert process.poll() is None
    process.terminate()
    assert process.wait(TIMEOUT) < 0  # ended by a signal, like Popen says it
    with pytest.raises(ChildProcessError):
        os.waitpid(process.pid, os.WNOHANG)  # nothing left to reap: no zombie


@pytest.mark.usefixtures("device_present")
def test_the_thread_starts_each_file_at_its_deadline_never_before_and_cancel_drops_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from player.audio import TimedCue

    started: list[tuple[float, Path]] = []
    first = threading.Event()

    def start(path: Path) -> SimpleNamespace:
        started.append((time.monotonic(), path))
        first.set()
        return finished_process()

    fake_player(monkeypatch, start)
    a, b, c = CUE, CUE.with_name("rest.wav"), CUE.with_name("halfway.wav")
    with PlaysoundOutput(backend="alsa") as output:
        assert output.wait_idle(TIMEOUT)
        now = time.monotonic()
        output.schedule([TimedCue(now + 0.05, ((now + 0.05, a), (now + 0.1, b))),
                         TimedCue(now + 30, ((now + 30, c),))])
        assert first.wait(TIMEOUT)
        output.cancel()  # c, half a minute away, must never play
        assert output.wait_idle(TIMEOUT)
    assert [path for _, path in started][:1] == [a]
    assert c not in [path for _, path in started]
    deadlines = {a: now + 0.05, b: now + 0.1}
    assert all(t >= deadlines[path] for t, path in started)  # never early
