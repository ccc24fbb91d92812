"""Pre-render every audio cue as a small mono 16-bit WAV file under ``player/content/media/cues/``.

Run from anywhere, with the project's Python (PyYAML is needed to read the exercise library)::

    .venv/bin/python scripts/make_cues.py            # (re)write media/cues/
    .venv/bin/python scripts/make_cues.py --check    # exit 1 if media/cues/ is stale

Needs ``espeak-ng`` and ``sox`` on PATH (Debian/Ubuntu: ``apt-get install espeak-ng sox``).

Layout (other code relies on it)::

    media/cues/tones/<name>.wav              synthesized sounds (TONES below)
    media/cues/voice/<phrase>.wav            spoken phrases (PHRASES below)
    media/cues/voice/exercises/<id>.wav      the name of every exercise in the bundled library
    media/cues/manifest.json                 tool versions and a SHA-256 of every file

Output is deterministic: sox runs with ``-R`` (fixed seeds, no time stamps) and ``-D`` (no
dither), and espeak-ng has no randomness, so the same tool versions give byte-identical files.
``--check`` renders into a temporary directory and compares it with the committed files; since
other versions of espeak-ng or sox may render slightly differently, it names both versions when
they differ from those recorded in the manifest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CUES_DIR = ROOT / "player" / "content" / "media" / "cues"
EXERCISES_FILE = ROOT / "player" / "content" / "routines" / "exercises.yaml"
MANIFEST = "manifest.json"

RATE = 16000  # ample for speech and these tones, and keeps media/cues small
# Output format: mono, 16-bit signed PCM; -D: no dither (dither is noise, i.e. not reproducible).
WAV_OUT = ["-D", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer"]
# Intermediate files keep full precision so there is a single rounding, at the end.
FLOAT_OUT = ["-r", str(RATE), "-c", "1", "-b", "32", "-e", "floating-point"]

VOICE = "en-us"
WORDS_PER_MINUTE = 150
VOICE_PEAK_DB = -1.0
# Trim leading and trailing audio quieter than this (espeak-ng pads with digital silence).
TRIM_THRESHOLD = "0.1%"

ID_PATTERN = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class Note:
    """One synthesized sound starting ``start`` seconds into a tone.

    ``synth`` is the wave part of a sox ``synth`` effect (e.g. ``["sine", "880"]``; ``a:b`` is an
    exponential sweep from a to b Hz); ``attack`` is a quarter-sine fade-in and ``release`` a fade-out, in
    seconds, of shape ``fade`` (sox: ``q`` quarter sine, ``l`` logarithmic, sounding like a decay).
    """

    start: float
    length: float
    synth: tuple[str, ...]
    attack: float = 0.005
    release: float = 0.03
    fade: str = "q"

    def effects(self) -> list[str]:
        """The sox effects rendering this note, silence before it included."""
        fade_in = ["fade", "q", str(self.attack)]
        fade_out = ["fade", self.fade, "0", str(self.length), str(self.release)]
        return ["synth", str(self.length), *self.synth, *fade_in, *fade_out, "pad", str(self.start)]


@dataclass(frozen=True)
class Tone:
    """A cue made of notes, mixed, then scaled so that its loudest sample is at ``peak_db``."""

    notes: tuple[Note, ...]
    peak_db: float


def _sine(*freqs: str) -> tuple[str, ...]:
    """A sine wave; several frequencies are mixed (harmonics or partials)."""
    first, *rest = freqs
    mixed: list[str] = []
    for freq in rest:
        mixed += ["synth", "sine", "mix", freq]
    return ("sine", first, *mixed)


C5, E5, G5, C6 = "523.25", "659.25", "783.99", "1046.5"

TONES: dict[str, Tone] = {
    "get_ready": Tone(
        (
            Note(0.0, 0.20, _sine(C5), attack=0.03, release=0.08),
            Note(0.22, 0.32, _sine(G5), attack=0.03, release=0.15),
        ),
        peak_db=-9,
    ),
    "beep": Tone((Note(0.0, 0.12, _sine("880"), release=0.02),), peak_db=-6),
    "go": Tone((Note(0.0, 0.45, _sine("1318.5", "2637"), release=0.12),), peak_db=-3),
    "halfway": Tone(
        (
            Note(0.0, 0.08, _sine(C6), release=0.02),
            Note(0.15, 0.08, _sine(C6), release=0.02),
        ),
        peak_db=-6,
    ),
    "switch_sides": Tone(
        tuple(
            Note(i * 0.13, 0.11, _sine("784" if i % 2 == 0 else "587"), release=0.02)
            for i in range(4)
        ),
        peak_db=-6,
    ),
    "rest": Tone((Note(0.0, 0.70, _sine("220", "440"), attack=0.12, release=0.4),), peak_db=-12),
    "tempo_up": Tone((Note(0.0, 0.15, ("sine", "600:1200"), release=0.03),), peak_db=-8),
    "tempo_hold": Tone((Note(0.0, 0.15, _sine("850"), release=0.03),), peak_db=-8),
    "tempo_down": Tone((Note(0.0, 0.15, ("sine", "1200:600"), release=0.03),), peak_db=-8),
    "finished": Tone(
        (
            Note(0.00, 0.50, _sine(C5, "1046.5"), release=0.45, fade="l"),
            Note(0.16, 0.50, _sine(E5, "1318.5"), release=0.45, fade="l"),
            Note(0.32, 0.80, _sine(G5, "1568"), release=0.75, fade="l"),
        ),
        peak_db=-6,
    ),
    # Woodblock-like: two inharmonic partials with a fast logarithmic (exponential-sounding) decay.
    "metronome": Tone(
        (Note(0.0, 0.035, _sine("1250", "2980"), attack=0.001, release=0.034, fade="l"),),
        peak_db=-6,
    ),
}

PHRASES: dict[str, str] = {
    "get_ready": "Get ready",
    "go": "Go",
    "switch_sides": "Switch sides",
    "rest": "Rest",
    "last_set": "Last set",
    "halfway": "Halfway",
    "finished": "Routine complete. Well done.",
    "next": "Next",
    "ice_on": "Place the wrapped ice pack now",
    "heat_on": "Place the wrapped heat pack now",
    "check_skin": "Time is up. Remove the pack and check your skin.",
    "done_when_ready": "Press done when you have finished",
    "left_side": "Left side",
    "right_side": "Right side",
}


def exercise_names(path: Path = EXERCISES_FILE) -> dict[str, str]:
    """Map every exercise id in the library file to the name that is spoken."""
    library = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = {str(key): str(entry["name"]) for key, entry in library["exercises"].items()}
    bad = sorted(key for key in names if not ID_PATTERN.fullmatch(key))
    if bad:
        raise SystemExit(f"exercise ids unusable as file names: {', '.join(bad)}")
    return names


def speech_jobs() -> dict[str, str]:
    """Map each voice file's path (relative to media/cues) to the text spoken in it."""
    jobs = {f"voice/{key}.wav": text for key, text in PHRASES.items()}
    jobs |= {f"voice/exercises/{key}.wav": name for key, name in exercise_names().items()}
    return jobs


