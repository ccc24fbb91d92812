"""WAV headers are checked before anything trusts them."""

from __future__ import annotations

import struct

import pytest

from player.core import bundled
from player.core.wavinfo import WavProblem, parse_wav_header, wav_info


def header(tag: int = 1, channels: int = 1, rate: int = 16000, bits: int = 16,
           frames: int = 1600, align: int | None = None, byte_rate: int | None = None) -> bytes:
    align = channels * bits // 8 if align is None else align
    byte_rate = rate * align if byte_rate is None else byte_rate
    fmt = struct.pack("<HHIIHH", tag, channels, rate, byte_rate, align, bits)
    size = frames * align
    return (b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE" + b"fmt " + struct.pack("<I", 16)
            + fmt + b"data" + struct.pack("<I", size))


def test_every_bundled_cue_passes_and_its_length_is_its_frames_over_its_rate() -> None:
    clips = sorted(bundled.CUES_DIR.rglob("*.wav"))
    assert clips
    for clip in clips:
        info = wav_info(clip)
        assert 0 < info.seconds < 10


def test_a_good_header_gives_its_length() -> None:
    blob = header(frames=8000)
    assert parse_wav_header(blob, len(blob) + 16000).seconds == 0.5


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"rate": 0}, "sample rate of 0 Hz"),
        ({"rate": 10**6}, "sample rate of 1000000 Hz"),
        ({"channels": 0}, "0 channels"),
        ({"bits": 12}, "12-bit samples"),
        ({"align": 7}, "frame size and byte rate do not match"),
        ({"byte_rate": 1}, "frame size and byte rate do not match"),
        ({"tag": 85}, r"compressed WAV \(format 85\)"),
        ({"frames": 16000 * 61}, "lasts 61 s"),
    ],
)
def test_a_header_that_does_not_agree_with_itself_is_refused(kwargs: dict[str, int],
                                                             expected: str) -> None:
    blob = header(**kwargs)
    with pytest.raises(WavProblem, match=expected):
        parse_wav_header(blob, 10**9)


def test_a_data_chunk_larger_than_the_file_is_refused() -> None:
    blob = header(frames=2**30)
    with pytest.raises(WavProblem, match="claims"):
        parse_wav_header(blob, len(blob) + 100)


def test_not_a_wav_and_not_a_file(tmp_path) -> None:
    with pytest.raises(WavProblem, match="not a WAV"):
        parse_wav_header(b"OggS" + bytes(40), 44)
    with pytest.raises(WavProblem, match="cannot be read"):
        wav_info(tmp_path / "missing.wav")
    (tmp_path / "folder.wav").mkdir()
    with pytest.raises(WavProblem, match="cannot be read"):
        wav_info(tmp_path / "folder.wav")
