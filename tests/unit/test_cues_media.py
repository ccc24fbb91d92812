"""The pre-rendered cue files in media/cues/: present, well-formed, audible and up to date."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import wave
from array import array
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from player.core import bundled

ROOT = Path(__file__).resolve().parents[2]
CUES = bundled.CUES_DIR
GENERATOR = ROOT / "scripts" / "make_cues.py"

# The layout other code relies on: media/cues/tones/<name>.wav and media/cues/voice/<name>.wav.
TONES = [
    "get_ready",
    "beep",
    "go",
    "halfway",
    "switch_sides",
    "rest",
    "tempo_up",
    "tempo_hold",
    "tempo_down",
    "finished",
    "metronome",
]
PHRASES = [
    "get_ready",
    "go",
    "switch_sides",
    "rest",
    "last_set",
    "halfway",
    "finished",
    "next",
    "ice_on",
    "heat_on",
    "check_skin",
    "done_when_ready",
    "left_side",
    "right_side",
]

# Loudest sample must reach about -20 dBFS; anything quieter is a broken render.
AUDIBLE_PEAK = 3000
# Speech counts as started once a sample exceeds about -50 dBFS.
SPEECH_LEVEL = 100


def exercise_ids() -> list[str]:
    library = yaml.safe_load(bundled.LIBRARY_FILE.read_text(encoding="utf-8"))
    return sorted(library["exercises"])


def expected_files() -> dict[str, tuple[float, float]]:
    """Each expected cue file (relative to media/cues) and its sensible length range, seconds."""
    files = {f"tones/{name}.wav": (0.02, 2.0) for name in TONES}
    files["tones/metronome.wav"] = (0.005, 0.06)
    files |= {f"voice/{name}.wav": (0.2, 6.0) for name in PHRASES}
    files |= {f"voice/exercises/{name}.wav": (0.2, 4.0) for name in exercise_ids()}
    return files


def read_samples(path: Path) -> tuple[wave.Wave_read, array]:
    """The file's parameters and its 16-bit samples; fails unless mono 16-bit PCM."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1, f"{path.name} is not mono"
        assert wav.getsampwidth() == 2, f"{path.name} is not 16-bit"
        assert wav.getcomptype() == "NONE"
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return wav, samples


@pytest.mark.parametrize(("rel", "length_range"), sorted(expected_files().items()))
def test_cue_is_an_audible_mono_16_bit_wav(rel: str, length_range: tuple[float, float]) -> None:
    path = CUES / rel
    assert path.is_file(), f"{rel} is missing; run: python scripts/make_cues.py"
    wav, samples = read_samples(path)
    assert 8000 <= wav.getframerate() <= 48000
    seconds = len(samples) / wav.getframerate()
    low, high = length_range
    assert low <= seconds <= high, f"{rel} lasts {seconds:.3f} s"
    assert max(abs(s) for s in samples) >= AUDIBLE_PEAK, f"{rel} is (nearly) silent"


@pytest.mark.parametrize("rel", [rel for rel in sorted(expected_files()) if "voice/" in rel])
def test_speech_starts_and_ends_without_silence(rel: str) -> None:
    wav, samples = read_samples(CUES / rel)
    margin = int(0.03 * wav.getframerate())
    assert max(abs(s) for s in samples[:margin]) > SPEECH_LEVEL, f"{rel} starts with silence"
    assert max(abs(s) for s in samples[-margin:]) > SPEECH_LEVEL, f"{rel} ends with silence"


def test_tones_all_sound_different() -> None:
    contents = {name: (CUES / "tones" / f"{name}.wav").read_bytes() for name in TONES}
    assert len(set(contents.values())) == len(TONES)


def test_no_stale_cue_files() -> None:
    found = {path.relative_to(CUES).as_posix() for path in CUES.rglob("*.wav")}
    assert found - set(expected_files()) == set(), "run: python scripts/make_cues.py"


def test_cues_folder_stays_small() -> None:
    total = sum(path.stat().st_size for path in CUES.rglob("*") if path.is_file())
    assert total < 3_000_000, f"media/cues holds {total / 1e6:.1f} MB"


def load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import scripts/make_cues.py, which is not in a package, for the length of one test."""
    spec = importlib.util.spec_from_file_location("make_cues", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def test_generator_check_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install espeak-ng sox)")
    generator = load_generator(monkeypatch)
    committed, local = generator.read_manifest()["tools"], generator.tool_versions()
    if committed != local:
        pytest.skip(f"cues were rendered with {committed}; this machine has {local}")
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