def sox(*args: str | Path) -> None:
    """Run sox repeatably (-R: fixed seeds, no time stamps) and quietly."""
    subprocess.run(["sox", "-R", "-q", *map(str, args)], check=True)


def render_tone(tone: Tone, out: Path, work: Path) -> None:
    """Synthesize ``tone`` into ``out``, using ``work`` for intermediate files."""
    parts = []
    for i, note in enumerate(tone.notes):
        part = work / f"{out.stem}-{i}.wav"
        sox("-n", *FLOAT_OUT, part, *note.effects())
        parts.append(part)
    mix = ["-m", *parts] if len(parts) > 1 else parts
    sox(*mix, *WAV_OUT, out, "gain", "-n", str(tone.peak_db))


def render_speech(text: str, out: Path, work: Path) -> None:
    """Speak ``text`` with espeak-ng, trim silence at both ends and normalise its peak."""
    raw = work / f"{out.parent.name}-{out.stem}.raw.wav"
    trimmed = raw.with_suffix(".trimmed.wav")
    subprocess.run(
        ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(raw), text], check=True
    )
    trim = ["silence", "1", "0.005", TRIM_THRESHOLD]
    sox(raw, *FLOAT_OUT, trimmed, *trim, "reverse", *trim, "reverse")
    # fade needs a known length, which sox does not know after "silence": hence two runs.
    length = str(float(_first_line(["sox", "--i", "-D", str(trimmed)])))
    fades = ["fade", "q", "0.005", length, "0.01"]
    sox(trimmed, *WAV_OUT, out, *fades, "gain", "-n", str(VOICE_PEAK_DB))


