"""What a sound clip's header says, checked before anything trusts it.

A routine's voice clips come from someone else: a WAV header may claim a rate of 0, two
billion frames or a data chunk larger than the file. :func:`wav_info` reads the RIFF chunks
itself (the first 64 KiB at most, never the samples) and refuses a header whose rate, channels,
sample size, frame size and data size do not agree with each other and with the file. Only
uncompressed PCM WAV is accepted: it is what every player backend plays.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

#: Sample rates a player is sure to accept.
MIN_RATE, MAX_RATE = 8_000, 192_000
MAX_CHANNELS = 8
SAMPLE_BITS = frozenset({8, 16, 24, 32})
#: A cue clip longer than this is refused: a cue is a word or a tone, not a song.
MAX_CLIP_SECONDS = 60.0
_HEADER_BYTES = 65_536
_PCM, _EXTENSIBLE = 1, 0xFFFE

#: Suffixes of the clips the format allows; only WAV is played by every backend.
PLAYABLE_EVERYWHERE = frozenset({".wav"})

NOT_WAV = "is not a WAV file (only uncompressed PCM WAV clips are played everywhere)"
NOT_PCM = "is a compressed WAV (format {tag}); only uncompressed PCM WAV is played"
BAD_HEADER = "has a damaged WAV header ({what})"
TOO_LONG = "lasts {seconds:.0f} s; a cue clip may last at most {limit:.0f} s"
UNREADABLE = "cannot be read ({reason})"


class WavProblem(ValueError):
    """A clip that cannot be trusted or played; the message says why, after the file name."""


@dataclass(frozen=True)
class WavInfo:
    """A checked WAV header."""

    rate: int
    channels: int
    bits: int
    frames: int

    @property
    def seconds(self) -> float:
        """The clip's length."""
        return self.frames / self.rate


def wav_info(path: Path) -> WavInfo:
    """The checked header of the clip at ``path``; :class:`WavProblem` when it is not a clip
    every player can play, or its header does not agree with itself or the file."""
    if Path(path).suffix.lower() not in PLAYABLE_EVERYWHERE:
        raise WavProblem(NOT_WAV)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise WavProblem(UNREADABLE.format(reason=exc.strerror or exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise WavProblem(UNREADABLE.format(reason="not an ordinary file"))
        head = os.read(fd, _HEADER_BYTES)
    except OSError as exc:
        raise WavProblem(UNREADABLE.format(reason=exc.strerror or exc)) from None
    finally:
        os.close(fd)
    return parse_wav_header(head, st.st_size)


def parse_wav_header(head: bytes, file_size: int) -> WavInfo:
    """Check the header bytes ``head`` of a file of ``file_size`` bytes (see :func:`wav_info`)."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise WavProblem(NOT_WAV)
    pos = 12
    fmt: tuple[int, int, int, int, int] | None = None
    while pos + 8 <= len(head):
        chunk, size = head[pos : pos + 4], struct.unpack_from("<I", head, pos + 4)[0]
        body = pos + 8
        if chunk == b"fmt ":
            if size < 16 or body + 16 > len(head):
                raise WavProblem(BAD_HEADER.format(what="its format chunk is too short"))
            tag, channels, rate, byte_rate, align, bits = struct.unpack_from("<HHIIHH", head, body)
            fmt = (tag, channels, rate, align, bits)
            _check_format(tag, channels, rate, byte_rate, align, bits)
        elif chunk == b"data":
            if fmt is None:
                raise WavProblem(BAD_HEADER.format(what="its samples come before their format"))
            if body + size > file_size:
                raise WavProblem(BAD_HEADER.format(
                    what=f"it claims {size} bytes of sound in a file of {file_size}"))
            _, channels, rate, align, bits = fmt
            if size % align:
                raise WavProblem(BAD_HEADER.format(what="its sound data ends inside a frame"))
            info = WavInfo(rate, channels, bits, size // align)
            if info.seconds > MAX_CLIP_SECONDS:
                raise WavProblem(TOO_LONG.format(seconds=info.seconds, limit=MAX_CLIP_SECONDS))
            return info
        pos = body + size + (size & 1)
    raise WavProblem(BAD_HEADER.format(what="it has no sound data"))


def _check_format(tag: int, channels: int, rate: int, byte_rate: int, align: int,
                  bits: int) -> None:
    if tag not in (_PCM, _EXTENSIBLE):
        raise WavProblem(NOT_PCM.format(tag=tag))
    if not 1 <= channels <= MAX_CHANNELS:
        raise WavProblem(BAD_HEADER.format(what=f"{channels} channels"))
    if not MIN_RATE <= rate <= MAX_RATE:
        raise WavProblem(BAD_HEADER.format(what=f"a sample rate of {rate} Hz"))
    if bits not in SAMPLE_BITS:
        raise WavProblem(BAD_HEADER.format(what=f"{bits}-bit samples"))
    if align != channels * bits // 8 or byte_rate != rate * align:
        raise WavProblem(BAD_HEADER.format(
            what="its frame size and byte rate do not match its channels, rate and sample size"))