def render_all(dest: Path) -> list[str]:
    """Render every cue into ``dest``; return their paths relative to it, sorted."""
    with tempfile.TemporaryDirectory(prefix="cues-work-") as tmp:
        work = Path(tmp)
        jobs = [(render_tone, tone, f"tones/{name}.wav") for name, tone in TONES.items()]
        jobs += [(render_speech, text, rel) for rel, text in speech_jobs().items()]
        for _, _, rel in jobs:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor() as pool:
            futures = [pool.submit(fn, spec, dest / rel, work) for fn, spec, rel in jobs]
            for future in futures:
                future.result()
    files = sorted(rel for _, _, rel in jobs)
    write_manifest(dest, files)
    return files


def tool_versions() -> dict[str, str]:
    """The versions of espeak-ng and sox, as they print them (install paths left out)."""
    espeak = _first_line(["espeak-ng", "--version"]).split("Data at:")[0].strip()
    sox_version = _first_line(["sox", "--version"]).removeprefix("sox:").strip()
    return {"espeak-ng": espeak, "sox": sox_version}


def _first_line(cmd: list[str]) -> str:
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return result.stdout.strip().splitlines()[0]


def write_manifest(dest: Path, files: Iterable[str]) -> None:
    """Record the tool versions and each file's SHA-256 in ``dest/manifest.json``."""
    digests = {rel: hashlib.sha256((dest / rel).read_bytes()).hexdigest() for rel in files}
    manifest = {"tools": tool_versions(), "files": digests}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (dest / MANIFEST).write_text(text, encoding="utf-8")


def read_manifest(cues: Path = CUES_DIR) -> dict:
    """The committed manifest, or an empty one when there is none."""
    path = cues / MANIFEST
    if not path.is_file():
        return {"tools": {}, "files": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def cue_files(root: Path) -> set[str]:
    """Every WAV file and the manifest under ``root``, relative to it."""
    found = {p.relative_to(root).as_posix() for p in root.rglob("*.wav")}
    return found | ({MANIFEST} if (root / MANIFEST).is_file() else set())


def differences(expected: Path, actual: Path) -> list[str]:
    """Describe every file that is missing, extra or different in ``actual``."""
    want, have = cue_files(expected), cue_files(actual)
    lines = [f"missing: {rel}" for rel in sorted(want - have)]
    lines += [f"not generated by this script: {rel}" for rel in sorted(have - want)]
    lines += [
        f"differs: {rel}"
        for rel in sorted(want & have)
        if (expected / rel).read_bytes() != (actual / rel).read_bytes()
    ]
    return lines


def check() -> int:
    """Render into a temporary directory and compare with media/cues/; 0 when identical."""
    with tempfile.TemporaryDirectory(prefix="cues-check-") as tmp:
        fresh = Path(tmp)
        render_all(fresh)
        problems = differences(fresh, CUES_DIR)
    if not problems:
        print(f"{CUES_DIR.relative_to(ROOT)} is up to date")
        return 0
    print(f"{CUES_DIR.relative_to(ROOT)} is stale; run: python scripts/make_cues.py")
    print("\n".join(f"  {line}" for line in problems))
    committed, local = read_manifest()["tools"], tool_versions()
    if committed != local:
        print(f"note: the committed cues were rendered with {committed}, this machine has {local}")
    return 1


def generate() -> int:
    """Render every cue into media/cues/, removing cue files no longer produced."""
    with tempfile.TemporaryDirectory(prefix="cues-new-") as tmp:
        fresh = Path(tmp)
        files = render_all(fresh)
        for rel in cue_files(CUES_DIR) - cue_files(fresh):
            (CUES_DIR / rel).unlink()
        for rel in [*files, MANIFEST]:
            (CUES_DIR / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh / rel, CUES_DIR / rel)
    size = sum((CUES_DIR / rel).stat().st_size for rel in files)
    print(f"wrote {len(files)} cues to {CUES_DIR.relative_to(ROOT)} ({size / 1024:.0f} KiB)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if media/cues/ differs from a fresh render"
    )
    args = parser.parse_args(argv)
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        print(f"needs {' and '.join(missing)} on PATH (apt-get install espeak-ng sox)")
        return 2
    return check() if args.check else generate()


if __name__ == "__main__":
    sys.exit(main())
